"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""


def cases(tree, personas):
    return {**member_cases(tree), **MEMBER_IO_CASES}


def member_cases(tree):
    """A member of 甲一 (in the town clerk's and town admin's scope) and one of 乙一 (outside)."""
    from gonghui.members import services
    from gonghui.members.models import Transfer
    from tests.members.conftest import make_id

    m_in = services.member_join(actor=None, union=tree.union_a1, name="甲会员", id_number=make_id(seq=301),
                                joined_on=tree.union_a1.founded_on)
    m_out = services.member_join(actor=None, union=tree.union_b1, name="乙会员", id_number=make_id(seq=302),
                                 joined_on=tree.union_b1.founded_on)
    t_in = Transfer.objects.create(membership=m_out, to_union=tree.union_a2, requested_on=m_out.started_on,
                                   effective_on=m_out.started_on)
    t_out = Transfer.objects.create(membership=m_in, to_union=tree.union_b1, requested_on=m_in.started_on,
                                    effective_on=m_in.started_on)
    member = ([m_in.pk], [m_out.pk])
    return {
        "members:roster": None, "members:join": None, "members:transfers": None,
        "members:detail": member, "members:edit": member, "members:reveal": member, "members:transfer": member,
        "members:retain": member, "members:restore": member, "members:leave": member,
        "members:transfer_decide": ([t_in.pk], [t_out.pk]),
        "members:pick": None,  # scoped inside: tests/members/test_pickers.py
    }


# The roster's export works on the user's scope (an out-of-scope org filter is tested in
# tests/members/test_export.py); the import page is core's (core:import, tests/core/url_cases.py).
MEMBER_IO_CASES = {"members:export": None}
