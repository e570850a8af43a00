package io.peat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.proto.cap.cell.v1.CellState;
import io.peat.proto.cap.common.v1.Timestamp;
import io.peat.proto.cap.node.v1.NodeConfig;
import io.peat.proto.crdt.v1.Operation;
import io.peat.proto.directive.v1.ArtifactSpec;
import io.peat.proto.directive.v1.DeploymentDirective;
import io.peat.proto.security.v1.SignRequest;
import io.peat.proto.security.v1.TrustSet;
import io.peat.proto.security.v1.VerifyRequest;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Wrong arguments to the public API: Java-level mistakes (null, a NUL in a
 * type name, a negative limit, an empty merge) are NullPointerException or
 * IllegalArgumentException thrown before any C call; values C answers itself
 * (unknown or over-long type names, huge limits, empty arrays) give libpeat's
 * own answer. An (array, off, len) range outside the array is
 * IndexOutOfBoundsException, as in java.io. Nothing reaches C as a value it
 * would misread.
 */
class ArgumentCheckTest {
  private static final String NC = "cap.node.v1.NodeConfig";
  private static final String CS = "cap.cell.v1.CellState";
  private static final byte[] BIN = Fixtures.nodeConfig("node-1").toByteArray();
  private static final byte[] CELL =
      Fixtures.cellState("cell-1", 100, List.of("n1", "n2")).toByteArray();

  /** Every public call that takes a type name, with that name, reading leniently and strictly. */
  private static List<Executable> typeNameCalls(String type) {
    List<Executable> calls = new ArrayList<>();
    for (Format from : List.of(Format.BINARY, Format.BINARY.strict())) {
      calls.addAll(List.of(
          () -> Peat.convert(type, from, Format.JSON, BIN),
          () -> Peat.validate(type, from, BIN, null),
          () -> Peat.validateBatch(type, from, List.of(BIN), null),
          () -> Peat.sanitize(type, from, Format.BINARY, BIN),
          () -> Peat.merge(type, from, Format.BINARY, CELL, CELL),
          () -> Peat.mergeBatch(type, from, Format.BINARY, List.of(CELL))));
    }
    return calls;
  }

  @Test
  void nullTypeNameIsNullPointerException() {
    for (Executable call : typeNameCalls(null)) {
      NullPointerException e = assertThrows(NullPointerException.class, call);
      assertEquals("type", e.getMessage());
    }
  }

