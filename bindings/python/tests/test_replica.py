"""peat.Replica: documents held open in libpeat (ABI 1.2, peat.h "Replicas").

A replica must give, byte for byte, what the stateless document calls give
(the recorded vectors of tests/vectors/doc, and random sequences of
operations and merges against peat.Document), keep clones independent, leave
itself unchanged when a call fails, and never leak or misuse its handle:
context manager, idempotent close, a clear error after close, a finaliser
for a forgotten close, no copies.
"""

from __future__ import annotations

import copy
import gc
import json
import pickle
import threading
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import peat
from peat import lowlevel
from peat.pb.cap.cell.v1.cell_pb2 import CellState
from peat.pb.cap.node.v1.node_pb2 import HealthStatus, Node
from peat.pb.cap.zone.v1.zone_pb2 import ZoneConfig, ZoneState
from peat.pb.peat.api.v1.api_pb2 import Error
from peat.pb.peat.crdt.v1 import crdt_pb2 as ops

from conftest import NOW, VECTORS, cell_state, node_config
from test_documents import REPLICAS, mutation

FORMATS = {"binary": 1, "json": 2, "rust-json": 3}
CELL = peat.CellDocument.DOC_TYPE.encode()


def _start() -> peat.CellDocument:
    return peat.CellDocument.new(replica="r0", initial=cell_state(members=("n1", "n2")), at=NOW)


# ---- the recorded document vectors, replayed through replica handles ---------------------------


def _doc_cases() -> list[Any]:
    m = json.loads((VECTORS / "doc" / "manifest.json").read_text())
    return [pytest.param(case, id=case["name"]) for case in m["cases"]]


def _replay(case: dict[str, Any]) -> tuple[int, bytes]:
    """The stateless call of a doc vector, made with a replica; returns (status, output) as that call would."""
    d = VECTORS / "doc"
    ins = [(d / n).read_bytes() for n in case.get("inputs") or []]
    name, op = case["type"].encode(), case["op"]
    if op == "doc_new":
        status, handle, out = lowlevel.replica_new(name, ins[0] if ins else None)
    else:
        status, handle, out = lowlevel.replica_open(name, ins[0])
    if status:
        return status, out
    try:
        if op == "doc_materialize":
            return lowlevel.replica_materialize(handle, FORMATS[case["to"]])
        if op == "doc_new":
            return lowlevel.replica_encode(handle)
        before = lowlevel.replica_encode(handle)
        if op == "doc_apply":
            status, out = lowlevel.replica_apply(handle, ins[1])  # out: the delta
        else:
            assert op == "doc_merge", op
            status, out = lowlevel.replica_merge(handle, ins[1])  # out: empty
        if status:
            assert lowlevel.replica_encode(handle) == before, "a failed call changed the replica"
            return status, out
        status, doc = lowlevel.replica_encode(handle)
        assert status == 0
        if op == "doc_apply":  # the stateless call returns both, as an ApplyResult
            return 0, ops.ApplyResult(doc=doc, delta=out).SerializeToString(deterministic=True)
        assert out == b""
        return 0, doc
    finally:
        lowlevel.replica_free(handle)


@pytest.mark.parametrize("case", _doc_cases())
def test_replica_replays_every_document_vector(case: dict[str, Any]) -> None:
    expect = case["expect"]
    status, out = _replay(case)
    assert lowlevel.status_name(status) == expect["status"], out
    if status:
        assert Error.FromString(out).code == expect.get("code", expect["status"])
        return
    want = (VECTORS / "doc" / expect["output"]).read_bytes()
    if case["op"] == "doc_apply":  # compare the parts: doc and delta, each byte for byte
        got, rec = ops.ApplyResult.FromString(out), ops.ApplyResult.FromString(want)
        assert (got.doc, got.delta) == (rec.doc, rec.delta)
    else:
        assert out == want


# ---- random sequences: a replica against the document calls ----------------------------------

action = st.one_of(
    # (kind, replica, seconds after NOW or another replica, mutation or how to merge)
    st.tuples(st.just("apply"), st.integers(0, 2), st.integers(0, 20), mutation),
    st.tuples(st.just("merge"), st.integers(0, 2), st.integers(0, 2),
              st.sampled_from(["document", "bytes", "replica", "delta"])),
    st.tuples(st.just("clone"), st.integers(0, 2), st.just(0), st.just("")),
    st.tuples(st.just("materialize"), st.integers(0, 2), st.just(0), st.sampled_from(["binary", "json", "rust-json"])),
)


