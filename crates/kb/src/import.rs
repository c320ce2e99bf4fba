//! Importers: STIX 2.1 bundles (MITRE ATT&CK, official full bundle or the
//! reduced one in `shared/data`), MISP galaxy clusters (`threat-actor`,
//! `malpedia`) and the ATT&CK revoked/deprecated list.
//!
//! Importers read bytes and return [`KbFacts`] plus an [`ImportReport`] that
//! counts what was taken and what was skipped (by type), so nothing is
//! dropped silently. Only facts are kept: identifiers, names, aliases,
//! countries, dates, relations and their citations — never descriptions.

use crate::KbError;
use ascribe_core::{Citation, Entity, EntityKind, KbFacts, Relation, RelationKind, SourceInfo};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Largest document accepted (the official ATT&CK bundle is about 45 MB).
pub const MAX_IMPORT_BYTES: usize = 512 * 1024 * 1024;

/// Licence notice recorded for ATT&CK data.
pub const ATTACK_LICENCE: &str = "© The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation. ATT&CK® is a registered trademark of The MITRE Corporation. Licence: see LICENSE-ATTACK.txt";
/// Licence notice recorded for MISP galaxy data.
pub const MISP_LICENCE: &str = "MISP galaxy, CC0 1.0 or BSD-2-Clause (dual licence); malpedia cluster: Malpedia (Fraunhofer FKIE) via MISP galaxy";

/// The format a document was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    StixBundle,
    MispThreatActor,
    MispMalpedia,
    AttackRevocations,
    /// A MISP galaxy cluster of software with actor links (`tool`,
    /// `backdoor`, `rat`, `ransomware`, `wiper`, `botnet`, `stealer`,
    /// Tidal `software`).
    MispSoftware,
    /// Tidal Cyber's group cluster (`groups`): used only to join its
    /// software links to ATT&CK groups.
    TidalGroups,
    /// MISP `intelligence-agency` cluster: state agencies by country.
    IntelligenceAgencies,
    /// A MISP event export (`{"response": [{"Event": …}]}` or `{"Event": …}`).
    MispEvent,
}

/// What an import took and skipped.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ImportReport {
    pub format: Option<Format>,
    pub source_key: String,
    /// Entities taken, by kind.
    pub entities: BTreeMap<String, usize>,
    /// Relations taken, by kind.
    pub relations: BTreeMap<String, usize>,
    /// Objects skipped, by STIX type or reason.
    pub skipped: BTreeMap<String, usize>,
    pub warnings: Vec<String>,
}

/// Facts from one document, with the report.
#[derive(Debug, Clone)]
pub struct Imported {
    pub facts: KbFacts,
    pub report: ImportReport,
}

