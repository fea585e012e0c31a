/*
 * cli/simulate.h - `smartplus simulate PLAN.json --days N`: run a plan in
 * the delivery simulator in-process (no server), print a daily table per ad
 * group and optionally write it as CSV.
 */
#ifndef SP_CLI_SIMULATE_H
#define SP_CLI_SIMULATE_H

int sp_simulate_main(int argc, char **argv);

#endif
