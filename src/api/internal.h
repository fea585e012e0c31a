/*
 * internal.h - what the endpoint files of src/api share: the per-request
 * context, the kind table behind the generic mechanisms, and helpers.
 */
#ifndef SP_API_INTERNAL_H
#define SP_API_INTERNAL_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>

#include "../model/objects.h"
#include "api.h"

/* Tokens and advertisers are read on every request; a grant seen in the
 * store is trusted for AUTH_TTL_US of monotonic time (a revoked token stops
 * working within that), unknown tokens are never cached. */
#define AUTH_CACHE 64
#define AUTH_TTL_US 1000000
typedef struct auth_entry {
  char token[129];
  sp_token t;
  int64_t until;
} auth_entry;
typedef struct adv_entry {
  int64_t id;
  int allowlisted;
  int64_t until;
} adv_entry;

struct sp_app {
  store *st;
  sp_clock *clock;
  _Atomic uint64_t seq; /* envelope request_id counter */
  pthread_mutex_t auth_lock;
  auth_entry tokens[AUTH_CACHE];
  adv_entry advertisers[AUTH_CACHE];
  /* the sandbox clock: one advance at a time */
  pthread_mutex_t clock_lock;
  sp_advance_hook advance;
  void *advance_ud;
  struct api_events *events; /* events pipeline (api/events.c), lazily made */
  sp_delivery *delivery;     /* the simulator (api/delivery.c), or NULL */
};

typedef struct sp_ctx {
  sp_app *app;
  const sp_request *rq;
  sp_arena *a;
  json_t *body;          /* parsed POST body (object), or NULL */
  /* A create's body decoded by dispatch's fast path (sp_decode_quick), or
   * NULL. When set, c->body holds only the top-level advertiser_id and
   * request_id: the handler uses this instead of decoding c->body. */
  void *decoded;
  int64_t advertiser_id; /* authorised advertiser of this request */
  sp_token token;
  int64_t now;           /* server clock, unix seconds, read once */
  sp_err err;
  /* A handler may answer with ready JSON text instead of a json_t: the
   * fast path of get and create, which never re-parses stored bodies. */
  sp_buf raw;
  int has_raw;
  /* With has_raw: answer c->raw as is, with this Content-Type and no
   * envelope (static string), e.g. the pixel script. */
  const char *raw_type;
  /* With has_raw and no raw_type: the envelope's code and message around
   * c->raw when they are not 0 / "OK" (a static string, not escaped), e.g.
   * 20001 "Partially successful". */
  int raw_code;
  const char *raw_message;
  /* Rows this request has already read (the parents of what it wrote), so
   * computed fields need not read them again. */
  const sp_obj *known[2];
} sp_ctx;

/* A row of `kind` and `id` this request already holds, or NULL. */
const sp_obj *api_known(sp_ctx *c, sp_kind kind, int64_t id);
/* That row, or else the stored one read into *buf; NULL if there is none
 * (a parent's status, for its children's secondary status). */
const sp_obj *api_row(sp_ctx *c, sp_kind kind, int64_t id, sp_obj *buf);

/* Add BROWSER / EVENTS_API (bits 1, 2) to a pixel's event_sources, in its
 * own write (api/events.c; the simulator's copies use it too). */
void api_record_pixel_sources(sp_app *app, sp_arena *arena, int64_t now,
                              int64_t pid, int64_t adv, unsigned bits);

/* A list answer's page_info: page, page_size, total_number, total_page. */
json_t *api_page_info(size_t page, size_t page_size, size_t total);

/* A query parameter of this request, or NULL. */
static inline const char *api_query(sp_ctx *c, const char *key) {
  return sp_request_query(c->rq, key);
}

/* 1 if the request's token is granted advertiser `adv`. */
static inline int api_token_grants(const sp_ctx *c, int64_t adv) {
  for (size_t i = 0; i < c->token.n_advertisers; i++)
    if (c->token.advertisers[i] == adv) return 1;
  return 0;
}

#define SP_MAX_EXTRAS 4

/* A handler puts its answer in *data (a new reference) and returns SP_OK,
 * or fills c->err and returns its code. */
typedef sp_rc (*sp_handler)(sp_ctx *c, json_t **data);

