#define _GNU_SOURCE
#include "ppp_unix_shim.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

int ppp_unix_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int ppp_unix_pidfd_send_signal(int pidfd, int sig) { return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0); }

int ppp_unix_spawn_closefrom(posix_spawn_file_actions_t *actions, int low)
{
    return posix_spawn_file_actions_addclosefrom_np(actions, low);
}

int ppp_unix_eventfd(void) { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }

int ppp_unix_set_nice(pid_t pid, int nice) { return setpriority(PRIO_PROCESS, (id_t)pid, nice); }
