from django.shortcuts import render

from gonghui.core.views_base import requires


@requires("assistance.view")
def index(request):
    return render(request, "assistance/index.html")
