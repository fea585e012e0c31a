/* tests/model/test_quick.c - sp_decode_quick, the tree-less fast path of
 * create bodies: taken for realistic ad, ad group and campaign bodies, not
 * taken for what the slow path refuses or rewrites, and on thousands of
 * mutated bodies never taken unless the slow path (sp_json_load, the ad
 * normalizer, sp_decode) accepts the text and decodes the same struct. */
#include "../testutil.h"

#include "model/json.h"
#include "model/objects.h"
#include "model/quick.h"
#include "rules/ad.h"

static const char *const keep[] = {"advertiser_id", "request_id", NULL};
static const char *const ad_refuse[] = {"deeplink", "deeplink_type", NULL};

#define ADV "7318446224790159361"
#define RID "req-0001"

/* ---- texts ---- */

typedef struct text {
  char *p;
  size_t n;
} text;

static void cat(sp_buf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  assert_true(n >= 0 && (size_t)n < sizeof tmp);
  assert_int_equal(sp_buf_append(b, tmp, (size_t)n), 0);
}

/* t with [lo, hi) replaced by ins[0..n) (malloc'd) */
static text splice(text t, size_t lo, size_t hi, const char *ins, size_t n) {
  text r = {malloc(t.n - (hi - lo) + n + 1), t.n - (hi - lo) + n};
  memcpy(r.p, t.p, lo);
  memcpy(r.p + lo, ins, n);
  memcpy(r.p + lo + n, t.p + hi, t.n - hi);
  r.p[r.n] = '\0';
  return r;
}

static text dup_text(const char *s) {
  text t = {strdup(s), strlen(s)};
  return t;
}

/* ---- the realistic bodies ---- */

typedef struct body {
  const char *name;
  const sp_schema *s;
  int ad; /* the slow path normalizes ad bodies first */
  text t;
} body;

/* bench/create_cpu.sh's ad: 10 SINGLE_VIDEO creatives, 5 texts */
static text ad_bulk(void) {
  static const char *texts[] = {"Shop the spring collection", "New arrivals this week",
                                "Free shipping on every order", "Members save more today",
                                "Find your new favourite"};
  sp_buf b;
  sp_buf_init(&b, 1 << 20);
  cat(&b, "{\"advertiser_id\":\"%s\",\"adgroup_id\":\"1850000000000001\","
          "\"ad_name\":\"Spring Sale\",\"creative_list\":[", ADV);
  for (int k = 1; k <= 10; k++)
    cat(&b, "%s{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"video_info\":"
            "{\"video_id\":\"v%d\"},\"image_info\":[{\"web_uri\":"
            "\"https://cdn.example/t%d.jpg\"}],\"identity_type\":\"CUSTOMIZED_USER\"}}",
        k > 1 ? "," : "", k, k);
  cat(&b, "],\"ad_text_list\":[");
  for (int k = 0; k < 5; k++)
    cat(&b, "%s{\"ad_text\":\"%s\"}", k ? "," : "", texts[k]);
  cat(&b, "],\"landing_page_url_list\":[{\"landing_page_url\":"
          "\"https://www.example.com/spring-sale\"}],\"call_to_action_list\":"
          "[{\"call_to_action\":\"SHOP_NOW\"}]}");
  text t = {b.data, b.len};
  return t;
}

static const char *ad_carousel =
    "{\"advertiser_id\":\"" ADV "\",\"adgroup_id\":\"1850000000000002\","
    "\"ad_name\":\"Carousel \\u00e9t\\u00e9 \xe4\xb8\xad\",\"operation_status\":\"ENABLE\","
    "\"creative_list\":[{\"creative_info\":{\"ad_format\":\"CAROUSEL\","
    "\"image_info\":[{\"web_uri\":\"https://cdn.example/c1.jpg\"},"
    "{\"web_uri\":\"https://cdn.example/c2.jpg\"},{\"web_uri\":\"https://cdn.example/c3.jpg\"}],"
    "\"music_info\":{\"music_id\":\"m-42\"},\"identity_type\":\"CUSTOMIZED_USER\","
    "\"aigc_disclosure_type\":\"NOT_DECLARED\"}}],"
    "\"ad_text_list\":[{\"ad_text\":\"Swipe through the looks\"}],"
    "\"landing_page_url_list\":[{\"landing_page_url\":\"https://www.example.com/c\"}],"
    "\"call_to_action_list\":[{\"call_to_action\":\"LEARN_MORE\"},"
    "{\"call_to_action\":\"SHOP_NOW\"}]}";

static const char *ad_spark =
    "{\"advertiser_id\":\"" ADV "\",\"adgroup_id\":1850000000000003,"
    "\"ad_name\":\"Organic Post Spark Ad\",\"creative_list\":[{\"creative_info\":{"
    "\"ad_format\":\"SINGLE_VIDEO\",\"tiktok_item_id\":\"7300000000000000001\","
    "\"identity_type\":\"AUTH_CODE\",\"identity_id\":\"auth-7a1c\"}}],"
    "\"ad_text_list\":[{\"ad_text\":\"See what everyone is talking about\"}],"
    "\"landing_page_url_list\":[{\"landing_page_url\":\"https://www.example.com/product\"}],"
    "\"deeplink_list\":[{\"deeplink\":\"shop://sale\",\"deeplink_type\":\"NORMAL\"}],"
    "\"ad_configuration\":{\"call_to_action_id\":\"7100000000000000001\","
    "\"utm_params\":[{\"key\":\"utm_source\",\"value\":\"tiktok\"},"
    "{\"key\":\"utm_campaign\",\"value\":\"spring\"}],\"dark_post_status\":\"ON\"}}";

