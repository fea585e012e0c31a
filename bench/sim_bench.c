/*
 * sim_bench.c - one simulated day of the delivery simulator (src/sim) at
 * the size: 20 advertisers x 1 campaign x 30 ad groups (600 ad
 * groups) over a population of 1,000,000 users. Run by bench/sim.sh.
 *
 *   sim_bench [users] [threads] [seed]
 *
 * World: advertiser a (0..19) has one campaign; even a: CBO (campaign daily
 * budget), odd a: per-ad-group daily budgets. Geo targeting by advertiser
 * (US; US+CA; GB+DE+FR; BR; all 8 countries). Ad group j: Cost Cap when
 * j % 3 == 0 (else NO_BID), MANUAL targeting when j % 4 == 0 (ages 18-34,
 * every other one female only, every third iOS only), else AUTOMATIC with
 * an age suggestion when j % 4 == 1; TikTok-only placement when j % 5 == 0;
 * events ADD_TO_CART / COMPLETE_PAYMENT / SUBMIT_FORM; one ad each, with 5
 * creatives x 2 texts when j % 6 == 0, else 2 creatives x 1 text.
 *
 * Measured: the wall time and the process CPU time of
 * sim_advance(one day) (world creation is timed apart), the engine's
 * counters (sim_counters_get), peak RSS (getrusage ru_maxrss), and an
 * FNV-1a hash of every report row in order (equal hashes = byte-identical
 * reports). Baseline, same run: a plain loop that reads one random user
 * record (32 bytes, the engine's size before this benchmark) per
 * opportunity, as many as the engine drew, over an array of the same
 * number of users: the cost of touching the users and nothing else.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sim/sim.h"

#define START 1775001600LL /* 2026-04-01 00:00:00 UTC, a Wednesday */
#define DAY 86400LL
#define NADV 20
#define NAG 30

