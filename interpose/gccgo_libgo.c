/* What the Go wrappers know about libgo.so.21 and need once: the real functions, Go's wait reasons, where
 * libgo's code lies, the fast read of the running g, the check that the wrappers were built for split stacks,
 * and the capture of a stack as the program sees it (shim and runtime frames dropped). Compiled with
 * -fsplit-stack (see gccgo_int.h). */
#include "gccgo_int.h"
#include "../runtime/alloc.h"
#include "../runtime/lock.h"
#include "../runtime/options.h"
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <sys/mman.h>
#include <string.h>
#include <unistd.h>

void *(*go_real_getg)(void);
intptr_t go_g_tpoff;
LC_TLS intptr_t go_g_off;

/* ---- libgo facts, resolved once -------------------------------------------------------------------------- */
const char *go_wait_what[GO_NWAIT];
uint8_t go_wait_class[GO_NWAIT];
uintptr_t go_libgo_lo, go_libgo_hi, go_rt_main;
static uintptr_t self_lo, self_hi;
int go_inited, go_off;
static lc_lock_t init_lock = LC_LOCK_INIT;

/* Go 1.18's wait reasons, in runtime2.go order; matched by text against libgo's own table when it has one. */
static const struct { const char *s; uint8_t cls; } known_waits[] = {
    { "", W_OTHER }, { "GC assist marking", W_OTHER }, { "IO wait", W_IO },
    { "chan receive (nil chan)", W_RECV_NIL }, { "chan send (nil chan)", W_SEND_NIL }, { "dumping heap", W_OTHER },
    { "garbage collection", W_OTHER }, { "garbage collection scan", W_OTHER }, { "panicwait", W_OTHER },
    { "select", W_SELECT }, { "select (no cases)", W_SELECT_NONE }, { "GC assist wait", W_OTHER },
    { "GC sweep wait", W_OTHER }, { "GC scavenge wait", W_OTHER }, { "chan receive", W_RECV },
    { "chan send", W_SEND }, { "finalizer wait", W_OTHER }, { "force gc (idle)", W_OTHER },
    { "semacquire", W_SEMA }, { "sleep", W_SLEEP }, { "sync.Cond.Wait", W_COND },
    { "timer goroutine (idle)", W_OTHER }, { "trace reader (blocked)", W_OTHER }, { "wait for GC cycle", W_OTHER },
    { "GC worker (idle)", W_OTHER }, { "preempted", W_OTHER }, { "debug call", W_OTHER },
};
#define NKNOWN (sizeof known_waits / sizeof known_waits[0])

/* libgo's symbol: the next definition after ours, or, when libgo is not in the global scope (a Go library
 * dlopen()ed RTLD_LOCAL), libgo's own. */
static void *libgo_sym(const char *name)
{
    void *p = lc_dlsym_next(name, 0);
    if (!p) {
        void *h = dlopen("libgo.so.21", RTLD_LAZY | RTLD_NOLOAD);
        if (h) {
            p = dlsym(h, name);
            dlclose(h);
        }
    }
    return p;
}

uintptr_t go_sym(const char *name, uintptr_t *size)
{
    void *p = libgo_sym(name);
    if (size) {
        Dl_info di;
        const ElfW(Sym) *sym = NULL;
        *size = p && dladdr1(p, &di, (void **)&sym, RTLD_DL_SYMENT) && sym ? sym->st_size : 0;
    }
    return (uintptr_t)p;
}

static void wait_table_init(void)
{
    struct gostr { const char *p; intptr_t n; };
    uintptr_t size = 0;
    const struct gostr *tab = (const struct gostr *)go_sym("runtime.waitReasonStrings", &size);
    size_t n = tab ? size / sizeof *tab : 0;
    if (n > GO_NWAIT)
        n = GO_NWAIT;
    for (size_t i = 0; i < GO_NWAIT; i++) {
        go_wait_what[i] = "park";
        for (size_t k = 0; k < NKNOWN; k++) {
            const char *s = known_waits[k].s;
            int same = tab ? i < n && (size_t)tab[i].n == strlen(s) && !memcmp(tab[i].p, s, strlen(s)) : i == k;
            if (same) {
                go_wait_what[i] = s;
                go_wait_class[i] = known_waits[k].cls;
                break;
            }
        }
    }
}

/* Every Go wrapper must start with a split-stack prologue: "cmp %fs:0x70,%rsp", "stc" (gold: always switch),
 * or "lea -N(%rsp),%r10/%r11". Built without -fsplit-stack, they would run C on goroutine stacks unchecked:
 * then Go support is turned off (the wrappers only forward) rather than risking the program. */
