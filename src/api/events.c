/*
 * api/events.c - conversion events: the Events API 2.0 (event/track), the
 * browser Pixel (its script and the endpoint it posts to), pixel event
 * stats and the sandbox list. The pipeline itself (validation, dedup,
 * journal, counters) is src/events/events.c; this file resolves pixels,
 * authorises, answers, and records each pixel's event sources on the pixel
 * object (the ad group LANDING_PAGE rule reads them).
 *
 * The app holds one pipeline (app->events), made on first use: in memory,
 * unless smartplusd attached a journal with sp_app_events_open.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../core/text.h"
#include "../events/events.h"
#include "internal.h"
#include "../model/json.h"

#define CODE_CACHE 256

typedef struct code_ent {
  char code[32];
  int64_t pixel_id, advertiser_id;
} code_ent;

struct api_events {
  sp_events *ev;
  pthread_mutex_t lock;
  code_ent codes[CODE_CACHE];
};

static pthread_mutex_t make_lock = PTHREAD_MUTEX_INITIALIZER;

static struct api_events *wrap(sp_events *ev) {
  struct api_events *x = xcalloc(1, sizeof *x);
  x->ev = ev;
  pthread_mutex_init(&x->lock, NULL);
  return x;
}

sp_rc sp_app_events_open(sp_app *app, const char *db, sp_err *e) {
  const char *path = db;
  if (path && strncmp(path, "sqlite:", 7) == 0) path += 7;
  char *jp = NULL;
  if (path && strcmp(path, ":memory:") != 0) {
    size_t n = strlen(path) + 8;
    jp = xmalloc(n);
    snprintf(jp, n, "%s.events", path);
  }
  sp_events *ev;
  sp_rc rc = sp_events_open(jp, &ev, e);
  free(jp);
  if (rc) return rc;
  pthread_mutex_lock(&make_lock);
  if (app->events) {
    sp_events_close(app->events->ev);
    app->events->ev = ev;
  } else {
    app->events = wrap(ev);
  }
  pthread_mutex_unlock(&make_lock);
  return SP_OK;
}

static struct api_events *events_of(sp_app *app) {
  pthread_mutex_lock(&make_lock);
  if (!app->events) {
    sp_events *ev;
    sp_err e;
    sp_err_clear(&e);
    if (sp_events_open(NULL, &ev, &e) != SP_OK) abort(); /* memory: cannot fail */
    app->events = wrap(ev);
  }
  struct api_events *x = app->events;
  pthread_mutex_unlock(&make_lock);
  return x;
}

sp_events *sp_app_events(sp_app *app) { return events_of(app)->ev; }

void api_events_free(sp_app *app) {
  if (!app->events) return;
  sp_events_close(app->events->ev);
  pthread_mutex_destroy(&app->events->lock);
  free(app->events);
  app->events = NULL;
}

/* ---- pixels ------------------------------------------------------------ */

static int cache_get(struct api_events *x, const char *code, int64_t *pid,
                     int64_t *adv) {
  size_t i = XXH64(code, strlen(code), 3) % CODE_CACHE;
  int hit = 0;
  pthread_mutex_lock(&x->lock);
  if (strcmp(x->codes[i].code, code) == 0) {
    *pid = x->codes[i].pixel_id;
    *adv = x->codes[i].advertiser_id;
    hit = 1;
  }
  pthread_mutex_unlock(&x->lock);
  return hit;
}

static void cache_put(struct api_events *x, const char *code, int64_t pid,
                      int64_t adv) {
  size_t i = XXH64(code, strlen(code), 3) % CODE_CACHE;
  pthread_mutex_lock(&x->lock);
  snprintf(x->codes[i].code, sizeof x->codes[i].code, "%s", code);
  x->codes[i].pixel_id = pid;
  x->codes[i].advertiser_id = adv;
  pthread_mutex_unlock(&x->lock);
}

