package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import io.peat.Peat;
import io.peat.ValidationException;
import io.peat.proto.cap.capability.v1.Capability;
import io.peat.proto.cap.capability.v1.CapabilityType;
import io.peat.proto.cap.common.v1.Timestamp;
import io.peat.proto.cap.node.v1.NodeConfig;
import io.peat.proto.validation.v1.ValidateOptions;
import io.peat.proto.validation.v1.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** What an application does with io.peat:peat from the distributed repository. */
class ConsumerTest {
  private static final long T0 = 1_762_430_400L;

  private static Path codeSource(Class<?> c) throws Exception {
    return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  @Test
  void classPathHasTheDistributedJarAndTheNamedProtobuf() throws Exception {
    assertEquals(sha256(Paths.get(System.getProperty("peat.dist.jar"))), sha256(codeSource(Peat.class)),
        codeSource(Peat.class) + " is not the jar in the distributed repository");
    assertEquals("protobuf-java-" + System.getProperty("protobuf.expected") + ".jar",
        codeSource(Message.class).getFileName().toString());
  }

  @Test
  void validatesAMessage() {
    ValidateOptions now = ValidateOptions.newBuilder().setNow(Timestamp.newBuilder().setSeconds(T0 + 3600)).build();
    Capability camera = Capability.newBuilder().setId("cap-1").setName("camera")
        .setCapabilityType(CapabilityType.CAPABILITY_TYPE_SENSOR).setConfidence(0.9f)
        .setRegisteredAt(Timestamp.newBuilder().setSeconds(T0)).build();
    NodeConfig good = NodeConfig.newBuilder().setId("node-1").setPlatformType("UGV").addCapabilities(camera)
        .setCommRangeM(1000f).setMaxSpeedMps(12.5f).setCreatedAt(Timestamp.newBuilder().setSeconds(T0)).build();
    ValidationReport ok = Peat.validate(good, now);
    assertTrue(ok.getValid(), ok.toString());
    assertSame(good, Peat.requireValid(good, now));

    NodeConfig bad = good.toBuilder().setCapabilities(0, camera.toBuilder().setConfidence(1.5f)).build();
    ValidationReport r = Peat.validate(bad, now);
    assertFalse(r.getValid());
    assertEquals("INVALID_CONFIDENCE", r.getViolations(0).getCode());
    assertEquals("capabilities[0].confidence", r.getViolations(0).getPath());
    ValidationException e = assertThrows(ValidationException.class, () -> Peat.requireValid(bad, now));
    assertEquals(r, e.report());

    assertEquals(good, Peat.fromJson(Peat.toJson(good), NodeConfig.getDefaultInstance()));
  }
}
