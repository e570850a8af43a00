package io.peat;

import static io.peat.Fixtures.T0;
import static io.peat.Fixtures.ts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.proto.cap.cell.v1.CellState;
import io.peat.proto.cap.common.v1.Timestamp;
import io.peat.proto.cap.node.v1.HealthStatus;
import io.peat.proto.cap.node.v1.Node;
import io.peat.proto.crdt.v1.AddCell;
import io.peat.proto.crdt.v1.AddMember;
import io.peat.proto.crdt.v1.ConsumeFuel;
import io.peat.proto.crdt.v1.DocInit;
import io.peat.proto.crdt.v1.Operation;
import io.peat.proto.crdt.v1.RemoveCell;
import io.peat.proto.crdt.v1.ReplenishFuel;
import io.peat.proto.crdt.v1.SetCoordinator;
import io.peat.proto.crdt.v1.SetLeader;
import io.peat.proto.crdt.v1.UpdateHealth;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link Replica}, the replica handle of ABI 1.2: every call gives the bytes
 * of the matching stateless {@link Document} call, over random sequences of
 * operations and merges; copies are independent; a failed call leaves the
 * replica unchanged; close, use after close, the Cleaner, wrong kinds,
 * garbage, threads; and the class's (and README's) example, run.
 */
class ReplicaTest {
  private static final byte[] GARBAGE = {0x0a, (byte) 0xff};

  private static DocInit cellInit() {
    return DocInit.newBuilder().setReplica("origin").setTimestamp(ts(T0))
        .setCellState(Fixtures.cellState("cell-1", T0, List.of("n1"))).build();
  }

  /**
   * The same step on a replica and on its stateless reference: both succeed
   * with equal results, or both fail with the same exception class and code.
   */
  private static <T> T same(Supplier<T> stateless, Supplier<T> replica, String where) {
    T want;
    try {
      want = stateless.get();
    } catch (PeatException e) {
      PeatException got = assertThrows(PeatException.class, replica::get, where);
      assertSame(e.getClass(), got.getClass(), where);
      assertEquals(e.code(), got.code(), where);
      return null;
    }
    T got = replica.get();
    if (want instanceof byte[] w) {
      assertArrayEquals(w, (byte[]) got, where);
    } else {
      assertEquals(want, got, where);
    }
    return want;
  }

  @RepeatedTest(12)
  void matchesTheStatelessDocumentCallsByteForByte(RepetitionInfo rep) {
    long seed = 0x7e9100L + rep.getCurrentRepetition();
    Random rnd = new Random(seed);
    DocInit init = cellInit();
    Document docA = Document.create(Document.Kind.CELL, init); // what replica a must hold
    Document docB = docA;                                       // what replica b must hold
    List<Document> deltas = new ArrayList<>();
    try (Replica a = Replica.create(Document.Kind.CELL, init); Replica b = Replica.open(docA)) {
      assertEquals(docA, a.document());
      assertEquals(docA, b.document());
      int applied = 0;
      int merges = 0;
      for (int step = 0; step < 60; step++) {
        String where = "seed " + seed + " step " + step;
        int action = rnd.nextInt(8);
        long t = T0 + 1 + step / 2 + rnd.nextInt(3);
        if (action <= 2) { // an operation on a or b
          boolean onA = action != 2;
          Operation op = ConvergenceTest.randomOp(rnd, onA ? "ra" : "rb", t);
          Document before = onA ? docA : docB;
          Replica r = onA ? a : b;
          Document.Applied[] res = new Document.Applied[1];
          Document delta = same(() -> (res[0] = before.apply(op)).delta(), () -> r.apply(op), where);
          if (delta != null) {
            applied++;
            deltas.add(delta);
            if (onA) {
              docA = res[0].doc();
            } else {
              docB = res[0].doc();
            }
          }
        } else if (action == 3 && !deltas.isEmpty()) { // a delta (or a duplicate) arrives at b
          Document d = deltas.get(rnd.nextInt(deltas.size()));
          Document want = docB.merge(d);
          b.merge(d);
          docB = want;
          merges++;
        } else if (action == 4) { // replica to replica, no bytes
          Document want = docA.merge(docB);
          a.merge(b);
          docA = want;
          merges++;
        } else if (action == 5) { // a whole document as bytes
          Document want = docB.merge(docA);
          b.merge(a.document());
          docB = want;
          merges++;
        } else if (action == 6) { // with itself: idempotent
          a.merge(a);
          assertEquals(docA, docA.merge(docA), where);
        } else { // reads
          Document ra = docA;
          same(ra::materialize, a::materialize, where);
          Format f = Format.values()[rnd.nextInt(Format.values().length)];
          same(() -> ra.materialize(f), () -> a.materializeBytes(f), where);
        }
        assertEquals(docA, a.document(), where);
        assertEquals(docB, b.document(), where);
      }
      assertTrue(applied > 10 && merges > 5, "seed " + seed + ": " + applied + " ops, " + merges + " merges");
      // After a full exchange both hold the same document, as the stateless calls say.
      a.merge(b);
      b.merge(a);
      assertEquals(docA.merge(docB), a.document());
      assertEquals(a.document(), b.document());
      for (Format f : Format.values()) {
        assertArrayEquals(docA.merge(docB).materialize(f), b.materializeBytes(f), f.toString());
      }
      assertEquals(docA.merge(docB).materialize(), a.materialize());
    }
  }

