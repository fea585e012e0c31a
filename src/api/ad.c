/*
 * api/ad.c - smart_plus/ad/{create,update,get,status/update} and
 * ad/material_status/update. Ads are answered as `smart_plus_ad_id`, each
 * creative with its `ad_material_id` and `material_operation_status`.
 * Spark / non-Spark mixing is checked against the campaign's other live ads
 * inside the write transaction.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/ad.h"
#include "../rules/adgroup.h"
#include "internal.h"
#include "../model/json.h"


static size_t ad_extras(sp_ctx *c, const sp_obj *o, sp_kv *out) {
  const char *v = "AD_STATUS_DELIVERY_OK";
  if (o->status == SP_ST_DELETE) v = "AD_STATUS_DELETE";
  else if (o->status == SP_ST_DISABLE) v = "AD_STATUS_DISABLE";
  else {
    sp_obj gb, cb;
    const sp_obj *g = api_row(c, SP_KIND_ADGROUP, o->parent_id, &gb), *cp;
    if (g && g->status == SP_ST_DELETE) v = "AD_STATUS_ADGROUP_DELETE";
    else if (g && g->status == SP_ST_DISABLE) v = "AD_STATUS_ADGROUP_DISABLE";
    else if (g && (cp = api_row(c, SP_KIND_CAMPAIGN, g->parent_id, &cb))) {
      if (cp->status == SP_ST_DELETE) v = "AD_STATUS_CAMPAIGN_DELETE";
      else if (cp->status == SP_ST_DISABLE) v = "AD_STATUS_CAMPAIGN_DISABLE";
    }
  }
  out[0].key = "secondary_status";
  out[0].value = v;
  return 1;
}

static sp_rc ad_filter(sp_ctx *c, const char *key, json_t *v, sp_query *q,
                       int *post) {
  if (strcmp(key, "adgroup_ids") == 0) {
    int64_t *ids = NULL;
    size_t n = 0;
    sp_rc rc = api_parse_ids(c, "filtering.adgroup_ids", v, 100, &ids, &n);
    if (rc) return rc;
    q->parents = ids;
    q->n_parents = n;
  } else if (strcmp(key, "campaign_ids") == 0 ||
             strcmp(key, "secondary_status") == 0) {
    if (strcmp(key, "secondary_status") == 0 && !q->status_mask)
      q->status_mask = SP_STM_ALL;
    *post = 1;
  }
  return SP_OK;
}

static int ad_post(sp_ctx *c, json_t *filtering, json_t *view) {
  (void)c;
  json_t *camps = json_object_get(filtering, "campaign_ids");
  if (json_is_array(camps) && json_array_size(camps)) {
    const char *mine = json_string_value(json_object_get(view, "campaign_id"));
    int hit = 0;
    size_t i;
    json_t *x;
    json_array_foreach(camps, i, x) {
      if (mine && json_string_value(x) && strcmp(mine, json_string_value(x)) == 0)
        hit = 1;
    }
    if (!hit) return 0;
  }
  const char *ss = json_string_value(json_object_get(filtering, "secondary_status"));
  if (ss) {
    const char *mine = json_string_value(json_object_get(view, "secondary_status"));
    if (!mine || strcmp(ss, mine) != 0) return 0;
  }
  return 1;
}

const sp_kind_def sp_kind_ad = {
    .kind = SP_KIND_AD,
    .noun = "ad",
    .id_field = "smart_plus_ad_id",
    .ids_field = "smart_plus_ad_ids",
    .list_field = "smart_plus_ad_ids",
    .name_field = "ad_name",
    .schema = &sp_ad_schema,
    .max_page_size = SP_LIMIT_ad_get__page_size__MAXIMUM,
    .max_status_ids = SP_LIMIT_ad_status_update__smart_plus_ad_ids__MAX_ITEMS,
    .primary_status_enum = &SP_ENUM_ad_get__filtering__primary_status,
    .extras = ad_extras,
    .filter = ad_filter,
    .post = ad_post,
    .status_ids_shape = 1,
};

/* Are the campaign's other live ads Spark? -1 when it has none. The
 * campaign holds only one kind, so one live ad (other than this one) tells
 * which. An ad's creatives are all Spark or all not (rules_ad_check), and
 * the encoder writes the key only when set; a value holding the same text
 * has its quotes escaped, so the key alone tells. */
