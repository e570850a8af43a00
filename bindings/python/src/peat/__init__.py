"""peat — the Peat (CAP) coordination protocol core (libpeat) for Python.

Three jobs, each a thin call into libpeat.so:

* validate Peat messages: :func:`validate`, :func:`validate_or_raise`,
  :func:`validate_batch`, :func:`sanitize`;
* merge replicated state: :func:`merge`, :func:`merge_all` and the documents
  :class:`NodeDocument`, :class:`CellDocument`, :class:`ZoneDocument` (values),
  or a :class:`Replica` (a document held open in libpeat between calls);
* handle deployment directives: :mod:`peat.directives`, and secure them
  (signed directives, trust sets, artifact checks): :mod:`peat.security`,
  with :func:`sign_directive`, :func:`verify_directive` and
  :class:`ArtifactVerifier` here.

Messages are the protobuf classes generated from the protocol's ``.proto``
files, under :mod:`peat.pb` (module = ``peat.pb.`` + proto package, e.g.
``peat.pb.cap.node.v1.node_pb2``). :func:`convert`, :func:`decode` and
:func:`encode` move them between protobuf binary, proto3 JSON and the Rust
reference's JSON. Failures raise :class:`PeatError` subclasses.
"""

from __future__ import annotations

from typing import NamedTuple

from . import directives, lowlevel, security
from ._messages import Format, message_class, timestamp
from .codec import compress, convert, decode, decompress, encode, types
from .documents import Applied, CellDocument, Document, NodeDocument, Replica, ZoneDocument, operation
from .errors import (
    DecodeError,
    DecompressError,
    EncodeError,
    IllegalTransitionError,
    IncompatibleLibraryError,
    InternalError,
    InvalidArgumentError,
    InvalidMessageError,
    LibraryUnavailableError,
    MismatchError,
    NotVerifiedError,
    PeatError,
    TooLargeError,
    UnknownTypeError,
    UnsupportedError,
    ValidationError,
)
from .merging import merge, merge_all
from .security import ArtifactVerifier, sign_directive, verify_directive
from .validation import Sanitized, sanitize, validate, validate_batch, validate_or_raise

__version__ = "0.1.0"


class AbiVersion(NamedTuple):
    """The ABI version of the loaded libpeat: ``(major, minor)``.

    C's ``peat_abi_version()`` (and C++'s ``peat::abi_version()``, Java's
    ``Peat.abiVersion()``) return it packed as ``(major << 16) | minor``;
    :attr:`packed` and ``int(...)`` give that same number, and
    :func:`peat.lowlevel.abi_version` returns it as C does.
    """

    major: int
    minor: int

    @property
    def packed(self) -> int:
        """``(major << 16) | minor``, the value ``peat_abi_version()`` returns."""
        return (self.major << 16) | self.minor

    def __int__(self) -> int:
        return self.packed


def abi_version() -> AbiVersion:
    """The ABI version of the loaded libpeat: a ``(major, minor)`` tuple with ``.packed`` (C's number)."""
    v = lowlevel.abi_version()
    return AbiVersion(v >> 16, v & 0xFFFF)


def library_version() -> str:
    """The loaded libpeat's version string."""
    return lowlevel.version()


def library_path() -> str:
    """Where libpeat was loaded from (the bundled copy, or $PEAT_LIBRARY_PATH)."""
    return lowlevel.library_path()


__all__ = [
    "AbiVersion", "Applied", "ArtifactVerifier", "CellDocument", "DecodeError", "DecompressError", "Document",
    "EncodeError", "Format", "IllegalTransitionError", "IncompatibleLibraryError", "InternalError",
    "InvalidArgumentError", "InvalidMessageError", "LibraryUnavailableError", "MismatchError", "NodeDocument",
    "NotVerifiedError", "PeatError", "Replica", "Sanitized", "TooLargeError", "UnknownTypeError", "UnsupportedError",
    "ValidationError", "ZoneDocument", "abi_version", "compress", "convert", "decode", "decompress", "directives",
    "encode", "library_path", "library_version", "lowlevel", "merge", "merge_all", "message_class", "operation",
    "sanitize", "security", "sign_directive", "timestamp", "types", "validate", "validate_batch",
    "validate_or_raise", "verify_directive",
]
