"""Strict reading (issue 15 item 3): ``strict=True`` on every call that reads JSON text.

With ``strict=True`` a JSON key that names no field (a typo such as
``"cellID"``) is refused with :class:`peat.DecodeError`, code
``UNKNOWN_FIELD`` and the key's path, in both JSON dialects; without it the
key is ignored (forward compatibility, docs/COMPATIBILITY.md "Strict
reading"). Binary input is unaffected: its unknown fields are kept.
"""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest

import peat
from peat import directives, lowlevel
from peat.errors import raise_for_status
from peat.pb.cap.node.v1.node_pb2 import NodeState
from peat.pb.peat.directive.v1.directive_pb2 import DeploymentDirective, DeploymentStatus
from peat.pb.peat.validation.v1.validation_pb2 import BatchValidationReport

from conftest import NOW, node_state
from test_directives import REFERENCE

NODESTATE = "cap.node.v1.NodeState"
STATUS = ('{"directive_id":"d-1","node_id":"uav-7","reported_at":"2025-11-06T12:00:01Z","state":"pending",'
          '"progress_percent":0}')
#: Field 99 as a varint: a field of a newer schema, in binary.
UNKNOWN_BINARY_FIELD = b"\x98\x06\x01"


def _state(seconds: int = NOW - 10) -> NodeState:
    return node_state(seconds=seconds)


def _json(msg: NodeState, fmt: str, **extra: Any) -> str:
    """``msg`` as JSON text of dialect ``fmt``, with ``extra`` keys added (a ``position_`` prefix nests)."""
    doc = json.loads(peat.encode(msg, fmt))
    for key, value in extra.items():
        if key.startswith("position_"):
            doc["position"][key[len("position_"):]] = value
        else:
            doc[key] = value
    return json.dumps(doc)


#: Each public call that reads JSON text, as (name, call(text, dialect, strict) -> a comparable result).
#: The text is a NodeState. Results are normalised so that the lenient run can be compared with the
#: same call on the text without the typo.
CALLS: list[tuple[str, Callable[[str, str, bool], object]]] = [
    ("decode", lambda t, f, s: peat.decode(t, NodeState, f, strict=s)),
    ("convert", lambda t, f, s: peat.convert(t, type=NodeState, from_format=f, to="binary", strict=s)),
    ("validate", lambda t, f, s: peat.validate(t, type=NodeState, format=f, now=NOW, strict=s)),
    ("validate_or_raise", lambda t, f, s: peat.validate_or_raise(t, type=NodeState, format=f, now=NOW, strict=s)),
    ("sanitize", lambda t, f, s: peat.sanitize(t, type=NodeState, from_format=f, to="binary", strict=s)),
    ("merge", lambda t, f, s: peat.merge(t, t, type=NodeState, from_format=f, to="binary", strict=s)),
    ("merge_all", lambda t, f, s: peat.merge_all([t, t, t], type=NodeState, from_format=f, to="binary",
                                                 strict=s)),
]


@pytest.mark.parametrize("fmt,typo", [("json", "cellID"), ("rust-json", "cellId")])
@pytest.mark.parametrize("name,call", CALLS, ids=[n for n, _ in CALLS])
def test_a_typo_is_refused_when_strict_and_ignored_otherwise(name: str, call: Callable[[str, str, bool], object],
                                                             fmt: str, typo: str) -> None:
    clean = _json(_state(), fmt)
    with_typo = _json(_state(), fmt, **{typo: "cell-9"})
    with pytest.raises(peat.DecodeError) as exc:
        call(with_typo, fmt, True)
    assert exc.value.code == "UNKNOWN_FIELD" and exc.value.path == typo, exc.value
    assert typo in exc.value.message
    # lenient (the default and strict=False): the key is ignored, the result is the clean text's
    assert call(with_typo, fmt, False) == call(clean, fmt, False) == call(clean, fmt, True)


@pytest.mark.parametrize("fmt", ["json", "rust-json"])
@pytest.mark.parametrize("name,call", CALLS, ids=[n for n, _ in CALLS])
def test_a_nested_typo_reports_its_path(name: str, call: Callable[[str, str, bool], object], fmt: str) -> None:
    text = _json(_state(), fmt, position_lat=1.0)
    with pytest.raises(peat.DecodeError) as exc:
        call(text, fmt, True)
    assert (exc.value.code, exc.value.path) == ("UNKNOWN_FIELD", "position.lat")
    call(text, fmt, False)


def test_strict_is_off_by_default() -> None:
    text = _json(_state(), "json", cellID="x")
    assert peat.decode(text, NodeState, "json") == _state()
    assert peat.convert(text, type=NodeState, from_format="json", to="binary") == _state().SerializeToString()
    assert peat.validate(text, type=NodeState, format="json", now=NOW).valid
    assert peat.validate_batch([text], type=NodeState, format="json", now=NOW).reports[0].valid
    assert peat.sanitize(text, type=NodeState, from_format="json").changes == []
    assert peat.merge(text, text, type=NodeState, from_format="json", to="binary") == _state().SerializeToString()


