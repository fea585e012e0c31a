/*
 * tests/cli/test_migrate.c - `smartplus migrate`: a legacy campaign/spc/create
 * request per objective (WEB_CONVERSIONS, APP_PROMOTION, LEAD_GENERATION)
 * and creative format (video, carousel, Spark post, Spark push) becomes a
 * plan that `smartplus lint` accepts with no errors, and every field of the
 * input appears in the report as mapped, changed or dropped. Also: every
 * field of the legacy document is handled on purpose (none falls through to
 * "unknown"), apply's request_ids are stable, and apply retries rate
 * limits and gateway errors a bounded number of times (fake API).
 */
#include "../testutil.h"

#include <fcntl.h>
#include <microhttpd.h>
#include <pthread.h>
#include <unistd.h>

#include "cli/apply.h"
#include "cli/lint.h"
#include "cli/migrate.h"

/* JSON written with single quotes, for readability. */
static json_t *J(const char *s) {
  char *d = strdup(s);
  for (char *p = d; *p; p++)
    if (*p == '\'') *p = '"';
  json_error_t e;
  json_t *j = json_loads(d, 0, &e);
  if (!j) fail_msg("bad test JSON: %s at %d: %s", e.text, e.position, d);
  free(d);
  return j;
}

static const char *GENERIC = "not a request field of campaign/spc/create";

/* The row whose legacy_field is exactly `field`, or NULL. */
static json_t *row_of(json_t *report, const char *field) {
  size_t i;
  json_t *r;
  json_array_foreach(report, i, r) {
    const char *l = json_string_value(json_object_get(r, "legacy_field"));
    if (l && strcmp(l, field) == 0) return r;
  }
  return NULL;
}

static void assert_row(json_t *report, const char *field, const char *action,
                       const char *upgraded) {
  json_t *r = row_of(report, field);
  if (!r) fail_msg("no report row for %s", field);
  assert_string_equal(json_string_value(json_object_get(r, "action")), action);
  const char *u = json_string_value(json_object_get(r, "upgraded_field"));
  if (upgraded) {
    if (!u) fail_msg("%s: no upgraded_field", field);
    assert_string_equal(u, upgraded);
  } else {
    assert_null(u);
  }
}

/* Some row covers `path`: the same path or a parent of it. */
static int covered(json_t *report, const char *path) {
  size_t i;
  json_t *r;
  json_array_foreach(report, i, r) {
    const char *l = json_string_value(json_object_get(r, "legacy_field"));
    if (!l) continue;
    size_t n = strlen(l);
    if (strncmp(path, l, n) == 0 && (!path[n] || path[n] == '.' || path[n] == '['))
      return 1;
  }
  return 0;
}

/* Every leaf of the input (an array of scalars is one leaf). */
static void assert_all_reported(json_t *report, json_t *j, const char *path) {
  if (json_is_object(j) && json_object_size(j)) {
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
      char p[256];
      snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", k);
      assert_all_reported(report, v, p);
    }
    return;
  }
  if (json_is_array(j) && json_is_object(json_array_get(j, 0))) {
    for (size_t i = 0; i < json_array_size(j); i++) {
      char p[256];
      snprintf(p, sizeof p, "%s[%zu]", path, i);
      assert_all_reported(report, json_array_get(j, i), p);
    }
    return;
  }
  if (!covered(report, path)) fail_msg("legacy field %s is not in the report", path);
}

/* Rows are well formed: known action, mapped/changed name their target,
 * changed/dropped/added explain themselves. */
static void assert_rows_sane(json_t *report) {
  size_t i;
  json_t *r;
  json_array_foreach(report, i, r) {
    const char *a = json_string_value(json_object_get(r, "action"));
    const char *l = json_string_value(json_object_get(r, "legacy_field"));
    const char *u = json_string_value(json_object_get(r, "upgraded_field"));
    const char *n = json_string_value(json_object_get(r, "note"));
    assert_non_null(a);
    assert_non_null(n);
    if (strcmp(a, "added") == 0) {
      assert_null(l);
      assert_non_null(u);
    } else {
      assert_non_null(l);
      if (strcmp(a, "mapped") == 0 || strcmp(a, "changed") == 0) {
        if (!u) fail_msg("%s is %s but names no upgraded field", l, a);
      } else if (strcmp(a, "dropped") != 0) {
        fail_msg("%s: unknown action %s", l, a);
      }
    }
    if (strcmp(a, "mapped") != 0 && !*n) fail_msg("%s (%s) has no note", l ? l : u, a);
  }
}

typedef struct out {
  json_t *plan, *report;
} out;

