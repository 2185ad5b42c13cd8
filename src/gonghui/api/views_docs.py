"""The OpenAPI description (/api/v1/schema/) and its documentation page from vendored Swagger UI."""

from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.views import SpectacularAPIView
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from gonghui.core.views_base import public


class SchemaView(SpectacularAPIView):
    """The description of every operation: readable without a token (it holds no data)."""

    permission_classes = [AllowAny]
    throttle_classes = []
    authentication_classes = []


@public
def docs(request):
    return render(request, "api/docs.html", {"schema_url": reverse("api:v1:schema") + "?format=json"})


@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([])
def root(request):
    """Where to start: the schema, the documentation and the resources."""
    return Response({"schema": request.build_absolute_uri(reverse("api:v1:schema")),
                     "docs": request.build_absolute_uri(reverse("api:v1:docs")),
                     "version": "1"})
