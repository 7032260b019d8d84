"""JSON Lines: one document per line, written in blocks, read lazily.

Memory stays constant in both directions: records are taken one at a time and
written in blocks of about a megabyte; lines are read and validated one at a time.
"""

from __future__ import annotations

import io
import typing
from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

import msgspec

from umkm_core.adapters.serialization._document import Serializer
from umkm_core.errors import InvalidDocument

__all__ = ["dump_lines", "load_lines"]

T = TypeVar("T")

_FLUSH_BYTES = 1 << 20
_ENCODER = msgspec.json.Encoder()


def dump_lines(serializer: Serializer, iterable: Iterable[object], fp: IO[bytes] | IO[str]) -> int:
    """Write records as JSON Lines with ``serializer``; the number of records written."""
    text = isinstance(fp, io.TextIOBase)
    buffer = bytearray()
    count = 0
    encode_into = _ENCODER.encode_into
    document = serializer.document
    for obj in iterable:
        encode_into(document(obj), buffer, -1)
        buffer += b"\n"
        count += 1
        if len(buffer) >= _FLUSH_BYTES:
            _write(fp, buffer, text)
            buffer.clear()
    if buffer:
        _write(fp, buffer, text)
    return count


def _write(fp: IO[bytes] | IO[str], buffer: bytearray, text: bool) -> None:
    if text:
        typing.cast("IO[str]", fp).write(buffer.decode("utf-8"))
    else:
        typing.cast("IO[bytes]", fp).write(bytes(buffer))


def load_lines(serializer: Serializer, fp: Iterable[bytes | str], cls: type[T]) -> Iterator[T]:
    """Read records lazily with ``serializer``; the first bad line raises (``line N``)."""
    for number, line in enumerate(fp, start=1):
        if not line.strip():
            continue
        try:
            yield serializer.from_json(line, cls)
        except InvalidDocument as err:
            raise InvalidDocument(err.errors, field=f"line {number}") from None
