"""The summary's bar chart by subordinate stays readable (and quick to draw) under a township
with many unions: at most CHART_MAX_BARS bars, the largest in tree order, the rest summed."""

import io

from PIL import Image

from gonghui.core.metrics import REGISTRY, Value
from gonghui.core.periods import Period
from gonghui.reports import charts, summary
from gonghui.reports import figures as F


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
    chart = summary.chart_layout(b)
    assert list(chart.labels) == [label for label, _ in summary.chart_bars(b)]
    assert list(chart.annotations) == [f"{v:g}" for _, v in summary.chart_bars(b)]
    assert chart.ticks[0] == 0 and chart.ticks[-1] >= 3 and all(float(t).is_integer() for t in chart.ticks)
    # Every label has its row: 0.22 inch a bar at least.
    left, top, right, bottom = chart.plot
    assert (bottom - top) / len(chart.labels) >= 0.2 * charts.DPI and left < right
    png = summary.chart_png(b)
    assert png[:4] == b"\x89PNG"
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (chart.width, chart.height)


def test_ticks_are_round_and_cover_the_values():
    assert charts.nice_ticks(0, 3, integer=True) == [0, 1, 2, 3]
    assert charts.nice_ticks(0, 0, integer=True) == [0, 1]
    assert charts.nice_ticks(0, 0.6, integer=False) == [0, 0.2, 0.4, 0.6]
    assert charts.nice_ticks(0, 12_345_678, integer=True) == [0, 2.5e6, 5e6, 7.5e6, 1e7, 1.25e7]
    assert charts.nice_ticks(-40, 95, integer=True) == [-50, 0, 50, 100]
    for hi in (1, 7, 13, 99, 101, 2500, 12_345):
        ticks = charts.nice_ticks(0, hi, integer=True)
        assert ticks[-1] >= hi and len(ticks) <= charts.MAX_TICKS + 1
    assert charts.number(12_345_678.0) == "12,345,678" and charts.number(2.5) == "2.5"


def test_a_long_name_is_cut_and_the_same_chart_is_drawn_once(monkeypatch):
    name = "某某市某某区某某街道某某社区联合工会委员会第一分会" * 3
    b = breakdown([1, 2])
    b.parts[1].label = name
    chart = summary.chart_layout(b)
    assert chart.labels[0].endswith("…") and chart.labels[0][:-1] in name and chart.labels[1] == "第1工会"
    drawn = []
    real = charts.draw
    monkeypatch.setattr(charts, "draw", lambda c: drawn.append(c) or real(c))
    first = summary.chart_png(b)
    assert summary.chart_png(b) == first and len(drawn) <= 1
