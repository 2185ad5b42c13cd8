"""Forms of the bargaining pages: one per step, validated here for shape, by the services for rules."""

from django import forms

from gonghui.core.forms import DateField, Form
from gonghui.core.pickers import PickerInput
from gonghui.democracy.models import Session

from . import conf
from .models import ContractType, Meeting, Representative, Scope, Side, Vote


def date_field(label, required=True, **kw):
    return DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}), **kw)


def text_area(label, required=True, rows=3, **kw):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kw)


class PickOrgForm(Form):
    """The first step of 启动集体协商: the union (or federation) that leads it, by code or picked."""

    code = forms.CharField(label="工会", max_length=40,
                           widget=PickerInput("orgs:pick", {"perm": "bargaining.change", "types": "bargaining"}))


class OpenForm(Form):
    contract_type = forms.ChoiceField(label="合同类型", choices=ContractType.choices)
    scope_kind = forms.ChoiceField(label="合同范围", choices=Scope.choices)
    title = forms.CharField(label="合同名称", max_length=200, help_text="如：某公司2026年工资专项集体协议")
    opened_on = date_field("启动日期")
    employers = forms.ModelMultipleChoiceField(label="用人单位", queryset=None,
                                               widget=forms.CheckboxSelectMultiple,
                                               help_text="单个企业选一家；区域性、行业性合同选择全部受约束的企业。")

    def __init__(self, *args, employers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employers"].queryset = employers
        self.fields["employers"].widget.attrs.pop("class", None)


class RepForm(Form):
    side = forms.ChoiceField(label="一方", choices=Side.choices)
    name = forms.CharField(label="姓名", max_length=50)
    position = forms.CharField(label="职务", max_length=100, required=False)
    method = forms.ChoiceField(label="产生方式", choices=Representative.Method.choices)
    is_chief = forms.BooleanField(label="首席代表", required=False)
    is_external = forms.BooleanField(label="外聘代表（本单位以外的专业人员）", required=False)


class OfferForm(Form):
    side = forms.ChoiceField(label="要约方", choices=Side.choices)
    offered_on = date_field("要约日期")
    topics = text_area("要约议题", help_text="要约书中提出的协商议题和时间。")


class ReplyForm(Form):
    replied_on = date_field("回应日期")
    accepted = forms.TypedChoiceField(label="回应结果", choices=[("1", "同意协商"), ("0", "拒绝协商")],
                                      coerce=lambda v: v == "1")
    note = text_area("回应意见", required=False, help_text="拒绝协商的须写明理由。")


class PrepareForm(Form):
    prepared_on = date_field("准备完成日期")
    recorder = forms.CharField(label="记录员", max_length=50, help_text="双方共同指定的非协商代表。")
    topics = text_area("协商议题")
    prev_revenue = forms.DecimalField(label="上年营业收入（万元）", required=False, max_digits=14, decimal_places=2)
    prev_profit = forms.DecimalField(label="上年净利润（万元）", required=False, max_digits=14, decimal_places=2)
    prev_wage_total = forms.DecimalField(label="上年职工工资总额（万元）", required=False, max_digits=14,
                                         decimal_places=2)
    prev_avg_wage = forms.DecimalField(label="上年职工平均工资（元/月）", required=False, max_digits=10,
                                       decimal_places=2)


class MeetingForm(Form):
    held_on = date_field("会议日期")
    chair_side = forms.ChoiceField(label="主持方", choices=Side.choices,
                                   help_text="双方首席代表轮流主持，首次由要约方主持。")
    attendees = text_area("出席人员", rows=2)
    minutes = text_area("会议记录", rows=4)
    outcome = forms.ChoiceField(label="结果", choices=Meeting.Outcome.choices)
    next_on = date_field("下次协商日期", required=False, help_text="中止协商时必填。")


class VoteForm(Form):
    # The sessions offered are those of the contract's employers' congresses (views.STEPS "vote").
    session = forms.ModelChoiceField(label="职代会会议", queryset=Session.objects.none(), required=False,
                                     empty_label="（未在民主管理中登记，手工填写）")
    held_on = date_field("审议日期", required=False)
    body = forms.ChoiceField(label="审议机构", choices=Vote.Body.choices, help_text="不足100人的企业可召开全体职工大会。")
    total = forms.IntegerField(label="应到代表（职工）人数", min_value=1, required=False)
    present = forms.IntegerField(label="实到人数", min_value=0, required=False)
    votes_for = forms.IntegerField(label="赞成", min_value=0)
    votes_against = forms.IntegerField(label="反对", min_value=0, initial=0)
    abstentions = forms.IntegerField(label="弃权", min_value=0, initial=0)


class SignForm(Form):
    signed_on = date_field("签字日期")
    start_on = date_field("期限起")
    end_on = date_field("期限止", help_text="集体合同期限 1–3 年；工资专项集体协议一般为 1 年。")


class FileForm(Form):
    filed_on = date_field("报送日期")
    department = forms.CharField(label="审查机关", max_length=100, initial="人力资源和社会保障局")
    accepted_no = forms.CharField(label="受理编号", max_length=50, required=False)
    accepted_on = date_field("受理日期", required=False)


class ObjectForm(Form):
    objection_on = date_field("异议日期", help_text="审查意见书的日期。")
    review_no = forms.CharField(label="审查意见书编号", max_length=50, required=False)
    note = text_area("审查意见")


class ApproveForm(Form):
    approved_on = date_field("生效日期", help_text="审查机关出具审查意见确认的日期；15 日内未提出异议的自动生效。")
    review_no = forms.CharField(label="审查意见书编号", max_length=50, required=False)


class PublishForm(Form):
    published_on = date_field("公布日期")
    method = forms.CharField(label="公布方式", max_length=100, initial="厂务公开栏")
    upper_filed_on = date_field("上级工会备案日期", required=False)


class TerminateForm(Form):
    terminated_on = date_field("终止日期")
    reason = forms.CharField(label="终止或解除原因", max_length=200)


class AbandonForm(Form):
    on = date_field("日期")
    reason = forms.CharField(label="终止协商原因", max_length=200)


class TermsForm(Form):
    wage_increase_pct = forms.DecimalField(label="工资增长幅度（%）", required=False, max_digits=5, decimal_places=2)
    lowest_wage = forms.DecimalField(label="最低工资（元/月）", required=False, max_digits=10, decimal_places=2)
    avg_wage = forms.DecimalField(label="平均工资水平（元/月）", required=False, max_digits=10, decimal_places=2)
    employees_covered = forms.IntegerField(label="覆盖职工人数", min_value=0)
    women_covered = forms.IntegerField(label="覆盖女职工人数", min_value=0)
    migrants_covered = forms.IntegerField(label="覆盖农民工人数", min_value=0)
    women_clauses = forms.MultipleChoiceField(label="女职工条款", required=False,
                                              widget=forms.CheckboxSelectMultiple)
    terms_note = text_area("其他主要条款", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["women_clauses"].choices = [(c, c) for c in conf.get("WOMEN_CLAUSES")]
        self.fields["women_clauses"].widget.attrs.pop("class", None)


class InspectForm(Form):
    checked_on = date_field("检查日期")
    items_checked = forms.IntegerField(label="检查条款数", min_value=1)
    items_fulfilled = forms.IntegerField(label="已兑现条款数", min_value=0)
    findings = text_area("检查情况", required=False)


class AttachForm(Form):
    upload = forms.FileField(label="签字文本扫描件", help_text="PDF 或 JPG、PNG，不超过 20 MB。")


class RenewForm(Form):
    opened_on = date_field("启动日期")
