/* The lifecycle's signals: the dump signal and the fatal ones. Handlers only set a bit and wake the shim's
 * thread (shim_thread.c), which does the work. */
#ifndef LC_SIGNALS_H
#define LC_SIGNALS_H
#include <stdint.h>
#include <time.h>

/* Start-up: install the handlers where the program left the default action. */
void signals_install(void);
/* libgo has installed its handlers for every signal (the first goroutine spawn from a goroutine): put ours
 * back in front of Go's, chaining to them. */
void signals_go_started(void);
/* Fork child: forget signals taken in the parent. */
void signals_after_fork(void);

/* ---- for the shim's thread --------------------------------------------------------------------------------- */
int signals_is_fatal(int sig);
/* The signals taken since the last call, one bit per signal number. */
uint64_t signals_take_pending(void);
/* The wake-up count, then sleep until it moves on from seen (or until ts passed; NULL: no limit). */
int32_t signals_seq(void);
void signals_wait(int32_t seen, const struct timespec *ts);
/* Under libgo: the report of a fatal signal is written, Go's handler waiting for it may go on. */
void signals_fatal_reported(void);
/* Die of sig as its default action would. */
void signals_die(int sig);
#endif
