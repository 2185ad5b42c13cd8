"""Rows the town clerk (业务经办 on 甲镇) may import, for every importer's page tests
(tests/core/test_import_pages.py): two women of 甲一公司工会 enrolled in the 2025 term."""


def samples(tree, personas):
    from tests.mutual_aid.build import plan_and_term, woman

    plan_and_term(tree)
    people = [woman(tree.union_a1, "钱互助"), woman(tree.union_a1, "孙互助")]
    return {"mutual_aid_enrolment": [
        {"序号": i, "姓名": p.name, "公民身份号码": p.id_number, "份数": 1, "参保单位编码": "A1", "项目代码": "AK",
         "参保日期": "2025-03-01"} for i, p in enumerate(people, start=1)]}
