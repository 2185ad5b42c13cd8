"""Members store the national codes (issue 17): the data migration from our old values (the
政治面貌 04 error fixed without a guess, with its history), the import of codes and labels, and
the round trip: the demo roster exported with codes (or labels), imported again, gives the same
records."""

import datetime as dt
import importlib
import random

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from gonghui.core import demo
from gonghui.core.models_jobs import Job
from gonghui.core.reminders import REGISTRY
from gonghui.members import exports
from gonghui.members.imports import MemberImporter
from gonghui.members.models import (
    Employment,
    Hukou,
    MemberEvent,
    Membership,
    MemberStatusPeriod,
    Person,
    Political,
    Transfer,
)
from tests.members.conftest import make_id
from tests.members.test_import import row, sheet

D = dt.date
TODAY = timezone.localdate()
migration = importlib.import_module("gonghui.members.migrations.0009_person_national_codes")


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


# --- the data migration ---------------------------------------------------------------------------


def test_the_migration_turns_our_old_values_into_the_standard_codes(join, tree):
    old = {  # name: (hukou, employment, political, education) as stored before issue 17
        "城镇在岗": ("urban", "employed", "01", "20"), "农村灵活": ("rural", "flexible", "13", "30"),
        "下岗": ("urban", "laid_off", "03", ""), "失业": ("", "unemployed", "", "10"),
        "退休": ("rural", "retired", "12", "90"), "病休": ("urban", "sick_leave", "02", "60"),
        "内退": ("urban", "internal_retired", "13", "80"),
    }
    for i, (name, (hukou, employment, political, education)) in enumerate(old.items()):
        m = join(name=name, id_number=make_id(seq=i + 1), is_migrant_worker=hukou == "rural")
        Person.objects.filter(pk=m.person_id).update(hukou=hukou, employment=employment, political=political,
                                                     education=education)
    migration.forwards(apps, None)
    got = {p.name: (p.hukou, p.employment, p.political, p.education, p.is_migrant_worker)
           for p in Person.objects.all()}
    assert got == {
        "城镇在岗": ("1", "1", "01", "20", False), "农村灵活": ("2", "X1", "13", "30", True),
        "下岗": ("1", "2", "03", "", False), "失业": ("", "3", "", "10", False),
        "退休": ("2", "4", "12", "90", True), "病休": ("1", "8", "02", "60", False),
        "内退": ("1", "7", "13", "80", False),
    }
    assert [Person(hukou=h).get_hukou_display() for h in ("1", "2")] == ["非农业家庭户口", "农业家庭户口"]
    assert not MemberEvent.objects.filter(kind="updated").exists()  # nothing to explain: no 04
    migration.backwards(apps, None)
    assert {p.name: (p.hukou, p.employment) for p in Person.objects.all()} == {
        name: values[:2] for name, values in old.items()}


