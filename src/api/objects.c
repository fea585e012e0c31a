/*
 * objects.c - the generic mechanisms every object kind reuses: GET with
 * fields / filtering / page / page_size and page_info, status/update with
 * per-id results, idempotent creates keyed by request_id.
 *
 * Kinds plug in through sp_kind_def (internal.h): their schema, id names,
 * page limits and a few hooks. Nothing here knows about campaigns.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../core/text.h"
#include "internal.h"
#include "../model/quick.h"
#include "../model/json.h"

const char *api_status_name(sp_status st) {
  switch (st) {
    case SP_ST_ENABLE: return "ENABLE";
    case SP_ST_DISABLE: return "DISABLE";
    case SP_ST_DELETE: return "DELETE";
  }
  return "ENABLE";
}

void api_time(int64_t unix_s, sp_arena *a, const char **out) {
  char buf[20];
  sp_time_format(unix_s, buf);
  *out = sp_arena_strdup(a, buf);
}

json_t *api_view(sp_ctx *c, const sp_kind_def *k, const sp_obj *o) {
  json_t *j = sp_json_loads(o->body, 0, NULL);
  if (!j) j = json_object();
  sp_kv ex[SP_MAX_EXTRAS];
  size_t n = k->extras ? k->extras(c, o, ex) : 0;
  for (size_t i = 0; i < n; i++)
    json_object_set_new(j, ex[i].key, json_string(ex[i].value));
  return j;
}

/* Stored bodies are JSON objects written by sp_encode; extras are plain
 * identifiers (enum names), so splicing them in needs no escaping. */
void api_view_raw(sp_ctx *c, const sp_kind_def *k, const sp_obj *o, sp_buf *b) {
  size_t len = strlen(o->body);
  while (len && o->body[len - 1] != '}') len--;
  if (!len) {
    sp_buf_append(b, "{", 1);
    len = 1;
  } else {
    sp_buf_append(b, o->body, len - 1);
  }
  int empty = len <= 2;
  sp_kv ex[SP_MAX_EXTRAS];
  size_t n = k->extras ? k->extras(c, o, ex) : 0;
  for (size_t i = 0; i < n; i++) {
    if (!empty) sp_buf_append(b, ",", 1);
    empty = 0;
    sp_buf_append(b, "\"", 1);
    sp_buf_append(b, ex[i].key, strlen(ex[i].key));
    sp_buf_append(b, "\":\"", 3);
    sp_buf_append(b, ex[i].value, strlen(ex[i].value));
    sp_buf_append(b, "\"", 1);
  }
  sp_buf_append(b, "}", 1);
}

void api_answer_obj(sp_ctx *c, const sp_kind_def *k, const sp_obj *o) {
  c->raw.len = 0;
  api_view_raw(c, k, o, &c->raw);
  c->has_raw = 1;
}

static sp_rc parse_uint(sp_ctx *c, const char *name, size_t def, size_t min,
                        size_t max, size_t *out) {
  const char *s = api_query(c, name);
  if (!s) {
    *out = def;
    return SP_OK;
  }
  char *end;
  if (!*s || strlen(s) > 12 || strspn(s, "0123456789") != strlen(s))
    return sp_fail(&c->err, SP_E_PARAM, name, "TYPE",
                   "expected an integer, got \"%.40s\"", s);
  unsigned long long v = strtoull(s, &end, 10);
  if (v < min || v > max)
    return sp_fail(&c->err, SP_E_PARAM, name, "RANGE",
                   "%llu is out of range; allowed %zu to %zu", v, min, max);
  *out = (size_t)v;
  return SP_OK;
}

