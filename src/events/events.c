/* events.c - the conversion-events pipeline (see events.h).
 *
 * Dedup rule (TikTok help centre "Event deduplication", api-facts 9): key =
 * (pixel, event, event_id); a copy received within 48 h of the first copy
 * (server clock) is merged into it, whichever channel sent either copy; the
 * first copy is kept and later copies fill fields it lacked; a copy after
 * 48 h is a new event; events without event_id are never merged.
 *
 * Journal record: a 48-byte header {magic, raw length, advertiser id, pixel
 * id, receive time, source, checksum} followed by the request body as
 * received. The checksum (XXH64) covers header and body, so a torn tail
 * after kill -9 is detected and cut at start.
 */
#include "events.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "../core/clock.h"
#include "dedup.h"

#define MAGIC 0x56455053u /* "SPEV" */
#define HDR 48

/* Fields whose presence is tracked for merging (bit i = fields[i]). */
static const struct {
  const char *sect, *key;
} fields[16] = {
    {"user", "email"},          {"user", "phone"},
    {"user", "external_id"},    {"user", "ttclid"},
    {"user", "ttp"},            {"user", "ip"},
    {"user", "user_agent"},     {"user", "locale"},
    {"page", "url"},            {"page", "referrer"},
    {"properties", "value"},    {"properties", "currency"},
    {"properties", "contents"}, {"properties", "content_type"},
    {"properties", "order_id"}, {"properties", "description"},
};

typedef struct counter {
  int64_t pixel_id, day;
  uint64_t h; /* 0: empty */
  sp_ev_stat s;
} counter;

typedef struct pixel_state {
  int64_t pixel_id, advertiser_id;
  unsigned sources, synced;
} pixel_state;

typedef struct ring_ent {
  uint64_t seq; /* 0: empty */
  int64_t pixel_id, advertiser_id, recv;
  int source, status;
  uint32_t kept_ref; /* MERGED: seq of the kept copy (low 32 bits) */
  unsigned copies;   /* KEPT: copies merged into it */
  unsigned sources;  /* KEPT: channels that sent it */
  json_t *obj;
} ring_ent;

struct sp_events {
  pthread_mutex_t m;
  sp_dedup *dedup;  /* (pixel, event, event_id) */
  sp_dedup *shadow; /* no event_id: (pixel, event, event_time, identity) */
  int64_t last_expire;
  uint64_t seq;
  counter *ctab;
  size_t ccap, cused;
  pixel_state *px;
  size_t npx, cappx;
  ring_ent ring[SP_EV_RING];
  /* journal */
  int fd; /* -1: memory */
  sp_buf pending;
  uint64_t appended; /* bytes appended to pending since open */
  pthread_mutex_t fm; /* one flusher at a time */
  uint64_t durable;   /* guarded by fm */
  int replaying;
  char *path;           /* journal path, or NULL */
  uint64_t file_bytes;  /* journal size (guarded by fm) */
  uint64_t ckpt_bytes;  /* checkpoint when the journal grows past this */
};

/* ---- validation ------------------------------------------------------ */

