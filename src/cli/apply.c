/*
 * cli/apply.c - create a plan against any base URL (smartplusd or the live
 * API): the campaign, then each ad group under it, then each ad under its
 * ad group, every id taken from the previous answer.
 *
 * Re-runs create nothing twice:
 *  - campaign and ad group creates carry a request_id derived from the plan
 *    (sp_apply_request_id): the same entry gets the same request_id, and
 *    the API answers a repeated request_id with the object it created the
 *    first time. When that object has been deleted since (a rollback), the
 *    generation is bumped and a fresh request_id is used.
 *  - ad/create has no request_id in the live API. Before creating an ad,
 *    apply lists the ad group's ads (ad/get, deleted ones excluded) and
 *    takes an ad with the plan's ad_name if there is one: the n-th ad of a
 *    name in the plan is the n-th such ad, oldest first. A network failure
 *    during an ad create is retried by listing again first, never by
 *    repeating the POST blindly.
 * On failure the campaign is deleted (status DELETE, which deletes its ad
 * groups and ads) unless --keep-partial; the summary says what exists.
 * Network errors, HTTP 5xx/429 and the rate-limit / retryable codes are
 * retried with exponential backoff, a bounded number of times.
 */
#include "apply.h"

#include "client.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#define MAX_ADGROUPS 30
#define MAX_GENERATIONS 8

typedef struct opts {
  const char *base, *token, *adv, *salt;
  int keep_partial, quiet, retries;
  long timeout_s, backoff_ms, step_delay_ms;
} opts;


typedef struct app {
  opts o;
  sp_client cl;     /* its base is the base URL, with a final '/' */
  const char *base;
  const char *adv;  /* advertiser every call names */
  int step, steps;
} app;

/* ---- output ------------------------------------------------------------ */

static void progress(app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void progress(app *a, const char *fmt, ...) {
  if (a->o.quiet) return;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "apply: ");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  fflush(stderr);
}


/* ---- request ids ------------------------------------------------------- */

