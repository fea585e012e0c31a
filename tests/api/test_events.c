/* test_events.c - in-process tests of the Events API 2.0 (event/track), the
 * browser Pixel endpoint, dedup across channels at the 48-hour boundary,
 * per-event errors, batch limits, test events, pixel event stats, the
 * sandbox list, the pixel's event sources, and journal replay. */
#include <unistd.h>

#include "../testutil.h"
#include "events/events.h"

#define T0 1775001600LL /* the test clock: 2026-04-01 00:00:00 UTC */

static void set_time(t_env *t, int64_t s) {
  sp_clock_set_us(t->clock, s * 1000000);
  sp_clock_freeze(t->clock, 1);
}

/* POST event/track/ with data[] = events (JSON text of the array items). */
static json_t *track(t_env *t, const char *code, const char *extra,
                     const char *events) {
  size_t n = strlen(events) + 512;
  char *b = malloc(n);
  snprintf(b, n,
           "{\"event_source\":\"web\",\"event_source_id\":\"%s\"%s,"
           "\"data\":[%s]}",
           code, extra ? extra : "", events);
  json_t *r = t_post(t, "/event/track/", b);
  free(b);
  return r;
}

static json_t *browser(t_env *t, const char *code, const char *events) {
  size_t n = strlen(events) + 512;
  char *b = malloc(n);
  snprintf(b, n,
           "{\"event_source\":\"web\",\"event_source_id\":\"%s\","
           "\"data\":[%s]}",
           code, events);
  json_t *r = t_req(t, "POST", "/sandbox/pixel/track/", NULL, b, NULL);
  free(b);
  return r;
}

static json_int_t dint(json_t *r, const char *k) {
  return json_integer_value(json_object_get(t_data(r), k));
}

/* Counters of (pixel, event) from pixel/event/stats over 2026. */
static json_t *stats(t_env *t, int64_t pixel_id, const char *event) {
  char q[512];
  snprintf(q, sizeof q,
           "/pixel/event/stats/?advertiser_id=%s&pixel_ids=%%5B%%22%lld%%22%%5D"
           "&date_range=%%7B%%22start_date%%22%%3A%%222026-01-01%%22%%2C"
           "%%22end_date%%22%%3A%%222026-12-31%%22%%7D",
           t->adv, (long long)pixel_id);
  json_t *r = t_get(t, q);
  t_ok(r);
  json_t *px = json_array_get(json_object_get(t_data(r), "stats"), 0);
  assert_non_null(px);
  json_t *evs = json_object_get(px, "events"), *x, *out = NULL;
  size_t i;
  json_array_foreach(evs, i, x) {
    if (strcmp(json_string_value(json_object_get(x, "event")), event) == 0)
      out = json_deep_copy(x);
  }
  json_decref(r);
  return out ? out : json_object();
}

static json_int_t sget(json_t *s, const char *k) {
  return json_integer_value(json_object_get(s, k));
}
static json_int_t sget2(json_t *s, const char *a, const char *b) {
  return json_integer_value(json_object_get(json_object_get(s, a), b));
}

static void test_accept_and_stats(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char ev[512];
  snprintf(ev, sizeof ev,
           "{\"event\":\"CompletePayment\",\"event_time\":%lld,\"event_id\":\"o-1\","
           "\"user\":{\"ttp\":\"abc\",\"ip\":\"203.0.113.9\"},"
           "\"page\":{\"url\":\"https://shop.example/thanks\"},"
           "\"properties\":{\"currency\":\"USD\",\"value\":20.5}}",
           T0 - 10);
  json_t *r = track(t, t->demo.pixel_code, NULL, ev);
  t_ok(r);
  assert_int_equal(dint(r, "events_received"), 1);
  assert_int_equal(dint(r, "events_accepted"), 1);
  assert_int_equal(dint(r, "events_refused"), 0);
  json_decref(r);
  json_t *s = stats(t, t->demo.pixel_id, "CompletePayment");
  assert_int_equal(sget(s, "kept"), 1);
  assert_int_equal(sget2(s, "received", "events_api"), 1);
  assert_int_equal(sget2(s, "received", "browser"), 0);
  json_decref(s);
  t_env_free(t);
}

