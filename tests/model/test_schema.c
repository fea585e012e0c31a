/* tests/model/test_schema.c - the generic decoder/encoder on the campaign
 * and pixel descriptors: round trip, null as absent, merge, nested paths. */
#include "../testutil.h"

#include "model/objects.h"

static void round_trip(void **st) {
  (void)st;
  const char *in =
      "{\"advertiser_id\":\"7\",\"campaign_name\":\"n\",\"objective_type\":"
      "\"WEB_CONVERSIONS\",\"budget\":500.0,\"budget_optimize_on\":true,"
      "\"special_industries\":[\"CREDIT\"]}";
  json_t *j = json_loads(in, 0, NULL);
  sp_arena *a = sp_arena_create();
  sp_campaign *c = sp_arena_alloc(a, sizeof *c);
  sp_err e;
  assert_int_equal(sp_decode(&sp_campaign_schema, j, c, 1, a, "", &e), SP_OK);
  assert_int_equal(c->advertiser_id.v, 7);
  assert_true(c->budget.set);
  assert_false(c->budget_mode.set);
  json_t *out = sp_encode(&sp_campaign_schema, c);
  assert_true(json_equal(j, out));
  json_decref(out);
  json_decref(j);
  sp_arena_destroy(a);
}

/* sp_encode_text writes what json_dumps(sp_encode(...), JSON_COMPACT) does
 * (reals aside): an ad with nested lists, escapes and 19-digit ids. */
static void text_encoder_matches_jansson(void **st) {
  (void)st;
  const char *in =
      "{\"advertiser_id\":\"7318446224790159361\",\"adgroup_id\":\"1850000000000001\","
      "\"ad_name\":\"Say \\\"quoted\\\" back\\\\slash \\u00e9 /\","
      "\"creative_list\":[{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\","
      "\"video_info\":{\"video_id\":\"v1\"},\"image_info\":[{\"web_uri\":"
      "\"https://cdn.example/t1.jpg\"}],\"identity_type\":\"CUSTOMIZED_USER\"}},"
      "{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"video_info\":"
      "{\"video_id\":\"v2\"}}}],\"ad_text_list\":[{\"ad_text\":\"a\"},"
      "{\"ad_text\":\"b\"}],\"landing_page_url_list\":[{\"landing_page_url\":"
      "\"https://www.example.com/x?y=1\"}]}";
  json_t *j = json_loads(in, 0, NULL);
  assert_non_null(j);
  sp_arena *a = sp_arena_create();
  sp_ad *ad = sp_arena_alloc(a, sizeof *ad);
  sp_err e;
  if (sp_decode(&sp_ad_schema, j, ad, 0, a, "", &e) != SP_OK) {
    char m[512];
    sp_err_format(&e, m, sizeof m);
    fail_msg("decode: %s", m);
  }
  json_t *enc = sp_encode(&sp_ad_schema, ad);
  char *want = json_dumps(enc, JSON_COMPACT);
  sp_buf b;
  sp_buf_init(&b, 1 << 20);
  sp_encode_text(&sp_ad_schema, ad, &b);
  assert_string_equal(b.data, want);
  /* and into a buffer that must grow from nothing, piece by piece */
  sp_buf small;
  sp_buf_init(&small, 1 << 20);
  sp_encode_text(&sp_ad_schema, ad, &small);
  assert_int_equal(small.len, strlen(want));
  sp_buf_free(&small);
  /* a cap below the text: the encoder stops at the cap, it does not
   * write past it */
  sp_buf capped;
  sp_buf_init(&capped, 64);
  sp_encode_text(&sp_ad_schema, ad, &capped);
  assert_true(capped.len <= 64);
  sp_buf_free(&capped);
  sp_buf_free(&b);
  free(want);
  json_decref(enc);
  json_decref(j);
  sp_arena_destroy(a);
}

