// Tree nodes: htmx loads a node's children on the first click ("click once"); later clicks
// only fold and unfold what was loaded. A file of our own, because the CSP forbids inline script.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-tree-toggle]");
  if (!button) return;
  var box = document.getElementById(button.dataset.treeToggle);
  if (button.dataset.loaded) {
    box.hidden = !box.hidden;
  } else {
    button.dataset.loaded = "1";
  }
  var open = !box.hidden;
  button.textContent = open ? "−" : "+";
  button.setAttribute("aria-expanded", open ? "true" : "false");
  button.setAttribute("aria-label", open ? "收起" : "展开");
});

// A failed form's error summary (_error_summary.html) takes the focus, so it is read first; each of
// its links focuses its field (a plain #id link would only scroll to it).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-error-link]");
  if (!link) return;
  var field = document.getElementById(link.getAttribute("href").slice(1));
  if (!field) return;
  event.preventDefault();
  field.scrollIntoView({block: "center"});
  field.focus();
});

// A box that scrolls sideways (a wide table on a phone, the long bar chart) takes the keyboard focus
// when it scrolls, so the arrow keys scroll it (WCAG 2.1.1); only then, or it is a useless Tab stop.
function focusableScrollBoxes() {
  document.querySelectorAll(".table-responsive, .chart-scroll, main table").forEach(function (box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    var style = getComputedStyle(box);
    scrolls = scrolls && (/(auto|scroll)/.test(style.overflowX) || /(auto|scroll)/.test(style.overflowY));
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.dataset.scrollFocus = "1";
    } else if (!scrolls && box.dataset.scrollFocus) {
      box.removeAttribute("tabindex");
      delete box.dataset.scrollFocus;
    }
  });
}
document.addEventListener("DOMContentLoaded", focusableScrollBoxes);
document.addEventListener("htmx:afterSettle", focusableScrollBoxes);
window.addEventListener("resize", focusableScrollBoxes);
