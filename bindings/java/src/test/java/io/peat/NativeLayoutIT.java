package io.peat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar carries exactly the platforms the build names
 * (peat.platforms: this machine's for make test-java, linux-x86_64 and
 * linux-aarch64 for make dist-java), each directory holding libpeat.so.1 and
 * libpeatjni.so built for that directory's machine: 64-bit little-endian ELF
 * shared objects with e_machine EM_X86_64 or EM_AARCH64, libpeat with SONAME
 * libpeat.so.1, the shim needing libpeat.so.1 with RUNPATH $ORIGIN.
 */
class NativeLayoutIT {
  private static final String NATIVE = "io/peat/native/";
  private static final Map<String, Integer> MACHINE = Map.of("linux-x86_64", 62, "linux-aarch64", 183);

  /** The parts of an ELF header and dynamic section checked here. */
  record Elf(int elfClass, int data, int type, int machine, List<String> needed, String soname, String runpath) {}

  static Elf parse(byte[] b) {
    assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, Arrays.copyOf(b, 4), "ELF magic");
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int elfClass = b[4];
    int data = b[5];
    int type = bb.getShort(16) & 0xffff;
    int machine = bb.getShort(18) & 0xffff;
    List<String> needed = new ArrayList<>();
    String soname = null;
    String runpath = null;
    if (elfClass == 2 && data == 1) {
      // Section headers: find SHT_DYNAMIC and the string table it links to.
      long shoff = bb.getLong(0x28);
      int shentsize = bb.getShort(0x3a) & 0xffff;
      int shnum = bb.getShort(0x3c) & 0xffff;
      for (int i = 0; i < shnum; i++) {
        int sh = (int) (shoff + (long) i * shentsize);
        if (bb.getInt(sh + 4) != 6) { // SHT_DYNAMIC
          continue;
        }
        int off = (int) bb.getLong(sh + 0x18);
        int size = (int) bb.getLong(sh + 0x20);
        int strtab = (int) bb.getLong((int) (shoff + (long) bb.getInt(sh + 0x28) * shentsize) + 0x18);
        for (int d = off; d + 16 <= off + size; d += 16) {
          long tag = bb.getLong(d);
          int val = (int) bb.getLong(d + 8);
          if (tag == 1) {
            needed.add(cstring(b, strtab + val));
          } else if (tag == 14) {
            soname = cstring(b, strtab + val);
          } else if (tag == 29) {
            runpath = cstring(b, strtab + val);
          }
        }
      }
    }
    return new Elf(elfClass, data, type, machine, needed, soname, runpath);
  }

  private static String cstring(byte[] b, int at) {
    int end = at;
    while (b[end] != 0) {
      end++;
    }
    return new String(b, at, end - at, StandardCharsets.US_ASCII);
  }

  @Test
  void jarCarriesEachNamedPlatformBuiltForItsMachine() throws Exception {
    List<String> want = Arrays.asList(ForkedJvm.prop("peat.platforms").split(","));
    Map<String, byte[]> files = new TreeMap<>();
    try (ZipFile jar = new ZipFile(ForkedJvm.prop("peat.jar"))) {
      for (ZipEntry e : jar.stream().toList()) {
        if (e.getName().startsWith(NATIVE) && !e.isDirectory()) {
          files.put(e.getName().substring(NATIVE.length()), jar.getInputStream(e).readAllBytes());
        }
      }
    }
    TreeSet<String> expectedNames = new TreeSet<>();
    for (String p : want) {
      expectedNames.add(p + "/" + NativeLoader.PEAT);
      expectedNames.add(p + "/" + NativeLoader.SHIM);
    }
    assertEquals(expectedNames, files.keySet(), "native files in the jar");
    for (var f : files.entrySet()) {
      String platform = f.getKey().substring(0, f.getKey().indexOf('/'));
      Elf elf = parse(f.getValue());
      String what = f.getKey() + ": " + elf;
      assertEquals(2, elf.elfClass(), what + " (ELFCLASS64)");
      assertEquals(1, elf.data(), what + " (little-endian)");
      assertEquals(3, elf.type(), what + " (ET_DYN)");
      assertEquals(MACHINE.get(platform), elf.machine(), what + " (e_machine)");
      if (f.getKey().endsWith(NativeLoader.PEAT)) {
        assertEquals("libpeat.so.1", elf.soname(), what);
      } else {
        assertTrue(elf.needed().contains("libpeat.so.1"), what);
        assertEquals("$ORIGIN", elf.runpath(), what);
      }
    }
  }

  @Test
  void releasePlatformsAreTheLoadersPlatforms() {
    // What make dist-java must package is what NativeLoader can pick.
    assertEquals(new TreeSet<>(MACHINE.keySet()), new TreeSet<>(Arrays.asList(NativeLoader.PLATFORMS)));
    for (String p : ForkedJvm.prop("peat.platforms").split(",")) {
      assertTrue(MACHINE.containsKey(p), p);
    }
  }
}
