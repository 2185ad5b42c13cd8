"""What the logs, the statistics page and the downloads show is Chinese (issue 15, item 3): stored
codes are shown through their choice labels and verbose names, the audit action filter is a
drop-down of Chinese names, the access log names the record and its fields, the template downloads
under a Chinese name. (tests/browser/test_every_page.py scans every page of the demo.)"""

import re
from urllib.parse import quote

from django.db import transaction
from django.urls import reverse

from gonghui.core import audit
from gonghui.core.models import AccessLog
from tests.conftest import PASSWORD


def text(response) -> str:
    """The page without its tags and their attributes (a code may stay in a title or a value)."""
    return re.sub(r"<[^>]*>", " ", response.content.decode())


def _entry(object_type, changes, action="assistance.payment.recorded", org_path=""):
    with transaction.atomic():
        return audit.record(actor=None, action=action, target=audit.Target(object_type, "7", "王五", org_path),
                            changes=changes)


def test_audit_values_show_their_choice_labels_and_keys_their_field_names(client, tree, personas):
    payment = _entry("assistance.payment", {"fund_source": "upper", "method": "bank", "type": "warmth"},
                     org_path=tree.root.path)
    status = _entry("assistance.application", {"status": ["submitted", "approved"], "eligible": True},
                    action="assistance.application.approved", org_path=tree.root.path)
    # The visit is recorded on its pairing: its date is still named by the visit's field.
    visit = _entry("assistance.pairing", {"pledged_on": "2026-03-01", "visited_on": "2026-04-01"},
                   action="assistance.visit.recorded", org_path=tree.root.path)
    client.force_login(personas.county_admin)
    page = text(client.get(reverse("core:audit")))
    for shown in ("资金来源", "上级工会补助", "发放方式", "银行卡", "送温暖", "已批准待发放", "结对日期", "走访日期", "是"):
        assert shown in page, shown
    for raw in ("upper", "bank", "warmth", "approved", "pledged_on", "visited_on", "True"):
        assert raw not in page, raw
    for e, shown in ((payment, "上级工会补助"), (status, "已批准待发放"), (visit, "走访日期")):
        entry = text(client.get(reverse("core:audit_entry", args=[e.seq])))
        assert shown in entry and "assistance." not in entry
    assert "帮扶发放 #7" in text(client.get(reverse("core:audit_entry", args=[payment.seq])))


def test_the_audit_action_filter_is_a_drop_down_of_chinese_names(client, tree, personas):
    client.force_login(personas.county_admin)
    page = client.get(reverse("core:audit")).content.decode()
    assert '<select id="a-action"' in page and '<option value="orgs.org.renamed">更名</option>' in page
    assert "如 orgs.org.renamed" not in page
    _entry("orgs.org", {"name": ["甲", "乙"]}, action="orgs.org.renamed", org_path=tree.root.path)
    _entry("orgs.org", {}, action="orgs.org.moved", org_path=tree.root.path)
    rows = client.get(reverse("core:audit"), {"action": "orgs.org.renamed"}).content.decode()
    assert 'title="orgs.org.renamed"' in rows and 'title="orgs.org.moved"' not in rows
    assert '<option value="orgs.org.renamed" selected>' in rows


def test_the_access_log_names_the_record_and_its_fields_and_links_it_for_who_may_open_it(
        client, tree, personas):
    AccessLog.objects.create(user_name="甲", kind="view_full", object_type="assistance.archive", object_id="81",
                             fields=["finances", "family", "id_number", "bank_account"], reason="核对",
                             org_path=tree.union_a1.path)
    AccessLog.objects.create(user_name="甲", kind="export", object_type="petitions.table", fields=["单位"],
                             org_path=tree.root.path)
    AccessLog.objects.create(user_name="甲", kind="export", object_type="petitions.petition",
                             fields=["name", "id_number", "phone"], org_path=tree.root.path)
    client.force_login(personas.county_admin)
    page = client.get(reverse("core:access_log")).content.decode()
    link = reverse("assistance:archive_detail", args=[81])
    assert f'<a href="{link}">困难职工档案 #81</a>' in page
    text_of = re.sub(r"<[^>]*>", " ", page)
    assert "家庭收支、家庭成员、身份证号码、银行卡号" in text_of
    assert "信访统计表" in text_of
    assert "信访案件" in text_of and "信访人姓名、身份证号码、手机号码" in text_of  # a petition's "name" is its petitioner's
    for raw in ("assistance.archive", "finances", "bank_account", "petitions.table"):
        assert raw not in text_of, raw
    # The read-only leader audits the county but may not open hardship archives: no link.
    client.force_login(personas.leader)
    page = client.get(reverse("core:access_log")).content.decode()
    assert "困难职工档案 #81" in page and link not in page


def test_the_statistics_page_has_no_code_column(client, tree, personas):
    client.force_login(personas.county_admin)
    page = client.get(reverse("core:stats")).content.decode()
    assert "<th>代码</th>" not in page and "<code>" not in page
    assert 'title="指标代码 members.total"' in page  # still there for template authors, on hover


def test_the_summary_template_downloads_under_a_chinese_name(client, tree, personas):
    client.force_login(personas.leader)
    r = client.get(reverse("reports:template_download", args=[tree.root.code]))
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert f"filename*=utf-8''{quote('工作总结模板.docx')}" in r["Content-Disposition"]
    assert "summary-template" not in r["Content-Disposition"]


def test_a_too_short_password_is_refused_in_chinese(client, tree, personas):
    client.force_login(personas.town_clerk)
    r = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Ab1!", "new_password2": "Ab1!"})
    page = r.content.decode()
    assert "密码太短：至少需要10个字符。" in page and "too short" not in page


def test_every_line_names_its_keys_and_codes(client, tree, personas):
    # Keys that are no field of the entry's model come from the line's audit_fields; a metric code
    # is shown by the metric's name.
    target = _entry("reports.target", {"metric": "members.new", "value": [None, "100"]},
                    action="reports.target.set", org_path=tree.root.path)
    transfer = _entry("members.transfer", {"to_union": "乙一公司工会", "effective_on": "2026-05-01"},
                      action="members.transfer.requested", org_path=tree.root.path)
    rotated = _entry("core.keys", {"retired": 1, "write": "k2"}, action="core.keys.retired")
    client.force_login(personas.county_admin)
    shown = " ".join(text(client.get(reverse("core:audit_entry", args=[e.seq]))) for e in (target, transfer, rotated))
    for label in ("指标", "发展会员", "目标值", "（空） → 100", "转入工会", "转会日期", "停用的密钥版本", "写入用密钥版本"):
        assert label in shown, label
    for raw in ("members.new", "to_union", "retired", "write"):
        assert raw not in shown, raw
