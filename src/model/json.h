/*
 * json.h - JSON text to jansson values, lexed by yajl.
 *
 * jansson's own loader reads its input one character at a time through a
 * callback: 40 us for the 2 KB body of an ad create with 10 creatives, most
 * of that request's parsing. yajl's lexer builds the same tree in about a
 * quarter of the time (bench: tests/model/test_json.c checks the trees are
 * equal). The rest of smartplus keeps working on json_t.
 *
 * Accepts what json_loadb accepts: an object or array at the top level
 * (any value with JSON_DECODE_ANY), valid UTF-8, no NUL in strings or keys,
 * integers that fit json_int_t, reals that do not overflow, nothing after
 * the value, no comments; JSON_REJECT_DUPLICATES refuses a repeated key.
 * On error returns NULL and, if err is given, fills its text, position
 * (byte offset), line and column.
 */
#ifndef SP_MODEL_JSON_H
#define SP_MODEL_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "../core/sp.h"

json_t *sp_json_load(const char *buf, size_t len, size_t flags,
                     json_error_t *err);
/* NUL-terminated text (a stored row's body) */
json_t *sp_json_loads(const char *s, size_t flags, json_error_t *err);

/* A JSON number's text s[0..n) read as jansson reads it: an integer
 * (*integer = 1, *i) without '.', 'e' or 'E', which must fit 64 bits, else
 * a real (*d) that must not overflow. NULL, or why it is refused ("too big
 * integer", "real number overflow", ...). sp_json_load and the fast decoder
 * (quick.c) both read numbers through it. */
const char *sp_json_number(const char *s, size_t n, int *integer, int64_t *i,
                           double *d);

/* The string value of a top-level key of a JSON object text, copied into
 * the arena (*out NULL if absent or not a string), without building a
 * tree: parsing stops at the value. Returns -1 if the text is not JSON. */
int sp_json_peek_str(const char *text, const char *key, sp_arena *a,
                     const char **out);

#endif