/* 47:59:59 after the first copy: merged; 48:00:01: a new event. */
static void test_boundary_48h(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char ev[256];
  const char *code = t->demo.pixel_code;
#define EV(id, when)                                                        \
  (snprintf(ev, sizeof ev,                                                  \
            "{\"event\":\"CompletePayment\",\"event_time\":%lld,"           \
            "\"event_id\":\"%s\"}",                                         \
            (long long)(when), id),                                         \
   ev)
  json_t *r = track(t, code, NULL, EV("b-1", T0));
  assert_int_equal(dint(r, "events_accepted"), 1);
  json_decref(r);
  set_time(t, T0 + 47 * 3600 + 59 * 60 + 59);
  r = track(t, code, NULL, EV("b-1", T0 + 47 * 3600));
  t_ok(r);
  assert_int_equal(dint(r, "events_merged"), 1);
  assert_int_equal(dint(r, "events_accepted"), 0);
  json_t *m = json_array_get(json_object_get(t_data(r), "merged"), 0);
  assert_string_equal(json_string_value(json_object_get(m, "first_received_time")),
                      "2026-04-01 00:00:00");
  json_decref(r);
  set_time(t, T0 + 48 * 3600 + 1);
  r = track(t, code, NULL, EV("b-1", T0 + 48 * 3600));
  assert_int_equal(dint(r, "events_accepted"), 1);
  assert_int_equal(dint(r, "events_merged"), 0);
  json_decref(r);
  /* the new copy started a new window: a copy 1 s later merges into it */
  set_time(t, T0 + 48 * 3600 + 2);
  r = track(t, code, NULL, EV("b-1", T0 + 48 * 3600));
  assert_int_equal(dint(r, "events_merged"), 1);
  json_decref(r);
  json_t *s = stats(t, t->demo.pixel_id, "CompletePayment");
  assert_int_equal(sget(s, "kept"), 2);
  assert_int_equal(sget(s, "merged"), 2);
  assert_int_equal(sget2(s, "received", "events_api"), 4);
  json_decref(s);
  t_env_free(t);
}

static void test_per_event_errors(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char evs[2048];
  snprintf(evs, sizeof evs,
           "{\"event\":\"Purchase\",\"event_time\":%lld,\"event_id\":\"p1\"},"
           "{\"event_time\":%lld},"
           "{\"event\":\"Purchase\",\"event_time\":%lld,\"user\":{\"email\":\"alice@example.com\"}},"
           "{\"event\":\"Purchase\",\"event_time\":%lld,\"properties\":{\"value\":\"$20\",\"currency\":\"USD\"}},"
           "{\"event\":\"Purchase\",\"event_time\":%lld},"
           "{\"event\":\"Purchase\",\"event_time\":%lld,\"event_id\":\"p2\"}",
           T0, T0, T0, T0, T0 - 8 * 86400, T0);
  json_t *r = track(t, t->demo.pixel_code, NULL, evs);
  assert_int_equal(t_code(r), 20001);
  assert_int_equal(dint(r, "events_received"), 6);
  assert_int_equal(dint(r, "events_accepted"), 2);
  assert_int_equal(dint(r, "events_refused"), 4);
  json_t *errs = json_object_get(t_data(r), "errors");
  assert_int_equal(json_array_size(errs), 4);
  struct { int index, code; const char *field, *rule; } want[] = {
      {1, 40002, "data[1].event", "EVENT_REQUIRED"},
      {2, 40062, "data[2].user.email", "PII_HASHED"},
      {3, 40002, "data[3].properties.value", "VALUE_NUMBER"},
      {4, 40002, "data[4].event_time", "EVENT_TIME_WINDOW"},
  };
  for (size_t i = 0; i < 4; i++) {
    json_t *e = json_array_get(errs, i);
    assert_int_equal(json_integer_value(json_object_get(e, "index")), want[i].index);
    assert_int_equal(json_integer_value(json_object_get(e, "code")), want[i].code);
    assert_string_equal(json_string_value(json_object_get(e, "field")), want[i].field);
    assert_string_equal(json_string_value(json_object_get(e, "rule")), want[i].rule);
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), want[i].field));
  }
  json_decref(r);
  json_t *s = stats(t, t->demo.pixel_id, "Purchase");
  assert_int_equal(sget(s, "kept"), 2); /* the valid ones were not lost */
  json_decref(s);
  /* all refused: an error envelope naming the first */
  r = track(t, t->demo.pixel_code, NULL, "{\"event\":\"Purchase\"}");
  t_expect(r, 40002, "data[0].event_time");
  json_decref(r);
  t_env_free(t);
}

