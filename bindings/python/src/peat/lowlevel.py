"""The raw C calls of libpeat, one Python function per entry point of peat.h.

Each function takes bytes and returns ``(status, output)``: ``status`` is the
int32 the C call returned and ``output`` the bytes of its ``peat_buf`` (the
result on ``PEAT_OK``, else a serialized ``peat.api.v1.Error``). Nothing here
raises on a non-zero status; the high-level modules turn statuses into
exceptions. The library buffer is always copied into Python ``bytes`` and
freed before the function returns.

Calls go through :mod:`ctypes`, which releases the GIL for the duration of
every foreign call, so threads call into libpeat in parallel. libpeat keeps no
per-call state, so every function is safe from any number of threads.
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path
from typing import Sequence, Tuple, Union

__all__ = [
    "ABI_MAJOR",
    "ABI_MINOR",
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
    "directive_target",
    "directive_advance",
    "directive_summarize",
]

#: ABI version this binding is written for (PEAT_ABI_MAJOR/MINOR of peat.h).
ABI_MAJOR = 1
ABI_MINOR = 0

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
    _fields_ = [("data", ctypes.c_void_p), ("len", ctypes.c_size_t)]


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


def _symbol(name: str):  # type: ignore[no-untyped-def]
    try:
        return getattr(_lib, name)
    except AttributeError:
        raise IncompatibleLibraryError(f"libpeat at {_path} lacks {name}; it is not a complete libpeat") from None


_abi_version = _lib.peat_abi_version
_version = _symbol("peat_version")
_version.restype = ctypes.c_char_p
_version.argtypes = []
_status_name = _symbol("peat_status_name")
_status_name.restype = ctypes.c_char_p
_status_name.argtypes = [ctypes.c_int32]
_free = _symbol("peat_buf_free")
_free.restype = None
# The remaining functions keep ctypes' default argument conversion (no
# argtypes), which costs markedly less per call than declared argtypes and is
# exact for what we pass: bytes become const char*/const uint8_t*, None NULL,
# byref() a pointer, a Python int a C int (= int32_t); every size_t and
# uint64_t is passed as a c_size_t/c_uint64 object (_n below), never as a
# bare int, whose upper half would be undefined.
_types = _symbol("peat_types")
_convert = _symbol("peat_convert")
_compress = _symbol("peat_compress")
_decompress = _symbol("peat_decompress")
_validate = _symbol("peat_validate")
_validate_batch = _symbol("peat_validate_batch")
_sanitize = _symbol("peat_sanitize")
_merge = _symbol("peat_merge")
_merge_batch = _symbol("peat_merge_batch")
_doc_new = _symbol("peat_doc_new")
_doc_apply = _symbol("peat_doc_apply")
_doc_merge = _symbol("peat_doc_merge")
_doc_materialize = _symbol("peat_doc_materialize")
_directive_target = _symbol("peat_directive_target")
_directive_advance = _symbol("peat_directive_advance")
_directive_summarize = _symbol("peat_directive_summarize")

_byref = ctypes.byref
_c_char = ctypes.c_char
_c_size_t = ctypes.c_size_t
_c_uint64 = ctypes.c_uint64


_ZERO = _c_size_t(0)


def _n(b: bytes | None) -> ctypes.c_size_t:
    return _c_size_t(len(b)) if b else _ZERO


def _b(b: Bytes | None) -> bytes | None:
    if b is None or type(b) is bytes:
        return b  # type: ignore[return-value]
    return bytes(b)


def _take(buf: _Buf) -> bytes:
    """Copies a libpeat buffer into bytes and frees it."""
    n = buf.len
    if not n:
        _free(_byref(buf))
        return b""
    out = (_c_char * n).from_address(buf.data).raw
    _free(_byref(buf))
    return out


def library_path() -> str:
    """The path libpeat was loaded from."""
    return _path


def abi_version() -> int:
    """``peat_abi_version()``: ``(major << 16) | minor``."""
    return _abi_version()


def version() -> str:
    """``peat_version()``: the library version string."""
    return _version().decode()


def status_name(status: int) -> str:
    """``peat_status_name()``: the stable name of a status ("DECODE_ERROR", ...)."""
    return _status_name(status).decode()


def types() -> Result:
    """``peat_types``: output is a peat.api.v1.TypeList."""
    out = _Buf()
    rc = _types(_byref(out))
    return rc, _take(out)


def convert(type_name: bytes, from_format: int, to_format: int, data: Bytes | None) -> Result:
    """``peat_convert``."""
    data = _b(data)
    out = _Buf()
    rc = _convert(type_name, from_format, to_format, data, _n(data), _byref(out))
    return rc, _take(out)


def compress(data: Bytes | None) -> Result:
    """``peat_compress``."""
    data = _b(data)
    out = _Buf()
    rc = _compress(data, _n(data), _byref(out))
    return rc, _take(out)


def decompress(data: Bytes | None, max_out: int = 0) -> Result:
    """``peat_decompress`` (max_out 0 selects the library default)."""
    data = _b(data)
    out = _Buf()
    rc = _decompress(data, _n(data), _c_uint64(max_out), _byref(out))
    return rc, _take(out)


def validate(type_name: bytes, fmt: int, data: Bytes | None, options: Bytes | None = None) -> Result:
    """``peat_validate``: output is a peat.validation.v1.ValidationReport."""
    data = _b(data)
    options = _b(options)
    out = _Buf()
    rc = _validate(type_name, fmt, data, _n(data), options, _n(options), _byref(out))
    return rc, _take(out)


def _array(items: Sequence[Bytes]) -> tuple[object, object, list[bytes]]:
    keep = [_b(m) for m in items]
    ptrs = (ctypes.c_char_p * len(keep))(*keep)
    lens = (_c_size_t * len(keep))(*map(len, keep))
    return ptrs, lens, keep  # keep holds the bytes alive during the call


def validate_batch(type_name: bytes, fmt: int, messages: Sequence[Bytes], options: Bytes | None = None) -> Result:
    """``peat_validate_batch``: output is a peat.validation.v1.BatchValidationReport."""
    ptrs, lens, keep = _array(messages)
    options = _b(options)
    out = _Buf()
    rc = _validate_batch(
        type_name, fmt, ptrs if keep else None, lens if keep else None, _c_size_t(len(keep)),
        options, _n(options), _byref(out),
    )
    return rc, _take(out)


def sanitize(type_name: bytes, from_format: int, to_format: int, data: Bytes | None) -> Result:
    """``peat_sanitize``: output is a peat.validation.v1.SanitizeResult."""
    data = _b(data)
    out = _Buf()
    rc = _sanitize(type_name, from_format, to_format, data, _n(data), _byref(out))
    return rc, _take(out)


def merge(type_name: bytes, from_format: int, to_format: int, a: Bytes | None, b: Bytes | None) -> Result:
    """``peat_merge``."""
    a = _b(a)
    b = _b(b)
    out = _Buf()
    rc = _merge(type_name, from_format, to_format, a, _n(a), b, _n(b), _byref(out))
    return rc, _take(out)


def merge_batch(type_name: bytes, from_format: int, to_format: int, messages: Sequence[Bytes]) -> Result:
    """``peat_merge_batch``."""
    ptrs, lens, keep = _array(messages)
    out = _Buf()
    rc = _merge_batch(
        type_name, from_format, to_format, ptrs if keep else None, lens if keep else None,
        _c_size_t(len(keep)), _byref(out),
    )
    return rc, _take(out)


def doc_new(doc_type: bytes, init: Bytes | None = None) -> Result:
    """``peat_doc_new``: output is the document."""
    init = _b(init)
    out = _Buf()
    rc = _doc_new(doc_type, init, _n(init), _byref(out))
    return rc, _take(out)


def doc_apply(doc_type: bytes, doc: Bytes | None, op: Bytes | None) -> Result:
    """``peat_doc_apply``: output is a peat.crdt.v1.ApplyResult."""
    doc = _b(doc)
    op = _b(op)
    out = _Buf()
    rc = _doc_apply(doc_type, doc, _n(doc), op, _n(op), _byref(out))
    return rc, _take(out)


def doc_merge(doc_type: bytes, a: Bytes | None, b: Bytes | None) -> Result:
    """``peat_doc_merge``: output is the merged document."""
    a = _b(a)
    b = _b(b)
    out = _Buf()
    rc = _doc_merge(doc_type, a, _n(a), b, _n(b), _byref(out))
    return rc, _take(out)


def doc_materialize(doc_type: bytes, to_format: int, doc: Bytes | None) -> Result:
    """``peat_doc_materialize``: output is the plain ICD message."""
    doc = _b(doc)
    out = _Buf()
    rc = _doc_materialize(doc_type, to_format, doc, _n(doc), _byref(out))
    return rc, _take(out)


def directive_target(request: Bytes | None) -> Result:
    """``peat_directive_target``: output is a peat.directive.v1.TargetDecision."""
    request = _b(request)
    out = _Buf()
    rc = _directive_target(request, _n(request), _byref(out))
    return rc, _take(out)


def directive_advance(request: Bytes | None) -> Result:
    """``peat_directive_advance``: output is a peat.directive.v1.DeploymentStatus."""
    request = _b(request)
    out = _Buf()
    rc = _directive_advance(request, _n(request), _byref(out))
    return rc, _take(out)


def directive_summarize(request: Bytes | None) -> Result:
    """``peat_directive_summarize``: output is a peat.directive.v1.RolloutSummary."""
    request = _b(request)
    out = _Buf()
    rc = _directive_summarize(request, _n(request), _byref(out))
    return rc, _take(out)


def _refuse_after_fork() -> None:
    # peat.h rule 7: a Go runtime does not survive fork() without exec(); a
    # call in the child could hang. Make every call fail loudly instead.
    def refused(*_args: object) -> int:
        raise LibraryUnavailableError(
            "libpeat cannot be used in a process created by fork() after it was loaded; "
            "use multiprocessing's 'spawn' or 'forkserver' start method"
        )

    g = globals()
    for name in (
        "_abi_version", "_version", "_status_name", "_free", "_types", "_convert", "_compress",
        "_decompress", "_validate", "_validate_batch", "_sanitize", "_merge", "_merge_batch",
        "_doc_new", "_doc_apply", "_doc_merge", "_doc_materialize", "_directive_target",
        "_directive_advance", "_directive_summarize",
    ):
        g[name] = refused


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_refuse_after_fork)
