package io.peat;

import static io.peat.Fixtures.T0;
import static io.peat.Fixtures.ts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.proto.cap.cell.v1.CellState;
import io.peat.proto.crdt.v1.AddCapability;
import io.peat.proto.crdt.v1.AddMember;
import io.peat.proto.crdt.v1.ClearLeader;
import io.peat.proto.crdt.v1.ClearPlatoon;
import io.peat.proto.crdt.v1.DocInit;
import io.peat.proto.crdt.v1.Operation;
import io.peat.proto.crdt.v1.RemoveMember;
import io.peat.proto.crdt.v1.SetLeader;
import io.peat.proto.crdt.v1.SetPlatoon;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Randomised convergence: replicas mutate independently, exchange what they
 * produced in random orders (with duplicates), and must end byte-identical.
 * Seeds are printed in failure messages so a failure can be replayed.
 */
class ConvergenceTest {
  private static final String[] NODES = {"n1", "n2", "n3", "n4", "n5", "n6"};

  static Operation randomOp(Random rnd, String replica, long t) {
    Operation.Builder op = Operation.newBuilder().setReplica(replica).setTimestamp(ts(t));
    String node = NODES[rnd.nextInt(NODES.length)];
    switch (rnd.nextInt(7)) {
      case 0, 1, 2 -> op.setAddMember(AddMember.newBuilder().setNodeId(node));
      case 3 -> op.setRemoveMember(RemoveMember.newBuilder().setNodeId(node));
      case 4 -> op.setSetLeader(SetLeader.newBuilder().setNodeId(node));
      case 5 -> {
        if (rnd.nextBoolean()) {
          op.setSetPlatoon(SetPlatoon.newBuilder().setPlatoonId("p" + rnd.nextInt(3)));
        } else {
          op.setClearPlatoon(ClearPlatoon.getDefaultInstance());
        }
      }
      default -> {
        if (rnd.nextBoolean()) {
          op.setAddCapability(AddCapability.newBuilder().setCapability(Fixtures.capability("c" + rnd.nextInt(3), rnd.nextFloat())));
        } else {
          op.setClearLeader(ClearLeader.getDefaultInstance());
        }
      }
    }
    return op.build();
  }

  @RepeatedTest(20)
  void cellDocumentReplicasConverge(RepetitionInfo rep) {
    long seed = 0x5eed0000L + rep.getCurrentRepetition();
    Random rnd = new Random(seed);
    Document base = Document.create(Document.Kind.CELL, DocInit.newBuilder().setReplica("origin").setTimestamp(ts(T0))
        .setCellState(Fixtures.cellState("cell-1", T0, List.of("n1"))).build());
    int replicas = 2 + rnd.nextInt(3);
    List<Document> docs = new ArrayList<>(Collections.nCopies(replicas, base));
    List<Document> deltas = new ArrayList<>();
    int refused = 0;
    for (int step = 0; step < 40; step++) {
      int r = rnd.nextInt(replicas);
      try {
        // Clocks are skewed per replica, so timestamps tie and cross.
        Document.Applied a = docs.get(r).apply(randomOp(rnd, "r" + r, T0 + 1 + step / 2 + rnd.nextInt(3)));
        docs.set(r, a.doc());
        deltas.add(a.delta());
      } catch (PeatException e) {
        refused++; // e.g. a leader that is not a member: refused locally, no delta
      }
      if (rnd.nextInt(5) == 0) { // occasional partial sync
        int from = rnd.nextInt(replicas);
        int to = rnd.nextInt(replicas);
        docs.set(to, docs.get(to).merge(docs.get(from)));
      }
    }
    // Full exchange: every replica receives every delta, shuffled, some twice.
    List<Document> finals = new ArrayList<>();
    for (int r = 0; r < replicas; r++) {
      List<Document> inbox = new ArrayList<>(deltas);
      for (int k = 0; k < 5 && !deltas.isEmpty(); k++) {
        inbox.add(deltas.get(rnd.nextInt(deltas.size())));
      }
      Collections.shuffle(inbox, rnd);
      Document d = docs.get(r);
      for (Document delta : inbox) {
        d = d.merge(delta);
      }
      finals.add(d);
    }
    String where = "seed " + seed + ", " + deltas.size() + " deltas, " + refused + " refused ops";
    assertTrue(deltas.size() > refused, where);
    for (Document d : finals) {
      assertEquals(finals.get(0), d, where);
      assertArrayEquals(finals.get(0).materialize(Format.BINARY), d.materialize(Format.BINARY), where);
    }
    // Merging whole documents in another order gives the same document.
    List<Document> shuffled = new ArrayList<>(docs);
    Collections.shuffle(shuffled, rnd);
    Document whole = base;
    for (Document d : shuffled) {
      whole = whole.merge(d);
    }
    for (Document delta : deltas) {
      whole = whole.merge(delta);
    }
    assertEquals(finals.get(0), whole, where);
    CellState state = (CellState) whole.materialize();
    assertEquals(new TreeSet<>(state.getMembersList()).stream().toList(), state.getMembersList(), "sorted, unique: " + where);
    if (state.hasLeaderId()) {
      assertTrue(state.getMembersList().contains(state.getLeaderId()), "leader is a member: " + where);
    }
  }

