/*
 * api/campaign.c - smart_plus/campaign/{create,update,get,status/update}.
 *
 * Decode (src/model) -> rules (src/rules/campaign.c) -> store -> the same
 * JSON view for create, update and get. Creates are idempotent on
 * request_id; an update is the old object merged with the request and held
 * to the create rules, inside one write transaction.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/adgroup.h"
#include "../rules/campaign.h"
#include "internal.h"
#include "../model/quick.h"

static const char *secondary(sp_status st) {
  switch (st) {
    case SP_ST_ENABLE: return "CAMPAIGN_STATUS_ENABLE";
    case SP_ST_DISABLE: return "CAMPAIGN_STATUS_DISABLE";
    case SP_ST_DELETE: return "CAMPAIGN_STATUS_DELETE";
  }
  return "CAMPAIGN_STATUS_ENABLE";
}

static size_t campaign_extras(sp_ctx *c, const sp_obj *o, sp_kv *out) {
  (void)c;
  out[0].key = "secondary_status";
  out[0].value = secondary(o->status);
  return 1;
}

static sp_rc campaign_filter(sp_ctx *c, const char *key, json_t *v,
                             sp_query *q, int *post) {
  const char *fp = sp_arena_printf(c->a, "filtering.%s", key);
  if (strcmp(key, "objective_type") == 0) {
    if (!json_is_string(v) ||
        !sp_enum_valid(&SP_ENUM_campaign_get__filtering__objective_type,
                       json_string_value(v)))
      return sp_fail(&c->err, SP_E_PARAM, fp, "SPEC_ENUM",
                     "allowed: APP_PROMOTION, LEAD_GENERATION, WEB_CONVERSIONS");
    *post = 1;
  } else if (strcmp(key, "secondary_status") == 0) {
    if (!json_is_string(v) ||
        !sp_enum_valid(&SP_ENUM_campaign_get__filtering__secondary_status,
                       json_string_value(v)))
      return sp_fail(&c->err, SP_E_PARAM, fp, "SPEC_ENUM",
                     "is not a campaign secondary status of the spec");
    if (!q->status_mask) q->status_mask = SP_STM_ALL;
    *post = 1;
  }
  return SP_OK;
}

static int campaign_post(sp_ctx *c, json_t *filtering, json_t *view) {
  (void)c;
  const char *ot = json_string_value(json_object_get(filtering, "objective_type"));
  if (ot && (!json_string_value(json_object_get(view, "objective_type")) ||
             strcmp(ot, json_string_value(json_object_get(view, "objective_type")))))
    return 0;
  const char *ss = json_string_value(json_object_get(filtering, "secondary_status"));
  if (ss) {
    const char *mine = json_string_value(json_object_get(view, "secondary_status"));
    if (strcmp(ss, "CAMPAIGN_STATUS_ALL") == 0) return 1;
    if (strcmp(ss, "CAMPAIGN_STATUS_NOT_DELETE") == 0)
      return strcmp(mine, "CAMPAIGN_STATUS_DELETE") != 0;
    if (strncmp(ss, "STATUS_", 7) == 0) {
      /* STATUS_DELETE -> CAMPAIGN_STATUS_DELETE ... */
      char buf[64];
      snprintf(buf, sizeof buf, "CAMPAIGN_%s", ss);
      if (strcmp(ss, "STATUS_DELIVERY_OK") == 0)
        snprintf(buf, sizeof buf, "CAMPAIGN_STATUS_ENABLE");
      return strcmp(mine, buf) == 0;
    }
    return strcmp(mine, ss) == 0;
  }
  return 1;
}

const sp_kind_def sp_kind_campaign = {
    .kind = SP_KIND_CAMPAIGN,
    .noun = "campaign",
    .id_field = "campaign_id",
    .ids_field = "campaign_ids",
    .list_field = "campaign_list",
    .name_field = "campaign_name",
    .schema = &sp_campaign_schema,
    .max_page_size = SP_LIMIT_campaign_get__page_size__MAXIMUM,
    .max_status_ids = SP_LIMIT_campaign_status_update__campaign_ids__MAX_ITEMS,
    .primary_status_enum = &SP_ENUM_campaign_get__filtering__primary_status,
    .extras = campaign_extras,
    .filter = campaign_filter,
    .post = campaign_post,
    .child_kind = SP_KIND_ADGROUP,
};

/* The row a campaign is stored as; the answer is built from it without
 * reading the row back. */
static void encode(sp_ctx *c, sp_campaign *cp, sp_status st, sp_obj *o) {
  cp->secondary_status.set = 0; /* computed on read, never stored */
  sp_buf text;
  sp_buf_init(&text, SP_MAX_BODY * 4);
  sp_encode_text(&sp_campaign_schema, cp, &text);
  *o = (sp_obj){
      .kind = SP_KIND_CAMPAIGN,
      .id = cp->campaign_id.v,
      .advertiser_id = c->advertiser_id,
      .parent_id = 0,
      .status = st,
      .create_time = c->now,
      .modify_time = c->now,
      .name = cp->campaign_name.v,
      .body = sp_arena_strndup(c->a, text.data, text.len),
  };
  sp_buf_free(&text);
}

