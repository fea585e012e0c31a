/*
 * store/kin.c - parents' children in memory (kin.h).
 *
 * Parents in 256 open-addressing tables (linear probing, each at most half
 * full), chosen by the top bits of the id's hash; each parent with its
 * children's ids in a sorted array. The tables grow one at a time, so a
 * rehash moves a 256th of the parents. With one table, 400,000 new parents
 * added one by one (each ad group in a campaign of its own, as bench/api.sh
 * makes them) had an add of 19-24 ms, the last rehash, under the lock and
 * inside a create (one bench/api.sh ad group run had a p99 of 33 ms); in
 * 256 parts the slowest add took 0.13-0.21 ms. Ids are handed out in
 * sequence, so an add nearly always appends; one out of order (writers
 * take ids before the lock) is placed by binary search.
 */
#include "kin.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../core/sp.h"

typedef struct family {
  int64_t parent; /* 0: an empty slot */
  uint32_t n, cap;
  int64_t *ids; /* ascending */
} family;

#define KIN_PART_BITS 8
#define KIN_PARTS (1 << KIN_PART_BITS)
#define KIN_MIN_SLOTS 16 /* per part */

typedef struct part {
  family *slots;
  size_t mask; /* slots - 1, a power of two minus one */
  size_t used; /* parents */
} part;

struct sp_kin {
  pthread_mutex_t lock;
  part parts[KIN_PARTS];
  size_t pairs;
};

sp_kin *sp_kin_new(void) {
  sp_kin *k = xcalloc(1, sizeof *k);
  pthread_mutex_init(&k->lock, NULL);
  for (int i = 0; i < KIN_PARTS; i++) {
    k->parts[i].slots = xcalloc(KIN_MIN_SLOTS, sizeof(family));
    k->parts[i].mask = KIN_MIN_SLOTS - 1;
  }
  return k;
}

void sp_kin_free(sp_kin *k) {
  if (!k) return;
  for (int i = 0; i < KIN_PARTS; i++) {
    part *t = &k->parts[i];
    for (size_t j = 0; j <= t->mask; j++) free(t->slots[j].ids);
    free(t->slots);
  }
  pthread_mutex_destroy(&k->lock);
  free(k);
}

static uint64_t hash(int64_t parent) {
  return XXH64(&parent, sizeof parent, 0);
}

/* the part a parent of hash h is in: the top bits; its slot: the bottom */
static part *part_of(sp_kin *k, uint64_t h) {
  return &k->parts[h >> (64 - KIN_PART_BITS)];
}

/* parent's slot in its part (h: its hash): its family, or the empty slot
 * where it would go */
static family *find(const part *t, int64_t parent, uint64_t h) {
  size_t i = (size_t)h & t->mask;
  while (t->slots[i].parent && t->slots[i].parent != parent)
    i = (i + 1) & t->mask;
  return &t->slots[i];
}

static void grow(part *t) {
  family *old = t->slots;
  size_t n = t->mask + 1;
  t->slots = xcalloc(2 * n, sizeof *t->slots);
  t->mask = 2 * n - 1;
  for (size_t i = 0; i < n; i++)
    if (old[i].parent) *find(t, old[i].parent, hash(old[i].parent)) = old[i];
  free(old);
}

/* the first index in f->ids whose id is not below id */
static uint32_t lower_bound(const family *f, int64_t id) {
  uint32_t lo = 0, hi = f->n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (f->ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

void sp_kin_add(sp_kin *k, int64_t parent, int64_t child) {
  if (!k || !parent) return;
  pthread_mutex_lock(&k->lock);
  uint64_t h = hash(parent);
  part *t = part_of(k, h);
  family *f = find(t, parent, h);
  if (!f->parent) {
    if (2 * (t->used + 1) > t->mask + 1) {
      grow(t);
      f = find(t, parent, h);
    }
    f->parent = parent;
    t->used++;
  }
  uint32_t at = f->n && f->ids[f->n - 1] < child ? f->n : lower_bound(f, child);
  if (at < f->n && f->ids[at] == child) {
    pthread_mutex_unlock(&k->lock);
    return;
  }
  if (f->n == f->cap) {
    f->cap = f->cap ? 2 * f->cap : 4;
    f->ids = xrealloc(f->ids, f->cap * sizeof *f->ids);
  }
  memmove(f->ids + at + 1, f->ids + at, (f->n - at) * sizeof *f->ids);
  f->ids[at] = child;
  f->n++;
  k->pairs++;
  pthread_mutex_unlock(&k->lock);
}

static int cmp_id(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

size_t sp_kin_children(sp_kin *k, const int64_t *parents, size_t n,
                       int64_t **out) {
  *out = NULL;
  size_t m = 0, cap = 0;
  int64_t *ids = NULL;
  pthread_mutex_lock(&k->lock);
  for (size_t i = 0; i < n; i++) {
    if (!parents[i]) continue;
    uint64_t h = hash(parents[i]);
    const family *f = find(part_of(k, h), parents[i], h);
    if (!f->parent || !f->n) continue;
    if (m + f->n > cap) {
      cap = 2 * (m + f->n);
      ids = xrealloc(ids, cap * sizeof *ids);
    }
    memcpy(ids + m, f->ids, f->n * sizeof *ids);
    m += f->n;
  }
  pthread_mutex_unlock(&k->lock);
  if (n > 1 && m > 1) { /* several families: one ascending list, each once */
    qsort(ids, m, sizeof *ids, cmp_id);
    size_t w = 1;
    for (size_t i = 1; i < m; i++)
      if (ids[i] != ids[w - 1]) ids[w++] = ids[i];
    m = w;
  }
  *out = ids;
  return m;
}

size_t sp_kin_size(sp_kin *k) {
  pthread_mutex_lock(&k->lock);
  size_t n = k->pairs;
  pthread_mutex_unlock(&k->lock);
  return n;
}
