/*
 * tests/rules/test_spc.c - every rule of the legacy Smart+ campaign
 * (../shared/seeds/003; src/rules/spc.c) and every per-field limit the
 * decoder enforces for it (src/model/spc.c): one accepted and one refused
 * request each, the refusal checked for its field and rule tag. Plus the
 * deprecation timeline, crossed one second before and at each deadline.
 *
 * Requests are a base (a valid campaign of one kind) with some members
 * replaced; a member set to null is removed (null means "not given").
 */
#include "../testutil.h"

#include "model/spc.h"
#include "rules/spc.h"

/* 2026-03-01 00:00:00 UTC: before every deadline */
#define NOW 1772323200LL

#define COMMON                                                               \
  "\"advertiser_id\":\"1\",\"campaign_name\":\"c\",\"location_ids\":"        \
  "[\"6252001\"],\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\","      \
  "\"budget\":100,\"schedule_type\":\"SCHEDULE_START_END\","                 \
  "\"schedule_start_time\":\"2026-03-01 00:00:00\",\"schedule_end_time\":"   \
  "\"2026-04-30 00:00:00\",\"bid_type\":\"BID_TYPE_NO_BID\","                \
  "\"billing_event\":\"OCPM\",\"identity_type\":\"CUSTOMIZED_USER\","        \
  "\"identity_id\":\"id1\",\"media_info_list\":[{\"media_info\":{"           \
  "\"video_info\":{\"video_id\":\"v1\",\"file_name\":\"f\"},\"image_info\":" \
  "[{\"web_uri\":\"w1\"}]}}],\"title_list\":[{\"title\":\"t\"}],"            \
  "\"call_to_action_id\":\"cta1\""

/* the document's example request */
static const char BASE_A[] =
    "{" COMMON ",\"operation_status\":\"ENABLE\",\"objective_type\":"
    "\"APP_PROMOTION\",\"app_promotion_type\":\"APP_INSTALL\","
    "\"campaign_type\":\"REGULAR_CAMPAIGN\",\"promotion_type\":\"APP_ANDROID\","
    "\"app_id\":\"7000\",\"placement_type\":\"PLACEMENT_TYPE_AUTOMATIC\","
    "\"optimization_goal\":\"INSTALL\"}";
/* regular Smart+ Web Campaign */
static const char BASE_W[] =
    "{" COMMON ",\"objective_type\":\"WEB_CONVERSIONS\",\"spc_type\":"
    "\"WEB_ALL_IN_ONE\",\"promotion_type\":\"WEBSITE\",\"optimization_goal\":"
    "\"CONVERT\",\"pixel_id\":\"px1\",\"optimization_event\":\"SHOPPING\"}";
/* Smart Performance Web Campaign (spc_type not passed) */
static const char BASE_U[] =
    "{" COMMON ",\"objective_type\":\"WEB_CONVERSIONS\",\"promotion_type\":"
    "\"WEBSITE\",\"optimization_goal\":\"CONVERT\",\"pixel_id\":\"px1\","
    "\"optimization_event\":\"SHOPPING\"}";
/* Smart+ Catalog Ads */
static const char BASE_C[] =
    "{" COMMON ",\"objective_type\":\"WEB_CONVERSIONS\",\"spc_type\":"
    "\"WEB_ALL_IN_ONE\",\"web_all_in_one_catalog_status\":\"OPEN\","
    "\"product_source\":\"CATALOG\",\"catalog_id\":\"cat1\","
    "\"catalog_authorized_bc_id\":\"bc1\",\"product_specific_type\":\"ALL\","
    "\"promotion_type\":\"WEBSITE\",\"optimization_goal\":\"CONVERT\","
    "\"pixel_id\":\"px1\",\"optimization_event\":\"SHOPPING\"}";
/* Catalog Ads with Website and App (Sales objective) */
static const char BASE_S[] =
    "{" COMMON ",\"objective_type\":\"WEB_CONVERSIONS\",\"spc_type\":"
    "\"WEB_ALL_IN_ONE\",\"web_all_in_one_catalog_status\":\"OPEN\","
    "\"product_source\":\"CATALOG\",\"catalog_id\":\"cat1\","
    "\"catalog_authorized_bc_id\":\"bc1\",\"product_specific_type\":\"ALL\","
    "\"virtual_objective_type\":\"SALES\",\"sales_destination\":"
    "\"WEB_AND_APP\",\"app_config\":[{\"app_id\":\"a1\"}],"
    "\"promotion_type\":\"WEBSITE\",\"optimization_goal\":\"CONVERT\","
    "\"pixel_id\":\"px1\",\"optimization_event\":\"SHOPPING\"}";
/* Smart+ Lead Generation Campaign */
static const char BASE_L[] =
    "{" COMMON ",\"objective_type\":\"LEAD_GENERATION\",\"promotion_type\":"
    "\"LEAD_GENERATION\",\"promotion_target_type\":\"INSTANT_PAGE\","
    "\"optimization_goal\":\"LEAD_GENERATION\"}";

/* base + overrides (members set to null are removed) -> decode -> rules */
static sp_rc check(const char *base, const char *over, sp_err *e) {
  json_error_t jerr;
  json_t *j = json_loads(base, 0, &jerr);
  if (!j) fail_msg("bad base JSON: %s", jerr.text);
  json_t *o = json_loads(over, 0, &jerr);
  if (!o) fail_msg("bad override JSON: %s: %s", over, jerr.text);
  const char *k;
  json_t *v;
  json_object_foreach(o, k, v) {
    if (json_is_null(v)) json_object_del(j, k);
    else json_object_set(j, k, v);
  }
  json_decref(o);
  sp_arena *a = sp_arena_create();
  spc *r = sp_arena_alloc(a, sizeof *r);
  sp_err_clear(e);
  sp_rc rc = sp_decode(&spc_schema, j, r, 1, a, "", e);
  if (rc == SP_OK) rc = spc_check_create(r, NOW, e);
  sp_arena_destroy(a);
  json_decref(j);
  return rc;
}

typedef struct rule_case {
  const char *rule;  /* rule tag the refusal carries */
  const char *field; /* field the refusal names */
  const char *base;
  const char *ok;    /* overrides of an accepted request */
  const char *bad;   /* overrides of a refused request */
} rule_case;

#define ONES48 "111111111111111111111111111111111111111111111111"
#define ONES336 ONES48 ONES48 ONES48 ONES48 ONES48 ONES48 ONES48
#define MEDIA(x) "{\"media_info\":" x "}"
#define VID(id) "{\"video_info\":{\"video_id\":\"" id "\"},\"image_info\":[{\"web_uri\":\"w\"}]}"
#define CAROUSEL_OK "{\"image_info\":[{\"web_uri\":\"a\"},{\"web_uri\":\"b\"}],\"music_info\":{\"music_id\":\"m\"}}"
#define CAROUSEL_NOMUSIC "{\"image_info\":[{\"web_uri\":\"a\"},{\"web_uri\":\"b\"}]}"
#define PROMO(x) "{\"promo_info_list\":[" x "]}"

static const char *items(const char *fmt, int n, sp_arena *a) {
  char *s = sp_arena_alloc(a, (size_t)n * (strlen(fmt) + 8) + 4);
  strcpy(s, "[");
  for (int i = 0; i < n; i++) {
    if (i) strcat(s, ",");
    strcat(s, fmt);
  }
  strcat(s, "]");
  return s;
}

static void run_cases(const rule_case *cs, size_t n) {
  for (size_t i = 0; i < n; i++) {
    sp_err e;
    if (check(cs[i].base, cs[i].ok, &e) != SP_OK)
      fail_msg("[%s] accepted case refused: %s: %s (%s)", cs[i].rule, e.field,
               e.msg, e.rule);
    if (check(cs[i].base, cs[i].bad, &e) == SP_OK)
      fail_msg("[%s] refused case accepted: %s", cs[i].rule, cs[i].bad);
    if (strcmp(e.rule, cs[i].rule) || strcmp(e.field, cs[i].field))
      fail_msg("[%s] expected %s on %s, got %s on %s: %s", cs[i].rule,
               cs[i].rule, cs[i].field, e.rule, e.field, e.msg);
    assert_true(strlen(e.msg) > 5);
  }
}

static void bases_accepted(void **st) {
  (void)st;
  const char *bases[] = {BASE_A, BASE_W, BASE_U, BASE_C, BASE_S, BASE_L};
  for (size_t i = 0; i < SP_ARRAY_LEN(bases); i++) {
    sp_err e;
    if (check(bases[i], "{}", &e) != SP_OK)
      fail_msg("base %zu refused: %s: %s (%s)", i, e.field, e.msg, e.rule);
  }
}

