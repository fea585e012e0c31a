/*
 * schema.c - the generic JSON <-> struct walker behind every API object.
 *
 * The decoder is the first line of the rule engine: it refuses wrong JSON
 * types, strings where numbers belong (the spec's x-open-allow-strnum is
 * false everywhere), enum values outside the spec's valid list, overlong
 * strings, oversized lists and out-of-range numbers, each with the field's
 * JSON path. It never reads the clock or does I/O, so smartplusd and
 * `smartplus lint` get identical verdicts.
 */
#include "schema.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/text.h"

static const char *jtype_name(const json_t *j) {
  switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
  }
  return "a value";
}

/* A field's JSON path, built only when an error needs it (formatting a
 * path per field cost a fifth of an ad create, by callgrind). */
typedef struct pathref {
  const struct pathref *up;
  const char *name; /* a key, or NULL for an array index */
  size_t index;
} pathref;

static size_t path_put(const pathref *p, char *buf, size_t n) {
  if (!p) return 0;
  size_t len = path_put(p->up, buf, n);
  if (len >= n) return len;
  int w = p->name ? snprintf(buf + len, n - len, "%s%s", len ? "." : "", p->name)
                  : snprintf(buf + len, n - len, "[%zu]", p->index);
  return len + (w > 0 ? (size_t)w : 0);
}

static const char *path_str(const pathref *p, char *buf, size_t n) {
  buf[0] = '\0';
  path_put(p, buf, n);
  return buf;
}
#define PS(p) path_str((p), (char[192]){0}, 192)

const sp_field *sp_schema_field(const sp_schema *s, const char *name) {
  for (size_t i = 0; i < s->n_fields; i++)
    if (strcmp(s->fields[i].name, name) == 0) return &s->fields[i];
  return NULL;
}

int sp_field_enum_ok(const sp_field *f, const char *v) {
  if (f->en && sp_enum_valid(f->en, v)) return 1;
  if (f->extra)
    for (const char *const *x = f->extra; *x; x++)
      if (strcmp(*x, v) == 0) return 1;
  return !f->en && !f->extra;
}

const char *sp_field_enum_list(const sp_field *f, sp_arena *a) {
  sp_buf b;
  sp_buf_init(&b, 1 << 20);
  int first = 1;
  if (f->en)
    for (size_t i = 0; i < f->en->n_valid; i++) {
      if (!first) sp_buf_append(&b, ", ", 2);
      sp_buf_append(&b, f->en->valid[i], strlen(f->en->valid[i]));
      first = 0;
    }
  if (f->extra)
    for (const char *const *x = f->extra; *x; x++) {
      if (!first) sp_buf_append(&b, ", ", 2);
      sp_buf_append(&b, *x, strlen(*x));
      first = 0;
    }
  const char *r = sp_arena_strdup(a, b.data ? b.data : "");
  sp_buf_free(&b);
  return r;
}

static sp_rc bad_enum(const sp_field *f, const pathref *fp, const char *v,
                      sp_arena *a, sp_err *e) {
  const char *why = f->en && sp_enum_known_invalid(f->en, v)
                        ? " (a value of the live API that this endpoint does not accept)"
                        : "";
  return sp_fail(e, SP_E_PARAM, PS(fp), "SPEC_ENUM",
                 "\"%.80s\" is not an allowed value%s; allowed: %s", v, why,
                 sp_field_enum_list(f, a));
}

static sp_rc decode_string(const sp_field *f, json_t *j, const pathref *fp,
                           sp_arena *a, sp_err *e, const char **out) {
  if (!json_is_string(j))
    return sp_fail(e, SP_E_PARAM, PS(fp), "TYPE", "expected a string, got %s",
                   jtype_name(j));
  const char *v = json_string_value(j);
  size_t len = json_string_length(j);
  if (len > SP_MAX_STRING_BYTES || strlen(v) != len || !sp_utf8_valid(v))
    return sp_fail(e, SP_E_PARAM, PS(fp), "STRING",
                   "must be valid UTF-8 text without control characters, at "
                   "most %d bytes",
                   SP_MAX_STRING_BYTES);
  if (f->max_len && sp_text_width(v) > f->max_len)
    return sp_fail(e, SP_E_PARAM, PS(fp), "MAX_LENGTH",
                   "is %zu characters long; the maximum is %zu",
                   sp_text_width(v), f->max_len);
  *out = sp_arena_strndup(a, v, len);
  return SP_OK;
}

