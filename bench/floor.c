/* The floor: an empty interposer. It defines every function libleakcheck.so interposes and does nothing but
 * forward it: each definition is a jump through a pointer to the next definition (dlsym(RTLD_NEXT), looked up
 * by a constructor, or on a first call made before it ran), no stack of its own, no thread. What a row costs
 * under it is what interposing alone costs (the PLT call into a preloaded library and the indirect jump); the
 * shim's distance from it is its own work. bench/run.sh builds it as build/bench/libfloor.so and runs every
 * row plain, under it and under the shim. Keep the list in step with the shim's exported functions. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* X(id, "symbol"): the C and pthread functions, the signal, exec and namespace ones, then libgo's (gccgo
 * programs). */
#define FLOOR_FUNCS(X)                                                                                       \
    X(libc_start_main, "__libc_start_main") X(exit, "exit")                                                  \
    X(pthread_create, "pthread_create") X(pthread_exit, "pthread_exit") X(pthread_detach, "pthread_detach")  \
    X(pthread_join, "pthread_join") X(pthread_tryjoin_np, "pthread_tryjoin_np")                              \
    X(pthread_timedjoin_np, "pthread_timedjoin_np") X(pthread_clockjoin_np, "pthread_clockjoin_np")          \
    X(mutex_lock, "pthread_mutex_lock") X(mutex_trylock, "pthread_mutex_trylock")                            \
    X(mutex_timedlock, "pthread_mutex_timedlock") X(mutex_clocklock, "pthread_mutex_clocklock")              \
    X(mutex_unlock, "pthread_mutex_unlock") X(mutex_init, "pthread_mutex_init")                              \
    X(mutex_destroy, "pthread_mutex_destroy") X(rw_rdlock, "pthread_rwlock_rdlock")                          \
    X(rw_wrlock, "pthread_rwlock_wrlock") X(rw_tryrdlock, "pthread_rwlock_tryrdlock")                        \
    X(rw_trywrlock, "pthread_rwlock_trywrlock") X(rw_timedrdlock, "pthread_rwlock_timedrdlock")              \
    X(rw_timedwrlock, "pthread_rwlock_timedwrlock") X(rw_clockrdlock, "pthread_rwlock_clockrdlock")          \
    X(rw_clockwrlock, "pthread_rwlock_clockwrlock") X(rw_unlock, "pthread_rwlock_unlock")                    \
    X(rw_destroy, "pthread_rwlock_destroy") X(spin_lock, "pthread_spin_lock")                                \
    X(cond_wait, "pthread_cond_wait") X(cond_timedwait, "pthread_cond_timedwait")                            \
    X(cond_clockwait, "pthread_cond_clockwait") X(barrier_wait, "pthread_barrier_wait")                      \
    X(sem_wait, "sem_wait") X(sem_timedwait, "sem_timedwait") X(sem_clockwait, "sem_clockwait")              \
    X(open, "open") X(close, "close") X(dup, "dup") X(dup2, "dup2") X(dup3, "dup3") X(fcntl, "fcntl")        \
    X(fcntl64, "fcntl64") X(pipe, "pipe") X(pipe2, "pipe2") X(socketpair, "socketpair")                      \
    X(eventfd, "eventfd") X(read, "read") X(readv, "readv") X(recv, "recv") X(write, "write")                \
    X(writev, "writev") X(send, "send") X(poll, "poll") X(ppoll, "ppoll") X(select, "select")                \
    X(epoll_wait, "epoll_wait") X(epoll_pwait, "epoll_pwait") X(epoll_ctl, "epoll_ctl")                      \
    X(u_sigaction, "__sigaction") X(u_sigsuspend, "__sigsuspend") X(u_sysv_signal, "__sysv_signal")          \
    X(bsd_signal, "bsd_signal") X(close_range, "close_range") X(closefrom, "closefrom")                      \
    X(epoll_pwait2, "epoll_pwait2") X(execl, "execl") X(execle, "execle") X(execlp, "execlp")                \
    X(execv, "execv") X(execve, "execve") X(execveat, "execveat") X(execvp, "execvp") X(execvpe, "execvpe")  \
    X(fexecve, "fexecve") X(popen, "popen") X(posix_spawn, "posix_spawn") X(posix_spawnp, "posix_spawnp")    \
    X(pselect, "pselect") X(pthread_kill, "pthread_kill") X(pthread_sigmask, "pthread_sigmask")              \
    X(raise, "raise") X(setns, "setns") X(sigaction, "sigaction") X(sigignore, "sigignore")                  \
    X(siginterrupt, "siginterrupt") X(signal, "signal") X(signalfd, "signalfd")                              \
    X(sigprocmask, "sigprocmask") X(sigset, "sigset") X(sigsetmask, "sigsetmask")                            \
    X(realloc, "realloc") X(sigsuspend, "sigsuspend") X(sigtimedwait, "sigtimedwait") X(sigwait, "sigwait")                        \
    X(sigwaitinfo, "sigwaitinfo") X(ssignal, "ssignal") X(system, "system") X(sysv_signal, "sysv_signal")    \
    X(unshare, "unshare")                                                                                    \
    X(go_go, "__go_go") X(goexit1, "runtime.goexit1") X(gopark, "runtime.gopark")                            \
    X(gopanic, "runtime.gopanic") X(makechan, "runtime.makechan") X(closechan, "runtime.closechan")          \
    X(chansend1, "runtime.chansend1") X(chanrecv1, "runtime.chanrecv1") X(chanrecv2, "runtime.chanrecv2")    \
    X(selectgo, "runtime.selectgo") X(selectnbrecv, "runtime.selectnbrecv")                                  \
    X(selectnbsend, "runtime.selectnbsend") X(go_mutex_lock, "sync.Mutex.Lock")                              \
    X(go_mutex_trylock, "sync.Mutex.TryLock") X(go_mutex_unlock, "sync.Mutex.Unlock")                        \
    X(go_rw_lock, "sync.RWMutex.Lock") X(go_rw_rlock, "sync.RWMutex.RLock")                                  \
    X(go_rw_runlock, "sync.RWMutex.RUnlock") X(go_rw_trylock, "sync.RWMutex.TryLock")                        \
    X(go_rw_tryrlock, "sync.RWMutex.TryRLock") X(go_rw_unlock, "sync.RWMutex.Unlock")                        \
    X(go_wg_add, "sync.WaitGroup.Add") X(go_semacquire, "sync.runtime__Semacquire")                          \
    X(go_semacquire_mutex, "sync.runtime__SemacquireMutex") X(go_notify_wait, "sync.runtime__notifyListWait") \
    X(go_sync_throw, "sync.throw")

