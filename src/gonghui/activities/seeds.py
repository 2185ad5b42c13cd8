"""The built-in activity kinds (DOMAIN §12.2 E–G): what the work summaries count.

Each row: code, name, section, session word (None: no sessions), measures (p = 人, t = 人次,
u = 家, i = items, m = 元), item word, verb. `seed_kinds(ActivityKind)` creates the missing ones
and never touches a kind a user has changed, so it runs in the data migration and again safely.
"""

from __future__ import annotations

BUILTIN = (
    ("women_training", "女职工培训", "women", "期", "pt", "项", "参训"),
    ("women_skills", "女职工技术培训", "women", "期", "pt", "项", "参训"),
    ("women_lecture", "女职工健康讲座", "women", "期", "t", "项", "参加"),
    ("health_screening", "妇女病普查", "women", "次", "pu", "项", "普查"),
    ("women_coordination", "女工协管", "women", None, "t", "项", "参加"),
    ("migrant_training", "农民工培训", "training", "期", "pt", "项", "培训"),
    ("skills_training", "职工技能培训", "training", "期", "pt", "项", "参训"),
    ("cadre_training", "工会干部培训", "training", "期", "pt", "项", "培训"),
    ("lecture", "专题讲座", "culture", "场", "t", "项", "参加"),
    ("culture_sports", "文体活动", "culture", "场", "tm", "项", "参加"),
    ("performance", "文艺演出", "culture", "场", "pim", "个", "演职人员"),
    ("reading", "职工书屋读书活动", "culture", "场", "t", "项", "参加"),
    ("enterprise_visit", "走访企业", "research", "次", "u", "项", "走访"),
    ("survey", "问卷调查", "research", None, "ui", "份", "发放问卷"),
    ("symposium", "座谈会", "research", "场", "t", "项", "参加"),
    ("law_inspection", "劳动法律执法检查", "safety", "次", "u", "项", "检查"),
    ("safety_training", "安全生产培训", "safety", "期", "t", "项", "参训"),
    ("ankang_cup", "安康杯竞赛", "safety", None, "pu", "项", "参赛"),
    ("labour_contest", "劳动技能竞赛", "contest", "项", "pum", "项", "参赛"),
    ("suggestion", "合理化建议", "contest", None, "i", "条", "征集"),
    ("innovation", "技术创新成果", "contest", None, "i", "项", "取得"),
    ("volunteer", "志愿服务", "service", "次", "t", "项", "参加"),
    ("free_training", "免费送学", "service", "期", "pu", "项", "送学"),
    ("condolence", "走访慰问", "care", "次", "tm", "项", "慰问"),
    ("model_checkup", "劳模体检", "care", "次", "p", "项", "体检"),
)

# Built-in sub-kinds (其中) and their parents: set by migration 0005 and by seed_kinds.
SUBKINDS = {"women_skills": "women_training"}


def seed_kinds(ActivityKind) -> int:
    """Create the built-in kinds not yet present (by code); returns how many were created."""
    created = 0
    for order, (code, name, section, session_word, measures, item_word, verb) in enumerate(BUILTIN, start=1):
        if ActivityKind.objects.filter(code=code).exists() or ActivityKind.objects.filter(name=name).exists():
            continue
        ActivityKind.objects.create(
            code=code, name=name, section=section, has_sessions=session_word is not None,
            session_word=session_word or "期", has_persons="p" in measures, has_person_times="t" in measures,
            has_units="u" in measures, has_items="i" in measures, item_word=item_word,
            has_money="m" in measures, verb=verb, builtin=True, order=order * 10)
        created += 1
    return created
