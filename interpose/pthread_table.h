/* The words of pthread.inc's table, for the files that expand it (pthread.c, mutex.c): each defines the verbs
 * it makes wrappers of (PT_WAIT, PT_BLOCK, PT_JOIN / PT_LOCK, PT_TIMEDLOCK, PT_TRYLOCK) and empty ones for the
 * others. */
#ifndef LC_PTHREAD_TABLE_H
#define LC_PTHREAD_TABLE_H
#include <errno.h>
#include "../runtime/lockset.h"
#include "../runtime/task.h"

/* LOCK, TIMEDLOCK and TRYLOCK objects: the kind of object and the mode the lock is taken in. */
#define PT_OBJ_MUTEX LC_OBJ_MUTEX
#define PT_OBJ_RDLOCK LC_OBJ_RWLOCK
#define PT_OBJ_WRLOCK LC_OBJ_RWLOCK
#define PT_MODE_MUTEX LC_LK_MUTEX
#define PT_MODE_RDLOCK LC_LK_READ
#define PT_MODE_WRLOCK LC_LK_WRITE

/* The try form's result, LC_WOULD_BLOCK when the real call would block. try is BUSY(sym) or AGAIN(sym). */
#define PT_TRIED(try, ...) PT_TRIED_(PT_TRY_##try, __VA_ARGS__)
#define PT_TRY_BUSY(sym) sym, PT_IS_EBUSY
#define PT_TRY_AGAIN(sym) sym, PT_IS_EAGAIN
#define PT_IS_EBUSY(r) ((r) == EBUSY)
#define PT_IS_EAGAIN(r) ((r) != 0 && errno == EAGAIN)
#define PT_TRIED_(...) PT_TRIED__(__VA_ARGS__)
#define PT_TRIED__(sym, busy, ...) ({ int r__ = LC_TRY(sym, __VA_ARGS__); busy(r__) ? LC_WOULD_BLOCK : r__; })

/* One line of pthread.inc -> PT_<verb>(name, params, args, try, object, arg). */
#define PTHREAD_WRAPPER(verb, ...) PT_##verb(__VA_ARGS__)
#endif
