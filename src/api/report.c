/*
 * api/report.c - the reports: GET report/integrated/get/ (BASIC, advertiser,
 * campaign, ad group and ad levels, by day or hour or over the range) and
 * GET smart_plus/material_report/overview/ (per creative).
 *
 * Numbers come from the report rows the delivery simulator stores
 * (sp_metric_row, one per ad, creative and UTC hour, money in micros),
 * summed by the store (store_metrics_query). Derived metrics are computed
 * from the sums at query time, never averaged, in integer arithmetic with
 * half-up rounding to 2 decimals, so the same rows and the same request
 * give byte-identical answers. Metric values are strings, as the live API
 * sends them ("12.50", "1000", "1.18"). Divergences: docs/reports.md.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/text.h"
#include "../sim/metrics.h"
#include "internal.h"
#include "../model/json.h"

#define DAY_S 86400LL
#define HOUR_S 3600LL
#define MAX_FILTER_IDS_INTEGRATED 100
#define MAX_FILTER_IDS_OVERVIEW 200
#define MAX_MATERIAL_IDS_OVERVIEW 400

/* ---- metrics ---------------------------------------------------------- */

typedef enum mkind {
  M_SPEND, M_IMPRESSIONS, M_CLICKS, M_CTR, M_CPM, M_CPC, M_CONVERSION,
  M_CPA, M_CVR, M_CVR_V2, M_VTA, M_COST_PER_VTA,
  /* attributes (strings, not sortable) */
  M_CAMPAIGN_NAME, M_CAMPAIGN_ID, M_ADGROUP_NAME, M_ADGROUP_ID, M_AD_NAME,
  M_CURRENCY, M_AD_MATERIAL_ID,
} mkind;

enum { IN_INTEGRATED = 1, IN_OVERVIEW = 2 };

typedef struct mdef {
  const char *name;
  mkind kind;
  unsigned where;
  sp_metric_level min_level; /* attributes: the finest level they need */
} mdef;

static const mdef METRICS[] = {
    {"spend", M_SPEND, IN_INTEGRATED | IN_OVERVIEW, 0},
    {"impressions", M_IMPRESSIONS, IN_INTEGRATED | IN_OVERVIEW, 0},
    {"clicks", M_CLICKS, IN_INTEGRATED | IN_OVERVIEW, 0},
    {"ctr", M_CTR, IN_INTEGRATED | IN_OVERVIEW, 0},
    {"cpm", M_CPM, IN_INTEGRATED | IN_OVERVIEW, 0},
    {"cpc", M_CPC, IN_INTEGRATED | IN_OVERVIEW, 0},
    {"conversion", M_CONVERSION, IN_INTEGRATED | IN_OVERVIEW, 0},
    {"cost_per_conversion", M_CPA, IN_INTEGRATED | IN_OVERVIEW, 0},
    {"conversion_rate", M_CVR, IN_INTEGRATED, 0},
    {"conversion_rate_v2", M_CVR_V2, IN_INTEGRATED | IN_OVERVIEW, 0},
    {"vta_conversion", M_VTA, IN_INTEGRATED | IN_OVERVIEW, 0},
    {"cost_per_vta_conversion", M_COST_PER_VTA, IN_INTEGRATED | IN_OVERVIEW, 0},
    {"campaign_name", M_CAMPAIGN_NAME, IN_INTEGRATED, SP_ML_CAMPAIGN},
    {"campaign_id", M_CAMPAIGN_ID, IN_INTEGRATED, SP_ML_ADGROUP},
    {"adgroup_name", M_ADGROUP_NAME, IN_INTEGRATED, SP_ML_ADGROUP},
    {"adgroup_id", M_ADGROUP_ID, IN_INTEGRATED, SP_ML_AD},
    {"ad_name", M_AD_NAME, IN_INTEGRATED, SP_ML_AD},
    {"currency", M_CURRENCY, IN_INTEGRATED, SP_ML_ADVERTISER},
    {"ad_material_id", M_AD_MATERIAL_ID, IN_OVERVIEW, SP_ML_MATERIAL},
};

static int is_attr(mkind k) { return k >= M_CAMPAIGN_NAME; }

static const mdef *metric_find(const char *name, unsigned where) {
  for (size_t i = 0; i < SP_ARRAY_LEN(METRICS); i++)
    if ((METRICS[i].where & where) && strcmp(METRICS[i].name, name) == 0)
      return &METRICS[i];
  return NULL;
}

static const char *metric_names(sp_arena *a, unsigned where, int numeric) {
  char *s = "";
  for (size_t i = 0; i < SP_ARRAY_LEN(METRICS); i++) {
    if (!(METRICS[i].where & where)) continue;
    if (numeric && is_attr(METRICS[i].kind)) continue;
    s = sp_arena_printf(a, "%s%s%s", s, *s ? ", " : "", METRICS[i].name);
  }
  return s;
}

/* round(num / den) half up, for non-negative values; 0 when den is 0 */
static int64_t rdiv(__int128 num, __int128 den) {
  if (den <= 0 || num < 0) return 0;
  return (int64_t)((2 * num + den) / (2 * den));
}

/* The value in hundredths (2-decimal metrics) or units (counts); sort key. */
static int64_t metric_value(mkind k, const sp_metric_row *r) {
  __int128 sp = r->spend_micros;
  switch (k) {
    case M_SPEND: return rdiv(sp, 10000);               /* cents */
    case M_IMPRESSIONS: return r->impressions;
    case M_CLICKS: return r->clicks;
    case M_CONVERSION: return r->conversions;
    case M_VTA: return r->view_through;
    case M_CTR: return rdiv((__int128)r->clicks * 10000, r->impressions);
    case M_CPM: return rdiv(sp, (__int128)10 * r->impressions);
    case M_CPC: return rdiv(sp, (__int128)10000 * r->clicks);
    case M_CPA: return rdiv(sp, (__int128)10000 * r->conversions);
    case M_COST_PER_VTA: return rdiv(sp, (__int128)10000 * r->view_through);
    case M_CVR: return rdiv((__int128)r->conversions * 10000, r->clicks);
    case M_CVR_V2: return rdiv((__int128)r->conversions * 10000, r->impressions);
    default: return 0;
  }
}

static int metric_is_count(mkind k) {
  return k == M_IMPRESSIONS || k == M_CLICKS || k == M_CONVERSION || k == M_VTA;
}

