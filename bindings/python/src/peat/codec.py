"""Type registry, format conversion and compression."""

from __future__ import annotations

import warnings
from typing import TypeVar

from google.protobuf.message import Message

from . import lowlevel
from ._messages import (
    BINARY,
    Format,
    FormatLike,
    Input,
    TypeLike,
    data_bytes,
    format_number,
    kind,
    message_class,
    name_bytes,
    prepare,
    size_arg,
    strict_flag,
    text_or_bytes,
    type_name,
)
from .errors import raise_for_status

__all__ = ["types", "convert", "decode", "encode", "compress", "decompress"]

M = TypeVar("M", bound=Message)


def types() -> list[str]:
    """Every message type libpeat knows, sorted by full name."""
    from .pb.peat.api.v1.api_pb2 import TypeList

    return list(TypeList.FromString(raise_for_status(lowlevel.types())).types)


def convert(data: Input, *, type: TypeLike | None = None, from_format: FormatLike = Format.BINARY,
            to: FormatLike = Format.JSON, strict: bool = False) -> bytes:
    """Re-encodes one message in another format and returns its bytes.

    ``data`` is a message object, or bytes of ``type`` in ``from_format`` (a
    str is JSON text). The type's size limit (ICD §3.3) is enforced before
    decoding. ``strict=True`` refuses a JSON key that names no field
    (:class:`~peat.errors.DecodeError`, code ``UNKNOWN_FIELD``, ``path`` the
    key's) instead of ignoring it; it changes nothing for binary input.

    >>> convert(node_config, to="rust-json")
    b'{"id":"n1",...}'
    """
    flag = 0 if strict is False else strict_flag(strict)
    name, f, payload, _ = prepare(data, type, from_format)
    return raise_for_status(lowlevel.convert(name, f | flag, format_number(to), payload))


def decode(data: bytes | bytearray | memoryview | str, type: type[M] | str, format: FormatLike = Format.BINARY, *,
           strict: bool = False) -> M:
    """Decodes bytes of any format into a message object of ``type``.

    libpeat decodes (so size limits, UTF-8 checks and rust-json apply) and
    hands back canonical binary, which the generated class parses. A str is
    JSON text (refused for the binary format). ``strict=True`` refuses JSON
    keys that name no field (``UNKNOWN_FIELD``, as :func:`convert`).
    """
    flag = strict_flag(strict)
    name = name_bytes(type_name(type))
    cls = message_class(type)
    f = format_number(format)
    payload = text_or_bytes(data, f, "data")
    binary = raise_for_status(lowlevel.convert(name, f | flag, BINARY, payload))
    return cls.FromString(binary)  # type: ignore[return-value]


def encode(message: Message, format: FormatLike = Format.BINARY) -> bytes:
    """Encodes a message object in ``format`` (binary output is canonical: deterministic bytes)."""
    if not isinstance(message, Message):
        raise TypeError(f"encode() takes a message object, not {kind(message)}")
    name, f, payload, _ = prepare(message, None, BINARY)
    return raise_for_status(lowlevel.convert(name, f, format_number(format), payload))


def compress(data: bytes | bytearray | memoryview) -> bytes:
    """Wraps bytes in a zstd frame."""
    return raise_for_status(lowlevel.compress(data_bytes(data, "data")))


def decompress(data: bytes | bytearray | memoryview, max_out: int = 0, *, max_size: int | None = None) -> bytes:
    """Unwraps a zstd frame; more than ``max_out`` bytes of output is refused.

    ``max_out`` (the name of ``peat_decompress``'s parameter, C++'s
    ``peat::decompress`` and Java's ``Peat.decompress``) is an int from 0 to
    2**64 - 1: 0 selects the default (64 MiB), values above 1 GiB are clamped
    to 1 GiB. A negative or larger value raises
    :class:`~peat.errors.InvalidArgumentError`.

    ``max_size`` is the deprecated former name of ``max_out`` (a
    :class:`DeprecationWarning`); passing both is a :class:`TypeError`.
    """
    if max_size is not None:
        if max_out != 0:
            raise TypeError("decompress() takes max_out only: max_size is its deprecated former name")
        warnings.warn("decompress(max_size=) is deprecated: use max_out= (the name in peat.h, C++ and Java)",
                      DeprecationWarning, stacklevel=2)
        return raise_for_status(lowlevel.decompress(data_bytes(data, "data"), size_arg(max_size, "max_size")))
    return raise_for_status(lowlevel.decompress(data_bytes(data, "data"), size_arg(max_out, "max_out")))
