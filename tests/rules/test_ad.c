/*
 * tests/rules/test_ad.c - each ad rule of the seeds with one accepted and
 * one refused request: normalize (the seeds' shapes) + decode + rules, as
 * smartplusd and `smartplus lint` run them.
 */
#include "../testutil.h"

#include "rules/ad.h"

static sp_arena *A;
static const sp_campaign *CAMP; /* the ad's campaign, or NULL */

#define VIDEO "{\"ad_format\":\"SINGLE_VIDEO\",\"video_info\":{\"video_id\":\"v1\"},\"image_info\":[{\"web_uri\":\"https://x/t.jpg\"}],\"identity_type\":\"CUSTOMIZED_USER\"}"
#define SPARK "{\"ad_format\":\"SINGLE_VIDEO\",\"tiktok_item_id\":\"72\",\"identity_type\":\"TT_USER\",\"identity_id\":\"me\"}"
#define CAROUSEL "{\"ad_format\":\"CAROUSEL\",\"image_info\":[{\"web_uri\":\"https://x/1.jpg\"},{\"web_uri\":\"https://x/2.jpg\"}],\"music_info\":{\"music_id\":\"m1\"},\"identity_type\":\"CUSTOMIZED_USER\"}"
#define DEST "\"landing_page_url_list\":[{\"landing_page_url\":\"https://shop.example/p\"}],\"call_to_action_list\":[\"Shop Now\"]"

/* {"adgroup_id":"1","ad_name":"a","creative_list":[<creatives>], <rest>} */
static sp_rc check(const char *creatives, const char *rest, int others,
                   sp_err *e) {
  char *json = sp_arena_printf(A,
                               "{\"advertiser_id\":\"1\",\"adgroup_id\":\"2\",\"ad_name\":\"a\","
                               "\"creative_list\":[%s]%s%s}",
                               creatives, rest && *rest ? "," : "", rest ? rest : "");
  json_error_t jerr;
  json_t *j = json_loads(json, 0, &jerr);
  if (!j) fail_msg("bad test JSON %s: %s", json, jerr.text);
  sp_err_clear(e);
  sp_rc rc = rules_ad_normalize(j, e);
  sp_ad *ad = sp_arena_alloc(A, sizeof *ad);
  if (!rc) rc = sp_decode(&sp_ad_schema, j, ad, 1, A, "", e);
  json_decref(j);
  if (rc) return rc;
  rules_ad_defaults(ad);
  rules_ad_ctx x = {CAMP, others};
  return rules_ad_check(ad, &x, e);
}

#define OK(cr, rest, others)                                               \
  do {                                                                     \
    sp_err e_;                                                             \
    if (check(cr, rest, others, &e_) != SP_OK)                             \
      fail_msg("refused: %s: %s (%s)", e_.field, e_.msg, e_.rule);         \
  } while (0)
#define NO(rule_, field_, cr, rest, others)                                \
  do {                                                                     \
    sp_err e_;                                                             \
    if (check(cr, rest, others, &e_) == SP_OK)                             \
      fail_msg("accepted, wanted %s", rule_);                             \
    if (strcmp(e_.rule, rule_) != 0 || strcmp(e_.field, field_) != 0)      \
      fail_msg("wanted %s on %s, got %s on %s: %s", rule_, field_,         \
               e_.rule, e_.field, e_.msg);                                 \
  } while (0)

static char *repeat(const char *item, int n) {
  size_t l = strlen(item);
  char *s = sp_arena_alloc(A, (l + 1) * (size_t)n + 1), *p = s;
  for (int i = 0; i < n; i++) {
    if (i) *p++ = ',';
    memcpy(p, item, l);
    p += l;
  }
  *p = '\0';
  return s;
}

