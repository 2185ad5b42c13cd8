"""导入名称: the names under which an employer appears in clerks' rosters (issue 17).

A roster import lists every 工作单位 name it could not match; the clerk links such a name to the
employer it means here, and the next import matches it (orgs.matching). Viewing needs
employers.view on the employer, linking and unlinking employers.change (orgs.services).
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import scope
from gonghui.core.errors import ServiceError
from gonghui.core.forms import Form
from gonghui.core.views_base import requires

from . import services
from .models import Employer, EmployerAlias


class AliasForm(Form):
    name = forms.CharField(label="名称", max_length=200,
                           help_text="会员名册“工作单位”一列中该单位的写法，如简称或旧名。")


def _employer(request, pk, perm="employers.view"):
    return scope.get_visible_or_404(Employer.objects.select_related("org"), request.user, perm, pk=pk)


@requires("employers.view")
def employer_aliases(request, pk):
    employer = _employer(request, pk)
    can_change = scope.has_perm(request.user, "employers.change", employer.org.path)
    form = AliasForm(request.POST or None)
    if request.method == "POST" and can_change and form.is_valid():
        try:
            alias = services.employer_alias_add(actor=request.user, employer=employer, name=form.cleaned_data["name"])
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已关联“{alias.name}”：今后导入会员时按此名称匹配本单位。")
            return redirect("orgs:employer_aliases", pk=employer.pk)
    return render(request, "orgs/employer_aliases.html", {
        "employer": employer, "aliases": employer.aliases.order_by("name"), "form": form, "can_change": can_change,
    })


@requires("employers.change")
@require_POST
def employer_alias_remove(request, pk):
    alias = get_object_or_404(EmployerAlias.objects.select_related("employer__org"), pk=pk)
    employer = _employer(request, alias.employer_id, "employers.change")
    services.employer_alias_remove(actor=request.user, alias=alias)
    messages.success(request, f"已取消关联“{alias.name}”。")
    return redirect("orgs:employer_aliases", pk=employer.pk)
