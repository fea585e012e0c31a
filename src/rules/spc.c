/*
 * rules/spc.c - rules of the legacy Smart+ campaign, ../shared/seeds/003
 * (one rule tag per sentence of the document that constrains a field),
 * and the deprecation timeline of seeds 001/002.
 * Pure: no I/O, no clock reads; `now` comes from the caller.
 */
#include "spc.h"

#include <math.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/text.h"

#define FAIL(field, rule, ...) sp_fail(e, SP_E_PARAM, field, rule, __VA_ARGS__)

static int eq(const sp_opt_str *s, const char *v) {
  return s->set && s->v && strcmp(s->v, v) == 0;
}
static int has(const sp_opt_str *s) { return s->set && s->v && s->v[0]; }

/* ---------------------------------------------------------------- timeline */

/* Each legacy endpoint's last second, the rule tag and the message that
 * names its replacement (seeds 001/002), indexed by spc_endpoint. */
static const struct {
  int64_t deadline;
  const char *rule, *msg;
} timeline[] = {
    [SPC_EP_CREATE] = {SPC_DEADLINE_CREATE, "SPC_DEPRECATED_CREATE",
                       "/campaign/spc/create/ no longer creates campaigns: the "
                       "legacy Smart+ API stopped accepting new campaigns on "
                       "2026-03-31 (00:00:00 UTC). Use the Upgraded Smart+ API: "
                       "/smart_plus/campaign/create/, then "
                       "/smart_plus/adgroup/create/ and /smart_plus/ad/create/. "
                       "Existing legacy campaigns keep running and can be read "
                       "with /campaign/spc/get/."},
    [SPC_EP_UPDATE] = {SPC_DEADLINE_UPDATE, "SPC_DEPRECATED_UPDATE",
                       "/campaign/spc/update/ stopped working on 2026-06-30 "
                       "(00:00:00 UTC). Use the Upgraded Smart+ API: "
                       "/smart_plus/campaign/update/, /smart_plus/adgroup/update/ "
                       "and /smart_plus/ad/update/. Legacy campaigns can still be "
                       "read with /campaign/spc/get/."},
    [SPC_EP_STATUS] = {SPC_DEADLINE_UPDATE, "SPC_DEPRECATED_STATUS",
                       "/campaign/status/update/ stopped working on 2026-06-30 "
                       "(00:00:00 UTC). Use /smart_plus/campaign/status/update/ "
                       "(and /smart_plus/adgroup/status/update/, "
                       "/smart_plus/ad/status/update/)."},
    [SPC_EP_MANUAL_CREATE] = {SPC_DEADLINE_MANUAL, "MANUAL_DEPRECATED_CREATE",
                              "/campaign/create/ (Manual Campaign Management API) no "
                              "longer creates campaigns after 2026-12-31 (from "
                              "2027-01-01 00:00:00 UTC). Use /smart_plus/campaign/create/ "
                              "of the Upgraded Smart+ API."},
};

sp_rc spc_timeline_check(spc_endpoint ep, int64_t now, sp_err *e) {
  if ((size_t)ep >= SP_ARRAY_LEN(timeline) || now < timeline[ep].deadline)
    return SP_OK;
  return sp_fail(e, SP_E_OFFLINE, NULL, timeline[ep].rule, "%s", timeline[ep].msg);
}

sp_rc spc_check_quota(size_t active, size_t quota, sp_err *e) {
  if (active < quota) return SP_OK;
  return sp_fail(e, SP_E_LIMIT, "operation_status", "SPC_QUOTA",
                 "the ad account has reached its Smart+ Campaign quota (%zu of "
                 "%zu active campaigns); see /campaign/spc/quota/get/ and pause "
                 "active Smart+ Campaigns with /campaign/status/update/ to free "
                 "quota",
                 active, quota);
}

/* ------------------------------------------------------------------ helpers */

static int is_spark(const spc_media_info *m) { return has(&m->tiktok_item_id); }

static const spc_media_info *media_at(const spc *r, size_t i) {
  const spc_media *ml = r->media_info_list.v;
  return ml[i].media_info.set ? ml[i].media_info.v : NULL;
}

static int any_spark(const spc *r) {
  for (size_t i = 0; i < r->media_info_list.n; i++) {
    const spc_media_info *m = media_at(r, i);
    if (m && is_spark(m)) return 1;
  }
  return 0;
}

/* Smart+ Web Campaign: WEB_CONVERSIONS with spc_type WEB_ALL_IN_ONE. */
static int web_all_in_one(const spc *r) {
  return eq(&r->objective_type, "WEB_CONVERSIONS") &&
         eq(&r->spc_type, "WEB_ALL_IN_ONE");
}
static int catalog_open(const spc *r) {
  return eq(&r->web_all_in_one_catalog_status, "OPEN");
}
static int spc_type_unset(const spc *r) {
  return !r->spc_type.set || eq(&r->spc_type, "UNSET");
}

static int time_of(const sp_opt_str *s, int64_t *t) {
  return s->set && sp_time_parse(s->v, t) == 0;
}

static const char *const macros[] = {
    "__CAMPAIGN_NAME__", "__CAMPAIGN_ID__", "__AID_NAME__", "__AID__",
    "__CID_NAME__",      "__CID__",         "__PLACEMENT__", NULL};

/* ------------------------------------------------------------ rule groups */

static sp_rc required(const spc *r, sp_err *e) {
  if (!r->advertiser_id.set)
    return FAIL("advertiser_id", "SPC_REQUIRED", "is required");
  if (!r->objective_type.set)
    return FAIL("objective_type", "SPC_REQUIRED",
                "is required: APP_PROMOTION, WEB_CONVERSIONS or "
                "LEAD_GENERATION");
  if (!has(&r->campaign_name))
    return FAIL("campaign_name", "SPC_REQUIRED", "is required");
  if (!r->promotion_type.set)
    return FAIL("promotion_type", "SPC_REQUIRED", "is required");
  if (!r->optimization_goal.set)
    return FAIL("optimization_goal", "SPC_REQUIRED", "is required");
  if (!r->billing_event.set)
    return FAIL("billing_event", "SPC_REQUIRED",
                "is required: OCPM or CPC");
  if (!r->budget.set)
    return FAIL("budget", "SPC_REQUIRED", "is required");
  if (!r->schedule_type.set)
    return FAIL("schedule_type", "SPC_REQUIRED",
                "is required: SCHEDULE_START_END or SCHEDULE_FROM_NOW");
  if (!r->schedule_start_time.set)
    return FAIL("schedule_start_time", "SPC_REQUIRED", "is required");
  return SP_OK;
}

