"""16 threads calling concurrently get exactly the results of one thread."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import peat
from peat.pb.peat.crdt.v1 import crdt_pb2 as ops

from conftest import NOW, cell_state, node_config, node_state

THREADS = 16


def _work(i: int) -> tuple[bytes, ...]:
    """A mix of every kind of call; deterministic for a given i."""
    cfg = node_config(f"uav-{i % 4}", n_caps=1 + i % 5)
    bad = cfg.SerializeToString()[:-3]
    doc = peat.CellDocument.new(replica="r0", initial=cell_state(), at=NOW)
    doc, delta = doc.apply(peat.operation(f"r{i % 3}", NOW + i % 7, ops.AddMember(node_id=f"n{i % 6 + 3}")))
    try:
        peat.decode(bad, type(cfg))
        err = b""
    except peat.DecodeError as e:
        err = e.code.encode()
    return (
        peat.convert(cfg, to="json"),
        peat.convert(cfg, to="rust-json"),
        peat.validate(cfg, now=NOW).SerializeToString(),
        peat.validate_batch([node_state(), bad], type=type(node_state()), now=NOW).SerializeToString(),
        peat.encode(peat.merge(node_state(seconds=NOW - i % 9), node_state(seconds=NOW - 3))),
        doc.to_bytes(),
        delta.to_bytes(),
        doc.materialize_bytes(),
        peat.decompress(peat.compress(cfg.SerializeToString())),
        err,
    )


def test_threads_match_single_thread() -> None:
    inputs = list(range(200))
    expected = [_work(i) for i in inputs]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for _ in range(3):
            assert list(pool.map(_work, inputs)) == expected
