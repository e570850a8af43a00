"""Shared fixtures: the repository's vectors and small example messages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from peat.pb.cap.capability.v1.capability_pb2 import Capability, CapabilityType
from peat.pb.cap.cell.v1.cell_pb2 import CellConfig, CellState
from peat.pb.cap.common.v1.common_pb2 import Position, Timestamp
from peat.pb.cap.node.v1.node_pb2 import HealthStatus, NodeConfig, NodeState, Phase

#: The repository root (bindings/python/tests -> ../../..), or $PEAT_SOURCE_ROOT.
ROOT = Path(os.environ.get("PEAT_SOURCE_ROOT", Path(__file__).resolve().parents[3]))
VECTORS = ROOT / "tests" / "vectors"

#: A fixed "now" so validation results do not depend on the wall clock.
NOW = 1_750_000_000


def node_config(node_id: str = "uav-1", n_caps: int = 1) -> NodeConfig:
    """A valid NodeConfig with n_caps capabilities."""
    cfg = NodeConfig(id=node_id, platform_type="UAV", comm_range_m=1000.0, max_speed_mps=20.0)
    cfg.created_at.seconds = NOW - 3600
    for i in range(n_caps):
        cfg.capabilities.append(Capability(
            id=f"cap-{i}", name=f"sensor {i}", capability_type=CapabilityType.CAPABILITY_TYPE_SENSOR,
            confidence=0.9, registered_at=Timestamp(seconds=NOW - 60)))
    return cfg


def node_state(seconds: int = NOW - 10, fuel: int = 100, cell: str = "cell-1") -> NodeState:
    """A valid NodeState reported at `seconds`."""
    return NodeState(
        position=Position(latitude=50.0, longitude=8.0, altitude=100.0),
        fuel_minutes=fuel, health=HealthStatus.HEALTH_STATUS_NOMINAL, phase=Phase.PHASE_HIERARCHY,
        cell_id=cell, timestamp=Timestamp(seconds=seconds))


def cell_state(cell_id: str = "cell-1", members: tuple[str, ...] = ("n1", "n2"), seconds: int = NOW - 10) -> CellState:
    """A valid CellState."""
    st = CellState(config=CellConfig(id=cell_id, max_size=8, min_size=2, created_at=Timestamp(seconds=NOW - 3600)),
                   members=list(members), timestamp=Timestamp(seconds=seconds))
    if members:
        st.leader_id = members[0]
    return st


@pytest.fixture(scope="session")
def vectors_dir() -> Path:
    assert VECTORS.is_dir(), f"no vectors at {VECTORS} (set PEAT_SOURCE_ROOT)"
    return VECTORS
