"""The summary's bar chart by subordinate stays readable (and quick to draw) under a township
with many unions: at most CHART_MAX_BARS bars, the largest in tree order, the rest summed."""

from gonghui.core.metrics import REGISTRY, Value
from gonghui.core.periods import Period
from gonghui.reports import figures as F
from gonghui.reports import summary


def breakdown(values: list[int], own: int = 0) -> F.Breakdown:
    parts = [F.Part(None, "0001", F.OWN_LABEL, Value(own), own=True)]
    parts += [F.Part(None, f"0001{i:04d}", f"第{i}工会", Value(v)) for i, v in enumerate(values)]
    return F.Breakdown(REGISTRY["petitions.total"], None, Period.year(2025), Value(own + sum(values)), parts)


def test_few_subordinates_each_get_a_bar():
    assert summary.chart_bars(breakdown([3, 0, 5])) == [("第0工会", 3.0), ("第1工会", 0.0), ("第2工会", 5.0)]
    assert summary.chart_bars(breakdown([1, 2], own=4))[0] == (F.OWN_LABEL, 4.0)


def test_many_subordinates_the_largest_keep_their_bars_the_rest_share_one():
    values = list(range(75))  # 第74工会 is the largest
    bars = summary.chart_bars(breakdown(values))
    assert len(bars) == summary.CHART_MAX_BARS
    kept = bars[:-1]
    assert [label for label, _ in kept] == [f"第{i}工会" for i in range(75 - summary.CHART_MAX_BARS + 1, 75)]
    assert bars[-1] == (f"其余{75 - summary.CHART_MAX_BARS + 1}个单位", float(sum(range(75 - summary.CHART_MAX_BARS + 1))))
    assert sum(v for _, v in bars) == sum(values)


def test_every_bar_is_labelled_with_its_name_and_counts_have_whole_ticks():
    """Issue 15 item 13: no bar without its unit's name, no 0.5 on a count axis."""
    b = breakdown([1, 3, 2, 0, 1, 2, 3, 1, 2, 1, 1, 2, 3, 1, 2, 1, 3, 2])  # 18 townships: every one labelled
    fig = summary.chart_figure(b)
    ax = fig.axes[0]
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == [label for label, _ in summary.chart_bars(b)]
    assert all(t.get_visible() for t in ax.get_yticklabels())
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert summary.chart_png(b)[:4] == b"\x89PNG"
