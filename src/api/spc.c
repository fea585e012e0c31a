/*
 * api/spc.c - the LEGACY Smart+ API (../shared/seeds/003) on its
 * deprecation timeline (seeds 001/002), on the server's clock (c->now):
 *
 *   /campaign/spc/create/      refused from 2026-03-31 00:00:00 UTC
 *   /campaign/spc/update/      refused from 2026-06-30 00:00:00 UTC
 *   /campaign/status/update/   refused from 2026-06-30 00:00:00 UTC
 *   /campaign/create/ (manual) refused from 2027-01-01 00:00:00 UTC
 *   /campaign/spc/get/, /campaign/spc/quota/get/: always (legacy campaigns
 *   created before a deadline keep running and stay readable).
 *
 * A legacy campaign is one stored object (SP_KIND_SPC) holding the
 * campaign, its single ad group and its ads, as the document's single
 * call does; answers carry the whole object with null for unset fields,
 * as the document's response example.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/spc.h"
#include "internal.h"
#include "../model/json.h"

static const char *campaign_secondary(sp_status st) {
  switch (st) {
    case SP_ST_ENABLE: return "CAMPAIGN_STATUS_ENABLE";
    case SP_ST_DISABLE: return "CAMPAIGN_STATUS_DISABLE";
    case SP_ST_DELETE: return "CAMPAIGN_STATUS_DELETE";
  }
  return "CAMPAIGN_STATUS_ENABLE";
}

static const char *adgroup_secondary(sp_status st) {
  switch (st) {
    case SP_ST_ENABLE: return "ADGROUP_STATUS_DELIVERY_OK";
    case SP_ST_DISABLE: return "ADGROUP_STATUS_CAMPAIGN_DISABLE";
    case SP_ST_DELETE: return "ADGROUP_STATUS_CAMPAIGN_DELETE";
  }
  return "ADGROUP_STATUS_DELIVERY_OK";
}

static size_t spc_extras(sp_ctx *c, const sp_obj *o, sp_kv *out) {
  (void)c;
  out[0].key = "campaign_secondary_status";
  out[0].value = campaign_secondary(o->status);
  out[1].key = "adgroup_secondary_status";
  out[1].value = adgroup_secondary(o->status);
  return 2;
}

static sp_rc status_begin(sp_ctx *c, sp_status to, void *state);
static const char *status_refuse(sp_ctx *c, const sp_obj *o, sp_status to,
                                 void *state);

const sp_kind_def sp_kind_spc = {
    .kind = SP_KIND_SPC,
    .noun = "campaign",
    .id_field = "campaign_id",
    .ids_field = "campaign_ids",
    .list_field = "campaign_list",
    .name_field = "campaign_name",
    .schema = &spc_schema,
    .max_page_size = 100,
    .max_status_ids = 20,
    .extras = spc_extras,
    .status_ids_shape = 1,
    .alt_kind = SP_KIND_MANUAL,
    .status_begin = status_begin,
    .status_refuse = status_refuse,
};

/* The whole object: stored body + computed statuses + null for the rest. */
static json_t *spc_view(sp_ctx *c, const sp_obj *o) {
  json_t *j = api_view(c, &sp_kind_spc, o);
  spc_fill_nulls(&spc_schema, j);
  return j;
}

/* The advertiser's quota: store meta "spc_quota" or SPC_QUOTA_DEFAULT. */
static size_t quota_of(sp_ctx *c) {
  const char *v = NULL;
  sp_err e;
  sp_err_clear(&e);
  if (store_meta_get(c->app->st, "spc_quota", c->a, &v, &e) == SP_OK && v &&
      *v && strspn(v, "0123456789") == strlen(v) && strlen(v) < 9)
    return (size_t)strtoul(v, NULL, 10);
  return SPC_QUOTA_DEFAULT;
}

/* Active (ENABLE) legacy campaigns of the advertiser. */
/* How many: the store counts, no row is read. */
static sp_rc active_count(sp_ctx *c, size_t *n) {
  sp_query q;
  memset(&q, 0, sizeof q);
  q.kind = SP_KIND_SPC;
  q.advertiser_id = c->advertiser_id;
  q.status_mask = SP_STM(SP_ST_ENABLE);
  q.limit = 1;
  sp_obj *rows;
  size_t got;
  return store_list(c->app->st, &q, c->a, &rows, &got, n, &c->err);
}

/* Enabling a paused Smart+ campaign is held to the quota, id by id. */
typedef struct quota_state {
  size_t active, quota;
} quota_state;

static sp_rc status_begin(sp_ctx *c, sp_status to, void *state) {
  quota_state *q = state;
  if (to != SP_ST_ENABLE) return SP_OK;
  q->quota = quota_of(c);
  return active_count(c, &q->active);
}

