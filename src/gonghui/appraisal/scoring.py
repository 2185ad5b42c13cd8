"""Scoring of a target-management appraisal (DOMAIN §10.2–10.3) as pure functions.

Nothing here reads the database: an indicator tree is a list of `Node`s, the facts are
`Input`s (the registry value, the year's target, a manual score), and `score_tree` returns
every node's score, the total, whether a veto struck and the grade. Validation raises the
project's ServiceError with a Chinese message naming the indicator, so the services can show it
beside the field that holds it.

Rule types and their parameters (values in the metric's own unit; a rate in percent):
- threshold_full 达标得满分: {"min": 98} → full score when value ≥ min, else 0;
- step 阶梯: {"steps": [[80, 4], [75, 3], [70, 2], [65, 1]]} → the score of the first step whose
  minimum the value reaches; minimums strictly descending, scores strictly descending, none above max;
- deduct_per_item 每缺/每起扣分: {"per": 2} → max − per × count, never below 0;
- ratio 比例: {"target": 50} (optional: else the year's target) → max × value ÷ target, capped at max;
- bonus 加分: {"per": 1} → per × count, capped at the indicator's max; outside the weights;
- veto 一票否决: {"limit": 0} → a count above the limit strikes the whole appraisal (total 0,
  lowest grade); scores nothing itself (max 0);
- manual 人工评分: the score entered (self-score or review), 0 ≤ score ≤ max.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from gonghui.core.errors import ServiceError

THRESHOLD, STEP, DEDUCT, RATIO, BONUS, VETO, MANUAL = (
    "threshold_full", "step", "deduct_per_item", "ratio", "bonus", "veto", "manual")
RULE_LABELS = {
    THRESHOLD: "达标得满分", STEP: "阶梯计分", DEDUCT: "每缺/每起扣分", RATIO: "按比例计分",
    BONUS: "加分", VETO: "一票否决", MANUAL: "人工评分",
}
# Rule types outside the weights: their points are not part of the parent's share.
UNWEIGHTED = (BONUS, VETO)
CENT = Decimal("0.01")


def fmt(d) -> str:
    """A score as people write it: 7, 2.5 (not 7.00)."""
    d = Decimal(d)
    return f"{d.normalize():f}"


def dec(value, what: str, field_name: str = "params") -> Decimal:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{what}“{value}”不是数字。", field=field_name) from None
    if not d.is_finite():
        raise ServiceError(f"{what}“{value}”不是数字。", field=field_name)
    return d


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    max_score: Decimal
    rule_type: str = MANUAL
    params: dict = field(default_factory=dict)
    parent: str = ""  # the parent's code; "" for a top-level indicator

    @property
    def title(self) -> str:
        return f"指标“{self.code} {self.name}”"


@dataclass(frozen=True)
class Input:
    value: Decimal | None = None  # registry value or counted items
    target: Decimal | None = None  # the year's target (ratio without its own)
    manual: Decimal | None = None  # the score entered for a manual indicator
    override: Decimal | None = None  # the reviewer's score, replacing the rule's result


@dataclass
class Outcome:
    scores: dict[str, Decimal]
    total: Decimal
    vetoed_by: list[str]
    grade: str = ""

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoed_by)


# ---------------------------------------------------------------- validation

def clean_params(node: Node) -> dict:
    """The node's parameters checked and normalised (numbers as strings); raises naming the node."""
    t, p, mx = node.rule_type, dict(node.params or {}), node.max_score
    if t not in RULE_LABELS:
        raise ServiceError(f"{node.title}的计分方式“{t}”无效。", field="rule_type")
    if mx < 0:
        raise ServiceError(f"{node.title}的分值不能为负数。", field="max_score")
    if t == THRESHOLD:
        return {"min": str(dec(p.get("min", ""), f"{node.title}的达标值"))}
    if t == STEP:
        raw = p.get("steps") or []
        if not raw:
            raise ServiceError(f"{node.title}至少需要一个阶梯。", field="params")
        steps = []
        for i, pair in enumerate(raw, 1):
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise ServiceError(f"{node.title}第{i}级阶梯应为“下限, 得分”。", field="params")
            lo, sc = dec(pair[0], f"{node.title}第{i}级下限"), dec(pair[1], f"{node.title}第{i}级得分")
            if sc > mx or sc < 0:
                raise ServiceError(f"{node.title}第{i}级得分 {fmt(sc)} 超出 0～{fmt(mx)} 分。", field="params")
            if steps and lo >= steps[-1][0]:
                raise ServiceError(f"{node.title}第{i}级下限 {fmt(lo)} 不低于上一级 {fmt(steps[-1][0])}：阶梯重叠或顺序颠倒，"
                                   "请从高到低排列。", field="params")
            if steps and sc >= steps[-1][1]:
                raise ServiceError(f"{node.title}第{i}级得分 {fmt(sc)} 不低于上一级 {fmt(steps[-1][1])}：阶梯顺序颠倒。",
                                   field="params")
            steps.append((lo, sc))
        return {"steps": [[str(lo), str(sc)] for lo, sc in steps]}
    if t in (DEDUCT, BONUS):
        per = dec(p.get("per", ""), f"{node.title}的每项分值")
        if per <= 0:
            raise ServiceError(f"{node.title}的每项分值应大于 0。", field="params")
        return {"per": str(per)}
    if t == RATIO:
        if p.get("target") in (None, ""):
            return {}
        target = dec(p["target"], f"{node.title}的目标值")
        if target <= 0:
            raise ServiceError(f"{node.title}的目标值应大于 0。", field="params")
        return {"target": str(target)}
    if t == VETO:
        if mx != 0:
            raise ServiceError(f"{node.title}为一票否决项，分值应为 0。", field="max_score")
        return {"limit": str(dec(p.get("limit", 0), f"{node.title}的否决界限"))}
    return {}


