"""Plain merge of ICD messages."""

from __future__ import annotations

import pytest

import peat
from peat.pb.cap.cell.v1.cell_pb2 import CellState
from peat.pb.cap.node.v1.node_pb2 import NodeState

from conftest import NOW, cell_state, node_config, node_state


def test_merge_keeps_the_newer_state_and_is_commutative() -> None:
    older, newer = node_state(seconds=NOW - 100, fuel=50), node_state(seconds=NOW - 10, fuel=40)
    ab, ba = peat.merge(older, newer), peat.merge(newer, older)
    assert isinstance(ab, NodeState)
    assert ab == ba == newer
    assert peat.merge(newer, newer) == newer


def test_merge_of_cell_states_unions_members() -> None:
    a = cell_state(members=("n1", "n2"))
    b = cell_state(members=("n1", "n3"), seconds=NOW - 5)
    merged = peat.merge(a, b)
    assert isinstance(merged, CellState)
    assert set(merged.members) >= {"n1", "n3"}
    assert peat.merge(b, a) == merged


def test_merge_bytes_gives_bytes_in_the_requested_format() -> None:
    a, b = node_config("n1").SerializeToString(), node_config("n1", n_caps=3).SerializeToString()
    out = peat.merge(a, b, type="cap.node.v1.NodeConfig")
    assert isinstance(out, bytes)
    assert peat.merge(b, a, type="cap.node.v1.NodeConfig") == out
    js = peat.merge(a, b, type="cap.node.v1.NodeConfig", to="json")
    assert js.startswith(b"{") and peat.convert(out, type="cap.node.v1.NodeConfig", to="json") == js


def test_merge_all_is_order_independent() -> None:
    states = [cell_state(members=(f"n{i}", f"n{i + 1}"), seconds=NOW - i) for i in range(5)]
    one = peat.merge_all(states)
    assert peat.merge_all(reversed(states)) == one
    assert peat.merge(peat.merge(states[0], states[1]), peat.merge_all(states[2:])) == one
    with pytest.raises(ValueError):
        peat.merge_all([])


def test_different_entities_raise_mismatch() -> None:
    with pytest.raises(peat.MismatchError) as exc:
        peat.merge(node_config("a"), node_config("b"))
    assert exc.value.code == "MISMATCH"


def test_unsupported_type_raises() -> None:
    with pytest.raises(peat.PeatError) as exc:
        peat.merge(node_config().capabilities[0], node_config().capabilities[0])
    assert exc.value.status_name in {"UNSUPPORTED", "UNKNOWN_TYPE"}
