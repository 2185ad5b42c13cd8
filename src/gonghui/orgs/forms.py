from django import forms

from gonghui.core import codes, identifiers
from gonghui.core.errors import ServiceError
from gonghui.core.forms import BootstrapMixin, DateField, Form
from gonghui.core.pickers import PickerInput

from .models import CHILD_TYPES, Employer, Org, OrgStatus, OrgType

TERM_CHOICES = [("", "—"), (3, "3年"), (5, "5年")]


class CodeField(forms.CharField):
    """A code of a big national table (GB/T 2260, GB/T 4754), typed as its code or its name; stores the code."""

    def __init__(self, table: str, **kwargs):
        self.table = table
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # The form shows "430121 长沙县" for a stored code, so the clerk sees what the code means.
        table = codes.get(self.table)
        if value and value in table.by_code:
            return f"{value} {table.label(value)}"
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        table = codes.get(self.table)
        text = value.split(" ", 1)[0] if value.split(" ", 1)[0] in table.by_code else value
        code = table.code_of(text)
        if not code:
            raise forms.ValidationError(f"“{value}”不是{table.name}的代码或名称（{table.standard}）。")
        return code


def code_choices(table: str) -> list[tuple[str, str]]:
    return [("", "—"), *((c, f"{c} {label}") for c, label in codes.get(table).choices)]


