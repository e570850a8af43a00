"""Loading rules: PEAT_LIBRARY_PATH, the ABI check at import, fork() protection."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import peat


def _import(env_lib: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PEAT_LIBRARY_PATH=env_lib)
    return subprocess.run([sys.executable, "-c", "import peat; print(peat.library_path())"],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)


def _fake_library(tmp_path: Path, body: str) -> str:
    src = tmp_path / "fake.c"
    src.write_text("#include <stdint.h>\n" + body)
    lib = tmp_path / "libfake.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(lib), str(src)], check=True)
    return str(lib)


def test_library_path_env_selects_the_library(tmp_path: Path) -> None:
    real = peat.library_path()
    result = _import(real, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == real


def test_missing_library_file_is_a_clear_import_error(tmp_path: Path) -> None:
    result = _import(str(tmp_path / "nope.so"), tmp_path)
    assert result.returncode != 0
    assert "PEAT_LIBRARY_PATH" in result.stderr and "is not a file" in result.stderr


def test_other_major_version_is_refused(tmp_path: Path) -> None:
    lib = _fake_library(tmp_path, "uint32_t peat_abi_version(void) { return 2u << 16; }\n")
    result = _import(lib, tmp_path)
    assert result.returncode != 0
    assert "IncompatibleLibraryError" in result.stderr
    assert "implements ABI 2.0" in result.stderr and "needs ABI 1.x" in result.stderr


def test_newer_minor_is_accepted_but_missing_symbols_are_reported(tmp_path: Path) -> None:
    lib = _fake_library(tmp_path, "uint32_t peat_abi_version(void) { return (1u << 16) | 7u; }\n")
    result = _import(lib, tmp_path)
    assert result.returncode != 0
    assert "IncompatibleLibraryError" in result.stderr and "lacks peat_version" in result.stderr


def test_not_a_libpeat_is_refused(tmp_path: Path) -> None:
    lib = _fake_library(tmp_path, "int something(void) { return 1; }\n")
    result = _import(lib, tmp_path)
    assert result.returncode != 0 and "no peat_abi_version symbol" in result.stderr


def test_calls_in_a_forked_child_fail_loudly_instead_of_hanging(tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import os, peat
        from peat.pb.cap.node.v1.node_pb2 import NodeConfig
        peat.validate(NodeConfig(id="a"))
        pid = os.fork()
        if pid == 0:
            try:
                peat.validate(NodeConfig(id="a"))
            except peat.LibraryUnavailableError:
                os._exit(0)
            os._exit(1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, status
        print(peat.validate(NodeConfig(id="a")).type)  # the parent is unaffected
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "cap.node.v1.NodeConfig"


def test_every_entry_point_and_replicas_are_refused_in_a_forked_child(tmp_path: Path) -> None:
    # the refusal covers every entry point of lowlevel._SIGNATURES (replicas included), and a
    # replica made before fork() is refused in the child, dropped silently, and still works in the parent
    script = textwrap.dedent("""
        import gc, os, warnings, peat
        from peat import lowlevel
        from peat.pb.peat.crdt.v1.crdt_pb2 import AddMember
        r = peat.Replica.new(peat.CellDocument, id="c1")
        op = peat.operation("r1", 1_750_000_000, AddMember(node_id="n1"))
        pid = os.fork()
        if pid == 0:
            bad = []
            for name in lowlevel._SIGNATURES:
                attr = "_free" if name == "peat_buf_free" else "_" + name[len("peat_"):]
                try:
                    getattr(lowlevel, attr)()
                    bad.append(name)
                except lowlevel.LibraryUnavailableError:
                    pass
            for call in (lambda: r.apply(op), r.document, r.clone, r.close):
                try:
                    call()
                    bad.append(call)
                except peat.LibraryUnavailableError:
                    pass
            r2 = peat.Replica.__new__(peat.Replica)
            r2._handle = 12345  # as if made before fork(): dropping it must not raise
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                del r2
                gc.collect()
            os._exit(0 if not bad else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, status
        r.apply(op)
        print(list(r.materialize().members))
        r.close()
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['n1']"
