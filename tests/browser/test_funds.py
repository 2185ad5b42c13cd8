"""工会经费 in a real Chromium: the township clerk records a receipt whose credit code is not
registered (a wrong check character is refused first, the input kept), matches it from the
待匹配 list, registers the union's refund formalities (the account shown masked), prepares a
refund that the clerk cannot approve and another approver does; the list works at phone width
without serious accessibility violations. 经审: the clerk records a chair's 任期经济责任审计, a
finding with its due date and its rectification (on time), and the review list counts them."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gonghui.funds.models import FundReview, MatchStatus, Receipt, Refund, RefundStatus, ReviewFinding
from tests.browser.axe import violations
from tests.browser.conftest import PHONE
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def ago(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


def test_receipt_matched_formalities_and_four_eyes_refund(page, server, tree, personas, login):
    make_user("fund_approver", tree.town_a, "审批")
    login("town_clerk")
    page.goto(f"{server}/funds/")
    page.get_by_role("link", name="登记经费收入").click()
    page.locator("#id_org").fill("A")
    page.locator("#id_reference").fill("SW-2026-0001")
    page.locator("#id_channel").select_option(label="税务代收")
    page.locator("#id_uscc").fill("91430121MA4L000011")
    page.locator("#id_name").fill("甲四商店（税务名称）")
    page.locator("#id_amount").fill("1234.56")
    page.locator("#id_received_on").fill(ago(20))
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("校验位不正确")
    expect(page.locator("#id_name")).to_have_value("甲四商店（税务名称）")
    page.locator("#id_uscc").fill("")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("待匹配")

    page.goto(f"{server}/funds/receipts/pending/")
    page.get_by_role("link", name="匹配单位").click()
    page.locator("#id_employer").fill("甲四商店")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("已将凭证号SW-2026-0001匹配到“甲四商店”")
    assert Receipt.objects.get(reference="SW-2026-0001").status == MatchStatus.MATCHED

    # 甲一's union: a receipt, then its formalities and a refund.
    page.goto(f"{server}/funds/receipts/new/")
    page.locator("#id_org").fill("A")
    page.locator("#id_reference").fill("SW-2026-0002")
    page.locator("#id_channel").select_option(label="直接拨缴")
    page.locator("#id_name").fill("甲一公司")
    page.locator("#id_amount").fill("1000")
    page.locator("#id_received_on").fill(ago(15))
    page.get_by_role("button", name="保存").click()
    r = Receipt.objects.get(reference="SW-2026-0002")
    page.goto(f"{server}/funds/receipts/pending/")
    page.goto(f"{server}/funds/receipts/{r.pk}/match/")
    page.locator("#id_employer").fill("甲一公司")
    page.get_by_role("button", name="保存").click()

    page.goto(f"{server}/funds/formalities/{tree.union_a1.pk}/")
    page.locator("#id_bank_name").fill("长沙银行")
    page.locator("#id_account").fill("6222020012345678")
    page.locator("#id_certificate_no").fill("工法证字第0001号")
    page.locator("#id_agreement_on").fill(ago(30))
    page.locator("#id_on").fill(ago(20))
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#formalities")).to_contain_text("****5678")
    expect(page.locator("#formalities")).not_to_contain_text("6222020012345678")

    page.goto(f"{server}/funds/refunds/new/")
    page.locator("#id_union").fill(tree.union_a1.code)
    page.locator("#id_start").fill(ago(60))
    page.locator("#id_end").fill(ago(1))
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#refund-status")).to_have_text("待审批")
    expect(page.locator("main")).to_contain_text("600.00")

    page.get_by_role("button", name="退出").click()
    login("fund_approver")
    refund = Refund.objects.get()
    page.goto(f"{server}/funds/refunds/{refund.pk}/")
    page.get_by_role("button", name="批准").click()
    expect(page.locator("#refund-status")).to_have_text("已审批")
    assert Refund.objects.get().status == RefundStatus.APPROVED

    page.set_viewport_size(PHONE)
    page.goto(f"{server}/funds/")
    expect(page.locator("#receipts")).to_contain_text("SW-2026-0001")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert violations(page) == []


def test_review_findings_rectification_and_term_audit(page, server, tree, personas, login):
    """经审: the township clerk records the 任期经济责任审计 of a leaving chair, a finding with its
    rectification due date, then its rectification (on time); the review list shows the counts and
    works at phone width."""
    login("town_clerk")
    page.goto(f"{server}/funds/")
    page.get_by_role("link", name="经费审查").first.click()
    page.get_by_role("link", name="登记经费审查").click()
    page.locator("#id_org").fill(tree.union_a1.code)
    page.locator("#id_kind").select_option(label="任期经济责任审计")
    page.locator("#id_period_start").fill(ago(400))
    page.locator("#id_period_end").fill(ago(40))
    page.locator("#id_reviewed_on").fill(ago(30))
    page.locator("#id_auditor").fill("甲镇工会经费审查委员会")
    page.locator("#id_chair_name").fill("王某某")
    page.locator("#id_conclusion").fill("经费收支基本规范，个别报销手续不全。")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("已登记经费审查")
    expect(page.locator("main")).to_contain_text("任期经济责任审计")
    expect(page.locator("main")).to_contain_text("王某某")
    review = FundReview.objects.get()
    assert (review.kind, review.org_id) == ("term_audit", tree.union_a1.pk)

    page.get_by_role("link", name="登记发现问题").click()
    page.locator("#id_description").fill("三笔慰问品支出缺少验收单")
    page.locator("#id_amount").fill("1500")
    page.locator("#id_due_on").fill(ago(5))
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#findings")).to_contain_text("三笔慰问品支出缺少验收单")
    expect(page.locator("#findings")).to_contain_text("未整改")

    page.locator("#findings").get_by_role("link", name="登记整改").click()
    page.locator("#id_rectified_on").fill(ago(10))
    page.locator("#id_rectification").fill("已补齐验收单并经会计复核")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("已登记整改（按期整改）")
    expect(page.locator("#findings")).to_contain_text("按期整改")
    assert ReviewFinding.objects.get().on_time

    page.set_viewport_size(PHONE)
    page.goto(f"{server}/funds/reviews/")
    expect(page.locator("#reviews")).to_contain_text("王某某")
    row = page.locator("#reviews tbody tr").first
    expect(row.locator("td").nth(5)).to_have_text("1")
    expect(row.locator("td").nth(6)).to_have_text("0")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert violations(page) == []
