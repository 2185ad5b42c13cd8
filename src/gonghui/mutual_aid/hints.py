"""Field hints of the 互助保障 forms (DOMAIN §11): the rule each field follows."""

from gonghui.core.hints import hint

from . import forms

hint(forms, "EnrolForm", {
    "term": "只能选择参保期内的期次；同一人在同一期次只能参保一次。",
    "union": "基层工会的组织编码；只能为在会会员参保。",
    "enrolled_on": "保障自参保次日零时起；首次参保有等待期，到期后宽限期内续保的无等待期。",
    "units": "每份保费 × 份数即为保费，不能超过项目规定的每人最多份数。",
})
hint(forms, "ClaimForm", {
    "registered_on": "收到理赔申请材料的日期。",
    "diagnosis": "健康信息，加密保存，只有有权人员可查看完整内容，每次查看留痕；不写入操作日志。",
    "benefit_code": "按项目的给付类别核定金额：每份给付金额 × 份数。",
    "diagnosed_on": "须在保障期内；等待期内确诊的只给付慰问金或不予给付。",
    "hospital": "出具诊断证明的医院。",
    "treatment": "住院、手术或门诊治疗。",
})
hint(forms, "ClaimStepForm", {
    "on": "审核、审批、给付或拒付的日期；审批须由审核人以外的人员办理。",
    "reason": "拒付时必填，说明依据（如等待期内确诊、材料不全）。",
})
hint(forms, "PlanForm", {
    "code": "唯一的简短代码，导入参保名册时填写。",
    "name": "如“女职工安康互助保障”。",
    "kind": "项目类别，用于统计分类。",
    "sex": "女职工项目选“女”，男性职工参保将被拒绝。",
    "max_age_female": "参保时年龄须小于此数（法定退休年龄）。",
    "max_age_male": "参保时年龄须小于此数（法定退休年龄）。",
    "in_service_only": "勾选后只有就业状态为在岗的会员可以参保。",
    "unit_premium": "每份保费，如15元/份/年。",
    "term_months": "每次参保的保障期限，如12个月或48个月。",
    "max_units": "每人最多可参保的份数。",
    "min_coverage": "单位参保人数 ÷ 符合条件人数不得低于此比例，0为不要求。",
    "waiting_days": "首次参保的等待（免责）期天数，自保障起始日起算。",
    "condolence_after_days": "等待期内，从保障起始日起第几天以后确诊的给付慰问金。",
    "condolence_amount": "等待期内确诊的慰问金，0为不给付。",
    "renewal_grace_days": "原保障到期后多少天内续保视为连续参保，不设等待期。",
    "payout_ends_cover": "勾选后，按保障责任给付后该参保记录的保障即告终止，本人不能再参加本项目。",
    "benefits": "每行一个：代码,名称,每份给付金额，如“A,原发性乳腺癌,10000”。",
})
hint(forms, "PlanEditForm", {
    "active": "取消勾选后不再接受新的参保和增补，已参保人员的保障不受影响。",
    "note": "项目的其他说明，如承保机构、咨询电话。",
})
hint(forms, "BatchAddForm", {
    "enrolled_on": "须在本期参保期内、不早于批次的参保日期；保障自次日零时起，首次参保有等待期。",
    "units": "每份保费 × 份数即为保费，不能超过项目规定的每人最多份数；增补不再检查单位参保率。",
})
hint(forms, "JoinAddForm", {
    "name": "须与身份证上的姓名一致。",
    "id_number": "18位或15位公民身份号码，按号码判断性别和出生日期；已在其他工会入会的请先办理转会。",
    "joined_on": "入会日期，不能晚于增补日期。",
    "enrolled_on": "须在本期参保期内；保障自次日零时起，首次参保有等待期。",
    "units": "每份保费 × 份数即为保费，不能超过项目规定的每人最多份数。",
})
hint(forms, "TermForm", {
    "name": "如“2025年度”，同一项目内不能重复。",
    "opens_on": "从这天起接受参保。",
    "closes_on": "过了这天不再接受本期参保。",
})
hint(forms, "PayeeForm", {
    "payee_name": "一般为参保人本人；本人身故的为法定继承人。",
    "bank_name": "如“中国工商银行长沙县支行”。",
    "account": "8至30位数字，加密保存，页面只显示后四位；已登记的留空则不变。",
})
hint(forms, "AccountRevealForm", {
    "reason": "查看完整银行账号的事由，如“核对转账信息”；每次查看留痕。",
})
hint(forms, "ClaimDocumentForm", {
    "kind": "诊断证明、病理报告、出院小结、发票、身份证或银行卡复印件等。",
    "file": "PDF、JPG、PNG、Word(.docx)或Excel(.xlsx)文件，不超过10 MB；材料含健康信息，只有有权人员可下载，每次下载留痕。",
})
hint(forms, "FormTemplateForm", {
    "file": "Word(.docx)文件，不超过10 MB；可先下载当前模板修改，变量须为本页列出的名称，上传时即检查能否生成参保单。",
})