static int is_sha256(const char *s) {
  if (strlen(s) != 64) return 0;
  for (const char *p = s; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
  return 1;
}

static int is_currency(const char *s) {
  if (strlen(s) != 3) return 0;
  for (int i = 0; i < 3; i++)
    if (s[i] < 'A' || s[i] > 'Z') return 0;
  return 1;
}

/* What one pass over an event's keys finds (borrowed pointers). */
typedef struct scan {
  json_t *event, *event_time, *event_id, *user, *page, *properties;
  json_t *hashed[3]; /* user.email, phone, external_id */
  json_t *ustr[5];   /* user.ttclid, ttp, ip, user_agent, locale */
  json_t *url, *value, *currency, *contents;
  uint16_t mask; /* fields[] present */
} scan;

static const char *const ustr_keys[5] = {"ttclid", "ttp", "ip", "user_agent",
                                         "locale"};

/* Bit of (section, key) in fields[], or -1. */
static int field_bit(int sect, const char *key) {
  int from = sect == 0 ? 0 : sect == 1 ? 8 : 10;
  int to = sect == 0 ? 8 : sect == 1 ? 10 : 16;
  for (int i = from; i < to; i++)
    if (strcmp(fields[i].key, key) == 0) return i;
  return -1;
}

static void scan_event(json_t *ev, scan *f) {
  memset(f, 0, sizeof *f);
  const char *k;
  json_t *v;
  json_object_foreach(ev, k, v) {
    switch (k[0]) {
      case 'e':
        if (!strcmp(k, "event")) f->event = v;
        else if (!strcmp(k, "event_time")) f->event_time = v;
        else if (!strcmp(k, "event_id")) f->event_id = v;
        break;
      case 'u':
        if (!strcmp(k, "user")) f->user = v;
        break;
      case 'p':
        if (!strcmp(k, "page")) f->page = v;
        else if (!strcmp(k, "properties")) f->properties = v;
        break;
    }
  }
  json_t *secs[3] = {f->user, f->page, f->properties};
  for (int sct = 0; sct < 3; sct++) {
    if (!json_is_object(secs[sct])) continue;
    json_object_foreach(secs[sct], k, v) {
      int bit = field_bit(sct, k);
      if (bit < 0) continue;
      f->mask |= (uint16_t)(1u << bit);
      if (bit < 3) f->hashed[bit] = v;
      else if (bit < 8) f->ustr[bit - 3] = v;
      else if (bit == 8) f->url = v;
      else if (bit == 10) f->value = v;
      else if (bit == 11) f->currency = v;
      else if (bit == 12) f->contents = v;
    }
  }
}

static sp_rc hashed_value(json_t *v, const char *path, sp_err *e) {
  if (json_is_string(v)) {
    if (!is_sha256(json_string_value(v)))
      return sp_fail(e, (sp_rc)SP_EV_E_PII, path, "PII_HASHED",
                     "must be the SHA-256 of the normalised value (64 "
                     "lowercase hex characters); plain values are refused");
    return SP_OK;
  }
  if (!json_is_array(v) || json_array_size(v) > 10)
    return sp_fail(e, SP_E_PARAM, path, "TYPE",
                   "must be a hashed string or an array of at most 10");
  size_t i;
  json_t *x;
  json_array_foreach(v, i, x) {
    if (!json_is_string(x) || !is_sha256(json_string_value(x)))
      return sp_fail(e, (sp_rc)SP_EV_E_PII, path, "PII_HASHED",
                     "item %zu must be the SHA-256 of the normalised value "
                     "(64 lowercase hex characters)",
                     i);
  }
  return SP_OK;
}

static sp_rc validate_scan(json_t *ev, int source, int64_t now, scan *f,
                           sp_err *e) {
  sp_rc rc;
  if (!json_is_object(ev))
    return sp_fail(e, SP_E_PARAM, "", "TYPE", "each event must be an object");
  scan_event(ev, f);
  json_t *v = f->event;
  if (!v) return sp_fail(e, SP_E_PARAM, "event", "EVENT_REQUIRED", "is required");
  if (!json_is_string(v) || json_string_length(v) == 0 ||
      json_string_length(v) > 50)
    return sp_fail(e, SP_E_PARAM, "event", "EVENT_NAME",
                   "must be a non-empty string of at most 50 characters "
                   "(names are case-sensitive, e.g. CompletePayment)");
  v = f->event_time;
  if (!v) {
    if (source != SP_EV_BROWSER)
      return sp_fail(e, SP_E_PARAM, "event_time", "EVENT_TIME_REQUIRED",
                     "is required (unix seconds, UTC)");
  } else {
    if (!json_is_integer(v))
      return sp_fail(e, SP_E_PARAM, "event_time", "TYPE",
                     "must be an integer (unix seconds, UTC)");
    json_int_t t = json_integer_value(v);
    if (t > 100000000000LL)
      return sp_fail(e, SP_E_PARAM, "event_time", "EVENT_TIME_UNIT",
                     "%lld looks like milliseconds; event_time is in seconds",
                     (long long)t);
    if (t < now - SP_EV_MAX_AGE || t > now + SP_EV_MAX_AHEAD)
      return sp_fail(e, SP_E_PARAM, "event_time", "EVENT_TIME_WINDOW",
                     "%lld is outside the accepted window (at most 7 days "
                     "before and 10 minutes after the server time %lld)",
                     (long long)t, (long long)now);
  }
  v = f->event_id;
  if (v && !json_is_null(v) &&
      (!json_is_string(v) || json_string_length(v) > 256))
    return sp_fail(e, SP_E_PARAM, "event_id", "EVENT_ID",
                   "must be a string of at most 256 characters");
  if (f->user) {
    if (!json_is_object(f->user))
      return sp_fail(e, SP_E_PARAM, "user", "TYPE", "must be an object");
    static const char *const hpaths[] = {"user.email", "user.phone",
                                         "user.external_id"};
    for (int i = 0; i < 3; i++)
      if (f->hashed[i] && (rc = hashed_value(f->hashed[i], hpaths[i], e)))
        return rc;
    for (int i = 0; i < 5; i++) {
      if (f->ustr[i] && !json_is_string(f->ustr[i])) {
        char path[32];
        snprintf(path, sizeof path, "user.%s", ustr_keys[i]);
        return sp_fail(e, SP_E_PARAM, path, "TYPE", "must be a string");
      }
    }
  }
  if (f->page) {
    if (!json_is_object(f->page))
      return sp_fail(e, SP_E_PARAM, "page", "TYPE", "must be an object");
    if (f->url && !json_is_string(f->url))
      return sp_fail(e, SP_E_PARAM, "page.url", "TYPE", "must be a string");
  }
  if (f->properties) {
    if (!json_is_object(f->properties))
      return sp_fail(e, SP_E_PARAM, "properties", "TYPE", "must be an object");
    if (f->value && !json_is_number(f->value))
      return sp_fail(e, SP_E_PARAM, "properties.value", "VALUE_NUMBER",
                     "must be a plain number (no currency symbols or commas)");
    if (f->currency && (!json_is_string(f->currency) ||
                        !is_currency(json_string_value(f->currency))))
      return sp_fail(e, SP_E_PARAM, "properties.currency", "CURRENCY",
                     "must be an ISO 4217 code of 3 uppercase letters, e.g. USD");
    if (f->value && !f->currency)
      return sp_fail(e, SP_E_PARAM, "properties.currency", "CURRENCY_REQUIRED",
                     "is required when properties.value is sent");
    if (f->contents) {
      if (!json_is_array(f->contents))
        return sp_fail(e, SP_E_PARAM, "properties.contents", "TYPE",
                       "must be an array of objects");
      size_t i;
      json_t *x;
      json_array_foreach(f->contents, i, x) {
        if (!json_is_object(x))
          return sp_fail(e, SP_E_PARAM, "properties.contents", "TYPE",
                         "item %zu must be an object", i);
      }
    }
  }
  return SP_OK;
}

sp_rc sp_events_validate(json_t *ev, int source, int64_t now, sp_err *e) {
  scan f;
  return validate_scan(ev, source, now, &f, e);
}

/* Copy the fields in `bits` from src into dst (the kept copy). */
static void fill_fields(json_t *dst, json_t *src, uint16_t bits) {
  for (int i = 0; i < 16; i++) {
    if (!(bits & (1u << i))) continue;
    json_t *ss = json_object_get(src, fields[i].sect);
    json_t *v = ss ? json_object_get(ss, fields[i].key) : NULL;
    if (!v) continue;
    json_t *ds = json_object_get(dst, fields[i].sect);
    if (!json_is_object(ds)) {
      ds = json_object();
      json_object_set_new(dst, fields[i].sect, ds);
    }
    json_object_set_new(ds, fields[i].key, json_deep_copy(v));
  }
}

/* ---- counters and pixels (under m) ------------------------------------- */

static sp_ev_stat *counter_for(sp_events *ev, int64_t pixel_id, int64_t day,
                               const char *name, size_t len) {
  uint64_t h = XXH64(name, len, (uint64_t)pixel_id * 31 + (uint64_t)day) | 1;
  if ((ev->cused + 1) * 2 > ev->ccap) {
    size_t ncap = ev->ccap ? ev->ccap * 2 : 64;
    counter *nt = xcalloc(ncap, sizeof *nt);
    for (size_t i = 0; i < ev->ccap; i++) {
      if (!ev->ctab[i].h) continue;
      size_t j = ev->ctab[i].h & (ncap - 1);
      while (nt[j].h) j = (j + 1) & (ncap - 1);
      nt[j] = ev->ctab[i];
    }
    free(ev->ctab);
    ev->ctab = nt;
    ev->ccap = ncap;
  }
  size_t j = h & (ev->ccap - 1);
  while (ev->ctab[j].h) {
    counter *c = &ev->ctab[j];
    if (c->h == h && c->pixel_id == pixel_id && c->day == day &&
        strlen(c->s.event) == len && memcmp(c->s.event, name, len) == 0)
      return &c->s;
    j = (j + 1) & (ev->ccap - 1);
  }
  counter *c = &ev->ctab[j];
  c->h = h;
  c->pixel_id = pixel_id;
  c->day = day;
  memcpy(c->s.event, name, len < 63 ? len : 63);
  ev->cused++;
  return &c->s;
}

static pixel_state *pixel_for(sp_events *ev, int64_t pixel_id,
                              int64_t advertiser_id) {
  for (size_t i = 0; i < ev->npx; i++)
    if (ev->px[i].pixel_id == pixel_id) return &ev->px[i];
  if (ev->npx == ev->cappx) {
    ev->cappx = ev->cappx ? ev->cappx * 2 : 16;
    ev->px = xrealloc(ev->px, ev->cappx * sizeof *ev->px);
  }
  pixel_state *p = &ev->px[ev->npx++];
  memset(p, 0, sizeof *p);
  p->pixel_id = pixel_id;
  p->advertiser_id = advertiser_id;
  return p;
}

static ring_ent *ring_put(sp_events *ev, uint64_t seq, int64_t pixel_id,
                          int64_t adv, int64_t now, int source, int status,
                          json_t *obj) {
  ring_ent *r = &ev->ring[seq % SP_EV_RING];
  json_decref(r->obj);
  memset(r, 0, sizeof *r);
  r->seq = seq;
  r->pixel_id = pixel_id;
  r->advertiser_id = adv;
  r->recv = now;
  r->source = source;
  r->status = status;
  r->sources = (unsigned)source;
  r->obj = json_incref(obj);
  return r;
}

/* The ring entry of seq whose low 32 bits are ref, if still held. */
static uint64_t ref_seq(const sp_events *ev, uint32_t ref) {
  uint64_t cand = (ev->seq & ~(uint64_t)0xFFFFFFFFu) | ref;
  if (cand > ev->seq) cand -= (uint64_t)1 << 32;
  return cand;
}

static ring_ent *ring_find(sp_events *ev, uint32_t ref) {
  uint64_t s = ref_seq(ev, ref);
  if (s == 0 || s + SP_EV_RING <= ev->seq) return NULL;
  ring_ent *r = &ev->ring[s % SP_EV_RING];
  return r->seq == s ? r : NULL;
}

/* ---- ingest (under m) ---------------------------------------------------- */

static void identity(json_t *ev, char *out, size_t n) {
  json_t *u = json_object_get(ev, "user");
  static const char *const keys[] = {"ttp", "external_id", "email", "phone"};
  for (size_t i = 0; u && i < 4; i++) {
    json_t *v = json_object_get(u, keys[i]);
    if (json_is_array(v)) v = json_array_get(v, 0);
    if (json_is_string(v)) {
      snprintf(out, n, "%s:%s", keys[i], json_string_value(v));
      return;
    }
  }
  const char *ip = u ? json_string_value(json_object_get(u, "ip")) : NULL;
  const char *ua = u ? json_string_value(json_object_get(u, "user_agent")) : NULL;
  snprintf(out, n, "ipua:%s|%s", ip ? ip : "", ua ? ua : "");
}

static void ingest_locked(sp_events *ev, int source, int64_t adv,
                          int64_t pixel_id, int64_t now, json_t *body,
                          sp_ev_result *res) {
  json_t *data = json_object_get(body, "data");
  int test = json_object_get(body, "test_event_code") != NULL &&
             !json_is_null(json_object_get(body, "test_event_code"));
  int64_t day = now / 86400;
  if (now - ev->last_expire >= 3600) {
    sp_dedup_expire(ev->dedup, now);
    sp_dedup_expire(ev->shadow, now);
    ev->last_expire = now;
  }
  pixel_state *px = pixel_for(ev, pixel_id, adv);
  size_t i;
  json_t *x;
  sp_ev_stat *last = NULL;
  const char *last_name = NULL;
  json_array_foreach(data, i, x) {
    sp_ev_result *r = &res[i];
    r->status = 0;
    r->first_seen = 0;
    r->filled = 0;
    r->no_id_copy = 0;
    r->event_id = NULL;
    r->err = NULL;
    scan f;
    sp_err ve;
    ve.code = SP_OK;
    if (validate_scan(x, source, now, &f, &ve) != SP_OK) {
      if (!ev->replaying) {
        r->err = xmalloc(sizeof ve);
        *r->err = ve;
      }
      r->status = SP_EV_REFUSED;
      continue;
    }
    if (source == SP_EV_BROWSER && !json_object_get(x, "event_time"))
      json_object_set_new(x, "event_time", json_integer(now)); /* pixel: received */
    json_t *name = f.event;
    const char *nm = json_string_value(name);
    size_t nlen = json_string_length(name);
    json_t *idv = f.event_id;
    const char *id = json_is_string(idv) ? json_string_value(idv) : NULL;
    size_t idlen = id ? json_string_length(idv) : 0;
    if (id && idlen == 0) id = NULL;
    r->event_id = id;
    sp_ev_stat *st = (last_name && strcmp(last_name, nm) == 0)
                         ? last
                         : counter_for(ev, pixel_id, day, nm, nlen);
    last = st;
    last_name = nm;
    uint64_t seq = ++ev->seq;
    if (test) {
      r->status = SP_EV_TEST;
      st->test++;
      ring_put(ev, seq, pixel_id, adv, now, source, SP_EV_TEST, x);
      continue;
    }
    px->sources |= (unsigned)source;
    if (source == SP_EV_BROWSER) st->recv_browser++;
    else st->recv_server++;
    if (!id) {
      /* would an event_id have merged it? the same event of the same user
       * (identity) at the same minute of event_time, or the next/previous
       * one, within 48 h */
      char ident[300];
      json_t *et = json_object_get(x, "event_time");
      identity(x, ident, sizeof ident);
      long long minute = (long long)(et ? json_integer_value(et) : 0) / 60;
      char key[340];
      int kl = snprintf(key, sizeof key, "%lld|%s", minute, ident);
      if (kl >= (int)sizeof key) kl = (int)sizeof key - 1;
      sp_dedup_verdict v;
      sp_dedup_upsert(ev->shadow, (uint64_t)pixel_id, nm, nlen, key,
                      (size_t)kl, now, &v);
      for (int dm = -1; dm <= 1 && v == SP_DEDUP_NEW; dm += 2) {
        char k2[340];
        int l2 = snprintf(k2, sizeof k2, "%lld|%s", minute + dm, ident);
        if (l2 >= (int)sizeof k2) l2 = (int)sizeof k2 - 1;
        if (sp_dedup_find(ev->shadow, (uint64_t)pixel_id, nm, nlen, k2,
                          (size_t)l2, now))
          v = SP_DEDUP_DUPLICATE;
      }
      r->status = SP_EV_KEPT;
      st->kept++;
      st->no_event_id++;
      if (v == SP_DEDUP_DUPLICATE) {
        r->no_id_copy = 1;
        st->no_id_double++;
      }
      ring_put(ev, seq, pixel_id, adv, now, source, SP_EV_KEPT, x);
      continue;
    }
    sp_dedup_verdict v;
    sp_dedup_entry *d = sp_dedup_upsert(ev->dedup, (uint64_t)pixel_id, nm,
                                        nlen, id, idlen, now, &v);
    uint16_t mask = f.mask;
    if (v == SP_DEDUP_NEW) {
      d->mask = mask;
      d->sources = (uint8_t)source;
      d->ref = (uint32_t)seq;
      r->status = SP_EV_KEPT;
      st->kept++;
      ring_put(ev, seq, pixel_id, adv, now, source, SP_EV_KEPT, x);
      continue;
    }
    r->status = SP_EV_MERGED;
    r->first_seen = d->first_seen;
    r->filled = (uint16_t)(mask & ~d->mask);
    st->merged++;
    unsigned pair = d->sources | (unsigned)source;
    if (pair == (SP_EV_BROWSER | SP_EV_SERVER) &&
        !(d->sources & (unsigned)source))
      st->merged_bs++;
    else if (source == SP_EV_BROWSER) st->merged_bb++;
    else st->merged_ss++;
    /* the sources of the kept event decide the pair only when it came from
     * one channel; once both sent it, a further copy counts as a pair of
     * its own channel */
    ring_ent *kept = ring_find(ev, d->ref);
    if (kept) {
      kept->copies++;
      kept->sources |= (unsigned)source;
      if (r->filled && kept->obj) fill_fields(kept->obj, x, r->filled);
    }
    d->mask |= mask;
    d->sources |= (uint8_t)source;
    ring_ent *me = ring_put(ev, seq, pixel_id, adv, now, source, SP_EV_MERGED, x);
    me->kept_ref = d->ref;
  }
}

void sp_events_results_free(sp_ev_result *res, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(res[i].err);
    res[i].err = NULL;
  }
}

