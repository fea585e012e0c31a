/*
 * cli/lint.c - offline checks of a plan. The plan has the shape of the
 * three Upgraded Smart+ requests: {"campaign": {...}, "adgroups": [...],
 * "ads": [...]}. Verdicts come from the same sp_decode + src/rules code the
 * server runs, so a message here is the message smartplusd would answer.
 *
 * Campaign checks exist today; ad groups and ads join when their rules do.
 */
#include "lint.h"

#include <string.h>

#include "../model/objects.h"
#include "../rules/campaign.h"

static int report(FILE *out, const char *where, const sp_err *e) {
  char msg[1024];
  sp_err_format(e, msg, sizeof msg);
  fprintf(out, "error: %s: %s\n", where, msg);
  return 1;
}

int sp_lint_plan(json_t *plan, FILE *out) {
  int errors = 0;
  sp_arena *a = sp_arena_create();
  json_t *camp = json_object_get(plan, "campaign");
  if (!camp && json_object_get(plan, "campaign_name")) camp = plan;
  if (!camp) {
    fprintf(out, "error: plan: has no \"campaign\" object\n");
    sp_arena_destroy(a);
    return 1;
  }
  sp_err e;
  sp_err_clear(&e);
  sp_campaign *c = sp_arena_alloc(a, sizeof *c);
  if (sp_decode(&sp_campaign_schema, camp, c, 1, a, "", &e) != SP_OK) {
    errors += report(out, "campaign", &e);
  } else {
    rules_campaign_defaults(c);
    if (!c->advertiser_id.set) { /* a plan may leave it to `apply` */
      c->advertiser_id.set = 1;
      c->advertiser_id.v = 1;
    }
    if (rules_campaign_check(c, &e) != SP_OK) errors += report(out, "campaign", &e);
  }
  json_t *ags = json_object_get(plan, "adgroups");
  json_t *ads = json_object_get(plan, "ads");
  if ((ags && json_array_size(ags)) || (ads && json_array_size(ads)))
    fprintf(out,
            "note: ad group and ad checks are not in this build yet; only the "
            "campaign was checked\n");
  if (!errors) fprintf(out, "ok: campaign\n");
  sp_arena_destroy(a);
  return errors;
}
