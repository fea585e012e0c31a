/*
 * json.c - yajl's callbacks build the jansson tree (see json.h).
 */
#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "../core/sp.h"

#define MAX_DEPTH 2048 /* jansson's JSON_PARSER_MAX_DEPTH */

typedef struct builder {
  json_t *root;
  json_t *inline_stack[32];
  json_t **stack; /* open containers, innermost last */
  size_t depth, cap;
  char *key; /* the pending object key (copied: yajl reuses its buffer) */
  size_t key_len, key_cap;
  size_t flags;
  char why[160]; /* our own refusal, preferred to yajl's "cancelled" */
} builder;

static int refuse(builder *b, const char *why) {
  snprintf(b->why, sizeof b->why, "%s", why);
  return 0;
}

/* Attach v where the parser is: the root, the array, or the pending key. */
static int add(builder *b, json_t *v) {
  if (!v) return refuse(b, "out of memory");
  if (b->depth == 0) {
    b->root = v;
    return 1;
  }
  json_t *top = b->stack[b->depth - 1];
  if (json_is_array(top)) {
    if (json_array_append_new(top, v) != 0) return refuse(b, "out of memory");
    return 1;
  }
  if ((b->flags & JSON_REJECT_DUPLICATES) &&
      json_object_getn(top, b->key, b->key_len)) {
    json_decref(v);
    return refuse(b, "duplicate object key");
  }
  if (json_object_setn_new_nocheck(top, b->key, b->key_len, v) != 0)
    return refuse(b, "out of memory");
  return 1;
}

static int open_container(builder *b, json_t *v) {
  if (b->depth >= MAX_DEPTH) {
    json_decref(v);
    return refuse(b, "maximum parsing depth reached");
  }
  if (!add(b, v)) return 0;
  if (b->depth == b->cap) {
    size_t cap = b->cap * 2;
    json_t **s = xmalloc(cap * sizeof *s);
    memcpy(s, b->stack, b->depth * sizeof *s);
    if (b->stack != b->inline_stack) free(b->stack);
    b->stack = s;
    b->cap = cap;
  }
  b->stack[b->depth++] = v;
  return 1;
}

static int on_null(void *ctx) { return add(ctx, json_null()); }

static int on_boolean(void *ctx, int v) { return add(ctx, json_boolean(v)); }

const char *sp_json_number(const char *s, size_t n, int *integer,
                           int64_t *i, double *d) {
  char buf[64];
  *integer = 0;
  if (n >= sizeof buf) { /* jansson's lexer has no such cap; keep exactness */
    char *big = xmalloc(n + 1);
    memcpy(big, s, n);
    big[n] = '\0';
    errno = 0;
    *d = strtod(big, NULL);
    int bad = errno == ERANGE;
    int whole = !strpbrk(big, ".eE");
    free(big);
    if (whole) return "too big integer";
    return bad ? "real number overflow" : NULL;
  }
  memcpy(buf, s, n);
  buf[n] = '\0';
  errno = 0;
  if (!strpbrk(buf, ".eE")) {
    long long v = strtoll(buf, NULL, 10);
    if (errno == ERANGE)
      return buf[0] == '-' ? "too big negative integer" : "too big integer";
    *integer = 1;
    *i = (int64_t)v;
    return NULL;
  }
  *d = strtod(buf, NULL);
  if (errno == ERANGE && (*d > 1.0 || *d < -1.0)) return "real number overflow";
  return NULL;
}

static int on_number(void *ctx, const char *s, size_t n) {
  builder *b = ctx;
  int integer;
  int64_t i;
  double d;
  const char *why = sp_json_number(s, n, &integer, &i, &d);
  if (why) return refuse(b, why);
  return add(b, integer ? json_integer((json_int_t)i) : json_real(d));
}

static int on_string(void *ctx, const unsigned char *s, size_t n) {
  builder *b = ctx;
  if (memchr(s, '\0', n))
    return refuse(b, "\\u0000 is not allowed without JSON_ALLOW_NUL");
  /* yajl checked the UTF-8 */
  return add(b, json_stringn_nocheck((const char *)s, n));
}

static int on_start_map(void *ctx) { return open_container(ctx, json_object()); }

static int on_map_key(void *ctx, const unsigned char *s, size_t n) {
  builder *b = ctx;
  if (memchr(s, '\0', n))
    return refuse(b, "NUL byte in object key not supported");
  if (n + 1 > b->key_cap) {
    b->key_cap = n + 64;
    free(b->key);
    b->key = xmalloc(b->key_cap);
  }
  memcpy(b->key, s, n);
  b->key[n] = '\0';
  b->key_len = n;
  return 1;
}

static int on_end(void *ctx) {
  builder *b = ctx;
  b->depth--;
  return 1;
}

