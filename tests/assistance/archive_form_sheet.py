"""The 困难职工档案表 roster as a county keeps it (issue 17 item 5), for the import tests: a merged
title, the 填报单位 line, the form's headers with their required marks, codes in some columns and
labels in others, full-width brackets, a 15-digit ID number, and the 填表说明 under the table."""

import io

import xlsxwriter

from gonghui.core.identifiers import id_check_char
from tests.members.conftest import make_id

OLD_ID = "430121750315123"  # 15 digits, as archives opened before 1999 cards were replaced hold them
NEW_ID = "43012119750315123" + id_check_char("43012119750315123")
DAUGHTER_ID = make_id(birth="20100501", seq=7, female=True)
SON_ID = make_id(birth="20100501", seq=8)
WRONG_CHECK = SON_ID[:-1] + ("1" if SON_ID[-1] != "1" else "2")

# The form's columns as a county's roster writes them: required marks, full-width brackets, 序号 and
# 性别/出生日期 columns the import does not need (they come from the ID number).
HEADERS = [
    "序号", "职工编号", "*困难类别", "建档单位", "*姓名", "*民族", "*性别", "*政治面貌", "*身份证号", "*出生日期",
    "*健康状况", "残疾类别", "*工作状态", "*劳模类型", "住房类型", "建筑面积", "*手机号码", "*婚姻状况",
    "*户口类型", "家庭住址", "工作单位", "单位性质", "企业状况", "是否单亲", "*本人月平均收入",
    "*家庭其他非薪资年收入", "*家庭年度总收入", "家庭人口", "*户口所在地行政区划", "*医保状况",
    "是否有一定自救能力", "是否为零就业家庭", "*主要致困原因", "次要致困原因", "开户银行", "支行名称", "银行卡号",
    "建档日期", "建档人", "审核人", "录入人",
    "家庭成员1姓名", "家庭成员1关系", "家庭成员1民族", "家庭成员1身份证号", "家庭成员1健康状况", "家庭成员1月收入",
    "家庭成员1医保状况", "家庭成员1婚姻状况", "家庭成员1户口类型", "家庭成员1人员身份", "家庭成员1单位或学校",
]
FIRST = {
    "序号": 1, "职工编号": "", "*困难类别": "低保户", "建档单位": "甲一公司工会", "*姓名": "钱困难", "*民族": "01",
    "*性别": "男", "*政治面貌": "中共党员", "*身份证号": OLD_ID, "*出生日期": "1975/03/15", "*健康状况": "尿毒症",
    "残疾类别": "", "*工作状态": "下（待）岗", "*劳模类型": "非劳模", "住房类型": "租房",
    "建筑面积": "20（不含）至50（含）", "*手机号码": "13812345678", "*婚姻状况": "离异", "*户口类型": "非农业",
    "家庭住址": "星沙街道开元路8号", "工作单位": "甲一公司", "单位性质": "民营/私营/个体企业",
    "企业状况": "停产半停产", "是否单亲": "是", "*本人月平均收入": 1200, "*家庭其他非薪资年收入": 0,
    "*家庭年度总收入": 15600, "家庭人口": 2, "*户口所在地行政区划": "430121", "*医保状况": "城镇职工基本医疗保险",
    "是否有一定自救能力": "否", "是否为零就业家庭": "否", "*主要致困原因": "6.患重特大疾病", "次要致困原因": "9、3",
    "开户银行": "中国农业银行", "支行名称": "长沙县星沙支行", "银行卡号": "6228480012345678901",
    "建档日期": "2024-03-01", "建档人": "赵建档", "审核人": "孙审核", "录入人": "李录入",
    "家庭成员1姓名": "钱小妹", "家庭成员1关系": "女儿", "家庭成员1民族": "汉族", "家庭成员1身份证号": DAUGHTER_ID,
    "家庭成员1健康状况": "良好", "家庭成员1月收入": 0, "家庭成员1医保状况": "居民医保", "家庭成员1婚姻状况": "未婚",
    "家庭成员1户口类型": "非农业", "家庭成员1人员身份": "在校学生", "家庭成员1单位或学校": "长沙县第一中学",
}
SECOND = {
    **{h: "" for h in HEADERS}, "序号": 2, "*困难类别": "低保边缘户", "建档单位": "甲一公司工会", "*姓名": "孙困难",
    "*民族": "汉", "*政治面貌": "群众", "*身份证号": make_id(seq=95), "*健康状况": "残疾", "残疾类别": "肢体",
    "*工作状态": "在岗", "*劳模类型": "地市级劳模", "建筑面积": 45, "*婚姻状况": "已婚", "*户口类型": "农业",
    "*本人月平均收入": 1500, "*家庭其他非薪资年收入": 1200, "家庭人口": 3, "*户口所在地行政区划": "430121",
    "*医保状况": "新农合", "*主要致困原因": "无劳动能力", "建档日期": "2024-03-05",
}


def form_sheet(rows, data_from: int = 4) -> bytes:
    """The roster as a county keeps it: a merged title, the 填报单位 line, the header, the data, and
    the form's 填表说明 under the table."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("困难职工档案")
    text = wb.add_format({"num_format": "@"})
    ws.merge_range(0, 0, 0, 10, "困难职工档案表（2024年度）")
    ws.write(1, 0, "填报单位（盖章）：甲一公司工会")
    ws.write(1, 8, "填报日期：2024年3月5日")
    header_row = data_from - 2
    ws.write_row(header_row, 0, HEADERS)
    for i, row in enumerate(rows):
        for j, h in enumerate(HEADERS):
            value = row.get(h, "")
            if isinstance(value, str):
                ws.write_string(header_row + 1 + i, j, value, text)
            elif value != "":
                ws.write_number(header_row + 1 + i, j, value)
    last = header_row + 1 + len(rows)
    ws.write(last + 1, 0, "填表说明：1.困难类别：请填写“深度困难”“相对困难”或“意外致困”（原“低保户”等按对应关系填写）。")
    ws.write(last + 2, 0, "2.身份证号：必须是15位或18位。")
    wb.close()
    return out.getvalue()