static int split_prologue(const void *fn)
{
    static const uint8_t cmp[] = { 0x64, 0x48, 0x3b, 0x24, 0x25, 0x70, 0x00, 0x00, 0x00 };
    const uint8_t *p = fn;
    return !memcmp(p, cmp, sizeof cmp) || p[0] == 0xf9 ||
           (p[0] == 0x4c && p[1] == 0x8d && (p[2] == 0x94 || p[2] == 0x9c) && p[3] == 0x24);
}

static int split_stack_built(void)
{
    const void *fns[] = { (const void *)go_gopark, (const void *)go_chansend1, (const void *)go_semacquire };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (!split_prologue(fns[i])) {
            static const char msg[] = "leakcheck: the Go wrappers were built without -fsplit-stack; "
                                      "goroutines are not tracked\n";
            if (write(2, msg, sizeof msg - 1) < 0) {}
            return 0;
        }
    return 1;
}

int go_live;

__attribute__((noinline)) int go_active_slow(void)
{
    if (!LC_ACTIVE()) {
        if (__atomic_load_n(&lc_never_ready, __ATOMIC_ACQUIRE))
            __atomic_store_n(&go_live, -1, __ATOMIC_RELEASE);
        return 0;
    }
    if (!go_ok()) {
        __atomic_store_n(&go_live, -1, __ATOMIC_RELEASE);
        return 0;
    }
    __atomic_store_n(&go_live, 1, __ATOMIC_RELEASE);
    return 1;
}

__attribute__((noinline, cold)) void go_init_slow(void)
{
    lc_lock(&init_lock);
    if (!go_inited) {
        go_real_getg = (void *(*)(void))go_resolve("runtime.getg");
        go_rt_main = go_sym("runtime.main", NULL);
        void *gvar = libgo_sym("runtime.g");     /* this thread's instance */
        uintptr_t tp;
        __asm__("movq %%fs:0, %0" : "=r"(tp));
        go_g_tpoff = gvar ? (intptr_t)((uintptr_t)gvar - tp) : 0;
        lc_text_range(go_sym("__go_go", NULL), &go_libgo_lo, &go_libgo_hi);
        lc_text_range((uintptr_t)&go_init_slow, &self_lo, &self_hi);
        wait_table_init();
        go_sync_init();
        go_off = !split_stack_built();
        __atomic_store_n(&go_inited, 1, __ATOMIC_RELEASE);
    }
    lc_unlock(&init_lock);
}

/* First use of go_getg on a thread: the fast read must agree with libgo (it would not if libgo's TLS were
 * dynamic, as in a dlopen()ed library); otherwise go back to runtime.getg for good. */
__attribute__((noinline, cold)) void go_getg_check(void)
{
    intptr_t off = go_g_tpoff;
    if (off) {
        void *g;
        __asm__ volatile("movq %%fs:(%1), %0" : "=r"(g) : "r"(off) : "memory");
        if (g != go_real_getg())
            off = go_g_tpoff = 0;
    }
    go_g_off = off ? off : GO_G_OFF_NONE;
}

__attribute__((noinline, cold)) void *go_resolve(const char *sym)
{
    void *p = libgo_sym(sym);
    return p ? p : lc_dlsym_next(sym, 1);     /* the latter aborts with a clear message */
}

int64_t go_goid(const void *g)
{
    return g ? GO_FIELD(g, GO_G_GOID, int64_t) : 0;
}

static int in_self(uintptr_t pc)
{
    return pc - self_lo < self_hi - self_lo;
}

/* ---- the shim's stack (gccgo_libgo.h) ------------------------------------------------------------------- */
LC_TLS char *go_shim_stack;
static pthread_key_t shim_stack_key;
static pthread_once_t shim_stack_once = PTHREAD_ONCE_INIT;

static void shim_stack_free(void *lo)
{
    go_shim_stack = NULL;
    munmap((char *)lo - 4096, GO_SHIM_STACK + 4096);
}

static void shim_stack_key_make(void)
{
    if (pthread_key_create(&shim_stack_key, shim_stack_free) != 0)
        shim_stack_key = (pthread_key_t)-1;
}

/* Once per thread (through __morestack, as any call into ordinary C): a mapping with a guard page below. */
__attribute__((noinline, cold)) char *go_shim_stack_new(void)
{
    int e = errno;
    pthread_once(&shim_stack_once, shim_stack_key_make);
    char *p = mmap(NULL, GO_SHIM_STACK + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED || shim_stack_key == (pthread_key_t)-1) {
        if (p != MAP_FAILED)
            munmap(p, GO_SHIM_STACK + 4096);
        errno = e;
        return NULL;
    }
    mprotect(p, 4096, PROT_NONE);
    go_shim_stack = p + 4096;
    pthread_setspecific(shim_stack_key, go_shim_stack);
    errno = e;
    return go_shim_stack;
}

/* ---- stacks ----------------------------------------------------------------------------------------------- */
/* on_g0: the walk is on a thread's system stack (the scheduler running timers, as for time.AfterFunc), whose
 * frames below libgo's are the thread's start (C main, start_thread), never the program's call. */
