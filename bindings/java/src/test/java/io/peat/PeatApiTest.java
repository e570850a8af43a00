package io.peat;

import static io.peat.Fixtures.T0;
import static io.peat.Fixtures.ts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.peat.proto.cap.capability.v1.Capability;
import io.peat.proto.cap.cell.v1.CellState;
import io.peat.proto.cap.node.v1.NodeConfig;
import io.peat.proto.crdt.v1.AddMember;
import io.peat.proto.crdt.v1.DocInit;
import io.peat.proto.crdt.v1.Operation;
import io.peat.proto.crdt.v1.SetLeader;
import io.peat.proto.directive.v1.ArtifactSpec;
import io.peat.proto.directive.v1.ArtifactType;
import io.peat.proto.directive.v1.DeploymentDirective;
import io.peat.proto.directive.v1.DeploymentScope;
import io.peat.proto.directive.v1.DeploymentState;
import io.peat.proto.directive.v1.DeploymentStatus;
import io.peat.proto.directive.v1.RolloutDecision;
import io.peat.proto.directive.v1.RolloutSummary;
import io.peat.proto.directive.v1.SummarizeRequest;
import io.peat.proto.directive.v1.TargetDecision;
import io.peat.proto.directive.v1.TargetReason;
import io.peat.proto.directive.v1.TargetRequest;
import io.peat.proto.directive.v1.Transition;
import io.peat.proto.validation.v1.BatchValidationReport;
import io.peat.proto.validation.v1.SanitizeChange;
import io.peat.proto.validation.v1.ValidationReport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public API, one job at a time. */
public class PeatApiTest {
  // ---- library information --------------------------------------------------

  @Test
  void abiMatchesTheBinding() {
    int abi = Peat.abiVersion();
    assertEquals(Peat.ABI_MAJOR, abi >>> 16);
    assertTrue((abi & 0xffff) >= Peat.ABI_MINOR);
    assertTrue(Peat.version().matches("\\d+\\.\\d+\\.\\d+.*"), Peat.version());
  }

  @Test
  void statusEnumMatchesTheLibrary() {
    for (Status s : Status.values()) {
      if (s != Status.UNKNOWN) {
        assertEquals(s.stableName(), Peat.statusName(s.code()), s.toString());
      }
    }
    assertEquals("UNKNOWN_STATUS", Peat.statusName(4242));
  }

  @Test
  void typesListsTheIcdAndProjectMessages() {
    List<String> types = Peat.types();
    assertTrue(types.contains("cap.node.v1.NodeConfig"));
    assertTrue(types.contains("cap.cell.v1.CellState"));
    assertTrue(types.contains("peat.directive.v1.DeploymentDirective"));
    assertEquals(types.stream().sorted().toList(), types, "sorted");
  }

  // ---- conversion --------------------------------------------------------------

  @Test
  void jsonRoundTripAgreesWithProtobufJava() throws Exception {
    NodeConfig config = Fixtures.nodeConfig("node-1");
    String json = Peat.toJson(config);
    assertTrue(json.contains("\"platformType\":\"UGV\""), json);
    // libpeat's proto3 JSON is read back identically by protobuf-java's own parser...
    NodeConfig.Builder viaJava = NodeConfig.newBuilder();
    JsonFormat.parser().merge(json, viaJava);
    assertEquals(config, viaJava.build());
    // ...and protobuf-java's JSON is read by libpeat.
    String javaJson = JsonFormat.printer().print(config);
    assertEquals(config, Peat.fromJson(javaJson, NodeConfig.getDefaultInstance()));
  }

  @Test
  void binaryOutputIsDeterministicAndEqualToProtobufJava() {
    NodeConfig config = Fixtures.nodeConfig("node-1");
    byte[] json = Peat.convert("cap.node.v1.NodeConfig", Format.BINARY, Format.JSON, config.toByteArray());
    byte[] bin = Peat.convert("cap.node.v1.NodeConfig", Format.JSON, Format.BINARY, json);
    assertArrayEquals(config.toByteArray(), bin);
  }

