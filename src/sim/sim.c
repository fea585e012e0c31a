/*
 * sim.c - the delivery simulator engine (see sim.h and docs/simulator.md).
 *
 * One world, one thread, minute steps. Randomness: GSL generators
 * (mt19937), one per stream (TRAFFIC: users, placements, market prices;
 * OUTCOME: combos, clicks, conversions, delays; PIPE: event copies; TS:
 * Thompson draws; TRUTH/PRIOR: keyed per object from a hash of the seed and
 * the object's identity), so what happens in the market never depends on
 * which ads exist, and nothing depends on wall time or thread scheduling.
 */
#include "sim.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/sp.h"
#include "../events/dedup.h"

#define NGEO 8
#define NAGE 6
#define NGEN 3
#define NPL 3
#define NSEG (NAGE * NGEN * NPL)
#define NINT 24
#define NLANG 7
#define RING_H 336 /* hourly click/impression cohorts for maturity (14 days) */
#ifndef CC_WINDOW_H
#define CC_WINDOW_H 48
#endif
#ifndef CC_PROBE
#define CC_PROBE 0.5
#endif
#define CC_H CC_WINDOW_H    /* Cost Cap window, hours */
_Static_assert(CC_WINDOW_H <= RING_H, "the Cost Cap window reads the hourly maturity table");
#define OBS_H 168  /* trailing 7-day learning count, hours */
#define DAY_MIN 1440
#define IW_CACHE 32 /* geo masks cached per day (interval_w) */
#define NWIN 5      /* attribution windows: 0 (off), 1, 7, 14, 28 days */
#define NKEY (NGEO * NPL * NLANG * NGEN) /* eligibility list keys */
#define SIM_MAX_THREADS 8

/* ---------------------------------------------------------------- tables */

typedef struct geo_def {
  int64_t id;
  double share, mu, android;
  int utc_off_min;
  int lang0, lang1;
  double lang0_share;
} geo_def;

/* languages: 0 en, 1 es, 2 pt, 3 id, 4 de, 5 ja, 6 fr */
static const char *const LANGS[NLANG] = {"en", "es", "pt", "id", "de", "ja", "fr"};
static const geo_def GEOS[NGEO] = {
    {6252001, .40, 0.0, .45, -300, 0, 1, .85},  /* US */
    {3469034, .12, -1.3, .80, -180, 2, 2, 1.0}, /* BR */
    {1643084, .12, -1.5, .90, 420, 3, 0, .90},  /* ID */
    {2635167, .08, -.15, .50, 0, 0, 0, 1.0},    /* GB */
    {2921044, .08, -.20, .60, 60, 4, 0, .90},   /* DE */
    {1861060, .08, -.20, .30, 540, 5, 5, 1.0},  /* JP */
    {3017382, .06, -.30, .65, 60, 6, 6, 1.0},   /* FR */
    {6251999, .06, -.15, .45, -300, 0, 6, .80}, /* CA */
};
static const char *const AGES[NAGE] = {"AGE_13_17", "AGE_18_24", "AGE_25_34",
                                       "AGE_35_44", "AGE_45_54", "AGE_55_100"};
static const double AGE_W[NAGE] = {.04, .30, .30, .17, .11, .08};
static const double AGE_MU[NAGE] = {-.5, .1, .1, 0, 0, 0};
static const double GEN_W[NGEN] = {.48, .50, .02}; /* male, female, unknown */
static const char *const PLACEMENTS[NPL] = {"PLACEMENT_TIKTOK", "PLACEMENT_PANGLE",
                                            "PLACEMENT_GLOBAL_APP_BUNDLE"};
static const double PL_W[NPL] = {.75, .15, .10};
static const double PL_MU[NPL] = {0, -.7, -.9};
static const double PL_BCTR[NPL] = {0, -.4, -.6};
static const double PL_BCVR[NPL] = {0, -.3, -.4};

/* optimisation events: name, post-click CVR of the vertical */
typedef struct ev_def {
  const char *name;
  double cvr;
} ev_def;
static const ev_def EVENTS[] = {
    {"COMPLETE_PAYMENT", .02}, {"PURCHASE", .02},     {"INITIATE_CHECKOUT", .05},
    {"ADD_TO_CART", .08},      {"SUBMIT_FORM", .06},  {"LEAD", .06},
    {"COMPLETE_REGISTRATION", .06}, {"PLACE_AN_ORDER", .03}, {"VIEW_CONTENT", .10},
    {"CONTACT", .05},          {"CLICK_BUTTON", .10}, {"DOWNLOAD", .05},
    {"ADD_TO_WISHLIST_WEB", .06},
};
#define NEVENTS ((int)(sizeof EVENTS / sizeof EVENTS[0]))

enum { GOAL_CONVERT = 0, GOAL_LP = 1, GOAL_CLICK = 2 };
enum { BM_INF = 0, BM_DAY, BM_TOTAL, BM_DYN };

static const double KAPPA_VT = 0.004; /* view-through conversions per unclicked impression x CVR */
static const double P_LPV = 0.85;     /* landing-page view per click */

/* --------------------------------------------------------------- helpers */

static uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
static uint64_t key3(uint64_t a, uint64_t b, uint64_t c) { return mix64(mix64(mix64(a) ^ b) ^ c); }
static uint64_t strhash(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; s && *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}
static double sigm(double x) { return 1.0 / (1.0 + exp(-x)); }
static double logit(double p) { return log(p / (1 - p)); }
static double clampd(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

enum { ST_USER = 1, ST_TRAFFIC, ST_OUTCOME, ST_PIPE, ST_TS, ST_PRIOR, ST_CREATIVE, ST_ADV, ST_MARKET };

/* A scratch generator seeded from a key: draws tied to an object's identity. */
static double keyed_normal(gsl_rng *scratch, uint64_t key, double sd) {
  gsl_rng_set(scratch, (unsigned long)(key & 0xffffffffUL) ^ (unsigned long)(key >> 32));
  return gsl_ran_gaussian(scratch, sd);
}

/* Conversion delay CDF of the model (known to the platform), d in minutes. */
static double delay_cdf(double d) {
  if (d <= 0) return 0;
  return 0.35 * (1 - exp(-d / 20.0)) + 0.65 * (1 - exp(-d / 4320.0));
}

/* Share of the conversions a platform can still attribute at age d (minutes)
 * that have arrived: attribution stops at the window, so maturity is
 * measured against F(window), not against 1 (docs/simulator.md). */
/* Arrived share by age d of a touch's conversions, the 10% repeat purchases
 * (a further Exp(72 h)) included, approximately. */
static double delay_cdf_all(double d) {
  double f = delay_cdf(d);
  return (f + 0.1 * f * (1 - exp(-d / 4320.0))) / 1.1;
}
static double mat_f(double d, int win_days) {
  if (win_days <= 0) return 1;
  double wmin = (double)win_days * 1440.0;
  if (d < 1) d = 1;
  return delay_cdf_all(d < wmin ? d : wmin) / delay_cdf_all(wmin);
}

/* Diurnal shape D(h), h in local hours (mean 1). */
static double diurnal(double h) {
  return 1 + 0.6 * cos(2 * M_PI * (h - 19) / 24) + 0.2 * cos(2 * M_PI * (h - 22) / 12);
}
/* Day of week (Monday 0) of UTC day index d (day 0 = 1970-01-01, Thursday). */
static int dow_of(int64_t d) { return (int)(((d + 3) % 7 + 7) % 7); }
static double weekday_w(int dow) { return dow >= 5 ? 1.08 : 0.968; }

/* ----------------------------------------------------------------- types */

typedef struct user {
  uint8_t geo, age, gen, lang, os, blocks;
  uint8_t it[3];
  float iw[3];
  float zc, zv;
} user;

typedef struct touch {
  int32_t ag; /* ad group index + 1; 0 = empty */
  int16_t combo;
  uint8_t seg, pad;
  int32_t min; /* minute index since epoch */
} touch;
#define TOUCHES 5 /* [0,1] clicks, [2..4] impressions, newest first */

typedef struct holder {
  int mode;
  int64_t budget; /* micros; 0 with BM_INF */
  int64_t spent_day, spent_total, spent_int, brem_int;
  double x; /* λ (currency per result) or ν (units of the cap); 0 = unset */
  int stopped, traffic, fast;
  int64_t end_min;
} holder;

typedef struct camp {
  int64_t id, adv;
  int active, cbo;
  holder h;
  json_t *obj;
} camp;

typedef struct combo {
  int ad, cr;
  uint64_t key;
  double I, K, pi, tl;
} combo;

#define CR_SLOTS 56 /* per-creative clicks in 6-hour buckets (14 days) for maturity */
typedef struct cre {
  int64_t mat;
  uint64_t key;
  double q, omega, I, K, R;
  double ringK[CR_SLOTS], Kold;
  int64_t slot0; /* bucket index of ringK's newest slot */
} cre;

/* Advertiser truth: 3 true categories, landing-page quality, demographics. */
typedef struct advtruth {
  uint32_t theta;
  double ell, d_age[NAGE], d_gen[NGEN], d_agec[NAGE];
} advtruth;

typedef struct ag {
  advtruth at;
  int64_t id, cid, adv, pixel;
  int ci, active;
  int goal, ev;
  int custom;
  double cap;
  holder h;
  double min_b, max_b, psi;
  int64_t s_start, s_end; /* minutes; 0 = none */
  char dp[337];
  int has_dp;
  uint8_t plmask, agemask, gender, langmask, osmask, manual, suggest;
  uint32_t geomask, intmask;
  int click_win, view_win; /* days; view 0 = OFF */
  double truth_ctr, truth_cvr;
  /* learner */
  double I, K, R, V, Is[NSEG], Ks[NSEG], Rs[NSEG];
  double ringK[RING_H], ringI[RING_H], Kold, Iold;
  double pi_ctr, pi_r, pi_v, p_ctr, p_r, p_v, cbar;
  float vseg[NSEG];
  double mref, cpa_ref;
  int64_t imps_int; /* impressions since the last refresh */
  /* Cost Cap */
  double kappa, eprev, cpa_est;
  int have_eprev;
  double ccS[CC_H], ccR[CC_H], ccV[CC_H];
  int cc_traffic;
  /* learning */
  sim_learning ls;
  const char *reason;
  char why[200];
  int64_t tau0, learned_at, last_bid_edit;
  int nobs, was_learned;
  double obs[OBS_H];
  /* Smart Creative */
  combo *cb;
  int ncb;
  cre *cr;
  int ncr;
  gsl_ran_discrete_t *tab;
  /* counters */
  int64_t imps, clicks, truec, rep, raw;
  json_t *obj;
} ag;

typedef struct ad {
  int64_t id;
  int gi, active;
  json_t *obj;
} ad;

typedef struct ev {
  int64_t arrive;
  uint64_t seq, order;
  uint32_t user;
  int32_t ev;
  int64_t pixel;
  uint8_t src, matched, event_id;
} ev;

typedef struct evcfg {
  int64_t pixel;
  int px, api, eid;
} evcfg;

typedef struct rowent {
  sp_metric_row r;
  int used;
} rowent;

typedef struct cand {
  int gi;
  double bid;
  holder *h;
} cand;

enum { CK_PLAIN = 0, CK_MANUAL = 1, CK_SOFT = 2 };
typedef struct cinfo { /* a candidate's scoring record, frozen for the minute */
  int64_t adv;
  double s_in, s_out; /* soft suggestion lift inside / outside the suggestion */
  uint32_t intmask;
  uint8_t kind, agemask, osmask;
} cinfo;

typedef struct opp { /* one opportunity of the minute and its auction result */
  double ur, eps; /* the user draw's uniform, the market price's normal */
  uint32_t uc;    /* the user draw's alias-table column */
  uint32_t u;
  uint8_t gg, pl, seg;
  int16_t key;
  int best; /* candidate index, -1 = none */
  double M, be, se;
} opp;

typedef struct sim_worker {
  struct sim_world *w;
  int id;
  pthread_t th;
} sim_worker;

struct sim_world {
  sim_config cfg;
  gsl_rng *r_traffic, *r_out, *r_pipe, *r_ts, *r_scratch;
  user *users;
  uint32_t nusers;
  touch *touches;
  uint32_t *geo_users[NGEO];
  uint32_t geo_n[NGEO];
  gsl_ran_discrete_t *geo_tab[NGEO], *pl_tab;
  double xi[NGEO]; /* market drift */
  int64_t now_min;  /* next minute to simulate */
  int started;
  camp *camps;
  int ncamps;
  ag *ags;
  int nags;
  ad *ads;
  int nads;
  evcfg *evc;
  int nevc;
  evcfg evdef;
  json_t *truth;
  /* event queue: binary heap on (arrive, seq) */
  ev *heap;
  size_t nheap, capheap;
  uint64_t seq, order;
  sp_dedup *dedup;
  /* open rows */
  rowent *rows;
  size_t nrows, caprows;
  int64_t *ridx; /* open addressing: row index + 1, 0 = empty */
  size_t nidx;
  sim_row_fn fn;
  void *fnarg;
  sim_impression_fn ifn;
  void *ifnarg;
  sim_event_fn efn;
  void *efnarg;
  /* benchmark counters (sim_counters): plain adds, once per opportunity */
  uint64_t n_opp, n_eval, n_imp;
  /* caches of pure functions (same values, computed once): traffic weights
   * of the 288 five-minute intervals of day iw_day per geo mask, and the
   * maturity factors mat_f per (window, minute within the hour / the 6-hour
   * bucket) */
  int64_t iw_day;
  int niw;
  uint32_t iw_mask[IW_CACHE];
  double iw[IW_CACHE][288];
  double *mat_h[NWIN][60], *mat_c[NWIN][360];
  /* the minute's auction (see "minute step") */
  cand *cs;
  cinfo *ci;
  int capcs, nc, nprev, el_dirty;
  int *prev_gi;
  double *ebase;  /* [NSEG][capcs] */
  int32_t *el;    /* [NKEY][capcs] */
  double cyc[NGEO]; /* the minute's market-price cycle term per geo */
  int el_n[NKEY];
  opp *opps;
  size_t nopps, capopps;
  uint8_t *tflag; /* [nthreads][capcs]: candidate saw eligible traffic */
  /* scoring threads: nthreads - 1 workers, woken per minute */
  int nthreads, quit, pending;
  uint64_t gen;
  uint64_t t_eval[SIM_MAX_THREADS];
  sim_worker workers[SIM_MAX_THREADS];
  pthread_mutex_t mu;
  pthread_cond_t cv_go, cv_done;
};

/* ------------------------------------------------------------ population */

static void build_population(sim_world *w) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, (unsigned long)key3(w->cfg.seed, ST_USER, 0));
  uint32_t n = (uint32_t)w->cfg.population;
  w->nusers = n;
  w->users = xcalloc(n, sizeof *w->users);
  w->touches = xcalloc((size_t)n * TOUCHES, sizeof *w->touches);
  double gw[NGEO], zipf[NINT];
  for (int g = 0; g < NGEO; g++) gw[g] = GEOS[g].share;
  for (int k = 0; k < NINT; k++) zipf[k] = 1.0 / (k + 1);
  gsl_ran_discrete_t *tg = gsl_ran_discrete_preproc(NGEO, gw);
  gsl_ran_discrete_t *ta = gsl_ran_discrete_preproc(NAGE, AGE_W);
  gsl_ran_discrete_t *tgn = gsl_ran_discrete_preproc(NGEN, GEN_W);
  gsl_ran_discrete_t *ti = gsl_ran_discrete_preproc(NINT, zipf);
  double *act = xcalloc(n, sizeof *act);
  for (uint32_t u = 0; u < n; u++) {
    user *x = &w->users[u];
    x->geo = (uint8_t)gsl_ran_discrete(r, tg);
    const geo_def *g = &GEOS[x->geo];
    x->age = (uint8_t)gsl_ran_discrete(r, ta);
    x->gen = (uint8_t)gsl_ran_discrete(r, tgn);
    x->lang = (uint8_t)(gsl_rng_uniform(r) < g->lang0_share ? g->lang0 : g->lang1);
    x->os = (uint8_t)(gsl_rng_uniform(r) < g->android ? 0 : 1); /* 0 ANDROID, 1 IOS */
    x->blocks = (uint8_t)(gsl_rng_uniform(r) < w->cfg.pixel_block);
    int k = 0;
    while (k < 3) {
      int c = (int)gsl_ran_discrete(r, ti), dup = 0;
      for (int j = 0; j < k; j++) dup |= x->it[j] == c;
      if (!dup) x->it[k++] = (uint8_t)c;
    }
    double a3[3] = {1, 1, 1}, th[3];
    gsl_ran_dirichlet(r, 3, a3, th);
    for (int j = 0; j < 3; j++) x->iw[j] = (float)(round(th[j] * 255) / 255);
    act[u] = gsl_ran_lognormal(r, 0, 1.0);
    x->zc = (float)gsl_ran_gaussian(r, 0.3);
    x->zv = (float)gsl_ran_gaussian(r, 0.5);
    w->geo_n[x->geo]++;
  }
  for (int g = 0; g < NGEO; g++) {
    w->geo_users[g] = xcalloc(w->geo_n[g] ? w->geo_n[g] : 1, sizeof(uint32_t));
    double *aw = xcalloc(w->geo_n[g] ? w->geo_n[g] : 1, sizeof(double));
    uint32_t j = 0;
    for (uint32_t u = 0; u < n; u++)
      if (w->users[u].geo == g) {
        aw[j] = act[u];
        w->geo_users[g][j++] = u;
      }
    if (!j) aw[0] = 1;
    w->geo_tab[g] = gsl_ran_discrete_preproc(j ? j : 1, aw);
    free(aw);
  }
  w->pl_tab = gsl_ran_discrete_preproc(NPL, PL_W);
  free(act);
  gsl_ran_discrete_free(tg);
  gsl_ran_discrete_free(ta);
  gsl_ran_discrete_free(tgn);
  gsl_ran_discrete_free(ti);
  gsl_rng_free(r);
}

