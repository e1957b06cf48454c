/*
 * hook_logger -- an example openl2tpd plugin in plain C.
 *
 * Appends one line per hook call to a file, so the sequence the daemon
 * delivers can be read (and tested). It also shows the deciding and claiming
 * hooks. Build:
 *
 *   cc -shared -fPIC -Wall -I plugin-sdk/include \
 *      plugin-sdk/examples/hook_logger.c -o hook_logger.so
 *
 * Load: openl2tpd -p /path/hook_logger.so:file=/tmp/hooks.log,tag=A
 *
 * Arguments (comma-separated key=value, all optional):
 *   file=PATH          where to append (default: $HOOK_LOGGER_FILE)
 *   tag=TEXT           first word of every line (default "hook_logger")
 *   refuse_incoming=1  refuse tunnels the peer creates (a LAC-only box)
 *   refuse_host=NAME   refuse tunnels whose peer Host Name is NAME
 *   refuse_calling=NUM refuse sessions whose Calling Number is NUM
 *   ip=LOCAL/PEER      claim IP allocation, e.g. ip=10.0.0.1/10.0.0.2
 *   spawn=1            claim PPP spawn (and start nothing)
 *
 * Line format: "<tag> <hook> t=<tunnel id>[ s=<session id>][ <detail>]".
 * Several instances (even of this same .so) may be loaded: all state lives in
 * the per-instance user_data, never in globals.
 */
#define _POSIX_C_SOURCE 200809L /* strtok_r, O_CLOEXEC under -std=c11 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "openl2tp_plugin.h"

struct logger {
    const ol2tp_host_api_t *host;
    ol2tp_plugin_t *plugin;
    int fd;
    char tag[32];
    char refuse_host[64];
    char refuse_calling[64];
    uint32_t ip_local, ip_peer;
    int claim_ip, claim_spawn, refuse_incoming;
};

/* MARK: - Helpers */

