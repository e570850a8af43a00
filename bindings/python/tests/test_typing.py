"""mypy --strict on the documentation's examples and on the typed document API (issue 15 item 9).

The package itself, tests/ and bench/ are checked by make lint-python. Here:
every python block of bindings/python/README.md (with what doc_examples.GIVEN
gives it and the assert_type checks of doc_examples.CHECKS) and the
docs/QUICKSTART.md program must pass ``mypy --strict``; and the documents must
be typed per kind (a CellDocument materialises to a CellState, not to Any).
mypy is pinned in requirements-dev.txt; make test-python-matrix runs the suite
without this file (its venvs hold no mypy, and mypy 2.x cannot target 3.9).
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import peat

from doc_examples import Example, quickstart_example, readme_examples

HERE = Path(__file__).resolve().parent.parent


def _mypy(files: list[Path]) -> tuple[int, str]:
    """mypy --strict (with the package's mypy settings) over files; the peat it checks against is the one
    this test imported (via MYPYPATH when that is not an installed copy)."""
    env = dict(os.environ)
    pkg_root = os.path.dirname(peat.__path__[0])
    if "site-packages" not in pkg_root:
        env["MYPYPATH"] = pkg_root
    result = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(HERE / "pyproject.toml"), "--strict",
                             "--no-error-summary", "--show-error-codes", *map(str, files)],
                            cwd=HERE, env=env, capture_output=True, text=True, timeout=600)
    return result.returncode, result.stdout + result.stderr


def _write(tmp: Path, examples: list[Example]) -> dict[str, Example]:
    by_file = {}
    for e in examples:
        (tmp / f"{e.module}.py").write_text(e.source())
        if e.given:
            (tmp / f"given_{e.module}.py").write_text(e.given)
        by_file[f"{e.module}.py"] = e
    return by_file


def _doc_line(e: Example, m: re.Match[str]) -> str:
    line = int(m.group(1))
    last = e.line + e.code.count("\n") - 1
    if line <= last:
        return f"{e.doc.name}:{line} ({e.key})"
    return f"{e.doc.name} ({e.key}), doc_examples.CHECKS line {line - last}"


def test_doc_examples_pass_mypy_strict(tmp_path: Path) -> None:
    examples = readme_examples() + [quickstart_example()]
    by_file = _write(tmp_path, examples)
    rc, out = _mypy(sorted(tmp_path.glob("*.py")))
    # name the doc's own lines (an example's module keeps the block on the doc's line numbers)
    for name, e in by_file.items():
        out = re.sub(rf"\S*{re.escape(name)}:(\d+)", functools.partial(_doc_line, e), out)
    assert rc == 0, "mypy --strict on the documentation's examples:\n" + out


def test_documents_are_typed_per_kind(tmp_path: Path) -> None:
    program = tmp_path / "kinds.py"
    program.write_text(textwrap.dedent("""
        from typing import Any

        from typing_extensions import assert_type

        import peat
        from peat.pb.cap.cell.v1.cell_pb2 import CellState
        from peat.pb.cap.node.v1.node_pb2 import Node
        from peat.pb.cap.zone.v1.zone_pb2 import ZoneState
        from peat.pb.peat.crdt.v1.crdt_pb2 import AddCell, AddMember, CellDoc, NodeDoc, ZoneDoc

        cell = peat.CellDocument.new(id="c1")
        applied = cell.apply(peat.operation("r", 1, AddMember(node_id="n1")))
        assert_type(applied, peat.Applied[peat.CellDocument])
        assert_type(applied.doc, peat.CellDocument)
        doc, delta = applied
        assert_type(delta, peat.CellDocument)
        assert_type(doc.merge(delta, cell), peat.CellDocument)
        assert_type(doc.materialize(), CellState)
        assert_type(doc.to_proto(), CellDoc)
        assert_type(peat.NodeDocument.new(id="n1").materialize(), Node)
        assert_type(peat.NodeDocument(b"").to_proto(), NodeDoc)
        zone, _ = peat.ZoneDocument.new(id="z1").apply(peat.operation("r", 1, AddCell(cell_id="c1")))
        assert_type(zone.materialize(), ZoneState)
        assert_type(zone.to_proto(), ZoneDoc)
        anything: peat.Document[Any] = zone
        assert_type(peat.abi_version().packed, int)

        node: Node = cell.materialize()                    # E: a CellState is not a Node
        other: peat.CellDocument = peat.NodeDocument()     # E: nor a NodeDocument a CellDocument
        cell.merge(peat.ZoneDocument())                    # E: cannot merge another kind
    """))
    rc, out = _mypy([program])
    errors = sorted({int(n) for n in re.findall(r"kinds\.py:(\d+): error", out)})
    expected = [n for n, line in enumerate(program.read_text().splitlines(), start=1) if "# E:" in line]
    assert len(expected) == 3 and errors == expected, out
