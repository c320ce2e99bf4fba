//! Knowledge-base endpoints: actor search, actor pages, and completion
//! for the observation forms (techniques, software, actors).

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::{AppState, P, Q};
use ascribe_kb::{KnowledgeBase, Resolution};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/kb/actors", get(search_actors))
        .route("/api/v1/kb/actors/{id}", get(actor_page))
        .route("/api/v1/kb/complete", get(complete))
        .route("/api/v1/intel/lookup", get(intel_lookup))
}

/// At most this many values per look-up.
pub const MAX_LOOKUP_VALUES: usize = 100;

#[utoipa::path(get, path = "/api/v1/intel/lookup", tag = "kb",
    params(("value" = Vec<String>, Query, description = "an indicator (IP, network, domain, URL, e-mail, MD5/SHA-1/SHA-256, wallet, JARM; defanged forms read); repeatable, at most 100")),
    responses((status = 200, description = "what the server's indicator store (DATA/kb.db, or the PostgreSQL database of `serve --database`) knows of each value, as `ascribe intel lookup --json`: `results` (value, kind, norm, keys, actors_sharing_value, matches with match kind, key and record) and `not_indicators`"),
              (status = 400, description = "no value, more than 100, or a value longer than 2,048 characters")))]
pub(crate) async fn intel_lookup(
    State(st): State<AppState>,
    _a: Auth,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> ApiResult<Json<Value>> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::bad_request(format!("query: {e}")))?;
    let values: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k == "value")
        .map(|(_, v)| v)
        .filter(|v| !v.trim().is_empty())
        .collect();
    if values.is_empty() {
        return Err(ApiError::bad_request("give at least one value=..."));
    }
    if values.len() > MAX_LOOKUP_VALUES {
        return Err(ApiError::bad_request(format!(
            "at most {MAX_LOOKUP_VALUES} values per look-up"
        )));
    }
    if values.iter().any(|v| v.len() > 2048) {
        return Err(ApiError::bad_request(
            "a value has at most 2,048 characters",
        ));
    }
    let path = st.config().data_dir.join("kb.db");
    let intel = st.intel();
    let res = tokio::task::spawn_blocking(move || -> ApiResult<Value> {
        let found = if let Some(s) = intel {
            ascribe_intel::lookup::lookup(s.as_ref(), &values).map_err(ApiError::internal)?
        } else if path.is_file() {
            let s = ascribe_store::SqliteStore::open(&path).map_err(ApiError::internal)?;
            ascribe_intel::lookup::lookup(&s, &values).map_err(ApiError::internal)?
        } else {
            // no store yet: nothing is known, values are still recognised
            let s = ascribe_store::SqliteStore::open_in_memory().map_err(ApiError::internal)?;
            ascribe_intel::lookup::lookup(&s, &values).map_err(ApiError::internal)?
        };
        serde_json::to_value(&found).map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(Json(res))
}

#[derive(Deserialize)]
struct Search {
    q: Option<String>,
    limit: Option<usize>,
}

fn norm(s: &str) -> String {
    ascribe_core::normalize_name(s)
}

fn check_q(q: &Option<String>) -> ApiResult<String> {
    let q = q.as_deref().unwrap_or("").trim();
    if q.chars().count() > 200 {
        return Err(ApiError::invalid("a query has at most 200 characters"));
    }
    Ok(q.to_string())
}

/// Actors whose id, name or an alias contains the query (normalised);
/// exact names first.
pub fn find_actors(kb: &KnowledgeBase, q: &str, limit: usize) -> Vec<Value> {
    let nq = norm(q);
    let mut hits: Vec<(u8, &str, usize)> = Vec::new();
    for (i, a) in kb.actors.iter().enumerate() {
        let name = norm(&a.name);
        let rank = if nq.is_empty() {
            3
        } else if a.id.eq_ignore_ascii_case(q) || name == nq {
            0
        } else if a.aliases.iter().any(|x| norm(x) == nq) {
            1
        } else if name.contains(&nq)
            || a.id.to_lowercase().contains(&q.to_lowercase())
            || a.aliases.iter().any(|x| norm(x).contains(&nq))
        {
            2
        } else {
            continue;
        };
        hits.push((rank, &a.name, i));
    }
    hits.sort();
    hits.into_iter()
        .take(limit)
        .map(|(_, _, i)| {
            let a = &kb.actors[i];
            json!({"id": a.id, "name": a.name, "country": a.country, "state": a.state,
                   "aliases": a.aliases.iter().take(8).collect::<Vec<_>>()})
        })
        .collect()
}

#[utoipa::path(get, path = "/api/v1/kb/actors", tag = "kb",
    params(("q" = Option<String>, Query, description = "part of a name, alias or id"), ("limit" = Option<usize>, Query, description = "at most this many (default 50, at most 500)")),
    responses((status = 200, description = "matching actors, exact names first")))]
