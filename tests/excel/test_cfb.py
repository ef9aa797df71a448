"""The compound-file writer: olefile reads back every stream, and the directory is a valid red-black tree."""

from __future__ import annotations

import io
import struct

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.excel.cfb import NOSTREAM, CfbError, write_cfb

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
names = st.text(alphabet=LETTERS, min_size=1, max_size=31)


def _read_all(data: bytes) -> dict[str, bytes]:
    ole = olefile.OleFileIO(io.BytesIO(data))
    return {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}


def test_small_and_large_streams_read_back() -> None:
    streams = {
        "PROJECT": b"ID=1\r\n" * 20,
        "VBA/dir": bytes(range(256)) * 30,  # over the 4096-byte mini-stream cutoff
        "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x01\x00",
        "VBA/Module1": b"x" * 4095,
        "VBA/Module2": b"y" * 4096,
    }
    assert _read_all(write_cfb(streams)) == streams


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(names, st.binary(max_size=9000), min_size=1, max_size=40))
def test_any_streams_read_back(streams: dict[str, bytes]) -> None:
    unique = {}
    for name, data in streams.items():
        unique.setdefault(name.upper(), (name, data))
    tree = {f"VBA/{name}": data for name, data in unique.values()}
    assert _read_all(write_cfb(tree)) == tree


def _entries(data: bytes) -> list[tuple[str, int, int, int, int]]:
    ole = olefile.OleFileIO(io.BytesIO(data))
    out = []
    for entry in ole.direntries:
        if entry is None:
            continue
        out.append((entry.name, entry.color, entry.sid_left, entry.sid_right, entry.sid_child))
    return out


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 7, 8, 12, 15, 16, 30])
def test_directory_is_a_valid_red_black_tree(count: int) -> None:
    data = write_cfb({f"S/M{i:02d}": b"." for i in range(count)})
    ole = olefile.OleFileIO(io.BytesIO(data))
    entries = {e.sid: e for e in ole.direntries if e is not None}
    storage = next(e for e in entries.values() if e.name == "S")

    def key(sid: int) -> tuple[int, str]:
        name = entries[sid].name
        return (len(name), name.upper())

    def check(sid: int, low: tuple[int, str] | None, high: tuple[int, str] | None, parent_red: bool) -> int:
        if sid == NOSTREAM:
            return 1
        node = entries[sid]
        red = node.color == 0
        assert not (red and parent_red), "a red node has a red parent"
        assert low is None or key(sid) > low
        assert high is None or key(sid) < high
        left = check(node.sid_left, low, key(sid), red)
        right = check(node.sid_right, key(sid), high, red)
        assert left == right, "black heights differ"
        return left + (0 if red else 1)

    assert entries[storage.sid_child].color == 1, "the root of a sibling tree is black"
    check(storage.sid_child, None, None, False)
    seen = sorted(e.name for e in entries.values() if e.name.startswith("M"))
    assert seen == [f"M{i:02d}" for i in range(count)]


def test_header_fields() -> None:
    data = write_cfb({"A": b"a"})
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    minor, major, order, shift, mini_shift = struct.unpack_from("<HHHHH", data, 24)
    assert (minor, major, order, shift, mini_shift) == (0x3E, 3, 0xFFFE, 9, 6)
    assert len(data) % 512 == 0


@pytest.mark.parametrize("bad", ["", "x" * 32, "a/b/", "bad!name"])
def test_bad_names_are_refused(bad: str) -> None:
    with pytest.raises(CfbError):
        write_cfb({bad: b"."})


def test_same_input_same_bytes() -> None:
    streams = {"PROJECT": b"p", "VBA/dir": b"d" * 5000}
    assert write_cfb(streams) == write_cfb(dict(reversed(list(streams.items()))))
