"""Field hints of the member forms (DOMAIN §2): the rule each field follows."""

from gonghui.core.hints import hint

from . import conf, forms

ID_NUMBER = ("18位公民身份号码（GB 11643），末位校验码可为X；系统核对校验码和出生日期，"
             "并据此确定性别和出生日期。")
UNION = "会员所在的基层工会，须在您的管理范围内；可输入名称、拼音首字母或编码查找。"
NOT_FUTURE = "不能晚于今天。"

hint(forms, "RosterFilterForm", {
    "org": "只看该单位及其下级的会员；留空为您管理的全部单位。",
    "q": "姓名可只输前几个字；身份证号可输完整号码或后4位。",
    "status": "在会：正常会员；保留会籍：退休、失业等保留会籍的会员。",
    "gender": "按身份证号判定的性别。",
    "migrant": "户籍为农村、以工资收入为主要生活来源的职工。",
    "age_min": "按今天计算的周岁。",
    "age_max": "按今天计算的周岁。",
    "joined_from": "入会日期（基层工会批准之日）在此日及以后。",
    "joined_to": "入会日期在此日及以前。",
})
hint(forms, "PersonFields", {
    "name": "与居民身份证上的姓名一致。",
    "ethnicity": "按 GB/T 3304 民族代码。",
    "education": "按 GB/T 4658 学历代码，填最高学历。",
    "political": "按 GB/T 4762 政治面貌代码。",
    "phone": "11位手机号码，以1开头；列表中脱敏显示。",
    "hukou": "户口类型（GA 324.1 户口类别）；农业户口且以工资为主要收入的职工为农民工。",
    "is_migrant_worker": "农村户籍、在非农单位务工、以工资收入为主要生活来源。",
    "employment": "退休、失业的会员应办理保留会籍；内部退养的按正常会员管理，不办理保留会籍。",
    "is_dispatched": "由劳务派遣单位派到本单位工作的职工。",
})
hint(forms, "JoinForm", {
    "union_code": UNION,
    "id_number": ID_NUMBER + "同一身份证号只能有一条会籍（一次入会）。",
    "joined_on": "基层工会批准入会的日期，" + NOT_FUTURE,
    "card_no": "全总统一的会员证号，全系统唯一；留空可以以后补填。",
    "employer_uscc": "工作单位的18位统一社会信用代码，须是已登记的用人单位；可留空。",
})
hint(forms, "TransferForm", {
    "to_union_code": "会籍随劳动关系转入的新工会；可输入名称、拼音首字母或编码查找。",
    "effective_on": "转会生效的日期，" + NOT_FUTURE + "此日起计入新工会。",
    "reason": "如：调动、离职后到新单位就业。",
})
hint(forms, "TransferRequestForm", {
    "union_code": "接收会员的本单位工会。",
    "id_number": ID_NUMBER,
    "effective_on": f"转会生效的日期；原工会须在{conf.get('TRANSFER_ACCEPT_DAYS')}日内处理申请。",
    "reason": "如：调动、离职后到新单位就业。",
})
hint(forms, "StatusForm", {
    "effective_on": "生效日期，" + NOT_FUTURE,
    "reason": "如：退休、失业保留会籍；再就业恢复会籍。",
})
hint(forms, "LeaveForm", {
    "status": "退会须本人书面申请；连续6个月不交会费、不参加工会组织生活的，按自动退会处理。",
})
hint(forms, "DecideForm", {"note": "退回时请写明原因，申请方可以看到。"})
