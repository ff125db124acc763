"""The sliding window that limits the widget's erase requests."""

from clinic_assistant.retention.attempts import AttemptWindow


def test_per_key_limit_then_the_window_moves_on() -> None:
    window = AttemptWindow(per_key=2, overall=10, seconds=60)
    assert [window.allow("a", now=t) for t in (0, 1, 2)] == [True, True, False]
    assert window.allow("b", now=2)  # another address is not affected
    assert window.allow("a", now=61)  # the first attempt left the window


def test_overall_limit_across_addresses() -> None:
    window = AttemptWindow(per_key=5, overall=3, seconds=60)
    assert [window.allow(str(i), now=0) for i in range(4)] == [True, True, True, False]
    assert window.allow("x", now=60.5)
