/*
 * store/kin.h - every parent's children, by id, in memory: how the store
 * finds an ad group's ads and a campaign's ad groups without an index on
 * the parent in SQLite.
 *
 * Why: an index keyed by parent puts each new child next to its siblings,
 * so a batch of ads over 1,000 ad groups touched one index page per ad,
 * and each such page was written to the WAL at the COMMIT and again by the
 * checkpoint (docs/internals/store.md, "Children"). The ids kept here cost
 * no I/O.
 *
 * What it holds: every (parent, child) pair the store has seen, loaded
 * from the database at open and added to by every insert and update,
 * before its COMMIT. Nothing is ever removed, so the children of a parent
 * here are a superset of those any snapshot of the database holds: a
 * rolled-back insert, a deleted child, a child since moved elsewhere stay
 * listed. Callers check each candidate against the rows they read (its
 * parent, kind, status), which makes the answer exact for their snapshot,
 * provided the snapshot was taken before the candidates were read.
 *
 * Thread-safe: one mutex, held for an add or a copy.
 */
#ifndef SP_STORE_KIN_H
#define SP_STORE_KIN_H

#include <stddef.h>
#include <stdint.h>

typedef struct sp_kin sp_kin;

sp_kin *sp_kin_new(void);
void sp_kin_free(sp_kin *k);

/* child is (or was) a child of parent; adding a pair twice keeps one */
void sp_kin_add(sp_kin *k, int64_t parent, int64_t child);

/* The children of any of parents[0..n), ascending, each once, into *out
 * (malloc'd, freed by the caller; NULL when there are none): their count. */
size_t sp_kin_children(sp_kin *k, const int64_t *parents, size_t n,
                       int64_t **out);

/* pairs held, for tests and figures */
size_t sp_kin_size(sp_kin *k);

#endif
