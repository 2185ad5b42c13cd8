"""URLs of the roster's Excel import and export (views_io.py)."""

urlpatterns: list = []
