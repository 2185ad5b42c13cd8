from django import forms
from django.contrib.auth import get_user_model

from gonghui.core import scope
from gonghui.core.forms import DateField, Form
from gonghui.core.pickers import PickerInput

from . import conf
from .models import Channel, DisputeType, Gender, Kind, Mediation, MediationBody, Result, Satisfaction, Status

GENDER_CHOICES = [("", "—"), *Gender.choices]


def handler_choices(user, org=None):
    """Accounts that may handle the petitions of `org`: a grant with petitions.change on it or above
    it, the rule services._handler_ok applies, so the list offers no one who is then refused
    (issue 15 item 8). Without an org, those who may handle petitions somewhere in the user's scope."""
    from gonghui.accounts.models import Role

    roles = [r.pk for r in Role.objects.all() if "petitions.change" in r.permissions]
    users = get_user_model().objects.filter(is_active=True, grants__role__in=roles)
    if org is not None:
        step = len(org.path) // org.depth if org.depth else len(org.path)
        prefixes = [org.path[:i] for i in range(step, len(org.path) + 1, step)]
        users = users.filter(grants__org__path__in=prefixes, grants__org__dissolved_on__isnull=True)
    else:
        users = users.filter(scope.scope_q(user, "petitions.change", "grants__org__path"))
    users = users.distinct().order_by("username")
    return [("", "—")] + [(u.pk, f"{u.display_name or u.username}（{u.username}）") for u in users]


