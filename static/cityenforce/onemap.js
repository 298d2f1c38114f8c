// The one-map page: base tiles (optional) plus district, street, grid and place layers
// fetched as GeoJSON for the current bounds; the vector layers work with no tiles at all.
(function () {
  "use strict";
  var el = document.getElementById("onemap");
  var status = document.getElementById("map-status");
  var d = el.dataset;
  var map = L.map(el, { preferCanvas: true }).setView([39.9042, 116.4074], 10);
  var base = L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 19 });
  var tileErrors = 0;
  base.on("tileerror", function () {
    tileErrors += 1;
    if (tileErrors === 4) status.textContent = "⚠ " + d.labelNoTiles;
  });
  base.addTo(map);

  var styles = {
    district: { color: "#1d4e89", weight: 2, fill: false },
    street: { color: "#2e86c1", weight: 1, dashArray: "4 3", fillOpacity: 0.03 },
    grid: { color: "#16a085", weight: 1, fillOpacity: 0.05 }
  };
  function popupFor(props) {
    var rows = [];
    Object.keys(props).forEach(function (k) {
      if (props[k] !== null && props[k] !== "" && k !== "generated") rows.push(k + ": " + String(props[k]));
    });
    if (props.generated) rows.push("(" + d.labelGenerated + ")");
    return rows.join("<br>");
  }
  function layer(style, minZoom, url, extra) {
    return { group: L.geoJSON(null, {
      style: style,
      pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 5, color: "#c0392b", weight: 1, fillOpacity: 0.7 }); },
      onEachFeature: function (f, l) {
        var html = popupFor(f.properties);
        if (extra === "place") html = "<b>" + escapeHtml(f.properties.name) + "</b><br>" + escapeHtml(f.properties.city_code) + '<br><a href="' + d.placeUrl + f.id + '/">' + d.labelOpen + "</a>";
        l.bindPopup(html);
      }
    }), minZoom: minZoom, url: url, pending: null };
  }
  function escapeHtml(s) { return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  var layers = {
    district: layer(styles.district, 0, d.regions + "?level=2"),
    street: layer(styles.street, 11, d.regions + "?level=3"),
    grid: layer(styles.grid, 13, d.grids + "?"),
    place: layer(null, 14, d.places + "?", "place")
  };
  var fitted = false;
  var overlays = {};
  overlays[d.labelDistrict] = layers.district.group;
  overlays[d.labelStreet] = layers.street.group;
  overlays[d.labelGrid] = layers.grid.group;
  overlays[d.labelPlace] = layers.place.group;
  var baseLayers = {}; baseLayers[d.labelBase] = base;
  L.control.layers(baseLayers, overlays, { collapsed: window.innerWidth < 700 }).addTo(map);
  Object.keys(layers).forEach(function (k) { layers[k].group.addTo(map); });

  function load(entry) {
    if (!map.hasLayer(entry.group)) return;
    if (map.getZoom() < entry.minZoom) { entry.group.clearLayers(); return; }
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
    var url = entry.url + "&bbox=" + bbox + "&zoom=" + map.getZoom() + "&page_size=2000";
    if (entry.pending) entry.pending.abort();
    var ctrl = new AbortController();
    entry.pending = ctrl;
    fetch(url, { credentials: "same-origin", signal: ctrl.signal, headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (fc) {
        entry.group.clearLayers();
        entry.group.addData(fc);
        // First view: the user's own jurisdiction.
        if (entry === layers.district && !fitted && fc.features.length) {
          fitted = true;
          map.fitBounds(entry.group.getBounds());
        }
        if (fc.next) status.textContent = fc.features.length + " / " + fc.count;
      })
      .catch(function (e) { if (e.name !== "AbortError") status.textContent = "⚠ " + e.message; });
  }
  function refresh() { Object.keys(layers).forEach(function (k) { load(layers[k]); }); }
  map.on("moveend overlayadd", refresh);
  refresh();
  window.cityenforceMap = map;
})();
