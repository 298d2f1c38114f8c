/* Analysis page: the heat matrix and the forecast (ECharts from static/vendor, no CDN) and the hot-spot map (Leaflet,
 * grid polygons coloured by Gi* z; works with no tiles). Data from json_script blocks (CSP: no inline script). */
(function () {
  "use strict";
  function data(id) { var n = document.getElementById(id); return n ? JSON.parse(n.textContent) : null; }
  var all = data("an-data"), labels = data("an-labels") || {};

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    if (!window.echarts) { el.classList.add("no-chart"); return; }
    var c = window.echarts.init(el);
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }

  var p = all.peaks, cells = [], max = 0;
  p.per_day.forEach(function (row, r) {
    row.forEach(function (v, h) { if (v !== null) { cells.push([h, r, v]); if (v > max) max = v; } });
  });
  chart("an-heat", {
    tooltip: { position: "top" }, grid: { left: 64, right: 8, top: 8, bottom: 88 },
    xAxis: { type: "category", data: p.hours.map(function (h) { return h + ":00"; }), splitArea: { show: true } },
    yAxis: { type: "category", inverse: true, data: p.rows, splitArea: { show: true } },
    visualMap: { min: 0, max: max || 1, precision: max < 10 ? 2 : 0, calculable: true, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120 },
    series: [{ name: labels.perDay, type: "heatmap", data: cells }]
  });

  var f = all.forecast;
  if (f && f.status === "ok") {
    var days = f.history.map(function (h) { return h.day; }).concat(f.forecast.map(function (x) { return x.day; }));
    var pad = f.history.map(function () { return null; });
    chart("an-forecast", {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 8, top: 36, bottom: 28 },
      xAxis: { type: "category", data: days }, yAxis: { type: "value", min: 0 },
      series: [
        { name: labels.history, type: "line", data: f.history.map(function (h) { return h.count; }) },
        { name: labels.forecast, type: "line", data: pad.concat(f.forecast.map(function (x) { return x.mean; })) },
        { name: labels.low, type: "line", lineStyle: { opacity: 0.3 }, symbol: "none", data: pad.concat(f.forecast.map(function (x) { return x.low; })) },
        { name: labels.high, type: "line", lineStyle: { opacity: 0.3 }, symbol: "none", data: pad.concat(f.forecast.map(function (x) { return x.high; })) },
        { name: labels.naive, type: "line", lineStyle: { type: "dashed" }, data: pad.concat(f.forecast.map(function (x) { return x.naive; })) }
      ]
    });
  }

  var el = document.getElementById("an-map"), fc = data("an-geojson");
  if (!el || !window.L || !fc) return;
  var d = el.dataset, status = document.getElementById("an-map-status");
  var map = L.map(el, { preferCanvas: true }).setView([39.9042, 116.4074], 11);
  if (d.tiles) {
    var base = L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 19 }), errors = 0;
    base.on("tileerror", function () { errors += 1; if (errors === 4) status.textContent = "⚠ " + d.labelNoTiles; });
    base.addTo(map);
  }
  function colour(pr) {
    if (pr["class"] === "hot") return "#c62828";
    if (pr["class"] === "cold") return "#1565c0";
    if (pr.z === null) return "#bdbdbd";
    return pr.z > 0 ? "#f4b6b0" : "#b3cde8";  // tested, not significant: the sign of z, pale
  }
  var layer = L.geoJSON(fc, {
    style: function (ft) { return { color: "#555", weight: 0.5, fillColor: colour(ft.properties), fillOpacity: 0.7 }; },
    onEachFeature: function (ft, l) {
      var pr = ft.properties, text = document.createElement("div");
      text.textContent = pr.name + " (" + pr.code + ") · " + pr.count + " · z=" + (pr.z === null ? "—" : pr.z) + " · p(BH)=" + (pr.p_fdr === null ? "—" : pr.p_fdr);
      l.bindPopup(text);
    }
  }).addTo(map);
  if (fc.features.length) map.fitBounds(layer.getBounds());
})();
