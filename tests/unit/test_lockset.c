/* Unit tests for runtime/lockset: held-lock stacks, the lock-order graph, cycle detection and its findings. */
#include <check.h>
#include "unit.h"
#include <string.h>
#include "../../runtime/finding.h"
#include "../../runtime/lock.h"
#include "../../runtime/lockset.h"

static int locks[16];                   /* stand-ins for lock addresses */
#define L(i) ((const void *)&locks[i])

static void setup(void)
{
    lockset_reset();
    finding_reset();
}

/* Take lock i on ls as a wrapper does: order edge first, then push. */
static void take(struct lc_lockset *ls, int i, enum lc_lock_mode mode)
{
    if (lockset_order_new(ls, L(i), mode))
        lockset_new_edge(ls, L(i), mode);
    lockset_push(ls, L(i), mode, 0x1000 + (uintptr_t)i);
}

static size_t count_kind(enum lc_finding_kind k, struct lc_finding *first)
{
    struct lc_finding f[64];
    size_t n = finding_copy(f, 64), c = 0;
    for (size_t i = 0; i < n && i < 64; i++)
        if (f[i].kind == k && c++ == 0 && first)
            *first = f[i];
    return c;
}

START_TEST(push_pop_in_and_out_of_order)
{
    struct lc_lockset *ls = lockset_new(7, 70);
    ck_assert_ptr_nonnull(ls);
    lockset_push(ls, L(0), LC_LK_MUTEX, 0x10);
    lockset_push(ls, L(1), LC_LK_WRITE, 0x11);
    lockset_push(ls, L(2), LC_LK_READ, 0x12);
    ck_assert_uint_eq(ls->n, 3);
    ck_assert_int_eq(LC_HELD_MODE(&ls->held[1]), LC_LK_WRITE);
    ck_assert_uint_eq(LC_HELD_PC(&ls->held[2]), 0x12);
    ck_assert_int_eq(lockset_pop(ls, L(1)), 1);     /* out of order */
    ck_assert_uint_eq(ls->n, 2);
    ck_assert_ptr_eq(ls->held[1].lock, L(2));
    ck_assert_int_eq(lockset_pop(ls, L(5)), 0);     /* never held */
    ck_assert_int_eq(lockset_pop(ls, L(2)), 1);
    ck_assert_int_eq(lockset_pop(ls, L(0)), 1);
    ck_assert_uint_eq(ls->n, 0);
    lockset_free(ls);
}
END_TEST

/* A thread's lockset is one line until it nests; its first nesting moves its one held lock into room for all. */
START_TEST(lockset_grows_at_first_nesting)
{
    struct lc_lockset *ls = lockset_new(3, 30);
    ck_assert_ptr_nonnull(ls);
    ck_assert_int_eq(lockset_grown(ls), 0);
    ck_assert_uint_eq(lockset_cap(ls), 1);
    lockset_push(ls, L(0), LC_LK_MUTEX, 0x20);
    ck_assert_int_eq(lockset_grown(ls), 0);
    lockset_push(ls, L(1), LC_LK_READ, 0x21);
    ck_assert_int_eq(lockset_grown(ls), 1);
    ck_assert_uint_eq(lockset_cap(ls), LC_HELD_MAX);
    ck_assert_ptr_eq(ls->held[0].lock, L(0));
    ck_assert_uint_eq(LC_HELD_PC(&ls->held[0]), 0x20);
    ck_assert_int_eq(LC_HELD_MODE(&ls->held[1]), LC_LK_READ);
    uint64_t id;
    uintptr_t pc;
    ck_assert_int_eq(lockset_holder(L(1), &id, &pc), 1);
    ck_assert_uint_eq(id, 3);
    ck_assert_uint_eq(pc, 0x21);
    ck_assert_int_eq(lockset_pop(ls, L(1)), 1);
    ck_assert_int_eq(lockset_pop(ls, L(0)), 1);
    lockset_free(ls);
}
END_TEST

/* An empty lockset put back is taken again by the next task of its kind, relabelled; reports see nothing in
 * it meanwhile. */
