// Plan coverage on a Leaflet map: places inspected (green), due (blue) and overdue (red); works without tiles.
(function () {
  "use strict";
  var el = document.getElementById("coverage-map");
  var dataEl = document.getElementById("coverage-geojson");
  if (!el || !dataEl || !window.L) return;
  var d = el.dataset;
  var status = document.getElementById("map-status");
  var fc = JSON.parse(dataEl.textContent);
  var map = L.map(el, { preferCanvas: true }).setView([39.9042, 116.4074], 12);
  var base = L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 19 });
  var errors = 0;
  base.on("tileerror", function () { errors += 1; if (errors === 4 && status) status.textContent = "⚠ " + d.labelNoTiles; });
  base.addTo(map);
  var colours = { done: "#2e7d32", open: "#1d4e89", overdue: "#c0392b" };
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  var layer = L.geoJSON(fc, {
    pointToLayer: function (f, ll) {
      return L.circleMarker(ll, { radius: 7, color: "#fff", weight: 2, fillColor: colours[f.properties.state] || "#1d4e89", fillOpacity: 0.9 });
    },
    onEachFeature: function (f, l) {
      var p = f.properties;
      var url = d.historyUrl.replace("/0/", "/" + p.id + "/");
      l.bindPopup("<b>" + esc(p.name) + "</b><br>" + esc(p.due_on) + '<br><a href="' + esc(url) + '">' + esc(d.labelHistory) + "</a>");
    }
  }).addTo(map);
  if (fc.features.length > 1) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 });
  else if (fc.features.length === 1) map.setView(layer.getLayers()[0].getLatLng(), 16);
})();
