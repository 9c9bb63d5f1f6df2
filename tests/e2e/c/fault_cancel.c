// Thread cancellation in every blocking call the shim wraps (synchronisation and fd waits): a thread blocked
// in each one (really asleep in the kernel) is cancelled and joined. Calls that are cancellation points are
// cancelled the usual (deferred) way; lock and barrier waits, which are not, with asynchronous cancellation.
// Each thread's result is PTHREAD_CANCELED, its cleanup handler ran, a condition wait's mutex is left free:
// exactly as without the shim (stdout is compared), and nothing is reported.
// OPTIONS: grace_ms=50
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^pthread_cond_wait: canceled, cleanup ran, mutex free$
// STDOUT: ^pthread_cond_timedwait: canceled, cleanup ran, mutex free$
// STDOUT: ^pthread_cond_clockwait: canceled, cleanup ran, mutex free$
// STDOUT: ^sem_wait: canceled, cleanup ran$
// STDOUT: ^sem_timedwait: canceled, cleanup ran$
// STDOUT: ^sem_clockwait: canceled, cleanup ran$
// STDOUT: ^pthread_join: canceled, cleanup ran$
// STDOUT: ^pthread_timedjoin_np: canceled, cleanup ran$
// STDOUT: ^pthread_clockjoin_np: canceled, cleanup ran$
// STDOUT: ^read: canceled, cleanup ran$
// STDOUT: ^readv: canceled, cleanup ran$
// STDOUT: ^write: canceled, cleanup ran$
// STDOUT: ^recv: canceled, cleanup ran$
// STDOUT: ^send: canceled, cleanup ran$
// STDOUT: ^poll: canceled, cleanup ran$
// STDOUT: ^ppoll: canceled, cleanup ran$
// STDOUT: ^select: canceled, cleanup ran$
// STDOUT: ^epoll_wait: canceled, cleanup ran$
// STDOUT: ^pthread_mutex_lock \(async\): canceled, cleanup ran$
// STDOUT: ^pthread_mutex_timedlock \(async\): canceled, cleanup ran$
// STDOUT: ^pthread_mutex_clocklock \(async\): canceled, cleanup ran$
// STDOUT: ^pthread_rwlock_rdlock \(async\): canceled, cleanup ran$
// STDOUT: ^pthread_rwlock_wrlock \(async\): canceled, cleanup ran$
// STDOUT: ^pthread_rwlock_timedrdlock \(async\): canceled, cleanup ran$
// STDOUT: ^pthread_rwlock_timedwrlock \(async\): canceled, cleanup ran$
// STDOUT: ^pthread_barrier_wait \(async\): canceled, cleanup ran$
// STDOUT: ^joinee joined: 0$
// STDOUT: ^all 26 cancelled$
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "../../stress/waitsys.h"

enum op {
    COND_WAIT, COND_TIMEDWAIT, COND_CLOCKWAIT, SEM_WAIT, SEM_TIMEDWAIT, SEM_CLOCKWAIT, JOIN, TIMEDJOIN, CLOCKJOIN,
    READ, READV, WRITE, RECV, SEND, POLL, PPOLL, SELECT, EPOLL_WAIT, MUTEX_LOCK, MUTEX_TIMEDLOCK, MUTEX_CLOCKLOCK, RW_RDLOCK, RW_WRLOCK, RW_TIMEDRDLOCK,
    RW_TIMEDWRLOCK, BARRIER, NOPS
};
static const char *const names[NOPS] = {
    "pthread_cond_wait", "pthread_cond_timedwait", "pthread_cond_clockwait", "sem_wait", "sem_timedwait",
    "sem_clockwait", "pthread_join", "pthread_timedjoin_np", "pthread_clockjoin_np", "read", "readv", "write", "recv",
    "send", "poll", "ppoll", "select", "epoll_wait",
    "pthread_mutex_lock", "pthread_mutex_timedlock", "pthread_mutex_clocklock", "pthread_rwlock_rdlock",
    "pthread_rwlock_wrlock", "pthread_rwlock_timedrdlock", "pthread_rwlock_timedwrlock", "pthread_barrier_wait",
};

