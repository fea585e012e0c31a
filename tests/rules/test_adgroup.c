/*
 * tests/rules/test_adgroup.c - each ad group rule of the seeds with one
 * accepted and one refused request, through the same decode + defaults +
 * rules path as smartplusd (pure: contexts are built here, no store).
 */
#include "../testutil.h"

#include "rules/adgroup.h"
#include "rules/campaign.h"

/* cases list only the fields they need; the rest are zero */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static sp_arena *A;

static void *decode(const sp_schema *s, const char *json, const char *patch) {
  json_t *j = json_loads(json, 0, NULL);
  if (!j) fail_msg("bad base JSON");
  if (patch) {
    json_error_t err;
    json_t *p = json_loads(patch, 0, &err);
    if (!p) fail_msg("bad patch JSON %s: %s", patch, err.text);
    const char *k;
    json_t *v;
    json_object_foreach(p, k, v) {
      if (json_is_null(v)) json_object_del(j, k);
      else json_object_set(j, k, v);
    }
    json_decref(p);
  }
  void *out = sp_arena_alloc(A, s->size);
  sp_err e;
  sp_rc rc = sp_decode(s, j, out, 1, A, "", &e);
  json_decref(j);
  return rc == SP_OK ? out : NULL;
}

#define CBO_DAILY "{\"advertiser_id\":\"1\",\"campaign_name\":\"c\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\",\"budget\":500}"
#define CBO_TOTAL "{\"advertiser_id\":\"1\",\"campaign_name\":\"c\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":5000}"
#define NOCBO_INF "{\"advertiser_id\":\"1\",\"campaign_name\":\"c\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_optimize_on\":false,\"budget_mode\":\"BUDGET_MODE_INFINITE\"}"
#define NOCBO_DAY "{\"advertiser_id\":\"1\",\"campaign_name\":\"c\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_optimize_on\":false,\"budget_mode\":\"BUDGET_MODE_DAY\",\"budget\":500}"
#define NOCBO_TOTAL "{\"advertiser_id\":\"1\",\"campaign_name\":\"c\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_optimize_on\":false,\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":5000}"

/* the seeds' automatic ad group */
#define AG "{\"advertiser_id\":\"1\",\"campaign_id\":\"2\",\"adgroup_name\":\"g\",\"promotion_type\":\"WEBSITE\",\"optimization_goal\":\"CONVERT\",\"pixel_id\":\"3\",\"optimization_event\":\"COMPLETE_PAYMENT\",\"billing_event\":\"OCPM\",\"bid_type\":\"BID_TYPE_NO_BID\",\"schedule_type\":\"SCHEDULE_FROM_NOW\",\"targeting_optimization_mode\":\"AUTOMATIC\",\"targeting_spec\":{\"location_ids\":[\"6252001\"]},\"placement_type\":\"PLACEMENT_TYPE_NORMAL\",\"placements\":[\"PLACEMENT_TIKTOK\"]}"
/* own daily budget, for campaigns without CBO */
#define OWN "\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\",\"budget\":100"

static sp_pixel *pixel(const char *sources) {
  char buf[128];
  snprintf(buf, sizeof buf, "{\"pixel_name\":\"p\",\"event_sources\":%s}", sources);
  return decode(&sp_pixel_schema, buf, NULL);
}

typedef struct {
  const char *campaign;
  const char *patch;
  const char *sources;     /* NULL = no pixel found */
  const char *sibling;     /* patch for one sibling (on AG), or NULL */
  size_t n_siblings;
} casedef;