/* A query parameter that holds JSON (fields, filtering). */
static sp_rc query_json(sp_ctx *c, const char *name, json_t **out) {
  const char *s = api_query(c, name);
  *out = NULL;
  if (!s || !*s) return SP_OK;
  json_error_t jerr;
  *out = sp_json_loads(s, JSON_REJECT_DUPLICATES, &jerr);
  if (!*out)
    return sp_fail(&c->err, SP_E_PARAM, name, "JSON",
                   "is not valid JSON (byte %d: %s); send it JSON-encoded, "
                   "e.g. %s",
                   jerr.position, jerr.text,
                   strcmp(name, "fields") == 0
                       ? "[\"campaign_id\",\"budget\"]"
                       : "{\"primary_status\":\"STATUS_ALL\"}");
  return SP_OK;
}

sp_rc api_parse_ids(sp_ctx *c, const char *field, json_t *v, size_t max,
                    int64_t **ids, size_t *n) {
  if (!json_is_array(v))
    return sp_fail(&c->err, SP_E_PARAM, field, "TYPE",
                   "expected an array of id strings");
  size_t m = json_array_size(v);
  if (m > max)
    return sp_fail(&c->err, SP_E_PARAM, field, "MAX_ITEMS",
                   "has %zu ids; the maximum is %zu", m, max);
  *ids = sp_arena_alloc(c->a, (m ? m : 1) * sizeof(int64_t));
  for (size_t i = 0; i < m; i++) {
    json_t *it = json_array_get(v, i);
    const char *s = json_string_value(it);
    if (json_is_integer(it) && json_integer_value(it) > 0) {
      (*ids)[i] = json_integer_value(it);
      continue;
    }
    if (!s || !sp_is_int64_string(s))
      return sp_fail(&c->err, SP_E_PARAM,
                     sp_arena_printf(c->a, "%s[%zu]", field, i), "ID",
                     "is not a valid id (a string holding a 64-bit integer)");
    (*ids)[i] = strtoll(s, NULL, 10);
  }
  *n = m;
  return SP_OK;
}

static sp_rc primary_status_mask(sp_ctx *c, const sp_kind_def *k,
                                 const char *v, unsigned *mask) {
  if (k->primary_status_enum && !sp_enum_valid(k->primary_status_enum, v))
    return sp_fail(&c->err, SP_E_PARAM, "filtering.primary_status",
                   "SPEC_ENUM", "\"%.60s\" is not an allowed value", v);
  if (strcmp(v, "STATUS_ALL") == 0) *mask = SP_STM_ALL;
  else if (strcmp(v, "STATUS_DELETE") == 0) *mask = SP_STM(SP_ST_DELETE);
  else if (strcmp(v, "STATUS_DELIVERY_OK") == 0) *mask = SP_STM(SP_ST_ENABLE);
  else if (strcmp(v, "STATUS_DISABLE") == 0 ||
           strcmp(v, "STATUS_NOT_DELIVERY") == 0)
    *mask = SP_STM(SP_ST_DISABLE);
  else *mask = SP_STM_NOT_DELETED; /* STATUS_NOT_DELETE and the rest */
  return SP_OK;
}

