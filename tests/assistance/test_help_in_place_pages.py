"""Help in place on the pages that lay out their own fields (issue 15, item 15): the review form
shows each field's rule, and every aria-describedby names an element of the page."""

from django.urls import reverse

from gonghui.assistance import services
from tests.core.test_help_in_place import assert_no_dangling_descriptions

from .conftest import D


def test_the_review_form_and_the_archive_page_carry_their_hints(client, tree, personas, archive, four_eyes):
    a = archive()
    app = services.application_submit(actor=four_eyes["clerk"], archive=a, type="living", amount_requested=800,
                                      reason="生活困难", applied_on=D(2025, 3, 1))
    client.force_login(four_eyes["reviewer"])
    html = client.get(reverse("assistance:application_detail", args=[app.pk])).content.decode()
    assert 'id="decision-form"' in html
    assert "审核、审批须由申请经办人以外的人办理" in html  # the decision's rule, under the field
    assert_no_dangling_descriptions(html)
    client.force_login(personas.county_admin)  # may see the full numbers: the reveal form is there
    assert_no_dangling_descriptions(client.get(reverse("assistance:archive_detail", args=[a.pk])).content.decode())
