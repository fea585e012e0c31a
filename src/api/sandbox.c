/*
 * api/sandbox.c - the sandbox's own controls, outside the live API's paths:
 * the server clock.
 *
 *   GET  /sandbox/clock           the time, and whether it is frozen
 *   POST /sandbox/clock/set       {"time": "2026-03-01 00:00:00", "frozen": true}
 *   POST /sandbox/clock/advance   {"hours": 24} or {"until": "..."}
 *
 * `set` moves the clock anywhere (before or after a deprecation deadline)
 * and runs nothing. `advance` only moves forward and runs the world through
 * the span (the delivery simulator's hook) before the clock shows the new
 * time; it leaves the clock frozen there, so that from then on time is
 * virtual (only set and advance move it) and the same requests give the
 * same reports. Both need a valid token but no advertiser: the clock is the
 * server's, shared by every advertiser.
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "internal.h"

/* Longest span one advance may run: 90 days. */
#define MAX_ADVANCE_S (90LL * 86400)

void sp_app_set_advance_hook(sp_app *app, sp_advance_hook fn, void *ud) {
  pthread_mutex_lock(&app->clock_lock);
  app->advance = fn;
  app->advance_ud = ud;
  pthread_mutex_unlock(&app->clock_lock);
}

static json_t *clock_view(sp_app *app) {
  int64_t us = sp_clock_now_us(app->clock);
  char t[20];
  sp_time_format(us / 1000000, t);
  return json_pack("{s:s, s:I, s:b}", "now", t, "now_unix",
                   (json_int_t)(us / 1000000), "frozen",
                   sp_clock_frozen(app->clock));
}

sp_rc api_sandbox_clock_get(sp_ctx *c, json_t **data) {
  *data = clock_view(c->app);
  return SP_OK;
}

static sp_rc parse_time(sp_ctx *c, const char *field, int64_t *out) {
  json_t *v = json_object_get(c->body, field);
  if (!json_is_string(v) || sp_time_parse_iso(json_string_value(v), out) != 0)
    return sp_fail(&c->err, SP_E_PARAM, field, "TIME",
                   "expected \"YYYY-MM-DD HH:MM:SS\" or "
                   "\"YYYY-MM-DDTHH:MM:SSZ\" (UTC)");
  return SP_OK;
}

sp_rc api_sandbox_clock_set(sp_ctx *c, json_t **data) {
  int64_t t;
  sp_rc rc;
  if (!json_object_get(c->body, "time"))
    return sp_fail(&c->err, SP_E_PARAM, "time", "REQUIRED", "is required");
  if ((rc = parse_time(c, "time", &t))) return rc;
  json_t *fz = json_object_get(c->body, "frozen");
  if (fz && !json_is_boolean(fz))
    return sp_fail(&c->err, SP_E_PARAM, "frozen", "TYPE",
                   "expected true or false");
  pthread_mutex_lock(&c->app->clock_lock);
  sp_clock_set_us(c->app->clock, t * 1000000);
  if (fz) sp_clock_freeze(c->app->clock, json_is_true(fz));
  pthread_mutex_unlock(&c->app->clock_lock);
  *data = clock_view(c->app);
  return SP_OK;
}

sp_rc api_sandbox_clock_advance(sp_ctx *c, json_t **data) {
  json_t *h = json_object_get(c->body, "hours");
  json_t *u = json_object_get(c->body, "until");
  if (!!h == !!u)
    return sp_fail(&c->err, SP_E_PARAM, h ? "until" : "hours", "ONE_OF",
                   "give exactly one of hours (a number) or until (a time)");
  double hours = 0;
  int64_t until = 0;
  if (h) {
    if (!json_is_number(h) || !isfinite(json_number_value(h)) ||
        json_number_value(h) <= 0 ||
        json_number_value(h) * 3600 > (double)MAX_ADVANCE_S)
      return sp_fail(&c->err, SP_E_PARAM, "hours", "RANGE",
                     "must be a number above 0 and at most %lld (90 days)",
                     MAX_ADVANCE_S / 3600);
    hours = json_number_value(h);
  } else {
    sp_rc rc = parse_time(c, "until", &until);
    if (rc) return rc;
  }

  sp_app *app = c->app;
  pthread_mutex_lock(&app->clock_lock);
  int64_t from = sp_clock_now_us(app->clock) / 1000000;
  int64_t to = h ? from + (int64_t)llround(hours * 3600) : until;
  if (to <= from || to - from > MAX_ADVANCE_S) {
    pthread_mutex_unlock(&app->clock_lock);
    char t[20];
    sp_time_format(from, t);
    return sp_fail(&c->err, SP_E_PARAM, "until", "RANGE",
                   "must be after the current time %s and at most 90 days "
                   "later (the clock only moves forward; use "
                   "/sandbox/clock/set to go back)",
                   t);
  }
  json_t *summary = json_object();
  sp_rc rc = SP_OK;
  if (app->advance)
    rc = app->advance(app->advance_ud, app, from, to, summary, &c->err);
  if (rc == SP_OK) { /* virtual time from now on: only set/advance move it */
    sp_clock_set_us(app->clock, to * 1000000);
    sp_clock_freeze(app->clock, 1);
  }
  pthread_mutex_unlock(&app->clock_lock);
  if (rc != SP_OK) {
    json_decref(summary);
    return rc;
  }
  char f[20];
  sp_time_format(from, f);
  *data = clock_view(app);
  json_object_set_new(*data, "advanced_from", json_string(f));
  json_object_set_new(*data, "advanced_seconds", json_integer(to - from));
  json_object_set_new(*data, "simulation", summary);
  return SP_OK;
}
