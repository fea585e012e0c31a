/*
 * store/sqlite.c - the embedded SQLite backend of store_ops.
 *
 * One write connection guarded by a mutex, held from write_begin to
 * commit/rollback, so write transactions are serialised and see their own
 * uncommitted rows. Reads from other threads use a per-thread read
 * connection (WAL lets them run beside the writer); an in-memory database
 * cannot be shared between connections, so there reads take the mutex too.
 *
 * Durability: WAL with synchronous=NORMAL. A committed transaction is in the
 * WAL file, in the OS page cache, before COMMIT returns, so it survives the
 * death of the process (kill -9); only an OS crash could lose the last ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include <lz4.h>
#include <xxhash.h>

#include "born.h"
#include "kin.h"
#include "resident.h"
#include "store.h"
#include "../core/clock.h"
#include "../sim/metrics.h"

#define N_KINDS 8
#define STMT_CACHE 32
#define MAX_BATCH 128
#define WRITE_LOCK_YIELDS 100
#define COMMIT_QUIET_NS 100000L /* 100 us without a new deferred write */
#define COMMIT_MAX_WAIT_NS 2000000L /* 2 ms */
#define COUNT_CACHE 1024
/* How many answers and rows the writer keeps (docs/internals/store.md).
 * A slot holds one id; two ids that hash to it take turns, each missing.
 * At 1,024 and 4,096 slots, ads over 1,000 ad groups (1,000 campaigns)
 * hit the probe memo 79% of the time and the row memo about 55%; at
 * 4,096 and 8,192, after the first lap, every time. Server CPU per ad
 * create (bench/create_cpu.sh ad 10, alternating): 75 -> 69, 75 -> 69,
 * 86 -> 62 us. The row memo holds at most 8,192 rows' name and body
 * (an ad group's ~1 KB): ~10 MB. */
#define PROBE_MEMO_BITS 12 /* 4,096 probe_grandchild answers kept */
#define PROBE_MEMO (1 << PROBE_MEMO_BITS)
#define PROBE_NEEDLE 32 /* longest needle a kept answer can hold, with NUL */
#define ROW_MEMO_BITS 13 /* 8,192 campaign and ad group rows kept */
#define ROW_MEMO (1 << ROW_MEMO_BITS)
/* Restart the WAL past ~48 MB. At ~4 MB (1000 frames) an ad create stream
 * paused the writers about 8 times a second for the checkpoint to catch
 * up; paired runs of bench/create_cpu.sh ad (6 + 6 pairs, medians): 4000
 * frames 65/64 us per create against 72/70, p99 6.6/6.3 ms against
 * 7.5/7.3; 12000 against 4000 the same CPU, p99 5.9 against 6.4 ms. */
#define CKPT_FRAMES 12000
/* A passive checkpoint (with fsync) every 40 ms. 50 ms was too long while
 * CKPT_FRAMES was 1000: the WAL outgrew it between ticks and writers were
 * paused for the rest (p99 of ad create 15.6-20 ms, 11.4-12.8 at 10 ms).
 * With 12,000 frames, 40 ms against 10 ms in paired runs (medians of 6):
 * 62 and 78 us per ad create against 64 and 82, p99 the same. */
#define CKPT_TICK_MS 40
/* How much of the database, and of the WAL, is kept mapped (resident.h):
 * as much of the database as each connection maps (mmap_size). */
#define RESIDENT_CAP ((size_t)1 << 30)

typedef struct conn {
  sqlite3 *db;
  sqlite3_stmt *get, *insert, *update, *idem_get, *idem_put;
  sqlite3_stmt *token_get, *adv_get;
  /* prepared statements of dynamic queries (list), keyed by their SQL;
   * preparing costs more than running them, so they are kept */
  struct {
    char *sql;
    uint64_t hash; /* of sql: most lookups compare no text */
    sqlite3_stmt *st;
  } cache[STMT_CACHE];
  unsigned cache_next;
  struct conn *next; /* all read connections, for close */
} conn;

/* A probe_grandchild answer kept by the write connection (probe_memo
 * below): the question, and the grandchild that answered it (row). */
typedef struct kept_probe {
  uint64_t gen; /* valid while equal to memo_gen (which starts at 1) */
  int64_t grandparent, advertiser_id, row;
  int kind, parent_kind, has;
  char needle[PROBE_NEEDLE];
} kept_probe;

/* A row kept by the write connection (row_memo below). */
typedef struct kept_row {
  uint64_t gen;
  sp_obj o;          /* name and body: the strings below */
  char *name, *body; /* malloc'd, reused by the next row in the slot */
  size_t name_len, body_len; /* their room */
} kept_row;

typedef struct sqlite_store {
  store base;
  char *path;
  int memory;
  int lock_fd;            /* flock'd: one server per database file */
  conn w;                 /* the write connection */
  pthread_mutex_t wlock;
  pthread_t owner;        /* valid while in_tx */
  _Atomic int in_tx;
  /* Group commit. Requests that write while others wait for the lock share
   * one SQL transaction (a savepoint each); the last of a burst commits it
   * and wakes the rest. A request is answered only after the COMMIT that
   * holds its write, so durability is unchanged; the batch costs one WAL
   * append instead of one per request. */
  _Atomic int waiting;    /* threads blocked in write_begin */
  int open;               /* a batch transaction is open on w */
  int batch_n;            /* requests in the open batch */
  uint64_t gen;           /* generation of the open (or last) batch */
  _Atomic uint64_t done_gen; /* last generation whose COMMIT finished */
  sp_rc results[64];      /* outcome of generation g at g % 64 */
  pthread_cond_t done_cond;
  /* Deferred commits (store_defer). A committer thread COMMITs the batch
   * once deferred writes stop joining it for a moment, then calls the
   * waiters' fn. The waiters have their own lock (wq_lock, taken after
   * wlock when both are held), so that answering them never waits for a
   * writer. */
  pthread_t committer;
  _Atomic int committer_running;
  pthread_mutex_t wq_lock;    /* the fields below */
  pthread_cond_t commit_cond; /* with wq_lock: work for the committer */
  pthread_cond_t drained;     /* with wq_lock: a pass over the waiters */
  int committer_idle, committer_stop;
  int calling; /* threads calling waiters' fn */
  store_waiter *waiters, **waiters_tail;
  _Atomic int deferred;       /* deferred writes in the open batch (wlock) */
  int (*stuck)(void *);       /* an I/O thread waits on the batch alone */
  void *stuck_arg;            /* (defer_stuck) */
  /* Counts of an advertiser's live objects per kind, the total_number of
   * an unfiltered get. Counting walks the index on every GET (most of its
   * SQLite time); a count is reused until the next commit (commit_gen). */
  _Atomic uint64_t commit_gen;
  pthread_mutex_t count_lock;
  struct {
    int64_t advertiser_id;
    int kind;
    uint64_t gen;
    size_t count;
  } counts[COUNT_CACHE];
  _Atomic int64_t last_id[N_KINDS];
  sp_born *born; /* the objects inserted since open (born.h); wlock */
  /* every parent's children (kin.h), NULL in a store beside the server,
   * which cannot see the server's inserts: it filters objects_by_advertiser
   * instead */
  sp_kin *kin;
  /* What the write connection read (wlock), kept until something could
   * make it false, which bumps memo_gen: an update (a status change or a
   * delete is one), a request's rollback, a failed commit. An insert
   * cannot: ids are never reused, and a kept answer names a row.
   *
   * probe_grandchild's answers, by grandparent: the probe reads a
   * sibling's body (an ad's 3 KB, unpacked) and was a tenth of an ad
   * create's CPU once the campaign had ads. */
  uint64_t memo_gen;
  kept_probe probe_memo[PROBE_MEMO];
  /* Campaign and ad group rows by id, as get read them: an ad create reads
   * its ad group and campaign under the lock (two statements, 7% of its
   * CPU); a client adding ads to its live ad groups reads the same few. */
  kept_row row_memo[ROW_MEMO];
  pthread_key_t rkey;
  pthread_mutex_t rlist_lock;
  conn *readers;
  /* checkpoints run here, off the request path: a checkpoint fsyncs, and
   * inside a commit it would add its disk latency to that request */
  pthread_t ckpt;
  int ckpt_running;
  pthread_mutex_t ckpt_lock;
  pthread_cond_t ckpt_cond;
  int ckpt_stop;
} sqlite_store;

/* The calling thread's deferred mode (store_defer). */
static _Thread_local struct {
  sqlite_store *s;
  store_waiter *w;
  int wrote; /* this request wrote: its reads go to the write connection */
} tl_defer;

static const int64_t id_base[N_KINDS] = {
    0,
    1840000000000000LL, /* campaign: 16 digits like live ids */
    1850000000000000LL, /* ad group */
    1860000000000000LL, /* ad */
    7380000000000000000LL, /* pixel: 19 digits */
    1870000000000000000LL, /* legacy spc campaign: 19 digits */
    1880000000000000000LL, /* legacy manual campaign: 19 digits */
    1890000000000000000LL, /* creative (ad_material_id): 19 digits */
};

static const char *schema_sql =
    "CREATE TABLE IF NOT EXISTS objects("
    " kind INTEGER NOT NULL, id INTEGER PRIMARY KEY,"
    " advertiser_id INTEGER NOT NULL, parent_id INTEGER NOT NULL DEFAULT 0,"
    " status INTEGER NOT NULL, create_time INTEGER NOT NULL,"
    " modify_time INTEGER NOT NULL, name TEXT NOT NULL DEFAULT '',"
    " body TEXT NOT NULL);"
    /* The id is the rowid: every kind's ids come from its own range
     * (id_base), so an id names one object of any kind, a get is one b-tree
     * descent and an insert touches one b-tree fewer. Databases made before
     * keep their key, PRIMARY KEY(kind, id), as a rowid table (or, older
     * still, WITHOUT ROWID, whose inserts split and rebalanced 3 KB leaf
     * cells); the same statements work on all three. */
    /* lists walk an advertiser's objects newest first and stop at the page:
     * id before status keeps the order, status in the index filters
     * without reading rows. parent_id last: the open reads every object's
     * parent from here (kin.h) without reading rows, and a store without
     * that memory (a tool beside the server) filters on it. Databases made
     * before had it without parent_id (objects_by_adv) and an index keyed
     * by parent (objects_parent, below); both are replaced at their next
     * open, once. */
    "CREATE INDEX IF NOT EXISTS objects_by_advertiser"
    " ON objects(advertiser_id, kind, id, status, parent_id);"
    "DROP INDEX IF EXISTS objects_adv;"
    "DROP INDEX IF EXISTS objects_by_adv;"
    /* No index keyed by parent: a new child went next to its siblings, so
     * a batch of ads over 1,000 ad groups touched one index page per ad,
     * written to the WAL and again by the checkpoint (a fifth of an ad
     * create's CPU). The children of a parent are known in memory (kin.h,
     * docs/internals/store.md). */
    "DROP INDEX IF EXISTS objects_parent;"
    "CREATE TABLE IF NOT EXISTS idem(advertiser_id INTEGER NOT NULL,"
    " kind INTEGER NOT NULL, request_id TEXT NOT NULL, obj_id INTEGER NOT NULL,"
    " hash INTEGER NOT NULL, PRIMARY KEY(advertiser_id, kind, request_id))"
    " WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS advertisers(id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL, allowlisted INTEGER NOT NULL,"
    " currency TEXT NOT NULL, timezone TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS tokens(token TEXT PRIMARY KEY,"
    " scopes INTEGER NOT NULL, advertisers TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    /* report rows (metrics_add / metrics_query at the end of this file) */
    "CREATE TABLE IF NOT EXISTS metrics(advertiser_id INTEGER NOT NULL,"
    " campaign_id INTEGER NOT NULL, adgroup_id INTEGER NOT NULL,"
    " ad_id INTEGER NOT NULL, material_id INTEGER NOT NULL,"
    " hour INTEGER NOT NULL, impressions INTEGER NOT NULL,"
    " clicks INTEGER NOT NULL, spend INTEGER NOT NULL,"
    " conversions INTEGER NOT NULL, conversions_raw INTEGER NOT NULL,"
    " view_through INTEGER NOT NULL,"
    " PRIMARY KEY(advertiser_id, ad_id, material_id, hour)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS metrics_by_hour ON metrics(advertiser_id, hour);";

