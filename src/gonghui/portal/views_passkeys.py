"""通行密钥 pages of the member portal (portal.passkeys): the member's list, adding and removing,
and the sign-in page's passkey button. The ceremonies' steps answer JSON to static/portal/passkey.js;
the list and the removal are plain forms that work without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gonghui.accounts.throttle import client_ip
from gonghui.core.errors import ServiceError
from gonghui.core.views_base import public

from . import auth, conf, forms, passkeys, throttle
from .auth import member_required
from .views import _next

EXPIRED = "操作已超时或已在其他窗口完成，请重新开始。"


def _error(message: str, field: str | None = None, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message, "field": field or ""}, status=status)


def _page(request, add_form=None, remove_form=None, removing=None, status=200):
    rows = list(request.member.passkeys.order_by("created_at", "pk"))
    forms_by_row = [(p, remove_form if removing == p.pk else forms.PasskeyRemoveForm(prefix=f"rm{p.pk}"))
                    for p in rows]
    return render(request, "portal/passkeys.html", {
        "rows": forms_by_row, "form": add_form or forms.PasskeyAddForm(),
        "available": passkeys.relying_party(request) is not None, "max": passkeys.MAX_PASSKEYS}, status=status)


@member_required
@never_cache
def passkey_list(request):
    return _page(request)


@member_required
@require_POST
def passkey_options(request):
    """Step 1 of adding: the password confirmed, the options for navigator.credentials.create()."""
    rp = passkeys.relying_party(request)
    if rp is None:
        return _error(passkeys.UNAVAILABLE)
    form = forms.PasskeyAddForm(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return _error(errors[0], field)
    try:
        options, challenge, handle = passkeys.registration_begin(
            account=request.member, name=form.cleaned_data["name"], password=form.cleaned_data["password"],
            rp=rp, ip=client_ip(request))
    except ServiceError as err:
        return _error(err.messages[0], err.field)
    passkeys.challenge_put(request.session, "register", challenge, account=request.member.pk,
                           name=form.cleaned_data["name"], handle=handle)
    return HttpResponse(options, content_type="application/json")


@member_required
@require_POST
def passkey_add(request):
    """Step 2 of adding: the browser's new credential, checked against the session's challenge."""
    rp = passkeys.relying_party(request)
    state = passkeys.challenge_take(request.session, "register")
    if rp is None or state is None or state.get("account") != request.member.pk:
        return _error(EXPIRED)
    try:
        passkey = passkeys.passkey_add(account=request.member, name=state["name"],
                                       credential=request.POST.get("credential", ""), challenge=state["challenge"],
                                       user_handle=state["handle"], rp=rp)
    except ServiceError as err:
        return _error(err.messages[0])
    messages.success(request, f"已添加通行密钥“{passkey.name}”，下次可在登录页使用通行密钥登录。")
    return JsonResponse({"redirect": reverse("portal:passkeys")})


@member_required
@require_POST
def passkey_remove(request, pk):
    passkey = request.member.passkeys.filter(pk=pk).first()
    if passkey is None:  # another member's or none: the same 404
        raise Http404("未找到该通行密钥。")
    form = forms.PasskeyRemoveForm(request.POST, prefix=f"rm{pk}")
    if form.is_valid():
        try:
            passkeys.passkey_remove(account=request.member, passkey=passkey, password=form.cleaned_data["password"],
                                    ip=client_ip(request))
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已删除通行密钥“{passkey.name}”。")
            return redirect("portal:passkeys")
    return _page(request, remove_form=form, removing=pk, status=400)


# --- the sign-in page's button ----------------------------------------------------------------------

@public
@require_POST
def sign_in_options(request):
    """Step 1 of signing in: the options for navigator.credentials.get(), the challenge kept in
    the session. Few per address and minute (each one writes a session)."""
    rp = passkeys.relying_party(request)
    if rp is None:
        return _error(passkeys.UNAVAILABLE)
    if throttle.over_limit("passkey", client_ip(request), conf.get("VERIFY_PER_MINUTE")):
        return _error(passkeys.SIGN_IN_REFUSED, status=429)
    options, challenge = passkeys.authentication_begin(rp=rp)
    passkeys.challenge_put(request.session, "sign_in", challenge)
    return HttpResponse(options, content_type="application/json")


@public
@require_POST
def sign_in(request):
    """Step 2: the assertion checked (portal.passkeys.passkey_sign_in); the member realm's session."""
    rp = passkeys.relying_party(request)
    if rp is None:
        return _error(passkeys.UNAVAILABLE)
    state = passkeys.challenge_take(request.session, "sign_in")
    try:
        account = passkeys.passkey_sign_in(credential=request.POST.get("credential", ""),
                                           challenge=state["challenge"] if state else None, rp=rp,
                                           ip=client_ip(request))
    except ServiceError as err:
        return _error(err.messages[0])
    auth.sign_in(request, account)
    return JsonResponse({"redirect": _next(request)})