static const rule_case objective_cases[] = {
    {"SPC_REQUIRED", "campaign_name", BASE_A, "{}", "{\"campaign_name\":null}"},
    {"SPC_REQUIRED", "objective_type", BASE_A, "{}", "{\"objective_type\":null}"},
    {"SPC_REQUIRED", "promotion_type", BASE_A, "{}", "{\"promotion_type\":null}"},
    {"SPC_REQUIRED", "optimization_goal", BASE_A, "{}", "{\"optimization_goal\":null}"},
    {"SPC_REQUIRED", "billing_event", BASE_A, "{}", "{\"billing_event\":null}"},
    {"SPC_REQUIRED", "budget", BASE_A, "{}", "{\"budget\":null}"},
    {"SPC_REQUIRED", "schedule_type", BASE_A, "{}", "{\"schedule_type\":null}"},
    {"SPC_REQUIRED", "schedule_start_time", BASE_A, "{}", "{\"schedule_start_time\":null}"},
    {"SPC_REQUIRED", "advertiser_id", BASE_A, "{}", "{\"advertiser_id\":null}"},
    {"SPEC_ENUM", "objective_type", BASE_A, "{}", "{\"objective_type\":\"REACH\"}"},
    {"SPC_APP_PROMOTION_TYPE", "app_promotion_type", BASE_A, "{}",
     "{\"app_promotion_type\":null}"},
    {"SPC_APP_PROMOTION_TYPE", "app_promotion_type", BASE_W, "{}",
     "{\"app_promotion_type\":\"APP_INSTALL\"}"},
    {"SPC_APP_ID", "app_id", BASE_A, "{\"app_id\":\"x\"}", "{\"app_id\":null}"},
    {"SPC_PROMOTION_TYPE", "promotion_type", BASE_A,
     "{\"promotion_type\":\"APP_IOS\"}", "{\"promotion_type\":\"WEBSITE\"}"},
    {"SPC_PROMOTION_TYPE", "promotion_type", BASE_W, "{}",
     "{\"promotion_type\":\"APP_ANDROID\"}"},
    {"SPC_PROMOTION_TYPE", "promotion_type", BASE_L, "{}",
     "{\"promotion_type\":\"WEBSITE\"}"},
    {"SPC_PROMOTION_TARGET_TYPE", "promotion_target_type", BASE_L,
     "{\"promotion_target_type\":\"EXTERNAL_WEBSITE\"}",
     "{\"promotion_target_type\":null}"},
    {"SPC_PROMOTION_TARGET_TYPE", "promotion_target_type", BASE_A, "{}",
     "{\"promotion_target_type\":\"INSTANT_PAGE\"}"},
    {"SPC_TYPE_WEB_ONLY", "spc_type", BASE_A, "{\"spc_type\":\"UNSET\"}",
     "{\"spc_type\":\"WEB_ALL_IN_ONE\"}"},
    {"SPC_CATALOG_STATUS", "web_all_in_one_catalog_status", BASE_U,
     "{\"web_all_in_one_catalog_status\":\"UNSET\"}",
     "{\"web_all_in_one_catalog_status\":\"OPEN\"}"},
    {"SPC_WEB_GOAL", "optimization_goal", BASE_U,
     "{\"optimization_goal\":\"CLICK\",\"pixel_id\":null,\"optimization_event\":null}",
     "{\"optimization_goal\":\"TRAFFIC_LANDING_PAGE_VIEW\",\"pixel_id\":null,"
     "\"optimization_event\":null}"},
    {"SPC_WEB_GOAL", "optimization_goal", BASE_W,
     "{\"optimization_goal\":\"TRAFFIC_LANDING_PAGE_VIEW\",\"pixel_id\":null,"
     "\"optimization_event\":null}",
     "{\"optimization_goal\":\"INSTALL\",\"pixel_id\":null,\"optimization_event\":null}"},
    {"SPC_PROMOTION_WEBSITE_TYPE", "promotion_website_type", BASE_W,
     "{\"spc_type\":null,\"promotion_website_type\":\"TIKTOK_NATIVE_PAGE\","
     "\"pixel_id\":null}",
     "{\"promotion_website_type\":\"TIKTOK_NATIVE_PAGE\",\"pixel_id\":null}"},
    {"SPC_PROMOTION_WEBSITE_TYPE", "pixel_id", BASE_U,
     "{\"promotion_website_type\":\"TIKTOK_NATIVE_PAGE\",\"pixel_id\":null}",
     "{\"promotion_website_type\":\"TIKTOK_NATIVE_PAGE\"}"},
    {"SPC_SALES_DESTINATION", "sales_destination", BASE_W,
     "{\"virtual_objective_type\":\"SALES\",\"sales_destination\":\"WEBSITE\"}",
     "{\"virtual_objective_type\":\"SALES\"}"},
    {"SPC_SALES_DESTINATION", "sales_destination", BASE_W, "{}",
     "{\"sales_destination\":\"WEBSITE\"}"},
    {"SPC_WEB_AND_APP_CATALOG", "web_all_in_one_catalog_status", BASE_W,
     "{\"virtual_objective_type\":\"SALES\",\"sales_destination\":\"WEBSITE\"}",
     "{\"virtual_objective_type\":\"SALES\",\"sales_destination\":\"WEB_AND_APP\","
     "\"app_config\":[{\"app_id\":\"a\"}]}"},
    {"SPC_APP_CONFIG", "app_config", BASE_S, "{}", "{\"app_config\":null}"},
    {"SPC_APP_CONFIG", "app_config[1].app_id", BASE_S,
     "{\"app_config\":[{\"app_id\":\"a\"},{\"app_id\":\"b\"}]}",
     "{\"app_config\":[{\"app_id\":\"a\"},{}]}"},
    {"MAX_ITEMS", "app_config", BASE_S, "{}",
     "{\"app_config\":[{\"app_id\":\"a\"},{\"app_id\":\"b\"},{\"app_id\":\"c\"}]}"},
    {"SPC_APP_PROFILE_PAGE", "campaign_app_profile_page_state", BASE_A,
     "{\"campaign_type\":\"IOS14_CAMPAIGN\",\"promotion_type\":\"APP_IOS\","
     "\"campaign_app_profile_page_state\":\"ON\"}",
     "{\"campaign_app_profile_page_state\":\"ON\"}"},
    {"SPC_DISABLE_SKAN", "disable_skan_campaign", BASE_A,
     "{\"campaign_type\":\"IOS14_CAMPAIGN\",\"promotion_type\":\"APP_IOS\","
     "\"disable_skan_campaign\":false}",
     "{\"disable_skan_campaign\":false}"},
    {"SPC_SKAN_OR_ADVANCED", "disable_skan_campaign", BASE_A,
     "{\"campaign_type\":\"IOS14_CAMPAIGN\",\"promotion_type\":\"APP_IOS\","
     "\"disable_skan_campaign\":true,\"is_advanced_dedicated_campaign\":true}",
     "{\"campaign_type\":\"IOS14_CAMPAIGN\",\"promotion_type\":\"APP_IOS\","
     "\"disable_skan_campaign\":true}"},
};

static void objective_rules(void **st) {
  (void)st;
  run_cases(objective_cases, SP_ARRAY_LEN(objective_cases));
}

static const rule_case catalog_cases[] = {
    {"SPC_CATALOG_REQUIRED", "product_source", BASE_C, "{}", "{\"product_source\":null}"},
    {"SPC_CATALOG_REQUIRED", "catalog_id", BASE_C, "{}", "{\"catalog_id\":null}"},
    {"SPC_CATALOG_REQUIRED", "catalog_authorized_bc_id", BASE_C, "{}",
     "{\"catalog_authorized_bc_id\":null}"},
    {"SPC_CATALOG_REQUIRED", "product_specific_type", BASE_C, "{}",
     "{\"product_specific_type\":null}"},
    {"SPC_PRODUCT_SET_ID", "product_set_id", BASE_C,
     "{\"product_specific_type\":\"PRODUCT_SET\",\"product_set_id\":\"s1\"}",
     "{\"product_specific_type\":\"PRODUCT_SET\"}"},
    {"SPC_PRODUCT_IDS", "product_ids", BASE_C,
     "{\"product_specific_type\":\"CUSTOMIZED_PRODUCTS\",\"product_ids\":[\"p1\"]}",
     "{\"product_specific_type\":\"CUSTOMIZED_PRODUCTS\"}"},
    {"SPC_CATALOG_ONLY", "catalog_creative_toggle", BASE_W,
     "{\"catalog_creative_toggle\":false}", "{\"catalog_creative_toggle\":true}"},
    {"SPC_CATALOG_ONLY", "automatic_add_on_enabled", BASE_W,
     "{\"automatic_add_on_enabled\":false}", "{\"automatic_add_on_enabled\":true}"},
};