static char *batch(size_t n, int64_t when, const char *prefix) {
  size_t cap = n * 96 + 16;
  char *b = malloc(cap), *o = b;
  for (size_t i = 0; i < n; i++)
    o += sprintf(o, "%s{\"event\":\"ViewContent\",\"event_time\":%lld,\"event_id\":\"%s%zu\"}",
                 i ? "," : "", (long long)when, prefix, i);
  return b;
}

static void test_batch_limit(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char *b = batch(1001, T0, "x");
  json_t *r = track(t, t->demo.pixel_code, NULL, b);
  t_expect(r, 40061, "data");
  json_decref(r);
  free(b);
  b = batch(1000, T0, "x");
  r = track(t, t->demo.pixel_code, NULL, b);
  t_ok(r);
  assert_int_equal(dint(r, "events_accepted"), 1000);
  json_decref(r);
  r = track(t, t->demo.pixel_code, NULL, b); /* the same 1000 again: all merged */
  assert_int_equal(dint(r, "events_merged"), 1000);
  json_decref(r);
  free(b);
  r = t_post(t, "/event/track/", "{\"event_source\":\"web\",\"event_source_id\":\"X\",\"data\":[]}");
  t_expect(r, 40061, "data");
  json_decref(r);
  json_t *s = stats(t, t->demo.pixel_id, "ViewContent");
  assert_int_equal(sget(s, "kept"), 1000);
  assert_int_equal(sget(s, "merged"), 1000);
  json_decref(s);
  t_env_free(t);
}

static void test_test_event_code(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char ev[256];
  snprintf(ev, sizeof ev, "{\"event\":\"AddToCart\",\"event_time\":%lld,\"event_id\":\"t1\"}", T0);
  json_t *r = track(t, t->demo.pixel_code, ",\"test_event_code\":\"TEST123\"", ev);
  t_ok(r);
  assert_int_equal(dint(r, "test_events"), 1);
  assert_int_equal(dint(r, "events_accepted"), 0);
  assert_string_equal(json_string_value(json_object_get(t_data(r), "test_event_code")), "TEST123");
  json_decref(r);
  json_t *s = stats(t, t->demo.pixel_id, "AddToCart");
  assert_int_equal(sget(s, "kept"), 0);
  assert_int_equal(sget(s, "test_events"), 1);
  assert_int_equal(sget2(s, "received", "total"), 0);
  json_decref(s);
  /* shown in the sandbox list */
  char q[128];
  snprintf(q, sizeof q, "/sandbox/events/?advertiser_id=%s", t->adv);
  r = t_req(t, "GET", q, T_TOKEN, NULL, NULL);
  t_ok(r);
  json_t *e = json_array_get(json_object_get(t_data(r), "recent"), 0);
  assert_string_equal(json_string_value(json_object_get(e, "status")), "TEST");
  json_decref(r);
  /* the same event_id without the test code is a first copy */
  r = track(t, t->demo.pixel_code, NULL, ev);
  assert_int_equal(dint(r, "events_accepted"), 1);
  json_decref(r);
  t_env_free(t);
}

