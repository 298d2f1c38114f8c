// The evidence's capture point on a small map; the point is shown even when no base map tile can be reached.
(function () {
  var el = document.getElementById("evidence-map");
  if (!el || typeof L === "undefined") return;
  var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
  if (isNaN(lat) || isNaN(lon)) return;
  var map = L.map(el).setView([lat, lon], 16);
  L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
  L.circleMarker([lat, lon], { radius: 8, color: "#c0392b" }).addTo(map);
})();