static void catalog_rules(void **st) {
  (void)st;
  run_cases(catalog_cases, SP_ARRAY_LEN(catalog_cases));
  /* product_ids: max size 20 */
  sp_arena *a = sp_arena_create();
  char ok[2048], bad[2048];
  snprintf(ok, sizeof ok,
           "{\"product_specific_type\":\"CUSTOMIZED_PRODUCTS\",\"product_ids\":%s}",
           items("\"p\"", 20, a));
  snprintf(bad, sizeof bad,
           "{\"product_specific_type\":\"CUSTOMIZED_PRODUCTS\",\"product_ids\":%s}",
           items("\"p\"", 21, a));
  rule_case c[] = {{"MAX_ITEMS", "product_ids", BASE_C, ok, bad}};
  run_cases(c, 1);
  sp_arena_destroy(a);
}

static const rule_case optimization_cases[] = {
    {"SPC_PIXEL_ID", "pixel_id", BASE_W, "{}", "{\"pixel_id\":null}"},
    {"SPC_PIXEL_ID", "pixel_id", BASE_W,
     "{\"optimization_goal\":\"CLICK\",\"pixel_id\":null,\"optimization_event\":null}",
     "{\"optimization_goal\":\"CLICK\"}"},
    {"SPC_PIXEL_ID", "pixel_id", BASE_A, "{}", "{\"pixel_id\":\"px\"}"},
    {"SPC_OPTIMIZATION_EVENT", "optimization_event", BASE_W, "{}",
     "{\"optimization_event\":null}"},
    {"SPEC_ENUM", "optimization_event", BASE_W, "{\"optimization_event\":\"ON_WEB_ORDER\"}",
     "{\"optimization_event\":\"BUY_SOMETHING\"}"},
    {"SPEC_ENUM", "deep_funnel_optimization_event", BASE_L,
     "{\"deep_funnel_optimization_status\":\"ON\",\"deep_funnel_event_source\":"
     "\"PIXEL\",\"deep_funnel_event_source_id\":\"p\","
     "\"deep_funnel_optimization_event\":\"SHOPPING\"}",
     "{\"deep_funnel_optimization_status\":\"ON\",\"deep_funnel_event_source\":"
     "\"PIXEL\",\"deep_funnel_event_source_id\":\"p\","
     "\"deep_funnel_optimization_event\":\"NOT_AN_EVENT\"}"},
    {"SPC_OPTIMIZATION_EVENT", "optimization_event", BASE_A,
     "{\"optimization_goal\":\"IN_APP_EVENT\",\"optimization_event\":\"ACTIVE_PAY\"}",
     "{\"optimization_goal\":\"IN_APP_EVENT\"}"},
    {"SPC_OPTIMIZATION_EVENT", "optimization_event", BASE_A,
     "{\"optimization_goal\":\"VALUE\",\"optimization_event\":\"ACTIVE_PAY\"}",
     "{\"optimization_goal\":\"VALUE\"}"},
    {"SPC_DEEP_FUNNEL_LEADGEN", "deep_funnel_optimization_status", BASE_W,
     "{\"deep_funnel_optimization_status\":\"OFF\"}",
     "{\"deep_funnel_optimization_status\":\"ON\",\"deep_funnel_event_source\":"
     "\"PIXEL\",\"deep_funnel_event_source_id\":\"p\","
     "\"deep_funnel_optimization_event\":\"SHOPPING\"}"},
    {"SPC_DEEP_FUNNEL_REQUIRED", "deep_funnel_event_source", BASE_L,
     "{\"deep_funnel_optimization_status\":\"ON\",\"deep_funnel_event_source\":"
     "\"PIXEL\",\"deep_funnel_event_source_id\":\"p\","
     "\"deep_funnel_optimization_event\":\"SHOPPING\"}",
     "{\"deep_funnel_optimization_status\":\"ON\",\"deep_funnel_event_source_id\":"
     "\"p\",\"deep_funnel_optimization_event\":\"SHOPPING\"}"},
    {"SPC_DEEP_FUNNEL_REQUIRED", "deep_funnel_event_source_id", BASE_L,
     "{\"deep_funnel_optimization_status\":\"OFF\"}",
     "{\"deep_funnel_optimization_status\":\"ON\",\"deep_funnel_event_source\":"
     "\"CRM\",\"deep_funnel_optimization_event\":\"SHOPPING\"}"},
    {"SPC_DEEP_FUNNEL_REQUIRED", "deep_funnel_optimization_event", BASE_L, "{}",
     "{\"deep_funnel_optimization_status\":\"ON\",\"deep_funnel_event_source\":"
     "\"OFFLINE\",\"deep_funnel_event_source_id\":\"o\"}"},
    {"SPC_BID_PRICE_REQUIRED", "bid_price", BASE_W,
     "{\"optimization_goal\":\"CLICK\",\"pixel_id\":null,\"optimization_event\":null,"
     "\"bid_type\":\"BID_TYPE_CUSTOM\",\"bid_price\":1.5}",
     "{\"optimization_goal\":\"CLICK\",\"pixel_id\":null,\"optimization_event\":null,"
     "\"bid_type\":\"BID_TYPE_CUSTOM\"}"},
    {"SPC_CONVERSION_BID_PRICE_REQUIRED", "conversion_bid_price", BASE_W,
     "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":10}",
     "{\"bid_type\":\"BID_TYPE_CUSTOM\"}"},
    {"SPC_CONVERSION_BID_PRICE_REQUIRED", "conversion_bid_price", BASE_W,
     "{\"optimization_goal\":\"TRAFFIC_LANDING_PAGE_VIEW\",\"pixel_id\":null,"
     "\"optimization_event\":null,\"bid_type\":\"BID_TYPE_CUSTOM\","
     "\"conversion_bid_price\":2}",
     "{\"optimization_goal\":\"TRAFFIC_LANDING_PAGE_VIEW\",\"pixel_id\":null,"
     "\"optimization_event\":null,\"bid_type\":\"BID_TYPE_CUSTOM\"}"},
    {"SPC_BID_BELOW_BUDGET", "conversion_bid_price", BASE_W,
     "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":99.99}",
     "{\"bid_type\":\"BID_TYPE_CUSTOM\",\"conversion_bid_price\":100}"},
    {"SPC_BID_BELOW_BUDGET", "bid_price", BASE_W,
     "{\"optimization_goal\":\"CLICK\",\"pixel_id\":null,\"optimization_event\":null,"
     "\"bid_type\":\"BID_TYPE_CUSTOM\",\"bid_price\":50}",
     "{\"optimization_goal\":\"CLICK\",\"pixel_id\":null,\"optimization_event\":null,"
     "\"bid_type\":\"BID_TYPE_CUSTOM\",\"bid_price\":150}"},
    {"SPC_VO_MIN_ROAS_WEB", "deep_bid_type", BASE_A,
     "{\"deep_bid_type\":\"VO_HIGHEST_VALUE\"}",
     "{\"deep_bid_type\":\"VO_MIN_ROAS\",\"roas_bid\":2}"},
    {"SPC_ROAS_BID_REQUIRED", "roas_bid", BASE_W,
     "{\"optimization_goal\":\"VALUE\",\"deep_bid_type\":\"VO_MIN_ROAS\",\"roas_bid\":2}",
     "{\"optimization_goal\":\"VALUE\",\"deep_bid_type\":\"VO_MIN_ROAS\"}"},
    {"RANGE", "roas_bid", BASE_W,
     "{\"optimization_goal\":\"VALUE\",\"deep_bid_type\":\"VO_MIN_ROAS\",\"roas_bid\":0.01}",
     "{\"optimization_goal\":\"VALUE\",\"deep_bid_type\":\"VO_MIN_ROAS\",\"roas_bid\":1000.5}"},
    {"RANGE", "roas_bid", BASE_W,
     "{\"optimization_goal\":\"VALUE\",\"deep_bid_type\":\"VO_MIN_ROAS\",\"roas_bid\":1000}",
     "{\"optimization_goal\":\"VALUE\",\"deep_bid_type\":\"VO_MIN_ROAS\",\"roas_bid\":0.001}"},
    {"SPC_ATTRIBUTION_TOGETHER", "view_attribution_window", BASE_W,
     "{\"click_attribution_window\":\"SEVEN_DAYS\",\"view_attribution_window\":\"OFF\"}",
     "{\"click_attribution_window\":\"SEVEN_DAYS\"}"},
    {"SPC_ATTRIBUTION_TOGETHER", "click_attribution_window", BASE_W,
     "{\"click_attribution_window\":\"ONE_DAY\",\"view_attribution_window\":"
     "\"ONE_DAY\",\"engaged_view_attribution_window\":\"SEVEN_DAYS\"}",
     "{\"engaged_view_attribution_window\":\"SEVEN_DAYS\"}"},
    {"SPEC_ENUM", "view_attribution_window", BASE_W,
     "{\"click_attribution_window\":\"OFF\",\"view_attribution_window\":\"SEVEN_DAYS\"}",
     "{\"click_attribution_window\":\"OFF\",\"view_attribution_window\":\"FOURTEEN_DAYS\"}"},
};

