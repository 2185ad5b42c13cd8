from gonghui.core import excel
from gonghui.core.errors import ServiceError
from gonghui.orgs.models import Org

from . import services


@excel.register
class VisitImporter(excel.Importer):
    kind = "sampleline_visits"
    title = "走访记录"
    permission = "sampleline.change"
    columns = [
        excel.Column("单位编码", "org", True, excel.parse_code),
        excel.Column("走访日期", "visited_on", True, excel.parse_date),
        excel.Column("事由", "title", True, excel.parse_text),
    ]

    def save_row(self, row):
        org = Org.objects.filter(code=row.get("org")).first()
        if org is None:
            raise ServiceError("单位编码不存在。", field="org")
        services.visit_create(actor=self.actor, org=org, visited_on=row.values["visited_on"],
                              title=row.values["title"])
        return excel.CREATED
