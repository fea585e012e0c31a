/* tests/api/test_report.c - report/integrated/get and
 * smart_plus/material_report/overview in process: synthetic report rows
 * stored with store_metrics_add, expected sums and derived metrics worked
 * out by hand below, validation errors, paging, ordering, byte-identical
 * answers and empty ranges. */
#include "../testutil.h"

#include "sim/metrics.h"

#define H0 1775001600LL /* 2026-04-01 00:00:00 UTC */
#define HR 3600LL
#define DAY 86400LL

enum {
  C1 = 1001, C2 = 1002, C3 = 1003,          /* C3 is deleted */
  G11 = 2011, G12 = 2012, G21 = 2021, G31 = 2031,
  A111 = 3111, A121 = 3121, A211 = 3211, A311 = 3311,
  M1 = 9001, M2 = 9002, M3 = 9003, M4 = 9004, M5 = 9005,
};

static void put_obj(t_env *t, sp_kind k, int64_t id, int64_t parent,
                    sp_status st, const char *name, const char *body) {
  sp_err e;
  sp_obj o = {k, id, t->demo.advertiser_id, parent, st, H0, H0, name, body, NULL, 0};
  assert_int_equal(store_insert(t->st, &o, &e), SP_OK);
}

static sp_metric_row mrow(t_env *t, int64_t cmp, int64_t grp, int64_t ad,
                          int64_t mat, int64_t hour, int64_t imp, int64_t clk,
                          int64_t spend, int64_t conv, int64_t vt) {
  sp_metric_row r = {t->demo.advertiser_id, cmp, grp, ad, mat, hour, imp,
                     clk, spend, conv, conv, vt};
  return r;
}

#define CREATIVE_VIDEO(mid, vid)                                            \
  "{\"ad_material_id\":\"" #mid "\",\"creative_info\":{\"ad_format\":"      \
  "\"SINGLE_VIDEO\",\"video_info\":{\"video_id\":\"" vid "\"}}}"
#define CREATIVE_IMAGE(mid, uri)                                            \
  "{\"ad_material_id\":\"" #mid "\",\"creative_info\":{\"image_info\":"     \
  "[{\"web_uri\":\"" uri "\"}]}}"

/*
 * Rows (spend in micros):
 *   C1 G11 A111 M1  04-01 00h  imp 1000 clk 30 spend 12345678 conv 3 vt 1
 *   C1 G11 A111 M1  04-01 00h  imp    0 clk  1 spend     4322           (adds)
 *   C1 G11 A111 M2  04-01 01h  imp  500 clk 10 spend  5000000 conv 1
 *   C1 G12 A121 M3  04-01 01h  imp  300 clk  0 spend  1500000
 *   C2 G21 A211 M4  04-02 05h  imp 2000 clk 50 spend 20000000 conv 5 vt 2
 *   C3 G31 A311 M5  04-01 00h  imp  999 clk  9 spend  9990000 conv 9 (deleted)
 * M1 and M4 show the same video "v1"; M2 video "v2"; M3 image "img1".
 */
static t_env *env(void) {
  t_env *t = t_env_new();
  sp_err e;
  assert_int_equal(store_write_begin(t->st, &e), SP_OK);
  put_obj(t, SP_KIND_CAMPAIGN, C1, 0, SP_ST_ENABLE, "Camp One", "{}");
  put_obj(t, SP_KIND_CAMPAIGN, C2, 0, SP_ST_DISABLE, "Camp \"Two\"", "{}");
  put_obj(t, SP_KIND_CAMPAIGN, C3, 0, SP_ST_DELETE, "Camp Three", "{}");
  put_obj(t, SP_KIND_ADGROUP, G11, C1, SP_ST_ENABLE, "Group 11", "{}");
  put_obj(t, SP_KIND_ADGROUP, G12, C1, SP_ST_ENABLE, "Group 12", "{}");
  put_obj(t, SP_KIND_ADGROUP, G21, C2, SP_ST_ENABLE, "Group 21", "{}");
  put_obj(t, SP_KIND_ADGROUP, G31, C3, SP_ST_DELETE, "Group 31", "{}");
  put_obj(t, SP_KIND_AD, A111, G11, SP_ST_ENABLE, "Ad 111",
          "{\"creative_list\":[" CREATIVE_VIDEO(9001, "v1") ","
          CREATIVE_VIDEO(9002, "v2") "]}");
  put_obj(t, SP_KIND_AD, A121, G12, SP_ST_ENABLE, "Ad 121",
          "{\"creative_list\":[" CREATIVE_IMAGE(9003, "img1") "]}");
  put_obj(t, SP_KIND_AD, A211, G21, SP_ST_ENABLE, "Ad 211",
          "{\"creative_list\":[" CREATIVE_VIDEO(9004, "v1") "]}");
  put_obj(t, SP_KIND_AD, A311, G31, SP_ST_DELETE, "Ad 311",
          "{\"creative_list\":[" CREATIVE_VIDEO(9005, "v9") "]}");
  sp_metric_row rows[] = {
      mrow(t, C1, G11, A111, M1, H0, 1000, 30, 12345678, 3, 1),
      mrow(t, C1, G11, A111, M2, H0 + HR, 500, 10, 5000000, 1, 0),
      mrow(t, C1, G12, A121, M3, H0 + HR, 300, 0, 1500000, 0, 0),
      mrow(t, C2, G21, A211, M4, H0 + DAY + 5 * HR, 2000, 50, 20000000, 5, 2),
      mrow(t, C3, G31, A311, M5, H0, 999, 9, 9990000, 9, 0),
      mrow(t, C1, G11, A111, M1, H0, 0, 1, 4322, 0, 0),
  };
  assert_int_equal(store_metrics_add(t->st, rows, SP_ARRAY_LEN(rows), &e),
                   SP_OK);
  assert_int_equal(store_commit(t->st, &e), SP_OK);
  return t;
}

