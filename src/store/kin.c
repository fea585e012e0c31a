/*
 * store/kin.c - parents' children in memory (kin.h).
 *
 * An open-addressing table of parents (linear probing, at most half full),
 * each with its children's ids in a sorted array. Ids are handed out in
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

struct sp_kin {
  pthread_mutex_t lock;
  family *slots;
  size_t mask; /* slots - 1, a power of two minus one */
  size_t used; /* parents */
  size_t pairs;
};

#define KIN_MIN_SLOTS 1024

sp_kin *sp_kin_new(void) {
  sp_kin *k = xcalloc(1, sizeof *k);
  pthread_mutex_init(&k->lock, NULL);
  k->slots = xcalloc(KIN_MIN_SLOTS, sizeof *k->slots);
  k->mask = KIN_MIN_SLOTS - 1;
  return k;
}

void sp_kin_free(sp_kin *k) {
  if (!k) return;
  for (size_t i = 0; i <= k->mask; i++) free(k->slots[i].ids);
  free(k->slots);
  pthread_mutex_destroy(&k->lock);
  free(k);
}

static size_t home(const sp_kin *k, int64_t parent) {
  return (size_t)XXH64(&parent, sizeof parent, 0) & k->mask;
}

/* parent's slot: its family, or the empty slot where it would go */
static family *find(const sp_kin *k, int64_t parent) {
  size_t i = home(k, parent);
  while (k->slots[i].parent && k->slots[i].parent != parent)
    i = (i + 1) & k->mask;
  return &k->slots[i];
}

static void grow(sp_kin *k) {
  family *old = k->slots;
  size_t n = k->mask + 1;
  k->slots = xcalloc(2 * n, sizeof *k->slots);
  k->mask = 2 * n - 1;
  for (size_t i = 0; i < n; i++)
    if (old[i].parent) *find(k, old[i].parent) = old[i];
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
  family *f = find(k, parent);
  if (!f->parent) {
    if (2 * (k->used + 1) > k->mask + 1) {
      grow(k);
      f = find(k, parent);
    }
    f->parent = parent;
    k->used++;
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
    const family *f = find(k, parents[i]);
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
