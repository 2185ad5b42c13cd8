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

from gonghui.core import clock, excel, scope
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

    def run(self, file, *, dry_run: bool = False):
        # One "today" for the whole file: each ID cell's birth-date check asked the clock (and the
        # time zone) once per row, ~5 % of a 20,000-row import.
        with clock.as_of(clock.today()):
            return super().run(file, dry_run=dry_run)

    def row_keys(self, row):
        number = row.get("id_number")
        if number is not None:
            yield "id_number", (row.get("plan"), number.number)

    def save_rows(self, rows, result):
        """Every unit's rows checked and saved at once (services.enrol_groups): the unions, plans
        and terms read once, not per batch."""
        groups: dict[tuple, list] = defaultdict(list)
        today = clock.today()
        for row in rows:
            groups[(row.get("union"), row.get("plan"), row.get("enrolled_on") or today)].append(row)
        unions = {o.code: o for o in Org.objects.filter(code__in={k[0] for k in groups})}
        plans = {p.code: p for p in Plan.objects.filter(code__in={k[1] for k in groups})}
        terms: dict[int, list[Term]] = defaultdict(list)
        for t in Term.objects.filter(plan__in=list(plans.values())).order_by("-opens_on"):
            terms[t.plan_id].append(t)
        todo: list[tuple[list, services.Group]] = []
        for (union_code, plan_code, on), group in groups.items():
            union = unions.get(union_code)
            # One who may not enrol the union learns nothing of it: the same words as for a code
            # that does not exist.
            if union is None or (self.actor is not None
                                 and not scope.has_perm(self.actor, "mutual_aid.change", union.path)):
                for row in group:
                    row.error("union", f"参保单位编码“{union_code}”不存在。")
                continue
            plan = plans.get(plan_code)
            if plan is None:
                for row in group:
                    row.error("plan", f"项目代码“{plan_code}”不存在。")
                continue
            term = next((t for t in terms[plan.pk] if t.opens_on <= on <= t.closes_on), None)
            if term is None:
                for row in group:
                    row.error("enrolled_on", f"{on} 不在项目“{plan.name}”任何一期的参保期内。")
                continue
            term.plan = plan  # the plan read above, not once more per batch
            entries = [services.Entry(units=row.get("units"), id_number=row.get("id_number").number,
                                      name=row.get("name"), row=row.number, id_checked=True) for row in group]
            todo.append((group, services.Group(term=term, union=union, enrolled_on=on, entries=entries)))
        if not todo:
            return
        self.report(excel.SAVING, 0, len(rows))
        try:
            services.enrol_groups(actor=self.actor, groups=[g for _, g in todo])
        except services.GroupsRefused as exc:
            by_number = {row.number: row for group, _ in todo for row in group}
            for gi, number, field, reason in exc.rows:
                group, g = todo[gi]
                if number is None:  # a rule over the whole unit (coverage, the date): on its first row
                    group[0].error(field if field in ("enrolled_on", "union") else "",
                                   f"{g.union.name}的参保名册：{reason}")
                else:
                    by_number[number].error("", reason + "。")
            return
        except PermissionDenied:
            for group, g in todo:
                group[0].error("union", f"参保单位编码“{g.union.code}”不存在。")
            return
        result.created += sum(len(group) for group, _ in todo)
        self.report(excel.SAVING, len(rows), len(rows))
