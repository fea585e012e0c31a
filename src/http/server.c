/*
 * server.c - libmicrohttpd glue. One internal polling thread per core
 * (epoll), keep-alive, a per-connection body buffer with a named cap. A body
 * over the cap is refused before it is read when Content-Length announces
 * it, and drained and refused otherwise; either way the answer is an
 * envelope with HTTP 413 and the server keeps serving.
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes (POST) run on the I/O thread that read them, with a deferred
 * commit: the request joins the store's open batch and its connection is
 * suspended until the store's committer has COMMITted that batch, so many
 * creates share one COMMIT without a thread each waiting for it. Routes that
 * may run long (a simulation, event ingestion) run on a pool of worker
 * threads instead, their connection suspended meanwhile. */
#define WRITE_WORKERS 64

typedef struct conn_state {
  sp_buf body;
  int too_large;
  /* a request handed to the pool */
  struct MHD_Connection *con;
  sp_arena *a;
  sp_request rq;
  sp_response rs;
  int done;
  struct conn_state *next; /* queue link */
  /* a deferred write: 0 in the request, 1 suspended, 2 committed */
  store_waiter w;
  _Atomic int state;
  int counted; /* in sp_server.deferred until answered or closed */
  struct io_thread *io; /* the daemon that serves the connection */
} conn_state;

#define MAX_IO_THREADS 64

/* One I/O thread (a daemon) and its connections: how many are open and how
 * many are suspended until the open batch's COMMIT (io_stuck). */
typedef struct io_thread {
  struct sp_server *s;
  _Atomic int open;
  _Atomic int waiting;
} io_thread;

struct sp_server {
  /* One libmicrohttpd daemon per I/O thread, fed by an accept thread in
   * turn. With libmicrohttpd's own thread pool the threads race for the
   * shared listening socket, and wrk's 64 connections often landed mostly
   * on one thread: GET ran at 37k or 55k req/s by luck of the draw. */
  struct MHD_Daemon *d[MAX_IO_THREADS];
  io_thread io[MAX_IO_THREADS];
  int n_d;
  int listen_fd;
  pthread_t acceptor;
  int acceptor_running;
  _Atomic int accept_stop;
  sp_app *app;
  int port;
  pthread_t workers[WRITE_WORKERS];
  int n_workers;
  pthread_mutex_t qlock;
  pthread_cond_t qcond;
  conn_state *head, *tail;
  int stopping;
  /* Shutdown: once closing is set, writes run synchronously; stop waits
   * until no deferred write is left (MHD must not stop with a connection
   * suspended). */
  _Atomic int closing;
  _Atomic int deferred;
};

typedef struct query_acc {
  sp_arena *a;
  sp_kv *kv;
  size_t n, cap;
} query_acc;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind,
                                   const char *key, const char *value) {
  (void)kind;
  query_acc *q = cls;
  if (q->n == q->cap) {
    size_t cap = q->cap ? q->cap * 2 : 8;
    sp_kv *kv = sp_arena_alloc(q->a, cap * sizeof *kv);
    if (q->n) memcpy(kv, q->kv, q->n * sizeof *kv);
    q->kv = kv;
    q->cap = cap;
  }
  if (q->n >= 256) return MHD_YES; /* named cap: at most 256 parameters */
  q->kv[q->n].key = key;
  q->kv[q->n].value = value ? value : "";
  q->n++;
  return MHD_YES;
}

static enum MHD_Result reply(struct MHD_Connection *con, sp_response *rs) {
  struct MHD_Response *r = MHD_create_response_from_buffer(
      rs->len, rs->body, MHD_RESPMEM_MUST_FREE);
  rs->body = NULL; /* MHD frees it */
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rs->content_type);
  if (rs->allow) MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, rs->allow);
  enum MHD_Result ret = MHD_queue_response(con, (unsigned)rs->status, r);
  MHD_destroy_response(r);
  return ret;
}

/* The request as sp_api_handle takes it, its parts allocated from `a`.
 * `copy`: also copy what MHD owns (needed once the connection is
 * suspended, when MHD's strings may not be read). */
static sp_request build_request(struct MHD_Connection *con, const char *url,
                                const char *method, const char *body,
                                size_t len, int too_large, sp_arena *a,
                                int copy) {
  query_acc q = {a, NULL, 0, 0};
  MHD_get_connection_values(con, MHD_GET_ARGUMENT_KIND, collect_arg, &q);
  const char *tok =
      MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Access-Token");
  if (copy) {
    for (size_t i = 0; i < q.n; i++) {
      q.kv[i].key = sp_arena_strdup(a, q.kv[i].key);
      q.kv[i].value = sp_arena_strdup(a, q.kv[i].value);
    }
    url = sp_arena_strdup(a, url);
    method = sp_arena_strdup(a, method);
    tok = tok ? sp_arena_strdup(a, tok) : NULL;
  }
  return (sp_request){
      .method = method,
      .path = url,
      .query = q.kv,
      .n_query = q.n,
      .token = tok,
      .body = body,
      .body_len = len,
      .body_too_large = too_large,
  };
}

