/* events.h - the conversion-events pipeline: validation of Events API 2.0
 * events, deduplication with merge, per-pixel counters, a journal that
 * makes every acknowledged event durable, and a bounded list of recent
 * events for the sandbox.
 *
 * It sits beside the object store: the journal is an append-only file next
 * to the database (<db>.events), group-committed with fdatasync before a
 * batch is acknowledged, and replayed at start to rebuild the dedup index
 * and the counters. Each record holds one accepted request body verbatim;
 * replay runs the same (pure, deterministic) validation and dedup code on
 * it with the recorded receive time, so state after replay equals state
 * before the crash. NULL path: memory only (":memory:" databases, tests).
 *
 * Time is the server's clock in unix seconds, passed in by the caller.
 * Thread-safe: one mutex guards the state; the journal flush is outside it.
 */
#ifndef SP_EVENTS_EVENTS_H
#define SP_EVENTS_EVENTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sp.h"

#define SP_EV_MAX_BATCH 1000    /* data[] above this refuses the whole request */
#define SP_EV_MAX_AGE (7 * 86400) /* oldest event_time accepted (sandbox choice) */
#define SP_EV_MAX_AHEAD 600     /* event_time at most this far ahead */
#define SP_EV_RING 4096         /* recent events kept for the sandbox list */
/* The journal is rewritten as one checkpoint (the live state) when it grows
 * past this (env SMARTPLUS_EVENTS_CHECKPOINT_BYTES overrides), and at start
 * when it holds more than a quarter of it. */
#define SP_EV_CHECKPOINT_BYTES ((uint64_t)256 << 20)

/* error codes of the Events API (api-facts 8.1) */
#define SP_EV_E_BATCH 40061 /* invalid batch size */
#define SP_EV_E_PII 40062   /* PII not hashed */

enum { SP_EV_BROWSER = 1, SP_EV_SERVER = 2 }; /* sources (bits) */
enum { SP_EV_KEPT = 1, SP_EV_MERGED, SP_EV_TEST, SP_EV_REFUSED };

typedef struct sp_events sp_events;

/* The outcome of one event of a batch. */
typedef struct sp_ev_result {
  int status;          /* SP_EV_KEPT ... */
  int64_t first_seen;  /* MERGED: receive time of the kept copy */
  uint16_t filled;     /* MERGED: fields the kept copy got from this one */
  int no_id_copy;      /* KEPT without event_id that looks like a copy */
  const char *event_id; /* borrowed from the body, or NULL */
  sp_err *err;         /* REFUSED: field, rule, message, code (malloc'd;
                        * sp_events_results_free frees them) */
} sp_ev_result;

/* Free the errors a track call left in res[0..n). */
void sp_events_results_free(sp_ev_result *res, size_t n);

/* Counters of one (pixel, event name) over a day range. */
typedef struct sp_ev_stat {
  char event[64];
  uint64_t recv_browser, recv_server; /* valid, counted-channel copies */
  uint64_t kept;                      /* counted once */
  uint64_t merged;                    /* copies folded into a kept event */
  uint64_t merged_bb, merged_ss, merged_bs; /* by channel pair */
  uint64_t no_event_id;               /* kept events without event_id */
  uint64_t no_id_double;              /* ... of which look like a copy */
  uint64_t test;                      /* test_event_code: shown, not counted */
} sp_ev_stat;

/* Open the pipeline; path NULL keeps it in memory. Replays the journal
 * (truncating a torn tail). */
sp_rc sp_events_open(const char *path, sp_events **out, sp_err *e);
void sp_events_close(sp_events *ev);

/* The app's pipeline (src/api/events.c). smartplusd attaches the journal
 * next to its database (<db>.events; none for ":memory:") at start; an app
 * without one gets a memory pipeline on first use. */
typedef struct sp_app sp_app;
sp_rc sp_app_events_open(sp_app *app, const char *db, sp_err *e);
sp_events *sp_app_events(sp_app *app);

/* Rewrite the journal as one checkpoint record now (no-op in memory). */
sp_rc sp_events_checkpoint(sp_events *ev, sp_err *e);

/* Validate one event object (pure). now: server time (unix s). source
 * SP_EV_BROWSER lets event_time default to now. */
sp_rc sp_events_validate(json_t *ev, int source, int64_t now, sp_err *e);

/* Ingest a batch: body is the request object (event_source_id already
 * resolved to pixel_id by the caller), raw its text. res has one entry per
 * element of body.data. Returns once the batch is durable. *new_sources:
 * source bits this pixel had not reported before (to record on the pixel).
 * Fails (nothing ingested) only on a batch-level error. */
sp_rc sp_events_track(sp_events *ev, int source, int64_t advertiser_id,
                      int64_t pixel_id, int64_t now, const char *raw,
                      size_t raw_len, json_t *body, sp_ev_result *res,
                      unsigned *new_sources, sp_err *e);

/* Mark sources as recorded on the pixel object in the store. */
void sp_events_sources_synced(sp_events *ev, int64_t pixel_id, unsigned bits);
/* Sources seen for a pixel (bits). */
unsigned sp_events_sources(sp_events *ev, int64_t pixel_id);

/* Counters of a pixel for receive days [day_from, day_to] (unix day
 * numbers; 0,INT64_MAX for all). *out is malloc'd, sorted by event name. */
size_t sp_events_stats(sp_events *ev, int64_t pixel_id, int64_t day_from,
                       int64_t day_to, sp_ev_stat **out);
/* Pixels of an advertiser the pipeline has seen events for (malloc'd). */
size_t sp_events_pixels(sp_events *ev, int64_t advertiser_id, int64_t **out);

/* Recent events, newest first, as a JSON array (new reference); pixel_id 0
 * for all pixels of the advertiser. */
json_t *sp_events_recent(sp_events *ev, int64_t advertiser_id,
                         int64_t pixel_id, size_t limit);

/* Live dedup keys and the index's heap bytes. */
void sp_events_memory(sp_events *ev, size_t *live_keys, size_t *bytes);

#endif
