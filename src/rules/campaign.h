/*
 * rules/campaign.h - the seeds' rules for Upgraded Smart+ campaigns.
 *
 * Pure functions: no I/O, no clock, no allocation outside the caller's
 * arena. smartplusd and `smartplus lint` call exactly these. Every check
 * carries a rule tag (sp_err.rule) that its test repeats.
 */
#ifndef SP_RULES_CAMPAIGN_H
#define SP_RULES_CAMPAIGN_H

#include "../model/objects.h"

/* Smallest campaign budget the live API accepts (help centre, USD). */
#define RULES_CAMPAIGN_MIN_BUDGET 50.0

/* Fill the defaults a create implies (budget_optimize_on = true, ...). */
void rules_campaign_defaults(sp_campaign *c);

/* Check a whole campaign as it would be stored: after defaults on create,
 * after merging on update. Returns SP_OK or SP_E_PARAM with e filled. */
sp_rc rules_campaign_check(const sp_campaign *c, sp_err *e);

/* Check that an update request only changes what may change after
 * creation (budget_mode, budget_optimize_on, objective_type,
 * sales_destination and the other set-once fields may not). */
sp_rc rules_campaign_update_allowed(const sp_campaign *old,
                                    const sp_campaign *patch, sp_err *e);

/* The kinds of budget a campaign has, as later rules (ad groups, Cost Cap)
 * need to read them. */
int rules_budget_mode_is_daily(const char *mode);    /* DAY, DYNAMIC_DAILY */
int rules_budget_mode_is_lifetime(const char *mode); /* TOTAL */

#endif