static sp_rc db_fail(sp_err *e, sqlite3 *db, const char *what) {
  return sp_fail(e, SP_E_SYSTEM, NULL, "STORE", "store error (%s): %s", what,
                 db ? sqlite3_errmsg(db) : "no database");
}

static int prep(sqlite3 *db, const char *sql, sqlite3_stmt **st) {
  return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
}

#define OBJ_COLS \
  "kind, id, advertiser_id, parent_id, status, create_time, modify_time, name, body"

/* ---- bodies: LZ4 blocks ----
 * A body is JSON text, stored as TEXT when short and as a BLOB when LZ4
 * makes it smaller: a 4-byte little-endian length, then the LZ4 block. An
 * ad with 10 creatives is 3 KB of repeated keys that LZ4 brings to ~800
 * bytes, so each ad took most of a 4 KB page, written once to the WAL and
 * again by the checkpoint: those copies were a fifth of an ad create's CPU.
 * read_obj and the SQL function sp_body() (for queries that look inside a
 * body) take either form, so databases written before read as they were. */
#define BODY_PACK_MIN 1024 /* shorter ones (campaigns, ad groups) save a
                            * fifth at most: they stay readable text */

/* Room for b's packed form (n bytes of text), 0 if it is not packed. */
static size_t pack_room(size_t n) {
  return n < BODY_PACK_MIN || n > (size_t)LZ4_MAX_INPUT_SIZE
             ? 0
             : 4 + (size_t)LZ4_compressBound((int)n);
}

/* Pack b (n bytes) into p (pack_room(n) bytes, not 0): its length, then
 * the LZ4 block. Its length, or 0 if it does not pay. */
static int pack_into(const char *b, size_t n, char *p) {
  int bound = LZ4_compressBound((int)n);
  /* one stream per thread, reset the fast way: LZ4_compress_default zeroes
   * a fresh 16 KB table for every body. After a reset the block depends on
   * nothing before it, as LZ4_decompress_safe needs. */
  static _Thread_local LZ4_stream_t lz;
  static _Thread_local int lz_ready;
  if (!lz_ready) {
    LZ4_initStream(&lz, sizeof lz);
    lz_ready = 1;
  } else {
    LZ4_resetStream_fast(&lz);
  }
  int z = LZ4_compress_fast_continue(&lz, b, p + 4, (int)n, bound, 1);
  if (z <= 0 || (size_t)z + 4 >= n) return 0;
  unsigned char *h = (unsigned char *)p;
  h[0] = (unsigned char)n;
  h[1] = (unsigned char)(n >> 8);
  h[2] = (unsigned char)(n >> 16);
  h[3] = (unsigned char)(n >> 24);
  return z + 4;
}

/* b's packed form (malloc'd, *out_len bytes), or NULL when it is not
 * packed (insert and update of a row not packed before the lock) */
static char *body_pack(const char *b, size_t n, int *out_len) {
  size_t room = pack_room(n);
  if (!room) return NULL;
  char *p = xmalloc(room);
  if (!(*out_len = pack_into(b, n, p))) {
    free(p);
    return NULL;
  }
  return p;
}

static void sq_pack(store *st, sp_obj *o, sp_arena *a) {
  (void)st;
  size_t n = strlen(o->body), room = pack_room(n);
  if (!room) return;
  char *p = sp_arena_alloc(a, room);
  int z = pack_into(o->body, n, p);
  if (z) {
    o->packed = p;
    o->packed_len = z;
  }
}

static int64_t sq_parent_hint(store *st, int64_t id) {
  return sp_born_parent(((sqlite_store *)st)->born, id);
}

/* The text length a packed body holds, or -1 if the blob is not one. */
static long packed_len(const void *blob, int n) {
  const unsigned char *h = blob;
  if (n < 4) return -1;
  size_t len = (size_t)h[0] | (size_t)h[1] << 8 | (size_t)h[2] << 16 |
               (size_t)h[3] << 24;
  return len > (size_t)LZ4_MAX_INPUT_SIZE ? -1 : (long)len;
}

/* Its text into out (packed_len + 1 bytes), NUL-terminated: 0, or -1. */
static int body_unpack(const void *blob, int n, char *out, long len) {
  if (LZ4_decompress_safe((const char *)blob + 4, out, n - 4, (int)len) !=
      (int)len)
    return -1;
  out[len] = '\0';
  return 0;
}

/* sp_body(body): the JSON text of a body in either form */
static void sql_body(sqlite3_context *cx, int argc, sqlite3_value **argv) {
  (void)argc;
  if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
    sqlite3_result_value(cx, argv[0]);
    return;
  }
  const void *blob = sqlite3_value_blob(argv[0]);
  int n = sqlite3_value_bytes(argv[0]);
  long len = packed_len(blob, n);
  char *t = len < 0 ? NULL : sqlite3_malloc64((sqlite3_uint64)len + 1);
  if (!t || body_unpack(blob, n, t, len) != 0) {
    sqlite3_free(t);
    sqlite3_result_error(cx, "sp_body: corrupt packed body", -1);
    return;
  }
  sqlite3_result_text(cx, t, (int)len, sqlite3_free);
}

