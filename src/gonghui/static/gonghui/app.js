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
