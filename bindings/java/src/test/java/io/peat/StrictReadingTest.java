package io.peat;

import static io.peat.Fixtures.T0;
import static io.peat.Fixtures.ts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.proto.cap.node.v1.NodeConfig;
import io.peat.proto.cap.node.v1.NodeState;
import io.peat.proto.directive.v1.DeploymentState;
import io.peat.proto.directive.v1.DeploymentStatus;
import io.peat.proto.validation.v1.BatchValidationReport;
import io.peat.proto.validation.v1.ValidationReport;
import io.peat.proto.validation.v1.Violation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Strict reading (C ABI 1.1, PEAT_FORMAT_FLAG_STRICT; docs/COMPATIBILITY.md
 * "Strict reading"): {@link Format#strict()} on a format that is read refuses
 * a JSON key that names no field with UNKNOWN_FIELD at the key's path, in
 * every call that reads JSON; the lenient default ignores it; binary input is
 * read the same either way.
 */
class StrictReadingTest {
  private static final String NS = "cap.node.v1.NodeState";
  private static final String NC = "cap.node.v1.NodeConfig";

  /** What the typo'd texts hold once the unknown key is ignored. */
  private static final NodeState WITHOUT_TYPO = NodeState.newBuilder().setFuelMinutes(30).setTimestamp(ts(T0)).build();
  /** WITHOUT_TYPO as libpeat writes it (the reference's rust-json has every field). */
  private static final String GOOD_JSON = Peat.toJson(WITHOUT_TYPO);
  private static final String GOOD_RUST = Peat.toRustJson(WITHOUT_TYPO);
  /** The same NodeState with a typo: "cellID" for "cellId" (proto3 JSON) / "cell_id" (rust-json). */
  private static final String TYPO_JSON = withTypo(GOOD_JSON);
  private static final String TYPO_RUST = withTypo(GOOD_RUST);

  private static String withTypo(String json) {
    assertTrue(json.endsWith("}") && !json.contains("cellID"), json);
    return json.substring(0, json.length() - 1) + ",\"cellID\":\"cell-1\"}";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The call's DecodeException, checked to be UNKNOWN_FIELD at path. */
  private static void assertUnknownField(String path, Supplier<?> call, String what) {
    DecodeException e = assertThrows(DecodeException.class, call::get, what);
    assertEquals(Status.DECODE, e.status(), what);
    assertEquals("UNKNOWN_FIELD", e.code(), what + ": " + e.getMessage());
    assertEquals(path, e.fieldPath(), what);
  }

  // ---- the Format value ----------------------------------------------------------

  @Test
  void strictFormatsAreSixValuesComparedWithDoubleEquals() {
    for (Format f : Format.values()) {
      Format s = f.strict();
      assertFalse(f.isStrict(), f.toString());
      assertTrue(s.isStrict(), s.toString());
      assertNotSame(f, s);
      assertSame(s, f.strict()); // one instance per strict format
      assertSame(s, s.strict());
      assertSame(f, s.lenient());
      assertSame(f, f.lenient());
      assertEquals(f.code() | 0x100, s.code()); // PEAT_FORMAT_FLAG_STRICT
      assertEquals(f.label(), s.label());
      assertSame(f, Format.parse(s.label())); // labels name the lenient formats
      assertEquals(f + ".strict()", s.toString());
    }
    assertEquals(List.of(Format.BINARY, Format.JSON, Format.RUST_JSON), Arrays.asList(Format.values()));
    assertEquals(List.of(1, 2, 3, 0x102), List.of(Format.BINARY.code(), Format.JSON.code(), Format.RUST_JSON.code(),
        Format.JSON.strict().code()));
    assertEquals("JSON", Format.JSON.toString());
    // values() is a copy: changing it changes no format.
    Format[] v = Format.values();
    v[0] = null;
    assertSame(Format.BINARY, Format.values()[0]);
  }

  // ---- every call that reads JSON ------------------------------------------------------

  /** Each reading call on one text, in one format: name -> the call. */
  private static Map<String, Supplier<?>> readingCalls(Format format, String text) {
    byte[] in = utf8(text);
    byte[] good = utf8(format.lenient() == Format.JSON ? GOOD_JSON : GOOD_RUST);
    Map<String, Supplier<?>> calls = new LinkedHashMap<>();
    calls.put("convert", () -> Peat.convert(NS, format, Format.BINARY, in));
    calls.put("decode", () -> Peat.decode(format, in, NodeState.getDefaultInstance()));
    calls.put("validate", () -> Peat.validate(NS, format, in, Fixtures.options()));
    calls.put("sanitize", () -> Peat.sanitize(NS, format, Format.BINARY, in));
    calls.put("merge(a)", () -> Peat.merge(NS, format, Format.BINARY, in, good));
    calls.put("merge(b)", () -> Peat.merge(NS, format, Format.BINARY, good, in));
    calls.put("mergeBatch", () -> Peat.mergeBatch(NS, format, Format.BINARY, List.of(good, in)));
    return calls;
  }

  @Test
  void typoedKeyIsRefusedWithItsPathWhenStrict() {
    for (Format f : List.of(Format.JSON, Format.RUST_JSON)) {
      String text = f == Format.JSON ? TYPO_JSON : TYPO_RUST;
      for (Map.Entry<String, Supplier<?>> c : readingCalls(f.strict(), text).entrySet()) {
        assertUnknownField("cellID", c.getValue(), f.strict() + " " + c.getKey());
      }
    }
    assertUnknownField("cellID", () -> Peat.fromJsonStrict(TYPO_JSON, NodeState.getDefaultInstance()), "fromJsonStrict");
    assertUnknownField("cellID", () -> Peat.fromRustJsonStrict(TYPO_RUST, NodeState.getDefaultInstance()),
        "fromRustJsonStrict");
    // A batch reports an undecodable message instead of throwing: its one
    // violation is the decode error, with the code and the path.
    BatchValidationReport batch = Peat.validateBatch(NS, Format.JSON.strict(),
        List.of(utf8(GOOD_JSON), utf8(TYPO_JSON)), Fixtures.options());
    assertEquals(1, batch.getUndecodableCount());
    assertTrue(batch.getReports(0).getDecoded());
    ValidationReport bad = batch.getReports(1);
    assertFalse(bad.getDecoded());
    assertEquals(1, bad.getViolationsCount());
    Violation v = bad.getViolations(0);
    assertEquals("UNKNOWN_FIELD", v.getCode());
    assertEquals("cellID", v.getPath());
  }

  @Test
  void typoedKeyIsIgnoredWhenLenient() {
    byte[] expected = WITHOUT_TYPO.toByteArray();
    for (Format f : List.of(Format.JSON, Format.RUST_JSON)) {
      String text = f == Format.JSON ? TYPO_JSON : TYPO_RUST;
      Map<String, Supplier<?>> calls = readingCalls(f, text);
      assertArrayEquals(expected, (byte[]) calls.get("convert").get(), f.toString());
      assertEquals(WITHOUT_TYPO, calls.get("decode").get(), f.toString());
      ValidationReport r = (ValidationReport) calls.get("validate").get();
      assertTrue(r.getDecoded(), f.toString());
      for (String call : List.of("sanitize", "merge(a)", "merge(b)", "mergeBatch")) {
        calls.get(call).get(); // no exception: the key is ignored
      }
      assertArrayEquals(expected, (byte[]) calls.get("merge(a)").get(), f.toString());
      assertArrayEquals(expected, (byte[]) calls.get("mergeBatch").get(), f.toString());
    }
    assertEquals(WITHOUT_TYPO, Peat.fromJson(TYPO_JSON, NodeState.getDefaultInstance()));
    assertEquals(WITHOUT_TYPO, Peat.fromRustJson(TYPO_RUST, NodeState.getDefaultInstance()));
    BatchValidationReport batch = Peat.validateBatch(NS, Format.JSON, List.of(utf8(GOOD_JSON), utf8(TYPO_JSON)),
        Fixtures.options());
    assertEquals(0, batch.getUndecodableCount());
  }

  @Test
  void theKeysPathIsFullForNestedMessagesAndDirectives() {
    assertUnknownField("capabilities[1].confidance", () -> Peat.fromJsonStrict(
        "{\"id\":\"n\",\"capabilities\":[{\"id\":\"a\"},{\"id\":\"b\",\"confidance\":0.5}]}",
        NodeConfig.getDefaultInstance()), "nested proto3 JSON");
    // The directives' own rust-json (the reference's serde structs).
    String status = "{\"directive_id\":\"d-1\",\"node_id\":\"n\",\"reported_at\":\"2025-11-06T12:00:00Z\","
        + "\"state\":\"failed\",\"progress_percent\":40";
    assertUnknownField("eror", () -> Peat.fromRustJsonStrict(status + ",\"eror\":\"x\"}",
        DeploymentStatus.getDefaultInstance()), "directive rust-json");
    DeploymentStatus lenient = Peat.fromRustJson(status + ",\"eror\":\"x\"}", DeploymentStatus.getDefaultInstance());
    assertEquals(DeploymentState.DEPLOYMENT_STATE_FAILED, lenient.getState());
    assertEquals(lenient, Peat.fromRustJsonStrict(status + "}", DeploymentStatus.getDefaultInstance()));
  }

  @Test
  void strictReadsEverythingLibpeatWrites() {
    NodeConfig config = Fixtures.nodeConfig("node-1");
    assertEquals(config, Peat.fromJsonStrict(Peat.toJson(config), NodeConfig.getDefaultInstance()));
    NodeState state = NodeState.newBuilder().setFuelMinutes(30).setCellId("cell-1").setTimestamp(ts(T0)).build();
    assertEquals(state, Peat.fromJsonStrict(Peat.toJson(state), NodeState.getDefaultInstance()));
    assertEquals(state, Peat.fromRustJsonStrict(Peat.toRustJson(state), NodeState.getDefaultInstance()));
  }

  @Test
  void theFlagReachesLibpeatUnchanged() {
    // The low layer takes the number as is: libpeat, not Java, refuses the key.
    assertUnknownField("cellID", () -> PeatNative.convert(NS, 2 | 0x100, 1, utf8(TYPO_JSON)), "PeatNative");
    assertArrayEquals(WITHOUT_TYPO.toByteArray(), PeatNative.convert(NS, 2, 1, utf8(TYPO_JSON)));
  }

  // ---- binary input: unaffected ------------------------------------------------------

  @Test
  void binaryInputReadsTheSameStrictOrNot() throws Exception {
    // A NodeState from a newer minor version: an unknown field 100 (varint 7),
    // which binary reading keeps byte for byte whether strict or not.
    NodeState state = NodeState.newBuilder().setFuelMinutes(30).setCellId("cell-1").setTimestamp(ts(T0)).build();
    ByteArrayOutputStream evolved = new ByteArrayOutputStream();
    evolved.write(state.toByteArray());
    evolved.write(new byte[] {(byte) 0xa0, 0x06, 0x07}); // tag (100 << 3 | 0), value 7
    byte[] in = evolved.toByteArray();

    byte[] lenient = Peat.convert(NS, Format.BINARY, Format.BINARY, in);
    assertArrayEquals(in, lenient);
    assertArrayEquals(lenient, Peat.convert(NS, Format.BINARY.strict(), Format.BINARY, in));
    assertArrayEquals(Peat.convert(NS, Format.BINARY, Format.JSON, in),
        Peat.convert(NS, Format.BINARY.strict(), Format.JSON, in));
    assertEquals(Peat.decode(Format.BINARY, in, NodeState.getDefaultInstance()),
        Peat.decode(Format.BINARY.strict(), in, NodeState.getDefaultInstance()));
    assertEquals(Peat.validate(NS, Format.BINARY, in, Fixtures.options()),
        Peat.validate(NS, Format.BINARY.strict(), in, Fixtures.options()));
    assertEquals(Peat.validateBatch(NS, Format.BINARY, List.of(in, in), Fixtures.options()),
        Peat.validateBatch(NS, Format.BINARY.strict(), List.of(in, in), Fixtures.options()));
    assertEquals(Peat.sanitize(NS, Format.BINARY, Format.BINARY, in),
        Peat.sanitize(NS, Format.BINARY.strict(), Format.BINARY, in));
    assertArrayEquals(Peat.merge(NS, Format.BINARY, Format.BINARY, in, in),
        Peat.merge(NS, Format.BINARY.strict(), Format.BINARY, in, in));
    assertArrayEquals(Peat.mergeBatch(NS, Format.BINARY, Format.BINARY, List.of(in, in)),
        Peat.mergeBatch(NS, Format.BINARY.strict(), Format.BINARY, List.of(in, in)));
    // Bad binary is the same error either way (strict adds no check of its own).
    byte[] garbage = {(byte) 0xff, 0x01};
    DecodeException a = assertThrows(DecodeException.class, () -> Peat.convert(NS, Format.BINARY, Format.JSON, garbage));
    DecodeException b = assertThrows(DecodeException.class,
        () -> Peat.convert(NS, Format.BINARY.strict(), Format.JSON, garbage));
    assertEquals(a.code(), b.code());
    assertEquals(a.fieldPath(), b.fieldPath());
  }
}
