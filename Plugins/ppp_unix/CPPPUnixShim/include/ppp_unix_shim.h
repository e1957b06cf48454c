/* System calls Swift cannot reach directly (variadic syscall(), GNU-only
 * declarations). Implemented in shim.c, which defines _GNU_SOURCE itself so
 * this header stays compatible with Swift's Glibc module. */
#ifndef PPP_UNIX_SHIM_H
#define PPP_UNIX_SHIM_H

#include <spawn.h>
#include <sys/types.h>

/* A pidfd (close-on-exec) for a child, or -1 with errno (ENOSYS on kernels before 5.3). */
int ppp_unix_pidfd_open(pid_t pid);

/* Signals the process the pidfd refers to, never a process that reused its pid. */
int ppp_unix_pidfd_send_signal(int pidfd, int sig);

/* posix_spawn file action: close every fd >= low in the child (glibc 2.34+). */
int ppp_unix_spawn_closefrom(posix_spawn_file_actions_t *actions, int low);

/* Sets a process's nice value (setpriority; the PRIO_PROCESS enum type differs between C libraries). */
int ppp_unix_set_nice(pid_t pid, int nice);

/* A non-blocking, close-on-exec eventfd used to wake a poll() loop. */
int ppp_unix_eventfd(void);

#endif