/* ---- journal ----------------------------------------------------------------- */

static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }
static uint64_t get64(const unsigned char *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

static void write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      fprintf(stderr, "smartplusd: event journal write failed: %s\n",
              strerror(errno));
      abort(); /* acknowledged state must never run ahead of the journal */
    }
    p += w;
    n -= (size_t)w;
  }
}

static void header(unsigned char h[HDR], uint32_t len, int64_t adv,
                   int64_t pixel_id, int64_t now, int source) {
  memset(h, 0, HDR);
  uint32_t magic = MAGIC;
  memcpy(h, &magic, 4);
  memcpy(h + 4, &len, 4);
  put64(h + 8, (uint64_t)adv);
  put64(h + 16, (uint64_t)pixel_id);
  put64(h + 24, (uint64_t)now);
  h[32] = (unsigned char)source;
}

static uint64_t record_sum(const unsigned char *h, const char *raw,
                           size_t len) {
  return XXH64(raw, len, XXH64(h, 40, 0x5350));
}

/* ---- checkpoints ------------------------------------------------------------ */

/* A checkpoint record (header byte 33 = 1) holds the whole state: counters,
 * pixels, both dedup indexes (entries with their payload) and the recent
 * ring. It replaces every record before it: the journal is rewritten as
 * this one record (tmp file, fsync, rename), so it stays bounded by the
 * live state, and start-up replays one snapshot plus what came after. */

