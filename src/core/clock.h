/*
 * clock.h - the server's clock. Every timestamp smartplus writes (create_time,
 * request ids, deprecation deadlines) comes from an sp_clock passed in as
 * context, never from time() inside logic, so tests and users can move it.
 *
 * A clock is real time plus an offset (0 by default). Setting it to a
 * moment keeps it ticking from there; freezing it stops it.
 */
#ifndef SP_CORE_CLOCK_H
#define SP_CORE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

typedef struct sp_clock sp_clock;

sp_clock *sp_clock_create(void);
void sp_clock_destroy(sp_clock *c);
/* Microseconds since the Unix epoch, UTC. Thread-safe. */
int64_t sp_clock_now_us(const sp_clock *c);

/* Wall-independent elapsed time (CLOCK_MONOTONIC) in ns: for timeouts and
 * cache ages inside the server, never for the sandbox's virtual time. */
int64_t sp_mono_ns(void);
/* Make now() return `unix_us` at this instant and tick on from there. */
void sp_clock_set_us(sp_clock *c, int64_t unix_us);
/* Stop (frozen != 0) or restart the clock at its current reading. */
void sp_clock_freeze(sp_clock *c, int frozen);
/* 1 if the clock is frozen. */
int sp_clock_frozen(const sp_clock *c);

/* "YYYY-MM-DD HH:MM:SS" in UTC; buf must hold 20 bytes. */
void sp_time_format(int64_t unix_s, char buf[20]);
/* Parse "YYYY-MM-DD HH:MM:SS" (UTC). Returns 0 and sets *out, or -1. */
int sp_time_parse(const char *s, int64_t *out);
/* Parse a date "YYYY-MM-DD" (UTC) into days since 1970-01-01. 0, or -1. */
int sp_date_parse(const char *s, int64_t *day);
/* Parse ISO-8601 "YYYY-MM-DDTHH:MM:SSZ" or the form above. */
int sp_time_parse_iso(const char *s, int64_t *out);

#endif