  @Test
  void rustJsonRoundTrip() {
    NodeConfig config = Fixtures.nodeConfig("node-1");
    String rust = Peat.toRustJson(config);
    assertTrue(rust.contains("\"platform_type\""), rust);
    assertEquals(config, Peat.fromRustJson(rust, NodeConfig.getDefaultInstance()));
  }

  @Test
  void directiveFromTheReferenceRustJson() {
    String ref = "{\"directive_id\":\"d-1\",\"issued_at\":\"2025-11-06T12:00:00Z\",\"issuer_node_id\":\"c2\","
        + "\"scope\":{\"type\":\"broadcast\"},\"artifact\":{\"blob_hash\":\"sha256:def456\",\"size_bytes\":100000000,"
        + "\"artifact_type\":{\"type\":\"container\",\"runtime\":\"docker\",\"ports\":[],\"env\":{}}},"
        + "\"capabilities\":[],\"config\":null,\"options\":{\"priority\":\"normal\",\"timeout_seconds\":300,"
        + "\"replace_existing\":false,\"auto_activate\":true}}";
    DeploymentDirective d = Peat.fromRustJson(ref, DeploymentDirective.getDefaultInstance());
    assertEquals("d-1", d.getDirectiveId());
    assertEquals(T0, d.getIssuedAt().getSeconds());
    assertTrue(d.getScope().hasBroadcast());
    assertTrue(d.getArtifact().getArtifactType().hasContainer());
    assertEquals(ref, Peat.toRustJson(d), "written back byte for byte");
  }

  @Test
  void compressRoundTripAndBombRefused() {
    byte[] data = "peat ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
    byte[] frame = Peat.compress(data);
    assertTrue(frame.length < data.length / 10);
    assertArrayEquals(data, Peat.decompress(frame));
    DecompressException e = assertThrows(DecompressException.class, () -> Peat.decompress(frame, 1000));
    assertEquals(Status.DECOMPRESS, e.status());
    assertThrows(DecompressException.class, () -> Peat.decompress(new byte[] {1, 2, 3, 4, 5}));
  }

  // ---- errors -------------------------------------------------------------------

  @Test
  void errorsMapToTheirExceptionClasses() {
    UnknownTypeException u = assertThrows(UnknownTypeException.class,
        () -> Peat.convert("cap.nope.v1.Nope", Format.BINARY, Format.JSON, new byte[0]));
    assertEquals("UNKNOWN_TYPE", u.code());
    assertEquals(Status.UNKNOWN_TYPE.code(), u.statusCode());

    DecodeException d = assertThrows(DecodeException.class,
        () -> Peat.convert("cap.node.v1.NodeConfig", Format.BINARY, Format.JSON, new byte[] {(byte) 0xff, 0x01}));
    assertEquals(Status.DECODE, d.status());
    assertTrue(d.getMessage().startsWith(d.code() + ": "), d.getMessage());

    DecodeException j = assertThrows(DecodeException.class,
        () -> Peat.fromJson("{\"id\": 5}", NodeConfig.getDefaultInstance()));
    assertFalse(j.code().isEmpty());

    InvalidArgumentException a = assertThrows(InvalidArgumentException.class,
        () -> PeatNative.convert("cap.node.v1.NodeConfig", 1, 99, new byte[0]));
    assertEquals(Status.INVALID_ARGUMENT, a.status());
    assertThrows(InvalidArgumentException.class, () -> PeatNative.convert(null, 1, 2, new byte[0]));
  }

  @Test
  void oversizeInputIsRefusedBeforeDecoding() {
    byte[] huge = new byte[70 << 20]; // above every ICD limit
    TooLargeException e = assertThrows(TooLargeException.class,
        () -> Peat.convert("cap.node.v1.NodeConfig", Format.BINARY, Format.JSON, huge));
    assertEquals("MESSAGE_TOO_LARGE", e.code());
  }