def _outcome(fn: Any) -> tuple[str, str, Any]:
    try:
        return "ok", "", fn()
    except peat.PeatError as exc:
        return type(exc).__name__, exc.code, None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=st.lists(action, max_size=30))
def test_replicas_give_the_document_calls_results_byte_for_byte(actions: list[Any]) -> None:
    docs = [_start()] * 3
    reps = [peat.Replica.open(docs[0]) for _ in range(3)]
    deltas: list[peat.CellDocument] = []
    try:
        for kind, i, x, arg in actions:
            if kind == "apply":
                op = peat.operation(REPLICAS[i], NOW + x, arg)
                want = _outcome(lambda: docs[i].apply(op))
                got = _outcome(lambda: reps[i].apply(op))
                assert got[:2] == want[:2]
                if want[0] == "ok":
                    docs[i] = want[2].doc
                    assert got[2] == want[2].delta and type(got[2]) is peat.CellDocument
                    deltas.append(want[2].delta)
            elif kind == "merge":
                source = deltas[-1] if arg == "delta" and deltas else docs[x]
                want = _outcome(lambda: docs[i].merge(source))
                how: Any = {"document": source, "bytes": bytearray(source.to_bytes()), "delta": source,
                            "replica": reps[x]}[arg]
                got = _outcome(lambda: reps[i].merge(how))
                assert got[:2] == want[:2] and got[2] is None
                if want[0] == "ok":
                    docs[i] = want[2]
            elif kind == "clone":  # carry on with a clone, close the original
                clone = reps[i].clone()
                reps[i].close()
                reps[i] = clone
            else:
                want = _outcome(lambda: docs[i].materialize_bytes(arg))
                assert _outcome(lambda: reps[i].materialize_bytes(arg)) == want
            for r, d in zip(reps, docs):
                assert r.document() == d and r.document().to_bytes() == d.to_bytes()
        for r, d in zip(reps, docs):
            assert r.materialize() == d.materialize()
    finally:
        for r in reps:
            r.close()


def test_node_and_zone_replicas() -> None:
    node = peat.NodeDocument.new(replica="r", initial=node_config(), at=NOW)
    with peat.Replica.new(peat.NodeDocument, replica="r", initial=node_config(), at=NOW) as r:
        assert r.document() == node and r.document_class is peat.NodeDocument
        op = peat.operation("r", NOW + 1, ops.UpdateHealth(health=HealthStatus.HEALTH_STATUS_DEGRADED))
        node, delta = node.apply(op)
        assert r.apply(op) == delta and r.document() == node
        got = r.materialize()
        assert isinstance(got, Node) and got == node.materialize()
        assert got.state.health == HealthStatus.HEALTH_STATUS_DEGRADED
    zone = ZoneState(config=ZoneConfig(id="z1", max_cells=4), timestamp={"seconds": NOW})
    with peat.Replica.new(peat.ZoneDocument, replica="r", initial=zone) as z:
        zone_delta = z.apply(peat.operation("r", NOW + 1, ops.AddCell(cell_id="c1")))
        assert isinstance(zone_delta, peat.ZoneDocument) and list(z.materialize().cells) == ["c1"]
        assert isinstance(z.materialize(), ZoneState)


def test_new_takes_the_arguments_of_document_new() -> None:
    cases: list[dict[str, Any]] = [{}, {"id": "cell-9"}, {"replica": "r", "initial": cell_state()},
                                   {"replica": "r", "initial": cell_state(), "at": NOW}]
    for kwargs in cases:
        with peat.Replica.new(peat.CellDocument, **kwargs) as r:
            assert r.document() == peat.CellDocument.new(**kwargs)
    with pytest.raises(peat.InvalidArgumentError) as exc:
        peat.Replica.new(peat.CellDocument, replica="r", initial=node_config())
    assert exc.value.code == "WRONG_INITIAL_TYPE"
    with pytest.raises(TypeError):
        peat.Replica.new(peat.CellDocument, initial=ops.AddMember())


