package io.peat;

import io.peat.proto.cap.node.v1.NodeConfig;
import io.peat.proto.directive.v1.ArtifactSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many threads calling libpeat at once while the JVM allocates heavily,
 * collects garbage and throws exceptions: the Go runtime and the JVM share the
 * process and both use signals. Every result is checked. Runs in-process from
 * {@link StressTest} and as a main in a fresh JVM under -Xcheck:jni.
 */
public final class StressMain {
  private StressMain() {}

  /**
   * What a run did ({@code artifacts}: artifact-verifier lifecycles, {@code
   * replicas}: replica lifecycles, each checked).
   */
  public record Result(long calls, long errors, long javaThrows, long gcs, long artifacts, long replicas) {}

  /** Whether iteration {@code i} of thread {@code id} runs a replica's life (StressTest counts them). */
  static boolean replicaTurn(int id, int i) {
    return ((i + id) & 7) == 5 && (i & 0x38) == 0;
  }

  public static Result run(int threads, int callsPerThread) throws InterruptedException {
    NodeConfig config = Fixtures.nodeConfig("stress-node");
    byte[] bin = config.toByteArray();
    byte[] wantJson = Peat.convert("cap.node.v1.NodeConfig", Format.BINARY, Format.JSON, bin);
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
    int abi = Peat.abiVersion();

    AtomicLong calls = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong throwsInJava = new AtomicLong();
    AtomicLong artifacts = new AtomicLong();
    AtomicLong replicas = new AtomicLong();
    Document cellDoc = Document.create(Document.Kind.CELL);
    ArtifactSpec spec = Fixtures.artifact(Fixtures.SHA256_ABC, 3);
    ByteBuffer direct = ByteBuffer.allocateDirect(3).put(Fixtures.ABC).flip();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch start = new CountDownLatch(1);

    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      final int id = t;
      Thread w = new Thread(() -> {
        byte[][] keep = new byte[64][]; // live garbage, so collections move real data
        try {
          start.await();
          for (int i = 0; i < callsPerThread && failure.get() == null; i++) {
            keep[i & 63] = new byte[256 + (i & 1023)];
            switch ((i + id) & 7) {
              case 0: {
                byte[] json = PeatNative.convert("cap.node.v1.NodeConfig", 1, 2, bin);
                if (!Arrays.equals(wantJson, json)) {
                  throw new AssertionError("wrong JSON: " + new String(json, StandardCharsets.UTF_8));
                }
                break;
              }
              case 1:
                try {
                  PeatNative.convert("cap.node.v1.NodeConfig", 1, 2, garbage);
                  throw new AssertionError("garbage decoded");
                } catch (DecodeException e) {
                  if (e.statusCode() != Status.DECODE.code()) {
                    throw new AssertionError("wrong status " + e.statusCode(), e);
                  }
                  errors.incrementAndGet();
                }
                break;
              case 2:
                if (!"DECODE_ERROR".equals(PeatNative.statusName(3))) {
                  throw new AssertionError("status name");
                }
                break;
              case 3:
                try {
                  // An exception thrown in Java while other threads are inside libpeat.
                  deepThrow(8 + (i & 7));
                } catch (IllegalStateException e) {
                  throwsInJava.incrementAndGet();
                }
                cheapCall(keep[i & 63], i, abi);
                break;
              case 4:
                artifactCycle(spec, direct, i);
                artifacts.incrementAndGet();
                break;
              case 5:
                if (replicaTurn(id, i)) {
                  replicaCycle(cellDoc, id, i);
                  replicas.incrementAndGet();
                } else {
                  cheapCall(keep[i & 63], i, abi);
                }
                break;
              default:
                cheapCall(keep[i & 63], i, abi);
            }
            calls.incrementAndGet();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "peat-stress-" + t);
      workers.add(w);
      w.start();
    }
    long[] gcs = {0};
    Thread collector = new Thread(() -> {
      while (!done.get()) {
        System.gc();
        gcs[0]++;
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "peat-stress-gc");
    collector.start();
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    done.set(true);
    collector.join();
    if (failure.get() != null) {
      throw new AssertionError("stress worker failed", failure.get());
    }
    return new Result(calls.get(), errors.get(), throwsInJava.get(), gcs[0], artifacts.get(), replicas.get());
  }

  /**
   * A verifier's whole life (a handle across JNI): the right bytes from an
   * array or, every other time, from a shared direct buffer; or one byte
   * too many (NotVerifiedException); always closed. Every 64th is left to
   * the Cleaner instead.
   */
  private static void artifactCycle(ArtifactSpec spec, ByteBuffer direct, int i) {
    ArtifactVerifier v = new ArtifactVerifier(spec);
    if ((i & 0x1f8) == 0x100) {
      return; // unreachable from here on: the Cleaner frees it
    }
    try (v) {
      if ((i & 0x18) == 0x08) {
        try {
          v.update(new byte[] {'a', 'b', 'c', 'd'});
          throw new AssertionError("4 bytes accepted for a 3-byte artifact");
        } catch (NotVerifiedException e) {
          if (!e.code().equals("ARTIFACT_EXCESS")) {
            throw new AssertionError("wrong code " + e.code(), e);
          }
        }
        return;
      }
      if ((i & 0x10) != 0) {
        v.update(direct.duplicate()); // read in place; the shared buffer's position is untouched
      } else {
        v.update(Fixtures.ABC);
      }
      if (!v.finish().getDigest().equals(Fixtures.SHA256_ABC)) {
        throw new AssertionError("wrong digest");
      }
    }
  }

  /**
   * A replica's whole life (handles across JNI): opened from a document, an
   * operation, a copy merged back, a garbage merge refused, the result
   * checked against the stateless calls; always closed, except every 16th
   * (with its copy) left to the Cleaner.
   */
  private static void replicaCycle(Document start, int id, int i) {
    io.peat.proto.crdt.v1.Operation op = io.peat.proto.crdt.v1.Operation.newBuilder().setReplica("s" + id)
        .setTimestamp(Fixtures.ts(Fixtures.T0 + i))
        .setAddMember(io.peat.proto.crdt.v1.AddMember.newBuilder().setNodeId("n" + i)).build();
    Replica r = Replica.open(start);
    if ((i & 0x3c0) == 0x40) {
      r.copy().apply(op);
      return; // both unreachable from here on: the Cleaner frees them
    }
    try (r; Replica c = r.copy()) {
      Document delta = c.apply(op);
      r.merge(c);
      try {
        r.merge(Document.fromBytes(Document.Kind.CELL, new byte[] {0x0a, (byte) 0xff}));
        throw new AssertionError("garbage merged");
      } catch (DecodeException e) {
        // expected; the replica is unchanged
      }
      Document.Applied want = start.apply(op);
      if (!want.delta().equals(delta) || !want.doc().equals(r.document())
          || !java.util.Arrays.equals(want.doc().materialize(Format.JSON), r.materializeBytes(Format.JSON))) {
        throw new AssertionError("replica differs from the stateless calls");
      }
    }
    if (!r.isClosed()) {
      throw new AssertionError("replica not closed");
    }
  }

  /** Mostly the trivial call; every 256th iteration a compress round trip. */
  private static void cheapCall(byte[] data, int i, int abi) {
    if ((i & 255) == 7) {
      byte[] frame = PeatNative.compress(data);
      if (PeatNative.decompress(frame, 0).length != data.length) {
        throw new AssertionError("compress round trip");
      }
    } else if (PeatNative.abiVersion() != abi) {
      throw new AssertionError("abi changed");
    }
  }

  private static void deepThrow(int depth) {
    if (depth == 0) {
      throw new IllegalStateException("thrown in Java while other threads are inside libpeat");
    }
    deepThrow(depth - 1);
  }

  /** Usage: StressMain [threads] [calls per thread]. Prints "stress ok ..." on success. */
  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    long t0 = System.nanoTime();
    Result r = run(threads, calls);
    long expected = (long) threads * calls;
    if (r.calls() != expected) {
      System.out.println("stress FAILED: " + r.calls() + " of " + expected + " calls");
      System.exit(1);
    }
    System.out.printf("stress ok: %d calls, %d native errors, %d Java throws, %d artifact verifiers, %d replicas,"
        + " %d GCs in %.1f s%n", r.calls(), r.errors(), r.javaThrows(), r.artifacts(), r.replicas(), r.gcs(),
        (System.nanoTime() - t0) / 1e9);
  }
}
