/*
 * Exercises session_get_param (ABI 1.1): ip_allocate claims 10.1.0.1/10.1.0.2
 * for sessions with an odd id, and ppp_spawn prints a few parameters (or the
 * error code), plus the accessor's answers to bad arguments.
 * Argument: the log file path.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "openl2tp_plugin.h"

static int log_fd = -1;
static const ol2tp_host_api_t *api;

static int32_t allocate(void *ud, const ol2tp_session_t *s, ol2tp_reply_t *reply)
{
    (void)ud;
    uint32_t id = 0;
    api->session_get_u32(s, OL2TP_SESSION_ID, &id);
    if ((id & 1) == 0) return OL2TP_DECLINE;
    api->reply_set_ipv4(reply, (10u << 24) | (1u << 16) | 1u, (10u << 24) | (1u << 16) | 2u);
    return OL2TP_CLAIMED;
}

static int32_t spawn(void *ud, const ol2tp_session_t *s, int32_t fd)
{
    (void)ud; (void)fd;
    static const char *names[] = {"mtu", "local_ipaddr", "remote_ipaddr", "auth_pap", "no_such_param"};
    char line[512];
    size_t used = (size_t)snprintf(line, sizeof line, "spawn");
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *value = NULL;
        uint32_t len = 0;
        int32_t rc = api->session_get_param(s, names[i], (uint32_t)strlen(names[i]), &value, &len);
        if (rc == 0)
            used += (size_t)snprintf(line + used, sizeof line - used, " %s=\"%.*s\"%s", names[i], (int)len, value,
                                     value[len] == '\0' ? "" : "(unterminated)");
        else
            used += (size_t)snprintf(line + used, sizeof line - used, " %s=%d", names[i], rc);
    }
    const char *value = NULL;
    uint32_t len = 0;
    used += (size_t)snprintf(line + used, sizeof line - used, " null_name=%d empty_name=%d",
                             api->session_get_param(s, NULL, 3, &value, &len),
                             api->session_get_param(s, "mtu", 0, &value, &len));
    line[used++] = '\n';
    (void)!write(log_fd, line, used);
    return OL2TP_CLAIMED;
}

static int32_t init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin, const char *args, uint32_t len)
{
    char path[512], line[96];
    if (len == 0 || len >= sizeof path) return -22;
    memcpy(path, args, len);
    path[len] = '\0';
    log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log_fd < 0) return -2;
    api = host;
    int n = snprintf(line, sizeof line, "host abi=%u.%u has_session_get_param=%d\n", host->abi_major,
                     host->abi_minor, OL2TP_HOST_HAS(host, session_get_param));
    (void)!write(log_fd, line, (size_t)n);
    ol2tp_hooks_t hooks = {.size = sizeof hooks, .ip_allocate = allocate, .ppp_spawn = spawn};
    return host->register_hooks(plugin, &hooks, NULL, NULL);
}

static const ol2tp_plugin_descriptor_t descriptor = {
    .magic = OL2TP_PLUGIN_MAGIC,
    .size = sizeof(ol2tp_plugin_descriptor_t),
    .abi_major = OL2TP_PLUGIN_ABI_MAJOR,
    .abi_minor = OL2TP_PLUGIN_ABI_MINOR,
    .name = "param_dump",
    .name_len = 10,
    .version = "1",
    .version_len = 1,
    .init = init,
};

const ol2tp_plugin_descriptor_t *openl2tp_plugin_entry_v1(void) { return &descriptor; }
