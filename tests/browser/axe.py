"""axe-core (WCAG 2.1 A/AA) on every page the browser tests open (issue 16, "Pages").

axe.min.js is vendored in tests/browser/vendor (see update.sh there) and never served by the app.
It is added to every document as an init script: that is not subject to the app's Content
Security Policy, so the tests keep checking the real CSP (no bypass_csp).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}

# One run at a time: the teardown's check can start while a load event's check still waits for its
# result (axe refuses a second concurrent run), so runs queue on the page.
RUN = """async (tags) => {
  const run = () => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  const queued = (window.__axeQueue || Promise.resolve()).catch(() => null).then(run);
  window.__axeQueue = queued;
  const result = await queued;
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
                                      count: v.nodes.length}));
}"""


def violations(page) -> list[str]:
    """The serious and critical violations on the page as it is now: rule, count, the first
    targets and the URL, one line each."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(RUN, TAGS)
    return [f"{v['id']} ({v['impact']}, {v['count']} 处: {v['help']}) {page.url}: {', '.join(v['targets'])}"
            for v in found if v["impact"] in FAILING_IMPACTS]


class AxeWatch:
    """Runs axe once per URL path after the page's load event, and once more on the page as the
    test leaves it; collects what it finds so the test fails at teardown with all of it."""

    def __init__(self, page):
        self.page = page
        self.checked: set[str] = set()
        self.found: list[str] = []
        page.add_init_script(path=str(AXE_JS))
        page.on("load", self._on_load)

    def check(self, again: bool = False):
        """again: check a page seen before (the test leaves it; fragments may have arrived since)."""
        path = urlsplit(self.page.url).path
        if not self.page.url.startswith("http") or (path in self.checked and not again):
            return
        self.checked.add(path)
        # An htmx fragment opened on its own (the crawler follows every link) is not a page: no
        # title, no lang; it is checked inside the page that loads it.
        try:
            if self.page.evaluate("() => !document.title && !document.documentElement.lang"):
                return
            found = violations(self.page)
            if not self.page.url.startswith("http"):
                # The page went on to about:blank (the test closing it) while axe ran: what was
                # found is of the blank page, not of ours.
                self.checked.discard(path)
                return
            self.found += [v for v in found if v not in self.found]
        except Exception as exc:  # noqa: BLE001 - the page navigated on while axe ran
            if "context was destroyed" in str(exc) or "navigation" in str(exc):
                self.checked.discard(path)  # not checked after all: the next load of it will be
                return
            raise

    def _on_load(self, _page):
        self.check()
