"""Replicated node, cell and zone documents (CRDTs with metadata, peat.crdt.v1).

A document is an immutable value wrapping the document's bytes: every
mutation returns a new document, so one document can be shared between
threads freely. Each replica mutates its own copy with :meth:`Document.apply`,
ships the returned delta (or the whole document) to the others, and folds in
what it receives with :meth:`Document.merge`; merge is commutative,
associative and idempotent, so replicas that have seen the same updates have
equal documents (equal bytes), whatever the order.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, Tuple, TypeVar, cast

from google.protobuf.message import Message

from . import lowlevel
from ._messages import Format, FormatLike, TimeLike, data_bytes, expect_str, kind, name_bytes, timestamp
from .errors import raise_for_status
from .pb.cap.cell.v1.cell_pb2 import CellState
from .pb.cap.node.v1.node_pb2 import Node
from .pb.cap.zone.v1.zone_pb2 import ZoneState
from .pb.peat.crdt.v1 import crdt_pb2
from .pb.peat.crdt.v1.crdt_pb2 import ApplyResult, CellDoc, DocInit, NodeDoc, Operation, ZoneDoc

__all__ = ["Document", "NodeDocument", "CellDocument", "ZoneDocument", "Applied", "operation"]

#: The ICD message a document materialises to (Node, CellState, ZoneState).
M = TypeVar("M", bound=Message)
#: A document class (NodeDocument, CellDocument, ZoneDocument).
D = TypeVar("D", bound="Document[Any]")


# A tuple subclass rather than a NamedTuple: a generic NamedTuple needs Python
# 3.11, and the package supports 3.9. typing.Tuple (not tuple) makes the class
# subscriptable at runtime on 3.9 (Applied[CellDocument]).
class Applied(Tuple[D, D]):
    """The result of :meth:`Document.apply`: ``(doc, delta)``, both of the document's own class.

    ``doc, delta = cell_doc.apply(op)`` gives two :class:`CellDocument`;
    ``applied.doc`` and ``applied.delta`` name the same two values.
    """

    __slots__ = ()

    def __new__(cls, doc: D, delta: D) -> Applied[D]:
        return tuple.__new__(cls, (doc, delta))

    @property
    def doc(self) -> D:
        """The document after the mutation."""
        return self[0]

    @property
    def delta(self) -> D:
        """A document holding only the change: merge it into the other replicas."""
        return self[1]

    def __getnewargs__(self) -> tuple[D, D]:
        return self[0], self[1]

    def __repr__(self) -> str:
        return f"Applied(doc={self[0]!r}, delta={self[1]!r})"


class Document(Generic[M]):
    """Base of the document classes; use NodeDocument, CellDocument or ZoneDocument.

    Generic over the ICD message it materialises to: ``CellDocument`` is a
    ``Document[CellState]``, so :meth:`materialize` of a cell document is typed
    ``CellState``, and :meth:`apply`, :meth:`merge` and :meth:`new` return the
    document's own class. Annotate "any document" as ``Document[Any]``.
    """

    #: The peat.crdt.v1 document type.
    DOC_TYPE: ClassVar[str]
    #: The ICD message it materialises to (the class of ``M``).
    MATERIAL: ClassVar[type[Message]]
    _NAME: ClassVar[bytes]

    __slots__ = ("_data",)

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls._NAME = name_bytes(cls.DOC_TYPE)

    def __init__(self, data: bytes = b"") -> None:
        """Wraps serialized document bytes (as returned by :meth:`to_bytes`)."""
        self._data = data_bytes(data, "document data")

    @classmethod
    def new(cls: type[D], *, replica: str = "", initial: Message | None = None, id: str = "",
            at: TimeLike | None = None) -> D:
        """Creates a document, optionally starting from an ICD message.

        ``initial`` is a Node/NodeConfig/NodeState (NodeDocument), CellState
        (CellDocument) or ZoneState (ZoneDocument) written by ``replica`` at
        time ``at`` (default: the message's own timestamp). ``id`` names the
        entity when no initial message does.
        """
        init = DocInit(replica=expect_str(replica, "replica"), id=expect_str(id, "id"))
        if at is not None:
            init.timestamp.CopyFrom(timestamp(at))
        if initial is not None:
            if not isinstance(initial, Message):
                raise TypeError(f"initial must be a message object, not {kind(initial)}")
            field = _INITIAL_FIELD.get(initial.DESCRIPTOR.full_name)
            if field is None:
                raise TypeError(f"a document cannot start from a {initial.DESCRIPTOR.full_name}")
            getattr(init, field).CopyFrom(initial)
        return cls(raise_for_status(lowlevel.doc_new(cls._NAME, init.SerializeToString())))

    def apply(self: D, op: Operation) -> Applied[D]:
        """Applies one local mutation; returns the new document and the delta to ship.

        Build ``op`` with :func:`operation`. Refused mutations (for example a
        member added to a full cell) raise a :class:`~peat.errors.PeatError`.
        """
        if not isinstance(op, Operation):
            raise TypeError(f"expected a peat.crdt.v1.Operation, got {type(op).__name__}")
        result = ApplyResult.FromString(
            raise_for_status(lowlevel.doc_apply(self._NAME, self._data, op.SerializeToString())))
        cls = type(self)
        return Applied(cls(result.doc), cls(result.delta))

    def merge(self: D, *others: D) -> D:
        """Merges other documents or deltas of the same type into this one."""
        data = self._data
        for other in others:
            if type(other) is not type(self):
                raise TypeError(f"cannot merge a {kind(other)} into a {type(self).__name__}")
            data = raise_for_status(lowlevel.doc_merge(self._NAME, data, other._data))
        return type(self)(data)

    def materialize(self) -> M:
        """The plain ICD message (Node, CellState or ZoneState), sets in canonical order."""
        return cast(M, self.MATERIAL.FromString(self.materialize_bytes(Format.BINARY)))

    def materialize_bytes(self, format: FormatLike = Format.BINARY) -> bytes:
        """The plain ICD message encoded in ``format``."""
        return raise_for_status(lowlevel.doc_materialize(self._NAME, int(Format.of(format)), self._data))

    def to_proto(self) -> Message:
        """The document's own protobuf message (NodeDoc, CellDoc or ZoneDoc), for inspection."""
        doc: Message = getattr(crdt_pb2, self.DOC_TYPE.rsplit(".", 1)[1]).FromString(self._data)
        return doc

    def to_bytes(self) -> bytes:
        """The serialized document (deterministic: equal documents have equal bytes)."""
        return self._data

    def __bytes__(self) -> bytes:
        return self._data

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Document) and type(other) is type(self) and other._data == self._data

    def __hash__(self) -> int:
        return hash((type(self), self._data))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self._data)} bytes)"