static sp_rc run(casedef d, sp_err *e) {
  sp_campaign *c = decode(&sp_campaign_schema, d.campaign, NULL);
  assert_non_null(c);
  rules_campaign_defaults(c);
  sp_adgroup *g = decode(&sp_adgroup_schema, AG, d.patch);
  if (!g) {
    e->code = SP_E_PARAM;
    snprintf(e->rule, sizeof e->rule, "DECODE");
    return SP_E_PARAM;
  }
  rules_adgroup_defaults(g, 1775001600, A);
  sp_adgroup *sib = NULL;
  size_t n = d.n_siblings;
  if (d.sibling || n) {
    if (!n) n = 1;
    sib = sp_arena_alloc(A, n * sizeof *sib);
    for (size_t i = 0; i < n; i++) {
      sp_adgroup *s = decode(&sp_adgroup_schema, AG, d.sibling);
      assert_non_null(s);
      rules_adgroup_defaults(s, 1775001600, A);
      sib[i] = *s;
    }
  }
  rules_adgroup_ctx x = {c, d.sources ? pixel(d.sources) : NULL, sib, n};
  sp_err_clear(e);
  return rules_adgroup_check(g, &x, e);
}

static sp_rc decode_only(const char *patch, sp_err *e) {
  json_t *j = json_loads(AG, 0, NULL);
  json_t *p = json_loads(patch, 0, NULL);
  json_object_update(j, p);
  sp_adgroup *g = sp_arena_alloc(A, sizeof *g);
  sp_rc rc = sp_decode(&sp_adgroup_schema, j, g, 1, A, "", e);
  json_decref(j);
  json_decref(p);
  return rc;
}

#define BOTH "[\"BROWSER\",\"EVENTS_API\"]"
#define OK(...)                                                          \
  do {                                                                   \
    sp_err e_;                                                           \
    casedef d_ = {__VA_ARGS__};                                          \
    if (run(d_, &e_) != SP_OK)                                           \
      fail_msg("refused: %s: %s (%s)", e_.field, e_.msg, e_.rule);       \
  } while (0)
#define NO(rule_, ...)                                                   \
  do {                                                                   \
    sp_err e_;                                                           \
    casedef d_ = {__VA_ARGS__};                                          \
    if (run(d_, &e_) == SP_OK) fail_msg("accepted, wanted %s", rule_);  \
    if (strcmp(e_.rule, rule_) != 0)                                     \
      fail_msg("wanted %s, got %s: %s: %s", rule_, e_.rule, e_.field,    \
               e_.msg);                                                  \
  } while (0)

static void goals_billing_pixel(void **st) {
  (void)st;
  OK(CBO_DAILY, NULL, BOTH);
  NO("ADGROUP_WEB_PROMOTION", CBO_DAILY, "{\"promotion_type\":\"APP_ANDROID\"}", BOTH);
  OK(CBO_DAILY, "{\"optimization_goal\":\"LANDING_PAGE\",\"optimization_event\":null}", BOTH);
  OK(CBO_DAILY, "{\"optimization_goal\":\"TRAFFIC_LANDING_PAGE_VIEW\"}", BOTH);
  OK(CBO_DAILY, "{\"optimization_goal\":\"CLICK\",\"pixel_id\":null,\"optimization_event\":null}", NULL);
  NO("ADGROUP_WEB_GOAL", CBO_DAILY, "{\"optimization_goal\":\"REACH\"}", BOTH);
  NO("ADGROUP_WEB_OCPM", CBO_DAILY, "{\"billing_event\":\"CPC\"}", BOTH);
  NO("ADGROUP_PIXEL_REQUIRED", CBO_DAILY, "{\"pixel_id\":null}", NULL);
  NO("ADGROUP_PIXEL_EXISTS", CBO_DAILY, NULL, NULL);
  NO("ADGROUP_EVENT_REQUIRED", CBO_DAILY, "{\"optimization_event\":null}", BOTH);
  OK(CBO_DAILY, "{\"optimization_event\":\"SHOPPING\"}", BOTH); /* spec spelling */
  OK(CBO_DAILY, "{\"optimization_goal\":\"LANDING_PAGE\"}", "[\"BROWSER\"]");
  NO("ADGROUP_LANDING_PAGE_PIXEL", CBO_DAILY, "{\"optimization_goal\":\"LANDING_PAGE\"}",
     "[\"EVENTS_API\"]");
  NO("ADGROUP_REQUIRED", CBO_DAILY, "{\"adgroup_name\":null}", BOTH);
  NO("ADGROUP_REQUIRED", CBO_DAILY, "{\"billing_event\":null}", BOTH);
}

