"""The Python examples of the documentation, as programs the tests run and type-check.

* ``bindings/python/README.md``: every ``python`` block. A block uses names
  a user brings (their messages, keys, a transport); :data:`GIVEN` defines
  them, per block, and :data:`CHECKS` asserts what the block computed (at run
  time, and its types under mypy with ``assert_type``). A README block without
  an entry here fails the tests, so a new example cannot go unchecked.
* ``docs/QUICKSTART.md``: the Python section's ``python`` block is a complete
  program. It needs nothing given, and each ``print`` line's comment is what
  it prints.

test_doc_examples.py runs them (on every Python of make test-python-matrix);
test_typing.py type-checks them with ``mypy --strict``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT

README = Path(__file__).resolve().parent.parent / "README.md"
QUICKSTART = ROOT / "docs" / "QUICKSTART.md"

# What each README block is given. The code runs on Python 3.9 (the annotations
# of module-level names are evaluated there: no `X | Y`).
GIVEN: dict[str, str] = {
    "Validate messages": """
from peat.pb.cap.node.v1.node_pb2 import NodeState

list_of_bytes = [NodeState(cell_id="cell-1").SerializeToString(), b"\\xff not a message"]
""",
    "Merge replicated state": """
from typing import List

import peat as peat  # the README's first block imports it (`as`: exported to the block)
from peat.pb.cap.cell.v1.cell_pb2 import CellConfig, CellState
from peat.pb.cap.common.v1.common_pb2 import Timestamp


def _cell(members: List[str], seconds: int) -> CellState:
    return CellState(config=CellConfig(id="cell-1", min_size=2, max_size=8), members=members,
                     timestamp=Timestamp(seconds=seconds))


state_a, state_b = _cell(["n1"], 1_750_000_000), _cell(["n2"], 1_750_000_005)
a, b, c = state_a, state_b, _cell(["n3"], 1_750_000_009)
bytes_a, bytes_b = state_a.SerializeToString(), state_b.SerializeToString()
""",
    "Merge replicated state (2)": """
from typing import List

import peat
from peat.pb.cap.cell.v1.cell_pb2 import CellConfig, CellState
from peat.pb.cap.common.v1.common_pb2 import Timestamp

cell_state = CellState(config=CellConfig(id="cell-1", min_size=2, max_size=8), members=["uav-1", "uav-2"],
                       leader_id="uav-1", timestamp=Timestamp(seconds=1_750_000_000))
other = peat.CellDocument.new(replica="r2", initial=cell_state)    # another replica of the cell
wire: List[bytes] = []


def send(data: bytes) -> None:
    wire.append(data)


def receive() -> bytes:
    return wire.pop(0)
""",
    "Merge replicated state (3)": """
import time as time  # the block above imports these (`as`: exported to the block)
from typing import List

import peat as peat
from peat.pb.cap.cell.v1.cell_pb2 import CellConfig, CellState
from peat.pb.cap.common.v1.common_pb2 import Timestamp
from peat.pb.peat.crdt.v1.crdt_pb2 import AddMember as AddMember

cell_state = CellState(config=CellConfig(id="cell-1", min_size=2, max_size=8), members=["uav-1", "uav-2"],
                       leader_id="uav-1", timestamp=Timestamp(seconds=1_750_000_000))
# what another replica of the cell (r2) shipped: it added uav-4
_other = peat.CellDocument.new(replica="r2", initial=cell_state)
_other, r2_delta = _other.apply(peat.operation("r2", 1_750_000_100, AddMember(node_id="uav-4")))
wire: List[bytes] = [r2_delta.to_bytes()]


def send(data: bytes) -> None:
    wire.append(data)


def receive() -> bytes:
    return wire.pop(0)
""",
    "Deployment directives": """
from typing import List

from peat.pb.cap.common.v1.common_pb2 import Timestamp
from peat.pb.cap.node.v1.node_pb2 import NodeConfig, NodeState
from peat.pb.peat.directive.v1.directive_pb2 import DEPLOYMENT_STATE_PENDING, DeploymentStatus

