/* Evaluation charts (ECharts from static/vendor, no CDN). The numbers are also in the tables beside each chart;
 * without ECharts the chart boxes are hidden and the tables stay. Data comes from json_script blocks (CSP: no inline script). */
(function () {
  "use strict";
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function pct(v) { return v === null || v === undefined ? null : Math.round(v * 1000) / 10; }
  var KEYS = ["response_rate", "solution_rate", "satisfaction_rate"];
  function option(kind, rows, labels) {
    var axisPct = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } };
    if (kind === "lines") {
      return {
        tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 48, right: 12, top: 36, bottom: 28 },
        xAxis: { type: "category", data: rows.map(function (r) { return r.label; }) }, yAxis: axisPct,
        series: KEYS.map(function (k) { return { name: labels[k], type: "line", connectNulls: false, data: rows.map(function (r) { return pct(r[k]); }) }; })
      };
    }
    if (kind === "bars") {
      return {
        tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 96, right: 12, top: 36, bottom: 28 },
        yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }) }, xAxis: axisPct,
        series: KEYS.map(function (k) { return { name: labels[k], type: "bar", data: rows.map(function (r) { return pct(r.values[k]); }) }; })
      };
    }
    return {
      tooltip: { trigger: "axis" }, grid: { left: 96, right: 12, top: 12, bottom: 28 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }) }, xAxis: { type: "value", min: 0, max: 100 },
      series: [{ name: labels.score, type: "bar", data: rows.map(function (r) { return r.score; }) }]
    };
  }
  function draw() {
    var boxes = document.querySelectorAll(".eval-chart");
    var labels = data("eval-chart-labels") || {};
    boxes.forEach(function (box) {
      var rows = data(box.dataset.source);
      if (!window.echarts || !rows || !rows.length) { box.classList.add("no-chart"); return; }
      if (box.dataset.chart !== "lines") { box.style.height = Math.max(240, rows.length * 28 + 60) + "px"; }
      var chart = window.echarts.init(box);
      chart.setOption(option(box.dataset.chart, rows, labels));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