static void metric_text(mkind k, const sp_metric_row *r, char out[32]) {
  int64_t v = metric_value(k, r);
  if (metric_is_count(k))
    snprintf(out, 32, "%lld", (long long)v);
  else
    snprintf(out, 32, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
}

/* ---- request parameters ----------------------------------------------- */

static int in_list(const char *s, const char *const *l) {
  for (size_t i = 0; l[i]; i++)
    if (strcmp(s, l[i]) == 0) return 1;
  return 0;
}

static sp_rc q_uint(sp_ctx *c, const char *name, size_t def, size_t max,
                    size_t *out) {
  const char *s = api_query(c, name);
  *out = def;
  if (!s) return SP_OK;
  if (!*s || strlen(s) > 12 || strspn(s, "0123456789") != strlen(s))
    return sp_fail(&c->err, SP_E_PARAM, name, "TYPE",
                   "expected an integer, got \"%.40s\"", s);
  unsigned long long v = strtoull(s, NULL, 10);
  if (v < 1 || v > max)
    return sp_fail(&c->err, SP_E_PARAM, name, "RANGE",
                   "%llu is out of range; allowed 1 to %zu", v, max);
  *out = (size_t)v;
  return SP_OK;
}

static sp_rc q_bool(sp_ctx *c, const char *name, int *out) {
  const char *s = api_query(c, name);
  *out = 0;
  if (!s) return SP_OK;
  if (strcmp(s, "true") == 0) *out = 1;
  else if (strcmp(s, "false") != 0)
    return sp_fail(&c->err, SP_E_PARAM, name, "TYPE",
                   "expected true or false, got \"%.40s\"", s);
  return SP_OK;
}

/* One of `allowed` (NULL-terminated) or absent (*out = def). */
static sp_rc q_enum(sp_ctx *c, const char *name, const char *const *allowed,
                    const char *def, const char **out) {
  const char *s = api_query(c, name);
  *out = def;
  if (!s) return SP_OK;
  for (size_t i = 0; allowed[i]; i++)
    if (strcmp(s, allowed[i]) == 0) {
      *out = allowed[i];
      return SP_OK;
    }
  const char *list = "";
  for (size_t i = 0; allowed[i]; i++)
    list = sp_arena_printf(c->a, "%s%s%s", list, i ? ", " : "", allowed[i]);
  return sp_fail(&c->err, SP_E_PARAM, name, "ENUM",
                 "\"%.60s\" is not a valid value; allowed: %s", s, list);
}

/* A query parameter holding a JSON array of strings. */
static sp_rc q_strings(sp_ctx *c, const char *name, const char *example,
                       json_t **out) {
  const char *s = api_query(c, name);
  *out = NULL;
  if (!s) return SP_OK;
  json_error_t jerr;
  json_t *j = sp_json_loads(s, JSON_REJECT_DUPLICATES, &jerr);
  if (!json_is_array(j)) {
    json_decref(j);
    return sp_fail(&c->err, SP_E_PARAM, name, "JSON",
                   "expected a JSON-encoded array of strings, e.g. %s",
                   example);
  }
  size_t i;
  json_t *v;
  json_array_foreach(j, i, v) {
    if (!json_is_string(v)) {
      json_decref(j);
      return sp_fail(&c->err, SP_E_PARAM,
                     sp_arena_printf(c->a, "%s[%zu]", name, i), "TYPE",
                     "expected a string");
    }
  }
  *out = j;
  return SP_OK;
}

/* "YYYY-MM-DD" -> days since the epoch. */
/* Fixed offsets only: "UTC", "GMT", "Etc/GMT+8" (= UTC-8), "UTC+08:00",
 * "GMT-5". Region names (America/New_York) fall back on UTC. */
static int64_t tz_offset(const char *tz) {
  if (!tz) return 0;
  int etc = 0;
  if (strncmp(tz, "Etc/", 4) == 0) {
    tz += 4;
    etc = 1;
  }
  if (strncmp(tz, "UTC", 3) == 0 || strncmp(tz, "GMT", 3) == 0) tz += 3;
  else return 0;
  if (*tz != '+' && *tz != '-') return 0;
  int sign = *tz == '-' ? -1 : 1;
  if (etc) sign = -sign; /* POSIX: Etc/GMT+8 is eight hours west */
  int h = 0, mi = 0;
  if (sscanf(tz + 1, "%d:%d", &h, &mi) < 1 || h > 14 || mi > 59) return 0;
  return sign * ((int64_t)h * HOUR_S + (int64_t)mi * 60);
}

/* Dates (or lifetime) into an hour range [from, to). */
static sp_rc parse_range(sp_ctx *c, int lifetime, int64_t max_days,
                         const char *span_msg, int64_t off, int64_t *from,
                         int64_t *to) {
  *from = *to = 0;
  if (lifetime) return SP_OK;
  const char *sd = api_query(c, "start_date"), *ed = api_query(c, "end_date");
  int64_t d0, d1;
  if (!sd)
    return sp_fail(&c->err, SP_E_PARAM, "start_date", "REQUIRED",
                   "is required unless query_lifetime is true");
  if (!ed)
    return sp_fail(&c->err, SP_E_PARAM, "end_date", "REQUIRED",
                   "is required unless query_lifetime is true");
  if (sp_date_parse(sd, &d0))
    return sp_fail(&c->err, SP_E_PARAM, "start_date", "DATE",
                   "\"%.40s\" is not a date in the form YYYY-MM-DD", sd);
  if (sp_date_parse(ed, &d1))
    return sp_fail(&c->err, SP_E_PARAM, "end_date", "DATE",
                   "\"%.40s\" is not a date in the form YYYY-MM-DD", ed);
  if (d1 < d0)
    return sp_fail(&c->err, SP_E_PARAM, "end_date", "DATE_ORDER",
                   "%s is before start_date %s", ed, sd);
  if (d1 - d0 + 1 > max_days)
    return sp_fail(&c->err, SP_E_PARAM, "end_date", "TIME_SPAN", "%s",
                   span_msg);
  *from = d0 * DAY_S - off;
  *to = (d1 + 1) * DAY_S - off;
  return SP_OK;
}

/* ---- objects: names and deleted flags --------------------------------- */

typedef struct objinfo {
  int64_t id;
  const char *name;
  int deleted;
} objinfo;

typedef struct objset {
  objinfo *v;
  size_t n;
} objset;

static int cmp_obj(const void *a, const void *b) {
  int64_t x = ((const objinfo *)a)->id, y = ((const objinfo *)b)->id;
  return x < y ? -1 : x > y;
}

/* Every object of a kind of the advertiser, deleted ones too. */
static sp_rc list_all(sp_ctx *c, sp_kind kind, sp_obj **rows, size_t *n) {
  sp_query q = {.kind = kind, .advertiser_id = c->advertiser_id,
                .status_mask = SP_STM_ALL, .oldest_first = 1,
                .skip_total = 1};
  size_t total = 0;
  *rows = NULL;
  *n = 0;
  return store_list(c->app->st, &q, c->a, rows, n, &total, &c->err);
}

static void objs_from(sp_ctx *c, const sp_obj *rows, size_t n, objset *out) {
  out->v = sp_arena_alloc(c->a, (n ? n : 1) * sizeof *out->v);
  out->n = n;
  for (size_t i = 0; i < n; i++) {
    out->v[i].id = rows[i].id;
    out->v[i].name = rows[i].name ? rows[i].name : "";
    out->v[i].deleted = rows[i].status == SP_ST_DELETE;
  }
  qsort(out->v, n, sizeof *out->v, cmp_obj);
}

static sp_rc load_objs(sp_ctx *c, sp_kind kind, objset *out) {
  sp_obj *rows;
  size_t n;
  sp_rc rc = list_all(c, kind, &rows, &n);
  if (rc == SP_OK) objs_from(c, rows, n, out);
  return rc;
}

static const objinfo *obj_find(const objset *s, int64_t id) {
  objinfo key = {id, NULL, 0};
  return s->v ? bsearch(&key, s->v, s->n, sizeof *s->v, cmp_obj) : NULL;
}

static int64_t level_id(const sp_metric_row *r, sp_metric_level l) {
  switch (l) {
    case SP_ML_CAMPAIGN: return r->campaign_id;
    case SP_ML_ADGROUP: return r->adgroup_id;
    case SP_ML_AD: return r->ad_id;
    case SP_ML_MATERIAL: return r->material_id;
    default: return r->advertiser_id;
  }
}

static void add_row(sp_metric_row *to, const sp_metric_row *r) {
  to->impressions += r->impressions;
  to->clicks += r->clicks;
  to->spend_micros += r->spend_micros;
  to->conversions += r->conversions;
  to->conversions_raw += r->conversions_raw;
  to->view_through += r->view_through;
}

/* ---- sorting ------------------------------------------------------------ */

/* A result row: sums and the keys it is ordered by by default. */
typedef struct rrow {
  sp_metric_row m;
  int64_t key[2];      /* integrated: per dimension in request order */
  const char *skey[2]; /* overview: dimension values (strings) */
  int64_t material;    /* overview: the one ad_material_id, or -1 */
} rrow;

typedef struct sorter {
  int by_metric;
  mkind metric;
  int asc;
  int nkeys;
  int strings;
} sorter;

static _Thread_local const sorter *g_sort;

/* digit strings of different length compare by length (numeric order) */
static int cmp_str(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la != lb && strspn(a, "0123456789") == la &&
      strspn(b, "0123456789") == lb)
    return la < lb ? -1 : 1;
  int r = strcmp(a, b);
  return r < 0 ? -1 : r > 0;
}

