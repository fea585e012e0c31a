/*
 * client.h - the CLI's client of the Marketing API (smartplusd or the live
 * API), on libcurl: one envelope-aware call, and the same with bounded
 * retries and exponential backoff for network errors, HTTP 5xx/429 and the
 * API's rate-limit and retryable codes. Used by `smartplus apply` and
 * `smartplus advise`.
 */
#ifndef SP_CLI_CLIENT_H
#define SP_CLI_CLIENT_H

#include <curl/curl.h>
#include <jansson.h>

#define SP_CLIENT_BACKOFF_CAP_MS 8000

typedef struct sp_resp {
  int transport_ok; /* the server answered with a JSON envelope */
  long http;
  long code;        /* the envelope's code, -1 without one */
  int maybe_sent;   /* no answer, but the request may have reached the server */
  char msg[768];
  json_t *data;     /* owned */
} sp_resp;

typedef struct sp_client {
  CURL *curl;
  char base[1024]; /* ends with '/' */
  const char *token;
  const char *agent;
  long timeout_s;
  int retries;
  long backoff_ms;
  /* told of each retry (a line without newline), or NULL */
  void (*on_retry)(void *ud, const char *line);
  void *ud;
} sp_client;

/* base: ".../open_api/v1.3/" (a missing final '/' is added). 0, or -1 if
 * libcurl cannot start. The caller owns curl_global_init/cleanup. */
int sp_client_init(sp_client *cl, const char *base, const char *token,
                   long timeout_s, int retries, long backoff_ms,
                   const char *agent);
void sp_client_free(sp_client *cl);

void sp_resp_clear(sp_resp *r);
/* 1 if another try may succeed (network error, 5xx/429, a retryable code) */
int sp_resp_retryable(const sp_resp *r);

/* One attempt: `body` (JSON) for POST, `query` ("a=1&b=2") for GET;
 * `path` is relative to the base. Code 0 with r->data on success. */
void sp_client_once(sp_client *cl, const char *method, const char *path,
                    json_t *body, const char *query, sp_resp *r);
/* The same with retries (safe for GETs and for creates that carry a
 * request_id); `what` names the call in retry lines. */
void sp_client_call(sp_client *cl, const char *what, const char *method,
                    const char *path, json_t *body, const char *query,
                    sp_resp *r);

/* The delay before retry number `attempt` (0-based), capped. */
long sp_client_backoff(const sp_client *cl, int attempt);
void sp_sleep_ms(long ms);

#endif
