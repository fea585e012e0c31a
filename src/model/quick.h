/*
 * quick.h - a create's request body decoded straight from its JSON text
 * into the typed struct, without the jansson tree that sp_json_load builds
 * and sp_decode walks (tree, decode and json_delete were a quarter of an ad
 * create with 10 creatives).
 *
 * The fast path only ever says yes or "not taken": it never reports an
 * error. Anything unusual (a parse error, a key outside the schema, a
 * repeated key, a response-only field, a value of the wrong type or out of
 * range, deep nesting) makes it give up, and the caller then takes the slow
 * path, which words the exact error. When it says yes, the slow path on the
 * same text would have succeeded with the same struct (tests/model/
 * test_quick.c checks this on mutated bodies).
 */
#ifndef SP_MODEL_QUICK_H
#define SP_MODEL_QUICK_H

#include <jansson.h>
#include <stddef.h>

#include "schema.h"

/*
 * Decode the body text buf[0..len) into out (a zeroed struct of s->size
 * bytes) as sp_json_load(buf, len, JSON_REJECT_DUPLICATES) followed by
 * sp_decode(s, tree, out, 1, a, "", e) would. Returns 1 when decoded; 0
 * when not taken, and then *out is garbage (the caller re-zeroes it) and
 * the caller must take the slow path.
 *
 * keep: NULL-terminated top-level keys whose scalar values are also
 * returned in *top (a new object the caller decrefs; a key absent from the
 * text is absent from *top); a keep key need not be a schema field
 * (request_id). A keep key given an object or an array is not taken.
 * refuse: NULL-terminated top-level keys whose mere presence is not taken
 * (keys the slow path rewrites before decoding). Either list may be NULL,
 * and so may top. *top is NULL when not taken.
 */
int sp_decode_quick(const sp_schema *s, const char *buf, size_t len,
                    const char *const *keep, const char *const *refuse,
                    void *out, sp_arena *a, json_t **top);

/*
 * A stored object's body (text our encoder wrote) decoded into out (a
 * zeroed struct of s->size bytes), response-only fields included: as
 * sp_decode(s, tree, out, 0, ...) would. The fast path first; a row it
 * does not take (written by an older version, say) goes through the tree.
 * SP_E_SYSTEM if the text is not JSON, and then *out is all zeros.
 */
sp_rc sp_decode_row(const sp_schema *s, const char *text, void *out,
                    sp_arena *a, sp_err *e);

#endif
