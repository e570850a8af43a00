# libpeat — build, test and benchmark everything from one place.
#   make            library (build/lib/libpeat.so) + CLI (build/bin/peat)
#   make demo       the main job: a cross-language mesh demo
#   make test       every test in every language
#   make bench      benchmark report (Go, C, C++, Python, Java)
#   make fuzz       Go fuzzing (FUZZTIME=300000x executions per target) and rapid properties (RAPID_CHECKS=20000)
#   make cross      libpeat.so.1 + libpeat.a for linux/amd64 and linux/arm64, glibc <= 2.17 (tools/cross.mk)
#   make static     build/lib/libpeat.a (Go c-archive) for this machine
#   make dist       release artifacts in build/dist: tarballs, wheels, jar, SBOM, SHA256SUMS (tools/dist.mk)
#   make dist-check make dist twice and compare (reproducible builds)
#   make install PREFIX=/opt/peat
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all

GO        ?= go
CC        ?= gcc
PREFIX    ?= /usr/local
ABI_MAJOR := 1
SONAME    := libpeat.so.$(ABI_MAJOR)
BUILD     := build
LIB       := $(BUILD)/lib/libpeat.so
LIB_REAL  := $(BUILD)/lib/$(SONAME)
TESTLIB   := $(BUILD)/testhooks/libpeat.so
VGLIB     := $(BUILD)/valgrind/libpeat.so
CLI       := $(BUILD)/bin/peat
GO_SRC    := $(shell find core capi cmd internal -name '*.go' -not -name '*_test.go' 2>/dev/null) go.mod go.sum capi/capi.h capi/buf.c capi/peat.map include/peat.h
LDFLAGS_DBG := -extldflags '-Wl,--version-script=$(CURDIR)/capi/peat.map -Wl,-soname,$(SONAME)'
LDFLAGS   := -s -w $(LDFLAGS_DBG)
CFLAGS_T  := -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude
# Under valgrind the library is built with Go's -tags valgrind (the runtime
# annotates its heap for memcheck), async preemption is off (its signal frames
# write below the stack pointer, which memcheck reports), and the Go collector
# is off (when it reuses swept memory, valgrind 3.19's leak checker sometimes
# asserts on overlapping blocks). C allocations are checked in full.
# tests/c/go-runtime.supp suppresses only the Go runtime's own by-design
# reports: its never-freed thread state and heap, and the word-wide reads of
# its assembly (memeqbody, indexbytebody, ...) past the end of short inputs.
VALGRIND  := GOGC=off GODEBUG=asyncpreemptoff=1 LD_LIBRARY_PATH=$(BUILD)/valgrind valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1 --suppressions=tests/c/go-runtime.supp

.PHONY: all lib cli proto proto-check test test-deps test-go test-race test-c test-abi bench fuzz fuzz-short fuzz-targets install demo clean
all: lib cli

# ---- build ---------------------------------------------------------------
lib: $(LIB)
$(LIB): $(GO_SRC)
	@mkdir -p $(BUILD)/lib $(BUILD)/gen
	$(GO) build -buildmode=c-shared -trimpath -ldflags "$(LDFLAGS)" -o $(LIB_REAL) ./capi
	mv $(BUILD)/lib/libpeat.so.h $(BUILD)/gen/libpeat_cgo.h
	ln -sf $(SONAME) $(LIB)

# The same library with test hooks (a panic on demand) for the C tests.
$(TESTLIB): $(GO_SRC)
	@mkdir -p $(dir $@)
	$(GO) build -buildmode=c-shared -tags peat_testhooks -trimpath -ldflags "$(LDFLAGS)" -o $(dir $@)$(SONAME) ./capi
	rm -f $(dir $@)*.h
	ln -sf $(SONAME) $@

$(VGLIB): $(GO_SRC)
	@mkdir -p $(dir $@)
	$(GO) build -buildmode=c-shared -tags valgrind -trimpath -ldflags "-w $(LDFLAGS_DBG)" -o $(dir $@)$(SONAME) ./capi
	rm -f $(dir $@)*.h
	ln -sf $(SONAME) $@