/* Everything the generic get / status mechanisms need to know of a kind. */
typedef struct sp_kind_def {
  sp_kind kind;
  const char *noun;       /* "campaign" */
  const char *id_field;   /* "campaign_id" */
  const char *ids_field;  /* "campaign_ids" */
  const char *list_field; /* "campaign_list" in status/update answers */
  const char *name_field; /* "campaign_name" */
  const sp_schema *schema;
  size_t max_page_size;
  size_t max_status_ids;
  const sp_enum_def *primary_status_enum;
  /* Computed fields (secondary_status ...) of a stored object, as string
   * pairs; returns how many (at most SP_MAX_EXTRAS). */
  size_t (*extras)(sp_ctx *c, const sp_obj *o, sp_kv *out);
  /* Kind-specific filters: push down into q or return 1 if `key` is
   * handled as a post-filter by `post`. */
  sp_rc (*filter)(sp_ctx *c, const char *key, json_t *v, sp_query *q,
                  int *post);
  int (*post)(sp_ctx *c, json_t *filtering, json_t *view);
  /* the kind whose objects hang below this one (deleted with it), or 0 */
  sp_kind child_kind;
  /* status/update answers {ids_field: [...], status} (ads) instead of
   * {list_field: [{id, status}], error_list} */
  int status_ids_shape;
  /* status/update: ids that are not of `kind` are looked up as this kind
   * too (legacy manual campaigns share campaign/status/update), or 0 */
  sp_kind alt_kind;
  /* status/update, both optional: status_begin runs once inside the write
   * transaction with a zeroed state; status_refuse runs for each id that
   * would change and returns why it may not (for error_list) or NULL. */
  sp_rc (*status_begin)(sp_ctx *c, sp_status to, void *state);
  const char *(*status_refuse)(sp_ctx *c, const sp_obj *o, sp_status to,
                               void *state);
} sp_kind_def;

extern const sp_kind_def sp_kind_campaign;
extern const sp_kind_def sp_kind_adgroup;
extern const sp_kind_def sp_kind_ad;

/* Set one object's status in its row and body (inside a write
 * transaction), and delete its children with it. */
sp_rc api_set_status(sp_ctx *c, sp_obj *o, sp_status to, sp_kind child_kind);
/* Load a stored object and decode it into `out` (a zeroed struct of the
 * schema's size). SP_E_NOT_FOUND names `field` in the error. */
sp_rc api_load(sp_ctx *c, sp_kind kind, const sp_schema *s, int64_t id,
               const char *field, const char *noun, void *out, sp_obj *row);
/* The same without decoding: the row alone (existence, status, parent). */
sp_rc api_load_row(sp_ctx *c, sp_kind kind, int64_t id, const char *field,
                   const char *noun, sp_obj *row);
/* Decode every non-deleted object of `kind` under the given parents, except
 * `exclude`, into an arena array of structs of the schema's size. */
sp_rc api_load_children(sp_ctx *c, sp_kind kind, const sp_schema *s,
                        const int64_t *parents, size_t n_parents,
                        int64_t exclude, void **out, sp_obj **rows, size_t *n);
/* Encode an object as the row it is stored as (no store access). */
void api_encode_row(sp_ctx *c, sp_kind kind, const sp_schema *s, const void *obj,
                    int64_t id, int64_t parent, sp_status st, const char *name,
                    sp_obj *out);
/* Store encoded text as a row of `kind` (insert or update). */
sp_rc api_put(sp_ctx *c, sp_kind kind, const sp_schema *s, const void *obj,
              int64_t id, int64_t parent, sp_status st, const char *name,
              int insert, sp_obj *saved);

/* The simulator's view of an ad group (learning state ...), or NULL. */
json_t *sp_delivery_adgroup_state(sp_delivery *d, int64_t adgroup_id);

/* Sandbox controls (sandbox.c) */
sp_rc api_sandbox_clock_get(sp_ctx *c, json_t **data);
sp_rc api_sandbox_clock_set(sp_ctx *c, json_t **data);
sp_rc api_sandbox_clock_advance(sp_ctx *c, json_t **data);

/* Generic mechanisms (objects.c) */
sp_rc api_get_list(sp_ctx *c, const sp_kind_def *k, json_t **data);
sp_rc api_status_update(sp_ctx *c, const sp_kind_def *k, json_t **data);
/* operation_status of a status/update body: ENABLE, DISABLE or DELETE. */
sp_rc api_parse_operation_status(sp_ctx *c, json_t *v, sp_status *to);
/* JSON view of a stored object (body + computed fields). */
json_t *api_view(sp_ctx *c, const sp_kind_def *k, const sp_obj *o);
/* The same view appended as JSON text to b (no parsing). */
void api_view_raw(sp_ctx *c, const sp_kind_def *k, const sp_obj *o, sp_buf *b);
/* Answer with the view of o as the data object (raw text). */
/* Answer with the stored object `id` of kind k (an idempotent repeat). */
sp_rc api_answer_id(sp_ctx *c, const sp_kind_def *k, int64_t id);
void api_answer_obj(sp_ctx *c, const sp_kind_def *k, const sp_obj *o);
/* Idempotency: SP_OK with *found set if request_id was used before; the
 * error SP_E_DUPLICATE when it was used for a different request. */
