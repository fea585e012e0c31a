/*
 * text.c - UTF-8 decoding for the name rules. Decodes one code point at a
 * time; invalid sequences make sp_utf8_valid fail and the other functions
 * count the bad byte as one narrow character.
 */
#include "text.h"

#include <stdint.h>
#include <string.h>

/* Decode one code point; returns bytes consumed (>=1) and sets *cp, or
 * returns 1 with *cp = -1 on an invalid sequence. */
static size_t decode(const unsigned char *s, long *cp) {
  unsigned c = s[0];
  size_t n;
  long v;
  if (c < 0x80) { *cp = c; return 1; }
  if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07; }
  else { *cp = -1; return 1; }
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) { *cp = -1; return 1; }
    v = (v << 6) | (s[i] & 0x3F);
  }
  if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF)) {
    *cp = -1;
    return 1;
  }
  *cp = v;
  return n;
}

int sp_utf8_valid(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    if (*p >= 0x20 && *p < 0x80) { /* printable ASCII: most text */
      p++;
      continue;
    }
    long cp;
    size_t n = decode(p, &cp);
    if (cp < 0) return 0;
    if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') return 0;
    p += n;
  }
  return 1;
}

int sp_ascii_printable(const char *s, size_t n) {
  const uint64_t high = 0x8080808080808080ULL, space = 0x2020202020202020ULL;
  size_t i = 0;
  /* eight bytes at a time: none has its top bit, and subtracting 0x20 from
   * each sets no top bit (a byte below 0x20 borrows and sets its own; with
   * none, no borrow crosses bytes) */
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    memcpy(&x, s + i, 8);
    if ((x & high) || ((x - space) & high)) return 0;
  }
  for (; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x80) return 0;
  return 1;
}

static int is_wide(long cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t sp_text_width(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  size_t w = 0;
  while (*p) {
    if (*p < 0x80) { /* ASCII is one column */
      p++;
      w++;
      continue;
    }
    long cp;
    p += decode(p, &cp);
    w += is_wide(cp) ? 2 : 1;
  }
  return w;
}

static int is_emoji(long cp) {
  return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
         (cp >= 0x1F900 && cp <= 0x1F9FF) || cp == 0x200D || cp == 0xFE0F ||
         (cp >= 0x2B05 && cp <= 0x2B55) ||
         (cp >= 0x1F1E6 && cp <= 0x1F1FF);
}

int sp_text_has_emoji(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    long cp;
    p += decode(p, &cp);
    if (is_emoji(cp)) return 1;
  }
  return 0;
}

int sp_is_int64_string(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 19) return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  if (n == 19 && strcmp(s, "9223372036854775807") > 0) return 0;
  return 1;
}
