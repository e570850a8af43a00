"""Merge of plain ICD messages (ICD §5)."""

from __future__ import annotations

from typing import Iterable, TypeVar, overload

from google.protobuf.message import Message

from . import lowlevel
from ._messages import (
    BINARY,
    Format,
    FormatLike,
    Input,
    TypeLike,
    format_number,
    invalid,
    items_of,
    name_bytes,
    prepare,
    strict_flag,
    type_name,
)
from .errors import raise_for_status

__all__ = ["merge", "merge_all"]

M = TypeVar("M", bound=Message)


# Two message objects of one type give a message of that type; anything else
# gives bytes. Message objects are also an Input, hence the declared overlap.
@overload
def merge(a: M, b: M, *, type: TypeLike | None = None, to: None = None,  # type: ignore[overload-overlap]
          strict: bool = False) -> M: ...


@overload
def merge(a: Input, b: Input, *, type: TypeLike | None = None, from_format: FormatLike = Format.BINARY,
          to: FormatLike | None = None, strict: bool = False) -> bytes: ...


def merge(a: Input, b: Input, *, type: TypeLike | None = None, from_format: FormatLike = Format.BINARY,
          to: FormatLike | None = None, strict: bool = False) -> Message | bytes:
    """Merges two messages of the same type and entity.

    Commutative, associative and idempotent. Supported types:
    cap.node.v1.NodeState/NodeConfig/Node, cap.cell.v1.CellState/Cell,
    cap.zone.v1.ZoneState/Zone, peat.directive.v1.DeploymentStatus/StatusBoard.
    Two message objects give a message object; bytes give bytes in ``to``
    (default: the input format). Different entity ids raise
    :class:`~peat.errors.MismatchError`. ``strict=True`` refuses JSON input
    with a key that names no field (:class:`~peat.errors.DecodeError`, code
    ``UNKNOWN_FIELD``, ``path`` the key's); it changes nothing for binary input.
    """
    return merge_all([a, b], type=type, from_format=from_format, to=to, strict=strict)


@overload
def merge_all(messages: Iterable[M], *, type: TypeLike | None = None,  # type: ignore[overload-overlap]
              to: None = None, strict: bool = False) -> M: ...


@overload
def merge_all(messages: Iterable[Input], *, type: TypeLike | None = None,
              from_format: FormatLike = Format.BINARY, to: FormatLike | None = None,
              strict: bool = False) -> bytes: ...


def merge_all(messages: Iterable[Input], *, type: TypeLike | None = None,
              from_format: FormatLike = Format.BINARY, to: FormatLike | None = None,
              strict: bool = False) -> Message | bytes:
    """Merges one or more messages of one type into one, as if by repeated :func:`merge`
    (``strict`` as there)."""
    flag = strict_flag(strict)
    items = items_of(messages, "messages")
    if not items:
        raise invalid("merge_all needs at least one message")
    cls = None
    if type is None and isinstance(items[0], Message):
        type = items[0].DESCRIPTOR.full_name
    payloads = []
    f = format_number(from_format)
    for m in items:
        _, mf, payload, c = prepare(m, type, from_format)
        cls = cls or c
        if mf != f:
            raise TypeError("mix message objects with bytes only when from_format is binary")
        payloads.append(payload)
    name = name_bytes(type_name(type)) if type is not None else b""
    all_objects = all(isinstance(m, Message) for m in items)
    out = f if to is None else format_number(to)
    if len(payloads) == 2:
        data = raise_for_status(lowlevel.merge(name, f | flag, out, payloads[0], payloads[1]))
    else:
        data = raise_for_status(lowlevel.merge_batch(name, f | flag, out, payloads))
    if all_objects and cls is not None and out == BINARY:
        return cls.FromString(data)
    return data
