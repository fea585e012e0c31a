/*
 * tests/cli/test_lint.c - `smartplus lint` gives the server's verdicts and
 * messages: the same bodies are sent to the in-process API and linted as a
 * plan, and every refusal must read the same. Plus the seeds' advice.
 */
#include "../testutil.h"

#include "cli/lint.h"

static char *lint_text(const char *plan_json, int *errors) {
  json_error_t err;
  json_t *plan = json_loads(plan_json, 0, &err);
  if (!plan) fail_msg("bad plan: %s", err.text);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  *errors = sp_lint_plan(plan, f);
  fclose(f);
  json_decref(plan);
  return buf;
}

#define CAMPAIGN "{\"advertiser_id\":\"ADV\",\"campaign_name\":\"c\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_optimize_on\":true,\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\",\"budget\":500}"
#define AG(event) "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"CID\",\"adgroup_name\":\"g\",\"promotion_type\":\"WEBSITE\",\"optimization_goal\":\"CONVERT\",\"pixel_id\":\"PID\",\"optimization_event\":\"" event "\",\"billing_event\":\"OCPM\",\"schedule_type\":\"SCHEDULE_FROM_NOW\",\"targeting_spec\":{\"location_ids\":[\"6252001\"]}}"
#define AD(texts) "{\"advertiser_id\":\"ADV\",\"adgroup_id\":\"GID\",\"ad_name\":\"a\",\"creative_list\":[{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"video_info\":{\"video_id\":\"v\"},\"image_info\":[{\"web_uri\":\"https://x/t.jpg\"}],\"identity_type\":\"BC_AUTH_TT\",\"identity_id\":\"i\"}}],\"ad_text_list\":" texts "}"

#define AD_OK(texts) "{\"ad_name\":\"a\",\"creative_list\":[{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"video_info\":{\"video_id\":\"v\"},\"image_info\":[{\"web_uri\":\"https://x/t.jpg\"}],\"identity_type\":\"CUSTOMIZED_USER\"}}],\"ad_text_list\":" texts "}"

