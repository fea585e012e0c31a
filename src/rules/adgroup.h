/*
 * rules/adgroup.h - the seeds' rules for Upgraded Smart+ ad groups
 * (../shared/seeds/001: goals, billing, bidding, budgets under and without
 * CBO, schedule, placements, targeting modes, CBO uniformity, 30 per
 * campaign). Pure: the caller supplies the campaign, the pixel and the
 * campaign's other ad groups; nothing here reads the store or the clock.
 */
#ifndef SP_RULES_ADGROUP_H
#define SP_RULES_ADGROUP_H

#include "../model/objects.h"

#define RULES_MAX_ADGROUPS 30        /* per campaign (seeds 001) */
#define RULES_ADGROUP_MIN_DAILY 20.0 /* help centre: ad group daily > $20 */

typedef struct rules_adgroup_ctx {
  const sp_campaign *campaign;
  /* the pixel pixel_id names, or NULL when it names none of the
   * advertiser's pixels (or none was given) */
  const sp_pixel *pixel;
  /* the campaign's other ad groups that are not deleted: how many, and at
   * least one of them (siblings[0], the reference: they are uniform among
   * themselves, so one tells what all share), or NULL when there are none */
  const sp_adgroup *siblings;
  size_t n_siblings;
} rules_adgroup_ctx;

/* Defaults a create implies: bid_type NO_BID, targeting mode AUTOMATIC,
 * operation_status ENABLE, and SCHEDULE_FROM_NOW's start time (`now`). */
void rules_adgroup_defaults(sp_adgroup *g, int64_t now, sp_arena *a);

/* Check a whole ad group as it would be stored. */
sp_rc rules_adgroup_check(const sp_adgroup *g, const rules_adgroup_ctx *x,
                          sp_err *e);

/* What adgroup/update may not change (spec: placement_type, goal, event,
 * billing_event, promotion_type, budget_mode, campaign). A field repeated
 * with the value `old` has is not a change. */
sp_rc rules_adgroup_update_allowed(const sp_adgroup *old,
                                   const sp_adgroup *patch, sp_err *e);

/* 1 if the campaign runs with Campaign Budget Optimization. */
int rules_campaign_cbo(const sp_campaign *c);

#endif
