"""Wrong argument types and values never reach libpeat (issue 13, items 8-10).

The core of this file is a sweep: every public function (``peat.__all__``,
``peat.directives.__all__``, the document methods) and every function of
``peat.lowlevel`` is called with each of its arguments replaced, one at a
time, by wrong values (None, int, float, str for bytes and bytes for str,
list, dict, object(), bool, huge and negative ints, NUL in names, ...). Each
call must raise the expected TypeError / ValueError / PeatError, or (for
values of the right type the library itself judges) return or raise one of
those: never another exception, never a crash. The sweep runs in a child
process, so a segfault fails the test instead of killing pytest. In the child
every call that reaches C is also checked against the C signature
(``lowlevel._SIGNATURES``): bytes or None for pointers, lengths that match,
an int32 in range, size_t objects, byref() for peat_buf*.

Run ``python tests/test_arguments.py`` to see the sweep's report directly.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest

import peat
from peat import _messages, directives, lowlevel, security
from peat.pb.cap.cell.v1.cell_pb2 import CellState
from peat.pb.cap.common.v1.common_pb2 import Position
from peat.pb.cap.node.v1.node_pb2 import NodeConfig, NodeState
from peat.pb.peat.crdt.v1.crdt_pb2 import AddMember
from peat.pb.peat.directive.v1 import directive_pb2 as d
from peat.pb.peat.security.v1 import security_pb2 as sec

from conftest import NOW, ROOT, cell_state, node_config, node_state
from test_security import KEY_A, PUB_A
from test_directives import REFERENCE

NODECONFIG = "cap.node.v1.NodeConfig"
RAW = node_config().SerializeToString()

# ---- expected outcomes --------------------------------------------------------

#: The call must raise TypeError.
T = "TypeError"
#: The call must raise ValueError or a PeatError (a bad value).
V = "ValueError"
#: A value of the right type the library judges: return, or raise TypeError,
#: ValueError or PeatError; anything else (or a crash) fails.
A = "any"


class _Unprintable:
    def __repr__(self) -> str:
        return "object()"


class _Messages:
    """An iterable of one message that is neither a list nor a tuple (fresh on every iteration)."""

    def __iter__(self) -> Any:
        return iter([RAW])

    def __repr__(self) -> str:
        return "<iterable>"


OBJ = _Unprintable()
HUGE = 2**64 + 10

# Wrong values shared by many kinds of argument.
_NOT_BYTES: list[tuple[Any, str]] = [
    (None, T), (7, T), (-1, T), (10**12, T), (HUGE, T), (1.5, T), ("text", T), ([], T), ({}, T), (OBJ, T), (True, T)]
_NOT_INT: list[tuple[Any, str]] = [
    (None, T), (1.5, T), (float("nan"), T), ("1", T), (b"1", T), ([], T), ({}, T), (OBJ, T), (True, T), (False, T)]
_NOT_STR: list[tuple[Any, str]] = [
    (None, T), (7, T), (1.5, T), (b"r1", T), ([], T), ({}, T), (OBJ, T), (True, T)]
_NOT_MESSAGE: list[tuple[Any, str]] = [
    (None, T), (7, T), (1.5, T), ("text", T), (b"\x0a\x01x", T), ([], T), ({}, T), (OBJ, T), (True, T), (NodeConfig, T)]

#: For each kind of argument: (wrong or edge value, expected outcome).
KINDS: dict[str, list[tuple[Any, str]]] = {
    # ---- peat.lowlevel
    "ll_name": _NOT_BYTES + [
        (b"a\0b", V), (b"cap.node.v1.NodeConfig\0", V), (bytearray(b"x\0"), V), (b"", A), (b"no.Such", A),
        (bytearray(b"cap.node.v1.NodeConfig"), A), (memoryview(b"cap.node.v1.NodeConfig"), A)],
    "ll_data": [v for v in _NOT_BYTES if v[0] is not None] + [
        (None, A), (b"", A), (b"\xff\x00junk", A), (bytearray(b"\x0a\x01x"), A), (memoryview(b"\x0a\x01x"), A)],
    "ll_i32": _NOT_INT + [(-1, A), (0, A), (99, A), (2**31 - 1, A), (-(2**31), A), (2**31, V), (-(2**31) - 1, V),
                          (2**32, V), (2**32 + 1, V), (HUGE, V), (-HUGE, V), (0x100, A), (0x102, A), (0x103, A),
                          (0x104, A)],
    "ll_u64": _NOT_INT + [(0, A), (2**63, A), (2**64 - 1, A), (-1, V), (2**64, V), (HUGE, V), (-HUGE, V)],
    "ll_batch": [(None, T), (7, T), (1.5, T), ("text", T), (b"ab", T), (bytearray(b"ab"), T), ({}, T),
                 ({b"x": b"y"}, T), (OBJ, T), (True, T), ([None], T), ([7], T), (["text"], T), ([b"x", 1.5], T),
                 ([], A), ([b""], A), ((b"junk",), A), ([bytearray(b"x"), memoryview(b"y")], A)],
    # ---- the public API
    "bytes": _NOT_BYTES + [(b"", A), (bytearray(b"x"), A), (memoryview(b"x"), A)],
    # a message (object or bytes); str is JSON text, refused with the binary format of these calls
    "input": [v for v in _NOT_BYTES if v[0] != "text"] + [
        ("text", T), (Position(), A), (b"", A), (b"\xff\xff", A), (bytearray(RAW), A), (memoryview(RAW), A)],
    "type": [(None, T), (7, T), (1.5, T), (b"cap.node.v1.NodeConfig", T), ([], T), ({}, T), (OBJ, T), (True, T),
             (int, T), (NodeConfig(), T), ("a\0b", V), ("cap.node.v1.NodeConfig\0", V), ("\ud800", V),
             ("no.Such", V), ("", V), (NodeState, A)],
    "format": [(None, T), (1.5, T), (True, T), (False, T), (b"json", T), ([], T), ({}, T), (OBJ, T),
               ("yaml", V), ("", V), (0, V), (4, V), (-1, V), (2**31, V), (HUGE, V), (0x100, V), (0x102, V),
               (peat.Format.JSON | 0x100, V), ("JSON", A), (2, A), (peat.Format.RUST_JSON, A)],
    "size": _NOT_INT + [(-1, V), (-HUGE, V), (2**64, V), (HUGE, V), (0, A), (10, A), (2**63, A)],
    "time": [(None, T), ("now", T), (b"", T), ([], T), ({}, T), (OBJ, T), (True, T), (-1, V), (-1.5, V),
             (float("nan"), V), (float("inf"), V), (float("-inf"), V), (2**63, V), (HUGE, V), (1e300, V),
             (dt.datetime(1960, 1, 1), V), (NOW, A), (NOW + 0.5, A)],
    "bool": [(None, T), (0, T), (1, T), ("yes", T), ("", T), (1.5, T), ([], T), (OBJ, T), (True, A), (False, A)],
    # strict=: a bool, never the flag's number (PEAT_FORMAT_FLAG_STRICT) nor another int
    "strict": [(None, T), (0, T), (1, T), (0x100, T), (0x102, T), ("yes", T), ("", T), (1.5, T), ([], T), (OBJ, T),
               (True, A), (False, A)],
    "skew": [(1.5, T), ("1", T), (True, T), ([], T), (OBJ, T), (-1, V), (2**64, V), (HUGE, V), (None, A), (0, A)],
    "str": _NOT_STR + [("", A), ("r\0x", A)],
    "roots": [(None, T), ("/opt", T), (b"/opt", T), ([b"/opt"], T), ([7], T), ([None], T), ({}, T), (OBJ, T),
              (True, T), (["relative"], V), (["/opt/../etc"], V), (["\ud800"], V), ([], A), (("/opt",), A),
              (["/"], A), (iter(()), A)],
    # PEM text of a private key (a public key, junk or not UTF-8 is a bad value)
    "private_pem": [(None, T), (7, T), (1.5, T), ([], T), ({}, T), (OBJ, T), (True, T), (NodeConfig(), T),
                    ("", V), ("junk", V), (b"junk", V), (b"\xff", V), ("\ud800", V), (PUB_A, V),
                    (bytearray(KEY_A.encode()), A), (memoryview(KEY_A.encode()), A)],
    "public_pem": [(None, T), (7, T), (1.5, T), ([], T), ({}, T), (OBJ, T), (True, T), (NodeConfig(), T),
                   (b"", V), ("junk", V), (b"\xff", V), ("\ud800", V), (KEY_A, A), (bytearray(PUB_A.encode()), A)],
    # an envelope: bytes or a SignedDirective
    "envelope": [(None, T), (7, T), (-1, T), (1.5, T), ("text", T), ([], T), ({}, T), (OBJ, T), (True, T),
                 (NodeConfig(), T), (sec.VerifyResult(), T), (b"", A), (b"\xff\xff", A), (sec.SignedDirective(), A)],
    # a trust set: a TrustSet, or public keys
    "trust": [(None, T), (7, T), (1.5, T), ("text", T), (PUB_A, T), (b"pem", T), ({}, T), (OBJ, T), (True, T),
              (sec.TrustedKey(), T), (NodeConfig(), T), ([7], T), ([None], T), ([NodeConfig()], T),
              ([sec.TrustSet()], T), ([], V), (["junk"], V), ([b"\xff"], V), ([KEY_A], V), (sec.TrustSet(), V),
              ([sec.TrustedKey()], V), ([PUB_A, PUB_A], V), ((PUB_A.encode(),), A),
              (sec.TrustSet(keys=[sec.TrustedKey(public_key_pem=PUB_A)], threshold=1), A)],
    "keys": [(None, T), (7, T), (1.5, T), ("text", T), (b"pem", T), ({}, T), (OBJ, T), (True, T),
             (sec.TrustSet(), T), (sec.TrustedKey(), T), ([7], T), ([None], T), ([NodeConfig()], T),
             ([b"\xff"], V), (["\ud800"], V), ([], A), (["junk"], A), ([sec.TrustedKey()], A)],
    "threshold": [(None, T), (1.5, T), ("1", T), (True, T), (-1, V), (2**32, V), (HUGE, V), (0, A), (5, A)],
    "chunk_size": [(None, T), (1.5, T), ("1", T), (True, T), (0, V), (-1, V), (2**30 + 1, V), (HUGE, V),
                   (1, A), (2**30, A)],
    "messages": [(None, T), (7, T), (1.5, T), ("text", T), (b"ab", T), ({}, T), ({RAW: RAW}, T), (OBJ, T),
                 (True, T), ([None], T), ([7], T), ([1.5], T), ([OBJ], T), ([RAW, None], T), (_Messages(), A)],
}


def _optional(kind: str) -> list[tuple[Any, str]]:
    """The kind, with None accepted (an optional argument)."""
    return [(v, e) for v, e in KINDS[kind] if v is not None] + [(None, A)]


def _message(cls: type, wrong: object) -> list[tuple[Any, str]]:
    return _NOT_MESSAGE + [(wrong, T), (cls(), A)]


KINDS["type?"] = _optional("type")
KINDS["format?"] = _optional("format")
KINDS["time?"] = _optional("time")
KINDS["size?"] = _optional("size")


def _decompress_deprecated(data: Any, max_size: Any, max_out: Any) -> bytes:
    """decompress with the deprecated keyword (its DeprecationWarning is test_codec's)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return peat.decompress(data, max_out, max_size=max_size)


def _closed(replica: peat.Replica[Any]) -> peat.Replica[Any]:
    """A replica the sweep made, closed at once (the sweep makes hundreds)."""
    replica.close()
    return replica


def _freed(result: tuple[int, int, bytes]) -> tuple[int, int, bytes]:
    """A lowlevel replica_new/open/clone result, its handle freed at once."""
    lowlevel.replica_free(result[1])
    return result


@dataclass
class Spec:
    """A function, a valid call (its arguments by name) and each argument's kind."""

    name: str
    call: Callable[..., object]
    args: dict[str, tuple[str | list[tuple[Any, str]], Any]] = field(default_factory=dict)
    lowlevel: bool = False


def _specs() -> list[Spec]:
    """One Spec per public and lowlevel function (checked against __all__ by the test)."""
    cfg = node_config()
    doc = peat.CellDocument.new(replica="r1", initial=cell_state(), at=NOW)
    op = peat.operation("r1", NOW + 1, AddMember(node_id="n3"))
    directive = directives.read_directive(REFERENCE)
    status = d.DeploymentStatus(directive_id="d-1", node_id="uav-1", state=d.DEPLOYMENT_STATE_PENDING)
    status.reported_at.seconds = NOW - 30
    transition = d.Transition(state=d.DEPLOYMENT_STATE_DOWNLOADING, progress_percent=10)
    transition.reported_at.seconds = NOW - 20
    dir_json = directives.write_directive(directive)
    status_json = directives.write_status(status)
    frame = peat.compress(b"peat" * 100)
    st = node_state().SerializeToString()
    st_json = peat.encode(node_state(), "json").decode()
    cfg_json = peat.encode(cfg, "json").decode()
    cfg_rust = peat.encode(cfg, "rust-json")
    ll_doc = doc.to_bytes()
    ll_op = op.SerializeToString()
    target_req = d.TargetRequest(directive=directive, node_config=cfg).SerializeToString()
    advance_req = d.AdvanceRequest(current=status, transition=transition).SerializeToString()
    summarize_req = d.SummarizeRequest(directive=directive, statuses=[status])
    summarize_req.now.seconds = NOW
    sum_req = summarize_req.SerializeToString()
    cell = b"peat.crdt.v1.CellDoc"
    signed = d.DeploymentDirective(directive_id="d-1", issuer_node_id="c2")
    signed.issued_at.seconds = NOW
    signed.scope.broadcast.SetInParent()
    envelope = peat.sign_directive(signed, KEY_A)
    trust = [PUB_A]
    abc = d.ArtifactSpec(blob_hash="sha256:" + hashlib.sha256(b"abc").hexdigest(), size_bytes=3)
    endless = d.ArtifactSpec(blob_hash=abc.blob_hash, size_bytes=2**62)
    feeding, done, closing = peat.ArtifactVerifier(endless), peat.ArtifactVerifier(abc), peat.ArtifactVerifier(abc)
    done.update(b"abc")
    verify_req = sec.VerifyRequest(envelope=envelope, trust=security.trust_set(trust))
    verify_req.now.seconds = NOW
    sign_req = sec.SignRequest(directive=signed, private_key_pem=KEY_A).SerializeToString()
    target_signed_req = sec.SignedTargetRequest(verify=verify_req, node_config=cfg).SerializeToString()
    ll_spec = abc.SerializeToString()
    h_feed = lowlevel.artifact_new(endless.SerializeToString())[1]
    h_done = lowlevel.artifact_new(ll_spec)[1]
    h_free = lowlevel.artifact_new(ll_spec)[1]
    assert lowlevel.artifact_update(h_done, b"abc")[0] == 0 and 0 not in (h_feed, h_done, h_free)
    artifact_kind = _NOT_MESSAGE + [(NodeConfig(), T), (ll_spec, T), (d.ArtifactSpec(), V),
                                    (d.DeploymentDirective(), V), (d.DeploymentDirective(artifact=abc), A)]
    nc = NODECONFIG.encode()
    ns = b"cap.node.v1.NodeState"
    rep, other_rep, closing_rep, closed_rep = (peat.Replica.open(doc) for _ in range(4))
    closed_rep.close()
    node_rep = peat.Replica.new(peat.NodeDocument, id="n")
    h_rep, h_rep2, h_rep_free = (lowlevel.replica_open(cell, ll_doc)[1] for _ in range(3))
    assert 0 not in (h_rep, h_rep2, h_rep_free)
    doc_cls_kind: list[tuple[Any, str]] = [
        (None, T), (7, T), (1.5, T), ("peat.crdt.v1.CellDoc", T), (b"x", T), ([], T), ({}, T), (OBJ, T), (True, T),
        (int, T), (peat.Document, T), (CellState, T), (NodeConfig, T), (peat.CellDocument(), T), (peat.ZoneDocument, A)]

    s = [
        # ---- peat
        Spec("peat.abi_version", lambda: peat.abi_version()),
        Spec("peat.library_version", lambda: peat.library_version()),
        Spec("peat.library_path", lambda: peat.library_path()),
        Spec("peat.types", lambda: peat.types()),
        Spec("peat.compress", lambda data: peat.compress(data), {"data": ("bytes", b"abc")}),
        Spec("peat.decompress", lambda data, max_out: peat.decompress(data, max_out),
             {"data": ("bytes", frame), "max_out": ("size", 0)}),
        Spec("peat.decompress(max_out=)", lambda data, max_out: peat.decompress(data, max_out=max_out),
             {"data": ("bytes", frame), "max_out": ("size", 0)}),
        Spec("peat.decompress(max_size=) (deprecated)", _decompress_deprecated,
             {"data": ("bytes", frame), "max_size": ("size?", 0),
              "max_out": ([(0, A), (10, T), (-1, T), (None, T), (1.5, T)], 0)}),
        Spec("peat.convert", lambda data, type, from_format, to, strict: peat.convert(
             data, type=type, from_format=from_format, to=to, strict=strict),
             {"data": ("input", RAW), "type": ("type?", NODECONFIG), "from_format": ("format", "binary"),
              "to": ("format", "json"), "strict": ("strict", True)}),
        Spec("peat.convert(message)", lambda data, from_format, to, strict: peat.convert(
             data, from_format=from_format, to=to, strict=strict),
             {"data": (_message(NodeConfig, 7), cfg), "from_format": ("format", "binary"), "to": ("format", "json"),
              "strict": ("strict", False)}),
        Spec("peat.convert(json)", lambda data, from_format, strict: peat.convert(
             data, type=NODECONFIG, from_format=from_format, to="binary", strict=strict),
             {"data": ([("text", V), ('{"iD": "x"}', V), ("\ud800", V), (b"{}", A), ("{}", A)], cfg_json),
              "from_format": ("format", "json"), "strict": ("strict", True)}),
        Spec("peat.decode", lambda data, type, format, strict: peat.decode(data, type, format, strict=strict),
             {"data": ("input", RAW), "type": ("type", NodeConfig), "format": ("format", 1),
              "strict": ("strict", False)}),
        Spec("peat.decode(json)", lambda data, format, strict: peat.decode(data, NodeConfig, format, strict=strict),
             {"data": ([("text", V), ('{"iD": "x"}', V), (b"{}", A), ("{}", A)], cfg_json),
              "format": ("format", "json"), "strict": ("strict", True)}),
        Spec("peat.encode", lambda message, format: peat.encode(message, format),
             {"message": (_message(NodeConfig, b"raw"), cfg), "format": ("format", "json")}),
        Spec("peat.validate", lambda message, type, format, now, max_future_skew_seconds, allow_unknown_enum_values,
             allowed_path_roots, strict: peat.validate(
                 message, type=type, format=format, now=now, max_future_skew_seconds=max_future_skew_seconds,
                 allow_unknown_enum_values=allow_unknown_enum_values, allowed_path_roots=allowed_path_roots,
                 strict=strict),
             {"message": ("input", RAW), "type": ("type?", NODECONFIG), "format": ("format", "binary"),
              "now": ("time?", NOW), "max_future_skew_seconds": ("skew", 300),
              "allow_unknown_enum_values": ("bool", False), "allowed_path_roots": ("roots", ["/opt/peat"]),
              "strict": ("strict", True)}),
        Spec("peat.validate(json)", lambda message, strict: peat.validate(
             message, type=NODECONFIG, format="json", now=NOW, strict=strict),
             {"message": ([("text", V), ('{"iD": "x"}', V), (b"{}", A), ("{}", A)], cfg_json),
              "strict": ("strict", True)}),
        Spec("peat.validate_or_raise", lambda message, type, format, now, allow_unknown_enum_values,
             allowed_path_roots, strict: peat.validate_or_raise(message, type=type, format=format, now=now,
                                                                allow_unknown_enum_values=allow_unknown_enum_values,
                                                                allowed_path_roots=allowed_path_roots, strict=strict),
             {"message": ("input", RAW), "type": ("type?", NODECONFIG), "format": ("format", "binary"),
              "now": ("time?", NOW), "allow_unknown_enum_values": ("bool", False),
              "allowed_path_roots": ("roots", ()), "strict": ("strict", False)}),
        Spec("peat.validate_batch", lambda messages, type, format, now, max_future_skew_seconds,
             allow_unknown_enum_values, allowed_path_roots, strict: peat.validate_batch(
                 messages, type=type, format=format, now=now, max_future_skew_seconds=max_future_skew_seconds,
                 allow_unknown_enum_values=allow_unknown_enum_values, allowed_path_roots=allowed_path_roots,
                 strict=strict),
             {"messages": ("messages", [RAW, RAW]), "type": ("type?", NODECONFIG), "format": ("format", "binary"),
              "now": ("time?", NOW), "max_future_skew_seconds": ("skew", None),
              "allow_unknown_enum_values": ("bool", True), "allowed_path_roots": ("roots", ["/"]),
              "strict": ("strict", True)}),
        Spec("peat.validate_batch(json)", lambda messages, strict: peat.validate_batch(
             messages, type=NODECONFIG, format="rust-json", now=NOW, strict=strict),
             {"messages": ([("text", T), (["text"], A), (['{"iD": "x"}'], A), ([b"{}"], A), ([], A)], [cfg_rust]),
              "strict": ("strict", True)}),
        Spec("peat.sanitize", lambda message, type, from_format, to, strict: peat.sanitize(
             message, type=type, from_format=from_format, to=to, strict=strict),
             {"message": ("input", RAW), "type": ("type?", NODECONFIG), "from_format": ("format", "binary"),
              "to": ("format?", "json"), "strict": ("strict", True)}),
        Spec("peat.sanitize(json)", lambda message, strict: peat.sanitize(
             message, type=NODECONFIG, from_format="json", strict=strict),
             {"message": ([("text", V), ('{"iD": "x"}', V), (b"{}", A), ("{}", A)], cfg_json),
              "strict": ("strict", True)}),
        Spec("peat.merge", lambda a, b, type, from_format, to, strict: peat.merge(
             a, b, type=type, from_format=from_format, to=to, strict=strict),
             {"a": ("input", st), "b": ("input", st), "type": ("type?", NodeState), "from_format": ("format", 1),
              "to": ("format?", None), "strict": ("strict", False)}),
        Spec("peat.merge(json)", lambda a, strict: peat.merge(
             a, st_json, type=NodeState, from_format="json", strict=strict),
             {"a": ([("text", V), ('{"cellID": "x"}', V), (b"{}", A), ("{}", A)], st_json),
              "strict": ("strict", True)}),
        Spec("peat.merge_all", lambda messages, type, from_format, to, strict: peat.merge_all(
             messages, type=type, from_format=from_format, to=to, strict=strict),
             {"messages": ("messages", [st, st, st]), "type": ("type?", NodeState), "from_format": ("format", 1),
              "to": ("format?", "json"), "strict": ("strict", True)}),
        Spec("peat.merge_all(json)", lambda messages, strict: peat.merge_all(
             messages, type=NodeState, from_format="json", strict=strict),
             {"messages": ([(["text"], V), (['{"cellID": "x"}'], V), ([b"{}", "{}"], A)], [st_json] * 3),
              "strict": ("strict", True)}),
        Spec("peat.message_class", lambda name: peat.message_class(name), {"name": ("type", NODECONFIG)}),
        Spec("peat.timestamp", lambda value: peat.timestamp(value), {"value": ("time", NOW)}),
        Spec("peat.operation", lambda replica, at, mutation: peat.operation(replica, at, mutation),
             {"replica": ("str", "r1"), "at": ("time", NOW),
              "mutation": (_NOT_MESSAGE + [(NodeConfig(), T), (AddMember(), A)], AddMember(node_id="n1"))}),
        Spec("peat.Format.of", lambda value: peat.Format.of(value), {"value": ("format", "rust-json")}),
        # ---- documents (NodeDocument and ZoneDocument share every method with CellDocument)
        Spec("peat.CellDocument", lambda data: peat.CellDocument(data), {"data": ("bytes", ll_doc)}),
        Spec("peat.CellDocument.new", lambda replica, initial, id, at: peat.CellDocument.new(
             replica=replica, initial=initial, id=id, at=at),
             {"replica": ("str", "r1"),
              "initial": (_NOT_MESSAGE[1:] + [(NodeConfig(), V), (Position(), T), (CellState(), A), (None, A)],
                          cell_state()),
              "id": ("str", ""), "at": ("time?", NOW)}),
        Spec("peat.NodeDocument.new", lambda initial: peat.NodeDocument.new(replica="r1", initial=initial),
             {"initial": (_NOT_MESSAGE[1:] + [(cell_state(), V), (Position(), T), (None, A), (NodeConfig(), A)],
                          cfg)}),
        Spec("peat.Document.apply", lambda op: doc.apply(op),
             {"op": (_NOT_MESSAGE + [(AddMember(node_id="x"), T), (type(op)(), A)], op)}),
        Spec("peat.Document.merge", lambda other: doc.merge(other),
             {"other": ([(v, T) for v, _ in _NOT_MESSAGE] + [(peat.NodeDocument(), T), (ll_doc, T)], doc)}),
        Spec("peat.Document.materialize_bytes", lambda format: doc.materialize_bytes(format),
             {"format": ("format", "json")}),
        Spec("peat.Document.materialize", lambda: doc.materialize()),
        Spec("peat.Document.to_proto", lambda: doc.to_proto()),
        Spec("peat.Document.to_bytes", lambda: doc.to_bytes()),
        # ---- peat.directives
        Spec("directives.read_directive", lambda data, format, strict: directives.read_directive(
             data, format, strict=strict),
             {"data": ([v for v in KINDS["input"] if v[0] != "text"] + [
                 ("text", A), (REFERENCE[:-1] + ',"directiveID":"x"}', V)], dir_json),
              "format": ("format", "rust-json"), "strict": ("strict", True)}),
        Spec("directives.write_directive", lambda directive, format: directives.write_directive(directive, format),
             {"directive": (_message(d.DeploymentDirective, status), directive), "format": ("format", "json")}),
        Spec("directives.read_status", lambda data, format, strict: directives.read_status(
             data, format, strict=strict),
             {"data": ([v for v in KINDS["input"] if v[0] != "text"] + [("text", A)], status_json),
              "format": ("format", 3), "strict": ("strict", True)}),
        Spec("directives.write_status", lambda status, format: directives.write_status(status, format),
             {"status": (_message(d.DeploymentStatus, directive), status), "format": ("format", "rust-json")}),
        Spec("directives.target", lambda directive, node_config, node_state, resources:
             directives.target(directive, node_config, node_state=node_state, resources=resources),
             {"directive": (_message(d.DeploymentDirective, cfg), directive),
              "node_config": (_message(NodeConfig, node_state()), cfg),
              "node_state": ([(v, e) for v, e in _message(NodeState, cfg) if v is not None] + [(None, A)], None),
              "resources": ([(v, e) for v, e in _message(d.NodeResources, cfg) if v is not None] + [(None, A)],
                            None)}),
        Spec("directives.advance", lambda current, transition: directives.advance(current, transition),
             {"current": (_message(d.DeploymentStatus, transition), status),
              "transition": (_message(d.Transition, status), transition)}),
        Spec("directives.summarize", lambda directive, statuses, now, targeted_node_ids: directives.summarize(
             directive, statuses, now=now, targeted_node_ids=targeted_node_ids),
             {"directive": (_message(d.DeploymentDirective, status), directive),
              "statuses": ([(v, e) for v, e in KINDS["messages"] if v != [RAW, None]] + [([cfg], T), ([], A)],
                           [status]),
              "now": ("time", NOW),
              "targeted_node_ids": ([(v, e) for v, e in KINDS["messages"] if v != [RAW, None]] + [
                  ([b"uav-1"], T), ("uav-1", T), ([], A), (("uav-1", "uav-2"), A)], ["uav-1"])}),
        # ---- directive security (peat.security; its main calls are also peat.*)
        Spec("peat.sign_directive", lambda subject, private_key_pem: peat.sign_directive(subject, private_key_pem),
             {"subject": ([v for v in KINDS["envelope"] if v[0] != b""] + [(b"", V), (d.DeploymentDirective(), A)],
                          signed),
              "private_key_pem": ("private_pem", KEY_A)}),
        Spec("peat.verify_directive", lambda envelope, trust, now, max_age_seconds, max_future_skew_seconds:
             peat.verify_directive(envelope, trust, now=now, max_age_seconds=max_age_seconds,
                                   max_future_skew_seconds=max_future_skew_seconds),
             {"envelope": ("envelope", envelope), "trust": ("trust", trust), "now": ("time", NOW),
              "max_age_seconds": ("skew", None), "max_future_skew_seconds": ("skew", 300)}),
        Spec("security.target_signed", lambda envelope, trust, node_config, now, node_state, resources,
             max_age_seconds, max_future_skew_seconds: security.target_signed(
                 envelope, trust, node_config, now=now, node_state=node_state, resources=resources,
                 max_age_seconds=max_age_seconds, max_future_skew_seconds=max_future_skew_seconds),
             {"envelope": ("envelope", envelope), "trust": ("trust", trust),
              "node_config": (_message(NodeConfig, node_state()), cfg), "now": ("time", NOW),
              "node_state": ([(v, e) for v, e in _message(NodeState, cfg) if v is not None] + [(None, A)], None),
              "resources": ([(v, e) for v, e in _message(d.NodeResources, cfg) if v is not None] + [(None, A)],
                            None),
              "max_age_seconds": ("skew", 60), "max_future_skew_seconds": ("skew", None)}),
        Spec("security.generate_key", lambda: security.generate_key()),
        Spec("security.inspect_key", lambda pem: security.inspect_key(pem), {"pem": ("public_pem", PUB_A)}),
        Spec("security.trust_set", lambda keys, threshold: security.trust_set(keys, threshold=threshold),
             {"keys": ("keys", trust), "threshold": ("threshold", 1)}),
        Spec("peat.ArtifactVerifier", lambda artifact: peat.ArtifactVerifier(artifact),
             {"artifact": (artifact_kind, abc)}),
        Spec("peat.ArtifactVerifier.update", lambda chunk: feeding.update(chunk), {"chunk": ("bytes", b"abc")}),
        Spec("peat.ArtifactVerifier.finish", lambda: done.finish()),
        Spec("peat.ArtifactVerifier.close", lambda: closing.close()),
        # ---- replicas (ABI 1.2)
        Spec("peat.Replica.new", lambda doc_cls, replica, initial, id, at: _closed(peat.Replica.new(
             doc_cls, replica=replica, initial=initial, id=id, at=at)),
             {"doc_cls": (doc_cls_kind, peat.CellDocument), "replica": ("str", "r1"),
              "initial": (_NOT_MESSAGE[1:] + [(NodeConfig(), V), (Position(), T), (CellState(), A), (None, A)],
                          cell_state()),
              "id": ("str", ""), "at": ("time?", NOW)}),
        Spec("peat.Replica.open", lambda doc: _closed(peat.Replica.open(doc)),
             {"doc": ([v for v in doc_cls_kind if not isinstance(v[0], peat.Document) and v[0] is not peat.ZoneDocument]
                      + [(peat.CellDocument, T), (ll_doc, T), (peat.Document(), T), (peat.CellDocument(), A),
                         (peat.NodeDocument(), A)], doc)}),
        Spec("peat.Replica.open(bytes)", lambda doc_cls, data: _closed(peat.Replica.open(doc_cls, data)),
             {"doc_cls": ([v for v in doc_cls_kind if v[0] is not peat.ZoneDocument] + [(doc, T)],
                          peat.CellDocument),
              "data": ([(b"\xff\xff", V)] + KINDS["bytes"], ll_doc)}),
        Spec("peat.Replica.apply", lambda op: rep.apply(op),
             {"op": (_NOT_MESSAGE + [(AddMember(node_id="x"), T), (type(op)(), A)], op)}),
        Spec("peat.Replica.merge", lambda other: rep.merge(other),
             {"other": ([(None, T), (7, T), (1.5, T), ("text", T), ([], T), ({}, T), (OBJ, T), (True, T),
                         (NodeConfig, T), (NodeConfig(), T), (peat.NodeDocument(), T), (peat.CellDocument, T),
                         (node_rep, T), (closed_rep, V), (b"\xff\xff", V), (b"", A), (bytearray(ll_doc), A),
                         (memoryview(ll_doc), A), (ll_doc, A), (rep, A)], other_rep)}),
        Spec("peat.Replica.materialize_bytes", lambda format: rep.materialize_bytes(format),
             {"format": ("format", "json")}),
        Spec("peat.Replica.materialize", lambda: rep.materialize()),
        Spec("peat.Replica.document", lambda: rep.document()),
        Spec("peat.Replica.clone", lambda: _closed(rep.clone())),
        Spec("peat.Replica.close", lambda: closing_rep.close()),
        Spec("security.verify_artifact", lambda artifact, source, chunk_size: security.verify_artifact(
             artifact, source, chunk_size=chunk_size),
             {"artifact": (artifact_kind, abc),
              "source": ([(None, T), (7, T), (1.5, T), ("text", T), (OBJ, T), (True, T), ([7], T), (["t"], T),
                          (io.StringIO("abc"), T), (b"", V), (b"abcd", V), (b"abd", V), ([b"a", b"bc"], A),
                          (io.BytesIO(b"abc"), A), (bytearray(b"abc"), A)], b"abc"),
              "chunk_size": ("chunk_size", 2)}),
        # ---- peat.lowlevel
        Spec("lowlevel.library_path", lambda: lowlevel.library_path(), lowlevel=True),
        Spec("lowlevel.abi_version", lambda: lowlevel.abi_version(), lowlevel=True),
        Spec("lowlevel.version", lambda: lowlevel.version(), lowlevel=True),
        Spec("lowlevel.status_name", lambda status: lowlevel.status_name(status), {"status": ("ll_i32", 3)},
             lowlevel=True),
        Spec("lowlevel.types", lambda: lowlevel.types(), lowlevel=True),
        Spec("lowlevel.convert", lambda type_name, from_format, to_format, data: lowlevel.convert(
             type_name, from_format, to_format, data),
             {"type_name": ("ll_name", nc), "from_format": ("ll_i32", 1), "to_format": ("ll_i32", 2),
              "data": ("ll_data", RAW)}, lowlevel=True),
        Spec("lowlevel.convert(strict)", lambda from_format, data: lowlevel.convert(nc, from_format, 1, data),
             {"from_format": ("ll_i32", 2 | lowlevel.FORMAT_FLAG_STRICT),
              "data": ("ll_data", cfg_json.encode())}, lowlevel=True),
        Spec("lowlevel.validate_batch(strict)", lambda fmt, messages: lowlevel.validate_batch(nc, fmt, messages),
             {"fmt": ("ll_i32", 3 | lowlevel.FORMAT_FLAG_STRICT), "messages": ("ll_batch", [cfg_rust, b"{}"])},
             lowlevel=True),
        Spec("lowlevel.compress", lambda data: lowlevel.compress(data), {"data": ("ll_data", b"abc")}, lowlevel=True),
        Spec("lowlevel.decompress", lambda data, max_out: lowlevel.decompress(data, max_out),
             {"data": ("ll_data", frame), "max_out": ("ll_u64", 0)}, lowlevel=True),
        Spec("lowlevel.validate", lambda type_name, fmt, data, options: lowlevel.validate(
             type_name, fmt, data, options),
             {"type_name": ("ll_name", nc), "fmt": ("ll_i32", 1), "data": ("ll_data", RAW),
              "options": ("ll_data", None)}, lowlevel=True),
        Spec("lowlevel.validate_batch", lambda type_name, fmt, messages, options: lowlevel.validate_batch(
             type_name, fmt, messages, options),
             {"type_name": ("ll_name", nc), "fmt": ("ll_i32", 1), "messages": ("ll_batch", [RAW, RAW]),
              "options": ("ll_data", b"")}, lowlevel=True),
        Spec("lowlevel.sanitize", lambda type_name, from_format, to_format, data: lowlevel.sanitize(
             type_name, from_format, to_format, data),
             {"type_name": ("ll_name", nc), "from_format": ("ll_i32", 1), "to_format": ("ll_i32", 1),
              "data": ("ll_data", RAW)}, lowlevel=True),
        Spec("lowlevel.merge", lambda type_name, from_format, to_format, a, b: lowlevel.merge(
             type_name, from_format, to_format, a, b),
             {"type_name": ("ll_name", ns), "from_format": ("ll_i32", 1), "to_format": ("ll_i32", 1),
              "a": ("ll_data", st), "b": ("ll_data", st)}, lowlevel=True),
        Spec("lowlevel.merge_batch", lambda type_name, from_format, to_format, messages: lowlevel.merge_batch(
             type_name, from_format, to_format, messages),
             {"type_name": ("ll_name", ns), "from_format": ("ll_i32", 1), "to_format": ("ll_i32", 1),
              "messages": ("ll_batch", [st, st, st])}, lowlevel=True),
        Spec("lowlevel.doc_new", lambda doc_type, init: lowlevel.doc_new(doc_type, init),
             {"doc_type": ("ll_name", cell), "init": ("ll_data", None)}, lowlevel=True),
        Spec("lowlevel.doc_apply", lambda doc_type, doc, op: lowlevel.doc_apply(doc_type, doc, op),
             {"doc_type": ("ll_name", cell), "doc": ("ll_data", ll_doc), "op": ("ll_data", ll_op)}, lowlevel=True),
        Spec("lowlevel.doc_merge", lambda doc_type, a, b: lowlevel.doc_merge(doc_type, a, b),
             {"doc_type": ("ll_name", cell), "a": ("ll_data", ll_doc), "b": ("ll_data", ll_doc)}, lowlevel=True),
        Spec("lowlevel.doc_materialize", lambda doc_type, to_format, doc: lowlevel.doc_materialize(
             doc_type, to_format, doc),
             {"doc_type": ("ll_name", cell), "to_format": ("ll_i32", 2), "doc": ("ll_data", ll_doc)}, lowlevel=True),
        Spec("lowlevel.directive_target", lambda request: lowlevel.directive_target(request),
             {"request": ("ll_data", target_req)}, lowlevel=True),
        Spec("lowlevel.directive_advance", lambda request: lowlevel.directive_advance(request),
             {"request": ("ll_data", advance_req)}, lowlevel=True),
        Spec("lowlevel.directive_summarize", lambda request: lowlevel.directive_summarize(request),
             {"request": ("ll_data", sum_req)}, lowlevel=True),
        Spec("lowlevel.key_generate", lambda: lowlevel.key_generate(), lowlevel=True),
        Spec("lowlevel.key_inspect", lambda pem: lowlevel.key_inspect(pem), {"pem": ("ll_data", PUB_A.encode())},
             lowlevel=True),
        Spec("lowlevel.directive_sign", lambda request: lowlevel.directive_sign(request),
             {"request": ("ll_data", sign_req)}, lowlevel=True),
        Spec("lowlevel.directive_verify", lambda request: lowlevel.directive_verify(request),
             {"request": ("ll_data", verify_req.SerializeToString())}, lowlevel=True),
        Spec("lowlevel.directive_target_signed", lambda request: lowlevel.directive_target_signed(request),
             {"request": ("ll_data", target_signed_req)}, lowlevel=True),
        Spec("lowlevel.artifact_new", lambda artifact: lowlevel.artifact_new(artifact),
             {"artifact": ("ll_data", ll_spec)}, lowlevel=True),
        Spec("lowlevel.artifact_update", lambda handle, chunk: lowlevel.artifact_update(handle, chunk),
             {"handle": ("ll_u64", h_feed), "chunk": ("ll_data", b"abc")}, lowlevel=True),
        Spec("lowlevel.artifact_finish", lambda handle: lowlevel.artifact_finish(handle),
             {"handle": ("ll_u64", h_done)}, lowlevel=True),
        Spec("lowlevel.artifact_free", lambda handle: lowlevel.artifact_free(handle),
             {"handle": ("ll_u64", h_free)}, lowlevel=True),
        Spec("lowlevel.replica_new", lambda doc_type, init: _freed(lowlevel.replica_new(doc_type, init)),
             {"doc_type": ("ll_name", cell), "init": ("ll_data", None)}, lowlevel=True),
        Spec("lowlevel.replica_open", lambda doc_type, doc: _freed(lowlevel.replica_open(doc_type, doc)),
             {"doc_type": ("ll_name", cell), "doc": ("ll_data", ll_doc)}, lowlevel=True),
        Spec("lowlevel.replica_clone", lambda replica: _freed(lowlevel.replica_clone(replica)),
             {"replica": ("ll_u64", h_rep)}, lowlevel=True),
        Spec("lowlevel.replica_apply", lambda replica, op: lowlevel.replica_apply(replica, op),
             {"replica": ("ll_u64", h_rep), "op": ("ll_data", ll_op)}, lowlevel=True),
        Spec("lowlevel.replica_merge", lambda replica, doc: lowlevel.replica_merge(replica, doc),
             {"replica": ("ll_u64", h_rep), "doc": ("ll_data", ll_doc)}, lowlevel=True),
        Spec("lowlevel.replica_merge_replica", lambda replica, other: lowlevel.replica_merge_replica(
             replica, other), {"replica": ("ll_u64", h_rep), "other": ("ll_u64", h_rep2)}, lowlevel=True),
        Spec("lowlevel.replica_materialize", lambda replica, to_format: lowlevel.replica_materialize(
             replica, to_format), {"replica": ("ll_u64", h_rep), "to_format": ("ll_i32", 2)}, lowlevel=True),
        Spec("lowlevel.replica_encode", lambda replica: lowlevel.replica_encode(replica),
             {"replica": ("ll_u64", h_rep)}, lowlevel=True),
        Spec("lowlevel.replica_free", lambda replica: lowlevel.replica_free(replica),
             {"replica": ("ll_u64", h_rep_free)}, lowlevel=True),
    ]
    return s


def _public_names() -> set[str]:
    """Every public callable the sweep must cover."""
    names = {f"peat.{n}" for n in peat.__all__
             if callable(getattr(peat, n)) and not (isinstance(getattr(peat, n), type)
                                                    and issubclass(getattr(peat, n), BaseException))}
    # classes: the documents are covered through CellDocument, Format through Format.of,
    # AbiVersion/Applied/Sanitized are result tuples
    names -= {"peat.AbiVersion", "peat.Applied", "peat.Sanitized", "peat.Document", "peat.NodeDocument",
              "peat.ZoneDocument", "peat.Format", "peat.Replica"}
    names |= {"peat.CellDocument.new", "peat.Format.of"}
    names |= {f"peat.Document.{m}" for m in ("apply", "merge", "materialize", "materialize_bytes", "to_proto",
                                             "to_bytes")}
    names |= {f"directives.{n}" for n in directives.__all__}
    # peat.security: what peat.* does not re-export, and the verifier's methods
    names |= {f"security.{n}" for n in security.__all__ if n not in peat.__all__}
    names |= {f"peat.ArtifactVerifier.{m}" for m in ("update", "finish", "close")}
    # Replica() itself only says to use new/open; its constructors and methods
    names |= {f"peat.Replica.{m}" for m in ("new", "open", "apply", "merge", "materialize", "materialize_bytes",
                                            "document", "clone", "close")}
    names |= {f"lowlevel.{n}" for n in lowlevel.__all__ if callable(getattr(lowlevel, n))
              and not isinstance(getattr(lowlevel, n), type)}
    return names


# ---- the child: checked calls into C, the sweep ------------------------------------


class SignatureViolation(Exception):
    """An argument about to reach C that does not match the C signature exactly."""


def _check_c_call(name: str, args: tuple[Any, ...]) -> None:
    restype, argtypes = lowlevel._SIGNATURES[name]
    if len(args) != len(argtypes):
        raise SignatureViolation(f"{name}: {len(args)} arguments for {len(argtypes)} parameters")
    for i, (t, v) in enumerate(zip(argtypes, args)):
        if t is ctypes.c_char_p:
            ok = v is None or type(v) is bytes
            if ok and i + 1 < len(argtypes) and argtypes[i + 1] is ctypes.c_size_t:
                n = args[i + 1]
                if type(n) is not ctypes.c_size_t or n.value != (len(v) if v else 0):
                    raise SignatureViolation(f"{name}: length {n!r} (argument {i + 1}) is not a c_size_t "
                                             f"holding the {len(v) if v else 0} bytes of argument {i}")
        elif t is ctypes.c_int32:
            ok = type(v) is int and -(2**31) <= v < 2**31
        elif t is ctypes.c_size_t or t is ctypes.c_uint64:
            ok = type(v) is t
        elif t is lowlevel._BufP:
            ok = type(v).__name__ == "CArgObject" and isinstance(v._obj, lowlevel._Buf)
        elif t is lowlevel._Ptrs:
            ok = v is None or (isinstance(v, ctypes.Array) and v._type_ is ctypes.c_char_p)
        elif t is lowlevel._Lens or t is lowlevel._U64P:  # one ctypes type on LP64, where size_t is uint64_t
            if lowlevel._Ptrs in argtypes:  # a batch's lengths
                ok = v is None or (isinstance(v, ctypes.Array) and v._type_ is ctypes.c_size_t)
            else:  # the uint64_t* handle of peat_artifact_new, peat_replica_new/open/clone
                ok = type(v).__name__ == "CArgObject" and type(v._obj) is ctypes.c_uint64
        else:
            ok = False
        if not ok:
            raise SignatureViolation(f"{name}: argument {i} is {v!r:.80}, not an exact {t}")
    if lowlevel._Ptrs in argtypes:  # ptrs, lens, count: the arrays and the count agree
        k = argtypes.index(lowlevel._Ptrs)
        ptrs, lens, count = args[k], args[k + 1], args[k + 2].value
        if (ptrs is None) != (count == 0) or (lens is None) != (count == 0) or (
                count and (len(ptrs) != count or len(lens) != count)):
            raise SignatureViolation(f"{name}: batch arrays do not match the count {count}")


def _install_call_checks() -> None:
    for name in lowlevel._SIGNATURES:
        attr = "_" + name[len("peat_"):]
        if name == "peat_buf_free":
            attr = "_free"
        real = getattr(lowlevel, attr)

        def checked(*args: Any, _real: Any = real, _name: str = name) -> Any:
            _check_c_call(_name, args)
            return _real(*args)

        setattr(lowlevel, attr, checked)


def _outcome(fn: Callable[[], object]) -> tuple[str, str]:
    try:
        result = fn()
    except TypeError as exc:
        return T, f"TypeError: {exc}"
    except SignatureViolation as exc:
        return "violation", f"SignatureViolation: {exc}"
    except (ValueError, peat.PeatError) as exc:
        return V, f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - anything else is the failure we look for
        return "other", f"{type(exc).__name__}: {exc}"
    if isinstance(result, tuple) and len(result) in (2, 3) and isinstance(result[0], int):
        return "returned", f"status {result[0]}"  # (status, output) or artifact_new's (status, handle, output)
    return "returned", type(result).__name__


def sweep() -> dict[str, Any]:
    """Runs every spec's valid call and every wrong value; returns the failures and counts."""
    specs = _specs()
    _install_call_checks()
    failures: list[str] = []
    calls = 0
    covered = []
    for spec in specs:
        covered.append(spec.name)
        base = {a: v for a, (_, v) in spec.args.items()}
        got, detail = _outcome(lambda: spec.call(**base))
        calls += 1
        if got != "returned" or (spec.lowlevel and detail not in ("status 0", "str", "int", "NoneType")):
            failures.append(f"{spec.name}(valid call): {detail}")
        for arg, (kind, _) in spec.args.items():
            probes = KINDS[kind] if isinstance(kind, str) else kind
            for value, expected in probes:
                label = f"{spec.name}({arg}={value!r:.60})"
                print(label, file=sys.stderr, flush=True)
                call_args = dict(base, **{arg: value})
                got, detail = _outcome(lambda: spec.call(**call_args))
                calls += 1
                if expected == A:
                    ok = got in (T, V, "returned")
                else:
                    ok = got == expected
                if not ok:
                    failures.append(f"{label}: expected {expected}, got {detail}")
    return {"failures": failures, "calls": calls, "covered": covered}


def _child_env() -> dict[str, str]:
    """This environment, with the peat package this process imported first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (os.path.dirname(peat.__path__[0]), env.get("PYTHONPATH")) if p)
    return env


# ---- tests ------------------------------------------------------------------------


def test_every_function_refuses_wrong_arguments_without_crashing() -> None:
    result = subprocess.run([sys.executable, __file__, "--sweep"], env=_child_env(), capture_output=True, text=True,
                            timeout=300)
    last = result.stderr.strip().splitlines()[-20:]
    assert result.returncode == 0, f"the sweep died (exit {result.returncode}); last lines:\n" + "\n".join(last)
    report = json.loads(result.stdout)
    assert report["failures"] == [], f"{len(report['failures'])} bad outcomes:\n" + "\n".join(report["failures"])
    missing = _public_names() - set(report["covered"])
    assert not missing, f"functions the sweep does not call: {sorted(missing)}"
    assert report["calls"] > 1500


def test_lowlevel_int_type_name_raises_instead_of_crashing() -> None:
    # issue 13 item 8: ll.validate(100000, 1, b'', None) killed the interpreter
    script = ("import peat.lowlevel as ll\n"
              "try:\n    ll.validate(100000, 1, b'', None)\nexcept TypeError as e:\n    print('TypeError', e)\n")
    result = subprocess.run([sys.executable, "-c", script], env=_child_env(), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("TypeError") and "type_name" in result.stdout


def test_lowlevel_str_name_and_out_of_range_ints_never_reach_c() -> None:
    with pytest.raises(TypeError, match="type_name"):
        lowlevel.validate("cap.node.v1.NodeConfig", 1, b"", None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="NUL"):
        lowlevel.convert(b"cap.node.v1.NodeConfig\0junk", 1, 2, RAW)
    with pytest.raises(ValueError, match="int32"):
        lowlevel.status_name(2**32)  # was "OK": the C int wrapped to 0
    with pytest.raises(TypeError):
        lowlevel.status_name(True)
    with pytest.raises(ValueError):
        lowlevel.convert(b"cap.node.v1.NodeConfig", 2**32 + 1, 2, RAW)  # would wrap to BINARY
    with pytest.raises(ValueError):
        lowlevel.decompress(b"", -1)
    with pytest.raises(TypeError):
        lowlevel.compress(7)  # type: ignore[arg-type]
    assert lowlevel.status_name(-1) == "UNKNOWN_STATUS"
    assert lowlevel.compress(memoryview(b"abc"))[0] == 0


def test_signatures_match_peat_h() -> None:
    # the table the call checks use is peat.h's, function by function
    c_types = {"const char*": ctypes.c_char_p, "const uint8_t*": ctypes.c_char_p, "int32_t": ctypes.c_int32,
               "uint32_t": ctypes.c_uint32, "size_t": ctypes.c_size_t, "uint64_t": ctypes.c_uint64,
               "peat_buf*": lowlevel._BufP, "const uint8_t* const*": lowlevel._Ptrs,
               "const size_t*": lowlevel._Lens, "uint64_t*": lowlevel._U64P, "void": None}
    header = re.sub(r"/\*.*?\*/", "", (ROOT / "include" / "peat.h").read_text(), flags=re.S)
    found = {}
    for ret, name, params in re.findall(r"^([\w ]+\*?)\s*(peat_\w+)\(([^)]*)\);", header, flags=re.M):
        if name == "peat_error_view":
            # C-only convenience (plain C in capi/buf.c): it reads an error
            # buffer without a protobuf library; Python parses the Error with
            # its own protobuf runtime and does not bind it.
            continue
        args = [] if params.strip() == "void" else [
            c_types[re.sub(r"\s+", " ", re.sub(r"\s*\w+$", "", p.strip())).replace(" *", "*")]
            for p in params.split(",")]
        found[name] = (c_types[ret.strip()], args)
    assert found == lowlevel._SIGNATURES


def test_lowlevel_declares_the_c_types() -> None:
    assert lowlevel._status_name.argtypes == [ctypes.c_int32]
    assert lowlevel._version.argtypes == [] and lowlevel._abi_version.argtypes == []
    for name, (restype, _) in lowlevel._SIGNATURES.items():
        attr = "_free" if name == "peat_buf_free" else "_" + name[len("peat_"):]
        assert getattr(lowlevel, attr).restype is restype, name


def test_decompress_size_ceiling_is_checked() -> None:
    frame = peat.compress(b"x" * 100)
    with pytest.raises(peat.InvalidArgumentError):
        peat.decompress(frame, max_out=-1)  # was clamped to 1 GiB
    with pytest.raises(peat.InvalidArgumentError):
        peat.decompress(frame, max_out=2**64 + 10)  # was 10 bytes
    with pytest.raises(TypeError):
        peat.decompress(frame, max_out=True)
    with pytest.raises(TypeError):
        peat.decompress(frame, max_out=100.0)  # type: ignore[arg-type]
    with pytest.raises(peat.DecompressError):
        peat.decompress(frame, max_out=99)
    assert peat.decompress(frame, max_out=100) == b"x" * 100
    assert peat.decompress(frame, max_out=2**64 - 1) == b"x" * 100  # clamped to 1 GiB by libpeat
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(peat.InvalidArgumentError, match="max_size"):
            peat.decompress(frame, max_size=-1)  # the deprecated name is checked the same way
        with pytest.raises(TypeError):
            peat.decompress(frame, max_size=True)


def test_compress_takes_bytes_only() -> None:
    for bad in (7, 10**12, -1, True, None, "text", [1, 2], 1.5):
        with pytest.raises(TypeError):
            peat.compress(bad)  # type: ignore[arg-type]
    for ok in (b"abc", bytearray(b"abc"), memoryview(b"abc")):
        assert peat.decompress(peat.compress(ok)) == b"abc"


def test_decode_refuses_non_bytes() -> None:
    for bad in ({}, [], 0, 5, None, object()):
        with pytest.raises(TypeError):
            peat.decode(bad, NodeState)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="JSON text"):
        peat.decode("{}", NodeState)  # a str is JSON text, not binary
    assert peat.decode("{}", NodeState, "json") == NodeState()


def test_a_dict_is_not_a_message_and_the_error_says_so() -> None:
    # issue 15 item 10: validate_batch([{...}]) said "bytes input needs type=", validate({...}) nothing about dicts
    fields: Any = {"id": "x"}
    calls: list[Callable[[], object]] = [
        lambda: peat.validate(fields),
        lambda: peat.validate(fields, type=NodeConfig, format="json"),
        lambda: peat.validate_batch([fields]),
        lambda: peat.validate_batch([RAW, fields]),
        lambda: peat.validate_or_raise(fields),
        lambda: peat.merge(fields, fields),
        lambda: peat.merge_all([fields]),
        lambda: peat.convert(fields, type=NodeConfig),
        lambda: peat.sanitize(fields),
    ]
    for call in calls:
        with pytest.raises(TypeError, match="a dict is not accepted as a message") as exc:
            call()
        assert "json.dumps" in str(exc.value) and "type=" in str(exc.value)
    with pytest.raises(TypeError, match="^JSON text needs type="):
        peat.validate_batch(['{"id": "x"}'], format="json")
    with pytest.raises(TypeError, match="^bytes input needs type="):
        peat.validate(RAW)


def test_nul_in_a_type_name_is_refused() -> None:
    for call in (lambda: peat.validate(RAW, type="cap.node.v1.NodeConfig\0x"),
                 lambda: peat.convert(RAW, type="cap.node.v1.NodeConfig\0"),
                 lambda: peat.decode(RAW, "cap.node.v1.NodeConfig\0x"),
                 lambda: peat.merge(RAW, RAW, type="cap.node.v1.NodeConfig\0")):
        with pytest.raises(peat.PeatError) as exc:
            call()
        assert isinstance(exc.value, ValueError)
        assert exc.value.status_name in ("INVALID_ARGUMENT", "UNKNOWN_TYPE")
    with pytest.raises(peat.InvalidArgumentError, match="NUL"):
        peat.validate(RAW, type="cap.node.v1.NodeConfig\0x")


def test_formats_are_strict() -> None:
    assert peat.Format.of("JSON") is peat.Format.JSON and peat.Format.of(3) is peat.Format.RUST_JSON
    for bad in (1.0, True, None, b"json", [1]):
        with pytest.raises(TypeError):
            peat.Format.of(bad)  # type: ignore[arg-type]
    for bad_value in (0, 4, -1, 2**64, "yaml"):
        with pytest.raises(peat.InvalidArgumentError):
            peat.Format.of(bad_value)
    with pytest.raises(TypeError):
        peat.validate(node_config(), format=1.0)  # type: ignore[arg-type]


def test_time_arguments_are_finite_and_in_range() -> None:
    for bad in (float("nan"), float("inf"), -1, 2**63, dt.datetime(1969, 12, 31)):
        with pytest.raises(peat.InvalidArgumentError):
            peat.timestamp(bad)
    with pytest.raises(peat.InvalidArgumentError):
        peat.validate(node_config(), now=float("inf"))
    assert peat.timestamp(2**63 - 1).seconds == 2**63 - 1


def test_iterables_are_not_strings() -> None:
    d_ = d.DeploymentDirective(directive_id="d-1")
    with pytest.raises(TypeError):
        directives.summarize(d_, [], now=NOW, targeted_node_ids="uav-1")  # was ['u','a','v',...]
    with pytest.raises(TypeError):
        peat.validate_batch("{}", type=NodeConfig, format="json")  # was two JSON texts, "{" and "}"
    with pytest.raises(TypeError):
        peat.merge_all({RAW: RAW}, type=NodeConfig)  # was its keys


def test_type_name_cache_stays_bounded() -> None:
    # issue 13 item 10: every distinct name used to be cached forever
    registered = set(peat.types())
    assert set(_messages._name_bytes) == registered
    for i in range(300_000):
        _messages.name_bytes(f"cap.unknown.v1.Type{i}")
    assert set(_messages._name_bytes) == registered
    # and the public calls (which encode names through the same function)
    for i in range(2_000):
        name = f"cap.unknown.v1.Public{i}"
        for call in (lambda: peat.validate(RAW, type=name), lambda: peat.convert(RAW, type=name),
                     lambda: peat.decode(RAW, name), lambda: peat.sanitize(RAW, type=name)):
            with pytest.raises(peat.PeatError):
                call()
    assert set(_messages._name_bytes) == registered
    assert _messages.name_bytes(NODECONFIG) is _messages.name_bytes(NODECONFIG)  # registered names are cached


if __name__ == "__main__":
    if sys.argv[1:] == ["--sweep"]:
        print(json.dumps(sweep()))
    else:
        report = sweep()
        print(ascii("\n".join(report["failures"])) if report["failures"] else f"ok: {report['calls']} calls")
