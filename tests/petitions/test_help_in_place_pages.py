"""Help in place on the pages that lay out their own fields (issue 15, item 15): every
aria-describedby names an element of the page."""

from django.urls import reverse

from tests.core.test_help_in_place import assert_no_dangling_descriptions

from .conftest import make_mediation, make_petition


def test_the_case_pages_inline_forms_name_existing_hints(client, tree, personas):
    p = make_petition(tree.union_a1)
    m = make_mediation(tree.union_a1)
    client.force_login(personas.county_admin)  # sees the reveal and attachment forms
    for url in (reverse("petitions:detail", args=[p.pk]), reverse("petitions:mediation_detail", args=[m.pk])):
        html = client.get(url).content.decode()
        assert "_helptext" in html
        assert_no_dangling_descriptions(html)
