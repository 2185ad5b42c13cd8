from django import forms

from gonghui.core.forms import DateField, Form
from gonghui.core.pickers import PickerInput

from .models import Channel, FundKind, Level, MatchStatus, RefundStatus, ReviewKind


def _org_field(label="单位", perm="funds.view", required=False, types=""):
    params = {"perm": perm}
    if types:
        params["types"] = types
    return forms.CharField(label=label, required=required, widget=PickerInput("orgs:pick", params))


class ReceiptFilterForm(Form):
    q = forms.CharField(label="单位、代码或凭证号", required=False)
    org = _org_field()
    channel = forms.ChoiceField(label="渠道", choices=[("", "全部"), *Channel.choices], required=False)
    status = forms.ChoiceField(label="匹配状态", choices=[("", "全部"), *MatchStatus.choices], required=False)
    kind = forms.ChoiceField(label="类别", choices=[("", "全部"), *FundKind.choices], required=False)
    received_from = DateField(label="入库日期自", required=False)
    received_to = DateField(label="至", required=False)


class PendingFilterForm(Form):
    q = forms.CharField(label="单位、代码或凭证号", required=False)
    org = _org_field(perm="funds.change")


class ReceiptForm(Form):
    org = _org_field("收款工会", perm="funds.change", required=True)
    reference = forms.CharField(label="凭证号", max_length=60)
    channel = forms.ChoiceField(label="收入渠道", choices=Channel.choices)
    uscc = forms.CharField(label="统一社会信用代码", required=False, max_length=30)
    name = forms.CharField(label="单位名称", required=False, max_length=200)
    month = DateField(label="所属期", required=False)
    payroll_base = forms.DecimalField(label="工资总额(元)", required=False, decimal_places=2, max_digits=14)
    amount = forms.DecimalField(label="金额(元)", decimal_places=2, max_digits=14)
    received_on = DateField(label="入库(到账)日期")
    note = forms.CharField(label="备注", required=False, max_length=200)


class MatchForm(Form):
    employer = forms.CharField(label="缴款单位", widget=PickerInput("orgs:pick_employers",
                                                                   {"perm": "funds.change", "value": "name"}))


class DeclarationFilterForm(Form):
    q = forms.CharField(label="单位或代码", required=False)
    org = _org_field()
    month_from = DateField(label="所属期自", required=False)
    month_to = DateField(label="至", required=False)
    arrears = forms.BooleanField(label="仅欠缴", required=False)


class UnionFilterForm(Form):
    q = forms.CharField(label="工会名称或编码", required=False)
    org = _org_field()
    state = forms.ChoiceField(label="返还手续", choices=[("", "全部"), ("complete", "已完善"), ("incomplete", "未完善")],
                              required=False)


class FormalityForm(Form):
    bank_name = forms.CharField(label="开户银行", required=False, max_length=100)
    account_name = forms.CharField(label="账户名称", required=False, max_length=200)
    account = forms.CharField(label="银行账号", required=False, max_length=40)
    certificate_no = forms.CharField(label="法人资格证书编号", required=False, max_length=60)
    agreement_on = DateField(label="返还协议签订日期", required=False)
    on = DateField(label="登记日期")


class RefundFilterForm(Form):
    org = _org_field()
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *RefundStatus.choices], required=False)


class RefundForm(Form):
    union = _org_field("基层工会", perm="funds.change", required=True, types="grassroots")
    start = DateField(label="期间起")
    end = DateField(label="期间止")
    on = DateField(label="制单日期")
    note = forms.CharField(label="备注", required=False, max_length=200)


class DateForm(Form):
    on = DateField(label="日期")


class RefuseForm(Form):
    reason = forms.CharField(label="退回原因", max_length=200)


class RevealForm(Form):
    reason = forms.CharField(label="查看事由", max_length=200)


class ShareForm(Form):
    valid_from = DateField(label="起始日期")
    remainder = forms.ChoiceField(label="承担尾差的层级", choices=Level.choices)


# One percentage field per level, declared on the class (the hints and the page list them).
for _value, _label in Level.choices:
    ShareForm.base_fields[f"pct_{_value}"] = forms.DecimalField(label=f"{_label}(%)", required=False, max_digits=6,
                                                                decimal_places=3)


class DuesFilterForm(Form):
    org = _org_field()
    month_from = DateField(label="所属期自", required=False)
    month_to = DateField(label="至", required=False)


class DuesForm(Form):
    union = _org_field("基层工会", perm="funds.change", required=True, types="grassroots")
    month = DateField(label="所属期")
    members = forms.IntegerField(label="缴费会员人数", min_value=0)
    wage_base = forms.DecimalField(label="工资基数合计(元)", decimal_places=2, max_digits=14)
    paid = forms.DecimalField(label="实缴会费(元)", decimal_places=2, max_digits=14)


class ReviewFilterForm(Form):
    org = _org_field()
    kind = forms.ChoiceField(label="审查类别", choices=[("", "全部"), *ReviewKind.choices], required=False)
    open_only = forms.BooleanField(label="仅有未整改问题", required=False)
    reviewed_from = DateField(label="审查日期自", required=False)
    reviewed_to = DateField(label="至", required=False)


class ReviewForm(Form):
    org = _org_field("被审查工会", perm="funds.change", required=True)
    kind = forms.ChoiceField(label="审查类别", choices=ReviewKind.choices)
    period_start = DateField(label="审查期间起")
    period_end = DateField(label="审查期间止")
    reviewed_on = DateField(label="审查日期")
    auditor = forms.CharField(label="审查组织", max_length=100)
    chair_name = forms.CharField(label="离任主席", required=False, max_length=50)
    conclusion = forms.CharField(label="审查结论", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reported_on = DateField(label="向会员(代表)大会报告日期", required=False)


class FindingForm(Form):
    description = forms.CharField(label="发现问题", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    amount = forms.DecimalField(label="涉及金额(元)", required=False, decimal_places=2, max_digits=14)
    due_on = DateField(label="整改期限")


class RectifyForm(Form):
    rectified_on = DateField(label="整改完成日期")
    rectification = forms.CharField(label="整改情况", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class DeclarationForm(Form):
    employer = forms.CharField(label="用人单位", widget=PickerInput("orgs:pick_employers",
                                                                  {"perm": "funds.change", "value": "name"}))
    month = DateField(label="所属期")
    payroll_total = forms.DecimalField(label="工资总额(元)", decimal_places=2, max_digits=14, min_value=0)
    employees = forms.IntegerField(label="职工人数", required=False, min_value=0)


class LetterTemplateForm(Form):
    file = forms.FileField(label="催缴通知书模板(.docx)",
                           help_text="Word 文档（.docx），不超过 10 MB，只能使用下表列出的变量；上传时用示例数据试生成一份。")