static void optimization_rules(void **st) {
  (void)st;
  run_cases(optimization_cases, SP_ARRAY_LEN(optimization_cases));
}

static const rule_case targeting_cases[] = {
    {"SPC_LOCATION_IDS", "location_ids", BASE_A, "{\"location_ids\":[\"1\",\"2\"]}",
     "{\"location_ids\":null}"},
    {"SPC_LOCATION_IDS", "location_ids", BASE_A, "{}", "{\"location_ids\":[]}"},
    {"SPC_AUDIENCE_AGE_25", "spc_audience_age", BASE_A,
     "{\"spc_audience_age\":\"18+\"}", "{\"spc_audience_age\":\"25+\"}"},
    {"SPC_AUDIENCE_AGE_25", "spc_audience_age", BASE_W,
     "{}", "{\"spc_audience_age\":\"25+\"}"},
    {"SPEC_ENUM", "spc_audience_age", BASE_L, "{\"spc_audience_age\":\"25+\"}",
     "{\"spc_audience_age\":\"35+\"}"},
    {"SPC_UNDER_18", "exclude_age_under_eighteen", BASE_A,
     "{\"exclude_age_under_eighteen\":true}", "{\"exclude_age_under_eighteen\":false}"},
    {"SPC_LEADGEN_PLACEMENT", "placement_type", BASE_L,
     "{\"placement_type\":\"PLACEMENT_TYPE_NORMAL\"}",
     "{\"placement_type\":\"PLACEMENT_TYPE_AUTOMATIC\"}"},
    {"SPC_LEADGEN_PLACEMENT", "placements", BASE_L,
     "{\"placements\":[\"PLACEMENT_TIKTOK\"]}",
     "{\"placements\":[\"PLACEMENT_TIKTOK\",\"PLACEMENT_PANGLE\"]}"},
    {"SPC_BLOCKED_PANGLE", "blocked_pangle_app_ids", BASE_L, "{}",
     "{\"blocked_pangle_app_ids\":[\"com.x\"]}"},
    {"SPC_LEADGEN_BUDGET_MODE", "budget_mode", BASE_L, "{}",
     "{\"budget_mode\":\"BUDGET_MODE_DAY\"}"},
    {"SPC_LEADGEN_BUDGET_MODE", "budget_mode", BASE_L, "{}",
     "{\"budget_mode\":null}"},
    {"SPC_BUDGET_POSITIVE", "budget", BASE_A, "{\"budget\":0.5}", "{\"budget\":0}"},
    {"SPC_SCHEDULE_END_REQUIRED", "schedule_end_time", BASE_A,
     "{\"schedule_type\":\"SCHEDULE_FROM_NOW\",\"schedule_end_time\":null}",
     "{\"schedule_end_time\":null}"},
    {"SPC_SCHEDULE_START", "schedule_start_time", BASE_A,
     "{\"schedule_start_time\":\"2026-02-28 12:00:00\"}",
     "{\"schedule_start_time\":\"2026-02-28 11:59:59\"}"},
    {"SPC_SCHEDULE_START", "schedule_start_time", BASE_A,
     "{\"schedule_start_time\":\"2028-01-01 00:00:00\",\"schedule_end_time\":"
     "\"2028-02-01 00:00:00\"}",
     "{\"schedule_start_time\":\"2028-01-01 00:00:01\",\"schedule_end_time\":"
     "\"2028-02-01 00:00:00\"}"},
    {"SPC_SCHEDULE_END", "schedule_end_time", BASE_A,
     "{\"schedule_end_time\":\"2038-01-01 00:00:00\"}",
     "{\"schedule_end_time\":\"2038-01-01 00:00:01\"}"},
    {"SPC_SCHEDULE_END", "schedule_end_time", BASE_A,
     "{\"schedule_end_time\":\"2026-03-01 00:00:01\"}",
     "{\"schedule_end_time\":\"2026-03-01 00:00:00\"}"},
    {"TIME_FORMAT", "schedule_start_time", BASE_A, "{}",
     "{\"schedule_start_time\":\"2026-03-01T00:00:00Z\"}"},
    {"SPC_DAYPARTING", "dayparting", BASE_A, "{\"dayparting\":\"" ONES336 "\"}",
     "{\"dayparting\":\"" ONES336 "1\"}"},
    {"SPC_DAYPARTING", "dayparting", BASE_A, "{\"dayparting\":\"0" ONES48 ONES48
     ONES48 ONES48 ONES48 ONES48 "11111111111111111111111111111111111111111111111\"}",
     "{\"dayparting\":\"2" ONES48 ONES48 ONES48 ONES48 ONES48 ONES48
     "11111111111111111111111111111111111111111111111\"}"},
};

static void targeting_rules(void **st) {
  (void)st;
  run_cases(targeting_cases, SP_ARRAY_LEN(targeting_cases));
}

