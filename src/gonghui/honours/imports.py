"""Import of the 劳模 list (劳模名单): one row per title a person holds, so a person with two titles
takes two rows with the same ID number. All or nothing: any bad row saves nothing, every error
named by row, column, value and reason (core.excel). Re-importing the same file changes nothing."""

from __future__ import annotations

from gonghui.core import clock, crypto, excel, scope
from gonghui.core.errors import ServiceError
from gonghui.core.excel import (
    Column,
    choice,
    parse_bool,
    parse_code,
    parse_count,
    parse_date,
    parse_int,
    parse_money,
    parse_text,
)
from gonghui.members.imports import parse_id
from gonghui.orgs.models import Org

from . import services
from .models import Contest, Level, ModelWorker, Title, Treatment, WorkerStatus


@excel.register
class WorkerImporter(excel.Importer):
    kind = "honours_workers"
    title = "劳模名单"
    permission = "honours.change"
    back = "honours:index"
    columns = [
        Column("管理单位编码", "org", True, parse_code, help="管理该劳模的工会的编码，须在您的管理范围内。"),
        Column("姓名", "name", True, parse_text, max_length=50),
        Column("公民身份号码", "id_number", True, parse_id, aliases=("身份证号", "身份证号码")),
        Column("称号", "title", True, parse_text, max_length=100, help="如“全国劳动模范”“省劳动模范”。"),
        Column("级别", "level", True, choice(Level.choices)),
        Column("授予年份", "year", True, parse_int),
        Column("授予机关", "conferred_by", False, parse_text, max_length=100),
        Column("批次", "batch", False, parse_text, max_length=50),
        Column("证书编号", "certificate_no", False, parse_code, max_length=50),
        Column("待遇级别", "treatment", False, choice(Treatment.choices),
               help="“享受劳模待遇”的称号须填写；已配置对应关系的称号（如全国五一劳动奖章）按配置计。"),
        Column("所在单位", "employer_name", False, parse_text, max_length=200, aliases=("工作单位",)),
        Column("行业", "industry", False, parse_text, max_length=50),
        Column("现状", "status", False, choice(WorkerStatus.choices), help="不填为在职。"),
        Column("去世日期", "died_on", False, parse_date),
        Column("是否国家工作人员", "is_civil_servant", False, parse_bool),
        Column("是否中共党员", "is_party_member", False, parse_bool),
        Column("是否困难劳模", "is_hardship", False, parse_bool),
        Column("联系电话", "phone", False, parse_code, max_length=20),
        Column("登记日期", "registered_on", False, parse_date, help="不填为导入当天。"),
    ]
    notes = ("一行一个称号：同一人有多个称号时填多行，身份证号相同，个人信息以第一行为准。",
             "按身份证号匹配：已登记的劳模只增加新的称号；同一人同一年度的同一称号不会重复登记（再次导入同一文件不变）。",
             "任何一行有错误时整个文件都不导入，请按错误报告修改后重新上传。")

    def row_keys(self, row):
        if row.get("id_number") and row.get("title") and row.get("year"):
            yield ("称号", (row.get("id_number").number, row.get("title"), row.get("year")))

    def clean_row(self, row):
        code = row.get("org")
        if code:
            org = Org.objects.filter(code=code).first()
            if org is None or (self.actor is not None and not scope.has_perm(self.actor, self.permission, org.path)):
                # The same words whether it does not exist or is out of scope (no existence leak).
                row.error("org", f"未找到编码为“{code}”的单位，或不在您的管理范围内。")
            else:
                row.extra["org"] = org
        if row.get("status") == WorkerStatus.DECEASED and not row.get("died_on"):
            row.error("died_on", "现状为已故时请填写去世日期。")

    def save_row(self, row):
        parsed = row.get("id_number")
        worker = ModelWorker.objects.filter(id_hash__in=crypto.lookup_hashes(parsed.number)).first()
        if worker is None:
            flags = {k: bool(row.get(k)) for k in ("is_civil_servant", "is_party_member", "is_hardship")}
            worker = services.worker_create(
                actor=self.actor, org=row.extra["org"], name=row.get("name"), id_number=parsed.number,
                registered_on=row.get("registered_on") or clock.today(), phone=row.get("phone") or "",
                status=row.get("status") or WorkerStatus.ACTIVE, died_on=row.get("died_on"),
                employer_name=row.get("employer_name") or "", industry=row.get("industry") or "", **flags)
        elif self.actor is not None and not scope.has_perm(self.actor, "honours.change", worker.org.path):
            raise ServiceError("该身份证号码的劳模已由其他单位登记，不能在此导入其称号。", field="id_number")
        if Title.objects.filter(worker=worker, name=row.get("title"), year=row.get("year")).exists():
            return excel.UNCHANGED
        services.title_add(actor=self.actor, worker=worker, name=row.get("title"), level=row.get("level"),
                           year=row.get("year"), conferred_by=row.get("conferred_by") or "",
                           batch=row.get("batch") or "", certificate_no=row.get("certificate_no") or "",
                           treatment=row.get("treatment") or "")
        return excel.CREATED  # a new title (and, on its first row, a new person)



