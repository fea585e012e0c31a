/* test_dedup.c - cmocka tests of the conversion-event dedup index (src/events/dedup.c).
 * Must never read the wall clock: all times are virtual. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/dedup.h"

#define T0 1700000000LL
#define H 3600LL

static sp_dedup_verdict chk(sp_dedup *d, uint64_t px, const char *ev, const char *id, int64_t now, int64_t *fs) {
    return sp_dedup_check(d, px, ev, strlen(ev), id, strlen(id), now, fs);
}

static void test_new_then_duplicate(void **st) {
    (void)st;
    sp_dedup *d = sp_dedup_create(0);
    int64_t fs = 0;
    assert_int_equal(chk(d, 1, "CompletePayment", "e1", T0, &fs), SP_DEDUP_NEW);
    assert_int_equal(chk(d, 1, "CompletePayment", "e1", T0 + 10, &fs), SP_DEDUP_DUPLICATE);
    assert_int_equal(fs, T0);
    assert_int_equal(sp_dedup_live(d), 1);
    sp_dedup_destroy(d);
}

static void test_boundary(void **st) {
    (void)st;
    sp_dedup *d = sp_dedup_create(0);
    int64_t fs = 0;
    assert_int_equal(chk(d, 1, "Purchase", "x", T0, NULL), SP_DEDUP_NEW);
    assert_int_equal(chk(d, 1, "Purchase", "x", T0 + 48 * H - 1, &fs), SP_DEDUP_DUPLICATE);
    assert_int_equal(fs, T0);
    assert_int_equal(chk(d, 1, "Purchase", "x", T0 + 48 * H, &fs), SP_DEDUP_DUPLICATE);
    assert_int_equal(chk(d, 1, "Purchase", "x", T0 + 48 * H + 1, &fs), SP_DEDUP_NEW);
    /* new window from +48h+1 */
    assert_int_equal(chk(d, 1, "Purchase", "x", T0 + 60 * H, &fs), SP_DEDUP_DUPLICATE);
    assert_int_equal(fs, T0 + 48 * H + 1);
    /* intermediate duplicate at +24h does not move the window */
    assert_int_equal(chk(d, 2, "Purchase", "y", T0, NULL), SP_DEDUP_NEW);
    assert_int_equal(chk(d, 2, "Purchase", "y", T0 + 24 * H, &fs), SP_DEDUP_DUPLICATE);
    assert_int_equal(fs, T0);
    assert_int_equal(chk(d, 2, "Purchase", "y", T0 + 48 * H + 1, &fs), SP_DEDUP_NEW);
    sp_dedup_destroy(d);
}