sp_rc api_get_list(sp_ctx *c, const sp_kind_def *k, json_t **data) {
  sp_rc rc;
  size_t page, page_size;
  json_t *fields = NULL, *filtering = NULL, *list = NULL;
  if ((rc = parse_uint(c, "page", 1, 1, 1000000000, &page)) ||
      (rc = parse_uint(c, "page_size", 10, 1, k->max_page_size, &page_size)))
    return rc;
  if ((rc = query_json(c, "fields", &fields))) goto out;
  if ((rc = query_json(c, "filtering", &filtering))) goto out;

  /* fields: a JSON array of the kind's field names */
  if (fields) {
    if (!json_is_array(fields)) {
      rc = sp_fail(&c->err, SP_E_PARAM, "fields", "TYPE",
                   "expected a JSON array of field names");
      goto out;
    }
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f) {
      const char *name = json_string_value(f);
      if (!name || !sp_schema_field(k->schema, name)) {
        sp_buf b;
        sp_buf_init(&b, 1 << 16);
        for (size_t x = 0; x < k->schema->n_fields; x++) {
          if (x) sp_buf_append(&b, ", ", 2);
          sp_buf_append(&b, k->schema->fields[x].name,
                        strlen(k->schema->fields[x].name));
        }
        rc = sp_fail(&c->err, SP_E_PARAM,
                     sp_arena_printf(c->a, "fields[%zu]", i), "GET_FIELDS",
                     "\"%.60s\" is not a field of %s; allowed: %s",
                     name ? name : "(not a string)", k->noun, b.data);
        sp_buf_free(&b);
        goto out;
      }
    }
  }

  sp_query q;
  memset(&q, 0, sizeof q);
  q.kind = k->kind;
  q.advertiser_id = c->advertiser_id;
  int post = 0;
  if (filtering) {
    if (!json_is_object(filtering)) {
      rc = sp_fail(&c->err, SP_E_PARAM, "filtering", "TYPE",
                   "expected a JSON object");
      goto out;
    }
    const char *key;
    json_t *v;
    json_object_foreach(filtering, key, v) {
      const char *fp = sp_arena_printf(c->a, "filtering.%s", key);
      if (strcmp(key, k->ids_field) == 0) {
        int64_t *ids;
        size_t n;
        if ((rc = api_parse_ids(c, fp, v, 100, &ids, &n))) goto out;
        q.ids = ids;
        q.n_ids = n;
        if (n == 0) q.n_ids = 0;
      } else if (strcmp(key, "primary_status") == 0) {
        if (!json_is_string(v)) {
          rc = sp_fail(&c->err, SP_E_PARAM, fp, "TYPE", "expected a string");
          goto out;
        }
        if ((rc = primary_status_mask(c, k, json_string_value(v),
                                      &q.status_mask)))
          goto out;
      } else if (k->name_field && strcmp(key, k->name_field) == 0) {
        if (!json_is_string(v)) {
          rc = sp_fail(&c->err, SP_E_PARAM, fp, "TYPE", "expected a string");
          goto out;
        }
        q.name_contains = json_string_value(v);
      } else if (strcmp(key, "creation_filter_start_time") == 0 ||
                 strcmp(key, "creation_filter_end_time") == 0) {
        int64_t t;
        if (!json_is_string(v) || sp_time_parse(json_string_value(v), &t)) {
          rc = sp_fail(&c->err, SP_E_PARAM, fp, "TIME_FORMAT",
                       "expected a time in the form YYYY-MM-DD HH:MM:SS (UTC)");
          goto out;
        }
        if (key[16] == 's') q.created_from = t;
        else q.created_to = t;
      } else if (k->filter) {
        int is_post = 0;
        if ((rc = k->filter(c, key, v, &q, &is_post))) goto out;
        post |= is_post;
      }
      /* other keys are ignored, as the live API does */
    }
    if (json_object_get(filtering, k->ids_field) &&
        json_array_size(json_object_get(filtering, k->ids_field)) == 0)
      q.n_ids = 0;
  }

  sp_obj *rows = NULL;
  size_t n = 0, total = 0;
  if (!post) {
    q.offset = (page - 1) * page_size;
    q.limit = page_size;
  }
  if ((rc = store_list(c->app->st, &q, c->a, &rows, &n, &total, &c->err)))
    goto out;

  if (!post && !fields) {
    /* fast path: splice stored bodies, no parse, no dump */
    char tail[160];
    sp_buf *b = &c->raw;
    b->len = 0;
    sp_buf_append(b, "{\"list\":[", 9);
    for (size_t i = 0; i < n; i++) {
      if (i) sp_buf_append(b, ",", 1);
      api_view_raw(c, k, &rows[i], b);
    }
    int tl = snprintf(tail, sizeof tail,
                      "],\"page_info\":{\"page\":%zu,\"page_size\":%zu,"
                      "\"total_number\":%zu,\"total_page\":%zu}}",
                      page, page_size, total, (total + page_size - 1) / page_size);
    sp_buf_append(b, tail, (size_t)tl);
    c->has_raw = 1;
    *data = NULL;
    rc = SP_OK;
    goto out;
  }
  list = json_array();
  size_t matched = 0;
  for (size_t i = 0; i < n; i++) {
    json_t *v = api_view(c, k, &rows[i]);
    if (post) {
      if (!k->post(c, filtering, v)) {
        json_decref(v);
        continue;
      }
      matched++;
      if (matched <= (page - 1) * page_size || matched > page * page_size) {
        json_decref(v);
        continue;
      }
    }
    if (fields) {
      json_t *sel = json_object();
      size_t fi;
      json_t *f;
      json_array_foreach(fields, fi, f) {
        json_t *x = json_object_get(v, json_string_value(f));
        if (x) json_object_set(sel, json_string_value(f), x);
      }
      json_decref(v);
      v = sel;
    }
    json_array_append_new(list, v);
  }
  if (post) total = matched;

  *data = json_pack("{s:o, s:o}", "list", list, "page_info",
                    api_page_info(page, page_size, total));
  list = NULL;
  rc = SP_OK;