static int conn_open(conn *c, const char *path, int readonly) {
  memset(c, 0, sizeof *c);
  int flags = (readonly ? SQLITE_OPEN_READONLY
                        : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
              SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) return -1;
  sqlite3_busy_timeout(c->db, 5000);
  if (sqlite3_create_function(c->db, "sp_body", 1,
                              SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                              sql_body, NULL, NULL) != SQLITE_OK)
    return -1;
  /* 16 MB page cache per connection (default 2 MB; up to 66 connections:
   * one per I/O and worker thread): ad group and ad creates
   * read the campaign, its ad groups and ads, which missed the small cache
   * and went to pread (measured with perf) */
  sqlite3_exec(c->db, "PRAGMA cache_size=-16384",
               NULL, NULL, NULL);
  /* pages past the cache are read through a mapping, not copied by
   * pread: creates walking many ad groups missed the cache */
  sqlite3_exec(c->db, "PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
  if (!readonly) {
    if (sqlite3_exec(c->db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
      return -1;
  }
  if (prep(c->db,
           "SELECT " OBJ_COLS " FROM objects WHERE kind=?1 AND id=?2"
           " AND advertiser_id=?3",
           &c->get) ||
      prep(c->db,
           "SELECT obj_id, hash FROM idem WHERE advertiser_id=?1 AND kind=?2"
           " AND request_id=?3",
           &c->idem_get) ||
      prep(c->db, "SELECT scopes, advertisers FROM tokens WHERE token=?",
           &c->token_get) ||
      prep(c->db,
           "SELECT id, name, allowlisted, currency, timezone FROM advertisers"
           " WHERE id=?",
           &c->adv_get))
    return -1;
  if (!readonly &&
      (prep(c->db, "INSERT INTO objects(" OBJ_COLS ") VALUES(?,?,?,?,?,?,?,?,?)",
            &c->insert) ||
       prep(c->db,
            "UPDATE objects SET parent_id=?4, status=?5, modify_time=?7,"
            " name=?8, body=?9 WHERE kind=?1 AND id=?2 AND advertiser_id=?3",
            &c->update) ||
       prep(c->db,
            "INSERT INTO idem(advertiser_id, kind, request_id, obj_id, hash)"
            " VALUES(?,?,?,?,?)",
            &c->idem_put)))
    return -1;
  return 0;
}

static void conn_close(conn *c) {
  sqlite3_stmt *sts[] = {c->get,      c->insert,       c->update,
                         c->idem_get, c->idem_put,
                         c->token_get, c->adv_get};
  for (size_t i = 0; i < SP_ARRAY_LEN(sts); i++) sqlite3_finalize(sts[i]);
  for (size_t i = 0; i < STMT_CACHE; i++) {
    sqlite3_finalize(c->cache[i].st);
    free(c->cache[i].sql);
  }
  sqlite3_close(c->db);
  c->db = NULL;
}

/* A prepared statement for `sql` from the connection's cache, reset and
 * unbound, or NULL on a prepare error. */
static sqlite3_stmt *cached(conn *c, const char *sql) {
  uint64_t h = XXH3_64bits(sql, strlen(sql));
  for (size_t i = 0; i < STMT_CACHE; i++) {
    if (c->cache[i].sql && c->cache[i].hash == h &&
        strcmp(c->cache[i].sql, sql) == 0) {
      sqlite3_reset(c->cache[i].st);
      sqlite3_clear_bindings(c->cache[i].st);
      return c->cache[i].st;
    }
  }
  sqlite3_stmt *st;
  if (prep(c->db, sql, &st) != SQLITE_OK) return NULL;
  unsigned slot = c->cache_next++ % STMT_CACHE;
  sqlite3_finalize(c->cache[slot].st);
  free(c->cache[slot].sql);
  c->cache[slot].sql = xstrdup(sql);
  c->cache[slot].hash = h;
  c->cache[slot].st = st;
  return st;
}

/* The connection this thread must read with, locking if needed. */
static conn *reader_acquire(sqlite_store *s, int *locked) {
  *locked = 0;
  if (s->in_tx && pthread_equal(s->owner, pthread_self())) return &s->w;
  /* a deferred request reads its own writes, not yet committed */
  if (s->memory || (tl_defer.s == s && tl_defer.wrote)) {
    pthread_mutex_lock(&s->wlock);
    *locked = 1;
    return &s->w;
  }
  conn *c = pthread_getspecific(s->rkey);
  if (c) return c;
  c = xcalloc(1, sizeof *c);
  if (conn_open(c, s->path, 1) != 0) {
    conn_close(c);
    free(c);
    pthread_mutex_lock(&s->wlock); /* fall back to the writer */
    *locked = 1;
    return &s->w;
  }
  pthread_mutex_lock(&s->rlist_lock);
  c->next = s->readers;
  s->readers = c;
  pthread_mutex_unlock(&s->rlist_lock);
  pthread_setspecific(s->rkey, c);
  return c;
}

static void reader_release(sqlite_store *s, int locked) {
  if (locked) pthread_mutex_unlock(&s->wlock);
}

static sp_rc flush_locked(sqlite_store *s);
static void flush(sqlite_store *s);
static int exec_cached(conn *c, const char *sql);

static void *checkpointer(void *arg) {
  sqlite_store *s = arg;
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(s->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      NULL) != SQLITE_OK) {
    sqlite3_close(db);
    return NULL;
  }
  sqlite3_busy_timeout(db, 1000);
  /* The checkpoints grow the file: in 16 MB steps, not page by page. Each
   * change of its size made every connection's next transaction unmap and
   * map the file again (munmap was 2% of an ad create). */
  int chunk = 16 << 20;
  sqlite3_file_control(db, "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk);
  /* a fresh connection only learns that the database is in WAL mode from
   * its first read; until then checkpoints are no-ops */
  sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
  /* The database's and the WAL's pages stay mapped here, so that a machine
   * that drops cold file pages keeps these (resident.h). Mapping what the
   * files grew by reads nothing under the write lock: it runs here. */
  sqlite3_filename name = sqlite3_db_filename(db, "main");
  sp_resident *keep[2] = {sp_resident_new(name, RESIDENT_CAP),
                          sp_resident_new(sqlite3_filename_wal(name), RESIDENT_CAP)};
  pthread_mutex_lock(&s->ckpt_lock);
  while (!s->ckpt_stop) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += CKPT_TICK_MS * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&s->ckpt_cond, &s->ckpt_lock, &ts);
    if (s->ckpt_stop) break;
    pthread_mutex_unlock(&s->ckpt_lock);
    for (int i = 0; i < 2; i++)
      if (keep[i]) sp_resident_update(keep[i]);
    /* Copy what the WAL holds into the database, beside the writers. */
    int log = 0, done = 0;
    sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    if (log > CKPT_FRAMES) {
      /* Writers keep appending, so a checkpoint beside them never catches
       * up and the WAL never restarts (it grew to 400 MB in a benchmark,
       * and appending to new file pages costs ext4 a memset each). Pause
       * the writers for the few frames left; the next write restarts it. */
      /* The frames copied just before were fsynced; the few copied under
       * the lock are not (synchronous=OFF), so writers pause for a copy,
       * not for a disk flush. They reach the disk with the next
       * checkpoint's fsync: a process crash loses nothing (the OS has
       * them), a power cut could lose the last moments of writes. */
      sqlite3_exec(db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
      pthread_mutex_lock(&s->wlock);
      flush_locked(s);
      sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
      pthread_mutex_unlock(&s->wlock);
      sqlite3_exec(db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
    }
    pthread_mutex_lock(&s->ckpt_lock);
  }
  pthread_mutex_unlock(&s->ckpt_lock);
  for (int i = 0; i < 2; i++) sp_resident_free(keep[i]);
  sqlite3_close(db);
  return NULL;
}

/* Every object's parent, read from objects_by_advertiser without reading
 * rows (a few hundred ms for a million objects); NULL if it cannot be read,
 * and the store filters the index instead. */
static sp_kin *kin_load(sqlite3 *db) {
  sqlite3_stmt *st;
  if (prep(db,
           "SELECT parent_id, id FROM objects INDEXED BY objects_by_advertiser"
           " WHERE parent_id != 0",
           &st) != SQLITE_OK)
    return NULL;
  sp_kin *k = sp_kin_new();
  int r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW)
    sp_kin_add(k, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1));
  sqlite3_finalize(st);
  if (r != SQLITE_DONE) {
    sp_kin_free(k);
    return NULL;
  }
  return k;
}

static sp_rc sq_open(const char *path, int owner, store **out, sp_err *e) {
  sqlite_store *s = xcalloc(1, sizeof *s);
  s->base.ops = &store_sqlite_ops;
  s->memory = strcmp(path, ":memory:") == 0;
  s->path = xstrdup(path);
  pthread_mutex_init(&s->wlock, NULL);
  pthread_cond_init(&s->done_cond, NULL);
  pthread_mutex_init(&s->wq_lock, NULL);
  pthread_cond_init(&s->commit_cond, NULL);
  pthread_cond_init(&s->drained, NULL);
  s->waiters_tail = &s->waiters;
  pthread_mutex_init(&s->count_lock, NULL);
  atomic_store(&s->commit_gen, 1);
  pthread_mutex_init(&s->rlist_lock, NULL);
  pthread_key_create(&s->rkey, NULL);
  s->lock_fd = -1;
  if (owner && !s->memory) {
    /* The store keeps its sequences and what it knows of the objects it
     * made (born.h) in memory: a second server writing the same file would
     * hand out the same ids and make that knowledge wrong. */
    s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (s->lock_fd >= 0 && flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
      int busy = errno == EWOULDBLOCK;
      store_sqlite_ops.close(&s->base);
      return sp_fail(e, SP_E_SYSTEM, NULL, "STORE", "%s: %s", path,
                     busy ? "in use by another smartplusd (one server per "
                            "database file)"
                          : "cannot lock the file");
    }
  }
  if (conn_open(&s->w, path, 0) != 0) {
    sp_rc rc = db_fail(e, s->w.db, "open");
    store_sqlite_ops.close(&s->base);
    return rc;
  }
  if (!s->memory) {
    sqlite3_exec(s->w.db, "PRAGMA wal_autocheckpoint=0", NULL, NULL, NULL);
    pthread_mutex_init(&s->ckpt_lock, NULL);
    pthread_cond_init(&s->ckpt_cond, NULL);
    s->ckpt_running = pthread_create(&s->ckpt, NULL, checkpointer, s) == 0;
  }
  for (int k = 1; k < N_KINDS; k++) {
    sqlite3_stmt *st;
    s->last_id[k] = id_base[k];
    if (prep(s->w.db, "SELECT max(id) FROM objects WHERE kind=?", &st) == 0) {
      sqlite3_bind_int(st, 1, k);
      if (sqlite3_step(st) == SQLITE_ROW &&
          sqlite3_column_type(st, 0) != SQLITE_NULL &&
          sqlite3_column_int64(st, 0) > s->last_id[k])
        s->last_id[k] = sqlite3_column_int64(st, 0);
      sqlite3_finalize(st);
    }
  }
  int64_t from[N_KINDS];
  for (int k = 0; k < N_KINDS; k++) from[k] = atomic_load(&s->last_id[k]);
  s->born = sp_born_new(from, N_KINDS);
  /* The server's store knows every object written to its file: it alone
   * writes objects there (flock above), and an in-memory database has no
   * other connection. A store beside the server does not load children. */
  if (owner || s->memory) s->kin = kin_load(s->w.db);
  s->memo_gen = 1; /* every kept answer starts out stale (gen 0) */
  *out = &s->base;
  return SP_OK;
}

static void sq_close(store *st) {
  sqlite_store *s = (sqlite_store *)st;
  if (!s) return;
  if (atomic_load(&s->committer_running)) { /* commits, answers waiters */
    pthread_mutex_lock(&s->wq_lock);
    s->committer_stop = 1;
    pthread_cond_signal(&s->commit_cond);
    pthread_mutex_unlock(&s->wq_lock);
    pthread_join(s->committer, NULL);
  }
  if (s->w.db) {
    flush(s);
  }
  if (s->ckpt_running) {
    pthread_mutex_lock(&s->ckpt_lock);
    s->ckpt_stop = 1;
    pthread_cond_signal(&s->ckpt_cond);
    pthread_mutex_unlock(&s->ckpt_lock);
    pthread_join(s->ckpt, NULL);
    pthread_mutex_destroy(&s->ckpt_lock);
    pthread_cond_destroy(&s->ckpt_cond);
    /* leave a small WAL behind */
    if (s->w.db)
      sqlite3_wal_checkpoint_v2(s->w.db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
                                NULL);
  }
  conn *c = s->readers;
  while (c) {
    conn *n = c->next;
    conn_close(c);
    free(c);
    c = n;
  }
  if (s->w.db) conn_close(&s->w);
  pthread_key_delete(s->rkey);
  pthread_mutex_destroy(&s->wlock);
  pthread_cond_destroy(&s->done_cond);
  pthread_cond_destroy(&s->commit_cond);
  pthread_cond_destroy(&s->drained);
  pthread_mutex_destroy(&s->wq_lock);
  pthread_mutex_destroy(&s->count_lock);
  pthread_mutex_destroy(&s->rlist_lock);
  sp_born_free(s->born);
  sp_kin_free(s->kin);
  for (size_t i = 0; i < ROW_MEMO; i++) {
    free(s->row_memo[i].name);
    free(s->row_memo[i].body);
  }
  if (s->lock_fd >= 0) close(s->lock_fd); /* and with it the flock */
  free(s->path);
  free(s);
}

static int exec_cached(conn *c, const char *sql) {
  sqlite3_stmt *x = cached(c, sql);
  if (!x) return SQLITE_ERROR;
  int r = sqlite3_step(x);
  sqlite3_reset(x);
  return r == SQLITE_DONE ? SQLITE_OK : r;
}

/* Commit the open batch; wlock held. Returns its outcome. */
static sp_rc flush_locked(sqlite_store *s) {
  if (!s->open) return SP_OK;
  sp_rc rc = SP_OK;
  if (exec_cached(&s->w, "COMMIT") != SQLITE_OK) {
    rc = SP_E_SYSTEM;
    exec_cached(&s->w, "ROLLBACK");
    s->memo_gen++;
  }
  s->open = 0;
  atomic_store(&s->deferred, 0);
  atomic_fetch_add(&s->commit_gen, 1);
  s->results[s->gen % 64] = rc;
  atomic_store(&s->done_gen, s->gen);
  pthread_cond_broadcast(&s->done_cond);
  if (atomic_load(&s->committer_running)) {
    pthread_mutex_lock(&s->wq_lock);
    if (s->waiters && s->committer_idle) pthread_cond_signal(&s->commit_cond);
    pthread_mutex_unlock(&s->wq_lock);
  }
  return rc;
}

/* Commit the open batch, taking the lock for it. */
static void flush(sqlite_store *s) {
  pthread_mutex_lock(&s->wlock);
  flush_locked(s);
  pthread_mutex_unlock(&s->wlock);
}

/* Queue the deferred waiter for the open batch; wlock held. */
static void defer_locked(sqlite_store *s) {
  store_waiter *w = tl_defer.w;
  tl_defer.wrote = 1;
  atomic_fetch_add(&s->deferred, 1);
  pthread_mutex_lock(&s->wq_lock);
  w->gen = s->gen;
  if (!w->queued) {
    w->queued = 1;
    w->next = NULL;
    *s->waiters_tail = w;
    s->waiters_tail = &w->next;
  }
  if (s->committer_idle) pthread_cond_signal(&s->commit_cond);
  pthread_mutex_unlock(&s->wq_lock);
}

/* Unlink the waiters whose batch is committed (wq_lock held); return those
 * to call, in order. A waiter not yet armed belongs to a thread still in
 * its request: it learns the outcome from w->rc when it arms. */
static store_waiter *take_ready(sqlite_store *s) {
  uint64_t done = atomic_load(&s->done_gen);
  store_waiter *ready = NULL, **rt = &ready, **p = &s->waiters;
  while (*p) {
    store_waiter *w = *p;
    if (w->gen > done) {
      p = &w->next;
      continue;
    }
    *p = w->next;
    if (s->results[w->gen % 64] != SP_OK) w->rc = s->results[w->gen % 64];
    w->queued = 0;
    w->next = NULL;
    if (w->armed) {
      w->armed = 0;
      *rt = w;
      rt = &w->next;
    }
  }
  s->waiters_tail = p;
  return ready;
}

/* Call the fn of each waiter whose batch is committed; wq_lock held (and
 * released meanwhile). Returns whether there were any. */
static int answer_ready(sqlite_store *s) {
  store_waiter *ready = take_ready(s);
  pthread_cond_broadcast(&s->drained);
  if (!ready) return 0;
  s->calling++;
  pthread_mutex_unlock(&s->wq_lock);
  while (ready) {
    store_waiter *n = ready->next;
    ready->fn(ready); /* may free ready */
    ready = n;
  }
  pthread_mutex_lock(&s->wq_lock);
  s->calling--;
  pthread_cond_broadcast(&s->drained);
  return 1;
}

static void *committer(void *arg) {
  sqlite_store *s = arg;
  pthread_mutex_lock(&s->wq_lock);
  for (;;) {
    if (atomic_load(&s->deferred) > 0) {
      /* Let the batch grow while requests keep joining it: commit once the
       * I/O threads have gone quiet for a moment (they have read every
       * request that was waiting), or the batch is big or old enough. */
      pthread_mutex_unlock(&s->wq_lock);
      int64_t t0 = sp_mono_ns();
      for (;;) {
        int before = atomic_load(&s->deferred);
        /* the server says no write worth waiting for can join (an I/O
         * thread has only waiters left: a client sending one create at a
         * time, wrk -c1 on campaign create, went 3.0k -> 5.9k req/s) */
        if (s->stuck && s->stuck(s->stuck_arg)) break;
        nanosleep(&(struct timespec){0, COMMIT_QUIET_NS}, NULL);
        int now = atomic_load(&s->deferred);
        if (now <= before || now >= MAX_BATCH ||
            sp_mono_ns() - t0 >= COMMIT_MAX_WAIT_NS)
          break;
      }
      flush(s);
      pthread_mutex_lock(&s->wq_lock);
    }
    if (answer_ready(s)) continue;
    if (atomic_load(&s->deferred) > 0) continue;
    if (s->committer_stop && !s->waiters) break;
    s->committer_idle = 1;
    pthread_cond_wait(&s->commit_cond, &s->wq_lock);
    s->committer_idle = 0;
  }
  pthread_mutex_unlock(&s->wq_lock);
  return NULL;
}

static void sq_defer_stuck(store *st, int (*stuck)(void *), void *arg) {
  sqlite_store *s = (sqlite_store *)st;
  s->stuck_arg = arg;
  s->stuck = stuck;
}

static int sq_defer(store *st, store_waiter *w) {
  sqlite_store *s = (sqlite_store *)st;
  if (w) {
    if (!atomic_load(&s->committer_running)) {
      pthread_mutex_lock(&s->wq_lock);
      if (!atomic_load(&s->committer_running) && !s->committer_stop)
        atomic_store(&s->committer_running,
                     pthread_create(&s->committer, NULL, committer, s) == 0);
      pthread_mutex_unlock(&s->wq_lock);
      if (!atomic_load(&s->committer_running))
        return 0; /* no thread: commits stay synchronous */
    }
    w->queued = w->armed = 0;
    w->rc = SP_OK;
    tl_defer.s = s;
    tl_defer.w = w;
    tl_defer.wrote = 0;
    return 0;
  }
  if (tl_defer.s != s) return 0;
  int wait = 0;
  if (tl_defer.wrote) {
    pthread_mutex_lock(&s->wq_lock);
    wait = tl_defer.w->armed = tl_defer.w->queued; /* else committed: w->rc */
    pthread_mutex_unlock(&s->wq_lock);
  }
  tl_defer.s = NULL;
  tl_defer.w = NULL;
  tl_defer.wrote = 0;
  return wait;
}

static void sq_commit_now(store *st) {
  sqlite_store *s = (sqlite_store *)st;
  flush(s);
  pthread_mutex_lock(&s->wq_lock);
  answer_ready(s);
  /* the committer may have taken some of them first: wait for its pass */
  while (s->calling) pthread_cond_wait(&s->drained, &s->wq_lock);
  pthread_mutex_unlock(&s->wq_lock);
}

static void sq_drain(store *st) {
  sqlite_store *s = (sqlite_store *)st;
  flush(s);
  pthread_mutex_lock(&s->wq_lock);
  while (s->waiters || s->calling) {
    if (s->committer_idle) pthread_cond_signal(&s->commit_cond);
    pthread_cond_wait(&s->drained, &s->wq_lock);
  }
  pthread_mutex_unlock(&s->wq_lock);
}

static sp_rc sq_write_begin(store *st, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  atomic_fetch_add(&s->waiting, 1);
  if (tl_defer.s == s) {
    /* An I/O thread: the other one holds the lock for a few tens of us.
     * Sleeping on the mutex cost a futex wait, a wake-up and two context
     * switches each time (a tenth of an ad group create); yielding the
     * core (to wrk, the committer, the other thread) until the lock is
     * free gave 10-20% more creates per second in paired runs of
     * bench/create_cpu.sh. After WRITE_LOCK_YIELDS tries it sleeps. */
    int n = 0;
    while (pthread_mutex_trylock(&s->wlock) != 0) {
      if (++n > WRITE_LOCK_YIELDS) {
        pthread_mutex_lock(&s->wlock);
        break;
      }
      sched_yield();
    }
  } else {
    pthread_mutex_lock(&s->wlock);
  }
  atomic_fetch_sub(&s->waiting, 1);
  if (!s->open) {
    if (exec_cached(&s->w, "BEGIN IMMEDIATE") != SQLITE_OK) {
      sp_rc rc = db_fail(e, s->w.db, "begin");
      pthread_mutex_unlock(&s->wlock);
      return rc;
    }
    s->open = 1;
    s->gen++;
    s->batch_n = 0;
  }
  if (exec_cached(&s->w, "SAVEPOINT req") != SQLITE_OK) {
    sp_rc rc = db_fail(e, s->w.db, "savepoint");
    flush_locked(s);
    pthread_mutex_unlock(&s->wlock);
    return rc;
  }
  s->owner = pthread_self();
  s->in_tx = 1;
  return SP_OK;
}

/* End this request's part of the batch (kept or undone), then make sure the
 * batch is committed before returning: commit it now if nobody else is
 * about to write, else wait for the one who will. */
static sp_rc finish(sqlite_store *s, int keep, sp_err *e) {
  int want = keep;
  if (keep) {
    if (exec_cached(&s->w, "RELEASE req") != SQLITE_OK) keep = 0;
    else s->batch_n++;
  }
  if (!keep) {
    exec_cached(&s->w, "ROLLBACK TO req");
    exec_cached(&s->w, "RELEASE req");
    s->memo_gen++;
  }
  s->in_tx = 0;
  sp_rc rc = SP_OK;
  if (tl_defer.s == s) {
    defer_locked(s); /* the committer commits; the caller waits on w */
  } else if (atomic_load(&s->waiting) == 0 || s->batch_n >= MAX_BATCH) {
    rc = flush_locked(s);
  } else {
    uint64_t my = s->gen;
    while (s->done_gen < my) pthread_cond_wait(&s->done_cond, &s->wlock);
    rc = s->results[my % 64];
  }
  pthread_mutex_unlock(&s->wlock);
  if (want && !keep)
    return sp_fail(e, SP_E_SYSTEM, NULL, "STORE", "store error (release)");
  if (rc != SP_OK && keep)
    return sp_fail(e, SP_E_SYSTEM, NULL, "STORE", "store error (commit)");
  return keep ? SP_OK : rc;
}

static sp_rc sq_commit(store *st, sp_err *e) {
  return finish((sqlite_store *)st, 1, e);
}

static void sq_rollback(store *st) {
  sp_err ignore;
  finish((sqlite_store *)st, 0, &ignore);
}

static sp_rc sq_next_id(store *st, sp_kind kind, int64_t *out, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  if ((int)kind <= 0 || (int)kind >= N_KINDS)
    return sp_fail(e, SP_E_SYSTEM, NULL, "STORE", "bad kind %d", (int)kind);
  *out = atomic_fetch_add(&s->last_id[kind], 1) + 1;
  return SP_OK;
}

static sp_rc sq_seq_cover(store *st, sp_kind kind, sp_kind in,
                          const char *array, const char *key, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  if ((int)kind <= 0 || (int)kind >= N_KINDS)
    return sp_fail(e, SP_E_SYSTEM, NULL, "STORE", "bad kind %d", (int)kind);
  sqlite3_stmt *x;
  pthread_mutex_lock(&s->wlock);
  if (prep(s->w.db,
           "SELECT max(CAST(json_extract(j.value, '$.' || ?3) AS INTEGER))"
           " FROM objects o, json_each(sp_body(o.body), '$.' || ?2) j"
           " WHERE o.kind = ?1",
           &x) != SQLITE_OK) {
    sp_rc rc = db_fail(e, s->w.db, "seq cover");
    pthread_mutex_unlock(&s->wlock);
    return rc;
  }
  sqlite3_bind_int(x, 1, (int)in);
  sqlite3_bind_text(x, 2, array, -1, SQLITE_STATIC);
  sqlite3_bind_text(x, 3, key, -1, SQLITE_STATIC);
  sp_rc rc = SP_OK;
  int r = sqlite3_step(x);
  if (r == SQLITE_ROW) {
    int64_t top = sqlite3_column_int64(x, 0);
    if (top > atomic_load(&s->last_id[kind])) atomic_store(&s->last_id[kind], top);
  } else if (r != SQLITE_DONE) {
    rc = db_fail(e, s->w.db, "seq cover");
  }
  sqlite3_finalize(x);
  pthread_mutex_unlock(&s->wlock);
  return rc;
}

static void bind_obj(sqlite3_stmt *st, const sp_obj *o) {
  sqlite3_bind_int(st, 1, o->kind);
  sqlite3_bind_int64(st, 2, o->id);
  sqlite3_bind_int64(st, 3, o->advertiser_id);
  sqlite3_bind_int64(st, 4, o->parent_id);
  sqlite3_bind_int(st, 5, (int)o->status);
  sqlite3_bind_int64(st, 6, o->create_time);
  sqlite3_bind_int64(st, 7, o->modify_time);
  sqlite3_bind_text(st, 8, o->name ? o->name : "", -1, SQLITE_STATIC);
  if (o->packed) {
    sqlite3_bind_blob(st, 9, o->packed, o->packed_len, SQLITE_STATIC);
    return;
  }
  size_t n = strlen(o->body);
  int z;
  char *p = body_pack(o->body, n, &z);
  if (p) sqlite3_bind_blob(st, 9, p, z, free); /* freed when unbound */
  else sqlite3_bind_text(st, 9, o->body, (int)n, SQLITE_STATIC);
}

static sp_rc run_write(sqlite_store *s, sqlite3_stmt *st, const char *what,
                       sp_err *e) {
  int r = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (r != SQLITE_DONE) return db_fail(e, s->w.db, what);
  return SP_OK;
}

static sp_rc sq_insert(store *st, const sp_obj *o, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  bind_obj(s->w.insert, o);
  sp_rc rc = run_write(s, s->w.insert, "insert", e);
  if (rc == SP_OK) {
    sp_born_note(s->born, o->kind, o->id, o->parent_id);
    sp_kin_add(s->kin, o->parent_id, o->id);
  }
  return rc;
}

static sp_rc sq_update(store *st, const sp_obj *o, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  bind_obj(s->w.update, o);
  sqlite3_bind_null(s->w.update, 6);
  sp_rc rc = run_write(s, s->w.update, "update", e);
  s->memo_gen++;
  if (rc == SP_OK && sqlite3_changes(s->w.db) != 1)
    return sp_fail(e, SP_E_NOT_FOUND, NULL, "STORE", "object %lld not found",
                   (long long)o->id);
  if (rc == SP_OK) {
    sp_born_note(s->born, o->kind, o->id, o->parent_id);
    sp_kin_add(s->kin, o->parent_id, o->id);
  }
  return rc;
}

static void read_obj(sqlite3_stmt *st, sp_arena *a, sp_obj *o) {
  o->kind = (sp_kind)sqlite3_column_int(st, 0);
  o->id = sqlite3_column_int64(st, 1);
  o->advertiser_id = sqlite3_column_int64(st, 2);
  o->parent_id = sqlite3_column_int64(st, 3);
  o->packed = NULL; /* a caller may change the body and write the row back */
  o->packed_len = 0;
  o->status = (sp_status)sqlite3_column_int(st, 4);
  o->create_time = sqlite3_column_int64(st, 5);
  o->modify_time = sqlite3_column_int64(st, 6);
  o->name = sp_arena_strndup(a, (const char *)sqlite3_column_text(st, 7),
                             (size_t)sqlite3_column_bytes(st, 7));
  o->body = NULL;
  if (sqlite3_column_type(st, 8) == SQLITE_BLOB) {
    const void *blob = sqlite3_column_blob(st, 8);
    int n = sqlite3_column_bytes(st, 8);
    long len = packed_len(blob, n);
    char *t = len < 0 ? NULL : sp_arena_alloc(a, (size_t)len + 1);
    if (t && body_unpack(blob, n, t, len) == 0) o->body = t;
  }
  if (!o->body) /* text, or (never written by us) a foreign blob */
    o->body = sp_arena_strndup(a, (const char *)sqlite3_column_text(st, 8),
                               (size_t)sqlite3_column_bytes(st, 8));
}

/* A memo's slot for an id (of 2^bits): ids of different kinds share their
 * low bits (the bases of id_base differ by multiples of 2^13), so they are
 * mixed first. */
static size_t memo_slot(int64_t id, int bits) {
  return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> (64 - bits));
}

