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

#include "../sim/sim.h"
#include "internal.h"

/* What the world last saw of an object: a hash of its status and body. */
typedef struct seen {
  int64_t id; /* 0 = empty slot */
  uint64_t hash;
} seen;

struct sp_delivery {
  pthread_mutex_t lock;
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
  free(d->seen);
  free(d->rows);
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
    json_t *view = json_loads(rows[i].body, 0, NULL);
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
    json_t *p = json_loads(rows[i].body, 0, NULL);
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
  }
  for (size_t i = 0; rc == SP_OK && i < n_adv; i++) {
    rc = sync_pixels(d, st, advs[i], e);
    for (sp_kind k = SP_KIND_CAMPAIGN; rc == SP_OK && k <= SP_KIND_AD; k++)
      rc = sync_kind(d, st, advs[i], k, from, e);
  }
  d->n_rows = 0;
  if (rc == SP_OK) {
    sim_advance(d->w, from, to);
    sim_flush(d->w);
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
  pthread_mutex_lock(&d->lock);
  json_t *j = d->w ? sim_adgroup_state_json(d->w, adgroup_id) : NULL;
  pthread_mutex_unlock(&d->lock);
  return j;
}

void sp_app_set_delivery(sp_app *app, sp_delivery *d) {
  app->delivery = d;
  sp_app_set_advance_hook(app, d ? sp_delivery_advance : NULL, d);
}
