from django.shortcuts import render

from gonghui.core.views_base import requires


@requires("stats.view")
def index(request):
    return render(request, "reports/index.html")
