/* System calls without libc: code that runs on Go's threads in a binary without cgo, where %fs is the Go
 * runtime's and glibc's thread-local storage (errno, the stack protector's canary, malloc) is not there. */
#ifndef LC_GC_RAW_H
#define LC_GC_RAW_H
#include <stdint.h>

static inline long gc_sys6(long nr, long a, long b, long c, long d, long e, long f)
{
    long r;
    register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
    __asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return r;
}

#define GC_SYS_rt_sigaction 13
#define GC_SYS_write 1
#define GC_SYS_getpid 39
#define GC_SYS_exit_group 231
#define GC_SYS_futex 202
#define GC_SYS_tgkill 234
#define GC_SYS_gettid 186
#define GC_SYS_clock_gettime 228
#define GC_FUTEX_WAIT_PRIVATE 128
#define GC_FUTEX_WAKE_PRIVATE 129

/* Loads of the Go runtime's memory, which the compiler must not fold or cache across calls. */
static inline uint64_t load64(uint64_t addr) { return *(volatile uint64_t *)(uintptr_t)addr; }
static inline uint32_t load32(uint64_t addr) { return *(volatile uint32_t *)(uintptr_t)addr; }

struct gc_timespec { long sec, nsec; };

/* The kernel's struct sigaction (rt_sigaction, 8-byte mask). */
struct gc_ksigaction { uint64_t handler, flags, restorer, mask; };

static inline void gc_futex_wait(volatile int32_t *addr, int32_t val, long timeout_ns)
{
    struct gc_timespec ts = { timeout_ns / 1000000000L, timeout_ns % 1000000000L };
    gc_sys6(GC_SYS_futex, (long)addr, GC_FUTEX_WAIT_PRIVATE, val, timeout_ns > 0 ? (long)&ts : 0, 0, 0);
}

static inline void gc_futex_wake(volatile int32_t *addr)
{
    gc_sys6(GC_SYS_futex, (long)addr, GC_FUTEX_WAKE_PRIVATE, 0x7fffffff, 0, 0, 0);
}

static inline uint64_t gc_now_ns(void)
{
    struct gc_timespec ts = { 0, 0 };
    gc_sys6(GC_SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, (long)&ts, 0, 0, 0, 0);
    return (uint64_t)ts.sec * 1000000000u + (uint64_t)ts.nsec;
}

static inline __attribute__((noreturn)) void gc_exit_group(int status)
{
    for (;;)
        gc_sys6(GC_SYS_exit_group, status, 0, 0, 0, 0, 0);
}
#endif
