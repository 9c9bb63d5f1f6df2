// Misuse findings show the site's line and a few of its callers by default, names demangled even in a C program
// without the C++ runtime: two paths take the same pair of locks in opposite orders through one helper, one of
// them from a C++ function (app::lock_ba(), mangled _ZN3app7lock_baEv, written in assembly here so that the case
// stays C). And a mutex whose owner field holds no thread id (-1) is named for what it is.
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 2 misuse\)$
// EXPECT: ^\[lock-order inversion of mutex 0x[0-9a-f]+ \(and 0x[0-9a-f]+\)\]$
// EXPECT-COUNT: 2 ^  acquired [AB] then [AB] at: lock_pair +.*misuse_frames_cxx\.c:46 +\(thread 1\)$
// EXPECT: ^      lock_ba_body +.*misuse_frames_cxx\.c:58$
// EXPECT: ^      app::lock_ba\(\) +/.*misuse_frames_cxx\+0x[0-9a-f]+$
// EXPECT: ^      lock_ab +.*misuse_frames_cxx\.c:53$
// EXPECT-COUNT: 2 ^      main +.*misuse_frames_cxx\.c:(72|73)$
// REJECT: _ZN3app
// EXPECT: ^\[unlock by a thread that does not own the mutex 0x[0-9a-f]+ \(owner field -1: not initialised, or corrupt\)\]$
// EXPECT: ^  at: +unlock_garbage +.*misuse_frames_cxx\.c:67 +\(thread 1\)$
// EXPECT: ^leakcheck: 0 leaked, 2 misuse; exit status 66$
// STDOUT: ^done$
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* void app::lock_ba(): calls lock_ba_body(), with unwind information like a compiled function's */
__asm__(".text\n"
        ".globl _ZN3app7lock_baEv\n"
        ".type _ZN3app7lock_baEv, @function\n"
        "_ZN3app7lock_baEv:\n"
        ".cfi_startproc\n"
        "pushq %rbp\n"
        ".cfi_def_cfa_offset 16\n"
        ".cfi_offset %rbp, -16\n"
        "movq %rsp, %rbp\n"
        ".cfi_def_cfa_register %rbp\n"
        "call lock_ba_body\n"
        "popq %rbp\n"
        ".cfi_def_cfa %rsp, 8\n"
        "ret\n"
        ".cfi_endproc\n"
        ".size _ZN3app7lock_baEv, .-_ZN3app7lock_baEv\n");
void _ZN3app7lock_baEv(void);

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

static __attribute__((noinline)) void lock_pair(pthread_mutex_t *first, pthread_mutex_t *second)
{
    pthread_mutex_lock(first);
    pthread_mutex_lock(second);
    pthread_mutex_unlock(second);
    pthread_mutex_unlock(first);
}

static __attribute__((noinline)) void lock_ab(void)
{
    lock_pair(&a, &b);
}

__attribute__((noinline)) void lock_ba_body(void)
{
    lock_pair(&b, &a);
}

static __attribute__((noinline)) void unlock_garbage(void)
{
    pthread_mutex_t m;
    memset(&m, 0, sizeof m);
    m.__data.__lock = 1;
    m.__data.__owner = -1;            /* what a stray write, or memory never initialised, leaves there */
    pthread_mutex_unlock(&m);
}

int main(void)
{
    lock_ab();
    _ZN3app7lock_baEv();
    unlock_garbage();
    puts("done");
    return 0;
}
