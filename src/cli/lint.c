/*
 * cli/lint.c - offline checks of a plan: the three Upgraded Smart+ requests
 * without a server. The verdicts come from the same normalize + sp_decode +
 * defaults + src/rules code smartplusd runs, and an error prints the message
 * smartplusd would answer ("field: message (rule TAG)").
 *
 * A plan:
 *   {"campaign": {...campaign/create body...},
 *    "adgroups": [{...adgroup/create body..., "ads": [{...ad/create...}]}],
 *    "expected_cpa": 15.0,                      (optional, for advice)
 *    "pixel": {"event_sources": ["BROWSER"]}}   (optional)
 * Top-level "ads" with "adgroup_index" are accepted too. Without a server,
 * a pixel_id is taken to exist, fed by the sources "pixel" gives (both by
 * default), and ids are placeholders.
 *
 * Advice (warnings) from the seeds: a daily budget under 10x the expected
 * CPA (30x recommended with Cost Cap), ad texts that differ only slightly.
 */
#include "lint.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "../model/objects.h"
#include "../rules/ad.h"
#include "../rules/adgroup.h"
#include "../rules/campaign.h"

typedef struct lint {
  FILE *out;
  int errors, warnings;
  sp_arena *a;
} lint;

static void error(lint *l, const char *where, const sp_err *e) {
  char msg[1024];
  sp_err_format(e, msg, sizeof msg);
  fprintf(l->out, "error: %s: %s\n", where, msg);
  l->errors++;
}

static void warn(lint *l, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(lint *l, const char *where, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(l->out, "warning: %s: ", where);
  vfprintf(l->out, fmt, ap);
  fputc('\n', l->out);
  va_end(ap);
  l->warnings++;
}

/* Letters and digits only, lowercased: "New arrivals - 20% off!" and
 * "new arrivals 20% off" compare equal. */
static void squash(const char *s, char *out, size_t n) {
  size_t j = 0;
  for (; *s && j + 1 < n; s++)
    if (isalnum((unsigned char)*s)) out[j++] = (char)tolower((unsigned char)*s);
  out[j] = '\0';
}

/* Levenshtein distance, capped inputs (ad texts are <= 100 characters). */
static size_t distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 200 || lb > 200) return 1000;
  size_t prev[201], cur[201];
  for (size_t j = 0; j <= lb; j++) prev[j] = j;
  for (size_t i = 1; i <= la; i++) {
    cur[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
      size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
    }
    memcpy(prev, cur, (lb + 1) * sizeof *prev);
  }
  return prev[lb];
}

static void advise_texts(lint *l, const char *where, const sp_ad *ad) {
  if (!ad->ad_text_list.set) return;
  const sp_ad_text *t = ad->ad_text_list.v;
  for (size_t i = 0; i < ad->ad_text_list.n; i++)
    for (size_t j = 0; j < i; j++) {
      char a[256], b[256];
      squash(t[i].ad_text.v, a, sizeof a);
      squash(t[j].ad_text.v, b, sizeof b);
      size_t d = distance(a, b), longest = strlen(a) > strlen(b) ? strlen(a) : strlen(b);
      if (d <= 3 || (longest && d * 10 < longest))
        warn(l, where,
             "ad_text_list[%zu] and ad_text_list[%zu] differ only slightly; "
             "slight wording changes give the rotation little signal, make "
             "each variation meaningfully different",
             j, i);
    }
}

static void advise_budget(lint *l, const char *where, const sp_campaign *c,
                          const sp_adgroup *g, double expected_cpa) {
  int cbo = rules_campaign_cbo(c);
  const char *mode = cbo ? (c->budget_mode.set ? c->budget_mode.v : NULL)
                         : (g->budget_mode.set ? g->budget_mode.v : NULL);
  double daily = !rules_budget_mode_is_daily(mode) ? 0
                 : cbo ? (c->budget.set ? c->budget.v : 0)
                       : (g->budget.set ? g->budget.v : 0);
  int cost_cap = g->bid_type.set && strcmp(g->bid_type.v, "BID_TYPE_CUSTOM") == 0;
  double cpa = cost_cap && g->conversion_bid_price.set ? g->conversion_bid_price.v
                                                        : expected_cpa;
  if (daily <= 0 || cpa <= 0) return;
  double x = daily / cpa;
  if (x < 10)
    warn(l, where,
         "the daily budget %.2f is %.1fx the %s of %.2f; under 10x it "
         "typically under-delivers and may not leave the learning phase "
         "(seeds: at least 10x, 30x recommended%s)",
         daily, x, cost_cap ? "Cost Cap" : "expected CPA", cpa,
         cost_cap ? " for Cost Cap" : "");
  else if (cost_cap && x < 30)
    warn(l, where,
         "the daily budget %.2f is %.1fx the Cost Cap of %.2f; 30x (%.2f) is "
         "the recommended starting point for Target CPA bidding",
         daily, x, cpa, 30 * cpa);
}

