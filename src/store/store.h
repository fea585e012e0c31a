/*
 * store.h - where smartplus keeps advertisers, tokens and API objects.
 *
 * One interface, a table of function pointers (store_ops) filled by each
 * backend: store/sqlite.c now, a PostgreSQL one later, without touching the
 * rules or the HTTP layer. Objects are stored generically: a row per object
 * with the columns every kind shares (kind, id, advertiser, parent, status,
 * times, name) and its JSON body as encoded by src/model.
 *
 * Every read and write names the advertiser: there is no call that can
 * reach another advertiser's object, whatever id a client guesses.
 *
 * Writes happen inside store_write_begin / store_commit (or store_rollback):
 * a create or update either lands whole or not at all. A commit that
 * returned SP_OK survives a crash of the process (kill -9).
 *
 * Thread safety: a store may be used from several threads. Write
 * transactions are serialised; reads run concurrently with them.
 */
#ifndef SP_STORE_STORE_H
#define SP_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/sp.h"

typedef enum sp_kind {
  SP_KIND_CAMPAIGN = 1,
  SP_KIND_ADGROUP = 2,
  SP_KIND_AD = 3,
  SP_KIND_PIXEL = 4,
  SP_KIND_SPC = 5,        /* legacy Smart+ campaign (campaign/spc/...) */
  SP_KIND_MANUAL = 6,     /* legacy manual campaign (campaign/create) */
  SP_KIND_MATERIAL = 7,   /* an id sequence only: creatives' ad_material_id,
                           * stored in their ad's body (seq_cover) */
} sp_kind;

/* Object status as every kind shares it. */
typedef enum sp_status {
  SP_ST_ENABLE = 0,
  SP_ST_DISABLE = 1,
  SP_ST_DELETE = 2,
} sp_status;

/* A stored object. Strings belong to the arena of the call that read it. */
typedef struct sp_obj {
  sp_kind kind;
  int64_t id;
  int64_t advertiser_id;
  int64_t parent_id;   /* campaign of an ad group, ad group of an ad; 0 */
  sp_status status;
  int64_t create_time; /* unix seconds */
  int64_t modify_time;
  const char *name;
  const char *body;    /* JSON object text */
  /* the body as the store keeps it, made by store_pack before the write
   * lock (insert and update pack it themselves when NULL) */
  const void *packed;
  int packed_len;
} sp_obj;

/* Bits for sp_query.status_mask */
#define SP_STM(st) (1u << (st))
#define SP_STM_NOT_DELETED (SP_STM(SP_ST_ENABLE) | SP_STM(SP_ST_DISABLE))
#define SP_STM_ALL (SP_STM_NOT_DELETED | SP_STM(SP_ST_DELETE))

typedef struct sp_query {
  sp_kind kind;
  int64_t advertiser_id;
  const int64_t *ids;        /* restrict to these ids if n_ids > 0 */
  size_t n_ids;
  const int64_t *parents;    /* restrict to these parents if n_parents > 0 */
  size_t n_parents;
  unsigned status_mask;      /* 0 = SP_STM_NOT_DELETED */
  const char *name_contains; /* fuzzy name filter, or NULL */
  int64_t created_from, created_to; /* inclusive bounds, 0 = none */
  size_t offset, limit;      /* limit 0 = no limit */
  int oldest_first;          /* default: newest first */
  int skip_total;            /* *total is not needed: do not count */
} sp_query;

typedef struct sp_advertiser {
  int64_t id;
  const char *name;
  int allowlisted; /* allowlisted for Upgraded Smart+ */
  const char *currency;
  const char *timezone;
} sp_advertiser;

/* Scopes a token may hold (seeds 001: the three permission scopes). */
enum {
  SP_SCOPE_ADS = 1u << 0,      /* Ads Management > Upgraded Smart Plus Ads */
  SP_SCOPE_REPORT = 1u << 1,   /* Reporting > Upgraded Smart+ Report */
  SP_SCOPE_CREATIVE = 1u << 2, /* Creative Management > Creative tool */
  SP_SCOPE_ALL = 7u,
};

