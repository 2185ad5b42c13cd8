"""Periods: stock figures are taken as of `end` (the cut-off), flow figures count [start, end]."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import ServiceError
from .params import MAX_YEAR, MIN_YEAR, date_in_range


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.start > self.end:
            raise ServiceError(f"统计期间的开始日期 {self.start} 晚于截止日期 {self.end}。")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        """上半年 = 1 Jan–30 Jun; 下半年 = 1 Jul–31 Dec."""
        return cls(dt.date(year, 1, 1), dt.date(year, 6, 30)) if half == 1 else cls(
            dt.date(year, 7, 1), dt.date(year, 12, 31)
        )

    @classmethod
    def year_to_date(cls, today: dt.date) -> Period:
        return cls(dt.date(today.year, 1, 1), today)

    @property
    def label(self) -> str:
        return f"{self.start:%Y年%-m月%-d日}至{self.end:%Y年%-m月%-d日}"


def parse_date(value: str, what: str = "日期") -> dt.date:
    try:
        day = dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError) as exc:
        raise ServiceError(f"{what}“{value}”格式不正确，应为 YYYY-MM-DD。") from exc
    if not date_in_range(day):
        raise ServiceError(f"{what}“{value}”超出范围，年份应在{MIN_YEAR}至{MAX_YEAR}年之间。")
    return day