void sp_apply_request_id(const char *salt, const char *parent, size_t index,
                         json_t *body, unsigned generation, char *out) {
  json_t *b = json_deep_copy(body);
  static const char *const volatile_keys[] = {"advertiser_id", "campaign_id",
                                              "adgroup_id", "request_id", "ads"};
  for (size_t i = 0; i < sizeof volatile_keys / sizeof volatile_keys[0]; i++)
    json_object_del(b, volatile_keys[i]);
  char *text = json_dumps(b, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
  json_decref(b);
  XXH64_state_t *st = XXH64_createState();
  XXH64_reset(st, 0x5eed5a17);
  char head[96];
  int n = snprintf(head, sizeof head, "smartplus-apply/1|%zu|%u|", index, generation);
  XXH64_update(st, head, (size_t)n);
  XXH64_update(st, salt ? salt : "", strlen(salt ? salt : "") + 1);
  XXH64_update(st, parent ? parent : "", strlen(parent ? parent : "") + 1);
  XXH64_update(st, text ? text : "", strlen(text ? text : ""));
  uint64_t h = XXH64_digest(st) & ((UINT64_C(1) << 62) - 1);
  XXH64_freeState(st);
  free(text);
  if (!h) h = 1;
  snprintf(out, 21, "%llu", (unsigned long long)h);
}

/* ---- HTTP (client.c) --------------------------------------------------- */

static void on_retry(void *ud, const char *line) { progress(ud, "%s", line); }

/* ---- plan helpers ------------------------------------------------------ */

static int numeric(const char *s) {
  return s && *s && strspn(s, "0123456789") == strlen(s);
}

/* Give body the advertiser (where missing or a placeholder) and the parent
 * id. */
static void fill(app *a, json_t *body, const char *parent_key, const char *parent_id) {
  const char *adv = json_string_value(json_object_get(body, "advertiser_id"));
  if (!numeric(adv)) json_object_set_new(body, "advertiser_id", json_string(a->adv));
  if (parent_key) json_object_set_new(body, parent_key, json_string(parent_id));
}

static const char *sget(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "";
}

static int deleted(json_t *data) {
  const char *s = sget(data, "secondary_status");
  size_t n = strlen(s);
  return (n >= 7 && strcmp(s + n - 7, "_DELETE") == 0) ||
         strcmp(sget(data, "operation_status"), "DELETE") == 0;
}

static void set_str(json_t *o, const char *k, const char *v) {
  json_object_set_new(o, k, v ? json_string(v) : json_null());
}

/* Create with a derived request_id; a request_id that names a deleted
 * object moves on to the next generation. Returns 0 and the id in out. */
static int create_idem(app *a, const char *what, const char *path, json_t *body,
                       const char *parent_rid, size_t index, const char *id_key,
                       char *rid_out, char *out, size_t outlen, sp_resp *r) {
  for (unsigned gen = 0; gen < MAX_GENERATIONS; gen++) {
    sp_apply_request_id(a->o.salt, parent_rid, index, body, gen, rid_out);
    json_object_set_new(body, "request_id", json_string(rid_out));
    sp_client_call(&a->cl, what, "POST", path, body, NULL, r);
    if (!r->transport_ok || r->code != 0) return -1;
    const char *id = sget(r->data, id_key);
    if (!*id) {
      snprintf(r->msg, sizeof r->msg, "the answer has no %s", id_key);
      r->code = -1;
      return -1;
    }
    if (!deleted(r->data)) {
      snprintf(out, outlen, "%s", id);
      return 0;
    }
    progress(a, "%s: request_id %s names %s %s, which has been deleted since "
                "(a rollback, or by hand); using the next request_id",
             what, rid_out, id_key, id);
  }
  snprintf(r->msg, sizeof r->msg, "%u request_ids in a row name deleted objects",
           MAX_GENERATIONS);
  r->code = -1;
  return -1;
}

/* The ad group's ads that are not deleted: [{id, name, used}] oldest first. */
static int list_ads(app *a, const char *what, const char *adgroup_id, json_t **out,
                    sp_resp *r) {
  json_t *all = json_array();
  for (int page = 1;; page++) {
    char filt[256], q[1024];
    snprintf(filt, sizeof filt, "{\"adgroup_ids\":[\"%s\"]}", adgroup_id);
    char *ef = curl_easy_escape(a->cl.curl, filt, 0);
    snprintf(q, sizeof q, "advertiser_id=%s&filtering=%s&page=%d&page_size=100",
             a->adv, ef ? ef : "", page);
    curl_free(ef);
    sp_client_call(&a->cl, what, "GET", "smart_plus/ad/get/", NULL, q, r);
    if (!r->transport_ok || r->code != 0) {
      json_decref(all);
      return -1;
    }
    json_t *list = json_object_get(r->data, "list");
    size_t i;
    json_t *ad;
    json_array_foreach(list, i, ad) {
      if (deleted(ad)) continue;
      json_array_append_new(all, json_pack("{s:s, s:s, s:b}", "id",
                                           sget(ad, "smart_plus_ad_id"), "name",
                                           sget(ad, "ad_name"), "used", 0));
    }
    long total_page = (long)json_integer_value(
        json_object_get(json_object_get(r->data, "page_info"), "total_page"));
    if (page >= total_page || json_array_size(list) == 0) break;
  }
  /* oldest first: ids grow with creation in both the sandbox and live */
  size_t n = json_array_size(all);
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0; j--) {
      const char *x = sget(json_array_get(all, j - 1), "id");
      const char *y = sget(json_array_get(all, j), "id");
      if (strlen(x) < strlen(y) || (strlen(x) == strlen(y) && strcmp(x, y) <= 0)) break;
      json_t *t = json_incref(json_array_get(all, j - 1));
      json_array_set(all, j - 1, json_array_get(all, j));
      json_array_set_new(all, j, t);
    }
  *out = all;
  return 0;
}

static const char *take(json_t *existing, const char *name) {
  size_t i;
  json_t *e;
  json_array_foreach(existing, i, e) {
    if (json_is_true(json_object_get(e, "used"))) continue;
    if (strcmp(sget(e, "name"), name) != 0) continue;
    json_object_set_new(e, "used", json_true());
    return sget(e, "id");
  }
  return NULL;
}

/* Create one ad unless the ad group already has it (see the file comment).
 * Returns 0 with the id and whether it was found, -1 on failure. */