/* bench/create_cpu.sh's ad group, and the seeds' manual one (001) */
static const char *adgroup_auto =
    "{\"advertiser_id\":\"" ADV "\",\"campaign_id\":\"1840000000000001\","
    "\"adgroup_name\":\"US\",\"promotion_type\":\"WEBSITE\",\"optimization_goal\":\"CONVERT\","
    "\"pixel_id\":\"7000000000000000001\",\"optimization_event\":\"COMPLETE_PAYMENT\","
    "\"billing_event\":\"OCPM\",\"bid_type\":\"BID_TYPE_NO_BID\","
    "\"schedule_type\":\"SCHEDULE_FROM_NOW\",\"targeting_optimization_mode\":\"AUTOMATIC\","
    "\"targeting_spec\":{\"location_ids\":[\"6252001\"]},"
    "\"placement_type\":\"PLACEMENT_TYPE_NORMAL\",\"placements\":[\"PLACEMENT_TIKTOK\"]}";

static const char *adgroup_manual =
    "{\"advertiser_id\": \"" ADV "\", \"campaign_id\": \"1840000000000002\","
    "\"adgroup_name\": \"US 25-44 Purchasers - Manual\", \"promotion_type\": \"WEBSITE\","
    "\"optimization_goal\": \"CONVERT\", \"pixel_id\": 7000000000000000001,"
    "\"optimization_event\": \"COMPLETE_PAYMENT\", \"billing_event\": \"OCPM\","
    "\"bid_type\": \"BID_TYPE_CUSTOM\", \"conversion_bid_price\": 15.00,"
    "\"budget_mode\": \"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\", \"budget\": 200,"
    "\"schedule_type\": \"SCHEDULE_START_END\", \"schedule_start_time\": \"2026-04-01 00:00:00\","
    "\"schedule_end_time\": \"2026-04-30 23:59:59\", \"targeting_optimization_mode\": \"MANUAL\","
    "\"targeting_spec\": {\"location_ids\": [\"6252001\", \"2635167\"],"
    " \"age_groups\": [\"AGE_25_34\", \"AGE_35_44\"], \"gender\": \"GENDER_UNLIMITED\","
    " \"languages\": [\"en\"], \"actions\": [{\"action_scene\": \"VIDEO_RELATED\","
    " \"action_period\": 15, \"video_user_actions\": [\"LIKED\", \"SHARED\"],"
    " \"action_category_ids\": [\"300000001\", 300000002]}],"
    " \"smart_audience_enabled\": false},"
    "\"placement_type\": \"PLACEMENT_TYPE_NORMAL\","
    "\"placements\": [\"PLACEMENT_TIKTOK\", \"PLACEMENT_GLOBAL_APP_BUNDLE\"],"
    "\"pacing\": \"PACING_MODE_SMOOTH\", \"comment_disabled\": true}";

/* the seeds' campaigns (001) */
static const char *campaign_cbo =
    "{\"advertiser_id\": \"" ADV "\", \"campaign_name\": \"Q2 Web Conversions - CBO\","
    "\"objective_type\": \"WEB_CONVERSIONS\", \"budget_optimize_on\": true,"
    "\"budget_mode\": \"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\", \"budget\": 500}";
static const char *campaign_nocbo =
    "{\"advertiser_id\":\"" ADV "\",\"campaign_name\":\"Q2 Web Conversions - AdGroup Budgets\","
    "\"objective_type\":\"WEB_CONVERSIONS\",\"budget_optimize_on\":false,"
    "\"budget_mode\":\"BUDGET_MODE_INFINITE\",\"special_industries\":[\"HOUSING\"],"
    "\"budget\":1250.75}";

/* `"request_id":"req-0001"` as the first key (or the last) */
static text with_rid(text t, int last) {
  static const char first[] = "\"request_id\":\"" RID "\",";
  static const char end[] = ",\"request_id\":\"" RID "\"";
  if (last) return splice(t, t.n - 1, t.n - 1, end, strlen(end));
  return splice(t, 1, 1, first, strlen(first));
}

#define N_BODIES 16
static body bodies[N_BODIES];
static size_t n_bodies;

static void add_body(const char *name, const sp_schema *s, text t) {
  assert_true(n_bodies + 2 <= N_BODIES);
  int last = n_bodies % 4 == 2; /* request_id last in every other pair */
  bodies[n_bodies++] = (body){name, s, s == &sp_ad_schema, t};
  bodies[n_bodies++] = (body){name, s, s == &sp_ad_schema, with_rid(t, last)};
}

static int setup(void **st) {
  (void)st;
  add_body("ad/bulk", &sp_ad_schema, ad_bulk());
  add_body("ad/carousel", &sp_ad_schema, dup_text(ad_carousel));
  add_body("ad/spark", &sp_ad_schema, dup_text(ad_spark));
  add_body("adgroup/auto", &sp_adgroup_schema, dup_text(adgroup_auto));
  add_body("adgroup/manual", &sp_adgroup_schema, dup_text(adgroup_manual));
  add_body("campaign/cbo", &sp_campaign_schema, dup_text(campaign_cbo));
  add_body("campaign/nocbo", &sp_campaign_schema, dup_text(campaign_nocbo));
  return 0;
}

static int teardown(void **st) {
  (void)st;
  for (size_t i = 0; i < n_bodies; i++) free(bodies[i].t.p);
  n_bodies = 0;
  return 0;
}

/* ---- the contract ---- */

/* quick took t into out (with top): the slow path on t must accept it,
 * leave it unchanged (ad bodies: rules_ad_normalize) and decode the same
 * struct, and top must hold what the tree holds under the keep keys. */
