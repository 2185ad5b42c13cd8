from django import forms

from gonghui.core import codes
from gonghui.core.forms import DateField, Form
from gonghui.core.pickers import PickerInput

from .models import (
    ETHNICITY_CHOICES,
    Employment,
    Gender,
    MemberStatus,
    employment_choices,
    hukou_choices,
    political_choices,
)

BLANK = [("", "—")]


def grouped_education() -> list:
    """学历 in the drop-down by level (GB/T 4658 groups), the group's own code first in each."""
    table = codes.get("education")
    groups: dict[str, list] = {}
    for entry in table.entries:
        groups.setdefault(entry.parent or entry.code, []).append((entry.code, entry.label))
    return [(table.label(group), items) for group, items in groups.items()]


class RosterFilterForm(Form):
    """The roster's filters (GET). Invalid values are ignored field by field, with a message."""

    org = forms.CharField(label="单位编码(含下级)", required=False,
                          widget=PickerInput("orgs:pick", {"perm": "members.view", "dissolved": "1"}))
    q = forms.CharField(label="查找", required=False,
                        widget=PickerInput("members:pick", attrs={"placeholder": "姓名、拼音、会员证号、身份证号或后4位"}))
    status = forms.ChoiceField(label="会籍状态", required=False,
                               choices=BLANK + [(MemberStatus.ACTIVE, "在会"), (MemberStatus.RETAINED, "保留会籍")])
    gender = forms.ChoiceField(label="性别", required=False, choices=BLANK + [("1", "男"), ("2", "女")])
    migrant = forms.ChoiceField(label="农民工", required=False, choices=BLANK + [("1", "是"), ("0", "否")])
    age_min = forms.IntegerField(label="年龄自", required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label="年龄至", required=False, min_value=0, max_value=120)
    joined_from = DateField(label="入会日期自", required=False)
    joined_to = DateField(label="入会日期至", required=False)


class PersonFields(Form):
    name = forms.CharField(label="姓名", max_length=50)
    ethnicity = forms.ChoiceField(label="民族", choices=ETHNICITY_CHOICES, initial="01")
    education = forms.ChoiceField(label="文化程度", choices=BLANK + grouped_education(), required=False)
    political = forms.ChoiceField(label="政治面貌", choices=BLANK + political_choices(), required=False)
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    hukou = forms.ChoiceField(label="户籍类型", choices=BLANK + hukou_choices(), required=False)
    is_migrant_worker = forms.BooleanField(label="农民工", required=False)
    employment = forms.ChoiceField(label="就业状态", choices=employment_choices(), initial=Employment.EMPLOYED)
    is_dispatched = forms.BooleanField(label="劳务派遣", required=False)


class JoinForm(PersonFields):
    union_code = forms.CharField(label="所在工会代码", max_length=40,
                                 widget=PickerInput("orgs:pick", {"perm": "members.change", "types": "member"}))
    id_number = forms.CharField(label="公民身份号码", max_length=20)
    gender = forms.TypedChoiceField(label="性别", choices=BLANK + Gender.choices, coerce=int, empty_value=None,
                                    required=False, help_text="可不填：按身份证号自动判断，填写则须与之相符。")
    joined_on = DateField(label="入会日期")
    card_no = forms.CharField(label="会员证号", max_length=40, required=False)
    employer_uscc = forms.CharField(label="工作单位统一社会信用代码", max_length=30, required=False,
                                    widget=PickerInput("orgs:pick_employers", {"perm": "members.view"}))

    field_order = ["union_code", "name", "id_number", "gender", "joined_on", "card_no"]


class EditForm(PersonFields):
    pass


class TransferForm(Form):
    to_union_code = forms.CharField(label="转入工会代码", max_length=40,
                                    widget=PickerInput("orgs:pick", {"perm": "members.view", "types": "member"}))
    effective_on = DateField(label="转会日期")
    reason = forms.CharField(label="原因", max_length=200, required=False)


class TransferRequestForm(Form):
    """转入申请: the receiving union asks for a person by ID number; the holding union decides."""

    union_code = forms.CharField(label="转入工会代码", max_length=40,
                                 widget=PickerInput("orgs:pick", {"perm": "members.change", "types": "member"}))
    id_number = forms.CharField(label="公民身份号码", max_length=20)
    effective_on = DateField(label="转会日期")
    reason = forms.CharField(label="原因", max_length=200, required=False)


class StatusForm(Form):
    effective_on = DateField(label="生效日期")
    reason = forms.CharField(label="原因", max_length=200, required=False)


class LeaveForm(StatusForm):
    status = forms.ChoiceField(label="方式", choices=[(MemberStatus.WITHDRAWN, "退会"), (MemberStatus.EXPELLED, "除名"),
                                                     (MemberStatus.DECEASED, "死亡")])


class RevealForm(Form):
    reason = forms.CharField(label="查看事由", max_length=200, help_text="查看完整身份证号和手机号会被记录。")


class DecideForm(Form):
    decision = forms.ChoiceField(choices=[("accept", "接收"), ("reject", "退回")], widget=forms.HiddenInput)
    note = forms.CharField(label="处理意见", max_length=200, required=False)
