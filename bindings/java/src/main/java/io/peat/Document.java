package io.peat;

import com.google.protobuf.Message;
import io.peat.proto.cap.cell.v1.CellState;
import io.peat.proto.crdt.v1.ApplyResult;
import io.peat.proto.crdt.v1.CellDoc;
import io.peat.proto.crdt.v1.DocInit;
import io.peat.proto.crdt.v1.NodeDoc;
import io.peat.proto.crdt.v1.Operation;
import io.peat.proto.crdt.v1.ZoneDoc;
import io.peat.proto.cap.node.v1.Node;
import io.peat.proto.cap.zone.v1.ZoneState;
import java.util.Arrays;
import java.util.Objects;

/**
 * A replicated document (peat.crdt.v1 NodeDoc, CellDoc or ZoneDoc): an
 * immutable value holding the document's bytes. Mutations return new
 * documents; replicas converge by exchanging deltas (or whole documents) and
 * merging them in any order. No native resource is held, so there is nothing
 * to close and instances may be shared between threads freely.
 *
 * <p>The documents carry the CRDT metadata (replica ids, timestamps, tombstones)
 * that the plain ICD messages cannot, so a removal on one replica and an
 * addition on another converge as docs/CRDT.md describes:
 *
 * <pre>{@code
 * Document doc = Document.create(Document.Kind.CELL, DocInit.newBuilder()
 *     .setReplica("c2-a").setTimestamp(now).setCellState(initialState).build());
 *
 * Document.Applied a = doc.apply(Operation.newBuilder().setReplica("c2-a").setTimestamp(now)
 *     .setAddMember(AddMember.newBuilder().setNodeId("n7")).build());
 * send(a.delta().toByteArray());                        // ship the delta to the other replicas
 *
 * Document merged = a.doc().merge(Document.fromBytes(Document.Kind.CELL, received));
 * CellState state = (CellState) merged.materialize();   // the plain ICD message
 * }</pre>
 *
 * <p>Documents received from elsewhere are checked when first used: bytes that
 * are not a document of the kind throw {@link DecodeException}, a document over
 * its size limit {@link TooLargeException}.
 *
 * <p>Each call decodes and re-encodes the whole document; for a long sequence of
 * operations and merges on one document, a {@link Replica} keeps it open inside
 * libpeat between calls, with byte-identical results.
 */
public final class Document {
  /** The three document types and what they materialise to. */
  public enum Kind {
    /** peat.crdt.v1.NodeDoc, materialised as a cap.node.v1.Node. */
    NODE("peat.crdt.v1.NodeDoc", NodeDoc.getDefaultInstance(), Node.getDefaultInstance()),
    /** peat.crdt.v1.CellDoc, materialised as a cap.cell.v1.CellState. */
    CELL("peat.crdt.v1.CellDoc", CellDoc.getDefaultInstance(), CellState.getDefaultInstance()),
    /** peat.crdt.v1.ZoneDoc, materialised as a cap.zone.v1.ZoneState. */
    ZONE("peat.crdt.v1.ZoneDoc", ZoneDoc.getDefaultInstance(), ZoneState.getDefaultInstance());

    private final String typeName;
    private final Message docPrototype;
    private final Message materialPrototype;

    Kind(String typeName, Message docPrototype, Message materialPrototype) {
      this.typeName = typeName;
      this.docPrototype = docPrototype;
      this.materialPrototype = materialPrototype;
    }

    /**
     * The doc_type passed to libpeat.
     *
     * @return the document message's full name, e.g. "peat.crdt.v1.CellDoc"
     */
    public String typeName() {
      return typeName;
    }

    /** The materialised message's default instance (for {@link Replica}). */
    Message materialPrototype() {
      return materialPrototype;
    }
  }

  /**
   * The result of {@link #apply}: the new document and the delta to ship to other replicas.
   *
   * @param doc the document with the operation applied
   * @param delta the change alone, a document of the same kind that other replicas merge
   */
  public record Applied(Document doc, Document delta) {}

  private final Kind kind;
  private final byte[] bytes;

  private Document(Kind kind, byte[] bytes) {
    this.kind = kind;
    this.bytes = bytes;
  }

  /** A document owning {@code bytes} (not copied: the caller gives them up), for {@link Replica}. */
  static Document wrap(Kind kind, byte[] bytes) {
    return new Document(kind, bytes);
  }

  /** The document's bytes themselves, not a copy: never modify them (for {@link Replica}). */
  byte[] bytes() {
    return bytes;
  }

  /**
   * A new empty document.
   *
   * @param kind the document type
   * @return the document
   */
  public static Document create(Kind kind) {
    return new Document(kind, PeatNative.docNew(Objects.requireNonNull(kind, "kind").typeName, null));
  }

