"""The six-step procedure as a state machine (DOMAIN §3.2 and its status enum).

产生代表 → 要约 → (回应) 协商准备 → 正式协商 ⇄ 中止 → 职代会审议 → (通过) 签字 → 报送审查 →
(无异议) 生效 → 公布; a failed vote or the department's objection returns to 正式协商.
"""

from gonghui.core.workflow import Workflow

from .models import Status as S

FLOW = Workflow.build(S, {
    S.REPRESENTATIVES: {S.OFFERED, S.ABANDONED},
    S.OFFERED: {S.PREPARING, S.REFUSED, S.ABANDONED},
    S.REFUSED: {S.OFFERED, S.ABANDONED},  # a renewed offer after the 督促 of the higher union
    S.PREPARING: {S.NEGOTIATING, S.SUSPENDED, S.VOTING, S.ABANDONED},
    S.NEGOTIATING: {S.SUSPENDED, S.VOTING, S.ABANDONED},
    S.SUSPENDED: {S.NEGOTIATING, S.VOTING, S.ABANDONED},
    S.VOTING: {S.PASSED, S.NEGOTIATING, S.ABANDONED},
    S.PASSED: {S.SIGNED},
    S.SIGNED: {S.FILED},
    S.FILED: {S.EFFECTIVE, S.PUBLISHED, S.NEGOTIATING, S.TERMINATED},
    S.EFFECTIVE: {S.PUBLISHED, S.TERMINATED},
    S.PUBLISHED: {S.TERMINATED},
})