static int cmp_keys(const rrow *x, const rrow *y, const sorter *s) {
  for (int k = 0; k < s->nkeys; k++) {
    int r = s->strings ? cmp_str(x->skey[k], y->skey[k])
                       : (x->key[k] < y->key[k] ? -1 : x->key[k] > y->key[k]);
    if (r) return r;
  }
  return 0;
}

static int cmp_rrow(const void *a, const void *b) {
  const rrow *x = a, *y = b;
  const sorter *s = g_sort;
  if (s->by_metric) {
    int64_t vx = metric_value(s->metric, &x->m),
            vy = metric_value(s->metric, &y->m);
    if (vx != vy) return (vx < vy ? -1 : 1) * (s->asc ? 1 : -1);
  }
  return cmp_keys(x, y, s);
}

static void sort_rows(rrow *v, size_t n, const sorter *s) {
  g_sort = s;
  if (n > 1) qsort(v, n, sizeof *v, cmp_rrow);
  g_sort = NULL;
}

/* Sort by keys, then merge rows with equal keys (sums added). */
static size_t merge_rows(rrow *v, size_t n, int nkeys, int strings) {
  sorter s = {0, 0, 1, nkeys, strings};
  sort_rows(v, n, &s);
  size_t out = 0;
  for (size_t i = 0; i < n; i++) {
    if (out && cmp_keys(&v[out - 1], &v[i], &s) == 0) {
      add_row(&v[out - 1].m, &v[i].m);
      if (v[out - 1].material != v[i].material) v[out - 1].material = -1;
      continue;
    }
    v[out++] = v[i];
  }
  return out;
}

static json_t *metrics_json(const mdef **ms, size_t nm,
                            const sp_metric_row *r) {
  json_t *o = json_object();
  char buf[32];
  for (size_t i = 0; i < nm; i++) {
    if (is_attr(ms[i]->kind)) continue;
    metric_text(ms[i]->kind, r, buf);
    json_object_set_new(o, ms[i]->name, json_string(buf));
  }
  return o;
}

/* Parse the metrics list (default spend, impressions), dropping repeats. */
static sp_rc parse_metrics(sp_ctx *c, unsigned where, json_t **owned,
                           const mdef ***out, size_t *n) {
  sp_rc rc = q_strings(c, "metrics", "[\"spend\",\"impressions\"]", owned);
  if (rc) return rc;
  size_t m = *owned ? json_array_size(*owned) : 0;
  const mdef **v = sp_arena_alloc(c->a, (m + 2) * sizeof *v);
  size_t k = 0;
  if (!*owned) {
    v[k++] = metric_find("spend", where);
    v[k++] = metric_find("impressions", where);
  }
  for (size_t i = 0; i < m; i++) {
    const char *name = json_string_value(json_array_get(*owned, i));
    const mdef *d = metric_find(name, where);
    if (!d)
      return sp_fail(&c->err, SP_E_PARAM,
                     sp_arena_printf(c->a, "metrics[%zu]", i), "METRIC",
                     "\"%.60s\" is not a metric this endpoint supports; "
                     "supported: %s",
                     name, metric_names(c->a, where, 0));
    int dup = 0;
    for (size_t j = 0; j < k; j++) dup |= v[j] == d;
    if (!dup) v[k++] = d;
  }
  if (*owned && m == 0)
    return sp_fail(&c->err, SP_E_PARAM, "metrics", "MIN_ITEMS",
                   "must name at least one metric");
  *out = v;
  *n = k;
  return SP_OK;
}

static sp_rc parse_order(sp_ctx *c, const char *field_param,
                         const char *type_param, const char *def_field,
                         unsigned where, sorter *s) {
  static const char *const types[] = {"ASC", "DESC", NULL};
  const char *f = api_query(c, field_param), *t;
  sp_rc rc = q_enum(c, type_param, types, "DESC", &t);
  if (rc) return rc;
  s->asc = strcmp(t, "ASC") == 0;
  if (!f) f = def_field;
  if (!f) return SP_OK;
  const mdef *d = metric_find(f, where);
  if (!d || is_attr(d->kind))
    return sp_fail(&c->err, SP_E_PARAM, field_param, "ORDER_FIELD",
                   "\"%.60s\" is not a metric to sort by; allowed: %s", f,
                   metric_names(c->a, where, 1));
  s->by_metric = 1;
  s->metric = d->kind;
  return SP_OK;
}

/* ---- report/integrated/get ---------------------------------------------- */

typedef enum dim {
  D_ADVERTISER, D_CAMPAIGN, D_ADGROUP, D_AD, D_SP_AD, D_DAY, D_HOUR,
} dim;