static void app_u32(sp_buf *b, uint32_t v) { sp_buf_append(b, &v, 4); }
static void app_u64(sp_buf *b, uint64_t v) { sp_buf_append(b, &v, 8); }
static void dump_entry(void *arg, const sp_dedup_entry *e) {
  sp_buf_append(arg, e, sizeof *e);
}

typedef struct rd {
  const char *p;
  size_t n, o;
  int bad;
} rd;
static void rd_bytes(rd *r, void *out, size_t k) {
  if (r->bad || k > r->n - r->o) {
    r->bad = 1;
    memset(out, 0, k);
    return;
  }
  memcpy(out, r->p + r->o, k);
  r->o += k;
}
static uint64_t rd_u64(rd *r) {
  uint64_t v;
  rd_bytes(r, &v, 8);
  return v;
}
static uint32_t rd_u32(rd *r) {
  uint32_t v;
  rd_bytes(r, &v, 4);
  return v;
}

typedef struct ring_fixed {
  uint64_t seq;
  int64_t pixel_id, advertiser_id, recv;
  int32_t source, status;
  uint32_t kept_ref, copies, sources, json_len;
} ring_fixed;

/* Under m. */
static void snapshot(sp_events *ev, sp_buf *b) {
  app_u64(b, ev->seq);
  app_u64(b, (uint64_t)ev->last_expire);
  app_u32(b, (uint32_t)ev->cused);
  for (size_t i = 0; i < ev->ccap; i++)
    if (ev->ctab[i].h) sp_buf_append(b, &ev->ctab[i], sizeof(counter));
  app_u32(b, (uint32_t)ev->npx);
  for (size_t i = 0; i < ev->npx; i++)
    sp_buf_append(b, &ev->px[i], sizeof(pixel_state));
  app_u64(b, sp_dedup_live(ev->dedup));
  sp_dedup_foreach_entry(ev->dedup, dump_entry, b);
  app_u64(b, sp_dedup_live(ev->shadow));
  sp_dedup_foreach_entry(ev->shadow, dump_entry, b);
  uint32_t n = 0;
  for (size_t i = 0; i < SP_EV_RING; i++) n += ev->ring[i].seq != 0;
  app_u32(b, n);
  for (size_t i = 0; i < SP_EV_RING; i++) {
    ring_ent *r = &ev->ring[i];
    if (!r->seq) continue;
    char *text = r->obj ? json_dumps(r->obj, JSON_COMPACT) : NULL;
    ring_fixed f = {r->seq, r->pixel_id, r->advertiser_id, r->recv,
                    r->source, r->status, r->kept_ref, r->copies, r->sources,
                    text ? (uint32_t)strlen(text) : 0};
    sp_buf_append(b, &f, sizeof f);
    if (text) sp_buf_append(b, text, f.json_len);
    free(text);
  }
}

