/*
 * rules/campaign.c - campaign rules from ../shared/seeds/001 (budget
 * strategy table) and the spec's enums (checked earlier by the decoder).
 * Must never do I/O or read the clock: it runs offline in `smartplus lint`.
 */
#include "campaign.h"

#include <string.h>

#include "../core/text.h"

static int eq(const sp_opt_str *s, const char *v) {
  return s->set && strcmp(s->v, v) == 0;
}

int rules_budget_mode_is_daily(const char *m) {
  return m && (strcmp(m, "BUDGET_MODE_DAY") == 0 ||
               strcmp(m, "BUDGET_MODE_DYNAMIC_DAILY_BUDGET") == 0);
}

int rules_budget_mode_is_lifetime(const char *m) {
  return m && strcmp(m, "BUDGET_MODE_TOTAL") == 0;
}

void rules_campaign_defaults(sp_campaign *c) {
  /* seeds 001: "budget_optimize_on ... true (default)" */
  if (!c->budget_optimize_on.set) {
    c->budget_optimize_on.set = 1;
    c->budget_optimize_on.v = 1;
  }
  /* CBO off without a mode: no campaign-level budget (seeds 001 example 2) */
  if (!c->budget_optimize_on.v && !c->budget_mode.set) {
    c->budget_mode.set = 1;
    c->budget_mode.v = "BUDGET_MODE_INFINITE";
  }
  if (eq(&c->budget_mode, "BUDGET_MODE_INFINITE") && !c->budget.set) {
    c->budget.set = 1;
    c->budget.v = 0.0;
  }
  if (!c->operation_status.set) {
    c->operation_status.set = 1;
    c->operation_status.v = "ENABLE";
  }
  if (!c->campaign_type.set) {
    c->campaign_type.set = 1;
    c->campaign_type.v = "REGULAR_CAMPAIGN";
  }
  if (eq(&c->objective_type, "WEB_CONVERSIONS") && !c->sales_destination.set) {
    c->sales_destination.set = 1;
    c->sales_destination.v = "WEBSITE";
  }
  if (!c->is_advanced_dedicated_campaign.set) {
    c->is_advanced_dedicated_campaign.set = 1;
    c->is_advanced_dedicated_campaign.v = 1;
  }
  if (!c->smart_plus_adgroup_mode.set) {
    c->smart_plus_adgroup_mode.set = 1;
    c->smart_plus_adgroup_mode.v = "MULTI_ADGROUP";
  }
}

static sp_rc check_name(const sp_opt_str *n, const char *field, sp_err *e) {
  if (!n->set)
    return sp_fail(e, SP_E_PARAM, field, "CAMPAIGN_REQUIRED",
                   "is required");
  const char *p = n->v;
  while (*p == ' ' || *p == '\t') p++;
  if (!*p)
    return sp_fail(e, SP_E_PARAM, field, "NAME_NOT_EMPTY",
                   "must not be empty");
  if (sp_text_has_emoji(n->v))
    return sp_fail(e, SP_E_PARAM, field, "NAME_NO_EMOJI",
                   "must not contain emoji");
  return SP_OK;
}

