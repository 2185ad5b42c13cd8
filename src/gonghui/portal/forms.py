from django import forms

from gonghui.assistance.intake import SCHOOLING_CHOICES
from gonghui.assistance.models import Category
from gonghui.core.errors import ServiceError
from gonghui.core.forms import DateField, Form
from gonghui.core.identifiers import parse_id_number
from gonghui.core.pickers import PickerInput

from .models import HelpKind, RightsKind


class ApplyForm(Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=18,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text",
                                                              "data-id-number": ""}),
                                help_text="18位，最后一位可以是X；提交前会校验。")
    phone = forms.CharField(label="手机号码", max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))
    employer = forms.CharField(label="工作单位", max_length=200, required=False,
                               widget=PickerInput("portal:pick_employer",
                                                  attrs={"placeholder": "输入单位名称或统一社会信用代码"}),
                               help_text="输入单位名称后从候选项中选择。")
    area = forms.CharField(label="没有工作单位的，选择所在乡镇（街道）或行业工会", max_length=40, required=False,
                           widget=PickerInput("portal:pick_area", attrs={"placeholder": "输入乡镇、街道或行业名称"}),
                           help_text="网约车司机、快递员、家政服务员等新就业形态劳动者可选所在地或行业工会。")
    consent = forms.BooleanField(label="我已阅读并同意《个人信息保护告知书》", required=False)

    def clean_id_number(self):
        """GB 11643 before anything else is looked up (core.identifiers)."""
        value = self.cleaned_data["id_number"]
        try:
            return parse_id_number(value).number
        except ServiceError as err:
            raise forms.ValidationError(err.messages[0]) from err


class StatusForm(Form):
    ref = forms.CharField(label="申请编号", max_length=12)
    id_number = forms.CharField(label="公民身份号码", max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off"}))


class SignInForm(Form):
    id_number = forms.CharField(label="公民身份号码", max_length=18, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class ActivateForm(Form):
    id_number = forms.CharField(label="公民身份号码", max_length=18, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    code = forms.CharField(label="激活码", max_length=8, help_text="工会批准入会时打印或告知的8位激活码。")
    password = forms.CharField(label="设置密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text="至少12位，包含字母、数字和符号中的三类。")
    password2 = forms.CharField(label="再次输入密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class RightsForm(Form):
    kind = forms.ChoiceField(label="请求类型", choices=[("", "请选择"), *RightsKind.choices])
    detail = forms.CharField(label="请求内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="如申请更正，请写明哪项信息有误、正确的内容是什么。")


class AcceptForm(Form):
    join_union = forms.CharField(label="接收会员的基层工会", max_length=40, required=False,
                                 widget=PickerInput("orgs:pick", {"perm": "portal.change", "types": "member"}),
                                 help_text="申请交到乡镇（街道）工会的，选择接收的联合基层工会或社区工会；留空即受理工会。")
    joined_on = DateField(label="入会日期", required=False)


class RefuseForm(Form):
    reason = forms.CharField(label="不予批准的理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(Form):
    reply = forms.CharField(label="答复内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    refuse = forms.BooleanField(label="不予办理（须在答复中说明法律依据）", required=False)


class HelpForm(Form):
    kind = forms.ChoiceField(label="申请类型", choices=[("", "请选择"), *HelpKind.choices])
    reason = forms.CharField(label="家庭困难情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="家庭人口、收入、困难原因等。")
    student_name = forms.CharField(label="受助子女姓名（金秋助学）", max_length=50, required=False)
    school = forms.CharField(label="就读学校及年级（金秋助学）", max_length=100, required=False)
    attachment = forms.FileField(label="证明材料（可选）", required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
                                 help_text="PDF 或 JPG、PNG 图片，不超过5MB，如录取通知书、困难证明。")


class HelpDecideForm(Form):
    """受理 (the case opened in the assistance line) or 不予受理, with the reply the member reads.
    The fields after `register` are the intake's: what the member could not say."""

    reply = forms.CharField(label="答复内容", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    register = forms.BooleanField(label="受理：在“困难职工帮扶”中建立（或沿用）档案并登记帮扶申请", required=False,
                                  help_text="不勾选为不予受理，答复内容即理由。")
    amount_requested = forms.DecimalField(label="申请金额（元）", max_digits=12, decimal_places=2, required=False,
                                          min_value=0)
    category = forms.ChoiceField(label="困难类别（尚无档案时新建档案用）", required=False,
                                 choices=[("", "请选择"), *Category.choices])
    school_level = forms.ChoiceField(label="受助子女就读阶段（金秋助学）", required=False,
                                     choices=[("", "请选择"), *SCHOOLING_CHOICES])
    student_birth_date = DateField(label="受助子女出生日期（档案中尚未登记该子女时）", required=False)
    student_gender = forms.TypedChoiceField(label="受助子女性别", required=False, coerce=int, empty_value=None,
                                            choices=[("", "请选择"), (1, "男"), (2, "女")])


def survey_form(survey):
    """One choice field per item of a 会员评家 survey (honours.Verdict's scale)."""
    from gonghui.honours.models import Verdict

    fields = {f"item{i}": forms.ChoiceField(label=item, choices=Verdict.choices, widget=forms.RadioSelect)
              for i, item in enumerate(survey.items)}
    return type("SurveyForm", (Form,), fields)


class PasskeyAddForm(Form):
    name = forms.CharField(label="名称", max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"}),
                           help_text="如“我的手机”，以便日后区分和删除。")
    password = forms.CharField(label="登录密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               help_text="添加通行密钥前须确认是您本人。")


class PasskeyRemoveForm(Form):
    password = forms.CharField(label="登录密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               help_text="删除前须确认是您本人。")