#define SP_TOKEN_MAX_ADVERTISERS 64
typedef struct sp_token {
  unsigned scopes;
  size_t n_advertisers;
  int64_t advertisers[SP_TOKEN_MAX_ADVERTISERS];
} sp_token;

/* ---- report rows (reports, issue 6) ---- */
/* sp_metric_row: src/sim/metrics.h (one row per ad, creative, UTC hour) */
typedef struct sp_metric_row sp_metric_row;

/* What a metrics query groups by: each level keeps the ids above it
 * (an ad group row carries its campaign, a material row its ad, ad group
 * and campaign). */
typedef enum sp_metric_level {
  SP_ML_ADVERTISER = 0,
  SP_ML_CAMPAIGN = 1,
  SP_ML_ADGROUP = 2,
  SP_ML_AD = 3,
  SP_ML_MATERIAL = 4, /* (ad, ad_material_id) */
} sp_metric_level;

typedef struct sp_metric_query {
  int64_t advertiser_id;
  sp_metric_level level;
  int64_t grain;      /* 0: one row per key over the range; 3600: per hour;
                       * 86400: per day */
  int64_t tz_offset;  /* seconds east of UTC where days start (0 = UTC) */
  int64_t from, to;   /* hours in [from, to), unix seconds; to 0 = no bound */
  const int64_t *campaign_ids; size_t n_campaign_ids; /* filters if n > 0 */
  const int64_t *adgroup_ids; size_t n_adgroup_ids;
  const int64_t *ad_ids; size_t n_ad_ids;
  const int64_t *material_ids; size_t n_material_ids;
  size_t offset, limit; /* limit 0 = all rows */
} sp_metric_query;

typedef struct store store;

/* A write whose answer waits for its batch's COMMIT (store_defer). */
typedef struct store_waiter {
  void (*fn)(struct store_waiter *w); /* called once, from a store thread */
  void *arg;
  sp_rc rc;                           /* outcome of the COMMIT, set before fn */
  /* the store's */
  uint64_t gen;
  int queued, armed;
  struct store_waiter *next;
} store_waiter;