/* GET with a query string; ADV is replaced by the demo advertiser. */
static json_t *get(t_env *t, const char *path, const char *qs) {
  char full[4096], q[3000];
  size_t o = 0;
  for (const char *p = qs; *p && o < sizeof q - 32;) {
    if (strncmp(p, "advertiser_id=ADV", 17) == 0) {
      o += (size_t)snprintf(q + o, sizeof q - o, "advertiser_id=%s", t->adv);
      p += 17;
    } else {
      q[o++] = *p++;
    }
  }
  q[o] = '\0';
  snprintf(full, sizeof full, "/open_api/v1.3%s?%s", path, q);
  return t_req(t, "GET", full, T_TOKEN, NULL, NULL);
}

#define RPT "/report/integrated/get/"
#define OVW "/smart_plus/material_report/overview/"
/* URL-encoded pieces */
#define Q "%22"
#define DIMS2(a, b) "dimensions=%5B" Q a Q "%2C" Q b Q "%5D"
#define DIMS1(a) "dimensions=%5B" Q a Q "%5D"

static json_t *item(json_t *env_, size_t i) {
  return json_array_get(json_object_get(t_data(env_), "list"), i);
}
static const char *dimv(json_t *env_, size_t i, const char *k) {
  return json_string_value(json_object_get(json_object_get(item(env_, i), "dimensions"), k));
}
static const char *metv(json_t *env_, size_t i, const char *k) {
  return json_string_value(json_object_get(json_object_get(item(env_, i), "metrics"), k));
}
static size_t nlist(json_t *env_) {
  return json_array_size(json_object_get(t_data(env_), "list"));
}
static json_int_t pinfo(json_t *env_, const char *k) {
  return json_integer_value(
      json_object_get(json_object_get(t_data(env_), "page_info"), k));
}

#define ALL_METRICS                                                      \
  "metrics=%5B" Q "spend" Q "%2C" Q "impressions" Q "%2C" Q "clicks" Q   \
  "%2C" Q "ctr" Q "%2C" Q "cpm" Q "%2C" Q "cpc" Q "%2C" Q "conversion" Q \
  "%2C" Q "cost_per_conversion" Q "%2C" Q "conversion_rate" Q "%2C" Q    \
  "conversion_rate_v2" Q "%2C" Q "vta_conversion" Q "%5D"

