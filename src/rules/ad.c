/*
 * rules/ad.c - ad rules of ../shared/seeds/001 (the ad section and the
 * common errors: Spark with non-Spark, BC_AUTH_TT without
 * identity_authorized_bc_id). No I/O, no clock.
 */
#include "ad.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../model/objects.h"

static int is(const sp_opt_str *s, const char *v) {
  if (!s->set) return 0;
  if (strcmp(s->v, v) == 0) return 1; /* the usual case: same spelling */
  return strcmp(sp_canonical(s->v), sp_canonical(v)) == 0;
}

/* "Shop Now" -> "SHOP_NOW" */
static void cta_enum(const char *in, char *out, size_t n) {
  size_t j = 0;
  for (size_t i = 0; in[i] && j + 1 < n; i++) {
    unsigned char ch = (unsigned char)in[i];
    if (ch == ' ' || ch == '-') out[j++] = '_';
    else out[j++] = (char)toupper(ch);
  }
  out[j] = '\0';
}

const char *const rules_ad_rewritten_keys[] = {"ad_configuration", "deeplink",
                                               "deeplink_type", NULL};

sp_rc rules_ad_normalize(json_t *body, sp_err *e) {
  /* seeds 001 puts standard CTAs in ad_configuration; the spec top-level */
  json_t *cfg = json_object_get(body, "ad_configuration");
  json_t *inner = json_is_object(cfg) ? json_object_get(cfg, "call_to_action_list") : NULL;
  if (inner) {
    if (json_object_get(body, "call_to_action_list"))
      return sp_fail(e, SP_E_PARAM, "ad_configuration.call_to_action_list",
                     "AD_CTA", "give call_to_action_list once, at the top level "
                     "or in ad_configuration");
    json_object_set(body, "call_to_action_list", inner);
    json_object_del(cfg, "call_to_action_list");
  }
  json_t *ctas = json_object_get(body, "call_to_action_list");
  if (json_is_array(ctas)) {
    size_t i;
    json_t *v;
    json_array_foreach(ctas, i, v) {
      if (!json_is_string(v)) continue;
      char buf[128];
      cta_enum(json_string_value(v), buf, sizeof buf);
      json_array_set_new(ctas, i, json_pack("{s:s}", "call_to_action", buf));
    }
  }
  json_t *dl = json_object_get(body, "deeplink");
  if (dl && !json_is_null(dl)) {
    if (json_object_get(body, "deeplink_list"))
      return sp_fail(e, SP_E_PARAM, "deeplink", "AD_DEEPLINK",
                     "give either deeplink (+ deeplink_type) or "
                     "deeplink_list, not both");
    json_t *type = json_object_get(body, "deeplink_type");
    json_t *item = json_object();
    json_object_set(item, "deeplink", dl);
    if (type) json_object_set(item, "deeplink_type", type);
    json_object_set_new(body, "deeplink_list", json_pack("[o]", item));
    json_object_del(body, "deeplink");
    json_object_del(body, "deeplink_type");
  }
  json_t *cl = json_object_get(body, "creative_list");
  if (json_is_array(cl)) {
    size_t i;
    json_t *c;
    json_array_foreach(cl, i, c) {
      json_t *info = json_object_get(c, "creative_info");
      json_t *music = json_object_get(info, "music_info");
      if (!json_is_array(music)) continue;
      if (json_array_size(music) > 1)
        return sp_fail(e, SP_E_PARAM,
                       "creative_list[].creative_info.music_info", "AD_MUSIC",
                       "a carousel takes at most one music track, got %zu",
                       json_array_size(music));
      if (json_array_size(music) == 1)
        json_object_set(info, "music_info", json_array_get(music, 0));
      else
        json_object_del(info, "music_info");
    }
  }
  return SP_OK;
}

void rules_ad_defaults(sp_ad *ad) {
  if (!ad->operation_status.set) {
    ad->operation_status.set = 1;
    ad->operation_status.v = "ENABLE";
  }
}

static const sp_creative_info *info_of(const sp_ad *ad, size_t i) {
  const sp_creative *c = (const sp_creative *)ad->creative_list.v + i;
  return c->creative_info.set ? c->creative_info.v : NULL;
}

