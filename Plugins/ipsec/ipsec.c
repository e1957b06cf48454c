/*
 * ipsec -- IPsec transport-mode policies for each tunnel's UDP socket.
 *
 * When a tunnel's socket connects, installs two XFRM policies (out and in)
 * for the exact (local address, local port) <-> (peer address, peer port)
 * UDP pair, requiring ESP in transport mode; removes them when the socket
 * disconnects. Keys come from an IKE daemon (strongSwan, racoon) through the
 * kernel's ACQUIRE mechanism: this plugin only says "this flow must be
 * protected". It talks XFRM netlink directly (this kernel has no PF_KEY).
 *
 * Needs CAP_NET_ADMIN. If a policy cannot be installed, the tunnel is closed
 * rather than left unprotected.
 *
 * Arguments (comma-separated, optional):
 *   level=required|use  require ESP (default), or use it when an SA exists
 *   priority=N          XFRM policy priority (default 0)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "openl2tp_plugin.h"

struct ipsec {
    const ol2tp_host_api_t *host;
    ol2tp_plugin_t *plugin;
    int netlink;
    uint32_t sequence;
    int optional; /* level=use */
    uint32_t priority;
};

/* One direction of a socket's flow, in XFRM terms. */
struct flow {
    uint16_t family;
    xfrm_address_t source, destination;
    uint16_t source_port, destination_port; /* network byte order */
};

static void say(struct ipsec *self, int32_t level, const char *fmt_result)
{
    self->host->log(self->plugin, level, fmt_result, (uint32_t)strlen(fmt_result));
}

/* MARK: - Netlink */

/* Sends one request and waits for the kernel's ACK; returns 0 or -errno. */
static int xfrm_request(struct ipsec *self, struct nlmsghdr *request)
{
    request->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
    request->nlmsg_seq = ++self->sequence;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    if (sendto(self->netlink, request, request->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0)
        return -errno;
    char answer[4096];
    for (;;) {
        ssize_t n = recv(self->netlink, answer, sizeof answer, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *)answer; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_seq != self->sequence || h->nlmsg_type != NLMSG_ERROR) continue;
            const struct nlmsgerr *error = NLMSG_DATA(h);
            return error->error; /* 0 or -errno */
        }
    }
}

static struct xfrm_selector selector(const struct flow *f)
{
    struct xfrm_selector sel;
    memset(&sel, 0, sizeof sel);
    sel.family = f->family;
    sel.saddr = f->source;
    sel.daddr = f->destination;
    sel.sport = f->source_port;
    sel.sport_mask = 0xffff;
    sel.dport = f->destination_port;
    sel.dport_mask = 0xffff;
    sel.proto = IPPROTO_UDP;
    sel.prefixlen_s = sel.prefixlen_d = f->family == AF_INET ? 32 : 128;
    return sel;
}

static int add_policy(struct ipsec *self, const struct flow *f, uint8_t direction)
{
    struct {
        struct nlmsghdr header;
        struct xfrm_userpolicy_info policy;
        struct nlattr attribute;
        struct xfrm_user_tmpl tmpl;
    } __attribute__((packed, aligned(4))) request;
    memset(&request, 0, sizeof request);
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = XFRM_MSG_UPDPOLICY;
    request.header.nlmsg_flags = NLM_F_CREATE;
    request.policy.sel = selector(f);
    request.policy.lft.soft_byte_limit = request.policy.lft.hard_byte_limit = XFRM_INF;
    request.policy.lft.soft_packet_limit = request.policy.lft.hard_packet_limit = XFRM_INF;
    request.policy.priority = self->priority;
    request.policy.dir = direction;
    request.policy.action = XFRM_POLICY_ALLOW;
    request.policy.share = XFRM_SHARE_ANY;
    request.attribute.nla_type = XFRMA_TMPL;
    request.attribute.nla_len = sizeof request.attribute + sizeof request.tmpl;
    request.tmpl.id.proto = IPPROTO_ESP;
    request.tmpl.family = f->family;
    request.tmpl.mode = XFRM_MODE_TRANSPORT;
    request.tmpl.optional = (uint8_t)self->optional;
    request.tmpl.aalgos = request.tmpl.ealgos = request.tmpl.calgos = ~0u;
    return xfrm_request(self, &request.header);
}

