# The Java demo player (examples/demo/java): included by the top-level Makefile.
#   make demo-java   the binding's jar (its Maven build, tests skipped), its
#                    runtime class path, and DemoPlayer compiled against them
#                    in build/demo-bin/java; run.sh runs it.
DEMO_JAVA     := $(BUILD)/demo-bin/java
DEMO_JAVA_SRC := examples/demo/java/src/io/peat/demo/DemoPlayer.java
# The binding's own Maven command line (bindings/java/binding.mk), if defined.
DEMO_JAVA_MVN := $(or $(JAVA_MVN),mvn -B -ntp -f bindings/java -Dpeat.lib=$(CURDIR)/$(BUILD)/lib)

.PHONY: demo-java
# A copy of the jar, so that a later build of the binding cannot change the
# player's classes between two phases of a run.
$(DEMO_JAVA)/peat.jar: $(LIB) bindings/java/pom.xml $(shell find bindings/java/src/main bindings/java/src/build proto -type f 2>/dev/null)
	@mkdir -p $(DEMO_JAVA)
	$(DEMO_JAVA_MVN) -q -Dmaven.test.skip=true package
	$(DEMO_JAVA_MVN) -q dependency:build-classpath -DincludeScope=runtime \
	  -Dmdep.outputFile=$(CURDIR)/$(DEMO_JAVA)/classpath.txt
	cp bindings/java/target/peat-*.jar $@

$(DEMO_JAVA)/classes/.stamp: $(DEMO_JAVA_SRC) $(DEMO_JAVA)/peat.jar
	rm -rf $(DEMO_JAVA)/classes
	javac -Xlint:all -Werror -d $(DEMO_JAVA)/classes \
	  -cp $(DEMO_JAVA)/peat.jar:$$(cat $(DEMO_JAVA)/classpath.txt) $(DEMO_JAVA_SRC)
	@touch $@
demo-java: $(DEMO_JAVA)/classes/.stamp

DEMO_TARGETS += demo-java