int rules_ad_spark(const sp_ad *ad) {
  if (!ad->creative_list.set || ad->creative_list.n == 0) return -1;
  int spark = 0, plain = 0;
  for (size_t i = 0; i < ad->creative_list.n; i++) {
    const sp_creative_info *ci = info_of(ad, i);
    if (ci && ci->tiktok_item_id.set) spark = 1;
    else plain = 1;
  }
  return spark && plain ? 2 : spark;
}

static int http_url(const char *u) {
  const char *rest = NULL;
  if (strncmp(u, "https://", 8) == 0) rest = u + 8;
  else if (strncmp(u, "http://", 7) == 0) rest = u + 7;
  if (!rest || !*rest || *rest == '/' || strchr(u, ' ')) return 0;
  return 1;
}

/* https:// (universal / app link) or scheme://resource (custom scheme) */
static int deeplink_ok(const char *u) {
  const char *sep = strstr(u, "://");
  if (!sep || sep == u || !sep[3] || strchr(u, ' ')) return 0;
  for (const char *p = u; p < sep; p++)
    if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.')
      return 0;
  return isalpha((unsigned char)u[0]);
}

static sp_rc check_creative(const sp_creative_info *ci, size_t i, sp_err *e) {
  char f[160];
#define FIELD(name) (snprintf(f, sizeof f, "creative_list[%zu].creative_info%s", i, name), f)
  if (!ci)
    return sp_fail(e, SP_E_PARAM, FIELD(""), "AD_CREATIVE_INFO", "is required");
  if (!ci->ad_format.set)
    return sp_fail(e, SP_E_PARAM, FIELD(".ad_format"), "AD_FORMAT",
                   "is required: SINGLE_VIDEO or CAROUSEL (CAROUSEL_ADS)");
  int spark = ci->tiktok_item_id.set;
  if (is(&ci->ad_format, "SINGLE_VIDEO")) {
    if (!spark) {
      /* seeds 001 format table: video_info.video_id + image_info.web_uri */
      const sp_video_info *v = ci->video_info.set ? ci->video_info.v : NULL;
      if (!v || !v->video_id.set || !*v->video_id.v)
        return sp_fail(e, SP_E_PARAM, FIELD(".video_info.video_id"),
                       "AD_VIDEO_FIELDS",
                       "is required for an uploaded SINGLE_VIDEO (or give "
                       "tiktok_item_id for a Spark Ad)");
      const sp_image_info *im =
          ci->image_info.set && ci->image_info.n ? ci->image_info.v : NULL;
      if (!im || !im->web_uri.set || !*im->web_uri.v)
        return sp_fail(e, SP_E_PARAM, FIELD(".image_info[0].web_uri"),
                       "AD_VIDEO_FIELDS",
                       "a thumbnail is required for an uploaded SINGLE_VIDEO");
    }
  } else if (is(&ci->ad_format, "CAROUSEL_ADS")) {
    if (!ci->image_info.set || ci->image_info.n == 0)
      return sp_fail(e, SP_E_PARAM, FIELD(".image_info"), "AD_CAROUSEL",
                     "a carousel needs 1 to %d images",
                     RULES_MAX_CAROUSEL_IMAGES);
    for (size_t k = 0; k < ci->image_info.n; k++) {
      const sp_image_info *im = (const sp_image_info *)ci->image_info.v + k;
      if (!im->web_uri.set || !*im->web_uri.v) {
        snprintf(f, sizeof f, "creative_list[%zu].creative_info.image_info[%zu].web_uri", i, k);
        return sp_fail(e, SP_E_PARAM, f, "AD_CAROUSEL", "is required");
      }
    }
    if (ci->video_info.set)
      return sp_fail(e, SP_E_PARAM, FIELD(".video_info"), "AD_CAROUSEL",
                     "is not part of a carousel (images and one music track)");
  } else {
    return sp_fail(e, SP_E_PARAM, FIELD(".ad_format"), "AD_FORMAT",
                   "%s is not a Web Conversions format; use SINGLE_VIDEO or "
                   "CAROUSEL",
                   ci->ad_format.v);
  }
  /* identities (seeds 001 identity table) */
  if (spark) {
    if (!ci->identity_type.set || is(&ci->identity_type, "CUSTOMIZED_USER"))
      return sp_fail(e, SP_E_PARAM, FIELD(".identity_type"), "AD_SPARK_IDENTITY",
                     "a Spark Ad (tiktok_item_id) needs identity_type "
                     "AUTH_CODE, TT_USER or BC_AUTH_TT: the identity must "
                     "match the post owner");
    if (!ci->identity_id.set || !*ci->identity_id.v)
      return sp_fail(e, SP_E_PARAM, FIELD(".identity_id"), "AD_SPARK_IDENTITY",
                     "is required with identity_type %s", ci->identity_type.v);
  } else if (ci->identity_type.set && !is(&ci->identity_type, "CUSTOMIZED_USER") &&
             (!ci->identity_id.set || !*ci->identity_id.v)) {
    return sp_fail(e, SP_E_PARAM, FIELD(".identity_id"), "AD_IDENTITY",
                   "is required with identity_type %s", ci->identity_type.v);
  }
  if (is(&ci->identity_type, "BC_AUTH_TT") &&
      (!ci->identity_authorized_bc_id.set || !*ci->identity_authorized_bc_id.v))
    return sp_fail(e, SP_E_PARAM, FIELD(".identity_authorized_bc_id"),
                   "AD_IDENTITY_BC",
                   "is required with identity_type BC_AUTH_TT (the Business "
                   "Center that authorised the identity)");
  return SP_OK;
#undef FIELD
}