static int64_t new_pixel(t_env *t, char code[32]) {
  json_t *r = t_post(t, "/pixel/create/", "{\"advertiser_id\":\"ADV\",\"pixel_name\":\"shop\"}");
  t_ok(r);
  int64_t id = strtoll(json_string_value(json_object_get(t_data(r), "pixel_id")), NULL, 10);
  snprintf(code, 32, "%s", json_string_value(json_object_get(t_data(r), "pixel_code")));
  json_decref(r);
  return id;
}

static json_t *pixel_sources(t_env *t, int64_t id) {
  char q[256];
  snprintf(q, sizeof q, "/pixel/list/?advertiser_id=%s&pixel_id=%lld", t->adv, (long long)id);
  json_t *r = t_get(t, q);
  t_ok(r);
  json_t *p = json_array_get(json_object_get(t_data(r), "pixels"), 0);
  json_t *s = json_object_get(p, "event_sources");
  json_t *out = s ? json_deep_copy(s) : json_array();
  json_decref(r);
  return out;
}

/* Pixel then Events API copy: merged; the pixel records both sources;
 * the later copy fills fields the first lacked. */
static void test_cross_channel_and_sources(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char code[32];
  int64_t px = new_pixel(t, code);
  json_t *s = pixel_sources(t, px);
  assert_int_equal(json_array_size(s), 0);
  json_decref(s);
  json_t *r = browser(t, code,
                      "{\"event\":\"CompletePayment\",\"event_id\":\"ord-9\","
                      "\"user\":{\"ttp\":\"cookie1\"},\"page\":{\"url\":\"https://shop/thanks\"}}");
  t_ok(r);
  assert_int_equal(dint(r, "events_accepted"), 1);
  json_decref(r);
  s = pixel_sources(t, px);
  assert_int_equal(json_array_size(s), 1);
  assert_string_equal(json_string_value(json_array_get(s, 0)), "BROWSER");
  json_decref(s);
  set_time(t, T0 + 600);
  char ev[512];
  snprintf(ev, sizeof ev,
           "{\"event\":\"CompletePayment\",\"event_time\":%lld,\"event_id\":\"ord-9\","
           "\"user\":{\"ttp\":\"other\",\"external_id\":\"%s\"},"
           "\"properties\":{\"currency\":\"EUR\",\"value\":42}}",
           T0, "80fba0ae1c48e3978e43e4efc365e14e12ea0c830ba8ba5b9a2dafc7e3f2ab8b");
  r = track(t, code, NULL, ev);
  t_ok(r);
  assert_int_equal(dint(r, "events_merged"), 1);
  json_t *m = json_array_get(json_object_get(t_data(r), "merged"), 0);
  assert_int_equal(json_integer_value(json_object_get(m, "fields_filled")), 3);
  json_decref(r);
  s = pixel_sources(t, px);
  assert_int_equal(json_array_size(s), 2);
  json_decref(s);
  json_t *c = stats(t, px, "CompletePayment");
  assert_int_equal(sget(c, "kept"), 1);
  assert_int_equal(sget(c, "merged"), 1);
  assert_int_equal(sget2(c, "merged_by_channel", "browser_events_api"), 1);
  assert_int_equal(sget2(c, "received", "browser"), 1);
  assert_int_equal(sget2(c, "received", "events_api"), 1);
  json_decref(c);
  /* the kept copy: first copy's ttp stays, value/currency/external_id filled */
  char q[160];
  snprintf(q, sizeof q, "/sandbox/events/?advertiser_id=%s&pixel_id=%lld", t->adv, (long long)px);
  r = t_req(t, "GET", q, T_TOKEN, NULL, NULL);
  t_ok(r);
  json_t *recent = json_object_get(t_data(r), "recent");
  assert_int_equal(json_array_size(recent), 2);
  json_t *kept = json_array_get(recent, 1);
  assert_string_equal(json_string_value(json_object_get(kept, "status")), "KEPT");
  assert_string_equal(json_string_value(json_object_get(kept, "source")), "BROWSER");
  json_t *kev = json_object_get(kept, "event");
  assert_string_equal(json_string_value(json_object_get(json_object_get(kev, "user"), "ttp")), "cookie1");
  assert_non_null(json_object_get(json_object_get(kev, "user"), "external_id"));
  assert_int_equal(json_integer_value(json_object_get(json_object_get(kev, "properties"), "value")), 42);
  assert_int_equal(json_integer_value(json_object_get(kev, "event_time")), T0);
  assert_int_equal(json_integer_value(json_object_get(kept, "merged_copies")), 1);
  json_decref(r);
  /* a browser copy of a browser event merges too (Pixel-Pixel) */
  r = browser(t, code, "{\"event\":\"CompletePayment\",\"event_id\":\"ord-9\"}");
  assert_int_equal(dint(r, "events_merged"), 1);
  json_decref(r);
  t_env_free(t);
}

