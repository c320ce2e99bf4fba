//! MISP event exports (as published by ESET in `eset/malware-ioc`): the
//! families an event's publisher ties to an actor.
//!
//! An event yields `uses` relations from an actor *name* to a family *name*
//! (`actor-name:…` → `software-name:…`); [`crate::KnowledgeBase::build`]
//! resolves both names and drops what does not resolve. The actor is the
//! event's threat-actor galaxy tags and, separately, the folder the
//! publisher filed the event under (`events/<folder>/…`): the folder name is
//! the publisher's own attribution and is cited as such. Families come from
//! the event's antivirus detection names (`Win32/TrojanDownloader.Sednit.CMR`
//! gives Sednit), its software galaxy tags and the capitalised words of its
//! title. Every relation cites the event (publisher, title) with the event
//! date. Indicators themselves are not kept.

use crate::import::{Format, ImportReport, Imported};
use crate::KbError;
use ascribe_core::{Citation, KbFacts, Relation, RelationKind, SourceInfo};
use serde::Deserialize;

/// Licence recorded for events from ESET's malware-ioc repository.
pub const ESET_LICENCE: &str =
    "ESET malware-ioc, BSD-2-Clause, © ESET spol. s r.o. (see LICENSE-ESET-MALWARE-IOC.txt)";

/// Prefix of a relation endpoint that is an actor name, `|`-separated
/// candidates in order of preference.
pub const ACTOR_NAME: &str = "actor-name:";
/// Prefix of a relation endpoint that is a software name (detection name
/// or galaxy tag): resolved against software names and aliases.
pub const SOFTWARE_NAME: &str = "software-name:";
/// Prefix of a relation endpoint that is a capitalised word of an event
/// title: resolved like a software name, but dropped if it also names an
/// actor (a title names its actor as often as its malware).
pub const SOFTWARE_TITLE_WORD: &str = "software-title:";

#[derive(Deserialize)]
struct Wrapper {
    response: Option<serde_json::Value>,
    #[serde(rename = "Event")]
    event: Option<Event>,
}

#[derive(Deserialize)]
struct Event {
    uuid: Option<String>,
    info: Option<String>,
    date: Option<String>,
    #[serde(rename = "Orgc")]
    orgc: Option<Org>,
    #[serde(rename = "Tag", default)]
    tags: Vec<Tag>,
    #[serde(rename = "Galaxy", default)]
    galaxies: Vec<Galaxy>,
    #[serde(rename = "Attribute", default)]
    attributes: Vec<Attribute>,
    #[serde(rename = "Object", default)]
    objects: Vec<Object>,
}

#[derive(Deserialize)]
struct Org {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Tag {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Galaxy {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(rename = "GalaxyCluster", default)]
    clusters: Vec<Cluster>,
}

#[derive(Deserialize)]
struct Cluster {
    value: Option<String>,
}

#[derive(Deserialize)]
struct Attribute {
    category: Option<String>,
    value: Option<String>,
    comment: Option<String>,
}

#[derive(Deserialize)]
struct Object {
    #[serde(rename = "Attribute", default)]
    attributes: Vec<Attribute>,
}

const ACTOR_GALAXIES: [&str; 4] = [
    "threat-actor",
    "mitre-intrusion-set",
    "eset-threat-actor",
    "microsoft-activity-group",
];
const SOFTWARE_GALAXIES: [&str; 9] = [
    "malpedia",
    "tool",
    "mitre-malware",
    "mitre-tool",
    "backdoor",
    "rat",
    "ransomware",
    "wiper",
    "stealer",
];

/// Detection-name parts that name a kind of threat, not a family.
const GENERIC: [&str; 24] = [
    "agent",
    "kryptik",
    "genkryptik",
    "trojan",
    "trojandownloader",
    "trojandropper",
    "trojanproxy",
    "trojanclicker",
    "spy",
    "psw",
    "hacktool",
    "exploit",
    "hackedapp",
    "tiny",
    "abnormal",
    "runner",
    "inject",
    "packed",
    "rootkit",
    "backdoor",
    "filecoder",
    "generik",
    "riskware",
    "dropper",
];

/// Title words that are never a family name (and platforms, which name
/// what a family runs on).
const TITLE_STOP: [&str; 31] = [
    "powershell",
    "outlook",
    "windows",
    "linux",
    "macos",
    "android",
    "office",
    "exchange",
    "roundcube",
    "eset",
    "ioc",
    "iocs",
    "osint",
    "research",
    "whitepaper",
    "white",
    "paper",
    "blogpost",
    "blog",
    "operation",
    "group",
    "campaign",
    "attack",
    "attacks",
    "analysis",
    "analyzing",
    "report",
    "related",
    "update",
    "sample",
    "samples",
];

/// The family in an antivirus detection name (`Platform/[Type.]Family.Variant`),
/// or `None` for generic names and exploits.
pub fn detection_family(name: &str) -> Option<String> {
    let name = name.trim();
    let (platform, rest) = name.split_once('/')?;
    if platform.is_empty()
        || !platform.chars().all(|c| c.is_ascii_alphanumeric())
        || rest.contains(char::is_whitespace)
    {
        return None;
    }
    let mut parts: Vec<&str> = rest.split('.').filter(|p| !p.is_empty()).collect();
    if parts.len() > 1 {
        let last = parts[parts.len() - 1];
        // a variant code: A, BG, CMR, ZWH, AAPY, or a number
        if last.len() <= 4
            && last
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            parts.pop();
        }
    }
    let fam = parts
        .iter()
        .rev()
        .find(|p| !GENERIC.contains(&p.to_ascii_lowercase().as_str()))?;
    if fam.len() < 3
        || fam.to_ascii_uppercase().starts_with("CVE")
        || !fam.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    Some(fam.to_string())
}