static void enums_and_formats(void **st) {
  (void)st;
  sp_err e;
  assert_int_equal(decode_only("{\"optimization_goal\":\"CONVERSIONS\"}", &e), SP_E_PARAM);
  assert_string_equal(e.field, "optimization_goal");
  assert_string_equal(e.rule, "SPEC_ENUM");
  assert_non_null(strstr(e.msg, "TRAFFIC_LANDING_PAGE_VIEW"));
  assert_non_null(strstr(e.msg, "LANDING_PAGE"));
  assert_int_equal(decode_only("{\"placements\":[\"PLACEMENT_VIGO\"]}", &e), SP_E_PARAM);
  assert_string_equal(e.field, "placements[0]");
  assert_int_equal(decode_only("{\"targeting_spec\":{\"location_ids\":[\"1\"],"
                               "\"age_groups\":[\"AGE_18_99\"]}}", &e), SP_E_PARAM);
  assert_string_equal(e.field, "targeting_spec.age_groups[0]");
  assert_int_equal(decode_only("{\"schedule_start_time\":\"2026-04-01T00:00:00\"}", &e), SP_E_PARAM);
  assert_string_equal(e.rule, "TIME_FORMAT");
  assert_int_equal(decode_only("{\"schedule_start_time\":\"2026-04-01 00:00:00\"}", &e), SP_OK);
}

static void bidding(void **st) {
  (void)st;
  OK(CBO_DAILY, "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":15}", BOTH);
  NO("ADGROUP_COST_CAP_PRICE", CBO_DAILY, "{\"bid_type\":\"BID_TYPE_CUSTOM\"}", BOTH);
  OK(CBO_DAILY, "{\"optimization_goal\":\"CLICK\",\"bid_type\":\"BID_TYPE_CUSTOM\",\"bid_price\":0.5}", BOTH);
  NO("ADGROUP_COST_CAP_PRICE", CBO_DAILY,
     "{\"optimization_goal\":\"CLICK\",\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":1}", BOTH);
  NO("ADGROUP_NO_BID_PRICE", CBO_DAILY, "{\"conversion_bid_price\":15}", BOTH);
  NO("ADGROUP_BID_TYPE", CBO_DAILY, "{\"bid_type\":\"BID_TYPE_MAX_CONVERSION\"}", BOTH);
  /* Cost Cap never with a lifetime budget */
  NO("ADGROUP_COST_CAP_DAILY", CBO_TOTAL,
     "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":15,\"schedule_type\":\"SCHEDULE_START_END\","
     "\"schedule_start_time\":\"2026-05-01 00:00:00\",\"schedule_end_time\":\"2026-05-10 00:00:00\"}", BOTH);
  OK(NOCBO_INF, "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":15," OWN "}", BOTH);
  NO("ADGROUP_COST_CAP_DAILY", NOCBO_INF,
     "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":15,\"budget_mode\":\"BUDGET_MODE_TOTAL\","
     "\"budget\":1000,\"schedule_type\":\"SCHEDULE_START_END\",\"schedule_start_time\":\"2026-05-01 00:00:00\","
     "\"schedule_end_time\":\"2026-05-10 00:00:00\"}", BOTH);
  NO("ADGROUP_COST_CAP_DAILY", NOCBO_TOTAL,
     "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":15," OWN "}", BOTH);
  NO("ADGROUP_BID_BELOW_BUDGET", NOCBO_INF,
     "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":100," OWN "}", BOTH);
}

