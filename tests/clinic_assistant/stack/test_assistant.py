"""make run's plan comes from the one settings object (no second reading of the environment)."""

from __future__ import annotations

from clinic_assistant.settings import PROJECT_ROOT, read_settings
from clinic_assistant.stack.assistant import embedded_plan


def test_the_embedded_plan_takes_ports_files_token_and_origins_from_the_settings():
    env = {"RASA_PORT": "6005", "ACTION_PORT": "6055", "DEMO_PORT": "9080",
           "STAFF_CONSOLE_PORT": "9090", "TRACKER_DB": "/tmp/elsewhere/tracker.db",
           "HANDOFF_DB_URL": "sqlite:////tmp/elsewhere/handoff.db", "RASA_AUTH_TOKEN": "t0ken",
           "CORS_ORIGINS": "http://127.0.0.1:9080", "SOMETHING_ELSE": "kept"}
    plan = embedded_plan(read_settings(env), env)
    assert (plan.rasa_port, plan.action_port, plan.demo_port, plan.console_port) == (
        6005, 6055, 9080, 9090)
    assert str(plan.tracker_db) == "/tmp/elsewhere/tracker.db"
    assert plan.handoff_db_url == "sqlite:////tmp/elsewhere/handoff.db"
    assert (plan.token, list(plan.cors_origins), plan.rasa_host) == (
        "t0ken", ["http://127.0.0.1:9080"], "127.0.0.1")
    assert plan.env["SOMETHING_ELSE"] == "kept"  # every process still gets the environment
    assert plan.log_dir == PROJECT_ROOT / "var" / "log"


def test_without_settings_in_the_environment_make_run_uses_env_examples_ports():
    plan = embedded_plan(read_settings({}), {})
    assert (plan.rasa_port, plan.action_port, plan.demo_port, plan.console_port) == (
        5005, 5055, 8080, 8090)
    assert plan.tracker_db == PROJECT_ROOT / "var" / "tracker.db"
