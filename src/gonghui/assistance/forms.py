from django import forms

from gonghui.core import codes
from gonghui.core.forms import DateField, Form
from gonghui.core.pickers import PickerInput

from . import conf
from .models import (
    ApplicationStatus,
    ArchiveStatus,
    AssistanceType,
    Beneficiary,
    Category,
    Cause,
    ExpenseKind,
    Health,
    Helper,
    PayMethod,
    Relation,
    Schooling,
    WorkStatus,
)

BLANK = [("", "—")]
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
YES_NO = [("", "—"), ("true", "是"), ("false", "否")]


def code_choice(label: str, key: str, **kwargs) -> forms.ChoiceField:
    """An optional code-table field (core.codes): the table's labels, the code stored."""
    return forms.ChoiceField(label=label, required=False, choices=BLANK + codes.get(key).choices, **kwargs)


def yes_no(label: str, **kwargs) -> forms.TypedChoiceField:
    """是 / 否 / not stated (the form's 是否 questions that may be left blank)."""
    return forms.TypedChoiceField(label=label, required=False, choices=YES_NO,
                                  coerce=lambda v: v == "true", empty_value=None, **kwargs)


class ArchiveFormFields(forms.Form):
    """The national 困难职工档案表 fields beyond the per-capita test (DOMAIN §4.2), shared by the
    create and edit forms."""

    ethnicity = code_choice("民族", "ethnicity", help_text="按 GB/T 3304 民族名称选择，与户口簿一致。")
    political = code_choice("政治面貌", "political", help_text="按 GB/T 4762 选择；民主党派成员选具体党派。")
    disability = code_choice("残疾类别", "hardship_disability", help_text="健康状况为“残疾”时填写。")
    model_worker_type = code_choice("劳模类型", "hardship_model_worker", help_text="户主是劳动模范的选其称号级别，不是的选“非劳模”。")
    marital = code_choice("婚姻状况", "marital", help_text="按 GB/T 2261.2 选择，以民政登记为准。")
    hukou_type = code_choice("户口类型", "hardship_hukou", help_text="按户口簿上的户别选择。")
    address = forms.CharField(label="家庭住址", max_length=200, required=False,
                              help_text="现居住地址，写到门牌号；仅有查看敏感信息权限的人可见。")
    housing_type = code_choice("住房类型", "hardship_housing", help_text="按现居住房屋的产权或租住情况选择。")
    housing_area = code_choice("住房面积(建筑面积，平方米)", "hardship_housing_area",
                               help_text="按房产证或租房合同上的建筑面积选择所在档次。")
    unit_nature = code_choice("单位性质", "hardship_unit_nature", help_text="户主所在单位的性质；无单位的选“其他”。")
    enterprise_status = code_choice("企业状况", "hardship_enterprise_status",
                                    help_text="户主所在企业的经营状况（如正常、停产半停产、破产）；非企业留空。")
    medical_insurance = code_choice("医保状况", "hardship_medical", help_text="参加的基本医疗保险种类；未参保的选“未参保”。")
    self_help = yes_no("是否有一定自救能力", help_text="家庭中有劳动能力、能通过就业等改善生活的选“是”。")
    declared_annual_income = forms.DecimalField(label="家庭年度总收入(元，按档案表填报)", required=False, **MONEY,
                                                help_text="档案表上填报的数；人均收入仍按上面的收入和家庭成员计算。")
    bank_branch = forms.CharField(label="开户网点(支行名称)", max_length=100, required=False,
                                  help_text="发放救助金的银行卡开户支行，如“工商银行××支行”。")
    filed_by_name = forms.CharField(label="建档人", max_length=50, required=False, help_text="入户调查、填写档案表的工会工作人员。")
    checked_by_name = forms.CharField(label="审核人", max_length=50, required=False, help_text="审核档案表的上级工会工作人员。")
    entered_by_name = forms.CharField(label="录入人", max_length=50, required=False, help_text="把纸质档案表录入系统的人；留空即为本人。")


