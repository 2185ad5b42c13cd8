"""Rows the town clerk (业务经办 on 甲镇) may import, for every importer's page tests
(tests/core/test_import_pages.py): two households of 甲一公司工会, with the 低保 standard they need."""

from gonghui.assistance import services
from tests.members.conftest import make_id


def samples(tree, personas):
    services.standard_set(actor=None, region_code="430100", region_name="长沙市", year=2024, monthly="700")
    household = {"建档单位代码": "A1", "户口所在地行政区划代码": "430121", "本人月平均收入": 800,
                 "主要致困原因": "患重特大疾病", "建档日期": "2024-03-01", "入档日期": "2024-03-20"}
    form = {"建档单位": "甲一公司工会", "户口所在地行政区划": "430121", "本人月平均收入": 800, "主要致困原因": "6",
            "困难类别": "低保户", "建档日期": "2024-03-01", "民族": "汉族", "健康状况": "癌症"}
    return {"assistance_archives": [{**household, "户主姓名": "钱困难", "身份证号": make_id(seq=91)},
                                    {**household, "户主姓名": "孙困难", "身份证号": make_id(seq=92)}],
            "assistance_archive_form": [{**form, "姓名": "周困难", "身份证号": make_id(seq=93)},
                                        {**form, "姓名": "吴困难", "身份证号": make_id(seq=94)}]}
