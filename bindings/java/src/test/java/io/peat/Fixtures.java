package io.peat;

import io.peat.proto.cap.capability.v1.Capability;
import io.peat.proto.cap.capability.v1.CapabilityType;
import io.peat.proto.cap.cell.v1.CellConfig;
import io.peat.proto.cap.cell.v1.CellState;
import io.peat.proto.cap.common.v1.Timestamp;
import io.peat.proto.cap.node.v1.NodeConfig;
import io.peat.proto.validation.v1.ValidateOptions;
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

  static CellState cellState(String id, long seconds, List<String> members) {
    return CellState.newBuilder()
        .setConfig(cellConfig(id, 16))
        .addAllMembers(members)
        .setTimestamp(ts(seconds))
        .build();
  }
}
