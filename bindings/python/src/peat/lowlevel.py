"""The raw C calls of libpeat, one Python function per entry point of peat.h.

Each function takes bytes and returns ``(status, output)``: ``status`` is the
int32 the C call returned and ``output`` the bytes of its ``peat_buf`` (the
result on ``PEAT_OK``, else a serialized ``peat.api.v1.Error``). The
exceptions follow the C calls: the calls that create a handle
(:func:`artifact_new`, :func:`replica_new`, :func:`replica_open`,
:func:`replica_clone`) return ``(status, handle, output)``, and
:func:`artifact_free` and :func:`replica_free` return nothing. Nothing here
raises on a non-zero status; the high-level modules turn statuses into
exceptions. The library buffer is always copied into Python ``bytes`` and
freed before the function returns.

Arguments are checked before anything reaches C: type names and data must be
``bytes``, ``bytearray`` or ``memoryview`` (data may also be ``None``, an empty
input; a ``str`` is refused), formats and statuses an ``int`` (not a ``bool``)
within int32, ``max_out`` and handles an ``int`` with ``0 <= value < 2**64``,
batches a list or tuple of bytes. A wrong type raises :class:`TypeError`, a
wrong value (out of range, a NUL byte inside a type name) :class:`ValueError`.
A format the call reads may carry :data:`FORMAT_FLAG_STRICT`, OR-ed in as in
C (``2 | FORMAT_FLAG_STRICT``: strict proto3 JSON); libpeat judges formats.

Calls go through :mod:`ctypes`, which releases the GIL for the duration of
every call into libpeat's Go code, so threads call into libpeat in parallel
(only ``peat_buf_free``, plain C ``free()``, runs under the GIL). libpeat
keeps no per-call state, so every function is safe from any number of
threads; the state it keeps behind handles (an artifact verification, a
replica) is meant for one thread at a time (peat.h rule 9: libpeat
serialises concurrent calls on one handle, and a handle is never reused, so
a call on a freed one is an ``INVALID_HANDLE`` status, never a crash).
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path
from typing import Any, Dict, Sequence, Tuple, Union

__all__ = [
    "ABI_MAJOR",
    "ABI_MINOR",
    "FORMAT_FLAG_STRICT",
    "LIBRARY_ENV",
    "IncompatibleLibraryError",
    "LibraryUnavailableError",
    "library_path",
    "abi_version",
    "version",
    "status_name",
    "types",
    "convert",
    "compress",
    "decompress",
    "validate",
    "validate_batch",
    "sanitize",
    "merge",
    "merge_batch",
    "doc_new",
    "doc_apply",
    "doc_merge",
    "doc_materialize",
    "replica_new",
    "replica_open",
    "replica_clone",
    "replica_apply",
    "replica_merge",
    "replica_merge_replica",
    "replica_materialize",
    "replica_encode",
    "replica_free",
    "directive_target",
    "directive_advance",
    "directive_summarize",
    "key_generate",
    "key_inspect",
    "directive_sign",
    "directive_verify",
    "directive_target_signed",
    "artifact_new",
    "artifact_update",
    "artifact_finish",
    "artifact_free",
]

#: ABI version this binding is written for (PEAT_ABI_MAJOR/MINOR of peat.h).
ABI_MAJOR = 1
ABI_MINOR = 2

#: PEAT_FORMAT_FLAG_STRICT of peat.h (ABI 1.1): OR-ed into a format a call
#: reads (``2 | FORMAT_FLAG_STRICT`` for JSON), JSON keys that name no field
#: are refused (status 3, code UNKNOWN_FIELD, with the key's path) instead of
#: ignored. libpeat ignores it for binary input and for output formats.
FORMAT_FLAG_STRICT = 0x100

#: Environment variable naming another libpeat.so to load instead of the
#: bundled one (read once, at import).
LIBRARY_ENV = "PEAT_LIBRARY_PATH"

#: The result of a raw call: (status, output bytes).
Result = Tuple[int, bytes]
Bytes = Union[bytes, bytearray, memoryview]

_BUNDLED = Path(__file__).resolve().parent / "_native" / "libpeat.so.1"


class IncompatibleLibraryError(ImportError):
    """The loaded libpeat.so implements an ABI this binding cannot use."""


class LibraryUnavailableError(RuntimeError):
    """libpeat cannot be called in this process (a child created by fork())."""


class _Buf(ctypes.Structure):
    # data is a char pointer (C: uint8_t*) so that out.data[:n] copies the n
    # bytes into a bytes object in one step, the cheapest copy ctypes offers.
    _fields_ = [("data", ctypes.POINTER(ctypes.c_char)), ("len", ctypes.c_size_t)]


def _locate() -> str:
    env = os.environ.get(LIBRARY_ENV)
    if env:
        if not os.path.isfile(env):
            raise ImportError(f"{LIBRARY_ENV}={env!r} is not a file; point it at a libpeat.so")
        return env
    if _BUNDLED.is_file():
        return str(_BUNDLED)
    # An installation without a bundled copy (e.g. a source checkout): let the
    # system loader find an installed libpeat (make install).
    return "libpeat.so.1"


def _load() -> tuple[ctypes.CDLL, str]:
    path = _locate()
    try:
        lib = ctypes.CDLL(path)
    except OSError as exc:
        raise ImportError(
            f"cannot load libpeat from {path!r} ({exc}); install a peat wheel, "
            f"or set {LIBRARY_ENV} to the path of libpeat.so"
        ) from exc
    try:
        abi = lib.peat_abi_version
    except AttributeError as exc:
        raise IncompatibleLibraryError(f"{path} is not libpeat: no peat_abi_version symbol") from exc
    abi.restype = ctypes.c_uint32
    abi.argtypes = []
    v = abi()
    major, minor = v >> 16, v & 0xFFFF
    if major != ABI_MAJOR or minor < ABI_MINOR:
        raise IncompatibleLibraryError(
            f"libpeat at {path} implements ABI {major}.{minor}, but this peat package needs "
            f"ABI {ABI_MAJOR}.x with x >= {ABI_MINOR}; install a matching libpeat or unset {LIBRARY_ENV}"
        )
    return lib, path


_lib, _path = _load()


def _symbol(name: str) -> Any:
    try:
        return getattr(_lib, name)
    except AttributeError:
        raise IncompatibleLibraryError(f"libpeat at {_path} lacks {name}; it is not a complete libpeat") from None


_c_char = ctypes.c_char
_c_char_p = ctypes.c_char_p
_c_int32 = ctypes.c_int32
_c_size_t = ctypes.c_size_t
_c_uint64 = ctypes.c_uint64
_BufP = ctypes.POINTER(_Buf)
_Ptrs = ctypes.POINTER(_c_char_p)
_Lens = ctypes.POINTER(_c_size_t)
_U64P = ctypes.POINTER(_c_uint64)

#: The C signature of every entry point, as ctypes types: (restype, argtypes).
#: Pointers to bytes (const char*, const uint8_t*) are c_char_p.
_SIGNATURES: dict[str, tuple[object, list[object]]] = {
    "peat_abi_version": (ctypes.c_uint32, []),
    "peat_version": (_c_char_p, []),
    "peat_status_name": (_c_char_p, [_c_int32]),
    "peat_buf_free": (None, [_BufP]),
    "peat_types": (_c_int32, [_BufP]),
    "peat_convert": (_c_int32, [_c_char_p, _c_int32, _c_int32, _c_char_p, _c_size_t, _BufP]),
    "peat_compress": (_c_int32, [_c_char_p, _c_size_t, _BufP]),
    "peat_decompress": (_c_int32, [_c_char_p, _c_size_t, _c_uint64, _BufP]),
    "peat_validate": (_c_int32, [_c_char_p, _c_int32, _c_char_p, _c_size_t, _c_char_p, _c_size_t, _BufP]),
    "peat_validate_batch": (_c_int32, [_c_char_p, _c_int32, _Ptrs, _Lens, _c_size_t, _c_char_p, _c_size_t, _BufP]),
    "peat_sanitize": (_c_int32, [_c_char_p, _c_int32, _c_int32, _c_char_p, _c_size_t, _BufP]),
    "peat_merge": (_c_int32, [_c_char_p, _c_int32, _c_int32, _c_char_p, _c_size_t, _c_char_p, _c_size_t, _BufP]),
    "peat_merge_batch": (_c_int32, [_c_char_p, _c_int32, _c_int32, _Ptrs, _Lens, _c_size_t, _BufP]),
    "peat_doc_new": (_c_int32, [_c_char_p, _c_char_p, _c_size_t, _BufP]),
    "peat_doc_apply": (_c_int32, [_c_char_p, _c_char_p, _c_size_t, _c_char_p, _c_size_t, _BufP]),
    "peat_doc_merge": (_c_int32, [_c_char_p, _c_char_p, _c_size_t, _c_char_p, _c_size_t, _BufP]),
    "peat_doc_materialize": (_c_int32, [_c_char_p, _c_int32, _c_char_p, _c_size_t, _BufP]),
    "peat_replica_new": (_c_int32, [_c_char_p, _c_char_p, _c_size_t, _U64P, _BufP]),
    "peat_replica_open": (_c_int32, [_c_char_p, _c_char_p, _c_size_t, _U64P, _BufP]),
    "peat_replica_clone": (_c_int32, [_c_uint64, _U64P, _BufP]),
    "peat_replica_apply": (_c_int32, [_c_uint64, _c_char_p, _c_size_t, _BufP]),
    "peat_replica_merge": (_c_int32, [_c_uint64, _c_char_p, _c_size_t, _BufP]),
    "peat_replica_merge_replica": (_c_int32, [_c_uint64, _c_uint64, _BufP]),
    "peat_replica_materialize": (_c_int32, [_c_uint64, _c_int32, _BufP]),
    "peat_replica_encode": (_c_int32, [_c_uint64, _BufP]),
    "peat_replica_free": (None, [_c_uint64]),
    "peat_directive_target": (_c_int32, [_c_char_p, _c_size_t, _BufP]),
    "peat_directive_advance": (_c_int32, [_c_char_p, _c_size_t, _BufP]),
    "peat_directive_summarize": (_c_int32, [_c_char_p, _c_size_t, _BufP]),
    "peat_key_generate": (_c_int32, [_BufP]),
    "peat_key_inspect": (_c_int32, [_c_char_p, _c_size_t, _BufP]),
    "peat_directive_sign": (_c_int32, [_c_char_p, _c_size_t, _BufP]),
    "peat_directive_verify": (_c_int32, [_c_char_p, _c_size_t, _BufP]),
    "peat_directive_target_signed": (_c_int32, [_c_char_p, _c_size_t, _BufP]),
    "peat_artifact_new": (_c_int32, [_c_char_p, _c_size_t, _U64P, _BufP]),
    "peat_artifact_update": (_c_int32, [_c_uint64, _c_char_p, _c_size_t, _BufP]),
    "peat_artifact_finish": (_c_int32, [_c_uint64, _BufP]),
    "peat_artifact_free": (None, [_c_uint64]),
}

# Every function gets its C return type. The information calls also get their
# argument types (ctypes then refuses anything else). The operations and
# peat_buf_free do not: declared argtypes add ~80 ns per argument to every call
# (+650 ns on peat_convert with its free; README "Why ctypes, not cffi") and
# would still let through what matters (ctypes truncates 2**32 to 0, takes True
# for 1, and a NUL ends a name early). Instead every function of this module
# checks its arguments first (_name, _data, _i32, _u64, _array) and hands ctypes
# only values its default conversion passes exactly: bytes or None for a
# pointer, an int within int32_t for an int32_t, c_size_t/c_uint64 objects for
# size_t/uint64_t, ctypes arrays for the batch pointers, byref() for peat_buf*
# and for the uint64_t* of the calls that create a handle.
# tests/test_arguments.py checks every call against _SIGNATURES (and
# _SIGNATURES against peat.h).
_DECLARED = ("peat_abi_version", "peat_version", "peat_status_name")

# peat_buf_free is plain C (capi/buf.c: free() and two stores; it never enters
# the Go runtime or blocks), so it is called through a PyDLL view of the same
# library (same handle, nothing loaded twice), which keeps the GIL instead of
# releasing and taking it back around a call of a few nanoseconds. Every other
# entry point runs Go code and releases the GIL.
_GIL_HELD = ("peat_buf_free",)
_pylib = ctypes.PyDLL(_path, handle=_lib._handle)


def _function(name: str) -> Any:
    fn = getattr(_pylib, name) if name in _GIL_HELD else _symbol(name)
    restype, argtypes = _SIGNATURES[name]
    fn.restype = restype
    if name in _DECLARED:
        fn.argtypes = argtypes
    return fn


_abi_version = _function("peat_abi_version")
_version = _function("peat_version")
_status_name = _function("peat_status_name")
_free = _function("peat_buf_free")
_types = _function("peat_types")
_convert = _function("peat_convert")
_compress = _function("peat_compress")
_decompress = _function("peat_decompress")
_validate = _function("peat_validate")
_validate_batch = _function("peat_validate_batch")
_sanitize = _function("peat_sanitize")
_merge = _function("peat_merge")
_merge_batch = _function("peat_merge_batch")
_doc_new = _function("peat_doc_new")
_doc_apply = _function("peat_doc_apply")
_doc_merge = _function("peat_doc_merge")
_doc_materialize = _function("peat_doc_materialize")
_replica_new = _function("peat_replica_new")
_replica_open = _function("peat_replica_open")
_replica_clone = _function("peat_replica_clone")
_replica_apply = _function("peat_replica_apply")
_replica_merge = _function("peat_replica_merge")
_replica_merge_replica = _function("peat_replica_merge_replica")
_replica_materialize = _function("peat_replica_materialize")
_replica_encode = _function("peat_replica_encode")
_replica_free = _function("peat_replica_free")
_directive_target = _function("peat_directive_target")
_directive_advance = _function("peat_directive_advance")
_directive_summarize = _function("peat_directive_summarize")
_key_generate = _function("peat_key_generate")
_key_inspect = _function("peat_key_inspect")
_directive_sign = _function("peat_directive_sign")
_directive_verify = _function("peat_directive_verify")
_directive_target_signed = _function("peat_directive_target_signed")
_artifact_new = _function("peat_artifact_new")
_artifact_update = _function("peat_artifact_update")
_artifact_finish = _function("peat_artifact_finish")
_artifact_free = _function("peat_artifact_free")

_byref = ctypes.byref

# The output buffers: each call takes a (peat_buf, byref(peat_buf)) slot from
# this free list and puts it back once the buffer is copied and freed (which
# leaves it NULL/0), instead of building both objects per call. list.pop and
# list.append are atomic under the GIL, so each slot is used by one call at a
# time, including a call made by a signal handler or a finalizer interrupting
# another in the same thread; the list never holds more slots than calls that
# were in flight at once. A slot lost to an exception is simply not reused.
_slots: list[tuple[_Buf, Any]] = []
_pop_slot = _slots.pop
_put_slot = _slots.append


def _new_slot() -> tuple[_Buf, Any]:
    out = _Buf()
    return out, _byref(out)


class _Sizes(Dict[int, ctypes.c_size_t]):
    """size_t arguments: one shared, never modified c_size_t per length below 512
    (creating one costs more than the lookup), a new one for longer inputs."""

    def __missing__(self, n: int) -> ctypes.c_size_t:
        return _c_size_t(n)


_SIZES = _Sizes((n, _c_size_t(n)) for n in range(512))
_ZERO = _SIZES[0]
_I32_MIN, _I32_MAX = -(1 << 31), (1 << 31) - 1
_U64_MAX = (1 << 64) - 1


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _name(value: object, func: str, arg: str = "type_name") -> bytes:
    """A type name argument: bytes-like without NUL (it would end the C string)."""
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(f"{func}() argument {arg!r} must be bytes (a UTF-8 type name), not {_kind(value)}")
    name = bytes(value)
    if 0 in name:
        raise ValueError(f"{func}() argument {arg!r} contains a NUL byte, which would end the name in C")
    return name


def _data(value: object, func: str, arg: str) -> bytes | None:
    """A bytes argument: bytes, bytearray or memoryview (copied to bytes), or None (empty)."""
    if value is None:
        return None
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(f"{func}() argument {arg!r} must be bytes, bytearray, memoryview or None, not {_kind(value)}")
    return bytes(value)


def _i32(value: object, func: str, arg: str) -> int:
    """An int32_t argument (a format or status): an int, not a bool, in range."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{func}() argument {arg!r} must be int, not {_kind(value)}")
    if not _I32_MIN <= value <= _I32_MAX:
        raise ValueError(f"{func}() argument {arg!r} is out of the int32 range: {value}")
    return int(value)


