# Legacy Smart+ API (campaign/spc/*) and its deprecation timeline (issue 4).
LIB_SRCS += src/model/spc.c src/rules/spc.c src/api/spc.c
UNIT_TESTS += tests/rules/test_spc
UNIT_TESTS += tests/api/test_spc
