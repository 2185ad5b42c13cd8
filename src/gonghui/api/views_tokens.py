"""The token pages: a user creates (the token is shown once), lists and revokes his own tokens;
his administrator (accounts.manage over the user's unit) lists and revokes them too."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import clock, scope
from gonghui.core.errors import ServiceError
from gonghui.core.paging import keyset
from gonghui.core.views_base import login_only, requires

from . import services
from .forms import TokenForm
from .models import ApiToken


@login_only
def tokens(request):
    form = TokenForm(request.POST or None)
    created = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            token, created = services.token_create(actor=request.user, user=request.user, name=d["name"],
                                                   days=d["days"], read_only=d["read_only"])
        except ServiceError as err:
            form.add_service_error(err)
        else:
            form = TokenForm()
    qs = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    return render(request, "api/tokens.html", {"form": form, "created": created, "now": clock.now(),
                                               "page": keyset(qs, request, "api.tokens")})


@requires("accounts.manage")
def users_tokens(request):
    qs = scope.visible(ApiToken.objects.select_related("user", "user__home_org"), request.user, "accounts.manage",
                       "user__home_org__path").order_by("-created_at", "-id")
    return render(request, "api/users_tokens.html", {"now": clock.now(),
                                                     "page": keyset(qs, request, "api.users_tokens")})


@login_only
@require_POST
def revoke(request, pk):
    mine = ApiToken.objects.filter(user=request.user)
    managed = scope.visible(ApiToken.objects.all(), request.user, "accounts.manage", "user__home_org__path")
    token = (mine | managed).filter(pk=pk).first()
    if token is None:
        from django.http import Http404

        raise Http404("未找到该令牌，或您无权撤销。")
    try:
        services.token_revoke(actor=request.user, token=token)
    except ServiceError as err:
        messages.error(request, err.messages[0])
    else:
        messages.success(request, f"已撤销令牌“{token.name}”。")
    if token.user_id == request.user.pk:
        return redirect("api:tokens")
    return redirect("api:users_tokens")