out:
  json_decref(fields);
  json_decref(filtering);
  json_decref(list);
  return rc;
}

json_t *api_page_info(size_t page, size_t page_size, size_t total) {
  return json_pack("{s:I, s:I, s:I, s:I}", "page", (json_int_t)page,
                   "page_size", (json_int_t)page_size, "total_number",
                   (json_int_t)total, "total_page",
                   (json_int_t)((total + page_size - 1) / page_size));
}

sp_rc api_parse_operation_status(sp_ctx *c, json_t *v, sp_status *to) {
  if (!v)
    return sp_fail(&c->err, SP_E_PARAM, "operation_status", "REQUIRED",
                   "is required: ENABLE, DISABLE or DELETE");
  const char *op = json_string_value(v);
  if (!op)
    return sp_fail(&c->err, SP_E_PARAM, "operation_status", "TYPE",
                   "expected a string: ENABLE, DISABLE or DELETE");
  if (strcmp(op, "ENABLE") == 0) *to = SP_ST_ENABLE;
  else if (strcmp(op, "DISABLE") == 0) *to = SP_ST_DISABLE;
  else if (strcmp(op, "DELETE") == 0) *to = SP_ST_DELETE;
  else
    return sp_fail(&c->err, SP_E_PARAM, "operation_status", "SPEC_ENUM",
                   "\"%.40s\" is not an allowed value; allowed: DELETE, "
                   "DISABLE, ENABLE",
                   op);
  return SP_OK;
}