/* Migrate, check the report covers everything, lint the plan. */
static out migrate_ok(json_t *legacy) {
  out o;
  char err[128];
  assert_int_equal(sp_migrate(legacy, &o.plan, &o.report, err, sizeof err), 0);
  assert_rows_sane(o.report);
  assert_all_reported(o.report, legacy, "");
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  int errors = sp_lint_plan(o.plan, f);
  fclose(f);
  if (errors) {
    char *p = json_dumps(o.plan, JSON_INDENT(1));
    fail_msg("lint refused the migrated plan:\n%s\n%s", buf, p);
  }
  assert_non_null(strstr(buf, "ok: 0 errors"));
  free(buf);
  return o;
}

static void out_free(out *o) {
  json_decref(o->plan);
  json_decref(o->report);
}

#define AD0(o) json_array_get(json_object_get(json_array_get(json_object_get((o).plan, "adgroups"), 0), "ads"), 0)
#define AG0(o) json_array_get(json_object_get((o).plan, "adgroups"), 0)
#define CI(o, i) json_object_get(json_array_get(json_object_get(AD0(o), "creative_list"), i), "creative_info")
#define S(obj, k) json_string_value(json_object_get((obj), (k)))

/* Web Conversions, uploaded videos, standard CTA, URL + deeplink + UTM. */
static void web_video(void **st) {
  (void)st;
  json_t *in = J(
      "{'advertiser_id': '7000000000000000001', 'operation_status': 'DISABLE',"
      " 'objective_type': 'WEB_CONVERSIONS', 'spc_type': 'WEB_ALL_IN_ONE',"
      " 'campaign_name': 'Spring web', 'promotion_type': 'WEBSITE',"
      " 'optimization_goal': 'CONVERT', 'pixel_id': '7000000000000000002',"
      " 'optimization_event': 'SHOPPING', 'bid_type': 'BID_TYPE_NO_BID',"
      " 'billing_event': 'OCPM', 'location_ids': ['6252001'], 'languages': ['en'],"
      " 'gender': 'GENDER_FEMALE', 'spc_audience_age': '18+',"
      " 'exclude_age_under_eighteen': true, 'excluded_audience_ids': ['123'],"
      " 'placement_type': 'PLACEMENT_TYPE_NORMAL', 'placements': ['PLACEMENT_TIKTOK'],"
      " 'comment_disabled': true, 'budget_mode': 'BUDGET_MODE_DAY', 'budget': 300,"
      " 'schedule_type': 'SCHEDULE_START_END', 'schedule_start_time': '2026-03-01 00:00:00',"
      " 'schedule_end_time': '2026-03-31 00:00:00', 'identity_type': 'CUSTOMIZED_USER',"
      " 'identity_id': 'ident', 'media_info_list': ["
      "   {'media_info': {'video_info': {'video_id': 'v1', 'file_name': 'a.mp4'},"
      "     'image_info': [{'web_uri': 'c1'}], 'aigc_disclosure_type': 'NOT_DECLARED'}},"
      "   {'media_info': {'video_info': {'video_id': 'v2'}, 'image_info': [{'web_uri': 'c2'}]}}],"
      " 'title_list': [{'title': 't1'}, {'title': 't2'}, {'title': 't3'}, {'title': 't4'},"
      "   {'title': 't5'}, {'title': 't6'}],"
      " 'call_to_action_list': [{'call_to_action': 'SHOP_NOW'}, {'call_to_action': 'LEARN_MORE'},"
      "   {'call_to_action': 'ORDER_NOW'}, {'call_to_action': 'BUY_NOW'}],"
      " 'landing_page_urls': [{'landing_page_url': 'https://example.com/s'}],"
      " 'deeplink': 'shop://spring', 'deeplink_type': 'DEFERRED_DEEPLINK',"
      " 'utm_params': [{'key': 'utm_source', 'value': 'tiktok'}],"
      " 'promo_info_list': [{'discount_type': 'PERCENTAGE', 'discount_value': 20}],"
      " 'colour': 'red'}");
  out o = migrate_ok(in);
  json_t *camp = json_object_get(o.plan, "campaign");
  assert_row(o.report, "budget_mode", "changed", "campaign.budget_mode");
  assert_string_equal(S(camp, "budget_mode"), "BUDGET_MODE_DYNAMIC_DAILY_BUDGET");
  assert_true(json_is_true(json_object_get(camp, "budget_optimize_on")));
  assert_row(o.report, "budget", "mapped", "campaign.budget");
  assert_row(o.report, "operation_status", "mapped", "campaign.operation_status");
  assert_row(o.report, "spc_type", "dropped", NULL);
  assert_row(o.report, "placements", "dropped", NULL);
  assert_row(o.report, "placement_type", "dropped", NULL);
  assert_null(json_object_get(AG0(o), "placements"));
  assert_row(o.report, "exclude_age_under_eighteen", "dropped", NULL);
  assert_row(o.report, "spc_audience_age", "changed",
             "adgroups[0].targeting_spec.spc_audience_age");
  assert_string_equal(S(json_object_get(AG0(o), "targeting_spec"), "spc_audience_age"),
                      "OVER_EIGHTEEN");
  assert_row(o.report, "location_ids", "mapped", "adgroups[0].targeting_spec.location_ids");
  assert_row(o.report, "schedule_end_time", "mapped", "adgroups[0].schedule_end_time");
  assert_row(o.report, "identity_type", "changed",
             "adgroups[0].ads[0].creative_list[].creative_info.identity_type");
  assert_string_equal(S(CI(o, 1), "identity_id"), "ident");
  assert_string_equal(S(CI(o, 0), "ad_format"), "SINGLE_VIDEO");
  assert_row(o.report, "media_info_list[0].media_info.video_info.video_id", "mapped",
             "adgroups[0].ads[0].creative_list[0].creative_info.video_info.video_id");
  assert_row(o.report, "title_list[4].title", "changed",
             "adgroups[0].ads[0].ad_text_list[4].ad_text");
  assert_row(o.report, "title_list[5].title", "dropped", NULL); /* max 5 */
  assert_int_equal(json_array_size(json_object_get(AD0(o), "ad_text_list")), 5);
  assert_row(o.report, "call_to_action_list[3].call_to_action", "dropped", NULL);
  assert_row(o.report, "landing_page_urls[0].landing_page_url", "changed",
             "adgroups[0].ads[0].landing_page_url_list[0].landing_page_url");
  assert_row(o.report, "deeplink", "changed", "adgroups[0].ads[0].deeplink_list[0].deeplink");
  assert_row(o.report, "utm_params[0].key", "changed",
             "adgroups[0].ads[0].ad_configuration.utm_params[0].key");
  assert_row(o.report, "promo_info_list", "dropped", NULL);
  assert_row(o.report, "colour", "dropped", NULL);
  out_free(&o);
  json_decref(in);
}

