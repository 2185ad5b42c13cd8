"""The 提案 procedure as a state machine (DOMAIN §7.2).

提出 → 审查: 立案 | 不立案（转为意见建议） → 交办（主办/会办，答复期限） → 书面答复（结果 A/B/C/D） → 提案人反馈.
"""

from gonghui.core.workflow import Workflow

from .models import Status as S

FLOW = Workflow.build(S, {
    S.FILED: {S.ACCEPTED, S.REJECTED},
    S.ACCEPTED: {S.ASSIGNED},
    S.ASSIGNED: {S.ANSWERED},
    S.ANSWERED: {S.CLOSED},
})
