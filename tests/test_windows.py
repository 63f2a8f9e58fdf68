"""Sliding windows (`unspun.runtime.windows`): every token covered, and each token owned by its most central window."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.runtime.windows import owners, plan


def _margin(token: int, window: tuple[int, int]) -> int:
    start, end = window
    return min(token - start, end - 1 - token)


@st.composite
def layouts(draw):
    size = draw(st.integers(min_value=1, max_value=64))
    stride = draw(st.integers(min_value=1, max_value=size))
    n = draw(st.integers(min_value=0, max_value=400))
    return n, size, stride


# --- plan ------------------------------------------------------------------------------------------------------
def test_plan_example():
    assert plan(10, 4, 3) == [(0, 4), (3, 7), (6, 10)]
    # the last window is moved back so that it ends exactly at the last token
    assert plan(11, 4, 3) == [(0, 4), (3, 7), (6, 10), (7, 11)]


@pytest.mark.parametrize("n", [0, 1, 5, 63, 64])
def test_short_input_is_one_window(n):
    assert plan(n, 64, 48) == [(0, n)]


def test_one_token_over_the_window_gives_two_windows():
    assert plan(65, 64, 48) == [(0, 64), (1, 65)]


@pytest.mark.parametrize("size,stride", [(0, 1), (4, 0), (-1, -1), (4, 5), (4, -2)])
def test_bad_arguments_raise(size, stride):
    with pytest.raises(ValueError):
        plan(100, size, stride)


@settings(max_examples=300, deadline=None)
@given(layouts())
def test_plan_properties(layout):
    n, size, stride = layout
    windows = plan(n, size, stride)
    assert windows, "at least one window"
    if n <= size:
        assert windows == [(0, n)]
        return
    # every window has exactly the window size and lies inside the sequence
    for start, end in windows:
        assert end - start == size
        assert 0 <= start < end <= n
    starts = [s for s, _ in windows]
    assert starts[0] == 0
    assert windows[-1][1] == n, "last window aligned to the end"
    assert starts == sorted(set(starts)), "strictly increasing starts"
    # consecutive windows advance by the stride, except the last, which may advance less
    steps = np.diff(starts)
    assert all(step == stride for step in steps[:-1])
    assert 0 < steps[-1] <= stride if len(steps) else True
    # every token is covered
    covered = np.zeros(n, dtype=bool)
    for start, end in windows:
        covered[start:end] = True
    assert covered.all()


# --- owners ------------------------------------------------------------------------------------------------------
def test_owners_example():
    # windows (0,4) (3,7) (6,10) overlap by one token, at the edge of both: a tie goes to the earlier window
    own = owners(10, plan(10, 4, 3))
    assert own.tolist() == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert own.dtype == np.int64
    # windows (0,6) (2,8): token 3 is 2 from the end of window 0 but 1 from the start of window 1
    assert owners(8, plan(8, 6, 2)).tolist() == [0, 0, 0, 0, 1, 1, 1, 1]


def test_owners_prefers_the_central_window_over_the_first():
    windows = plan(2000, 64, 48)
    own = owners(2000, windows)
    # token 60 is 3 from the end of window 0 but 12 from the start of window 1
    assert own[60] == 1
    assert own[10] == 0


def test_owners_empty():
    assert owners(0, plan(0, 8, 4)).shape == (0,)


@settings(max_examples=300, deadline=None)
@given(layouts())
def test_owners_properties(layout):
    n, size, stride = layout
    windows = plan(n, size, stride)
    own = owners(n, windows)
    assert own.shape == (n,)
    for t in range(n):
        w = int(own[t])
        assert 0 <= w < len(windows), "every token has an owner"
        start, end = windows[w]
        assert start <= t < end, "the owner contains the token"
        best = max(_margin(t, win) for win in windows if win[0] <= t < win[1])
        assert _margin(t, windows[w]) == best, "the owner is the window where the token is most central"
