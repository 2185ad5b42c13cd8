"""Field hints of the assistance forms (DOMAIN §4): the thresholds and rules each field follows."""

from gonghui.core.hints import hint

from . import conf, forms

NOT_FUTURE = "不能晚于今天。"
MULTIPLIER = conf.get("RELATIVE_MULTIPLIER")
LOSS_SHARE = f"{conf.get('ACCIDENT_LOSS_SHARE'):.0%}"  # a share of 0.5 reads 50%
CATEGORY = (f"家庭月人均收入（年收入减因困刚性支出，除以12和共同生活人口）不高于当地低保标准为深度困难，"
            f"不高于{MULTIPLIER}倍为相对困难；致困费用超过家庭年收入{LOSS_SHARE}为意外致困。")
ID_NUMBER = "18位公民身份号码（GB 11643），末位校验码可为X；同一身份证号只能有一份未出档的档案。"
UNION = "户主所在的基层工会，须在您的管理范围内；可输入名称、拼音首字母或编码查找。"
WAGE = "本人税后月平均收入，用于计算家庭月人均收入。"
OTHER_INCOME = "租金、利息、赡养费等工资以外的全年收入。"
CAUSES = "主要致困原因只能一项，次要致困原因最多三项且不能与主要原因相同。"
BANK = "帮扶资金优先发放到银行卡；卡号加密保存，页面只显示后4位。"
PHONE = "11位手机号码，以1开头；列表中脱敏显示。"
CODE_ORG = "须在您的管理范围内；可输入名称、拼音首字母或编码查找。"

