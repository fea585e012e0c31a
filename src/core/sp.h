/*
 * sp.h - the few things every layer of smartplus shares: return codes,
 * the error carrier, allocation that aborts on exhaustion, and the
 * per-request arena.
 *
 * Return codes ARE the live API's numeric codes (../shared/reference/api-facts.md
 * section 1.1), so an sp_rc can travel unchanged from a rule to the JSON
 * envelope. New codes are appended to SP_RC_LIST and never renumbered.
 */
#ifndef SP_CORE_SP_H
#define SP_CORE_SP_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* name, live API code, default message */
#define SP_RC_LIST(X)                                                          \
  X(SP_OK, 0, "OK")                                                            \
  X(SP_E_INVALID, 40000, "Invalid parameters")                                 \
  X(SP_E_NO_PERMISSION, 40001, "No permission")                                \
  X(SP_E_PARAM, 40002, "Parameter error")                                      \
  X(SP_E_NOT_FOUND, 40007, "Object does not exist")                            \
  X(SP_E_TOO_MANY_IDS, 40011, "Too many ids in one request")                   \
  X(SP_E_DUPLICATE, 40050, "Duplicated request")                               \
  X(SP_E_TOKEN_EMPTY, 40104,                                                   \
    "Access token is null, you should set it in http header with key "         \
    "Access-Token.")                                                           \
  X(SP_E_TOKEN_INVALID, 40105, "Access token is incorrect or has been revoked.") \
  X(SP_E_NOT_ALLOWLISTED, 40118, "Advertiser is not allowlisted")              \
  X(SP_E_SCOPE, 40130, "Scope not authorised")                                 \
  X(SP_E_CONFLICT, 40202, "Write conflict, retry")                             \
  X(SP_E_NO_ADVERTISER, 40300, "Advertiser does not exist")                    \
  X(SP_E_ROUTE, 40400, "Route not found")                                      \
  X(SP_E_LIMIT, 40502, "Object number limit reached")                          \
  X(SP_E_VALIDATION, 40700, "Validation error")                                \
  X(SP_E_OFFLINE, 41001, "Endpoint offline")                                   \
  X(SP_E_SYSTEM, 50000, "System error")

typedef enum sp_rc {
#define SP_RC_ENUM(name, code, msg) name = code,
  SP_RC_LIST(SP_RC_ENUM)
#undef SP_RC_ENUM
} sp_rc;

/* Default message of a code, never NULL. */
const char *sp_rc_message(sp_rc rc);

/*
 * An error as a rule or a decoder reports it: which field broke which rule.
 * `field` is a JSON path ("targeting_spec.age_groups[2]"), `rule` a stable
 * tag naming the seed rule ("CAMPAIGN_CBO_BUDGET_REQUIRED"), `msg` the
 * sentence a developer reads. Only src/api turns it into an envelope.
 */
typedef struct sp_err {
  sp_rc code;
  char field[128];
  char rule[64];
  char msg[768];
} sp_err;

void sp_err_clear(sp_err *e);
/* Fill e and return e->code. fmt describes the problem, without the field. */
sp_rc sp_fail(sp_err *e, sp_rc code, const char *field, const char *rule,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
sp_rc sp_vfail(sp_err *e, sp_rc code, const char *field, const char *rule,
               const char *fmt, va_list ap);
/* "field: msg (rule TAG)" or just msg when there is no field. */
void sp_err_format(const sp_err *e, char *buf, size_t n);

/* Allocation: out of memory aborts with file and line (STYLE.md). */
void *sp_xmalloc_(size_t n, const char *file, int line);
void *sp_xcalloc_(size_t n, size_t sz, const char *file, int line);
void *sp_xrealloc_(void *p, size_t n, const char *file, int line);
char *sp_xstrdup_(const char *s, const char *file, int line);
#define xmalloc(n) sp_xmalloc_((n), __FILE__, __LINE__)
#define xcalloc(n, s) sp_xcalloc_((n), (s), __FILE__, __LINE__)
#define xrealloc(p, n) sp_xrealloc_((p), (n), __FILE__, __LINE__)
#define xstrdup(s) sp_xstrdup_((s), __FILE__, __LINE__)

/*
 * Arena: a request's temporary data. Everything allocated from it is freed
 * at once by sp_arena_free. Not thread-safe; one arena per request.
 */
typedef struct sp_arena sp_arena;
sp_arena *sp_arena_create(void);
void sp_arena_destroy(sp_arena *a);
void *sp_arena_alloc(sp_arena *a, size_t n);   /* zeroed, 16-aligned */
char *sp_arena_strdup(sp_arena *a, const char *s);
char *sp_arena_strndup(sp_arena *a, const char *s, size_t n);
char *sp_arena_printf(sp_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* v in decimal, as "%lld" prints it, without printf (ids on hot paths):
 * into out (room for 21 bytes, NUL-terminated; returns the length), or a
 * copy in the arena */
size_t sp_fmt_i64(char *out, int64_t v);
char *sp_arena_i64(sp_arena *a, int64_t v);

/* Growable byte buffer with a named cap. Appends past the cap fail (-1). */
typedef struct sp_buf {
  char *data;
  size_t len, cap, max;
} sp_buf;
void sp_buf_init(sp_buf *b, size_t max);
int sp_buf_append(sp_buf *b, const void *p, size_t n);
/* Room for n bytes (and the NUL) at once, when the size is known ahead:
 * one allocation instead of a doubling series. */
void sp_buf_reserve(sp_buf *b, size_t n);
void sp_buf_free(sp_buf *b);

#define SP_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