static void budgets(void **st) {
  (void)st;
  NO("ADGROUP_CBO_NO_BUDGET", CBO_DAILY, "{" OWN "}", BOTH);
  OK(NOCBO_INF, "{" OWN "}", BOTH);
  NO("ADGROUP_BUDGET_MATRIX", NOCBO_INF, NULL, BOTH); /* no budget_mode */
  OK(NOCBO_INF, "{\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":1000,\"schedule_type\":\"SCHEDULE_START_END\","
     "\"schedule_start_time\":\"2026-05-01 00:00:00\",\"schedule_end_time\":\"2026-05-10 00:00:00\"}", BOTH);
  OK(NOCBO_DAY, "{" OWN "}", BOTH);
  NO("ADGROUP_BUDGET_MATRIX", NOCBO_DAY,
     "{\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":1000,\"schedule_type\":\"SCHEDULE_START_END\","
     "\"schedule_start_time\":\"2026-05-01 00:00:00\",\"schedule_end_time\":\"2026-05-10 00:00:00\"}", BOTH);
  NO("ADGROUP_BUDGET_MATRIX", NOCBO_INF, "{\"budget_mode\":\"BUDGET_MODE_DAY\",\"budget\":100}", BOTH);
  NO("ADGROUP_BUDGET_REQUIRED", NOCBO_INF, "{\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\"}", BOTH);
  NO("ADGROUP_BUDGET_MIN", NOCBO_INF, "{\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\",\"budget\":19}", BOTH);
  NO("ADGROUP_BUDGET_MIN", NOCBO_INF,
     "{\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100,\"schedule_type\":\"SCHEDULE_START_END\","
     "\"schedule_start_time\":\"2026-05-01 00:00:00\",\"schedule_end_time\":\"2026-05-10 00:00:00\"}", BOTH);
  /* min/max budget: CBO + daily campaign + NO_BID only */
  OK(CBO_DAILY, "{\"min_budget\":50,\"max_budget\":200}", BOTH);
  NO("ADGROUP_MIN_MAX_BUDGET", NOCBO_INF, "{\"min_budget\":50," OWN "}", BOTH);
  NO("ADGROUP_MIN_MAX_BUDGET", CBO_TOTAL,
     "{\"min_budget\":50,\"schedule_type\":\"SCHEDULE_START_END\",\"schedule_start_time\":"
     "\"2026-05-01 00:00:00\",\"schedule_end_time\":\"2026-05-10 00:00:00\"}", BOTH);
  NO("ADGROUP_MIN_MAX_BUDGET", CBO_DAILY,
     "{\"min_budget\":50,\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":15}", BOTH);
  NO("ADGROUP_MIN_MAX_BUDGET", CBO_DAILY, "{\"min_budget\":300,\"max_budget\":200}", BOTH);
  NO("ADGROUP_MIN_MAX_BUDGET", CBO_DAILY, "{\"max_budget\":900}", BOTH);
}