  @Test
  void nodeAndZoneReplicasMatchTheStatelessCalls() {
    DocInit nodeInit = DocInit.newBuilder().setReplica("origin").setTimestamp(ts(T0)).setId("node-1").build();
    List<Operation> nodeOps = List.of(
        op("a", 1).setReplenishFuel(ReplenishFuel.newBuilder().setMinutes(30)).build(),
        op("a", 2).setConsumeFuel(ConsumeFuel.newBuilder().setMinutes(7)).build(),
        op("a", 3).setUpdateHealth(UpdateHealth.newBuilder().setHealth(HealthStatus.HEALTH_STATUS_DEGRADED)).build(),
        op("a", 4).setAddMember(AddMember.newBuilder().setNodeId("x")).build()); // not a NodeDoc operation
    Document node = check(Document.Kind.NODE, nodeInit, nodeOps);
    assertEquals(23, ((Node) node.materialize()).getState().getFuelMinutes());

    DocInit zoneInit = DocInit.newBuilder().setReplica("origin").setTimestamp(ts(T0)).setId("zone-1").build();
    List<Operation> zoneOps = List.of(
        op("z", 1).setAddCell(AddCell.newBuilder().setCellId("cell-1")).build(),
        op("z", 2).setAddCell(AddCell.newBuilder().setCellId("cell-2")).build(),
        op("z", 3).setSetCoordinator(SetCoordinator.newBuilder().setNodeId("n1")).build(),
        op("z", 4).setRemoveCell(RemoveCell.newBuilder().setCellId("cell-1")).build());
    check(Document.Kind.ZONE, zoneInit, zoneOps);
  }

  private static Operation.Builder op(String replica, long dt) {
    return Operation.newBuilder().setReplica(replica).setTimestamp(ts(T0 + dt));
  }

  /** Applies the operations statelessly and on a replica; returns the final document. */
  private static Document check(Document.Kind kind, DocInit init, List<Operation> ops) {
    Document doc = Document.create(kind, init);
    try (Replica empty = Replica.create(kind)) {
      assertEquals(Document.create(kind), empty.document());
      assertArrayEquals(Document.create(kind).materialize(Format.JSON), empty.materializeBytes(Format.JSON));
    }
    // A follower of the same entity, that only merges.
    DocInit sameId = DocInit.newBuilder().setId(init.getId()).build();
    try (Replica r = Replica.create(kind, init); Replica follower = Replica.create(kind, sameId)) {
      assertEquals(Document.create(kind, sameId), follower.document());
      int ok = 0;
      for (Operation o : ops) {
        Document before = doc;
        Document.Applied[] res = new Document.Applied[1];
        if (same(() -> (res[0] = before.apply(o)).delta(), () -> r.apply(o), kind + " " + o) != null) {
          doc = res[0].doc();
          ok++;
        }
        assertEquals(doc, r.document());
        follower.merge(r);
      }
      assertTrue(ok >= 3, kind + ": " + ok + " operations applied");
      assertEquals(Document.create(kind, sameId).merge(doc), follower.document());
      assertEquals(doc.materialize(), r.materialize());
      for (Format f : Format.values()) {
        assertArrayEquals(doc.materialize(f), r.materializeBytes(f));
      }
      assertSame(kind, r.kind());
    }
    return doc;
  }

