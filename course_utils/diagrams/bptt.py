"""Backpropagation through time: the unrolled chain, and the gradient flowing back along it."""

from __future__ import annotations

from matplotlib.figure import Figure

from course_utils.diagrams.primitives import PALETTE, arrow, box, canvas, label, whole


def draw_bptt(steps: int = 4) -> Figure:
    """The unrolled RNN with the loss at the last step and the gradient flowing back (dark
    orange, the diagrams' highlight colour):
    one Jacobian ``∂h_t/∂h_{t-1}`` per step, multiplied together on the way to ``h_1``.

    ``steps`` cells are drawn; from 4 on, the one before last is written as "...".
    """
    whole(steps, "steps", 2, 6)
    names = [str(i) for i in range(1, steps + 1)]
    if steps >= 4:
        names = names[: steps - 2] + ["...", "T"]
    else:
        names[-1] = "T"
    gap = 2.5
    width = 3.6 + gap * (steps - 1) + 1.2
    fig, ax = canvas(width, 6.9, figsize=(min(1.6 + 1.4 * steps, 9.0), 4.2))
    y = 2.6
    label(ax, (0.5, y), r"$h_0$", fontsize=14)
    previous_right = 0.85
    centers = []
    for i, name in enumerate(names):
        cx = 2.2 + gap * i
        centers.append(cx)
        if name == "...":
            label(ax, (cx, y), r"$\cdots$", fontsize=18)
            arrow(ax, (previous_right, y), (cx - 0.45, y))
            previous_right = cx + 0.45
            continue
        left, bottom, right, top = box(ax, (cx, y), (1.4, 0.9), rf"$h_{{{name}}}$",
                                       color=PALETTE["hidden"], fontsize=14)
        arrow(ax, (previous_right, y), (left, y))
        label(ax, (cx, 0.55), rf"$x_{{{name}}}$", fontsize=15)
        arrow(ax, (cx, 0.85), (cx, bottom))
        previous_right = right
    # The loss on the last hidden state.
    last = centers[-1]
    _, _, _, loss_top = box(ax, (last + 1.85, y), (0.9, 0.75), r"$L$",
                            color=PALETTE["activation"], fontsize=14)
    arrow(ax, (last + 0.7, y), (last + 1.4, y))
    # The gradient, flowing back one Jacobian at a time.
    orange = PALETTE["highlight"]
    arrow(ax, (last + 1.85, y + 0.45), (last + 0.3, y + 0.5), color=orange, rad=0.35, lw=1.8)
    label(ax, (last + 1.25, y + 1.45), r"$\dfrac{\partial L}{\partial h_T}$", fontsize=15,
          color=orange)
    for i in range(len(names) - 1, 0, -1):
        start, end = centers[i], centers[i - 1]
        arrow(ax, (start - 0.3, y + 0.5), (end + 0.3, y + 0.5), color=orange, rad=0.45, lw=1.8)
        if names[i] == "...":
            continue
        text = (rf"$\dfrac{{\partial h_{{{names[i]}}}}}{{\partial h_{{{names[i - 1]}}}}}$"
                if names[i - 1] != "..." else
                rf"$\dfrac{{\partial h_{{{names[i]}}}}}{{\partial h_{{T-1}}}}$")
        label(ax, ((start + end) / 2, y + 1.6), text, fontsize=15, color=orange)
    label(ax, (width / 2, 6.3),
          # Written out, not as a product sign: matrices do not commute, so the order of the
          # factors (from step T back to step 1) is part of the formula.
          r"$\dfrac{\partial L}{\partial h_1} = \dfrac{\partial L}{\partial h_T}\,"
          r"\dfrac{\partial h_T}{\partial h_{T-1}}\,\dfrac{\partial h_{T-1}}{\partial h_{T-2}}"
          r"\cdots\dfrac{\partial h_2}{\partial h_1}$,    "
          r"$\dfrac{\partial h_t}{\partial h_{t-1}} = \mathrm{diag}(1 - h_t^2)\, W_{hh}$",
          fontsize=15)
    label(ax, (width / 2, 5.35), "forward: left to right (black);  gradient: right to left "
          "(orange), one factor per step", fontsize=9, color="#555555")
    return fig