static void schedule_placement_targeting(void **st) {
  (void)st;
  NO("ADGROUP_SCHEDULE_FROM_NOW", CBO_TOTAL, NULL, BOTH); /* lifetime budget */
  OK(CBO_TOTAL, "{\"schedule_type\":\"SCHEDULE_START_END\",\"schedule_start_time\":\"2026-05-01 00:00:00\","
     "\"schedule_end_time\":\"2026-05-10 00:00:00\"}", BOTH);
  NO("ADGROUP_SCHEDULE_START_END", CBO_TOTAL, "{\"schedule_type\":\"SCHEDULE_START_END\","
     "\"schedule_start_time\":\"2026-05-01 00:00:00\"}", BOTH);
  NO("ADGROUP_SCHEDULE_START_END", CBO_TOTAL, "{\"schedule_type\":\"SCHEDULE_START_END\","
     "\"schedule_start_time\":\"2026-05-10 00:00:00\",\"schedule_end_time\":\"2026-05-01 00:00:00\"}", BOTH);
  char dp[400] = "{\"dayparting\":\"";
  memset(dp + strlen(dp), '1', 336);
  strcat(dp, "\"}");
  OK(CBO_DAILY, dp, BOTH);
  NO("ADGROUP_DAYPARTING", CBO_DAILY, "{\"dayparting\":\"0101\"}", BOTH);
  OK(CBO_DAILY, "{\"placement_type\":null,\"placements\":null}", BOTH); /* automatic */
  OK(CBO_DAILY, "{\"placements\":[\"PLACEMENT_TIKTOK\",\"PLACEMENT_PANGLE\",\"PLACEMENT_GLOBAL_APP_BUNDLE\"]}", BOTH);
  NO("ADGROUP_PLACEMENTS", CBO_DAILY, "{\"placements\":[]}", BOTH);
  NO("ADGROUP_PLACEMENTS", CBO_DAILY, "{\"placements\":[\"PLACEMENT_TIKTOK\",\"PLACEMENT_TIKTOK\"]}", BOTH);
  NO("ADGROUP_PLACEMENTS", CBO_DAILY, "{\"placement_type\":\"PLACEMENT_TYPE_AUTOMATIC\"}", BOTH);
  OK(CBO_DAILY, "{\"targeting_spec\":{\"location_ids\":[\"6252001\"],\"gender\":\"GENDER_FEMALE\","
     "\"spc_audience_age\":\"OVER_TWENTY_FIVE\",\"interest_category_ids\":[\"100\"]}}", BOTH);
  NO("ADGROUP_TARGETING_MODE", CBO_DAILY,
     "{\"targeting_spec\":{\"location_ids\":[\"6252001\"],\"network_types\":[\"WIFI\"]}}", BOTH);
  OK(CBO_DAILY, "{\"targeting_optimization_mode\":\"MANUAL\",\"targeting_spec\":{\"location_ids\":"
     "[\"6252001\"],\"network_types\":[\"WIFI\"],\"age_groups\":[\"AGE_25_34\"]}}", BOTH);
  NO("ADGROUP_TARGETING_MODE", CBO_DAILY, "{\"targeting_optimization_mode\":\"MANUAL\","
     "\"targeting_spec\":{\"location_ids\":[\"6252001\"],\"spc_audience_age\":\"OVER_EIGHTEEN\"}}", BOTH);
  NO("ADGROUP_LOCATIONS", CBO_DAILY, "{\"targeting_spec\":{\"gender\":\"GENDER_MALE\"}}", BOTH);
  NO("ADGROUP_REQUIRED", CBO_DAILY, "{\"targeting_spec\":null}", BOTH);
  NO("ADGROUP_DEVICE_PRICE", CBO_DAILY, "{\"targeting_optimization_mode\":\"MANUAL\","
     "\"targeting_spec\":{\"location_ids\":[\"1\"],\"device_price_ranges\":[\"0\",\"125\"]}}", BOTH);
}

static void siblings(void **st) {
  (void)st;
  /* 30 per campaign */
  OK(CBO_DAILY, NULL, BOTH, NULL, 29);
  NO("ADGROUP_MAX_30", CBO_DAILY, NULL, BOTH, NULL, 30);
  /* CBO: every listed field must match */
  OK(CBO_DAILY, "{\"optimization_event\":\"SHOPPING\"}", BOTH, "{}"); /* COMPLETE_PAYMENT's spec name */
  NO("ADGROUP_CBO_UNIFORM", CBO_DAILY, "{\"optimization_event\":\"ADD_TO_CART\"}", BOTH, "{}");
  NO("ADGROUP_CBO_UNIFORM", CBO_DAILY, "{\"optimization_goal\":\"CLICK\"}", BOTH, "{}");
  NO("ADGROUP_CBO_UNIFORM", CBO_DAILY, "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":15}",
     BOTH, "{}");
  NO("ADGROUP_CBO_UNIFORM", CBO_DAILY, "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":15}",
     BOTH, "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":16}");
  OK(CBO_DAILY, "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":15,\"adgroup_name\":\"x\","
     "\"targeting_spec\":{\"location_ids\":[\"1861060\"]}}",
     BOTH, "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":15}");
  /* every differing field is named */
  sp_err e;
  casedef d = {CBO_DAILY, "{\"optimization_event\":\"ADD_TO_CART\",\"bid_type\":\"BID_TYPE_CUSTOM\","
               "\"conversion_bid_price\":15}", BOTH, "{}", 0};
  assert_int_equal(run(d, &e), SP_E_PARAM);
  assert_non_null(strstr(e.msg, "optimization_event is ADD_TO_CART"));
  assert_non_null(strstr(e.msg, "bid_type is BID_TYPE_CUSTOM"));
  assert_non_null(strstr(e.msg, "conversion_bid_price is 15"));
  /* without CBO: goals may differ, bid_type and budget_mode may not */
  OK(NOCBO_INF, "{\"optimization_event\":\"ADD_TO_CART\"," OWN "}", BOTH, "{" OWN "}");
  NO("ADGROUP_NOCBO_UNIFORM", NOCBO_INF,
     "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":15," OWN "}", BOTH, "{" OWN "}");
  NO("ADGROUP_NOCBO_UNIFORM", NOCBO_INF,
     "{\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":1000,\"schedule_type\":\"SCHEDULE_START_END\","
     "\"schedule_start_time\":\"2026-05-01 00:00:00\",\"schedule_end_time\":\"2026-05-10 00:00:00\"}",
     BOTH, "{" OWN "}");
}

