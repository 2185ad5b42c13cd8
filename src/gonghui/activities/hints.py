"""Each form field's rule as its help text (core.hints)."""

from gonghui.core.hints import hint

from . import forms

PICK = "输入单位名称、拼音首字母或代码后从列表中选择。"

hint(forms, "ActivityForm", {
    "org": PICK, "kind": "活动类型决定登记哪些指标；不登记的指标请留空，否则不能保存。",
    "start_on": "不能晚于今天。", "end_on": "一天的活动不填；不能早于开始日期。",
    "sessions": "该类型登记期数或场次时填写，不填按1期计。",
    "persons": "参加的人数（人，不重复）；有签到名单时留空，按名单统计。",
    "person_times": "参加的人次；不能少于人数。有签到名单时留空，按名单统计。",
    "units": "走访、检查、覆盖的单位数（家）。", "items": "问卷份数、建议条数、成果项数等。",
    "amount": "活动经费（元），最多两位小数。",
})
hint(forms, "CopyYearForm", {"org": PICK, "from_year": "通常为上一年。", "to_year": "通常为本年；尚未到来的日期不复制。"})
hint(forms, "KindForm", {
    "code": "英文字母、数字或下划线，保存后不能修改。", "section": "工作总结中该类活动写在哪一部分。",
    "session_word": "如“期”“场”“次”。", "item_word": "如“项”“条”“份”“篇”。",
    "verb": "总结中写作“参训1580人次”的“参训”。",
    "has_persons": "按人头不重复计算；有签到名单时按名单统计。",
})
hint(forms, "PostForm", {"org": PICK, "opened_on": "不能晚于今天；此前的服务不能登记。",
                         "functions": "如：职工书屋、心理咨询室、法律援助室。"})
hint(forms, "VisitsForm", {"on": "同一天重复登记时以最后一次为准。", "visits": "当天服务职工的人次。"})
hint(forms, "VolunteerForm", {"hours": "大于0且不超过24小时。"})
hint(forms, "InspectionForm", {"org": PICK, "inspected_on": "不能晚于今天。",
                               "inspectors": "参加检查的人数（人次计入统计）。"})
hint(forms, "FindingForm", {"due_on": "现场整改的不填；不能早于检查日期。", "on_spot": "当场整改完成的勾选。"})
hint(forms, "CloseForm", {"closed_on": "不能早于发现日期，不能晚于今天。"})
hint(forms, "PublicityForm", {"org": PICK, "entries": "工运信息按期登记时填本期所含条数；其他类别为1。",
                              "issue_no": "期刊、工运信息的期号。"})
