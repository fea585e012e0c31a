/*
 * tests/api/test_spc.c - the legacy Smart+ API in process: the document's
 * example request (seeds/003) and its whole response object, get, update,
 * the quota reported and enforced, /campaign/status/update/, and the
 * deprecation timeline crossed to the second on the server clock:
 *   spc/create            refused from 2026-03-31 00:00:00 UTC
 *   spc/update, status    refused from 2026-06-30 00:00:00 UTC
 *   campaign/create       refused from 2027-01-01 00:00:00 UTC
 * with legacy campaigns created before a deadline still readable after.
 */
#include "../testutil.h"

#include "core/clock.h"

#define T(y_m_d_hms) set_clock(t, y_m_d_hms)

static void set_clock(t_env *t, const char *when) {
  int64_t s;
  assert_int_equal(sp_time_parse(when, &s), 0);
  sp_clock_set_us(t->clock, s * 1000000);
}

/* The document's example request, placeholders filled in. */
#define EXAMPLE                                                               \
  "{\"advertiser_id\":\"ADV\",\"operation_status\":\"ENABLE\","               \
  "\"objective_type\":\"APP_PROMOTION\",\"app_promotion_type\":"              \
  "\"APP_INSTALL\",\"campaign_type\":\"REGULAR_CAMPAIGN\",\"campaign_name\":" \
  "\"%s\",\"promotion_type\":\"APP_ANDROID\",\"app_id\":\"7000000001\","      \
  "\"placement_type\":\"PLACEMENT_TYPE_AUTOMATIC\",\"location_ids\":"         \
  "[\"6252001\"],\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\","       \
  "\"budget\":100,\"schedule_type\":\"SCHEDULE_START_END\","                  \
  "\"schedule_start_time\":\"%s\",\"schedule_end_time\":"    \
  "\"2027-12-31 00:00:00\",\"optimization_goal\":\"INSTALL\",\"bid_type\":"   \
  "\"BID_TYPE_NO_BID\",\"billing_event\":\"OCPM\",\"identity_type\":"         \
  "\"CUSTOMIZED_USER\",\"identity_id\":\"ident1\",\"media_info_list\":[{"     \
  "\"media_info\":{\"video_info\":{\"video_id\":\"v10\",\"file_name\":"       \
  "\"a.mp4\"},\"image_info\":[{\"web_uri\":\"img1\"}]}}],\"title_list\":"     \
  "[{\"title\":\"Play now\"}],\"call_to_action_id\":\"cta77\"}"

/* the example with schedule_start_time = the server clock's now */
static void example(t_env *t, const char *name, char *body, size_t n) {
  char now[20];
  sp_time_format(sp_clock_now_us(t->clock) / 1000000, now);
  snprintf(body, n, EXAMPLE, name, now);
}

static json_t *create(t_env *t, const char *name) {
  char body[4096];
  example(t, name, body, sizeof body);
  return t_post(t, "/campaign/spc/create/", body);
}

static const char *create_ok(t_env *t, const char *name, char id[32]) {
  json_t *r = create(t, name);
  t_ok(r);
  snprintf(id, 32, "%s",
           json_string_value(json_object_get(t_data(r), "campaign_id")));
  json_decref(r);
  return id;
}

static json_t *get_one(t_env *t, const char *id) {
  char q[256];
  snprintf(q, sizeof q, "/campaign/spc/get/?advertiser_id=%s&campaign_ids=[\"%s\"]",
           t->adv, id);
  json_t *r = t_get(t, q);
  t_ok(r);
  json_t *list = json_object_get(t_data(r), "list");
  assert_int_equal(json_array_size(list), 1);
  json_t *o = json_incref(json_array_get(list, 0));
  json_decref(r);
  return o;
}

static json_t *status(t_env *t, const char *id, const char *op) {
  char body[256];
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_ids\":[\"%s\"],"
           "\"operation_status\":\"%s\"}", id, op);
  return t_post(t, "/campaign/status/update/", body);
}

