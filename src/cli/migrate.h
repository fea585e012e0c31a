/*
 * cli/migrate.h - `smartplus migrate`: turn a legacy campaign/spc/create
 * request (one call: campaign, its single ad group and ad) into a plan of
 * the three Upgraded Smart+ requests, with a report of what happened to
 * every legacy field. The mapping decisions are in docs/migrate.md.
 */
#ifndef SP_CLI_MIGRATE_H
#define SP_CLI_MIGRATE_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* Migrate `legacy` (not modified). On success returns 0 and sets *plan
 * ({"campaign": {...}, "adgroups": [{..., "ads": [{...}]}]}) and *report
 * (an array of {legacy_field, action, upgraded_field, note}; action is
 * mapped, changed, dropped, or added for upgraded fields the legacy request
 * had no counterpart for). Both are new references. Returns -1 with a
 * message in err when `legacy` is not a JSON object. */
int sp_migrate(json_t *legacy, json_t **plan, json_t **report, char *err,
               size_t errlen);

/* The report as a table, one row per field. */
void sp_migrate_report_text(json_t *report, FILE *out);

/* `smartplus migrate ...` (argv[0] is "migrate"). */
int sp_migrate_main(int argc, char **argv);

#endif
