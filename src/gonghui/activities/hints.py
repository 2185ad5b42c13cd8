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
    "title": "写进台账和工作总结的名称，如“2026年女职工技能培训班”。", "place": "举办地点，可不填。",
    "co_organisers": "协办单位的名称，多个用顿号分开。", "note": "其他需要说明的情况。",
})
hint(forms, "CopyYearForm", {"org": PICK, "from_year": "通常为上一年。", "to_year": "通常为本年；尚未到来的日期不复制。"})
hint(forms, "KindForm", {
    "code": "英文字母、数字或下划线，保存后不能修改。", "section": "工作总结中该类活动写在哪一部分。",
    "session_word": "如“期”“场”“次”。", "item_word": "如“项”“条”“份”“篇”。",
    "verb": "总结中写作“参训1580人次”的“参训”。",
    "has_persons": "按人头不重复计算；有签到名单时按名单统计。",
    "name": "同名的活动类型只能有一个，如“女职工培训”。",
    "has_sessions": "勾选后该类活动登记期数或场次。", "has_person_times": "勾选后登记参加人次；人次不能少于人数。",
    "has_units": "勾选后登记走访、检查或覆盖的单位数（家）。", "has_items": "勾选后登记数量，单位见下方“数量单位”。",
    "has_money": "勾选后登记活动金额（元）。", "order": "数字小的排在前面。",
    "active": "停用后不能再登记这类活动，已登记的记录和统计不受影响。",
})
hint(forms, "PostForm", {"org": PICK, "opened_on": "不能晚于今天；此前的服务不能登记。",
                         "functions": "如：职工书屋、心理咨询室、法律援助室。",
                         "type": "职工服务中心、服务站点、职工书屋、爱心驿站、户外劳动者驿站等。",
                         "name": "阵地的对外名称。", "rooms": "功能室的间数，没有填0。",
                         "opening_hours": "如：周一至周五 9:00—17:00。"})
hint(forms, "VisitsForm", {"on": "同一天重复登记时以最后一次为准。", "visits": "当天服务职工的人次。"})
hint(forms, "VisitorForm", {"on": "来访的日期，不能晚于今天；该日已按日登记人次的不能再逐人登记。",
                             "visitor": "来访职工姓名，每人每次登记一条。", "service": "咨询、借阅、心理疏导等，可不填。"})
hint(forms, "VolunteerForm", {"hours": "大于0且不超过24小时。", "on": "服务的日期，不能晚于今天。",
                               "volunteer": "志愿者姓名。"})
hint(forms, "InspectionForm", {"org": PICK, "inspected_on": "不能晚于今天。",
                               "inspectors": "参加检查的人数（人次计入统计）。",
                               "kind": "群众安全生产监督检查、职工代表巡视、劳动法律监督检查、随机抽查或安康杯检查。",
                               "employer_name": "被检查的用人单位名称；巡视本单位时可不填。",
                               "suggestions": "检查中提出的建议条数，没有填0。", "note": "检查经过和总体情况。"})
hint(forms, "FindingForm", {"due_on": "现场整改的不填；不能早于检查日期。", "on_spot": "当场整改完成的勾选。",
                            "kind": "三违（违章指挥、违章作业、违反劳动纪律）、事故隐患或其他问题。", "severity": "隐患按一般、较大、重大分级。",
                            "description": "发现的问题及所在位置。"})
hint(forms, "CloseForm", {"closed_on": "不能早于发现日期，不能晚于今天。"})
hint(forms, "PublicityForm", {"org": PICK, "entries": "工运信息按期登记时填本期所含条数；其他类别为1。",
                              "issue_no": "期刊、工运信息的期号。",
                              "kind": "调研报告、论文、通讯报道、工运信息、期刊等。", "title": "文章或信息的标题。",
                              "outlet": "刊发的报刊、网站或报送的单位。", "published_on": "不能晚于今天。"})
hint(forms, "PickForm", {"times": "勾选的每人参加的期数或场次，不填按1次计；已在名单中的人按此修改。"})
hint(forms, "AttachmentForm", {"kind": "活动照片、签到表或其他材料；签到表含个人信息，下载时记录查看日志。",
                               "file": "照片（JPG、PNG）或扫描件（PDF），不超过10 MB；每次活动最多30个。",
                               "name": "不填时用文件名。"})
hint(forms, "AnkangForm", {"org": PICK, "employer": "输入单位名称或统一社会信用代码后从列表中选择。",
                           "year": "竞赛年度，不能晚于今年；同一单位每年登记一次，再次保存即修改。",
                           "participants": "参加竞赛的职工人数。", "teams": "参加竞赛的班组数，没有填0。",
                           "result": "年度评比结果；尚未评比的选“参赛”。", "note": "其他需要说明的情况。"})
hint(forms, "PersonVisitForm", {"org": PICK, "person": "输入会员姓名、拼音首字母或会员证号后从列表中选择；须是在册会员。",
                                "kind": "送温暖、节日慰问、生病住院慰问、困难职工走访、走访劳模等。",
                                "visited_on": "不能晚于今天。", "amount": "发放的慰问金（元），没有不填。",
                                "goods": "慰问品的名称和数量，如“米、油各一份”。", "visitors": "参加走访的人员。",
                                "note": "走访中了解到的情况和诉求。"})
