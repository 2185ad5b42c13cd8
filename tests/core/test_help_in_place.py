"""Help in place (issue 15, item 15): every form field states its rule as hint text under the field,
and every work line's pages link to its guide, which the application serves in Chinese."""

import importlib
import re

import pytest
from django import forms as django_forms
from django.template.loader import render_to_string
from django.urls import reverse

from gonghui.core import hints, workline

# Fields whose label says all there is to say (no deadline, threshold or format behind them).
SELF_EVIDENT = {"姓名", "简称", "新简称", "地址", "办公地址", "联系人", "工会主席", "原密码"}
# The sign-in form: a user name and a password need no rule under them.
SELF_EVIDENT_FORMS = {"gonghui.accounts.forms.LoginForm"}


def line_forms():
    """Every form class the application defines: in the lines' forms modules and wherever else a
    page keeps its own (the calendar's, the import page's, the mediation list's filter)."""
    for config in workline.lines():
        for module in ("forms", "views", "views_calendar", "views_import", "views_mediation"):
            try:
                importlib.import_module(f"{config.name}.{module}")
            except ModuleNotFoundError:
                continue
    seen, todo = {}, [django_forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("gonghui.") and hasattr(sub, "base_fields"):
                seen[f"{sub.__module__}.{sub.__qualname__}"] = sub
    yield from seen.items()


def test_every_form_field_states_its_rule_or_is_self_evident():
    found = dict(line_forms())
    assert len(found) > 80  # the lines' forms were found (orgs, members, bargaining, assistance, petitions, accounts)
    missing = [f"{path}.{name}（{field.label}）" for path, form in found.items() if path not in SELF_EVIDENT_FORMS
               for name, field in form.base_fields.items()
               if not field.help_text and not field.widget.is_hidden and field.label not in SELF_EVIDENT]
    assert missing == []


def test_every_hint_names_a_field_that_exists():
    assert hints.STALE == []


def test_the_hints_state_domain_rules():
    from gonghui.assistance.forms import ArchiveForm
    from gonghui.members.forms import JoinForm
    from gonghui.orgs.forms import LegalForm
    from gonghui.petitions.forms import RegisterForm

    assert "15日内书面告知" in RegisterForm.base_fields["received_on"].help_text  # 信访工作条例 §23
    assert "2倍" in ArchiveForm.base_fields["category"].help_text or "低保" in ArchiveForm.base_fields[
        "category"].help_text
    assert "18位" in JoinForm.base_fields["id_number"].help_text and "校验" in JoinForm.base_fields[
        "id_number"].help_text
    assert "不能晚于今天" in JoinForm.base_fields["joined_on"].help_text
    assert "18位" in LegalForm.base_fields["uscc"].help_text


def test_the_form_template_puts_the_hint_under_its_field_and_names_it_to_screen_readers():
    from gonghui.members.forms import JoinForm

    html = render_to_string("_form.html", {"form": JoinForm()})
    assert 'id="id_joined_on_helptext"' in html
    assert re.search(r'<input[^>]*aria-describedby="id_joined_on_helptext"[^>]*id="id_joined_on"', html)
    # A rejected form: the error is named too, and the hint stays.
    form = JoinForm({"name": "张三", "joined_on": "不是日期"})
    form.is_valid()
    html = render_to_string("_form.html", {"form": form})
    assert 'aria-describedby="id_joined_on_helptext id_joined_on_error"' in html
    assert 'id="id_joined_on_error"' in html and 'id="id_joined_on_helptext"' in html
    assert 'value="张三"' in html  # what the user typed is kept


def assert_no_dangling_descriptions(html):
    """Every id a widget's aria-describedby names is on the page (the compact filters too)."""
    named = {i for ids in re.findall(r'aria-describedby="([^"]+)"', html) for i in ids.split()}
    present = set(re.findall(r'\bid="([^"]+)"', html))
    assert named - present == set()


@pytest.mark.parametrize("url_name", ["members:roster", "petitions:index", "petitions:mediation_list",
                                      "assistance:archives", "assistance:applications"])
def test_the_compact_filters_give_screen_readers_their_hints(client, tree, personas, url_name):
    client.force_login(personas.county_admin)
    html = client.get(reverse(url_name)).content.decode()
    assert "_helptext" in html
    assert_no_dangling_descriptions(html)


def guided_lines():
    return [c for c in workline.lines() if c.url_prefix is not None and c.nav and c.label not in ("core", "accounts")
            and c.name.startswith("gonghui.")]


def test_every_work_line_ships_a_guide_inside_its_package():
    lines = guided_lines()
    assert {c.label for c in lines} >= {"orgs", "members", "bargaining", "assistance", "petitions", "reports"}
    for c in lines:
        from gonghui.core.guides import path_of

        path = path_of(c)
        assert path is not None and path.is_file(), c.label
        assert str(path).startswith(c.path)  # installed with the app, not read from the repository's docs/


@pytest.mark.parametrize("label", ["orgs", "members", "bargaining", "assistance", "petitions", "reports"])
def test_each_lines_list_page_links_to_its_guide_and_the_guide_answers_in_chinese(client, tree, personas, label):
    config = workline.line(label)
    client.force_login(personas.county_admin)
    page = client.get(reverse(config.main_list_page))
    assert page.status_code == 200
    guide_url = reverse("core:guide", args=[label])
    assert f'href="{guide_url}"' in page.content.decode() and "使用说明" in page.content.decode()
    assert_no_dangling_descriptions(page.content.decode())
    guide = client.get(guide_url)
    assert guide.status_code == 200
    html = guide.content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert re.search(r"[\u4e00-\u9fff]", h1)
    assert "<table" in html or "<ul>" in html  # the Markdown was rendered, not shown raw
    assert "![" not in html  # the repository's screenshots are not shown broken


def test_pages_outside_a_line_have_no_guide_link_and_an_unknown_guide_is_missing(client, tree, personas):
    client.force_login(personas.town_clerk)
    assert "使用说明" not in client.get(reverse("core:todo")).content.decode()
    assert client.get(reverse("core:guide", args=["no-such-line"])).status_code == 404
    client.logout()
    assert client.get(reverse("core:guide", args=["members"])).status_code == 302  # to the login page
