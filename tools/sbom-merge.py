#!/usr/bin/env python3
"""Merges the CycloneDX SBOMs that `make dist` generates (tools/dist-sbom.sh)
into the release's one SBOM, and checks it.

    sbom-merge.py --out FILE --name libpeat --version V --license SPDX-ID
                  --epoch SOURCE_DATE_EPOCH INPUT.cdx.json...

Every input is a tool's own output (cyclonedx-gomod, cyclonedx-py,
cyclonedx-maven-plugin); nothing here describes a component by hand. The
merge is mechanical: each input's root component (what it was run on: the Go
library or CLI, the Python package, the jar) becomes a component under a new
root for the whole release, its components and dependency graph are kept,
identical components (same bom-ref) are listed once, and the inputs' tool
lists are kept. A component seen by several inputs (a Go target or module
for linux/amd64 and linux/arm64) is one component with the purl qualifiers
they share and each input's build properties. Our own
components without a license (the Go module and the POM declare none) get the
project's license, the one declared in bindings/python/pyproject.toml.

The output is deterministic (sorted, no serial number, the commit's time) and
is validated against the CycloneDX 1.6 JSON schema (cyclonedx-python-lib).
It fails if any component has no version or no license.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from typing import Any

SPEC = "1.6"


def tool_components(metadata: dict[str, Any]) -> list[dict[str, Any]]:
    """The tools of an input, in CycloneDX 1.5+ form (components)."""
    tools = metadata.get("tools")
    if isinstance(tools, list):  # the pre-1.5 form: vendor/name/version
        out = []
        for t in tools:
            c = {"type": "application", "name": t["name"]}
            for k in ("version", "hashes", "externalReferences"):
                if k in t:
                    c[k] = t[k]
            if "vendor" in t:
                c["group"] = t["vendor"]
            out.append(c)
        return out
    if isinstance(tools, dict):
        return list(tools.get("components", []))
    return []


def common_purl(a: str, b: str) -> str:
    """The purl two inputs' descriptions of one component agree on: the
    qualifiers they share (a Go module seen for linux/amd64 and linux/arm64
    keeps neither goarch)."""
    def split(p: str) -> tuple[str, list[str], str]:
        p, _, sub = p.partition("#")
        base, _, quals = p.partition("?")
        return base, [q for q in quals.split("&") if q], sub
    (base, qa, sub), (base_b, qb, sub_b) = split(a), split(b)
    if (base, sub) != (base_b, sub_b):
        return a
    quals = [q for q in qa if q in qb]
    return base + ("?" + "&".join(quals) if quals else "") + ("#" + sub if sub else "")


def same(components: dict[str, dict[str, Any]], c: dict[str, Any]) -> None:
    """Records c, or folds it into the component of the same bom-ref."""
    have = components.get(c["bom-ref"])
    if have is None:
        components[c["bom-ref"]] = c
        return
    if "purl" in have and "purl" in c:
        have["purl"] = common_purl(have["purl"], c["purl"])
    props = have.setdefault("properties", [])
    for p in c.get("properties", []):
        if p not in props:
            props.append(p)
    if not props:
        del have["properties"]


def merge(inputs: list[dict[str, Any]], name: str, version: str, license_id: str, epoch: int) -> dict[str, Any]:
    top_ref = f"pkg:generic/{name}@{version}"
    own_license = [{"license": {"id": license_id, "acknowledgement": "declared"}}]
    components: dict[str, dict[str, Any]] = {}
    deps: dict[str, set[str]] = {}
    roots: list[str] = []
    tools: dict[tuple[str, str], dict[str, Any]] = {}

    for bom in inputs:
        meta = bom.get("metadata", {})
        root = dict(meta["component"])
        old = root["bom-ref"]
        # cyclonedx-py names its root "root-component": give it a real identity.
        new = old if old != "root-component" else f"pkg:pypi/{root['name']}@{root['version']}"
        rename = {old: new}
        root["bom-ref"] = new
        if old == "root-component":
            root.setdefault("purl", new)
        if not root.get("licenses"):
            root["licenses"] = own_license
        if new not in components:
            roots.append(new)
        same(components, root)  # the same target for another architecture: one component
        for c in bom.get("components", []):
            same(components, dict(c))
        for d in bom.get("dependencies", []):
            ref = rename.get(d["ref"], d["ref"])
            deps.setdefault(ref, set()).update(rename.get(r, r) for r in d.get("dependsOn", []))
        for t in tool_components(meta):
            tools.setdefault((t.get("name", ""), t.get("version", "")), t)

    deps[top_ref] = set(roots)
    for ref in components:
        deps.setdefault(ref, set())
    for c in components.values():
        if "properties" in c:
            c["properties"] = sorted(c["properties"], key=lambda p: (p["name"], p.get("value", "")))
    when = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC,
        "version": 1,
        "metadata": {
            "timestamp": when,
            "tools": {"components": [tools[k] for k in sorted(tools)]},
            "component": {"type": "library", "bom-ref": top_ref, "name": name, "version": version,
                          "purl": top_ref, "licenses": own_license},
            "properties": [{"name": "cdx:reproducible", "value": "true"}],
        },
        "components": [components[k] for k in sorted(components)],
        "dependencies": [{"ref": r, "dependsOn": sorted(deps[r])} for r in sorted(deps)],
    }


def check(bom: dict[str, Any], text: str) -> list[str]:
    problems = []
    for c in bom["components"]:
        if not c.get("version"):
            problems.append(f"{c['bom-ref']}: no version")
        if not c.get("licenses"):
            problems.append(f"{c['bom-ref']}: no license")
    try:
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.json import JsonStrictValidator
    except ImportError:
        problems.append("cyclonedx-python-lib[json-validation] is not installed: cannot validate")
        return problems
    err = JsonStrictValidator(SchemaVersion.from_version(SPEC)).validate_str(text)
    if err is not None:
        problems.append(f"not valid CycloneDX {SPEC}: {err}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--license", required=True)
    ap.add_argument("--epoch", required=True, type=int)
    ap.add_argument("inputs", nargs="+")
    a = ap.parse_args()
    inputs = []
    for path in a.inputs:
        with open(path, encoding="utf-8") as f:
            inputs.append(json.load(f))
    bom = merge(inputs, a.name, a.version, a.license, a.epoch)
    text = json.dumps(bom, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    problems = check(bom, text)
    if problems:
        print("sbom-merge: " + "\n  ".join(["the merged SBOM is refused:"] + problems), file=sys.stderr)
        return 1
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(text)
    n = len(bom["components"])
    print(f"sbom: {a.out}: CycloneDX {SPEC}, {n} components, every one with a version and a license")
    return 0


if __name__ == "__main__":
    sys.exit(main())