static int on_start_array(void *ctx) { return open_container(ctx, json_array()); }

static const yajl_callbacks callbacks = {
    on_null,   on_boolean, NULL,         NULL,           on_number, on_string,
    on_start_map, on_map_key, on_end, on_start_array, on_end,
};

static void fail(json_error_t *err, const char *buf, size_t len, size_t pos,
                 const char *text) {
  if (!err) return;
  if (pos > len) pos = len;
  int line = 1, column = 0;
  for (size_t i = 0; i < pos; i++) {
    if (buf[i] == '\n') {
      line++;
      column = 0;
    } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
      column++; /* characters, not bytes, as jansson counts */
    }
  }
  err->line = line;
  err->column = column;
  err->position = (int)pos;
  snprintf(err->source, sizeof err->source, "<string>");
  snprintf(err->text, sizeof err->text, "%s", text);
}

json_t *sp_json_load(const char *buf, size_t len, size_t flags,
                     json_error_t *err) {
  builder b;
  memset(&b, 0, sizeof b);
  b.stack = b.inline_stack;
  b.cap = SP_ARRAY_LEN(b.inline_stack);
  b.flags = flags;
  yajl_handle h = yajl_alloc(&callbacks, NULL, &b);
  if (!h) abort();
  yajl_status st = yajl_parse(h, (const unsigned char *)buf, len);
  if (st == yajl_status_ok) st = yajl_complete_parse(h);
  json_t *out = b.root;
  if (st != yajl_status_ok) {
    size_t pos = yajl_get_bytes_consumed(h);
    if (b.why[0]) {
      fail(err, buf, len, pos, b.why);
    } else {
      unsigned char *msg = yajl_get_error(h, 0, NULL, 0);
      char text[160];
      snprintf(text, sizeof text, "%s", msg ? (const char *)msg : "parse error");
      text[strcspn(text, "\n")] = '\0';
      if (msg) yajl_free_error(h, msg);
      fail(err, buf, len, pos, text);
    }
    json_decref(out);
    out = NULL;
  } else if (!out) {
    fail(err, buf, len, len, "'[' or '{' expected near end of file");
  } else if (!(flags & JSON_DECODE_ANY) && !json_is_object(out) &&
             !json_is_array(out)) {
    fail(err, buf, len, 0, "'[' or '{' expected");
    json_decref(out);
    out = NULL;
  }
  yajl_free(h);
  if (b.stack != b.inline_stack) free(b.stack);
  free(b.key);
  return out;
}

json_t *sp_json_loads(const char *s, size_t flags, json_error_t *err) {
  return sp_json_load(s, strlen(s), flags, err);
}

/* ---- peek: one top-level string, no tree ---- */

typedef struct peek {
  const char *key;
  size_t key_len;
  int depth, at_key, found;
  sp_arena *a;
  const char *out;
} peek;

static int pk_scalar(void *ctx) {
  peek *p = ctx;
  p->at_key = 0;
  return 1;
}
static int pk_bool(void *ctx, int v) { (void)v; return pk_scalar(ctx); }
static int pk_number(void *ctx, const char *s, size_t n) {
  (void)s, (void)n;
  return pk_scalar(ctx);
}
static int pk_string(void *ctx, const unsigned char *s, size_t n) {
  peek *p = ctx;
  if (p->at_key) {
    p->out = sp_arena_strndup(p->a, (const char *)s, n);
    p->found = 1;
    return 0; /* done: stop the parse */
  }
  return 1;
}
static int pk_open(void *ctx) {
  peek *p = ctx;
  p->at_key = 0;
  p->depth++;
  return 1;
}
static int pk_close(void *ctx) {
  peek *p = ctx;
  p->depth--;
  return 1;
}
static int pk_key(void *ctx, const unsigned char *s, size_t n) {
  peek *p = ctx;
  p->at_key = p->depth == 1 && n == p->key_len && memcmp(s, p->key, n) == 0;
  return 1;
}

static const yajl_callbacks peek_callbacks = {
    pk_scalar, pk_bool, NULL,   NULL,    pk_number, pk_string,
    pk_open,   pk_key,  pk_close, pk_open, pk_close,
};

int sp_json_peek_str(const char *text, const char *key, sp_arena *a,
                     const char **out) {
  peek p = {key, strlen(key), 0, 0, 0, a, NULL};
  yajl_handle h = yajl_alloc(&peek_callbacks, NULL, &p);
  if (!h) abort();
  size_t len = strlen(text);
  yajl_status st = yajl_parse(h, (const unsigned char *)text, len);
  if (st == yajl_status_ok) st = yajl_complete_parse(h);
  yajl_free(h);
  *out = p.out;
  return p.found || st == yajl_status_ok ? 0 : -1;
}
