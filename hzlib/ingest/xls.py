"""Old Excel (.xls, BIFF8) files: the error cells that python-calamine reads as blank.

Calamine reads an .xls sheet's values, but turns error cells (``#REF!``, ``#DIV/0!``,
a formula whose saved result is an error) into empty cells, which would hide them.
This module finds them in the file itself: the OLE2 compound file holds a
``Workbook`` stream of BIFF records; each sheet's records start at the offset its
BOUNDSHEET record gives; a BOOLERR record with its error flag, or a FORMULA record
whose saved result is an error, is an error cell. Only what that takes is read.

>>> xls_error_cells(b"not an OLE2 file", "Sheet1") is None
True
"""

from __future__ import annotations

import struct
from collections.abc import Callable

__all__ = ["xls_error_cells", "ERROR_CODES"]

#: BIFF error codes and the text Excel shows.
ERROR_CODES = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LAST_SECTOR = 0xFFFFFFFA  # sector numbers at or above it mark the end of a chain, a free sector ...
_BOF, _EOF, _BOUNDSHEET, _BOOLERR, _FORMULA = 0x0809, 0x000A, 0x0085, 0x0205, 0x0006


class _Bad(Exception):
    """The file is not laid out as this reader expects."""


def _u16(b: bytes, at: int) -> int:
    return int(struct.unpack_from("<H", b, at)[0])


def _u32(b: bytes, at: int) -> int:
    return int(struct.unpack_from("<I", b, at)[0])


class _Compound:
    """The streams of an OLE2 compound file (read-only, enough to get one stream out)."""

    def __init__(self, data: bytes) -> None:
        if not data.startswith(_MAGIC) or len(data) < 512:
            raise _Bad("not an OLE2 file")
        self.data = data
        self.size = 1 << _u16(data, 0x1E)
        self.mini_size = 1 << _u16(data, 0x20)
        n_fat, first_dir = _u32(data, 0x2C), _u32(data, 0x30)
        self.cutoff, first_minifat = _u32(data, 0x38), _u32(data, 0x3C)
        next_difat, n_difat = _u32(data, 0x44), _u32(data, 0x48)
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        per = self.size // 4
        for _ in range(n_difat):
            if next_difat >= _LAST_SECTOR:
                break
            block = struct.unpack_from(f"<{per}I", self._sector(next_difat))
            difat += block[:-1]
            next_difat = block[-1]
        self.fat: list[int] = []
        for s in [s for s in difat if s < _LAST_SECTOR][:n_fat]:
            self.fat += struct.unpack_from(f"<{per}I", self._sector(s))
        directory = self._chain_bytes(first_dir, self.fat, self._sector)
        self.entries: dict[str, tuple[int, int]] = {}
        root: tuple[int, int] | None = None
        for k in range(len(directory) // 128):
            e = directory[k * 128 : (k + 1) * 128]
            n = _u16(e, 64)
            if e[66] == 0 or not 2 <= n <= 64:
                continue
            name = e[: n - 2].decode("utf-16-le", "replace")
            start, size = _u32(e, 116), _u32(e, 120)
            if e[66] == 5:
                root = (start, size)
            else:
                self.entries.setdefault(name.lower(), (start, size))
        self.mini = b""
        self.minifat: list[int] = []
        if root is not None and first_minifat < _LAST_SECTOR:
            self.mini = self._chain_bytes(root[0], self.fat, self._sector)[: root[1]]
            table = self._chain_bytes(first_minifat, self.fat, self._sector)
            self.minifat = list(struct.unpack_from(f"<{len(table) // 4}I", table))

    def _sector(self, i: int) -> bytes:
        at = (i + 1) * self.size
        if at >= len(self.data):
            raise _Bad("sector beyond the end of the file")
        return self.data[at : at + self.size]

    def _mini_sector(self, i: int) -> bytes:
        return self.mini[i * self.mini_size : (i + 1) * self.mini_size]

    def _chain_bytes(self, start: int, table: list[int], read: Callable[[int], bytes]) -> bytes:
        out: list[bytes] = []
        s = start
        for _ in range(len(table) + 1):
            if s >= _LAST_SECTOR:
                return b"".join(out)
            if s >= len(table):
                raise _Bad("a chain leaves the allocation table")
            out.append(read(s))
            s = table[s]
        raise _Bad("a loop in a sector chain")

    def stream(self, *names: str) -> bytes:
        for name in names:
            if name.lower() in self.entries:
                start, size = self.entries[name.lower()]
                if size < self.cutoff:
                    return self._chain_bytes(start, self.minifat, self._mini_sector)[:size]
                return self._chain_bytes(start, self.fat, self._sector)[:size]
        raise _Bad("no workbook stream")


def _records(stream: bytes, at: int) -> list[tuple[int, int, bytes]]:
    """The BIFF records of one substream from offset ``at`` (its BOF) to its EOF: (type, offset, data)."""
    out: list[tuple[int, int, bytes]] = []
    depth = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        data = stream[at + 4 : at + 4 + length]
        out.append((kind, at, data))
        at += 4 + length
        if kind == _BOF:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                return out
    raise _Bad("a substream without its end")


def _sheet_offsets(stream: bytes) -> dict[str, int]:
    """Each sheet's name and the offset of its BOF record (from the BOUNDSHEET records)."""
    out: dict[str, int] = {}
    for kind, _, data in _records(stream, 0):
        if kind == _BOUNDSHEET and len(data) >= 8:
            n, flags = data[6], data[7]
            raw = data[8 : 8 + (2 * n if flags & 1 else n)]
            out[raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")] = _u32(data, 0)
    return out


def xls_error_cells(data: bytes, sheet: str) -> dict[tuple[int, int], str] | None:
    """Text of the error cells of sheet ``sheet`` of an .xls file's bytes, by 0-based (row, column).

    None when the file cannot be followed (not BIFF8, or damaged): the caller says the
    error cells could not be checked.
    """
    try:
        stream = _Compound(data).stream("Workbook", "Book")
        offsets = _sheet_offsets(stream)
        if sheet not in offsets:
            return None
        out: dict[tuple[int, int], str] = {}
        for kind, _, rec in _records(stream, offsets[sheet]):
            if kind == _BOOLERR and len(rec) >= 8 and rec[7] == 1:
                out[(_u16(rec, 0), _u16(rec, 2))] = ERROR_CODES.get(rec[6], "#错误")
            elif kind == _FORMULA and len(rec) >= 14 and rec[12:14] == b"\xff\xff" and rec[6] == 2:
                out[(_u16(rec, 0), _u16(rec, 2))] = ERROR_CODES.get(rec[8], "#错误")
        return out
    except (_Bad, struct.error, IndexError, UnicodeDecodeError):
        return None
