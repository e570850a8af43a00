# The Java demo player (examples/demo/java): included by the top-level Makefile.
#   make demo-java   the binding's jar (its Maven build, tests skipped), its
#                    runtime class path, the demo's own schema (examples/demo/proto,
#                    peat.demo.v1: not in the jar) generated into Java classes,
#                    and DemoPlayer compiled with them against the jar in
#                    build/demo-bin/java; run.sh runs it.
DEMO_JAVA     := $(BUILD)/demo-bin/java
DEMO_JAVA_SRC := examples/demo/java/src/io/peat/demo/DemoPlayer.java
# The binding's own Maven command line (bindings/java/binding.mk), if defined.
DEMO_JAVA_MVN := $(or $(JAVA_MVN),mvn -B -ntp -f bindings/java -Dpeat.lib=$(CURDIR)/$(BUILD)/lib)
# The demo's classes come from the same protoc as the jar's own classes (the
# pom's protoc.java.version, fetched from Maven Central like tools/protoc.sh),
# so they run on the same protobuf-java runtimes as the jar.
DEMO_JAVA_PROTOC_VERSION := $(shell sed -n 's|.*<protoc.java.version>\(.*\)</protoc.java.version>.*|\1|p' bindings/java/pom.xml)
DEMO_JAVA_PROTOC_ARCH    := $(if $(filter aarch64,$(shell uname -m)),linux-aarch_64,linux-x86_64)
DEMO_JAVA_PROTOC         := $(DEMO_JAVA)/protoc-$(DEMO_JAVA_PROTOC_VERSION)

.PHONY: demo-java
# A copy of the jar, so that a later build of the binding cannot change the
# player's classes between two phases of a run.
$(DEMO_JAVA)/peat.jar: $(LIB) bindings/java/pom.xml $(shell find bindings/java/src/main bindings/java/src/build proto -type f 2>/dev/null)
	@echo "demo: building the Java player: the binding's jar with Maven (~1-3 min; the first run downloads into ~/.m2)"
	@mkdir -p $(DEMO_JAVA)
	$(DEMO_JAVA_MVN) -q -Dmaven.test.skip=true package
	$(DEMO_JAVA_MVN) -q dependency:build-classpath -DincludeScope=runtime \
	  -Dmdep.outputFile=$(CURDIR)/$(DEMO_JAVA)/classpath.txt
	cp bindings/java/target/peat-*.jar $@

$(DEMO_JAVA_PROTOC):
	@[ -n "$(DEMO_JAVA_PROTOC_VERSION)" ] || { echo "demo-java: no <protoc.java.version> in bindings/java/pom.xml"; exit 1; }
	@mkdir -p $(DEMO_JAVA)
	mvn -q -B -ntp dependency:copy -Dartifact=com.google.protobuf:protoc:$(DEMO_JAVA_PROTOC_VERSION):exe:$(DEMO_JAVA_PROTOC_ARCH) \
	  -DoutputDirectory=$(CURDIR)/$(DEMO_JAVA) -Dmdep.stripVersion=false
	mv $(DEMO_JAVA)/protoc-$(DEMO_JAVA_PROTOC_VERSION)-$(DEMO_JAVA_PROTOC_ARCH).exe $@
	chmod +x $@

$(DEMO_JAVA)/classes/.stamp: $(DEMO_JAVA_SRC) $(DEMO_JAVA)/peat.jar $(DEMO_JAVA_PROTOC) $(shell find examples/demo/proto -name '*.proto')
	rm -rf $(DEMO_JAVA)/classes $(DEMO_JAVA)/gen
	@mkdir -p $(DEMO_JAVA)/gen
	$(DEMO_JAVA_PROTOC) -I proto -I examples/demo/proto --java_out=$(DEMO_JAVA)/gen \
	  $$(cd examples/demo/proto && find . -name '*.proto' | sed 's|^\./||' | sort)
	javac -Xlint:all -Werror -d $(DEMO_JAVA)/classes \
	  -cp $(DEMO_JAVA)/peat.jar:$$(cat $(DEMO_JAVA)/classpath.txt) $(DEMO_JAVA_SRC) $$(find $(DEMO_JAVA)/gen -name '*.java' | sort)
	@touch $@
demo-java: $(DEMO_JAVA)/classes/.stamp

DEMO_TARGETS += demo-java
