/*
 * A stand-in address allocator: claims ip_allocate for every session with
 * 10.20.0.1 (local) and 10.20.0.2 (peer), as an IP pool plugin would.
 */
#include "openl2tp_plugin.h"

static const ol2tp_host_api_t *api;

static int32_t allocate(void *ud, const ol2tp_session_t *s, ol2tp_reply_t *reply)
{
    (void)ud; (void)s;
    return api->reply_set_ipv4(reply, (10u << 24) | (20u << 16) | 1u, (10u << 24) | (20u << 16) | 2u) == 0
               ? OL2TP_CLAIMED
               : -22;
}

static int32_t init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin, const char *args, uint32_t len)
{
    (void)args; (void)len;
    api = host;
    ol2tp_hooks_t hooks = {.size = sizeof hooks, .ip_allocate = allocate};
    return host->register_hooks(plugin, &hooks, 0, 0);
}

static const ol2tp_plugin_descriptor_t descriptor = {
    .magic = OL2TP_PLUGIN_MAGIC,
    .size = sizeof(ol2tp_plugin_descriptor_t),
    .abi_major = OL2TP_PLUGIN_ABI_MAJOR,
    .abi_minor = OL2TP_PLUGIN_ABI_MINOR,
    .name = "fixed_pool",
    .name_len = 10,
    .version = "1",
    .version_len = 1,
    .init = init,
};

const ol2tp_plugin_descriptor_t *openl2tp_plugin_entry_v1(void) { return &descriptor; }