class RegisterForm(Form):
    org_code = forms.CharField(label="承办单位编码", max_length=40,
                               widget=PickerInput("orgs:pick", {"perm": "petitions.change"}))
    channel = forms.ChoiceField(label="渠道", choices=Channel.choices)
    received_on = DateField(label="收到日期")
    kind = forms.ChoiceField(label="类型", choices=Kind.choices, initial=Kind.CLAIM)
    category = forms.ChoiceField(label="诉求类别", choices=())
    title = forms.CharField(label="事由", max_length=200)
    content = forms.CharField(label="信访内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source_org_name = forms.CharField(label="转办单位", max_length=100, required=False,
                                      help_text="上级转办时必填，如“市总工会”。")
    source_ref = forms.CharField(label="转办文号", max_length=60, required=False)
    required_by = DateField(label="要求办结日期", required=False)
    reported_from_code = forms.CharField(label="上报单位编码", max_length=40, required=False,
                                         widget=PickerInput("orgs:pick", {"perm": "petitions.view"}),
                                         help_text="下级上报时必填。")
    name = forms.CharField(label="信访人姓名", max_length=50)
    gender = forms.TypedChoiceField(label="性别", choices=GENDER_CHOICES, coerce=int, empty_value=None,
                                    required=False)
    id_number = forms.CharField(label="证件号码", max_length=18, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    address = forms.CharField(label="住址", max_length=200, required=False)
    # Its hint (petitions.hints) says the main petitioner above counts already.
    others = forms.CharField(label="其他信访人或代表", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    people_count = forms.IntegerField(label="涉及人数", min_value=1, initial=1)
    employer_name = forms.CharField(label="所涉单位", max_length=200, required=False,
                                    widget=PickerInput("orgs:pick_employers", {"value": "name"}, attrs={"placeholder": "输入单位名称或拼音首字母"}))
    amount_claimed = forms.DecimalField(label="诉求金额（元）", min_value=0, decimal_places=2, required=False)
    is_urgent = forms.BooleanField(label="重大紧急", required=False)
    handler_a = forms.TypedChoiceField(label="承办人（A角）", coerce=int, empty_value=None, required=False)
    handler_b = forms.TypedChoiceField(label="替补（B角）", coerce=int, empty_value=None, required=False)

    def __init__(self, *args, user=None, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = conf.categories()
        self.fields["handler_a"].choices = self.fields["handler_b"].choices = handler_choices(user, org)

    def clean_others(self):
        """The main petitioner counts already: entering him again among the representatives listed
        him twice (issue 15 item 8)."""
        main = (self.cleaned_data.get("name") or "").strip()
        seen = set()
        for line in (self.cleaned_data.get("others") or "").splitlines():
            name = line.strip()
            if not name:
                continue
            if name == main:
                raise forms.ValidationError(f"“{name}”就是上面的信访人，已算1人，这里不要再写。")
            if name in seen:
                raise forms.ValidationError(f"“{name}”写了两次，每人只写一次。")
            seen.add(name)
        return self.cleaned_data.get("others") or ""

    def petitioners(self) -> list[dict]:
        d = self.cleaned_data
        main = {k: d.get(k) or "" for k in ("name", "id_number", "phone", "address")}
        main["gender"] = d.get("gender")
        others = [{"name": line.strip()} for line in (d.get("others") or "").splitlines() if line.strip()]
        return [main, *others]


class EditForm(Form):
    title = forms.CharField(label="事由", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=Kind.choices)
    category = forms.ChoiceField(label="诉求类别", choices=())
    content = forms.CharField(label="信访内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    people_count = forms.IntegerField(label="涉及人数", min_value=1)
    employer_name = forms.CharField(label="所涉单位", max_length=200, required=False,
                                    widget=PickerInput("orgs:pick_employers", {"value": "name"}, attrs={"placeholder": "输入单位名称或拼音首字母"}))
    amount_claimed = forms.DecimalField(label="诉求金额（元）", min_value=0, decimal_places=2, required=False)
    is_urgent = forms.BooleanField(label="重大紧急", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = conf.categories()


class FilterForm(Form):
    q = forms.CharField(label="编号或事由", required=False)
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *Status.choices], required=False)
    channel = forms.ChoiceField(label="渠道", choices=[("", "全部"), *Channel.choices], required=False)
    org = forms.CharField(label="单位编码", required=False,
                          widget=PickerInput("orgs:pick", {"perm": "petitions.view", "dissolved": "1"}))
    received_from = DateField(label="收到日期自", required=False)
    received_to = DateField(label="至", required=False)
    overdue = forms.BooleanField(label="仅逾期", required=False)
    mine = forms.BooleanField(label="我承办的", required=False)


class DateNoteForm(Form):
    on = DateField(label="日期")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(Form):
    notice_on = DateField(label="告知日期")
    note = forms.CharField(label="告知内容/办理方式", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(Form):
    notice_on = DateField(label="告知日期")
    reason = forms.CharField(label="不予受理理由", widget=forms.Textarea(attrs={"rows": 3}))


class ForwardForm(Form):
    to_code = forms.CharField(label="转办至（下级单位编码）", max_length=40,
                              widget=PickerInput("orgs:pick", {"perm": "petitions.change"}))
    on = DateField(label="转办日期")
    note = forms.CharField(label="转办意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(Form):
    on = DateField(label="日期")
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class ProgressForm(Form):
    on = DateField(label="办理日期")
    note = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(Form):
    replied_on = DateField(label="答复日期")
    result = forms.ChoiceField(label="处理结果", choices=Result.choices)
    summary = forms.CharField(label="答复意见（处理意见书要点）", widget=forms.Textarea(attrs={"rows": 3}))
    amount_recovered = forms.DecimalField(label="追回金额（元）", min_value=0, decimal_places=2, required=False)


class CloseForm(Form):
    closed_on = DateField(label="办结日期")
    satisfaction = forms.ChoiceField(label="信访人满意度", choices=Satisfaction.choices)


class ReviewRequestForm(Form):
    requested_on = DateField(label="申请日期")


class ReviewReplyForm(Form):
    replied_on = DateField(label="答复日期")
    summary = forms.CharField(label="答复意见", widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(Form):
    requested_on = DateField(label="申请日期")
    reason = forms.CharField(label="延期理由（须告知信访人）", widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(Form):
    decided_on = DateField(label="审批日期")
    approve = forms.TypedChoiceField(label="审批结果", choices=[("1", "批准延期30日"), ("0", "不批准")],
                                     coerce=lambda v: v == "1")
    note = forms.CharField(label="审批意见", required=False)


class AssignForm(Form):
    handler_a = forms.TypedChoiceField(label="承办人（A角）", coerce=int, empty_value=None)
    handler_b = forms.TypedChoiceField(label="替补（B角）", coerce=int, empty_value=None, required=False)

    def __init__(self, *args, user=None, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler_a"].choices = self.fields["handler_b"].choices = handler_choices(user, org)


class AbsenceForm(Form):
    org_code = forms.CharField(label="单位编码", max_length=40,
                               widget=PickerInput("orgs:pick", {"perm": "petitions.change"}))
    user = forms.TypedChoiceField(label="承办人", coerce=int, empty_value=None)
    starts_on = DateField(label="自")
    ends_on = DateField(label="至")
    reason = forms.CharField(label="事由", max_length=200, required=False)

    def __init__(self, *args, user=None, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = handler_choices(user, org)


class RevealForm(Form):
    reason = forms.CharField(label="查看事由", max_length=200)


class MediationForm(Form):
    org_code = forms.CharField(label="所属工会编码", max_length=40,
                               widget=PickerInput("orgs:pick", {"perm": "petitions.change"}))
    body = forms.ChoiceField(label="调解组织", choices=MediationBody.choices)
    mode = forms.ChoiceField(label="申请方式", choices=Mediation.Mode.choices)
    applied_on = DateField(label="申请（收到）日期")
    applicant_name = forms.CharField(label="申请人", max_length=100)
    applicant_gender = forms.TypedChoiceField(label="性别", choices=GENDER_CHOICES, coerce=int, empty_value=None,
                                              required=False)
    applicant_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    worker_count = forms.IntegerField(label="涉及职工人数", min_value=1, initial=1)
    employer_name = forms.CharField(label="被申请人（用人单位）", max_length=200,
                                    widget=PickerInput("orgs:pick_employers", {"value": "name"}, attrs={"placeholder": "输入单位名称或拼音首字母"}))
    dispute_type = forms.ChoiceField(label="争议类型", choices=DisputeType.choices)
    matter = forms.CharField(label="争议事项与理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    amount_claimed = forms.DecimalField(label="标的金额（元）", min_value=0, decimal_places=2, required=False)
    mediator = forms.CharField(label="调解员", max_length=50, required=False)


class SessionForm(Form):
    held_on = DateField(label="调解日期")
    notes = forms.CharField(label="调解记录", widget=forms.Textarea(attrs={"rows": 3}))


class MediationCloseForm(Form):
    state = forms.ChoiceField(label="结果", choices=[(Mediation.State.SUCCEEDED, "调解成功"),
                                                    (Mediation.State.FAILED, "调解不成（告知申请仲裁）"),
                                                    (Mediation.State.WITHDRAWN, "撤回")])
    closed_on = DateField(label="结案日期")
    agreement_terms = forms.CharField(label="协议内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    agreed_amount = forms.DecimalField(label="协议金额（元）", min_value=0, decimal_places=2, required=False)
    performance_due = DateField(label="履行期限", required=False)
    note = forms.CharField(label="说明", max_length=500, required=False)
