"""Forms of the 互助保障 pages: validated here for shape, by the services for the plan's rules."""

from django import forms

from gonghui.core.forms import DateField, Form

from .models import DocumentKind, PlanKind, Sex, Treatment


def date_field(label, required=True, **kw):
    return DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}), **kw)


class EnrolForm(Form):
    term = forms.TypedChoiceField(label="项目期次", coerce=int)
    union = forms.CharField(label="参保单位编码", max_length=40)
    enrolled_on = date_field("参保日期")
    units = forms.IntegerField(label="每人份数", min_value=1, initial=1)

    def __init__(self, *args, terms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [(t.pk, str(t)) for t in terms]


class ClaimForm(Form):
    registered_on = date_field("登记日期")
    diagnosis = forms.CharField(label="诊断结论", max_length=200)
    benefit_code = forms.ChoiceField(label="给付类别")
    diagnosed_on = date_field("确诊日期")
    hospital = forms.CharField(label="就诊医院", max_length=100)
    treatment = forms.ChoiceField(label="治疗方式", choices=Treatment.choices)

    def __init__(self, *args, benefits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["benefit_code"].choices = [(b.code, f"{b.name}（{b.amount_per_unit}元/份）") for b in benefits]


class ClaimStepForm(Form):
    on = date_field("办理日期")
    reason = forms.CharField(label="拒付理由", max_length=200, required=False)


class PlanForm(Form):
    code = forms.CharField(label="项目代码", max_length=20)
    name = forms.CharField(label="项目名称", max_length=100)
    kind = forms.ChoiceField(label="项目类别", choices=PlanKind.choices)
    sex = forms.TypedChoiceField(label="参保性别", choices=Sex.choices, coerce=int, initial=Sex.FEMALE)
    max_age_female = forms.IntegerField(label="女性参保年龄上限(不含)", min_value=16, max_value=70, initial=50)
    max_age_male = forms.IntegerField(label="男性参保年龄上限(不含)", min_value=16, max_value=70, initial=60)
    in_service_only = forms.BooleanField(label="仅限在岗职工", required=False, initial=True)
    unit_premium = forms.DecimalField(label="每份保费(元)", max_digits=12, decimal_places=2)
    term_months = forms.IntegerField(label="保障期限(月)", min_value=1, max_value=120, initial=12)
    max_units = forms.IntegerField(label="每人最多份数", min_value=1, max_value=20, initial=3)
    min_coverage = forms.DecimalField(label="单位最低参保率(%)", max_digits=5, decimal_places=2, initial=80)
    waiting_days = forms.IntegerField(label="等待期(天)", min_value=0, max_value=365, initial=90)
    condolence_after_days = forms.IntegerField(label="慰问金起付日(参保后第几天)", min_value=0, max_value=365, initial=30)
    condolence_amount = forms.DecimalField(label="等待期内慰问金(元/人)", max_digits=12, decimal_places=2, initial=0)
    renewal_grace_days = forms.IntegerField(label="续保宽限期(天)", min_value=0, max_value=365, initial=30)
    payout_ends_cover = forms.BooleanField(label="给付后保障责任终止", required=False, initial=True)
    benefits = forms.CharField(label="给付类别", widget=forms.Textarea(attrs={"rows": 3}))

    def clean_benefits(self):
        out = []
        for i, line in enumerate(self.cleaned_data["benefits"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) != 3:
                raise forms.ValidationError(f"第{i}行应为“代码,名称,每份给付金额”三项，用逗号分隔。")
            out.append({"code": parts[0], "name": parts[1], "amount_per_unit": parts[2]})
        return out


class PlanEditForm(PlanForm):
    """修改项目: the rules of a plan already set up (its code is what imports name it: kept)."""

    code = None
    active = forms.BooleanField(label="接受参保", required=False)
    note = forms.CharField(label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BatchAddForm(Form):
    enrolled_on = date_field("增补日期")
    units = forms.IntegerField(label="每人份数", min_value=1, initial=1)


class JoinAddForm(Form):
    """A new hire not on the roster: joins the union and is added to the batch at once."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=20)
    joined_on = date_field("入会日期")
    enrolled_on = date_field("增补日期")
    units = forms.IntegerField(label="份数", min_value=1, initial=1)


class TermForm(Form):
    name = forms.CharField(label="期次名称", max_length=50)
    opens_on = date_field("参保开始日期")
    closes_on = date_field("参保截止日期")


class PayeeForm(Form):
    payee_name = forms.CharField(label="收款人", max_length=50)
    bank_name = forms.CharField(label="开户银行", max_length=100)
    account = forms.CharField(label="银行账号", max_length=40, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))


class AccountRevealForm(Form):
    reason = forms.CharField(label="查看事由", max_length=200)


class ClaimDocumentForm(Form):
    kind = forms.ChoiceField(label="材料类别", choices=DocumentKind.choices)
    file = forms.FileField(label="文件")


class FormTemplateForm(Form):
    file = forms.FileField(label="参保单模板(.docx)")
