"""The figures' targets (目标值) and reported values (上报值) of each org, read (list and detail) in the
scope of stats.view as the dashboards show them beside each figure; the figures themselves are
/api/v1/stats/. Here rather than in a reports/api.py: the api app depends on reports (the figures'
breakdowns), so reports may not depend on api."""

from __future__ import annotations

from rest_framework import serializers

from gonghui.core.metrics import REGISTRY
from gonghui.reports.models import ReportedValue, Target

from . import registry
from .lines import Filter, OrgRef, read_viewset

TAG = "统计"
VIEW = "stats.view"  # the dashboards show both beside each figure
METRIC = Filter("metric_code", length=100, description="指标代码（如 members.total，见 /api/v1/stats/）")


class MetricLabel(serializers.Serializer):
    def get_metric_label(self, obj) -> str:
        m = REGISTRY.get(obj.metric_code)
        return m.label if m is not None else ""


class TargetSerializer(MetricLabel, serializers.ModelSerializer):
    """The year's target of one figure at one org (the figure's unit; a rate in per cent)."""

    org = OrgRef(help_text="组织")
    metric_label = serializers.SerializerMethodField(help_text="指标名称")

    class Meta:
        model = Target
        fields = ["id", "org", "metric_code", "metric_label", "year", "value"]
        read_only_fields = fields


class ReportedValueSerializer(MetricLabel, serializers.ModelSerializer):
    """The value published for a figure over a period, kept beside the computed one (they may differ)."""

    org = OrgRef(help_text="组织")
    metric_label = serializers.SerializerMethodField(help_text="指标名称")

    class Meta:
        model = ReportedValue
        fields = ["id", "org", "metric_code", "metric_label", "start", "end", "value", "note"]
        read_only_fields = fields


TargetViewSet = read_viewset(
    "TargetViewSet", tag=TAG, summary="目标值（年度）",
    queryset=lambda: Target.objects.select_related("org"), perm=VIEW, serializer_class=TargetSerializer,
    page_name="api.targets", org_path="org__path", ordering=("-year", "-pk"), orderings={"year": ("year",)},
    filters={"metric": METRIC, "year": Filter("year", integer=True, description="年度")},
    field_labels={"org": "组织编码", "metric": "指标", "year": "年度"})

ReportedValueViewSet = read_viewset(
    "ReportedValueViewSet", tag=TAG, summary="上报值（统计期间发布的数字）",
    queryset=lambda: ReportedValue.objects.select_related("org"), perm=VIEW, serializer_class=ReportedValueSerializer,
    page_name="api.reported_values", org_path="org__path", ordering=("-end", "-pk"), orderings={"end": ("end",)},
    filters={"metric": METRIC, "from": Filter("start__gte", date=True, description="统计期间开始日期自"),
             "to": Filter("end__lte", date=True, description="统计期间截止日期至")},
    field_labels={"org": "组织编码", "metric": "指标", "from": "开始日期自", "to": "截止日期至"})

registry.register("targets", TargetViewSet)
registry.register("reported-values", ReportedValueViewSet)