/* Called by a stub on its first call, with the argument registers saved: the next definition of name. */
__attribute__((used, visibility("hidden"))) void *floor_resolve(const char *name)
{
    void *p = dlsym(RTLD_NEXT, name);
    if (!p) {
        static const char msg[] = "libfloor: a forwarded function has no next definition: ";
        if (write(2, msg, sizeof msg - 1) < 0 || write(2, name, strlen(name)) < 0 || write(2, "\n", 1) < 0) {}
        abort();
    }
    return p;
}

/* One stub: jump through its pointer (r11 is free at a call: no argument, no varargs count); the first time,
 * resolve it with every argument register saved (rax too: a variadic callee's vector register count). */
#define FLOOR_STUB(id, sym)                                                                                  \
    __asm__(".data\n.p2align 3\nfloor_ptr_" #id ": .quad 0\n"                                                \
            ".section .rodata\nfloor_name_" #id ": .asciz \"" sym "\"\n"                                     \
            ".text\n.globl " sym "\n.type " sym ", @function\n" sym ":\n"                                    \
            "\tmovq floor_ptr_" #id "(%rip), %r11\n\ttestq %r11, %r11\n\tjz 1f\n\tjmp *%r11\n"               \
            "1:\tpushq %rax\n\tpushq %rdi\n\tpushq %rsi\n\tpushq %rdx\n\tpushq %rcx\n\tpushq %r8\n\tpushq %r9\n" \
            "\tleaq floor_name_" #id "(%rip), %rdi\n\tcall floor_resolve\n"                                  \
            "\tmovq %rax, floor_ptr_" #id "(%rip)\n\tmovq %rax, %r11\n"                                      \
            "\tpopq %r9\n\tpopq %r8\n\tpopq %rcx\n\tpopq %rdx\n\tpopq %rsi\n\tpopq %rdi\n\tpopq %rax\n"      \
            "\tjmp *%r11\n.size " sym ", .-" sym "\n");
FLOOR_FUNCS(FLOOR_STUB)

/* free: dlsym frees its own scratch, so a first call made while the next free is being looked up must not look
 * it up again (it keeps that block instead). */
static void (*floor_free_next)(void *);
static int floor_free_resolving;
void free(void *p)
{
    if (__builtin_expect(!floor_free_next, 0)) {
        if (floor_free_resolving)
            return;
        floor_free_resolving = 1;
        floor_free_next = (void (*)(void *))floor_resolve("free");
        floor_free_resolving = 0;
    }
    floor_free_next(p);
}

/* Look every pointer up before the program runs: a first call from Go code must not run dlsym on a goroutine's
 * small stack segment. A missing one (libgo's in a C program) stays for a first call to find (or abort). */
#define FLOOR_EAGER(id, sym)                                                                                 \
    {                                                                                                        \
        extern void *floor_ptr_##id __asm__("floor_ptr_" #id);                                               \
        floor_ptr_##id = dlsym(RTLD_NEXT, sym);                                                              \
    }
__attribute__((constructor)) static void floor_start(void)
{
    FLOOR_FUNCS(FLOOR_EAGER)
}
