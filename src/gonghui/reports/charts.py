"""The work summary's bar charts, drawn with Pillow.

A horizontal bar chart of a figure by subordinate: one labelled bar per unit (a label per row never
has to be skipped for room, as every other label of a vertical chart was), Chinese labels in Noto
Sans CJK SC, whole-number ticks for counts, the value after each bar, the title above.

Drawn with Pillow rather than matplotlib (issue 14): a summary draws one chart per figure group
(twenty and more), and matplotlib cost about half a second a chart plus 1.5–6 s to import in every
new process (`gonghui summary` is one), for a picture this simple. Pillow draws one in a few
milliseconds. A drawn chart is also kept in the cache, keyed by what it shows (title, unit, bars),
so that drawing the same data again (the summary of an unchanged period) costs a cache read.
"""

from __future__ import annotations

import functools
import glob
import io
import logging
import math
import os
import shutil
import subprocess
from dataclasses import dataclass

logger = logging.getLogger(__name__)

FONT_FAMILY = "Noto Sans CJK SC"  # fonts-noto-cjk, installed by scripts/system-deps.sh
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
DPI = 150
WIDTH_IN = 6.4
LABEL_PT, TITLE_PT = 7, 10
BAR_COLOR = (0xC0, 0x39, 0x2B)
INK = (0, 0, 0)
MAX_TICKS = 6
CACHE_PREFIX = "gh:chart:1:"  # the renderer's version: a change to the drawing draws every chart anew
CACHE_TIMEOUT = 24 * 3600


def px(inches: float) -> int:
    return round(inches * DPI)


def pt(points: float) -> int:
    return round(points * DPI / 72)


# ---------------------------------------------------------------- the font

@functools.cache
def font_file() -> tuple[str, int] | None:
    """(file, face index) of FONT_FAMILY: fontconfig's answer when it has one, else the font
    folders searched for a CJK collection holding the family. None when it is not installed."""
    from PIL import ImageFont

    candidates: list[tuple[str, int]] = []
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}", FONT_FAMILY], capture_output=True,
                                 text=True, timeout=5, check=False).stdout.split("\n")
            if len(out) >= 2 and out[1].strip().isdigit():
                candidates.append((out[0], int(out[1])))
        except (OSError, subprocess.SubprocessError):
            pass
    for folder in FONT_DIRS:
        for path in sorted(glob.glob(os.path.join(os.path.expanduser(folder), "**", "*CJK*"), recursive=True)):
            if path.lower().endswith((".ttc", ".otf", ".ttf")) and "bold" not in path.lower():
                candidates += [(path, i) for i in range(8 if path.lower().endswith(".ttc") else 1)]
    for path, index in candidates:
        try:
            if ImageFont.truetype(path, 10, index=index).getname()[0] == FONT_FAMILY:
                return path, index
        except OSError:
            continue
    return None


@functools.cache
def font(points: float):
    from PIL import ImageFont

    found = font_file()
    if found is None:
        if points == LABEL_PT:  # once
            logger.warning("图表字体 %s 未安装（scripts/system-deps.sh 安装 fonts-noto-cjk），图中中文无法显示。",
                           FONT_FAMILY)
        return ImageFont.load_default(pt(points))
    return ImageFont.truetype(found[0], pt(points), index=found[1])


def text_width(text: str, points: float) -> float:
    return font(points).getlength(text)


# ---------------------------------------------------------------- layout

def number(v: float) -> str:
    """A bar's value or a tick: whole numbers with thousands separators, else up to 2 decimals."""
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def nice_ticks(lo: float, hi: float, integer: bool) -> list[float]:
    """At most MAX_TICKS evenly spaced round ticks (steps 1, 2, 2.5, 5 × 10ⁿ) covering lo…hi;
    whole-number steps only when `integer`."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi - lo <= 0:
        hi = lo + 1
    raw = (hi - lo) / (MAX_TICKS - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = 10 * magnitude
    for m in (1, 2, 2.5, 5, 10):
        s = m * magnitude
        if integer and (s < 1 or not float(s).is_integer()):
            continue
        if s >= raw:
            step = s
            break
    start, end = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(i * step, 10) for i in range(start, end + 1)]


@dataclass(frozen=True)
class Chart:
    """What is drawn, in pixels at DPI: the plot area (left, top, right, bottom), the bars from the
    top, the x ticks with their labels."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    ticks: tuple[float, ...]
    tick_labels: tuple[str, ...]
    annotations: tuple[str, ...]
    width: int
    height: int
    plot: tuple[int, int, int, int]
    view: tuple[float, float]  # the values at the plot's left and right edges


