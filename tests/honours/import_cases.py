"""Rows the town clerk (业务经办 on 甲镇) may import, for every importer's page tests
(tests/core/test_import_pages.py): one model worker of 甲一公司工会 with two titles."""

from tests.members.conftest import make_id


def samples(tree, personas):
    person = {"管理单位编码": "A1", "姓名": "钱劳模", "公民身份号码": make_id(seq=95), "登记日期": "2024-03-01"}
    return {"honours_workers": [{**person, "称号": "省劳动模范", "级别": "省部级", "授予年份": 2015},
                                {**person, "称号": "市劳动模范", "级别": "地市级", "授予年份": 2010}]}
