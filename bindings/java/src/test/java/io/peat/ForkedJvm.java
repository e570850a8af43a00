package io.peat;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a class of the packaged jar in a fresh JVM (used by the integration tests). */
final class ForkedJvm {
  private ForkedJvm() {}

  record Run(int exit, String output) {}

  static String prop(String name) {
    String v = System.getProperty(name);
    assertNotNull(v, "system property " + name + " (set by the pom's failsafe configuration) is missing");
    return v;
  }

  /** The packaged jar and protobuf-java, and nothing else. */
  static String jarClassPath() {
    Path jar = Paths.get(prop("peat.jar"));
    assertTrue(Files.exists(jar), jar + " missing");
    return jar + File.pathSeparator + prop("protobuf.jar");
  }

  /**
   * Runs java with the arguments in an environment without LD_PRELOAD and
   * LD_LIBRARY_PATH unless given in env; returns the exit code and the
   * combined stdout and stderr.
   */
  static Run run(Map<String, String> env, List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(prop("java.bin"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("LD_PRELOAD");
    pb.environment().remove("LD_LIBRARY_PATH");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().putAll(env);
    Path log = Files.createTempFile("peat-fork-", ".log");
    try {
      pb.redirectOutput(log.toFile());
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("forked JVM timed out: " + cmd + "\n" + Files.readString(log));
      }
      return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
