"""Reading a log in chunks of whole lines, plain or gzip, from where the source left off.

A file is known by a fingerprint of its first line (the first line of a log never changes as it
grows, and a renamed or rotated copy is still the same file), and read from the byte offset of
the uncompressed text that the last run reached. A last line without its line end is left for
the next run: a proxy may be writing it."""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import polars as pl

# Under glibc's largest mmap threshold (32 MB), so a chunk's buffers come from the heap and are
# reused, not mapped and faulted in afresh each time (measured: a quarter of the CPU at 32 MB).
CHUNK_BYTES = 24 * 1024 * 1024
FINGERPRINT_BYTES = 1024
GZIP_MAGIC = b"\x1f\x8b"

Progress = Callable[[int, int | None], None]


def line_ends(data: bytes) -> np.ndarray:
    """The offset of every line feed in ``data`` (Polars finds them without holding the GIL)."""
    found = (pl.Series(np.frombuffer(data, dtype=np.uint8)) == ord("\n")).arg_true()
    return found.to_numpy().astype(np.int64)


@dataclass
class Chunk:
    data: bytes  # whole lines, each ending in b"\n"
    first_line: int  # 1-based number of its first line in the file
    end_offset: int  # uncompressed offset just after its last line
    read_to: int = 0  # how far into the file as stored (compressed or not) it was read
    ends_known: np.ndarray | None = None

    @property
    def ends(self) -> np.ndarray:
        """The offset in ``data`` of each line's b"\n", one per line: found when first asked
        for, by whichever thread parses the chunk, not by the one reading the file."""
        if self.ends_known is None:
            self.ends_known = line_ends(self.data)
        return self.ends_known

    @property
    def starts_file(self) -> bool:
        return self.end_offset == len(self.data)

    @property
    def lines(self) -> int:
        return len(self.ends)

    def line(self, index: int) -> str:
        """The text of the chunk's line ``index`` (0-based), as it was written."""
        ends = self.ends
        start = int(ends[index - 1]) + 1 if index else 0
        text = self.data[start : int(ends[index])]
        return text.decode("utf-8", "replace").rstrip("\r")


class LogFile:
    """An open log: ``fingerprint``, then ``chunks(offset)``."""

    def __init__(self, source: str | os.PathLike[str] | IO[bytes], name: str | None = None):
        if isinstance(source, (str, os.PathLike)):
            self.raw: Any = open(source, "rb")  # noqa: SIM115 (closed by close())
            self.name = name or Path(source).name
            self.total: int | None = os.path.getsize(source)
            self._owns = True
        else:
            self.raw = source
            self.name = name or Path(str(getattr(source, "name", "") or "upload")).name
            self.total = getattr(source, "size", None)
            self._owns = False
            if hasattr(source, "seek"):
                source.seek(0)
        magic = self._peek(2)
        self.compressed = magic == GZIP_MAGIC
        self.stream: Any = gzip.GzipFile(fileobj=self.raw) if self.compressed else self.raw
        head = self.stream.read(FINGERPRINT_BYTES)
        first = head.split(b"\n", 1)[0] if b"\n" in head else head
        self.empty = not head
        self.first_line_complete = b"\n" in head or len(head) >= FINGERPRINT_BYTES
        self.first_line = first
        self.fingerprint = hashlib.sha256(first).hexdigest()
        self._head = head

    def _peek(self, n: int) -> bytes:
        data = self.raw.read(n)
        self.raw.seek(0)
        return bytes(data)

    def raw_position(self) -> int:
        try:
            return int(self.raw.tell())
        except (OSError, ValueError):
            return 0

    def chunks(self, *, offset: int, progress: Progress | None = None) -> Iterator[Chunk]:
        """Whole lines after ``offset`` (bytes of uncompressed text), in chunks. Their lines
        are not counted here, so that reading stays cheap: the caller numbers them (sets
        ``first_line``) in file order, once they are parsed."""
        if offset >= len(self._head):
            self._skip(offset - len(self._head))
            pending = b""
        else:
            pending = self._head[offset:]
        start = offset
        while True:
            block = self.stream.read(CHUNK_BYTES)
            if block:
                end = block.rfind(b"\n") + 1
                if not end:
                    pending += block
                    continue
                if pending or end < len(block):  # one copy, not a slice and then a join
                    whole = b"".join((pending, memoryview(block)[:end]))
                else:
                    whole = block
                pending = block[end:]
            else:  # the end of the file: what is left of the head, if anything
                end = pending.rfind(b"\n") + 1
                whole, pending = pending[:end], pending[end:]
            if whole:
                start += len(whole)
                yield Chunk(data=whole, first_line=0, end_offset=start, read_to=self.raw_position())
            if progress is not None:
                progress(self.raw_position(), self.total)
            if not block:
                self.partial_tail = len(pending)
                return

    partial_tail = 0

    def _skip(self, count: int) -> None:
        if not self.compressed and hasattr(self.raw, "seek"):
            self.raw.seek(self.raw.tell() + count)
            return
        while count > 0:
            got = self.stream.read(min(count, CHUNK_BYTES))
            if not got:
                return
            count -= len(got)

    def close(self) -> None:
        if self.compressed:
            self.stream.close()
        if self._owns:
            self.raw.close()
