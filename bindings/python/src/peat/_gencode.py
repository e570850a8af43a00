"""Builds the classes of the generated ``peat.pb`` modules at import, on protobuf 5.x, 6.x and 7.x.

protoc's own Python output ("gencode") of protobuf major V starts with
``runtime_version.ValidateProtobufRuntimeVersion(...)`` and refuses to import
on any runtime but V and V+1, so no single protoc can serve protobuf 5, 6 and
7. The ``peat.pb`` modules are therefore written by the build
(``buildsupport.py``) from protoc's output: each keeps the serialized
``FileDescriptorProto`` protoc embedded and its imports, and calls
:func:`build` instead of protoc's preamble.

:func:`build` adds the file to the default descriptor pool and creates the
message classes, enum wrappers and enum constants with the runtime's
``google.protobuf.internal.builder`` — the module every gencode since
protobuf 3.20 calls, with the same two calls, so each runtime keeps it for
the gencode it supports. The classes are exactly the ones protoc's gencode
would create (same ``__module__`` and ``__qualname__``, registered in the
symbol database). docs/COMPATIBILITY.md, "Python: protobuf and Python versions",
has the measurements.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pool
from google.protobuf.descriptor import FileDescriptor
from google.protobuf.internal import builder

__all__ = ["build"]


def build(module_name: str, namespace: dict[str, Any], serialized: bytes) -> FileDescriptor:
    """Adds a serialized FileDescriptorProto to the default pool and fills ``namespace`` like gencode.

    ``namespace`` gets the file's message classes and enum wrappers by name,
    its top-level enum values, extensions, and the ``_NAME`` descriptors;
    the file descriptor is returned (the module's ``DESCRIPTOR``).
    """
    file: FileDescriptor = descriptor_pool.Default().AddSerializedFile(serialized)  # type: ignore[no-untyped-call]
    builder.BuildMessageAndEnumDescriptors(file, namespace)
    builder.BuildTopDescriptorsAndMessages(file, module_name, namespace)
    return file
