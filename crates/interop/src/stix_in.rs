//! STIX 2.1 bundle → case (`ascribe case from-stix`).
//!
//! What becomes an observation: indicators (their STIX patterns' equality
//! comparisons on addresses, domains, URLs, e-mail addresses, file hashes and
//! wallets), the same observables as SCOs, `attack-pattern`s with an ATT&CK
//! id, `malware` and `tool`, and `attributed-to` relationships from the
//! campaign or incident to an intrusion set or threat actor, as claims whose
//! claimant is the relationship's `created_by_ref` identity. Objects an
//! actor's profile `uses` (an intrusion set's techniques) are knowledge, not
//! case evidence, and are listed as not mapped. A bundle ascribe exported
//! itself is recognised by its property extension: the case header and
//! every observation are restored exactly, and ascribe's own verdict is not
//! read back as evidence.

use crate::casewrite::ImportedCase;
use crate::stix_out::{ascribe_identity, extension_id};
use crate::{read_json, InteropError};
use ascribe_core::{
    Case, DeclaredHypothesis, IndicatorType, Observation, ObservationKind, Source, SourceKind,
    Stance, Victim,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Most observations written to one case (the case format's limit).
pub const MAX_ITEMS: usize = ascribe_case::MAX_CASE_ITEMS;

fn str_of<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The indicator comparisons of a STIX pattern: `(object path, value)` for
/// every `path = 'literal'` (other operators are not equality and are skipped).
pub fn pattern_comparisons(pattern: &str) -> Vec<(String, String)> {
    let b: Vec<char> = pattern.chars().take(1 << 20).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != '\'' {
            i += 1;
            continue;
        }
        // a literal from i+1 to the closing quote
        let start = i;
        let mut j = i + 1;
        let mut lit = String::new();
        while j < b.len() {
            match b[j] {
                '\\' if j + 1 < b.len() => {
                    lit.push(b[j + 1]);
                    j += 2;
                }
                '\'' => break,
                c => {
                    lit.push(c);
                    j += 1;
                }
            }
        }
        // what precedes the literal: `path =`
        let mut k = start;
        while k > 0 && b[k - 1].is_whitespace() {
            k -= 1;
        }
        if k > 0 && b[k - 1] == '=' && !(k > 1 && matches!(b[k - 2], '!' | '<' | '>')) {
            let mut e = k - 1;
            while e > 0 && b[e - 1].is_whitespace() {
                e -= 1;
            }
            let mut s = e;
            while s > 0 && !b[s - 1].is_whitespace() && b[s - 1] != '[' && b[s - 1] != '(' {
                s -= 1;
            }
            let path: String = b[s..e].iter().collect();
            out.push((path, lit));
        }
        i = j + 1;
    }
    out
}

/// The case indicator type of a pattern path or SCO type, if any.
fn indicator_type(path: &str) -> Option<IndicatorType> {
    let p = path.to_ascii_lowercase();
    let obj = p.split(':').next().unwrap_or("");
    Some(match obj {
        "ipv4-addr" | "ipv6-addr" => IndicatorType::Ip,
        "domain-name" => IndicatorType::Domain,
        "url" => IndicatorType::Url,
        "email-addr" => IndicatorType::Email,
        "email-message" if p.contains("from_ref") => IndicatorType::Email,
        "network-traffic" if p.contains("dst_ref") || p.contains("src_ref") => IndicatorType::Ip,
        "file" if p.contains("hashes") => IndicatorType::Hash,
        "cryptocurrency-wallet" => IndicatorType::Wallet,
        _ => return None,
    })
}

struct Ctx {
    imp: ImportedCase,
    sources: Vec<Source>,
    identity_source: HashMap<String, String>,
    bundle_source: String,
    seen: BTreeSet<(&'static str, String)>,
    not_mapped: BTreeMap<String, usize>,
    capped: usize,
}

impl Ctx {
    fn unmapped(&mut self, why: impl Into<String>) {
        *self.not_mapped.entry(why.into()).or_default() += 1;
    }

    fn source_of(&self, o: &Value) -> Source {
        let id = str_of(o, "created_by_ref")
            .and_then(|c| self.identity_source.get(c))
            .unwrap_or(&self.bundle_source);
        self.sources
            .iter()
            .find(|s| &s.id == id)
            .cloned()
            .unwrap_or_else(|| self.sources[0].clone())
    }

    fn push(&mut self, kind: ObservationKind, src: Source, note: Option<String>) -> bool {
        if self.imp.case.observations.len() >= MAX_ITEMS {
            self.capped += 1;
            return false;
        }
        let n = self.imp.case.observations.len() + 1;
        let mut o = Observation::new(format!("stix-{n}"), kind, src);
        o.note = note;
        self.imp.case.observations.push(o);
        true
    }

    fn indicator(&mut self, mapping: &str, t: IndicatorType, value: &str, o: &Value) {
        let mut v = value.trim().to_string();
        if t == IndicatorType::Hash || t == IndicatorType::Domain || t == IndicatorType::Email {
            v = v.to_ascii_lowercase();
        }
        let ok = ascribe_case::valid_indicator(t, &v).is_ok();
        if !ok {
            self.imp.count(mapping, false);
            self.unmapped(format!("{mapping}: value the case format refuses"));
            return;
        }
        if !self.seen.insert((t.as_str(), v.clone())) {
            self.imp.count(mapping, true);
            return;
        }
        let date = |k: &str| str_of(o, k).and_then(|d| d.get(..10)).map(String::from);
        let kind = ObservationKind::Indicator {
            indicator: t,
            value: v,
            role: None,
            first_seen: date("valid_from"),
            last_seen: date("valid_until"),
            country: None,
            overlaps: None,
        };
        let src = self.source_of(o);
        let note = str_of(o, "name").map(|n| {
            format!(
                "STIX {}: {}",
                str_of(o, "type").unwrap_or(""),
                truncate(n, 200)
            )
        });
        let kept = self.push(kind, src, note);
        self.imp.count(mapping, kept);
    }
}

fn source_kind_of_identity(idn: &Value) -> SourceKind {
    let sectors: Vec<String> = idn
        .get("sectors")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_ascii_lowercase)
                .collect()
        })
        .unwrap_or_default();
    if sectors.iter().any(|s| s.starts_with("government")) {
        return SourceKind::Government;
    }
    match str_of(idn, "identity_class").unwrap_or("") {
        "organization" => SourceKind::Vendor,
        "individual" => SourceKind::Researcher,
        "group" => SourceKind::Actor,
        "system" => SourceKind::Analysis,
        _ => SourceKind::Other,
    }
}

