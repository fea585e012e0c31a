/*
 * store/resident.c - see resident.h.
 */
#include "resident.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/sp.h"

struct sp_resident {
  char *path;
  size_t cap;  /* the reserved range, a multiple of the page size */
  char *base;  /* reserved: PROT_NONE where nothing is mapped */
  int fd;      /* -1 until the file is first seen */
  dev_t dev;
  ino_t ino;
  size_t mapped; /* bytes of the file mapped from its start */
  size_t page;
  int lost; /* the range could not be reserved again: map nothing more */
};

/* Reserve (or reserve again, dropping every mapping) the whole range. */
static int reserve(sp_resident *r, void *at) {
  void *p = mmap(at, r->cap, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | (at ? MAP_FIXED : 0),
                 -1, 0);
  if (p == MAP_FAILED) return -1;
  r->base = p;
  return 0;
}

sp_resident *sp_resident_new(const char *path, size_t cap) {
  sp_resident *r = xcalloc(1, sizeof *r);
  r->page = (size_t)sysconf(_SC_PAGESIZE);
  r->cap = (cap + r->page - 1) / r->page * r->page;
  r->fd = -1;
  r->path = xstrdup(path);
  if (r->cap == 0 || reserve(r, NULL) != 0) {
    free(r->path);
    free(r);
    return NULL;
  }
  return r;
}

void sp_resident_free(sp_resident *r) {
  if (!r) return;
  if (!r->lost) munmap(r->base, r->cap);
  if (r->fd >= 0) close(r->fd);
  free(r->path);
  free(r);
}

/* Forget the file: its pages are released, the range stays reserved (a
 * failed MAP_FIXED may have left a hole in it, so it is always redone). */
static void drop(sp_resident *r) {
  if (reserve(r, r->base) != 0) r->lost = 1;
  r->mapped = 0;
  if (r->fd >= 0) close(r->fd);
  r->fd = -1;
}

/* Map, in the range mapped without populating ([0, size)), the pages that
 * are in the page cache now, and only those. MADV_POPULATE_READ (Linux
 * 5.14) fails instead of raising SIGBUS should the file shrink meanwhile;
 * where it fails, those pages are simply not kept. */
static void map_in_memory(sp_resident *r, size_t size) {
  unsigned char v[4096];
  size_t pages = (size + r->page - 1) / r->page;
  /* no read-around: populating a page in memory reads none beside it */
  madvise(r->base, pages * r->page, MADV_RANDOM);
  for (size_t at = 0; at < pages; at += sizeof v) {
    size_t n = pages - at < sizeof v ? pages - at : sizeof v;
    if (mincore(r->base + at * r->page, n * r->page, v) != 0) return;
    for (size_t i = 0; i < n;) {
      if (!(v[i] & 1)) {
        i++;
        continue;
      }
      size_t j = i;
      while (j < n && (v[j] & 1)) j++;
      madvise(r->base + (at + i) * r->page, (j - i) * r->page,
              MADV_POPULATE_READ);
      i = j;
    }
  }
}

void sp_resident_update(sp_resident *r) {
  struct stat st;
  if (r->lost) return;
  if (stat(r->path, &st) != 0) {
    if (r->fd >= 0) drop(r);
    return;
  }
  size_t size = (size_t)st.st_size;
  if (r->fd >= 0 && (st.st_dev != r->dev || st.st_ino != r->ino || size < r->mapped))
    drop(r);
  if (r->fd < 0) {
    r->fd = open(r->path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) return;
    /* the inode of the file opened, which a rename may have changed */
    if (fstat(r->fd, &st) != 0) {
      drop(r);
      return;
    }
    r->dev = st.st_dev;
    r->ino = st.st_ino;
    size = (size_t)st.st_size;
  }
  if (size > r->cap) size = r->cap;
  if (size <= r->mapped) return;
  /* from the page holding the first byte not yet mapped (it may have been
   * mapped while partly beyond the end of the file) */
  size_t from = r->mapped / r->page * r->page;
  /* What the file held when first seen is kept only where it is in memory
   * already: a server started on a large database does not read it all.
   * What it grew by since is all kept: SQLite has just written it, or it
   * is the unwritten rest of a 16 MB step, read as zeros without the disk. */
  int first = r->mapped == 0;
  void *p = mmap(r->base + from, size - from, PROT_READ,
                 MAP_SHARED | MAP_FIXED | (first ? 0 : MAP_POPULATE), r->fd,
                 (off_t)from);
  if (p == MAP_FAILED) {
    drop(r);
    return;
  }
  if (first) map_in_memory(r, size);
  r->mapped = size;
}

size_t sp_resident_mapped(const sp_resident *r) { return r->mapped; }

const void *sp_resident_base(const sp_resident *r) {
  return r->mapped ? r->base : NULL;
}