/* ------------------------------------------------------------- lifecycle */

void sim_config_default(sim_config *c) {
  memset(c, 0, sizeof *c);
  c->seed = 1;
  c->population = 200000;
  c->opp_per_user_day = 4;
  c->market_cpm = 6.0;
  c->reserve_cpm = 0.5;
  c->pixel_block = 0.20;
  c->pixel_fail = 0.03;
  c->api_fail = 0.02;
  c->api_match = 0.9;
  c->api_delay_min = 10;
  c->learn_results = 50;
  c->learn_days = 7;
}

static void *worker(void *arg);

static gsl_rng *stream(uint64_t seed, int st) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, (unsigned long)key3(seed, (uint64_t)st, 0x5eedULL));
  return r;
}

sim_world *sim_create(const sim_config *cfg) {
  sim_world *w = xcalloc(1, sizeof *w);
  w->cfg = *cfg;
  if (w->cfg.population < 100) w->cfg.population = 100;
  if (w->cfg.learn_results <= 0) w->cfg.learn_results = 50;
  if (w->cfg.learn_days <= 0) w->cfg.learn_days = 7;
  gsl_set_error_handler_off();
  w->r_traffic = stream(cfg->seed, ST_TRAFFIC);
  w->r_out = stream(cfg->seed, ST_OUTCOME);
  w->r_pipe = stream(cfg->seed, ST_PIPE);
  w->r_ts = stream(cfg->seed, ST_TS);
  w->r_scratch = gsl_rng_alloc(gsl_rng_mt19937);
  build_population(w);
  w->evdef = (evcfg){0, 1, 1, 1};
  w->dedup = sp_dedup_create(1024);
  w->nthreads = cfg->threads < 1 ? 1 : cfg->threads > SIM_MAX_THREADS ? SIM_MAX_THREADS : cfg->threads;
  w->nprev = -1;
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->cv_go, NULL);
  pthread_cond_init(&w->cv_done, NULL);
  for (int t = 1; t < w->nthreads; t++) {
    w->workers[t] = (sim_worker){w, t, 0};
    if (pthread_create(&w->workers[t].th, NULL, worker, &w->workers[t])) abort();
  }
  return w;
}

void sim_destroy(sim_world *w) {
  if (!w) return;
  pthread_mutex_lock(&w->mu);
  w->quit = 1;
  pthread_cond_broadcast(&w->cv_go);
  pthread_mutex_unlock(&w->mu);
  for (int t = 1; t < w->nthreads; t++) pthread_join(w->workers[t].th, NULL);
  pthread_mutex_destroy(&w->mu);
  pthread_cond_destroy(&w->cv_go);
  pthread_cond_destroy(&w->cv_done);
  free(w->cs);
  free(w->ci);
  free(w->ebase);
  free(w->el);
  free(w->tflag);
  free(w->prev_gi);
  free(w->opps);
  gsl_rng_free(w->r_traffic);
  gsl_rng_free(w->r_out);
  gsl_rng_free(w->r_pipe);
  gsl_rng_free(w->r_ts);
  gsl_rng_free(w->r_scratch);
  for (int g = 0; g < NGEO; g++) {
    free(w->geo_users[g]);
    gsl_ran_discrete_free(w->geo_tab[g]);
  }
  gsl_ran_discrete_free(w->pl_tab);
  for (int i = 0; i < w->ncamps; i++) json_decref(w->camps[i].obj);
  for (int i = 0; i < w->nags; i++) {
    json_decref(w->ags[i].obj);
    free(w->ags[i].cb);
    free(w->ags[i].cr);
    if (w->ags[i].tab) gsl_ran_discrete_free(w->ags[i].tab);
  }
  for (int i = 0; i < w->nads; i++) json_decref(w->ads[i].obj);
  free(w->camps);
  free(w->ags);
  free(w->ads);
  free(w->evc);
  json_decref(w->truth);
  free(w->heap);
  free(w->rows);
  free(w->ridx);
  sp_dedup_destroy(w->dedup);
  free(w->users);
  free(w->touches);
  for (int i = 0; i < NWIN; i++) {
    for (int k = 0; k < 60; k++) free(w->mat_h[i][k]);
    for (int k = 0; k < 360; k++) free(w->mat_c[i][k]);
  }
  free(w);
}

void sim_set_impression_callback(sim_world *w, sim_impression_fn fn, void *arg) {
  w->ifn = fn;
  w->ifnarg = arg;
}

void sim_set_event_callback(sim_world *w, sim_event_fn fn, void *arg) {
  w->efn = fn;
  w->efnarg = arg;
}

void sim_set_row_callback(sim_world *w, sim_row_fn fn, void *arg) {
  w->fn = fn;
  w->fnarg = arg;
}
int64_t sim_now(const sim_world *w) { return w->now_min * 60; }

void sim_set_events(sim_world *w, int64_t pixel_id, int pixel, int events_api, int event_id) {
  evcfg c = {pixel_id, !!pixel, !!events_api, !!event_id};
  if (pixel_id == 0) {
    w->evdef = c;
    return;
  }
  for (int i = 0; i < w->nevc; i++)
    if (w->evc[i].pixel == pixel_id) {
      w->evc[i] = c;
      return;
    }
  w->evc = xrealloc(w->evc, (size_t)(w->nevc + 1) * sizeof *w->evc);
  w->evc[w->nevc++] = c;
}
static const evcfg *events_of(const sim_world *w, int64_t pixel) {
  for (int i = 0; i < w->nevc; i++)
    if (w->evc[i].pixel == pixel) return &w->evc[i];
  return &w->evdef;
}

/* ------------------------------------------------------------ JSON input */

static int64_t jid(const json_t *o, const char *k) {
  const json_t *v = json_object_get(o, k);
  if (json_is_integer(v)) return (int64_t)json_integer_value(v);
  if (json_is_string(v)) return strtoll(json_string_value(v), NULL, 10);
  if (json_is_real(v)) return (int64_t)json_real_value(v);
  return 0;
}
static const char *jstr(const json_t *o, const char *k) {
  const json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}
static int jis(const json_t *o, const char *k, const char *val) {
  const char *s = jstr(o, k);
  return s && strcmp(s, val) == 0;
}
static double jnum(const json_t *o, const char *k, double def) {
  const json_t *v = json_object_get(o, k);
  if (json_is_number(v)) return json_number_value(v);
  if (json_is_string(v)) return strtod(json_string_value(v), NULL);
  return def;
}
static int jbool(const json_t *o, const char *k, int def) {
  const json_t *v = json_object_get(o, k);
  return json_is_boolean(v) ? json_is_true(v) : def;
}
static int64_t jtime_min(const json_t *o, const char *k) {
  const char *s = jstr(o, k);
  int64_t t;
  if (!s || !*s) return 0;
  if (sp_time_parse(s, &t) != 0 && sp_time_parse_iso(s, &t) != 0) return 0;
  return t / 60;
}
static int64_t micros(double x) { return (int64_t)llround(x * 1e6); }

static int find_camp(const sim_world *w, int64_t id) {
  for (int i = 0; i < w->ncamps; i++)
    if (w->camps[i].id == id) return i;
  return -1;
}
static int find_ag(const sim_world *w, int64_t id) {
  for (int i = 0; i < w->nags; i++)
    if (w->ags[i].id == id) return i;
  return -1;
}
static int find_ad(const sim_world *w, int64_t id) {
  for (int i = 0; i < w->nads; i++)
    if (w->ads[i].id == id) return i;
  return -1;
}

static int budget_mode(const char *s) {
  if (!s) return BM_INF;
  if (!strcmp(s, "BUDGET_MODE_DAY")) return BM_DAY;
  if (!strcmp(s, "BUDGET_MODE_TOTAL")) return BM_TOTAL;
  if (!strcmp(s, "BUDGET_MODE_DYNAMIC_DAILY_BUDGET")) return BM_DYN;
  return BM_INF;
}
static int win_days(const char *s, int def) {
  if (!s) return def;
  if (!strcmp(s, "OFF")) return 0;
  if (!strcmp(s, "ONE_DAY")) return 1;
  if (!strcmp(s, "SEVEN_DAYS")) return 7;
  if (!strcmp(s, "FOURTEEN_DAYS")) return 14;
  if (!strcmp(s, "TWENTY_EIGHT_DAYS")) return 28;
  return def;
}

/* --------------------------------------------------------------- learning */

static const char *ls_name(sim_learning s) {
  switch (s) {
  case SIM_LS_NOT_DELIVERING: return "NOT_DELIVERING";
  case SIM_LS_LEARNING: return "LEARNING";
  case SIM_LS_RELEARNING: return "RE_LEARNING";
  case SIM_LS_LEARNED: return "LEARNED";
  case SIM_LS_LEARNING_LIMITED: return "LEARNING_LIMITED";
  }
  return "NOT_DELIVERING";
}

static void restart(ag *g, int64_t m, const char *tag, const char *why) {
  g->reason = tag;
  snprintf(g->why, sizeof g->why, "%s", why);
  if (g->ls == SIM_LS_NOT_DELIVERING) return; /* starts at its first impression */
  if (g->ls == SIM_LS_LEARNED || g->ls == SIM_LS_RELEARNING) g->was_learned = 1;
  g->ls = g->was_learned ? SIM_LS_RELEARNING : SIM_LS_LEARNING;
  g->tau0 = m;
  g->nobs = 0;
  g->learned_at = 0;
}

static double obs7(const ag *g) {
  double s = 0;
  for (int i = 0; i < OBS_H; i++) s += g->obs[i];
  return s;
}

