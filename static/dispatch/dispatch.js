// Dispatch pages: the tasks of the page on a Leaflet map (works without tiles) and the live "new updates" banner.
(function () {
  "use strict";
  var el = document.getElementById("task-map");
  var dataEl = document.getElementById("task-geojson");
  if (el && dataEl && window.L) {
    var d = el.dataset;
    var status = document.getElementById("map-status");
    var fc = JSON.parse(dataEl.textContent);
    var map = L.map(el, { preferCanvas: true }).setView([39.9042, 116.4074], 11);
    var base = L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 19 });
    var tileErrors = 0;
    base.on("tileerror", function () {
      tileErrors += 1;
      if (tileErrors === 4 && status) status.textContent = "⚠ " + d.labelNoTiles;
    });
    base.addTo(map);
    var colours = { red: "#c0392b", yellow: "#d68910", "": "#1d4e89" };
    function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
    var layer = L.geoJSON(fc, {
      pointToLayer: function (f, ll) {
        return L.circleMarker(ll, { radius: 7, color: "#fff", weight: 2, fillColor: colours[f.properties.alert || ""] || "#1d4e89", fillOpacity: 0.9 });
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindPopup("<b>" + esc(p.number) + "</b><br>" + esc(p.category || "") + "<br>" + esc(p.status) + '<br><a href="' + esc(p.url) + '">' + esc(d.labelOpen) + "</a>");
        // Hovering a marker highlights its row in the list.
        l.on("mouseover", function () { var row = document.querySelector('tr[data-task="' + f.id + '"]'); if (row) row.classList.add("hl"); });
        l.on("mouseout", function () { var row = document.querySelector('tr[data-task="' + f.id + '"]'); if (row) row.classList.remove("hl"); });
      }
    }).addTo(map);
    if (fc.features.length === 1) map.setView(layer.getLayers()[0].getLatLng(), parseInt(d.zoom || "16", 10));
    else if (fc.features.length > 1) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 });
  }

  var banner = document.getElementById("live-banner");
  if (banner) {
    var watched = { "task.new": 1, "task.merged": 1, "task.returned": 1, "task.overdue": 1 };
    // Never reload by itself: the dispatcher may be half-way through reading or filtering.
    document.addEventListener("cityenforce:event", function (e) {
      if (e.detail && watched[e.detail.event]) banner.classList.remove("hidden");
    });
  }
})();
