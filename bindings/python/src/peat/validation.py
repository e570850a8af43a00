"""Validation (ICD §3.3, §6, §9) and sanitising (ICD §9.2)."""

from __future__ import annotations

from typing import Iterable, NamedTuple, Union

from google.protobuf.message import Message

from . import lowlevel
from ._messages import (
    BINARY,
    Format,
    FormatLike,
    Input,
    TimeLike,
    TypeLike,
    format_number,
    invalid,
    items_of,
    kind,
    name_bytes,
    needs_type,
    not_an_input,
    prepare,
    strict_flag,
    timestamp,
    type_name,
)
from .errors import ValidationError, raise_for_status
from .pb.peat.validation.v1.validation_pb2 import (
    BatchValidationReport,
    SanitizeChange,
    SanitizeResult,
    ValidateOptions,
    ValidationReport,
)

__all__ = ["validate", "validate_or_raise", "validate_batch", "sanitize", "Sanitized", "validate_options"]


def validate_options(now: TimeLike | None = None, max_future_skew_seconds: int | None = None,
                     allow_unknown_enum_values: bool = False,
                     allowed_path_roots: Iterable[str] = ()) -> bytes | None:
    """Serialized ValidateOptions, or None for the defaults (the fast path)."""
    if allow_unknown_enum_values is not False and allow_unknown_enum_values is not True:
        raise TypeError(f"allow_unknown_enum_values must be a bool, not {kind(allow_unknown_enum_values)}")
    roots = [] if allowed_path_roots == () else [
        _root(r) for r in items_of(allowed_path_roots, "allowed_path_roots")]
    if now is None and max_future_skew_seconds is None and not allow_unknown_enum_values and not roots:
        return None
    opts = ValidateOptions(allow_unknown_enum_values=allow_unknown_enum_values, allowed_path_roots=roots)
    if now is not None:
        opts.now.CopyFrom(timestamp(now))
    if max_future_skew_seconds is not None:
        skew = max_future_skew_seconds
        if isinstance(skew, bool) or not isinstance(skew, int):
            raise TypeError(f"max_future_skew_seconds must be an int, not {kind(skew)}")
        if not 0 <= skew < 1 << 64:
            raise invalid(f"max_future_skew_seconds must be between 0 and 2**64 - 1, got {skew}")
        opts.max_future_skew_seconds = skew
    return opts.SerializeToString()


def _root(value: object) -> str:
    """One allowed path root: a str encodable as UTF-8 (libpeat judges its form)."""
    if not isinstance(value, str):
        raise TypeError(f"each allowed path root must be a str, not {kind(value)}")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise invalid(f"allowed path root {value!r} is not valid Unicode (lone surrogate)") from None
    return value


def validate(message: Input, *, type: TypeLike | None = None, format: FormatLike = Format.BINARY,
             now: TimeLike | None = None, max_future_skew_seconds: int | None = None,
             allow_unknown_enum_values: bool = False, allowed_path_roots: Iterable[str] = (),
             strict: bool = False) -> ValidationReport:
    """Validates one message and returns its report.

    ``message`` is a message object, or bytes of ``type`` in ``format``. The
    report lists every violation (``code``, ``path``, ``message``); ``valid``
    is true when there is none. Input that cannot be decoded raises
    :class:`~peat.errors.DecodeError` (or another :class:`~peat.errors.PeatError`).

    ``now`` fixes the clock of the future-timestamp rule (default: wall
    clock); ``max_future_skew_seconds`` relaxes it (default 300);
    ``allow_unknown_enum_values`` accepts enum numbers newer schemas may add.
    ``allowed_path_roots`` (absolute paths in normal form, e.g.
    ``["/opt/peat"]``) makes a directive's target path outside every root a
    ``PATH_NOT_ALLOWED`` violation; without it only the path rules apply
    (``INVALID_PATH``: docs/SECURITY.md). A malformed root raises
    :class:`~peat.errors.InvalidArgumentError`. ``strict=True`` refuses JSON
    input with a key that names no field (:class:`~peat.errors.DecodeError`,
    code ``UNKNOWN_FIELD``, ``path`` the key's) instead of ignoring the key;
    it changes nothing for binary input.
    """
    flag = 0 if strict is False else strict_flag(strict)
    name, f, payload, _ = prepare(message, type, format)
    if (now is None and max_future_skew_seconds is None and allow_unknown_enum_values is False
            and allowed_path_roots == ()):
        opts = None  # the defaults: what validate_options returns for them, without the call
    else:
        opts = validate_options(now, max_future_skew_seconds, allow_unknown_enum_values, allowed_path_roots)
    return ValidationReport.FromString(raise_for_status(lowlevel.validate(name, f | flag, payload, opts)))


