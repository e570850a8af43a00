package io.peat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.peat.proto.directive.v1.TargetDecision;
import io.peat.proto.validation.v1.ValidationReport;
import io.peat.proto.validation.v1.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of every tests/vectors/<area>/manifest.json through the
 * low-level layer (one C call per case) and checks the status, the exact
 * output bytes, the error code, and the validate / directive_target extras.
 */
class VectorsTest {
  static Path root() {
    String dir = System.getProperty("peat.vectors");
    assertNotNull(dir, "system property peat.vectors (set by the pom) is missing");
    return Paths.get(dir);
  }

  @TestFactory
  Stream<DynamicNode> vectors() throws IOException {
    List<Path> manifests = new ArrayList<>();
    try (Stream<Path> areas = Files.list(root())) {
      areas.filter(Files::isDirectory).sorted().forEach(a -> {
        Path m = a.resolve("manifest.json");
        if (Files.exists(m)) {
          manifests.add(m);
        }
      });
    }
    assertFalse(manifests.isEmpty(), "no manifest under " + root());
    List<DynamicNode> areas = new ArrayList<>();
    for (Path m : manifests) {
      JsonObject manifest = JsonParser.parseString(Files.readString(m)).getAsJsonObject();
      Path dir = m.getParent();
      List<DynamicTest> cases = new ArrayList<>();
      for (JsonElement e : manifest.getAsJsonArray("cases")) {
        JsonObject c = e.getAsJsonObject();
        String name = c.get("name").getAsString();
        cases.add(DynamicTest.dynamicTest(name, () -> {
          try {
            run(dir, c);
          } catch (AssertionError err) {
            throw new AssertionError(dir.getFileName() + "/" + name + ": " + err.getMessage(), err);
          }
        }));
      }
      assertFalse(cases.isEmpty(), m + " has no cases");
      areas.add(DynamicContainer.dynamicContainer(dir.getFileName().toString(), cases));
    }
    return areas.stream();
  }

  /** The result of one call: output bytes, or the exception it threw. */
  record Outcome(byte[] output, PeatException error) {}

  static void run(Path dir, JsonObject c) throws IOException {
    Outcome out;
    try {
      out = new Outcome(call(dir, c), null);
    } catch (PeatException e) {
      out = new Outcome(null, e);
    }
    JsonObject expect = c.getAsJsonObject("expect");
    String status = expect.get("status").getAsString();
    if (out.error != null) {
      assertEquals(status, Peat.statusName(out.error.statusCode()), "status; error: " + out.error.getMessage());
      assertEquals(status, out.error.status().stableName(), "binding's Status enum");
      if (expect.has("code")) {
        assertEquals(expect.get("code").getAsString(), out.error.code(), "error code");
      }
      return;
    }
    assertEquals(status, "OK", "the call succeeded but " + status + " was expected");
    if (expect.has("output")) {
      byte[] want = Files.readAllBytes(dir.resolve(expect.get("output").getAsString()));
      if (!java.util.Arrays.equals(want, out.output)) {
        // Show text outputs readably; compare bytes in any case.
        assertEquals(new String(want, StandardCharsets.UTF_8), new String(out.output, StandardCharsets.UTF_8), "output");
        assertArrayEquals(want, out.output, "output bytes");
      }
    }
    String op = c.get("op").getAsString();
    if (op.equals("validate") && (expect.has("valid") || expect.has("violations"))) {
      ValidationReport r = ValidationReport.parseFrom(out.output);
      if (expect.has("valid")) {
        assertEquals(expect.get("valid").getAsBoolean(), r.getValid(), "valid");
      }
      List<String> want = new ArrayList<>();
      if (expect.has("violations")) {
        for (JsonElement v : expect.getAsJsonArray("violations")) {
          JsonObject o = v.getAsJsonObject();
          want.add(o.get("code").getAsString() + " @ " + o.get("path").getAsString());
        }
      }
      List<String> got = new ArrayList<>();
      for (Violation v : r.getViolationsList()) {
        got.add(v.getCode() + " @ " + v.getPath());
      }
      assertEquals(want, got, "violations");
      assertEquals(got.isEmpty(), r.getValid(), "valid iff no violations");
    }
    if (op.equals("directive_target") && expect.has("targeted")) {
      TargetDecision d = TargetDecision.parseFrom(out.output);
      assertEquals(expect.get("targeted").getAsBoolean(), d.getTargeted(), "targeted");
    }
  }

  static byte[] call(Path dir, JsonObject c) throws IOException {
    List<byte[]> ins = new ArrayList<>();
    if (c.has("inputs") && c.get("inputs").isJsonArray()) {
      JsonArray a = c.getAsJsonArray("inputs");
      for (JsonElement e : a) {
        ins.add(Files.readAllBytes(dir.resolve(e.getAsString())));
      }
    }
    byte[] options = c.has("options") ? Files.readAllBytes(dir.resolve(c.get("options").getAsString())) : null;
    String type = c.has("type") ? c.get("type").getAsString() : ""; // omitted means ""
    int from = c.has("from") ? Format.parse(c.get("from").getAsString()).code() : 0;
    int to = c.has("to") ? Format.parse(c.get("to").getAsString()).code() : 0;
    long maxOut = c.has("max_out") ? c.get("max_out").getAsLong() : 0;
    byte[] a0 = ins.size() > 0 ? ins.get(0) : null;
    byte[] a1 = ins.size() > 1 ? ins.get(1) : null;
    byte[][] all = ins.toArray(new byte[0][]);
    String op = c.get("op").getAsString();
    switch (op) {
      case "convert":
        return PeatNative.convert(type, from, to, a0);
      case "compress":
        return PeatNative.compress(a0);
      case "decompress":
        return PeatNative.decompress(a0, maxOut);
      case "validate":
        return PeatNative.validate(type, from, a0, options);
      case "validate_batch":
        return PeatNative.validateBatch(type, from, all, options);
      case "sanitize":
        return PeatNative.sanitize(type, from, to, a0);
      case "merge":
        return PeatNative.merge(type, from, to, a0, a1);
      case "merge_batch":
        return PeatNative.mergeBatch(type, from, to, all);
      case "doc_new":
        return PeatNative.docNew(type, a0);
      case "doc_apply":
        return PeatNative.docApply(type, a0, a1);
      case "doc_merge":
        return PeatNative.docMerge(type, a0, a1);
      case "doc_materialize":
        return PeatNative.docMaterialize(type, to, a0);
      case "directive_target":
        return PeatNative.directiveTarget(a0);
      case "directive_advance":
        return PeatNative.directiveAdvance(a0);
      case "directive_summarize":
        return PeatNative.directiveSummarize(a0);
      default:
        fail("unknown vector op " + op + " in case " + c.get("name").getAsString());
        return null;
    }
  }

  /** The runner itself must refuse an op it does not know. */
  @org.junit.jupiter.api.Test
  void unknownOpFails() {
    JsonObject c = JsonParser.parseString("{\"name\":\"x\",\"op\":\"teleport\",\"inputs\":[],\"expect\":{\"status\":\"OK\"}}")
        .getAsJsonObject();
    org.junit.jupiter.api.Assertions.assertThrows(org.opentest4j.AssertionFailedError.class, () -> run(root(), c));
  }
}
