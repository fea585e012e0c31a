/* tests/store/test_metrics.c - the report-row ops of store_ops on SQLite:
 * metrics_add sums rows with the same (ad, material, hour), metrics_query
 * groups by level and time bucket, filters by ids and range, orders by
 * ids then bucket, pages, and needs a write transaction to write. */
#include "../testutil.h"

#include "sim/metrics.h"

#include <unistd.h>

#define H0 1775001600LL /* 2026-04-01 00:00:00 UTC */
#define HR 3600LL
#define DAY 86400LL

static sp_metric_row row(int64_t cmp, int64_t grp, int64_t ad, int64_t mat,
                         int64_t hour, int64_t imp, int64_t clk, int64_t sp,
                         int64_t conv) {
  sp_metric_row r = {10, cmp, grp, ad, mat, hour, imp, clk, sp, conv,
                     conv * 2, conv / 2};
  return r;
}

/* campaign 1: ad group 11 (ads 111 with materials 1,2; 112 material 3),
 * ad group 12 (ad 121 material 4); campaign 2: group 21, ad 211 mat 5.
 * Advertiser 99 has a row that must never show. */
static store *fixture(void) {
  store *st;
  sp_err e;
  assert_int_equal(store_open(":memory:", &st, &e), SP_OK);
  sp_metric_row rows[] = {
      row(1, 11, 111, 1, H0, 100, 5, 1000000, 1),
      row(1, 11, 111, 2, H0, 50, 1, 500000, 0),
      row(1, 11, 111, 1, H0 + HR, 10, 1, 100000, 0),
      row(1, 11, 112, 3, H0 + 2 * HR, 40, 2, 400000, 1),
      row(1, 12, 121, 4, H0 + DAY, 200, 10, 3000000, 2),
      row(2, 21, 211, 5, H0 + DAY + HR, 7, 0, 70000, 0),
      /* the same key again: adds up */
      row(1, 11, 111, 1, H0, 1, 1, 1, 1),
  };
  sp_metric_row other = row(1, 11, 111, 1, H0, 999, 9, 9, 9);
  other.advertiser_id = 99;
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_metrics_add(st, rows, SP_ARRAY_LEN(rows), &e), SP_OK);
  assert_int_equal(store_metrics_add(st, &other, 1, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  return st;
}

static void upsert_adds(void **s_) {
  (void)s_;
  store *st = fixture();
  sp_err e;
  sp_arena *a = sp_arena_create();
  sp_metric_query q = {.advertiser_id = 10, .level = SP_ML_MATERIAL,
                       .grain = HR};
  sp_metric_row *r;
  size_t n, total;
  assert_int_equal(store_metrics_query(st, &q, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 6); /* 7 rows, two share a key */
  assert_int_equal(total, 6);
  /* first: campaign 1, group 11, ad 111, material 1, hour H0 (summed) */
  assert_int_equal(r[0].ad_id, 111);
  assert_int_equal(r[0].material_id, 1);
  assert_int_equal(r[0].hour, H0);
  assert_int_equal(r[0].impressions, 101);
  assert_int_equal(r[0].clicks, 6);
  assert_int_equal(r[0].spend_micros, 1000001);
  assert_int_equal(r[0].conversions, 2);
  assert_int_equal(r[0].conversions_raw, 4);
  assert_int_equal(r[0].view_through, 0);
  assert_int_equal(r[0].advertiser_id, 10);
  /* then material 1 at H0+1h, then material 2 */
  assert_int_equal(r[1].material_id, 1);
  assert_int_equal(r[1].hour, H0 + HR);
  assert_int_equal(r[2].material_id, 2);
  /* adding again in a later transaction still adds */
  sp_metric_row more = row(1, 11, 111, 2, H0, 5, 0, 5, 0);
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_metrics_add(st, &more, 1, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  assert_int_equal(store_metrics_query(st, &q, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(r[2].impressions, 55);
  assert_int_equal(r[2].spend_micros, 500005);
  /* a rolled back add leaves nothing */
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_metrics_add(st, &more, 1, &e), SP_OK);
  store_rollback(st);
  assert_int_equal(store_metrics_query(st, &q, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(r[2].impressions, 55);
  /* outside a transaction: refused */
  assert_int_equal(store_metrics_add(st, &more, 1, &e), SP_E_SYSTEM);
  store_close(st);
  sp_arena_destroy(a);
}

static void levels_and_grains(void **s_) {
  (void)s_;
  store *st = fixture();
  sp_err e;
  sp_arena *a = sp_arena_create();
  sp_metric_row *r;
  size_t n, total;
  /* campaign by day: c1 day0 = 100+50+10+40+1, c1 day1 = 200, c2 day1 = 7 */
  sp_metric_query q = {.advertiser_id = 10, .level = SP_ML_CAMPAIGN,
                       .grain = DAY};
  assert_int_equal(store_metrics_query(st, &q, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 3);
  assert_int_equal(r[0].campaign_id, 1);
  assert_int_equal(r[0].hour, H0);
  assert_int_equal(r[0].adgroup_id, 0);
  assert_int_equal(r[0].ad_id, 0);
  assert_int_equal(r[0].impressions, 201);
  assert_int_equal(r[0].clicks, 10);
  assert_int_equal(r[0].spend_micros, 2000001);
  assert_int_equal(r[0].conversions, 3);
  assert_int_equal(r[1].campaign_id, 1);
  assert_int_equal(r[1].hour, H0 + DAY);
  assert_int_equal(r[1].impressions, 200);
  assert_int_equal(r[2].campaign_id, 2);
  assert_int_equal(r[2].impressions, 7);
  /* ad group over the whole range (grain 0) */
  q.level = SP_ML_ADGROUP;
  q.grain = 0;
  assert_int_equal(store_metrics_query(st, &q, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 3);
  assert_int_equal(r[0].adgroup_id, 11);
  assert_int_equal(r[0].campaign_id, 1);
  assert_int_equal(r[0].hour, 0);
  assert_int_equal(r[0].impressions, 201);
  assert_int_equal(r[1].adgroup_id, 12);
  assert_int_equal(r[2].adgroup_id, 21);
  assert_int_equal(r[2].campaign_id, 2);
  /* ad by hour */
  q.level = SP_ML_AD;
  q.grain = HR;
  assert_int_equal(store_metrics_query(st, &q, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 5);
  assert_int_equal(r[0].ad_id, 111);
  assert_int_equal(r[0].material_id, 0);
  assert_int_equal(r[0].impressions, 151); /* materials 1 and 2 at H0 */
  assert_int_equal(r[1].hour, H0 + HR);
  assert_int_equal(r[2].ad_id, 112);
  /* advertiser total */
  q.level = SP_ML_ADVERTISER;
  q.grain = 0;
  assert_int_equal(store_metrics_query(st, &q, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 1);
  assert_int_equal(r[0].campaign_id, 0);
  assert_int_equal(r[0].impressions, 408);
  assert_int_equal(r[0].spend_micros, 5070001);
  /* days that start at UTC+8: H0 (00:00 UTC) is 08:00 local on 04-01,
   * H0+1d+1h is 09:00 local on 04-02 */
  q.level = SP_ML_ADVERTISER;
  q.grain = DAY;
  q.tz_offset = 8 * HR;
  assert_int_equal(store_metrics_query(st, &q, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 2);
  assert_int_equal(r[0].hour, H0 - 8 * HR);
  assert_int_equal(r[1].hour, H0 + DAY - 8 * HR);
  store_close(st);
  sp_arena_destroy(a);
}

static void filters_range_paging(void **s_) {
  (void)s_;
  store *st = fixture();
  sp_err e;
  sp_arena *a = sp_arena_create();
  sp_metric_row *r;
  size_t n, total;
  /* range [H0+1h, H0+1d): only the 1h and 2h rows */
  sp_metric_query q = {.advertiser_id = 10, .level = SP_ML_AD, .grain = 0,
                       .from = H0 + HR, .to = H0 + DAY};
  assert_int_equal(store_metrics_query(st, &q, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 2);
  assert_int_equal(r[0].ad_id, 111);
  assert_int_equal(r[0].impressions, 10);
  assert_int_equal(r[1].ad_id, 112);
  assert_int_equal(r[1].impressions, 40);
  /* empty range */
  q.from = H0 + 10 * DAY;
  q.to = H0 + 11 * DAY;
  assert_int_equal(store_metrics_query(st, &q, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 0);
  assert_int_equal(total, 0);
  /* id filters */
  int64_t groups[] = {12, 21};
  sp_metric_query f = {.advertiser_id = 10, .level = SP_ML_CAMPAIGN,
                       .adgroup_ids = groups, .n_adgroup_ids = 2};
  assert_int_equal(store_metrics_query(st, &f, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 2);
  assert_int_equal(r[0].campaign_id, 1);
  assert_int_equal(r[0].impressions, 200);
  assert_int_equal(r[1].campaign_id, 2);
  int64_t mats[] = {2, 3};
  sp_metric_query m = {.advertiser_id = 10, .level = SP_ML_MATERIAL,
                       .material_ids = mats, .n_material_ids = 2};
  assert_int_equal(store_metrics_query(st, &m, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 2);
  assert_int_equal(r[0].material_id, 2);
  assert_int_equal(r[1].material_id, 3);
  /* paging: total counts every group */
  sp_metric_query p = {.advertiser_id = 10, .level = SP_ML_MATERIAL,
                       .grain = HR, .offset = 2, .limit = 3};
  assert_int_equal(store_metrics_query(st, &p, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 3);
  assert_int_equal(total, 6);
  assert_int_equal(r[0].material_id, 2);
  p.offset = 10;
  assert_int_equal(store_metrics_query(st, &p, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 0);
  assert_int_equal(total, 6);
  /* another advertiser sees only its own row */
  sp_metric_query o = {.advertiser_id = 99, .level = SP_ML_ADVERTISER};
  assert_int_equal(store_metrics_query(st, &o, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 1);
  assert_int_equal(r[0].impressions, 999);
  store_close(st);
  sp_arena_destroy(a);
}

static void persists(void **s_) {
  (void)s_;
  char path[] = "/tmp/sp_metrics_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  unlink(path);
  store *st;
  sp_err e;
  sp_arena *a = sp_arena_create();
  assert_int_equal(store_open(path, &st, &e), SP_OK);
  sp_metric_row x = row(1, 11, 111, 1, H0, 3, 2, 1, 0);
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_metrics_add(st, &x, 1, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  store_close(st);
  assert_int_equal(store_open(path, &st, &e), SP_OK);
  sp_metric_query q = {.advertiser_id = 10, .level = SP_ML_AD};
  sp_metric_row *r;
  size_t n, total;
  assert_int_equal(store_metrics_query(st, &q, a, &r, &n, &total, &e), SP_OK);
  assert_int_equal(n, 1);
  assert_int_equal(r[0].impressions, 3);
  store_close(st);
  sp_arena_destroy(a);
  t_unlink_db(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(upsert_adds),
      cmocka_unit_test(levels_and_grains),
      cmocka_unit_test(filters_range_paging),
      cmocka_unit_test(persists),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