static void agree(const body *b, text t, const void *out, json_t *top,
                  sp_arena *a) {
  json_error_t jerr;
  json_t *tree = sp_json_load(t.p, t.n, JSON_REJECT_DUPLICATES, &jerr);
  if (!tree) fail_msg("%s: quick took a text the loader refuses (%s): %.300s",
                      b->name, jerr.text, t.p);
  assert_true(json_is_object(tree));
  sp_err e;
  sp_err_clear(&e);
  if (b->ad) {
    json_t *before = json_deep_copy(tree);
    if (rules_ad_normalize(tree, &e) != SP_OK)
      fail_msg("%s: quick took a text the normalizer refuses (%s): %.300s",
               b->name, e.msg, t.p);
    if (!json_equal(before, tree))
      fail_msg("%s: quick took a text the normalizer rewrites: %.300s", b->name, t.p);
    json_decref(before);
  }
  void *out2 = sp_arena_alloc(a, b->s->size);
  if (sp_decode(b->s, tree, out2, 1, a, "", &e) != SP_OK)
    fail_msg("%s: quick took a text sp_decode refuses (%s: %s): %.300s", b->name,
             e.field, e.msg, t.p);
  sp_buf b1, b2;
  sp_buf_init(&b1, 1 << 24);
  sp_buf_init(&b2, 1 << 24);
  sp_encode_text(b->s, out, &b1);
  sp_encode_text(b->s, out2, &b2);
  if (b1.len != b2.len || memcmp(b1.data, b2.data, b1.len) != 0)
    fail_msg("%s: decoded differently:\n quick %.400s\n slow  %.400s\n text  %.300s",
             b->name, b1.data, b2.data, t.p);
  sp_buf_free(&b1);
  sp_buf_free(&b2);
  assert_non_null(top);
  size_t present = 0;
  for (const char *const *k = keep; *k; k++) {
    json_t *want = json_object_get(tree, *k), *got = json_object_get(top, *k);
    if (!want) {
      assert_null(got);
      continue;
    }
    present++;
    if (!got || !json_equal(want, got))
      fail_msg("%s: keep key %s differs: %.300s", b->name, *k, t.p);
  }
  assert_int_equal(json_object_size(top), present);
  json_decref(tree);
}

/* quick on t: 1 if taken (and then checked against the slow path) */
static int try_text(const body *b, text t, const char *const *refuse) {
  sp_arena *a = sp_arena_create();
  void *out = sp_arena_alloc(a, b->s->size);
  json_t *top = (json_t *)&top; /* must be overwritten */
  int taken = sp_decode_quick(b->s, t.p, t.n, keep, refuse, out, a, &top);
  if (taken) {
    assert_int_equal(taken, 1);
    agree(b, t, out, top, a);
  } else {
    assert_null(top);
  }
  json_decref(top);
  sp_arena_destroy(a);
  return taken;
}

/* 1 if the slow path accepts t (for the count of missed chances) */
static int slow_ok(const body *b, text t) {
  json_t *tree = sp_json_load(t.p, t.n, JSON_REJECT_DUPLICATES, NULL);
  if (!tree) return 0;
  sp_arena *a = sp_arena_create();
  sp_err e;
  int ok = json_is_object(tree) && (!b->ad || rules_ad_normalize(tree, &e) == SP_OK) &&
           sp_decode(b->s, tree, sp_arena_alloc(a, b->s->size), 1, a, "", &e) == SP_OK;
  sp_arena_destroy(a);
  json_decref(tree);
  return ok;
}

/* ---- taken: the realistic bodies ---- */

static void takes_realistic_bodies(void **st) {
  (void)st;
  for (size_t i = 0; i < n_bodies; i++) {
    const body *b = &bodies[i];
    sp_arena *a = sp_arena_create();
    void *out = sp_arena_alloc(a, b->s->size);
    json_t *top = NULL;
    if (!sp_decode_quick(b->s, b->t.p, b->t.n, keep, b->ad ? ad_refuse : NULL, out,
                         a, &top))
      fail_msg("%s not taken: %s", b->name, b->t.p);
    agree(b, b->t, out, top, a);
    assert_string_equal(json_string_value(json_object_get(top, "advertiser_id")), ADV);
    if (i % 2) assert_string_equal(json_string_value(json_object_get(top, "request_id")), RID);
    else assert_null(json_object_get(top, "request_id"));
    /* a look at the struct itself */
    if (b->s == &sp_ad_schema) {
      const sp_ad *ad = out;
      assert_true(ad->advertiser_id.set);
      assert_int_equal(ad->advertiser_id.v, 7318446224790159361LL);
      assert_true(ad->adgroup_id.set && ad->creative_list.set);
    }
    json_decref(top);
    sp_arena_destroy(a);
  }
  /* the bulk ad in detail: lists grown past their first block */
  sp_arena *a = sp_arena_create();
  sp_ad *ad = sp_arena_alloc(a, sizeof *ad);
  assert_int_equal(sp_decode_quick(&sp_ad_schema, bodies[0].t.p, bodies[0].t.n, NULL,
                                   NULL, ad, a, NULL),
                   1);
  assert_int_equal(ad->creative_list.n, 10);
  assert_int_equal(ad->ad_text_list.n, 5);
  const sp_creative *c = (const sp_creative *)ad->creative_list.v + 9;
  const sp_creative_info *ci = c->creative_info.v;
  assert_string_equal(((const sp_video_info *)ci->video_info.v)->video_id.v, "v10");
  assert_string_equal(((const sp_image_info *)ci->image_info.v)->web_uri.v,
                      "https://cdn.example/t10.jpg");
  assert_string_equal(((const sp_ad_text *)ad->ad_text_list.v)[4].ad_text.v,
                      "Find your new favourite");
  assert_false(ad->operation_status.set);
  sp_arena_destroy(a);
}

/* ---- semantics at the edges, each checked against the slow path ---- */

