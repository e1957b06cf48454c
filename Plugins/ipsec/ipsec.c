/*
 * ipsec -- IPsec port tracking for L2TP/IPsec tunnels on ephemeral ports.
 *
 * When a tunnel's UDP socket connects, this plugin installs two XFRM policies
 * that require ESP in transport mode for exactly that UDP flow:
 *
 *   dir out: src LOCAL/32 dst PEER/32 proto udp sport LPORT dport PPORT
 *   dir in:  src PEER/32 dst LOCAL/32 proto udp sport PPORT dport LPORT
 *
 * (the same as `ip xfrm policy add ... tmpl proto esp mode transport`) and
 * removes them when the socket disconnects or the tunnel is deleted. Keys
 * come from the IKE daemon (strongSwan) through the kernel's ACQUIRE
 * mechanism; this plugin only says which flows must be protected.
 *
 * Our policies are recognised by their priority (default 1701, `priority=`),
 * a UDP selector and a single ESP transport template (docs/ipsec.md). At load
 * every such policy is a leftover of an earlier run and is deleted; policies
 * without that shape are never touched.
 *
 * It speaks XFRM netlink (NETLINK_XFRM) directly; needs CAP_NET_ADMIN. The
 * kernel handles XFRM requests synchronously, so a hook costs two or three
 * netlink round trips and never waits on the network.
 *
 * Arguments (key=value, comma-separated, all optional):
 *   priority=N     XFRM policy priority and ownership tag (default 1701, not 0)
 *   reqid=N        template reqid (default 0: any SA), to pin strongSwan's reqid
 *   level=required|use   ESP required (default) or used when an SA exists
 *   on_failure=close|keep  close the tunnel when its policies cannot be
 *                  installed (default: fail closed) or keep it, logged
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "openl2tp_plugin.h"

#define IPSEC_DEFAULT_PRIORITY 1701u
#define IPSEC_RECEIVE_BUFFER 65536
#define IPSEC_REQUEST_BUFFER 1024

/* MARK: - State */

/* One UDP flow (a tunnel's connected socket) and what we installed for it. */
struct ipsec_flow {
    struct ipsec_flow *next;
    uint32_t tunnel_id;
    uint16_t family;
    uint8_t prefix_local, prefix_peer;
    xfrm_address_t local, peer;
    uint16_t local_port, peer_port; /* host byte order */
    char text[128];                 /* "A:P -> B:Q" for log lines */
    int installed_out, installed_in;
};

struct ipsec {
    const ol2tp_host_api_t *host;
    ol2tp_plugin_t *plugin;
    int netlink;
    uint32_t sequence;
    char *receive_buffer; /* IPSEC_RECEIVE_BUFFER bytes, 8-aligned by malloc */
    uint32_t priority;
    uint32_t reqid;
    int optional; /* template level: 0 required, 1 use */
    int close_on_failure;
    struct ipsec_flow *flows;
};

static void ipsec_log(struct ipsec *self, int32_t level, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void ipsec_log(struct ipsec *self, int32_t level, const char *format, ...)
{
    char message[512];
    va_list arguments;
    va_start(arguments, format);
    int n = vsnprintf(message, sizeof message, format, arguments);
    va_end(arguments);
    if (n < 0) return;
    if ((size_t)n >= sizeof message) n = (int)sizeof message - 1;
    self->host->log(self->plugin, level, message, (uint32_t)n);
}

/* MARK: - Netlink plumbing */

static int netlink_open(void)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM);
    if (fd < 0) return -errno;
    struct sockaddr_nl local = {.nl_family = AF_NETLINK};
    if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    /* The kernel answers at once; the timeout only guards a broken kernel. */
    struct timeval timeout = {.tv_sec = 2, .tv_usec = 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    return fd;
}

