// Generic netlink "l2tp" family requests through libnl-genl-3.
// Kernel facts: include/uapi/linux/l2tp.h (commands, attribute numbers).
#define _GNU_SOURCE
#include "CL2TPKernel.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/l2tp.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

struct cl2tp_nl {
    struct nl_sock *sock;
    int family;
};

// MARK: - Errors

/// libnl reports its own NLE_* codes; map the few that are not kernel errors back to
/// errno. Kernel errors are captured raw by `on_error` below.
static int nle_to_errno(int nle) {
    switch (nle < 0 ? -nle : nle) {
    case 0: return 0;
    case NLE_NOMEM: return -ENOMEM;
    case NLE_INVAL: return -EINVAL;
    case NLE_RANGE: return -ERANGE;
    case NLE_MSGSIZE: return -EMSGSIZE;
    case NLE_OBJ_NOTFOUND: return -ENOENT;
    case NLE_PERM: return -EPERM;
    case NLE_NOACCESS: return -EACCES;
    case NLE_AF_NOSUPPORT: return -EAFNOSUPPORT;
    case NLE_PROTO_MISMATCH: return -EPROTONOSUPPORT;
    case NLE_BUSY: return -EBUSY;
    case NLE_EXIST: return -EEXIST;
    case NLE_AGAIN: return -EAGAIN;
    case NLE_INTR: return -EINTR;
    case NLE_BAD_SOCK: return -EBADF;
    case NLE_OPNOTSUPP: return -EOPNOTSUPP;
    case NLE_SEQ_MISMATCH: return -EPROTO;
    default: return -EIO;
    }
}

// MARK: - Open / close

int cl2tp_nl_open(cl2tp_nl **out) {
    if (!out) return -EINVAL;
    *out = NULL;
    cl2tp_nl *h = calloc(1, sizeof(*h));
    if (!h) return -ENOMEM;
    h->sock = nl_socket_alloc();
    if (!h->sock) { free(h); return -ENOMEM; }
    nl_socket_disable_auto_ack(h->sock);
    int err = genl_connect(h->sock);
    if (err < 0) {
        nl_socket_free(h->sock); free(h);
        return nle_to_errno(err);
    }
    int fd = nl_socket_get_fd(h->sock);
    if (fd >= 0) fcntl(fd, F_SETFD, FD_CLOEXEC);
    h->family = genl_ctrl_resolve(h->sock, L2TP_GENL_NAME);
    if (h->family < 0) {
        int e = h->family == -NLE_OBJ_NOTFOUND ? -ENOENT : nle_to_errno(h->family);
        nl_socket_free(h->sock); free(h);
        return e;
    }
    *out = h;
    return 0;
}

void cl2tp_nl_close(cl2tp_nl *h) {
    if (!h) return;
    nl_socket_free(h->sock);
    free(h);
}

int cl2tp_nl_family_id(const cl2tp_nl *h) { return h ? h->family : -EINVAL; }

// MARK: - Request/response

typedef int (*parse_fn)(struct nlattr **attrs, void *ctx);

struct transaction {
    int kernel_errno;   // negative errno from an NLMSG_ERROR, 0 if none
    int done;
    parse_fn parse;
    void *ctx;
    int parse_error;
};

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg) {
    (void)nla;
    struct transaction *t = arg;
    t->kernel_errno = e->error;   // already negative
    t->done = 1;
    return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg) {
    (void)msg;
    ((struct transaction *)arg)->done = 1;
    return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg) {
    (void)msg;
    ((struct transaction *)arg)->done = 1;
    return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg) {
    struct transaction *t = arg;
    if (!t->parse) return NL_OK;
    struct nlattr *attrs[L2TP_ATTR_MAX + 1];
    int err = genlmsg_parse(nlmsg_hdr(msg), 0, attrs, L2TP_ATTR_MAX, NULL);
    if (err < 0) { t->parse_error = nle_to_errno(err); return NL_SKIP; }
    int rc = t->parse(attrs, t->ctx);
    if (rc < 0) t->parse_error = rc;
    return NL_OK;
}

/// Sends `msg` (consumed) and reads replies until the ACK, NLMSG_DONE or an error.
static int transact(cl2tp_nl *h, struct nl_msg *msg, parse_fn parse, void *ctx) {
    struct transaction t = { .parse = parse, .ctx = ctx };
    int err = nl_send_auto(h->sock, msg);
    nlmsg_free(msg);
    if (err < 0) return nle_to_errno(err);
    struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
    if (!cb) return -ENOMEM;
    nl_cb_err(cb, NL_CB_CUSTOM, on_error, &t);
    nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &t);
    nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &t);
    nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);
    int rc = 0;
    while (!t.done) {
        rc = nl_recvmsgs(h->sock, cb);
        if (t.kernel_errno) break;
        if (rc < 0) break;
    }
    nl_cb_put(cb);
    if (t.kernel_errno) return t.kernel_errno;
    if (rc < 0) return nle_to_errno(rc);
    if (t.parse_error) return t.parse_error;
    return 0;
}

