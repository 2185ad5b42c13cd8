"""Field hints of the petitions and mediation forms (DOMAIN §5, 信访工作条例): deadlines and rules."""

from gonghui.core.hints import hint

from . import conf, forms, views_mediation


def _days(key: str) -> str:
    days, working = conf.get(key)
    return f"{days}个工作日" if working else f"{days}日"


NOT_FUTURE = "不能晚于今天。"
CODE_ORG = "须在您的管理范围内；可输入名称、拼音首字母或编码查找。"
PHONE = "手机11位，或带区号的固定电话；列表中脱敏显示。"
REPS = conf.get("MAX_REPRESENTATIVES")
GROUP = conf.get("GROUP_SIZE")

hint(forms, "RegisterForm", {
    "org_code": "负责办理的工会；" + CODE_ORG,
    "channel": "来信、来访、电话、网上，或上级转办、下级上报。",
    "received_on": "收到信访的日期，" + NOT_FUTURE + f"须在收到之日起{_days('NOTICE')}内书面告知信访人是否受理。",
    "kind": f"申诉求决类自受理之日起{_days('CONCLUDE')}内办结；建议意见类、检举控告类、咨询类按各自程序办理。",
    "category": "诉求涉及的事项，统计用。",
    "title": "一句话概括诉求，如“某公司拖欠3个月工资”。",
    "content": "如实记录信访人的请求、事实和理由；口头信访须如实记录。",
    "source_ref": "上级转办的文号。",
    "required_by": "上级转办要求的办结日期；按时报送办结报告。",
    "name": "信访人的姓名；匿名信访填“匿名”。",
    "gender": "信访人的性别，统计女职工信访用。",
    "id_number": "居民身份证号18位，末位可为X；加密保存，列表中脱敏显示。",
    "phone": PHONE,
    "address": "用于书面告知和答复。",
    "others": f"上面的信访人已算1人，这里不要再写；每行一人，只写姓名，连同上面的信访人最多{REPS}名代表。",
    "people_count": f"涉及{GROUP}人及以上为群体性信访，须推选不超过{REPS}名代表。",
    "employer_name": "诉求涉及的用人单位。",
    "amount_claimed": "诉求涉及的金额（元），如拖欠工资总额；没有的留空。",
    "is_urgent": "可能造成社会影响的重大、紧急事项，须立即报告。",
    "handler_a": "负责办理的人；只列出有信访办理权限的人员。",
    "handler_b": "承办人不在岗时接替办理的人，须与A角不同。",
})
hint(forms, "EditForm", {
    "title": "一句话概括诉求。",
    "kind": f"申诉求决类自受理之日起{_days('CONCLUDE')}内办结。",
    "category": "诉求涉及的事项，统计用。",
    "content": "如实记录信访人的请求、事实和理由。",
    "people_count": f"涉及{GROUP}人及以上为群体性信访，须推选不超过{REPS}名代表。",
    "employer_name": "诉求涉及的用人单位。",
    "amount_claimed": "诉求涉及的金额（元）。",
    "is_urgent": "可能造成社会影响的重大、紧急事项，须立即报告。",
})
hint(forms, "FilterForm", {
    "q": "信访编号或事由中的文字。",
    "status": "案件当前所处的环节。",
    "channel": "信访的来源渠道。",
    "org": "只看该单位及其下级的案件。",
    "received_from": "收到日期在此日及以后。",
    "received_to": "收到日期在此日及以前。",
    "overdue": "已超过受理告知、办结或答复期限的案件。",
    "mine": "您是A角或B角的案件。",
})
hint(forms, "DateNoteForm", {"on": "办理日期，" + NOT_FUTURE, "note": "办理情况的说明。"})
hint(forms, "AcceptForm", {
    "notice_on": f"书面告知信访人受理的日期，应在收到之日起{_days('NOTICE')}内。",
    "note": "告知信访人的办理方式和期限。",
})
hint(forms, "RejectForm", {
    "notice_on": f"书面告知信访人不予受理的日期，应在收到之日起{_days('NOTICE')}内。",
    "reason": "不属于本单位职责的，告知信访人向有权处理的机关提出。",
})
hint(forms, "ForwardForm", {
    "to_code": "负责办理的下级工会；" + CODE_ORG,
    "on": "转办日期，" + NOT_FUTURE,
    "note": "转办要求，如办结期限。",
})
hint(forms, "ReasonForm", {
    "on": f"日期；对转办有异议的，须在收到之日起{_days('OBJECTION')}内提出。",
    "reason": "写明理由。",
})
hint(forms, "ProgressForm", {"on": "办理日期，" + NOT_FUTURE, "note": "调查、协调等办理情况。"})
hint(forms, "ReplyForm", {
    "replied_on": f"书面答复的日期；申诉求决类自受理之日起{_days('CONCLUDE')}内办结。",
    "result": "支持、解释说明（诉求合理但无法律依据）或不予支持。",
    "summary": "信访处理意见书要点：请求、事实和理由、处理意见及依据。",
    "amount_recovered": "为信访人追回的金额（元），没有的留空。",
})
hint(forms, "CloseForm", {
    "closed_on": "办结日期，" + NOT_FUTURE,
    "satisfaction": "信访人对办理结果的评价。",
})
hint(forms, "ReviewRequestForm", {
    "requested_on": f"信访人收到书面答复之日起{_days('REVIEW_REQUEST')}内可以申请复查（复核）。",
})
hint(forms, "ReviewReplyForm", {
    "replied_on": f"收到复查（复核）申请之日起{_days('REVIEW')}内书面答复。",
    "summary": "复查（复核）意见及依据；复核后同一事实和理由不再受理。",
})
hint(forms, "ExtensionForm", {
    "requested_on": "申请延期的日期，须在办结期限届满前。",
    "reason": f"情况复杂的，经本单位负责人批准可延长不超过{_days('EXTENSION')}，并告知信访人理由。",
})
hint(forms, "DecideForm", {
    "decided_on": "审批日期，" + NOT_FUTURE,
    "approve": f"批准的，办结期限延长{_days('EXTENSION')}。",
    "note": "审批意见。",
})
hint(forms, "AssignForm", {
    "handler_a": "负责办理的人；只列出有信访办理权限的人员。",
    "handler_b": "承办人不在岗时接替办理的人，须与A角不同。",
})
hint(forms, "AbsenceForm", {
    "org_code": "承办人所在单位；" + CODE_ORG,
    "user": "不在岗期间，其承办的案件由B角接替办理。",
    "starts_on": "不在岗的第一天。",
    "ends_on": "不在岗的最后一天，不能早于开始日期。",
    "reason": "如：休假、出差、培训。",
})
hint(forms, "RevealForm", {"reason": "查看信访人的完整身份和联系方式会被记录（留痕），请写明事由。"})
hint(forms, "MediationForm", {
    "org_code": "受理调解的工会；" + CODE_ORG,
    "body": "企业劳动争议调解委员会、基层人民调解组织或乡镇（街道）劳动争议调解组织。",
    "mode": "书面申请，或口头申请（当场记录申请人基本情况、请求和理由）。",
    "applied_on": f"收到申请的日期；自收到之日起{_days('MEDIATION')}内未达成协议的，当事人可以申请仲裁。",
    "applicant_name": "申请调解的职工；多人共同申请的写代表。",
    "applicant_gender": "申请人的性别，统计女职工用。",
    "applicant_phone": PHONE,
    "worker_count": "涉及10人以上且诉求相同的为集体劳动争议，可推选代表。",
    "employer_name": "被申请的用人单位。",
    "dispute_type": "确认劳动关系、劳动合同、除名辞退、工时休假社保、劳动报酬工伤赔偿等。",
    "matter": "申请人的请求和理由。",
    "amount_claimed": "争议涉及的金额（元）；没有的留空。",
    "mediator": "主持调解的调解员。",
})
hint(forms, "SessionForm", {"held_on": "调解日期，" + NOT_FUTURE, "notes": "调解经过和双方意见。"})
hint(forms, "MediationCloseForm", {
    "state": "达成协议的制作调解协议书；调解不成的告知申请人可申请劳动仲裁（时效1年）。",
    "closed_on": "结案日期，" + NOT_FUTURE,
    "agreement_terms": "调解协议书的主要内容。",
    "agreed_amount": "协议约定支付的金额（元）。",
    "performance_due": "协议约定的履行期限；欠薪、工伤医疗费等不履行的，可向法院申请支付令。",
    "note": "其他说明。",
})

# The mediation list's filter lives beside its view.
hint(views_mediation, "MediationFilter", {
    "state": "调解案件当前的状态。",
    "org": "只看该单位及其下级的调解案件。",
    "overdue": f"收到申请之日起{_days('MEDIATION')}内未结案的，当事人可以申请仲裁。",
})
