/*
 * rules/spc.h - the rules of the LEGACY Smart+ API (../shared/seeds/003)
 * and its deprecation timeline (seeds 001/002).
 *
 * Pure functions: no I/O, no clock reads (`now` is a parameter, the
 * server clock's reading in unix seconds). Every failure names the field
 * (JSON path) and a rule tag that tests/rules/test_spc.c repeats.
 */
#ifndef SP_RULES_SPC_H
#define SP_RULES_SPC_H

#include <stdint.h>

#include "../model/spc.h"

/* Deadlines (UTC, unix seconds). "From day D" = from D 00:00:00 UTC. */
#define SPC_DEADLINE_CREATE 1774915200LL  /* 2026-03-31 00:00:00 */
#define SPC_DEADLINE_UPDATE 1782777600LL  /* 2026-06-30 00:00:00 */
#define SPC_DEADLINE_MANUAL 1798761600LL  /* 2027-01-01 00:00:00: "after 2026-12-31" */

/* Default Smart+ quota: active (ENABLE) legacy campaigns per advertiser.
 * seeds/003 names the quota but no number; see docs/legacy.md. The store
 * meta key "spc_quota" overrides it. */
#define SPC_QUOTA_DEFAULT 20

typedef enum spc_endpoint {
  SPC_EP_CREATE,        /* /campaign/spc/create/ */
  SPC_EP_UPDATE,        /* /campaign/spc/update/ */
  SPC_EP_STATUS,        /* /campaign/status/update/ */
  SPC_EP_MANUAL_CREATE, /* /campaign/create/ */
} spc_endpoint;

/* SP_OK before the endpoint's deadline; from it SP_E_OFFLINE (41001)
 * with a message naming the deadline and the replacing endpoint(s). */
sp_rc spc_timeline_check(spc_endpoint ep, int64_t now, sp_err *e);

/* Check a create request as the client sent it (before defaults).
 * `now` bounds schedule_start_time and promo valid_end_time. */
sp_rc spc_check_create(const spc *r, int64_t now, sp_err *e);

/* Same rules for a stored object merged with an update. The bounds that
 * depend on `now` apply only to what the update changes: the start time
 * (SPC_CHANGED_START) and the promo validity (SPC_CHANGED_PROMO), so a
 * running campaign stays editable. */
enum { SPC_CHANGED_START = 1u << 0, SPC_CHANGED_PROMO = 1u << 1 };
sp_rc spc_check_merged(const spc *r, int64_t now, unsigned changed, sp_err *e);

/* An update request may not change set-once fields (seeds/003 "Once set,
 * this field cannot be updated", "can not be updated after creation"),
 * nor remove the US from location_ids. */
sp_rc spc_check_update(const spc *old, const spc *patch, sp_err *e);

/* Defaults of a create (seeds/003 "Default value" lines and the values
 * its response example shows), and the placements the document says the
 * system overwrites. Strings are static. */
void spc_defaults(spc *r);

/* Quota: refuse (SP_E_LIMIT) when `active` enabled campaigns already fill
 * `quota`. */
sp_rc spc_check_quota(size_t active, size_t quota, sp_err *e);

/* The manual /campaign/create/ minimal body. */
sp_rc spc_check_manual(const spc_manual *m, sp_err *e);

/* Number of characters of a dayparting string. */
#define SPC_DAYPARTING_LEN 336

#endif
