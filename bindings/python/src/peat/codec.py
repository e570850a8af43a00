"""Type registry, format conversion and compression."""

from __future__ import annotations

from typing import TypeVar

from google.protobuf.message import Message

from . import lowlevel
from ._messages import Format, FormatLike, Input, TypeLike, message_class, name_bytes, prepare, type_name
from .errors import raise_for_status

__all__ = ["types", "convert", "decode", "encode", "compress", "decompress"]

M = TypeVar("M", bound=Message)


def types() -> list[str]:
    """Every message type libpeat knows, sorted by full name."""
    from .pb.peat.api.v1.api_pb2 import TypeList

    return list(TypeList.FromString(raise_for_status(lowlevel.types())).types)


def convert(data: Input, *, type: TypeLike | None = None, from_format: FormatLike = Format.BINARY,
            to: FormatLike = Format.JSON) -> bytes:
    """Re-encodes one message in another format and returns its bytes.

    ``data`` is a message object, or bytes of ``type`` in ``from_format``. The
    type's size limit (ICD §3.3) is enforced before decoding.

    >>> convert(node_config, to="rust-json")
    b'{"id":"n1",...}'
    """
    name, f, payload, _ = prepare(data, type, from_format)
    return raise_for_status(lowlevel.convert(name, f, int(Format.of(to)), payload))


def decode(data: bytes | bytearray | memoryview | str, type: type[M] | str, format: FormatLike = Format.BINARY) -> M:
    """Decodes bytes of any format into a message object of ``type``.

    libpeat decodes (so size limits, UTF-8 checks and rust-json apply) and
    hands back canonical binary, which the generated class parses.
    """
    cls = message_class(type)
    name = name_bytes(type_name(type))
    payload = data.encode() if isinstance(data, str) else bytes(data)
    binary = raise_for_status(lowlevel.convert(name, int(Format.of(format)), Format.BINARY, payload))
    return cls.FromString(binary)  # type: ignore[return-value]


def encode(message: Message, format: FormatLike = Format.BINARY) -> bytes:
    """Encodes a message object in ``format`` (binary output is canonical: deterministic bytes)."""
    name, f, payload, _ = prepare(message, None, Format.BINARY)
    return raise_for_status(lowlevel.convert(name, f, int(Format.of(format)), payload))


def compress(data: bytes | bytearray | memoryview) -> bytes:
    """Wraps bytes in a zstd frame."""
    return raise_for_status(lowlevel.compress(data))


def decompress(data: bytes | bytearray | memoryview, max_size: int = 0) -> bytes:
    """Unwraps a zstd frame; more than ``max_size`` bytes of output (0: 64 MiB) is refused."""
    return raise_for_status(lowlevel.decompress(data, max_size))
