/* dedup.c - purpose-built open-addressing index for conversion-event dedup.
 *
 * Each slot is a 24-byte sp_dedup_entry keyed by a 96-bit fingerprint (XXH3
 * 128 of pixel id, len+event, len+event_id, truncated); linear probing; a
 * slot whose first_seen is 0 is free.  Slots whose window has ended are
 * reused on insert, and the table is rebuilt (dropping ended entries) before
 * it grows, so memory stays bounded under a steady stream.  Load stays
 * between 3/8 and 3/4 after a growth, i.e. 32..64 bytes per live key.
 * This file must never read the wall clock, never lock (not thread-safe), and
 * never return NULL from allocation: out-of-memory aborts.
 */
#include "dedup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef sp_dedup_entry slot;

struct sp_dedup {
    slot *tab;
    size_t cap; /* power of two */
    size_t used; /* slots not empty */
};

static void *xcalloc(size_t n, size_t sz) {
    void *p = calloc(n, sz);
    if (!p) {
        fprintf(stderr, "sp_dedup: out of memory (%zu x %zu bytes)\n", n, sz);
        abort();
    }
    return p;
}

static uint32_t t32(int64_t t) { return t < 1 ? 1u : t > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)t; }

static int ended(uint32_t first_seen, int64_t now) {
    return first_seen != 0 && now - (int64_t)first_seen > SP_DEDUP_WINDOW;
}

sp_dedup *sp_dedup_create(size_t expected_live_keys) {
    sp_dedup *d = xcalloc(1, sizeof *d);
    size_t cap = 64;
    while (cap * 3 / 4 < expected_live_keys) cap *= 2;
    d->cap = cap;
    d->tab = xcalloc(cap, sizeof(slot));
    return d;
}

void sp_dedup_destroy(sp_dedup *d) {
    if (!d) return;
    free(d->tab);
    free(d);
}

static void put_raw(slot *t, size_t cap, const slot *s) {
    size_t m = cap - 1, i = (size_t)s->lo & m;
    while (t[i].first_seen != 0) i = (i + 1) & m;
    t[i] = *s;
}

/* Rebuild into newcap slots, dropping entries ended at `now`. */
static void rebuild(sp_dedup *d, size_t newcap, int64_t now) {
    slot *nt = xcalloc(newcap, sizeof(slot));
    size_t used = 0;
    for (size_t i = 0; i < d->cap; i++) {
        slot *s = &d->tab[i];
        if (s->first_seen == 0 || ended(s->first_seen, now)) continue;
        put_raw(nt, newcap, s);
        used++;
    }
    free(d->tab);
    d->tab = nt;
    d->cap = newcap;
    d->used = used;
}

static void make_room(sp_dedup *d, int64_t now) {
    size_t live = 0;
    for (size_t i = 0; i < d->cap; i++)
        if (d->tab[i].first_seen != 0 && !ended(d->tab[i].first_seen, now)) live++;
    size_t cap = d->cap;
    if ((live + 1) * 2 > cap) cap *= 2; /* keep load <= 1/2 after rebuild */
    rebuild(d, cap, now);
}

static slot *fill(slot *s, uint64_t lo, uint32_t hi, int64_t now) {
    memset(s, 0, sizeof *s);
    s->lo = lo;
    s->hi = hi;
    s->first_seen = t32(now);
    return s;
}

/* Find-or-insert fingerprint. restore: (re)write the entry at `now` whatever is held. */
static slot *upsert(sp_dedup *d, uint64_t lo, uint32_t hi, int64_t now, int restore, sp_dedup_verdict *v) {
    for (;;) {
        size_t m = d->cap - 1, i = (size_t)lo & m;
        slot *reuse = NULL;
        for (;;) {
            slot *s = &d->tab[i];
            if (s->first_seen == 0) break;
            if (s->lo == lo && s->hi == hi) {
                if (!restore && !ended(s->first_seen, now)) {
                    *v = SP_DEDUP_DUPLICATE;
                    return s;
                }
                *v = SP_DEDUP_NEW; /* window ended (or restore): new window in place */
                return fill(s, lo, hi, now);
            }
            if (!reuse && !restore && ended(s->first_seen, now)) reuse = s;
            i = (i + 1) & m;
        }
        *v = SP_DEDUP_NEW;
        if (reuse) return fill(reuse, lo, hi, now);
        if ((d->used + 1) * 4 > d->cap * 3) {
            make_room(d, restore ? 0 : now);
            continue;
        }
        d->used++;
        return fill(&d->tab[i], lo, hi, now);
    }
}

static XXH128_hash_t fingerprint(uint64_t pixel_id, const char *event, size_t event_len, const char *event_id,
                                 size_t event_id_len) {
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
    return h;
}

#define AHEAD 16 /* prefetch distance (keys) */