static void edge_cases_agree(void **st) {
  (void)st;
  body camp = {"campaign", &sp_campaign_schema, 0, {0}};
  body grp = {"adgroup", &sp_adgroup_schema, 0, {0}};
  body ad = {"ad", &sp_ad_schema, 1, {0}};
  const struct {
    const body *b;
    const char *text;
  } ok[] = {
      {&camp, "{}"},
      {&camp, " {\"campaign_name\":null, \"advertiser_id\":null}\n"},
      {&camp, "{\"advertiser_id\":7,\"request_id\":null,\"budget\":0}"},
      {&camp, "{\"advertiser_id\":\"0007\",\"budget\":-0.0,\"request_id\":1.5e2}"},
      {&camp, "{\"special_industries\":[],\"budget\":1e9,\"request_id\":true}"},
      {&camp, "{\"budget\":1e-400,\"campaign_name\":\"\\u00e9\\ud83d\\ude00\\t\"}"},
      {&camp, "{\"app_id\":9223372036854775807,\"po_number\":\"\"}"},
      {&grp, "{\"targeting_spec\":{\"location_ids\":[\"007\",42,\"9223372036854775807\"]}}"},
      {&grp, "{\"targeting_spec\":{},\"placements\":[]}"},
      {&grp, "{\"targeting_spec\":null,\"bid_price\":10000000,\"roas_bid\":0.5}"},
      {&grp, "{\"targeting_spec\":{\"actions\":[{},{\"action_period\":180}]}}"},
      {&ad, "{\"creative_list\":[{\"creative_info\":null},{}],\"ad_text_list\":[]}"},
      {&ad, "{\"creative_list\":[{\"creative_info\":{\"music_info\":{}}}]}"},
  };
  for (size_t i = 0; i < SP_ARRAY_LEN(ok); i++) {
    text t = {(char *)ok[i].text, strlen(ok[i].text)};
    if (!try_text(ok[i].b, t, NULL))
      fail_msg("not taken: %s", ok[i].text);
  }
}

/* not taken: what the slow path refuses or rewrites */
static void gives_up(void **st) {
  (void)st;
  static const struct {
    const sp_schema *s;
    const char *text;
  } no[] = {
      /* JSON the loader refuses */
      {&sp_campaign_schema, ""},
      {&sp_campaign_schema, "   "},
      {&sp_campaign_schema, "[]"},
      {&sp_campaign_schema, "\"x\""},
      {&sp_campaign_schema, "{\"budget\":1,}"},
      {&sp_campaign_schema, "{} {}"},
      {&sp_campaign_schema, "{}x"},
      {&sp_campaign_schema, "{\"budget\":1e400}"},
      {&sp_campaign_schema, "{\"request_id\":99999999999999999999}"},
      {&sp_campaign_schema, "{\"request_id\":\"a\\u0000b\"}"},
      {&sp_campaign_schema, "{\"campaign_name\":\"a\\u0000b\"}"},
      {&sp_campaign_schema, "{\"advertiser_id\\u0000\":\"1\"}"},
      {&sp_campaign_schema, "{\"budget\":1,\"budget\":1}"},
      {&sp_campaign_schema, "{\"request_id\":\"a\",\"request_id\":\"a\"}"},
      {&sp_campaign_schema, "{\"campaign_name\":null,\"campaign_name\":\"x\"}"},
      {&sp_ad_schema, "{\"creative_list\":[{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\","
                      "\"ad_format\":\"SINGLE_VIDEO\"}}]}"},
      /* keys the fast path does not handle */
      {&sp_campaign_schema, "{\"zz_unknown\":1}"},
      {&sp_campaign_schema, "{\"campaign_id\":\"1\"}"}, /* response-only */
      {&sp_ad_schema, "{\"creative_list\":[{\"ad_material_id\":\"1\"}]}"},
      {&sp_campaign_schema, "{\"request_id\":{}}"},
      {&sp_campaign_schema, "{\"request_id\":[\"r\"]}"},
      {&sp_campaign_schema, "{\"budget\":[]}"},
      /* what rules_ad_normalize rewrites */
      {&sp_ad_schema, "{\"call_to_action_list\":[\"Shop Now\"]}"},
      {&sp_ad_schema, "{\"ad_configuration\":{\"call_to_action_list\":[\"Shop Now\"]}}"},
      {&sp_ad_schema, "{\"ad_configuration\":{\"call_to_action_list\":null}}"},
      {&sp_ad_schema, "{\"deeplink\":\"shop://x\",\"deeplink_type\":\"NORMAL\"}"},
      {&sp_ad_schema, "{\"creative_list\":[{\"creative_info\":{\"music_info\":[]}}]}"},
      {&sp_ad_schema, "{\"creative_list\":[{\"creative_info\":{\"music_info\":"
                      "[{\"music_id\":\"m\"}]}}]}"},
      /* what sp_decode refuses */
      {&sp_campaign_schema, "{\"advertiser_id\":-1}"},
      {&sp_campaign_schema, "{\"advertiser_id\":1.0}"},
      {&sp_campaign_schema, "{\"advertiser_id\":\"9223372036854775808\"}"},
      {&sp_campaign_schema, "{\"advertiser_id\":\" 1\"}"},
      {&sp_campaign_schema, "{\"budget\":-1}"},
      {&sp_campaign_schema, "{\"budget\":\"500\"}"},
      {&sp_campaign_schema, "{\"budget_optimize_on\":1}"},
      {&sp_campaign_schema, "{\"objective_type\":\"NOT_AN_OBJECTIVE\"}"},
      {&sp_campaign_schema, "{\"campaign_name\":\"a\\u0001b\"}"},
      {&sp_campaign_schema, "{\"special_industries\":[\"CREDIT\",null]}"},
      {&sp_campaign_schema, "{\"special_industries\":[\"CREDIT\",\"HOUSING\","
                            "\"EMPLOYMENT\",\"CREDIT\"]}"},
      {&sp_campaign_schema, "{\"special_industries\":\"CREDIT\"}"},
      {&sp_campaign_schema, "{\"special_industries\":[[]]}"},
      {&sp_adgroup_schema, "{\"schedule_start_time\":\"2026-02-30 00:00:00\"}"},
      {&sp_adgroup_schema, "{\"targeting_spec\":{\"actions\":[{\"action_period\":181}]}}"},
      {&sp_adgroup_schema, "{\"targeting_spec\":{\"actions\":[{\"action_period\":1.0}]}}"},
      {&sp_adgroup_schema, "{\"targeting_spec\":{\"actions\":[null]}}"},
      {&sp_adgroup_schema, "{\"targeting_spec\":{\"location_ids\":[{}]}}"},
      {&sp_adgroup_schema, "{\"targeting_spec\":\"US\"}"},
      {&sp_ad_schema, "{\"ad_text_list\":[{\"ad_text\":\"0123456789012345678901234567890"
                      "12345678901234567890123456789012345678901234567890123456789012345"
                      "67890\"}]}"}, /* 101 wide */
      {&sp_ad_schema, "{\"ad_text_list\":[\"text\"]}"},
      {&sp_ad_schema, "{\"creative_list\":{}}"},
  };
  static const char *const refuse[] = {"deeplink", "budget", "location_ids", NULL};
  for (size_t i = 0; i < SP_ARRAY_LEN(no); i++) {
    sp_arena *a = sp_arena_create();
    json_t *top = (json_t *)a;
    if (sp_decode_quick(no[i].s, no[i].text, strlen(no[i].text), keep, NULL,
                        sp_arena_alloc(a, no[i].s->size), a, &top))
      fail_msg("case %zu taken: %s", i, no[i].text);
    assert_null(top);
    sp_arena_destroy(a);
  }
  /* refuse: a schema field or not, at the top level only */
  sp_arena *a = sp_arena_create();
  const char *t = "{\"campaign_name\":\"x\",\"budget\":500}";
  assert_int_equal(sp_decode_quick(&sp_campaign_schema, t, strlen(t), keep, refuse,
                                   sp_arena_alloc(a, sp_campaign_schema.size), a, NULL),
                   0);
  t = "{\"campaign_name\":\"x\"}";
  assert_int_equal(sp_decode_quick(&sp_campaign_schema, t, strlen(t), keep, refuse,
                                   sp_arena_alloc(a, sp_campaign_schema.size), a, NULL),
                   1);
  t = "{\"targeting_spec\":{\"location_ids\":[\"1\"]}}"; /* not at the top */
  assert_int_equal(sp_decode_quick(&sp_adgroup_schema, t, strlen(t), keep, refuse,
                                   sp_arena_alloc(a, sp_adgroup_schema.size), a, NULL),
                   1);
  sp_arena_destroy(a);
}

