/*
 * smartplusd - the sandbox server, and the commands that manage its tokens
 * and advertisers. Only main() builds the store, the clock and the app;
 * everything below receives them as context.
 *
 *   smartplusd [--listen ADDR] [--port N] [--db PATH] [--demo-token T]
 *              [--threads N] [--clock 2026-03-01T00:00:00Z]
 *   smartplusd token add --advertiser ID[,ID...] [--scopes ads,report,creative]
 *              [--token T] [--db PATH]
 *   smartplusd token revoke TOKEN [--db PATH]
 *   smartplusd advertiser add [--id ID] [--name NAME] [--not-allowlisted]
 *              [--db PATH]
 */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../api/api.h"
#include "../core/text.h"
#include "../events/events.h"
#include "../http/server.h"

#define DEFAULT_DB "smartplus.db"

static volatile sig_atomic_t stop;
static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

static void usage(FILE *f) {
  fprintf(f,
          "usage:\n"
          "  smartplusd [--listen ADDR] [--port N] [--db PATH] [--demo-token T]\n"
          "             [--threads N] [--clock YYYY-MM-DDTHH:MM:SSZ]\n"
          "             [--seed N]  (the simulator's seed, default 1)\n"
          "      serve the API on ADDR:N (default 127.0.0.1:8080, database\n"
          "      " DEFAULT_DB "); --port 0 picks a free port\n"
          "  smartplusd token add --advertiser ID[,ID...] [--scopes LIST]\n"
          "             [--token T] [--db PATH]\n"
          "      grant a token (printed) to advertisers; LIST is a comma list\n"
          "      of ads, report, creative (default: all three)\n"
          "  smartplusd token revoke TOKEN [--db PATH]\n"
          "  smartplusd advertiser add [--id ID] [--name NAME]\n"
          "             [--not-allowlisted] [--db PATH]\n"
          "      create an advertiser (allowlisted for Upgraded Smart+ unless\n"
          "      --not-allowlisted); prints its id\n");
}

static const char *opt(int argc, char **argv, const char *name) {
  for (int i = 0; i < argc - 1; i++)
    if (strcmp(argv[i], name) == 0) return argv[i + 1];
  return NULL;
}

static int flag(int argc, char **argv, const char *name) {
  for (int i = 0; i < argc; i++)
    if (strcmp(argv[i], name) == 0) return 1;
  return 0;
}

/* owner: the server (one per database); the admin commands open it
 * beside a running server */
static store *open_store(int argc, char **argv, int owner) {
  const char *db = opt(argc, argv, "--db");
  store *st;
  sp_err e;
  sp_err_clear(&e);
  if ((owner ? store_open_owner : store_open)(db ? db : DEFAULT_DB, &st, &e) !=
      SP_OK) {
    char msg[1024];
    sp_err_format(&e, msg, sizeof msg);
    fprintf(stderr, "smartplusd: %s\n", msg);
    return NULL;
  }
  return st;
}

static int fail(const sp_err *e) {
  char msg[1024];
  sp_err_format(e, msg, sizeof msg);
  fprintf(stderr, "smartplusd: %s\n", msg);
  return 1;
}

static int cmd_token(int argc, char **argv) {
  if (argc < 1) {
    usage(stderr);
    return 2;
  }
  store *st = open_store(argc, argv, 0);
  if (!st) return 1;
  sp_err e;
  sp_err_clear(&e);
  int rc = 0;
  if (strcmp(argv[0], "add") == 0) {
    const char *advs = opt(argc, argv, "--advertiser");
    const char *scopes = opt(argc, argv, "--scopes");
    const char *tok = opt(argc, argv, "--token");
    if (!advs) {
      fprintf(stderr, "smartplusd: token add needs --advertiser ID[,ID...]\n");
      rc = 2;
      goto out;
    }
    sp_token t;
    memset(&t, 0, sizeof t);
    char *copy = xstrdup(advs), *save = NULL;
    for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
      if (!sp_is_int64_string(p) || t.n_advertisers == SP_TOKEN_MAX_ADVERTISERS) {
        fprintf(stderr, "smartplusd: bad advertiser id \"%s\"\n", p);
        free(copy);
        rc = 2;
        goto out;
      }
      t.advertisers[t.n_advertisers++] = strtoll(p, NULL, 10);
    }
    free(copy);
    if (!scopes) {
      t.scopes = SP_SCOPE_ALL;
    } else {
      copy = xstrdup(scopes);
      for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        if (strcmp(p, "ads") == 0) t.scopes |= SP_SCOPE_ADS;
        else if (strcmp(p, "report") == 0) t.scopes |= SP_SCOPE_REPORT;
        else if (strcmp(p, "creative") == 0) t.scopes |= SP_SCOPE_CREATIVE;
        else if (strcmp(p, "none") == 0) ;
        else {
          fprintf(stderr,
                  "smartplusd: unknown scope \"%s\" (ads, report, creative)\n", p);
          free(copy);
          rc = 2;
          goto out;
        }
      }
      free(copy);
    }
    char gen[41];
    if (!tok) {
      sp_token_generate(gen);
      tok = gen;
    }
    if (store_token_put(st, tok, &t, &e) != SP_OK) {
      rc = fail(&e);
      goto out;
    }
    printf("access_token: %s\n", tok);
  } else if (strcmp(argv[0], "revoke") == 0 && argc >= 2) {
    if (store_token_delete(st, argv[1], &e) != SP_OK) rc = fail(&e);
  } else {
    usage(stderr);
    rc = 2;
  }
