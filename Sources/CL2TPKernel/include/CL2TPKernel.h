// A small C shim over the Linux kernel's L2TP datapath: the generic netlink family
// "l2tp" (through libnl-genl-3) and PPPoL2TP sockets.
//
// Every function returns 0 (or a non-negative count/fd) on success and a negative
// errno on failure, exactly as the kernel reported it, so Swift can name the cause.
// Every file descriptor this shim creates is close-on-exec: only the PPPoL2TP fd
// handed to pppd may be inherited, and the daemon clears FD_CLOEXEC on it itself.
#ifndef CL2TP_KERNEL_H
#define CL2TP_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Netlink handle

/// An open generic netlink socket with the resolved "l2tp" family id. The socket
/// belongs to the network namespace the calling thread was in when it was opened.
typedef struct cl2tp_nl cl2tp_nl;

/// Opens a netlink socket and resolves the "l2tp" family. -ENOENT when the kernel
/// has no such family (no L2TP support, or l2tp_netlink not loaded).
int cl2tp_nl_open(cl2tp_nl **out);
void cl2tp_nl_close(cl2tp_nl *handle);
int cl2tp_nl_family_id(const cl2tp_nl *handle);

// MARK: - Statistics

/// Counters from the nested L2TP_ATTR_STATS attribute.
typedef struct cl2tp_stats {
    uint64_t tx_packets;
    uint64_t tx_bytes;
    uint64_t tx_errors;
    uint64_t rx_packets;
    uint64_t rx_bytes;
    uint64_t rx_seq_discards;
    uint64_t rx_oos_packets;
    uint64_t rx_errors;
} cl2tp_stats;

// MARK: - Tunnels

typedef struct cl2tp_tunnel_create_args {
    uint32_t tunnel_id;        // L2TP_ATTR_CONN_ID: our tunnel id
    uint32_t peer_tunnel_id;   // L2TP_ATTR_PEER_CONN_ID
    uint8_t proto_version;     // 2 for L2TPv2
    int32_t fd;                // the daemon's UDP socket (L2TP_ATTR_FD)
    int8_t udp_csum;           // -1 leave default, 0 off, 1 on
    int64_t debug;             // -1 leave default, else the kernel debug mask
} cl2tp_tunnel_create_args;

typedef struct cl2tp_tunnel_info {
    uint32_t tunnel_id;
    uint32_t peer_tunnel_id;
    uint8_t proto_version;
    uint16_t encap_type;
    uint32_t debug;
    uint8_t has_udp;           // 1 when the tunnel has a UDP socket (addresses valid)
    uint8_t family;            // AF_INET or AF_INET6 of the socket (0 unknown)
    uint8_t local_addr[16];    // network byte order; first 4 bytes for IPv4
    uint8_t peer_addr[16];
    uint16_t local_port;       // host byte order
    uint16_t peer_port;
    cl2tp_stats stats;
} cl2tp_tunnel_info;

int cl2tp_tunnel_create(cl2tp_nl *handle, const cl2tp_tunnel_create_args *args);
int cl2tp_tunnel_delete(cl2tp_nl *handle, uint32_t tunnel_id);
int cl2tp_tunnel_modify_debug(cl2tp_nl *handle, uint32_t tunnel_id, uint32_t debug);
int cl2tp_tunnel_get(cl2tp_nl *handle, uint32_t tunnel_id, cl2tp_tunnel_info *out);
/// Dumps all tunnels of the namespace into `out` (up to `capacity`). Returns the
/// total number found, which may exceed `capacity` (call again with more room).
int cl2tp_tunnel_dump(cl2tp_nl *handle, cl2tp_tunnel_info *out, size_t capacity);

// MARK: - Sessions

/// Session parameters. For SESSION_CREATE every id is used; for SESSION_MODIFY only
/// tunnel_id and session_id identify the session and the optional fields change it.
typedef struct cl2tp_session_args {
    uint32_t tunnel_id;
    uint32_t session_id;
    uint32_t peer_session_id;
    uint16_t pw_type;          // 7 = PPP
    int8_t send_seq;           // -1 leave, 0 off, 1 on
    int8_t recv_seq;
    int8_t lns_mode;
    int64_t recv_timeout_ms;   // -1 leave, else the reorder timeout in ms
    int64_t debug;             // -1 leave, else the debug mask
} cl2tp_session_args;

typedef struct cl2tp_session_info {
    uint32_t tunnel_id;
    uint32_t session_id;
    uint32_t peer_tunnel_id;
    uint32_t peer_session_id;
    uint16_t pw_type;
    uint8_t send_seq;
    uint8_t recv_seq;
    uint8_t lns_mode;
    uint64_t recv_timeout_ms;
    uint32_t debug;
    char ifname[16];
    cl2tp_stats stats;
} cl2tp_session_info;

int cl2tp_session_create(cl2tp_nl *handle, const cl2tp_session_args *args);
int cl2tp_session_modify(cl2tp_nl *handle, const cl2tp_session_args *args);
int cl2tp_session_delete(cl2tp_nl *handle, uint32_t tunnel_id, uint32_t session_id);
int cl2tp_session_get(cl2tp_nl *handle, uint32_t tunnel_id, uint32_t session_id,
                      cl2tp_session_info *out);
/// Dumps all sessions of the namespace; same contract as cl2tp_tunnel_dump.
int cl2tp_session_dump(cl2tp_nl *handle, cl2tp_session_info *out, size_t capacity);

// MARK: - PPPoL2TP sockets

/// Opens a PPPoL2TP socket (AF_PPPOX, PX_PROTO_OL2TP, close-on-exec) and connects it
/// with the 38-byte struct sockaddr_pppol2tp. `tunnel_fd` is -1 for tunnels created
/// over netlink. The kernel looks the tunnel up in the socket's network namespace,
/// so `netns_fd` (an open /proc/.../ns/net, or -1 for the calling thread's) names
/// the namespace to make the socket in. Returns the fd or a negative errno.
int cl2tp_pppol2tp_connect(int32_t netns_fd, int32_t tunnel_fd, uint16_t tunnel_id,
                           uint16_t session_id, uint16_t peer_tunnel_id,
                           uint16_t peer_session_id);
/// setsockopt(fd, SOL_PPPOL2TP, option, value): DEBUG 1, RECVSEQ 2, SENDSEQ 3,
/// LNSMODE 4, REORDERTO 5.
int cl2tp_pppol2tp_setopt(int fd, int option, int value);
int cl2tp_pppol2tp_getopt(int fd, int option, int *value);

// MARK: - Helpers

/// Moves the calling thread into the network namespace at `path` (for example
/// /run/netns/NAME). Sockets opened afterwards belong to that namespace.
int cl2tp_enter_netns(const char *path);
/// Opens the calling thread's network namespace (close-on-exec), to come back to it.
int cl2tp_open_current_netns(void);
/// Sets or clears FD_CLOEXEC.
int cl2tp_set_cloexec(int fd, int on);

#ifdef __cplusplus
}
#endif

#endif
