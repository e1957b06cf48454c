/*
 * Prints every field of every handle it is given, as "name=value" (strings
 * quoted, binary as hex, absent fields as "-ERRNO"), so a test can check the
 * whole snapshot mapping. Argument: the log file path.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "openl2tp_plugin.h"

static int log_fd = -1;
static const ol2tp_host_api_t *api;

typedef int32_t (*get_u32_fn)(const void *, uint32_t, uint32_t *);
typedef int32_t (*get_str_fn)(const void *, uint32_t, const char **, uint32_t *);

struct field {
    const char *name;
    uint32_t id;
    int is_string, is_binary;
};

static void dump(const char *title, const void *handle, get_u32_fn get_u32, get_str_fn get_str,
                 const struct field *fields, unsigned count)
{
    char line[1024];
    size_t used = (size_t)snprintf(line, sizeof line, "%s", title);
    for (unsigned i = 0; i < count && used < sizeof line; i++) {
        const struct field *f = &fields[i];
        if (f->is_string) {
            const char *value = NULL;
            uint32_t len = 0;
            int32_t rc = get_str(handle, f->id, &value, &len);
            if (rc != 0) {
                used += (size_t)snprintf(line + used, sizeof line - used, " %s=%d", f->name, rc);
            } else if (f->is_binary) {
                used += (size_t)snprintf(line + used, sizeof line - used, " %s=", f->name);
                for (uint32_t b = 0; b < len && used < sizeof line; b++)
                    used += (size_t)snprintf(line + used, sizeof line - used, "%02x", (unsigned char)value[b]);
            } else {
                used += (size_t)snprintf(line + used, sizeof line - used, " %s=\"%.*s\"%s", f->name, (int)len, value,
                                         value[len] == '\0' ? "" : "(unterminated)");
            }
        } else {
            uint32_t value = 0;
            int32_t rc = get_u32(handle, f->id, &value);
            if (rc != 0) used += (size_t)snprintf(line + used, sizeof line - used, " %s=%d", f->name, rc);
            else used += (size_t)snprintf(line + used, sizeof line - used, " %s=%u", f->name, value);
        }
    }
    if (used < sizeof line - 1) line[used++] = '\n';
    (void)!write(log_fd, line, used);
}

static const struct field tunnel_fields[] = {
    {"id", OL2TP_TUNNEL_ID, 0, 0}, {"peer_id", OL2TP_TUNNEL_PEER_ID, 0, 0},
    {"local_port", OL2TP_TUNNEL_LOCAL_PORT, 0, 0}, {"peer_port", OL2TP_TUNNEL_PEER_PORT, 0, 0},
    {"by_peer", OL2TP_TUNNEL_CREATED_BY_PEER, 0, 0}, {"local", OL2TP_TUNNEL_LOCAL_ADDRESS, 1, 0},
    {"peer", OL2TP_TUNNEL_PEER_ADDRESS, 1, 0}, {"host", OL2TP_TUNNEL_PEER_HOST_NAME, 1, 0},
    {"name", OL2TP_TUNNEL_NAME, 1, 0},
};

static const struct field session_fields[] = {
    {"tunnel", OL2TP_SESSION_TUNNEL_ID, 0, 0}, {"id", OL2TP_SESSION_ID, 0, 0},
    {"peer_id", OL2TP_SESSION_PEER_ID, 0, 0}, {"call_type", OL2TP_SESSION_CALL_TYPE, 0, 0},
    {"serial", OL2TP_SESSION_CALL_SERIAL, 0, 0}, {"auth_type", OL2TP_SESSION_PROXY_AUTH_TYPE, 0, 0},
    {"auth_id", OL2TP_SESSION_PROXY_AUTH_ID, 0, 0}, {"unit", OL2TP_SESSION_PPP_UNIT, 0, 0},
    {"calling", OL2TP_SESSION_CALLING_NUMBER, 1, 0}, {"called", OL2TP_SESSION_CALLED_NUMBER, 1, 0},
    {"sub", OL2TP_SESSION_SUB_ADDRESS, 1, 0}, {"user", OL2TP_SESSION_USER_NAME, 1, 0},
    {"auth_name", OL2TP_SESSION_PROXY_AUTH_NAME, 1, 0}, {"challenge", OL2TP_SESSION_PROXY_AUTH_CHALLENGE, 1, 1},
    {"response", OL2TP_SESSION_PROXY_AUTH_RESPONSE, 1, 1}, {"ifname", OL2TP_SESSION_INTERFACE_NAME, 1, 0},
    /* ABI 1.2: the session's tunnel */
    {"t_local_port", OL2TP_SESSION_TUNNEL_LOCAL_PORT, 0, 0}, {"t_peer_port", OL2TP_SESSION_TUNNEL_PEER_PORT, 0, 0},
    {"t_peer_id", OL2TP_SESSION_TUNNEL_PEER_ID, 0, 0}, {"t_local", OL2TP_SESSION_TUNNEL_LOCAL_ADDRESS, 1, 0},
    {"t_peer", OL2TP_SESSION_TUNNEL_PEER_ADDRESS, 1, 0}, {"t_host", OL2TP_SESSION_TUNNEL_PEER_HOST_NAME, 1, 0},
    {"t_name", OL2TP_SESSION_TUNNEL_NAME, 1, 0},
};