/* Copy t into *buf (room for *cap bytes), growing it when t does not fit. */
static void keep_str(char **buf, size_t *cap, const char *t) {
  size_t n = strlen(t) + 1;
  if (n > *cap) {
    free(*buf);
    *buf = xmalloc(n);
    *cap = n;
  }
  memcpy(*buf, t, n);
}

/* The kinds whose rows row_memo keeps: campaigns and ad groups, the rows
 * every ad create reads (ad rows are not kept). */
static int row_kept_kind(sp_kind kind) {
  return kind == SP_KIND_CAMPAIGN || kind == SP_KIND_ADGROUP;
}

/* Keep a campaign's or an ad group's row read on the write connection. */
static void row_keep(sqlite_store *s, const sp_obj *o) {
  if (!row_kept_kind(o->kind)) return;
  kept_row *m = &s->row_memo[memo_slot(o->id, ROW_MEMO_BITS)];
  keep_str(&m->name, &m->name_len, o->name);
  keep_str(&m->body, &m->body_len, o->body);
  m->o = *o;
  m->o.name = m->name;
  m->o.body = m->body;
  m->gen = s->memo_gen;
}

/* A kept row still true, copied into a: 1; else 0. */
static int row_kept(sqlite_store *s, sp_kind kind, int64_t adv, int64_t id,
                    sp_arena *a, sp_obj *out) {
  if (!row_kept_kind(kind)) return 0;
  kept_row *m = &s->row_memo[memo_slot(id, ROW_MEMO_BITS)];
  if (m->gen != s->memo_gen || m->o.id != id || m->o.kind != kind ||
      m->o.advertiser_id != adv)
    return 0;
  *out = m->o;
  out->name = sp_arena_strdup(a, m->name);
  out->body = sp_arena_strdup(a, m->body);
  return 1;
}

