/*
 * api/delivery.c - the simulator behind the sandbox clock.
 *
 * `POST /sandbox/clock/advance` calls sp_delivery_advance over the span:
 * every object of every advertiser that changed since the last advance is
 * given to the one sim_world (src/sim) as its API view, the world runs
 * minute by minute, and the hourly rows it produces are added to the
 * store's report rows in one write transaction, which report/integrated/get
 * and material_report read. Ad group get asks the world for the learning
 * state. One world serves every advertiser: their ad groups meet in the
 * same auctions, as on the live platform.
 *
 * The world lives in memory: after a restart the next advance starts a
 * fresh world from the stored objects (the report rows already written
 * stay), so learning state does not survive a restart.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "../events/events.h"
#include "../sim/sim.h"
#include "internal.h"
#include "../model/json.h"

/* What the world last saw of an object: a hash of its status and body. */
typedef struct seen {
  int64_t id; /* 0 = empty slot */
  uint64_t hash;
} seen;

/* A pixel the world knows: its owner and code, to send its events. */
typedef struct pixel_ent {
  int64_t id, advertiser_id;
  char code[32];
} pixel_ent;

struct sp_delivery {
  pthread_mutex_t lock; /* the world; held through a whole advance */
  /* The ad groups' states as of the end of the last advance, for ad group
   * get, which must not wait for an advance that runs for seconds. */
  pthread_mutex_t states_lock;
  json_t *states; /* {"<adgroup_id>": {...}} */
  pixel_ent *pixels;
  size_t n_pixels;
  sim_event_copy *copies; /* event copies of the running advance */
  size_t n_copies, cap_copies;
  sim_world *w;
  sim_config cfg;
  seen *seen;
  size_t n_seen, cap_seen; /* open addressing, cap a power of two */
  sp_metric_row *rows;
  size_t n_rows, cap_rows;
};

sp_delivery *sp_delivery_create(uint64_t seed) {
  sp_delivery *d = xcalloc(1, sizeof *d);
  pthread_mutex_init(&d->lock, NULL);
  pthread_mutex_init(&d->states_lock, NULL);
  sim_config_default(&d->cfg);
  d->cfg.seed = seed;
  /* one scoring thread per core: the rows are the same for any count */
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  d->cfg.threads = cores < 1 ? 1 : cores > 8 ? 8 : (int)cores;
  d->cap_seen = 1024;
  d->seen = xcalloc(d->cap_seen, sizeof *d->seen);
  return d;
}

void sp_delivery_destroy(sp_delivery *d) {
  if (!d) return;
  if (d->w) sim_destroy(d->w);
  pthread_mutex_destroy(&d->lock);
  pthread_mutex_destroy(&d->states_lock);
  json_decref(d->states);
  free(d->seen);
  free(d->rows);
  free(d->pixels);
  free(d->copies);
  free(d);
}

static seen *seen_slot(sp_delivery *d, int64_t id) {
  size_t mask = d->cap_seen - 1;
  size_t i = (size_t)XXH64(&id, sizeof id, 0) & mask;
  while (d->seen[i].id && d->seen[i].id != id) i = (i + 1) & mask;
  return &d->seen[i];
}

/* 1 if the object changed since the world last saw it (and remember it). */
static int changed(sp_delivery *d, const sp_obj *o) {
  if ((d->n_seen + 1) * 2 > d->cap_seen) {
    seen *old = d->seen;
    size_t n = d->cap_seen;
    d->cap_seen *= 2;
    d->seen = xcalloc(d->cap_seen, sizeof *d->seen);
    for (size_t i = 0; i < n; i++)
      if (old[i].id) *seen_slot(d, old[i].id) = old[i];
    free(old);
  }
  uint64_t h = XXH64(o->body, strlen(o->body), (uint64_t)o->status + 1);
  seen *s = seen_slot(d, o->id); /* ids are unique across kinds */
  if (s->id == o->id && s->hash == h) return 0;
  if (!s->id) d->n_seen++;
  s->id = o->id;
  s->hash = h;
  return 1;
}

static void collect(void *arg, const sp_metric_row *row) {
  sp_delivery *d = arg;
  if (d->n_rows == d->cap_rows) {
    d->cap_rows = d->cap_rows ? d->cap_rows * 2 : 4096;
    d->rows = xrealloc(d->rows, d->cap_rows * sizeof *d->rows);
  }
  d->rows[d->n_rows++] = *row;
}