def test_the_old_democratic_04_gets_no_guessed_party_and_keeps_its_history(join, tree, client, personas):
    current = join(name="民主党派甲", id_number=make_id(seq=1))
    moved = join(name="民主党派乙", id_number=make_id(seq=2))
    Membership.objects.filter(pk=moved.pk).update(ended_on=D(2025, 1, 1), status="transferred")
    later = Membership.objects.create(person=moved.person, union=tree.union_a2, started_on=D(2025, 1, 1))
    masses = join(name="群众丙", id_number=make_id(seq=3), political="13")
    Person.objects.filter(pk__in=[current.person_id, moved.person_id]).update(political="04")
    migration.forwards(apps, None)

    assert set(Person.objects.filter(political=Political.PARTY_UNSPECIFIED).values_list("name", flat=True)) == {
        "民主党派甲", "民主党派乙"}
    assert not Person.objects.filter(political="04").exists()  # 04 is 民革 now: nobody became one
    assert Person.objects.get(pk=masses.person_id).political == "13"
    events = {e.person_id: e for e in MemberEvent.objects.filter(kind="updated")}
    assert set(events) == {current.person_id, moved.person_id}
    e = events[moved.person_id]
    assert (e.membership_id, e.union_id, e.path, e.effective_on, e.month) == (
        later.pk, tree.union_a2.pk, tree.union_a2.path, TODAY, TODAY.replace(day=1))
    assert e.data == {"fields": ["political"], "political": ["04", "X1"], "old_meaning": "民主党派"}
    assert "原代码04" in e.reason and "民主党派" in e.reason and "请补选具体党派" in e.reason
    assert events[current.person_id].membership_id == current.pk
    # The timeline shows it, and the to-do list asks for the party (in the clerk's scope only).
    client.force_login(personas.town_admin)
    page = client.get(reverse("members:detail", args=[current.pk])).content.decode()
    assert "信息变更" in page and "请补选具体党派" in page
    items, total = REGISTRY["members.party_unspecified"].func(personas.town_clerk, TODAY, 10, 0)
    assert total == 2 and {i.url for i in items} == {reverse("members:edit", args=[current.pk]),
                                                     reverse("members:edit", args=[later.pk])}
    assert REGISTRY["members.party_unspecified"].func(personas.outsider, TODAY, 10, 0)[1] == 0
    # The clerk picks the party: the record leaves the list.
    client.post(reverse("members:edit", args=[current.pk]), {"name": "民主党派甲", "ethnicity": "01",
                                                             "political": "05", "employment": "1"})
    assert Person.objects.get(pk=current.person_id).political == "05"
    assert REGISTRY["members.party_unspecified"].func(personas.town_clerk, TODAY, 10, 0)[1] == 1


# --- the import takes codes and labels ------------------------------------------------------------------


def test_the_import_takes_official_codes_labels_and_old_spellings(personas, tree):
    data = sheet(
        row("甲", seq=1, gender="1", ethnicity="03", education="21", political="05", hukou="2", employment="2"),
        row("乙", seq=2, gender="男性", ethnicity=3.0, education="大学本科毕业", political="中国民主同盟盟员",
            hukou="农业家庭户口", employment="待（下）岗"),
        row("丙", seq=3, gender="男", ethnicity="回族", education="本科毕业", political="民盟", hukou="农村",
            employment="下(待)岗"),
        row("丁", seq=4, hukou="农业集体户口", employment="在岗", political="民主党派"),
        row("戊", seq=5, hukou="非农业集体户口", employment="灵活就业", political=4.0),
    )
    result = MemberImporter(actor=personas.town_clerk).run(data)
    assert result.ok, result.errors
    got = {p.name: (p.gender, p.ethnicity, p.education, p.political, p.hukou, p.employment, p.is_migrant_worker)
           for p in Person.objects.all()}
    assert got["甲"] == got["乙"] == (1, "03", "21", "05", "2", "2", False)  # 待岗: not at work
    assert got["丙"] == (1, "03", "21", "05", "2", "2", False)
    assert got["丁"][3:] == ("X1", "4", "1", True)  # 农业集体户口 is rural, 在岗: 农民工
    assert got["戊"][3:] == ("04", "3", "X1", False)  # a collective urban registration is not rural


def test_gender_0_and_9_say_nothing_and_a_contradicting_code_is_refused(personas, tree):
    data = sheet(row("未说明", seq=1, gender="9"), row("女码", seq=2, gender="2"))
    result = MemberImporter(actor=personas.town_clerk).run(data)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(3, "性别")]
    assert "与公民身份号码不符" in result.errors[0].reason


# --- the round trip ---------------------------------------------------------------------------------------


def _orgs_and_members(size: str, seed: int):
    """The demo's organisations and members only (other lines' records would hold the people)."""
    ctx = demo.DemoContext(demo.SIZES[size], seed, TODAY, random.Random(seed))
    for b in demo.ordered():
        if b.app in ("orgs", "members"):
            ctx.rng = random.Random(f"{seed}:{b.app}:{b.name}")
            b.func(ctx)
    return ctx


FIELDS = ("name", "gender", "birth_date", "ethnicity", "education", "political", "phone_masked", "hukou",
          "is_migrant_worker", "employment", "employer_id", "first_joined_on")


def _records() -> dict[str, tuple]:
    """Every current member by ID number: the person's fields and the membership's."""
    out = {}
    for m in Membership.objects.filter(ended_on__isnull=True).select_related("person"):
        p = m.person
        out[p.id_number] = (*(getattr(p, f) for f in FIELDS), p.phone, m.union_id, m.started_on, m.card_no)
    return out


