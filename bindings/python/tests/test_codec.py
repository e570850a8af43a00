"""Type registry, conversion between the three formats, compression."""

from __future__ import annotations

import json

import pytest

import peat
from peat import Format
from peat.pb.cap.cell.v1.cell_pb2 import CellState
from peat.pb.cap.node.v1.node_pb2 import NodeConfig, NodeState
from peat.pb.peat.crdt.v1.crdt_pb2 import CellDoc

from conftest import node_config, node_state


def test_abi_and_versions() -> None:
    major, minor = peat.abi_version()
    assert major == peat.lowlevel.ABI_MAJOR and minor >= peat.lowlevel.ABI_MINOR
    assert peat.library_version().count(".") == 2
    assert peat.library_path().endswith("libpeat.so.1") or "libpeat" in peat.library_path()


def test_abi_version_is_the_tuple_and_the_packed_number_c_returns() -> None:
    # issue 15 item 10: C, C++ and Java return (major << 16) | minor; Python a tuple
    v = peat.abi_version()
    assert isinstance(v, peat.AbiVersion) and isinstance(v, tuple)
    assert v == (v.major, v.minor) and v >= (1, 0) and list(v) == [v.major, v.minor]
    assert v.packed == int(v) == peat.lowlevel.abi_version() == (v.major << 16) | v.minor
    assert peat.lowlevel.abi_version() >> 16 == peat.lowlevel.ABI_MAJOR


def test_types_lists_icd_and_project_types_sorted() -> None:
    names = peat.types()
    assert names == sorted(names)
    for name in ("cap.node.v1.NodeConfig", "cap.cell.v1.CellState", "peat.crdt.v1.CellDoc",
                 "peat.directive.v1.DeploymentDirective"):
        assert name in names


def test_every_registered_type_has_a_generated_class() -> None:
    for name in peat.types():
        assert peat.message_class(name).DESCRIPTOR.full_name == name
    with pytest.raises(peat.UnknownTypeError):
        peat.message_class("cap.node.v1.NoSuchThing")


def test_convert_round_trips_through_every_format() -> None:
    cfg = node_config(n_caps=3)
    for fmt in (Format.BINARY, Format.JSON, Format.RUST_JSON, "json", "rust-json", 2):
        encoded = peat.encode(cfg, fmt)
        assert peat.decode(encoded, NodeConfig, fmt) == cfg


def test_json_is_proto3_json_and_rust_json_uses_field_names() -> None:
    cfg = node_config()
    j = json.loads(peat.convert(cfg, to="json"))
    r = json.loads(peat.convert(cfg, to="rust-json"))
    assert j["platformType"] == "UAV" and "platform_type" not in j
    assert r["platform_type"] == "UAV"
    # bytes in, bytes out, between two text formats
    assert json.loads(peat.convert(json.dumps(j), type=NodeConfig, from_format="json", to="rust-json")) == r


def test_binary_encoding_is_canonical() -> None:
    st = node_state()
    assert peat.encode(st) == peat.convert(st.SerializeToString(), type="cap.node.v1.NodeState", to=Format.BINARY)
    assert peat.decode(peat.encode(st), NodeState) == st


def test_message_type_must_agree_with_type_argument() -> None:
    with pytest.raises(TypeError):
        peat.convert(node_config(), type=CellState)
    with pytest.raises(TypeError):
        peat.convert(b"\x0a\x01x")  # bytes without a type


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        peat.convert(node_config(), to="yaml")
    status, out = peat.lowlevel.convert(b"cap.node.v1.NodeConfig", 1, 99, b"")
    assert peat.lowlevel.status_name(status) == "INVALID_ARGUMENT"
    with pytest.raises(peat.InvalidArgumentError):
        peat.errors.raise_for_status((status, out))


def test_compress_round_trip_and_bomb_limit() -> None:
    data = b"peat " * 10_000
    frame = peat.compress(data)
    assert len(frame) < len(data) // 10
    assert peat.decompress(frame) == data
    with pytest.raises(peat.DecompressError):
        peat.decompress(frame, max_out=1000)
    with pytest.raises(peat.DecompressError):
        peat.decompress(b"not a zstd frame")


def test_decompress_max_out_is_the_c_name_and_max_size_a_deprecated_alias() -> None:
    # issue 15 item 10: peat.h, C++ and Java (maxOut) call the ceiling max_out
    data = b"peat " * 1000
    frame = peat.compress(data)
    assert peat.decompress(frame, max_out=len(data)) == data
    with pytest.raises(peat.DecompressError):
        peat.decompress(frame, max_out=len(data) - 1)
    with pytest.warns(DeprecationWarning, match="max_out"):
        assert peat.decompress(frame, max_size=len(data)) == data
    with pytest.warns(DeprecationWarning), pytest.raises(peat.DecompressError):
        peat.decompress(frame, max_size=len(data) - 1)
    with pytest.raises(TypeError, match="max_out only"):
        peat.decompress(frame, max_out=10, max_size=10)


def test_bytes_like_inputs_are_accepted() -> None:
    raw = node_config().SerializeToString()
    for value in (raw, bytearray(raw), memoryview(raw)):
        assert peat.decode(value, NodeConfig) == node_config()


def test_project_messages_convert_too() -> None:
    doc = CellDoc(id="cell-1")
    assert peat.decode(peat.encode(doc, "json"), CellDoc, "json") == doc
