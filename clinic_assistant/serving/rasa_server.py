"""Start `rasa run` with the HTTP API token read from the environment or a file, never from
the command line (which every local user can read with `ps` or /proc/<pid>/cmdline).

    python -m clinic_assistant.serving.rasa_server --model models --enable-api ...

takes `rasa run`'s options, except `--auth-token`, which it refuses, and debug logging
(`--debug`, `-vv`, LOG_LEVEL=DEBUG), which puts patients' messages into the log through Rasa's
plain debug messages; set ALLOW_PATIENT_TEXT_IN_LOGS=yes to debug with test conversations.
The token comes from
`RASA_AUTH_TOKEN_FILE` (a file holding only the token) or else `RASA_AUTH_TOKEN`; the API is
never started without one. The token is handed to Rasa inside this process: Rasa 3.6 reads it
only from its parsed command line, and `sys.argv` changed here is not what /proc shows.
Before Rasa runs, it installs the project's start-up patches (`install_patches()` in
clinic_assistant/serving/startup.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Mapping, Optional, Sequence

TOKEN_FLAG = "--auth-token"
#: A token this short is too easy to guess.
MIN_TOKEN_CHARS = 16


def read_token(env: Mapping[str, str]) -> str:
    """The API token from RASA_AUTH_TOKEN_FILE or RASA_AUTH_TOKEN; SystemExit if unusable."""
    path = env.get("RASA_AUTH_TOKEN_FILE", "").strip()
    if path:
        try:
            token = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise SystemExit(f"rasa_server: cannot read RASA_AUTH_TOKEN_FILE {path} "
                             f"({error.strerror})") from None
    else:
        token = env.get("RASA_AUTH_TOKEN", "").strip()
    if len(token) < MIN_TOKEN_CHARS:
        raise SystemExit("rasa_server: set RASA_AUTH_TOKEN (or RASA_AUTH_TOKEN_FILE) to a random "
                         f"token of at least {MIN_TOKEN_CHARS} characters; `make run` writes one "
                         "into .env. The HTTP API is never started without it.")
    return token


DEBUG_FLAGS = ("--debug", "-vv")


def wants_debug_logs(args: Sequence[str], env: Mapping[str, str]) -> bool:
    """Whether Rasa would log at debug level."""
    return (any(arg in DEBUG_FLAGS for arg in args)
            or env.get("LOG_LEVEL", "").strip().upper() == "DEBUG")


def rasa_argv(args: Sequence[str], env: Mapping[str, str]) -> List[str]:
    """The `rasa run` command line Rasa will parse in this process."""
    if any(arg == TOKEN_FLAG or arg.startswith(TOKEN_FLAG + "=") for arg in args):
        raise SystemExit("rasa_server: do not pass --auth-token (it would show in `ps`); set "
                         "RASA_AUTH_TOKEN or RASA_AUTH_TOKEN_FILE instead")
    if wants_debug_logs(args, env) and env.get("ALLOW_PATIENT_TEXT_IN_LOGS") != "yes":
        raise SystemExit("rasa_server: debug logging writes patients' messages into the log; "
                         "set ALLOW_PATIENT_TEXT_IN_LOGS=yes only with test conversations")
    return ["rasa", "run", *args, TOKEN_FLAG, read_token(env)]


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Run Rasa's own command-line entry point with the token added and the project's start-up
    patches installed (clinic_assistant/serving/startup.py)."""
    sys.argv = rasa_argv(sys.argv[1:] if argv is None else argv, os.environ)
    from rasa.__main__ import main as rasa_main

    from clinic_assistant.serving.startup import install_patches

    install_patches()

    rasa_main()


if __name__ == "__main__":
    main()