static const struct {
  const char *name;
  dim d;
  sp_metric_level level; /* id dimensions: the data_level they need */
} DIMS[] = {
    {"advertiser_id", D_ADVERTISER, SP_ML_ADVERTISER},
    {"campaign_id", D_CAMPAIGN, SP_ML_CAMPAIGN},
    {"adgroup_id", D_ADGROUP, SP_ML_ADGROUP},
    {"ad_id", D_AD, SP_ML_AD},
    {"smart_plus_ad_id", D_SP_AD, SP_ML_AD},
    {"stat_time_day", D_DAY, 0},
    {"stat_time_hour", D_HOUR, 0},
};

static const char *const LEVEL_NAMES[] = {"AUCTION_ADVERTISER",
                                          "AUCTION_CAMPAIGN", "AUCTION_ADGROUP",
                                          "AUCTION_AD"};

static const char *dims_for_level(sp_arena *a, sp_metric_level l) {
  const char *s = "";
  for (size_t i = 0; i < SP_ARRAY_LEN(DIMS); i++)
    if (DIMS[i].d >= D_DAY || DIMS[i].level == l)
      s = sp_arena_printf(a, "%s%s%s", s, *s ? ", " : "", DIMS[i].name);
  return s;
}

/* filtering: [{field_name, filter_type, filter_value}] */
static sp_rc parse_filtering(sp_ctx *c, sp_metric_query *q, int *all_status) {
  const char *s = api_query(c, "filtering");
  *all_status = 0;
  if (!s || !*s) return SP_OK;
  json_error_t jerr;
  json_t *j = sp_json_loads(s, JSON_REJECT_DUPLICATES, &jerr);
  sp_rc rc = SP_OK;
  if (!json_is_array(j)) {
    rc = sp_fail(&c->err, SP_E_PARAM, "filtering", "JSON",
                 "expected a JSON-encoded array of {field_name, filter_type, "
                 "filter_value}, e.g. [{\"field_name\":\"campaign_ids\","
                 "\"filter_type\":\"IN\",\"filter_value\":\"[\\\"123\\\"]\"}]");
    goto out;
  }
  size_t i;
  json_t *f;
  json_array_foreach(j, i, f) {
    const char *path = sp_arena_printf(c->a, "filtering[%zu]", i);
    const char *name = json_string_value(json_object_get(f, "field_name"));
    const char *type = json_string_value(json_object_get(f, "filter_type"));
    json_t *val = json_object_get(f, "filter_value");
    if (!name || !type || !val) {
      rc = sp_fail(&c->err, SP_E_PARAM, path, "REQUIRED",
                   "field_name, filter_type and filter_value are required "
                   "strings");
      goto out;
    }
    if (strcmp(type, "IN") != 0) {
      rc = sp_fail(&c->err, SP_E_PARAM,
                   sp_arena_printf(c->a, "%s.filter_type", path), "FILTER_TYPE",
                   "\"%.40s\" is not supported by the sandbox for %s; use IN",
                   type, name);
      goto out;
    }
    static const char *const fields[] = {
        "campaign_ids",    "adgroup_ids",    "ad_ids",
        "campaign_status", "adgroup_status", "ad_status", NULL};
    if (!in_list(name, fields)) {
      rc = sp_fail(&c->err, SP_E_PARAM,
                   sp_arena_printf(c->a, "%s.field_name", path), "FILTER_FIELD",
                   "\"%.60s\" is not a filter the sandbox supports; allowed: "
                   "campaign_ids, adgroup_ids, ad_ids, campaign_status, "
                   "adgroup_status, ad_status",
                   name);
      goto out;
    }
    /* filter_value is a JSON string holding an array (or the array) */
    json_t *arr = json_is_string(val)
                      ? sp_json_loads(json_string_value(val), 0, &jerr)
                      : json_incref(val);
    const char *vpath = sp_arena_printf(c->a, "%s.filter_value", path);
    if (!json_is_array(arr)) {
      json_decref(arr);
      rc = sp_fail(&c->err, SP_E_PARAM, vpath, "JSON",
                   "expected a JSON array encoded as a string, e.g. "
                   "\"[\\\"123\\\"]\"");
      goto out;
    }
    int64_t *ids = NULL;
    size_t n = 0;
    if (strcmp(name, "campaign_ids") == 0 || strcmp(name, "adgroup_ids") == 0 ||
        strcmp(name, "ad_ids") == 0) {
      rc = api_parse_ids(c, vpath, arr, MAX_FILTER_IDS_INTEGRATED, &ids, &n);
      if (!rc && n == 0)
        rc = sp_fail(&c->err, SP_E_PARAM, vpath, "MIN_ITEMS",
                     "must hold at least one id");
      if (!rc && name[0] == 'c') q->campaign_ids = ids, q->n_campaign_ids = n;
      if (!rc && name[2] == 'g') q->adgroup_ids = ids, q->n_adgroup_ids = n;
      if (!rc && name[2] == '_') q->ad_ids = ids, q->n_ad_ids = n;
    } else if (strcmp(name, "campaign_status") == 0 ||
               strcmp(name, "adgroup_status") == 0 ||
               strcmp(name, "ad_status") == 0) {
      const char *v = json_string_value(json_array_get(arr, 0));
      if (json_array_size(arr) == 1 && v && strcmp(v, "STATUS_ALL") == 0)
        *all_status = 1;
      else if (!(json_array_size(arr) == 1 && v &&
                 strcmp(v, "STATUS_NOT_DELETE") == 0))
        rc = sp_fail(&c->err, SP_E_PARAM, vpath, "ENUM",
                     "expected [\"STATUS_ALL\"] or [\"STATUS_NOT_DELETE\"]");
    }
    json_decref(arr);
    if (rc) goto out;
  }
out:
  json_decref(j);
  return rc;
}

