"""参保名册导入 (序号, 姓名, 公民身份号码, 份数): a union's group enrolment from its Excel roster.

The rows of one union, plan and enrolment date make one batch (参保单), checked exactly as on the
page (services.batch_enrol): the ID number validated (15 or 18 digits), the person found on the
roster, the plan's eligibility, 份数, twice in one term, and the unit's coverage. Any refused row
is reported with its reason and nothing at all is saved. A 序号 column is the sheet's own numbering:
the import front door skips it (core.import_aliases.IGNORED) and rows are named by Excel's row number.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied

from gonghui.core import clock, excel
from gonghui.core.errors import ServiceError
from gonghui.members.imports import parse_id
from gonghui.orgs.models import Org

from . import services
from .models import Plan, Term


@excel.register
class EnrolmentImporter(excel.Importer):
    kind = "mutual_aid_enrolment"
    title = "互助保障参保名册"
    permission = "mutual_aid.change"
    back = "mutual_aid:index"
    upload_union_field = "union"
    columns = [
        excel.Column("姓名", "name", True, excel.parse_text, max_length=50),
        excel.Column("公民身份号码", "id_number", True, parse_id, aliases=("身份证号", "身份证号码")),
        excel.Column("份数", "units", True, excel.parse_int),
        excel.Column("参保单位编码", "union", True, excel.parse_code, help="基层工会的组织编码"),
        excel.Column("项目代码", "plan", True, excel.parse_code, help="互助保障项目的代码，见“保障项目”页"),
        excel.Column("参保日期", "enrolled_on", False, excel.parse_date, help="不填为导入当天"),
    ]
    notes = (
        "每个参保单位、项目和参保日期的各行生成一张参保单；保障自参保次日零时起。",
        "人员须是该单位的在会会员（按公民身份号码在会员名册中查找，姓名须一致）；不在名册中的请先办理入会。",
        "逐行检查性别、年龄、在岗、份数上限和同一期次重复参保，并检查单位参保率不低于项目要求；有一行不符合则全部不保存。",
    )

    def row_keys(self, row):
        number = row.get("id_number")
        if number is not None:
            yield "id_number", (row.get("plan"), number.number)

    def save_rows(self, rows, result):
        groups: dict[tuple, list] = defaultdict(list)
        today = clock.today()
        for row in rows:
            groups[(row.get("union"), row.get("plan"), row.get("enrolled_on") or today)].append(row)
        done = 0
        for (union_code, plan_code, on), group in groups.items():
            done += len(group)
            self.report(excel.SAVING, done, len(rows))
            union = Org.objects.filter(code=union_code).first()
            if union is None:
                for row in group:
                    row.error("union", f"参保单位编码“{union_code}”不存在。")
                continue
            plan = Plan.objects.filter(code=plan_code).first()
            if plan is None:
                for row in group:
                    row.error("plan", f"项目代码“{plan_code}”不存在。")
                continue
            term = Term.objects.filter(plan=plan, opens_on__lte=on, closes_on__gte=on).order_by("-opens_on").first()
            if term is None:
                for row in group:
                    row.error("enrolled_on", f"{on} 不在项目“{plan.name}”任何一期的参保期内。")
                continue
            entries = [services.Entry(units=row.get("units"), id_number=row.get("id_number").number,
                                      name=row.get("name"), row=row.number, id_checked=True) for row in group]
            by_number = {row.number: row for row in group}
            try:
                services.batch_enrol(actor=self.actor, term=term, union=union, enrolled_on=on, entries=entries)
            except services.Refused as exc:
                for number, reason in exc.rows:
                    by_number[number].error("", reason + "。")
                continue
            except ServiceError as exc:
                # A rule over the whole unit (coverage, the enrolment date): on its first row.
                group[0].error(exc.field if exc.field in ("enrolled_on", "union") else "",
                               f"{union.name}的参保名册：{exc.messages[0]}")
                continue
            except PermissionDenied:
                # The same words as for a code that does not exist: the clerk learns nothing of
                # unions outside his scope.
                for row in group:
                    row.error("union", f"参保单位编码“{union_code}”不存在。")
                continue
            result.created += len(group)
