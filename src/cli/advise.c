/*
 * advise.c - `smartplus advise`: see advise.h.
 */
#include "advise.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/clock.h"
#include "client.h"

#define LEARN_RESULTS 50    /* seeds 004: ~50 conversions within 7 days */
#define BID_STEP_MAX 0.15   /* seeds 000/001/002: at most 15% ... */
#define BID_STEP_DAYS 2     /* ... at least 2 days apart */
#define RAISE_AT 0.90       /* seeds 000: spending 90%+ of the daily budget */
#define RAISE_BY 0.30       /* ... raise by up to 30% */
#define RAISE_DAYS 3        /* "consistently": each of the last 3 full days */
#define FLOOR_X 10.0        /* seeds 001/002: daily budget >= 10x CPA */
#define FLOOR_X_CAP 30.0    /* 30x for Target CPA (Cost Cap) */
#define CPA_DAYS 7          /* CPA measured over the last 7 full days */

static const char *str(json_t *o, const char *k) {
  return json_string_value(json_object_get(o, k));
}

static double num(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  if (json_is_number(v)) return json_number_value(v);
  if (json_is_string(v)) return atof(json_string_value(v));
  return 0;
}

static int is(json_t *o, const char *k, const char *v) {
  const char *s = str(o, k);
  return s && strcmp(s, v) == 0;
}

/* "YYYY-MM-DD..." -> day number (unix days); -1 if not a date */
static long day_of(const char *s) {
  char d[11];
  int64_t day;
  if (!s || strlen(s) < 10) return -1;
  snprintf(d, sizeof d, "%.10s", s);
  return sp_date_parse(d, &day) == 0 ? (long)day : -1;
}

static void day_str(long day, char out[11]) {
  char t[20];
  sp_time_format((int64_t)day * 86400, t);
  snprintf(out, 11, "%.10s", t);
}

static void add(json_t *list, const char *rule, const char *level,
                const char *id, const char *because, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void add(json_t *list, const char *rule, const char *level,
                const char *id, const char *because, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "rule",
                                        rule, "level", level, "id",
                                        id ? id : "", "advice", msg, "because",
                                        because));
}

static int daily_mode(const char *mode) {
  return mode && (strcmp(mode, "BUDGET_MODE_DAY") == 0 ||
                  strcmp(mode, "BUDGET_MODE_DYNAMIC_DAILY_BUDGET") == 0);
}

/* Spend and conversions of the ad groups in `ids` (NULL: all) per day over
 * [from, to], summed. */
static void sum_days(json_t *report, json_t *only_id, long from, long to,
                     double *spend_per_day, double *conv_per_day) {
  size_t n = (size_t)(to - from + 1);
  memset(spend_per_day, 0, n * sizeof *spend_per_day);
  memset(conv_per_day, 0, n * sizeof *conv_per_day);
  size_t i;
  json_t *row;
  json_array_foreach(report, i, row) {
    if (only_id && !is(row, "adgroup_id", json_string_value(only_id))) continue;
    long d = day_of(str(row, "date"));
    if (d < from || d > to) continue;
    spend_per_day[d - from] += num(row, "spend");
    conv_per_day[d - from] += num(row, "conversion");
  }
}

/* Budget advice for one budget holder (the campaign under CBO, else each
 * ad group): raise at 90%+ spend, floors against the CPA. */
