/*
 * rules/adgroup.c - ad group rules of ../shared/seeds/001 (the ad group
 * section, the budget matrix, CBO uniformity and the common errors). Each
 * check names the field and carries a rule tag its test repeats. No I/O, no
 * clock: the context brings the campaign, pixel and sibling ad groups.
 */
#include "adgroup.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/text.h"
#include "campaign.h"

static int is(const sp_opt_str *s, const char *v) {
  return s->set && strcmp(sp_canonical(s->v), sp_canonical(v)) == 0;
}

int rules_campaign_cbo(const sp_campaign *c) {
  return !c->budget_optimize_on.set || c->budget_optimize_on.v;
}

void rules_adgroup_defaults(sp_adgroup *g, int64_t now, sp_arena *a) {
  if (!g->bid_type.set) {
    g->bid_type.set = 1;
    g->bid_type.v = "BID_TYPE_NO_BID";
  }
  if (!g->targeting_optimization_mode.set) {
    g->targeting_optimization_mode.set = 1;
    g->targeting_optimization_mode.v = "AUTOMATIC";
  }
  if (!g->operation_status.set) {
    g->operation_status.set = 1;
    g->operation_status.v = "ENABLE";
  }
  if (!g->placement_type.set && g->placements.set) {
    g->placement_type.set = 1; /* spec: NORMAL is the default type */
    g->placement_type.v = "PLACEMENT_TYPE_NORMAL";
  }
  if (is(&g->schedule_type, "SCHEDULE_FROM_NOW") && !g->schedule_start_time.set &&
      now > 0) {
    char buf[20];
    sp_time_format(now, buf);
    g->schedule_start_time.set = 1;
    g->schedule_start_time.v = sp_arena_strdup(a, buf);
  }
}

/* The kind of budget that pays for this ad group: the campaign's under CBO,
 * else its own. */
static const char *effective_mode(const sp_adgroup *g, const sp_campaign *c) {
  if (rules_campaign_cbo(c)) return c->budget_mode.set ? c->budget_mode.v : NULL;
  return g->budget_mode.set ? g->budget_mode.v : NULL;
}

static sp_rc check_targeting(const sp_adgroup *g, sp_err *e) {
  if (!g->targeting_spec.set)
    return sp_fail(e, SP_E_PARAM, "targeting_spec", "ADGROUP_REQUIRED",
                   "is required (at least location_ids)");
  const sp_targeting *t = g->targeting_spec.v;
  if (!t->location_ids.set || t->location_ids.n == 0)
    return sp_fail(e, SP_E_PARAM, "targeting_spec.location_ids",
                   "ADGROUP_LOCATIONS",
                   "is required: at least one location id (e.g. \"6252001\" "
                   "for the United States)");
  if (is(&g->targeting_optimization_mode, "AUTOMATIC")) {
    /* seeds 001: automatic targeting takes Audience Controls (location,
     * gender, languages, age floor) and Audience Suggestions (interests,
     * age groups); the detailed manual controls are not available */
    struct {
      int set;
      const char *name;
    } manual_only[] = {
        {t->actions.set, "actions"},
        {t->purchase_intention_keyword_ids.set, "purchase_intention_keyword_ids"},
        {t->device_model_ids.set, "device_model_ids"},
        {t->device_price_ranges.set, "device_price_ranges"},
        {t->network_types.set, "network_types"},
        {t->carrier_ids.set, "carrier_ids"},
        {t->isp_ids.set, "isp_ids"},
        {t->household_income.set, "household_income"},
        {t->spending_power.set, "spending_power"},
        {t->min_android_version.set, "min_android_version"},
        {t->min_ios_version.set, "min_ios_version"},
        {t->operating_systems.set, "operating_systems"},
        {t->saved_audience_id.set, "saved_audience_id"},
        {t->smart_audience_enabled.set, "smart_audience_enabled"},
        {t->smart_interest_behavior_enabled.set, "smart_interest_behavior_enabled"},
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(manual_only); i++)
      if (manual_only[i].set) {
        char field[96];
        snprintf(field, sizeof field, "targeting_spec.%s", manual_only[i].name);
        return sp_fail(e, SP_E_PARAM, field, "ADGROUP_TARGETING_MODE",
                       "%s is only available with targeting_optimization_mode "
                       "MANUAL; AUTOMATIC takes location_ids, zipcode_ids, "
                       "languages, gender, spc_audience_age (audience "
                       "controls) and age_groups, interest_category_ids, "
                       "interest_keyword_ids, audience_ids (suggestions)",
                       manual_only[i].name);
      }
  } else { /* MANUAL */
    if (t->spc_audience_age.set)
      return sp_fail(e, SP_E_PARAM, "targeting_spec.spc_audience_age",
                     "ADGROUP_TARGETING_MODE",
                     "is an automatic-targeting age floor; with MANUAL use "
                     "age_groups");
  }
  for (size_t i = 0; t->device_price_ranges.set && i < t->device_price_ranges.n; i++) {
    const char *v = t->device_price_ranges.v[i];
    if (!*v || strspn(v, "0123456789") != strlen(v) || atoi(v) % 50)
      return sp_fail(e, SP_E_PARAM, "targeting_spec.device_price_ranges",
                     "ADGROUP_DEVICE_PRICE",
                     "\"%.20s\" is not a multiple of 50", v);
  }
  return SP_OK;
}

