import re
import uuid

from . import audit

# What a reverse proxy sends as its request id: 32 hex digits (nginx's $request_id) or a UUID.
REQUEST_ID_FORMAT = re.compile(r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def request_id_from(header: str) -> str:
    """The proxy's request id when it has the strict format (stored as 32 hex digits), else a
    new one: whatever a client puts in the header must not reach the audit log."""
    value = (header or "").strip().lower()
    if REQUEST_ID_FORMAT.fullmatch(value):
        return value.replace("-", "")
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """Give every web request an id and mark audit entries written during it as "web"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request.headers.get("X-Request-ID", ""))
        with audit.context(source="web", request_id=request.request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class ContentSecurityPolicyMiddleware:
    """Only our own scripts and styles: every asset is vendored, nothing comes from a CDN."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.POLICY)
        return response


class NoStoreMiddleware:
    """Nothing the application renders is kept by a browser or proxy cache: pages show personal
    data once logged in, downloads are personal data, and even the login page carries a CSRF
    token. Static files are served by WhiteNoise before this and keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response