@excel.register
class ContestResultImporter(excel.Importer):
    """参赛与成绩 of contests in the clerk's scope: one row per person and event. A row for an entry
    already registered updates its result (rank, score, award, title, prize); re-importing the same
    file changes nothing. All or nothing, every error by row and column."""

    kind = "honours_contest_results"
    title = "竞赛成绩"
    permission = "honours.change"
    back = "honours:contests"
    columns = [
        Column("竞赛名称", "contest", True, parse_text, max_length=200, help="须与系统中登记的竞赛名称完全一致。"),
        Column("项目", "event", True, parse_text, max_length=100, help="该竞赛中已登记的项目名称。"),
        Column("参赛单位编码", "org", True, parse_code, help="参赛者所在工会的编码，须在竞赛组织单位范围内。"),
        Column("姓名", "name", True, parse_text, max_length=50),
        Column("公民身份号码", "id_number", False, parse_id, aliases=("身份证号", "身份证号码"),
               help="会员按身份证号关联会员库；不填时按参赛单位和姓名识别。"),
        Column("队伍", "team", False, parse_text, max_length=100, help="以班组/集体参赛时填写队伍名称。"),
        Column("名次", "rank", False, parse_count),
        Column("成绩", "score", False, parse_money),
        Column("奖项", "award", False, parse_text, max_length=50, help="如一等奖、二等奖。"),
        Column("获得称号", "title_earned", False, parse_text, max_length=50, help="如技术能手、优胜选手。"),
        Column("奖金(元)", "prize", False, parse_money, aliases=("奖金",)),
    ]
    notes = ("一行一人一个项目：同一人参加多个项目时填多行。",
             "已登记的参赛记录按本表更新名次、成绩、奖项、称号和奖金；再次导入同一文件不变。",
             "任何一行有错误时整个文件都不导入，请按错误报告修改后重新上传。")

    def row_keys(self, row):
        who = row.get("id_number").number if row.get("id_number") else (row.get("org"), row.get("name"))
        if row.get("contest") and row.get("event") and row.get("name"):
            yield ("参赛者与项目", (row.get("contest"), row.get("event"), who))

    def clean_row(self, row):
        name = row.get("contest")
        if name:
            found = list(Contest.objects.filter(name=name).select_related("org")[:5])
            if self.actor is not None:
                found = [c for c in found if scope.has_perm(self.actor, self.permission, c.org.path)]
            if not found:
                row.error("contest", f"未找到名为“{name}”的竞赛，或不在您的管理范围内。")
            elif len(found) > 1:
                row.error("contest", f"有{len(found)}个名为“{name}”的竞赛，请先修改竞赛名称使其唯一。")
            else:
                contest = found[0]
                event = contest.events.filter(name=row.get("event") or "").first()
                if event is None and row.get("event"):
                    row.error("event", f"竞赛“{name}”中没有项目“{row.get('event')}”。")
                row.extra["event"] = event
                row.extra["contest"] = contest
        code = row.get("org")
        if code:
            org = Org.objects.filter(code=code).first()
            if org is None or (self.actor is not None and not scope.has_perm(self.actor, "honours.view", org.path)):
                row.error("org", f"未找到编码为“{code}”的单位，或不在您的管理范围内。")
            elif "contest" in row.extra and not org.path.startswith(row.extra["contest"].org.path):
                row.error("org", f"“{org.name}”不在竞赛组织单位“{row.extra['contest'].org.name}”的范围内。")
            else:
                row.extra["org"] = org
        if row.get("prize") is not None and row.get("prize") < 0:
            row.error("prize", "奖金不能为负数。")

    def save_row(self, row):
        event, org = row.extra["event"], row.extra["org"]
        parsed = row.get("id_number")
        _, _, _, key = services.entry_identity(event.contest, org, row.get("name"), parsed.number if parsed else "")
        result = {k: row.get(k) for k in ("rank", "score", "award", "title_earned")}
        result["prize"] = row.get("prize") or 0
        entry = event.entries.filter(person_key=key).first() if key else None
        if entry is not None:
            changed = services.entry_result(actor=self.actor, entry=entry, rank=result["rank"], score=result["score"],
                                            award=result["award"] or "", title_earned=result["title_earned"] or "",
                                            prize=result["prize"])
            return excel.UPDATED if changed else excel.UNCHANGED
        services.entry_add(actor=self.actor, event=event, org=org, name=row.get("name"),
                           id_number=parsed.number if parsed else "", team=row.get("team") or "",
                           **{k: v for k, v in result.items() if v is not None})
        return excel.CREATED