START_TEST(pool_relabels_empty_locksets)
{
    struct lc_lockset *a = lockset_take(4, 40), *g = lockset_take(5, LC_LS_GOROUTINE);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(lockset_grown(g), 1);
    ck_assert_ptr_nonnull(g->stamp);
    lockset_push(a, L(3), LC_LK_MUTEX, 0x30);
    ck_assert_int_eq(lockset_pop(a, L(3)), 1);
    lockset_put(a);
    lockset_put(g);
    uint64_t id;
    uintptr_t pc;
    ck_assert_int_eq(lockset_holder(L(3), &id, &pc), 0);
    ck_assert_ptr_eq(lockset_take(6, 60), a);
    ck_assert_uint_eq(a->task_id, 6);
    ck_assert_int_eq(a->tid, 60);
    ck_assert_ptr_eq(lockset_take(7, LC_LS_GOROUTINE), g);     /* each kind from its own pool */
    lockset_free(a);
    lockset_free(g);
}
END_TEST

START_TEST(registry_answers_holder_and_site)
{
    struct lc_lockset *a = lockset_new(1, 10), *b = lockset_new(2, 20);
    uint64_t id = 0;
    uintptr_t pc = 0;
    lockset_push(b, L(3), LC_LK_MUTEX, 0x4242);
    ck_assert_int_eq(lockset_holder(L(3), &id, &pc), 1);
    ck_assert_uint_eq(id, 2);
    ck_assert_uint_eq(pc, 0x4242);
    ck_assert_int_eq(lockset_site(2, L(3), &pc), 1);
    ck_assert_int_eq(lockset_site(1, L(3), &pc), 0);
    struct lc_held h[4];
    ck_assert_uint_eq(lockset_held_by(2, h, 4), 1);
    ck_assert_ptr_eq(h[0].lock, L(3));
    lockset_free(b);
    ck_assert_int_eq(lockset_holder(L(3), &id, &pc), 0);
    lockset_free(a);
}
END_TEST

/* A goroutine unlocking a Go mutex it did not lock: the entries of every goroutine listing it (the holder, and
 * one inside Lock, which lists it before it has it) are marked released, their counts untouched (only a
 * lockset's own goroutine changes that); each owner drops them from its top later. */
START_TEST(release_by_another_goroutine_marks_and_owner_trims)
{
    struct lc_lockset *holder = lockset_new(1, LC_LS_GOROUTINE), *spinner = lockset_new(2, LC_LS_GOROUTINE);
    struct lc_lockset *unlocker = lockset_new(3, LC_LS_GOROUTINE), *thread = lockset_new(4, 40);
    lockset_push(holder, L(5), LC_LK_MUTEX, 0x10);
    lockset_push(holder, L(1), LC_LK_MUTEX, 0x11);     /* holds 1 over 5 */
    lockset_push(spinner, L(1), LC_LK_MUTEX, 0x20);
    lockset_push(thread, L(1), LC_LK_MUTEX, 0x30);     /* a thread's: never another task's business */
    lockset_push(unlocker, L(7), LC_LK_MUTEX, 0x40);
    lockset_release(unlocker, L(1));
    ck_assert_uint_eq(holder->n, 2);
    ck_assert_uint_eq(spinner->n, 1);
    ck_assert_int_eq(LC_HELD_GONE(&holder->held[1]), 1);
    ck_assert_int_eq(LC_HELD_GONE(&holder->held[0]), 0);
    ck_assert_int_eq(LC_HELD_GONE(&spinner->held[0]), 1);
    ck_assert_int_eq(LC_HELD_GONE(&thread->held[0]), 0);
    struct lc_holder h;
    ck_assert_int_eq(lockset_holder_info(L(1), &h), 1);
    ck_assert_uint_eq(h.task_id, 4);                   /* only the thread's entry is left */
    struct lc_held held[4];
    ck_assert_uint_eq(lockset_held_by(1, held, 4), 1);
    ck_assert_ptr_eq(held[0].lock, L(5));
    /* the next nesting from the holder starts from 5, not from the lock it no longer has */
    ck_assert_uint_eq(lockset_trim(holder), 1);
    ck_assert_uint_eq(lockset_trim(spinner), 0);
    take(holder, 2, LC_LK_MUTEX);
    ck_assert_int_eq(lockset_edge_known(L(5), L(2)), 1);
    ck_assert_int_eq(lockset_edge_known(L(1), L(2)), 0);
    /* its own lock, not the innermost: its entry goes, nobody else's */
    lockset_push(spinner, L(6), LC_LK_MUTEX, 0x21);
    lockset_push(unlocker, L(6), LC_LK_MUTEX, 0x41);
    lockset_push(unlocker, L(8), LC_LK_MUTEX, 0x42);
    lockset_release(unlocker, L(6));
    ck_assert_int_eq(LC_HELD_GONE(&spinner->held[0]), 0);
    ck_assert_uint_eq(unlocker->n, 3);                 /* 7, 6 (released), 8: only the top is trimmed */
    ck_assert_int_eq(LC_HELD_GONE(&unlocker->held[1]), 1);
    ck_assert_int_eq(lockset_pop(unlocker, L(8)), 1);
    ck_assert_uint_eq(lockset_trim(unlocker), 1);
    ck_assert_int_eq(lockset_holder_info(L(6), &h), 1);
    ck_assert_uint_eq(h.task_id, 2);
    /* an entry of its own released already is not a hold: the unlock is another hand-off, the holder's goes */
    lockset_push(unlocker, L(9), LC_LK_MUTEX, 0x43);
    lockset_push(unlocker, L(10), LC_LK_MUTEX, 0x44);
    lockset_release(holder, L(9));                     /* 9 released under 10: stays until it surfaces */
    lockset_push(spinner, L(9), LC_LK_MUTEX, 0x22);
    lockset_release(unlocker, L(9));
    ck_assert_int_eq(LC_HELD_GONE(&spinner->held[1]), 1);
    ck_assert_int_eq(lockset_holder_info(L(9), &h), 0);
    lockset_free(holder);
    lockset_free(spinner);
    lockset_free(unlocker);
    lockset_free(thread);
}
END_TEST

