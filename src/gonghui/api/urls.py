"""/api/tokens/… (the token pages) and /api/v1/… (the JSON API, its schema and documentation)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import registry, views_docs, views_tokens

app_name = "api"

registry.load()
router = SimpleRouter()
for prefix, (viewset, basename) in registry.RESOURCES.items():
    router.register(prefix, viewset, basename=basename)

v1 = [
    path("", views_docs.root, name="root"),
    path("schema/", views_docs.SchemaView.as_view(), name="schema"),
    path("docs/", views_docs.docs, name="docs"),
    *[path(f"{prefix}/", view.as_view(), name=name) for prefix, (view, name) in registry.VIEWS.items()],
    *router.urls,
]

urlpatterns = [
    path("tokens/", views_tokens.tokens, name="tokens"),
    path("tokens/users/", views_tokens.users_tokens, name="users_tokens"),
    path("tokens/<int:pk>/revoke/", views_tokens.revoke, name="token_revoke"),
    path("v1/", include((v1, "v1"))),
]