static void learning_check(sim_world *w, ag *g, int64_t m) {
  int64_t lim = (int64_t)w->cfg.learn_days * DAY_MIN;
  if (g->ls == SIM_LS_LEARNING || g->ls == SIM_LS_RELEARNING) {
    if (g->nobs >= w->cfg.learn_results && m - g->tau0 <= lim) {
      g->ls = SIM_LS_LEARNED;
      g->learned_at = m;
      g->reason = "EXITED_LEARNING";
      snprintf(g->why, sizeof g->why, "%d results within %d days of the learning start",
               g->nobs, w->cfg.learn_days);
    } else if (m - g->tau0 > lim) {
      g->ls = SIM_LS_LEARNING_LIMITED;
      g->reason = "TOO_FEW_RESULTS";
      snprintf(g->why, sizeof g->why,
               "%d results in the %d days since the learning start, %d needed: raise the "
               "budget (at least 10x the cost per result) or the bid",
               g->nobs, w->cfg.learn_days, w->cfg.learn_results);
    }
  } else if (g->ls == SIM_LS_LEARNING_LIMITED && obs7(g) >= w->cfg.learn_results) {
    g->ls = SIM_LS_LEARNED;
    g->learned_at = m;
    g->reason = "EXITED_LEARNING";
    snprintf(g->why, sizeof g->why, "%.0f results in the trailing 7 days", obs7(g));
  }
}

/* ------------------------------------------------------------ eligibility */

static uint32_t geomask_of(const json_t *ids) {
  if (!json_is_array(ids) || json_array_size(ids) == 0) return 0xff;
  uint32_t m = 0;
  size_t i;
  json_t *v;
  json_array_foreach(ids, i, v) {
    int64_t id = json_is_string(v) ? strtoll(json_string_value(v), NULL, 10)
                                   : (int64_t)json_integer_value(v);
    for (int g = 0; g < NGEO; g++)
      if (GEOS[g].id == id) m |= 1u << g;
  }
  return m;
}

static uint32_t strmask(const json_t *arr, const char *const *names, int n, uint32_t all) {
  if (!json_is_array(arr) || json_array_size(arr) == 0) return all;
  uint32_t m = 0;
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    const char *s = json_string_value(v);
    for (int k = 0; s && k < n; k++)
      if (!strcmp(s, names[k])) m |= 1u << k;
  }
  return m;
}

static uint32_t interest_mask(const json_t *arr) {
  if (!json_is_array(arr) || json_array_size(arr) == 0) return 0;
  uint32_t m = 0;
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    uint64_t id = json_is_string(v) ? strtoull(json_string_value(v), NULL, 10)
                                    : (uint64_t)json_integer_value(v);
    m |= 1u << (mix64(id) % NINT); /* fixture table not built: hash mod K */
  }
  return m;
}

static int seg_of(int age, int gen, int pl) { return (age * NGEN + gen) * NPL + pl; }

/* Traffic weight of 5-minute interval n (0..287) of UTC day d for a geo mask
 * and an optional dayparting string: expected eligible opportunities. */
static double interval_w_calc(const sim_world *w, uint32_t gm, const char *dp, int64_t d, int n) {
  double s = 0;
  int64_t m = d * DAY_MIN + n * 5 + 2;
  if (dp) {
    int mow = dow_of(d) * DAY_MIN + n * 5;
    if (dp[mow / 30] != '1') return 0;
  }
  for (int g = 0; g < NGEO; g++) {
    if (!(gm & (1u << g))) continue;
    int64_t lm = m + GEOS[g].utc_off_min;
    double h = (double)(((lm % DAY_MIN) + DAY_MIN) % DAY_MIN) / 60.0;
    int64_t ld = lm >= 0 ? lm / DAY_MIN : (lm - DAY_MIN + 1) / DAY_MIN;
    s += w->geo_n[g] * diurnal(h) * weekday_w(dow_of(ld));
  }
  return s;
}

/* interval_w from a per-day cache of the 288 weights per geo mask (the same
 * sums in the same order, so the same bits). */
static double interval_w(sim_world *w, uint32_t gm, const char *dp, int64_t d, int n) {
  if (dp) {
    int mow = dow_of(d) * DAY_MIN + n * 5;
    if (dp[mow / 30] != '1') return 0;
  }
  if (w->iw_day != d + 1) { /* +1: 0 means empty */
    w->iw_day = d + 1;
    w->niw = 0;
  }
  for (int i = 0; i < w->niw; i++)
    if (w->iw_mask[i] == gm) return w->iw[i][n];
  if (w->niw == IW_CACHE) return interval_w_calc(w, gm, NULL, d, n);
  int i = w->niw++;
  w->iw_mask[i] = gm;
  for (int k = 0; k < 288; k++) w->iw[i][k] = interval_w_calc(w, gm, NULL, d, k);
  return w->iw[i][n];
}

static double mref_of(uint32_t gm, double base) {
  double s = 0, n = 0;
  for (int g = 0; g < NGEO; g++)
    if (gm & (1u << g)) {
      s += GEOS[g].share * exp(GEOS[g].mu);
      n += GEOS[g].share;
    }
  double pl = 0;
  for (int p = 0; p < NPL; p++) pl += PL_W[p] * exp(PL_MU[p]);
  return n > 0 ? base * pl * s / n : base;
}

/* --------------------------------------------------------------- objects */

static void truth_of(sim_world *w, ag *g);
static void adv_truth(sim_world *w, int64_t adv, advtruth *t);

static void holder_set(holder *h, int mode, double budget, int64_t end_min, int fast) {
  h->mode = mode;
  h->budget = mode == BM_INF ? 0 : micros(budget);
  h->end_min = end_min;
  h->fast = fast;
}

/* Append one zeroed element to an array of *n elements of `size` bytes;
 * returns the (moved) array. */
static void *append_zeroed(void *arr, int *n, size_t size) {
  arr = xrealloc(arr, (size_t)(*n + 1) * size);
  memset((char *)arr + (size_t)*n * size, 0, size);
  (*n)++;
  return arr;
}

static int apply_campaign(sim_world *w, int64_t m, const json_t *o, char *err, size_t n) {
  int64_t id = jid(o, "campaign_id");
  if (!id) {
    snprintf(err, n, "campaign_id: required");
    return -1;
  }
  int i = find_camp(w, id);
  if (i < 0) {
    w->camps = append_zeroed(w->camps, &w->ncamps, sizeof *w->camps);
    i = w->ncamps - 1;
  }
  camp *c = &w->camps[i];
  int64_t old_budget = c->h.budget;
  int was = c->obj != NULL;
  c->id = id;
  c->adv = jid(o, "advertiser_id");
  c->active = !(jis(o, "operation_status", "DISABLE") || jis(o, "operation_status", "DELETE"));
  c->cbo = jbool(o, "budget_optimize_on", 0);
  holder_set(&c->h, budget_mode(jstr(o, "budget_mode")), jnum(o, "budget", 0), 0, 0);
  json_decref(c->obj);
  c->obj = json_deep_copy(o);
  /* a CBO budget edit counts as a budget edit of every ad group in it */
  if (was && c->cbo && old_budget != c->h.budget) {
    double rel = old_budget > 0 ? (double)(c->h.budget - old_budget) / (double)old_budget : 1;
    for (int k = 0; k < w->nags; k++) {
      ag *g = &w->ags[k];
      if (g->cid != id) continue;
      int learning = g->ls == SIM_LS_LEARNING || g->ls == SIM_LS_RELEARNING;
      if (learning)
        restart(g, m, "RESTARTED_BY_BUDGET_EDIT", "campaign budget edited during learning");
      else if (rel > 0.30 && g->ls != SIM_LS_NOT_DELIVERING)
        restart(g, m, "RESTARTED_BY_BUDGET_EDIT", "campaign budget raised by more than 30%");
    }
  }
  for (int k = 0; k < w->nags; k++)
    if (w->ags[k].cid == id) w->ags[k].ci = i;
  return 0;
}

/* The spec's optimization_event values (src/model/adgroup_ad.c maps the
 * seeds' names to them): each to the seeds' name, one event per pair. */
static const char *const EVENT_ALIAS[][2] = {
    {"SHOPPING", "COMPLETE_PAYMENT"},     {"INITIATE_ORDER", "INITIATE_CHECKOUT"},
    {"ON_WEB_CART", "ADD_TO_CART"},        {"ON_WEB_DETAIL", "VIEW_CONTENT"},
    {"ON_WEB_REGISTER", "COMPLETE_REGISTRATION"}, {"FORM", "SUBMIT_FORM"},
    {"CONSULT", "CONTACT"},                {"ON_WEB_ORDER", "PLACE_AN_ORDER"},
    {"BUTTON", "CLICK_BUTTON"},            {"DOWNLOAD_START", "DOWNLOAD"},
    {"ON_WEB_ADD_TO_WISHLIST", "ADD_TO_WISHLIST_WEB"}, {"PURCHASE", "COMPLETE_PAYMENT"},
    {"LEAD", "SUBMIT_FORM"},
};

static int event_index(const char *s) {
  for (size_t k = 0; s && k < sizeof EVENT_ALIAS / sizeof EVENT_ALIAS[0]; k++)
    if (!strcmp(s, EVENT_ALIAS[k][0])) s = EVENT_ALIAS[k][1];
  for (int i = 0; s && i < NEVENTS; i++)
    if (!strcmp(s, EVENTS[i].name)) return i;
  return 0;
}

static int apply_adgroup(sim_world *w, int64_t m, const json_t *o, char *err, size_t n) {
  int64_t id = jid(o, "adgroup_id");
  if (!id) {
    snprintf(err, n, "adgroup_id: required");
    return -1;
  }
  int i = find_ag(w, id), fresh = i < 0;
  if (fresh) {
    w->ags = append_zeroed(w->ags, &w->nags, sizeof *w->ags);
    i = w->nags - 1;
  }
  ag *g = &w->ags[i];
  ag old = *g;
  g->id = id;
  g->cid = jid(o, "campaign_id");
  g->ci = find_camp(w, g->cid);
  g->adv = jid(o, "advertiser_id");
  if (!g->adv && g->ci >= 0) g->adv = w->camps[g->ci].adv;
  g->pixel = jid(o, "pixel_id");
  g->active = !(jis(o, "operation_status", "DISABLE") || jis(o, "operation_status", "DELETE"));
  const char *goal = jstr(o, "optimization_goal");
  g->goal = goal && !strcmp(goal, "CLICK")          ? GOAL_CLICK
            : goal && !strcmp(goal, "LANDING_PAGE") ? GOAL_LP
                                                    : GOAL_CONVERT;
  g->ev = event_index(jstr(o, "optimization_event"));
  g->custom = jis(o, "bid_type", "BID_TYPE_CUSTOM");
  double cb = jnum(o, "conversion_bid_price", 0), bp = jnum(o, "bid_price", 0);
  g->cap = g->goal == GOAL_CLICK ? (bp > 0 ? bp : cb) : (cb > 0 ? cb : bp);
  g->s_start = jtime_min(o, "schedule_start_time");
  g->s_end = jis(o, "schedule_type", "SCHEDULE_FROM_NOW") ? 0 : jtime_min(o, "schedule_end_time");
  const char *dp = jstr(o, "dayparting");
  g->has_dp = dp && strlen(dp) == 336 && strchr(dp, '0');
  if (g->has_dp) snprintf(g->dp, sizeof g->dp, "%s", dp);
  holder_set(&g->h, budget_mode(jstr(o, "budget_mode")), jnum(o, "budget", 0), g->s_end,
             jis(o, "pacing", "PACING_MODE_FAST"));
  g->min_b = jnum(o, "min_budget", 0);
  g->max_b = jnum(o, "max_budget", 0);
  if (g->psi <= 0) g->psi = 1;
  const json_t *pl = json_object_get(o, "placements");
  g->plmask = jis(o, "placement_type", "PLACEMENT_TYPE_NORMAL")
                  ? (uint8_t)strmask(pl, PLACEMENTS, NPL, 7)
                  : 7;
  g->manual = jis(o, "targeting_optimization_mode", "MANUAL");
  g->suggest = jbool(o, "suggestion_audience_enabled", 1);
  const json_t *t = json_object_get(o, "targeting_spec");
  g->geomask = geomask_of(json_object_get(t, "location_ids"));
  g->langmask = (uint8_t)strmask(json_object_get(t, "languages"), LANGS, NLANG, 0x7f);
  g->agemask = (uint8_t)strmask(json_object_get(t, "age_groups"), AGES, NAGE, 0x3f);
  const char *gen = jstr(t, "gender");
  g->gender = gen && !strcmp(gen, "GENDER_MALE") ? 1 : gen && !strcmp(gen, "GENDER_FEMALE") ? 2 : 0;
  g->intmask = interest_mask(json_object_get(t, "interest_category_ids"));
  static const char *const oses[2] = {"ANDROID", "IOS"};
  g->osmask = (uint8_t)strmask(json_object_get(t, "operating_systems"), oses, 2, 3);
  g->click_win = win_days(jstr(o, "click_attribution_window"), 7);
  if (!g->click_win && !jis(o, "click_attribution_window", "OFF")) g->click_win = 7;
  g->view_win = win_days(jstr(o, "view_attribution_window"), 1);
  g->mref = mref_of(g->geomask, w->cfg.market_cpm);
  json_t *prev = g->obj;
  g->obj = json_deep_copy(o);
  if (!fresh) truth_of(w, g);
  if (fresh) {
    g->ls = SIM_LS_NOT_DELIVERING;
    g->reason = "NEW_ADGROUP";
    snprintf(g->why, sizeof g->why, "learning starts at the first impression");
    g->kappa = 1;
    g->last_bid_edit = -1000000;
    truth_of(w, g);
    json_decref(prev);
    return 0;
  }
  /* what changed decides a restart (docs/simulator.md, table "Edits") */
  int learning = old.ls == SIM_LS_LEARNING || old.ls == SIM_LS_RELEARNING ||
                 old.ls == SIM_LS_LEARNING_LIMITED;
  int learned = old.ls == SIM_LS_LEARNED;
  if (old.goal != g->goal || old.ev != g->ev) {
    g->R = g->V = 0;
    memset(g->Rs, 0, sizeof g->Rs);
    restart(g, m, "RESTARTED_BY_GOAL_EDIT", "optimization goal or event changed");
  }
  const json_t *t0 = json_object_get(prev, "targeting_spec"), *t1 = json_object_get(o, "targeting_spec");
  int tchanged = (t0 == NULL) != (t1 == NULL) || (t0 && !json_equal(t0, t1));
  if (prev && (tchanged || old.plmask != g->plmask || old.manual != g->manual ||
               old.geomask != g->geomask))
    restart(g, m, "RESTARTED_BY_AUDIENCE_EDIT", "targeting or placements changed");
  if (old.cap != g->cap && g->custom) {
    double rel = old.cap > 0 ? fabs(g->cap - old.cap) / old.cap : 1;
    double since = (double)(m - old.last_bid_edit) / 60.0;
    if (learning)
      restart(g, m, "RESTARTED_BY_BID_EDIT", "bid edited during the learning phase");
    else if (learned && rel > 0.15) {
      char b[200];
      snprintf(b, sizeof b, "bid changed by %.0f%% (more than 15%%) after learning", rel * 100);
      restart(g, m, "RESTARTED_BY_BID_EDIT", b);
    } else if (learned && since < 48) {
      char b[200];
      snprintf(b, sizeof b, "bid changed %.0f h after the previous bid change (under 2 days)", since);
      restart(g, m, "RESTARTED_BY_BID_EDIT", b);
    }
    g->last_bid_edit = m;
    g->kappa = 1;
    g->have_eprev = 0;
  }
  if (old.h.budget != g->h.budget || old.h.mode != g->h.mode) {
    double rel = old.h.budget > 0 ? (double)(g->h.budget - old.h.budget) / (double)old.h.budget : 1;
    if (learning && g->ls != SIM_LS_NOT_DELIVERING)
      restart(g, m, "RESTARTED_BY_BUDGET_EDIT", "budget edited during the learning phase");
    else if (learned && rel > 0.30) {
      char b[200];
      snprintf(b, sizeof b, "budget raised by %.0f%% (more than 30%%) after learning", rel * 100);
      restart(g, m, "RESTARTED_BY_BUDGET_EDIT", b);
    }
  }
  json_decref(prev);
  return 0;
}

