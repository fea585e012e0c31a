/*
 * api/adgroup.c - smart_plus/adgroup/{create,update,get,status/update}.
 *
 * A create or update reads the campaign, the pixel and the campaign's other
 * ad groups inside the write transaction, so the 30-ad-group limit and the
 * CBO uniformity hold even against concurrent writers. Under CBO a bid
 * change is applied to every ad group of the campaign, as the live API
 * does, so an update can never leave the campaign non-uniform.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/adgroup.h"
#include "../rules/campaign.h"
#include "internal.h"
#include "../model/quick.h"

/* secondary_status from the rows; once the simulator has run the ad group,
 * its delivery status (budget exceeded, not started ...) and learning state
 * with the reason. */
static size_t adgroup_extras(sp_ctx *c, const sp_obj *o, sp_kv *out) {
  const char *v = "ADGROUP_STATUS_DELIVERY_OK";
  size_t n = 1;
  if (o->status == SP_ST_DELETE) v = "ADGROUP_STATUS_DELETE";
  else if (o->status == SP_ST_DISABLE) v = "ADGROUP_STATUS_DISABLE";
  else {
    sp_obj buf;
    const sp_obj *cp = api_row(c, SP_KIND_CAMPAIGN, o->parent_id, &buf);
    if (cp && cp->status == SP_ST_DELETE) v = "ADGROUP_STATUS_CAMPAIGN_DELETE";
    else if (cp && cp->status == SP_ST_DISABLE) v = "ADGROUP_STATUS_CAMPAIGN_DISABLE";
  }
  json_t *sim = sp_delivery_adgroup_state(c->app->delivery, o->id);
  if (sim) {
    const char *ss = json_string_value(json_object_get(sim, "secondary_status"));
    if (ss && strcmp(v, "ADGROUP_STATUS_DELIVERY_OK") == 0)
      v = sp_arena_strdup(c->a, ss);
    static const char *const keys[] = {"learning_status", "learning_reason",
                                       "learning_reason_text"};
    for (size_t i = 0; i < SP_ARRAY_LEN(keys) && n < SP_MAX_EXTRAS; i++) {
      const char *x = json_string_value(json_object_get(sim, keys[i]));
      if (!x) continue;
      out[n].key = keys[i];
      out[n].value = sp_arena_strdup(c->a, x);
      n++;
    }
    json_decref(sim);
  }
  out[0].key = "secondary_status";
  out[0].value = v;
  return n;
}

static sp_rc adgroup_filter(sp_ctx *c, const char *key, json_t *v, sp_query *q,
                            int *post) {
  (void)post;
  if (strcmp(key, "campaign_ids") != 0) return SP_OK;
  int64_t *ids = NULL;
  size_t n = 0;
  sp_rc rc = api_parse_ids(c, "filtering.campaign_ids", v, 100, &ids, &n);
  if (rc) return rc;
  q->parents = ids;
  q->n_parents = n;
  return SP_OK;
}

static int adgroup_post(sp_ctx *c, json_t *filtering, json_t *view) {
  (void)c;
  const char *ss = json_string_value(json_object_get(filtering, "secondary_status"));
  if (!ss) return 1;
  const char *mine = json_string_value(json_object_get(view, "secondary_status"));
  return mine && strcmp(ss, mine) == 0;
}

static sp_rc adgroup_sfilter(sp_ctx *c, const char *key, json_t *v,
                             sp_query *q, int *post) {
  if (strcmp(key, "secondary_status") == 0) {
    if (!json_is_string(v))
      return sp_fail(&c->err, SP_E_PARAM, "filtering.secondary_status", "TYPE",
                     "expected a string");
    if (!q->status_mask) q->status_mask = SP_STM_ALL;
    *post = 1;
    return SP_OK;
  }
  return adgroup_filter(c, key, v, q, post);
}

const sp_kind_def sp_kind_adgroup = {
    .kind = SP_KIND_ADGROUP,
    .noun = "ad group",
    .id_field = "adgroup_id",
    .ids_field = "adgroup_ids",
    .list_field = "adgroup_list",
    .name_field = "adgroup_name",
    .schema = &sp_adgroup_schema,
    .max_page_size = SP_LIMIT_adgroup_get__page_size__MAXIMUM,
    .max_status_ids = SP_LIMIT_adgroup_status_update__adgroup_ids__MAX_ITEMS,
    .primary_status_enum = &SP_ENUM_adgroup_get__filtering__primary_status,
    .extras = adgroup_extras,
    .filter = adgroup_sfilter,
    .post = adgroup_post,
    .child_kind = SP_KIND_AD,
};

/* Everything the rules need about the ad group's surroundings. */
typedef struct env {
  sp_campaign *campaign;
  sp_obj campaign_row;
  sp_pixel *pixel;
  sp_adgroup *siblings;
  sp_obj *sibling_rows;
  size_t n_siblings;
} env;

