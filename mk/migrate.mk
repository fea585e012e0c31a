# smartplus migrate (legacy spc/create -> plan) and apply (plan -> API)
CLI_LIB_SRCS += src/cli/migrate.c
CLI_LIB_SRCS += src/cli/client.c src/cli/apply.c
UNIT_TESTS += tests/cli/test_migrate