hint(forms, "ArchiveFilterForm", {
    "q": "户主姓名，可只输前几个字。",
    "org": "只看该单位及其下级的档案；留空为您管理的全部单位。",
    "status": "建档后公示，公示无异议入档；在档家庭每年复核一次。",
    "category": CATEGORY,
    "gender": "户主的性别，统计困难女职工用。",
    "review_due": f"年度复核在入档或上次复核后{conf.get('REVIEW_MONTHS')}个月到期。",
})
hint(forms, "ArchiveForm", {
    "union_code": UNION,
    "head_name": "与居民身份证上的姓名一致。",
    "id_number": ID_NUMBER,
    "phone": PHONE,
    "work_unit": "户主目前的工作单位；失业的写原单位。",
    "work_status": "在岗、下岗、失业、退休等；农民工须与单位有1年以上劳动关系。",
    "health": "户主本人的健康状况；重大疾病、残疾是常见的致困原因。",
    "is_model_worker": "全国、省部级或地市级劳动模范。",
    "monthly_wage": WAGE,
    "other_income": OTHER_INCOME,
    "main_cause": CAUSES,
    "secondary_causes": CAUSES,
    "cause_note": "致困经过的简要说明，如病名、事故经过。",
    "is_zero_employment": "家庭中有劳动能力的成员都没有就业。",
    "is_single_parent": "单亲家庭，统计困难女职工用。",
    "bank_name": "开户银行和支行名称。",
    "bank_account": BANK,
    "created_on": "建档日期，" + NOT_FUTURE + f"建档后公示{conf.get('NOTICE_DAYS')}个工作日，无异议入档。",
})
hint(forms, "ArchiveEditForm", {
    "work_unit": "户主目前的工作单位。",
    "work_status": "工作状态变化可能改变困难类别。",
    "health": "健康状况变化可能改变困难类别。",
    "is_model_worker": "全国、省部级或地市级劳动模范。",
    "main_cause": CAUSES,
    "secondary_causes": CAUSES,
    "cause_note": "致困经过的简要说明。",
    "is_zero_employment": "家庭中有劳动能力的成员都没有就业。",
    "is_single_parent": "单亲家庭。",
    "bank_name": "开户银行和支行名称。",
    "on": "修改生效的日期；收入变化时系统重新计算人均收入和建议类别。",
})
hint(forms, "FamilyForm", {
    "name": "子女也在这里登记，不另建档案；金秋助学挂在父母的档案上。",
    "relation": "与户主的关系。",
    "birth_date": "出生日期，" + NOT_FUTURE,
    "gender": "家庭成员的性别。",
    "health": "重大疾病、残疾可作为致困原因。",
    "work_status": "如：在岗、失业、学生、退休。",
    "monthly_income": "该成员的月收入；没有收入的填0。",
    "schooling": "在读学段；金秋助学按学段确定标准。",
    "school": "就读学校或工作单位。",
    "lives_together": "只有共同生活的成员计入家庭人口。",
    "on": "登记日期；登记后系统重新计算人均收入。",
})
hint(forms, "ExpenseForm", {
    "kind": "因困刚性支出：医疗自付、子女教育、残疾康复、灾害损失等，从家庭收入中扣除。",
    "annual_amount": "全年金额（元）；医疗费填医保报销后的自付部分。",
    "note": "如：医院名称、学校名称。",
    "on": "登记日期；登记后系统重新计算人均收入。",
})
hint(forms, "DateOnlyForm", {"on": "办理日期，" + NOT_FUTURE})
hint(forms, "ReviewPassForm", {
    "on": "复核日期，" + NOT_FUTURE,
    "other_income": "留空则不变。" + OTHER_INCOME,
    "category": CATEGORY,
    "note": "复核意见，如收入变化情况。",
})
hint(forms, "ExitForm", {
    "on": "出档日期，" + NOT_FUTURE,
    "status": "脱困：家庭人均收入连续6个月高于当地低保标准；解困：无法脱困的纳入政府兜底和常态化帮扶。",
    "reason": "如：连续6个月人均收入高于低保标准、死亡、经核实不符合条件。",
})
hint(forms, "ApplicationForm", {
    "type": "生活救助、医疗救助、金秋助学、送温暖等；金秋助学须选择受助学生。",
    "amount_requested": "申请的金额（元）；审批时可以核减。",
    "reason": "写明人口、收入、困难原因；审核人、审批人据此决定。",
    "campaign": "属于某次帮扶活动（如“2026年金秋助学”）的选择该活动。",
    "student": "金秋助学的受助学生，须先在档案中登记为家庭成员。",
    "applied_on": "申请日期，" + NOT_FUTURE + "申请经审核、审批后才能发放，三步须由不同的人办理。",
})
hint(forms, "DecisionForm", {
    "decision": "审核、审批须由申请经办人以外的人办理。",
    "on": "审核或审批日期，" + NOT_FUTURE,
    "note": "不通过的须写明理由。",
})
hint(forms, "PaymentForm", {
    "paid_on": "发放日期，" + NOT_FUTURE,
    "method": "银行卡优先；现金、实物须实名签收。",
    "fund_source": "本级工会经费、上级补助、社会捐赠等，统计资金来源用。",
    "note": "如：实物名称和数量。",
})
hint(forms, "ApplicationFilterForm", {
    "status": "申请依次经过审核、审批、发放。",
    "type": "帮扶类型。",
})
hint(forms, "CampaignForm", {
    "org_code": "组织活动的工会；" + CODE_ORG,
    "name": "如：2026年金秋助学、2026年两节送温暖。",
    "type": "活动的帮扶类型。",
    "start_on": "活动开始日期。",
    "end_on": "活动结束日期，不能早于开始日期。",
    "budget": "活动预算（元）。",
    "note": "活动说明。",
})
hint(forms, "HelperForm", {
    "org_code": "帮扶单位所属的工会；" + CODE_ORG,
    "name": "结对帮扶的单位或干部。",
    "kind": "单位或个人（干部）。",
    "contact": "帮扶单位的联系人。",
})
hint(forms, "PairingForm", {
    "helper": "先在“帮扶单位”中登记。",
    "archive_no": "困难职工档案的编号，见档案详情页。",
    "pledged_on": "结对日期，" + NOT_FUTURE,
    "commitment": "如：每年走访2次，资助子女上学。",
})
hint(forms, "VisitForm", {
    "visited_on": "走访日期，" + NOT_FUTURE,
    "visitors": "参加走访的人员。",
    "amount": "本次走访送达的帮扶资金（元），没有的填0。",
    "goods": "送达的物资或提供的服务。",
    "note": "本次帮扶解决的问题。",
})
hint(forms, "StandardForm", {
    "region_code": "6位行政区划代码（GB/T 2260），与档案的户口所在地对应。",
    "region_name": "如：长沙县。",
    "year": "低保标准适用的年度。",
    "monthly": f"当地城乡最低生活保障标准（元/人·月）；人均收入不高于它为深度困难，不高于{MULTIPLIER}倍为相对困难。",
})
hint(forms, "DocumentForm", {"file": "扫描件或照片（PDF、JPG、PNG、Word、Excel，10 MB 以内）。"})
hint(forms, "RevealForm", {"reason": "查看完整的敏感信息会被记录（留痕），请写明事由。"})
