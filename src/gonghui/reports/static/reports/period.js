// The period form: typing a date means a custom range, so the select shows 自定义 at once; choosing
// 上半年/本年 again puts the dates the form was shown with back, so the preset is what is asked for
// (the server reads typed dates under a preset as custom too: reports.figures.period_from).
(function () {
  var form = document.getElementById("period-form");
  if (!form || form.dataset.bound) return;
  form.dataset.bound = "1";
  var preset = form.querySelector("[name=preset]");
  ["from", "to"].forEach(function (name) {
    var box = form.querySelector("[name=" + name + "]");
    if (!box || !preset) return;
    box.addEventListener("change", function () { preset.value = "custom"; });
  });
  if (preset) {
    preset.addEventListener("change", function () {
      if (preset.value === "custom") return;
      ["from", "to"].forEach(function (name) {
        var box = form.querySelector("[name=" + name + "]");
        var shown = form.querySelector("[name=shown_" + name + "]");
        if (box && shown) box.value = shown.value;
      });
    });
  }
})();