static sp_rc sq_get(store *st, sp_kind kind, int64_t adv, int64_t id,
                    sp_arena *a, sp_obj *out, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  int locked;
  conn *c = reader_acquire(s, &locked);
  if (c == &s->w && row_kept(s, kind, adv, id, a, out)) {
    reader_release(s, locked);
    return SP_OK;
  }
  sqlite3_bind_int(c->get, 1, kind);
  sqlite3_bind_int64(c->get, 2, id);
  sqlite3_bind_int64(c->get, 3, adv);
  int r = sqlite3_step(c->get);
  sp_rc rc = SP_OK;
  if (r == SQLITE_ROW) {
    read_obj(c->get, a, out);
    if (c == &s->w) row_keep(s, out);
  } else if (r == SQLITE_DONE)
    rc = sp_fail(e, SP_E_NOT_FOUND, NULL, "STORE", "object %lld not found",
                 (long long)id);
  else
    rc = db_fail(e, c->db, "get");
  sqlite3_reset(c->get);
  reader_release(s, locked);
  return rc;
}

/* On a read connection outside a transaction, BEGIN one, so that several
 * statements read one snapshot: 1 if it did (read_end ends it). */
static int read_begin(sqlite_store *s, conn *c) {
  if (c == &s->w || !sqlite3_get_autocommit(c->db)) return 0;
  sqlite3_stmt *b = cached(c, "BEGIN");
  return b && sqlite3_step(b) == SQLITE_DONE;
}

static void read_end(conn *c) {
  sqlite3_stmt *x = cached(c, "COMMIT");
  if (x) sqlite3_step(x);
  if (x) sqlite3_reset(x);
}

/* On a read connection inside a BEGIN, take the snapshot (a first read):
 * every child a commit made visible to it was added to s->kin before that
 * commit, so children read from s->kin afterwards miss none of them. */
static sp_rc kin_snapshot(sqlite_store *s, conn *c, sp_err *e) {
  if (c == &s->w) return SP_OK; /* no other writer */
  sqlite3_stmt *x = cached(c, "SELECT 1 FROM sqlite_master LIMIT 1");
  int r = x ? sqlite3_step(x) : SQLITE_ERROR;
  if (x) sqlite3_reset(x);
  return r == SQLITE_ROW || r == SQLITE_DONE ? SP_OK
                                             : db_fail(e, c->db, "snapshot");
}

/* probe_grandchild with the children in memory: the grandparent's
 * children newest first, each checked against its row (live, of
 * parent_kind, still under grandparent), then theirs, until a live one
 * (other than exclude) is found. On a read connection, in one snapshot. */
static sp_rc probe_kin(sqlite_store *s, conn *c, sp_kind kind,
                       sp_kind parent_kind, int64_t adv, int64_t grandparent,
                       int64_t exclude, const char *needle, int *found,
                       int *has, int64_t *row, sp_err *e) {
  int in_read_tx = read_begin(s, c);
  sp_rc rc = kin_snapshot(s, c, e);
  sqlite3_stmt *live = NULL, *body = NULL;
  int64_t *ps = NULL;
  size_t np = 0;
  if (!rc) {
    live = cached(c, "SELECT 1 FROM objects WHERE id = ?1 AND kind = ?2 AND "
                     "advertiser_id = ?3 AND parent_id = ?4 AND status < 2");
    body = cached(c, "SELECT instr(sp_body(body), ?5) > 0 FROM objects WHERE "
                     "id = ?1 AND kind = ?2 AND advertiser_id = ?3 AND "
                     "parent_id = ?4 AND status < 2");
    if (!live || !body) rc = db_fail(e, c->db, "probe");
    else np = sp_kin_children(s->kin, &grandparent, 1, &ps);
  }
  for (size_t i = np; !rc && !*found && i-- > 0;) {
    sqlite3_reset(live);
    sqlite3_bind_int64(live, 1, ps[i]);
    sqlite3_bind_int(live, 2, parent_kind);
    sqlite3_bind_int64(live, 3, adv);
    sqlite3_bind_int64(live, 4, grandparent);
    int r = sqlite3_step(live);
    if (r == SQLITE_DONE) continue;
    if (r != SQLITE_ROW) {
      rc = db_fail(e, c->db, "probe");
      break;
    }
    int64_t *ks;
    size_t nk = sp_kin_children(s->kin, &ps[i], 1, &ks);
    for (size_t j = nk; !*found && j-- > 0;) {
      if (ks[j] == exclude) continue;
      sqlite3_reset(body);
      sqlite3_bind_int64(body, 1, ks[j]);
      sqlite3_bind_int(body, 2, kind);
      sqlite3_bind_int64(body, 3, adv);
      sqlite3_bind_int64(body, 4, ps[i]);
      sqlite3_bind_text(body, 5, needle, -1, SQLITE_STATIC);
      r = sqlite3_step(body);
      if (r == SQLITE_ROW) {
        *found = 1;
        *has = sqlite3_column_int(body, 0);
        *row = ks[j];
      } else if (r != SQLITE_DONE) {
        rc = db_fail(e, c->db, "probe");
        break;
      }
    }
    free(ks);
  }
  free(ps);
  if (live) sqlite3_reset(live);
  if (body) sqlite3_reset(body);
  if (in_read_tx) read_end(c);
  return rc;
}

