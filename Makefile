# smartplus - build, run, test.
#
#   make run     install missing Debian packages (as root), build, start
#                smartplusd on 127.0.0.1:8080 and print the demo token
#   make test    build with AddressSanitizer + UBSan and run every test
#   make bench   run the benchmarks: bench/api.sh (wrk against smartplusd and
#                nginx), bench/events.sh (dedup vs redis, HTTP ingestion),
#                bench/sim.sh (a simulated day of 600 ad groups, 1M users)
#
# Objects are listed by hand, one line per module (STYLE.md: Redis).

CC      ?= cc
PKGS    := libmicrohttpd jansson yajl sqlite3 liblz4 libxxhash libcurl gsl
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
               -Wno-unused-parameter $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lmicrohttpd -ljansson -lyajl -lsqlite3 -llz4 -lxxhash -lcurl -lgsl -lgslcblas) -lpthread -lm

# release build (what `make run` starts) and sanitizer build (what tests use)
REL_DIR  := build/release
ASAN_DIR := build/asan
REL_CFLAGS  := $(CFLAGS_BASE) -O2 -g
ASAN_CFLAGS := $(CFLAGS_BASE) -O1 -g -fno-omit-frame-pointer \
               -fsanitize=address,undefined -fno-sanitize-recover=undefined

PORT ?= 8080
LISTEN ?= 127.0.0.1
DB ?= smartplus.db

# The library both binaries share: core, model, rules, store, api.
LIB_SRCS := \
  src/core/sp.c \
  src/core/clock.c \
  src/core/text.c \
  src/rules/spec_enums.c \
  src/rules/campaign.c \
  src/rules/adgroup.c \
  src/rules/ad.c \
  src/model/json.c \
  src/model/schema.c \
  src/model/objects.c \
  src/model/adgroup_ad.c \
  src/store/store.c \
  src/store/sqlite.c \
  src/store/born.c \
  src/store/kin.c \
  src/store/resident.c \
  src/api/dispatch.c \
  src/api/objects.c \
  src/api/campaign.c \
  src/api/adgroup.c \
  src/api/ad.c \
  src/api/pixel.c \
  src/api/demo.c \
  src/api/sandbox.c \
  src/events/dedup.c \
  src/http/server.c

SERVER_SRCS := src/bin/smartplusd.c
# The command-line client's modules (linked into the CLI tests too).
CLI_LIB_SRCS := src/cli/lint.c

UNIT_TESTS := \
  tests/core/test_core \
  tests/model/test_schema \
  tests/model/test_json \
  tests/rules/test_spec_enums \
  tests/rules/test_campaign \
  tests/rules/test_adgroup \
  tests/rules/test_ad \
  tests/api/test_api \
  tests/api/test_adgroup_ad \
  tests/api/test_sandbox \
  tests/store/test_store \
  tests/events/test_dedup \
  tests/cli/test_lint

# Each later module lists its sources and tests in its own mk/*.mk, adding to
# LIB_SRCS, CLI_LIB_SRCS and UNIT_TESTS, so modules built side by side never
# edit the same lines here.
include $(sort $(wildcard mk/*.mk))

CLI_SRCS := src/bin/smartplus.c $(CLI_LIB_SRCS)
CLI_OBJS_ASAN := $(CLI_LIB_SRCS:%.c=$(ASAN_DIR)/%.o)

HDRS := $(wildcard src/*/*.h)

.PHONY: all run deps test unit blackbox bench clean gen lint-src

all: $(REL_DIR)/smartplusd $(REL_DIR)/smartplus

# ---- objects -------------------------------------------------------------

$(REL_DIR)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -c $< -o $@

$(ASAN_DIR)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -c $< -o $@

$(REL_DIR)/libsmartplus.a: $(LIB_SRCS:%.c=$(REL_DIR)/%.o)
	ar rcs $@ $^

$(ASAN_DIR)/libsmartplus.a: $(LIB_SRCS:%.c=$(ASAN_DIR)/%.o)
	ar rcs $@ $^

$(REL_DIR)/smartplusd: $(SERVER_SRCS:%.c=$(REL_DIR)/%.o) $(REL_DIR)/libsmartplus.a
	$(CC) $(REL_CFLAGS) $^ -o $@ $(LDLIBS)

$(REL_DIR)/smartplus: $(CLI_SRCS:%.c=$(REL_DIR)/%.o) $(REL_DIR)/libsmartplus.a
	$(CC) $(REL_CFLAGS) $^ -o $@ $(LDLIBS)

$(ASAN_DIR)/smartplusd: $(SERVER_SRCS:%.c=$(ASAN_DIR)/%.o) $(ASAN_DIR)/libsmartplus.a
	$(CC) $(ASAN_CFLAGS) $^ -o $@ $(LDLIBS)

$(ASAN_DIR)/smartplus: $(CLI_SRCS:%.c=$(ASAN_DIR)/%.o) $(ASAN_DIR)/libsmartplus.a
	$(CC) $(ASAN_CFLAGS) $^ -o $@ $(LDLIBS)

$(ASAN_DIR)/tests/%: tests/%.c tests/testutil.h $(ASAN_DIR)/libsmartplus.a $(CLI_OBJS_ASAN)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -Isrc $< $(CLI_OBJS_ASAN) $(ASAN_DIR)/libsmartplus.a -o $@ $(LDLIBS) -lcmocka

# ---- commands ------------------------------------------------------------

deps:
	@./tools/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	./$(REL_DIR)/smartplusd --listen $(LISTEN) --port $(PORT) --db $(DB) $(if $(DEMO_TOKEN),--demo-token $(DEMO_TOKEN))

test: deps
	@$(MAKE) --no-print-directory $(ASAN_DIR)/smartplusd $(ASAN_DIR)/smartplus \
	  $(UNIT_TESTS:%=$(ASAN_DIR)/%)
	@./tests/run.sh $(ASAN_DIR) $(UNIT_TESTS)

bench: deps all
	./bench/api.sh
	./bench/events.sh
	./bench/sim.sh

# Regenerate src/rules/spec_enums.[ch] from ../shared/spec (maintainers only;
# the generated files are committed, so building never needs ../shared).
gen:
	python3 tools/gen_spec_enums.py

clean:
	rm -rf build
