/* cedit.c -- see cedit.h. */
#include "cedit.h"

#include <histedit.h>
#include <stdlib.h>
#include <string.h>

struct cedit {
    EditLine *el;
    History *history;
    HistEvent event;
    char *prompt;
    cedit_key_function function;
    void *context;
};

static char *prompt_of(EditLine *el) {
    cedit *editor = NULL;
    el_get(el, EL_CLIENTDATA, &editor);
    return (editor && editor->prompt) ? editor->prompt : "";
}

/* The line left of the cursor as a fresh C string (caller frees). */
static char *text_to_cursor(EditLine *el) {
    const LineInfo *info = el_line(el);
    size_t length = (size_t)(info->cursor - info->buffer);
    char *text = malloc(length + 1);
    if (text == NULL) return NULL;
    memcpy(text, info->buffer, length);
    text[length] = '\0';
    return text;
}

static unsigned char dispatch(EditLine *el, int key) {
    cedit *editor = NULL;
    el_get(el, EL_CLIENTDATA, &editor);
    if (editor == NULL || editor->function == NULL) return CC_ERROR;
    char *text = text_to_cursor(el);
    if (text == NULL) return CC_ERROR;
    int action = editor->function(editor, editor->context, key, text);
    free(text);
    return (unsigned char)action;
}

static unsigned char on_tab(EditLine *el, int ch) {
    (void)ch;
    return dispatch(el, 0);
}

static unsigned char on_question(EditLine *el, int ch) {
    (void)ch;
    return dispatch(el, 1);
}

cedit *cedit_open(const char *program, FILE *in, FILE *out, FILE *err) {
    cedit *editor = calloc(1, sizeof *editor);
    if (editor == NULL) return NULL;
    editor->el = el_init(program, in, out, err);
    editor->history = history_init();
    if (editor->el == NULL || editor->history == NULL) {
        cedit_close(editor);
        return NULL;
    }
    history(editor->history, &editor->event, H_SETSIZE, 500);
    history(editor->history, &editor->event, H_SETUNIQUE, 1);
    el_set(editor->el, EL_CLIENTDATA, editor);
    el_set(editor->el, EL_EDITOR, "emacs");
    el_set(editor->el, EL_PROMPT, prompt_of);
    el_set(editor->el, EL_HIST, history, editor->history);
    el_set(editor->el, EL_SIGNAL, 1);
    el_set(editor->el, EL_ADDFN, "l2tp-complete", "complete a keyword or parameter", on_tab);
    el_set(editor->el, EL_ADDFN, "l2tp-help", "list what may follow", on_question);
    el_set(editor->el, EL_BIND, "^I", "l2tp-complete", NULL);
    el_set(editor->el, EL_BIND, "?", "l2tp-help", NULL);
    /* ~/.editrc may rebind keys, as in other libedit programs. */
    el_source(editor->el, NULL);
    return editor;
}

void cedit_close(cedit *editor) {
    if (editor == NULL) return;
    if (editor->el) el_end(editor->el);
    if (editor->history) history_end(editor->history);
    free(editor->prompt);
    free(editor);
}

void cedit_set_prompt(cedit *editor, const char *prompt) {
    free(editor->prompt);
    editor->prompt = strdup(prompt);
}

void cedit_set_key_function(cedit *editor, cedit_key_function function, void *context) {
    editor->function = function;
    editor->context = context;
}

const char *cedit_gets(cedit *editor, int *length) {
    int count = 0;
    const char *line = el_gets(editor->el, &count);
    if (length) *length = count;
    if (line == NULL || count <= 0) return NULL;
    return line;
}

int cedit_insert(cedit *editor, const char *text) {
    return el_insertstr(editor->el, text);
}

void cedit_delete_before_cursor(cedit *editor, int count) {
    if (count > 0) el_deletestr(editor->el, count);
}

void cedit_history_set_size(cedit *editor, int size) {
    history(editor->history, &editor->event, H_SETSIZE, size);
}

void cedit_history_add(cedit *editor, const char *line) {
    history(editor->history, &editor->event, H_ENTER, line);
}

int cedit_history_load(cedit *editor, const char *path) {
    return history(editor->history, &editor->event, H_LOAD, path) < 0 ? -1 : 0;
}

int cedit_history_save(cedit *editor, const char *path) {
    return history(editor->history, &editor->event, H_SAVE, path) < 0 ? -1 : 0;
}
