//! Assessment → MISP event JSON.
//!
//! The case's indicators and artifacts become attributes (each with its
//! source in the comment), techniques become ATT&CK galaxy tags
//! (`misp-galaxy:mitre-attack-pattern="Name - T1234"`), software MITRE
//! software tags when the knowledge base has an ATT&CK id, claims
//! `threat-actor` attributes in the Attribution category, everything else a
//! `text` attribute. The leading actor hypotheses are attached as
//! `misp-galaxy:threat-actor` clusters whose `attribution-confidence` meta is
//! the posterior in percent; the assessment itself (Markdown) is the event
//! report. Uuids are UUIDv5 of the case and the item, so a re-export
//! updates the same event.

use crate::stix_out::describe;
use crate::{det_uuid, technique_name, unix_seconds, ExportOptions};
use ascribe_core::{
    ArtifactType, Assessment, Case, HypothesisKind, IndicatorType, ObservationKind, Stance,
};
use ascribe_kb::KnowledgeBase;
use serde_json::{json, Value};

/// The MISP threat-actor galaxy's uuid (misp-galaxy `galaxies/threat-actor.json`).
const THREAT_ACTOR_GALAXY: &str = "698774c7-8022-42c4-917f-8d6e4f06ada3";

/// Leading actor hypotheses exported as galaxy clusters: at most this many,
/// each with at least 1 % posterior.
const MAX_ACTORS: usize = 3;

#[allow(clippy::too_many_arguments)]
fn attr(
    case: &str,
    key: &str,
    typ: &str,
    category: &str,
    value: &str,
    to_ids: bool,
    comment: &str,
    ts: &str,
) -> Value {
    json!({
        "uuid": det_uuid(&format!("misp-attribute|{case}|{key}")),
        "type": typ,
        "category": category,
        "value": value,
        "to_ids": to_ids,
        "comment": comment,
        "timestamp": ts,
        "distribution": "5",
        "disable_correlation": false,
    })
}

fn wallet_type(v: &str) -> &'static str {
    let l = v.to_ascii_lowercase();
    if v.starts_with('1') || v.starts_with('3') || l.starts_with("bc1") {
        "btc"
    } else if v.starts_with('4') || v.starts_with('8') {
        "xmr"
    } else {
        "text"
    }
}