/* The fields that must match across ad groups (seeds 001, CBO section). */
typedef struct uni_field {
  const char *name;
  size_t off;
  int num; /* sp_opt_num, else sp_opt_str */
} uni_field;

#define U(m, n) {#m, offsetof(sp_adgroup, m), n}
static const uni_field cbo_uniform[] = {
    U(promotion_type, 0),       U(optimization_goal, 0), U(optimization_event, 0),
    U(billing_event, 0),        U(bid_type, 0),          U(bid_price, 1),
    U(conversion_bid_price, 1), U(deep_bid_type, 0),     U(vbo_window, 0),
    U(roas_bid, 1),
};
static const uni_field nocbo_uniform[] = {
    U(bid_type, 0), U(deep_bid_type, 0), U(vbo_window, 0), U(budget_mode, 0),
};

static void show(const sp_adgroup *g, const uni_field *f, char *buf, size_t n) {
  const char *slot = (const char *)g + f->off;
  if (f->num) {
    const sp_opt_num *x = (const sp_opt_num *)slot;
    if (x->set) snprintf(buf, n, "%g", x->v);
    else snprintf(buf, n, "(not set)");
  } else {
    const sp_opt_str *x = (const sp_opt_str *)slot;
    snprintf(buf, n, "%s", x->set ? x->v : "(not set)");
  }
}

static int same(const sp_adgroup *a, const sp_adgroup *b, const uni_field *f) {
  const char *sa = (const char *)a + f->off, *sb = (const char *)b + f->off;
  if (f->num) {
    const sp_opt_num *x = (const sp_opt_num *)sa, *y = (const sp_opt_num *)sb;
    return x->set == y->set && (!x->set || fabs(x->v - y->v) < 1e-9);
  }
  const sp_opt_str *x = (const sp_opt_str *)sa, *y = (const sp_opt_str *)sb;
  return x->set == y->set &&
         (!x->set || strcmp(sp_canonical(x->v), sp_canonical(y->v)) == 0);
}