static void campaign_by_day(void **s_) {
  (void)s_;
  t_env *t = env();
  json_t *r = get(t, RPT,
                  "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
                  DIMS2("campaign_id", "stat_time_day") "&" ALL_METRICS
                  "&start_date=2026-04-01&end_date=2026-04-02");
  t_ok(r);
  assert_int_equal(nlist(r), 2); /* C3 is deleted */
  /* C1 on 04-01: imp 1800, clk 41, spend 18.850000, conv 4, vt 1 */
  assert_string_equal(dimv(r, 0, "campaign_id"), "1001");
  assert_string_equal(dimv(r, 0, "stat_time_day"), "2026-04-01 00:00:00");
  assert_string_equal(metv(r, 0, "spend"), "18.85");
  assert_string_equal(metv(r, 0, "impressions"), "1800");
  assert_string_equal(metv(r, 0, "clicks"), "41");
  assert_string_equal(metv(r, 0, "ctr"), "2.28");   /* 41/1800 = 2.2777% */
  assert_string_equal(metv(r, 0, "cpm"), "10.47");  /* 18.85/1.8 = 10.472 */
  assert_string_equal(metv(r, 0, "cpc"), "0.46");   /* 18.85/41 = 0.4598 */
  assert_string_equal(metv(r, 0, "conversion"), "4");
  assert_string_equal(metv(r, 0, "cost_per_conversion"), "4.71"); /* 4.7125 */
  assert_string_equal(metv(r, 0, "conversion_rate"), "9.76");    /* 4/41 */
  assert_string_equal(metv(r, 0, "conversion_rate_v2"), "0.22"); /* 4/1800 */
  assert_string_equal(metv(r, 0, "vta_conversion"), "1");
  /* C2 on 04-02 */
  assert_string_equal(dimv(r, 1, "campaign_id"), "1002");
  assert_string_equal(dimv(r, 1, "stat_time_day"), "2026-04-02 00:00:00");
  assert_string_equal(metv(r, 1, "spend"), "20.00");
  assert_string_equal(metv(r, 1, "ctr"), "2.50");
  assert_string_equal(metv(r, 1, "cpm"), "10.00");
  assert_string_equal(metv(r, 1, "cpc"), "0.40");
  assert_string_equal(metv(r, 1, "cost_per_conversion"), "4.00");
  assert_string_equal(metv(r, 1, "conversion_rate"), "10.00");
  assert_int_equal(pinfo(r, "total_number"), 2);
  assert_int_equal(pinfo(r, "total_page"), 1);
  assert_int_equal(pinfo(r, "page"), 1);
  assert_int_equal(pinfo(r, "page_size"), 10);
  /* exactly the requested metrics, nothing else */
  assert_int_equal(json_object_size(json_object_get(item(r, 0), "metrics")), 11);
  assert_int_equal(json_object_size(json_object_get(item(r, 0), "dimensions")), 2);
  json_decref(r);

  /* deleted campaigns come back with campaign_status STATUS_ALL */
  r = get(t, RPT,
          "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
          DIMS1("campaign_id") "&" ALL_METRICS
          "&start_date=2026-04-01&end_date=2026-04-02&filtering=%5B%7B"
          Q "field_name" Q "%3A" Q "campaign_status" Q "%2C" Q "filter_type" Q
          "%3A" Q "IN" Q "%2C" Q "filter_value" Q "%3A" Q "%5B%5C" Q
          "STATUS_ALL%5C" Q "%5D" Q "%7D%5D");
  t_ok(r);
  assert_int_equal(nlist(r), 3);
  assert_string_equal(dimv(r, 2, "campaign_id"), "1003");
  assert_string_equal(metv(r, 2, "spend"), "9.99");
  assert_string_equal(metv(r, 2, "cost_per_conversion"), "1.11");
  assert_string_equal(metv(r, 2, "conversion_rate"), "100.00");
  /* lifetime-style sum of C1 over both days */
  assert_string_equal(metv(r, 0, "impressions"), "1800");
  json_decref(r);

  /* filter by campaign ids (filter_value a JSON string) */
  r = get(t, RPT,
          "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
          DIMS1("campaign_id")
          "&start_date=2026-04-01&end_date=2026-04-02&filtering=%5B%7B"
          Q "field_name" Q "%3A" Q "campaign_ids" Q "%2C" Q "filter_type" Q
          "%3A" Q "IN" Q "%2C" Q "filter_value" Q "%3A" Q "%5B%5C" Q
          "1002%5C" Q "%5D" Q "%7D%5D");
  t_ok(r);
  assert_int_equal(nlist(r), 1);
  assert_string_equal(dimv(r, 0, "campaign_id"), "1002");
  /* default metrics: spend and impressions */
  assert_int_equal(json_object_size(json_object_get(item(r, 0), "metrics")), 2);
  assert_string_equal(metv(r, 0, "spend"), "20.00");
  assert_string_equal(metv(r, 0, "impressions"), "2000");
  json_decref(r);
  t_env_free(t);
}

