"""Accessibility (issue 16, "Pages"): the axe-core check itself, the skip link, required fields
and the error summary of a failed form. Every other browser test is checked with axe too (the
`page` fixture in conftest.py)."""

import pytest
from playwright.sync_api import expect

from .axe import AxeWatch, violations

pytestmark = pytest.mark.browser


def test_axe_reports_low_contrast(page):
    # Pale pink on red, as the menu was (2.86 : 1): the checker must report it, with the element.
    page.set_content('<html lang="zh-CN"><head><title>测试</title></head><body><main>'
                     '<p style="color:#f4b6b6;background:#c62828">菜单</p></main></body></html>')
    found = violations(page)
    assert len(found) == 1 and found[0].startswith("color-contrast (serious") and " p" in found[0], found
    page.set_content('<html lang="zh-CN"><head><title>测试</title></head><body><main>'
                     '<p style="color:#fff;background:#a31515">菜单</p></main></body></html>')
    assert violations(page) == []


def test_each_page_the_test_opens_is_checked_once_per_path(page, server):
    # A page of the app's origin with the violation (routed, so no view needs it), in a second tab:
    # the test's own `page` fixture would fail this test at teardown.
    probe = page.context.new_page()
    probe.route(f"{server}/axe-probe/**", lambda route: route.fulfill(
        content_type="text/html; charset=utf-8",
        body='<html lang="zh-CN"><head><title>测试</title></head><body><main>'
             '<p style="color:#f4b6b6;background:#c62828">菜单</p></main></body></html>'))
    watch = AxeWatch(probe)
    probe.goto(f"{server}/axe-probe/")
    probe.goto(f"{server}/axe-probe/?page=2")  # the same path: not checked again
    for _ in range(50):  # the load event's check finishes while the test goes on
        if watch.found:
            break
        probe.wait_for_timeout(100)
    probe.wait_for_timeout(300)
    assert len(watch.found) == 1 and "/axe-probe/" in watch.found[0] and "color-contrast" in watch.found[0], watch.found
    probe.close()


def test_the_first_tab_reaches_the_skip_link_and_it_leads_to_the_content(page, server, personas, login):
    login("town_clerk")
    page.goto(f"{server}/members/new/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # hidden until focused, then shown
    # The next Tab lands on the red menu: its focus outline is white and thick enough to see there.
    page.keyboard.press("Tab")
    outline = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                            " return [document.activeElement.closest('nav') !== null, s.outlineStyle,"
                            " parseFloat(s.outlineWidth), s.outlineColor]; }")
    assert outline == [True, "solid", 3.0, "rgb(255, 255, 255)"], outline
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next Tab after the skip lands inside the main part, not in the menu.
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


def test_a_failed_join_form_leads_to_each_field_from_its_error_summary(page, server, personas, login):
    login("town_clerk")
    page.goto(f"{server}/members/new/")
    name_label = page.locator("label[for=id_name]")
    expect(name_label).to_contain_text("必填")  # the word, not only a red star
    page.get_by_role("button", name="保存").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    links = summary.locator("a[data-error-link]")
    assert links.count() >= 3  # union, name, ID number and date are required
    for i in range(links.count()):
        link = links.nth(i)
        target = link.get_attribute("href")[1:]
        link.click()
        field = page.locator(f"[id='{target}']")
        expect(field).to_be_focused()
        expect(field).to_have_attribute("aria-invalid", "true")
        # Its message is read with it: aria-describedby names an element that exists and holds it.
        described = field.get_attribute("aria-describedby").split()
        error_id = f"{target}_error"
        assert error_id in described, described
        expect(page.locator(f"[id='{error_id}']")).not_to_be_empty()
