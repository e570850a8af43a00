# Cross builds and what they ship, included by the top-level Makefile.
#   make cross        libpeat.so.1 and libpeat.a for linux/amd64 and linux/arm64
#                     under build/cross/linux-<arch>/lib/, each needing glibc 2.17
#                     at most (checked: the build fails otherwise)
#   make test-cross   the C ABI tests, examples/c and a replay of every vector
#                     against each of those four libraries (shared and static):
#                     amd64 natively, arm64 under qemu-aarch64 (part of make test)
#   make static       build/lib/libpeat.a for this machine (installed by make install)
#
# The C compiler is Zig's (`zig cc`, pinned PyPI ziglang, tools/zig.sh) with a
# target that names the glibc version, so one x86_64 machine builds both
# architectures against glibc 2.17 symbols. The arm64 binaries run under
# Debian's qemu-user with libc6-arm64-cross (tools/deps-cross.sh).
CROSS       := $(BUILD)/cross
CROSS_ARCHS := amd64 arm64
GLIBC_MAX   := 2.17
ZIG_TARGET_amd64 := x86_64-linux-gnu.$(GLIBC_MAX)
ZIG_TARGET_arm64 := aarch64-linux-gnu.$(GLIBC_MAX)
ZIG_CC       = $(CURDIR)/tools/zig.sh cc $(ZIG_TARGET_$(1))
ZIG_STAMP   := $(BUILD)/tools/.zig-$(shell sed -n 's/^ziglang==//p' tools/requirements-cross.txt)
# How to run a binary of each architecture on this (x86_64) machine.
HOST_ARCH   := $(shell uname -m)
RUN_amd64   := $(if $(filter x86_64,$(HOST_ARCH)),,qemu-x86_64 -L /usr/x86_64-linux-gnu)
RUN_arm64   := $(if $(filter aarch64,$(HOST_ARCH)),,qemu-aarch64 -L /usr/aarch64-linux-gnu)
# A Go c-archive needs the C program to link the threads library.
STATIC_LIBS := -lpthread
# `make lib`'s flags; zig's linker strips only when told (-s -w alone leave its debug info).
# -buildid= (with -trimpath) keeps the shipped binaries reproducible (tools/dist.mk).
CROSS_LDFLAGS := -s -w -buildid= -extldflags '-Wl,--version-script=$(CURDIR)/capi/peat.map -Wl,-soname,$(SONAME) -Wl,--strip-all'
CROSS_STATIC_LDFLAGS := -s -w -buildid=
# The commands that build each library; $(1) arch, $(2) output. test-repro
# (tools/dist.mk) runs the same command a second time and compares.
cross_shared_cmd = CGO_ENABLED=1 GOOS=linux GOARCH=$(1) CC="$(call ZIG_CC,$(1))" \
  $(GO) build -buildmode=c-shared -trimpath -ldflags "$(CROSS_LDFLAGS)" -o $(2) ./capi
cross_static_cmd = CGO_ENABLED=1 GOOS=linux GOARCH=$(1) CC="$(call ZIG_CC,$(1))" \
  $(GO) build -buildmode=c-archive -trimpath -ldflags "$(CROSS_STATIC_LDFLAGS)" -o $(2) ./capi
CROSS_CFLAGS := -std=c99 -Wall -Wextra -Werror -pedantic -O2 -Iinclude -Itests/c

.PHONY: cross static test-cross test-cross-amd64 test-cross-arm64 cross-deps
cross: $(foreach a,$(CROSS_ARCHS),$(CROSS)/linux-$(a)/lib/$(SONAME) $(CROSS)/linux-$(a)/lib/libpeat.a)
	@echo "cross: $(foreach a,$(CROSS_ARCHS),linux/$(a)) built, glibc <= $(GLIBC_MAX), only peat_* exported"

$(ZIG_STAMP): tools/requirements-cross.txt tools/zig.sh
	tools/zig.sh --install
	@mkdir -p $(dir $@) && touch $@

cross-deps:
	tools/deps-cross.sh

# Shared: the same flags as `make lib` (version script, SONAME), then the checks.
$(CROSS)/linux-%/lib/$(SONAME): $(GO_SRC) $(ZIG_STAMP) tools/check-elf.sh tools/cross.mk
	@mkdir -p $(dir $@)
	$(call cross_shared_cmd,$*,$@)
	rm -f $(dir $@)libpeat.so.h
	ln -sf $(SONAME) $(dir $@)libpeat.so
	GLIBC_MAX=$(GLIBC_MAX) tools/check-elf.sh --shared $@ || { rm -f $@; exit 1; }

