"""Field hints of the account forms: the rule each field follows."""

from gonghui.core.hints import hint

from . import forms

hint(forms, "UserCreateForm", {
    "username": "登录时输入的名称，全系统唯一；建议用姓名拼音。",
    "phone": "11位手机号码，以1开头。",
    "home_org": "账号所属的单位；权限另在“授权”中按单位授予。",
})
hint(forms, "GrantForm", {
    "role": "查阅：只看不改；业务经办：登记办理；审批：审核、审批；单位管理员：本单位全部业务和账号。",
})
hint(forms, "PasswordChangeForm", {"new_password2": "再输入一次新密码。"})
