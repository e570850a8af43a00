package io.peat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar loads its bundled native libraries in a fresh JVM. */
class FreshJvmIT {
  @Test
  void jarWorksWithoutAnyLibraryPath() throws Exception {
    ForkedJvm.Run r = ForkedJvm.run(Map.of(), List.of("-cp", ForkedJvm.jarClassPath(), "io.peat.Main"), 60);
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().startsWith("libpeat "), r.output());
    assertTrue(r.output().contains("(ABI 1."), r.output());
    assertTrue(r.output().contains("{\"id\":\"node-1\",\"platformType\":\"UGV\"}"), r.output());
  }

  @Test
  void extractionDirectoryIsHonouredAndCleanedUp(@TempDir Path dir) throws Exception {
    ForkedJvm.Run r = ForkedJvm.run(Map.of(),
        List.of("-Dpeat.native.dir=" + dir, "-cp", ForkedJvm.jarClassPath(), "io.peat.Main"), 60);
    assertEquals(0, r.exit(), r.output());
    try (var left = Files.list(dir)) {
      assertEquals(List.of(), left.toList(), "extracted libraries are deleted once loaded");
    }
  }

  @Test
  void libraryPathPropertyLoadsFromADirectory(@TempDir Path dir) throws Exception {
    // A directory holding the two libraries, as a system install would.
    Path bundled = Paths.get(ForkedJvm.prop("native.dir"));
    Files.copy(bundled.resolve("libpeat.so.1"), dir.resolve("libpeat.so.1"));
    Files.copy(bundled.resolve("libpeatjni.so"), dir.resolve("libpeatjni.so"));
    // An extraction directory that cannot be used proves nothing is extracted.
    ForkedJvm.Run r = ForkedJvm.run(Map.of(), List.of("-Dpeat.library.path=" + dir, "-Dpeat.native.dir=/proc/peat-no-such-dir",
        "-cp", ForkedJvm.jarClassPath(), "io.peat.Main"), 60);
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().startsWith("libpeat "), r.output());
  }

  @Test
  void missingLibraryDirectoryFailsClearly(@TempDir Path dir) throws Exception {
    ForkedJvm.Run r = ForkedJvm.run(Map.of(), List.of("-Dpeat.library.path=" + dir,
        "-cp", ForkedJvm.jarClassPath(), "io.peat.Main"), 60);
    assertNotEquals(0, r.exit());
    assertTrue(r.output().contains("UnsatisfiedLinkError"), r.output());
    assertTrue(r.output().contains("libpeatjni.so"), r.output());
  }
}
