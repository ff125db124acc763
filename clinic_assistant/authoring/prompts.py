"""Ask for what was not given on the command line, one plain question at a time."""

from __future__ import annotations

from typing import Callable, List, Optional

#: Reads one answer after showing a prompt (the built-in `input`, or a fake in tests).
Ask = Callable[[str], str]
#: Says why an answer cannot be used, or returns None when it can.
Check = Callable[[str], Optional[str]]


def ask_text(ask: Ask, question: str, check: Optional[Check] = None) -> str:
    """Ask until the answer is not empty and passes `check`."""
    while True:
        answer = " ".join(ask(f"{question}: ").split())
        if not answer:
            problem: Optional[str] = "Please type something (Ctrl+C to stop)."
        else:
            problem = check(answer) if check else None
        if not problem:
            return answer
        print(f"  {problem}")


def ask_lines(ask: Ask, question: str, minimum: int, check: Optional[Check] = None) -> List[str]:
    """Ask for one item per line until an empty line, and for at least `minimum` items.

    `check` returns why a line cannot be used (it is then asked again), or None.
    """
    print(f"{question} One per line; an empty line when you are done.")
    items: List[str] = []
    while True:
        line = " ".join(ask(f"  {len(items) + 1}> ").split())
        if not line:
            if len(items) >= minimum:
                return items
            print(f"  At least {minimum} needed; {minimum - len(items)} more, please.")
            continue
        problem = check(line) if check else None
        if problem:
            print(f"  {problem}")
            continue
        items.append(line)


def ask_yes_no(ask: Ask, question: str) -> bool:
    """A yes/no question; anything but y or yes is no."""
    return ask(f"{question} [y/N]: ").strip().lower() in {"y", "yes"}
