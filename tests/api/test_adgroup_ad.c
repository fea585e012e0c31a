/*
 * tests/api/test_adgroup_ad.c - the three-call API in process: the seeds'
 * five curl bodies verbatim (ids threaded from call to call), the seeds'
 * common errors, and the cross-object rules that need the store (30 ad
 * groups, CBO uniformity under update, Spark mixing, cascading deletes).
 */
#include "../testutil.h"

/* ../shared/seeds/001, verbatim but for the placeholders */
static const char *seed_campaign_cbo =
    "{\"advertiser_id\": \"ADV\", \"campaign_name\": \"Q2 Web Conversions - CBO\","
    "\"objective_type\": \"WEB_CONVERSIONS\", \"budget_optimize_on\": true,"
    "\"budget_mode\": \"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\", \"budget\": 500}";
static const char *seed_campaign_nocbo =
    "{\"advertiser_id\": \"ADV\", \"campaign_name\": \"Q2 Web Conversions - AdGroup Budgets\","
    "\"objective_type\": \"WEB_CONVERSIONS\", \"budget_optimize_on\": false,"
    "\"budget_mode\": \"BUDGET_MODE_INFINITE\"}";
static const char *seed_adgroup_auto =
    "{\"advertiser_id\": \"ADV\", \"campaign_id\": \"CAMPAIGN_ID_FROM_STEP_1\","
    "\"adgroup_name\": \"US Purchasers - Auto Targeting\", \"promotion_type\": \"WEBSITE\","
    "\"optimization_goal\": \"CONVERT\", \"pixel_id\": \"YOUR_PIXEL_ID\","
    "\"optimization_event\": \"COMPLETE_PAYMENT\", \"billing_event\": \"OCPM\","
    "\"bid_type\": \"BID_TYPE_NO_BID\", \"schedule_type\": \"SCHEDULE_FROM_NOW\","
    "\"targeting_optimization_mode\": \"AUTOMATIC\","
    "\"targeting_spec\": {\"location_ids\": [\"6252001\"]},"
    "\"placement_type\": \"PLACEMENT_TYPE_NORMAL\", \"placements\": [\"PLACEMENT_TIKTOK\"]}";
static const char *seed_adgroup_manual =
    "{\"advertiser_id\": \"ADV\", \"campaign_id\": \"CAMPAIGN_ID_FROM_STEP_1\","
    "\"adgroup_name\": \"US 25-44 Purchasers - Manual\", \"promotion_type\": \"WEBSITE\","
    "\"optimization_goal\": \"CONVERT\", \"pixel_id\": \"YOUR_PIXEL_ID\","
    "\"optimization_event\": \"COMPLETE_PAYMENT\", \"billing_event\": \"OCPM\","
    "\"bid_type\": \"BID_TYPE_CUSTOM\", \"conversion_bid_price\": 15.00,"
    "\"budget_mode\": \"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\", \"budget\": 200,"
    "\"schedule_type\": \"SCHEDULE_START_END\", \"schedule_start_time\": \"2026-04-01 00:00:00\","
    "\"schedule_end_time\": \"2026-04-30 23:59:59\", \"targeting_optimization_mode\": \"MANUAL\","
    "\"targeting_spec\": {\"location_ids\": [\"6252001\"], \"age_groups\": [\"AGE_25_34\", \"AGE_35_44\"],"
    "\"gender\": \"GENDER_UNLIMITED\", \"languages\": [\"en\"]},"
    "\"placement_type\": \"PLACEMENT_TYPE_NORMAL\","
    "\"placements\": [\"PLACEMENT_TIKTOK\", \"PLACEMENT_GLOBAL_APP_BUNDLE\"]}";
static const char *seed_ad_video =
    "{\"advertiser_id\": \"ADV\", \"adgroup_id\": \"ADGROUP_ID_FROM_STEP_2\","
    "\"ad_name\": \"Spring Sale Video Ad\", \"creative_list\": [{\"creative_info\": {"
    "\"ad_format\": \"SINGLE_VIDEO\", \"video_info\": {\"video_id\": \"v1234567890\"},"
    "\"image_info\": [{\"web_uri\": \"https://example.com/thumbnail.jpg\"}],"
    "\"identity_type\": \"BC_AUTH_TT\", \"identity_id\": \"IDENTITY_ID\","
    "\"identity_authorized_bc_id\": \"BC_ID\"}}],"
    "\"ad_text_list\": [{\"ad_text\": \"Shop the spring collection\"},"
    "{\"ad_text\": \"New arrivals \xe2\x80\x94 20% off this week\"}],"
    "\"landing_page_url_list\": [{\"landing_page_url\": \"https://www.example.com/spring-sale\"}],"
    "\"ad_configuration\": {\"call_to_action_id\": \"CTA_ID\"}}";