static int ensure_ad(app *a, const char *what, json_t *body, const char *adgroup_id,
                     json_t **existing, char *out, size_t outlen, int *found,
                     sp_resp *r) {
  const char *name = sget(body, "ad_name");
  for (int attempt = 0;; attempt++) {
    if (!*existing && list_ads(a, what, adgroup_id, existing, r) != 0) return -1;
    const char *id = *name ? take(*existing, name) : NULL;
    if (id) {
      snprintf(out, outlen, "%s", id);
      *found = 1;
      return 0;
    }
    sp_client_once(&a->cl, "POST", "smart_plus/ad/create/", body, NULL, r);
    if (r->transport_ok && r->code == 0) {
      const char *nid = sget(r->data, "smart_plus_ad_id");
      if (!*nid) {
        snprintf(r->msg, sizeof r->msg, "the answer has no smart_plus_ad_id");
        r->code = -1;
        return -1;
      }
      snprintf(out, outlen, "%s", nid);
      *found = 0;
      /* this one is now taken too */
      json_array_append_new(*existing, json_pack("{s:s, s:s, s:b}", "id", nid,
                                                 "name", name, "used", 1));
      return 0;
    }
    if (!sp_resp_retryable(r) || attempt >= a->o.retries) return -1;
    long d = sp_client_backoff(&a->cl, attempt);
    progress(a, "%s: %s%s; listing the ad group's ads again before retry %d of "
                "%d in %ld ms",
             what, r->transport_ok ? "" : "network error: ", r->msg, attempt + 1,
             a->o.retries, d);
    sp_sleep_ms(d);
    /* the POST may have gone through: look again, keeping the ads this run
     * already gave to earlier entries of the plan */
    json_t *old = *existing, *fresh = NULL;
    if (list_ads(a, what, adgroup_id, &fresh, r) != 0) return -1;
    size_t i, k;
    json_t *o, *f;
    json_array_foreach(old, i, o) {
      if (!json_is_true(json_object_get(o, "used"))) continue;
      json_array_foreach(fresh, k, f) {
        if (strcmp(sget(f, "id"), sget(o, "id")) == 0)
          json_object_set_new(f, "used", json_true());
      }
    }
    json_decref(old);
    *existing = fresh;
  }
}

/* ---- the run ----------------------------------------------------------- */

static json_t *error_obj(const char *step, const sp_resp *r) {
  return json_pack("{s:s, s:I, s:s, s:b, s:b}", "step", step, "code",
                   (json_int_t)r->code, "message", r->msg, "network",
                   !r->transport_ok, "maybe_sent", !r->transport_ok && r->maybe_sent);
}

static void mark_one(json_t *o, const char *to, int exists) {
  const char *st = sget(o, "status");
  if (strcmp(st, "created") == 0 || strcmp(st, "found") == 0) {
    set_str(o, "status", to);
    json_object_set_new(o, "exists", json_boolean(exists));
  }
}

/* Every object this run created or found becomes `to`. */
static void mark_all(json_t *sum, const char *to, int exists) {
  mark_one(json_object_get(sum, "campaign"), to, exists);
  size_t i, k;
  json_t *g, *ad;
  json_array_foreach(json_object_get(sum, "adgroups"), i, g) {
    mark_one(g, to, exists);
    json_array_foreach(json_object_get(g, "ads"), k, ad) mark_one(ad, to, exists);
  }
}

/* What exists now, by kind. */
static json_t *existing_ids(json_t *sum) {
  json_t *cs = json_array(), *gs = json_array(), *as = json_array();
  json_t *c = json_object_get(sum, "campaign");
  if (json_is_true(json_object_get(c, "exists")))
    json_array_append_new(cs, json_string(sget(c, "campaign_id")));
  size_t i, k;
  json_t *g, *ad;
  json_array_foreach(json_object_get(sum, "adgroups"), i, g) {
    if (json_is_true(json_object_get(g, "exists")))
      json_array_append_new(gs, json_string(sget(g, "adgroup_id")));
    json_array_foreach(json_object_get(g, "ads"), k, ad) {
      if (json_is_true(json_object_get(ad, "exists")))
        json_array_append_new(as, json_string(sget(ad, "smart_plus_ad_id")));
    }
  }
  return json_pack("{s:o, s:o, s:o}", "campaign_ids", cs, "adgroup_ids", gs,
                   "smart_plus_ad_ids", as);
}

