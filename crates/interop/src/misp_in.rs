//! MISP event → case (`ascribe case from-misp`).
//!
//! Reads a MISP event export (`{"Event": …}`, a REST response
//! `{"response": [{"Event": …}]}` holding one event, or a bare event
//! object): attributes and the attributes of objects, event and attribute
//! tags, galaxy clusters and event reports. The mapping per attribute type
//! is [`mapping`]; docs/formats/misp.md has the table. Attachments are
//! written as evidence files; malware samples only inside a zip (MISP's own
//! encrypted zip when the attribute carries one, else a zip made here with
//! the conventional password `infected`, AES-256), never as a bare executable.

use crate::casewrite::{safe_name, ImportedCase};
use crate::stix_in::is_technique_id;
use crate::{read_json, InteropError};
use ascribe_core::{
    ArtifactType, Case, IndicatorType, Observation, ObservationKind, Source, SourceKind, Stance,
};
use base64::Engine;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// Most observations written to one case (the case format's limit).
pub const MAX_ITEMS: usize = ascribe_case::MAX_CASE_ITEMS;
/// Largest attachment written (decoded).
pub const MAX_ATTACHMENT: usize = 64 * 1024 * 1024;

/// What a MISP attribute type becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Indicator(IndicatorType),
    /// `domain|ip`: a domain and an address.
    DomainIp,
    /// `filename|<hash>`: the hash.
    FileHash,
    Artifact(ArtifactType),
    /// A reference (`link`): kept as a `[[source]]`.
    Source,
    /// `attachment`: an evidence file.
    Attachment,
    /// `malware-sample`: a zipped evidence file.
    Sample,
    /// `threat-actor` (category Attribution): the publisher names the actor.
    Claim,
    /// Nothing in the case format (the reason is given).
    Dropped(&'static str),
}

/// The mapping of a MISP attribute type.
pub fn mapping(t: &str) -> Target {
    use IndicatorType as I;
    match t {
        "ip-src" | "ip-dst" | "ip-src|port" | "ip-dst|port" => Target::Indicator(I::Ip),
        "domain" | "hostname" => Target::Indicator(I::Domain),
        "hostname|port" => Target::Indicator(I::Domain),
        "domain|ip" => Target::DomainIp,
        "url" => Target::Indicator(I::Url),
        "email" | "email-src" | "email-dst" | "email-reply-to" => Target::Indicator(I::Email),
        "md5" | "sha1" | "sha256" => Target::Indicator(I::Hash),
        "filename|md5" | "filename|sha1" | "filename|sha256" => Target::FileHash,
        "btc" | "xmr" => Target::Indicator(I::Wallet),
        "pdb" => Target::Artifact(ArtifactType::PdbPath),
        "link" => Target::Source,
        "threat-actor" => Target::Claim,
        "attachment" => Target::Attachment,
        "malware-sample" => Target::Sample,
        "sha512"
        | "sha224"
        | "sha384"
        | "ssdeep"
        | "imphash"
        | "impfuzzy"
        | "tlsh"
        | "authentihash"
        | "pehash"
        | "vhash"
        | "telfhash"
        | "filename|sha512"
        | "filename|ssdeep"
        | "filename|imphash"
        | "filename|authentihash" => {
            Target::Dropped("a hash kind the case format has no indicator for")
        }
        "filename" => Target::Dropped("a file name is not evidence on its own"),
        "text" | "comment" | "other" | "datetime" => Target::Dropped("free text"),
        "uri" => Target::Dropped("a URL path without a host"),
        "port" => Target::Dropped("a port alone"),
        "regkey" | "regkey|value" | "mutex" | "windows-scheduled-task" | "windows-service-name" => {
            Target::Dropped("a host artifact the case format has no table for")
        }
        "yara" | "sigma" | "snort" | "suricata" => Target::Dropped("a detection rule"),
        "vulnerability" | "weakness" => Target::Dropped("a vulnerability (no case table)"),
        "AS" => Target::Dropped("an autonomous system number"),
        "x509-fingerprint-sha1"
        | "x509-fingerprint-sha256"
        | "x509-fingerprint-md5"
        | "ja3-fingerprint-md5"
        | "jarm-fingerprint" => {
            Target::Dropped("a certificate or TLS fingerprint (no case indicator type)")
        }
        "user-agent" | "http-method" => Target::Dropped("an HTTP header value"),
        "dash" | "bch" | "eth" => {
            Target::Dropped("a wallet of a chain the case format does not check")
        }
        _ => Target::Dropped("no case table for this MISP type"),
    }
}

