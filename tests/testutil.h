/*
 * testutil.h - shared by the C tests: cmocka, and an in-process API
 * environment (":memory:" store, a frozen clock, the demo advertiser and a
 * known token) that runs requests through sp_api_handle without a socket.
 */
#ifndef SP_TESTUTIL_H
#define SP_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "api/api.h"

#define T_TOKEN "test-token"

typedef struct t_env {
  store *st;
  sp_clock *clock;
  sp_app *app;
  sp_demo demo;
  char adv[24]; /* demo advertiser id as a string */
} t_env;

static inline t_env *t_env_new(void) {
  t_env *t = calloc(1, sizeof *t);
  sp_err e;
  sp_err_clear(&e);
  assert_int_equal(store_open(":memory:", &t->st, &e), SP_OK);
  t->clock = sp_clock_create();
  sp_clock_set_us(t->clock, 1775001600LL * 1000000); /* 2026-04-01 00:00:00 */
  sp_clock_freeze(t->clock, 1);
  assert_int_equal(sp_demo_ensure(t->st, t->clock, T_TOKEN, &t->demo, &e), SP_OK);
  t->app = sp_app_create(t->st, t->clock);
  snprintf(t->adv, sizeof t->adv, "%lld", (long long)t->demo.advertiser_id);
  return t;
}

/* An empty file at path (a mkstemp template, rewritten), for a database. */
static inline void t_make_tmp_file(char *path) {
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
}

/* A fresh database file from a mkstemp template (path is rewritten), opened. */
static inline store *t_open_tmp_db(char *path) {
  t_make_tmp_file(path);
  store *st;
  sp_err e;
  assert_int_equal(store_open(path, &st, &e), SP_OK);
  return st;
}

/* A database file and its WAL and shared-memory files, removed. */
static inline void t_unlink_db(const char *path) {
  char x[512];
  unlink(path);
  snprintf(x, sizeof x, "%s-wal", path);
  unlink(x);
  snprintf(x, sizeof x, "%s-shm", path);
  unlink(x);
}

static inline void t_env_free(t_env *t) {
  sp_app_destroy(t->app);
  store_close(t->st);
  sp_clock_destroy(t->clock);
  free(t);
}

/* Run one request; returns the parsed envelope (caller decrefs) and sets
 * *http to the HTTP status. `target` may carry a query string. The body
 * may contain the placeholder ADV, replaced by the demo advertiser id. */
static inline json_t *t_req(t_env *t, const char *method, const char *target,
                            const char *token, const char *body, int *http) {
  sp_arena *a = sp_arena_create();
  char *path = sp_arena_strdup(a, target);
  char *q = strchr(path, '?');
  sp_kv *kv = NULL;
  size_t n = 0;
  if (q) {
    *q = '\0';
    n = sp_query_parse(a, q + 1, &kv);
  }
  /* substitute ADV */
  char *b = NULL;
  if (body) {
    size_t cap = strlen(body) * 2 + 64;
    b = sp_arena_alloc(a, cap);
    const char *p = body;
    char *o = b;
    while (*p) {
      if (strncmp(p, "ADV", 3) == 0) {
        o += sprintf(o, "%s", t->adv);
        p += 3;
      } else {
        *o++ = *p++;
      }
    }
    *o = '\0';
  }
  sp_request rq = {method, path, kv, n, token, b, b ? strlen(b) : 0, 0};
  sp_response rs;
  sp_api_handle(t->app, &rq, &rs);
  json_error_t err;
  json_t *j = json_loadb(rs.body, rs.len, 0, &err);
  if (!j) fail_msg("response is not JSON: %.*s", (int)rs.len, rs.body);
  /* every answer is the envelope */
  assert_true(json_is_integer(json_object_get(j, "code")));
  assert_true(json_is_string(json_object_get(j, "message")));
  /* the live API's request_id: the time (YYYYMMDDhhmmss), 20 hex digits */
  const char *rid = json_string_value(json_object_get(j, "request_id"));
  assert_non_null(rid);
  assert_int_equal(strlen(rid), 34);
  for (int i = 0; i < 34; i++)
    assert_non_null(strchr(i < 14 ? "0123456789" : "0123456789ABCDEF", rid[i]));
  assert_true(json_is_object(json_object_get(j, "data")));
  if (http) *http = rs.status;
  sp_response_free(&rs);
  sp_arena_destroy(a);
  return j;
}

static inline json_t *t_post(t_env *t, const char *path, const char *body) {
  char full[512];
  snprintf(full, sizeof full, "/open_api/v1.3%s", path);
  return t_req(t, "POST", full, T_TOKEN, body, NULL);
}

static inline json_t *t_get(t_env *t, const char *path_query) {
  char full[4096];
  snprintf(full, sizeof full, "/open_api/v1.3%s", path_query);
  return t_req(t, "GET", full, T_TOKEN, NULL, NULL);
}

static inline int t_code(json_t *env) {
  return (int)json_integer_value(json_object_get(env, "code"));
}

static inline const char *t_msg(json_t *env) {
  return json_string_value(json_object_get(env, "message"));
}

static inline json_t *t_data(json_t *env) { return json_object_get(env, "data"); }

/* Assert code and that the message contains `needle`. */
#define t_expect(env, code_, needle)                                        \
  do {                                                                      \
    json_t *env_ = (env);                                                   \
    if (t_code(env_) != (code_) || !strstr(t_msg(env_), (needle)))          \
      fail_msg("expected code %d with \"%s\", got %d \"%s\"", (code_),      \
               (needle), t_code(env_), t_msg(env_));                        \
  } while (0)

#define t_ok(env)                                                           \
  do {                                                                      \
    json_t *env_ = (env);                                                   \
    if (t_code(env_) != 0)                                                  \
      fail_msg("expected OK, got %d \"%s\"", t_code(env_), t_msg(env_));    \
  } while (0)

#endif
