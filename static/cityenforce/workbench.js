/* Workbench charts: intake by day and by category (ECharts from static/vendor, no CDN). The data and the labels
 * come from json_script blocks (CSP: no inline script); without ECharts the boxes are hidden and the tables stay. */
(function () {
  "use strict";
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function option(kind, all, labels) {
    if (kind === "days") {
      return {
        tooltip: { trigger: "axis" }, grid: { left: 40, right: 12, top: 28, bottom: 28 },
        title: { text: labels.days || "", textStyle: { fontSize: 13 } },
        xAxis: { type: "category", data: all.days.map(function (r) { return r.day.slice(5); }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ name: labels.tasks || "", type: "bar", data: all.days.map(function (r) { return r.count; }) }]
      };
    }
    return {
      tooltip: { trigger: "axis" }, grid: { left: 110, right: 12, top: 28, bottom: 20 },
      title: { text: labels.categories || "", textStyle: { fontSize: 13 } },
      yAxis: { type: "category", inverse: true, data: all.categories.map(function (r) { return r.name; }),
               axisLabel: { width: 100, overflow: "truncate" } },
      xAxis: { type: "value", minInterval: 1 },
      series: [{ name: labels.tasks || "", type: "bar", data: all.categories.map(function (r) { return r.count; }) }]
    };
  }
  function draw() {
    var all = data("wb-chart-data");
    var labels = data("wb-chart-labels") || {};
    document.querySelectorAll(".wb-chart").forEach(function (box) {
      var rows = all ? all[box.dataset.chart] : null;
      if (!window.echarts || !rows || !rows.length) { box.classList.add("no-chart"); return; }
      var chart = window.echarts.init(box);
      chart.setOption(option(box.dataset.chart, all, labels));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