def _u64(value: object, func: str, arg: str) -> int:
    """A uint64_t argument: an int, not a bool, 0 <= value < 2**64."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{func}() argument {arg!r} must be int, not {_kind(value)}")
    if not 0 <= value <= _U64_MAX:
        raise ValueError(f"{func}() argument {arg!r} must be 0 <= {arg} < 2**64, got {value}")
    return int(value)


def library_path() -> str:
    """The path libpeat was loaded from."""
    return _path


def abi_version() -> int:
    """``peat_abi_version()``: ``(major << 16) | minor``."""
    v: int = _abi_version()
    return v


def version() -> str:
    """``peat_version()``: the library version string."""
    v: bytes = _version()
    return v.decode()


def status_name(status: int) -> str:
    """``peat_status_name()``: the stable name of a status ("DECODE_ERROR", ...)."""
    if type(status) is not int or not _I32_MIN <= status <= _I32_MAX:
        status = _i32(status, "status_name", "status")
    name: bytes = _status_name(status)
    return name.decode()


def types() -> Result:
    """``peat_types``: output is a peat.api.v1.TypeList."""
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _types(ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def convert(type_name: Bytes, from_format: int, to_format: int, data: Bytes | None) -> Result:
    """``peat_convert``."""
    if type(type_name) is not bytes or 0 in type_name:
        type_name = _name(type_name, "convert")
    if type(from_format) is not int or not _I32_MIN <= from_format <= _I32_MAX:
        from_format = _i32(from_format, "convert", "from_format")
    if type(to_format) is not int or not _I32_MIN <= to_format <= _I32_MAX:
        to_format = _i32(to_format, "convert", "to_format")
    if type(data) is not bytes:
        data = _data(data, "convert", "data")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _convert(type_name, from_format, to_format, data, _SIZES[len(data)] if data else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def compress(data: Bytes | None) -> Result:
    """``peat_compress``."""
    if type(data) is not bytes:
        data = _data(data, "compress", "data")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _compress(data, _SIZES[len(data)] if data else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def decompress(data: Bytes | None, max_out: int = 0) -> Result:
    """``peat_decompress`` (max_out 0 selects the library default; above 1 GiB is clamped to 1 GiB)."""
    if type(data) is not bytes:
        data = _data(data, "decompress", "data")
    if type(max_out) is not int or not 0 <= max_out <= _U64_MAX:
        max_out = _u64(max_out, "decompress", "max_out")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _decompress(data, _SIZES[len(data)] if data else _ZERO, _c_uint64(max_out), ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def validate(type_name: Bytes, fmt: int, data: Bytes | None, options: Bytes | None = None) -> Result:
    """``peat_validate``: output is a peat.validation.v1.ValidationReport."""
    if type(type_name) is not bytes or 0 in type_name:
        type_name = _name(type_name, "validate")
    if type(fmt) is not int or not _I32_MIN <= fmt <= _I32_MAX:
        fmt = _i32(fmt, "validate", "fmt")
    if type(data) is not bytes:
        data = _data(data, "validate", "data")
    if options is not None and type(options) is not bytes:
        options = _data(options, "validate", "options")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _validate(type_name, fmt, data, _SIZES[len(data)] if data else _ZERO, options,
                   _SIZES[len(options)] if options else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def _array(items: Sequence[Bytes], func: str) -> tuple[object, object, list[bytes]]:
    """The C arrays (pointers, lengths) of a batch, and the bytes they point into."""
    if not isinstance(items, (list, tuple)) and (
            isinstance(items, (str, bytes, bytearray, memoryview)) or not isinstance(items, Sequence)):
        raise TypeError(f"{func}() argument 'messages' must be a list or tuple of bytes, not {_kind(items)}")
    keep = []
    for i, m in enumerate(items):
        if type(m) is not bytes:
            if not isinstance(m, (bytes, bytearray, memoryview)):
                raise TypeError(f"{func}() argument 'messages' item {i} must be bytes, bytearray or memoryview, "
                                f"not {_kind(m)}")
            m = bytes(m)
        keep.append(m)
    if not keep:
        return None, None, keep
    ptrs = (_c_char_p * len(keep))(*keep)
    lens = (_c_size_t * len(keep))(*map(len, keep))
    return ptrs, lens, keep  # keep holds the bytes alive during the call


def validate_batch(type_name: Bytes, fmt: int, messages: Sequence[Bytes], options: Bytes | None = None) -> Result:
    """``peat_validate_batch``: output is a peat.validation.v1.BatchValidationReport."""
    if type(type_name) is not bytes or 0 in type_name:
        type_name = _name(type_name, "validate_batch")
    if type(fmt) is not int or not _I32_MIN <= fmt <= _I32_MAX:
        fmt = _i32(fmt, "validate_batch", "fmt")
    ptrs, lens, keep = _array(messages, "validate_batch")
    if options is not None and type(options) is not bytes:
        options = _data(options, "validate_batch", "options")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _validate_batch(type_name, fmt, ptrs, lens, _SIZES[len(keep)], options,
                         _SIZES[len(options)] if options else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def sanitize(type_name: Bytes, from_format: int, to_format: int, data: Bytes | None) -> Result:
    """``peat_sanitize``: output is a peat.validation.v1.SanitizeResult."""
    if type(type_name) is not bytes or 0 in type_name:
        type_name = _name(type_name, "sanitize")
    if type(from_format) is not int or not _I32_MIN <= from_format <= _I32_MAX:
        from_format = _i32(from_format, "sanitize", "from_format")
    if type(to_format) is not int or not _I32_MIN <= to_format <= _I32_MAX:
        to_format = _i32(to_format, "sanitize", "to_format")
    if type(data) is not bytes:
        data = _data(data, "sanitize", "data")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _sanitize(type_name, from_format, to_format, data, _SIZES[len(data)] if data else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def merge(type_name: Bytes, from_format: int, to_format: int, a: Bytes | None, b: Bytes | None) -> Result:
    """``peat_merge``."""
    if type(type_name) is not bytes or 0 in type_name:
        type_name = _name(type_name, "merge")
    if type(from_format) is not int or not _I32_MIN <= from_format <= _I32_MAX:
        from_format = _i32(from_format, "merge", "from_format")
    if type(to_format) is not int or not _I32_MIN <= to_format <= _I32_MAX:
        to_format = _i32(to_format, "merge", "to_format")
    if type(a) is not bytes:
        a = _data(a, "merge", "a")
    if type(b) is not bytes:
        b = _data(b, "merge", "b")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _merge(type_name, from_format, to_format, a, _SIZES[len(a)] if a else _ZERO, b,
                _SIZES[len(b)] if b else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def merge_batch(type_name: Bytes, from_format: int, to_format: int, messages: Sequence[Bytes]) -> Result:
    """``peat_merge_batch``."""
    if type(type_name) is not bytes or 0 in type_name:
        type_name = _name(type_name, "merge_batch")
    if type(from_format) is not int or not _I32_MIN <= from_format <= _I32_MAX:
        from_format = _i32(from_format, "merge_batch", "from_format")
    if type(to_format) is not int or not _I32_MIN <= to_format <= _I32_MAX:
        to_format = _i32(to_format, "merge_batch", "to_format")
    ptrs, lens, keep = _array(messages, "merge_batch")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _merge_batch(type_name, from_format, to_format, ptrs, lens, _SIZES[len(keep)], ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def doc_new(doc_type: Bytes, init: Bytes | None = None) -> Result:
    """``peat_doc_new``: output is the document."""
    if type(doc_type) is not bytes or 0 in doc_type:
        doc_type = _name(doc_type, "doc_new", "doc_type")
    if init is not None and type(init) is not bytes:
        init = _data(init, "doc_new", "init")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _doc_new(doc_type, init, _SIZES[len(init)] if init else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def doc_apply(doc_type: Bytes, doc: Bytes | None, op: Bytes | None) -> Result:
    """``peat_doc_apply``: output is a peat.crdt.v1.ApplyResult."""
    if type(doc_type) is not bytes or 0 in doc_type:
        doc_type = _name(doc_type, "doc_apply", "doc_type")
    if type(doc) is not bytes:
        doc = _data(doc, "doc_apply", "doc")
    if type(op) is not bytes:
        op = _data(op, "doc_apply", "op")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _doc_apply(doc_type, doc, _SIZES[len(doc)] if doc else _ZERO, op, _SIZES[len(op)] if op else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def doc_merge(doc_type: Bytes, a: Bytes | None, b: Bytes | None) -> Result:
    """``peat_doc_merge``: output is the merged document."""
    if type(doc_type) is not bytes or 0 in doc_type:
        doc_type = _name(doc_type, "doc_merge", "doc_type")
    if type(a) is not bytes:
        a = _data(a, "doc_merge", "a")
    if type(b) is not bytes:
        b = _data(b, "doc_merge", "b")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _doc_merge(doc_type, a, _SIZES[len(a)] if a else _ZERO, b, _SIZES[len(b)] if b else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def doc_materialize(doc_type: Bytes, to_format: int, doc: Bytes | None) -> Result:
    """``peat_doc_materialize``: output is the plain ICD message."""
    if type(doc_type) is not bytes or 0 in doc_type:
        doc_type = _name(doc_type, "doc_materialize", "doc_type")
    if type(to_format) is not int or not _I32_MIN <= to_format <= _I32_MAX:
        to_format = _i32(to_format, "doc_materialize", "to_format")
    if type(doc) is not bytes:
        doc = _data(doc, "doc_materialize", "doc")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _doc_materialize(doc_type, to_format, doc, _SIZES[len(doc)] if doc else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def replica_new(doc_type: Bytes, init: Bytes | None = None) -> Tuple[int, int, bytes]:
    """``peat_replica_new``: returns ``(status, handle, output)``.

    ``doc_type`` and ``init`` (a serialized peat.crdt.v1.DocInit, or None for
    an empty document) as :func:`doc_new`. On status 0 ``handle`` is the new
    replica (release it with :func:`replica_free`) and ``output`` is empty;
    otherwise ``handle`` is 0 and ``output`` the error.
    """
    if type(doc_type) is not bytes or 0 in doc_type:
        doc_type = _name(doc_type, "replica_new", "doc_type")
    if init is not None and type(init) is not bytes:
        init = _data(init, "replica_new", "init")
    handle = _c_uint64(0)
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _replica_new(doc_type, init, _SIZES[len(init)] if init else _ZERO, _byref(handle), ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, int(handle.value), result


def replica_open(doc_type: Bytes, doc: Bytes | None) -> Tuple[int, int, bytes]:
    """``peat_replica_open``: a replica of a serialized document or delta; ``(status, handle, output)``
    as :func:`replica_new`."""
    if type(doc_type) is not bytes or 0 in doc_type:
        doc_type = _name(doc_type, "replica_open", "doc_type")
    if type(doc) is not bytes:
        doc = _data(doc, "replica_open", "doc")
    handle = _c_uint64(0)
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _replica_open(doc_type, doc, _SIZES[len(doc)] if doc else _ZERO, _byref(handle), ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, int(handle.value), result


def replica_clone(replica: int) -> Tuple[int, int, bytes]:
    """``peat_replica_clone``: a new, independent replica of the same document; ``(status, handle,
    output)`` as :func:`replica_new`."""
    if type(replica) is not int or not 0 <= replica <= _U64_MAX:
        replica = _u64(replica, "replica_clone", "replica")
    handle = _c_uint64(0)
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _replica_clone(_c_uint64(replica), _byref(handle), ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, int(handle.value), result


def replica_apply(replica: int, op: Bytes | None) -> Result:
    """``peat_replica_apply``: applies a serialized peat.crdt.v1.Operation; output is the delta."""
    if type(replica) is not int or not 0 <= replica <= _U64_MAX:
        replica = _u64(replica, "replica_apply", "replica")
    if type(op) is not bytes:
        op = _data(op, "replica_apply", "op")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _replica_apply(_c_uint64(replica), op, _SIZES[len(op)] if op else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def replica_merge(replica: int, doc: Bytes | None) -> Result:
    """``peat_replica_merge``: merges a serialized document or delta; output is empty on status 0."""
    if type(replica) is not int or not 0 <= replica <= _U64_MAX:
        replica = _u64(replica, "replica_merge", "replica")
    if type(doc) is not bytes:
        doc = _data(doc, "replica_merge", "doc")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _replica_merge(_c_uint64(replica), doc, _SIZES[len(doc)] if doc else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def replica_merge_replica(replica: int, other: int) -> Result:
    """``peat_replica_merge_replica``: merges replica ``other``'s document; output is empty on status 0."""
    if type(replica) is not int or not 0 <= replica <= _U64_MAX:
        replica = _u64(replica, "replica_merge_replica", "replica")
    if type(other) is not int or not 0 <= other <= _U64_MAX:
        other = _u64(other, "replica_merge_replica", "other")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _replica_merge_replica(_c_uint64(replica), _c_uint64(other), ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def replica_materialize(replica: int, to_format: int) -> Result:
    """``peat_replica_materialize``: output is the plain ICD message in ``to_format``."""
    if type(replica) is not int or not 0 <= replica <= _U64_MAX:
        replica = _u64(replica, "replica_materialize", "replica")
    if type(to_format) is not int or not _I32_MIN <= to_format <= _I32_MAX:
        to_format = _i32(to_format, "replica_materialize", "to_format")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _replica_materialize(_c_uint64(replica), to_format, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def replica_encode(replica: int) -> Result:
    """``peat_replica_encode``: output is the replica's serialized document."""
    if type(replica) is not int or not 0 <= replica <= _U64_MAX:
        replica = _u64(replica, "replica_encode", "replica")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _replica_encode(_c_uint64(replica), ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def replica_free(replica: int) -> None:
    """``peat_replica_free``: releases a replica; 0, freed and unknown handles are no-ops."""
    if type(replica) is not int or not 0 <= replica <= _U64_MAX:
        replica = _u64(replica, "replica_free", "replica")
    _replica_free(_c_uint64(replica))


def directive_target(request: Bytes | None) -> Result:
    """``peat_directive_target``: output is a peat.directive.v1.TargetDecision."""
    if type(request) is not bytes:
        request = _data(request, "directive_target", "request")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _directive_target(request, _SIZES[len(request)] if request else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def directive_advance(request: Bytes | None) -> Result:
    """``peat_directive_advance``: output is a peat.directive.v1.DeploymentStatus."""
    if type(request) is not bytes:
        request = _data(request, "directive_advance", "request")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _directive_advance(request, _SIZES[len(request)] if request else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def directive_summarize(request: Bytes | None) -> Result:
    """``peat_directive_summarize``: output is a peat.directive.v1.RolloutSummary."""
    if type(request) is not bytes:
        request = _data(request, "directive_summarize", "request")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _directive_summarize(request, _SIZES[len(request)] if request else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def key_generate() -> Result:
    """``peat_key_generate``: output is a peat.security.v1.KeyPair (it holds the private key)."""
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _key_generate(ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def key_inspect(pem: Bytes | None) -> Result:
    """``peat_key_inspect``: output is a peat.security.v1.KeyInfo."""
    if type(pem) is not bytes:
        pem = _data(pem, "key_inspect", "pem")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _key_inspect(pem, _SIZES[len(pem)] if pem else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def directive_sign(request: Bytes | None) -> Result:
    """``peat_directive_sign``: request is a peat.security.v1.SignRequest, output a SignedDirective."""
    if type(request) is not bytes:
        request = _data(request, "directive_sign", "request")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _directive_sign(request, _SIZES[len(request)] if request else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def directive_verify(request: Bytes | None) -> Result:
    """``peat_directive_verify``: request is a peat.security.v1.VerifyRequest, output a VerifyResult."""
    if type(request) is not bytes:
        request = _data(request, "directive_verify", "request")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _directive_verify(request, _SIZES[len(request)] if request else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def directive_target_signed(request: Bytes | None) -> Result:
    """``peat_directive_target_signed``: request is a peat.security.v1.SignedTargetRequest, output a
    SignedTargetDecision."""
    if type(request) is not bytes:
        request = _data(request, "directive_target_signed", "request")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _directive_target_signed(request, _SIZES[len(request)] if request else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def artifact_new(artifact: Bytes | None) -> Tuple[int, int, bytes]:
    """``peat_artifact_new``: returns ``(status, handle, output)``.

    ``artifact`` is a serialized peat.directive.v1.ArtifactSpec. On status 0
    ``handle`` is the new verification handle (release it with
    :func:`artifact_free`) and ``output`` is empty; otherwise ``handle`` is 0
    and ``output`` the error.
    """
    if type(artifact) is not bytes:
        artifact = _data(artifact, "artifact_new", "artifact")
    handle = _c_uint64(0)
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _artifact_new(artifact, _SIZES[len(artifact)] if artifact else _ZERO, _byref(handle), ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, int(handle.value), result


def artifact_update(handle: int, chunk: Bytes | None) -> Result:
    """``peat_artifact_update``: feeds the next chunk; output is empty on status 0."""
    if type(handle) is not int or not 0 <= handle <= _U64_MAX:
        handle = _u64(handle, "artifact_update", "handle")
    if type(chunk) is not bytes:
        chunk = _data(chunk, "artifact_update", "chunk")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _artifact_update(_c_uint64(handle), chunk, _SIZES[len(chunk)] if chunk else _ZERO, ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def artifact_finish(handle: int) -> Result:
    """``peat_artifact_finish``: output is a peat.security.v1.ArtifactResult on status 0."""
    if type(handle) is not int or not 0 <= handle <= _U64_MAX:
        handle = _u64(handle, "artifact_finish", "handle")
    try:
        slot = _pop_slot()
    except IndexError:
        slot = _new_slot()
    out, ref = slot
    rc = _artifact_finish(_c_uint64(handle), ref)
    try:
        n = out.len
        result = out.data[:n] if n else b""
    finally:
        _free(ref)
    _put_slot(slot)
    return rc, result


def artifact_free(handle: int) -> None:
    """``peat_artifact_free``: releases a verification handle; 0, freed and unknown handles are no-ops."""
    if type(handle) is not int or not 0 <= handle <= _U64_MAX:
        handle = _u64(handle, "artifact_free", "handle")
    _artifact_free(_c_uint64(handle))


def _refuse_after_fork() -> None:
    # peat.h rule 7: a Go runtime does not survive fork() without exec(); a
    # call in the child could hang. Make every call fail loudly instead.
    def refused(*_args: object) -> int:
        raise LibraryUnavailableError(
            "libpeat cannot be used in a process created by fork() after it was loaded; "
            "use multiprocessing's 'spawn' or 'forkserver' start method"
        )

    g = globals()
    for name in _SIGNATURES:  # every entry point, by its variable: peat_convert -> _convert
        g["_free" if name == "peat_buf_free" else "_" + name[len("peat_"):]] = refused


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_refuse_after_fork)