static void creatives(void **st) {
  (void)st;
  OK("{\"creative_info\":" VIDEO "}", DEST, -1);
  OK("{\"creative_info\":" CAROUSEL "}", DEST, -1);
  NO("AD_CREATIVES", "creative_list", "", DEST, -1);
  char *fifty = repeat("{\"creative_info\":" VIDEO "}", 50);
  OK(fifty, DEST, -1);
  char *fifty1 = repeat("{\"creative_info\":" VIDEO "}", 51);
  NO("MAX_ITEMS", "creative_list", fifty1, DEST, -1);
  NO("AD_VIDEO_FIELDS", "creative_list[0].creative_info.video_info.video_id",
     "{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"image_info\":[{\"web_uri\":\"u\"}],"
     "\"identity_type\":\"CUSTOMIZED_USER\"}}", DEST, -1);
  NO("AD_VIDEO_FIELDS", "creative_list[0].creative_info.image_info[0].web_uri",
     "{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"video_info\":{\"video_id\":\"v\"},"
     "\"identity_type\":\"CUSTOMIZED_USER\"}}", DEST, -1);
  NO("AD_CAROUSEL", "creative_list[0].creative_info.image_info",
     "{\"creative_info\":{\"ad_format\":\"CAROUSEL_ADS\",\"identity_type\":\"CUSTOMIZED_USER\"}}", DEST, -1);
  char *imgs35 = sp_arena_printf(A, "{\"creative_info\":{\"ad_format\":\"CAROUSEL_ADS\",\"identity_type\":"
                                 "\"CUSTOMIZED_USER\",\"image_info\":[%s]}}",
                                 repeat("{\"web_uri\":\"https://x/i.jpg\"}", 35));
  OK(imgs35, DEST, -1);
  char *imgs36 = sp_arena_printf(A, "{\"creative_info\":{\"ad_format\":\"CAROUSEL_ADS\",\"identity_type\":"
                                 "\"CUSTOMIZED_USER\",\"image_info\":[%s]}}",
                                 repeat("{\"web_uri\":\"https://x/i.jpg\"}", 36));
  NO("MAX_ITEMS", "creative_list[0].creative_info.image_info", imgs36, DEST, -1);
  NO("AD_MUSIC", "creative_list[].creative_info.music_info",
     "{\"creative_info\":{\"ad_format\":\"CAROUSEL\",\"identity_type\":\"CUSTOMIZED_USER\","
     "\"image_info\":[{\"web_uri\":\"u\"}],\"music_info\":[{\"music_id\":\"a\"},{\"music_id\":\"b\"}]}}",
     DEST, -1);
  OK("{\"creative_info\":{\"ad_format\":\"CAROUSEL\",\"identity_type\":\"CUSTOMIZED_USER\","
     "\"image_info\":[{\"web_uri\":\"u\"}],\"music_info\":[{\"music_id\":\"a\"}]}}", DEST, -1);
  NO("SPEC_ENUM", "creative_list[0].creative_info.ad_format",
     "{\"creative_info\":{\"ad_format\":\"SINGLE_IMAGE\"}}", DEST, -1);
}

static void identities_and_spark(void **st) {
  (void)st;
  OK("{\"creative_info\":" SPARK "}", DEST, -1);
  OK("{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"tiktok_item_id\":\"1\",\"identity_type\":"
     "\"AUTH_CODE\",\"identity_id\":\"i\"}}", DEST, -1);
  OK("{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"tiktok_item_id\":\"1\",\"identity_type\":"
     "\"BC_AUTH_TT\",\"identity_id\":\"i\",\"identity_authorized_bc_id\":\"bc\"}}", DEST, -1);
  NO("AD_IDENTITY_BC", "creative_list[0].creative_info.identity_authorized_bc_id",
     "{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"tiktok_item_id\":\"1\",\"identity_type\":"
     "\"BC_AUTH_TT\",\"identity_id\":\"i\"}}", DEST, -1);
  NO("AD_SPARK_IDENTITY", "creative_list[0].creative_info.identity_type",
     "{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"tiktok_item_id\":\"1\",\"identity_type\":"
     "\"CUSTOMIZED_USER\"}}", DEST, -1);
  NO("AD_SPARK_IDENTITY", "creative_list[0].creative_info.identity_id",
     "{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"tiktok_item_id\":\"1\",\"identity_type\":"
     "\"TT_USER\"}}", DEST, -1);
  NO("AD_IDENTITY", "creative_list[0].creative_info.identity_type",
     "{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"video_info\":{\"video_id\":\"v\"},"
     "\"image_info\":[{\"web_uri\":\"u\"}]}}", DEST, -1);
  /* an ad-level CUSTOMIZED_USER identity serves uploaded creatives */
  OK("{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"video_info\":{\"video_id\":\"v\"},"
     "\"image_info\":[{\"web_uri\":\"u\"}]}}",
     DEST ",\"ad_configuration\":{\"identity_type\":\"CUSTOMIZED_USER\"}", -1);
  /* Spark and non-Spark: not in one ad, not in one campaign */
  NO("AD_SPARK_MIX", "creative_list", "{\"creative_info\":" SPARK "},{\"creative_info\":" VIDEO "}",
     DEST, -1);
  NO("AD_SPARK_MIX", "creative_list", "{\"creative_info\":" SPARK "}", DEST, 0);
  NO("AD_SPARK_MIX", "creative_list", "{\"creative_info\":" VIDEO "}", DEST, 1);
  OK("{\"creative_info\":" SPARK "}", DEST, 1);
  OK("{\"creative_info\":" VIDEO "}", DEST, 0);
}

