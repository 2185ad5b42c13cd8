"""Forms of a member's transfer request, a delegate's 提案 and feedback, and the clerk's
delegate link (kept apart from forms.py, which serves joining, sign-in and help)."""

from django import forms

from gonghui.core.forms import DateField, Form
from gonghui.core.pickers import PickerInput
from gonghui.democracy.models import Category, Feedback


class TransferForm(Form):
    employer = forms.CharField(label="新的工作单位", max_length=200, required=False,
                               widget=PickerInput("portal:pick_employer",
                                                  attrs={"placeholder": "输入单位名称或统一社会信用代码"}),
                               help_text="输入单位名称后从候选项中选择，申请交给该单位的工会。")
    union = forms.CharField(label="没有工作单位的，选择接收您的社区（村）工会或联合基层工会", max_length=40, required=False,
                            widget=PickerInput("portal:pick_union", attrs={"placeholder": "输入社区、村或工会名称"}),
                            help_text="网约车司机、快递员、家政服务员等可选所在社区或联合基层工会。")
    effective_on = DateField(label="到新单位工作的日期", required=False,
                             help_text="留空即今天；不能晚于今天，也不能早于您在现工会的入会日期。")
    reason = forms.CharField(label="说明（可选）", max_length=150, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), help_text="如工作变动的情况，最多150字。")


class ProposalForm(Form):
    seat = forms.TypedChoiceField(label="职代会", coerce=int, help_text="您担任职工代表的职代会（本届）。")
    title = forms.CharField(label="案由", max_length=200, help_text="一句话写明提案要解决的问题，最多200字。")
    category = forms.ChoiceField(label="类别", choices=[("", "请选择"), *Category.choices],
                                 help_text="按提案内容选择，便于交给主办部门。")
    content = forms.CharField(label="理由和建议", max_length=3000, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text="写明情况、理由和具体建议，最多3000字。")

    def __init__(self, *args, seats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].choices = [(d.pk, f"{d.term.congress.name}（{d.term}）") for d in seats]


class FeedbackForm(Form):
    feedback = forms.ChoiceField(label="对答复的意见", choices=Feedback.choices, widget=forms.RadioSelect,
                                 help_text="只有提案人可以反馈；提交后提案即为“已反馈”。")
    note = forms.CharField(label="反馈说明（可选）", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}), help_text="不满意的，请写明理由，最多500字。")


class DelegateLinkForm(Form):
    id_number = forms.CharField(label="该代表的公民身份号码", max_length=18,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}),
                                help_text="须是本工会或下级工会的在会会员；关联后，该会员可在会员服务中提出和跟踪提案。")
