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

from gonghui.core import clock, crypto, scope
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
    choice,
    display,
    is_empty,
    parse_code,
    parse_date,
    register,
)
from gonghui.core.identifiers import clean_uscc, parse_id_number
from gonghui.orgs.models import MEMBER_UNION_TYPES, Employer, Org
from gonghui.orgs.selectors import employers_for

from . import bulk, services
from .models import (
    ETHNICITY_CHOICES,
    Education,
    Employment,
    Gender,
    Hukou,
    Membership,
    MemberStatus,
    Person,
    Political,
)

NEW, REJOIN, SAME = "new", "rejoin", "same"
CHUNK = 1000  # IN (...) lists stay well under SQLite's and PostgreSQL's parameter limits
MIGRANT_EMPLOYMENT = (Employment.EMPLOYED, Employment.FLEXIBLE)
KNOWN_FIELDS = ("pk", "id_hash", "name", "ethnicity", "education", "political", "phone_cipher", "hukou",
                "employment", "employer_id", "is_migrant_worker")
NOT_FOUND = "所在工会代码“{}”不存在，或不在您的管理范围内。"
PLAIN_FIELDS = ("name", "ethnicity", "education", "political", "phone", "hukou", "employment")


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


def chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start: start + size]


def _is_migrant(hukou: str, employment: str) -> bool:
    return hukou == Hukou.RURAL and (employment or Employment.EMPLOYED) in MIGRANT_EMPLOYMENT


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
    columns = (
        Column("姓名", "name", required=True, max_length=50, help="与身份证上的姓名一致。"),
        Column("公民身份号码", "id_number", required=True, parse=parse_id,
               help="18位（旧版15位自动升为18位），末位X大小写均可。"),
        Column("性别", "gender", parse=choice(Gender.choices), help="可不填：按身份证号判断；填写的须相符。"),
        Column("民族", "ethnicity", parse=choice(ETHNICITY_CHOICES), help="新会员不填时记为汉族。"),
        Column("出生日期", "birth_date", parse=parse_date, help="可不填：按身份证号判断；填写的须相符。"),
        Column("文化程度", "education", parse=choice(Education.choices)),
        Column("政治面貌", "political", parse=choice(Political.choices)),
        Column("手机号码", "phone", parse=parse_phone, help="11位手机号。"),
        Column("户籍类型", "hukou", parse=choice(Hukou.choices),
               help="农村户籍且就业状态为在岗或灵活就业的，自动记为农民工。"),
        Column("就业状态", "employment", parse=choice(Employment.choices), help="新会员不填时记为在岗。"),
        Column("工作单位统一社会信用代码", "employer_uscc", parse=checked_code(clean_uscc),
               help="须是系统中已登记的用人单位。"),
        Column("所在工会代码", "union_code", required=True, parse=parse_code, max_length=40,
               help="会员所在基层工会的组织编码。"),
        Column("入会日期", "joined_on", required=True, parse=parse_date, help="基层工会批准入会的日期。"),
        Column("会员证号", "card_no", parse=parse_code, max_length=40, help="全国唯一；没有的留空。"),
    )
    field_headers = {"union": "所在工会代码", "employer": "工作单位统一社会信用代码"}
    notes = (
        "以“公民身份号码”识别人员：系统中没有的办理入会；已是本工会会员的，按表更新姓名、民族、文化程度、"
        "政治面貌、手机号码、户籍类型、就业状态和工作单位（留空的单元格不修改）。",
        "已是其他工会会员的人员不能在此入会：请在“转会”页面按公民身份号码申请转入，由原工会办理。导入不修改入会日期和会员证号。",
        "“性别”“出生日期”可不填，按身份证号自动判断；填写的须与身份证号相符。",
        "农民工不单列一列：户籍类型为“农村”且就业状态为“在岗”或“灵活就业”（不填视为在岗）的，自动记为农民工。",
    )

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
            row.extra["id_hashes"] = crypto.lookup_hashes(info.number)
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
            employer = self._employer(row, employers)
            person = next((people[h] for h in row.extra.get("id_hashes", ()) if h in people), None)
            mine = current.get(person.pk) if person is not None else None
            card = row.get("card_no")
            if card and card in card_holders and not (mine is not None and card_holders[card][0] == mine.pk):
                row.error("card_no", services.card_taken_message(self.actor, card, other_unions[card_holders[card][1]]))
            if union is None or row.get("id_number") is None:
                continue
            if person is None:
                row.extra["action"] = NEW
            elif person.pk in current:
                self._check_same(row, current[person.pk], union, other_unions, self.actor)
            else:
                row.extra["action"] = REJOIN
                ended = last_end.get(person.pk)
                if ended and row.get("joined_on") and row.get("joined_on") < ended:
                    row.error("joined_on", f"入会日期不能早于此人上一次会籍终止的日期 {ended}。")
            if row.extra.get("action") in (NEW, REJOIN):
                founded = union.founded_on
                if founded and row.get("joined_on") and row.get("joined_on") < founded:
                    row.error("joined_on", f"入会日期不能早于工会成立日期 {founded}。")
            row.extra["fields"] = self._fields(row, person, employer)
            if row.extra.get("action") == SAME:
                row.extra["changes"] = self._changes(person, row.extra["fields"])
                row.extra["person_pk"] = person.pk

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
    def _employer(row: Row, employers: dict[str, Employer]) -> Employer | None:
        uscc = row.get("employer_uscc")
        if not uscc:
            return None
        employer = employers.get(uscc)
        if employer is None:
            row.error("employer_uscc", services.EMPLOYER_UNKNOWN.format(uscc))
        return employer

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
        if row.get("joined_on") and row.get("joined_on") != membership.started_on:
            row.error("joined_on", f"与系统中的入会日期 {membership.started_on} 不一致；导入不修改入会日期。")
        card = row.get("card_no")
        if card and card != membership.card_no:
            held = f"“{membership.card_no}”" if membership.card_no else "为空"
            row.error("card_no", f"系统中该会员的会员证号{held}；导入不修改会员证号。")

    @staticmethod
    def _fields(row: Row, person, employer: Employer | None) -> dict:
        """The person fields this row sets (blank cells set nothing), 农民工 derived."""
        out = {f: row.get(f) for f in PLAIN_FIELDS if not row.blank(f) and row.get(f) is not None}
        if employer is not None:
            out["employer"] = employer
        if "hukou" in out or "employment" in out:
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
        writes = [r for r in rows if r.extra["action"] == REJOIN or r.extra.get("changes")]
        result.unchanged = sum(1 for r in rows if r.extra["action"] == SAME and not r.extra.get("changes"))
        new = [r for r in rows if r.extra["action"] == NEW]
        self.save_each(writes, result, total=len(rows))
        if any(r.errors for r in writes):
            return  # the transaction is rolled back: no need to write the rest
        done = len(rows) - len(new)
        result.created += bulk.members_bulk_join(
            actor=self.actor, rows=[self._new_member(r) for r in new],
            progress=lambda n: self.report(SAVING, done + n, len(rows)),
        )
        self.report(SAVING, len(rows), len(rows))

    @staticmethod
    def _new_member(row: Row) -> bulk.NewMember:
        return bulk.NewMember(union=row.extra["union"], name=row.get("name"), id_number=row.get("id_number"),
                              joined_on=row.get("joined_on"), card_no=row.get("card_no") or "",
                              fields=_without_name(row.extra["fields"]))

    def save_row(self, row: Row) -> str:
        if row.extra["action"] == SAME:
            person = Person.objects.get(pk=row.extra["person_pk"])
            services.person_update(actor=self.actor, person=person, **row.extra["changes"])
            return UPDATED
        services.member_join(actor=self.actor, union=row.extra["union"], name=row.get("name"),
                             id_number=row.get("id_number").number, joined_on=row.get("joined_on"),
                             card_no=row.get("card_no") or "", **_without_name(row.extra["fields"]))
        return CREATED

