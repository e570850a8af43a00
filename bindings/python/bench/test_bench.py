"""Benchmarks of the Python binding (make bench-python -> build/bench/python.json).

Each benchmark times one public call as a user makes it (bytes in, parsed
result out); names match the other languages' so the report can compare.
"""

from __future__ import annotations

import peat
from peat import lowlevel
from peat.pb.cap.cell.v1.cell_pb2 import CellState
from peat.pb.cap.node.v1.node_pb2 import NodeConfig, NodeState

from conftest import read_input
from pure_python import validate_node_config

NODECONFIG = "cap.node.v1.NodeConfig"


def test_abi_version(benchmark, record) -> None:  # type: ignore[no-untyped-def]
    assert benchmark(lowlevel.abi_version) >> 16 == 1
    record("abi_version", note="lowlevel.abi_version(): one ctypes call, GIL released")


def test_convert_empty_bin_to_bin(benchmark, record) -> None:  # type: ignore[no-untyped-def]
    # the smallest real call: six arguments checked and converted, one buffer copied and freed
    status, out = benchmark(lowlevel.convert, NODECONFIG.encode(), 1, 1, b"")
    assert status == 0 and out == b""
    record("convert_empty_bin_to_bin", note="lowlevel.convert(): argument checks + one ctypes call + buffer free")


def test_validate_nodeconfig_small(benchmark, record) -> None:  # type: ignore[no-untyped-def]
    data = read_input("nodeconfig_small.bin")
    report = benchmark(peat.validate, data, type=NODECONFIG)
    assert report.decoded
    record("validate_nodeconfig_small", note="peat.validate(bytes) incl. parsing the report")


def test_validate_nodeconfig_50kb(benchmark, record) -> None:  # type: ignore[no-untyped-def]
    data = read_input("nodeconfig_50kb.bin")
    assert 40_000 < len(data) <= 50 * 1024
    report = benchmark(peat.validate, data, type=NODECONFIG)
    assert report.decoded
    record("validate_nodeconfig_50kb", note="peat.validate(bytes) incl. parsing the report")


def test_validate_nodeconfig_50kb_pure_python(benchmark, record) -> None:  # type: ignore[no-untyped-def]
    data = read_input("nodeconfig_50kb.bin")
    violations = benchmark(validate_node_config, data)
    # the same verdict as libpeat on this input
    assert [(v.code, v.path) for v in peat.validate(data, type=NODECONFIG).violations] == violations
    record("validate_nodeconfig_50kb_pure_python", note="the NodeConfig rules hand-written over the generated classes")


def test_merge_cellstate8(benchmark, record) -> None:  # type: ignore[no-untyped-def]
    a, b = read_input("cellstate8_a.bin"), read_input("cellstate8_b.bin")
    out = benchmark(peat.merge, a, b, type=CellState)
    assert CellState.FromString(out).config.id
    record("merge_cellstate8", note="peat.merge(bytes, bytes)")


def _doc_merge(size: str, benchmark, record) -> None:  # type: ignore[no-untyped-def]
    a = peat.CellDocument(read_input(f"celldoc_{size}_a.bin"))
    b = peat.CellDocument(read_input(f"celldoc_{size}_b.bin"))
    merged = benchmark(a.merge, b)
    assert merged == b.merge(a)
    record(f"doc_merge_cell_{size}", note="CellDocument.merge")


def test_doc_merge_cell_10k(benchmark, record) -> None:  # type: ignore[no-untyped-def]
    _doc_merge("10k", benchmark, record)


def test_doc_merge_cell_100k(benchmark, record) -> None:  # type: ignore[no-untyped-def]
    _doc_merge("100k", benchmark, record)


def test_validate_batch_1000(benchmark, record) -> None:  # type: ignore[no-untyped-def]
    batch = [read_input("nodestate_small.bin")] * 1000
    report = benchmark(peat.validate_batch, batch, type=NodeState)
    assert len(report.reports) == 1000
    record("validate_batch_1000", per=1000, note="peat.validate_batch of 1,000 NodeStates, per message")


def test_convert_nodeconfig_bin_to_json(benchmark, record) -> None:  # type: ignore[no-untyped-def]
    data = read_input("nodeconfig_small.bin")
    out = benchmark(peat.convert, data, type=NodeConfig, to="json")
    assert out.startswith(b"{")
    record("convert_nodeconfig_bin_to_json", note="peat.convert(bytes, to='json')")
