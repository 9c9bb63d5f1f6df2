// Signals interrupting blocked calls: the program installs its own handlers (SIGUSR2 without SA_RESTART,
// SIGWINCH with it, and SIGUSR1, the shim's dump signal, which the program's handler takes over), and sends
// them to threads really asleep in sem_wait, cond waits, read, recv, write, poll, ppoll, select, epoll_wait,
// locks, join, barrier and nanosleep.
// Results and errno must be exactly those of the run without the shim (stdout is compared), the program's own
// handler runs every time, and the shim prints nothing (no live report for the program's SIGUSR1).
// OPTIONS: grace_ms=50
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^sem_wait \+ SIGUSR2: -1 EINTR$
// STDOUT: ^sem_wait \+ SIGWINCH \(SA_RESTART\), then a post: 0$
// STDOUT: ^sem_wait \+ SIGUSR1 \(program's handler\): -1 EINTR$
// STDOUT: ^sem_timedwait \+ SIGUSR2: -1 EINTR$
// STDOUT: ^pthread_cond_timedwait \+ SIGUSR2: ETIMEDOUT$
// STDOUT: ^pthread_cond_wait \+ SIGUSR2, then signalled: 0$
// STDOUT: ^read \+ SIGUSR2: -1 EINTR$
// STDOUT: ^read \+ SIGWINCH \(SA_RESTART\), then a byte: 1 0$
// STDOUT: ^poll \+ SIGWINCH \(SA_RESTART\): -1 EINTR$
// STDOUT: ^ppoll \+ SIGUSR2: -1 EINTR$
// STDOUT: ^select \+ SIGWINCH \(SA_RESTART\): -1 EINTR$
// STDOUT: ^epoll_wait \+ SIGWINCH \(SA_RESTART\): -1 EINTR$
// STDOUT: ^write to a full pipe \+ SIGUSR2: -1 EINTR$
// STDOUT: ^recv \+ SIGUSR2: -1 EINTR$
// STDOUT: ^recv \+ SIGWINCH \(SA_RESTART\), then a byte: 1 0$
// STDOUT: ^nanosleep \+ SIGUSR2: -1 EINTR, time left$
// STDOUT: ^pthread_mutex_timedlock \+ SIGUSR2: ETIMEDOUT$
// STDOUT: ^pthread_rwlock_timedwrlock \+ SIGUSR2: ETIMEDOUT$
// STDOUT: ^pthread_join \+ SIGUSR2: 0$
// STDOUT: ^pthread_barrier_wait \+ SIGUSR2, then main arrives: 0$
// STDOUT: ^handlers: SIGUSR2 13, SIGWINCH 6, SIGUSR1 1$
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "../../stress/waitsys.h"

static atomic_int hits[NSIG];
static atomic_int tid;
static sem_t zero;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER, held = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t wheld = PTHREAD_RWLOCK_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t bar;
static int pipefd[2], fullpipe[2], sock[2], ep, go;
static char junk[1 << 16];
static char result[128];

static void on_signal(int sig)
{
    int e = errno;
    atomic_fetch_add(&hits[sig], 1);
    errno = e;
}

static void handle(int sig, int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static struct timespec after_ms(clockid_t clk, int ms)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    return ts;
}

/* "-1 EINTR" for calls that set errno, "ETIMEDOUT" / "0" for those that return an error number. */
static void errno_result(int r)
{
    int e = errno;
    if (r == 0)
        snprintf(result, sizeof result, "0");
    else
        snprintf(result, sizeof result, "%d %s", r, strerrorname_np(e));
}
static void code_result(int r)
{
    snprintf(result, sizeof result, "%s", r ? strerrorname_np(r) : "0");
}

static void *short_lived(void *arg)
{
    (void)arg;
    usleep(80 * 1000);
    return NULL;
}

enum op { SEM, SEM_TIMED, COND_TIMED, COND, READ, READ_RESTART, POLL, PPOLL, SELECT, EPOLL, WRITE_FULL, RECV,
          RECV_RESTART, SLEEP, MUTEX_TIMED, RW_TIMED, JOIN, BARRIER };

