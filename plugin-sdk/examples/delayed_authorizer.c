/*
 * delayed_authorizer.c -- example openl2tpd plugin for deferred decisions
 * (plugin ABI 1.2): it answers tunnel_authorize and session_authorize from a
 * thread of its own after a delay, the way a RADIUS client answers after its
 * round trip, without blocking the daemon's event loop.
 *
 *   cc -shared -fPIC -Wall -pthread -I plugin-sdk/include \
 *      plugin-sdk/examples/delayed_authorizer.c -o delayed_authorizer.so
 *   openl2tpd -p ./delayed_authorizer.so:delay_ms=200,refuse_host=evil,refuse_calling=666
 *
 * Arguments (comma separated):
 *   delay_ms=N        how long each answer takes (default 100)
 *   refuse_host=NAME  refuse tunnels whose peer Host Name is NAME, and the
 *                     sessions in them (read through the session's own
 *                     handle: OL2TP_SESSION_TUNNEL_PEER_HOST_NAME, ABI 1.2)
 *   refuse_calling=N  refuse sessions with Calling Number N
 * Everything else is accepted. Each answer is logged with what the daemon
 * said to it (0, or e.g. -110 when it came after the daemon's deadline).
 *
 * In a daemon that cannot pend (older than 1.2, or one that asks
 * synchronously: reply_defer returns -EPERM), it decides on the spot.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "openl2tp_plugin.h"

#define NAME_MAX_LEN 128

/* One answer to give: which request, what, and when. */
struct job {
    struct job *next;
    uint64_t request;
    int32_t verdict;
    uint64_t due_ns;
    char what[64]; /* "tunnel 5" or "session 5/9", for the log */
};