static int netlink_send(struct ipsec *self, struct nlmsghdr *request)
{
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    request->nlmsg_seq = ++self->sequence;
    ssize_t sent;
    do {
        sent = sendto(self->netlink, request, request->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0) return -errno;
    return 0;
}

/*
 * Receives the answers to the last request. `on_message` sees every
 * non-error message (dumps, GETPOLICY answers). Returns 0 on success (ACK or
 * NLMSG_DONE), or the negative errno the kernel reported.
 */
static int netlink_receive(struct ipsec *self, int is_dump,
                           void (*on_message)(struct ipsec *, const struct nlmsghdr *, void *), void *context)
{
    char *buffer = self->receive_buffer;
    for (;;) {
        ssize_t received;
        do {
            received = recv(self->netlink, buffer, IPSEC_RECEIVE_BUFFER, 0);
        } while (received < 0 && errno == EINTR);
        if (received < 0) return errno == EAGAIN ? -ETIMEDOUT : -errno;
        if (received == 0) return -EPIPE;
        size_t length = (size_t)received;
        for (size_t offset = 0; offset + NLMSG_HDRLEN <= length;) {
            const struct nlmsghdr *header = (const struct nlmsghdr *)(buffer + offset);
            if (header->nlmsg_len < NLMSG_HDRLEN || header->nlmsg_len > length - offset) break;
            offset += NLMSG_ALIGN(header->nlmsg_len);
            if (header->nlmsg_seq != self->sequence) continue; /* stale answer to an old request */
            if (header->nlmsg_type == NLMSG_DONE) return 0;
            if (header->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *error = NLMSG_DATA(header);
                if (header->nlmsg_len < NLMSG_LENGTH(sizeof *error)) return -EBADMSG;
                return error->error; /* 0 is the ACK */
            }
            if (on_message != NULL) on_message(self, header, context);
            if (!is_dump) {
                /* A single answer without NLM_F_ACK ends here. */
                return 0;
            }
        }
    }
}

static void *netlink_append(struct nlmsghdr *header, size_t capacity, size_t length)
{
    size_t offset = NLMSG_ALIGN(header->nlmsg_len);
    if (offset + length > capacity) return NULL;
    void *data = (char *)header + offset;
    memset(data, 0, length);
    header->nlmsg_len = (uint32_t)(offset + length);
    return data;
}

static void *netlink_append_attribute(struct nlmsghdr *header, size_t capacity, uint16_t type, size_t length)
{
    struct nlattr *attribute = netlink_append(header, capacity, NLA_HDRLEN + NLA_ALIGN(length));
    if (attribute == NULL) return NULL;
    attribute->nla_type = type;
    attribute->nla_len = (uint16_t)(NLA_HDRLEN + length);
    return (char *)attribute + NLA_HDRLEN;
}

/* MARK: - Policies */

static void flow_selector(const struct ipsec_flow *flow, int outbound, struct xfrm_selector *selector)
{
    memset(selector, 0, sizeof *selector);
    selector->family = flow->family;
    selector->proto = IPPROTO_UDP;
    selector->sport_mask = 0xffff;
    selector->dport_mask = 0xffff;
    if (outbound) {
        selector->saddr = flow->local;
        selector->daddr = flow->peer;
        selector->prefixlen_s = flow->prefix_local;
        selector->prefixlen_d = flow->prefix_peer;
        selector->sport = htons(flow->local_port);
        selector->dport = htons(flow->peer_port);
    } else {
        selector->saddr = flow->peer;
        selector->daddr = flow->local;
        selector->prefixlen_s = flow->prefix_peer;
        selector->prefixlen_d = flow->prefix_local;
        selector->sport = htons(flow->peer_port);
        selector->dport = htons(flow->local_port);
    }
}

static int policy_add(struct ipsec *self, const struct ipsec_flow *flow, int outbound)
{
    char request[IPSEC_REQUEST_BUFFER] __attribute__((aligned(8)));
    struct nlmsghdr *header = (struct nlmsghdr *)request;
    memset(header, 0, sizeof *header);
    header->nlmsg_len = NLMSG_HDRLEN;
    header->nlmsg_type = XFRM_MSG_NEWPOLICY;
    /* NEWPOLICY is exclusive: an existing policy for this selector (ours or
     * not) makes it fail with EEXIST instead of being replaced. */
    header->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;

    struct xfrm_userpolicy_info *policy = netlink_append(header, sizeof request, sizeof *policy);
    flow_selector(flow, outbound, &policy->sel);
    policy->lft.soft_byte_limit = XFRM_INF;
    policy->lft.hard_byte_limit = XFRM_INF;
    policy->lft.soft_packet_limit = XFRM_INF;
    policy->lft.hard_packet_limit = XFRM_INF;
    policy->priority = self->priority;
    policy->dir = outbound ? XFRM_POLICY_OUT : XFRM_POLICY_IN;
    policy->action = XFRM_POLICY_ALLOW;
    policy->share = XFRM_SHARE_ANY;

    struct xfrm_user_tmpl *template = netlink_append_attribute(header, sizeof request, XFRMA_TMPL, sizeof *template);
    if (template == NULL) return -ENOBUFS;
    template->family = flow->family;
    template->id.proto = IPPROTO_ESP;
    template->mode = XFRM_MODE_TRANSPORT;
    template->reqid = self->reqid;
    template->optional = (uint8_t)self->optional;
    template->share = XFRM_SHARE_ANY;
    template->aalgos = ~(uint32_t)0;
    template->ealgos = ~(uint32_t)0;
    template->calgos = ~(uint32_t)0;

    int rc = netlink_send(self, header);
    return rc != 0 ? rc : netlink_receive(self, 0, NULL, NULL);
}

/* What a policy message says, as far as ownership and protection go. */
struct policy_shape {
    int esp_transport_only; /* exactly one template: ESP, transport mode */
    int esp_required;       /* some template requires ESP (not level use) */
    int foreign_scope;      /* a mark, an interface id or a sub policy type */
};

static int policy_examine(const struct nlmsghdr *header, struct policy_shape *shape)
{
    const struct xfrm_userpolicy_info *policy = NLMSG_DATA(header);
    memset(shape, 0, sizeof *shape);
    if (header->nlmsg_len < NLMSG_LENGTH(sizeof *policy)) return -EBADMSG;
    size_t remaining = header->nlmsg_len - NLMSG_LENGTH(sizeof *policy);
    const char *cursor = (const char *)policy + NLMSG_ALIGN(sizeof *policy);
    while (remaining >= NLA_HDRLEN) {
        const struct nlattr *attribute = (const struct nlattr *)cursor;
        if (attribute->nla_len < NLA_HDRLEN || attribute->nla_len > remaining) break;
        const void *payload = cursor + NLA_HDRLEN;
        size_t length = attribute->nla_len - NLA_HDRLEN;
        switch (attribute->nla_type & NLA_TYPE_MASK) {
        case XFRMA_TMPL: {
            const struct xfrm_user_tmpl *templates = payload;
            size_t count = length / sizeof *templates;
            shape->esp_transport_only =
                count == 1 && templates[0].id.proto == IPPROTO_ESP && templates[0].mode == XFRM_MODE_TRANSPORT;
            for (size_t i = 0; i < count; i++)
                if (templates[i].id.proto == IPPROTO_ESP && !templates[i].optional) shape->esp_required = 1;
            break;
        }
        case XFRMA_MARK: {
            const struct xfrm_mark *mark = payload;
            if (length >= sizeof *mark && (mark->v != 0 || mark->m != 0)) shape->foreign_scope = 1;
            break;
        }
        case XFRMA_POLICY_TYPE: {
            const struct xfrm_userpolicy_type *type = payload;
            if (length >= sizeof *type && type->type != XFRM_POLICY_TYPE_MAIN) shape->foreign_scope = 1;
            break;
        }
        case XFRMA_IF_ID: {
            uint32_t if_id = 0;
            if (length >= sizeof if_id) memcpy(&if_id, payload, sizeof if_id);
            if (if_id != 0) shape->foreign_scope = 1;
            break;
        }
        default:
            break;
        }
        size_t step = NLA_ALIGN(attribute->nla_len);
        if (step >= remaining) break;
        remaining -= step;
        cursor += step;
    }
    return 0;
}

/* True when a policy has the shape this plugin installs and carries our tag. */
static int policy_is_ours(const struct ipsec *self, const struct nlmsghdr *header)
{
    const struct xfrm_userpolicy_info *policy = NLMSG_DATA(header);
    struct policy_shape shape;
    if (policy_examine(header, &shape) != 0) return 0;
    if (policy->priority != self->priority || policy->sel.proto != IPPROTO_UDP) return 0;
    if (policy->dir != XFRM_POLICY_IN && policy->dir != XFRM_POLICY_OUT) return 0;
    return shape.esp_transport_only && !shape.foreign_scope && policy->action == XFRM_POLICY_ALLOW;
}

static int policy_delete_by_index(struct ipsec *self, uint32_t index, uint8_t dir)
{
    char request[IPSEC_REQUEST_BUFFER] __attribute__((aligned(8)));
    struct nlmsghdr *header = (struct nlmsghdr *)request;
    memset(header, 0, sizeof *header);
    header->nlmsg_len = NLMSG_HDRLEN;
    header->nlmsg_type = XFRM_MSG_DELPOLICY;
    header->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    struct xfrm_userpolicy_id *id = netlink_append(header, sizeof request, sizeof *id);
    id->index = index;
    id->dir = dir;
    int rc = netlink_send(self, header);
    return rc != 0 ? rc : netlink_receive(self, 0, NULL, NULL);
}

struct policy_lookup {
    int found, ours, protects;
    uint32_t index;
};

static void policy_lookup_answer(struct ipsec *self, const struct nlmsghdr *header, void *context)
{
    struct policy_lookup *lookup = context;
    if (header->nlmsg_type != XFRM_MSG_NEWPOLICY) return;
    const struct xfrm_userpolicy_info *policy = NLMSG_DATA(header);
    struct policy_shape shape;
    if (policy_examine(header, &shape) != 0) return;
    lookup->found = 1;
    lookup->ours = policy_is_ours(self, header);
    lookup->protects = policy->action == XFRM_POLICY_ALLOW && shape.esp_required;
    lookup->index = policy->index;
}

/* Reads the policy for the flow's selector in one direction (no mark). */
static int policy_find(struct ipsec *self, const struct ipsec_flow *flow, int outbound, struct policy_lookup *lookup)
{
    char request[IPSEC_REQUEST_BUFFER] __attribute__((aligned(8)));
    struct nlmsghdr *header = (struct nlmsghdr *)request;
    memset(header, 0, sizeof *header);
    memset(lookup, 0, sizeof *lookup);
    header->nlmsg_len = NLMSG_HDRLEN;
    header->nlmsg_type = XFRM_MSG_GETPOLICY;
    header->nlmsg_flags = NLM_F_REQUEST;
    struct xfrm_userpolicy_id *id = netlink_append(header, sizeof request, sizeof *id);
    flow_selector(flow, outbound, &id->sel);
    id->dir = outbound ? XFRM_POLICY_OUT : XFRM_POLICY_IN;
    int rc = netlink_send(self, header);
    if (rc == 0) rc = netlink_receive(self, 0, policy_lookup_answer, lookup);
    if (rc == 0 && !lookup->found) rc = -ENOENT;
    return rc;
}

/* Deletes the flow's policy in one direction, after checking it is still ours. */
static int policy_remove(struct ipsec *self, const struct ipsec_flow *flow, int outbound)
{
    struct policy_lookup lookup;
    int rc = policy_find(self, flow, outbound, &lookup);
    if (rc != 0) return rc;
    if (!lookup.ours) return -EPERM; /* replaced by someone else: not ours to delete */
    return policy_delete_by_index(self, lookup.index, outbound ? XFRM_POLICY_OUT : XFRM_POLICY_IN);
}

/* MARK: - Leftovers */

struct leftovers {
    size_t count, capacity;
    struct { uint32_t index; uint8_t dir; } *items;
    int out_of_memory;
};

static void leftovers_collect(struct ipsec *self, const struct nlmsghdr *header, void *context)
{
    struct leftovers *list = context;
    if (header->nlmsg_type != XFRM_MSG_NEWPOLICY || !policy_is_ours(self, header)) return;
    const struct xfrm_userpolicy_info *policy = NLMSG_DATA(header);
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 16;
        void *grown = realloc(list->items, capacity * sizeof *list->items);
        if (grown == NULL) {
            list->out_of_memory = 1;
            return;
        }
        list->items = grown;
        list->capacity = capacity;
    }
    list->items[list->count].index = policy->index;
    list->items[list->count].dir = policy->dir;
    list->count++;
}