static void *blocked(void *arg)
{
    enum op op = (enum op)(long)arg;
    struct timespec rt = after_ms(CLOCK_REALTIME, 150), far = after_ms(CLOCK_REALTIME, 60000);
    struct timespec ten = { 10, 0 }, left = { 0, 0 };
    struct pollfd pfd = { pipefd[0], POLLIN, 0 };
    struct epoll_event ev;
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(pipefd[0], &rd);
    pthread_t t;
    char c = 'x';
    int r;
    if (op == JOIN)
        pthread_create(&t, NULL, short_lived, NULL);
    atomic_store(&tid, (int)syscall(SYS_gettid));
    switch (op) {
    case SEM: errno_result(sem_wait(&zero)); break;
    case SEM_TIMED: errno_result(sem_timedwait(&zero, &far)); break;
    case COND_TIMED:
        pthread_mutex_lock(&mu);
        r = pthread_cond_timedwait(&cv, &mu, &rt);
        pthread_mutex_unlock(&mu);
        code_result(r);
        break;
    case COND:
        pthread_mutex_lock(&mu);
        r = 0;
        while (!go && r == 0)
            r = pthread_cond_wait(&cv, &mu);
        pthread_mutex_unlock(&mu);
        code_result(r);
        break;
    case READ: errno_result((int)read(pipefd[0], &c, 1)); break;
    case READ_RESTART:
        r = (int)read(pipefd[0], &c, 1);
        snprintf(result, sizeof result, "%d %c", r, c);
        break;
    case POLL: errno_result(poll(&pfd, 1, -1)); break;
    case PPOLL: errno_result(ppoll(&pfd, 1, NULL, NULL)); break;
    case SELECT: errno_result(select(pipefd[0] + 1, &rd, NULL, NULL, NULL)); break;
    case EPOLL: errno_result(epoll_wait(ep, &ev, 1, -1)); break;
    case WRITE_FULL: errno_result((int)write(fullpipe[1], junk, sizeof junk)); break;
    case RECV: errno_result((int)recv(sock[0], &c, 1, 0)); break;
    case RECV_RESTART:
        r = (int)recv(sock[0], &c, 1, 0);
        snprintf(result, sizeof result, "%d %c", r, c);
        break;
    case SLEEP:
        r = nanosleep(&ten, &left);
        errno_result(r);
        if (r && left.tv_sec > 0)
            strcat(result, ", time left");
        break;
    case MUTEX_TIMED: code_result(pthread_mutex_timedlock(&held, &rt)); break;
    case RW_TIMED: code_result(pthread_rwlock_timedwrlock(&wheld, &rt)); break;
    case JOIN: code_result(pthread_join(t, NULL)); break;
    case BARRIER: code_result(pthread_barrier_wait(&bar)); break;
    }
    return NULL;
}

/* The system call each op sleeps in (glibc on Linux). */
static long sys_of(enum op op)
{
    switch (op) {
    case READ: case READ_RESTART: return SYS_read;
    case POLL: return SYS_poll;
    case PPOLL: return SYS_ppoll;
    case SELECT: return SYS_pselect6;
    case EPOLL: return SYS_epoll_wait;
    case WRITE_FULL: return SYS_write;
    case RECV: case RECV_RESTART: return SYS_recvfrom;
    case SLEEP: return SYS_clock_nanosleep;
    default: return SYS_futex;
    }
}

/* Start a thread blocked in op, wait until it sleeps in the kernel, send sig, then run `then` (if any) and
 * print the thread's result under label. */
static void one(const char *label, enum op op, int sig, void (*then)(void))
{
    pthread_t t;
    atomic_store(&tid, 0);
    pthread_create(&t, NULL, blocked, (void *)(long)op);
    while (!atomic_load(&tid))
        usleep(1000);
    if (!wait_in_syscall(atomic_load(&tid), sys_of(op), 2000))
        printf("%s: not asleep in the kernel\n", label);
    pthread_kill(t, sig);
    if (then) {
        usleep(30 * 1000);              /* the handler ran; the call went back to sleep (or returned) */
        then();
    }
    struct timespec limit = after_ms(CLOCK_REALTIME, 3000);
    if (pthread_timedjoin_np(t, NULL, &limit) != 0) {
        snprintf(result, sizeof result, "STILL BLOCKED after 3 s");
        pthread_cancel(t);
        pthread_join(t, NULL);
    }
    printf("%s: %s\n", label, result);
}