def test_open_from_a_document_or_its_bytes() -> None:
    doc, _ = _start().apply(peat.operation("r1", NOW + 1, ops.AddMember(node_id="n3")))
    for r in (peat.Replica.open(doc), peat.Replica.open(peat.CellDocument, doc.to_bytes()),
              peat.Replica.open(peat.CellDocument, memoryview(doc.to_bytes()))):
        with r:
            assert r.document() == doc and r.materialize() == doc.materialize()
    with peat.Replica.open(peat.CellDocument, b"") as empty:
        assert empty.document() == peat.CellDocument()
    with pytest.raises(peat.DecodeError):
        peat.Replica.open(peat.CellDocument, b"\xff\xff")


def test_clones_are_independent() -> None:
    with peat.Replica.open(_start()) as a, a.clone() as b:
        assert a.document() == b.document()
        a.apply(peat.operation("r1", NOW + 1, ops.AddMember(node_id="n3")))
        b.apply(peat.operation("r2", NOW + 2, ops.RemoveMember(node_id="n2")))
        assert list(a.materialize().members) == ["n1", "n2", "n3"]
        assert list(b.materialize().members) == ["n1"]
        c = a.clone()
        a.close()  # a clone outlives its original
        assert list(c.materialize().members) == ["n1", "n2", "n3"]
        b.merge(c)
        assert list(b.materialize().members) == ["n1", "n3"]
        assert list(c.materialize().members) == ["n1", "n2", "n3"]  # the merged-in replica is unchanged
        c.merge(c)  # merging a replica into itself is idempotent
        assert list(c.materialize().members) == ["n1", "n2", "n3"]
        c.close()


def test_a_failed_call_leaves_the_replica_unchanged() -> None:
    with peat.Replica.open(_start()) as r:
        before = r.document()
        with pytest.raises(peat.InvalidMessageError) as exc:
            r.apply(peat.operation("r1", NOW + 1, ops.SetLeader(node_id="stranger")))
        assert exc.value.code == "INVALID_LEADER" and exc.value.path == "set_leader.node_id"
        with pytest.raises(peat.MismatchError):
            r.merge(peat.CellDocument.new(id="other-cell"))
        with pytest.raises(peat.DecodeError):
            r.merge(b"\xff\xff")
        status, _ = lowlevel.replica_materialize(r._handle, 99)  # a format only libpeat refuses
        assert lowlevel.status_name(status) == "INVALID_ARGUMENT"
        assert r.document() == before


def test_use_after_close_is_a_clean_error_and_close_is_idempotent() -> None:
    r = peat.Replica.open(_start())
    other = peat.Replica.open(_start())
    assert not r.closed and "handle 0x" in repr(r)
    r.close()
    r.close()
    assert r.closed and repr(r) == "<Replica of CellDocument closed>"
    op = peat.operation("r1", NOW + 1, ops.AddMember(node_id="n3"))
    calls = [lambda: r.apply(op), lambda: r.merge(_start()), lambda: r.merge(b""), lambda: r.merge(other),
             lambda: r.materialize(), lambda: r.materialize_bytes("json"), lambda: r.document(),
             lambda: r.clone(), lambda: other.merge(r), lambda: r.__enter__()]
    for call in calls:
        with pytest.raises(peat.InvalidArgumentError) as exc:
            call()
        assert exc.value.code == "INVALID_HANDLE" and "closed" in exc.value.message
        assert isinstance(exc.value, ValueError)
    with other:
        pass
    assert other.closed
    with pytest.raises(peat.InvalidArgumentError):
        with other:
            pass


def test_wrong_arguments_raise_type_errors() -> None:
    with peat.Replica.open(_start()) as r:
        bad_ops: list[Any] = [None, 7, "op", b"\x0a", ops.AddMember(node_id="n3"), cell_state()]
        for bad in bad_ops:
            with pytest.raises(TypeError):
                r.apply(bad)
        bad_others: list[Any] = [None, 7, "doc", [b""], peat.NodeDocument(), peat.CellDocument, object()]
        for bad in bad_others:
            with pytest.raises(TypeError):
                r.merge(bad)
        with peat.Replica.new(peat.NodeDocument, id="n") as node:
            with pytest.raises(TypeError, match="cannot merge a Replica of NodeDocument"):
                r.merge(node)
        bad_formats: list[Any] = [None, 1.5, True, b"json"]
        for bad in bad_formats:
            with pytest.raises(TypeError):
                r.materialize_bytes(bad)
        for fmt in ("yaml", 0, 4):
            with pytest.raises(peat.InvalidArgumentError):
                r.materialize_bytes(fmt)
    bad_classes: list[Any] = [None, peat.Document, CellState, "peat.crdt.v1.CellDoc", int, peat.CellDocument()]
    for bad in bad_classes:
        with pytest.raises(TypeError):
            peat.Replica.new(bad)
    bad_opens: list[tuple[Any, ...]] = [(None,), (7,), (b"",), (peat.Document,), (peat.CellDocument,),
                                        (peat.CellDocument, "text"), (peat.CellDocument, None), (_start(), b"")]
    for args in bad_opens:
        with pytest.raises(TypeError):
            peat.Replica.open(*args)
    with pytest.raises(TypeError, match="Replica.new"):
        peat.Replica()
    for dup in (copy.copy, copy.deepcopy, pickle.dumps):
        with peat.Replica.open(_start()) as r, pytest.raises(TypeError, match="cannot be copied"):
            dup(r)