  @Test
  void aCopyIsIndependent() {
    try (Replica a = Replica.create(Document.Kind.CELL, cellInit())) {
      Document start = a.document();
      try (Replica b = a.copy()) {
        assertNotEquals(a.handle(), b.handle());
        assertEquals(Document.Kind.CELL, b.kind());
        assertEquals(start, b.document());
        Document delta = b.apply(op("rb", 1).setAddMember(AddMember.newBuilder().setNodeId("n2")).build());
        assertEquals(start, a.document(), "the original did not change");
        assertEquals(start.apply(op("rb", 1).setAddMember(AddMember.newBuilder().setNodeId("n2")).build()).doc(),
            b.document());
        a.apply(op("ra", 2).setAddMember(AddMember.newBuilder().setNodeId("n3")).build());
        assertEquals(List.of("n1", "n2"), ((CellState) b.materialize()).getMembersList(), "the copy did not change");
        a.merge(delta);
        assertEquals(List.of("n1", "n2", "n3"), ((CellState) a.materialize()).getMembersList());
      }
      // Closing the copy leaves the original open.
      assertFalse(a.isClosed());
      assertEquals(3, ((CellState) a.materialize()).getMembersCount());
    }
  }

  @Test
  void aFailedCallLeavesTheReplicaUnchanged() {
    try (Replica r = Replica.create(Document.Kind.CELL, cellInit())) {
      Document before = r.document();
      // Refused locally: the leader must be a member.
      Operation lead = op("ra", 1).setSetLeader(SetLeader.newBuilder().setNodeId("stranger")).build();
      PeatException e = assertThrows(PeatException.class, () -> r.apply(lead));
      PeatException want = assertThrows(PeatException.class, () -> before.apply(lead));
      assertSame(want.getClass(), e.getClass());
      assertEquals(want.code(), e.code());
      assertEquals(before, r.document());
      // An operation of another document kind.
      assertEquals("OP_NOT_APPLICABLE", assertThrows(UnsupportedException.class,
          () -> r.apply(op("ra", 1).setReplenishFuel(ReplenishFuel.newBuilder().setMinutes(1)).build())).code());
      // An operation without a replica.
      assertThrows(InvalidArgumentException.class,
          () -> r.apply(Operation.newBuilder().setAddMember(AddMember.newBuilder().setNodeId("n2")).build()));
      assertEquals(before, r.document());
    }
  }

  @Test
  void garbageIsADecodeException() {
    Document garbage = Document.fromBytes(Document.Kind.CELL, GARBAGE);
    assertThrows(DecodeException.class, () -> Replica.open(garbage));
    try (Replica r = Replica.create(Document.Kind.CELL, cellInit())) {
      Document before = r.document();
      assertThrows(DecodeException.class, () -> r.merge(garbage));
      assertEquals(before, r.document(), "a failed merge changes nothing");
      // The same answer as the stateless merge.
      assertThrows(DecodeException.class, () -> before.merge(garbage));
    }
    // Zero bytes are the empty document.
    try (Replica r = Replica.open(Document.fromBytes(Document.Kind.ZONE, new byte[0]))) {
      assertEquals(Document.create(Document.Kind.ZONE), r.document());
    }
  }

  @Test
  void aMergeOfAnotherKindIsDocTypeMismatch() {
    try (Replica cell = Replica.create(Document.Kind.CELL, cellInit());
         Replica zone = Replica.create(Document.Kind.ZONE)) {
      Document before = cell.document();
      MismatchException fromLibpeat = assertThrows(MismatchException.class, () -> cell.merge(zone));
      assertEquals("DOC_TYPE_MISMATCH", fromLibpeat.code());
      assertEquals(Status.MISMATCH, fromLibpeat.status());
      // A Document of another kind is refused before its bytes reach libpeat
      // (which would read them as a CellDoc), with the same exception and code.
      Document nodeDoc = Document.create(Document.Kind.NODE);
      MismatchException fromJava = assertThrows(MismatchException.class, () -> cell.merge(nodeDoc));
      assertEquals("DOC_TYPE_MISMATCH", fromJava.code());
      assertEquals(Status.MISMATCH.code(), fromJava.statusCode());
      assertTrue(fromJava.getMessage().contains("peat.crdt.v1.NodeDoc"), fromJava.getMessage());
      assertEquals("DOC_TYPE_MISMATCH",
          assertThrows(MismatchException.class, () -> zone.merge(cell.document())).code());
      assertEquals(before, cell.document());
      assertEquals(Document.create(Document.Kind.ZONE), zone.document());
    }
  }

