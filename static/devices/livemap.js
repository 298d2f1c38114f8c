// The live map (一张图): units and sensors moving over /ws/map/, active alarms, open tasks,
// a unit's track played back for a time range and a sensor's noise chart with its limits.
(function () {
  "use strict";
  var el = document.getElementById("livemap");
  var d = el.dataset;
  var status = document.getElementById("map-status");
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value;
  var map = L.map(el, { preferCanvas: true }).setView([39.9042, 116.4074], 11);
  var base = L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 19 });
  var tileErrors = 0;
  base.on("tileerror", function () { if (++tileErrors === 4) status.textContent = "⚠ " + d.labelNoTiles; });
  base.addTo(map);

  var unitLayer = L.layerGroup().addTo(map);
  var sensorLayer = L.layerGroup().addTo(map);
  var alarmLayer = L.layerGroup().addTo(map);
  var taskLayer = L.layerGroup().addTo(map);
  var trackLayer = L.layerGroup().addTo(map);
  var districts = L.geoJSON(null, { style: { color: "#1d4e89", weight: 2, fill: false }, interactive: false }).addTo(map);
  var overlays = {};
  overlays[d.labelUnits] = unitLayer; overlays[d.labelSensors] = sensorLayer;
  overlays[d.labelAlarms] = alarmLayer; overlays[d.labelTasks] = taskLayer; overlays[d.labelTrack] = trackLayer;
  var bases = {}; bases[d.labelBase] = base;
  L.control.layers(bases, overlays, { collapsed: window.innerWidth < 700 }).addTo(map);

  var units = {}, alarms = {}, tasks = {};
  var colors = { officer_gps: "#2471a3", vehicle_gps: "#117a65", noise_sensor: "#7d3c98", camera: "#7f8c8d" };

  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  function hhmm(iso) { return iso ? new Date(iso).toLocaleString() : ""; }
  function api(url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = Object.assign({ Accept: "application/json" }, options.headers || {});
    if (options.method === "POST") { options.headers["X-CSRFToken"] = csrf; options.headers["Content-Type"] = "application/json"; }
    return fetch(url, options).then(function (r) {
      return r.json().then(function (body) { if (!r.ok) throw new Error((body.error && body.error.message) || r.status); return body; });
    });
  }

  // --- units and sensors ---------------------------------------------------
  function unitPopup(u) {
    var rows = ["<b>" + esc(u.name) + "</b>", esc(u.code)];
    if (u.at) rows.push(hhmm(u.at));
    if (u.speed_kmh != null) rows.push(Math.round(u.speed_kmh) + " km/h");
    if (u.battery != null) rows.push("🔋 " + Math.round(u.battery) + "%");
    if (u.window_leq != null) rows.push("LAeq " + u.window_leq + " dB(A)");
    rows.push('<a href="#" data-unit="' + u.id + '">' + esc(u.kind === "noise_sensor" ? d.labelSensors : d.labelTrack) + "</a>");
    return rows.join("<br>");
  }
  function upsertUnit(u) {
    if (u.lat == null || u.lon == null) return;
    var entry = units[u.id];
    var layer = u.kind === "noise_sensor" ? sensorLayer : unitLayer;
    if (!entry) {
      var marker = L.circleMarker([u.lat, u.lon], { radius: u.kind === "noise_sensor" ? 7 : 6, color: "#fff", weight: 2, fillColor: colors[u.kind] || "#555", fillOpacity: 0.9 });
      marker.bindPopup("");
      marker.on("popupopen", function () { marker.setPopupContent(unitPopup(units[u.id].data)); });
      marker.addTo(layer);
      entry = units[u.id] = { marker: marker, data: u };
    } else {
      entry.data = Object.assign(entry.data, u);
      entry.marker.setLatLng([u.lat, u.lon]);
    }
  }
  map.on("popupopen", function (e) {
    var link = e.popup.getElement().querySelector("[data-unit]");
    if (link) link.addEventListener("click", function (ev) { ev.preventDefault(); openUnit(units[link.dataset.unit].data); });
  });

  // --- alarms --------------------------------------------------------------
  var alarmList = document.getElementById("alarm-list");
  var alarmCount = document.getElementById("alarm-count");
  function renderAlarms() {
    var list = Object.keys(alarms).map(function (k) { return alarms[k].data; })
      .sort(function (a, b) { return b.severity - a.severity || (b.raised_at > a.raised_at ? 1 : -1); });
    alarmList.innerHTML = "";
    list.forEach(function (a) {
      var li = document.createElement("li");
      li.className = "sev-" + a.severity;
      li.innerHTML = "<b>" + esc(a.message) + "</b><br><span class='muted'>" + esc(a.state) + " · " + hhmm(a.last_seen_at) + (a.task_id ? " · #" + a.task_id : "") + "</span>";
      if (a.state === "raised") li.appendChild(actionButton(a, "acknowledge", d.labelAck));
      li.appendChild(actionButton(a, "clear", d.labelClear));
      li.addEventListener("click", function (ev) { if (ev.target.tagName !== "BUTTON" && a.lat != null) map.setView([a.lat, a.lon], 16); });
      alarmList.appendChild(li);
    });
    alarmCount.textContent = String(list.length);
  }
  function actionButton(a, action, label) {
    var b = document.createElement("button");
    b.type = "button"; b.textContent = label;
    b.addEventListener("click", function () {
      api(d.alarms + a.id + "/" + action + "/", { method: "POST", body: "{}" }).then(upsertAlarm).catch(function (e) { status.textContent = "⚠ " + e.message; });
    });
    return b;
  }
  function upsertAlarm(a) {
    var entry = alarms[a.id];
    if (a.state === "cleared") {
      if (entry) { alarmLayer.removeLayer(entry.marker); delete alarms[a.id]; }
      renderAlarms();
      return;
    }
    if (!entry) {
      var marker = a.lat != null ? L.circleMarker([a.lat, a.lon], { radius: 14, color: "#c0392b", weight: 3, fill: false }).addTo(alarmLayer) : null;
      entry = alarms[a.id] = { marker: marker, data: a };
    } else {
      entry.data = Object.assign(entry.data, a);
    }
    if (entry.marker) entry.marker.bindTooltip(esc(entry.data.message));
    renderAlarms();
  }

  // --- tasks (from the dispatch app, when it is installed) ----------------
  var taskList = document.getElementById("task-list");
  var closedStates = ["closed", "cancelled", "merged", "written_off"];
  var labelsEl = document.getElementById("task-status-labels");
  var statusLabels = labelsEl ? JSON.parse(labelsEl.textContent) : {};
  function statusName(code) { return statusLabels[code] || code; }
  function upsertTask(t) {
    var lat = t.point ? t.point.lat : t.lat, lon = t.point ? t.point.lon : t.lon;
    var entry = tasks[t.id];
    if (closedStates.indexOf(t.status) >= 0) {
      if (entry) { if (entry.marker) taskLayer.removeLayer(entry.marker); delete tasks[t.id]; }
    } else if (!entry) {
      var marker = lat != null ? L.marker([lat, lon], { title: t.number || String(t.id) }).addTo(taskLayer) : null;
      tasks[t.id] = { marker: marker, data: t };
    } else {
      entry.data = Object.assign(entry.data, t);
    }
    if (tasks[t.id] && tasks[t.id].marker) tasks[t.id].marker.bindPopup("<b>" + esc(t.number || t.id) + "</b><br>" + esc(statusName(tasks[t.id].data.status)) + '<br><a href="/dispatch/tasks/' + t.id + '/">→</a>');
    taskList.innerHTML = "";
    Object.keys(tasks).forEach(function (k) {
      var li = document.createElement("li"), x = tasks[k].data;
      li.innerHTML = '<a href="/dispatch/tasks/' + x.id + '/">' + esc(x.number || x.id) + "</a> · " + esc(statusName(x.status)) + (x.category ? " · " + esc(x.category.name || x.category) : "");
      taskList.appendChild(li);
    });
  }
  if (d.tasks) {
    api(d.tasks + "?page_size=200").then(function (body) { (body.results || []).forEach(upsertTask); }).catch(function () {});
  }

  // --- the socket ----------------------------------------------------------
  var delay = 1000;
  function connect() {
    var proto = window.location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(proto + window.location.host + d.ws);
    ws.onopen = function () { delay = 1000; status.textContent = "● " + d.labelLive; };
    ws.onmessage = function (e) {
      var msg = JSON.parse(e.data);
      if (msg.type === "snapshot" || msg.type === "update") {
        (msg.units || []).forEach(upsertUnit);
        (msg.alarms || []).forEach(upsertAlarm);
        if (msg.type === "snapshot" && msg.units && msg.units.length && !fitted) fitTo(msg.units);
      } else if (msg.type === "event") {
        if (msg.event.indexOf("alarm.") === 0) upsertAlarm(msg.payload);
        else if (msg.event.indexOf("task.") === 0) upsertTask(msg.payload);
      }
    };
    ws.onclose = function (e) {
      status.textContent = "○ " + d.labelOffline;
      if (e.code === 4401) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  var fitted = false;
  function fitTo(list) {
    var pts = list.filter(function (u) { return u.lat != null; }).map(function (u) { return [u.lat, u.lon]; });
    if (pts.length) { fitted = true; map.fitBounds(L.latLngBounds(pts).pad(0.2), { maxZoom: 15 }); }
  }
  api(d.districts).then(function (fc) { districts.addData(fc); if (!fitted && fc.features.length) { map.fitBounds(districts.getBounds()); } }).catch(function () {});
  if ("WebSocket" in window) connect();

  // --- the panel: track playback and noise chart --------------------------
  var panel = document.getElementById("livepanel");
  document.getElementById("panel-toggle").addEventListener("click", function () { panel.classList.toggle("open"); });
  var unitPanel = document.getElementById("unit-panel");
  var form = document.getElementById("range-form");
  var current = null;
  function localInput(date) { var z = new Date(date.getTime() - date.getTimezoneOffset() * 60000); return z.toISOString().slice(0, 16); }
  function openUnit(u) {
    current = u;
    unitPanel.classList.remove("hidden");
    panel.classList.add("open");
    document.getElementById("unit-title").textContent = u.name + " · " + u.code;
    var now = new Date();
    form.elements.from.value = localInput(new Date(now.getTime() - (u.kind === "noise_sensor" ? 24 : 2) * 3600000));
    form.elements.to.value = localInput(now);
    load();
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
  function range() {
    return "?from=" + encodeURIComponent(new Date(form.elements.from.value).toISOString()) + "&to=" + encodeURIComponent(new Date(form.elements.to.value).toISOString());
  }
  function load() {
    if (!current) return;
    stop();
    trackLayer.clearLayers();
    document.getElementById("noise-chart").innerHTML = "";
    document.getElementById("track-controls").classList.add("hidden");
    var info = document.getElementById("unit-status");
    if (current.kind === "noise_sensor") {
      api(d.devices + current.id + "/noise/" + range()).then(function (body) {
        info.textContent = body.readings.length ? "" : d.labelNoData;
        chart(body);
      }).catch(function (e) { info.textContent = "⚠ " + e.message; });
    } else {
      api(d.devices + current.id + "/track/" + range()).then(function (f) {
        info.textContent = f.properties.count ? f.properties.count + " · " + hhmm(f.properties.times[0]) + " – " + hhmm(f.properties.times[f.properties.count - 1]) : d.labelNoData;
        track(f);
      }).catch(function (e) { info.textContent = "⚠ " + e.message; });
    }
  }

  var playback = { coords: [], times: [], marker: null, timer: null, i: 0 };
  var scrub = document.getElementById("scrub"), playBtn = document.getElementById("play"), scrubTime = document.getElementById("scrub-time");
  function track(f) {
    var coords = f.geometry.coordinates.map(function (c) { return [c[1], c[0]]; });
    if (!coords.length) return;
    L.polyline(coords, { color: "#e67e22", weight: 4, opacity: 0.8 }).addTo(trackLayer);
    playback.coords = coords; playback.times = f.properties.times; playback.i = 0;
    playback.marker = L.circleMarker(coords[0], { radius: 8, color: "#fff", weight: 2, fillColor: "#e67e22", fillOpacity: 1 }).addTo(trackLayer);
    map.fitBounds(L.latLngBounds(coords).pad(0.2));
    scrub.max = String(coords.length - 1); scrub.value = "0";
    document.getElementById("track-controls").classList.remove("hidden");
    seek(0);
  }
  function seek(i) {
    playback.i = i;
    playback.marker.setLatLng(playback.coords[i]);
    scrub.value = String(i);
    scrubTime.textContent = hhmm(playback.times[i]);
  }
  function stop() { if (playback.timer) { clearInterval(playback.timer); playback.timer = null; } playBtn.textContent = d.labelPlay; }
  scrub.addEventListener("input", function () { stop(); seek(parseInt(scrub.value, 10)); });
  playBtn.addEventListener("click", function () {
    if (playback.timer) { stop(); return; }
    if (playback.i >= playback.coords.length - 1) seek(0);
    playBtn.textContent = d.labelPause;
    // About 20 seconds for any track, at least 20 steps a second.
    var step = Math.max(1, Math.round(playback.coords.length / 400));
    playback.timer = setInterval(function () {
      var next = Math.min(playback.coords.length - 1, playback.i + step);
      seek(next);
      if (next >= playback.coords.length - 1) stop();
    }, 50);
  });

  function chart(body) {
    var rows = body.readings;
    var box = document.getElementById("noise-chart");
    if (!rows.length) return;
    var W = 320, H = 180, L0 = 30, B = 20;
    var t0 = new Date(rows[0].time).getTime(), t1 = new Date(rows[rows.length - 1].time).getTime() || t0 + 1;
    var lo = 30, hi = 100;
    rows.forEach(function (r) { hi = Math.max(hi, (r.lmax || r.laeq) + 5); });
    function x(t) { return L0 + (W - L0 - 5) * ((new Date(t).getTime() - t0) / Math.max(1, t1 - t0)); }
    function y(v) { return H - B - (H - B - 5) * ((v - lo) / (hi - lo)); }
    var laeq = rows.map(function (r) { return x(r.time).toFixed(1) + "," + y(r.laeq).toFixed(1); }).join(" ");
    // The limit as a step line: it changes at 06:00 and 22:00.
    var limit = rows.map(function (r) { return x(r.time).toFixed(1) + "," + y(r.limit).toFixed(1); }).join(" ");
    var lmaxLimit = rows.filter(function (r) { return r.night; }).map(function (r) { return '<circle cx="' + x(r.time).toFixed(1) + '" cy="' + y(r.limit + body.limits.night_lmax_margin).toFixed(1) + '" r="0.8" fill="#c0392b"/>'; }).join("");
    var lmax = rows.filter(function (r) { return r.lmax != null; }).map(function (r) { return '<circle cx="' + x(r.time).toFixed(1) + '" cy="' + y(r.lmax).toFixed(1) + '" r="1.2" fill="#95a5a6"/>'; }).join("");
    var ticks = [40, 55, 70, 85].map(function (v) { return '<text x="2" y="' + (y(v) + 3).toFixed(1) + '" font-size="9" fill="#6b7785">' + v + "</text>"; }).join("");
    box.innerHTML = '<svg viewBox="0 0 ' + W + " " + H + '" preserveAspectRatio="none">' + ticks + lmax + lmaxLimit +
      '<polyline points="' + limit + '" fill="none" stroke="#c0392b" stroke-width="1.5" stroke-dasharray="4 2"/>' +
      '<polyline points="' + laeq + '" fill="none" stroke="#7d3c98" stroke-width="1.5"/>' +
      '<text x="' + (W - 90) + '" y="12" font-size="9" fill="#c0392b">- - ' + esc(d.labelLimit) + " " + body.limits.day + "/" + body.limits.night + "</text></svg>";
  }
  window.cityenforceLiveMap = map;
})();
