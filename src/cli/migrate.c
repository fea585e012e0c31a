/*
 * cli/migrate.c - legacy campaign/spc/create (one request: a campaign with
 * one ad group and one ad inside, ../shared/seeds/003) -> the three Upgraded
 * Smart+ requests (seeds 001), as a plan `smartplus lint` and
 * `smartplus apply` read, plus a report: every field of the legacy request
 * is listed as mapped (same meaning, moved to an upgraded field), changed
 * (renamed, moved into a list, or given another value: the note says how
 * and why) or dropped (the note says why). Upgraded fields the legacy call
 * had no counterpart for are listed as added. Decisions: docs/migrate.md.
 *
 * Nothing here checks the rules: `smartplus lint` does that on the plan.
 */
#include "migrate.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define CP "campaign."
#define GP "adgroups[0]."
#define AP "adgroups[0].ads[0]."

#define MAX_TEXTS 5  /* upgraded ad_text_list (seeds 001) */
#define MAX_CTAS 3   /* upgraded call_to_action_list */
#define MAX_CARDS 1  /* upgraded interactive_add_on_list */

typedef struct mig {
  json_t *in;
  json_t *camp, *ag, *ad;
  json_t *report;
  json_t *seen; /* legacy paths reported: {path: true} */
  const char *objective;
} mig;

