"""Who a request is: a token (Authorization: Bearer gh_…) acts as its user; a browser's session
works too, with Django's CSRF check on writes (DRF's SessionAuthentication)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import services
from .models import ApiToken

SCHEMES = ("bearer", "token")


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in SCHEMES:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Authorization 头应写作“Bearer 令牌”。")
        try:
            raw = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("令牌无效。") from None
        token = services.check(raw)
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已被撤销。")
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's login; writes need the CSRF token like every page form."""


def read_only(request) -> bool:
    return isinstance(request.auth, ApiToken) and request.auth.read_only


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "gonghui.api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "在“系统 → 接口令牌”页面创建的令牌：Authorization: Bearer gh_…"}
