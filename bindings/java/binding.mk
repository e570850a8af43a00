# Java binding (bindings/java): Maven project io.peat:peat — JNI shim, bundled
# natives, protobuf-java classes from proto/ (pinned protoc), JUnit 5 tests,
# JMH benchmarks.
#   make test-java    mvn verify: unit tests + vectors + stress (Surefire), then the
#                     packaged jar in fresh JVMs and the stress test under -Xcheck:jni (Failsafe)
#   make bench-java   JMH (short settings) -> build/bench/java.json
JAVA_MVN := mvn -B -ntp -f bindings/java -Dpeat.lib=$(CURDIR)/$(BUILD)/lib

.PHONY: test-java bench-java
BINDING_TESTS += test-java
BENCH_TARGETS += bench-java

test-java: $(LIB)
	$(JAVA_MVN) clean verify
	@# One closing line over both runners' reports (make stops earlier on any failure).
	@cat bindings/java/target/surefire-reports/TEST-*.xml bindings/java/target/failsafe-reports/TEST-*.xml \
	  | grep -o '<testsuite [^>]*' | awk '{ for (i = 1; i <= NF; i++) if (split($$i, kv, "=") == 2) { \
	      gsub(/"/, "", kv[2]); n[kv[1]] += kv[2] } } \
	    END { printf "java: %d passed, %d failed, %d skipped\n", n["tests"] - n["failures"] - n["errors"] - n["skipped"], \
	      n["failures"] + n["errors"], n["skipped"] }'

bench-java: bench-inputs
	$(JAVA_MVN) -Pbench verify -Dbench.inputs=$(CURDIR)/$(BENCH_DIR)/inputs -Dbench.out=$(CURDIR)/$(BENCH_DIR)/java.json
