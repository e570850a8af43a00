package io.peat;

import com.google.protobuf.Message;
import io.peat.proto.crdt.v1.DocInit;
import io.peat.proto.crdt.v1.Operation;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A replicated document held open inside libpeat between calls (a replica
 * handle, ABI 1.2): the mutable counterpart of {@link Document}. A sequence of
 * operations, merges and materialisations on a replica does not decode and
 * re-encode the whole document on every call, as the {@link Document} calls
 * do; each call still gives exactly their result, and {@link #document()}
 * after any sequence of calls is byte-identical to the document the {@link
 * Document} calls would have produced. A call that fails leaves the replica
 * unchanged.
 *
 * <pre>{@code
 * try (Replica cell = Replica.create(Document.Kind.CELL, DocInit.newBuilder()
 *     .setReplica("c2-a").setTimestamp(now).setCellState(initialState).build())) {
 *   Document delta = cell.apply(Operation.newBuilder().setReplica("c2-a").setTimestamp(now)
 *       .setAddMember(AddMember.newBuilder().setNodeId("n7")).build());
 *   send(delta.toByteArray());                                     // ship the delta to the other replicas
 *   cell.merge(Document.fromBytes(Document.Kind.CELL, received));  // a delta or document from another replica
 *   CellState state = (CellState) cell.materialize();              // the plain ICD message
 *   store(cell.document().toByteArray());                          // the whole document, to save or send
 * }
 * }</pre>
 *
 * <p>Close it (try-with-resources) to release the handle at once; a replica
 * that becomes unreachable unclosed is released by a {@link Cleaner}, but
 * libpeat allows at most 65,536 live handles per process (of every kind:
 * replicas and {@link ArtifactVerifier}s; {@link TooLargeException}, code
 * TOO_MANY_HANDLES), so do not rely on it. {@link #close()} is idempotent;
 * any other call after it throws {@link IllegalStateException}, including a
 * call that races with the close on another thread.
 *
 * <p>Threads: a replica may be used from several threads; libpeat runs one
 * call on it at a time (so calls serialise, and a close waits for a call in
 * progress), and different replicas run in parallel. Use one replica per
 * writer for throughput, and {@link #copy()} to hand a snapshot to another
 * thread.
 */
public final class Replica implements AutoCloseable {
  /**
   * The handle, shared with the cleaning action; 0 once released. The action
   * must not refer to the replica, or the replica would never become
   * unreachable.
   */
  private static final class Handle implements Runnable {
    private final AtomicLong value;

    Handle(long value) {
      this.value = new AtomicLong(value);
    }

    long get() {
      return value.get();
    }

    /** Frees the handle once, whoever calls first: close() or the Cleaner. */
    @Override
    public void run() {
      long h = value.getAndSet(0);
      if (h != 0) {
        PeatNative.replicaFree(h);
      }
    }
  }

  private final Document.Kind kind;
  private final Handle handle;
  private final Cleaner.Cleanable cleanable;

  private Replica(Document.Kind kind, long h) {
    Handle state = new Handle(h);
    this.cleanable = ArtifactVerifier.CLEANER.register(this, state);
    this.kind = kind;
    this.handle = state;
  }

  /** Wraps a new handle; frees it if the wrapper cannot be built, so it never leaks. */
  private static Replica adopt(Document.Kind kind, long h) {
    try {
      return new Replica(kind, h);
    } catch (Throwable t) {
      PeatNative.replicaFree(h);
      throw t;
    }
  }

  /**
   * A replica of a new empty document.
   *
   * @param kind the document type
   * @return the replica (close it)
   */
  public static Replica create(Document.Kind kind) {
    Objects.requireNonNull(kind, "kind");
    return adopt(kind, PeatNative.replicaNew(kind.typeName(), null));
  }

  /**
   * A replica of a new document from a DocInit, as {@link Document#create(Document.Kind, DocInit)}.
   *
   * @param kind the document type
   * @param init the creating replica, its time, the entity's id and an optional initial ICD message
   *     (a Node, CellState or ZoneState matching the kind)
   * @return the replica (close it)
   * @throws InvalidArgumentException when the initial message is of another kind or the replica is missing
   * @throws MismatchException when the id differs from the initial message's id
   */
  public static Replica create(Document.Kind kind, DocInit init) {
    Objects.requireNonNull(kind, "kind");
    byte[] in = Objects.requireNonNull(init, "init").toByteArray();
    return adopt(kind, PeatNative.replicaNew(kind.typeName(), in));
  }

  /**
   * A replica holding a document (or a delta), e.g. one saved with {@link
   * #document()} or received from another replica.
   *
   * @param doc the document; its bytes are checked here
   * @return the replica (close it), of the document's kind
   * @throws DecodeException when the bytes are not a document of the kind
   * @throws TooLargeException when the document is over its size limit
   */
  public static Replica open(Document doc) {
    Objects.requireNonNull(doc, "doc");
    return adopt(doc.kind(), PeatNative.replicaOpen(doc.kind().typeName(), doc.bytes()));
  }

  /**
   * The replica's document type.
   *
   * @return NODE, CELL or ZONE
   */
  public Document.Kind kind() {
    return kind;
  }

  /**
   * Applies one local mutation, as {@link Document#apply(Operation)}: the
   * replica then holds the new document.
   *
   * @param op the operation, with the replica and time it is made at
   * @return the delta to ship to the other replicas (a document of the same kind)
   * @throws IllegalStateException when the replica is closed
   * @throws UnsupportedException for an operation of another document kind (OP_NOT_APPLICABLE)
   * @throws ValidationException when the result would break a rule, e.g. CELL_FULL
   * @throws InvalidArgumentException for an operation without a replica or a mutation
   */
  public Document apply(Operation op) {
    byte[] in = Objects.requireNonNull(op, "op").toByteArray();
    return call(h -> Document.wrap(kind, PeatNative.replicaApply(h, in)));
  }

  /**
   * Merges a document or delta of the same kind into this replica, as {@link
   * Document#merge(Document)}. The merge is commutative, associative and
   * idempotent.
   *
   * @param docOrDelta a document or delta of the replica's kind
   * @throws IllegalStateException when the replica is closed
   * @throws MismatchException (DOC_TYPE_MISMATCH) when the document is of another kind; (MISMATCH,
   *     DOT_REUSED) when it is of another entity or reuses a replica's dot
   * @throws DecodeException when its bytes are not a document of the kind
   */
  public void merge(Document docOrDelta) {
    Objects.requireNonNull(docOrDelta, "docOrDelta");
    if (docOrDelta.kind() != kind) {
      // Checked here: libpeat would read the bytes as a document of the replica's type.
      throw kindMismatch(docOrDelta.kind());
    }
    call(h -> {
      PeatNative.replicaMerge(h, docOrDelta.bytes());
      return null;
    });
  }

  /**
   * Merges the document of another replica (unchanged; may be this one) into
   * this replica, without copying it through bytes.
   *
   * @param other a replica of the same kind
   * @throws IllegalStateException when either replica is closed
   * @throws MismatchException (DOC_TYPE_MISMATCH) when the other replica is of another kind; (MISMATCH,
   *     DOT_REUSED) when it is of another entity or reuses a replica's dot
   */
  public void merge(Replica other) {
    Objects.requireNonNull(other, "other");
    long o = other.handle.get();
    if (o == 0) {
      throw new IllegalStateException("the other Replica is closed");
    }
    try {
      call(h -> {
        PeatNative.replicaMergeReplica(h, o);
        return null;
      });
    } catch (InvalidArgumentException e) {
      if ("INVALID_HANDLE".equals(e.code()) && other.isClosed()) {
        throw new IllegalStateException("the other Replica is closed", e);
      }
      throw e;
    } finally {
      Reference.reachabilityFence(other);
    }
  }

  /**
   * The plain ICD message the document stands for, sets in canonical order,
   * as {@link Document#materialize()}.
   *
   * @return a Node, CellState or ZoneState (cast to the kind's type)
   * @throws IllegalStateException when the replica is closed
   * @throws TooLargeException (MATERIALIZED_TOO_LARGE) when the message is over the ICD size limit
   */
  public Message materialize() {
    return Peat.parse(materializeBytes(Format.BINARY), kind.materialPrototype());
  }

  /**
   * The plain ICD message in a format, as {@link Document#materialize(Format)}.
   *
   * @param to the format to write (not a strict one)
   * @return the Node, CellState or ZoneState in that format
   * @throws IllegalArgumentException when {@code to} is a strict format
   * @throws IllegalStateException when the replica is closed
   * @throws TooLargeException (MATERIALIZED_TOO_LARGE) when the message is over the ICD size limit
   */
  public byte[] materializeBytes(Format to) {
    int code = Peat.output(to, "to");
    return call(h -> PeatNative.replicaMaterialize(h, code));
  }

  /**
   * The replica's document now: a value to store, send, or {@link #open} again.
   *
   * @return the document (binary protobuf, deterministic), CRDT metadata included
   * @throws IllegalStateException when the replica is closed
   */
  public Document document() {
    return call(h -> Document.wrap(kind, PeatNative.replicaEncode(h)));
  }

  /**
   * A new, independent replica holding the same document (in constant time:
   * the two share the unchanged parts). Later calls on either never affect the
   * other.
   *
   * @return the copy (close it too)
   * @throws IllegalStateException when the replica is closed
   */
  public Replica copy() {
    return call(h -> adopt(kind, PeatNative.replicaClone(h)));
  }

  /**
   * Whether {@link #close()} has been called (or the handle released otherwise).
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return handle.get() == 0;
  }

  /** Releases the libpeat handle. Idempotent; waits for a call in progress on another thread. */
  @Override
  public void close() {
    cleanable.clean();
  }

  /** The live handle, for tests. */
  long handle() {
    return handle.get();
  }

  /**
   * Runs one native call on the live handle. A call that loses a race with
   * close() on another thread (libpeat then no longer knows the handle) is
   * reported as the close it is: IllegalStateException.
   */
  private <T> T call(LongFunction<T> fn) {
    long h = handle.get();
    if (h == 0) {
      throw new IllegalStateException("Replica is closed");
    }
    try {
      return fn.apply(h);
    } catch (InvalidArgumentException e) {
      if ("INVALID_HANDLE".equals(e.code()) && isClosed()) {
        throw new IllegalStateException("Replica is closed", e);
      }
      throw e;
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  private MismatchException kindMismatch(Document.Kind other) {
    return (MismatchException) PeatException.create(Status.MISMATCH.code(), "DOC_TYPE_MISMATCH",
        "cannot merge a " + other.typeName() + " into a " + kind.typeName() + " replica", "");
  }

  /**
   * The kind and whether it is open, for logs (never the handle).
   *
   * @return e.g. "Replica{CELL, open}" or "Replica{CELL, closed}"
   */
  @Override
  public String toString() {
    return "Replica{" + kind + ", " + (isClosed() ? "closed" : "open") + "}";
  }
}
