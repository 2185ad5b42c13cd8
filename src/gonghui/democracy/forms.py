"""Forms of the democracy pages: one per service, validated here for shape, by the services for rules."""

from django import forms

from gonghui.core.forms import DateField, Form
from gonghui.core.pickers import PickerInput

from .models import (
    BoardSeat,
    Category,
    EvalLevel,
    Feedback,
    Gender,
    ItemCategory,
    Kind,
    ResultCode,
    Scope,
    SessionKind,
)
from .models import Form as DisclosureForm


def date_field(label, required=True, **kw):
    return DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}), **kw)


def text_area(label, required=True, rows=3, **kw):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kw)


class PickOrgForm(Form):
    code = forms.CharField(label="工会", max_length=40, widget=PickerInput("orgs:pick", {"perm": "democracy.change"}))


class CongressForm(Form):
    name = forms.CharField(label="名称", max_length=200, help_text="如：某公司第三届职工代表大会")
    kind = forms.ChoiceField(label="形式", choices=Kind.choices)
    scope_kind = forms.ChoiceField(label="范围", choices=Scope.choices)
    established_on = date_field("建立日期")
    employer = forms.ModelChoiceField(label="用人单位（单个企业）", queryset=None, required=False)
    employers = forms.ModelMultipleChoiceField(label="覆盖单位（区域性、行业性）", queryset=None, required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, employers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["employers"].queryset = employers
        self.fields["employers"].widget.attrs.pop("class", None)


class TermForm(Form):
    number = forms.IntegerField(label="届次", min_value=1)
    started_on = date_field("本届起始日期")
    ends_on = date_field("届满日期")
    staff = forms.IntegerField(label="职工人数", min_value=1)
    women_staff = forms.IntegerField(label="女职工人数", min_value=0, initial=0)


class DelegateForm(Form):
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    constituency = forms.CharField(label="选区", max_length=100)
    is_manager = forms.BooleanField(label="中高级管理人员", required=False)
    is_frontline = forms.BooleanField(label="一线职工", required=False)


class ConfirmForm(Form):
    """No fields: the list is checked as it stands."""


class SessionForm(Form):
    held_on = date_field("召开日期")
    kind = forms.ChoiceField(label="会议类型", choices=SessionKind.choices)
    delegates_present = forms.IntegerField(label="实到代表", min_value=0)
    note = text_area("会议议程", required=False)


class MotionForm(Form):
    session = forms.ModelChoiceField(label="会议", queryset=None)
    title = forms.CharField(label="议案名称", max_length=200)
    votes_for = forms.IntegerField(label="赞成", min_value=0)
    votes_against = forms.IntegerField(label="反对", min_value=0, initial=0)
    abstentions = forms.IntegerField(label="弃权", min_value=0, initial=0)
    secret_ballot = forms.BooleanField(label="无记名投票", required=False)

    def __init__(self, *args, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class ResolutionForm(Form):
    title = forms.CharField(label="决议名称", max_length=200)
    adopted_on = date_field("通过日期")
    session = forms.ModelChoiceField(label="会议", queryset=None, required=False)
    written = forms.BooleanField(label="书面决议（闭会期间）", required=False)

    def __init__(self, *args, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class ProposalForm(Form):
    title = forms.CharField(label="案由", max_length=200)
    content = text_area("理由和建议")
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    proposer = forms.ModelChoiceField(label="提案人", queryset=None)
    cosigners = forms.ModelMultipleChoiceField(label="附议人", queryset=None, required=False)
    filed_on = date_field("提出日期")
    session = forms.ModelChoiceField(label="会议", queryset=None, required=False)

    def __init__(self, *args, delegates=None, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = delegates
        self.fields["cosigners"].queryset = delegates
        self.fields["session"].queryset = sessions


class AcceptForm(Form):
    decided_on = date_field("审查日期")


class RejectForm(Form):
    decided_on = date_field("审查日期")
    reason = forms.CharField(label="不立案理由", max_length=500)


class AssignForm(Form):
    assigned_on = date_field("交办日期")
    lead_dept = forms.CharField(label="主办部门", max_length=100)
    assist_depts = forms.CharField(label="会办部门", max_length=200, required=False)
    due_on = date_field("答复期限", required=False)


class AnswerForm(Form):
    answered_on = date_field("答复日期")
    result_code = forms.ChoiceField(label="办理结果", choices=[("", "请选择"), *ResultCode.choices], required=False)
    answer = text_area("答复意见")


class FeedbackForm(Form):
    delegate = forms.ModelChoiceField(label="反馈人", queryset=None)
    feedback = forms.ChoiceField(label="提案人意见", choices=Feedback.choices)
    feedback_on = date_field("反馈日期")
    note = forms.CharField(label="反馈说明", max_length=500, required=False)

    def __init__(self, *args, delegates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = delegates


ITEM_ROWS = 8


class DisclosureRecordForm(Form):
    org = forms.CharField(label="工会", max_length=40, widget=PickerInput("orgs:pick", {"perm": "democracy.change"}))
    kind = forms.ChoiceField(label="类别", choices=[("workplace", "厂务公开"), ("union", "会务公开")])
    employer = forms.CharField(label="用人单位（厂务公开）", required=False, max_length=200,
                               widget=PickerInput("orgs:pick_employers", {"perm": "democracy.change", "value": "name"}))
    form = forms.ChoiceField(label="公开形式", choices=DisclosureForm.choices)
    issue_no = forms.IntegerField(label="期号", min_value=1)
    disclosed_on = date_field("公开日期")
    title = forms.CharField(label="标题", max_length=200)

    def items(self) -> list[tuple[str, str]]:
        d = self.cleaned_data
        return [(d[f"item{i}_category"], d[f"item{i}_title"]) for i in range(1, ITEM_ROWS + 1)
                if d.get(f"item{i}_category") or d.get(f"item{i}_title")]


# The item rows, declared on the class (not per instance) so that hints and the page see them.
for _i in range(1, ITEM_ROWS + 1):
    DisclosureRecordForm.base_fields[f"item{_i}_category"] = forms.ChoiceField(
        label=f"第{_i}项类别", choices=[("", "—"), *ItemCategory.choices], required=False)
    DisclosureRecordForm.base_fields[f"item{_i}_title"] = forms.CharField(label=f"第{_i}项事项", max_length=200,
                                                                        required=False)


class OpinionForm(Form):
    raised_on = date_field("提出日期")
    raised_by = forms.CharField(label="提出人", max_length=100)
    content = text_area("意见内容")


class OpinionAnswerForm(Form):
    opinion = forms.ModelChoiceField(label="意见", queryset=None)
    answered_on = date_field("答复日期")
    answer = text_area("答复")

    def __init__(self, *args, opinions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinion"].queryset = opinions


class BoardForm(Form):
    seat = forms.ChoiceField(label="职务", choices=BoardSeat.choices)
    name = forms.CharField(label="姓名", max_length=50)
    elected_on = date_field("当选日期")
    session = forms.ModelChoiceField(label="选举会议", queryset=None, required=False)
    ends_on = date_field("任期届满日期", required=False)

    def __init__(self, *args, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class EvaluationForm(Form):
    session = forms.ModelChoiceField(label="会议", queryset=None)
    name = forms.CharField(label="被评议人", max_length=50)
    position = forms.CharField(label="职务", max_length=100)
    level = forms.ChoiceField(label="层级", choices=EvalLevel.choices)
    excellent = forms.IntegerField(label="优秀（票）", min_value=0, initial=0)
    competent = forms.IntegerField(label="称职（票）", min_value=0, initial=0)
    basic = forms.IntegerField(label="基本称职（票）", min_value=0, initial=0)
    incompetent = forms.IntegerField(label="不称职（票）", min_value=0, initial=0)

    def __init__(self, *args, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class DisclosureSystemForm(Form):
    org = forms.CharField(label="工会", max_length=40, widget=PickerInput("orgs:pick", {"perm": "democracy.change"}))
    employer = forms.CharField(label="用人单位", max_length=200,
                               widget=PickerInput("orgs:pick_employers", {"perm": "democracy.change", "value": "name"}))
    established_on = date_field("建立日期")
    leader = forms.CharField(label="第一责任人", max_length=50, required=False)


class CongressEndForm(Form):
    ended_on = date_field("撤销日期")
