package io.peat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which of the jar's native directories a JVM picks, by os.name and os.arch. */
class NativeLoaderTest {
  @Test
  void x86_64NamesPickLinuxX86_64() {
    assertEquals("linux-x86_64", NativeLoader.platform("Linux", "amd64"));
    assertEquals("linux-x86_64", NativeLoader.platform("Linux", "x86_64"));
  }

  @Test
  void aarch64NamesPickLinuxAarch64() {
    assertEquals("linux-aarch64", NativeLoader.platform("Linux", "aarch64"));
    assertEquals("linux-aarch64", NativeLoader.platform("Linux", "arm64"));
  }

  @Test
  void thisJvmHasAPlatform() {
    String arch = System.getProperty("os.arch");
    assertEquals(arch.equals("amd64") || arch.equals("x86_64") ? "linux-x86_64" : "linux-aarch64", NativeLoader.platform());
  }

  @Test
  void otherPlatformsFailClearly() {
    for (String[] p : new String[][] {{"Linux", "ppc64le"}, {"Linux", "arm"}, {"Linux", "x86"}, {"Mac OS X", "aarch64"},
        {"Windows 11", "amd64"}}) {
      UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> NativeLoader.platform(p[0], p[1]));
      String m = e.getMessage();
      assertTrue(m.contains(p[0] + "/" + p[1]), m);
      assertTrue(m.contains("linux-x86_64 and linux-aarch64"), m);
      assertTrue(m.contains("-Dpeat.library.path"), m);
    }
  }
}