  @RepeatedTest(20)
  void plainMergeIsOrderIndependent(RepetitionInfo rep) {
    long seed = 0xc0ffee00L + rep.getCurrentRepetition();
    Random rnd = new Random(seed);
    List<CellState> states = new ArrayList<>();
    int n = 2 + rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      List<String> members = new ArrayList<>();
      for (String node : NODES) {
        if (rnd.nextInt(3) == 0) {
          members.add(node);
        }
      }
      CellState.Builder s = Fixtures.cellState("cell-9", T0 + rnd.nextInt(4), members).toBuilder();
      if (rnd.nextBoolean() && !members.isEmpty()) {
        s.setLeaderId(members.get(0));
      }
      states.add(s.build());
    }
    CellState all = Peat.mergeAll(states);
    String where = "seed " + seed;
    for (int k = 0; k < 5; k++) {
      List<CellState> order = new ArrayList<>(states);
      Collections.shuffle(order, rnd);
      CellState acc = order.get(0);
      for (CellState s : order.subList(1, order.size())) {
        acc = rnd.nextBoolean() ? Peat.merge(acc, s) : Peat.merge(s, acc);
      }
      assertArrayEquals(all.toByteArray(), acc.toByteArray(), where);
      assertEquals(all, Peat.merge(acc, order.get(rnd.nextInt(order.size()))), "idempotent: " + where);
    }
    TreeSet<String> union = new TreeSet<>();
    states.forEach(s -> union.addAll(s.getMembersList()));
    assertEquals(List.copyOf(union), all.getMembersList(), where);
  }

  @Test
  void nodeDocumentCountersConverge() {
    Document base = Document.create(Document.Kind.NODE, DocInit.newBuilder().setReplica("origin").setTimestamp(ts(T0))
        .setId("node-1").build());
    Document a = base;
    Document b = base;
    List<Document> fromA = new ArrayList<>();
    List<Document> fromB = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Document.Applied x = a.apply(Operation.newBuilder().setReplica("a").setTimestamp(ts(T0 + i))
          .setReplenishFuel(io.peat.proto.crdt.v1.ReplenishFuel.newBuilder().setMinutes(10)).build());
      a = x.doc();
      fromA.add(x.delta());
      Document.Applied y = b.apply(Operation.newBuilder().setReplica("b").setTimestamp(ts(T0 + i))
          .setReplenishFuel(io.peat.proto.crdt.v1.ReplenishFuel.newBuilder().setMinutes(1)).build());
      b = y.doc();
      fromB.add(y.delta());
    }
    for (Document d : fromB) {
      a = a.merge(d);
    }
    Collections.reverse(fromA);
    for (Document d : fromA) {
      b = b.merge(d);
    }
    assertEquals(a, b);
    io.peat.proto.cap.node.v1.Node node = (io.peat.proto.cap.node.v1.Node) a.materialize();
    assertEquals(110, node.getState().getFuelMinutes(), "10 x 10 + 10 x 1 minutes from two replicas");
  }
}
