from gonghui.core import exports, scope

from .models import Visit


@exports.register
class VisitList(exports.Exporter):
    key = "sampleline_visits"
    title = "走访记录"
    permission = "sampleline.view"
    headers = ("单位", "走访日期", "事由")

    def rows(self):
        qs = scope.visible(Visit.objects.select_related("org"), self.user, self.permission, "org_path")
        if self.org is not None:
            qs = qs.filter(scope.subtree_q("org_path", self.org.path))
        for v in qs.order_by("visited_on", "pk"):
            yield [v.org.name, v.visited_on, v.title]
