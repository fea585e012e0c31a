/*
 * text.h - UTF-8 checks the API's name rules need: validity, the live
 * API's length count (CJK characters count 2) and emoji detection.
 * Pure functions, no allocation.
 */
#ifndef SP_CORE_TEXT_H
#define SP_CORE_TEXT_H

#include <stddef.h>

/* 1 if s is valid UTF-8 without NUL bytes or C0 controls other than \t\n\r. */
int sp_utf8_valid(const char *s);
/* Length as the live API counts it: ASCII/Latin 1, CJK ideographs and kana 2. */
size_t sp_text_width(const char *s);
/* 1 if s[0..n) is printable ASCII (0x20-0x7F) only: valid UTF-8 whose
 * width is n, one pass instead of sp_utf8_valid and sp_text_width. */
int sp_ascii_printable(const char *s, size_t n);
/* 1 if s contains an emoji code point. */
int sp_text_has_emoji(const char *s);
/* 1 if s is a non-empty string of ASCII digits that fits in int64. */
int sp_is_int64_string(const char *s);

#endif