static const rule_case media_cases[] = {
    {"SPC_MEDIA_REQUIRED", "media_info_list", BASE_A, "{}",
     "{\"media_info_list\":[]}"},
    {"SPC_MEDIA_REQUIRED", "media_info_list[0].media_info", BASE_A, "{}",
     "{\"media_info_list\":[{}]}"},
    {"SPC_VIDEO_ID", "media_info_list[0].media_info.video_info.video_id", BASE_A,
     "{}",
     "{\"media_info_list\":[" MEDIA("{\"video_info\":{\"file_name\":\"f\"},"
                                    "\"image_info\":[{\"web_uri\":\"w\"}]}") "]}"},
    {"SPC_WEB_URI", "media_info_list[0].media_info.image_info[0].web_uri", BASE_A,
     "{}",
     "{\"media_info_list\":[" MEDIA("{\"video_info\":{\"video_id\":\"v\"},"
                                    "\"image_info\":[{}]}") "]}"},
    {"SPC_MUSIC_ID", "media_info_list[0].media_info.music_info.music_id", BASE_W,
     "{\"media_info_list\":[" MEDIA(CAROUSEL_OK) "]}",
     "{\"media_info_list\":[" MEDIA("{\"image_info\":[{\"web_uri\":\"a\"}],"
                                    "\"music_info\":{}}") "]}"},
    {"SPC_MEDIA_CONTENT", "media_info_list[0].media_info.video_info", BASE_A, "{}",
     "{\"media_info_list\":[" MEDIA("{}") "]}"},
    {"SPC_VIDEO_COVER", "media_info_list[0].media_info.image_info", BASE_A, "{}",
     "{\"media_info_list\":[" MEDIA("{\"video_info\":{\"video_id\":\"v\"}}") "]}"},
    {"SPC_CAROUSEL_WEB_ONLY", "media_info_list[0].media_info.image_info", BASE_A,
     "{}", "{\"media_info_list\":[" MEDIA(CAROUSEL_OK) "]}"},
    {"SPC_CAROUSEL_MUSIC", "media_info_list[0].media_info.music_info", BASE_W,
     "{\"media_info_list\":[" MEDIA(CAROUSEL_OK) "]}",
     "{\"media_info_list\":[" MEDIA(CAROUSEL_NOMUSIC) "]}"},
    {"SPC_CAROUSEL_MUSIC", "media_info_list[0].media_info.music_info", BASE_C,
     "{\"catalog_creative_toggle\":true,\"media_info_list\":[" MEDIA(
         "{\"video_info\":{\"video_id\":\"v\"},\"image_info\":[{\"web_uri\":\"w\"}],"
         "\"music_info\":{\"music_id\":\"m\"}}") "]}",
     "{\"catalog_creative_toggle\":true}"},
    {"SPC_SPARK_PULL", "media_info_list[0].media_info.video_info", BASE_A,
     "{\"media_info_list\":[" MEDIA("{\"tiktok_item_id\":\"t1\",\"identity_type\":"
                                    "\"TT_USER\",\"identity_id\":\"u\"}") "]}",
     "{\"media_info_list\":[" MEDIA("{\"tiktok_item_id\":\"t1\",\"identity_type\":"
                                    "\"TT_USER\",\"identity_id\":\"u\","
                                    "\"video_info\":{\"video_id\":\"v\"}}") "]}"},
    {"SPC_SPARK_IDENTITY", "media_info_list[0].media_info.identity_type", BASE_A,
     "{\"media_info_list\":[" MEDIA("{\"tiktok_item_id\":\"t1\",\"identity_type\":"
                                    "\"AUTH_CODE\",\"identity_id\":\"u\"}") "]}",
     "{\"media_info_list\":[" MEDIA("{\"tiktok_item_id\":\"t1\"}") "]}"},
    {"SPC_SPARK_IDENTITY", "media_info_list[0].media_info.identity_authorized_bc_id",
     BASE_A,
     "{\"media_info_list\":[" MEDIA("{\"tiktok_item_id\":\"t1\",\"identity_type\":"
                                    "\"BC_AUTH_TT\",\"identity_id\":\"u\","
                                    "\"identity_authorized_bc_id\":\"bc\"}") "]}",
     "{\"media_info_list\":[" MEDIA("{\"tiktok_item_id\":\"t1\",\"identity_type\":"
                                    "\"BC_AUTH_TT\",\"identity_id\":\"u\"}") "]}"},
    {"SPEC_ENUM", "media_info_list[0].media_info.identity_type", BASE_A, "{}",
     "{\"media_info_list\":[" MEDIA("{\"tiktok_item_id\":\"t1\",\"identity_type\":"
                                    "\"CUSTOMIZED_USER\",\"identity_id\":\"u\"}") "]}"},
    {"SPC_DARK_POST", "media_info_list[0].media_info.dark_post_status", BASE_A,
     "{\"media_info_list\":[" MEDIA("{\"video_info\":{\"video_id\":\"v\"},"
                                    "\"image_info\":[{\"web_uri\":\"w\"}],"
                                    "\"identity_type\":\"TT_USER\",\"identity_id\":"
                                    "\"u\",\"dark_post_status\":\"ON\"}") "]}",
     "{\"media_info_list\":[" MEDIA("{\"video_info\":{\"video_id\":\"v\"},"
                                    "\"image_info\":[{\"web_uri\":\"w\"}],"
                                    "\"dark_post_status\":\"ON\"}") "]}"},
    {"SPC_AIGC", "media_info_list[0].media_info.aigc_disclosure_type", BASE_A,
     "{\"media_info_list\":[" MEDIA("{\"video_info\":{\"video_id\":\"v\"},"
                                    "\"image_info\":[{\"web_uri\":\"w\"}],"
                                    "\"aigc_disclosure_type\":\"SELF_DISCLOSURE\"}") "]}",
     "{\"media_info_list\":[" MEDIA("{\"tiktok_item_id\":\"t1\",\"identity_type\":"
                                    "\"TT_USER\",\"identity_id\":\"u\","
                                    "\"aigc_disclosure_type\":\"SELF_DISCLOSURE\"}") "]}"},
    {"SPC_IDENTITY", "identity_id", BASE_A,
     "{\"identity_id\":null,\"media_info_list\":[" MEDIA(
         "{\"tiktok_item_id\":\"t1\",\"identity_type\":\"TT_USER\",\"identity_id\":"
         "\"u\"}") "]}",
     "{\"identity_id\":null}"},
    {"SPC_TITLE", "title_list[1].title", BASE_A,
     "{\"title_list\":[{\"title\":\"a\"},{\"title\":\"b\"}]}",
     "{\"title_list\":[{\"title\":\"a\"},{}]}"},
    {"SPC_CTA_LEADGEN", "call_to_action_list", BASE_L, "{\"call_to_action_list\":[]}",
     "{\"call_to_action_list\":[{\"call_to_action\":\"LEARN_MORE\"}]}"},
    {"SPEC_ENUM", "call_to_action_list[0].call_to_action", BASE_A,
     "{\"call_to_action_list\":[{\"call_to_action\":\"DOWNLOAD_NOW\"}]}",
     "{\"call_to_action_list\":[{\"call_to_action\":\"CLICK_HERE_PLS\"}]}"},
    {"SPC_CTA", "call_to_action_list[0].call_to_action", BASE_A,
     "{\"call_to_action_list\":[{\"call_to_action\":\"LEARN_MORE\"}]}",
     "{\"call_to_action_list\":[{}]}"},
    {"SPC_DEEPLINK_PAIR", "deeplink_type", BASE_A,
     "{\"deeplink\":\"app://x\",\"deeplink_type\":\"DEFERRED_DEEPLINK\"}",
     "{\"deeplink\":\"app://x\"}"},
    {"SPC_DEEPLINK_PAIR", "deeplink", BASE_A, "{}",
     "{\"deeplink_type\":\"DEFERRED_DEEPLINK\"}"},
    {"MAX_ITEMS", "card_list", BASE_A, "{\"card_list\":[{\"card_id\":\"c\"}]}",
     "{\"card_list\":[{\"card_id\":\"c\"},{\"card_id\":\"d\"}]}"},
    {"MAX_ITEMS", "page_list", BASE_A, "{\"page_list\":[{\"page_id\":\"c\"}]}",
     "{\"page_list\":[{\"page_id\":\"c\"},{\"page_id\":\"d\"}]}"},
};

static void media_rules(void **st) {
  (void)st;
  run_cases(media_cases, SP_ARRAY_LEN(media_cases));
  /* media_info_list: max size 30; carousel images: 1 to 35 */
  sp_arena *a = sp_arena_create();
  size_t cap = 16384;
  char *ok = sp_arena_alloc(a, cap), *bad = sp_arena_alloc(a, cap);
  snprintf(ok, cap, "{\"media_info_list\":%s}", items(MEDIA(VID("v")), 30, a));
  snprintf(bad, cap, "{\"media_info_list\":%s}", items(MEDIA(VID("v")), 31, a));
  rule_case c1[] = {{"MAX_ITEMS", "media_info_list", BASE_A, ok, bad}};
  run_cases(c1, 1);
  char *ok2 = sp_arena_alloc(a, cap), *bad2 = sp_arena_alloc(a, cap);
  snprintf(ok2, cap,
           "{\"media_info_list\":[{\"media_info\":{\"image_info\":%s,"
           "\"music_info\":{\"music_id\":\"m\"}}}]}",
           items("{\"web_uri\":\"w\"}", 35, a));
  snprintf(bad2, cap,
           "{\"media_info_list\":[{\"media_info\":{\"image_info\":%s,"
           "\"music_info\":{\"music_id\":\"m\"}}}]}",
           items("{\"web_uri\":\"w\"}", 36, a));
  rule_case c2[] = {
      {"MAX_ITEMS", "media_info_list[0].media_info.image_info", BASE_W, ok2, bad2}};
  run_cases(c2, 1);
  sp_arena_destroy(a);
}

#define P_OK "{\"discount_type\":\"PERCENTAGE\",\"discount_value\":10}"