class ArchiveFilterForm(Form):
    q = forms.CharField(label="户主姓名", required=False)
    org = forms.CharField(label="单位编码(含下级)", required=False,
                          widget=PickerInput("orgs:pick", {"perm": "assistance.view", "dissolved": "1"}))
    status = forms.ChoiceField(label="状态", required=False, choices=BLANK + ArchiveStatus.choices)
    category = forms.ChoiceField(label="类别", required=False, choices=BLANK + Category.choices)
    gender = forms.TypedChoiceField(label="户主性别", required=False, choices=BLANK + [(1, "男"), (2, "女")],
                                    coerce=int, empty_value=None)
    review_due = forms.BooleanField(label="复核到期", required=False)


class CategoryConfirmMixin:
    """A form whose save re-assesses the household: when the suggested category would move away
    from the archive's category the service refuses (services.CategoryUnconfirmed) and
    `ask_category` shows the change and a choice; the clerk's choice goes back as
    `confirm_category`, which the service records. Hidden until asked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm_category"] = forms.ChoiceField(
            label="确认困难类别", required=False, choices=BLANK + Category.choices, widget=forms.HiddenInput)
        if self.is_bound and self.data.get("confirm_category"):
            self._show_choice()  # asked before: the choice stays in view with the rest

    def _show_choice(self, current: str = "", proposed: str = "") -> None:
        field = self.fields["confirm_category"]
        field.widget = forms.Select(attrs={"class": "form-select"})
        names = dict(Category.choices)
        options = []
        if current:
            options.append((current, f"保持“{names[current]}”"))
        if proposed and proposed != current:
            options.append((proposed, f"改为系统建议的“{names[proposed]}”"))
        options += [(c, f"改为“{label}”") for c, label in Category.choices if c not in (current, proposed)]
        field.choices = options or Category.choices

    def ask_category(self, err) -> None:
        self._show_choice(err.current, err.proposed)
        self.data = self.data.copy()
        self.data["confirm_category"] = err.proposed or err.current
        self.add_error(None, err.messages)


class ArchiveForm(ArchiveFormFields, Form):
    union_code = forms.CharField(label="建档单位（工会代码）", max_length=40,
                                 widget=PickerInput("orgs:pick", {"perm": "assistance.change"}))
    head_name = forms.CharField(label="户主姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=20)
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    region_code = forms.CharField(label="户口所在地行政区划代码", max_length=6, min_length=6,
                                  help_text="6位代码，用于查找当地低保标准。")
    work_unit = forms.CharField(label="工作单位", max_length=200, required=False)
    work_status = forms.ChoiceField(label="工作状态", choices=WorkStatus.choices)
    health = forms.ChoiceField(label="健康状况", choices=Health.form_choices)
    is_model_worker = forms.BooleanField(label="劳模", required=False)
    household_size = forms.IntegerField(label="家庭人口数（含户主）", min_value=1, max_value=20,
                                        help_text="共同生活的家庭人口。家庭成员登记齐全之前，人均收入按此人数计算。")
    monthly_wage = forms.DecimalField(label="本人月平均收入(元)", **MONEY)
    other_income = forms.DecimalField(label="家庭其他非薪资年收入(元)", initial=0, **MONEY)
    accident_loss = forms.DecimalField(label="致困费用/损失(元)", initial=0, required=False, **MONEY,
                                       help_text="意外致困时填写。")
    main_cause = forms.ChoiceField(label="主要致困原因", choices=BLANK + Cause.choices)
    secondary_causes = forms.MultipleChoiceField(label="次要致困原因（最多三项）", choices=Cause.choices, required=False,
                                                 widget=forms.SelectMultiple(attrs={"size": 5}))
    cause_note = forms.CharField(label="致困原因说明", max_length=200, required=False)
    category = forms.ChoiceField(label="困难类别", choices=[("", "按系统建议")] + Category.choices, required=False,
                                 help_text="留空则采用系统按人均收入与低保标准建议的类别。")
    is_zero_employment = forms.BooleanField(label="零就业家庭", required=False)
    is_single_parent = forms.BooleanField(label="单亲家庭", required=False)
    bank_name = forms.CharField(label="开户银行", max_length=100, required=False)
    bank_account = forms.CharField(label="银行卡号", max_length=30, required=False)
    created_on = DateField(label="建档日期")


def _form_fields_last(form_class) -> None:
    """The shared form fields after the form's own (Django puts a base class's fields first)."""
    own = [n for n in form_class.base_fields if n not in ArchiveFormFields.base_fields]
    dates = [n for n in own if n in ("created_on", "on")]
    form_class.field_order = [n for n in own if n not in dates] + list(ArchiveFormFields.base_fields) + dates


_form_fields_last(ArchiveForm)


class ArchiveEditForm(CategoryConfirmMixin, ArchiveFormFields, Form):
    phone = forms.CharField(label="手机号码", max_length=20, required=False, help_text="留空则不修改。")
    work_unit = forms.CharField(label="工作单位", max_length=200, required=False)
    work_status = forms.ChoiceField(label="工作状态", choices=WorkStatus.choices)
    health = forms.ChoiceField(label="健康状况", choices=Health.choices)
    is_model_worker = forms.BooleanField(label="劳模", required=False)
    main_cause = forms.ChoiceField(label="主要致困原因", choices=Cause.choices)
    secondary_causes = forms.MultipleChoiceField(label="次要致困原因（最多三项）", choices=Cause.choices, required=False,
                                                 widget=forms.SelectMultiple(attrs={"size": 5}))
    cause_note = forms.CharField(label="致困原因说明", max_length=200, required=False)
    household_size = forms.IntegerField(label="家庭人口数（含户主）", required=False, min_value=1, max_value=20,
                                        help_text="留空则不修改。")
    monthly_wage = forms.DecimalField(label="本人月平均收入(元)", required=False, **MONEY, help_text="留空则不修改。")
    other_income = forms.DecimalField(label="家庭其他非薪资年收入(元)", required=False, **MONEY,
                                      help_text="留空则不修改。")
    accident_loss = forms.DecimalField(label="致困费用/损失(元)", required=False, **MONEY, help_text="留空则不修改。")
    is_zero_employment = forms.BooleanField(label="零就业家庭", required=False)
    is_single_parent = forms.BooleanField(label="单亲家庭", required=False)
    bank_name = forms.CharField(label="开户银行", max_length=100, required=False)
    bank_account = forms.CharField(label="银行卡号", max_length=30, required=False, help_text="留空则不修改。")
    on = DateField(label="修改日期")


_form_fields_last(ArchiveEditForm)


class FamilyForm(CategoryConfirmMixin, Form):
    name = forms.CharField(label="姓名", max_length=50)
    relation = forms.ChoiceField(label="与户主关系", choices=Relation.choices)
    id_number = forms.CharField(label="身份证号", max_length=20, required=False,
                                help_text="有身份证的须填写；填写后出生日期和性别以身份证号为准。")
    birth_date = DateField(label="出生日期", required=False)
    gender = forms.TypedChoiceField(label="性别", choices=[(1, "男"), (2, "女")], coerce=int)
    ethnicity = code_choice("民族", "ethnicity", help_text="按 GB/T 3304 民族名称选择，与户口簿一致。")
    health = forms.ChoiceField(label="健康状况", choices=Health.form_choices)
    medical_insurance = code_choice("医保状况", "hardship_medical", help_text="参加的基本医疗保险种类；未参保的选“未参保”。")
    marital = code_choice("婚姻状况", "marital", help_text="按 GB/T 2261.2 选择，以民政登记为准。")
    hukou_type = code_choice("户口类型", "hardship_hukou", help_text="按户口簿上的户别选择。")
    identity = code_choice("人员身份", "hardship_identity", help_text="该家庭成员目前的身份，如在岗、退休、学生、务农。")
    work_status = forms.CharField(label="就业/身份(说明)", max_length=20, required=False)
    monthly_income = forms.DecimalField(label="月收入(元)", initial=0, **MONEY)
    schooling = forms.ChoiceField(label="当前就读", choices=Schooling.choices, required=False)
    school = forms.CharField(label="学校或单位", max_length=100, required=False)
    lives_together = forms.BooleanField(label="共同生活", required=False, initial=True)
    on = DateField(label="登记日期")


class ExpenseForm(CategoryConfirmMixin, Form):
    kind = forms.ChoiceField(label="类型", choices=ExpenseKind.choices)
    annual_amount = forms.DecimalField(label="年金额(元)", **MONEY)
    note = forms.CharField(label="说明", max_length=200, required=False)
    on = DateField(label="登记日期")


class DateOnlyForm(Form):
    on = DateField(label="日期")


class ReviewPassForm(Form):
    on = DateField(label="复核日期")
    monthly_wage = forms.DecimalField(label="本人月平均收入(元)", required=False, **MONEY,
                                      help_text="留空则不变。")
    other_income = forms.DecimalField(label="家庭其他非薪资年收入(元)", required=False, **MONEY)
    category = forms.ChoiceField(label="复核后类别", choices=Category.choices)
    note = forms.CharField(label="复核意见", max_length=200, required=False)


class ExitForm(Form):
    on = DateField(label="出档日期")
    status = forms.ChoiceField(label="出档方式", choices=[(ArchiveStatus.RECOVERED, "脱困"),
                                                        (ArchiveStatus.RELIEVED, "解困（政府兜底+常态化帮扶）"),
                                                        (ArchiveStatus.EXITED, "退出（死亡、不符合条件、公示有异议等）")])
    reason = forms.CharField(label="原因", max_length=200)


class ApplicationForm(Form):
    type = forms.ChoiceField(label="帮扶类型", choices=AssistanceType.choices)
    amount_requested = forms.DecimalField(label="申请金额(元)", **MONEY)
    reason = forms.CharField(label="申请理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    documents = forms.CharField(label="附件材料", max_length=500, required=False,
                                help_text="如：收入证明、医院诊断及医药费单据、学籍证明。")
    campaign = forms.TypedChoiceField(label="帮扶活动", required=False, coerce=int, empty_value=None)
    student = forms.TypedChoiceField(label="受助学生（金秋助学）", required=False, coerce=int, empty_value=None)
    school_level = forms.ChoiceField(label="就读阶段（金秋助学）", required=False, choices=BLANK + [
        (v, label) for v, label in Schooling.choices if v and v != Schooling.PRESCHOOL],
        help_text="留空为家庭成员登记的学历。")
    beneficiary = forms.ChoiceField(label="受助对象类别", choices=Beneficiary.choices, required=False,
                                    help_text="送温暖等慰问按对象类别统计（离退休职工、劳动模范、伤残职工……）。")
    applied_on = DateField(label="申请日期")
    attachment = forms.FileField(label="上传附件", required=False,
                                 help_text="可选：扫描件或照片（PDF、JPG、PNG、Word、Excel，10 MB 以内）。")

    def __init__(self, *args, campaigns=(), students=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = BLANK + [(c.pk, c.name) for c in campaigns]
        self.fields["student"].choices = BLANK + [(s.pk, s.label) for s in students]


def suggested_beneficiary(archive) -> str:
    """The form's first guess at whom the aid reaches, from the archive; the clerk may change it."""
    if archive.is_model_worker:
        return Beneficiary.MODEL_WORKER
    if archive.work_status == WorkStatus.RETIRED:
        return Beneficiary.RETIRED
    if archive.health == Health.DISABLED:
        return Beneficiary.DISABLED
    return Beneficiary.HARDSHIP


