/*
 * Pends tunnel_authorize, session_authorize and ip_allocate (ABI 1.2) and
 * lets the test answer: the test finds the exported deferred_control_*
 * functions with dlsym and calls them from threads of its own. One instance
 * per file (state is global): compile it to two files for two instances.
 *
 * Arguments (comma separated): `inside=1` answers ACCEPT from inside the
 * authorize hooks, before returning OL2TP_PENDING; `no_ip=1` registers no
 * ip_allocate hook.
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <string.h>

#include "openl2tp_plugin.h"

#define KIND_TUNNEL 1
#define KIND_SESSION 2
#define KIND_ADDRESSES 3

static const ol2tp_host_api_t *api;
static ol2tp_plugin_t *self;
static int answer_inside;
static _Atomic uint64_t last[4];
static _Atomic int32_t last_defer_status[4];
static _Atomic int asked[4];
static _Atomic int releases;

__attribute__((visibility("default"))) uint64_t deferred_control_last(int kind) { return last[kind]; }
__attribute__((visibility("default"))) int32_t deferred_control_defer_status(int kind) { return last_defer_status[kind]; }
__attribute__((visibility("default"))) int deferred_control_asked(int kind) { return asked[kind]; }
__attribute__((visibility("default"))) int deferred_control_releases(void) { return releases; }

__attribute__((visibility("default"))) int32_t deferred_control_decide(uint64_t request, int32_t verdict,
                                                                       uint16_t result_code)
{
    static const char reason[] = "refused by the test";
    return verdict == OL2TP_REFUSE ? api->decide(self, request, verdict, result_code, 0, OL2TP_STR(reason))
                                   : api->decide(self, request, verdict, result_code, 0, NULL, 0);
}

__attribute__((visibility("default"))) int32_t deferred_control_decide_ipv4(uint64_t request, int32_t status,
                                                                            uint32_t local, uint32_t peer)
{
    return api->decide_ipv4(self, request, status, local, peer, NULL, 0);
}

/* Takes a request id and returns OL2TP_PENDING even when the daemon gave
 * none, so the test sees how the host treats that. */
static int32_t pend(int kind, ol2tp_reply_t *reply)
{
    uint64_t request = 0;
    asked[kind]++;
    last_defer_status[kind] = api->reply_defer(reply, &request);
    last[kind] = request;
    if (answer_inside && kind != KIND_ADDRESSES && request != 0) api->decide(self, request, OL2TP_ACCEPT, 0, 0, NULL, 0);
    return OL2TP_PENDING;
}

static int32_t on_tunnel(void *ud, const ol2tp_tunnel_t *t, ol2tp_reply_t *r) { (void)ud; (void)t; return pend(KIND_TUNNEL, r); }
static int32_t on_session(void *ud, const ol2tp_session_t *s, ol2tp_reply_t *r) { (void)ud; (void)s; return pend(KIND_SESSION, r); }
static int32_t on_ip(void *ud, const ol2tp_session_t *s, ol2tp_reply_t *r) { (void)ud; (void)s; return pend(KIND_ADDRESSES, r); }
static void on_release(void *ud, const ol2tp_session_t *s) { (void)ud; (void)s; releases++; }

static int32_t init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin, const char *args, uint32_t len)
{
    if (!OL2TP_HOST_HAS(host, decide_ipv4)) return -38;
    api = host;
    self = plugin;
    answer_inside = len >= 8 && memmem(args, len, "inside=1", 8) != NULL;
    int with_ip = !(len >= 7 && memmem(args, len, "no_ip=1", 7) != NULL);
    ol2tp_hooks_t hooks = {.size = sizeof hooks, .tunnel_authorize = on_tunnel, .session_authorize = on_session,
                           .ip_allocate = with_ip ? on_ip : NULL, .ip_release = on_release};
    return host->register_hooks(plugin, &hooks, NULL, NULL);
}

OL2TP_PLUGIN_DEFINE("deferred_control", "1", init)
