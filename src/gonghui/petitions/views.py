from django.shortcuts import render

from gonghui.core.views_base import requires


@requires("petitions.view")
def index(request):
    return render(request, "petitions/index.html")
