"""Replicated node, cell and zone documents (CRDTs with metadata, peat.crdt.v1).

A document is an immutable value wrapping the document's bytes: every
mutation returns a new document, so one document can be shared between
threads freely. Each replica mutates its own copy with :meth:`Document.apply`,
ships the returned delta (or the whole document) to the others, and folds in
what it receives with :meth:`Document.merge`; merge is commutative,
associative and idempotent, so replicas that have seen the same updates have
equal documents (equal bytes), whatever the order.

A :class:`Replica` is the same document held open inside libpeat (a handle,
peat.h "Replicas"): a long sequence of operations, merges and reads then
does not decode and re-encode the whole document on every call. Its results
are byte for byte those of the document calls.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar, Generic, NoReturn, Tuple, TypeVar, Union, cast, overload

from google.protobuf.message import Message

from . import lowlevel
from ._messages import (
    BINARY,
    Format,
    FormatLike,
    TimeLike,
    data_bytes,
    expect_str,
    format_number,
    kind,
    name_bytes,
    timestamp,
)
from .errors import InvalidArgumentError, error_from, raise_for_status
from .pb.cap.cell.v1.cell_pb2 import CellState
from .pb.cap.node.v1.node_pb2 import Node
from .pb.cap.zone.v1.zone_pb2 import ZoneState
from .pb.peat.crdt.v1 import crdt_pb2
from .pb.peat.crdt.v1.crdt_pb2 import ApplyResult, CellDoc, DocInit, NodeDoc, Operation, ZoneDoc

__all__ = ["Document", "NodeDocument", "CellDocument", "ZoneDocument", "Applied", "Replica", "operation"]

#: The ICD message a document materialises to (Node, CellState, ZoneState).
M = TypeVar("M", bound=Message)
#: A document class (NodeDocument, CellDocument, ZoneDocument).
D = TypeVar("D", bound="Document[Any]")
#: The document class of a Replica (covariant: a Replica[CellDocument] is a Replica[Document[CellState]]).
D_co = TypeVar("D_co", bound="Document[Any]", covariant=True)


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
        return cls(raise_for_status(lowlevel.doc_new(cls._NAME, _doc_init(replica, initial, id, at))))

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
        return cast(M, self.MATERIAL.FromString(raise_for_status(lowlevel.doc_materialize(self._NAME, BINARY,
                                                                                          self._data))))

    def materialize_bytes(self, format: FormatLike = Format.BINARY) -> bytes:
        """The plain ICD message encoded in ``format``."""
        return raise_for_status(lowlevel.doc_materialize(self._NAME, format_number(format), self._data))

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


def _doc_init(replica: str, initial: Message | None, id: str, at: TimeLike | None) -> bytes:
    """The serialized DocInit of Document.new and Replica.new."""
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
    return init.SerializeToString()


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


#: What Replica.merge takes: a document or delta of the replica's class, its bytes, or another replica.
_Mergeable = Union["Document[Any]", bytes, bytearray, memoryview, "Replica[Any]"]


def _document_class(value: object, what: str) -> type[Document[Any]]:
    """``value`` if it is NodeDocument, CellDocument or ZoneDocument (or a subclass), else a TypeError."""
    if isinstance(value, type) and issubclass(value, Document) and getattr(value, "_NAME", None) is not None:
        return value
    shown = value.__name__ if isinstance(value, type) else f"a {kind(value)}"
    raise TypeError(f"{what} must be NodeDocument, CellDocument or ZoneDocument (or a document), not {shown}")


class Replica(Generic[D_co]):
    """A document held open inside libpeat between calls (a libpeat handle, peat.h "Replicas").

    A :class:`Document` is an immutable value: each call hands libpeat the
    whole document, which decodes it and encodes the result. A replica keeps
    the document decoded, so applying operations, merging what arrives and
    reading the state cost only the change. Every result is byte for byte the
    one the document calls give: ``replica.document()`` after any sequence of
    calls equals the document the same sequence of :meth:`Document.apply` and
    :meth:`Document.merge` calls produces. A call that fails (a refused
    mutation, undecodable bytes) leaves the replica unchanged::

        with peat.Replica.new(peat.CellDocument, replica="r1", initial=cell_state) as r:
            delta = r.apply(peat.operation("r1", time.time(), AddMember(node_id="uav-3")))
            send(delta.to_bytes())                       # a CellDocument holding only the change
            r.merge(peat.CellDocument(receive()))        # or its bytes, or another Replica
            state = r.materialize()                      # a cap.cell.v1.CellState
            saved = r.document()                         # the whole CellDocument

    Create one with :meth:`new` (as :meth:`Document.new`) or :meth:`open`
    (from a document), or copy one with :meth:`clone`. The ``with`` block
    releases the handle; so does :meth:`close`, which may be called any
    number of times. After :meth:`close` every other method raises
    :class:`~peat.errors.InvalidArgumentError` with code ``INVALID_HANDLE``.
    A replica that is garbage-collected unclosed is released then, with a
    ``ResourceWarning``, so a forgotten :meth:`close` never leaks past the
    65,536 live handles libpeat allows (more at once raise
    :class:`~peat.errors.TooLargeError`, ``TOO_MANY_HANDLES``). A replica is
    for one thread at a time (libpeat serialises misuse), cannot be copied
    or pickled (use :meth:`clone`, or :meth:`document` to save it), and is
    not usable in a forked child.

    ``Replica`` is generic over its document class: ``Replica.new(CellDocument)``
    is a ``Replica[CellDocument]``, whose :meth:`apply` and :meth:`document`
    return ``CellDocument`` and :meth:`materialize` a ``CellState``.
    """

    #: The libpeat handle; 0 once closed (or when creation failed).
    _handle = 0
    _doc_cls: type[D_co]

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("create a Replica with Replica.new(DocumentClass, ...) or Replica.open(document)")

    @classmethod
    def _create(cls, doc_cls: type[D], call: Any, *args: Any) -> Replica[D]:
        # The object exists before the handle does, so the handle is stored
        # the moment libpeat returns it (and __del__ can always release it).
        r = cast("Replica[D]", object.__new__(cls))
        r._doc_cls = doc_cls
        status, handle, out = call(*args)
        r._handle = handle
        if status:
            raise error_from(status, out)
        return r

    @classmethod
    def new(cls, doc_cls: type[D], *, replica: str = "", initial: Message | None = None, id: str = "",
            at: TimeLike | None = None) -> Replica[D]:
        """A replica of a new document of ``doc_cls`` (NodeDocument, CellDocument or ZoneDocument).

        The arguments are those of :meth:`Document.new`, and so are the
        errors: ``Replica.new(CellDocument, ...).document()`` equals
        ``CellDocument.new(...)``.
        """
        doc_cls = cast("type[D]", _document_class(doc_cls, "Replica.new() argument 'doc_cls'"))
        init = _doc_init(replica, initial, id, at)
        return cls._create(doc_cls, lowlevel.replica_new, doc_cls._NAME, init)

    @overload
    @classmethod
    def open(cls, doc: D) -> Replica[D]: ...

    @overload
    @classmethod
    def open(cls, doc: type[D], data: bytes | bytearray | memoryview) -> Replica[D]: ...

    @classmethod
    def open(cls, doc: D | type[D], data: bytes | bytearray | memoryview | None = None) -> Replica[D]:
        """A replica holding a document: ``Replica.open(cell_doc)``, or ``Replica.open(CellDocument, data)``
        from serialized document (or delta) bytes.

        Bytes that are not a document of the class raise
        :class:`~peat.errors.DecodeError`; empty bytes are the empty document.
        """
        if isinstance(doc, Document):
            if data is not None:
                raise TypeError("Replica.open(document) takes no data: the document is the data")
            doc_cls = cast("type[D]", _document_class(type(doc), "Replica.open() argument 'doc'"))
            raw = doc._data
        else:
            doc_cls = cast("type[D]", _document_class(doc, "Replica.open() argument 'doc'"))
            if data is None:
                raise TypeError("Replica.open(DocumentClass, data) needs the document's bytes")
            raw = data_bytes(data, "Replica.open() argument 'data'")
        return cls._create(doc_cls, lowlevel.replica_open, doc_cls._NAME, raw)

    def _live(self) -> int:
        handle = self._handle
        if not handle:
            raise InvalidArgumentError(InvalidArgumentError.STATUS, "INVALID_HANDLE", "the Replica is closed")
        return handle

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has run."""
        return not self._handle

    @property
    def document_class(self) -> type[D_co]:
        """The replica's document class (NodeDocument, CellDocument or ZoneDocument)."""
        return self._doc_cls

    def clone(self) -> Replica[D_co]:
        """A new, independent replica holding the same document (cheap: they share what is unchanged).

        Later calls on either never affect the other; each must be closed.
        """
        return type(self)._create(self._doc_cls, lowlevel.replica_clone, self._live())

    def apply(self, op: Operation) -> D_co:
        """Applies one local mutation (build ``op`` with :func:`operation`); returns the delta to ship.

        The delta is a document of the replica's class holding only the
        change, as :attr:`Applied.delta` of :meth:`Document.apply`. A refused
        mutation raises a :class:`~peat.errors.PeatError` and changes nothing.
        """
        if not isinstance(op, Operation):
            raise TypeError(f"expected a peat.crdt.v1.Operation, got {type(op).__name__}")
        data = op.SerializeToString()
        return self._doc_cls(raise_for_status(lowlevel.replica_apply(self._live(), data)))

    def merge(self, other: _Mergeable) -> None:
        """Merges a document or delta into the replica, as :meth:`Document.merge`.

        ``other`` is a document of the replica's class, its serialized bytes,
        or another :class:`Replica` of the same class (merged inside libpeat
        without bytes, and left unchanged; it may be this replica). A document
        or replica of another class is a :class:`TypeError`; bytes that are
        not a document of the class raise :class:`~peat.errors.DecodeError`;
        another entity's document :class:`~peat.errors.MismatchError`.
        """
        if isinstance(other, Replica):
            if other._doc_cls is not self._doc_cls:
                raise TypeError(f"cannot merge a Replica of {other._doc_cls.__name__} into a Replica of "
                                f"{self._doc_cls.__name__}")
            if not other._handle:
                raise InvalidArgumentError(InvalidArgumentError.STATUS, "INVALID_HANDLE",
                                           "the Replica to merge is closed")
            raise_for_status(lowlevel.replica_merge_replica(self._live(), other._handle))
            return
        if isinstance(other, Document):
            if type(other) is not self._doc_cls:
                raise TypeError(f"cannot merge a {kind(other)} into a Replica of {self._doc_cls.__name__}")
            data = other._data
        elif isinstance(other, (bytes, bytearray, memoryview)):
            data = bytes(other)
        else:
            raise TypeError(f"Replica.merge() takes a {self._doc_cls.__name__}, its bytes or a Replica, "
                            f"not {kind(other)}")
        raise_for_status(lowlevel.replica_merge(self._live(), data))

    def materialize(self: Replica[Document[M]]) -> M:
        """The plain ICD message (Node, CellState or ZoneState), as :meth:`Document.materialize`."""
        data = raise_for_status(lowlevel.replica_materialize(self._live(), BINARY))
        return cast(M, self._doc_cls.MATERIAL.FromString(data))

    def materialize_bytes(self, format: FormatLike = Format.BINARY) -> bytes:
        """The plain ICD message encoded in ``format``, as :meth:`Document.materialize_bytes`."""
        f = format_number(format)
        return raise_for_status(lowlevel.replica_materialize(self._live(), f))

    def document(self) -> D_co:
        """The replica's whole document now, as an immutable :class:`Document` (to save or ship)."""
        return self._doc_cls(raise_for_status(lowlevel.replica_encode(self._live())))

    def close(self) -> None:
        """Releases the libpeat handle. Idempotent."""
        handle, self._handle = self._handle, 0
        if handle:
            lowlevel.replica_free(handle)

    def __enter__(self) -> Replica[D_co]:
        self._live()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        # Also runs for an object whose creation failed (handle 0), at
        # interpreter shutdown and in a forked child (where every libpeat call
        # raises LibraryUnavailableError): never let anything escape.
        if not self._handle:
            return
        try:
            warnings.warn(f"unclosed {self!r}", ResourceWarning, source=self)
        except Exception:  # noqa: BLE001 - the warnings machinery may be gone at shutdown
            pass
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Replica holds a libpeat handle: it cannot be copied or pickled "
                        "(use clone(), or document() to save it)")

    def __repr__(self) -> str:
        cls = getattr(self, "_doc_cls", None)
        name = cls.__name__ if cls is not None else "?"
        return f"<Replica of {name} {'closed' if self.closed else f'handle {self._handle:#x}'}>"