static double now_s(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct tally {
  uint64_t hash, rows;
  int64_t imps, clicks, spend, conv;
} tally;

static void on_row(void *arg, const sp_metric_row *r) {
  tally *t = arg;
  const unsigned char *p = (const unsigned char *)r;
  for (size_t i = 0; i < sizeof *r; i++) t->hash = (t->hash ^ p[i]) * 1099511628211ULL;
  t->rows++;
  t->imps += r->impressions;
  t->clicks += r->clicks;
  t->spend += r->spend_micros;
  t->conv += r->conversions;
}

static const char *const GEOSETS[5][4] = {
    {"6252001", NULL}, {"6252001", "6251999", NULL}, {"2635167", "2921044", "3017382", NULL},
    {"3469034", NULL}, {NULL}};
static const char *const EVENTS[3] = {"ADD_TO_CART", "COMPLETE_PAYMENT", "SUBMIT_FORM"};

static void must(int rc, const char *err) {
  if (rc) {
    fprintf(stderr, "sim_bench: %s\n", err);
    exit(1);
  }
}

static void build(sim_world *w) {
  char err[256] = "", b[64];
  for (int a = 0; a < NADV; a++) {
    int64_t adv = 7000 + a, cid = 10000 + a;
    int cbo = a % 2 == 0;
    json_t *c = json_pack("{s:I, s:I, s:b, s:s, s:f}", "advertiser_id", (json_int_t)adv, "campaign_id",
                          (json_int_t)cid, "budget_optimize_on", cbo, "budget_mode",
                          cbo ? "BUDGET_MODE_DAY" : "BUDGET_MODE_INFINITE", "budget",
                          cbo ? 3000.0 + 250.0 * a : 0.0);
    must(sim_apply(w, START, "campaign", c, err, sizeof err), err);
    json_decref(c);
    for (int j = 0; j < NAG; j++) {
      int64_t gid = 100000 + a * 100 + j;
      json_t *locs = json_array();
      for (int k = 0; GEOSETS[a % 5][k]; k++) json_array_append_new(locs, json_string(GEOSETS[a % 5][k]));
      json_t *ts = json_pack("{s:o}", "location_ids", locs);
      json_t *g = json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s}", "advertiser_id", (json_int_t)adv,
                            "campaign_id", (json_int_t)cid, "adgroup_id", (json_int_t)gid, "pixel_id",
                            (json_int_t)(50000 + a), "optimization_goal", "CONVERT", "optimization_event",
                            EVENTS[(a + j) % 3], "bid_type", j % 3 == 0 ? "BID_TYPE_CUSTOM" : "BID_TYPE_NO_BID",
                            "targeting_optimization_mode", j % 4 == 0 ? "MANUAL" : "AUTOMATIC");
      if (j % 3 == 0) json_object_set_new(g, "conversion_bid_price", json_real(6.0 + (j % 7)));
      if (!cbo) {
        json_object_set_new(g, "budget_mode", json_string("BUDGET_MODE_DAY"));
        json_object_set_new(g, "budget", json_real(100.0 + 20.0 * (j % 5)));
      }
      if (j % 4 == 0) {
        json_object_set_new(ts, "age_groups", json_pack("[s,s]", "AGE_18_24", "AGE_25_34"));
        if (j % 8 == 0) json_object_set_new(ts, "gender", json_string("GENDER_FEMALE"));
        if (j % 3 == 0) json_object_set_new(ts, "operating_systems", json_pack("[s]", "IOS"));
      } else if (j % 4 == 1) {
        json_object_set_new(ts, "age_groups", json_pack("[s,s,s]", "AGE_25_34", "AGE_35_44", "AGE_45_54"));
      }
      if (j % 5 == 0) {
        json_object_set_new(g, "placement_type", json_string("PLACEMENT_TYPE_NORMAL"));
        json_object_set_new(g, "placements", json_pack("[s]", "PLACEMENT_TIKTOK"));
      }
      json_object_set_new(g, "targeting_spec", ts);
      must(sim_apply(w, START, "adgroup", g, err, sizeof err), err);
      json_decref(g);
      int ncr = j % 6 == 0 ? 5 : 2, ntx = j % 6 == 0 ? 2 : 1;
      json_t *crs = json_array(), *txs = json_array();
      for (int k = 0; k < ncr; k++) {
        snprintf(b, sizeof b, "v%lld_%d", (long long)gid, k);
        json_array_append_new(crs, json_pack("{s:I, s:{s:{s:s}}}", "ad_material_id",
                                             (json_int_t)(gid * 10 + k), "creative_info", "video_info",
                                             "video_id", b));
      }
      for (int k = 0; k < ntx; k++) {
        snprintf(b, sizeof b, "Offer %d of advertiser %d", k, a);
        json_array_append_new(txs, json_pack("{s:s}", "ad_text", b));
      }
      json_t *ad = json_pack("{s:I, s:I, s:I, s:o, s:o, s:[{s:s}]}", "advertiser_id", (json_int_t)adv,
                             "adgroup_id", (json_int_t)gid, "smart_plus_ad_id", (json_int_t)(gid + 500000),
                             "creative_list", crs, "ad_text_list", txs, "call_to_action_list",
                             "call_to_action", "SHOP_NOW");
      must(sim_apply(w, START, "ad", ad, err, sizeof err), err);
      json_decref(ad);
    }
  }
}

/* Baseline: n random reads of 32-byte records among `users` (xorshift). */
typedef struct rec32 {
  uint8_t b[8];
  float f[6];
} rec32;
static double baseline(uint32_t users, uint64_t n, uint64_t *sink) {
  rec32 *r = calloc(users, sizeof *r);
  if (!r) abort();
  for (uint32_t i = 0; i < users; i++) r[i].b[0] = (uint8_t)i, r[i].f[0] = (float)(i & 7);
  uint64_t x = 88172645463325252ULL, s = 0;
  double t0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
  for (uint64_t i = 0; i < n; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    const rec32 *u = &r[(uint32_t)((x >> 32) * users >> 32)];
    s += u->b[0] + (uint64_t)u->f[0];
  }
  double t = now_s(CLOCK_PROCESS_CPUTIME_ID) - t0;
  *sink = s;
  free(r);
  return t;
}

