"""validate, validate_or_raise, validate_batch and sanitize."""

from __future__ import annotations

import pytest

import peat
from peat.pb.cap.cell.v1.cell_pb2 import CellState
from peat.pb.cap.common.v1.common_pb2 import Metadata
from peat.pb.cap.node.v1.node_pb2 import NodeConfig, NodeState

from conftest import NOW, cell_state, node_config, node_state


def test_valid_message_gives_an_empty_report() -> None:
    report = peat.validate(node_config(n_caps=3), now=NOW)
    assert report.valid and report.decoded and not report.violations
    assert report.type == "cap.node.v1.NodeConfig"


def test_violations_carry_code_path_and_message() -> None:
    cfg = node_config(n_caps=2)
    cfg.capabilities[1].confidence = 1.5
    cfg.platform_type = ""
    report = peat.validate(cfg, now=NOW)
    assert not report.valid
    got = [(v.code, v.path) for v in report.violations]
    assert got == [("INVALID_CONFIDENCE", "capabilities[1].confidence"), ("REQUIRED_FIELD", "platform_type")]
    assert all(v.message for v in report.violations)


def test_validate_accepts_bytes_in_every_format() -> None:
    cfg = node_config()
    for fmt in ("binary", "json", "rust-json"):
        report = peat.validate(peat.encode(cfg, fmt), type=NodeConfig, format=fmt, now=NOW)
        assert report.valid, fmt


def test_validate_or_raise() -> None:
    assert peat.validate_or_raise(node_config(), now=NOW).valid
    full = cell_state(members=tuple(f"n{i}" for i in range(9)))  # max_size is 8
    with pytest.raises(peat.ValidationError) as exc:
        peat.validate_or_raise(full, now=NOW)
    e = exc.value
    assert e.code == "CELL_FULL" and e.path == "members"
    assert e.report.violations[0].code == "CELL_FULL"
    assert isinstance(e, peat.InvalidMessageError) and e.status_name == "INVALID_MESSAGE"


def test_now_and_skew_options_drive_the_future_rule() -> None:
    st = node_state(seconds=NOW + 1000)
    assert [v.code for v in peat.validate(st, now=NOW).violations] == ["INVALID_TIMESTAMP"]
    assert peat.validate(st, now=NOW, max_future_skew_seconds=2000).valid
    assert peat.validate(st, now=NOW + 1000).valid


def test_unknown_enum_values_option() -> None:
    st = node_state()
    st.health = 42  # type: ignore[assignment]
    assert [v.code for v in peat.validate(st, now=NOW).violations] == ["INVALID_ENUM"]
    assert peat.validate(st, now=NOW, allow_unknown_enum_values=True).valid


def test_batch_reports_in_order_with_undecodable_inputs() -> None:
    good = node_state().SerializeToString()
    bad_state = node_state()
    bad_state.position.latitude = 123.0
    report = peat.validate_batch([good, b"\xff\xff", bad_state.SerializeToString(), node_state()],
                                 type=NodeState, now=NOW)
    assert [r.valid for r in report.reports] == [True, False, False, True]
    assert [r.decoded for r in report.reports] == [True, False, True, True]
    assert report.valid_count == 2 and report.invalid_count == 2 and report.undecodable_count == 1
    assert report.reports[1].violations[0].code == "DECODE_ERROR"


def test_batch_of_message_objects_infers_the_type() -> None:
    report = peat.validate_batch([node_state(), node_state(seconds=NOW - 5)], now=NOW)
    assert report.valid_count == 2
    with pytest.raises(TypeError):
        peat.validate_batch([])
    assert len(peat.validate_batch([], type=NodeState).reports) == 0


def test_sanitize_strips_control_characters() -> None:
    cfg = node_config()
    cfg.platform_type = "UAV\x07\x00"
    result = peat.sanitize(cfg)
    assert isinstance(result.message, NodeConfig)
    assert result.message.platform_type == "UAV"
    assert [(c.path, c.code) for c in result.changes] == [("platform_type", "CONTROL_CHARS_REMOVED")]
    assert cfg.platform_type == "UAV\x07\x00"  # input untouched


def test_sanitize_bytes_returns_bytes_in_the_requested_format() -> None:
    md = Metadata()
    md.fields["key\x01"] = "value\x02"
    result = peat.sanitize(md.SerializeToString(), type=Metadata, to="json")
    assert isinstance(result.message, bytes) and b"\\u0001" not in result.message
    assert result.changes
    clean = peat.sanitize(cell_state())
    assert clean.changes == [] and clean.message == cell_state()
    assert isinstance(peat.sanitize(node_config().SerializeToString(), type=NodeConfig).message, bytes)


def test_directive_validation_goes_through_validate() -> None:
    from peat.pb.peat.directive.v1.directive_pb2 import DeploymentDirective

    report = peat.validate(DeploymentDirective(), now=NOW)
    assert not report.valid
    assert "directive_id" in {v.path for v in report.violations}


def test_cell_state_checks() -> None:
    st = cell_state()
    st.leader_id = "stranger"
    assert [(v.code, v.path) for v in peat.validate(st, now=NOW).violations] == [("INVALID_LEADER", "leader_id")]
    assert isinstance(st, CellState)