static const char *seed_ad_spark =
    "{\"advertiser_id\": \"ADV\", \"adgroup_id\": \"ADGROUP_ID_FROM_STEP_2\","
    "\"ad_name\": \"Organic Post Spark Ad\", \"creative_list\": [{\"creative_info\": {"
    "\"ad_format\": \"SINGLE_VIDEO\", \"tiktok_item_id\": \"TIKTOK_POST_ID\","
    "\"identity_type\": \"TT_USER\", \"identity_id\": \"TIKTOK_IDENTITY_ID\"}}],"
    "\"ad_text_list\": [{\"ad_text\": \"See what everyone is talking about\"}],"
    "\"landing_page_url_list\": [{\"landing_page_url\": \"https://www.example.com/product\"}],"
    "\"ad_configuration\": {\"call_to_action_list\": [\"Shop Now\"]}}";

/* replace every `from` in s by `to` (arena) */
static char *subst(sp_arena *a, const char *s, const char *from, const char *to) {
  size_t n = 0, fl = strlen(from), tl = strlen(to);
  for (const char *p = strstr(s, from); p; p = strstr(p + fl, from)) n++;
  char *out = sp_arena_alloc(a, strlen(s) + n * (tl > fl ? tl - fl : 0) + 1), *o = out;
  const char *p = s, *q;
  while ((q = strstr(p, from))) {
    memcpy(o, p, (size_t)(q - p));
    o += q - p;
    memcpy(o, to, tl);
    o += tl;
    p = q + fl;
  }
  strcpy(o, p);
  return out;
}

static const char *id_of(json_t *r, const char *field, sp_arena *a) {
  t_ok(r);
  const char *v = json_string_value(json_object_get(t_data(r), field));
  assert_non_null(v);
  return sp_arena_strdup(a, v);
}

typedef struct world {
  t_env *t;
  sp_arena *a;
  const char *c_cbo, *c_nocbo, *g_auto, *g_manual, *pixel;
} world;

static void make_world(world *w) {
  w->t = t_env_new();
  w->a = sp_arena_create();
  w->pixel = sp_arena_printf(w->a, "%lld", (long long)w->t->demo.pixel_id);
  json_t *r = t_post(w->t, "/smart_plus/campaign/create/", seed_campaign_cbo);
  w->c_cbo = id_of(r, "campaign_id", w->a);
  json_decref(r);
  r = t_post(w->t, "/smart_plus/campaign/create/", seed_campaign_nocbo);
  w->c_nocbo = id_of(r, "campaign_id", w->a);
  json_decref(r);
  char *b = subst(w->a, seed_adgroup_auto, "CAMPAIGN_ID_FROM_STEP_1", w->c_cbo);
  b = subst(w->a, b, "YOUR_PIXEL_ID", w->pixel);
  r = t_post(w->t, "/smart_plus/adgroup/create/", b);
  w->g_auto = id_of(r, "adgroup_id", w->a);
  json_decref(r);
  b = subst(w->a, seed_adgroup_manual, "CAMPAIGN_ID_FROM_STEP_1", w->c_nocbo);
  b = subst(w->a, b, "YOUR_PIXEL_ID", w->pixel);
  r = t_post(w->t, "/smart_plus/adgroup/create/", b);
  w->g_manual = id_of(r, "adgroup_id", w->a);
  json_decref(r);
}

static void free_world(world *w) {
  sp_arena_destroy(w->a);
  t_env_free(w->t);
}

static void seeds_five_calls(void **st) {
  (void)st;
  world w;
  make_world(&w);
  char *b = subst(w.a, seed_ad_video, "ADGROUP_ID_FROM_STEP_2", w.g_auto);
  json_t *r = t_post(w.t, "/smart_plus/ad/create/", b);
  t_ok(r);
  json_t *d = t_data(r);
  assert_non_null(json_string_value(json_object_get(d, "smart_plus_ad_id")));
  assert_string_equal(json_string_value(json_object_get(d, "campaign_id")), w.c_cbo);
  json_t *cr = json_array_get(json_object_get(d, "creative_list"), 0);
  assert_non_null(json_string_value(json_object_get(cr, "ad_material_id")));
  assert_string_equal(json_string_value(json_object_get(cr, "material_operation_status")), "ENABLE");
  assert_string_equal(json_string_value(json_object_get(d, "secondary_status")),
                      "AD_STATUS_DELIVERY_OK");
  json_decref(r);
  b = subst(w.a, seed_ad_spark, "ADGROUP_ID_FROM_STEP_2", w.g_manual);
  r = t_post(w.t, "/smart_plus/ad/create/", b);
  t_ok(r);
  /* the seeds' string CTA comes back in the spec's object form */
  json_t *cta = json_array_get(json_object_get(t_data(r), "call_to_action_list"), 0);
  assert_string_equal(json_string_value(json_object_get(cta, "call_to_action")), "SHOP_NOW");
  json_decref(r);
  /* read back */
  char q[256];
  snprintf(q, sizeof q, "/smart_plus/adgroup/get/?advertiser_id=%s&filtering={\"campaign_ids\":[\"%s\"]}",
           w.t->adv, w.c_cbo);
  r = t_get(w.t, q);
  t_ok(r);
  json_t *list = json_object_get(t_data(r), "list");
  assert_int_equal(json_array_size(list), 1);
  json_t *g = json_array_get(list, 0);
  assert_string_equal(json_string_value(json_object_get(g, "optimization_event")), "COMPLETE_PAYMENT");
  assert_string_equal(json_string_value(json_object_get(g, "secondary_status")), "ADGROUP_STATUS_DELIVERY_OK");
  assert_non_null(json_string_value(json_object_get(g, "schedule_start_time")));
  json_decref(r);
  snprintf(q, sizeof q, "/smart_plus/ad/get/?advertiser_id=%s", w.t->adv);
  r = t_get(w.t, q);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "list")), 2);
  json_decref(r);
  free_world(&w);
}