/* Ground truth of an ad group's advertiser and its pinned offsets. */
static void truth_of(sim_world *w, ag *g) {
  adv_truth(w, g->adv, &g->at);
  g->pi_ctr = 0.01 * exp(keyed_normal(w->r_scratch, key3(w->cfg.seed, ST_PRIOR, (uint64_t)g->id), 0.2));
  g->pi_r = EVENTS[g->ev].cvr *
            exp(keyed_normal(w->r_scratch, key3(w->cfg.seed, ST_PRIOR + 100, (uint64_t)g->id), 0.5));
  g->pi_v = KAPPA_VT * g->pi_r;
  g->truth_ctr = g->truth_cvr = 0;
  const json_t *tg = json_object_get(w->truth, "adgroups");
  if (tg) {
    char k[32];
    snprintf(k, sizeof k, "%lld", (long long)g->id);
    const json_t *e = json_object_get(tg, k);
    if (!e) {
      snprintf(k, sizeof k, "%d", (int)(g - w->ags));
      e = json_object_get(tg, k);
    }
    if (e) {
      g->truth_ctr = jnum(e, "ctr_logit", 0);
      g->truth_cvr = jnum(e, "cvr_logit", 0);
    }
  }
}

static void adv_truth(sim_world *w, int64_t adv, advtruth *t) {
  gsl_rng *r = w->r_scratch;
  uint64_t k = key3(w->cfg.seed, ST_ADV, (uint64_t)adv);
  gsl_rng_set(r, (unsigned long)(k ^ (k >> 32)));
  t->theta = 0;
  int want = 2 + (int)gsl_rng_uniform_int(r, 2);
  while (__builtin_popcount(t->theta) < want) t->theta |= 1u << gsl_rng_uniform_int(r, NINT);
  t->ell = gsl_ran_gaussian(r, 0.3);
  for (int a = 0; a < NAGE; a++) t->d_age[a] = gsl_ran_gaussian(r, 0.3);
  for (int a = 0; a < NGEN; a++) t->d_gen[a] = gsl_ran_gaussian(r, 0.2);
  for (int a = 0; a < NAGE; a++) t->d_agec[a] = gsl_ran_gaussian(r, 0.3);
}

static const char *material_key(const json_t *cr, char *buf, size_t n) {
  const json_t *ci = json_object_get(cr, "creative_info");
  const char *s = jstr(json_object_get(ci, "video_info"), "video_id");
  if (!s) {
    const json_t *imgs = json_object_get(ci, "image_info");
    s = jstr(json_array_get(imgs, 0), "web_uri");
  }
  if (!s) s = jstr(ci, "tiktok_item_id");
  if (!s) s = jstr(cr, "ad_material_id");
  snprintf(buf, n, "%s", s ? s : "");
  return buf;
}

/* Rebuild an ad group's combos from all of its ads, keeping counts by key. */
static void rebuild_combos(sim_world *w, int gi, int64_t m) {
  ag *g = &w->ags[gi];
  combo *ocb = g->cb;
  int oncb = g->ncb;
  cre *ocr = g->cr;
  int oncr = g->ncr;
  double oldI = 0;
  for (int c = 0; c < oncb; c++) oldI += ocb[c].I;
  g->cb = NULL;
  g->ncb = 0;
  g->cr = NULL;
  g->ncr = 0;
  int capcb = 0, capcr = 0;
  const json_t *tm = json_object_get(w->truth, "materials");
  for (int ai = 0; ai < w->nads; ai++) {
    ad *a = &w->ads[ai];
    if (a->gi != gi || !a->active) continue;
    const json_t *crs = json_object_get(a->obj, "creative_list");
    const json_t *txs = json_object_get(a->obj, "ad_text_list");
    const json_t *cts = json_object_get(a->obj, "call_to_action_list");
    size_t ncr = json_array_size(crs), ntx = json_array_size(txs), nct = json_array_size(cts);
    if (!ncr) continue;
    if (!ntx) ntx = 1;
    if (!nct) nct = 1;
    for (size_t i = 0; i < ncr; i++) {
      const json_t *cr = json_array_get(crs, i);
      if (jis(cr, "material_operation_status", "DISABLE")) continue;
      char mk[256];
      material_key(cr, mk, sizeof mk);
      uint64_t ck = key3((uint64_t)a->id, strhash(mk), 0);
      if (g->ncr == capcr) {
        capcr = capcr ? capcr * 2 : 8;
        g->cr = xrealloc(g->cr, (size_t)capcr * sizeof *g->cr);
      }
      cre *x = &g->cr[g->ncr];
      memset(x, 0, sizeof *x);
      x->key = ck;
      x->mat = jid(cr, "ad_material_id");
      uint64_t tk = key3(w->cfg.seed, ST_CREATIVE, key3((uint64_t)g->adv, strhash(mk), 0));
      x->q = keyed_normal(w->r_scratch, tk, 0.35);
      x->omega = keyed_normal(w->r_scratch, tk ^ 0xabcdefULL, 0.15);
      const json_t *pin = json_object_get(tm, mk);
      if (!pin && x->mat) {
        char idb[32];
        snprintf(idb, sizeof idb, "%lld", (long long)x->mat);
        pin = json_object_get(tm, idb);
      }
      if (pin) {
        x->q = jnum(pin, "q", x->q);
        x->omega = jnum(pin, "omega", x->omega);
      }
      for (int k = 0; k < oncr; k++)
        if (ocr[k].key == ck) {
          double q0 = x->q, o0 = x->omega;
          *x = ocr[k];
          x->q = q0;
          x->omega = o0;
        }
      int cri = g->ncr++;
      for (size_t j = 0; j < ntx; j++)
        for (size_t k = 0; k < nct; k++) {
          const char *tx = jstr(json_array_get(txs, j), "ad_text");
          const char *ct = jstr(json_array_get(cts, k), "call_to_action");
          if (g->ncb == capcb) {
            capcb = capcb ? capcb * 2 : 16;
            g->cb = xrealloc(g->cb, (size_t)capcb * sizeof *g->cb);
          }
          combo *c = &g->cb[g->ncb++];
          memset(c, 0, sizeof *c);
          c->ad = ai;
          c->cr = cri;
          c->key = key3(ck, strhash(tx), strhash(ct));
          double tt = keyed_normal(w->r_scratch, key3(w->cfg.seed, ST_CREATIVE + 10, strhash(tx)), 0.10);
          double ss = keyed_normal(w->r_scratch, key3(w->cfg.seed, ST_CREATIVE + 20, strhash(ct)), 0.05);
          double gg = keyed_normal(w->r_scratch, key3(w->cfg.seed, ST_CREATIVE + 30, c->key), 0.05);
          c->tl = x->q + (tx ? tt : 0) + (ct ? ss : 0) + gg;
          c->pi = -1;
          for (int q = 0; q < oncb; q++)
            if (ocb[q].key == c->key) {
              c->I = ocb[q].I;
              c->K = ocb[q].K;
              c->pi = ocb[q].pi;
            }
        }
    }
  }
  /* new combos enter at the mean share of the incumbents' prior */
  double sum = 0;
  int nnew = 0;
  for (int c = 0; c < g->ncb; c++) {
    if (g->cb[c].pi < 0) nnew++;
    else sum += g->cb[c].pi;
  }
  for (int c = 0; c < g->ncb; c++)
    if (g->cb[c].pi < 0) g->cb[c].pi = g->ncb > nnew ? (sum > 0 ? sum : 1) / (g->ncb - nnew) : 1.0;
  sum = 0;
  for (int c = 0; c < g->ncb; c++) sum += g->cb[c].pi;
  double *p = xcalloc(g->ncb ? (size_t)g->ncb : 1, sizeof *p);
  for (int c = 0; c < g->ncb; c++) p[c] = g->cb[c].pi = g->cb[c].pi / sum;
  if (g->tab) gsl_ran_discrete_free(g->tab);
  g->tab = g->ncb ? gsl_ran_discrete_preproc((size_t)g->ncb, p) : NULL;
  free(p);
  /* re-point the users' touches on this ad group at the new combo indices
   * (a removed combo's touches stop attributing) */
  if (oncb > 0) {
    int16_t *map = xcalloc((size_t)oncb, sizeof *map);
    for (int q = 0; q < oncb; q++) {
      map[q] = -1;
      for (int c = 0; c < g->ncb; c++)
        if (g->cb[c].key == ocb[q].key) map[q] = (int16_t)c;
    }
    size_t nt = (size_t)w->nusers * TOUCHES;
    for (size_t t = 0; t < nt; t++) {
      touch *x = &w->touches[t];
      if (x->ag == gi + 1 && x->combo >= 0 && x->combo < oncb) x->combo = map[x->combo];
    }
    free(map);
  }
  /* creative edits and learning */
  int added = 0;
  double removedI = 0;
  for (int c = 0; c < g->ncr; c++) {
    int found = 0;
    for (int k = 0; k < oncr; k++) found |= ocr[k].key == g->cr[c].key;
    added += !found;
  }
  for (int k = 0; k < oncr; k++) {
    int found = 0;
    for (int c = 0; c < g->ncr; c++) found |= ocr[k].key == g->cr[c].key;
    if (!found) removedI += ocr[k].I;
  }
  int learning = g->ls == SIM_LS_LEARNING || g->ls == SIM_LS_RELEARNING || g->ls == SIM_LS_LEARNING_LIMITED;
  if (oncr > 0 && added && learning)
    restart(g, m, "RESTARTED_BY_CREATIVE_EDIT", "creative added during the learning phase");
  if (oncr > 0 && removedI > 0) {
    if (learning)
      restart(g, m, "RESTARTED_BY_CREATIVE_EDIT", "creative removed during the learning phase");
    else if (g->ls == SIM_LS_LEARNED && oldI > 0 && removedI / oldI > 0.5)
      restart(g, m, "RESTARTED_BY_CREATIVE_EDIT",
              "removed creatives had more than half of the ad group's impressions");
    g->K *= 0.5;
    g->I *= 0.5;
  }
  free(ocb);
  free(ocr);
}

static int apply_ad(sim_world *w, int64_t m, const json_t *o, char *err, size_t n) {
  int64_t id = jid(o, "smart_plus_ad_id");
  if (!id) id = jid(o, "ad_id");
  int64_t gid = jid(o, "adgroup_id");
  int gi = find_ag(w, gid);
  if (!id || gi < 0) {
    snprintf(err, n, id ? "adgroup_id: unknown ad group %lld" : "smart_plus_ad_id: required",
             (long long)gid);
    return -1;
  }
  int i = find_ad(w, id);
  if (i < 0) {
    w->ads = append_zeroed(w->ads, &w->nads, sizeof *w->ads);
    i = w->nads - 1;
  }
  ad *a = &w->ads[i];
  int oldgi = a->obj ? a->gi : -1;
  a->id = id;
  a->gi = gi;
  a->active = !(jis(o, "operation_status", "DISABLE") || jis(o, "operation_status", "DELETE"));
  json_decref(a->obj);
  a->obj = json_deep_copy(o);
  rebuild_combos(w, gi, m);
  if (oldgi >= 0 && oldgi != gi) rebuild_combos(w, oldgi, m);
  return 0;
}

int sim_apply(sim_world *w, int64_t at_unix, const char *kind, const json_t *obj, char *err,
              size_t errlen) {
  int64_t m = at_unix / 60;
  if (w->started && m < w->now_min) m = w->now_min;
  if (!w->started) w->now_min = m;
  if (!json_is_object(obj)) {
    snprintf(err, errlen, "%s: must be an object", kind);
    return -1;
  }
  w->el_dirty = 1; /* eligibility lists are rebuilt at the next minute */
  if (!strcmp(kind, "campaign")) return apply_campaign(w, m, obj, err, errlen);
  if (!strcmp(kind, "adgroup")) return apply_adgroup(w, m, obj, err, errlen);
  if (!strcmp(kind, "ad")) return apply_ad(w, m, obj, err, errlen);
  snprintf(err, errlen, "kind: unknown \"%s\"", kind);
  return -1;
}

