"""Issue 15 item 5: a rate drills down to the records of its numerator and of the rest of its
denominator (the work list), and the breakdown folds away the rows with nothing under them."""

import re

from django.urls import reverse

from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period

H1 = Period.half(2025, 1)
Q = "?preset=h1&year=2025"


def test_coverage_rate_lists_the_employers_still_to_organise_and_those_covered(client, data, personas):
    client.force_login(personas.county_admin)
    url = reverse("reports:records", args=["430121", "orgs.coverage_rate"])
    page = client.get(url + Q).content.decode()
    value = compute("orgs.coverage_rate", data.tree.root, H1)
    gap = value.denominator - value.numerator
    assert f"应建未建单位（待组建）（{gap}）" in page and f"已建会单位（{value.numerator}）" in page
    records = page[page.index('id="records"'):]
    assert "甲三公司" in records  # 100 employees, no union: the one to organise
    assert "甲一公司" not in records and "甲四商店" not in records  # covered / not required
    met = client.get(url + Q + "&part=met").content.decode()
    met = met[met.index('id="records"'):]
    assert "甲一公司" in met and "甲三公司" not in met
    assert len(re.findall(r"<tr><td>\d+</td>", met)) == value.numerator


def test_every_rate_with_records_splits_them_into_its_numerator_and_the_rest(data):
    for m in REGISTRY.values():
        if not m.is_rate or m.records is None:
            continue
        recs = m.records(data.tree.root, H1, True)
        assert recs.met is not None and recs.met_label and recs.gap_label, m.code
        value = compute(m.code, data.tree.root, H1)
        assert (recs.queryset.filter(recs.met).count(), recs.queryset.count()) == (
            value.numerator or 0, value.denominator or 0), m.code


def test_rows_with_nothing_are_folded_away(client, data, personas):
    client.force_login(personas.county_admin)
    page = client.get(reverse("reports:figure", args=["A", "orgs.coverage_rate"]) + Q).content.decode()
    # 甲镇 holds the employers itself; its unions have none: 0 ÷ 0 each, folded under one line.
    assert "另有 2 个单位无数据" in page
    table = page[page.index('id="breakdown"'):page.index('id="folded"')]
    assert "甲一公司工会" not in table and "甲镇工会联合会（本级）" in table
    assert "0 / 0" not in table