typedef struct store_ops {
  const char *name;
  /* owner: the process that writes objects (the server); a second owner
   * of the same database is refused */
  sp_rc (*open)(const char *dsn, int owner, store **out, sp_err *e);
  void (*close)(store *s);

  sp_rc (*write_begin)(store *s, sp_err *e);
  sp_rc (*commit)(store *s, sp_err *e);
  void (*rollback)(store *s);
  /* Deferred commit, for a server's I/O thread. After defer(s, w), a
   * commit or rollback on this thread returns as soon as its part of the
   * batch is settled, without waiting for the batch's COMMIT; w is queued
   * and the store calls w->fn (with w->rc) once that COMMIT is done. Until
   * then the caller must not answer: commit's SP_OK is provisional.
   * defer(s, NULL) ends the mode and returns 1 if the answer must wait (fn
   * will be called), 0 if it may go at once: nothing was written, or the
   * COMMIT is already done (w->rc holds its outcome). */
  int (*defer)(store *s, store_waiter *w);
  /* Commit the open batch now and return once every queued waiter's fn
   * has returned (shutdown). */
  void (*drain)(store *s);
  /* stuck(arg) (the caller's, called from the store's committer thread,
   * with no lock of the store held) says whether to commit the open batch
   * without waiting for more writes: the server's rule (server.c,
   * io_stuck) is that an I/O thread has nothing left but waiters on it. */
  void (*defer_stuck)(store *s, int (*stuck)(void *), void *arg);
  /* Commit the open batch now, on the calling thread (outside any write),
   * and return once the fn of every waiter whose batch is committed has
   * returned: for an I/O thread that would otherwise idle until the
   * committer does it. */
  void (*commit_now)(store *s);

  /* Next id for a kind. Thread-safe, inside or outside a transaction; an
   * id whose write is rolled back is not reused. Each kind has its own
   * range, so an id is unique across kinds: insert may refuse an object
   * whose id another kind's object holds (SQLite keys rows by id). */
  sp_rc (*next_id)(store *s, sp_kind kind, int64_t *out, sp_err *e);
  /* Raise kind's sequence above every id stored inside other objects, at
   * body.<array>[].<key> of the objects of kind `in` (a creative's
   * ad_material_id lives in its ad's body): once at start, or its ids
   * would begin again after a restart. */
  sp_rc (*seq_cover)(store *s, sp_kind kind, sp_kind in, const char *array,
                     const char *key, sp_err *e);
  /* One live object of `kind` whose parent is a live object of
   * `parent_kind` under `grandparent` (an ad of a campaign, through its ad
   * groups), other than `exclude`: *found 0 if there is none; else 1, and
   * *has tells whether its body holds the text `needle`. One query where a
   * list of the ad groups and a list of their ads took two. */
  sp_rc (*probe_grandchild)(store *s, sp_kind kind, sp_kind parent_kind,
                            int64_t advertiser_id, int64_t grandparent,
                            int64_t exclude, const char *needle, int *found,
                            int *has, sp_err *e);
  /* Any thread, no transaction needed: the parent of an object this store
   * inserted since it opened (an ad group's campaign), 0 if unknown. A
   * hint: an object whose insert was rolled back keeps one, so the caller
   * checks it against the row it reads under the write lock. */
  int64_t (*parent_hint)(store *s, int64_t id);
  /* Any thread: put o->body in the stored form (o->packed, in the arena),
   * so that insert or update does not do it inside the write lock. */
  void (*pack)(store *s, sp_obj *o, sp_arena *a);
  sp_rc (*insert)(store *s, const sp_obj *o, sp_err *e);
  sp_rc (*update)(store *s, const sp_obj *o, sp_err *e);
  /* SP_E_NOT_FOUND when absent or owned by another advertiser. */
  sp_rc (*get)(store *s, sp_kind kind, int64_t advertiser_id, int64_t id,
               sp_arena *a, sp_obj *out, sp_err *e);
  sp_rc (*list)(store *s, const sp_query *q, sp_arena *a, sp_obj **out,
                size_t *n, size_t *total, sp_err *e);

  /* Idempotency keys: request_id -> object id and request hash. */
  sp_rc (*idem_get)(store *s, int64_t advertiser_id, sp_kind kind,
                    const char *request_id, int64_t *id, uint64_t *hash,
                    sp_err *e); /* SP_E_NOT_FOUND if unused */
  sp_rc (*idem_put)(store *s, int64_t advertiser_id, sp_kind kind,
                    const char *request_id, int64_t id, uint64_t hash,
                    sp_err *e);

  /* Advertisers and tokens. */
  sp_rc (*advertiser_put)(store *s, const sp_advertiser *adv, sp_err *e);
  sp_rc (*advertiser_get)(store *s, int64_t id, sp_arena *a,
                          sp_advertiser *out, sp_err *e);
  /* every advertiser's id, ascending, in an arena array */
  sp_rc (*advertiser_list)(store *s, sp_arena *a, int64_t **ids, size_t *n,
                           sp_err *e);
  sp_rc (*token_put)(store *s, const char *token, const sp_token *t,
                     sp_err *e);
  sp_rc (*token_get)(store *s, const char *token, sp_token *out, sp_err *e);
  sp_rc (*token_delete)(store *s, const char *token, sp_err *e);

  /* Key/value settings (the demo ids, the clock) */
  sp_rc (*meta_get)(store *s, const char *key, sp_arena *a, const char **out,
                    sp_err *e);
  sp_rc (*meta_put)(store *s, const char *key, const char *value, sp_err *e);

  /* Report rows (inside a write transaction): rows with the same key
   * (ad_id, material_id, hour) add up, counters summed. */
  sp_rc (*metrics_add)(store *s, const sp_metric_row *rows, size_t n,
                       sp_err *e);
  /* Sums of an advertiser's rows grouped by level and time bucket, ordered
   * by campaign, ad group, ad, material, bucket (ascending); ids below the
   * level are 0, `hour` is the bucket start (0 with grain 0). *out is in
   * the arena; *total counts every group (before offset/limit). */
  sp_rc (*metrics_query)(store *s, const sp_metric_query *q, sp_arena *a,
                         sp_metric_row **out, size_t *n, size_t *total,
                         sp_err *e);
} store_ops;

