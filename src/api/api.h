/*
 * api.h - the live API's endpoints as a pure request -> response function.
 *
 * src/http feeds it requests from libmicrohttpd; tests feed it requests
 * directly (no socket). It owns the envelope ({code, message, request_id,
 * data}), authentication, routing, and the generic object mechanisms
 * (fields, filtering, paging, per-id status results) that every kind
 * reuses. Decoding and rules come from src/model and src/rules; storage
 * from src/store.
 */
#ifndef SP_API_API_H
#define SP_API_API_H

#include <stddef.h>
#include <stdint.h>

#include "../core/clock.h"
#include "../core/sp.h"
#include "../store/store.h"

/* Largest request body accepted; larger ones get HTTP 413 in the envelope. */
#define SP_MAX_BODY (2u * 1024 * 1024)

typedef struct sp_kv {
  const char *key, *value;
} sp_kv;

typedef struct sp_request {
  const char *method; /* "GET", "POST", ... */
  const char *path;   /* without the query string */
  const sp_kv *query; /* URL-decoded query parameters */
  size_t n_query;
  const char *token;  /* Access-Token header, or NULL */
  const char *body;
  size_t body_len;
  int body_too_large; /* the transport dropped a body over SP_MAX_BODY */
} sp_request;

typedef struct sp_response {
  int status;               /* HTTP status */
  char *body;               /* malloc'd; free with sp_response_free */
  size_t len;
  const char *content_type; /* static string */
  const char *allow;        /* Allow header for 405, static, or NULL */
} sp_response;

typedef struct sp_app sp_app;

/* The server's context. `st` and `clock` are borrowed, not owned. */
sp_app *sp_app_create(store *st, sp_clock *clock);
void sp_app_destroy(sp_app *app);
store *sp_app_store(sp_app *app);
sp_clock *sp_app_clock(sp_app *app);

/* Runs the world from `from_s` to `to_s` (unix seconds) when the sandbox
 * clock is advanced (the delivery simulator). Fills `summary` (a JSON
 * object the advance answer carries, may stay empty) or returns an error. */
typedef sp_rc (*sp_advance_hook)(void *ud, sp_app *app, int64_t from_s,
                                 int64_t to_s, void *summary, sp_err *e);
void sp_app_set_advance_hook(sp_app *app, sp_advance_hook fn, void *ud);

/* The delivery simulator behind the sandbox clock (delivery.c): one world
 * for every advertiser, run by /sandbox/clock/advance, its report rows
 * written to the store. `seed` fixes every random draw. */
typedef struct sp_delivery sp_delivery;
sp_delivery *sp_delivery_create(uint64_t seed);
void sp_delivery_destroy(sp_delivery *d);
/* Attach (or detach with NULL) a simulator: sets the advance hook. */
void sp_app_set_delivery(sp_app *app, sp_delivery *d);

/* Handle one request. Never fails: every outcome is an envelope. */
void sp_api_handle(sp_app *app, const sp_request *rq, sp_response *rs);

/* For a server's I/O threads: handle a request without waiting for its
 * write's COMMIT (store_defer). Returns 0 when *rs may be sent now, 1 when
 * only after w->fn has been called (from a store thread); either way pass
 * it through sp_api_settle first, which turns an answer whose COMMIT failed
 * into an error. Only for sp_api_deferrable requests: the others may run
 * long (a simulation) and belong on a worker thread. */
int sp_api_deferrable(const sp_request *rq);
int sp_api_handle_deferred(sp_app *app, const sp_request *rq, sp_response *rs,
                           store_waiter *w);
void sp_api_settle(sp_app *app, const store_waiter *w, sp_response *rs);
/* Commit what is open and return once every deferred answer is released. */
void sp_api_drain(sp_app *app);
/* Commit the open batch on this thread and answer whoever it releases. */
void sp_api_commit_now(sp_app *app);
/* The server's test of whether an I/O thread has nothing left to do but
 * wait for the open batch (store_defer_stuck): the batch then commits
 * without waiting for more writes. */
void sp_api_defer_stuck(sp_app *app, int (*stuck)(void *), void *arg);
void sp_response_free(sp_response *rs);

/* Demo set-up (first start): a demo advertiser allowlisted for Upgraded
 * Smart+, a demo pixel and a token with all three scopes. `token` fixes the
 * token (NULL: keep the stored one or make a random one). */
typedef struct sp_demo {
  int64_t advertiser_id;
  int64_t pixel_id;
  char pixel_code[32];
  char token[128];
} sp_demo;
sp_rc sp_demo_ensure(store *st, sp_clock *clock, const char *token,
                     sp_demo *out, sp_err *e);

/* Random token of 40 hex characters (from /dev/urandom). */
void sp_token_generate(char out[41]);

/* The value of query parameter `key` (the first one), or NULL. */
const char *sp_request_query(const sp_request *rq, const char *key);

/* Parse "a=1&b=%20x" into arena-allocated pairs (tests and the client). */
size_t sp_query_parse(sp_arena *a, const char *qs, sp_kv **out);

#endif
