// The inspection form at phone width: the phone's position goes with the record (and finds the nearest place);
// without a position the officer photographs the QR label or types the code. A file, as the CSP allows no inline script.
(function () {
  "use strict";
  var state = document.getElementById("position-state");
  var lat = document.querySelector("input[name=lat]");
  var lon = document.querySelector("input[name=lon]");
  if (!lat || !lon || !navigator.geolocation) { return; }
  function locate(done) {
    if (state) { state.textContent = state.dataset.locating || ""; }
    navigator.geolocation.getCurrentPosition(function (p) {
      lat.value = p.coords.latitude.toFixed(6);
      lon.value = p.coords.longitude.toFixed(6);
      if (state) { state.textContent = state.dataset.located || ""; }
      if (done) { done(true); }
    }, function () {
      if (state) { state.textContent = state.dataset.failed || ""; }
      if (done) { done(false); }
    }, {enableHighAccuracy: true, timeout: 10000, maximumAge: 60000});
  }
  var button = document.getElementById("use-position");
  if (button) {
    button.addEventListener("click", function () {
      locate(function (ok) { if (ok) { document.getElementById("find-place").submit(); } });
    });
  } else if (document.getElementById("record-form")) {
    locate();
  }
  // A failed item asks what was found: its note is shown only then.
  document.querySelectorAll(".check-item").forEach(function (row) {
    var note = row.querySelector(".item-note");
    function sync() {
      var failed = row.querySelector("input[type=radio][value=failed]:checked");
      if (note) { note.hidden = !failed && !note.querySelector(".errorlist"); }
    }
    row.addEventListener("change", sync);
    sync();
  });
})();