/* The ad group LANDING_PAGE rule reads the sources the events recorded on
 * the pixel: Events API alone is refused, a browser Pixel event fixes it. */
static void test_landing_page_rule_reads_sources(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char code[32];
  int64_t px = new_pixel(t, code);
  json_t *r = t_post(t, "/smart_plus/campaign/create/",
                     "{\"advertiser_id\": \"ADV\", \"campaign_name\": \"LP\","
                     "\"objective_type\": \"WEB_CONVERSIONS\", \"budget_optimize_on\": false,"
                     "\"budget_mode\": \"BUDGET_MODE_INFINITE\", \"request_id\": \"9001\"}");
  t_ok(r);
  char camp[32];
  snprintf(camp, sizeof camp, "%s", json_string_value(json_object_get(t_data(r), "campaign_id")));
  json_decref(r);
  char ev[256];
  snprintf(ev, sizeof ev, "{\"event\":\"CompletePayment\",\"event_time\":%lld,\"event_id\":\"lp-1\"}", T0);
  r = track(t, code, NULL, ev);
  t_ok(r);
  json_decref(r);
  char body[2048];
  int reqid = 100;
#define ADGROUP_BODY()                                                                              \
  snprintf(body, sizeof body,                                                                       \
           "{\"advertiser_id\": \"ADV\", \"campaign_id\": \"%s\", \"request_id\": \"%d\","           \
           "\"adgroup_name\": \"LP %d\", \"promotion_type\": \"WEBSITE\","                            \
           "\"optimization_goal\": \"LANDING_PAGE\", \"pixel_id\": \"%lld\","                         \
           "\"optimization_event\": \"COMPLETE_PAYMENT\", \"billing_event\": \"OCPM\","               \
           "\"bid_type\": \"BID_TYPE_CUSTOM\", \"conversion_bid_price\": 15.00,"                      \
           "\"budget_mode\": \"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\", \"budget\": 200,"                  \
           "\"schedule_type\": \"SCHEDULE_START_END\", \"schedule_start_time\": \"2026-04-01 00:00:00\"," \
           "\"schedule_end_time\": \"2026-04-30 23:59:59\", \"targeting_optimization_mode\": \"MANUAL\","\
           "\"targeting_spec\": {\"location_ids\": [\"6252001\"], \"age_groups\": [\"AGE_25_34\"],"      \
           "\"gender\": \"GENDER_UNLIMITED\", \"languages\": [\"en\"]},"                                \
           "\"placement_type\": \"PLACEMENT_TYPE_NORMAL\", \"placements\": [\"PLACEMENT_TIKTOK\"]}",   \
           camp, reqid, reqid, (long long)px),                                                      \
      reqid++
  ADGROUP_BODY();
  r = t_post(t, "/smart_plus/adgroup/create/", body);
  t_expect(r, 40002, "LANDING_PAGE needs a browser Pixel event source");
  json_decref(r);
  r = browser(t, code, "{\"event\":\"Pageview\"}");
  t_ok(r);
  json_decref(r);
  ADGROUP_BODY();
  r = t_post(t, "/smart_plus/adgroup/create/", body);
  t_ok(r);
  json_decref(r);
  t_env_free(t);
}