static sp_rc objective(const spc *r, sp_err *e) {
  const char *ot = r->objective_type.v;
  if (strcmp(ot, "APP_PROMOTION") == 0) {
    if (!r->app_promotion_type.set)
      return FAIL("app_promotion_type", "SPC_APP_PROMOTION_TYPE",
                  "is required when objective_type is APP_PROMOTION "
                  "(APP_INSTALL)");
    if (eq(&r->app_promotion_type, "APP_INSTALL") && !has(&r->app_id))
      return FAIL("app_id", "SPC_APP_ID",
                  "is required when objective_type is APP_PROMOTION and "
                  "app_promotion_type is APP_INSTALL");
    if (!eq(&r->promotion_type, "APP_ANDROID") &&
        !eq(&r->promotion_type, "APP_IOS"))
      return FAIL("promotion_type", "SPC_PROMOTION_TYPE",
                  "must be APP_ANDROID or APP_IOS when objective_type is "
                  "APP_PROMOTION");
  } else if (strcmp(ot, "WEB_CONVERSIONS") == 0) {
    if (!eq(&r->promotion_type, "WEBSITE"))
      return FAIL("promotion_type", "SPC_PROMOTION_TYPE",
                  "must be WEBSITE when objective_type is WEB_CONVERSIONS");
  } else { /* LEAD_GENERATION */
    if (!r->promotion_target_type.set)
      return FAIL("promotion_target_type", "SPC_PROMOTION_TARGET_TYPE",
                  "is required when objective_type is LEAD_GENERATION "
                  "(INSTANT_PAGE or EXTERNAL_WEBSITE)");
    if (!eq(&r->promotion_type, "LEAD_GENERATION"))
      return FAIL("promotion_type", "SPC_PROMOTION_TYPE",
                  "must be LEAD_GENERATION when objective_type is "
                  "LEAD_GENERATION");
  }
  if (r->app_promotion_type.set && strcmp(ot, "APP_PROMOTION") != 0)
    return FAIL("app_promotion_type", "SPC_APP_PROMOTION_TYPE",
                "is valid only when objective_type is APP_PROMOTION");
  if (r->promotion_target_type.set && strcmp(ot, "LEAD_GENERATION") != 0)
    return FAIL("promotion_target_type", "SPC_PROMOTION_TARGET_TYPE",
                "is valid only when objective_type is LEAD_GENERATION");
  return SP_OK;
}

static sp_rc web_type(const spc *r, sp_err *e) {
  if (eq(&r->spc_type, "WEB_ALL_IN_ONE") &&
      !eq(&r->objective_type, "WEB_CONVERSIONS"))
    return FAIL("spc_type", "SPC_TYPE_WEB_ONLY",
                "is valid only when objective_type is WEB_CONVERSIONS");
  if (catalog_open(r) && !eq(&r->spc_type, "WEB_ALL_IN_ONE"))
    return FAIL("web_all_in_one_catalog_status", "SPC_CATALOG_STATUS",
                "is valid only when spc_type is WEB_ALL_IN_ONE");
  /* seeds/003: WEB_ALL_IN_ONE goals Conversion, Value, Click, Landing page
   * view; UNSET (Smart Performance Web) Conversion, Value, Click */
  if (eq(&r->objective_type, "WEB_CONVERSIONS")) {
    const char *g = r->optimization_goal.v;
    int ok = !strcmp(g, "CONVERT") || !strcmp(g, "VALUE") || !strcmp(g, "CLICK") ||
             (web_all_in_one(r) && !strcmp(g, "TRAFFIC_LANDING_PAGE_VIEW"));
    if (!ok)
      return FAIL("optimization_goal", "SPC_WEB_GOAL",
                  "\"%s\" is not supported for this web campaign; "
                  "WEB_ALL_IN_ONE supports CONVERT, VALUE, CLICK and "
                  "TRAFFIC_LANDING_PAGE_VIEW, UNSET supports CONVERT, VALUE "
                  "and CLICK",
                  g);
  }
  if (r->promotion_website_type.set &&
      !(eq(&r->objective_type, "WEB_CONVERSIONS") && spc_type_unset(r)))
    return FAIL("promotion_website_type", "SPC_PROMOTION_WEBSITE_TYPE",
                "is valid only when objective_type is WEB_CONVERSIONS and "
                "spc_type is UNSET or not passed");
  if (r->promotion_website_type.set && has(&r->pixel_id))
    return FAIL("pixel_id", "SPC_PROMOTION_WEBSITE_TYPE",
                "is not supported with promotion_website_type "
                "TIKTOK_NATIVE_PAGE (TikTok Instant Page)");
  return SP_OK;
}

static sp_rc sales(const spc *r, sp_err *e) {
  if (r->virtual_objective_type.set && !r->sales_destination.set)
    return FAIL("sales_destination", "SPC_SALES_DESTINATION",
                "is required when virtual_objective_type is specified");
  if (r->sales_destination.set && !r->virtual_objective_type.set)
    return FAIL("sales_destination", "SPC_SALES_DESTINATION",
                "is valid only when virtual_objective_type is specified");
  int wa = eq(&r->sales_destination, "WEB_AND_APP");
  if (wa && !catalog_open(r))
    return FAIL("web_all_in_one_catalog_status", "SPC_WEB_AND_APP_CATALOG",
                "must be OPEN when sales_destination is WEB_AND_APP");
  if (wa && (!r->app_config.set || r->app_config.n == 0))
    return FAIL("app_config", "SPC_APP_CONFIG",
                "is required when sales_destination is WEB_AND_APP (1 to 2 "
                "apps)");
  const spc_app_config *ac = r->app_config.v;
  for (size_t i = 0; r->app_config.set && i < r->app_config.n; i++)
    if (!has(&ac[i].app_id)) {
      char f[64];
      snprintf(f, sizeof f, "app_config[%zu].app_id", i);
      return FAIL(f, "SPC_APP_CONFIG", "is required when app_config is "
                                       "specified");
    }
  return SP_OK;
}

static sp_rc app_campaign(const spc *r, sp_err *e) {
  if (eq(&r->campaign_app_profile_page_state, "ON") &&
      !(eq(&r->objective_type, "APP_PROMOTION") &&
        eq(&r->campaign_type, "IOS14_CAMPAIGN")))
    return FAIL("campaign_app_profile_page_state", "SPC_APP_PROFILE_PAGE",
                "can be ON only when objective_type is APP_PROMOTION and the "
                "campaign is an iOS 14 Dedicated Campaign (IOS14_CAMPAIGN)");
  if (r->campaign_app_profile_page_state.set &&
      !eq(&r->campaign_app_profile_page_state, "ON") &&
      !eq(&r->campaign_app_profile_page_state, "OFF") &&
      !eq(&r->campaign_app_profile_page_state, "UNSET"))
    return FAIL("campaign_app_profile_page_state", "SPC_APP_PROFILE_PAGE",
                "allowed: ON, OFF");
  if (r->disable_skan_campaign.set &&
      !(eq(&r->objective_type, "APP_PROMOTION") &&
        eq(&r->app_promotion_type, "APP_INSTALL") &&
        eq(&r->campaign_type, "IOS14_CAMPAIGN")))
    return FAIL("disable_skan_campaign", "SPC_DISABLE_SKAN",
                "is valid only when objective_type is APP_PROMOTION, "
                "app_promotion_type is APP_INSTALL and campaign_type is "
                "IOS14_CAMPAIGN");
  if (r->disable_skan_campaign.set && r->disable_skan_campaign.v &&
      !(r->is_advanced_dedicated_campaign.set &&
        r->is_advanced_dedicated_campaign.v))
    return FAIL("disable_skan_campaign", "SPC_SKAN_OR_ADVANCED",
                "cannot disable SKAN attribution and Advanced Dedicated "
                "Campaign simultaneously: enable SKAN or "
                "is_advanced_dedicated_campaign or both");
  return SP_OK;
}

