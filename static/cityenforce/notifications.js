// Live messages for a signed-in user: /ws/notifications/ with reconnects and toasts.
(function () {
  "use strict";
  var badge = document.getElementById("unread-badge");
  var toasts = document.getElementById("toasts");
  var delay = 1000;
  function toast(msg) {
    var el = document.createElement("div");
    el.className = "toast " + (msg.level || "info");
    var title = document.createElement("b");
    title.textContent = msg.title || msg.event;
    el.appendChild(title);
    if (msg.body) { var p = document.createElement("div"); p.textContent = msg.body; el.appendChild(p); }
    if (msg.link) { el.style.cursor = "pointer"; el.onclick = function () { window.location = msg.link; }; }
    toasts.appendChild(el);
    setTimeout(function () { el.remove(); }, 8000);
  }
  function bump() {
    if (!badge) return;
    badge.textContent = String((parseInt(badge.textContent, 10) || 0) + 1);
    badge.classList.remove("hidden");
  }
  function connect() {
    var proto = window.location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(proto + window.location.host + "/ws/notifications/");
    ws.onopen = function () { delay = 1000; };
    ws.onmessage = function (e) {
      var msg = JSON.parse(e.data);
      if (msg.type === "event") {
        if (msg.notification_id) bump();
        toast(msg);
        document.dispatchEvent(new CustomEvent("cityenforce:event", { detail: msg }));
      }
    };
    ws.onclose = function (e) {
      if (e.code === 4401) return; // signed out: do not retry
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  if ("WebSocket" in window) connect();
})();
