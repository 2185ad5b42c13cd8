"""Field hints of the 工会经费 forms (DOMAIN §6): each field's rule as its help text."""

from gonghui.core.hints import hint

from . import forms

NOT_FUTURE = "不能晚于今天。"
ORG = "须在您的管理范围内；可输入名称、拼音首字母或编码查找。"
MONEY = "单位：元，精确到分。"

hint(forms, "ReceiptFilterForm", {
    "q": "缴款单位名称的一部分、统一社会信用代码或凭证号。",
    "org": "只看该单位及其下级的收入；" + ORG,
    "channel": "税务代收或单位直接拨缴。",
    "status": "待匹配：统一社会信用代码未匹配到登记的用人单位。",
    "kind": "有工会的单位缴拨缴经费；应建未建工会的单位缴工会筹备金。",
    "received_from": "入库(到账)日期的起始日。",
    "received_to": "入库(到账)日期的截止日。",
})
hint(forms, "PendingFilterForm", {
    "q": "单位名称的一部分、统一社会信用代码或凭证号。",
    "org": "收款工会；" + ORG,
})
hint(forms, "ReceiptForm", {
    "org": "收到这笔经费的工会；" + ORG,
    "reference": "税票号码或银行回单编号，一笔一号，不能重复登记。",
    "channel": "税务代收：税务部门代收后划转；直接拨缴：单位直接汇入工会账户。",
    "uscc": "18位统一社会信用代码，系统按它匹配用人单位并核对校验位；匹配不到的作为待匹配保留。",
    "name": "缴款单位名称，代码匹配不到时用于人工核对。",
    "month": "这笔经费所属的工资月份（任选该月一天），用于计算收缴率。",
    "payroll_base": "所属期全部职工工资总额；填写后自动登记应缴金额（工资总额×2%）。" + MONEY,
    "amount": MONEY,
    "received_on": "国库入库或银行到账日期，" + NOT_FUTURE,
    "note": "如补缴、退库等说明。",
})
hint(forms, "MatchForm", {"employer": "输入单位名称或拼音首字母查找；同名单位请输入统一社会信用代码。"})
hint(forms, "DeclarationFilterForm", {
    "q": "单位名称的一部分或统一社会信用代码。",
    "org": ORG,
    "month_from": "所属期起始月份（任选该月一天）。",
    "month_to": "所属期截止日期。",
    "arrears": "只看应缴大于已缴的申报。",
})
hint(forms, "UnionFilterForm", {
    "q": "工会名称的一部分或组织编码。",
    "org": ORG,
    "state": "已完善：独立银行账户、法人资格证书、返还协议齐全。",
})
hint(forms, "FormalityForm", {
    "bank_name": "独立银行账户的开户银行，填写账号时必填。",
    "account_name": "账户名称，一般为“某某公司工会委员会”。",
    "account": "8至30位数字，加密保存，列表只显示末四位；留空则保留原账号。",
    "certificate_no": "工会法人资格证书编号。",
    "agreement_on": "与上级工会签订经费返还协议的日期，" + NOT_FUTURE,
    "on": "登记日期；三项齐全时自该日起为“已完善”。" + NOT_FUTURE,
})
hint(forms, "RefundFilterForm", {"org": ORG, "status": "待审批、已审批、已支付或已退回。"})
hint(forms, "RefundForm", {
    "union": "返还手续已完善的基层工会；" + ORG,
    "start": "返还期间的起始日（按经费入库日期）。",
    "end": "返还期间的截止日，不能晚于制单日期。",
    "on": "制单日期，" + NOT_FUTURE,
    "note": "如返还批次说明。",
})
hint(forms, "DateForm", {"on": "审批或支付日期，" + NOT_FUTURE})
hint(forms, "RefuseForm", {"reason": "退回的原因，制单人据此修改后重新编制。"})
hint(forms, "RevealForm", {"reason": "查看完整账号的事由，会记入查看记录。"})
hint(forms, "ShareForm", {
    "valid_from": "新比例自该日起对入库的经费适用；同一日期再次保存会覆盖。",
    "remainder": "各层级金额向下取整到分后余下的分计入该层级。",
    **{f"pct_{v}": "该层级所占百分比，各层级之和须为100；不参与分成的留空。" for v in
       ("grassroots", "township", "county", "city", "province", "national")},
})
hint(forms, "DuesFilterForm", {"org": ORG, "month_from": "所属期起始月份（任选该月一天）。",
                                "month_to": "所属期截止日期。"})
hint(forms, "DuesForm", {
    "union": "收缴会费的基层工会；" + ORG,
    "month": "会费所属月份（任选该月一天），" + NOT_FUTURE,
    "members": "当月缴纳会费的会员人数，保留会籍的会员不计。",
    "wage_base": "缴费会员计缴会费的工资合计；应缴会费 = 合计 × 0.5%。" + MONEY,
    "paid": "当月实际收到的会费。" + MONEY,
})
hint(forms, "ReviewFilterForm", {
    "org": ORG,
    "kind": "经费收支审查、专项审计或任期经济责任审计。",
    "open_only": "只看还有问题未整改完成的审查。",
    "reviewed_from": "审查日期的起始日。",
    "reviewed_to": "审查日期的截止日。",
})
hint(forms, "ReviewForm", {
    "org": "被审查经费收支的工会；" + ORG,
    "kind": "经费审查委员会的定期审查、上级经审会的专项审计，或工会主席离任时的任期经济责任审计。",
    "period_start": "所审查经费收支期间的起始日。",
    "period_end": "所审查期间的截止日，不能早于起始日。",
    "reviewed_on": "审查（审计）报告的日期，不能早于审查期间起，" + NOT_FUTURE,
    "auditor": "如“本会经费审查委员会”或“县总工会经审会”。",
    "chair_name": "任期经济责任审计必填：离任的工会主席姓名。",
    "conclusion": "审查结论和建议的摘要。",
    "reported_on": "向会员大会或会员代表大会报告审查情况的日期，不早于审查日期，" + NOT_FUTURE,
})
hint(forms, "FindingForm", {
    "description": "审查发现的问题，如“活动经费未经集体研究支出”，不超过300字。",
    "amount": "问题涉及的金额，没有可不填。" + MONEY,
    "due_on": "要求整改完成的期限，不能早于审查日期；在期限内完成计为按期整改。",
})
hint(forms, "RectifyForm", {
    "rectified_on": "整改完成的日期，不早于审查日期，" + NOT_FUTURE,
    "rectification": "采取的整改措施和结果，不超过300字。",
})
hint(forms, "DeclarationForm", {
    "employer": "输入单位名称或拼音首字母查找；同名单位请输入统一社会信用代码。",
    "month": "工资所属月份（任选该月一天），" + NOT_FUTURE,
    "payroll_total": "当月全部职工（含非会员）工资总额；应缴 = 工资总额 × 2%。" + MONEY,
    "employees": "当月全部职工人数，可不填。",
})
