# medex: build, run and test.  See README.md.
#
#   make run     install what is missing, build, start PostgreSQL and Kore
#   make test    the whole suite (unit, HTTP against real PostgreSQL + Kore)
#   make stop    stop the instance of MEDEX_DATA (default var/)

CC		?= cc
KORE_FEATURES	:= $(shell cat /usr/share/kore/features 2>/dev/null)
WARN		= -Wall -Wextra -Werror -Wmissing-declarations -Wshadow \
		  -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
		  -Wsign-compare
CFLAGS_COMMON	= -std=c11 -D_GNU_SOURCE -g $(WARN) -Iapp/core \
		  -I/usr/include/postgresql
CHECK_FLAGS	= $$(pkg-config --cflags --libs check)
CORE_LIBS	= -ljwt -lcrypto -ljansson -largon2 -lunistring -loath -lrhonabwy
# libharu (libhpdf-dev): the coroner referral PDF, in medex.so only;
# libcurl there too: single sign-on's calls to the provider (sso.c).
PDF_LIBS	= -lhpdf

# Two builds: build/ for `make run` (optimised), build/san/ for `make
# test` (AddressSanitizer + UndefinedBehaviorSanitizer everywhere).
SAN_FLAGS	= -fsanitize=address,undefined -fno-omit-frame-pointer \
		  -fno-sanitize-recover=undefined
OUT		?= build
OPT		?= -O2