static void run(sp_app *app, struct MHD_Connection *con, const char *url,
                const char *method, const char *body, size_t len, int too_large,
                sp_response *rs) {
  sp_arena *a = sp_arena_create();
  sp_request rq = build_request(con, url, method, body, len, too_large, a, 0);
  sp_api_handle(app, &rq, rs);
  sp_arena_destroy(a);
}

/* The store committed a deferred write's batch (a store thread). */
static void committed(store_waiter *w) {
  conn_state *st = w->arg;
  st->done = 1;
  if (atomic_exchange(&st->state, 2) == 1) {
    atomic_fetch_sub(&st->io->waiting, 1);
    MHD_resume_connection(st->con);
  }
}

/* Should the open batch commit now (the store's committer asks, and the
 * I/O thread whose request just joined it)? Yes once some I/O thread has
 * no connection left but those waiting on the batch (it can do nothing
 * more until the COMMIT) and at least three quarters of all connections
 * wait.
 *
 * The rule before was "every connection waits". It made the threads go in
 * lockstep: one finished its share of wrk's 64 connections and idled while
 * the other, sharing its core with the committer, worked through the rest
 * (bench/create_cpu.sh ad, traced with perf sched_switch: a core 15-20%
 * idle). Committing as soon as one thread is out of work filled that gap
 * (cores 8% idle, 7.6% more ad creates in 6 paired runs) but spread the
 * latency: ad create's p99 in bench/api.sh went to 12-21 ms. Three
 * quarters keeps most of the gain and the p99 (docs/internals/store.md,
 * "When a batch commits"). */
int sp_server_batch_due(const int *waiting, const int *open, int n) {
  int all_waiting = 0, all_open = 0, idle = 0;
  for (int i = 0; i < n; i++) {
    all_waiting += waiting[i];
    all_open += open[i];
    if (waiting[i] > 0 && waiting[i] >= open[i]) idle = 1;
  }
  return idle && 4 * all_waiting >= 3 * all_open;
}

static int io_stuck(void *arg) {
  sp_server *s = arg;
  int waiting[MAX_IO_THREADS], open[MAX_IO_THREADS];
  for (int i = 0; i < s->n_d; i++) {
    waiting[i] = atomic_load(&s->io[i].waiting);
    open[i] = atomic_load(&s->io[i].open);
  }
  return sp_server_batch_due(waiting, open, s->n_d);
}

/* A deferred write is answered or its connection gone: shutdown stops
 * waiting for it. */
static void uncount(sp_server *s, conn_state *st) {
  if (!st->counted) return;
  st->counted = 0;
  atomic_fetch_sub(&s->deferred, 1);
}

/* Run a write here with a deferred commit; answer now or once committed. */
static enum MHD_Result run_deferred(sp_server *s, struct MHD_Connection *con,
                                    conn_state *st, const char *url,
                                    const char *method) {
  atomic_fetch_add(&s->deferred, 1);
  st->counted = 1;
  if (atomic_load(&s->closing)) { /* shutting down: commit in the request */
    uncount(s, st);
    sp_response rs;
    run(s->app, con, url, method, st->body.data ? st->body.data : "",
        st->body.len, st->too_large, &rs);
    return reply(con, &rs);
  }
  sp_arena *a = sp_arena_create();
  sp_request rq = build_request(con, url, method,
                                st->body.data ? st->body.data : "",
                                st->body.len, st->too_large, a, 0);
  st->con = con;
  st->w.fn = committed;
  st->w.arg = st;
  atomic_store(&st->state, 0);
  int wait = sp_api_handle_deferred(s->app, &rq, &st->rs, &st->w);
  sp_arena_destroy(a);
  if (!wait) {
    uncount(s, st);
    sp_api_settle(s->app, &st->w, &st->rs);
    return reply(con, &st->rs);
  }
  MHD_suspend_connection(con);
  /* counted before the exchange: committed() uncounts what it resumes */
  atomic_fetch_add(&st->io->waiting, 1);
  /* committed before the suspension: resume at once */
  if (atomic_exchange(&st->state, 1) == 2) {
    atomic_fetch_sub(&st->io->waiting, 1);
    MHD_resume_connection(con);
  } else if (io_stuck(s)) {
    /* this thread has nothing left to do but wait for the COMMIT: do it
     * here, on a core that would idle, at once, not on the committer's
     * core at its next look (it looks every ~200 us) */
    sp_api_commit_now(s->app);
  }
  return MHD_YES;
}

