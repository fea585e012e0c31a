/*
 * quick.c - yajl's callbacks fill the typed struct (see quick.h).
 *
 * A stack of frames mirrors the open containers: an object frame holds the
 * struct being filled and the fields already given; an array frame holds
 * the list being filled in place in its parent's slot. Every check is the
 * one schema.c's decode_field makes, but where it would fail, a callback
 * returns 0, which stops the parse: not taken.
 *
 * Lists grow by doubling into a new arena block. That is safe because an
 * item's storage only moves when the next item opens, when no frame points
 * into the list any more (the previous item's frames are closed).
 */
#include "quick.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "../core/clock.h"
#include "../core/text.h"
#include "json.h"

/* body, creative_list, creative, creative_info, image_info, image: 6 */
#define MAX_FRAMES 8
#define MAX_FIELDS 128 /* bits in frame.seen; larger schemas are not taken */
#define MAX_KEEP 32    /* bits in quick.keep_seen */
#define FIRST_ITEMS 4  /* a list's first block, in items */

typedef struct frame {
  const sp_schema *s; /* an object's schema; NULL for an array */
  /* object: the pending key's field (NULL for a keep key outside the
   * schema); array: the list's field */
  const sp_field *f;
  char *out;    /* object: the struct; array: its sp_opt_strs / sp_opt_list */
  size_t cap;   /* array: items the block holds */
  uint64_t seen[MAX_FIELDS / 64]; /* object: fields given, by index */
} frame;

typedef struct quick {
  frame st[MAX_FRAMES];
  int depth; /* open frames */
  int done;  /* the top-level object closed */
  int keep;  /* the pending top-level key's index in keeps, or -1 */
  uint32_t keep_seen;
  const sp_schema *s;
  void *out;
  sp_arena *a;
  const char *const *keeps, *const *refuse;
  json_t *top; /* NULL when the caller wants no keep values */
  int request;  /* 0: a stored row, whose response-only fields are read */
} quick;

/* A scalar as yajl reported it, typed by json.c's rules. */
typedef enum { K_NULL, K_BOOL, K_INT, K_REAL, K_STR } kind;
typedef struct scalar {
  kind k;
  int64_t i;     /* K_BOOL, K_INT */
  double r;      /* K_REAL */
  const char *s; /* K_STR: yajl's buffer, not NUL-terminated */
  size_t n;
} scalar;

/* ---- keys ---- */

/* 1 if the key k[0..n) is exactly name (a key holding a NUL never is) */
static int key_is(const char *name, const unsigned char *k, size_t n) {
  return strnlen(name, n + 1) == n && memcmp(name, k, n) == 0;
}

static int index_in(const char *const *list, const unsigned char *k,
                    size_t n) {
  for (int i = 0; list && list[i]; i++)
    if (key_is(list[i], k, n)) return i;
  return -1;
}

static int on_map_key(void *ctx, const unsigned char *k, size_t n) {
  quick *q = ctx;
  frame *fr = &q->st[q->depth - 1];
  int top = q->depth == 1;
  if (top && index_in(q->refuse, k, n) >= 0) return 0;
  q->keep = top ? index_in(q->keeps, k, n) : -1;
  fr->f = NULL;
  for (size_t i = 0; i < fr->s->n_fields; i++) {
    const sp_field *f = &fr->s->fields[i];
    if (!n || f->name[0] != (char)k[0] || !key_is(f->name, k, n)) continue;
    /* sp_decode skips response-only fields in a request: not worth it */
    if (q->request && (f->flags & SP_F_OUT)) return 0;
    uint64_t bit = (uint64_t)1 << (i % 64);
    if (fr->seen[i / 64] & bit) return 0; /* a repeated key */
    fr->seen[i / 64] |= bit;
    fr->f = f;
    return 1;
  }
  /* outside the schema: only a keep key, seen once (unknown keys are not
   * taken, so their duplicates never need tracking) */
  if (q->keep < 0 || (q->keep_seen >> q->keep & 1)) return 0;
  q->keep_seen |= 1u << q->keep;
  return 1;
}