static sp_rc catalog(const spc *r, sp_err *e) {
  if (catalog_open(r)) {
    if (!r->product_source.set)
      return FAIL("product_source", "SPC_CATALOG_REQUIRED",
                  "is required when web_all_in_one_catalog_status is OPEN");
    if (!has(&r->catalog_id))
      return FAIL("catalog_id", "SPC_CATALOG_REQUIRED",
                  "is required when web_all_in_one_catalog_status is OPEN");
    if (!has(&r->catalog_authorized_bc_id))
      return FAIL("catalog_authorized_bc_id", "SPC_CATALOG_REQUIRED",
                  "is required when web_all_in_one_catalog_status is OPEN");
    if (!r->product_specific_type.set)
      return FAIL("product_specific_type", "SPC_CATALOG_REQUIRED",
                  "is required when web_all_in_one_catalog_status is OPEN");
  }
  if (eq(&r->product_specific_type, "PRODUCT_SET") && !has(&r->product_set_id))
    return FAIL("product_set_id", "SPC_PRODUCT_SET_ID",
                "is required when product_specific_type is PRODUCT_SET");
  if (eq(&r->product_specific_type, "CUSTOMIZED_PRODUCTS") &&
      (!r->product_ids.set || r->product_ids.n == 0))
    return FAIL("product_ids", "SPC_PRODUCT_IDS",
                "is required when product_specific_type is "
                "CUSTOMIZED_PRODUCTS (1 to 20 product ids)");
  if (r->catalog_creative_toggle.set && r->catalog_creative_toggle.v &&
      !catalog_open(r))
    return FAIL("catalog_creative_toggle", "SPC_CATALOG_ONLY",
                "is valid only when web_all_in_one_catalog_status is OPEN");
  if (r->automatic_add_on_enabled.set && r->automatic_add_on_enabled.v &&
      !catalog_open(r))
    return FAIL("automatic_add_on_enabled", "SPC_CATALOG_ONLY",
                "is valid only when web_all_in_one_catalog_status is OPEN");
  return SP_OK;
}

static sp_rc optimization(const spc *r, sp_err *e) {
  const char *g = r->optimization_goal.v;
  int cv = !strcmp(g, "CONVERT") || !strcmp(g, "VALUE");
  if (cv && !has(&r->pixel_id) && !r->promotion_website_type.set &&
      eq(&r->objective_type, "WEB_CONVERSIONS"))
    return FAIL("pixel_id", "SPC_PIXEL_ID",
                "is required when optimization_goal is CONVERT or VALUE");
  if (!cv && has(&r->pixel_id))
    return FAIL("pixel_id", "SPC_PIXEL_ID",
                "is supported only when optimization_goal is CONVERT or VALUE");
  if (has(&r->pixel_id) && !has(&r->optimization_event))
    return FAIL("optimization_event", "SPC_OPTIMIZATION_EVENT",
                "is required when pixel_id is specified");
  if (!has(&r->pixel_id) &&
      (!strcmp(g, "IN_APP_EVENT") || !strcmp(g, "VALUE")) &&
      !has(&r->optimization_event))
    return FAIL("optimization_event", "SPC_OPTIMIZATION_EVENT",
                "is required when optimization_goal is IN_APP_EVENT or VALUE "
                "and pixel_id is not specified");
  return SP_OK;
}

static sp_rc deep_funnel(const spc *r, sp_err *e) {
  if (eq(&r->deep_funnel_optimization_status, "ON") &&
      !eq(&r->promotion_type, "LEAD_GENERATION"))
    return FAIL("deep_funnel_optimization_status", "SPC_DEEP_FUNNEL_LEADGEN",
                "is valid only when promotion_type is LEAD_GENERATION");
  if (eq(&r->deep_funnel_optimization_status, "ON")) {
    if (!r->deep_funnel_event_source.set)
      return FAIL("deep_funnel_event_source", "SPC_DEEP_FUNNEL_REQUIRED",
                  "is required when deep_funnel_optimization_status is ON");
    if (!has(&r->deep_funnel_event_source_id))
      return FAIL("deep_funnel_event_source_id", "SPC_DEEP_FUNNEL_REQUIRED",
                  "is required when deep_funnel_optimization_status is ON");
    if (!has(&r->deep_funnel_optimization_event))
      return FAIL("deep_funnel_optimization_event", "SPC_DEEP_FUNNEL_REQUIRED",
                  "is required when deep_funnel_optimization_status is ON");
  }
  return SP_OK;
}

static sp_rc bidding(const spc *r, sp_err *e) {
  const char *g = r->optimization_goal.v;
  int custom = eq(&r->bid_type, "BID_TYPE_CUSTOM");
  if (web_all_in_one(r) && custom && !strcmp(g, "CLICK") && !r->bid_price.set)
    return FAIL("bid_price", "SPC_BID_PRICE_REQUIRED",
                "is required when spc_type is WEB_ALL_IN_ONE, "
                "optimization_goal is CLICK and bid_type is BID_TYPE_CUSTOM");
  if (web_all_in_one(r) && custom &&
      (!strcmp(g, "CONVERT") || !strcmp(g, "TRAFFIC_LANDING_PAGE_VIEW")) &&
      !r->conversion_bid_price.set)
    return FAIL("conversion_bid_price", "SPC_CONVERSION_BID_PRICE_REQUIRED",
                "is required when spc_type is WEB_ALL_IN_ONE, "
                "optimization_goal is CONVERT or TRAFFIC_LANDING_PAGE_VIEW and "
                "bid_type is BID_TYPE_CUSTOM");
  if (r->bid_price.set && r->budget.set && r->bid_price.v >= r->budget.v)
    return FAIL("bid_price", "SPC_BID_BELOW_BUDGET",
                "%g must be lower than budget (%g)", r->bid_price.v,
                r->budget.v);
  if (r->conversion_bid_price.set && r->budget.set &&
      r->conversion_bid_price.v >= r->budget.v)
    return FAIL("conversion_bid_price", "SPC_BID_BELOW_BUDGET",
                "%g must be lower than budget (%g)", r->conversion_bid_price.v,
                r->budget.v);
  if (eq(&r->deep_bid_type, "VO_MIN_ROAS") && !web_all_in_one(r))
    return FAIL("deep_bid_type", "SPC_VO_MIN_ROAS_WEB",
                "VO_MIN_ROAS is supported only for Smart+ Web Campaigns "
                "(WEB_CONVERSIONS with spc_type WEB_ALL_IN_ONE)");
  if (eq(&r->deep_bid_type, "VO_MIN_ROAS") && !r->roas_bid.set)
    return FAIL("roas_bid", "SPC_ROAS_BID_REQUIRED",
                "is required when deep_bid_type is VO_MIN_ROAS (0.01 to 1000)");
  return SP_OK;
}