/* list caps: exactly max_items taken, one more not */
static void list_caps(void **st) {
  (void)st;
  body grp = {"adgroup", &sp_adgroup_schema, 0, {0}};
  body ad = {"ad", &sp_ad_schema, 1, {0}};
  static const char *item[] = {"\"%d\"", "{\"creative_info\":{\"video_info\":"
                                         "{\"video_id\":\"v%d\"}}}"};
  for (int kind = 0; kind < 2; kind++) {
    int cap = kind ? 50 : 1500;
    for (int n = cap - 1; n <= cap + 1; n++) {
      sp_buf b;
      sp_buf_init(&b, 1 << 22);
      cat(&b, kind ? "{\"creative_list\":[" : "{\"targeting_spec\":{\"location_ids\":[");
      for (int k = 0; k < n; k++) {
        if (k) cat(&b, ",");
        cat(&b, item[kind], k + 1);
      }
      cat(&b, kind ? "]}" : "]}}");
      text t = {b.data, b.len};
      assert_int_equal(try_text(kind ? &ad : &grp, t, NULL), n <= cap);
      assert_int_equal(slow_ok(kind ? &ad : &grp, t), n <= cap);
      sp_buf_free(&b);
    }
  }
}

/* A string value of n bytes of 'a' */
static char *long_string(size_t n) {
  char *s = malloc(n + 3);
  s[0] = '"';
  memset(s + 1, 'a', n);
  s[n + 1] = '"';
  s[n + 2] = '\0';
  return s;
}

/* ---- a made-up schema for what the API's schemas lack: more than 64
 * fields, strings without max_len, strict ids, unbounded numbers ---- */

typedef struct synth {
  sp_opt_str f[130];
  sp_opt_id sid;  /* SP_F_STRICT */
  sp_opt_num num; /* no range */
} synth;

