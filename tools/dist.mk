# Release artifacts, included by the top-level Makefile (after tools/cross.mk).
#   make dist         everything in build/dist/, from a clean directory:
#                       libpeat-<v>-linux-{x86_64,aarch64}.tar.gz   (dist-native)
#                       peat-<v>-py3-none-manylinux2014_*.whl, peat-<v>.tar.gz (dist-python,
#                                                                     bindings/python/binding.mk)
#                       maven/io/peat/peat/<v>/...                   (dist-java, bindings/java/binding.mk)
#                       libpeat-<v>.cdx.json  the SBOM (CycloneDX 1.6: Go modules, Python and
#                                             Maven runtime dependencies, versions, licenses)
#                       SHA256SUMS            every other file, sorted, relative paths
#   make dist-native  only the two native tarballs
#   make dist-check   `make dist` twice, the second time from no libraries and an
#                     empty Go build cache; the two SHA256SUMS must be identical
#   make test-repro   (part of make test) each shared library of `make cross`
#                     built a second time with the same command: byte-identical
# Reproducible: -trimpath and -buildid= for every Go binary, archive entries
# sorted with owner 0 and fixed modes, every timestamp SOURCE_DATE_EPOCH (the
# commit time unless set), gzip -n. The version is core/core.go's.
DIST          ?= $(BUILD)/dist
DIST_WORK     ?= $(BUILD)/dist-work
DIST_VERSION  := $(shell sed -n 's/^const Version = "\([0-9.]*\)".*/\1/p' core/core.go)
DIST_EPOCH    := $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null))
DIST_ARCH_amd64 := x86_64
DIST_ARCH_arm64 := aarch64
DIST_TARBALLS := $(foreach a,$(CROSS_ARCHS),$(DIST)/libpeat-$(DIST_VERSION)-linux-$(DIST_ARCH_$(a)).tar.gz)
DIST_SBOM     := $(DIST)/libpeat-$(DIST_VERSION).cdx.json
# The SBOM generators (see tools/dist-sbom.sh; the Python ones: tools/requirements-sbom.txt).
export DIST_GOMOD_VERSION     := v1.10.0
export DIST_CDX_MAVEN_VERSION := 2.9.3
DIST_INSTALL_INPUTS := tools/install.sh tools/dist-native.sh include/peat.h bindings/cpp/include/peat/peat.hpp \
                       tools/peat.pc.in tools/peat-static.pc.in cmake/PeatConfig.cmake.in cmake/PeatConfigVersion.cmake.in cmake/PeatProto.cmake \
                       $(shell find proto -name '*.proto')

.PHONY: dist dist-native dist-check test-repro
# Every dist target, and what they build on the way (the bindings' wheel and
# jar builds honour SOURCE_DATE_EPOCH too), sees the same epoch.
dist dist-native dist-python dist-java dist-check: export SOURCE_DATE_EPOCH := $(DIST_EPOCH)

dist:
	@[ -n "$(DIST_EPOCH)" ] || { echo "dist: no commit time (not a git checkout?): set SOURCE_DATE_EPOCH"; exit 1; }
	rm -rf $(DIST) $(DIST_WORK)
	$(MAKE) --no-print-directory dist-native dist-python dist-java
	tools/dist-sbom.sh $(DIST_VERSION) $(DIST) $(DIST_WORK) $(DIST_SBOM)
	tools/dist-verify.sh $(DIST_VERSION) $(DIST)
	cd $(DIST) && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | xargs -d '\n' sha256sum > SHA256SUMS
	@echo "dist: $$(wc -l < $(DIST)/SHA256SUMS) artifacts in $(DIST), summed in SHA256SUMS"

dist-native: $(DIST_TARBALLS)

# The CLI is pure Go: no C compiler, no libc dependency.
$(DIST_WORK)/linux-%/bin/peat: $(GO_SRC) tools/dist.mk
	@mkdir -p $(dir $@)
	CGO_ENABLED=0 GOOS=linux GOARCH=$* $(GO) build -trimpath -ldflags "-s -w -buildid=" -o $@ ./cmd/peat

# $(1) Go arch
define dist_tarball
$(DIST)/libpeat-$(DIST_VERSION)-linux-$(DIST_ARCH_$(1)).tar.gz: $(CROSS)/linux-$(1)/lib/$(SONAME) $(CROSS)/linux-$(1)/lib/libpeat.a \
    $(DIST_WORK)/linux-$(1)/bin/peat $(DIST_INSTALL_INPUTS)
	@[ -n "$$$$SOURCE_DATE_EPOCH" ] || { echo "dist-native: no SOURCE_DATE_EPOCH"; exit 1; }
	tools/dist-native.sh $(DIST_VERSION) $(DIST_ARCH_$(1)) $(CROSS)/linux-$(1)/lib/$(SONAME) \
	  $(CROSS)/linux-$(1)/lib/libpeat.a $(DIST_WORK)/linux-$(1)/bin/peat $$@
endef
$(foreach a,$(CROSS_ARCHS),$(eval $(call dist_tarball,$(a))))

# Twice, compared: the second run starts from no libraries (the cross builds
# and the CLI are removed, so every binary is linked again, and each binding's
# dist target repackages them) and, unless DIST_CHECK_GOCACHE=warm, from an
# empty Go build cache, so Go's compile steps are redone too.
DIST_CHECK_GOCACHE ?= fresh
dist-check:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(MAKE) --no-print-directory dist; \
	cp -a $(DIST) "$$tmp/first"; \
	rm -rf $(foreach a,$(CROSS_ARCHS),$(CROSS)/linux-$(a)/lib) $(DIST_WORK); \
	echo "== dist-check: second build, from no libraries (Go build cache: $(DIST_CHECK_GOCACHE))"; \
	$(if $(filter fresh,$(DIST_CHECK_GOCACHE)),GOCACHE="$$tmp/gocache") $(MAKE) --no-print-directory dist; \
	if ! diff "$$tmp/first/SHA256SUMS" $(DIST)/SHA256SUMS; then \
	  keep=$(BUILD)/dist-check-first; rm -rf $$keep; mv "$$tmp/first" $$keep; \
	  echo "dist-check: FAILED: the two builds differ (the first is kept in $$keep)"; exit 1; fi; \
	echo "dist-check: two builds, $$(wc -l < $(DIST)/SHA256SUMS) artifacts, identical SHA256SUMS"
	@# The published Maven repository from a consumer's side, on both protobuf-java runtimes.
	$(MAKE) --no-print-directory dist-check-java

# Each shared library of `make cross`, built a second time by the same command
# into a temporary directory (warm Go cache: seconds), must be byte-identical.
test-repro: $(foreach a,$(CROSS_ARCHS),$(CROSS)/linux-$(a)/lib/$(SONAME))
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(foreach a,$(CROSS_ARCHS),mkdir -p "$$tmp/$(a)" && $(call cross_shared_cmd,$(a),"$$tmp/$(a)/$(SONAME)") && \
	  a1=$$(sha256sum < $(CROSS)/linux-$(a)/lib/$(SONAME)) && a2=$$(sha256sum < "$$tmp/$(a)/$(SONAME)") && \
	  if [ "$$a1" != "$$a2" ]; then echo "test-repro: linux/$(a) $(SONAME) differs between two builds"; exit 1; fi && \
	  echo "test-repro: linux/$(a) $(SONAME) identical in two builds: $${a1%% *}";) true
