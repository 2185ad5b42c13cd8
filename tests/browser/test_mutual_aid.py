"""A union enrols its women from the roster in a real Chromium (a refused enrolment keeps the
choice), downloads its 参保单, and a claim goes through review and approval by two people; the
diagnosis is masked for the clerk and shown, logged, to the admin."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gonghui.core.models import AccessLog
from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import Batch, ClaimStatus
from gonghui.mutual_aid.services import Entry
from tests.conftest import make_user
from tests.members.conftest import make_id
from tests.mutual_aid.build import woman
from tests.mutual_aid.conftest import BENEFITS, NINGBO

pytestmark = pytest.mark.browser


def test_enrolment_and_a_claim(page, server, tree, personas, login, shot):
    today = timezone.localdate()
    plan = services.plan_create(actor=None, org=tree.root, code="AK", benefits=BENEFITS, **NINGBO)
    last = services.term_create(actor=None, plan=plan, name=f"{today.year - 1}年度",
                                opens_on=dt.date(today.year - 1, 1, 1), closes_on=dt.date(today.year - 1, 12, 31))
    term = services.term_create(actor=None, plan=plan, name=f"{today.year}年度", opens_on=dt.date(today.year, 1, 1),
                                closes_on=dt.date(today.year, 12, 31))
    for name in ("赵丽", "钱芳", "孙燕", "李娜", "周敏"):
        woman(tree.union_a1, name)
    old = woman(tree.union_b1, "吴静")
    earlier = services.batch_enrol(actor=None, term=last, union=tree.union_b1,
                                   enrolled_on=dt.date(today.year - 1, 1, 10), entries=[Entry(units=2, person=old)])
    make_user("reviewer", tree.town_a, "审批")

    login("union_clerk")
    page.goto(f"{server}/mutual_aid/")
    page.get_by_role("link", name="单位集体参保").click()
    page.get_by_label("项目期次").select_option(label=str(term))
    page.get_by_label("参保单位编码").fill("A1")
    page.get_by_role("button", name="列出符合条件的会员").click()
    expect(page.locator("#roster")).to_contain_text("周敏")
    for name in ("李娜", "周敏"):
        page.get_by_label(f"{name}参保").uncheck()
    page.get_by_role("button", name="提交参保，生成参保单").click()
    expect(page.locator("main")).to_contain_text("参保率60.00%")
    expect(page.get_by_label("周敏参保")).not_to_be_checked()  # the choice is kept
    page.get_by_label("李娜参保").check()
    page.get_by_role("button", name="提交参保，生成参保单").click()
    expect(page.locator("h1")).to_contain_text("参保单")
    expect(page.locator("main")).to_contain_text("80.00%（参保 4 人 ÷ 符合条件 5 人")
    shot("mutual_aid-batch", full_page=True)  # the guide's picture (docs/screenshots)
    with page.expect_download() as download:
        page.get_by_role("link", name="参保单(Word)").click()
    assert download.value.suggested_filename.endswith(".docx")
    assert Batch.objects.filter(union=tree.union_a1).get().enrolled_count == 4

    # A new hire not on the roster joins and is added in one step (a man is refused, input kept).
    page.get_by_role("link", name="增补人员").click()
    expect(page.locator("#roster")).to_contain_text("周敏")
    page.locator("#id_join-name").fill("郑新")
    page.locator("#id_join-id_number").fill(make_id(birth="19960606", seq=901, female=False))
    page.locator("#id_join-joined_on").fill(today.isoformat())
    page.get_by_role("button", name="入会并增补").click()
    expect(page.locator("main")).to_contain_text("该项目仅限女性参保")
    expect(page.locator("#id_join-name")).to_have_value("郑新")
    page.locator("#id_join-id_number").fill(make_id(birth="19960606", seq=902, female=True))
    page.get_by_role("button", name="入会并增补").click()
    expect(page.locator("#items")).to_contain_text("郑新")
    assert Batch.objects.filter(union=tree.union_a1).get().enrolled_count == 5

    # A claim on last year's cover of 乙一 (the county admin registers, reviews; another approves).
    page.context.clear_cookies()
    login("county_admin")
    page.goto(f"{server}/mutual_aid/batches/{earlier.pk}/")
    page.get_by_role("link", name="登记理赔").click()
    page.get_by_label("登记日期").fill(dt.date(today.year - 1, 7, 10).isoformat())
    page.get_by_label("诊断结论").fill("乳腺浸润性导管癌")
    page.get_by_label("给付类别").select_option(index=0)
    page.get_by_label("确诊日期").fill(dt.date(today.year - 1, 7, 1).isoformat())
    page.get_by_label("就诊医院").fill("县人民医院")
    page.get_by_label("治疗方式").select_option(label="手术治疗")
    page.get_by_role("button", name="登记").click()
    expect(page.locator("main")).to_contain_text("核定 20000.00 元")
    expect(page.locator("main")).not_to_contain_text("乳腺")
    shot("mutual_aid-claim", full_page=True)
    page.get_by_role("link", name="查看完整信息（留痕）").click()
    expect(page.locator("main")).to_contain_text("乳腺浸润性导管癌")
    assert AccessLog.objects.filter(object_type="mutual_aid.claim").count() == 1
    page.get_by_label("办理日期").fill(dt.date(today.year - 1, 7, 12).isoformat())
    page.get_by_role("button", name="审核通过").click()
    page.get_by_label("办理日期").fill(dt.date(today.year - 1, 7, 13).isoformat())
    page.get_by_role("button", name="审批同意").click()
    expect(page.locator("main")).to_contain_text("审核人不能审批同一件理赔")
    claim = earlier.items.get().claims.get()
    assert claim.status == ClaimStatus.REVIEWED

    # A paper of the wrong type is refused; a PDF is kept and downloads (logged); the payee's
    # account shows masked.
    page.get_by_label("材料类别").select_option(label="诊断证明")
    page.get_by_label("文件").set_input_files({"name": "诊断.gif", "mimeType": "image/gif", "buffer": b"GIF89a"})
    page.get_by_role("button", name="上传").click()
    expect(page.locator("main")).to_contain_text("不是可接受的文件类型")
    page.get_by_label("文件").set_input_files({"name": "诊断证明.pdf", "mimeType": "application/pdf",
                                              "buffer": b"%PDF-1.4 test"})
    page.get_by_role("button", name="上传").click()
    with page.expect_download() as paper:
        page.get_by_role("link", name="诊断证明.pdf").click()
    assert paper.value.suggested_filename == "诊断证明.pdf"
    assert AccessLog.objects.filter(object_type="mutual_aid.claim_document").count() == 1
    page.get_by_label("开户银行").fill("工商银行长沙县支行")
    page.get_by_label("银行账号").fill("6222021234567890")
    page.get_by_role("button", name="保存收款账户").click()
    expect(page.locator("main")).to_contain_text("****7890")
    expect(page.locator("main")).not_to_contain_text("6222021234567890")
    claim.documents.get().file.delete(save=False)
