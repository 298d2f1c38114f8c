// The officer's field client (外勤): my tasks and checklists kept in IndexedDB for offline reading, every action kept
// in an outbox with a key made here and sent in order, once, with that key as its Idempotency-Key (docs/FIELD.md).
const cfg = JSON.parse(document.getElementById("field-config").textContent);
const T = cfg.text;
const view = document.getElementById("view");
const banner = document.getElementById("banner");
const PAGE = 20;            // tasks per page of the list
const DETAILS_AHEAD = 40;   // task details fetched ahead for offline reading
const MAX_BACKOFF = 5 * 60 * 1000;
const TASK_KINDS = new Set(["accept", "feedback"]);

// ---- IndexedDB: one database per origin; rows of another officer are kept apart by cfg.user --------------------
const dbp = new Promise((resolve, reject) => {
  const open = indexedDB.open("cityenforce-field", 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore("meta");
    db.createObjectStore("tasks", { keyPath: "id" });
    db.createObjectStore("assignments", { keyPath: "id" });
    db.createObjectStore("checklists", { keyPath: "place" });
    db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
  };
  open.onsuccess = () => resolve(open.result);
  open.onerror = () => reject(open.error);
});

async function tx(store, mode, work) {
  const db = await dbp;
  return new Promise((resolve, reject) => {
    const t = db.transaction(store, mode);
    let result;
    const request = work(t.objectStore(store));
    if (request) request.onsuccess = () => { result = request.result; };
    t.oncomplete = () => resolve(result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}
const idbGet = (store, key) => tx(store, "readonly", (s) => s.get(key));
const idbAll = (store) => tx(store, "readonly", (s) => s.getAll());
const idbPut = (store, value, key) => tx(store, "readwrite", (s) => (key === undefined ? s.put(value) : s.put(value, key)));
const idbDelete = (store, key) => tx(store, "readwrite", (s) => s.delete(key));
const idbReplace = (store, values) => tx(store, "readwrite", (s) => { s.clear(); values.forEach((v) => s.put(v)); });

async function forgetAnotherOfficer() {
  // A phone handed to another officer: the copy of the last one's work goes; his outbox stays (it is sent when he signs in).
  const owner = await idbGet("meta", "user");
  if (owner !== undefined && owner !== cfg.user) {
    for (const store of ["tasks", "assignments", "checklists"]) await idbReplace(store, []);
  }
  await idbPut("meta", cfg.user, "user");
}

// ---- small helpers ----------------------------------------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function uuid4() {
  // Made on the phone when the action is queued; getRandomValues also works where randomUUID is missing (plain http).
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function csrfToken() {
  const row = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return row ? decodeURIComponent(row.split("=")[1]) : "";
}

function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleString("zh-CN", { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
}

function position() {
  // Where the phone is, if it says within a few seconds; an action never waits long for it.
  if (!("geolocation" in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 4000);
    navigator.geolocation.getCurrentPosition(
      (p) => { clearTimeout(timer); resolve({ lat: +p.coords.latitude.toFixed(7), lon: +p.coords.longitude.toFixed(7) }); },
      () => { clearTimeout(timer); resolve(null); },
      { enableHighAccuracy: true, timeout: 3500, maximumAge: 60000 },
    );
  });
}

function errorText(body, status) {
  const error = body && body.error;
  if (!error) return `${T.refused} (${status})`;
  const parts = [error.message];
  const details = error.details || {};
  for (const value of Object.values(details)) {
    const list = Array.isArray(value) ? value : [value];
    for (const v of list) if (typeof v === "string") parts.push(v);
  }
  return parts.filter(Boolean).join(" ");
}

const SESSION_CODES = new Set(["not_authenticated", "authentication_failed", "otp_required", "otp_enrolment_required"]);

function sessionExpired(response, body) {
  const code = body && body.error && body.error.code;
  return response.status === 401 || (response.status === 403 && SESSION_CODES.has(code)) || response.redirected;
}

function showSessionExpired() {
  banner.replaceChildren(T.session_expired, " ", el("a", { href: cfg.login }, T.sign_in_again));
  banner.hidden = false;
}

async function getJson(url) {
  // A read from the API; null when offline or refused (the copy in IndexedDB is shown instead).
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  } catch (e) {
    return null;
  }
  const body = await response.json().catch(() => null);
  if (sessionExpired(response, body)) { showSessionExpired(); return null; }
  return response.ok ? body : null;
}

async function getAllPages(url, limit = 4) {
  const rows = [];
  for (let page = 0; url && page < limit; page += 1) {
    const body = await getJson(url);
    if (body === null) return page === 0 ? null : rows;
    rows.push(...(body.results || []));
    url = body.next;
  }
  return rows;
}

// ---- the outbox ---------------------------------------------------------------------------------------------------
async function outboxItems() {
  return (await idbAll("outbox")).sort((a, b) => a.seq - b.seq);
}

async function enqueue({ kind, label, url, fields = {}, files = [], task = null }) {
  const place = await position();
  const item = {
    key: uuid4(), user: cfg.user, kind, label, url, fields, files, task,
    captured_at: new Date().toISOString(), lat: place ? place.lat : null, lon: place ? place.lon : null,
    state: "pending", attempts: 0, next_try: 0, message: "", created: Date.now(),
  };
  await idbPut("outbox", item);
  await refreshCount();
  flush();
  return item;
}

function formOf(item) {
  const body = new FormData();
  for (const [name, value] of Object.entries(item.fields)) {
    if (value === null || value === undefined || value === "") continue;
    (Array.isArray(value) ? value : [value]).forEach((v) => body.append(name, v));
  }
  // The time and place of the action travel with it; the server keeps them beside its own time.
  body.append(item.kind === "inspection" ? "inspected_at" : "captured_at", item.captured_at);
  if (item.lat !== null && item.lon !== null) {
    body.append("lat", item.lat);
    body.append("lon", item.lon);
  }
  for (const file of item.files) body.append(file.field, file.blob, file.name);
  return body;
}

let flushing = false;
let retryTimer = null;

function retryAt(ms) {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(flush, Math.max(ms, 500));
}

async function flush() {
  if (flushing || !navigator.onLine) return;
  flushing = true;
  try {
    for (const item of await outboxItems()) {
      if (item.user !== cfg.user || item.state === "refused") continue;
      if (item.next_try > Date.now()) { retryAt(item.next_try - Date.now()); break; } // in order: later ones wait
      if ((await send(item)) === "stop") break;
    }
  } finally {
    flushing = false;
    await refreshCount();
    rerender();
  }
}

async function send(item) {
  let response;
  try {
    response = await fetch(item.url, {
      method: "POST", body: formOf(item), credentials: "same-origin",
      headers: { "Idempotency-Key": item.key, "X-CSRFToken": csrfToken(), Accept: "application/json" },
    });
  } catch (e) {
    return later(item, T.network_error);
  }
  const body = await response.json().catch(() => null);
  if (response.ok) {
    await idbDelete("outbox", item.seq);
    if (TASK_KINDS.has(item.kind) && body && body.id) await idbPut("tasks", body); // the task as the server now has it
    return "sent";
  }
  if (sessionExpired(response, body)) { showSessionExpired(); return "stop"; } // kept; sent after signing in again
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    return later(item, `${T.server_error} (${response.status})`);
  }
  // 409 (the task moved on), 400, 404, 422: the server's answer is final for this action; shown, never retried.
  item.state = "refused";
  item.message = errorText(body, response.status);
  await idbPut("outbox", item);
  return "refused";
}

async function later(item, message) {
  item.attempts += 1;
  const wait = Math.min(MAX_BACKOFF, 2000 * 2 ** (item.attempts - 1)) * (0.75 + Math.random() / 2);
  item.next_try = Date.now() + wait;
  item.message = message;
  await idbPut("outbox", item);
  retryAt(wait);
  return "stop";
}

async function sendNow() {
  // Back online, or the officer asks: what waited for its backoff goes at once.
  for (const item of await outboxItems()) {
    if (item.state === "pending" && item.next_try) { item.next_try = 0; await idbPut("outbox", item); }
  }
  flush();
}

async function refreshCount() {
  const count = (await outboxItems()).filter((i) => i.user === cfg.user).length;
  const badge = document.getElementById("outbox-count");
  badge.textContent = count ? String(count) : "";
  badge.hidden = !count;
}

function stateLabel(item) {
  if (item.user !== cfg.user) return T.other_officer;
  if (item.state === "refused") return T.refused;
  return item.attempts ? T.retrying : T.queued;
}

function outboxRow(item, { withTask = true } = {}) {
  const remove = item.state === "refused" || item.user !== cfg.user
    ? el("button", { type: "button", class: "small", onclick: async () => { await idbDelete("outbox", item.seq); await refreshCount(); render(); } }, T.remove)
    : null;
  return el("li", { class: `outbox-item state-${item.state}` },
    el("div", { class: "row" }, el("strong", {}, item.label), el("span", { class: `pill pill-${item.state}` }, stateLabel(item))),
    withTask && item.task ? el("div", { class: "muted" }, el("a", { href: `#/task/${item.task}` }, item.task_number || `${T.task} ${item.task}`)) : null,
    el("div", { class: "muted" }, `${T.recorded_at} ${when(item.captured_at)}`, item.lat !== null ? ` · ${item.lat.toFixed(5)}, ${item.lon.toFixed(5)}` : ""),
    item.message ? el("div", { class: item.state === "refused" ? "error" : "muted" }, item.message) : null,
    remove);
}

// ---- pages --------------------------------------------------------------------------------------------------------
function statusLabel(code) {
  return cfg.statuses[code] || code;
}

async function pendingFor(taskId) {
  return (await outboxItems()).filter((i) => i.task === taskId && i.user === cfg.user && i.state !== "refused");
}

function effectiveActions(task, pending) {
  // What the officer may do next, as the server said when last asked, moved on by the steps still queued here.
  const actions = new Set(task.actions || []);
  for (const item of pending) {
    if (item.kind === "accept") { actions.delete("accept"); actions.delete("return"); actions.add("feedback"); }
    if (item.kind === "feedback") actions.delete("feedback");
  }
  return actions;
}

function note(text, cls = "muted") {
  return el("p", { class: cls }, text);
}

async function refreshTasks() {
  const rows = await getAllPages("/api/dispatch/tasks/?mine=1&open=1&page_size=50");
  if (rows === null) return false;
  // The details (with the steps I may take) of the first tasks, so that a task opens offline with its buttons.
  const details = await Promise.all(rows.slice(0, DETAILS_AHEAD).map((t) => getJson(`/api/dispatch/tasks/${t.id}/`)));
  await idbReplace("tasks", rows.map((row, i) => ({ ...row, ...(details[i] || {}) })));
  await idbPut("meta", new Date().toISOString(), "tasks_at");
  return true;
}

async function pageTasks(pageNumber) {
  const online = navigator.onLine && (await refreshTasks());
  const tasks = (await idbAll("tasks")).sort((a, b) => (b.received_at || "").localeCompare(a.received_at || ""));
  const fetchedAt = await idbGet("meta", "tasks_at");
  const queued = await outboxItems();
  const pages = Math.max(1, Math.ceil(tasks.length / PAGE));
  const page = Math.min(Math.max(1, pageNumber || 1), pages);
  const shown = tasks.slice((page - 1) * PAGE, page * PAGE);
  return [
    el("h1", {}, T.my_tasks),
    online ? null : note(fetchedAt ? `${T.offline_copy} ${when(fetchedAt)}` : T.no_copy, "notice"),
    tasks.length ? null : note(T.no_tasks),
    el("ul", { class: "cards", id: "task-list" }, shown.map((task) => {
      const waiting = queued.filter((i) => i.task === task.id && i.state !== "refused").length;
      return el("li", { class: `card alert-${task.alert || "none"}` },
        el("a", { href: `#/task/${task.id}`, class: "card-link" },
          el("div", { class: "row" }, el("strong", {}, task.number), el("span", { class: "pill" }, statusLabel(task.status))),
          el("div", {}, task.category ? task.category.name : ""),
          el("div", { class: "muted" }, task.address || ""),
          task.deadline ? el("div", { class: task.alert === "red" ? "error" : "muted" }, `${T.deadline} ${when(task.deadline)}`) : null,
          waiting ? el("span", { class: "pill pill-pending" }, `${T.queued} ${waiting}`) : null));
    })),
    pages > 1 ? el("nav", { class: "pager" },
      page > 1 ? el("a", { href: `#/tasks/${page - 1}` }, T.previous) : el("span", {}),
      el("span", {}, `${page} / ${pages}`),
      page < pages ? el("a", { href: `#/tasks/${page + 1}` }, T.next) : el("span", {})) : null,
  ];
}

function photoInput(name) {
  // The phone's camera first; the gallery is one tap away on every phone.
  return el("input", { type: "file", name, accept: "image/*", capture: "environment", multiple: true });
}

function filesOf(form, name, field) {
  return [...form.elements[name].files].map((file) => ({ field, blob: file, name: file.name || "photo.jpg" }));
}

async function pageTask(id) {
  let task = await idbGet("tasks", id);
  if (navigator.onLine) {
    const fresh = await getJson(`/api/dispatch/tasks/${id}/`);
    if (fresh) { task = { ...(task || {}), ...fresh }; await idbPut("tasks", task); }
  }
  if (!task) return [el("h1", {}, T.task), note(T.not_cached)];
  const pending = await pendingFor(id);
  const actions = effectiveActions(task, pending);
  const refused = (await outboxItems()).filter((i) => i.task === id && i.state === "refused");
  const accept = actions.has("accept") ? el("button", {
    type: "button", id: "accept", class: "primary",
    onclick: async (e) => {
      e.target.disabled = true;
      await enqueue({ kind: "accept", label: T.accept, url: `/api/dispatch/tasks/${id}/accept/`, task: id });
      render();
    },
  }, T.accept) : null;
  const feedback = actions.has("feedback") ? el("form", {
    id: "feedback", class: "stack",
    onsubmit: async (e) => {
      e.preventDefault();
      const form = e.target;
      if (!form.elements.result.value.trim()) { form.querySelector(".error").textContent = T.result_required; return; }
      form.querySelector("button").disabled = true;
      await enqueue({
        kind: "feedback", label: T.feedback, url: `/api/dispatch/tasks/${id}/feedback/`, task: id,
        fields: { result: form.elements.result.value.trim(), solved: form.elements.solved.checked ? "true" : "false" },
        files: filesOf(form, "photos", "photos"),
      });
      render(); // the form is done with: drawn again with the action queued
    },
  },
  el("h2", {}, T.feedback),
  el("label", {}, T.result, el("textarea", { name: "result", rows: 3, required: true, maxlength: 4000 })),
  el("label", { class: "inline" }, el("input", { type: "checkbox", name: "solved", checked: true }), T.solved),
  el("label", {}, T.photos, photoInput("photos")),
  el("p", { class: "error", "aria-live": "polite" }),
  el("button", { type: "submit", class: "primary" }, T.send_feedback)) : null;
  const evidence = el("form", {
    id: "evidence", class: "stack",
    onsubmit: async (e) => {
      e.preventDefault();
      const form = e.target;
      const files = filesOf(form, "file", "file");
      if (!files.length) { form.querySelector(".error").textContent = T.photo_required; return; }
      form.querySelector("button").disabled = true;
      // One upload per file: the evidence log holds each file on its own.
      for (const file of files) {
        await enqueue({
          kind: "evidence", label: T.evidence, url: "/api/evidence/", task: id,
          fields: { subject_type: "dispatch.task", subject_id: String(id), note: form.elements.note.value.trim(), device: navigator.userAgent.slice(0, 200) },
          files: [file],
        });
      }
      render();
    },
  },
  el("h2", {}, T.evidence),
  el("label", {}, T.photos, el("input", { type: "file", name: "file", accept: "image/*,video/*", capture: "environment", multiple: true })),
  el("label", {}, T.note, el("input", { type: "text", name: "note", maxlength: 4000 })),
  el("p", { class: "error", "aria-live": "polite" }),
  el("button", { type: "submit" }, T.save_evidence));
  return [
    el("p", {}, el("a", { href: "#/tasks" }, `‹ ${T.my_tasks}`)),
    el("h1", {}, task.number),
    el("div", { class: "row" }, el("span", { class: "pill", id: "task-status" }, statusLabel(task.status)),
      pending.length ? el("span", { class: "pill pill-pending" }, T.queued) : null),
    el("dl", { class: "facts" },
      el("dt", {}, T.category), el("dd", {}, task.category ? task.category.name : "—"),
      el("dt", {}, T.address), el("dd", {}, task.address || "—"),
      el("dt", {}, T.deadline), el("dd", {}, when(task.deadline) || "—"),
      el("dt", {}, T.description), el("dd", {}, task.description || "—")),
    pending.length || refused.length ? el("section", {}, el("h2", {}, T.outbox),
      el("ul", { class: "outbox", id: "task-outbox" }, [...pending, ...refused].map((i) => outboxRow(i, { withTask: false })))) : null,
    accept, feedback, evidence,
  ];
}

async function refreshAssignments() {
  const rows = await getAllPages("/api/inspection/assignments/?mine=1&status=open&page_size=50", 2);
  if (rows === null) return false;
  await idbReplace("assignments", rows);
  const places = [...new Set(rows.map((r) => r.place))].slice(0, DETAILS_AHEAD);
  const lists = await Promise.all(places.map((p) => getJson(`/api/inspection/places/${p}/checklist/`)));
  for (const [i, list] of lists.entries()) if (list) await idbPut("checklists", { place: places[i], ...list });
  return true;
}

async function pageAssignments(pageNumber) {
  const online = navigator.onLine && (await refreshAssignments());
  const rows = (await idbAll("assignments")).sort((a, b) => (a.due_on || "").localeCompare(b.due_on || ""));
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const page = Math.min(Math.max(1, pageNumber || 1), pages);
  return [
    el("h1", {}, T.inspections),
    online ? null : note(T.offline_short, "notice"),
    rows.length ? null : note(T.no_assignments),
    el("ul", { class: "cards" }, rows.slice((page - 1) * PAGE, page * PAGE).map((a) => el("li", { class: "card" },
      el("a", { href: `#/inspect/${a.id}`, class: "card-link" },
        el("strong", {}, a.place_name), el("div", { class: "muted" }, a.plan_name || ""),
        el("div", { class: "muted" }, `${T.due_on} ${a.due_on || "—"}`))))),
    pages > 1 ? el("nav", { class: "pager" },
      page > 1 ? el("a", { href: `#/inspect/page/${page - 1}` }, T.previous) : el("span", {}),
      el("span", {}, `${page} / ${pages}`),
      page < pages ? el("a", { href: `#/inspect/page/${page + 1}` }, T.next) : el("span", {})) : null,
  ];
}

async function pageInspection(id) {
  const assignment = await idbGet("assignments", id);
  if (!assignment) return [el("h1", {}, T.inspections), note(T.not_cached)];
  let checklist = await idbGet("checklists", assignment.place);
  if (!checklist && navigator.onLine) {
    const fresh = await getJson(`/api/inspection/places/${assignment.place}/checklist/`);
    if (fresh) { checklist = { place: assignment.place, ...fresh }; await idbPut("checklists", checklist); }
  }
  if (!checklist) return [el("h1", {}, assignment.place_name), note(T.no_checklist)];
  const items = checklist.items || [];
  return [
    el("p", {}, el("a", { href: "#/inspect" }, `‹ ${T.inspections}`)),
    el("h1", {}, assignment.place_name),
    el("p", { class: "muted" }, checklist.name),
    el("form", {
      id: "inspection", class: "stack",
      onsubmit: async (e) => {
        e.preventDefault();
        const form = e.target;
        const answers = items.map((item) => ({
          item: item.id, outcome: (form.elements[`item-${item.id}`] || {}).value || "",
          note: form.elements[`note-${item.id}`].value.trim(),
        }));
        if (answers.some((a) => !a.outcome)) { form.querySelector(".error").textContent = T.answer_every_item; return; }
        if (!form.elements.co_officer.value) { form.querySelector(".error").textContent = T.co_officer_required; return; }
        form.querySelector("button[type=submit]").disabled = true;
        await enqueue({
          kind: "inspection", label: `${T.inspection} · ${assignment.place_name}`, url: "/api/inspection/records/",
          fields: { city_code: assignment.city_code, co_officer: form.elements.co_officer.value, answers: JSON.stringify(answers),
                    note: form.elements.note.value.trim() },
          files: filesOf(form, "photos", "photos"),
        });
        location.hash = "#/outbox";
      },
    },
    el("label", {}, T.co_officer, el("select", { name: "co_officer", required: true },
      el("option", { value: "" }, "—"), cfg.colleagues.map(([pk, name]) => el("option", { value: pk }, name)))),
    items.map((item) => el("fieldset", { class: "check-item" },
      el("legend", {}, item.text),
      el("div", { class: "choices" }, cfg.outcomes.map(([value, label]) => el("label", { class: "inline" },
        el("input", { type: "radio", name: `item-${item.id}`, value, required: true }), label))),
      el("input", { type: "text", name: `note-${item.id}`, placeholder: T.note, maxlength: 500 }))),
    el("label", {}, T.photos, photoInput("photos")),
    el("label", {}, T.note, el("textarea", { name: "note", rows: 2, maxlength: 4000 })),
    el("p", { class: "error", "aria-live": "polite" }),
    el("button", { type: "submit", class: "primary" }, T.save_inspection)),
  ];
}

async function pageOutbox() {
  const items = await outboxItems();
  const tasks = new Map((await idbAll("tasks")).map((t) => [t.id, t.number]));
  items.forEach((i) => { i.task_number = tasks.get(i.task); });
  return [
    el("h1", {}, T.outbox),
    note(T.outbox_help),
    items.length ? null : note(T.outbox_empty, "muted outbox-empty"),
    el("ul", { class: "outbox", id: "outbox" }, items.map((i) => outboxRow(i))),
    items.some((i) => i.state === "pending" && i.user === cfg.user)
      ? el("button", { type: "button", onclick: sendNow }, T.send_now) : null,
  ];
}

// ---- routing -------------------------------------------------------------------------------------------------------
const ROUTES = [
  [/^#\/task\/(\d+)$/, (m) => pageTask(Number(m[1]))],
  [/^#\/tasks(?:\/(\d+))?$/, (m) => pageTasks(Number(m[1] || 1))],
  [/^#\/inspect\/page\/(\d+)$/, (m) => pageAssignments(Number(m[1]))],
  [/^#\/inspect\/(\d+)$/, (m) => pageInspection(Number(m[1]))],
  [/^#\/inspect$/, () => pageAssignments(1)],
  [/^#\/outbox$/, () => pageOutbox()],
];

let rendering = 0;
async function render() {
  const hash = location.hash || "#/tasks";
  const mine = ++rendering;
  for (const [pattern, page] of ROUTES) {
    const match = hash.match(pattern);
    if (match) {
      const nodes = await page(match);
      if (mine === rendering) view.replaceChildren(...nodes.flat().filter(Boolean));
      document.querySelectorAll(".tabs a").forEach((a) => a.classList.toggle("active", hash.startsWith(a.getAttribute("href"))));
      return;
    }
  }
  location.hash = "#/tasks";
}

function rerender() {
  // Pages that show the outbox follow it; a half-filled form is never redrawn under the officer's hands.
  const hash = location.hash || "#/tasks";
  const form = view.querySelector("form");
  const busy = form && [...form.elements].some((f) => (f.type === "file" ? f.files.length : f.type !== "checkbox" && f.type !== "radio" && f.value));
  if (!busy && /^#\/(outbox|task\/|tasks)/.test(hash)) render();
}

function showNetwork() {
  const net = document.getElementById("net");
  net.textContent = navigator.onLine ? T.online : T.offline;
  net.className = navigator.onLine ? "net online" : "net offline";
}

window.addEventListener("hashchange", render);
window.addEventListener("online", () => { showNetwork(); sendNow(); });
window.addEventListener("offline", showNetwork);

async function start() {
  showNetwork();
  await forgetAnotherOfficer();
  await refreshCount();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(cfg.sw, { scope: cfg.scope }).catch(() => { /* no offline shell; the page still works */ });
  }
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  await render();
  flush();
}

start();
