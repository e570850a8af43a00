package io.peat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar on the module path (JPMS): it is the automatic module
 * io.peat, and a module that says only {@code requires io.peat;} compiles
 * against it and protobuf-java (3.25.x or 4.x, whichever this run has) and
 * runs: validation, JSON, merges, documents and exceptions. io.peat also runs
 * with protobuf-java left on the class path.
 */
class JpmsIT {
  private static final String MODULE_INFO = """
      module peat.consumer {
        requires io.peat;
      }
      """;

  private static final String APP = """
      package consumer;

      import com.google.protobuf.Message;
      import io.peat.DecodeException;
      import io.peat.Document;
      import io.peat.Peat;
      import io.peat.proto.cap.cell.v1.CellConfig;
      import io.peat.proto.cap.cell.v1.CellState;
      import io.peat.proto.cap.common.v1.Timestamp;
      import io.peat.proto.cap.node.v1.NodeConfig;
      import io.peat.proto.crdt.v1.NodeDoc;

      public final class App {
        private App() {}

        private static CellState cell(String member) {
          Timestamp t = Timestamp.newBuilder().setSeconds(1_762_430_400L).build();
          CellConfig config = CellConfig.newBuilder().setId("cell-1").setMinSize(1).setMaxSize(8).setCreatedAt(t).build();
          return CellState.newBuilder().setConfig(config).addMembers(member).setTimestamp(t).build();
        }

        public static void main(String[] args) {
          Module peat = Peat.class.getModule();
          Module protobuf = Message.class.getModule();
          System.out.println("module " + peat.getName() + (peat.getDescriptor().isAutomatic() ? " automatic" : ""));
          System.out.println("module " + protobuf.getName() + (protobuf.getDescriptor().isAutomatic() ? " automatic" : ""));
          System.out.println("consumer reads " + protobuf.getName() + ": " + App.class.getModule().canRead(protobuf));
          NodeConfig node = NodeConfig.newBuilder().setId("uav-1").setPlatformType("UAV").build();
          Message m = Peat.fromJson(Peat.toJson(node), NodeConfig.getDefaultInstance());
          System.out.println("round trip: " + m.equals(node) + ", valid: " + Peat.validate(node).getValid());
          System.out.println("members: " + Peat.merge(cell("uav-1"), cell("uav-2")).getMembersList());
          NodeDoc doc = (NodeDoc) Document.create(Document.Kind.NODE).toProto();
          System.out.println("document: " + doc.getDescriptorForType().getFullName());
          try {
            Peat.fromJson("{", NodeConfig.getDefaultInstance());
          } catch (DecodeException e) {
            System.out.println("error: " + e.status() + " " + e.code());
          }
        }
      }
      """;

  private static Path jar() {
    return Paths.get(ForkedJvm.prop("peat.jar"));
  }

  /** The jar and protobuf-java, as a module path. */
  private static String modulePath() {
    return ForkedJvm.jarClassPath();
  }

  @Test
  void theJarIsTheAutomaticModuleIoPeat() {
    ModuleReference ref = ModuleFinder.of(jar()).find("io.peat")
        .orElseThrow(() -> new AssertionError(jar() + " is not the module io.peat"));
    ModuleDescriptor d = ref.descriptor();
    // An automatic module (Automatic-Module-Name), not a module-info: see README § Modules.
    assertTrue(d.isAutomatic(), d.toString());
    Set<String> packages = d.packages();
    assertTrue(packages.contains("io.peat"), packages.toString());
    assertTrue(packages.containsAll(Set.of("io.peat.proto.cap.node.v1", "io.peat.proto.validation.v1",
        "io.peat.proto.crdt.v1", "io.peat.proto.directive.v1", "io.peat.proto.security.v1", "io.peat.proto.api.v1")),
        packages.toString());
    assertTrue(packages.stream().allMatch(p -> p.equals("io.peat") || p.startsWith("io.peat.proto.")),
        "only io.peat and io.peat.proto.* (no split packages): " + packages);
    // What makes "requires io.peat" enough: protobuf-java is an automatic module too, on 3.25.x and 4.x.
    List<String> protobuf = ModuleFinder.of(Paths.get(ForkedJvm.prop("protobuf.jar"))).findAll().stream()
        .map(r -> r.descriptor().name() + (r.descriptor().isAutomatic() ? " automatic" : "")).collect(Collectors.toList());
    assertEquals(List.of("com.google.protobuf automatic"), protobuf);
  }

  @Test
  void aModuleRequiringIoPeatCompilesAndRuns(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("consumer"));
    Path moduleInfo = Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
    Path app = Files.writeString(src.resolve("consumer/App.java"), APP);
    Path out = dir.resolve("out");
    Javac.compile(List.of("--module-path", modulePath(), "-d", out.toString()), List.of(moduleInfo, app));

    ForkedJvm.Run r = ForkedJvm.run(Map.of(), List.of("--module-path", out + File.pathSeparator + modulePath(),
        "-m", "peat.consumer/consumer.App"), 60);
    assertEquals(0, r.exit(), r.output());
    assertEquals(List.of(
        "module io.peat automatic",
        "module com.google.protobuf automatic",
        "consumer reads com.google.protobuf: true",
        "round trip: true, valid: true",
        "members: [uav-1, uav-2]",
        "document: peat.crdt.v1.NodeDoc",
        "error: DECODE DECODE_ERROR"), r.output().lines().toList(), r.output());
  }

  /** What an explicit module-info could not do: io.peat on the module path, protobuf-java on the class path. */
  @Test
  void protobufMayStayOnTheClassPath() throws Exception {
    ForkedJvm.Run r = ForkedJvm.run(Map.of(), List.of("--module-path", jar().toString(),
        "-cp", ForkedJvm.prop("protobuf.jar"), "-m", "io.peat"), 60);
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().startsWith("libpeat "), r.output());
  }

  @Test
  void theModuleRunsItsMainClass() throws Exception {
    ForkedJvm.Run r = ForkedJvm.run(Map.of(), List.of("--module-path", modulePath(), "-m", "io.peat"), 60);
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().startsWith("libpeat "), r.output());
  }
}