int main(int argc, char **argv) {
  int users = argc > 1 ? atoi(argv[1]) : 1000000;
  int threads = argc > 2 ? atoi(argv[2]) : 1;
  uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  long rss0 = ru.ru_maxrss;
  sim_config cfg;
  sim_config_default(&cfg);
  cfg.seed = seed;
  cfg.population = users;
  cfg.threads = threads;
  double c0 = now_s(CLOCK_MONOTONIC);
  sim_world *w = sim_create(&cfg);
  build(w);
  tally t = {1469598103934665603ULL, 0, 0, 0, 0, 0};
  sim_set_row_callback(w, on_row, &t);
  double c1 = now_s(CLOCK_MONOTONIC);
  double p0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
  sim_advance(w, START, START + DAY);
  sim_flush(w);
  double wall = now_s(CLOCK_MONOTONIC) - c1, cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - p0;
  sim_counters k;
  sim_counters_get(w, &k);
  int64_t ids[NADV * NAG];
  size_t nids = sim_adgroup_ids(w, ids, NADV * NAG);
  int delivering = 0;
  for (size_t i = 0; i < nids; i++) {
    sim_adgroup_state st;
    if (!sim_adgroup_state_get(w, ids[i], &st) && st.impressions > 0) delivering++;
  }
  getrusage(RUSAGE_SELF, &ru);
  long rss = ru.ru_maxrss;
  sim_destroy(w);
  uint64_t sink;
  double tb = baseline((uint32_t)users, k.opportunities, &sink);

  double evps = (double)k.candidate_evaluations / cpu; /* per CPU second = per core */
  double days = 1.0 / wall;
  double bpu = (double)rss * 1024.0 / users, bpu_d = (double)(rss - rss0) * 1024.0 / users;
  printf("world: %d advertisers x %d ad groups, %d users, seed %llu, threads %d; create %.2f s\n", NADV, NAG,
         users, (unsigned long long)seed, threads, c1 - c0);
  printf("day: %.3f s wall, %.3f s CPU; %llu opportunities, %llu candidate evaluations (%.1f per "
         "opportunity), %llu impressions\n",
         wall, cpu, (unsigned long long)k.opportunities, (unsigned long long)k.candidate_evaluations,
         k.opportunities ? (double)k.candidate_evaluations / (double)k.opportunities : 0.0,
         (unsigned long long)k.impressions);
  printf("ad groups with impressions: %d of %zu\n", delivering, nids);
  printf("report: %llu rows, %lld impressions, %lld clicks, spend %.2f, %lld conversions, hash %016llx\n",
         (unsigned long long)t.rows, (long long)t.imps, (long long)t.clicks, (double)t.spend / 1e6,
         (long long)t.conv, (unsigned long long)t.hash);
  printf("candidate evaluations/s per core: %.2f M (target >= 20 M): ratio %.2f\n", evps / 1e6, evps / 20e6);
  printf("simulated days per wall second: %.3f (target > 0.1, a day under 10 s): ratio %.2f\n", days,
         days / 0.1);
  printf("peak RSS: %.1f MB = %.1f bytes per user (target < 200): ratio %.2f (%.1f bytes per user above the "
         "%.1f MB before sim_create)\n",
         rss / 1024.0, bpu, 200.0 / bpu, bpu_d, rss0 / 1024.0);
  printf("baseline (same run): %llu random 32-byte user-record reads in %.3f s CPU = %.1f ns each; engine "
         "%.1f ns CPU per opportunity = %.1fx the baseline\n",
         (unsigned long long)k.opportunities, tb, tb / (double)k.opportunities * 1e9,
         cpu / (double)k.opportunities * 1e9, cpu / tb);
  return sink == 42 ? 2 : 0;
}
