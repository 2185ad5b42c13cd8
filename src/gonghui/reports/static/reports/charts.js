// Dashboard charts: the focus figure's monthly trend and its breakdown by subordinate.
// Data comes from a json_script element (no inline script: the CSP allows only our files); on a
// large subtree the page fetches that element after it arrived (htmx), so draw again then.
// Units counted in whole numbers: their value axis has no 0.5 steps.
var COUNT_UNITS = ["人", "人次", "户", "家", "宗", "份"];
var MAX_VISIBLE = 560; // px of the bar chart shown at once; more bars scroll

function drawDashboardCharts() {
  var el = document.getElementById("chart-data");
  if (!el || el.dataset.drawn || typeof echarts === "undefined") return;
  el.dataset.drawn = "1";
  var data = JSON.parse(el.textContent);
  var red = "#c0392b";
  var trendBox = document.getElementById("chart-trend");
  if (trendBox && data.trend && data.trend.length) {
    var trend = echarts.init(trendBox);
    trend.setOption({
      animation: false,
      title: { text: data.metric + "：逐月", textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", axisLabel: { interval: 0 }, data: data.trend.map(function (r) { return r[0]; }) },
      yAxis: { type: "value", name: data.unit, minInterval: COUNT_UNITS.indexOf(data.unit) >= 0 ? 1 : 0 },
      series: [{ type: "line", data: data.trend.map(function (r) { return r[1]; }), color: red }]
    });
  } else if (trendBox) {
    trendBox.style.display = "none";
  }
  var partsBox = document.getElementById("chart-parts");
  if (partsBox && data.parts && data.parts.length) {
    // Every bar keeps its name: the box grows with the bars (ECharts would skip labels that do not
    // fit) and labels are never thinned out (interval 0). SVG so the labels are text on the page.
    var rowHeight = 22;
    var height = Math.max(partsBox.clientHeight, 70 + rowHeight * data.parts.length);
    partsBox.style.height = height + "px";
    if (height > MAX_VISIBLE && !partsBox.parentNode.classList.contains("chart-scroll")) {
      // A township's 75 unions: the chart keeps a row per bar and scrolls inside its own box.
      var wrap = document.createElement("div");
      wrap.className = "chart-scroll";
      wrap.style.maxHeight = MAX_VISIBLE + "px";
      wrap.style.overflowY = "auto";
      partsBox.parentNode.insertBefore(wrap, partsBox);
      wrap.appendChild(partsBox);
    }
    var parts = echarts.init(partsBox, null, { renderer: "svg" });
    parts.setOption({
      animation: false,
      title: { text: data.metric + "：按下级单位", textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" },
      grid: { left: 140 },
      xAxis: { type: "value", name: data.unit, minInterval: COUNT_UNITS.indexOf(data.unit) >= 0 ? 1 : 0 },
      yAxis: { type: "category", inverse: true, axisLabel: { interval: 0, width: 130, overflow: "truncate" },
               data: data.parts.map(function (r) { return r[0]; }) },
      series: [{ type: "bar", data: data.parts.map(function (r) { return r[1]; }), color: red,
                 label: { show: true, position: "right" } }]
    });
  }
}
drawDashboardCharts();
document.addEventListener("htmx:afterSettle", drawDashboardCharts);
window.addEventListener("resize", function () {
  if (typeof echarts === "undefined") return;
  document.querySelectorAll(".chart-box").forEach(function (b) {
    var c = echarts.getInstanceByDom(b);
    if (c) c.resize();
  });
});