static void emit(struct logger *lg, const char *hook, const char *fmt_detail)
{
    char line[256];
    int n = snprintf(line, sizeof line, "%s %s%s\n", lg->tag, hook, fmt_detail);
    if (n > 0 && lg->fd >= 0) {
        (void)!write(lg->fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    }
}

static uint32_t tunnel_u32(struct logger *lg, const ol2tp_tunnel_t *t, uint32_t field)
{
    uint32_t v = 0;
    return lg->host->tunnel_get_u32(t, field, &v) == 0 ? v : 0;
}

static uint32_t session_u32(struct logger *lg, const ol2tp_session_t *s, uint32_t field)
{
    uint32_t v = 0;
    return lg->host->session_get_u32(s, field, &v) == 0 ? v : 0;
}

/* Copies a string field into buf ("" when absent). */
static const char *session_str(struct logger *lg, const ol2tp_session_t *s, uint32_t field,
                               char *buf, size_t cap)
{
    const char *v = NULL;
    uint32_t len = 0;
    buf[0] = '\0';
    if (lg->host->session_get_str(s, field, &v, &len) == 0 && len < cap) {
        memcpy(buf, v, len);
        buf[len] = '\0';
    }
    return buf;
}

static void tunnel_event(void *ud, const char *hook, const ol2tp_tunnel_t *t, const char *extra)
{
    struct logger *lg = ud;
    char detail[160];
    snprintf(detail, sizeof detail, " t=%u%s", tunnel_u32(lg, t, OL2TP_TUNNEL_ID), extra);
    emit(lg, hook, detail);
}

static void session_event(void *ud, const char *hook, const ol2tp_session_t *s, const char *extra)
{
    struct logger *lg = ud;
    char detail[160];
    snprintf(detail, sizeof detail, " t=%u s=%u%s", session_u32(lg, s, OL2TP_SESSION_TUNNEL_ID),
             session_u32(lg, s, OL2TP_SESSION_ID), extra);
    emit(lg, hook, detail);
}

/* MARK: - Hooks */

static int32_t on_tunnel_created(void *ud, const ol2tp_tunnel_t *t, ol2tp_reply_t *reply)
{
    struct logger *lg = ud;
    tunnel_event(ud, "tunnel_created", t, "");
    if (lg->refuse_incoming && tunnel_u32(lg, t, OL2TP_TUNNEL_CREATED_BY_PEER) == 1) {
        lg->host->reply_set_reason(reply, 2, 0, OL2TP_STR("incoming tunnels are not accepted"));
        return OL2TP_REFUSE;
    }
    return OL2TP_ACCEPT;
}
static void on_tunnel_up(void *ud, const ol2tp_tunnel_t *t) { tunnel_event(ud, "tunnel_up", t, ""); }
static void on_tunnel_down(void *ud, const ol2tp_tunnel_t *t) { tunnel_event(ud, "tunnel_down", t, ""); }
static void on_tunnel_deleted(void *ud, const ol2tp_tunnel_t *t) { tunnel_event(ud, "tunnel_deleted", t, ""); }

static void on_session_created(void *ud, const ol2tp_session_t *s) { session_event(ud, "session_created", s, ""); }
static void on_session_up(void *ud, const ol2tp_session_t *s) { session_event(ud, "session_up", s, ""); }
static void on_session_down(void *ud, const ol2tp_session_t *s) { session_event(ud, "session_down", s, ""); }
static void on_session_deleted(void *ud, const ol2tp_session_t *s) { session_event(ud, "session_deleted", s, ""); }

static int32_t on_tunnel_authorize(void *ud, const ol2tp_tunnel_t *t, ol2tp_reply_t *reply)
{
    struct logger *lg = ud;
    const char *host_name = "";
    uint32_t len = 0;
    char name[64] = "";
    if (lg->host->tunnel_get_str(t, OL2TP_TUNNEL_PEER_HOST_NAME, &host_name, &len) == 0 && len < sizeof name) {
        memcpy(name, host_name, len);
        name[len] = '\0';
    }
    char extra[96];
    snprintf(extra, sizeof extra, " host=%s", name);
    tunnel_event(ud, "tunnel_authorize", t, extra);
    if (lg->refuse_host[0] != '\0' && strcmp(name, lg->refuse_host) == 0) {
        static const char why[] = "peer host name is denied";
        lg->host->reply_set_reason(reply, 2 /* RFC 2661 4.4.2: general error */, 0, why, sizeof why - 1);
        return OL2TP_REFUSE;
    }
    return OL2TP_ACCEPT;
}

static int32_t on_session_authorize(void *ud, const ol2tp_session_t *s, ol2tp_reply_t *reply)
{
    struct logger *lg = ud;
    char calling[64], extra[96];
    session_str(lg, s, OL2TP_SESSION_CALLING_NUMBER, calling, sizeof calling);
    snprintf(extra, sizeof extra, " calling=%s", calling);
    session_event(ud, "session_authorize", s, extra);
    if (lg->refuse_calling[0] != '\0' && strcmp(calling, lg->refuse_calling) == 0) {
        static const char why[] = "calling number is denied";
        lg->host->reply_set_reason(reply, 0, 0, why, sizeof why - 1);
        return OL2TP_REFUSE;
    }
    return OL2TP_ACCEPT;
}

static int32_t on_ip_allocate(void *ud, const ol2tp_session_t *s, ol2tp_reply_t *reply)
{
    struct logger *lg = ud;
    session_event(ud, "ip_allocate", s, "");
    if (!lg->claim_ip) return OL2TP_DECLINE;
    int32_t rc = lg->host->reply_set_ipv4(reply, lg->ip_local, lg->ip_peer);
    return rc == 0 ? OL2TP_CLAIMED : rc;
}
static void on_ip_release(void *ud, const ol2tp_session_t *s) { session_event(ud, "ip_release", s, ""); }

static int32_t on_ppp_spawn(void *ud, const ol2tp_session_t *s, int32_t fd)
{
    struct logger *lg = ud;
    char extra[32];
    snprintf(extra, sizeof extra, " fd=%d", fd);
    session_event(ud, "ppp_spawn", s, extra);
    return lg->claim_spawn ? OL2TP_CLAIMED : OL2TP_DECLINE;
}
static void on_ppp_up(void *ud, const ol2tp_session_t *s)
{
    struct logger *lg = ud;
    char ifname[32], extra[48];
    session_str(lg, s, OL2TP_SESSION_INTERFACE_NAME, ifname, sizeof ifname);
    snprintf(extra, sizeof extra, " if=%s", ifname);
    session_event(ud, "ppp_up", s, extra);
}
static void on_ppp_down(void *ud, const ol2tp_session_t *s) { session_event(ud, "ppp_down", s, ""); }

static void socket_event(void *ud, const char *hook, const ol2tp_socket_t *sock)
{
    struct logger *lg = ud;
    const char *la = "", *pa = "";
    uint32_t lalen = 0, palen = 0, tid = 0, lport = 0, pport = 0;
    lg->host->socket_get_u32(sock, OL2TP_SOCKET_TUNNEL_ID, &tid);
    lg->host->socket_get_u32(sock, OL2TP_SOCKET_LOCAL_PORT, &lport);
    lg->host->socket_get_u32(sock, OL2TP_SOCKET_PEER_PORT, &pport);
    lg->host->socket_get_str(sock, OL2TP_SOCKET_LOCAL_ADDRESS, &la, &lalen);
    lg->host->socket_get_str(sock, OL2TP_SOCKET_PEER_ADDRESS, &pa, &palen);
    char detail[160];
    snprintf(detail, sizeof detail, " t=%u %.*s:%u>%.*s:%u", tid, (int)lalen, la, lport, (int)palen, pa, pport);
    emit(lg, hook, detail);
}
static void on_socket_connected(void *ud, const ol2tp_socket_t *s) { socket_event(ud, "socket_connected", s); }
static void on_socket_disconnected(void *ud, const ol2tp_socket_t *s) { socket_event(ud, "socket_disconnected", s); }

/* MARK: - Life cycle */

static void destroy(void *ud)
{
    struct logger *lg = ud;
    emit(lg, "unload", "");
    if (lg->fd >= 0) close(lg->fd);
    free(lg);
}

static uint32_t parse_ipv4(const char *text, int *ok)
{
    unsigned a, b, c, d;
    char tail;
    *ok = sscanf(text, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 && a < 256 && b < 256 && c < 256 && d < 256;
    return (a << 24) | (b << 16) | (c << 8) | d;
}

/* Applies one "key=value" argument; returns 0 or -EINVAL. */
static int apply_option(struct logger *lg, char *opt, char *file, size_t file_cap)
{
    char *value = strchr(opt, '=');
    if (value == NULL) return -EINVAL;
    *value++ = '\0';
    if (strcmp(opt, "file") == 0) snprintf(file, file_cap, "%s", value);
    else if (strcmp(opt, "tag") == 0) snprintf(lg->tag, sizeof lg->tag, "%s", value);
    else if (strcmp(opt, "refuse_host") == 0) snprintf(lg->refuse_host, sizeof lg->refuse_host, "%s", value);
    else if (strcmp(opt, "refuse_calling") == 0) snprintf(lg->refuse_calling, sizeof lg->refuse_calling, "%s", value);
    else if (strcmp(opt, "spawn") == 0) lg->claim_spawn = strcmp(value, "1") == 0;
    else if (strcmp(opt, "refuse_incoming") == 0) lg->refuse_incoming = strcmp(value, "1") == 0;
    else if (strcmp(opt, "ip") == 0) {
        char *slash = strchr(value, '/');
        int ok_local = 0, ok_peer = 0;
        if (slash == NULL) return -EINVAL;
        *slash = '\0';
        lg->ip_local = parse_ipv4(value, &ok_local);
        lg->ip_peer = parse_ipv4(slash + 1, &ok_peer);
        if (!ok_local || !ok_peer) return -EINVAL;
        lg->claim_ip = 1;
    } else return -EINVAL;
    return 0;
}

static int32_t init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin, const char *args, uint32_t args_len)
{
    struct logger *lg = calloc(1, sizeof *lg);
    char file[512] = "", copy[1024];
    if (lg == NULL) return -ENOMEM;
    lg->host = host;
    lg->plugin = plugin;
    lg->fd = -1;
    snprintf(lg->tag, sizeof lg->tag, "hook_logger");
    if (getenv("HOOK_LOGGER_FILE") != NULL) snprintf(file, sizeof file, "%s", getenv("HOOK_LOGGER_FILE"));

    if (args_len >= sizeof copy) { free(lg); return -E2BIG; }
    memcpy(copy, args, args_len);
    copy[args_len] = '\0';
    for (char *save = NULL, *opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
        char original[128];
        snprintf(original, sizeof original, "%s", opt); /* apply_option cuts at '=' */
        if (apply_option(lg, opt, file, sizeof file) != 0) {
            char msg[160];
            int n = snprintf(msg, sizeof msg, "bad argument '%s'", original);
            host->log(plugin, OL2TP_LOG_ERROR, msg, (uint32_t)n);
            free(lg);
            return -EINVAL;
        }
    }
    if (file[0] == '\0') {
        host->log(plugin, OL2TP_LOG_ERROR, OL2TP_STR("no file: give file=PATH or set HOOK_LOGGER_FILE"));
        free(lg);
        return -EINVAL;
    }
    lg->fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (lg->fd < 0) {
        int err = errno;
        free(lg);
        return -err;
    }

    ol2tp_hooks_t hooks = {
        .size = sizeof hooks,
        .tunnel_created = on_tunnel_created,
        .tunnel_up = on_tunnel_up,
        .tunnel_down = on_tunnel_down,
        .tunnel_deleted = on_tunnel_deleted,
        .session_created = on_session_created,
        .session_up = on_session_up,
        .session_down = on_session_down,
        .session_deleted = on_session_deleted,
        .tunnel_authorize = on_tunnel_authorize,
        .session_authorize = on_session_authorize,
        .ip_allocate = on_ip_allocate,
        .ip_release = on_ip_release,
        .ppp_spawn = on_ppp_spawn,
        .ppp_up = on_ppp_up,
        .ppp_down = on_ppp_down,
        .socket_connected = on_socket_connected,
        .socket_disconnected = on_socket_disconnected,
    };
    int32_t rc = host->register_hooks(plugin, &hooks, lg, destroy);
    if (rc != 0) {
        close(lg->fd);
        free(lg);
        return rc;
    }
    emit(lg, "init", "");
    return 0;
}

static const ol2tp_plugin_descriptor_t descriptor = {
    .magic = OL2TP_PLUGIN_MAGIC,
    .size = sizeof(ol2tp_plugin_descriptor_t),
    .abi_major = OL2TP_PLUGIN_ABI_MAJOR,
    .abi_minor = OL2TP_PLUGIN_ABI_MINOR,
    .name = "hook_logger",
    .name_len = sizeof("hook_logger") - 1,
    .version = "1.0",
    .version_len = sizeof("1.0") - 1,
    .init = init,
};

const ol2tp_plugin_descriptor_t *openl2tp_plugin_entry_v1(void)
{
    return &descriptor;
}