class DecisionForm(Form):
    decision = forms.ChoiceField(label="结论", choices=[("yes", "通过"), ("no", "不通过")])
    on = DateField(label="日期")
    amount_approved = forms.DecimalField(label="批准金额(元)", required=False, **MONEY,
                                         help_text="审批时填写；留空为申请金额。")
    note = forms.CharField(label="意见", max_length=200, required=False)


class ScreenForm(DecisionForm):
    """初审 on the application page, beside the 审核/审批 form: its own element ids."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "screen-%s")
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("yes", "初步符合条件"), ("no", "不符合条件")]
        del self.fields["amount_approved"]


class PaymentForm(Form):
    paid_on = DateField(label="发放日期")
    amount = forms.DecimalField(label="发放金额(元)", required=False, **MONEY, help_text="留空为批准金额。")
    method = forms.ChoiceField(label="发放方式", choices=PayMethod.choices)
    fund_source = forms.ChoiceField(label="资金来源")
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund_source"].choices = BLANK + conf.fund_sources()


class ApplicationFilterForm(Form):
    status = forms.ChoiceField(label="状态", required=False, choices=BLANK + ApplicationStatus.choices)
    type = forms.ChoiceField(label="类型", required=False, choices=BLANK + AssistanceType.choices)


class CampaignForm(Form):
    org_code = forms.CharField(label="组织单位（工会代码）", max_length=40,
                               widget=PickerInput("orgs:pick", {"perm": "assistance.change"}))
    name = forms.CharField(label="活动名称", max_length=100)
    type = forms.ChoiceField(label="帮扶类型", choices=AssistanceType.choices)
    start_on = DateField(label="开始日期")
    end_on = DateField(label="结束日期")
    budget = forms.DecimalField(label="预算(元)", **MONEY)
    note = forms.CharField(label="说明", max_length=200, required=False)


class TargetsForm(Form):
    numbers = forms.CharField(label="档案编号", widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="每行一个档案编号，或用逗号、空格分隔。")


class HelperForm(Form):
    org_code = forms.CharField(label="所属组织（工会代码）", max_length=40,
                               widget=PickerInput("orgs:pick", {"perm": "assistance.change"}))
    name = forms.CharField(label="帮扶单位或干部", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=Helper.Kind.choices)
    contact = forms.CharField(label="联系人", max_length=50, required=False)


class PairingForm(Form):
    helper = forms.TypedChoiceField(label="帮扶单位", coerce=int)
    archive_no = forms.CharField(label="困难家庭档案编号", max_length=40)
    pledged_on = DateField(label="结对日期")
    commitment = forms.CharField(label="帮扶承诺", max_length=200, required=False)

    def __init__(self, *args, helpers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].choices = BLANK + [(h.pk, f"{h.name}（{h.org.name}）") for h in helpers]


class VisitForm(Form):
    visited_on = DateField(label="走访日期")
    visitors = forms.CharField(label="走访人", max_length=100, required=False)
    amount = forms.DecimalField(label="帮扶资金(元)", initial=0, **MONEY)
    goods = forms.CharField(label="物资/服务", max_length=200, required=False)
    note = forms.CharField(label="解决的问题", max_length=200, required=False)


class StandardForm(Form):
    region_code = forms.CharField(label="行政区划代码", max_length=6, min_length=6)
    region_name = forms.CharField(label="地区", max_length=50)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    monthly = forms.DecimalField(label="低保标准(元/人·月)", **MONEY)


class RevealForm(Form):
    reason = forms.CharField(label="查看事由", max_length=200)


class DocumentForm(Form):
    name = forms.CharField(label="附件名称", max_length=100, required=False, help_text="如：诊断书。留空用文件名。")
    file = forms.FileField(label="文件")