/* Every store begins with this header so the wrappers below can dispatch. */
struct store {
  const store_ops *ops;
};

extern const store_ops store_sqlite_ops;

/* Open by DSN: "sqlite:PATH", a plain path (SQLite) or ":memory:". */
sp_rc store_open(const char *dsn, store **out, sp_err *e);
/* The same, for the server: the store keeps its id sequences and what it
 * knows of the objects it made (born.h) in memory, so a second server on
 * the same database file is refused ("in use"). Tools that touch only
 * advertisers and tokens open it beside the server with store_open. */
sp_rc store_open_owner(const char *dsn, store **out, sp_err *e);
void store_close(store *s);

#define store_write_begin(s, e) ((s)->ops->write_begin((s), (e)))
#define store_commit(s, e) ((s)->ops->commit((s), (e)))
#define store_rollback(s) ((s)->ops->rollback((s)))
#define store_defer(s, w) ((s)->ops->defer((s), (w)))
#define store_drain(s) ((s)->ops->drain((s)))
#define store_defer_stuck(s, f, a) ((s)->ops->defer_stuck((s), (f), (a)))
#define store_commit_now(s) ((s)->ops->commit_now(s))
#define store_next_id(s, k, o, e) ((s)->ops->next_id((s), (k), (o), (e)))
#define store_seq_cover(s, k, in, arr, key, e) \
  ((s)->ops->seq_cover((s), (k), (in), (arr), (key), (e)))
#define store_parent_hint(s, id) ((s)->ops->parent_hint((s), (id)))
#define store_pack(s, o, a) ((s)->ops->pack((s), (o), (a)))
#define store_probe_grandchild(s, k, pk, adv, gp, x, nd, f, h, e) \
  ((s)->ops->probe_grandchild((s), (k), (pk), (adv), (gp), (x), (nd), (f), \
                              (h), (e)))
#define store_insert(s, o, e) ((s)->ops->insert((s), (o), (e)))
#define store_update(s, o, e) ((s)->ops->update((s), (o), (e)))
#define store_get(s, k, adv, id, a, o, e) \
  ((s)->ops->get((s), (k), (adv), (id), (a), (o), (e)))
#define store_list(s, q, a, o, n, t, e) \
  ((s)->ops->list((s), (q), (a), (o), (n), (t), (e)))
#define store_idem_get(s, adv, k, r, id, h, e) \
  ((s)->ops->idem_get((s), (adv), (k), (r), (id), (h), (e)))
#define store_idem_put(s, adv, k, r, id, h, e) \
  ((s)->ops->idem_put((s), (adv), (k), (r), (id), (h), (e)))
#define store_advertiser_put(s, a, e) ((s)->ops->advertiser_put((s), (a), (e)))
#define store_advertiser_get(s, id, ar, o, e) \
  ((s)->ops->advertiser_get((s), (id), (ar), (o), (e)))
#define store_advertiser_list(s, a, o, n, e) \
  ((s)->ops->advertiser_list((s), (a), (o), (n), (e)))
#define store_token_put(s, t, v, e) ((s)->ops->token_put((s), (t), (v), (e)))
#define store_token_get(s, t, o, e) ((s)->ops->token_get((s), (t), (o), (e)))
#define store_token_delete(s, t, e) ((s)->ops->token_delete((s), (t), (e)))
#define store_meta_get(s, k, a, o, e) ((s)->ops->meta_get((s), (k), (a), (o), (e)))
#define store_meta_put(s, k, v, e) ((s)->ops->meta_put((s), (k), (v), (e)))
#define store_metrics_add(s, r, n, e) ((s)->ops->metrics_add((s), (r), (n), (e)))
#define store_metrics_query(s, q, a, o, n, t, e) \
  ((s)->ops->metrics_query((s), (q), (a), (o), (n), (t), (e)))

#endif
