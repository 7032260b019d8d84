"""Writing files whole or not at all, and never over the input.

Every file umkm_core writes goes through :func:`atomic_write`: the bytes go to a
temporary file in the destination's own folder, which is flushed and ``fsync``-ed, then
moved over the destination with ``os.replace`` (atomic on POSIX and Windows within one
file system), and the folder itself is synced so the rename survives a power cut. A
crash, a ``kill -9`` or an exception half-way leaves the old file exactly as it was;
readers never see half a register.

Files that hold unmasked personal data (a register with full NIKs, an export with
``reveal_personal_data=True``) are created with mode ``0600``: only their owner can read
them (UU 27/2022). Other files get ``0644``.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> target = folder / "register.jsonl"
>>> with atomic_write(target) as fp:
...     _ = fp.write(b'{"id": "B1"}')
>>> target.read_bytes(), oct(target.stat().st_mode & 0o777)
(b'{"id": "B1"}', '0o600')
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from umkm_core.errors import UmkmError

__all__ = ["PRIVATE_MODE", "PUBLIC_MODE", "atomic_write", "refuse_overwriting_input"]

#: The mode of files holding unmasked personal data: read and write for the owner only.
PRIVATE_MODE = 0o600
#: The mode of every other file umkm_core writes.
PUBLIC_MODE = 0o644


def _cannot_write(target: pathlib.Path, exc: OSError) -> UmkmError:
    # Name the user's path, never the temporary file they did not ask for.
    reason = exc.strerror or type(exc).__name__
    if isinstance(exc, FileNotFoundError):
        return UmkmError(
            "file.folder_missing",
            field=str(target),
            id=f"Folder untuk {target} tidak ada; buat foldernya dulu.",
            en=f"The folder for {target} does not exist; create it first.",
        )
    return UmkmError(
        "file.cannot_write",
        field=str(target),
        id=f"Berkas {target} tidak dapat ditulis: {reason}.",
        en=f"The file {target} cannot be written: {reason}.",
    )


def _sync_folder(folder: pathlib.Path) -> None:
    # The rename is durable only once the folder's entry is on disk (POSIX); Windows
    # cannot open a folder this way and makes renames durable itself.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], *, private: bool = True) -> Iterator[IO[bytes]]:
    """Open ``path`` for writing so that it is replaced whole or not at all.

    The stream is a temporary file next to ``path``; leaving the ``with`` block
    normally moves it into place, an exception removes it and leaves ``path`` as it was.

    :param path: the destination file.
    :param private: create the file ``0600`` (it holds unmasked personal data);
        ``False`` gives ``0644``.
    :returns: a context manager giving a binary stream.
    :raises UmkmError: ``file.folder_missing`` when the folder does not exist,
        ``file.cannot_write`` for any other reason the file cannot be created or moved
        into place; both name ``path``, never the temporary file.
    """
    target = pathlib.Path(path)
    folder = target.parent
    try:
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    try:
        if not private and hasattr(os, "fchmod"):  # POSIX; Windows has no such modes
            os.fchmod(handle, PUBLIC_MODE)
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.replace(temp_name, target)
        except OSError as exc:
            raise _cannot_write(target, exc) from None
        _sync_folder(folder)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def _same_file(a: pathlib.Path, b: pathlib.Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def refuse_overwriting_input(
    out: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str] | None]
) -> None:
    """Refuse to write ``out`` when it is one of the files being read.

    :param out: the file about to be written.
    :param inputs: the files the same command reads (``None`` entries are skipped).
    :raises UmkmError: ``file.output_is_input``, naming the file.
    """
    target = pathlib.Path(out)
    for source in inputs:
        if source is not None and _same_file(target, pathlib.Path(source)):
            raise UmkmError(
                "file.output_is_input",
                field=str(target),
                id=f"{target} adalah berkas masukan; pilih nama keluaran lain.",
                en=f"{target} is an input file; choose another output name.",
            )
