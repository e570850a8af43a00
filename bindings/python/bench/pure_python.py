"""NodeConfig validation written in plain Python over the generated classes.

This is the comparison point `validate_nodeconfig_50kb_pure_python`: the code
a user would write instead of calling libpeat, covering the rules libpeat
applies to a NodeConfig (docs/VALIDATION.md): required fields, string kinds
and lengths, control characters, JSON fields, enum membership, confidence and
number ranges, duplicate capability ids, item count, timestamps. It is a
benchmark workload only: the peat package never re-implements protocol rules.
"""

from __future__ import annotations

import json
import math
import re
import time

from peat.pb.cap.capability.v1.capability_pb2 import Capability, CapabilityType
from peat.pb.cap.common.v1.common_pb2 import Timestamp
from peat.pb.cap.node.v1.node_pb2 import AuthorityLevel, BindingType, NodeConfig, OperatorRank

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CAP_TYPES = set(CapabilityType.values()) - {0}


def _string(out: list[tuple[str, str]], path: str, value: str, limit: int, text: bool = False) -> None:
    if len(value.encode()) > limit:
        out.append(("STRING_TOO_LONG", path))
    if (_CONTROL_TEXT if text else _CONTROL).search(value):
        out.append(("INVALID_STRING", path))


def _json(out: list[tuple[str, str]], path: str, value: str) -> None:
    if value:
        _string(out, path, value, 16384, text=True)
        try:
            json.loads(value)
        except ValueError:
            out.append(("INVALID_STRING", path))


def _timestamp(out: list[tuple[str, str]], path: str, ts: Timestamp, now: float) -> None:
    if ts.nanos > 999_999_999:
        out.append(("INVALID_TIMESTAMP", path + ".nanos"))
    if ts.seconds > now + 300:
        out.append(("INVALID_TIMESTAMP", path + ".seconds"))


def _capability(out: list[tuple[str, str]], p: str, c: Capability, now: float) -> None:
    if not c.id:
        out.append(("REQUIRED_FIELD", p + ".id"))
    else:
        _string(out, p + ".id", c.id, 128)
    if not c.name:
        out.append(("REQUIRED_FIELD", p + ".name"))
    else:
        _string(out, p + ".name", c.name, 256)
    if c.capability_type not in _CAP_TYPES:
        out.append(("INVALID_ENUM", p + ".capability_type"))
    if not math.isfinite(c.confidence):
        out.append(("INVALID_NUMBER", p + ".confidence"))
    elif not 0.0 <= c.confidence <= 1.0:
        out.append(("INVALID_CONFIDENCE", p + ".confidence"))
    _json(out, p + ".metadata_json", c.metadata_json)
    if c.HasField("registered_at"):
        _timestamp(out, p + ".registered_at", c.registered_at, now)


def validate_node_config(data: bytes, now: float | None = None) -> list[tuple[str, str]]:
    """Decodes and validates a NodeConfig; returns (code, path) violations sorted by path."""
    now = time.time() if now is None else now
    if len(data) > 50 * 1024:
        raise ValueError("MESSAGE_TOO_LARGE")
    cfg = NodeConfig.FromString(data)
    out: list[tuple[str, str]] = []
    for field, kind in (("id", 128), ("platform_type", 256)):
        value = getattr(cfg, field)
        if not value:
            out.append(("REQUIRED_FIELD", field))
        else:
            _string(out, field, value, kind)
    if len(cfg.capabilities) > 100:
        out.append(("TOO_MANY_ITEMS", "capabilities"))
    seen: set[str] = set()
    for i, c in enumerate(cfg.capabilities):
        p = f"capabilities[{i}]"
        _capability(out, p, c, now)
        if c.id in seen:
            out.append(("DUPLICATE_ID", p + ".id"))
        seen.add(c.id)
    for field in ("comm_range_m", "max_speed_mps"):
        v = getattr(cfg, field)
        if not math.isfinite(v) or v < 0:
            out.append(("INVALID_NUMBER", field))
    if cfg.HasField("operator_binding"):
        b = cfg.operator_binding
        if b.binding_type not in set(BindingType.values()) - {0}:
            out.append(("INVALID_ENUM", "operator_binding.binding_type"))
        for i, op in enumerate(b.operators):
            p = f"operator_binding.operators[{i}]"
            if not op.id:
                out.append(("REQUIRED_FIELD", p + ".id"))
            if not op.name:
                out.append(("REQUIRED_FIELD", p + ".name"))
            if op.rank not in set(OperatorRank.values()):
                out.append(("INVALID_ENUM", p + ".rank"))
            if op.authority_level not in set(AuthorityLevel.values()) - {0}:
                out.append(("INVALID_ENUM", p + ".authority_level"))
            _json(out, p + ".metadata_json", op.metadata_json)
        for i, pid in enumerate(b.platform_ids):
            _string(out, f"operator_binding.platform_ids[{i}]", pid, 128)
    if cfg.HasField("created_at"):
        _timestamp(out, "created_at", cfg.created_at, now)
    out.sort(key=lambda v: (v[1], v[0]))
    return out