# Static: a Go c-archive with the same exports (include/peat.h). Its glibc
# needs are settled when a program links it; test-cross checks those programs.
$(CROSS)/linux-%/lib/libpeat.a: $(GO_SRC) $(ZIG_STAMP) tools/cross.mk
	@mkdir -p $(dir $@)
	$(call cross_static_cmd,$*,$@)
	rm -f $(basename $@).h

static: $(BUILD)/lib/libpeat.a
$(BUILD)/lib/libpeat.a: $(GO_SRC)
	@mkdir -p $(dir $@)
	$(GO) build -buildmode=c-archive -trimpath -ldflags "-s -w" -o $@ ./capi
	rm -f $(basename $@).h

# The C programs of the cross tests: tests/c/test_*.c, examples/c/roundtrip.c and
# tests/c/vectors.c, each linked once against libpeat.so.1 (shared/) and once
# against libpeat.a (static/), compiled by the same zig cc.
CROSS_PROGS := $(patsubst tests/c/%.c,%,$(sort $(wildcard tests/c/test_*.c))) example_roundtrip vectors
cross_src = $(if $(filter example_roundtrip,$(1)),examples/c/roundtrip.c,tests/c/$(1).c)

# $(1) arch, $(2) program
define cross_program
$(CROSS)/linux-$(1)/shared/$(2): $(call cross_src,$(2)) tests/c/ctest.h include/peat.h $(CROSS)/linux-$(1)/lib/$(SONAME)
	@mkdir -p $$(dir $$@)
	$(call ZIG_CC,$(1)) $(CROSS_CFLAGS) -o $$@ $$< -L$(CROSS)/linux-$(1)/lib -lpeat -Wl,-rpath,'$$$$ORIGIN/../lib'
$(CROSS)/linux-$(1)/static/$(2): $(call cross_src,$(2)) tests/c/ctest.h include/peat.h $(CROSS)/linux-$(1)/lib/libpeat.a
	@mkdir -p $$(dir $$@)
	$(call ZIG_CC,$(1)) $(CROSS_CFLAGS) -o $$@ $$< $(CROSS)/linux-$(1)/lib/libpeat.a $(STATIC_LIBS)
endef
$(foreach a,$(CROSS_ARCHS),$(foreach p,$(CROSS_PROGS),$(eval $(call cross_program,$(a),$(p)))))

# Every program passes natively or under qemu; the vectors must all be replayed.
define cross_test
test-cross-$(1): $(foreach k,shared static,$(addprefix $(CROSS)/linux-$(1)/$(k)/,$(CROSS_PROGS)))
	@GLIBC_MAX=$(GLIBC_MAX) tools/check-elf.sh $$^
	@for k in shared static; do for p in $(CROSS_PROGS); do \
	  echo "== linux/$(1) $$$$k $$$$p$(if $(RUN_$(1)), (qemu))"; \
	  case $$$$p in \
	    vectors) $(RUN_$(1)) $(CROSS)/linux-$(1)/$$$$k/$$$$p tests/vectors ;; \
	    example_roundtrip) out=$$$$($(RUN_$(1)) $(CROSS)/linux-$(1)/$$$$k/$$$$p 2>&1) || { echo "$$$$out"; exit 1; }; echo "example_roundtrip: ok" ;; \
	    *) $(RUN_$(1)) $(CROSS)/linux-$(1)/$$$$k/$$$$p ;; \
	  esac; done; done
endef
$(foreach a,$(CROSS_ARCHS),$(eval $(call cross_test,$(a))))

# The arm64 runs need qemu-user and the arm64 glibc (installed on first use).
test-cross-arm64: | cross-deps

test-cross: $(foreach a,$(CROSS_ARCHS),test-cross-$(a))
	@echo "test-cross: $(foreach a,$(CROSS_ARCHS),linux/$(a)) passed: shared and static, glibc <= $(GLIBC_MAX)"

# The installed static library from a consumer's side: pkg-config peat-static,
# CMake Peat::peat_static (installed package and add_subdirectory).
.PHONY: test-static
test-static: $(LIB) $(BUILD)/lib/libpeat.a | cpp-deps
	tests/c/static_check.sh $(CURDIR) $(CURDIR)/$(LIB_REAL) $(CURDIR)/$(BUILD)/lib/libpeat.a $(CURDIR)/$(BUILD)/static-check