/* Web Conversions, a Standard Carousel (images + music), dynamic CTA,
 * Cost Cap, no identity given (legacy default CUSTOMIZED_USER). */
static void web_carousel(void **st) {
  (void)st;
  json_t *in = J(
      "{'advertiser_id': '7000000000000000001', 'objective_type': 'WEB_CONVERSIONS',"
      " 'campaign_name': 'Carousel', 'promotion_type': 'WEBSITE',"
      " 'optimization_goal': 'CONVERT', 'pixel_id': '7000000000000000002',"
      " 'optimization_event': 'ON_WEB_CART', 'bid_type': 'BID_TYPE_CUSTOM',"
      " 'conversion_bid_price': 8, 'billing_event': 'OCPM', 'location_ids': ['6252001'],"
      " 'budget_mode': 'BUDGET_MODE_DYNAMIC_DAILY_BUDGET', 'budget': 400,"
      " 'schedule_type': 'SCHEDULE_FROM_NOW', 'schedule_start_time': '2026-03-01 00:00:00',"
      " 'click_attribution_window': 'SEVEN_DAYS', 'view_attribution_window': 'ONE_DAY',"
      " 'attribution_event_count': 'ONCE',"
      " 'media_info_list': [{'media_info': {'image_info': [{'web_uri': 'i1'},"
      "   {'web_uri': 'i2'}, {'web_uri': 'i3'}], 'music_info': {'music_id': 'm1'}}}],"
      " 'title_list': [{'title': 'Swipe through spring'}],"
      " 'call_to_action_id': '7000000000000000009',"
      " 'landing_page_urls': [{'landing_page_url': 'https://example.com/c'}],"
      " 'card_list': [{'card_id': '55'}], 'product_info': {'brand': 'x'}}");
  out o = migrate_ok(in);
  assert_row(o.report, "budget_mode", "mapped", "campaign.budget_mode");
  assert_string_equal(S(CI(o, 0), "ad_format"), "CAROUSEL_ADS");
  assert_string_equal(S(CI(o, 0), "identity_type"), "CUSTOMIZED_USER");
  assert_row(o.report, "media_info_list[0].media_info.music_info.music_id", "mapped",
             "adgroups[0].ads[0].creative_list[0].creative_info.music_info.music_id");
  assert_row(o.report, "call_to_action_id", "changed",
             "adgroups[0].ads[0].ad_configuration.call_to_action_id");
  assert_row(o.report, "conversion_bid_price", "mapped", "adgroups[0].conversion_bid_price");
  assert_row(o.report, "card_list[0].card_id", "changed",
             "adgroups[0].ads[0].interactive_add_on_list[0].card_id");
  assert_row(o.report, "product_info", "dropped", NULL);
  out_free(&o);
  json_decref(in);
}