  @Test
  void useAfterCloseIsIllegalStateAndCloseIsIdempotent() {
    Replica r = Replica.create(Document.Kind.CELL, cellInit());
    Document doc = r.document();
    long h = r.handle();
    assertNotEquals(0, h);
    assertFalse(r.isClosed());
    assertEquals("Replica{CELL, open}", r.toString());
    try (Replica other = Replica.create(Document.Kind.CELL)) {
      r.close();
      assertTrue(r.isClosed());
      r.close(); // idempotent
      assertEquals(0, r.handle());
      assertEquals("Replica{CELL, closed}", r.toString());
      assertEquals(Document.Kind.CELL, r.kind());
      Operation add = op("ra", 1).setAddMember(AddMember.newBuilder().setNodeId("n2")).build();
      List<Executable> calls = List.of(
          () -> r.apply(add),
          () -> r.merge(doc),
          () -> r.merge(other),
          () -> r.merge(r),
          () -> other.merge(r),
          r::materialize,
          () -> r.materializeBytes(Format.JSON),
          r::document,
          r::copy);
      for (int i = 0; i < calls.size(); i++) {
        int n = i;
        IllegalStateException e = assertThrows(IllegalStateException.class, calls.get(i), () -> "call #" + n);
        assertTrue(e.getMessage().contains("Replica is closed"), e.getMessage());
      }
      assertEquals(Document.create(Document.Kind.CELL), other.document(), "other was not touched");
    }
    // libpeat itself refuses the freed handle (never reused); a second free is a no-op.
    assertEquals("INVALID_HANDLE",
        assertThrows(InvalidArgumentException.class, () -> PeatNative.replicaEncode(h)).code());
    PeatNative.replicaFree(h);
    try (Replica again = Replica.open(doc)) {
      assertNotEquals(h, again.handle(), "a new handle, never a reused one");
      assertEquals(h & 0xff, again.handle() & 0xff, "the replica kind in the low 8 bits");
      assertEquals(doc, again.document());
    }
  }

  @Test
  void replicaAndArtifactHandlesAreNotInterchangeable() {
    try (Replica r = Replica.create(Document.Kind.CELL);
         ArtifactVerifier v = new ArtifactVerifier(Fixtures.artifact(Fixtures.SHA256_ABC, 3))) {
      assertNotEquals(r.handle() & 0xff, v.handle() & 0xff);
      assertEquals("WRONG_HANDLE_KIND",
          assertThrows(InvalidArgumentException.class, () -> PeatNative.replicaEncode(v.handle())).code());
      assertEquals("WRONG_HANDLE_KIND",
          assertThrows(InvalidArgumentException.class, () -> PeatNative.artifactFinish(r.handle())).code());
      PeatNative.replicaFree(v.handle()); // no-ops on another kind
      PeatNative.artifactFree(r.handle());
      v.update(Fixtures.ABC);
      assertEquals(Fixtures.SHA256_ABC, v.finish().getDigest());
      assertEquals(Document.create(Document.Kind.CELL), r.document());
    }
    for (long h : new long[] {0, -1, Long.MIN_VALUE}) {
      PeatException e = assertThrows(InvalidArgumentException.class, () -> PeatNative.replicaEncode(h));
      assertTrue(e.code().equals("INVALID_HANDLE") || e.code().equals("WRONG_HANDLE_KIND"), e.code());
      PeatNative.replicaFree(h);
    }
  }

  @Test
  void anUnreachableReplicaIsReleasedByTheCleaner() throws Exception {
    long h = openAndDrop();
    long deadline = System.nanoTime() + 20_000_000_000L;
    String code = null;
    while (System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
      try {
        PeatNative.replicaEncode(h); // still known until the Cleaner runs
      } catch (InvalidArgumentException e) {
        code = e.code();
        break;
      }
    }
    assertEquals("INVALID_HANDLE", code, "the Cleaner released the handle");
  }

  private static long openAndDrop() {
    Replica r = Replica.create(Document.Kind.CELL, cellInit());
    return r.copy().handle(); // the copy, too, is only reachable from here
  }

