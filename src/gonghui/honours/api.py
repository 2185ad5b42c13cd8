"""劳模与荣誉的接口：劳模名册（身份证号、联系电话一律脱敏）与荣誉（申报、评审各步），与页面调用同一服务。"""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers

from gonghui.api import registry
from gonghui.api.lines import ERRORS, Day, Filter, LineViewSet, OrgRef, body, create_schema, list_schema
from gonghui.api.lines import transition as step
from gonghui.api.problems import Problem
from gonghui.core import scope

from . import services
from .models import (
    Honour,
    HonourLevel,
    HonourStatus,
    HonourType,
    ModelWorker,
    Recipient,
    Treatment,
    WorkerStatus,
)

CHANGE = "honours.change"


class WorkerSerializer(serializers.ModelSerializer):
    """A model worker; the ID number and phone are always masked here (the page reveals them, logged)."""

    org = OrgRef(help_text="管理单位")
    id_number = serializers.CharField(source="id_masked", help_text="公民身份号码（脱敏）")
    phone = serializers.CharField(source="phone_masked", help_text="联系电话（脱敏）")
    status_label = serializers.CharField(source="get_status_display", help_text="现状（中文）")
    highest_level_label = serializers.CharField(source="get_highest_level_display", help_text="最高待遇级别（中文）")

    class Meta:
        model = ModelWorker
        fields = ["id", "org", "name", "gender", "id_number", "phone", "employer_name", "industry", "status",
                  "status_label", "died_on", "is_party_member", "is_hardship", "registered_on", "highest_level",
                  "highest_level_label"]
        read_only_fields = fields


class WorkerInput(serializers.Serializer):
    org_code = serializers.CharField(help_text="管理单位的组织编码")
    name = serializers.CharField(max_length=50, help_text="姓名")
    id_number = serializers.CharField(max_length=18, help_text="公民身份号码")
    registered_on = Day(help_text="登记日期")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="", help_text="联系电话")
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                          help_text="所在单位")


@extend_schema(tags=["劳模与荣誉"], responses={**ERRORS})
class WorkerViewSet(LineViewSet):
    """劳模名册：列表与页面“劳模名册”相同的筛选。"""

    perm = "honours.view"
    perms = {"create": CHANGE}
    serializer_class = WorkerSerializer
    page_name = "api.model_workers"
    org_path = "org__path"
    ordering = ("-registered_on", "-id")
    filters = {
        "q": Filter("name__startswith", description="姓名开头"),
        "level": Filter("highest_level", Treatment.values, description="最高待遇级别代码"),
        "status": Filter("status", WorkerStatus.values, description="现状代码"),
        "party": Filter("is_party_member", boolean=True, description="true：中共党员",
                        build=lambda v: Q(is_party_member=True) if v else None),
        "hardship": Filter("is_hardship", boolean=True, description="true：困难劳模",
                           build=lambda v: Q(is_hardship=True) if v else None),
    }
    field_labels = {"org": "组织编码", "q": "姓名", "level": "最高待遇级别", "status": "现状", "party": "中共党员",
                    "hardship": "困难劳模", "org_code": "管理单位编码", "name": "姓名", "id_number": "公民身份号码",
                    "registered_on": "登记日期", "phone": "联系电话", "employer_name": "所在单位"}

    def base_queryset(self):
        return ModelWorker.objects.select_related("org")

    @list_schema("劳模名册（脱敏）", filters, WorkerSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="劳模详情（带 ETag，脱敏）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("登记劳模", WorkerInput, WorkerSerializer)
    def create(self, request, *args, **kwargs):
        d = body(WorkerInput, request)
        org = self.changeable_org(d.pop("org_code"), "org_code")
        w = services.worker_create(actor=request.user, org=org, **d)
        return self.respond(self.found(w), 201)


class HonourSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="申报单位")
    worker_id = serializers.IntegerField(allow_null=True, help_text="劳模编号（个人荣誉）")
    recipient_label = serializers.CharField(source="get_recipient_display", help_text="对象（中文）")
    honour_type_label = serializers.CharField(source="get_honour_type_display", help_text="荣誉类别（中文）")
    level_label = serializers.CharField(source="get_level_display", help_text="级别（中文）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")

    class Meta:
        model = Honour
        fields = ["id", "org", "recipient", "recipient_label", "recipient_name", "worker_id", "honour_type",
                  "honour_type_label", "level", "level_label", "issuer", "year", "status", "status_label",
                  "applied_on", "named_on", "recheck_on", "revoked_on", "self_score", "review_score", "note"]
        read_only_fields = fields