START_TEST(consistent_order_makes_edges_not_findings)
{
    struct lc_lockset *a = lockset_new(1, 10), *b = lockset_new(2, 20);
    for (int round = 0; round < 3; round++) {
        struct lc_lockset *ls = round % 2 ? b : a;
        take(ls, 0, LC_LK_MUTEX);
        take(ls, 1, LC_LK_MUTEX);
        take(ls, 2, LC_LK_MUTEX);
        lockset_pop(ls, L(2));
        lockset_pop(ls, L(1));
        lockset_pop(ls, L(0));
    }
    ck_assert_uint_eq(lockset_edge_count(), 2);     /* innermost held -> new: 0->1, 1->2 */
    ck_assert_int_eq(lockset_edge_known(L(0), L(1)), 1);
    ck_assert_int_eq(lockset_edge_known(L(1), L(2)), 1);
    ck_assert_int_eq(lockset_edge_known(L(1), L(0)), 0);
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), 0);
    lockset_free(a);
    lockset_free(b);
}
END_TEST

START_TEST(abba_is_one_inversion_with_both_sites)
{
    struct lc_lockset *a = lockset_new(1, 10), *b = lockset_new(2, 20);
    take(a, 0, LC_LK_MUTEX);
    take(a, 1, LC_LK_MUTEX);                        /* 0 -> 1 */
    lockset_pop(a, L(1));
    lockset_pop(a, L(0));
    take(b, 1, LC_LK_MUTEX);
    take(b, 0, LC_LK_MUTEX);                        /* 1 -> 0: closes the cycle */
    struct lc_finding f;
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, &f), 1);
    ck_assert_ptr_eq(f.obj, L(1));                  /* from of the edge that closed the cycle */
    ck_assert_uint_eq(f.task[0], 2);
    ck_assert_uint_eq(f.task[1], 1);
    ck_assert_uint_ne(f.site[0], 0);
    ck_assert_uint_ne(f.site[1], 0);
    ck_assert_uint_ne(f.site[0], f.site[1]);
    /* the same inversion again is not a new finding */
    lockset_pop(b, L(0));
    lockset_pop(b, L(1));
    take(b, 1, LC_LK_MUTEX);
    take(b, 0, LC_LK_MUTEX);
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), 1);
    lockset_free(a);
    lockset_free(b);
}
END_TEST

