# Reports (issue 6): report/integrated/get, smart_plus/material_report/overview
# and the report-row store ops (store/sqlite.c, end of file).
UNIT_TESTS += tests/store/test_metrics
LIB_SRCS += src/api/report.c
UNIT_TESTS += tests/api/test_report