static sp_rc others_spark(sp_ctx *c, int64_t campaign_id, int64_t self,
                          int *out) {
  int found, has;
  sp_rc rc = store_probe_grandchild(c->app->st, SP_KIND_AD, SP_KIND_ADGROUP,
                                    c->advertiser_id, campaign_id, self,
                                    "\"tiktok_item_id\":", &found, &has,
                                    &c->err);
  *out = rc == SP_OK && found ? has : -1;
  return rc;
}

/* Give every creative without one an ad_material_id (ad-specific, like the
 * live API's) and an ENABLE material status. */
static sp_rc number_creatives(sp_ctx *c, sp_ad *ad) {
  for (size_t i = 0; ad->creative_list.set && i < ad->creative_list.n; i++) {
    sp_creative *cr = (sp_creative *)ad->creative_list.v + i;
    if (!cr->ad_material_id.set) {
      int64_t mid;
      sp_rc rc = store_next_id(c->app->st, SP_KIND_MATERIAL, &mid, &c->err);
      if (rc) return rc;
      cr->ad_material_id.set = 1;
      cr->ad_material_id.v = sp_arena_i64(c->a, mid);
    }
    if (!cr->material_operation_status.set) {
      cr->material_operation_status.set = 1;
      cr->material_operation_status.v = "ENABLE";
    }
  }
  return SP_OK;
}

/* What an ad's create and update read: the ad group's row (it must exist;
 * its parent is the campaign) and the campaign's row. The ad rules read one
 * field of the campaign, objective_type (rules/ad.h), so only that field is
 * taken from its text: decoding the whole campaign was 5% of an ad create. */
typedef struct env {
  sp_campaign *campaign;
  sp_obj adgroup_row, campaign_row;
} env;

static sp_rc load_env(sp_ctx *c, int64_t adgroup_id, env *v) {
  sp_rc rc;
  v->campaign = sp_arena_alloc(c->a, sizeof *v->campaign);
  if ((rc = api_load_row(c, SP_KIND_ADGROUP, adgroup_id, "adgroup_id",
                         "ad group", &v->adgroup_row)))
    return rc;
  if ((rc = api_load_row(c, SP_KIND_CAMPAIGN, v->adgroup_row.parent_id,
                         "adgroup_id", "campaign", &v->campaign_row)))
    return rc;
  const char *objective;
  if (sp_json_peek_str(v->campaign_row.body, "objective_type", c->a,
                       &objective) != 0)
    return sp_fail(&c->err, SP_E_SYSTEM, "adgroup_id", "STORE",
                   "stored campaign is corrupt");
  v->campaign->objective_type.set = objective != NULL;
  v->campaign->objective_type.v = objective;
  return SP_OK;
}

