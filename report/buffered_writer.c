/* Buffered report writer: a fixed buffer flushed with the raw write system call (not the possibly wrapped
 * write() symbol), retried on EINTR and short writes. */
#include "buffered_writer.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

void bw_init(struct lc_bufw *w, int fd)
{
    w->fd = fd;
    w->failed = 0;
    w->err = 0;
    w->n = 0;
    w->col = 0;
}

void bw_flush(struct lc_bufw *w)
{
    size_t off = 0;
    int saved = errno;
    while (off < w->n && !w->failed) {
        long r = syscall(SYS_write, w->fd, w->buf + off, w->n - off);
        if (r > 0)
            off += (size_t)r;
        else if (r < 0 && errno == EINTR)
            continue;
        else {
            w->failed = 1;
            w->err = r < 0 ? errno : ENOSPC;
        }
    }
    w->n = 0;
    errno = saved;
}

void bw_write(struct lc_bufw *w, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (w->n == sizeof w->buf)
            bw_flush(w);
        w->buf[w->n++] = p[i];
        w->col = p[i] == '\n' ? 0 : w->col + 1;
    }
}

void bw_puts(struct lc_bufw *w, const char *s)
{
    bw_write(w, s, strlen(s));
}

void bw_printf(struct lc_bufw *w, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        bw_write(w, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void bw_pad(struct lc_bufw *w, size_t col, size_t min)
{
    size_t k = w->col < col ? col - w->col : 0;
    if (k < min)
        k = min;
    while (k--)
        bw_write(w, " ", 1);
}
