/* Package sync under libgo: which sync object a goroutine parks on, and the misuse Go reports with a panic or a
 * fatal error (negative WaitGroup counter, unlock of an unlocked mutex).
 *
 * sync.Mutex, RWMutex and WaitGroup park through the runtime's semaphores; the wrapper tells them apart by its
 * return address (which sync function called it) and finds the object from the semaphore's address. sync.Cond
 * parks in notifyListWait. Compiled with -fsplit-stack (see gccgo_int.h). */
#include "gccgo_int.h"
#include "../runtime/sync_events.h"
#include <string.h>

/* Callers of the semaphore functions, as [start, start+size) of their code. */
static struct fn_range { const char *name; uintptr_t lo, size; } callers[] = {
#define C_MUTEX_LOCKSLOW 0
    { "sync.Mutex.lockSlow", 0, 0 },
#define C_RW_LOCK 1
    { "sync.RWMutex.Lock", 0, 0 },
#define C_RW_RLOCK 2
    { "sync.RWMutex.RLock", 0, 0 },
#define C_WG_WAIT 3
    { "sync.WaitGroup.Wait", 0, 0 },
#define C_WG_ADD 4
    { "sync.WaitGroup.Add", 0, 0 },
};
#define NCALLERS (sizeof callers / sizeof callers[0])

/* Where the semaphore lives in each object (sync/mutex.go, rwmutex.go, waitgroup.go, cond.go of Go 1.18):
 * Mutex{state int32; sema uint32}, RWMutex{w Mutex; writerSem, readerSem uint32; ...},
 * WaitGroup{noCopy; state1 uint64; state2 uint32 (the semaphore when state1 is 8-aligned)},
 * Cond{noCopy; L Locker; notify notifyList; ...}. */
#define MUTEX_SEMA 4
#define RW_WRITER_SEM 8
#define RW_READER_SEM 12
#define WG_SEMA 8
#define COND_NOTIFY 16

void go_sync_init(void)
{
    for (size_t i = 0; i < NCALLERS; i++)
        callers[i].lo = go_sym(callers[i].name, &callers[i].size);
    go_mutex_init();
}

static int called_from(int which, uintptr_t ra)
{
    return callers[which].lo && ra - callers[which].lo < callers[which].size;
}

/* Before a semaphore wait: what the goroutine is about to park on. Returns 0 when not tracked, 2 when it is a
 * Lock of a mutex or rwlock whose entry (pushed as held before the real Lock) now waits (*lock), else 1. */
__attribute__((noinline)) static int sema_begin(uint32_t *addr, uintptr_t ra, uintptr_t sp, const void **lock)
{
    if (!GO_ACTIVE())
        return 0;
    const char *what = "semacquire";
    const void *obj = addr;
    uint8_t ok = LC_OBJ_SEM;
    if (called_from(C_MUTEX_LOCKSLOW, ra)) {
        what = "sync.Mutex.Lock", obj = (char *)addr - MUTEX_SEMA, ok = LC_OBJ_MUTEX;
    } else if (called_from(C_RW_LOCK, ra)) {
        what = "sync.RWMutex.Lock", obj = (char *)addr - RW_WRITER_SEM, ok = LC_OBJ_RWLOCK;
    } else if (called_from(C_RW_RLOCK, ra)) {
        what = "sync.RWMutex.RLock", obj = (char *)addr - RW_READER_SEM, ok = LC_OBJ_RWLOCK;
    } else if (called_from(C_WG_WAIT, ra)) {
        what = "sync.WaitGroup.Wait", obj = (char *)addr - WG_SEMA, ok = LC_OBJ_WAITGROUP;
    }
    go_pend_set(GOP_SEMA, what, ok, obj, ra, sp, 0);
    if (ok != LC_OBJ_MUTEX && ok != LC_OBJ_RWLOCK)
        return 1;
    *lock = obj;
    go_mutex_sleeps(obj, 1);
    return 2;
}

/* After it: the goroutine woke (holding the lock or about to try again). */
__attribute__((noinline)) static void sema_end(int on, const void *lock)
{
    go_pend_clear();
    if (on == 2)
        go_mutex_sleeps(lock, 0);
}