static void adgroup_by_hour(void **s_) {
  (void)s_;
  t_env *t = env();
  json_t *r = get(t, RPT,
                  "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_ADGROUP&"
                  DIMS2("adgroup_id", "stat_time_hour") "&" ALL_METRICS
                  "&start_date=2026-04-01&end_date=2026-04-01");
  t_ok(r);
  assert_int_equal(nlist(r), 3);
  assert_string_equal(dimv(r, 0, "adgroup_id"), "2011");
  assert_string_equal(dimv(r, 0, "stat_time_hour"), "2026-04-01 00:00:00");
  assert_string_equal(metv(r, 0, "spend"), "12.35"); /* 12.350000 */
  assert_string_equal(metv(r, 0, "clicks"), "31");
  assert_string_equal(metv(r, 0, "ctr"), "3.10");
  assert_string_equal(metv(r, 0, "cpm"), "12.35");
  assert_string_equal(metv(r, 0, "cpc"), "0.40"); /* 12.35/31 = 0.398 */
  assert_string_equal(metv(r, 0, "cost_per_conversion"), "4.12"); /* 4.1166 */
  assert_string_equal(dimv(r, 1, "adgroup_id"), "2011");
  assert_string_equal(dimv(r, 1, "stat_time_hour"), "2026-04-01 01:00:00");
  assert_string_equal(metv(r, 1, "spend"), "5.00");
  /* G12: no clicks, no conversions: zero denominators give 0.00 */
  assert_string_equal(dimv(r, 2, "adgroup_id"), "2012");
  assert_string_equal(metv(r, 2, "spend"), "1.50");
  assert_string_equal(metv(r, 2, "cpm"), "5.00");
  assert_string_equal(metv(r, 2, "ctr"), "0.00");
  assert_string_equal(metv(r, 2, "cpc"), "0.00");
  assert_string_equal(metv(r, 2, "cost_per_conversion"), "0.00");
  assert_string_equal(metv(r, 2, "conversion_rate"), "0.00");
  json_decref(r);

  /* time first: ordered by hour, then ad group */
  r = get(t, RPT,
          "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_ADGROUP&"
          DIMS2("stat_time_hour", "adgroup_id")
          "&start_date=2026-04-01&end_date=2026-04-01");
  t_ok(r);
  assert_int_equal(nlist(r), 3);
  assert_string_equal(dimv(r, 0, "stat_time_hour"), "2026-04-01 00:00:00");
  assert_string_equal(dimv(r, 1, "stat_time_hour"), "2026-04-01 01:00:00");
  assert_string_equal(dimv(r, 1, "adgroup_id"), "2011");
  assert_string_equal(dimv(r, 2, "adgroup_id"), "2012");
  json_decref(r);
  t_env_free(t);
}

static void ad_level_attributes_order_paging(void **s_) {
  (void)s_;
  t_env *t = env();
  const char *base =
      "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_AD&"
      DIMS1("ad_id") "&metrics=%5B" Q "spend" Q "%2C" Q "ad_name" Q "%2C" Q
      "adgroup_id" Q "%2C" Q "adgroup_name" Q "%2C" Q "campaign_id" Q "%2C" Q
      "campaign_name" Q "%2C" Q "currency" Q "%5D&query_lifetime=true";
  json_t *r = get(t, RPT, base);
  t_ok(r);
  assert_int_equal(nlist(r), 3);
  assert_string_equal(dimv(r, 0, "ad_id"), "3111");
  assert_string_equal(metv(r, 0, "spend"), "17.35"); /* 12.35 + 5.00 */
  assert_string_equal(metv(r, 0, "ad_name"), "Ad 111");
  assert_string_equal(metv(r, 0, "adgroup_id"), "2011");
  assert_string_equal(metv(r, 0, "adgroup_name"), "Group 11");
  assert_string_equal(metv(r, 0, "campaign_id"), "1001");
  assert_string_equal(metv(r, 0, "campaign_name"), "Camp One");
  assert_string_equal(metv(r, 0, "currency"), "USD");
  assert_string_equal(metv(r, 2, "campaign_name"), "Camp \"Two\"");
  json_decref(r);

  /* order by spend, descending (default order_type) and ascending */
  char q[2048];
  snprintf(q, sizeof q, "%s&order_field=spend", base);
  r = get(t, RPT, q);
  t_ok(r);
  assert_string_equal(dimv(r, 0, "ad_id"), "3211");
  assert_string_equal(dimv(r, 1, "ad_id"), "3111");
  assert_string_equal(dimv(r, 2, "ad_id"), "3121");
  json_decref(r);
  snprintf(q, sizeof q, "%s&order_field=ctr&order_type=ASC", base);
  r = get(t, RPT, q);
  t_ok(r);
  assert_string_equal(dimv(r, 0, "ad_id"), "3121"); /* 0.00 */
  assert_string_equal(dimv(r, 1, "ad_id"), "3211"); /* 2.50 */
  assert_string_equal(dimv(r, 2, "ad_id"), "3111"); /* 41/1500 = 2.73 */
  json_decref(r);

  /* paging */
  snprintf(q, sizeof q, "%s&page=2&page_size=2", base);
  r = get(t, RPT, q);
  t_ok(r);
  assert_int_equal(nlist(r), 1);
  assert_string_equal(dimv(r, 0, "ad_id"), "3211");
  assert_int_equal(pinfo(r, "page"), 2);
  assert_int_equal(pinfo(r, "page_size"), 2);
  assert_int_equal(pinfo(r, "total_number"), 3);
  assert_int_equal(pinfo(r, "total_page"), 2);
  json_decref(r);
  snprintf(q, sizeof q, "%s&page=5&page_size=2", base);
  r = get(t, RPT, q);
  t_ok(r);
  assert_int_equal(nlist(r), 0);
  assert_int_equal(pinfo(r, "total_number"), 3);
  json_decref(r);

  /* smart_plus_ad_id is accepted as the ad dimension */
  r = get(t, RPT,
          "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_AD&"
          DIMS1("smart_plus_ad_id") "&query_lifetime=true");
  t_ok(r);
  assert_string_equal(dimv(r, 0, "smart_plus_ad_id"), "3111");
  json_decref(r);
  t_env_free(t);
}

