//! The web interface: server-rendered page shells (landmarks, headings,
//! forms with labels) filled by a small vanilla script from the JSON API.
//! Assets are embedded in the binary: no CDN, works offline. No inline
//! script or style, so the Content-Security-Policy forbids any.

use crate::error::ApiError;
use crate::{AppState, P};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

const APP_JS: &str = include_str!("../assets/app.js");
const STYLE_CSS: &str = include_str!("../assets/style.css");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(cases_page))
        .route("/login", get(login_page))
        .route("/cases/{id}", get(case_page))
        .route("/actors", get(actors_page))
        .route("/actors/{id}", get(actor_page))
        .route("/static/app.js", get(app_js))
        .route("/static/style.css", get(style_css))
}

/// Escape text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn page(title: &str, kind: &str, data: &str, main: &str) -> Response {
    let html = format!(
        r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · ascribe</title>
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
</head>
<body data-page="{kind}" data-id="{data}">
<a class="skip" href="#main">Skip to content</a>
<header class="top" role="banner">
  <a class="brand" href="/">ascribe</a>
  <nav aria-label="Main">
    <a href="/">Cases</a>
    <a href="/actors">Actors</a>
    <a href="/api/openapi.json">API</a>
  </nav>
  <span id="who" aria-live="polite"></span>
  <button type="button" id="logout" hidden>Log out</button>
</header>
<main id="main" tabindex="-1">
{main}
</main>
<div id="status" role="status" aria-live="polite"></div>
</body>
</html>
"##,
        title = esc(title),
        kind = esc(kind),
        data = esc(data),
        main = main
    );
    ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

async fn login_page() -> Response {
    page(
        "Log in",
        "login",
        "",
        r##"<h1>Log in</h1>
<form id="login-form" class="card narrow">
  <p><label for="username">User name</label>
  <input id="username" name="username" autocomplete="username" required maxlength="64"></p>
  <p><label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"></p>
  <p><button type="submit">Log in</button></p>
  <p id="login-error" class="error" role="alert"></p>
</form>
<p class="hint">The first start of <code>ascribe serve</code> prints the first admin's one-time password; more accounts: <code>ascribe serve user add NAME --role analyst</code>.</p>"##,
    )
}

async fn cases_page() -> Response {
    page(
        "Cases",
        "cases",
        "",
        r##"<h1>Cases</h1>
<section aria-labelledby="list-h">
  <h2 id="list-h">Your cases</h2>
  <p><label for="case-filter">Filter</label> <input id="case-filter" type="search" placeholder="title or owner"></p>
  <table id="case-table" class="data">
    <thead><tr><th scope="col">Case</th><th scope="col">Owner</th><th scope="col">Version</th><th scope="col">Updated</th></tr></thead>
    <tbody></tbody>
  </table>
</section>
<section aria-labelledby="new-h" class="writer">
  <h2 id="new-h">New case</h2>
  <form id="import-form" class="card">
    <p>Upload a case directory as a <strong>zip, tar or tar.gz</strong> archive (case.toml at its root or in one top directory), or its files with case.toml among them.</p>
    <div id="drop" class="drop" tabindex="0" role="button" aria-describedby="drop-help">Drop the archive or files here, or choose them below</div>
    <p id="drop-help" class="hint">Files are stored content-addressed and never executed.</p>
    <p><label for="import-file">Archive or files</label>
    <input id="import-file" type="file" multiple></p>
    <p><button type="submit">Create case</button></p>
  </form>
  <form id="new-form" class="card">
    <p><label for="new-toml">Or write its case.toml</label>
    <textarea id="new-toml" rows="10" spellcheck="false">[case]
name = "New case"

[[source]]
id = "analyst"
title = "Our own analysis"
kind = "analysis"
</textarea></p>
    <p><button type="submit">Create case</button></p>
  </form>
</section>"##,
    )
}

