"""Checks that a built peat wheel is what its name says (make dist-python runs it on both wheels).

    python checkwheel.py [--auditwheel] WHEEL...

For each wheel, from its bytes alone (so an aarch64 wheel is checked on an
x86_64 machine too):
  * the file name is peat-<version>-py3-none-<platform>.whl, and the WHEEL
    file says the same single tag, Root-Is-Purelib false;
  * every file's hash matches RECORD;
  * it carries exactly one native library, peat/_native/libpeat.so.1: a 64-bit
    ELF for the tag's architecture (e_machine), SONAME libpeat.so.1, exporting
    only peat_* symbols, needing only libraries the manylinux policy allows and
    no glibc symbol version newer than the tag's (2.17 for manylinux2014);
  * py.typed, _gencode.py, and for every generated *_pb2.py its .pyi stub and no
    protobuf runtime version gate; no demo schema (peat.demo) in it.
With --auditwheel, `auditwheel show` (pinned in requirements-dev.txt) must
also find the wheel consistent with a manylinux tag no newer than its own and
for the same architecture.
"""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

LIB = "peat/_native/libpeat.so.1"
ELF_MACHINE = {"x86_64": 62, "aarch64": 183}
ALLOWED = {"libc.so.6", "libpthread.so.0", "libdl.so.2", "libm.so.6", "librt.so.1"}
NAME = re.compile(r"^peat-(?P<version>[0-9][^-]*)-py3-none-(?P<plat>[a-z0-9_]+)\.whl$")


def glibc_max(plat: str) -> tuple[tuple[int, ...], str]:
    """The newest glibc a platform tag allows, and its architecture."""
    m = re.fullmatch(r"manylinux2014_(x86_64|aarch64)", plat)
    if m:
        return (2, 17), m.group(1)
    m = re.fullmatch(r"manylinux_(\d+)_(\d+)_(x86_64|aarch64)", plat)
    if m:
        return (int(m.group(1)), int(m.group(2))), m.group(3)
    raise AssertionError(f"platform tag {plat!r} is not a manylinux tag for x86_64 or aarch64")


def readelf(*args: str) -> str:
    return subprocess.run(["readelf", "-W", *args], check=True, capture_output=True, text=True).stdout


def check_library(path: Path, arch: str, newest: tuple[int, ...]) -> list[str]:
    errors = []
    head = path.read_bytes()[:20]
    if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
        return [f"{LIB} is not a 64-bit little-endian ELF file"]
    machine = int.from_bytes(head[18:20], "little")
    if machine != ELF_MACHINE[arch]:
        errors.append(f"{LIB} is for ELF machine {machine}, the tag says {arch} ({ELF_MACHINE[arch]})")
    dyn = readelf("-d", str(path))
    needed = set(re.findall(r"\(NEEDED\).*\[(.+?)\]", dyn))
    if not needed <= ALLOWED:
        errors.append(f"{LIB} needs libraries outside the manylinux policy: {sorted(needed - ALLOWED)}")
    if not re.search(r"\(SONAME\).*\[libpeat\.so\.1\]", dyn):
        errors.append(f"{LIB} has no SONAME libpeat.so.1")
    versions = {tuple(int(p) for p in v.split(".")) for v in re.findall(r"GLIBC_([0-9.]+)", readelf("-V", str(path)))}
    too_new = sorted(v for v in versions if v > newest)
    if too_new:
        errors.append(f"{LIB} needs glibc {'.'.join(map(str, too_new[-1]))} > {'.'.join(map(str, newest))}")
    exported = set()
    for line in readelf("--dyn-syms", str(path)).splitlines():
        f = line.split()
        if len(f) >= 8 and f[0].endswith(":") and f[6] != "UND" and f[4] in ("GLOBAL", "WEAK") and f[3] == "FUNC":
            exported.add(f[7].split("@")[0])
    if not exported or any(not s.startswith("peat_") for s in exported):
        errors.append(f"{LIB} exports {sorted(s for s in exported if not s.startswith('peat_')) or 'nothing'}"
                      " besides peat_*")
    return errors


