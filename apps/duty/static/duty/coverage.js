/* Coverage chart (ECharts from static/vendor, no CDN): officer-hours on duty and reports per hour of the day.
 * Data comes from json_script blocks (CSP: no inline script); the same numbers are in the table. */
(function () {
  "use strict";
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function draw() {
    var box = document.getElementById("duty-coverage-chart");
    var rows = data("duty-by-hour");
    var labels = data("duty-chart-labels") || {};
    if (!box) { return; }
    if (!window.echarts || !rows || !rows.length) { box.classList.add("no-chart"); return; }
    var chart = window.echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 44, right: 44, top: 36, bottom: 28 },
      xAxis: { type: "category", name: labels.hour, data: rows.map(function (r) { return r.hour; }) },
      yAxis: [{ type: "value", name: labels.duty_hours }, { type: "value", name: labels.intake }],
      series: [
        { name: labels.duty_hours, type: "bar", data: rows.map(function (r) { return r.duty_hours; }) },
        { name: labels.intake, type: "line", yAxisIndex: 1, data: rows.map(function (r) { return r.intake; }) }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
