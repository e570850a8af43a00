package io.peat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles sources with the JDK's javac, in process (used by the integration tests). */
final class Javac {
  private Javac() {}

  /**
   * Compiles the sources with the options and -Werror; fails the test with
   * javac's output on any error or warning.
   */
  static void compile(List<String> options, List<Path> sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "no system Java compiler (the tests need a JDK)");
    List<String> args = new ArrayList<>(options);
    args.add("-Werror");
    sources.forEach(p -> args.add(p.toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc = javac.run(null, out, out, args.toArray(new String[0]));
    assertEquals(0, rc, "javac " + String.join(" ", args) + " failed:\n" + out.toString(StandardCharsets.UTF_8));
  }
}
