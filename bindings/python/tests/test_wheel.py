"""The built wheel installs into a fresh virtual environment with only protobuf, and works.

make test-python passes the wheel's directory in PEAT_WHEEL_DIR and a local
wheel cache holding the pinned protobuf in PEAT_WHEELHOUSE; run alone, the
test builds the wheel (bundling the library this test run uses) and downloads
protobuf itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import peat

HERE = Path(__file__).resolve().parent.parent
PROTOBUF = "protobuf==6.33.5"


def _wheel_dir(tmp: Path) -> Path:
    if os.environ.get("PEAT_WHEEL_DIR"):
        return Path(os.environ["PEAT_WHEEL_DIR"])
    out = tmp / "dist"
    env = dict(os.environ, PEAT_BUNDLE_LIBRARY=peat.library_path())
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(out), str(HERE)],
                   env=env, check=True, capture_output=True)
    return out


def _wheelhouse(tmp: Path) -> Path:
    if os.environ.get("PEAT_WHEELHOUSE"):
        return Path(os.environ["PEAT_WHEELHOUSE"])
    out = tmp / "wheelhouse"
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:", "-d", str(out), PROTOBUF],
                   check=True)
    return out


def test_wheel_installs_and_works_in_a_fresh_venv(tmp_path: Path) -> None:
    wheels = sorted(_wheel_dir(tmp_path).glob("peat-*.whl"))
    assert len(wheels) == 1, wheels
    wheel = wheels[0]
    assert "-py3-none-" in wheel.name and not wheel.name.endswith("-any.whl"), "wheel must be platform-tagged"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index",
                    "--find-links", str(_wheelhouse(tmp_path)), str(wheel)], check=True)

    script = textwrap.dedent("""
        import json, pathlib, peat
        from peat.pb.cap.node.v1.node_pb2 import NodeConfig
        from peat.pb.peat.crdt.v1.crdt_pb2 import AddMember
        pkg = pathlib.Path(peat.__file__).parent
        cfg = NodeConfig(id="uav-1", platform_type="UAV")
        doc = peat.CellDocument.new(id="cell-1")
        doc, _ = doc.apply(peat.operation("r", 1_700_000_000, AddMember(node_id="n1")))
        print(json.dumps({
            "lib": peat.library_path(),
            "abi": list(peat.abi_version()),
            "valid": peat.validate(cfg, now=1_700_000_000).valid,
            "json": peat.convert(cfg, to="json").decode(),
            "members": list(doc.materialize().members),
            "typed": (pkg / "py.typed").is_file() and (pkg / "pb/cap/node/v1/node_pb2.pyi").is_file(),
        }))
    """)
    env = {k: v for k, v in os.environ.items() if k not in ("PEAT_LIBRARY_PATH", "PYTHONPATH")}
    result = subprocess.run([str(py), "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    import json

    out = json.loads(result.stdout)
    assert out["lib"].startswith(str(venv)) and out["lib"].endswith("peat/_native/libpeat.so.1")
    assert out["abi"][0] == 1 and out["valid"] is True
    assert out["json"] == '{"id":"uav-1","platformType":"UAV"}'
    assert out["members"] == ["n1"] and out["typed"] is True

    installed = subprocess.run([str(py), "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
                               check=True, capture_output=True, text=True).stdout.split()
    names = {line.split("==")[0].lower() for line in installed}
    assert names - {"pip", "setuptools"} == {"peat", "protobuf"}
