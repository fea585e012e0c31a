/* dedup.c - purpose-built open-addressing index for conversion-event dedup.
 *
 * Each slot is {fp_lo, fp_hi, first_seen} (24 bytes) keyed by a 128-bit XXH3
 * fingerprint of (pixel id, len+event, len+event_id); linear probing; a slot
 * whose first_seen is SLOT_EMPTY is free.  Slots whose window has ended are
 * reused on insert, and the table is rebuilt (dropping ended entries) before
 * it grows, so memory stays bounded under a steady stream.
 * This file must never read the wall clock, never lock (not thread-safe), and
 * never return NULL from allocation: out-of-memory aborts.
 */
#include "dedup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define SLOT_EMPTY INT64_MIN

typedef struct {
    uint64_t lo, hi;
    int64_t first_seen;
} slot;

struct sp_dedup {
    slot *tab;
    size_t cap; /* power of two */
    size_t used; /* slots not empty */
    int64_t last_now;
};

static void *xcalloc(size_t n, size_t sz) {
    void *p = calloc(n, sz);
    if (!p) {
        fprintf(stderr, "sp_dedup: out of memory (%zu x %zu bytes)\n", n, sz);
        abort();
    }
    return p;
}

static slot *new_table(size_t cap) {
    slot *t = xcalloc(cap, sizeof(slot));
    for (size_t i = 0; i < cap; i++) t[i].first_seen = SLOT_EMPTY;
    return t;
}

static int ended(int64_t first_seen, int64_t now) {
    return first_seen != SLOT_EMPTY && now - first_seen > SP_DEDUP_WINDOW;
}

sp_dedup *sp_dedup_create(size_t expected_live_keys) {
    sp_dedup *d = xcalloc(1, sizeof *d);
    size_t cap = 64;
    while (cap * 3 / 4 < expected_live_keys) cap *= 2;
    d->cap = cap;
    d->tab = new_table(cap);
    d->last_now = INT64_MIN;
    return d;
}

void sp_dedup_destroy(sp_dedup *d) {
    if (!d) return;
    free(d->tab);
    free(d);
}

static void put_raw(slot *t, size_t cap, uint64_t lo, uint64_t hi, int64_t fs) {
    size_t m = cap - 1, i = (size_t)lo & m;
    while (t[i].first_seen != SLOT_EMPTY) i = (i + 1) & m;
    t[i].lo = lo;
    t[i].hi = hi;
    t[i].first_seen = fs;
}

/* Rebuild into newcap slots, dropping entries ended at `now` (if drop). */
static void rebuild(sp_dedup *d, size_t newcap, int drop, int64_t now) {
    slot *nt = new_table(newcap);
    size_t used = 0;
    for (size_t i = 0; i < d->cap; i++) {
        slot *s = &d->tab[i];
        if (s->first_seen == SLOT_EMPTY) continue;
        if (drop && ended(s->first_seen, now)) continue;
        put_raw(nt, newcap, s->lo, s->hi, s->first_seen);
        used++;
    }
    free(d->tab);
    d->tab = nt;
    d->cap = newcap;
    d->used = used;
}

static void make_room(sp_dedup *d, int64_t now) {
    if ((d->used + 1) * 4 <= d->cap * 3) return;
    size_t live = 0;
    for (size_t i = 0; i < d->cap; i++)
        if (d->tab[i].first_seen != SLOT_EMPTY && !ended(d->tab[i].first_seen, now)) live++;
    size_t cap = d->cap;
    if ((live + 1) * 2 > cap) cap *= 2; /* keep load <= 1/2 after rebuild */
    rebuild(d, cap, 1, now);
}

/* Find-or-insert fingerprint. Returns verdict. */
static sp_dedup_verdict upsert(sp_dedup *d, uint64_t lo, uint64_t hi, int64_t now, int64_t *first_seen, int restore) {
    size_t m = d->cap - 1, i = (size_t)lo & m;
    slot *reuse = NULL;
    for (;;) {
        slot *s = &d->tab[i];
        if (s->first_seen == SLOT_EMPTY) break;
        if (s->lo == lo && s->hi == hi) {
            if (!restore && !ended(s->first_seen, now)) {
                if (first_seen) *first_seen = s->first_seen;
                return SP_DEDUP_DUPLICATE;
            }
            s->first_seen = now; /* window ended (or restore): new window in place */
            return SP_DEDUP_NEW;
        }
        if (!reuse && !restore && ended(s->first_seen, now)) reuse = s;
        i = (i + 1) & m;
    }
    if (reuse) {
        reuse->lo = lo;
        reuse->hi = hi;
        reuse->first_seen = now;
        return SP_DEDUP_NEW;
    }
    if ((d->used + 1) * 4 > d->cap * 3) {
        make_room(d, restore ? INT64_MIN / 2 : now);
        return upsert(d, lo, hi, now, first_seen, restore);
    }
    d->tab[i].lo = lo;
    d->tab[i].hi = hi;
    d->tab[i].first_seen = now;
    d->used++;
    return SP_DEDUP_NEW;
}

sp_dedup_verdict sp_dedup_check(sp_dedup *d, uint64_t pixel_id, const char *event, size_t event_len,
                                const char *event_id, size_t event_id_len, int64_t now, int64_t *first_seen) {
    unsigned char stackbuf[512];
    size_t need = 8 + 8 + event_len + 8 + event_id_len;
    unsigned char *buf = need <= sizeof stackbuf ? stackbuf : xcalloc(1, need);
    uint64_t el = event_len, il = event_id_len;
    size_t o = 0;
    memcpy(buf + o, &pixel_id, 8); o += 8;
    memcpy(buf + o, &el, 8); o += 8;
    if (event_len) memcpy(buf + o, event, event_len);
    o += event_len;
    memcpy(buf + o, &il, 8); o += 8;
    if (event_id_len) memcpy(buf + o, event_id, event_id_len);
    o += event_id_len;
    XXH128_hash_t h = XXH3_128bits(buf, o);
    if (buf != stackbuf) free(buf);
    if (now > d->last_now) d->last_now = now;
    return upsert(d, h.low64, h.high64, now, first_seen, 0);
}

void sp_dedup_expire(sp_dedup *d, int64_t now) {
    size_t live = 0;
    for (size_t i = 0; i < d->cap; i++)
        if (d->tab[i].first_seen != SLOT_EMPTY && !ended(d->tab[i].first_seen, now)) live++;
    size_t cap = d->cap;
    while (cap > 64 && (live + 1) * 4 < cap) cap /= 2; /* shrink to load >= 1/4 */
    rebuild(d, cap, 1, now);
}

size_t sp_dedup_live(const sp_dedup *d) { return d->used; }

size_t sp_dedup_bytes(const sp_dedup *d) { return sizeof *d + d->cap * sizeof(slot); }

void sp_dedup_foreach(const sp_dedup *d, void (*fn)(void *arg, uint64_t fp_lo, uint64_t fp_hi, int64_t first_seen),
                      void *arg) {
    for (size_t i = 0; i < d->cap; i++)
        if (d->tab[i].first_seen != SLOT_EMPTY) fn(arg, d->tab[i].lo, d->tab[i].hi, d->tab[i].first_seen);
}

void sp_dedup_restore(sp_dedup *d, uint64_t fp_lo, uint64_t fp_hi, int64_t first_seen) {
    upsert(d, fp_lo, fp_hi, first_seen, NULL, 1);
}
