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
 */
public final class Document {
  /** The three document types and what they materialise to. */
  public enum Kind {
    NODE("peat.crdt.v1.NodeDoc", NodeDoc.getDefaultInstance(), Node.getDefaultInstance()),
    CELL("peat.crdt.v1.CellDoc", CellDoc.getDefaultInstance(), CellState.getDefaultInstance()),
    ZONE("peat.crdt.v1.ZoneDoc", ZoneDoc.getDefaultInstance(), ZoneState.getDefaultInstance());

    private final String typeName;
    private final Message docPrototype;
    private final Message materialPrototype;

    Kind(String typeName, Message docPrototype, Message materialPrototype) {
      this.typeName = typeName;
      this.docPrototype = docPrototype;
      this.materialPrototype = materialPrototype;
    }

    /** The doc_type passed to libpeat, e.g. "peat.crdt.v1.CellDoc". */
    public String typeName() {
      return typeName;
    }
  }

  /** The result of {@link #apply}: the new document and the delta to ship to other replicas. */
  public record Applied(Document doc, Document delta) {}

  private final Kind kind;
  private final byte[] bytes;

  private Document(Kind kind, byte[] bytes) {
    this.kind = kind;
    this.bytes = bytes;
  }

  /** A new empty document. */
  public static Document create(Kind kind) {
    return new Document(kind, PeatNative.docNew(Objects.requireNonNull(kind, "kind").typeName, null));
  }

  /** A new document from a DocInit (replica, time, id, optional initial ICD message). */
  public static Document create(Kind kind, DocInit init) {
    return new Document(kind, PeatNative.docNew(Objects.requireNonNull(kind, "kind").typeName,
        Objects.requireNonNull(init, "init").toByteArray()));
  }

  /** A document (or delta) received as bytes; it is checked when first used. */
  public static Document fromBytes(Kind kind, byte[] bytes) {
    return new Document(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(bytes, "bytes").clone());
  }

  /** Wraps a NodeDoc, CellDoc or ZoneDoc message. */
  public static Document of(Message doc) {
    String type = Peat.typeName(doc);
    for (Kind k : Kind.values()) {
      if (k.typeName.equals(type)) {
        return new Document(k, doc.toByteArray());
      }
    }
    throw new IllegalArgumentException("not a replicated document type: " + type);
  }

  public Kind kind() {
    return kind;
  }

  /** The document's binary protobuf bytes (a copy). */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The size of the document's bytes. */
  public int size() {
    return bytes.length;
  }

  /** The document as its protobuf message (NodeDoc, CellDoc or ZoneDoc). */
  public Message toProto() {
    return Peat.parse(bytes, kind.docPrototype);
  }

  /** Applies one local mutation; returns the new document and the delta. */
  public Applied apply(Operation op) {
    ApplyResult r = Peat.parse(PeatNative.docApply(kind.typeName, bytes, Objects.requireNonNull(op, "op").toByteArray()),
        ApplyResult.getDefaultInstance());
    return new Applied(new Document(kind, r.getDoc().toByteArray()), new Document(kind, r.getDelta().toByteArray()));
  }

  /** Merges another document or delta of the same kind into this one. */
  public Document merge(Document other) {
    if (Objects.requireNonNull(other, "other").kind != kind) {
      throw new IllegalArgumentException("merge of " + kind + " document with " + other.kind);
    }
    return new Document(kind, PeatNative.docMerge(kind.typeName, bytes, other.bytes));
  }

  /** The plain ICD message: Node, CellState or ZoneState. */
  public Message materialize() {
    return Peat.parse(materialize(Format.BINARY), kind.materialPrototype);
  }

  /** The plain ICD message in a format. */
  public byte[] materialize(Format to) {
    return PeatNative.docMaterialize(kind.typeName, Objects.requireNonNull(to, "to").code(), bytes);
  }

  /** Equal documents have equal bytes (libpeat's binary output is deterministic). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Document d && d.kind == kind && Arrays.equals(d.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, Arrays.hashCode(bytes));
  }

  @Override
  public String toString() {
    return "Document{" + kind + ", " + bytes.length + " bytes}";
  }
}
