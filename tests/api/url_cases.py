"""The token pages' rows of the page permission matrix (tests/core/test_url_permissions.py). The JSON
API under /api/v1/ has its own matrix, every operation × persona (tests/api/test_matrix.py)."""

from gonghui.api import services
from tests.conftest import make_user


def cases(tree, personas):
    mine, _ = services.token_create(actor=personas.town_admin, user=personas.town_admin, name="甲镇同步", days=30)
    other = make_user("b_clerk", tree.town_b, "业务经办")
    theirs, _ = services.token_create(actor=other, user=other, name="乙街道同步", days=30)
    return {
        "api:tokens": None,
        "api:users_tokens": None,
        "api:token_revoke": ([mine.pk], [theirs.pk]),
    }