GO_WRAPPER_ALIAS(void, go_semacquire_mutex, "sync.runtime__SemacquireMutex",
                 (uint32_t *addr, _Bool lifo, intptr_t skip))
{
    const void *lock = NULL;
    int on = sema_begin(addr, LC_RA(), LC_SP(), &lock);
    GO_NEXT(go_semacquire_mutex)(addr, lifo, skip);
    if (on)
        sema_end(on, lock);
}

GO_WRAPPER_ALIAS(void, go_semacquire, "sync.runtime__Semacquire", (uint32_t *addr))
{
    const void *lock = NULL;
    int on = sema_begin(addr, LC_RA(), LC_SP(), &lock);
    GO_NEXT(go_semacquire)(addr);
    if (on)
        sema_end(on, lock);
}

__attribute__((noinline)) static int cond_begin(void *list, uintptr_t ra, uintptr_t sp)
{
    if (!GO_ACTIVE())
        return 0;
    go_pend_set(GOP_COND, "sync.Cond.Wait", LC_OBJ_COND, (char *)list - COND_NOTIFY, ra, sp, 0);
    return 1;
}

GO_WRAPPER_ALIAS(void, go_notify_wait, "sync.runtime__notifyListWait", (void *list, uint32_t ticket))
{
    int on = cond_begin(list, LC_RA(), LC_SP());
    GO_NEXT(go_notify_wait)(list, ticket);
    if (on)
        go_pend_clear();
}

/* ---- misuse ---------------------------------------------------------------------------------------------- */
/* sync's fatal errors ("sync: unlock of unlocked mutex", "sync: Unlock of unlocked RWMutex", "sync: RUnlock
 * of unlocked RWMutex") go through sync.throw; the program dies right after, so record it now. */
__attribute__((noinline)) static void throw_note(const char *s, intptr_t n)
{
    if (!GO_ACTIVE() || !s || n <= 0 || n > 200)
        return;
    char msg[64];
    size_t len = (size_t)n < sizeof msg - 1 ? (size_t)n : sizeof msg - 1;
    memcpy(msg, s, len);
    msg[len] = 0;
    if (!strstr(msg, "nlock of unlocked"))
        return;
    LC_ENTER();
    struct lc_actor a = GO_ACTOR;
    lc_mutex_unlock_unlocked(&a, NULL, msg);
    LC_LEAVE();
}

GO_WRAPPER_ALIAS(void, go_sync_throw, "sync.throw", (const char *s, intptr_t n))
{
    throw_note(s, n);
    GO_NEXT(go_sync_throw)(s, n);
}

/* The WaitGroup being changed by this thread, for the panic below (Add never parks). */
static LC_TLS void *wg_current;

GO_WRAPPER_ALIAS(void, go_wg_add, "sync.WaitGroup.Add", (void *wg, intptr_t delta))
{
    wg_current = wg;
    GO_NEXT(go_wg_add)(wg, delta);
}

/* Go string, and the kind bits of a type descriptor (type.go: _type.kind at offset 23, kindString = 24). */
struct go_string { const char *p; intptr_t n; };
#define GO_TYPE_KIND 23
#define GO_KIND_MASK 31
#define GO_KIND_STRING 24

__attribute__((noinline)) static void panic_note(const void *type, const void *data, uintptr_t ra)
{
    if (!GO_ACTIVE() || !called_from(C_WG_ADD, ra) || !type || !data)
        return;
    if ((GO_FIELD(type, GO_TYPE_KIND, uint8_t) & GO_KIND_MASK) != GO_KIND_STRING)
        return;
    static const char neg[] = "sync: negative WaitGroup counter";
    const struct go_string *s = data;
    if (s->n != (intptr_t)sizeof neg - 1 || memcmp(s->p, neg, sizeof neg - 1))
        return;
    LC_ENTER();
    struct lc_actor a = GO_ACTOR;
    lc_waitgroup_negative(&a, wg_current);
    LC_LEAVE();
}

/* panic(v): only WaitGroup.Add's panics are looked at. */
GO_WRAPPER(void, go_gopanic, "runtime.gopanic", (const void *type, const void *data))
{
    panic_note(type, data, LC_RA());
    GO_NEXT(go_gopanic)(type, data);
}
