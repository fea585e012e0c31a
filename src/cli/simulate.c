/*
 * cli/simulate.c - `smartplus simulate PLAN.json [--days N] [--seed N]
 * [--csv out.csv] [--population N] [--start "YYYY-MM-DD HH:MM:SS"]`.
 *
 * Loads the plan into a sim_world (src/sim/sim.h), advances it day by day
 * and prints, per day and ad group: spend, impressions, clicks, conversions
 * (attributed after dedup, by touch day), CPA and the learning state at
 * the end of the day. Conversions that arrive after a day ended are added
 * to the day of their touch, so the table is printed once the run is over.
 * Same plan and seed: byte-identical output.
 */
#include "simulate.h"

#include "../core/sp.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../sim/sim.h"

#define MAXG 64

typedef struct day_cell {
  int64_t spend, imps, clicks, conv, raw, view;
  char state[24];
  int nobs;
} day_cell;

typedef struct run {
  int days, ng;
  int64_t start;
  int64_t ids[MAXG];
  day_cell *cells; /* days x ng */
} run;

static void on_row(void *arg, const sp_metric_row *r) {
  run *x = arg;
  int64_t d = (r->hour - x->start) / 86400;
  if (d < 0 || d >= x->days) return;
  for (int g = 0; g < x->ng; g++)
    if (x->ids[g] == r->adgroup_id) {
      day_cell *c = &x->cells[d * x->ng + g];
      c->spend += r->spend_micros;
      c->imps += r->impressions;
      c->clicks += r->clicks;
      c->conv += r->conversions;
      c->raw += r->conversions_raw;
      c->view += r->view_through;
    }
}

static void usage(void) {
  fprintf(stderr, "usage: smartplus simulate PLAN.json [--days N] [--seed N] [--csv OUT.csv]\n"
                  "                          [--population N] [--start \"YYYY-MM-DD HH:MM:SS\"]\n");
}

int sp_simulate_main(int argc, char **argv) {
  const char *path = NULL, *csv = NULL, *start_s = NULL;
  int days = 14, pop = 0;
  unsigned long long seed = 1;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--days") && i + 1 < argc) days = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--csv") && i + 1 < argc) csv = argv[++i];
    else if (!strcmp(argv[i], "--population") && i + 1 < argc) pop = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--start") && i + 1 < argc) start_s = argv[++i];
    else if (argv[i][0] == '-' && argv[i][1]) {
      usage();
      return 2;
    } else path = argv[i];
  }
  if (!path || days <= 0 || days > 366) {
    usage();
    return 2;
  }
  json_error_t je;
  json_t *plan = strcmp(path, "-") == 0 ? json_loadf(stdin, 0, &je) : json_load_file(path, 0, &je);
  if (!plan) {
    fprintf(stderr, "smartplus: %s: invalid JSON at line %d: %s\n", path, je.line, je.text);
    return 2;
  }
  sim_config cfg;
  sim_config_default(&cfg);
  cfg.seed = seed;
  const json_t *sc = json_object_get(plan, "sim");
  if (json_is_integer(json_object_get(sc, "population")))
    cfg.population = (int)json_integer_value(json_object_get(sc, "population"));
  if (pop > 0) cfg.population = pop;
  int64_t start = 1775001600; /* 2026-04-01 00:00:00 UTC, the sandbox epoch */
  if (!start_s) start_s = json_string_value(json_object_get(sc, "start"));
  if (start_s && sp_time_parse(start_s, &start) != 0) {
    fprintf(stderr, "smartplus: --start: expected \"YYYY-MM-DD HH:MM:SS\"\n");
    json_decref(plan);
    return 2;
  }
  start -= start % 86400;
  sim_world *w = sim_create(&cfg);
  char err[256];
  if (sim_load_plan(w, start, plan, err, sizeof err)) {
    fprintf(stderr, "smartplus: %s: %s\n", path, err);
    sim_destroy(w);
    json_decref(plan);
    return 1;
  }
  run x = {0};
  x.days = days;
  x.start = start;
  x.ng = (int)sim_adgroup_ids(w, x.ids, MAXG);
  x.cells = xcalloc((size_t)days * (size_t)(x.ng ? x.ng : 1), sizeof *x.cells);
  sim_set_row_callback(w, on_row, &x);
  for (int d = 0; d < days; d++) {
    sim_advance(w, start + (int64_t)d * 86400, start + (int64_t)(d + 1) * 86400);
    for (int g = 0; g < x.ng; g++) {
      sim_adgroup_state st;
      sim_adgroup_state_get(w, x.ids[g], &st);
      day_cell *c = &x.cells[d * x.ng + g];
      snprintf(c->state, sizeof c->state, "%s", st.learning_status);
      c->nobs = st.conversions_in_window;
    }
  }
  FILE *f = csv ? fopen(csv, "w") : NULL;
  if (csv && !f) {
    fprintf(stderr, "smartplus: %s: cannot write\n", csv);
    free(x.cells);
    sim_destroy(w);
    json_decref(plan);
    return 1;
  }
  if (f)
    fprintf(f, "date,adgroup_id,spend,impressions,clicks,conversions,conversions_raw,view_through,"
               "cpa,learning_status,learning_conversions\n");
  printf("%-10s %-10s %10s %11s %8s %8s %8s  %-16s\n", "date", "adgroup", "spend", "impressions",
         "clicks", "conv", "cpa", "learning");
  for (int d = 0; d < days; d++) {
    char date[20];
    sp_time_format(start + (int64_t)d * 86400, date);
    date[10] = '\0';
    for (int g = 0; g < x.ng; g++) {
      day_cell *c = &x.cells[d * x.ng + g];
      char cpa[32] = "-";
      if (c->conv) snprintf(cpa, sizeof cpa, "%.2f", (double)c->spend / 1e6 / (double)c->conv);
      printf("%-10s %-10lld %10.2f %11lld %8lld %8lld %8s  %s (%d)\n", date, (long long)x.ids[g],
             (double)c->spend / 1e6, (long long)c->imps, (long long)c->clicks, (long long)c->conv,
             cpa, c->state, c->nobs);
      if (f)
        fprintf(f, "%s,%lld,%.2f,%lld,%lld,%lld,%lld,%lld,%s,%s,%d\n", date, (long long)x.ids[g],
                (double)c->spend / 1e6, (long long)c->imps, (long long)c->clicks, (long long)c->conv,
                (long long)c->raw, (long long)c->view, c->conv ? cpa : "", c->state, c->nobs);
    }
  }
  printf("conversions are counted on the day of the ad touch; the last days of a run\n"
         "are immature (conversions keep arriving for days after a touch).\n");
  if (f) fclose(f);
  free(x.cells);
  sim_destroy(w);
  json_decref(plan);
  return 0;
}
