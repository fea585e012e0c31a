/*
 * sim.h - the delivery simulator engine (docs/simulator.md; model:
 * delivery-model.md, with the deviations the doc lists).
 *
 * A sim_world holds a synthetic population, an opportunity stream, the
 * platform's learner, pacers and Cost Cap controllers, Smart Creative
 * rotation and the conversion-event pipeline. Objects are given to it as
 * the API's JSON views (smart_plus campaign / adgroup / ad objects as get
 * returns them, or plan create bodies with ids assigned). Time is virtual:
 * unix seconds given by the caller; nothing reads wall time. One world is
 * deterministic: the same config, seed and calls give byte-identical rows,
 * however sim_advance is chunked and whatever cfg.threads is (workers only
 * score the minute's auctions, a pure function; docs/simulator.md).
 *
 * Output: sp_metric_row deltas (metrics.h) per (ad, material, UTC hour of
 * the touch), flushed at every simulated hour end to the row callback.
 * Rows are ADDITIVE: a later flush may carry late conversions for an
 * earlier hour (impressions 0), so a consumer sums rows with the same key.
 *
 * Not thread-safe: serialise calls on one world.
 */
#ifndef SP_SIM_SIM_H
#define SP_SIM_SIM_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"

typedef struct sim_config {
  uint64_t seed;
  int population;          /* users (default 200000; tests use ~20000) */
  double opp_per_user_day; /* mean opportunities per user per day (4) */
  double market_cpm;       /* US TikTok median market CPM, currency (6.0) */
  double reserve_cpm;      /* reserve price, CPM (0.5) */
  double pixel_block;      /* share of browsers blocking the Pixel (0.20) */
  double pixel_fail;       /* transient Pixel loss (0.03) */
  double api_fail;         /* Events API failure (0.02) */
  double api_match;        /* Events API copies matched to a user (0.9) */
  double api_delay_min;    /* mean Events API delay, minutes (10) */
  int learn_results;       /* results to exit learning (50) */
  int learn_days;          /* window (7) */
  int threads;             /* auction scoring threads, 1..8 (1); results do not depend on it */
} sim_config;

void sim_config_default(sim_config *c);

typedef struct sim_world sim_world;

/* Never NULL (aborts on out-of-memory). The config is copied. */
sim_world *sim_create(const sim_config *cfg);
void sim_destroy(sim_world *w);

/* Add or update one object at virtual time at_unix (applied at the world's
 * current minute if at_unix is earlier). kind: "campaign", "adgroup", "ad".
 * obj: the API view (ids as strings or numbers). An update replaces the
 * object; what changed decides learning restarts (docs/simulator.md).
 * Returns 0, or -1 with a message in err. */
int sim_apply(sim_world *w, int64_t at_unix, const char *kind, const json_t *obj, char *err,
              size_t errlen);

/* Load a plan: {"campaign":{...},"adgroups":[{...,"ads":[...]}],
 *   "events":{"pixel":true,"events_api":true,"event_id":true},   (optional)
 *   "pixel":{"event_sources":["BROWSER","EVENTS_API"]},           (optional)
 *   "truth":{"adgroups":{"<index or id>":{"ctr_logit":x,"cvr_logit":y}},
 *            "materials":{"<video_id|web_uri|ad_material_id>":{"q":x,"omega":y}}}}
 * Missing ids are assigned (campaign 1000+, ad groups 2000+, ads 3000+,
 * materials 4000+) and written back into the plan (so the caller can read
 * them). An ad group may carry its own "events" object. */
int sim_load_plan(sim_world *w, int64_t at_unix, json_t *plan, char *err, size_t errlen);

/* Pin ground truth (sandbox-only): same "truth" object as in a plan. */
int sim_set_truth(sim_world *w, const json_t *truth, char *err, size_t errlen);

/* Event sources of a pixel (0 = default for every pixel). */
void sim_set_events(sim_world *w, int64_t pixel_id, int pixel, int events_api, int event_id);

/* Each copy of a conversion event as it reaches the events pipeline (the
 * browser Pixel's, minus losses; the Events API's, minus failures, after
 * its delay), before the world attributes and deduplicates it: for a
 * caller that feeds a real pipeline (the server's /pixel/event/stats). */
