package io.peat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads libpeat.so.1 and the JNI shim libpeatjni.so, once per process.
 *
 * <ol>
 *   <li>{@code -Dpeat.library.path=DIR}: both are loaded from DIR (for hosts
 *       whose temp directory is mounted noexec, or for a system install).
 *   <li>Otherwise from the jar's {@code /io/peat/native/<os>-<arch>/}: used in
 *       place when the class path is a directory, else copied into a fresh
 *       directory under {@code -Dpeat.native.dir} (default java.io.tmpdir),
 *       loaded, and deleted again (a loaded library stays mapped).
 * </ol>
 *
 * libpeat is loaded before the shim so that the shim's DT_NEEDED entry
 * resolves to that very copy; the ABI version is checked before any call.
 */
final class NativeLoader {
  static final String PEAT = "libpeat.so.1";
  static final String SHIM = "libpeatjni.so";

  private NativeLoader() {}

  static synchronized void load() {
    String dir = System.getProperty("peat.library.path");
    try {
      if (dir != null && !dir.isEmpty()) {
        loadFrom(Paths.get(dir), true);
      } else {
        loadBundled();
      }
    } catch (IOException e) {
      UnsatisfiedLinkError err = new UnsatisfiedLinkError("peat: cannot load native libraries: " + e);
      err.initCause(e);
      throw err;
    }
    checkAbi();
  }

  /** The platforms whose natives a release jar carries. */
  static final String[] PLATFORMS = {"linux-x86_64", "linux-aarch64"};

  static String platform() {
    return platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  /**
   * The jar's native directory for an {@code os.name} and {@code os.arch}:
   * linux-x86_64 (os.arch amd64 or x86_64) or linux-aarch64 (aarch64 or arm64).
   */
  static String platform(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    String platform = null;
    if (os.startsWith("linux")) {
      switch (arch) {
        case "amd64":
        case "x86_64":
          platform = "linux-x86_64";
          break;
        case "aarch64":
        case "arm64":
          platform = "linux-aarch64";
          break;
        default:
          break;
      }
    }
    if (platform == null) {
      throw new UnsatisfiedLinkError("peat: no bundled native library for " + osName + "/" + osArch
          + " (the jar carries " + String.join(" and ", PLATFORMS)
          + "); build libpeat and its JNI shim for this platform and set -Dpeat.library.path to their directory");
    }
    return platform;
  }

  private static void loadFrom(Path dir, boolean peatOptional) {
    Path peat = dir.resolve(PEAT).toAbsolutePath();
    // With peat.library.path, libpeat may also live elsewhere on the loader's
    // search path; the shim's RUNPATH $ORIGIN and DT_NEEDED then find it.
    if (!peatOptional || Files.exists(peat)) {
      System.load(peat.toString());
    }
    System.load(dir.resolve(SHIM).toAbsolutePath().toString());
  }

  private static void loadBundled() throws IOException {
    String base = "/io/peat/native/" + platform() + "/";
    URL shim = NativeLoader.class.getResource(base + SHIM);
    URL peat = NativeLoader.class.getResource(base + PEAT);
    if (shim == null || peat == null) {
      throw new UnsatisfiedLinkError("peat: the jar has no native libraries for " + platform()
          + " (set -Dpeat.library.path to a directory holding " + PEAT + " and " + SHIM + ")");
    }
    if ("file".equals(shim.getProtocol()) && "file".equals(peat.getProtocol())) {
      try {
        loadFrom(Paths.get(shim.toURI()).getParent(), false);
        return;
      } catch (URISyntaxException e) {
        // fall through to extraction
      }
    }
    String parent = System.getProperty("peat.native.dir");
    Path root = parent == null || parent.isEmpty()
        ? Paths.get(System.getProperty("java.io.tmpdir"))
        : Paths.get(parent);
    Files.createDirectories(root);
    Path tmp = Files.createTempDirectory(root, "peat-native-");
    try {
      copy(peat, tmp.resolve(PEAT));
      copy(shim, tmp.resolve(SHIM));
      loadFrom(tmp, false);
    } finally {
      Files.deleteIfExists(tmp.resolve(SHIM));
      Files.deleteIfExists(tmp.resolve(PEAT));
      Files.deleteIfExists(tmp);
    }
  }

  private static void copy(URL from, Path to) throws IOException {
    try (InputStream in = from.openStream()) {
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void checkAbi() {
    int lib = PeatNative.abiVersion();
    int header = PeatNative.headerAbiVersion();
    int major = lib >>> 16;
    int minor = lib & 0xffff;
    if (major != Peat.ABI_MAJOR || minor < Peat.ABI_MINOR || header != ((Peat.ABI_MAJOR << 16) | Peat.ABI_MINOR)) {
      throw new UnsatisfiedLinkError(String.format(
          "peat: libpeat ABI %d.%d is incompatible with this binding (needs %d.%d or a later 1.x; shim built for %d.%d)",
          major, minor, Peat.ABI_MAJOR, Peat.ABI_MINOR, header >>> 16, header & 0xffff));
    }
  }
}
