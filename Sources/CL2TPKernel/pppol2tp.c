// PPPoL2TP session sockets (drivers: net/l2tp/l2tp_ppp.c) and small fd helpers.
#define _GNU_SOURCE
#include "CL2TPKernel.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

// Values from <linux/if_pppox.h> and <linux/if_pppol2tp.h>; that header pair
// clashes with glibc's, so the few facts we need are restated here.
enum { CL2TP_AF_PPPOX = 24, CL2TP_PX_PROTO_OL2TP = 1, CL2TP_SOL_PPPOL2TP = 273 };

/// struct sockaddr_pppol2tp: the kernel tells the L2TPv2/IPv4 variant apart from
/// the others by this exact size (38 bytes, packed).
struct cl2tp_sockaddr_pppol2tp {
    uint16_t sa_family;      // AF_PPPOX
    uint32_t sa_protocol;    // PX_PROTO_OL2TP
    struct {
        int32_t pid;         // 0: the current process
        int32_t fd;          // tunnel UDP socket, or -1 for a netlink-made tunnel
        struct sockaddr_in addr;
        uint16_t s_tunnel, s_session;
        uint16_t d_tunnel, d_session;
    } __attribute__((packed)) pppol2tp;
} __attribute__((packed));

_Static_assert(sizeof(struct cl2tp_sockaddr_pppol2tp) == 38, "sockaddr_pppol2tp must be 38 bytes");

int cl2tp_open_current_netns(void) {
    int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

static int same_file(int a, int b) {
    struct stat sa, sb;
    if (fstat(a, &sa) < 0 || fstat(b, &sb) < 0) return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/// socket() in the namespace `netns_fd`, switching this thread there and back
/// only when it is elsewhere (setns needs CAP_SYS_ADMIN).
static int pppox_socket_in(int netns_fd) {
    int here = -1;
    if (netns_fd >= 0) {
        here = cl2tp_open_current_netns();
        if (here < 0) return here;
        if (same_file(here, netns_fd)) { close(here); here = -1; }
        else if (setns(netns_fd, CLONE_NEWNET) < 0) { int e = errno; close(here); return -e; }
    }
    int fd = socket(CL2TP_AF_PPPOX, SOCK_DGRAM | SOCK_CLOEXEC, CL2TP_PX_PROTO_OL2TP);
    int e = errno;
    if (here >= 0) {
        if (setns(here, CLONE_NEWNET) < 0) {
            // Stuck in the wrong namespace: report it rather than carry on there.
            e = errno;
            if (fd >= 0) close(fd);
            fd = -1;
        }
        close(here);
    }
    return fd < 0 ? -e : fd;
}

int cl2tp_pppol2tp_connect(int32_t netns_fd, int32_t tunnel_fd, uint16_t tunnel_id,
                           uint16_t session_id, uint16_t peer_tunnel_id,
                           uint16_t peer_session_id) {
    if (tunnel_id == 0 || session_id == 0) return -EINVAL;
    int fd = pppox_socket_in(netns_fd);
    if (fd < 0) return fd;
    struct cl2tp_sockaddr_pppol2tp sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_family = CL2TP_AF_PPPOX;
    sa.sa_protocol = CL2TP_PX_PROTO_OL2TP;
    sa.pppol2tp.pid = 0;
    sa.pppol2tp.fd = tunnel_fd;
    sa.pppol2tp.addr.sin_family = AF_INET;
    sa.pppol2tp.s_tunnel = tunnel_id;
    sa.pppol2tp.s_session = session_id;
    sa.pppol2tp.d_tunnel = peer_tunnel_id;
    sa.pppol2tp.d_session = peer_session_id;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

int cl2tp_pppol2tp_setopt(int fd, int option, int value) {
    if (setsockopt(fd, CL2TP_SOL_PPPOL2TP, option, &value, sizeof(value)) < 0) return -errno;
    return 0;
}

int cl2tp_pppol2tp_getopt(int fd, int option, int *value) {
    if (!value) return -EINVAL;
    socklen_t len = sizeof(*value);
    if (getsockopt(fd, CL2TP_SOL_PPPOL2TP, option, value, &len) < 0) return -errno;
    return 0;
}

int cl2tp_enter_netns(const char *path) {
    if (!path) return -EINVAL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    int rc = setns(fd, CLONE_NEWNET);
    int e = errno;
    close(fd);
    return rc < 0 ? -e : 0;
}

int cl2tp_set_cloexec(int fd, int on) {
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0) return -errno;
    flags = on ? (flags | FD_CLOEXEC) : (flags & ~FD_CLOEXEC);
    if (fcntl(fd, F_SETFD, flags) < 0) return -errno;
    return 0;
}
