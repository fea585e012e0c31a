/* tests/model/test_json.c - sp_json_load (yajl lexing, jansson values)
 * accepts what json_loadb accepts, builds the same tree, and refuses what it
 * refuses, with a reason and a byte position. */
#include "../testutil.h"

#include "model/json.h"

static const char *valid[] = {
    "{}",
    "[]",
    " \n\t{ \"a\" : 1 }\n",
    "{\"a\":[1,2,{\"b\":null}],\"c\":true,\"d\":false,\"e\":\"x\"}",
    "[0,-0,1.5,-2.25e3,1E10,9223372036854775807,-9223372036854775808]",
    "{\"s\":\"tab\\tquote\\\"slash\\/back\\\\nl\\n\"}",
    "{\"u\":\"caf\\u00e9 \\ud83d\\ude00 \xc3\xa9\xf0\x9f\x98\x80\"}",
    "{\"\\u00e9t\\u00e9\":{\"nested\":[[[[\"deep\"]]]]}}",
    "{\"a\":1,\"a\":2}", /* without JSON_REJECT_DUPLICATES the last wins */
    "{\"big\":1.7976931348623157e308,\"small\":5e-324}",
};

static void same_tree_as_jansson(void **s_) {
  (void)s_;
  for (size_t i = 0; i < sizeof valid / sizeof *valid; i++) {
    json_error_t e1, e2;
    json_t *want = json_loads(valid[i], 0, &e1);
    json_t *got = sp_json_loads(valid[i], 0, &e2);
    if (!want) fail_msg("jansson refused case %zu: %s", i, e1.text);
    if (!got) fail_msg("sp_json_load refused case %zu: %s", i, e2.text);
    if (!json_equal(want, got)) {
      char *a = json_dumps(want, JSON_SORT_KEYS), *b = json_dumps(got, JSON_SORT_KEYS);
      fail_msg("case %zu differs:\n jansson %s\n sp      %s", i, a, b);
    }
    /* integers stay integers, reals stay reals */
    char *a = json_dumps(want, JSON_SORT_KEYS), *b = json_dumps(got, JSON_SORT_KEYS);
    assert_string_equal(a, b);
    free(a);
    free(b);
    json_decref(want);
    json_decref(got);
  }
}

typedef struct bad {
  const char *text;
  size_t len; /* 0: strlen */
  size_t flags;
  const char *why; /* a part of the reason, or NULL for yajl's own */
  int at;          /* the byte offset reported is at least this */
} bad;

static void refuses_what_jansson_refuses(void **s_) {
  (void)s_;
  static const bad cases[] = {
      {"", 0, 0, NULL, 0},
      {"{\"a\":1,}", 0, 0, NULL, 6},
      {"{\"a\":1} x", 0, 0, NULL, 7},
      {"{\"a\":1}{}", 0, 0, NULL, 7},
      {"\"just a string\"", 0, 0, "expected", 0},
      {"42", 0, 0, "expected", 0},
      {"{\"a\":1,\"a\":2}", 0, JSON_REJECT_DUPLICATES, "duplicate object key", 8},
      {"{\"a\":\"x\\u0000y\"}", 0, 0, "\\u0000", 5},
      {"{\"a\\u0000\":1}", 0, 0, "NUL byte in object key", 1},
      {"{\"a\":9223372036854775808}", 0, 0, "too big integer", 5},
      {"{\"a\":-9223372036854775809}", 0, 0, "too big negative integer", 5},
      {"{\"a\":1e400}", 0, 0, "real number overflow", 5},
      {"{\"a\":\"\xff\"}", 0, 0, NULL, 5},
      {"{\"a\":1 /* no */}", 0, 0, NULL, 7},
      {"{'a':1}", 0, 0, NULL, 1},
      {"{\"a\":tru}", 0, 0, NULL, 5},
      {"{\"a\":[1,2}", 0, 0, NULL, 9},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const bad *c = &cases[i];
    size_t len = c->len ? c->len : strlen(c->text);
    json_error_t je, se;
    json_t *j = json_loadb(c->text, len, c->flags, &je);
    if (j) fail_msg("case %zu: jansson accepts it, the test is wrong", i);
    json_t *got = sp_json_load(c->text, len, c->flags, &se);
    if (got) fail_msg("case %zu (%s) was accepted", i, c->text);
    if (c->why && !strstr(se.text, c->why))
      fail_msg("case %zu: reason \"%s\", want \"%s\"", i, se.text, c->why);
    assert_true(se.text[0] != '\0');
    if (se.position < c->at || se.position > (int)len)
      fail_msg("case %zu: position %d, want %d..%zu", i, se.position, c->at, len);
    assert_int_equal(se.line, 1);
  }
}

static void depth_and_lines(void **s_) {
  (void)s_;
  /* jansson's depth limit is 2048 */
  size_t n = 2100;
  char *deep = malloc(2 * n + 1);
  for (size_t i = 0; i < n; i++) deep[i] = '[', deep[2 * n - 1 - i] = ']';
  deep[2 * n] = '\0';
  json_error_t e;
  assert_null(sp_json_loads(deep, 0, &e));
  assert_non_null(strstr(e.text, "depth"));
  for (size_t i = 0; i < 2000; i++) deep[i] = '[', deep[3999 - i] = ']';
  deep[4000] = '\0';
  json_t *ok = sp_json_loads(deep, 0, &e);
  assert_non_null(ok);
  json_decref(ok);
  free(deep);
  /* the line and column of an error on a later line */
  assert_null(sp_json_loads("{\n  \"a\": 1,\n  \"b\": ?\n}", 0, &e));
  assert_int_equal(e.line, 3);
  assert_true(e.column >= 7);
}

/* sp_json_peek_str: a top-level string only, nested keys and non-strings
 * ignored, invalid text reported */
static void peek_top_level_string(void **s_) {
  (void)s_;
  sp_arena *a = sp_arena_create();
  const char *v;
  const char *doc =
      "{\"nested\":{\"objective_type\":\"NO\"},\"list\":[\"objective_type\"],"
      "\"n\":1,\"objective_type\":\"WEB_\\u0043ONVERSIONS\",\"after\":[1,2]}";
  assert_int_equal(sp_json_peek_str(doc, "objective_type", a, &v), 0);
  assert_string_equal(v, "WEB_CONVERSIONS");
  assert_int_equal(sp_json_peek_str(doc, "missing", a, &v), 0);
  assert_null(v);
  assert_int_equal(sp_json_peek_str(doc, "n", a, &v), 0); /* not a string */
  assert_null(v);
  assert_int_equal(sp_json_peek_str("{\"a\":", "a", a, &v), -1);
  sp_arena_destroy(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_tree_as_jansson),
      cmocka_unit_test(refuses_what_jansson_refuses),
      cmocka_unit_test(depth_and_lines),
      cmocka_unit_test(peek_top_level_string),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
