/*
 * schema.h - typed structs for API objects and the descriptors that map them
 * to and from JSON.
 *
 * Every API object (campaign, pixel, later ad group and ad) is a plain C
 * struct whose members are sp_opt_* values: a value plus a `set` flag, so a
 * rule can tell "absent" from "zero". A descriptor table (sp_schema) names
 * each member's JSON key, type, enum table and limits; one generic decoder
 * and one generic encoder walk it. Decoding reports the first bad field with
 * its JSON path (type errors, enum values outside the spec's valid list,
 * lengths, item counts, ranges). Cross-field rules live in src/rules.
 *
 * Memory: decoded strings and lists are allocated from the caller's arena.
 */
#ifndef SP_MODEL_SCHEMA_H
#define SP_MODEL_SCHEMA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sp.h"
#include "../rules/spec_enums.h"

typedef struct { int set; int64_t v; } sp_opt_id;
typedef struct { int set; const char *v; } sp_opt_str;
typedef struct { int set; double v; } sp_opt_num;
typedef struct { int set; int64_t v; } sp_opt_int;
typedef struct { int set; int v; } sp_opt_bool;
typedef struct { int set; size_t n; const char **v; } sp_opt_strs;
typedef struct { int set; size_t n; void *v; } sp_opt_list; /* of sub-structs */
typedef struct { int set; void *v; } sp_opt_obj;             /* one sub-struct */

typedef enum sp_ftype {
  SP_T_ID,      /* int64 carried as a JSON string of digits (sp_opt_id) */
  SP_T_STR,     /* sp_opt_str */
  SP_T_ENUM,    /* sp_opt_str checked against the field's enum table */
  SP_T_NUM,     /* double (sp_opt_num) */
  SP_T_INT,     /* integer (sp_opt_int) */
  SP_T_BOOL,    /* sp_opt_bool */
  SP_T_TIME,    /* "YYYY-MM-DD HH:MM:SS" string (sp_opt_str) */
  SP_T_STRS,    /* array of strings (sp_opt_strs), enum-checked if en set */
  SP_T_IDS,     /* array of int64 strings (sp_opt_strs, digits checked) */
  SP_T_OBJ,     /* nested object (sp_opt_obj) described by `sub` */
  SP_T_OBJS,    /* array of nested objects (sp_opt_list) described by `sub` */
} sp_ftype;

/* Field flags */
enum {
  SP_F_OUT = 1u << 0,    /* response-only: ignored when decoding a request */
  SP_F_STRICT = 1u << 1, /* IDs: refuse JSON numbers (default accepts both) */
};

struct sp_schema;

typedef struct sp_field {
  const char *name;
  sp_ftype type;
  size_t off;                    /* offsetof the sp_opt_* member */
  unsigned flags;
  const sp_enum_def *en;         /* SP_T_ENUM / SP_T_STRS */
  const char *const *extra;      /* extra accepted spellings (seeds), NULL-ended */
  const struct sp_schema *sub;   /* SP_T_OBJ / SP_T_OBJS */
  size_t max_len;                /* strings: max width (0 = none) */
  size_t max_items;              /* lists: max count (0 = none) */
  double min, max;               /* numbers: inclusive range if min < max */
} sp_field;

typedef struct sp_schema {
  const char *name;
  size_t size; /* sizeof the struct */
  const sp_field *fields;
  size_t n_fields;
} sp_schema;

/* Hard caps applied to every decode, whatever the field says. */
#define SP_MAX_STRING_BYTES 65536
#define SP_MAX_LIST_ITEMS 10000

/*
 * Decode JSON object `j` into `out` (a zeroed struct of s->size bytes).
 * `request` != 0 skips SP_F_OUT fields; unknown keys are ignored. `path`
 * prefixes field names in errors ("" at the top). Returns SP_OK or
 * SP_E_PARAM with e filled.
 */
sp_rc sp_decode(const sp_schema *s, json_t *j, void *out, int request,
                sp_arena *a, const char *path, sp_err *e);

/* Encode the set members of `in` as a new JSON object, in schema order. */
json_t *sp_encode(const sp_schema *s, const void *in);

/* The same object as compact JSON text appended to b, without building a
 * json_t: the hot path of every create and update. Byte-for-byte what
 * jansson's json_dumps(sp_encode(...), JSON_COMPACT) would write, except
 * that reals use the shortest text that reads back to the same double. */
void sp_encode_text(const sp_schema *s, const void *in, sp_buf *b);

/* Field lookup by JSON key, or NULL. */
const sp_field *sp_schema_field(const sp_schema *s, const char *name);

/* 1 if v is allowed for f (valid enum value or extra spelling). */
int sp_field_enum_ok(const sp_field *f, const char *v);

/* "A, B, C" list of f's allowed values (valid + extra), arena-allocated. */
const char *sp_field_enum_list(const sp_field *f, sp_arena *a);

/* Copy every set member of `patch` over `base` (shallow; same schema). */
void sp_merge(const sp_schema *s, void *base, const void *patch);

/* Helpers to build descriptors. */
#define SP_FLD(st, member, type_, ...) \
  { .name = #member, .type = (type_), .off = offsetof(st, member), __VA_ARGS__ }

#endif