cli: $(CLI)
$(CLI): $(GO_SRC)
	@mkdir -p $(dir $@)
	$(GO) build -trimpath -o $@ ./cmd/peat

proto:
	tools/genproto.sh

# Generated Go code is committed; fail if regenerating would change it.
proto-check:
	@tmp=$$(mktemp -d); tools/genproto.sh "$$tmp/pb" "$$tmp/demo"; \
	for d in pb:core/pb demo:examples/demo/pb; do \
	  if ! diff -r "$$tmp/$${d%%:*}" "$${d#*:}" >/dev/null; then diff -r "$$tmp/$${d%%:*}" "$${d#*:}" | head -20; rm -rf "$$tmp"; \
	    echo "$${d#*:} is stale: run make proto"; exit 1; fi; done; rm -rf "$$tmp"; echo "proto-check: core/pb and examples/demo/pb are fresh"

# zz_generated.go (the typed validators) must be what go generate writes
# from today's validation plans (also TestGeneratedIsFresh).
.PHONY: gen-check
gen-check:
	@tmp=$$(mktemp -d); $(GO) run ./core/validate/gen -o "$$tmp/zz_generated.go" && \
	if ! cmp -s "$$tmp/zz_generated.go" core/validate/zz_generated.go; then diff "$$tmp/zz_generated.go" core/validate/zz_generated.go | head -20; rm -rf "$$tmp"; \
	  echo "core/validate/zz_generated.go is stale: run go generate ./core/validate/"; exit 1; fi; rm -rf "$$tmp"; echo "gen-check: core/validate/zz_generated.go is fresh"

