/* A buffered writer's output captured for the unit tests: collect() runs a writer over a memfd and returns what
 * it wrote (test_formats.c, test_encoding.c). */
#ifndef LC_UNIT_CAPTURE_H
#define LC_UNIT_CAPTURE_H
#include <check.h>
#include <stddef.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../../report/buffered_writer.h"

__attribute__((unused)) static char out[1 << 20];

/* Runs fn with a bufw over a memfd; returns the bytes written (static buffer), their count in *n. */
__attribute__((unused)) static const char *collect(void (*fn)(struct lc_bufw *, void *), void *arg, size_t *n)
{
    static struct lc_bufw w;
    int fd = memfd_create("fmt", 0);
    ck_assert_int_ge(fd, 0);
    bw_init(&w, fd);
    fn(&w, arg);
    bw_flush(&w);
    ssize_t r = pread(fd, out, sizeof out - 1, 0);
    close(fd);
    out[r > 0 ? r : 0] = 0;
    if (n)
        *n = r > 0 ? (size_t)r : 0;
    return out;
}
#endif