def validate_or_raise(message: Input, **kwargs: object) -> ValidationReport:
    """Like :func:`validate`, but raises :class:`~peat.errors.ValidationError` (carrying the
    report) when the message has violations. Returns the (valid) report."""
    report = validate(message, **kwargs)  # type: ignore[arg-type]
    if not report.valid:
        raise ValidationError(report)
    return report


def validate_batch(messages: Iterable[Input], *, type: TypeLike | None = None,
                   format: FormatLike = Format.BINARY, now: TimeLike | None = None,
                   max_future_skew_seconds: int | None = None, allow_unknown_enum_values: bool = False,
                   allowed_path_roots: Iterable[str] = (), strict: bool = False) -> BatchValidationReport:
    """Validates many messages of one type in one library call.

    An undecodable message does not fail the batch: its report has
    ``decoded = False`` and one violation with the decode error's code (with
    ``strict=True``, a JSON key that names no field is such an error:
    ``UNKNOWN_FIELD`` at the key's path). Reports come back in input order.
    The options are those of :func:`validate`.
    """
    flag = strict_flag(strict)
    items = items_of(messages, "messages")
    if type is None:
        first = next((m for m in items if isinstance(m, Message)), None)
        if first is None:
            for m in items:
                if not isinstance(m, (bytes, bytearray, memoryview, str)):
                    raise not_an_input(m)
            if items:
                raise needs_type(items[0])
            raise TypeError("validate_batch of no messages needs type=")
        type = first.DESCRIPTOR.full_name
    name = name_bytes(type_name(type))
    f = format_number(format)
    payloads = []
    for m in items:
        _, mf, payload, _ = prepare(m, type, format)
        if mf != f:
            raise TypeError("mix message objects with bytes only when format is binary")
        payloads.append(payload)
    opts = validate_options(now, max_future_skew_seconds, allow_unknown_enum_values, allowed_path_roots)
    return BatchValidationReport.FromString(raise_for_status(lowlevel.validate_batch(name, f | flag, payloads, opts)))


class Sanitized(NamedTuple):
    """The result of :func:`sanitize`."""

    #: The sanitised message: a message object if one was given, else bytes in the output format.
    message: Union[Message, bytes]
    #: Every change made (``path``, ``code``, ``message``); empty if nothing changed.
    changes: list[SanitizeChange]


def sanitize(message: Input, *, type: TypeLike | None = None, from_format: FormatLike = Format.BINARY,
             to: FormatLike | None = None, strict: bool = False) -> Sanitized:
    """Returns a sanitised copy (ICD §9.2): control characters stripped, metadata normalised.

    A message object gives a message object back; bytes give bytes in ``to``
    (default: the input format). ``strict=True`` refuses JSON input with a
    key that names no field (``UNKNOWN_FIELD``, as :func:`validate`).
    """
    flag = strict_flag(strict)
    name, f, payload, cls = prepare(message, type, from_format)
    out = f if to is None else format_number(to)
    result = SanitizeResult.FromString(raise_for_status(lowlevel.sanitize(name, f | flag, out, payload)))
    sanitized: Message | bytes = result.message
    if cls is not None and out == BINARY:
        sanitized = cls.FromString(result.message)
    return Sanitized(sanitized, list(result.changes))