  /**
   * A new document from a DocInit.
   *
   * @param kind the document type
   * @param init the creating replica, its time, the entity's id and an optional initial ICD message
   *     (a Node, CellState or ZoneState matching the kind)
   * @return the document
   * @throws InvalidArgumentException when the initial message is of another kind or the replica is missing
   * @throws MismatchException when the id differs from the initial message's id
   */
  public static Document create(Kind kind, DocInit init) {
    return new Document(kind, PeatNative.docNew(Objects.requireNonNull(kind, "kind").typeName,
        Objects.requireNonNull(init, "init").toByteArray()));
  }

  /**
   * A document (or delta) received as bytes; it is checked when first used.
   *
   * @param kind the document type the bytes hold
   * @param bytes a serialized NodeDoc, CellDoc or ZoneDoc (copied)
   * @return the document
   */
  public static Document fromBytes(Kind kind, byte[] bytes) {
    return new Document(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(bytes, "bytes").clone());
  }

  /**
   * Wraps a NodeDoc, CellDoc or ZoneDoc message.
   *
   * @param doc the document message
   * @return the document, of the message's kind
   * @throws IllegalArgumentException for any other message type
   */
  public static Document of(Message doc) {
    String type = Peat.typeName(doc);
    for (Kind k : Kind.values()) {
      if (k.typeName.equals(type)) {
        return new Document(k, doc.toByteArray());
      }
    }
    throw new IllegalArgumentException("not a replicated document type: " + type);
  }

  /**
   * The document's type.
   *
   * @return NODE, CELL or ZONE
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The document's binary protobuf bytes, to store or send.
   *
   * @return a copy of the bytes
   */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /**
   * The size of the document's bytes.
   *
   * @return the number of bytes
   */
  public int size() {
    return bytes.length;
  }

  /**
   * The document as its protobuf message, CRDT metadata included.
   *
   * @return a NodeDoc, CellDoc or ZoneDoc
   */
  public Message toProto() {
    return Peat.parse(bytes, kind.docPrototype);
  }

  /**
   * Applies one local mutation.
   *
   * @param op the operation, with the replica and time it is made at
   * @return the new document and the delta to ship to other replicas
   * @throws UnsupportedException for an operation of another document kind (OP_NOT_APPLICABLE)
   * @throws ValidationException when the result would break a rule, e.g. CELL_FULL
   * @throws InvalidArgumentException for an operation without a replica or a mutation
   */
  public Applied apply(Operation op) {
    ApplyResult r = Peat.parse(PeatNative.docApply(kind.typeName, bytes, Objects.requireNonNull(op, "op").toByteArray()),
        ApplyResult.getDefaultInstance());
    return new Applied(new Document(kind, r.getDoc().toByteArray()), new Document(kind, r.getDelta().toByteArray()));
  }

  /**
   * Merges another document or delta of the same kind into this one. The merge
   * is commutative, associative and idempotent.
   *
   * @param other a document or delta of the same kind
   * @return the merged document (this one is unchanged)
   * @throws IllegalArgumentException when the kinds differ
   * @throws MismatchException when the two documents are of different entities
   */
  public Document merge(Document other) {
    if (Objects.requireNonNull(other, "other").kind != kind) {
      throw new IllegalArgumentException("merge of " + kind + " document with " + other.kind);
    }
    return new Document(kind, PeatNative.docMerge(kind.typeName, bytes, other.bytes));
  }

  /**
   * The plain ICD message the document stands for, sets in canonical order.
   *
   * @return a Node, CellState or ZoneState (cast to the kind's type)
   */
  public Message materialize() {
    return Peat.parse(materialize(Format.BINARY), kind.materialPrototype);
  }

  /**
   * The plain ICD message in a format.
   *
   * @param to the format to write (not a strict one)
   * @return the Node, CellState or ZoneState in that format
   * @throws IllegalArgumentException when {@code to} is a strict format
   */
  public byte[] materialize(Format to) {
    return PeatNative.docMaterialize(kind.typeName, Peat.output(to, "to"), bytes);
  }

  /**
   * Equal documents have equal kinds and bytes (libpeat's binary output is deterministic).
   *
   * @param o another object
   * @return whether it is a document with the same kind and bytes
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof Document d && d.kind == kind && Arrays.equals(d.bytes, bytes);
  }

  /**
   * A hash of the kind and the bytes, consistent with {@link #equals(Object)}.
   *
   * @return the hash
   */
  @Override
  public int hashCode() {
    return Objects.hash(kind, Arrays.hashCode(bytes));
  }

  /**
   * The kind and size, for logs.
   *
   * @return e.g. "Document{CELL, 120 bytes}"
   */
  @Override
  public String toString() {
    return "Document{" + kind + ", " + bytes.length + " bytes}";
  }
}
