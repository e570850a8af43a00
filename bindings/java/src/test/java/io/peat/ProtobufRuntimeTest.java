package io.peat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import io.peat.proto.cap.node.v1.NodeConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The suite runs on the protobuf-java runtime the build names
 * (peat.protobuf.expected: 3.25.x, then 4.x in make test-java's second run),
 * and the generated classes are 3.x gencode, which both run: they neither
 * extend 4.x's GeneratedMessage nor check the runtime's version through
 * RuntimeVersion (a class 3.25 does not have).
 */
class ProtobufRuntimeTest {
  private static Path codeSource(Class<?> c) throws URISyntaxException {
    return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void runsOnTheExpectedProtobufRuntime() throws Exception {
    String expected = System.getProperty("peat.protobuf.expected");
    assertNotNull(expected, "peat.protobuf.expected (set by the pom) is missing");
    assertEquals("protobuf-java-" + expected + ".jar", codeSource(Message.class).getFileName().toString());
    boolean hasRuntimeVersion;
    try {
      Class.forName("com.google.protobuf.RuntimeVersion");
      hasRuntimeVersion = true;
    } catch (ClassNotFoundException e) {
      hasRuntimeVersion = false;
    }
    assertEquals(!expected.startsWith("3."), hasRuntimeVersion, "RuntimeVersion exists from 4.x on");
  }

  @Test
  void generatedClassesAre3xGencode() throws Exception {
    assertEquals("com.google.protobuf.GeneratedMessageV3", NodeConfig.class.getSuperclass().getName());
    // The classes directory (Surefire) or the jar (a run on another machine's JVM).
    Path source = codeSource(NodeConfig.class);
    try (FileSystem jar = Files.isDirectory(source) ? null : FileSystems.newFileSystem(source)) {
      Path classes = jar == null ? source.resolve("io/peat/proto") : jar.getPath("/io/peat/proto");
      checkGencode(classes);
    }
  }

  private static void checkGencode(Path classes) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(classes)) {
      files = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
    assertTrue(files.size() > 100, "generated classes under " + classes + ": " + files.size());
    for (Path f : files) {
      String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      assertFalse(bytes.contains("com/google/protobuf/RuntimeVersion"), f + " needs protobuf-java 4.x (RuntimeVersion)");
      assertFalse(bytes.contains("com/google/protobuf/GeneratedMessage$"), f + " is 4.x gencode (GeneratedMessage)");
    }
  }

  @Test
  void everyTypeOfTheLibraryHasAWorkingClass() throws Exception {
    // Each generated file's descriptor is built on first use: a gencode/runtime mismatch fails here.
    List<String> types = Peat.types();
    assertTrue(types.size() >= 42, types.toString());
    for (String type : types) {
      // Proto package <...>.v1 -> Java package io.peat.proto.<...>.v1 (peat.* without "peat."); nested types with '$'.
      int pkg = type.indexOf(".v1.") + ".v1".length();
      String javaName = "io.peat.proto." + (type.startsWith("peat.") ? type.substring("peat.".length(), pkg) : type.substring(0, pkg))
          + "." + type.substring(pkg + 1).replace('.', '$');
      Message def = (Message) Class.forName(javaName).getMethod("getDefaultInstance").invoke(null);
      assertEquals(type, def.getDescriptorForType().getFullName());
      assertEquals(def, def.getParserForType().parseFrom(Peat.convert(type, Format.JSON, Format.BINARY,
          "{}".getBytes(StandardCharsets.UTF_8))));
    }
  }
}