typedef struct sim_event_copy {
  int64_t pixel_id;
  const char *event;    /* the ad group's optimization_event (COMPLETE_PAYMENT ...) */
  uint64_t order;       /* one per conversion: its copies share it */
  int has_event_id;     /* the copy carries event_id (derived from order) */
  int source;           /* 0 browser Pixel, 1 Events API */
  int64_t user;         /* the converting user */
  int64_t arrive_unix;  /* when the copy arrives */
} sim_event_copy;
typedef void (*sim_event_fn)(void *arg, const sim_event_copy *c);
void sim_set_event_callback(sim_world *w, sim_event_fn fn, void *arg);

typedef void (*sim_row_fn)(void *arg, const sp_metric_row *row);
void sim_set_row_callback(sim_world *w, sim_row_fn fn, void *arg);

/* Sandbox-only inspection of every impression (tests of the auction and
 * targeting): who saw what, and the prices. Draws nothing, so setting it
 * changes no result. */
typedef struct sim_impression {
  int64_t adgroup_id;
  int64_t minute_unix;
  int64_t location_id; /* GeoNames id of the user's country */
  const char *age_group, *gender, *language, *os, *placement;
  int interest_categories[3]; /* the user's top 3 of the 24 synthetic categories */
  int64_t price_micros;
  double ecpm, runner_up_ecpm, market_cpm, reserve_cpm; /* CPM, currency */
} sim_impression;
typedef void (*sim_impression_fn)(void *arg, const sim_impression *imp);
void sim_set_impression_callback(sim_world *w, sim_impression_fn fn, void *arg);

/* Run minute by minute over [from, to). The first call starts the world at
 * `from`; later calls continue from where the world is (a gap between the
 * world's time and `from` is simulated too; time never goes back). */
void sim_advance(sim_world *w, int64_t from_unix, int64_t to_unix);
int64_t sim_now(const sim_world *w);
/* Emit the rows of the current, unfinished hour now (rows are additive, so
 * the rest of the hour follows as further deltas). */
void sim_flush(sim_world *w);

/* Work counters since sim_create (benchmarks): opportunities drawn while at
 * least one ad group could bid; candidate evaluations = (opportunity,
 * eligible ad group) pairs scored, i.e. ad groups that passed every hard
 * targeting criterion and had their eCPM computed; impressions served. */
typedef struct sim_counters {
  uint64_t opportunities, candidate_evaluations, impressions;
} sim_counters;
void sim_counters_get(const sim_world *w, sim_counters *c);

typedef enum {
  SIM_LS_NOT_DELIVERING = 0,
  SIM_LS_LEARNING,
  SIM_LS_RELEARNING, /* learning again after having been LEARNED */
  SIM_LS_LEARNED,
  SIM_LS_LEARNING_LIMITED
} sim_learning;

typedef struct sim_adgroup_state {
  int64_t adgroup_id;
  sim_learning learning;
  const char *learning_status;  /* "LEARNING", "RE_LEARNING", "LEARNED", ... */
  const char *reason;           /* tag: "NEW_ADGROUP", "RESTARTED_BY_BID_EDIT", ... */
  char reason_text[200];        /* human-readable why */
  const char *secondary_status; /* live API value: ADGROUP_STATUS_DELIVERY_OK, ... */
  int conversions_in_window;    /* observed results counting toward learning */
  int64_t learning_since;       /* unix s of the (re)start; 0 before delivery */
  int64_t learned_at;           /* unix s; 0 if not LEARNED */
  double bid;                   /* current bid per result (currency) */
  double kappa, pace;           /* Cost Cap multiplier, budget pacer multiplier */
  double cpa_estimate;          /* Cost Cap: the controller's matured CPA estimate (72 h) */
  int64_t spend_today_micros, spend_total_micros;
  int64_t impressions, clicks;  /* lifetime */
  int64_t true_conversions;     /* sandbox-only ground truth (touch on this ad group) */
  int64_t reported_conversions; /* attributed after dedup */
  int64_t reported_raw;         /* attributed copies before dedup */
} sim_adgroup_state;

/* 0, or -1 if the ad group is unknown. */
int sim_adgroup_state_get(const sim_world *w, int64_t adgroup_id, sim_adgroup_state *out);
/* The same as a JSON object (learning_status, learning_reason, ...) for ad group get. */
json_t *sim_adgroup_state_json(const sim_world *w, int64_t adgroup_id);

/* Ad group ids in the order they were added; returns the count (<= cap). */
size_t sim_adgroup_ids(const sim_world *w, int64_t *ids, size_t cap);

/* Share of an ad group's lifetime impressions per material (ad_material_id),
 * for Smart Creative tests; returns the number written. */
size_t sim_material_impressions(const sim_world *w, int64_t adgroup_id, int64_t *material_ids,
                                int64_t *impressions, size_t cap);

#endif
