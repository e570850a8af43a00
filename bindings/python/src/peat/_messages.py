"""Formats, type names and the message classes generated from proto/."""

from __future__ import annotations

import datetime as _dt
import enum
import importlib
import math
import pkgutil
import threading
from collections.abc import Mapping
from typing import Any, TypeVar, Union

from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import Message

from . import lowlevel
from .errors import InvalidArgumentError, UnknownTypeError
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
        """Accepts a Format, its number, or "binary" / "json" / "rust-json".

        Anything else raises :class:`TypeError` (a bool, a float, None, ...) or
        :class:`~peat.errors.InvalidArgumentError` (an unknown name or number).
        """
        if type(value) is int or type(value) is str:  # exact types: True and 1.0 must not match 1
            f = _FAST.get(value)
            if f is not None:
                return f
        if isinstance(value, Format):
            return value
        if isinstance(value, str):
            f = _NAMES.get(value.lower())
            if f is None:
                raise invalid(f"unknown format {value!r}; use 'binary', 'json' or 'rust-json'")
            return f
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"a format is a peat.Format, its number or its name, not {kind(value)}")
        try:
            return cls(value)
        except ValueError:
            if value & lowlevel.FORMAT_FLAG_STRICT and (value & ~lowlevel.FORMAT_FLAG_STRICT) in _NUMBERS:
                raise invalid(f"format number {value} carries PEAT_FORMAT_FLAG_STRICT, which is not a format "
                              "here: pass strict=True to a call that reads JSON") from None
            raise invalid(f"unknown format number {value}; use 1 (binary), 2 (json) or 3 (rust-json)") from None


_NAMES = {"binary": Format.BINARY, "json": Format.JSON, "rust-json": Format.RUST_JSON,
          "rust_json": Format.RUST_JSON}
_NUMBERS = frozenset(int(f) for f in Format)
#: Format.of's lookup for the usual spellings: the numbers and the lowercase names.
_FAST: dict[object, Format] = {int(f): f for f in Format}
_FAST.update((name, f) for name, f in _NAMES.items())
#: format_number's: the same spellings, and the members (equal to their numbers), to plain ints.
_NUMBER: dict[object, int] = {k: int(f) for k, f in _FAST.items()}
#: PEAT_FORMAT_BINARY as a plain int, for the calls' hot paths: reading an
#: attribute of the enum class (Format.BINARY) costs ~150 ns.
BINARY = 1

FormatLike = Union[Format, int, str]
#: A full protobuf type name ("cap.node.v1.NodeConfig") or a generated class.
TypeLike = Union[str, "type[Message]"]
#: A message object, or its encoded bytes (str is taken as UTF-8 JSON text).
Input = Union[Message, bytes, bytearray, memoryview, str]
#: A cap.common.v1.Timestamp, seconds since the Unix epoch, or a datetime (naive means UTC).
TimeLike = Union[Timestamp, int, float, _dt.datetime]
M = TypeVar("M", bound=Message)


def format_number(value: FormatLike) -> int:
    """``int(Format.of(value))``: the number libpeat takes, with the usual spellings looked up
    directly (a Format, 1-3, the lowercase names); anything else goes through :meth:`Format.of`."""
    if type(value) is Format or type(value) is int or type(value) is str:  # never a bool or a float
        n = _NUMBER.get(value)
        if n is not None:
            return n
    return int(Format.of(value))


#: The encoded names of the types libpeat registers (peat_types), filled on
#: first use. Only these are cached, so the cache is bounded by the registry
#: however many distinct names callers pass.
_name_bytes: dict[str, bytes] = {}
_classes: dict[str, type[Message]] = {}
_loaded = False
_load_lock = threading.Lock()

_INT64_MAX = (1 << 63) - 1
_UINT64_MAX = (1 << 64) - 1


def kind(value: object) -> str:
    """The type name of a value, for error messages."""
    return "None" if value is None else type(value).__name__


