"""Rows the town clerk (业务经办 on 甲镇) may import, for every importer's page tests
(tests/core/test_import_pages.py): two delegates of 甲一公司's 职代会 (built here, first term)."""

import datetime as dt

from gonghui.democracy import services as s


def samples(tree, personas):
    c = s.congress_create(actor=None, org=tree.union_a1, name="甲一公司职工代表大会", established_on=dt.date(2021, 1, 10),
                          employer=tree.emp["a1"])
    s.term_open(actor=None, congress=c, number=1, started_on=dt.date(2021, 1, 10), ends_on=dt.date(2026, 12, 31),
                staff=30, women_staff=12)
    return {"democracy_delegates": [
        {"工会编码": "A1", "届次": 1, "姓名": "张三", "性别": "男", "选区": "第一车间", "一线职工": "是"},
        {"工会编码": "A1", "届次": 1, "姓名": "李四", "性别": "女", "选区": "第二车间", "中高级管理人员": "否"},
    ]}