  // ---- validation ---------------------------------------------------------------------

  @Test
  void validMessageGivesAValidReport() {
    ValidationReport r = Peat.validate(Fixtures.nodeConfig("node-1"), Fixtures.options());
    assertTrue(r.getValid(), r.toString());
    assertEquals("cap.node.v1.NodeConfig", r.getType());
    assertEquals(0, r.getViolationsCount());
    assertTrue(r.getDecoded());
  }

  @Test
  void invalidMessageReportsCodeAndPath() {
    NodeConfig bad = Fixtures.nodeConfig("node-1").toBuilder().setCapabilities(0, Fixtures.capability("cap-1", 1.5f)).build();
    ValidationReport r = Peat.validate(bad, Fixtures.options());
    assertFalse(r.getValid());
    assertEquals("INVALID_CONFIDENCE", r.getViolations(0).getCode());
    assertEquals("capabilities[0].confidence", r.getViolations(0).getPath());

    ValidationException e = assertThrows(ValidationException.class, () -> Peat.requireValid(bad, Fixtures.options()));
    assertEquals("INVALID_CONFIDENCE", e.code());
    assertEquals("capabilities[0].confidence", e.fieldPath());
    assertEquals(r, e.report());
    assertEquals(Status.INVALID, e.status());

    NodeConfig good = Fixtures.nodeConfig("n");
    assertSame(good, Peat.requireValid(good, Fixtures.options()));
  }

  @Test
  void undecodableInputThrowsButBatchReportsIt() {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThrows(DecodeException.class, () -> Peat.validate("cap.node.v1.NodeConfig", Format.BINARY, garbage, null));
    BatchValidationReport b = Peat.validateBatch("cap.node.v1.NodeConfig", Format.BINARY,
        List.of(Fixtures.nodeConfig("a").toByteArray(), garbage, Fixtures.nodeConfig("").toByteArray()),
        Fixtures.options());
    assertEquals(3, b.getReportsCount());
    assertTrue(b.getReports(0).getValid());
    assertFalse(b.getReports(1).getDecoded());
    assertFalse(b.getReports(2).getValid());
    assertEquals(1, b.getValidCount());
    assertEquals(2, b.getInvalidCount());
    assertEquals(1, b.getUndecodableCount());
    assertEquals("REQUIRED_FIELD", b.getReports(2).getViolations(0).getCode());
    BatchValidationReport typed = Peat.validateBatch(List.of(Fixtures.nodeConfig("a"), Fixtures.nodeConfig("")), Fixtures.options());
    assertEquals(List.of(b.getReports(0), b.getReports(2)), typed.getReportsList());
    assertEquals(0, Peat.validateBatch(List.of(), null).getReportsCount());
  }

  @Test
  void sanitizeStripsControlCharacters() {
    NodeConfig dirty = Fixtures.nodeConfig("node-1").toBuilder().setPlatformType("U\u0007GV").build();
    Peat.Sanitized<NodeConfig> s = Peat.sanitize(dirty);
    assertEquals("UGV", s.message().getPlatformType());
    assertFalse(s.unchanged());
    SanitizeChange c = s.changes().get(0);
    assertEquals("platform_type", c.getPath());
    assertEquals("CONTROL_CHARS_REMOVED", c.getCode());
    assertTrue(Peat.sanitize(Fixtures.nodeConfig("node-1")).unchanged());
  }

  // ---- merge ----------------------------------------------------------------------------

