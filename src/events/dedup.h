/* dedup.h - in-memory deduplication index of conversion events.
 *
 * Rule (TikTok's documented dedup): key = (pixel id, event name, event_id).
 * The first copy of a key is NEW.  A later copy arriving while
 * now - first_seen <= 172800 s (48 h from the FIRST copy) is a DUPLICATE; the
 * first-seen time never moves.  A copy arriving after that is NEW again and
 * starts a new 48-hour window.  Time is unix seconds supplied by the caller
 * (virtual clock); the module never reads the wall clock.
 *
 * Keys are stored as 128-bit XXH3 fingerprints of the length-prefixed fields.
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

/* Check and record one event copy.  NEW: the key is (re)recorded with
 * first_seen = now.  DUPLICATE: nothing changes and *first_seen (if not NULL)
 * gets the first copy's time.  event/event_id need not be NUL-terminated. */
sp_dedup_verdict sp_dedup_check(sp_dedup *d, uint64_t pixel_id, const char *event, size_t event_len,
                                const char *event_id, size_t event_id_len, int64_t now, int64_t *first_seen);

/* Drop every entry whose window ended before now (first_seen < now - 172800)
 * and compact the table. */
void sp_dedup_expire(sp_dedup *d, int64_t now);

/* Number of entries held (including ones whose window ended but that were not yet dropped). */
size_t sp_dedup_live(const sp_dedup *d);
/* Heap bytes held by the index (struct + table). */
size_t sp_dedup_bytes(const sp_dedup *d);

/* Call fn for each entry held; the key is the 128-bit fingerprint. */
void sp_dedup_foreach(const sp_dedup *d, void (*fn)(void *arg, uint64_t fp_lo, uint64_t fp_hi, int64_t first_seen),
                      void *arg);
/* Re-insert an entry read back from storage (replaces an entry with the same fingerprint). */
void sp_dedup_restore(sp_dedup *d, uint64_t fp_lo, uint64_t fp_hi, int64_t first_seen);

#endif
