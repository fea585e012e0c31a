/*
 * tests/rules/test_campaign.c - every campaign rule of the seeds (and the
 * spec enums the decoder enforces) with one accepted and one refused
 * request. Each refusal checks the field and the rule tag of
 * src/rules/campaign.c.
 */
#include "../testutil.h"

#include "model/objects.h"
#include "rules/campaign.h"

/* Decode + defaults + rules, as smartplusd and `smartplus lint` do. */
static sp_rc check(const char *json, sp_err *e) {
  json_error_t jerr;
  json_t *j = json_loads(json, 0, &jerr);
  if (!j) fail_msg("bad test JSON: %s", jerr.text);
  sp_arena *a = sp_arena_create();
  sp_campaign *c = sp_arena_alloc(a, sizeof *c);
  sp_err_clear(e);
  sp_rc rc = sp_decode(&sp_campaign_schema, j, c, 1, a, "", e);
  if (rc == SP_OK) {
    rules_campaign_defaults(c);
    rc = rules_campaign_check(c, e);
  }
  sp_arena_destroy(a);
  json_decref(j);
  return rc;
}

#define ACCEPT(json)                                                    \
  do {                                                                  \
    sp_err e_;                                                          \
    if (check(json, &e_) != SP_OK)                                      \
      fail_msg("refused: %s: %s (%s)", e_.field, e_.msg, e_.rule);      \
  } while (0)

#define REFUSE(json, field_, rule_)                                     \
  do {                                                                  \
    sp_err e_;                                                          \
    if (check(json, &e_) == SP_OK) fail_msg("accepted: %s", json);      \
    assert_string_equal(e_.field, field_);                              \
    assert_string_equal(e_.rule, rule_);                                \
    assert_true(strlen(e_.msg) > 5);                                    \
  } while (0)

#define BASE "\"advertiser_id\":\"1\",\"campaign_name\":\"c\",\"objective_type\":\"WEB_CONVERSIONS\""

/* seeds 001: advertiser_id, campaign_name, objective_type required */
static void required_fields(void **st) {
  (void)st;
  ACCEPT("{" BASE ",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}");
  REFUSE("{\"campaign_name\":\"c\",\"objective_type\":\"WEB_CONVERSIONS\","
         "\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}",
         "advertiser_id", "CAMPAIGN_REQUIRED");
  REFUSE("{\"advertiser_id\":\"1\",\"objective_type\":\"WEB_CONVERSIONS\","
         "\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}",
         "campaign_name", "CAMPAIGN_REQUIRED");
  REFUSE("{\"advertiser_id\":\"1\",\"campaign_name\":\"c\","
         "\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}",
         "objective_type", "CAMPAIGN_REQUIRED");
}

/* seeds 001: budget_optimize_on defaults to true, so CBO rules apply */
static void cbo_default_true(void **st) {
  (void)st;
  json_t *j = json_loads("{" BASE "}", 0, NULL);
  sp_arena *a = sp_arena_create();
  sp_campaign *c = sp_arena_alloc(a, sizeof *c);
  sp_err e;
  assert_int_equal(sp_decode(&sp_campaign_schema, j, c, 1, a, "", &e), SP_OK);
  rules_campaign_defaults(c);
  assert_true(c->budget_optimize_on.set && c->budget_optimize_on.v);
  sp_arena_destroy(a);
  json_decref(j);
  /* without a budget the default CBO refuses */
  REFUSE("{" BASE "}", "budget_mode", "CAMPAIGN_CBO_BUDGET_MODE");
}

/* seeds 001 table: CBO on -> TOTAL or DYNAMIC_DAILY_BUDGET, budget required */
static void cbo_modes(void **st) {
  (void)st;
  ACCEPT("{" BASE ",\"budget_optimize_on\":true,"
         "\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\",\"budget\":500}");
  ACCEPT("{" BASE ",\"budget_optimize_on\":true,"
         "\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":5000}");
  REFUSE("{" BASE ",\"budget_optimize_on\":true,"
         "\"budget_mode\":\"BUDGET_MODE_INFINITE\"}",
         "budget_mode", "CAMPAIGN_CBO_BUDGET_MODE");
  REFUSE("{" BASE ",\"budget_optimize_on\":true,"
         "\"budget_mode\":\"BUDGET_MODE_DAY\",\"budget\":500}",
         "budget_mode", "CAMPAIGN_CBO_BUDGET_MODE");
  REFUSE("{" BASE ",\"budget_optimize_on\":true,"
         "\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\"}",
         "budget", "CAMPAIGN_CBO_BUDGET_REQUIRED");
}