sp_rc api_idem_lookup(sp_ctx *c, sp_kind kind, const char *request_id,
                      uint64_t hash, int64_t *found);
/* Hash of a decoded request (canonical: schema order, not the client's
 * key order or whitespace), for idempotency checks. */
uint64_t api_struct_hash(const sp_schema *s, const void *in);
/* Reads request_id from the body (string of digits, or integer). */
sp_rc api_request_id(sp_ctx *c, const char **out);
const char *api_status_name(sp_status st);
/* A JSON array of id strings (or integers), at most `max`, into an arena
 * array; errors name the field and the item. */
sp_rc api_parse_ids(sp_ctx *c, const char *field, json_t *v, size_t max,
                    int64_t **ids, size_t *n);
/* Look up one id field of the body. */
sp_rc api_body_id(sp_ctx *c, const char *field, int64_t *out);
void api_time(int64_t unix_s, sp_arena *a, const char **out);

/* Endpoints */
sp_rc api_campaign_create(sp_ctx *c, json_t **data);
sp_rc api_campaign_update(sp_ctx *c, json_t **data);
sp_rc api_campaign_get(sp_ctx *c, json_t **data);
sp_rc api_campaign_status(sp_ctx *c, json_t **data);
sp_rc api_adgroup_create(sp_ctx *c, json_t **data);
sp_rc api_adgroup_update(sp_ctx *c, json_t **data);
sp_rc api_adgroup_get(sp_ctx *c, json_t **data);
sp_rc api_adgroup_status(sp_ctx *c, json_t **data);
sp_rc api_ad_create(sp_ctx *c, json_t **data);
sp_rc api_ad_update(sp_ctx *c, json_t **data);
sp_rc api_ad_get(sp_ctx *c, json_t **data);
sp_rc api_ad_status(sp_ctx *c, json_t **data);
sp_rc api_ad_material_status(sp_ctx *c, json_t **data);
sp_rc api_pixel_create(sp_ctx *c, json_t **data);
sp_rc api_pixel_list(sp_ctx *c, json_t **data);
/* Legacy Smart+ API and manual campaign creation (spc.c) */
sp_rc api_spc_create(sp_ctx *c, json_t **data);
sp_rc api_spc_update(sp_ctx *c, json_t **data);
sp_rc api_spc_get(sp_ctx *c, json_t **data);
sp_rc api_spc_quota_get(sp_ctx *c, json_t **data);
sp_rc api_legacy_status_update(sp_ctx *c, json_t **data);
sp_rc api_manual_campaign_create(sp_ctx *c, json_t **data);
/* Events API 2.0, browser Pixel, event stats (events.c) */
sp_rc api_event_track(sp_ctx *c, json_t **data);
sp_rc api_pixel_script(sp_ctx *c, json_t **data);
sp_rc api_pixel_browser_track(sp_ctx *c, json_t **data);
sp_rc api_pixel_event_stats(sp_ctx *c, json_t **data);
sp_rc api_sandbox_events(sp_ctx *c, json_t **data);
void api_events_free(sp_app *app);
sp_rc api_report_integrated_get(sp_ctx *c, json_t **data);
sp_rc api_material_report_overview(sp_ctx *c, json_t **data);

/* The pixel an ad group names, as the ad group rules read it: NULL when it
 * is none of the advertiser's live pixels; its sources decoded only when
 * the goal needs them (LANDING_PAGE). */
sp_rc api_adgroup_pixel(sp_ctx *c, const sp_adgroup *g, sp_pixel **out);
/* Insert a pixel (used by pixel/create and the demo set-up). */
sp_rc api_pixel_insert_full(store *st, int64_t advertiser_id, const char *name,
                            const char *category, const sp_opt_strs *sources,
                            int64_t now, sp_arena *a, sp_pixel *p,
                            int64_t *pixel_id, const char **pixel_code,
                            sp_err *e);

#endif