static sp_rc attribution(const spc *r, sp_err *e) {
  int c = r->click_attribution_window.set, v = r->view_attribution_window.set;
  if (r->engaged_view_attribution_window.set && !(c && v))
    return FAIL(c ? "view_attribution_window" : "click_attribution_window",
                "SPC_ATTRIBUTION_TOGETHER",
                "engaged_view_attribution_window must be accompanied by "
                "click_attribution_window and view_attribution_window");
  if (c != v)
    return FAIL(c ? "view_attribution_window" : "click_attribution_window",
                "SPC_ATTRIBUTION_TOGETHER",
                "click_attribution_window and view_attribution_window must be "
                "passed together to configure attribution windows manually");
  return SP_OK;
}

static sp_rc targeting(const spc *r, sp_err *e) {
  if (!r->location_ids.set || r->location_ids.n == 0)
    return FAIL("location_ids", "SPC_LOCATION_IDS",
                "is required (at least one location id)");
  if (eq(&r->spc_audience_age, "25+") &&
      !eq(&r->objective_type, "LEAD_GENERATION"))
    return FAIL("spc_audience_age", "SPC_AUDIENCE_AGE_25",
                "25+ is only available when objective_type is "
                "LEAD_GENERATION");
  if (r->exclude_age_under_eighteen.set && !r->exclude_age_under_eighteen.v)
    return FAIL("exclude_age_under_eighteen", "SPC_UNDER_18",
                "the only supported value is true (audiences under eighteen "
                "cannot be targeted since 2023-09-21)");
  int lead = eq(&r->promotion_type, "LEAD_GENERATION");
  if (lead && r->placement_type.set &&
      !eq(&r->placement_type, "PLACEMENT_TYPE_NORMAL"))
    return FAIL("placement_type", "SPC_LEADGEN_PLACEMENT",
                "must be PLACEMENT_TYPE_NORMAL for Smart+ Lead Generation "
                "Campaigns");
  if (lead && r->placements.set &&
      !(r->placements.n == 1 && !strcmp(r->placements.v[0], "PLACEMENT_TIKTOK")))
    return FAIL("placements", "SPC_LEADGEN_PLACEMENT",
                "must be [\"PLACEMENT_TIKTOK\"] for Smart+ Lead Generation "
                "Campaigns");
  int tiktok_only = lead;
  if (r->placements.set && r->placements.n == 1 &&
      !strcmp(r->placements.v[0], "PLACEMENT_TIKTOK") &&
      !eq(&r->promotion_type, "APP_ANDROID") &&
      !eq(&r->promotion_type, "APP_IOS") && !eq(&r->promotion_type, "WEBSITE"))
    tiktok_only = 1;
  if (tiktok_only && r->blocked_pangle_app_ids.set &&
      r->blocked_pangle_app_ids.n > 0)
    return FAIL("blocked_pangle_app_ids", "SPC_BLOCKED_PANGLE",
                "must not be specified when placements is only "
                "PLACEMENT_TIKTOK");
  return SP_OK;
}

static sp_rc budget_schedule(const spc *r, int64_t now, int check_start,
                             sp_err *e) {
  if (eq(&r->objective_type, "LEAD_GENERATION") && r->budget_mode.set &&
      !eq(&r->budget_mode, "BUDGET_MODE_DYNAMIC_DAILY_BUDGET"))
    return FAIL("budget_mode", "SPC_LEADGEN_BUDGET_MODE",
                "the only supported value for Smart+ Lead Generation "
                "Campaigns is BUDGET_MODE_DYNAMIC_DAILY_BUDGET");
  if (eq(&r->objective_type, "LEAD_GENERATION") && !r->budget_mode.set)
    return FAIL("budget_mode", "SPC_LEADGEN_BUDGET_MODE",
                "must be BUDGET_MODE_DYNAMIC_DAILY_BUDGET for Smart+ Lead "
                "Generation Campaigns (the default BUDGET_MODE_DAY is not "
                "supported)");
  if (!(r->budget.v > 0))
    return FAIL("budget", "SPC_BUDGET_POSITIVE", "must be greater than 0");
  if (eq(&r->schedule_type, "SCHEDULE_START_END") && !r->schedule_end_time.set)
    return FAIL("schedule_end_time", "SPC_SCHEDULE_END_REQUIRED",
                "is required when schedule_type is SCHEDULE_START_END");
  int64_t st = 0, en = 0;
  if (!time_of(&r->schedule_start_time, &st))
    return FAIL("schedule_start_time", "SPC_SCHEDULE_START",
                "must be YYYY-MM-DD HH:MM:SS (UTC+0)");
  if (check_start && st < now - 12 * 3600)
    return FAIL("schedule_start_time", "SPC_SCHEDULE_START",
                "can be at most 12 hours earlier than the current time");
  if (st > 1830297600LL) /* 2028-01-01 00:00:00 */
    return FAIL("schedule_start_time", "SPC_SCHEDULE_START",
                "cannot be later than 2028-01-01 00:00:00");
  if (r->schedule_end_time.set) {
    if (!time_of(&r->schedule_end_time, &en))
      return FAIL("schedule_end_time", "SPC_SCHEDULE_END",
                  "must be YYYY-MM-DD HH:MM:SS (UTC+0)");
    if (en > 2145916800LL) /* 2038-01-01 00:00:00 */
      return FAIL("schedule_end_time", "SPC_SCHEDULE_END",
                  "cannot be later than 2038-01-01 00:00:00");
    if (en <= st)
      return FAIL("schedule_end_time", "SPC_SCHEDULE_END",
                  "must be later than schedule_start_time");
  }
  if (r->dayparting.set) {
    const char *d = r->dayparting.v;
    size_t n = strlen(d);
    if (n != SPC_DAYPARTING_LEN || strspn(d, "01") != n)
      return FAIL("dayparting", "SPC_DAYPARTING",
                  "must be exactly 336 characters (48 x 7 half hours), each "
                  "0 or 1; got %zu characters",
                  n);
  }
  return SP_OK;
}