/* seeds 001 table: CBO off -> INFINITE (no budget), DAY, TOTAL */
static void no_cbo_modes(void **st) {
  (void)st;
  ACCEPT("{" BASE ",\"budget_optimize_on\":false,"
         "\"budget_mode\":\"BUDGET_MODE_INFINITE\"}");
  ACCEPT("{" BASE ",\"budget_optimize_on\":false}"); /* INFINITE implied */
  ACCEPT("{" BASE ",\"budget_optimize_on\":false,"
         "\"budget_mode\":\"BUDGET_MODE_DAY\",\"budget\":100}");
  ACCEPT("{" BASE ",\"budget_optimize_on\":false,"
         "\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":1000}");
  REFUSE("{" BASE ",\"budget_optimize_on\":false,"
         "\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\",\"budget\":100}",
         "budget_mode", "CAMPAIGN_NOCBO_BUDGET_MODE");
  REFUSE("{" BASE ",\"budget_optimize_on\":false,"
         "\"budget_mode\":\"BUDGET_MODE_INFINITE\",\"budget\":100}",
         "budget", "CAMPAIGN_INFINITE_NO_BUDGET");
  REFUSE("{" BASE ",\"budget_optimize_on\":false,"
         "\"budget_mode\":\"BUDGET_MODE_DAY\"}",
         "budget", "CAMPAIGN_BUDGET_REQUIRED");
}

static void budget_minimum(void **st) {
  (void)st;
  ACCEPT("{" BASE ",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":50}");
  REFUSE("{" BASE ",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":49.99}",
         "budget", "CAMPAIGN_BUDGET_MIN");
}

/* spec: enum fields accept exactly the valid values (+ seeds' spellings) */
static void enums(void **st) {
  (void)st;
  ACCEPT("{\"advertiser_id\":\"1\",\"campaign_name\":\"c\","
         "\"objective_type\":\"LEAD_GENERATION\","
         "\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}");
  REFUSE("{\"advertiser_id\":\"1\",\"campaign_name\":\"c\","
         "\"objective_type\":\"CONVERSIONS\"}",
         "objective_type", "SPEC_ENUM");
  sp_err e;
  check("{\"advertiser_id\":\"1\",\"campaign_name\":\"c\","
        "\"objective_type\":\"TRAFFIC\"}", &e);
  assert_non_null(strstr(e.msg, "APP_PROMOTION, LEAD_GENERATION, WEB_CONVERSIONS"));
  assert_non_null(strstr(e.msg, "live API"));
  check("{\"advertiser_id\":\"1\",\"campaign_name\":\"c\","
        "\"objective_type\":\"NOPE\"}", &e);
  assert_null(strstr(e.msg, "live API"));
  REFUSE("{" BASE ",\"budget_mode\":\"BUDGET_MODE_WEEKLY\",\"budget\":100}",
         "budget_mode", "SPEC_ENUM");
  ACCEPT("{" BASE ",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100,"
         "\"special_industries\":[\"HOUSING\"]}");
  REFUSE("{" BASE ",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100,"
         "\"special_industries\":[\"HOUSING\",\"GAMBLING\"]}",
         "special_industries[1]", "SPEC_ENUM");
  REFUSE("{" BASE ",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100,"
         "\"sales_destination\":\"APP\"}",
         "sales_destination", "SPEC_ENUM");
  REFUSE("{" BASE ",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100,"
         "\"operation_status\":\"PAUSED\"}",
         "operation_status", "SPEC_ENUM");
}

static void types_and_ranges(void **st) {
  (void)st;
  REFUSE("{" BASE ",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":\"500\"}",
         "budget", "TYPE");
  REFUSE("{" BASE ",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":-5}",
         "budget", "RANGE");
  REFUSE("{" BASE ",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":1e300}",
         "budget", "RANGE");
  REFUSE("{" BASE ",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100,"
         "\"budget_optimize_on\":\"yes\"}",
         "budget_optimize_on", "TYPE");
  REFUSE("{\"advertiser_id\":\"abc\",\"campaign_name\":\"c\","
         "\"objective_type\":\"WEB_CONVERSIONS\"}",
         "advertiser_id", "ID");
  REFUSE("{\"advertiser_id\":\"1\",\"campaign_name\":42,"
         "\"objective_type\":\"WEB_CONVERSIONS\"}",
         "campaign_name", "TYPE");
}