sp_rc api_ad_create(sp_ctx *c, json_t **data) {
  sp_rc rc;
  const char *rid;
  (void)data;
  sp_ad *ad = c->decoded;
  if (!ad && (rc = rules_ad_normalize(c->body, &c->err))) return rc;
  if ((rc = api_request_id(c, &rid))) return rc;
  if (!ad) {
    ad = sp_arena_alloc(c->a, sizeof *ad);
    if ((rc = sp_decode(&sp_ad_schema, c->body, ad, 1, c->a, "", &c->err)))
      return rc;
  }
  if (!ad->adgroup_id.set)
    return sp_fail(&c->err, SP_E_PARAM, "adgroup_id", "AD_REQUIRED",
                   "is required");
  /* only a request_id makes the request hash worth an encode */
  uint64_t hash = rid ? api_struct_hash(&sp_ad_schema, ad) : 0;
  int64_t found;
  if ((rc = api_idem_lookup(c, SP_KIND_AD, rid, hash, &found))) return rc;
  if (found) goto answer_found;
  rules_ad_defaults(ad);
  int64_t id;
  if ((rc = store_next_id(c->app->st, SP_KIND_AD, &id, &c->err))) return rc;
  ad->smart_plus_ad_id.set = ad->advertiser_id.set = 1;
  ad->smart_plus_ad_id.v = id;
  ad->advertiser_id.v = c->advertiser_id;
  ad->create_time.set = ad->modify_time.set = 1;
  api_time(c->now, c->a, &ad->create_time.v);
  ad->modify_time.v = ad->create_time.v;
  if ((rc = number_creatives(c, ad))) return rc;
  sp_status st = strcmp(ad->operation_status.v, "DISABLE") == 0 ? SP_ST_DISABLE
                                                                 : SP_ST_ENABLE;
  /* An ad group made since the server started names its campaign without
   * a read (store_parent_hint): the row is encoded and packed before the
   * lock (7% of an ad create's CPU, all of it serial), and checked against
   * the ad group read under the lock. */
  sp_obj saved;
  int64_t hint = store_parent_hint(c->app->st, ad->adgroup_id.v);
  if (hint) {
    ad->campaign_id.set = 1;
    ad->campaign_id.v = hint;
    api_encode_row(c, SP_KIND_AD, &sp_ad_schema, ad, id, ad->adgroup_id.v, st,
                   ad->ad_name.v, &saved);
    store_pack(c->app->st, &saved, c->a);
  }

  /* The reads happen under the lock, on the write connection: its pages
   * stay cached (a commit empties a read connection's cache), and rows read
   * there need no second look before the insert. */
  if ((rc = store_write_begin(c->app->st, &c->err))) return rc;
  if ((rc = api_idem_lookup(c, SP_KIND_AD, rid, hash, &found))) goto fail;
  if (found) {
    store_rollback(c->app->st);
    goto answer_found;
  }
  env v;
  if ((rc = load_env(c, ad->adgroup_id.v, &v))) goto fail;
  int stale = !hint || v.adgroup_row.parent_id != hint;
  ad->campaign_id.set = 1;
  ad->campaign_id.v = v.adgroup_row.parent_id;
  rules_ad_ctx x = {v.campaign, -1};
  if ((rc = rules_ad_check(ad, &x, &c->err))) goto fail;
  if ((rc = others_spark(c, ad->campaign_id.v, 0, &x.others_spark))) goto fail;
  if (x.others_spark >= 0 && (rc = rules_ad_check(ad, &x, &c->err))) goto fail;
  if (stale)
    api_encode_row(c, SP_KIND_AD, &sp_ad_schema, ad, id, ad->adgroup_id.v, st,
                   ad->ad_name.v, &saved);
  if ((rc = store_insert(c->app->st, &saved, &c->err))) goto fail;
  if (rid && (rc = store_idem_put(c->app->st, c->advertiser_id, SP_KIND_AD, rid,
                                  id, hash, &c->err)))
    goto fail;
  if ((rc = store_commit(c->app->st, &c->err))) return rc;
  c->known[0] = &v.adgroup_row;
  c->known[1] = &v.campaign_row;
  api_answer_obj(c, &sp_kind_ad, &saved);
  return SP_OK;
fail:
  store_rollback(c->app->st);
  return rc;
answer_found:
  return api_answer_id(c, &sp_kind_ad, found);
}

sp_rc api_ad_update(sp_ctx *c, json_t **data) {
  sp_rc rc;
  int64_t id;
  (void)data;
  if ((rc = rules_ad_normalize(c->body, &c->err))) return rc;
  if ((rc = api_body_id(c, "smart_plus_ad_id", &id))) return rc;
  sp_ad *patch = sp_arena_alloc(c->a, sizeof *patch);
  if ((rc = sp_decode(&sp_ad_schema, c->body, patch, 1, c->a, "", &c->err)))
    return rc;
  if ((rc = store_write_begin(c->app->st, &c->err))) return rc;
  sp_ad *ad = sp_arena_alloc(c->a, sizeof *ad);
  sp_obj row;
  if ((rc = api_load(c, SP_KIND_AD, &sp_ad_schema, id, "smart_plus_ad_id", "ad",
                     ad, &row)))
    goto fail;
  if ((rc = rules_ad_update_allowed(ad, patch, &c->err))) goto fail;
  sp_merge(&sp_ad_schema, ad, patch);
  api_time(c->now, c->a, &ad->modify_time.v);
  if ((rc = number_creatives(c, ad))) goto fail;
  env v;
  if ((rc = load_env(c, ad->adgroup_id.v, &v))) goto fail;
  rules_ad_ctx x = {v.campaign, -1};
  if ((rc = others_spark(c, ad->campaign_id.v, id, &x.others_spark))) goto fail;
  if ((rc = rules_ad_check(ad, &x, &c->err))) goto fail;
  sp_obj saved;
  if ((rc = api_put(c, SP_KIND_AD, &sp_ad_schema, ad, id, ad->adgroup_id.v,
                    row.status, ad->ad_name.v, 0, &saved)))
    goto fail;
  if ((rc = store_commit(c->app->st, &c->err))) return rc;
  api_answer_obj(c, &sp_kind_ad, &saved);
  return SP_OK;
fail:
  store_rollback(c->app->st);
  return rc;
}