class HonourInput(serializers.Serializer):
    org_code = serializers.CharField(help_text="申报单位的组织编码")
    recipient = serializers.ChoiceField(choices=Recipient.choices, help_text="对象：person 个人，collective 集体")
    recipient_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                           help_text="获得者名称（个人荣誉关联劳模时可不填）")
    worker_id = serializers.IntegerField(min_value=1, max_value=2**53, required=False, allow_null=True, default=None,
                                         help_text="劳模编号（个人荣誉，可选）")
    honour_type = serializers.ChoiceField(choices=HonourType.choices, help_text="荣誉类别")
    level = serializers.ChoiceField(choices=HonourLevel.choices, help_text="级别")
    issuer = serializers.CharField(max_length=100, help_text="授予单位")
    year = serializers.IntegerField(min_value=1949, max_value=2100, help_text="年度")
    applied_on = Day(help_text="申报日期")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="说明")


class MoveInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=HonourStatus.choices, help_text="下一状态：review 评审，notice 公示，named 命名，"
                                                                         "recheck 复查，rejected 未通过 …")
    on = Day(help_text="日期")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                 help_text="意见（未通过、整改、撤销时必填）")


@extend_schema(tags=["劳模与荣誉"], responses={**ERRORS})
class HonourViewSet(LineViewSet):
    """荣誉：申报后经评审、公示、命名、复查（与页面相同的流程和校验）。"""

    perm = "honours.view"
    perms = {"create": CHANGE, "move": "honours.approve"}
    serializer_class = HonourSerializer
    page_name = "api.honours"
    org_path = "org__path"
    ordering = ("-applied_on", "-id")
    filters = {
        "recipient": Filter("recipient", Recipient.values, description="对象代码"),
        "honour_type": Filter("honour_type", HonourType.values, description="荣誉类别代码"),
        "level": Filter("level", HonourLevel.values, description="级别代码"),
        "status": Filter("status", HonourStatus.values, description="状态代码"),
        "year": Filter("year", [str(y) for y in range(1949, 2101)], description="年度"),
    }
    field_labels = {"org": "组织编码", "recipient": "对象", "honour_type": "荣誉类别", "level": "级别", "status": "状态",
                    "year": "年度", "org_code": "申报单位编码", "recipient_name": "获得者", "worker_id": "劳模",
                    "worker": "劳模", "issuer": "授予单位", "applied_on": "申报日期", "note": "意见", "to": "下一状态",
                    "on": "日期", "team": "班组/集体"}

    def base_queryset(self):
        return Honour.objects.select_related("org")

    @list_schema("荣誉列表", filters, HonourSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="荣誉详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("申报荣誉", HonourInput, HonourSerializer, examples=[OpenApiExample("五一劳动奖章", request_only=True, value={
        "org_code": "A1", "recipient": "person", "recipient_name": "张三", "honour_type": "may_day_medal",
        "level": "city", "issuer": "长沙市总工会", "year": 2026, "applied_on": "2026-12-01"})])
    def create(self, request, *args, **kwargs):
        d = body(HonourInput, request)
        org = self.changeable_org(d.pop("org_code"), "org_code")
        worker_id = d.pop("worker_id")
        worker = None
        if worker_id:
            worker = scope.visible(ModelWorker.objects.filter(pk=worker_id).select_related("org"), request.user,
                                   "honours.view").first()
            if worker is None:
                raise Problem("未找到该劳模，或不在您的查看范围内。", field="worker_id")
        h = services.honour_apply(actor=request.user, org=org, worker=worker, **d)
        return self.respond(self.found(h), 201)

    move = step(services.honour_move, MoveInput, "评审、公示、命名、复查的一步", "honour", HonourSerializer, name="move")


registry.register("model-workers", WorkerViewSet)
registry.register("honours", HonourViewSet)