static int delete_policy(struct ipsec *self, const struct flow *f, uint8_t direction)
{
    struct {
        struct nlmsghdr header;
        struct xfrm_userpolicy_id id;
    } request;
    memset(&request, 0, sizeof request);
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = XFRM_MSG_DELPOLICY;
    request.id.sel = selector(f);
    request.id.dir = direction;
    return xfrm_request(self, &request.header);
}

/* MARK: - Reading the socket's pair */

static int read_address(struct ipsec *self, const ol2tp_socket_t *s, uint32_t field, uint16_t *family,
                        xfrm_address_t *out)
{
    const char *text = NULL;
    uint32_t len = 0;
    char buffer[INET6_ADDRSTRLEN];
    if (self->host->socket_get_str(s, field, &text, &len) != 0 || len >= sizeof buffer) return -EINVAL;
    memcpy(buffer, text, len);
    buffer[len] = '\0';
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, buffer, &out->a4) == 1) *family = AF_INET;
    else if (inet_pton(AF_INET6, buffer, &out->a6) == 1) *family = AF_INET6;
    else return -EINVAL;
    return 0;
}

/* The outbound flow of the socket: local -> peer. */
static int read_flow(struct ipsec *self, const ol2tp_socket_t *s, struct flow *out, uint32_t *tunnel_id)
{
    uint32_t local_port = 0, peer_port = 0;
    uint16_t local_family = 0, peer_family = 0;
    memset(out, 0, sizeof *out);
    if (self->host->socket_get_u32(s, OL2TP_SOCKET_TUNNEL_ID, tunnel_id) != 0 ||
        self->host->socket_get_u32(s, OL2TP_SOCKET_LOCAL_PORT, &local_port) != 0 ||
        self->host->socket_get_u32(s, OL2TP_SOCKET_PEER_PORT, &peer_port) != 0 ||
        read_address(self, s, OL2TP_SOCKET_LOCAL_ADDRESS, &local_family, &out->source) != 0 ||
        read_address(self, s, OL2TP_SOCKET_PEER_ADDRESS, &peer_family, &out->destination) != 0 ||
        local_family != peer_family)
        return -EINVAL;
    out->family = local_family;
    out->source_port = htons((uint16_t)local_port);
    out->destination_port = htons((uint16_t)peer_port);
    return 0;
}

static struct flow reversed(const struct flow *f)
{
    struct flow r = *f;
    r.source = f->destination;
    r.destination = f->source;
    r.source_port = f->destination_port;
    r.destination_port = f->source_port;
    return r;
}

/* MARK: - Hooks */

static void on_connected(void *user_data, const ol2tp_socket_t *socket)
{
    struct ipsec *self = user_data;
    struct flow out;
    uint32_t tunnel_id = 0;
    char message[160];
    if (read_flow(self, socket, &out, &tunnel_id) != 0) {
        say(self, OL2TP_LOG_ERROR, "socket addresses unreadable: no IPsec policy");
        return;
    }
    struct flow in = reversed(&out);
    int rc = add_policy(self, &out, XFRM_POLICY_OUT);
    if (rc == 0) rc = add_policy(self, &in, XFRM_POLICY_IN);
    if (rc != 0) {
        (void)delete_policy(self, &out, XFRM_POLICY_OUT);
        snprintf(message, sizeof message, "tunnel %u: cannot install IPsec policy: %s", tunnel_id, strerror(-rc));
        say(self, OL2TP_LOG_ERROR, message);
        self->host->tunnel_close(self->plugin, tunnel_id, OL2TP_STR("IPsec policy could not be installed"));
        return;
    }
    snprintf(message, sizeof message, "tunnel %u: IPsec policies installed", tunnel_id);
    say(self, OL2TP_LOG_INFO, message);
}