static stack_id trim_intern(const uintptr_t *pc, int n, int on_g0, int *kept, int *nkept)
{
    int start = 0, i;
    /* Within the leading run of shim and libgo frames, the program's call is right below our last wrapper. */
    for (i = 0; i < n && (in_self(pc[i]) || go_in_libgo(pc[i])); i++)
        if (in_self(pc[i]))
            start = i + 1;
    /* And when the program has a frame of its own further down, it goes on top. */
    for (i = start; i < n && (in_self(pc[i]) || go_in_libgo(pc[i])); i++)
        ;
    if (i < n && !on_g0)
        start = i;
    int depth = lc_opt.stack_depth < 1 ? 1 : lc_opt.stack_depth > LC_MAX_FRAMES ? LC_MAX_FRAMES
                                                                               : lc_opt.stack_depth;
    uintptr_t out[LC_MAX_FRAMES];
    int m = 0;
    for (i = start; i < n && m < depth; i++) {
        if (in_self(pc[i]))
            continue;
        if (kept)
            kept[m] = i;
        out[m++] = pc[i];
    }
    if (nkept)
        *nkept = m;
    return stack_intern(out, m);
}

/* arg: NULL, or where the capture's proof goes (made on first use). */
__attribute__((noinline)) static long go_stack_here(void *arg)
{
    struct stack_proof **pp = arg;
    int e = errno;
    void *buf[LC_MAX_FRAMES + 32];
    uintptr_t sps[LC_MAX_FRAMES + 32];
    int max = (int)(sizeof buf / sizeof buf[0]), kept[LC_MAX_FRAMES], m = 0;
    int n = pp ? stack_walk_sp(buf, sps, max) : stack_walk(buf, max);   /* its own frames: the shim's, dropped */
    void *g = go_getg();
    stack_id id = trim_intern((const uintptr_t *)buf, n, !g || go_goid(g) == 0, pp ? kept : NULL, &m);
    struct stack_proof *pf = !pp ? NULL : *pp ? *pp : (*pp = lc_calloc(1, sizeof **pp));
    /* The frames of the segment the capture starts in: each just above the one before (a later check then
     * reads only the segment it starts in, which the goroutine is on; one a chain left may be gone by then).
     * The frames beyond (into __morestack and the segment before) go unchecked. */
    if (pf) {
        void *kpcs[LC_MAX_FRAMES];
        uintptr_t ksps[LC_MAX_FRAMES];
        for (int k = 0; k < m; k++)
            kpcs[k] = buf[kept[k]], ksps[k] = sps[kept[k]];
        stack_proof_fill(pf, kpcs, ksps, m, 0, UINTPTR_MAX, 64u << 10);
    }
    errno = e;
    return id;
}

/* Keeps errno: the park path saves it only around this call. On the shim's stack, as every capture. */
__attribute__((noinline)) stack_id go_stack(void)
{
    return (stack_id)go_offstack(go_stack_here, NULL);
}

__attribute__((noinline)) stack_id go_stack_proved(struct stack_proof **pf)
{
    return (stack_id)go_offstack(go_stack_here, pf);
}

/* Stacks of calls made from a site in the program, by the site (a seqlock each: odd while written). */
#define SITE_MEMO 1024
static struct site_memo { uint32_t seq; stack_id id; uintptr_t ra; } site_memo[SITE_MEMO];
LC_TLS uintptr_t go_site_ra;

stack_id go_stack_at_site(void)
{
    uintptr_t ra = go_site_ra;
    struct site_memo *m = &site_memo[(ra >> 2) * 2654435761u % SITE_MEMO];
    uint32_t s1 = __atomic_load_n(&m->seq, __ATOMIC_ACQUIRE);
    if (ra && !(s1 & 1)) {
        uintptr_t r = __atomic_load_n(&m->ra, __ATOMIC_RELAXED);
        stack_id id = __atomic_load_n(&m->id, __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (r == ra && id && __atomic_load_n(&m->seq, __ATOMIC_RELAXED) == s1)
            return id;
    }
    stack_id id = go_stack();
    /* a call in the program's own code: the stack's first frame is ra's (trim_intern), so a report's origin
     * frame is the same for every later call from there */
    if (ra && id && !in_self(ra) && !go_in_libgo(ra)) {
        uint32_t s = __atomic_load_n(&m->seq, __ATOMIC_RELAXED);
        if (!(s & 1) && __atomic_compare_exchange_n(&m->seq, &s, s + 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
            __atomic_store_n(&m->ra, ra, __ATOMIC_RELAXED);
            __atomic_store_n(&m->id, id, __ATOMIC_RELAXED);
            __atomic_store_n(&m->seq, s + 2, __ATOMIC_RELEASE);
        }
    }
    return id;
}