/* ---- scalars: decode_field's checks (schema.c) ---- */

/* decode_id: a non-negative integer (unless SP_F_STRICT) or a string of
 * digits that fits int64 */
static int id_of(const sp_field *f, const scalar *v, int64_t *out) {
  if (v->k == K_INT) {
    if ((f->flags & SP_F_STRICT) || v->i < 0) return 0;
    *out = v->i;
    return 1;
  }
  char digits[20];
  if (v->k != K_STR || v->n >= sizeof digits) return 0;
  memcpy(digits, v->s, v->n);
  digits[v->n] = '\0';
  if (!sp_is_int64_string(digits)) return 0;
  *out = strtoll(digits, NULL, 10);
  return 1;
}

/* decode_string: at most SP_MAX_STRING_BYTES of UTF-8 without controls, at
 * most f->max_len wide; copied into the arena (yajl reuses its buffer).
 * NULL if not. */
static const char *text_of(quick *q, const sp_field *f, const scalar *v) {
  if (v->k != K_STR || v->n > SP_MAX_STRING_BYTES) return NULL;
  const char *t = sp_arena_strndup(q->a, v->s, v->n);
  if (sp_ascii_printable(v->s, v->n)) /* most text: its width is its length */
    return f->max_len && v->n > f->max_len ? NULL : t;
  if (!sp_utf8_valid(t) || (f->max_len && sp_text_width(t) > f->max_len))
    return NULL;
  return t;
}

static int set_field(quick *q, const sp_field *f, char *slot,
                     const scalar *v) {
  switch (f->type) {
    case SP_T_ID: {
      sp_opt_id *o = (sp_opt_id *)slot;
      return (o->set = id_of(f, v, &o->v));
    }
    case SP_T_STR:
    case SP_T_ENUM:
    case SP_T_TIME: {
      sp_opt_str *o = (sp_opt_str *)slot;
      int64_t t;
      if (!(o->v = text_of(q, f, v))) return 0;
      if (f->type == SP_T_ENUM && !sp_field_enum_ok(f, o->v)) return 0;
      if (f->type == SP_T_TIME && sp_time_parse(o->v, &t)) return 0;
      return (o->set = 1);
    }
    case SP_T_NUM: {
      sp_opt_num *o = (sp_opt_num *)slot;
      if (v->k != K_INT && v->k != K_REAL) return 0;
      double d = v->k == K_INT ? (double)v->i : v->r;
      if (!isfinite(d) || (f->min < f->max && (d < f->min || d > f->max)))
        return 0;
      o->v = d;
      return (o->set = 1);
    }
    case SP_T_INT: {
      sp_opt_int *o = (sp_opt_int *)slot;
      if (v->k != K_INT) return 0;
      if (f->min < f->max && ((double)v->i < f->min || (double)v->i > f->max))
        return 0;
      o->v = v->i;
      return (o->set = 1);
    }
    case SP_T_BOOL: {
      sp_opt_bool *o = (sp_opt_bool *)slot;
      if (v->k != K_BOOL) return 0;
      o->v = (int)v->i;
      return (o->set = 1);
    }
    default: /* a list or an object given a scalar */
      return 0;
  }
}

static size_t max_items(const sp_field *f) {
  return f->max_items ? f->max_items : SP_MAX_LIST_ITEMS;
}

/* Room for item n of the array frame's list of `size`-byte items: the
 * block, doubled into a new one when full. NULL past the field's cap. */
static void *room(quick *q, frame *fr, void *v, size_t n, size_t size) {
  size_t max = max_items(fr->f);
  if (n >= max) return NULL;
  if (n < fr->cap) return v;
  size_t cap = fr->cap * 2 < max ? fr->cap * 2 : max;
  void *bigger = sp_arena_alloc(q->a, cap * size);
  memcpy(bigger, v, n * size);
  fr->cap = cap;
  return bigger;
}