sp_rc rules_ad_check(const sp_ad *ad, const rules_ad_ctx *x, sp_err *e) {
  sp_rc rc;
  if (!ad->adgroup_id.set)
    return sp_fail(e, SP_E_PARAM, "adgroup_id", "AD_REQUIRED", "is required");
  if (!ad->ad_name.set || !*ad->ad_name.v)
    return sp_fail(e, SP_E_PARAM, "ad_name", "AD_REQUIRED", "is required");
  if (!ad->creative_list.set || ad->creative_list.n == 0)
    return sp_fail(e, SP_E_PARAM, "creative_list", "AD_CREATIVES",
                   "must hold 1 to %d creatives", RULES_MAX_CREATIVES);
  for (size_t i = 0; i < ad->creative_list.n; i++)
    if ((rc = check_creative(info_of(ad, i), i, e))) return rc;

  /* identity for non-Spark creatives may come from ad_configuration */
  const sp_ad_config *cfg = ad->ad_configuration.set ? ad->ad_configuration.v : NULL;
  for (size_t i = 0; i < ad->creative_list.n; i++) {
    const sp_creative_info *ci = info_of(ad, i);
    if (!ci->identity_type.set && !(cfg && cfg->identity_type.set)) {
      char f[96];
      snprintf(f, sizeof f, "creative_list[%zu].creative_info.identity_type", i);
      return sp_fail(e, SP_E_PARAM, f, "AD_IDENTITY",
                     "every ad needs an identity: CUSTOMIZED_USER for "
                     "uploaded videos, or AUTH_CODE / TT_USER / BC_AUTH_TT");
    }
  }

  /* Spark and non-Spark never share a campaign (seeds 001/000) */
  int spark = rules_ad_spark(ad);
  if (spark == 2)
    return sp_fail(e, SP_E_PARAM, "creative_list", "AD_SPARK_MIX",
                   "mixes Spark Ads (tiktok_item_id) and non-Spark creatives; "
                   "Web Conversions campaigns do not support mixing them");
  if (x && x->others_spark >= 0 && x->others_spark != spark)
    return sp_fail(e, SP_E_PARAM, "creative_list", "AD_SPARK_MIX",
                   "the campaign already has %s ads; Web Conversions campaigns "
                   "do not support mixing Spark and non-Spark ads",
                   x->others_spark ? "Spark" : "non-Spark");

  /* texts */
  for (size_t i = 0; ad->ad_text_list.set && i < ad->ad_text_list.n; i++) {
    const sp_ad_text *t = (const sp_ad_text *)ad->ad_text_list.v + i;
    if (!t->ad_text.set || !*t->ad_text.v) {
      char f[64];
      snprintf(f, sizeof f, "ad_text_list[%zu].ad_text", i);
      return sp_fail(e, SP_E_PARAM, f, "AD_TEXT", "must not be empty");
    }
  }

  /* CTA and destination go together (seeds 001) */
  int std_cta = ad->call_to_action_list.set && ad->call_to_action_list.n;
  int dyn_cta = cfg && cfg->call_to_action_id.set && *cfg->call_to_action_id.v;
  int urls = ad->landing_page_url_list.set && ad->landing_page_url_list.n;
  int pages = ad->page_list.set && ad->page_list.n;
  int links = ad->deeplink_list.set && ad->deeplink_list.n;
  if (std_cta && dyn_cta)
    return sp_fail(e, SP_E_PARAM, "call_to_action_list", "AD_CTA",
                   "give up to %d standard CTAs or one dynamic "
                   "ad_configuration.call_to_action_id, not both",
                   RULES_MAX_CTAS);
  /* an APP_PROMOTION ad's destination is the promoted app itself */
  int app = x && x->campaign && x->campaign->objective_type.set &&
            strcmp(x->campaign->objective_type.v, "APP_PROMOTION") == 0;
  if ((std_cta || dyn_cta) && !urls && !pages && !app)
    return sp_fail(e, SP_E_PARAM, "landing_page_url_list", "AD_CTA_DESTINATION",
                   "a CTA needs a destination: landing_page_url_list (with "
                   "an optional deeplink) or page_list");
  if ((urls || pages || links) && !std_cta && !dyn_cta)
    return sp_fail(e, SP_E_PARAM,
                   urls ? "landing_page_url_list" : pages ? "page_list" : "deeplink_list",
                   "AD_CTA_DESTINATION",
                   "a destination needs a CTA (call_to_action_list or "
                   "ad_configuration.call_to_action_id); without a CTA omit "
                   "all CTA and destination fields");
  if (pages && urls)
    return sp_fail(e, SP_E_PARAM, "landing_page_url_list", "AD_PAGE_NO_URL",
                   "must not be set with page_list (Custom Page destination)");
  for (size_t i = 0; urls && i < ad->landing_page_url_list.n; i++) {
    const sp_landing *l = (const sp_landing *)ad->landing_page_url_list.v + i;
    if (!l->landing_page_url.set || !http_url(l->landing_page_url.v)) {
      char f[64];
      snprintf(f, sizeof f, "landing_page_url_list[%zu].landing_page_url", i);
      return sp_fail(e, SP_E_PARAM, f, "AD_URL",
                     "must be an http:// or https:// URL");
    }
  }
  for (size_t i = 0; links && i < ad->deeplink_list.n; i++) {
    const sp_deeplink *d = (const sp_deeplink *)ad->deeplink_list.v + i;
    if (!d->deeplink.set || !deeplink_ok(d->deeplink.v))
      return sp_fail(e, SP_E_PARAM, "deeplink", "AD_DEEPLINK",
                     "must be a universal/app link (https://...) or a custom "
                     "scheme (scheme://resource)");
    if (!d->deeplink_type.set)
      return sp_fail(e, SP_E_PARAM, "deeplink_type", "AD_DEEPLINK",
                     "is required with a deeplink (NORMAL)");
    if (!urls)
      return sp_fail(e, SP_E_PARAM, "deeplink", "AD_DEEPLINK",
                     "goes with a landing page URL (URL + deeplink)");
  }
  if (cfg) {
    for (size_t i = 0; cfg->utm_params.set && i < cfg->utm_params.n; i++) {
      const sp_utm *u = (const sp_utm *)cfg->utm_params.v + i;
      if (!u->key.set || !u->value.set)
        return sp_fail(e, SP_E_PARAM, "ad_configuration.utm_params",
                       "AD_UTM", "each item needs key and value");
    }
  }
  return SP_OK;
}

sp_rc rules_ad_update_allowed(const sp_ad *old, const sp_ad *patch, sp_err *e) {
  if (patch->adgroup_id.set &&
      !(old->adgroup_id.set && old->adgroup_id.v == patch->adgroup_id.v))
    return sp_fail(e, SP_E_PARAM, "adgroup_id", "AD_IMMUTABLE",
                   "cannot be changed: an ad stays in its ad group");
  if (patch->operation_status.set)
    return sp_fail(e, SP_E_PARAM, "operation_status", "AD_STATUS_VIA",
                   "is changed with smart_plus/ad/status/update/");
  return SP_OK;
}