/* Web Conversions catalog campaign with a Spark Ad (TikTok post pulled). */
static void web_spark_catalog(void **st) {
  (void)st;
  json_t *in = J(
      "{'advertiser_id': '7000000000000000001', 'objective_type': 'WEB_CONVERSIONS',"
      " 'spc_type': 'WEB_ALL_IN_ONE', 'web_all_in_one_catalog_status': 'OPEN',"
      " 'virtual_objective_type': 'SALES', 'sales_destination': 'WEBSITE',"
      " 'product_source': 'CATALOG', 'catalog_id': '77', 'catalog_authorized_bc_id': '88',"
      " 'product_specific_type': 'PRODUCT_SET', 'product_set_id': '99',"
      " 'campaign_name': 'Catalog spark', 'promotion_type': 'WEBSITE',"
      " 'optimization_goal': 'CLICK', 'bid_type': 'BID_TYPE_CUSTOM', 'bid_price': 1.5,"
      " 'billing_event': 'OCPM', 'location_ids': ['6252001'], 'budget': 100,"
      " 'schedule_type': 'SCHEDULE_FROM_NOW', 'schedule_start_time': '2026-03-01 00:00:00',"
      " 'media_info_list': [{'media_info': {'tiktok_item_id': '7300000000000000001',"
      "   'identity_type': 'TT_USER', 'identity_id': 'creator'}}],"
      " 'call_to_action_list': [{'call_to_action': 'SHOP_NOW'}],"
      " 'landing_page_urls': [{'landing_page_url': 'https://example.com/p',"
      "   'tiktok_item_id': '7300000000000000001'}],"
      " 'tracking_app_id': '5', 'click_tracking_url': 'https://t.example/c'}");
  out o = migrate_ok(in);
  json_t *camp = json_object_get(o.plan, "campaign");
  assert_row(o.report, "web_all_in_one_catalog_status", "changed", "campaign.catalog_enabled");
  assert_true(json_is_true(json_object_get(camp, "catalog_enabled")));
  assert_row(o.report, "virtual_objective_type", "dropped", NULL);
  assert_row(o.report, "sales_destination", "mapped", "campaign.sales_destination");
  assert_row(o.report, "catalog_id", "mapped", "adgroups[0].catalog_id");
  assert_row(o.report, "product_set_id", "changed",
             "adgroups[0].ads[0].ad_configuration.product_set_id");
  /* no budget_mode given: the legacy default (daily) is added */
  assert_string_equal(S(camp, "budget_mode"), "BUDGET_MODE_DYNAMIC_DAILY_BUDGET");
  assert_string_equal(S(CI(o, 0), "ad_format"), "SINGLE_VIDEO");
  assert_string_equal(S(CI(o, 0), "identity_type"), "TT_USER");
  assert_row(o.report, "media_info_list[0].media_info.tiktok_item_id", "mapped",
             "adgroups[0].ads[0].creative_list[0].creative_info.tiktok_item_id");
  assert_row(o.report, "landing_page_urls[0].tiktok_item_id", "dropped", NULL);
  assert_row(o.report, "click_tracking_url", "changed",
             "adgroups[0].ads[0].ad_configuration.tracking_info.click_tracking_url");
  out_free(&o);
  json_decref(in);
}

/* Web Conversions, Spark Ads push (own video, creator identity, Ads-only). */
static void web_spark_push(void **st) {
  (void)st;
  json_t *in = J(
      "{'advertiser_id': '7000000000000000001', 'objective_type': 'WEB_CONVERSIONS',"
      " 'campaign_name': 'Push', 'promotion_type': 'WEBSITE',"
      " 'optimization_goal': 'CONVERT', 'pixel_id': '7000000000000000002',"
      " 'optimization_event': 'SHOPPING', 'billing_event': 'OCPM',"
      " 'location_ids': ['6252001'], 'budget': 100, 'schedule_type': 'SCHEDULE_FROM_NOW',"
      " 'schedule_start_time': '2026-03-01 00:00:00', 'sales_destination': 'WEB_AND_APP',"
      " 'app_config': [{'app_id': '1'}],"
      " 'media_info_list': [{'media_info': {'video_info': {'video_id': 'v9'},"
      "   'image_info': [{'web_uri': 'c9'}], 'identity_type': 'BC_AUTH_TT',"
      "   'identity_id': 'creator', 'identity_authorized_bc_id': '42',"
      "   'dark_post_status': 'ON'}}],"
      " 'title_list': [{'title': 'Pushed'}], 'call_to_action_id': '7000000000000000009',"
      " 'landing_page_urls': [{'landing_page_url': 'https://example.com/p'}],"
      " 'disclaimer_info': {'disclaimer_type': 'TEXT_ONLY', 'disclaimer_text': {'text': 'x'}}}");
  out o = migrate_ok(in);
  assert_row(o.report, "media_info_list[0].media_info.dark_post_status", "changed",
             "adgroups[0].ads[0].ad_configuration.dark_post_status");
  assert_row(o.report, "media_info_list[0].media_info.identity_authorized_bc_id", "mapped",
             "adgroups[0].ads[0].creative_list[0].creative_info.identity_authorized_bc_id");
  assert_row(o.report, "sales_destination", "changed", "campaign.sales_destination");
  assert_string_equal(S(json_object_get(o.plan, "campaign"), "sales_destination"), "WEBSITE");
  assert_row(o.report, "app_config", "dropped", NULL);
  assert_row(o.report, "disclaimer_info", "dropped", NULL);
  out_free(&o);
  json_decref(in);
}

