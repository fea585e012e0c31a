/*
 * cli/lint.h - `smartplus lint`: check a plan offline with the same decoder
 * and rules as smartplusd, and the same messages.
 */
#ifndef SP_CLI_LINT_H
#define SP_CLI_LINT_H

#include <jansson.h>
#include <stdio.h>

/* Lint a plan ({"campaign": {...}} or a bare campaign request). Prints one
 * line per finding to `out`; returns the number of errors. */
int sp_lint_plan(json_t *plan, FILE *out);

#endif