/* Every object of one kind of an advertiser, oldest first. */
static sp_rc list_all(store *st, int64_t adv, sp_kind kind, unsigned mask,
                      sp_arena *a, sp_obj **rows, size_t *n, sp_err *e) {
  sp_query q;
  memset(&q, 0, sizeof q);
  q.kind = kind;
  q.advertiser_id = adv;
  q.status_mask = mask;
  q.oldest_first = 1;
  q.skip_total = 1;
  size_t total;
  return store_list(st, &q, a, rows, n, &total, e);
}

static void collect_copy(void *arg, const sim_event_copy *c) {
  sp_delivery *d = arg;
  if (d->n_copies == d->cap_copies) {
    d->cap_copies = d->cap_copies ? d->cap_copies * 2 : 1024;
    d->copies = xrealloc(d->copies, d->cap_copies * sizeof *d->copies);
  }
  d->copies[d->n_copies++] = *c;
}

static pixel_ent *pixel_of(sp_delivery *d, int64_t id) {
  for (size_t i = 0; i < d->n_pixels; i++)
    if (d->pixels[i].id == id) return &d->pixels[i];
  return NULL;
}

/* The Events API's name of an optimization event: COMPLETE_PAYMENT ->
 * CompletePayment (ADD_TO_WISHLIST_WEB -> AddToWishlist). */
