/*
 * store/born.h - what a store knows, without a query, of the objects it
 * inserted itself since it opened ("born here").
 *
 * A store owns its database (smartplusd refuses a second server on the same
 * file), so an object born here can only have gained children through this
 * store's own inserts and updates, and the store saw each one. Two facts
 * follow, both cheap to keep and cheap to ask:
 *
 *   - the parent of an object born here (an ad group's campaign): an ad
 *     create can encode and pack its row before it takes the write lock;
 *   - that an object born here has never had a child, or a grandchild: a
 *     campaign made this session with no ad groups yet has no siblings to
 *     compare a new ad group with, and no ads to say Spark or not.
 *
 * Both are hints on the safe side. Flags are only ever set: an insert that
 * is rolled back, a child deleted since, leave the parent marked, and the
 * caller asks SQLite as before. The parent of a rolled-back insert is never
 * used without a row that proves it (ids are not reused).
 *
 * Objects are found by id in one table per kind, indexed from the kind's
 * highest id at open: ids come in sequence, so the tables are dense. Past
 * BORN_MAX objects of a kind nothing more is recorded (and nothing claimed).
 */
#ifndef SP_STORE_BORN_H
#define SP_STORE_BORN_H

#include <stdint.h>

typedef struct sp_born sp_born;

/* from[k]: kind k's highest id at open; kinds 1 .. n_kinds - 1 */
sp_born *sp_born_new(const int64_t *from, int n_kinds);
void sp_born_free(sp_born *b);

/* The writer (one at a time): object `id` of `kind` was inserted (or
 * updated) with `parent` (0: none). */
void sp_born_note(sp_born *b, int kind, int64_t id, int64_t parent);

/* Any thread: the parent recorded for id, 0 if not born here. */
int64_t sp_born_parent(sp_born *b, int64_t id);

/* The writer: 1 if id was born here and no object has been noted with it
 * as its parent (depth 1) or as its parent's parent (depth 2). */
int sp_born_childless(sp_born *b, int64_t id, int depth);

#endif