/// Recognise and import one document. `origin` (a path or URL) is recorded
/// as provenance and used in error messages.
pub fn import_bytes(bytes: &[u8], origin: &str) -> Result<Imported, KbError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(KbError::TooLarge {
            origin: origin.to_string(),
            size: bytes.len(),
            max: MAX_IMPORT_BYTES,
        });
    }
    let sha = hex(&Sha256::digest(bytes));
    let head = first_json_char(bytes);
    match head {
        Some(b'{') => {
            let probe: Probe = serde_json::from_slice(bytes).map_err(|e| KbError::Json {
                origin: origin.to_string(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
            if probe.kind.is_none() && (probe.response.is_some() || probe.event.is_some()) {
                return crate::misp_event::import_event(bytes, origin, sha);
            }
            match (probe.kind.as_deref(), probe.objects.is_some(), probe.values.is_some()) {
                (Some("bundle"), true, _) => import_stix(bytes, origin, sha),
                (Some("threat-actor"), _, true) => import_misp(bytes, origin, sha, Format::MispThreatActor),
                (Some("malpedia"), _, true) => import_misp(bytes, origin, sha, Format::MispMalpedia),
                (Some(k), _, true) if SOFTWARE_CLUSTERS.contains(&k) => {
                    import_misp(bytes, origin, sha, Format::MispSoftware)
                }
                (Some("groups"), _, true) => import_misp(bytes, origin, sha, Format::TidalGroups),
                (Some("intelligence-agency"), _, true) => {
                    import_misp(bytes, origin, sha, Format::IntelligenceAgencies)
                }
                (Some(other), _, true) => Err(KbError::Unsupported {
                    origin: origin.to_string(),
                    what: format!("MISP galaxy cluster of type '{other}' (supported: threat-actor, malpedia, {}, groups, intelligence-agency)", SOFTWARE_CLUSTERS.join(", ")),
                }),
                _ => Err(KbError::Unsupported {
                    origin: origin.to_string(),
                    what: "a JSON object that is neither a STIX 2.1 bundle (\"type\": \"bundle\") nor a MISP galaxy cluster (\"values\": [...])".into(),
                }),
            }
        }
        Some(b'[') => import_revocations(bytes, origin, sha),
        _ => Err(KbError::Unsupported {
            origin: origin.to_string(),
            what: "not JSON; expected a STIX 2.1 bundle, a MISP galaxy cluster or an ATT&CK revoked/deprecated list".into(),
        }),
    }
}

/// MISP galaxy cluster types imported as software with actor links.
pub const SOFTWARE_CLUSTERS: [&str; 8] = [
    "tool",
    "backdoor",
    "rat",
    "ransomware",
    "wiper",
    "botnet",
    "stealer",
    "software",
];

/// A source key without what identifies one document of the source
/// (`misp-galaxy:threat-actor@<cluster uuid>` → `misp-galaxy:threat-actor`).
pub fn source_family(key: &str) -> &str {
    key.split_once('@').map_or(key, |(f, _)| f)
}

/// Source key of Tidal's group cluster: its groups only join ATT&CK groups
/// (by ATT&CK id or name), they never become actors of their own.
pub const TIDAL_GROUPS_KEY: &str = "misp-galaxy:groups";

/// Record the state organisations a description names as `attributed-to`
/// relations `entity → state-org:<key>`, cited to the description.
#[allow(clippy::too_many_arguments)]
pub(crate) fn org_links(
    facts: &mut KbFacts,
    report: &mut ImportReport,
    entity: &str,
    text: &str,
    country: Option<&str>,
    key: &str,
    cite: &str,
    url: Option<String>,
) {
    for org in crate::state_orgs::mentions(text, country) {
        facts.relations.push(Relation {
            kind: RelationKind::AttributedTo,
            src: entity.to_string(),
            dst: crate::state_orgs::org_id(org),
            source: key.to_string(),
            id: None,
            citations: vec![Citation {
                source_name: cite.to_string(),
                url: url.clone(),
                date: None,
            }],
            created: None,
        });
        *report
            .relations
            .entry("attributed-to (state organisation)".into())
            .or_default() += 1;
    }
}

/// The country an ATT&CK group description's opening sentence ascribes the
/// group to ("is an Iranian threat group", "is a Russia-based threat
/// group", "is a People's Republic of China-related threat actor"): the
/// words between "is a(n)" and the first "group"/"actor", looked up as
/// country names and demonyms.
pub fn attack_origin(description: &str) -> Option<String> {
    let text = description.replace(['\u{2019}', '`'], "'");
    let first = text.split(". ").next().unwrap_or(&text);
    let start = [" is a ", " is an "]
        .iter()
        .filter_map(|p| first.find(p).map(|i| i + p.len()))
        .min()?;
    let rest = &first[start..];
    let end = [
        "group",
        "actor",
        "collective",
        "organization",
        "operation",
        "cluster",
    ]
    .iter()
    .filter_map(|w| rest.find(w))
    .min()?;
    let raw: Vec<String> = rest[..end]
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '/' | ','))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    // "Spanish-speaking" names a language, not a country
    let mut words: Vec<String> = Vec::new();
    for (i, w) in raw.iter().enumerate() {
        let next = raw.get(i + 1).map(|n| n.to_lowercase());
        if w.eq_ignore_ascii_case("speaking") || next.as_deref() == Some("speaking") {
            words.push(String::new());
        } else {
            words.push(w.clone());
        }
    }
    for n in (1..=4).rev() {
        for win in words.windows(n) {
            if win.iter().any(String::is_empty) {
                continue;
            }
            let cand = win.join(" ");
            if cand.chars().count() <= 3 {
                continue;
            }
            if let Some(c) = crate::countries::find_country(&cand) {
                return Some(c.iso2.to_string());
            }
        }
    }
    None
}

/// Whether a description calls the group financially motivated or criminal
/// *and nothing else*: a group also described as state-sponsored or as
/// conducting espionage (APT41, North Korean revenue operations) is not.
pub fn financially_motivated(description: &str) -> bool {
    let d = description.to_lowercase();
    let criminal = [
        "financially motivated",
        "financially-motivated",
        "cybercriminal",
        "cybercrime group",
        "cyber criminal",
        "criminal group",
        "criminal organization",
        "ransomware-as-a-service",
        "initial access broker",
        "ecrime",
        "e-crime",
        "for financial gain",
        "steal money",
        "transferring money",
    ]
    .iter()
    .any(|p| d.contains(p));
    let state = [
        "state-sponsored",
        "state sponsored",
        "nation-state",
        "espionage",
        "government-backed",
    ]
    .iter()
    .any(|p| d.contains(p));
    criminal && !state
}

fn first_json_char(bytes: &[u8]) -> Option<u8> {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    b.iter().copied().find(|c| !c.is_ascii_whitespace())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "type")]
    kind: Option<String>,
    objects: Option<serde::de::IgnoredAny>,
    values: Option<serde::de::IgnoredAny>,
    response: Option<serde::de::IgnoredAny>,
    #[serde(rename = "Event")]
    event: Option<serde::de::IgnoredAny>,
}

// ---------------------------------------------------------------- STIX

#[derive(Deserialize)]
struct Bundle {
    #[serde(default)]
    id: Option<String>,
    objects: Vec<StixObject>,
}

#[derive(Deserialize)]
struct ExternalRef {
    source_name: Option<String>,
    external_id: Option<String>,
    url: Option<String>,
    /// Read for the publication date only; never stored.
    description: Option<String>,
}

#[derive(Deserialize)]
struct KillChainPhase {
    kill_chain_name: Option<String>,
    phase_name: Option<String>,
}

#[derive(Deserialize)]
struct StixObject {
    #[serde(rename = "type")]
    kind: String,
    id: Option<String>,
    name: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    x_mitre_aliases: Vec<String>,
    #[serde(default)]
    external_references: Vec<ExternalRef>,
    #[serde(default)]
    kill_chain_phases: Vec<KillChainPhase>,
    first_seen: Option<String>,
    last_seen: Option<String>,
    modified: Option<String>,
    created: Option<String>,
    #[serde(default)]
    revoked: bool,
    #[serde(default)]
    x_mitre_deprecated: bool,
    relationship_type: Option<String>,
    source_ref: Option<String>,
    target_ref: Option<String>,
    pattern: Option<String>,
    pattern_type: Option<String>,
    value: Option<String>,
    x_mitre_version: Option<String>,
    #[serde(default)]
    x_mitre_domains: Vec<String>,
    /// Read only to find the state organisations it names; never stored.
    description: Option<String>,
}