static void common_errors(void **st) {
  (void)st;
  world w;
  make_world(&w);
  /* 1. CBO + BUDGET_MODE_TOTAL + BID_TYPE_CUSTOM */
  json_t *r = t_post(w.t, "/smart_plus/campaign/create/",
                     "{\"advertiser_id\":\"ADV\",\"campaign_name\":\"life\",\"objective_type\":"
                     "\"WEB_CONVERSIONS\",\"budget_optimize_on\":true,\"budget_mode\":"
                     "\"BUDGET_MODE_TOTAL\",\"budget\":3000}");
  const char *c_total = id_of(r, "campaign_id", w.a);
  json_decref(r);
  char *b = subst(w.a, seed_adgroup_auto, "CAMPAIGN_ID_FROM_STEP_1", c_total);
  b = subst(w.a, b, "YOUR_PIXEL_ID", w.pixel);
  b = subst(w.a, b, "\"bid_type\": \"BID_TYPE_NO_BID\"",
            "\"bid_type\": \"BID_TYPE_CUSTOM\", \"conversion_bid_price\": 15");
  b = subst(w.a, b, "SCHEDULE_FROM_NOW\"", "SCHEDULE_START_END\", \"schedule_start_time\": "
            "\"2026-05-01 00:00:00\", \"schedule_end_time\": \"2026-05-31 00:00:00\"");
  r = t_post(w.t, "/smart_plus/adgroup/create/", b);
  t_expect(r, 40002, "bid_type: Cost Cap (BID_TYPE_CUSTOM) is only available with a daily budget");
  t_expect(r, 40002, "ADGROUP_COST_CAP_DAILY");
  json_decref(r);
  /* 2. a second ad group with another optimization_event under CBO */
  b = subst(w.a, seed_adgroup_auto, "CAMPAIGN_ID_FROM_STEP_1", w.c_cbo);
  b = subst(w.a, b, "YOUR_PIXEL_ID", w.pixel);
  b = subst(w.a, b, "COMPLETE_PAYMENT", "ADD_TO_CART");
  r = t_post(w.t, "/smart_plus/adgroup/create/", b);
  t_expect(r, 40002, "optimization_event: with budget_optimize_on (CBO) all ad groups");
  t_expect(r, 40002, "optimization_event is ADD_TO_CART, the campaign's ad groups use COMPLETE_PAYMENT");
  json_decref(r);
  /* 3. LANDING_PAGE with a pixel fed by the Events API alone */
  r = t_post(w.t, "/pixel/create/", "{\"advertiser_id\":\"ADV\",\"pixel_name\":\"server only\","
             "\"event_sources\":[\"EVENTS_API\"]}");
  const char *px = id_of(r, "pixel_id", w.a);
  json_decref(r);
  b = subst(w.a, seed_adgroup_manual, "CAMPAIGN_ID_FROM_STEP_1", w.c_nocbo);
  b = subst(w.a, b, "YOUR_PIXEL_ID", px);
  b = subst(w.a, b, "\"optimization_goal\": \"CONVERT\"", "\"optimization_goal\": \"LANDING_PAGE\"");
  r = t_post(w.t, "/smart_plus/adgroup/create/", b);
  t_expect(r, 40002, "LANDING_PAGE needs a browser Pixel event source");
  json_decref(r);
  b = subst(w.a, b, px, w.pixel); /* the demo pixel has the browser Pixel */
  r = t_post(w.t, "/smart_plus/adgroup/create/", b);
  t_ok(r);
  json_decref(r);
  /* 4. Spark mixed with non-Spark in one campaign */
  b = subst(w.a, seed_ad_video, "ADGROUP_ID_FROM_STEP_2", w.g_auto);
  r = t_post(w.t, "/smart_plus/ad/create/", b);
  t_ok(r);
  json_decref(r);
  b = subst(w.a, seed_ad_spark, "ADGROUP_ID_FROM_STEP_2", w.g_auto);
  r = t_post(w.t, "/smart_plus/ad/create/", b);
  t_expect(r, 40002, "do not support mixing Spark and non-Spark ads");
  json_decref(r);
  /* 5. BC_AUTH_TT without identity_authorized_bc_id */
  b = subst(w.a, seed_ad_video, "ADGROUP_ID_FROM_STEP_2", w.g_auto);
  b = subst(w.a, b, ",\"identity_authorized_bc_id\": \"BC_ID\"", "");
  r = t_post(w.t, "/smart_plus/ad/create/", b);
  t_expect(r, 40002, "creative_list[0].creative_info.identity_authorized_bc_id: is required with identity_type BC_AUTH_TT");
  json_decref(r);
  free_world(&w);
}