static void advertiser_and_totals(void **s_) {
  (void)s_;
  t_env *t = env();
  /* advertiser level: everything the account spent, deleted included */
  json_t *r = get(t, RPT,
                  "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_ADVERTISER&"
                  DIMS2("advertiser_id", "stat_time_day")
                  "&start_date=2026-04-01&end_date=2026-04-30");
  t_ok(r);
  assert_int_equal(nlist(r), 2);
  assert_string_equal(dimv(r, 0, "advertiser_id"), t->adv);
  assert_string_equal(metv(r, 0, "impressions"), "2799");
  assert_string_equal(metv(r, 0, "spend"), "28.84"); /* 18.85 + 9.99 */
  assert_string_equal(metv(r, 1, "impressions"), "2000");
  json_decref(r);

  /* campaign level by day without an id dimension: the live campaigns
   * added up per day; total_metrics over every row */
  r = get(t, RPT,
          "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
          DIMS1("stat_time_day") "&" ALL_METRICS
          "&start_date=2026-04-01&end_date=2026-04-02&enable_total_metrics=true");
  t_ok(r);
  assert_int_equal(nlist(r), 2);
  assert_string_equal(metv(r, 0, "impressions"), "1800");
  assert_string_equal(metv(r, 1, "impressions"), "2000");
  json_t *tm = json_object_get(t_data(r), "total_metrics");
  assert_non_null(tm);
  /* 3800 imp, 91 clk, 38.85 spend, 9 conv */
  assert_string_equal(json_string_value(json_object_get(tm, "impressions")), "3800");
  assert_string_equal(json_string_value(json_object_get(tm, "spend")), "38.85");
  assert_string_equal(json_string_value(json_object_get(tm, "ctr")), "2.39");
  assert_string_equal(json_string_value(json_object_get(tm, "cost_per_conversion")), "4.32");
  json_decref(r);
  t_env_free(t);
}

static void empty_range(void **s_) {
  (void)s_;
  t_env *t = env();
  json_t *r = get(t, RPT,
                  "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
                  DIMS2("campaign_id", "stat_time_day")
                  "&start_date=2026-05-01&end_date=2026-05-03&enable_total_metrics=true");
  t_ok(r);
  assert_int_equal(nlist(r), 0);
  assert_int_equal(pinfo(r, "total_number"), 0);
  assert_int_equal(pinfo(r, "total_page"), 0);
  json_t *tm = json_object_get(t_data(r), "total_metrics");
  assert_string_equal(json_string_value(json_object_get(tm, "spend")), "0.00");
  assert_string_equal(json_string_value(json_object_get(tm, "impressions")), "0");
  json_decref(r);
  r = get(t, OVW,
          "advertiser_id=ADV&" DIMS2("smart_plus_ad_id", "main_material_id")
          "&start_date=2026-06-01&end_date=2026-06-01");
  t_ok(r);
  assert_int_equal(nlist(r), 0);
  assert_int_equal(pinfo(r, "total_number"), 0);
  json_decref(r);
  t_env_free(t);
}

static char *data_text(json_t *env_) {
  return json_dumps(t_data(env_), JSON_COMPACT);
}

static void byte_identical(void **s_) {
  (void)s_;
  const char *q = "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_AD&"
                  DIMS2("ad_id", "stat_time_hour") "&" ALL_METRICS
                  "&start_date=2026-04-01&end_date=2026-04-01";
  const char *qo =
      "advertiser_id=ADV&" DIMS2("campaign_id", "main_material_id")
      "&metrics=%5B" Q "spend" Q "%2C" Q "impressions" Q "%2C" Q "clicks" Q
      "%2C" Q "ctr" Q "%2C" Q "cpm" Q "%2C" Q "cpc" Q "%2C" Q "conversion" Q
      "%2C" Q "cost_per_conversion" Q "%2C" Q "conversion_rate_v2" Q "%5D"
      "&query_lifetime=true";
  char *first = NULL, *first_o = NULL;
  for (int run = 0; run < 2; run++) { /* two separate stores, same rows */
    t_env *t = env();
    for (int rep = 0; rep < 2; rep++) {
      json_t *r = get(t, RPT, q);
      json_t *o = get(t, OVW, qo);
      t_ok(o);
      t_ok(r);
      char *txt = data_text(r);
      char *txo = data_text(o);
      if (!first) {
        first = txt;
        first_o = txo;
        assert_non_null(strstr(first, "\"spend\":\"12.35\""));
      } else {
        assert_string_equal(txt, first);
        assert_string_equal(txo, first_o);
        free(txt);
        free(txo);
      }
      json_decref(r);
      json_decref(o);
    }
    t_env_free(t);
  }
  free(first);
  free(first_o);
}