@pytest.mark.parametrize("fmt,typo", [("json", "cellID"), ("rust-json", "cellId")])
def test_validate_batch_reports_the_unknown_key_of_each_message(fmt: str, typo: str) -> None:
    # an undecodable message does not fail the batch: its report carries the decode error
    good, bad = _json(_state(), fmt), _json(_state(), fmt, **{typo: "x"})
    batch = peat.validate_batch([good, bad, good], type=NodeState, format=fmt, now=NOW, strict=True)
    assert [r.decoded for r in batch.reports] == [True, False, True]
    assert [(v.code, v.path) for v in batch.reports[1].violations] == [("UNKNOWN_FIELD", typo)]
    assert batch.reports[0].valid and batch.reports[2].valid and batch.invalid_count == 1
    lenient = peat.validate_batch([good, bad, good], type=NodeState, format=fmt, now=NOW, strict=False)
    assert all(r.decoded and r.valid for r in lenient.reports)


def test_directive_readers_take_strict() -> None:
    doc = json.loads(REFERENCE)
    doc["options"]["prority"] = "high"  # a typo of "priority", nested
    text = json.dumps(doc)
    with pytest.raises(peat.DecodeError) as exc:
        directives.read_directive(text, strict=True)
    assert (exc.value.code, exc.value.path) == ("UNKNOWN_FIELD", "options.prority")
    assert directives.read_directive(text, strict=False) == directives.read_directive(REFERENCE)
    assert directives.read_directive(text) == directives.read_directive(REFERENCE)
    # proto3 JSON of a directive
    pj = json.loads(directives.write_directive(directives.read_directive(REFERENCE), "json"))
    pj["directiveID"] = "d-2"
    with pytest.raises(peat.DecodeError) as exc:
        directives.read_directive(json.dumps(pj), "json", strict=True)
    assert (exc.value.code, exc.value.path) == ("UNKNOWN_FIELD", "directiveID")
    assert directives.read_directive(json.dumps(pj), "json").directive_id == "d-1"

    status = json.loads(STATUS)
    status["nodeId"] = "uav-8"
    with pytest.raises(peat.DecodeError) as exc:
        directives.read_status(json.dumps(status), strict=True)
    assert (exc.value.code, exc.value.path) == ("UNKNOWN_FIELD", "nodeId")
    assert directives.read_status(json.dumps(status)) == directives.read_status(STATUS)
    assert directives.read_status(STATUS, strict=True).node_id == "uav-7"


def test_binary_input_is_unaffected_by_strict() -> None:
    # unknown fields of a newer schema, in binary, are kept (ICD §8.3) whether strict or not
    raw = _state().SerializeToString() + UNKNOWN_BINARY_FIELD
    for strict in (False, True):
        assert peat.convert(raw, type=NodeState, to="binary", strict=strict) == raw
        assert peat.decode(raw, NodeState, strict=strict).SerializeToString() == raw
        assert peat.validate(raw, type=NodeState, now=NOW, strict=strict).valid
        assert peat.validate_batch([raw, raw], type=NodeState, now=NOW, strict=strict).invalid_count == 0
        assert peat.sanitize(raw, type=NodeState, strict=strict).changes == []
        assert peat.merge(raw, raw, type=NodeState, strict=strict) == raw
        assert peat.merge_all([raw, raw, raw], type=NodeState, strict=strict) == raw
        # message objects are sent as binary
        assert peat.merge(_state(), _state(NOW - 5), strict=strict) == _state(NOW - 5)
        assert peat.validate(_state(), now=NOW, strict=strict).valid
        assert peat.convert(_state(), to="json", strict=strict) == peat.encode(_state(), "json")
    directive = directives.read_directive(REFERENCE)
    binary = directives.write_directive(directive, "binary")
    assert directives.read_directive(binary, "binary", strict=True) == directive
    status = directives.read_status(STATUS)
    assert directives.read_status(directives.write_status(status, "binary"), "binary", strict=True) == status


def test_strict_must_be_a_bool() -> None:
    text = _json(_state(), "json", cellID="x")
    calls: list[Callable[[Any], object]] = [
        lambda s: peat.decode(text, NodeState, "json", strict=s),
        lambda s: peat.convert(text, type=NodeState, from_format="json", strict=s),
        lambda s: peat.validate(text, type=NodeState, format="json", strict=s),
        lambda s: peat.validate_or_raise(text, type=NodeState, format="json", strict=s),
        lambda s: peat.validate_batch([text], type=NodeState, format="json", strict=s),
        lambda s: peat.sanitize(text, type=NodeState, from_format="json", strict=s),
        lambda s: peat.merge(text, text, type=NodeState, from_format="json", strict=s),
        lambda s: peat.merge_all([text], type=NodeState, from_format="json", strict=s),
        lambda s: directives.read_directive(REFERENCE, strict=s),
        lambda s: directives.read_status(STATUS, strict=s),
    ]
    for call in calls:
        for bad in (1, 0, lowlevel.FORMAT_FLAG_STRICT, "yes", None, 1.0):
            with pytest.raises(TypeError, match="strict must be a bool"):
                call(bad)


