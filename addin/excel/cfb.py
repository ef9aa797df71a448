"""A minimal writer of Compound File Binary (OLE2) files, version 3, as MS-CFB describes them.

`olefile` reads such files but cannot create one, and `vbaProject.bin` is one: this module
writes a fresh file from a mapping of stream paths to bytes ("PROJECT", "VBA/dir", ...).
Storages are implied by the paths. Streams under 4096 bytes go to the mini stream, larger
ones to regular 512-byte sectors, as the format requires. Timestamps and CLSIDs are zero,
so the same input always gives the same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

from addin.core.errors import PackingError

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
DIR_ENTRY = 128

FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_HEADER_DIFAT = 109


class CfbError(PackingError):
    """The streams cannot be written as a version-3 compound file (a name too long, a file too big)."""


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _sort_key(name: str) -> tuple[int, str]:
    # MS-CFB 2.6.4: shorter names first, then a case-insensitive comparison.
    return (len(name), name.upper())


def _check_name(name: str) -> None:
    if not name or len(name) > 31 or any(c in name for c in "/\\:!"):
        raise CfbError(f"{name!r} is not a valid stream or storage name (1-31 characters, no / \\ : !).")


def _tree(paths: Mapping[str, bytes]) -> _Entry:
    root = _Entry("Root Entry", _ROOT)
    for path, data in paths.items():
        parts = path.split("/")
        node = root
        for part in parts[:-1]:
            _check_name(part)
            node = node.children.setdefault(part, _Entry(part, _STORAGE))
            if node.kind != _STORAGE:
                raise CfbError(f"{part!r} is both a stream and a storage.")
        _check_name(parts[-1])
        if parts[-1] in node.children:
            raise CfbError(f"{path!r} is given twice.")
        node.children[parts[-1]] = _Entry(parts[-1], _STREAM, data=bytes(data))
    return root


def _flatten(root: _Entry) -> list[_Entry]:
    """All entries in directory order (root first), with sibling trees and colours set."""
    order: list[_Entry] = [root]

    def visit(parent: _Entry) -> None:
        kids = sorted(parent.children.values(), key=lambda e: _sort_key(e.name))
        for kid in kids:
            kid.sid = len(order)
            order.append(kid)
        parent.child = _balanced(kids, 0, len(kids), 0, _height(len(kids)))
        for kid in kids:
            if kid.kind == _STORAGE:
                visit(kid)

    visit(root)
    return order


def _height(n: int) -> int:
    """Depth index of the deepest level of a tree of n nodes built by middle split."""
    return max(n.bit_length() - 1, 0)


def _balanced(kids: list[_Entry], lo: int, hi: int, depth: int, deepest: int) -> int:
    """Build a balanced binary search tree over kids[lo:hi]; return its root's id.

    Nodes on the deepest level are red and all others black, which makes a valid
    red-black tree when every missing child sits on the last two levels, as here.
    """
    if lo >= hi:
        return NOSTREAM
    mid = (lo + hi) // 2
    node = kids[mid]
    on_last_level = depth == deepest and deepest > 0
    node.color = _RED if on_last_level and not _is_perfect(len(kids)) else _BLACK
    node.left = _balanced(kids, lo, mid, depth + 1, deepest)
    node.right = _balanced(kids, mid + 1, hi, depth + 1, deepest)
    return node.sid


def _is_perfect(n: int) -> bool:
    return (n + 1) & n == 0


def _pad(data: bytes, unit: int) -> bytes:
    rest = len(data) % unit
    return data if rest == 0 else data + b"\0" * (unit - rest)


def _chain(fat: list[int], start: int, count: int) -> None:
    for i in range(count):
        fat[start + i] = start + i + 1 if i < count - 1 else ENDOFCHAIN


def _dir_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\0\0"
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        entry.kind,
        entry.color,
        entry.left,
        entry.right,
        entry.child,
        b"\0" * 16,
        0,
        0,
        0,
        entry.start,
        entry.size,
    )


def write_cfb(streams: Mapping[str, bytes]) -> bytes:
    """The bytes of a compound file holding `streams` (path with '/' between storage names -> data)."""
    root = _tree(streams)
    entries = _flatten(root)
    files = [e for e in entries if e.kind == _STREAM]
    large = [e for e in files if len(e.data) >= MINI_CUTOFF]
    mini, minifat = _mini_stream([e for e in files if len(e.data) < MINI_CUTOFF])

    n_dir = -(-len(entries) * DIR_ENTRY // SECTOR)
    n_minifat = -(-len(minifat) * 4 // SECTOR)
    n_mini = -(-len(mini) // SECTOR)
    n_large = sum(-(-len(e.data) // SECTOR) for e in large)
    n_data = n_dir + n_minifat + n_mini + n_large

    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + n_data:
        n_fat += 1
    if n_fat > _HEADER_DIFAT:
        raise CfbError("The streams are too large for this writer (more than 109 FAT sectors, about 6.8 MB).")

    # Sectors in file order: the FAT, the directory, the mini FAT, the mini stream, then each large stream.
    total = n_fat + n_data
    fat = [FREESECT] * (n_fat * (SECTOR // 4))
    for i in range(n_fat):
        fat[i] = FATSECT
    pos = n_fat
    dir_start = pos
    _chain(fat, pos, n_dir)
    pos += n_dir
    minifat_start = pos if n_minifat else ENDOFCHAIN
    _chain(fat, pos, n_minifat)
    pos += n_minifat
    root.start = pos if n_mini else ENDOFCHAIN
    root.size = len(mini)
    _chain(fat, pos, n_mini)
    pos += n_mini
    body = bytearray()
    for e in large:
        count = -(-len(e.data) // SECTOR)
        e.start, e.size = pos, len(e.data)
        _chain(fat, pos, count)
        pos += count
        body += _pad(e.data, SECTOR)
    assert pos == total

    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat)
    minifat_bytes += struct.pack("<I", FREESECT) * ((n_minifat * SECTOR - len(minifat_bytes)) // 4)

    out = bytearray(_header(n_fat, dir_start, minifat_start, n_minifat))
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += _directory(entries, n_dir)
    out += minifat_bytes
    out += _pad(bytes(mini), SECTOR)
    out += body
    assert len(out) == SECTOR * (1 + total)
    return bytes(out)


def _mini_stream(small: list[_Entry]) -> tuple[bytearray, list[int]]:
    """The mini stream (the small streams one after the other, each padded to 64 bytes) and its mini FAT; sets
    each small stream's start and size."""
    mini = bytearray()
    minifat: list[int] = []
    for e in small:
        e.size = len(e.data)
        if not e.data:
            e.start = ENDOFCHAIN
            continue
        first = len(mini) // MINI_SECTOR
        count = -(-len(e.data) // MINI_SECTOR)
        e.start = first
        minifat.extend(range(first + 1, first + count))
        minifat.append(ENDOFCHAIN)
        mini += _pad(e.data, MINI_SECTOR)
    return mini, minifat


def _header(n_fat: int, dir_start: int, minifat_start: int, n_minifat: int) -> bytes:
    """The 512-byte header of a version 3 compound file, with the FAT sectors at the start of the file."""
    header = bytearray(
        struct.pack(
            "<8s16sHHHHH6sIIIIIIIII",
            _SIGNATURE,
            b"\0" * 16,
            0x003E,
            0x0003,
            0xFFFE,
            9,
            6,
            b"\0" * 6,
            0,
            n_fat,
            dir_start,
            0,
            MINI_CUTOFF,
            minifat_start,
            n_minifat,
            ENDOFCHAIN,
            0,
        )
    )
    difat = list(range(n_fat)) + [FREESECT] * (_HEADER_DIFAT - n_fat)
    header += struct.pack(f"<{_HEADER_DIFAT}I", *difat)
    assert len(header) == SECTOR
    return bytes(header)


def _directory(entries: list[_Entry], n_dir: int) -> bytes:
    """The directory sectors: one entry per storage and stream, padded with free entries to `n_dir` sectors."""
    directory = b"".join(_dir_entry(e) for e in entries)
    free_dir = struct.pack(
        "<64sHBBIII16sIQQIQ", b"", 0, 0, _RED, NOSTREAM, NOSTREAM, NOSTREAM, b"\0" * 16, 0, 0, 0, 0, 0
    )
    return directory + free_dir * ((n_dir * SECTOR - len(directory)) // DIR_ENTRY)