static void budget_advice(json_t *out, const char *level, const char *id,
                          const char *mode, double budget, int cost_cap,
                          json_t *report, json_t *only_id, long today,
                          double expected_cpa) {
  if (!daily_mode(mode) || budget <= 0) return;
  double spend[CPA_DAYS], conv[CPA_DAYS];
  long from = today - CPA_DAYS, to = today - 1; /* full days only */
  sum_days(report, only_id, from, to, spend, conv);

  int high = 0, days_with_spend = 0;
  for (int k = CPA_DAYS - RAISE_DAYS; k < CPA_DAYS; k++) {
    if (spend[k] > 0) days_with_spend++;
    if (spend[k] >= RAISE_AT * budget) high++;
  }
  if (high == RAISE_DAYS)
    add(out, "BUDGET_RAISE", level, id,
        "seeds 000: spending 90% or more of the daily budget consistently; "
        "a raise of up to 30% unlocks volume without destabilizing "
        "optimization",
        "raise the daily budget by up to 30%%: from %.2f to at most %.2f "
        "(it spent 90%%+ of it on each of the last %d days)",
        budget, budget * (1 + RAISE_BY), RAISE_DAYS);

  double s = 0, c = 0;
  for (int k = 0; k < CPA_DAYS; k++) s += spend[k], c += conv[k];
  double cpa = c > 0 ? s / c : expected_cpa;
  if (cpa <= 0) return;
  double x = cost_cap ? FLOOR_X_CAP : FLOOR_X;
  if (budget < x * cpa)
    add(out, "BUDGET_FLOOR", level, id,
        cost_cap ? "seeds 001/002: 30x the CPA is the recommended starting "
                   "budget for Target CPA (Cost Cap) bidding; below 10x it "
                   "typically under-delivers"
                 : "seeds 001/002: a daily budget below 10x the CPA typically "
                   "under-delivers and rarely reaches ~50 results in 7 days",
        "daily budget %.2f is %.1fx the CPA of %.2f (%s); raise it to at "
        "least %.2f (%gx)",
        budget, budget / cpa, cpa,
        c > 0 ? "measured over the last 7 days" : "expected", x * cpa, x);
}

json_t *sp_advise(json_t *snap) {
  json_t *out = json_array();
  long today = day_of(str(snap, "today"));
  json_t *camp = json_object_get(snap, "campaign");
  json_t *groups = json_object_get(snap, "adgroups");
  json_t *report = json_object_get(snap, "report");
  double expected_cpa = num(snap, "expected_cpa");
  if (today < 0 || !json_is_object(camp)) return out;
  const char *cid = str(camp, "campaign_id");
  int cbo = json_is_true(json_object_get(camp, "budget_optimize_on"));

  size_t i;
  json_t *g;
  int any_cap = 0;
  json_array_foreach(groups, i, g) {
    if (is(g, "bid_type", "BID_TYPE_CUSTOM")) any_cap = 1;
  }
  if (cbo)
    budget_advice(out, "campaign", cid, str(camp, "budget_mode"),
                  num(camp, "budget"), any_cap, report, NULL, today,
                  expected_cpa);

  json_array_foreach(groups, i, g) {
    const char *gid = str(g, "adgroup_id");
    const char *ls = str(g, "learning_status");
    if (is(g, "operation_status", "DISABLE")) continue;
    if (ls && (strcmp(ls, "LEARNING") == 0 || strcmp(ls, "RE_LEARNING") == 0)) {
      const char *why = str(g, "learning_reason_text");
      add(out, "HOLD_EDITS", "adgroup", gid,
          "seeds 000/001: changes to bid, budget, audience or creative during "
          "the 7-day learning phase reset it and delay optimization",
          "hold edits to its bid, budget, audience and creatives until it "
          "exits learning (about %d results within 7 days)%s%s",
          LEARN_RESULTS, why ? ": " : "", why ? why : "");
    } else if (ls && strcmp(ls, "LEARNED") == 0 &&
               is(g, "bid_type", "BID_TYPE_CUSTOM")) {
      const char *field =
          is(g, "optimization_goal", "CLICK") ? "bid_price" : "conversion_bid_price";
      double bid = num(g, field);
      char next[11] = "now";
      long last = day_of(str(g, "modify_time"));
      if (last >= 0 && last + BID_STEP_DAYS > today)
        day_str(last + BID_STEP_DAYS, next);
      if (bid > 0)
        add(out, "BID_STEP", "adgroup", gid,
            "seeds 000/002: after learning, larger or more frequent bid "
            "changes send the ad group back into learning",
            "change %s by at most 15%% (between %.2f and %.2f), and not "
            "before %s (2 days after its last change)",
            field, bid * (1 - BID_STEP_MAX), bid * (1 + BID_STEP_MAX), next);
    }
    if (!cbo)
      budget_advice(out, "adgroup", gid, str(g, "budget_mode"),
                    num(g, "budget"), is(g, "bid_type", "BID_TYPE_CUSTOM"),
                    report, json_object_get(g, "adgroup_id"), today,
                    expected_cpa);
  }
  return out;
}