static sp_rc sq_probe_grandchild(store *st, sp_kind kind, sp_kind parent_kind,
                                 int64_t adv, int64_t grandparent,
                                 int64_t exclude, const char *needle,
                                 int *found, int *has, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  int locked;
  conn *c = reader_acquire(s, &locked);
  *found = *has = 0;
  /* on the write connection no insert can come between the answer and the
   * caller's: a grandparent made this session without grandchildren needs
   * no query */
  if (c == &s->w && sp_born_childless(s->born, grandparent, 2)) {
    reader_release(s, locked);
    return SP_OK;
  }
  /* a kept answer still true, naming another grandchild than `exclude` */
  kept_probe *m = &s->probe_memo[memo_slot(grandparent, PROBE_MEMO_BITS)];
  int keep = c == &s->w && strlen(needle) < PROBE_NEEDLE;
  if (keep && m->gen == s->memo_gen && m->grandparent == grandparent &&
      m->advertiser_id == adv && m->kind == (int)kind &&
      m->parent_kind == (int)parent_kind && m->row != exclude &&
      strcmp(m->needle, needle) == 0) {
    *found = 1;
    *has = m->has;
    reader_release(s, locked);
    return SP_OK;
  }
  sp_rc rc = SP_OK;
  int64_t row = 0;
  if (s->kin) {
    rc = probe_kin(s, c, kind, parent_kind, adv, grandparent, exclude, needle,
                   found, has, &row, e);
  } else {
    /* a store beside the server: each side a walk of the advertiser's
     * objects of its kind on objects_by_advertiser, without reading rows
     * but the answer's */
    sqlite3_stmt *x = cached(
        c, "SELECT instr(sp_body(k.body), ?6) > 0, k.id FROM objects AS k "
           "INDEXED BY objects_by_advertiser WHERE k.advertiser_id = ?1 AND "
           "k.kind = ?2 AND k.status < 2 AND k.id != ?5 AND k.parent_id IN "
           "(SELECT p.id FROM objects AS p INDEXED BY objects_by_advertiser "
           "WHERE p.advertiser_id = ?1 AND p.kind = ?3 AND p.status < 2 AND "
           "p.parent_id = ?4) LIMIT 1");
    if (!x) {
      rc = db_fail(e, c->db, "probe");
    } else {
      sqlite3_bind_int64(x, 1, adv);
      sqlite3_bind_int(x, 2, kind);
      sqlite3_bind_int(x, 3, parent_kind);
      sqlite3_bind_int64(x, 4, grandparent);
      sqlite3_bind_int64(x, 5, exclude);
      sqlite3_bind_text(x, 6, needle, -1, SQLITE_STATIC);
      int r = sqlite3_step(x);
      if (r == SQLITE_ROW) {
        *found = 1;
        *has = sqlite3_column_int(x, 0);
        row = sqlite3_column_int64(x, 1);
      } else if (r != SQLITE_DONE) {
        rc = db_fail(e, c->db, "probe");
      }
      sqlite3_reset(x);
    }
  }
  if (rc == SP_OK && *found && keep) {
    *m = (kept_probe){s->memo_gen, grandparent, adv, row, (int)kind,
                      (int)parent_kind, *has, ""};
    strcpy(m->needle, needle);
  }
  reader_release(s, locked);
  return rc;
}

static void append(char *buf, size_t n, const char *s) {
  size_t l = strlen(buf);
  snprintf(buf + l, n - l, "%s", s);
}

/* The children of parents known in memory, as a JSON array of ids
 * (malloc'd), for statements on c inside the caller's BEGIN (kin_snapshot
 * says why they miss none). */
static sp_rc kin_ids(sqlite_store *s, conn *c, const int64_t *parents,
                     size_t n, char **json, sp_err *e) {
  *json = NULL;
  sp_rc rc = kin_snapshot(s, c, e);
  if (rc) return rc;
  int64_t *ids;
  size_t m = sp_kin_children(s->kin, parents, n, &ids);
  char *j = xmalloc(m * 21 + 3), *p = j;
  *p++ = '[';
  for (size_t i = 0; i < m; i++) {
    if (i) *p++ = ',';
    p += sp_fmt_i64(p, ids[i]);
  }
  *p++ = ']';
  *p = '\0';
  free(ids);
  *json = j;
  return SP_OK;
}

static sp_rc sq_list(store *st, const sp_query *q, sp_arena *a, sp_obj **out,
                     size_t *n_out, size_t *total, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  unsigned mask = q->status_mask ? q->status_mask : SP_STM_NOT_DELETED;
  char where[4096] = "advertiser_id=?1 AND kind=?2";
  char tmp[64];
  /* comparisons, not IN (...): SQLite builds an ephemeral table for every
   * IN list it runs (a third of a GET's instructions, by callgrind) */
  if (mask == SP_STM_NOT_DELETED) {
    append(where, sizeof where, " AND status < 2");
  } else if (mask != SP_STM_ALL) {
    append(where, sizeof where, " AND (0");
    for (int i = 0; i < 3; i++)
      if (mask & (1u << i)) {
        snprintf(tmp, sizeof tmp, " OR status = %d", i);
        append(where, sizeof where, tmp);
      }
    append(where, sizeof where, ")");
  }
  int next = 3;
  if (q->n_ids) {
    append(where, sizeof where, " AND id IN (");
    for (size_t i = 0; i < q->n_ids && i < 200; i++) {
      snprintf(tmp, sizeof tmp, "%s?%d", i ? "," : "", next++);
      append(where, sizeof where, tmp);
    }
    append(where, sizeof where, ")");
  }
  int kin_idx = 0;
  if (q->n_parents) {
    append(where, sizeof where, " AND parent_id IN (");
    for (size_t i = 0; i < q->n_parents && i < 200; i++) {
      snprintf(tmp, sizeof tmp, "%s?%d", i ? "," : "", next++);
      append(where, sizeof where, tmp);
    }
    append(where, sizeof where, ")");
    /* the parents' children known in memory, as a JSON array: the rows
     * are found by id, and the terms above keep those this snapshot has */
    if (s->kin) {
      kin_idx = next++;
      snprintf(tmp, sizeof tmp, " AND id IN (SELECT value FROM json_each(?%d))",
               kin_idx);
      append(where, sizeof where, tmp);
    }
  }
  int name_idx = 0, from_idx = 0, to_idx = 0;
  if (q->name_contains) {
    name_idx = next++;
    snprintf(tmp, sizeof tmp, " AND instr(lower(name), lower(?%d)) > 0",
             name_idx);
    append(where, sizeof where, tmp);
  }
  if (q->created_from) {
    from_idx = next++;
    snprintf(tmp, sizeof tmp, " AND create_time >= ?%d", from_idx);
    append(where, sizeof where, tmp);
  }
  if (q->created_to) {
    to_idx = next++;
    snprintf(tmp, sizeof tmp, " AND create_time <= ?%d", to_idx);
    append(where, sizeof where, tmp);
  }

  char sql_count[4400], sql_rows[4600];
  /* Without statistics the planner prefers walking the primary key (all
   * advertisers' objects of the kind, in id order); name the index that
   * starts with the advertiser unless ids are given (by the caller, or as
   * a parent's children). */
  const char *hint = q->n_ids || kin_idx ? ""
                                        : " INDEXED BY objects_by_advertiser";
  snprintf(sql_count, sizeof sql_count,
           "SELECT count(*) FROM objects%s WHERE %s", hint, where);
  snprintf(sql_rows, sizeof sql_rows,
           "SELECT " OBJ_COLS " FROM objects%s WHERE %s ORDER BY id %s"
           " LIMIT ?%d OFFSET ?%d",
           hint, where, q->oldest_first ? "ASC" : "DESC", next, next + 1);

  int locked;
  conn *c = reader_acquire(s, &locked);
  sp_rc rc = SP_OK;
  sqlite3_stmt *sc = NULL, *sr = NULL;
  int in_read_tx = 0;
  /* the children of parents made this session that never had one (a new
   * ad group's siblings in a new campaign): none, without a query. Only on
   * the write connection, where no insert comes in between. */
  if (q->n_parents && q->n_parents <= 200 && c == &s->w) {
    size_t i = 0;
    while (i < q->n_parents && sp_born_childless(s->born, q->parents[i], 1)) i++;
    if (i == q->n_parents) {
      *out = sp_arena_alloc(a, sizeof **out);
      *n_out = 0;
      *total = 0;
      reader_release(s, locked);
      return SP_OK;
    }
  }
  /* read before the snapshot is taken: a count computed now is valid for
   * this generation at least */
  uint64_t gen0 = atomic_load(&s->commit_gen);
  in_read_tx = read_begin(s, c); /* one snapshot for the count and the rows */
  char *kin_json = NULL;
  if (kin_idx && (rc = kin_ids(s, c, q->parents,
                               q->n_parents < 200 ? q->n_parents : 200,
                               &kin_json, e)))
    goto out;
  if (!(sc = cached(c, sql_count)) || !(sr = cached(c, sql_rows))) {
    rc = db_fail(e, c->db, "list");
    goto out;
  }
  sqlite3_stmt *both[2] = {sc, sr};
  for (int k = 0; k < 2; k++) {
    sqlite3_stmt *x = both[k];
    sqlite3_bind_int64(x, 1, q->advertiser_id);
    sqlite3_bind_int(x, 2, q->kind);
    int idx = 3;
    for (size_t i = 0; i < q->n_ids && i < 200; i++)
      sqlite3_bind_int64(x, idx++, q->ids[i]);
    for (size_t i = 0; i < q->n_parents && i < 200; i++)
      sqlite3_bind_int64(x, idx++, q->parents[i]);
    if (name_idx) sqlite3_bind_text(x, name_idx, q->name_contains, -1, SQLITE_STATIC);
    if (from_idx) sqlite3_bind_int64(x, from_idx, q->created_from);
    if (to_idx) sqlite3_bind_int64(x, to_idx, q->created_to);
    if (kin_idx) sqlite3_bind_text(x, kin_idx, kin_json, -1, SQLITE_STATIC);
  }
  sqlite3_bind_int64(sr, next, q->limit ? (sqlite3_int64)q->limit : -1);
  sqlite3_bind_int64(sr, next + 1, (sqlite3_int64)q->offset);
  /* the unfiltered count may come from the cache (see counts[]) */
  int plain = !q->n_ids && !q->n_parents && !q->name_contains &&
              !q->created_from && !q->created_to && mask == SP_STM_NOT_DELETED;
  size_t slot = ((uint64_t)q->advertiser_id * 31 + (uint64_t)q->kind) % COUNT_CACHE;
  int cached_count = 0;
  if (q->skip_total) {
    *total = 0;
    cached_count = 1;
  } else if (plain && c != &s->w) {
    pthread_mutex_lock(&s->count_lock);
    if (s->counts[slot].gen == gen0 && s->counts[slot].advertiser_id == q->advertiser_id &&
        s->counts[slot].kind == (int)q->kind) {
      *total = s->counts[slot].count;
      cached_count = 1;
    }
    pthread_mutex_unlock(&s->count_lock);
  }
  if (!cached_count) {
    if (sqlite3_step(sc) != SQLITE_ROW) {
      rc = db_fail(e, c->db, "count");
      goto out;
    }
    *total = (size_t)sqlite3_column_int64(sc, 0);
    if (plain && c != &s->w) {
      pthread_mutex_lock(&s->count_lock);
      s->counts[slot].advertiser_id = q->advertiser_id;
      s->counts[slot].kind = (int)q->kind;
      s->counts[slot].gen = gen0;
      s->counts[slot].count = *total;
      pthread_mutex_unlock(&s->count_lock);
    }
  }
  size_t cap = 16, n = 0;
  sp_obj *rows = sp_arena_alloc(a, cap * sizeof *rows);
  int r;
  while ((r = sqlite3_step(sr)) == SQLITE_ROW) {
    if (n == cap) {
      sp_obj *bigger = sp_arena_alloc(a, 2 * cap * sizeof *rows);
      memcpy(bigger, rows, n * sizeof *rows);
      rows = bigger;
      cap *= 2;
    }
    read_obj(sr, a, &rows[n++]);
  }
  if (r != SQLITE_DONE) {
    rc = db_fail(e, c->db, "list rows");
    goto out;
  }
  *out = rows;
  *n_out = n;
out:
  if (sc) sqlite3_reset(sc);
  if (sr) sqlite3_reset(sr);
  if (in_read_tx) read_end(c);
  free(kin_json);
  reader_release(s, locked);
  return rc;
}

