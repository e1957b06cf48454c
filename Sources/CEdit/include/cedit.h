/*
 * cedit.h -- a small non-variadic face of libedit (histedit.h) for Swift.
 *
 * libedit's el_set/el_get and history() are variadic and cannot be called
 * from Swift; these wrappers fix the argument lists l2tpconfig needs:
 * a prompt, emacs key bindings, two user functions bound to TAB and '?',
 * and a history list saved to a file.
 */
#ifndef CEDIT_H
#define CEDIT_H

#include <stdio.h>

typedef struct cedit cedit;

/* What a key function asks the editor to do next (libedit CC_* values). */
enum cedit_action {
    CEDIT_NORM = 0,       /* nothing special */
    CEDIT_REFRESH = 4,    /* the line changed: redraw it */
    CEDIT_REDISPLAY = 8,  /* output was printed: redraw prompt and line */
    CEDIT_BEEP = 9        /* refresh and ring the bell */
};

/* Called for TAB (key 0) and '?' (key 1) with the text left of the cursor. */
typedef int (*cedit_key_function)(cedit *editor, void *context, int key, const char *line_to_cursor);

/* Opens an editor on the given streams; NULL if libedit cannot initialise. */
cedit *cedit_open(const char *program, FILE *in, FILE *out, FILE *err);
void cedit_close(cedit *editor);

void cedit_set_prompt(cedit *editor, const char *prompt);
void cedit_set_key_function(cedit *editor, cedit_key_function function, void *context);

/* Reads one line; NULL at end of input. The result (with its newline) stays
 * valid until the next call; *length receives its length. */
const char *cedit_gets(cedit *editor, int *length);

/* Editing the current line from a key function. */
int cedit_insert(cedit *editor, const char *text);
void cedit_delete_before_cursor(cedit *editor, int count);

/* History: size limit, add an entry, load and save a file (0 on success). */
void cedit_history_set_size(cedit *editor, int size);
void cedit_history_add(cedit *editor, const char *line);
int cedit_history_load(cedit *editor, const char *path);
int cedit_history_save(cedit *editor, const char *path);

#endif