/* The ad rules read the campaign's objective_type from its stored text (no
 * full decode, api/ad.c): an APP_PROMOTION ad needs no landing page for
 * its CTA, a WEB_CONVERSIONS ad does. */
static void ad_reads_campaign_objective(void **st) {
  (void)st;
  world w;
  make_world(&w);
  json_t *r = t_post(w.t, "/smart_plus/campaign/create/",
                     "{\"advertiser_id\":\"ADV\",\"campaign_name\":\"App\","
                     "\"objective_type\":\"APP_PROMOTION\",\"app_promotion_type\":"
                     "\"APP_INSTALL\",\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\","
                     "\"budget\":500}");
  const char *c_app = id_of(r, "campaign_id", w.a);
  json_decref(r);
  char *b = subst(w.a, seed_adgroup_auto, "CAMPAIGN_ID_FROM_STEP_1", c_app);
  b = subst(w.a, b, "YOUR_PIXEL_ID", w.pixel);
  r = t_post(w.t, "/smart_plus/adgroup/create/", b);
  const char *g_app = id_of(r, "adgroup_id", w.a);
  json_decref(r);
  const char *ad =
      "{\"advertiser_id\":\"ADV\",\"adgroup_id\":\"GID\",\"ad_name\":\"Install\","
      "\"creative_list\":[{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\","
      "\"video_info\":{\"video_id\":\"v1\"},\"image_info\":[{\"web_uri\":"
      "\"https://cdn.example/t.jpg\"}],\"identity_type\":\"CUSTOMIZED_USER\"}}],"
      "\"ad_text_list\":[{\"ad_text\":\"Get the app\"}],"
      "\"call_to_action_list\":[{\"call_to_action\":\"DOWNLOAD_NOW\"}]}";
  r = t_post(w.t, "/smart_plus/ad/create/", subst(w.a, ad, "GID", g_app));
  t_ok(r);
  json_decref(r);
  r = t_post(w.t, "/smart_plus/ad/create/", subst(w.a, ad, "GID", w.g_auto));
  t_expect(r, 40002, "AD_CTA_DESTINATION");
  json_decref(r);
  free_world(&w);
}

static void thirty_adgroups_and_deletes(void **st) {
  (void)st;
  world w;
  make_world(&w);
  char *b = subst(w.a, seed_adgroup_auto, "CAMPAIGN_ID_FROM_STEP_1", w.c_cbo);
  b = subst(w.a, b, "YOUR_PIXEL_ID", w.pixel);
  const char *last = NULL;
  for (int i = 1; i < 30; i++) { /* one exists already */
    json_t *r = t_post(w.t, "/smart_plus/adgroup/create/", b);
    last = id_of(r, "adgroup_id", w.a);
    json_decref(r);
  }
  json_t *r = t_post(w.t, "/smart_plus/adgroup/create/", b);
  t_expect(r, 40502, "at most 30");
  json_decref(r);
  /* deleting one frees a place */
  char body[512];
  snprintf(body, sizeof body, "{\"advertiser_id\":\"ADV\",\"adgroup_ids\":[\"%s\"],"
           "\"operation_status\":\"DELETE\"}", last);
  r = t_post(w.t, "/smart_plus/adgroup/status/update/", body);
  t_ok(r);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "adgroup_list")), 1);
  json_decref(r);
  r = t_post(w.t, "/smart_plus/adgroup/create/", b);
  t_ok(r);
  json_decref(r);
  /* deleting the non-CBO campaign deletes its ad group and frees Spark */
  b = subst(w.a, seed_ad_video, "ADGROUP_ID_FROM_STEP_2", w.g_manual);
  r = t_post(w.t, "/smart_plus/ad/create/", b);
  const char *ad = id_of(r, "smart_plus_ad_id", w.a);
  json_decref(r);
  snprintf(body, sizeof body, "{\"advertiser_id\":\"ADV\",\"campaign_ids\":[\"%s\"],"
           "\"operation_status\":\"DELETE\"}", w.c_nocbo);
  r = t_post(w.t, "/smart_plus/campaign/status/update/", body);
  t_ok(r);
  json_decref(r);
  char q[256];
  snprintf(q, sizeof q, "/smart_plus/ad/get/?advertiser_id=%s&filtering={\"primary_status\":\"STATUS_ALL\","
           "\"smart_plus_ad_ids\":[\"%s\"]}", w.t->adv, ad);
  r = t_get(w.t, q);
  json_t *a0 = json_array_get(json_object_get(t_data(r), "list"), 0);
  assert_string_equal(json_string_value(json_object_get(a0, "secondary_status")), "AD_STATUS_DELETE");
  json_decref(r);
  snprintf(body, sizeof body, "{\"advertiser_id\":\"ADV\",\"smart_plus_ad_ids\":[\"%s\"],"
           "\"operation_status\":\"ENABLE\"}", ad);
  r = t_post(w.t, "/smart_plus/ad/status/update/", body);
  t_ok(r);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "smart_plus_ad_ids")), 0);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "error_list")), 1);
  json_decref(r);
  free_world(&w);
}

