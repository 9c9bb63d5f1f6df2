/* The shim's own file descriptors live at high numbers (see ownfd.c). */
#ifndef LC_OWNFD_H
#define LC_OWNFD_H
#include "resolve.h"

/* Move fd (opened by shim code) above the range programs use; returns the new fd (or fd when it cannot). */
int lc_fd_hide(int fd);
/* For wrappers of calls that create fds: fds made while the shim itself runs are moved up. */
#define LC_HIDE_PAIR(r, fds) do { if ((r) == 0 && lc_in_shim) { (fds)[0] = lc_fd_hide((fds)[0]); \
                                  (fds)[1] = lc_fd_hide((fds)[1]); } } while (0)
#endif
