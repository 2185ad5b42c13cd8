"""Field hints of the 劳模与荣誉 forms (DOMAIN §8, §9): the rule each field follows."""

from gonghui.core.hints import hint

from . import conf, forms

ORG = "须在您的管理范围内；可输入名称、拼音首字母或编码查找。"
EQUIV = "、".join(f"{k}→{v}" for k, v in conf.equivalences().items())
TREATMENT = (f"计算劳模人数时按待遇级别计，一人多个称号按最高级别只计一人。已配置的对应关系（优先）：{EQUIV}；"
             "其余称号按其级别计，“享受劳模待遇”须选择待遇级别。")

hint(forms, "WorkerFilterForm", {
    "q": "姓名，可只输前几个字。",
    "org": "只看该单位及其下级管理的劳模；留空为您管理的全部单位。",
    "level": TREATMENT,
    "status": "在职、退休或已故。",
    "party": "只看中共党员（劳模党员）。",
    "hardship": "只看标记为困难劳模的人员。",
})
hint(forms, "WorkerForm", {
    "org_code": "管理该劳模的工会。" + ORG,
    "name": "与身份证一致。",
    "id_number": "18位公民身份号码（GB 11643），末位可为X；加密保存，页面脱敏显示。是会员时自动关联会员库。同一身份证号只能登记一次。",
    "phone": "手机或固定电话；加密保存，页面脱敏显示。",
    "employer_name": "劳模目前（或退休前）所在单位的名称。",
    "industry": "所在单位所属行业。",
    "status": "现状为已故时须填写去世日期，其后不再计入劳模人数。",
    "died_on": "仅现状为已故时填写。",
    "is_civil_servant": "国家工作人员劳模参加公务员体检，劳模健康体检活动默认不含这部分人员。",
    "is_party_member": "用于七一慰问劳模党员等。",
    "is_hardship": "经认定生活困难的劳模，计入困难劳模人数。",
    "registered_on": "登记入册的日期；此前的统计不计此人。",
})
hint(forms, "TitleForm", {
    "name": "称号全称，如“全国劳动模范”“省劳动模范”“全国五一劳动奖章”。",
    "level": "全国、省部级、地市级、县级或享受劳模待遇；不选级别不能保存。",
    "year": "授予年份，必填；同一人同一年度的同一称号只能登记一次。",
    "conferred_by": "如党中央、国务院，省人民政府。",
    "batch": "授予批次，如“2020年全国劳动模范和先进工作者表彰大会”。",
    "certificate_no": "证书上的编号。",
    "treatment": TREATMENT,
})
hint(forms, "CareForm", {
    "kind": "健康体检、疗休养、节日慰问、荣誉津贴、困难劳模帮扶、座谈/宣讲。",
    "served_on": "服务或发放的日期；不能晚于去世日期。",
    "amount": "慰问金、津贴、帮扶金等金额（元），无金额的服务填0。",
    "note": "如慰问的节日、体检机构。",
})
hint(forms, "CampaignForm", {
    "org_code": "组织活动的工会，其本级及下级管理的劳模为对象。" + ORG,
    "name": "如“2025年劳模健康体检”“七一慰问劳模党员”。",
    "kind": "活动中登记的服务均为此类别。",
    "start_on": "服务日期须在活动期间内。",
    "end_on": "不能早于开始日期。",
    "amount": "每人标准（元），登记服务时默认按此金额。",
    "exclude_civil_servants": "健康体检默认不含国家工作人员（其参加公务员体检）。",
    "party_members_only": "如七一慰问劳模党员。",
    "hardship_only": "如困难劳模帮扶。",
})
hint(forms, "ServeForm", {"served_on": "须在活动期间内；同一劳模在一项活动中只登记一次。"})
hint(forms, "HonourFilterForm", {
    "org": "只看该单位及其下级申报的荣誉。",
    "recipient": "个人或集体。",
    "honour_type": "工人先锋号、五一劳动奖状/奖章、模范职工之家等。",
    "level": "全国、省级、市级、县级或系统内。",
    "status": "申报→评审→公示→命名→复查（保留/限期整改/撤销）。",
    "year": "荣誉所属年度。",
})
hint(forms, "HonourForm", {
    "org_code": "申报的工会（集体荣誉为该单位工会）。" + ORG,
    "recipient": "个人荣誉按人次统计，集体荣誉按项统计。",
    "recipient_name": "个人姓名或集体（单位、班组）全称。",
    "honour_type": "荣誉类别。",
    "level": "全国、省级、市级、县级或系统内。",
    "issuer": "授予荣誉的机关或工会，必填。",
    "year": "荣誉所属年度。",
    "applied_on": "申报日期。",
    "note": "补充说明。",
})
hint(forms, "MoveForm", {
    "to": "只列出当前状态可办理的下一步。命名后按设定年限到期复查。",
    "on": "不能早于上一步的日期。",
    "note": "未通过、限期整改或撤销时必填理由。",
})
hint(forms, "HomeForm", {
    "org_code": "被评定的基层工会。" + ORG,
    "level": "合格/先进/模范（系统内）或县级、市级、省级、全国模范职工之家；新评定替代原有评定。",
    "rated_on": "命名日期，须晚于该工会原有评定的日期。",
    "issuer": "命名的工会。",
})