def invalid(message: str) -> InvalidArgumentError:
    """The error for a bad argument value (status INVALID_ARGUMENT, also a ValueError)."""
    return InvalidArgumentError(InvalidArgumentError.STATUS, "", message)


def type_name(t: TypeLike) -> str:
    """The full protobuf name of a type given by name or generated class."""
    if isinstance(t, str):
        return t
    if isinstance(t, type) and issubclass(t, Message):
        name: str = t.DESCRIPTOR.full_name
        return name
    raise TypeError(f"a type is a full type name (str) or a generated message class, not {kind(t)}")


def _registered() -> dict[str, bytes]:
    global _name_bytes
    if not _name_bytes:
        from .pb.peat.api.v1.api_pb2 import TypeList

        status, out = lowlevel.types()
        if status == 0:
            _name_bytes = {n: n.encode() for n in TypeList.FromString(out).types}
    return _name_bytes


def name_bytes(name: str) -> bytes:
    """A type name as the NUL-terminated UTF-8 libpeat takes; names with a NUL are refused."""
    b = (_name_bytes or _registered()).get(name)
    if b is not None:
        return b
    if not isinstance(name, str):
        raise TypeError(f"a type name is a str, not {kind(name)}")
    if "\0" in name:
        raise invalid(f"type name {name!r} contains a NUL character")
    try:
        return name.encode()
    except UnicodeEncodeError:
        raise invalid(f"type name {name!r} is not valid Unicode (lone surrogate)") from None


def data_bytes(value: object, what: str) -> bytes:
    """A bytes argument: bytes, bytearray or memoryview (a str or None is a TypeError)."""
    if type(value) is bytes:
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be bytes, bytearray or memoryview, not {kind(value)}")


def text_or_bytes(value: object, fmt: int, what: str) -> bytes:
    """A message's encoded bytes; a str is taken as UTF-8 JSON text (JSON formats only)."""
    if type(value) is bytes:
        return value
    if isinstance(value, str):
        if fmt == BINARY:
            raise TypeError(f"{what} is a str, i.e. JSON text, but the format is binary: pass bytes, "
                            "or format='json' / 'rust-json'")
        try:
            return value.encode()
        except UnicodeEncodeError:
            raise invalid(f"{what} is not valid Unicode (lone surrogate)") from None
    return data_bytes(value, what)


def strict_flag(strict: object) -> int:
    """The flag a ``strict=`` argument ORs into the format a call reads (0 or PEAT_FORMAT_FLAG_STRICT).

    ``strict`` must be a bool: an int such as 1 or 0x100 is a TypeError, so
    the flag cannot be passed by accident as a number.
    """
    if strict is False:
        return 0
    if strict is True:
        return lowlevel.FORMAT_FLAG_STRICT
    raise TypeError(f"strict must be a bool, not {kind(strict)}")