static void reset_state(sp_events *ev) {
  sp_dedup_destroy(ev->dedup);
  sp_dedup_destroy(ev->shadow);
  ev->dedup = sp_dedup_create(0);
  ev->shadow = sp_dedup_create(0);
  free(ev->ctab);
  ev->ctab = NULL;
  ev->ccap = ev->cused = 0;
  ev->npx = 0;
  for (size_t i = 0; i < SP_EV_RING; i++) {
    json_decref(ev->ring[i].obj);
    memset(&ev->ring[i], 0, sizeof ev->ring[i]);
  }
}

/* Under m. Returns 0, or -1 if the snapshot is malformed. */
static int load_snapshot(sp_events *ev, const char *p, size_t n) {
  rd r = {p, n, 0, 0};
  reset_state(ev);
  ev->seq = rd_u64(&r);
  ev->last_expire = (int64_t)rd_u64(&r);
  uint32_t nc = rd_u32(&r);
  for (uint32_t i = 0; i < nc && !r.bad; i++) {
    counter c;
    rd_bytes(&r, &c, sizeof c);
    if (r.bad) break;
    c.s.event[sizeof c.s.event - 1] = 0;
    sp_ev_stat *d = counter_for(ev, c.pixel_id, c.day, c.s.event, strlen(c.s.event));
    memcpy(d, &c.s, sizeof c.s);
  }
  uint32_t np = rd_u32(&r);
  for (uint32_t i = 0; i < np && !r.bad; i++) {
    pixel_state ps;
    rd_bytes(&r, &ps, sizeof ps);
    if (r.bad) break;
    pixel_state *d = pixel_for(ev, ps.pixel_id, ps.advertiser_id);
    d->sources = ps.sources;
    d->synced = 0; /* re-checked against the store on the next event */
  }
  sp_dedup *ix[2] = {ev->dedup, ev->shadow};
  for (int k = 0; k < 2; k++) {
    uint64_t ne = rd_u64(&r);
    for (uint64_t i = 0; i < ne && !r.bad; i++) {
      sp_dedup_entry en;
      rd_bytes(&r, &en, sizeof en);
      if (!r.bad) sp_dedup_restore_entry(ix[k], &en);
    }
  }
  uint32_t nr = rd_u32(&r);
  for (uint32_t i = 0; i < nr && !r.bad; i++) {
    ring_fixed f;
    rd_bytes(&r, &f, sizeof f);
    if (r.bad || f.json_len > r.n - r.o) {
      r.bad = 1;
      break;
    }
    json_t *obj = f.json_len ? json_loadb(r.p + r.o, f.json_len, 0, NULL) : NULL;
    r.o += f.json_len;
    ring_ent *e = &ev->ring[f.seq % SP_EV_RING];
    json_decref(e->obj);
    *e = (ring_ent){f.seq, f.pixel_id, f.advertiser_id, f.recv, f.source,
                    f.status, f.kept_ref, f.copies, f.sources, obj};
  }
  return r.bad ? -1 : 0;
}