/* The legacy document's own example: an Android app install campaign. */
static void app_promotion(void **st) {
  (void)st;
  json_t *in = J(
      "{'advertiser_id': '7000000000000000001', 'operation_status': 'ENABLE',"
      " 'objective_type': 'APP_PROMOTION', 'app_promotion_type': 'APP_INSTALL',"
      " 'campaign_type': 'REGULAR_CAMPAIGN', 'campaign_name': 'App installs',"
      " 'promotion_type': 'APP_ANDROID', 'app_id': '7100000000000000001',"
      " 'placement_type': 'PLACEMENT_TYPE_AUTOMATIC', 'location_ids': ['6252001'],"
      " 'budget_mode': 'BUDGET_MODE_DYNAMIC_DAILY_BUDGET', 'budget': 100,"
      " 'schedule_type': 'SCHEDULE_START_END', 'schedule_start_time': '2026-03-01 00:00:00',"
      " 'schedule_end_time': '2026-03-31 00:00:00', 'optimization_goal': 'INSTALL',"
      " 'bid_type': 'BID_TYPE_NO_BID', 'billing_event': 'OCPM',"
      " 'identity_type': 'CUSTOMIZED_USER', 'identity_id': 'ident',"
      " 'media_info_list': [{'media_info': {'video_info': {'video_id': 'v1',"
      "   'file_name': 'f.mp4'}, 'image_info': [{'web_uri': 'w1'}]}}],"
      " 'title_list': [{'title': 'Install now'}], 'call_to_action_id': '7000000000000000009',"
      " 'deep_bid_type': 'DEFAULT', 'is_advanced_dedicated_campaign': false}");
  out o = migrate_ok(in);
  assert_row(o.report, "app_id", "mapped", "campaign.app_id");
  assert_string_equal(S(AG0(o), "app_id"), "7100000000000000001");
  assert_row(o.report, "app_promotion_type", "mapped", "campaign.app_promotion_type");
  assert_row(o.report, "placement_type", "dropped", NULL);
  assert_row(o.report, "optimization_goal", "mapped", "adgroups[0].optimization_goal");
  out_free(&o);
  json_decref(in);
}

/* Lead Generation: Instant Form page, manual TikTok placement, 25+. */
static void lead_generation(void **st) {
  (void)st;
  json_t *in = J(
      "{'advertiser_id': '7000000000000000001', 'objective_type': 'LEAD_GENERATION',"
      " 'campaign_name': 'Leads', 'promotion_type': 'LEAD_GENERATION',"
      " 'promotion_target_type': 'INSTANT_PAGE', 'optimization_goal': 'LEAD_GENERATION',"
      " 'bid_type': 'BID_TYPE_NO_BID', 'billing_event': 'OCPM',"
      " 'location_ids': ['6252001'], 'spc_audience_age': '25+',"
      " 'placement_type': 'PLACEMENT_TYPE_NORMAL', 'placements': ['PLACEMENT_TIKTOK'],"
      " 'budget_mode': 'BUDGET_MODE_DYNAMIC_DAILY_BUDGET', 'budget': 80,"
      " 'schedule_type': 'SCHEDULE_FROM_NOW', 'schedule_start_time': '2026-03-01 00:00:00',"
      " 'deep_funnel_optimization_status': 'ON', 'deep_funnel_event_source': 'PIXEL',"
      " 'deep_funnel_event_source_id': '7000000000000000002',"
      " 'deep_funnel_optimization_event': 'SHOPPING',"
      " 'identity_type': 'CUSTOMIZED_USER', 'identity_id': 'ident',"
      " 'media_info_list': [{'media_info': {'video_info': {'video_id': 'v1'},"
      "   'image_info': [{'web_uri': 'w1'}]}}],"
      " 'title_list': [{'title': 'Get a quote'}], 'call_to_action_id': '7000000000000000009',"
      " 'page_list': [{'page_id': '7200000000000000001'}]}");
  out o = migrate_ok(in);
  assert_row(o.report, "placements", "mapped", "adgroups[0].placements");
  assert_row(o.report, "promotion_target_type", "mapped", "adgroups[0].promotion_target_type");
  assert_row(o.report, "page_list[0].page_id", "mapped",
             "adgroups[0].ads[0].page_list[0].page_id");
  assert_row(o.report, "deep_funnel_optimization_event", "mapped",
             "adgroups[0].deep_funnel_optimization_event");
  assert_string_equal(S(json_object_get(AG0(o), "targeting_spec"), "spc_audience_age"),
                      "OVER_TWENTY_FIVE");
  out_free(&o);
  json_decref(in);
}

/* Every request field of the legacy document (seeds 003) is handled on
 * purpose: none falls through to the generic "unknown field" drop. */