  @Test
  void mergeIsCommutativeAndRefusesDifferentEntities() {
    CellState a = Fixtures.cellState("cell-1", T0, List.of("n1", "n2"));
    CellState b = Fixtures.cellState("cell-1", T0 + 10, List.of("n2", "n3"));
    CellState ab = Peat.merge(a, b);
    assertEquals(ab, Peat.merge(b, a));
    assertArrayEquals(ab.toByteArray(), Peat.merge(b, a).toByteArray());
    assertEquals(ab, Peat.merge(ab, b), "idempotent");
    assertEquals(ab, Peat.mergeAll(List.of(b, a, b)));
    assertEquals(List.of("n1", "n2", "n3"), ab.getMembersList(), "member sets are united");
    assertEquals(T0 + 10, ab.getTimestamp().getSeconds(), "the newer timestamp wins");

    CellState other = Fixtures.cellState("cell-2", T0, List.of("n1"));
    MismatchException e = assertThrows(MismatchException.class, () -> Peat.merge(a, other));
    assertEquals(Status.MISMATCH, e.status());
    assertThrows(UnsupportedException.class, () -> Peat.merge(Capability.getDefaultInstance(), Capability.getDefaultInstance()));
  }

  // ---- replicated documents ----------------------------------------------------------------

  static Operation addMember(String replica, long t, String node) {
    return Operation.newBuilder().setReplica(replica).setTimestamp(ts(t))
        .setAddMember(AddMember.newBuilder().setNodeId(node)).build();
  }

  @Test
  void documentsConvergeThroughDeltas() {
    DocInit init = DocInit.newBuilder().setReplica("c2").setTimestamp(ts(T0))
        .setCellState(Fixtures.cellState("cell-1", T0, List.of())).build();
    Document base = Document.create(Document.Kind.CELL, init);
    assertEquals("cell-1", ((io.peat.proto.crdt.v1.CellDoc) base.toProto()).getId());

    Document.Applied a = base.apply(addMember("r-a", T0 + 1, "n1"));
    Document.Applied b = base.apply(addMember("r-b", T0 + 2, "n2"));
    Document onA = a.doc().merge(b.delta());
    Document onB = b.doc().merge(a.delta());
    assertEquals(onA, onB);
    CellState s = (CellState) onA.materialize();
    assertEquals(List.of("n1", "n2"), s.getMembersList());
    assertEquals("cell-1", s.getConfig().getId());

    Document.Applied lead = onA.apply(Operation.newBuilder().setReplica("r-a").setTimestamp(ts(T0 + 3))
        .setSetLeader(SetLeader.newBuilder().setNodeId("n2")).build());
    assertEquals("n2", ((CellState) onB.merge(lead.delta()).materialize()).getLeaderId());
    assertEquals(Document.fromBytes(Document.Kind.CELL, lead.doc().toByteArray()), lead.doc());

    assertThrows(IllegalArgumentException.class, () -> onA.merge(Document.create(Document.Kind.NODE)));
    assertThrows(DecodeException.class, () -> Document.fromBytes(Document.Kind.CELL, new byte[] {(byte) 0xff}).materialize());
  }

  // ---- directives -----------------------------------------------------------------------------

  static DeploymentDirective directive(DeploymentScope scope) {
    return DeploymentDirective.newBuilder()
        .setDirectiveId("d-1")
        .setIssuedAt(ts(T0))
        .setIssuerNodeId("c2")
        .setScope(scope)
        .setArtifact(ArtifactSpec.newBuilder().setBlobHash("sha256:" + "ab".repeat(32)).setSizeBytes(1000)
            .setArtifactType(ArtifactType.newBuilder().setWasmModule(ArtifactType.WasmModule.getDefaultInstance())))
        .build();
  }

  @Test
  void directivesValidate() {
    DeploymentDirective ok = directive(DeploymentScope.newBuilder().setBroadcast(DeploymentScope.Broadcast.getDefaultInstance()).build());
    assertTrue(Peat.validate(ok, Fixtures.options()).getValid(), Peat.validate(ok, Fixtures.options()).toString());
    DeploymentDirective noScope = ok.toBuilder().clearScope().build();
    ValidationException e = assertThrows(ValidationException.class, () -> Peat.requireValid(noScope, Fixtures.options()));
    assertEquals("scope", e.fieldPath());
    assertEquals(ok, Peat.decode(Format.BINARY, ok.toByteArray(), DeploymentDirective.getDefaultInstance()));
  }

