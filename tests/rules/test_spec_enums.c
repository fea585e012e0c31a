/*
 * tests/rules/test_spec_enums.c - the generated tables (src/rules/spec_enums.[ch],
 * tools/gen_spec_enums.py) say what ../shared/spec/tiktok-openapi says.
 * Needs only cmocka and spec_enums.c:
 *   gcc -std=c11 -Wall -Wextra -Werror -pedantic -Isrc \
 *     tests/rules/test_spec_enums.c src/rules/spec_enums.c -lcmocka
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rules/spec_enums.h"

static void objective_type(void **state) {
  const sp_enum_def *e = sp_enum_find("campaign_create.objective_type");
  (void)state;
  assert_ptr_equal(e, &SP_ENUM_campaign_create__objective_type);
  assert_string_equal(e->name, "campaign_create.objective_type");
  assert_int_equal(e->n_valid, 3);
  assert_true(sp_enum_valid(e, "APP_PROMOTION"));
  assert_true(sp_enum_valid(e, "LEAD_GENERATION"));
  assert_true(sp_enum_valid(e, "WEB_CONVERSIONS"));
  assert_false(sp_enum_valid(e, "CONVERSIONS"));
  assert_true(sp_enum_known_invalid(e, "CONVERSIONS"));
  assert_false(sp_enum_known_invalid(e, "WEB_CONVERSIONS"));
  assert_false(sp_enum_valid(e, "NO_SUCH_VALUE"));
  assert_false(sp_enum_known_invalid(e, "NO_SUCH_VALUE"));
  assert_false(sp_enum_valid(e, "web_conversions")); /* case matters */
}

static void budget_mode(void **state) {
  const sp_enum_def *e = &SP_ENUM_campaign_create__budget_mode;
  (void)state;
  assert_ptr_equal(sp_enum_find("campaign_create.budget_mode"), e);
  assert_true(sp_enum_valid(e, "BUDGET_MODE_TOTAL"));
  assert_true(sp_enum_valid(e, "BUDGET_MODE_DYNAMIC_DAILY_BUDGET"));
  assert_false(sp_enum_valid(e, "BUDGET_MODE_DAY"));
  assert_true(sp_enum_known_invalid(e, "BUDGET_MODE_DAY"));
}

static void nested_paths(void **state) {
  (void)state;
  assert_ptr_equal(sp_enum_find("campaign_get.filtering.primary_status"),
                   &SP_ENUM_campaign_get__filtering__primary_status);
  assert_ptr_equal(sp_enum_find("adgroup_create.targeting_spec.age_groups"),
                   &SP_ENUM_adgroup_create__targeting_spec__age_groups);
  assert_ptr_equal(sp_enum_find("ad_create.creative_list.creative_info.ad_format"),
                   &SP_ENUM_ad_create__creative_list__creative_info__ad_format);
  assert_ptr_equal(sp_enum_find("pixel_create.pixel_category"),
                   &SP_ENUM_pixel_create__pixel_category);
  assert_ptr_equal(sp_enum_find("report_integrated_get.data_level"),
                   &SP_ENUM_report_integrated_get__data_level);
  assert_true(sp_enum_valid(&SP_ENUM_adgroup_create__optimization_goal,
                            "TRAFFIC_LANDING_PAGE_VIEW"));
}

static void limits(void **state) {
  (void)state;
  assert_int_equal(SP_LIMIT_campaign_status_update__campaign_ids__MAX_ITEMS, 20);
  assert_int_equal(SP_LIMIT_campaign_get__page_size__MAXIMUM, 1000);
  assert_int_equal(SP_LIMIT_ad_create__creative_list__MAX_ITEMS, 31);
}

static void unknown_names(void **state) {
  (void)state;
  assert_null(sp_enum_find("campaign_create.no_such_field"));
  assert_null(sp_enum_find(""));
  assert_null(sp_enum_find("campaign_create"));
  assert_null(sp_enum_find("smart_plus_campaign_create.objective_type"));
  assert_null(sp_enum_find(NULL));
  assert_false(sp_enum_valid(NULL, "APP_PROMOTION"));
  assert_false(sp_enum_known_invalid(NULL, "CONVERSIONS"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(objective_type),
      cmocka_unit_test(budget_mode),
      cmocka_unit_test(nested_paths),
      cmocka_unit_test(limits),
      cmocka_unit_test(unknown_names),
  };
  return cmocka_run_group_tests_name("rules/spec_enums", tests, NULL, NULL);
}
