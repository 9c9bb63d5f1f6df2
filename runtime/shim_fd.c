/* File descriptors the shim opens (its stderr copy, the ELF and debug files libdw reads, libunwind's validation
 * pipe) would take the lowest free numbers and shift every fd the program opens afterwards. They are moved to
 * high numbers instead, and remembered there (one bit per fd) so that the program never reaches them. With
 * each, what it is (device and inode): an fd the shim lost without knowing (closed by a raw system call) and
 * the program got again is the program's. */
#include "shim_fd.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define OWN_MAX 65536
static uint64_t own[OWN_MAX / 64];      /* the shim's fds */
static volatile int own_low = OWN_MAX;  /* none below this one */
static volatile int kept = -1;
#define IDS 256
static struct { volatile int fd; uint64_t dev, ino; } ids[IDS];  /* fd + 1; 0: a free slot */
static volatile int ids_lock;               /* for changes; reads take none (a handler may close an fd) */

static int ident(int fd, uint64_t *dev, uint64_t *ino)
{
    struct stat st;
    int e = errno;
    int ok = syscall(SYS_fstat, fd, &st) == 0;
    errno = e;
    *dev = st.st_dev;
    *ino = st.st_ino;
    return ok;
}

static int high_base(void)
{
    static int base;
    if (!base) {
        struct rlimit rl;
        rlim_t lim = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;
        base = lim > 2048 ? 1024 : lim > 64 ? (int)(lim / 2) : 3;
    }
    return base;
}

/* Remember what fd is now, or forget it. */
static void id_set(int fd, int on)
{
    uint64_t dev = 0, ino = 0;
    if (on && !ident(fd, &dev, &ino))
        return;
    while (__atomic_exchange_n(&ids_lock, 1, __ATOMIC_ACQUIRE))
        __builtin_ia32_pause();
    int slot = -1;
    for (int i = 0; i < IDS; i++) {
        if (ids[i].fd == fd + 1)
            __atomic_store_n(&ids[i].fd, 0, __ATOMIC_RELEASE);
        if (!ids[i].fd && slot < 0)
            slot = i;
    }
    if (on && slot >= 0) {
        ids[slot].dev = dev;
        ids[slot].ino = ino;
        __atomic_store_n(&ids[slot].fd, fd + 1, __ATOMIC_RELEASE);
    }
    __atomic_store_n(&ids_lock, 0, __ATOMIC_RELEASE);
}

/* Whether fd still is what was remembered of it. */
static int id_same(int fd)
{
    uint64_t dev, ino;
    if (!ident(fd, &dev, &ino))
        return 0;
    for (int i = 0; i < IDS; i++)
        if (__atomic_load_n(&ids[i].fd, __ATOMIC_ACQUIRE) == fd + 1)
            return ids[i].dev == dev && ids[i].ino == ino;
    return 0;
}

static void own_set(int fd, int on)
{
    if (fd < 0 || fd >= OWN_MAX)
        return;
    id_set(fd, on);
    if (on) {
        __atomic_or_fetch(&own[fd / 64], 1ull << (fd % 64), __ATOMIC_RELEASE);
        for (int low = own_low; fd < low && !__atomic_compare_exchange_n(&own_low, &low, fd, 0, __ATOMIC_RELEASE,
                                                                          __ATOMIC_RELAXED);)
            ;
    } else {
        __atomic_and_fetch(&own[fd / 64], ~(1ull << (fd % 64)), __ATOMIC_RELEASE);
    }
}

static int marked(int fd)
{
    return fd >= own_low && fd < OWN_MAX && (__atomic_load_n(&own[fd / 64], __ATOMIC_ACQUIRE) >> (fd % 64)) & 1;
}

int lc_fd_shim(int fd)
{
    if (!marked(fd))
        return 0;
    if (id_same(fd))
        return 1;
    own_set(fd, 0);                     /* lost, and the number is someone else's now */
    if (fd == lc_fd_kept())
        lc_fd_keep(-1);
    return 0;
}

int lc_fd_shim_next(int from)
{
    if (from < own_low)
        from = own_low;
    for (int w = from / 64; from < OWN_MAX; w++, from = w * 64) {
        uint64_t bits = __atomic_load_n(&own[w], __ATOMIC_ACQUIRE) >> (from % 64);
        for (; bits; bits &= bits - 1)
            if (lc_fd_shim(from + __builtin_ctzll(bits)))
                return from + __builtin_ctzll(bits);
    }
    return -1;
}

void lc_fd_release(int fd)
{
    own_set(fd, 0);
    if (fd == lc_fd_kept())
        lc_fd_keep(-1);
}

int lc_fd_hide(int fd)
{
    if (fd < 0)
        return fd;
    long hi = fd;
    if (fd < high_base()) {
        int e = errno;
        hi = syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, high_base());
        if (hi >= 0)
            syscall(SYS_close, fd);
        errno = e;
    }
    if (hi < 0)
        return fd;                      /* no room up there: keep the low one (not the shim's to guard) */
    own_set((int)hi, 1);
    return (int)hi;
}

void lc_fd_keep(int fd)
{
    __atomic_store_n(&kept, fd, __ATOMIC_RELEASE);
}

int lc_fd_kept(void)
{
    return __atomic_load_n(&kept, __ATOMIC_ACQUIRE);
}

void lc_fd_make_room(int fd)
{
    if (!lc_fd_shim(fd))
        return;
    own_set(fd, 0);                     /* the program's now, whoever in the shim held it */
    if (fd != lc_fd_kept())
        return;
    int e = errno;
    long moved = syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, fd + 1);
    lc_fd_keep(moved >= 0 ? (int)moved : -1);   /* the program's dup2 replaces the old number */
    if (moved >= 0)
        own_set((int)moved, 1);
    errno = e;
}