static const rule_case promo_cases[] = {
    {"SPC_PROMO_REGULAR_WEB", "promo_info_list", BASE_W, PROMO(P_OK),
     "{\"spc_type\":null,\"promo_info_list\":[" P_OK "]}"},
    {"SPC_PROMO_REGULAR_WEB", "promo_info_list", BASE_C, "{}", PROMO(P_OK)},
    {"SPC_PROMO_DISCOUNT", "promo_info_list[0].discount_type", BASE_W, PROMO(P_OK),
     PROMO("{\"discount_value\":10}")},
    {"SPC_PROMO_DISCOUNT", "promo_info_list[0].discount_value", BASE_W, PROMO(P_OK),
     PROMO("{\"discount_type\":\"PERCENTAGE\"}")},
    {"SPC_PROMO_DISCOUNT", "promo_info_list[0].discount_value", BASE_W,
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":100}"),
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":101}")},
    {"SPC_PROMO_DISCOUNT", "promo_info_list[0].discount_value", BASE_W,
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":1}"),
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":12.5}")},
    {"SPC_PROMO_DISCOUNT", "promo_info_list[0].discount_value", BASE_W,
     PROMO("{\"discount_type\":\"CASH\",\"discount_value\":0.5,\"discount_currency\":\"USD\"}"),
     PROMO("{\"discount_type\":\"CASH\",\"discount_value\":0,\"discount_currency\":\"USD\"}")},
    {"SPC_PROMO_CURRENCY", "promo_info_list[0].discount_currency", BASE_W,
     PROMO("{\"discount_type\":\"CASH\",\"discount_value\":5,\"discount_currency\":\"ZAR\"}"),
     PROMO("{\"discount_type\":\"CASH\",\"discount_value\":5}")},
    {"SPEC_ENUM", "promo_info_list[0].discount_currency", BASE_W,
     PROMO("{\"discount_type\":\"CASH\",\"discount_value\":5,\"discount_currency\":\"AED\"}"),
     PROMO("{\"discount_type\":\"CASH\",\"discount_value\":5,\"discount_currency\":\"XXX\"}")},
    {"SPC_PROMO_CODE", "promo_info_list[0].promo_code", BASE_W,
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,\"promo_code\":\"SAVE5\"}"),
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,\"promo_code\":"
           "\"SAVE\xF0\x9F\x98\x80\"}")},
    {"MAX_LENGTH", "promo_info_list[0].promo_code", BASE_W,
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,\"promo_code\":"
           "\"123456789012345678901234567890\"}"),
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,\"promo_code\":"
           "\"1234567890123456789012345678901\"}")},
    /* CJK characters count two: 15 fit, 16 do not */
    {"MAX_LENGTH", "promo_info_list[0].promo_code", BASE_W,
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,\"promo_code\":"
           "\"\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81"
           "\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81"
           "\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81\"}"),
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,\"promo_code\":"
           "\"\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81"
           "\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81"
           "\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81\xE7\xA0\x81"
           "\xE7\xA0\x81\"}")},
    {"SPC_PROMO_MIN_PURCHASE", "promo_info_list[0].minimum_purchase_value", BASE_W,
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,"
           "\"minimum_purchase_type\":\"QUANTITY\",\"minimum_purchase_value\":0}"),
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,"
           "\"minimum_purchase_type\":\"QUANTITY\"}")},
    {"SPC_PROMO_MIN_PURCHASE", "promo_info_list[0].minimum_purchase_value", BASE_W,
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,"
           "\"minimum_purchase_type\":\"QUANTITY\",\"minimum_purchase_value\":3}"),
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,"
           "\"minimum_purchase_type\":\"QUANTITY\",\"minimum_purchase_value\":2.5}")},
    {"SPC_PROMO_MIN_PURCHASE", "promo_info_list[0].minimum_purchase_value", BASE_W,
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,"
           "\"minimum_purchase_type\":\"SUBTOTAL\",\"minimum_purchase_value\":0.5,"
           "\"minimum_purchase_currency\":\"EUR\"}"),
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,"
           "\"minimum_purchase_type\":\"SUBTOTAL\",\"minimum_purchase_value\":0,"
           "\"minimum_purchase_currency\":\"EUR\"}")},
    {"SPC_PROMO_CURRENCY", "promo_info_list[0].minimum_purchase_currency", BASE_W,
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,"
           "\"minimum_purchase_type\":\"SUBTOTAL\",\"minimum_purchase_value\":20,"
           "\"minimum_purchase_currency\":\"JPY\"}"),
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,"
           "\"minimum_purchase_type\":\"SUBTOTAL\",\"minimum_purchase_value\":20}")},
    {"SPC_PROMO_VALID_TIME", "promo_info_list[0].valid_start_time", BASE_W,
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,"
           "\"valid_start_time\":\"2026-03-01 00:00:00\",\"valid_end_time\":"
           "\"2026-03-02 00:00:00\"}"),
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,"
           "\"valid_end_time\":\"2026-03-02 00:00:00\"}")},
    {"SPC_PROMO_VALID_TIME", "promo_info_list[0].valid_end_time", BASE_W,
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,"
           "\"valid_start_time\":\"2026-02-01 00:00:00\",\"valid_end_time\":"
           "\"2026-03-01 00:00:01\"}"),
     PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,"
           "\"valid_start_time\":\"2026-02-01 00:00:00\",\"valid_end_time\":"
           "\"2026-03-01 00:00:00\"}")},
};

static void promo_rules(void **st) {
  (void)st;
  run_cases(promo_cases, SP_ARRAY_LEN(promo_cases));
  sp_arena *a = sp_arena_create();
  char ok[4096], bad[4096];
  snprintf(ok, sizeof ok, "{\"promo_info_list\":%s}", items(P_OK, 10, a));
  snprintf(bad, sizeof bad, "{\"promo_info_list\":%s}", items(P_OK, 11, a));
  rule_case c[] = {{"MAX_ITEMS", "promo_info_list", BASE_W, ok, bad}};
  run_cases(c, 1);
  sp_arena_destroy(a);
}

#define LP(u, extra) "{\"landing_page_url\":\"" u "\"" extra "}"
#define TWO_VIDEOS "\"media_info_list\":[" MEDIA(VID("v1")) "," MEDIA(VID("v2")) "]"

