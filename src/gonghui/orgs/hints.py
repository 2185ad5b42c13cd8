"""Field hints of the organisation forms (DOMAIN §1): the rule each field follows."""

from gonghui.core.hints import hint

from . import conf, forms

NOT_FUTURE = "不能晚于今天。"
TERM = f"基层工会每届3年或5年（工会法第十六条），届满前{conf.get('TERM_WARNING_DAYS')}天起列入待办。"
REQUIRED = conf.get("REQUIRED_HEADCOUNT")
USCC = "18位，由数字和大写字母组成（不含I、O、S、V、Z），末位为校验码；工会的代码通常以81开头。"
PHONE = "手机11位，或带区号的固定电话。"
REGION = "6位行政区划代码（GB/T 2260），如长沙县为430121；也可填省市县全称（湖南省长沙市长沙县），保存为代码。"

hint(forms, "FoundForm", {
    "region_code": REGION + "预填为上级工会的区划。",
    "name": "全称，如“某某有限公司工会委员会”；同一上级下不能重名。",
    "org_type": "只列出该上级下允许设立的类型；25名会员以上的单位应建立基层工会委员会，不足25人可建联合基层工会或选组织员。",
    "founded_on": "上一级工会批准成立的日期，" + NOT_FUTURE,
    "approval_no": "上一级工会的批准文件文号。",
    "elected_on": "首次会员（代表）大会选举日期；填写后须选任期，系统据此计算届满日期。",
    "term_years": TERM,
    "chair_name": "会员（代表）大会或委员会选举产生的主席。",
    "womens_committee_on": "女会员达到规定人数（默认10人）的基层工会应同时建立女职工委员会。",
    "audit_committee_on": "经费审查委员会与工会委员会同时选举、任期相同；不足25名会员的可设经费审查员。",
    "contact_phone": PHONE,
})
hint(forms, "OrgEditForm", {
    "region_code": REGION,
    "contact_phone": PHONE,
    "womens_committee_on": "女会员达到规定人数（默认10人）的基层工会应建立女职工委员会。",
    "audit_committee_on": "经费审查委员会与工会委员会同时选举、任期相同。",
    "status": "注销请用“注销”操作办理，不在此修改。",
    "approval_no": "上一级工会的批准文件文号。",
})
hint(forms, "RenameForm", {
    "new_name": "取得法人资格的工会须在更名后30日内办理变更登记。",
    "effective_on": "更名生效的日期，" + NOT_FUTURE + "此前的统计仍用原名称。",
})
hint(forms, "MoveForm", {
    "new_parent": "只列出您有权管理的上级工会。",
    "effective_on": "转移生效的日期，" + NOT_FUTURE + "此日起计入新上级的统计，可以补登以前的日期。",
})
hint(forms, "ReelectForm", {
    "elected_on": "换届选举的日期，" + NOT_FUTURE,
    "term_years": TERM,
    "chair_name": "留空则沿用原主席姓名。",
})
hint(forms, "TypeChangeForm", {
    "new_type": "只列出该上级下允许的类型，如社区工会联合会升格为社区总工会。",
    "effective_on": "变更生效的日期，" + NOT_FUTURE,
})
hint(forms, "DissolveForm", {
    "dissolved_on": "注销日期，" + NOT_FUTURE + "仍有在会会员或下级组织的不能注销。",
    "reason": "如：企业关闭、破产；注销须报上一级工会。",
})
hint(forms, "LegalForm", {
    "uscc": USCC,
    "cert_no": "工会法人资格证书上的编号。",
    "issued_on": "证书的发证日期，" + NOT_FUTURE,
    "valid_until": "证书有效期届满日，到期前须换领。",
})
hint(forms, "EmployerForm", {
    "name": "与营业执照（登记证书）一致。",
    "uscc": USCC,
    "headcount": f"职工总人数；{REQUIRED}人以上的单位按人数规则应当建会。",
    "women_count": "其中女职工人数，不能多于职工人数。",
    "migrant_count": "其中农民工人数，不能多于职工人数。",
    "required_override": f"留空按人数规则（{REQUIRED}人以上应建会）；确有特殊情况可人工认定。",
    "registered_on": "营业执照（登记）日期。",
    "closed_on": "单位关闭、注销的日期；关闭后不再计入应建会单位。",
    "region_code": REGION,
    "contact_phone": PHONE,
    "ownership": "按营业执照上的登记类型选择。",
    "industry": "国民经济行业分类（GB/T 4754-2017）的代码（如 1311 或 C1311）或名称，保存为代码。",
    "unit_category": "工会统计年报的单位类别：企业按登记注册类型选，另有事业、机关、个体经济组织、民办非企业、社会团体。",
    "economic_type": "企业的登记注册类型（内资、港澳台商投资、外商投资及其细类）；非企业留空。",
    "org_code": "统一社会信用代码启用前的9位组织机构代码（GB 11714），即信用代码的第9–17位；系统核对校验位。",
    "is_fortune500": "世界500强企业在华单位，统计“世界500强企业”建会数用。",
    "is_above_scale": "规模以上企业（统计部门认定），统计口径用。",
})
hint(forms, "EmployerOrgForm", {"org": "用人单位所在地的乡镇（街道）工会，决定谁负责它的组建工作。"})
hint(forms, "CoverageForm", {
    "union_code": "覆盖该单位的工会（本单位工会或联合基层工会）；一个单位同一时间只由一个工会覆盖。",
    "valid_from": "开始覆盖的日期，" + NOT_FUTURE,
})
hint(forms, "CoverageEndForm", {"valid_to": "覆盖终止日期，不能早于起始日期。"})
