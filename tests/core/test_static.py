"""Front-end assets are vendored (no CDN) and survive collectstatic's hashed-name storage."""

import os
import re
import subprocess
import sys

from django.contrib.staticfiles import finders

ASSETS = ["vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js",
          "vendor/htmx/htmx.min.js", "vendor/bootstrap-icons/bootstrap-icons.min.css", "gonghui/app.css"]


def test_vendored_assets_are_found():
    for asset in ASSETS:
        assert finders.find(asset), asset


def test_pages_load_no_third_party_urls(client, personas):
    client.force_login(personas.county_admin)
    page = client.get("/").content.decode()
    # Every address the page loads or links to is on this site. (Not a search for "cdn" in the
    # text: a random CSRF token once contained those three letters.)
    addresses = re.findall(r'\b(?:src|href|action)="([^"]*)"', page)
    assert addresses
    assert [a for a in addresses if not a.startswith(("/", "#", "?")) or a.startswith("//")] == []
    assert "https://" not in page


def test_collectstatic_with_the_manifest_storage_succeeds(tmp_path):
    env = {**os.environ, "GONGHUI_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gonghui.settings",
           "GONGHUI_STATICFILES_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0"], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