sp_rc rules_campaign_check(const sp_campaign *c, sp_err *e) {
  sp_rc rc;
  /* seeds 001: "The only other required fields are advertiser_id and
   * campaign_name" besides objective_type. */
  if (!c->advertiser_id.set)
    return sp_fail(e, SP_E_PARAM, "advertiser_id", "CAMPAIGN_REQUIRED",
                   "is required");
  if ((rc = check_name(&c->campaign_name, "campaign_name", e))) return rc;
  if (!c->objective_type.set)
    return sp_fail(e, SP_E_PARAM, "objective_type", "CAMPAIGN_REQUIRED",
                   "is required (WEB_CONVERSIONS for Web Conversions)");

  int cbo = !c->budget_optimize_on.set || c->budget_optimize_on.v;
  const char *mode = c->budget_mode.set ? c->budget_mode.v : NULL;

  if (cbo) {
    /* seeds 001 table: CBO on -> BUDGET_MODE_TOTAL or
     * BUDGET_MODE_DYNAMIC_DAILY_BUDGET, budget required at campaign level */
    if (!mode)
      return sp_fail(e, SP_E_PARAM, "budget_mode", "CAMPAIGN_CBO_BUDGET_MODE",
                     "is required when budget_optimize_on is true (CBO); use "
                     "BUDGET_MODE_TOTAL or BUDGET_MODE_DYNAMIC_DAILY_BUDGET");
    if (strcmp(mode, "BUDGET_MODE_TOTAL") != 0 &&
        strcmp(mode, "BUDGET_MODE_DYNAMIC_DAILY_BUDGET") != 0)
      return sp_fail(e, SP_E_PARAM, "budget_mode", "CAMPAIGN_CBO_BUDGET_MODE",
                     "%s is not allowed when budget_optimize_on is true (CBO); "
                     "allowed: BUDGET_MODE_TOTAL, "
                     "BUDGET_MODE_DYNAMIC_DAILY_BUDGET",
                     mode);
    if (!c->budget.set || c->budget.v <= 0)
      return sp_fail(e, SP_E_PARAM, "budget", "CAMPAIGN_CBO_BUDGET_REQUIRED",
                     "is required when budget_optimize_on is true (CBO): all "
                     "ad groups share the campaign budget");
  } else {
    /* seeds 001 table: CBO off -> BUDGET_MODE_INFINITE, BUDGET_MODE_DAY or
     * BUDGET_MODE_TOTAL; budgets are set on each ad group */
    if (mode && strcmp(mode, "BUDGET_MODE_INFINITE") != 0 &&
        strcmp(mode, "BUDGET_MODE_DAY") != 0 &&
        strcmp(mode, "BUDGET_MODE_TOTAL") != 0)
      return sp_fail(e, SP_E_PARAM, "budget_mode",
                     "CAMPAIGN_NOCBO_BUDGET_MODE",
                     "%s is not allowed when budget_optimize_on is false; "
                     "allowed: BUDGET_MODE_INFINITE, BUDGET_MODE_DAY, "
                     "BUDGET_MODE_TOTAL",
                     mode);
    if (mode && strcmp(mode, "BUDGET_MODE_INFINITE") == 0) {
      if (c->budget.set && c->budget.v != 0)
        return sp_fail(e, SP_E_PARAM, "budget", "CAMPAIGN_INFINITE_NO_BUDGET",
                       "must not be set with BUDGET_MODE_INFINITE (no "
                       "campaign-level budget; set budgets on the ad groups)");
    } else if (mode && (!c->budget.set || c->budget.v <= 0)) {
      return sp_fail(e, SP_E_PARAM, "budget", "CAMPAIGN_BUDGET_REQUIRED",
                     "is required with %s", mode);
    }
  }
  if (c->budget.set && c->budget.v > 0 &&
      c->budget.v < RULES_CAMPAIGN_MIN_BUDGET)
    return sp_fail(e, SP_E_PARAM, "budget", "CAMPAIGN_BUDGET_MIN",
                   "%.2f is below the minimum campaign budget of %.2f",
                   c->budget.v, RULES_CAMPAIGN_MIN_BUDGET);

  /* objective-specific fields (spec: app_promotion_type / app_id belong to
   * APP_PROMOTION; sales_destination to WEB_CONVERSIONS) */
  int web = eq(&c->objective_type, "WEB_CONVERSIONS");
  int app = eq(&c->objective_type, "APP_PROMOTION");
  if (!app && c->app_promotion_type.set)
    return sp_fail(e, SP_E_PARAM, "app_promotion_type",
                   "CAMPAIGN_OBJECTIVE_FIELDS",
                   "is only allowed with objective_type APP_PROMOTION");
  if (!app && c->app_id.set)
    return sp_fail(e, SP_E_PARAM, "app_id", "CAMPAIGN_OBJECTIVE_FIELDS",
                   "is only allowed with objective_type APP_PROMOTION");
  if (app && !c->app_promotion_type.set)
    return sp_fail(e, SP_E_PARAM, "app_promotion_type",
                   "CAMPAIGN_OBJECTIVE_FIELDS",
                   "is required with objective_type APP_PROMOTION");
  if (!web && c->sales_destination.set)
    return sp_fail(e, SP_E_PARAM, "sales_destination",
                   "CAMPAIGN_OBJECTIVE_FIELDS",
                   "is only allowed with objective_type WEB_CONVERSIONS");
  if (c->catalog_type.set &&
      !(c->catalog_enabled.set && c->catalog_enabled.v))
    return sp_fail(e, SP_E_PARAM, "catalog_type", "CAMPAIGN_CATALOG",
                   "requires catalog_enabled: true");
  if (c->postback_window_mode.set && !eq(&c->campaign_type, "IOS14_CAMPAIGN"))
    return sp_fail(e, SP_E_PARAM, "postback_window_mode",
                   "CAMPAIGN_POSTBACK_WINDOW",
                   "is only allowed with campaign_type IOS14_CAMPAIGN");
  if (c->operation_status.set && eq(&c->operation_status, "FROZEN") &&
      !c->campaign_id.set)
    return sp_fail(e, SP_E_PARAM, "operation_status", "CAMPAIGN_FROZEN",
                   "FROZEN (terminated) cannot be used to create a campaign; "
                   "use ENABLE or DISABLE");
  return SP_OK;
}

#define IMMUTABLE(member)                                                    \
  do {                                                                       \
    if (patch->member.set)                                                   \
      return sp_fail(e, SP_E_PARAM, #member, "CAMPAIGN_IMMUTABLE",           \
                     "cannot be changed after the campaign is created; "     \
                     "campaign/update accepts campaign_name, budget and "    \
                     "po_number");                                           \
  } while (0)

sp_rc rules_campaign_update_allowed(const sp_campaign *old,
                                    const sp_campaign *patch, sp_err *e) {
  (void)old;
  IMMUTABLE(objective_type);
  IMMUTABLE(budget_optimize_on);
  IMMUTABLE(budget_mode);
  IMMUTABLE(sales_destination);
  IMMUTABLE(campaign_type);
  IMMUTABLE(app_promotion_type);
  IMMUTABLE(app_id);
  IMMUTABLE(catalog_enabled);
  IMMUTABLE(catalog_type);
  IMMUTABLE(special_industries);
  IMMUTABLE(bid_align_type);
  IMMUTABLE(postback_window_mode);
  IMMUTABLE(campaign_app_profile_page_state);
  IMMUTABLE(disable_skan_campaign);
  IMMUTABLE(is_advanced_dedicated_campaign);
  IMMUTABLE(is_promotional_campaign);
  if (patch->operation_status.set)
    return sp_fail(e, SP_E_PARAM, "operation_status", "CAMPAIGN_STATUS_VIA",
                   "is changed with smart_plus/campaign/status/update/, not "
                   "campaign/update");
  return SP_OK;
}