static sp_rc sq_idem_get(store *st, int64_t adv, sp_kind kind, const char *rid,
                         int64_t *id, uint64_t *hash, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  int locked;
  conn *c = reader_acquire(s, &locked);
  sqlite3_bind_int64(c->idem_get, 1, adv);
  sqlite3_bind_int(c->idem_get, 2, kind);
  sqlite3_bind_text(c->idem_get, 3, rid, -1, SQLITE_STATIC);
  int r = sqlite3_step(c->idem_get);
  sp_rc rc = SP_OK;
  if (r == SQLITE_ROW) {
    *id = sqlite3_column_int64(c->idem_get, 0);
    *hash = (uint64_t)sqlite3_column_int64(c->idem_get, 1);
  } else if (r == SQLITE_DONE) {
    rc = SP_E_NOT_FOUND;
    if (e) e->code = SP_E_NOT_FOUND;
  } else {
    rc = db_fail(e, c->db, "idem get");
  }
  sqlite3_reset(c->idem_get);
  reader_release(s, locked);
  return rc;
}

static sp_rc sq_idem_put(store *st, int64_t adv, sp_kind kind, const char *rid,
                         int64_t id, uint64_t hash, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  sqlite3_stmt *x = s->w.idem_put;
  sqlite3_bind_int64(x, 1, adv);
  sqlite3_bind_int(x, 2, kind);
  sqlite3_bind_text(x, 3, rid, -1, SQLITE_STATIC);
  sqlite3_bind_int64(x, 4, id);
  sqlite3_bind_int64(x, 5, (int64_t)hash);
  return run_write(s, x, "idem put", e);
}

/* ---- advertisers, tokens, meta: rare, so plain prepared-on-use ---- */

static sp_rc simple_exec(sqlite_store *s, const char *sql, sp_err *e,
                         void (*bind)(sqlite3_stmt *, const void *),
                         const void *arg) {
  sqlite3_stmt *st;
  int lock = !(s->in_tx && pthread_equal(s->owner, pthread_self()));
  if (lock) {
    pthread_mutex_lock(&s->wlock);
    flush_locked(s); /* admin writes are not batched */
  }
  sp_rc rc;
  if (sqlite3_prepare_v2(s->w.db, sql, -1, &st, NULL) != SQLITE_OK) {
    rc = db_fail(e, s->w.db, "prepare");
  } else {
    bind(st, arg);
    int r = sqlite3_step(st);
    rc = r == SQLITE_DONE ? SP_OK : db_fail(e, s->w.db, "write");
    sqlite3_finalize(st);
  }
  if (lock) pthread_mutex_unlock(&s->wlock);
  return rc;
}

static void bind_adv(sqlite3_stmt *st, const void *arg) {
  const sp_advertiser *a = arg;
  sqlite3_bind_int64(st, 1, a->id);
  sqlite3_bind_text(st, 2, a->name ? a->name : "", -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 3, a->allowlisted);
  sqlite3_bind_text(st, 4, a->currency ? a->currency : "USD", -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, a->timezone ? a->timezone : "UTC", -1, SQLITE_STATIC);
}

static sp_rc sq_advertiser_put(store *st, const sp_advertiser *adv, sp_err *e) {
  return simple_exec((sqlite_store *)st,
                     "INSERT OR REPLACE INTO advertisers(id, name, allowlisted,"
                     " currency, timezone) VALUES(?,?,?,?,?)",
                     e, bind_adv, adv);
}

/* Every advertiser's id, ascending (the simulator runs them all). */
static sp_rc sq_advertiser_list(store *st, sp_arena *a, int64_t **ids,
                                size_t *n, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  int locked;
  conn *c = reader_acquire(s, &locked);
  sqlite3_stmt *x = cached(c, "SELECT id FROM advertisers ORDER BY id");
  sp_rc rc = SP_OK;
  size_t cap = 16;
  *n = 0;
  *ids = sp_arena_alloc(a, cap * sizeof **ids);
  int r;
  while (x && (r = sqlite3_step(x)) == SQLITE_ROW) {
    if (*n == cap) {
      int64_t *more = sp_arena_alloc(a, 2 * cap * sizeof *more);
      memcpy(more, *ids, cap * sizeof *more);
      *ids = more;
      cap *= 2;
    }
    (*ids)[(*n)++] = sqlite3_column_int64(x, 0);
  }
  if (!x || r != SQLITE_DONE) rc = db_fail(e, c->db, "advertiser list");
  if (x) sqlite3_reset(x);
  reader_release(s, locked);
  return rc;
}

static sp_rc sq_advertiser_get(store *st, int64_t id, sp_arena *a,
                               sp_advertiser *out, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  int locked;
  conn *c = reader_acquire(s, &locked);
  sqlite3_stmt *x = c->adv_get;
  sp_rc rc = SP_OK;
  sqlite3_bind_int64(x, 1, id);
  int r = sqlite3_step(x);
  if (r == SQLITE_ROW) {
    out->id = sqlite3_column_int64(x, 0);
    out->name = sp_arena_strdup(a, (const char *)sqlite3_column_text(x, 1));
    out->allowlisted = sqlite3_column_int(x, 2);
    out->currency = sp_arena_strdup(a, (const char *)sqlite3_column_text(x, 3));
    out->timezone = sp_arena_strdup(a, (const char *)sqlite3_column_text(x, 4));
  } else if (r == SQLITE_DONE) {
    rc = sp_fail(e, SP_E_NO_ADVERTISER, "advertiser_id", "ADVERTISER_EXISTS",
                 "advertiser %lld does not exist", (long long)id);
  } else {
    rc = db_fail(e, c->db, "advertiser get");
  }
  sqlite3_reset(x);
  reader_release(s, locked);
  return rc;
}

typedef struct {
  const char *token;
  const sp_token *t;
  char advs[SP_TOKEN_MAX_ADVERTISERS * 21];
} token_arg;

static void bind_token(sqlite3_stmt *st, const void *arg) {
  const token_arg *ta = arg;
  sqlite3_bind_text(st, 1, ta->token, -1, SQLITE_STATIC);
  if (ta->t) {
    sqlite3_bind_int(st, 2, (int)ta->t->scopes);
    sqlite3_bind_text(st, 3, ta->advs, -1, SQLITE_STATIC);
  }
}

static sp_rc sq_token_put(store *st, const char *token, const sp_token *t,
                          sp_err *e) {
  token_arg ta = {token, t, ""};
  for (size_t i = 0; i < t->n_advertisers; i++) {
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%s%lld", i ? "," : "",
             (long long)t->advertisers[i]);
    append(ta.advs, sizeof ta.advs, tmp);
  }
  return simple_exec((sqlite_store *)st,
                     "INSERT OR REPLACE INTO tokens(token, scopes, advertisers)"
                     " VALUES(?,?,?)",
                     e, bind_token, &ta);
}

static sp_rc sq_token_delete(store *st, const char *token, sp_err *e) {
  token_arg ta = {token, NULL, ""};
  return simple_exec((sqlite_store *)st, "DELETE FROM tokens WHERE token=?", e,
                     bind_token, &ta);
}

static sp_rc sq_token_get(store *st, const char *token, sp_token *out,
                          sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  int locked;
  conn *c = reader_acquire(s, &locked);
  sqlite3_stmt *x = c->token_get;
  sp_rc rc = SP_OK;
  memset(out, 0, sizeof *out);
  sqlite3_bind_text(x, 1, token, -1, SQLITE_STATIC);
  int r = sqlite3_step(x);
  if (r == SQLITE_ROW) {
    out->scopes = (unsigned)sqlite3_column_int(x, 0);
    const char *p = (const char *)sqlite3_column_text(x, 1);
    while (p && *p && out->n_advertisers < SP_TOKEN_MAX_ADVERTISERS) {
      char *end;
      long long v = strtoll(p, &end, 10);
      if (end == p) break;
      out->advertisers[out->n_advertisers++] = v;
      p = *end == ',' ? end + 1 : end;
    }
  } else if (r == SQLITE_DONE) {
    rc = sp_fail(e, SP_E_TOKEN_INVALID, NULL, "AUTH_TOKEN",
                 "Access token is incorrect or has been revoked.");
  } else {
    rc = db_fail(e, c->db, "token get");
  }
  sqlite3_reset(x);
  reader_release(s, locked);
  return rc;
}