/// A request with NLM_F_ACK (or NLM_F_DUMP for dumps, which end with NLMSG_DONE).
static struct nl_msg *request(cl2tp_nl *h, uint8_t cmd, int dump) {
    struct nl_msg *msg = nlmsg_alloc();
    if (!msg) return NULL;
    int flags = dump ? NLM_F_DUMP : NLM_F_ACK;
    if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family, 0, flags, cmd,
                     L2TP_GENL_VERSION)) {
        nlmsg_free(msg);
        return NULL;
    }
    return msg;
}

#define PUT_OR_FAIL(expr) do { if ((expr) < 0) { nlmsg_free(msg); return -EMSGSIZE; } } while (0)

// MARK: - Parsing

static void parse_stats(struct nlattr *nest, cl2tp_stats *s) {
    memset(s, 0, sizeof(*s));
    if (!nest) return;
    struct nlattr *a[L2TP_ATTR_STATS_MAX + 1];
    if (nla_parse_nested(a, L2TP_ATTR_STATS_MAX, nest, NULL) < 0) return;
#define U64(attr, field) if (a[attr]) s->field = nla_get_u64(a[attr])
    U64(L2TP_ATTR_TX_PACKETS, tx_packets);
    U64(L2TP_ATTR_TX_BYTES, tx_bytes);
    U64(L2TP_ATTR_TX_ERRORS, tx_errors);
    U64(L2TP_ATTR_RX_PACKETS, rx_packets);
    U64(L2TP_ATTR_RX_BYTES, rx_bytes);
    U64(L2TP_ATTR_RX_SEQ_DISCARDS, rx_seq_discards);
    U64(L2TP_ATTR_RX_OOS_PACKETS, rx_oos_packets);
    U64(L2TP_ATTR_RX_ERRORS, rx_errors);
#undef U64
}

static void parse_tunnel(struct nlattr **a, cl2tp_tunnel_info *t) {
    memset(t, 0, sizeof(*t));
    if (a[L2TP_ATTR_CONN_ID]) t->tunnel_id = nla_get_u32(a[L2TP_ATTR_CONN_ID]);
    if (a[L2TP_ATTR_PEER_CONN_ID]) t->peer_tunnel_id = nla_get_u32(a[L2TP_ATTR_PEER_CONN_ID]);
    if (a[L2TP_ATTR_PROTO_VERSION]) t->proto_version = nla_get_u8(a[L2TP_ATTR_PROTO_VERSION]);
    if (a[L2TP_ATTR_ENCAP_TYPE]) t->encap_type = nla_get_u16(a[L2TP_ATTR_ENCAP_TYPE]);
    if (a[L2TP_ATTR_DEBUG]) t->debug = nla_get_u32(a[L2TP_ATTR_DEBUG]);
    if (a[L2TP_ATTR_UDP_SPORT]) { t->has_udp = 1; t->local_port = nla_get_u16(a[L2TP_ATTR_UDP_SPORT]); }
    if (a[L2TP_ATTR_UDP_DPORT]) t->peer_port = nla_get_u16(a[L2TP_ATTR_UDP_DPORT]);
    // The kernel puts ports in host order and addresses in network order.
    if (a[L2TP_ATTR_IP_SADDR]) { t->family = AF_INET; memcpy(t->local_addr, nla_data(a[L2TP_ATTR_IP_SADDR]), 4); }
    if (a[L2TP_ATTR_IP_DADDR]) memcpy(t->peer_addr, nla_data(a[L2TP_ATTR_IP_DADDR]), 4);
    if (a[L2TP_ATTR_IP6_SADDR]) { t->family = AF_INET6; memcpy(t->local_addr, nla_data(a[L2TP_ATTR_IP6_SADDR]), 16); }
    if (a[L2TP_ATTR_IP6_DADDR]) memcpy(t->peer_addr, nla_data(a[L2TP_ATTR_IP6_DADDR]), 16);
    parse_stats(a[L2TP_ATTR_STATS], &t->stats);
}

