/* File descriptors the shim opens (its stderr copy, the ELF and debug files libdw reads, libunwind's validation
 * pipe) would take the lowest free numbers and shift every fd the program opens afterwards. They are moved to
 * high numbers instead. */
#include "shim_fd.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

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

int lc_fd_hide(int fd)
{
    if (fd < 0 || fd >= high_base())
        return fd;
    int e = errno;
    long hi = syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, high_base());
    if (hi >= 0)
        syscall(SYS_close, fd);
    errno = e;
    return hi < 0 ? fd : (int)hi;       /* no room up there: keep the low one */
}

static volatile int kept = -1;

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
    if (fd < 0 || fd != lc_fd_kept())
        return;
    int e = errno;
    long moved = syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, fd + 1);
    if (moved < 0)
        moved = syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, high_base());
    /* the program's dup2 replaces the old number; the copy (if there was room for one) is ours now */
    lc_fd_keep(moved >= 0 && moved != fd ? (int)moved : -1);
    errno = e;
}
