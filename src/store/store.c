/*
 * store.c - picks a backend from a DSN. Today only SQLite; a PostgreSQL
 * backend plugs in here with a "postgres://" prefix.
 */
#include "store.h"

#include <string.h>

static sp_rc open_as(const char *dsn, int owner, store **out, sp_err *e) {
  if (strncmp(dsn, "sqlite:", 7) == 0) dsn += 7;
  if (strncmp(dsn, "postgres://", 11) == 0 ||
      strncmp(dsn, "postgresql://", 13) == 0)
    return sp_fail(e, SP_E_SYSTEM, "--db", "STORE",
                   "PostgreSQL is not built into this smartplusd yet");
  return store_sqlite_ops.open(dsn, owner, out, e);
}

sp_rc store_open(const char *dsn, store **out, sp_err *e) {
  return open_as(dsn, 0, out, e);
}

sp_rc store_open_owner(const char *dsn, store **out, sp_err *e) {
  return open_as(dsn, 1, out, e);
}

void store_close(store *s) {
  if (s) s->ops->close(s);
}