out:
  store_close(st);
  return rc;
}

static int cmd_advertiser(int argc, char **argv) {
  if (argc < 1 || strcmp(argv[0], "add") != 0) {
    usage(stderr);
    return 2;
  }
  store *st = open_store(argc, argv, 0);
  if (!st) return 1;
  sp_err e;
  sp_err_clear(&e);
  const char *id = opt(argc, argv, "--id");
  const char *name = opt(argc, argv, "--name");
  sp_advertiser a = {0, name ? name : "sandbox advertiser",
                     !flag(argc, argv, "--not-allowlisted"), "USD", "UTC"};
  if (id) {
    if (!sp_is_int64_string(id)) {
      fprintf(stderr, "smartplusd: bad advertiser id \"%s\"\n", id);
      store_close(st);
      return 2;
    }
    a.id = strtoll(id, NULL, 10);
  } else {
    char t[41];
    sp_token_generate(t); /* random digits for a fresh id */
    a.id = 7000000000000000000LL + (int64_t)(strtoull(t + 24, NULL, 16) %
                                             1000000000000000000ULL);
  }
  int rc = 0;
  if (store_advertiser_put(st, &a, &e) != SP_OK)
    rc = fail(&e);
  else
    printf("advertiser_id: %lld\n", (long long)a.id);
  store_close(st);
  return rc;
}

static int serve(int argc, char **argv) {
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      usage(stdout);
      return 0;
    }
  }
  const char *listen = opt(argc, argv, "--listen");
  const char *port = opt(argc, argv, "--port");
  const char *threads = opt(argc, argv, "--threads");
  const char *demo_token = opt(argc, argv, "--demo-token");
  const char *clock_at = opt(argc, argv, "--clock");
  sp_err e;
  sp_err_clear(&e);

  sp_clock *clock = sp_clock_create();
  if (clock_at) {
    int64_t t;
    if (sp_time_parse_iso(clock_at, &t) != 0) {
      fprintf(stderr, "smartplusd: --clock wants YYYY-MM-DDTHH:MM:SSZ\n");
      sp_clock_destroy(clock);
      return 2;
    }
    sp_clock_set_us(clock, t * 1000000);
  }
  store *st = open_store(argc, argv, 1);
  if (!st) {
    sp_clock_destroy(clock);
    return 1;
  }
  sp_demo demo;
  if (sp_demo_ensure(st, clock, demo_token, &demo, &e) != SP_OK) {
    store_close(st);
    sp_clock_destroy(clock);
    return fail(&e);
  }
  sp_app *app = sp_app_create(st, clock);
  { /* events journal next to the database (src/events) */
    const char *db = opt(argc, argv, "--db");
    if (sp_app_events_open(app, db ? db : DEFAULT_DB, &e) != SP_OK) {
      sp_app_destroy(app);
      store_close(st);
      sp_clock_destroy(clock);
      return fail(&e);
    }
  }
  /* the delivery simulator behind /sandbox/clock/advance */
  const char *seed = opt(argc, argv, "--seed");
  sp_delivery *delivery = sp_delivery_create(seed ? strtoull(seed, NULL, 10) : 1);
  sp_app_set_delivery(app, delivery);
  sp_server_opts so = {listen ? listen : "127.0.0.1", port ? atoi(port) : 8080,
                       threads ? atoi(threads) : 0};
  sp_server *srv = sp_server_start(app, &so, &e);
  if (!srv) {
    sp_app_destroy(app);
    sp_delivery_destroy(delivery);
    store_close(st);
    sp_clock_destroy(clock);
    return fail(&e);
  }
  printf("advertiser_id: %lld\n", (long long)demo.advertiser_id);
  printf("pixel_id: %lld\n", (long long)demo.pixel_id);
  printf("pixel_code: %s\n", demo.pixel_code);
  printf("access_token: %s\n", demo.token);
  printf("listen: %s:%d\n", so.listen, sp_server_port(srv));
  printf("base_url: http://%s:%d/open_api/v1.3/\n", so.listen,
         sp_server_port(srv));
  fflush(stdout);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  while (!stop) pause();

  sp_server_stop(srv);
  sp_app_destroy(app);
  sp_delivery_destroy(delivery);
  store_close(st);
  sp_clock_destroy(clock);
  return 0;
}

int main(int argc, char **argv) {
  /* Keep freed memory in the process: glibc's default trimming returns it
   * with madvise after bursts, and the page faults that follow cost more
   * than the requests (measured with perf: ~20% of GET time). */
  mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
  mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
  if (argc > 1 && strcmp(argv[1], "token") == 0)
    return cmd_token(argc - 2, argv + 2);
  if (argc > 1 && strcmp(argv[1], "advertiser") == 0)
    return cmd_advertiser(argc - 2, argv + 2);
  if (argc > 1 && strcmp(argv[1], "serve") == 0) return serve(argc - 2, argv + 2);
  if (argc > 1 && argv[1][0] != '-') {
    usage(stderr);
    return 2;
  }
  return serve(argc - 1, argv + 1);
}
