"""Bad input raises the right PeatError subclass, with the library's code and path."""

from __future__ import annotations

import pytest

import peat
from peat.pb.cap.node.v1.node_pb2 import NodeConfig, NodeState
from peat.pb.cap.common.v1.common_pb2 import Position

from conftest import NOW, node_config, node_state


@pytest.mark.parametrize("data", [b"\xff\xff\xff", b"\x0a\x10abc", b"\x08", bytes(range(256))])
def test_garbage_and_truncated_bytes_raise_decode_error(data: bytes) -> None:
    with pytest.raises(peat.DecodeError) as exc:
        peat.decode(data, NodeConfig)
    e = exc.value
    assert e.status == 3 and e.status_name == "DECODE_ERROR" and e.code and e.message
    assert isinstance(e, ValueError) and isinstance(e, peat.PeatError)


def test_invalid_utf8_raises_decode_error_but_validates_as_a_violation() -> None:
    bad = b"\x0a\x02\xc3\x28"  # field 1 (id) with invalid UTF-8
    with pytest.raises(peat.DecodeError) as exc:
        peat.decode(bad, NodeConfig)
    assert exc.value.code == "INVALID_UTF8"
    # validation repairs a private copy and reports the string (docs/VALIDATION.md)
    report = peat.validate(bad, type=NodeConfig)
    assert ("INVALID_STRING", "id") in [(v.code, v.path) for v in report.violations]
    with pytest.raises(peat.DecodeError) as exc:
        peat.validate(b"\xff\xfe", type=NodeConfig, format="json")
    assert exc.value.code == "INVALID_UTF8"


def test_bad_json_raises_decode_error() -> None:
    for text in ('{"id": 5}', "{", "[]", '{"id": "a", "id": "b"}'):
        with pytest.raises(peat.DecodeError):
            peat.decode(text, NodeConfig, "json")


def test_unknown_type_raises_unknown_type_error() -> None:
    with pytest.raises(peat.UnknownTypeError) as exc:
        peat.convert(b"", type="cap.node.v1.Nope", to="json")
    assert exc.value.status_name == "UNKNOWN_TYPE"
    with pytest.raises(peat.UnknownTypeError):
        peat.validate(b"", type="no.such.Type")


def test_oversize_input_raises_too_large_error() -> None:
    huge = node_config(n_caps=1)
    huge.platform_type = "x" * (2 << 20)  # far over NodeConfig's ICD §3.3 limit
    with pytest.raises(peat.TooLargeError) as exc:
        peat.validate(huge)
    assert exc.value.status_name == "MESSAGE_TOO_LARGE"
    with pytest.raises(peat.TooLargeError):
        peat.convert(huge, to="json")


def test_huge_repeated_field_is_refused_not_hung() -> None:
    cfg = node_config(n_caps=0)
    for i in range(60_000):
        cfg.capabilities.add(id=f"c{i}")
    with pytest.raises(peat.TooLargeError):
        peat.validate(cfg)
    # a project type (64 MiB limit) with a huge repeated field decodes fine
    batch = [node_state().SerializeToString()] * 5000
    report = peat.validate_batch(batch, type=NodeState, now=NOW)
    assert len(report.reports) == 5000 and report.valid_count == 5000


def test_wrong_argument_types_raise_type_error() -> None:
    with pytest.raises(TypeError):
        peat.validate(12345, type=NodeConfig)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        peat.merge(node_config(), Position())
    with pytest.raises(TypeError):
        peat.CellDocument(123)  # type: ignore[arg-type]


def test_error_carries_field_path_when_known() -> None:
    from peat.pb.peat.directive.v1.directive_pb2 import AdvanceRequest

    status, out = peat.lowlevel.directive_advance(AdvanceRequest().SerializeToString())
    assert status != 0
    err = peat.errors.error_from(status, out)
    assert type(err) is peat.errors._BY_STATUS[status]
    assert str(err).startswith(err.code)


def test_unknown_status_maps_to_base_class() -> None:
    err = peat.errors.error_from(77, b"")
    assert type(err) is peat.PeatError and err.status_name == "UNKNOWN_STATUS"


def test_corrupt_error_buffer_keeps_the_status() -> None:
    err = peat.errors.error_from(3, b"\xff\xff")
    assert isinstance(err, peat.DecodeError) and err.code == "DECODE_ERROR"
