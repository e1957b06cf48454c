/*
 * Compile-time guard for the plugin ABI: these offsets are a promise to every
 * plugin already built. If one of these fails, a field was inserted or changed
 * instead of appended -- that needs a new OL2TP_PLUGIN_ABI_MAJOR.
 * (LP64 Linux, the daemon's only platform.)
 */
#include <stddef.h>
#include "openl2tp_plugin.h"

#if defined(__LP64__)
_Static_assert(offsetof(ol2tp_plugin_descriptor_t, magic) == 0, "descriptor.magic");
_Static_assert(offsetof(ol2tp_plugin_descriptor_t, size) == 4, "descriptor.size");
_Static_assert(offsetof(ol2tp_plugin_descriptor_t, abi_major) == 8, "descriptor.abi_major");
_Static_assert(offsetof(ol2tp_plugin_descriptor_t, name) == 16, "descriptor.name");
_Static_assert(offsetof(ol2tp_plugin_descriptor_t, version) == 32, "descriptor.version");
_Static_assert(offsetof(ol2tp_plugin_descriptor_t, init) == 40, "descriptor.init");
_Static_assert(sizeof(ol2tp_plugin_descriptor_t) == 48, "descriptor size (ABI 1.0)");

_Static_assert(offsetof(ol2tp_hooks_t, tunnel_created) == 8, "hooks.tunnel_created");
_Static_assert(offsetof(ol2tp_hooks_t, socket_disconnected) == 8 + 16 * 8, "hooks.socket_disconnected");
_Static_assert(sizeof(ol2tp_hooks_t) == 8 + 17 * 8, "hooks size (ABI 1.0)");

_Static_assert(offsetof(ol2tp_host_api_t, daemon_version) == 8, "host.daemon_version");
_Static_assert(offsetof(ol2tp_host_api_t, log) == 24, "host.log");
_Static_assert(offsetof(ol2tp_host_api_t, session_close) == 24 + 11 * 8, "host.session_close");
_Static_assert(offsetof(ol2tp_host_api_t, session_get_param) == 24 + 12 * 8, "host.session_get_param (ABI 1.1)");
_Static_assert(offsetof(ol2tp_host_api_t, reply_defer) == 24 + 13 * 8, "host.reply_defer (ABI 1.2)");
_Static_assert(offsetof(ol2tp_host_api_t, decide) == 24 + 14 * 8, "host.decide (ABI 1.2)");
_Static_assert(offsetof(ol2tp_host_api_t, decide_ipv4) == 24 + 15 * 8, "host.decide_ipv4 (ABI 1.2)");
_Static_assert(sizeof(ol2tp_host_api_t) == 24 + 16 * 8, "host size (ABI 1.2)");
#endif

/* Keeps this translation unit non-empty on other platforms; exports nothing. */
typedef int ol2tp_abi_layout_checked;