static int run(app *a, json_t *plan, json_t *sum) {
  sp_resp r = {0};
  r.code = -1;
  json_t *camp = json_object_get(plan, "campaign");
  json_t *ags = json_object_get(plan, "adgroups");
  json_t *sc = json_object_get(sum, "campaign");
  json_t *sgs = json_object_get(sum, "adgroups");
  char crid[24] = "", cid[32] = "";
  int failed = 0;

  /* 1. campaign */
  json_t *body = json_deep_copy(camp);
  fill(a, body, NULL, NULL);
  a->step++;
  if (create_idem(a, "campaign", "smart_plus/campaign/create/", body, "", 0,
                  "campaign_id", crid, cid, sizeof cid, &r) != 0) {
    progress(a, "[%d/%d] campaign \"%s\": FAILED: %s", a->step, a->steps,
             sget(camp, "campaign_name"), r.msg);
    set_str(sc, "status", "failed");
    json_object_set_new(sum, "error", error_obj("campaign", &r));
    json_decref(body);
    sp_resp_clear(&r);
    return -1;
  }
  json_decref(body);
  set_str(sc, "request_id", crid);
  set_str(sc, "campaign_id", cid);
  set_str(sc, "status", "created");
  json_object_set_new(sc, "exists", json_true());
  progress(a, "[%d/%d] campaign \"%s\": %s (request_id %s)", a->step, a->steps,
           sget(camp, "campaign_name"), cid, crid);
  sp_sleep_ms(a->o.step_delay_ms);

  /* 2. ad groups, each followed by its ads */
  for (size_t i = 0; i < json_array_size(ags) && !failed; i++) {
    json_t *g = json_array_get(ags, i);
    json_t *sg = json_array_get(sgs, i);
    char what[64], grid[24] = "", gid[32] = "";
    snprintf(what, sizeof what, "adgroups[%zu]", i);
    body = json_deep_copy(g);
    json_object_del(body, "ads");
    fill(a, body, "campaign_id", cid);
    a->step++;
    int rc = create_idem(a, what, "smart_plus/adgroup/create/", body, crid, i,
                         "adgroup_id", grid, gid, sizeof gid, &r);
    json_decref(body);
    if (rc != 0) {
      progress(a, "[%d/%d] %s \"%s\": FAILED: %s", a->step, a->steps, what,
               sget(g, "adgroup_name"), r.msg);
      set_str(sg, "status", "failed");
      json_object_set_new(sum, "error", error_obj(what, &r));
      failed = 1;
      break;
    }
    set_str(sg, "request_id", grid);
    set_str(sg, "adgroup_id", gid);
    set_str(sg, "status", "created");
    json_object_set_new(sg, "exists", json_true());
    progress(a, "[%d/%d] %s \"%s\": %s (request_id %s)", a->step, a->steps, what,
             sget(g, "adgroup_name"), gid, grid);
    sp_sleep_ms(a->o.step_delay_ms);

    json_t *existing = NULL;
    json_t *ads = json_object_get(g, "ads");
    for (size_t k = 0; k < json_array_size(ads); k++) {
      json_t *ad = json_array_get(ads, k);
      json_t *sa = json_array_get(json_object_get(sg, "ads"), k);
      char awhat[96], aid[32];
      int found = 0;
      snprintf(awhat, sizeof awhat, "adgroups[%zu].ads[%zu]", i, k);
      body = json_deep_copy(ad);
      fill(a, body, "adgroup_id", gid);
      a->step++;
      rc = ensure_ad(a, awhat, body, gid, &existing, aid, sizeof aid, &found, &r);
      json_decref(body);
      if (rc != 0) {
        progress(a, "[%d/%d] %s \"%s\": FAILED: %s", a->step, a->steps, awhat,
                 sget(ad, "ad_name"), r.msg);
        set_str(sa, "status", "failed");
        json_object_set_new(sum, "error", error_obj(awhat, &r));
        failed = 1;
        break;
      }
      set_str(sa, "smart_plus_ad_id", aid);
      set_str(sa, "status", found ? "found" : "created");
      json_object_set_new(sa, "exists", json_true());
      progress(a, "[%d/%d] %s \"%s\": %s (%s)", a->step, a->steps, awhat,
               sget(ad, "ad_name"), aid,
               found ? "found under the ad group: made by an earlier run"
                     : "created");
      sp_sleep_ms(a->o.step_delay_ms);
    }
    json_decref(existing);
  }
  sp_resp_clear(&r);
  return failed ? -1 : 0;
}

