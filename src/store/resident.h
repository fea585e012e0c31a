/*
 * store/resident.h - keep a file's pages in memory by keeping them mapped.
 *
 * SQLite reads its database and its WAL through the operating system's
 * page cache. Some machines take cold pages out of that cache long before
 * memory runs short: the CI machines run DAMON with a "pageout" scheme
 * that drops file pages no process maps once they have gone unread for
 * about a minute, with 23 of 24 GB free. A page dropped that way is read
 * back from the disk by the next request that needs it, under the write
 * lock: an ad group row read for an ad create, a WAL page that a commit
 * writes part of (a WAL frame is 4,120 bytes, so most writes cover part of
 * a page and the kernel must read the rest). Those reads were the "disk
 * stalls" of bench/api.sh: 20-270 ms with every writer waiting.
 *
 * Pages mapped by a process are not taken: a sp_resident maps a file
 * read-only and shared, and maps what the file grows by as it grows. What
 * the file held when first seen is kept where it is in memory already (no
 * disk read at start-up); what it grew by since is kept whole. The pages
 * are the page cache's own (no copy); a write by SQLite lands in the same
 * page. Nothing ever reads through the mapping: it only holds the pages.
 *
 * The mapping covers the file's first `cap` bytes. The address range is
 * reserved once (no memory), so the pieces mapped as the file grows are
 * adjacent and the kernel merges them into one mapping.
 */
#ifndef SP_STORE_RESIDENT_H
#define SP_STORE_RESIDENT_H

#include <stddef.h>

typedef struct sp_resident sp_resident;

/* Nothing is mapped until the first sp_resident_update. NULL if the
 * address range cannot be reserved. */
sp_resident *sp_resident_new(const char *path, size_t cap);
void sp_resident_free(sp_resident *r);

/* Map what the file holds beyond what is mapped already (up to cap). A file
 * that is missing, shorter than before, or another file at the same path
 * (a new inode) is mapped again from its start. What it grew by is read in
 * where not in memory: call it off the request path. */
void sp_resident_update(sp_resident *r);

/* Bytes of the file mapped now. */
size_t sp_resident_mapped(const sp_resident *r);

/* The mapping's first byte, for tests (mincore); NULL if none. */
const void *sp_resident_base(const sp_resident *r);

#endif