sp_rc api_status_update(sp_ctx *c, const sp_kind_def *k, json_t **data) {
  sp_rc rc;
  json_t *ids_j = json_object_get(c->body, k->ids_field);
  json_t *op_j = json_object_get(c->body, "operation_status");
  if (!ids_j)
    return sp_fail(&c->err, SP_E_PARAM, k->ids_field, "REQUIRED",
                   "is required (1 to %zu ids)", k->max_status_ids);
  int64_t *ids;
  size_t n;
  if ((rc = api_parse_ids(c, k->ids_field, ids_j, k->max_status_ids, &ids, &n)))
    return rc;
  if (n == 0)
    return sp_fail(&c->err, SP_E_PARAM, k->ids_field, "MIN_ITEMS",
                   "must hold at least one id");
  sp_status to;
  if ((rc = api_parse_operation_status(c, op_j, &to))) return rc;

  json_t *ok = json_array(), *bad = json_array();
  if ((rc = store_write_begin(c->app->st, &c->err))) {
    json_decref(ok);
    json_decref(bad);
    return rc;
  }
  uint64_t state[4] = {0};
  if (k->status_begin && (rc = k->status_begin(c, to, state))) goto fail;
  for (size_t i = 0; i < n; i++) {
    int dup = 0;
    for (size_t j = 0; j < i; j++) dup |= ids[j] == ids[i];
    if (dup) continue;
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)ids[i]);
    sp_obj o;
    sp_err e;
    sp_err_clear(&e);
    sp_rc got = store_get(c->app->st, k->kind, c->advertiser_id, ids[i], c->a,
                          &o, &e);
    if (got == SP_E_NOT_FOUND && k->alt_kind) {
      sp_err_clear(&e);
      got = store_get(c->app->st, k->alt_kind, c->advertiser_id, ids[i], c->a,
                      &o, &e);
    }
    if (got != SP_OK) {
      if (e.code != SP_E_NOT_FOUND) {
        rc = e.code;
        c->err = e;
        goto fail;
      }
      json_array_append_new(
          bad, json_pack("{s:s, s:s}", k->id_field, idbuf, "error_message",
                         sp_arena_printf(c->a, "The %s %s does not exist.",
                                         k->noun, idbuf)));
      continue;
    }
    if (o.status == SP_ST_DELETE && to != SP_ST_DELETE) {
      json_array_append_new(
          bad, json_pack("{s:s, s:s}", k->id_field, idbuf, "error_message",
                         sp_arena_printf(c->a,
                                         "The %s %s is deleted; a deleted "
                                         "%s cannot change status.",
                                         k->noun, idbuf, k->noun)));
      continue;
    }
    const char *why = o.status != to && k->status_refuse
                          ? k->status_refuse(c, &o, to, state)
                          : NULL;
    if (why) {
      json_array_append_new(bad, json_pack("{s:s, s:s}", k->id_field, idbuf,
                                           "error_message", why));
      continue;
    }
    if (o.status != to &&
        (rc = api_set_status(c, &o, to, to == SP_ST_DELETE ? k->child_kind : 0)))
      goto fail;
    if (k->status_ids_shape)
      json_array_append_new(ok, json_string(idbuf));
    else
      json_array_append_new(ok, json_pack("{s:s, s:s}", k->id_field, idbuf,
                                          "status", api_status_name(to)));
  }
  if ((rc = store_commit(c->app->st, &c->err))) {
    json_decref(ok);
    json_decref(bad);
    return rc;
  }
  if (k->status_ids_shape)
    *data = json_pack("{s:o, s:s, s:o}", k->ids_field, ok, "status",
                      api_status_name(to), "error_list", bad);
  else
    *data = json_pack("{s:o, s:o}", k->list_field, ok, "error_list", bad);
  return SP_OK;
fail:
  store_rollback(c->app->st);
  json_decref(ok);
  json_decref(bad);
  return rc;
}

uint64_t api_struct_hash(const sp_schema *s, const void *in) {
  sp_buf b;
  sp_buf_init(&b, (size_t)-1);
  sp_encode_text(s, in, &b);
  uint64_t h = XXH64(b.data, b.len, 0);
  sp_buf_free(&b);
  return h;
}

sp_rc api_request_id(sp_ctx *c, const char **out) {
  json_t *v = json_object_get(c->body, "request_id");
  *out = NULL;
  if (!v || json_is_null(v)) return SP_OK;
  if (json_is_integer(v) && json_integer_value(v) >= 0) {
    *out = sp_arena_printf(c->a, "%lld", (long long)json_integer_value(v));
    return SP_OK;
  }
  const char *s = json_string_value(v);
  if (!s || !sp_is_int64_string(s))
    return sp_fail(&c->err, SP_E_PARAM, "request_id", "REQUEST_ID",
                   "must be a string holding a 64-bit integer, e.g. "
                   "\"123456789\"");
  *out = sp_arena_strdup(c->a, s);
  return SP_OK;
}