def check_auditwheel(wheel: Path, arch: str, newest: tuple[int, ...]) -> list[str]:
    out = subprocess.run([sys.executable, "-m", "auditwheel", "show", str(wheel)],
                         capture_output=True, text=True)
    text = " ".join(out.stdout.split())
    m = re.search(r'consistent with the following platform tag: "manylinux_(\d+)_(\d+)_(\w+)"', text)
    if out.returncode != 0 or not m:
        return [f"auditwheel show failed: {out.stdout}{out.stderr}"]
    if m.group(3) != arch or (int(m.group(1)), int(m.group(2))) > newest:
        return [f"auditwheel: consistent with manylinux_{m.group(1)}_{m.group(2)}_{m.group(3)}, not with the tag"]
    if "requires no external shared libraries" not in text:
        return [f"auditwheel: external shared libraries: {text}"]
    return []


def check(wheel: Path, auditwheel: bool) -> list[str]:
    m = NAME.match(wheel.name)
    if not m:
        return [f"file name is not peat-<version>-py3-none-<platform>.whl"]
    plat = m.group("plat")
    newest, arch = glibc_max(plat)
    errors = []
    with zipfile.ZipFile(wheel) as z, tempfile.TemporaryDirectory() as tmp:
        names = set(z.namelist())
        info = f"peat-{m.group('version')}.dist-info"
        meta = z.read(f"{info}/WHEEL").decode()
        tags = re.findall(r"^Tag: (.+)$", meta, re.M)
        if tags != [f"py3-none-{plat}"]:
            errors.append(f"WHEEL tags {tags} differ from the file name's py3-none-{plat}")
        if "Root-Is-Purelib: false" not in meta:
            errors.append("WHEEL: Root-Is-Purelib must be false (the wheel carries a native library)")
        for line in z.read(f"{info}/RECORD").decode().splitlines():
            name, digest, _ = line.rsplit(",", 2)
            if digest:
                algo, want = digest.split("=", 1)
                got = base64.urlsafe_b64encode(hashlib.new(algo, z.read(name)).digest()).rstrip(b"=").decode()
                if got != want:
                    errors.append(f"RECORD: {name} hash mismatch")
        natives = sorted(n for n in names if re.search(r"\.so(\.|$)", n))
        if natives != [LIB]:
            errors.append(f"native libraries {natives}, expected exactly [{LIB}]")
        else:
            z.extract(LIB, tmp)
            errors += check_library(Path(tmp) / LIB, arch, newest)
        for required in ("peat/py.typed", "peat/_gencode.py", "peat/__init__.py"):
            if required not in names:
                errors.append(f"missing {required}")
        gen = sorted(n for n in names if n.startswith("peat/pb/") and n.endswith("_pb2.py"))
        if not gen:
            errors.append("no generated peat/pb/*_pb2.py modules")
        for n in gen:
            if n + "i" not in names:
                errors.append(f"{n} has no .pyi stub")
            if "runtime_version" in z.read(n).decode():
                errors.append(f"{n} has protoc's runtime version gate (not built by runtime_neutral)")
        if any(n.startswith("peat/pb/peat/demo/") for n in names):
            errors.append("the demo schema (peat.demo) is in the wheel")
    if auditwheel:
        errors += check_auditwheel(wheel, arch, newest)
    return errors


def main(argv: list[str]) -> int:
    audit = "--auditwheel" in argv
    wheels = [Path(a) for a in argv if a != "--auditwheel"]
    if not wheels:
        print(__doc__, file=sys.stderr)
        return 2
    failed = False
    for w in wheels:
        errors = check(w, audit)
        for e in errors:
            print(f"checkwheel: {w.name}: {e}", file=sys.stderr)
        if errors:
            failed = True
        else:
            print(f"checkwheel: {w.name}: ok (tag, RECORD, ELF arch, glibc, exports, stubs"
                  f"{', auditwheel' if audit else ''})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