static sp_rc decode_id(const sp_field *f, json_t *j, const pathref *fp,
                       sp_err *e, int64_t *out) {
  if (json_is_integer(j) && !(f->flags & SP_F_STRICT)) {
    if (json_integer_value(j) < 0)
      return sp_fail(e, SP_E_PARAM, PS(fp), "ID", "must be a positive id");
    *out = json_integer_value(j);
    return SP_OK;
  }
  if (!json_is_string(j))
    return sp_fail(e, SP_E_PARAM, PS(fp), "TYPE",
                   "expected a string holding a 64-bit integer id, got %s",
                   jtype_name(j));
  const char *v = json_string_value(j);
  if (!sp_is_int64_string(v))
    return sp_fail(e, SP_E_PARAM, PS(fp), "ID",
                   "\"%.64s\" is not a valid id (a string holding a 64-bit "
                   "integer, e.g. \"7000000000000000001\")",
                   v);
  *out = strtoll(v, NULL, 10);
  return SP_OK;
}

static sp_rc decode_obj(const sp_schema *s, json_t *j, void *out, int request,
                        sp_arena *a, const pathref *path, sp_err *e);

static sp_rc decode_field(const sp_field *f, json_t *j, void *out, int request,
                          sp_arena *a, const pathref *fp, sp_err *e) {
  char *slot = (char *)out + f->off;
  sp_rc rc;
  switch (f->type) {
    case SP_T_ID: {
      sp_opt_id *o = (sp_opt_id *)slot;
      if ((rc = decode_id(f, j, fp, e, &o->v))) return rc;
      o->set = 1;
      return SP_OK;
    }
    case SP_T_STR:
    case SP_T_ENUM:
    case SP_T_TIME: {
      sp_opt_str *o = (sp_opt_str *)slot;
      const char *v;
      if ((rc = decode_string(f, j, fp, a, e, &v))) return rc;
      if (f->type == SP_T_ENUM && !sp_field_enum_ok(f, v))
        return bad_enum(f, fp, v, a, e);
      if (f->type == SP_T_TIME) {
        int64_t t;
        if (sp_time_parse(v, &t))
          return sp_fail(e, SP_E_PARAM, PS(fp), "TIME_FORMAT",
                         "\"%.40s\" is not a time in the form YYYY-MM-DD "
                         "HH:MM:SS (UTC)",
                         v);
      }
      o->v = v;
      o->set = 1;
      return SP_OK;
    }
    case SP_T_NUM: {
      sp_opt_num *o = (sp_opt_num *)slot;
      if (!json_is_number(j))
        return sp_fail(e, SP_E_PARAM, PS(fp), "TYPE", "expected a number, got %s",
                       jtype_name(j));
      double v = json_number_value(j);
      if (!isfinite(v))
        return sp_fail(e, SP_E_PARAM, PS(fp), "RANGE", "must be a finite number");
      if (f->min < f->max && (v < f->min || v > f->max))
        return sp_fail(e, SP_E_PARAM, PS(fp), "RANGE",
                       "%g is out of range; allowed %g to %g", v, f->min,
                       f->max);
      o->v = v;
      o->set = 1;
      return SP_OK;
    }
    case SP_T_INT: {
      sp_opt_int *o = (sp_opt_int *)slot;
      if (!json_is_integer(j))
        return sp_fail(e, SP_E_PARAM, PS(fp), "TYPE",
                       "expected an integer, got %s", jtype_name(j));
      int64_t v = json_integer_value(j);
      if (f->min < f->max && ((double)v < f->min || (double)v > f->max))
        return sp_fail(e, SP_E_PARAM, PS(fp), "RANGE",
                       "%lld is out of range; allowed %g to %g", (long long)v,
                       f->min, f->max);
      o->v = v;
      o->set = 1;
      return SP_OK;
    }
    case SP_T_BOOL: {
      sp_opt_bool *o = (sp_opt_bool *)slot;
      if (!json_is_boolean(j))
        return sp_fail(e, SP_E_PARAM, PS(fp), "TYPE",
                       "expected true or false, got %s", jtype_name(j));
      o->v = json_is_true(j);
      o->set = 1;
      return SP_OK;
    }
    case SP_T_STRS:
    case SP_T_IDS: {
      sp_opt_strs *o = (sp_opt_strs *)slot;
      if (!json_is_array(j))
        return sp_fail(e, SP_E_PARAM, PS(fp), "TYPE",
                       "expected an array of strings, got %s", jtype_name(j));
      size_t n = json_array_size(j);
      size_t cap = f->max_items ? f->max_items : SP_MAX_LIST_ITEMS;
      if (n > cap)
        return sp_fail(e, SP_E_PARAM, PS(fp), "MAX_ITEMS",
                       "has %zu items; the maximum is %zu", n, cap);
      o->v = sp_arena_alloc(a, (n ? n : 1) * sizeof(char *));
      for (size_t i = 0; i < n; i++) {
        pathref ipr = {fp, NULL, i};
        const pathref *ip = &ipr;
        json_t *it = json_array_get(j, i);
        if (f->type == SP_T_IDS) {
          int64_t id;
          if ((rc = decode_id(f, it, ip, e, &id))) return rc;
          o->v[i] = sp_arena_i64(a, id);
          continue;
        }
        if ((rc = decode_string(f, it, ip, a, e, &o->v[i]))) return rc;
        if ((f->en || f->extra) && !sp_field_enum_ok(f, o->v[i]))
          return bad_enum(f, ip, o->v[i], a, e);
      }
      o->n = n;
      o->set = 1;
      return SP_OK;
    }
    case SP_T_OBJ: {
      sp_opt_obj *o = (sp_opt_obj *)slot;
      if (!json_is_object(j))
        return sp_fail(e, SP_E_PARAM, PS(fp), "TYPE", "expected an object, got %s",
                       jtype_name(j));
      o->v = sp_arena_alloc(a, f->sub->size);
      if ((rc = decode_obj(f->sub, j, o->v, request, a, fp, e))) return rc;
      o->set = 1;
      return SP_OK;
    }
    case SP_T_OBJS: {
      sp_opt_list *o = (sp_opt_list *)slot;
      if (!json_is_array(j))
        return sp_fail(e, SP_E_PARAM, PS(fp), "TYPE",
                       "expected an array of objects, got %s", jtype_name(j));
      size_t n = json_array_size(j);
      size_t cap = f->max_items ? f->max_items : SP_MAX_LIST_ITEMS;
      if (n > cap)
        return sp_fail(e, SP_E_PARAM, PS(fp), "MAX_ITEMS",
                       "has %zu items; the maximum is %zu", n, cap);
      o->v = sp_arena_alloc(a, (n ? n : 1) * f->sub->size);
      for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(j, i);
        pathref ipr = {fp, NULL, i};
        const pathref *ip = &ipr;
        if (!json_is_object(it))
          return sp_fail(e, SP_E_PARAM, PS(ip), "TYPE",
                         "expected an object, got %s", jtype_name(it));
        if ((rc = decode_obj(f->sub, it, (char *)o->v + i * f->sub->size,
                             request, a, ip, e)))
          return rc;
      }
      o->n = n;
      o->set = 1;
      return SP_OK;
    }
  }
  return sp_fail(e, SP_E_SYSTEM, PS(fp), "SCHEMA", "unknown field type");
}