fn attack_id(refs: &[ExternalRef]) -> Option<String> {
    refs.iter()
        .find(|r| {
            r.source_name
                .as_deref()
                .is_some_and(|s| s.starts_with("mitre-") && s.ends_with("attack"))
        })
        .and_then(|r| r.external_id.clone())
}

fn clean_aliases(name: &str, aliases: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in aliases {
        let a = a.trim();
        if a.is_empty() || a == name || out.iter().any(|x| x == a) {
            continue;
        }
        out.push(a.to_string());
    }
    out
}

fn import_stix(bytes: &[u8], origin: &str, sha: String) -> Result<Imported, KbError> {
    let bundle: Bundle = serde_json::from_slice(bytes).map_err(|e| KbError::Json {
        origin: origin.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    // ATT&CK is one source per domain (its collection), whatever the
    // bundle's id: a later release replaces an earlier one. A bundle that
    // merely cites ATT&CK ids is keyed as ATT&CK too, so `kb import` refuses
    // one that would remove most of it (see the CLI's removal guard).
    let is_attack = bundle
        .objects
        .iter()
        .any(|o| attack_id(&o.external_references).is_some());
    let domain = bundle
        .objects
        .iter()
        .flat_map(|o| o.x_mitre_domains.iter())
        .next()
        .cloned()
        .unwrap_or_else(|| "enterprise-attack".to_string());
    let version = bundle
        .objects
        .iter()
        .find(|o| o.kind == "x-mitre-collection")
        .and_then(|o| o.x_mitre_version.clone());
    let key = if is_attack {
        format!("mitre-attack:{domain}")
    } else {
        format!(
            "stix:{}",
            bundle.id.clone().unwrap_or_else(|| sha[..16].to_string())
        )
    };
    let mut report = ImportReport {
        format: Some(Format::StixBundle),
        source_key: key.clone(),
        ..Default::default()
    };
    let mut facts = KbFacts {
        sources: vec![SourceInfo {
            key: key.clone(),
            name: if is_attack {
                format!("MITRE ATT&CK ({domain})")
            } else {
                "STIX 2.1 bundle".to_string()
            },
            version,
            sha256: Some(sha),
            origin: Some(origin.to_string()),
            licence: is_attack.then(|| ATTACK_LICENCE.to_string()),
        }],
        ..Default::default()
    };
    for o in &bundle.objects {
        let kind = match o.kind.as_str() {
            "intrusion-set" => Some(EntityKind::Group),
            "campaign" => Some(EntityKind::Campaign),
            "malware" => Some(EntityKind::Malware),
            "tool" => Some(EntityKind::Tool),
            "attack-pattern" => Some(EntityKind::Technique),
            "indicator" | "ipv4-addr" | "ipv6-addr" | "domain-name" | "url" | "email-addr" => {
                Some(EntityKind::Infrastructure)
            }
            _ => None,
        };
        if o.kind == "relationship" {
            let rk = match o.relationship_type.as_deref() {
                Some("uses") => Some(RelationKind::Uses),
                Some("attributed-to") => Some(RelationKind::AttributedTo),
                Some("subtechnique-of") => Some(RelationKind::SubtechniqueOf),
                Some("revoked-by") => Some(RelationKind::RevokedBy),
                Some("indicates") => Some(RelationKind::Indicates),
                Some("related-to") => Some(RelationKind::Related),
                _ => None,
            };
            let (Some(rk), Some(src), Some(dst)) = (rk, &o.source_ref, &o.target_ref) else {
                *report
                    .skipped
                    .entry(format!(
                        "relationship:{}",
                        o.relationship_type.as_deref().unwrap_or("?")
                    ))
                    .or_default() += 1;
                continue;
            };
            if o.revoked || o.x_mitre_deprecated {
                *report
                    .skipped
                    .entry("relationship (revoked or deprecated)".into())
                    .or_default() += 1;
                continue;
            }
            facts.relations.push(Relation {
                kind: rk,
                src: src.clone(),
                dst: dst.clone(),
                source: key.clone(),
                id: o.id.clone(),
                citations: o
                    .external_references
                    .iter()
                    .filter_map(|r| {
                        let name = r.source_name.clone()?;
                        let date = crate::dates::citation_date(
                            &name,
                            r.url.as_deref(),
                            r.description.as_deref(),
                        );
                        Some(Citation {
                            source_name: name,
                            url: r.url.clone(),
                            date: date.map(|d| d.to_string()),
                        })
                    })
                    .collect(),
                created: stix_date(o.created.as_deref()),
            });
            *report.relations.entry(rk.as_str().to_string()).or_default() += 1;
            continue;
        }
        let Some(kind) = kind else {
            *report.skipped.entry(o.kind.clone()).or_default() += 1;
            continue;
        };
        let Some(id) = o.id.clone() else {
            report
                .warnings
                .push(format!("a {} object without an id was skipped", o.kind));
            *report
                .skipped
                .entry(format!("{} without id", o.kind))
                .or_default() += 1;
            continue;
        };
        let mut e = if kind == EntityKind::Infrastructure {
            let Some((vt, value)) = infra_value(o) else {
                *report
                    .skipped
                    .entry(format!(
                        "{} (pattern not a single indicator comparison)",
                        o.kind
                    ))
                    .or_default() += 1;
                continue;
            };
            let mut e = Entity::new(id, kind, key.clone(), value);
            e.value_type = Some(vt.to_string());
            e
        } else {
            let Some(name) = o.name.clone() else {
                report.warnings.push(format!("{id}: no name; skipped"));
                *report
                    .skipped
                    .entry(format!("{} without name", o.kind))
                    .or_default() += 1;
                continue;
            };
            let mut e = Entity::new(id, kind, key.clone(), name.clone());
            let mut al = o.aliases.clone();
            al.extend(o.x_mitre_aliases.iter().cloned());
            e.aliases = clean_aliases(&name, &al);
            e
        };
        e.external_id = attack_id(&o.external_references);
        e.first_seen = o.first_seen.clone();
        e.last_seen = o.last_seen.clone();
        e.modified = o.modified.clone();
        e.created = stix_date(o.created.as_deref());
        e.tactics = o
            .kill_chain_phases
            .iter()
            .filter(|k| {
                k.kill_chain_name
                    .as_deref()
                    .is_some_and(|n| n.starts_with("mitre"))
            })
            .filter_map(|k| k.phase_name.clone())
            .collect();
        e.revoked = o.revoked;
        e.deprecated = o.x_mitre_deprecated;
        if kind == EntityKind::Group && !e.revoked && !e.deprecated {
            if let Some(d) = &o.description {
                let url = o
                    .external_references
                    .iter()
                    .find(|r| r.external_id.is_some())
                    .and_then(|r| r.url.clone());
                let cite = format!(
                    "{} description of {}",
                    facts.sources[0].name,
                    e.external_id.as_deref().unwrap_or(&e.name)
                );
                org_links(&mut facts, &mut report, &e.id, d, None, &key, &cite, url);
                e.country = attack_origin(d);
                if financially_motivated(d) {
                    e.motive = Some("financially motivated".into());
                }
            }
        }
        let label = if e.revoked {
            format!("{} (revoked)", kind.as_str())
        } else if e.deprecated {
            format!("{} (deprecated)", kind.as_str())
        } else {
            kind.as_str().to_string()
        };
        *report.entities.entry(label).or_default() += 1;
        facts.entities.push(e);
    }
    Ok(Imported { facts, report })
}

/// The date part (`YYYY-MM-DD`) of a STIX timestamp, when it is one.
fn stix_date(ts: Option<&str>) -> Option<String> {
    ascribe_core::PartialDate::from_timestamp(ts?).map(|d| d.to_string())
}

/// The value of an indicator-like STIX object: an SCO's `value`, or an
/// indicator whose STIX pattern is a single equality comparison.
fn infra_value(o: &StixObject) -> Option<(&'static str, String)> {
    let t = |k: &str| -> Option<&'static str> {
        Some(match k {
            "ipv4-addr" | "ipv6-addr" => "ip",
            "domain-name" => "domain",
            "url" => "url",
            "email-addr" => "email",
            _ => return None,
        })
    };
    if o.kind != "indicator" {
        return Some((t(&o.kind)?, o.value.clone()?));
    }
    if o.pattern_type.as_deref().is_some_and(|p| p != "stix") {
        return None;
    }
    let p = o.pattern.as_deref()?.trim();
    let inner = p.strip_prefix('[')?.strip_suffix(']')?;
    if inner.contains(" AND ") || inner.contains(" OR ") || inner.contains('[') {
        return None;
    }
    let (path, value) = inner.split_once('=')?;
    let path = path.trim();
    let value = value.trim().strip_prefix('\'')?.strip_suffix('\'')?;
    let (obj, prop) = path.split_once(':')?;
    let vt = if obj == "file" && prop.starts_with("hashes.") {
        "hash"
    } else if prop == "value" {
        t(obj)?
    } else {
        return None;
    };
    Some((vt, value.replace("\\'", "'")))
}

// ---------------------------------------------------------------- MISP

#[derive(Deserialize)]
struct Galaxy {
    #[serde(rename = "type")]
    kind: String,
    /// The cluster's own uuid: part of the source key.
    uuid: Option<String>,
    name: Option<String>,
    version: Option<serde_json::Value>,
    values: Vec<GalaxyValue>,
}

#[derive(Deserialize)]
struct GalaxyValue {
    value: Option<String>,
    uuid: Option<String>,
    /// Read only to find the state organisations it names and an agency's
    /// acronym; never stored.
    description: Option<String>,
    #[serde(default)]
    meta: GalaxyMeta,
    #[serde(default)]
    related: Vec<GalaxyRelated>,
}

#[derive(Deserialize, Default)]
struct GalaxyMeta {
    #[serde(default, deserialize_with = "one_or_many")]
    synonyms: Vec<String>,
    country: Option<String>,
    #[serde(rename = "cfr-suspected-state-sponsor")]
    sponsor: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    refs: Vec<String>,
    #[serde(
        rename = "cfr-suspected-victims",
        default,
        deserialize_with = "one_or_many"
    )]
    victims: Vec<String>,
    #[serde(
        rename = "cfr-target-category",
        default,
        deserialize_with = "one_or_many"
    )]
    target_category: Vec<String>,
    #[serde(
        rename = "cfr-type-of-incident",
        default,
        deserialize_with = "one_or_many"
    )]
    incident: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    motive: Vec<String>,
    /// Tidal: the ATT&CK id of a group or software.
    group_attack_id: Option<String>,
    software_attack_id: Option<String>,
}