fn title_words(info: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut after_operation = false;
    for w in info.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '.')) {
        let w = w.trim_matches(|c: char| c == '-' || c == '.');
        if w.is_empty() {
            continue;
        }
        // "Operation Ghost" names a campaign, not a family
        let skip = after_operation;
        after_operation = w.eq_ignore_ascii_case("operation");
        if skip
            || w.chars().count() < 4
            || !w.chars().any(|c| c.is_uppercase())
            || TITLE_STOP.contains(&w.to_lowercase().as_str())
            || crate::countries::find_country(w).is_some()
        {
            continue;
        }
        if !out.iter().any(|x| x == w) {
            out.push(w.to_string());
        }
    }
    out
}

fn tag_value(tag: &str, galaxy: &str) -> Option<String> {
    let rest = tag.strip_prefix("misp-galaxy:")?;
    let (g, v) = rest.split_once('=')?;
    (g == galaxy).then(|| v.trim().trim_matches('"').to_string())
}

/// The folder the publisher filed the event under: the directory below
/// `events/` in the origin path, else the file's own directory.
pub fn publisher_folder(origin: &str) -> Option<String> {
    let parts: Vec<&str> = origin
        .split(['/', '\\'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return None;
    }
    if let Some(i) = parts.iter().position(|p| *p == "events") {
        if i + 2 < parts.len() {
            return Some(parts[i + 1].to_string());
        }
    }
    Some(parts[parts.len() - 2].to_string())
}

/// Candidate actor names for a folder name: the whole name with separators
/// as spaces, then each part (`nukesped_lazarus` → "nukesped lazarus",
/// "nukesped", "lazarus").
fn folder_candidates(folder: &str) -> Vec<String> {
    let whole = folder.replace(['_', '-'], " ");
    let mut out = vec![whole.trim().to_string()];
    for p in folder.split(['_', '-']) {
        let generic = ["group", "team", "gang", "crew", "apt", "swc"]
            .contains(&p.to_ascii_lowercase().as_str());
        if p.len() >= 3 && !generic && !out.iter().any(|x| x == p) {
            out.push(p.to_string());
        }
    }
    out
}

pub(crate) fn import_event(bytes: &[u8], origin: &str, sha: String) -> Result<Imported, KbError> {
    let json_err = |e: serde_json::Error| KbError::Json {
        origin: origin.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    };
    let w: Wrapper = serde_json::from_slice(bytes).map_err(json_err)?;
    let mut events: Vec<Event> = Vec::new();
    if let Some(e) = w.event {
        events.push(e);
    }
    match w.response {
        Some(serde_json::Value::Array(items)) => {
            for it in items {
                if let Some(ev) = it.get("Event") {
                    events.push(serde_json::from_value(ev.clone()).map_err(json_err)?);
                }
            }
        }
        Some(serde_json::Value::Object(o)) => {
            if let Some(ev) = o.get("Event") {
                events.push(serde_json::from_value(ev.clone()).map_err(json_err)?);
            }
        }
        _ => {}
    }
    if events.is_empty() {
        return Err(KbError::Unsupported {
            origin: origin.to_string(),
            what: "a MISP export without any Event".into(),
        });
    }
    let first_uuid = events[0]
        .uuid
        .clone()
        .unwrap_or_else(|| sha[..16].to_string());
    let key = format!("misp-event:{first_uuid}");
    let eset = origin.contains("eset-malware-ioc")
        || events
            .iter()
            .any(|e| e.orgc.as_ref().and_then(|o| o.name.as_deref()) == Some("ESET"));
    let mut report = ImportReport {
        format: Some(Format::MispEvent),
        source_key: key.clone(),
        ..Default::default()
    };
    let mut facts = KbFacts {
        sources: vec![SourceInfo {
            key: key.clone(),
            name: format!(
                "MISP event: {}",
                events[0].info.as_deref().unwrap_or("(untitled)")
            ),
            version: events[0].date.clone(),
            sha256: Some(sha),
            origin: Some(origin.to_string()),
            licence: eset.then(|| ESET_LICENCE.to_string()),
        }],
        ..Default::default()
    };
    let folder = publisher_folder(origin);
    for ev in &events {
        let publisher = ev
            .orgc
            .as_ref()
            .and_then(|o| o.name.clone())
            .unwrap_or_else(|| "MISP".into());
        let info = ev.info.clone().unwrap_or_default();
        let date = ev
            .date
            .as_deref()
            .filter(|d| d.len() >= 4 && d[..4].chars().all(|c| c.is_ascii_digit()))
            .map(|d| d.chars().take(10).collect::<String>());
        // actors named by the event's galaxies
        let mut actors: Vec<String> = Vec::new();
        for g in &ev.galaxies {
            if g.kind
                .as_deref()
                .is_some_and(|k| ACTOR_GALAXIES.contains(&k))
            {
                for c in &g.clusters {
                    if let Some(v) = &c.value {
                        if !actors.contains(v) {
                            actors.push(v.clone());
                        }
                    }
                }
            }
        }
        for t in ev.tags.iter().filter_map(|t| t.name.as_deref()) {
            for g in ["threat-actor", "mitre-intrusion-set"] {
                if let Some(v) = tag_value(t, g) {
                    if !actors.contains(&v) {
                        actors.push(v);
                    }
                }
            }
        }
        // families
        let mut fams: Vec<String> = Vec::new();
        let push = |f: String, fams: &mut Vec<String>| {
            if !fams.iter().any(|x| x.eq_ignore_ascii_case(&f)) {
                fams.push(f);
            }
        };
        for g in &ev.galaxies {
            if g.kind
                .as_deref()
                .is_some_and(|k| SOFTWARE_GALAXIES.contains(&k))
            {
                for c in &g.clusters {
                    if let Some(v) = &c.value {
                        push(format!("{SOFTWARE_NAME}{}", v.trim()), &mut fams);
                    }
                }
            }
        }
        let attrs = ev
            .attributes
            .iter()
            .chain(ev.objects.iter().flat_map(|o| o.attributes.iter()));
        for a in attrs {
            // values in the antivirus category, and comments anywhere that
            // are one detection name
            let av = a.category.as_deref() == Some("Antivirus detection");
            let value = a.value.as_deref().filter(|_| av);
            for text in [value, a.comment.as_deref()].into_iter().flatten() {
                if let Some(f) = detection_family(text) {
                    push(format!("{SOFTWARE_NAME}{f}"), &mut fams);
                }
            }
        }
        for w in title_words(&info) {
            push(format!("{SOFTWARE_TITLE_WORD}{w}"), &mut fams);
        }
        let mut emit = |src: String, cite: String| {
            for f in &fams {
                facts.relations.push(Relation {
                    kind: RelationKind::Uses,
                    src: src.clone(),
                    dst: f.clone(),
                    source: key.clone(),
                    id: ev.uuid.clone(),
                    citations: vec![Citation {
                        source_name: cite.clone(),
                        url: None,
                        date: date.clone(),
                    }],
                    created: date.clone(),
                });
                *report
                    .relations
                    .entry("uses (actor name → family name)".into())
                    .or_default() += 1;
            }
        };
        for a in &actors {
            emit(format!("{ACTOR_NAME}{a}"), format!("{publisher}: {info}"));
        }
        if let Some(folder) = &folder {
            emit(
                format!("{ACTOR_NAME}{}", folder_candidates(folder).join("|")),
                format!(
                    "{publisher} (filed under '{folder}', the publisher's attribution): {info}"
                ),
            );
        }
        if actors.is_empty() && folder.is_none() {
            report
                .warnings
                .push(format!("event '{info}' names no actor; nothing taken"));
        }
        *report.entities.entry("misp-event".into()).or_default() += 1;
    }
    Ok(Imported { facts, report })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_names_give_families() {
        assert_eq!(
            detection_family("Win32/TrojanDownloader.Sednit.CMR").as_deref(),
            Some("Sednit")
        );
        assert_eq!(
            detection_family("Linux/NukeSped.E").as_deref(),
            Some("NukeSped")
        );
        assert_eq!(
            detection_family("Win32/InvisiMole").as_deref(),
            Some("InvisiMole")
        );
        assert_eq!(
            detection_family("Win32/HackedApp.Winnti.A").as_deref(),
            Some("Winnti")
        );
        assert_eq!(detection_family("Win32/Agent.ZWH"), None);
        assert_eq!(detection_family("Win32/Exploit.CVE-2017-11882.BU"), None);
        assert_eq!(detection_family("JS/TrojanDownloader.Agent.YJJ"), None);
        assert_eq!(detection_family("3389, Cmd"), None);
        assert_eq!(detection_family("/checkout/Payment.aspx"), None);
    }

    #[test]
    fn folder_is_the_directory_below_events() {
        assert_eq!(
            publisher_folder("eset-malware-ioc/events/sshdoor/misp-events/a.json").as_deref(),
            Some("sshdoor")
        );
        assert_eq!(
            publisher_folder("x/events/turla/misp.json").as_deref(),
            Some("turla")
        );
        assert_eq!(publisher_folder("turla/e.json").as_deref(), Some("turla"));
        assert_eq!(publisher_folder("e.json"), None);
        assert_eq!(
            folder_candidates("nukesped_lazarus"),
            vec!["nukesped lazarus", "nukesped", "lazarus"]
        );
    }

    #[test]
    fn an_event_links_tagged_and_folder_actors_to_families() {
        let b = br#"{"response":[{"Event":{"uuid":"u-1","info":"Turla Crutch: keeping the door open","date":"2020-11-30",
          "Orgc":{"name":"ESET"},
          "Tag":[{"name":"misp-galaxy:threat-actor=\"Turla Group\""}],
          "Attribute":[{"category":"Antivirus detection","type":"text","value":"Win32/Crutch.A"},
                       {"category":"Network activity","type":"domain","value":"example.com","comment":"Win32/Agent.AB"}]}}]}"#;
        let imp = crate::import::import_bytes(b, "eset-malware-ioc/events/turla/e.json").unwrap();
        assert_eq!(imp.report.format, Some(Format::MispEvent));
        let r = &imp.facts.relations;
        assert!(r.iter().any(|x| x.src == "actor-name:Turla Group"
            && x.dst == "software-name:Crutch"
            && x.citations[0].date.as_deref() == Some("2020-11-30")));
        assert!(r.iter().any(|x| x.src == "actor-name:turla"
            && x.citations[0].source_name.contains("filed under 'turla'")));
        assert!(r.iter().any(|x| x.dst == "software-title:Crutch"));
        assert_eq!(
            title_words("Operation Ghost - White Paper"),
            Vec::<String>::new()
        );
        assert_eq!(title_words("Turla PowerShell blogpost"), vec!["Turla"]);
        assert_eq!(title_words("Turla Russian watering hole"), vec!["Turla"]);
        assert_eq!(
            folder_candidates("winnti_group"),
            vec!["winnti group", "winnti"]
        );
        assert!(!r.iter().any(|x| x.dst.contains("Agent")));
        assert_eq!(imp.facts.sources[0].licence.as_deref(), Some(ESET_LICENCE));
    }

    #[test]
    fn broken_exports_are_errors_naming_the_file() {
        let e =
            crate::import::import_bytes(br#"{"response":[{"Event":{"info":"x""#, "events/a/b.json")
                .unwrap_err();
        assert!(e.to_string().contains("events/a/b.json"), "{e}");
        let e =
            crate::import::import_bytes(br#"{"duvelDetails":[]}"#, "events/d/x.json").unwrap_err();
        assert!(e.to_string().contains("events/d/x.json"), "{e}");
        let e = crate::import::import_bytes(br#"{"response":[]}"#, "r.json").unwrap_err();
        assert!(e.to_string().contains("without any Event"), "{e}");
    }
}
