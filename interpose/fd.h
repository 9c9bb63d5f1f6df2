/* Shared by the fd wrappers (fd.c, fdwait.c). */
#ifndef LC_FD_H
#define LC_FD_H
/* fd was closed: forget what it was given if it was an epoll fd. */
void lc_epoll_closed(int fd);
#endif