/* Find a live pixel of `adv` by code (a scan of the advertiser's pixels). */
static int find_in_advertiser(sp_ctx *c, int64_t adv, const char *code,
                              int64_t *pid) {
  sp_query q;
  memset(&q, 0, sizeof q);
  q.kind = SP_KIND_PIXEL;
  q.advertiser_id = adv;
  q.skip_total = 1;
  sp_obj *rows;
  size_t n, total;
  sp_err e;
  if (store_list(c->app->st, &q, c->a, &rows, &n, &total, &e) != SP_OK)
    return 0;
  for (size_t i = 0; i < n; i++) {
    json_t *j = sp_json_loads(rows[i].body, 0, NULL);
    const char *mine = json_string_value(json_object_get(j, "pixel_code"));
    int hit = mine && strcmp(mine, code) == 0;
    json_decref(j);
    if (hit) {
      *pid = rows[i].id;
      return 1;
    }
  }
  return 0;
}

/* Resolve a pixel code: the advertisers of the token (Events API) or, for
 * the public browser endpoint, the pixel_code index in the store's meta. */
static sp_rc resolve_pixel(sp_ctx *c, const char *code, int public_,
                           int64_t *pid, int64_t *adv) {
  struct api_events *x = events_of(c->app);
  if (cache_get(x, code, pid, adv)) return SP_OK;
  char key[64];
  const char *v;
  sp_err ignore;
  snprintf(key, sizeof key, "pixel_code:%.40s", code);
  if (store_meta_get(c->app->st, key, c->a, &v, &ignore) == SP_OK &&
      sscanf(v, "%lld,%lld", (long long *)pid, (long long *)adv) == 2) {
    cache_put(x, code, *pid, *adv);
    return SP_OK;
  }
  if (!public_) {
    for (size_t i = 0; i < c->token.n_advertisers; i++) {
      if (find_in_advertiser(c, c->token.advertisers[i], code, pid)) {
        *adv = c->token.advertisers[i];
        cache_put(x, code, *pid, *adv);
        return SP_OK;
      }
    }
  } else {
    /* the demo advertiser's pixels (databases made before the index) */
    if (store_meta_get(c->app->st, "demo_advertiser_id", c->a, &v, &ignore) ==
            SP_OK &&
        find_in_advertiser(c, strtoll(v, NULL, 10), code, pid)) {
      *adv = strtoll(v, NULL, 10);
      cache_put(x, code, *pid, *adv);
      return SP_OK;
    }
  }
  return sp_fail(&c->err, SP_E_NOT_FOUND, "event_source_id", "PIXEL_EXISTS",
                 "no pixel with code \"%.40s\"%s", code,
                 public_ ? "" : " among the advertisers of this access token");
}

/* Record new event sources on the pixel object (BROWSER, EVENTS_API). */
void api_record_pixel_sources(sp_app *app, sp_arena *arena, int64_t now,
                              int64_t pid, int64_t adv, unsigned bits) {
  struct api_events *x = events_of(app);
  sp_obj row;
  sp_err e;
  store *st = app->st;
  if (store_write_begin(st, &e) != SP_OK) return;
  if (store_get(st, SP_KIND_PIXEL, adv, pid, arena, &row, &e) != SP_OK) {
    store_rollback(st);
    return;
  }
  json_t *j = sp_json_loads(row.body, 0, NULL);
  if (!j) {
    store_rollback(st);
    return;
  }
  json_t *a = json_object_get(j, "event_sources");
  if (!json_is_array(a)) {
    a = json_array();
    json_object_set_new(j, "event_sources", a);
  }
  int changed = 0;
  static const char *const names[] = {"BROWSER", "EVENTS_API"};
  for (int b = 0; b < 2; b++) {
    if (!(bits & (1u << b))) continue;
    int have = 0;
    size_t i;
    json_t *s;
    json_array_foreach(a, i, s) {
      if (json_is_string(s) && strcmp(json_string_value(s), names[b]) == 0)
        have = 1;
    }
    if (!have) {
      json_array_append_new(a, json_string(names[b]));
      changed = 1;
    }
  }
  int ok = 1;
  if (changed) {
    char *text = json_dumps(j, JSON_COMPACT);
    row.body = text;
    row.modify_time = now;
    ok = store_update(st, &row, &e) == SP_OK;
    free(text);
  }
  json_decref(j);
  if (ok && store_commit(st, &e) == SP_OK)
    sp_events_sources_synced(x->ev, pid, bits);
  else if (!ok)
    store_rollback(st);
}

