/*
 * dispatch.c - routing, authentication and the envelope.
 *
 * Every answer, including errors, is {"code","message","request_id","data"}
 * with HTTP 200, as the live API does (api-facts 1): the code is the error
 * channel. Only requests that never reach the API logic get another HTTP
 * status: an unknown path (404), a method the path does not take (405) and
 * a body over SP_MAX_BODY (413); they still carry the envelope.
 *
 * Order of checks, as the live API: route, token present, token known,
 * scope, JSON body, advertiser granted to the token, advertiser allowlisted.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#include "../core/text.h"
#include "internal.h"
#include "../model/quick.h"
#include "../rules/ad.h"
#include "../model/json.h"

#define API "/open_api/v1.3"

enum {
  R_ALLOWLIST = 1u << 0, /* advertiser must be allowlisted for Upgraded Smart+ */
  R_NOADV = 1u << 1,     /* token required, no advertiser (sandbox controls) */
  R_PUBLIC = 1u << 2,    /* no token (the browser pixel and its script) */
  /* may run long or block (a simulation, event ingestion): a server runs it
   * on a worker, not on an I/O thread (sp_api_deferrable) */
  R_SLOW = 1u << 3,
};

typedef struct route {
  const char *method;
  const char *path;
  unsigned scope;
  unsigned flags;
  sp_handler fn;
} route;

static const route routes[] = {
    {"POST", API "/smart_plus/campaign/create/", SP_SCOPE_ADS, R_ALLOWLIST,
     api_campaign_create},
    {"POST", API "/smart_plus/campaign/update/", SP_SCOPE_ADS, R_ALLOWLIST,
     api_campaign_update},
    {"GET", API "/smart_plus/campaign/get/", SP_SCOPE_ADS, R_ALLOWLIST,
     api_campaign_get},
    {"POST", API "/smart_plus/campaign/status/update/", SP_SCOPE_ADS,
     R_ALLOWLIST, api_campaign_status},
    {"POST", API "/smart_plus/adgroup/create/", SP_SCOPE_ADS, R_ALLOWLIST,
     api_adgroup_create},
    {"POST", API "/smart_plus/adgroup/update/", SP_SCOPE_ADS, R_ALLOWLIST,
     api_adgroup_update},
    {"GET", API "/smart_plus/adgroup/get/", SP_SCOPE_ADS, R_ALLOWLIST,
     api_adgroup_get},
    {"POST", API "/smart_plus/adgroup/status/update/", SP_SCOPE_ADS,
     R_ALLOWLIST, api_adgroup_status},
    {"POST", API "/smart_plus/ad/create/", SP_SCOPE_ADS, R_ALLOWLIST,
     api_ad_create},
    {"POST", API "/smart_plus/ad/update/", SP_SCOPE_ADS, R_ALLOWLIST,
     api_ad_update},
    {"GET", API "/smart_plus/ad/get/", SP_SCOPE_ADS, R_ALLOWLIST, api_ad_get},
    {"POST", API "/smart_plus/ad/status/update/", SP_SCOPE_ADS, R_ALLOWLIST,
     api_ad_status},
    {"POST", API "/smart_plus/ad/material_status/update/", SP_SCOPE_ADS,
     R_ALLOWLIST, api_ad_material_status},
    {"POST", API "/pixel/create/", SP_SCOPE_ADS, 0, api_pixel_create},
    {"GET", API "/pixel/list/", SP_SCOPE_ADS, 0, api_pixel_list},
    {"POST", API "/campaign/spc/create/", SP_SCOPE_ADS, 0, api_spc_create},
    {"POST", API "/campaign/spc/update/", SP_SCOPE_ADS, 0, api_spc_update},
    {"GET", API "/campaign/spc/get/", SP_SCOPE_ADS, 0, api_spc_get},
    {"GET", API "/campaign/spc/quota/get/", SP_SCOPE_ADS, 0, api_spc_quota_get},
    {"POST", API "/campaign/status/update/", SP_SCOPE_ADS, 0, api_legacy_status_update},
    {"POST", API "/campaign/create/", SP_SCOPE_ADS, 0, api_manual_campaign_create},
    {"POST", API "/event/track/", 0, R_NOADV | R_SLOW, api_event_track},
    {"GET", API "/pixel/event/stats/", SP_SCOPE_ADS, 0, api_pixel_event_stats},
    {"GET", "/sandbox/events/", 0, 0, api_sandbox_events},
    {"GET", "/i18n/pixel/events.js", 0, R_PUBLIC, api_pixel_script},
    {"POST", "/sandbox/pixel/track/", 0, R_PUBLIC | R_SLOW,
     api_pixel_browser_track},
    {"GET", API "/report/integrated/get/", SP_SCOPE_REPORT, 0,
     api_report_integrated_get},
    {"GET", API "/smart_plus/material_report/overview/", SP_SCOPE_REPORT,
     R_ALLOWLIST, api_material_report_overview},
    {"GET", "/sandbox/clock", 0, R_NOADV, api_sandbox_clock_get},
    {"POST", "/sandbox/clock/set", 0, R_NOADV | R_SLOW, api_sandbox_clock_set},
    {"POST", "/sandbox/clock/advance", 0, R_NOADV | R_SLOW,
     api_sandbox_clock_advance},
};