static void synthetic_schema(void **st) {
  (void)st;
  static char names[130][16];
  static sp_field fields[132];
  for (int i = 0; i < 130; i++) {
    snprintf(names[i], sizeof names[i], "f%d", i);
    fields[i] = (sp_field){.name = names[i], .type = SP_T_STR,
                           .off = offsetof(synth, f) + (size_t)i * sizeof(sp_opt_str)};
  }
  const sp_schema wide = {"wide", sizeof(synth), fields, 130}; /* > 128 */
  fields[70] = (sp_field){.name = "sid", .type = SP_T_ID, .off = offsetof(synth, sid),
                          .flags = SP_F_STRICT};
  fields[71] = (sp_field){.name = "num", .type = SP_T_NUM, .off = offsetof(synth, num)};
  const sp_schema some = {"some", sizeof(synth), fields, 72};
  body b = {"synth", &some, 0, {0}};
  char *max = long_string(SP_MAX_STRING_BYTES), *over = long_string(SP_MAX_STRING_BYTES + 1);
  sp_buf big;
  sp_buf_init(&big, 1 << 20);
  const struct {
    const char *text;
    int taken, slow; /* quick takes it; the slow path accepts it */
  } cases[] = {
      {"{\"f65\":\"a\",\"f1\":\"b\",\"f69\":null,\"sid\":\"7\",\"num\":-1e300}", 1, 1},
      {"{\"f69\":\"x\",\"f0\":\"y\",\"f69\":\"z\"}", 0, 0}, /* in the second word */
      {"{\"f64\":\"x\",\"f0\":\"y\",\"f0\":\"z\"}", 0, 0},
      {"{\"sid\":7}", 0, 0}, /* strict: strings only */
      {"{\"num\":1e308}", 1, 1},
      {"{\"f70\":\"x\"}", 0, 1}, /* unknown here: ignored by the slow path */
  };
  for (size_t i = 0; i < SP_ARRAY_LEN(cases); i++) {
    text t = {(char *)cases[i].text, strlen(cases[i].text)};
    assert_int_equal(try_text(&b, t, NULL), cases[i].taken);
    assert_int_equal(slow_ok(&b, t), cases[i].slow);
  }
  /* SP_MAX_STRING_BYTES: the cap itself taken, one byte more not */
  for (int k = 0; k < 2; k++) {
    big.len = 0;
    cat(&big, "{\"f3\":");
    sp_buf_append(&big, k ? over : max, strlen(k ? over : max));
    cat(&big, "}");
    text t = {big.data, big.len};
    assert_int_equal(try_text(&b, t, NULL), !k);
    assert_int_equal(slow_ok(&b, t), !k);
  }
  /* more fields than the seen bits: never taken, though valid */
  body w = {"wide", &wide, 0, {0}};
  text t = {"{\"f0\":\"x\"}", 10};
  assert_int_equal(try_text(&w, t, NULL), 0);
  assert_int_equal(slow_ok(&w, t), 1);
  sp_buf_free(&big);
  free(max);
  free(over);
}

/* ---- differential: mutated bodies ---- */

static uint64_t rnd(uint64_t *s) { /* splitmix64 */
  uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static size_t below(uint64_t *s, size_t n) { return (size_t)(rnd(s) % n); }

/* Values and members of a valid body, found by a small scanner. */
typedef struct span {
  size_t key, lo, hi; /* a member's "key":value is [key, hi), its value [lo, hi) */
  int member;
} span;
typedef struct spans {
  span v[1024];
  size_t n;
  size_t objs[512]; /* offsets of '{' */
  size_t n_objs;
} spans;

static size_t skip_ws(const char *t, size_t i) {
  while (t[i] == ' ' || t[i] == '\n' || t[i] == '\t' || t[i] == '\r') i++;
  return i;
}
static size_t skip_string(const char *t, size_t i) {
  for (i++; t[i] != '"'; i++)
    if (t[i] == '\\') i++;
  return i + 1;
}
static size_t scan(const char *t, size_t i, size_t key, int member, spans *sp) {
  i = skip_ws(t, i);
  size_t lo = i;
  if (t[i] == '{' || t[i] == '[') {
    char close = t[i] == '{' ? '}' : ']';
    if (t[i] == '{') sp->objs[sp->n_objs++] = i;
    i = skip_ws(t, i + 1);
    while (t[i] != close) {
      size_t k = i;
      if (close == '}') i = skip_ws(t, skip_string(t, i)) + 1; /* past ':' */
      i = skip_ws(t, scan(t, i, k, close == '}', sp));
      if (t[i] == ',') i = skip_ws(t, i + 1);
    }
    i++;
  } else if (t[i] == '"') {
    i = skip_string(t, i);
  } else {
    while (t[i] && !strchr(",]} \n\t", t[i])) i++;
  }
  assert_true(sp->n < SP_ARRAY_LEN(sp->v));
  sp->v[sp->n++] = (span){member ? key : lo, lo, i, member};
  return i;
}

static const char *values[] = {
    "0", "-1", "1", "42", "1.5", "-2.5e3", "1e400", "-1e400", "1e-400", "-0",
    "99999999999999999999", "-99999999999999999999", "9223372036854775807",
    "-9223372036854775808", "1e7", "10000001", "0.1e1", "true", "false", "null",
    "\"\"", "\"x\"", "\"a\\u0000b\"", "\"\\u0001\"", "\"\xff\xfe\"", "\"a\x01\"",
    "\"NOT_AN_ENUM\"", "\"SHOP_NOW\"", "\"CAROUSEL\"", "\"AGE_25_34\"",
    "\"2026-04-01 00:00:00\"", "\"2026-02-30 25:00:00\"", "\"" ADV "\"", "\"007\"",
    "\"-5\"", "\"9223372036854775808\"", "\"\\u00e9t\\u00e9 \\ud83d\\ude00\"",
    "\"\xe4\xb8\xad\xe6\x96\x87\"", "\"\\ud800\"", "[]", "[\"x\"]", "[1,2]", "[null]",
    "[{}]", "[[]]", "{}", "{\"x\":1}", "{\"video_id\":\"v\"}", "[\"Shop Now\"]",
    "[{\"music_id\":\"m\"}]", "{\"call_to_action_list\":[\"Shop Now\"]}",
    "[{\"call_to_action\":\"SHOP_NOW\"}]", "[{\"web_uri\":\"u\"},{\"web_uri\":\"v\"}]",
    "[[[[[[[[[[1]]]]]]]]]]", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{}}}}}}}",
    "BIG", "MAX",
};

