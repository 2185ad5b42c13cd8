from django.shortcuts import render


def forbidden(request, exception=None):
    return render(request, "403.html", {"message": str(exception) if exception else ""}, status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context: nothing about the request (or personal data) reaches the page.
    return render(request, "500.html", status=500)
