/*
 * smartplus - the command-line client. Today: `smartplus lint PLAN.json`,
 * which checks a plan (campaign, ad groups, ads) offline with the rule
 * engine smartplusd runs.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../cli/lint.h"
#include "../cli/simulate.h"
#include "../cli/migrate.h"
#include "../cli/apply.h"
#include "../cli/advise.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage:\n"
          "  smartplus lint PLAN.json|-   check a plan offline with the same\n"
          "                               rules and messages as smartplusd\n"
          "  smartplus simulate PLAN.json [--days N] [--seed N] [--csv OUT.csv]\n"
          "                               run a plan in the delivery simulator\n"
          "                               (no server); daily table per ad group\n"
          "  smartplus migrate LEGACY.json|- [-o PLAN.json] [--format json|text]\n"
          "                               legacy campaign/spc/create request ->\n"
          "                               plan + report of every legacy field\n"
          "  smartplus apply PLAN.json|- --base-url URL [--token T] [--advertiser-id ID]\n"
          "        [--keep-partial] [--timeout S] [--retries N]\n"
          "                               create the plan (ids threaded, re-runs\n"
          "                               idempotent, rollback on failure)\n"
          "  smartplus advise --base-url URL --token T --advertiser-id A\n"
          "        --campaign-id C [--expected-cpa X] [--json]\n"
          "  smartplus advise --snapshot FILE [--json]\n"
          "                               the seeds' advice for a campaign's\n"
          "                               state and reports\n"
          "\n"
          "A plan holds the three Upgraded Smart+ requests:\n"
          "  {\"campaign\": {...},\n"
          "   \"adgroups\": [{..., \"ads\": [{...}, ...]}, ...],\n"
          "   \"expected_cpa\": 15.0,                      (optional)\n"
          "   \"pixel\": {\"event_sources\": [\"BROWSER\"]}}  (optional)\n"
          "Exit status: 0 when every request would be accepted, 1 if not,\n"
          "2 when the plan cannot be read.\n");
}

static json_t *load(const char *path) {
  json_error_t err;
  json_t *j = strcmp(path, "-") == 0
                  ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &err)
                  : json_load_file(path, JSON_REJECT_DUPLICATES, &err);
  if (!j)
    fprintf(stderr, "smartplus: %s: invalid JSON at byte %d (line %d): %s\n",
            path, err.position, err.line, err.text);
  return j;
}

static int lint_main(int argc, char **argv) {
  if (argc != 2) {
    usage(stderr);
    return 2;
  }
  json_t *plan = load(argv[1]);
  if (!plan) return 2;
  int errors = sp_lint_plan(plan, stdout);
  json_decref(plan);
  return errors ? 1 : 0;
}

/* One line per command; each gets argv from its own name on. */
typedef struct command {
  const char *name;
  int (*main)(int argc, char **argv);
} command;

static const command commands[] = {
    {"lint", lint_main},
    {"simulate", sp_simulate_main},
    {"migrate", sp_migrate_main},
    {"apply", sp_apply_main},
    {"advise", sp_advise_main},
};

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].main(argc - 1, argv + 1);
  fprintf(stderr, "smartplus: unknown command \"%s\"\n", argv[1]);
  usage(stderr);
  return 2;
}