def _fit(text: str, room: float) -> str:
    """The label, cut with "…" when wider than `room` pixels (a very long union name)."""
    if text_width(text, LABEL_PT) <= room:
        return text
    while text and text_width(text + "…", LABEL_PT) > room:
        text = text[:-1]
    return text + "…"


def layout(title: str, bars: list[tuple[str, float]], integer: bool) -> Chart:
    """The chart's geometry: 0.22 inch a bar (7-point labels need about 0.13) plus room for the
    title and the axis; the margins from the texts' widths (the labels on the left, the values
    after the bars on the right)."""
    values = tuple(v for _, v in bars)
    width, height = px(WIDTH_IN), px(max(2.4, 0.8 + 0.22 * len(values)))
    annotations = tuple(number(v) for v in values)
    lo, hi = min(min(values, default=0), 0.0), max(max(values, default=0), 0.0)
    # As matplotlib: 5 % of the range beyond the longest bar (a bar never ends on the frame), none
    # beyond zero, and the round ticks inside that view.
    room = 0.05 * ((hi - lo) or 1)
    view = (lo - room if lo < 0 else 0.0, hi + room if hi > 0 or lo == 0 else 0.0)
    ticks = tuple(t for t in nice_ticks(lo, hi, integer) if view[0] - 1e-9 <= t <= view[1] + 1e-9)
    tick_labels = tuple(number(t) for t in ticks)
    left = min(max((text_width(t, LABEL_PT) for t, _ in bars), default=0) + px(0.2), 0.6 * width)
    right = min(max((text_width(t, LABEL_PT) for t in annotations), default=0) + px(0.15), 0.3 * width)
    right = max(right, text_width(tick_labels[-1], LABEL_PT) / 2 + px(0.05))
    labels = tuple(_fit(t, left - px(0.2)) for t, _ in bars)
    plot = (round(left), px(0.35), round(width - right), height - px(0.5))
    return Chart(title, labels, values, ticks, tick_labels, annotations, width, height, plot, view)


# ---------------------------------------------------------------- drawing

def draw(chart: Chart) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (chart.width, chart.height), "white")
    d = ImageDraw.Draw(img)
    left, top, right, bottom = chart.plot
    lo, hi = chart.view

    def x(v: float) -> float:
        return left + (v - lo) * (right - left) / (hi - lo)

    small, big = font(LABEL_PT), font(TITLE_PT)
    tick = pt(3.5)
    row = (bottom - top) / max(1, len(chart.values))
    zero = x(0.0)
    for i, (label, v, text) in enumerate(zip(chart.labels, chart.values, chart.annotations, strict=True)):
        mid = top + row * (i + 0.5)
        if v:
            d.rectangle((min(zero, x(v)), mid - 0.4 * row, max(zero, x(v)), mid + 0.4 * row), fill=BAR_COLOR)
        d.line((left - tick, mid, left, mid), fill=INK, width=1)
        d.text((left - tick - pt(3.5), mid), label, font=small, fill=INK, anchor="rm")
        if v >= 0:
            d.text((x(v) + pt(2), mid), text, font=small, fill=INK, anchor="lm")
        else:
            d.text((x(v) - pt(2), mid), text, font=small, fill=INK, anchor="rm")
    for t, text in zip(chart.ticks, chart.tick_labels, strict=True):
        d.line((x(t), bottom, x(t), bottom + tick), fill=INK, width=1)
        d.text((x(t), bottom + tick + pt(3.5)), text, font=small, fill=INK, anchor="mt")
    d.rectangle((left, top, right, bottom), outline=INK, width=max(1, pt(0.8)))
    d.text(((left + right) / 2, top - pt(6)), chart.title, font=big, fill=INK, anchor="md")
    out = io.BytesIO()
    # A few colours (white, the bars' red, the text's anti-aliased greys): 64 of a palette keep the
    # text smooth, and the picture is a quarter of an RGB one's size and quicker to compress.
    img.quantize(64, method=Image.Quantize.FASTOCTREE).save(out, format="PNG", dpi=(DPI, DPI), compress_level=3)
    return out.getvalue()


def bar_chart_png(title: str, bars: list[tuple[str, float]], integer: bool) -> bytes:
    """The chart as PNG, from the cache when the same chart was drawn before."""
    from django.core.cache import cache

    from gonghui.core import crypto

    raw = repr((title, bars, integer, font_file())).encode()
    key = CACHE_PREFIX + crypto.digest("intl", raw).hex()
    hit = cache.get(key)
    if hit is not None:
        return hit
    png = draw(layout(title, bars, integer))
    cache.set(key, png, CACHE_TIMEOUT)
    return png