/* Delete the campaign (its ad groups and ads go with it). */
static int rollback(app *a, json_t *sum) {
  json_t *sc = json_object_get(sum, "campaign");
  const char *cid = sget(sc, "campaign_id");
  sp_resp r = {0};
  r.code = -1;
  progress(a, "rolling back: deleting campaign %s and everything under it", cid);
  json_t *body = json_pack("{s:s, s:[s], s:s}", "advertiser_id", a->adv,
                           "campaign_ids", cid, "operation_status", "DELETE");
  sp_client_call(&a->cl, "rollback", "POST", "smart_plus/campaign/status/update/", body, NULL, &r);
  json_decref(body);
  int ok = r.transport_ok && r.code == 0 &&
           json_array_size(json_object_get(r.data, "error_list")) == 0;
  if (!ok) {
    if (r.transport_ok && r.code == 0)
      snprintf(r.msg, sizeof r.msg, "%s",
               sget(json_array_get(json_object_get(r.data, "error_list"), 0),
                    "error_message"));
    progress(a, "rollback FAILED: %s", r.msg);
    json_object_set_new(sum, "rollback_error",
                        json_pack("{s:I, s:s}", "code", (json_int_t)r.code,
                                  "message", r.msg));
  }
  sp_resp_clear(&r);
  return ok ? 0 : -1;
}

static void say_what_exists(app *a, json_t *sum) {
  json_t *ex = json_object_get(sum, "exists");
  json_t *cs = json_object_get(ex, "campaign_ids");
  json_t *gs = json_object_get(ex, "adgroup_ids");
  json_t *as = json_object_get(ex, "smart_plus_ad_ids");
  if (!json_array_size(cs) && !json_array_size(gs) && !json_array_size(as)) {
    progress(a, "nothing of this plan exists on %s", a->base);
    return;
  }
  char line[4096];
  size_t n = 0;
  json_t *lists[3] = {cs, gs, as};
  const char *names[3] = {"campaign", "ad groups", "ads"};
  for (int k = 0; k < 3; k++) {
    if (!json_array_size(lists[k])) continue;
    n += (size_t)snprintf(line + n, n < sizeof line ? sizeof line - n : 0, "%s%s",
                          n ? "; " : "", names[k]);
    size_t i;
    json_t *v;
    json_array_foreach(lists[k], i, v) {
      n += (size_t)snprintf(line + n, n < sizeof line ? sizeof line - n : 0, "%s%s",
                            i ? ", " : " ", json_string_value(v));
      if (n >= sizeof line) n = sizeof line - 1;
    }
  }
  progress(a, "exists now on %s: %s", a->base, line);
}

/* ---- command ----------------------------------------------------------- */

static void usage(FILE *f) {
  fprintf(f,
          "usage: smartplus apply PLAN.json|- --base-url URL [--token TOKEN]\n"
          "         [--advertiser-id ID] [--keep-partial] [--timeout SECONDS]\n"
          "         [--retries N] [--backoff-ms MS] [--salt TEXT] [--quiet]\n"
          "  Creates the plan's campaign, ad groups and ads (smartplusd or the\n"
          "  live API: URL like https://business-api.tiktok.com/open_api/v1.3/).\n"
          "  The token comes from --token or SMARTPLUS_TOKEN. Progress goes to\n"
          "  stderr, a JSON summary of what exists to stdout. Re-running the\n"
          "  same plan creates nothing twice (--salt makes a second copy). On\n"
          "  failure the campaign is deleted again unless --keep-partial.\n"
          "  Defaults: --timeout 30, --retries 3, --backoff-ms 500 (doubling,\n"
          "  at most 8 s). Exit: 0 created, 1 failed, 2 bad usage or plan.\n");
}

static int check_plan(json_t *plan, char *err, size_t n) {
  json_t *c = json_object_get(plan, "campaign");
  if (!json_is_object(c)) {
    snprintf(err, n, "plan: has no \"campaign\" object");
    return -1;
  }
  json_t *ags = json_object_get(plan, "adgroups");
  if (ags && !json_is_array(ags)) {
    snprintf(err, n, "adgroups: must be an array");
    return -1;
  }
  if (json_array_size(ags) > MAX_ADGROUPS) {
    snprintf(err, n, "adgroups: has %zu ad groups; a campaign holds at most %d",
             json_array_size(ags), MAX_ADGROUPS);
    return -1;
  }
  if (json_object_get(plan, "ads")) {
    snprintf(err, n, "ads: apply takes ads nested in their ad group "
                     "(adgroups[].ads), not top-level");
    return -1;
  }
  size_t i, k;
  json_t *g, *ad;
  json_array_foreach(ags, i, g) {
    if (!json_is_object(g)) {
      snprintf(err, n, "adgroups[%zu]: is not an object", i);
      return -1;
    }
    json_t *ads = json_object_get(g, "ads");
    if (ads && !json_is_array(ads)) {
      snprintf(err, n, "adgroups[%zu].ads: must be an array", i);
      return -1;
    }
    if (json_array_size(ads) > 64) {
      snprintf(err, n, "adgroups[%zu].ads: more than 64 ads in one ad group", i);
      return -1;
    }
    json_array_foreach(ads, k, ad) {
      if (!json_is_object(ad)) {
        snprintf(err, n, "adgroups[%zu].ads[%zu]: is not an object", i, k);
        return -1;
      }
    }
  }
  return 0;
}

