"""Build steps of the peat wheel, called from setup.py (kept apart so they can be read and tested)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SONAME = "libpeat.so.1"
# Libraries a manylinux wheel may link against (PEP 600 / auditwheel policy).
_MANYLINUX_OK = {"libc.so.6", "libpthread.so.0", "libdl.so.2", "libm.so.6", "librt.so.1"}


def source_root() -> Path:
    """The libpeat repository holding proto/ and the Makefile ($PEAT_SOURCE_ROOT or ../..)."""
    root = Path(os.environ.get("PEAT_SOURCE_ROOT", HERE.parent.parent)).resolve()
    if not (root / "proto").is_dir() or not (root / "include" / "peat.h").is_file():
        raise SystemExit(
            f"peat build: {root} is not a libpeat checkout (no proto/ and include/peat.h); "
            "build from bindings/python inside the repository, or set PEAT_SOURCE_ROOT"
        )
    return root


def generate_protos(root: Path, dest: Path) -> None:
    """Generates *_pb2.py and *_pb2.pyi for every proto under root/proto into dest (= peat/pb).

    protoc writes modules named after the proto packages (cap.node.v1,
    peat.crdt.v1); their imports are rewritten to live under peat.pb, so the
    wheel owns no top-level package but peat.
    """
    protoc = os.environ.get("PEAT_PROTOC") or str(root / "tools" / "protoc.sh")
    files = sorted(str(p.relative_to(root / "proto")) for p in (root / "proto").rglob("*.proto"))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([protoc, "-I", str(root / "proto"), f"--python_out={tmp}", f"--pyi_out={tmp}", *files],
                       check=True, cwd=root)
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(tmp, dest)
    imports = re.compile(r"^(from|import) (cap|peat)\.", re.M)
    # The module name given to the builder becomes the classes' __module__
    # (used by pickle and repr), so it moves too.
    module = re.compile(r"(BuildTopDescriptorsAndMessages\(DESCRIPTOR, ')(cap|peat)\.")
    for path in dest.rglob("*_pb2.py*"):
        text = imports.sub(r"\1 peat.pb.\2.", path.read_text())
        path.write_text(module.sub(r"\1peat.pb.\2.", text))
    for d in [dest, *(p for p in dest.rglob("*") if p.is_dir())]:
        init = d / "__init__.py"
        if not init.exists():
            init.write_text('"""Generated from proto/ by protoc; do not edit."""\n' if d == dest else "")


def library(root: Path) -> Path:
    """The libpeat.so to bundle: $PEAT_BUNDLE_LIBRARY, else `make lib` with Go, else build/lib."""
    env = os.environ.get("PEAT_BUNDLE_LIBRARY")
    if env:
        lib = Path(env)
    else:
        if shutil.which("go") and shutil.which("make"):
            subprocess.run(["make", "-C", str(root), "lib"], check=True)
        lib = root / "build" / "lib" / "libpeat.so"
        if not lib.exists():
            raise SystemExit("peat build: no libpeat.so: install Go (the build runs `make lib`) "
                             "or set PEAT_BUNDLE_LIBRARY to a built libpeat.so")
    lib = lib.resolve()
    if not lib.is_file():
        raise SystemExit(f"peat build: {lib} is not a file")
    return lib


def add_generated(pkg: Path) -> None:
    """Adds the generated modules and the library to the built package directory."""
    root = source_root()
    generate_protos(root, pkg / "pb")
    native = pkg / "_native"
    if native.exists():
        shutil.rmtree(native)
    native.mkdir(parents=True)
    # One copy, under the SONAME: the name the dynamic loader resolves at run
    # time. The link-time name libpeat.so is of no use inside a wheel.
    shutil.copyfile(library(root), native / SONAME)


def platform_tag(lib: Path, default: str) -> str:
    """manylinux_2_N_<arch> when the library needs only glibc <= 2.N, else ``default`` (linux_<arch>)."""
    if not default.startswith("linux_") or not lib.is_file() or not shutil.which("readelf"):
        return default
    arch = default[len("linux_"):]
    try:
        dyn = subprocess.run(["readelf", "-d", str(lib)], check=True, capture_output=True, text=True).stdout
        ver = subprocess.run(["readelf", "-V", str(lib)], check=True, capture_output=True, text=True).stdout
    except subprocess.CalledProcessError:
        return default
    needed = set(re.findall(r"\(NEEDED\).*\[(.+?)\]", dyn))
    if not needed <= _MANYLINUX_OK:
        return default
    minors = [int(m) for m in re.findall(r"GLIBC_2\.(\d+)", ver)]
    return f"manylinux_2_{max(minors, default=17)}_{arch}"