/* Events without event_id are never merged; identical ones from both
 * channels are counted as likely double counts. */
static void test_no_event_id(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char ev[256];
  snprintf(ev, sizeof ev,
           "{\"event\":\"Lead\",\"event_time\":%lld,\"user\":{\"ttp\":\"c9\"}}", T0);
  json_t *r = track(t, t->demo.pixel_code, NULL, ev);
  assert_int_equal(dint(r, "events_accepted"), 1);
  assert_int_equal(dint(r, "events_without_event_id"), 1);
  json_decref(r);
  r = browser(t, t->demo.pixel_code, ev);
  assert_int_equal(dint(r, "events_accepted"), 1);
  assert_int_equal(dint(r, "events_merged"), 0);
  json_decref(r);
  json_t *s = stats(t, t->demo.pixel_id, "Lead");
  assert_int_equal(sget(s, "kept"), 2);
  assert_int_equal(sget(s, "merged"), 0);
  assert_int_equal(sget(s, "without_event_id"), 2);
  assert_int_equal(sget(s, "double_counted_without_event_id"), 1);
  json_decref(s);
  /* as in life: the Pixel copy carries no event_time (the server stamps
   * it), the server's is 30 s earlier (previous minute); same user (ttp) */
  snprintf(ev, sizeof ev,
           "{\"event\":\"Contact\",\"event_time\":%lld,\"user\":{\"ttp\":\"c10\"}}", T0 - 30);
  r = track(t, t->demo.pixel_code, NULL, ev);
  json_decref(r);
  r = browser(t, t->demo.pixel_code, "{\"event\":\"Contact\",\"user\":{\"ttp\":\"c10\"}}");
  json_decref(r);
  r = browser(t, t->demo.pixel_code, "{\"event\":\"Contact\",\"user\":{\"ttp\":\"someone-else\"}}");
  json_decref(r);
  s = stats(t, t->demo.pixel_id, "Contact");
  assert_int_equal(sget(s, "kept"), 3);
  assert_int_equal(sget(s, "without_event_id"), 3);
  assert_int_equal(sget(s, "double_counted_without_event_id"), 1);
  json_decref(s);
  t_env_free(t);
}

static void test_auth_and_pixel(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char ev[128];
  snprintf(ev, sizeof ev, "{\"event\":\"Lead\",\"event_time\":%lld}", T0);
  json_t *r = track(t, "NOPE0000000000000000", NULL, ev);
  t_expect(r, 40007, "NOPE");
  json_decref(r);
  r = t_req(t, "POST", "/open_api/v1.3/event/track/", NULL, "{}", NULL);
  assert_int_equal(t_code(r), 40104);
  json_decref(r);
  r = t_post(t, "/event/track/", "{\"event_source\":\"app\",\"event_source_id\":\"x\",\"data\":[{}]}");
  t_expect(r, 40002, "event_source");
  json_decref(r);
  /* the browser endpoint and the script need no token */
  r = browser(t, "NOPE0000000000000000", "{\"event\":\"Lead\"}");
  assert_int_equal(t_code(r), 40007);
  json_decref(r);
  sp_request rq = {"GET", "/i18n/pixel/events.js", NULL, 0, NULL, NULL, 0, 0};
  sp_response rs;
  sp_api_handle(t->app, &rq, &rs);
  assert_int_equal(rs.status, 200);
  assert_non_null(strstr(rs.content_type, "javascript"));
  assert_non_null(strstr(rs.body, "/sandbox/pixel/track/"));
  assert_non_null(strstr(rs.body, "track: function (ev, props, opts)"));
  sp_response_free(&rs);
  t_env_free(t);
}

/* The journal: state after reopening equals state before; a torn tail is
 * cut; a batch replayed after restart is merged, not counted twice. */