class NodeDocument(Document[Node]):
    """A replicated node (peat.crdt.v1.NodeDoc); materialises to cap.node.v1.Node."""

    DOC_TYPE = "peat.crdt.v1.NodeDoc"
    MATERIAL = Node

    def to_proto(self) -> NodeDoc:
        """The document's own peat.crdt.v1.NodeDoc, for inspection."""
        return NodeDoc.FromString(self._data)


class CellDocument(Document[CellState]):
    """A replicated cell (peat.crdt.v1.CellDoc); materialises to cap.cell.v1.CellState."""

    DOC_TYPE = "peat.crdt.v1.CellDoc"
    MATERIAL = CellState

    def to_proto(self) -> CellDoc:
        """The document's own peat.crdt.v1.CellDoc, for inspection."""
        return CellDoc.FromString(self._data)


class ZoneDocument(Document[ZoneState]):
    """A replicated zone (peat.crdt.v1.ZoneDoc); materialises to cap.zone.v1.ZoneState."""

    DOC_TYPE = "peat.crdt.v1.ZoneDoc"
    MATERIAL = ZoneState

    def to_proto(self) -> ZoneDoc:
        """The document's own peat.crdt.v1.ZoneDoc, for inspection."""
        return ZoneDoc.FromString(self._data)


_INITIAL_FIELD = {
    f.message_type.full_name: f.name
    for f in DocInit.DESCRIPTOR.oneofs_by_name["initial"].fields
}
_MUTATION_FIELD = {
    f.message_type.full_name: f.name
    for f in Operation.DESCRIPTOR.oneofs_by_name["mutation"].fields
}


def operation(replica: str, at: TimeLike, mutation: Message) -> Operation:
    """Builds an Operation: ``mutation`` (e.g. ``AddMember(node_id="n1")``) by ``replica`` at ``at``.

    >>> operation("r1", 1_700_000_000, AddMember(node_id="n1"))
    """
    if not isinstance(mutation, Message):
        raise TypeError(f"mutation must be a message object (e.g. AddMember), not {kind(mutation)}")
    field = _MUTATION_FIELD.get(mutation.DESCRIPTOR.full_name)
    if field is None:
        raise TypeError(f"{mutation.DESCRIPTOR.full_name} is not a document mutation")
    op = Operation(replica=expect_str(replica, "replica"))
    op.timestamp.CopyFrom(timestamp(at))
    getattr(op, field).CopyFrom(mutation)
    return op
