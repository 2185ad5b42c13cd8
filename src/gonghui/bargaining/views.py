from django.shortcuts import render

from gonghui.core.views_base import requires


@requires("bargaining.view")
def index(request):
    return render(request, "bargaining/index.html")