static pthread_mutex_t cmu = PTHREAD_MUTEX_INITIALIZER;      /* the condition waits' mutex */
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;     /* held by main: lock waits block on it */
static pthread_rwlock_t wheld = PTHREAD_RWLOCK_INITIALIZER;  /* write-held by main */
static sem_t zero;
static pthread_barrier_t bar;                                /* count 2, one waiter */
static pthread_t joinee;                                     /* blocked on a semaphore until the end */
static sem_t joinee_go;
static int pipefd[2], fullpipe[2], sock[2], fullsock[2], ep;
static char junk[1 << 16];
static atomic_int tid, cleaned;

static void cleanup(void *arg)
{
    atomic_store(&cleaned, 1);
    if (arg)
        pthread_mutex_unlock(arg);      /* a cancelled condition wait re-acquired the mutex */
}

static struct timespec later(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    ts.tv_sec += 60;
    return ts;
}

static void *joinee_main(void *arg)
{
    (void)arg;
    while (sem_wait(&joinee_go) != 0)
        ;
    return NULL;
}

static void *blocker(void *arg)
{
    enum op op = (enum op)(long)arg;
    struct timespec rt = later(CLOCK_REALTIME), mono = later(CLOCK_MONOTONIC);
    char c;
    struct iovec iov = { &c, 1 };
    struct pollfd pfd = { pipefd[0], POLLIN, 0 };
    struct epoll_event ev;
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(pipefd[0], &rd);
    int async = op >= MUTEX_LOCK;
    pthread_setcanceltype(async ? PTHREAD_CANCEL_ASYNCHRONOUS : PTHREAD_CANCEL_DEFERRED, NULL);
    int cond = op <= COND_CLOCKWAIT;
    if (cond)
        pthread_mutex_lock(&cmu);
    pthread_cleanup_push(cleanup, cond ? &cmu : NULL);
    atomic_store(&tid, (int)syscall(SYS_gettid));
    switch (op) {
    case COND_WAIT: for (;;) pthread_cond_wait(&never, &cmu); break;
    case COND_TIMEDWAIT: for (;;) pthread_cond_timedwait(&never, &cmu, &rt); break;
    case COND_CLOCKWAIT: for (;;) pthread_cond_clockwait(&never, &cmu, CLOCK_MONOTONIC, &mono); break;
    case SEM_WAIT: for (;;) sem_wait(&zero); break;
    case SEM_TIMEDWAIT: for (;;) sem_timedwait(&zero, &rt); break;
    case SEM_CLOCKWAIT: for (;;) sem_clockwait(&zero, CLOCK_MONOTONIC, &mono); break;
    case JOIN: pthread_join(joinee, NULL); break;
    case TIMEDJOIN: pthread_timedjoin_np(joinee, NULL, &rt); break;
    case CLOCKJOIN: pthread_clockjoin_np(joinee, NULL, CLOCK_MONOTONIC, &mono); break;
    case READ: for (;;) (void)!read(pipefd[0], &c, 1); break;
    case READV: for (;;) (void)!readv(pipefd[0], &iov, 1); break;
    case WRITE: for (;;) (void)!write(fullpipe[1], junk, sizeof junk); break;
    case RECV: for (;;) (void)!recv(sock[0], &c, 1, 0); break;
    case SEND: for (;;) (void)!send(fullsock[0], junk, sizeof junk, 0); break;
    case POLL: for (;;) poll(&pfd, 1, -1); break;
    case PPOLL: for (;;) ppoll(&pfd, 1, NULL, NULL); break;
    case SELECT: for (;;) select(pipefd[0] + 1, &rd, NULL, NULL, NULL); break;
    case EPOLL_WAIT: for (;;) epoll_wait(ep, &ev, 1, -1); break;
    case MUTEX_LOCK: pthread_mutex_lock(&held); break;
    case MUTEX_TIMEDLOCK: pthread_mutex_timedlock(&held, &rt); break;
    case MUTEX_CLOCKLOCK: pthread_mutex_clocklock(&held, CLOCK_MONOTONIC, &mono); break;
    case RW_RDLOCK: pthread_rwlock_rdlock(&wheld); break;
    case RW_WRLOCK: pthread_rwlock_wrlock(&wheld); break;
    case RW_TIMEDRDLOCK: pthread_rwlock_timedrdlock(&wheld, &rt); break;
    case RW_TIMEDWRLOCK: pthread_rwlock_timedwrlock(&wheld, &rt); break;
    case BARRIER: pthread_barrier_wait(&bar); break;
    case NOPS: break;
    }
    pthread_cleanup_pop(0);
    return (void *)"returned";          /* never: the call blocks until cancelled */
}