START_TEST(three_lock_cycle_across_three_threads)
{
    struct lc_lockset *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = lockset_new((uint64_t)i + 1, 10 + i);
    for (int i = 0; i < 3; i++) {                   /* 0->1, 1->2, then 2->0 */
        take(t[i], i, LC_LK_MUTEX);
        take(t[i], (i + 1) % 3, LC_LK_MUTEX);
        ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), i == 2);
        lockset_pop(t[i], L((i + 1) % 3));
        lockset_pop(t[i], L(i));
    }
    for (int i = 0; i < 3; i++)
        lockset_free(t[i]);
}
END_TEST

START_TEST(nesting_through_a_released_lock_still_finds_the_cycle)
{
    /* a: 0 then 1 then 2 (edges 0->1, 1->2); b: 2 then 0 closes 0->1->2->0 */
    struct lc_lockset *a = lockset_new(1, 10), *b = lockset_new(2, 20);
    take(a, 0, LC_LK_MUTEX);
    take(a, 1, LC_LK_MUTEX);
    take(a, 2, LC_LK_MUTEX);
    take(b, 2 + 3, LC_LK_MUTEX);                    /* unrelated lock: no effect */
    lockset_pop(b, L(5));
    take(b, 2, LC_LK_MUTEX);
    take(b, 0, LC_LK_MUTEX);
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), 1);
    lockset_free(a);
    lockset_free(b);
}
END_TEST

START_TEST(read_locks_make_edges_relocks_none)
{
    struct lc_lockset *a = lockset_new(1, 10), *b = lockset_new(2, 20), *c = lockset_new(3, 30);
    take(a, 0, LC_LK_READ);
    take(a, 1, LC_LK_READ);                         /* read -> read: an edge (a writer of 1 waits for it) */
    take(a, 1, LC_LK_READ);                         /* relock: no edge */
    ck_assert_uint_eq(lockset_edge_count(), 1);
    take(a, 2, LC_LK_WRITE);                        /* read -> write: an edge */
    ck_assert_uint_eq(lockset_edge_count(), 2);
    take(b, 1, LC_LK_READ);                         /* readers both ways: no inversion */
    take(b, 0, LC_LK_READ);
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), 0);
    take(c, 2, LC_LK_WRITE);                        /* a writer one way: an inversion */
    take(c, 0, LC_LK_WRITE);
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), 1);
    lockset_free(a);
    lockset_free(b);
    lockset_free(c);
}
END_TEST

START_TEST(forget_drops_a_destroyed_locks_edges)
{
    struct lc_lockset *a = lockset_new(1, 10), *b = lockset_new(2, 20);
    take(a, 0, LC_LK_MUTEX);
    take(a, 1, LC_LK_MUTEX);
    take(a, 2, LC_LK_MUTEX);
    ck_assert_uint_eq(lockset_edge_count(), 2);
    lockset_forget(L(1));                           /* destroyed: 0->1 and 1->2 go */
    ck_assert_uint_eq(lockset_edge_count(), 0);
    ck_assert_int_eq(lockset_edge_known(L(0), L(1)), 0);
    take(b, 1, LC_LK_MUTEX);                        /* a new lock at the same address */
    take(b, 0, LC_LK_MUTEX);
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), 0);
    ck_assert_int_eq(lockset_edge_known(L(1), L(0)), 1);
    lockset_free(a);
    lockset_free(b);
}
END_TEST

START_TEST(many_edges_stay_findable)
{
    struct lc_lockset *a = lockset_new(1, 10);
    static int many[2000];
    for (int i = 1; i < 2000; i++) {
        lockset_push(a, &many[0], LC_LK_MUTEX, 0);
        if (lockset_order_new(a, &many[i], LC_LK_MUTEX))
            lockset_new_edge(a, &many[i], LC_LK_MUTEX);
        lockset_pop(a, &many[0]);
    }
    ck_assert_uint_eq(lockset_edge_count(), 1999);
    for (int i = 1; i < 2000; i++)
        ck_assert_int_eq(lockset_edge_known(&many[0], &many[i]), 1);
    lockset_free(a);
}
END_TEST

/* Take lock i on a goroutine's lockset, stamped now (as gccgo's wrappers stamp a hold). */
static void go_take(struct lc_lockset *ls, int i)
{
    if (lockset_order_new(ls, L(i), LC_LK_MUTEX))
        lockset_new_edge(ls, L(i), LC_LK_MUTEX);
    lockset_push_at(ls, L(i), LC_LK_MUTEX, 0x2000 + (uintptr_t)i, lc_now_ns());
}

