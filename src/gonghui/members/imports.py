"""Excel import of the member roster (会员名册), ARCHITECTURE §4.5 and issue 3 part 4.

The natural key is the 公民身份号码 (found through its HMAC, never decrypted). Validation
reads the database in batches and gives every row one action:

* NEW: nobody has this ID number yet. Saved in bulk by `members.bulk` (it mirrors member_join).
* REJOIN: the person is known but has no current membership: `services.member_join`.
* SAME: the person is a current member of this same union. Plain fields that differ are saved
  through `services.person_update`; otherwise the row is unchanged, so re-importing a file
  changes nothing. 入会日期 and 会员证号 are never changed by an import (a difference is an error).

A current member of another union is an error: moving is a 转会. The error names that union
only to an importer who may see it; to anyone else it reads as "not here" (issue 12). For an
existing person a blank cell means "leave it as it is". 农民工 is not a column: DOMAIN §2.2
defines it as 农村户籍 living on wages from a non-farm employer, so it is derived as
户籍类型 = 农村 and 就业状态 = 在岗 or 灵活就业 (a blank 就业状态 is 在岗, the model's default).
Values of the ID-number and phone columns are masked in every error shown or stored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from django.db.models import Q

from gonghui.core import clock, codes, crypto, scope
from gonghui.core.errors import ServiceError
from gonghui.core.excel import (
    CREATED,
    SAVING,
    UPDATED,
    CellError,
    Column,
    Importer,
    Result,
    Row,
    RowError,
    checked_code,
    display,
    is_empty,
    parse_bool,
    parse_code,
    parse_date,
    register,
)
from gonghui.core.identifiers import clean_uscc, parse_id_number
from gonghui.orgs import matching
from gonghui.orgs import services as org_services
from gonghui.orgs.models import FEDERATION_TYPES, MEMBER_UNION_TYPES, Employer, Org
from gonghui.orgs.selectors import employers_for

from . import bulk, services
from .models import (
    Employment,
    Gender,
    Hukou,
    Membership,
    MemberStatus,
    Person,
)

NEW, REJOIN, SAME = "new", "rejoin", "same"
TRANSFER_IN = "transfer_in"  # a current member of another union in the importer's reach comes here
# 会籍变化类型 (issue 17): how an existing roster records a member's status. The stored value is
# the label; the other spellings clerks use are accepted as it.
JOIN, ARRIVE, RETAIN, OUT, EXPEL, WITHDRAW = "入会", "转入", "保留", "转出", "除名", "退会"
CHANGE_SPELLINGS = {"保留会籍": RETAIN, "开除会籍": EXPEL, "开除": EXPEL, "退出": WITHDRAW, "调入": ARRIVE, "调出": OUT}
CHANGE_REASON_NEEDED = (RETAIN, EXPEL, WITHDRAW)
LEAVING_STATUS = {EXPEL: MemberStatus.EXPELLED, WITHDRAW: MemberStatus.WITHDRAWN}
HISTORY_FIELDS = ("change_on", "change_reason", "change_union")
CHUNK = 1000  # IN (...) lists stay well under SQLite's and PostgreSQL's parameter limits
MIGRANT_EMPLOYMENT = (Employment.EMPLOYED, Employment.FLEXIBLE)
KNOWN_FIELDS = ("pk", "id_hash", "name", "ethnicity", "education", "political", "phone_cipher", "hukou",
                "employment", "employer_id", "is_migrant_worker", "employer_name")
NOT_FOUND = "所在工会代码“{}”不存在，或不在您的管理范围内。"
PLAIN_FIELDS = ("name", "ethnicity", "education", "political", "phone", "hukou", "employment", "employer_name")
UNMATCHED_ROWS_SHOWN = 10


def parse_id(value):
    if is_empty(value):
        return None
    if isinstance(value, bool | int | float):
        # An 18-digit number has more digits than Excel keeps (15): the last ones are gone for good.
        raise CellError("单元格是数字格式，Excel 已丢失身份证号的末几位（数字最多保留15位）。"
                        "请把该列设为“文本”格式，再重新录入完整号码。")
    try:
        return parse_id_number(parse_code(value))
    except ServiceError as exc:
        raise CellError(exc.messages[0]) from exc


parse_id.as_text = True


def parse_phone(value):
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an 11-digit number survives Excel intact, unlike an ID number
    text = display(value).strip().replace(" ", "").replace("-", "")
    if not (len(text) == 11 and text.isdigit() and text[0] == "1" and text[1] in "3456789"):
        raise CellError("手机号码应为11位数字，以13-19开头。")
    return text


parse_phone.as_text = True
_gender_code = codes.parser("gender")


def parse_gender(value):
    """性别 as a GB/T 2261.1 code or label; 0 未知 and 9 未说明 say nothing (the ID number does)."""
    code = _gender_code(value)
    return int(code) if code in ("1", "2") else None


parse_gender.as_text = True
parse_gender.choices = ("男", "女")


def parse_change(value):
    if is_empty(value):
        return None
    text = display(value).strip().replace(" ", "")
    text = CHANGE_SPELLINGS.get(text, text)
    if text not in parse_change.choices:
        raise CellError(f"“{text}”不是可选值。应为：{'、'.join(parse_change.choices)}。")
    return text


parse_change.choices = (JOIN, ARRIVE, RETAIN, OUT, EXPEL, WITHDRAW)


def chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start: start + size]


def _is_migrant(hukou: str, employment: str) -> bool:
    return Hukou.is_rural(hukou) and (employment or Employment.EMPLOYED) in MIGRANT_EMPLOYMENT


def _without_name(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if k != "name"}  # the services take the name on its own


MASKS = {"公民身份号码": crypto.mask_id, "手机号码": crypto.mask_phone}


@register
class MemberImporter(Importer):
    kind = "members"
    title = "会员"
    permission = "members.import"
    back = "members:roster"
    max_mb = 30  # a 100,000-row roster is about 10 MB
    max_rows = 150_000
    upload_union_field = "union_code"  # a provincial roster names its union only in 填表单位: chosen at upload
    columns = (
        Column("姓名", "name", required=True, max_length=50, help="与身份证上的姓名一致。"),
        Column("公民身份号码", "id_number", required=True, parse=parse_id,
               help="18位（旧版15位自动升为18位），末位X大小写均可。"),
        Column("性别", "gender", parse=parse_gender, help="可不填：按身份证号判断；填写的须相符。可填代码（1 男、2 女）。"),
        Column("民族", "ethnicity", parse=codes.parser("ethnicity"), help="新会员不填时记为汉族。可填代码或名称（GB/T 3304）。"),
        Column("出生日期", "birth_date", parse=parse_date, help="可不填：按身份证号判断；填写的须相符。"),
        Column("文化程度", "education", parse=codes.parser("education"), help="可填代码或名称（GB/T 4658 学历）。"),
        Column("政治面貌", "political", parse=codes.parser("political"), help="可填代码或名称（GB/T 4762）。"),
        Column("手机号码", "phone", parse=parse_phone, help="11位手机号。"),
        Column("户籍类型", "hukou", parse=codes.parser("hukou"),
               help="可填户口类型的代码或名称（GA 324.1：农业家庭户口、非农业家庭户口、集体户口等），也可填城镇、农村。"
                    "农业户口且就业状态为在岗或灵活就业的，自动记为农民工。"),
        Column("就业状态", "employment", parse=codes.parser("employment"),
               help="新会员不填时记为在岗。可填代码或名称（在岗、待（下）岗、失业、退休、离休、退职、退养（内退）、病休、其他，及灵活就业）。"),
        Column("工作单位统一社会信用代码", "employer_uscc", parse=checked_code(clean_uscc),
               help="须是系统中已登记的用人单位。"),
        Column("所在工会代码", "union_code", required=True, parse=parse_code, max_length=40,
               help="会员所在基层工会的组织编码。"),
        Column("入会日期", "joined_on", required=True, parse=parse_date, help="基层工会批准入会的日期。"),
        Column("会员证号", "card_no", parse=parse_code, max_length=40, help="全国唯一；没有的留空。"),
        Column("工作单位", "employer_name", max_length=200,
               help="单位名称，按名称匹配系统中已登记的单位（全角半角、空格、括号不计）；同时填写信用代码的以代码为准。",
               aliases=("工作单位名称", "单位名称", "所在单位", "工作单位全称", "现工作单位", "就业单位")),
        Column("单位地址", "employer_address", max_length=200,
               help="可不填：同名单位不止一家时用于区分；登记为新单位时记为其地址。",
               aliases=("工作单位地址", "单位详细地址")),
        Column("是否农民工会员", "is_migrant", parse=parse_bool,
               help="填“是”或“否”的以所填为准；不填的按户籍类型和就业状态判断。",
               aliases=("是否农民工", "是否为农民工", "农民工会员", "是否农民工会员(是/否)")),
        Column("会籍变化类型", "change", parse=parse_change,
               help="可不填（即入会）。保留、转出、除名、退会的会员按所填状态登记；转入的按转入登记。",
               aliases=("会籍变动类型", "会籍变化", "会籍变动", "变动类型")),
        Column("变化日期", "change_on", parse=parse_date, help="会籍变化类型不是“入会”的必填。",
               aliases=("变动日期", "会籍变化日期", "会籍变动日期")),
        Column("变化原因", "change_reason", max_length=200, help="保留、除名、退会必填，如退休、失业、本人申请。",
               aliases=("变动原因", "会籍变化原因", "会籍变动原因")),
        Column("转出/转入工会", "change_union", max_length=200,
               help="转出：转入的工会；转入：原来的工会。填组织编码或名称，系统外的工会填名称。",
               aliases=("转入/转出工会", "转出转入工会", "转入转出工会", "对方工会")),
    )
    field_headers = {"union": "所在工会代码", "employer": "工作单位统一社会信用代码",
                     "employer_name": "工作单位", "effective_on": "变化日期", "reason": "变化原因",
                     "to_union": "转出/转入工会", "from_union": "转出/转入工会", "status": "会籍变化类型"}
    notes = (
        "以“公民身份号码”识别人员：系统中没有的办理入会；已是本工会会员的，按表更新姓名、民族、文化程度、"
        "政治面貌、手机号码、户籍类型、就业状态和工作单位（留空的单元格不修改）。",
        "已是其他工会会员的人员不能在此入会：请在“转会”页面按公民身份号码申请转入，由原工会办理。导入不修改入会日期和会员证号。",
        "“性别”“出生日期”可不填，按身份证号自动判断；填写的须与身份证号相符。",
        "“是否农民工会员”填写的以所填为准；不填或没有该列的，户籍类型为“农村”且就业状态为“在岗”或“灵活就业”"
        "（不填视为在岗）的，自动记为农民工。",
        "“工作单位”按名称匹配已登记的单位；未匹配的单位会逐一列出，导入不保存。可勾选“未匹配的单位登记为新单位”"
        "（登记为待补充信用代码的单位）重新导入，或在用人单位页面把该名称关联到已登记的单位。",
    )
    # Options of the import page and the command line (core.views_import, `gonghui import`).
    flags = (("create_employers", "未匹配的单位登记为新单位", "--create-employers",
              "“工作单位”在系统中没有匹配的，登记为待补充信用代码的新单位（属地为所在工会的上级工会）。"),)

    def __init__(self, *, create_employers: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.create_employers = create_employers
        self._unmatched: dict[str, list[Row]] = {}
        self._new_employers: dict[str, tuple[str, str, Org]] = {}
        self._homes: dict[int, Org | None] = {}
        self._ring: crypto.Keyring | None = None
        self._ring_uses = 0

    def ring(self) -> crypto.Keyring:
        """The keyring, read once every CHUNK rows rather than once a cell (each read checks the
        keyring file: most of a hash's cost); a rotation meanwhile is seen within a chunk."""
        if self._ring is None or self._ring_uses >= CHUNK:
            self._ring, self._ring_uses = crypto.keyring(), 0
        self._ring_uses += 1
        return self._ring

    def may(self, union: Org) -> bool:
        """Importing into a union needs both the import and the change permission there."""
        if self.actor is None:
            return True
        return (scope.has_perm(self.actor, self.permission, union.path)
                and scope.has_perm(self.actor, "members.change", union.path))

    # --- validation -------------------------------------------------------------------------

    def clean_row(self, row: Row) -> None:
        info, today = row.get("id_number"), clock.today()
        if info is not None:
            # Every key version's hash: during a key rotation a person may still carry the old one.
            row.extra["id_hashes"] = crypto.lookup_hashes(info.number, self.ring())
            gender = row.get("gender")
            if gender is not None and gender != info.gender:
                row.error("gender", f"与公民身份号码不符（号码显示为{Gender(info.gender).label}）。")
            birth = row.get("birth_date")
            if birth is not None and birth != info.birth_date:
                row.error("birth_date", f"与公民身份号码不符（号码显示为 {info.birth_date}）。")
        joined = row.get("joined_on")
        if joined is not None:
            if joined > today:
                row.error("joined_on", f"入会日期（{joined}）不能晚于今天。")
            elif info is not None and joined < info.birth_date:
                row.error("joined_on", "入会日期早于出生日期。")
        self._clean_history(row, joined, today)

    @staticmethod
    def _clean_history(row: Row, joined, today) -> None:
        """The combination of the history columns; a row with a change keeps it in extra["history"]."""
        change = row.get("change")
        if change is None:
            if row.blank("change") and any(not row.blank(f) for f in HISTORY_FIELDS):
                row.error("change", "填写了变化日期、变化原因或转出/转入工会的，须同时填写会籍变化类型。")
            return
        on = row.get("change_on")
        if change == JOIN:
            if on is not None and joined is not None and on != joined:
                row.error("change_on", f"会籍变化类型为“入会”时，变化日期即入会日期（{joined}），可不填。")
            if not row.blank("change_union"):
                row.error("change_union", "会籍变化类型为“入会”时不填转出/转入工会。")
            return
        if row.blank("change_on"):
            row.error("change_on", f"会籍变化类型为“{change}”时须填写变化日期。")
        elif on is not None and on > today:
            row.error("change_on", f"变化日期（{on}）不能晚于今天。")
        elif on is not None and joined is not None and on < joined:
            row.error("change_on", f"变化日期（{on}）不能早于入会日期（{joined}）。")
        if change in CHANGE_REASON_NEEDED and row.blank("change_reason"):
            row.error("change_reason", f"会籍变化类型为“{change}”时须填写变化原因。")
        if change in (OUT, ARRIVE) and row.blank("change_union"):
            side = "转入的工会" if change == OUT else "原来的工会"
            row.error("change_union", f"会籍变化类型为“{change}”时须填写{side}（组织编码或名称）。")
        row.extra["history"] = change

    def row_keys(self, row: Row):
        info = row.get("id_number")
        return [("id_number", info.number if info else None), ("card_no", row.get("card_no"))]

    def check_rows(self, rows: list[Row]) -> None:
        codes = {r.get("union_code") for r in rows} - {None, ""}
        unions = {o.code: o for part in chunks(codes) for o in Org.objects.filter(code__in=part)}
        usccs = {r.get("employer_uscc") for r in rows} - {None}
        # Only employers the importer may pick: another area's reads as unregistered (issue 12).
        pickable = Employer.objects.all() if self.actor is None else employers_for(self.actor, services.EMPLOYER_PERM)
        employers = {e.uscc: e for part in chunks(usccs) for e in pickable.filter(uscc__in=part)}
        by_name = self._by_name(rows, pickable, employers)
        targets = self._targets(rows)
        hashes = [h for r in rows for h in r.extra.get("id_hashes", ())]
        # Tuples of the compared fields, not model instances: a re-import of 100,000 known
        # people must not hold 100,000 models (and their unions) in memory.
        people = {p.id_hash: p for part in chunks(hashes)
                  for p in Person.objects.filter(id_hash__in=part).values_list(*KNOWN_FIELDS, named=True)}
        current, last_end = self._memberships(people.values())
        cards = {r.get("card_no") for r in rows} - {None, ""}
        card_holders = {c: (m, union_id) for part in chunks(cards)
                        for c, m, union_id in Membership.objects.filter(card_no__in=part).exclude(card_no="")
                        .values_list("card_no", "pk", "union_id")}
        union_ids = {m.union_id for m in current.values()} | {u for _m, u in card_holders.values()}
        other_unions = {o.pk: o for part in chunks(union_ids) for o in Org.objects.filter(pk__in=part).only("pk", "name", "path")}
        for row in rows:
            union = self._union(row, unions)
            employer = self._employer(row, employers, by_name)
            person = next((people[h] for h in row.extra.get("id_hashes", ()) if h in people), None)
            mine = current.get(person.pk) if person is not None else None
            card = row.get("card_no")
            if card and card in card_holders and not (mine is not None and card_holders[card][0] == mine.pk):
                row.error("card_no", services.card_taken_message(self.actor, card, other_unions[card_holders[card][1]]))
            if union is None or row.get("id_number") is None:
                continue
            if person is None:
                row.extra["action"] = NEW
            elif person.pk in current and self._transfer_in(row, current[person.pk], union, other_unions):
                pass
            elif person.pk in current:
                self._check_same(row, current[person.pk], union, other_unions, self.actor)
            else:
                row.extra["action"] = REJOIN
                ended = last_end.get(person.pk)
                if ended and row.get("joined_on") and row.get("joined_on") < ended:
                    row.error("joined_on", f"入会日期不能早于此人上一次会籍终止的日期 {ended}。")
            if row.extra.get("action") in (NEW, REJOIN):
                founded = union.founded_on
                # A member who came from elsewhere stays here from the 转入 date, not from his 入会日期.
                here = "change_on" if row.extra.get("history") == ARRIVE else "joined_on"
                if founded and row.get(here) and row.get(here) < founded:
                    what = "转入日期" if here == "change_on" else "入会日期"
                    row.error(here, f"{what}不能早于工会成立日期 {founded}。")
            if row.extra.get("history") == OUT:
                self._target(row, targets)
            row.extra["fields"] = self._fields(row, person, employer)
            if row.extra.get("action") == SAME:
                row.extra["changes"] = self._changes(person, row.extra["fields"])
                row.extra["person_pk"] = person.pk
        self._check_unmatched()

    @staticmethod
    def _memberships(people) -> tuple[dict, dict]:
        """{person id: current membership} and {person id: last end date} for these people."""
        ids = [p.pk for p in people]
        current: dict = {}
        last_end: dict = {}
        for part in chunks(ids):
            for m in Membership.objects.filter(person_id__in=part).values_list(
                    "pk", "person_id", "union_id", "started_on", "ended_on", "status", "card_no", named=True):
                if m.ended_on is None:
                    current[m.person_id] = m
                elif last_end.get(m.person_id) is None or m.ended_on > last_end[m.person_id]:
                    last_end[m.person_id] = m.ended_on
        return current, last_end

    def _union(self, row: Row, unions: dict[str, Org]) -> Org | None:
        code = row.get("union_code")
        if not code:
            return None
        union = unions.get(code)
        if union is None or not self.may(union):
            # The same words for unknown and out of scope: an import must not reveal other areas.
            row.error("union_code", NOT_FOUND.format(code))
            return None
        if union.org_type not in MEMBER_UNION_TYPES:
            row.error("union_code", f"“{union.name}”是{union.get_org_type_display()}，会员应登记在基层工会。")
            return None
        if union.is_dissolved:
            row.error("union_code", f"“{union.name}”已注销，不能登记会员。")
            return None
        row.extra["union"] = union
        return union

    @staticmethod
    def _by_name(rows: list[Row], pickable, employers: dict[str, Employer]) -> dict:
        """What the 工作单位 names point to, read once: the candidates of names given alone, the
        employers of matched names (as models), and the aliases of names given beside a code."""
        alone = [r.get("employer_name") for r in rows if r.get("employer_name") and r.blank("employer_uscc")]
        found = matching.candidates(pickable, alone)
        ids = sorted({pk for cands in found.values() for pk in cands})
        models = {pk: e for part in chunks(ids) for pk, e in Employer.objects.in_bulk(part).items()}
        beside = [r.get("employer_name") for r in rows if r.get("employer_name") and r.get("employer_uscc")]
        aliases = matching.aliases_of([e.pk for e in employers.values()], beside)
        return {"found": found, "models": models, "aliases": aliases}

    def _employer(self, row: Row, employers: dict[str, Employer], by_name: dict) -> Employer | None:
        """The credit code's employer (a name beside it must name the same one), else the name's."""
        uscc, name = row.get("employer_uscc"), row.get("employer_name")
        if uscc:
            employer = employers.get(uscc)
            if employer is None:
                row.error("employer_uscc", services.EMPLOYER_UNKNOWN.format(uscc))
            elif name and not matching.same_name(employer, name, by_name["aliases"]):
                row.error("employer_name", f"与统一社会信用代码 {uscc} 登记的单位名称“{employer.name}”不一致"
                                           "（以信用代码为准）。请核对单位名称，或在用人单位页面把该名称关联到该单位。")
            return employer
        if not name or not row.blank("employer_uscc"):
            return None  # no name, or a bad code (already an error): nothing to match
        key = matching.normalise_name(name)
        picked = matching.pick(by_name["found"].get(key, {}), row.get("employer_address") or "")
        if picked is None:
            self._unmatched.setdefault(key, []).append(row)
            return None
        if isinstance(picked, list):
            row.error("employer_name", f"名称为“{name}”的单位有{len(picked)}家："
                                       f"{'、'.join(c.label for c in picked)}。请填写“工作单位统一社会信用代码”，"
                                       "或填写“单位地址”以区分。")
            return None
        return by_name["models"][picked.pk]

    def _check_unmatched(self) -> None:
        """Each name that matched no employer: one error on its first row, naming all its rows,
        unless the import may register it (create_employers) in the area above the member's union."""
        for key, rows in self._unmatched.items():
            first, name = rows[0], rows[0].get("employer_name")
            numbers = "、".join(str(r.number) for r in rows[:UNMATCHED_ROWS_SHOWN])
            where = f"第{numbers}行" + (f"等{len(rows)}行" if len(rows) > UNMATCHED_ROWS_SHOWN else "")
            if not self.create_employers:
                first.error("employer_name", f"单位“{name}”在系统中没有匹配的登记单位（{where}）。可勾选"
                                             "“未匹配的单位登记为新单位”（命令行 --create-employers）后重新导入，"
                                             "登记为待补充信用代码的新单位；或在用人单位页面把该名称关联到已登记的单位后再导入。")
                continue
            union = first.extra.get("union")
            if union is None:
                continue  # the union's own error says why
            home = self._home(union)
            if home is None or not scope.has_perm(self.actor, "employers.change", home.path):
                place = f"“{home.name}”" if home is not None else "所在工会的上级工会"
                first.error("employer_name", f"单位“{name}”未登记（{where}），您无权在{place}登记用人单位。"
                                             "请由上级工会登记或关联该单位后再导入。")
                continue
            address = next((r.get("employer_address") for r in rows if r.get("employer_address")), "")
            self._new_employers[key] = (name, address, home)
            for r in rows:
                r.extra["new_employer"] = key

    def _home(self, union: Org) -> Org | None:
        """The federation above a union: the 属地工会 of an employer registered from its roster."""
        if union.pk not in self._homes:
            step = Org.steplen
            above = [union.path[:i] for i in range(step, len(union.path), step)]
            self._homes[union.pk] = (Org.objects.filter(path__in=above, org_type__in=FEDERATION_TYPES)
                                     .order_by("-depth").first())
        return self._homes[union.pk]

    def _targets(self, rows: list[Row]) -> dict[str, list[Org]]:
        """The unions named in 转出/转入工会 of 转出 rows, by code or name, among those the importer
        may import into (any other is outside the system for him: the member left for it)."""
        texts = {r.get("change_union") for r in rows if r.extra.get("history") == OUT} - {None, ""}
        found: dict[str, list[Org]] = {}
        for part in chunks(texts):
            for org in Org.objects.filter(Q(code__in=part) | Q(name__in=part), org_type__in=MEMBER_UNION_TYPES):
                if not self.may(org):
                    continue
                for key in {org.code, org.name} & set(part):
                    found.setdefault(key, []).append(org)
        return found

    @staticmethod
    def _target(row: Row, targets: dict[str, list[Org]]) -> None:
        text = row.get("change_union")
        orgs = targets.get(text or "", [])
        if len(orgs) > 1:
            row.error("change_union", f"名称为“{text}”的工会有{len(orgs)}个，请填写组织编码。")
        elif orgs and orgs[0].pk == row.extra["union"].pk:
            row.error("change_union", "转入的工会与所在工会相同。")
        elif orgs:
            row.extra["to_union"] = orgs[0]

    def _transfer_in(self, row: Row, membership, union: Org, other_unions: dict[int, Org]) -> bool:
        """A 转入 row of a current member of another union that the importer also manages: the
        membership moves here through services.member_transfer (True); otherwise False."""
        if row.extra.get("history") != ARRIVE or membership.union_id == union.pk:
            return False
        holder = other_unions[membership.union_id]
        if not scope.has_perm(self.actor, "members.change", holder.path):
            return False
        text = row.get("change_union")
        if text and text not in (holder.code, holder.name):
            row.error("change_union", f"此人现为“{holder.name}”的会员，与所填的原工会“{text}”不符。")
        row.extra["action"] = TRANSFER_IN
        row.extra["membership_pk"] = membership.pk
        return True

    @staticmethod
    def _check_same(row: Row, membership, union: Org, other_unions: dict[int, Org], actor) -> None:
        if membership.union_id != union.pk:
            holder = other_unions[membership.union_id]
            if not services.may_see_union(actor, holder):
                row.error("id_number", services.NOT_HERE)  # out of scope: neither the union nor the status
                return
            status = MemberStatus(membership.status).label
            row.error("id_number", f"此人已是“{holder.name}”的会员（{status}），不能重复入会；"
                                   "如需转入本工会，请由原工会办理转会。")
            return
        row.extra["action"] = SAME
        history = row.extra.get("history")
        if history == ARRIVE:  # here since the 转入; the roster's 入会日期 is the first one, elsewhere
            if row.get("change_on") and row.get("change_on") != membership.started_on:
                row.error("change_on", f"此人已是本工会会员，系统中的转入日期为 {membership.started_on}。")
            row.extra["history"] = None
        elif row.get("joined_on") and row.get("joined_on") != membership.started_on:
            row.error("joined_on", f"与系统中的入会日期 {membership.started_on} 不一致；导入不修改入会日期。")
        if history in (RETAIN, JOIN) and membership.status == (MemberStatus.RETAINED if history == RETAIN
                                                               else MemberStatus.ACTIVE):
            row.extra["history"] = None  # already so: re-importing the roster changes nothing
        elif history == JOIN:
            row.extra["history"] = None  # a retained member listed as 入会: the status is not changed here
        elif history:
            row.extra["membership_pk"] = membership.pk
        card = row.get("card_no")
        if card and card != membership.card_no:
            held = f"“{membership.card_no}”" if membership.card_no else "为空"
            row.error("card_no", f"系统中该会员的会员证号{held}；导入不修改会员证号。")

    @staticmethod
    def _fields(row: Row, person, employer: Employer | None) -> dict:
        """The person fields this row sets (blank cells set nothing), 农民工 as given or derived."""
        out = {f: row.get(f) for f in PLAIN_FIELDS if not row.blank(f) and row.get(f) is not None}
        if employer is not None:
            out["employer"] = employer
            if out.get("employer_name") == employer.name and not getattr(person, "employer_name", ""):
                # The registered name of a person with no spelling of the roster's own: nothing to keep
                # (our export writes the registered name there, and must import back unchanged).
                del out["employer_name"]
        if row.get("is_migrant") is not None:
            out["is_migrant_worker"] = row.get("is_migrant")
        elif "hukou" in out or "employment" in out:
            hukou = out.get("hukou", person.hukou if person else "")
            employment = out.get("employment", person.employment if person else Employment.EMPLOYED)
            out["is_migrant_worker"] = _is_migrant(hukou, employment)
        return out

    @staticmethod
    def _changes(person, fields: dict) -> dict:
        def current(name):
            if name == "phone":
                return crypto.decrypt(person.phone_cipher)
            if name == "employer":
                return person.employer_id
            return getattr(person, name)

        return {f: v for f, v in fields.items()
                if current(f) != (v.pk if f == "employer" else v)}

    def errors(self, rows: list[Row]) -> list[RowError]:
        return [dataclasses.replace(e, value=MASKS[e.column](e.value)) if e.column in MASKS and e.value else e
                for e in super().errors(rows)]

    # --- saving -----------------------------------------------------------------------------

    def save_rows(self, rows: list[Row], result: Result) -> None:
        """Rows that need a service one by one; unchanged rows counted; new people in bulk."""
        if not self._register_employers(rows):
            return
        # Rows with a history change go through the services one by one, like the pages' own.
        writes = [r for r in rows if r.extra["action"] in (REJOIN, TRANSFER_IN) or r.extra.get("changes")
                  or (r.extra.get("history") and r.extra["action"] != NEW)]
        writes += [r for r in rows if r.extra["action"] == NEW and self._has_history(r)]
        result.unchanged = sum(1 for r in rows if r.extra["action"] == SAME and not r.extra.get("changes")
                               and not r.extra.get("history"))
        new = [r for r in rows if r.extra["action"] == NEW and not self._has_history(r)]
        self.save_each(writes, result, total=len(rows))
        if any(r.errors for r in writes):
            return  # the transaction is rolled back: no need to write the rest
        done = len(rows) - len(new)
        result.created += bulk.members_bulk_join(
            actor=self.actor, rows=[self._new_member(r) for r in new],
            progress=lambda n: self.report(SAVING, done + n, len(rows)),
        )
        self.report(SAVING, len(rows), len(rows))

    def _register_employers(self, rows: list[Row]) -> bool:
        """The unmatched employers the clerk chose to register (待补充信用代码), then on their rows."""
        made: dict[str, Employer] = {}
        for key, (name, address, home) in self._new_employers.items():
            try:
                made[key] = org_services.employer_create(actor=self.actor, org=home, name=name, address=address or "")
            except ServiceError as exc:
                first = next(r for r in rows if r.extra.get("new_employer") == key)
                first.error("employer_name", exc.messages[0])
        if len(made) < len(self._new_employers):
            return False
        for row in rows:
            key = row.extra.get("new_employer")
            if key is not None:
                row.extra["fields"]["employer"] = made[key]
                if row.extra["action"] == SAME:
                    row.extra["changes"]["employer"] = made[key]
        return True

    @staticmethod
    def _new_member(row: Row) -> bulk.NewMember:
        return bulk.NewMember(union=row.extra["union"], name=row.get("name"), id_number=row.get("id_number"),
                              joined_on=row.get("joined_on"), card_no=row.get("card_no") or "",
                              fields=_without_name(row.extra["fields"]))

    @staticmethod
    def _has_history(row: Row) -> bool:
        return row.extra.get("history") not in (None, JOIN)

    def save_row(self, row: Row) -> str:
        action, history = row.extra["action"], row.extra.get("history")
        if action == TRANSFER_IN:
            membership = Membership.objects.select_related("union", "person").get(pk=row.extra["membership_pk"])
            if row.extra.get("changes"):
                services.person_update(actor=self.actor, person=membership.person, **row.extra["changes"])
            services.member_transfer(actor=self.actor, membership=membership, to_union=row.extra["union"],
                                     effective_on=row.get("change_on"), reason=row.get("change_reason") or "")
            return UPDATED
        if action == SAME:
            if row.extra.get("changes"):
                person = Person.objects.get(pk=row.extra["person_pk"])
                services.person_update(actor=self.actor, person=person, **row.extra["changes"])
            if history:
                membership = Membership.objects.select_related("union", "person").get(pk=row.extra["membership_pk"])
                self._change_status(row, membership, history)
            return UPDATED
        join = dict(actor=self.actor, union=row.extra["union"], name=row.get("name"),
                    id_number=row.get("id_number").number, card_no=row.get("card_no") or "",
                    **_without_name(row.extra["fields"]))
        if history == ARRIVE:
            services.member_arrive(joined_on=row.get("joined_on"), arrived_on=row.get("change_on"),
                                   from_name=row.get("change_union"), reason=row.get("change_reason") or "", **join)
            return CREATED
        membership = services.member_join(joined_on=row.get("joined_on"), **join)
        if history and history != JOIN:
            self._change_status(row, membership, history)
        return CREATED

    def _change_status(self, row: Row, membership: Membership, history: str) -> None:
        """保留, 除名, 退会 or 转出 on the date of the row, through the services the member pages use."""
        on, reason = row.get("change_on"), row.get("change_reason") or ""
        if history == RETAIN:
            services.member_retain(actor=self.actor, membership=membership, effective_on=on, reason=reason)
        elif history in LEAVING_STATUS:
            services.member_leave(actor=self.actor, membership=membership, status=LEAVING_STATUS[history],
                                  effective_on=on, reason=reason)
        elif history == OUT and row.extra.get("to_union") is not None:
            services.member_transfer(actor=self.actor, membership=membership, to_union=row.extra["to_union"],
                                     effective_on=on, reason=reason)
        elif history == OUT:
            services.member_transfer_out(actor=self.actor, membership=membership, to_name=row.get("change_union"),
                                         effective_on=on, reason=reason)