def test_closed_and_collected_replicas_release_their_handles() -> None:
    # libpeat allows 65,536 live handles: 70,000 leaked ones would fail with TOO_MANY_HANDLES
    doc = _start()
    for _ in range(70_000):
        peat.Replica.open(doc).close()
    for _ in range(35_000):
        with peat.Replica.new(peat.CellDocument, id="c") as r, r.clone():
            pass
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(70_000):
            peat.Replica.open(doc)  # dropped at once: __del__ frees the handle
    assert len(caught) == 70_000 and all(w.category is ResourceWarning for w in caught)


def test_del_of_an_unclosed_replica_frees_its_handle_once() -> None:
    r = peat.Replica.open(_start())
    handle = r._handle
    with pytest.warns(ResourceWarning, match="unclosed <Replica of CellDocument"):
        del r
        gc.collect()
    status, out = lowlevel.replica_encode(handle)
    assert lowlevel.status_name(status) == "INVALID_ARGUMENT" and Error.FromString(out).code == "INVALID_HANDLE"
    lowlevel.replica_free(handle)  # freeing again is a no-op


def test_too_many_live_replicas_is_a_clean_error() -> None:
    live = []
    try:
        with pytest.raises(peat.TooLargeError) as exc:
            for _ in range(70_000):
                live.append(peat.Replica.new(peat.CellDocument, id="c"))
        assert exc.value.code == "TOO_MANY_HANDLES" and len(live) <= 65_536
    finally:
        for r in live:
            r.close()
    with peat.Replica.new(peat.CellDocument, id="c"):
        pass  # released: creating works again


def test_replicas_in_threads() -> None:
    ops_ = [peat.operation("r1", NOW + i, ops.AddMember(node_id=f"n{i}")) for i in range(3, 8)]
    want = _start()
    for op in ops_:
        want, _ = want.apply(op)
    errors: list[BaseException] = []
    shared = peat.Replica.open(want)

    def work() -> None:
        try:
            for _ in range(50):
                with peat.Replica.open(_start()) as r:
                    for op in ops_:
                        r.apply(op)
                    assert r.document() == want
                    shared.merge(r)  # concurrent calls on one replica are serialised by libpeat
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert shared.document() == want
    shared.close()


def test_lowlevel_replica_calls_follow_c() -> None:
    status, handle, out = lowlevel.replica_new(CELL, None)
    assert status == 0 and handle != 0 and out == b""
    assert lowlevel.replica_encode(handle) == (0, b"")  # an empty document is zero bytes
    status, twin, out = lowlevel.replica_clone(handle)
    assert status == 0 and twin not in (0, handle)
    assert lowlevel.replica_merge_replica(handle, twin) == (0, b"")
    assert lowlevel.replica_merge(handle, None) == (0, b"")
    status, bad, out = lowlevel.replica_open(b"peat.crdt.v1.NoSuchDoc", b"")
    assert lowlevel.status_name(status) == "UNKNOWN_TYPE" and bad == 0 and Error.FromString(out).code
    with peat.Replica.new(peat.NodeDocument, id="n") as node:
        status, out = lowlevel.replica_merge_replica(handle, node._handle)
        assert lowlevel.status_name(status) == "MISMATCH" and Error.FromString(out).code == "DOC_TYPE_MISMATCH"
    for h in (handle, twin):
        lowlevel.replica_free(h)
        lowlevel.replica_free(h)
    lowlevel.replica_free(0)
    status, out = lowlevel.replica_apply(handle, b"")
    assert Error.FromString(out).code == "INVALID_HANDLE"
