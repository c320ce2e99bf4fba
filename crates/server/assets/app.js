// ascribe web interface: a little vanilla JavaScript over the JSON API.
// Never builds HTML from data: every text goes through textContent.
"use strict";

const S = { csrf: null, user: null };

function h(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}
const $ = (id) => document.getElementById(id);
const SVGNS = "http://www.w3.org/2000/svg";
function s(tag, attrs, ...kids) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const k of kids.flat()) if (k) e.append(k);
  return e;
}
const pct = (p) => p > 0 && p < 0.001 ? "<0.1%" : (p * 100).toFixed(p < 0.01 && p > 0 ? 1 : 0) + "%";
const when = (t) => new Date(t * 1000).toISOString().replace("T", " ").slice(0, 16) + " UTC";
function status(msg) { $("status").textContent = msg; }

async function api(method, path, body, extra) {
  const opts = { method, headers: Object.assign({}, extra || {}), credentials: "same-origin" };
  if (S.csrf && method !== "GET") opts.headers["X-CSRF-Token"] = S.csrf;
  if (body instanceof FormData) opts.body = body;
  else if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
  const r = await fetch(path, opts);
  if (r.status === 401 && document.body.dataset.page !== "login") { location.href = "/login"; throw new Error("not logged in"); }
  let data = null;
  const ct = r.headers.get("content-type") || "";
  if (ct.includes("json")) data = await r.json();
  if (!r.ok) {
    const m = data && data.error ? data.error.message : r.status + " " + r.statusText;
    const e = new Error(m); e.status = r.status; throw e;
  }
  return { data, etag: r.headers.get("etag"), status: r.status, location: r.headers.get("location") };
}

async function whoami() {
  const { data } = await api("GET", "/api/v1/me");
  S.user = data.user; S.csrf = data.csrf_token;
  $("who").textContent = data.user.name + " (" + data.user.role + ")";
  $("logout").hidden = false;
  $("logout").onclick = async () => { await api("POST", "/api/v1/logout"); location.href = "/login"; };
  if (S.user.role === "viewer") document.querySelectorAll(".writer").forEach((e) => e.hidden = true);
}

// ------------------------------------------------------------------ login
function loginPage() {
  $("login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("login-error").textContent = "";
    try {
      await api("POST", "/api/v1/login", { username: $("username").value, password: $("password").value });
      location.href = "/";
    } catch (e) { $("login-error").textContent = e.message; }
  });
}

// ------------------------------------------------------------------ drop zones
function dropZone(zone, input) {
  if (!zone) return;
  zone.addEventListener("click", () => input.click());
  zone.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); } });
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault(); zone.classList.remove("over");
    input.files = e.dataTransfer.files;
    zone.textContent = Array.from(input.files).map((f) => f.name).join(", ");
  });
  input.addEventListener("change", () => { zone.textContent = Array.from(input.files).map((f) => f.name).join(", ") || zone.textContent; });
}
const isArchive = (f) => /\.(zip|tar|tgz|tar\.gz)$/i.test(f.name);
function filesForm(files, dir) {
  const fd = new FormData();
  if (dir) fd.append("dir", dir);
  const list = Array.from(files);
  for (const f of list) fd.append(list.length === 1 && isArchive(f) ? "archive" : "file", f, f.name);
  return fd;
}

// ------------------------------------------------------------------ case list
async function casesPage() {
  const { data } = await api("GET", "/api/v1/cases");
  const tb = document.querySelector("#case-table tbody");
  const render = () => {
    const q = $("case-filter").value.toLowerCase();
    tb.replaceChildren(...data.cases
      .filter((c) => !q || c.title.toLowerCase().includes(q) || c.owner.toLowerCase().includes(q))
      .map((c) => h("tr", {}, h("td", {}, h("a", { href: "/cases/" + c.id, text: c.title })),
        h("td", { text: c.owner }), h("td", { text: "v" + c.version }), h("td", { text: when(c.updated) }))));
    if (!tb.children.length) tb.append(h("tr", {}, h("td", { colspan: 4, text: "No case yet." })));
  };
  $("case-filter").addEventListener("input", render);
  render();
  dropZone($("drop"), $("import-file"));
  $("import-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const files = $("import-file").files;
    if (!files.length) { status("Choose an archive or files first."); return; }
    try {
      status("Uploading…");
      const r = await api("POST", "/api/v1/cases/import", filesForm(files));
      location.href = "/cases/" + r.data.id;
    } catch (e) { status("Upload refused: " + e.message); }
  });
  $("new-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const r = await api("POST", "/api/v1/cases", { case_toml: $("new-toml").value });
      location.href = "/cases/" + r.data.id;
    } catch (e) { status("Not created: " + e.message); }
  });
}

