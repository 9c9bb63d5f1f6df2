/* New programs and namespaces: exec, posix_spawn, system, popen, unshare, setns (spawn.c). */
#ifndef LC_SPAWN_H
#define LC_SPAWN_H

/* Start-up: the real functions resolved before a vfork child can need them. */
void spawn_init(void);
#endif
