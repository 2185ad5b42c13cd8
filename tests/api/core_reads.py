"""The read resources of the petitions' rows, the labour-dispute mediations, the members' events and
the orgs' terms and events (api/reads_core.py):
their operations for the permission matrix (tests/api/test_matrix.py) and one object of each kind
under 甲一 and one under 乙一, made through the petitions' services: {kind: ((id, org path) under 甲,
(…) under 乙)}."""

import datetime as dt

D = dt.date

READS = [  # (list path, permission, kind)
    ("/api/v1/petitioners/", "petitions.view", "petitioner"),
    ("/api/v1/petition-events/", "petitions.view", "petition_event"),
    ("/api/v1/petition-extensions/", "petitions.view", "petition_extension"),
    ("/api/v1/petition-attachments/", "petitions.view", "petition_attachment"),
    ("/api/v1/mediations/", "petitions.view", "mediation"),
    ("/api/v1/mediation-sessions/", "petitions.view", "mediation_session"),
    ("/api/v1/member-events/", "members.view", "member_event"),
    ("/api/v1/org-terms/", "orgs.view", "org_term"),
    ("/api/v1/org-events/", "orgs.view", "org_event"),
    ("/api/v1/transfers/", "members.view", "transfer"),
]
OPERATIONS = [op for path, perm, kind in READS for op in (("GET", path, perm, None),
                                                           ("GET", f"{path}{{id}}/", perm, kind))]
KINDS = {path: kind for path, _perm, kind in READS}
SHARED: set[str] = set()
TREE_ROWS = {"org_term", "org_event"}  # every org of the test tree has them, not one under 甲 and one under 乙


def make(tree, personas) -> dict:
    from gonghui.members import services as members
    from gonghui.orgs import services as org_services
    from gonghui.petitions import services

    out = {k: [] for _p, _perm, k in READS}
    for union, phone, id_number in ((tree.union_a1, "13900139001", "430121198505050024"),
                                    (tree.union_b1, "13900139002", "430121198505050040")):
        p = services.petition_register(actor=None, org=union, channel="visit", received_on=D(2026, 11, 2),
                                       title="拖欠工资", category="wages",
                                       petitioners=[{"name": "赵信访", "id_number": "430121199001010015",
                                                     "phone": phone, "address": "长沙县星沙街道"}])
        services.petition_accept(actor=None, petition=p, notice_on=D(2026, 11, 3))
        out["petition_extension"].append(services.extension_request(
            actor=None, petition=p, requested_on=D(2026, 11, 20), reason="需调取工资台账"))
        out["petition_attachment"].append(services.attachment_add(actor=None, petition=p, name="来信.pdf",
                                                                  content=b"%PDF-1.4 test"))
        out["petitioner"].append(p.petitioners.get())
        out["petition_event"].append(p.events.order_by("pk").first())
        m = services.mediation_register(actor=None, org=union, body="enterprise", applied_on=D(2026, 11, 5),
                                        applicant_name="钱申请", dispute_type="pay", applicant_phone=phone,
                                        employer_name="甲一公司", matter="加班费", amount_claimed="3000")
        out["mediation"].append(m)
        out["mediation_session"].append(services.mediation_session_add(
            actor=None, mediation=m, held_on=D(2026, 11, 10), notes="双方陈述，约定再议"))
        joined = members.member_join(actor=None, union=union, name="孙会员", id_number=id_number,
                                     joined_on=D(2024, 3, 1))
        out["member_event"].append(joined.events.get())
        out["org_term"].append(union.terms.order_by("pk").first() or org_services.org_reelect(
            actor=None, org=union, elected_on=D(2021, 6, 1), term_years=5))
        out["org_event"].append(union.events.order_by("pk").first())
    out["transfer"] = transfers(tree, personas)
    paths = {"member_event": lambda o: o.membership.union.path, "mediation": lambda o: o.org.path,
             "mediation_session": lambda o: o.mediation.org.path, "org_term": lambda o: o.org.path,
             "org_event": lambda o: o.org.path, "transfer": lambda o: o.membership.union.path}
    return {k: tuple((o.pk, paths.get(k, lambda o: o.petition.org.path)(o)) for o in rows) for k, rows in out.items()}


def transfers(tree, personas) -> list:
    """A pending transfer out of 甲一 to 乙一 (asked by 甲一's clerk, who cannot move the member
    there himself) and one out of 乙一 to a second union of 乙 (asked by a clerk of 乙一): the
    receiving side of each is in the scope only of those who also see the side it leaves."""
    from gonghui.members import services as members
    from gonghui.orgs import services as org_services
    from gonghui.orgs.models import OrgType
    from tests.conftest import make_user

    union_b2 = org_services.org_found(actor=None, parent=tree.town_b, name="乙二公司工会", org_type=OrgType.GRASSROOTS,
                                      founded_on=D(2022, 1, 1), code="B2")
    b1_clerk = make_user("b1_clerk", tree.union_b1, "业务经办")
    out = []
    for union, to, clerk, id_number in ((tree.union_a1, tree.union_b1, personas.union_clerk, "430121198505050067"),
                                        (tree.union_b1, union_b2, b1_clerk, "430121198505050083")):
        m = members.member_join(actor=None, union=union, name="周转会", id_number=id_number, joined_on=D(2023, 5, 1))
        out.append(members.member_transfer(actor=clerk, membership=m, to_union=to, effective_on=D(2026, 11, 1),
                                           reason="调动"))
    return out