static void signal_cond(void)
{
    pthread_mutex_lock(&mu);
    go = 1;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
}

static void post(void)
{
    sem_post(&zero);
}

static void write_byte(void)
{
    (void)!write(pipefd[1], "0", 1);
}

static void send_byte(void)
{
    (void)!send(sock[1], "0", 1, 0);
}

static void arrive(void)
{
    int r = pthread_barrier_wait(&bar);
    (void)r;
}

int main(void)
{
    handle(SIGUSR2, 0);
    handle(SIGWINCH, SA_RESTART);
    handle(SIGUSR1, 0);
    sem_init(&zero, 0, 0);
    pthread_barrier_init(&bar, NULL, 2);
    if (pipe(pipefd) != 0 || pipe(fullpipe) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sock) != 0 ||
        (ep = epoll_create1(0)) < 0)
        return 1;
    /* A full pipe for the blocked write; an epoll set watching the idle pipe. */
    fcntl(fullpipe[1], F_SETFL, O_NONBLOCK);
    while (write(fullpipe[1], junk, sizeof junk) > 0)
        ;
    fcntl(fullpipe[1], F_SETFL, 0);
    struct epoll_event ev = { .events = EPOLLIN };
    epoll_ctl(ep, EPOLL_CTL_ADD, pipefd[0], &ev);
    pthread_mutex_lock(&held);
    pthread_rwlock_wrlock(&wheld);

    one("sem_wait + SIGUSR2", SEM, SIGUSR2, NULL);
    one("sem_wait + SIGWINCH (SA_RESTART), then a post", SEM, SIGWINCH, post);
    one("sem_wait + SIGUSR1 (program's handler)", SEM, SIGUSR1, NULL);
    one("sem_timedwait + SIGUSR2", SEM_TIMED, SIGUSR2, NULL);
    one("pthread_cond_timedwait + SIGUSR2", COND_TIMED, SIGUSR2, NULL);
    one("pthread_cond_wait + SIGUSR2, then signalled", COND, SIGUSR2, signal_cond);
    one("read + SIGUSR2", READ, SIGUSR2, NULL);
    one("read + SIGWINCH (SA_RESTART), then a byte", READ_RESTART, SIGWINCH, write_byte);
    one("poll + SIGWINCH (SA_RESTART)", POLL, SIGWINCH, NULL);
    one("ppoll + SIGUSR2", PPOLL, SIGUSR2, NULL);
    one("select + SIGWINCH (SA_RESTART)", SELECT, SIGWINCH, NULL);
    one("epoll_wait + SIGWINCH (SA_RESTART)", EPOLL, SIGWINCH, NULL);
    one("write to a full pipe + SIGUSR2", WRITE_FULL, SIGUSR2, NULL);
    one("recv + SIGUSR2", RECV, SIGUSR2, NULL);
    one("recv + SIGWINCH (SA_RESTART), then a byte", RECV_RESTART, SIGWINCH, send_byte);
    one("nanosleep + SIGUSR2", SLEEP, SIGUSR2, NULL);
    one("pthread_mutex_timedlock + SIGUSR2", MUTEX_TIMED, SIGUSR2, NULL);
    one("pthread_rwlock_timedwrlock + SIGUSR2", RW_TIMED, SIGUSR2, NULL);
    one("pthread_join + SIGUSR2", JOIN, SIGUSR2, NULL);
    one("pthread_barrier_wait + SIGUSR2, then main arrives", BARRIER, SIGUSR2, arrive);

    pthread_mutex_unlock(&held);
    pthread_rwlock_unlock(&wheld);
    printf("handlers: SIGUSR2 %d, SIGWINCH %d, SIGUSR1 %d\n", atomic_load(&hits[SIGUSR2]),
           atomic_load(&hits[SIGWINCH]), atomic_load(&hits[SIGUSR1]));
    return 0;
}