int sim_set_truth(sim_world *w, const json_t *truth, char *err, size_t errlen) {
  if (truth && !json_is_object(truth)) {
    snprintf(err, errlen, "truth: must be an object");
    return -1;
  }
  json_decref(w->truth);
  w->truth = truth ? json_deep_copy(truth) : NULL;
  for (int i = 0; i < w->nags; i++) {
    truth_of(w, &w->ags[i]);
    rebuild_combos(w, i, w->now_min);
  }
  return 0;
}

static void events_json(sim_world *w, int64_t pixel, const json_t *e) {
  if (!json_is_object(e)) return;
  sim_set_events(w, pixel, jbool(e, "pixel", 1), jbool(e, "events_api", 1), jbool(e, "event_id", 1));
}

static void set_id(json_t *o, const char *k, int64_t id) {
  char b[32];
  snprintf(b, sizeof b, "%lld", (long long)id);
  json_object_set_new(o, k, json_string(b));
}

int sim_load_plan(sim_world *w, int64_t at_unix, json_t *plan, char *err, size_t errlen) {
  json_t *c = json_object_get(plan, "campaign");
  json_t *gs = json_object_get(plan, "adgroups");
  if (!json_is_object(c) || !json_is_array(gs)) {
    snprintf(err, errlen, "plan: needs \"campaign\" (object) and \"adgroups\" (array)");
    return -1;
  }
  if (json_object_get(plan, "truth") && sim_set_truth(w, json_object_get(plan, "truth"), err, errlen))
    return -1;
  const json_t *px = json_object_get(plan, "pixel");
  const json_t *srcs = json_object_get(px, "event_sources");
  if (json_is_array(srcs)) {
    int b = 0, a = 0;
    size_t i;
    json_t *v;
    json_array_foreach(srcs, i, v) {
      b |= json_is_string(v) && !strcmp(json_string_value(v), "BROWSER");
      a |= json_is_string(v) && !strcmp(json_string_value(v), "EVENTS_API");
    }
    sim_set_events(w, 0, b, a, 1);
  }
  events_json(w, 0, json_object_get(plan, "events"));
  if (!jid(c, "advertiser_id")) set_id(c, "advertiser_id", 1);
  int64_t adv = jid(c, "advertiser_id");
  if (!jid(c, "campaign_id")) set_id(c, "campaign_id", 1000 + w->ncamps);
  int64_t cid = jid(c, "campaign_id");
  if (sim_apply(w, at_unix, "campaign", c, err, errlen)) return -1;
  size_t i;
  json_t *g;
  int64_t mat = 4000;
  json_array_foreach(gs, i, g) {
    if (!json_is_object(g)) continue;
    if (!jid(g, "advertiser_id")) set_id(g, "advertiser_id", adv);
    set_id(g, "campaign_id", cid);
    if (!jid(g, "adgroup_id")) set_id(g, "adgroup_id", 2000 + w->nags);
    if (!jid(g, "pixel_id")) set_id(g, "pixel_id", 5000);
    json_t *body = json_deep_copy(g);
    json_object_del(body, "ads");
    json_object_del(body, "events");
    int rc = sim_apply(w, at_unix, "adgroup", body, err, errlen);
    json_decref(body);
    if (rc) return -1;
    events_json(w, jid(g, "pixel_id"), json_object_get(g, "events"));
    size_t k;
    json_t *a;
    json_array_foreach(json_object_get(g, "ads"), k, a) {
      if (!json_is_object(a)) continue;
      set_id(a, "adgroup_id", jid(g, "adgroup_id"));
      if (!jid(a, "advertiser_id")) set_id(a, "advertiser_id", adv);
      if (!jid(a, "smart_plus_ad_id")) set_id(a, "smart_plus_ad_id", 3000 + w->nads);
      size_t q;
      json_t *cr;
      json_array_foreach(json_object_get(a, "creative_list"), q, cr) {
        if (json_is_object(cr) && !jid(cr, "ad_material_id")) set_id(cr, "ad_material_id", mat + (int64_t)w->nads * 100 + (int64_t)q);
      }
      if (sim_apply(w, at_unix, "ad", a, err, errlen)) return -1;
    }
  }
  /* lint's alternative form: top-level "ads" with "adgroup_index" */
  json_t *a;
  json_array_foreach(json_object_get(plan, "ads"), i, a) {
    if (!json_is_object(a)) continue;
    json_t *gg = json_array_get(gs, (size_t)jid(a, "adgroup_index"));
    if (!gg) {
      snprintf(err, errlen, "ads[%zu].adgroup_index: no such ad group", i);
      return -1;
    }
    set_id(a, "adgroup_id", jid(gg, "adgroup_id"));
    if (!jid(a, "advertiser_id")) set_id(a, "advertiser_id", adv);
    if (!jid(a, "smart_plus_ad_id")) set_id(a, "smart_plus_ad_id", 3000 + w->nads);
    size_t q;
    json_t *cr;
    json_array_foreach(json_object_get(a, "creative_list"), q, cr) {
      if (json_is_object(cr) && !jid(cr, "ad_material_id"))
        set_id(cr, "ad_material_id", mat + (int64_t)w->nads * 100 + (int64_t)q);
    }
    json_t *body = json_deep_copy(a);
    json_object_del(body, "adgroup_index");
    int rc = sim_apply(w, at_unix, "ad", body, err, errlen);
    json_decref(body);
    if (rc) return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------ rows */

static uint64_t row_key(int64_t gid, int64_t aid, int64_t mat, int64_t hour) {
  return mix64(key3((uint64_t)gid, (uint64_t)aid, (uint64_t)mat) ^ (uint64_t)hour);
}

static void ridx_rebuild(sim_world *w, size_t n) {
  free(w->ridx);
  w->nidx = n;
  w->ridx = xcalloc(n, sizeof *w->ridx);
  for (size_t i = 0; i < w->nrows; i++) {
    const sp_metric_row *r = &w->rows[i].r;
    size_t j = row_key(r->adgroup_id, r->ad_id, r->material_id, r->hour) & (n - 1);
    while (w->ridx[j]) j = (j + 1) & (n - 1);
    w->ridx[j] = (int64_t)i + 1;
  }
}

static sp_metric_row *row_for(sim_world *w, const ag *g, int ci, int64_t min) {
  const combo *c = &g->cb[ci];
  int64_t ad_id = w->ads[c->ad].id, mat = g->cr[c->cr].mat, hour = (min / 60) * 3600;
  if (w->nidx == 0) ridx_rebuild(w, 256);
  size_t j = row_key(g->id, ad_id, mat, hour) & (w->nidx - 1);
  for (; w->ridx[j]; j = (j + 1) & (w->nidx - 1)) {
    sp_metric_row *r = &w->rows[w->ridx[j] - 1].r;
    if (r->ad_id == ad_id && r->material_id == mat && r->hour == hour && r->adgroup_id == g->id) return r;
  }
  if (w->nrows == w->caprows) {
    w->caprows = w->caprows ? w->caprows * 2 : 64;
    w->rows = xrealloc(w->rows, w->caprows * sizeof *w->rows);
  }
  size_t i = w->nrows++;
  rowent *e = &w->rows[i];
  memset(e, 0, sizeof *e);
  e->r.advertiser_id = g->adv;
  e->r.campaign_id = g->cid;
  e->r.adgroup_id = g->id;
  e->r.ad_id = ad_id;
  e->r.material_id = mat;
  e->r.hour = hour;
  w->ridx[j] = (int64_t)i + 1;
  if (w->nrows * 2 > w->nidx) ridx_rebuild(w, w->nidx * 2);
  return &e->r;
}

static int row_cmp(const void *a, const void *b) {
  const sp_metric_row *x = &((const rowent *)a)->r, *y = &((const rowent *)b)->r;
  if (x->hour != y->hour) return x->hour < y->hour ? -1 : 1;
  if (x->adgroup_id != y->adgroup_id) return x->adgroup_id < y->adgroup_id ? -1 : 1;
  if (x->ad_id != y->ad_id) return x->ad_id < y->ad_id ? -1 : 1;
  if (x->material_id != y->material_id) return x->material_id < y->material_id ? -1 : 1;
  return 0;
}

static void flush_rows(sim_world *w) {
  if (!w->nrows) return;
  qsort(w->rows, w->nrows, sizeof *w->rows, row_cmp);
  if (w->fn)
    for (size_t i = 0; i < w->nrows; i++) w->fn(w->fnarg, &w->rows[i].r);
  w->nrows = 0;
  if (w->nidx) memset(w->ridx, 0, w->nidx * sizeof *w->ridx);
}

/* ----------------------------------------------------------- event queue */

static int ev_less(const ev *a, const ev *b) {
  return a->arrive != b->arrive ? a->arrive < b->arrive : a->seq < b->seq;
}
static void ev_push(sim_world *w, ev e) {
  if (w->nheap == w->capheap) {
    w->capheap = w->capheap ? w->capheap * 2 : 256;
    w->heap = xrealloc(w->heap, w->capheap * sizeof *w->heap);
  }
  e.seq = w->seq++;
  size_t i = w->nheap++;
  w->heap[i] = e;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!ev_less(&w->heap[i], &w->heap[p])) break;
    ev t = w->heap[p];
    w->heap[p] = w->heap[i];
    w->heap[i] = t;
    i = p;
  }
}
static ev ev_pop(sim_world *w) {
  ev top = w->heap[0];
  w->heap[0] = w->heap[--w->nheap];
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, s = i;
    if (l < w->nheap && ev_less(&w->heap[l], &w->heap[s])) s = l;
    if (r < w->nheap && ev_less(&w->heap[r], &w->heap[s])) s = r;
    if (s == i) break;
    ev t = w->heap[s];
    w->heap[s] = w->heap[i];
    w->heap[i] = t;
    i = s;
  }
  return top;
}

/* A true conversion at minute `at`: schedule its copies per the pixel's sources. */
static void emit_conversion(sim_world *w, const ag *g, uint32_t u, int64_t at) {
  const evcfg *c = events_of(w, g->pixel);
  uint64_t order = ++w->order;
  ev e = {0};
  e.user = u;
  e.ev = g->ev;
  e.pixel = g->pixel;
  e.order = order;
  e.event_id = (uint8_t)c->eid;
  if (c->px) {
    int lost = w->users[u].blocks | (gsl_rng_uniform(w->r_pipe) < w->cfg.pixel_fail);
    if (!lost) {
      e.arrive = at;
      e.src = 0;
      e.matched = 1;
      ev_push(w, e);
    }
  }
  if (c->api) {
    int fail = gsl_rng_uniform(w->r_pipe) < w->cfg.api_fail;
    double d = gsl_ran_exponential(w->r_pipe, w->cfg.api_delay_min);
    int matched = gsl_rng_uniform(w->r_pipe) < w->cfg.api_match;
    if (!fail) {
      e.arrive = at + (int64_t)floor(d);
      e.src = 1;
      e.matched = (uint8_t)matched;
      ev_push(w, e);
    }
  }
}

static int64_t conv_delay(sim_world *w) {
  double d = gsl_rng_uniform(w->r_out) < 0.35 ? gsl_ran_exponential(w->r_out, 20)
                                              : gsl_ran_exponential(w->r_out, 4320);
  if (d > 35 * DAY_MIN) d = 35 * DAY_MIN;
  return (int64_t)floor(d);
}

/* A copy arrives: attribute by the user's touches, count raw, dedup, count. */
static void receive(sim_world *w, const ev *e, int64_t m) {
  if (!e->matched) return; /* unmatched server copies never attribute */
  touch *tr = &w->touches[(size_t)e->user * TOUCHES];
  const touch *hit = NULL;
  int view = 0;
  for (int k = 0; k < 2 && !hit; k++) {
    if (!tr[k].ag) continue;
    const ag *g = &w->ags[tr[k].ag - 1];
    if (g->pixel == e->pixel && g->ev == e->ev && g->click_win > 0 &&
        m - tr[k].min <= (int64_t)g->click_win * DAY_MIN)
      hit = &tr[k];
  }
  for (int k = 2; k < TOUCHES && !hit; k++) {
    if (!tr[k].ag) continue;
    const ag *g = &w->ags[tr[k].ag - 1];
    if (g->pixel == e->pixel && g->ev == e->ev && g->view_win > 0 &&
        m - tr[k].min <= (int64_t)g->view_win * DAY_MIN) {
      hit = &tr[k];
      view = 1;
    }
  }
  if (!hit) return;
  ag *g = &w->ags[hit->ag - 1];
  if (hit->combo < 0 || hit->combo >= g->ncb) return; /* combo removed since */
  sp_metric_row *r = row_for(w, g, hit->combo, hit->min);
  r->conversions_raw++;
  g->raw++;
  if (e->event_id) {
    char id[24];
    int n = snprintf(id, sizeof id, "%llu", (unsigned long long)e->order);
    const char *name = EVENTS[e->ev].name;
    if (sp_dedup_check(w->dedup, (uint64_t)e->pixel, name, strlen(name), id, (size_t)n, m * 60, NULL) ==
        SP_DEDUP_DUPLICATE)
      return;
  }
  r->conversions++;
  r->view_through += view;
  g->rep++;
  if (g->goal != GOAL_CONVERT) return; /* results of CLICK/LANDING_PAGE groups are counted elsewhere */
  if (view) g->V++;
  else {
    g->R++;
    g->Rs[hit->seg]++;
    g->cr[g->cb[hit->combo].cr].R++;
  }
  int64_t th = hit->min / 60, nh = m / 60;
  if (nh - th < CC_H) {
    if (view) g->ccV[th % CC_H]++;
    else g->ccR[th % CC_H]++;
  }
  g->nobs++;
  g->obs[nh % OBS_H]++;
  learning_check(w, g, m);
}

/* ----------------------------------------------------------- the learner */

static int win_slot(int win) {
  switch (win) {
  case 0: return 0;
  case 1: return 1;
  case 7: return 2;
  case 14: return 3;
  case 28: return 4;
  }
  return -1;
}