static void validation(void **s_) {
  (void)s_;
  t_env *t = env();
  struct {
    const char *path, *qs, *needle;
  } cases[] = {
      {RPT, "advertiser_id=ADV&data_level=AUCTION_CAMPAIGN&" DIMS1("campaign_id")
       "&query_lifetime=true", "report_type: is required"},
      {RPT, "advertiser_id=ADV&report_type=AUDIENCE&data_level=AUCTION_CAMPAIGN&"
       DIMS1("campaign_id") "&query_lifetime=true", "REPORT_TYPE"},
      {RPT, "advertiser_id=ADV&report_type=NOPE&data_level=AUCTION_CAMPAIGN&"
       DIMS1("campaign_id") "&query_lifetime=true", "allowed: AUDIENCE, BASIC"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&" DIMS1("campaign_id")
       "&query_lifetime=true", "data_level: is required"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN"
       "&query_lifetime=true", "dimensions: is required"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS1("country_code") "&query_lifetime=true",
       "dimensions[0]: \"country_code\" is not a dimension of BASIC reports; "
       "allowed at AUCTION_CAMPAIGN: campaign_id, stat_time_day, stat_time_hour"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS1("adgroup_id") "&query_lifetime=true", "DIMENSION_DATA_LEVEL"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS2("stat_time_day", "stat_time_hour")
       "&start_date=2026-04-01&end_date=2026-04-01", "only one time dimension"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       "dimensions=campaign_id&query_lifetime=true", "dimensions: expected a "
       "JSON-encoded array"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS1("campaign_id") "&metrics=%5B" Q "spend" Q "%2C" Q "reach" Q "%5D"
       "&query_lifetime=true",
       "metrics[1]: \"reach\" is not a metric this endpoint supports; "
       "supported: spend, impressions"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS1("campaign_id") "&metrics=%5B" Q "ad_name" Q "%5D"
       "&query_lifetime=true", "METRIC_DATA_LEVEL"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS2("campaign_id", "stat_time_day")
       "&start_date=2026-04-01&end_date=2026-05-01",
       "max time span is 30 days when use stat_time_day"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS2("campaign_id", "stat_time_hour")
       "&start_date=2026-04-01&end_date=2026-04-02",
       "max time span is 1 day when use stat_time_hour"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS1("campaign_id") "&start_date=2025-01-01&end_date=2026-04-02",
       "max time span is 365 days"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS1("campaign_id") "&start_date=2026-02-30&end_date=2026-03-02",
       "start_date: \"2026-02-30\" is not a date"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS1("campaign_id") "&start_date=2026-04-03&end_date=2026-04-02",
       "DATE_ORDER"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS1("campaign_id") "&start_date=2026-04-03", "end_date: is required"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS2("campaign_id", "stat_time_day") "&query_lifetime=true",
       "LIFETIME_TIME"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS1("campaign_id") "&query_lifetime=true&page_size=1001",
       "page_size: 1001 is out of range; allowed 1 to 1000"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS1("campaign_id") "&query_lifetime=true&order_field=campaign_name",
       "order_field: \"campaign_name\" is not a metric to sort by"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS1("campaign_id") "&query_lifetime=true&order_type=UP",
       "order_type: \"UP\" is not a valid value; allowed: ASC, DESC"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
       DIMS1("campaign_id") "&query_lifetime=true&filtering=%5B%7B" Q
       "field_name" Q "%3A" Q "spend" Q "%2C" Q "filter_type" Q "%3A" Q "IN" Q
       "%2C" Q "filter_value" Q "%3A" Q "1" Q "%7D%5D",
       "filtering[0].field_name: \"spend\" is not a filter"},
      {RPT, "advertiser_id=ADV&report_type=BASIC&data_level=RESERVATION_AD&"
       DIMS1("ad_id") "&query_lifetime=true", "RESERVATION"},
      /* overview */
      {OVW, "advertiser_id=ADV&" DIMS1("smart_plus_ad_id") "&query_lifetime=true",
       "dimensions: must hold exactly 2 dimensions (it has 1)"},
      {OVW, "advertiser_id=ADV&query_lifetime=true", "dimensions: is required"},
      {OVW, "advertiser_id=ADV&" DIMS2("smart_plus_ad_id", "stat_time_day")
       "&query_lifetime=true", "dimensions[1]: \"stat_time_day\" is not a "
       "dimension of this report"},
      {OVW, "advertiser_id=ADV&" DIMS2("campaign_id", "ad_text_entity_id")
       "&query_lifetime=true", "not supported by the sandbox"},
      {OVW, "advertiser_id=ADV&" DIMS2("campaign_id", "campaign_id")
       "&query_lifetime=true", "dimensions[1]: repeats campaign_id"},
      {OVW, "advertiser_id=ADV&" DIMS2("campaign_id", "main_material_id")
       "&metrics=%5B" Q "conversion_rate" Q "%5D&query_lifetime=true",
       "metrics[0]: \"conversion_rate\" is not a metric"},
      {OVW, "advertiser_id=ADV&" DIMS2("campaign_id", "main_material_id")
       "&query_lifetime=true&page_size=101", "page_size: 101 is out of range"},
      {OVW, "advertiser_id=ADV&" DIMS2("campaign_id", "main_material_id")
       "&query_lifetime=true&sort_type=1", "sort_type"},
      {OVW, "advertiser_id=ADV&" DIMS2("campaign_id", "main_material_id")
       "&start_date=2025-01-01&end_date=2026-04-01", "max time span is 365 days"},
      {OVW, "advertiser_id=ADV&" DIMS2("campaign_id", "main_material_id"),
       "start_date: is required unless query_lifetime is true"},
      {OVW, "advertiser_id=ADV&" DIMS2("campaign_id", "main_material_id")
       "&query_lifetime=true&filtering=%7B" Q "campaign_ids" Q "%3A%5B" Q "1"
       Q "%5D%2C" Q "adgroup_ids" Q "%3A%5B" Q "2" Q "%5D%7D",
       "FILTER_EXCLUSIVE"},
      {OVW, "advertiser_id=ADV&" DIMS2("campaign_id", "main_material_id")
       "&query_lifetime=true&filtering=%7B" Q "main_material_ids" Q "%3A%5B" Q
       "v1" Q "%5D%7D", "filtering.main_material_types: must hold exactly one"},
      {OVW, "advertiser_id=ADV&" DIMS2("campaign_id", "main_material_id")
       "&query_lifetime=true&filtering=%7B" Q "main_material_types" Q "%3A%5B"
       Q "GIF" Q "%5D%7D", "filtering.main_material_types[0]: is not a material"},
  };
  for (size_t i = 0; i < SP_ARRAY_LEN(cases); i++) {
    json_t *r = get(t, cases[i].path, cases[i].qs);
    if (t_code(r) != 40002 || !strstr(t_msg(r), cases[i].needle))
      fail_msg("case %zu: expected 40002 with \"%s\", got %d \"%s\"", i,
               cases[i].needle, t_code(r), t_msg(r));
    assert_int_equal(json_object_size(t_data(r)), 0);
    json_decref(r);
  }
  t_env_free(t);
}