/* every key of the document's response example */
static const char *const EXAMPLE_KEYS[] = {
    "pixel_id", "carousel_image_index", "deeplink", "adgroup_secondary_status",
    "gender", "special_industries", "location_ids", "schedule_end_time",
    "excluded_audience_ids", "shopping_ads_fallback_type", "promotion_type",
    "product_ids", "automatic_add_on_enabled", "budget", "skip_learning_phase",
    "impression_tracking_url", "share_disabled", "deep_bid_type",
    "engaged_view_attribution_window", "conversion_bid_price",
    "is_advanced_dedicated_campaign", "promotion_website_type", "schedule_type",
    "attribution_event_count", "campaign_app_profile_page_state",
    "product_set_id", "roas_bid", "call_to_action_id", "app_promotion_type",
    "languages", "is_smart_performance_campaign", "call_to_action_list",
    "click_tracking_url", "modify_time", "bid_price", "media_info_list",
    "catalog_creative_toggle", "advertiser_id", "app_id", "identity_type",
    "card_list", "campaign_secondary_status", "page_list", "scheduled_budget",
    "bid_type", "placements", "app_download_url", "view_attribution_window",
    "create_time", "dayparting", "product_specific_type",
    "catalog_authorized_bc_id", "schedule_start_time", "comment_disabled",
    "campaign_type", "deeplink_type", "campaign_id", "product_source",
    "blocked_pangle_app_ids", "carousel_image_labels", "billing_event",
    "campaign_name", "app_name", "optimization_goal", "video_download_disabled",
    "operation_status", "click_attribution_window", "title_list",
    "landing_page_urls", "spc_audience_age", "app_type", "spc_type",
    "web_all_in_one_catalog_status", "optimization_event", "objective_type",
    "placement_type", "exclude_age_under_eighteen", "identity_id", "budget_mode",
    "catalog_id"};

#define S(o, k) json_string_value(json_object_get((o), (k)))

static void example_request(void **st) {
  (void)st;
  t_env *t = t_env_new();
  T("2026-03-01 00:00:00");
  json_t *r = create(t, "legacy example");
  t_ok(r);
  json_t *d = t_data(r);
  for (size_t i = 0; i < SP_ARRAY_LEN(EXAMPLE_KEYS); i++)
    if (!json_object_get(d, EXAMPLE_KEYS[i]))
      fail_msg("response lacks \"%s\"", EXAMPLE_KEYS[i]);
  /* the values the example shows */
  const char *id = S(d, "campaign_id");
  assert_int_equal(strlen(id), 19);
  assert_string_equal(S(d, "advertiser_id"), t->adv);
  assert_string_equal(S(d, "campaign_name"), "legacy example");
  assert_true(json_is_null(json_object_get(d, "pixel_id")));
  assert_true(json_is_null(json_object_get(d, "roas_bid")));
  assert_string_equal(S(d, "adgroup_secondary_status"), "ADGROUP_STATUS_DELIVERY_OK");
  assert_string_equal(S(d, "campaign_secondary_status"), "CAMPAIGN_STATUS_ENABLE");
  assert_string_equal(S(d, "gender"), "GENDER_UNLIMITED");
  assert_string_equal(S(d, "deep_bid_type"), "DEFAULT");
  assert_string_equal(S(d, "engaged_view_attribution_window"), "SEVEN_DAYS");
  assert_string_equal(S(d, "click_attribution_window"), "SEVEN_DAYS");
  assert_string_equal(S(d, "view_attribution_window"), "ONE_DAY");
  assert_string_equal(S(d, "attribution_event_count"), "ONCE");
  assert_string_equal(S(d, "campaign_app_profile_page_state"), "UNSET");
  assert_string_equal(S(d, "spc_type"), "UNSET");
  assert_string_equal(S(d, "spc_audience_age"), "18+");
  assert_string_equal(S(d, "app_type"), "APP_ANDROID");
  assert_string_equal(S(d, "placement_type"), "PLACEMENT_TYPE_AUTOMATIC");
  assert_string_equal(S(d, "deeplink"), "");
  assert_string_equal(S(d, "create_time"), "2026-03-01 00:00:00");
  assert_string_equal(S(d, "modify_time"), "2026-03-01 00:00:00");
  assert_int_equal(strlen(S(d, "dayparting")), 336);
  assert_true(json_is_true(json_object_get(d, "is_smart_performance_campaign")));
  assert_true(json_is_true(json_object_get(d, "skip_learning_phase")));
  assert_true(json_is_true(json_object_get(d, "exclude_age_under_eighteen")));
  assert_true(json_is_false(json_object_get(d, "share_disabled")));
  assert_int_equal(json_array_size(json_object_get(d, "languages")), 0);
  assert_int_equal(json_array_size(json_object_get(d, "placements")), 2);
  assert_true(json_number_value(json_object_get(d, "budget")) == 100);
  assert_true(json_number_value(json_object_get(d, "scheduled_budget")) == 0);
  json_t *mi = json_object_get(
      json_array_get(json_object_get(d, "media_info_list"), 0), "media_info");
  assert_string_equal(S(json_object_get(mi, "video_info"), "video_id"), "v10");
  assert_true(json_is_null(json_object_get(mi, "music_info")));
  assert_true(json_is_null(json_object_get(mi, "tiktok_item_id")));
  assert_true(json_is_null(json_object_get(mi, "identity_id")));
  /* get answers the same whole object */
  json_t *g = get_one(t, id);
  assert_true(json_equal(g, d));
  json_decref(g);
  json_decref(r);
  /* a refused request names the field and the rule */
  r = t_post(t, "/campaign/spc/create/",
             "{\"advertiser_id\":\"ADV\",\"objective_type\":\"APP_PROMOTION\","
             "\"campaign_name\":\"x\",\"promotion_type\":\"APP_ANDROID\","
             "\"optimization_goal\":\"INSTALL\",\"billing_event\":\"OCPM\","
             "\"budget\":10,\"schedule_type\":\"SCHEDULE_FROM_NOW\","
             "\"schedule_start_time\":\"2026-03-01 00:00:00\","
             "\"location_ids\":[\"6252001\"]}");
  t_expect(r, 40002, "app_promotion_type");
  json_decref(r);
  t_env_free(t);
}

