/* The big screen (大屏): figures from one JSON endpoint (refreshed no faster than every 30 s), live tasks, units and
 * alarms over the live map's socket (/ws/map/), district outlines from our own data (works with no tiles), panels
 * rotating two at a time (paused on hover/focus and under prefers-reduced-motion). No inline script: CSP holds. */
(function () {
  "use strict";
  var root = document.getElementById("scr");
  if (!root) return;
  var d = root.dataset;
  var labels = JSON.parse(document.getElementById("scr-labels").textContent);
  var status = document.getElementById("scr-status");
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }

  // --- map ------------------------------------------------------------------
  var map = window.L ? L.map("scr-map", { preferCanvas: true }).setView([39.9042, 116.4074], 11) : null;
  var taskLayer, unitLayer, alarmLayer, tasks = {}, units = {}, alarms = {};
  if (map) {
    var base = L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 19 }), tileErrors = 0;
    base.on("tileerror", function () { if (++tileErrors === 4) status.textContent = "⚠ " + labels.noTiles; });
    base.addTo(map);
    var outlines = L.geoJSON(null, { style: { color: "#1d4e89", weight: 2, fill: true, fillOpacity: 0.04 }, interactive: false }).addTo(map);
    getJSON(d.districts).then(function (fc) { outlines.addData(fc); if (fc.features.length) map.fitBounds(outlines.getBounds()); }).catch(function () {});
    taskLayer = L.layerGroup().addTo(map); unitLayer = L.layerGroup().addTo(map); alarmLayer = L.layerGroup().addTo(map);
  }
  function upsert(store, layer, item, style) {
    if (!map || item.lat == null) return;
    var key = item.id != null ? item.id : item.device;
    var m = store[key];
    if (item.status === "closed" || item.status === "merged" || item.state === "cleared") { if (m) { layer.removeLayer(m); delete store[key]; } return; }
    if (m) { m.setLatLng([item.lat, item.lon]); return; }
    store[key] = L.circleMarker([item.lat, item.lon], style).bindTooltip(esc(item.number || item.name || item.kind || "")).addTo(layer);
  }
  function upsertTask(t) { upsert(tasks, taskLayer, t, { radius: 5, color: "#c0392b", weight: 1, fillOpacity: 0.8 }); }
  function upsertUnit(u) { upsert(units, unitLayer, u, { radius: 6, color: "#2471a3", weight: 2, fillOpacity: 0.9 }); }
  function upsertAlarm(a) { upsert(alarms, alarmLayer, a, { radius: 9, color: "#e67e22", weight: 3, fillOpacity: 0.3 }); }

  // --- figures --------------------------------------------------------------
  var charts = {};
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    charts[id] = charts[id] || window.echarts.init(el);
    charts[id].setOption(option, true);
  }
  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  function text(id, v) { var el = document.getElementById(id); if (el) el.textContent = v; }
  function list(id, items, fmt) {
    var el = document.getElementById(id);
    el.innerHTML = items && items.length ? items.map(function (x) { return "<li>" + fmt(x) + "</li>"; }).join("") : "<li class=\"muted\">" + esc(labels.none) + "</li>";
  }
  function show(data) {
    var c = data.counts;
    text("c-intake", c.intake); text("c-open", c.open); text("c-overdue", c.overdue); text("c-closed", c.closed); text("c-units", c.units_on_duty);
    document.getElementById("scr-demo").hidden = !data.demo;
    var hours = []; for (var h = 0; h < 24; h++) hours.push(h + ":00");
    var suffix = data.demo ? "（演示数据为生成数据）" : "";
    chart("scr-hours", {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 36, right: 8, top: 30, bottom: 24 },
      xAxis: { type: "category", data: hours }, yAxis: { type: "value", min: 0 },
      series: [{ name: labels.today, type: "bar", data: data.by_hour.today },
               { name: labels.average + suffix, type: "line", data: data.by_hour.weekday_average }]
    });
    chart("scr-sources", {
      tooltip: { trigger: "item" },
      series: [{ name: labels.reports, type: "pie", radius: ["35%", "70%"], data: data.sources.map(function (s) { return { name: s.name, value: s.count }; }) }]
    });
    list("scr-categories", data.categories, function (x) { return "<span>" + esc(x.name) + "</span><b>" + x.count + "</b>"; });
    list("scr-incidents", data.incidents, function (x) { return "<span>" + esc(x.title) + "</span>"; });
    var ranking = data.rankings;
    text("scr-scheme", ranking ? " " + ranking.scheme + "（" + ranking.period_start + "—" + ranking.period_end + "）" : "");
    list("scr-rankings", ranking ? ranking.rows : [], function (x) {
      return "<span>" + (x.rank === null ? "—" : x.rank) + ". " + esc(x.unit) + "</span><b>" + (x.score === null ? "—" : x.score) + "</b>";
    });
    (data.tasks || []).forEach(upsertTask);
  }
  function load() { getJSON(d.api).then(show).catch(function () { status.textContent = "○ " + labels.offline; }); }
  load();
  setInterval(load, Math.max(30, parseInt(d.refresh, 10) || 30) * 1000);

  // --- socket: the live map's stream -----------------------------------------
  var delay = 1000;
  function connect() {
    var ws = new WebSocket((window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host + d.ws);
    ws.onopen = function () { delay = 1000; status.textContent = "● " + labels.live; };
    ws.onmessage = function (e) {
      var msg = JSON.parse(e.data);
      if (msg.type === "snapshot" || msg.type === "update") {
        (msg.units || []).forEach(upsertUnit); (msg.alarms || []).forEach(upsertAlarm);
      } else if (msg.type === "event" && msg.payload) {
        if (msg.event.indexOf("alarm.") === 0) upsertAlarm(msg.payload);
        else if (msg.event.indexOf("task.") === 0) upsertTask(msg.payload);
      }
    };
    ws.onclose = function (e) { status.textContent = "○ " + labels.offline; if (e.code === 4401) return; setTimeout(connect, delay); delay = Math.min(delay * 2, 30000); };
  }
  if ("WebSocket" in window) connect();

  // --- rotating panels --------------------------------------------------------
  var panels = Array.prototype.slice.call(document.querySelectorAll(".scr-panel")), first = 0, paused = false;
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function place() {
    panels.forEach(function (p, i) { var on = i === first || i === (first + 1) % panels.length; p.classList.toggle("scr-hidden", !on); });
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  }
  var box = document.getElementById("scr-panels");
  box.addEventListener("mouseenter", function () { paused = true; });
  box.addEventListener("mouseleave", function () { paused = false; });
  box.addEventListener("focusin", function () { paused = true; });
  box.addEventListener("focusout", function () { paused = false; });
  if (!still && panels.length > 2) {
    place();
    setInterval(function () { if (!paused) { first = (first + 2) % panels.length; place(); } }, 15000);
  }
})();
