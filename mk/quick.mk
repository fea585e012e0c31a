# Request bodies decoded straight into the typed struct, without the
# jansson tree (src/model/quick.h); the slow path stays for errors.
LIB_SRCS += src/model/quick.c
UNIT_TESTS += tests/model/test_quick