/* Ids a plan cannot know yet ("CAMPAIGN_ID_FROM_STEP_1", "YOUR_PIXEL_ID")
 * are placeholders: give them a well-formed id so the rules can run. */
static void placeholders(json_t *o) {
  static const char *keys[] = {"advertiser_id", "campaign_id", "adgroup_id",
                               "pixel_id"};
  for (size_t i = 0; i < SP_ARRAY_LEN(keys); i++) {
    const char *v = json_string_value(json_object_get(o, keys[i]));
    if (v && (!*v || strspn(v, "0123456789") != strlen(v)))
      json_object_set_new(o, keys[i], json_string("1"));
  }
}

/* Lint one ad request `aj` (consumed) of ad group g; `group_ok` says
 * whether the ad group itself passed (else only the ad's own shape is
 * checked). Updates *others_spark with the ad's Spark kind. */
static void lint_ad(lint *l, const char *where, json_t *aj,
                    const sp_campaign *c, const sp_adgroup *g, int group_ok,
                    int *others_spark) {
  sp_err e;
  if (!json_object_get(aj, "adgroup_id"))
    json_object_set_new(aj, "adgroup_id", json_string("1"));
  placeholders(aj);
  sp_ad *ad = sp_arena_alloc(l->a, sizeof *ad);
  sp_err_clear(&e);
  if (rules_ad_normalize(aj, &e) != SP_OK ||
      sp_decode(&sp_ad_schema, aj, ad, 1, l->a, "", &e) != SP_OK) {
    error(l, where, &e);
  } else if (group_ok) {
    rules_ad_defaults(ad);
    rules_ad_ctx x = {c, *others_spark};
    if (rules_ad_check(ad, &x, &e) != SP_OK) {
      error(l, where, &e);
    } else {
      int s = rules_ad_spark(ad);
      if (s == 0 || s == 1) *others_spark = s;
      advise_texts(l, where, ad);
    }
  }
  json_decref(aj);
}