static const rule_case landing_cases[] = {
    {"SPC_LANDING_PAGE_URL", "landing_page_urls[0].landing_page_url", BASE_W,
     "{\"landing_page_urls\":[" LP("https://x", "") "]}",
     "{\"landing_page_urls\":[{}]}"},
    /* single mode: 0 to 1 URL, no video_id; multiple mode: web UNSET only */
    {"SPC_LANDING_PAGE_MODE", "landing_page_urls", BASE_W,
     "{\"landing_page_urls\":[]}",
     "{\"landing_page_urls\":[" LP("https://a", "") "," LP("https://b", "") "]}"},
    {"SPC_LANDING_PAGE_MODE", "landing_page_urls", BASE_W, "{}",
     "{\"landing_page_urls\":[" LP("https://a", ",\"video_id\":\"v1\"") "]}"},
    {"SPC_LANDING_PAGE_MODE", "landing_page_urls", BASE_U,
     "{" TWO_VIDEOS ",\"landing_page_urls\":[" LP("https://a", ",\"video_id\":\"v1\"")
     "," LP("https://b", ",\"video_id\":\"v2\"") "]}",
     "{" TWO_VIDEOS ",\"landing_page_urls\":[" LP("https://a", ",\"video_id\":\"v1\"")
     "]}"},
    {"SPC_LANDING_PAGE_MODE", "landing_page_urls[1]", BASE_U,
     "{" TWO_VIDEOS ",\"landing_page_urls\":[" LP("https://a", ",\"video_id\":\"v2\"")
     "," LP("https://b", ",\"video_id\":\"v1\"") "]}",
     "{" TWO_VIDEOS ",\"landing_page_urls\":[" LP("https://a", ",\"video_id\":\"v1\"")
     "," LP("https://b", ",\"video_id\":\"v9\"") "]}"},
    {"SPC_UTM_WEB", "utm_params", BASE_A, "{}",
     "{\"utm_params\":[{\"key\":\"utm_source\",\"value\":\"tiktok\"}]}"},
    {"SPC_UTM_PAIR", "utm_params[0].value", BASE_W,
     "{\"utm_params\":[{\"key\":\"utm_source\",\"value\":\"tiktok\"}]}",
     "{\"utm_params\":[{\"key\":\"utm_source\"}]}"},
    {"SPC_UTM_MACRO", "utm_params[0].value", BASE_W,
     "{\"utm_params\":[{\"key\":\"utm_campaign\",\"value\":\"__CAMPAIGN_NAME__\"},"
     "{\"key\":\"p\",\"value\":\"__PLACEMENT__\"},{\"key\":\"a\",\"value\":\"__AID__\"},"
     "{\"key\":\"b\",\"value\":\"__AID_NAME__\"},{\"key\":\"c\",\"value\":\"__CID__\"},"
     "{\"key\":\"d\",\"value\":\"__CID_NAME__\"},{\"key\":\"e\",\"value\":\"__CAMPAIGN_ID__\"}]}",
     "{\"utm_params\":[{\"key\":\"utm_campaign\",\"value\":\"__ADVERTISER_ID__\"}]}"},
    {"SPC_DISCLAIMER_WEB_AND_APP", "disclaimer_info", BASE_C, "{}",
     "{\"disclaimer_info\":{\"disclaimer_type\":\"TEXT_ONLY\",\"disclaimer_text\":"
     "{\"text\":\"t\"}}}"},
    {"SPC_DISCLAIMER", "disclaimer_info.disclaimer_text", BASE_S,
     "{\"disclaimer_info\":{\"disclaimer_type\":\"TEXT_ONLY\",\"disclaimer_text\":"
     "{\"text\":\"t\"}}}",
     "{\"disclaimer_info\":{\"disclaimer_type\":\"TEXT_ONLY\"}}"},
    {"SPC_DISCLAIMER", "disclaimer_info.disclaimer_clickable_texts", BASE_S,
     "{\"disclaimer_info\":{\"disclaimer_type\":\"TEXT_LINK\","
     "\"disclaimer_clickable_texts\":[{\"text\":\"a\",\"url\":\"https://a\"}]}}",
     "{\"disclaimer_info\":{\"disclaimer_type\":\"TEXT_LINK\"}}"},
    {"MAX_LENGTH", "disclaimer_info.disclaimer_text.text", BASE_S,
     "{\"disclaimer_info\":{\"disclaimer_type\":\"TEXT_ONLY\",\"disclaimer_text\":"
     "{\"text\":\"123456789012345678901234567890123456789012345678901234567890"
     "123456789012345678901234567890\"}}}",
     "{\"disclaimer_info\":{\"disclaimer_type\":\"TEXT_ONLY\",\"disclaimer_text\":"
     "{\"text\":\"123456789012345678901234567890123456789012345678901234567890"
     "1234567890123456789012345678901\"}}}"},
    {"MAX_LENGTH", "disclaimer_info.disclaimer_clickable_texts[0].text", BASE_S,
     "{\"disclaimer_info\":{\"disclaimer_type\":\"TEXT_LINK\","
     "\"disclaimer_clickable_texts\":[{\"text\":\"1234567890123456789012345678901234567890\","
     "\"url\":\"https://a\"}]}}",
     "{\"disclaimer_info\":{\"disclaimer_type\":\"TEXT_LINK\","
     "\"disclaimer_clickable_texts\":[{\"text\":\"12345678901234567890123456789012345678901\","
     "\"url\":\"https://a\"}]}}"},
    {"SPC_DISCLAIMER_TOTAL", "disclaimer_info.disclaimer_clickable_texts", BASE_S,
     "{\"disclaimer_info\":{\"disclaimer_type\":\"TEXT_LINK\","
     "\"disclaimer_clickable_texts\":[{\"text\":\"12345678901234567890\",\"url\":\"https://a\"},"
     "{\"text\":\"12345678901234567890\",\"url\":\"https://b\"}]}}",
     "{\"disclaimer_info\":{\"disclaimer_type\":\"TEXT_LINK\","
     "\"disclaimer_clickable_texts\":[{\"text\":\"12345678901234567890\",\"url\":\"https://a\"},"
     "{\"text\":\"123456789012345678901\",\"url\":\"https://b\"}]}}"},
    {"MAX_ITEMS", "disclaimer_info.disclaimer_clickable_texts", BASE_S,
     "{\"disclaimer_info\":{\"disclaimer_type\":\"TEXT_LINK\","
     "\"disclaimer_clickable_texts\":[{\"text\":\"a\",\"url\":\"u\"},{\"text\":\"b\","
     "\"url\":\"u\"},{\"text\":\"c\",\"url\":\"u\"}]}}",
     "{\"disclaimer_info\":{\"disclaimer_type\":\"TEXT_LINK\","
     "\"disclaimer_clickable_texts\":[{\"text\":\"a\",\"url\":\"u\"},{\"text\":\"b\","
     "\"url\":\"u\"},{\"text\":\"c\",\"url\":\"u\"},{\"text\":\"d\",\"url\":\"u\"}]}}"},
    {"SPC_TRACKING_APP_WEB", "tracking_app_id", BASE_A,
     "{\"impression_tracking_url\":\"https://i\"}", "{\"tracking_app_id\":\"a1\"}"},
    {"SPC_APP_TRACKING", "app_tracking_info_list", BASE_C, "{}",
     "{\"app_tracking_info_list\":[{\"app_type\":\"APP_IOS\",\"app_id\":\"a\","
     "\"click_tracking_url\":\"https://c\"}]}"},
    {"SPC_APP_TRACKING", "app_tracking_info_list[0].impression_tracking_url", BASE_S,
     "{\"app_tracking_info_list\":[{\"app_type\":\"APP_IOS\",\"app_id\":\"a\","
     "\"click_tracking_url\":\"https://c\"}]}",
     "{\"app_tracking_info_list\":[{\"app_type\":\"APP_IOS\",\"app_id\":\"a\"}]}"},
};

static void landing_utm_disclaimer_rules(void **st) {
  (void)st;
  run_cases(landing_cases, SP_ARRAY_LEN(landing_cases));
  sp_arena *a = sp_arena_create();
  char ok[4096], bad[4096];
  snprintf(ok, sizeof ok, "{\"utm_params\":%s}",
           items("{\"key\":\"k\",\"value\":\"v\"}", 14, a));
  snprintf(bad, sizeof bad, "{\"utm_params\":%s}",
           items("{\"key\":\"k\",\"value\":\"v\"}", 15, a));
  rule_case c[] = {{"MAX_ITEMS", "utm_params", BASE_W, ok, bad}};
  run_cases(c, 1);
  /* custom key up to 100 characters, custom value up to 600 */
  char k100[101], v600[601];
  memset(k100, 'k', 100);
  k100[100] = 0;
  memset(v600, 'v', 600);
  v600[600] = 0;
  char *ok2 = sp_arena_printf(a, "{\"utm_params\":[{\"key\":\"%s\",\"value\":\"%s\"}]}",
                              k100, v600);
  char *badk = sp_arena_printf(a, "{\"utm_params\":[{\"key\":\"%sk\",\"value\":\"v\"}]}",
                               k100);
  char *badv = sp_arena_printf(a, "{\"utm_params\":[{\"key\":\"k\",\"value\":\"%sv\"}]}",
                               v600);
  rule_case c2[] = {{"MAX_LENGTH", "utm_params[0].key", BASE_W, ok2, badk},
                    {"MAX_LENGTH", "utm_params[0].value", BASE_W, ok2, badv}};
  run_cases(c2, 2);
  sp_arena_destroy(a);
}

/* ---- update: set-once fields, the US location ---- */
static spc *decode(const char *json, sp_arena *a) {
  json_t *j = json_loads(json, 0, NULL);
  assert_non_null(j);
  spc *r = sp_arena_alloc(a, sizeof *r);
  sp_err e;
  if (sp_decode(&spc_schema, j, r, 0, a, "", &e) != SP_OK)
    fail_msg("decode: %s %s", e.field, e.msg);
  json_decref(j);
  return r;
}

static void update_rules(void **st) {
  (void)st;
  sp_arena *a = sp_arena_create();
  spc *old = decode(BASE_W, a);
  spc_defaults(old);
  sp_err e;
  struct { const char *ok, *bad, *field, *rule; } cs[] = {
      {"{\"spc_type\":\"WEB_ALL_IN_ONE\"}", "{\"spc_type\":\"UNSET\"}", "spc_type",
       "SPC_UPDATE_IMMUTABLE"},
      {"{\"budget\":300}", "{\"budget_mode\":\"BUDGET_MODE_DAY\"}", "budget_mode",
       "SPC_UPDATE_IMMUTABLE"},
      {"{\"campaign_name\":\"n\"}", "{\"click_attribution_window\":\"ONE_DAY\"}",
       "click_attribution_window", "SPC_UPDATE_IMMUTABLE"},
      {"{\"video_download_disabled\":false}", "{\"video_download_disabled\":true}",
       "video_download_disabled", "SPC_UPDATE_IMMUTABLE"},
      {"{\"is_advanced_dedicated_campaign\":false}",
       "{\"is_advanced_dedicated_campaign\":true}", "is_advanced_dedicated_campaign",
       "SPC_UPDATE_IMMUTABLE"},
      {"{\"placement_type\":\"PLACEMENT_TYPE_AUTOMATIC\"}",
       "{\"placement_type\":\"PLACEMENT_TYPE_NORMAL\"}", "placement_type",
       "SPC_UPDATE_IMMUTABLE"},
      {"{\"placements\":[\"PLACEMENT_TIKTOK\",\"PLACEMENT_PANGLE\"]}",
       "{\"placements\":[\"PLACEMENT_TIKTOK\"]}", "placements",
       "SPC_UPDATE_IMMUTABLE"},
      {"{\"location_ids\":[\"6252001\",\"2635167\"]}",
       "{\"location_ids\":[\"2635167\"]}", "location_ids", "SPC_US_LOCATION_KEPT"},
  };
  for (size_t i = 0; i < SP_ARRAY_LEN(cs); i++) {
    sp_err_clear(&e);
    if (spc_check_update(old, decode(cs[i].ok, a), &e) != SP_OK)
      fail_msg("update refused: %s: %s", e.field, e.msg);
    assert_int_equal(spc_check_update(old, decode(cs[i].bad, a), &e), SP_E_PARAM);
    assert_string_equal(e.field, cs[i].field);
    assert_string_equal(e.rule, cs[i].rule);
  }
  /* a running campaign stays editable: the bounds that depend on now
   * apply only to what an update changes */
  spc *run = decode(BASE_W, a);
  spc *promo = decode(PROMO("{\"discount_type\":\"PERCENTAGE\",\"discount_value\":5,"
                            "\"valid_start_time\":\"2026-03-01 00:00:00\","
                            "\"valid_end_time\":\"2026-03-02 00:00:00\"}"), a);
  sp_merge(&spc_schema, run, promo);
  int64_t later = NOW + 30 * 86400;
  sp_err_clear(&e);
  assert_int_equal(spc_check_merged(run, later, 0, &e), SP_OK);
  assert_int_equal(spc_check_merged(run, later, SPC_CHANGED_START, &e), SP_E_PARAM);
  assert_string_equal(e.rule, "SPC_SCHEDULE_START");
  assert_int_equal(spc_check_merged(run, later, SPC_CHANGED_PROMO, &e), SP_E_PARAM);
  assert_string_equal(e.rule, "SPC_PROMO_VALID_TIME");
  sp_arena_destroy(a);
}

