/* tests/rules/test_spec_enums.c - the generated tables say what the spec
 * says (spot checks against ../shared/spec/tiktok-openapi). */
#include "../testutil.h"

#include "rules/spec_enums.h"

static void campaign_enums(void **st) {
  (void)st;
  const sp_enum_def *e = sp_enum_find("campaign_create.objective_type");
  assert_ptr_equal(e, &SP_ENUM_campaign_create__objective_type);
  assert_int_equal(e->n_valid, 3);
  assert_true(sp_enum_valid(e, "WEB_CONVERSIONS"));
  assert_true(sp_enum_valid(e, "APP_PROMOTION"));
  assert_true(sp_enum_valid(e, "LEAD_GENERATION"));
  assert_false(sp_enum_valid(e, "CONVERSIONS"));
  assert_true(sp_enum_known_invalid(e, "CONVERSIONS"));
  assert_false(sp_enum_known_invalid(e, "NOPE"));
  e = &SP_ENUM_campaign_create__budget_mode;
  assert_true(sp_enum_valid(e, "BUDGET_MODE_TOTAL"));
  assert_true(sp_enum_valid(e, "BUDGET_MODE_DYNAMIC_DAILY_BUDGET"));
  assert_true(sp_enum_known_invalid(e, "BUDGET_MODE_DAY"));
}

static void nested_and_limits(void **st) {
  (void)st;
  assert_non_null(sp_enum_find("adgroup_create.targeting_spec.age_groups"));
  assert_non_null(sp_enum_find("ad_create.creative_list.creative_info.ad_format"));
  assert_true(sp_enum_valid(&SP_ENUM_adgroup_create__optimization_goal,
                            "TRAFFIC_LANDING_PAGE_VIEW"));
  assert_null(sp_enum_find("campaign_create.no_such_field"));
  assert_int_equal(SP_LIMIT_campaign_status_update__campaign_ids__MAX_ITEMS, 20);
  assert_int_equal(SP_LIMIT_campaign_get__page_size__MAXIMUM, 1000);
  assert_int_equal(SP_LIMIT_ad_create__creative_list__MAX_ITEMS, 31);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(campaign_enums),
      cmocka_unit_test(nested_and_limits),
  };
  return cmocka_run_group_tests_name("rules/spec_enums", tests, NULL, NULL);
}