/* The system call each op sleeps in (glibc on Linux). */
static long sys_of(int op)
{
    switch (op) {
    case READ: return SYS_read;
    case READV: return SYS_readv;
    case WRITE: return SYS_write;
    case RECV: return SYS_recvfrom;
    case SEND: return SYS_sendto;
    case POLL: return SYS_poll;
    case PPOLL: return SYS_ppoll;
    case SELECT: return SYS_pselect6;
    case EPOLL_WAIT: return SYS_epoll_wait;
    default: return SYS_futex;
    }
}

static void fill(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    while (write(fd, junk, sizeof junk) > 0)
        ;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
}

int main(void)
{
    int ncancelled = 0;
    sem_init(&zero, 0, 0);
    sem_init(&joinee_go, 0, 0);
    pthread_barrier_init(&bar, NULL, 2);
    if (pipe(pipefd) != 0 || pipe(fullpipe) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sock) != 0 ||
        socketpair(AF_UNIX, SOCK_STREAM, 0, fullsock) != 0 || (ep = epoll_create1(0)) < 0)
        return 1;
    /* Fill a pipe and a socket so that a blocking write/send waits; the epoll set watches an idle pipe. */
    fill(fullpipe[1]);
    fill(fullsock[0]);
    struct epoll_event ev = { .events = EPOLLIN };
    epoll_ctl(ep, EPOLL_CTL_ADD, pipefd[0], &ev);
    pthread_mutex_lock(&held);
    pthread_rwlock_wrlock(&wheld);
    pthread_create(&joinee, NULL, joinee_main, NULL);

    for (int op = 0; op < NOPS; op++) {
        pthread_t t;
        void *ret;
        atomic_store(&tid, 0);
        atomic_store(&cleaned, 0);
        pthread_create(&t, NULL, blocker, (void *)(long)op);
        while (!atomic_load(&tid))
            usleep(1000);
        if (!wait_in_syscall(atomic_load(&tid), sys_of(op), 2000))
            printf("%s: not blocked in the kernel after 2 s\n", names[op]);
        pthread_cancel(t);
        pthread_join(t, &ret);
        int free_now = 1;
        if (op <= COND_CLOCKWAIT) {
            free_now = pthread_mutex_trylock(&cmu) == 0;
            if (free_now)
                pthread_mutex_unlock(&cmu);
        }
        ncancelled += ret == PTHREAD_CANCELED;
        printf("%s%s: %s, cleanup %s%s\n", names[op], op >= MUTEX_LOCK ? " (async)" : "",
               ret == PTHREAD_CANCELED ? "canceled" : "NOT canceled", atomic_load(&cleaned) ? "ran" : "did not run",
               op <= COND_CLOCKWAIT ? (free_now ? ", mutex free" : ", mutex HELD") : "");
    }
    pthread_mutex_unlock(&held);
    pthread_rwlock_unlock(&wheld);
    sem_post(&joinee_go);
    printf("joinee joined: %d\n", pthread_join(joinee, NULL));
    printf("all %d cancelled\n", ncancelled);
    return 0;
}
