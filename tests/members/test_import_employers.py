"""The roster import's 工作单位 by name (issue 17): matching by normalised name and alias, the
credit code winning over the name, unmatched names listed or registered as 待补充信用代码, and the
是否农民工会员 column taken as given.

Tree and personas: tests/conftest.py (the town clerk manages 甲镇 with unions A1 and A2; 乙街道's
employers are outside his reach; the union clerk manages A1 only).
"""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gonghui.core.models import AuditEvent
from gonghui.members.imports import MemberImporter
from gonghui.members.models import Membership, Person
from gonghui.orgs import matching
from gonghui.orgs import services as org_services
from gonghui.orgs.models import Employer
from tests.core.test_excel import make_xlsx
from tests.members.conftest import make_id
from tests.orgs.test_imports import code as uscc_code

D = dt.date
HEADERS = ["姓名", "公民身份号码", "所在工会代码", "入会日期", "工作单位", "单位地址", "工作单位统一社会信用代码",
           "户籍类型", "就业状态", "是否农民工会员"]


def row(name, seq, employer=None, *, address=None, uscc=None, union="A1", hukou=None, employment=None,
        migrant=None):
    return [name, make_id(seq=seq), union, D(2024, 3, 1), employer, address, uscc, hukou, employment, migrant]


def run(actor, *rows, **options):
    return MemberImporter(actor=actor, **options).run(make_xlsx([HEADERS, *rows]))


def messages(result):
    return [(e.row, e.column, e.reason) for e in result.errors]


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def test_the_name_is_normalised_and_the_spelling_given_is_kept(tree, personas):
    emp = org_services.employer_create(actor=None, org=tree.town_a, name="长沙（中国）机械有限责任公司")
    assert emp.name_norm == matching.normalise_name("長沙(中国) 机械有限公司".replace("長", "长"))
    result = run(personas.town_clerk, row("李丽", 1, "长沙(中国)  机械有限公司"), row("王强", 2, "ＡＢＣ 商贸"))
    assert not result.ok  # ＡＢＣ商贸 is unknown: nothing saved
    assert Person.objects.count() == 0
    org_services.employer_create(actor=None, org=tree.town_a, name="abc商贸")
    result = run(personas.town_clerk, row("李丽", 1, "长沙(中国)  机械有限公司"), row("王强", 2, "ＡＢＣ 商贸"))
    assert result.ok, result.errors
    li = Person.objects.get(name="李丽")
    assert li.employer == emp and li.employer_name == "长沙(中国)  机械有限公司"
    assert Person.objects.get(name="王强").employer.name == "abc商贸"


def test_股份有限公司_is_not_有限公司():
    assert matching.normalise_name("甲机械有限责任公司") == matching.normalise_name("甲机械有限公司")
    assert matching.normalise_name("甲机械股份有限公司") != matching.normalise_name("甲机械有限公司")


def test_unmatched_names_fail_the_import_with_one_message_per_name(tree, personas):
    before = (Person.objects.count(), Employer.objects.count(), AuditEvent.objects.count())
    result = run(personas.town_clerk, row("甲", 1, "新开公司"), row("乙", 2, "甲一公司"), row("丙", 3, "新开 公司"),
                 row("丁", 4, "另一家店"), row("戊", 5, "乙一公司"))
    found = messages(result)
    assert [(r, c) for r, c, _ in found] == [(2, "工作单位"), (5, "工作单位"), (6, "工作单位")]
    assert "“新开公司”" in found[0][2] and "第2、4行" in found[0][2] and "未匹配的单位登记为新单位" in found[0][2]
    assert "“另一家店”" in found[1][2] and "第5行" in found[1][2]
    # 乙一公司 is registered, but in 乙街道: outside the clerk's reach it reads as unregistered.
    assert "“乙一公司”" in found[2][2] and "乙街道" not in found[2][2]
    assert (Person.objects.count(), Employer.objects.count(), AuditEvent.objects.count()) == before


