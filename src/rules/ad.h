/*
 * rules/ad.h - the seeds' rules for Upgraded Smart+ ads (../shared/seeds/001:
 * formats, creatives, identities, Spark Ads, texts, CTAs and destinations).
 * Pure: the caller supplies the campaign, the ad group and what the
 * campaign's other ads are (Spark or not).
 */
#ifndef SP_RULES_AD_H
#define SP_RULES_AD_H

#include <jansson.h>

#include "../model/objects.h"

#define RULES_MAX_CREATIVES 50 /* seeds 001 (the spec says 31) */
#define RULES_MAX_CAROUSEL_IMAGES 35
#define RULES_MAX_AD_TEXTS 5
#define RULES_MAX_CTAS 3

/* What an ad's rules read beyond the ad: no ad rule reads its ad group
 * (the server only checks that it exists), so the context holds none. */
typedef struct rules_ad_ctx {
  /* only objective_type is read (api/ad.c fills no other field: a rule
   * that needs more must have api/ad.c's load_env decode it) */
  const sp_campaign *campaign;
  /* the campaign's other ads that are not deleted: -1 none, 0 non-Spark,
   * 1 Spark */
  int others_spark;
} rules_ad_ctx;

/* Bring the seeds' request shapes to the spec's before decoding: standard
 * CTAs given as strings ("Shop Now") become {"call_to_action": "SHOP_NOW"},
 * a top-level deeplink/deeplink_type becomes deeplink_list, a music_info
 * array of one becomes the object. Refuses what cannot be mapped. */
sp_rc rules_ad_normalize(json_t *body, sp_err *e);
/* The top-level keys rules_ad_normalize rewrites (NULL-terminated): a body
 * holding one must be normalized, so decoded from its tree. */
extern const char *const rules_ad_rewritten_keys[];

void rules_ad_defaults(sp_ad *ad);

/* 1 if every creative is a Spark Ad (tiktok_item_id), 0 if none is, 2 if
 * mixed, -1 without creatives. */
int rules_ad_spark(const sp_ad *ad);

sp_rc rules_ad_check(const sp_ad *ad, const rules_ad_ctx *x, sp_err *e);

/* ad/update may not move an ad to another ad group (repeating the ad
 * group `old` is in is not a move). */
sp_rc rules_ad_update_allowed(const sp_ad *old, const sp_ad *patch, sp_err *e);

#endif
