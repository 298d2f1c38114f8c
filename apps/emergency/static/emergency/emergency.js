// The emergency map (a warning's area, an incident's region, step points and units): the vector layers come from
// the page itself, so the map stays useful when no base-map tile can be reached.
(function () {
  var el = document.getElementById("emergency-map");
  var source = document.getElementById("emergency-map-data");
  if (!el || !source || typeof L === "undefined") return;
  var data = JSON.parse(source.textContent);
  var status = document.getElementById("emergency-map-status");
  var map = L.map(el, { scrollWheelZoom: false });
  var tiles = L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 });
  var tileErrors = 0;
  tiles.on("tileerror", function () {
    tileErrors += 1;
    if (tileErrors === 4 && status) status.textContent = "⚠ " + el.dataset.labelNoTiles;
  });
  tiles.addTo(map);
  var colours = { region: "#1d4e89", alert: "#d68910", step: "#c0392b", unit: "#1e8449" };
  var drawn = L.featureGroup().addTo(map);
  (data.layers || []).forEach(function (layer) {
    if (!layer.geojson) return;
    var colour = colours[layer.kind] || "#555";
    L.geoJSON(layer.geojson, { style: { color: colour, weight: 2, fillOpacity: layer.kind === "alert" ? 0.25 : 0.08 } })
      .bindTooltip(layer.label).addTo(drawn);
  });
  (data.points || []).forEach(function (p) {
    L.circleMarker([p.lat, p.lon], { radius: p.kind === "unit" ? 6 : 8, color: colours[p.kind] || "#555", fillOpacity: 0.8 })
      .bindTooltip(p.label).addTo(drawn);
  });
  var bounds = drawn.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [16, 16], maxZoom: 16 });
  } else {
    map.setView([39.9042, 116.4074], 11);
    if (status) status.textContent = el.dataset.labelEmpty;
  }
})();
