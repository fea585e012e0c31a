/*
 * store/born.c - the objects a store inserted since it opened (born.h).
 *
 * One table per kind, in chunks of 64K entries allocated on first use and
 * never moved, so a reader outside the write lock can follow the chunk
 * pointer while the writer adds chunks. An entry's parent is stored before
 * its HERE flag (release), and read after it (acquire).
 */
#include "born.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "../core/sp.h"

#define BORN_SHIFT 16
#define BORN_CHUNK ((uint64_t)1 << BORN_SHIFT)
#define BORN_CHUNKS 256 /* 16M objects of a kind per session */
#define BORN_KINDS 16

enum { HERE = 1, CHILD = 2, GRANDCHILD = 4 };

typedef struct ent {
  _Atomic int64_t parent;
  _Atomic unsigned flags;
} ent;

struct sp_born {
  int n_kinds;
  int64_t from[BORN_KINDS];
  ent *_Atomic chunk[BORN_KINDS][BORN_CHUNKS];
};

sp_born *sp_born_new(const int64_t *from, int n_kinds) {
  sp_born *b = xcalloc(1, sizeof *b);
  b->n_kinds = n_kinds < BORN_KINDS ? n_kinds : BORN_KINDS;
  for (int k = 1; k < b->n_kinds; k++) b->from[k] = from[k];
  return b;
}

void sp_born_free(sp_born *b) {
  if (!b) return;
  for (int k = 0; k < BORN_KINDS; k++)
    for (int i = 0; i < BORN_CHUNKS; i++) free(atomic_load(&b->chunk[k][i]));
  free(b);
}

/* kind k's entry for id; with make, its chunk is allocated (writer only) */
static ent *slot(sp_born *b, int k, int64_t id, int make) {
  if (k <= 0 || k >= b->n_kinds || id <= b->from[k]) return NULL;
  uint64_t off = (uint64_t)id - (uint64_t)b->from[k] - 1;
  if (off >= BORN_CHUNK * BORN_CHUNKS) return NULL;
  ent *c = atomic_load_explicit(&b->chunk[k][off >> BORN_SHIFT],
                                memory_order_acquire);
  if (!c) {
    if (!make) return NULL;
    c = xcalloc(BORN_CHUNK, sizeof *c);
    atomic_store_explicit(&b->chunk[k][off >> BORN_SHIFT], c,
                          memory_order_release);
  }
  return &c[off & (BORN_CHUNK - 1)];
}

/* Set `bits` on every kind's entry for id that was born here (ids of
 * different kinds come from different ranges; should two ever meet, both
 * are marked, which only withholds a claim). */
static void mark(sp_born *b, int64_t id, unsigned bits, int64_t *parent) {
  *parent = 0;
  for (int k = 1; k < b->n_kinds; k++) {
    ent *e = slot(b, k, id, 0);
    if (!e || !(atomic_load_explicit(&e->flags, memory_order_relaxed) & HERE))
      continue;
    atomic_fetch_or_explicit(&e->flags, bits, memory_order_relaxed);
    *parent = atomic_load_explicit(&e->parent, memory_order_relaxed);
  }
}

void sp_born_note(sp_born *b, int kind, int64_t id, int64_t parent) {
  ent *e = slot(b, kind, id, 1);
  unsigned own = 0;
  if (e) {
    own = atomic_load_explicit(&e->flags, memory_order_relaxed);
    atomic_store_explicit(&e->parent, parent, memory_order_relaxed);
    atomic_fetch_or_explicit(&e->flags, HERE, memory_order_release);
  }
  if (!parent) return;
  /* an object not born here (moved under a parent born here by an update)
   * or one with children of its own brings unknown grandchildren along */
  unsigned bits = CHILD;
  if (!e || (own & CHILD)) bits |= GRANDCHILD;
  int64_t grandparent, ignored;
  mark(b, parent, bits, &grandparent);
  if (grandparent) mark(b, grandparent, GRANDCHILD, &ignored);
}

int64_t sp_born_parent(sp_born *b, int64_t id) {
  for (int k = 1; k < b->n_kinds; k++) {
    ent *e = slot(b, k, id, 0);
    if (e && (atomic_load_explicit(&e->flags, memory_order_acquire) & HERE))
      return atomic_load_explicit(&e->parent, memory_order_relaxed);
  }
  return 0;
}

int sp_born_childless(sp_born *b, int64_t id, int depth) {
  unsigned deny = depth >= 2 ? GRANDCHILD : CHILD;
  int found = 0;
  for (int k = 1; k < b->n_kinds; k++) {
    ent *e = slot(b, k, id, 0);
    if (!e) continue;
    unsigned f = atomic_load_explicit(&e->flags, memory_order_relaxed);
    if (!(f & HERE)) continue;
    if (f & deny) return 0;
    found = 1;
  }
  return found;
}