sp_app *sp_app_create(store *st, sp_clock *clock) {
  sp_app *app = xcalloc(1, sizeof *app);
  app->st = st;
  app->clock = clock;
  atomic_store(&app->seq, 0);
  pthread_mutex_init(&app->auth_lock, NULL);
  pthread_mutex_init(&app->clock_lock, NULL);
  /* creatives' ids continue after the highest stored one (they shared the
   * legacy campaigns' sequence before, and began again at each start) */
  sp_err e;
  if (store_seq_cover(st, SP_KIND_MATERIAL, SP_KIND_AD, "creative_list",
                      "ad_material_id", &e) != SP_OK) {
    char msg[512];
    sp_err_format(&e, msg, sizeof msg);
    fprintf(stderr, "smartplus: creative ids: %s\n", msg);
  }
  return app;
}

void sp_app_destroy(sp_app *app) {
  if (!app) return;
  api_events_free(app);
  pthread_mutex_destroy(&app->auth_lock);
  pthread_mutex_destroy(&app->clock_lock);
  free(app);
}

static sp_rc token_lookup(sp_app *app, const char *tok, sp_token *out,
                          sp_err *e) {
  size_t len = strlen(tok);
  auth_entry *slot = &app->tokens[XXH64(tok, len, 1) % AUTH_CACHE];
  int64_t now = sp_mono_ns() / 1000;
  pthread_mutex_lock(&app->auth_lock);
  if (slot->until > now && strcmp(slot->token, tok) == 0) {
    *out = slot->t;
    pthread_mutex_unlock(&app->auth_lock);
    return SP_OK;
  }
  pthread_mutex_unlock(&app->auth_lock);
  sp_rc rc = store_token_get(app->st, tok, out, e);
  if (rc == SP_OK && len < sizeof slot->token) {
    pthread_mutex_lock(&app->auth_lock);
    memcpy(slot->token, tok, len + 1);
    slot->t = *out;
    slot->until = now + AUTH_TTL_US;
    pthread_mutex_unlock(&app->auth_lock);
  }
  return rc;
}

static sp_rc advertiser_lookup(sp_app *app, int64_t id, sp_arena *a,
                               int *allowlisted, sp_err *e) {
  adv_entry *slot = &app->advertisers[(uint64_t)id % AUTH_CACHE];
  int64_t now = sp_mono_ns() / 1000;
  pthread_mutex_lock(&app->auth_lock);
  if (slot->until > now && slot->id == id) {
    *allowlisted = slot->allowlisted;
    pthread_mutex_unlock(&app->auth_lock);
    return SP_OK;
  }
  pthread_mutex_unlock(&app->auth_lock);
  sp_advertiser info;
  sp_rc rc = store_advertiser_get(app->st, id, a, &info, e);
  if (rc == SP_OK) {
    *allowlisted = info.allowlisted;
    pthread_mutex_lock(&app->auth_lock);
    slot->id = id;
    slot->allowlisted = info.allowlisted;
    slot->until = now + AUTH_TTL_US;
    pthread_mutex_unlock(&app->auth_lock);
  }
  return rc;
}
store *sp_app_store(sp_app *app) { return app->st; }
sp_clock *sp_app_clock(sp_app *app) { return app->clock; }