sp_rc api_idem_lookup(sp_ctx *c, sp_kind kind, const char *request_id,
                      uint64_t hash, int64_t *found) {
  int64_t id;
  uint64_t h;
  sp_err e;
  sp_err_clear(&e);
  *found = 0;
  if (!request_id) return SP_OK;
  sp_rc rc = store_idem_get(c->app->st, c->advertiser_id, kind, request_id,
                            &id, &h, &e);
  if (rc == SP_E_NOT_FOUND) return SP_OK;
  if (rc != SP_OK) {
    c->err = e;
    return rc;
  }
  if (h != hash)
    return sp_fail(&c->err, SP_E_DUPLICATE, "request_id", "IDEMPOTENCY",
                   "%s was already used for a different request; use a new "
                   "request_id for a new object",
                   request_id);
  *found = id;
  return SP_OK;
}

sp_rc api_body_id(sp_ctx *c, const char *field, int64_t *out) {
  json_t *v = json_object_get(c->body, field);
  if (!v || json_is_null(v))
    return sp_fail(&c->err, SP_E_PARAM, field, "REQUIRED", "is required");
  if (json_is_integer(v) && json_integer_value(v) > 0) {
    *out = json_integer_value(v);
    return SP_OK;
  }
  const char *s = json_string_value(v);
  if (!s || !sp_is_int64_string(s))
    return sp_fail(&c->err, SP_E_PARAM, field, "ID",
                   "is not a valid id (a string holding a 64-bit integer)");
  *out = strtoll(s, NULL, 10);
  return SP_OK;
}

sp_rc api_set_status(sp_ctx *c, sp_obj *o, sp_status to, sp_kind child_kind) {
  sp_rc rc;
  json_t *body = sp_json_loads(o->body, 0, NULL);
  if (!body) body = json_object();
  /* a deleted object keeps the operation_status it had */
  if (to != SP_ST_DELETE)
    json_object_set_new(body, "operation_status", json_string(api_status_name(to)));
  const char *mt;
  api_time(c->now, c->a, &mt);
  json_object_set_new(body, "modify_time", json_string(mt));
  char *text = json_dumps(body, JSON_COMPACT);
  json_decref(body);
  o->body = sp_arena_strdup(c->a, text);
  free(text);
  o->status = to;
  o->modify_time = c->now;
  if ((rc = store_update(c->app->st, o, &c->err))) return rc;
  if (!child_kind) return SP_OK;
  /* deleting a campaign deletes its ad groups, an ad group its ads */
  sp_query q;
  memset(&q, 0, sizeof q);
  q.kind = child_kind;
  q.advertiser_id = c->advertiser_id;
  q.parents = &o->id;
  q.n_parents = 1;
  q.skip_total = 1;
  sp_obj *rows;
  size_t n, total;
  if ((rc = store_list(c->app->st, &q, c->a, &rows, &n, &total, &c->err)))
    return rc;
  sp_kind grand = child_kind == SP_KIND_ADGROUP ? SP_KIND_AD : 0;
  for (size_t i = 0; i < n; i++)
    if ((rc = api_set_status(c, &rows[i], SP_ST_DELETE, grand))) return rc;
  return SP_OK;
}

sp_rc api_load_row(sp_ctx *c, sp_kind kind, int64_t id, const char *field,
                   const char *noun, sp_obj *row) {
  sp_rc rc = store_get(c->app->st, kind, c->advertiser_id, id, c->a, row,
                       &c->err);
  if (rc == SP_E_NOT_FOUND)
    return sp_fail(&c->err, SP_E_NOT_FOUND, field, "EXISTS",
                   "The %s %lld does not exist.", noun, (long long)id);
  if (rc) return rc;
  if (row->status == SP_ST_DELETE)
    return sp_fail(&c->err, SP_E_NOT_FOUND, field, "DELETED",
                   "The %s %lld is deleted.", noun, (long long)id);
  return SP_OK;
}

sp_rc api_load(sp_ctx *c, sp_kind kind, const sp_schema *s, int64_t id,
               const char *field, const char *noun, void *out, sp_obj *row) {
  sp_rc rc = api_load_row(c, kind, id, field, noun, row);
  if (rc) return rc;
  rc = sp_decode_row(s, row->body, out, c->a, &c->err);
  if (rc == SP_E_SYSTEM)
    return sp_fail(&c->err, SP_E_SYSTEM, field, "STORE", "stored %s is corrupt",
                   noun);
  return rc;
}