static void row(mig *m, const char *legacy, const char *action,
                const char *upgraded, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void row(mig *m, const char *legacy, const char *action,
                const char *upgraded, const char *fmt, ...) {
  char note[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(note, sizeof note, fmt, ap);
  va_end(ap);
  json_t *r = json_object();
  json_object_set_new(r, "legacy_field", legacy ? json_string(legacy) : json_null());
  json_object_set_new(r, "action", json_string(action));
  json_object_set_new(r, "upgraded_field",
                      upgraded && *upgraded ? json_string(upgraded) : json_null());
  json_object_set_new(r, "note", json_string(note));
  json_array_append_new(m->report, r);
  if (legacy) json_object_set_new(m->seen, legacy, json_true());
}

/* Set `dotted` ("targeting_spec.location_ids") under obj, making the
 * intermediate objects. Steals v. */
static void put(json_t *obj, const char *dotted, json_t *v) {
  char key[128];
  const char *dot;
  while ((dot = strchr(dotted, '.'))) {
    size_t n = (size_t)(dot - dotted);
    if (n >= sizeof key) n = sizeof key - 1;
    memcpy(key, dotted, n);
    key[n] = '\0';
    json_t *sub = json_object_get(obj, key);
    if (!json_is_object(sub)) {
      sub = json_object();
      json_object_set_new(obj, key, sub);
    }
    obj = sub;
    dotted = dot + 1;
  }
  json_object_set_new(obj, dotted, v);
}

/* A legacy field; JSON null counts as not given. */
static json_t *get(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_null(v) ? NULL : v;
}

static const char *str(json_t *o, const char *k) {
  return json_string_value(get(o, k));
}

static int is(json_t *o, const char *k, const char *v) {
  const char *s = str(o, k);
  return s && strcmp(s, v) == 0;
}

/* ---- fields that keep their name and meaning ---------------------------- */

typedef struct same {
  const char *legacy;
  char where;               /* C campaign, G ad group, T targeting_spec */
  const char *note;
} same;

static const same same_fields[] = {
    {"campaign_name", 'C', "the ad group and the ad are named after it too"},
    {"objective_type", 'C', "APP_PROMOTION, WEB_CONVERSIONS and LEAD_GENERATION all exist upgraded"},
    {"operation_status", 'C', "the ad group and the ad are created ENABLE under it, as the legacy call did"},
    {"app_promotion_type", 'C', ""},
    {"campaign_type", 'C', ""},
    {"campaign_app_profile_page_state", 'C', ""},
    {"is_advanced_dedicated_campaign", 'C', ""},
    {"disable_skan_campaign", 'C', ""},
    {"special_industries", 'C', ""},
    {"budget", 'C', "the campaign budget stays a campaign budget (Campaign Budget Optimization over the one ad group)"},
    {"promotion_type", 'G', ""},
    {"promotion_website_type", 'G', ""},
    {"promotion_target_type", 'G', ""},
    {"optimization_goal", 'G', ""},
    {"pixel_id", 'G', ""},
    {"optimization_event", 'G', ""},
    {"deep_funnel_optimization_status", 'G', ""},
    {"deep_funnel_event_source", 'G', ""},
    {"deep_funnel_event_source_id", 'G', ""},
    {"deep_funnel_optimization_event", 'G', ""},
    {"bid_type", 'G', ""},
    {"bid_price", 'G', ""},
    {"conversion_bid_price", 'G', ""},
    {"deep_bid_type", 'G', ""},
    {"roas_bid", 'G', ""},
    {"vbo_window", 'G', ""},
    {"click_attribution_window", 'G', ""},
    {"engaged_view_attribution_window", 'G', ""},
    {"view_attribution_window", 'G', ""},
    {"attribution_event_count", 'G', ""},
    {"billing_event", 'G', ""},
    {"comment_disabled", 'G', ""},
    {"share_disabled", 'G', ""},
    {"video_download_disabled", 'G', ""},
    {"schedule_type", 'G', ""},
    {"schedule_start_time", 'G', ""},
    {"schedule_end_time", 'G', ""},
    {"dayparting", 'G', ""},
    {"product_source", 'G', "catalog source is an ad group setting upgraded"},
    {"catalog_id", 'G', "the catalog is an ad group setting upgraded"},
    {"catalog_authorized_bc_id", 'G', ""},
    {"location_ids", 'T', "targeting moves into the ad group's targeting_spec"},
    {"languages", 'T', ""},
    {"gender", 'T', ""},
    {"excluded_audience_ids", 'T', ""},
    {"blocked_pangle_app_ids", 'T', ""},
};

static void map_same(mig *m) {
  for (size_t i = 0; i < sizeof same_fields / sizeof same_fields[0]; i++) {
    const same *f = &same_fields[i];
    json_t *v = get(m->in, f->legacy);
    if (!v) continue;
    char up[160];
    json_t *target = f->where == 'C' ? m->camp : m->ag;
    const char *prefix = f->where == 'C' ? CP : GP;
    snprintf(up, sizeof up, "%s%s%s", prefix, f->where == 'T' ? "targeting_spec." : "",
             f->legacy);
    if (f->where == 'T') {
      char d[96];
      snprintf(d, sizeof d, "targeting_spec.%s", f->legacy);
      put(target, d, json_deep_copy(v));
    } else {
      json_object_set_new(target, f->legacy, json_deep_copy(v));
    }
    row(m, f->legacy, "mapped", up, "%s", f->note);
  }
}

/* ---- campaign ----------------------------------------------------------- */

static void map_campaign(mig *m) {
  json_t *v;
  if ((v = get(m->in, "advertiser_id"))) {
    json_object_set_new(m->camp, "advertiser_id", json_deep_copy(v));
    json_object_set_new(m->ag, "advertiser_id", json_deep_copy(v));
    json_object_set_new(m->ad, "advertiser_id", json_deep_copy(v));
    row(m, "advertiser_id", "mapped", CP "advertiser_id",
        "also adgroups[0].advertiser_id and adgroups[0].ads[0].advertiser_id: "
        "each upgraded request names the advertiser");
  }

  /* budget: the legacy budget was the campaign's; keep it there with CBO */
  json_object_set_new(m->camp, "budget_optimize_on", json_true());
  row(m, NULL, "added", CP "budget_optimize_on",
      "true: the legacy budget belonged to the campaign; with Campaign Budget "
      "Optimization it still does (ad groups then take no budget)");
  const char *mode = str(m->in, "budget_mode");
  if (mode && strcmp(mode, "BUDGET_MODE_DYNAMIC_DAILY_BUDGET") == 0) {
    json_object_set_new(m->camp, "budget_mode", json_string(mode));
    row(m, "budget_mode", "mapped", CP "budget_mode", "%s", "");
  } else if (!mode || strcmp(mode, "BUDGET_MODE_DAY") == 0) {
    json_object_set_new(m->camp, "budget_mode",
                        json_string("BUDGET_MODE_DYNAMIC_DAILY_BUDGET"));
    if (mode)
      row(m, "budget_mode", "changed", CP "budget_mode",
          "BUDGET_MODE_DAY -> BUDGET_MODE_DYNAMIC_DAILY_BUDGET: an upgraded "
          "CBO campaign takes BUDGET_MODE_TOTAL or "
          "BUDGET_MODE_DYNAMIC_DAILY_BUDGET; the daily one keeps a daily budget");
    else
      row(m, NULL, "added", CP "budget_mode",
          "BUDGET_MODE_DYNAMIC_DAILY_BUDGET: the legacy default was "
          "BUDGET_MODE_DAY (daily), which an upgraded CBO campaign does not take");
  } else {
    json_object_set_new(m->camp, "budget_mode", json_string(mode));
    row(m, "budget_mode", "mapped", CP "budget_mode",
        "kept as given; `smartplus lint` says whether the upgraded API takes it");
  }

  if ((v = get(m->in, "spc_type")))
    row(m, "spc_type", "dropped", NULL,
        is(m->in, "spc_type", "WEB_ALL_IN_ONE")
            ? "every Upgraded Smart+ Web campaign is the all-in-one type; "
              "there is nothing to choose"
            : "the Smart Performance Web Campaign type (UNSET) does not exist "
              "upgraded; the campaign becomes an Upgraded Smart+ Web campaign, "
              "whose goals include the legacy ones (CONVERT, VALUE, CLICK)");

  if ((v = get(m->in, "web_all_in_one_catalog_status"))) {
    if (is(m->in, "web_all_in_one_catalog_status", "OPEN")) {
      json_object_set_new(m->camp, "catalog_enabled", json_true());
      json_object_set_new(m->camp, "catalog_type", json_string("ECOMMERCE"));
      row(m, "web_all_in_one_catalog_status", "changed", CP "catalog_enabled",
          "OPEN -> catalog_enabled: true, with catalog_type ECOMMERCE (the "
          "legacy call took E-commerce catalogs only)");
    } else {
      row(m, "web_all_in_one_catalog_status", "dropped", NULL,
          "UNSET (no catalog) is the upgraded default: catalog_enabled is "
          "left out");
    }
  }

  if ((v = get(m->in, "virtual_objective_type")))
    row(m, "virtual_objective_type", "dropped", NULL,
        "the upgraded API has no virtual objective: the Sales objective is "
        "objective_type WEB_CONVERSIONS with sales_destination");

  if ((v = get(m->in, "sales_destination"))) {
    int web = m->objective && strcmp(m->objective, "WEB_CONVERSIONS") == 0;
    if (!web) {
      row(m, "sales_destination", "dropped", NULL,
          "only WEB_CONVERSIONS campaigns take a sales destination");
    } else if (is(m->in, "sales_destination", "WEBSITE")) {
      json_object_set_new(m->camp, "sales_destination", json_string("WEBSITE"));
      row(m, "sales_destination", "mapped", CP "sales_destination", "%s", "");
    } else {
      json_object_set_new(m->camp, "sales_destination", json_string("WEBSITE"));
      row(m, "sales_destination", "changed", CP "sales_destination",
          "%s -> WEBSITE: upgraded campaign/create accepts WEBSITE only; the "
          "app half of the destination (app_config, app tracking) is not "
          "carried over",
          json_is_string(v) ? json_string_value(v) : "(not a string)");
    }
  }

  if ((v = get(m->in, "app_id"))) {
    if (m->objective && strcmp(m->objective, "APP_PROMOTION") == 0) {
      json_object_set_new(m->camp, "app_id", json_deep_copy(v));
      json_object_set_new(m->ag, "app_id", json_deep_copy(v));
      row(m, "app_id", "mapped", CP "app_id",
          "also adgroups[0].app_id: the upgraded ad group names the app it "
          "promotes");
    } else {
      row(m, "app_id", "dropped", NULL,
          "app_id belongs to APP_PROMOTION campaigns only");
    }
  }
  if ((v = get(m->in, "app_config")))
    row(m, "app_config", "dropped", NULL,
        "no upgraded counterpart: it served sales_destination WEB_AND_APP, "
        "which upgraded campaign/create does not accept");
}

/* ---- ad group ----------------------------------------------------------- */

static void map_adgroup(mig *m) {
  json_t *v;
  const char *name = str(m->in, "campaign_name");
  if (name) {
    json_object_set_new(m->ag, "adgroup_name", json_string(name));
    row(m, NULL, "added", GP "adgroup_name",
        "the legacy ad group had no name of its own: the campaign's");
  }
  json_object_set_new(m->ag, "targeting_optimization_mode", json_string("AUTOMATIC"));
  row(m, NULL, "added", GP "targeting_optimization_mode",
      "AUTOMATIC: the legacy Smart+ API targeted automatically only (seeds "
      "002); location, language, gender and age floor are kept as audience "
      "controls");

  if ((v = get(m->in, "spc_audience_age"))) {
    const char *age = json_string_value(v);
    const char *to = !age ? NULL
                     : strcmp(age, "18+") == 0 ? "OVER_EIGHTEEN"
                     : strcmp(age, "25+") == 0 ? "OVER_TWENTY_FIVE"
                                               : age;
    if (to) {
      put(m->ag, "targeting_spec.spc_audience_age", json_string(to));
      if (strcmp(to, age) != 0)
        row(m, "spc_audience_age", "changed", GP "targeting_spec.spc_audience_age",
            "%s -> %s: the same automatic-targeting age floor, spelled as the "
            "upgraded enum spells it",
            age, to);
      else
        row(m, "spc_audience_age", "mapped", GP "targeting_spec.spc_audience_age",
            "an automatic-targeting age floor, as in the legacy call");
    } else {
      row(m, "spc_audience_age", "dropped", NULL, "is not a string");
    }
  }
  if ((v = get(m->in, "exclude_age_under_eighteen")))
    row(m, "exclude_age_under_eighteen", "dropped", NULL,
        "true was its only value since 2023-09-21; upgraded ad groups never "
        "target under 18 (spc_audience_age / age_groups start at 18)");

  /* placements: the legacy call ignored them for Web and App campaigns
   * (automatic placement); Lead Generation set them by hand */
  int lead = m->objective && strcmp(m->objective, "LEAD_GENERATION") == 0;
  static const char *const pl[] = {"placement_type", "placements"};
  for (size_t i = 0; i < 2; i++) {
    if (!(v = get(m->in, pl[i]))) continue;
    if (lead) {
      json_object_set_new(m->ag, pl[i], json_deep_copy(v));
      char up[64];
      snprintf(up, sizeof up, GP "%s", pl[i]);
      row(m, pl[i], "mapped", up, "%s", "");
    } else {
      row(m, pl[i], "dropped", NULL,
          "the legacy API ignored it for Smart+ %s campaigns (placement was "
          "automatic); leaving both placement fields out of the upgraded ad "
          "group selects automatic placement too",
          m->objective && strcmp(m->objective, "APP_PROMOTION") == 0 ? "App" : "Web");
    }
  }
}

/* ---- ad ----------------------------------------------------------------- */

/* Copy `from` (a legacy object) key `k` to `to` under the same name. */
static void copy_key(mig *m, json_t *from, json_t *to, const char *k,
                     const char *lpath, const char *upath) {
  json_t *v = get(from, k);
  if (!v) return;
  json_object_set_new(to, k, json_deep_copy(v));
  char l[256], u[256];
  snprintf(l, sizeof l, "%s.%s", lpath, k);
  snprintf(u, sizeof u, "%s.%s", upath, k);
  row(m, l, "mapped", u, "%s", "");
}

static void map_creatives(mig *m) {
  json_t *list = get(m->in, "media_info_list");
  const char *top_type = str(m->in, "identity_type");
  json_t *top_id = get(m->in, "identity_id");
  size_t n_plain_filled = 0;
  const char *dark = NULL;
  json_t *cl = json_array();

  for (size_t i = 0; i < json_array_size(list); i++) {
    json_t *item = json_array_get(list, i);
    json_t *mi = get(item, "media_info");
    char lp[128], up[160];
    snprintf(lp, sizeof lp, "media_info_list[%zu].media_info", i);
    size_t ci_index = json_array_size(cl);
    snprintf(up, sizeof up, AP "creative_list[%zu].creative_info", ci_index);
    if (!json_is_object(mi)) {
      snprintf(lp, sizeof lp, "media_info_list[%zu]", i);
      row(m, lp, "dropped", NULL, "has no media_info object: no creative to make");
      continue;
    }
    json_t *ci = json_object();
    json_t *vi = get(mi, "video_info");
    if (json_is_object(vi)) {
      json_t *vo = json_object();
      char l2[256], u2[320];
      snprintf(l2, sizeof l2, "%s.video_info", lp);
      snprintf(u2, sizeof u2, "%s.video_info", up);
      copy_key(m, vi, vo, "video_id", l2, u2);
      copy_key(m, vi, vo, "file_name", l2, u2);
      json_object_set_new(ci, "video_info", vo);
    }
    json_t *ii = get(mi, "image_info");
    if (json_is_array(ii)) {
      json_t *ia = json_array();
      for (size_t k = 0; k < json_array_size(ii); k++) {
        json_t *im = json_object();
        char l2[256], u2[320];
        snprintf(l2, sizeof l2, "%s.image_info[%zu]", lp, k);
        snprintf(u2, sizeof u2, "%s.image_info[%zu]", up, k);
        copy_key(m, json_array_get(ii, k), im, "web_uri", l2, u2);
        json_array_append_new(ia, im);
      }
      json_object_set_new(ci, "image_info", ia);
    }
    json_t *mu = get(mi, "music_info");
    if (json_is_object(mu)) {
      json_t *mo = json_object();
      char l2[256], u2[320];
      snprintf(l2, sizeof l2, "%s.music_info", lp);
      snprintf(u2, sizeof u2, "%s.music_info", up);
      copy_key(m, mu, mo, "music_id", l2, u2);
      json_object_set_new(ci, "music_info", mo);
    }
    static const char *const keys[] = {"tiktok_item_id", "identity_type",
                                       "identity_id", "identity_authorized_bc_id",
                                       "aigc_disclosure_type"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
      copy_key(m, mi, ci, keys[k], lp, up);

    int spark = get(mi, "tiktok_item_id") != NULL;
    int video = json_is_object(vi);
    int images = json_array_size(ii) > 0;
    int music = json_is_object(mu);
    const char *format, *why;
    if (video) {
      format = "SINGLE_VIDEO";
      why = "the legacy creative has video_info";
    } else if (spark && !music && !images) {
      format = "SINGLE_VIDEO";
      why = "a TikTok post (tiktok_item_id) without music: a video post";
    } else if (images || music) {
      format = "CAROUSEL_ADS";
      why = spark ? "a TikTok photo post with music: a carousel"
                  : "images without a video (and music): a Standard Carousel";
    } else {
      format = "SINGLE_VIDEO";
      why = "no media found: SINGLE_VIDEO assumed, `smartplus lint` will say "
            "what is missing";
    }
    json_object_set_new(ci, "ad_format", json_string(format));
    char ufmt[320];
    snprintf(ufmt, sizeof ufmt, "%s.ad_format", up);
    row(m, NULL, "added", ufmt, "%s: %s (the legacy call inferred the format)",
        format, why);

    /* identity: non-Spark creatives take the call's top-level identity */
    if (!spark && !get(mi, "identity_type")) {
      if (top_type) {
        json_object_set_new(ci, "identity_type", json_string(top_type));
        if (top_id) json_object_set_new(ci, "identity_id", json_deep_copy(top_id));
        n_plain_filled++;
      } else {
        json_object_set_new(ci, "identity_type", json_string("CUSTOMIZED_USER"));
        char u2[320];
        snprintf(u2, sizeof u2, "%s.identity_type", up);
        row(m, NULL, "added", u2,
            "CUSTOMIZED_USER: the legacy default identity for non-Spark ads");
      }
    }

    /* ad-level settings the legacy call gave per creative */
    json_t *dp = get(mi, "dark_post_status");
    if (dp) {
      char l2[256];
      snprintf(l2, sizeof l2, "%s.dark_post_status", lp);
      if (!dark && json_is_string(dp)) {
        dark = json_string_value(dp);
        put(m->ad, "ad_configuration.dark_post_status", json_deep_copy(dp));
        row(m, l2, "changed", AP "ad_configuration.dark_post_status",
            "moved from the creative to the ad: upgraded ads set Ads-only "
            "mode once for all their creatives");
      } else if (json_is_string(dp) && strcmp(dark, json_string_value(dp)) == 0) {
        row(m, l2, "changed", AP "ad_configuration.dark_post_status",
            "same value as the first creative's: one ad-level setting");
      } else {
        row(m, l2, "dropped", NULL,
            "differs from the first creative's dark_post_status %s; an "
            "upgraded ad has one setting for all its creatives",
            dark ? dark : "(none)");
      }
    }
    json_t *ct = get(mi, "catalog_creative_toggle");
    if (ct) {
      char l2[256];
      snprintf(l2, sizeof l2, "%s.catalog_creative_toggle", lp);
      put(m->ad, "ad_configuration.catalog_creative_toggle", json_deep_copy(ct));
      row(m, l2, "changed", AP "ad_configuration.catalog_creative_toggle",
          "moved to the ad's ad_configuration");
    }
    json_t *c = json_object();
    json_object_set_new(c, "creative_info", ci);
    json_array_append_new(cl, c);
  }
  if (json_array_size(cl)) json_object_set_new(m->ad, "creative_list", cl);
  else json_decref(cl);
  if (list && !json_is_array(list))
    row(m, "media_info_list", "dropped", NULL, "is not an array: no creatives");

  if (top_type) {
    if (n_plain_filled)
      row(m, "identity_type", "changed",
          AP "creative_list[].creative_info.identity_type",
          "moved into each of the %zu non-Spark creatives: upgraded ads carry "
          "the identity per creative",
          n_plain_filled);
    else
      row(m, "identity_type", "dropped", NULL,
          "no non-Spark creative without its own identity to carry it");
  }
  if (top_id) {
    if (n_plain_filled)
      row(m, "identity_id", "changed", AP "creative_list[].creative_info.identity_id",
          "moved into each of the %zu non-Spark creatives with identity_type",
          n_plain_filled);
    else
      row(m, "identity_id", "dropped", NULL,
          "no non-Spark creative without its own identity to carry it");
  }

  json_t *ct = get(m->in, "catalog_creative_toggle");
  if (ct) {
    put(m->ad, "ad_configuration.catalog_creative_toggle", json_deep_copy(ct));
    row(m, "catalog_creative_toggle", "changed",
        AP "ad_configuration.catalog_creative_toggle",
        "moved to the ad's ad_configuration");
  }
}

/* A legacy list of {lkey} objects -> upgraded list `ulist` of {ukey}, at
 * most `max` items (the rest dropped). */
static void map_list(mig *m, const char *llist, const char *lkey,
                     const char *ulist, const char *ukey, size_t max,
                     const char *action, const char *why) {
  json_t *l = get(m->in, llist);
  if (!l) return;
  if (!json_is_array(l)) {
    row(m, llist, "dropped", NULL, "is not an array");
    return;
  }
  json_t *out = json_object_get(m->ad, ulist);
  if (!json_is_array(out)) {
    out = json_array();
    put(m->ad, ulist, out);
  }
  for (size_t i = 0; i < json_array_size(l); i++) {
    json_t *it = json_array_get(l, i);
    json_t *v = get(it, lkey);
    char lp[128], up[160];
    snprintf(lp, sizeof lp, "%s[%zu].%s", llist, i, lkey);
    if (!v) continue; /* the final pass lists whatever else is there */
    size_t j = json_array_size(out);
    if (j >= max) {
      row(m, lp, "dropped", NULL,
          "the upgraded %s takes at most %zu items; this is item %zu", ulist,
          max, i + 1);
      continue;
    }
    json_t *o = json_object();
    json_object_set_new(o, ukey, json_deep_copy(v));
    json_array_append_new(out, o);
    snprintf(up, sizeof up, AP "%s[%zu].%s", ulist, j, ukey);
    row(m, lp, action, up, "%s", why);
  }
  if (!json_array_size(out)) json_object_del(m->ad, ulist);
}

static void map_ad(mig *m) {
  json_t *v;
  const char *name = str(m->in, "campaign_name");
  if (name) {
    json_object_set_new(m->ad, "ad_name", json_string(name));
    row(m, NULL, "added", AP "ad_name",
        "the legacy ad had no name of its own: the campaign's");
  }
  map_creatives(m);
  map_list(m, "title_list", "title", "ad_text_list", "ad_text", MAX_TEXTS,
           "changed", "renamed: legacy titles are the upgraded ad texts");

  /* CTA: upgraded takes standard CTAs or one dynamic portfolio, not both */
  json_t *cta_id = get(m->in, "call_to_action_id");
  map_list(m, "call_to_action_list", "call_to_action", "call_to_action_list",
           "call_to_action", MAX_CTAS, "mapped", "");
  int have_std = json_array_size(json_object_get(m->ad, "call_to_action_list")) > 0;
  if (cta_id) {
    if (have_std) {
      row(m, "call_to_action_id", "dropped", NULL,
          "the request also has call_to_action_list; an upgraded ad takes "
          "standard CTAs or a dynamic CTA portfolio, not both, and the "
          "explicit labels are kept");
    } else {
      put(m->ad, "ad_configuration.call_to_action_id", json_deep_copy(cta_id));
      row(m, "call_to_action_id", "changed", AP "ad_configuration.call_to_action_id",
          "moved into the ad's ad_configuration (dynamic CTA portfolio)");
    }
  }

  /* destination */
  map_list(m, "page_list", "page_id", "page_list", "page_id", 1, "mapped", "");
  int have_pages = json_array_size(json_object_get(m->ad, "page_list")) > 0;
  json_t *lpu = get(m->in, "landing_page_urls");
  if (lpu && have_pages) {
    for (size_t i = 0; i < json_array_size(lpu); i++) {
      char lp[96];
      snprintf(lp, sizeof lp, "landing_page_urls[%zu]", i);
      row(m, lp, "dropped", NULL,
          "the ad has a page (page_list); an upgraded ad with a Custom Page "
          "destination takes no landing page URL");
    }
    if (!json_array_size(lpu)) row(m, "landing_page_urls", "dropped", NULL, "empty");
  } else if (lpu) {
    map_list(m, "landing_page_urls", "landing_page_url", "landing_page_url_list",
             "landing_page_url", 100, "changed",
             "renamed: landing_page_urls -> landing_page_url_list");
    for (size_t i = 0; i < json_array_size(lpu); i++) {
      json_t *it = json_array_get(lpu, i);
      static const char *const pair[] = {"video_id", "tiktok_item_id"};
      for (size_t k = 0; k < 2; k++) {
        if (!get(it, pair[k])) continue;
        char lp[128];
        snprintf(lp, sizeof lp, "landing_page_urls[%zu].%s", i, pair[k]);
        row(m, lp, "dropped", NULL,
            "multiple landing page mode pairs a URL with one creative; an "
            "upgraded ad rotates its landing_page_url_list over all its "
            "creatives (split the ad by hand to keep the pairing)");
      }
    }
    if (!json_array_size(lpu)) row(m, "landing_page_urls", "dropped", NULL, "empty");
  }

  json_t *dl = get(m->in, "deeplink");
  if (dl) {
    json_t *d = json_object();
    json_object_set_new(d, "deeplink", json_deep_copy(dl));
    json_t *dt = get(m->in, "deeplink_type");
    if (dt) json_object_set_new(d, "deeplink_type", json_deep_copy(dt));
    json_object_set_new(m->ad, "deeplink_list", json_pack("[o]", d));
    row(m, "deeplink", "changed", AP "deeplink_list[0].deeplink",
        "moved into deeplink_list, the upgraded list of deeplinks");
    if (dt)
      row(m, "deeplink_type", "changed", AP "deeplink_list[0].deeplink_type",
          "moved into deeplink_list next to its deeplink");
  } else if ((v = get(m->in, "deeplink_type"))) {
    row(m, "deeplink_type", "dropped", NULL, "no deeplink to go with it");
  }

  /* utm parameters and tracking move into ad_configuration */
  json_t *utm = get(m->in, "utm_params");
  if (json_is_array(utm)) {
    json_t *out = json_array();
    for (size_t i = 0; i < json_array_size(utm); i++) {
      json_t *it = json_array_get(utm, i);
      json_t *o = json_object();
      static const char *const kv[] = {"key", "value"};
      for (size_t k = 0; k < 2; k++) {
        json_t *x = get(it, kv[k]);
        if (!x) continue;
        json_object_set_new(o, kv[k], json_deep_copy(x));
        char lp[96], up[160];
        snprintf(lp, sizeof lp, "utm_params[%zu].%s", i, kv[k]);
        snprintf(up, sizeof up, AP "ad_configuration.utm_params[%zu].%s", i, kv[k]);
        row(m, lp, "changed", up, "moved into the ad's ad_configuration");
      }
      json_array_append_new(out, o);
    }
    put(m->ad, "ad_configuration.utm_params", out);
  }
  static const char *const tracking[] = {"tracking_app_id", "impression_tracking_url",
                                         "click_tracking_url"};
  for (size_t k = 0; k < 3; k++) {
    if (!(v = get(m->in, tracking[k]))) continue;
    char d[96], up[160];
    snprintf(d, sizeof d, "ad_configuration.tracking_info.%s", tracking[k]);
    snprintf(up, sizeof up, AP "%s", d);
    put(m->ad, d, json_deep_copy(v));
    row(m, tracking[k], "changed", up,
        "moved into the ad's ad_configuration.tracking_info");
  }

  /* catalog product choice moves to the ad */
  static const char *const product[] = {"product_specific_type", "product_set_id",
                                        "product_ids"};
  for (size_t k = 0; k < 3; k++) {
    if (!(v = get(m->in, product[k]))) continue;
    char d[96], up[160];
    snprintf(d, sizeof d, "ad_configuration.%s", product[k]);
    snprintf(up, sizeof up, AP "%s", d);
    put(m->ad, d, json_deep_copy(v));
    row(m, product[k], "changed", up,
        "moved from the campaign to the ad's ad_configuration: upgraded ads "
        "choose their catalog products");
  }

  map_list(m, "card_list", "card_id", "interactive_add_on_list", "card_id",
           MAX_CARDS, "changed",
           "renamed: creative portfolio cards are upgraded interactive add-ons");

  static const struct {
    const char *k, *why;
  } gone[] = {
      {"product_info", "no upgraded counterpart: ad variations from product "
                       "information are not part of Upgraded Smart+ ad/create"},
      {"promo_info_list", "no upgraded counterpart: promo codes and offers are "
                          "not part of Upgraded Smart+ ad/create"},
      {"automatic_add_on_enabled", "no upgraded counterpart: add interactive "
                                   "add-ons explicitly (interactive_add_on_list)"},
      {"disclaimer_info", "no upgraded counterpart: it served sales_destination "
                          "WEB_AND_APP, which upgraded campaign/create does not "
                          "accept"},
      {"app_tracking_info_list", "no upgraded counterpart: it served "
                                 "sales_destination WEB_AND_APP"},
  };
  for (size_t k = 0; k < sizeof gone / sizeof gone[0]; k++)
    if (get(m->in, gone[k].k)) row(m, gone[k].k, "dropped", NULL, "%s", gone[k].why);
}

/* ---- whatever is left --------------------------------------------------- */

static int covered(mig *m, const char *path) {
  const char *k;
  json_t *v;
  json_object_foreach(m->seen, k, v) {
    size_t n = strlen(k);
    if (strncmp(path, k, n) == 0 &&
        (path[n] == '\0' || path[n] == '.' || path[n] == '['))
      return 1;
  }
  return 0;
}

/* Every leaf of the legacy request (arrays of scalars count as one leaf)
 * not reported yet is dropped: not a field of campaign/spc/create, or a
 * sub-field the mapping did not know. */
static void rest(mig *m, json_t *j, const char *path) {
  if (json_is_null(j)) return;
  if (json_is_object(j) && json_object_size(j)) {
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
      char p[256];
      snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", k);
      rest(m, v, p);
    }
    return;
  }
  int objs = 0;
  if (json_is_array(j))
    for (size_t i = 0; i < json_array_size(j); i++)
      if (json_is_object(json_array_get(j, i))) objs = 1;
  if (objs) {
    for (size_t i = 0; i < json_array_size(j); i++) {
      char p[256];
      snprintf(p, sizeof p, "%s[%zu]", path, i);
      rest(m, json_array_get(j, i), p);
    }
    return;
  }
  if (!*path || covered(m, path)) return;
  row(m, path, "dropped", NULL,
      "not a request field of campaign/spc/create that has an upgraded "
      "counterpart; not carried over");
}

int sp_migrate(json_t *legacy, json_t **plan, json_t **report, char *err,
               size_t errlen) {
  *plan = *report = NULL;
  if (!json_is_object(legacy)) {
    snprintf(err, errlen, "the legacy request is not a JSON object");
    return -1;
  }
  mig m = {.in = legacy,
           .camp = json_object(),
           .ag = json_object(),
           .ad = json_object(),
           .report = json_array(),
           .seen = json_object(),
           .objective = str(legacy, "objective_type")};
  map_campaign(&m);
  map_same(&m);
  map_adgroup(&m);
  map_ad(&m);
  rest(&m, legacy, "");

  json_object_set_new(m.ag, "ads", json_pack("[o]", m.ad));
  *plan = json_pack("{s:o, s:[o]}", "campaign", m.camp, "adgroups", m.ag);
  *report = m.report;
  json_decref(m.seen);
  return 0;
}

void sp_migrate_report_text(json_t *report, FILE *out) {
  size_t i;
  json_t *r;
  size_t w1 = strlen("legacy field"), w3 = strlen("upgraded field");
  json_array_foreach(report, i, r) {
    const char *l = json_string_value(json_object_get(r, "legacy_field"));
    const char *u = json_string_value(json_object_get(r, "upgraded_field"));
    if (l && strlen(l) > w1) w1 = strlen(l);
    if (u && strlen(u) > w3) w3 = strlen(u);
  }
  int a = (int)w1, b = (int)w3;
  fprintf(out, "%-*s  %-7s  %-*s  %s\n", a, "legacy field", "action", b,
          "upgraded field", "note");
  int counts[4] = {0};
  static const char *const acts[] = {"mapped", "changed", "dropped", "added"};
  json_array_foreach(report, i, r) {
    const char *l = json_string_value(json_object_get(r, "legacy_field"));
    const char *act = json_string_value(json_object_get(r, "action"));
    const char *u = json_string_value(json_object_get(r, "upgraded_field"));
    const char *n = json_string_value(json_object_get(r, "note"));
    for (int k = 0; k < 4; k++)
      if (act && strcmp(act, acts[k]) == 0) counts[k]++;
    fprintf(out, "%-*s  %-7s  %-*s  %s\n", a, l ? l : "-", act ? act : "?", b,
            u ? u : "-", n ? n : "");
  }
  fprintf(out, "%d mapped, %d changed, %d dropped, %d added\n", counts[0],
          counts[1], counts[2], counts[3]);
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: smartplus migrate LEGACY.json|- [-o PLAN.json] "
          "[--report FILE] [--format json|text]\n"
          "  Reads a legacy campaign/spc/create request body and writes the\n"
          "  plan of Upgraded Smart+ requests (to PLAN.json, else stdout) and\n"
          "  a report of every legacy field: mapped, changed, dropped (and\n"
          "  upgraded fields added). The report goes to FILE, else to stdout\n"
          "  when the plan went to a file, else to stderr.\n");
}

int sp_migrate_main(int argc, char **argv) {
  const char *in = NULL, *out = NULL, *rep = NULL, *format = "json";
  for (int i = 1; i < argc; i++) {
    if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--plan") == 0) && i + 1 < argc)
      out = argv[++i];
    else if (strcmp(argv[i], "--report") == 0 && i + 1 < argc)
      rep = argv[++i];
    else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
      format = argv[++i];
    else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      usage(stdout);
      return 0;
    } else if (!in && (argv[i][0] != '-' || strcmp(argv[i], "-") == 0))
      in = argv[i];
    else {
      fprintf(stderr, "smartplus migrate: unexpected argument \"%s\"\n", argv[i]);
      usage(stderr);
      return 2;
    }
  }
  if (!in || (strcmp(format, "json") != 0 && strcmp(format, "text") != 0)) {
    usage(stderr);
    return 2;
  }
  json_error_t jerr;
  json_t *legacy = strcmp(in, "-") == 0
                       ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr)
                       : json_load_file(in, JSON_REJECT_DUPLICATES, &jerr);
  if (!legacy) {
    fprintf(stderr, "smartplus migrate: %s: invalid JSON at line %d: %s\n", in,
            jerr.line, jerr.text);
    return 2;
  }
  json_t *plan, *report;
  char err[256];
  if (sp_migrate(legacy, &plan, &report, err, sizeof err) != 0) {
    fprintf(stderr, "smartplus migrate: %s: %s\n", in, err);
    json_decref(legacy);
    return 2;
  }
  json_decref(legacy);
  int rc = 0;
  size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
  if (out) {
    if (json_dump_file(plan, out, flags) != 0) {
      fprintf(stderr, "smartplus migrate: cannot write %s\n", out);
      rc = 2;
    }
  } else {
    json_dumpf(plan, stdout, flags);
    fputc('\n', stdout);
  }
  FILE *rf = rep ? fopen(rep, "w") : out ? stdout : stderr;
  if (!rf) {
    fprintf(stderr, "smartplus migrate: cannot write %s\n", rep);
    rc = 2;
  } else {
    if (strcmp(format, "text") == 0) {
      sp_migrate_report_text(report, rf);
    } else {
      json_dumpf(report, rf, flags);
      fputc('\n', rf);
    }
    if (rep) fclose(rf);
  }
  json_decref(plan);
  json_decref(report);
  return rc;
}