static void updates_keep_campaign_valid(void **st) {
  (void)st;
  world w;
  make_world(&w);
  char *b = subst(w.a, seed_adgroup_auto, "CAMPAIGN_ID_FROM_STEP_1", w.c_cbo);
  b = subst(w.a, b, "YOUR_PIXEL_ID", w.pixel);
  json_t *r = t_post(w.t, "/smart_plus/adgroup/create/", b);
  const char *g2 = id_of(r, "adgroup_id", w.a);
  json_decref(r);
  char body[512];
  /* under CBO an ad group budget is refused on update as on create */
  snprintf(body, sizeof body, "{\"advertiser_id\":\"ADV\",\"adgroup_id\":\"%s\",\"budget\":100}", g2);
  r = t_post(w.t, "/smart_plus/adgroup/update/", body);
  t_expect(r, 40002, "ADGROUP_CBO_NO_BUDGET");
  json_decref(r);
  /* immutable fields */
  snprintf(body, sizeof body, "{\"advertiser_id\":\"ADV\",\"adgroup_id\":\"%s\","
           "\"optimization_event\":\"ADD_TO_CART\"}", g2);
  r = t_post(w.t, "/smart_plus/adgroup/update/", body);
  t_expect(r, 40002, "optimization_event: cannot be changed");
  json_decref(r);
  /* a rename is fine, and the same values repeated are not changes */
  snprintf(body, sizeof body, "{\"advertiser_id\":\"ADV\",\"adgroup_id\":\"%s\","
           "\"adgroup_name\":\"renamed\",\"optimization_event\":\"COMPLETE_PAYMENT\"}", g2);
  r = t_post(w.t, "/smart_plus/adgroup/update/", body);
  t_ok(r);
  assert_string_equal(json_string_value(json_object_get(t_data(r), "adgroup_name")), "renamed");
  json_decref(r);
  /* the manual ad group: a Cost Cap bid must stay below its daily budget */
  snprintf(body, sizeof body, "{\"advertiser_id\":\"ADV\",\"adgroup_id\":\"%s\","
           "\"conversion_bid_price\":250}", w.g_manual);
  r = t_post(w.t, "/smart_plus/adgroup/update/", body);
  t_expect(r, 40002, "ADGROUP_BID_BELOW_BUDGET");
  json_decref(r);
  snprintf(body, sizeof body, "{\"advertiser_id\":\"ADV\",\"adgroup_id\":\"%s\","
           "\"conversion_bid_price\":17.25}", w.g_manual);
  r = t_post(w.t, "/smart_plus/adgroup/update/", body);
  t_ok(r);
  assert_true(json_real_value(json_object_get(t_data(r), "conversion_bid_price")) == 17.25);
  json_decref(r);
  /* an ad update cannot turn a non-Spark ad into a Spark one while the
   * campaign holds other non-Spark ads */
  b = subst(w.a, seed_ad_video, "ADGROUP_ID_FROM_STEP_2", w.g_auto);
  r = t_post(w.t, "/smart_plus/ad/create/", b);
  t_ok(r);
  json_decref(r);
  r = t_post(w.t, "/smart_plus/ad/create/", b);
  const char *ad2 = id_of(r, "smart_plus_ad_id", w.a);
  const char *mat = sp_arena_strdup(w.a, json_string_value(json_object_get(
      json_array_get(json_object_get(t_data(r), "creative_list"), 0), "ad_material_id")));
  json_decref(r);
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"smart_plus_ad_id\":\"%s\",\"creative_list\":[{\"creative_info\":"
           "{\"ad_format\":\"SINGLE_VIDEO\",\"tiktok_item_id\":\"7\",\"identity_type\":\"TT_USER\","
           "\"identity_id\":\"me\"}}]}", ad2);
  r = t_post(w.t, "/smart_plus/ad/update/", body);
  t_expect(r, 40002, "AD_SPARK_MIX");
  json_decref(r);
  /* material status */
  snprintf(body, sizeof body, "{\"advertiser_id\":\"ADV\",\"smart_plus_ad_id\":\"%s\","
           "\"ad_material_ids\":[\"%s\"],\"operation_status\":\"DISABLE\"}", ad2, mat);
  r = t_post(w.t, "/smart_plus/ad/material_status/update/", body);
  t_ok(r);
  assert_string_equal(json_string_value(json_object_get(t_data(r), "operation_status")), "DISABLE");
  json_decref(r);
  free_world(&w);
}

