/* File descriptors the shim's own libraries open (libunwind's validation pipe, the ELF files libdw keeps open
 * for symbolization) would take the lowest free numbers and shift every fd the program opens afterwards. Calls
 * made from inside the shim are moved to high numbers instead, out of the program's way. */
#include "ownfd.h"
#include <fcntl.h>
#include <stdarg.h>
#include <sys/resource.h>
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
    int hi = fcntl(fd, F_DUPFD_CLOEXEC, high_base());
    if (hi < 0) {                       /* no room up there: keep the low one */
        errno = e;
        return fd;
    }
    close(fd);                          /* lc_in_shim is set: our close wrapper only forwards */
    errno = e;
    return hi;
}

LC_REAL_DECL(int, open, (const char *, int, ...));
LC_EXPORT int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    int fd = LC_REAL(open)(path, flags, mode);
    return lc_in_shim ? lc_fd_hide(fd) : fd;
}