/* With fm held: flush, then rewrite the journal as one checkpoint. */
static sp_rc checkpoint_fm(sp_events *ev, sp_err *e) {
  /* Under the ingestion lock only the copies: the pending records and the
   * snapshot of the state they lead to. The disk work (pending records made
   * durable in the old file, should the rename fail; the new file) happens
   * outside it, so ingestion does not wait for an fsync. */
  pthread_mutex_lock(&ev->m);
  sp_buf b = ev->pending;
  uint64_t end = ev->appended;
  sp_buf_init(&ev->pending, (size_t)1 << 40);
  sp_buf snap;
  sp_buf_init(&snap, (size_t)1 << 40);
  unsigned char h[HDR];
  sp_buf_append(&snap, h, HDR); /* filled below */
  snapshot(ev, &snap);
  pthread_mutex_unlock(&ev->m);
  if (b.len) {
    write_all(ev->fd, b.data, b.len);
    if (fdatasync(ev->fd) != 0) {
      fprintf(stderr, "smartplusd: event journal fsync failed: %s\n", strerror(errno));
      abort();
    }
    ev->file_bytes += b.len;
  }
  sp_buf_free(&b);
  ev->durable = end;
  size_t len = snap.len - HDR;
  header(h, (uint32_t)len, 0, 0, 0, 0);
  h[33] = 1;
  put64(h + 40, record_sum(h, snap.data + HDR, len));
  memcpy(snap.data, h, HDR);
  size_t pl = strlen(ev->path) + 8;
  char *tmp = xmalloc(pl);
  snprintf(tmp, pl, "%s.tmp", ev->path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  sp_rc rc = SP_OK;
  if (fd < 0) {
    rc = sp_fail(e, SP_E_SYSTEM, NULL, NULL, "open %s: %s", tmp, strerror(errno));
  } else {
    write_all(fd, snap.data, snap.len);
    if (fdatasync(fd) != 0 || close(fd) != 0 || rename(tmp, ev->path) != 0) {
      rc = sp_fail(e, SP_E_SYSTEM, NULL, NULL, "checkpoint %s: %s", ev->path,
                   strerror(errno));
    } else {
      /* the rename must be durable before records follow it */
      char *dir = xstrdup(ev->path), *slash = strrchr(dir, '/');
      if (slash) *slash = 0;
      int dfd = open(slash ? (*dir ? dir : "/") : ".", O_RDONLY | O_DIRECTORY);
      if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
      }
      free(dir);
      int nfd = open(ev->path, O_RDWR | O_APPEND | O_CLOEXEC);
      if (nfd < 0) {
        fprintf(stderr, "smartplusd: reopen %s: %s\n", ev->path, strerror(errno));
        abort();
      }
      close(ev->fd);
      ev->fd = nfd;
      ev->file_bytes = snap.len;
    }
  }
  if (rc) unlink(tmp);
  free(tmp);
  sp_buf_free(&snap);
  return rc;
}

sp_rc sp_events_checkpoint(sp_events *ev, sp_err *e) {
  if (ev->fd < 0) return SP_OK;
  pthread_mutex_lock(&ev->fm);
  sp_rc rc = checkpoint_fm(ev, e);
  pthread_mutex_unlock(&ev->fm);
  return rc;
}

static void commit(sp_events *ev, uint64_t upto) {
  if (ev->fd < 0) return;
  pthread_mutex_lock(&ev->fm);
  if (ev->durable < upto) {
    pthread_mutex_lock(&ev->m);
    sp_buf b = ev->pending;
    uint64_t end = ev->appended;
    sp_buf_init(&ev->pending, (size_t)1 << 40);
    pthread_mutex_unlock(&ev->m);
    write_all(ev->fd, b.data, b.len);
    if (fdatasync(ev->fd) != 0) {
      fprintf(stderr, "smartplusd: event journal fsync failed: %s\n",
              strerror(errno));
      abort();
    }
    ev->file_bytes += b.len;
    sp_buf_free(&b);
    ev->durable = end;
    if (ev->file_bytes > ev->ckpt_bytes) {
      sp_err e;
      if (checkpoint_fm(ev, &e) != SP_OK) {
        char msg[1024];
        sp_err_format(&e, msg, sizeof msg);
        fprintf(stderr, "smartplusd: event journal checkpoint: %s\n", msg);
      }
    }
  }
  pthread_mutex_unlock(&ev->fm);
}