void sp_response_free(sp_response *rs) {
  free(rs->body);
  rs->body = NULL;
}

/* Log id in the live shape: UTC YYYYMMDDHHMMSS + 20 hex characters. */
static void make_request_id(sp_app *app, int64_t now_us, char out[40]) {
  char t[20];
  sp_time_format(now_us / 1000000, t);
  uint64_t n = atomic_fetch_add(&app->seq, 1);
  uint64_t h = XXH64(&n, sizeof n, (uint64_t)now_us);
  /* YYYYMMDDhhmmss, 16 hex digits of h, 4 of n: by hand, snprintf was 1%
   * of an ad create's CPU */
  static const char hex[] = "0123456789ABCDEF";
  static const int from[14] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
  for (int i = 0; i < 14; i++) out[i] = t[from[i]];
  for (int i = 0; i < 16; i++) out[14 + i] = hex[(h >> (60 - 4 * i)) & 15];
  for (int i = 0; i < 4; i++) out[30 + i] = hex[(n >> (12 - 4 * i)) & 15];
  out[34] = '\0';
}

static void respond(sp_app *app, sp_response *rs, int http, sp_rc code,
                    const char *message, json_t *data) {
  char rid[40];
  make_request_id(app, sp_clock_now_us(app->clock), rid);
  json_t *env = json_object();
  json_object_set_new(env, "code", json_integer(code));
  json_object_set_new(env, "message", json_string(message));
  json_object_set_new(env, "request_id", json_string(rid));
  json_object_set_new(env, "data", data ? data : json_object());
  rs->status = http;
  rs->body = json_dumps(env, JSON_COMPACT);
  if (!rs->body) { /* only on invalid UTF-8, which the decoder refuses */
    rs->body = xstrdup("{\"code\":50000,\"message\":\"System error\",\"data\":{}}");
  }
  rs->len = strlen(rs->body);
  rs->content_type = "application/json";
  json_decref(env);
}

/* Envelope around ready JSON text (the handlers' fast path). */
static void respond_raw(sp_app *app, sp_response *rs, const sp_buf *data,
                        int code, const char *message) {
  char rid[40], head[256];
  make_request_id(app, sp_clock_now_us(app->clock), rid);
  int hl = snprintf(head, sizeof head,
                    "{\"code\":%d,\"message\":\"%.100s\",\"request_id\":\"%s\","
                    "\"data\":",
                    code, message ? message : "OK", rid);
  rs->len = (size_t)hl + data->len + 1;
  rs->body = xmalloc(rs->len + 1);
  memcpy(rs->body, head, (size_t)hl);
  memcpy(rs->body + hl, data->data, data->len);
  rs->body[rs->len - 1] = '}';
  rs->body[rs->len] = '\0';
  rs->status = 200;
  rs->content_type = "application/json";
}

static void respond_err(sp_app *app, sp_response *rs, int http,
                        const sp_err *e) {
  char msg[1024];
  sp_err_format(e, msg, sizeof msg);
  respond(app, rs, http, e->code, msg, NULL);
}

const char *sp_request_query(const sp_request *rq, const char *key) {
  for (size_t i = 0; i < rq->n_query; i++)
    if (strcmp(rq->query[i].key, key) == 0) return rq->query[i].value;
  return NULL;
}

