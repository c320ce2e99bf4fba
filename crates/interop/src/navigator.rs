//! Assessment → ATT&CK Navigator layers (layer format 4.5).
//!
//! One layer per leading actor hypothesis: the case's techniques scored
//! against the actor's technique profile in the knowledge base (2 observed
//! and in the profile, 1 observed but not in the profile, 0 in the profile
//! but not observed), and one comparison layer: each case technique scored
//! by how many of the leading hypotheses' profiles hold it, with the names
//! in the comment. The ATT&CK version the knowledge base was built from is
//! recorded in `versions.attack` (major version) and in the metadata (full).

use crate::{pct, technique_name, ExportOptions};
use ascribe_core::{Assessment, Case, HypothesisKind, ObservationKind};
use ascribe_kb::KnowledgeBase;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Layer format version written.
pub const LAYER_FORMAT: &str = "4.5";
/// Navigator version the layers are written for (format 4.5 needs ≥ 4.9.0).
pub const NAVIGATOR_VERSION: &str = "5.1.0";
/// Leading actor hypotheses given a layer of their own.
pub const MAX_LAYERS: usize = 3;

/// The case's weighed technique ids, upper-case, in order of first mention.
pub fn case_techniques(case: &Case) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for o in case.observations.iter().filter(|o| !o.illustrative) {
        if let ObservationKind::Technique { id } = &o.kind {
            let up = id.to_ascii_uppercase();
            if !out.contains(&up) {
                out.push(up);
            }
        }
    }
    out
}

fn versions(kb: Option<&KnowledgeBase>) -> (Value, String) {
    let full = kb
        .and_then(crate::attack_version)
        .unwrap_or_else(|| "unknown".into());
    let major: String = full
        .trim_start_matches(['v', 'V'])
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let mut v = json!({"navigator": NAVIGATOR_VERSION, "layer": LAYER_FORMAT});
    if !major.is_empty() {
        v["attack"] = json!(major);
    }
    (v, full)
}

fn base(name: &str, description: &str, kb: Option<&KnowledgeBase>, case: &Case) -> Value {
    let (versions, full) = versions(kb);
    json!({
        "name": name,
        "versions": versions,
        "domain": "enterprise-attack",
        "description": description,
        "sorting": 3,
        "layout": {"layout": "side", "showID": true, "showName": true,
                   "showAggregateScores": false, "countUnscored": false,
                   "aggregateFunction": "average", "expandedSubtechniques": "annotated"},
        "hideDisabled": false,
        "selectTechniquesAcrossTactics": true,
        "selectSubtechniquesWithParent": false,
        "selectVisibleTechniques": false,
        "metadata": [
            {"name": "case", "value": case.name},
            {"name": "ATT&CK version of the knowledge base", "value": full},
            {"name": "written by", "value": format!("ascribe {}", env!("CARGO_PKG_VERSION"))},
        ],
    })
}

/// The profile (technique ids) of a knowledge-base actor.
fn profile(kb: &KnowledgeBase, actor_id: &str) -> BTreeSet<String> {
    kb.actor_by_id(actor_id)
        .map(|i| {
            kb.actor_techniques(i)
                .into_iter()
                .map(|t| kb.techniques[t].attack_id.to_ascii_uppercase())
                .collect()
        })
        .unwrap_or_default()
}

/// The layers: `(file stem, layer)`, one per leading actor hypothesis, then
/// the comparison layer.
pub fn layers(
    a: &Assessment,
    case: &Case,
    kb: Option<&KnowledgeBase>,
    _opts: &ExportOptions,
) -> Vec<(String, Value)> {
    let observed = case_techniques(case);
    let leading: Vec<_> = a
        .hypotheses
        .iter()
        .filter(|h| h.kind == HypothesisKind::Actor && h.actor.is_some())
        .take(MAX_LAYERS)
        .collect();
    let mut out = Vec::new();
    let mut per_actor: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for h in &leading {
        let Some(actor) = &h.actor else { continue };
        let prof = kb.map(|kb| profile(kb, &actor.id)).unwrap_or_default();
        per_actor.insert(actor.name.clone(), prof.clone());
        let mut techniques = Vec::new();
        for t in &observed {
            let in_prof = prof.contains(t);
            techniques.push(json!({
                "techniqueID": t,
                "score": if in_prof { 2 } else { 1 },
                "comment": if in_prof {
                    format!("observed in the case and in {}'s profile", actor.name)
                } else {
                    format!("observed in the case, not in {}'s profile", actor.name)
                },
                "enabled": true,
                "showSubtechniques": false,
            }));
        }
        for t in prof.iter().filter(|t| !observed.contains(t)) {
            techniques.push(json!({
                "techniqueID": t,
                "score": 0,
                "comment": format!("in {}'s profile, not observed in the case", actor.name),
                "enabled": true,
            }));
        }
        let mut layer = base(
            &format!("{} vs {}", case.name, actor.name),
            &format!(
                "ascribe: the case's {} technique(s) against {}'s profile ({} techniques in the knowledge base). Hypothesis posterior {} ({}). Score 2: observed and in the profile; 1: observed, not in the profile; 0: in the profile, not observed.",
                observed.len(),
                actor.name,
                prof.len(),
                pct(h.posterior),
                h.likelihood.words()
            ),
            kb,
            case,
        );
        layer["techniques"] = json!(techniques);
        layer["gradient"] =
            json!({"colors": ["#dddddd", "#ffcc66", "#66bb66"], "minValue": 0, "maxValue": 2});
        layer["legendItems"] = json!([
            {"label": "observed and in the profile", "color": "#66bb66"},
            {"label": "observed, not in the profile", "color": "#ffcc66"},
            {"label": "in the profile, not observed", "color": "#dddddd"},
        ]);
        if let Some(m) = layer["metadata"].as_array_mut() {
            m.push(json!({"name": "hypothesis", "value": h.label}));
            m.push(json!({"name": "posterior", "value": pct(h.posterior)}));
        }
        let stem = format!(
            "layer-{}",
            actor
                .attack_id
                .clone()
                .unwrap_or_else(|| crate::casewrite::safe_name(&actor.name))
        );
        out.push((stem, layer));
    }
    // comparison
    let n = per_actor.len();
    let mut techniques = Vec::new();
    for t in &observed {
        let holders: Vec<&str> = per_actor
            .iter()
            .filter(|(_, p)| p.contains(t))
            .map(|(a, _)| a.as_str())
            .collect();
        let name = technique_name(kb, t).unwrap_or_default();
        techniques.push(json!({
            "techniqueID": t,
            "score": holders.len(),
            "comment": if holders.is_empty() {
                format!("{name}: in none of the leading hypotheses' profiles")
            } else {
                format!("{name}: in the profile of {}", holders.join(", "))
            },
            "enabled": true,
            "metadata": per_actor.keys().map(|a| json!({"name": a, "value": if per_actor[a].contains(t) {"in profile"} else {"not in profile"}})).collect::<Vec<_>>(),
        }));
    }
    let mut layer = base(
        &format!("{}: comparison of the leading hypotheses", case.name),
        &format!(
            "ascribe: each of the case's {} technique(s) scored by how many of the {n} leading hypotheses' profiles hold it ({}).",
            observed.len(),
            leading
                .iter()
                .map(|h| format!("{} {}", h.label, pct(h.posterior)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        kb,
        case,
    );
    layer["techniques"] = json!(techniques);
    layer["gradient"] =
        json!({"colors": ["#ffffff", "#66bb66"], "minValue": 0, "maxValue": n.max(1)});
    out.push(("layer-comparison".to_string(), layer));
    out
}
