"""Issue 17 item 5: the national 困难职工档案表 — its fields on archives and family members, its 15
health values, its older categories, and masking of the new personal data. The import of the form
as a county fills it is in test_archive_form_sheet.py."""

import datetime as dt
import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gonghui.assistance import conf, services
from gonghui.assistance.imports import ArchiveFormImporter, parse_category
from gonghui.assistance.models import Archive, FamilyMember
from gonghui.core import audit, crypto
from gonghui.core.excel import CellError
from gonghui.core.models import AccessLog
from tests.assistance.archive_form_sheet import DAUGHTER_ID, WRONG_CHECK

D = dt.date


def test_the_legacy_categories_follow_the_configured_mapping(settings):
    assert [parse_category(v) for v in ("低保户", "低保边缘户", "意外致困户", "深度困难职工家庭", "相对困难")] == [
        "deep", "relative", "accident", "deep", "relative"]
    settings.GONGHUI_ASSISTANCE = {"LEGACY_CATEGORIES": {"低保户": "deep", "低保边缘户": "deep"}}
    assert conf.legacy_categories() == {"低保户": "deep", "低保边缘户": "deep"}
    assert parse_category("低保边缘户") == "deep"
    with pytest.raises(CellError, match="不是困难类别"):
        parse_category("意外致困户")
    assert "低保边缘户 → 深度困难" in ArchiveFormImporter.notes[-1]


def test_the_import_page_lists_the_category_mapping(client, personas):
    client.force_login(personas.town_clerk)
    page = client.get(reverse("core:import", args=["assistance_archive_form"])).content.decode()
    assert "低保户 → 深度困难" in page and "低保边缘户 → 相对困难" in page and "意外致困户 → 意外致困" in page


def test_the_five_old_health_values_are_migrated(archive):
    a = archive(family=[{"name": "李小", "relation": "child", "birth_date": D(2012, 1, 1)}])
    migration = importlib.import_module("gonghui.assistance.migrations.0007_archive_form_fields")
    for old, new in (("good", "01"), ("general", "14"), ("disabled", "15"), ("chronic", "91"), ("serious", "92")):
        Archive.objects.filter(pk=a.pk).update(health=old)
        FamilyMember.objects.filter(archive=a).update(health=old)
        migration.health_to_codes(apps, None)
        a.refresh_from_db()
        assert (a.health, a.family.get().health) == (new, new), old
        assert a.get_health_display() != new  # a label, not the bare code
    migration.health_back(apps, None)
    a.refresh_from_db()
    assert a.health == "serious"


def test_the_new_personal_fields_are_masked_without_view_sensitive(client, personas, archive):
    a = archive(family=[{"name": "李小妹", "relation": "child", "id_number": DAUGHTER_ID, "health": "09",
                         "identity": "11"}],
                address="星沙街道开元路8号", health="03", disability="", housing_type="05", medical_insurance="1",
                ethnicity="01", bank_name="农业银行", bank_branch="星沙支行", bank_account="6228480012345678901")
    client.force_login(personas.town_clerk)  # 业务经办: no view_sensitive
    page = client.get(reverse("assistance:archive_detail", args=[a.pk])).content.decode()
    assert "汉族" in page  # not sensitive
    assert "星沙街道开元路8号" not in page and "心血管病" not in page and "糖尿病" not in page
    assert "城镇职工基本医疗保险" not in page and "星沙支行" not in page
    assert crypto.mask_id(DAUGHTER_ID) in page and DAUGHTER_ID not in page
    edit = client.get(reverse("assistance:archive_edit", args=[a.pk])).content.decode()
    assert 'name="address"' not in edit and "星沙街道开元路8号" not in edit
    export = b"".join(client.get(reverse("assistance:archive_export")).streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export)).get_sheet_by_index(0).to_python()
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["家庭住址"], row["健康状况"], row["医保状况"], row["银行卡号"]) == ("***", "***", "***", "****8901")
    assert row["民族"] == "汉族" and row["开户网点"] == "星沙支行"

    client.force_login(personas.town_admin)  # holds view_sensitive: shown, and logged
    page = client.get(reverse("assistance:archive_detail", args=[a.pk])).content.decode()
    assert "星沙街道开元路8号" in page and "心血管病" in page and "糖尿病" in page
    assert DAUGHTER_ID not in page  # ID numbers stay masked until revealed
    assert "address" in AccessLog.objects.get(kind="view_full").fields
    r = client.post(reverse("assistance:archive_reveal", args=[a.pk]), {"reason": "核对银行发放"})
    assert DAUGHTER_ID in r.content.decode()
    assert "family_id_numbers" in AccessLog.objects.latest("id").fields
    # The access log names them in Chinese.
    assert [audit.field_label(f, "assistance.archive") for f in ("family_id_numbers", "address", "health")] == [
        "家庭成员身份证号码", "家庭住址", "健康状况"]
    export = b"".join(client.get(reverse("assistance:archive_export")).streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export)).get_sheet_by_index(0).to_python()
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["家庭住址"], row["健康状况"], row["银行卡号"]) == ("星沙街道开元路8号", "心血管病", "6228480012345678901")


def test_family_member_id_numbers_are_checked_and_decide_birth_and_gender(archive):
    a = archive(family=[])
    m = services.family_member_add(actor=None, archive=a, on=D(2025, 2, 1), name="李小", relation="child",
                                   id_number=DAUGHTER_ID, gender=1, confirm_category="deep")
    assert (m.birth_date, m.gender, m.id_number) == (D(2010, 5, 1), 2, DAUGHTER_ID)
    with pytest.raises(services.ServiceError, match="校验位"):
        services.family_member_add(actor=None, archive=a, on=D(2025, 2, 1), name="李二", relation="child",
                                   id_number=WRONG_CHECK,
                                   confirm_category="deep")
    with pytest.raises(services.ServiceError, match="婚姻状况代码“99”不存在"):
        services.family_member_add(actor=None, archive=a, on=D(2025, 2, 1), name="李三", relation="child",
                                   birth_date=D(2012, 1, 1), marital="99", confirm_category="deep")