/* mat_f((m - (h - k) * 60) - 30, win) for k < RING_H, with mm = m - h * 60:
 * the hourly cohorts' maturity at minute mm of the hour (NULL: no cache). */
static const double *mat_hour(sim_world *w, int win, int64_t m) {
  int ws = win_slot(win), mm = (int)(m % 60);
  if (ws < 0 || m < 0) return NULL;
  double **row = &w->mat_h[ws][mm];
  if (!*row) {
    *row = xcalloc(RING_H, sizeof **row);
    for (int k = 0; k < RING_H; k++) (*row)[k] = mat_f((double)(mm + (int64_t)k * 60) - 30, win);
  }
  return *row;
}

static double maturity_sum(sim_world *w, const double *ring, double old, int64_t m, int win) {
  int64_t h = m / 60;
  double s = old;
  const double *f = mat_hour(w, win, m);
  for (int k = 0; k < RING_H; k++) {
    int64_t hh = h - k;
    double age = (double)(m - hh * 60) - 30;
    s += ring[((hh % RING_H) + RING_H) % RING_H] * (f ? f[k] : mat_f(age, win));
  }
  return s;
}

/* Per-creative click buckets: the creative's own maturity, so a newcomer's
 * fresh clicks are not read as non-converting ones. */
static void cre_roll(cre *x, int64_t b) {
  if (x->slot0 == 0 && x->K == 0) x->slot0 = b;
  while (x->slot0 < b) {
    x->slot0++;
    int s = (int)(x->slot0 % CR_SLOTS);
    x->Kold += x->ringK[s];
    x->ringK[s] = 0;
  }
}
static void cre_click(cre *x, int64_t m) {
  int64_t b = m / 360;
  cre_roll(x, b);
  x->ringK[b % CR_SLOTS]++;
}
static double cre_mature(sim_world *w, cre *x, int64_t m, int win) {
  int64_t b = m / 360;
  cre_roll(x, b);
  double s = x->Kold;
  const double *f = NULL;
  int ws = win_slot(win), mm = (int)(m % 360);
  if (ws >= 0 && m >= 0) {
    double **row = &w->mat_c[ws][mm];
    if (!*row) {
      *row = xcalloc(CR_SLOTS, sizeof **row);
      for (int k = 0; k < CR_SLOTS; k++) (*row)[k] = mat_f((double)(mm + (int64_t)k * 360) - 180, win);
    }
    f = *row;
  }
  for (int k = 0; k < CR_SLOTS; k++) {
    int64_t bb = b - k;
    if (bb < 0) break;
    s += x->ringK[bb % CR_SLOTS] * (f ? f[k] : mat_f((double)(m - bb * 360) - 180, win));
  }
  return s;
}

static double beta_draw(gsl_rng *r, double a, double b) {
  if (a < 1e-3) a = 1e-3;
  if (b < 1e-3) b = 1e-3;
  return gsl_ran_beta(r, a, b);
}

/* Smart Creative: randomised probability matching over combos. */
static void rotate(sim_world *w, ag *g) {
  int C = g->ncb;
  if (C <= 1) {
    g->cbar = 1;
    return;
  }
  double mctr = g->p_ctr, q = g->p_r;
  int S = 2048 / C;
  if (S < 4) S = 4;
  if (S > 32) S = 32;
  double *wins = xcalloc((size_t)C, sizeof *wins), *thr = xcalloc((size_t)g->ncr, sizeof *thr);
  for (int s = 0; s < S; s++) {
    if (g->goal != GOAL_CLICK)
      for (int i = 0; i < g->ncr; i++) {
        cre *x = &g->cr[i];
        double kt = cre_mature(w, x, w->now_min, g->click_win);
        thr[i] = beta_draw(w->r_ts, 20 * q + x->R, 20 * (1 - q) + (kt > x->R ? kt - x->R : 0));
      }
    int best = 0;
    double bv = -1;
    for (int c = 0; c < C; c++) {
      const combo *x = &g->cb[c];
      double th = beta_draw(w->r_ts, 100 * mctr + x->K, 100 * (1 - mctr) + (x->I - x->K));
      if (g->goal != GOAL_CLICK) th *= thr[x->cr];
      if (th > bv) {
        bv = th;
        best = c;
      }
    }
    wins[best] += 1.0 / S;
  }
  double sum = 0, ectr = 0, pbar = (g->K + 100 * mctr) / (g->I + 100);
  for (int c = 0; c < C; c++) {
    double x = 0.5 * g->cb[c].pi + 0.5 * (wins[c] > 0.05 / C ? wins[c] : 0.05 / C);
    g->cb[c].pi = x;
    sum += x;
  }
  double *p = xcalloc((size_t)C, sizeof *p);
  for (int c = 0; c < C; c++) {
    p[c] = g->cb[c].pi = g->cb[c].pi / sum;
    const combo *x = &g->cb[c];
    ectr += p[c] * (100 * mctr + x->K) / (100 + x->I);
  }
  g->cbar = clampd(pbar > 0 ? ectr / pbar : 1, 0.5, 2);
  if (g->tab) gsl_ran_discrete_free(g->tab);
  g->tab = gsl_ran_discrete_preproc((size_t)C, p);
  free(p);
  free(wins);
  free(thr);
}

static int is_learning(const ag *g) {
  return g->ls == SIM_LS_LEARNING || g->ls == SIM_LS_RELEARNING || g->ls == SIM_LS_LEARNING_LIMITED ||
         g->ls == SIM_LS_NOT_DELIVERING;
}

static void refresh(sim_world *w, ag *g) {
  int64_t m = w->now_min;
  double Kt = maturity_sum(w, g->ringK, g->Kold, m, g->click_win),
         It = maturity_sum(w, g->ringI, g->Iold, m, g->view_win);
  if (Kt > g->K) Kt = g->K;
  g->p_ctr = (g->K + 2000 * g->pi_ctr) / (g->I + 2000);
  if (g->goal == GOAL_CLICK) g->p_r = 1;
  else {
    double nr = g->goal == GOAL_LP ? 20 : 50;
    double a = g->R + nr * g->pi_r, b = (Kt > g->R ? Kt - g->R : 0) + nr * (1 - g->pi_r);
    g->p_r = is_learning(g) ? beta_draw(w->r_ts, a, b) : a / (a + b);
  }
  g->p_v = (g->goal == GOAL_CONVERT && g->view_win > 0) ? (g->V + 20000 * g->pi_v) / (It + 20000) : 0;
  if (g->imps_int > 0 || g->cbar == 0) rotate(w, g);
  g->imps_int = 0;
  double tau = is_learning(g) ? 0.5 : 1.0;
  for (int s = 0; s < NSEG; s++) {
    double pc = (g->Ks[s] + 300 * g->p_ctr) / (g->Is[s] + 300);
    double kts = g->K > 0 ? g->Ks[s] * Kt / g->K : 0;
    double pr = g->goal == GOAL_CLICK ? 1 : (g->Rs[s] + 10 * g->p_r) / (kts + 10);
    /* tempered segment lifts while learning: explore */
    if (tau != 1.0) { /* pow(x, 1) is x */
      pc = g->p_ctr * pow(pc / g->p_ctr, tau);
      if (g->goal != GOAL_CLICK) pr = g->p_r * pow(pr / g->p_r, tau);
    } else {
      pc = g->p_ctr * (pc / g->p_ctr);
      if (g->goal != GOAL_CLICK) pr = g->p_r * (pr / g->p_r);
    }
    g->vseg[s] = (float)(pc * g->cbar * pr + g->p_v);
  }
  double v = g->p_ctr * g->cbar * g->p_r + g->p_v;
  g->cpa_ref = g->mref / (1000 * v);
}

/* Cost Cap PI controller, every 15 minutes. Gains: the model's 0.3/0.08
 * oscillate between the κ bounds with conversions that arrive over days
 * (docs/simulator.md); these are slower. */
#ifndef CC_KP
#define CC_KP 0.3
#endif
#ifndef CC_KI
#define CC_KI 0.012
#endif
#ifndef CC_PESS
#define CC_PESS 0.25
#endif
static void costcap(sim_world *w, ag *g, double nu) {
  int64_t m = w->now_min, h = m / 60;
  double S = 0, R = 0, V = 0, Fw = 0, Fv = 0;
  const double *fc = mat_hour(w, g->click_win, m), *fv = mat_hour(w, g->view_win, m);
  for (int k = 0; k < CC_H; k++) {
    int64_t hh = h - k;
    int slot = (int)(((hh % CC_H) + CC_H) % CC_H);
    S += g->ccS[slot];
    R += g->ccR[slot];
    V += g->ccV[slot];
    double age = (double)(m - hh * 60) - 30;
    Fw += g->ccS[slot] * (g->goal == GOAL_CONVERT ? (fc ? fc[k] : mat_f(age, g->click_win)) : 1);
    Fv += g->ccS[slot] * (fv ? fv[k] : mat_f(age, g->view_win));
  }
  double C = g->cap;
  if (C <= 0) return;
  double F = S > 0 ? Fw / S : 1, FV = S > 0 ? Fv / S : 1;
  if (F < 0.05) F = 0.05;
  if (FV < 0.05) FV = 0.05;
  /* Gamma-Poisson with matured exposure: spend whose results should have
   * arrived by now (S x F̄) against results observed, 3 pseudo-results at
   * the cap. (The model divides R by F̄ instead, which reads an immature
   * zero as a high CPA and crashes κ on day 1; docs/simulator.md.) */
  double X = S / 1e6 * F;
  double Robs = R + V * F / FV;
  R += V;
  double cpa = (X + 3 * C) / (Robs + 3);
  double wS = X / (X + 3 * C);
  double hi = cpa * (1 + CC_PESS * wS / sqrt(R + 3));
  g->cpa_est = cpa;
  double e = clampd(log(C / hi), -0.5, 0.5);
  /* under two results' worth of spend in the window is no evidence at all:
   * probe upward instead of reading silence as a high CPA (docs/simulator.md) */
  if (X < CC_PROBE * C && e < 0.5) e = 0.5;
  double d = g->have_eprev ? CC_KP * (e - g->eprev) : 0;
  if (!(nu < g->kappa) && g->cc_traffic) d += CC_KI * e;
  g->kappa = clampd(exp(log(g->kappa) + d), 0.2, 3);
  g->eprev = e;
  g->have_eprev = 1;
  g->cc_traffic = 0;
}

/* ------------------------------------------------------------------ pacing */

static holder *holder_of(sim_world *w, ag *g) {
  if (g->ci >= 0 && w->camps[g->ci].cbo) return &w->camps[g->ci].h;
  return &g->h;
}

/* Planned share of the remaining budget period that falls in interval n. */
static double plan_share(sim_world *w, uint32_t gm, const char *dp, int64_t day, int n, const holder *h) {
  double wn = interval_w(w, gm, dp, day, n), rest = 0;
  for (int k = n; k < 288; k++) rest += interval_w(w, gm, dp, day, k);
  if (h->mode == BM_TOTAL) {
    int64_t days = h->end_min > 0 ? (h->end_min - (day + 1) * DAY_MIN + DAY_MIN - 1) / DAY_MIN : 30;
    if (days < 0) days = 0;
    double full = 0;
    for (int k = 0; k < 288; k++) full += interval_w(w, gm, dp, day, k);
    rest += (double)days * full;
  }
  return rest > 0 ? wn / rest : 0;
}

static void pace_holder(sim_world *w, holder *h, uint32_t gm, const char *dp, double lo, double hi) {
  int64_t m = w->now_min; /* last minute of the interval */
  int64_t day = m / DAY_MIN;
  int n = (int)((m % DAY_MIN) / 5);
  if (h->fast) h->x = hi;
  else if (h->mode != BM_INF && h->traffic && !h->stopped && h->brem_int > 0) {
    double P = (double)h->brem_int * plan_share(w, gm, dp, day, n, h);
    double ratio = clampd(P / (double)(h->spent_int > 0 ? h->spent_int : 1), 0.25, 4);
    h->x = clampd(h->x * pow(ratio, 0.25), lo, hi);
  } else if (h->mode == BM_INF && h->traffic)
    h->x = hi;
  h->spent_int = 0;
  h->traffic = 0;
  int64_t used = h->mode == BM_TOTAL ? h->spent_total : h->spent_day;
  h->brem_int = h->budget - used;
}

static void pace_all(sim_world *w) {
  for (int i = 0; i < w->nags; i++) {
    ag *g = &w->ags[i];
    int cbo = g->ci >= 0 && w->camps[g->ci].cbo;
    if (!cbo) {
      if (g->h.x == 0) g->h.x = g->custom ? 1 : g->cpa_ref;
      double lo = g->custom ? 0.05 : 0.05 * g->cpa_ref, hi = g->custom ? 3 : 5 * g->cpa_ref;
      pace_holder(w, &g->h, g->geomask, g->has_dp ? g->dp : NULL, lo, hi);
    } else {
      /* min/max budget: ψ moves by the pacer rule against the elapsed plan */
      int64_t m = w->now_min;
      double phi = 0, tot = 0;
      int n = (int)((m % DAY_MIN) / 5);
      for (int k = 0; k < 288; k++) {
        double x = interval_w(w, g->geomask, NULL, m / DAY_MIN, k);
        tot += x;
        if (k <= n) phi += x;
      }
      phi = tot > 0 ? phi / tot : 0;
      double sd = (double)g->h.spent_day / 1e6;
      if (g->min_b > 0 && sd < g->min_b * phi) g->psi *= pow(1.5, 0.25);
      else if (g->max_b > 0 && sd > g->max_b * phi) g->psi /= pow(1.5, 0.25);
      else g->psi = pow(g->psi, 0.8);
      g->psi = clampd(g->psi, 0.25, 4);
    }
  }
  for (int i = 0; i < w->ncamps; i++) {
    camp *c = &w->camps[i];
    if (!c->cbo) continue;
    uint32_t gm = 0;
    double ref = 0, refmax = 0;
    int n = 0, custom = 0;
    for (int k = 0; k < w->nags; k++)
      if (w->ags[k].ci == i) {
        gm |= w->ags[k].geomask;
        ref += w->ags[k].cpa_ref;
        if (w->ags[k].cpa_ref > refmax) refmax = w->ags[k].cpa_ref;
        custom |= w->ags[k].custom;
        n++;
      }
    if (!n) continue;
    if (c->h.x == 0) c->h.x = custom ? 1 : ref / n;
    pace_holder(w, &c->h, gm, NULL, custom ? 0.05 : 0.05 * ref / n, custom ? 3 : 5 * refmax);
  }
}