static void *worker(void *arg) {
  sp_server *s = arg;
  pthread_mutex_lock(&s->qlock);
  for (;;) {
    while (!s->head && !s->stopping) pthread_cond_wait(&s->qcond, &s->qlock);
    if (!s->head) break;
    conn_state *st = s->head;
    s->head = st->next;
    if (!s->head) s->tail = NULL;
    pthread_mutex_unlock(&s->qlock);
    sp_api_handle(s->app, &st->rq, &st->rs);
    st->done = 1;
    MHD_resume_connection(st->con);
    pthread_mutex_lock(&s->qlock);
  }
  pthread_mutex_unlock(&s->qlock);
  return NULL;
}

/* Copy what the request needs out of MHD (it may not be read while the
 * connection is suspended) and queue it for a worker. */
static void enqueue(sp_server *s, struct MHD_Connection *con, conn_state *st,
                    const char *url, const char *method) {
  st->a = sp_arena_create();
  st->rq = build_request(con, url, method, st->body.data ? st->body.data : "",
                         st->body.len, st->too_large, st->a, 1);
  st->con = con;
  st->next = NULL;
  MHD_suspend_connection(con);
  pthread_mutex_lock(&s->qlock);
  if (s->tail) s->tail->next = st;
  else s->head = st;
  s->tail = st;
  pthread_cond_signal(&s->qcond);
  pthread_mutex_unlock(&s->qlock);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls) {
  (void)version;
  io_thread *io = cls;
  sp_server *s = io->s;
  conn_state *st = *con_cls;
  if (!st) {
    st = xcalloc(1, sizeof *st);
    st->io = io;
    sp_buf_init(&st->body, SP_MAX_BODY);
    *con_cls = st;
    const char *cl =
        MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Content-Length");
    unsigned long long announced = cl ? strtoull(cl, NULL, 10) : 0;
    if (announced > SP_MAX_BODY) {
      /* refuse before reading: MHD closes the connection afterwards */
      sp_response rs;
      run(s->app, con, url, method, NULL, 0, 1, &rs);
      return reply(con, &rs);
    }
    if (announced) sp_buf_reserve(&st->body, (size_t)announced);
    return MHD_YES;
  }
  if (*upload_data_size) {
    if (!st->too_large &&
        sp_buf_append(&st->body, upload_data, *upload_data_size) != 0) {
      st->too_large = 1;
      sp_buf_free(&st->body);
    }
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (st->done) { /* back from a worker or the store's committer */
    st->done = 0;
    uncount(s, st);
    sp_api_settle(s->app, &st->w, &st->rs);
    return reply(con, &st->rs);
  }
  if (strcmp(method, "POST") == 0) {
    sp_request probe = {.method = method, .path = url};
    if (sp_api_deferrable(&probe)) return run_deferred(s, con, st, url, method);
    if (s->n_workers) {
      enqueue(s, con, st, url, method);
      return MHD_YES;
    }
  }
  sp_response rs;
  run(s->app, con, url, method, st->body.data ? st->body.data : "",
      st->body.len, st->too_large, &rs);
  return reply(con, &rs);
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)con;
  (void)toe;
  conn_state *st = *con_cls;
  if (st) {
    uncount(((io_thread *)cls)->s, st);
    sp_buf_free(&st->body);
    sp_arena_destroy(st->a);
    sp_response_free(&st->rs);
    free(st);
    *con_cls = NULL;
  }
}

/* Hand each accepted connection to the next daemon. */
static void *acceptor(void *arg) {
  sp_server *s = arg;
  unsigned next = 0;
  for (;;) {
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    int fd = accept4(s->listen_fd, (struct sockaddr *)&sa, &len, SOCK_CLOEXEC);
    if (atomic_load(&s->accept_stop)) {
      if (fd >= 0) close(fd);
      break;
    }
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
          errno == ENOMEM)
        usleep(10000); /* out of descriptors: let connections close */
      continue;
    }
    /* on failure libmicrohttpd has closed fd (over the connection limit) */
    MHD_add_connection(s->d[next++ % (unsigned)s->n_d], fd,
                       (const struct sockaddr *)&sa, len);
  }
  return NULL;
}