/* Deletes every policy with our tag: we have no tunnels yet, so they are
 * leftovers of a previous run (crash, kill -9). Returns 0 or -errno. */
static int remove_leftovers(struct ipsec *self)
{
    char request[NLMSG_HDRLEN] __attribute__((aligned(8)));
    struct nlmsghdr *header = (struct nlmsghdr *)request;
    memset(header, 0, sizeof *header);
    header->nlmsg_len = NLMSG_HDRLEN;
    header->nlmsg_type = XFRM_MSG_GETPOLICY;
    header->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    struct leftovers list = {0};
    int rc = netlink_send(self, header);
    if (rc == 0) rc = netlink_receive(self, 1, leftovers_collect, &list);
    if (rc != 0) {
        free(list.items);
        return rc;
    }
    size_t removed = 0;
    for (size_t i = 0; i < list.count; i++) {
        int deleted = policy_delete_by_index(self, list.items[i].index, list.items[i].dir);
        if (deleted == 0 || deleted == -ENOENT) {
            removed++;
        } else {
            ipsec_log(self, OL2TP_LOG_ERROR, "cannot remove leftover policy index %u: %s", list.items[i].index,
                      strerror(-deleted));
        }
    }
    if (list.count > 0)
        ipsec_log(self, OL2TP_LOG_NOTICE, "removed %zu leftover policies with priority %u from an earlier run",
                  removed, self->priority);
    if (list.out_of_memory) ipsec_log(self, OL2TP_LOG_WARNING, "out of memory listing leftover policies");
    free(list.items);
    return 0;
}

