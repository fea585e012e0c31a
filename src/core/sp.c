/*
 * sp.c - return-code names, the error carrier, aborting allocators, the
 * request arena and the capped buffer. Nothing here does I/O except the
 * out-of-memory message on stderr just before abort().
 */
#include "sp.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sp_rc_message(sp_rc rc) {
  switch (rc) {
#define SP_RC_CASE(name, code, msg) \
  case name:                        \
    return msg;
    SP_RC_LIST(SP_RC_CASE)
#undef SP_RC_CASE
  }
  return "Unknown error";
}

void sp_err_clear(sp_err *e) {
  e->code = SP_OK;
  e->field[0] = e->rule[0] = e->msg[0] = '\0';
}

sp_rc sp_vfail(sp_err *e, sp_rc code, const char *field, const char *rule,
               const char *fmt, va_list ap) {
  if (!e) return code;
  e->code = code;
  snprintf(e->field, sizeof e->field, "%s", field ? field : "");
  snprintf(e->rule, sizeof e->rule, "%s", rule ? rule : "");
  vsnprintf(e->msg, sizeof e->msg, fmt, ap);
  return code;
}

sp_rc sp_fail(sp_err *e, sp_rc code, const char *field, const char *rule,
              const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sp_vfail(e, code, field, rule, fmt, ap);
  va_end(ap);
  return code;
}

void sp_err_format(const sp_err *e, char *buf, size_t n) {
  const char *msg = e->msg[0] ? e->msg : sp_rc_message(e->code);
  if (e->field[0] && e->rule[0])
    snprintf(buf, n, "%s: %s (rule %s)", e->field, msg, e->rule);
  else if (e->field[0])
    snprintf(buf, n, "%s: %s", e->field, msg);
  else if (e->rule[0])
    snprintf(buf, n, "%s (rule %s)", msg, e->rule);
  else
    snprintf(buf, n, "%s", msg);
}

static void oom(size_t n, const char *file, int line) {
  fprintf(stderr, "smartplus: out of memory allocating %zu bytes at %s:%d\n",
          n, file, line);
  abort();
}

void *sp_xmalloc_(size_t n, const char *file, int line) {
  void *p = malloc(n ? n : 1);
  if (!p) oom(n, file, line);
  return p;
}

void *sp_xcalloc_(size_t n, size_t sz, const char *file, int line) {
  void *p = calloc(n ? n : 1, sz ? sz : 1);
  if (!p) oom(n * sz, file, line);
  return p;
}

void *sp_xrealloc_(void *p, size_t n, const char *file, int line) {
  void *q = realloc(p, n ? n : 1);
  if (!q) oom(n, file, line);
  return q;
}

char *sp_xstrdup_(const char *s, const char *file, int line) {
  size_t n = strlen(s) + 1;
  char *p = sp_xmalloc_(n, file, line);
  memcpy(p, s, n);
  return p;
}

/* ---- arena: a list of chunks, bump allocation inside the newest ---- */

typedef struct chunk {
  struct chunk *next;
  size_t used, size;
  _Alignas(16) unsigned char mem[];
} chunk;

struct sp_arena {
  chunk *head;
};

#define ARENA_CHUNK 8192
#define SPARE_CHUNKS 32 /* kept per thread: 256 KB */

/* Each thread keeps the standard-size chunks of its destroyed arenas for
 * its next ones. A request makes and drops several; through malloc each
 * 8 KB chunk was a "large" request that made glibc consolidate its fast
 * bins (2% of a create). Freed at thread exit. */
typedef struct spare {
  chunk *list;
  int n;
} spare;

static _Thread_local spare tl_spare;
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

static void spare_free(void *arg) {
  spare *sp = arg;
  while (sp->list) {
    chunk *n = sp->list->next;
    free(sp->list);
    sp->list = n;
  }
  sp->n = 0;
}

static void spare_init(void) { pthread_key_create(&spare_key, spare_free); }

sp_arena *sp_arena_create(void) { return xcalloc(1, sizeof(sp_arena)); }

void sp_arena_destroy(sp_arena *a) {
  if (!a) return;
  chunk *c = a->head;
  while (c) {
    chunk *next = c->next;
    if (c->size == ARENA_CHUNK && tl_spare.n < SPARE_CHUNKS) {
      if (!tl_spare.list && !tl_spare.n) { /* first use on this thread */
        pthread_once(&spare_once, spare_init);
        pthread_setspecific(spare_key, &tl_spare);
      }
      c->next = tl_spare.list;
      tl_spare.list = c;
      tl_spare.n++;
    } else {
      free(c);
    }
    c = next;
  }
  free(a);
}

void *sp_arena_alloc(sp_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (!a->head || a->head->size - a->head->used < n) {
    chunk *c;
    if (n <= ARENA_CHUNK && tl_spare.list) {
      c = tl_spare.list;
      tl_spare.list = c->next;
      tl_spare.n--;
    } else {
      size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
      c = xmalloc(sizeof(chunk) + size);
      c->size = size;
    }
    c->used = 0;
    c->next = a->head;
    a->head = c;
  }
  void *p = a->head->mem + a->head->used;
  a->head->used += n;
  memset(p, 0, n);
  return p;
}

char *sp_arena_strndup(sp_arena *a, const char *s, size_t n) {
  char *p = sp_arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *sp_arena_strdup(sp_arena *a, const char *s) {
  return sp_arena_strndup(a, s, strlen(s));
}

char *sp_arena_printf(sp_arena *a, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = sp_arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
  vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap2);
  va_end(ap2);
  return p;
}

size_t sp_fmt_i64(char *out, int64_t v) {
  char tmp[24];
  size_t n = 0;
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  do {
    tmp[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  size_t k = 0;
  if (v < 0) out[k++] = '-';
  while (n) out[k++] = tmp[--n];
  out[k] = '\0';
  return k;
}

char *sp_arena_i64(sp_arena *a, int64_t v) {
  char tmp[24];
  size_t n = sp_fmt_i64(tmp, v);
  char *p = sp_arena_alloc(a, n + 1);
  memcpy(p, tmp, n + 1);
  return p;
}

/* ---- capped buffer ---- */

void sp_buf_init(sp_buf *b, size_t max) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->max = max;
}

void sp_buf_reserve(sp_buf *b, size_t n) {
  if (n + 1 <= b->cap) return;
  b->data = xrealloc(b->data, n + 1);
  if (!b->len) b->data[0] = '\0';
  b->cap = n + 1;
}

int sp_buf_append(sp_buf *b, const void *p, size_t n) {
  if (n > b->max - b->len) return -1;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + n + 1) cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

void sp_buf_free(sp_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
