/*
 * api/demo.c - the first-start set-up `make run` relies on: a demo
 * advertiser allowlisted for Upgraded Smart+, a demo pixel fed by both the
 * browser Pixel and the Events API, and an access token with the three
 * scopes. Ids are remembered in the store's meta table, so a restart prints
 * the same ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../model/json.h"

#define DEMO_ADVERTISER 7318446224790159361LL

sp_rc sp_demo_ensure(store *st, sp_clock *clock, const char *token,
                     sp_demo *out, sp_err *e) {
  sp_rc rc;
  sp_arena *a = sp_arena_create();
  const char *v;
  sp_err ignore;
  memset(out, 0, sizeof *out);

  if (store_meta_get(st, "demo_advertiser_id", a, &v, &ignore) == SP_OK) {
    out->advertiser_id = strtoll(v, NULL, 10);
  } else {
    sp_advertiser adv = {DEMO_ADVERTISER, "smartplus demo advertiser", 1,
                         "USD", "UTC"};
    char buf[24];
    if ((rc = store_advertiser_put(st, &adv, e))) goto out;
    snprintf(buf, sizeof buf, "%lld", DEMO_ADVERTISER);
    if ((rc = store_meta_put(st, "demo_advertiser_id", buf, e))) goto out;
    out->advertiser_id = DEMO_ADVERTISER;
  }

  if (store_meta_get(st, "demo_pixel_id", a, &v, &ignore) == SP_OK) {
    out->pixel_id = strtoll(v, NULL, 10);
    sp_obj o;
    if (store_get(st, SP_KIND_PIXEL, out->advertiser_id, out->pixel_id, a, &o,
                  &ignore) == SP_OK) {
      json_t *j = sp_json_loads(o.body, 0, NULL);
      snprintf(out->pixel_code, sizeof out->pixel_code, "%s",
               j ? json_string_value(json_object_get(j, "pixel_code")) : "");
      json_decref(j);
    }
  } else {
    static const char *both[] = {"BROWSER", "EVENTS_API"};
    sp_opt_strs sources = {1, 2, both};
    sp_pixel p;
    const char *code;
    char buf[24];
    memset(&p, 0, sizeof p);
    if ((rc = store_write_begin(st, e))) goto out;
    rc = api_pixel_insert_full(st, out->advertiser_id, "Demo Pixel",
                               "ONLINE_STORE", &sources,
                               sp_clock_now_us(clock) / 1000000, a, &p,
                               &out->pixel_id, &code, e);
    if (rc) {
      store_rollback(st);
      goto out;
    }
    if ((rc = store_commit(st, e))) goto out;
    snprintf(out->pixel_code, sizeof out->pixel_code, "%s", code);
    snprintf(buf, sizeof buf, "%lld", (long long)out->pixel_id);
    if ((rc = store_meta_put(st, "demo_pixel_id", buf, e))) goto out;
  }

  if (token) {
    snprintf(out->token, sizeof out->token, "%s", token);
  } else if (store_meta_get(st, "demo_token", a, &v, &ignore) == SP_OK) {
    snprintf(out->token, sizeof out->token, "%s", v);
  } else {
    char t[41];
    sp_token_generate(t);
    snprintf(out->token, sizeof out->token, "%s", t);
  }
  sp_token tk;
  memset(&tk, 0, sizeof tk);
  tk.scopes = SP_SCOPE_ALL;
  tk.n_advertisers = 1;
  tk.advertisers[0] = out->advertiser_id;
  if ((rc = store_token_put(st, out->token, &tk, e))) goto out;
  if ((rc = store_meta_put(st, "demo_token", out->token, e))) goto out;
  rc = SP_OK;
out:
  sp_arena_destroy(a);
  return rc;
}
