"""What the API shows, read-only: writes go through the services (views.py), never serializer.save()."""

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from gonghui.members.models import Membership
from gonghui.orgs.models import Employer, Org
from gonghui.petitions.models import Channel, Kind, Petition, Result, Satisfaction


class OrgRef(serializers.Serializer):
    id = serializers.IntegerField(help_text="组织编号（主键）")
    code = serializers.CharField(help_text="组织编码")
    name = serializers.CharField(help_text="名称")


@extend_schema_serializer(examples=[OpenApiExample("乡镇工会联合会", value={
    "id": 2, "code": "A", "name": "甲镇工会联合会", "short_name": "", "org_type": "township_fed",
    "org_type_label": "乡镇(街道)工会联合会", "status": "active", "status_label": "正常", "depth": 2,
    "parent_id": 1, "founded_on": "1990-01-01", "dissolved_on": None, "chair_name": "", "term_ends_on": None,
    "uscc": None}, response_only=True)])
class OrgSerializer(serializers.ModelSerializer):
    org_type_label = serializers.CharField(source="get_org_type_display", help_text="组织类型（中文）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")
    parent_id = serializers.SerializerMethodField(help_text="上级组织编号；上级不在您的查看范围内时为 null")

    class Meta:
        model = Org
        fields = ["id", "code", "name", "short_name", "org_type", "org_type_label", "status", "status_label", "depth",
                  "parent_id", "founded_on", "dissolved_on", "chair_name", "term_ends_on", "uscc"]
        read_only_fields = fields

    def get_parent_id(self, obj) -> int | None:
        return self.context.get("parents", {}).get(obj.path[: -Org.steplen])


class EmployerSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="属地工会")
    ownership_label = serializers.CharField(source="get_ownership_display", help_text="单位性质（中文）")

    class Meta:
        model = Employer
        fields = ["id", "name", "uscc", "org", "ownership", "ownership_label", "industry", "headcount", "women_count",
                  "migrant_count", "is_above_scale", "registered_on", "closed_on", "address"]
        read_only_fields = fields


@extend_schema_serializer(examples=[OpenApiExample("会员（脱敏）", value={
    "id": 17, "name": "张三", "gender": 1, "gender_label": "男", "id_number": "430121********1234",
    "phone": "138****5678", "masked": True, "union": {"id": 4, "code": "A1", "name": "甲一公司工会"},
    "status": "active", "status_label": "正常", "started_on": "2024-03-01", "first_joined_on": "2024-03-01",
    "card_no": "", "employer_name": "甲一公司", "is_migrant_worker": False}, response_only=True)])
class MemberSerializer(serializers.ModelSerializer):
    """A current membership; ID number and phone masked unless the detail was read in full."""

    name = serializers.CharField(source="person.name", help_text="姓名")
    gender = serializers.IntegerField(source="person.gender", help_text="性别：1 男，2 女")
    gender_label = serializers.CharField(source="person.get_gender_display", help_text="性别（中文）")
    id_number = serializers.SerializerMethodField(help_text="公民身份号码（默认脱敏）")
    phone = serializers.SerializerMethodField(help_text="手机号码（默认脱敏）")
    masked = serializers.SerializerMethodField(help_text="true：身份证号和手机号已脱敏")
    union = OrgRef(help_text="所在工会")
    status_label = serializers.CharField(source="get_status_display", help_text="会籍状态（中文）")
    first_joined_on = serializers.DateField(source="person.first_joined_on", help_text="首次入会日期")
    employer_name = serializers.SerializerMethodField(help_text="工作单位")
    is_migrant_worker = serializers.BooleanField(source="person.is_migrant_worker", help_text="农民工")

    class Meta:
        model = Membership
        fields = ["id", "name", "gender", "gender_label", "id_number", "phone", "masked", "union", "status",
                  "status_label", "started_on", "ended_on", "first_joined_on", "card_no", "employer_name",
                  "is_migrant_worker"]
        read_only_fields = fields

    def _full(self, obj) -> dict | None:
        return self.context.get("full", {}).get(obj.person_id)

    def get_id_number(self, obj) -> str:
        full = self._full(obj)
        return full["id_number"] if full else obj.person.id_masked

    def get_phone(self, obj) -> str:
        full = self._full(obj)
        return full["phone"] if full else obj.person.phone_masked

    def get_masked(self, obj) -> bool:
        return self._full(obj) is None

    def get_employer_name(self, obj) -> str:
        return obj.person.employer_name