/* Exactly one lock-order finding, from lock `from`, made by task `by` against task `other`'s order. */
static struct lc_finding expect_inversion(int from, uint64_t by, uint64_t other)
{
    struct lc_finding f;
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, &f), 1);
    ck_assert_ptr_eq(f.obj, L(from));
    ck_assert_uint_eq(f.task[0], by);
    ck_assert_uint_eq(f.task[1], other);
    return f;
}

/* A goroutine takes i, then j under it, and unlocks both itself. */
static void go_nest(struct lc_lockset *ls, int i, int j)
{
    go_take(ls, i);
    go_take(ls, j);
    lockset_pop(ls, L(j));
    lockset_pop(ls, L(i));
}

/* Goroutines: a cycle waits for the hold it came from to end (another goroutine may yet unlock it), then is
 * one finding; an exit verdict takes those whose holds go on too. */
START_TEST(goroutine_inversion_is_confirmed_when_its_hold_ends)
{
    struct lc_lockset *a = lockset_new(1, LC_LS_GOROUTINE), *b = lockset_new(2, LC_LS_GOROUTINE);
    go_nest(a, 0, 1);                               /* 0 -> 1 */
    go_take(b, 1);
    go_take(b, 0);                                  /* 1 -> 0: a cycle, while b holds 1 */
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), 0);
    lockset_order_confirm(0);
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), 0);   /* b's hold of 1 goes on */
    lockset_pop(b, L(0));
    lockset_pop(b, L(1));
    lockset_order_confirm(0);
    struct lc_finding f = expect_inversion(1, 2, 1);
    ck_assert_msg(strstr(f.note, ", goroutines") != NULL, "note %s", f.note);
    /* a deadlocked pair never lets go: the exit verdict reports it all the same */
    finding_reset();
    lockset_reset();
    a = lockset_new(3, LC_LS_GOROUTINE), b = lockset_new(4, LC_LS_GOROUTINE);
    go_take(a, 2);
    go_take(a, 3);
    lockset_pop(a, L(3));
    go_take(b, 3);
    go_take(b, 2);
    lockset_order_confirm(0);
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), 0);
    lockset_order_confirm(1);
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), 1);
}
END_TEST

/* A goroutine locks 0, hands it to another to unlock, and meanwhile takes 1: that is no order of 0 before 1,
 * whether the other order comes after the hand-off or came before it. A nesting of its own later is one again. */
START_TEST(edges_under_a_handed_hold_are_no_order)
{
    struct lc_lockset *a = lockset_new(1, LC_LS_GOROUTINE), *w = lockset_new(2, LC_LS_GOROUTINE);
    struct lc_lockset *c = lockset_new(3, LC_LS_GOROUTINE);
    go_take(a, 0);
    go_take(a, 1);                                  /* 0 -> 1 under a hold of 0 ... */
    lockset_pop(a, L(1));
    lockset_release(w, L(0));                       /* ... that w ends: handed on */
    ck_assert_uint_eq(lockset_trim(a), 0);
    ck_assert_int_eq(lockset_edge_known(L(0), L(1)), 0);
    go_nest(c, 1, 0);                               /* 1 -> 0 after the hand-off */
    lockset_order_confirm(1);
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), 0);
    /* the other order first, the hand-off after: the cycle found meanwhile is dropped */
    go_take(a, 0);
    go_take(a, 1);                                  /* 0 -> 1 made anew: closes a cycle with 1 -> 0 */
    lockset_pop(a, L(1));
    lockset_release(w, L(0));
    ck_assert_uint_eq(lockset_trim(a), 0);
    lockset_order_confirm(1);
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), 0);
    /* and a's own nesting, unlocked by a itself, is an inversion with c's */
    go_nest(a, 0, 1);
    lockset_order_confirm(0);
    expect_inversion(0, 1, 3);
}
END_TEST

/* Under a collector: an order between goroutines' heap locks counts only within the collection cycle it was last
 * seen in (the memory may be another lock's after one); the program's variables (the static ranges) always. */
