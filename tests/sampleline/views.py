from django.shortcuts import render

from gonghui.core import scope
from gonghui.core.views_base import requires

from .models import Visit


@requires("sampleline.view")
def index(request):
    qs = scope.visible(Visit.objects.select_related("org"), request.user, "sampleline.view", "org_path")
    return render(request, "sampleline/index.html", {"visits": qs.order_by("-visited_on", "pk")[:100]})


@requires("sampleline.view")
def detail(request, pk):
    visit = scope.get_visible_or_404(Visit.objects.select_related("org"), request.user, "sampleline.view",
                                     "org_path", pk=pk)
    return render(request, "sampleline/index.html", {"visits": [visit]})