fn slug(s: &str) -> String {
    let mut o: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(48)
        .collect();
    while o.contains("--") {
        o = o.replace("--", "-");
    }
    o.trim_matches('-').to_string()
}

fn valid_date(d: &str) -> Option<String> {
    let d = d.get(..10)?;
    crate::unix_seconds(d)?;
    let ok = d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-';
    ok.then(|| d.to_string())
}

/// Import a STIX 2.x bundle.
pub fn from_stix(bytes: &[u8], origin: &str) -> Result<ImportedCase, InteropError> {
    let doc = read_json(bytes, origin)?;
    let invalid = |m: &str| InteropError::Invalid {
        what: origin.into(),
        message: m.into(),
    };
    if str_of(&doc, "type") != Some("bundle") {
        return Err(invalid("not a STIX bundle (no \"type\": \"bundle\")"));
    }
    let objects: Vec<&Value> = doc
        .get("objects")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("the bundle has no \"objects\" array"))?
        .iter()
        .filter(|o| o.is_object())
        .collect();
    let bundle_id = str_of(&doc, "id").unwrap_or("bundle");
    let by_id: HashMap<&str, &Value> = objects
        .iter()
        .filter_map(|o| str_of(o, "id").map(|i| (i, *o)))
        .collect();
    let ext_key = extension_id();
    let me = ascribe_identity();
    let ext_of = |o: &Value| -> Option<Value> { o.get("extensions")?.get(&ext_key).cloned() };

    // the document's own report / incident / campaign (not ascribe's)
    let container = objects
        .iter()
        .filter(|o| str_of(o, "created_by_ref") != Some(me.as_str()))
        .find(|o| matches!(str_of(o, "type"), Some("report" | "incident" | "grouping")))
        .or_else(|| {
            objects
                .iter()
                .find(|o| str_of(o, "type") == Some("campaign") && ext_of(o).is_none())
        })
        .copied();

    let mut ctx = Ctx {
        imp: ImportedCase::default(),
        sources: Vec::new(),
        identity_source: HashMap::new(),
        bundle_source: "stix-bundle".into(),
        seen: BTreeSet::new(),
        not_mapped: BTreeMap::new(),
        capped: 0,
    };
    let title = container
        .and_then(|c| str_of(c, "name"))
        .map(|n| truncate(n, 300))
        .unwrap_or_else(|| format!("STIX bundle {bundle_id}"));
    ctx.sources.push(Source {
        id: "stix-bundle".into(),
        title: format!("{title} ({origin})"),
        url: None,
        date: container
            .and_then(|c| str_of(c, "published").or(str_of(c, "created")))
            .and_then(valid_date),
        kind: SourceKind::Other,
        file: None,
    });
    // identities become sources (claimants and authors)
    for o in objects
        .iter()
        .filter(|o| str_of(o, "type") == Some("identity"))
    {
        let (Some(id), Some(name)) = (str_of(o, "id"), str_of(o, "name")) else {
            continue;
        };
        if id == me {
            continue;
        }
        let sid = format!("stix-{}", slug(name));
        let sid = if sid == "stix-" || ctx.sources.iter().any(|s| s.id == sid) {
            format!("stix-identity-{}", ctx.sources.len())
        } else {
            sid
        };
        ctx.sources.push(Source {
            id: sid.clone(),
            title: truncate(name, 300),
            url: None,
            date: None,
            kind: source_kind_of_identity(o),
            file: None,
        });
        ctx.identity_source.insert(id.to_string(), sid);
        ctx.imp.count("identity → source", true);
    }
    // every external reference with a URL is kept as a source
    let mut urls = BTreeSet::new();
    for o in &objects {
        for r in o
            .get("external_references")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(url) = str_of(r, "url") else {
                continue;
            };
            if str_of(r, "source_name") == Some("mitre-attack") || !urls.insert(url.to_string()) {
                continue;
            }
            if ctx.sources.len() >= 5000 {
                ctx.unmapped("external reference beyond the 5,000th: not kept as a source");
                continue;
            }
            ctx.sources.push(Source {
                id: format!("stix-ref-{}", urls.len()),
                title: truncate(
                    str_of(r, "description")
                        .or(str_of(r, "source_name"))
                        .unwrap_or(url),
                    300,
                ),
                url: Some(url.to_string()),
                date: None,
                kind: SourceKind::Other,
                file: None,
            });
            ctx.imp.count("external reference → source", true);
        }
    }

    // an ascribe export: restore the case header and the observations
    let mut restored: Vec<(i64, Observation)> = Vec::new();
    let mut consumed: BTreeSet<String> = BTreeSet::new();
    let mut header: Option<Value> = None;
    for o in &objects {
        let Some(e) = ext_of(o) else { continue };
        let id = str_of(o, "id").unwrap_or("").to_string();
        if let Some(h) = e.get("case") {
            header = Some(h.clone());
            consumed.insert(id.clone());
        }
        if let Some(ob) = e.get("observation") {
            match serde_json::from_value::<crate::stix_out::ObsWire>(ob.clone()) {
                Ok(w) => {
                    let obs = Observation::from(w);
                    let order = e.get("order").and_then(Value::as_i64).unwrap_or(i64::MAX);
                    restored.push((order, obs));
                    consumed.insert(id.clone());
                    // the objects this one stands on
                    for k in ["target_ref", "source_ref", "created_by_ref"] {
                        if let Some(r) = str_of(o, k) {
                            consumed.insert(r.to_string());
                        }
                    }
                }
                Err(e) => ctx.unmapped(format!(
                    "ascribe observation extension that does not read ({e})"
                )),
            }
        }
        if e.get("hypothesis").is_some() || e.get("verdict").is_some() {
            consumed.insert(id);
            ctx.unmapped("ascribe's own hypothesis or verdict: never read back as evidence");
        }
    }
    let ascribe_export = header.is_some() || !restored.is_empty();
    if ascribe_export {
        // based-on observables of restored indicators, and ascribe's own objects
        for o in &objects {
            let id = str_of(o, "id").unwrap_or("");
            if str_of(o, "created_by_ref") == Some(me.as_str()) || id == me {
                if str_of(o, "relationship_type") == Some("based-on") {
                    if let Some(t) = str_of(o, "target_ref") {
                        consumed.insert(t.to_string());
                    }
                }
                consumed.insert(id.to_string());
            }
        }
    }
    restored.sort_by_key(|(k, _)| *k);
    for (_, obs) in restored {
        if ctx.imp.case.observations.len() >= MAX_ITEMS {
            ctx.capped += 1;
            continue;
        }
        ctx.imp.count(
            format!("ascribe observation ({}) → case", obs.kind.kind_name()),
            true,
        );
        if !ctx.sources.iter().any(|s| s.id == obs.source.id) {
            ctx.sources.push(obs.source.clone());
        }
        ctx.imp.case.observations.push(obs);
    }

    // the case scope: what the container refers to, and what campaigns and
    // incidents use; objects only an actor uses are its profile
    let mut scope: BTreeSet<&str> = BTreeSet::new();
    if let Some(c) = container {
        for r in c
            .get("object_refs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            scope.insert(r);
        }
    }
    let mut profile: BTreeSet<&str> = BTreeSet::new();
    for o in &objects {
        if str_of(o, "type") != Some("relationship")
            || str_of(o, "relationship_type") != Some("uses")
        {
            continue;
        }
        let (Some(s), Some(t)) = (str_of(o, "source_ref"), str_of(o, "target_ref")) else {
            continue;
        };
        let st = s.split("--").next().unwrap_or("");
        if matches!(st, "intrusion-set" | "threat-actor") {
            profile.insert(t);
        } else {
            scope.insert(t);
        }
    }
    let in_case = |id: &str| scope.contains(id) || !profile.contains(id);

    for o in &objects {
        let id = str_of(o, "id").unwrap_or("");
        if consumed.contains(id) {
            continue;
        }
        let typ = str_of(o, "type").unwrap_or("(no type)");
        match typ {
            "indicator" => {
                let pattern = str_of(o, "pattern").unwrap_or("");
                if str_of(o, "pattern_type").is_some_and(|t| t != "stix") {
                    ctx.imp.count("indicator (non-STIX pattern)", false);
                    ctx.unmapped(format!(
                        "indicator with a {} pattern: not read",
                        str_of(o, "pattern_type").unwrap_or("")
                    ));
                    continue;
                }
                let comps = pattern_comparisons(pattern);
                if comps.is_empty() {
                    ctx.imp.count("indicator (no equality comparison)", false);
                    ctx.unmapped("indicator whose pattern has no equality comparison");
                }
                for (path, value) in comps {
                    let obj = path.split(':').next().unwrap_or("").to_string();
                    match indicator_type(&path) {
                        Some(t) => ctx.indicator(
                            &format!("indicator [{obj}] → indicator {}", t.as_str()),
                            t,
                            &value,
                            o,
                        ),
                        None => {
                            ctx.imp.count(format!("indicator [{obj}]"), false);
                            ctx.unmapped(format!(
                                "indicator comparison on {path}: no case indicator type"
                            ));
                        }
                    }
                }
            }
            "ipv4-addr"
            | "ipv6-addr"
            | "domain-name"
            | "url"
            | "email-addr"
            | "cryptocurrency-wallet" => {
                let t = indicator_type(typ).unwrap_or(IndicatorType::Domain);
                match str_of(o, "value") {
                    Some(v) => ctx.indicator(&format!("{typ} → indicator {}", t.as_str()), t, v, o),
                    None => ctx.imp.count(format!("{typ} → indicator"), false),
                }
            }
            "file" => {
                let hashes = o.get("hashes");
                let pick = [
                    "SHA-256", "SHA256", "sha256", "SHA-1", "SHA1", "sha1", "MD5", "md5",
                ]
                .iter()
                .find_map(|k| hashes.and_then(|h| str_of(h, k)));
                match pick {
                    Some(h) => ctx.indicator("file → indicator hash", IndicatorType::Hash, h, o),
                    None => {
                        ctx.imp.count("file → indicator hash", false);
                        ctx.unmapped("file observable without an MD5, SHA-1 or SHA-256 hash");
                    }
                }
            }
            "attack-pattern" => {
                if !in_case(id) {
                    ctx.imp.count("attack-pattern → technique", false);
                    ctx.unmapped("attack-pattern used only by an intrusion set or threat actor (its profile, not this case)");
                    continue;
                }
                let tid = o
                    .get("external_references")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter(|r| str_of(r, "source_name").is_some_and(|s| s.starts_with("mitre")))
                    .find_map(|r| str_of(r, "external_id"))
                    .or(str_of(o, "x_mitre_id"))
                    .map(str::to_ascii_uppercase);
                match tid.filter(|t| is_technique_id(t)) {
                    Some(t) => {
                        let src = ctx.source_of(o);
                        let note = str_of(o, "name").map(|n| truncate(n, 200));
                        let kept = ctx.push(ObservationKind::Technique { id: t }, src, note);
                        ctx.imp.count("attack-pattern → technique", kept);
                    }
                    None => {
                        ctx.imp.count("attack-pattern → technique", false);
                        ctx.unmapped("attack-pattern without an ATT&CK technique id");
                    }
                }
            }
            "malware" | "tool" => {
                if !in_case(id) {
                    ctx.imp.count(format!("{typ} → software"), false);
                    ctx.unmapped(format!("{typ} used only by an intrusion set or threat actor (its profile, not this case)"));
                    continue;
                }
                let sid = o
                    .get("external_references")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter(|r| str_of(r, "source_name") == Some("mitre-attack"))
                    .find_map(|r| str_of(r, "external_id"));
                match sid.or(str_of(o, "name")).filter(|n| !n.trim().is_empty()) {
                    Some(n) => {
                        let src = ctx.source_of(o);
                        let note = sid.and(str_of(o, "name")).map(|n| truncate(n, 200));
                        let kept = ctx.push(
                            ObservationKind::Software {
                                name: truncate(n.trim(), 200),
                                leaked: false,
                            },
                            src,
                            note,
                        );
                        ctx.imp.count(format!("{typ} → software"), kept);
                    }
                    None => ctx.imp.count(format!("{typ} → software"), false),
                }
            }
            "relationship" if str_of(o, "relationship_type") == Some("attributed-to") => {
                let from = str_of(o, "source_ref").unwrap_or("");
                let to = str_of(o, "target_ref").unwrap_or("");
                let ft = from.split("--").next().unwrap_or("");
                let target = by_id.get(to).and_then(|t| str_of(t, "name"));
                if !matches!(ft, "campaign" | "incident" | "report") {
                    ctx.imp.count("attributed-to → claim", false);
                    ctx.unmapped(format!("attributed-to from a {ft} (knowledge about an actor, not a claim about this case)"));
                    continue;
                }
                let Some(target) = target else {
                    ctx.imp.count("attributed-to → claim", false);
                    ctx.unmapped("attributed-to whose target is not in the bundle");
                    continue;
                };
                let src = ctx.source_of(o);
                let claimant_idn = str_of(o, "created_by_ref").and_then(|c| by_id.get(c));
                let claimant = claimant_idn
                    .and_then(|i| str_of(i, "name"))
                    .map(|n| truncate(n, 200))
                    .unwrap_or_else(|| format!("the bundle's author ({origin})"));
                let claimant_kind = claimant_idn
                    .map(|i| source_kind_of_identity(i))
                    .unwrap_or(SourceKind::Other);
                let stance = match o.get("confidence").and_then(Value::as_u64) {
                    Some(c) if c < 50 => Stance::Suspects,
                    _ => Stance::Asserts,
                };
                let kept = ctx.push(
                    ObservationKind::Claim {
                        claimant,
                        claimant_kind,
                        target: truncate(target, 200),
                        stance,
                        quote: str_of(o, "description").map(|d| truncate(d, 300)),
                    },
                    src,
                    o.get("confidence")
                        .and_then(Value::as_u64)
                        .map(|c| format!("STIX confidence {c}")),
                );
                ctx.imp.count("attributed-to → claim", kept);
            }
            "relationship" => {
                let rt = str_of(o, "relationship_type").unwrap_or("");
                if rt != "uses" && rt != "based-on" && rt != "indicates" {
                    ctx.unmapped(format!("relationship {rt}"));
                }
            }
            "report"
            | "incident"
            | "campaign"
            | "grouping"
            | "identity"
            | "marking-definition"
            | "extension-definition" => {}
            other => {
                ctx.imp.count(format!("{other} (no case table)"), false);
                ctx.unmapped(format!("{other} object: no case table"));
            }
        }
    }

    // the case header
    let mut case = Case::default();
    if let Some(h) = &header {
        case.name = str_of(h, "name").unwrap_or("").to_string();
        case.summary = str_of(h, "summary").map(String::from);
        case.date = str_of(h, "date").map(String::from);
        case.as_of = str_of(h, "as_of").map(String::from);
        case.victim = h
            .get("victim")
            .and_then(|v| serde_json::from_value::<Victim>(v.clone()).ok())
            .unwrap_or_default();
        case.exclude_citations = h
            .get("exclude_citations")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        case.hypotheses = h
            .get("hypotheses")
            .and_then(|v| serde_json::from_value::<Vec<DeclaredHypothesis>>(v.clone()).ok())
            .unwrap_or_default();
        let srcs: Vec<Source> = h
            .get("sources")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        for s in srcs.into_iter().rev() {
            if !ctx.sources.iter().any(|x| x.id == s.id) {
                ctx.sources.insert(0, s);
            }
        }
    }
    if case.name.trim().is_empty() {
        case.name = title.clone();
        case.summary = container
            .and_then(|c| str_of(c, "description"))
            .map(|d| truncate(d, 2000));
        case.date = container
            .and_then(|c| {
                str_of(c, "first_seen")
                    .or(str_of(c, "published"))
                    .or(str_of(c, "created"))
            })
            .and_then(valid_date);
    }
    // declared hypotheses must keep their evidence; drop evidence for undeclared ones
    let declared: BTreeSet<String> = case.hypotheses.iter().map(|h| h.id.clone()).collect();
    let mut obs = std::mem::take(&mut ctx.imp.case.observations);
    obs.retain(|o| match &o.kind {
        ObservationKind::DeclaredEvidence { hypothesis, .. } => declared.contains(hypothesis),
        _ => true,
    });
    for (i, o) in obs.iter_mut().enumerate() {
        o.id = format!("stix-{}", i + 1);
    }
    // only the sources something refers to, plus the document and its references
    case.sources = std::mem::take(&mut ctx.sources);
    case.observations = obs;
    if ctx.capped > 0 {
        let m = format!(
            "item(s) beyond the case limit of {MAX_ITEMS}: dropped ({})",
            ctx.capped
        );
        ctx.unmapped(m);
    }
    let mut imp = std::mem::take(&mut ctx.imp);
    imp.case = case;
    imp.sanitize();
    for (why, n) in ctx.not_mapped {
        imp.unmapped.push(format!("{why} ×{n}"));
    }
    Ok(imp)
}