class FoundForm(Form):
    name = forms.CharField(label="工会名称", max_length=200)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    org_type = forms.ChoiceField(label="组织类型", choices=OrgType.choices, initial=OrgType.GRASSROOTS)
    code = forms.CharField(label="组织编码", max_length=40, required=False, help_text="留空则自动编号。")
    founded_on = DateField(label="成立(批准)日期")
    approval_no = forms.CharField(label="批准文号", max_length=100, required=False)
    elected_on = DateField(label="首届选举日期", required=False)
    term_years = forms.TypedChoiceField(label="任期", choices=TERM_CHOICES, coerce=int, empty_value=None,
                                        required=False)
    chair_name = forms.CharField(label="工会主席", max_length=50, required=False)
    womens_committee_on = DateField(label="女职工委员会成立日期", required=False)
    audit_committee_on = DateField(label="经费审查委员会成立日期", required=False)
    address = forms.CharField(label="办公地址", max_length=200, required=False)
    region_code = CodeField("region", label="行政区划代码")
    contact_person = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)

    def __init__(self, *args, parent: Org | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if parent is not None:
            # Most new unions are in their parent's county: offered, not imposed.
            self.fields["region_code"].initial = parent.region_code
            # Only the types that may stand under this parent (models.CHILD_TYPES).
            allowed = CHILD_TYPES.get(parent.org_type, ())
            self.fields["org_type"].choices = [(t, OrgType(t).label) for t in allowed]
            # A type from elsewhere (an old form, a crafted post) is refused with the rule, in Chinese.
            labels = "、".join(OrgType(t).label for t in allowed)
            self.fields["org_type"].error_messages["invalid_choice"] = (
                f"“{parent.name}”是{OrgType(parent.org_type).label}，其下只能设{labels}。" if allowed
                else f"“{parent.name}”是{OrgType(parent.org_type).label}，其下不能再设下级组织。")
            if OrgType.GRASSROOTS not in allowed:
                self.fields["org_type"].initial = allowed[0] if allowed else None


class OrgEditForm(BootstrapMixin, forms.ModelForm):
    region_code = CodeField("region", label="行政区划代码", help_text="GB/T 2260 的6位代码，或省市县全称。")

    class Meta:
        model = Org
        fields = ["short_name", "approval_no", "region_code", "address", "contact_person", "contact_phone",
                  "chair_name", "womens_committee_on", "audit_committee_on", "status", "funding_parent"]
        widgets = {"womens_committee_on": forms.DateInput, "audit_committee_on": forms.DateInput}
        help_texts = {"funding_parent": "经费收缴关系与组织(领导)关系不同时填写；留空即为上级工会。"}

    def __init__(self, *args, funding_parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in OrgStatus.choices if c[0] != OrgStatus.DISSOLVED]
        self.fields["funding_parent"].queryset = funding_parents if funding_parents is not None else Org.objects.none()


class RenameForm(Form):
    new_name = forms.CharField(label="新名称", max_length=200)
    new_short_name = forms.CharField(label="新简称", max_length=50, required=False)
    effective_on = DateField(label="更名日期")


class MoveForm(Form):
    new_parent = forms.ModelChoiceField(label="转入的上级工会", queryset=Org.objects.none())
    effective_on = DateField(label="转移日期")

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents if parents is not None else Org.objects.none()


class ReelectForm(Form):
    elected_on = DateField(label="选举日期")
    term_years = forms.TypedChoiceField(label="任期", choices=TERM_CHOICES[1:], coerce=int)
    chair_name = forms.CharField(label="当选主席", max_length=50, required=False)


class TypeChangeForm(Form):
    new_type = forms.ChoiceField(label="新类型", choices=OrgType.choices)
    effective_on = DateField(label="变更日期")

    def __init__(self, *args, org: Org | None = None, parent: Org | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if org is not None and parent is not None:
            allowed = CHILD_TYPES.get(parent.org_type, ())
            self.fields["new_type"].choices = [(t, OrgType(t).label) for t in allowed if t != org.org_type]


class DissolveForm(Form):
    dissolved_on = DateField(label="注销日期")
    reason = forms.CharField(label="注销原因", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class LegalForm(Form):
    uscc = forms.CharField(label="统一社会信用代码", max_length=30)
    cert_no = forms.CharField(label="法人资格证书号", max_length=50)
    issued_on = DateField(label="发证日期")
    valid_until = DateField(label="有效期至", required=False)


class EmployerForm(BootstrapMixin, forms.ModelForm):
    REQUIRED_CHOICES = [("", "按人数规则"), ("true", "是"), ("false", "否")]
    unit_category = forms.ChoiceField(label="单位类别", required=False, choices=lambda: code_choices("unit_category"))
    economic_type = forms.ChoiceField(label="经济类型", required=False, choices=lambda: code_choices("economic_type"))
    industry = CodeField("industry", label="行业（GB/T 4754）", help_text="国民经济行业分类的代码（如 1311）或名称。")
    region_code = CodeField("region", label="行政区划代码", help_text="GB/T 2260 的6位代码，或省市县全称。")
    org_code = forms.CharField(label="组织机构代码", max_length=10, required=False,
                               help_text="9位（统一社会信用代码启用前的代码），可带“-”。")
    required_override = forms.TypedChoiceField(
        label="应建会(人工认定)", choices=REQUIRED_CHOICES, required=False, empty_value=None,
        coerce=lambda v: {"true": True, "false": False}.get(v),
    )

    class Meta:
        model = Employer
        fields = ["name", "uscc", "org_code", "ownership", "unit_category", "economic_type", "industry", "headcount",
                  "women_count", "migrant_count", "is_fortune500", "is_above_scale", "required_override",
                  "registered_on", "closed_on", "region_code", "address", "contact_person", "contact_phone"]
        widgets = {"registered_on": forms.DateInput, "closed_on": forms.DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.required_override is not None:
            self.initial["required_override"] = "true" if self.instance.required_override else "false"

    def clean_org_code(self):
        # Checked here too, so a wrong check digit is reported with the form's other errors at once.
        try:
            return identifiers.clean_org_code(self.cleaned_data.get("org_code"))
        except ServiceError as err:
            raise forms.ValidationError(err.messages[0]) from err

    def _post_clean(self):
        # Validation of uniqueness and rules is the service's job; keep only field cleaning here.
        pass


class EmployerOrgForm(Form):
    org = forms.ModelChoiceField(label="属地工会", queryset=Org.objects.none())

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()


class CoverageForm(Form):
    union_code = forms.CharField(label="覆盖工会编码", max_length=40,
                                 widget=PickerInput("orgs:pick", {"perm": "employers.change", "types": "grassroots"}))
    valid_from = DateField(label="覆盖起始日期")


class CoverageEndForm(Form):
    valid_to = DateField(label="终止日期")