class JoinInput(serializers.Serializer):
    """登记入会: the fields of the join page (members.forms.JoinForm), validated by that same form."""

    union_code = serializers.CharField(help_text="所在工会的组织编码（须在您的办理范围内）")
    name = serializers.CharField(help_text="姓名")
    id_number = serializers.CharField(help_text="公民身份号码（18位）")
    gender = serializers.IntegerField(required=False, help_text="性别：1 男，2 女；可不填，按身份证号判断")
    joined_on = serializers.DateField(help_text="入会日期 YYYY-MM-DD")
    card_no = serializers.CharField(required=False, help_text="会员证号")
    employer_uscc = serializers.CharField(required=False, help_text="工作单位统一社会信用代码（须已登记）")
    phone = serializers.CharField(required=False, help_text="手机号码")
    ethnicity = serializers.CharField(required=False, help_text="民族代码（GB/T 3304，如 01 汉族）")
    education = serializers.CharField(required=False, help_text="文化程度代码（GB/T 4658）")
    political = serializers.CharField(required=False, help_text="政治面貌代码（GB/T 4762）")
    hukou = serializers.CharField(required=False, help_text="户籍类型")
    is_migrant_worker = serializers.BooleanField(required=False, help_text="农民工")
    employment = serializers.CharField(required=False, help_text="就业状态")
    is_dispatched = serializers.BooleanField(required=False, help_text="劳务派遣")
    employer_name = serializers.CharField(required=False, help_text="工作单位（填报名称）")


class PetitionSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="承办单位")
    channel_label = serializers.CharField(source="get_channel_display", help_text="渠道（中文）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")
    result_label = serializers.CharField(source="get_result_display", help_text="处理结果（中文）")

    class Meta:
        model = Petition
        fields = ["id", "number", "org", "channel", "channel_label", "kind", "category", "title", "received_on",
                  "people_count", "is_group", "employer_name", "amount_claimed", "amount_recovered", "is_urgent",
                  "status", "status_label", "notice_due", "notice_on", "accepted_on", "close_due", "extended",
                  "replied_on", "result", "result_label", "closed_on", "satisfaction"]
        read_only_fields = fields


class PetitionerInput(serializers.Serializer):
    name = serializers.CharField(max_length=50, help_text="信访人姓名")
    gender = serializers.ChoiceField(choices=[1, 2], required=False, help_text="性别：1 男，2 女")
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text="公民身份号码")
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30, help_text="联系电话")
    address = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="住址")


class PetitionRegisterInput(serializers.Serializer):
    org_code = serializers.CharField(help_text="承办单位的组织编码")
    channel = serializers.ChoiceField(choices=[c for c in Channel.choices if c[0] not in ("forwarded", "reported")],
                                      help_text="渠道：letter 来信、visit 来访、phone 电话、online 网上")
    received_on = serializers.DateField(help_text="本单位收到日期")
    title = serializers.CharField(max_length=200, help_text="事由")
    category = serializers.CharField(max_length=20, help_text="诉求类别，如 wages 欠薪")
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, default="claim", help_text="类型")
    content = serializers.CharField(required=False, allow_blank=True, default="", help_text="信访内容")
    people_count = serializers.IntegerField(required=False, min_value=1, max_value=100000, help_text="涉及人数")
    employer_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                          help_text="所涉单位名称")
    amount_claimed = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, default=0,
                                              min_value=0, help_text="诉求金额（元），字符串如 \"12000.00\"")
    petitioners = PetitionerInput(many=True, help_text="信访人（至少一人）")


class AcceptInput(serializers.Serializer):
    notice_on = serializers.DateField(help_text="受理并告知信访人的日期")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500, help_text="说明")


class RejectInput(serializers.Serializer):
    notice_on = serializers.DateField(help_text="告知日期")
    reason = serializers.CharField(max_length=500, help_text="不予受理的理由")


class ProgressInput(serializers.Serializer):
    on = serializers.DateField(help_text="办理日期")
    note = serializers.CharField(max_length=2000, help_text="办理情况")


class ReplyInput(serializers.Serializer):
    replied_on = serializers.DateField(help_text="答复日期")
    result = serializers.ChoiceField(choices=Result.choices, help_text="处理结果")
    summary = serializers.CharField(max_length=5000, help_text="答复意见")
    amount_recovered = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, default=0,
                                                min_value=0, help_text="追回金额（元）")


class CloseInput(serializers.Serializer):
    closed_on = serializers.DateField(help_text="办结日期")
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, help_text="信访人满意度")


class ForwardInput(serializers.Serializer):
    to_code = serializers.CharField(max_length=40, help_text="转办至：本单位下级工会的组织编码")
    on = serializers.DateField(help_text="转办日期")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, help_text="转办意见")


class DateNoteInput(serializers.Serializer):
    on = serializers.DateField(help_text="日期")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, help_text="说明")


class ReasonInput(serializers.Serializer):
    on = serializers.DateField(help_text="日期")
    reason = serializers.CharField(max_length=2000, help_text="理由")


class ExtendInput(serializers.Serializer):
    requested_on = serializers.DateField(help_text="申请日期")
    reason = serializers.CharField(max_length=500, help_text="延期理由（须告知信访人）")


class DecideExtensionInput(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 批准延期30日，false 不批准")
    decided_on = serializers.DateField(help_text="审批日期")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500, help_text="审批意见")


class ReviewInput(serializers.Serializer):
    requested_on = serializers.DateField(help_text="复查（复核）申请日期；已有复查答复时为复核")


class ReviewReplyInput(serializers.Serializer):
    replied_on = serializers.DateField(help_text="答复日期；复核答复后案件终结")
    summary = serializers.CharField(max_length=5000, help_text="答复意见")