async fn case_page(P(id): P<i64>) -> Response {
    page(
        "Case",
        "case",
        &id.to_string(),
        r##"<h1 id="case-title">Case</h1>
<p id="case-meta" class="meta"></p>
<div class="actions writer">
  <button type="button" id="analyse">Analyse this version</button>
  <span id="job" role="status" aria-live="polite"></span>
</div>
<section aria-labelledby="verdict-h" id="verdict-sec">
  <h2 id="verdict-h">Verdict</h2>
  <div id="verdict"><p class="hint">Not analysed yet.</p></div>
</section>
<section aria-labelledby="hyp-h">
  <h2 id="hyp-h">Hypotheses</h2>
  <div id="hypotheses"></div>
</section>
<section aria-labelledby="time-h">
  <h2 id="time-h">Verdict over time</h2>
  <p class="hint">Each hypothesis's probability across the case's analysed versions: which edit moved it.</p>
  <div id="history"></div>
</section>
<section aria-labelledby="ev-h">
  <h2 id="ev-h">Evidence</h2>
  <p><label for="ev-filter">Filter</label> <input id="ev-filter" type="search" placeholder="kind, summary, source, forge cost"></p>
  <div id="evidence"></div>
</section>
<section aria-labelledby="stress-h">
  <h2 id="stress-h">False-flag stress test</h2>
  <div id="stress"></div>
</section>
<section aria-labelledby="ach-h">
  <h2 id="ach-h">ACH matrix</h2>
  <div id="ach"></div>
</section>
<section aria-labelledby="next-h">
  <h2 id="next-h">What to collect next</h2>
  <div id="next"></div>
</section>
<section aria-labelledby="notes-h">
  <h2 id="notes-h">Warnings and notes</h2>
  <div id="notes"></div>
</section>
<section aria-labelledby="obs-h" class="writer">
  <h2 id="obs-h">Add an observation</h2>
  <form id="obs-form" class="card">
    <p><label for="obs-table">Kind</label>
    <select id="obs-table">
      <option value="technique">technique (ATT&amp;CK id)</option>
      <option value="software">software (malware or tool)</option>
      <option value="indicator">indicator</option>
      <option value="claim">claim</option>
      <option value="artifact">artifact</option>
      <option value="operator_origin">operator origin</option>
    </select></p>
    <div id="obs-fields"></div>
    <p><label for="obs-source">Source</label> <select id="obs-source"></select></p>
    <p><label for="obs-note">Note</label> <input id="obs-note" maxlength="4000"></p>
    <p><button type="submit">Add</button></p>
    <p id="obs-error" class="error" role="alert"></p>
  </form>
</section>
<section aria-labelledby="files-h">
  <h2 id="files-h">Evidence files</h2>
  <div id="files"></div>
  <form id="upload-form" class="card writer">
    <div id="drop" class="drop" tabindex="0" role="button">Drop binaries, reports or an archive here</div>
    <p><label for="upload-dir">Into directory</label> <input id="upload-dir" placeholder="reports"></p>
    <p><label for="upload-file">Files</label> <input id="upload-file" type="file" multiple></p>
    <p><button type="submit">Upload</button></p>
  </form>
</section>
<section aria-labelledby="toml-h">
  <h2 id="toml-h">case.toml</h2>
  <form id="toml-form">
    <p><label for="toml">The case's text (docs/case-format.md)</label>
    <textarea id="toml" rows="16" spellcheck="false"></textarea></p>
    <p class="writer"><label for="toml-msg">What changed</label> <input id="toml-msg" maxlength="500">
    <button type="submit">Save as a new version</button></p>
    <p id="toml-error" class="error" role="alert"></p>
  </form>
</section>
<section aria-labelledby="ver-h">
  <h2 id="ver-h">Versions</h2>
  <ol id="versions"></ol>
</section>
<section aria-labelledby="share-h" class="writer">
  <h2 id="share-h">Sharing</h2>
  <p id="shares"></p>
  <form id="share-form"><label for="share-user">Share with user</label> <input id="share-user" maxlength="64"> <button type="submit">Share</button></form>
</section>"##,
    )
}

async fn actors_page() -> Response {
    page(
        "Actors",
        "actors",
        "",
        r##"<h1>Actors</h1>
<form id="actor-search" role="search">
  <label for="actor-q">Name, alias or ATT&amp;CK id</label>
  <input id="actor-q" type="search" maxlength="200" autocomplete="off">
  <button type="submit">Search</button>
</form>
<div id="actor-results"></div>
<h2>Intel look-up</h2>
<form id="intel-lookup" role="search">
  <label for="intel-values">Indicators (IP, network, domain, URL, e-mail, hash, wallet; up to 100, one per line)</label>
  <textarea id="intel-values" rows="3" maxlength="20000" autocomplete="off" spellcheck="false"></textarea>
  <button type="submit">Look up</button>
</form>
<div id="intel-results" aria-live="polite"></div>"##,
    )
}

async fn actor_page(P(id): P<String>) -> Response {
    if id.chars().count() > 200 {
        return ApiError::invalid("an actor name has at most 200 characters").into_response();
    }
    page(
        "Actor",
        "actor",
        &id,
        r##"<h1 id="actor-name">Actor</h1>
<div id="actor"></div>"##,
    )
}

async fn app_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        APP_JS,
    )
        .into_response()
}

async fn style_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        STYLE_CSS,
    )
        .into_response()
}