static void parse_session(struct nlattr **a, cl2tp_session_info *s) {
    memset(s, 0, sizeof(*s));
    if (a[L2TP_ATTR_CONN_ID]) s->tunnel_id = nla_get_u32(a[L2TP_ATTR_CONN_ID]);
    if (a[L2TP_ATTR_SESSION_ID]) s->session_id = nla_get_u32(a[L2TP_ATTR_SESSION_ID]);
    if (a[L2TP_ATTR_PEER_CONN_ID]) s->peer_tunnel_id = nla_get_u32(a[L2TP_ATTR_PEER_CONN_ID]);
    if (a[L2TP_ATTR_PEER_SESSION_ID]) s->peer_session_id = nla_get_u32(a[L2TP_ATTR_PEER_SESSION_ID]);
    if (a[L2TP_ATTR_PW_TYPE]) s->pw_type = nla_get_u16(a[L2TP_ATTR_PW_TYPE]);
    if (a[L2TP_ATTR_SEND_SEQ]) s->send_seq = nla_get_u8(a[L2TP_ATTR_SEND_SEQ]);
    if (a[L2TP_ATTR_RECV_SEQ]) s->recv_seq = nla_get_u8(a[L2TP_ATTR_RECV_SEQ]);
    if (a[L2TP_ATTR_LNS_MODE]) s->lns_mode = nla_get_u8(a[L2TP_ATTR_LNS_MODE]);
    if (a[L2TP_ATTR_RECV_TIMEOUT]) s->recv_timeout_ms = nla_get_u64(a[L2TP_ATTR_RECV_TIMEOUT]);
    if (a[L2TP_ATTR_DEBUG]) s->debug = nla_get_u32(a[L2TP_ATTR_DEBUG]);
    if (a[L2TP_ATTR_IFNAME]) {
        strncpy(s->ifname, nla_get_string(a[L2TP_ATTR_IFNAME]), sizeof(s->ifname) - 1);
    }
    parse_stats(a[L2TP_ATTR_STATS], &s->stats);
}

struct collect {
    void *items;
    size_t item_size;
    size_t capacity;
    size_t count;
    int is_session;
};

static int collect_one(struct nlattr **attrs, void *ctx) {
    struct collect *c = ctx;
    if (c->count < c->capacity) {
        void *slot = (char *)c->items + c->count * c->item_size;
        if (c->is_session) parse_session(attrs, slot);
        else parse_tunnel(attrs, slot);
    }
    c->count++;
    return 0;
}

// MARK: - Tunnels

int cl2tp_tunnel_create(cl2tp_nl *h, const cl2tp_tunnel_create_args *args) {
    if (!h || !args || args->fd < 0 || args->tunnel_id == 0 || args->peer_tunnel_id == 0)
        return -EINVAL;
    struct nl_msg *msg = request(h, L2TP_CMD_TUNNEL_CREATE, 0);
    if (!msg) return -ENOMEM;
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_CONN_ID, args->tunnel_id));
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_PEER_CONN_ID, args->peer_tunnel_id));
    PUT_OR_FAIL(nla_put_u8(msg, L2TP_ATTR_PROTO_VERSION, args->proto_version));
    PUT_OR_FAIL(nla_put_u16(msg, L2TP_ATTR_ENCAP_TYPE, L2TP_ENCAPTYPE_UDP));
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_FD, (uint32_t)args->fd));
    if (args->udp_csum >= 0) PUT_OR_FAIL(nla_put_u8(msg, L2TP_ATTR_UDP_CSUM, (uint8_t)args->udp_csum));
    if (args->debug >= 0) PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_DEBUG, (uint32_t)args->debug));
    return transact(h, msg, NULL, NULL);
}

int cl2tp_tunnel_delete(cl2tp_nl *h, uint32_t tunnel_id) {
    if (!h || tunnel_id == 0) return -EINVAL;
    struct nl_msg *msg = request(h, L2TP_CMD_TUNNEL_DELETE, 0);
    if (!msg) return -ENOMEM;
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_CONN_ID, tunnel_id));
    return transact(h, msg, NULL, NULL);
}

int cl2tp_tunnel_modify_debug(cl2tp_nl *h, uint32_t tunnel_id, uint32_t debug) {
    if (!h || tunnel_id == 0) return -EINVAL;
    struct nl_msg *msg = request(h, L2TP_CMD_TUNNEL_MODIFY, 0);
    if (!msg) return -ENOMEM;
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_CONN_ID, tunnel_id));
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_DEBUG, debug));
    return transact(h, msg, NULL, NULL);
}

int cl2tp_tunnel_get(cl2tp_nl *h, uint32_t tunnel_id, cl2tp_tunnel_info *out) {
    if (!h || !out || tunnel_id == 0) return -EINVAL;
    struct nl_msg *msg = request(h, L2TP_CMD_TUNNEL_GET, 0);
    if (!msg) return -ENOMEM;
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_CONN_ID, tunnel_id));
    struct collect c = { .items = out, .item_size = sizeof(*out), .capacity = 1 };
    int rc = transact(h, msg, collect_one, &c);
    if (rc < 0) return rc;
    return c.count ? 0 : -ENOENT;
}

