"""What the bench scripts that work on a kept database share: the bench's fixed keys and opening a
kept PostgreSQL bench database with Django set up on it (the volume loaders bench/*_volume.py, the
import benchmarks bench/funds_import.py and bench/mutual_aid_import.py, bench/dashboard_profile.py)."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Fixed keys for the bench's synthetic members: a database kept with `bench/run.py --keep`
# outlives its data dir, and whatever reuses it must still decrypt and look up what was encrypted.
FIELD_KEY = "gonghui-bench-field-key (synthetic data only)"
LOOKUP_KEY = "gonghui-bench-lookup-key (synthetic data only)"

SRC = Path(__file__).resolve().parent.parent / "src"


def use_keys(*, override: bool = True) -> None:
    """Set the bench's fixed keys in the environment (`override=False`: only where none is set)."""
    for name, value in (("GONGHUI_FIELD_KEY", FIELD_KEY), ("GONGHUI_LOOKUP_KEY", LOOKUP_KEY)):
        if override:
            os.environ[name] = value
        else:
            os.environ.setdefault(name, value)


def point_at(database: str, script: str) -> None:
    """Set DATABASE_URL to `database` on DATABASE_URL's server (PostgreSQL only), the bench keys and
    a temporary data dir (unless one is set), without setting Django up."""
    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not urlsplit(server).scheme.startswith("postgres"):
        raise SystemExit(f"bench/{script}.py loads PostgreSQL only")
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(server)._replace(path="/" + database))
    use_keys()
    os.environ.setdefault("GONGHUI_DATA_DIR", tempfile.mkdtemp(prefix=f"gonghui-bench-{script}-"))


def setup_django(setup: Callable[[], None] | None = None) -> None:
    """Django on the settings the environment names (`setup`, e.g. bench/run.py's, instead of the plain one)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "gonghui.settings"
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    if setup is not None:
        setup()
        return
    import django

    django.setup()


def open_database(database: str, script: str, setup: Callable[[], None] | None = None) -> None:
    """Point Django at `database` on DATABASE_URL's server (PostgreSQL only) under the bench keys."""
    point_at(database, script)
    setup_django(setup)