/* deleting the campaign's only non-Spark ad lets a Spark ad in */
static void deleting_frees_spark_constraint(void **st) {
  (void)st;
  world w;
  make_world(&w);
  char *b = subst(w.a, seed_ad_video, "ADGROUP_ID_FROM_STEP_2", w.g_auto);
  json_t *r = t_post(w.t, "/smart_plus/ad/create/", b);
  const char *ad = id_of(r, "smart_plus_ad_id", w.a);
  json_decref(r);
  char *spark = subst(w.a, seed_ad_spark, "ADGROUP_ID_FROM_STEP_2", w.g_auto);
  r = t_post(w.t, "/smart_plus/ad/create/", spark);
  t_expect(r, 40002, "AD_SPARK_MIX");
  json_decref(r);
  char body[256];
  snprintf(body, sizeof body, "{\"advertiser_id\":\"ADV\",\"smart_plus_ad_ids\":[\"%s\"],"
           "\"operation_status\":\"DISABLE\"}", ad);
  r = t_post(w.t, "/smart_plus/ad/status/update/", body);
  t_ok(r);
  json_decref(r);
  r = t_post(w.t, "/smart_plus/ad/create/", spark); /* a paused ad still counts */
  t_expect(r, 40002, "AD_SPARK_MIX");
  json_decref(r);
  snprintf(body, sizeof body, "{\"advertiser_id\":\"ADV\",\"smart_plus_ad_ids\":[\"%s\"],"
           "\"operation_status\":\"DELETE\"}", ad);
  r = t_post(w.t, "/smart_plus/ad/status/update/", body);
  t_ok(r);
  json_decref(r);
  r = t_post(w.t, "/smart_plus/ad/create/", spark);
  t_ok(r);
  json_decref(r);
  free_world(&w);
}

static void campaign_budget_keeps_adgroups_valid(void **st) {
  (void)st;
  world w;
  make_world(&w);
  /* a CBO daily campaign (500) with an ad group floor of 300 */
  char *b = subst(w.a, seed_adgroup_auto, "CAMPAIGN_ID_FROM_STEP_1", w.c_cbo);
  b = subst(w.a, b, "YOUR_PIXEL_ID", w.pixel);
  b = subst(w.a, b, "\"bid_type\": \"BID_TYPE_NO_BID\"",
            "\"bid_type\": \"BID_TYPE_NO_BID\", \"min_budget\": 300");
  json_t *r = t_post(w.t, "/smart_plus/adgroup/create/", b);
  t_ok(r);
  json_decref(r);
  char body[256];
  snprintf(body, sizeof body, "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"%s\",\"budget\":250}",
           w.c_cbo);
  r = t_post(w.t, "/smart_plus/campaign/update/", body);
  t_expect(r, 40002, "would make ad group");
  t_expect(r, 40002, "min_budget");
  json_decref(r);
  snprintf(body, sizeof body, "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"%s\",\"budget\":350}",
           w.c_cbo);
  r = t_post(w.t, "/smart_plus/campaign/update/", body);
  t_ok(r);
  json_decref(r);
  free_world(&w);
}

/* secondary_status of an ad group or ad shows its parents' pauses: the ad
 * group the campaign's, the ad its ad group's first, then its campaign's. */
static const char *status_of(world *w, const char *kind, const char *idf,
                             const char *id) {
  char q[256];
  snprintf(q, sizeof q,
           "/smart_plus/%s/get/?advertiser_id=%s&filtering={\"%s\":[\"%s\"]}",
           kind, w->t->adv, idf, id);
  json_t *r = t_get(w->t, q);
  t_ok(r);
  json_t *o = json_array_get(json_object_get(t_data(r), "list"), 0);
  const char *v = sp_arena_strdup(
      w->a, json_string_value(json_object_get(o, "secondary_status")));
  json_decref(r);
  return v;
}

static void set_status(world *w, const char *kind, const char *ids_field,
                       const char *id, const char *op) {
  char *b = sp_arena_printf(w->a,
                            "{\"advertiser_id\":\"ADV\",\"%s\":[\"%s\"],"
                            "\"operation_status\":\"%s\"}",
                            ids_field, id, op);
  char path[64];
  snprintf(path, sizeof path, "/smart_plus/%s/status/update/", kind);
  json_t *r = t_post(w->t, path, b);
  t_ok(r);
  json_decref(r);
}

