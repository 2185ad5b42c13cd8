"""Forms of the 活动与阵地 pages: shape here, rules in the services."""

from django import forms

from gonghui.core.forms import DateField, Form
from gonghui.core.pickers import PickerInput

from .models import (
    ActivityKind,
    AnkangResult,
    AttachmentKind,
    FindingKind,
    InspectionKind,
    PostType,
    PublicityKind,
    Section,
    Severity,
    VisitKind,
)


def date_field(label, required=True, **kw):
    return DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}), **kw)


def org_field(label):
    return forms.CharField(label=label, max_length=40,
                           widget=PickerInput("orgs:pick", {"perm": "activities.change"}))


def count_field(label, **kw):
    return forms.IntegerField(label=label, required=False, min_value=0, **kw)


class KindForm(Form):
    code = forms.CharField(label="代码", max_length=40)
    name = forms.CharField(label="活动类型名称", max_length=40)
    section = forms.ChoiceField(label="工作总结栏目", choices=Section.choices)
    has_sessions = forms.BooleanField(label="登记期数/场次", required=False)
    session_word = forms.CharField(label="期数单位", max_length=2, initial="期")
    has_persons = forms.BooleanField(label="登记人数（人，按人头不重复）", required=False)
    has_person_times = forms.BooleanField(label="登记人次", required=False)
    has_units = forms.BooleanField(label="登记覆盖单位（家）", required=False)
    has_items = forms.BooleanField(label="登记数量（项/条/份）", required=False)
    item_word = forms.CharField(label="数量单位", max_length=2, initial="项")
    has_money = forms.BooleanField(label="登记金额（元）", required=False)
    verb = forms.CharField(label="参加动词", max_length=6, initial="参加")
    order = forms.IntegerField(label="排序", min_value=0, initial=100)
    active = forms.BooleanField(label="启用", required=False, initial=True)
    parent = forms.ModelChoiceField(label="所属类型（其中）", queryset=None, required=False, empty_label="（无，独立类型）",
                                    help_text="选择后，本类型的活动也计入所属类型，工作总结写作“其中……”；所属类型只能是没有所属类型的活动类型。")

    def __init__(self, *args, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        tops = ActivityKind.objects.filter(parent__isnull=True).order_by("order", "id")
        self.fields["parent"].queryset = tops.exclude(pk=kind.pk) if kind is not None else tops


class ActivityForm(Form):
    org = org_field("主办单位")
    kind = forms.ModelChoiceField(label="活动类型", queryset=None)
    title = forms.CharField(label="活动名称", max_length=200)
    start_on = date_field("开始日期")
    end_on = date_field("结束日期", required=False)
    sessions = count_field("期数/场次")
    persons = count_field("人数")
    person_times = count_field("人次")
    units = count_field("覆盖单位数（家）")
    items = count_field("数量（项/条/份）")
    amount = forms.DecimalField(label="金额（元）", required=False, min_value=0, decimal_places=2, max_digits=12)
    place = forms.CharField(label="地点", max_length=200, required=False)
    co_organisers = forms.CharField(label="协办单位", max_length=200, required=False)
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, kinds=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        if editing:
            del self.fields["org"], self.fields["kind"]


class CopyYearForm(Form):
    org = org_field("主办单位")
    from_year = forms.IntegerField(label="复制年度", min_value=2000, max_value=2100)
    to_year = forms.IntegerField(label="复制到年度", min_value=2000, max_value=2100)


class PostForm(Form):
    org = org_field("运营单位")
    type = forms.ChoiceField(label="阵地类型", choices=PostType.choices)
    name = forms.CharField(label="名称", max_length=100)
    address = forms.CharField(label="地址", max_length=200, required=False)
    functions = forms.CharField(label="功能室/服务项目", max_length=500, required=False)
    rooms = forms.IntegerField(label="功能室数", min_value=0, initial=0)
    opening_hours = forms.CharField(label="开放时间", max_length=100, required=False)
    opened_on = date_field("启用日期")


class VisitsForm(Form):
    on = date_field("日期")
    visits = forms.IntegerField(label="服务人次", min_value=0)


class VisitorForm(Form):
    on = date_field("日期")
    visitor = forms.CharField(label="来访职工", max_length=50)
    service = forms.CharField(label="服务项目", max_length=100, required=False)


class VolunteerForm(Form):
    on = date_field("日期")
    volunteer = forms.CharField(label="志愿者", max_length=50)
    hours = forms.DecimalField(label="服务时长（小时）", min_value=0, decimal_places=1, max_digits=5)


class InspectionForm(Form):
    org = org_field("组织单位")
    kind = forms.ChoiceField(label="检查类型", choices=InspectionKind.choices)
    inspected_on = date_field("检查日期")
    employer_name = forms.CharField(label="被检查单位", max_length=200, required=False)
    inspectors = forms.IntegerField(label="参加人数", min_value=0, initial=0)
    suggestions = forms.IntegerField(label="提出建议（条）", min_value=0, initial=0)
    note = forms.CharField(label="检查情况", max_length=500, required=False)


class FindingForm(Form):
    kind = forms.ChoiceField(label="问题类别", choices=FindingKind.choices)
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices)
    description = forms.CharField(label="问题描述", max_length=300)
    due_on = date_field("整改期限", required=False)
    on_spot = forms.BooleanField(label="现场整改", required=False)


class CloseForm(Form):
    closed_on = date_field("整改完成日期")


class PublicityForm(Form):
    org = org_field("报送单位")
    kind = forms.ChoiceField(label="类别", choices=PublicityKind.choices)
    title = forms.CharField(label="标题", max_length=200)
    outlet = forms.CharField(label="刊发/报送媒体", max_length=100, required=False)
    published_on = date_field("刊发日期")
    issue_no = forms.CharField(label="期号", max_length=20, required=False)
    entries = forms.IntegerField(label="条数", min_value=1, initial=1)


class PickForm(Form):
    """Persons ticked in the roster search (their ids) and the sessions each attended."""

    times = forms.IntegerField(label="参加次数", min_value=1, max_value=999, initial=1)


class AttachmentForm(Form):
    kind = forms.ChoiceField(label="附件类别", choices=AttachmentKind.choices)
    file = forms.FileField(label="文件")
    name = forms.CharField(label="名称", max_length=100, required=False)


class AnkangForm(Form):
    org = org_field("组织单位")
    employer = forms.CharField(label="参赛单位", max_length=200,
                               widget=PickerInput("orgs:pick_employers", {"perm": "activities.change"}))
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    participants = forms.IntegerField(label="参赛职工（人）", min_value=0, initial=0)
    teams = forms.IntegerField(label="参赛班组（个）", min_value=0, initial=0)
    result = forms.ChoiceField(label="竞赛结果", choices=AnkangResult.choices)
    note = forms.CharField(label="备注", max_length=300, required=False)


class PersonVisitForm(Form):
    org = org_field("走访单位")
    person = forms.CharField(label="走访对象", max_length=60,
                             widget=PickerInput("members:pick", {"perm": "members.view"}))
    kind = forms.ChoiceField(label="走访类型", choices=VisitKind.choices)
    visited_on = date_field("走访日期")
    amount = forms.DecimalField(label="慰问金（元）", required=False, min_value=0, max_digits=12, decimal_places=2)
    goods = forms.CharField(label="慰问品", max_length=200, required=False)
    visitors = forms.CharField(label="走访人", max_length=100, required=False)
    note = forms.CharField(label="情况记录", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))
