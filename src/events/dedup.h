/* dedup.h - in-memory deduplication index of conversion events.
 *
 * Rule (TikTok's documented dedup): key = (pixel id, event name, event_id).
 * The first copy of a key is NEW.  A later copy arriving while
 * now - first_seen <= 172800 s (48 h from the FIRST copy) is a DUPLICATE; the
 * first-seen time never moves.  A copy arriving after that is NEW again and
 * starts a new 48-hour window.  Time is unix seconds supplied by the caller
 * (virtual clock); the module never reads the wall clock.
 *
 * Keys are stored as 96-bit fingerprints (XXH3-128 of the length-prefixed
 * fields, truncated); each entry is 24 bytes and carries a small payload the
 * events pipeline uses (fields present in the kept copy, sources seen, a
 * reference to the kept copy).  Times are unix seconds held as uint32
 * (1970..2106); 0 is not a valid time.
 * NOT thread-safe: the caller must serialise all calls on one sp_dedup.
 * Out-of-memory aborts the process with a message on stderr.
 */
#ifndef SP_EVENTS_DEDUP_H
#define SP_EVENTS_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#define SP_DEDUP_WINDOW 172800

typedef struct sp_dedup sp_dedup; /* opaque */

/* Create an index sized for about expected_live_keys keys (0 is allowed). Never NULL. */
sp_dedup *sp_dedup_create(size_t expected_live_keys);
/* Free the index; NULL is a no-op. */
void sp_dedup_destroy(sp_dedup *d);

typedef enum { SP_DEDUP_NEW = 0, SP_DEDUP_DUPLICATE = 1 } sp_dedup_verdict;

/* One entry (24 bytes). The caller may change mask, sources, flags and ref
 * of the entry sp_dedup_upsert returns, until its next call on the index. */
typedef struct sp_dedup_entry {
    uint64_t lo;
    uint32_t hi;
    uint32_t first_seen; /* 0: empty slot */
    uint32_t ref;        /* caller's reference to the kept copy */
    uint16_t mask;       /* caller's: fields the kept copy carries */
    uint8_t sources;     /* caller's: channels that sent a copy */
    uint8_t flags;       /* caller's */
} sp_dedup_entry;

/* Like sp_dedup_check, but returns the entry: on NEW a fresh entry with
 * first_seen = now and a zero payload; on DUPLICATE the kept entry. */
sp_dedup_entry *sp_dedup_upsert(sp_dedup *d, uint64_t pixel_id, const char *event, size_t event_len,
                                const char *event_id, size_t event_id_len, int64_t now,
                                sp_dedup_verdict *verdict);

/* Check and record one event copy.  NEW: the key is (re)recorded with
 * first_seen = now.  DUPLICATE: nothing changes and *first_seen (if not NULL)
 * gets the first copy's time.  event/event_id need not be NUL-terminated. */
sp_dedup_verdict sp_dedup_check(sp_dedup *d, uint64_t pixel_id, const char *event, size_t event_len,
                                const char *event_id, size_t event_id_len, int64_t now, int64_t *first_seen);

/* The entry of a key whose window is open at `now`, or NULL; changes nothing. */
const sp_dedup_entry *sp_dedup_find(const sp_dedup *d, uint64_t pixel_id, const char *event, size_t event_len,
                                    const char *event_id, size_t event_id_len, int64_t now);

/* One key of a batch check. */
typedef struct sp_dedup_key {
    uint64_t pixel_id;
    const char *event, *event_id;
    size_t event_len, event_id_len;
} sp_dedup_key;

/* Check n keys in order, as n sp_dedup_check calls at the same `now`
 * would (a later copy in the batch is a duplicate of an earlier one), but
 * faster: fingerprints are computed and table slots prefetched ahead of
 * the probes (the index's answer to a pipelined SET NX). */
void sp_dedup_check_many(sp_dedup *d, const sp_dedup_key *keys, size_t n, int64_t now,
                         sp_dedup_verdict *verdicts);

/* Drop every entry whose window ended before now (first_seen < now - 172800)
 * and compact the table. */
void sp_dedup_expire(sp_dedup *d, int64_t now);

/* Number of entries held (including ones whose window ended but that were not yet dropped). */
size_t sp_dedup_live(const sp_dedup *d);
/* Heap bytes held by the index (struct + table). */
size_t sp_dedup_bytes(const sp_dedup *d);

/* Call fn for each entry held; the key is the 96-bit fingerprint (hi holds 32 bits). */
void sp_dedup_foreach(const sp_dedup *d, void (*fn)(void *arg, uint64_t fp_lo, uint64_t fp_hi, int64_t first_seen),
                      void *arg);
/* Re-insert an entry read back from storage (replaces an entry with the same fingerprint). */
void sp_dedup_restore(sp_dedup *d, uint64_t fp_lo, uint64_t fp_hi, int64_t first_seen);

/* Every entry held, payload included (for checkpoints). */
void sp_dedup_foreach_entry(const sp_dedup *d, void (*fn)(void *arg, const sp_dedup_entry *e), void *arg);
/* Put an entry read back from a checkpoint (replaces one with the same fingerprint). */
void sp_dedup_restore_entry(sp_dedup *d, const sp_dedup_entry *e);

#endif
