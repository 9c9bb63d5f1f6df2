/* dlsym(RTLD_NEXT) bootstrap and the reentrancy guard. Wrappers may run before our constructor (other
 * libraries' constructors, dlsym's own allocations), so resolution is lazy and needs nothing initialised. */
#include "resolve.h"
#include "../runtime/lockset.h"
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

LC_TLS int lc_in_shim;
int lc_ready;
int lc_never_ready;

/* ---- asynchronous cancellation: the shim's bookkeeping runs deferred -------------------------------------- */

LC_TLS int lc_cancel_async;
LC_REAL_DECL(int, pthread_setcanceltype, (int, int *));

/* Async-cancel-safe, as the real one is: a flag and the real call. */
LC_EXPORT int pthread_setcanceltype(int type, int *old)
{
    int r = LC_REAL(pthread_setcanceltype)(type, old);
    if (r == 0)
        lc_cancel_async = type == PTHREAD_CANCEL_ASYNCHRONOUS;
    return r;
}

/* Deferred for the bookkeeping; 1 when it was asynchronous (to restore). Nested sections see the flag clear. */
int lc_cancel_defer_slow(void)
{
    int old = PTHREAD_CANCEL_DEFERRED;
    lc_cancel_async = 0;
    LC_REAL(pthread_setcanceltype)(PTHREAD_CANCEL_DEFERRED, &old);
    return old == PTHREAD_CANCEL_ASYNCHRONOUS;
}

/* Asynchronous again: a cancellation that came meanwhile acts now, with none of the shim's locks held. */
void lc_cancel_restore_slow(void)
{
    lc_cancel_async = 1;
    LC_REAL(pthread_setcanceltype)(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
}

void *lc_dlsym_next(const char *name, int required)
{
    lc_in_shim++;
    void *p = dlsym(RTLD_NEXT, name);
    lc_in_shim--;
    if (!p && required) {
        /* No stdio here: this can run before anything is set up. */
        static const char pre[] = "leakcheck: cannot find the real ";
        syscall(SYS_write, 2, pre, sizeof pre - 1);
        syscall(SYS_write, 2, name, strlen(name));
        syscall(SYS_write, 2, "\n", 1);
        abort();
    }
    return p;
}

struct range_q { uintptr_t addr, lo, hi; unsigned flag; };
static int find_segment(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    struct range_q *q = arg;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
        if (ph->p_type == PT_LOAD && (ph->p_flags & q->flag) && q->addr >= lo && q->addr < hi) {
            q->lo = lo;
            q->hi = hi;
            return 1;
        }
    }
    return 0;
}

static void segment_range(uintptr_t addr, unsigned flag, uintptr_t *lo, uintptr_t *hi)
{
    struct range_q q = { addr, 0, 0, flag };
    if (addr)
        dl_iterate_phdr(find_segment, &q);
    *lo = q.lo;
    *hi = q.hi;
}

void lc_text_range(uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
    segment_range(addr, PF_X, lo, hi);
}

void lc_data_range(uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
    segment_range(addr, PF_W, lo, hi);
}

static int note_writable(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size, (void)arg;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W))
            lockset_static_range(info->dlpi_addr + ph->p_vaddr, info->dlpi_addr + ph->p_vaddr + ph->p_memsz);
    }
    return 0;
}

void lc_note_variables(void)
{
    static int done;
    if (!__atomic_exchange_n(&done, 1, __ATOMIC_ACQ_REL))
        dl_iterate_phdr(note_writable, NULL);
}
