"""Rows the town clerk (业务经办 on 甲镇) may import, for every importer's page tests
(tests/core/test_import_pages.py): two new members of 甲一公司工会."""

from tests.members.conftest import make_id


def samples(tree, personas):
    return {"members": [{"姓名": name, "公民身份号码": make_id(seq=seq), "所在工会代码": "A1", "入会日期": "2024-03-01"}
                        for name, seq in (("张三", 11), ("李四", 12))]}
