"""The member's transfer request (转会 when he changes jobs) and its union picker."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from gonghui.core.errors import ServiceError
from gonghui.orgs.models import OrgType

from . import forms_member, services_member
from .auth import member_required
from .views import _employer, org_options, picked_org

# Unions a worker without an employer may move to (the join form's area picker lists the
# federations above them, which register no members).
OPEN_UNION_TYPES = (OrgType.COMMUNITY, OrgType.JOINT_GRASSROOTS)


@member_required
def pick_union(request):
    return org_options(request, OPEN_UNION_TYPES)


def _union(form, code: str):
    return picked_org(form, "union", code, OPEN_UNION_TYPES,
                      "未找到该社区（村）工会或联合基层工会，请输入名称后从候选项中选择。")


@member_required
@never_cache
def transfer(request):
    account = request.member
    form = forms_member.TransferForm(request.POST or None)
    if request.method == "POST":
        form.is_valid()  # every field's error at once: the pickers' too
        employer = _employer(form, form.cleaned_data.get("employer"))
        union = _union(form, form.cleaned_data.get("union"))
        if not form.errors:
            try:
                t = services_member.transfer_request(account=account, employer=employer, union=union,
                                                     effective_on=form.cleaned_data.get("effective_on"),
                                                     reason=form.cleaned_data.get("reason", ""))
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"转会申请已提交，等待“{t.to_union.name}”办理。")
                return redirect("portal:transfer")
    return render(request, "portal/transfer.html", {
        "member": account, "form": form, "membership": services_member.current_membership(account),
        "transfers": services_member.own_transfers(account)[:20]})
