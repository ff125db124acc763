"""The linear-time check tells a linear reader from a quadratic one (tests/linear_time.py)."""

from __future__ import annotations

import re

from tests.linear_time import MAX_RATIO, growth_ratio

#: Searching "a" * n for a run of a's followed by b retries the run from every start: n^2 steps.
QUADRATIC = re.compile(r"a*b")
LINEAR = re.compile(r"b")


def test_a_quadratic_reader_fails_the_check():
    # About 250 on a quiet machine; one measurement in five fell to 120-135 under load, so the
    # median of three is compared.
    ratios = sorted(growth_ratio(QUADRATIC.search, "a", chars=400) for _ in range(3))
    assert ratios[1] > MAX_RATIO


def test_a_linear_reader_passes_it():
    assert growth_ratio(LINEAR.search, "a") < MAX_RATIO
