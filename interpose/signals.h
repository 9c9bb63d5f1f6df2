/* The lifecycle's signals: the dump signal, the fatal ones and the crashes. Handlers only set a bit and wake
 * the shim's thread (shim_thread.c), which does the work; the program's view of each disposition is kept by
 * sigview.c, the dump signal's block in the program's threads by sigmask.c. */
#ifndef LC_SIGNALS_H
#define LC_SIGNALS_H
#include <stdint.h>
#include <time.h>

/* Start-up: the handlers in, where the program's actions let them (go: under libgo, in front of Go's). */
void signals_install(int go);
/* Under libgo: the program asks for sig itself (os/signal's Notify or Ignore; on 0, Stop or Reset gave it back).
 * While it does, Go's handler alone has sig: no live report for the dump signal, no report of a fatal one. */
void signals_go_catches(int sig, int on);
/* Fork child: forget signals taken in the parent. */
void signals_after_fork(void);

/* ---- for the shim's thread --------------------------------------------------------------------------------- */
/* A fatal signal or a crash (not the dump signal). */
int signals_is_fatal(int sig);
/* The signals taken since the last call, one bit per signal number. */
uint64_t signals_take_pending(void);
/* The wake-up count, then sleep until it moves on from seen (or until ts passed; NULL: no limit). */
int32_t signals_seq(void);
/* Wake the shim's thread with no signal taken (it re-checks what it must do), and whether any is pending. */
void signals_kick(void);
int signals_has_pending(void);
void signals_wait(int32_t seen, const struct timespec *ts);
/* The report of a fatal signal is written: the threads waiting for it in a handler go on (and die). */
void signals_fatal_reported(void);
/* Die of sig as its default action would. */
void signals_die(int sig);
#endif