def test_registering_unmatched_names_as_employers_pending_their_credit_code(tree, personas):
    rows = (row("甲", 1, "新开公司", address="甲镇 1 号"), row("乙", 2, "新开 公司"), row("丙", 3, "甲一公司"))
    result = run(personas.town_clerk, *rows, create_employers=True)
    assert result.ok, result.errors
    new = Employer.objects.get(name="新开公司")
    assert new.uscc is None and new.uscc_pending and new.org == tree.town_a and new.address == "甲镇 1 号"
    assert set(Person.objects.filter(employer=new).values_list("name", "employer_name")) == {
        ("甲", "新开公司"), ("乙", "新开 公司")}
    assert AuditEvent.objects.filter(action="orgs.employer.created", object_id=str(new.pk)).count() == 1
    # The next import of the same roster finds it: nothing changes, nothing is registered twice.
    again = run(personas.town_clerk, *rows, create_employers=True)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Employer.objects.filter(name_norm="新开公司").count() == 1


def test_a_dry_run_registers_nothing(tree, personas):
    data = make_xlsx([HEADERS, row("甲", 1, "新开公司")])
    result = MemberImporter(actor=personas.town_clerk, create_employers=True).run(data, dry_run=True)
    assert result.ok and result.created == 1
    assert not Employer.objects.filter(name="新开公司").exists() and Person.objects.count() == 0


def test_a_clerk_who_may_not_register_employers_is_told_so(tree, personas):
    result = run(personas.union_clerk, row("甲", 1, "新开公司"), create_employers=True)
    [(number, column, reason)] = messages(result)
    assert (number, column) == (2, "工作单位") and "无权在“甲镇工会联合会”登记用人单位" in reason
    assert not Employer.objects.filter(name="新开公司").exists()


def test_a_linked_alias_matches_the_next_import(tree, personas):
    assert not run(personas.town_clerk, row("甲", 1, "甲三厂")).ok
    alias = org_services.employer_alias_add(actor=personas.town_clerk, employer=tree.emp["a3"], name="甲三厂")
    assert alias.name_norm == "甲三厂"
    assert AuditEvent.objects.filter(action="orgs.employer.alias_added").count() == 1
    result = run(personas.town_clerk, row("甲", 1, "甲 三厂"))
    assert result.ok, result.errors
    assert Person.objects.get(name="甲").employer == tree.emp["a3"]


def test_an_alias_may_not_make_a_name_ambiguous(tree, personas):
    from gonghui.core.errors import ServiceError

    with pytest.raises(ServiceError, match="甲四商店"):
        org_services.employer_alias_add(actor=personas.town_clerk, employer=tree.emp["a3"], name="甲四商店")
    with pytest.raises(ServiceError, match="登记名称"):
        org_services.employer_alias_add(actor=personas.town_clerk, employer=tree.emp["a3"], name="甲三 公司")


def test_the_credit_code_wins_and_a_different_name_beside_it_is_an_error(tree, personas):
    emp = org_services.employer_update(actor=None, employer=tree.emp["a3"], uscc=uscc_code(3))
    result = run(personas.town_clerk, row("甲", 1, "甲四商店", uscc=uscc_code(3)), row("乙", 2, "甲三公司",
                                                                                     uscc=uscc_code(3)))
    [(number, column, reason)] = messages(result)
    assert (number, column) == (2, "工作单位") and "“甲三公司”不一致" in reason and uscc_code(3) in reason
    org_services.employer_alias_add(actor=None, employer=emp, name="甲三化工厂")
    result = run(personas.town_clerk, row("甲", 1, "甲三化工厂", uscc=uscc_code(3)), row("乙", 2, None,
                                                                                     uscc=uscc_code(3)))
    assert result.ok, result.errors
    assert set(Person.objects.values_list("employer", "employer_name")) == {(emp.pk, "甲三化工厂"), (emp.pk, "")}


def test_two_employers_of_one_name_are_ambiguous_unless_the_address_tells_them_apart(tree, personas):
    one = org_services.employer_create(actor=None, org=tree.town_a, name="星星超市", uscc=uscc_code(11),
                                       address="甲镇东街1号")
    org_services.employer_create(actor=None, org=tree.town_a, name="星星 超市", address="甲镇西街2号")
    result = run(personas.town_clerk, row("甲", 1, "星星超市"))
    [(number, column, reason)] = messages(result)
    assert (number, column) == (2, "工作单位") and "有2家" in reason
    assert uscc_code(11) in reason and "待补充信用代码" in reason
    result = run(personas.town_clerk, row("甲", 1, "星星超市", address="甲镇东街 1 号"))
    assert result.ok, result.errors
    assert Person.objects.get().employer == one


