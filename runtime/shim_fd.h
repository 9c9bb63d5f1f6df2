/* The shim's own file descriptors live at high numbers, out of the program's way and out of its reach. */
#ifndef LC_SHIM_FD_H
#define LC_SHIM_FD_H

/* Move fd (opened by shim code) above the range programs use and mark it the shim's; returns the new fd, or
 * fd when it cannot move. Raw system calls only; keeps errno. */
int lc_fd_hide(int fd);
/* Whether fd is one of the shim's: the fd wrappers answer the program as for a closed fd, close_range() goes
 * around it. The shim closed it: no longer. */
int lc_fd_shim(int fd);
/* The lowest of the shim's fds from `from` on, or -1. */
int lc_fd_shim_next(int from);
void lc_fd_release(int fd);
/* The program makes fd its own (dup2 onto it): it gets it. The lifecycle's copy of stderr moves elsewhere
 * first; the other fds' holders (libunwind, libdw) find theirs gone. */
void lc_fd_make_room(int fd);

/* The lifecycle's copy of stderr, kept while the program runs (-1: none). */
void lc_fd_keep(int fd);
int lc_fd_kept(void);
#endif