static void test_journal_replay(void **st) {
  (void)st;
  char path[] = "/tmp/sp-events-test-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  sp_events *ev;
  sp_err e;
  sp_err_clear(&e);
  assert_int_equal(sp_events_open(path, &ev, &e), SP_OK);
  const char *raw =
      "{\"event_source\":\"web\",\"event_source_id\":\"C\",\"data\":["
      "{\"event\":\"Purchase\",\"event_time\":1775001600,\"event_id\":\"a\"},"
      "{\"event\":\"Purchase\",\"event_time\":1775001600,\"event_id\":\"b\"},"
      "{\"event\":\"Purchase\",\"event_time\":1775001600,\"event_id\":\"a\"}]}";
  json_t *body = json_loads(raw, 0, NULL);
  sp_ev_result res[3];
  unsigned fresh;
  assert_int_equal(sp_events_track(ev, SP_EV_SERVER, 1, 77, T0, raw, strlen(raw), body, res, &fresh, &e), SP_OK);
  assert_int_equal(res[0].status, SP_EV_KEPT);
  assert_int_equal(res[2].status, SP_EV_MERGED);
  assert_int_equal(fresh, SP_EV_SERVER);
  sp_events_close(ev);
  /* a torn record at the end (as after kill -9 mid-write) */
  FILE *f = fopen(path, "ab");
  fwrite("SPEV\x10\x00\x00\x00garbage", 1, 15, f);
  fclose(f);
  assert_int_equal(sp_events_open(path, &ev, &e), SP_OK);
  sp_ev_stat *s;
  size_t n = sp_events_stats(ev, 77, 0, INT64_MAX, &s);
  assert_int_equal(n, 1);
  assert_int_equal(s[0].kept, 2);
  assert_int_equal(s[0].merged, 1);
  free(s);
  /* the same batch again after restart: everything merges */
  assert_int_equal(sp_events_track(ev, SP_EV_SERVER, 1, 77, T0 + 5, raw, strlen(raw), body, res, &fresh, &e), SP_OK);
  assert_int_equal(res[0].status, SP_EV_MERGED);
  assert_int_equal(res[1].status, SP_EV_MERGED);
  assert_int_equal(sp_events_sources(ev, 77), SP_EV_SERVER);
  sp_events_close(ev);
  assert_int_equal(sp_events_open(path, &ev, &e), SP_OK);
  n = sp_events_stats(ev, 77, 0, INT64_MAX, &s);
  assert_int_equal(s[0].kept, 2);
  assert_int_equal(s[0].merged, 4);
  free(s);
  sp_events_close(ev);
  json_decref(body);
  unlink(path);
}

/* A checkpoint rewrites the journal as the live state: counters, dedup
 * windows (first-seen times and merge payload) and pixels survive it and
 * the restart after it, and records after it still replay. */
