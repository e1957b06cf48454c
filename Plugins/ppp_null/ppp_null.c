/*
 * ppp_null -- claims PPP spawn for every session and starts no PPP.
 *
 * For control-plane use and tests: tunnels and sessions come up (and their
 * kernel contexts exist) but no pppd runs on the PPPoL2TP socket. Load it
 * before any plugin that would start PPP: the first plugin that claims
 * ppp_spawn wins. Takes no arguments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "openl2tp_plugin.h"

struct ppp_null {
    const ol2tp_host_api_t *host;
    ol2tp_plugin_t *plugin;
};

static int32_t ppp_null_spawn(void *user_data, const ol2tp_session_t *session, int32_t pppol2tp_fd)
{
    struct ppp_null *self = user_data;
    uint32_t tunnel_id = 0, session_id = 0;
    char message[96];
    (void)pppol2tp_fd; /* the daemon keeps ownership of the socket */
    self->host->session_get_u32(session, OL2TP_SESSION_TUNNEL_ID, &tunnel_id);
    self->host->session_get_u32(session, OL2TP_SESSION_ID, &session_id);
    int n = snprintf(message, sizeof message, "session %u/%u: no PPP started", tunnel_id, session_id);
    self->host->log(self->plugin, OL2TP_LOG_DEBUG, message, (uint32_t)n);
    return OL2TP_CLAIMED;
}

static int32_t ppp_null_init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin,
                             const char *args, uint32_t args_len)
{
    (void)args;
    if (args_len != 0) {
        host->log(plugin, OL2TP_LOG_ERROR, OL2TP_STR("ppp_null takes no arguments"));
        return -EINVAL;
    }
    /* Per-instance state, freed by the host at unload through `free`. */
    struct ppp_null *self = calloc(1, sizeof *self);
    if (self == NULL) return -ENOMEM;
    self->host = host;
    self->plugin = plugin;
    ol2tp_hooks_t hooks = {.size = sizeof hooks, .ppp_spawn = ppp_null_spawn};
    int32_t rc = host->register_hooks(plugin, &hooks, self, free);
    if (rc != 0) free(self);
    return rc;
}

OL2TP_PLUGIN_DEFINE("ppp_null", "1.0", ppp_null_init)