static void texts_ctas_destinations(void **st) {
  (void)st;
  const char *v = "{\"creative_info\":" VIDEO "}";
  char *five = sp_arena_printf(A, DEST ",\"ad_text_list\":[%s]", repeat("{\"ad_text\":\"t\"}", 5));
  OK(v, five, -1);
  char *six = sp_arena_printf(A, DEST ",\"ad_text_list\":[%s]", repeat("{\"ad_text\":\"t\"}", 6));
  NO("MAX_ITEMS", "ad_text_list", v, six, -1);
  NO("AD_TEXT", "ad_text_list[0].ad_text", v, DEST ",\"ad_text_list\":[{\"ad_text\":\"\"}]", -1);
  OK(v, "\"landing_page_url_list\":[{\"landing_page_url\":\"https://s/p\"}],"
        "\"call_to_action_list\":[\"Shop Now\",\"Learn More\",\"SIGN_UP\"]", -1);
  NO("MAX_ITEMS", "call_to_action_list", v,
     "\"landing_page_url_list\":[{\"landing_page_url\":\"https://s/p\"}],"
     "\"call_to_action_list\":[\"Shop Now\",\"Learn More\",\"SIGN_UP\",\"ORDER_NOW\"]", -1);
  NO("SPEC_ENUM", "call_to_action_list[0].call_to_action", v,
     "\"landing_page_url_list\":[{\"landing_page_url\":\"https://s/p\"}],"
     "\"call_to_action_list\":[\"Buy It Maybe\"]", -1);
  OK(v, "\"landing_page_url_list\":[{\"landing_page_url\":\"https://s/p\"}],"
        "\"ad_configuration\":{\"call_to_action_id\":\"77\"}", -1);
  NO("AD_CTA", "call_to_action_list", v,
     DEST ",\"ad_configuration\":{\"call_to_action_id\":\"77\"}", -1);
  /* CTA and destination together, or neither */
  OK(v, "", -1);
  NO("AD_CTA_DESTINATION", "landing_page_url_list", v, "\"call_to_action_list\":[\"Shop Now\"]", -1);
  NO("AD_CTA_DESTINATION", "landing_page_url_list", v,
     "\"landing_page_url_list\":[{\"landing_page_url\":\"https://s/p\"}]", -1);
  NO("AD_URL", "landing_page_url_list[0].landing_page_url", v,
     "\"landing_page_url_list\":[{\"landing_page_url\":\"ftp://s/p\"}],\"call_to_action_list\":[\"Shop Now\"]", -1);
  OK(v, "\"page_list\":[{\"page_id\":\"p1\"}],\"call_to_action_list\":[\"Shop Now\"]", -1);
  NO("AD_PAGE_NO_URL", "landing_page_url_list", v,
     DEST ",\"page_list\":[{\"page_id\":\"p1\"}]", -1);
  /* deeplinks: https:// or scheme://resource, with deeplink_type, with a URL */
  OK(v, DEST ",\"deeplink\":\"myshop://product/42\",\"deeplink_type\":\"NORMAL\"", -1);
  OK(v, DEST ",\"deeplink\":\"https://shop.example/app/42\",\"deeplink_type\":\"NORMAL\"", -1);
  NO("AD_DEEPLINK", "deeplink", v, DEST ",\"deeplink\":\"not a link\",\"deeplink_type\":\"NORMAL\"", -1);
  NO("AD_DEEPLINK", "deeplink_type", v, DEST ",\"deeplink\":\"myshop://p\"", -1);
  NO("AD_DEEPLINK", "deeplink", v, "\"page_list\":[{\"page_id\":\"p1\"}],\"call_to_action_list\":[\"Shop Now\"],"
     "\"deeplink\":\"myshop://p\",\"deeplink_type\":\"NORMAL\"", -1);
  NO("AD_REQUIRED", "ad_name", v, "\"ad_name\":\"\"", -1);
}