sp_rc sp_events_track(sp_events *ev, int source, int64_t adv, int64_t pixel_id,
                      int64_t now, const char *raw, size_t raw_len,
                      json_t *body, sp_ev_result *res, unsigned *new_sources,
                      sp_err *e) {
  json_t *data = json_object_get(body, "data");
  if (!json_is_array(data) || json_array_size(data) == 0 ||
      json_array_size(data) > SP_EV_MAX_BATCH)
    return sp_fail(e, (sp_rc)SP_EV_E_BATCH, "data", "BATCH_SIZE",
                   "must hold 1 to %d events", SP_EV_MAX_BATCH);
  if (raw_len > UINT32_MAX)
    return sp_fail(e, SP_E_PARAM, "body", "BODY_SIZE", "is too large");
  pthread_mutex_lock(&ev->m);
  ingest_locked(ev, source, adv, pixel_id, now, body, res);
  pixel_state *px = pixel_for(ev, pixel_id, adv);
  *new_sources = px->sources & ~px->synced;
  uint64_t upto = 0;
  if (ev->fd >= 0 && !ev->replaying) {
    unsigned char h[HDR];
    header(h, (uint32_t)raw_len, adv, pixel_id, now, source);
    put64(h + 40, record_sum(h, raw, raw_len));
    if (sp_buf_append(&ev->pending, h, HDR) != 0 ||
        sp_buf_append(&ev->pending, raw, raw_len) != 0) {
      fprintf(stderr, "smartplusd: out of memory in the event journal\n");
      abort();
    }
    ev->appended += HDR + raw_len;
    upto = ev->appended;
  }
  pthread_mutex_unlock(&ev->m);
  if (upto) commit(ev, upto);
  return SP_OK;
}

static int read_at(int fd, void *buf, size_t n, uint64_t off) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    got += (size_t)r;
  }
  return 0;
}

/* Replay the journal record by record (memory: one record); cut a torn or
 * corrupt tail (never acknowledged: a batch is acknowledged only after its
 * record is written and fdatasync'd). */
static sp_rc replay(sp_events *ev, const char *path, sp_err *e) {
  struct stat sb;
  if (fstat(ev->fd, &sb) != 0)
    return sp_fail(e, SP_E_SYSTEM, NULL, NULL, "stat %s: %s", path,
                   strerror(errno));
  uint64_t size = (uint64_t)sb.st_size, off = 0;
  if (size == 0) return SP_OK;
  ev->replaying = 1;
  sp_ev_result *res = xmalloc(SP_EV_MAX_BATCH * sizeof *res);
  char *raw = NULL;
  size_t rawcap = 0, n = 0;
  while (off + HDR <= size) {
    unsigned char h[HDR];
    uint32_t magic, len;
    if (read_at(ev->fd, h, HDR, off) != 0) break;
    memcpy(&magic, h, 4);
    memcpy(&len, h + 4, 4);
    if (magic != MAGIC || off + HDR + len > size) break;
    if (len + 1 > rawcap) {
      rawcap = len + 1;
      raw = xrealloc(raw, rawcap);
    }
    if (read_at(ev->fd, raw, len, off + HDR) != 0) break;
    if (record_sum(h, raw, len) != get64(h + 40)) break;
    if (h[33] == 1) { /* checkpoint: the state as of here */
      pthread_mutex_lock(&ev->m);
      int bad = load_snapshot(ev, raw, len);
      pthread_mutex_unlock(&ev->m);
      if (bad) break;
      off += HDR + len;
      n++;
      continue;
    }
    json_t *body = json_loadb(raw, len, 0, NULL);
    if (body) {
      unsigned ns;
      sp_err ignore;
      sp_events_track(ev, h[32], (int64_t)get64(h + 8), (int64_t)get64(h + 16),
                      (int64_t)get64(h + 24), raw, len, body, res, &ns,
                      &ignore);
      json_decref(body);
    }
    off += HDR + len;
    n++;
  }
  free(raw);
  free(res);
  ev->replaying = 0;
  if (off < size) {
    fprintf(stderr,
            "smartplusd: event journal %s: cut a torn tail of %llu bytes "
            "after %zu records (never acknowledged)\n",
            path, (unsigned long long)(size - off), n);
    if (ftruncate(ev->fd, (off_t)off) != 0)
      return sp_fail(e, SP_E_SYSTEM, NULL, NULL, "truncate %s: %s", path,
                     strerror(errno));
    if (fdatasync(ev->fd) != 0)
      return sp_fail(e, SP_E_SYSTEM, NULL, NULL, "fsync %s: %s", path,
                     strerror(errno));
  }
  ev->appended = ev->durable = 0;
  ev->file_bytes = off;
  return SP_OK;
}

sp_rc sp_events_open(const char *path, sp_events **out, sp_err *e) {
  sp_events *ev = xcalloc(1, sizeof *ev);
  pthread_mutex_init(&ev->m, NULL);
  pthread_mutex_init(&ev->fm, NULL);
  ev->dedup = sp_dedup_create(0);
  ev->shadow = sp_dedup_create(0);
  ev->last_expire = INT64_MIN / 2;
  ev->fd = -1;
  sp_buf_init(&ev->pending, (size_t)1 << 40);
  if (path) {
    ev->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (ev->fd < 0) {
      sp_fail(e, SP_E_SYSTEM, NULL, NULL, "open event journal %s: %s", path,
              strerror(errno));
      sp_events_close(ev);
      return SP_E_SYSTEM;
    }
    ev->path = xstrdup(path);
    const char *cb = getenv("SMARTPLUS_EVENTS_CHECKPOINT_BYTES");
    ev->ckpt_bytes = cb && atoll(cb) > 0 ? (uint64_t)atoll(cb) : SP_EV_CHECKPOINT_BYTES;
    sp_rc rc = replay(ev, path, e);
    if (!rc && ev->file_bytes > ev->ckpt_bytes / 4) rc = sp_events_checkpoint(ev, e);
    if (rc) {
      sp_events_close(ev);
      return rc;
    }
  }
  *out = ev;
  return SP_OK;
}

