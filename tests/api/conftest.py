import pytest

from gonghui.api import services


class Api:
    """Django's test client speaking to /api/v1/ with a persona's token."""

    def __init__(self, client, user, read_only=False):
        self.client = client
        self.user = user
        _token, self.token = services.token_create(actor=user, user=user, name="测试", days=30, read_only=read_only)

    def _headers(self, extra):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}", **extra}

    def get(self, path, data=None, **extra):
        return self.client.get(f"/api/v1/{path}", data or {}, **self._headers(extra))

    def post(self, path, data=None, **extra):
        return self.client.post(f"/api/v1/{path}", data or {}, content_type="application/json", **self._headers(extra))


@pytest.fixture
def api_for(client):
    def make(user, read_only=False):
        return Api(client, user, read_only)

    return make


@pytest.fixture(autouse=True)
def fresh_throttle(settings):
    """A token's id repeats from test to test (each test is rolled back) but the cache's request counts
    do not: every test starts with none, at a rate the permission matrix's hundreds of requests do not
    reach (the throttle's own test sets its rate)."""
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE = "100000/min"
