// Ledger map: frontage zones (green) and key points (red) as GeoJSON on Leaflet; works without tiles.
(function () {
  "use strict";
  var el = document.getElementById("ledger-map");
  var dataEl = document.getElementById("ledger-geojson");
  if (!el || !dataEl || !window.L) return;
  var d = el.dataset;
  var status = document.getElementById("map-status");
  var fc = JSON.parse(dataEl.textContent);
  var map = L.map(el, { preferCanvas: true }).setView([39.9042, 116.4074], 12);
  var base = L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 19 });
  var tileErrors = 0;
  base.on("tileerror", function () {
    tileErrors += 1;
    if (tileErrors === 4 && status) status.textContent = "⚠ " + d.labelNoTiles;
  });
  base.addTo(map);
  var colours = { zone: "#1e8449", key_point: "#c0392b" };
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  var layer = L.geoJSON(fc, {
    style: function (f) { return { color: colours[f.properties.layer], weight: 2, fillOpacity: 0.25 }; },
    pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 7, color: "#fff", weight: 2, fillColor: colours[f.properties.layer], fillOpacity: 0.9 }); },
    onEachFeature: function (f, l) {
      var p = f.properties;
      var html = "<b>" + esc(p.title) + "</b><br>" + esc(p.detail);
      if (p.person) html += "<br>" + esc(p.person) + " " + esc(p.phone);
      if (p.interval) html += "<br>" + esc(d.labelInterval.replace("N", p.interval));
      l.bindPopup(html);
    }
  }).addTo(map);
  if (fc.features.length) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 17 });
})();
