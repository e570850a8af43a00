# The Java demo player (examples/demo/java): included by the top-level Makefile.
#   make demo-java   the binding's jar (mvn package of bindings/java, tests
#                    skipped), its runtime class path, and DemoPlayer compiled
#                    against them in build/demo-bin/java; run.sh runs it.
DEMO_JAVA     := $(BUILD)/demo-bin/java
DEMO_JAVA_SRC := examples/demo/java/src/io/peat/demo/DemoPlayer.java
DEMO_JAVA_POM := bindings/java/pom.xml
MVN           ?= mvn

.PHONY: demo-java
# A copy of the jar, so that a later build of the binding cannot change the
# demo's classes halfway through a run.
$(DEMO_JAVA)/peat.jar: $(LIB) $(DEMO_JAVA_POM) $(shell find bindings/java/src/main bindings/java/src/build proto -type f 2>/dev/null)
	@mkdir -p $(DEMO_JAVA)
	$(MVN) -q -B -ntp -f $(DEMO_JAVA_POM) -Dmaven.test.skip=true package
	$(MVN) -q -B -ntp -f $(DEMO_JAVA_POM) dependency:build-classpath -DincludeScope=runtime \
	  -Dmdep.outputFile=$(CURDIR)/$(DEMO_JAVA)/classpath.txt
	cp bindings/java/target/peat-*.jar $@

$(DEMO_JAVA)/classes/.stamp: $(DEMO_JAVA_SRC) $(DEMO_JAVA)/peat.jar
	rm -rf $(DEMO_JAVA)/classes
	javac -Xlint:all -Werror -d $(DEMO_JAVA)/classes \
	  -cp $(DEMO_JAVA)/peat.jar:$$(cat $(DEMO_JAVA)/classpath.txt) $(DEMO_JAVA_SRC)
	@touch $@
demo-java: $(DEMO_JAVA)/classes/.stamp

DEMO_TARGETS += demo-java
