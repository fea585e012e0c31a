/*
 * api/pixel.c - pixel/create and pixel/list, enough for ad groups to name a
 * pixel. A pixel records which channels feed it (event_sources: BROWSER,
 * EVENTS_API); a sandbox client may declare them at creation, and the events
 * pipeline sets them as events arrive.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../core/text.h"
#include "internal.h"
#include "../model/json.h"

/* 20-character uppercase alphanumeric code, as Events Manager shows. */
static void pixel_code_for(int64_t id, char out[21]) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  uint64_t h1 = XXH64(&id, sizeof id, 0x5350), h2 = XXH64(&id, sizeof id, 0x7878);
  out[0] = 'C';
  for (int i = 1; i < 20; i++) {
    uint64_t *h = i < 11 ? &h1 : &h2;
    out[i] = alphabet[*h % 36];
    *h /= 36;
  }
  out[20] = '\0';
}

static void iso_time(int64_t t, char out[21]) {
  char b[20];
  sp_time_format(t, b);
  snprintf(out, 21, "%.10sT%.8sZ", b, b + 11);
}

sp_rc api_pixel_insert_full(store *st, int64_t advertiser_id, const char *name,
                            const char *category, const sp_opt_strs *sources,
                            int64_t now, sp_arena *a, sp_pixel *p,
                            int64_t *pixel_id, const char **pixel_code,
                            sp_err *e) {
  sp_rc rc;
  int64_t id;
  char code[21], created[21];
  if ((rc = store_next_id(st, SP_KIND_PIXEL, &id, e))) return rc;
  pixel_code_for(id, code);
  iso_time(now, created);
  p->advertiser_id.set = p->pixel_id.set = p->pixel_code.set = 1;
  p->advertiser_id.v = advertiser_id;
  p->pixel_id.v = id;
  p->pixel_code.v = sp_arena_strdup(a, code);
  p->pixel_name.set = 1;
  p->pixel_name.v = name;
  if (category) {
    p->pixel_category.set = 1;
    p->pixel_category.v = category;
  }
  p->activity_status.set = p->pixel_setup_mode.set = p->create_time.set = 1;
  p->activity_status.v = "ACTIVE";
  p->pixel_setup_mode.v = "DEVELOPER";
  p->create_time.v = sp_arena_strdup(a, created);
  if (sources && sources->set) p->event_sources = *sources;
  json_t *j = sp_encode(&sp_pixel_schema, p);
  json_object_set_new(j, "events", json_array());
  char *text = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  sp_obj o = {.kind = SP_KIND_PIXEL,
              .id = id,
              .advertiser_id = advertiser_id,
              .status = SP_ST_ENABLE,
              .create_time = now,
              .modify_time = now,
              .name = name,
              .body = text};
  rc = store_insert(st, &o, e);
  free(text);
  if (rc) return rc;
  /* code -> pixel index: the browser Pixel names a pixel by code only */
  char mk[48], mv[48];
  snprintf(mk, sizeof mk, "pixel_code:%s", code);
  snprintf(mv, sizeof mv, "%lld,%lld", (long long)id, (long long)advertiser_id);
  if ((rc = store_meta_put(st, mk, mv, e))) return rc;
  *pixel_id = id;
  *pixel_code = p->pixel_code.v;
  return SP_OK;
}

sp_rc api_pixel_create(sp_ctx *c, json_t **data) {
  sp_rc rc;
  sp_pixel *p = sp_arena_alloc(c->a, sizeof *p);
  if ((rc = sp_decode(&sp_pixel_schema, c->body, p, 1, c->a, "", &c->err)))
    return rc;
  if (!p->pixel_name.set || !*p->pixel_name.v)
    return sp_fail(&c->err, SP_E_PARAM, "pixel_name", "PIXEL_REQUIRED",
                   "is required");
  if ((rc = store_write_begin(c->app->st, &c->err))) return rc;
  int64_t id;
  const char *code;
  sp_pixel *out = sp_arena_alloc(c->a, sizeof *out);
  if ((rc = api_pixel_insert_full(
           c->app->st, c->advertiser_id, p->pixel_name.v,
           p->pixel_category.set ? p->pixel_category.v : NULL,
           &p->event_sources, c->now, c->a, out, &id, &code, &c->err))) {
    store_rollback(c->app->st);
    return rc;
  }
  if ((rc = store_commit(c->app->st, &c->err))) return rc;
  *data = sp_encode(&sp_pixel_schema, out);
  return SP_OK;
}

sp_rc api_pixel_list(sp_ctx *c, json_t **data) {
  size_t page = 1, page_size = 20;
  const char *s;
  if ((s = api_query(c, "page"))) {
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9 ||
        atol(s) < 1)
      return sp_fail(&c->err, SP_E_PARAM, "page", "RANGE",
                     "must be an integer of at least 1");
    page = (size_t)atol(s);
  }
  if ((s = api_query(c, "page_size"))) {
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9 ||
        atol(s) < 1 || atol(s) > SP_LIMIT_pixel_list__page_size__MAXIMUM)
      return sp_fail(&c->err, SP_E_PARAM, "page_size", "RANGE",
                     "must be an integer from 1 to %d",
                     (int)SP_LIMIT_pixel_list__page_size__MAXIMUM);
    page_size = (size_t)atol(s);
  }
  sp_query q;
  memset(&q, 0, sizeof q);
  q.kind = SP_KIND_PIXEL;
  q.advertiser_id = c->advertiser_id;
  q.oldest_first = 1;
  int64_t one;
  if ((s = api_query(c, "pixel_id"))) {
    if (!sp_is_int64_string(s))
      return sp_fail(&c->err, SP_E_PARAM, "pixel_id", "ID",
                     "is not a valid id");
    one = strtoll(s, NULL, 10);
    q.ids = &one;
    q.n_ids = 1;
  }
  if ((s = api_query(c, "name"))) q.name_contains = s;
  if ((s = api_query(c, "order_by"))) {
    if (strcmp(s, "LATEST_CREATE") == 0) q.oldest_first = 0;
    else if (strcmp(s, "EARLIEST_CREATE") != 0)
      return sp_fail(&c->err, SP_E_PARAM, "order_by", "SPEC_ENUM",
                     "\"%.40s\" is not an allowed value; allowed: "
                     "EARLIEST_CREATE, LATEST_CREATE",
                     s);
  }
  const char *code = api_query(c, "code");
  sp_obj *rows;
  size_t n, total;
  sp_rc rc;
  if (code) { /* rare: filter by code in memory */
    if ((rc = store_list(c->app->st, &q, c->a, &rows, &n, &total, &c->err)))
      return rc;
  } else {
    q.offset = (page - 1) * page_size;
    q.limit = page_size;
    if ((rc = store_list(c->app->st, &q, c->a, &rows, &n, &total, &c->err)))
      return rc;
  }
  json_t *list = json_array();
  size_t matched = 0;
  for (size_t i = 0; i < n; i++) {
    json_t *j = sp_json_loads(rows[i].body, 0, NULL);
    if (!j) continue;
    if (code) {
      const char *mine = json_string_value(json_object_get(j, "pixel_code"));
      if (!mine || strcmp(mine, code) != 0) {
        json_decref(j);
        continue;
      }
      matched++;
      if (matched <= (page - 1) * page_size || matched > page * page_size) {
        json_decref(j);
        continue;
      }
    }
    json_array_append_new(list, j);
  }
  if (code) total = matched;
  *data = json_pack("{s:o, s:o}", "pixels", list, "page_info",
                    api_page_info(page, page_size, total));
  return SP_OK;
}