/* advertiser_id from the body (POST) or the query (GET) */
static sp_rc find_advertiser(sp_ctx *c, int64_t *out) {
  const char *s = NULL;
  char buf[32];
  if (c->body) {
    json_t *v = json_object_get(c->body, "advertiser_id");
    if (json_is_integer(v) && json_integer_value(v) > 0) {
      *out = json_integer_value(v);
      return SP_OK;
    }
    if (v && !json_is_string(v))
      return sp_fail(&c->err, SP_E_PARAM, "advertiser_id", "TYPE",
                     "expected a string holding a 64-bit integer id");
    s = json_string_value(v);
  } else {
    s = sp_request_query(c->rq, "advertiser_id");
  }
  if (!s)
    return sp_fail(&c->err, SP_E_PARAM, "advertiser_id", "REQUIRED",
                   "is required");
  snprintf(buf, sizeof buf, "%s", s);
  if (!sp_is_int64_string(buf) || strlen(s) > 19)
    return sp_fail(&c->err, SP_E_PARAM, "advertiser_id", "ID",
                   "\"%.40s\" is not a valid id (a string holding a 64-bit "
                   "integer)",
                   s);
  *out = strtoll(buf, NULL, 10);
  return SP_OK;
}

static const char *scope_name(unsigned scope) {
  switch (scope) {
    case SP_SCOPE_ADS: return "Ads Management > Upgraded Smart Plus Ads";
    case SP_SCOPE_REPORT: return "Reporting > Upgraded Smart+ Report";
    case SP_SCOPE_CREATIVE: return "Creative Management > Creative tool";
  }
  return "?";
}

/* Creates whose body is decoded straight from its text when
 * sp_decode_quick takes it (c->decoded), with the top-level keys that keep
 * it on the slow path (ones the handler rewrites before decoding). */
static const struct {
  sp_handler fn;
  const sp_schema *schema;
  const char *const *refuse;
} quick_routes[] = {
    {api_campaign_create, &sp_campaign_schema, NULL},
    {api_adgroup_create, &sp_adgroup_schema, NULL},
    {api_ad_create, &sp_ad_schema, rules_ad_rewritten_keys},
};

/* The route of the request (NULL if none); *allow: a method the path has. */
static const route *find_route(const sp_request *rq, const char **allow) {
  *allow = NULL;
  for (size_t i = 0; i < SP_ARRAY_LEN(routes); i++) {
    if (strcmp(routes[i].path, rq->path) != 0) continue;
    if (strcmp(routes[i].method, rq->method) == 0) return &routes[i];
    *allow = routes[i].method;
  }
  return NULL;
}