/* ------------------------------------------------------------ minute step */

/* The auction of one minute (docs/simulator.md, "Performance"). Candidates
 * (ad groups that may bid this minute, in ad group order, bids frozen) get
 * a scoring record; eligibility lists per (geo, placement, language,
 * gender) key hold the candidates that pass those hard criteria, in
 * candidate order, rebuilt when the candidate set or an ad group changes
 * (~130 times in the benchmark's day); ebase[seg][k] = 1000 x bid x v̂(seg).
 * Resolving an opportunity's user (alias table, geo index, record) and
 * scoring it read only these (frozen for the minute), so it is a pure
 * function: worker threads take disjoint index ranges and the results are
 * the same for any number of threads. */
static void grow_auction(sim_world *w, int n) {
  free(w->cs);
  free(w->ci);
  free(w->ebase);
  free(w->el);
  free(w->tflag);
  free(w->prev_gi);
  w->capcs = n;
  w->cs = xcalloc((size_t)n, sizeof *w->cs);
  w->ci = xcalloc((size_t)n, sizeof *w->ci);
  w->ebase = xcalloc((size_t)NSEG * (size_t)n, sizeof *w->ebase);
  w->el = xcalloc((size_t)NKEY * (size_t)n, sizeof *w->el);
  w->tflag = xcalloc((size_t)w->nthreads * (size_t)n, 1);
  w->prev_gi = xcalloc((size_t)n, sizeof *w->prev_gi);
  w->nprev = -1;
}

static void build_lists(sim_world *w);

static void prepare_auction(sim_world *w, int nc) {
  int same = !w->el_dirty && nc == w->nprev;
  for (int k = 0; k < nc && same; k++) same = w->prev_gi[k] == w->cs[k].gi;
  w->nc = nc;
  if (!same) {
    for (int k = 0; k < nc; k++) w->prev_gi[k] = w->cs[k].gi;
    w->nprev = nc;
    w->el_dirty = 0;
    build_lists(w);
  }
  for (int k = 0; k < nc; k++) {
    const ag *g = &w->ags[w->cs[k].gi];
    cinfo *c = &w->ci[k];
    c->adv = g->adv;
    c->agemask = g->agemask;
    c->osmask = g->osmask;
    c->intmask = g->intmask;
    c->kind = g->manual ? CK_MANUAL : g->suggest && (g->agemask != 0x3f || g->intmask) ? CK_SOFT : 0;
    if (c->kind == CK_SOFT) {
      /* soft suggestions: a prior lift that evidence overrides (the
       * impression count read at the start of the minute) */
      double fade = 3000.0 / (g->I + 3000.0);
      c->s_in = pow(1.4, fade);
      c->s_out = pow(0.7, fade);
    }
    double b = 1000 * w->cs[k].bid;
    for (int s = 0; s < NSEG; s++) w->ebase[(size_t)s * (size_t)w->capcs + (size_t)k] = b * g->vseg[s];
  }
}

/* Every key's list, candidates appended in candidate order. */
static void build_lists(sim_world *w) {
  memset(w->el_n, 0, sizeof w->el_n);
  for (int k = 0; k < w->nc; k++) {
    const ag *g = &w->ags[w->cs[k].gi];
    for (int gg = 0; gg < NGEO; gg++) {
      if (!(g->geomask & (1u << gg))) continue;
      for (int pl = 0; pl < NPL; pl++) {
        if (!(g->plmask & (1u << pl))) continue;
        for (int lang = 0; lang < NLANG; lang++) {
          if (!(g->langmask & (1u << lang))) continue;
          for (int gen = 0; gen < NGEN; gen++) {
            if (g->gender && g->gender != gen + 1) continue;
            int key = ((gg * NPL + pl) * NLANG + lang) * NGEN + gen;
            w->el[(size_t)key * (size_t)w->capcs + (size_t)w->el_n[key]++] = k;
          }
        }
      }
    }
  }
}

/* Score one opportunity: the best eCPM (one bid per advertiser, its best
 * ad group) and the runner-up of another advertiser. */
static int score(const sim_world *w, opp *o, uint8_t *tflag) {
  const user *x = &w->users[o->u];
  const int32_t *L = w->el + (size_t)o->key * (size_t)w->capcs;
  int nl = w->el_n[o->key];
  const double *eb = w->ebase + (size_t)o->seg * (size_t)w->capcs;
  uint32_t ubits = (1u << x->it[0]) | (1u << x->it[1]) | (1u << x->it[2]);
  int age = x->age, os = x->os;
  int best = -1, ne = 0;
  double be = 0, se = 0;
  int64_t badv = 0;
  for (int i = 0; i < nl; i++) {
    int k = L[i];
    const cinfo *c = &w->ci[k];
    double soft = 1;
    if (c->kind) {
      int amatch = (c->agemask >> age) & 1;
      int imatch = !c->intmask || (c->intmask & ubits);
      if (c->kind == CK_MANUAL) {
        if (!amatch || !imatch || !((c->osmask >> os) & 1)) continue;
      } else
        soft = amatch && imatch ? c->s_in : c->s_out;
    }
    tflag[k] = 1;
    ne++;
    double e = eb[k] * soft;
    if (best >= 0 && c->adv == badv) {
      if (e > be) {
        be = e;
        best = k;
      }
      continue;
    }
    if (e > be) {
      if (best >= 0) se = be > se ? be : se;
      be = e;
      best = k;
      badv = c->adv;
    } else if (e > se)
      se = e;
  }
  o->best = best;
  o->be = be;
  o->se = se;
  return ne;
}

/* Part t of T of the minute's opportunities (by index: deterministic). */
static void score_range(sim_world *w, int t, int T) {
  size_t n = w->nopps;
  size_t a = n * (size_t)t / (size_t)T, b = n * (size_t)(t + 1) / (size_t)T;
  uint8_t *tf = w->tflag + (size_t)t * (size_t)w->capcs;
  uint64_t ne = 0;
  /* resolve users in three prefetched passes (alias table, geo index, user
   * record: cache misses at 1M users), then score */
  const size_t PF = 16;
  opp *os = w->opps;
  for (size_t i = a; i < b; i++) {
    if (i + PF < b) {
      const gsl_ran_discrete_t *t2 = w->geo_tab[os[i + PF].gg];
      __builtin_prefetch(&t2->F[os[i + PF].uc]);
      __builtin_prefetch(&t2->A[os[i + PF].uc]);
    }
    const gsl_ran_discrete_t *gt = w->geo_tab[os[i].gg];
    size_t c = os[i].uc;
    double f = gt->F[c];
    os[i].u = (uint32_t)(f == 1.0 || os[i].ur < f ? c : gt->A[c]); /* as gsl_ran_discrete */
  }
  for (size_t i = a; i < b; i++) {
    if (i + PF < b) __builtin_prefetch(&w->geo_users[os[i + PF].gg][os[i + PF].u]);
    os[i].u = w->geo_users[os[i].gg][os[i].u];
  }
  for (size_t i = a; i < b; i++) {
    if (i + PF < b) __builtin_prefetch(&w->users[os[i + PF].u]);
    opp *o = &os[i];
    int gg = o->gg, pl = o->pl;
    const user *x = &w->users[o->u];
    o->M = w->cfg.market_cpm * exp(GEOS[gg].mu + PL_MU[pl] + AGE_MU[x->age] + w->cyc[gg] + w->xi[gg] + 0.6 * o->eps);
    o->seg = (uint8_t)seg_of(x->age, x->gen, pl);
    o->key = (int16_t)(((gg * NPL + pl) * NLANG + x->lang) * NGEN + x->gen);
  }
  for (size_t i = a; i < b; i++) ne += (uint64_t)score(w, &os[i], tf);
  w->t_eval[t] = ne;
}

static void *worker(void *arg) {
  sim_worker *wk = arg;
  sim_world *w = wk->w;
  uint64_t seen = 0;
  for (;;) {
    pthread_mutex_lock(&w->mu);
    while (w->gen == seen && !w->quit) pthread_cond_wait(&w->cv_go, &w->mu);
    seen = w->gen;
    int quit = w->quit;
    pthread_mutex_unlock(&w->mu);
    if (quit) break;
    score_range(w, wk->id, w->nthreads);
    pthread_mutex_lock(&w->mu);
    if (--w->pending == 0) pthread_cond_signal(&w->cv_done);
    pthread_mutex_unlock(&w->mu);
  }
  return NULL;
}

static void score_all(sim_world *w) {
  int T = w->nthreads;
  if (T > 1 && w->nopps >= 256) {
    pthread_mutex_lock(&w->mu);
    w->gen++;
    w->pending = T - 1;
    pthread_cond_broadcast(&w->cv_go);
    pthread_mutex_unlock(&w->mu);
    score_range(w, 0, T);
    pthread_mutex_lock(&w->mu);
    while (w->pending) pthread_cond_wait(&w->cv_done, &w->mu);
    pthread_mutex_unlock(&w->mu);
  } else { /* a quiet minute: not worth waking the workers */
    for (int t = 1; t < T; t++) w->t_eval[t] = 0;
    score_range(w, 0, 1);
  }
  /* merge in a fixed order: counters, then the traffic flags */
  for (int t = 0; t < T; t++) {
    w->n_eval += w->t_eval[t];
    uint8_t *tf = w->tflag + (size_t)t * (size_t)w->capcs;
    for (int k = 0; k < w->nc; k++)
      if (tf[k]) {
        tf[k] = 0;
        w->ags[w->cs[k].gi].cc_traffic = 1;
        w->cs[k].h->traffic = 1;
      }
  }
}

static int in_schedule(const ag *g, int64_t m) {
  if (g->s_start && m < g->s_start) return 0;
  if (g->s_end && m >= g->s_end) return 0;
  if (g->has_dp) {
    int64_t d = m / DAY_MIN;
    int mow = dow_of(d) * DAY_MIN + (int)(m % DAY_MIN);
    if (g->dp[mow / 30] != '1') return 0;
  }
  return 1;
}

static int delivering(const sim_world *w, const ag *g, int64_t m) {
  if (!g->active || !g->ncb || !g->tab) return 0;
  if (g->ci >= 0 && !w->camps[g->ci].active) return 0;
  return in_schedule(g, m);
}

static int budget_ok(const holder *h) { return !(h->mode != BM_INF && h->stopped); }

static void day_rollover(sim_world *w, int64_t day) {
  double f = pow(2.0, -1.0 / 7.0);
  for (int i = 0; i < w->nags; i++) {
    ag *g = &w->ags[i];
    g->h.spent_day = 0;
    if (g->h.mode != BM_TOTAL) g->h.stopped = 0;
    g->h.brem_int = g->h.budget - (g->h.mode == BM_TOTAL ? g->h.spent_total : 0);
    g->I *= f, g->K *= f, g->R *= f, g->V *= f, g->Kold *= f, g->Iold *= f;
    for (int s = 0; s < NSEG; s++) g->Is[s] *= f, g->Ks[s] *= f, g->Rs[s] *= f;
    for (int k = 0; k < RING_H; k++) g->ringK[k] *= f, g->ringI[k] *= f;
  }
  for (int i = 0; i < w->ncamps; i++) {
    holder *h = &w->camps[i].h;
    h->spent_day = 0;
    if (h->mode != BM_TOTAL) h->stopped = 0;
    h->brem_int = h->budget - (h->mode == BM_TOTAL ? h->spent_total : 0);
  }
  gsl_rng *r = w->r_scratch;
  uint64_t k = key3(w->cfg.seed, ST_MARKET, (uint64_t)day);
  gsl_rng_set(r, (unsigned long)(k ^ (k >> 32)));
  for (int g = 0; g < NGEO; g++) w->xi[g] = 0.7 * w->xi[g] + gsl_ran_gaussian(r, 0.05);
  sp_dedup_expire(w->dedup, day * DAY_MIN * 60);
}

static void hour_roll(sim_world *w, int64_t m) {
  int64_t h = m / 60;
  int slot = (int)(h % RING_H), cs = (int)(h % CC_H), os = (int)(h % OBS_H);
  for (int i = 0; i < w->nags; i++) {
    ag *g = &w->ags[i];
    g->Kold += g->ringK[slot];
    g->Iold += g->ringI[slot];
    g->ringK[slot] = g->ringI[slot] = 0;
    g->ccS[cs] = g->ccR[cs] = g->ccV[cs] = 0;
    g->obs[os] = 0;
    learning_check(w, g, m);
  }
}

