"""Formats, type names and the message classes generated from proto/."""

from __future__ import annotations

import datetime as _dt
import enum
import importlib
import pkgutil
import threading
from typing import Union

from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import Message

from .pb.cap.common.v1.common_pb2 import Timestamp

__all__ = ["Format", "FormatLike", "TypeLike", "Input", "TimeLike", "message_class", "timestamp"]


class Format(enum.IntEnum):
    """Encoding of a message's bytes (``PEAT_FORMAT_*``)."""

    #: Protobuf binary wire format.
    BINARY = 1
    #: Canonical proto3 JSON (lowerCamelCase keys).
    JSON = 2
    #: The JSON of the Rust reference implementation.
    RUST_JSON = 3

    @classmethod
    def of(cls, value: FormatLike) -> Format:
        """Accepts a Format, its number, or "binary" / "json" / "rust-json"."""
        if isinstance(value, str):
            try:
                return _NAMES[value.lower()]
            except KeyError:
                raise ValueError(f"unknown format {value!r}; use 'binary', 'json' or 'rust-json'") from None
        return cls(value)


_NAMES = {"binary": Format.BINARY, "json": Format.JSON, "rust-json": Format.RUST_JSON,
          "rust_json": Format.RUST_JSON}

FormatLike = Union[Format, int, str]
#: A full protobuf type name ("cap.node.v1.NodeConfig") or a generated class.
TypeLike = Union[str, "type[Message]"]
#: A message object, or its encoded bytes (str is taken as UTF-8 JSON text).
Input = Union[Message, bytes, bytearray, memoryview, str]
#: A cap.common.v1.Timestamp, seconds since the Unix epoch, or a datetime (naive means UTC).
TimeLike = Union[Timestamp, int, float, _dt.datetime]

_name_bytes: dict[str, bytes] = {}
_classes: dict[str, type[Message]] = {}
_loaded = False
_load_lock = threading.Lock()


def type_name(t: TypeLike) -> str:
    """The full protobuf name of a type given by name or generated class."""
    if isinstance(t, str):
        return t
    try:
        return t.DESCRIPTOR.full_name  # type: ignore[union-attr]
    except AttributeError:
        raise TypeError(f"expected a type name or a generated message class, got {t!r}") from None


def name_bytes(name: str) -> bytes:
    b = _name_bytes.get(name)
    if b is None:
        b = _name_bytes[name] = name.encode()
    return b


def _load_all() -> None:
    global _loaded
    with _load_lock:
        if _loaded:
            return
        from . import pb

        for mod in pkgutil.walk_packages(pb.__path__, pb.__name__ + "."):
            if mod.name.endswith("_pb2"):
                importlib.import_module(mod.name)
        _loaded = True


def message_class(name: TypeLike) -> type[Message]:
    """The generated class of a full protobuf type name.

    >>> message_class("cap.node.v1.NodeConfig")
    <class 'peat.pb.cap.node.v1.node_pb2.NodeConfig'>
    """
    if not isinstance(name, str):
        return name
    cls = _classes.get(name)
    if cls is None:
        _load_all()
        try:
            desc = descriptor_pool.Default().FindMessageTypeByName(name)
        except KeyError:
            from .errors import UnknownTypeError

            raise UnknownTypeError(UnknownTypeError.STATUS, "", f"no generated class for type {name!r}") from None
        cls = _classes[name] = message_factory.GetMessageClass(desc)
    return cls


def timestamp(value: TimeLike) -> Timestamp:
    """A cap.common.v1.Timestamp from a Timestamp, epoch seconds or a datetime."""
    if isinstance(value, Timestamp):
        return value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        delta = value - _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
        seconds = delta.days * 86400 + delta.seconds
        return Timestamp(seconds=seconds, nanos=delta.microseconds * 1000)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a Timestamp, epoch seconds or a datetime, got {value!r}")
    if value < 0:
        raise ValueError("timestamps before 1970 cannot be represented")
    if isinstance(value, int):
        return Timestamp(seconds=value)
    seconds = int(value)
    return Timestamp(seconds=seconds, nanos=min(int(round((value - seconds) * 1e9)), 999_999_999))


def prepare(value: Input, type_: TypeLike | None, fmt: FormatLike) -> tuple[bytes, int, bytes, type[Message] | None]:
    """Normalises a message-or-bytes argument to (type name, format, bytes, class).

    A message object is sent as binary and its own type is used (``type_``, if
    given, must agree). Bytes need ``type_`` and are sent in ``fmt``. The class
    is returned only for message objects, so callers can answer in kind.
    """
    if isinstance(value, Message):
        name = value.DESCRIPTOR.full_name
        if type_ is not None and type_name(type_) != name:
            raise TypeError(f"message is a {name}, not a {type_name(type_)}")
        return name_bytes(name), Format.BINARY, value.SerializeToString(), type(value)
    if type_ is None:
        raise TypeError("bytes input needs type= (a full type name or a generated message class)")
    if isinstance(value, str):
        data = value.encode()
    elif isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
    else:
        raise TypeError(f"expected a message object or bytes, got {type(value).__name__}")
    f = fmt if type(fmt) is Format else Format.of(fmt)
    return name_bytes(type_name(type_)), int(f), data, None
