/* dedup_bench.c - throughput and memory benchmark of the dedup index (src/events/dedup.c).
 * Keys are pre-generated with a fixed-seed PRNG; only sp_dedup_check is timed.
 * Must never be linked into the server; benchmark code only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "events/dedup.h"

typedef struct { uint64_t px; char id[24]; uint8_t idlen; int64_t t; } key;

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

int main(int argc, char **argv) {
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 5000000;
    key *k = malloc(n * sizeof *k);
    if (!k) { fprintf(stderr, "oom\n"); return 1; }
    int64_t t0 = 1700000000;
    for (size_t i = 0; i < n; i++) {
        k[i].t = t0 + (int64_t)(i / 1000); /* ~1000 events/s virtual: all inside 48h for 5M */
        if (i > 0 && next() % 100 < 20) { /* 20% duplicates of an earlier key */
            size_t j = next() % i;
            k[i].px = k[j].px; memcpy(k[i].id, k[j].id, sizeof k[i].id); k[i].idlen = k[j].idlen;
        } else {
            k[i].px = 1000 + next() % 50;
            k[i].idlen = (uint8_t)snprintf(k[i].id, sizeof k[i].id, "%016llx", (unsigned long long)next());
        }
    }
    sp_dedup *d = sp_dedup_create(0); /* grows as the server's does (growth cost included) */
    struct timespec a, b;
    size_t dups = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (size_t i = 0; i < n; i++)
        dups += sp_dedup_check(d, k[i].px, "CompletePayment", 15, k[i].id, k[i].idlen, k[i].t, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("dedup checks/s (one at a time): %.0f\n", (double)n / s);
    printf("live keys: %zu\n", sp_dedup_live(d));
    printf("bytes per live key: %.1f\n", (double)sp_dedup_bytes(d) / (double)sp_dedup_live(d));
    fprintf(stderr, "(duplicates: %zu of %zu)\n", dups, n);
    sp_dedup_destroy(d);

    /* pipelined: batches of 64 keys at one time each (as Redis -P 64) */
    d = sp_dedup_create(0);
    sp_dedup_key *ks = malloc(64 * sizeof *ks);
    sp_dedup_verdict v[64];
    size_t dups2 = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (size_t i = 0; i < n; i += 64) {
        size_t m = n - i < 64 ? n - i : 64;
        for (size_t j = 0; j < m; j++) {
            ks[j].pixel_id = k[i + j].px;
            ks[j].event = "CompletePayment";
            ks[j].event_len = 15;
            ks[j].event_id = k[i + j].id;
            ks[j].event_id_len = k[i + j].idlen;
        }
        sp_dedup_check_many(d, ks, m, k[i].t, v);
        for (size_t j = 0; j < m; j++) dups2 += v[j];
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("dedup checks/s: %.0f\n", (double)n / s);
    printf("(pipelined 64 per call; duplicates: %zu, one at a time: %zu)\n", dups2, dups);
    free(ks);
    sp_dedup_destroy(d);
    free(k);
    return 0;
}