/* MARK: - Flows */

static int parse_address(const char *text, uint16_t *family, xfrm_address_t *address, uint8_t *prefix)
{
    memset(address, 0, sizeof *address);
    if (inet_pton(AF_INET, text, &address->a4) == 1) {
        *family = AF_INET;
        /* A socket bound to the wildcard address: any local address. */
        *prefix = address->a4 == 0 ? 0 : 32;
        return 0;
    }
    if (inet_pton(AF_INET6, text, address->a6) == 1) {
        *family = AF_INET6;
        static const uint32_t zero[4];
        *prefix = memcmp(address->a6, zero, sizeof zero) == 0 ? 0 : 128;
        return 0;
    }
    return -EINVAL;
}

static void flow_remove_policies(struct ipsec *self, struct ipsec_flow *flow, uint32_t tunnel_id)
{
    int removed = 0;
    for (int outbound = 1; outbound >= 0; outbound--) {
        int *installed = outbound ? &flow->installed_out : &flow->installed_in;
        if (!*installed) continue;
        int rc = policy_remove(self, flow, outbound);
        *installed = 0;
        if (rc == 0) {
            removed++;
            continue;
        }
        if (rc == -EPERM) {
            ipsec_log(self, OL2TP_LOG_WARNING, "tunnel %u: policy dir %s %s was replaced by another: left alone",
                      tunnel_id, outbound ? "out" : "in", flow->text);
        } else {
            ipsec_log(self, OL2TP_LOG_ERROR, "tunnel %u: cannot remove policy dir %s %s: %s", tunnel_id,
                      outbound ? "out" : "in", flow->text, strerror(-rc));
        }
    }
    if (removed > 0) ipsec_log(self, OL2TP_LOG_INFO, "tunnel %u: removed policies for %s", tunnel_id, flow->text);
}

