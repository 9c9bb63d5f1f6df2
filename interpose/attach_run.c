#include "attach.h"
int at_run(char **argv);
int at_run(char **argv) { (void)argv; return 2; }
