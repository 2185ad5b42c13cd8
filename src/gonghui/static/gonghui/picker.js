// Pickers (core.pickers.PickerInput): a code input that suggests records as the clerk types.
// htmx fetches the suggestions (hx-get on the input); this file sends the typed text as `q`,
// opens and closes the list, and makes it usable with the keyboard: ↓/↑ move, Enter picks,
// Esc closes. The input stays a plain text input, so a pasted code needs none of this.
(function () {
  function listOf(input) {
    return document.getElementById(input.getAttribute("aria-controls"));
  }

  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll('[role="option"]:not([aria-disabled="true"])'));
  }

  function setOpen(input, open) {
    var list = listOf(input);
    if (!list) return;
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) {
      input.removeAttribute("aria-activedescendant");
      options(list).forEach(function (o) { o.setAttribute("aria-selected", "false"); o.classList.remove("active"); });
    }
  }

  function activate(input, option) {
    var list = listOf(input);
    options(list).forEach(function (o) {
      var on = o === option;
      o.setAttribute("aria-selected", on ? "true" : "false");
      o.classList.toggle("active", on);
    });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(input, option) {
    input.value = option.dataset.value;
    setOpen(input, false);
    input.dispatchEvent(new Event("change", {bubbles: true}));
  }

  // Send what was typed as `q`, whatever the field's own name is.
  document.addEventListener("htmx:configRequest", function (event) {
    var input = event.detail.elt;
    if (!input.hasAttribute || !input.hasAttribute("data-picker")) return;
    event.detail.parameters = {q: input.value};
  });

  // The answer arrived: number the options (aria-activedescendant needs ids) and open the list.
  document.addEventListener("htmx:afterSwap", function (event) {
    var list = event.detail.target;
    if (!list.classList || !list.classList.contains("picker-list")) return;
    var input = document.querySelector('[aria-controls="' + list.id + '"]');
    options(list).forEach(function (o, i) { o.id = list.id + "-" + i; });
    if (input) setOpen(input, document.activeElement === input && input.value.trim() !== "");
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.hasAttribute("data-picker")) return;
    var list = listOf(input);
    if (!list) return;
    var open = !list.hidden;
    var all = options(list);
    var current = all.indexOf(list.querySelector('[role="option"][aria-selected="true"]'));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      if (!open) { setOpen(input, true); }
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = current < 0 ? (step > 0 ? 0 : all.length - 1) : (current + step + all.length) % all.length;
      activate(input, all[next]);
    } else if (event.key === "Enter" && open && current >= 0) {
      event.preventDefault(); // pick, do not submit the form
      choose(input, all[current]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(input, false);
    }
  });

  // mousedown, not click: it comes before the input's blur closes the list.
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest(".picker-list [role='option']");
    if (!option || option.getAttribute("aria-disabled") === "true") return;
    event.preventDefault();
    var input = document.querySelector('[aria-controls="' + option.parentNode.id + '"]');
    if (input) { choose(input, option); input.focus(); }
  });

  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (input.hasAttribute && input.hasAttribute("data-picker")) setOpen(input, false);
  });
})();
