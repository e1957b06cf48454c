/*
 * A plugin built against an older, shorter hook table: it only knows the
 * eight life cycle hooks. Right after its table in memory sit pointers to a
 * trap; a host that reads past `size` would call the trap and "overread"
 * would appear in the log. Argument: the log file path.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "openl2tp_plugin.h"

struct legacy_hooks {
    uint32_t size;
    uint32_t reserved;
    int32_t (*tunnel_created)(void *, const ol2tp_tunnel_t *, ol2tp_reply_t *);
    void (*tunnel_up)(void *, const ol2tp_tunnel_t *);
    void (*tunnel_down)(void *, const ol2tp_tunnel_t *);
    void (*tunnel_deleted)(void *, const ol2tp_tunnel_t *);
    void (*session_created)(void *, const ol2tp_session_t *);
    void (*session_up)(void *, const ol2tp_session_t *);
    void (*session_down)(void *, const ol2tp_session_t *);
    void (*session_deleted)(void *, const ol2tp_session_t *);
};

static int log_fd = -1;

static void put(const char *line) { (void)!write(log_fd, line, strlen(line)); }
static int32_t trap(void *ud, const void *a, void *b) { (void)ud; (void)a; (void)b; put("overread\n"); return OL2TP_REFUSE; }
static int32_t created(void *ud, const ol2tp_tunnel_t *t, ol2tp_reply_t *r) { (void)ud; (void)t; (void)r; put("tunnel_created\n"); return OL2TP_ACCEPT; }
static void up(void *ud, const ol2tp_tunnel_t *t) { (void)ud; (void)t; put("tunnel_up\n"); }
static void s_created(void *ud, const ol2tp_session_t *s) { (void)ud; (void)s; put("session_created\n"); }
static void s_deleted(void *ud, const ol2tp_session_t *s) { (void)ud; (void)s; put("session_deleted\n"); }
static void deleted(void *ud, const ol2tp_tunnel_t *t) { (void)ud; (void)t; put("tunnel_deleted\n"); }

static struct {
    struct legacy_hooks hooks;
    void *after[16];
} table;

static int32_t init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin, const char *args, uint32_t len)
{
    char path[512];
    if (len == 0 || len >= sizeof path) return -22;
    memcpy(path, args, len);
    path[len] = '\0';
    log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log_fd < 0) return -2;
    table.hooks.size = sizeof table.hooks;
    table.hooks.tunnel_created = created;
    table.hooks.tunnel_up = up;
    table.hooks.tunnel_deleted = deleted;
    table.hooks.session_created = s_created;
    table.hooks.session_deleted = s_deleted;
    for (unsigned i = 0; i < 16; i++) table.after[i] = (void *)trap;
    return host->register_hooks(plugin, (const ol2tp_hooks_t *)&table.hooks, NULL, NULL);
}

static const ol2tp_plugin_descriptor_t descriptor = {
    .magic = OL2TP_PLUGIN_MAGIC,
    .size = sizeof(ol2tp_plugin_descriptor_t),
    .abi_major = OL2TP_PLUGIN_ABI_MAJOR,
    .abi_minor = 0,
    .name = "legacy",
    .name_len = 6,
    .version = "0.9",
    .version_len = 3,
    .init = init,
};

const ol2tp_plugin_descriptor_t *openl2tp_plugin_entry_v1(void) { return &descriptor; }