CORE_SRC	= $(sort $(wildcard app/core/*.c))
DB_SRC		= $(sort $(wildcard app/db/*.c))
HTTP_SRC	= $(sort $(wildcard app/http/*.c app/http/pages/*.c))
CLI_SRC		= $(sort $(wildcard app/cli/*.c))
CORE_HDR	= $(wildcard app/core/*.h)
UNIT_SRC	= $(sort $(wildcard tests/unit/check_*.c))
HTTP_TEST_SRC	= $(sort $(wildcard tests/http/test_*.c))
TESTLIB_SRC	= $(sort $(wildcard tests/lib/*.c))

# app/core is compiled once per build (position-independent, so that
# medex.so can take the same objects) and linked into everything.
CORE_OBJ	= $(CORE_SRC:app/core/%.c=$(OUT)/core/%.o)

UNIT_BIN	= $(UNIT_SRC:tests/unit/%.c=$(OUT)/tests/unit/%)
HTTP_TEST_BIN	= $(HTTP_TEST_SRC:tests/http/%.c=$(OUT)/tests/http/%)

DEPS_STAMP	= build/.deps-ok
ASSETS_STAMP	= build/.assets-ok

.PHONY: all deps run stop demo-reset test test-build unit clean fuzz fuzz-build lint \
	standby test-ha

all: $(DEPS_STAMP) $(ASSETS_STAMP)
	@$(MAKE) --no-print-directory app

app: $(OUT)/medex.so bin/medexctl

deps:
	@scripts/deps.sh
	@mkdir -p build && touch $(DEPS_STAMP)

$(DEPS_STAMP): scripts/deps.sh
	@scripts/deps.sh
	@mkdir -p build && touch $@

# NHS.UK frontend from npm into assets/vendor/ (scripts/assets.sh).
$(ASSETS_STAMP): $(DEPS_STAMP) scripts/assets.sh assets/package-lock.json \
    $(wildcard assets/src/*)
	@scripts/assets.sh
	@touch $@

$(OUT)/core/%.o: app/core/%.c $(CORE_HDR)
	@mkdir -p $(OUT)/core
	$(CC) $(CFLAGS_COMMON) $(OPT) $(EXTRA) -fPIC -c $< -o $@

# app/http/openapi/*.json are embedded by openapi_data.c (.incbin,
# relative to the repository root, where make runs the compiler).
$(OUT)/medex.so: $(CORE_OBJ) $(DB_SRC) $(HTTP_SRC) $(CORE_HDR) \
    $(wildcard app/db/*.h app/http/*.h app/http/pages/*.h) \
    $(wildcard app/http/openapi/*.json)
	@mkdir -p $(OUT)
	$(CC) $(CFLAGS_COMMON) $(OPT) $(EXTRA) $(KORE_FEATURES) -fPIC -shared \
	    -Iapp/db -Iapp/http -Iapp/http/pages $(DB_SRC) $(HTTP_SRC) \
	    $(CORE_OBJ) \
	    -o $@ $(CORE_LIBS) -lpq $(PDF_LIBS) -lcurl

$(OUT)/medexctl: $(CORE_OBJ) $(CLI_SRC) $(CORE_HDR) $(wildcard app/cli/*.h)
	@mkdir -p $(OUT)
	$(CC) $(CFLAGS_COMMON) $(OPT) $(EXTRA) -Iapp/cli $(CLI_SRC) \
	    $(CORE_OBJ) -o $@ $(CORE_LIBS) -lpq

bin/medexctl: $(OUT)/medexctl
	@mkdir -p bin
	cp $< $@

$(OUT)/tests/unit/%: tests/unit/%.c $(CORE_OBJ) $(CORE_HDR)
	@mkdir -p $(OUT)/tests/unit
	$(CC) $(CFLAGS_COMMON) $(OPT) $(EXTRA) $< $(CORE_OBJ) -o $@ \
	    $(CORE_LIBS) $(CHECK_FLAGS)

# testlib is compiled once too; each scenario file links it.  Objects
# are kept (not removed as intermediates), so a rebuild is incremental.
.SECONDARY:
TESTLIB_OBJ	= $(TESTLIB_SRC:tests/lib/%.c=$(OUT)/tests/lib/%.o)
$(OUT)/tests/lib/%.o: tests/lib/%.c $(wildcard tests/lib/*.h) $(CORE_HDR)
	@mkdir -p $(OUT)/tests/lib
	$(CC) $(CFLAGS_COMMON) $(OPT) $(EXTRA) -Itests/lib -c $< -o $@

$(OUT)/tests/http/%: tests/http/%.c $(TESTLIB_OBJ) $(wildcard tests/lib/*.h) \
    $(CORE_OBJ) $(CORE_HDR)
	@mkdir -p $(OUT)/tests/http
	$(CC) $(CFLAGS_COMMON) $(OPT) $(EXTRA) -Itests/lib $< $(TESTLIB_OBJ) \
	    $(CORE_OBJ) -o $@ $(CORE_LIBS) -lpq -lcurl -lssl -lcrypto \
	    $(CHECK_FLAGS)

# The sanitized build of everything the suite runs (SAN_OUT lets two
# people build side by side).
SAN_OUT		?= build/san
test-build: $(DEPS_STAMP) $(ASSETS_STAMP)
	@$(MAKE) --no-print-directory OUT=$(SAN_OUT) OPT=-O1 \
	    EXTRA="$(SAN_FLAGS)" $(SAN_OUT)/medex.so $(SAN_OUT)/medexctl \
	    $(UNIT_BIN:$(OUT)/%=$(SAN_OUT)/%) \
	    $(HTTP_TEST_BIN:$(OUT)/%=$(SAN_OUT)/%)

unit: test-build
	@scripts/test-unit.sh $(SAN_OUT)

# The shape rules (scripts/lint-includes.sh): no include circle in
# app/http, no .c file in app/ over 800 lines.  First in `make test`.
lint:
	@scripts/lint-includes.sh

test: lint test-build
	@scripts/test-unit.sh $(SAN_OUT)
	@scripts/test-http.sh $(SAN_OUT)

# libFuzzer targets (tests/fuzz/fuzz_*.c) against app/core, with
# AddressSanitizer and UndefinedBehaviorSanitizer; `make fuzz` runs each
# for FUZZ_SECONDS from its seed corpus and fails on any finding.
FUZZ_CC		?= clang
FUZZ_OUT	?= build/fuzz
FUZZ_SECONDS	?= 30
FUZZ_SRC	= $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN	= $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_OUT)/%)
FUZZ_FLAGS	= -fsanitize=fuzzer,address,undefined \
		  -fno-sanitize-recover=undefined -fno-omit-frame-pointer -O1

$(FUZZ_OUT)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(CORE_SRC) \
    $(CORE_HDR)
	@mkdir -p $(FUZZ_OUT)
	$(FUZZ_CC) $(CFLAGS_COMMON) $(FUZZ_FLAGS) -Itests/fuzz $< \
	    $(CORE_SRC) -o $@ $(CORE_LIBS)

fuzz-build: $(DEPS_STAMP)
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

fuzz: fuzz-build
	@scripts/fuzz.sh $(FUZZ_OUT) $(FUZZ_SECONDS) \
	    $(FUZZ_SRC:tests/fuzz/%.c=%)

run: all
	@scripts/run.sh $(OUT)

# A synchronous streaming standby of make run's cluster, on this machine
# (scripts/standby.sh; docs/operations.md "Standby and failover").  The
# next make run connects to both and follows a promotion by itself.
standby:
	@scripts/pg.sh start var >/dev/null
	@scripts/standby.sh start var
	@scripts/standby.sh status var

# The failover test (tests/ha/failover.sh, issue 22): a primary and its
# synchronous standby, two instances behind nginx, writers; the primary
# killed, the standby promoted, nothing acknowledged lost; then the
# restore drill (tests/ha/restore.sh): pgBackRest backups, a
# point-in-time restore between two writes.  CI runs it after make test.
test-ha: test-build
	@tests/ha/failover.sh $(SAN_OUT)
	@tests/ha/restore.sh $(SAN_OUT)
	@tests/ha/replica.sh $(SAN_OUT)

stop:
	@scripts/stop.sh

# Development only: the demo office's cases removed and recorded again,
# dated from today (scripts/demo-reset.sh); the demo logins stay.
demo-reset: all
	@scripts/demo-reset.sh

clean:
	rm -rf build bin

# The national-scale benchmark (bench/bench.sh, issue 8): its own
# PostgreSQL cluster and Kore in var/bench-$(BENCH_CASES) (default 10000),
# wrk and pgbench, one table, JSON in bench/results/.  Never run by make
# test; CI does not need wrk.
.PHONY: bench
bench: all
	@bench/bench.sh