static void scope(void **s_) {
  (void)s_;
  t_env *t = env();
  sp_err e;
  sp_token tk;
  memset(&tk, 0, sizeof tk);
  tk.scopes = SP_SCOPE_ADS;
  tk.n_advertisers = 1;
  tk.advertisers[0] = t->demo.advertiser_id;
  assert_int_equal(store_token_put(t->st, "ads-only", &tk, &e), SP_OK);
  char url[512];
  const char *rest = "&report_type=BASIC&data_level=AUCTION_CAMPAIGN&"
                     DIMS1("campaign_id") "&query_lifetime=true";
  snprintf(url, sizeof url, "/open_api/v1.3" RPT "?advertiser_id=%s%s",
           t->adv, rest);
  json_t *r = t_req(t, "GET", url, "ads-only", NULL, NULL);
  t_expect(r, 40130, "Reporting > Upgraded Smart+ Report");
  json_decref(r);
  r = t_req(t, "GET", url, T_TOKEN, NULL, NULL);
  t_ok(r);
  json_decref(r);
  /* another advertiser's rows are out of reach */
  snprintf(url, sizeof url, "/open_api/v1.3" RPT "?advertiser_id=123%s",
           rest);
  r = t_req(t, "GET", url, T_TOKEN, NULL, NULL);
  t_expect(r, 40001, "No permission");
  json_decref(r);
  t_env_free(t);
}

