/*
 * client.c - see client.h.
 */
#include "client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct membuf {
  char *p;
  size_t n;
} membuf;

static size_t on_data(char *d, size_t sz, size_t nm, void *u) {
  membuf *b = u;
  size_t len = sz * nm;
  if (b->n + len > (64u << 20)) return 0; /* 64 MB: not an API answer */
  char *np = realloc(b->p, b->n + len + 1);
  if (!np) return 0;
  b->p = np;
  memcpy(b->p + b->n, d, len);
  b->n += len;
  b->p[b->n] = '\0';
  return len;
}

int sp_client_init(sp_client *cl, const char *base, const char *token,
                   long timeout_s, int retries, long backoff_ms,
                   const char *agent) {
  memset(cl, 0, sizeof *cl);
  size_t n = strlen(base);
  snprintf(cl->base, sizeof cl->base, "%s%s", base,
           n && base[n - 1] == '/' ? "" : "/");
  cl->token = token;
  cl->timeout_s = timeout_s > 0 ? timeout_s : 30;
  cl->retries = retries;
  cl->backoff_ms = backoff_ms;
  cl->agent = agent;
  cl->curl = curl_easy_init();
  return cl->curl ? 0 : -1;
}

void sp_client_free(sp_client *cl) {
  if (cl->curl) curl_easy_cleanup(cl->curl);
  cl->curl = NULL;
}

void sp_resp_clear(sp_resp *r) {
  json_decref(r->data);
  memset(r, 0, sizeof *r);
  r->code = -1;
}

void sp_sleep_ms(long ms) {
  if (ms <= 0) return;
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

void sp_client_once(sp_client *cl, const char *method, const char *path,
                    json_t *body, const char *query, sp_resp *r) {
  sp_resp_clear(r);
  char url[4096];
  snprintf(url, sizeof url, "%s%s%s%s", cl->base, path, query ? "?" : "",
           query ? query : "");
  CURL *c = cl->curl;
  curl_easy_reset(c);
  membuf b = {NULL, 0};
  char errbuf[CURL_ERROR_SIZE] = "";
  struct curl_slist *h = NULL;
  char tok[1200];
  snprintf(tok, sizeof tok, "Access-Token: %s", cl->token ? cl->token : "");
  h = curl_slist_append(h, tok);
  h = curl_slist_append(h, "Content-Type: application/json");
  char *payload = NULL;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, cl->timeout_s * 1000L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   (cl->timeout_s < 10 ? cl->timeout_s : 10) * 1000L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_USERAGENT, cl->agent ? cl->agent : "smartplus/1");
  if (strcmp(method, "POST") == 0) {
    payload = json_dumps(body, JSON_COMPACT);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload);
  }
  CURLcode cc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->http);
  if (cc != CURLE_OK) {
    r->maybe_sent = cc != CURLE_COULDNT_CONNECT && cc != CURLE_COULDNT_RESOLVE_HOST &&
                    cc != CURLE_COULDNT_RESOLVE_PROXY;
    snprintf(r->msg, sizeof r->msg, "%s %.200s%.100s: %s%s%.200s%s", method,
             cl->base, path, curl_easy_strerror(cc), *errbuf ? " (" : "",
             errbuf, *errbuf ? ")" : "");
  } else {
    json_error_t je;
    json_t *env = b.p ? json_loads(b.p, 0, &je) : NULL;
    json_t *code = json_object_get(env, "code");
    if (!json_is_integer(code)) {
      r->maybe_sent = 1; /* something answered, maybe after forwarding it */
      snprintf(r->msg, sizeof r->msg,
               "%s %.200s%.100s: HTTP %ld without an API envelope: %.200s", method,
               cl->base, path, r->http, b.p ? b.p : "(empty body)");
    } else {
      r->transport_ok = 1;
      r->code = (long)json_integer_value(code);
      const char *m = json_string_value(json_object_get(env, "message"));
      snprintf(r->msg, sizeof r->msg, "%s", m ? m : "");
      r->data = json_incref(json_object_get(env, "data"));
    }
    json_decref(env);
  }
  free(payload);
  free(b.p);
  curl_slist_free_all(h);
}

/* Codes worth another try: rate limits (40016, 40100, 40132, 40133), write
 * conflict (40202), system errors and timeouts on the server's side. */
static int retryable_code(long code) {
  return code == 40016 || code == 40100 || code == 40132 || code == 40133 ||
         code == 40202 || code == 50000 || code == 50002 ||
         (code >= 51000 && code <= 51099) || code == 60001 || code == 61000;
}

int sp_resp_retryable(const sp_resp *r) {
  if (!r->transport_ok) return r->http == 0 || r->http >= 500 || r->http == 429;
  return retryable_code(r->code);
}

long sp_client_backoff(const sp_client *cl, int attempt) {
  long d = cl->backoff_ms;
  for (int i = 0; i < attempt && d < SP_CLIENT_BACKOFF_CAP_MS; i++) d *= 2;
  return d < SP_CLIENT_BACKOFF_CAP_MS ? d : SP_CLIENT_BACKOFF_CAP_MS;
}

void sp_client_call(sp_client *cl, const char *what, const char *method,
                    const char *path, json_t *body, const char *query,
                    sp_resp *r) {
  for (int attempt = 0;; attempt++) {
    sp_client_once(cl, method, path, body, query, r);
    if (r->transport_ok && r->code == 0) return;
    if (!sp_resp_retryable(r) || attempt >= cl->retries) return;
    long d = sp_client_backoff(cl, attempt);
    if (cl->on_retry) {
      char line[1200];
      snprintf(line, sizeof line, "%s: %s%s%s; retry %d of %d in %ld ms", what,
               r->transport_ok ? "" : "network error: ", r->msg,
               r->transport_ok ? " (retryable code)" : "", attempt + 1,
               cl->retries, d);
      cl->on_retry(cl->ud, line);
    }
    sp_sleep_ms(d);
  }
}
