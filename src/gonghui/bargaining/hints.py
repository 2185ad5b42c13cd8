"""Field hints of the bargaining forms (DOMAIN §3.2, the six steps): the rule each field follows."""

from gonghui.core.hints import hint

from . import conf, forms


def _days(key: str) -> str:
    days = conf.get(f"{key}_DAYS")
    return f"{days}个工作日" if conf.get(f"{key}_WORKING_DAYS") else f"{days}日"


NOT_FUTURE = "不能晚于今天。"
WAN = "单位：万元，由企业提供（协商前7日提供给职工方）。"

hint(forms, "OpenForm", {
    "contract_type": "综合性集体合同，或工资、女职工权益保护、劳动安全卫生等专项集体合同（协议）。",
    "scope_kind": "单个企业的合同属于该企业工会；区域性、行业性合同属于主持协商的工会。",
    "opened_on": "开始产生协商代表的日期，" + NOT_FUTURE,
})
hint(forms, "RepForm", {
    "side": f"双方代表人数相等，每方{conf.get('REPS_MIN')}至{conf.get('REPS_MAX')}人。",
    "name": "同一人不能同时担任双方代表。",
    "position": "职工方首席代表一般为工会主席。",
    "method": "职工方代表由职代会或职工大会选举，企业方由法定代表人委派。",
    "is_chief": "每方有且只有一名首席代表。",
    "is_external": "外聘代表不超过本方代表的三分之一，且不能担任首席代表。",
})
hint(forms, "OfferForm", {
    "side": "一方以书面形式向另一方提出协商要求。",
    "offered_on": "要约书送达日期，" + NOT_FUTURE + f"对方须在{_days('REPLY')}内书面回应。",
})
hint(forms, "ReplyForm", {
    "replied_on": f"收到要约后{_days('REPLY')}内书面回应；" + NOT_FUTURE,
    "accepted": f"同意协商的，应在回应后{_days('START')}内开始协商；无正当理由不得拒绝。",
})
hint(forms, "PrepareForm", {
    "prepared_on": "协商准备工作完成的日期，" + NOT_FUTURE,
    "topics": "双方商定的议题，如工资增长幅度、最低工资、女职工权益。",
    "prev_revenue": WAN,
    "prev_profit": WAN,
    "prev_wage_total": WAN,
    "prev_avg_wage": "单位：元/月，由企业提供。",
})
hint(forms, "MeetingForm", {
    "held_on": "会议日期，" + NOT_FUTURE,
    "attendees": "双方代表和记录员。",
    "minutes": "会议记录须经双方首席代表签字。",
    "outcome": f"达成一致后形成合同草案，{_days('VOTE')}内提交职代会审议。",
})
hint(forms, "VoteForm", {
    "session": "职代会已在民主管理中登记的，选择审议合同草案的那次会议：日期和应到、实到代表以会议为准，"
               "表决同时记为该次会议的议案（不足三分之二代表出席的会议不能表决）。",
    "held_on": "审议日期，" + NOT_FUTURE + "选择了职代会会议的可不填。",
    "total": "职工代表大会的全体代表人数，或全体职工人数；选择了职代会会议的可不填。",
    "present": "须有三分之二以上的代表（职工）出席；选择了职代会会议的可不填。",
    "votes_for": "赞成票超过全体代表（职工）半数方为通过。",
    "votes_against": "赞成、反对、弃权之和不能超过实到人数。",
    "abstentions": "赞成、反对、弃权之和不能超过实到人数。",
})
hint(forms, "SignForm", {
    "signed_on": "双方首席代表签字的日期，" + NOT_FUTURE + f"签字后{_days('FILING')}内报送人社部门审查。",
    "start_on": "合同期限的起始日。",
})
hint(forms, "FileForm", {
    "filed_on": f"报送人社部门的日期，应在签字后{_days('FILING')}内；" + NOT_FUTURE,
    "department": f"人社部门收到后{conf.get('REVIEW_DAYS')}日内未提出异议的，合同即行生效。",
    "accepted_no": "人社部门受理通知书（回执）上的编号，没有的留空。",
    "accepted_on": "人社部门受理的日期，不早于报送日期。",
})
hint(forms, "ObjectForm", {
    "objection_on": "审查意见书的日期；有异议的条款须重新协商后再报送。",
    "note": "审查意见书中提出异议的条款和理由。",
    "review_no": "审查意见书的文号，如“X人社集审〔2026〕12号”。",
})
hint(forms, "ApproveForm", {"review_no": "审查机关确认合同的审查意见书文号；15日内未提出异议而生效的留空。"})
hint(forms, "PublishForm", {
    "published_on": f"合同生效后{_days('PUBLISH')}内向全体职工公布；" + NOT_FUTURE,
    "method": "如：厂务公开栏、职工大会、内部网站。",
    "upper_filed_on": "职工方向上一级工会备案的日期。",
})
hint(forms, "TerminateForm", {
    "terminated_on": "合同提前终止或解除的日期。",
    "reason": "如：企业破产、合并，或双方协商一致解除。",
})
hint(forms, "AbandonForm", {"on": "终止协商的日期。", "reason": "如：企业方拒绝协商、企业关闭。"})
hint(forms, "TermsForm", {
    "wage_increase_pct": "本年度职工工资增长幅度，如 5.5 表示 5.5%。",
    "lowest_wage": "企业内最低工资，不得低于当地最低工资标准。",
    "avg_wage": "协议约定的职工月平均工资。",
    "employees_covered": "合同覆盖的职工人数；区域性、行业性合同为全部受约束企业的职工人数之和。",
    "women_covered": "其中女职工人数，不能多于覆盖职工人数。",
    "migrants_covered": "其中农民工人数，不能多于覆盖职工人数。",
    "women_clauses": "合同中包含的女职工权益保护条款，统计女职工专项合同用。",
    "terms_note": "其他主要条款，如劳动定额、加班工资基数。",
})
hint(forms, "InspectForm", {
    "checked_on": "履约检查日期，" + NOT_FUTURE + "每年至少检查一次并向职代会报告。",
    "items_checked": "本次检查的合同条款数。",
    "items_fulfilled": "已兑现的条款数，不能多于检查条款数。",
    "findings": "未兑现条款及整改要求。",
})
hint(forms, "RenewForm", {"opened_on": f"合同到期前{conf.get('EXPIRING_MONTHS')}个月起可以启动续订协商。"})
hint(forms, "PickOrgForm", {"code": "协商所属的工会，须在您的管理范围内；可输入名称、拼音首字母或编码查找。"})
