/* A small buffered writer over a file descriptor: reports never go through stdio (the program may have its own
 * buffered data in stderr's FILE), and writes loop over write(2) until done. */
#ifndef LC_BUFFERED_WRITER_H
#define LC_BUFFERED_WRITER_H
#include <stddef.h>

struct lc_bufw {
    int fd;
    int failed;               /* a write failed: the rest is dropped */
    int err;                  /* why (errno) */
    size_t n;                 /* bytes buffered */
    size_t col;               /* column of the next character (for alignment) */
    char buf[8192];
};

void bw_init(struct lc_bufw *w, int fd);
void bw_write(struct lc_bufw *w, const char *p, size_t n);
void bw_puts(struct lc_bufw *w, const char *s);
void bw_printf(struct lc_bufw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Spaces up to column col, at least min of them. */
void bw_pad(struct lc_bufw *w, size_t col, size_t min);
void bw_flush(struct lc_bufw *w);
#endif