static void event_name(const char *code, char *out, size_t cap) {
  size_t j = 0;
  int up = 1;
  for (const char *p = code; *p && j + 1 < cap; p++) {
    if (strcmp(p, "_WEB") == 0) break;
    if (*p == '_') {
      up = 1;
      continue;
    }
    out[j++] = up ? *p : (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    up = 0;
  }
  out[j] = '\0';
}

static int copy_order(const void *x, const void *y) {
  const sim_event_copy *a = x, *b = y;
  int64_t ha = a->arrive_unix / 3600, hb = b->arrive_unix / 3600;
  if (ha != hb) return ha < hb ? -1 : 1;
  if (a->pixel_id != b->pixel_id) return a->pixel_id < b->pixel_id ? -1 : 1;
  if (a->source != b->source) return a->source < b->source ? -1 : 1;
  if (a->arrive_unix != b->arrive_unix) return a->arrive_unix < b->arrive_unix ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

/* Send the advance's conversion copies through the server's events
 * pipeline, as the sites' Pixel and servers would: one batch per pixel,
 * source and hour of arrival, received at its last copy's time. Pixel
 * stats and /sandbox/events then show the simulated traffic, merged and
 * double-counted as the pipeline decides. */
static sp_rc send_copies(sp_delivery *d, sp_app *app, json_t *summary,
                         sp_err *e) {
  sp_events *ev = sp_app_events(app);
  qsort(d->copies, d->n_copies, sizeof *d->copies, copy_order);
  size_t sent = 0;
  sp_rc rc = SP_OK;
  for (size_t i = 0; rc == SP_OK && i < d->n_copies;) {
    const sim_event_copy *f = &d->copies[i];
    size_t j = i;
    while (j < d->n_copies && j - i < SP_EV_MAX_BATCH &&
           d->copies[j].arrive_unix / 3600 == f->arrive_unix / 3600 &&
           d->copies[j].pixel_id == f->pixel_id &&
           d->copies[j].source == f->source)
      j++;
    pixel_ent *px = pixel_of(d, f->pixel_id);
    if (px) {
      json_t *data = json_array();
      for (size_t k = i; k < j; k++) {
        const sim_event_copy *c = &d->copies[k];
        char name[64], ttp[40];
        event_name(c->event, name, sizeof name);
        snprintf(ttp, sizeof ttp, "sim-user-%lld", (long long)c->user);
        json_t *one = json_pack("{s:s, s:I, s:{s:s}}", "event", name,
                                "event_time", (json_int_t)c->arrive_unix,
                                "user", "ttp", ttp);
        if (c->has_event_id) {
          char id[32];
          snprintf(id, sizeof id, "sim-%llu", (unsigned long long)c->order);
          json_object_set_new(one, "event_id", json_string(id));
        }
        json_array_append_new(data, one);
      }
      json_t *body = json_pack("{s:s, s:s, s:o}", "event_source", "web",
                               "event_source_id", px->code, "data", data);
      char *raw = json_dumps(body, JSON_COMPACT);
      size_t n = j - i;
      sp_ev_result *res = xcalloc(n, sizeof *res);
      unsigned fresh = 0;
      rc = sp_events_track(ev, f->source ? SP_EV_SERVER : SP_EV_BROWSER,
                           px->advertiser_id, px->id,
                           d->copies[j - 1].arrive_unix, raw, strlen(raw),
                           body, res, &fresh, e);
      sp_events_results_free(res, n);
      free(res);
      free(raw);
      json_decref(body);
      if (rc == SP_OK) sent += n;
      /* the pixel now shows the sources the simulated traffic came from,
       * as it does for real traffic */
      if (rc == SP_OK && fresh) {
        sp_arena *a = sp_arena_create();
        api_record_pixel_sources(app, a, d->copies[j - 1].arrive_unix,
                                 px->id, px->advertiser_id, fresh);
        sp_arena_destroy(a);
      }
    }
    i = j;
  }
  json_object_set_new(summary, "event_copies_sent", json_integer((json_int_t)sent));
  return rc;
}

static const char *const kind_names[] = {
    [SP_KIND_CAMPAIGN] = "campaign", [SP_KIND_ADGROUP] = "adgroup",
    [SP_KIND_AD] = "ad"};

/* Give the world every object of one kind of one advertiser that changed.
 * Paused and deleted objects are given as DISABLE: they stop delivering. */
static sp_rc sync_kind(sp_delivery *d, store *st, int64_t adv, sp_kind kind,
                       int64_t at, sp_err *e) {
  sp_arena *a = sp_arena_create();
  sp_obj *rows;
  size_t n;
  sp_rc rc = list_all(st, adv, kind, SP_STM_ALL, a, &rows, &n, e);
  for (size_t i = 0; rc == SP_OK && i < n; i++) {
    if (!changed(d, &rows[i])) continue;
    json_t *view = sp_json_loads(rows[i].body, 0, NULL);
    if (!view) continue;
    if (rows[i].status != SP_ST_ENABLE)
      json_object_set_new(view, "operation_status", json_string("DISABLE"));
    char msg[256];
    if (sim_apply(d->w, at, kind_names[kind], view, msg, sizeof msg) != 0)
      fprintf(stderr, "smartplusd: simulator skipped %s %lld: %s\n",
              kind_names[kind], (long long)rows[i].id, msg);
    json_decref(view);
  }
  sp_arena_destroy(a);
  return rc;
}

/* A pixel's event sources decide which copies the world sends for its
 * conversions: the browser Pixel, the Events API, or both (event_id on).
 * A pixel that has received nothing yet is simulated as installed both
 * ways, as the demo pixel is. */
static sp_rc sync_pixels(sp_delivery *d, store *st, int64_t adv, sp_err *e) {
  sp_arena *a = sp_arena_create();
  sp_obj *rows;
  size_t n;
  sp_rc rc = list_all(st, adv, SP_KIND_PIXEL, 0, a, &rows, &n, e);
  for (size_t i = 0; rc == SP_OK && i < n; i++) {
    if (!changed(d, &rows[i])) continue;
    json_t *p = sp_json_loads(rows[i].body, 0, NULL);
    pixel_ent *px = pixel_of(d, rows[i].id);
    if (!px) {
      d->pixels = xrealloc(d->pixels, (d->n_pixels + 1) * sizeof *d->pixels);
      px = &d->pixels[d->n_pixels++];
      px->id = rows[i].id;
      px->advertiser_id = adv;
    }
    const char *code = json_string_value(json_object_get(p, "pixel_code"));
    snprintf(px->code, sizeof px->code, "%s", code ? code : "");
    json_t *src = json_object_get(p, "event_sources");
    int browser = 0, server = 0;
    size_t k;
    json_t *v;
    json_array_foreach(src, k, v) {
      const char *s = json_string_value(v);
      if (s && strcmp(s, "BROWSER") == 0) browser = 1;
      if (s && strcmp(s, "EVENTS_API") == 0) server = 1;
    }
    if (!browser && !server) browser = server = 1;
    sim_set_events(d->w, rows[i].id, browser, server, 1);
    json_decref(p);
  }
  sp_arena_destroy(a);
  return rc;
}

/* Take a copy of every ad group's state (with d->lock held) and make it
 * the one ad group get reads. */
static void publish_states(sp_delivery *d) {
  size_t n, cap = 64;
  int64_t *ids = xmalloc(cap * sizeof *ids);
  for (;;) { /* until they all fit */
    n = sim_adgroup_ids(d->w, ids, cap);
    if (n < cap) break;
    cap *= 2;
    ids = xrealloc(ids, cap * sizeof *ids);
  }
  json_t *states = json_object();
  for (size_t i = 0; i < n; i++) {
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)ids[i]);
    json_t *st = sim_adgroup_state_json(d->w, ids[i]);
    if (st) json_object_set_new(states, key, st);
  }
  free(ids);
  pthread_mutex_lock(&d->states_lock);
  json_t *old = d->states;
  d->states = states;
  pthread_mutex_unlock(&d->states_lock);
  json_decref(old);
}