static sp_rc media(const spc *r, sp_err *e) {
  char f[128];
  if (!r->media_info_list.set || r->media_info_list.n == 0)
    return FAIL("media_info_list", "SPC_MEDIA_REQUIRED",
                "is required (1 to 30 items)");
  int web = eq(&r->objective_type, "WEB_CONVERSIONS");
  for (size_t i = 0; i < r->media_info_list.n; i++) {
    const spc_media_info *m = media_at(r, i);
    if (!m) {
      snprintf(f, sizeof f, "media_info_list[%zu].media_info", i);
      return FAIL(f, "SPC_MEDIA_REQUIRED", "is required");
    }
#define MF(sub) (snprintf(f, sizeof f, "media_info_list[%zu].media_info%s", i, sub), f)
    const spc_video_info *v = m->video_info.set ? m->video_info.v : NULL;
    if (v && !has(&v->video_id))
      return FAIL(MF(".video_info.video_id"), "SPC_VIDEO_ID",
                  "is required when video_info is passed");
    const spc_image_info *im = m->image_info.set ? m->image_info.v : NULL;
    for (size_t k = 0; im && k < m->image_info.n; k++)
      if (!has(&im[k].web_uri)) {
        snprintf(f, sizeof f,
                 "media_info_list[%zu].media_info.image_info[%zu].web_uri", i,
                 k);
        return FAIL(f, "SPC_WEB_URI", "is required when image_info is passed");
      }
    if (m->music_info.set &&
        !has(&((const spc_music_info *)m->music_info.v)->music_id))
      return FAIL(MF(".music_info.music_id"), "SPC_MUSIC_ID",
                  "is required when music_info is passed");
    int spark = is_spark(m);
    int carousel = !v && m->image_info.set && m->image_info.n > 0;
    if (!spark && !v && !carousel)
      return FAIL(MF(".video_info"), "SPC_MEDIA_CONTENT",
                  "is required for a Single Video ad (or pass image_info for "
                  "a Carousel ad, or tiktok_item_id for a Spark Ad)");
    if (!spark && v && (!m->image_info.set || m->image_info.n == 0))
      return FAIL(MF(".image_info"), "SPC_VIDEO_COVER",
                  "is required for Single Video ads: specify a video cover");
    if (!spark && v && m->image_info.n > 1)
      return FAIL(MF(".image_info"), "SPC_VIDEO_COVER",
                  "takes one video cover for a Single Video ad");
    if (carousel && !web)
      return FAIL(MF(".image_info"), "SPC_CAROUSEL_WEB_ONLY",
                  "Standard Carousel ads are only supported for Smart+ Web "
                  "Campaigns (objective_type WEB_CONVERSIONS)");
    if (carousel && !m->music_info.set)
      return FAIL(MF(".music_info"), "SPC_CAROUSEL_MUSIC",
                  "is required for Standard Carousel ads");
    if (web && r->catalog_creative_toggle.set && r->catalog_creative_toggle.v &&
        !m->music_info.set)
      return FAIL(MF(".music_info"), "SPC_CAROUSEL_MUSIC",
                  "is required when catalog_creative_toggle is true (catalog "
                  "carousel ads)");
    if (spark && v)
      return FAIL(MF(".video_info"), "SPC_SPARK_PULL",
                  "must not be passed with tiktok_item_id (Spark Ads Pull)");
    int spark_identity = m->identity_type.set;
    if ((spark || spark_identity) &&
        (!m->identity_type.set || !has(&m->identity_id)))
      return FAIL(MF(m->identity_type.set ? ".identity_id" : ".identity_type"),
                  "SPC_SPARK_IDENTITY",
                  "is required when you use Spark Ads (AUTH_CODE, TT_USER or "
                  "BC_AUTH_TT with its identity_id)");
    if (eq(&m->identity_type, "BC_AUTH_TT") && !has(&m->identity_authorized_bc_id))
      return FAIL(MF(".identity_authorized_bc_id"), "SPC_SPARK_IDENTITY",
                  "is required when identity_type is BC_AUTH_TT");
    if (m->dark_post_status.set && (spark || !spark_identity))
      return FAIL(MF(".dark_post_status"), "SPC_DARK_POST",
                  "is valid only for Spark Ads Push (video_info with a Spark "
                  "identity, no tiktok_item_id)");
    if (m->aigc_disclosure_type.set && (spark || spark_identity))
      return FAIL(MF(".aigc_disclosure_type"), "SPC_AIGC",
                  "is valid only when identity_type is CUSTOMIZED_USER "
                  "(non-Spark Ads)");
#undef MF
  }
  /* non-Spark: the campaign-level identity */
  int spark_all = 1;
  for (size_t i = 0; i < r->media_info_list.n; i++) {
    const spc_media_info *m = media_at(r, i);
    if (!is_spark(m) && !m->identity_type.set) spark_all = 0;
  }
  if (!spark_all && !has(&r->identity_id))
    return FAIL("identity_id", "SPC_IDENTITY",
                "is required when you are not using Spark Ads "
                "(identity_type CUSTOMIZED_USER)");
  return SP_OK;
}

static sp_rc texts(const spc *r, sp_err *e) {
  char f[96];
  const spc_title *t = r->title_list.v;
  for (size_t i = 0; r->title_list.set && i < r->title_list.n; i++)
    if (!has(&t[i].title)) {
      snprintf(f, sizeof f, "title_list[%zu].title", i);
      return FAIL(f, "SPC_TITLE", "is required when title_list is passed");
    }
  if (r->call_to_action_list.set && r->call_to_action_list.n > 0 &&
      eq(&r->objective_type, "LEAD_GENERATION"))
    return FAIL("call_to_action_list", "SPC_CTA_LEADGEN",
                "is not supported for Smart+ Lead Generation Campaigns");
  const spc_cta *c = r->call_to_action_list.v;
  for (size_t i = 0; r->call_to_action_list.set && i < r->call_to_action_list.n;
       i++)
    if (!has(&c[i].call_to_action)) {
      snprintf(f, sizeof f, "call_to_action_list[%zu].call_to_action", i);
      return FAIL(f, "SPC_CTA", "is required when call_to_action_list is "
                                "passed");
    }
  int dl = has(&r->deeplink), dt = r->deeplink_type.set;
  if (dl != dt)
    return FAIL(dl ? "deeplink_type" : "deeplink", "SPC_DEEPLINK_PAIR",
                "deeplink and deeplink_type must be passed together");
  return SP_OK;
}

static int is_int(double v) { return floor(v) == v; }