def size_arg(value: object, what: str) -> int:
    """A uint64 size argument: an int (not a bool), 0 <= value < 2**64."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {kind(value)}")
    if not 0 <= value <= _UINT64_MAX:
        raise invalid(f"{what} must be between 0 and 2**64 - 1, got {value}")
    return int(value)


def items_of(value: object, what: str) -> list[Any]:
    """The items of an iterable argument; a str, bytes or mapping is refused (not iterated)."""
    if isinstance(value, (str, bytes, bytearray, memoryview, Mapping)) or value is None:
        raise TypeError(f"{what} must be an iterable of items, not {kind(value)}")
    try:
        return list(value)  # type: ignore[call-overload, no-any-return]
    except TypeError:
        raise TypeError(f"{what} must be an iterable of items, not {kind(value)}") from None


def expect_message(value: object, cls: type[M], what: str) -> M:
    """``value`` if it is a ``cls`` message, else a TypeError."""
    if not isinstance(value, cls):
        raise TypeError(f"{what} must be a {cls.DESCRIPTOR.full_name} message, not {kind(value)}")
    return value


def expect_str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {kind(value)}")
    return value


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
        if isinstance(name, type) and issubclass(name, Message):
            return name
        raise TypeError(f"a type is a full type name (str) or a generated message class, not {kind(name)}")
    cls = _classes.get(name)
    if cls is None:
        name_bytes(name)  # refuses a NUL (the pool would stop reading there) and lone surrogates
        _load_all()
        try:
            desc = descriptor_pool.Default().FindMessageTypeByName(name)  # type: ignore[no-untyped-call]
        except KeyError:
            raise UnknownTypeError(UnknownTypeError.STATUS, "", f"no generated class for type {name!r}") from None
        cls = _classes[name] = message_factory.GetMessageClass(desc)
    return cls


def timestamp(value: TimeLike) -> Timestamp:
    """A cap.common.v1.Timestamp from a Timestamp, epoch seconds or a datetime.

    Seconds must be finite, from 0 (1970) to 2**63 - 1; a bool is not a number.
    """
    if isinstance(value, Timestamp):
        return value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        delta = value - _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
        seconds = delta.days * 86400 + delta.seconds
        if seconds < 0:
            raise invalid(f"timestamps before 1970 cannot be represented: {value.isoformat()}")
        return Timestamp(seconds=seconds, nanos=delta.microseconds * 1000)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a Timestamp, epoch seconds or a datetime, got {kind(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise invalid(f"a timestamp must be finite, got {value}")
    if value < 0:
        raise invalid("timestamps before 1970 cannot be represented")
    if value > _INT64_MAX:
        raise invalid(f"a timestamp's seconds must fit in int64, got {value}")
    if isinstance(value, int):
        return Timestamp(seconds=int(value))
    seconds = int(value)
    return Timestamp(seconds=seconds, nanos=min(int(round((value - seconds) * 1e9)), 999_999_999))


def not_an_input(value: object) -> TypeError:
    """The error for a message argument that is neither a message object, bytes nor JSON text."""
    if isinstance(value, Mapping):
        return TypeError(f"a {kind(value)} is not accepted as a message: pass a message object (e.g. "
                         "NodeConfig(**fields)), its encoded bytes with type=, or JSON text (json.dumps(...)) "
                         "with type= and format='json'")
    return TypeError(f"expected a message object, its encoded bytes or JSON text, got {kind(value)}")


def needs_type(value: object) -> TypeError:
    """The error for bytes or JSON text given without type=."""
    what = "JSON text" if isinstance(value, str) else "bytes input"
    return TypeError(f"{what} needs type= (a full type name or a generated message class)")


def prepare(value: Input, type_: TypeLike | None, fmt: FormatLike) -> tuple[bytes, int, bytes, type[Message] | None]:
    """Normalises a message-or-bytes argument to (type name, format, bytes, class).

    A message object is sent as binary and its own type is used (``type_``, if
    given, must agree). Bytes need ``type_`` and are sent in ``fmt``; a str is
    JSON text, refused for the binary format. The class is returned only for
    message objects, so callers can answer in kind. ``fmt`` is checked even
    when a message object makes it unused.
    """
    f = format_number(fmt)
    if type(value) is bytes and type(type_) is str:  # the usual bytes call: what follows, in fewer steps
        return _name_bytes.get(type_) or name_bytes(type_), f, value, None
    if isinstance(value, Message):
        name = value.DESCRIPTOR.full_name
        if type_ is not None and type_name(type_) != name:
            raise TypeError(f"message is a {name}, not a {type_name(type_)}")
        return name_bytes(name), BINARY, value.SerializeToString(), type(value)
    if not isinstance(value, (bytes, bytearray, memoryview, str)):
        raise not_an_input(value)
    if type_ is None:
        raise needs_type(value)
    name = name_bytes(type_name(type_))
    return name, f, text_or_bytes(value, f, "the message"), None