void sp_events_close(sp_events *ev) {
  if (!ev) return;
  if (ev->fd >= 0) close(ev->fd);
  free(ev->path);
  sp_buf_free(&ev->pending);
  for (size_t i = 0; i < SP_EV_RING; i++) json_decref(ev->ring[i].obj);
  sp_dedup_destroy(ev->dedup);
  sp_dedup_destroy(ev->shadow);
  free(ev->ctab);
  free(ev->px);
  pthread_mutex_destroy(&ev->m);
  pthread_mutex_destroy(&ev->fm);
  free(ev);
}

/* ---- queries ------------------------------------------------------------------ */

void sp_events_sources_synced(sp_events *ev, int64_t pixel_id, unsigned bits) {
  pthread_mutex_lock(&ev->m);
  for (size_t i = 0; i < ev->npx; i++)
    if (ev->px[i].pixel_id == pixel_id) ev->px[i].synced |= bits;
  pthread_mutex_unlock(&ev->m);
}

unsigned sp_events_sources(sp_events *ev, int64_t pixel_id) {
  unsigned s = 0;
  pthread_mutex_lock(&ev->m);
  for (size_t i = 0; i < ev->npx; i++)
    if (ev->px[i].pixel_id == pixel_id) s = ev->px[i].sources;
  pthread_mutex_unlock(&ev->m);
  return s;
}

static int stat_cmp(const void *a, const void *b) {
  return strcmp(((const sp_ev_stat *)a)->event, ((const sp_ev_stat *)b)->event);
}

size_t sp_events_stats(sp_events *ev, int64_t pixel_id, int64_t day_from,
                       int64_t day_to, sp_ev_stat **out) {
  pthread_mutex_lock(&ev->m);
  sp_ev_stat *v = xcalloc(ev->cused + 1, sizeof *v);
  size_t n = 0;
  for (size_t i = 0; i < ev->ccap; i++) {
    counter *c = &ev->ctab[i];
    if (!c->h || c->pixel_id != pixel_id || c->day < day_from ||
        c->day > day_to)
      continue;
    size_t j = 0;
    while (j < n && strcmp(v[j].event, c->s.event) != 0) j++;
    if (j == n) {
      memcpy(v[n].event, c->s.event, sizeof v[n].event);
      n++;
    }
    sp_ev_stat *d = &v[j];
    d->recv_browser += c->s.recv_browser;
    d->recv_server += c->s.recv_server;
    d->kept += c->s.kept;
    d->merged += c->s.merged;
    d->merged_bb += c->s.merged_bb;
    d->merged_ss += c->s.merged_ss;
    d->merged_bs += c->s.merged_bs;
    d->no_event_id += c->s.no_event_id;
    d->no_id_double += c->s.no_id_double;
    d->test += c->s.test;
  }
  pthread_mutex_unlock(&ev->m);
  qsort(v, n, sizeof *v, stat_cmp);
  *out = v;
  return n;
}

size_t sp_events_pixels(sp_events *ev, int64_t advertiser_id, int64_t **out) {
  pthread_mutex_lock(&ev->m);
  int64_t *v = xcalloc(ev->npx + 1, sizeof *v);
  size_t n = 0;
  for (size_t i = 0; i < ev->npx; i++)
    if (ev->px[i].advertiser_id == advertiser_id) v[n++] = ev->px[i].pixel_id;
  pthread_mutex_unlock(&ev->m);
  *out = v;
  return n;
}

static const char *status_name(int s) {
  switch (s) {
    case SP_EV_KEPT: return "KEPT";
    case SP_EV_MERGED: return "MERGED";
    case SP_EV_TEST: return "TEST";
  }
  return "REFUSED";
}

static json_t *sources_json(unsigned s) {
  json_t *a = json_array();
  if (s & SP_EV_BROWSER) json_array_append_new(a, json_string("BROWSER"));
  if (s & SP_EV_SERVER) json_array_append_new(a, json_string("EVENTS_API"));
  return a;
}

json_t *sp_events_recent(sp_events *ev, int64_t advertiser_id,
                         int64_t pixel_id, size_t limit) {
  json_t *list = json_array();
  pthread_mutex_lock(&ev->m);
  for (uint64_t s = ev->seq; s > 0 && s + SP_EV_RING > ev->seq &&
                             json_array_size(list) < limit;
       s--) {
    ring_ent *r = &ev->ring[s % SP_EV_RING];
    if (r->seq != s || r->advertiser_id != advertiser_id) continue;
    if (pixel_id && r->pixel_id != pixel_id) continue;
    char t[20];
    sp_time_format(r->recv, t);
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:o*}", "seq", (json_int_t)r->seq,
        "pixel_id", "", "received_time", t, "source",
        r->source == SP_EV_BROWSER ? "BROWSER" : "EVENTS_API", "status",
        status_name(r->status), "event",
        /* a copy: a later merge may change the kept object after unlock */
        r->obj ? json_deep_copy(r->obj) : NULL);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)r->pixel_id);
    json_object_set_new(o, "pixel_id", json_string(id));
    if (r->status == SP_EV_KEPT) {
      json_object_set_new(o, "merged_copies", json_integer(r->copies));
      json_object_set_new(o, "sources", sources_json(r->sources));
    }
    if (r->status == SP_EV_MERGED) {
      json_object_set_new(o, "merged_into_seq",
                          json_integer((json_int_t)ref_seq(ev, r->kept_ref)));
    }
    json_array_append_new(list, o);
  }
  pthread_mutex_unlock(&ev->m);
  return list;
}

void sp_events_memory(sp_events *ev, size_t *live_keys, size_t *bytes) {
  pthread_mutex_lock(&ev->m);
  *live_keys = sp_dedup_live(ev->dedup);
  *bytes = sp_dedup_bytes(ev->dedup);
  pthread_mutex_unlock(&ev->m);
}