static struct ipsec_flow *flow_take(struct ipsec *self, uint32_t tunnel_id)
{
    for (struct ipsec_flow **link = &self->flows; *link != NULL; link = &(*link)->next) {
        if ((*link)->tunnel_id == tunnel_id) {
            struct ipsec_flow *flow = *link;
            *link = flow->next;
            return flow;
        }
    }
    return NULL;
}

static void forget_tunnel(struct ipsec *self, uint32_t tunnel_id)
{
    struct ipsec_flow *flow;
    while ((flow = flow_take(self, tunnel_id)) != NULL) {
        flow_remove_policies(self, flow, tunnel_id);
        free(flow);
    }
}

/* MARK: - Hooks */

static int read_socket(struct ipsec *self, const ol2tp_socket_t *socket, struct ipsec_flow *flow)
{
    const char *local = NULL, *peer = NULL;
    uint32_t length = 0, local_port = 0, peer_port = 0, tunnel_id = 0;
    int rc = self->host->socket_get_u32(socket, OL2TP_SOCKET_TUNNEL_ID, &tunnel_id);
    if (rc == 0) rc = self->host->socket_get_u32(socket, OL2TP_SOCKET_LOCAL_PORT, &local_port);
    if (rc == 0) rc = self->host->socket_get_u32(socket, OL2TP_SOCKET_PEER_PORT, &peer_port);
    if (rc == 0) rc = self->host->socket_get_str(socket, OL2TP_SOCKET_LOCAL_ADDRESS, &local, &length);
    if (rc == 0) rc = self->host->socket_get_str(socket, OL2TP_SOCKET_PEER_ADDRESS, &peer, &length);
    memset(flow, 0, sizeof *flow);
    flow->tunnel_id = tunnel_id;
    if (rc != 0) {
        ipsec_log(self, OL2TP_LOG_ERROR, "tunnel %u: cannot read the socket's addresses: %s", tunnel_id,
                  strerror(-rc));
        return rc;
    }
    flow->local_port = (uint16_t)local_port;
    flow->peer_port = (uint16_t)peer_port;
    uint16_t local_family = 0, peer_family = 0;
    if (*local == '\0') local = "0.0.0.0";
    if (parse_address(local, &local_family, &flow->local, &flow->prefix_local) != 0 ||
        parse_address(peer, &peer_family, &flow->peer, &flow->prefix_peer) != 0 || flow->prefix_peer == 0) {
        ipsec_log(self, OL2TP_LOG_ERROR, "tunnel %u: unusable addresses '%s' -> '%s': no policies", tunnel_id,
                  local, peer);
        return -EINVAL;
    }
    if (local_family != peer_family) {
        if (flow->prefix_local != 0) {
            ipsec_log(self, OL2TP_LOG_ERROR, "tunnel %u: address families differ ('%s' -> '%s')", tunnel_id,
                      local, peer);
            return -EINVAL;
        }
        memset(&flow->local, 0, sizeof flow->local); /* wildcard of the peer's family */
    }
    flow->family = peer_family;
    if (peer_family == AF_INET6)
        snprintf(flow->text, sizeof flow->text, "[%s]:%u -> [%s]:%u", local, local_port, peer, peer_port);
    else
        snprintf(flow->text, sizeof flow->text, "%s:%u -> %s:%u", local, local_port, peer, peer_port);
    return 0;
}