static const char *members[] = {
    "\"zz_unknown\":1", "\"request_id\":\"r-2\"", "\"request_id\":null",
    "\"request_id\":17", "\"request_id\":-2.5", "\"request_id\":{\"a\":1}",
    "\"advertiser_id\":null", "\"advertiser_id\":7318446224790159361",
    "\"deeplink\":\"shop://x\"", "\"deeplink\":null", "\"deeplink_type\":\"NORMAL\"",
    "\"deeplink_list\":[{\"deeplink\":\"shop://x\",\"deeplink_type\":\"NORMAL\"}]",
    "\"ad_configuration\":{\"call_to_action_list\":[\"Shop Now\"]}",
    "\"ad_configuration\":{\"call_to_action_id\":\"c1\"}",
    "\"call_to_action_list\":[\"Shop Now\"]",
    "\"call_to_action_list\":[{\"call_to_action\":\"SHOP_NOW\"}]",
    "\"music_info\":[{\"music_id\":\"m\"}]", "\"music_info\":[]",
    "\"music_info\":[{\"music_id\":\"a\"},{\"music_id\":\"b\"}]",
    "\"music_info\":{\"music_id\":\"m\"}", "\"music_info\":null", "\"campaign_id\":\"1\"",
    "\"adgroup_id\":\"5\"", "\"secondary_status\":\"x\"",
    "\"create_time\":\"2026-04-01 00:00:00\"", "\"ad_material_id\":\"1\"",
    "\"budget\":1e3", "\"bid_price\":-1", "\"roas_bid\":2.5",
    "\"targeting_spec\":{\"location_ids\":[\"1\",2]}", "\"operation_status\":\"DISABLE\"",
    "\"video_info\":{\"video_id\":\"v\"}", "\"image_info\":[{\"web_uri\":\"u\"}]",
    "\"identity_type\":\"TT_USER\"", "\"ad_text\":\"t\"", "\"web_uri\":\"u\"",
    "\"video_id\":\"v\"", "\"location_ids\":[\"6252001\",\"007\"]",
    "\"actions\":[{\"action_scene\":\"VIDEO_RELATED\",\"action_period\":7}]",
    "\"gender\":\"GENDER_MALE\"", "\"special_industries\":[\"CREDIT\"]",
    "\"budget_optimize_on\":false", "\"app_id\":123", "\"pacing\":\"PACING_MODE_SMOOTH\"",
    "\"schedule_end_time\":\"2026-05-01 00:00:00\"", "\"action_period\":181",
    "\"action_category_ids\":[\"1\",\"2\"]", "\"tiktok_item_id\":\"7300000000000000001\"",
    "\"page_list\":[{\"page_id\":\"p1\"}]", "\"utm_params\":[{\"key\":\"k\",\"value\":\"v\"}]",
    "\"key\":\"k\"", "\"music_id\":\"m\"", "\"call_to_action\":\"BOOK_NOW\"",
};

static const char bytes[] = "{}[]\":,\\ 0123456789-+.eEtfnul aZ_\x01\x7f\x80\xc3\xa9\xff";


static text structural(text t, const spans *sp, uint64_t *r) {
  char buf[256];
  switch (below(r, 5)) {
    case 0: { /* a value of another type, or out of range */
      const span *v = &sp->v[below(r, sp->n)];
      const char *x = values[below(r, SP_ARRAY_LEN(values))];
      char *big = NULL;
      if (strcmp(x, "BIG") == 0) x = big = long_string(70000);
      else if (strcmp(x, "MAX") == 0) x = big = long_string(SP_MAX_STRING_BYTES);
      text m = splice(t, v->lo, v->hi, x, strlen(x));
      free(big);
      return m;
    }
    case 1: { /* a member repeated: a duplicate key */
      const span *v = &sp->v[below(r, sp->n)];
      if (!v->member) return splice(t, 0, 0, "", 0);
      int n = snprintf(buf, sizeof buf, ",%.*s", (int)(v->hi - v->key), t.p + v->key);
      if (n < 0 || (size_t)n >= sizeof buf) return splice(t, 0, 0, "", 0);
      return splice(t, v->hi, v->hi, buf, (size_t)n);
    }
    case 2: { /* a member added to an object */
      size_t at = sp->objs[below(r, sp->n_objs)] + 1;
      const char *m = members[below(r, SP_ARRAY_LEN(members))];
      int empty = t.p[skip_ws(t.p, at)] == '}';
      snprintf(buf, sizeof buf, "%s%s", m, empty ? "" : ",");
      return splice(t, at, at, buf, strlen(buf));
    }
    case 3: { /* a list item repeated 60 times */
      const span *v = &sp->v[below(r, sp->n)];
      if (v->member || v->lo == 0) return splice(t, 0, 0, "", 0);
      sp_buf b;
      sp_buf_init(&b, 1 << 22);
      for (int k = 0; k < 59; k++) {
        sp_buf_append(&b, ",", 1);
        sp_buf_append(&b, t.p + v->lo, v->hi - v->lo);
      }
      text m = splice(t, v->hi, v->hi, b.data, b.len);
      sp_buf_free(&b);
      return m;
    }
    default: { /* a member or an item removed, with its comma */
      const span *v = &sp->v[below(r, sp->n)];
      size_t lo = v->key, hi = v->hi;
      if (lo == 0) return splice(t, 0, 0, "", 0);
      size_t after = skip_ws(t.p, hi);
      if (t.p[after] == ',') {
        hi = after + 1;
      } else {
        while (lo > 0 && t.p[lo - 1] != ',' && t.p[lo - 1] != '{' && t.p[lo - 1] != '[')
          lo--;
        if (lo > 0 && t.p[lo - 1] == ',') lo--;
      }
      return splice(t, lo, hi, "", 0);
    }
  }
}