static const struct field socket_fields[] = {
    {"tunnel", OL2TP_SOCKET_TUNNEL_ID, 0, 0}, {"local_port", OL2TP_SOCKET_LOCAL_PORT, 0, 0},
    {"peer_port", OL2TP_SOCKET_PEER_PORT, 0, 0}, {"local", OL2TP_SOCKET_LOCAL_ADDRESS, 1, 0},
    {"peer", OL2TP_SOCKET_PEER_ADDRESS, 1, 0},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int32_t on_tunnel(void *ud, const ol2tp_tunnel_t *t, ol2tp_reply_t *r)
{
    (void)ud; (void)r;
    dump("tunnel", t, (get_u32_fn)api->tunnel_get_u32, (get_str_fn)api->tunnel_get_str, tunnel_fields, COUNT(tunnel_fields));
    return OL2TP_ACCEPT;
}

static int32_t on_session(void *ud, const ol2tp_session_t *s, ol2tp_reply_t *r)
{
    (void)ud; (void)r;
    dump("session", s, (get_u32_fn)api->session_get_u32, (get_str_fn)api->session_get_str, session_fields, COUNT(session_fields));
    return OL2TP_ACCEPT;
}

static void on_socket(void *ud, const ol2tp_socket_t *s)
{
    (void)ud;
    dump("socket", s, (get_u32_fn)api->socket_get_u32, (get_str_fn)api->socket_get_str, socket_fields, COUNT(socket_fields));
}

static int32_t init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin, const char *args, uint32_t len)
{
    char path[512], line[160];
    if (len == 0 || len >= sizeof path) return -22;
    memcpy(path, args, len);
    path[len] = '\0';
    log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log_fd < 0) return -2;
    api = host;
    int n = snprintf(line, sizeof line, "host abi=%u.%u size=%u daemon=\"%.*s\" has_session_close=%d has_decide=%d\n",
                     host->abi_major, host->abi_minor, host->size, (int)host->daemon_version_len,
                     host->daemon_version, OL2TP_HOST_HAS(host, session_close), OL2TP_HOST_HAS(host, decide_ipv4));
    (void)!write(log_fd, line, (size_t)n);
    ol2tp_hooks_t hooks = {.size = sizeof hooks, .tunnel_authorize = on_tunnel, .session_authorize = on_session,
                           .socket_connected = on_socket};
    return host->register_hooks(plugin, &hooks, NULL, NULL);
}

static const ol2tp_plugin_descriptor_t descriptor = {
    .magic = OL2TP_PLUGIN_MAGIC,
    .size = sizeof(ol2tp_plugin_descriptor_t),
    .abi_major = OL2TP_PLUGIN_ABI_MAJOR,
    .abi_minor = OL2TP_PLUGIN_ABI_MINOR,
    .name = "field_dump",
    .name_len = 10,
    .version = "1",
    .version_len = 1,
    .init = init,
};

const ol2tp_plugin_descriptor_t *openl2tp_plugin_entry_v1(void) { return &descriptor; }