static json_t *summary_skeleton(app *a, json_t *plan) {
  json_t *camp = json_object_get(plan, "campaign");
  json_t *sgs = json_array();
  size_t i, k;
  json_t *g, *ad;
  json_array_foreach(json_object_get(plan, "adgroups"), i, g) {
    json_t *sas = json_array();
    json_array_foreach(json_object_get(g, "ads"), k, ad) {
      json_array_append_new(
          sas, json_pack("{s:I, s:s, s:n, s:s, s:b}", "index", (json_int_t)k,
                         "ad_name", sget(ad, "ad_name"), "smart_plus_ad_id",
                         "status", "not_created", "exists", 0));
    }
    json_array_append_new(
        sgs, json_pack("{s:I, s:s, s:n, s:n, s:s, s:b, s:o}", "index",
                       (json_int_t)i, "adgroup_name", sget(g, "adgroup_name"),
                       "request_id", "adgroup_id", "status", "not_created",
                       "exists", 0, "ads", sas));
  }
  return json_pack("{s:b, s:s, s:s, s:s, s:{s:s, s:n, s:n, s:s, s:b}, s:o, s:n}",
                   "ok", 0, "result", "failed", "base_url", a->base,
                   "advertiser_id", a->adv, "campaign", "campaign_name",
                   sget(camp, "campaign_name"), "request_id", "campaign_id",
                   "status", "not_created", "exists", 0, "adgroups", sgs,
                   "error");
}