static sp_rc decode_obj(const sp_schema *s, json_t *j, void *out, int request,
                        sp_arena *a, const pathref *path, sp_err *e) {
  if (!json_is_object(j))
    return sp_fail(e, SP_E_PARAM, path ? PS(path) : "body", "TYPE",
                   "expected a JSON object, got %s", jtype_name(j));
  for (size_t i = 0; i < s->n_fields; i++) {
    const sp_field *f = &s->fields[i];
    if (request && (f->flags & SP_F_OUT)) continue;
    json_t *v = json_object_get(j, f->name);
    if (!v || json_is_null(v)) continue; /* null means "not given" */
    pathref fp = {path, f->name, 0};
    sp_rc rc = decode_field(f, v, out, request, a, &fp, e);
    if (rc) return rc;
  }
  return SP_OK;
}

sp_rc sp_decode(const sp_schema *s, json_t *j, void *out, int request,
                sp_arena *a, const char *path, sp_err *e) {
  pathref root = {NULL, path, 0};
  return decode_obj(s, j, out, request, a, path && *path ? &root : NULL, e);
}

json_t *sp_encode(const sp_schema *s, const void *in) {
  json_t *o = json_object();
  for (size_t i = 0; i < s->n_fields; i++) {
    const sp_field *f = &s->fields[i];
    const char *slot = (const char *)in + f->off;
    json_t *v = NULL;
    switch (f->type) {
      case SP_T_ID: {
        const sp_opt_id *x = (const sp_opt_id *)slot;
        if (x->set) {
          char buf[24];
          snprintf(buf, sizeof buf, "%lld", (long long)x->v);
          v = json_string(buf);
        }
        break;
      }
      case SP_T_STR:
      case SP_T_ENUM:
      case SP_T_TIME: {
        const sp_opt_str *x = (const sp_opt_str *)slot;
        if (x->set) v = json_string(x->v);
        break;
      }
      case SP_T_NUM: {
        const sp_opt_num *x = (const sp_opt_num *)slot;
        if (x->set) v = json_real(x->v);
        break;
      }
      case SP_T_INT: {
        const sp_opt_int *x = (const sp_opt_int *)slot;
        if (x->set) v = json_integer(x->v);
        break;
      }
      case SP_T_BOOL: {
        const sp_opt_bool *x = (const sp_opt_bool *)slot;
        if (x->set) v = json_boolean(x->v);
        break;
      }
      case SP_T_STRS:
      case SP_T_IDS: {
        const sp_opt_strs *x = (const sp_opt_strs *)slot;
        if (x->set) {
          v = json_array();
          for (size_t k = 0; k < x->n; k++)
            json_array_append_new(v, json_string(x->v[k]));
        }
        break;
      }
      case SP_T_OBJ: {
        const sp_opt_obj *x = (const sp_opt_obj *)slot;
        if (x->set) v = sp_encode(f->sub, x->v);
        break;
      }
      case SP_T_OBJS: {
        const sp_opt_list *x = (const sp_opt_list *)slot;
        if (x->set) {
          v = json_array();
          for (size_t k = 0; k < x->n; k++)
            json_array_append_new(
                v, sp_encode(f->sub, (const char *)x->v + k * f->sub->size));
        }
        break;
      }
    }
    if (v) json_object_set_new(o, f->name, v);
  }
  return o;
}