/* live API: names <= 512 characters (CJK count 2), no emoji, not empty */
static void names(void **st) {
  (void)st;
  char big[2048];
  char *p = big + sprintf(big, "{\"advertiser_id\":\"1\",\"budget_mode\":"
                               "\"BUDGET_MODE_TOTAL\",\"budget\":100,"
                               "\"objective_type\":\"WEB_CONVERSIONS\","
                               "\"campaign_name\":\"");
  memset(p, 'x', 512);
  strcpy(p + 512, "\"}");
  ACCEPT(big);
  memset(p, 'x', 513);
  strcpy(p + 513, "\"}");
  REFUSE(big, "campaign_name", "MAX_LENGTH");
  /* 257 CJK characters count 514 */
  p = big + sprintf(big, "{\"advertiser_id\":\"1\",\"budget_mode\":"
                         "\"BUDGET_MODE_TOTAL\",\"budget\":100,"
                         "\"objective_type\":\"WEB_CONVERSIONS\","
                         "\"campaign_name\":\"");
  char *q = p;
  for (int i = 0; i < 200; i++) q += sprintf(q, "\xe5\xb9\xbf"); /* 广 */
  strcpy(q, "\"}");
  ACCEPT(big);
  for (int i = 200; i < 257; i++) q += sprintf(q, "\xe5\xb9\xbf");
  strcpy(q, "\"}");
  REFUSE(big, "campaign_name", "MAX_LENGTH");
  REFUSE("{\"advertiser_id\":\"1\",\"campaign_name\":\"Sale \xf0\x9f\x94\xa5\","
         "\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":"
         "\"BUDGET_MODE_TOTAL\",\"budget\":100}",
         "campaign_name", "NAME_NO_EMOJI");
  REFUSE("{\"advertiser_id\":\"1\",\"campaign_name\":\"  \","
         "\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":"
         "\"BUDGET_MODE_TOTAL\",\"budget\":100}",
         "campaign_name", "NAME_NOT_EMPTY");
}

static void objective_fields(void **st) {
  (void)st;
  ACCEPT("{\"advertiser_id\":\"1\",\"campaign_name\":\"c\","
         "\"objective_type\":\"APP_PROMOTION\",\"app_promotion_type\":"
         "\"APP_INSTALL\",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}");
  REFUSE("{" BASE ",\"app_promotion_type\":\"APP_INSTALL\","
         "\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}",
         "app_promotion_type", "CAMPAIGN_OBJECTIVE_FIELDS");
  REFUSE("{\"advertiser_id\":\"1\",\"campaign_name\":\"c\","
         "\"objective_type\":\"LEAD_GENERATION\",\"sales_destination\":"
         "\"WEBSITE\",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}",
         "sales_destination", "CAMPAIGN_OBJECTIVE_FIELDS");
  ACCEPT("{" BASE ",\"catalog_enabled\":true,\"catalog_type\":\"ECOMMERCE\","
         "\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}");
  REFUSE("{" BASE ",\"catalog_type\":\"ECOMMERCE\","
         "\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}",
         "catalog_type", "CAMPAIGN_CATALOG");
  REFUSE("{" BASE ",\"postback_window_mode\":\"POSTBACK_WINDOW_MODE1\","
         "\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}",
         "postback_window_mode", "CAMPAIGN_POSTBACK_WINDOW");
  ACCEPT("{" BASE ",\"operation_status\":\"DISABLE\","
         "\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}");
  REFUSE("{" BASE ",\"operation_status\":\"FROZEN\","
         "\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}",
         "operation_status", "CAMPAIGN_FROZEN");
}

/* updates: only campaign_name, budget, po_number may change */
static void update_allowed(void **st) {
  (void)st;
  sp_arena *a = sp_arena_create();
  sp_err e;
  const char *ok = "{\"campaign_name\":\"n\",\"budget\":700,\"po_number\":\"x\"}";
  const char *bad = "{\"budget_mode\":\"BUDGET_MODE_TOTAL\"}";
  const char *st_ = "{\"operation_status\":\"DISABLE\"}";
  json_t *j = json_loads(ok, 0, NULL);
  sp_campaign *p = sp_arena_alloc(a, sizeof *p);
  assert_int_equal(sp_decode(&sp_campaign_schema, j, p, 1, a, "", &e), SP_OK);
  assert_int_equal(rules_campaign_update_allowed(NULL, p, &e), SP_OK);
  json_decref(j);
  j = json_loads(bad, 0, NULL);
  p = sp_arena_alloc(a, sizeof *p);
  assert_int_equal(sp_decode(&sp_campaign_schema, j, p, 1, a, "", &e), SP_OK);
  assert_int_equal(rules_campaign_update_allowed(NULL, p, &e), SP_E_PARAM);
  assert_string_equal(e.field, "budget_mode");
  assert_string_equal(e.rule, "CAMPAIGN_IMMUTABLE");
  json_decref(j);
  j = json_loads(st_, 0, NULL);
  p = sp_arena_alloc(a, sizeof *p);
  assert_int_equal(sp_decode(&sp_campaign_schema, j, p, 1, a, "", &e), SP_OK);
  assert_int_equal(rules_campaign_update_allowed(NULL, p, &e), SP_E_PARAM);
  assert_string_equal(e.rule, "CAMPAIGN_STATUS_VIA");
  json_decref(j);
  sp_arena_destroy(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(required_fields), cmocka_unit_test(cbo_default_true),
      cmocka_unit_test(cbo_modes),       cmocka_unit_test(no_cbo_modes),
      cmocka_unit_test(budget_minimum),  cmocka_unit_test(enums),
      cmocka_unit_test(types_and_ranges), cmocka_unit_test(names),
      cmocka_unit_test(objective_fields), cmocka_unit_test(update_allowed),
  };
  return cmocka_run_group_tests_name("rules/campaign", tests, NULL, NULL);
}