// ------------------------------------------------------------------ charts
function barChart(hyps) {
  const w = 640, row = 26, lw = 300, H = row * hyps.length + 10;
  const svg = s("svg", { viewBox: `0 0 ${w} ${H}`, width: "100%", role: "img", "aria-label": "Posterior probability of each hypothesis" });
  hyps.forEach((x, i) => {
    const y = 5 + i * row, bw = Math.max(1, (w - lw - 60) * x.posterior);
    svg.append(s("text", { x: lw - 8, y: y + 16, "text-anchor": "end", class: "lbl", text: x.label.length > 44 ? x.label.slice(0, 43) + "…" : x.label }),
      s("rect", { x: lw, y: y + 3, width: bw, height: row - 8, class: "bar " + (x.kind || "") }),
      s("text", { x: lw + bw + 6, y: y + 16, class: "val", text: pct(x.posterior) }));
  });
  return svg;
}

const COLORS = ["#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d98200", "#555"];
function historyChart(hist) {
  if (!hist.length) return h("p", { class: "hint", text: "No version analysed yet." });
  const ids = []; const labels = {};
  for (const a of hist) for (const x of a.hypotheses.slice(0, 4)) { if (!ids.includes(x.id)) ids.push(x.id); labels[x.id] = x.label; }
  const keep = ids.slice(0, 6);
  const w = 640, H = 240, L = 40, R = 20, T = 10, B = 30;
  const xs = hist.map((a) => a.version);
  const xmin = Math.min(...xs), xmax = Math.max(...xs);
  const X = (v) => L + (xmax === xmin ? (w - L - R) / 2 : (v - xmin) / (xmax - xmin) * (w - L - R));
  const Y = (p) => T + (1 - p) * (H - T - B);
  const svg = s("svg", { viewBox: `0 0 ${w} ${H}`, width: "100%", role: "img", "aria-label": "Probability of the leading hypotheses across versions" });
  for (const p of [0, 0.25, 0.5, 0.75, 1]) svg.append(s("line", { x1: L, x2: w - R, y1: Y(p), y2: Y(p), class: "grid" }), s("text", { x: L - 4, y: Y(p) + 4, "text-anchor": "end", class: "val", text: pct(p) }));
  for (const a of hist) svg.append(s("text", { x: X(a.version), y: H - 10, "text-anchor": "middle", class: "val", text: "v" + a.version }));
  keep.forEach((id, k) => {
    const pts = hist.map((a) => { const x = a.hypotheses.find((y) => y.id === id); return [X(a.version), Y(x ? x.posterior : 0)]; });
    svg.append(s("polyline", { points: pts.map((p) => p.join(",")).join(" "), fill: "none", stroke: COLORS[k], "stroke-width": 2 }));
    for (const [x, y] of pts) svg.append(s("circle", { cx: x, cy: y, r: 3, fill: COLORS[k] }));
  });
  const legend = h("ul", { class: "legend" }, keep.map((id, k) => h("li", {}, h("span", { class: "swatch", style: null, "data-c": k }), labels[id])));
  legend.querySelectorAll(".swatch").forEach((e) => e.classList.add("c" + e.dataset.c));
  // the same figures as a table, for screen readers and print
  const tbl = h("table", { class: "data small" },
    h("caption", { text: "Verdict by version" }),
    h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Version" }), h("th", { scope: "col", text: "Verdict" }), keep.map((id) => h("th", { scope: "col", text: labels[id] })))),
    h("tbody", {}, hist.map((a) => h("tr", {}, h("td", { text: "v" + a.version }), h("td", { text: a.verdict ? a.verdict.statement : "" }),
      keep.map((id) => { const x = a.hypotheses.find((y) => y.id === id); return h("td", { text: x ? pct(x.posterior) : "–" }); })))));
  return h("div", {}, svg, legend, tbl);
}

