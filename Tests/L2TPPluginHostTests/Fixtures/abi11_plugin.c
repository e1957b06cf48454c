/*
 * A plugin as built against ABI 1.1 (descriptor minor 1, no deferred
 * decisions): it refuses tunnels from host "evil" by returning 2 (in 1.1 any
 * non-zero return refuses; 2 is OL2TP_PENDING in 1.2, which it never asks
 * for), refuses sessions with Calling Number 666 with OL2TP_REFUSE, and
 * allocates 10.1.0.1/10.1.0.2 synchronously. A 1.2 host must keep all of
 * that working, also when it lets other plugins pend.
 */
#include <string.h>

#include "openl2tp_plugin.h"

static const ol2tp_host_api_t *api;

static int named(const char *want, const char *value, uint32_t len)
{
    return strlen(want) == len && memcmp(want, value, len) == 0;
}

static int32_t on_tunnel(void *ud, const ol2tp_tunnel_t *t, ol2tp_reply_t *r)
{
    const char *host = NULL;
    uint32_t len = 0;
    (void)ud;
    (void)r;
    return api->tunnel_get_str(t, OL2TP_TUNNEL_PEER_HOST_NAME, &host, &len) == 0 && named("evil", host, len) ? 2 : 0;
}

static int32_t on_session(void *ud, const ol2tp_session_t *s, ol2tp_reply_t *r)
{
    const char *calling = NULL;
    uint32_t len = 0;
    (void)ud;
    if (api->session_get_str(s, OL2TP_SESSION_CALLING_NUMBER, &calling, &len) == 0 && named("666", calling, len)) {
        api->reply_set_reason(r, 4, 0, OL2TP_STR("calling number barred"));
        return OL2TP_REFUSE;
    }
    return OL2TP_ACCEPT;
}

static int32_t on_ip(void *ud, const ol2tp_session_t *s, ol2tp_reply_t *r)
{
    (void)ud;
    (void)s;
    return api->reply_set_ipv4(r, 0x0a010001u, 0x0a010002u) == 0 ? OL2TP_CLAIMED : -5;
}

static int32_t init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin, const char *args, uint32_t len)
{
    (void)args;
    (void)len;
    api = host;
    ol2tp_hooks_t hooks = {.size = sizeof hooks, .tunnel_authorize = on_tunnel, .session_authorize = on_session,
                           .ip_allocate = on_ip};
    return host->register_hooks(plugin, &hooks, NULL, NULL);
}

static const ol2tp_plugin_descriptor_t descriptor = {
    .magic = OL2TP_PLUGIN_MAGIC,
    .size = sizeof(ol2tp_plugin_descriptor_t),
    .abi_major = 1,
    .abi_minor = 1,
    .name = "abi11",
    .name_len = 5,
    .version = "1.1",
    .version_len = 3,
    .init = init,
};

const ol2tp_plugin_descriptor_t *openl2tp_plugin_entry_v1(void) { return &descriptor; }