sp_rc api_load_children(sp_ctx *c, sp_kind kind, const sp_schema *s,
                        const int64_t *parents, size_t n_parents,
                        int64_t exclude, void **out, sp_obj **rows_out,
                        size_t *n_out) {
  sp_query q;
  memset(&q, 0, sizeof q);
  q.kind = kind;
  q.advertiser_id = c->advertiser_id;
  q.parents = parents;
  q.n_parents = n_parents;
  q.oldest_first = 1;
  q.skip_total = 1;
  sp_obj *rows;
  size_t n = 0, total;
  *n_out = 0;
  *out = NULL;
  if (rows_out) *rows_out = NULL;
  if (n_parents == 0) return SP_OK;
  sp_rc rc = store_list(c->app->st, &q, c->a, &rows, &n, &total, &c->err);
  if (rc) return rc;
  char *arr = sp_arena_alloc(c->a, (n ? n : 1) * s->size);
  sp_obj *kept = sp_arena_alloc(c->a, (n ? n : 1) * sizeof *kept);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (rows[i].id == exclude) continue;
    /* not JSON: skipped, as before (its slot left zeroed for the next) */
    rc = sp_decode_row(s, rows[i].body, arr + m * s->size, c->a, &c->err);
    if (rc == SP_E_SYSTEM) continue;
    if (rc) return rc;
    kept[m++] = rows[i];
  }
  *out = arr;
  if (rows_out) *rows_out = kept;
  *n_out = m;
  return SP_OK;
}

const sp_obj *api_known(sp_ctx *c, sp_kind kind, int64_t id) {
  for (size_t i = 0; i < SP_ARRAY_LEN(c->known); i++)
    if (c->known[i] && c->known[i]->kind == kind && c->known[i]->id == id)
      return c->known[i];
  return NULL;
}

const sp_obj *api_row(sp_ctx *c, sp_kind kind, int64_t id, sp_obj *buf) {
  const sp_obj *k = api_known(c, kind, id);
  if (k) return k;
  sp_err ignore;
  if (!id || store_get(c->app->st, kind, c->advertiser_id, id, c->a, buf,
                       &ignore) != SP_OK)
    return NULL;
  return buf;
}

sp_rc api_answer_id(sp_ctx *c, const sp_kind_def *k, int64_t id) {
  sp_obj o;
  sp_rc rc = store_get(c->app->st, k->kind, c->advertiser_id, id, c->a, &o,
                       &c->err);
  if (rc) return rc;
  api_answer_obj(c, k, &o);
  return SP_OK;
}

sp_rc api_put(sp_ctx *c, sp_kind kind, const sp_schema *s, const void *obj,
              int64_t id, int64_t parent, sp_status st, const char *name,
              int insert, sp_obj *saved) {
  api_encode_row(c, kind, s, obj, id, parent, st, name, saved);
  return insert ? store_insert(c->app->st, saved, &c->err)
                : store_update(c->app->st, saved, &c->err);
}

void api_encode_row(sp_ctx *c, sp_kind kind, const sp_schema *s, const void *obj,
                    int64_t id, int64_t parent, sp_status st, const char *name,
                    sp_obj *out) {
  sp_buf text;
  sp_buf_init(&text, SP_MAX_BODY * 4);
  sp_buf_reserve(&text, 4096); /* most rows: an ad with 10 creatives is 3 KB */
  sp_encode_text(s, obj, &text);
  *out = (sp_obj){.kind = kind,
                  .id = id,
                  .advertiser_id = c->advertiser_id,
                  .parent_id = parent,
                  .status = st,
                  .create_time = c->now,
                  .modify_time = c->now,
                  .name = name,
                  .body = sp_arena_strndup(c->a, text.len ? text.data : "{}",
                                           text.len)};
  sp_buf_free(&text);
}
