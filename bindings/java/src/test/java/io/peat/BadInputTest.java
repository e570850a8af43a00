package io.peat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.peat.proto.cap.capability.v1.Capability;
import io.peat.proto.cap.node.v1.NodeConfig;
import io.peat.proto.crdt.v1.DocInit;
import io.peat.proto.security.v1.VerifyRequest;
import io.peat.proto.validation.v1.ValidationReport;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bad input returns a PeatException with a defined status; it never crashes the JVM. */
class BadInputTest {
  private static final Set<Status> INPUT_ERRORS = Set.of(Status.INVALID_ARGUMENT, Status.UNKNOWN_TYPE, Status.DECODE,
      Status.TOO_LARGE, Status.MISMATCH, Status.UNSUPPORTED, Status.INVALID, Status.ENCODE, Status.DECOMPRESS,
      Status.ILLEGAL_TRANSITION, Status.NOT_VERIFIED);

  /** Runs a call that may succeed; if it fails, the failure must be a known input error. */
  static void survives(Runnable call, String what) {
    try {
      call.run();
    } catch (PeatException e) {
      assertTrue(INPUT_ERRORS.contains(e.status()), what + ": " + e);
      assertTrue(!e.code().isEmpty(), what);
    }
  }

  @Test
  void truncatedAndMutatedMessagesOfEveryType() {
    Random rnd = new Random(42);
    byte[] valid = Fixtures.nodeConfig("node-1").toByteArray();
    List<String> types = Peat.types();
    for (int i = 0; i < 3000; i++) {
      byte[] in = i % 2 == 0 ? Arrays.copyOf(valid, rnd.nextInt(valid.length)) : valid.clone();
      if (i % 2 == 1) {
        for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
          in[rnd.nextInt(in.length)] = (byte) rnd.nextInt(256);
        }
      }
      String type = types.get(rnd.nextInt(types.size()));
      byte[] msg = in;
      int to = 1 + rnd.nextInt(3);
      survives(() -> PeatNative.convert(type, 1, to, msg), "convert " + type);
      survives(() -> PeatNative.validate(type, 1, msg, null), "validate " + type);
      survives(() -> PeatNative.merge(type, 1, 1, msg, valid), "merge " + type);
    }
  }

  @Test
  void randomBytesIntoEveryCall() {
    Random rnd = new Random(7);
    for (int i = 0; i < 500; i++) {
      byte[] in = new byte[rnd.nextInt(200)];
      rnd.nextBytes(in);
      survives(() -> PeatNative.docNew("peat.crdt.v1.CellDoc", in), "doc_new");
      survives(() -> PeatNative.docApply("peat.crdt.v1.CellDoc", in, in), "doc_apply");
      survives(() -> PeatNative.docMerge("peat.crdt.v1.NodeDoc", in, in), "doc_merge");
      survives(() -> PeatNative.docMaterialize("peat.crdt.v1.ZoneDoc", 2, in), "doc_materialize");
      survives(() -> PeatNative.directiveTarget(in), "directive_target");
      survives(() -> PeatNative.directiveAdvance(in), "directive_advance");
      survives(() -> PeatNative.directiveSummarize(in), "directive_summarize");
      survives(() -> PeatNative.decompress(in, 1 << 20), "decompress");
      survives(() -> PeatNative.sanitize("cap.node.v1.NodeConfig", 1 + rnd.nextInt(3), 1, in), "sanitize");
      survives(() -> PeatNative.validateBatch("cap.node.v1.NodeState", 1, new byte[][] {in, in}, in), "validate_batch");
      survives(() -> PeatNative.mergeBatch("cap.cell.v1.CellState", 1, 1, new byte[][] {in, in}), "merge_batch");
    }
  }

  @Test
  void randomAndMutatedBytesIntoTheSecurityCalls() {
    Random rnd = new Random(17);
    byte[] env = Peat.signDirective(SecurityTest.directive(), SecurityTest.PRIV);
    byte[] pem = SecurityTest.PRIV.getBytes(StandardCharsets.US_ASCII);
    byte[] spec = SecurityTest.artifact(SecurityTest.SHA256_ABC, 3).toByteArray();
    byte[] verify = VerifyRequest.newBuilder().setEnvelope(ByteString.copyFrom(env))
        .setTrust(SecurityTest.trust(SecurityTest.PUB)).setNow(SecurityTest.NOW).build().toByteArray();
    for (int i = 0; i < 500; i++) {
      byte[] in = new byte[rnd.nextInt(200)];
      rnd.nextBytes(in);
      byte[] mutated = mutate(rnd, i % 2 == 0 ? verify : pem);
      byte[] artifact = i % 2 == 0 ? in : mutate(rnd, spec);
      survives(() -> PeatNative.keyInspect(in), "key_inspect");
      survives(() -> PeatNative.keyInspect(mutated), "key_inspect mutated");
      survives(() -> PeatNative.directiveSign(in), "directive_sign");
      survives(() -> PeatNative.directiveVerify(in), "directive_verify");
      survives(() -> PeatNative.directiveVerify(mutated), "directive_verify mutated");
      survives(() -> PeatNative.directiveTargetSigned(in), "directive_target_signed");
      survives(() -> {
        long h = 0;
        try {
          h = PeatNative.artifactNew(artifact);
          PeatNative.artifactUpdate(h, in, 0, in.length);
          PeatNative.artifactFinish(h);
        } finally {
          PeatNative.artifactFree(h);
        }
      }, "artifact");
    }
  }

  private static byte[] mutate(Random rnd, byte[] valid) {
    byte[] in = rnd.nextBoolean() ? Arrays.copyOf(valid, rnd.nextInt(valid.length)) : valid.clone();
    for (int k = 0; k < 1 + rnd.nextInt(4) && in.length > 0; k++) {
      in[rnd.nextInt(in.length)] = (byte) rnd.nextInt(256);
    }
    return in;
  }

  @Test
  void nullArgumentsAreEmptyInputsOrInvalidArguments() {
    assertThrows(InvalidArgumentException.class, () -> PeatNative.validate(null, 1, null, null));
    assertThrows(InvalidArgumentException.class, () -> PeatNative.merge("cap.cell.v1.CellState", 0, 1, null, null));
    assertThrows(UnknownTypeException.class, () -> PeatNative.convert("", 1, 2, null));
    // A null input is the empty message: valid bytes for proto3.
    assertEquals("{}", new String(PeatNative.convert("cap.node.v1.NodeConfig", 1, 2, null), StandardCharsets.UTF_8));
    survives(() -> PeatNative.validateBatch("cap.node.v1.NodeConfig", 1, new byte[][] {null, {}}, null), "batch of nulls");
    survives(() -> PeatNative.validateBatch("cap.node.v1.NodeConfig", 1, null, null), "null batch");
    survives(() -> PeatNative.mergeBatch("cap.cell.v1.CellState", 1, 1, new byte[0][]), "empty merge batch");
    assertThrows(NullPointerException.class, () -> Peat.convert("cap.node.v1.NodeConfig", Format.BINARY, Format.JSON, null));
    assertThrows(IllegalArgumentException.class, () -> Peat.decompress(new byte[0], -1));
  }

  @Test
  void invalidUtf8AndNaN() {
    byte[] badUtf8Json = "{\"id\":\"n\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    PeatException e = assertThrows(PeatException.class, () -> PeatNative.convert("cap.node.v1.NodeConfig", 2, 1, badUtf8Json));
    assertEquals(Status.DECODE, e.status());

    // Invalid UTF-8 inside a binary string field.
    byte[] bin = NodeConfig.newBuilder().setId("nXde").build().toByteArray();
    bin[3] = (byte) 0xff;
    assertNotEquals(Status.OK, assertThrows(PeatException.class,
        () -> PeatNative.convert("cap.node.v1.NodeConfig", 1, 2, bin)).status());

    NodeConfig nan = Fixtures.nodeConfig("n").toBuilder().setCapabilities(0, Fixtures.capability("c", Float.NaN)).build();
    ValidationReport r = Peat.validate(nan, Fixtures.options());
    assertTrue(!r.getValid() && r.getViolations(0).getPath().equals("capabilities[0].confidence"), r.toString());
  }

  @Test
  void hugeRepeatedFieldsAndBadOptions() {
    NodeConfig.Builder many = Fixtures.nodeConfig("n").toBuilder();
    Capability c = Fixtures.capability("c", 0.5f);
    for (int i = 0; i < 20_000; i++) {
      many.addCapabilities(c);
    }
    survives(() -> Peat.validate(many.build(), Fixtures.options()), "20k capabilities");
    assertThrows(PeatException.class,
        () -> PeatNative.validate("cap.node.v1.NodeConfig", 1, new byte[0], new byte[] {(byte) 0xff, 0x00}));
    assertThrows(PeatException.class, () -> Document.create(Document.Kind.CELL,
        DocInit.newBuilder().setReplica("r").setNodeConfig(Fixtures.nodeConfig("n")).build()));
  }
}