static void fail_tunnel(struct ipsec *self, uint32_t tunnel_id)
{
    if (!self->close_on_failure || tunnel_id == 0) return;
    static const char reason[] = "IPsec policies could not be installed";
    self->host->tunnel_close(self->plugin, tunnel_id, reason, sizeof reason - 1);
}

static void ipsec_socket_connected(void *user_data, const ol2tp_socket_t *socket)
{
    struct ipsec *self = user_data;
    struct ipsec_flow *flow = calloc(1, sizeof *flow);
    if (flow == NULL) {
        ipsec_log(self, OL2TP_LOG_ERROR, "out of memory: no policies for a connected tunnel socket");
        return;
    }
    if (read_socket(self, socket, flow) != 0) {
        uint32_t tunnel_id = flow->tunnel_id;
        free(flow);
        fail_tunnel(self, tunnel_id);
        return;
    }
    forget_tunnel(self, flow->tunnel_id); /* a reconnect without a disconnect */
    for (int outbound = 1; outbound >= 0; outbound--) {
        int rc = policy_add(self, flow, outbound);
        if (rc == -EEXIST) {
            /* Someone else's policy has this exact selector (a hand-written
             * one, an IKE daemon's). If it requires ESP the flow is protected
             * anyway: leave it alone and do not remove it later. */
            struct policy_lookup existing;
            if (policy_find(self, flow, outbound, &existing) == 0 && existing.protects && !existing.ours) {
                ipsec_log(self, OL2TP_LOG_NOTICE,
                          "tunnel %u: policy dir %s for %s exists already and requires ESP: kept, not added",
                          flow->tunnel_id, outbound ? "out" : "in", flow->text);
                continue;
            }
        }
        if (rc != 0) {
            ipsec_log(self, OL2TP_LOG_ERROR, "tunnel %u: cannot add policy dir %s %s: %s%s", flow->tunnel_id,
                      outbound ? "out" : "in", flow->text, strerror(-rc),
                      rc == -EEXIST ? " (a policy without ESP exists for this flow; not replaced)" : "");
            flow_remove_policies(self, flow, flow->tunnel_id);
            uint32_t tunnel_id = flow->tunnel_id;
            free(flow);
            fail_tunnel(self, tunnel_id);
            return;
        }
        if (outbound) flow->installed_out = 1; else flow->installed_in = 1;
    }
    flow->next = self->flows;
    self->flows = flow;
    const char *which = flow->installed_out && flow->installed_in ? "out and in"
                        : flow->installed_out                        ? "out"
                        : flow->installed_in                         ? "in"
                                                                     : "none (both exist already)";
    ipsec_log(self, OL2TP_LOG_INFO, "tunnel %u: IPsec policies installed: ESP transport %s for %s (priority %u)",
              flow->tunnel_id, which, flow->text, self->priority);
}