  @Test
  void callsFromManyThreadsSerialiseAndCopiesRunInParallel() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (Replica shared = Replica.create(Document.Kind.CELL)) {
      List<Replica> copies = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Replica target = t < 4 ? shared : shared.copy();
        if (t >= 4) {
          copies.add(target);
        }
        int id = t;
        threads.add(new Thread(() -> {
          try {
            for (int i = 0; i < 25; i++) {
              target.apply(op("t" + id, 100 + i).setAddMember(AddMember.newBuilder().setNodeId("t" + id + "-" + i)).build());
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertNull(failure.get(), () -> String.valueOf(failure.get()));
      for (Replica c : copies) {
        shared.merge(c);
        c.close();
      }
      assertEquals(200, ((CellState) shared.materialize()).getMembersCount());
    }
  }

  @Test
  void aCallRacingCloseEitherRunsOrIsIllegalState() throws Exception {
    for (int round = 0; round < 20; round++) {
      Replica r = Replica.create(Document.Kind.CELL);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      int id = round;
      Thread worker = new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          try {
            r.apply(op("w" + id, i).setAddMember(AddMember.newBuilder().setNodeId("n" + (i % 5))).build());
            r.document();
          } catch (IllegalStateException e) {
            return; // closed: before the call or while it was on its way to libpeat
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
            return;
          }
        }
      });
      worker.start();
      Thread.sleep(round % 3);
      r.close();
      worker.join();
      assertNull(failure.get(), () -> String.valueOf(failure.get()));
      assertTrue(r.isClosed());
    }
  }

  // ---- the example of Replica's Javadoc and of the README, run ----------------------

  private final List<byte[]> sent = new ArrayList<>();
  private final List<byte[]> stored = new ArrayList<>();

  private void send(byte[] bytes) {
    sent.add(bytes);
  }

  private void store(byte[] bytes) {
    stored.add(bytes);
  }

  @Test
  void example() {
    // The inputs the example names: the time, the cell's first state, a delta from another replica.
    Timestamp now = ts(T0 + 10);
    CellState initialState = Fixtures.cellState("cell-1", T0, List.of("n1"));
    byte[] received = Document.create(Document.Kind.CELL, DocInit.newBuilder().setReplica("c2-b")
        .setTimestamp(ts(T0)).setCellState(initialState).build())
        .apply(Operation.newBuilder().setReplica("c2-b").setTimestamp(now)
            .setAddMember(AddMember.newBuilder().setNodeId("n8")).build()).delta().toByteArray();
    CellState result;

    // ---- Replica's Javadoc and bindings/java/README.md, verbatim ----
    try (Replica cell = Replica.create(Document.Kind.CELL, DocInit.newBuilder()
        .setReplica("c2-a").setTimestamp(now).setCellState(initialState).build())) {
      Document delta = cell.apply(Operation.newBuilder().setReplica("c2-a").setTimestamp(now)
          .setAddMember(AddMember.newBuilder().setNodeId("n7")).build());
      send(delta.toByteArray());                                     // ship the delta to the other replicas
      cell.merge(Document.fromBytes(Document.Kind.CELL, received));  // a delta or document from another replica
      CellState state = (CellState) cell.materialize();              // the plain ICD message
      store(cell.document().toByteArray());                          // the whole document, to save or send
      // ---- end of the example ----
      result = state;
    }
    assertEquals(List.of("n1", "n7", "n8"), result.getMembersList());
    assertEquals(1, sent.size());
    assertEquals(List.of("n7"), ((CellState) Document.fromBytes(Document.Kind.CELL, sent.get(0)).materialize())
        .getMembersList().stream().filter(m -> !m.equals("n1")).toList());
    try (Replica reopened = Replica.open(Document.fromBytes(Document.Kind.CELL, stored.get(0)))) {
      assertEquals(result, reopened.materialize());
    }
  }

  @Test
  void theJavadocAndTheReadmeShowThisCode() throws Exception {
    String here = Files.readString(Fixtures.top().resolve("bindings/java/src/test/java/io/peat/ReplicaTest.java"),
        StandardCharsets.UTF_8);
    String javadoc = Files.readString(Fixtures.top().resolve("bindings/java/src/main/java/io/peat/Replica.java"));
    Matcher j = Pattern.compile("(?s)<pre>\\{@code\\n(.*?)\\n \\* \\}</pre>").matcher(javadoc);
    assertTrue(j.find(), "Replica.java has a {@code} example");
    List<String> fromJavadoc = j.group(1).lines().map(l -> l.replaceFirst("^ \\* ?", "")).toList();
    String readme = Files.readString(Fixtures.top().resolve("bindings/java/README.md"));
    Matcher m = Pattern.compile("(?s)```java\\n(try \\(Replica .*?)```").matcher(readme);
    assertTrue(m.find(), "bindings/java/README.md has a ```java block starting with try (Replica");
    List<String> fromReadme = m.group(1).lines().toList();
    assertEquals(fromJavadoc.stream().map(String::strip).toList(), fromReadme.stream().map(String::strip).toList(),
        "the README and the Javadoc show the same example");
    assertTrue(fromJavadoc.size() >= 9, fromJavadoc.toString());
    for (String line : fromJavadoc) {
      assertTrue(here.contains(line.strip()), "a line of Replica's example is not in this test: " + line);
    }
  }
}