/* ---- track ----------------------------------------------------------------- */

static void jstr(sp_buf *b, const char *s) {
  json_t *j = json_string(s);
  char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
  if (t) sp_buf_append(b, t, strlen(t));
  else sp_buf_append(b, "\"\"", 2);
  free(t);
  json_decref(j);
}

static void bprintf(sp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void bprintf(sp_buf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0) sp_buf_append(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}


static const char *body_str(sp_ctx *c, const char *key, int required,
                            sp_rc *rc) {
  json_t *v = json_object_get(c->body, key);
  *rc = SP_OK;
  if (!v || json_is_null(v)) {
    if (required)
      *rc = sp_fail(&c->err, SP_E_PARAM, key, "REQUIRED", "is required");
    return NULL;
  }
  if (!json_is_string(v)) {
    *rc = sp_fail(&c->err, SP_E_PARAM, key, "TYPE", "must be a string");
    return NULL;
  }
  return json_string_value(v);
}

/* Shared by the Events API and the browser endpoint. */
static sp_rc track(sp_ctx *c, int source) {
  sp_rc rc;
  const char *es = body_str(c, "event_source", source == SP_EV_SERVER, &rc);
  if (rc) return rc;
  if (es && strcmp(es, "web") != 0) {
    if (!strcmp(es, "app") || !strcmp(es, "offline") || !strcmp(es, "crm"))
      return sp_fail(&c->err, SP_E_PARAM, "event_source", "EVENT_SOURCE",
                     "\"%s\" event sets are not simulated by the sandbox; "
                     "use \"web\" with a pixel code as event_source_id",
                     es);
    return sp_fail(&c->err, SP_E_PARAM, "event_source", "EVENT_SOURCE",
                   "\"%.40s\" is not an allowed value; allowed: web, app, "
                   "offline, crm",
                   es);
  }
  const char *code = body_str(c, "event_source_id", 1, &rc);
  if (rc) return rc;
  if (body_str(c, "test_event_code", 0, &rc), rc) return rc;
  json_t *data = json_object_get(c->body, "data");
  if (!data)
    return sp_fail(&c->err, SP_E_PARAM, "data", "REQUIRED",
                   "is required (an array of 1 to %d events)", SP_EV_MAX_BATCH);
  if (!json_is_array(data))
    return sp_fail(&c->err, SP_E_PARAM, "data", "TYPE",
                   "must be an array of events");
  size_t n = json_array_size(data);
  if (n == 0 || n > SP_EV_MAX_BATCH)
    return sp_fail(&c->err, (sp_rc)SP_EV_E_BATCH, "data", "BATCH_SIZE",
                   "holds %zu events; a request carries 1 to %d (the whole "
                   "request is refused)",
                   n, SP_EV_MAX_BATCH);
  int64_t pid, adv;
  if ((rc = resolve_pixel(c, code, source == SP_EV_BROWSER, &pid, &adv)))
    return rc;
  if (source == SP_EV_SERVER) {
    if (!api_token_grants(c, adv))
      return sp_fail(&c->err, SP_E_NO_PERMISSION, "event_source_id", NULL,
                     "No permission to operate advertiser %lld (owner of "
                     "pixel %s).",
                     (long long)adv, code);
  }
  struct api_events *x = events_of(c->app);
  sp_ev_result *res = xmalloc(n * sizeof *res);
  unsigned fresh = 0;
  rc = sp_events_track(x->ev, source, adv, pid, c->now, c->rq->body,
                       c->rq->body_len, c->body, res, &fresh, &c->err);
  if (rc) {
    free(res);
    return rc;
  }
  if (fresh) api_record_pixel_sources(c->app, c->a, c->now, pid, adv, fresh);

  size_t kept = 0, merged = 0, test = 0, refused = 0, noid = 0;
  for (size_t i = 0; i < n; i++) {
    switch (res[i].status) {
      case SP_EV_KEPT: kept++; noid += res[i].event_id == NULL; break;
      case SP_EV_MERGED: merged++; break;
      case SP_EV_TEST: test++; break;
      default: refused++;
    }
  }
  if (refused == n) {
    sp_err first = *res[0].err;
    sp_events_results_free(res, n);
    free(res);
    char f[160];
    snprintf(f, sizeof f, "data[0].%s", first.field);
    if (!first.field[0]) snprintf(f, sizeof f, "data[0]");
    return sp_fail(&c->err, first.code, f, first.rule,
                   "%s (all %zu events refused)", first.msg, n);
  }
  /* answer: code 20001 when some events were refused (the live API's
   * "partially successful"); dispatch writes the envelope */
  sp_buf *b = &c->raw;
  if (refused) {
    c->raw_code = 20001;
    c->raw_message = "Partially successful";
  }
  sp_buf_append(b, "{", 1);
  bprintf(b,
          "\"events_received\":%zu,\"events_accepted\":%zu,"
          "\"events_merged\":%zu,\"events_refused\":%zu,\"test_events\":%zu,"
          "\"events_without_event_id\":%zu",
          n, kept, merged, refused, test, noid);
  if (test) {
    sp_buf_append(b, ",\"test_event_code\":", 19);
    jstr(b, json_string_value(json_object_get(c->body, "test_event_code")));
  }
  sp_buf_append(b, ",\"merged\":[", 11);
  int first = 1;
  for (size_t i = 0; i < n; i++) {
    if (res[i].status != SP_EV_MERGED) continue;
    char t[20];
    sp_time_format(res[i].first_seen, t);
    bprintf(b, "%s{\"index\":%zu,\"event_id\":", first ? "" : ",", i);
    jstr(b, res[i].event_id);
    bprintf(b, ",\"first_received_time\":\"%s\",\"fields_filled\":%u}", t,
            (unsigned)__builtin_popcount(res[i].filled));
    first = 0;
  }
  sp_buf_append(b, "],\"errors\":[", 12);
  first = 1;
  for (size_t i = 0; i < n; i++) {
    if (res[i].status != SP_EV_REFUSED) continue;
    char f[160], msg[1024];
    if (res[i].err->field[0])
      snprintf(f, sizeof f, "data[%zu].%s", i, res[i].err->field);
    else
      snprintf(f, sizeof f, "data[%zu]", i);
    snprintf(msg, sizeof msg, "%s: %s", f, res[i].err->msg);
    bprintf(b, "%s{\"index\":%zu,\"code\":%d,\"field\":", first ? "" : ",", i,
            (int)res[i].err->code);
    jstr(b, f);
    sp_buf_append(b, ",\"rule\":", 8);
    jstr(b, res[i].err->rule);
    sp_buf_append(b, ",\"message\":", 11);
    jstr(b, msg);
    sp_buf_append(b, "}", 1);
    first = 0;
  }
  sp_buf_append(b, "]}", 2);
  sp_events_results_free(res, n);
  free(res);
  c->has_raw = 1;
  return SP_OK;
}

sp_rc api_event_track(sp_ctx *c, json_t **data) {
  (void)data;
  return track(c, SP_EV_SERVER);
}

sp_rc api_pixel_browser_track(sp_ctx *c, json_t **data) {
  (void)data;
  return track(c, SP_EV_BROWSER);
}

/* ---- the browser Pixel script ---------------------------------------------- */

/* Served at /i18n/pixel/events.js (TikTok's path). It takes over the
 * queue the base code's stub builds (ttq.load / page / track / identify /
 * instance), and posts each event to /sandbox/pixel/track/ of the host it
 * was loaded from, as {event_source, event_source_id, data:[event]} (the
 * Events API shape): a no-cors text/plain POST, so no CORS preflight. */
static const char pixel_js[] =
    "/* smartplus sandbox Pixel: TikTok's ttq API, posting to smartplusd */\n"
    "(function (w, d) {\n"
    "  'use strict';\n"
    "  var name = w.TiktokAnalyticsObject || 'ttq';\n"
    "  var q = w[name] = w[name] || [];\n"
    "  if (q.__smartplus) return;\n"
    "  var me = d.currentScript && d.currentScript.src ? d.currentScript.src : '';\n"
    "  var base = me ? me.replace(/\\/i18n\\/pixel\\/events\\.js.*$/, '') : '';\n"
    "  var endpoint = base + '/sandbox/pixel/track/';\n"
    "  var codes = [], user = {}, seq = 0;\n"
    "  function cookie(k) {\n"
    "    var m = d.cookie.match(new RegExp('(?:^|; )' + k + '=([^;]*)'));\n"
    "    return m ? decodeURIComponent(m[1]) : null;\n"
    "  }\n"
    "  function ttp() {\n"
    "    var v = cookie('_ttp');\n"
    "    if (!v) {\n"
    "      v = (Date.now().toString(36) + Math.random().toString(36).slice(2)).slice(0, 27);\n"
    "      try { d.cookie = '_ttp=' + v + '; path=/; max-age=34190000; SameSite=Lax'; } catch (e) {}\n"
    "    }\n"
    "    return v;\n"
    "  }\n"
    "  function ttclid() {\n"
    "    var m = /[?&]ttclid=([^&#]*)/.exec(w.location.search);\n"
    "    return m ? decodeURIComponent(m[1]) : null;\n"
    "  }\n"
    "  function hashed(v) { return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v); }\n"
    "  function send(code, ev, props, opts) {\n"
    "    var u = { ttp: ttp(), user_agent: navigator.userAgent, locale: navigator.language };\n"
    "    var c = ttclid(); if (c) u.ttclid = c;\n"
    "    for (var k in user) u[k] = user[k];\n"
    "    var e = { event: ev, user: u,\n"
    "      page: { url: w.location.href, referrer: d.referrer || undefined } };\n"
    "    if (props && typeof props === 'object') e.properties = props;\n"
    "    if (opts && opts.event_id) e.event_id = String(opts.event_id);\n"
    "    var body = JSON.stringify({ event_source: 'web', event_source_id: code, data: [e] });\n"
    "    seq++;\n"
    "    try {\n"
    "      w.fetch(endpoint, { method: 'POST', mode: 'no-cors', keepalive: true, body: body });\n"
    "    } catch (x) {\n"
    "      if (navigator.sendBeacon) navigator.sendBeacon(endpoint, body);\n"
    "    }\n"
    "  }\n"
    "  function each(fn) { for (var i = 0; i < codes.length; i++) fn(codes[i]); }\n"
    "  var api = {\n"
    "    load: function (code) { if (codes.indexOf(code) < 0) codes.push(code); },\n"
    "    page: function () { each(function (c) { send(c, 'Pageview'); }); },\n"
    "    track: function (ev, props, opts) { each(function (c) { send(c, ev, props, opts); }); },\n"
    "    identify: function (o) {\n"
    "      o = o || {};\n"
    "      ['email', 'phone_number', 'external_id'].forEach(function (k) {\n"
    "        if (hashed(o[k])) user[k === 'phone_number' ? 'phone' : k] = o[k];\n"
    "        else if (o[k] && w.console) console.warn('smartplus pixel: ' + k + ' must be SHA-256 hashed; dropped');\n"
    "      });\n"
    "    },\n"
    "    instance: function (code) {\n"
    "      return { page: function () { send(code, 'Pageview'); },\n"
    "               track: function (ev, p, o) { send(code, ev, p, o); } };\n"
    "    }\n"
    "  };\n"
    "  ['debug', 'on', 'off', 'once', 'ready', 'alias', 'group', 'enableCookie',\n"
    "   'disableCookie', 'holdConsent', 'revokeConsent', 'grantConsent'].forEach(\n"
    "    function (m) { api[m] = function () {}; });\n"
    "  if (q._i) for (var c in q._i) api.load(c);\n"
    "  var pending = q.slice ? q.slice(0) : [];\n"
    "  for (var m in api) q[m] = api[m];\n"
    "  q.length = 0;\n"
    "  q.push = function (a) { if (a && api[a[0]]) api[a[0]].apply(null, a.slice(1)); };\n"
    "  q.__smartplus = true;\n"
    "  q.sent = function () { return seq; };\n"
    "  for (var i = 0; i < pending.length; i++) q.push(pending[i]);\n"
    "})(window, document);\n";

sp_rc api_pixel_script(sp_ctx *c, json_t **data) {
  (void)data;
  sp_buf_append(&c->raw, pixel_js, sizeof pixel_js - 1);
  c->has_raw = 1;
  c->raw_type = "application/javascript; charset=utf-8";
  return SP_OK;
}

/* ---- stats ----------------------------------------------------------------- */

static json_t *sources_json(const char *body) {
  json_t *j = sp_json_loads(body, 0, NULL);
  json_t *s = json_object_get(j, "event_sources");
  json_t *out = json_is_array(s) ? json_incref(s) : json_array();
  json_decref(j);
  return out;
}

static json_t *pixel_stats(sp_ctx *c, int64_t pid, const sp_obj *row,
                           int64_t from, int64_t to) {
  sp_ev_stat *st;
  size_t n = sp_events_stats(events_of(c->app)->ev, pid, from, to, &st);
  json_t *events = json_array();
  for (size_t i = 0; i < n; i++) {
    sp_ev_stat *s = &st[i];
    json_array_append_new(
        events,
        json_pack("{s:s, s:{s:I, s:I, s:I}, s:I, s:I, s:{s:I, s:I, s:I}, "
                  "s:I, s:I, s:I}",
                  "event", s->event, "received", "browser",
                  (json_int_t)s->recv_browser, "events_api",
                  (json_int_t)s->recv_server, "total",
                  (json_int_t)(s->recv_browser + s->recv_server), "kept",
                  (json_int_t)s->kept, "merged", (json_int_t)s->merged,
                  "merged_by_channel", "browser_browser",
                  (json_int_t)s->merged_bb, "events_api_events_api",
                  (json_int_t)s->merged_ss, "browser_events_api",
                  (json_int_t)s->merged_bs, "without_event_id",
                  (json_int_t)s->no_event_id,
                  "double_counted_without_event_id",
                  (json_int_t)s->no_id_double, "test_events",
                  (json_int_t)s->test));
  }
  free(st);
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)pid);
  json_t *j = sp_json_loads(row->body, 0, NULL);
  const char *code = json_string_value(json_object_get(j, "pixel_code"));
  json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "pixel_id", id, "pixel_code",
                        code ? code : "", "event_sources",
                        sources_json(row->body), "events", events);
  json_decref(j);
  return o;
}