static sp_rc promos(const spc *r, int64_t now, int check_end, sp_err *e) {
  char f[96];
  if (!r->promo_info_list.set || r->promo_info_list.n == 0) return SP_OK;
  if (!(web_all_in_one(r) && !catalog_open(r)))
    return FAIL("promo_info_list", "SPC_PROMO_REGULAR_WEB",
                "is valid only in regular Smart+ Web Campaigns "
                "(WEB_CONVERSIONS, spc_type WEB_ALL_IN_ONE, catalog not OPEN)");
  const spc_promo *p = r->promo_info_list.v;
  for (size_t i = 0; i < r->promo_info_list.n; i++) {
#define PF(x) (snprintf(f, sizeof f, "promo_info_list[%zu].%s", i, x), f)
    if (!p[i].discount_type.set)
      return FAIL(PF("discount_type"), "SPC_PROMO_DISCOUNT",
                  "is required when promo_info_list is specified");
    if (!p[i].discount_value.set)
      return FAIL(PF("discount_value"), "SPC_PROMO_DISCOUNT",
                  "is required when promo_info_list is specified");
    double dv = p[i].discount_value.v;
    if (eq(&p[i].discount_type, "PERCENTAGE") &&
        !(is_int(dv) && dv >= 1 && dv <= 100))
      return FAIL(PF("discount_value"), "SPC_PROMO_DISCOUNT",
                  "%g: must be an integer between 1 and 100 when "
                  "discount_type is PERCENTAGE", dv);
    if (eq(&p[i].discount_type, "CASH") && !(dv > 0))
      return FAIL(PF("discount_value"), "SPC_PROMO_DISCOUNT",
                  "%g: must be greater than 0 when discount_type is CASH", dv);
    if (eq(&p[i].discount_type, "CASH") && !p[i].discount_currency.set)
      return FAIL(PF("discount_currency"), "SPC_PROMO_CURRENCY",
                  "is required when discount_type is CASH");
    if (has(&p[i].promo_code) && sp_text_has_emoji(p[i].promo_code.v))
      return FAIL(PF("promo_code"), "SPC_PROMO_CODE",
                  "cannot contain emoji");
    if (p[i].minimum_purchase_type.set && !p[i].minimum_purchase_value.set)
      return FAIL(PF("minimum_purchase_value"), "SPC_PROMO_MIN_PURCHASE",
                  "is required when minimum_purchase_type is specified");
    double mv = p[i].minimum_purchase_value.v;
    if (eq(&p[i].minimum_purchase_type, "QUANTITY") && !(is_int(mv) && mv >= 0))
      return FAIL(PF("minimum_purchase_value"), "SPC_PROMO_MIN_PURCHASE",
                  "%g: must be an integer, 0 or greater, when "
                  "minimum_purchase_type is QUANTITY", mv);
    if (eq(&p[i].minimum_purchase_type, "SUBTOTAL") && !(mv > 0))
      return FAIL(PF("minimum_purchase_value"), "SPC_PROMO_MIN_PURCHASE",
                  "%g: must be greater than 0 when minimum_purchase_type is "
                  "SUBTOTAL", mv);
    if (eq(&p[i].minimum_purchase_type, "SUBTOTAL") &&
        !p[i].minimum_purchase_currency.set)
      return FAIL(PF("minimum_purchase_currency"), "SPC_PROMO_CURRENCY",
                  "is required when minimum_purchase_type is SUBTOTAL");
    int64_t ts = 0, te = 0;
    if (p[i].valid_end_time.set) {
      if (!p[i].valid_start_time.set)
        return FAIL(PF("valid_start_time"), "SPC_PROMO_VALID_TIME",
                    "must be provided with valid_end_time");
      time_of(&p[i].valid_end_time, &te);
      time_of(&p[i].valid_start_time, &ts);
      if (check_end && te <= now)
        return FAIL(PF("valid_end_time"), "SPC_PROMO_VALID_TIME",
                    "should be later than the current time");
      if (te <= ts)
        return FAIL(PF("valid_end_time"), "SPC_PROMO_VALID_TIME",
                    "must be later than valid_start_time");
    }
#undef PF
  }
  return SP_OK;
}

static sp_rc landing(const spc *r, sp_err *e) {
  char f[96];
  if (!r->landing_page_urls.set || r->landing_page_urls.n == 0) return SP_OK;
  const spc_landing *l = r->landing_page_urls.v;
  int multi = r->landing_page_urls.n > 1;
  for (size_t i = 0; i < r->landing_page_urls.n; i++) {
    if (!has(&l[i].landing_page_url)) {
      snprintf(f, sizeof f, "landing_page_urls[%zu].landing_page_url", i);
      return FAIL(f, "SPC_LANDING_PAGE_URL",
                  "is required when landing_page_urls is passed");
    }
    if (l[i].video_id.set || l[i].tiktok_item_id.set) multi = 1;
  }
  if (!multi) return SP_OK;
  if (!(eq(&r->objective_type, "WEB_CONVERSIONS") &&
        eq(&r->promotion_type, "WEBSITE") && spc_type_unset(r)))
    return FAIL("landing_page_urls", "SPC_LANDING_PAGE_MODE",
                "multiple landing page mode (several URLs, or video_id / "
                "tiktok_item_id per URL) is only for WEB_CONVERSIONS with "
                "promotion_type WEBSITE and spc_type UNSET or not passed; "
                "single landing page mode takes 0 to 1 URL");
  if (r->landing_page_urls.n != r->media_info_list.n)
    return FAIL("landing_page_urls", "SPC_LANDING_PAGE_MODE",
                "in multiple landing page mode the number of URLs (%zu) must "
                "equal the number of videos in media_info_list (%zu)",
                r->landing_page_urls.n, r->media_info_list.n);
  for (size_t i = 0; i < r->landing_page_urls.n; i++) {
    /* every URL names one media of the list, by video_id or tiktok_item_id */
    int found = 0;
    for (size_t k = 0; k < r->media_info_list.n && !found; k++) {
      const spc_media_info *m = media_at(r, k);
      const spc_video_info *v = m->video_info.set ? m->video_info.v : NULL;
      if (is_spark(m))
        found = eq(&l[i].tiktok_item_id, m->tiktok_item_id.v);
      else
        found = v && eq(&l[i].video_id, v->video_id.v);
    }
    if (!found) {
      snprintf(f, sizeof f, "landing_page_urls[%zu]", i);
      return FAIL(f, "SPC_LANDING_PAGE_MODE",
                  "in multiple landing page mode needs the video_id (non-Spark "
                  "Ad) or tiktok_item_id (Spark Ad) of one item of "
                  "media_info_list");
    }
  }
  return SP_OK;
}

