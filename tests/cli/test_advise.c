/*
 * test_advise.c - each piece of the seeds' advice fires on the state it is
 * about and stays quiet on the state just outside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "cli/advise.h"

/* A snapshot: one campaign, one ad group, `days` report days before
 * 2026-04-11 with the given daily spend and conversions. */
static json_t *snap(int cbo, const char *bid_type, const char *learning,
                    double budget, int days, double spend, double conv) {
  json_t *s = json_pack(
      "{s:s, s:{s:s, s:b, s:s, s:f}, s:[{s:s, s:s, s:s, s:s, s:s, s:s, s:f, "
      "s:f}]}",
      "today", "2026-04-11", "campaign", "campaign_id", "1", "budget_optimize_on",
      cbo, "budget_mode", "BUDGET_MODE_DYNAMIC_DAILY_BUDGET", "budget",
      cbo ? budget : 0.0, "adgroups", "adgroup_id", "2", "bid_type", bid_type,
      "learning_status", learning, "optimization_goal", "CONVERT",
      "budget_mode", cbo ? "BUDGET_MODE_INFINITE" : "BUDGET_MODE_DYNAMIC_DAILY_BUDGET",
      "modify_time", "2026-04-10 08:00:00", "budget", cbo ? 0.0 : budget,
      "conversion_bid_price", 20.0);
  json_t *rows = json_array();
  for (int d = 1; d <= days; d++) {
    char date[32];
    snprintf(date, sizeof date, "2026-04-%02d 00:00:00", 11 - d);
    json_array_append_new(rows, json_pack("{s:s, s:s, s:f, s:f}", "adgroup_id",
                                          "2", "date", date, "spend", spend,
                                          "conversion", conv));
  }
  json_object_set_new(s, "report", rows);
  return s;
}

/* the advice of rule `rule`, or NULL */
static json_t *find(json_t *advice, const char *rule) {
  size_t i;
  json_t *a;
  json_array_foreach(advice, i, a) {
    if (strcmp(json_string_value(json_object_get(a, "rule")), rule) == 0)
      return a;
  }
  return NULL;
}

static const char *text(json_t *a) {
  return json_string_value(json_object_get(a, "advice"));
}

static void hold_edits_during_learning(void **state) {
  json_t *s = snap(1, "BID_TYPE_NO_BID", "LEARNING", 500, 3, 300, 10);
  json_t *a = sp_advise(s);
  json_t *h = find(a, "HOLD_EDITS");
  assert_non_null(h);
  assert_string_equal(json_string_value(json_object_get(h, "id")), "2");
  assert_non_null(strstr(text(h), "until it exits learning"));
  json_decref(a);
  json_decref(s);
  s = snap(1, "BID_TYPE_NO_BID", "LEARNED", 500, 3, 300, 10);
  a = sp_advise(s);
  assert_null(find(a, "HOLD_EDITS"));
  json_decref(a);
  json_decref(s);
}

static void bid_steps_after_learning(void **state) {
  json_t *s = snap(1, "BID_TYPE_CUSTOM", "LEARNED", 3000, 3, 300, 10);
  json_t *a = sp_advise(s);
  json_t *b = find(a, "BID_STEP");
  assert_non_null(b);
  /* 15% around 20.00, and 2 days after the last change on 04-10 */
  assert_non_null(strstr(text(b), "between 17.00 and 23.00"));
  assert_non_null(strstr(text(b), "not before 2026-04-12"));
  json_decref(a);
  json_decref(s);
  /* no bid to step with NO_BID; none while learning */
  s = snap(1, "BID_TYPE_NO_BID", "LEARNED", 3000, 3, 300, 10);
  a = sp_advise(s);
  assert_null(find(a, "BID_STEP"));
  json_decref(a);
  json_decref(s);
  s = snap(1, "BID_TYPE_CUSTOM", "LEARNING", 3000, 3, 300, 10);
  a = sp_advise(s);
  assert_null(find(a, "BID_STEP"));
  json_decref(a);
  json_decref(s);
}

static void raise_at_ninety_percent(void **state) {
  /* 460 of 500 (92%) on each of the last 3 days: raise up to 650 */
  json_t *s = snap(1, "BID_TYPE_NO_BID", "LEARNED", 500, 3, 460, 40);
  json_t *a = sp_advise(s);
  json_t *r = find(a, "BUDGET_RAISE");
  assert_non_null(r);
  assert_string_equal(json_string_value(json_object_get(r, "level")), "campaign");
  assert_non_null(strstr(text(r), "at most 650.00"));
  json_decref(a);
  json_decref(s);
  /* 440 of 500 (88%): no */
  s = snap(1, "BID_TYPE_NO_BID", "LEARNED", 500, 3, 440, 40);
  a = sp_advise(s);
  assert_null(find(a, "BUDGET_RAISE"));
  json_decref(a);
  json_decref(s);
  /* 92% but only 2 days of history: not yet "consistently" */
  s = snap(1, "BID_TYPE_NO_BID", "LEARNED", 500, 2, 460, 40);
  a = sp_advise(s);
  assert_null(find(a, "BUDGET_RAISE"));
  json_decref(a);
  json_decref(s);
}

static void budget_floors(void **state) {
  /* CPA 300/10 = 30: a 250 budget is under 10x (300) */
  json_t *s = snap(0, "BID_TYPE_NO_BID", "LEARNING", 250, 7, 240, 8);
  json_t *a = sp_advise(s);
  json_t *f = find(a, "BUDGET_FLOOR");
  assert_non_null(f);
  assert_string_equal(json_string_value(json_object_get(f, "level")), "adgroup");
  assert_non_null(strstr(text(f), "at least 300.00 (10x)"));
  json_decref(a);
  json_decref(s);
  /* 350 >= 10x 30: fine with Max Delivery ... */
  s = snap(0, "BID_TYPE_NO_BID", "LEARNED", 350, 7, 300, 10);
  a = sp_advise(s);
  assert_null(find(a, "BUDGET_FLOOR"));
  json_decref(a);
  json_decref(s);
  /* ... but under the 30x Cost Cap starting point */
  s = snap(0, "BID_TYPE_CUSTOM", "LEARNED", 350, 7, 300, 10);
  a = sp_advise(s);
  f = find(a, "BUDGET_FLOOR");
  assert_non_null(f);
  assert_non_null(strstr(text(f), "at least 900.00 (30x)"));
  json_decref(a);
  json_decref(s);
  /* no conversions: the expected CPA decides; none known: no verdict */
  s = snap(0, "BID_TYPE_NO_BID", "LEARNING", 100, 3, 50, 0);
  a = sp_advise(s);
  assert_null(find(a, "BUDGET_FLOOR"));
  json_decref(a);
  json_object_set_new(s, "expected_cpa", json_real(25));
  a = sp_advise(s);
  f = find(a, "BUDGET_FLOOR");
  assert_non_null(f);
  assert_non_null(strstr(text(f), "(expected)"));
  json_decref(a);
  json_decref(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(hold_edits_during_learning),
      cmocka_unit_test(bid_steps_after_learning),
      cmocka_unit_test(raise_at_ninety_percent),
      cmocka_unit_test(budget_floors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
