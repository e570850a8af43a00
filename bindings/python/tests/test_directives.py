"""Deployment directives: rust-json, targeting, the status machine, rollout summaries."""

from __future__ import annotations

import json

import pytest

import peat
from peat import directives
from peat.pb.cap.common.v1.common_pb2 import Timestamp
from peat.pb.cap.node.v1.node_pb2 import NodeState
from peat.pb.peat.directive.v1 import directive_pb2 as d

from conftest import NOW, node_config

REFERENCE = (
    '{"directive_id":"d-1","issued_at":"2025-11-06T12:00:00Z","issuer_node_id":"c2",'
    '"scope":{"type":"broadcast"},"artifact":{"blob_hash":"sha256:def456","size_bytes":100000000,'
    '"artifact_type":{"type":"container","runtime":"docker","ports":[],"env":{}}},"capabilities":[],'
    '"config":null,"options":{"priority":"normal","timeout_seconds":300,"replace_existing":false,"auto_activate":true}}'
)
ISSUED = 1762430400  # 2025-11-06T12:00:00Z


def test_read_and_write_reference_json() -> None:
    directive = directives.read_directive(REFERENCE)
    assert directive.directive_id == "d-1" and directive.scope.HasField("broadcast")
    assert directive.issued_at.seconds == ISSUED
    assert json.loads(directives.write_directive(directive)) == json.loads(REFERENCE)
    assert directives.read_directive(directives.write_directive(directive, "json"), "json") == directive


def test_writers_return_bytes_in_every_format_and_readers_take_bytes_or_text() -> None:
    # issue 15 item 10: decided and documented (README, docstrings): bytes, as peat.encode
    directive = directives.read_directive(REFERENCE)
    status = directives.read_status('{"directive_id":"d-1","node_id":"uav-7","reported_at":"2025-11-06T12:00:01Z",'
                                    '"state":"pending","progress_percent":0}')
    for fmt in ("binary", "json", "rust-json"):
        data = directives.write_directive(directive, fmt)
        assert type(data) is bytes and data == peat.encode(directive, fmt)
        assert directives.read_directive(data, fmt) == directive
        out = directives.write_status(status, fmt)
        assert type(out) is bytes and directives.read_status(out, fmt) == status
        if fmt != "binary":
            assert directives.read_directive(data.decode(), fmt) == directive
            assert directives.read_status(out.decode(), fmt) == status


def test_bad_reference_json_raises_decode_error() -> None:
    with pytest.raises(peat.DecodeError):
        directives.read_directive('{"directive_id":"d-1"}')


def test_status_json() -> None:
    text = ('{"directive_id":"d-1","node_id":"uav-7","reported_at":"2025-11-06T12:00:01.005Z",'
            '"state":"downloading","progress_percent":42}')
    status = directives.read_status(text)
    assert status.state == d.DEPLOYMENT_STATE_DOWNLOADING and status.progress_percent == 42
    assert json.loads(directives.write_status(status)) == json.loads(text)


def test_target() -> None:
    directive = directives.read_directive(REFERENCE)
    decision = directives.target(directive, node_config("uav-7"))
    assert decision.targeted and decision.code == d.TARGET_REASON_BROADCAST
    directive.scope.formation_id = "cell-9"
    miss = directives.target(directive, node_config("uav-7"), node_state=NodeState(cell_id="cell-1"))
    assert not miss.targeted and miss.code == d.TARGET_REASON_FORMATION_MISMATCH
    hit = directives.target(directive, node_config("uav-7"), node_state=NodeState(cell_id="cell-9"))
    assert hit.targeted and hit.code == d.TARGET_REASON_FORMATION_MATCH


def _status(state: int, at: int, progress: int = 0) -> d.DeploymentStatus:
    status = d.DeploymentStatus(directive_id="d-1", node_id="uav-7", progress_percent=progress,
                                reported_at=Timestamp(seconds=at))
    status.state = state  # type: ignore[assignment]
    return status


def test_advance_through_the_status_machine() -> None:
    s = _status(d.DEPLOYMENT_STATE_PENDING, ISSUED)
    s = directives.advance(s, d.Transition(state=d.DEPLOYMENT_STATE_DOWNLOADING, progress_percent=10,
                                           reported_at=Timestamp(seconds=ISSUED + 1)))
    assert s.state == d.DEPLOYMENT_STATE_DOWNLOADING and s.progress_percent == 10
    with pytest.raises(peat.IllegalTransitionError) as exc:
        directives.advance(s, d.Transition(state=d.DEPLOYMENT_STATE_PENDING, reported_at=Timestamp(seconds=ISSUED + 2)))
    assert exc.value.status_name == "ILLEGAL_TRANSITION" and exc.value.code


def test_summarize() -> None:
    directive = directives.read_directive(REFERENCE)
    statuses = [
        _status(d.DEPLOYMENT_STATE_ACTIVE, ISSUED + 10, 100),
        d.DeploymentStatus(directive_id="d-1", node_id="uav-8", state=d.DEPLOYMENT_STATE_DOWNLOADING,
                           progress_percent=50, reported_at=Timestamp(seconds=ISSUED + 10)),
    ]
    summary = directives.summarize(directive, statuses, now=ISSUED + 20)
    assert summary.targeted == 2 and summary.active == 1 and summary.downloading == 1
    assert summary.decision == d.ROLLOUT_DECISION_IN_PROGRESS
    late = directives.summarize(directive, statuses, now=ISSUED + 3600,
                                targeted_node_ids=["uav-7", "uav-8", "uav-9"])
    assert late.targeted == 3 and late.no_report == 1
    assert list(late.timed_out_node_ids) == ["uav-8", "uav-9"]


def test_status_boards_merge() -> None:
    a = d.StatusBoard(statuses=[_status(d.DEPLOYMENT_STATE_DOWNLOADING, ISSUED + 1, 10)])
    b = d.StatusBoard(statuses=[_status(d.DEPLOYMENT_STATE_ACTIVE, ISSUED + 5, 100)])
    merged = peat.merge(a, b)
    assert merged == peat.merge(b, a)
    assert [s.state for s in merged.statuses] == [d.DEPLOYMENT_STATE_ACTIVE]


def test_now_is_required_and_times_convert() -> None:
    assert peat.timestamp(NOW) == Timestamp(seconds=NOW)
    assert peat.timestamp(1.5) == Timestamp(seconds=1, nanos=500_000_000)
    import datetime as dt

    assert peat.timestamp(dt.datetime(2025, 11, 6, 12, tzinfo=dt.timezone.utc)).seconds == ISSUED
    assert peat.timestamp(dt.datetime(2025, 11, 6, 12)).seconds == ISSUED  # naive = UTC
    with pytest.raises(TypeError):
        peat.timestamp("now")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        peat.timestamp(-1)
