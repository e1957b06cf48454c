/*
 * Breaks the rules on purpose, to prove the host survives:
 *  - keeps the tunnel handle from tunnel_created and reads it in tunnel_up
 *    (must get -ESTALE, not freed memory);
 *  - passes a tunnel handle to a session accessor (must get -EINVAL);
 *  - asks to close the session from inside session_up (the daemon must get
 *    the action only after the event returned);
 *  - calls register_hooks after init (must get -EPERM);
 *  - asks to close the tunnel from a thread of its own during session_down
 *    (delivered straight away, on that thread).
 * Argument: the log file path.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "openl2tp_plugin.h"

static int log_fd = -1;
static const ol2tp_host_api_t *api;
static ol2tp_plugin_t *self;
static const ol2tp_tunnel_t *kept_tunnel;

static void put(const char *text)
{
    char line[128];
    int n = snprintf(line, sizeof line, "%s\n", text);
    (void)!write(log_fd, line, (size_t)n);
}

static int32_t created(void *ud, const ol2tp_tunnel_t *t, ol2tp_reply_t *r)
{
    (void)ud; (void)r;
    uint32_t v = 0;
    char text[64];
    kept_tunnel = t;
    snprintf(text, sizeof text, "wrong_kind=%d", api->session_get_u32((const ol2tp_session_t *)t, OL2TP_SESSION_ID, &v));
    put(text);
    snprintf(text, sizeof text, "unknown_field=%d", api->tunnel_get_u32(t, 9999, &v));
    put(text);
    snprintf(text, sizeof text, "string_as_number=%d", api->tunnel_get_u32(t, OL2TP_TUNNEL_PEER_ADDRESS, &v));
    put(text);
    return OL2TP_ACCEPT;
}

static void up(void *ud, const ol2tp_tunnel_t *t)
{
    (void)ud; (void)t;
    uint32_t v = 0;
    char text[64];
    snprintf(text, sizeof text, "stale=%d", api->tunnel_get_u32(kept_tunnel, OL2TP_TUNNEL_ID, &v));
    put(text);
    ol2tp_hooks_t late = {.size = sizeof late};
    snprintf(text, sizeof text, "late_register=%d", api->register_hooks(self, &late, NULL, NULL));
    put(text);
}

static void session_up(void *ud, const ol2tp_session_t *s)
{
    (void)ud;
    uint32_t tid = 0, sid = 0;
    const char *name = NULL;
    uint32_t len = 0;
    char text[64];
    api->session_get_u32(s, OL2TP_SESSION_TUNNEL_ID, &tid);
    api->session_get_u32(s, OL2TP_SESSION_ID, &sid);
    snprintf(text, sizeof text, "absent_user=%d", api->session_get_str(s, OL2TP_SESSION_USER_NAME, &name, &len));
    put(text);
    api->session_close(self, tid, sid, OL2TP_STR("idle"));
    put("close_requested");
}

static uint32_t closing_tunnel;

static void *close_from_thread(void *arg)
{
    (void)arg;
    api->tunnel_close(self, closing_tunnel, OL2TP_STR("from a thread"));
    return NULL;
}

static void session_down(void *ud, const ol2tp_session_t *s)
{
    (void)ud;
    pthread_t thread;
    api->session_get_u32(s, OL2TP_SESSION_TUNNEL_ID, &closing_tunnel);
    if (pthread_create(&thread, NULL, close_from_thread, NULL) == 0) pthread_join(thread, NULL);
    put("thread_joined");
}

static int32_t init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin, const char *args, uint32_t len)
{
    char path[512];
    if (len == 0 || len >= sizeof path) return -22;
    memcpy(path, args, len);
    path[len] = '\0';
    log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log_fd < 0) return -2;
    api = host;
    self = plugin;
    ol2tp_hooks_t hooks = {.size = sizeof hooks, .tunnel_created = created, .tunnel_up = up, .session_up = session_up,
                           .session_down = session_down};
    return host->register_hooks(plugin, &hooks, NULL, NULL);
}

static const ol2tp_plugin_descriptor_t descriptor = {
    .magic = OL2TP_PLUGIN_MAGIC,
    .size = sizeof(ol2tp_plugin_descriptor_t),
    .abi_major = OL2TP_PLUGIN_ABI_MAJOR,
    .abi_minor = OL2TP_PLUGIN_ABI_MINOR,
    .name = "misbehaving",
    .name_len = 11,
    .version = "1",
    .version_len = 1,
    .init = init,
};

const ol2tp_plugin_descriptor_t *openl2tp_plugin_entry_v1(void) { return &descriptor; }