sp_rc api_adgroup_pixel(sp_ctx *c, const sp_adgroup *g, sp_pixel **out) {
  *out = NULL;
  if (!g->pixel_id.set) return SP_OK;
  /* the rules need the pixel's sources only for LANDING_PAGE; otherwise
   * knowing it exists is enough, and its JSON is not parsed */
  sp_obj row;
  sp_err e;
  sp_rc rc = store_get(c->app->st, SP_KIND_PIXEL, c->advertiser_id,
                       g->pixel_id.v, c->a, &row, &e);
  if (rc == SP_E_NOT_FOUND || (rc == SP_OK && row.status == SP_ST_DELETE))
    return SP_OK; /* a missing pixel is the rules' verdict to give */
  if (rc) {
    c->err = e;
    return rc;
  }
  sp_pixel *p = sp_arena_alloc(c->a, sizeof *p);
  if (g->optimization_goal.set &&
      strcmp(sp_canonical(g->optimization_goal.v), "TRAFFIC_LANDING_PAGE_VIEW") == 0) {
    rc = sp_decode_row(&sp_pixel_schema, row.body, p, c->a, &c->err);
    if (rc && rc != SP_E_SYSTEM) return rc; /* not JSON: an empty pixel */
  }
  *out = p;
  return SP_OK;
}

/* all = 0: the count of the campaign's other live ad groups and one of
 * them (what the rules need); all = 1: every one (to rewrite bids). */
static sp_rc load_env(sp_ctx *c, const sp_adgroup *g, int64_t self, int all,
                      env *v) {
  sp_rc rc;
  memset(v, 0, sizeof *v);
  v->campaign = sp_arena_alloc(c->a, sizeof *v->campaign);
  if ((rc = api_load(c, SP_KIND_CAMPAIGN, &sp_campaign_schema,
                     g->campaign_id.v, "campaign_id", "campaign", v->campaign,
                     &v->campaign_row)))
    return rc;
  if ((rc = api_adgroup_pixel(c, g, &v->pixel))) return rc;
  if (all) {
    void *sib;
    if ((rc = api_load_children(c, SP_KIND_ADGROUP, &sp_adgroup_schema,
                                &g->campaign_id.v, 1, self, &sib,
                                &v->sibling_rows, &v->n_siblings)))
      return rc;
    v->siblings = sib;
    return SP_OK;
  }
  sp_query q;
  memset(&q, 0, sizeof q);
  q.kind = SP_KIND_ADGROUP;
  q.advertiser_id = c->advertiser_id;
  q.parents = &g->campaign_id.v;
  q.n_parents = 1;
  q.limit = 2;
  sp_obj *rows;
  size_t n, total;
  if ((rc = store_list(c->app->st, &q, c->a, &rows, &n, &total, &c->err)))
    return rc;
  v->n_siblings = self ? total - 1 : total;
  for (size_t i = 0; i < n; i++) {
    if (rows[i].id == self) continue;
    sp_adgroup *ref = sp_arena_alloc(c->a, sizeof *ref);
    rc = sp_decode_row(&sp_adgroup_schema, rows[i].body, ref, c->a, &c->err);
    if (rc == SP_E_SYSTEM) break; /* not JSON: no sibling to compare */
    if (rc) return rc;
    v->siblings = ref;
    break;
  }
  return SP_OK;
}

static sp_rc check(sp_ctx *c, const sp_adgroup *g, env *v) {
  rules_adgroup_ctx x = {v->campaign, v->pixel, v->siblings, v->n_siblings};
  return rules_adgroup_check(g, &x, &c->err);
}

