"""Every case in tests/vectors/*/manifest.json through the raw C-call layer.

Each case is one C call; the binding must return the recorded status and the
exact recorded output bytes, and the decoded extras (error code, validation
verdict and violations, targeting decision) must match.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from peat import lowlevel
from peat.pb.peat.api.v1.api_pb2 import Error
from peat.pb.peat.directive.v1.directive_pb2 import TargetDecision
from peat.pb.peat.validation.v1.validation_pb2 import ValidationReport

from conftest import VECTORS

FORMATS = {"binary": 1, "json": 2, "rust-json": 3}
EXPECT_KEYS = {"status", "output", "code", "valid", "violations", "targeted"}


def _cases() -> list[Any]:
    params = []
    for manifest in sorted(VECTORS.glob("*/manifest.json")):
        m = json.loads(manifest.read_text())
        for case in m["cases"]:
            params.append(pytest.param(manifest.parent, case, id=f"{m['area']}:{case['name']}"))
    return params


CASES = _cases()


def test_vectors_present() -> None:
    areas = {p.values[0].name for p in CASES}
    assert {"convert", "validate"} <= areas, f"areas found: {sorted(areas)}"


def run(d: Path, case: dict[str, Any]) -> tuple[int, bytes]:
    """Makes the one C call a case describes."""
    ins = [(d / n).read_bytes() for n in case.get("inputs") or []]

    def arg(i: int) -> bytes | None:
        return ins[i] if i < len(ins) else None

    name = case.get("type", "").encode()
    frm = FORMATS.get(case.get("from", ""), 0)
    to = FORMATS.get(case.get("to", ""), 0)
    opts = (d / case["options"]).read_bytes() if case.get("options") else None
    op = case["op"]
    if op == "convert":
        return lowlevel.convert(name, frm, to, arg(0))
    if op == "compress":
        return lowlevel.compress(arg(0))
    if op == "decompress":
        return lowlevel.decompress(arg(0), case.get("max_out", 0))
    if op == "validate":
        return lowlevel.validate(name, frm, arg(0), opts)
    if op == "validate_batch":
        return lowlevel.validate_batch(name, frm, ins, opts)
    if op == "sanitize":
        return lowlevel.sanitize(name, frm, to, arg(0))
    if op == "merge":
        return lowlevel.merge(name, frm, to, arg(0), arg(1))
    if op == "merge_batch":
        return lowlevel.merge_batch(name, frm, to, ins)
    if op == "doc_new":
        return lowlevel.doc_new(name, arg(0))
    if op == "doc_apply":
        return lowlevel.doc_apply(name, arg(0), arg(1))
    if op == "doc_merge":
        return lowlevel.doc_merge(name, arg(0), arg(1))
    if op == "doc_materialize":
        return lowlevel.doc_materialize(name, to, arg(0))
    if op == "directive_target":
        return lowlevel.directive_target(arg(0))
    if op == "directive_advance":
        return lowlevel.directive_advance(arg(0))
    if op == "directive_summarize":
        return lowlevel.directive_summarize(arg(0))
    pytest.fail(f"unknown op {op!r} in vector {case['name']!r}: the binding must learn it")


@pytest.mark.parametrize("d,case", CASES)
def test_vector(d: Path, case: dict[str, Any]) -> None:
    expect = case["expect"]
    unknown = set(expect) - EXPECT_KEYS
    assert not unknown, f"unknown expectations {unknown}: the binding must learn to check them"
    status, out = run(d, case)
    assert lowlevel.status_name(status) == expect["status"], out
    if status != 0:
        err = Error.FromString(out)
        assert err.status == status
        if "code" in expect:
            assert err.code == expect["code"]
        return
    if "output" in expect:
        assert out == (d / expect["output"]).read_bytes()
    if "valid" in expect or "violations" in expect:
        assert case["op"] == "validate"
        report = ValidationReport.FromString(out)
        if "valid" in expect:
            assert report.valid is expect["valid"]
        got = [{"code": v.code, "path": v.path} for v in report.violations]
        assert got == expect.get("violations", [])
    if "targeted" in expect:
        assert TargetDecision.FromString(out).targeted is expect["targeted"]