START_TEST(heap_lock_edges_go_stale_across_a_collection)
{
    lockset_static_range((uintptr_t)&locks[0], (uintptr_t)&locks[8]);   /* 0..7 variables, 8..15 heap */
    struct lc_lockset *a = lockset_new(1, LC_LS_GOROUTINE), *b = lockset_new(2, LC_LS_GOROUTINE);
    struct lc_lockset *c = lockset_new(3, LC_LS_GOROUTINE);
    go_nest(a, 8, 9);
    lockset_gc_cycle();
    ck_assert_int_eq(lockset_edge_known(L(8), L(9)), 0);   /* to be made anew when seen */
    go_nest(b, 9, 8);                               /* the other order, after a collection: no cycle */
    lockset_order_confirm(1);
    ck_assert_uint_eq(count_kind(LC_F_LOCK_ORDER, NULL), 0);
    go_nest(a, 0, 1);
    lockset_gc_cycle();
    go_nest(b, 1, 0);                               /* variables: the cycle stands */
    lockset_order_confirm(1);
    expect_inversion(1, 2, 1);
    finding_reset();
    go_nest(a, 10, 11);
    lockset_gc_cycle();
    go_nest(c, 10, 11);                             /* seen again in this cycle: good again */
    go_nest(b, 11, 10);
    lockset_order_confirm(1);
    expect_inversion(11, 2, 3);
}
END_TEST

#define AT(i, d) ((const void *)((uintptr_t)L(i) + (uintptr_t)(intptr_t)(d)))   /* an address near lock i */

/* free() looks a block up only within the span of the watched locks' addresses, then by its cache lines; a
 * lock freed with its memory loses its edges. */
START_TEST(free_looks_only_where_heap_locks_are)
{
    lockset_static_range((uintptr_t)&locks[0], (uintptr_t)&locks[8]);   /* 0..7 variables, 8..15 heap */
    struct lc_lockset *a = lockset_new(1, 10);
    ck_assert_int_eq(lockset_may_hold_lock(L(10), sizeof locks[10]), 0);  /* nothing watched yet */
    take(a, 0, LC_LK_MUTEX);
    take(a, 10, LC_LK_MUTEX);
    take(a, 11, LC_LK_MUTEX);
    ck_assert(lc_heap_gen != 0);
    ck_assert_int_eq(lockset_may_hold_lock(L(10), sizeof locks[10]), 1);
    ck_assert_int_eq(lockset_may_hold_lock(AT(10, -64), 64), 0);  /* ends where lock 10 begins */
    ck_assert_int_eq(lockset_may_hold_lock(AT(11, 1), 64), 0);    /* begins past lock 11 */
    ck_assert_int_eq(lockset_may_hold_lock(AT(10, -8), 16), 1);   /* straddles lock 10 */
    lockset_pop(a, L(11));
    lockset_pop(a, L(10));
    lockset_pop(a, L(0));
    ck_assert_int_eq(lockset_edge_known(L(10), L(11)), 1);
    lockset_freed(L(11), sizeof locks[11]);
    ck_assert_int_eq(lockset_edge_known(L(10), L(11)), 0);
    ck_assert_int_eq(lockset_edge_known(L(0), L(10)), 1);       /* a variable's edge to a live heap lock stays */
    lockset_free(a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lockset");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, push_pop_in_and_out_of_order);
    tcase_add_test(tc, lockset_grows_at_first_nesting);
    tcase_add_test(tc, pool_relabels_empty_locksets);
    tcase_add_test(tc, registry_answers_holder_and_site);
    tcase_add_test(tc, release_by_another_goroutine_marks_and_owner_trims);
    tcase_add_test(tc, consistent_order_makes_edges_not_findings);
    tcase_add_test(tc, abba_is_one_inversion_with_both_sites);
    tcase_add_test(tc, three_lock_cycle_across_three_threads);
    tcase_add_test(tc, nesting_through_a_released_lock_still_finds_the_cycle);
    tcase_add_test(tc, read_locks_make_edges_relocks_none);
    tcase_add_test(tc, forget_drops_a_destroyed_locks_edges);
    tcase_add_test(tc, many_edges_stay_findable);
    tcase_add_test(tc, goroutine_inversion_is_confirmed_when_its_hold_ends);
    tcase_add_test(tc, edges_under_a_handed_hold_are_no_order);
    tcase_add_test(tc, heap_lock_edges_go_stale_across_a_collection);
    tcase_add_test(tc, free_looks_only_where_heap_locks_are);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