static void whole_field_list(void **st) {
  (void)st;
  static const char *const fields[] = {
      "advertiser_id", "operation_status", "objective_type", "spc_type",
      "web_all_in_one_catalog_status", "app_promotion_type",
      "virtual_objective_type", "sales_destination", "campaign_type",
      "campaign_app_profile_page_state", "is_advanced_dedicated_campaign",
      "disable_skan_campaign", "campaign_name", "special_industries",
      "product_source", "catalog_id", "catalog_authorized_bc_id",
      "product_specific_type", "product_set_id", "product_ids", "promotion_type",
      "app_id", "promotion_website_type", "promotion_target_type",
      "optimization_goal", "pixel_id", "optimization_event", "app_config",
      "deep_funnel_optimization_status", "deep_funnel_event_source",
      "deep_funnel_event_source_id", "deep_funnel_optimization_event", "bid_type",
      "bid_price", "conversion_bid_price", "deep_bid_type", "roas_bid",
      "vbo_window", "click_attribution_window", "engaged_view_attribution_window",
      "view_attribution_window", "attribution_event_count", "billing_event",
      "location_ids", "languages", "gender", "spc_audience_age",
      "exclude_age_under_eighteen", "excluded_audience_ids", "placement_type",
      "placements", "comment_disabled", "share_disabled",
      "video_download_disabled", "blocked_pangle_app_ids", "budget_mode", "budget",
      "schedule_type", "schedule_start_time", "schedule_end_time", "dayparting",
      "identity_type", "identity_id", "media_info_list", "catalog_creative_toggle",
      "title_list", "call_to_action_id", "call_to_action_list", "product_info",
      "promo_info_list", "card_list", "automatic_add_on_enabled", "page_list",
      "deeplink", "deeplink_type", "landing_page_urls", "utm_params",
      "disclaimer_info", "tracking_app_id", "impression_tracking_url",
      "click_tracking_url", "app_tracking_info_list",
  };
  json_t *in = J(
      "{'objective_type': 'WEB_CONVERSIONS', 'media_info_list': [{'media_info':"
      " {'video_info': {'video_id': 'v', 'file_name': 'f'}, 'image_info': [{'web_uri': 'w'}],"
      " 'music_info': {'music_id': 'm'}, 'aigc_disclosure_type': 'NOT_DECLARED',"
      " 'tiktok_item_id': '1', 'identity_type': 'TT_USER', 'identity_id': 'i',"
      " 'identity_authorized_bc_id': 'b', 'dark_post_status': 'ON'}}],"
      " 'title_list': [{'title': 't'}], 'call_to_action_list': [{'call_to_action': 'SHOP_NOW'}],"
      " 'card_list': [{'card_id': 'c'}], 'page_list': [{'page_id': 'p'}],"
      " 'landing_page_urls': [{'landing_page_url': 'https://x', 'video_id': 'v'}],"
      " 'utm_params': [{'key': 'k', 'value': 'v'}], 'deeplink': 'a://b'}");
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (!json_object_get(in, fields[i]))
      json_object_set_new(in, fields[i], json_string("x"));
  json_t *plan, *report;
  char err[64];
  assert_int_equal(sp_migrate(in, &plan, &report, err, sizeof err), 0);
  assert_rows_sane(report);
  assert_all_reported(report, in, "");
  size_t i;
  json_t *r;
  json_array_foreach(report, i, r) {
    const char *n = json_string_value(json_object_get(r, "note"));
    if (strstr(n, GENERIC))
      fail_msg("%s fell through to the generic drop",
               json_string_value(json_object_get(r, "legacy_field")));
  }
  json_decref(plan);
  json_decref(report);
  json_decref(in);
}

static void not_an_object(void **st) {
  (void)st;
  json_t *in = json_array(), *plan = (json_t *)1, *report = (json_t *)1;
  char err[128];
  assert_int_equal(sp_migrate(in, &plan, &report, err, sizeof err), -1);
  assert_null(plan);
  assert_null(report);
  assert_non_null(strstr(err, "not a JSON object"));
  json_decref(in);
}

/* The text table lists every row and the totals. */
static void text_report(void **st) {
  (void)st;
  json_t *in = J("{'campaign_name': 'c', 'spc_type': 'UNSET', 'budget': 60}");
  json_t *plan, *report;
  char err[64];
  assert_int_equal(sp_migrate(in, &plan, &report, err, sizeof err), 0);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  sp_migrate_report_text(report, f);
  fclose(f);
  assert_non_null(strstr(buf, "legacy field"));
  assert_non_null(strstr(buf, "spc_type"));
  assert_non_null(strstr(buf, "dropped"));
  assert_non_null(strstr(buf, "2 mapped, 0 changed, 1 dropped"));
  free(buf);
  json_decref(plan);
  json_decref(report);
  json_decref(in);
}

/* apply's request_ids: stable, blind to key order, advertiser and parent
 * id, different per generation, per position and per body. */