/* sp_buf_append with the common case inline: room in the buffer (an ad's
 * row is some 300 appends; the call per piece was a visible share) */
static inline void put(sp_buf *b, const char *p, size_t n) {
  if (b->len + n + 1 <= b->cap && n <= b->max - b->len) {
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
  } else {
    sp_buf_append(b, p, n);
  }
}

static void put_str(sp_buf *b, const char *s) {
  static const char hex[] = "0123456789abcdef";
  put(b, "\"", 1);
  const char *run = s;
  const unsigned char *p = (const unsigned char *)s;
  for (; *p; p++) {
    if (*p >= 0x20 && *p != '"' && *p != '\\') continue;
    put(b, run, (size_t)((const char *)p - run));
    char esc[7];
    switch (*p) {
      case '"': put(b, "\\\"", 2); break;
      case '\\': put(b, "\\\\", 2); break;
      case '\n': put(b, "\\n", 2); break;
      case '\r': put(b, "\\r", 2); break;
      case '\t': put(b, "\\t", 2); break;
      case '\b': put(b, "\\b", 2); break;
      case '\f': put(b, "\\f", 2); break;
      default:
        memcpy(esc, "\\u00", 4);
        esc[4] = hex[*p >> 4];
        esc[5] = hex[*p & 15];
        put(b, esc, 6);
    }
    run = (const char *)p + 1;
  }
  put(b, run, (size_t)((const char *)p - run)); /* the scan found the end */
  put(b, "\"", 1);
}