static void handle(sp_app *app, const sp_request *rq, sp_response *rs,
                   sp_ctx *c) {
  const char *allow;
  const route *r = find_route(rq, &allow);
  if (!r && allow) {
    sp_fail(&c->err, SP_E_ROUTE, NULL, "HTTP_METHOD",
            "Method %.16s is not allowed on %.200s; use %s", rq->method,
            rq->path, allow);
    respond_err(app, rs, 405, &c->err);
    rs->allow = allow;
    return;
  }
  if (!r) {
    size_t n = strlen(rq->path);
    const char *hint = n && rq->path[n - 1] != '/'
                           ? " (paths of the live API end with '/')"
                           : "";
    sp_fail(&c->err, SP_E_ROUTE, NULL, "HTTP_ROUTE",
            "Route not found: %.200s%s", rq->path, hint);
    respond_err(app, rs, 404, &c->err);
    return;
  }
  if (rq->body_too_large) {
    sp_fail(&c->err, SP_E_INVALID, NULL, "BODY_SIZE",
            "request body is larger than %u bytes", SP_MAX_BODY);
    respond_err(app, rs, 413, &c->err);
    return;
  }

  if (r->flags & R_PUBLIC) goto body;

  /* authentication */
  const char *tok = rq->token;
  if (!tok) tok = sp_request_query(rq, "Access-Token"); /* the spec's query form */
  if (!tok || !*tok) {
    sp_fail(&c->err, SP_E_TOKEN_EMPTY, NULL, NULL,
            "Access token is null, you should set it in http header with key "
            "Access-Token.");
    respond_err(app, rs, 200, &c->err);
    return;
  }
  if (strlen(tok) > 256 ||
      token_lookup(app, tok, &c->token, &c->err) != SP_OK) {
    if (c->err.code != SP_E_SYSTEM)
      sp_fail(&c->err, SP_E_TOKEN_INVALID, NULL, NULL,
              "Access token is incorrect or has been revoked.");
    respond_err(app, rs, 200, &c->err);
    return;
  }
  if (r->scope && !(c->token.scopes & r->scope)) {
    sp_fail(&c->err, SP_E_SCOPE, NULL, "AUTH_SCOPE",
            "The access token lacks the permission scope \"%s\" that %s "
            "needs; re-authorise the app with that scope",
            scope_name(r->scope), rq->path);
    respond_err(app, rs, 200, &c->err);
    return;
  }

  /* body */
body:
  if (strcmp(rq->method, "POST") == 0) {
    json_error_t jerr;
    if (rq->body_len == 0) {
      sp_fail(&c->err, SP_E_INVALID, "body", "JSON",
              "request body is empty; expected a JSON object");
      respond_err(app, rs, 200, &c->err);
      return;
    }
    for (size_t i = 0; i < SP_ARRAY_LEN(quick_routes); i++) {
      if (quick_routes[i].fn != r->fn) continue;
      /* the common case of a create: no tree; c->body holds only the
       * top-level values read from it (advertiser, request id) */
      static const char *const keep[] = {"advertiser_id", "request_id", NULL};
      const sp_schema *qs = quick_routes[i].schema;
      void *out = sp_arena_alloc(c->a, qs->size);
      if (sp_decode_quick(qs, rq->body, rq->body_len, keep,
                          quick_routes[i].refuse, out, c->a, &c->body))
        c->decoded = out;
      break;
    }
    if (!c->decoded)
      c->body = sp_json_load(rq->body, rq->body_len, JSON_REJECT_DUPLICATES,
                             &jerr);
    if (!c->body) {
      sp_fail(&c->err, SP_E_INVALID, "body", "JSON",
              "invalid JSON at byte %d (line %d, column %d): %s",
              jerr.position, jerr.line, jerr.column, jerr.text);
      respond_err(app, rs, 200, &c->err);
      return;
    }
    if (!json_is_object(c->body)) {
      sp_fail(&c->err, SP_E_INVALID, "body", "JSON",
              "expected a JSON object at the top level");
      respond_err(app, rs, 200, &c->err);
      return;
    }
  }

  if (r->flags & (R_PUBLIC | R_NOADV)) goto run;

  /* every other route names an advertiser */
  int64_t adv = 0;
  if (find_advertiser(c, &adv) != SP_OK) {
    respond_err(app, rs, 200, &c->err);
    return;
  }
  if (!api_token_grants(c, adv)) {
    sp_fail(&c->err, SP_E_NO_PERMISSION, NULL, NULL,
            "No permission to operate advertiser %lld.", (long long)adv);
    respond_err(app, rs, 200, &c->err);
    return;
  }
  int allowlisted = 0;
  if (advertiser_lookup(app, adv, c->a, &allowlisted, &c->err) != SP_OK) {
    respond_err(app, rs, 200, &c->err);
    return;
  }
  if ((r->flags & R_ALLOWLIST) && !allowlisted) {
    sp_fail(&c->err, SP_E_NOT_ALLOWLISTED, NULL, "AUTH_ALLOWLIST",
            "Advertiser %lld is not allowlisted for Upgraded Smart+; ask "
            "your TikTok representative to enable it (smartplusd "
            "advertiser add --allowlist in the sandbox)",
            (long long)adv);
    respond_err(app, rs, 200, &c->err);
    return;
  }
  c->advertiser_id = adv;

run:;
  json_t *data = NULL;
  sp_rc rc = r->fn(c, &data);
  if (rc != SP_OK) {
    if (c->err.code == SP_OK) c->err.code = rc;
    respond_err(app, rs, 200, &c->err);
    json_decref(data);
    return;
  }
  if (c->has_raw && c->raw_type) { /* not JSON: the pixel script */
    json_decref(data);
    rs->status = 200;
    rs->content_type = c->raw_type;
    rs->len = c->raw.len;
    rs->body = xmalloc(c->raw.len + 1);
    memcpy(rs->body, c->raw.data, c->raw.len);
    rs->body[rs->len] = '\0';
    return;
  }
  if (c->has_raw) {
    json_decref(data);
    respond_raw(app, rs, &c->raw, c->raw_code, c->raw_message);
    return;
  }
  respond(app, rs, 200, SP_OK, "OK", data);
}