/// The MISP event of an assessment and the case it was built from.
pub fn event(
    a: &Assessment,
    case: &Case,
    kb: Option<&KnowledgeBase>,
    opts: &ExportOptions,
) -> Value {
    let ts = unix_seconds(&opts.now).unwrap_or(0).to_string();
    let date = case
        .date
        .as_deref()
        .and_then(|d| d.get(..10))
        .filter(|d| d.len() == 10)
        .map(String::from)
        .unwrap_or_else(|| opts.now.get(..10).unwrap_or(&opts.now).to_string());
    let mut attributes = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    if let Some(t) = opts.tlp {
        tags.push(format!("tlp:{}", t.as_str()));
    }
    for o in case.observations.iter().filter(|o| !o.illustrative) {
        let key = format!(
            "{}|{}",
            o.source.id,
            serde_json::to_string(&o.kind).unwrap_or_default()
        );
        let comment = format!(
            "{} (source: {}){}",
            describe(o),
            o.source.title,
            o.note
                .as_ref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default()
        );
        let comment: String = comment.chars().take(1000).collect();
        let c = &case.name;
        match &o.kind {
            ObservationKind::Technique { id } => {
                let up = id.to_ascii_uppercase();
                let name = technique_name(kb, &up).unwrap_or_else(|| up.clone());
                let tag = format!("misp-galaxy:mitre-attack-pattern=\"{name} - {up}\"");
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            ObservationKind::Software { name, .. } => {
                let known = kb.and_then(|kb| match kb.resolve_software(name) {
                    ascribe_kb::Resolution::Found { index, .. } => Some(&kb.software[index]),
                    _ => None,
                });
                let sid = known.and_then(|sw| {
                    std::iter::once(&sw.id)
                        .chain(sw.members.iter())
                        .find(|x| x.starts_with('S') && x[1..].chars().all(|c| c.is_ascii_digit()))
                        .map(|s| (sw, s.clone()))
                });
                let tag = match sid {
                    Some((sw, s)) => {
                        let g = if matches!(sw.kind, ascribe_core::EntityKind::Tool) {
                            "mitre-tool"
                        } else {
                            "mitre-malware"
                        };
                        format!("misp-galaxy:{g}=\"{} - {s}\"", sw.name)
                    }
                    None => format!("misp-galaxy:malpedia=\"{name}\""),
                };
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            ObservationKind::Indicator {
                indicator, value, ..
            } => {
                let (t, cat) = match indicator {
                    IndicatorType::Ip => ("ip-dst", "Network activity"),
                    IndicatorType::Domain => ("domain", "Network activity"),
                    IndicatorType::Url => ("url", "Network activity"),
                    IndicatorType::Email => ("email-src", "Payload delivery"),
                    IndicatorType::Hash => (
                        match value.trim().len() {
                            32 => "md5",
                            40 => "sha1",
                            _ => "sha256",
                        },
                        "Payload delivery",
                    ),
                    IndicatorType::Wallet => (wallet_type(value), "Financial fraud"),
                };
                attributes.push(attr(
                    c,
                    &key,
                    t,
                    cat,
                    value.trim(),
                    t != "text",
                    &comment,
                    &ts,
                ));
            }
            ObservationKind::Artifact {
                artifact: ArtifactType::PdbPath,
                value,
                ..
            } => attributes.push(attr(
                c,
                &key,
                "pdb",
                "Artifacts dropped",
                value,
                false,
                &comment,
                &ts,
            )),
            ObservationKind::Claim {
                target,
                stance: Stance::Asserts | Stance::Suspects | Stance::ClaimsResponsibility,
                ..
            } => attributes.push(attr(
                c,
                &key,
                "threat-actor",
                "Attribution",
                target,
                false,
                &comment,
                &ts,
            )),
            _ => attributes.push(attr(
                c,
                &key,
                "text",
                "Other",
                &describe(o),
                false,
                &comment,
                &ts,
            )),
        }
    }
    // the leading actor hypotheses as threat-actor clusters
    let mut clusters = Vec::new();
    for h in a
        .hypotheses
        .iter()
        .filter(|h| h.kind == HypothesisKind::Actor && h.posterior >= 0.01)
        .take(MAX_ACTORS)
    {
        let Some(actor) = &h.actor else { continue };
        let tag = format!("misp-galaxy:threat-actor=\"{}\"", actor.name);
        // the MISP cluster's own uuid when the knowledge base merged one
        let uuid = kb
            .and_then(|kb| kb.actor_by_id(&actor.id).map(|i| &kb.actors[i]))
            .and_then(|x| {
                x.members
                    .iter()
                    .find_map(|m| m.strip_prefix("misp:").map(String::from))
            })
            .or_else(|| actor.id.strip_prefix("misp:").map(String::from))
            .unwrap_or_else(|| det_uuid(&format!("misp-cluster|{}", actor.id)));
        let mut meta = json!({
            "attribution-confidence": format!("{}", crate::confidence_0_100(h.posterior)),
        });
        if let Some(c) = &actor.country {
            meta["country"] = json!(c);
        }
        if let Some(g) = &actor.attack_id {
            meta["refs"] = json!([format!("https://attack.mitre.org/groups/{g}/")]);
        }
        clusters.push(json!({
            "uuid": uuid,
            "type": "threat-actor",
            "value": actor.name,
            "tag_name": tag,
            "description": format!("ascribe hypothesis {}: {} ({}; prior {})", h.id, h.likelihood.words(), crate::pct(h.posterior), crate::pct(h.prior)),
            "source": "ascribe",
            "authors": ["ascribe"],
            "meta": meta,
        }));
        tags.push(tag);
    }
    let mut ev = json!({
        "uuid": det_uuid(&format!("misp-event|{}", case.name)),
        "info": format!("ascribe assessment: {}", case.name),
        "date": date,
        "threat_level_id": "2",
        "analysis": "2",
        "distribution": "0",
        "published": false,
        "timestamp": ts,
        "Orgc": {"name": "ascribe"},
        "Attribute": attributes,
        "Tag": tags.iter().map(|t| json!({"name": t})).collect::<Vec<_>>(),
        "EventReport": [{
            "uuid": det_uuid(&format!("misp-report|{}", case.name)),
            "name": format!("ascribe assessment: {}", case.name),
            "content": ascribe_report::markdown(a),
            "distribution": "5",
            "timestamp": ts,
        }],
    });
    if !clusters.is_empty() {
        ev["Galaxy"] = json!([{
            "uuid": THREAT_ACTOR_GALAXY,
            "name": "Threat Actor",
            "type": "threat-actor",
            "namespace": "misp",
            "description": "Threat actors are characteristics of malicious actors.",
            "version": "3",
            "GalaxyCluster": clusters,
        }]);
    }
    json!({ "Event": ev })
}
