// Dashboard charts: the focus figure's monthly trend and its breakdown by subordinate.
// Data comes from a json_script element (no inline script: the CSP allows only our files); on a
// large subtree the page fetches that element after it arrived (htmx), so draw again then.
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
      xAxis: { type: "category", data: data.trend.map(function (r) { return r[0]; }) },
      yAxis: { type: "value", name: data.unit },
      series: [{ type: "line", data: data.trend.map(function (r) { return r[1]; }), color: red }]
    });
  } else if (trendBox) {
    trendBox.style.display = "none";
  }
  var partsBox = document.getElementById("chart-parts");
  if (partsBox && data.parts && data.parts.length) {
    var parts = echarts.init(partsBox);
    parts.setOption({
      animation: false,
      title: { text: data.metric + "：按下级单位", textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" },
      grid: { left: 140 },
      xAxis: { type: "value", name: data.unit },
      yAxis: { type: "category", inverse: true, data: data.parts.map(function (r) { return r[0]; }) },
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
