/*
 * advise.h - `smartplus advise`: the seeds' operating advice, applied to a
 * campaign's state and reports.
 *
 * The core is pure: a snapshot in, advice out. A snapshot is
 *   {"today": "YYYY-MM-DD",                       the server's date
 *    "expected_cpa": 15.0,                        optional
 *    "campaign": {...campaign get view...},
 *    "adgroups": [{...adgroup get view, with learning_status...}],
 *    "report": [{"adgroup_id": "...", "date": "YYYY-MM-DD",
 *                "spend": 480.1, "conversion": 31}, ...]}
 * and the CLI builds it from a server (campaign get, adgroup get,
 * report/integrated/get by ad group and day) or reads it from a file.
 *
 * Advice (seeds 000, 001, 002, 004):
 *   HOLD_EDITS      an ad group in learning: no edits to bid, budget,
 *                   audience or creative until ~50 results in 7 days
 *   BID_STEP        after learning: bid changes at most 15%, 2 days apart
 *   BUDGET_RAISE    spending 90%+ of the daily budget on each of the last 3
 *                   days: raise it by up to 30%
 *   BUDGET_FLOOR    daily budget under 10x the CPA (30x for Cost Cap)
 */
#ifndef SP_CLI_ADVISE_H
#define SP_CLI_ADVISE_H

#include <jansson.h>
#include <stdio.h>

/* The advice for a snapshot: a JSON array of {"rule", "level" (campaign |
 * adgroup), "id", "advice", "because"} (new reference). */
json_t *sp_advise(json_t *snapshot);

/* The same as readable lines. */
void sp_advise_print(json_t *advice, FILE *out);

/* `smartplus advise ...` */
int sp_advise_main(int argc, char **argv);

#endif