  @Test
  void targeting() {
    TargetDecision yes = Peat.target(TargetRequest.newBuilder()
        .setDirective(directive(DeploymentScope.newBuilder().setBroadcast(DeploymentScope.Broadcast.getDefaultInstance()).build()))
        .setNodeConfig(Fixtures.nodeConfig("n1")).build());
    assertTrue(yes.getTargeted());
    assertEquals(TargetReason.TARGET_REASON_BROADCAST, yes.getCode());

    TargetDecision no = Peat.target(TargetRequest.newBuilder()
        .setDirective(directive(DeploymentScope.newBuilder()
            .setNodes(DeploymentScope.NodeList.newBuilder().addNodeIds("n7")).build()))
        .setNodeConfig(Fixtures.nodeConfig("n1")).build());
    assertFalse(no.getTargeted());
    assertEquals(TargetReason.TARGET_REASON_NODE_NOT_LISTED, no.getCode());
  }

  static DeploymentStatus pending(String node) {
    return DeploymentStatus.newBuilder().setDirectiveId("d-1").setNodeId(node).setReportedAt(ts(T0 + 1))
        .setState(DeploymentState.DEPLOYMENT_STATE_PENDING).build();
  }

  @Test
  void statusMachine() {
    DeploymentStatus s = Peat.advance(pending("n1"), Transition.newBuilder()
        .setState(DeploymentState.DEPLOYMENT_STATE_DOWNLOADING).setProgressPercent(40).setReportedAt(ts(T0 + 2)).build());
    assertEquals(DeploymentState.DEPLOYMENT_STATE_DOWNLOADING, s.getState());
    assertEquals(40, s.getProgressPercent());

    IllegalTransitionException e = assertThrows(IllegalTransitionException.class, () -> Peat.advance(pending("n1"),
        Transition.newBuilder().setState(DeploymentState.DEPLOYMENT_STATE_ACTIVE).setReportedAt(ts(T0 + 2)).build()));
    assertEquals("ILLEGAL_TRANSITION", e.code());
    IllegalTransitionException back = assertThrows(IllegalTransitionException.class, () -> Peat.advance(s,
        Transition.newBuilder().setState(DeploymentState.DEPLOYMENT_STATE_DOWNLOADING).setProgressPercent(10)
            .setReportedAt(ts(T0 + 3)).build()));
    assertEquals("PROGRESS_DECREASED", back.code());
  }

  @Test
  public void rolloutSummary() {
    DeploymentStatus active = DeploymentStatus.newBuilder(pending("n2")).setState(DeploymentState.DEPLOYMENT_STATE_ACTIVE)
        .setProgressPercent(100).setInstanceId("i-1").build();
    RolloutSummary r = Peat.summarize(SummarizeRequest.newBuilder()
        .setDirective(directive(DeploymentScope.newBuilder().setBroadcast(DeploymentScope.Broadcast.getDefaultInstance()).build()))
        .addAllTargetedNodeIds(List.of("n1", "n2", "n3"))
        .addStatuses(pending("n1")).addStatuses(active).addStatuses(active)
        .setNow(ts(T0 + 60)).build());
    assertEquals(3, r.getTargeted());
    assertEquals(1, r.getPending());
    assertEquals(1, r.getActive());
    assertEquals(1, r.getNoReport());
    assertEquals(RolloutDecision.ROLLOUT_DECISION_IN_PROGRESS, r.getDecision());
    assertEquals(T0 + 300, r.getDeadline().getSeconds());
    assertNotEquals(0.0, r.getPercentSucceeded());
  }
}