rust_json_text = (
    '{"directive_id":"d-1","issued_at":"2025-11-06T12:00:00Z","issuer_node_id":"c2",'
    '"scope":{"type":"formation","formation_id":"cell-1"},"artifact":{"blob_hash":"sha256:'
    + "ab" * 32 + '","size_bytes":1000,"artifact_type":{"type":"onnx_model","execution_providers":[]}},'
    '"capabilities":[],"config":null,"options":{"priority":"normal","timeout_seconds":300,'
    '"replace_existing":false,"auto_activate":true}}')
node_config = NodeConfig(id="uav-7", platform_type="UAV")
state = NodeState(cell_id="cell-1")
now = 1_762_430_460  # a minute after the directive was issued
status = DeploymentStatus(directive_id="d-1", node_id="uav-7", state=DEPLOYMENT_STATE_PENDING,
                          reported_at=Timestamp(seconds=now - 30))
statuses: List[DeploymentStatus] = [status]
""",
    "Directive security": """
import hashlib
import os
import time

from peat import security
from peat.pb.cap.common.v1.common_pb2 import Timestamp
from peat.pb.cap.node.v1.node_pb2 import NodeConfig
from peat.pb.peat.directive.v1.directive_pb2 import ArtifactSpec, DeploymentDirective

key_a, key_b = security.generate_key(), security.generate_key()
private_pem, pub_a = key_a.private_key_pem, key_a.public_key_pem
other_private_pem, pub_b = key_b.private_key_pem, key_b.public_key_pem
pem = pub_a
_model = os.urandom(300_000)
artifact = ArtifactSpec(blob_hash="sha256:" + hashlib.sha256(_model).hexdigest(), size_bytes=len(_model))
artifact.artifact_type.onnx_model.SetInParent()
directive = DeploymentDirective(directive_id="d-7", issuer_node_id="c2", artifact=artifact,
                                issued_at=Timestamp(seconds=int(time.time())))
directive.scope.broadcast.SetInParent()
node_config = NodeConfig(id="uav-1", platform_type="UAV")
download = (_model[i:i + 65536] for i in range(0, len(_model), 65536))
path = "model.onnx"  # the test runs in a temporary directory
with open(path, "wb") as _f:
    _f.write(_model)
""",
}

CHECKS: dict[str, str] = {
    "Validate messages": """
from typing import TYPE_CHECKING

from peat.pb.peat.validation.v1.validation_pb2 import ValidationReport

assert report.valid and not report.violations
assert [r.decoded for r in peat.validate_batch(list_of_bytes, type="cap.node.v1.NodeState").reports] == [True, False]
assert clean == cfg and changes == []
assert refused == "UNKNOWN_FIELD at platfromType"
if TYPE_CHECKING:
    from typing_extensions import assert_type

    assert_type(report, ValidationReport)
""",
    "Merge replicated state": """
import json
from typing import TYPE_CHECKING

from peat.pb.cap.cell.v1.cell_pb2 import CellState

assert sorted(merged.members) == ["n1", "n2", "n3"] and merged == peat.merge_all([c, b, a])
assert peat.merge(state_a, state_b) == peat.merge(state_b, state_a)
assert sorted(json.loads(raw)["members"]) == ["n1", "n2"]
if TYPE_CHECKING:
    from typing_extensions import assert_type

    assert_type(merged, CellState)
    assert_type(raw, bytes)
""",
    "Merge replicated state (2)": """
from typing import TYPE_CHECKING

from peat.pb.cap.cell.v1.cell_pb2 import CellState

assert "uav-3" in state.members and "uav-3" in doc.materialize().members
assert delta != doc and wire == []
if TYPE_CHECKING:
    from typing_extensions import assert_type

    assert_type(doc, peat.CellDocument)
    assert_type(delta, peat.CellDocument)
    assert_type(other, peat.CellDocument)
    assert_type(state, CellState)
""",
    "Merge replicated state (3)": """
from typing import TYPE_CHECKING

from peat.pb.cap.cell.v1.cell_pb2 import CellState

assert sorted(state.members) == ["uav-1", "uav-2", "uav-3", "uav-4"]
assert saved.materialize() == state and wire == [delta.to_bytes()]
assert replica.closed and fork.closed
# the same steps with the immutable documents give the same bytes
_doc = peat.CellDocument.new(replica="r1", initial=cell_state)
assert _doc.merge(delta, r2_delta) == saved
if TYPE_CHECKING:
    from typing_extensions import assert_type

    assert_type(replica, peat.Replica[peat.CellDocument])
    assert_type(delta, peat.CellDocument)
    assert_type(saved, peat.CellDocument)
    assert_type(fork, peat.Replica[peat.CellDocument])
    assert_type(state, CellState)