  @Test
  void nulInTypeNameIsIllegalArgument() {
    // JNI's modified UTF-8 would pass the NUL on as the bytes C0 80: libpeat
    // would see another name than the caller wrote.
    for (String type : new String[] {NC + "\0", "\0" + NC, "cap.node.v1\0.NodeConfig"}) {
      for (Executable call : typeNameCalls(type)) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
      }
    }
  }

  @Test
  void overLongTypeNameGetsLibpeatsOwnAnswer() {
    String longName = "a".repeat(Peat.MAX_TYPE_NAME + 1);
    PeatException viaC = assertThrows(PeatException.class, () -> PeatNative.convert(longName, 1, 2, BIN));
    for (String type : new String[] {longName, "b".repeat(1 << 22)}) {
      for (Executable call : typeNameCalls(type)) {
        PeatException e = assertThrows(PeatException.class, call);
        assertEquals(viaC.getClass(), e.getClass());
        assertEquals(Status.UNKNOWN_TYPE, e.status());
        assertEquals(viaC.code(), e.code());
      }
    }
    // At the limit, libpeat decides (an unknown type, not an argument error).
    assertThrows(UnknownTypeException.class,
        () -> Peat.convert("c".repeat(Peat.MAX_TYPE_NAME), Format.BINARY, Format.JSON, BIN));
    // Non-ASCII names reach libpeat and are simply unknown.
    assertThrows(UnknownTypeException.class, () -> Peat.convert("cap.node.v1.Nöde\uD83D\uDE00", Format.BINARY,
        Format.JSON, BIN));
  }

  @Test
  void nullFormatsAndInputsAreNullPointerExceptions() {
    List<Executable> calls = List.of(
        () -> Peat.convert(NC, null, Format.JSON, BIN),
        () -> Peat.convert(NC, Format.BINARY, null, BIN),
        () -> Peat.convert(NC, Format.BINARY, Format.JSON, null),
        () -> Peat.validate(NC, null, BIN, null),
        () -> Peat.validate(NC, Format.BINARY, null, null),
        () -> Peat.validateBatch(NC, null, List.of(BIN), null),
        () -> Peat.sanitize(NC, Format.BINARY, null, BIN),
        () -> Peat.sanitize(NC, Format.BINARY, Format.BINARY, null),
        () -> Peat.merge(CS, null, Format.BINARY, CELL, CELL),
        () -> Peat.merge(CS, Format.BINARY, Format.BINARY, null, CELL),
        () -> Peat.merge(CS, Format.BINARY, Format.BINARY, CELL, null),
        () -> Peat.mergeBatch(CS, Format.BINARY, null, List.of(CELL)),
        () -> Peat.compress(null),
        () -> Peat.decompress(null),
        () -> Peat.decode(null, BIN, NodeConfig.getDefaultInstance()),
        () -> Peat.decode(Format.BINARY, BIN, null),
        () -> Peat.fromJson(null, NodeConfig.getDefaultInstance()),
        () -> Peat.fromRustJson(null, NodeConfig.getDefaultInstance()),
        () -> Peat.fromJsonStrict(null, NodeConfig.getDefaultInstance()),
        () -> Peat.fromRustJsonStrict(null, NodeConfig.getDefaultInstance()),
        () -> Peat.fromJsonStrict("{}", null),
        () -> Peat.decode(Format.JSON.strict(), BIN, null),
        () -> Peat.toJson(null),
        () -> Peat.validate((NodeConfig) null),
        () -> Peat.merge((CellState) null, CellState.getDefaultInstance()),
        () -> Peat.mergeAll(null),
        () -> Peat.validateBatch((List<NodeConfig>) null, null),
        () -> Peat.target(null),
        () -> Document.create(null),
        () -> Document.fromBytes(null, BIN),
        () -> Document.fromBytes(Document.Kind.NODE, null),
        () -> Document.create(Document.Kind.CELL, null),
        () -> Document.of(null),
        () -> Document.create(Document.Kind.CELL).apply(null),
        () -> Document.create(Document.Kind.CELL).merge(null),
        () -> Document.create(Document.Kind.CELL).materialize((Format) null));
    for (int i = 0; i < calls.size(); i++) {
      int n = i;
      assertThrows(NullPointerException.class, calls.get(i), () -> "call #" + n);
    }
  }

  @Test
  void nullInputToDecodeIsNotAnEmptyMessage() {
    // The low layer reads a null array as the empty input; the public decode
    // must not turn a null into the all-defaults message.
    assertThrows(NullPointerException.class, () -> Peat.decode(Format.BINARY, null, NodeConfig.getDefaultInstance()));
    assertThrows(NullPointerException.class, () -> Peat.decode(Format.JSON, null, NodeConfig.getDefaultInstance()));
    assertEquals(NodeConfig.getDefaultInstance(), Peat.decode(Format.BINARY, new byte[0], NodeConfig.getDefaultInstance()));
  }

  @Test
  void nullElementsOfBatchesAreNullPointerExceptions() {
    List<byte[]> withNull = Arrays.asList(BIN, null);
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> Peat.validateBatch(NC, Format.BINARY, withNull, null));
    assertEquals("messages[1] is null", e.getMessage());
    assertThrows(NullPointerException.class,
        () -> Peat.mergeBatch(CS, Format.BINARY, Format.BINARY, Arrays.asList(null, CELL)));
    assertThrows(NullPointerException.class, () -> Peat.validateBatch(NC, Format.BINARY, null, null));
    assertThrows(NullPointerException.class, () -> Peat.mergeBatch(CS, Format.BINARY, Format.BINARY, null));
    List<NodeConfig> messages = new ArrayList<>();
    messages.add(Fixtures.nodeConfig("a"));
    messages.add(null);
    assertThrows(NullPointerException.class, () -> Peat.validateBatch(messages, null));
    assertThrows(NullPointerException.class, () -> Peat.mergeAll(messages));
  }

  @Test
  void strictOutputFormatsAreIllegalArgumentsBeforeC() {
    // Strictness is about reading: as an output format (to) it is a mixed-up
    // argument, refused in Java (libpeat would ignore the flag), before the
    // input is looked at (here it is not even a message).
    byte[] garbage = {(byte) 0xff, 0x01};
    Document doc = Document.create(Document.Kind.CELL);
    Replica replica = Replica.open(doc);
    for (Format base : Format.values()) {
      Format to = base.strict();
      List<Executable> calls = List.of(
          () -> Peat.convert(NC, Format.JSON, to, garbage),
          () -> Peat.convert(NC, Format.JSON.strict(), to, garbage),
          () -> Peat.sanitize(NC, Format.BINARY, to, garbage),
          () -> Peat.merge(CS, Format.BINARY, to, garbage, garbage),
          () -> Peat.mergeBatch(CS, Format.BINARY, to, List.of(garbage)),
          () -> doc.materialize(to),
          () -> replica.materializeBytes(to));
      for (int i = 0; i < calls.size(); i++) {
        int n = i;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, calls.get(i),
            () -> to + " call #" + n);
        assertEquals("to is an output format: " + to + " applies to reading only; pass " + base, e.getMessage());
      }
      // The lenient format is taken (the refusal is about strictness only).
      assertArrayEquals(Peat.convert(NC, Format.BINARY, base, BIN), Peat.convert(NC, Format.BINARY.strict(), base, BIN));
      assertArrayEquals(Peat.convert(CS, Format.BINARY, base, doc.materialize(Format.BINARY)), doc.materialize(base));
      assertArrayEquals(doc.materialize(base), replica.materializeBytes(base));
    }
    replica.close();
    // A strict format as an input is fine, null is still NullPointerException.
    assertThrows(NullPointerException.class, () -> Peat.convert(NC, Format.JSON.strict(), null, BIN));
    assertThrows(NullPointerException.class, () -> Peat.decode(Format.JSON.strict(), null, NodeConfig.getDefaultInstance()));
  }

  @Test
  void emptyMergesAreIllegalArgumentsAndEmptyValidationsAreFine() {
    assertThrows(IllegalArgumentException.class,
        () -> Peat.mergeBatch(CS, Format.BINARY, Format.BINARY, Collections.emptyList()));
    assertThrows(IllegalArgumentException.class, () -> Peat.mergeAll(Collections.<CellState>emptyList()));
    assertEquals(0, Peat.validateBatch(NC, Format.BINARY, Collections.emptyList(), null).getReportsCount());
    assertEquals(0, Peat.validateBatch(Collections.<NodeConfig>emptyList(), null).getReportsCount());
  }

  @Test
  void emptyArraysAreEmptyInputs() {
    assertEquals("{}", new String(Peat.convert(NC, Format.BINARY, Format.JSON, new byte[0]), StandardCharsets.UTF_8));
    assertArrayEquals(new byte[0], Peat.decompress(Peat.compress(new byte[0])));
    assertThrows(DecodeException.class, () -> Peat.convert(NC, Format.JSON, Format.BINARY, new byte[0]));
    assertThrows(DecompressException.class, () -> Peat.decompress(new byte[0]));
  }

  @Test
  void limitsOutsideTheirRange() {
    byte[] frame = Peat.compress(BIN);
    assertThrows(IllegalArgumentException.class, () -> Peat.decompress(frame, -1));
    assertThrows(IllegalArgumentException.class, () -> Peat.decompress(frame, Long.MIN_VALUE));
    // Huge limits are clamped by libpeat (1 GiB), not misread as negative.
    assertArrayEquals(BIN, Peat.decompress(frame, Long.MAX_VALUE));
    assertArrayEquals(BIN, Peat.decompress(frame, Integer.MAX_VALUE + 1L));
    DecompressException e = assertThrows(DecompressException.class, () -> Peat.decompress(frame, 1));
    assertEquals("DECOMPRESSED_TOO_LARGE", e.code());
    // Any int is a status number; unknown ones have a name, not a crash.
    assertEquals("UNKNOWN_STATUS", Peat.statusName(Integer.MIN_VALUE));
    assertEquals("UNKNOWN_STATUS", Peat.statusName(-1));
  }

  // ---- directive security and the artifact verifier ------------------------------------

  private static final ArtifactSpec SPEC = SecurityTest.artifact(SecurityTest.SHA256_ABC, 3);

  @Test
  void nullArgumentsOfTheSecurityCallsAreNullPointerExceptions() {
    DeploymentDirective d = SecurityTest.directive();
    byte[] env = Peat.signDirective(d, SecurityTest.PRIV);
    TrustSet trust = SecurityTest.trust(SecurityTest.PUB);
    Timestamp now = SecurityTest.NOW;
    ArtifactVerifier v = new ArtifactVerifier(SPEC);
    List<Executable> calls = List.of(
        () -> Peat.inspectKey(null),
        () -> Peat.signDirective(null, SecurityTest.PRIV),
        () -> Peat.signDirective(d, null),
        () -> Peat.signDirective((SignRequest) null),
        () -> Peat.addSignature(null, SecurityTest.PRIV),
        () -> Peat.addSignature(env, null),
        () -> Peat.verifyDirective((VerifyRequest) null),
        () -> Peat.verifyDirective(null, trust, now),
        () -> Peat.verifyDirective(env, null, now),
        () -> Peat.verifyDirective(env, trust, null),
        () -> Peat.requireVerified(null),
        () -> Peat.targetSigned(null),
        () -> new ArtifactVerifier(null),
        () -> ArtifactVerifier.verify(null, new ByteArrayInputStream(new byte[3])),
        () -> ArtifactVerifier.verify(SPEC, null),
        () -> v.update((byte[]) null),
        () -> v.update(null, 0, 0),
        () -> v.update((ByteBuffer) null));
    try {
      for (int i = 0; i < calls.size(); i++) {
        int n = i;
        assertThrows(NullPointerException.class, calls.get(i), () -> "call #" + n);
      }
      // None of them reached the verifier: it still takes its bytes.
      v.update("abc".getBytes(StandardCharsets.US_ASCII));
      assertEquals(SecurityTest.SHA256_ABC, v.finish().getDigest());
    } finally {
      v.close();
    }
  }

  @Test
  void chunkRangesOutsideTheArrayAreRefusedBeforeC() {
    byte[] buf = new byte[8];
    try (ArtifactVerifier v = new ArtifactVerifier(SPEC)) {
      for (int[] r : new int[][] {{-1, 1}, {0, -1}, {0, 9}, {8, 1}, {4, Integer.MAX_VALUE}, {Integer.MAX_VALUE, 1}}) {
        assertThrows(IndexOutOfBoundsException.class, () -> v.update(buf, r[0], r[1]), () -> Arrays.toString(r));
      }
      // The shim checks again on its own (for callers of the low layer).
      long h = v.handle();
      assertThrows(IllegalArgumentException.class, () -> PeatNative.artifactUpdate(h, buf, 4, 5));
      assertThrows(IllegalArgumentException.class, () -> PeatNative.artifactUpdate(h, buf, -1, 1));
      assertThrows(IllegalArgumentException.class, () -> PeatNative.artifactUpdate(h, null, 0, 0));
      assertThrows(IllegalArgumentException.class, () -> PeatNative.artifactUpdateDirect(h, ByteBuffer.allocate(4), 0, 1));
      assertThrows(IllegalArgumentException.class, () -> PeatNative.artifactUpdateDirect(h, ByteBuffer.allocateDirect(4), 2, 3));
      assertThrows(IllegalArgumentException.class, () -> PeatNative.artifactUpdateDirect(h, null, 0, 0));
      // An empty range at the end is fine, and none of the refusals fed a byte.
      v.update(buf, 8, 0);
      v.update("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
      assertEquals(SecurityTest.SHA256_ABC, v.finish().getDigest());
    }
  }

  @Test
  void nullAndEmptyInputsOfTheLowLayerAreLibpeatsAnswers() {
    // A null array is the empty input (peat.h rule 2): libpeat decides.
    assertEquals("KEY_NOT_PEM", assertThrows(InvalidArgumentException.class, () -> PeatNative.keyInspect(null)).code());
    assertThrows(InvalidArgumentException.class, () -> PeatNative.directiveSign(null));
    assertThrows(InvalidArgumentException.class, () -> PeatNative.directiveVerify(null));
    assertThrows(InvalidArgumentException.class, () -> PeatNative.directiveTargetSigned(null));
    assertThrows(InvalidArgumentException.class, () -> PeatNative.artifactNew(null));
  }

  @Test
  void nullArgumentsOfReplicasAreNullPointerExceptionsBeforeC() {
    Replica r = Replica.create(Document.Kind.CELL);
    Document before = r.document();
    List<Executable> calls = List.of(
        () -> Replica.create(null),
        () -> Replica.create(null, io.peat.proto.crdt.v1.DocInit.getDefaultInstance()),
        () -> Replica.create(Document.Kind.CELL, null),
        () -> Replica.open(null),
        () -> r.apply(null),
        () -> r.merge((Document) null),
        () -> r.merge((Replica) null),
        () -> r.materializeBytes(null));
    try {
      for (int i = 0; i < calls.size(); i++) {
        int n = i;
        assertThrows(NullPointerException.class, calls.get(i), () -> "call #" + n);
      }
      // None of them reached the replica.
      assertEquals(before, r.document());
    } finally {
      r.close();
    }
    // The low layer passes a null array on as the empty input (peat.h rule 2): libpeat decides.
    long h = PeatNative.replicaOpen(Document.Kind.ZONE.typeName(), null);
    try {
      assertArrayEquals(Document.create(Document.Kind.ZONE).toByteArray(), PeatNative.replicaEncode(h));
      assertThrows(InvalidArgumentException.class, () -> PeatNative.replicaApply(h, null)); // REPLICA_REQUIRED
      PeatNative.replicaMerge(h, null); // the empty document: nothing to merge
    } finally {
      PeatNative.replicaFree(h);
    }
    assertThrows(InvalidArgumentException.class, () -> PeatNative.replicaNew(null, null));
  }

  @Test
  void documentsOfTheWrongKindOrBytes() {
    Document cell = Document.create(Document.Kind.CELL);
    Document zone = Document.create(Document.Kind.ZONE);
    assertThrows(IllegalArgumentException.class, () -> cell.merge(zone));
    assertThrows(IllegalArgumentException.class, () -> Document.of(Fixtures.nodeConfig("n")));
    Document garbage = Document.fromBytes(Document.Kind.NODE, new byte[] {(byte) 0xff, 1, 2});
    assertThrows(DecodeException.class, () -> garbage.apply(Operation.getDefaultInstance()));
  }
}