int sp_apply_main(int argc, char **argv) {
  app a;
  memset(&a, 0, sizeof a);
  a.o.timeout_s = 30;
  a.o.retries = 3;
  a.o.backoff_ms = 500;
  a.o.salt = "";
  const char *in = NULL;
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    int more = i + 1 < argc;
    if (strcmp(s, "--base-url") == 0 && more) a.o.base = argv[++i];
    else if (strcmp(s, "--token") == 0 && more) a.o.token = argv[++i];
    else if (strcmp(s, "--advertiser-id") == 0 && more) a.o.adv = argv[++i];
    else if (strcmp(s, "--salt") == 0 && more) a.o.salt = argv[++i];
    else if (strcmp(s, "--timeout") == 0 && more) a.o.timeout_s = atol(argv[++i]);
    else if (strcmp(s, "--retries") == 0 && more) a.o.retries = atoi(argv[++i]);
    else if (strcmp(s, "--backoff-ms") == 0 && more) a.o.backoff_ms = atol(argv[++i]);
    else if (strcmp(s, "--keep-partial") == 0) a.o.keep_partial = 1;
    else if (strcmp(s, "--quiet") == 0 || strcmp(s, "-q") == 0) a.o.quiet = 1;
    else if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
      usage(stdout);
      return 0;
    } else if (!in && (s[0] != '-' || strcmp(s, "-") == 0)) in = s;
    else {
      fprintf(stderr, "smartplus apply: unexpected argument \"%s\"\n", s);
      usage(stderr);
      return 2;
    }
  }
  if (!a.o.token) a.o.token = getenv("SMARTPLUS_TOKEN");
  const char *delay = getenv("SMARTPLUS_APPLY_STEP_DELAY_MS"); /* tests */
  a.o.step_delay_ms = delay ? atol(delay) : 0;
  if (!in || !a.o.base || !*a.o.base) {
    usage(stderr);
    return 2;
  }
  if (!a.o.token || !*a.o.token) {
    fprintf(stderr, "smartplus apply: no token: pass --token or set SMARTPLUS_TOKEN\n");
    return 2;
  }
  if (a.o.timeout_s < 1 || a.o.timeout_s > 600 || a.o.retries < 0 ||
      a.o.retries > 10 || a.o.backoff_ms < 0 || a.o.backoff_ms > 60000) {
    fprintf(stderr, "smartplus apply: --timeout takes 1..600 seconds, --retries "
                    "0..10, --backoff-ms 0..60000\n");
    return 2;
  }

  json_error_t je;
  json_t *plan = strcmp(in, "-") == 0 ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &je)
                                      : json_load_file(in, JSON_REJECT_DUPLICATES, &je);
  if (!plan) {
    fprintf(stderr, "smartplus apply: %s: invalid JSON at line %d: %s\n", in,
            je.line, je.text);
    return 2;
  }
  char err[256];
  if (check_plan(plan, err, sizeof err) != 0) {
    fprintf(stderr, "smartplus apply: %s: %s\n", in, err);
    json_decref(plan);
    return 2;
  }
  const char *padv = json_string_value(
      json_object_get(json_object_get(plan, "campaign"), "advertiser_id"));
  a.adv = numeric(padv) ? padv : a.o.adv;
  if (!numeric(a.adv)) {
    fprintf(stderr, "smartplus apply: %s: campaign.advertiser_id is missing or "
                    "a placeholder; pass --advertiser-id\n", in);
    json_decref(plan);
    return 2;
  }
  a.steps = 1;
  size_t i;
  json_t *g;
  json_array_foreach(json_object_get(plan, "adgroups"), i, g) {
    a.steps += 1 + (int)json_array_size(json_object_get(g, "ads"));
  }

  curl_global_init(CURL_GLOBAL_DEFAULT);
  if (sp_client_init(&a.cl, a.o.base, a.o.token, a.o.timeout_s, a.o.retries,
                     a.o.backoff_ms, "smartplus-apply/1") != 0) {
    fprintf(stderr, "smartplus apply: libcurl cannot start\n");
    json_decref(plan);
    curl_global_cleanup();
    return 2;
  }
  a.cl.on_retry = on_retry;
  a.cl.ud = &a;
  a.base = a.cl.base;
  json_t *sum = summary_skeleton(&a, plan);
  progress(&a, "%d steps against %s (advertiser %s)", a.steps, a.base, a.adv);
  int rc = run(&a, plan, sum);
  const char *result = "created";
  if (rc != 0) {
    int any = json_is_true(json_object_get(json_object_get(sum, "campaign"), "exists"));
    if (!any) result = "failed";
    else if (a.o.keep_partial) result = "partial";
    else if (rollback(&a, sum) == 0) {
      mark_all(sum, "deleted", 0);
      result = "rolled_back";
    } else {
      result = "rollback_failed";
    }
  }
  json_object_set_new(sum, "ok", json_boolean(rc == 0));
  set_str(sum, "result", result);
  json_object_set_new(sum, "exists", existing_ids(sum));
  if (rc == 0) {
    progress(&a, "done: the plan exists (campaign %s)",
             sget(json_object_get(sum, "campaign"), "campaign_id"));
  } else {
    const char *how = strcmp(result, "rolled_back") == 0
                          ? "everything this plan created was deleted again"
                      : strcmp(result, "partial") == 0
                          ? "kept what was created (--keep-partial)"
                      : strcmp(result, "rollback_failed") == 0
                          ? "the rollback failed too; delete the campaign by hand "
                            "or re-run apply to finish the plan"
                          : "nothing was created";
    json_t *err_o = json_object_get(sum, "error");
    progress(&a, "FAILED at %s: %s; %s", sget(err_o, "step"), sget(err_o, "message"),
             how);
  }
  json_t *e = json_object_get(sum, "error");
  if (json_is_true(json_object_get(e, "maybe_sent")) &&
      strcmp(result, "rolled_back") != 0) {
    /* the request may have reached the server before the answer was lost */
    set_str(sum, "maybe_exists", sget(e, "step"));
    progress(&a, "%s got no answer: it may have been created all the same; a "
                 "re-run of apply finds it rather than creating it twice",
             sget(e, "step"));
  }
  say_what_exists(&a, sum);
  json_dumpf(sum, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', stdout);
  json_decref(sum);
  json_decref(plan);
  sp_client_free(&a.cl);
  curl_global_cleanup();
  return rc == 0 ? 0 : 1;
}
