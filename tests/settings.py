"""The test project's settings: the application's, plus the sample work line that proves a line
installs by its folder and this one line."""

from gonghui.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.sampleline"]  # noqa: F405