static void secondary_status_follows_parents(void **st) {
  (void)st;
  world w;
  make_world(&w);
  char *b = subst(w.a, seed_ad_video, "ADGROUP_ID_FROM_STEP_2", w.g_auto);
  json_t *r = t_post(w.t, "/smart_plus/ad/create/", b);
  const char *ad = id_of(r, "smart_plus_ad_id", w.a);
  json_decref(r);
  assert_string_equal(status_of(&w, "ad", "smart_plus_ad_ids", ad), "AD_STATUS_DELIVERY_OK");
  set_status(&w, "campaign", "campaign_ids", w.c_cbo, "DISABLE");
  assert_string_equal(status_of(&w, "adgroup", "adgroup_ids", w.g_auto),
                      "ADGROUP_STATUS_CAMPAIGN_DISABLE");
  assert_string_equal(status_of(&w, "ad", "smart_plus_ad_ids", ad),
                      "AD_STATUS_CAMPAIGN_DISABLE");
  set_status(&w, "adgroup", "adgroup_ids", w.g_auto, "DISABLE");
  assert_string_equal(status_of(&w, "ad", "smart_plus_ad_ids", ad),
                      "AD_STATUS_ADGROUP_DISABLE");
  set_status(&w, "adgroup", "adgroup_ids", w.g_auto, "ENABLE");
  set_status(&w, "campaign", "campaign_ids", w.c_cbo, "ENABLE");
  assert_string_equal(status_of(&w, "ad", "smart_plus_ad_ids", ad), "AD_STATUS_DELIVERY_OK");
  free_world(&w);
}

/* dispatch decodes a create's body straight from its text when it can
 * (model/quick.c) and otherwise through the jansson tree; an unknown key
 * sends the same body down the second path. Both must create the same
 * object. */
static json_t *created(world *w, const char *path, const char *body,
                       const char *id_field) {
  json_t *r = t_post(w->t, path, body);
  t_ok(r);
  json_t *d = json_deep_copy(t_data(r));
  json_decref(r);
  assert_non_null(json_object_get(d, id_field));
  json_object_del(d, id_field);
  json_object_del(d, "create_time");
  json_object_del(d, "modify_time");
  size_t i;
  json_t *cr;
  json_array_foreach(json_object_get(d, "creative_list"), i, cr) {
    assert_non_null(json_object_get(cr, "ad_material_id"));
    json_object_del(cr, "ad_material_id");
  }
  return d;
}

static void fast_and_slow_decode_agree(void **st) {
  (void)st;
  world w;
  make_world(&w);
  const char *bodies[][3] = {
      {"/smart_plus/campaign/create/", "campaign_id", seed_campaign_cbo},
      {"/smart_plus/adgroup/create/", "adgroup_id",
       subst(w.a, subst(w.a, seed_adgroup_manual, "CAMPAIGN_ID_FROM_STEP_1",
                        w.c_nocbo),
             "YOUR_PIXEL_ID", w.pixel)},
      {"/smart_plus/ad/create/", "smart_plus_ad_id",
       sp_arena_printf(
           w.a,
           "{\"advertiser_id\":\"ADV\",\"adgroup_id\":\"%s\",\"ad_name\":\"Bulk\","
           "\"creative_list\":[{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\","
           "\"video_info\":{\"video_id\":\"v1\"},\"image_info\":[{\"web_uri\":"
           "\"https://cdn.example/t1.jpg\"}],\"identity_type\":\"CUSTOMIZED_USER\"}},"
           "{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"video_info\":"
           "{\"video_id\":\"v2\"},\"image_info\":[{\"web_uri\":\"https://cdn.example/"
           "t2.jpg\"}],\"identity_type\":\"CUSTOMIZED_USER\"}}],\"ad_text_list\":"
           "[{\"ad_text\":\"Shop the spring collection\"},{\"ad_text\":\"New "
           "arrivals this week\"}],\"landing_page_url_list\":[{\"landing_page_url\":"
           "\"https://www.example.com/spring-sale\"}],\"call_to_action_list\":"
           "[{\"call_to_action\":\"SHOP_NOW\"}],\"request_id\":\"991\"}",
           w.g_auto)},
  };
  for (size_t k = 0; k < SP_ARRAY_LEN(bodies); k++) {
    const char *fast = bodies[k][2];
    /* the same body with one key outside the schema, and another request id */
    char *slow = subst(w.a, fast, "{\"advertiser_id\"",
                       "{\"not_a_field\": 1, \"advertiser_id\"");
    slow = subst(w.a, slow, "\"991\"", "\"992\"");
    json_t *a = created(&w, bodies[k][0], fast, bodies[k][1]);
    json_t *b = created(&w, bodies[k][0], slow, bodies[k][1]);
    if (!json_equal(a, b)) {
      char *x = json_dumps(a, JSON_SORT_KEYS), *y = json_dumps(b, JSON_SORT_KEYS);
      fail_msg("%s: fast path %s\nslow path %s", bodies[k][0], x, y);
    }
    json_decref(a);
    json_decref(b);
  }
  /* a request id read by the fast path still makes the create idempotent */
  json_t *r1 = t_post(w.t, bodies[2][0], bodies[2][2]);
  t_ok(r1);
  json_t *r2 = t_post(w.t, bodies[2][0], bodies[2][2]);
  t_ok(r2);
  assert_string_equal(
      json_string_value(json_object_get(t_data(r1), "smart_plus_ad_id")),
      json_string_value(json_object_get(t_data(r2), "smart_plus_ad_id")));
  json_decref(r1);
  json_decref(r2);
  /* and the advertiser it names is still checked */
  json_t *r3 = t_post(w.t, bodies[0][0],
                      subst(w.a, seed_campaign_cbo, "\"ADV\"", "\"12\""));
  t_expect(r3, 40001, "No permission to operate advertiser 12");
  json_decref(r3);
  free_world(&w);
}