void sp_api_handle(sp_app *app, const sp_request *rq, sp_response *rs) {
  memset(rs, 0, sizeof *rs);
  sp_ctx c;
  memset(&c, 0, sizeof c);
  c.app = app;
  c.rq = rq;
  c.a = sp_arena_create();
  c.now = sp_clock_now_us(app->clock) / 1000000;
  sp_err_clear(&c.err);
  sp_buf_init(&c.raw, 256u * 1024 * 1024); /* named cap: one answer's data */
  handle(app, rq, rs, &c);
  sp_buf_free(&c.raw);
  json_decref(c.body);
  sp_arena_destroy(c.a);
}

int sp_api_deferrable(const sp_request *rq) {
  const char *allow;
  const route *r = find_route(rq, &allow);
  return !r || !(r->flags & R_SLOW);
}

int sp_api_handle_deferred(sp_app *app, const sp_request *rq, sp_response *rs,
                           store_waiter *w) {
  store_defer(app->st, w);
  sp_api_handle(app, rq, rs);
  return store_defer(app->st, NULL);
}

void sp_api_settle(sp_app *app, const store_waiter *w, sp_response *rs) {
  if (w->rc == SP_OK) return;
  /* the answer told of a write the COMMIT lost: it must not be sent */
  sp_response_free(rs);
  memset(rs, 0, sizeof *rs);
  sp_err e;
  sp_err_clear(&e);
  sp_fail(&e, SP_E_SYSTEM, NULL, "STORE", "store error (commit)");
  respond_err(app, rs, 200, &e);
}

void sp_api_drain(sp_app *app) { store_drain(app->st); }

void sp_api_commit_now(sp_app *app) { store_commit_now(app->st); }

void sp_api_defer_stuck(sp_app *app, int (*stuck)(void *), void *arg) {
  store_defer_stuck(app->st, stuck, arg);
}

/* ---- query strings ---- */

static int hexval(int ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

static char *url_decode(sp_arena *a, const char *s, size_t n) {
  char *out = sp_arena_alloc(a, n + 1);
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '+') {
      out[j++] = ' ';
    } else if (s[i] == '%' && i + 2 < n &&
               hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      out[j++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      out[j++] = s[i];
    }
  }
  out[j] = '\0';
  return out;
}

size_t sp_query_parse(sp_arena *a, const char *qs, sp_kv **out) {
  size_t cap = 1;
  for (const char *p = qs; *p; p++)
    if (*p == '&') cap++;
  sp_kv *kv = sp_arena_alloc(a, cap * sizeof *kv);
  size_t n = 0;
  const char *p = qs;
  while (*p) {
    const char *end = strchr(p, '&');
    if (!end) end = p + strlen(p);
    const char *eq = memchr(p, '=', (size_t)(end - p));
    if (end > p) {
      kv[n].key = url_decode(a, p, (size_t)((eq ? eq : end) - p));
      kv[n].value = eq ? url_decode(a, eq + 1, (size_t)(end - eq - 1)) : "";
      n++;
    }
    p = *end ? end + 1 : end;
  }
  *out = kv;
  return n;
}

void sp_token_generate(char out[41]) {
  unsigned char raw[20];
  FILE *f = fopen("/dev/urandom", "rb");
  size_t got = f ? fread(raw, 1, sizeof raw, f) : 0;
  if (f) fclose(f);
  if (got != sizeof raw) {
    /* no /dev/urandom: fall back on a hash of the address space layout */
    uint64_t h = XXH64(&raw, sizeof raw, (uint64_t)(uintptr_t)&got);
    memcpy(raw, &h, sizeof h);
  }
  for (size_t i = 0; i < sizeof raw; i++)
    snprintf(out + 2 * i, 3, "%02x", raw[i]);
}