static void ipsec_socket_disconnected(void *user_data, const ol2tp_socket_t *socket)
{
    struct ipsec *self = user_data;
    uint32_t tunnel_id = 0;
    if (self->host->socket_get_u32(socket, OL2TP_SOCKET_TUNNEL_ID, &tunnel_id) == 0) forget_tunnel(self, tunnel_id);
}

static void ipsec_tunnel_deleted(void *user_data, const ol2tp_tunnel_t *tunnel)
{
    struct ipsec *self = user_data;
    uint32_t tunnel_id = 0;
    if (self->host->tunnel_get_u32(tunnel, OL2TP_TUNNEL_ID, &tunnel_id) == 0) forget_tunnel(self, tunnel_id);
}

static void ipsec_destroy(void *user_data)
{
    struct ipsec *self = user_data;
    while (self->flows != NULL) forget_tunnel(self, self->flows->tunnel_id);
    if (self->netlink >= 0) close(self->netlink);
    free(self->receive_buffer);
    free(self);
}

/* MARK: - Loading */

static int parse_number(const char *text, size_t length, uint32_t *value)
{
    char digits[16];
    if (length == 0 || length >= sizeof digits) return -EINVAL;
    memcpy(digits, text, length);
    digits[length] = '\0';
    char *end = NULL;
    errno = 0;
    unsigned long number = strtoul(digits, &end, 10);
    if (errno != 0 || *end != '\0' || digits[0] == '-' || number > UINT32_MAX) return -EINVAL;
    *value = (uint32_t)number;
    return 0;
}

