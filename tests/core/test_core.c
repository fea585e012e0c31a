/* tests/core/test_core.c - arena, capped buffer, time parsing, text rules. */
#include "../testutil.h"

#include "core/clock.h"
#include "core/text.h"

static void arena(void **st) {
  (void)st;
  sp_arena *a = sp_arena_create();
  char *big = sp_arena_alloc(a, 100000); /* larger than a chunk */
  memset(big, 1, 100000);
  for (int i = 0; i < 1000; i++) {
    char *s = sp_arena_printf(a, "n=%d", i);
    assert_true(((uintptr_t)s & 15) == 0);
    assert_int_equal(atoi(s + 2), i);
  }
  assert_string_equal(sp_arena_strndup(a, "abcdef", 3), "abc");
  /* sp_arena_i64 prints as "%lld" does, at the edges too */
  const int64_t vs[] = {0, 7, -7, 10, 1890000000000000001LL, INT64_MAX,
                        INT64_MIN, -1000};
  for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
    char want[32];
    snprintf(want, sizeof want, "%lld", (long long)vs[i]);
    assert_string_equal(sp_arena_i64(a, vs[i]), want);
  }
  sp_arena_destroy(a);
}

static void buf_cap(void **st) {
  (void)st;
  sp_buf b;
  sp_buf_init(&b, 10);
  assert_int_equal(sp_buf_append(&b, "12345", 5), 0);
  assert_int_equal(sp_buf_append(&b, "12345", 5), 0);
  assert_int_equal(sp_buf_append(&b, "1", 1), -1);
  assert_int_equal(b.len, 10);
  sp_buf_free(&b);
  /* reserved room: an empty string, appends within it do not move it, and
   * the cap still holds */
  sp_buf_init(&b, 8);
  sp_buf_reserve(&b, 6);
  assert_string_equal(b.data, "");
  char *at = b.data;
  assert_int_equal(sp_buf_append(&b, "abc", 3), 0);
  assert_int_equal(sp_buf_append(&b, "def", 3), 0);
  assert_ptr_equal(b.data, at);
  assert_string_equal(b.data, "abcdef");
  assert_int_equal(sp_buf_append(&b, "xyz", 3), -1);
  sp_buf_free(&b);
}

static void times(void **st) {
  (void)st;
  int64_t t;
  assert_int_equal(sp_time_parse("2026-04-01 00:00:00", &t), 0);
  assert_int_equal(t, 1775001600);
  char buf[20];
  sp_time_format(t, buf);
  assert_string_equal(buf, "2026-04-01 00:00:00");
  assert_int_equal(sp_time_parse("2026-02-29 00:00:00", &t), -1);
  assert_int_equal(sp_time_parse("2028-02-29 23:59:59", &t), 0);
  assert_int_equal(sp_time_parse("2026-4-01 00:00:00", &t), -1);
  assert_int_equal(sp_time_parse("2026-04-01T00:00:00", &t), -1);
  /* dates alone (report and stats ranges) */
  int64_t day;
  assert_int_equal(sp_date_parse("2026-04-01", &day), 0);
  assert_int_equal(day, 1775001600 / 86400);
  assert_int_equal(sp_date_parse("2028-02-29", &day), 0);
  assert_int_equal(sp_date_parse("2026-02-29", &day), -1);
  assert_int_equal(sp_date_parse("2026-4-01", &day), -1);
  assert_int_equal(sp_date_parse("2026-04-01 00:00:00", &day), -1);
  assert_int_equal(sp_date_parse("2026/04/01", &day), -1);
  assert_int_equal(sp_time_parse("2026-04-01 24:00:00", &t), -1);
  assert_int_equal(sp_time_parse_iso("2026-03-01T00:00:00Z", &t), 0);
  assert_int_equal(t, 1772323200);
}

static void clock_moves(void **st) {
  (void)st;
  sp_clock *c = sp_clock_create();
  sp_clock_freeze(c, 1);
  sp_clock_set_us(c, 1000000LL * 1772323200);
  assert_int_equal(sp_clock_now_us(c), 1000000LL * 1772323200);
  sp_clock_freeze(c, 0); /* ticks on from there */
  assert_true(sp_clock_now_us(c) >= 1000000LL * 1772323200);
  assert_true(sp_clock_now_us(c) < 1000000LL * 1772323201);
  sp_clock_freeze(c, 1);
  sp_clock_set_us(c, 5);
  assert_int_equal(sp_clock_now_us(c), 5);
  sp_clock_destroy(c);
}

static void text(void **st) {
  (void)st;
  assert_true(sp_utf8_valid("héllo"));
  assert_false(sp_utf8_valid("\xc3"));
  assert_false(sp_utf8_valid("a\x01"));
  assert_false(sp_utf8_valid("\xed\xa0\x80")); /* surrogate */
  assert_int_equal(sp_text_width("abc"), 3);
  assert_int_equal(sp_text_width("\xe5\xb9\xbf\xe5\x91\x8a"), 4); /* 广告 */
  assert_true(sp_text_has_emoji("sale \xf0\x9f\x94\xa5"));
  assert_false(sp_text_has_emoji("sale 50% off"));
  assert_true(sp_is_int64_string("9223372036854775807"));
  assert_false(sp_is_int64_string("9223372036854775808"));
  assert_false(sp_is_int64_string("12a"));
  assert_false(sp_is_int64_string(""));
}

/* sp_ascii_printable against a byte-by-byte reading, every byte value at
 * every position of strings of 1 to 19 bytes (the 8-byte steps and the
 * tail), and its verdict against sp_utf8_valid and sp_text_width. */
static void ascii_printable(void **st) {
  (void)st;
  char buf[20];
  for (size_t n = 1; n < sizeof buf; n++)
    for (size_t at = 0; at < n; at++)
      for (int b = 1; b < 256; b++) {
        memset(buf, 'a', n);
        buf[at] = (char)b;
        buf[n] = '\0';
        int want = b >= 0x20 && b < 0x80;
        assert_int_equal(sp_ascii_printable(buf, n), want);
        if (want) {
          assert_true(sp_utf8_valid(buf));
          assert_int_equal(sp_text_width(buf), n);
        }
      }
  assert_int_equal(sp_ascii_printable("", 0), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(arena), cmocka_unit_test(buf_cap),
      cmocka_unit_test(times), cmocka_unit_test(clock_moves),
      cmocka_unit_test(text),
      cmocka_unit_test(ascii_printable),
  };
  return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