struct state {
    const ol2tp_host_api_t *host;
    ol2tp_plugin_t *plugin;
    uint64_t delay_ns;
    char refuse_host[NAME_MAX_LEN];
    char refuse_calling[NAME_MAX_LEN];

    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct job *jobs; /* sorted by due_ns */
    int stopping;
    pthread_t thread;
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

__attribute__((format(printf, 3, 4))) static void say(struct state *st, int32_t level, const char *format, ...)
{
    char line[512];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (n < 0) return;
    if ((size_t)n >= sizeof line) n = (int)sizeof line - 1;
    st->host->log(st->plugin, level, line, (uint32_t)n);
}

/* Gives the answer; the daemon's return says whether it was taken. */
static void answer(struct state *st, const struct job *job)
{
    static const char refused[] = "refused by delayed_authorizer";
    int32_t rc = job->verdict == OL2TP_ACCEPT
                     ? st->host->decide(st->plugin, job->request, OL2TP_ACCEPT, 0, 0, NULL, 0)
                     : st->host->decide(st->plugin, job->request, OL2TP_REFUSE, 2, 0, OL2TP_STR(refused));
    say(st, OL2TP_LOG_INFO, "%s: answered request %llu: %s (daemon returned %d)", job->what,
        (unsigned long long)job->request, job->verdict == OL2TP_ACCEPT ? "accept" : "refuse", rc);
}

static void *worker(void *arg)
{
    struct state *st = arg;
    pthread_mutex_lock(&st->lock);
    while (!st->stopping) {
        struct job *job = st->jobs;
        if (job == NULL) {
            pthread_cond_wait(&st->wake, &st->lock);
            continue;
        }
        uint64_t now = now_ns();
        if (job->due_ns > now) {
            struct timespec until = {.tv_sec = (time_t)(job->due_ns / 1000000000u),
                                     .tv_nsec = (long)(job->due_ns % 1000000000u)};
            pthread_cond_timedwait(&st->wake, &st->lock, &until);
            continue;
        }
        st->jobs = job->next;
        /* Never call the host with our lock held. */
        pthread_mutex_unlock(&st->lock);
        answer(st, job);
        free(job);
        pthread_mutex_lock(&st->lock);
    }
    pthread_mutex_unlock(&st->lock);
    return NULL;
}

static void enqueue(struct state *st, struct job *job)
{
    pthread_mutex_lock(&st->lock);
    struct job **at = &st->jobs;
    while (*at != NULL && (*at)->due_ns <= job->due_ns) at = &(*at)->next;
    job->next = *at;
    *at = job;
    pthread_cond_signal(&st->wake);
    pthread_mutex_unlock(&st->lock);
}

/* Pends with `verdict` to be given after the delay, or decides now when the
 * daemon cannot wait. Returns what the hook returns. */
static int32_t pend(struct state *st, ol2tp_reply_t *reply, int32_t verdict, const char *what)
{
    uint64_t request = 0;
    if (!OL2TP_HOST_HAS(st->host, reply_defer) || st->host->reply_defer(reply, &request) != 0) {
        if (verdict != OL2TP_ACCEPT) st->host->reply_set_reason(reply, 2, 0, OL2TP_STR("refused by delayed_authorizer"));
        return verdict;
    }
    struct job *job = calloc(1, sizeof *job);
    if (job == NULL) return -ENOMEM; /* the request id is then void; a refusal */
    job->request = request;
    job->verdict = verdict;
    job->due_ns = now_ns() + st->delay_ns;
    snprintf(job->what, sizeof job->what, "%s", what);
    enqueue(st, job);
    return OL2TP_PENDING;
}

/* Compares a counted string from an accessor with a configured one. */
static int matches(const char *configured, const char *value, uint32_t len)
{
    return configured[0] != '\0' && strlen(configured) == len && memcmp(configured, value, len) == 0;
}

static int32_t tunnel_authorize(void *user_data, const ol2tp_tunnel_t *tunnel, ol2tp_reply_t *reply)
{
    struct state *st = user_data;
    uint32_t id = 0, len = 0;
    const char *host_name = NULL;
    st->host->tunnel_get_u32(tunnel, OL2TP_TUNNEL_ID, &id);
    int refuse = st->host->tunnel_get_str(tunnel, OL2TP_TUNNEL_PEER_HOST_NAME, &host_name, &len) == 0 &&
                 matches(st->refuse_host, host_name, len);
    char what[64];
    snprintf(what, sizeof what, "tunnel %u", id);
    return pend(st, reply, refuse ? OL2TP_REFUSE : OL2TP_ACCEPT, what);
}

static int32_t session_authorize(void *user_data, const ol2tp_session_t *session, ol2tp_reply_t *reply)
{
    struct state *st = user_data;
    uint32_t tunnel_id = 0, session_id = 0, len = 0;
    const char *text = NULL;
    st->host->session_get_u32(session, OL2TP_SESSION_TUNNEL_ID, &tunnel_id);
    st->host->session_get_u32(session, OL2TP_SESSION_ID, &session_id);
    int refuse = st->host->session_get_str(session, OL2TP_SESSION_CALLING_NUMBER, &text, &len) == 0 &&
                 matches(st->refuse_calling, text, len);
    /* ABI 1.2: the tunnel's Host Name is on the session handle itself; an
     * older daemon answers -ENOENT and the rule is simply not applied. */
    if (!refuse && st->host->session_get_str(session, OL2TP_SESSION_TUNNEL_PEER_HOST_NAME, &text, &len) == 0)
        refuse = matches(st->refuse_host, text, len);
    char what[64];
    snprintf(what, sizeof what, "session %u/%u", tunnel_id, session_id);
    return pend(st, reply, refuse ? OL2TP_REFUSE : OL2TP_ACCEPT, what);
}

static void destroy(void *user_data)
{
    struct state *st = user_data;
    pthread_mutex_lock(&st->lock);
    st->stopping = 1;
    pthread_cond_signal(&st->wake);
    pthread_mutex_unlock(&st->lock);
    pthread_join(st->thread, NULL);
    /* Unanswered requests need nothing: the daemon refuses them at its deadline. */
    while (st->jobs != NULL) {
        struct job *next = st->jobs->next;
        free(st->jobs);
        st->jobs = next;
    }
    pthread_cond_destroy(&st->wake);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

static int parse(struct state *st, const char *args, uint32_t args_len)
{
    char text[1024];
    if (args_len >= sizeof text) return -E2BIG;
    memcpy(text, args, args_len);
    text[args_len] = '\0';
    for (char *save = NULL, *item = strtok_r(text, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *value = strchr(item, '=');
        if (value == NULL) goto bad;
        *value++ = '\0';
        if (strcmp(item, "delay_ms") == 0) {
            char *end = NULL;
            unsigned long ms = strtoul(value, &end, 10);
            if (*value == '\0' || *end != '\0' || ms > 600000) goto bad;
            st->delay_ns = (uint64_t)ms * 1000000u;
        } else if (strcmp(item, "refuse_host") == 0 && strlen(value) < NAME_MAX_LEN) {
            strcpy(st->refuse_host, value);
        } else if (strcmp(item, "refuse_calling") == 0 && strlen(value) < NAME_MAX_LEN) {
            strcpy(st->refuse_calling, value);
        } else {
            value[-1] = '=';
            goto bad;
        }
        continue;
    bad:
        say(st, OL2TP_LOG_ERROR, "bad argument '%s' (delay_ms=, refuse_host=, refuse_calling=)", item);
        return -EINVAL;
    }
    return 0;
}

static int32_t init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin, const char *args, uint32_t args_len)
{
    struct state *st = calloc(1, sizeof *st);
    if (st == NULL) return -ENOMEM;
    st->host = host;
    st->plugin = plugin;
    st->delay_ns = 100 * 1000000u;
    int32_t rc = parse(st, args, args_len);
    if (rc != 0) {
        free(st);
        return rc;
    }
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&st->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&st->lock, NULL);
    if (pthread_create(&st->thread, NULL, worker, st) != 0) {
        pthread_cond_destroy(&st->wake);
        pthread_mutex_destroy(&st->lock);
        free(st);
        return -EAGAIN;
    }
    ol2tp_hooks_t hooks = {
        .size = sizeof hooks,
        .tunnel_authorize = tunnel_authorize,
        .session_authorize = session_authorize,
    };
    rc = host->register_hooks(plugin, &hooks, st, destroy);
    if (rc != 0) destroy(st);
    return rc;
}

OL2TP_PLUGIN_DEFINE("delayed_authorizer", "1.0", init)
