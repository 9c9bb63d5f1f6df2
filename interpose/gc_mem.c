/* process_vm_readv first: one system call per read, and an unmapped address is an error, never a fault. When
 * it is refused, /proc/PID/mem, which the same permission check guards. */
#include "gc_mem.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

void gc_mem_init(struct gc_mem *m, pid_t pid)
{
    memset(m, 0, sizeof *m);
    m->pid = pid;
    m->fd = -1;
}

void gc_mem_close(struct gc_mem *m)
{
    if (m->fd >= 0)
        close(m->fd);
    m->fd = -1;
    if (m->page)
        munmap(m->page, GC_MEM_PAGES * sizeof *m->page);
    m->page = NULL;
}

void gc_mem_flush(struct gc_mem *m)
{
    memset(m->tag, 0, sizeof m->tag);
}

static int read_raw(struct gc_mem *m, uint64_t addr, void *buf, size_t n)
{
    if (n == 0)
        return 0;
    if (addr < 4096 || addr + n < addr)
        return -1;
    if (!m->no_vm) {
        struct iovec l = { buf, n }, r = { (void *)(uintptr_t)addr, n };
        m->calls++;
        ssize_t got = process_vm_readv(m->pid, &l, 1, &r, 1, 0);
        if (got == (ssize_t)n)
            return 0;
        if (got >= 0 || (errno != ENOSYS && errno != EPERM))
            return -1;
        m->no_vm = 1;
    }
    if (m->fd < 0) {
        char path[32];
        snprintf(path, sizeof path, "/proc/%d/mem", (int)m->pid);
        m->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (m->fd < 0)
            return -1;
    }
    m->calls++;
    return pread(m->fd, buf, n, (off_t)addr) == (ssize_t)n ? 0 : -1;
}

void gc_mem_window(struct gc_mem *m, uint64_t addr, const void *buf, size_t len)
{
    m->win_addr = addr;
    m->win_len = buf ? len : 0;
    m->win = buf;
}

/* Reads within one page go through the page cache (one system call per page and walk). */
int gc_read(struct gc_mem *m, uint64_t addr, void *buf, size_t n)
{
    uint64_t pg = addr & ~4095ull;
    if (m->win_len && addr >= m->win_addr && addr - m->win_addr <= m->win_len && n <= m->win_len - (addr - m->win_addr)) {
        memcpy(buf, m->win + (addr - m->win_addr), n);
        return 0;
    }
    if (n == 0 || n > 4096 || ((addr + n - 1) & ~4095ull) != pg || addr < 4096)
        return read_raw(m, addr, buf, n);
    if (!m->page) {
        void *p = mmap(NULL, GC_MEM_PAGES * sizeof *m->page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return read_raw(m, addr, buf, n);
        m->page = p;
    }
    unsigned slot = (unsigned)(pg >> 12) % GC_MEM_PAGES;
    if (m->tag[slot] != pg + 1) {
        if (read_raw(m, pg, m->page[slot], 4096) != 0) {
            m->tag[slot] = 0;
            return read_raw(m, addr, buf, n);    /* the page's end may be unmapped: the bytes asked may not */
        }
        m->tag[slot] = pg + 1;
    }
    memcpy(buf, m->page[slot] + (addr - pg), n);
    return 0;
}

int gc_read_fresh(struct gc_mem *m, uint64_t addr, void *buf, size_t n)
{
    return m->steady ? gc_read(m, addr, buf, n) : read_raw(m, addr, buf, n);
}

#define MANY 1024                 /* ranges per system call (UIO_MAXIOV) */
#define GAP 256                   /* objects this close together are read as one range, the bytes between dropped */

/* The kernel pins the pages of every range asked for: objects side by side in memory (g records allocated one
 * after another, their sudogs) go as one remote range; the local side scatters it, the gaps into a scratch. */
size_t gc_read_many(struct gc_mem *m, const uint64_t *addrs, size_t n, size_t len, uint8_t *out, uint8_t *ok)
{
    struct iovec l[MANY], r[MANY];
    int32_t obj[MANY];                /* which object each local range is (-1: a gap) */
    uint8_t gap[GAP];
    size_t got = 0;
    for (size_t i = 0; i < n;) {
        /* No object (a goroutine without a sudog): not asked for. A range that fails ends the call's reading
         * there, so each one left in would cost a system call for the rest of the batch. */
        if (addrs[i] < 4096) {
            ok[i++] = 0;
            continue;
        }
        size_t k = 0, nl = 0, nr = 0;
        uint64_t end = 0;
        while (i + k < n && nl + 2 <= MANY && addrs[i + k] >= 4096) {
            uint64_t a = addrs[i + k];
            if (nr && a >= end && a - end <= GAP) {
                if (a > end) {
                    l[nl] = (struct iovec){ gap, (size_t)(a - end) };
                    obj[nl++] = -1;
                }
                r[nr - 1].iov_len += (size_t)(a + len - end);
            } else if (nr < MANY) {
                r[nr++] = (struct iovec){ (void *)(uintptr_t)a, len };
            } else {
                break;
            }
            end = a + len;
            l[nl] = (struct iovec){ out + (i + k) * len, len };
            obj[nl++] = (int32_t)k++;
        }
        m->calls += !m->no_vm;
        ssize_t done = m->no_vm ? -1 : process_vm_readv(m->pid, l, nl, r, nr, 0);
        /* the objects read whole, in order, up to the first that was not */
        size_t whole = 0, left = done > 0 ? (size_t)done : 0;
        for (size_t j = 0; j < nl && left >= l[j].iov_len; j++) {
            left -= l[j].iov_len;
            if (obj[j] >= 0)
                whole = (size_t)obj[j] + 1;
        }
        for (size_t j = 0; j < whole; j++)
            ok[i + j] = 1;
        got += whole;
        i += whole;
        if (whole < k) {                  /* this one cannot be read (or the call is refused): alone */
            ok[i] = addrs[i] && read_raw(m, addrs[i], out + i * len, len) == 0;
            got += ok[i];
            i++;
        }
    }
    return got;
}

uint64_t gc_read_uint(struct gc_mem *m, uint64_t addr, int width, uint64_t def)
{
    uint8_t b[8] = { 0 };
    if (width < 1 || width > 8 || gc_read(m, addr, b, (size_t)width) != 0)
        return def;
    uint64_t v = 0;
    memcpy(&v, b, (size_t)width);         /* little-endian */
    return v;
}