def test_the_flag_is_not_a_format_of_the_public_api() -> None:
    # the public API takes strict=True; a format number with the flag is refused, with a pointer to it
    for value in (peat.Format.JSON | lowlevel.FORMAT_FLAG_STRICT, 3 | lowlevel.FORMAT_FLAG_STRICT):
        with pytest.raises(peat.InvalidArgumentError, match="strict=True"):
            peat.Format.of(value)
        with pytest.raises(peat.InvalidArgumentError):
            peat.convert(b"{}", type=NodeState, from_format=value)
        with pytest.raises(peat.InvalidArgumentError):
            peat.convert(_state(), to=value)
    with pytest.raises(peat.InvalidArgumentError, match="unknown format number 256"):
        peat.Format.of(lowlevel.FORMAT_FLAG_STRICT)


# ---- peat.lowlevel: the flag is OR-ed into the format, as in C --------------------------------------

_NAME = NODESTATE.encode()
_TYPO = b'{"cellID":"x"}'


def _lowlevel_reads(fmt: int, data: bytes) -> list[tuple[str, tuple[int, bytes]]]:
    """Every low-level call that reads a format, reading ``data`` in ``fmt`` (output: binary)."""
    return [
        ("convert", lowlevel.convert(_NAME, fmt, 1, data)),
        ("validate", lowlevel.validate(_NAME, fmt, data)),
        ("sanitize", lowlevel.sanitize(_NAME, fmt, 1, data)),
        ("merge", lowlevel.merge(_NAME, fmt, 1, data, data)),
        ("merge_batch", lowlevel.merge_batch(_NAME, fmt, 1, [data, data, data])),
    ]


def test_lowlevel_strict_flag_on_the_input_format() -> None:
    assert lowlevel.FORMAT_FLAG_STRICT == 0x100  # PEAT_FORMAT_FLAG_STRICT of peat.h
    for fmt in (2, 3):
        for name, result in _lowlevel_reads(fmt | lowlevel.FORMAT_FLAG_STRICT, _TYPO):
            with pytest.raises(peat.DecodeError) as exc:
                raise_for_status(result)
            assert (exc.value.code, exc.value.path) == ("UNKNOWN_FIELD", "cellID"), name
    for name, result in _lowlevel_reads(2, _TYPO):
        assert result[0] == 0, name  # lenient: ignored
    status, out = lowlevel.validate_batch(_NAME, 2 | lowlevel.FORMAT_FLAG_STRICT, [_TYPO, b"{}"])
    assert status == 0
    report = BatchValidationReport.FromString(out)
    assert [r.decoded for r in report.reports] == [False, True]
    assert report.reports[0].violations[0].code == "UNKNOWN_FIELD"
    # binary input: ignored, the unknown field kept
    raw = _state().SerializeToString() + UNKNOWN_BINARY_FIELD
    assert lowlevel.convert(_NAME, 1 | lowlevel.FORMAT_FLAG_STRICT, 1, raw) == (0, raw)
    for name, result in _lowlevel_reads(1 | lowlevel.FORMAT_FLAG_STRICT, raw):
        assert result[0] == 0, name


def test_lowlevel_strict_flag_on_an_output_format_is_ignored() -> None:
    # peat.h: "Ignored ... for output formats"
    text = peat.encode(_state(), "json")
    flagged = 2 | lowlevel.FORMAT_FLAG_STRICT
    assert lowlevel.convert(_NAME, 2, flagged, text) == lowlevel.convert(_NAME, 2, 2, text)
    assert lowlevel.sanitize(_NAME, 2, flagged, text) == lowlevel.sanitize(_NAME, 2, 2, text)
    assert lowlevel.merge(_NAME, 2, flagged, text, text) == lowlevel.merge(_NAME, 2, 2, text, text)
    doc = peat.NodeDocument.new(replica="r1", initial=_state()).to_bytes()
    name = b"peat.crdt.v1.NodeDoc"
    assert lowlevel.doc_materialize(name, flagged, doc) == lowlevel.doc_materialize(name, 2, doc)
    # the flag alone is no format
    assert lowlevel.convert(_NAME, lowlevel.FORMAT_FLAG_STRICT, 1, b"")[0] == peat.InvalidArgumentError.STATUS


def test_types_of_the_results() -> None:
    # the readers keep their return types with strict=True
    assert isinstance(directives.read_directive(REFERENCE, strict=True), DeploymentDirective)
    assert isinstance(directives.read_status(STATUS, strict=True), DeploymentStatus)
    merged: NodeState = peat.merge(_state(), _state(), strict=True)
    assert isinstance(merged, NodeState)