sp_rc sp_delivery_advance(void *ud, sp_app *app, int64_t from, int64_t to,
                          void *summary, sp_err *e) {
  sp_delivery *d = ud;
  store *st = sp_app_store(app);
  sp_arena *a = sp_arena_create();
  int64_t *advs = NULL;
  size_t n_adv = 0;
  sp_rc rc = store_advertiser_list(st, a, &advs, &n_adv, e);
  pthread_mutex_lock(&d->lock);
  if (rc == SP_OK && !d->w) {
    d->w = sim_create(&d->cfg);
    sim_set_row_callback(d->w, collect, d);
    sim_set_event_callback(d->w, collect_copy, d);
  }
  for (size_t i = 0; rc == SP_OK && i < n_adv; i++) {
    rc = sync_pixels(d, st, advs[i], e);
    for (sp_kind k = SP_KIND_CAMPAIGN; rc == SP_OK && k <= SP_KIND_AD; k++)
      rc = sync_kind(d, st, advs[i], k, from, e);
  }
  d->n_rows = 0;
  d->n_copies = 0;
  if (rc == SP_OK) {
    sim_advance(d->w, from, to);
    sim_flush(d->w);
    rc = send_copies(d, app, summary, e);
    publish_states(d);
  }
  /* sum what this span produced, for the answer */
  int64_t imps = 0, clicks = 0, spend = 0, conv = 0;
  for (size_t i = 0; i < d->n_rows; i++) {
    imps += d->rows[i].impressions;
    clicks += d->rows[i].clicks;
    spend += d->rows[i].spend_micros;
    conv += d->rows[i].conversions;
  }
  if (rc == SP_OK && d->n_rows) {
    rc = store_write_begin(st, e);
    if (rc == SP_OK) rc = store_metrics_add(st, d->rows, d->n_rows, e);
    if (rc == SP_OK) rc = store_commit(st, e);
    else store_rollback(st);
  }
  size_t n_rows = d->n_rows;
  d->n_rows = 0;
  pthread_mutex_unlock(&d->lock);
  sp_arena_destroy(a);
  if (rc) return rc;
  json_t *s = summary;
  json_object_set_new(s, "report_rows", json_integer((json_int_t)n_rows));
  json_object_set_new(s, "impressions", json_integer(imps));
  json_object_set_new(s, "clicks", json_integer(clicks));
  json_object_set_new(s, "conversion", json_integer(conv));
  char money[32]; /* as reports write money: a string with 2 decimals */
  snprintf(money, sizeof money, "%.2f", (double)spend / 1e6);
  json_object_set_new(s, "spend", json_string(money));
  json_object_set_new(s, "seed", json_integer((json_int_t)d->cfg.seed));
  return SP_OK;
}

json_t *sp_delivery_adgroup_state(sp_delivery *d, int64_t adgroup_id) {
  if (!d) return NULL;
  char key[24];
  snprintf(key, sizeof key, "%lld", (long long)adgroup_id);
  pthread_mutex_lock(&d->states_lock);
  json_t *j = json_incref(json_object_get(d->states, key));
  pthread_mutex_unlock(&d->states_lock);
  return j;
}

void sp_app_set_delivery(sp_app *app, sp_delivery *d) {
  app->delivery = d;
  sp_app_set_advance_hook(app, d ? sp_delivery_advance : NULL, d);
}