def test_是否农民工会员_is_taken_as_given(tree, personas):
    result = run(personas.town_clerk,
                 row("甲", 1, hukou="农村", employment="在岗", migrant="否"),
                 row("乙", 2, hukou="城镇", employment="在岗", migrant="是"),
                 row("丙", 3, hukou="农村", employment="在岗"))
    assert result.ok, result.errors
    flags = dict(Person.objects.values_list("name", "is_migrant_worker"))
    assert flags == {"甲": False, "乙": True, "丙": True}
    # the status periods carry the person's flag (figures count 农民工 from them)
    assert set(Membership.objects.values_list("person__name", "periods__migrant")) == {
        ("甲", False), ("乙", True), ("丙", True)}
    bad = run(personas.town_clerk, row("丁", 4, migrant="不是"))
    assert [(r, c) for r, c, _ in messages(bad)] == [(2, "是否农民工会员")]


# --- the page, the command line and the employer pages ---------------------------------------------

def upload(client, data, **fields):
    f = io.BytesIO(data)
    f.name = "会员.xlsx"
    return client.post(reverse("core:import", args=["members"]), {"file": f, **fields})


def test_the_import_page_offers_to_register_unmatched_names(client, tree, personas):
    client.force_login(personas.town_clerk)
    page = client.get(reverse("core:import", args=["members"])).content.decode()
    assert "未匹配的单位登记为新单位" in page and 'name="create_employers"' in page
    data = make_xlsx([HEADERS, row("甲", 1, "新开公司")])
    response = upload(client, data)
    assert response.status_code == 200 and "“新开公司”在系统中没有匹配" in response.content.decode()
    assert not Employer.objects.filter(name="新开公司").exists()
    response = upload(client, data, create_employers="on")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.get().employer.name == "新开公司"


def test_the_command_line_takes_create_employers(tree, personas, tmp_path, capsys):
    path = tmp_path / "会员.xlsx"
    path.write_bytes(make_xlsx([HEADERS, row("甲", 1, "新开公司")]))
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_data", "members", str(path), "--user", "town_clerk")
    assert "新开公司" in capsys.readouterr().err
    call_command("import_data", "members", str(path), "--user", "town_clerk", "--create-employers")
    assert "新增 1" in capsys.readouterr().out
    assert Employer.objects.get(name="新开公司").uscc_pending
    with pytest.raises(CommandError, match="不支持选项：--create-employers"):
        call_command("import_data", "employers", str(path), "--create-employers")


def test_the_employer_list_shows_and_filters_those_pending_their_credit_code(client, tree, personas):
    org_services.employer_update(actor=None, employer=tree.emp["a1"], uscc=uscc_code(1))
    client.force_login(personas.town_clerk)
    page = client.get(reverse("orgs:employers"), {"pending": "1"}).content.decode()
    assert "待补充信用代码" in page and "甲三公司" in page and "甲一公司" not in page
    assert "乙一公司" not in page  # still scoped


def test_a_clerk_links_and_unlinks_a_name_on_the_employer_page(client, tree, personas):
    emp = tree.emp["a3"]
    client.force_login(personas.town_clerk)
    url = reverse("orgs:employer_aliases", args=[emp.pk])
    assert client.post(url, {"name": "甲三厂"}).status_code == 302
    alias = emp.aliases.get()
    assert alias.name == "甲三厂"
    refused = client.post(url, {"name": "甲四商店"})
    assert refused.status_code == 200 and "甲四商店" in refused.content.decode() and emp.aliases.count() == 1
    assert "1 个" in client.get(reverse("orgs:employer_detail", args=[emp.pk])).content.decode()
    # The leader may look but not link; nor unlink.
    client.force_login(personas.leader)
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "甲三化工"}).status_code == 200 and emp.aliases.count() == 1
    assert client.post(reverse("orgs:employer_alias_remove", args=[alias.pk])).status_code == 403
    client.force_login(personas.town_clerk)
    assert client.post(reverse("orgs:employer_alias_remove", args=[alias.pk])).status_code == 302
    assert not emp.aliases.exists()
    assert list(AuditEvent.objects.filter(action__startswith="orgs.employer.alias").values_list(
        "action", flat=True).order_by("pk")) == ["orgs.employer.alias_added", "orgs.employer.alias_removed"]