static sp_rc parse_day(sp_ctx *c, json_t *dr, const char *key, int64_t *day) {
  json_t *v = json_object_get(dr, key);
  char f[40];
  snprintf(f, sizeof f, "date_range.%s", key);
  if (!v) return sp_fail(&c->err, SP_E_PARAM, f, "REQUIRED", "is required");
  if (!json_is_string(v) || sp_date_parse(json_string_value(v), day) != 0)
    return sp_fail(&c->err, SP_E_PARAM, f, "DATE",
                   "must be a date YYYY-MM-DD (UTC)");
  return SP_OK;
}

sp_rc api_pixel_event_stats(sp_ctx *c, json_t **data) {
  sp_rc rc;
  const char *s = api_query(c, "pixel_ids");
  if (!s)
    return sp_fail(&c->err, SP_E_PARAM, "pixel_ids", "REQUIRED",
                   "is required (a JSON array of pixel ids)");
  json_t *ids = sp_json_loads(s, JSON_DECODE_ANY, NULL);
  int64_t *v;
  size_t n;
  rc = api_parse_ids(c, "pixel_ids", ids, 20, &v, &n);
  json_decref(ids);
  if (rc) return rc;
  if (n == 0)
    return sp_fail(&c->err, SP_E_PARAM, "pixel_ids", "REQUIRED",
                   "must name at least one pixel");
  s = api_query(c, "date_range");
  if (!s)
    return sp_fail(&c->err, SP_E_PARAM, "date_range", "REQUIRED",
                   "is required: {\"start_date\":\"YYYY-MM-DD\","
                   "\"end_date\":\"YYYY-MM-DD\"}");
  json_t *dr = sp_json_loads(s, 0, NULL);
  if (!json_is_object(dr)) {
    json_decref(dr);
    return sp_fail(&c->err, SP_E_PARAM, "date_range", "TYPE",
                   "must be a JSON object {start_date, end_date}");
  }
  int64_t from, to;
  rc = parse_day(c, dr, "start_date", &from);
  if (!rc) rc = parse_day(c, dr, "end_date", &to);
  json_decref(dr);
  if (rc) return rc;
  if (to < from)
    return sp_fail(&c->err, SP_E_PARAM, "date_range.end_date", "DATE_ORDER",
                   "must not be before start_date");
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) {
    sp_obj row;
    if ((rc = store_get(c->app->st, SP_KIND_PIXEL, c->advertiser_id, v[i], c->a,
                        &row, &c->err))) {
      json_decref(list);
      if (rc == SP_E_NOT_FOUND)
        sp_fail(&c->err, SP_E_NOT_FOUND, "pixel_ids", "PIXEL_EXISTS",
                "pixel %lld does not exist for advertiser %lld",
                (long long)v[i], (long long)c->advertiser_id);
      return rc;
    }
    json_array_append_new(list, pixel_stats(c, v[i], &row, from, to));
  }
  *data = json_pack("{s:o}", "stats", list);
  return SP_OK;
}