# ---- tests ---------------------------------------------------------------
# Bindings add their own test targets to BINDING_TESTS from bindings/*/binding.mk.
BINDING_TESTS :=
BENCH_TARGETS :=
-include $(sort $(wildcard bindings/*/binding.mk))
-include $(sort $(wildcard tools/*.mk))
# Demo players add their build targets to DEMO_TARGETS from examples/demo/*/demo.mk.
DEMO_TARGETS :=
-include $(sort $(wildcard examples/demo/*/demo.mk))

test: proto-check gen-check test-go test-race fuzz-short test-abi test-c test-cross test-static test-repro $(BINDING_TESTS) dist
	@echo "make test: all suites passed"

# Debian packages the Go tests use: openssl (the Ed25519 interop test).
test-deps:
	@tools/apt-ensure.sh --why "Go tests" openssl

test-go: test-deps
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# Every vector case, each run by two of 16 concurrent goroutines, under the race detector.
test-race:
	$(GO) test -race -count=1 -run 'TestConcurrent' ./core/

# The exported symbol table and the header drift check.
test-abi: $(LIB)
	@bad=$$(nm -D --defined-only $(LIB) | awk '{print $$3}' | grep -v '^peat_' || true); \
	if [ -n "$$bad" ]; then echo "libpeat.so exports non-peat symbols:"; echo "$$bad"; exit 1; fi
	@readelf -d $(LIB) | grep -q 'SONAME.*\[$(SONAME)\]' || { echo "missing SONAME $(SONAME)"; exit 1; }
	$(CC) $(CFLAGS_T) -I$(BUILD)/gen -Icapi -fsyntax-only tests/c/header_drift.c
	g++ -std=c++17 -Wall -Wextra -Werror -pedantic -Iinclude -fsyntax-only -x c++ tests/c/header_cxx.cc
	@echo "test-abi: only peat_* exported, SONAME ok, header matches the library"

# The C example is built and run under valgrind with the tests.
$(BUILD)/ctest/example_roundtrip: examples/c/roundtrip.c include/peat.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_T) -o $@ $< -L$(BUILD)/lib -lpeat -Wl,-rpath,'$$ORIGIN/../lib'

C_TESTS := $(sort $(wildcard tests/c/test_*.c))
C_BINS  := $(patsubst tests/c/%.c,$(BUILD)/ctest/%,$(C_TESTS))
# test_signals runs natively, not under valgrind: valgrind runs one thread at a
# time and delivers signals itself, so it would not test a host's handler
# interrupting Go code on real threads, and memcheck flags the handler's use of
# the Go-allocated signal stack (which the valgrind-tagged runtime annotates).
C_NATIVE := $(BUILD)/ctest/test_signals
$(BUILD)/ctest/%: tests/c/%.c tests/c/ctest.h include/peat.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_T) -pthread -o $@ $< -L$(BUILD)/lib -lpeat -Wl,-rpath,'$$ORIGIN/../lib'

test-c: $(C_BINS) $(BUILD)/ctest/example_roundtrip $(TESTLIB) $(VGLIB)
	@for t in $(filter-out $(C_NATIVE),$(C_BINS)); do echo "== $$t (valgrind)"; $(VALGRIND) $$t; done
	@for t in $(C_NATIVE); do echo "== $$t (natively)"; $$t; done
	@echo "== examples/c/roundtrip.c (valgrind)"; $(VALGRIND) $(BUILD)/ctest/example_roundtrip >/dev/null
	@echo "== docs/QUICKSTART.md C program (valgrind)"; tools/quickstart-c.sh $(CURDIR)/$(BUILD)/lib $(BUILD)/quickstart-c env $(VALGRIND)
	@echo "== panic recovery (test-hooks library)"
	LD_LIBRARY_PATH=$(BUILD)/testhooks $(BUILD)/ctest/test_abi --panic

# ---- benchmarks, fuzzing -------------------------------------------------
# Inputs shared by every language's benchmark, then Go-direct and C, then the
# bindings' own benchmarks (BENCH_TARGETS), then one table.
BENCH_DIR := $(BUILD)/bench
.PHONY: bench-inputs bench-go-c bench-reference
bench-inputs: $(LIB)
	@mkdir -p $(BENCH_DIR)/inputs
	$(GO) run ./bench/inputs $(BENCH_DIR)/inputs

# Go-direct and C alternate over BENCH_ROUNDS rounds; the report takes medians.
BENCH_ROUNDS ?= 3
bench-go-c: bench-inputs $(BUILD)/bench/bench_c
	$(GO) build -o $(BUILD)/bench/gobench ./bench/gobench
	@rm -f $(BENCH_DIR)/go.json $(BENCH_DIR)/go-*.json $(BENCH_DIR)/c.json $(BENCH_DIR)/c-*.json
	@for i in $$(seq 1 $(BENCH_ROUNDS)); do \
	  $(BUILD)/bench/gobench $(BENCH_DIR)/inputs $(BENCH_DIR)/go-$$i.json; \
	  $(BUILD)/bench/bench_c $(BENCH_DIR)/inputs $(BENCH_DIR)/c-$$i.json; done

$(BUILD)/bench/bench_c: bench/c/bench.c include/peat.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c99 -Wall -Wextra -Werror -Iinclude -o $@ $< -L$(BUILD)/lib -lpeat -Wl,-rpath,'$$ORIGIN/../lib'

# The Rust reference's criterion suite ($(REFBENCH)/run.sh) against libpeat's
# equivalent of each of its ids through the C ABI (bench/refc), in alternating
# rounds, process CPU time; first the same libpeat calls Go-direct with
# -benchmem. Writes $(BENCH_DIR)/reference.json and reference.txt. Without
# $(REFBENCH) only libpeat's side runs. docs/PERFORMANCE.md.
REFBENCH ?= ../shared/refbench
REFBENCH_ROUNDS ?= 3
REFBENCH_TIME ?= 1
bench-reference: $(BUILD)/bench/refbench_c
	@mkdir -p $(BENCH_DIR)
	REFBENCH_INPUTS=$(abspath $(REFBENCH))/inputs $(GO) test -run '^$$' -bench . -benchmem -benchtime 300ms ./bench/reference | tee $(BENCH_DIR)/reference-go.txt
	$(GO) run ./bench/refcompare -refbench $(REFBENCH) -harness $(BUILD)/bench/refbench_c -out $(BENCH_DIR) \
	  -rounds $(REFBENCH_ROUNDS) -time $(REFBENCH_TIME) -gobench $(BENCH_DIR)/reference-go.txt

$(BUILD)/bench/refbench_c: bench/refc/refbench.c include/peat.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c99 -Wall -Wextra -Werror -Iinclude -o $@ $< -L$(BUILD)/lib -lpeat -Wl,-rpath,'$$ORIGIN/../lib'

bench: bench-go-c $(BENCH_TARGETS) bench-reference
	@$(GO) run ./bench/report $(BENCH_DIR) | tee $(BENCH_DIR)/report.txt

# Go fuzzing: every Fuzz target for FUZZTIME, then every rapid property
# test with RAPID_CHECKS cases. make test runs the short form (fuzz-short).
# Budgets are execution counts ("Nx"), not durations: with a duration, Go
# 1.26's fuzz coordinator can fail a target with a bare "context deadline
# exceeded" at the deadline under CPU load (go.dev/issue/75804, fixed in Go
# 1.27); a count has no deadline to race. 300000x is about 30-90 s per
# target on the 2-core project machine, 20000x a few seconds.
FUZZTIME ?= 300000x
RAPID_CHECKS ?= 20000
FUZZ_SHORT_TIME ?= 20000x
RAPID_PKGS = $$(grep -rl --include='*_test.go' 'pgregory.net/rapid' core | xargs -n1 dirname | sort -u | sed 's|^|./|')
fuzz: fuzz-targets
	$(GO) test -count=1 -run . $(RAPID_PKGS) -args -rapid.checks=$(RAPID_CHECKS)

fuzz-short:
	@$(MAKE) --no-print-directory fuzz-targets FUZZTIME=$(FUZZ_SHORT_TIME)

fuzz-targets:
	@for spec in $$(grep -rl --include='*_test.go' '^func Fuzz' core | xargs -n1 dirname | sort -u); do \
	  for f in $$(grep -h '^func Fuzz' $$spec/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
	    echo "== $$spec $$f"; $(GO) test ./$$spec -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME); done; done

# ---- install, demo, clean ------------------------------------------------
install: all static
	tools/install.sh "$(PREFIX)"

# make demo: builds what is missing or out of date, each step announced
# ("demo: [n/4] ..."; a step that prints nothing more is up to date), then runs
# tools/demo.sh, which times each phase. A second run rebuilds nothing
# unless sources changed and takes about as long as the run itself.
demo: demo-announce
	@echo "demo: [1/$(words x $(DEMO_TARGETS))] libpeat and the CLI (Go; ~1 min the first time)"
	@$(MAKE) --no-print-directory all
	@n=1; for t in $(DEMO_TARGETS); do n=$$((n + 1)); \
	  echo "demo: [$$n/$(words x $(DEMO_TARGETS))] $$t (nothing more is printed when it is up to date)"; \
	  $(MAKE) --no-print-directory $$t || exit 1; done
	@echo "demo: building done in $$(( $$(date +%s) - $$(cat $(BUILD)/.demo-start) )) s; running the scenario"
	@tools/demo.sh

.PHONY: demo-announce
demo-announce:
	@mkdir -p $(BUILD) && date +%s > $(BUILD)/.demo-start
	@echo "demo: builds libpeat, the CLI and three players (C++, Python, Java), then runs the scenario."
	@echo "demo: the first run installs Debian's cmake/g++/protobuf-compiler/libprotobuf-dev if missing (with sudo"
	@echo "      when not root: it may ask for your password), a Python venv (build/venv-python, from PyPI), Maven"
	@echo "      artifacts (~/.m2) and protoc (build/); that run takes several minutes, later runs much less."

clean:
	rm -rf $(BUILD)
