"""What the volume loaders (bench/*_volume.py) share: the bench's fixed keys and opening a kept
PostgreSQL bench database with Django set up on it."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Fixed keys for the bench's synthetic members: a database kept with `bench/run.py --keep`
# outlives its data dir, and whatever reuses it must still decrypt and look up what was encrypted.
FIELD_KEY = "gonghui-bench-field-key (synthetic data only)"
LOOKUP_KEY = "gonghui-bench-lookup-key (synthetic data only)"


def open_database(database: str, script: str) -> None:
    """Point Django at `database` on DATABASE_URL's server (PostgreSQL only) under the bench keys."""
    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not urlsplit(server).scheme.startswith("postgres"):
        raise SystemExit(f"bench/{script}.py loads PostgreSQL only")
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(server)._replace(path="/" + database))
    os.environ["GONGHUI_FIELD_KEY"] = FIELD_KEY
    os.environ["GONGHUI_LOOKUP_KEY"] = LOOKUP_KEY
    os.environ.setdefault("GONGHUI_DATA_DIR", tempfile.mkdtemp(prefix=f"gonghui-bench-{script}-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "gonghui.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