static text bytewise(text t, uint64_t *r) {
  size_t at = below(r, t.n + 1);
  char c = bytes[below(r, sizeof bytes - 1)];
  switch (below(r, 5)) {
    case 0: return splice(t, at, at < t.n ? at + 1 : at, "", 0); /* delete */
    case 1: return splice(t, at, at, &c, 1);                    /* insert */
    case 2: return splice(t, at, at < t.n ? at + 1 : at, &c, 1); /* replace */
    case 3: return splice(t, at, t.n, "", 0);                   /* truncate */
    default: {                                                   /* duplicate a span */
      size_t hi = at + 1 + below(r, 24);
      if (hi > t.n) hi = t.n;
      char *copy = malloc(hi - at + 1);
      memcpy(copy, t.p + at, hi - at);
      text m = splice(t, hi, hi, copy, hi - at);
      free(copy);
      return m;
    }
  }
}

#define MUTATIONS 3000

static void mutations_agree_with_slow_path(void **st) {
  (void)st;
  size_t tried = 0, taken = 0, missed = 0;
  for (size_t i = 0; i < n_bodies; i++) {
    const body *b = &bodies[i];
    spans *sp = calloc(1, sizeof *sp);
    scan(b->t.p, 0, 0, 0, sp);
    assert_int_equal(sp->v[sp->n - 1].hi, b->t.n); /* the scanner read it all */
    uint64_t r = 0x5eed0000ULL + i;
    size_t body_taken = 0;
    for (int m = 0; m < MUTATIONS; m++) {
      size_t how = below(&r, 4);
      text t = how == 3 ? bytewise(b->t, &r) : structural(b->t, sp, &r);
      if (how == 2) { /* both */
        text u = bytewise(t, &r);
        free(t.p);
        t = u;
      }
      /* ad bodies: half without the refuse list, to show the fast path
       * alone never takes what the normalizer would rewrite */
      const char *const *refuse = b->ad && m % 2 ? ad_refuse : NULL;
      int ok = try_text(b, t, refuse);
      if (!ok && slow_ok(b, t)) missed++;
      body_taken += ok;
      free(t.p);
    }
    tried += MUTATIONS;
    taken += body_taken;
    /* both outcomes exercised on every body */
    if (body_taken < MUTATIONS / 20 || body_taken > MUTATIONS * 3 / 4)
      fail_msg("%s: %zu of %d mutations taken", b->name, body_taken, MUTATIONS);
    free(sp);
  }
  printf("quick: %zu mutations, %zu taken, %zu not taken (%zu of those the slow path "
         "accepts)\n",
         tried, taken, tried - taken, missed);
  assert_int_equal(tried, n_bodies * MUTATIONS);
}

/* sp_decode_row: a stored body (the encoder's text, response-only fields
 * included) decodes as sp_decode(..., 0, ...) of its tree would, by the
 * fast path; a row holding a key outside the schema (an older version's)
 * goes through the tree to the same struct; a row that is not JSON is
 * SP_E_SYSTEM. */
static void stored_rows(void **st) {
  (void)st;
  for (size_t i = 0; i < n_bodies; i++) {
    const body *b = &bodies[i];
    sp_arena *a = sp_arena_create();
    sp_err e;
    sp_err_clear(&e);
    json_t *tree = sp_json_load(b->t.p, b->t.n, 0, NULL);
    assert_non_null(tree);
    if (b->ad) assert_int_equal(rules_ad_normalize(tree, &e), SP_OK);
    void *obj = sp_arena_alloc(a, b->s->size);
    assert_int_equal(sp_decode(b->s, tree, obj, 1, a, "", &e), SP_OK);
    json_decref(tree);
    /* a response-only field set, as a stored row has: create_time */
    const sp_field *ct = sp_schema_field(b->s, "create_time");
    assert_non_null(ct);
    assert_true(ct->flags & SP_F_OUT);
    sp_opt_str *slot = (sp_opt_str *)((char *)obj + ct->off);
    slot->set = 1;
    slot->v = "2026-11-23 10:00:00";
    sp_buf row, back, slow;
    sp_buf_init(&row, (size_t)-1);
    sp_buf_init(&back, (size_t)-1);
    sp_buf_init(&slow, (size_t)-1);
    sp_encode_text(b->s, obj, &row);
    /* fast path: the same struct back */
    void *got = sp_arena_alloc(a, b->s->size);
    assert_int_equal(sp_decode_row(b->s, row.data, got, a, &e), SP_OK);
    sp_encode_text(b->s, got, &back);
    assert_string_equal(back.data, row.data);
    /* with a key the schema no longer has: the tree, the same struct */
    char *old = sp_arena_printf(a, "{\"dropped_field\":[1,2],%s", row.data + 1);
    void *got2 = sp_arena_alloc(a, b->s->size);
    assert_int_equal(sp_decode_row(b->s, old, got2, a, &e), SP_OK);
    sp_encode_text(b->s, got2, &slow);
    assert_string_equal(slow.data, row.data);
    /* not JSON: SP_E_SYSTEM, and the struct left all zeros (callers reuse
     * it), even after a fast path that had begun to fill it */
    char *bad = sp_arena_alloc(a, b->s->size);
    char *half = sp_arena_printf(a, "%.*s", (int)(row.len / 2), row.data);
    assert_int_equal(sp_decode_row(b->s, half, bad, a, &e), SP_E_SYSTEM);
    for (size_t k = 0; k < b->s->size; k++) assert_int_equal(bad[k], 0);
    assert_int_equal(sp_decode_row(b->s, "{\"not json", bad, a, &e), SP_E_SYSTEM);
    sp_buf_free(&row);
    sp_buf_free(&back);
    sp_buf_free(&slow);
    sp_arena_destroy(a);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(takes_realistic_bodies),
      cmocka_unit_test(edge_cases_agree),
      cmocka_unit_test(gives_up),
      cmocka_unit_test(list_caps),
      cmocka_unit_test(synthetic_schema),
      cmocka_unit_test(mutations_agree_with_slow_path),
      cmocka_unit_test(stored_rows),
  };
  return cmocka_run_group_tests_name("model/quick", tests, setup, teardown);
}
