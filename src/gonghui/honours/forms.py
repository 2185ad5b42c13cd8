from django import forms

from gonghui.core.forms import DateField, Form
from gonghui.core.pickers import PickerInput

from .models import (
    CareKind,
    ContestKind,
    HomeLevel,
    HonourLevel,
    HonourStatus,
    HonourType,
    InnovationKind,
    Level,
    RecheckOutcome,
    Recipient,
    ScoreStage,
    Treatment,
    WorkerStatus,
)

BLANK = [("", "—")]


def _org_picker(perm: str, **extra) -> PickerInput:
    return PickerInput("orgs:pick", {"perm": perm, **extra})


def _team_picker(perm: str) -> PickerInput:
    return PickerInput("honours:pick_teams", {"perm": perm}, attrs={"placeholder": "输入班组/集体名称"})


class WorkerFilterForm(Form):
    q = forms.CharField(label="姓名", required=False)
    org = forms.CharField(label="管理单位(含下级)", required=False, widget=_org_picker("honours.view", dissolved="1"))
    level = forms.ChoiceField(label="最高待遇级别", required=False, choices=BLANK + Treatment.choices)
    status = forms.ChoiceField(label="现状", required=False, choices=BLANK + WorkerStatus.choices)
    party = forms.BooleanField(label="中共党员", required=False)
    hardship = forms.BooleanField(label="困难劳模", required=False)


class WorkerForm(Form):
    org_code = forms.CharField(label="管理单位", max_length=40, widget=_org_picker("honours.change"))
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=20)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    employer_name = forms.CharField(label="所在单位", max_length=200, required=False)
    industry = forms.CharField(label="行业", max_length=50, required=False)
    status = forms.ChoiceField(label="现状", choices=WorkerStatus.choices)
    died_on = DateField(label="去世日期", required=False)
    is_civil_servant = forms.BooleanField(label="国家工作人员", required=False)
    is_party_member = forms.BooleanField(label="中共党员", required=False)
    is_hardship = forms.BooleanField(label="困难劳模", required=False)
    registered_on = DateField(label="登记日期")


class TitleForm(Form):
    name = forms.CharField(label="称号", max_length=100)
    level = forms.ChoiceField(label="级别", choices=BLANK + Level.choices, required=False)
    year = forms.IntegerField(label="授予年份", required=False, min_value=1949, max_value=2100)
    conferred_on = DateField(label="授予日期", required=False)
    conferred_by = forms.CharField(label="授予机关", max_length=100, required=False)
    batch = forms.CharField(label="批次", max_length=50, required=False)
    certificate_no = forms.CharField(label="证书编号", max_length=50, required=False)
    treatment = forms.ChoiceField(label="待遇级别", choices=BLANK + Treatment.choices, required=False)


class TitleLevelForm(Form):
    title = forms.TypedChoiceField(label="称号", coerce=int, choices=())
    treatment = forms.ChoiceField(label="新的待遇级别", choices=Treatment.choices)
    on = DateField(label="起始日期")
    note = forms.CharField(label="依据", max_length=200)