static sp_rc utm(const spc *r, sp_err *e) {
  char f[64];
  if (!r->utm_params.set || r->utm_params.n == 0) return SP_OK;
  if (!eq(&r->objective_type, "WEB_CONVERSIONS"))
    return FAIL("utm_params", "SPC_UTM_WEB",
                "is valid only when objective_type is WEB_CONVERSIONS");
  const spc_utm *u = r->utm_params.v;
  for (size_t i = 0; i < r->utm_params.n; i++) {
    if (!has(&u[i].key) || !has(&u[i].value)) {
      snprintf(f, sizeof f, "utm_params[%zu].%s", i,
               has(&u[i].key) ? "value" : "key");
      return FAIL(f, "SPC_UTM_PAIR", "is required: each URL parameter is a "
                                     "key and a value");
    }
    const char *v = u[i].value.v;
    size_t n = strlen(v);
    if (n > 4 && !strncmp(v, "__", 2) && !strcmp(v + n - 2, "__")) {
      int ok = 0;
      for (const char *const *m = macros; *m; m++) ok |= !strcmp(*m, v);
      if (!ok) {
        snprintf(f, sizeof f, "utm_params[%zu].value", i);
        return FAIL(f, "SPC_UTM_MACRO",
                    "\"%.40s\" is not a supported macro; supported: "
                    "__CAMPAIGN_NAME__, __CAMPAIGN_ID__, __AID_NAME__, "
                    "__AID__, __CID_NAME__, __CID__, __PLACEMENT__",
                    v);
      }
    }
  }
  return SP_OK;
}

static sp_rc disclaimer(const spc *r, sp_err *e) {
  if (!r->disclaimer_info.set) return SP_OK;
  if (!eq(&r->sales_destination, "WEB_AND_APP"))
    return FAIL("disclaimer_info", "SPC_DISCLAIMER_WEB_AND_APP",
                "is valid only when sales_destination is WEB_AND_APP");
  const spc_disclaimer *d = r->disclaimer_info.v;
  if (!d->disclaimer_type.set)
    return FAIL("disclaimer_info.disclaimer_type", "SPC_DISCLAIMER",
                "is required: TEXT_LINK or TEXT_ONLY");
  if (eq(&d->disclaimer_type, "TEXT_ONLY") &&
      (!d->disclaimer_text.set ||
       !has(&((const spc_disclaimer_text *)d->disclaimer_text.v)->text)))
    return FAIL("disclaimer_info.disclaimer_text", "SPC_DISCLAIMER",
                "is required when disclaimer_type is TEXT_ONLY (text up to 90 "
                "characters)");
  if (eq(&d->disclaimer_type, "TEXT_LINK")) {
    if (!d->disclaimer_clickable_texts.set ||
        d->disclaimer_clickable_texts.n == 0)
      return FAIL("disclaimer_info.disclaimer_clickable_texts",
                  "SPC_DISCLAIMER",
                  "is required when disclaimer_type is TEXT_LINK (1 to 3)");
    const spc_disclaimer_link *l = d->disclaimer_clickable_texts.v;
    size_t total = 0;
    for (size_t i = 0; i < d->disclaimer_clickable_texts.n; i++) {
      if (!has(&l[i].text) || !has(&l[i].url)) {
        char f[96];
        snprintf(f, sizeof f,
                 "disclaimer_info.disclaimer_clickable_texts[%zu].%s", i,
                 has(&l[i].text) ? "url" : "text");
        return FAIL(f, "SPC_DISCLAIMER", "is required for a clickable "
                                         "disclaimer");
      }
      total += sp_text_width(l[i].text.v);
    }
    if (total > 40)
      return FAIL("disclaimer_info.disclaimer_clickable_texts",
                  "SPC_DISCLAIMER_TOTAL",
                  "the texts of all clickable disclaimers together are %zu "
                  "characters; the limit is 40",
                  total);
  }
  return SP_OK;
}

static sp_rc tracking(const spc *r, sp_err *e) {
  if (has(&r->tracking_app_id) && !eq(&r->objective_type, "WEB_CONVERSIONS"))
    return FAIL("tracking_app_id", "SPC_TRACKING_APP_WEB",
                "is valid only when objective_type is WEB_CONVERSIONS");
  if (!r->app_tracking_info_list.set || r->app_tracking_info_list.n == 0)
    return SP_OK;
  if (!eq(&r->sales_destination, "WEB_AND_APP"))
    return FAIL("app_tracking_info_list", "SPC_APP_TRACKING",
                "is valid only when sales_destination is WEB_AND_APP");
  const spc_app_tracking *t = r->app_tracking_info_list.v;
  char f[80];
  for (size_t i = 0; i < r->app_tracking_info_list.n; i++) {
    const char *miss = !t[i].app_type.set    ? "app_type"
                       : !has(&t[i].app_id) ? "app_id"
                       : (!has(&t[i].impression_tracking_url) &&
                          !has(&t[i].click_tracking_url))
                           ? "impression_tracking_url"
                           : NULL;
    if (miss) {
      snprintf(f, sizeof f, "app_tracking_info_list[%zu].%s", i, miss);
      return FAIL(f, "SPC_APP_TRACKING",
                  "is required: app_type, app_id and impression_tracking_url "
                  "or click_tracking_url or both");
    }
  }
  return SP_OK;
}

sp_rc spc_check_merged(const spc *r, int64_t now, unsigned changed, sp_err *e) {
  sp_rc rc;
  if ((rc = required(r, e))) return rc;
  if ((rc = objective(r, e))) return rc;
  if ((rc = web_type(r, e))) return rc;
  if ((rc = sales(r, e))) return rc;
  if ((rc = app_campaign(r, e))) return rc;
  if ((rc = catalog(r, e))) return rc;
  if ((rc = optimization(r, e))) return rc;
  if ((rc = deep_funnel(r, e))) return rc;
  if ((rc = bidding(r, e))) return rc;
  if ((rc = attribution(r, e))) return rc;
  if ((rc = targeting(r, e))) return rc;
  if ((rc = budget_schedule(r, now, changed & SPC_CHANGED_START, e))) return rc;
  if ((rc = media(r, e))) return rc;
  if ((rc = texts(r, e))) return rc;
  if ((rc = promos(r, now, changed & SPC_CHANGED_PROMO, e))) return rc;
  if ((rc = landing(r, e))) return rc;
  if ((rc = utm(r, e))) return rc;
  if ((rc = disclaimer(r, e))) return rc;
  if ((rc = tracking(r, e))) return rc;
  return SP_OK;
}

sp_rc spc_check_create(const spc *r, int64_t now, sp_err *e) {
  return spc_check_merged(r, now, SPC_CHANGED_START | SPC_CHANGED_PROMO, e);
}

/* ------------------------------------------------------------------ update */

static int str_same(const sp_opt_str *a, const sp_opt_str *b) {
  if (!a->set || !b->set) return a->set == b->set;
  return strcmp(a->v, b->v) == 0;
}