static void test_checkpoint(void **st) {
  (void)st;
  char path[] = "/tmp/sp-events-ckpt-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  sp_events *ev;
  sp_err e;
  sp_err_clear(&e);
  assert_int_equal(sp_events_open(path, &ev, &e), SP_OK);
  char raw[8192];
  size_t o = (size_t)sprintf(raw, "{\"event_source\":\"web\",\"event_source_id\":\"C\",\"data\":[");
  for (int k = 0; k < 40; k++)
    o += (size_t)sprintf(raw + o, "%s{\"event\":\"Purchase\",\"event_time\":%lld,\"event_id\":\"k%d\"}",
                         k ? "," : "", T0, k);
  o += (size_t)sprintf(raw + o, "]}");
  json_t *body = json_loads(raw, 0, NULL);
  sp_ev_result res[40];
  unsigned fresh;
  assert_int_equal(sp_events_track(ev, SP_EV_SERVER, 1, 77, T0, raw, o, body, res, &fresh, &e), SP_OK);
  assert_int_equal(sp_events_checkpoint(ev, &e), SP_OK);
  unsigned char h[48];
  FILE *f = fopen(path, "rb");
  assert_int_equal(fread(h, 1, 48, f), 48);
  fclose(f);
  assert_int_equal(h[33], 1); /* the journal starts with the checkpoint */
  /* one more batch after the checkpoint: copies of the first one */
  assert_int_equal(sp_events_track(ev, SP_EV_BROWSER, 1, 77, T0 + 3600, raw, o, body, res, &fresh, &e), SP_OK);
  assert_int_equal(res[0].status, SP_EV_MERGED);
  sp_events_close(ev);
  assert_int_equal(sp_events_open(path, &ev, &e), SP_OK);
  sp_ev_stat *s;
  size_t n = sp_events_stats(ev, 77, 0, INT64_MAX, &s);
  assert_int_equal(n, 1);
  assert_int_equal(s[0].kept, 40);
  assert_int_equal(s[0].merged, 40);
  assert_int_equal(s[0].merged_bs, 40);
  free(s);
  assert_int_equal(sp_events_sources(ev, 77), SP_EV_SERVER | SP_EV_BROWSER);
  /* the windows kept their first-seen time (T0): 48 h + 1 s later, new */
  assert_int_equal(sp_events_track(ev, SP_EV_SERVER, 1, 77, T0 + 47 * 3600, raw, o, body, res, &fresh, &e), SP_OK);
  assert_int_equal(res[5].status, SP_EV_MERGED);
  assert_int_equal(sp_events_track(ev, SP_EV_SERVER, 1, 77, T0 + 48 * 3600 + 1, raw, o, body, res, &fresh, &e), SP_OK);
  assert_int_equal(res[5].status, SP_EV_KEPT);
  sp_events_close(ev);
  json_decref(body);
  unlink(path);
}

/* Dedup entries older than 48 h are dropped: memory follows the live set. */
static void test_memory_bounded(void **st) {
  (void)st;
  sp_events *ev;
  sp_err e;
  sp_err_clear(&e);
  assert_int_equal(sp_events_open(NULL, &ev, &e), SP_OK);
  sp_ev_result *res = malloc(1000 * sizeof *res);
  unsigned fresh;
  size_t live, bytes, peak_bytes = 0;
  for (int day = 0; day < 10; day++) {
    int64_t now = T0 + day * 86400;
    char *b = batch(1000, now, day % 2 ? "odd" : "even");
    for (char *p = b; (p = strstr(p, "\"event_id\":\"")); p += 12) p[12] = (char)('a' + day); /* new ids each day */
    size_t n = strlen(b) + 128;
    char *raw = malloc(n);
    snprintf(raw, n, "{\"event_source_id\":\"C\",\"data\":[%s]}", b);
    json_t *body = json_loads(raw, 0, NULL);
    assert_int_equal(sp_events_track(ev, SP_EV_SERVER, 1, 9, now, raw, strlen(raw), body, res, &fresh, &e), SP_OK);
    assert_int_equal(res[999].status, SP_EV_KEPT);
    json_decref(body);
    free(raw);
    free(b);
    sp_events_memory(ev, &live, &bytes);
    if (bytes > peak_bytes) peak_bytes = bytes;
    assert_true(live <= 3000); /* today's, yesterday's, the day before's at most */
    assert_true(bytes / live <= 64);
  }
  sp_events_memory(ev, &live, &bytes);
  assert_int_equal(live, 3000); /* days 7, 8, 9: 48 h back from day 9 */
  free(res);
  sp_events_close(ev);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_accept_and_stats),
      cmocka_unit_test(test_boundary_48h),
      cmocka_unit_test(test_per_event_errors),
      cmocka_unit_test(test_batch_limit),
      cmocka_unit_test(test_test_event_code),
      cmocka_unit_test(test_cross_channel_and_sources),
      cmocka_unit_test(test_no_event_id),
      cmocka_unit_test(test_landing_page_rule_reads_sources),
      cmocka_unit_test(test_auth_and_pixel),
      cmocka_unit_test(test_journal_replay),
      cmocka_unit_test(test_checkpoint),
      cmocka_unit_test(test_memory_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
