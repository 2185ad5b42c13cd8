"""Excel import pages for orgs and employers (the shared pages of core.views_import)."""

from gonghui.core.views_import import import_views

import_page, import_template, import_errors = import_views(
    kinds=("orgs", "employers"), perm="orgs.import", namespace="orgs",
    back={"orgs": "orgs:tree", "employers": "orgs:employers"},
)