def check_tree(nodes: list[Node], total: Decimal) -> None:
    """Every node's parameters, unique codes, known parents, and weights: the weighted children of
    a node add up to its score, the top-level indicators to the scheme's total."""
    codes = set()
    for n in nodes:
        if n.code in codes:
            raise ServiceError(f"指标编号“{n.code}”重复。", field="code")
        codes.add(n.code)
        clean_params(n)
    by_parent: dict[str, list[Node]] = {}
    for n in nodes:
        if n.parent and n.parent not in codes:
            raise ServiceError(f"{n.title}的上级指标“{n.parent}”不存在。", field="parent")
        by_parent.setdefault(n.parent, []).append(n)
    parents = {n.code: n for n in nodes}
    for code, kids in by_parent.items():
        share = sum((k.max_score for k in kids if k.rule_type not in UNWEIGHTED), Decimal(0))
        if code:
            parent = parents[code]
            if parent.rule_type in UNWEIGHTED:
                raise ServiceError(f"{parent.title}为{RULE_LABELS[parent.rule_type]}项，不能有下级指标。",
                                   field="parent")
            if share != parent.max_score:
                raise ServiceError(f"{parent.title}的下级指标分值合计 {fmt(share)} 分，与其分值 {fmt(parent.max_score)} 分"
                                   "不符。", field="max_score")
        elif share != total:
            raise ServiceError(f"一级指标分值合计 {fmt(share)} 分，与方案总分 {fmt(total)} 分不符。", field="total_score")


def clean_grades(grades) -> list[list]:
    """[[name, minimum total], ...] from the best grade down; the last may have minimum 0."""
    out = []
    for i, pair in enumerate(grades or [], 1):
        if not isinstance(pair, list | tuple) or len(pair) != 2 or not str(pair[0]).strip():
            raise ServiceError(f"第{i}个等次应为“名称, 最低分”。", field="grades")
        lo = dec(pair[1], f"等次“{pair[0]}”的最低分", "grades")
        if out and lo >= Decimal(out[-1][1]):
            raise ServiceError(f"等次“{pair[0]}”的最低分 {fmt(lo)} 不低于上一等次：请从高到低排列。", field="grades")
        out.append([str(pair[0]).strip(), str(lo)])
    if not out:
        raise ServiceError("请至少设置一个等次。", field="grades")
    return out