static void update_limits(void **st) {
  (void)st;
  sp_err e;
  sp_adgroup *old = decode(&sp_adgroup_schema, AG, NULL);
  rules_adgroup_defaults(old, 1775001600, A);
  sp_adgroup *p = decode(&sp_adgroup_schema, "{\"adgroup_name\":\"n\",\"budget\":100}", NULL);
  assert_int_equal(rules_adgroup_update_allowed(old, p, &e), SP_OK);
  p = decode(&sp_adgroup_schema, "{\"placement_type\":\"PLACEMENT_TYPE_AUTOMATIC\"}", NULL);
  assert_int_equal(rules_adgroup_update_allowed(old, p, &e), SP_E_PARAM);
  assert_string_equal(e.rule, "ADGROUP_IMMUTABLE");
  assert_string_equal(e.field, "placement_type");
  /* repeating what the ad group has is not a change (SHOPPING is
   * COMPLETE_PAYMENT's spec name) */
  p = decode(&sp_adgroup_schema, "{\"placement_type\":\"PLACEMENT_TYPE_NORMAL\","
             "\"optimization_event\":\"SHOPPING\",\"campaign_id\":\"2\",\"operation_status\":\"ENABLE\"}", NULL);
  assert_int_equal(rules_adgroup_update_allowed(old, p, &e), SP_OK);
  p = decode(&sp_adgroup_schema, "{\"campaign_id\":\"9\"}", NULL);
  assert_int_equal(rules_adgroup_update_allowed(old, p, &e), SP_E_PARAM);
  assert_string_equal(e.field, "campaign_id");
  p = decode(&sp_adgroup_schema, "{\"operation_status\":\"DISABLE\"}", NULL);
  assert_int_equal(rules_adgroup_update_allowed(old, p, &e), SP_E_PARAM);
  assert_string_equal(e.rule, "ADGROUP_STATUS_VIA");
}

static void identity_deep_bid_names(void **st) {
  (void)st;
  OK(CBO_DAILY, "{\"identity_type\":\"BC_AUTH_TT\",\"identity_id\":\"i\","
     "\"identity_authorized_bc_id\":\"bc\"}", BOTH);
  NO("ADGROUP_IDENTITY_BC", CBO_DAILY, "{\"identity_type\":\"BC_AUTH_TT\",\"identity_id\":\"i\"}", BOTH);
  OK(CBO_DAILY, "{\"deep_bid_type\":\"DEFAULT\"}", BOTH);
  NO("ADGROUP_DEEP_BID", CBO_DAILY, "{\"deep_bid_type\":\"VO_MIN_ROAS\"}", BOTH);
  NO("NAME_NO_EMOJI", CBO_DAILY, "{\"adgroup_name\":\"US \xf0\x9f\x94\xa5\"}", BOTH);
}

static int setup(void **st) {
  (void)st;
  A = sp_arena_create();
  return 0;
}
static int teardown(void **st) {
  (void)st;
  sp_arena_destroy(A);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(goals_billing_pixel), cmocka_unit_test(enums_and_formats),
      cmocka_unit_test(bidding),             cmocka_unit_test(budgets),
      cmocka_unit_test(schedule_placement_targeting), cmocka_unit_test(siblings),
      cmocka_unit_test(update_limits),
      cmocka_unit_test(identity_deep_bid_names),
  };
  return cmocka_run_group_tests_name("rules/adgroup", tests, setup, teardown);
}
