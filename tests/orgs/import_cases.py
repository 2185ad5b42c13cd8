"""Rows the town clerk (业务经办 on 甲镇) may import, for every importer's page tests
(tests/core/test_import_pages.py): two new unions and two new employers under 甲镇."""

from gonghui.orgs.models import OrgType


def samples(tree, personas):
    union = {"组织类型": OrgType.GRASSROOTS.label, "上级组织编码": "A", "成立日期": "2023-05-01"}
    return {
        "orgs": [{**union, "组织编码": "A5", "工会名称": "甲五公司工会"},
                 {**union, "组织编码": "A6", "工会名称": "甲六公司工会"}],
        "employers": [{"单位名称": "甲五公司", "属地工会编码": "A", "职工人数": 120},
                      {"单位名称": "甲六小店", "属地工会编码": "A", "职工人数": 3}],
    }