// ------------------------------------------------------------------ tables
function sortableTable(cols, rows, filterInput) {
  let key = null, dir = 1;
  const tbody = h("tbody");
  const head = h("tr", {}, cols.map((c, i) => h("th", { scope: "col", "aria-sort": "none" },
    h("button", { type: "button", class: "sort", onclick: () => { dir = key === i ? -dir : 1; key = i; render(); } }, c.title))));
  const render = () => {
    const q = filterInput ? filterInput.value.toLowerCase() : "";
    let r = rows.filter((row) => !q || cols.some((c) => String(c.get(row)).toLowerCase().includes(q)));
    if (key !== null) r = r.slice().sort((a, b) => { const x = cols[key].get(a), y = cols[key].get(b); return (x < y ? -1 : x > y ? 1 : 0) * dir; });
    head.querySelectorAll("th").forEach((th, i) => th.setAttribute("aria-sort", i === key ? (dir > 0 ? "ascending" : "descending") : "none"));
    tbody.replaceChildren(...r.map((row) => h("tr", {}, cols.map((c) => h("td", { class: c.cls ? c.cls(row) : null }, c.show ? c.show(row) : String(c.get(row)))))));
  };
  if (filterInput) filterInput.addEventListener("input", render);
  render();
  return h("table", { class: "data" }, h("thead", {}, head), tbody);
}

// ------------------------------------------------------------------ case page
let CASE = null;

// downloads (attachments) of the assessment in the interoperability formats
function exportLinks(id, version) {
  const base = "/api/v1/cases/" + encodeURIComponent(id) + "/assessments/" + encodeURIComponent(version) + "/export?format=";
  const formats = [["stix", "STIX 2.1"], ["misp", "MISP event"], ["navigator", "ATT&CK Navigator layers"], ["html", "HTML report"]];
  return h("p", { class: "exports" }, "Export: ", formats.map(([f, label], i) => [i ? " · " : null,
    h("a", { href: base + f, download: "", text: label })]).flat());
}