void sp_advise_print(json_t *advice, FILE *f) {
  size_t i;
  json_t *a;
  if (json_array_size(advice) == 0) {
    fprintf(f, "No advice: nothing the seeds' rules flag.\n");
    return;
  }
  json_array_foreach(advice, i, a) {
    fprintf(f, "%-13s %s %s: %s\n  because %s\n", str(a, "rule"), str(a, "level"),
            str(a, "id"), str(a, "advice"), str(a, "because"));
  }
}

/* ---- the client side: a snapshot from a server ---- */

/* GET path?query; the envelope's data on code 0 (new reference), NULL
 * (with a message unless `quiet`) if not. Retries as apply does. */
static json_t *get(sp_client *cl, const char *path, const char *query,
                   int quiet) {
  sp_resp r = {0};
  sp_client_call(cl, path, "GET", path, NULL, query, &r);
  json_t *data = NULL;
  if (r.transport_ok && r.code == 0) {
    data = json_incref(r.data);
  } else if (!quiet) {
    fprintf(stderr, "smartplus advise: GET %s: %s%ld %s\n", path,
            r.transport_ok ? "" : "network error: ", r.code, r.msg);
  }
  sp_resp_clear(&r);
  return data;
}

static const char *opt(int argc, char **argv, const char *name) {
  for (int i = 1; i + 1 < argc; i++)
    if (strcmp(argv[i], name) == 0) return argv[i + 1];
  return NULL;
}

static int has(int argc, char **argv, const char *name) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], name) == 0) return 1;
  return 0;
}

static void usage(void) {
  fprintf(stderr,
          "usage: smartplus advise --base-url URL --token T --advertiser-id A\n"
          "                        --campaign-id C [--expected-cpa X] [--json]\n"
          "       smartplus advise --snapshot FILE|- [--json]\n"
          "States the seeds' advice that applies to a campaign: hold edits "
          "during\nlearning, bid steps of at most 15%% every 2 days, budget "
          "raises of up to\n30%% at 90%% spend, budget floors of 10x (30x for "
          "Cost Cap) the CPA.\n");
}