static void stop_daemons(sp_server *s) {
  if (s->acceptor_running) {
    atomic_store(&s->accept_stop, 1);
    shutdown(s->listen_fd, SHUT_RDWR); /* wakes accept() */
    pthread_join(s->acceptor, NULL);
    s->acceptor_running = 0;
  }
  for (int i = 0; i < s->n_d; i++) MHD_stop_daemon(s->d[i]);
  s->n_d = 0;
  if (s->listen_fd >= 0) close(s->listen_fd);
  s->listen_fd = -1;
}

static void on_connection(void *cls, struct MHD_Connection *con,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
  io_thread *io = cls;
  (void)con;
  (void)socket_context;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) atomic_fetch_add(&io->open, 1);
  else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
    atomic_fetch_sub(&io->open, 1);
}

sp_server *sp_server_start(sp_app *app, const sp_server_opts *o, sp_err *e) {
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)o->port);
  const char *listen_on = o->listen ? o->listen : "127.0.0.1";
  if (inet_pton(AF_INET, listen_on, &addr.sin_addr) != 1) {
    sp_fail(e, SP_E_INVALID, "--listen", "LISTEN",
            "\"%s\" is not an IPv4 address", listen_on);
    return NULL;
  }
  /* one I/O thread per core; writes that may run long go to workers */
  int threads = o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (threads < 1) threads = 1;
  if (threads > MAX_IO_THREADS) threads = MAX_IO_THREADS;
  sp_server *s = xcalloc(1, sizeof *s);
  s->app = app;
  s->listen_fd = -1;
  /* before the daemons: a request may come at once */
  pthread_mutex_init(&s->qlock, NULL);
  pthread_cond_init(&s->qcond, NULL);
  int one = 1;
  s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s->listen_fd < 0 ||
      setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
      bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) ||
      listen(s->listen_fd, 1024))
    goto fail;
  for (int i = 0; i < threads; i++) {
    s->io[i].s = s;
    s->d[i] = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
            MHD_ALLOW_SUSPEND_RESUME | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC,
        0, NULL, NULL, on_request, &s->io[i], MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, &s->io[i], MHD_OPTION_NOTIFY_CONNECTION, on_connection,
        &s->io[i],
        MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)(4096 / threads),
        /* Room for a 40 KB query string to reach the API and get an
         * envelope (100 ids need about 3 KB; past the pool libmicrohttpd
         * answers 414/431 itself). Not more: libmicrohttpd zeroes the whole
         * pool for every request; measured share of memset in an ad group
         * create's profile: 16 KB 1.6%, 48 KB 3.9%, 64 KB 18%, 256 KB
         * (before) 14%. */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(48 * 1024),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_END);
    if (!s->d[i]) goto fail;
    s->n_d++;
  }
  sp_api_defer_stuck(app, io_stuck, s);
  if (pthread_create(&s->acceptor, NULL, acceptor, s) != 0) goto fail;
  s->acceptor_running = 1;
  for (int i = 0; i < WRITE_WORKERS; i++)
    if (pthread_create(&s->workers[i], NULL, worker, s) == 0) s->n_workers++;
  struct sockaddr_in bound;
  socklen_t blen = sizeof bound;
  s->port = getsockname(s->listen_fd, (struct sockaddr *)&bound, &blen) == 0
                ? ntohs(bound.sin_port)
                : o->port;
  return s;
fail:
  sp_fail(e, SP_E_SYSTEM, "--port", "LISTEN",
          "cannot listen on %s:%d (in use, or not allowed)", listen_on, o->port);
  stop_daemons(s);
  pthread_mutex_destroy(&s->qlock);
  pthread_cond_destroy(&s->qcond);
  free(s);
  return NULL;
}

int sp_server_port(const sp_server *s) { return s->port; }

void sp_server_stop(sp_server *s) {
  if (!s) return;
  pthread_mutex_lock(&s->qlock);
  s->stopping = 1; /* workers drain the queue, then exit */
  pthread_cond_broadcast(&s->qcond);
  pthread_mutex_unlock(&s->qlock);
  for (int i = 0; i < s->n_workers; i++) pthread_join(s->workers[i], NULL);
  /* resume every deferred write's connection and let its I/O thread
   * answer it (at most 5 s: a client gone meanwhile is closed by MHD) */
  atomic_store(&s->closing, 1);
  for (int i = 0; i < 5000 && atomic_load(&s->deferred) > 0; i++) {
    sp_api_drain(s->app);
    usleep(1000);
  }
  stop_daemons(s);
  pthread_mutex_destroy(&s->qlock);
  pthread_cond_destroy(&s->qcond);
  free(s);
}