/// A string or a list of strings (MISP meta fields come in both shapes);
/// anything else is ignored rather than failing the whole cluster.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::String(s) => vec![s],
        serde_json::Value::Array(a) => a
            .into_iter()
            .filter_map(|x| match x {
                serde_json::Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    })
}

/// Trimmed, non-empty, de-duplicated values.
fn clean_list(v: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in v {
        let x = x.trim();
        if !x.is_empty() && !out.iter().any(|y| y.eq_ignore_ascii_case(x)) {
            out.push(x.to_string());
        }
    }
    out
}

/// An agency's acronym from its description: the last parenthesised
/// all-capital word of the part before a dash ("Ministry of State Security
/// (MSS)" gives MSS).
fn acronym(description: &str) -> Option<String> {
    let head = description.split(" – ").next().unwrap_or(description);
    let mut found = None;
    let mut rest = head;
    while let Some(i) = rest.find('(') {
        let after = &rest[i + 1..];
        let Some(j) = after.find(')') else { break };
        let inner = after[..j].trim();
        let ok = (2..=10).contains(&inner.chars().count())
            && inner.chars().any(|c| c.is_uppercase())
            && inner.chars().all(|c| {
                c.is_uppercase() || c == '&' || c == '-' || c == '/' || c.is_ascii_digit()
            });
        if ok {
            found = Some(inner.to_string());
        }
        rest = &after[j..];
    }
    found
}

