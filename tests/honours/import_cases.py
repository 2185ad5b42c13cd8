"""Rows the town clerk (业务经办 on 甲镇) may import, for every importer's page tests
(tests/core/test_import_pages.py): one model worker of 甲一公司工会 with two titles; the results of
a town contest (made here) for two people of 甲一公司工会."""

import datetime as dt

from tests.members.conftest import make_id


def samples(tree, personas):
    from gonghui.honours import services

    person = {"管理单位编码": "A1", "姓名": "钱劳模", "公民身份号码": make_id(seq=95), "登记日期": "2024-03-01"}
    services.contest_create(actor=None, org=tree.town_a, name="甲镇岗位练兵", kind="drill", start_on=dt.date(2025, 5, 1),
                            end_on=dt.date(2025, 5, 31), events=["电工"])
    entry = {"竞赛名称": "甲镇岗位练兵", "项目": "电工", "参赛单位编码": "A1"}
    return {"honours_workers": [{**person, "称号": "省劳动模范", "级别": "省部级", "授予年份": 2015},
                                {**person, "称号": "市劳动模范", "级别": "地市级", "授予年份": 2010}],
            "honours_contest_results": [{**entry, "姓名": "赵选手", "名次": 1, "奖项": "一等奖", "奖金(元)": 800},
                                        {**entry, "姓名": "孙选手", "名次": 2, "队伍": "机修班"}]}