static void request_ids(void **st) {
  (void)st;
  json_t *a = J("{'campaign_name': 'x', 'budget': 100, 'advertiser_id': '1'}");
  json_t *b = J("{'advertiser_id': '2', 'budget': 100, 'campaign_name': 'x', 'request_id': '5'}");
  json_t *c = J("{'campaign_name': 'x', 'budget': 101}");
  char r1[24], r2[24], r3[24], r4[24], r5[24], r6[24];
  sp_apply_request_id("", "", 0, a, 0, r1);
  sp_apply_request_id("", "", 0, b, 0, r2);
  sp_apply_request_id("", "", 0, a, 1, r3);
  sp_apply_request_id("", "", 0, c, 0, r4);
  sp_apply_request_id("", "", 1, a, 0, r5);
  sp_apply_request_id("copy", "", 0, a, 0, r6);
  assert_string_equal(r1, r2);
  assert_string_not_equal(r1, r3);
  assert_string_not_equal(r1, r4);
  assert_string_not_equal(r1, r5);
  assert_string_not_equal(r1, r6);
  assert_true(strspn(r1, "0123456789") == strlen(r1) && strlen(r1) > 0);
  assert_true(strtoull(r1, NULL, 10) < (1ULL << 62));
  json_decref(a);
  json_decref(b);
  json_decref(c);
}

/* ---- apply's retries, against a fake API --------------------------------
 * A libmicrohttpd server that answers campaign/create with `fail_n` bad
 * answers (an envelope with `fail_code`, or HTTP 503 without one when
 * fail_code is 0) before a good one, and counts the requests and the
 * request_ids it saw. */
typedef struct fake {
  struct MHD_Daemon *d;
  pthread_mutex_t mu;
  int fail_n, fail_code, calls, same_rid;
  char first_rid[32];
  /* ads: the first ad/create is carried out but its answer is a 503 */
  int ad_creates, ad_lists, ad_stored;
} fake;

typedef struct upload {
  char buf[8192];
  size_t n;
} upload;

static enum MHD_Result fake_answer(void *cls, struct MHD_Connection *con,
                                   const char *url, const char *method,
                                   const char *version, const char *data,
                                   size_t *size, void **ctx) {
  (void)method;
  (void)version;
  fake *f = cls;
  if (!*ctx) {
    *ctx = calloc(1, sizeof(upload));
    return MHD_YES;
  }
  upload *u = *ctx;
  if (*size) {
    size_t take = *size < sizeof u->buf - 1 - u->n ? *size : sizeof u->buf - 1 - u->n;
    memcpy(u->buf + u->n, data, take);
    u->n += take;
    *size = 0;
    return MHD_YES;
  }
  char body[512];
  unsigned status = 200;
  pthread_mutex_lock(&f->mu);
  if (strstr(url, "campaign/create")) {
    json_t *req = json_loads(u->buf, 0, NULL);
    const char *rid = json_string_value(json_object_get(req, "request_id"));
    if (!f->calls) snprintf(f->first_rid, sizeof f->first_rid, "%s", rid ? rid : "");
    else if (rid && strcmp(rid, f->first_rid) == 0) f->same_rid++;
    json_decref(req);
    f->calls++;
  }
  if (strstr(url, "adgroup/create")) {
    snprintf(body, sizeof body,
             "{\"code\":0,\"message\":\"OK\",\"data\":{\"adgroup_id\":\"43\"}}");
  } else if (strstr(url, "ad/create")) {
    f->ad_creates++;
    f->ad_stored++;
    if (f->ad_creates == 1) {
      status = 503;
      snprintf(body, sizeof body, "gateway timeout");
    } else {
      snprintf(body, sizeof body,
               "{\"code\":0,\"message\":\"OK\",\"data\":{\"smart_plus_ad_id\":\"9%d\"}}",
               f->ad_stored);
    }
  } else if (strstr(url, "ad/get")) {
    f->ad_lists++;
    snprintf(body, sizeof body,
             "{\"code\":0,\"message\":\"OK\",\"data\":{\"list\":[%s],"
             "\"page_info\":{\"page\":1,\"total_page\":1}}}",
             f->ad_stored ? "{\"smart_plus_ad_id\":\"91\",\"ad_name\":\"a1\"}" : "");
  } else if (f->calls <= f->fail_n && f->fail_code) {
    snprintf(body, sizeof body,
             "{\"code\":%d,\"message\":\"App reaches the QPS limit.\",\"data\":{}}",
             f->fail_code);
  } else if (f->calls <= f->fail_n) {
    status = 503;
    snprintf(body, sizeof body, "upstream unavailable");
  } else {
    snprintf(body, sizeof body,
             "{\"code\":0,\"message\":\"OK\",\"data\":{\"campaign_id\":\"42\","
             "\"secondary_status\":\"CAMPAIGN_STATUS_ENABLE\"}}");
  }
  pthread_mutex_unlock(&f->mu);
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_COPY);
  enum MHD_Result ret = MHD_queue_response(con, status, r);
  MHD_destroy_response(r);
  return ret;
}

