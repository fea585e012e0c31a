/*
 * clock.c - real time plus an offset, or a frozen instant. The only place
 * in the library that reads the wall clock; everything else asks an
 * sp_clock for the time.
 */
#include "clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sp.h"

struct sp_clock {
  _Atomic int64_t offset_us; /* added to wall time */
  _Atomic int64_t frozen_at; /* INT64_MIN when ticking */
};

int sp_clock_frozen(const sp_clock *c) {
  return atomic_load(&c->frozen_at) != INT64_MIN;
}

static int64_t wall_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

sp_clock *sp_clock_create(void) {
  sp_clock *c = xcalloc(1, sizeof *c);
  atomic_store(&c->offset_us, 0);
  atomic_store(&c->frozen_at, INT64_MIN);
  return c;
}

void sp_clock_destroy(sp_clock *c) { free(c); }

int64_t sp_clock_now_us(const sp_clock *c) {
  int64_t f = atomic_load(&((sp_clock *)c)->frozen_at);
  if (f != INT64_MIN) return f;
  return wall_us() + atomic_load(&((sp_clock *)c)->offset_us);
}

void sp_clock_set_us(sp_clock *c, int64_t unix_us) {
  if (atomic_load(&c->frozen_at) != INT64_MIN)
    atomic_store(&c->frozen_at, unix_us);
  atomic_store(&c->offset_us, unix_us - wall_us());
}

void sp_clock_freeze(sp_clock *c, int frozen) {
  int64_t now = sp_clock_now_us(c);
  if (frozen) {
    atomic_store(&c->frozen_at, now);
  } else {
    atomic_store(&c->frozen_at, INT64_MIN);
    atomic_store(&c->offset_us, now - wall_us());
  }
}

static void put2(char *p, int v) {
  p[0] = (char)('0' + v / 10);
  p[1] = (char)('0' + v % 10);
}

int64_t sp_mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void sp_time_format(int64_t unix_s, char buf[20]) {
  time_t t = (time_t)unix_s;
  struct tm tm;
  gmtime_r(&t, &tm);
  int y = tm.tm_year + 1900;
  if (y < 0 || y > 9999) y = y < 0 ? 0 : 9999; /* the format has 4 digits */
  /* by hand: snprintf was a visible share of every create's profile */
  put2(buf, y / 100);
  put2(buf + 2, y % 100);
  buf[4] = '-';
  put2(buf + 5, tm.tm_mon + 1);
  buf[7] = '-';
  put2(buf + 8, tm.tm_mday);
  buf[10] = ' ';
  put2(buf + 11, tm.tm_hour);
  buf[13] = ':';
  put2(buf + 14, tm.tm_min);
  buf[16] = ':';
  put2(buf + 17, tm.tm_sec);
  buf[19] = '\0';
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* the number written by the n digits at s (checked to be digits) */
static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

static int parse_fields(const char *s, char sep, int zulu, int64_t *out) {
  if (strlen(s) != (size_t)(19 + (zulu ? 1 : 0))) return -1;
  for (int i = 0; i < 19; i++) {
    int digit = s[i] >= '0' && s[i] <= '9';
    int want_sep = i == 4 || i == 7 || i == 10 || i == 13 || i == 16;
    if (want_sep == digit) return -1;
  }
  /* YYYY-MM-DD?HH:MM:SS, the digits checked above (sscanf here was 2% of
   * an ad group create) */
  if (s[4] != '-' || s[7] != '-' || s[10] != sep || s[13] != ':' ||
      s[16] != ':')
    return -1;
  int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
  int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
  if (zulu && s[19] != 'Z') return -1;
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
      h > 23 || mi > 59 || se > 59)
    return -1;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo == 2 && d == 29 && !leap) return -1;
  *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  return 0;
}

int sp_time_parse(const char *s, int64_t *out) {
  return parse_fields(s, ' ', 0, out);
}

int sp_date_parse(const char *s, int64_t *day) {
  char t[20];
  int64_t u;
  if (!s || strlen(s) != 10) return -1;
  snprintf(t, sizeof t, "%s 00:00:00", s);
  if (parse_fields(t, ' ', 0, &u) != 0) return -1;
  *day = u / 86400;
  return 0;
}

int sp_time_parse_iso(const char *s, int64_t *out) {
  if (parse_fields(s, 'T', 1, out) == 0) return 0;
  return parse_fields(s, ' ', 0, out);
}