def check_manual(node: Node, score) -> Decimal:
    s = dec(score, f"{node.title}的得分", "score")
    if s < 0 or s > node.max_score:
        raise ServiceError(f"{node.title}的得分 {fmt(s)} 超出 0～{fmt(node.max_score)} 分。", field="score")
    return s


# ---------------------------------------------------------------- scoring

def leaf_score(node: Node, inp: Input) -> Decimal:
    """One indicator's score from its facts. A value that is missing scores 0 (no data, no points)."""
    t, p, mx = node.rule_type, node.params or {}, node.max_score
    v = inp.value
    if inp.override is not None:
        return check_manual(node, inp.override)
    if t == MANUAL:
        return Decimal(0) if inp.manual is None else check_manual(node, inp.manual)
    if t == VETO:
        return Decimal(0)
    if t == DEDUCT:
        n = v or 0
        return max(Decimal(0), mx - Decimal(str(p["per"])) * Decimal(n))
    if t == BONUS:
        return min(mx, Decimal(str(p["per"])) * Decimal(v or 0))
    if v is None:
        return Decimal(0)
    v = Decimal(v)
    if t == THRESHOLD:
        return mx if v >= Decimal(str(p["min"])) else Decimal(0)
    if t == STEP:
        for lo, sc in p["steps"]:
            if v >= Decimal(str(lo)):
                return Decimal(str(sc))
        return Decimal(0)
    if t == RATIO:
        target = Decimal(str(p["target"])) if p.get("target") else inp.target
        if not target or target <= 0:
            return Decimal(0)
        return min(mx, (mx * v / target).quantize(CENT, ROUND_HALF_UP))
    raise ServiceError(f"{node.title}的计分方式“{t}”无效。", field="rule_type")


def vetoes(node: Node, inp: Input) -> bool:
    return node.rule_type == VETO and inp.value is not None and Decimal(inp.value) > Decimal(
        str((node.params or {}).get("limit", 0)))


def grade_of(total: Decimal, grades: list, vetoed: bool = False) -> str:
    if not grades:
        return ""
    if vetoed:
        return grades[-1][0]
    for name, lo in grades:
        if total >= Decimal(str(lo)):
            return name
    return grades[-1][0]


def score_tree(nodes: list[Node], inputs: dict[str, Input], grades: list | None = None) -> Outcome:
    """Leaves by their rule, a parent as the sum of its children (its weighted ones capped at its
    score, bonuses on top), the total as the sum of the top level; a veto makes the total 0."""
    kids: dict[str, list[Node]] = {}
    for n in nodes:
        kids.setdefault(n.parent, []).append(n)
    scores: dict[str, Decimal] = {}
    vetoed_by: list[str] = []

    def walk(n: Node) -> Decimal:
        inp = inputs.get(n.code, Input())
        if n.code in kids:
            weighted = sum((walk(k) for k in kids[n.code] if k.rule_type not in UNWEIGHTED), Decimal(0))
            extra = sum((walk(k) for k in kids[n.code] if k.rule_type in UNWEIGHTED), Decimal(0))
            s = min(weighted, n.max_score) + extra
        else:
            s = leaf_score(n, inp)
            if vetoes(n, inp):
                vetoed_by.append(n.name)
        scores[n.code] = s
        return s

    total = sum((walk(n) for n in kids.get("", [])), Decimal(0))
    if vetoed_by:
        total = Decimal(0)
    return Outcome(scores, total, vetoed_by, grade_of(total, grades or [], bool(vetoed_by)))


def rank(rows: list[tuple[object, Decimal, Decimal]]) -> list[tuple[object, int]]:
    """[(key, total, tie-break subtotal)] → [(key, rank)] by total then subtotal, both descending;
    equal on both share a rank (1, 2, 2, 4)."""
    ordered = sorted(rows, key=lambda r: (-r[1], -r[2]))
    out, prev, place = [], None, 0
    for i, (key, total, sub) in enumerate(ordered, 1):
        if (total, sub) != prev:
            place, prev = i, (total, sub)
        out.append((key, place))
    return out
