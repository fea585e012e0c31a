# mk/sim.mk - the delivery simulator (src/sim), `smartplus simulate`, and the
# stylized-fact tests (docs/simulator.md).
LIB_SRCS += src/sim/sim.c
CLI_LIB_SRCS += src/cli/simulate.c
UNIT_TESTS += tests/sim/test_sim
