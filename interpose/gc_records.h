/* What the gc family's entry and return hooks write on Go's threads (gc_hooks.c) and the shim's thread reads
 * (gc_family.c): fixed tables in memory mapped at start-up, written with plain stores and atomics only.
 * - spawns: for each goroutine started, its parent and the stack of its go statement, by goid;
 * - channels: where each channel was made and first closed, by its address;
 * - events: misuse seen as it happened (double close, close of nil), in a ring the shim's thread drains. */
#ifndef LC_GC_RECORDS_H
#define LC_GC_RECORDS_H
#include <stdint.h>

#define GC_PCS 14                         /* frames kept per recorded stack */

struct gc_stack { uint32_t n; uint32_t pad; uintptr_t pc[GC_PCS]; };

#define GC_SPAWNS (1u << 16)              /* direct-mapped by goid: a record lives until goid + GC_SPAWNS */
struct gc_spawn {
    volatile uint64_t goid;               /* written last: the record is complete when it matches */
    uint64_t parent;
    struct gc_stack at;                   /* the go statement and its callers */
};

#define GC_CHANS (1u << 15)               /* open addressing by address, GC_CHAN_PROBES probes */
#define GC_CHAN_PROBES 8
struct gc_chanrec {
    volatile uint64_t key;                /* the hchan (0 free); a reused address overwrites its record */
    volatile uint32_t seq;                /* odd while being written */
    uint32_t closed;                      /* closed_at is set */
    uint64_t made_by, closed_by;          /* goids */
    uint64_t stamp;                       /* age, for eviction */
    struct gc_stack made_at, closed_at;
};

enum gc_event_kind { GE_DOUBLE_CLOSE = 1, GE_CLOSE_NIL, GE_PANIC, GE_FATAL };
/* GE_DOUBLE_CLOSE and GE_CLOSE_NIL go to the site table; the ring has the rare ones (GE_PANIC, GE_FATAL). */
/* The runtime's messages an event of kind GE_PANIC or GE_FATAL is taken for (others are not recorded). */
enum gc_msg { GM_SEND_CLOSED = 1, GM_NEG_WAITGROUP, GM_UNLOCK_UNLOCKED, GM_MAP_WRITES, GM_MAP_READ_WRITE,
              GM_MAP_ITER_WRITE, GM_ALL_ASLEEP };
#define GC_WORDS 40                       /* stack words above the panic, where the object's address is */
#define GC_EVENTS 256
struct gc_event {
    volatile uint32_t seq;                /* 2 * (ring position / GC_EVENTS) + 2 once written */
    uint32_t kind, msg, pad;
    uint64_t chan, goid, g;
    struct gc_stack at;
    uint64_t words[GC_WORDS];             /* GE_PANIC, GE_FATAL: the callers' frames, for the object */
};

/* Misuse that can repeat at a rate (a double close in a loop): counted by site, so that none is lost. */
#define GC_SITES 1024
#define GC_SITE_PROBES 16
struct gc_site {
    volatile uint64_t key;                /* hash of the kind and both stacks (0 free) */
    volatile uint64_t count;
    volatile uint32_t ready;              /* the example below is complete */
    uint32_t kind;
    uint64_t chan, goid, first_goid;      /* the first occurrence */
    struct gc_stack at, first;            /* where it happened; for a double close, where the first close was */
};

struct gc_records {
    struct gc_spawn spawn[GC_SPAWNS];
    struct gc_chanrec chan[GC_CHANS];
    struct gc_event event[GC_EVENTS];
    struct gc_site site[GC_SITES];
    volatile uint64_t event_next;         /* ring position of the next event */
    volatile uint64_t chan_clock;
    volatile uint64_t lost;               /* events dropped (ring full), records not kept (table full) */
};

/* The tables, mapped by gc_family.c at start (MAP_NORESERVE: only what is written costs memory). */
extern struct gc_records *gc_rec;

/* Reading a channel's record consistently (shim's thread): returns 1 with a copy. */
int gc_chanrec_get(uint64_t chan, struct gc_chanrec *out);
#endif