sp_rc spc_check_update(const spc *old, const spc *patch, sp_err *e) {
#define ONCE_STR(m)                                                           \
  if (patch->m.set && !str_same(&old->m, &patch->m))                          \
    return FAIL(#m, "SPC_UPDATE_IMMUTABLE",                                   \
                "cannot be updated after the campaign is created");
#define ONCE_BOOL(m)                                                          \
  if (patch->m.set && (!old->m.set || old->m.v != patch->m.v))                \
    return FAIL(#m, "SPC_UPDATE_IMMUTABLE",                                   \
                "cannot be updated after the campaign is created");
  ONCE_STR(objective_type)
  ONCE_STR(spc_type)
  ONCE_STR(vbo_window)
  ONCE_STR(click_attribution_window)
  ONCE_STR(engaged_view_attribution_window)
  ONCE_STR(view_attribution_window)
  ONCE_STR(attribution_event_count)
  ONCE_STR(placement_type)
  ONCE_STR(budget_mode)
  ONCE_BOOL(is_advanced_dedicated_campaign)
  ONCE_BOOL(disable_skan_campaign)
  ONCE_BOOL(video_download_disabled)
#undef ONCE_STR
#undef ONCE_BOOL
  if (patch->placements.set) {
    int same = old->placements.set && old->placements.n == patch->placements.n;
    for (size_t i = 0; same && i < patch->placements.n; i++)
      same = !strcmp(old->placements.v[i], patch->placements.v[i]);
    if (!same)
      return FAIL("placements", "SPC_UPDATE_IMMUTABLE",
                  "cannot be updated after the campaign is created");
  }
  if (patch->location_ids.set && old->location_ids.set) {
    int had_us = 0, has_us = 0;
    for (size_t i = 0; i < old->location_ids.n; i++)
      had_us |= !strcmp(old->location_ids.v[i], "6252001");
    for (size_t i = 0; i < patch->location_ids.n; i++)
      has_us |= !strcmp(patch->location_ids.v[i], "6252001");
    if (had_us && !has_us)
      return FAIL("location_ids", "SPC_US_LOCATION_KEPT",
                  "the US (6252001) was a target location and cannot be "
                  "removed after campaign creation");
  }
  return SP_OK;
}

/* ---------------------------------------------------------------- defaults */

static const char *ALL_ONES =
    "111111111111111111111111111111111111111111111111"
    "111111111111111111111111111111111111111111111111"
    "111111111111111111111111111111111111111111111111"
    "111111111111111111111111111111111111111111111111"
    "111111111111111111111111111111111111111111111111"
    "111111111111111111111111111111111111111111111111"
    "111111111111111111111111111111111111111111111111";

static const char *AUTO_PLACEMENTS[] = {"PLACEMENT_TIKTOK", "PLACEMENT_PANGLE"};
static const char *TIKTOK_PLACEMENT[] = {"PLACEMENT_TIKTOK"};

#define DEF_STR(m, val) \
  if (!r->m.set) { r->m.set = 1; r->m.v = (val); }
#define DEF_BOOL(m, val) \
  if (!r->m.set) { r->m.set = 1; r->m.v = (val); }

void spc_defaults(spc *r) {
  DEF_STR(operation_status, "ENABLE")
  DEF_STR(spc_type, "UNSET")
  if (eq(&r->spc_type, "WEB_ALL_IN_ONE")) DEF_STR(web_all_in_one_catalog_status, "UNSET")
  DEF_STR(campaign_type, "REGULAR_CAMPAIGN")
  /* request default OFF; the response example shows UNSET when not passed */
  DEF_STR(campaign_app_profile_page_state, "UNSET")
  DEF_BOOL(is_advanced_dedicated_campaign, 0)
  DEF_STR(gender, "GENDER_UNLIMITED")
  DEF_STR(spc_audience_age, "18+")
  DEF_BOOL(exclude_age_under_eighteen, 1)
  DEF_STR(budget_mode, "BUDGET_MODE_DAY")
  DEF_STR(deep_bid_type, "DEFAULT")
  if (!r->bid_type.set) DEF_STR(bid_type, "BID_TYPE_NO_BID")
  if (eq(&r->promotion_type, "LEAD_GENERATION"))
    DEF_STR(deep_funnel_optimization_status, "OFF")
  if (!r->click_attribution_window.set && !r->view_attribution_window.set &&
      !r->engaged_view_attribution_window.set &&
      !r->attribution_event_count.set) {
    DEF_STR(click_attribution_window, "SEVEN_DAYS")
    DEF_STR(engaged_view_attribution_window, "SEVEN_DAYS")
    DEF_STR(view_attribution_window, "ONE_DAY")
    DEF_STR(attribution_event_count, "ONCE")
  }
  DEF_STR(dayparting, ALL_ONES)
  DEF_BOOL(comment_disabled, 0)
  DEF_BOOL(share_disabled, 0)
  DEF_BOOL(video_download_disabled, 0)
  if (!any_spark(r)) DEF_STR(identity_type, "CUSTOMIZED_USER")
  DEF_STR(deeplink, "")
  if (!r->languages.set) { r->languages.set = 1; r->languages.n = 0; }
  if (!r->call_to_action_list.set) {
    r->call_to_action_list.set = 1;
    r->call_to_action_list.n = 0;
  }
  /* seeds/003: placements of App and Web campaigns are configured by the
   * system (provided values are overwritten); Lead Generation: TikTok */
  if (eq(&r->promotion_type, "LEAD_GENERATION")) {
    r->placement_type.set = 1;
    r->placement_type.v = "PLACEMENT_TYPE_NORMAL";
    r->placements.set = 1;
    r->placements.n = 1;
    r->placements.v = TIKTOK_PLACEMENT;
  } else {
    r->placement_type.set = 1;
    r->placement_type.v = "PLACEMENT_TYPE_AUTOMATIC";
    r->placements.set = 1;
    r->placements.n = 2;
    r->placements.v = AUTO_PLACEMENTS;
  }
  /* response-only members the example shows */
  r->is_smart_performance_campaign.set = 1;
  r->is_smart_performance_campaign.v = 1;
  r->skip_learning_phase.set = 1;
  r->skip_learning_phase.v = 1;
  r->scheduled_budget.set = 1;
  r->scheduled_budget.v = 0;
  if (eq(&r->promotion_type, "APP_ANDROID") || eq(&r->promotion_type, "APP_IOS")) {
    r->app_type.set = 1;
    r->app_type.v = r->promotion_type.v;
  }
}

/* ------------------------------------------------------------------ manual */

sp_rc spc_check_manual(const spc_manual *m, sp_err *e) {
  if (!m->advertiser_id.set)
    return FAIL("advertiser_id", "MANUAL_REQUIRED", "is required");
  if (!has(&m->campaign_name))
    return FAIL("campaign_name", "MANUAL_REQUIRED", "is required");
  if (!m->objective_type.set)
    return FAIL("objective_type", "MANUAL_REQUIRED", "is required");
  if (!m->budget_mode.set)
    return FAIL("budget_mode", "MANUAL_REQUIRED", "is required");
  if (!eq(&m->budget_mode, "BUDGET_MODE_INFINITE") &&
      !(m->budget.set && m->budget.v > 0))
    return FAIL("budget", "MANUAL_BUDGET",
                "is required and must be greater than 0 unless budget_mode is "
                "BUDGET_MODE_INFINITE");
  return SP_OK;
}
