# Java binding (bindings/java): Maven project io.peat:peat — JNI shim, bundled
# natives, protobuf-java classes from proto/ (a pinned 3.25-era protoc, so they
# run on protobuf-java 3.25.x and 4.x), JUnit 5 tests, JMH benchmarks.
#   make test-java        mvn verify on protobuf-java 3.25.x (the declared floor): unit tests +
#                         vectors + stress (Surefire), javadoc of io.peat with -Xdoclint:all (any
#                         warning fails), then the packaged jar in fresh JVMs, the stress test
#                         under -Xcheck:jni, a JPMS module requiring io.peat and docs/QUICKSTART.md's
#                         Java program (Failsafe); then the same compiled classes and jar, both
#                         runners again, on the newest 4.x. Host natives (build/lib).
#   make dist-java        build/dist/maven: io.peat:peat jar with linux-x86_64 and linux-aarch64
#                         natives (make cross), -sources, -javadoc, flattened POM; reproducible
#   make dist-check-java  a scratch consumer of build/dist/maven on both protobuf-java versions, and
#                         the unit suite in an arm64 JVM under qemu on the jar's aarch64 natives
#   make bench-java       JMH (short settings) -> build/bench/java.json
JAVA_MVN := mvn -B -ntp -f bindings/java -Dpeat.lib=$(CURDIR)/$(BUILD)/lib
JAVA_POM := bindings/java/pom.xml
JAVA_VERSION := $(shell sed -n '/<artifactId>peat<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' $(JAVA_POM))
JAVA_PB3 := $(shell sed -n 's/.*<protobuf.version>\(.*\)<\/protobuf.version>.*/\1/p' $(JAVA_POM))
JAVA_PB4 := $(shell sed -n 's/.*<protobuf4.version>\(.*\)<\/protobuf4.version>.*/\1/p' $(JAVA_POM))
# Where make dist-java takes the natives from and publishes to.
JAVA_CROSS ?= $(BUILD)/cross
JAVA_REPO  ?= $(BUILD)/dist/maven
JAVA_DIST  ?= $(BUILD)/java-dist
JAVA_JAR   := $(JAVA_REPO)/io/peat/peat/$(JAVA_VERSION)/peat-$(JAVA_VERSION).jar
# Timestamps inside the jars: SOURCE_DATE_EPOCH if set, else the commit's time.
JAVA_EPOCH = $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null),1767225600)

.PHONY: test-java bench-java dist-java dist-check-java
BINDING_TESTS += test-java
BENCH_TARGETS += bench-java

# One closing line over every runner's reports ($(1): the target directory).
define java_summary
	@cat $(1)/surefire-reports-*/TEST-*.xml $(1)/failsafe-reports-*/TEST-*.xml \
	  | grep -o '<testsuite [^>]*' | awk '{ for (i = 1; i <= NF; i++) if (split($$i, kv, "=") == 2) { \
	      gsub(/"/, "", kv[2]); n[kv[1]] += kv[2] } } \
	    END { printf "java: %d passed, %d failed, %d skipped\n", n["tests"] - n["failures"] - n["errors"] - n["skipped"], \
	      n["failures"] + n["errors"], n["skipped"] }'
endef

test-java: $(LIB)
	$(JAVA_MVN) clean verify
	@echo "== the same classes and jar on protobuf-java $(JAVA_PB4)"
	$(JAVA_MVN) -Dprotobuf.version=$(JAVA_PB4) dependency:properties surefire:test failsafe:integration-test failsafe:verify
	$(call java_summary,bindings/java/target)

bench-java: bench-inputs
	$(JAVA_MVN) -Pbench verify -Dbench.inputs=$(CURDIR)/$(BENCH_DIR)/inputs -Dbench.out=$(CURDIR)/$(BENCH_DIR)/java.json

# The release jar: built in $(JAVA_DIST) with the natives of both architectures,
# its packaged-jar tests run (layout and ELF machines, fresh JVMs, -Xcheck:jni),
# then deployed with its -sources/-javadoc jars and flattened POM into $(JAVA_REPO).
dist-java: $(JAVA_JAR)
$(JAVA_JAR): $(JAVA_POM) $(shell find bindings/java/src proto -type f -not -path 'bindings/java/src/consumer/*' 2>/dev/null) \
    $(foreach a,amd64 arm64,$(JAVA_CROSS)/linux-$(a)/lib/$(SONAME))
	rm -rf $(JAVA_REPO)/io/peat/peat
	mvn -B -ntp -f bindings/java -Pdist -Dpeat.cross=$(abspath $(JAVA_CROSS)) -Dpeat.dist.dir=$(abspath $(JAVA_DIST)) \
	  -Dproject.build.outputTimestamp=$(JAVA_EPOCH) \
	  -Dmaven.install.skip=true -DaltDeploymentRepository=local::file:$(abspath $(JAVA_REPO)) clean deploy
	bindings/java/src/build/dist-repo.sh $(JAVA_REPO) $(JAVA_VERSION) $(JAVA_EPOCH)

dist-check-java: $(JAVA_JAR) | cross-deps
	bindings/java/src/build/dist-check.sh $(CURDIR) $(JAVA_REPO) $(JAVA_VERSION) $(JAVA_DIST) $(JAVA_PB3) $(JAVA_PB4)
