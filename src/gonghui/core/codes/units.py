"""The unit tables of the 全总 statistics report: 单位类别 and 经济类型.

单位类别 (the 工会组织信息登记表 and the 基层工会调查表 ask it of the union's unit): sixteen codes are
confirmed by the 工会组织信息登记表 填表说明 as published by a city federation (djygh.org, 2015-10-12):
110 国有企业 … 300 外商投资企业 by economic type, 400 事业, 500 机关, 600 个体经济组织, 700 民办非企业.
The issue asks for seventeen, naming 社会团体 among them; no public copy of the 2019 (国统制〔2019〕107号)
list was found, so 800 社会团体 is our best-supported seventeenth code and is marked `extension`.

经济类型 is the 企业登记注册类型 of 国家统计局 and 国家工商总局 (国统字〔2011〕86号), three levels:
100 内资 / 200 港澳台商投资 / 300 外商投资, their groups (110 国有 … 190 其他) and details. `top` rolls
any code up to 内资, 港澳台 or 外商, the split the annual report asks for.
"""

from __future__ import annotations

from . import Code, Table, register

UNIT_CATEGORY = register(Table("unit_category", "单位类别", "全总工会统计 单位类别", (
    Code("110", "国有企业", aliases=("国有",)),
    Code("120", "集体企业", aliases=("集体",)),
    Code("130", "股份合作企业", aliases=("股份合作",)),
    Code("140", "联营企业", aliases=("联营",)),
    Code("151", "国有独资公司"),
    Code("159", "其他有限责任公司", aliases=("有限责任公司",)),
    Code("161", "股份有限公司中的国有控股公司", aliases=("国有控股股份有限公司",)),
    Code("169", "其他股份有限公司", aliases=("股份有限公司",)),
    Code("170", "私营企业", aliases=("私营", "民营企业")),
    Code("190", "其他内资企业"),
    Code("200", "港澳台商投资企业", aliases=("台港澳商投资企业", "港、澳、台商投资企业", "港澳台投资企业")),
    Code("300", "外商投资企业", aliases=("外资企业",)),
    Code("400", "事业", aliases=("事业单位",)),
    Code("500", "机关", aliases=("机关单位", "党政机关")),
    Code("600", "个体经济组织", aliases=("个体工商户", "个体")),
    Code("700", "民办非企业", aliases=("民办非企业单位", "社会服务机构")),
    Code("800", "社会团体", extension=True),
)))

# What kind of unit a 单位类别 is, for the report's rows (企业, 事业, 机关 ...).
ENTERPRISE_CATEGORIES = ("110", "120", "130", "140", "151", "159", "161", "169", "170", "190", "200", "300")
UNIT_KIND = {
    **{c: "enterprise" for c in ENTERPRISE_CATEGORIES},
    "400": "institution", "500": "government", "600": "individual", "700": "private_non_enterprise",
    "800": "social_group",
}
# The 经济类型 a 单位类别 of an enterprise implies (the form and the import fill it when left empty).
CATEGORY_ECONOMIC_TYPE = {
    "110": "110", "120": "120", "130": "130", "140": "140", "151": "151", "159": "159", "161": "160",
    "169": "160", "170": "170", "190": "190", "200": "200", "300": "300",
}

_ECONOMIC = {
    ("100", "内资企业", ("内资",)): {
        ("110", "国有企业", ("国有",)): [],
        ("120", "集体企业", ("集体",)): [],
        ("130", "股份合作企业", ("股份合作",)): [],
        ("140", "联营企业", ("联营",)): [
            ("141", "国有联营企业"), ("142", "集体联营企业"), ("143", "国有与集体联营企业"), ("149", "其他联营企业")],
        ("150", "有限责任公司", ("有限责任",)): [("151", "国有独资公司"), ("159", "其他有限责任公司")],
        ("160", "股份有限公司", ("股份有限",)): [],
        ("170", "私营企业", ("私营",)): [
            ("171", "私营独资企业"), ("172", "私营合伙企业"), ("173", "私营有限责任公司"), ("174", "私营股份有限公司")],
        ("190", "其他企业", ("其他内资企业", "其他")): [],
    },
    ("200", "港、澳、台商投资企业", ("港澳台商投资企业", "港澳台商投资", "港澳台投资", "港澳台")): {
        ("210", "合资经营企业（港或澳、台资）", ("港澳台合资经营企业",)): [],
        ("220", "合作经营企业（港或澳、台资）", ("港澳台合作经营企业",)): [],
        ("230", "港、澳、台商独资经营企业", ("港澳台商独资经营企业", "港澳台独资企业")): [],
        ("240", "港、澳、台商投资股份有限公司", ("港澳台商投资股份有限公司",)): [],
        ("290", "其他港、澳、台商投资企业", ("其他港澳台商投资企业",)): [],
    },
    ("300", "外商投资企业", ("外商投资", "外资")): {
        ("310", "中外合资经营企业", ()): [],
        ("320", "中外合作经营企业", ()): [],
        ("330", "外资企业", ("外商独资企业",)): [],
        ("340", "外商投资股份有限公司", ()): [],
        ("390", "其他外商投资企业", ()): [],
    },
}


def _economic_codes():
    for (top, label, aliases), groups in _ECONOMIC.items():
        yield Code(top, label, aliases=aliases)
        for (group, glabel, galiases), details in groups.items():
            yield Code(group, glabel, aliases=galiases, parent=top)
            for code, dlabel in details:
                yield Code(code, dlabel, parent=group)


ECONOMIC_TYPE = register(Table("economic_type", "经济类型", "企业登记注册类型（国统字〔2011〕86号）",
                               tuple(_economic_codes())))
