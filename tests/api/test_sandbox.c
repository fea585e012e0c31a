/*
 * test_sandbox.c - the sandbox clock: read, set (anywhere, frozen or not),
 * advance (forward only, running the advance hook over exactly the span).
 */
#include "../testutil.h"

static json_t *req(t_env *t, const char *m, const char *path, const char *body) {
  return t_req(t, m, path, T_TOKEN, body, NULL);
}

static const char *data_str(json_t *env, const char *k) {
  return json_string_value(json_object_get(json_object_get(env, "data"), k));
}

static void clock_get_and_set(void **state) {
  t_env *t = t_env_new();
  json_t *r = req(t, "GET", "/sandbox/clock", NULL);
  assert_int_equal(t_code(r), 0);
  assert_string_equal(data_str(r, "now"), "2026-04-01 00:00:00");
  assert_true(json_is_true(json_object_get(json_object_get(r, "data"), "frozen")));
  json_decref(r);

  /* both time spellings; going back is allowed for set */
  r = req(t, "POST", "/sandbox/clock/set", "{\"time\":\"2026-03-30 23:59:59\"}");
  assert_int_equal(t_code(r), 0);
  assert_string_equal(data_str(r, "now"), "2026-03-30 23:59:59");
  json_decref(r);
  r = req(t, "POST", "/sandbox/clock/set",
          "{\"time\":\"2026-06-30T00:00:00Z\",\"frozen\":true}");
  assert_int_equal(t_code(r), 0);
  assert_string_equal(data_str(r, "now"), "2026-06-30 00:00:00");
  json_decref(r);

  r = req(t, "POST", "/sandbox/clock/set", "{\"time\":\"30/06/2026\"}");
  assert_int_equal(t_code(r), 40002);
  assert_non_null(strstr(t_msg(r), "time"));
  json_decref(r);
  r = req(t, "POST", "/sandbox/clock/set", "{}");
  assert_int_equal(t_code(r), 40002);
  assert_non_null(strstr(t_msg(r), "time"));
  json_decref(r);
  r = req(t, "POST", "/sandbox/clock/set",
          "{\"time\":\"2026-06-30 00:00:00\",\"frozen\":\"yes\"}");
  assert_int_equal(t_code(r), 40002);
  assert_non_null(strstr(t_msg(r), "frozen"));
  json_decref(r);

  /* a token is needed, an advertiser is not */
  r = t_req(t, "GET", "/sandbox/clock", NULL, NULL, NULL);
  assert_int_equal(t_code(r), 40104);
  json_decref(r);
  t_env_free(t);
}

typedef struct seen {
  int calls;
  int64_t from, to;
} seen;

static sp_rc hook(void *ud, sp_app *app, int64_t from, int64_t to,
                  void *summary, sp_err *e) {
  seen *s = ud;
  s->calls++;
  s->from = from;
  s->to = to;
  /* the clock still shows `from` while the world runs */
  assert_int_equal(sp_clock_now_us(sp_app_clock(app)) / 1000000, from);
  json_object_set_new(summary, "minutes", json_integer((to - from) / 60));
  return SP_OK;
}

static void clock_advance(void **state) {
  t_env *t = t_env_new();
  seen s = {0};
  sp_app_set_advance_hook(t->app, hook, &s);
  json_t *r = req(t, "POST", "/sandbox/clock/advance", "{\"hours\":36}");
  assert_int_equal(t_code(r), 0);
  assert_string_equal(data_str(r, "now"), "2026-04-02 12:00:00");
  assert_string_equal(data_str(r, "advanced_from"), "2026-04-01 00:00:00");
  assert_int_equal(json_integer_value(json_object_get(json_object_get(
                       json_object_get(r, "data"), "simulation"), "minutes")),
                   36 * 60);
  json_decref(r);
  assert_int_equal(s.calls, 1);
  assert_int_equal(s.to - s.from, 36 * 3600);

  r = req(t, "POST", "/sandbox/clock/advance", "{\"until\":\"2026-04-03 00:00:00\"}");
  assert_int_equal(t_code(r), 0);
  assert_string_equal(data_str(r, "now"), "2026-04-03 00:00:00");
  json_decref(r);
  assert_int_equal(s.calls, 2);
  assert_int_equal(s.to - s.from, 12 * 3600);

  /* refused: backwards, zero, both, neither, too far; the hook never runs */
  const char *bad[] = {"{\"until\":\"2026-04-02 00:00:00\"}", "{\"hours\":0}",
                       "{\"hours\":1,\"until\":\"2026-05-01 00:00:00\"}", "{}",
                       "{\"hours\":2161}", "{\"hours\":\"24\"}"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    r = req(t, "POST", "/sandbox/clock/advance", bad[i]);
    assert_int_equal(t_code(r), 40002);
    assert_true(strstr(t_msg(r), "hours") || strstr(t_msg(r), "until"));
    json_decref(r);
  }
  assert_int_equal(s.calls, 2);
  r = req(t, "GET", "/sandbox/clock", NULL);
  assert_string_equal(data_str(r, "now"), "2026-04-03 00:00:00");
  json_decref(r);
  t_env_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(clock_get_and_set),
      cmocka_unit_test(clock_advance),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