static const char *status_refuse(sp_ctx *c, const sp_obj *o, sp_status to,
                                 void *state) {
  quota_state *q = state;
  if (o->kind != SP_KIND_SPC || to != SP_ST_ENABLE) return NULL;
  sp_err qe;
  sp_err_clear(&qe);
  if (spc_check_quota(q->active, q->quota, &qe) != SP_OK)
    return sp_arena_printf(c->a, "%lld: %s (rule %s)", (long long)o->id,
                           qe.msg, qe.rule);
  q->active++;
  return NULL;
}

static sp_rc active_spc(sp_ctx *c, sp_obj **rows, size_t *n) {
  sp_query q;
  memset(&q, 0, sizeof q);
  q.kind = SP_KIND_SPC;
  q.advertiser_id = c->advertiser_id;
  q.status_mask = SP_STM(SP_ST_ENABLE);
  q.oldest_first = 1;
  q.skip_total = 1;
  size_t total;
  return store_list(c->app->st, &q, c->a, rows, n, &total, &c->err);
}

sp_rc api_spc_create(sp_ctx *c, json_t **data) {
  sp_rc rc;
  if ((rc = spc_timeline_check(SPC_EP_CREATE, c->now, &c->err))) return rc;
  spc *r = sp_arena_alloc(c->a, sizeof *r);
  if ((rc = sp_decode(&spc_schema, c->body, r, 1, c->a, "", &c->err)))
    return rc;
  if ((rc = spc_check_create(r, c->now, &c->err))) return rc;
  spc_defaults(r);
  int64_t id;
  if ((rc = store_next_id(c->app->st, SP_KIND_SPC, &id, &c->err))) return rc;
  r->campaign_id.set = r->advertiser_id.set = 1;
  r->campaign_id.v = id;
  r->advertiser_id.v = c->advertiser_id;
  r->create_time.set = r->modify_time.set = 1;
  api_time(c->now, c->a, &r->create_time.v);
  r->modify_time.v = r->create_time.v;
  sp_status st =
      strcmp(r->operation_status.v, "DISABLE") == 0 ? SP_ST_DISABLE : SP_ST_ENABLE;
  sp_obj saved;
  api_encode_row(c, SP_KIND_SPC, &spc_schema, r, id, 0, st, r->campaign_name.v,
                 &saved);

  if ((rc = store_write_begin(c->app->st, &c->err))) return rc;
  if (st == SP_ST_ENABLE) {
    size_t n;
    if ((rc = active_count(c, &n))) goto fail;
    if ((rc = spc_check_quota(n, quota_of(c), &c->err))) goto fail;
  }
  if ((rc = store_insert(c->app->st, &saved, &c->err))) goto fail;
  if ((rc = store_commit(c->app->st, &c->err))) return rc;
  *data = spc_view(c, &saved);
  return SP_OK;
fail:
  store_rollback(c->app->st);
  return rc;
}

sp_rc api_spc_update(sp_ctx *c, json_t **data) {
  sp_rc rc;
  if ((rc = spc_timeline_check(SPC_EP_UPDATE, c->now, &c->err))) return rc;
  int64_t id;
  if ((rc = api_body_id(c, "campaign_id", &id))) return rc;
  spc *patch = sp_arena_alloc(c->a, sizeof *patch);
  if ((rc = sp_decode(&spc_schema, c->body, patch, 1, c->a, "", &c->err)))
    return rc;
  if ((rc = store_write_begin(c->app->st, &c->err))) return rc;
  spc *r = sp_arena_alloc(c->a, sizeof *r);
  sp_obj o;
  if ((rc = api_load(c, SP_KIND_SPC, &spc_schema, id, "campaign_id",
                     "legacy Smart+ campaign", r, &o)))
    goto fail;
  if ((rc = spc_check_update(r, patch, &c->err))) goto fail;
  unsigned changed = 0;
  if (patch->schedule_start_time.set &&
      strcmp(patch->schedule_start_time.v, r->schedule_start_time.v) != 0)
    changed |= SPC_CHANGED_START;
  if (patch->promo_info_list.set) changed |= SPC_CHANGED_PROMO;
  /* operation_status changes go through /campaign/status/update/ */
  patch->operation_status.set = 0;
  sp_merge(&spc_schema, r, patch);
  if ((rc = spc_check_merged(r, c->now, changed, &c->err))) goto fail;
  r->modify_time.set = 1;
  api_time(c->now, c->a, &r->modify_time.v);
  sp_obj saved;
  if ((rc = api_put(c, SP_KIND_SPC, &spc_schema, r, id, 0, o.status,
                    r->campaign_name.v, 0, &saved)))
    goto fail;
  if ((rc = store_commit(c->app->st, &c->err))) return rc;
  *data = spc_view(c, &saved);
  return SP_OK;
fail:
  store_rollback(c->app->st);
  return rc;
}