typedef struct {
  const char *k, *v;
} kv_arg;

static void bind_kv(sqlite3_stmt *st, const void *arg) {
  const kv_arg *kv = arg;
  sqlite3_bind_text(st, 1, kv->k, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, kv->v, -1, SQLITE_STATIC);
}

static sp_rc sq_meta_put(store *st, const char *key, const char *value,
                         sp_err *e) {
  kv_arg kv = {key, value};
  return simple_exec((sqlite_store *)st,
                     "INSERT OR REPLACE INTO meta(key, value) VALUES(?,?)", e,
                     bind_kv, &kv);
}

static sp_rc sq_meta_get(store *st, const char *key, sp_arena *a,
                         const char **out, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  int locked;
  conn *c = reader_acquire(s, &locked);
  sqlite3_stmt *x;
  sp_rc rc = SP_OK;
  if (sqlite3_prepare_v2(c->db, "SELECT value FROM meta WHERE key=?", -1, &x,
                         NULL) != SQLITE_OK) {
    rc = db_fail(e, c->db, "meta get");
    goto out;
  }
  sqlite3_bind_text(x, 1, key, -1, SQLITE_STATIC);
  int r = sqlite3_step(x);
  if (r == SQLITE_ROW)
    *out = sp_arena_strdup(a, (const char *)sqlite3_column_text(x, 0));
  else if (r == SQLITE_DONE)
    rc = sp_fail(e, SP_E_NOT_FOUND, NULL, "META", "no value for %s", key);
  else
    rc = db_fail(e, c->db, "meta get");
  sqlite3_finalize(x);
out:
  reader_release(s, locked);
  return rc;
}

static sp_rc sq_metrics_add(store *st, const sp_metric_row *rows, size_t n,
                            sp_err *e);
static sp_rc sq_metrics_query(store *st, const sp_metric_query *q,
                              sp_arena *a, sp_metric_row **out, size_t *n,
                              size_t *total, sp_err *e);

const store_ops store_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .write_begin = sq_write_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .defer = sq_defer,
    .drain = sq_drain,
    .defer_stuck = sq_defer_stuck,
    .commit_now = sq_commit_now,
    .next_id = sq_next_id,
    .seq_cover = sq_seq_cover,
    .probe_grandchild = sq_probe_grandchild,
    .parent_hint = sq_parent_hint,
    .pack = sq_pack,
    .insert = sq_insert,
    .update = sq_update,
    .get = sq_get,
    .list = sq_list,
    .idem_get = sq_idem_get,
    .idem_put = sq_idem_put,
    .advertiser_put = sq_advertiser_put,
    .advertiser_get = sq_advertiser_get,
    .advertiser_list = sq_advertiser_list,
    .token_put = sq_token_put,
    .token_get = sq_token_get,
    .token_delete = sq_token_delete,
    .meta_get = sq_meta_get,
    .meta_put = sq_meta_put,
    .metrics_add = sq_metrics_add,
    .metrics_query = sq_metrics_query,
};

/* ==== report rows (issue 6: reports) ====================================
 * metrics_add upserts sp_metric_row rows keyed (advertiser, ad, material,
 * hour), summing the counters; metrics_query groups them by level and time
 * bucket in SQL (integer sums: exact, so reports are byte-identical). */

static sp_rc sq_metrics_add(store *st, const sp_metric_row *rows, size_t n,
                            sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  if (!(s->in_tx && pthread_equal(s->owner, pthread_self())))
    return sp_fail(e, SP_E_SYSTEM, NULL, "STORE",
                   "metrics_add outside a write transaction");
  sqlite3_stmt *x = cached(
      &s->w,
      "INSERT INTO metrics(advertiser_id, campaign_id, adgroup_id, ad_id,"
      " material_id, hour, impressions, clicks, spend, conversions,"
      " conversions_raw, view_through) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"
      " ON CONFLICT(advertiser_id, ad_id, material_id, hour) DO UPDATE SET"
      " impressions=impressions+excluded.impressions,"
      " clicks=clicks+excluded.clicks, spend=spend+excluded.spend,"
      " conversions=conversions+excluded.conversions,"
      " conversions_raw=conversions_raw+excluded.conversions_raw,"
      " view_through=view_through+excluded.view_through");
  if (!x) return db_fail(e, s->w.db, "metrics add");
  for (size_t i = 0; i < n; i++) {
    const sp_metric_row *r = &rows[i];
    int64_t v[12] = {r->advertiser_id, r->campaign_id,  r->adgroup_id,
                     r->ad_id,         r->material_id,  r->hour,
                     r->impressions,   r->clicks,       r->spend_micros,
                     r->conversions,   r->conversions_raw, r->view_through};
    for (int k = 0; k < 12; k++) sqlite3_bind_int64(x, k + 1, v[k]);
    int rc = sqlite3_step(x);
    sqlite3_reset(x);
    if (rc != SQLITE_DONE) return db_fail(e, s->w.db, "metrics add");
  }
  sqlite3_clear_bindings(x);
  return SP_OK;
}

static void metrics_in(sp_buf *b, const char *col, size_t n) {
  if (!n) return;
  sp_buf_append(b, " AND ", 5);
  sp_buf_append(b, col, strlen(col));
  sp_buf_append(b, " IN (", 5);
  for (size_t i = 0; i < n; i++) sp_buf_append(b, i ? ",?" : "?", i ? 2 : 1);
  sp_buf_append(b, ")", 1);
}

static sp_rc sq_metrics_query(store *st, const sp_metric_query *q,
                              sp_arena *a, sp_metric_row **out, size_t *n,
                              size_t *total, sp_err *e) {
  sqlite_store *s = (sqlite_store *)st;
  *out = NULL;
  *n = 0;
  if (total) *total = 0;
  if ((int)q->level < SP_ML_ADVERTISER || (int)q->level > SP_ML_MATERIAL ||
      q->grain < 0)
    return sp_fail(e, SP_E_SYSTEM, NULL, "STORE", "bad metrics query");
  static const char *cols[4] = {"campaign_id", "adgroup_id", "ad_id",
                                "material_id"};
  char bucket[160];
  if (q->grain > 0)
    snprintf(bucket, sizeof bucket,
             "hour - (((hour + %lld) %% %lld) + %lld) %% %lld",
             (long long)q->tz_offset, (long long)q->grain,
             (long long)q->grain, (long long)q->grain);
  else
    snprintf(bucket, sizeof bucket, "0");
  sp_buf b;
  sp_buf_init(&b, 1u << 20);
  char tmp[512];
  sp_buf_append(&b, "SELECT ", 7);
  for (int k = 0; k < 4; k++) {
    snprintf(tmp, sizeof tmp, "%s, ", k < (int)q->level ? cols[k] : "0");
    sp_buf_append(&b, tmp, strlen(tmp));
  }
  snprintf(tmp, sizeof tmp,
           "%s AS bucket, SUM(impressions), SUM(clicks), SUM(spend),"
           " SUM(conversions), SUM(conversions_raw), SUM(view_through)"
           " FROM metrics WHERE advertiser_id=? AND hour>=?",
           bucket);
  sp_buf_append(&b, tmp, strlen(tmp));
  if (q->to) sp_buf_append(&b, " AND hour<?", 11);
  metrics_in(&b, "campaign_id", q->n_campaign_ids);
  metrics_in(&b, "adgroup_id", q->n_adgroup_ids);
  metrics_in(&b, "ad_id", q->n_ad_ids);
  metrics_in(&b, "material_id", q->n_material_ids);
  sp_buf_append(&b, " GROUP BY ", 10);
  for (int k = 0; k < (int)q->level; k++) {
    sp_buf_append(&b, cols[k], strlen(cols[k]));
    sp_buf_append(&b, ", ", 2);
  }
  sp_buf_append(&b, "bucket ORDER BY ", 16);
  for (int k = 0; k < (int)q->level; k++) {
    sp_buf_append(&b, cols[k], strlen(cols[k]));
    sp_buf_append(&b, ", ", 2);
  }
  sp_buf_append(&b, "bucket", 7); /* with the terminating NUL */

  int locked;
  conn *c = reader_acquire(s, &locked);
  sqlite3_stmt *x = NULL;
  sp_rc rc = SP_OK;
  if (sqlite3_prepare_v2(c->db, b.data, -1, &x, NULL) != SQLITE_OK) {
    rc = db_fail(e, c->db, "metrics query");
    goto done;
  }
  int p = 1;
  sqlite3_bind_int64(x, p++, q->advertiser_id);
  sqlite3_bind_int64(x, p++, q->from);
  if (q->to) sqlite3_bind_int64(x, p++, q->to);
  const int64_t *lists[4] = {q->campaign_ids, q->adgroup_ids, q->ad_ids,
                             q->material_ids};
  size_t lens[4] = {q->n_campaign_ids, q->n_adgroup_ids, q->n_ad_ids,
                    q->n_material_ids};
  for (int k = 0; k < 4; k++)
    for (size_t i = 0; i < lens[k]; i++)
      sqlite3_bind_int64(x, p++, lists[k][i]);
  size_t cap = 0, got = 0, seen = 0;
  sp_metric_row *rows = NULL;
  int r;
  while ((r = sqlite3_step(x)) == SQLITE_ROW) {
    seen++;
    if (seen <= q->offset) continue;
    if (q->limit && got >= q->limit) continue;
    if (got == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      sp_metric_row *nr = sp_arena_alloc(a, ncap * sizeof *nr);
      if (got) memcpy(nr, rows, got * sizeof *nr);
      rows = nr;
      cap = ncap;
    }
    sp_metric_row *m = &rows[got++];
    memset(m, 0, sizeof *m);
    m->advertiser_id = q->advertiser_id;
    m->campaign_id = sqlite3_column_int64(x, 0);
    m->adgroup_id = sqlite3_column_int64(x, 1);
    m->ad_id = sqlite3_column_int64(x, 2);
    m->material_id = sqlite3_column_int64(x, 3);
    m->hour = sqlite3_column_int64(x, 4);
    m->impressions = sqlite3_column_int64(x, 5);
    m->clicks = sqlite3_column_int64(x, 6);
    m->spend_micros = sqlite3_column_int64(x, 7);
    m->conversions = sqlite3_column_int64(x, 8);
    m->conversions_raw = sqlite3_column_int64(x, 9);
    m->view_through = sqlite3_column_int64(x, 10);
  }
  if (r != SQLITE_DONE) {
    rc = db_fail(e, c->db, "metrics query");
    got = 0;
  }
  *out = rows;
  *n = got;
  if (total) *total = seen;
done:
  sqlite3_finalize(x);
  reader_release(s, locked);
  sp_buf_free(&b);
  return rc;
}
/* ==== end of report rows ================================================ */
