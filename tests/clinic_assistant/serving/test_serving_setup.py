"""The serving settings reach the processes: store from endpoints.yml, GC freeze, thread limits."""

from __future__ import annotations

import gc

from rasa.core.tracker_store import TrackerStore
from rasa.utils.endpoints import read_endpoint_config
from sanic import Blueprint

from clinic_assistant.serving.garbage_collection import freeze_after_start, freeze_loaded_objects
from clinic_assistant.serving.threads import SERVING_THREADS, export_lines, serving_environment
from clinic_assistant.serving.tracker_store import CachedSQLTrackerStore


def test_endpoints_use_the_caching_store(project_root, tmp_path, monkeypatch):
    # Rasa silently falls back to an in-memory store when a custom class cannot be imported.
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    config = read_endpoint_config(str(project_root / "endpoints.yml"), "tracker_store")
    assert isinstance(TrackerStore.create(config), CachedSQLTrackerStore)


def test_freeze_registers_an_after_start_listener():
    blueprint = freeze_after_start(Blueprint("test_freeze"))
    assert [listener.event for listener in blueprint._future_listeners] == ["after_server_start"]


def test_freezing_exempts_loaded_objects():
    try:
        freeze_loaded_objects()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_thread_limits_are_added_but_never_override():
    env = serving_environment({"OPENBLAS_NUM_THREADS": "2", "PATH": "/bin"})
    assert env["OPENBLAS_NUM_THREADS"] == "2" and env["PATH"] == "/bin"
    assert env["TF_INTRA_OP_PARALLELISM_THREADS"] == "1"
    assert set(SERVING_THREADS) <= set(env)


def test_export_lines_are_shell_exports():
    lines = export_lines({}).splitlines()
    assert lines == [f"export {name}=1" for name in SERVING_THREADS]
