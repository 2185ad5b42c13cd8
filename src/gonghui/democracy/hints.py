"""Field hints of the democracy forms (DOMAIN §7): the rule each field follows."""

from gonghui.core.hints import hint

from . import conf, forms

NOT_FUTURE = "不能晚于今天。"

hint(forms, "PickOrgForm", {"code": "单个企业的职代会选企业工会；区域性、行业性职代会选主持的镇（街道）、园区或行业工会。"})
hint(forms, "CongressForm", {
    "name": "如：某公司职工代表大会。",
    "kind": "职工不足 100 人的单位可以召开职工大会代替职工代表大会。",
    "scope_kind": "区域性、行业性职代会覆盖辖区内多家小微企业。",
    "established_on": "首次召开职代会（职工大会）的日期，" + NOT_FUTURE,
    "employer": "单个企业的职代会必选；每家单位只能有一个运行中的职代会。",
    "employers": "区域性、行业性职代会覆盖的单位，至少一家。",
})
hint(forms, "TermForm", {
    "number": "与工会委员会届次一致。",
    "started_on": "本届职工代表选举产生的日期，" + NOT_FUTURE,
    "ends_on": "职代会任期与工会委员会任期相同。",
    "staff": "用于核算代表名额：不足 100 人不少于 30 名；100–1000 人 40 名加每增 100 人 7 名；"
             "1000–5000 人 100 名加每增 1000 人 20 名；5000 人以上不少于 200 名。",
    "women_staff": "女代表比例不得低于女职工占职工总数的比例。",
})
hint(forms, "DelegateForm", {
    "name": "由选区职工直接选举产生。",
    "gender": "用于核对女代表比例。",
    "constituency": "车间、科室、班组等选举单位。",
    "is_manager": f"中高级管理人员不超过代表总数的 {conf.get('MANAGERS_MAX_PCT')}%。",
    "is_frontline": f"一线职工不少于代表总数的 {conf.get('FRONTLINE_MIN_PCT')}%。",
})
hint(forms, "SessionForm", {
    "held_on": "职代会每年至少召开一次，" + NOT_FUTURE,
    "kind": "临时会议由企业、工会或三分之一以上代表提议召开。",
    "delegates_present": "实到代表不足全体代表三分之二的，不能进行表决。",
    "note": "会议听取、审议的报告和事项。",
})
hint(forms, "MotionForm", {
    "session": "只能在实到代表达到三分之二的会议上表决。",
    "title": "提交表决的事项，如工资调整方案。",
    "abstentions": "未投赞成或反对的代表。",
    "votes_for": "赞成票超过全体代表（不是实到代表）半数的为通过。",
    "votes_against": "赞成、反对、弃权合计不超过实到代表人数。",
    "secret_ballot": "选举和表决一般采用无记名投票。",
})
hint(forms, "ResolutionForm", {
    "title": "决议的名称。",
    "adopted_on": NOT_FUTURE,
    "session": "会议期间形成的决议选择会议。",
    "written": "闭会期间以书面形式征求代表意见形成的决议。",
})
hint(forms, "ProposalForm", {
    "title": "一事一案，写明要解决的问题。",
    "category": "按提案内容选择。",
    "content": "提案的理由和具体建议。",
    "session": "提交提案的会议，闭会期间提出的可不选。",
    "proposer": "提案人须是本职代会的职工代表。",
    "cosigners": "附议的职工代表，可多选。",
    "filed_on": NOT_FUTURE,
})
hint(forms, "AcceptForm", {"decided_on": "提案工作委员会审查的日期，不早于提出日期。"})
hint(forms, "RejectForm", {"decided_on": "提案工作委员会审查的日期，不早于提出日期。",
                           "reason": "不立案的提案转为意见建议，须写明理由。"})
hint(forms, "AssignForm", {
    "assigned_on": "不早于立案日期。",
    "lead_dept": "负责办理和答复的部门。",
    "assist_depts": "配合办理的部门，可填多个。",
    "due_on": f"留空为交办后 {conf.get('PROPOSAL_DUE_MONTHS')} 个月。",
})
hint(forms, "AnswerForm", {
    "answered_on": "书面答复提案人的日期。",
    "result_code": "必选：A 已解决或基本解决；B 正在解决或列入规划；C 因条件限制以后解决；D 留作参考。",
    "answer": "答复提案人的书面意见。",
})
hint(forms, "FeedbackForm", {
    "delegate": "只有提案人本人可以反馈。",
    "feedback": "满意、基本满意计入满意率。",
    "feedback_on": "不早于答复日期。",
    "note": "不满意的，可写明原因。",
})
hint(forms, "DisclosureRecordForm", {
    "org": "厂务公开选企业工会；会务公开选公开本会事务的工会。",
    "kind": "厂务公开：企业向职工公开；会务公开：工会公开本会事务和经费。",
    "employer": "厂务公开必填。",
    "form": "职代会报告、公开栏、内网或会议。",
    "issue_no": "同一年同一形式的期号不重复。",
    "disclosed_on": NOT_FUTURE,
    "title": "本期公开的标题。",
    **{f"item{i}_category": "公开内容的类别。" for i in range(1, forms.ITEM_ROWS + 1)},
    **{f"item{i}_title": "公开的事项，至少填一项。" for i in range(1, forms.ITEM_ROWS + 1)},
})
hint(forms, "OpinionForm", {
    "raised_on": f"责任人应在 {conf.get('OPINION_DAYS')} 日内答复。",
    "raised_by": "提出意见的职工代表或工会。",
    "content": "对公开内容的意见或要求。",
})
hint(forms, "OpinionAnswerForm", {"opinion": "尚未答复的意见。", "answered_on": "不早于意见提出日期。",
                                  "answer": "责任人的答复和整改情况。"})
hint(forms, "BoardForm", {
    "seat": "公司制企业的职工董事、职工监事由职代会选举产生。",
    "name": "当选的职工代表。",
    "elected_on": NOT_FUTURE,
    "session": "选举的会议，可不选。",
    "ends_on": "离任或任期届满后不再计入在任人数。",
})
hint(forms, "EvaluationForm", {
    "session": "职代会对管理人员进行民主评议的会议。",
    "name": "被评议人和评议结果只对有权限的人员显示，查看留痕。",
    "position": "如：总经理、财务部部长。",
    "level": "领导班子成员或中层管理人员。",
    "excellent": "各档票数合计不超过实到代表人数。",
    "competent": "投“称职”的票数。",
    "basic": "投“基本称职”的票数。",
    "incompetent": "投“不称职”的票数。",
})
hint(forms, "DisclosureSystemForm", {
    "org": "登记的工会：企业工会，或企业所在的镇（街道）、园区工会。",
    "employer": "已建会企业；一家企业只登记一个在用的厂务公开制度。",
    "established_on": "厂务公开制度建立（印发）的日期，" + NOT_FUTURE,
    "leader": "企业法定代表人或主要负责人是厂务公开的第一责任人。",
})
hint(forms, "CongressEndForm", {"ended_on": "撤销后不再计入职代会建制率，也不能登记其后的会议，" + NOT_FUTURE})