/* An item of a list of strings or ids (IDS re-printed as decode_field
 * does: "007" becomes "7"). */
static int add_item(quick *q, frame *fr, const scalar *v) {
  const sp_field *f = fr->f;
  sp_opt_strs *o = (sp_opt_strs *)fr->out;
  if (f->type == SP_T_OBJS) return 0;
  const char **items = room(q, fr, o->v, o->n, sizeof *o->v);
  if (!items) return 0;
  o->v = items;
  if (f->type == SP_T_IDS) {
    int64_t id;
    if (!id_of(f, v, &id)) return 0;
    items[o->n++] = sp_arena_i64(q->a, id);
    return 1;
  }
  const char *t = text_of(q, f, v);
  if (!t || ((f->en || f->extra) && !sp_field_enum_ok(f, t))) return 0;
  items[o->n++] = t;
  return 1;
}

/* A keep key's value as json.c would have built it */
static int keep_value(quick *q, const scalar *v) {
  json_t *j;
  switch (v->k) {
    case K_NULL: j = json_null(); break;
    case K_BOOL: j = json_boolean(v->i); break;
    case K_INT: j = json_integer((json_int_t)v->i); break;
    case K_REAL: j = json_real(v->r); break;
    default: j = json_stringn_nocheck(v->s, v->n); break;
  }
  return j && json_object_set_new(q->top, q->keeps[q->keep], j) == 0;
}

static int on_scalar(quick *q, const scalar *v) {
  if (q->depth == 0) return 0; /* not an object at the top */
  frame *fr = &q->st[q->depth - 1];
  if (!fr->s) return v->k != K_NULL && add_item(q, fr, v);
  if (q->keep >= 0 && q->top && !keep_value(q, v)) return 0;
  if (!fr->f || v->k == K_NULL) return 1; /* null means "not given" */
  return set_field(q, fr->f, fr->out + fr->f->off, v);
}

static int on_null(void *ctx) {
  scalar v = {.k = K_NULL};
  return on_scalar(ctx, &v);
}

static int on_boolean(void *ctx, int b) {
  scalar v = {.k = K_BOOL, .i = b != 0};
  return on_scalar(ctx, &v);
}

/* read as sp_json_load reads it (json.c); a number it refuses is not
 * taken */
static int on_number(void *ctx, const char *s, size_t n) {
  scalar v = {.k = K_INT};
  int integer;
  if (sp_json_number(s, n, &integer, &v.i, &v.r)) return 0;
  if (!integer) v.k = K_REAL;
  return on_scalar(ctx, &v);
}

static int on_string(void *ctx, const unsigned char *s, size_t n) {
  if (memchr(s, '\0', n)) return 0; /* json.c refuses \u0000 */
  scalar v = {.k = K_STR, .s = (const char *)s, .n = n};
  return on_scalar(ctx, &v);
}

/* ---- containers ---- */

static frame *push(quick *q, const sp_schema *s, const sp_field *f,
                   void *out) {
  if (q->depth == MAX_FRAMES || (s && s->n_fields > MAX_FIELDS)) return NULL;
  frame *fr = &q->st[q->depth++];
  memset(fr, 0, sizeof *fr);
  fr->s = s;
  fr->f = f;
  fr->out = out;
  return fr;
}

static int on_start_map(void *ctx) {
  quick *q = ctx;
  if (q->depth == 0) return push(q, q->s, NULL, q->out) != NULL;
  frame *fr = &q->st[q->depth - 1];
  const sp_field *f = fr->f;
  void *item;
  if (fr->s) { /* a field's value: an SP_T_OBJ */
    if (!f || q->keep >= 0 || f->type != SP_T_OBJ) return 0;
    sp_opt_obj *o = (sp_opt_obj *)(fr->out + f->off);
    item = o->v = sp_arena_alloc(q->a, f->sub->size);
    o->set = 1;
  } else { /* an item of an SP_T_OBJS list */
    if (f->type != SP_T_OBJS) return 0;
    sp_opt_list *o = (sp_opt_list *)fr->out;
    char *items = room(q, fr, o->v, o->n, f->sub->size);
    if (!items) return 0;
    o->v = items;
    item = items + o->n++ * f->sub->size;
  }
  return push(q, f->sub, NULL, item) != NULL;
}