static void utm_and_update(void **st) {
  (void)st;
  const char *v = "{\"creative_info\":" VIDEO "}";
  OK(v, DEST ",\"ad_configuration\":{\"utm_params\":[{\"key\":\"utm_source\",\"value\":\"tiktok\"}]}", -1);
  NO("AD_UTM", "ad_configuration.utm_params", v,
     DEST ",\"ad_configuration\":{\"utm_params\":[{\"key\":\"utm_source\"}]}", -1);
  NO("AD_FORMAT", "creative_list[0].creative_info.ad_format",
     "{\"creative_info\":{\"video_info\":{\"video_id\":\"v\"}}}", DEST, -1);
  /* update: staying in the ad group is fine, moving is not */
  sp_err e;
  json_t *j = json_loads("{\"adgroup_id\":\"2\"}", 0, NULL);
  sp_ad *old = sp_arena_alloc(A, sizeof *old), *p = sp_arena_alloc(A, sizeof *p);
  assert_int_equal(sp_decode(&sp_ad_schema, j, old, 0, A, "", &e), SP_OK);
  assert_int_equal(sp_decode(&sp_ad_schema, j, p, 1, A, "", &e), SP_OK);
  assert_int_equal(rules_ad_update_allowed(old, p, &e), SP_OK);
  json_decref(j);
  j = json_loads("{\"adgroup_id\":\"3\"}", 0, NULL);
  p = sp_arena_alloc(A, sizeof *p);
  assert_int_equal(sp_decode(&sp_ad_schema, j, p, 1, A, "", &e), SP_OK);
  assert_int_equal(rules_ad_update_allowed(old, p, &e), SP_E_PARAM);
  assert_string_equal(e.rule, "AD_IMMUTABLE");
  json_decref(j);
  j = json_loads("{\"operation_status\":\"DISABLE\"}", 0, NULL);
  p = sp_arena_alloc(A, sizeof *p);
  assert_int_equal(sp_decode(&sp_ad_schema, j, p, 1, A, "", &e), SP_OK);
  assert_int_equal(rules_ad_update_allowed(old, p, &e), SP_E_PARAM);
  assert_string_equal(e.rule, "AD_STATUS_VIA");
  json_decref(j);
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

/* An App campaign's ads promote the app: their CTA needs no landing page
 * (the legacy App example migrates to such an ad); a web campaign's does. */
static void app_promotion_destination(void **st) {
  (void)st;
  const char *v = "{\"creative_info\":" VIDEO "}";
  sp_campaign app, web;
  memset(&app, 0, sizeof app);
  memset(&web, 0, sizeof web);
  app.objective_type.set = web.objective_type.set = 1;
  app.objective_type.v = "APP_PROMOTION";
  web.objective_type.v = "WEB_CONVERSIONS";
  CAMP = &app;
  OK(v, "\"call_to_action_list\":[\"Install Now\"]", -1);
  CAMP = &web;
  NO("AD_CTA_DESTINATION", "landing_page_url_list", v,
     "\"call_to_action_list\":[\"Install Now\"]", -1);
  CAMP = NULL;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(creatives),
      cmocka_unit_test(identities_and_spark),
      cmocka_unit_test(texts_ctas_destinations),
      cmocka_unit_test(utm_and_update),
      cmocka_unit_test(app_promotion_destination),
  };
  return cmocka_run_group_tests_name("rules/ad", tests, setup, teardown);
}
