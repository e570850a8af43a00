package io.peat;

import io.peat.proto.cap.capability.v1.Capability;
import io.peat.proto.cap.capability.v1.CapabilityType;
import io.peat.proto.cap.cell.v1.CellConfig;
import io.peat.proto.cap.cell.v1.CellState;
import io.peat.proto.cap.common.v1.Timestamp;
import io.peat.proto.cap.node.v1.NodeConfig;
import io.peat.proto.directive.v1.ArtifactSpec;
import io.peat.proto.directive.v1.ArtifactType;
import io.peat.proto.validation.v1.ValidateOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** Small, valid messages shared by the tests. */
final class Fixtures {
  private Fixtures() {}

  /** 2025-11-06T12:00:00Z, the time of the reference's examples. */
  static final long T0 = 1_762_430_400L;

  static Timestamp ts(long seconds) {
    return Timestamp.newBuilder().setSeconds(seconds).build();
  }

  /** Validation pinned to T0 + 1 h, so results do not depend on the clock. */
  static ValidateOptions options() {
    return ValidateOptions.newBuilder().setNow(ts(T0 + 3600)).build();
  }

  static Capability capability(String id, float confidence) {
    return Capability.newBuilder()
        .setId(id)
        .setName("camera " + id)
        .setCapabilityType(CapabilityType.CAPABILITY_TYPE_SENSOR)
        .setConfidence(confidence)
        .setRegisteredAt(ts(T0))
        .build();
  }

  static NodeConfig nodeConfig(String id) {
    return NodeConfig.newBuilder()
        .setId(id)
        .setPlatformType("UGV")
        .addCapabilities(capability("cap-1", 0.9f))
        .setCommRangeM(1000f)
        .setMaxSpeedMps(12.5f)
        .setCreatedAt(ts(T0))
        .build();
  }

  static CellConfig cellConfig(String id, int maxSize) {
    return CellConfig.newBuilder().setId(id).setMaxSize(maxSize).setMinSize(1).setCreatedAt(ts(T0)).build();
  }

  /** "abc": the FIPS 180-2 and BLAKE3 test vector. */
  static final byte[] ABC = {'a', 'b', 'c'};
  static final String SHA256_ABC = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  /** An artifact: a config package for /opt/peat/conf with this hash and size. */
  static ArtifactSpec artifact(String hash, long size) {
    return ArtifactSpec.newBuilder().setBlobHash(hash).setSizeBytes(size)
        .setArtifactType(ArtifactType.newBuilder().setConfigPackage(
            ArtifactType.ConfigPackage.newBuilder().setTargetPath("/opt/peat/conf")))
        .build();
  }

  /** The repository's top directory, found from peat.vectors (set by the pom and by dist-check.sh). */
  static Path top() {
    String vectors = System.getProperty("peat.vectors");
    if (vectors == null) {
      throw new IllegalStateException("peat.vectors (set by the pom) is missing");
    }
    return Paths.get(vectors).toAbsolutePath().getParent().getParent();
  }

  /**
   * A key fixture made with OpenSSL (core/security/testdata, see its README):
   * ed25519.pem / ed25519.pub.pem, ed25519-b.*, rsa.*, ec.*, x25519.*,
   * ed25519-encrypted.pem, ed25519.keyid.
   */
  static String key(String name) {
    try {
      return Files.readString(top().resolve("core/security/testdata").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CellState cellState(String id, long seconds, List<String> members) {
    return CellState.newBuilder()
        .setConfig(cellConfig(id, 16))
        .addAllMembers(members)
        .setTimestamp(ts(seconds))
        .build();
  }
}