""",
    "Deployment directives": """
from typing import TYPE_CHECKING

from peat.pb.peat.directive.v1.directive_pb2 import DEPLOYMENT_STATE_DOWNLOADING, TARGET_REASON_FORMATION_MATCH

assert decision.targeted and decision.code == TARGET_REASON_FORMATION_MATCH
assert status.state == DEPLOYMENT_STATE_DOWNLOADING and status.progress_percent == 10
assert summary.directive_id == "d-1"
assert directives.read_directive(data) == d and directives.read_directive(data.decode()) == d
if TYPE_CHECKING:
    from typing_extensions import assert_type

    assert_type(data, bytes)
""",
    "Directive security": """
assert pair.key_id != security.inspect_key(pem).key_id
assert result.verified and sorted(result.verified_key_ids) == sorted([key_a.key_id, key_b.key_id])
assert decision.decision.targeted and decision.directive == directive
""",
}


@dataclass
class Example:
    """One ``python`` block of a document, with what it is given and the checks after it."""

    #: The README section (with " (2)" for its second block, ...) or "QUICKSTART".
    key: str
    doc: Path
    #: The line of the doc the block's first line is on.
    line: int
    code: str
    given: str = ""
    check: str = ""

    @property
    def module(self) -> str:
        """A module name for the example: readme_<section> or quickstart."""
        return re.sub(r"\W+", "_", f"{self.doc.stem}_{self.key}").strip("_").lower()

    def source(self) -> str:
        """The example as one module for mypy: the given names star-imported from
        ``given_<module>``, the block on the doc's own lines (so mypy's line
        numbers are the doc's), then the checks."""
        head = f"from given_{self.module} import *  # noqa: F403\n" if self.given else ""
        pad = "\n" * (self.line - 1 - head.count("\n"))
        return head + pad + self.code + "\n" + self.check

    def run(self) -> dict[str, object]:
        """Runs given, block and checks in one namespace; tracebacks name the doc's lines."""
        namespace: dict[str, object] = {"__name__": f"doc_example_{self.module}"}
        exec(compile(self.given, f"<given for {self.doc.name}: {self.key}>", "exec"), namespace)
        exec(compile("\n" * (self.line - 1) + self.code, str(self.doc), "exec"), namespace)
        exec(compile(self.check, f"<checks for {self.doc.name}: {self.key}>", "exec"), namespace)
        return namespace


def _blocks(path: Path) -> list[tuple[str, int, str]]:
    """(section heading, first code line, code) of each ```python block."""
    out: list[tuple[str, int, str]] = []
    section, start = "", 0
    code: list[str] = []
    for n, line in enumerate(path.read_text().splitlines(), start=1):
        if start:
            if line.startswith("```"):
                out.append((section, start, "\n".join(code) + "\n"))
                start, code = 0, []
            else:
                code.append(line)
        elif line.startswith("```python"):
            start = n + 1
        elif line.startswith("## "):
            section = line[3:].strip()
    assert not start, f"{path}: a python block from line {start} is not closed"
    return out


def readme_examples() -> list[Example]:
    out: list[Example] = []
    seen: dict[str, int] = {}
    for section, line, code in _blocks(README):
        seen[section] = seen.get(section, 0) + 1
        key = section if seen[section] == 1 else f"{section} ({seen[section]})"
        out.append(Example(key, README, line, code, GIVEN.get(key, ""), CHECKS.get(key, "")))
    return out


def quickstart_example() -> Example:
    """The one python block of docs/QUICKSTART.md's Python section."""
    blocks = [(line, code) for section, line, code in _blocks(QUICKSTART) if section == "Python"]
    assert len(blocks) == 1, f"{QUICKSTART}: expected one python block under '## Python', found {len(blocks)}"
    line, code = blocks[0]
    return Example("QUICKSTART", QUICKSTART, line, code)


def printed_in_comments(example: Example) -> list[str]:
    """What the example's print() lines say they print: each one's trailing comment."""
    return [line.split("#", 1)[1].strip() for line in example.code.splitlines()
            if line.startswith("print(") and "#" in line]