def _forget_members() -> None:
    MemberEvent.objects.all().delete()
    MemberStatusPeriod.objects.all().delete()
    Transfer.objects.all().delete()
    Membership.objects.all().delete()
    Person.objects.all().delete()


@pytest.mark.parametrize("with_codes", [True, False], ids=["codes", "labels"])
def test_the_demo_roster_exported_and_imported_again_gives_the_same_records(db, tmp_path, with_codes):
    _orgs_and_members("small", 11)
    before = _records()
    values = {f: {v[i] for v in before.values()} for i, f in enumerate(FIELDS)}
    # The demo uses the detailed codes, the democratic parties and our extension codes.
    assert {"14", "21", "47"} <= values["education"] and {"05", "10"} <= values["political"]
    assert {Hukou.URBAN, Hukou.RURAL} <= values["hukou"] and {Employment.FLEXIBLE, Employment.RETIRED} <= values[
        "employment"]
    out = tmp_path / "roster.xlsx"
    call_command("export_data", "members", "--out", str(out), *(["--codes"] if with_codes else []))
    content = out.read_bytes()
    sheet_rows = _read(content)
    at = {h: i for i, h in enumerate(sheet_rows[0])}
    first = next(r for r in sheet_rows[1:] if r[at["户籍类型"]] in ("2", "农业家庭户口"))
    if with_codes:
        assert first[at["户籍类型"]] == "2" and first[at["性别"]] in ("1", "2") and len(first[at["民族"]]) == 2
    else:
        assert first[at["户籍类型"]] == "农业家庭户口" and first[at["性别"]] in ("男", "女")
    _forget_members()
    result = MemberImporter(actor=None).run(content)
    assert result.ok, result.errors[:5]
    assert result.created == len(before)
    assert _records() == before


def test_the_codes_option_on_the_page_and_the_job(client, personas, join, tree, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    join(name="李丽", female=True, id_number=make_id("19880215", 7, female=True), hukou="2", employment="X1",
         education="21", political="05", is_migrant_worker=True)
    client.force_login(personas.town_admin)
    roster = client.get(reverse("members:roster")).content.decode()
    assert "codes=1" in roster and "导出（代码）" in roster
    rows = {}
    for flag in ("", "1"):
        response = client.get(reverse("members:export"), {"codes": flag} if flag else {})
        rows[flag] = _read(b"".join(response.streaming_content))
    at = {h: i for i, h in enumerate(rows[""][0])}
    pick = ("性别", "文化程度", "政治面貌", "户籍类型", "就业状态")
    assert [rows[""][1][at[h]] for h in pick] == ["女", "大学本科毕业", "中国民主同盟盟员", "农业家庭户口", "灵活就业"]
    assert [rows["1"][1][at[h]] for h in pick] == ["2", "21", "05", "2", "X1"]
    # A big export: the page offers the option, the job keeps it.
    monkeypatch.setattr(exports, "SYNC_MAX_ROWS", 0)
    page = client.get(reverse("members:export"), {"codes": "1"}).content.decode()
    assert 'name="codes" value="1" id="export-codes" checked' in page
    client.post(reverse("members:export"), {"codes": "1"})
    job = Job.objects.get()
    download = client.get(reverse("jobs:download", args=[job.pk]))
    job_rows = _read(b"".join(download.streaming_content))
    assert [job_rows[1][at[h]] for h in pick] == ["2", "21", "05", "2", "X1"]


def _read(content: bytes) -> list[list]:
    from tests.core.test_excel import read_back

    return read_back(content)


def test_the_command_line_codes_flag_only_where_an_export_has_code_columns(tree, tmp_path):
    out = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match="没有代码表列，不能使用 --codes"):
        call_command("export_data", "petitions", "--codes", "--out", str(out))
    assert not out.exists()
    call_command("export_data", "members", "--param", "codes=1", "--out", str(out))  # the same as --codes
    assert _read(out.read_bytes())[0][:2] == ["姓名", "公民身份号码"]