static sp_rc check_uniform(const sp_adgroup *g, const rules_adgroup_ctx *x,
                           sp_err *e) {
  if (!x->n_siblings || !x->siblings) return SP_OK;
  int cbo = rules_campaign_cbo(x->campaign);
  const uni_field *fs = cbo ? cbo_uniform : nocbo_uniform;
  size_t nf = cbo ? SP_ARRAY_LEN(cbo_uniform) : SP_ARRAY_LEN(nocbo_uniform);
  const sp_adgroup *ref = &x->siblings[0];
  char msg[700] = "", first[64] = "";
  size_t len = 0;
  for (size_t i = 0; i < nf; i++) {
    if (same(g, ref, &fs[i])) continue;
    char mine[64], theirs[64];
    show(g, &fs[i], mine, sizeof mine);
    show(ref, &fs[i], theirs, sizeof theirs);
    if (!first[0]) snprintf(first, sizeof first, "%s", fs[i].name);
    len += (size_t)snprintf(msg + len, len < sizeof msg ? sizeof msg - len : 0,
                            "%s%s is %s, the campaign's ad groups use %s",
                            len ? "; " : "", fs[i].name, mine, theirs);
    if (len >= sizeof msg) len = sizeof msg - 1;
  }
  if (!first[0]) return SP_OK;
  return sp_fail(e, SP_E_PARAM, first,
                 cbo ? "ADGROUP_CBO_UNIFORM" : "ADGROUP_NOCBO_UNIFORM",
                 "%s ad groups of one campaign must share %s: %s",
                 cbo ? "with budget_optimize_on (CBO) all" : "without CBO all",
                 cbo ? "promotion_type, optimization_goal, optimization_event, "
                       "billing_event, bid_type, bid_price, "
                       "conversion_bid_price, deep_bid_type, vbo_window and "
                       "roas_bid"
                     : "bid_type, deep_bid_type, vbo_window and budget_mode",
                 msg);
}