async fn search_actors(
    State(st): State<AppState>,
    _a: Auth,
    Q(s): Q<Search>,
) -> ApiResult<Json<Value>> {
    let q = check_q(&s.q)?;
    let limit = s.limit.unwrap_or(50).clamp(1, 500);
    Ok(Json(
        json!({"actors": find_actors(st.kb_full(), &q, limit)}),
    ))
}

/// An actor as the `kb actor --json` command shows it, plus its known infrastructure.
pub fn actor_json(kb: &KnowledgeBase, name: &str) -> ApiResult<Value> {
    let idx = match kb
        .actor_by_id(name)
        .map(|i| Resolution::Found {
            index: i,
            tier: ascribe_kb::MatchTier::Id,
        })
        .unwrap_or_else(|| kb.resolve_actor(name))
    {
        Resolution::Found { index, .. } => index,
        Resolution::Ambiguous { candidates, .. } => {
            return Err(ApiError::new(
                axum::http::StatusCode::CONFLICT,
                "ambiguous",
                format!(
                    "'{name}' names several actors: {}",
                    candidates
                        .iter()
                        .map(|&i| format!("{} ({})", kb.actors[i].name, kb.actors[i].id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ))
        }
        Resolution::NotFound => return Err(ApiError::not_found(format!("actor '{name}'"))),
    };
    let a = &kb.actors[idx];
    let p = kb.profile(idx);
    let techs: Vec<Value> = kb
        .actor_techniques(idx)
        .into_iter()
        .map(|t| json!({"id": kb.techniques[t].attack_id, "name": kb.techniques[t].name}))
        .collect();
    let soft: Vec<Value> = kb
        .actor_software(idx)
        .into_iter()
        .map(|s| json!({"id": kb.software[s].id, "name": kb.software[s].name, "kind": kb.software[s].kind}))
        .collect();
    let infra: Vec<Value> = kb
        .infrastructure
        .iter()
        .filter(|e| e.actor == idx)
        .take(500)
        .map(|e| json!({"type": e.value_type, "value": e.value, "source": e.source}))
        .collect();
    let conflict = kb.stats().conflicts.iter().find(|c| c.actor == a.id);
    Ok(json!({
        "actor": a,
        "techniques": techs,
        "software": soft,
        "campaigns": p.campaigns.iter().map(|(n, id, first)| json!({"name": n, "id": id, "first_seen": first})).collect::<Vec<_>>(),
        "infrastructure": infra,
        "conflict": conflict,
    }))
}

#[utoipa::path(get, path = "/api/v1/kb/actors/{id}", tag = "kb",
    responses((status = 200, description = "aliases, country and state, techniques, software, campaigns, known infrastructure"), (status = 404, description = "no such actor"), (status = 409, description = "the name is ambiguous")))]
async fn actor_page(
    State(st): State<AppState>,
    _a: Auth,
    P(id): P<String>,
) -> ApiResult<Json<Value>> {
    if id.chars().count() > 200 {
        return Err(ApiError::invalid(
            "an actor name has at most 200 characters",
        ));
    }
    Ok(Json(actor_json(st.kb_full(), &id)?))
}

#[derive(Deserialize)]
struct Complete {
    kind: String,
    q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/kb/complete", tag = "kb",
    params(("kind" = String, Query, description = "technique, software or actor"), ("q" = Option<String>, Query, description = "what was typed")),
    responses((status = 200, description = "up to 20 suggestions {value, label}")))]
async fn complete(
    State(st): State<AppState>,
    _a: Auth,
    Q(c): Q<Complete>,
) -> ApiResult<Json<Value>> {
    let q = check_q(&c.q)?;
    let kb = st.kb_full();
    let nq = norm(&q);
    let lq = q.to_lowercase();
    let items: Vec<Value> = match c.kind.as_str() {
        "technique" => kb
            .techniques
            .iter()
            .filter(|t| t.attack_id.to_lowercase().starts_with(&lq) || norm(&t.name).contains(&nq))
            .take(20)
            .map(|t| json!({"value": t.attack_id, "label": format!("{} {}", t.attack_id, t.name)}))
            .collect(),
        "software" => kb
            .software
            .iter()
            .filter(|s| norm(&s.name).starts_with(&nq) || s.id.to_lowercase() == lq)
            .take(20)
            .map(|s| json!({"value": s.name, "label": format!("{} ({})", s.name, s.id)}))
            .collect(),
        "actor" => find_actors(kb, &q, 20)
            .into_iter()
            .map(|a| json!({"value": a["name"], "label": format!("{} ({})", a["name"].as_str().unwrap_or(""), a["id"].as_str().unwrap_or(""))}))
            .collect(),
        other => {
            return Err(ApiError::invalid(format!(
                "unknown kind '{other}': technique, software or actor"
            )))
        }
    };
    Ok(Json(json!({"suggestions": items})))
}
