"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""


def cases(tree, personas):
    return {"reports:index": None}