/* An ad's create and update against its parents: a missing ad group, live
 * and paused parents (the answer's secondary_status), and a deleted ad
 * group refusing both. */
static void ad_parents_gone(void **st) {
  (void)st;
  world w;
  make_world(&w);
  const char *ad = "{\"advertiser_id\":\"ADV\",\"adgroup_id\":\"%s\",\"ad_name\":\"A\","
                   "\"creative_list\":[{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\","
                   "\"video_info\":{\"video_id\":\"v1\"},\"image_info\":[{\"web_uri\":"
                   "\"https://cdn.example/t1.jpg\"}],\"identity_type\":\"CUSTOMIZED_USER\"}}],"
                   "\"ad_text_list\":[{\"ad_text\":\"Hello\"}],\"landing_page_url_list\":"
                   "[{\"landing_page_url\":\"https://www.example.com/\"}],"
                   "\"call_to_action_list\":[{\"call_to_action\":\"SHOP_NOW\"}]}";
  /* no such ad group */
  json_t *r = t_post(w.t, "/smart_plus/ad/create/",
                     sp_arena_printf(w.a, ad, "1850000000999999"));
  t_expect(r, 40007, "The ad group 1850000000999999 does not exist.");
  json_decref(r);
  /* a live one: the ad is made, its answer knows both parents are live */
  r = t_post(w.t, "/smart_plus/ad/create/", sp_arena_printf(w.a, ad, w.g_manual));
  t_ok(r);
  assert_string_equal(
      json_string_value(json_object_get(t_data(r), "campaign_id")), w.c_nocbo);
  assert_string_equal(
      json_string_value(json_object_get(t_data(r), "secondary_status")),
      "AD_STATUS_DELIVERY_OK");
  const char *ad_id = id_of(r, "smart_plus_ad_id", w.a);
  json_decref(r);
  /* a paused campaign: still made, and said so */
  set_status(&w, "campaign", "campaign_ids", w.c_nocbo, "DISABLE");
  r = t_post(w.t, "/smart_plus/ad/create/", sp_arena_printf(w.a, ad, w.g_manual));
  t_ok(r);
  assert_string_equal(
      json_string_value(json_object_get(t_data(r), "secondary_status")),
      "AD_STATUS_CAMPAIGN_DISABLE");
  json_decref(r);
  /* the ad group deleted (with its campaign): create and update refused */
  set_status(&w, "campaign", "campaign_ids", w.c_nocbo, "DELETE");
  r = t_post(w.t, "/smart_plus/ad/create/", sp_arena_printf(w.a, ad, w.g_manual));
  t_expect(r, 40007, "is deleted");
  json_decref(r);
  r = t_post(w.t, "/smart_plus/ad/update/",
             sp_arena_printf(w.a,
                             "{\"advertiser_id\":\"ADV\",\"smart_plus_ad_id\":\"%s\","
                             "\"ad_name\":\"B\"}",
                             ad_id));
  t_expect(r, 40007, "is deleted");
  json_decref(r);
  free_world(&w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(seeds_five_calls),
      cmocka_unit_test(common_errors),
      cmocka_unit_test(ad_reads_campaign_objective),
      cmocka_unit_test(thirty_adgroups_and_deletes),
      cmocka_unit_test(updates_keep_campaign_valid),
      cmocka_unit_test(campaign_budget_keeps_adgroups_valid),
      cmocka_unit_test(deleting_frees_spark_constraint),
      cmocka_unit_test(fast_and_slow_decode_agree),
      cmocka_unit_test(ad_parents_gone),
      cmocka_unit_test(secondary_status_follows_parents),
  };
  return cmocka_run_group_tests_name("api/adgroup_ad", tests, NULL, NULL);
}
