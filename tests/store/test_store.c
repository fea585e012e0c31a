/* tests/store/test_store.c - the store_ops contract on the SQLite backend:
 * advertiser scoping, rollback leaves nothing, list filters and paging,
 * idempotency keys, tokens, persistence across reopen. A PostgreSQL backend
 * must pass the same suite. */
#include "../testutil.h"
#include "store/born.h"
#include "store/kin.h"
#include "store/resident.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <unistd.h>

static sp_obj obj(int64_t id, int64_t adv, sp_status st, const char *name) {
  sp_obj o = {SP_KIND_CAMPAIGN, id, adv, 0, st, 100 + id % 100, 100, name, "{}", NULL, 0};
  return o;
}

/* What another connection does to the database file, behind the store's
 * back: sql run on a connection of its own. */
static void behind(const char *path, const char *sql) {
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
}

/* Behind the store's back: ad made non-Spark (its body '{}') and every
 * row renamed 'y'. */
static void unspark_and_rename(const char *path, int64_t ad) {
  char *sql = sqlite3_mprintf("UPDATE objects SET body = '{}' WHERE id = %lld;"
                              "UPDATE objects SET name = 'y'",
                              (long long)ad);
  behind(path, sql);
  sqlite3_free(sql);
}

static void scoping_and_rollback(void **s_) {
  (void)s_;
  store *st;
  sp_err e;
  sp_arena *a = sp_arena_create();
  assert_int_equal(store_open(":memory:", &st, &e), SP_OK);
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  sp_obj o = obj(1, 10, SP_ST_ENABLE, "mine");
  assert_int_equal(store_insert(st, &o, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  sp_obj got;
  assert_int_equal(store_get(st, SP_KIND_CAMPAIGN, 10, 1, a, &got, &e), SP_OK);
  assert_string_equal(got.name, "mine");
  /* another advertiser cannot see it */
  assert_int_equal(store_get(st, SP_KIND_CAMPAIGN, 11, 1, a, &got, &e),
                   SP_E_NOT_FOUND);
  /* rollback leaves nothing */
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  o = obj(2, 10, SP_ST_ENABLE, "gone");
  assert_int_equal(store_insert(st, &o, &e), SP_OK);
  store_rollback(st);
  assert_int_equal(store_get(st, SP_KIND_CAMPAIGN, 10, 2, a, &got, &e),
                   SP_E_NOT_FOUND);
  store_close(st);
  sp_arena_destroy(a);
}

static void list_filters(void **s_) {
  (void)s_;
  store *st;
  sp_err e;
  sp_arena *a = sp_arena_create();
  assert_int_equal(store_open(":memory:", &st, &e), SP_OK);
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  for (int i = 1; i <= 25; i++) {
    sp_obj o = obj(i, 10, i % 5 == 0 ? SP_ST_DELETE : SP_ST_ENABLE,
                   i % 2 ? "Odd Name" : "even");
    assert_int_equal(store_insert(st, &o, &e), SP_OK);
  }
  sp_obj other = obj(100, 11, SP_ST_ENABLE, "Odd other");
  assert_int_equal(store_insert(st, &other, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  sp_query q = {.kind = SP_KIND_CAMPAIGN, .advertiser_id = 10, .limit = 10};
  sp_obj *rows;
  size_t n, total;
  assert_int_equal(store_list(st, &q, a, &rows, &n, &total, &e), SP_OK);
  assert_int_equal(total, 20); /* deleted excluded by default */
  assert_int_equal(n, 10);
  assert_int_equal(rows[0].id, 24); /* newest first */
  q.status_mask = SP_STM_ALL;
  assert_int_equal(store_list(st, &q, a, &rows, &n, &total, &e), SP_OK);
  assert_int_equal(total, 25);
  q.status_mask = 0;
  q.name_contains = "odd";
  q.offset = 10;
  assert_int_equal(store_list(st, &q, a, &rows, &n, &total, &e), SP_OK);
  assert_int_equal(total, 10); /* 13 odd, minus 5, 15, 25 deleted */
  assert_int_equal(n, 0);
  int64_t ids[] = {3, 100, 5};
  sp_query q2 = {.kind = SP_KIND_CAMPAIGN, .advertiser_id = 10, .ids = ids,
                 .n_ids = 3, .status_mask = SP_STM_ALL};
  assert_int_equal(store_list(st, &q2, a, &rows, &n, &total, &e), SP_OK);
  assert_int_equal(total, 2); /* 100 belongs to advertiser 11 */
  store_close(st);
  sp_arena_destroy(a);
}

static void idem_tokens_persist(void **s_) {
  (void)s_;
  char path[] = "/tmp/smartplus-test-XXXXXX";
  store *st = t_open_tmp_db(path);
  sp_err e;
  sp_arena *a = sp_arena_create();
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  int64_t id;
  assert_int_equal(store_next_id(st, SP_KIND_CAMPAIGN, &id, &e), SP_OK);
  sp_obj o = obj(id, 10, SP_ST_ENABLE, "kept");
  assert_int_equal(store_insert(st, &o, &e), SP_OK);
  assert_int_equal(store_idem_put(st, 10, SP_KIND_CAMPAIGN, "42", id, 7, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  sp_token t = {SP_SCOPE_ADS | SP_SCOPE_REPORT, 2, {10, 11}};
  assert_int_equal(store_token_put(st, "tok", &t, &e), SP_OK);
  store_close(st);

  assert_int_equal(store_open(path, &st, &e), SP_OK);
  int64_t got_id;
  uint64_t h;
  assert_int_equal(store_idem_get(st, 10, SP_KIND_CAMPAIGN, "42", &got_id, &h, &e), SP_OK);
  assert_int_equal(got_id, id);
  assert_int_equal(h, 7);
  assert_int_equal(store_idem_get(st, 11, SP_KIND_CAMPAIGN, "42", &got_id, &h, &e),
                   SP_E_NOT_FOUND);
  sp_token t2;
  assert_int_equal(store_token_get(st, "tok", &t2, &e), SP_OK);
  assert_int_equal(t2.scopes, SP_SCOPE_ADS | SP_SCOPE_REPORT);
  assert_int_equal(t2.n_advertisers, 2);
  assert_int_equal(t2.advertisers[1], 11);
  assert_int_equal(store_token_get(st, "nope", &t2, &e), SP_E_TOKEN_INVALID);
  /* ids keep growing after reopen */
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  int64_t id2;
  assert_int_equal(store_next_id(st, SP_KIND_CAMPAIGN, &id2, &e), SP_OK);
  store_rollback(st);
  assert_true(id2 > id);
  sp_obj got;
  assert_int_equal(store_get(st, SP_KIND_CAMPAIGN, 10, id, a, &got, &e), SP_OK);
  store_close(st);
  sp_arena_destroy(a);
  t_unlink_db(path);
}

/* The unfiltered total of a file database is cached between commits; it
 * must follow inserts, status changes and rolled-back writes. */
static void count_cache_follows_commits(void **s_) {
  (void)s_;
  char path[] = "/tmp/smartplus-count-XXXXXX";
  store *st = t_open_tmp_db(path);
  sp_err e;
  sp_arena *a = sp_arena_create();
  sp_query q = {.kind = SP_KIND_CAMPAIGN, .advertiser_id = 10, .limit = 5};
  sp_obj *rows;
  size_t n, total;
  for (int i = 1; i <= 3; i++) {
    assert_int_equal(store_write_begin(st, &e), SP_OK);
    sp_obj o = obj(i, 10, SP_ST_ENABLE, "c");
    assert_int_equal(store_insert(st, &o, &e), SP_OK);
    assert_int_equal(store_commit(st, &e), SP_OK);
    assert_int_equal(store_list(st, &q, a, &rows, &n, &total, &e), SP_OK);
    assert_int_equal(total, (size_t)i);
    assert_int_equal(store_list(st, &q, a, &rows, &n, &total, &e), SP_OK);
    assert_int_equal(total, (size_t)i); /* second read: from the cache */
  }
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  sp_obj del = obj(2, 10, SP_ST_DELETE, "c");
  assert_int_equal(store_update(st, &del, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  assert_int_equal(store_list(st, &q, a, &rows, &n, &total, &e), SP_OK);
  assert_int_equal(total, 2);
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  sp_obj gone = obj(9, 10, SP_ST_ENABLE, "c");
  assert_int_equal(store_insert(st, &gone, &e), SP_OK);
  store_rollback(st);
  assert_int_equal(store_list(st, &q, a, &rows, &n, &total, &e), SP_OK);
  assert_int_equal(total, 2);
  assert_int_equal(n, 2);
  store_close(st);
  sp_arena_destroy(a);
  t_unlink_db(path);
}

/* Deferred commits (store_defer), as a server's I/O thread uses them: the
 * commit returns at once, the waiter's fn runs once the batch's COMMIT is
 * done, and until then the writing thread still reads its own write. */
typedef struct seen {
  store_waiter w;
  _Atomic int calls;
} seen;

static void on_done(store_waiter *w) { atomic_fetch_add(&((seen *)w->arg)->calls, 1); }

typedef struct peek {
  store *st;
  int64_t id;
  sp_rc rc;
} peek;

static void *peek_thread(void *arg) { /* another thread: a read connection */
  peek *p = arg;
  sp_arena *a = sp_arena_create();
  sp_obj got;
  sp_err e;
  p->rc = store_get(p->st, SP_KIND_CAMPAIGN, 10, p->id, a, &got, &e);
  sp_arena_destroy(a);
  return NULL;
}

static sp_rc peek_from_other_thread(store *st, int64_t id) {
  peek p = {st, id, SP_E_SYSTEM};
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, peek_thread, &p), 0);
  pthread_join(t, NULL);
  return p.rc;
}

/* Wait for fn (up to 5 s) if defer said so; else it must not come. */
static void settle(store *st, seen *sn, int wait) {
  for (int i = 0; wait && i < 5000 && atomic_load(&sn->calls) == 0; i++)
    usleep(1000);
  store_drain(st);
  assert_int_equal(atomic_load(&sn->calls), wait ? 1 : 0);
  assert_int_equal(sn->w.rc, SP_OK);
}

static void deferred_commit(void **s_) {
  (void)s_;
  char path[] = "/tmp/smartplus-defer-XXXXXX";
  store *st = t_open_tmp_db(path);
  sp_err e;
  sp_arena *a = sp_arena_create();
  seen sn = {{.fn = on_done, .arg = &sn}, 0};

  /* a write: its thread reads it back before the COMMIT */
  store_defer(st, &sn.w);
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  sp_obj o = obj(1, 10, SP_ST_ENABLE, "deferred");
  assert_int_equal(store_insert(st, &o, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  sp_obj got;
  assert_int_equal(store_get(st, SP_KIND_CAMPAIGN, 10, 1, a, &got, &e), SP_OK);
  assert_string_equal(got.name, "deferred");
  int wait = store_defer(st, NULL);
  settle(st, &sn, wait);
  /* committed: another connection sees it */
  assert_int_equal(peek_from_other_thread(st, 1), SP_OK);

  /* nothing written: answer at once, fn never called */
  atomic_store(&sn.calls, 0);
  store_defer(st, &sn.w);
  assert_int_equal(store_get(st, SP_KIND_CAMPAIGN, 10, 1, a, &got, &e), SP_OK);
  assert_int_equal(store_defer(st, NULL), 0);
  settle(st, &sn, 0);

  /* a rolled-back write leaves nothing, deferred or not */
  atomic_store(&sn.calls, 0);
  store_defer(st, &sn.w);
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  sp_obj gone = obj(2, 10, SP_ST_ENABLE, "gone");
  assert_int_equal(store_insert(st, &gone, &e), SP_OK);
  store_rollback(st);
  wait = store_defer(st, NULL);
  settle(st, &sn, wait);
  assert_int_equal(peek_from_other_thread(st, 2), SP_E_NOT_FOUND);

  /* closing the store commits an open batch and calls its waiter */
  atomic_store(&sn.calls, 0);
  store_defer(st, &sn.w);
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  sp_obj last = obj(3, 10, SP_ST_ENABLE, "last");
  assert_int_equal(store_insert(st, &last, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  wait = store_defer(st, NULL);
  store_close(st);
  assert_int_equal(atomic_load(&sn.calls), wait ? 1 : 0);
  assert_int_equal(store_open(path, &st, &e), SP_OK);
  assert_int_equal(store_get(st, SP_KIND_CAMPAIGN, 10, 3, a, &got, &e), SP_OK);
  store_close(st);
  sp_arena_destroy(a);
  t_unlink_db(path);
}

/* Ids that live inside other objects' bodies (a creative's ad_material_id
 * in its ad) continue after the highest one stored, restart or not. */
static void seq_cover_nested_ids(void **s_) {
  (void)s_;
  store *st;
  sp_err e;
  assert_int_equal(store_open(":memory:", &st, &e), SP_OK);
  int64_t first;
  assert_int_equal(store_next_id(st, SP_KIND_MATERIAL, &first, &e), SP_OK);
  assert_int_equal(first, 1890000000000000001LL); /* its own 19-digit range */
  sp_obj ad = {SP_KIND_AD, 1860000000000000001LL, 10, 1, SP_ST_ENABLE, 1, 1, "ad",
               "{\"creative_list\":[{\"ad_material_id\":\"1890000000000000042\"},"
               "{\"ad_material_id\":\"1890000000000000007\"}]}", NULL, 0};
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_insert(st, &ad, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  assert_int_equal(store_seq_cover(st, SP_KIND_MATERIAL, SP_KIND_AD, "creative_list",
                                   "ad_material_id", &e), SP_OK);
  int64_t next;
  assert_int_equal(store_next_id(st, SP_KIND_MATERIAL, &next, &e), SP_OK);
  assert_int_equal(next, 1890000000000000043LL);
  /* never lowers the sequence */
  assert_int_equal(store_seq_cover(st, SP_KIND_MATERIAL, SP_KIND_AD, "creative_list",
                                   "ad_material_id", &e), SP_OK);
  assert_int_equal(store_next_id(st, SP_KIND_MATERIAL, &next, &e), SP_OK);
  assert_int_equal(next, 1890000000000000044LL);
  store_close(st);
}

/* Long bodies are stored packed (LZ4) and read back as the same text; rows
 * written as text before (an older database) read as they were; queries
 * that look inside bodies (seq_cover, probe_grandchild) see through both. */
static void packed_bodies(void **s_) {
  (void)s_;
  char path[] = "/tmp/smartplus-test-XXXXXX";
  store *st = t_open_tmp_db(path);
  sp_err e;
  sp_arena *a = sp_arena_create();
  sp_buf big;
  sp_buf_init(&big, (size_t)-1);
  sp_buf_append(&big, "{\"creative_list\":[", 18);
  for (int i = 0; i < 20; i++) {
    char item[160];
    int n = snprintf(item, sizeof item,
                     "%s{\"ad_material_id\":\"18900000000000001%02d\","
                     "\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\"}}",
                     i ? "," : "", i);
    sp_buf_append(&big, item, (size_t)n);
  }
  sp_buf_append(&big, "]}", 2);
  assert_true(big.len > 1024);
  /* campaign 1 > ad group 2 > ad 3 (long, packed); ad group 4 > ad 5
   * (Spark, short text) under campaign 6 */
  sp_obj rows[] = {
      {SP_KIND_CAMPAIGN, 1, 10, 0, SP_ST_ENABLE, 1, 1, "c", "{}", NULL, 0},
      {SP_KIND_ADGROUP, 2, 10, 1, SP_ST_ENABLE, 1, 1, "g", "{}", NULL, 0},
      {SP_KIND_AD, 3, 10, 2, SP_ST_ENABLE, 1, 1, "ad", big.data, NULL, 0},
      {SP_KIND_ADGROUP, 4, 10, 6, SP_ST_ENABLE, 1, 1, "g2", "{}", NULL, 0},
      {SP_KIND_AD, 5, 10, 4, SP_ST_ENABLE, 1, 1, "spark",
       "{\"tiktok_item_id\":\"7\"}", NULL, 0},
  };
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  for (size_t i = 0; i < SP_ARRAY_LEN(rows); i++)
    assert_int_equal(store_insert(st, &rows[i], &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  store_close(st);

  /* on disk: the long body is a blob much shorter than its text; then
   * write a long row as plain text, as an older smartplusd did */
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  sqlite3_stmt *q;
  assert_int_equal(sqlite3_prepare_v2(db, "SELECT typeof(body), length(body) "
                                          "FROM objects WHERE id = 3",
                                      -1, &q, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_step(q), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(q, 0), "blob");
  assert_true((size_t)sqlite3_column_int(q, 1) * 3 < big.len);
  sqlite3_finalize(q);
  char *sql = sqlite3_mprintf(
      "INSERT INTO objects VALUES(3, 7, 10, 2, 0, 1, 1, 'old', "
      "'{\"creative_list\":[{\"ad_material_id\":\"1890000000000000500\"}],"
      "\"pad\":\"%1000c\"}')", 'x');
  assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_free(sql);
  sqlite3_close(db);

  assert_int_equal(store_open(path, &st, &e), SP_OK);
  sp_obj got;
  assert_int_equal(store_get(st, SP_KIND_AD, 10, 3, a, &got, &e), SP_OK);
  assert_string_equal(got.body, big.data);
  assert_int_equal(store_get(st, SP_KIND_AD, 10, 7, a, &got, &e), SP_OK);
  assert_non_null(strstr(got.body, "1890000000000000500"));
  /* bodies packed one after another by the same thread (one LZ4 stream,
   * reset between them) each read back alone */
  char *texts[6];
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  for (int k = 0; k < 6; k++) {
    sp_buf t;
    sp_buf_init(&t, (size_t)-1);
    for (int r = 0; r < 90 + 17 * k; r++) { /* 1.2 KB and more: packed */
      char item[64];
      int n = snprintf(item, sizeof item, "%s\"k%d_%d\":\"v%d\"", r ? "," : "{",
                       k, r * (k + 1), r % (k + 2));
      sp_buf_append(&t, item, (size_t)n);
    }
    sp_buf_append(&t, "}", 1);
    texts[k] = sp_arena_strdup(a, t.data);
    sp_buf_free(&t);
    sp_obj o = {SP_KIND_AD, 100 + k, 10, 2, SP_ST_ENABLE, 1, 1, "n", texts[k], NULL, 0};
    assert_int_equal(store_insert(st, &o, &e), SP_OK);
  }
  assert_int_equal(store_commit(st, &e), SP_OK);
  for (int k = 5; k >= 0; k--) {
    assert_int_equal(store_get(st, SP_KIND_AD, 10, 100 + k, a, &got, &e), SP_OK);
    assert_string_equal(got.body, texts[k]);
  }
  /* seq_cover reads both forms: the text row holds the highest id */
  assert_int_equal(store_seq_cover(st, SP_KIND_MATERIAL, SP_KIND_AD,
                                   "creative_list", "ad_material_id", &e),
                   SP_OK);
  int64_t next;
  assert_int_equal(store_next_id(st, SP_KIND_MATERIAL, &next, &e), SP_OK);
  assert_int_equal(next, 1890000000000000501LL);
  /* probe: campaign 1's ads are not Spark, campaign 6's are, campaign 9
   * has none; excluding the only ad finds nothing */
  int found, has;
  const char *key = "\"tiktok_item_id\":";
  assert_int_equal(store_probe_grandchild(st, SP_KIND_AD, SP_KIND_ADGROUP, 10,
                                          1, 0, key, &found, &has, &e),
                   SP_OK);
  assert_true(found && !has);
  assert_int_equal(store_probe_grandchild(st, SP_KIND_AD, SP_KIND_ADGROUP, 10,
                                          6, 0, key, &found, &has, &e),
                   SP_OK);
  assert_true(found && has);
  assert_int_equal(store_probe_grandchild(st, SP_KIND_AD, SP_KIND_ADGROUP, 10,
                                          6, 5, key, &found, &has, &e),
                   SP_OK);
  assert_false(found);
  assert_int_equal(store_probe_grandchild(st, SP_KIND_AD, SP_KIND_ADGROUP, 11,
                                          6, 0, key, &found, &has, &e),
                   SP_OK);
  assert_false(found); /* another advertiser's view */
  store_close(st);

  /* a blob that claims to be packed but is not: queries that look inside
   * bodies fail with a store error, and a get reads it as it is */
  behind(path, "INSERT INTO objects VALUES(3, 8, 10, 2, 0, 1, 1, 'bad', "
               "X'05000000FF7B7D')");
  assert_int_equal(store_open(path, &st, &e), SP_OK);
  assert_int_equal(store_seq_cover(st, SP_KIND_MATERIAL, SP_KIND_AD,
                                   "creative_list", "ad_material_id", &e),
                   SP_E_SYSTEM);
  assert_non_null(strstr(e.msg, "corrupt packed body"));
  assert_int_equal(store_get(st, SP_KIND_AD, 10, 8, a, &got, &e), SP_OK);
  assert_int_equal(strlen(got.body), 1); /* bytes up to the first NUL */
  store_close(st);
  sp_buf_free(&big);
  sp_arena_destroy(a);
  t_unlink_db(path);
}


/* What the store knows of the objects it made itself (store/born.h): the
 * probe and the list of a parent's children answer without SQL for a new
 * parent that never had one, and must answer exactly as SQL does, before
 * and after a reopen (when nothing is born any more), through deletes and
 * rolled-back inserts. */
typedef struct family_view {
  int found, has;         /* probe_grandchild of the campaign */
  size_t groups, ads;     /* live children of the campaign, of ad group 1 */
} family_view;

static family_view look(store *st, int64_t camp, int64_t g1) {
  sp_err e;
  sp_arena *a = sp_arena_create();
  family_view v;
  /* inside a write transaction, as the API asks: on the write connection */
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_probe_grandchild(st, SP_KIND_AD, SP_KIND_ADGROUP, 10,
                                          camp, 0, "\"tiktok_item_id\":",
                                          &v.found, &v.has, &e),
                   SP_OK);
  sp_query q;
  memset(&q, 0, sizeof q);
  q.advertiser_id = 10;
  sp_obj *rows;
  size_t n;
  q.kind = SP_KIND_ADGROUP;
  q.parents = &camp;
  q.n_parents = 1;
  assert_int_equal(store_list(st, &q, a, &rows, &n, &v.groups, &e), SP_OK);
  assert_int_equal(n, v.groups);
  q.kind = SP_KIND_AD;
  q.parents = &g1;
  assert_int_equal(store_list(st, &q, a, &rows, &n, &v.ads, &e), SP_OK);
  assert_int_equal(n, v.ads);
  store_rollback(st);
  sp_arena_destroy(a);
  return v;
}

static void put(store *st, sp_kind k, int64_t id, int64_t parent,
                sp_status status, const char *body, int keep) {
  sp_err e;
  sp_obj o = {k, id, 10, parent, status, 1, 1, "x", body, NULL, 0};
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(status == SP_ST_DELETE ? store_update(st, &o, &e)
                                          : store_insert(st, &o, &e),
                   SP_OK);
  if (keep) assert_int_equal(store_commit(st, &e), SP_OK);
  else store_rollback(st);
}

/* A campaign, an ad group in it and a Spark ad in that, committed. */
static void spark_family(store *st, int64_t *camp, int64_t *g, int64_t *ad) {
  sp_err e;
  assert_int_equal(store_next_id(st, SP_KIND_CAMPAIGN, camp, &e), SP_OK);
  assert_int_equal(store_next_id(st, SP_KIND_ADGROUP, g, &e), SP_OK);
  assert_int_equal(store_next_id(st, SP_KIND_AD, ad, &e), SP_OK);
  put(st, SP_KIND_CAMPAIGN, *camp, 0, SP_ST_ENABLE, "{}", 1);
  put(st, SP_KIND_ADGROUP, *g, *camp, SP_ST_ENABLE, "{}", 1);
  put(st, SP_KIND_AD, *ad, *g, SP_ST_ENABLE, "{\"tiktok_item_id\":\"7\"}", 1);
}

/* A new database file at path, opened as the server opens it (its owner:
 * what it knows of the objects born here is kept). */
static store *open_owner_tmp(char *path) {
  t_make_tmp_file(path);
  store *st;
  sp_err e;
  assert_int_equal(store_open_owner(path, &st, &e), SP_OK);
  return st;
}

static void born_here_answers_as_sql(void **s_) {
  (void)s_;
  char path[] = "/tmp/smartplus-test-XXXXXX";
  store *st = open_owner_tmp(path);
  sp_err e;
  int64_t camp, g1, g2, ad1, ad2;
  assert_int_equal(store_next_id(st, SP_KIND_CAMPAIGN, &camp, &e), SP_OK);
  assert_int_equal(store_next_id(st, SP_KIND_ADGROUP, &g1, &e), SP_OK);
  assert_int_equal(store_next_id(st, SP_KIND_ADGROUP, &g2, &e), SP_OK);
  assert_int_equal(store_next_id(st, SP_KIND_AD, &ad1, &e), SP_OK);
  assert_int_equal(store_next_id(st, SP_KIND_AD, &ad2, &e), SP_OK);
  /* the stages, and what each must look like */
  family_view want[6] = {
      {0, 0, 0, 0}, /* a campaign */
      {0, 0, 1, 0}, /* + ad group 1 */
      {1, 1, 1, 1}, /* + a Spark ad */
      {0, 0, 1, 0}, /* the ad deleted */
      {0, 0, 1, 0}, /* an ad group and its ad rolled back */
      {1, 0, 1, 1}, /* + a non-Spark ad */
  };
  family_view got[6];
  put(st, SP_KIND_CAMPAIGN, camp, 0, SP_ST_ENABLE, "{}", 1);
  assert_int_equal(store_parent_hint(st, camp), 0);
  got[0] = look(st, camp, g1);
  put(st, SP_KIND_ADGROUP, g1, camp, SP_ST_ENABLE, "{}", 1);
  assert_int_equal(store_parent_hint(st, g1), camp);
  got[1] = look(st, camp, g1);
  put(st, SP_KIND_AD, ad1, g1, SP_ST_ENABLE, "{\"tiktok_item_id\":\"7\"}", 1);
  got[2] = look(st, camp, g1);
  put(st, SP_KIND_AD, ad1, g1, SP_ST_DELETE, "{\"tiktok_item_id\":\"7\"}", 1);
  got[3] = look(st, camp, g1);
  put(st, SP_KIND_ADGROUP, g2, camp, SP_ST_ENABLE, "{}", 0);
  got[4] = look(st, camp, g1);
  /* a rolled-back insert leaves a hint that no row backs */
  assert_int_equal(store_parent_hint(st, g2), camp);
  for (int i = 0; i < 5; i++) {
    assert_int_equal(got[i].found, want[i].found);
    assert_int_equal(got[i].has, want[i].has);
    assert_int_equal(got[i].groups, want[i].groups);
    assert_int_equal(got[i].ads, want[i].ads);
  }
  /* packed before the lock: stored and read back as the same text */
  char big[1400];
  snprintf(big, sizeof big, "{\"ad_text\":\"%1300s\"}", "long");
  sp_arena *a = sp_arena_create();
  sp_obj o = {SP_KIND_AD, ad2, 10, g1, SP_ST_ENABLE, 1, 1, "x", big, NULL, 0};
  store_pack(st, &o, a);
  assert_non_null(o.packed);
  assert_true(o.packed_len > 0 && (size_t)o.packed_len < strlen(big) / 4);
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_insert(st, &o, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  got[5] = look(st, camp, g1);
  assert_memory_equal(&got[5], &want[5], sizeof got[5]);
  sp_obj back;
  assert_int_equal(store_get(st, SP_KIND_AD, 10, ad2, a, &back, &e), SP_OK);
  assert_string_equal(back.body, big);
  assert_null(back.packed); /* a row read is written back from its text */

  /* one server per database file */
  store *second;
  assert_int_equal(store_open_owner(path, &second, &e), SP_E_SYSTEM);
  assert_non_null(strstr(e.msg, "in use"));
  assert_int_equal(store_open(path, &second, &e), SP_OK); /* a tool */
  store_close(second);
  store_close(st);

  /* reopened, nothing is born here: SQL answers, and answers the same */
  assert_int_equal(store_open(path, &st, &e), SP_OK);
  assert_int_equal(store_parent_hint(st, g1), 0);
  family_view again = look(st, camp, g1);
  assert_memory_equal(&again, &want[5], sizeof again);
  store_close(st);
  sp_arena_destroy(a);
  t_unlink_db(path);
}

/* store/kin.h on its own: children ascending and once each, whatever the
 * order they came in; several parents merged; parents past the first
 * table (1,024 slots) found after it grew. */
static void kin_children(void **s_) {
  (void)s_;
  sp_kin *k = sp_kin_new();
  int64_t *ids;
  int64_t one = 5;
  assert_int_equal(sp_kin_children(k, &one, 1, &ids), 0);
  assert_null(ids);
  int64_t order[] = {30, 10, 20, 40, 20, 10, 35};
  for (size_t i = 0; i < SP_ARRAY_LEN(order); i++) sp_kin_add(k, 5, order[i]);
  sp_kin_add(k, 0, 99); /* no parent: not kept */
  sp_kin_add(k, 6, 15);
  sp_kin_add(k, 6, 30); /* also under 5: once in a merged list */
  assert_int_equal(sp_kin_size(k), 7);
  size_t n = sp_kin_children(k, &one, 1, &ids);
  int64_t want5[] = {10, 20, 30, 35, 40};
  assert_int_equal(n, 5);
  assert_memory_equal(ids, want5, sizeof want5);
  free(ids);
  int64_t both[] = {6, 7, 5}; /* 7 has none */
  n = sp_kin_children(k, both, 3, &ids);
  int64_t want56[] = {10, 15, 20, 30, 35, 40};
  assert_int_equal(n, 6);
  assert_memory_equal(ids, want56, sizeof want56);
  free(ids);
  for (int64_t p = 1000; p < 6000; p++) sp_kin_add(k, p, p * 10);
  for (int64_t p = 1000; p < 6000; p += 997) {
    assert_int_equal(sp_kin_children(k, &p, 1, &ids), 1);
    assert_int_equal(ids[0], p * 10);
    free(ids);
  }
  n = sp_kin_children(k, &one, 1, &ids);
  assert_memory_equal(ids, want5, sizeof want5);
  free(ids);
  sp_kin_free(k);
}

/* The children of a parent, with no index keyed by parent in SQLite: from
 * memory (kin.h) in the server's store, checked against each snapshot's
 * rows; from objects_by_advertiser in a store beside the server. Every
 * path must give the same answers: the write connection, a read
 * connection (another thread), the server's store reopened (its memory
 * loaded from the file), a tool's store. */
typedef struct kin_view {
  int64_t g1_ads[8];  /* live ads of ad group 1, newest first */
  size_t g1_n, g1_total;
  size_t g1_all;      /* ... of any status */
  int64_t page[2];    /* live ads of ad groups 1 and 2, oldest first, 2 from 1 */
  size_t page_n, page_total;
  size_t groups;      /* live ad groups of the campaign */
  int found, has;     /* probe_grandchild of the campaign */
} kin_view;

typedef struct kin_ask {
  store *st;
  int64_t camp, g1, g2;
  kin_view v;
} kin_ask;

static void *kin_look(void *arg) {
  kin_ask *k = arg;
  sp_err e;
  sp_arena *a = sp_arena_create();
  memset(&k->v, 0, sizeof k->v);
  sp_query q;
  memset(&q, 0, sizeof q);
  q.advertiser_id = 10;
  q.kind = SP_KIND_AD;
  q.parents = &k->g1;
  q.n_parents = 1;
  sp_obj *rows;
  assert_int_equal(store_list(k->st, &q, a, &rows, &k->v.g1_n, &k->v.g1_total, &e), SP_OK);
  for (size_t i = 0; i < k->v.g1_n && i < 8; i++) k->v.g1_ads[i] = rows[i].id;
  size_t n;
  q.status_mask = SP_STM_ALL;
  assert_int_equal(store_list(k->st, &q, a, &rows, &n, &k->v.g1_all, &e), SP_OK);
  assert_int_equal(n, k->v.g1_all);
  int64_t two[] = {k->g1, k->g2};
  q.status_mask = 0;
  q.parents = two;
  q.n_parents = 2;
  q.oldest_first = 1;
  q.offset = 1;
  q.limit = 2;
  assert_int_equal(store_list(k->st, &q, a, &rows, &k->v.page_n, &k->v.page_total, &e), SP_OK);
  for (size_t i = 0; i < k->v.page_n && i < 2; i++) k->v.page[i] = rows[i].id;
  memset(&q, 0, sizeof q);
  q.advertiser_id = 10;
  q.kind = SP_KIND_ADGROUP;
  q.parents = &k->camp;
  q.n_parents = 1;
  assert_int_equal(store_list(k->st, &q, a, &rows, &n, &k->v.groups, &e), SP_OK);
  assert_int_equal(n, k->v.groups);
  assert_int_equal(store_probe_grandchild(k->st, SP_KIND_AD, SP_KIND_ADGROUP,
                                          10, k->camp, 0, "\"tiktok_item_id\":",
                                          &k->v.found, &k->v.has, &e),
                   SP_OK);
  sp_arena_destroy(a);
  return NULL;
}

/* kin_look inside a write transaction (the write connection), and from
 * another thread (a read connection): both must be want */
static void kin_check(store *st, int64_t camp, int64_t g1, int64_t g2,
                      const kin_view *want) {
  sp_err e;
  kin_ask k = {.st = st, .camp = camp, .g1 = g1, .g2 = g2};
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  kin_look(&k);
  store_rollback(st);
  assert_memory_equal(&k.v, want, sizeof k.v);
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, kin_look, &k), 0);
  pthread_join(t, NULL);
  assert_memory_equal(&k.v, want, sizeof k.v);
}

static void children_without_parent_index(void **s_) {
  (void)s_;
  char path[] = "/tmp/smartplus-test-XXXXXX";
  store *st = open_owner_tmp(path);
  sp_err e;
  int64_t camp, g[3], ad[7];
  assert_int_equal(store_next_id(st, SP_KIND_CAMPAIGN, &camp, &e), SP_OK);
  for (int i = 0; i < 3; i++)
    assert_int_equal(store_next_id(st, SP_KIND_ADGROUP, &g[i], &e), SP_OK);
  for (int i = 0; i < 7; i++)
    assert_int_equal(store_next_id(st, SP_KIND_AD, &ad[i], &e), SP_OK);
  put(st, SP_KIND_CAMPAIGN, camp, 0, SP_ST_ENABLE, "{}", 1);
  put(st, SP_KIND_ADGROUP, g[0], camp, SP_ST_ENABLE, "{}", 1);
  put(st, SP_KIND_ADGROUP, g[1], camp, SP_ST_DISABLE, "{}", 1);
  put(st, SP_KIND_ADGROUP, g[2], camp, SP_ST_ENABLE, "{}", 1);
  put(st, SP_KIND_ADGROUP, g[2], camp, SP_ST_DELETE, "{}", 1);
  /* ad group 1: ads 0, 1 (deleted), 2, 4 and 3 (inserted out of order),
   * and 6 rolled back; ad group 2: ad 5 */
  const char *spark = "{\"tiktok_item_id\":\"7\"}";
  put(st, SP_KIND_AD, ad[0], g[0], SP_ST_ENABLE, spark, 1);
  put(st, SP_KIND_AD, ad[1], g[0], SP_ST_ENABLE, spark, 1);
  put(st, SP_KIND_AD, ad[1], g[0], SP_ST_DELETE, spark, 1);
  put(st, SP_KIND_AD, ad[2], g[0], SP_ST_ENABLE, spark, 1);
  put(st, SP_KIND_AD, ad[4], g[0], SP_ST_DISABLE, spark, 1);
  put(st, SP_KIND_AD, ad[3], g[0], SP_ST_ENABLE, spark, 1);
  put(st, SP_KIND_AD, ad[6], g[0], SP_ST_ENABLE, spark, 0);
  put(st, SP_KIND_AD, ad[5], g[1], SP_ST_ENABLE, spark, 1);
  /* another advertiser's ad under the same id of ad group: not listed */
  sp_obj other = {SP_KIND_AD, ad[6] + 100, 11, g[0], SP_ST_ENABLE, 1, 1, "x", "{}", NULL, 0};
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_insert(st, &other, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);

  kin_view want = {{ad[4], ad[3], ad[2], ad[0]}, 4, 4, 5,
                   {ad[2], ad[3]}, 2, 5, 2, 1, 1};
  kin_check(st, camp, g[0], g[1], &want);

  /* a child not yet committed: the writer sees it, a reader does not */
  sp_obj late = {SP_KIND_AD, ad[6] + 1, 10, g[0], SP_ST_ENABLE, 1, 1, "x", spark, NULL, 0};
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_insert(st, &late, &e), SP_OK);
  kin_ask k = {.st = st, .camp = camp, .g1 = g[0], .g2 = g[1]};
  kin_look(&k);
  assert_int_equal(k.v.g1_total, 5);
  assert_int_equal(k.v.g1_ads[0], late.id);
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, kin_look, &k), 0);
  pthread_join(t, NULL);
  assert_memory_equal(&k.v, &want, sizeof want);
  store_rollback(st);

  /* a tool beside the server: no memory, the index filtered */
  store *tool;
  assert_int_equal(store_open(path, &tool, &e), SP_OK);
  kin_check(tool, camp, g[0], g[1], &want);
  store_close(tool);
  store_close(st);
  /* the server again: its memory read back from the file */
  assert_int_equal(store_open_owner(path, &st, &e), SP_OK);
  kin_check(st, camp, g[0], g[1], &want);
  /* the last live ad of the campaign deleted: the probe finds none */
  put(st, SP_KIND_AD, ad[5], g[1], SP_ST_DELETE, spark, 1);
  for (int i = 0; i < 5; i++)
    if (i != 1) put(st, SP_KIND_AD, ad[i], g[0], SP_ST_DELETE, spark, 1);
  kin_view none = {{0}, 0, 0, 5, {0}, 0, 0, 2, 0, 0};
  kin_check(st, camp, g[0], g[1], &none);
  store_close(st);
  t_unlink_db(path);
}

/* A database made before (an index by parent, objects_by_adv without
 * parent_id) is brought to the new indexes at its first open, and its
 * children are found. */
static void old_indexes_replaced(void **s_) {
  (void)s_;
  char path[] = "/tmp/smartplus-test-XXXXXX";
  t_make_tmp_file(path);
  behind(path,
      "CREATE TABLE objects(kind INTEGER NOT NULL, id INTEGER PRIMARY KEY,"
      " advertiser_id INTEGER NOT NULL, parent_id INTEGER NOT NULL DEFAULT 0,"
      " status INTEGER NOT NULL, create_time INTEGER NOT NULL,"
      " modify_time INTEGER NOT NULL, name TEXT NOT NULL DEFAULT '',"
      " body TEXT NOT NULL);"
      "CREATE INDEX objects_by_adv ON objects(advertiser_id, kind, id, status);"
      "CREATE INDEX objects_parent ON objects(advertiser_id, kind, parent_id,"
      " id, status) WHERE parent_id != 0;"
      "INSERT INTO objects VALUES(1, 1840000000000001, 10, 0, 0, 1, 1, 'c', '{}');"
      "INSERT INTO objects VALUES(2, 1850000000000001, 10, 1840000000000001,"
      " 0, 1, 1, 'g', '{}');"
      "INSERT INTO objects VALUES(3, 1860000000000001, 10, 1850000000000001,"
      " 0, 1, 1, 'a', '{\"tiktok_item_id\":\"7\"}');"
      "INSERT INTO objects VALUES(3, 1860000000000002, 10, 1850000000000001,"
      " 2, 1, 1, 'a', '{}');");
  store *st;
  sp_err e;
  assert_int_equal(store_open_owner(path, &st, &e), SP_OK);
  kin_view want = {{1860000000000001}, 1, 1, 2, {0}, 0, 1, 1, 1, 1};
  kin_check(st, 1840000000000001, 1850000000000001, 0, &want);
  store_close(st);
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  sqlite3_stmt *x;
  assert_int_equal(sqlite3_prepare_v2(db,
                                      "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE "
                                      "type = 'index' AND tbl_name = 'objects' ORDER BY name)",
                                      -1, &x, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_step(x), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(x, 0), "objects_by_advertiser");
  sqlite3_finalize(x);
  sqlite3_close(db);
  t_unlink_db(path);
}

/* The probe's answers and the campaign and ad group rows read are kept on
 * the write connection (sqlite.c, probe_memo and row_memo) and reused until
 * something could make them false: an update, a rolled-back request. A row
 * changed behind the store's back (by another connection, which a server's
 * database never sees) shows which answer was kept and which was asked of
 * SQL again. */
static int probe(store *st, int64_t camp, int *has) {
  sp_err e;
  int found;
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_probe_grandchild(st, SP_KIND_AD, SP_KIND_ADGROUP, 10,
                                          camp, 0, "\"tiktok_item_id\":",
                                          &found, has, &e),
                   SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  return found;
}

/* get, inside a write transaction (on the write connection): the row's
 * name, or NULL if there is none */
static const char *get_name(store *st, sp_kind kind, int64_t id, sp_arena *a) {
  sp_err e;
  sp_obj o;
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  sp_rc rc = store_get(st, kind, 10, id, a, &o, &e);
  assert_int_equal(store_commit(st, &e), SP_OK);
  return rc == SP_OK ? o.name : NULL;
}

static void answers_kept(void **s_) {
  (void)s_;
  char path[] = "/tmp/smartplus-test-XXXXXX";
  store *st = open_owner_tmp(path);
  sp_err e;
  int64_t c1, c2, g1, g2, ad1, ad2;
  spark_family(st, &c1, &g1, &ad1);
  assert_int_equal(store_next_id(st, SP_KIND_CAMPAIGN, &c2, &e), SP_OK);
  assert_int_equal(store_next_id(st, SP_KIND_ADGROUP, &g2, &e), SP_OK);
  assert_int_equal(store_next_id(st, SP_KIND_AD, &ad2, &e), SP_OK);
  int has;
  sp_arena *a = sp_arena_create();
  assert_int_equal(probe(st, c1, &has), 1);
  assert_int_equal(has, 1);
  assert_string_equal(get_name(st, SP_KIND_ADGROUP, g1, a), "x");
  assert_string_equal(get_name(st, SP_KIND_CAMPAIGN, c1, a), "x");

  /* the ad made non-Spark and the rows renamed behind the store's back:
   * the kept answers stand (an ad's row is not kept) */
  unspark_and_rename(path, ad1);
  assert_int_equal(probe(st, c1, &has), 1);
  assert_int_equal(has, 1);
  assert_string_equal(get_name(st, SP_KIND_ADGROUP, g1, a), "x");
  assert_string_equal(get_name(st, SP_KIND_CAMPAIGN, c1, a), "x");
  assert_string_equal(get_name(st, SP_KIND_AD, ad1, a), "y");
  /* another advertiser's view of a kept row: none */
  sp_obj o;
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_get(st, SP_KIND_ADGROUP, 11, g1, a, &o, &e),
                   SP_E_NOT_FOUND);
  assert_int_equal(store_get(st, SP_KIND_CAMPAIGN, 10, g1, a, &o, &e),
                   SP_E_NOT_FOUND); /* nor under another kind */
  store_commit(st, &e);
  /* an update, of any object, and SQL is asked again */
  put(st, SP_KIND_CAMPAIGN, c2, 0, SP_ST_ENABLE, "{}", 1);
  o = (sp_obj){SP_KIND_CAMPAIGN, c2, 10, 0, SP_ST_DISABLE, 1, 1, "x", "{}", NULL, 0};
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_update(st, &o, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  assert_int_equal(probe(st, c1, &has), 1);
  assert_int_equal(has, 0);
  assert_string_equal(get_name(st, SP_KIND_ADGROUP, g1, a), "y");
  assert_string_equal(get_name(st, SP_KIND_CAMPAIGN, c1, a), "y");

  /* an answer read from a request's own insert is dropped with it */
  put(st, SP_KIND_ADGROUP, g2, c2, SP_ST_ENABLE, "{}", 1);
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  o = (sp_obj){SP_KIND_AD, ad2, 10, g2, SP_ST_ENABLE, 1, 1, "x",
               "{\"tiktok_item_id\":\"8\"}", NULL, 0};
  assert_int_equal(store_insert(st, &o, &e), SP_OK);
  int found;
  assert_int_equal(store_probe_grandchild(st, SP_KIND_AD, SP_KIND_ADGROUP, 10,
                                          c2, 0, "\"tiktok_item_id\":",
                                          &found, &has, &e),
                   SP_OK);
  assert_true(found && has);
  assert_int_equal(store_get(st, SP_KIND_ADGROUP, 10, g2, a, &o, &e), SP_OK);
  store_rollback(st);
  assert_int_equal(probe(st, c2, &has), 0);
  /* ... and so is a row read there, inserted by the request */
  int64_t g3;
  assert_int_equal(store_next_id(st, SP_KIND_ADGROUP, &g3, &e), SP_OK);
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  o = (sp_obj){SP_KIND_ADGROUP, g3, 10, c2, SP_ST_ENABLE, 1, 1, "x", "{}", NULL, 0};
  assert_int_equal(store_insert(st, &o, &e), SP_OK);
  assert_int_equal(store_get(st, SP_KIND_ADGROUP, 10, g3, a, &o, &e), SP_OK);
  store_rollback(st);
  assert_null(get_name(st, SP_KIND_ADGROUP, g3, a));
  /* excluding the ad a kept answer names asks SQL, which finds no other */
  assert_int_equal(probe(st, c1, &has), 1);
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_probe_grandchild(st, SP_KIND_AD, SP_KIND_ADGROUP, 10,
                                          c1, ad1, "\"tiktok_item_id\":",
                                          &found, &has, &e),
                   SP_OK);
  assert_false(found);
  store_rollback(st);
  store_close(st);
  sp_arena_destroy(a);
  t_unlink_db(path);
}

/* ---- a COMMIT that fails ----
 * No request can make COMMIT fail: the disk must. The test's VFS is the
 * default one with its files' xWrite replaced: while `fail_wal` is set, a
 * write to a WAL file fails, as on a full disk. A file is the default
 * VFS's own (its memory comes first), followed by a `tail`. */
typedef struct tail {
  const sqlite3_io_methods *real; /* the file's methods */
  int wal;
} tail;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs wal_fail_vfs;
/* each set of methods the default VFS gives its files, with xWrite
 * replaced (the unix VFS has a few) */
static struct {
  const sqlite3_io_methods *real;
  sqlite3_io_methods wrapped;
} io_sets[8];
static atomic_int fail_wal;

static tail *tail_of(sqlite3_file *f) {
  return (tail *)((char *)f + real_vfs->szOsFile);
}

static int wal_fail_write(sqlite3_file *f, const void *p, int n,
                          sqlite3_int64 off) {
  tail *t = tail_of(f);
  if (t->wal && atomic_load(&fail_wal)) return SQLITE_IOERR_WRITE;
  return t->real->xWrite(f, p, n, off);
}

static int wal_fail_open(sqlite3_vfs *v, sqlite3_filename name,
                         sqlite3_file *f, int flags, int *out) {
  (void)v;
  int rc = real_vfs->xOpen(real_vfs, name, f, flags, out);
  if (rc != SQLITE_OK || !f->pMethods) return rc;
  size_t i = 0;
  while (io_sets[i].real && io_sets[i].real != f->pMethods) i++;
  assert_true(i < sizeof io_sets / sizeof io_sets[0] - 1);
  if (!io_sets[i].real) {
    io_sets[i].real = f->pMethods;
    io_sets[i].wrapped = *f->pMethods;
    io_sets[i].wrapped.xWrite = wal_fail_write;
  }
  *tail_of(f) = (tail){f->pMethods, (flags & SQLITE_OPEN_WAL) != 0};
  f->pMethods = &io_sets[i].wrapped;
  return rc;
}

/* Make the test's VFS the default (on) or the real one again (off). */
static void wal_fail_vfs_use(int on) {
  if (on) {
    real_vfs = sqlite3_vfs_find(NULL);
    wal_fail_vfs = *real_vfs;
    wal_fail_vfs.zName = "wal-fail";
    wal_fail_vfs.szOsFile = real_vfs->szOsFile + (int)sizeof(tail);
    wal_fail_vfs.xOpen = wal_fail_open;
    assert_int_equal(sqlite3_vfs_register(&wal_fail_vfs, 1), SQLITE_OK);
  } else {
    assert_int_equal(sqlite3_vfs_unregister(&wal_fail_vfs), SQLITE_OK);
    assert_int_equal(sqlite3_vfs_register(real_vfs, 1), SQLITE_OK);
  }
}

/* A batch whose COMMIT fails: the request is told (store error), nothing
 * of it is left, and every kept answer and row is dropped (flush_locked
 * bumps memo_gen), since what the writer read inside the batch may have
 * been rolled back with it. The store goes on working afterwards. */
static void failed_commit(void **s_) {
  (void)s_;
  wal_fail_vfs_use(1);
  char path[] = "/tmp/smartplus-test-XXXXXX";
  store *st = open_owner_tmp(path);
  sp_err e;
  int64_t c1, g1, ad1, c2;
  spark_family(st, &c1, &g1, &ad1);
  assert_int_equal(store_next_id(st, SP_KIND_CAMPAIGN, &c2, &e), SP_OK);
  int has;
  sp_arena *a = sp_arena_create();
  assert_int_equal(probe(st, c1, &has), 1); /* kept */
  assert_int_equal(has, 1);
  assert_string_equal(get_name(st, SP_KIND_ADGROUP, g1, a), "x"); /* kept */

  /* an insert whose COMMIT cannot be written */
  atomic_store(&fail_wal, 1);
  sp_obj o = {SP_KIND_CAMPAIGN, c2, 10, 0, SP_ST_ENABLE, 1, 1, "lost", "{}",
              NULL, 0};
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_insert(st, &o, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_E_SYSTEM);
  assert_non_null(strstr(e.msg, "store error (commit)"));
  atomic_store(&fail_wal, 0);

  /* nothing of it is left */
  assert_int_equal(store_get(st, SP_KIND_CAMPAIGN, 10, c2, a, &o, &e),
                   SP_E_NOT_FOUND);
  /* the rows changed behind the store's back: SQL is asked again */
  unspark_and_rename(path, ad1);
  assert_int_equal(probe(st, c1, &has), 1);
  assert_int_equal(has, 0);
  assert_string_equal(get_name(st, SP_KIND_ADGROUP, g1, a), "y");
  /* and writes work again */
  o.name = "kept";
  assert_int_equal(store_write_begin(st, &e), SP_OK);
  assert_int_equal(store_insert(st, &o, &e), SP_OK);
  assert_int_equal(store_commit(st, &e), SP_OK);
  assert_string_equal(get_name(st, SP_KIND_CAMPAIGN, c2, a), "kept");
  store_close(st);
  sp_arena_destroy(a);
  t_unlink_db(path);
  wal_fail_vfs_use(0);
}

/* The flags behind those answers: a child or grandchild noted once stays
 * noted; an object moved under a parent by an update brings unknown
 * descendants; objects made before (ids at or below `from`) are unknown. */
static void born_flags(void **s_) {
  (void)s_;
  int64_t from[4] = {0, 100, 200, 300};
  sp_born *b = sp_born_new(from, 4);
  assert_int_equal(sp_born_childless(b, 100, 1), 0); /* made before */
  sp_born_note(b, 1, 101, 0);                        /* campaign 101 */
  sp_born_note(b, 1, 102, 0);                        /* campaign 102 */
  assert_int_equal(sp_born_childless(b, 101, 1), 1);
  assert_int_equal(sp_born_childless(b, 101, 2), 1);
  sp_born_note(b, 2, 201, 101);                      /* its ad group */
  assert_int_equal(sp_born_parent(b, 201), 101);
  assert_int_equal(sp_born_childless(b, 101, 1), 0);
  assert_int_equal(sp_born_childless(b, 101, 2), 1);
  assert_int_equal(sp_born_childless(b, 201, 1), 1);
  sp_born_note(b, 3, 301, 201);                      /* its ad */
  assert_int_equal(sp_born_childless(b, 101, 2), 0);
  assert_int_equal(sp_born_childless(b, 201, 1), 0);
  /* ad group 201 (with an ad) moved to campaign 102: 102 gains both */
  sp_born_note(b, 2, 201, 102);
  assert_int_equal(sp_born_parent(b, 201), 102);
  assert_int_equal(sp_born_childless(b, 102, 1), 0);
  assert_int_equal(sp_born_childless(b, 102, 2), 0);
  /* an old ad group (200, made before) moved under a new campaign */
  sp_born_note(b, 1, 103, 0);
  sp_born_note(b, 2, 200, 103);
  assert_int_equal(sp_born_parent(b, 200), 0);
  assert_int_equal(sp_born_childless(b, 103, 2), 0);
  /* ids past what one session records: nothing claimed */
  int64_t far = 100 + ((int64_t)1 << 30);
  sp_born_note(b, 1, far, 0);
  assert_int_equal(sp_born_childless(b, far, 1), 0);
  sp_born_free(b);
}

/* write n bytes of `fill` at offset off of path */
static void put_bytes(const char *path, off_t off, size_t n, int fill) {
  int fd = open(path, O_WRONLY | O_CREAT, 0600);
  assert_true(fd >= 0);
  char *buf = malloc(n);
  memset(buf, fill, n);
  assert_int_equal(pwrite(fd, buf, n, off), (ssize_t)n);
  free(buf);
  close(fd);
}

/* Ask the kernel to drop path's pages from memory, as a page-out would:
 * written to disk first, then dropped; pages some process maps stay. */
static void drop_cache(const char *path) {
  int fd = open(path, O_RDONLY);
  assert_true(fd >= 0);
  assert_int_equal(fdatasync(fd), 0);
  assert_int_equal(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
  close(fd);
}

/* page i of the mapping at base is in memory */
static int in_core(const void *base, size_t i) {
  size_t pg = (size_t)sysconf(_SC_PAGESIZE);
  unsigned char v = 0;
  assert_int_equal(mincore((char *)base + i * pg, pg, &v), 0);
  return v & 1;
}

/* every page of [base, base + n) is in memory */
static int all_in_core(const void *base, size_t n) {
  size_t pg = (size_t)sysconf(_SC_PAGESIZE);
  for (size_t i = 0; i < (n + pg - 1) / pg; i++)
    if (!in_core(base, i)) return 0;
  return 1;
}

/* sp_resident maps what the file holds as it grows, up to its cap, and
 * starts again when the file shrinks, is replaced, or goes. */
static void resident_follows_file(void **s_) {
  (void)s_;
  size_t pg = (size_t)sysconf(_SC_PAGESIZE);
  char path[] = "/tmp/sp-resident-XXXXXX";
  t_make_tmp_file(path);
  assert_null(sp_resident_new(path, 0));
  sp_resident *r = sp_resident_new(path, 8 * pg);
  assert_non_null(r);
  sp_resident_update(r); /* empty: nothing to map */
  assert_int_equal(sp_resident_mapped(r), 0);
  assert_null(sp_resident_base(r));

  put_bytes(path, 0, 2 * pg + pg / 2, 'a'); /* 2.5 pages */
  sp_resident_update(r);
  assert_int_equal(sp_resident_mapped(r), 2 * pg + pg / 2);
  const char *m = sp_resident_base(r);
  assert_non_null(m);
  assert_true(all_in_core(m, 3 * pg));
  assert_int_equal(m[0], 'a');
  assert_int_equal(m[2 * pg + pg / 2 - 1], 'a');

  /* growth from inside a page: the page is mapped again, the rest added,
   * in the same range */
  put_bytes(path, 2 * pg + pg / 2, pg, 'b');
  sp_resident_update(r);
  assert_int_equal(sp_resident_mapped(r), 3 * pg + pg / 2);
  assert_ptr_equal(sp_resident_base(r), m);
  /* held: the kernel cannot drop them (checked before anything is read
   * through the mapping, which would map the pages itself) */
  drop_cache(path);
  assert_true(all_in_core(m, 4 * pg));
  assert_int_equal(m[2 * pg + pg / 2], 'b');
  assert_int_equal(m[3 * pg + pg / 2 - 1], 'b');

  /* a write through the file is seen in the mapping: the same pages */
  put_bytes(path, 0, 1, 'z');
  assert_int_equal(m[0], 'z');

  /* past the cap: only the cap is mapped */
  put_bytes(path, 9 * pg, pg, 'c');
  sp_resident_update(r);
  assert_int_equal(sp_resident_mapped(r), 8 * pg);

  /* shorter: mapped again from the start, no further than the file */
  assert_int_equal(truncate(path, (off_t)pg), 0);
  sp_resident_update(r);
  assert_int_equal(sp_resident_mapped(r), pg);
  assert_int_equal(m[0], 'z');

  /* another file at the path, of the same size: its pages */
  unlink(path);
  put_bytes(path, 0, pg, 'n');
  sp_resident_update(r);
  assert_int_equal(sp_resident_mapped(r), pg);
  assert_int_equal(((const char *)sp_resident_base(r))[0], 'n');

  /* gone: nothing mapped */
  unlink(path);
  sp_resident_update(r);
  assert_int_equal(sp_resident_mapped(r), 0);
  assert_null(sp_resident_base(r));
  sp_resident_free(r);
}

/* What a file holds when first seen is kept where it is in memory, and not
 * read from the disk (a server starting on a large database); what it
 * grows by is kept whole. */
static void resident_reads_nothing_at_start(void **s_) {
  (void)s_;
  size_t pg = (size_t)sysconf(_SC_PAGESIZE);
  char path[] = "/tmp/sp-resident-XXXXXX";
  t_make_tmp_file(path);
  put_bytes(path, 0, 4 * pg, 'a');
  drop_cache(path);
  /* page 2 read back alone (no read-ahead) */
  int fd = open(path, O_RDONLY);
  assert_true(fd >= 0);
  assert_int_equal(posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM), 0);
  char c;
  assert_int_equal(pread(fd, &c, 1, (off_t)(2 * pg)), 1);
  close(fd);

  sp_resident *r = sp_resident_new(path, 16 * pg);
  sp_resident_update(r);
  assert_int_equal(sp_resident_mapped(r), 4 * pg);
  const char *m = sp_resident_base(r);
  assert_false(in_core(m, 0)); /* not read in */
  drop_cache(path);
  assert_true(in_core(m, 2)); /* in memory before: held */
  assert_false(in_core(m, 0));

  /* grown: the new pages are held, even once dropped from memory before
   * the update (reading them back may read pages around them too) */
  put_bytes(path, 4 * pg, 2 * pg, 'b');
  drop_cache(path);
  sp_resident_update(r);
  assert_int_equal(sp_resident_mapped(r), 6 * pg);
  drop_cache(path);
  assert_true(in_core(m, 4) && in_core(m, 5));
  sp_resident_free(r);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(scoping_and_rollback),
      cmocka_unit_test(list_filters),
      cmocka_unit_test(idem_tokens_persist),
      cmocka_unit_test(count_cache_follows_commits),
      cmocka_unit_test(deferred_commit),
      cmocka_unit_test(seq_cover_nested_ids),
      cmocka_unit_test(packed_bodies),
      cmocka_unit_test(born_here_answers_as_sql),
      cmocka_unit_test(born_flags),
      cmocka_unit_test(kin_children),
      cmocka_unit_test(children_without_parent_index),
      cmocka_unit_test(old_indexes_replaced),
      cmocka_unit_test(answers_kept),
      cmocka_unit_test(failed_commit),
      cmocka_unit_test(resident_follows_file),
      cmocka_unit_test(resident_reads_nothing_at_start),
  };
  return cmocka_run_group_tests_name("store/sqlite", tests, NULL, NULL);
}
