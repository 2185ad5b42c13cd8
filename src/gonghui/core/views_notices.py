"""The start page's 我的草稿 fragment, and 上级通知: the notices list, posting and withdrawing (core.notices)."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import clock, drafts, notices, scope, tree
from .errors import ServiceError, join_messages
from .forms import NoticeForm
from .models import Notice
from .paging import keyset
from .views_base import login_only, requires

DRAFTS_PER_KIND = 5  # the start page shows the latest few of each kind and says how many there are


@login_only
def workbench_drafts(request):
    """The start page's 我的草稿: records the user started and has not carried through (core.drafts)."""
    items, total = drafts.mine(request.user, DRAFTS_PER_KIND)
    return render(request, "core/_workbench_drafts.html", {"items": items, "total": total, "per_kind": DRAFTS_PER_KIND})


def _posting_orgs(user):
    """The nodes the user may post from: those of his notices.post grants, highest first."""
    return tree.nodes().filter(path__in=scope.paths_with(user, "notices.post")).order_by("path")


@login_only
def notice_list(request):
    """Notices that reach the user, and those posted where he may post (with their withdraw button)."""
    today = clock.today()
    page = keyset(notices.listed(request.user).order_by("-valid_from", "-id"), request, "core.notices")
    for n in page.items:
        n.state = ("已撤回" if n.withdrawn_on else "未开始" if n.valid_from > today else
                   "已过期" if n.valid_until < today else "有效")
        n.can_withdraw = n.withdrawn_on is None and n.valid_until >= today and scope.has_perm(
            request.user, "notices.post", n.org_path)
    return render(request, "core/notices.html", {"page": page, "can_post": scope.has_perm(request.user, "notices.post")})


@requires("notices.post")
def notice_new(request):
    orgs = list(_posting_orgs(request.user))
    today = clock.today()
    form = NoticeForm(request.POST or None, orgs=orgs,
                      initial={"valid_from": today, "valid_until": today + dt.timedelta(days=30)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = next((o for o in orgs if o.pk == d["org"]), None)
        try:
            notices.notice_post(actor=request.user, org=org, title=d["title"], body=d["body"],
                                valid_from=d["valid_from"], valid_until=d["valid_until"])
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "通知已发布，下级单位的用户将在首页看到。")
            return redirect("core:notices")
    return render(request, "core/notice_form.html", {"form": form})


@requires("notices.post")
@require_POST
def notice_withdraw(request, pk):
    notice = scope.get_visible_or_404(Notice.objects.all(), request.user, "notices.post", pk=pk)
    try:
        notices.notice_withdraw(actor=request.user, notice=notice)
    except ServiceError as err:
        messages.error(request, join_messages(err.messages))
    else:
        messages.success(request, f"已撤回通知“{notice.title}”。")
    return redirect("core:notices")