static int on_start_array(void *ctx) {
  quick *q = ctx;
  if (q->depth == 0) return 0; /* not an object at the top */
  frame *fr = &q->st[q->depth - 1];
  const sp_field *f = fr->f;
  /* arrays hold no arrays here, and keep values are scalars */
  if (!fr->s || !f || q->keep >= 0) return 0;
  char *slot = fr->out + f->off;
  size_t cap = max_items(f) < FIRST_ITEMS ? max_items(f) : FIRST_ITEMS;
  if (f->type == SP_T_OBJS) {
    sp_opt_list *o = (sp_opt_list *)slot;
    o->v = sp_arena_alloc(q->a, cap * f->sub->size);
    o->set = 1;
  } else if (f->type == SP_T_STRS || f->type == SP_T_IDS) {
    sp_opt_strs *o = (sp_opt_strs *)slot;
    o->v = sp_arena_alloc(q->a, cap * sizeof *o->v);
    o->set = 1;
  } else {
    return 0;
  }
  frame *list = push(q, NULL, f, slot);
  if (!list) return 0;
  list->cap = cap;
  return 1;
}

static int on_end(void *ctx) {
  quick *q = ctx;
  if (--q->depth == 0) q->done = 1;
  return 1;
}

static const yajl_callbacks callbacks = {
    on_null,      on_boolean, NULL,   NULL,           on_number, on_string,
    on_start_map, on_map_key, on_end, on_start_array, on_end,
};

static int run(quick *q, const char *buf, size_t len);

int sp_decode_quick(const sp_schema *s, const char *buf, size_t len,
                    const char *const *keep, const char *const *refuse,
                    void *out, sp_arena *a, json_t **top) {
  size_t n_keep = 0;
  if (top) *top = NULL;
  while (keep && keep[n_keep]) n_keep++;
  if (n_keep > MAX_KEEP) return 0;
  quick q = {.keep = -1, .s = s, .out = out, .a = a, .keeps = keep,
             .refuse = refuse, .top = top ? json_object() : NULL,
             .request = 1};
  if (!run(&q, buf, len)) return 0;
  if (top) *top = q.top;
  return 1;
}

sp_rc sp_decode_row(const sp_schema *s, const char *text, void *out,
                    sp_arena *a, sp_err *e) {
  quick q = {.keep = -1, .s = s, .out = out, .a = a};
  if (run(&q, text, strlen(text))) return SP_OK;
  /* a row written by an older smartplusd (a key since dropped), or one
   * that is not JSON: the tree, and sp_decode's own verdict */
  memset(out, 0, s->size);
  json_t *j = sp_json_loads(text, 0, NULL);
  if (!j)
    return sp_fail(e, SP_E_SYSTEM, NULL, "STORE", "stored %s is corrupt",
                   s->name);
  sp_rc rc = sp_decode(s, j, out, 0, a, "", e);
  json_decref(j);
  return rc;
}

/* Parse buf into q's struct: 1 when it all went in. */
static int run(quick *q, const char *buf, size_t len) {
  /* yajl's defaults, as json.c: UTF-8 checked, no comments, one value */
  yajl_handle h = yajl_alloc(&callbacks, NULL, q);
  if (!h) abort();
  yajl_status st = yajl_parse(h, (const unsigned char *)buf, len);
  if (st == yajl_status_ok) st = yajl_complete_parse(h);
  yajl_free(h);
  if (st != yajl_status_ok || !q->done) {
    json_decref(q->top);
    q->top = NULL;
    return 0;
  }
  return 1;
}