static void get_and_update(void **st) {
  (void)st;
  t_env *t = t_env_new();
  T("2026-03-10 00:00:00");
  char id[32];
  create_ok(t, "to update", id);
  /* unknown ids are left out of the list; the argument is required */
  json_t *r = t_get(t, "/campaign/spc/get/?advertiser_id=ADVX&campaign_ids=[\"1\"]");
  json_decref(r);
  char q[160];
  snprintf(q, sizeof q, "/campaign/spc/get/?advertiser_id=%s&campaign_ids=[\"1\"]",
           t->adv);
  r = t_get(t, q);
  t_ok(r);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "list")), 0);
  json_decref(r);
  snprintf(q, sizeof q, "/campaign/spc/get/?advertiser_id=%s", t->adv);
  r = t_get(t, q);
  t_expect(r, 40002, "campaign_ids");
  json_decref(r);

  T("2026-04-02 08:00:00");
  char body[512];
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"%s\",\"budget\":250,"
           "\"campaign_name\":\"renamed\"}", id);
  r = t_post(t, "/campaign/spc/update/", body);
  t_ok(r);
  assert_true(json_number_value(json_object_get(t_data(r), "budget")) == 250);
  assert_string_equal(S(t_data(r), "campaign_name"), "renamed");
  assert_string_equal(S(t_data(r), "create_time"), "2026-03-10 00:00:00");
  assert_string_equal(S(t_data(r), "modify_time"), "2026-04-02 08:00:00");
  json_decref(r);
  json_t *g = get_one(t, id);
  assert_string_equal(S(g, "campaign_name"), "renamed");
  json_decref(g);
  /* set-once fields */
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"%s\",\"budget_mode\":"
           "\"BUDGET_MODE_DAY\"}", id);
  r = t_post(t, "/campaign/spc/update/", body);
  t_expect(r, 40002, "budget_mode");
  json_decref(r);
  /* the merged object is held to the create rules */
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"%s\",\"dayparting\":\"01\"}",
           id);
  r = t_post(t, "/campaign/spc/update/", body);
  t_expect(r, 40002, "dayparting");
  json_decref(r);
  /* changing the start time to more than 12 hours ago is refused (an
   * unchanged old start time is fine, as the updates above show) */
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"%s\",\"schedule_start_time\":"
           "\"2026-03-05 00:00:00\"}", id);
  r = t_post(t, "/campaign/spc/update/", body);
  t_expect(r, 40002, "schedule_start_time");
  json_decref(r);
  r = t_post(t, "/campaign/spc/update/",
             "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"1870000000000099999\","
             "\"budget\":300}");
  t_expect(r, 40007, "does not exist");
  json_decref(r);
  t_env_free(t);
}

