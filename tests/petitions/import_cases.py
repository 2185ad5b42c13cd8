"""Rows the town clerk (业务经办 on 甲镇) may import, for every importer's page tests
(tests/core/test_import_pages.py): two closed historical cases of 甲一公司工会."""


def samples(tree, personas):
    case = {"承办单位编码": "A1", "渠道": "来信", "收到日期": "2024-03-04", "性别": "女", "诉求类别": "欠薪",
            "事由": "欠薪", "受理决定": "受理", "告知日期": "2024-03-06", "答复日期": "2024-04-01", "处理结果": "支持",
            "答复意见": "已补发", "办结日期": "2024-04-03", "满意度": "满意"}
    return {"petitions": [{**case, "信访人姓名": "周某"}, {**case, "信访人姓名": "吴某", "收到日期": "2024-03-05"}]}
