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
