# smartplus advise (issue 6): the seeds' advice applied to a campaign
CLI_LIB_SRCS += src/cli/advise.c
UNIT_TESTS += tests/cli/test_advise