#[derive(Deserialize)]
struct GalaxyRelated {
    #[serde(rename = "dest-uuid")]
    dest: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

fn import_misp(
    bytes: &[u8],
    origin: &str,
    sha: String,
    format: Format,
) -> Result<Imported, KbError> {
    let g: Galaxy = serde_json::from_slice(bytes).map_err(|e| KbError::Json {
        origin: origin.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    // The cluster's uuid is part of the key: another cluster of the same type
    // (a different galaxy, a hand-made file) is a source of its own and never
    // replaces this one; a new release of the same cluster replaces it.
    let key = match g.uuid.as_deref().map(str::trim) {
        Some(u) if !u.is_empty() => format!("misp-galaxy:{}@{u}", g.kind),
        _ => format!("misp-galaxy:{}", g.kind),
    };
    let kind = match format {
        Format::MispThreatActor | Format::TidalGroups => EntityKind::MispActor,
        Format::IntelligenceAgencies => EntityKind::Agency,
        _ => EntityKind::MispFamily,
    };
    let cluster_cite = format!("MISP galaxy: {}", g.name.as_deref().unwrap_or(&g.kind));
    let mut report = ImportReport {
        format: Some(format),
        source_key: key.clone(),
        ..Default::default()
    };
    let version = g.version.as_ref().map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let mut facts = KbFacts {
        sources: vec![SourceInfo {
            key: key.clone(),
            name: format!("MISP galaxy: {}", g.name.as_deref().unwrap_or(&g.kind)),
            version,
            sha256: Some(sha),
            origin: Some(origin.to_string()),
            licence: Some(MISP_LICENCE.to_string()),
        }],
        ..Default::default()
    };
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for v in &g.values {
        let (Some(name), Some(uuid)) = (&v.value, &v.uuid) else {
            *report
                .skipped
                .entry("value without name or uuid".into())
                .or_default() += 1;
            continue;
        };
        // a uuid used twice is reported and the later value skipped: two
        // clusters are never merged silently under one id
        if let Some(first) = seen.insert(uuid.as_str(), name.as_str()) {
            seen.insert(uuid.as_str(), first);
            *report
                .skipped
                .entry("value with a duplicate uuid".into())
                .or_default() += 1;
            report.warnings.push(format!(
                "duplicate uuid {uuid}: '{name}' skipped, '{first}' kept"
            ));
            continue;
        }
        let mut e = Entity::new(uuid.clone(), kind, key.clone(), name.clone());
        let mut synonyms = v.meta.synonyms.clone();
        if format == Format::IntelligenceAgencies {
            if let Some(a) = v.description.as_deref().and_then(acronym) {
                synonyms.push(a);
            }
        }
        e.aliases = clean_aliases(name, &synonyms);
        e.country = v
            .meta
            .country
            .as_ref()
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| c.len() == 2 && format != Format::TidalGroups);
        if format == Format::TidalGroups {
            e.external_id = v.meta.group_attack_id.clone();
        }
        if format == Format::MispSoftware {
            e.external_id = v.meta.software_attack_id.clone();
        }
        if format == Format::MispThreatActor {
            e.victims = clean_list(&v.meta.victims);
            e.target_categories = clean_list(&v.meta.target_category);
            e.incident_types = clean_list(&v.meta.incident);
            e.motive = clean_list(&v.meta.motive).into_iter().next();
            let mut text = v.description.clone().unwrap_or_default();
            // a synonym that is an organisation's name ("Bureau 121") ties too
            for syn in &v.meta.synonyms {
                text.push_str(" ; ");
                text.push_str(syn);
                text.push_str(" ; ");
            }
            if let Some(s) = &v.meta.sponsor {
                text.push_str(" \n ");
                text.push_str(s);
            }
            org_links(
                &mut facts,
                &mut report,
                uuid,
                &text,
                e.country.as_deref(),
                &key,
                &format!("{cluster_cite}: {name}"),
                None,
            );
        }
        e.sponsor = v
            .meta
            .sponsor
            .as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("unknown"));
        if kind == EntityKind::MispFamily {
            // The Malpedia slug (e.g. `win.destover`) is the family's public id.
            e.external_id = v.meta.refs.iter().find_map(|r| {
                r.split("malpedia.caad.fkie.fraunhofer.de/details/")
                    .nth(1)
                    .map(|s| s.trim_end_matches('/').to_string())
            });
        }
        *report
            .entities
            .entry(kind.as_str().to_string())
            .or_default() += 1;
        for r in &v.related {
            let Some(dest) = &r.dest else { continue };
            if format == Format::IntelligenceAgencies {
                continue;
            }
            if r.kind.as_deref() == Some("used-by") {
                // software → actor: the actor uses the software.
                facts.relations.push(Relation {
                    kind: RelationKind::Uses,
                    src: dest.clone(),
                    dst: uuid.clone(),
                    source: key.clone(),
                    id: None,
                    citations: vec![Citation {
                        source_name: cluster_cite.clone(),
                        url: None,
                        date: None,
                    }],
                    created: None,
                });
                *report
                    .relations
                    .entry("uses (from used-by)".into())
                    .or_default() += 1;
                continue;
            }
            let rk = match r.kind.as_deref() {
                Some("similar") => RelationKind::Similar,
                Some("uses") => RelationKind::Uses,
                Some("linked-to" | "overlaps" | "part-of" | "related-to" | "associated-with") => {
                    RelationKind::Related
                }
                other => {
                    *report
                        .skipped
                        .entry(format!("related:{}", other.unwrap_or("?")))
                        .or_default() += 1;
                    continue;
                }
            };
            facts.relations.push(Relation {
                kind: rk,
                src: uuid.clone(),
                dst: dest.clone(),
                source: key.clone(),
                id: None,
                citations: if rk == RelationKind::Uses {
                    vec![Citation {
                        source_name: cluster_cite.clone(),
                        url: None,
                        date: None,
                    }]
                } else {
                    vec![]
                },
                created: None,
            });
            *report.relations.entry(rk.as_str().to_string()).or_default() += 1;
        }
        facts.entities.push(e);
    }
    Ok(Imported { facts, report })
}

// ---------------------------------------------------------------- revocations

#[derive(Deserialize)]
struct RevokedEntry {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    name: Option<String>,
    attack_id: Option<String>,
    status: Option<String>,
    revoked_by: Option<String>,
}

fn import_revocations(bytes: &[u8], origin: &str, sha: String) -> Result<Imported, KbError> {
    let list: Vec<RevokedEntry> = serde_json::from_slice(bytes).map_err(|e| KbError::Json {
        origin: origin.to_string(),
        line: e.line(),
        column: e.column(),
        message: format!(
            "{e} (expected a list of {{id, type, name, attack_id, status, revoked_by}} entries)"
        ),
    })?;
    let key = "mitre-attack:revocations".to_string();
    let mut report = ImportReport {
        format: Some(Format::AttackRevocations),
        source_key: key.clone(),
        ..Default::default()
    };
    let mut facts = KbFacts {
        sources: vec![SourceInfo {
            key: key.clone(),
            name: "MITRE ATT&CK revoked and deprecated objects".into(),
            version: None,
            sha256: Some(sha),
            origin: Some(origin.to_string()),
            licence: Some(ATTACK_LICENCE.to_string()),
        }],
        ..Default::default()
    };
    for r in list {
        let kind = match r.kind.as_str() {
            "intrusion-set" => EntityKind::Group,
            "campaign" => EntityKind::Campaign,
            "malware" => EntityKind::Malware,
            "tool" => EntityKind::Tool,
            "attack-pattern" => EntityKind::Technique,
            other => {
                *report.skipped.entry(other.to_string()).or_default() += 1;
                continue;
            }
        };
        let mut e = Entity::new(r.id.clone(), kind, key.clone(), r.name.unwrap_or_default());
        e.external_id = r.attack_id;
        match r.status.as_deref() {
            Some("revoked") => e.revoked = true,
            Some("deprecated") => e.deprecated = true,
            other => report.warnings.push(format!(
                "{}: unknown status {:?}; kept as deprecated",
                r.id, other
            )),
        }
        if !e.revoked && !e.deprecated {
            e.deprecated = true;
        }
        *report
            .entities
            .entry(format!(
                "{} ({})",
                kind.as_str(),
                if e.revoked { "revoked" } else { "deprecated" }
            ))
            .or_default() += 1;
        if let (true, Some(by)) = (e.revoked, r.revoked_by) {
            facts.relations.push(Relation {
                kind: RelationKind::RevokedBy,
                src: r.id,
                dst: by,
                source: key.clone(),
                id: None,
                citations: vec![],
                created: None,
            });
            *report.relations.entry("revoked-by".into()).or_default() += 1;
        }
        facts.entities.push(e);
    }
    Ok(Imported { facts, report })
}

/// Import a set of files below `dir` (given relative to it) into one batch.
/// Origins are recorded relative to `dir`, so the result does not depend on
/// where the data lives on this machine. A listed file that fails is an
/// error; in a listed *directory* (every `.json` file below it, in name
/// order) a file that fails is reported in the returned list and skipped.
pub fn import_default_set(dir: &std::path::Path, files: &[&str]) -> Result<KbFacts, KbError> {
    Ok(import_default_set_reporting(dir, files)?.0)
}

/// [`import_default_set`], also returning the files of listed directories
/// that could not be imported (`"path: reason"`).
pub fn import_default_set_reporting(
    dir: &std::path::Path,
    files: &[&str],
) -> Result<(KbFacts, Vec<String>), KbError> {
    let mut facts = KbFacts::default();
    let mut skipped = Vec::new();
    for f in files {
        let p = dir.join(f);
        if p.is_dir() {
            for rel in json_files_below(&p, f)? {
                let bytes = std::fs::read(dir.join(&rel)).map_err(|e| KbError::Unsupported {
                    origin: rel.clone(),
                    what: format!("cannot read: {e}"),
                })?;
                match import_bytes(&bytes, &rel) {
                    Ok(imp) => facts.merge(imp.facts),
                    Err(e) => skipped.push(e.to_string()),
                }
            }
            continue;
        }
        let bytes = std::fs::read(&p).map_err(|e| KbError::Unsupported {
            origin: p.display().to_string(),
            what: format!("cannot read: {e}"),
        })?;
        facts.merge(import_bytes(&bytes, f)?.facts);
    }
    Ok((facts, skipped))
}

/// Every `.json` file below `path` (recursively, sorted), as paths relative
/// to the data directory (`rel` is `path`'s own relative name).
pub fn json_files_below(path: &std::path::Path, rel: &str) -> Result<Vec<String>, KbError> {
    let mut out = Vec::new();
    let mut stack = vec![(path.to_path_buf(), rel.trim_end_matches('/').to_string())];
    while let Some((p, r)) = stack.pop() {
        let rd = std::fs::read_dir(&p).map_err(|e| KbError::Unsupported {
            origin: p.display().to_string(),
            what: format!("cannot list: {e}"),
        })?;
        for ent in rd.flatten() {
            let name = ent.file_name().to_string_lossy().to_string();
            let child = format!("{r}/{name}");
            let ep = ent.path();
            if ep.is_dir() {
                stack.push((ep, child));
            } else if name.to_ascii_lowercase().ends_with(".json") {
                out.push(child);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attack_origin_reads_the_opening_sentence() {
        let o = |d: &str| attack_origin(d);
        assert_eq!(
            o("[X](https://a/G1) is an Iranian threat group that targets Israel.").as_deref(),
            Some("IR")
        );
        assert_eq!(
            o("X is a Russia-based threat group that has targeted China.").as_deref(),
            Some("RU")
        );
        assert_eq!(
            o("X is a People's Republic of China-related threat actor associated with intrusions.").as_deref(),
            Some("CN")
        );
        assert_eq!(
            o("X is a North Korea–aligned threat group active since 2023.").as_deref(),
            Some("KP")
        );
        assert_eq!(
            o("X is a suspected Spanish-speaking cyber espionage group."),
            None
        );
        assert_eq!(o("X is a threat group that targets Russian banks."), None);
        assert_eq!(o("X has targeted Iran."), None);
        assert!(financially_motivated(
            "X is a Russia-based financially motivated threat group."
        ));
        assert!(financially_motivated(
            "X is an initial access broker (IAB)."
        ));
        assert!(!financially_motivated(
            "X is a Chinese state-sponsored espionage group that also conducts financially-motivated operations."
        ));
    }

    #[test]
    fn rejects_non_json_and_unknown_json() {
        assert!(matches!(
            import_bytes(b"hello", "x"),
            Err(KbError::Unsupported { .. })
        ));
        assert!(matches!(
            import_bytes(b"{\"a\":1}", "x"),
            Err(KbError::Unsupported { .. })
        ));
        let err = import_bytes(b"{\"type\": \"bundle\", \"objects\": [", "f.json").unwrap_err();
        assert!(err.to_string().contains("f.json"), "{err}");
    }

    #[test]
    fn official_style_bundle_with_revoked_objects() {
        let b = br#"{"type":"bundle","id":"bundle--2","objects":[
          {"type":"x-mitre-collection","id":"x-mitre-collection--1","name":"Enterprise ATT&CK","x_mitre_version":"18.1"},
          {"type":"attack-pattern","id":"attack-pattern--old","name":"Old","revoked":true,"external_references":[{"source_name":"mitre-attack","external_id":"T1002"}]},
          {"type":"attack-pattern","id":"attack-pattern--new","name":"New","external_references":[{"source_name":"mitre-attack","external_id":"T1560"}],"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"collection"}]},
          {"type":"relationship","id":"relationship--r","relationship_type":"revoked-by","source_ref":"attack-pattern--old","target_ref":"attack-pattern--new"},
          {"type":"malware","id":"malware--m","name":"M","x_mitre_aliases":["M","Emm"],"external_references":[{"source_name":"mitre-attack","external_id":"S9999"}]},
          {"type":"marking-definition","id":"marking-definition--1"}
        ]}"#;
        let imp = import_bytes(b, "official.json").unwrap();
        assert_eq!(imp.report.source_key, "mitre-attack:enterprise-attack");
        assert_eq!(imp.facts.sources[0].version.as_deref(), Some("18.1"));
        assert_eq!(imp.report.entities.get("technique (revoked)"), Some(&1));
        assert_eq!(imp.report.skipped.get("marking-definition"), Some(&1));
        assert_eq!(imp.report.skipped.get("x-mitre-collection"), Some(&1));
        let m = imp.facts.entities.iter().find(|e| e.name == "M").unwrap();
        assert_eq!(m.aliases, vec!["Emm".to_string()]);
        let kb = crate::KnowledgeBase::build(&imp.facts);
        match kb.technique("T1002") {
            crate::TechniqueLookup::Revoked { new, .. } => {
                assert_eq!(kb.techniques[new].attack_id, "T1560")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(kb.techniques.len(), 1);
    }

    #[test]
    fn citations_and_relations_are_dated() {
        let b = br#"{"type":"bundle","id":"bundle--3","objects":[
          {"type":"intrusion-set","id":"intrusion-set--l","name":"Lazarus Group","created":"2017-05-31T21:32:03.807Z","external_references":[{"source_name":"mitre-attack","external_id":"G0032"}]},
          {"type":"attack-pattern","id":"attack-pattern--w","name":"Disk Structure Wipe","external_references":[{"source_name":"mitre-attack","external_id":"T1561.002"}]},
          {"type":"campaign","id":"campaign--c","name":"Operation Dream Job","first_seen":"2019-09-01T04:00:00.000Z","created":"2023-03-17T13:37:42.596Z","external_references":[{"source_name":"mitre-attack","external_id":"C0022"}]},
          {"type":"relationship","id":"relationship--r","relationship_type":"uses","source_ref":"intrusion-set--l","target_ref":"attack-pattern--w","created":"2017-05-31T21:33:27.064Z","external_references":[
            {"source_name":"Novetta Blockbuster Destructive Malware","url":"https://web.archive.org/web/20160303200515/https:/operationblockbuster.com/wp-content/uploads/2016/02/Operation-Blockbuster-Destructive-Malware-Report.pdf","description":"Novetta Threat Research Group. (2016, February 24). Operation Blockbuster: Destructive Malware Report. Retrieved March 2, 2016."},
            {"source_name":"McAfee GhostSecret","url":"https://securingtomorrow.mcafee.com/mcafee-labs/analyzing-operation-ghostsecret-attack-seeks-to-steal-data-worldwide/"}
          ]}
        ]}"#;
        let imp = import_bytes(b, "t.json").unwrap();
        let r = &imp.facts.relations[0];
        assert_eq!(r.created.as_deref(), Some("2017-05-31"));
        assert_eq!(r.citations[0].date.as_deref(), Some("2016-02-24"));
        assert_eq!(r.citations[1].date, None);
        let g = imp
            .facts
            .entities
            .iter()
            .find(|e| e.name == "Lazarus Group")
            .unwrap();
        assert_eq!(g.created.as_deref(), Some("2017-05-31"));
        let c = imp
            .facts
            .entities
            .iter()
            .find(|e| e.kind == EntityKind::Campaign)
            .unwrap();
        assert_eq!(c.first_seen.as_deref(), Some("2019-09-01T04:00:00.000Z"));
        // descriptions are read for the date only, never kept
        let json = serde_json::to_string(&imp.facts).unwrap();
        assert!(!json.contains("Retrieved"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        #[test]
        fn arbitrary_bytes_never_panic(b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let _ = import_bytes(&b, "fuzz");
        }

        #[test]
        fn arbitrary_json_objects_never_panic(s in "\\{\"type\": ?\"(bundle|threat-actor|malpedia)\", ?\"(objects|values)\": ?\\[(\\{\"[a-z_]{1,8}\": ?(\"[a-z-]{0,12}\"|[0-9]{1,3}|true|null|\\[\\])\\},?){0,4}\\]\\}") {
            let _ = import_bytes(s.as_bytes(), "fuzz");
        }
    }

    #[test]
    fn duplicate_misp_uuids_are_reported_not_merged() {
        let b = br#"{"type":"threat-actor","uuid":"c1","name":"Threat Actor","values":[
          {"value":"One","uuid":"u1"},{"value":"Two","uuid":"u1"},{"value":"Three","uuid":"u3"}
        ]}"#;
        let imp = import_bytes(b, "dup.json").unwrap();
        assert_eq!(imp.facts.entities.len(), 2);
        assert_eq!(
            imp.report.skipped.get("value with a duplicate uuid"),
            Some(&1)
        );
        assert!(imp.report.warnings[0].contains("duplicate uuid u1"));
        assert_eq!(imp.report.source_key, "misp-galaxy:threat-actor@c1");
        assert_eq!(
            source_family(&imp.report.source_key),
            "misp-galaxy:threat-actor"
        );
    }

    #[test]
    fn stix_indicator_patterns() {
        let b = br#"{"type":"bundle","id":"bundle--1","objects":[
          {"type":"intrusion-set","id":"intrusion-set--a","name":"Test Group","aliases":["Test Group","TG"]},
          {"type":"indicator","id":"indicator--1","pattern":"[ipv4-addr:value = '203.0.113.5']","pattern_type":"stix"},
          {"type":"indicator","id":"indicator--2","pattern":"[ipv4-addr:value = '1.1.1.1' OR ipv4-addr:value = '2.2.2.2']"},
          {"type":"relationship","id":"relationship--1","relationship_type":"indicates","source_ref":"indicator--1","target_ref":"intrusion-set--a"},
          {"type":"relationship","id":"relationship--2","relationship_type":"mitigates","source_ref":"x","target_ref":"y"},
          {"type":"course-of-action","id":"course-of-action--1","name":"c"}
        ]}"#;
        let imp = import_bytes(b, "t.json").unwrap();
        assert_eq!(imp.report.source_key, "stix:bundle--1");
        let infra: Vec<_> = imp
            .facts
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Infrastructure)
            .collect();
        assert_eq!(infra.len(), 1);
        assert_eq!(infra[0].name, "203.0.113.5");
        assert_eq!(infra[0].value_type.as_deref(), Some("ip"));
        assert_eq!(imp.report.skipped.get("relationship:mitigates"), Some(&1));
        assert_eq!(imp.report.skipped.get("course-of-action"), Some(&1));
        assert_eq!(imp.report.relations.get("indicates"), Some(&1));
        let g = imp
            .facts
            .entities
            .iter()
            .find(|e| e.kind == EntityKind::Group)
            .unwrap();
        assert_eq!(g.aliases, vec!["TG".to_string()]);
    }
}
