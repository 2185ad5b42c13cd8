"""Petition and mediation figures (DOMAIN §5, §12.2 C), registered in the metric registry.

Each case is attributed to one node: the union handling it, at that union's tree position on
the period's cut-off (so a case forwarded down counts once, at the union that received it,
and own level + children add up). Flow figures count dated steps inside the period; the
overdue figure is a stock as of the cut-off, rebuilt from the stored dates.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Q, Sum
from django.urls import reverse

from gonghui.core.metrics import (
    HIGHER_BETTER,
    LOWER_BETTER,
    RecordRow,
    Records,
    breakdown_for,
    grouped_counts,
    grouped_sums,
    metric,
    rate,
    rates_from,
    records_for,
)
from gonghui.core.tables import register_table
from gonghui.orgs.selectors import path_on, placed_under

from .models import Channel, Gender, Mediation, Petition

GROUP = "信访维权"
MEDIATION_GROUP = "劳动争议调解"
FORWARDED_Q = Q(channel=Channel.FORWARDED) | Q(forwarded_from__isnull=False)


def cases(org, period, subs: bool, model=Petition):
    return model.objects.filter(placed_under(org, period.end, subs, prefix="org__"))


def received(org, period, subs):
    return cases(org, period, subs).filter(received_on__gte=period.start, received_on__lte=period.end)


def _in(field: str, period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


@metric("petitions.total", label="收到信访事件", unit="宗", group=GROUP, phrase="收到信访", list_url="petitions:index", description="期间内本单位收到的信访案件")
def total(org, period, subs):
    return received(org, period, subs).count()


@metric("petitions.forwarded", label="上级转办信访", unit="宗", group=GROUP, phrase="上级转办", part_of="petitions.total", list_url="petitions:index",
        description="期间内收到的案件中，由上级工会转办的")
def forwarded(org, period, subs):
    return received(org, period, subs).filter(FORWARDED_Q).count()


@metric("petitions.direct", label="本级接访信访", unit="宗", group=GROUP, phrase="本级接访", part_of="petitions.total", list_url="petitions:index",
        description="期间内收到的案件中，本级直接接访（来信、来访、电话、网上、下级上报）的")
def direct(org, period, subs):
    return received(org, period, subs).exclude(FORWARDED_Q).count()


@metric("petitions.group_cases", label="群体性信访", unit="宗", group=GROUP, list_url="petitions:index", description="涉及5人及以上")
def group_cases(org, period, subs):
    return received(org, period, subs).filter(is_group=True).count()


@metric("petitions.closed", label="办结信访", unit="宗", group=GROUP, list_url="petitions:index", description="期间内办结的案件")
def closed(org, period, subs):
    return cases(org, period, subs).filter(_in("closed_on", period)).count()


@metric("petitions.recovered_amount", label="信访追回金额", unit="元", group=GROUP, list_url="petitions:index",
        description="期间内答复的案件追回的金额")
def recovered_amount(org, period, subs):
    value = cases(org, period, subs).filter(_in("replied_on", period)).aggregate(s=Sum("amount_recovered"))["s"]
    return value or Decimal("0.00")


@metric("petitions.on_time_notice_rate", label="按期受理告知率", unit="%", group=GROUP, direction=HIGHER_BETTER, list_url="petitions:index",
        description="期间内告知的案件中在15日内告知的 ÷（期间内告知的 + 期限已过仍未告知的）")
def on_time_notice_rate(org, period, subs):
    qs = cases(org, period, subs)
    done = qs.filter(_in("notice_on", period))
    missed = qs.filter(Q(notice_on__isnull=True) | Q(notice_on__gt=period.end),
                       notice_due__gte=period.start, notice_due__lt=period.end, received_on__lte=period.end)
    on_time = done.filter(notice_on__lte=F("notice_due")).count()
    return rate(on_time, done.count() + missed.count())


@metric("petitions.on_time_close_rate", label="按期办结率", unit="%", group=GROUP, direction=HIGHER_BETTER, list_url="petitions:index",
        description="期间内答复的案件中在办结期限内答复的 ÷（期间内答复的 + 期限已过仍未答复的）")
def on_time_close_rate(org, period, subs):
    qs = cases(org, period, subs).filter(accepted_on__isnull=False)
    done = qs.filter(_in("replied_on", period))
    missed = qs.filter(Q(replied_on__isnull=True) | Q(replied_on__gt=period.end),
                       close_due__gte=period.start, close_due__lt=period.end, accepted_on__lte=period.end)
    on_time = done.filter(replied_on__lte=F("close_due")).count()
    return rate(on_time, done.count() + missed.count())


def overdue_as_of(at) -> Q:
    """Late on `at`: past the notice date and not yet told, or past the conclusion date and not replied."""
    notice_late = (Q(notice_on__isnull=True) | Q(notice_on__gt=at)) & Q(notice_due__lt=at, received_on__lte=at)
    close_late = (Q(accepted_on__lte=at) & (Q(replied_on__isnull=True) | Q(replied_on__gt=at))
                  & Q(close_due__lt=at))
    return notice_late | close_late


@metric("petitions.overdue_open", label="逾期未办信访", unit="宗", group=GROUP, direction=LOWER_BETTER, list_url="petitions:index",
        description="截止日已过受理告知期限仍未告知，或已过办结期限仍未答复的案件")
def overdue_open(org, period, subs):
    return cases(org, period, subs).filter(overdue_as_of(period.end)).count()


@metric("petitions.women_share", label="女职工信访占比", unit="%", group=GROUP, list_url="petitions:index",
        description="期间内收到的案件中，信访人（首名）为女性的 ÷ 全部")
def women_share(org, period, subs):
    qs = received(org, period, subs)
    return rate(qs.filter(lead_gender=Gender.FEMALE).count(), qs.count())


@metric("mediation.cases", label="受理劳动争议调解", unit="宗", group=MEDIATION_GROUP, phrase="受理劳动争议调解案件", list_url="petitions:mediation_list")
def mediation_cases(org, period, subs):
    return cases(org, period, subs, Mediation).filter(_in("applied_on", period)).count()


@metric("mediation.success_rate", label="调解成功率", unit="%", group=MEDIATION_GROUP, direction=HIGHER_BETTER, list_url="petitions:mediation_list",
        description="期间内结案的调解案件中达成协议的 ÷ 结案数（含调解不成、撤回）")
def mediation_success_rate(org, period, subs):
    qs = cases(org, period, subs, Mediation).filter(_in("closed_on", period))
    return rate(qs.filter(state=Mediation.State.SUCCEEDED).count(), qs.count())


@metric("mediation.recovered_amount", label="调解协议金额", unit="元", group=MEDIATION_GROUP, list_url="petitions:mediation_list",
        description="期间内调解成功结案的协议金额")
def mediation_recovered_amount(org, period, subs):
    value = (cases(org, period, subs, Mediation).filter(_in("closed_on", period), state=Mediation.State.SUCCEEDED)
             .aggregate(s=Sum("agreed_amount"))["s"])
    return value or Decimal("0.00")



# --- the cases behind the figures (statistics pages' record lists) ----------------------------
# Only the case number, subject, date and union: never the petitioner (DOMAIN §13.1).

def _row(p) -> RecordRow:
    return RecordRow(label=f"{p.number} {p.title}", date=p.received_on, org_name=p.org.name,
                     url=reverse("petitions:detail", args=[p.pk]))


def _records(extra=None):
    def func(org, period, subs):
        qs = received(org, period, subs).select_related("org").order_by("received_on", "id")
        return Records(qs.filter(extra) if extra is not None else qs, _row)

    return func


records_for("petitions.total")(_records())
records_for("petitions.forwarded")(_records(FORWARDED_Q))
records_for("petitions.direct")(_records(~FORWARDED_Q))
records_for("petitions.group_cases")(_records(Q(is_group=True)))


@records_for("petitions.closed")
def _closed_records(org, period, subs):
    qs = cases(org, period, subs).filter(_in("closed_on", period)).select_related("org").order_by("closed_on", "id")
    return Records(qs, _row)


@records_for("petitions.overdue_open")
def _overdue_records(org, period, subs):
    qs = cases(org, period, subs).filter(overdue_as_of(period.end)).select_related("org").order_by("received_on", "id")
    return Records(qs, _row)


def _mediation_row(m) -> RecordRow:
    return RecordRow(label=f"{m.number} {m.get_dispute_type_display()}（{m.get_state_display()}）", date=m.applied_on,
                     org_name=m.org.name, url=reverse("petitions:mediation_detail", args=[m.pk]))


@records_for("mediation.cases")
def _mediation_records(org, period, subs):
    qs = (cases(org, period, subs, Mediation).filter(_in("applied_on", period)).select_related("org")
          .order_by("applied_on", "id"))
    return Records(qs, _mediation_row)


# A rate's records: the denominator's, the numerator's picked by `met` (the list shows them apart).

@records_for("mediation.success_rate")
def _mediation_success_records(org, period, subs):
    qs = (cases(org, period, subs, Mediation).filter(_in("closed_on", period)).select_related("org")
          .order_by("closed_on", "id"))
    return Records(qs, _mediation_row, met=Q(state=Mediation.State.SUCCEEDED), met_label="达成协议",
                   gap_label="调解不成或撤回")


@records_for("petitions.women_share")
def _women_share_records(org, period, subs):
    qs = received(org, period, subs).select_related("org").order_by("received_on", "id")
    return Records(qs, _row, met=Q(lead_gender=Gender.FEMALE), met_label="女职工信访", gap_label="其他信访")


@records_for("petitions.on_time_notice_rate")
def _on_time_notice_records(org, period, subs):
    # The rate's denominator: told in the period, or past the notice date by the cut-off untold.
    missed = (Q(notice_on__isnull=True) | Q(notice_on__gt=period.end)) & Q(
        notice_due__gte=period.start, notice_due__lt=period.end, received_on__lte=period.end)
    qs = cases(org, period, subs).filter(_in("notice_on", period) | missed).select_related("org")
    return Records(qs.order_by("received_on", "id"), _row, met=_in("notice_on", period) & Q(
        notice_on__lte=F("notice_due")), met_label="按期告知", gap_label="未按期告知")


@records_for("petitions.on_time_close_rate")
def _on_time_close_records(org, period, subs):
    # The rate's denominator: replied in the period, or past the conclusion date by the cut-off unreplied.
    missed = (Q(replied_on__isnull=True) | Q(replied_on__gt=period.end)) & Q(
        close_due__gte=period.start, close_due__lt=period.end, accepted_on__lte=period.end)
    qs = cases(org, period, subs).filter(accepted_on__isnull=False).filter(_in("replied_on", period) | missed)
    return Records(qs.select_related("org").order_by("received_on", "id"), _row, met=_in("replied_on", period) & Q(
        replied_on__lte=F("close_due")), met_label="按期办结", gap_label="未按期办结")


# --- set-based breakdowns by direct subordinate (statistics pages, standard tables, summary) ----------
# One grouped query over the subtree instead of one computation per subordinate; each case counts
# under the union handling it, at that union's tree position on the cut-off.

CASE_PATH = "org__placements__path"


def _by_child(qs_for):
    def breakdown(org, period):
        return grouped_counts(qs_for(org, period), CASE_PATH, path_on(org, period.end))

    return breakdown


breakdown_for("petitions.total", adds_up=True)(_by_child(lambda o, p: received(o, p, True)))
breakdown_for("petitions.forwarded", adds_up=True)(_by_child(lambda o, p: received(o, p, True).filter(FORWARDED_Q)))
breakdown_for("petitions.direct", adds_up=True)(_by_child(lambda o, p: received(o, p, True).exclude(FORWARDED_Q)))
breakdown_for("petitions.group_cases", adds_up=True)(_by_child(lambda o, p: received(o, p, True).filter(is_group=True)))
breakdown_for("petitions.closed", adds_up=True)(_by_child(lambda o, p: cases(o, p, True).filter(_in("closed_on", p))))
breakdown_for("petitions.overdue_open", adds_up=True)(
    _by_child(lambda o, p: cases(o, p, True).filter(overdue_as_of(p.end))))
breakdown_for("mediation.cases", adds_up=True)(
    _by_child(lambda o, p: cases(o, p, True, Mediation).filter(_in("applied_on", p))))


@breakdown_for("petitions.women_share", adds_up=True)
def women_share_by_child(org, period):
    qs = received(org, period, True)
    base = path_on(org, period.end)
    return rates_from(grouped_counts(qs.filter(lead_gender=Gender.FEMALE), CASE_PATH, base),
                      grouped_counts(qs, CASE_PATH, base))


def _on_time_by_child(done_for, missed_for, on_time):
    """A deadline rate by subordinate: on time ÷ (done in the period + missed by the cut-off)."""
    def breakdown(org, period):
        base = path_on(org, period.end)
        done = done_for(org, period)
        denominators = grouped_counts(done, CASE_PATH, base)
        for k, n in grouped_counts(missed_for(org, period), CASE_PATH, base).items():
            denominators[k] = denominators.get(k, 0) + n
        return rates_from(grouped_counts(done.filter(on_time), CASE_PATH, base), denominators)

    return breakdown


def _notice_missed(org, period):
    return cases(org, period, True).filter(Q(notice_on__isnull=True) | Q(notice_on__gt=period.end),
                                           notice_due__gte=period.start, notice_due__lt=period.end,
                                           received_on__lte=period.end)


def _close_missed(org, period):
    return cases(org, period, True).filter(accepted_on__isnull=False).filter(
        Q(replied_on__isnull=True) | Q(replied_on__gt=period.end), close_due__gte=period.start,
        close_due__lt=period.end, accepted_on__lte=period.end)


breakdown_for("petitions.on_time_notice_rate", adds_up=True)(_on_time_by_child(
    lambda o, p: cases(o, p, True).filter(_in("notice_on", p)), _notice_missed, Q(notice_on__lte=F("notice_due"))))
breakdown_for("petitions.on_time_close_rate", adds_up=True)(_on_time_by_child(
    lambda o, p: cases(o, p, True).filter(accepted_on__isnull=False).filter(_in("replied_on", p)), _close_missed,
    Q(replied_on__lte=F("close_due"))))


@breakdown_for("petitions.recovered_amount", adds_up=True)
def recovered_by_child(org, period):
    qs = cases(org, period, True).filter(_in("replied_on", period))
    return grouped_sums(qs, CASE_PATH, path_on(org, period.end), "amount_recovered")


@breakdown_for("mediation.success_rate", adds_up=True)
def mediation_success_by_child(org, period):
    qs, base = cases(org, period, True, Mediation).filter(_in("closed_on", period)), path_on(org, period.end)
    return rates_from(grouped_counts(qs.filter(state=Mediation.State.SUCCEEDED), CASE_PATH, base),
                      grouped_counts(qs, CASE_PATH, base))


@breakdown_for("mediation.recovered_amount", adds_up=True)
def mediation_amount_by_child(org, period):
    qs = cases(org, period, True, Mediation).filter(_in("closed_on", period), state=Mediation.State.SUCCEEDED)
    return grouped_sums(qs, CASE_PATH, path_on(org, period.end), "agreed_amount")


# --- cases by the channel they came in by, as registered (the standard table's columns) -----------

def _channel(ch: Channel) -> None:
    code = f"petitions.channel_{ch.value}"
    only = Q(channel=ch.value)

    def count(org, period, subs):
        return received(org, period, subs).filter(only).count()

    # Parts of 上级转办 / 本级接访, themselves parts of 收到信访: the summary's prose names only the
    # first level of parts, the table every channel.
    metric(code, label=f"信访渠道：{ch.label}", unit="宗", group=GROUP, list_url="petitions:index",
           description=f"期间内收到的、渠道登记为“{ch.label}”的案件", phrase=ch.label,
           part_of="petitions.forwarded" if ch == Channel.FORWARDED else "petitions.direct")(count)
    breakdown_for(code, adds_up=True)(_by_child(lambda o, p: received(o, p, True).filter(only)))
    records_for(code)(_records(only))


for _ch in Channel:
    _channel(_ch)


# --- the standard petition table (信访统计表), rendered by the reports app ----------------------------

register_table("petitions", title="信访统计表", permission="petitions.view", columns=[
    ("petitions.total", "收到信访(宗)"), ("petitions.forwarded", "其中上级转办"), ("petitions.direct", "其中本级接访"),
    *((f"petitions.channel_{ch.value}", f"{ch.label}(宗)") for ch in Channel),
    ("petitions.group_cases", "群体性(宗)"), ("petitions.closed", "办结(宗)"),
    ("petitions.on_time_notice_rate", "按期告知率(%)"), ("petitions.on_time_close_rate", "按期办结率(%)"),
    ("petitions.overdue_open", "逾期未办(宗)"), ("petitions.recovered_amount", "追回金额(元)"),
    ("mediation.cases", "受理调解(宗)"), ("mediation.success_rate", "调解成功率(%)"),
], note="逾期未办为截止日数据，其余为期间内发生数；每宗案件计入承办工会。")
