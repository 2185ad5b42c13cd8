"""Rows the town clerk (业务经办 on 甲镇) may import, for every importer's page tests
(tests/core/test_import_pages.py), discovered like every line's."""


def samples(tree, personas):
    return {"sampleline_visits": [{"单位编码": "A1", "走访日期": "2026-03-01", "事由": "走访甲一"},
                                  {"单位编码": "A2", "走访日期": "2026-03-02", "事由": "走访甲二"}]}
