"""Demo 会员服务: a few member accounts in the first township, so a clerk and a member can try
the portal at once. Written through the portal's services (audit entries, card numbers,
activation) like a real day:

- a 职工代表 of the congress (the democracy demo's first delegate of the running term, with his
  name) with two 提案: one waiting for review, one answered and waiting for his feedback,
- 李会员 (a transfer request to another union of the township, a help request, a correction request),
- 王会员 (accepted, not yet activated: his one-time activation code is printed),
- two pending online applications.

The two activated members sign in at /m/login/ with their ID number and MEMBER_PASSWORD (the
demo prints both; docs/guide/member-portal.md names the password). The township clerk ("town")
handles all of it.
"""

from __future__ import annotations

import contextlib

from gonghui.core.demo import DemoContext, builder

MEMBER_PASSWORD = "Huiyuan@2026"  # demo only, like accounts.demo.DEMO_PASSWORD


def _id(seq: int, birth: str) -> str:
    from gonghui.core.identifiers import id_check_char

    body = f"430121{birth}{900 + seq:03d}"  # 9xx: clear of the members demo's sequence numbers
    return body + id_check_char(body)


@builder("会员服务", after=("orgs", "members", "democracy", "assistance", "honours", "mutual_aid"))
def build_portal(ctx: DemoContext) -> None:
    from gonghui.core import clock
    from gonghui.core.errors import ServiceError
    from gonghui.democracy import services as democracy_services
    from gonghui.democracy.models import Congress
    from gonghui.orgs.models import Coverage

    from . import services, services_member

    today = clock.today()
    town = ctx.data["townships"][0]
    # A union of the township with a 职代会 whose term runs today (the democracy demo made them).
    congress = (Congress.objects.filter(org__path__startswith=town.path, ended_on__isnull=True, employer__isnull=False,
                                        terms__started_on__lte=today, terms__ends_on__gte=today)
                .select_related("org", "employer").order_by("org__path").first())
    if congress is None:
        return  # a demo without 职代会 (democracy's builder made none here): nothing to show
    employer, union = congress.employer, congress.org
    other = (Coverage.objects.filter(union__path__startswith=town.path, valid_to__isnull=True)
             .exclude(union=union).select_related("employer", "union").order_by("union__path").first())

    def accept(name, seq, birth):
        try:
            app = services.application_submit(name=name, id_number=_id(seq, birth), phone=f"1390731{seq:04d}",
                                              employer=employer, consent=True)
        except ServiceError:
            return None, None  # the ID number is taken in this demo (another seed): leave him out
        return services.application_accept(actor=None, application=app)

    term = congress.terms.filter(started_on__lte=today, ends_on__gte=today).first()
    seat = term.delegates.order_by("pk").first()
    if seat is None:
        return
    activated = []
    for name, seq, birth in ((seat.name, 1, "19860312"), ("李会员", 2, "19910725")):
        membership, code = accept(name, seq, birth)
        if membership is None:
            continue
        account = services.account_activate(id_number=_id(seq, birth), code=code, password=MEMBER_PASSWORD)
        activated.append(account)
        ctx.logins.append((_id(seq, birth), MEMBER_PASSWORD, f"会员服务 /m/login/：{name}（{union.name}）"))
    membership, code = accept("王会员", 3, "19950108")
    if membership is not None:
        ctx.logins.append((_id(3, "19950108"), "（待激活）", f"会员服务 /m/activate/：王会员，激活码 {code}"))
    for name, seq, birth in (("赵申请", 4, "19990601"), ("钱申请", 5, "20000915")):
        with contextlib.suppress(ServiceError):  # taken in this demo: one pending application fewer
            services.application_submit(name=name, id_number=_id(seq, birth), phone=f"1390731{seq:04d}",
                                        employer=employer, consent=True)
    if len(activated) < 2:
        return
    zhang, li = activated

    # The delegate is linked to his account by the clerk, then files two 提案 of his own.
    services_member.delegate_link(actor=None, delegate=seat, id_number=zhang.person.id_number)
    services_member.proposal_file(account=zhang, seat=seat, title="关于夜班职工就餐的建议", category="life",
                                  content="夜班职工下班时食堂已关门，建议增设夜班餐或在车间设置加热设备。")
    answered = services_member.proposal_file(account=zhang, seat=seat, title="关于增设职工书屋的建议", category="training",
                                             content="建议在职工活动中心增设职工书屋，配备技能类图书。")
    democracy_services.proposal_accept(actor=None, proposal=answered, decided_on=today)
    democracy_services.proposal_assign(actor=None, proposal=answered, assigned_on=today, lead_dept="工会办公室")
    democracy_services.proposal_answer(actor=None, proposal=answered, answered_on=today, result_code="B",
                                       answer="已列入明年职工之家建设计划，年内先在活动中心设置图书角。")

    # 李会员 changed jobs: a transfer request waiting at the other union, and two requests of his own.
    if other is not None:
        services_member.transfer_request(account=li, employer=other.employer, reason="已到新单位工作")
    services.help_request(account=li, kind="hardship", reason="妻子患病住院，家庭收入下降，申请困难帮扶。")
    services.rights_request(account=li, kind="correct", detail="手机号码已更换，请更正为新的号码。")