/* GET campaign/spc/get/?campaign_ids=["..."] (1 to 100): {"list": [...]}
 * in the order asked; unknown ids are left out. Works after every
 * deadline, deleted campaigns included (with CAMPAIGN_STATUS_DELETE). */
sp_rc api_spc_get(sp_ctx *c, json_t **data) {
  sp_rc rc;
  const char *s = api_query(c, "campaign_ids");
  if (!s || !*s)
    return sp_fail(&c->err, SP_E_PARAM, "campaign_ids", "REQUIRED",
                   "is required: a JSON array of 1 to 100 campaign ids");
  json_error_t jerr;
  json_t *arr = sp_json_loads(s, 0, &jerr);
  if (!arr)
    return sp_fail(&c->err, SP_E_PARAM, "campaign_ids", "JSON",
                   "is not valid JSON; send e.g. [\"1870000000000000001\"]");
  int64_t *ids;
  size_t n;
  rc = api_parse_ids(c, "campaign_ids", arr, 100, &ids, &n);
  json_decref(arr);
  if (rc) return rc;
  if (n == 0)
    return sp_fail(&c->err, SP_E_PARAM, "campaign_ids", "MIN_ITEMS",
                   "must hold at least one id");
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) {
    sp_obj o;
    sp_err e;
    sp_err_clear(&e);
    rc = store_get(c->app->st, SP_KIND_SPC, c->advertiser_id, ids[i], c->a, &o,
                   &e);
    if (rc == SP_E_NOT_FOUND) continue;
    if (rc) {
      c->err = e;
      json_decref(list);
      return rc;
    }
    json_array_append_new(list, spc_view(c, &o));
  }
  *data = json_pack("{s:o}", "list", list);
  return SP_OK;
}

/* GET campaign/spc/quota/get/: total_quota, used_quota, used_campaign_ids
 * (the active Smart+ campaigns; pausing one frees quota). */
sp_rc api_spc_quota_get(sp_ctx *c, json_t **data) {
  sp_obj *rows;
  size_t n;
  sp_rc rc = active_spc(c, &rows, &n);
  if (rc) return rc;
  json_t *ids = json_array();
  for (size_t i = 0; i < n; i++) {
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)rows[i].id);
    json_array_append_new(ids, json_string(buf));
  }
  *data = json_pack("{s:I, s:I, s:o}", "total_quota", (json_int_t)quota_of(c),
                    "used_quota", (json_int_t)n, "used_campaign_ids", ids);
  return SP_OK;
}

/* POST campaign/status/update/ on legacy campaigns (Smart+ and manual):
 * {"campaign_ids": [...], "status": ..., "error_list": [...]}. Enabling
 * Smart+ campaigns is held to the quota. */
sp_rc api_legacy_status_update(sp_ctx *c, json_t **data) {
  sp_rc rc;
  if ((rc = spc_timeline_check(SPC_EP_STATUS, c->now, &c->err))) return rc;
  return api_status_update(c, &sp_kind_spc, data);
}

/* POST campaign/create/ (Manual Campaign Management API), minimal body:
 * campaign_name, objective_type, budget_mode, budget. Refused after
 * 2026-12-31. */
sp_rc api_manual_campaign_create(sp_ctx *c, json_t **data) {
  sp_rc rc;
  if ((rc = spc_timeline_check(SPC_EP_MANUAL_CREATE, c->now, &c->err)))
    return rc;
  spc_manual *m = sp_arena_alloc(c->a, sizeof *m);
  if ((rc = sp_decode(&spc_manual_schema, c->body, m, 1, c->a, "", &c->err)))
    return rc;
  if ((rc = spc_check_manual(m, &c->err))) return rc;
  if (!m->operation_status.set) {
    m->operation_status.set = 1;
    m->operation_status.v = "ENABLE";
  }
  int64_t id;
  if ((rc = store_next_id(c->app->st, SP_KIND_MANUAL, &id, &c->err))) return rc;
  m->campaign_id.set = m->advertiser_id.set = 1;
  m->campaign_id.v = id;
  m->advertiser_id.v = c->advertiser_id;
  m->create_time.set = m->modify_time.set = 1;
  api_time(c->now, c->a, &m->create_time.v);
  m->modify_time.v = m->create_time.v;
  sp_status st = strcmp(m->operation_status.v, "DISABLE") == 0 ? SP_ST_DISABLE
                                                               : SP_ST_ENABLE;
  if ((rc = store_write_begin(c->app->st, &c->err))) return rc;
  sp_obj saved;
  if ((rc = api_put(c, SP_KIND_MANUAL, &spc_manual_schema, m, id, 0, st,
                    m->campaign_name.v, 1, &saved))) {
    store_rollback(c->app->st);
    return rc;
  }
  if ((rc = store_commit(c->app->st, &c->err))) return rc;
  *data = sp_json_loads(saved.body, 0, NULL);
  if (!*data) *data = json_object();
  return SP_OK;
}
