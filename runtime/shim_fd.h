/* The shim's own file descriptors live at high numbers, out of the program's way. */
#ifndef LC_SHIM_FD_H
#define LC_SHIM_FD_H

/* Move fd (opened by shim code) above the range programs use; returns the new fd, or fd when it cannot. Raw
 * system calls only; keeps errno. */
int lc_fd_hide(int fd);

/* The one fd the shim keeps open while the program runs (the lifecycle's copy of stderr; -1: none). The
 * program never reaches it: the fd wrappers answer as for a closed fd, close_range() goes around it, and a
 * program that wants its number (dup2 onto it) gets it, the shim's copy moving elsewhere first. */
void lc_fd_keep(int fd);
int lc_fd_kept(void);
/* The program is about to make fd its own: when it is the kept one, that moves to another number. */
void lc_fd_make_room(int fd);
#endif