static void fake_done(void *cls, struct MHD_Connection *con, void **ctx,
                      enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)con;
  (void)toe;
  free(*ctx);
  *ctx = NULL;
}

/* Run `smartplus apply` on a one-campaign plan against the fake; returns
 * the exit status. stdout (the summary) goes to /dev/null. */
static int apply_against_plan(fake *f, int retries, const char *text) {
  f->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
                          fake_answer, f, MHD_OPTION_NOTIFY_COMPLETED, fake_done,
                          f, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, MHD_OPTION_END);
  assert_non_null(f->d);
  const union MHD_DaemonInfo *di = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_BIND_PORT);
  char base[64], plan[] = "/tmp/smartplus-apply-XXXXXX", rs[8];
  snprintf(base, sizeof base, "http://127.0.0.1:%u/open_api/v1.3/", di->port);
  snprintf(rs, sizeof rs, "%d", retries);
  int fd = mkstemp(plan);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  char *argv[] = {"apply", plan, "--base-url", base, "--token", "t", "--retries", rs,
                  "--backoff-ms", "10", "--timeout", "5", "--quiet", NULL};
  fflush(stdout);
  int saved = dup(1), null = open("/dev/null", O_WRONLY);
  dup2(null, 1);
  int rc = sp_apply_main(13, argv);
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  close(null);
  unlink(plan);
  MHD_stop_daemon(f->d);
  return rc;
}

static int apply_against(fake *f, int retries) {
  return apply_against_plan(f, retries,
                            "{\"campaign\": {\"advertiser_id\": \"7\", "
                            "\"campaign_name\": \"c\", \"objective_type\": "
                            "\"WEB_CONVERSIONS\"}}");
}

/* An ad/create whose answer is lost (503) is not POSTed again: apply lists
 * the ad group's ads first and finds the ad by its name. */
static void apply_ad_lost_answer_not_repeated(void **st) {
  (void)st;
  fake f = {0};
  pthread_mutex_init(&f.mu, NULL);
  int rc = apply_against_plan(
      &f, 2,
      "{\"campaign\": {\"advertiser_id\": \"7\", \"campaign_name\": \"c\"},"
      " \"adgroups\": [{\"adgroup_name\": \"g\", \"ads\": [{\"ad_name\": \"a1\"}]}]}");
  assert_int_equal(rc, 0);
  assert_int_equal(f.ad_creates, 1); /* never twice */
  assert_int_equal(f.ad_lists, 2);   /* before the create, and before the retry */
  pthread_mutex_destroy(&f.mu);
}

static void apply_retries_rate_limit(void **st) {
  (void)st;
  fake f = {.fail_n = 2, .fail_code = 40100};
  pthread_mutex_init(&f.mu, NULL);
  assert_int_equal(apply_against(&f, 3), 0);
  assert_int_equal(f.calls, 3);    /* two rate-limited answers, then OK */
  assert_int_equal(f.same_rid, 2); /* each retry repeats the request_id */
  pthread_mutex_destroy(&f.mu);
}

static void apply_gives_up_after_retries(void **st) {
  (void)st;
  fake f = {.fail_n = 100, .fail_code = 40133};
  pthread_mutex_init(&f.mu, NULL);
  assert_int_equal(apply_against(&f, 2), 1);
  assert_int_equal(f.calls, 3); /* 1 + --retries, no more */
  pthread_mutex_destroy(&f.mu);
}

static void apply_retries_http_503(void **st) {
  (void)st;
  fake f = {.fail_n = 1, .fail_code = 0};
  pthread_mutex_init(&f.mu, NULL);
  assert_int_equal(apply_against(&f, 1), 0);
  assert_int_equal(f.calls, 2);
  pthread_mutex_destroy(&f.mu);
}

static void apply_no_retry_on_param_error(void **st) {
  (void)st;
  fake f = {.fail_n = 100, .fail_code = 40002};
  pthread_mutex_init(&f.mu, NULL);
  assert_int_equal(apply_against(&f, 3), 1);
  assert_int_equal(f.calls, 1); /* a refused request does not change by retrying */
  pthread_mutex_destroy(&f.mu);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(web_video),        cmocka_unit_test(web_carousel),
      cmocka_unit_test(web_spark_catalog), cmocka_unit_test(web_spark_push),
      cmocka_unit_test(app_promotion),    cmocka_unit_test(lead_generation),
      cmocka_unit_test(whole_field_list), cmocka_unit_test(not_an_object),
      cmocka_unit_test(text_report),      cmocka_unit_test(request_ids),
      cmocka_unit_test(apply_retries_rate_limit),
      cmocka_unit_test(apply_gives_up_after_retries),
      cmocka_unit_test(apply_retries_http_503),
      cmocka_unit_test(apply_no_retry_on_param_error),
      cmocka_unit_test(apply_ad_lost_answer_not_repeated),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
