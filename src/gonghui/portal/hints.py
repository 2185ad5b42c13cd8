"""Field hints of the member portal's forms: what each field asks and the rule behind it."""

from gonghui.core.hints import hint

from . import conf, forms

ID = "18位，最后一位可以是X；按国家标准校验。"

hint(forms, "ApplyForm", {
    "phone": "以1开头的11位手机号码，工会联系您用；页面中只显示部分号码。",
    "consent": "提交即同意告知书所列的处理；同意的版本和时间会记录在申请上。",
})
hint(forms, "StatusForm", {
    "ref": "提交申请后页面显示的10位编号。",
    "id_number": "申请时填写的公民身份号码；" + ID,
})
hint(forms, "SignInForm", {
    "id_number": ID,
    "password": "开通时设置的密码；连续输错会暂时锁定。",
})
hint(forms, "ActivateForm", {
    "id_number": "申请入会时填写的公民身份号码；" + ID,
    "password2": "与上面的密码相同。",
})
hint(forms, "RightsForm", {
    "kind": f"查阅复制、更正补充、撤回同意或删除；工会在{conf.get('RIGHTS_DAYS')}个工作日内答复。",
})
hint(forms, "AcceptForm", {
    "joined_on": "留空为今天；不能早于接收工会的成立日期。",
})
hint(forms, "RefuseForm", {
    "reason": "申请人查询进度时可见，请写明原因和可以怎么办。",
})
hint(forms, "ReplyForm", {
    "reply": "会员在会员服务中看到的答复；更正类请先在会员详情中修改信息。",
    "refuse": "依法不予办理的（如法律规定须保存的信息），勾选并在答复中写明依据。",
})
hint(forms, "HelpForm", {
    "kind": "困难帮扶或金秋助学（考入大学、高中等的会员子女）。",
    "student_name": "申请金秋助学时必填。",
    "school": "申请金秋助学时必填，如“长沙县一中 高三”。",
})
hint(forms, "HelpDecideForm", {
    "reply": "会员在会员服务中看到的答复；不予受理的，写明理由。",
    "register": "勾选为受理：找到（或新建）本户困难职工档案，登记待审核的帮扶申请并附上会员的证明材料；不勾选即不予受理。",
    "amount_requested": "受理时必填，大于0的金额，精确到分。",
    "category": "会员尚无未出档的困难职工档案时必选：新档案按此类别建档（状态“建档”），随后完善、公示。",
    "school_level": "金秋助学必选：受助子女现在的就读阶段（小学至研究生）。",
    "student_birth_date": "档案中还没有该子女的必填，系统把其登记为家庭成员；格式如 2009-03-01。",
    "student_gender": "档案中还没有该子女时填写。",
})