/// `T1234` or `T1234.123`.
pub fn is_technique_id(s: &str) -> bool {
    let b = s.as_bytes();
    let main = b.len() >= 5 && b[0] == b'T' && b[1..5].iter().all(u8::is_ascii_digit);
    main && (b.len() == 5
        || (b.len() == 9 && b[5] == b'.' && b[6..9].iter().all(u8::is_ascii_digit)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        let p = "[ipv4-addr:value = '1.2.3.4' OR file:hashes.'SHA-256' = 'ab\\'c'] AND [domain-name:value != 'x.com']";
        let c = pattern_comparisons(p);
        assert_eq!(
            c,
            vec![
                ("ipv4-addr:value".to_string(), "1.2.3.4".to_string()),
                ("file:hashes.'SHA-256'".to_string(), "ab'c".to_string())
            ]
        );
        assert_eq!(indicator_type(&c[1].0), Some(IndicatorType::Hash));
        assert!(pattern_comparisons("'''").is_empty());
    }

    #[test]
    fn refuses_what_is_not_a_bundle() {
        assert!(from_stix(b"{\"type\": \"report\"}", "x").is_err());
        assert!(from_stix(b"[1,2]", "x").is_err());
        assert!(from_stix(b"{\"type\": \"bundle\", \"objects\": 3}", "x").is_err());
    }
}