/* GET /sandbox/events/?advertiser_id=&pixel_id=&limit= : counters per pixel
 * and event (all days) and the most recent events with their verdicts. */
sp_rc api_sandbox_events(sp_ctx *c, json_t **data) {
  const char *s;
  int64_t only = 0;
  size_t limit = 50;
  if ((s = api_query(c, "pixel_id"))) {
    if (!sp_is_int64_string(s))
      return sp_fail(&c->err, SP_E_PARAM, "pixel_id", "ID", "is not a valid id");
    only = strtoll(s, NULL, 10);
  }
  if ((s = api_query(c, "limit"))) {
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 5 ||
        atol(s) > SP_EV_RING)
      return sp_fail(&c->err, SP_E_PARAM, "limit", "RANGE",
                     "must be an integer from 0 to %d", SP_EV_RING);
    limit = (size_t)atol(s);
  }
  struct api_events *x = events_of(c->app);
  int64_t *px;
  size_t n = sp_events_pixels(x->ev, c->advertiser_id, &px);
  json_t *pixels = json_array();
  for (size_t i = 0; i < n; i++) {
    if (only && px[i] != only) continue;
    sp_obj row;
    sp_err e;
    if (store_get(c->app->st, SP_KIND_PIXEL, c->advertiser_id, px[i], c->a,
                  &row, &e) != SP_OK)
      continue;
    json_array_append_new(pixels, pixel_stats(c, px[i], &row, 0, INT64_MAX));
  }
  free(px);
  size_t live, bytes;
  sp_events_memory(x->ev, &live, &bytes);
  *data = json_pack("{s:o, s:o, s:{s:I, s:I}}", "pixels", pixels, "recent",
                    sp_events_recent(x->ev, c->advertiser_id, only, limit),
                    "dedup", "live_keys", (json_int_t)live, "bytes",
                    (json_int_t)bytes);
  return SP_OK;
}
