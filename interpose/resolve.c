/* dlsym(RTLD_NEXT) bootstrap and the reentrancy guard. Wrappers may run before our constructor (other
 * libraries' constructors, dlsym's own allocations), so resolution is lazy and needs nothing initialised. */
#include "resolve.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

LC_TLS int lc_in_shim;
int lc_ready;

void *lc_dlsym_next(const char *name, int required)
{
    lc_in_shim++;
    void *p = dlsym(RTLD_NEXT, name);
    lc_in_shim--;
    if (!p && required) {
        /* No stdio here: this can run before anything is set up. */
        static const char pre[] = "leakcheck: cannot find the real ";
        syscall(SYS_write, 2, pre, sizeof pre - 1);
        syscall(SYS_write, 2, name, strlen(name));
        syscall(SYS_write, 2, "\n", 1);
        abort();
    }
    return p;
}
