"""What the figure tests read off a drawn figure."""

from matplotlib.figure import Figure


def texts(fig: Figure) -> list[str]:
    """Every text written on the figure's axes, in drawing order."""
    return [t.get_text() for ax in fig.axes for t in ax.texts]