static void on_disconnected(void *user_data, const ol2tp_socket_t *socket)
{
    struct ipsec *self = user_data;
    struct flow out;
    uint32_t tunnel_id = 0;
    if (read_flow(self, socket, &out, &tunnel_id) != 0) return;
    struct flow in = reversed(&out);
    int rc_out = delete_policy(self, &out, XFRM_POLICY_OUT);
    int rc_in = delete_policy(self, &in, XFRM_POLICY_IN);
    if ((rc_out != 0 && rc_out != -ENOENT) || (rc_in != 0 && rc_in != -ENOENT)) {
        char message[160];
        snprintf(message, sizeof message, "tunnel %u: cannot remove IPsec policy: %s", tunnel_id,
                 strerror(-(rc_out != 0 ? rc_out : rc_in)));
        say(self, OL2TP_LOG_WARNING, message);
    }
}

/* MARK: - Life cycle */

static void destroy(void *user_data)
{
    struct ipsec *self = user_data;
    close(self->netlink);
    free(self);
}

static int apply_option(struct ipsec *self, const char *option)
{
    if (strcmp(option, "level=required") == 0) self->optional = 0;
    else if (strcmp(option, "level=use") == 0) self->optional = 1;
    else if (strncmp(option, "priority=", 9) == 0) {
        char *end = NULL;
        unsigned long value = strtoul(option + 9, &end, 10);
        if (end == option + 9 || *end != '\0' || value > UINT32_MAX) return -EINVAL;
        self->priority = (uint32_t)value;
    } else return -EINVAL;
    return 0;
}

static int32_t ipsec_init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin, const char *args, uint32_t args_len)
{
    char copy[256];
    struct ipsec *self = calloc(1, sizeof *self);
    if (self == NULL) return -ENOMEM;
    self->host = host;
    self->plugin = plugin;
    if (args_len >= sizeof copy) { free(self); return -E2BIG; }
    memcpy(copy, args, args_len);
    copy[args_len] = '\0';
    for (char *save = NULL, *opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
        if (apply_option(self, opt) != 0) {
            char message[300];
            snprintf(message, sizeof message, "bad argument '%s' (level=required|use, priority=N)", opt);
            say(self, OL2TP_LOG_ERROR, message);
            free(self);
            return -EINVAL;
        }
    }
    self->netlink = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM);
    if (self->netlink < 0) {
        int err = errno;
        say(self, OL2TP_LOG_ERROR, "cannot open an XFRM netlink socket");
        free(self);
        return -err;
    }
    /* Hooks must not block: the kernel answers at once, but never wait long. */
    struct timeval timeout = {.tv_sec = 1};
    (void)setsockopt(self->netlink, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ol2tp_hooks_t hooks = {
        .size = sizeof hooks,
        .socket_connected = on_connected,
        .socket_disconnected = on_disconnected,
    };
    int32_t rc = host->register_hooks(plugin, &hooks, self, destroy);
    if (rc != 0) destroy(self);
    return rc;
}

static const ol2tp_plugin_descriptor_t ipsec_descriptor = {
    .magic = OL2TP_PLUGIN_MAGIC,
    .size = sizeof(ol2tp_plugin_descriptor_t),
    .abi_major = OL2TP_PLUGIN_ABI_MAJOR,
    .abi_minor = OL2TP_PLUGIN_ABI_MINOR,
    .name = "ipsec",
    .name_len = sizeof("ipsec") - 1,
    .version = "1.0",
    .version_len = sizeof("1.0") - 1,
    .init = ipsec_init,
};

__attribute__((visibility("default"))) const ol2tp_plugin_descriptor_t *openl2tp_plugin_entry_v1(void)
{
    return &ipsec_descriptor;
}