sp_rc api_adgroup_create(sp_ctx *c, json_t **data) {
  sp_rc rc;
  const char *rid;
  (void)data;
  sp_adgroup *g = c->decoded;
  if ((rc = api_request_id(c, &rid))) return rc;
  if (!g) {
    g = sp_arena_alloc(c->a, sizeof *g);
    if ((rc = sp_decode(&sp_adgroup_schema, c->body, g, 1, c->a, "", &c->err)))
      return rc;
  }
  if (!g->campaign_id.set)
    return sp_fail(&c->err, SP_E_PARAM, "campaign_id", "ADGROUP_REQUIRED",
                   "is required");
  /* only a request_id makes the request hash worth an encode */
  uint64_t hash = rid ? api_struct_hash(&sp_adgroup_schema, g) : 0;
  int64_t found;
  if ((rc = api_idem_lookup(c, SP_KIND_ADGROUP, rid, hash, &found))) return rc;
  if (found) goto answer_found;

  rules_adgroup_defaults(g, c->now, c->a);
  int64_t id;
  if ((rc = store_next_id(c->app->st, SP_KIND_ADGROUP, &id, &c->err))) return rc;
  g->adgroup_id.set = g->advertiser_id.set = 1;
  g->adgroup_id.v = id;
  g->advertiser_id.v = c->advertiser_id;
  g->create_time.set = g->modify_time.set = 1;
  api_time(c->now, c->a, &g->create_time.v);
  g->modify_time.v = g->create_time.v;
  g->skip_learning_phase.set = 1;
  g->skip_learning_phase.v = 0;

  sp_status st = strcmp(g->operation_status.v, "DISABLE") == 0 ? SP_ST_DISABLE
                                                                : SP_ST_ENABLE;
  sp_obj saved;
  api_encode_row(c, SP_KIND_ADGROUP, &sp_adgroup_schema, g, id,
                 g->campaign_id.v, st, g->adgroup_name.v, &saved);

  if ((rc = store_write_begin(c->app->st, &c->err))) return rc;
  if ((rc = api_idem_lookup(c, SP_KIND_ADGROUP, rid, hash, &found))) goto fail;
  if (found) {
    store_rollback(c->app->st);
    goto answer_found;
  }
  env v;
  if ((rc = load_env(c, g, 0, 0, &v))) goto fail;
  if ((rc = check(c, g, &v))) goto fail;
  if ((rc = store_insert(c->app->st, &saved, &c->err))) goto fail;
  if (rid && (rc = store_idem_put(c->app->st, c->advertiser_id, SP_KIND_ADGROUP,
                                  rid, id, hash, &c->err)))
    goto fail;
  if ((rc = store_commit(c->app->st, &c->err))) return rc;
  c->known[0] = &v.campaign_row; /* its status is in the answer */
  api_answer_obj(c, &sp_kind_adgroup, &saved);
  return SP_OK;
fail:
  store_rollback(c->app->st);
  return rc;
answer_found:
  return api_answer_id(c, &sp_kind_adgroup, found);
}

sp_rc api_adgroup_update(sp_ctx *c, json_t **data) {
  sp_rc rc;
  int64_t id;
  (void)data;
  if ((rc = api_body_id(c, "adgroup_id", &id))) return rc;
  sp_adgroup *patch = sp_arena_alloc(c->a, sizeof *patch);
  if ((rc = sp_decode(&sp_adgroup_schema, c->body, patch, 1, c->a, "",
                      &c->err)))
    return rc;
  if ((rc = store_write_begin(c->app->st, &c->err))) return rc;
  sp_adgroup *g = sp_arena_alloc(c->a, sizeof *g);
  sp_obj row;
  if ((rc = api_load(c, SP_KIND_ADGROUP, &sp_adgroup_schema, id, "adgroup_id",
                     "ad group", g, &row)))
    goto fail;
  if ((rc = rules_adgroup_update_allowed(g, patch, &c->err))) goto fail;
  sp_merge(&sp_adgroup_schema, g, patch);
  api_time(c->now, c->a, &g->modify_time.v);
  env v;
  int bids = patch->bid_price.set || patch->conversion_bid_price.set ||
             patch->roas_bid.set;
  if ((rc = load_env(c, g, id, bids, &v))) goto fail;
  int cbo = rules_campaign_cbo(v.campaign);
  /* live API: under CBO a bid edit applies to every ad group of the
   * campaign; check this one against siblings that already carry it */
  if (cbo && bids)
    for (size_t i = 0; i < v.n_siblings; i++) {
      sp_adgroup *s = &v.siblings[i];
      if (patch->bid_price.set) s->bid_price = patch->bid_price;
      if (patch->conversion_bid_price.set)
        s->conversion_bid_price = patch->conversion_bid_price;
      if (patch->roas_bid.set) s->roas_bid = patch->roas_bid;
    }
  if ((rc = check(c, g, &v))) goto fail;
  sp_obj saved;
  if ((rc = api_put(c, SP_KIND_ADGROUP, &sp_adgroup_schema, g, id,
                    g->campaign_id.v, row.status, g->adgroup_name.v, 0, &saved)))
    goto fail;
  if (cbo && bids)
    for (size_t i = 0; i < v.n_siblings; i++) {
      sp_obj sib;
      sp_adgroup *s = &v.siblings[i];
      s->modify_time.set = 1;
      s->modify_time.v = g->modify_time.v;
      if ((rc = api_put(c, SP_KIND_ADGROUP, &sp_adgroup_schema, s,
                        v.sibling_rows[i].id, s->campaign_id.v,
                        v.sibling_rows[i].status, s->adgroup_name.v, 0, &sib)))
        goto fail;
    }
  if ((rc = store_commit(c->app->st, &c->err))) return rc;
  api_answer_obj(c, &sp_kind_adgroup, &saved);
  return SP_OK;
fail:
  store_rollback(c->app->st);
  return rc;
}

sp_rc api_adgroup_get(sp_ctx *c, json_t **data) {
  return api_get_list(c, &sp_kind_adgroup, data);
}

sp_rc api_adgroup_status(sp_ctx *c, json_t **data) {
  return api_status_update(c, &sp_kind_adgroup, data);
}
