package io.peat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stress test (16 threads x 100,000 calls, see {@link StressMain}) in a
 * fresh JVM under -Xcheck:jni, loading the natives from the packaged jar, with
 * libjsig preloaded as the README tells services to do. Any JVM warning fails
 * the test: JNI misuse by the shim, or a signal handler replaced behind the
 * JVM's back.
 */
class CheckJniIT {
  @Test
  void stressUnderCheckJniHasNoWarnings() throws Exception {
    String cp = ForkedJvm.jarClassPath() + File.pathSeparator + ForkedJvm.prop("test.classes");
    ForkedJvm.Run r = ForkedJvm.run(Map.of("LD_PRELOAD", ForkedJvm.prop("jsig.lib")),
        List.of("-Xcheck:jni", "-Xmx256m", "-cp", cp, "io.peat.StressMain", "16", "100000"), 240);
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("stress ok: 1600000 calls"), r.output());
    List<String> warnings = r.output().lines()
        .filter(l -> l.contains("WARNING") || l.contains("Warning") || l.contains("***")).toList();
    assertEquals(List.of(), warnings, r.output());
  }
}
