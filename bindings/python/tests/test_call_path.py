"""The per-call steps made cheaper for issue 16 item 6 still give the same results.

peat.lowlevel shares one c_size_t object per small length, reuses output
buffers (peat_buf slots taken from a free list), copies outputs by slicing a
char pointer and frees them without releasing the GIL; _messages looks the
usual format spellings up in a table. These tests check the results across
the boundaries of each shortcut, from many threads and from signal handlers
that interrupt a call between its steps.
"""

from __future__ import annotations

import ctypes
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import peat
from peat import _messages, lowlevel
from peat.pb.cap.node.v1.node_pb2 import NodeConfig

from conftest import node_config

NODECONFIG = b"cap.node.v1.NodeConfig"


def test_every_input_length_reaches_c_exactly() -> None:
    # lengths below, at and above the shared c_size_t objects (0..511), as bytes, bytearray and memoryview
    for n in list(range(0, 600)) + [1023, 1024, 4096, 65537]:
        data = bytes(i % 251 for i in range(n))
        for arg in (data, bytearray(data), memoryview(data)):
            status, frame = lowlevel.compress(arg)
            assert status == 0
            assert lowlevel.decompress(frame, 0) == (0, data)
    assert all(lowlevel._SIZES[n].value == n for n in range(512)), "a shared size object was changed"
    assert type(lowlevel._SIZES[10**6]) is type(lowlevel._SIZES[0]) and lowlevel._SIZES[10**6].value == 10**6
    assert 10**6 not in lowlevel._SIZES, "sizes above the table are not kept"


def test_outputs_are_copied_whole_and_independent() -> None:
    raw = node_config(n_caps=40).SerializeToString()
    outs = [lowlevel.convert(NODECONFIG, 1, 2, raw)[1] for _ in range(3)]
    assert outs[0] == outs[1] == outs[2] and len(outs[0]) > 1000
    assert peat.decode(outs[0], NodeConfig, "json") == node_config(n_caps=40)
    status, err = lowlevel.convert(b"no.Such", 1, 2, raw)  # an error buffer, then an empty output
    assert status != 0 and err and lowlevel.convert(NODECONFIG, 1, 1, b"") == (0, b"")


def test_output_slots_stay_few_and_clean() -> None:
    def work(i: int) -> bytes:
        return lowlevel.convert(NODECONFIG, 1, 2, node_config(f"uav-{i}").SerializeToString())[1]

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(work, range(2000)))
    assert results == [work(i) for i in range(2000)]
    assert len(lowlevel._slots) <= 16 + 2, "slots are not returned to the free list"
    assert all(not out.len and not out.data for out, _ in lowlevel._slots), "a slot kept a freed buffer"


def add_sa_onstack(signum: int) -> None:
    """Re-installs the handler of signum with SA_ONSTACK, as include/peat.h rule 7
    asks of a host that installs handlers after loading libpeat. CPython sets
    SA_ONSTACK itself from 3.10 (bpo-43390); 3.9's signal.signal does not, and a
    signal landing on a thread that runs Go code then runs the handler on the
    goroutine's small stack and crashes the process. Linux glibc layout of
    struct sigaction: handler (8 bytes), sa_mask (128), sa_flags (int), restorer."""
    libc = ctypes.CDLL(None, use_errno=True)
    act = ctypes.create_string_buffer(152)
    assert libc.sigaction(signum, None, act) == 0, ctypes.get_errno()
    flags = ctypes.c_int.from_buffer(act, 136)
    flags.value |= 0x08000000  # SA_ONSTACK
    assert libc.sigaction(signum, act, None) == 0, ctypes.get_errno()


def test_calls_made_by_signal_handlers_do_not_disturb_the_interrupted_call() -> None:
    # A signal handler runs between two bytecodes of the main thread, e.g. between
    # a call into libpeat and the copy of its output: it must get its own slot.
    small = node_config().SerializeToString()
    big = node_config(n_caps=20).SerializeToString()
    want_small = lowlevel.convert(NODECONFIG, 1, 2, small)
    want_big = lowlevel.convert(NODECONFIG, 1, 3, big)
    handled = 0

    def handler(signum: int, frame: Any) -> None:
        nonlocal handled
        handled += 1
        assert lowlevel.convert(NODECONFIG, 1, 2, small) == want_small
        assert peat.decompress(peat.compress(b"x" * 700)) == b"x" * 700

    old = signal.signal(signal.SIGALRM, handler)
    if sys.version_info < (3, 10) and sys.platform == "linux":
        add_sa_onstack(signal.SIGALRM)  # what the README asks of 3.9 hosts
    signal.setitimer(signal.ITIMER_REAL, 0.0002, 0.0002)
    try:
        deadline = time.monotonic() + 1.5
        calls = 0
        while time.monotonic() < deadline:
            assert lowlevel.convert(NODECONFIG, 1, 3, big) == want_big
            assert lowlevel.validate(NODECONFIG, 1, small, None)[0] == 0
            calls += 1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0, 0)
        signal.signal(signal.SIGALRM, old)
    assert handled > 50 and calls > 50, (handled, calls)


def test_format_spellings_are_looked_up_as_format_of_reads_them() -> None:
    for value in (*peat.Format, 1, 2, 3, "binary", "json", "rust-json", "rust_json", "JSON", "Rust-Json"):
        assert _messages.format_number(value) == int(peat.Format.of(value))
        assert type(_messages.format_number(value)) is int
        assert peat.Format.of(value) is peat.Format(_messages.format_number(value))
    for wrong in (True, False, 1.0, 2.0, None, b"json", [1]):
        with pytest.raises(TypeError):
            _messages.format_number(wrong)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            peat.Format.of(wrong)  # type: ignore[arg-type]
    for bad in (0, 4, -1, 0x102, "yaml", ""):
        with pytest.raises(peat.InvalidArgumentError):
            _messages.format_number(bad)