sp_rc api_report_integrated_get(sp_ctx *c, json_t **data) {
  static const char *const report_types[] = {
      "AUDIENCE", "BASIC", "BC", "CATALOG", "PLAYABLE_MATERIAL", "TT_SHOP",
      NULL};
  static const char *const service_types[] = {"AUCTION", "RESERVATION", NULL};
  static const char *const levels[] = {
      "AUCTION_AD",      "AUCTION_ADGROUP",      "AUCTION_ADVERTISER",
      "AUCTION_CAMPAIGN", "RESERVATION_AD",      "RESERVATION_ADGROUP",
      "RESERVATION_ADVERTISER", "RESERVATION_CAMPAIGN", NULL};
  static const char *const modes[] = {"REGULAR", "CHUNK", NULL};
  json_t *jdims = NULL, *jmetrics = NULL, *list = NULL;
  sp_rc rc;
  const char *rt, *st, *lv, *mode;
  int lifetime, totals, utc_flag, all_status;

  if (!api_query(c, "report_type"))
    return sp_fail(&c->err, SP_E_PARAM, "report_type", "REQUIRED",
                   "is required; the sandbox supports BASIC");
  if ((rc = q_enum(c, "report_type", report_types, NULL, &rt))) return rc;
  if (strcmp(rt, "BASIC") != 0)
    return sp_fail(&c->err, SP_E_PARAM, "report_type", "REPORT_TYPE",
                   "%s reports are not supported by the sandbox; use BASIC",
                   rt);
  if ((rc = q_enum(c, "service_type", service_types, "AUCTION", &st)))
    return rc;
  if (strcmp(st, "AUCTION") != 0)
    return sp_fail(&c->err, SP_E_PARAM, "service_type", "SERVICE_TYPE",
                   "RESERVATION is deprecated and not supported; use AUCTION");
  if (api_query(c, "advertiser_ids") || api_query(c, "bc_id"))
    return sp_fail(&c->err, SP_E_PARAM,
                   api_query(c, "bc_id") ? "bc_id" : "advertiser_ids", "SCOPE",
                   "is not supported by the sandbox; query one advertiser "
                   "with advertiser_id");
  if (!api_query(c, "data_level"))
    return sp_fail(&c->err, SP_E_PARAM, "data_level", "REQUIRED",
                   "is required for BASIC reports: AUCTION_ADVERTISER, "
                   "AUCTION_CAMPAIGN, AUCTION_ADGROUP or AUCTION_AD");
  if ((rc = q_enum(c, "data_level", levels, NULL, &lv))) return rc;
  if (strncmp(lv, "AUCTION_", 8) != 0)
    return sp_fail(&c->err, SP_E_PARAM, "data_level", "SERVICE_TYPE",
                   "%s needs service_type RESERVATION, which is not "
                   "supported; use an AUCTION_ level",
                   lv);
  sp_metric_level level = SP_ML_ADVERTISER;
  for (int i = 0; i < 4; i++)
    if (strcmp(lv, LEVEL_NAMES[i]) == 0) level = (sp_metric_level)i;
  if ((rc = q_enum(c, "query_mode", modes, "REGULAR", &mode)) ||
      (rc = q_bool(c, "query_lifetime", &lifetime)) ||
      (rc = q_bool(c, "enable_total_metrics", &totals)) ||
      (rc = q_bool(c, "multi_adv_report_in_utc_time", &utc_flag)))
    return rc;
  size_t page, page_size;
  if ((rc = q_uint(c, "page", 1, 1000000000, &page)) ||
      (rc = q_uint(c, "page_size", 10, 1000, &page_size)))
    return rc;

  /* dimensions */
  if (!api_query(c, "dimensions"))
    return sp_fail(&c->err, SP_E_PARAM, "dimensions", "REQUIRED",
                   "is required, e.g. [\"campaign_id\",\"stat_time_day\"]; "
                   "allowed at %s: %s",
                   lv, dims_for_level(c->a, level));
  if ((rc = q_strings(c, "dimensions", "[\"campaign_id\",\"stat_time_day\"]",
                      &jdims)))
    goto out;
  size_t nd = json_array_size(jdims);
  dim dv[2];
  const char *dname[2];
  int have_id = 0, have_time = 0;
  int64_t grain = 0;
  if (nd == 0 || nd > 2) {
    rc = sp_fail(&c->err, SP_E_PARAM, "dimensions", "DIMENSIONS",
                 "must hold one id dimension and/or one time dimension; "
                 "allowed at %s: %s",
                 lv, dims_for_level(c->a, level));
    goto out;
  }
  for (size_t i = 0; i < nd; i++) {
    const char *name = json_string_value(json_array_get(jdims, i));
    const char *path = sp_arena_printf(c->a, "dimensions[%zu]", i);
    size_t k = 0;
    while (k < SP_ARRAY_LEN(DIMS) && strcmp(DIMS[k].name, name) != 0) k++;
    if (k == SP_ARRAY_LEN(DIMS)) {
      rc = sp_fail(&c->err, SP_E_PARAM, path, "DIMENSION",
                   "\"%.60s\" is not a dimension of BASIC reports; allowed "
                   "at %s: %s",
                   name, lv, dims_for_level(c->a, level));
      goto out;
    }
    dv[i] = DIMS[k].d;
    dname[i] = DIMS[k].name;
    if (dv[i] >= D_DAY) {
      if (have_time) {
        rc = sp_fail(&c->err, SP_E_PARAM, path, "DIMENSION",
                     "only one time dimension (stat_time_day or "
                     "stat_time_hour) per report");
        goto out;
      }
      have_time = 1;
      grain = dv[i] == D_DAY ? DAY_S : HOUR_S;
    } else {
      if (have_id) {
        rc = sp_fail(&c->err, SP_E_PARAM, path, "DIMENSION",
                     "only one id dimension per report");
        goto out;
      }
      if (DIMS[k].level != level) {
        rc = sp_fail(&c->err, SP_E_PARAM, path, "DIMENSION_DATA_LEVEL",
                     "%s does not match data_level %s; allowed at %s: %s",
                     name, lv, lv, dims_for_level(c->a, level));
        goto out;
      }
      have_id = 1;
    }
  }
  if (lifetime && have_time) {
    rc = sp_fail(&c->err, SP_E_PARAM, "dimensions", "LIFETIME_TIME",
                 "time dimensions cannot be used with query_lifetime=true");
    goto out;
  }

  /* metrics */
  const mdef **ms;
  size_t nm;
  if ((rc = parse_metrics(c, IN_INTEGRATED, &jmetrics, &ms, &nm))) goto out;
  for (size_t i = 0; i < nm; i++) {
    if (!is_attr(ms[i]->kind)) continue;
    if (!have_id || level < ms[i]->min_level) {
      rc = sp_fail(&c->err, SP_E_PARAM, "metrics", "METRIC_DATA_LEVEL",
                   "%s needs an id dimension and data_level %s or finer",
                   ms[i]->name, LEVEL_NAMES[ms[i]->min_level]);
      goto out;
    }
  }
  sorter so = {0};
  if ((rc = parse_order(c, "order_field", "order_type", NULL, IN_INTEGRATED,
                        &so)))
    goto out;

  /* advertiser: currency and the zone its days start in */
  sp_advertiser adv;
  memset(&adv, 0, sizeof adv);
  if ((rc = store_advertiser_get(c->app->st, c->advertiser_id, c->a, &adv,
                                 &c->err)))
    goto out;
  int64_t off = utc_flag ? 0 : tz_offset(adv.timezone);

  sp_metric_query q = {.advertiser_id = c->advertiser_id, .level = level,
                       .grain = grain, .tz_offset = off};
  if ((rc = parse_range(c, lifetime, grain == HOUR_S ? 1 : grain ? 30 : 365,
                        grain == HOUR_S
                            ? "max time span is 1 day when use stat_time_hour"
                        : grain ? "max time span is 30 days when use "
                                  "stat_time_day"
                                : "max time span is 365 days",
                        off, &q.from, &q.to)))
    goto out;
  if ((rc = parse_filtering(c, &q, &all_status))) goto out;

  /* objects of the level, for names and the deleted filter */
  objset camps = {0}, groups = {0}, ads = {0};
  int need_c = 0, need_g = 0, need_a = 0;
  for (size_t i = 0; i < nm; i++) {
    need_c |= ms[i]->kind == M_CAMPAIGN_NAME;
    need_g |= ms[i]->kind == M_ADGROUP_NAME;
    need_a |= ms[i]->kind == M_AD_NAME;
  }
  if (!all_status) {
    need_c |= level == SP_ML_CAMPAIGN;
    need_g |= level == SP_ML_ADGROUP;
    need_a |= level == SP_ML_AD;
  }
  if ((need_c && (rc = load_objs(c, SP_KIND_CAMPAIGN, &camps))) ||
      (need_g && (rc = load_objs(c, SP_KIND_ADGROUP, &groups))) ||
      (need_a && (rc = load_objs(c, SP_KIND_AD, &ads))))
    goto out;
  const objset *lvset = level == SP_ML_CAMPAIGN  ? &camps
                        : level == SP_ML_ADGROUP ? &groups
                        : level == SP_ML_AD      ? &ads
                                                 : NULL;

  sp_metric_row *rows;
  size_t n, total;
  if ((rc = store_metrics_query(c->app->st, &q, c->a, &rows, &n, &total,
                                &c->err)))
    goto out;
  rrow *rr = sp_arena_alloc(c->a, (n ? n : 1) * sizeof *rr);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (!all_status && lvset) {
      const objinfo *o = obj_find(lvset, level_id(&rows[i], level));
      if (o && o->deleted) continue;
    }
    rr[m].m = rows[i];
    for (size_t k = 0; k < nd; k++)
      rr[m].key[k] = dv[k] >= D_DAY ? rows[i].hour : level_id(&rows[i], level);
    rr[m].material = rows[i].material_id;
    m++;
  }
  /* without an id dimension the level's rows add up per time bucket */
  so.nkeys = (int)nd;
  m = merge_rows(rr, m, (int)nd, 0);
  sort_rows(rr, m, &so);

  list = json_array();
  sp_metric_row sum = {0};
  for (size_t i = 0; i < m; i++) add_row(&sum, &rr[i].m);
  size_t first = (page - 1) * page_size;
  for (size_t i = first; i < m && i < first + page_size; i++) {
    const sp_metric_row *r = &rr[i].m;
    json_t *d = json_object();
    char buf[32];
    for (size_t k = 0; k < nd; k++) {
      if (dv[k] >= D_DAY) {
        sp_time_format(r->hour + off, buf);
        if (dv[k] == D_DAY) memcpy(buf + 10, " 00:00:00", 10);
        else memcpy(buf + 13, ":00:00", 7);
      } else {
        snprintf(buf, sizeof buf, "%lld", (long long)level_id(r, level));
      }
      json_object_set_new(d, dname[k], json_string(buf));
    }
    json_t *mo = json_object();
    for (size_t k = 0; k < nm; k++) {
      const objinfo *o;
      switch (ms[k]->kind) {
        case M_CAMPAIGN_NAME:
          o = obj_find(&camps, r->campaign_id);
          json_object_set_new(mo, "campaign_name", json_string(o ? o->name : "-"));
          break;
        case M_ADGROUP_NAME:
          o = obj_find(&groups, r->adgroup_id);
          json_object_set_new(mo, "adgroup_name", json_string(o ? o->name : "-"));
          break;
        case M_AD_NAME:
          o = obj_find(&ads, r->ad_id);
          json_object_set_new(mo, "ad_name", json_string(o ? o->name : "-"));
          break;
        case M_CAMPAIGN_ID:
          snprintf(buf, sizeof buf, "%lld", (long long)r->campaign_id);
          json_object_set_new(mo, "campaign_id", json_string(buf));
          break;
        case M_ADGROUP_ID:
          snprintf(buf, sizeof buf, "%lld", (long long)r->adgroup_id);
          json_object_set_new(mo, "adgroup_id", json_string(buf));
          break;
        case M_CURRENCY:
          json_object_set_new(mo, "currency",
                              json_string(adv.currency ? adv.currency : "USD"));
          break;
        default:
          metric_text(ms[k]->kind, r, buf);
          json_object_set_new(mo, ms[k]->name, json_string(buf));
      }
    }
    json_array_append_new(list,
                          json_pack("{s:o, s:o}", "dimensions", d, "metrics", mo));
  }
  *data = json_pack("{s:o, s:o}", "list", list, "page_info",
                    api_page_info(page, page_size, m));
  list = NULL;
  if (totals) json_object_set_new(*data, "total_metrics", metrics_json(ms, nm, &sum));
  rc = SP_OK;
