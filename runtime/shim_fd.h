/* The shim's own file descriptors live at high numbers, out of the program's way. */
#ifndef LC_SHIM_FD_H
#define LC_SHIM_FD_H

/* Move fd (opened by shim code) above the range programs use; returns the new fd, or fd when it cannot. Raw
 * system calls only; keeps errno. */
int lc_fd_hide(int fd);
#endif
