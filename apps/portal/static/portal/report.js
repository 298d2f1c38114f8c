// Report form map: click (or "use my location") sets the hidden lat/lon; district outlines keep it usable without tiles.
(function () {
  "use strict";
  var el = document.getElementById("report-map");
  if (!el || !window.L) return;
  var d = el.dataset;
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var text = document.getElementById("point-text");
  var status = document.getElementById("map-status");
  var map = L.map(el).setView([39.9042, 116.4074], 10);
  var base = L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 19 });
  var tileErrors = 0;
  base.on("tileerror", function () {
    tileErrors += 1;
    if (tileErrors === 4) status.textContent = "⚠ " + d.labelNoTiles;
  });
  base.addTo(map);
  var outlines = JSON.parse(document.getElementById("district-outlines").textContent);
  var districts = L.geoJSON(outlines, {
    style: { color: "#1d4e89", weight: 1, fillOpacity: 0.04 },
    // Clicks on a district must reach the map, which sets the point.
    interactive: false
  }).addTo(map);
  var marker = null;
  function setPoint(latlng, zoom) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    text.textContent = d.labelChosen + ": " + lat.value + ", " + lon.value;
    if (marker) marker.setLatLng(latlng);
    else marker = L.marker(latlng, { draggable: true }).addTo(map).on("dragend", function (e) { setPoint(e.target.getLatLng()); });
    if (zoom) map.setView(latlng, zoom);
  }
  if (lat.value && lon.value) setPoint(L.latLng(parseFloat(lat.value), parseFloat(lon.value)), 16);
  else if (outlines.features.length) map.fitBounds(districts.getBounds());
  map.on("click", function (e) { setPoint(e.latlng); });
  var button = document.getElementById("use-location");
  if (!("geolocation" in navigator)) { button.hidden = true; return; }
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      button.disabled = false;
      setPoint(L.latLng(pos.coords.latitude, pos.coords.longitude), 17);
    }, function () {
      button.disabled = false;
      status.textContent = d.labelGeoError;
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
})();