int cl2tp_tunnel_dump(cl2tp_nl *h, cl2tp_tunnel_info *out, size_t capacity) {
    if (!h || (!out && capacity)) return -EINVAL;
    struct nl_msg *msg = request(h, L2TP_CMD_TUNNEL_GET, 1);
    if (!msg) return -ENOMEM;
    struct collect c = { .items = out, .item_size = sizeof(*out), .capacity = capacity };
    int rc = transact(h, msg, collect_one, &c);
    return rc < 0 ? rc : (int)c.count;
}

// MARK: - Sessions

static int put_session_options(struct nl_msg *msg, const cl2tp_session_args *a) {
    if (a->send_seq >= 0 && nla_put_u8(msg, L2TP_ATTR_SEND_SEQ, (uint8_t)a->send_seq) < 0) return -1;
    if (a->recv_seq >= 0 && nla_put_u8(msg, L2TP_ATTR_RECV_SEQ, (uint8_t)a->recv_seq) < 0) return -1;
    if (a->lns_mode >= 0 && nla_put_u8(msg, L2TP_ATTR_LNS_MODE, (uint8_t)a->lns_mode) < 0) return -1;
    if (a->recv_timeout_ms >= 0 && nla_put_u64(msg, L2TP_ATTR_RECV_TIMEOUT, (uint64_t)a->recv_timeout_ms) < 0) return -1;
    if (a->debug >= 0 && nla_put_u32(msg, L2TP_ATTR_DEBUG, (uint32_t)a->debug) < 0) return -1;
    return 0;
}

int cl2tp_session_create(cl2tp_nl *h, const cl2tp_session_args *a) {
    if (!h || !a || a->tunnel_id == 0 || a->session_id == 0 || a->peer_session_id == 0)
        return -EINVAL;
    struct nl_msg *msg = request(h, L2TP_CMD_SESSION_CREATE, 0);
    if (!msg) return -ENOMEM;
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_CONN_ID, a->tunnel_id));
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_SESSION_ID, a->session_id));
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_PEER_SESSION_ID, a->peer_session_id));
    PUT_OR_FAIL(nla_put_u16(msg, L2TP_ATTR_PW_TYPE, a->pw_type));
    PUT_OR_FAIL(put_session_options(msg, a));
    return transact(h, msg, NULL, NULL);
}

int cl2tp_session_modify(cl2tp_nl *h, const cl2tp_session_args *a) {
    if (!h || !a || a->tunnel_id == 0 || a->session_id == 0) return -EINVAL;
    struct nl_msg *msg = request(h, L2TP_CMD_SESSION_MODIFY, 0);
    if (!msg) return -ENOMEM;
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_CONN_ID, a->tunnel_id));
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_SESSION_ID, a->session_id));
    PUT_OR_FAIL(put_session_options(msg, a));
    return transact(h, msg, NULL, NULL);
}

int cl2tp_session_delete(cl2tp_nl *h, uint32_t tunnel_id, uint32_t session_id) {
    if (!h || tunnel_id == 0 || session_id == 0) return -EINVAL;
    struct nl_msg *msg = request(h, L2TP_CMD_SESSION_DELETE, 0);
    if (!msg) return -ENOMEM;
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_CONN_ID, tunnel_id));
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_SESSION_ID, session_id));
    return transact(h, msg, NULL, NULL);
}

int cl2tp_session_get(cl2tp_nl *h, uint32_t tunnel_id, uint32_t session_id,
                      cl2tp_session_info *out) {
    if (!h || !out || tunnel_id == 0 || session_id == 0) return -EINVAL;
    struct nl_msg *msg = request(h, L2TP_CMD_SESSION_GET, 0);
    if (!msg) return -ENOMEM;
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_CONN_ID, tunnel_id));
    PUT_OR_FAIL(nla_put_u32(msg, L2TP_ATTR_SESSION_ID, session_id));
    struct collect c = { .items = out, .item_size = sizeof(*out), .capacity = 1, .is_session = 1 };
    int rc = transact(h, msg, collect_one, &c);
    if (rc < 0) return rc;
    return c.count ? 0 : -ENOENT;
}

int cl2tp_session_dump(cl2tp_nl *h, cl2tp_session_info *out, size_t capacity) {
    if (!h || (!out && capacity)) return -EINVAL;
    struct nl_msg *msg = request(h, L2TP_CMD_SESSION_GET, 1);
    if (!msg) return -ENOMEM;
    struct collect c = { .items = out, .item_size = sizeof(*out), .capacity = capacity, .is_session = 1 };
    int rc = transact(h, msg, collect_one, &c);
    return rc < 0 ? rc : (int)c.count;
}