int sp_lint_plan(json_t *plan, FILE *out) {
  lint l = {out, 0, 0, sp_arena_create()};
  sp_err e;
  json_t *camp = json_object_get(plan, "campaign");
  if (!camp && json_object_get(plan, "campaign_name")) camp = plan;
  if (!json_is_object(camp)) {
    fprintf(out, "error: plan: has no \"campaign\" object\n");
    sp_arena_destroy(l.a);
    return 1;
  }
  double expected_cpa = json_number_value(json_object_get(plan, "expected_cpa"));

  sp_err_clear(&e);
  sp_campaign *c = sp_arena_alloc(l.a, sizeof *c);
  int campaign_ok = 0;
  camp = json_deep_copy(camp);
  placeholders(camp);
  sp_rc crc = sp_decode(&sp_campaign_schema, camp, c, 1, l.a, "", &e);
  json_decref(camp);
  if (crc != SP_OK) {
    error(&l, "campaign", &e);
  } else {
    rules_campaign_defaults(c);
    if (!c->advertiser_id.set) { /* a plan may leave it to `apply` */
      c->advertiser_id.set = 1;
      c->advertiser_id.v = 1;
    }
    if (rules_campaign_check(c, &e) != SP_OK) error(&l, "campaign", &e);
    else campaign_ok = 1;
  }

  /* the pixel the plan's ad groups name: exists, fed by what it says */
  sp_pixel *px = sp_arena_alloc(l.a, sizeof *px);
  json_t *pj = json_object_get(plan, "pixel");
  if (!json_is_object(pj) ||
      sp_decode(&sp_pixel_schema, pj, px, 1, l.a, "pixel", &e) != SP_OK ||
      !px->event_sources.set) {
    static const char *both[] = {"BROWSER", "EVENTS_API"};
    px->event_sources.set = 1;
    px->event_sources.n = 2;
    px->event_sources.v = both;
  }

  json_t *ags = json_object_get(plan, "adgroups");
  size_t n_ag = json_array_size(ags);
  sp_adgroup *groups = sp_arena_alloc(l.a, (n_ag ? n_ag : 1) * sizeof *groups);
  int *group_ok = sp_arena_alloc(l.a, (n_ag ? n_ag : 1) * sizeof *group_ok);
  size_t n_valid = 0;
  sp_adgroup *valid = sp_arena_alloc(l.a, (n_ag ? n_ag : 1) * sizeof *valid);
  int others_spark = -1;

  for (size_t i = 0; i < n_ag; i++) {
    char *where = sp_arena_printf(l.a, "adgroups[%zu]", i);
    json_t *gj = json_deep_copy(json_array_get(ags, i));
    if (!json_is_object(gj)) {
      fprintf(out, "error: %s: is not an object\n", where);
      l.errors++;
      json_decref(gj);
      continue;
    }
    json_t *nested_ads = json_incref(json_object_get(gj, "ads"));
    json_object_del(gj, "ads");
    if (!json_object_get(gj, "campaign_id"))
      json_object_set_new(gj, "campaign_id", json_string("1"));
    placeholders(gj);
    sp_adgroup *g = &groups[i];
    sp_err_clear(&e);
    if (sp_decode(&sp_adgroup_schema, gj, g, 1, l.a, "", &e) != SP_OK) {
      error(&l, where, &e);
    } else if (campaign_ok) {
      rules_adgroup_defaults(g, 0, l.a);
      rules_adgroup_ctx x = {c, g->pixel_id.set ? px : NULL, valid, n_valid};
      if (rules_adgroup_check(g, &x, &e) != SP_OK) {
        error(&l, where, &e);
      } else {
        group_ok[i] = 1;
        valid[n_valid++] = *g;
        advise_budget(&l, where, c, g, expected_cpa);
      }
    }
    json_decref(gj);
    /* the ad group's ads */
    for (size_t k = 0; k < json_array_size(nested_ads); k++) {
      char *aw = sp_arena_printf(l.a, "adgroups[%zu].ads[%zu]", i, k);
      json_t *aj = json_deep_copy(json_array_get(nested_ads, k));
      if (!json_is_object(aj)) {
        fprintf(out, "error: %s: is not an object\n", aw);
        l.errors++;
        json_decref(aj);
        continue;
      }
      lint_ad(&l, aw, aj, c, g, group_ok[i], &others_spark);
    }
    json_decref(nested_ads);
  }

  /* top-level ads naming their ad group by index */
  json_t *ads = json_object_get(plan, "ads");
  for (size_t k = 0; k < json_array_size(ads); k++) {
    char *aw = sp_arena_printf(l.a, "ads[%zu]", k);
    json_t *aj = json_deep_copy(json_array_get(ads, k));
    json_t *ix = json_object_get(aj, "adgroup_index");
    size_t gi = json_is_integer(ix) ? (size_t)json_integer_value(ix) : 0;
    if (!json_is_object(aj) || gi >= n_ag) {
      fprintf(out, "error: %s: needs \"adgroup_index\" naming one of the "
              "plan's %zu ad groups\n", aw, n_ag);
      l.errors++;
      json_decref(aj);
      continue;
    }
    json_object_del(aj, "adgroup_index");
    lint_ad(&l, aw, aj, c, &groups[gi], group_ok[gi], &others_spark);
  }

  fprintf(out, "%s: %d error%s, %d warning%s (campaign, %zu ad group%s)\n",
          l.errors ? "refused" : "ok", l.errors, l.errors == 1 ? "" : "s",
          l.warnings, l.warnings == 1 ? "" : "s", n_ag, n_ag == 1 ? "" : "s");
  sp_arena_destroy(l.a);
  return l.errors;
}