function renderAssessment(a, current) {
  const v = a.verdict;
  $("verdict").replaceChildren(
    h("p", { class: "statement", text: v.statement }),
    h("p", {}, "Analytic confidence: ", h("strong", { text: v.confidence }), v.confidence_reason ? " — " + v.confidence_reason : ""),
    a.state_verdict ? h("p", { class: "state", text: a.state_verdict }) : null,
    h("p", { class: "meta", text: "Assessed version v" + a._version + (a._version !== current ? " (the case is now at v" + current + ": analyse again)" : " (current)") }),
    exportLinks(a._case, a._version));
  $("hypotheses").replaceChildren(barChart(a.hypotheses));
  $("evidence").replaceChildren(sortableTable([
    { title: "Item", get: (e) => e.id },
    { title: "Evidence", get: (e) => e.summary },
    { title: "Kind", get: (e) => e.kind },
    { title: "Weight", get: (e) => Number(e.weight || 0), show: (e) => Number(e.weight || 0).toFixed(2) },
    { title: "Forge cost", get: (e) => e.forge_cost, cls: (e) => "forge-" + e.forge_cost },
    { title: "Reliability", get: (e) => e.reliability, show: (e) => pct(e.reliability) },
    { title: "Source", get: (e) => e.source },
  ], a.evidence, $("ev-filter")));
  const st = a.stress_test;
  $("stress").replaceChildren(
    h("p", { text: st.summary || "" }),
    h("table", { class: "data" }, h("thead", {}, h("tr", {}, ["Scenario", "Items kept", "Leader", "Probability"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, st.scenarios.map((x) => h("tr", {}, h("td", {}, h("strong", { text: x.name }), " — " + x.description), h("td", { text: x.items_kept }), h("td", { text: x.leader_label }), h("td", { text: pct(x.probability) + " (" + x.likelihood + ")" }))))),
    st.cheapest_flip ? h("p", {}, "Cheapest plant that flips the verdict: ", h("strong", { text: st.cheapest_flip.items.join(", ") }), " (" + st.cheapest_flip.effort + " effort units, up to " + st.cheapest_flip.hardest + ")") : null);
  const ach = a.ach;
  const labelOf = (id) => (a.hypotheses.find((x) => x.id === id) || { label: id }).label;
  $("ach").replaceChildren(h("table", { class: "data heat" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Evidence" }), h("th", { scope: "col", text: "Diagnosticity" }), ach.hypotheses.map((id) => h("th", { scope: "col", text: labelOf(id) })))),
    h("tbody", {}, ach.rows.filter((r) => r.cells.some((c) => c !== "neutral")).map((r) => h("tr", {},
      h("th", { scope: "row", text: r.evidence }), h("td", { text: r.diagnosticity.toFixed(2) }),
      r.cells.map((c) => h("td", { class: "ach-" + c.replace(/\s+/g, "-"), text: c })))))));
  $("next").replaceChildren(h("ol", {}, a.collect_next.slice(0, 10).map((x) => h("li", {}, h("strong", { text: x.what }), " — " + x.why + " (if found: " + pct(x.leader_if_found) + ", if absent: " + pct(x.leader_if_absent) + ")"))));
  $("notes").replaceChildren(h("ul", {}, (a.warnings || []).map((w) => h("li", { text: w }))));
}

const FIELDS = {
  technique: [["id", "ATT&CK technique id", "technique"]],
  software: [["name", "Malware or tool", "software"]],
  indicator: [["type", "Type (ip, domain, url, email, hash, wallet)"], ["value", "Value"], ["role", "Role (e.g. c2)"], ["overlaps", "Overlaps actor or country", "actor"]],
  claim: [["claimant", "Who claims"], ["claimant_kind", "Kind of claimant (government, vendor, researcher, media, actor, other)"], ["target", "Actor or country named", "actor"], ["stance", "Stance (asserts, suspects, doubts, denies, claims-responsibility)"], ["quote", "Their words"]],
  artifact: [["type", "Type (e.g. resource-language)"], ["value", "Value"]],
  operator_origin: [["actor", "Actor or country whose address space it is", "actor"], ["address", "Address or range (e.g. 175.45.178.0/24)"], ["activity", "What connected"]],
};
function obsFields() {
  const t = $("obs-table").value;
  $("obs-fields").replaceChildren(...FIELDS[t].map(([name, label, kb]) => {
    const id = "f-" + name;
    const input = h("input", { id, name, "data-field": name, maxlength: 4000, list: kb ? id + "-list" : null, autocomplete: "off" });
    const dl = kb ? h("datalist", { id: id + "-list" }) : null;
    if (kb) input.addEventListener("input", async () => {
      if (input.value.length < 2) return;
      try {
        const { data } = await api("GET", "/api/v1/kb/complete?kind=" + kb + "&q=" + encodeURIComponent(input.value));
        dl.replaceChildren(...data.suggestions.map((x) => h("option", { value: x.value, label: x.label })));
      } catch (e) { /* completion is a convenience */ }
    });
    return h("p", {}, h("label", { for: id, text: label }), " ", input, dl);
  }));
}

async function loadCase(id) {
  const r = await api("GET", "/api/v1/cases/" + id);
  CASE = r.data; CASE.etag = r.etag;
  document.title = CASE.title + " · ascribe";
  $("case-title").textContent = CASE.title;
  $("case-meta").textContent = "Version v" + CASE.version + " · owner " + CASE.owner + " · updated " + when(CASE.updated);
  $("toml").value = CASE.case_toml;
  $("obs-source").replaceChildren(...CASE.sources.map(([sid, t]) => h("option", { value: sid, text: sid + " — " + t })));
  $("shares").textContent = CASE.shared_with.length ? "Shared with: " + CASE.shared_with.join(", ") : "Not shared.";
  const files = Object.entries(CASE.files);
  $("files").replaceChildren(files.length ? h("table", { class: "data" },
    h("thead", {}, h("tr", {}, ["File", "Size", "SHA-256", "", ""].map((t) => h("th", { scope: "col", text: t })))),
    h("tbody", {}, files.map(([p, f]) => h("tr", {}, h("td", {}, h("a", { href: "/api/v1/cases/" + id + "/files/" + p.split("/").map(encodeURIComponent).join("/"), download: "", text: p })),
      h("td", { text: f.size }), h("td", { class: "mono", text: f.sha256.slice(0, 16) + "…" }),
      h("td", {}, isReport(p) ? null : h("button", { type: "button", class: "similar", onclick: () => similarCode(id, p), text: "Similar code" })),
      h("td", { class: "writer" }, h("button", { type: "button", onclick: () => removeFile(id, p), text: "Remove" })))))) : h("p", { class: "hint", text: "No evidence file." }),
    h("div", { id: "similar", "aria-live": "polite" }));
  const vs = await api("GET", "/api/v1/cases/" + id + "/versions");
  $("versions").replaceChildren(...vs.data.versions.map((v) => h("li", { text: "v" + v.version + " — " + v.message + " (" + v.author + ", " + when(v.created) + ")" })));
  const hist = (await api("GET", "/api/v1/cases/" + id + "/assessments")).data.assessments;
  $("history").replaceChildren(historyChart(hist));
  if (hist.length) {
    const last = hist[hist.length - 1];
    const full = await api("GET", "/api/v1/cases/" + id + "/assessments/" + last.version);
    full.data._version = last.version;
    full.data._case = id;
    renderAssessment(full.data, CASE.version);
  }
  if (S.user.role === "viewer") document.querySelectorAll(".writer").forEach((e) => e.hidden = true);
}

const isReport = (p) => /(\.(txt|md|html?|pdf|toml)$)|(^|\/)(ILLUSTRATIVE|README[^/]*)$/i.test(p);
async function similarCode(id, p) {
  const out = $("similar");
  out.replaceChildren(h("p", { text: "Searching the code index for " + p + "…" }));
  try {
    const { data } = await api("GET", "/api/v1/cases/" + id + "/similar?file=" + encodeURIComponent(p));
    out.replaceChildren(h("h3", { text: "Code shared with " + p }), data.families.length ? h("table", { class: "data" },
      h("thead", {}, h("tr", {}, ["Family", "Actors", "Coverage", "Score"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, data.families.map((f) => h("tr", {}, h("td", { text: f.family }), h("td", { text: (f.actors || []).join(", ") }),
        h("td", { text: f.coverage !== undefined ? pct(f.coverage) : "" }), h("td", { text: f.score !== undefined ? Number(f.score).toFixed(2) : "" })))))
      : h("p", { class: "hint", text: "No indexed family shares code with it." }));
  } catch (e) { out.replaceChildren(h("p", { class: "error", text: e.message })); }
}

async function removeFile(id, p) {
  try {
    await api("DELETE", "/api/v1/cases/" + id + "/files/" + p.split("/").map(encodeURIComponent).join("/"), undefined, { "If-Match": CASE.etag });
    await loadCase(id);
  } catch (e) { status(e.message); }
}

async function analyse(id) {
  const btn = $("analyse");
  btn.disabled = true;
  try {
    const r = await api("POST", "/api/v1/cases/" + id + "/analyses");
    const job = r.data.job;
    for (let i = 0; i < 600; i++) {
      const j = (await api("GET", "/api/v1/jobs/" + job)).data.job;
      $("job").textContent = "Job " + job + ": " + j.state + " — " + j.progress + (j.error ? ": " + j.error : "");
      if (j.state === "done" || j.state === "failed") break;
      await new Promise((ok) => setTimeout(ok, 500));
    }
    status("");
    await loadCase(id);
  } catch (e) { status(e.message); }
  btn.disabled = false;
}

async function casePage(id) {
  await loadCase(id);
  $("analyse").addEventListener("click", () => analyse(id));
  $("obs-table").addEventListener("change", obsFields);
  obsFields();
  $("obs-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("obs-error").textContent = "";
    const fields = { source: $("obs-source").value };
    if ($("obs-note").value) fields.note = $("obs-note").value;
    document.querySelectorAll("#obs-fields [data-field]").forEach((i) => { if (i.value) fields[i.dataset.field] = i.value; });
    try {
      await api("POST", "/api/v1/cases/" + id + "/observations", { table: $("obs-table").value, fields }, { "If-Match": CASE.etag });
      $("obs-form").reset(); obsFields();
      status("Observation added: a new version. Analyse it to see the verdict move.");
      await loadCase(id);
    } catch (e) { $("obs-error").textContent = e.message; }
  });
  $("toml-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("toml-error").textContent = "";
    try {
      await api("PUT", "/api/v1/cases/" + id, { case_toml: $("toml").value, message: $("toml-msg").value || null }, { "If-Match": CASE.etag });
      status("Saved as a new version.");
      await loadCase(id);
    } catch (e) { $("toml-error").textContent = e.message; }
  });
  dropZone($("drop"), $("upload-file"));
  $("upload-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const files = $("upload-file").files;
    if (!files.length) { status("Choose files first."); return; }
    try {
      await api("POST", "/api/v1/cases/" + id + "/files", filesForm(files, $("upload-dir").value.trim()), { "If-Match": CASE.etag });
      status("Uploaded.");
      await loadCase(id);
    } catch (e) { status("Upload refused: " + e.message); }
  });
  $("share-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try { await api("POST", "/api/v1/cases/" + id + "/shares", { user: $("share-user").value }); await loadCase(id); }
    catch (e) { status(e.message); }
  });
}

// ------------------------------------------------------------------ actors
async function actorsPage() {
  const run = async () => {
    const { data } = await api("GET", "/api/v1/kb/actors?limit=100&q=" + encodeURIComponent($("actor-q").value));
    $("actor-results").replaceChildren(h("table", { class: "data" },
      h("thead", {}, h("tr", {}, ["Actor", "Id", "State / country", "Aliases"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, data.actors.map((a) => h("tr", {}, h("td", {}, h("a", { href: "/actors/" + encodeURIComponent(a.id), text: a.name })),
        h("td", { text: a.id }), h("td", { text: a.state || a.country || "" }), h("td", { text: a.aliases.join(", ") }))))));
  };
  $("actor-search").addEventListener("submit", (e) => { e.preventDefault(); run(); });
  $("intel-lookup").addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = $("intel-values").value.split(/\s+/).filter((v) => v).slice(0, 100);
    if (!values.length) return;
    const { data } = await api("GET", "/api/v1/intel/lookup?" + values.map((v) => "value=" + encodeURIComponent(v)).join("&"));
    const rows = [];
    for (const r of data.results) {
      if (!r.matches.length) rows.push(h("tr", {}, h("td", { text: r.value }), h("td", { text: r.kind }), h("td", { colspan: "4", text: "not in the server's indicator store" })));
      for (const m of r.matches) rows.push(h("tr", {}, h("td", { text: r.value }), h("td", { text: r.kind }), h("td", { text: m.match }),
        h("td", { text: m.record.value }), h("td", { text: (m.record.actors || []).join(", ") || "-" }),
        h("td", { text: m.record.event_title || m.record.source })));
    }
    $("intel-results").replaceChildren(
      h("table", { class: "data" },
        h("thead", {}, h("tr", {}, ["Value", "Kind", "Match", "Record", "Actors", "Source"].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, rows)),
      data.not_indicators.length ? h("p", { class: "hint", text: "Not an indicator: " + data.not_indicators.join(", ") }) : null);
  });
  const q = new URLSearchParams(location.search).get("q");
  if (q) { $("actor-q").value = q; run(); }
}

async function actorPage(id) {
  const { data } = await api("GET", "/api/v1/kb/actors/" + encodeURIComponent(id));
  const a = data.actor;
  $("actor-name").textContent = a.name + " (" + a.id + ")";
  document.title = a.name + " · ascribe";
  const list = (title, items, fmt) => h("section", {}, h("h2", { text: title + " (" + items.length + ")" }),
    items.length ? h("ul", { class: "cols" }, items.map((x) => h("li", { text: fmt(x) }))) : h("p", { class: "hint", text: "none known" }));
  $("actor").replaceChildren(
    h("dl", { class: "facts" },
      h("dt", { text: "State" }), h("dd", { text: a.state ? a.state + " (" + (a.state_basis || "") + ")" : a.country ? a.country + " (no state held responsible)" : "unknown" }),
      h("dt", { text: "Aliases" }), h("dd", { text: a.aliases.join(", ") || "none" }),
      h("dt", { text: "State organisations" }), h("dd", { text: a.state_orgs.join("; ") || "none" }),
      h("dt", { text: "Known victims" }), h("dd", { text: a.victim_countries.join(", ") || "none" }),
      h("dt", { text: "Sources" }), h("dd", { text: a.sources.join(", ") })),
    list("Techniques", data.techniques, (t) => t.id + " " + t.name),
    list("Software", data.software, (x) => x.name + " (" + x.id + ")"),
    list("Campaigns", data.campaigns, (c) => (c.id ? c.id + " " : "") + c.name + (c.first_seen ? " (first seen " + c.first_seen.slice(0, 10) + ")" : "")),
    list("Known infrastructure", data.infrastructure, (i) => i.type + " " + i.value));
}

// ------------------------------------------------------------------ start
document.addEventListener("DOMContentLoaded", async () => {
  const page = document.body.dataset.page, id = document.body.dataset.id;
  try {
    if (page === "login") return loginPage();
    await whoami();
    if (page === "cases") await casesPage();
    else if (page === "case") await casePage(id);
    else if (page === "actors") await actorsPage();
    else if (page === "actor") await actorPage(id);
  } catch (e) { status(e.message); }
});