static void impression(sim_world *w, ag *g, int gi, uint32_t u, int pl, int seg, int64_t m,
                       int64_t price, const advtruth *at) {
  user *x = &w->users[u];
  g->imps++;
  g->imps_int++;
  if (g->ls == SIM_LS_NOT_DELIVERING) {
    g->ls = SIM_LS_LEARNING;
    g->tau0 = m;
    g->nobs = 0;
    if (!strcmp(g->reason, "NEW_ADGROUP")) snprintf(g->why, sizeof g->why, "new ad group: %d results needed within %d days", w->cfg.learn_results, w->cfg.learn_days);
  }
  int c = (int)gsl_ran_discrete(w->r_out, g->tab);
  combo *cb = &g->cb[c];
  cre *cr = &g->cr[cb->cr];
  double aff = 0;
  for (int k = 0; k < 3; k++)
    if (at->theta & (1u << x->it[k])) aff += x->iw[k];
  double lctr = logit(0.01) + PL_BCTR[pl] + cb->tl + g->truth_ctr + aff + at->d_age[x->age] +
                at->d_gen[x->gen] + x->zc;
  int click = gsl_rng_uniform(w->r_out) < sigm(lctr);
  double lcvr = logit(EVENTS[g->ev].cvr) + PL_BCVR[pl] + at->ell + cr->omega + 1.5 * aff +
                at->d_agec[x->age] + x->zv + g->truth_cvr;
  double pc = sigm(lcvr);
  sp_metric_row *r = row_for(w, g, c, m);
  r->impressions++;
  r->spend_micros += price;
  int64_t h = m / 60;
  g->I++, g->Is[seg]++, g->ringI[h % RING_H]++, cb->I++, cr->I++;
  g->ccS[h % CC_H] += (double)price;
  touch t = {gi + 1, (int16_t)c, (uint8_t)seg, 0, (int32_t)m};
  touch *tr = &w->touches[(size_t)u * TOUCHES];
  tr[4] = tr[3], tr[3] = tr[2], tr[2] = t;
  if (click) {
    g->clicks++;
    r->clicks++;
    g->K++, g->Ks[seg]++, g->ringK[h % RING_H]++, cb->K++, cr->K++;
    cre_click(cr, m);
    tr[1] = tr[0], tr[0] = t;
    if (g->goal == GOAL_CLICK) {
      g->R++, g->Rs[seg]++, cr->R++;
      g->ccR[h % CC_H]++;
      g->nobs++;
      g->obs[h % OBS_H]++;
      learning_check(w, g, m);
    } else if (g->goal == GOAL_LP) {
      const evcfg *ec = events_of(w, g->pixel);
      int seen = ec->px && !x->blocks && gsl_rng_uniform(w->r_out) < P_LPV * (1 - w->cfg.pixel_fail);
      if (seen) {
        g->R++, g->Rs[seg]++, cr->R++;
        g->ccR[h % CC_H]++;
        g->nobs++;
        g->obs[h % OBS_H]++;
        learning_check(w, g, m);
      }
    }
  }
  double pconv = click ? pc : KAPPA_VT * pc;
  if (gsl_rng_uniform(w->r_out) < pconv) {
    int64_t at_min = m + conv_delay(w);
    g->truec++;
    emit_conversion(w, g, u, at_min);
    if (gsl_rng_uniform(w->r_out) < 0.1) {
      int64_t again = at_min + (int64_t)floor(gsl_ran_exponential(w->r_out, 4320));
      g->truec++;
      emit_conversion(w, g, u, again);
    }
  }
}

static void step(sim_world *w) {
  int64_t m = w->now_min;
  if (m % DAY_MIN == 0) day_rollover(w, m / DAY_MIN);
  if (m % 60 == 0) hour_roll(w, m);
  /* (1) events arriving now */
  while (w->nheap && w->heap[0].arrive <= m) {
    ev e = ev_pop(w);
    if (w->efn) {
      sim_event_copy c = {e.pixel, EVENTS[e.ev].name, e.order, e.event_id,
                          e.src,   (int64_t)e.user,    m * 60};
      w->efn(w->efnarg, &c);
    }
    receive(w, &e, m);
  }
  /* (2) candidates of this minute, bids frozen */
  if (w->capcs < w->nags) grow_auction(w, w->nags);
  cand *cs = w->cs;
  int nc = 0;
  for (int i = 0; i < w->nags; i++) {
    ag *g = &w->ags[i];
    if (!delivering(w, g, m)) continue;
    if (g->p_ctr == 0) refresh(w, g);
    holder *h = holder_of(w, g);
    int cbo = h != &g->h;
    if (!budget_ok(h) || (cbo && g->max_b > 0 && (double)g->h.spent_day >= g->max_b * 1e6)) continue;
    if (cbo && g->h.mode == BM_DAY && g->h.budget > 0 && g->h.stopped) continue;
    /* CBO off: the campaign's own daily budget, once spent, stops its ad
     * groups too (an auction won here would be dropped at settlement, and
     * the market would lose it) */
    if (!cbo && g->ci >= 0 && w->camps[g->ci].h.mode == BM_DAY && w->camps[g->ci].h.stopped)
      continue;
    if (h->x == 0) h->x = g->custom ? 1 : g->cpa_ref;
    double b;
    if (g->custom) b = g->cap * fmin(g->kappa, h->x);
    else b = h->x * (cbo ? g->psi : 1);
    cs[nc++] = (cand){i, b, h};
  }
  prepare_auction(w, nc);
  /* (3) traffic: (a) draw the minute's opportunities in stream order,
   * (b) score them against the frozen candidates (pure; split over the
   * worker threads by index), (c) settle them in order. */
  w->nopps = 0;
  for (int gg = 0; gg < NGEO; gg++) {
    int64_t lm = m + GEOS[gg].utc_off_min;
    double hloc = (double)(((lm % DAY_MIN) + DAY_MIN) % DAY_MIN) / 60.0 + 0.5 / 60;
    int64_t ld = lm >= 0 ? lm / DAY_MIN : (lm - DAY_MIN + 1) / DAY_MIN;
    double lam = w->geo_n[gg] * w->cfg.opp_per_user_day * diurnal(hloc) * weekday_w(dow_of(ld)) / DAY_MIN;
    double cyc = 0.2 * cos(2 * M_PI * (hloc - 21) / 24);
    w->cyc[gg] = cyc;
    unsigned n = lam > 0 ? gsl_ran_poisson(w->r_traffic, lam) : 0;
    const gsl_ran_discrete_t *gt = w->geo_tab[gg];
    for (unsigned j = 0; j < n; j++) {
      /* gsl_ran_discrete(r_traffic, geo_tab) split in two: the draw now,
       * the table lookup (a cache miss at 1M users) below, prefetched */
      double ur = gsl_rng_uniform(w->r_traffic);
      int pl = (int)gsl_ran_discrete(w->r_traffic, w->pl_tab);
      double eps = gsl_ran_gaussian(w->r_traffic, 1.0);
      if (!nc) continue;
      if (w->nopps == w->capopps) {
        w->capopps = w->capopps ? w->capopps * 2 : 4096;
        w->opps = xrealloc(w->opps, w->capopps * sizeof *w->opps);
      }
      opp *o = &w->opps[w->nopps++];
      o->ur = ur;
      o->uc = (uint32_t)(ur * (double)gt->K);
      o->gg = (uint8_t)gg;
      o->pl = (uint8_t)pl;
      o->eps = eps;
    }
  }
  score_all(w);
  for (size_t oi = 0; oi < w->nopps; oi++) {
    const opp *o = &w->opps[oi];
    if (oi + 8 < w->nopps) __builtin_prefetch(&w->touches[(size_t)w->opps[oi + 8].u * TOUCHES]);
    uint32_t u = o->u;
    int gg = o->gg, pl = o->pl, seg = o->seg, best = o->best;
    double M = o->M, be = o->be, se = o->se;
    const user *x = &w->users[u];
    w->n_opp++;
    double floor_cpm = M > w->cfg.reserve_cpm ? M : w->cfg.reserve_cpm;
    if (best < 0 || be < floor_cpm) continue;
    double pcpm = se > floor_cpm ? se : floor_cpm;
    int64_t price = (int64_t)llrint(pcpm / 1000 * 1e6);
    ag *g = &w->ags[cs[best].gi];
    holder *h = cs[best].h;
    if (h->mode != BM_INF) {
      int64_t used = h->mode == BM_TOTAL ? h->spent_total : h->spent_day;
      int64_t cap = h->mode == BM_DYN ? h->budget * 5 / 4 : h->budget;
      if (used + price > cap) {
        h->stopped = 1;
        continue;
      }
    }
    if (g->ci >= 0 && !w->camps[g->ci].cbo && w->camps[g->ci].h.mode == BM_DAY) {
      holder *ch = &w->camps[g->ci].h;
      if (ch->spent_day + price > ch->budget) {
        ch->stopped = 1;
        continue;
      }
      ch->spent_day += price, ch->spent_total += price;
    }
    h->spent_day += price, h->spent_total += price, h->spent_int += price;
    if (h != &g->h) g->h.spent_day += price, g->h.spent_total += price;
    w->n_imp++;
    impression(w, g, cs[best].gi, u, pl, seg, m, price, &g->at);
    if (w->ifn) {
      sim_impression im = {g->id, (int64_t)m * 60, GEOS[gg].id, AGES[x->age],
                           x->gen == 0 ? "MALE" : x->gen == 1 ? "FEMALE" : "UNKNOWN", LANGS[x->lang],
                           x->os ? "IOS" : "ANDROID", PLACEMENTS[pl], {0}, price, be, se, M,
                           w->cfg.reserve_cpm};
      for (int k = 0; k < 3; k++) im.interest_categories[k] = x->it[k];
      w->ifn(w->ifnarg, &im);
    }
  }
  /* (4) controllers */
  if (m % 5 == 4) pace_all(w);
  if (m % 15 == 14)
    for (int i = 0; i < w->nags; i++) {
      ag *g = &w->ags[i];
      if (!delivering(w, g, m)) continue;
      refresh(w, g);
      if (g->custom) costcap(w, g, holder_of(w, g)->x);
    }
  if (m % 60 == 59) flush_rows(w);
  w->now_min = m + 1;
}

void sim_flush(sim_world *w) { flush_rows(w); }

void sim_counters_get(const sim_world *w, sim_counters *c) {
  c->opportunities = w->n_opp;
  c->candidate_evaluations = w->n_eval;
  c->impressions = w->n_imp;
}

void sim_advance(sim_world *w, int64_t from_unix, int64_t to_unix) {
  int64_t from = from_unix / 60, to = to_unix / 60;
  if (!w->started) {
    w->started = 1;
    if (!w->now_min || from > w->now_min) w->now_min = from;
    /* the first day's budgets */
    for (int i = 0; i < w->nags; i++) w->ags[i].h.brem_int = w->ags[i].h.budget;
    for (int i = 0; i < w->ncamps; i++) w->camps[i].h.brem_int = w->camps[i].h.budget;
  }
  while (w->now_min < to) step(w);
}

/* ----------------------------------------------------------------- state */

static const char *secondary(const sim_world *w, const ag *g) {
  int64_t m = w->now_min;
  if (!g->active) return "ADGROUP_STATUS_DISABLE";
  if (g->ci >= 0 && !w->camps[g->ci].active) return "ADGROUP_STATUS_CAMPAIGN_DISABLE";
  if (g->s_start && m < g->s_start) return "ADGROUP_STATUS_NOT_START";
  if (g->s_end && m >= g->s_end) return "ADGROUP_STATUS_TIME_DONE";
  if (g->ci >= 0 && w->camps[g->ci].h.stopped) return "ADGROUP_STATUS_CAMPAIGN_EXCEED";
  if (g->h.stopped) return "ADGROUP_STATUS_BUDGET_EXCEED";
  return "ADGROUP_STATUS_DELIVERY_OK";
}

int sim_adgroup_state_get(const sim_world *w, int64_t adgroup_id, sim_adgroup_state *o) {
  int i = find_ag(w, adgroup_id);
  if (i < 0) return -1;
  const ag *g = &w->ags[i];
  memset(o, 0, sizeof *o);
  o->adgroup_id = g->id;
  o->learning = g->ls;
  o->learning_status = ls_name(g->ls);
  o->reason = g->reason;
  snprintf(o->reason_text, sizeof o->reason_text, "%s", g->why);
  o->secondary_status = secondary(w, g);
  o->conversions_in_window =
      g->ls == SIM_LS_LEARNING_LIMITED || g->ls == SIM_LS_LEARNED ? (int)obs7(g) : g->nobs;
  o->learning_since = g->ls == SIM_LS_NOT_DELIVERING ? 0 : g->tau0 * 60;
  o->learned_at = g->ls == SIM_LS_LEARNED ? g->learned_at * 60 : 0;
  const holder *h = g->ci >= 0 && w->camps[g->ci].cbo ? &w->camps[g->ci].h : &g->h;
  o->kappa = g->kappa;
  o->cpa_estimate = g->cpa_est;
  o->pace = h->x;
  o->bid = g->custom ? g->cap * fmin(g->kappa, h->x) : h->x * (h != &g->h ? g->psi : 1);
  o->spend_today_micros = g->h.spent_day;
  o->spend_total_micros = g->h.spent_total;
  o->impressions = g->imps;
  o->clicks = g->clicks;
  o->true_conversions = g->truec;
  o->reported_conversions = g->rep;
  o->reported_raw = g->raw;
  return 0;
}

json_t *sim_adgroup_state_json(const sim_world *w, int64_t adgroup_id) {
  sim_adgroup_state s;
  if (sim_adgroup_state_get(w, adgroup_id, &s)) return NULL;
  char since[20] = "", at[20] = "";
  if (s.learning_since) sp_time_format(s.learning_since, since);
  if (s.learned_at) sp_time_format(s.learned_at, at);
  return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s}", "secondary_status", s.secondary_status,
                   "learning_status", s.learning_status, "learning_reason", s.reason,
                   "learning_reason_text", s.reason_text, "learning_conversions",
                   (json_int_t)s.conversions_in_window, "learning_start_time", since,
                   "learned_time", at);
}

size_t sim_adgroup_ids(const sim_world *w, int64_t *ids, size_t cap) {
  size_t n = 0;
  for (int i = 0; i < w->nags && n < cap; i++) ids[n++] = w->ags[i].id;
  return n;
}

size_t sim_material_impressions(const sim_world *w, int64_t adgroup_id, int64_t *mats, int64_t *imps,
                                size_t cap) {
  int i = find_ag(w, adgroup_id);
  if (i < 0) return 0;
  const ag *g = &w->ags[i];
  size_t n = 0;
  for (int c = 0; c < g->ncr && n < cap; c++) {
    mats[n] = g->cr[c].mat;
    imps[n++] = (int64_t)g->cr[c].I;
  }
  return n;
}
