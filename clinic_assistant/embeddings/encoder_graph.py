"""A BERT-style encoder (MiniLM, multilingual-e5-small) as an ONNX graph for onnxruntime.

The graph is the standard encoder: word, position and token-type embeddings with a layer norm,
then layers of multi-head self-attention and an exact-GELU feed-forward block, each followed by
a residual layer norm. Its output is the last hidden state; pooling stays in numpy. The weights
are given under Hugging Face's BERT names (`encoder.layer.0.attention.self.query.weight`, ...)
and copied unchanged (float32). The graph file is written atomically and readable by every
user (the servers may run as another user than set-up).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping

import numpy as np

#: ONNX operator set: 17 is the first with LayerNormalization.
OPSET = 17


@dataclass(frozen=True)
class EncoderShape:
    """The sizes of an encoder."""

    name: str
    layers: int
    heads: int
    hidden: int
    layer_norm_eps: float
    #: True: the graph looks word embeddings up from `input_ids` itself. False: it takes them as
    #: its `word_vectors` input (a large multilingual table stays out of the graph's memory).
    words_inside: bool = True


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


def encoder_graph(weights: Dict[str, np.ndarray], shape: EncoderShape) -> Any:
    """The ONNX model (an `onnx.ModelProto`) of the encoder `shape` with `weights`.

    Inputs: `input_ids` (int64, batch x tokens) or, without words inside, `word_vectors`
    (float32, batch x tokens x hidden); and `attention_mask` (float32, 1 on real tokens).
    Output: `hidden` (float32, batch x tokens x hidden).
    """
    from onnx import TensorProto, helper

    g = _GraphWriter()
    hidden = shape.hidden

    def linear(x: str, prefix: str) -> str:
        weight = g.constant(f"{prefix}.weight_t", weights[f"{prefix}.weight"].T)
        return g.node("Add", [g.node("MatMul", [x, weight]),
                              g.constant(f"{prefix}.bias", weights[f"{prefix}.bias"])])

    def layer_norm(x: str, prefix: str) -> str:
        return g.node("LayerNormalization",
                      [x, g.constant(f"{prefix}.weight", weights[f"{prefix}.weight"]),
                       g.constant(f"{prefix}.bias", weights[f"{prefix}.bias"])],
                      axis=-1, epsilon=shape.layer_norm_eps)

    def scalar(name: str, value: float) -> str:
        return g.constant(name, np.array(value, dtype=np.float32))

    def ints(name: str, values: List[int]) -> str:
        return g.constant(name, np.array(values, dtype=np.int64))

    first_input = "input_ids" if shape.words_inside else "word_vectors"
    tokens = g.node("Slice", [g.node("Shape", [first_input]), ints("one", [1]), ints("two", [2])])
    positions = g.node("Slice", [g.constant("position_embeddings",
                                            weights["embeddings.position_embeddings.weight"]),
                                 ints("zero", [0]), tokens, ints("first_axis", [0])])
    if shape.words_inside:
        words = g.node("Gather", [g.constant("word_embeddings",
                                             weights["embeddings.word_embeddings.weight"]),
                                  "input_ids"])
    else:
        words = "word_vectors"
    token_type = g.constant("token_type", weights["embeddings.token_type_embeddings.weight"][0])
    x = g.node("Add", [g.node("Add", [words, positions]), token_type])
    x = layer_norm(x, "embeddings.LayerNorm")
    # Padding is never attended to: -1e9 added to its attention scores.
    padding = g.node("Mul", [g.node("Sub", [scalar("one_f", 1.0), "attention_mask"]),
                             scalar("minus_large", -1e9)])
    padding = g.node("Unsqueeze", [padding, ints("head_and_query_axes", [1, 2])])
    heads_shape = ints("heads_shape", [0, 0, shape.heads, hidden // shape.heads])
    hidden_shape = ints("hidden_shape", [0, 0, hidden])
    scale = scalar("scale", 1.0 / np.sqrt(hidden // shape.heads))
    half, one = scalar("half", 0.5), scalar("one_g", 1.0)
    inverse_sqrt2 = scalar("inverse_sqrt2", 2 ** -0.5)
    for index in range(shape.layers):
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
    if shape.words_inside:
        first = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"])
    else:
        first = helper.make_tensor_value_info("word_vectors", TensorProto.FLOAT,
                                              ["batch", "tokens", hidden])
    graph = helper.make_graph(
        g.nodes, shape.name,
        [first,
         helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["batch", "tokens"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", hidden])],
        g.constants)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="clinic_assistant")
    model.ir_version = 8  # read by onnxruntime 1.16
    return model


def write_graph(build: Callable[[], Any], path: Path) -> Path:
    """Write the model `build()` returns to `path` (atomically) and return `path`.

    The folder and the temporary file come first, so an unwritable folder fails before any
    work; the file is readable by every user.
    """
    import onnx

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".onnx.tmp")
    os.close(handle)
    try:
        model = build()
        onnx.checker.check_model(model)
        onnx.save(model, temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)  # two processes building at once both write a whole file
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def session(path: Path) -> Any:
    """An onnxruntime session of the graph at `path`, on `onnx_threads` of this process's
    environment."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = onnx_threads(os.environ)
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    # No memory arena: it would keep the peak of the largest batch (training, the report) for
    # the life of the process; without it a short message costs about 3 % more.
    options.enable_cpu_mem_arena = False
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def onnx_threads(env: Mapping[str, str]) -> int:
    """The number of onnxruntime threads: OMP_NUM_THREADS, as the other numeric libraries
    read it (1 when serving, clinic_assistant/serving/threads.py: a message is a dozen tokens
    and the other core serves another process), else 0: one per core (training)."""
    try:
        return max(0, int(env.get("OMP_NUM_THREADS", "0")))
    except ValueError:
        return 0