static int parse_arguments(struct ipsec *self, const char *args, uint32_t args_len)
{
    const char *cursor = args, *end = args + args_len;
    while (cursor < end) {
        const char *comma = memchr(cursor, ',', (size_t)(end - cursor));
        const char *item_end = comma ? comma : end;
        const char *equals = memchr(cursor, '=', (size_t)(item_end - cursor));
        if (item_end == cursor) {
            cursor = item_end + 1;
            continue;
        }
        if (equals == NULL) {
            ipsec_log(self, OL2TP_LOG_ERROR, "argument '%.*s' is not key=value", (int)(item_end - cursor), cursor);
            return -EINVAL;
        }
        size_t key_length = (size_t)(equals - cursor);
        const char *value = equals + 1;
        size_t value_length = (size_t)(item_end - value);
#define KEY_IS(name) (key_length == sizeof(name) - 1 && memcmp(cursor, name, key_length) == 0)
#define VALUE_IS(name) (value_length == sizeof(name) - 1 && memcmp(value, name, value_length) == 0)
        int ok = 0;
        if (KEY_IS("priority")) {
            ok = parse_number(value, value_length, &self->priority) == 0 && self->priority != 0;
        } else if (KEY_IS("reqid")) {
            ok = parse_number(value, value_length, &self->reqid) == 0;
        } else if (KEY_IS("level")) {
            ok = VALUE_IS("required") || VALUE_IS("use");
            self->optional = VALUE_IS("use");
        } else if (KEY_IS("on_failure")) {
            ok = VALUE_IS("close") || VALUE_IS("keep");
            self->close_on_failure = VALUE_IS("close");
        } else {
            ipsec_log(self, OL2TP_LOG_ERROR,
                      "unknown argument '%.*s' (known: priority, reqid, level, on_failure)", (int)key_length, cursor);
            return -EINVAL;
        }
        if (!ok) {
            ipsec_log(self, OL2TP_LOG_ERROR, "bad argument '%.*s' (priority=1.., reqid=N, level=required|use, "
                      "on_failure=close|keep)", (int)(item_end - cursor), cursor);
            return -EINVAL;
        }
#undef KEY_IS
#undef VALUE_IS
        cursor = item_end + 1;
    }
    return 0;
}

static int32_t ipsec_init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin, const char *args, uint32_t args_len)
{
    struct ipsec *self = calloc(1, sizeof *self);
    if (self == NULL) return -ENOMEM;
    self->host = host;
    self->plugin = plugin;
    self->netlink = -1;
    self->priority = IPSEC_DEFAULT_PRIORITY;
    self->close_on_failure = 1;
    int rc = parse_arguments(self, args, args_len);
    if (rc == 0) {
        self->receive_buffer = malloc(IPSEC_RECEIVE_BUFFER);
        if (self->receive_buffer == NULL) rc = -ENOMEM;
    }
    if (rc == 0) {
        self->netlink = netlink_open();
        if (self->netlink < 0) {
            rc = self->netlink;
            ipsec_log(self, OL2TP_LOG_ERROR, "cannot open an XFRM netlink socket: %s", strerror(-rc));
        }
    }
    if (rc == 0) {
        rc = remove_leftovers(self);
        if (rc != 0)
            ipsec_log(self, OL2TP_LOG_ERROR, "cannot list XFRM policies: %s%s", strerror(-rc),
                      rc == -EPERM ? " (needs CAP_NET_ADMIN)" : "");
    }
    if (rc == 0) {
        ol2tp_hooks_t hooks = {
            .size = sizeof hooks,
            .socket_connected = ipsec_socket_connected,
            .socket_disconnected = ipsec_socket_disconnected,
            .tunnel_deleted = ipsec_tunnel_deleted,
        };
        rc = host->register_hooks(plugin, &hooks, self, ipsec_destroy);
    }
    if (rc != 0) {
        if (self->netlink >= 0) close(self->netlink);
        free(self->receive_buffer);
        free(self);
    }
    return rc;
}

OL2TP_PLUGIN_DEFINE("ipsec", "1.0", ipsec_init)