static void request_skips_out_fields(void **st) {
  (void)st;
  json_t *j = json_loads("{\"campaign_id\":\"99\",\"create_time\":\"x\","
                         "\"budget\":null}", 0, NULL);
  sp_arena *a = sp_arena_create();
  sp_campaign *c = sp_arena_alloc(a, sizeof *c);
  sp_err e;
  assert_int_equal(sp_decode(&sp_campaign_schema, j, c, 1, a, "", &e), SP_OK);
  assert_false(c->campaign_id.set);
  assert_false(c->create_time.set);
  assert_false(c->budget.set); /* null = not given */
  json_decref(j);
  sp_arena_destroy(a);
}

static void ids_accept_numbers_and_strings(void **st) {
  (void)st;
  sp_arena *a = sp_arena_create();
  sp_err e;
  const char *ok[] = {"{\"advertiser_id\":7}", "{\"advertiser_id\":\"7\"}"};
  for (int i = 0; i < 2; i++) {
    json_t *j = json_loads(ok[i], 0, NULL);
    sp_campaign *c = sp_arena_alloc(a, sizeof *c);
    assert_int_equal(sp_decode(&sp_campaign_schema, j, c, 1, a, "", &e), SP_OK);
    assert_int_equal(c->advertiser_id.v, 7);
    json_decref(j);
  }
  const char *bad[] = {"{\"advertiser_id\":\"-7\"}", "{\"advertiser_id\":1.5}",
                       "{\"advertiser_id\":\"99999999999999999999\"}",
                       "{\"advertiser_id\":[\"7\"]}"};
  for (int i = 0; i < 4; i++) {
    json_t *j = json_loads(bad[i], 0, NULL);
    sp_campaign *c = sp_arena_alloc(a, sizeof *c);
    assert_int_equal(sp_decode(&sp_campaign_schema, j, c, 1, a, "", &e),
                     SP_E_PARAM);
    assert_string_equal(e.field, "advertiser_id");
    json_decref(j);
  }
  sp_arena_destroy(a);
}

static void merge(void **st) {
  (void)st;
  sp_arena *a = sp_arena_create();
  sp_err e;
  json_t *j1 = json_loads("{\"campaign_name\":\"a\",\"budget\":100}", 0, NULL);
  json_t *j2 = json_loads("{\"budget\":200}", 0, NULL);
  sp_campaign *base = sp_arena_alloc(a, sizeof *base);
  sp_campaign *patch = sp_arena_alloc(a, sizeof *patch);
  assert_int_equal(sp_decode(&sp_campaign_schema, j1, base, 0, a, "", &e), SP_OK);
  assert_int_equal(sp_decode(&sp_campaign_schema, j2, patch, 1, a, "", &e), SP_OK);
  sp_merge(&sp_campaign_schema, base, patch);
  assert_string_equal(base->campaign_name.v, "a");
  assert_true(base->budget.v == 200.0);
  json_decref(j1);
  json_decref(j2);
  sp_arena_destroy(a);
}

static void list_limits(void **st) {
  (void)st;
  sp_arena *a = sp_arena_create();
  sp_err e;
  json_t *j = json_loads("{\"special_industries\":[\"CREDIT\",\"HOUSING\","
                         "\"EMPLOYMENT\",\"CREDIT\"]}", 0, NULL);
  sp_campaign *c = sp_arena_alloc(a, sizeof *c);
  assert_int_equal(sp_decode(&sp_campaign_schema, j, c, 1, a, "", &e), SP_E_PARAM);
  assert_string_equal(e.field, "special_industries");
  assert_string_equal(e.rule, "MAX_ITEMS");
  json_decref(j);
  j = json_loads("{\"special_industries\":\"CREDIT\"}", 0, NULL);
  c = sp_arena_alloc(a, sizeof *c);
  assert_int_equal(sp_decode(&sp_campaign_schema, j, c, 1, a, "", &e), SP_E_PARAM);
  assert_string_equal(e.rule, "TYPE");
  json_decref(j);
  sp_arena_destroy(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(round_trip), cmocka_unit_test(text_encoder_matches_jansson),
      cmocka_unit_test(request_skips_out_fields),
      cmocka_unit_test(ids_accept_numbers_and_strings), cmocka_unit_test(merge),
      cmocka_unit_test(list_limits),
  };
  return cmocka_run_group_tests_name("model/schema", tests, NULL, NULL);
}
