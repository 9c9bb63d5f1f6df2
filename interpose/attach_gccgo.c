#include "attach.h"
#include <stdio.h>
struct at_gccgo *at_gccgo_open(pid_t pid, const char *libgo, uint64_t libgo_base, char *err, size_t errlen)
{ (void)pid; (void)libgo; (void)libgo_base; snprintf(err, errlen, "gccgo: not yet"); return NULL; }
int at_gccgo_read(struct at_gccgo *g, const struct at_proc *p, char *err, size_t errlen) { (void)g; (void)p; (void)err; (void)errlen; return -1; }
void at_gccgo_close(struct at_gccgo *g) { (void)g; }