/* ---- defaults: what the document's response example shows ---- */
static void defaults(void **st) {
  (void)st;
  sp_arena *a = sp_arena_create();
  spc *r = decode(BASE_A, a);
  spc_defaults(r);
  assert_string_equal(r->spc_type.v, "UNSET");
  assert_string_equal(r->campaign_app_profile_page_state.v, "UNSET");
  assert_string_equal(r->gender.v, "GENDER_UNLIMITED");
  assert_string_equal(r->spc_audience_age.v, "18+");
  assert_true(r->exclude_age_under_eighteen.v);
  assert_string_equal(r->deep_bid_type.v, "DEFAULT");
  assert_string_equal(r->click_attribution_window.v, "SEVEN_DAYS");
  assert_string_equal(r->engaged_view_attribution_window.v, "SEVEN_DAYS");
  assert_string_equal(r->view_attribution_window.v, "ONE_DAY");
  assert_string_equal(r->attribution_event_count.v, "ONCE");
  assert_int_equal(strlen(r->dayparting.v), 336);
  assert_string_equal(r->placement_type.v, "PLACEMENT_TYPE_AUTOMATIC");
  assert_int_equal(r->placements.n, 2);
  assert_string_equal(r->app_type.v, "APP_ANDROID");
  /* manual attribution: no defaults added */
  spc *w = decode("{\"click_attribution_window\":\"ONE_DAY\","
                  "\"view_attribution_window\":\"OFF\",\"promotion_type\":"
                  "\"LEAD_GENERATION\"}", a);
  spc_defaults(w);
  assert_false(w->engaged_view_attribution_window.set);
  assert_string_equal(w->placement_type.v, "PLACEMENT_TYPE_NORMAL");
  assert_int_equal(w->placements.n, 1);
  assert_string_equal(w->budget_mode.v, "BUDGET_MODE_DAY");
  sp_arena_destroy(a);
}

/* ---- timeline: one second before and at each deadline ---- */
static void timeline(void **st) {
  (void)st;
  sp_err e;
  struct { spc_endpoint ep; int64_t at; const char *rule, *replacement; } cs[] = {
      {SPC_EP_CREATE, SPC_DEADLINE_CREATE, "SPC_DEPRECATED_CREATE",
       "/smart_plus/campaign/create/"},
      {SPC_EP_UPDATE, SPC_DEADLINE_UPDATE, "SPC_DEPRECATED_UPDATE",
       "/smart_plus/campaign/update/"},
      {SPC_EP_STATUS, SPC_DEADLINE_UPDATE, "SPC_DEPRECATED_STATUS",
       "/smart_plus/campaign/status/update/"},
      {SPC_EP_MANUAL_CREATE, SPC_DEADLINE_MANUAL, "MANUAL_DEPRECATED_CREATE",
       "/smart_plus/campaign/create/"},
  };
  for (size_t i = 0; i < SP_ARRAY_LEN(cs); i++) {
    sp_err_clear(&e);
    assert_int_equal(spc_timeline_check(cs[i].ep, cs[i].at - 1, &e), SP_OK);
    assert_int_equal(spc_timeline_check(cs[i].ep, cs[i].at, &e), SP_E_OFFLINE);
    assert_string_equal(e.rule, cs[i].rule);
    assert_non_null(strstr(e.msg, cs[i].replacement));
    assert_int_equal(spc_timeline_check(cs[i].ep, cs[i].at + 86400 * 400, &e),
                     SP_E_OFFLINE);
  }
  /* the deadlines are the documented days, 00:00:00 UTC */
  char buf[20];
  sp_time_format(SPC_DEADLINE_CREATE, buf);
  assert_string_equal(buf, "2026-03-31 00:00:00");
  sp_time_format(SPC_DEADLINE_UPDATE, buf);
  assert_string_equal(buf, "2026-06-30 00:00:00");
  sp_time_format(SPC_DEADLINE_MANUAL - 1, buf);
  assert_string_equal(buf, "2026-12-31 23:59:59");
}

static void quota(void **st) {
  (void)st;
  sp_err e;
  sp_err_clear(&e);
  assert_int_equal(spc_check_quota(19, 20, &e), SP_OK);
  assert_int_equal(spc_check_quota(20, 20, &e), SP_E_LIMIT);
  assert_string_equal(e.rule, "SPC_QUOTA");
  assert_non_null(strstr(e.msg, "/campaign/spc/quota/get/"));
}

static void manual(void **st) {
  (void)st;
  sp_arena *a = sp_arena_create();
  struct { const char *json, *field, *rule; } cs[] = {
      {"{\"advertiser_id\":\"1\",\"objective_type\":\"TRAFFIC\",\"budget_mode\":"
       "\"BUDGET_MODE_DAY\",\"budget\":50}", "campaign_name", "MANUAL_REQUIRED"},
      {"{\"advertiser_id\":\"1\",\"campaign_name\":\"m\",\"objective_type\":"
       "\"TRAFFIC\",\"budget_mode\":\"BUDGET_MODE_DAY\"}", "budget", "MANUAL_BUDGET"},
      {"{\"advertiser_id\":\"1\",\"campaign_name\":\"m\",\"budget_mode\":"
       "\"BUDGET_MODE_DAY\",\"budget\":5}", "objective_type", "MANUAL_REQUIRED"},
  };
  const char *ok = "{\"advertiser_id\":\"1\",\"campaign_name\":\"m\","
                   "\"objective_type\":\"TRAFFIC\",\"budget_mode\":"
                   "\"BUDGET_MODE_DAY\",\"budget\":50}";
  sp_err e;
  json_t *j = json_loads(ok, 0, NULL);
  spc_manual *m = sp_arena_alloc(a, sizeof *m);
  assert_int_equal(sp_decode(&spc_manual_schema, j, m, 1, a, "", &e), SP_OK);
  assert_int_equal(spc_check_manual(m, &e), SP_OK);
  json_decref(j);
  for (size_t i = 0; i < SP_ARRAY_LEN(cs); i++) {
    j = json_loads(cs[i].json, 0, NULL);
    m = sp_arena_alloc(a, sizeof *m);
    assert_int_equal(sp_decode(&spc_manual_schema, j, m, 1, a, "", &e), SP_OK);
    assert_int_equal(spc_check_manual(m, &e), SP_E_PARAM);
    assert_string_equal(e.field, cs[i].field);
    assert_string_equal(e.rule, cs[i].rule);
    json_decref(j);
  }
  sp_arena_destroy(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bases_accepted),
      cmocka_unit_test(objective_rules),
      cmocka_unit_test(catalog_rules),
      cmocka_unit_test(optimization_rules),
      cmocka_unit_test(targeting_rules),
      cmocka_unit_test(media_rules),
      cmocka_unit_test(promo_rules),
      cmocka_unit_test(landing_utm_disclaimer_rules),
      cmocka_unit_test(update_rules),
      cmocka_unit_test(defaults),
      cmocka_unit_test(timeline),
      cmocka_unit_test(quota),
      cmocka_unit_test(manual),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