out:
  json_decref(jdims);
  json_decref(jmetrics);
  json_decref(list);
  return rc;
}

/* ---- smart_plus/material_report/overview -------------------------------- */

/* One creative of an ad as the ad stores it. */
typedef struct creative {
  int64_t material_id; /* ad_material_id */
  const char *main_id; /* video_id, image web_uri or Spark post id */
  const char *type;    /* SppReportMaterialType */
} creative;

static int cmp_creative(const void *a, const void *b) {
  int64_t x = ((const creative *)a)->material_id,
          y = ((const creative *)b)->material_id;
  return x < y ? -1 : x > y;
}

/* The creatives of the ads `rows`, sorted by ad_material_id. */
static void creatives_from(sp_ctx *c, const sp_obj *rows, size_t nr,
                           creative **out, size_t *n) {
  size_t cap = 16, k = 0;
  creative *v = xmalloc(cap * sizeof *v);
  for (size_t i = 0; i < nr; i++) {
    json_t *j = sp_json_loads(rows[i].body, 0, NULL);
    size_t ci;
    json_t *cr;
    json_array_foreach(json_object_get(j, "creative_list"), ci, cr) {
      const char *mid = json_string_value(json_object_get(cr, "ad_material_id"));
      if (!mid || !sp_is_int64_string(mid)) continue;
      json_t *info = json_object_get(cr, "creative_info");
      const char *video = json_string_value(
          json_object_get(json_object_get(info, "video_info"), "video_id"));
      json_t *images = json_object_get(info, "image_info");
      const char *image = json_string_value(
          json_object_get(json_array_get(images, 0), "web_uri"));
      const char *item = json_string_value(json_object_get(info, "tiktok_item_id"));
      const char *main = video ? video : image ? image : item ? item : mid;
      const char *type;
      if (video) type = item ? "VIDEO_SPARK_ADS" : "VIDEO_NON_SPARK_ADS";
      else if (json_array_size(images) > 1)
        type = item ? "CAROUSEL_SPARK_ADS" : "CAROUSEL_NON_SPARK_ADS";
      else if (image) type = "SINGLE_IMAGE_NON_SPARK_ADS";
      else type = item ? "VIDEO_SPARK_ADS" : "VIDEO_NON_SPARK_ADS";
      if (k == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
      v[k].material_id = strtoll(mid, NULL, 10);
      v[k].main_id = sp_arena_strdup(c->a, main);
      v[k].type = type;
      k++;
    }
    json_decref(j);
  }
  creative *a = sp_arena_alloc(c->a, (k ? k : 1) * sizeof *a);
  memcpy(a, v, k * sizeof *a);
  free(v);
  qsort(a, k, sizeof *a, cmp_creative);
  *out = a;
  *n = k;
}

static const char *const OV_DIMS[] = {
    "advertiser_id", "campaign_id", "adgroup_id", "smart_plus_ad_id",
    "main_material_id", NULL};
static const char *const OV_DIMS_UNSUPPORTED[] = {
    "ad_text_entity_id", "call_to_action_entity_id",
    "interactive_add_on_entity_id", NULL};
static const char *const OV_TYPES[] = {
    "CAROUSEL_NON_SPARK_ADS", "CAROUSEL_SPARK_ADS", "CATALOG_CAROUSEL",
    "CATALOG_MULTI_SHOW", "CATALOG_VIDEO", "CATALOG_VIDEO_TEMPLATE",
    "SINGLE_IMAGE_NON_SPARK_ADS", "VIDEO_NON_SPARK_ADS", "VIDEO_SPARK_ADS",
    NULL};


typedef struct ov_filter {
  json_t *main_ids; /* array of strings or NULL */
  const char *type; /* one main_material_types value or NULL */
  json_t *types;
} ov_filter;

static sp_rc ov_filtering(sp_ctx *c, sp_metric_query *q, json_t **owned,
                          ov_filter *f) {
  const char *s = api_query(c, "filtering");
  memset(f, 0, sizeof *f);
  *owned = NULL;
  if (!s || !*s) return SP_OK;
  json_error_t jerr;
  json_t *j = sp_json_loads(s, JSON_REJECT_DUPLICATES, &jerr);
  if (!json_is_object(j)) {
    json_decref(j);
    return sp_fail(&c->err, SP_E_PARAM, "filtering", "JSON",
                   "expected a JSON-encoded object, e.g. "
                   "{\"campaign_ids\":[\"123\"]}");
  }
  *owned = j;
  const char *key;
  json_t *v;
  int n_obj = 0;
  size_t n_entities = 0;
  json_object_foreach(j, key, v) {
    const char *path = sp_arena_printf(c->a, "filtering.%s", key);
    int64_t *ids;
    size_t n;
    sp_rc rc;
    if (strcmp(key, "campaign_ids") == 0 || strcmp(key, "adgroup_ids") == 0 ||
        strcmp(key, "smart_plus_ad_ids") == 0) {
      if ((rc = api_parse_ids(c, path, v, MAX_FILTER_IDS_OVERVIEW, &ids, &n)))
        return rc;
      n_obj++;
      if (key[0] == 'c') q->campaign_ids = ids, q->n_campaign_ids = n;
      else if (key[0] == 'a') q->adgroup_ids = ids, q->n_adgroup_ids = n;
      else q->ad_ids = ids, q->n_ad_ids = n;
    } else if (strcmp(key, "main_material_ids") == 0) {
      if (!json_is_array(v) || json_array_size(v) == 0)
        return sp_fail(&c->err, SP_E_PARAM, path, "TYPE",
                       "expected a non-empty array of strings");
      size_t i;
      json_t *x;
      json_array_foreach(v, i, x) if (!json_is_string(x)) return sp_fail(
          &c->err, SP_E_PARAM, sp_arena_printf(c->a, "%s[%zu]", path, i),
          "TYPE", "expected a string");
      n_entities += json_array_size(v);
      f->main_ids = v;
    } else if (strcmp(key, "main_material_types") == 0) {
      if (!json_is_array(v) || json_array_size(v) == 0 ||
          json_array_size(v) > 9)
        return sp_fail(&c->err, SP_E_PARAM, path, "TYPE",
                       "expected an array of 1 to 9 material types");
      size_t i;
      json_t *x;
      json_array_foreach(v, i, x) {
        const char *t = json_string_value(x);
        if (!t || !in_list(t, OV_TYPES))
          return sp_fail(&c->err, SP_E_PARAM,
                         sp_arena_printf(c->a, "%s[%zu]", path, i), "ENUM",
                         "is not a material type; allowed: VIDEO_NON_SPARK_ADS, "
                         "VIDEO_SPARK_ADS, CAROUSEL_NON_SPARK_ADS, "
                         "CAROUSEL_SPARK_ADS, SINGLE_IMAGE_NON_SPARK_ADS, "
                         "CATALOG_VIDEO, CATALOG_VIDEO_TEMPLATE, "
                         "CATALOG_CAROUSEL, CATALOG_MULTI_SHOW");
      }
      f->types = v;
    } else if (strcmp(key, "ad_text_entity_ids") == 0 ||
               strcmp(key, "call_to_action_entity_ids") == 0 ||
               strcmp(key, "interactive_add_on_entity_ids") == 0) {
      return sp_fail(&c->err, SP_E_PARAM, path, "FILTER_FIELD",
                     "is not supported by the sandbox (no per-text, per-CTA "
                     "or add-on report rows)");
    } else {
      return sp_fail(&c->err, SP_E_PARAM, path, "FILTER_FIELD",
                     "is not a filter of this endpoint; allowed: campaign_ids, "
                     "adgroup_ids, smart_plus_ad_ids, main_material_ids, "
                     "main_material_types");
    }
  }
  if (n_obj > 1)
    return sp_fail(&c->err, SP_E_PARAM, "filtering", "FILTER_EXCLUSIVE",
                   "campaign_ids, adgroup_ids and smart_plus_ad_ids cannot "
                   "be used together; pass one of them");
  if (n_entities > MAX_MATERIAL_IDS_OVERVIEW)
    return sp_fail(&c->err, SP_E_PARAM, "filtering.main_material_ids",
                   "MAX_ITEMS", "has %zu ids; the maximum is %d", n_entities,
                   MAX_MATERIAL_IDS_OVERVIEW);
  if (f->main_ids && json_array_size(f->types) != 1)
    return sp_fail(&c->err, SP_E_PARAM, "filtering.main_material_types",
                   "MAIN_MATERIAL_TYPE",
                   "must hold exactly one type when main_material_ids is set");
  return SP_OK;
}

static const char *ov_dim_value(sp_ctx *c, const char *dn,
                                const sp_metric_row *r, const creative *cr) {
  if (strcmp(dn, "main_material_id") == 0) return cr ? cr->main_id : "-";
  int64_t v = strcmp(dn, "advertiser_id") == 0   ? r->advertiser_id
              : strcmp(dn, "campaign_id") == 0   ? r->campaign_id
              : strcmp(dn, "adgroup_id") == 0    ? r->adgroup_id
                                                  : r->ad_id;
  return sp_arena_printf(c->a, "%lld", (long long)v);
}

sp_rc api_material_report_overview(sp_ctx *c, json_t **data) {
  json_t *jdims = NULL, *jmetrics = NULL, *jfilter = NULL, *list = NULL;
  sp_rc rc;
  int lifetime;
  size_t page, page_size;
  if ((rc = q_bool(c, "query_lifetime", &lifetime)) ||
      (rc = q_uint(c, "page", 1, 1000000000, &page)) ||
      (rc = q_uint(c, "page_size", 10, 100, &page_size)))
    return rc;
  if (!api_query(c, "dimensions"))
    return sp_fail(&c->err, SP_E_PARAM, "dimensions", "REQUIRED",
                   "is required: exactly 2 of advertiser_id, campaign_id, "
                   "adgroup_id, smart_plus_ad_id, main_material_id");
  if ((rc = q_strings(c, "dimensions",
                      "[\"smart_plus_ad_id\",\"main_material_id\"]", &jdims)))
    goto out;
  if (json_array_size(jdims) != 2) {
    rc = sp_fail(&c->err, SP_E_PARAM, "dimensions", "DIMENSIONS",
                 "must hold exactly 2 dimensions (it has %zu) from "
                 "advertiser_id, campaign_id, adgroup_id, smart_plus_ad_id, "
                 "main_material_id",
                 json_array_size(jdims));
    goto out;
  }
  const char *dn[2];
  for (int i = 0; i < 2; i++) {
    dn[i] = json_string_value(json_array_get(jdims, (size_t)i));
    const char *path = sp_arena_printf(c->a, "dimensions[%d]", i);
    if (in_list(dn[i], OV_DIMS_UNSUPPORTED)) {
      rc = sp_fail(&c->err, SP_E_PARAM, path, "DIMENSION",
                   "%s is not supported by the sandbox; allowed: "
                   "advertiser_id, campaign_id, adgroup_id, smart_plus_ad_id, "
                   "main_material_id",
                   dn[i]);
      goto out;
    }
    if (!in_list(dn[i], OV_DIMS)) {
      rc = sp_fail(&c->err, SP_E_PARAM, path, "DIMENSION",
                   "\"%.60s\" is not a dimension of this report (time "
                   "dimensions belong to material_report/breakdown); allowed: "
                   "advertiser_id, campaign_id, adgroup_id, smart_plus_ad_id, "
                   "main_material_id",
                   dn[i]);
      goto out;
    }
  }
  if (strcmp(dn[0], dn[1]) == 0) {
    rc = sp_fail(&c->err, SP_E_PARAM, "dimensions[1]", "DIMENSION",
                 "repeats %s; name 2 different dimensions", dn[0]);
    goto out;
  }
  const mdef **ms;
  size_t nm;
  if ((rc = parse_metrics(c, IN_OVERVIEW, &jmetrics, &ms, &nm))) goto out;
  sorter so = {0};
  if ((rc = parse_order(c, "sort_field", "sort_type", "spend", IN_OVERVIEW,
                        &so)))
    goto out;
  sp_advertiser adv;
  memset(&adv, 0, sizeof adv);
  if ((rc = store_advertiser_get(c->app->st, c->advertiser_id, c->a, &adv,
                                 &c->err)))
    goto out;
  int64_t off = tz_offset(adv.timezone);
  sp_metric_query q = {.advertiser_id = c->advertiser_id,
                       .level = SP_ML_MATERIAL, .grain = 0};
  if ((rc = parse_range(c, lifetime, 365, "max time span is 365 days", off,
                        &q.from, &q.to)))
    goto out;
  ov_filter f;
  if ((rc = ov_filtering(c, &q, &jfilter, &f))) goto out;

  creative *crs;
  size_t ncr, nad;
  objset ads = {0};
  sp_obj *ad_rows; /* read once: the creatives and the ads' names */
  if ((rc = list_all(c, SP_KIND_AD, &ad_rows, &nad))) goto out;
  creatives_from(c, ad_rows, nad, &crs, &ncr);
  objs_from(c, ad_rows, nad, &ads);
  sp_metric_row *rows;
  size_t n, total;
  if ((rc = store_metrics_query(c->app->st, &q, c->a, &rows, &n, &total,
                                &c->err)))
    goto out;
  rrow *rr = sp_arena_alloc(c->a, (n ? n : 1) * sizeof *rr);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const objinfo *o = obj_find(&ads, rows[i].ad_id);
    if (o && o->deleted) continue;
    creative key = {rows[i].material_id, NULL, NULL};
    const creative *cr =
        ncr ? bsearch(&key, crs, ncr, sizeof *crs, cmp_creative) : NULL;
    if (f.types) {
      int ok = 0;
      for (size_t t = 0; t < json_array_size(f.types); t++)
        ok |= cr && strcmp(cr->type, json_string_value(json_array_get(
                                         f.types, t))) == 0;
      if (!ok) continue;
    }
    if (f.main_ids) {
      int ok = 0;
      for (size_t t = 0; t < json_array_size(f.main_ids); t++)
        ok |= cr && strcmp(cr->main_id, json_string_value(json_array_get(
                                            f.main_ids, t))) == 0;
      if (!ok) continue;
    }
    rr[m].m = rows[i];
    rr[m].skey[0] = ov_dim_value(c, dn[0], &rows[i], cr);
    rr[m].skey[1] = ov_dim_value(c, dn[1], &rows[i], cr);
    rr[m].material = rows[i].material_id;
    m++;
  }
  m = merge_rows(rr, m, 2, 1);
  so.nkeys = 2;
  so.strings = 1;
  sort_rows(rr, m, &so);

  list = json_array();
  size_t first = (page - 1) * page_size;
  for (size_t i = first; i < m && i < first + page_size; i++) {
    json_t *d = json_object();
    json_object_set_new(d, dn[0], json_string(rr[i].skey[0]));
    json_object_set_new(d, dn[1], json_string(rr[i].skey[1]));
    json_t *mo = json_object();
    char buf[32];
    for (size_t k = 0; k < nm; k++) {
      if (ms[k]->kind == M_AD_MATERIAL_ID) {
        if (rr[i].material > 0)
          snprintf(buf, sizeof buf, "%lld", (long long)rr[i].material);
        else
          snprintf(buf, sizeof buf, "-");
      } else {
        metric_text(ms[k]->kind, &rr[i].m, buf);
      }
      json_object_set_new(mo, ms[k]->name, json_string(buf));
    }
    json_array_append_new(list,
                          json_pack("{s:o, s:o}", "dimensions", d, "metrics", mo));
  }
  *data = json_pack("{s:o, s:o}", "list", list, "page_info",
                    api_page_info(page, page_size, m));
  list = NULL;
  rc = SP_OK;
out:
  json_decref(jdims);
  json_decref(jmetrics);
  json_decref(jfilter);
  json_decref(list);
  return rc;
}
