"""The BPTT figure of lesson 05 draws for every allowed number of steps and rejects others."""

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from course_utils.diagrams import draw_bptt  # noqa: E402


@pytest.mark.parametrize("steps", [2, 3, 4, 6])
def test_draws(steps):
    fig = draw_bptt(steps)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("h_T" in t for t in texts)
    # The product of Jacobians, in order from step T back to step 1 (matrices do not commute).
    assert any(r"\partial h_T}{\partial h_{T-1}}" in t and r"\cdots" in t
               and t.index("h_{T-1}") < t.index(r"\partial h_1}$") for t in texts)
    plt.close(fig)


@pytest.mark.parametrize("steps", [1, 7, 3.0, True])
def test_rejects(steps):
    with pytest.raises(AssertionError, match="steps must be a whole number in 2..6"):
        draw_bptt(steps)