static void quota_and_status(void **st) {
  (void)st;
  t_env *t = t_env_new();
  sp_err e;
  assert_int_equal(store_meta_put(t->st, "spc_quota", "2", &e), SP_OK);
  T("2026-03-02 00:00:00");
  char q[128];
  snprintf(q, sizeof q, "/campaign/spc/quota/get/?advertiser_id=%s", t->adv);
  json_t *r = t_get(t, q);
  t_ok(r);
  assert_int_equal(json_integer_value(json_object_get(t_data(r), "total_quota")), 2);
  assert_int_equal(json_integer_value(json_object_get(t_data(r), "used_quota")), 0);
  json_decref(r);
  char a[32], b[32], c[32];
  create_ok(t, "a", a);
  create_ok(t, "b", b);
  r = create(t, "c");
  t_expect(r, 40502, "quota");
  json_decref(r);
  r = t_get(t, q);
  assert_int_equal(json_integer_value(json_object_get(t_data(r), "used_quota")), 2);
  json_t *ids = json_object_get(t_data(r), "used_campaign_ids");
  assert_int_equal(json_array_size(ids), 2);
  assert_string_equal(json_string_value(json_array_get(ids, 0)), a);
  json_decref(r);
  /* pausing one frees quota */
  r = status(t, a, "DISABLE");
  t_ok(r);
  assert_string_equal(S(t_data(r), "status"), "DISABLE");
  assert_string_equal(json_string_value(json_array_get(
                          json_object_get(t_data(r), "campaign_ids"), 0)), a);
  json_decref(r);
  json_t *g = get_one(t, a);
  assert_string_equal(S(g, "operation_status"), "DISABLE");
  assert_string_equal(S(g, "campaign_secondary_status"), "CAMPAIGN_STATUS_DISABLE");
  json_decref(g);
  create_ok(t, "c", c);
  /* enabling past the quota is refused per id */
  r = status(t, a, "ENABLE");
  t_ok(r);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "campaign_ids")), 0);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "error_list")), 1);
  json_decref(r);
  /* a disabled campaign can be created past the quota (it is not active) */
  char body[4096];
  example(t, "paused", body, sizeof body);
  json_t *bj = json_loads(body, 0, NULL);
  json_object_set_new(bj, "operation_status", json_string("DISABLE"));
  char *text = json_dumps(bj, JSON_COMPACT);
  json_decref(bj);
  r = t_post(t, "/campaign/spc/create/", text);
  free(text);
  t_ok(r);
  assert_string_equal(S(t_data(r), "campaign_secondary_status"),
                      "CAMPAIGN_STATUS_DISABLE");
  json_decref(r);
  /* delete; unknown ids go to error_list */
  r = status(t, b, "DELETE");
  t_ok(r);
  json_decref(r);
  g = get_one(t, b);
  assert_string_equal(S(g, "campaign_secondary_status"), "CAMPAIGN_STATUS_DELETE");
  json_decref(g);
  r = status(t, b, "ENABLE");
  t_ok(r);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "error_list")), 1);
  json_decref(r);
  r = status(t, "1870000000000099999", "DISABLE");
  t_ok(r);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "error_list")), 1);
  json_decref(r);
  r = status(t, a, "PAUSE");
  t_expect(r, 40002, "operation_status");
  json_decref(r);
  /* manual campaigns share campaign/status/update, without the Smart+
   * quota (which is full here) */
  r = t_post(t, "/campaign/create/",
             "{\"advertiser_id\":\"ADV\",\"campaign_name\":\"manual\","
             "\"objective_type\":\"TRAFFIC\",\"budget_mode\":\"BUDGET_MODE_DAY\","
             "\"budget\":50}");
  t_ok(r);
  char m[32];
  snprintf(m, sizeof m, "%s", S(t_data(r), "campaign_id"));
  json_decref(r);
  const char *steps[] = {"DISABLE", "ENABLE"};
  for (size_t i = 0; i < 2; i++) {
    r = status(t, m, steps[i]);
    t_ok(r);
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(t_data(r), "campaign_ids"), 0)), m);
    assert_int_equal(json_array_size(json_object_get(t_data(r), "error_list")), 0);
    json_decref(r);
  }
  /* deleted campaigns cannot be updated */
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"%s\",\"budget\":300}", b);
  r = t_post(t, "/campaign/spc/update/", body);
  t_expect(r, 40007, "deleted");
  json_decref(r);
  t_env_free(t);
}