static char *swap(sp_arena *a, const char *s, const char *from, const char *to) {
  const char *p = strstr(s, from);
  if (!p) return sp_arena_strdup(a, s);
  return sp_arena_printf(a, "%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
}

static void same_messages_as_server(void **st) {
  (void)st;
  t_env *t = t_env_new();
  sp_arena *a = sp_arena_create();
  char pid[24];
  snprintf(pid, sizeof pid, "%lld", (long long)t->demo.pixel_id);
  /* server: campaign, a first ad group, then the refused second one */
  json_t *r = t_post(t, "/smart_plus/campaign/create/", CAMPAIGN);
  t_ok(r);
  const char *cid = sp_arena_strdup(a, json_string_value(json_object_get(t_data(r), "campaign_id")));
  json_decref(r);
  char *g1 = swap(a, swap(a, AG("COMPLETE_PAYMENT"), "CID", cid), "PID", pid);
  r = t_post(t, "/smart_plus/adgroup/create/", g1);
  t_ok(r);
  const char *gid = sp_arena_strdup(a, json_string_value(json_object_get(t_data(r), "adgroup_id")));
  json_decref(r);
  char *g2 = swap(a, swap(a, AG("ADD_TO_CART"), "CID", cid), "PID", pid);
  r = t_post(t, "/smart_plus/adgroup/create/", g2);
  const char *server_g2 = sp_arena_strdup(a, t_msg(r));
  assert_int_equal(t_code(r), 40002);
  json_decref(r);
  char *ad = swap(a, AD("[{\"ad_text\":\"x\"}]"), "GID", gid);
  r = t_post(t, "/smart_plus/ad/create/", ad);
  const char *server_ad = sp_arena_strdup(a, t_msg(r));
  assert_int_equal(t_code(r), 40002);
  json_decref(r);

  /* lint: the same bodies as a plan */
  char *plan = sp_arena_printf(a, "{\"campaign\":%s,\"adgroups\":[%s,%s],\"ads\":[%s]}",
                               CAMPAIGN, AG("COMPLETE_PAYMENT"), AG("ADD_TO_CART"),
                               swap(a, AD("[{\"ad_text\":\"x\"}]"), "GID\"", "GID\",\"adgroup_index\":0"));
  int errors;
  char *out = lint_text(plan, &errors);
  assert_int_equal(errors, 2);
  char *want = sp_arena_printf(a, "error: adgroups[1]: %s\n", server_g2);
  if (!strstr(out, want)) fail_msg("lint said:\n%s\nserver said:\n%s", out, want);
  want = sp_arena_printf(a, "error: ads[0]: %s\n", server_ad);
  if (!strstr(out, want)) fail_msg("lint said:\n%s\nserver said:\n%s", out, want);
  free(out);
  sp_arena_destroy(a);
  t_env_free(t);
}

static void advice(void **st) {
  (void)st;
  int errors;
  /* a clean plan, ads nested in their ad group */
  char *out = lint_text("{\"campaign\":" CAMPAIGN ",\"adgroups\":[{\"ads\":[" AD_OK("[{\"ad_text\":\"Spring sale\"},{\"ad_text\":\"New arrivals this week\"}]") "],"
                        "\"adgroup_name\":\"g\",\"promotion_type\":\"WEBSITE\",\"optimization_goal\":\"CLICK\","
                        "\"billing_event\":\"OCPM\",\"schedule_type\":\"SCHEDULE_FROM_NOW\",\"targeting_spec\":{\"location_ids\":[\"1\"]}}]}",
                        &errors);
  assert_int_equal(errors, 0);
  assert_non_null(strstr(out, "ok: 0 errors, 0 warnings"));
  free(out);
  /* Cost Cap at 5x the budget, and two texts that differ by punctuation */
  out = lint_text("{\"campaign\":" CAMPAIGN ",\"adgroups\":[{\"ads\":[" AD_OK("[{\"ad_text\":\"Shop the sale!\"},{\"ad_text\":\"shop the sale\"}]") "],"
                  "\"adgroup_name\":\"g\",\"promotion_type\":\"WEBSITE\",\"optimization_goal\":\"CONVERT\",\"pixel_id\":\"7\","
                  "\"optimization_event\":\"SHOPPING\",\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":100,"
                  "\"billing_event\":\"OCPM\",\"schedule_type\":\"SCHEDULE_FROM_NOW\",\"targeting_spec\":{\"location_ids\":[\"1\"]}}]}",
                  &errors);
  assert_int_equal(errors, 0);
  assert_non_null(strstr(out, "warning: adgroups[0]: the daily budget 500.00 is 5.0x the Cost Cap of 100.00"));
  assert_non_null(strstr(out, "warning: adgroups[0].ads[0]: ad_text_list[0] and ad_text_list[1] differ only slightly"));
  free(out);
  /* 20x a Cost Cap: under the 30x recommendation */
  out = lint_text("{\"campaign\":" CAMPAIGN ",\"adgroups\":[{"
                  "\"adgroup_name\":\"g\",\"promotion_type\":\"WEBSITE\",\"optimization_goal\":\"CONVERT\",\"pixel_id\":\"7\","
                  "\"optimization_event\":\"SHOPPING\",\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":25,"
                  "\"billing_event\":\"OCPM\",\"schedule_type\":\"SCHEDULE_FROM_NOW\",\"targeting_spec\":{\"location_ids\":[\"1\"]}}]}",
                  &errors);
  assert_non_null(strstr(out, "30x (750.00) is the recommended starting point"));
  free(out);
  /* Max Delivery with an expected CPA of 60: 500 is under 10x */
  out = lint_text("{\"expected_cpa\":60,\"campaign\":" CAMPAIGN ",\"adgroups\":[{"
                  "\"adgroup_name\":\"g\",\"promotion_type\":\"WEBSITE\",\"optimization_goal\":\"CLICK\","
                  "\"billing_event\":\"OCPM\",\"schedule_type\":\"SCHEDULE_FROM_NOW\",\"targeting_spec\":{\"location_ids\":[\"1\"]}}]}",
                  &errors);
  assert_non_null(strstr(out, "is 8.3x the expected CPA of 60.00"));
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_messages_as_server),
      cmocka_unit_test(advice),
  };
  return cmocka_run_group_tests_name("cli/lint", tests, NULL, NULL);
}