static void overview(void **s_) {
  (void)s_;
  t_env *t = env();
  json_t *r = get(t, OVW,
                  "advertiser_id=ADV&" DIMS2("smart_plus_ad_id", "main_material_id")
                  "&metrics=%5B" Q "spend" Q "%2C" Q "impressions" Q "%2C" Q "ctr" Q
                  "%2C" Q "cpc" Q "%2C" Q "conversion_rate_v2" Q "%2C" Q
                  "ad_material_id" Q "%5D&start_date=2026-04-01&end_date=2026-04-02");
  t_ok(r);
  /* default sort: spend descending; A311 (deleted) left out */
  assert_int_equal(nlist(r), 4);
  assert_string_equal(dimv(r, 0, "smart_plus_ad_id"), "3211");
  assert_string_equal(dimv(r, 0, "main_material_id"), "v1");
  assert_string_equal(metv(r, 0, "spend"), "20.00");
  assert_string_equal(metv(r, 0, "conversion_rate_v2"), "0.25"); /* 5/2000 */
  assert_string_equal(metv(r, 0, "ad_material_id"), "9004");
  assert_string_equal(dimv(r, 1, "smart_plus_ad_id"), "3111");
  assert_string_equal(dimv(r, 1, "main_material_id"), "v1");
  assert_string_equal(metv(r, 1, "spend"), "12.35");
  assert_string_equal(metv(r, 1, "ctr"), "3.10");
  assert_string_equal(metv(r, 1, "ad_material_id"), "9001");
  assert_string_equal(dimv(r, 2, "main_material_id"), "v2");
  assert_string_equal(metv(r, 2, "spend"), "5.00");
  assert_string_equal(dimv(r, 3, "main_material_id"), "img1");
  assert_string_equal(metv(r, 3, "cpc"), "0.00");
  assert_int_equal(pinfo(r, "total_number"), 4);
  assert_int_equal(json_object_size(json_object_get(item(r, 0), "metrics")), 6);
  json_decref(r);

  /* one video across two ads adds up; ad_material_id is then "-" */
  r = get(t, OVW,
          "advertiser_id=ADV&" DIMS2("advertiser_id", "main_material_id")
          "&metrics=%5B" Q "spend" Q "%2C" Q "impressions" Q "%2C" Q "clicks" Q
          "%2C" Q "ad_material_id" Q "%5D&query_lifetime=true&sort_type=ASC"
          "&sort_field=impressions");
  t_ok(r);
  assert_int_equal(nlist(r), 3);
  assert_string_equal(dimv(r, 0, "main_material_id"), "img1"); /* 300 */
  assert_string_equal(dimv(r, 1, "main_material_id"), "v2");   /* 500 */
  assert_string_equal(dimv(r, 2, "main_material_id"), "v1");   /* 3000 */
  assert_string_equal(dimv(r, 2, "advertiser_id"), t->adv);
  assert_string_equal(metv(r, 2, "impressions"), "3000");
  assert_string_equal(metv(r, 2, "spend"), "32.35");
  assert_string_equal(metv(r, 2, "clicks"), "81");
  assert_string_equal(metv(r, 2, "ad_material_id"), "-");
  json_decref(r);

  /* filters: one video type and id; campaign ids */
  r = get(t, OVW,
          "advertiser_id=ADV&" DIMS2("campaign_id", "main_material_id")
          "&query_lifetime=true&filtering=%7B" Q "main_material_ids" Q "%3A%5B"
          Q "v1" Q "%5D%2C" Q "main_material_types" Q "%3A%5B" Q
          "VIDEO_NON_SPARK_ADS" Q "%5D%7D");
  t_ok(r);
  assert_int_equal(nlist(r), 2);
  assert_string_equal(dimv(r, 0, "campaign_id"), "1002");
  assert_string_equal(dimv(r, 1, "campaign_id"), "1001");
  assert_string_equal(metv(r, 1, "spend"), "12.35");
  json_decref(r);
  r = get(t, OVW,
          "advertiser_id=ADV&" DIMS2("adgroup_id", "main_material_id")
          "&query_lifetime=true&filtering=%7B" Q "campaign_ids" Q "%3A%5B" Q
          "1001" Q "%5D%7D&page_size=2&page=2");
  t_ok(r);
  assert_int_equal(pinfo(r, "total_number"), 3);
  assert_int_equal(pinfo(r, "total_page"), 2);
  assert_int_equal(nlist(r), 1);
  assert_string_equal(dimv(r, 0, "adgroup_id"), "2012");
  assert_string_equal(dimv(r, 0, "main_material_id"), "img1");
  json_decref(r);
  r = get(t, OVW,
          "advertiser_id=ADV&" DIMS2("smart_plus_ad_id", "main_material_id")
          "&query_lifetime=true&filtering=%7B" Q "main_material_types" Q "%3A%5B"
          Q "SINGLE_IMAGE_NON_SPARK_ADS" Q "%5D%7D");
  t_ok(r);
  assert_int_equal(nlist(r), 1);
  assert_string_equal(dimv(r, 0, "main_material_id"), "img1");
  json_decref(r);
  t_env_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(campaign_by_day),
      cmocka_unit_test(adgroup_by_hour),
      cmocka_unit_test(ad_level_attributes_order_paging),
      cmocka_unit_test(advertiser_and_totals),
      cmocka_unit_test(empty_range),
      cmocka_unit_test(byte_identical),
      cmocka_unit_test(validation),
      cmocka_unit_test(scope),
      cmocka_unit_test(overview),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
