"""BLAKE3 (hash mode, 32-byte output) in plain Python, after the BLAKE3 reference implementation.

The test suite's independent source of ``blake3:`` digests (Python's hashlib
has no BLAKE3, and the wheel may depend on nothing but protobuf); slow, meant
for test blobs of a few hundred KiB. Checked against the published digests of
"" and "abc" in test_security.py.
"""

from __future__ import annotations

_IV = (0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19)
_PERMUTATION = (2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8)
_CHUNK_START, _CHUNK_END, _PARENT, _ROOT = 1, 2, 4, 8
_BLOCK_LEN, _CHUNK_LEN = 64, 1024
_M = 0xFFFFFFFF


def _g(s: list[int], a: int, b: int, c: int, d: int, x: int, y: int) -> None:
    s[a] = (s[a] + s[b] + x) & _M
    v = s[d] ^ s[a]
    s[d] = ((v >> 16) | (v << 16)) & _M
    s[c] = (s[c] + s[d]) & _M
    v = s[b] ^ s[c]
    s[b] = ((v >> 12) | (v << 20)) & _M
    s[a] = (s[a] + s[b] + y) & _M
    v = s[d] ^ s[a]
    s[d] = ((v >> 8) | (v << 24)) & _M
    s[c] = (s[c] + s[d]) & _M
    v = s[b] ^ s[c]
    s[b] = ((v >> 7) | (v << 25)) & _M


def _compress(cv: tuple[int, ...], m: list[int], counter: int, block_len: int, flags: int) -> list[int]:
    s = list(cv) + list(_IV[:4]) + [counter & _M, (counter >> 32) & _M, block_len, flags]
    m = list(m)
    for r in range(7):
        _g(s, 0, 4, 8, 12, m[0], m[1])
        _g(s, 1, 5, 9, 13, m[2], m[3])
        _g(s, 2, 6, 10, 14, m[4], m[5])
        _g(s, 3, 7, 11, 15, m[6], m[7])
        _g(s, 0, 5, 10, 15, m[8], m[9])
        _g(s, 1, 6, 11, 12, m[10], m[11])
        _g(s, 2, 7, 8, 13, m[12], m[13])
        _g(s, 3, 4, 9, 14, m[14], m[15])
        if r < 6:
            m = [m[i] for i in _PERMUTATION]
    return [s[i] ^ s[i + 8] for i in range(8)] + [s[i + 8] ^ cv[i] for i in range(8)]


def _words(block: bytes) -> list[int]:
    block = block.ljust(_BLOCK_LEN, b"\0")
    return [int.from_bytes(block[i:i + 4], "little") for i in range(0, _BLOCK_LEN, 4)]


# An "output": what the last compression of a chunk or parent node takes,
# kept unevaluated because the root node gets the ROOT flag.
_Output = tuple[tuple[int, ...], list[int], int, int, int]


def _cv(out: _Output) -> tuple[int, ...]:
    return tuple(_compress(*out)[:8])


def _chunk_output(chunk: bytes, counter: int) -> _Output:
    cv: tuple[int, ...] = _IV
    blocks = [chunk[i:i + _BLOCK_LEN] for i in range(0, len(chunk), _BLOCK_LEN)] or [b""]
    for j, block in enumerate(blocks):
        flags = _CHUNK_START if j == 0 else 0
        if j == len(blocks) - 1:
            return cv, _words(block), counter, len(block), flags | _CHUNK_END
        cv = tuple(_compress(cv, _words(block), counter, _BLOCK_LEN, flags)[:8])
    raise AssertionError("unreachable")


def _parent_output(left: tuple[int, ...], right: tuple[int, ...]) -> _Output:
    return _IV, list(left + right), 0, _BLOCK_LEN, _PARENT


def blake3(data: bytes) -> bytes:
    """The 32-byte BLAKE3 hash of ``data``."""
    chunks = [data[i:i + _CHUNK_LEN] for i in range(0, len(data), _CHUNK_LEN)] or [b""]
    stack: list[tuple[int, ...]] = []
    out = _chunk_output(chunks[0], 0)
    for index in range(1, len(chunks)):
        cv, total = _cv(out), index  # the previous chunk is complete: merge full subtrees
        while total & 1 == 0:
            cv = _cv(_parent_output(stack.pop(), cv))
            total >>= 1
        stack.append(cv)
        out = _chunk_output(chunks[index], index)
    while stack:
        out = _parent_output(stack.pop(), _cv(out))
    cv, m, counter, block_len, flags = out
    root = _compress(cv, m, 0, block_len, flags | _ROOT)
    return b"".join(w.to_bytes(4, "little") for w in root[:8])
