"""Exceptions raised by the peat API.

Every failed libpeat call raises a subclass of :class:`PeatError` chosen by its
status (``PEAT_E_*`` in peat.h). The exception carries the stable ``code``
(for example ``"DECODE_ERROR"``, ``"MESSAGE_TOO_LARGE"`` or an ICD validation
code), the human ``message`` and the offending field ``path`` from the
``peat.api.v1.Error`` the library returned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import lowlevel
from .lowlevel import IncompatibleLibraryError, LibraryUnavailableError

if TYPE_CHECKING:
    from .pb.peat.validation.v1.validation_pb2 import ValidationReport

__all__ = [
    "PeatError",
    "InvalidArgumentError",
    "UnknownTypeError",
    "DecodeError",
    "EncodeError",
    "TooLargeError",
    "DecompressError",
    "MismatchError",
    "IllegalTransitionError",
    "UnsupportedError",
    "InvalidMessageError",
    "ValidationError",
    "NotVerifiedError",
    "InternalError",
    "IncompatibleLibraryError",
    "LibraryUnavailableError",
    "raise_for_status",
]


class PeatError(Exception):
    """A libpeat call failed.

    Attributes:
        status: the numeric status (``PEAT_E_*``).
        status_name: its stable name, e.g. ``"DECODE_ERROR"``.
        code: the stable error code, e.g. ``"INVALID_UTF8"`` (defaults to the status name).
        message: human-readable explanation; not stable, do not parse.
        path: the offending field path when known (``"capabilities[2].confidence"``), else ``""``.
    """

    #: The status this class stands for (0 for the base class).
    STATUS = 0

    def __init__(self, status: int, code: str, message: str = "", path: str = "") -> None:
        self.status = status
        self.status_name = lowlevel.status_name(status)
        self.code = code or self.status_name
        self.message = message
        self.path = path
        text = f"{self.code}: {message}" if message else self.code
        super().__init__(f"{text} (at {path})" if path else text)


class InvalidArgumentError(PeatError, ValueError):
    """A bad argument: unknown format, bad options, NULL with a length (PEAT_E_INVALID_ARGUMENT)."""

    STATUS = 1


class UnknownTypeError(PeatError, LookupError):
    """The type name is not registered, or not valid for this call (PEAT_E_UNKNOWN_TYPE)."""

    STATUS = 2


class DecodeError(PeatError, ValueError):
    """The input bytes or JSON cannot be decoded (PEAT_E_DECODE)."""

    STATUS = 3


class EncodeError(PeatError, ValueError):
    """The value cannot be written in the requested format (PEAT_E_ENCODE)."""

    STATUS = 4


class TooLargeError(PeatError, ValueError):
    """The input is over its size limit, ICD §3.3 (PEAT_E_TOO_LARGE)."""

    STATUS = 5


class DecompressError(PeatError, ValueError):
    """A bad zstd frame, or decompressed output over the limit (PEAT_E_DECOMPRESS)."""

    STATUS = 6


class MismatchError(PeatError, ValueError):
    """A merge of different entities or ids (PEAT_E_MISMATCH)."""

    STATUS = 7


class IllegalTransitionError(PeatError, ValueError):
    """A deployment status move the status machine does not allow (PEAT_E_ILLEGAL_TRANSITION)."""

    STATUS = 8


class UnsupportedError(PeatError):
    """The operation is not defined for this type (PEAT_E_UNSUPPORTED)."""

    STATUS = 9


class InvalidMessageError(PeatError, ValueError):
    """The input fails validation where it must pass (PEAT_E_INVALID)."""

    STATUS = 10


class ValidationError(InvalidMessageError):
    """Raised by :func:`peat.validate_or_raise` for a message with violations.

    ``code`` and ``path`` are those of the first violation; ``report`` is the
    full :class:`~peat.pb.peat.validation.v1.validation_pb2.ValidationReport`.
    """

    def __init__(self, report: ValidationReport) -> None:
        first = report.violations[0] if report.violations else None
        n = len(report.violations)
        message = f"{report.type}: {n} violation{'s' if n != 1 else ''}"
        if first is not None and first.message:
            message += f"; first: {first.message}"
        super().__init__(self.STATUS, first.code if first else "", message, first.path if first else "")
        self.report = report


class NotVerifiedError(PeatError):
    """A signed directive or a downloaded artifact did not verify (PEAT_E_NOT_VERIFIED).

    ``code`` says why: a verification code from
    :func:`peat.security.target_signed` (``UNKNOWN_KEY``, ``BAD_SIGNATURE``,
    ``THRESHOLD_NOT_MET``, ``DIRECTIVE_TOO_OLD``, ...), or an artifact code
    from :class:`peat.security.ArtifactVerifier` (``ARTIFACT_TRUNCATED``,
    ``ARTIFACT_EXCESS``, ``ARTIFACT_DIGEST_MISMATCH``,
    ``ARTIFACT_SHA256_MISMATCH``). docs/SECURITY.md lists them.
    """

    STATUS = 11


class InternalError(PeatError):
    """A fault inside libpeat, such as a recovered panic (PEAT_E_INTERNAL)."""

    STATUS = 100


_BY_STATUS: dict[int, type[PeatError]] = {
    c.STATUS: c
    for c in (
        InvalidArgumentError, UnknownTypeError, DecodeError, EncodeError, TooLargeError,
        DecompressError, MismatchError, IllegalTransitionError, UnsupportedError,
        InvalidMessageError, NotVerifiedError, InternalError,
    )
}


def error_from(status: int, output: bytes) -> PeatError:
    """Builds the exception for a failed call from its status and error buffer."""
    from .pb.peat.api.v1.api_pb2 import Error

    cls = _BY_STATUS.get(status, PeatError)
    err = Error()
    try:
        err.ParseFromString(output)
    except Exception:  # a corrupt error buffer must not hide the status
        err.Clear()
    return cls(status, err.code, err.message, err.field_path)


def raise_for_status(result: tuple[int, bytes]) -> bytes:
    """Returns the output of a successful raw call, else raises its :class:`PeatError`."""
    status, output = result
    if status:
        raise error_from(status, output)
    return output
