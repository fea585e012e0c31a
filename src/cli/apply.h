/*
 * cli/apply.h - `smartplus apply`: create a plan (one campaign, up to 30
 * ad groups, their ads) against smartplusd or the live API, threading ids
 * from call to call, idempotent across re-runs, rolled back on failure.
 * The scheme is described in docs/migrate.md ("apply").
 */
#ifndef SP_CLI_APPLY_H
#define SP_CLI_APPLY_H

#include <jansson.h>
#include <stdint.h>

/* The request_id apply sends for one create: a decimal 62-bit number
 * derived from the parent's request_id (or "" for the campaign), the
 * entry's position, its body (keys sorted, advertiser_id and parent id
 * left out) and a generation (bumped when the object it names was deleted).
 * Written to out (at least 21 bytes). */
void sp_apply_request_id(const char *salt, const char *parent, size_t index,
                         json_t *body, unsigned generation, char *out);

/* `smartplus apply ...` (argv[0] is "apply"). */
int sp_apply_main(int argc, char **argv);

#endif
