"""Find the tables on a sheet: rectangles of cells split apart by blank rows and columns, title rows set aside.

A sheet as people make it: a title (often merged across the table, which the reader gives to
every cell it spans) and instruction lines above the header, two tables one under the other or
side by side. Each rectangle becomes a `Block` that keeps its position, so every value can be
traced back to its cell.
"""

from __future__ import annotations

from typing import Any

from addin.core.importing.model import Block, Origin
from addin.core.model import RawSheet
from addin.core.tables import is_blank

MAX_DEPTH = 6
Rect = tuple[int, int, int, int]


def find_blocks(file: str, sheet: RawSheet) -> list[Block]:
    """The tables of a sheet, top to bottom then left to right; lines of text before a table are its titles."""
    rows = [list(r) for r in sheet.rows]
    width = max((len(r) for r in rows), default=0)
    grid = [[None if is_blank(v) else v for v in r] + [None] * (width - len(r)) for r in rows]
    out: list[Block] = []
    pending: list[tuple[Origin, str]] = []  # lines of text waiting for the table below them
    for top, bottom, left, right in _split(grid, 0, len(grid), 0, width, 0):
        cells, top, left = _trim([grid[r][left:right] for r in range(top, bottom)], top, left)
        if not cells:
            continue
        block = Block(file, sheet.name, top + 1, left + 1, cells)
        if all(len(_distinct(r)) <= 1 for r in block.cells):
            pending.extend(
                (block.origin(r, next(i for i, v in enumerate(row) if v is not None)), " ".join(str(row_v).split()))
                for r, row in enumerate(block.cells)
                for row_v in _distinct(row)[:1]
            )
            continue
        titles = _take_titles(block)
        before = [(o, t) for o, t in pending if o.row < block.top]
        block.titles = before + titles
        pending = [p for p in pending if p not in before]
        out.append(block)
    return out


def _split(grid: list[list[Any]], top: int, bottom: int, left: int, right: int, depth: int) -> list[Rect]:
    """Split the rectangle at fully blank rows and columns, recursively, into rectangles that split no further."""
    bands = _runs([any(grid[r][c] is not None for c in range(left, right)) for r in range(top, bottom)], top)
    out: list[Rect] = []
    for t, b in bands:
        cols = _runs([any(grid[r][c] is not None for r in range(t, b)) for c in range(left, right)], left)
        for lft, rgt in cols:
            if (len(bands) > 1 or len(cols) > 1) and depth < MAX_DEPTH:
                out.extend(_split(grid, t, b, lft, rgt, depth + 1))
            else:
                out.append((t, b, lft, rgt))
    return out


def _runs(filled: list[bool], offset: int) -> list[tuple[int, int]]:
    """Half-open ranges of consecutive True values."""
    out: list[tuple[int, int]] = []
    start = None
    for i, f in enumerate([*filled, False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            out.append((offset + start, offset + i))
            start = None
    return out


def _trim(cells: list[list[Any]], top: int, left: int) -> tuple[list[list[Any]], int, int]:
    while cells and all(v is None for v in cells[0]):
        cells, top = cells[1:], top + 1
    while cells and all(v is None for v in cells[-1]):
        cells = cells[:-1]
    if not cells:
        return [], top, left
    while all(r and r[0] is None for r in cells):
        cells, left = [r[1:] for r in cells], left + 1
    while all(r and r[-1] is None for r in cells):
        cells = [r[:-1] for r in cells]
    return cells, top, left


def _distinct(row: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in row:
        if v is not None and v not in out:
            out.append(v)
    return out


def _take_titles(block: Block) -> list[tuple[Origin, str]]:
    """Leading rows that hold one text (a title, possibly merged across) while the rows below are wider."""
    titles = []
    while len(block.cells) > 2:
        first = block.cells[0]
        values = _distinct(first)
        below = max(len(_distinct(r)) for r in block.cells[1:3])
        if len(values) == 1 and isinstance(values[0], str) and below >= 2:
            col = next(i for i, v in enumerate(first) if v is not None)
            titles.append((block.origin(0, col), " ".join(values[0].split())))
            block.cells = block.cells[1:]
            block.top += 1
        else:
            break
    trimmed, top, left = _trim(block.cells, block.top, block.left)
    block.cells, block.top, block.left = trimmed, top, left
    return titles