/* The timeline, crossed to the second. */
static void timeline(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char old[32], body[512];
  T("2026-03-30 23:59:59");
  create_ok(t, "last legacy", old);
  T("2026-03-31 00:00:00");
  json_t *r = create(t, "too late");
  t_expect(r, 41001, "/smart_plus/campaign/create/");
  t_expect(r, 41001, "2026-03-31");
  json_decref(r);
  /* an invalid request after the deadline gets the deprecation answer */
  r = t_post(t, "/campaign/spc/create/", "{\"advertiser_id\":\"ADV\"}");
  t_expect(r, 41001, "/smart_plus/campaign/create/");
  json_decref(r);

  /* update and status keep working until 2026-06-30 */
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"%s\",\"budget\":120}", old);
  T("2026-06-29 23:59:59");
  r = t_post(t, "/campaign/spc/update/", body);
  t_ok(r);
  json_decref(r);
  r = status(t, old, "DISABLE");
  t_ok(r);
  json_decref(r);
  T("2026-06-30 00:00:00");
  r = t_post(t, "/campaign/spc/update/", body);
  t_expect(r, 41001, "/smart_plus/campaign/update/");
  json_decref(r);
  r = status(t, old, "ENABLE");
  t_expect(r, 41001, "/smart_plus/campaign/status/update/");
  json_decref(r);

  /* the manual API creates until 2026-12-31 23:59:59 */
  const char *manual =
      "{\"advertiser_id\":\"ADV\",\"campaign_name\":\"manual\","
      "\"objective_type\":\"TRAFFIC\",\"budget_mode\":\"BUDGET_MODE_DAY\","
      "\"budget\":50}";
  T("2026-12-31 23:59:59");
  r = t_post(t, "/campaign/create/", manual);
  t_ok(r);
  assert_int_equal(strlen(S(t_data(r), "campaign_id")), 19);
  assert_string_equal(S(t_data(r), "campaign_name"), "manual");
  json_decref(r);
  T("2027-01-01 00:00:00");
  r = t_post(t, "/campaign/create/", manual);
  t_expect(r, 41001, "/smart_plus/campaign/create/");
  json_decref(r);

  /* the legacy campaign created before the deadlines is still readable,
   * with the last state it was given */
  T("2030-01-01 00:00:00");
  json_t *g = get_one(t, old);
  assert_string_equal(S(g, "campaign_name"), "last legacy");
  assert_true(json_number_value(json_object_get(g, "budget")) == 120);
  assert_string_equal(S(g, "operation_status"), "DISABLE");
  assert_string_equal(S(g, "create_time"), "2026-03-30 23:59:59");
  json_decref(g);
  char q[128];
  snprintf(q, sizeof q, "/campaign/spc/quota/get/?advertiser_id=%s", t->adv);
  r = t_get(t, q);
  t_ok(r);
  json_decref(r);
  /* going back in time makes the endpoints work again */
  T("2026-03-01 00:00:00");
  char again[32];
  create_ok(t, "again", again);
  t_env_free(t);
}

/* The clock can also be moved through POST /sandbox/clock/set. */
static void clock_route(void **st) {
  (void)st;
  t_env *t = t_env_new();
  json_t *r = t_req(t, "POST", "/sandbox/clock/set", T_TOKEN,
                    "{\"time\":\"2026-03-30 12:00:00\",\"frozen\":true}", NULL);
  t_ok(r);
  json_decref(r);
  char id[32];
  create_ok(t, "via clock route", id);
  r = t_req(t, "POST", "/sandbox/clock/set", T_TOKEN,
            "{\"time\":\"2026-03-31 00:00:00\",\"frozen\":true}", NULL);
  t_ok(r);
  json_decref(r);
  r = create(t, "refused");
  t_expect(r, 41001, "/smart_plus/campaign/create/");
  json_decref(r);
  t_env_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(example_request),
      cmocka_unit_test(get_and_update),
      cmocka_unit_test(quota_and_status),
      cmocka_unit_test(timeline),
      cmocka_unit_test(clock_route),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
