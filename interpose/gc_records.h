/* What the gc family's entry and return hooks write on Go's threads (gc_hooks.c) and the shim's thread reads
 * (gc_family.c): fixed tables in memory mapped at start-up, written with plain stores and atomics only.
 * - spawns: for each goroutine started, its parent and the stack of its go statement, by goid;
 * - channels: where each channel was made and first closed, by its address;
 * - sites: misuse that may repeat at any rate (double close, close of nil), counted by where it happens;
 * - events: the rare rest (panics and fatal errors worth a finding), in a ring the shim's thread drains;
 * - the depot: every stack these record, once. */
#ifndef LC_GC_RECORDS_H
#define LC_GC_RECORDS_H
#include <stdint.h>
#include "../runtime/chan.h"

#define GC_PCS 14                         /* frames kept per recorded stack */

struct gc_stack { uint32_t n; uint32_t pad; uintptr_t pc[GC_PCS]; };

/* The stacks the hooks record, each stored once (open addressing by hash) and named by index + 1: records
 * hold these ids, so that a channel or goroutine record is small, and the stacks, few, stay in the cache. */
#define GC_DEPOT (1u << 14)
#define GC_DEPOT_PROBES 32
struct gc_depot_entry {
    volatile uint64_t hash;               /* 0 free; written first (claim), then the frames, then ready */
    volatile uint32_t ready;
    struct gc_stack st;
};
typedef uint32_t gc_sid;                  /* 0: none (not recorded, or the depot was full) */

#define GC_SPAWNS (1u << 16)              /* direct-mapped by goid: a record lives until goid + GC_SPAWNS */
struct gc_spawn {
    volatile uint64_t goid;               /* written last: the record is complete when it matches */
    uint64_t parent;
    gc_sid at;                            /* the go statement and its callers */
    uint32_t pad;
};

#ifndef GC_CHANS_LOG2
#define GC_CHANS_LOG2 15                  /* (a test build makes it small: slots change hands all the time) */
#endif
#define GC_CHANS (1u << GC_CHANS_LOG2)    /* open addressing by address, GC_CHAN_PROBES probes in one line */
#define GC_CHAN_PROBES 8
/* The first slot of channel c's group (neighbouring channels, neighbouring groups: see lc_chan_group). */
static inline unsigned gc_chan_group(uint64_t c)
{
    return lc_chan_group(c, GC_CHANS, GC_CHAN_PROBES);
}

/* A channel's mark in its record's closed word: its address's low bits, odd (never 0). Channels of one group
 * are neighbours, so two of them never share it. */
static inline uint32_t gc_chan_tag(uint64_t c)
{
    return (uint32_t)c | 1;
}

struct gc_chanrec {
    volatile uint64_t key;                /* the hchan this record is of (as chan_key[] said when written) */
    volatile uint32_t seq;                /* odd while being written */
    uint32_t closed;                      /* the tag (gc_chan_tag) of the channel closed since the record was
                                           * made, 0 none: a close racing with the slot's reuse for another
                                           * channel leaves a tag that is not the new one's */
    uint64_t made_by, closed_by;          /* goids */
    gc_sid made_at, closed_at;
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
    gc_sid at;
    uint32_t pad2;
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
    gc_sid at, first;                     /* where it happened; for a double close, where the first close was */
};

struct gc_records {
    struct gc_depot_entry depot[GC_DEPOT];
    struct gc_spawn spawn[GC_SPAWNS];
    /* the channel table: keys (hchan, 0 free) and ages (for eviction) apart from the records, so that a
     * lookup reads one cache line of each; a reused address overwrites its record */
    volatile uint64_t chan_key[GC_CHANS] __attribute__((aligned(64)));
    uint64_t chan_stamp[GC_CHANS] __attribute__((aligned(64)));
    struct gc_chanrec chan[GC_CHANS];
    struct gc_event event[GC_EVENTS];
    struct gc_site site[GC_SITES];
    volatile uint64_t event_next;         /* ring position of the next event */
    volatile uint64_t lost;               /* events dropped (ring full), records not kept (table full) */
};

/* The tables, mapped by gc_family.c at start (MAP_NORESERVE: only what is written costs memory). */
extern struct gc_records *gc_rec;

/* A stack of the depot by id (shim's thread): returns 1 with a copy. */
int gc_depot_get(gc_sid id, struct gc_stack *out);
/* Reading a channel's record consistently (shim's thread): returns 1 with a copy. */
int gc_chanrec_get(uint64_t chan, struct gc_chanrec *out);
#endif