sp_rc api_campaign_create(sp_ctx *c, json_t **data) {
  sp_rc rc;
  const char *rid;
  sp_campaign *cp = c->decoded;
  if ((rc = api_request_id(c, &rid))) return rc;
  if (!cp) {
    cp = sp_arena_alloc(c->a, sizeof *cp);
    if ((rc = sp_decode(&sp_campaign_schema, c->body, cp, 1, c->a, "",
                        &c->err)))
      return rc;
  }
  /* only a request_id makes the request hash worth an encode */
  uint64_t hash = rid ? api_struct_hash(&sp_campaign_schema, cp) : 0;
  int64_t found;
  if ((rc = api_idem_lookup(c, SP_KIND_CAMPAIGN, rid, hash, &found))) return rc;
  if (found) return api_answer_id(c, &sp_kind_campaign, found);

  rules_campaign_defaults(cp);
  if ((rc = rules_campaign_check(cp, &c->err))) return rc;

  /* everything but the write itself happens before taking the write lock */
  int64_t id;
  if ((rc = store_next_id(c->app->st, SP_KIND_CAMPAIGN, &id, &c->err))) return rc;
  cp->campaign_id.set = 1;
  cp->campaign_id.v = id;
  cp->advertiser_id.set = 1;
  cp->advertiser_id.v = c->advertiser_id;
  cp->create_time.set = cp->modify_time.set = 1;
  api_time(c->now, c->a, &cp->create_time.v);
  cp->modify_time.v = cp->create_time.v;
  sp_status st = strcmp(cp->operation_status.v, "DISABLE") == 0
                     ? SP_ST_DISABLE
                     : SP_ST_ENABLE;
  sp_obj saved;
  encode(c, cp, st, &saved);

  if ((rc = store_write_begin(c->app->st, &c->err))) return rc;
  /* a concurrent retry may have won the race since the first lookup */
  if ((rc = api_idem_lookup(c, SP_KIND_CAMPAIGN, rid, hash, &found))) goto fail;
  if (found) {
    store_rollback(c->app->st);
    return api_answer_id(c, &sp_kind_campaign, found);
  }
  if ((rc = store_insert(c->app->st, &saved, &c->err))) goto fail;
  if (rid && (rc = store_idem_put(c->app->st, c->advertiser_id,
                                  SP_KIND_CAMPAIGN, rid, id, hash, &c->err)))
    goto fail;
  if ((rc = store_commit(c->app->st, &c->err))) return rc;
  api_answer_obj(c, &sp_kind_campaign, &saved);
  return SP_OK;
fail:
  store_rollback(c->app->st);
  return rc;
}

/* A campaign edit (its budget) must leave every ad group valid: min/max
 * budgets and bids are bounded by the campaign's daily budget. */
static sp_rc check_adgroups(sp_ctx *c, const sp_campaign *cp, int64_t id) {
  void *groups;
  size_t n;
  sp_rc rc = api_load_children(c, SP_KIND_ADGROUP, &sp_adgroup_schema, &id, 1,
                               0, &groups, NULL, &n);
  if (rc) return rc;
  sp_adgroup *g = groups;
  for (size_t i = 0; i < n; i++) {
    sp_pixel *px;
    if ((rc = api_adgroup_pixel(c, &g[i], &px))) return rc;
    rules_adgroup_ctx x = {cp, px, NULL, 0}; /* siblings: unchanged */
    sp_err e;
    sp_err_clear(&e);
    if (rules_adgroup_check(&g[i], &x, &e) != SP_OK)
      return sp_fail(&c->err, SP_E_PARAM, "budget", "CAMPAIGN_KEEPS_ADGROUPS",
                     "this change would make ad group %lld invalid: %s: %s "
                     "(rule %s)",
                     (long long)g[i].adgroup_id.v, e.field, e.msg, e.rule);
  }
  return SP_OK;
}

sp_rc api_campaign_update(sp_ctx *c, json_t **data) {
  sp_rc rc;
  int64_t id;
  if ((rc = api_body_id(c, "campaign_id", &id))) return rc;
  sp_campaign *patch = sp_arena_alloc(c->a, sizeof *patch);
  if ((rc = sp_decode(&sp_campaign_schema, c->body, patch, 1, c->a, "",
                      &c->err)))
    return rc;
  if ((rc = rules_campaign_update_allowed(NULL, patch, &c->err))) return rc;

  if ((rc = store_write_begin(c->app->st, &c->err))) return rc;
  sp_obj o;
  if ((rc = store_get(c->app->st, SP_KIND_CAMPAIGN, c->advertiser_id, id,
                      c->a, &o, &c->err))) {
    if (rc == SP_E_NOT_FOUND)
      sp_fail(&c->err, SP_E_NOT_FOUND, "campaign_id", "EXISTS",
              "The campaign %lld does not exist.", (long long)id);
    goto fail;
  }
  if (o.status == SP_ST_DELETE) {
    rc = sp_fail(&c->err, SP_E_NOT_FOUND, "campaign_id", "DELETED",
                 "The campaign %lld is deleted and cannot be updated.",
                 (long long)id);
    goto fail;
  }
  sp_campaign *cp = sp_arena_alloc(c->a, sizeof *cp);
  if ((rc = sp_decode_row(&sp_campaign_schema, o.body, cp, c->a, &c->err)))
    goto fail;
  sp_merge(&sp_campaign_schema, cp, patch);
  if ((rc = rules_campaign_check(cp, &c->err))) goto fail;
  if ((rc = check_adgroups(c, cp, id))) goto fail;
  api_time(c->now, c->a, &cp->modify_time.v);
  sp_obj saved;
  encode(c, cp, o.status, &saved);
  if ((rc = store_update(c->app->st, &saved, &c->err))) goto fail;
  if ((rc = store_commit(c->app->st, &c->err))) return rc;
  api_answer_obj(c, &sp_kind_campaign, &saved);
  return SP_OK;
fail:
  store_rollback(c->app->st);
  return rc;
}

sp_rc api_campaign_get(sp_ctx *c, json_t **data) {
  return api_get_list(c, &sp_kind_campaign, data);
}

sp_rc api_campaign_status(sp_ctx *c, json_t **data) {
  return api_status_update(c, &sp_kind_campaign, data);
}