/* Build the snapshot from a server; NULL on failure. */
static json_t *fetch(const char *base, const char *token, const char *adv,
                     const char *cid, double expected_cpa) {
  sp_client cl;
  if (sp_client_init(&cl, base, token, 30, 3, 250, "smartplus-advise/1") != 0)
    return NULL;
  char q[1024];
  json_t *snap = json_object(), *d;
  char today[11];
  /* the sandbox clock lives beside /open_api/v1.3; the live API has none */
  d = get(&cl, "../../sandbox/clock", NULL, 1); /* none on the live API */
  if (d && str(d, "now")) {
    snprintf(today, sizeof today, "%.10s", str(d, "now"));
  } else { /* a live server: the date of this machine, UTC */
    day_str((long)(time(NULL) / 86400), today);
  }
  json_decref(d);
  json_object_set_new(snap, "today", json_string(today));
  if (expected_cpa > 0)
    json_object_set_new(snap, "expected_cpa", json_real(expected_cpa));

  snprintf(q, sizeof q,
           "advertiser_id=%s&filtering=%%7B%%22campaign_ids%%22%%3A%%5B%%22%s"
           "%%22%%5D%%7D",
           adv, cid);
  d = get(&cl, "smart_plus/campaign/get/", q, 0);
  json_t *list = json_object_get(d, "list");
  if (!json_array_size(list)) {
    if (d) fprintf(stderr, "smartplus advise: campaign %s not found\n", cid);
    json_decref(d);
    json_decref(snap);
    sp_client_free(&cl);
    return NULL;
  }
  json_object_set(snap, "campaign", json_array_get(list, 0));
  json_decref(d);

  snprintf(q, sizeof q,
           "advertiser_id=%s&page_size=100&filtering=%%7B%%22campaign_ids%%22"
           "%%3A%%5B%%22%s%%22%%5D%%7D",
           adv, cid);
  d = get(&cl, "smart_plus/adgroup/get/", q, 0);
  json_object_set(snap, "adgroups",
                  json_is_array(json_object_get(d, "list"))
                      ? json_object_get(d, "list")
                      : json_array());
  json_decref(d);

  /* daily spend and conversions per ad group over the last 14 days */
  char from[11];
  day_str(day_of(today) - 14, from);
  json_t *rows = json_array();
  for (int page = 1; page <= 50; page++) {
    snprintf(q, sizeof q,
             "advertiser_id=%s&report_type=BASIC&data_level=AUCTION_ADGROUP&"
             "dimensions=%%5B%%22adgroup_id%%22%%2C%%22stat_time_day%%22%%5D&"
             "metrics=%%5B%%22spend%%22%%2C%%22conversion%%22%%5D&start_date=%s&"
             "end_date=%s&page=%d&page_size=1000",
             adv, from, today, page);
    d = get(&cl, "report/integrated/get/", q, 0);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(d, "list"), i, r) {
      json_t *dim = json_object_get(r, "dimensions");
      json_t *met = json_object_get(r, "metrics");
      json_array_append_new(
          rows, json_pack("{s:O?, s:s, s:f, s:f}", "adgroup_id",
                          json_object_get(dim, "adgroup_id"), "date",
                          str(dim, "stat_time_day") ? str(dim, "stat_time_day")
                                                    : "",
                          "spend", num(met, "spend"), "conversion",
                          num(met, "conversion")));
    }
    json_t *pi = json_object_get(d, "page_info");
    int last = !d || page >= json_integer_value(json_object_get(pi, "total_page"));
    json_decref(d);
    if (last) break;
  }
  json_object_set_new(snap, "report", rows);
  sp_client_free(&cl);
  return snap;
}

int sp_advise_main(int argc, char **argv) {
  const char *snapf = opt(argc, argv, "--snapshot");
  const char *base = opt(argc, argv, "--base-url");
  const char *token = opt(argc, argv, "--token");
  const char *adv = opt(argc, argv, "--advertiser-id");
  const char *cid = opt(argc, argv, "--campaign-id");
  const char *cpa = opt(argc, argv, "--expected-cpa");
  if (!token) token = getenv("SMARTPLUS_TOKEN");
  json_t *snap = NULL;
  if (snapf) {
    json_error_t err;
    snap = strcmp(snapf, "-") == 0 ? json_loadf(stdin, 0, &err)
                                   : json_load_file(snapf, 0, &err);
    if (!snap) {
      fprintf(stderr, "smartplus advise: %s: %s (line %d)\n", snapf, err.text,
              err.line);
      return 2;
    }
  } else if (base && token && adv && cid) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    snap = fetch(base, token, adv, cid, cpa ? atof(cpa) : 0);
    curl_global_cleanup();
    if (!snap) return 2;
  } else {
    usage();
    return 2;
  }
  json_t *advice = sp_advise(snap);
  if (has(argc, argv, "--json")) {
    char *s = json_dumps(advice, JSON_INDENT(2));
    printf("%s\n", s);
    free(s);
  } else {
    sp_advise_print(advice, stdout);
  }
  json_decref(advice);
  json_decref(snap);
  return 0;
}