/* a field's key: schema names are plain ASCII, nothing to escape */
static void put_key(sp_buf *b, const char *name) {
  put(b, "\"", 1);
  put(b, name, strlen(name));
  put(b, "\":", 2);
}

static void put_real(sp_buf *b, double v) {
  char tmp[40];
  int n = snprintf(tmp, sizeof tmp, "%.15g", v);
  if (strtod(tmp, NULL) != v) n = snprintf(tmp, sizeof tmp, "%.17g", v);
  if (!strpbrk(tmp, ".eEn")) { /* keep it a real: 500 -> 500.0 */
    tmp[n++] = '.';
    tmp[n++] = '0';
    tmp[n] = '\0';
  }
  sp_buf_append(b, tmp, (size_t)n);
}

void sp_encode_text(const sp_schema *s, const void *in, sp_buf *b) {
  int first = 1;
  char tmp[32];
  put(b, "{", 1);
  for (size_t i = 0; i < s->n_fields; i++) {
    const sp_field *f = &s->fields[i];
    const char *slot = (const char *)in + f->off;
    if (!*(const int *)slot) continue; /* every sp_opt_* starts with `set` */
    if (!first) put(b, ",", 1);
    first = 0;
    put_key(b, f->name);
    switch (f->type) {
      case SP_T_ID: {
        tmp[0] = '"';
        size_t n = 1 + sp_fmt_i64(tmp + 1, ((const sp_opt_id *)slot)->v);
        tmp[n++] = '"';
        put(b, tmp, n);
        break;
      }
      case SP_T_STR:
      case SP_T_ENUM:
      case SP_T_TIME:
        put_str(b, ((const sp_opt_str *)slot)->v);
        break;
      case SP_T_NUM:
        put_real(b, ((const sp_opt_num *)slot)->v);
        break;
      case SP_T_INT: {
        put(b, tmp, sp_fmt_i64(tmp, ((const sp_opt_int *)slot)->v));
        break;
      }
      case SP_T_BOOL:
        if (((const sp_opt_bool *)slot)->v) put(b, "true", 4);
        else put(b, "false", 5);
        break;
      case SP_T_STRS:
      case SP_T_IDS: {
        const sp_opt_strs *x = (const sp_opt_strs *)slot;
        put(b, "[", 1);
        for (size_t k = 0; k < x->n; k++) {
          if (k) put(b, ",", 1);
          put_str(b, x->v[k]);
        }
        put(b, "]", 1);
        break;
      }
      case SP_T_OBJ:
        sp_encode_text(f->sub, ((const sp_opt_obj *)slot)->v, b);
        break;
      case SP_T_OBJS: {
        const sp_opt_list *x = (const sp_opt_list *)slot;
        put(b, "[", 1);
        for (size_t k = 0; k < x->n; k++) {
          if (k) put(b, ",", 1);
          sp_encode_text(f->sub, (const char *)x->v + k * f->sub->size, b);
        }
        put(b, "]", 1);
        break;
      }
    }
  }
  put(b, "}", 1);
}

void sp_merge(const sp_schema *s, void *base, const void *patch) {
  for (size_t i = 0; i < s->n_fields; i++) {
    const sp_field *f = &s->fields[i];
    const char *src = (const char *)patch + f->off;
    /* every sp_opt_* starts with `int set` */
    if (!*(const int *)src) continue;
    size_t sz;
    switch (f->type) {
      case SP_T_ID: sz = sizeof(sp_opt_id); break;
      case SP_T_STR:
      case SP_T_ENUM:
      case SP_T_TIME: sz = sizeof(sp_opt_str); break;
      case SP_T_NUM: sz = sizeof(sp_opt_num); break;
      case SP_T_INT: sz = sizeof(sp_opt_int); break;
      case SP_T_BOOL: sz = sizeof(sp_opt_bool); break;
      case SP_T_STRS:
      case SP_T_IDS: sz = sizeof(sp_opt_strs); break;
      case SP_T_OBJ: sz = sizeof(sp_opt_obj); break;
      default: sz = sizeof(sp_opt_list); break;
    }
    memcpy((char *)base + f->off, src, sz);
  }
}
