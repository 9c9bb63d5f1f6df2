/* Which process this is, decided once at start-up from the process tree (see role.c). */
#ifndef LC_ROLE_H
#define LC_ROLE_H

enum lc_role {
    LC_ROLE_ROOT,       /* the program the user started: checked, its status is the gate */
    LC_ROLE_CHILD,      /* started by a process under the shim: children= says what it does */
    LC_ROLE_LAUNCHER,   /* a launcher the user started (timeout, go...): not checked, every wrapper forwards */
};

/* Raw system calls and the stack only: nothing of the shim is set up yet. */
enum lc_role role_of_process(void);
#endif