static void test_fields_distinct(void **st) {
    (void)st;
    sp_dedup *d = sp_dedup_create(0);
    assert_int_equal(chk(d, 1, "A", "i", T0, NULL), SP_DEDUP_NEW);
    assert_int_equal(chk(d, 2, "A", "i", T0, NULL), SP_DEDUP_NEW);
    assert_int_equal(chk(d, 1, "B", "i", T0, NULL), SP_DEDUP_NEW);
    assert_int_equal(chk(d, 1, "A", "j", T0, NULL), SP_DEDUP_NEW);
    assert_int_equal(chk(d, 1, "ab", "c", T0, NULL), SP_DEDUP_NEW);
    assert_int_equal(chk(d, 1, "a", "bc", T0, NULL), SP_DEDUP_NEW);
    assert_int_equal(chk(d, 1, "abc", "", T0, NULL), SP_DEDUP_NEW);
    assert_int_equal(chk(d, 1, "ab", "c", T0 + 1, NULL), SP_DEDUP_DUPLICATE);
    assert_int_equal(chk(d, 1, "a", "bc", T0 + 1, NULL), SP_DEDUP_DUPLICATE);
    assert_int_equal(sp_dedup_live(d), 7);
    /* long fields (heap path) */
    char big[2000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(chk(d, 1, "A", big, T0, NULL), SP_DEDUP_NEW);
    assert_int_equal(chk(d, 1, "A", big, T0 + 1, NULL), SP_DEDUP_DUPLICATE);
    sp_dedup_destroy(d);
}

static void idstr(char *b, size_t n, unsigned i) { snprintf(b, n, "id-%u", i); }

static void test_growth(void **st) {
    (void)st;
    sp_dedup *d = sp_dedup_create(4);
    char b[32];
    for (unsigned i = 0; i < 100000; i++) {
        idstr(b, sizeof b, i);
        assert_int_equal(chk(d, 7, "ev", b, T0 + i / 100, NULL), SP_DEDUP_NEW);
    }
    assert_int_equal(sp_dedup_live(d), 100000);
    for (unsigned i = 0; i < 100000; i++) {
        int64_t fs = 0;
        idstr(b, sizeof b, i);
        assert_int_equal(chk(d, 7, "ev", b, T0 + 2000, &fs), SP_DEDUP_DUPLICATE);
        assert_int_equal(fs, T0 + i / 100);
    }
    sp_dedup_destroy(d);
}

static void test_expire(void **st) {
    (void)st;
    sp_dedup *d = sp_dedup_create(0);
    char b[32];
    for (unsigned i = 0; i < 1000; i++) {
        idstr(b, sizeof b, i);
        chk(d, 1, "ev", b, T0 + (i < 500 ? 0 : 10 * H), NULL);
    }
    assert_int_equal(sp_dedup_live(d), 1000);
    sp_dedup_expire(d, T0 + 48 * H); /* nothing ended yet */
    assert_int_equal(sp_dedup_live(d), 1000);
    sp_dedup_expire(d, T0 + 48 * H + 1);
    assert_int_equal(sp_dedup_live(d), 500);
    idstr(b, sizeof b, 999);
    assert_int_equal(chk(d, 1, "ev", b, T0 + 49 * H, NULL), SP_DEDUP_DUPLICATE);
    idstr(b, sizeof b, 0);
    assert_int_equal(chk(d, 1, "ev", b, T0 + 49 * H, NULL), SP_DEDUP_NEW);
    sp_dedup_expire(d, T0 + 200 * H);
    assert_int_equal(sp_dedup_live(d), 0);
    sp_dedup_destroy(d);
}

#define PER_HOUR 50000u
static void test_bounded_memory(void **st) {
    (void)st;
    sp_dedup *d = sp_dedup_create(0);
    char b[32];
    unsigned n = 0;
    size_t live_day3 = 0, bytes_day3 = 0, max_live = 0, max_bytes = 0;
    for (int hour = 0; hour < 240; hour++) {
        int64_t now = T0 + hour * H;
        for (unsigned k = 0; k < PER_HOUR; k++) {
            idstr(b, sizeof b, n++);
            assert_int_equal(chk(d, 3, "ev", b, now + k % 3600, NULL), SP_DEDUP_NEW);
        }
        if (hour % 6 == 5) sp_dedup_expire(d, now + 3599);
        if (hour == 71) { live_day3 = sp_dedup_live(d); bytes_day3 = sp_dedup_bytes(d); }
        if (hour > 71) {
            if (sp_dedup_live(d) > max_live) max_live = sp_dedup_live(d);
            if (sp_dedup_bytes(d) > max_bytes) max_bytes = sp_dedup_bytes(d);
        }
    }
    /* window holds ~49h of keys, plus up to 6h not yet expired; stays bounded after day 3 */
    assert_true(max_live <= 56 * (size_t)PER_HOUR);
    assert_true(max_live <= live_day3 + 7 * (size_t)PER_HOUR);
    assert_true(max_bytes <= bytes_day3 * 2);
    assert_true(max_bytes / max_live <= 64);
    sp_dedup_destroy(d);
}

struct dump { uint64_t lo[64], hi[64]; int64_t fs[64]; size_t n; };
static void collect(void *arg, uint64_t lo, uint64_t hi, int64_t fs) {
    struct dump *x = arg;
    assert_true(x->n < 64);
    x->lo[x->n] = lo; x->hi[x->n] = hi; x->fs[x->n] = fs; x->n++;
}

static void test_roundtrip(void **st) {
    (void)st;
    sp_dedup *d = sp_dedup_create(0);
    char b[32];
    for (unsigned i = 0; i < 40; i++) {
        idstr(b, sizeof b, i);
        chk(d, 9, "ev", b, T0 + i * H, NULL);
    }
    struct dump x = {0};
    sp_dedup_foreach(d, collect, &x);
    assert_int_equal(x.n, 40);
    sp_dedup *r = sp_dedup_create(0);
    for (size_t i = 0; i < x.n; i++) sp_dedup_restore(r, x.lo[i], x.hi[i], x.fs[i]);
    assert_int_equal(sp_dedup_live(r), 40);
    int64_t now = T0 + 60 * H;
    for (unsigned i = 0; i < 45; i++) {
        int64_t fs1 = -1, fs2 = -1;
        idstr(b, sizeof b, i);
        sp_dedup_verdict v1 = chk(d, 9, "ev", b, now, &fs1), v2 = chk(r, 9, "ev", b, now, &fs2);
        assert_int_equal(v1, v2);
        assert_int_equal(v1, i >= 12 && i < 40 ? SP_DEDUP_DUPLICATE : SP_DEDUP_NEW);
        if (v1 == SP_DEDUP_DUPLICATE) assert_int_equal(fs1, fs2);
    }
    sp_dedup_destroy(d);
    sp_dedup_destroy(r);
}

/* check_many answers as one-at-a-time checks do, including copies inside one batch */
static void test_check_many(void **st) {
    (void)st;
    sp_dedup *a = sp_dedup_create(0), *b = sp_dedup_create(0);
    char ids[300][16];
    sp_dedup_key ks[300];
    sp_dedup_verdict v[300];
    for (int round = 0; round < 3; round++) {
        for (unsigned i = 0; i < 300; i++) {
            unsigned id = (i * 7 + (unsigned)round * 100) % 250; /* copies within and across batches */
            snprintf(ids[i], sizeof ids[i], "m-%u", id);
            ks[i] = (sp_dedup_key){5, "Purchase", ids[i], 8, strlen(ids[i])};
        }
        int64_t now = T0 + round * 30 * H;
        sp_dedup_check_many(a, ks, 300, now, v);
        for (unsigned i = 0; i < 300; i++)
            assert_int_equal(v[i], chk(b, 5, "Purchase", ids[i], now, NULL));
    }
    assert_int_equal(sp_dedup_live(a), sp_dedup_live(b));
    sp_dedup_destroy(a);
    sp_dedup_destroy(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_then_duplicate), cmocka_unit_test(test_boundary),
        cmocka_unit_test(test_fields_distinct),    cmocka_unit_test(test_growth),
        cmocka_unit_test(test_expire),             cmocka_unit_test(test_bounded_memory),
        cmocka_unit_test(test_roundtrip),          cmocka_unit_test(test_check_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