sp_rc api_ad_get(sp_ctx *c, json_t **data) {
  return api_get_list(c, &sp_kind_ad, data);
}

sp_rc api_ad_status(sp_ctx *c, json_t **data) {
  return api_status_update(c, &sp_kind_ad, data);
}

sp_rc api_ad_material_status(sp_ctx *c, json_t **data) {
  sp_rc rc;
  int64_t id;
  if ((rc = api_body_id(c, "smart_plus_ad_id", &id))) return rc;
  json_t *ids = json_object_get(c->body, "ad_material_ids");
  const char *op = json_string_value(json_object_get(c->body, "operation_status"));
  if (!json_is_array(ids) || json_array_size(ids) == 0 ||
      json_array_size(ids) >
          SP_LIMIT_ad_material_status_update__ad_material_ids__MAX_ITEMS)
    return sp_fail(&c->err, SP_E_PARAM, "ad_material_ids", "MAX_ITEMS",
                   "must hold 1 to %d ad_material_id strings",
                   (int)SP_LIMIT_ad_material_status_update__ad_material_ids__MAX_ITEMS);
  if (!op || !sp_enum_valid(&SP_ENUM_ad_material_status_update__operation_status, op))
    return sp_fail(&c->err, SP_E_PARAM, "operation_status", "SPEC_ENUM",
                   "is required: ENABLE or DISABLE");
  if ((rc = store_write_begin(c->app->st, &c->err))) return rc;
  sp_ad *ad = sp_arena_alloc(c->a, sizeof *ad);
  sp_obj row;
  if ((rc = api_load(c, SP_KIND_AD, &sp_ad_schema, id, "smart_plus_ad_id", "ad",
                     ad, &row)))
    goto fail;
  size_t i;
  json_t *m;
  json_array_foreach(ids, i, m) {
    const char *mid = json_string_value(m);
    int hit = 0;
    for (size_t k = 0; mid && k < ad->creative_list.n; k++) {
      sp_creative *cr = (sp_creative *)ad->creative_list.v + k;
      if (cr->ad_material_id.set && strcmp(cr->ad_material_id.v, mid) == 0) {
        cr->material_operation_status.set = 1;
        cr->material_operation_status.v = strcmp(op, "ENABLE") == 0 ? "ENABLE" : "DISABLE";
        hit = 1;
      }
    }
    if (!hit) {
      rc = sp_fail(&c->err, SP_E_NOT_FOUND,
                   sp_arena_printf(c->a, "ad_material_ids[%zu]", i), "EXISTS",
                   "%.40s is not a creative of ad %lld", mid ? mid : "(not a string)",
                   (long long)id);
      goto fail;
    }
  }
  api_time(c->now, c->a, &ad->modify_time.v);
  sp_obj saved;
  if ((rc = api_put(c, SP_KIND_AD, &sp_ad_schema, ad, id, ad->adgroup_id.v,
                    row.status, ad->ad_name.v, 0, &saved)))
    goto fail;
  if ((rc = store_commit(c->app->st, &c->err))) return rc;
  *data = json_pack("{s:s, s:O, s:s}", "smart_plus_ad_id",
                    sp_arena_printf(c->a, "%lld", (long long)id),
                    "ad_material_ids", ids, "operation_status", op);
  return SP_OK;
fail:
  store_rollback(c->app->st);
  return rc;
}
