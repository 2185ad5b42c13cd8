"""Rows the town clerk (业务经办 on 甲镇) may import, for every importer's page tests
(tests/core/test_import_pages.py): the wage agreements of 甲一 and 甲二 (their employers get a USCC)."""

from stdnum.cn import uscc

from gonghui.orgs.models import Employer


def samples(tree, personas):
    codes = {}
    for n, key in enumerate(("a1", "a2"), start=1):
        body = f"91430121MA4L{n:05d}"
        codes[key] = body + uscc.calc_check_digit(body)
        Employer.objects.filter(pk=tree.emp[key].pk).update(uscc=codes[key])
    term = {"合同类型": "工资专项集体协议", "签字日期": "2025-03-01", "期限起": "2025-04-01", "期限止": "2026-03-31"}
    return {"contracts": [
        {**term, "工会编码": "A1", "合同名称": "甲一2025工资协议", "用人单位统一社会信用代码": codes["a1"]},
        {**term, "工会编码": "A2", "合同名称": "甲二2025工资协议", "用人单位统一社会信用代码": codes["a2"]},
    ]}