class CareForm(Form):
    kind = forms.ChoiceField(label="服务类别", choices=CareKind.choices)
    served_on = DateField(label="服务日期")
    amount = forms.DecimalField(label="金额(元)", max_digits=12, decimal_places=2, min_value=0, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class CampaignForm(Form):
    org_code = forms.CharField(label="组织单位", max_length=40, widget=_org_picker("honours.change"))
    name = forms.CharField(label="活动名称", max_length=100)
    kind = forms.ChoiceField(label="服务类别", choices=CareKind.choices)
    start_on = DateField(label="开始日期")
    end_on = DateField(label="结束日期")
    amount = forms.DecimalField(label="每人标准(元)", max_digits=12, decimal_places=2, min_value=0, required=False)
    exclude_civil_servants = forms.BooleanField(label="不含国家工作人员", required=False)
    party_members_only = forms.BooleanField(label="仅中共党员", required=False)
    hardship_only = forms.BooleanField(label="仅困难劳模", required=False)


class ServeForm(Form):
    served_on = DateField(label="服务日期")


class HonourFilterForm(Form):
    org = forms.CharField(label="申报单位(含下级)", required=False, widget=_org_picker("honours.view", dissolved="1"))
    recipient = forms.ChoiceField(label="对象", required=False, choices=BLANK + Recipient.choices)
    honour_type = forms.ChoiceField(label="荣誉类别", required=False, choices=BLANK + HonourType.choices)
    level = forms.ChoiceField(label="级别", required=False, choices=BLANK + HonourLevel.choices)
    status = forms.ChoiceField(label="状态", required=False, choices=BLANK + HonourStatus.choices)
    year = forms.IntegerField(label="年度", required=False, min_value=1949, max_value=2100)


class HonourForm(Form):
    org_code = forms.CharField(label="申报单位", max_length=40, widget=_org_picker("honours.change"))
    recipient = forms.ChoiceField(label="对象", choices=Recipient.choices)
    recipient_name = forms.CharField(label="获得者（个人姓名或集体名称）", max_length=200)
    team = forms.CharField(label="班组/集体（集体荣誉授予班组、车间等时选填）", max_length=100, required=False,
                           widget=_team_picker("honours.change"))
    honour_type = forms.ChoiceField(label="荣誉类别", choices=HonourType.choices)
    level = forms.ChoiceField(label="级别", choices=HonourLevel.choices)
    issuer = forms.CharField(label="授予单位", max_length=100)
    year = forms.IntegerField(label="年度", min_value=1949, max_value=2100)
    applied_on = DateField(label="申报日期")
    note = forms.CharField(label="说明", max_length=200, required=False)


class MoveForm(Form):
    to = forms.ChoiceField(label="下一步", choices=HonourStatus.choices)
    on = DateField(label="日期")
    note = forms.CharField(label="意见", max_length=200, required=False)


class MemberReviewForm(Form):
    survey = forms.TypedChoiceField(label="会员评家测评", coerce=int, choices=())
    on = DateField(label="日期")


class RecheckForm(Form):
    on = DateField(label="检查日期")
    inspector = forms.CharField(label="检查单位/人员", max_length=100)
    findings = forms.CharField(label="检查情况", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label="结论", choices=RecheckOutcome.choices)
    rectify_by = DateField(label="整改期限", required=False)
    score = forms.DecimalField(label="检查得分", max_digits=7, decimal_places=2, min_value=0, required=False)


class ScoreForm(Form):
    """自评 or 评审打分: one score field per leaf indicator of the system (added by the view)."""

    stage = forms.ChoiceField(label="环节", choices=ScoreStage.choices)
    system = forms.TypedChoiceField(label="指标体系", coerce=int, choices=())

    def add_indicators(self, leaves) -> None:
        for node in leaves:
            self.fields[f"i{node.pk}"] = forms.DecimalField(
                label=node.name, max_digits=7, decimal_places=2, required=False,
                help_text=f"0至{node.weight}分；每项末级指标都须评分。")

    def scores(self) -> dict:
        return {k[1:]: v for k, v in self.cleaned_data.items() if k.startswith("i") and k[1:].isdigit()}


class HomeForm(Form):
    org_code = forms.CharField(label="基层工会", max_length=40, widget=_org_picker("honours.change"))
    level = forms.ChoiceField(label="级别", choices=HomeLevel.choices)
    rated_on = DateField(label="命名日期")
    issuer = forms.CharField(label="命名单位", max_length=100, required=False)


class SurveyForm(Form):
    org_code = forms.CharField(label="基层工会", max_length=40, widget=_org_picker("honours.change"))
    name = forms.CharField(label="名称", max_length=100, required=False)
    held_on = DateField(label="测评日期")
    items = forms.CharField(label="测评项目", widget=forms.Textarea(attrs={"rows": 5}))
    threshold = forms.DecimalField(label="合格满意率(%)", max_digits=5, decimal_places=2, min_value=0, max_value=100,
                                   required=False)


class AnswersForm(Form):
    lines = forms.CharField(label="问卷回答（每行一份）", widget=forms.Textarea(attrs={"rows": 8}))


class IndicatorSystemForm(Form):
    org_code = forms.CharField(label="制定单位", max_length=40, widget=_org_picker("honours.approve"))
    name = forms.CharField(label="名称", max_length=100)
    honour_type = forms.ChoiceField(label="荣誉类别", choices=BLANK + HonourType.choices, required=False)
    total = forms.DecimalField(label="总分", max_digits=7, decimal_places=2, min_value=0, initial=100)
    tree = forms.CharField(label="指标（每行一项）", widget=forms.Textarea(attrs={"rows": 12}))


class ContestForm(Form):
    org_code = forms.CharField(label="组织单位", max_length=40, widget=_org_picker("honours.change"))
    name = forms.CharField(label="竞赛名称", max_length=200)
    kind = forms.ChoiceField(label="类别", choices=ContestKind.choices)
    start_on = DateField(label="开始日期")
    end_on = DateField(label="结束日期")
    events = forms.CharField(label="竞赛项目", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class EntryForm(Form):
    event = forms.TypedChoiceField(label="项目", coerce=int, choices=())
    org_code = forms.CharField(label="参赛单位", max_length=40, widget=_org_picker("honours.view"))
    name = forms.CharField(label="参赛者姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=20, required=False)
    team = forms.CharField(label="队伍", max_length=100, required=False)
    rank = forms.IntegerField(label="名次", min_value=1, required=False)
    score = forms.DecimalField(label="成绩", max_digits=8, decimal_places=2, required=False)
    award = forms.CharField(label="奖项", max_length=50, required=False)
    title_earned = forms.CharField(label="获得称号", max_length=50, required=False)
    prize = forms.DecimalField(label="奖金(元)", max_digits=12, decimal_places=2, min_value=0, required=False)


class InnovationForm(Form):
    org_code = forms.CharField(label="所属工会", max_length=40, widget=_org_picker("honours.change"))
    kind = forms.ChoiceField(label="类别", choices=InnovationKind.choices)
    title = forms.CharField(label="名称", max_length=200)
    proposer = forms.CharField(label="提出人", max_length=100, required=False)
    team = forms.CharField(label="班组/集体", max_length=100, required=False, widget=_team_picker("honours.change"))
    submitted_on = DateField(label="提出日期")


class DecideForm(Form):
    item = forms.TypedChoiceField(label="事项", coerce=int, choices=())
    adopted = forms.TypedChoiceField(label="结论", coerce=lambda v: v == "1", choices=[("1", "采纳"), ("0", "不采纳")])
    on = DateField(label="日期")
    benefit = forms.DecimalField(label="创造经济效益(元)", max_digits=12, decimal_places=2, min_value=0, required=False)
    reward = forms.DecimalField(label="奖励(元)", max_digits=12, decimal_places=2, min_value=0, required=False)