sp_rc rules_adgroup_check(const sp_adgroup *g, const rules_adgroup_ctx *x,
                          sp_err *e) {
  sp_rc rc;
  const sp_campaign *c = x->campaign;
  int web = c->objective_type.set &&
            strcmp(c->objective_type.v, "WEB_CONVERSIONS") == 0;
  int cbo = rules_campaign_cbo(c);

  /* required (spec: campaign_id, adgroup_name, promotion_type,
   * targeting_spec, schedule_type, optimization_goal, billing_event) */
  static const struct {
    size_t off;
    const char *name;
  } required[] = {
      {offsetof(sp_adgroup, campaign_id), "campaign_id"},
      {offsetof(sp_adgroup, adgroup_name), "adgroup_name"},
      {offsetof(sp_adgroup, promotion_type), "promotion_type"},
      {offsetof(sp_adgroup, optimization_goal), "optimization_goal"},
      {offsetof(sp_adgroup, billing_event), "billing_event"},
      {offsetof(sp_adgroup, schedule_type), "schedule_type"},
  };
  for (size_t i = 0; i < SP_ARRAY_LEN(required); i++)
    if (!*(const int *)((const char *)g + required[i].off))
      return sp_fail(e, SP_E_PARAM, required[i].name, "ADGROUP_REQUIRED",
                     "is required");
  if (sp_text_has_emoji(g->adgroup_name.v))
    return sp_fail(e, SP_E_PARAM, "adgroup_name", "NAME_NO_EMOJI",
                   "must not contain emoji");

  if (web) {
    /* seeds 001 ad group table */
    if (!is(&g->promotion_type, "WEBSITE"))
      return sp_fail(e, SP_E_PARAM, "promotion_type", "ADGROUP_WEB_PROMOTION",
                     "%s is not allowed for a WEB_CONVERSIONS campaign; use "
                     "WEBSITE",
                     g->promotion_type.v);
    if (!is(&g->optimization_goal, "CONVERT") &&
        !is(&g->optimization_goal, "TRAFFIC_LANDING_PAGE_VIEW") &&
        !is(&g->optimization_goal, "CLICK"))
      return sp_fail(e, SP_E_PARAM, "optimization_goal", "ADGROUP_WEB_GOAL",
                     "%s is not a Web Conversions goal; allowed: CONVERT, "
                     "LANDING_PAGE (TRAFFIC_LANDING_PAGE_VIEW), CLICK",
                     g->optimization_goal.v);
    if (!is(&g->billing_event, "OCPM"))
      return sp_fail(e, SP_E_PARAM, "billing_event", "ADGROUP_WEB_OCPM",
                     "%s is not allowed: OCPM is the only billing event for "
                     "Web Conversions",
                     g->billing_event.v);
  }

  /* pixel and event */
  int convert = is(&g->optimization_goal, "CONVERT");
  int landing = is(&g->optimization_goal, "TRAFFIC_LANDING_PAGE_VIEW");
  int click = is(&g->optimization_goal, "CLICK");
  if (convert || landing) {
    if (!g->pixel_id.set)
      return sp_fail(e, SP_E_PARAM, "pixel_id", "ADGROUP_PIXEL_REQUIRED",
                     "is required with optimization_goal %s: conversion "
                     "events come from a pixel",
                     g->optimization_goal.v);
    if (!x->pixel)
      return sp_fail(e, SP_E_PARAM, "pixel_id", "ADGROUP_PIXEL_EXISTS",
                     "%lld is not a pixel of this advertiser (see "
                     "/pixel/list/)",
                     (long long)g->pixel_id.v);
  }
  if (convert && !g->optimization_event.set)
    return sp_fail(e, SP_E_PARAM, "optimization_event", "ADGROUP_EVENT_REQUIRED",
                   "is required with optimization_goal CONVERT (e.g. "
                   "COMPLETE_PAYMENT / SHOPPING)");
  if (landing && x->pixel) {
    /* seeds 001/000: LANDING_PAGE needs the browser Pixel; an Events
     * API-only source does not satisfy it */
    const sp_opt_strs *src = &x->pixel->event_sources;
    int browser = 0, server = 0;
    for (size_t i = 0; src->set && i < src->n; i++) {
      if (strcmp(src->v[i], "BROWSER") == 0) browser = 1;
      if (strcmp(src->v[i], "EVENTS_API") == 0) server = 1;
    }
    if (server && !browser)
      return sp_fail(e, SP_E_PARAM, "optimization_goal",
                     "ADGROUP_LANDING_PAGE_PIXEL",
                     "LANDING_PAGE needs a browser Pixel event source; pixel "
                     "%lld is fed by the Events API alone. Use CONVERT or "
                     "CLICK, or install the Pixel on the site",
                     (long long)g->pixel_id.v);
  }

  /* bidding (seeds 001: Max Delivery or Cost Cap) */
  const char *bid = g->bid_type.set ? g->bid_type.v : "BID_TYPE_NO_BID";
  if (web && strcmp(bid, "BID_TYPE_NO_BID") != 0 &&
      strcmp(bid, "BID_TYPE_CUSTOM") != 0)
    return sp_fail(e, SP_E_PARAM, "bid_type", "ADGROUP_BID_TYPE",
                   "%s is not available for Web Conversions; use "
                   "BID_TYPE_NO_BID (Maximum Delivery) or BID_TYPE_CUSTOM "
                   "(Cost Cap)",
                   bid);
  if (strcmp(bid, "BID_TYPE_NO_BID") == 0) {
    if (g->bid_price.set || g->conversion_bid_price.set)
      return sp_fail(e, SP_E_PARAM,
                     g->bid_price.set ? "bid_price" : "conversion_bid_price",
                     "ADGROUP_NO_BID_PRICE",
                     "must not be set with BID_TYPE_NO_BID (Maximum Delivery "
                     "needs no price)");
  } else if (strcmp(bid, "BID_TYPE_CUSTOM") == 0) {
    if (click && (!g->bid_price.set || g->bid_price.v <= 0))
      return sp_fail(e, SP_E_PARAM, "bid_price", "ADGROUP_COST_CAP_PRICE",
                     "is required (> 0) for Cost Cap (BID_TYPE_CUSTOM) with "
                     "optimization_goal CLICK");
    if ((convert || landing) &&
        (!g->conversion_bid_price.set || g->conversion_bid_price.v <= 0))
      return sp_fail(e, SP_E_PARAM, "conversion_bid_price",
                     "ADGROUP_COST_CAP_PRICE",
                     "is required (> 0) for Cost Cap (BID_TYPE_CUSTOM) with "
                     "optimization_goal %s",
                     g->optimization_goal.v);
  }

  /* budgets (seeds 001 budget matrix) */
  const char *cmode = c->budget_mode.set ? c->budget_mode.v : NULL;
  if (cbo) {
    if (g->budget_mode.set || g->budget.set)
      return sp_fail(e, SP_E_PARAM, g->budget_mode.set ? "budget_mode" : "budget",
                     "ADGROUP_CBO_NO_BUDGET",
                     "is not supported on an ad group when the campaign uses "
                     "Campaign Budget Optimization; the campaign budget is "
                     "shared");
  } else {
    if (!g->budget_mode.set)
      return sp_fail(e, SP_E_PARAM, "budget_mode", "ADGROUP_BUDGET_MATRIX",
                     "is required when the campaign's budget_optimize_on is "
                     "false (each ad group has its own budget)");
    int day = cmode && strcmp(cmode, "BUDGET_MODE_DAY") == 0;
    const char *m = g->budget_mode.v;
    int ok = day ? strcmp(m, "BUDGET_MODE_DYNAMIC_DAILY_BUDGET") == 0
                 : strcmp(m, "BUDGET_MODE_TOTAL") == 0 ||
                       strcmp(m, "BUDGET_MODE_DYNAMIC_DAILY_BUDGET") == 0;
    if (!ok)
      return sp_fail(e, SP_E_PARAM, "budget_mode", "ADGROUP_BUDGET_MATRIX",
                     "%s is not allowed under a campaign with %s; allowed: %s",
                     m, cmode ? cmode : "BUDGET_MODE_INFINITE",
                     day ? "BUDGET_MODE_DYNAMIC_DAILY_BUDGET"
                         : "BUDGET_MODE_TOTAL, BUDGET_MODE_DYNAMIC_DAILY_BUDGET");
    if (!g->budget.set || g->budget.v <= 0)
      return sp_fail(e, SP_E_PARAM, "budget", "ADGROUP_BUDGET_REQUIRED",
                     "is required with %s", m);
    if (rules_budget_mode_is_daily(m) && g->budget.v < RULES_ADGROUP_MIN_DAILY)
      return sp_fail(e, SP_E_PARAM, "budget", "ADGROUP_BUDGET_MIN",
                     "%.2f is below the minimum daily ad group budget of %.2f",
                     g->budget.v, RULES_ADGROUP_MIN_DAILY);
  }
  if (g->min_budget.set || g->max_budget.set) {
    const char *f = g->min_budget.set ? "min_budget" : "max_budget";
    if (!cbo || !rules_budget_mode_is_daily(cmode) ||
        strcmp(bid, "BID_TYPE_NO_BID") != 0)
      return sp_fail(e, SP_E_PARAM, f, "ADGROUP_MIN_MAX_BUDGET",
                     "is only available when the campaign uses CBO with a "
                     "daily budget and the bid type is BID_TYPE_NO_BID");
    if (g->min_budget.set && g->max_budget.set &&
        g->min_budget.v > g->max_budget.v)
      return sp_fail(e, SP_E_PARAM, "min_budget", "ADGROUP_MIN_MAX_BUDGET",
                     "%.2f is above max_budget %.2f", g->min_budget.v,
                     g->max_budget.v);
    if (c->budget.set &&
        ((g->min_budget.set && g->min_budget.v > c->budget.v) ||
         (g->max_budget.set && g->max_budget.v > c->budget.v)))
      return sp_fail(e, SP_E_PARAM, f, "ADGROUP_MIN_MAX_BUDGET",
                     "is above the campaign's daily budget of %.2f",
                     c->budget.v);
  }

  /* Cost Cap needs a daily budget: never a lifetime one (seeds 001, and the
   * common error CBO + BUDGET_MODE_TOTAL + BID_TYPE_CUSTOM) */
  const char *emode = effective_mode(g, c);
  if (strcmp(bid, "BID_TYPE_CUSTOM") == 0 &&
      (rules_budget_mode_is_lifetime(emode) ||
       (!cbo && rules_budget_mode_is_lifetime(cmode))))
    return sp_fail(e, SP_E_PARAM, "bid_type", "ADGROUP_COST_CAP_DAILY",
                   "Cost Cap (BID_TYPE_CUSTOM) is only available with a daily "
                   "budget; this ad group is paid from a lifetime budget "
                   "(BUDGET_MODE_TOTAL on the %s)",
                   rules_budget_mode_is_lifetime(emode) && !cbo ? "ad group"
                                                                : "campaign");
  /* bids below the daily budget that pays for them */
  double daily = cbo ? (rules_budget_mode_is_daily(cmode) && c->budget.set
                            ? c->budget.v : 0)
                     : (rules_budget_mode_is_daily(emode) ? g->budget.v : 0);
  if (daily > 0) {
    if (g->conversion_bid_price.set && g->conversion_bid_price.v >= daily)
      return sp_fail(e, SP_E_PARAM, "conversion_bid_price",
                     "ADGROUP_BID_BELOW_BUDGET",
                     "%.2f must be below the daily budget of %.2f",
                     g->conversion_bid_price.v, daily);
    if (g->bid_price.set && g->bid_price.v >= daily)
      return sp_fail(e, SP_E_PARAM, "bid_price", "ADGROUP_BID_BELOW_BUDGET",
                     "%.2f must be below the daily budget of %.2f",
                     g->bid_price.v, daily);
  }

  /* schedule (seeds 001) */
  int64_t start = 0, end = 0;
  if (g->schedule_start_time.set) sp_time_parse(g->schedule_start_time.v, &start);
  if (g->schedule_end_time.set) sp_time_parse(g->schedule_end_time.v, &end);
  if (is(&g->schedule_type, "SCHEDULE_FROM_NOW")) {
    if (!rules_budget_mode_is_daily(emode))
      return sp_fail(e, SP_E_PARAM, "schedule_type", "ADGROUP_SCHEDULE_FROM_NOW",
                     "SCHEDULE_FROM_NOW (run continuously) needs a daily "
                     "budget; with a lifetime budget use SCHEDULE_START_END");
    if (g->schedule_end_time.set)
      return sp_fail(e, SP_E_PARAM, "schedule_end_time",
                     "ADGROUP_SCHEDULE_FROM_NOW",
                     "must not be set with SCHEDULE_FROM_NOW");
  } else {
    if (!g->schedule_start_time.set || !g->schedule_end_time.set)
      return sp_fail(e, SP_E_PARAM,
                     g->schedule_start_time.set ? "schedule_end_time"
                                                : "schedule_start_time",
                     "ADGROUP_SCHEDULE_START_END",
                     "is required with SCHEDULE_START_END (format YYYY-MM-DD "
                     "HH:MM:SS, UTC)");
    if (end <= start)
      return sp_fail(e, SP_E_PARAM, "schedule_end_time",
                     "ADGROUP_SCHEDULE_START_END",
                     "%s must be after schedule_start_time %s",
                     g->schedule_end_time.v, g->schedule_start_time.v);
    if (!cbo && rules_budget_mode_is_lifetime(g->budget_mode.v) &&
        g->budget.set) {
      double days = ceil((double)(end - start) / 86400.0);
      if (g->budget.v < RULES_ADGROUP_MIN_DAILY * days)
        return sp_fail(e, SP_E_PARAM, "budget", "ADGROUP_BUDGET_MIN",
                       "%.2f is below the minimum lifetime budget of %.2f "
                       "(%.2f per scheduled day x %.0f days)",
                       g->budget.v, RULES_ADGROUP_MIN_DAILY * days,
                       RULES_ADGROUP_MIN_DAILY, days);
    }
  }
  if (g->dayparting.set && g->dayparting.v[0] &&
      (strlen(g->dayparting.v) != 336 ||
       strspn(g->dayparting.v, "01") != 336))
    return sp_fail(e, SP_E_PARAM, "dayparting", "ADGROUP_DAYPARTING",
                   "must be 336 characters of 0 and 1 (48 half hours x 7 "
                   "days, Monday 00:00 first)");

  /* placements (seeds 001) */
  if (is(&g->placement_type, "PLACEMENT_TYPE_NORMAL")) {
    if (!g->placements.set || g->placements.n == 0)
      return sp_fail(e, SP_E_PARAM, "placements", "ADGROUP_PLACEMENTS",
                     "must list at least one of PLACEMENT_TIKTOK, "
                     "PLACEMENT_PANGLE, PLACEMENT_GLOBAL_APP_BUNDLE with "
                     "PLACEMENT_TYPE_NORMAL (omit both fields for automatic "
                     "placement)");
    for (size_t i = 0; i < g->placements.n; i++)
      for (size_t j = 0; j < i; j++)
        if (strcmp(g->placements.v[i], g->placements.v[j]) == 0)
          return sp_fail(e, SP_E_PARAM, "placements", "ADGROUP_PLACEMENTS",
                         "lists %s twice", g->placements.v[i]);
  } else if (g->placements.set) {
    return sp_fail(e, SP_E_PARAM, "placements", "ADGROUP_PLACEMENTS",
                   "must be omitted with PLACEMENT_TYPE_AUTOMATIC");
  }

  if ((rc = check_targeting(g, e))) return rc;

  /* identities at ad group level */
  if (is(&g->identity_type, "BC_AUTH_TT") && !g->identity_authorized_bc_id.set)
    return sp_fail(e, SP_E_PARAM, "identity_authorized_bc_id",
                   "ADGROUP_IDENTITY_BC",
                   "is required with identity_type BC_AUTH_TT");

  /* deep funnel value bidding is for the VALUE goal only */
  if (g->deep_bid_type.set && strncmp(g->deep_bid_type.v, "VO_", 3) == 0 &&
      !is(&g->optimization_goal, "VALUE"))
    return sp_fail(e, SP_E_PARAM, "deep_bid_type", "ADGROUP_DEEP_BID",
                   "%s is only available with optimization_goal VALUE",
                   g->deep_bid_type.v);

  /* the campaign's other ad groups */
  if (x->n_siblings >= RULES_MAX_ADGROUPS)
    return sp_fail(e, SP_E_LIMIT, "campaign_id", "ADGROUP_MAX_30",
                   "the campaign already has %zu ad groups; an Upgraded Smart+ "
                   "campaign holds at most %d",
                   x->n_siblings, RULES_MAX_ADGROUPS);
  return check_uniform(g, x, e);
}

