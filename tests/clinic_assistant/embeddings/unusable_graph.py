"""The encoder a getter gives when its ONNX graph can be neither read nor built."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any, Callable


def encoder_without_graph(monkeypatch: Any, tmp_path: Path, graph_module: ModuleType,
                          get_encoder: Callable[[], Any]) -> Any:
    """Call `get_encoder` (an lru_cache'd getter) while `graph_module`'s graph would have to be
    written inside a file, and return what it gives; the getter's cache is cleared around it."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(graph_module, "graph_path", lambda: blocker / "onnx" / "graph.onnx")
    get_encoder.cache_clear()  # type: ignore[attr-defined]
    try:
        return get_encoder()
    finally:
        get_encoder.cache_clear()  # type: ignore[attr-defined]