void sp_dedup_check_many(sp_dedup *d, const sp_dedup_key *keys, size_t n, int64_t now,
                         sp_dedup_verdict *verdicts) {
    XXH128_hash_t h[AHEAD];
    size_t ahead = n < AHEAD ? n : AHEAD;
    for (size_t j = 0; j < ahead; j++) {
        const sp_dedup_key *k = &keys[j];
        h[j] = fingerprint(k->pixel_id, k->event, k->event_len, k->event_id, k->event_id_len);
        __builtin_prefetch(&d->tab[(size_t)h[j].low64 & (d->cap - 1)], 1, 1);
    }
    for (size_t i = 0; i < n; i++) {
        XXH128_hash_t cur = h[i % AHEAD];
        if (i + AHEAD < n) { /* hash and prefetch the key AHEAD places on */
            const sp_dedup_key *k = &keys[i + AHEAD];
            XXH128_hash_t nx = fingerprint(k->pixel_id, k->event, k->event_len, k->event_id, k->event_id_len);
            __builtin_prefetch(&d->tab[(size_t)nx.low64 & (d->cap - 1)], 1, 1);
            h[i % AHEAD] = nx;
        }
        upsert(d, cur.low64, (uint32_t)cur.high64, now, 0, &verdicts[i]);
    }
}

sp_dedup_entry *sp_dedup_upsert(sp_dedup *d, uint64_t pixel_id, const char *event, size_t event_len,
                                const char *event_id, size_t event_id_len, int64_t now,
                                sp_dedup_verdict *verdict) {
    XXH128_hash_t h = fingerprint(pixel_id, event, event_len, event_id, event_id_len);
    return upsert(d, h.low64, (uint32_t)h.high64, now, 0, verdict);
}

const sp_dedup_entry *sp_dedup_find(const sp_dedup *d, uint64_t pixel_id, const char *event, size_t event_len,
                                    const char *event_id, size_t event_id_len, int64_t now) {
    XXH128_hash_t h = fingerprint(pixel_id, event, event_len, event_id, event_id_len);
    size_t m = d->cap - 1, i = (size_t)h.low64 & m;
    for (; d->tab[i].first_seen != 0; i = (i + 1) & m) {
        const slot *s = &d->tab[i];
        if (s->lo == h.low64 && s->hi == (uint32_t)h.high64) return ended(s->first_seen, now) ? NULL : s;
    }
    return NULL;
}

sp_dedup_verdict sp_dedup_check(sp_dedup *d, uint64_t pixel_id, const char *event, size_t event_len,
                                const char *event_id, size_t event_id_len, int64_t now, int64_t *first_seen) {
    sp_dedup_verdict v;
    slot *s = sp_dedup_upsert(d, pixel_id, event, event_len, event_id, event_id_len, now, &v);
    if (v == SP_DEDUP_DUPLICATE && first_seen) *first_seen = s->first_seen;
    return v;
}

void sp_dedup_expire(sp_dedup *d, int64_t now) {
    size_t live = 0;
    for (size_t i = 0; i < d->cap; i++)
        if (d->tab[i].first_seen != 0 && !ended(d->tab[i].first_seen, now)) live++;
    size_t cap = d->cap;
    /* shrink while the load is under 3/8 (<= 64 bytes per live key); a
     * halving keeps it under 3/4 */
    while (cap > 64 && (live + 1) * 8 < cap * 3) cap /= 2;
    rebuild(d, cap, now);
}

size_t sp_dedup_live(const sp_dedup *d) { return d->used; }

size_t sp_dedup_bytes(const sp_dedup *d) { return sizeof *d + d->cap * sizeof(slot); }

void sp_dedup_foreach(const sp_dedup *d, void (*fn)(void *arg, uint64_t fp_lo, uint64_t fp_hi, int64_t first_seen),
                      void *arg) {
    for (size_t i = 0; i < d->cap; i++)
        if (d->tab[i].first_seen != 0) fn(arg, d->tab[i].lo, d->tab[i].hi, d->tab[i].first_seen);
}

void sp_dedup_restore(sp_dedup *d, uint64_t fp_lo, uint64_t fp_hi, int64_t first_seen) {
    sp_dedup_verdict v;
    upsert(d, fp_lo, (uint32_t)fp_hi, first_seen, 1, &v);
}
void sp_dedup_foreach_entry(const sp_dedup *d, void (*fn)(void *arg, const sp_dedup_entry *e), void *arg) {
    for (size_t i = 0; i < d->cap; i++)
        if (d->tab[i].first_seen != 0) fn(arg, &d->tab[i]);
}

void sp_dedup_restore_entry(sp_dedup *d, const sp_dedup_entry *e) {
    if (e->first_seen == 0) return;
    sp_dedup_verdict v;
    slot *s = upsert(d, e->lo, e->hi, e->first_seen, 1, &v);
    *s = *e;
}

_Static_assert(sizeof(sp_dedup_entry) == 24, "dedup entry is 24 bytes");
