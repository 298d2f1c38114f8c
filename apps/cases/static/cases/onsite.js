// On-the-spot decision form: the phone's position, where the browser gives it, locates the case.
(function () {
  if (!navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition(function (p) {
    var lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
    if (lat && lon) { lat.value = p.coords.latitude; lon.value = p.coords.longitude; }
  });
})();
