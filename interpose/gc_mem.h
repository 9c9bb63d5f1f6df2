/* Reading another task's memory without faulting: the gc family reads the Go runtime's structures from the
 * shim's own thread (in the process) or from the attach tool (outside it); any address may be stale. */
#ifndef LC_GC_MEM_H
#define LC_GC_MEM_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define GC_MEM_PAGES 64       /* pages kept between reads of one walk (stacks, g records, arrays) */

struct gc_mem {
    pid_t pid;                /* the process read */
    int fd;                   /* /proc/PID/mem, opened when process_vm_readv is refused; -1 until then */
    int no_vm;                /* process_vm_readv refused (seccomp, old kernel): use fd */
    int steady;               /* the process is stopped (attach): every read may come from the page cache */
    uint64_t tag[GC_MEM_PAGES];           /* page address + 1, 0 = empty */
    uint8_t (*page)[4096];                /* GC_MEM_PAGES pages, allocated on first use */
    uint64_t win_addr;                    /* a range read ahead by the caller (gc_mem_window), or none */
    size_t win_len;
    const uint8_t *win;
    unsigned long calls;                  /* system calls made to read */
};

void gc_mem_init(struct gc_mem *m, pid_t pid);
void gc_mem_close(struct gc_mem *m);
/* Forget the cached pages: the next reads see the memory as it is now. */
void gc_mem_flush(struct gc_mem *m);
/* Reads inside [addr, addr + len) come from buf (the caller read it with others in one system call: the top of
 * a goroutine's stack) until the next call; len 0: none. */
void gc_mem_window(struct gc_mem *m, uint64_t addr, const void *buf, size_t len);
/* Copy n bytes at addr into buf; returns 0, or -1 when any of it cannot be read. */
int gc_read(struct gc_mem *m, uint64_t addr, void *buf, size_t n);
/* The same, around the page cache: for objects that change from one moment to the next (a sudog, a channel). */
int gc_read_fresh(struct gc_mem *m, uint64_t addr, void *buf, size_t n);
/* n objects of len bytes each, at addrs[i], into out + i * len; ok[i] says which could be read. A few system
 * calls for all of them (process_vm_readv takes many ranges at once). Returns how many were read. */
size_t gc_read_many(struct gc_mem *m, const uint64_t *addrs, size_t n, size_t len, uint8_t *out, uint8_t *ok);
/* An unsigned value of width 1, 2, 4 or 8 bytes at addr; def when unreadable. */
uint64_t gc_read_uint(struct gc_mem *m, uint64_t addr, int width, uint64_t def);
#endif