static int same_str(const sp_opt_str *a, const sp_opt_str *b) {
  return a->set && b->set &&
         strcmp(sp_canonical(a->v), sp_canonical(b->v)) == 0;
}

static int same_id(const sp_opt_id *a, const sp_opt_id *b) {
  return a->set && b->set && a->v == b->v;
}

#define IMMUTABLE(member, same)                                              \
  do {                                                                       \
    if (patch->member.set && !same(&patch->member, &old->member))            \
      return sp_fail(e, SP_E_PARAM, #member, "ADGROUP_IMMUTABLE",            \
                     "cannot be changed after the ad group is created");     \
  } while (0)
#define NEVER(a, b) 0

sp_rc rules_adgroup_update_allowed(const sp_adgroup *old,
                                   const sp_adgroup *patch, sp_err *e) {
  IMMUTABLE(campaign_id, same_id);
  IMMUTABLE(placement_type, same_str);
  IMMUTABLE(placements, NEVER);
  IMMUTABLE(promotion_type, same_str);
  IMMUTABLE(optimization_goal, same_str);
  IMMUTABLE(optimization_event, same_str);
  IMMUTABLE(pixel_id, same_id);
  IMMUTABLE(billing_event, same_str);
  IMMUTABLE(budget_mode, same_str);
  IMMUTABLE(bid_type, same_str);
  if (patch->operation_status.set &&
      !same_str(&patch->operation_status, &old->operation_status))
    return sp_fail(e, SP_E_PARAM, "operation_status", "ADGROUP_STATUS_VIA",
                   "is changed with smart_plus/adgroup/status/update/");
  return SP_OK;
}
