/*
 * server.h - the HTTP transport: libmicrohttpd in front of sp_api_handle.
 * It only moves bytes: collects the method, path, query, Access-Token
 * header and body (capped at SP_MAX_BODY), and writes the response.
 */
#ifndef SP_HTTP_SERVER_H
#define SP_HTTP_SERVER_H

#include "../api/api.h"

typedef struct sp_server sp_server;

typedef struct sp_server_opts {
  const char *listen; /* IPv4 address, default "127.0.0.1" */
  int port;           /* 0 = any free port */
  int threads;        /* I/O threads, default: one per core */
} sp_server_opts;

/* Start serving in background threads. Returns NULL and fills e on error. */
sp_server *sp_server_start(sp_app *app, const sp_server_opts *o, sp_err *e);
/* The port actually bound (useful with port 0). */
int sp_server_port(const sp_server *s);
void sp_server_stop(sp_server *s);
/* The rule for committing the open batch of deferred writes at once, given
 * each of the n I/O threads' waiting and open connections: some thread
 * has only waiting ones, and three quarters of all connections wait
 * (server.c says why). */
int sp_server_batch_due(const int *waiting, const int *open, int n);

#endif