fn str_of<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn arr<'a>(v: &'a Value, k: &str) -> impl Iterator<Item = &'a Value> {
    v.get(k).and_then(Value::as_array).into_iter().flatten()
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The technique id at the end of a galaxy value (`Name - T1059.001`) or in
/// its `external_id` meta.
fn technique_of(value: &str, meta: Option<&Value>) -> Option<String> {
    let tail = value
        .rsplit(" - ")
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_uppercase();
    if is_technique_id(&tail) {
        return Some(tail);
    }
    let ext = meta?.get("external_id")?;
    let ids: Vec<&str> = match ext {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    ids.into_iter()
        .map(str::to_ascii_uppercase)
        .find(|t| is_technique_id(t))
}

/// Find the event object in the document.
fn event_of(doc: &Value) -> Option<&Value> {
    if let Some(e) = doc.get("Event") {
        return Some(e);
    }
    if let Some(r) = doc.get("response") {
        let first = match r {
            Value::Array(a) => a.first()?,
            o => o,
        };
        return Some(first.get("Event").unwrap_or(first));
    }
    (doc.get("Attribute").is_some() || doc.get("info").is_some()).then_some(doc)
}

struct Ctx {
    imp: ImportedCase,
    src: Source,
    seen: BTreeSet<(&'static str, String)>,
    seen_other: BTreeSet<String>,
    not_mapped: BTreeMap<String, usize>,
    capped: usize,
    links: Vec<(String, Option<String>)>,
    /// The publishing organisation (the claimant of its galaxy tags).
    org: String,
    /// The event is one ascribe exported: its threat-actor clusters are
    /// ascribe's verdict, never read back as evidence.
    own_export: bool,
    /// ATT&CK technique ids by lower-case name, for clusters written
    /// without their id (only names that name one technique).
    names: BTreeMap<String, Option<String>>,
}

impl Ctx {
    fn technique_by_name(&self, value: &str) -> Option<String> {
        self.names
            .get(&value.trim().to_lowercase())
            .cloned()
            .flatten()
    }

    fn unmapped(&mut self, why: impl Into<String>) {
        *self.not_mapped.entry(why.into()).or_default() += 1;
    }

    fn push(&mut self, kind: ObservationKind, note: Option<String>) -> bool {
        if self.imp.case.observations.len() >= MAX_ITEMS {
            self.capped += 1;
            return false;
        }
        let n = self.imp.case.observations.len() + 1;
        let mut o = Observation::new(format!("misp-{n}"), kind, self.src.clone());
        o.note = note;
        self.imp.case.observations.push(o);
        true
    }

    /// One indicator value; true when kept (or already present).
    fn indicator(&mut self, t: IndicatorType, raw: &str, a: &Value) -> bool {
        let mut v = raw.trim().to_string();
        if matches!(
            t,
            IndicatorType::Hash | IndicatorType::Domain | IndicatorType::Email
        ) {
            v = v.to_ascii_lowercase();
        }
        if ascribe_case::valid_indicator(t, &v).is_err() {
            return false;
        }
        if !self.seen.insert((t.as_str(), v.clone())) {
            return true;
        }
        let role = str_of(a, "category").map(|c| c.to_ascii_lowercase());
        let date = |k: &str| {
            str_of(a, k)
                .and_then(|d| d.get(..10))
                .filter(|d| crate::unix_seconds(d).is_some() && d.as_bytes()[4] == b'-')
                .map(String::from)
        };
        let comment = str_of(a, "comment").filter(|c| !c.trim().is_empty());
        let note = Some(format!(
            "MISP {} attribute {}{}",
            str_of(a, "type").unwrap_or(""),
            str_of(a, "uuid").unwrap_or(""),
            comment
                .map(|c| format!(": {}", truncate(c, 200)))
                .unwrap_or_default()
        ));
        self.push(
            ObservationKind::Indicator {
                indicator: t,
                value: v,
                role,
                first_seen: date("first_seen"),
                last_seen: date("last_seen"),
                country: None,
                overlaps: None,
            },
            note,
        )
    }

    fn attribute(&mut self, a: &Value) {
        let t = str_of(a, "type").unwrap_or("(no type)").to_string();
        if a.get("deleted").and_then(Value::as_bool) == Some(true) {
            self.imp.count(format!("{t} (deleted)"), false);
            return;
        }
        let value = str_of(a, "value").unwrap_or("").to_string();
        let target = mapping(&t);
        let label = match target {
            Target::Indicator(i) => format!("{t} → indicator {}", i.as_str()),
            Target::DomainIp => format!("{t} → indicator domain + ip"),
            Target::FileHash => format!("{t} → indicator hash"),
            Target::Artifact(k) => format!("{t} → artifact {}", k.as_str()),
            Target::Source => format!("{t} → source"),
            Target::Attachment => format!("{t} → evidence file"),
            Target::Sample => format!("{t} → zipped evidence file"),
            Target::Claim => format!("{t} → claim"),
            Target::Dropped(_) => format!("{t} → (not mapped)"),
        };
        let kept = match target {
            Target::Indicator(IndicatorType::Url) if !value.contains("://") => {
                // `host[:port][/path]` written without a scheme: its host
                let host = value.split(['/', ':']).next().unwrap_or("");
                let k = self.indicator(IndicatorType::Domain, host, a);
                self.imp.count(
                    format!("{t} without a scheme → indicator domain (its host)"),
                    k,
                );
                if !k {
                    self.unmapped(format!("{t}: a value the case format refuses"));
                }
                return;
            }
            Target::Indicator(i) => {
                let v = match t.as_str() {
                    "ip-src|port" | "ip-dst|port" | "hostname|port" => {
                        value.split('|').next().unwrap_or("").to_string()
                    }
                    _ => value.clone(),
                };
                self.indicator(i, &v, a)
            }
            Target::DomainIp => {
                let (d, ip) = value.split_once('|').unwrap_or((&value, ""));
                let k1 = self.indicator(IndicatorType::Domain, d, a);
                let k2 = ip.is_empty() || self.indicator(IndicatorType::Ip, ip, a);
                k1 && k2
            }
            Target::FileHash => {
                let h = value.split_once('|').map(|x| x.1).unwrap_or("");
                self.indicator(IndicatorType::Hash, h, a)
            }
            Target::Artifact(k) => {
                let v = value.trim();
                if v.is_empty() || !self.seen_other.insert(format!("{}:{v}", k.as_str())) {
                    !v.is_empty()
                } else {
                    self.push(
                        ObservationKind::Artifact {
                            artifact: k,
                            value: truncate(v, 500),
                            sample: None,
                            known_for: None,
                        },
                        Some(format!(
                            "MISP {t} attribute {}",
                            str_of(a, "uuid").unwrap_or("")
                        )),
                    )
                }
            }
            Target::Source => {
                let url = value.trim();
                if url.contains("://") {
                    self.links
                        .push((url.to_string(), str_of(a, "comment").map(String::from)));
                    true
                } else {
                    false
                }
            }
            Target::Attachment | Target::Sample => self.file(a, &t, &value),
            Target::Claim => {
                let target = value.trim();
                if target.is_empty() || self.own_export {
                    if self.own_export {
                        self.unmapped("threat-actor attribute of an event ascribe wrote: its claims are in the comment, not re-read");
                    }
                    false
                } else if !self
                    .seen_other
                    .insert(format!("claim:{}", target.to_lowercase()))
                {
                    true
                } else {
                    self.push(
                        ObservationKind::Claim {
                            claimant: self.org.clone(),
                            claimant_kind: SourceKind::Vendor,
                            target: truncate(target, 200),
                            stance: Stance::Asserts,
                            quote: str_of(a, "comment")
                                .filter(|c| !c.trim().is_empty())
                                .map(|c| truncate(c, 300)),
                        },
                        Some("a threat-actor attribute of the event".into()),
                    )
                }
            }
            Target::Dropped(why) => {
                self.unmapped(format!("{t}: {why}"));
                false
            }
        };
        let own_claim = target == Target::Claim && self.own_export;
        if !(kept || own_claim || matches!(target, Target::Dropped(_))) {
            self.unmapped(format!(
                "{t}: a value the case format refuses (or an empty attachment)"
            ));
        }
        self.imp.count(label, kept);
        for g in arr(a, "Galaxy") {
            for c in arr(g, "GalaxyCluster") {
                self.cluster(c);
            }
        }
        for tag in arr(a, "Tag") {
            if let Some(n) = str_of(tag, "name") {
                self.tag(n, None);
            }
        }
    }

    /// An attachment or a malware sample, written under `attachments/` or
    /// `samples/` (zipped).
    fn file(&mut self, a: &Value, t: &str, value: &str) -> bool {
        let Some(data) = str_of(a, "data") else {
            self.unmapped(format!("{t} without its data (export without attachments)"));
            return false;
        };
        if data.len() > MAX_ATTACHMENT * 4 / 3 + 4 {
            self.unmapped(format!("{t} larger than {MAX_ATTACHMENT} bytes"));
            return false;
        }
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(data.trim()) else {
            self.unmapped(format!("{t} whose data is not base64"));
            return false;
        };
        let name = safe_name(value.split('|').next().unwrap_or(value));
        let n = self.imp.files.len() + 1;
        if t == "malware-sample" {
            let zipped = if bytes.starts_with(b"PK\x03\x04") {
                bytes
            } else {
                match zip_sample(&name, &bytes) {
                    Some(z) => z,
                    None => return false,
                }
            };
            self.imp
                .files
                .push((format!("samples/{n}-{name}.zip"), zipped));
        } else {
            // an attachment with an executable's magic is zipped like a sample
            let exe = bytes.starts_with(b"MZ")
                || bytes.starts_with(b"\x7fELF")
                || bytes.starts_with(&[0xcf, 0xfa, 0xed, 0xfe])
                || bytes.starts_with(&[0xca, 0xfe, 0xba, 0xbe]);
            if exe {
                match zip_sample(&name, &bytes) {
                    Some(z) => self.imp.files.push((format!("samples/{n}-{name}.zip"), z)),
                    None => return false,
                }
            } else {
                self.imp
                    .files
                    .push((format!("attachments/{n}-{name}"), bytes));
            }
        }
        true
    }

    fn tag(&mut self, name: &str, meta: Option<&Value>) {
        if !self.seen_other.insert(format!("tag:{name}")) {
            return;
        }
        let Some(rest) = name.strip_prefix("misp-galaxy:") else {
            let ns = name.split(['=', ':']).next().unwrap_or(name);
            self.imp.count(
                "tag (not a galaxy) → (recorded in the import report)",
                false,
            );
            self.unmapped(format!("tag {ns}…: not a galaxy (recorded here only)"));
            return;
        };
        let (galaxy, value) = rest.split_once('=').unwrap_or((rest, ""));
        let value = value.trim().trim_matches('"').to_string();
        self.galaxy(galaxy, &value, meta);
    }

    fn cluster(&mut self, c: &Value) {
        let meta = c.get("meta");
        match str_of(c, "tag_name") {
            Some(t) => self.tag(t, meta),
            None => {
                let (Some(g), Some(v)) = (str_of(c, "type"), str_of(c, "value")) else {
                    return;
                };
                let key = format!("tag:misp-galaxy:{g}=\"{v}\"");
                if self.seen_other.insert(key) {
                    self.galaxy(g, v, meta);
                }
            }
        }
    }

    fn galaxy(&mut self, galaxy: &str, value: &str, meta: Option<&Value>) {
        let label = format!("galaxy {galaxy}");
        if value.is_empty() {
            self.imp.count(label, false);
            return;
        }
        match galaxy {
            g if g.contains("attack-pattern") || g == "mitre-ics-techniques" => {
                match technique_of(value, meta).or_else(|| self.technique_by_name(value)) {
                    Some(id) => {
                        let kept = self.push(
                            ObservationKind::Technique { id },
                            Some(format!("MISP galaxy {g}: {}", truncate(value, 200))),
                        );
                        self.imp.count(format!("{label} → technique"), kept);
                    }
                    None => {
                        self.imp.count(format!("{label} → technique"), false);
                        self.unmapped(format!("{g} cluster without a technique id"));
                    }
                }
            }
            "threat-actor"
            | "eset-threat-actor"
            | "mitre-intrusion-set"
            | "mitre-enterprise-attack-intrusion-set"
            | "microsoft-activity-group"
                if self.own_export =>
            {
                self.imp.count(format!("{label} → claim"), false);
                self.unmapped("ascribe's own verdict (threat-actor cluster of an event ascribe wrote): never read back as evidence");
            }
            "threat-actor"
            | "eset-threat-actor"
            | "mitre-intrusion-set"
            | "mitre-enterprise-attack-intrusion-set"
            | "microsoft-activity-group" => {
                // `APT28 - G0007`: the ATT&CK id
                let target = match value.rsplit_once(" - ") {
                    Some((_, g))
                        if g.starts_with('G') && g[1..].chars().all(|c| c.is_ascii_digit()) =>
                    {
                        g.to_string()
                    }
                    _ => value.to_string(),
                };
                self.seen_other
                    .insert(format!("claim:{}", target.to_lowercase()));
                let kept = self.push(
                    ObservationKind::Claim {
                        claimant: self.org.clone(),
                        claimant_kind: SourceKind::Vendor,
                        target: truncate(&target, 200),
                        stance: Stance::Asserts,
                        quote: Some(format!("tagged misp-galaxy:{galaxy}=\"{value}\"")),
                    },
                    Some("the event's publisher attributes it with a galaxy tag".into()),
                );
                self.imp.count(format!("{label} → claim"), kept);
            }
            g if g.contains("malware")
                || g.contains("tool")
                || matches!(
                    g,
                    "malpedia"
                        | "ransomware"
                        | "rat"
                        | "backdoor"
                        | "botnet"
                        | "banker"
                        | "stealer"
                        | "android"
                        | "exploit-kit"
                ) =>
            {
                let name = match value.rsplit_once(" - ") {
                    Some((_, s))
                        if s.starts_with('S') && s[1..].chars().all(|c| c.is_ascii_digit()) =>
                    {
                        s.to_string()
                    }
                    _ => value.to_string(),
                };
                let kept = self.push(
                    ObservationKind::Software {
                        name: truncate(&name, 200),
                        leaked: false,
                    },
                    Some(format!("MISP galaxy {g}: {}", truncate(value, 200))),
                );
                self.imp.count(format!("{label} → software"), kept);
            }
            g => {
                self.imp.count(label, false);
                self.unmapped(format!("galaxy {g}: no case table"));
            }
        }
    }
}

/// A file inside a zip encrypted (AES-256) with the conventional password
/// `infected`, never written bare.
fn zip_sample(name: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .unix_permissions(0o644)
            .with_aes_encryption(zip::AesMode::Aes256, "infected");
        z.start_file(name, opts).ok()?;
        z.write_all(bytes).ok()?;
        z.finish().ok()?;
    }
    Some(buf.into_inner())
}

/// Import a MISP event.
pub fn from_misp(bytes: &[u8], origin: &str) -> Result<ImportedCase, InteropError> {
    from_misp_with(bytes, origin, None)
}

/// Import a MISP event; with a knowledge base, ATT&CK galaxy clusters
/// written by name only (`"Pass the Hash"`) get the id of the one technique
/// of that name (sub-techniques are named `Parent: Name` in the knowledge
/// base, so a bare name is a technique).
pub fn from_misp_with(
    bytes: &[u8],
    origin: &str,
    kb: Option<&ascribe_kb::KnowledgeBase>,
) -> Result<ImportedCase, InteropError> {
    let doc = read_json(bytes, origin)?;
    let ev = event_of(&doc).ok_or_else(|| InteropError::Invalid {
        what: origin.into(),
        message: "not a MISP event: no \"Event\", \"response\" or event fields (info, Attribute)"
            .into(),
    })?;
    if !ev.is_object() {
        return Err(InteropError::Invalid {
            what: origin.into(),
            message: "the MISP event is not a JSON object".into(),
        });
    }
    let info = str_of(ev, "info")
        .map(|s| truncate(s.trim(), 300))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("MISP event from {origin}"));
    let uuid = str_of(ev, "uuid").unwrap_or("");
    let org = ev
        .get("Orgc")
        .and_then(|o| str_of(o, "name"))
        .or_else(|| ev.get("Org").and_then(|o| str_of(o, "name")))
        .map(|s| truncate(s, 100));
    let date = str_of(ev, "date")
        .and_then(|d| d.get(..10))
        .filter(|d| {
            crate::unix_seconds(d).is_some() && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-'
        })
        .map(String::from);
    let src = Source {
        id: "misp-event".into(),
        title: format!(
            "{info} (MISP event{}{})",
            if uuid.is_empty() {
                String::new()
            } else {
                format!(" {uuid}")
            },
            org.as_ref().map(|o| format!(" by {o}")).unwrap_or_default()
        ),
        url: None,
        date: date.clone(),
        kind: SourceKind::Vendor,
        file: None,
    };
    let mut ctx = Ctx {
        imp: ImportedCase::default(),
        src: src.clone(),
        seen: BTreeSet::new(),
        seen_other: BTreeSet::new(),
        not_mapped: BTreeMap::new(),
        capped: 0,
        links: Vec::new(),
        org: org
            .clone()
            .unwrap_or_else(|| "the event's publisher".into()),
        names: BTreeMap::new(),
        own_export: org.as_deref() == Some("ascribe"),
    };
    if let Some(kb) = kb {
        for t in &kb.techniques {
            let e = ctx.names.entry(t.name.to_lowercase()).or_insert(None);
            // a name shared by two techniques resolves to neither
            *e = match e {
                None if !ctx
                    .seen_other
                    .contains(&format!("name:{}", t.name.to_lowercase())) =>
                {
                    Some(t.attack_id.clone())
                }
                _ => None,
            };
            ctx.seen_other
                .insert(format!("name:{}", t.name.to_lowercase()));
        }
    }
    ctx.imp.case = Case {
        name: info.clone(),
        summary: Some(format!(
            "Imported from MISP event {} by {}, dated {}",
            if uuid.is_empty() { "(no uuid)" } else { uuid },
            org.clone()
                .unwrap_or_else(|| "an unnamed organisation".into()),
            date.clone().unwrap_or_else(|| "(no date)".into())
        )),
        date: date.clone(),
        ..Default::default()
    };
    // clusters first: they carry the meta (ATT&CK ids) their tags lack
    for g in arr(ev, "Galaxy") {
        for c in arr(g, "GalaxyCluster") {
            ctx.cluster(c);
        }
    }
    for t in arr(ev, "Tag") {
        if let Some(n) = str_of(t, "name") {
            ctx.tag(n, None);
        }
    }
    for a in arr(ev, "Attribute") {
        ctx.attribute(a);
    }
    for o in arr(ev, "Object") {
        for a in arr(o, "Attribute") {
            ctx.attribute(a);
        }
    }
    for (i, r) in arr(ev, "EventReport").enumerate() {
        if r.get("deleted").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let content = str_of(r, "content").unwrap_or("");
        if content.trim().is_empty() {
            ctx.imp.count("event report → report file", false);
            continue;
        }
        let name = safe_name(str_of(r, "name").unwrap_or("report"));
        let path = format!("reports/{}-{name}.md", i + 1);
        ctx.imp.files.push((path, content.as_bytes().to_vec()));
        ctx.imp.count("event report → report file", true);
    }
    // sources: the event, then its links
    let mut sources = vec![src];
    for (i, (url, comment)) in ctx.links.iter().enumerate() {
        sources.push(Source {
            id: format!("misp-link-{}", i + 1),
            title: comment
                .as_deref()
                .filter(|c| !c.trim().is_empty())
                .map(|c| truncate(c, 300))
                .unwrap_or_else(|| url.clone()),
            url: Some(url.clone()),
            date: None,
            kind: SourceKind::Other,
            file: None,
        });
    }
    // a report file is a source of its own
    for (p, _) in &ctx.imp.files {
        if p.starts_with("reports/") {
            sources.push(Source {
                id: format!("misp-report-{}", sources.len()),
                title: format!("MISP event report {p}"),
                url: None,
                date: date.clone(),
                kind: SourceKind::Vendor,
                file: Some(p.clone()),
            });
        }
    }
    ctx.imp.case.sources = sources;
    if ctx.capped > 0 {
        let m = format!(
            "item(s) beyond the case limit of {MAX_ITEMS}: dropped ({})",
            ctx.capped
        );
        ctx.unmapped(m);
    }
    let mut imp = std::mem::take(&mut ctx.imp);
    imp.sanitize();
    for (why, n) in ctx.not_mapped {
        imp.unmapped.push(format!("{why} ×{n}"));
    }
    Ok(imp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn technique_ids_from_galaxy_values() {
        assert_eq!(
            technique_of("Spearphishing Attachment - T1193", None).as_deref(),
            Some("T1193")
        );
        assert_eq!(
            technique_of("PowerShell - T1059.001", None).as_deref(),
            Some("T1059.001")
        );
        let meta = serde_json::json!({"external_id": ["T1027"]});
        assert_eq!(
            technique_of("Obfuscation", Some(&meta)).as_deref(),
            Some("T1027")
        );
        assert_eq!(technique_of("nothing", None), None);
    }

    #[test]
    fn a_small_event_maps_and_drops() {
        let ev = serde_json::json!({"Event": {
        "info": "test event", "uuid": "u-1", "date": "2020-01-02",
        "Orgc": {"name": "Vendor X"},
        "Tag": [{"name": "misp-galaxy:threat-actor=\"Sofacy\""},
                {"name": "misp-galaxy:mitre-attack-pattern=\"PowerShell - T1059.001\""},
                {"name": "tlp:white"}],
        "Attribute": [
            {"type": "ip-dst", "value": "203.0.113.5", "category": "Network activity"},
            {"type": "domain|ip", "value": "evil.example|198.51.100.7"},
            {"type": "sha1", "value": "not-a-hash"},
            {"type": "regkey", "value": "HKCU\\x"},
            {"type": "malware-sample", "value": "a.exe|d41d8cd98f00b204e9800998ecf8427e",
             "data": base64::engine::general_purpose::STANDARD.encode(b"MZ\x90\x00fake")}
        ]}});
        let imp = from_misp(ev.to_string().as_bytes(), "t.json").unwrap();
        let kinds: Vec<&str> = imp
            .case
            .observations
            .iter()
            .map(|o| o.kind.kind_name())
            .collect();
        assert_eq!(kinds.iter().filter(|k| **k == "indicator").count(), 3);
        assert!(kinds.contains(&"technique") && kinds.contains(&"claim"));
        assert_eq!(imp.counts["sha1 → indicator hash"].dropped, 1);
        assert_eq!(imp.counts["regkey → (not mapped)"].dropped, 1);
        // the sample is zipped, never bare
        assert_eq!(imp.files.len(), 1);
        assert!(imp.files[0].0.ends_with(".zip"));
        assert!(imp.files[0].1.starts_with(b"PK\x03\x04"));
        let text = imp.case_toml().unwrap();
        assert!(text.contains("Vendor X"));
    }

    #[test]
    fn an_event_ascribe_wrote_gives_back_no_verdict() {
        let ev = serde_json::json!({"Event": {
            "info": "ascribe assessment: x", "Orgc": {"name": "ascribe"},
            "Tag": [{"name": "misp-galaxy:threat-actor=\"Lazarus Group\""}],
            "Attribute": [{"type": "threat-actor", "value": "North Korea"},
                          {"type": "ip-dst", "value": "203.0.113.5"}]}});
        let imp = from_misp(ev.to_string().as_bytes(), "own.json").unwrap();
        assert!(imp
            .case
            .observations
            .iter()
            .all(|o| o.kind.kind_name() != "claim"));
        assert_eq!(imp.case.observations.len(), 1);
        // a foreign event's threat-actor attribute is its publisher's claim
        let ev = serde_json::json!({"Event": {"info": "x", "Orgc": {"name": "CERT-X"},
            "Attribute": [{"type": "threat-actor", "value": "APT28"}]}});
        let imp = from_misp(ev.to_string().as_bytes(), "x.json").unwrap();
        assert!(matches!(&imp.case.observations[0].kind,
            ObservationKind::Claim { claimant, target, .. } if claimant == "CERT-X" && target == "APT28"));
    }

    #[test]
    fn broken_inputs_are_errors_not_panics() {
        assert!(from_misp(b"{\"Event\": ", "x").is_err());
        assert!(from_misp(b"{\"duvelDetails\": {}}", "x").is_err());
        assert!(from_misp(b"{\"response\": []}", "x").is_err());
        assert!(from_misp(b"{\"Event\": 3}", "x").is_err());
    }
}
