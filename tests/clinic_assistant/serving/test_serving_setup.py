"""The serving settings reach the processes: store from endpoints.yml, GC freeze, thread limits."""

from __future__ import annotations

import gc
import weakref

from rasa.core.tracker_store import TrackerStore
from rasa.utils.endpoints import read_endpoint_config

from clinic_assistant.serving.garbage_collection import freeze_loaded_objects
from clinic_assistant.serving.threads import SERVING_THREADS, export_lines, serving_environment
from clinic_assistant.serving.tracker_store import CachedSQLTrackerStore


def test_endpoints_use_the_caching_store(project_root, tmp_path, monkeypatch):
    # Rasa silently falls back to an in-memory store when a custom class cannot be imported.
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    config = read_endpoint_config(str(project_root / "endpoints.yml"), "tracker_store")
    assert isinstance(TrackerStore.create(config), CachedSQLTrackerStore)


class Node:
    """An object that can be part of a reference cycle (only the collector frees those)."""

    def __init__(self) -> None:
        self.itself = self


def test_objects_alive_at_the_freeze_are_skipped_by_later_collections():
    """Frozen: a cycle alive at the freeze stays even when it becomes garbage; garbage that
    existed before the freeze and objects made after it are collected as usual."""
    garbage_before = weakref.ref(Node())  # unreachable already: the freeze collects it first
    loaded = Node()
    frozen = weakref.ref(loaded)
    try:
        freeze_loaded_objects()
        assert garbage_before() is None
        del loaded
        made_after = weakref.ref(Node())
        gc.collect()
        assert frozen() is not None
        assert made_after() is None
    finally:
        gc.unfreeze()
    gc.collect()
    assert frozen() is None


def test_thread_limits_are_added_but_never_override():
    env = serving_environment({"OPENBLAS_NUM_THREADS": "2", "PATH": "/bin"})
    assert env["OPENBLAS_NUM_THREADS"] == "2" and env["PATH"] == "/bin"
    assert env["TF_INTRA_OP_PARALLELISM_THREADS"] == "1"
    assert set(SERVING_THREADS) <= set(env)


def test_export_lines_are_shell_exports():
    lines = export_lines({}).splitlines()
    assert lines == [f"export {name}=1" for name in SERVING_THREADS]
