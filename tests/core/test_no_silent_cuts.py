"""No list on a record's page is cut without saying so (issue 15, item 1). The lists that used to
stop at 100, 200 or 500 rows without a word (a union's timeline, terms and covered employers; an
archive's records and applications; a campaign's targets and payments; the helpers; the 低保
standards; a petition's record; absences; a member's timeline) are paged under their own
parameter. With one row a page, each case seeds two rows or more and walks the 下一页 links: every
page says where it is and how many there are, and every seeded row is reached."""

# ruff: noqa: F811  (the cases take the imported fixtures as arguments)
import datetime as dt
import re

import pytest
from django.urls import reverse

from gonghui.core import clock, paging
from gonghui.orgs import services as org_services
from gonghui.orgs.models import Employer
from tests.assistance.conftest import archive, standard  # noqa: F401  (fixtures)
from tests.members.conftest import join  # noqa: F401  (fixture)
from tests.petitions.conftest import make_petition

pytestmark = pytest.mark.django_db

D = dt.date


def walk(client, url: str, param: str) -> list[str]:
    """Every page of the list `param` on the page at `url`, following its 下一页 links."""
    pages = []
    while url:
        html = client.get(url).content.decode()
        pages.append(html)
        nxt = re.search(rf'rel="next" href="([^"]*[?&]{param}=[^"&#]+[^"]*#{param})"', html)  # this list's link
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
        assert len(pages) < 50
    return pages


def org_timeline(tree, personas, **_):
    for i, name in enumerate(("标记一公司工会", "标记二公司工会", "标记三公司工会")):
        org_services.org_rename(actor=None, org=tree.union_a1, new_name=name, effective_on=D(2025, 1, 1 + i))
    return personas.county_admin, reverse("orgs:detail", args=[tree.union_a1.pk]), "timeline", ["标记一", "标记二"]


def org_terms(tree, personas, **_):
    for year in (2024, 2025):
        org_services.org_reelect(actor=None, org=tree.union_a1, elected_on=D(year, 3, 1), term_years=5,
                                 chair_name=f"主席{year}")
    return personas.county_admin, reverse("orgs:detail", args=[tree.union_a1.pk]), "terms", ["主席2024", "主席2025"]


def org_coverages(tree, personas, **_):
    for name in ("甲三公司", "甲四商店"):
        org_services.coverage_start(actor=None, union=tree.union_a1, employer=Employer.objects.get(name=name),
                                    valid_from=D(2025, 2, 1))
    return (personas.county_admin, reverse("orgs:detail", args=[tree.union_a1.pk]), "coverages",
            ["甲三公司", "甲四商店"])


def archive_timeline(tree, personas, archive, **_):
    a = archive()  # created, public notice, entered: three records
    return personas.county_admin, reverse("assistance:archive_detail", args=[a.pk]), "timeline", []


def campaign_targets(tree, personas, archive, **_):
    from gonghui.assistance import services

    c = services.campaign_create(actor=None, org=tree.town_a, name="送温暖", type="warmth", start_on=D(2025, 1, 1),
                                 end_on=D(2025, 2, 1), budget="10000")
    services.campaign_add_targets(actor=None, campaign=c, archives=[archive(name="标记甲"), archive(name="标记乙")])
    return personas.county_admin, reverse("assistance:campaign_detail", args=[c.pk]), "targets", ["标记甲", "标记乙"]


def helpers(tree, personas, **_):
    from gonghui.assistance import services

    for name in ("标记甲单位", "标记乙单位"):
        services.helper_create(actor=None, org=tree.town_a, name=name)
    return personas.county_admin, reverse("assistance:pairings"), "helpers", ["标记甲单位", "标记乙单位"]


def standards(tree, personas, standard, **_):
    from gonghui.assistance import services

    services.standard_set(actor=None, region_code="430121", region_name="标记县", year=2025, monthly="800")
    return personas.county_admin, reverse("assistance:standards"), "standards", ["长沙市", "标记县"]


def petition_timeline(tree, personas, **_):
    from gonghui.petitions import services

    p = make_petition(tree.union_a1)
    services.petition_accept(actor=None, petition=p, notice_on=D(2025, 3, 5))
    return personas.county_admin, reverse("petitions:detail", args=[p.pk]), "timeline", []


def absences(tree, personas, **_):
    from gonghui.petitions import services

    today = clock.today()
    for user, reason in ((personas.town_clerk, "标记公出"), (personas.town_admin, "标记休假")):
        services.absence_mark(actor=None, user=user, org=tree.town_a, starts_on=today,
                              ends_on=today + dt.timedelta(days=3), reason=reason)
    return personas.county_admin, reverse("petitions:absences"), "items", ["标记公出", "标记休假"]


def member_timeline(tree, personas, join, **_):
    from gonghui.members import services

    m = join(name="标记张")
    m = services.member_retain(actor=None, membership=m, effective_on=D(2025, 1, 2), reason="标记退休")
    m = services.member_restore(actor=None, membership=m, effective_on=D(2025, 3, 2), reason="标记返岗")
    return personas.county_admin, reverse("members:detail", args=[m.pk]), "timeline", ["标记退休", "标记返岗"]


CASES = [org_timeline, org_terms, org_coverages, archive_timeline, campaign_targets, helpers, standards,
         petition_timeline, absences, member_timeline]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_every_row_is_reached_page_by_page(client, tree, personas, archive, standard, join, monkeypatch, case):
    monkeypatch.setattr(paging, "PART", 1)
    user, url, param, markers = case(tree=tree, personas=personas, archive=archive, standard=standard, join=join)
    client.force_login(user)
    pages = walk(client, url, param)
    total = int(re.search(r"本页第 1–1 条，共 (\d+) 条，后面还有", pages[0]).group(1))
    assert total >= 2 and len(pages) == total  # the cut is said on the first page, and every row has its page
    assert f"本页第 {total}–{total} 条，共 {total} 条。" in pages[-1]
    for marker in markers:
        assert sum(marker in p for p in pages) >= 1, marker
    assert any(m not in pages[0] for m in markers) or not markers  # the first page did leave rows out


def test_a_list_over_the_whole_scope_counts_no_further_than_the_bound(client, tree, personas, monkeypatch):
    from gonghui.assistance import services

    monkeypatch.setattr(paging, "PART", 1)
    monkeypatch.setattr(paging, "COUNT_CAP", 1)
    for name in ("标记甲单位", "标记乙单位", "标记丙单位"):
        services.helper_create(actor=None, org=tree.town_a, name=name)
    client.force_login(personas.county_admin)
    pages = walk(client, reverse("assistance:pairings"), "helpers")
    assert len(pages) == 3 and "本页第 1–1 条，共 1 条以上，后面还有" in pages[0]
