//! STIX 2.0 and 2.1 bundles.
//!
//! Mapped: `indicator` patterns of type `stix` (see [`crate::pattern`]),
//! with `valid_from`/`valid_until`, `confidence` and the first
//! indicator type as the role; `observed-data` (2.0 embedded `objects`, 2.1
//! `object_refs`) with `first_observed`/`last_observed`; top-level SCOs
//! (`ipv4-addr`, `ipv6-addr`, `domain-name`, `url`, `email-addr`, `file`
//! and `artifact` hashes, `x509-certificate` hashes); SCOs an
//! `infrastructure` object `consists-of`. Actors: the names of
//! `intrusion-set` and `threat-actor` objects reached from the record's
//! object by `indicates`, `attributed-to` or `uses` (an indicator
//! `indicates` an actor, or `indicates` malware/tool/infrastructure/campaign
//! that is `attributed-to` an actor or that an actor `uses`: at most two
//! hops). A `report` containing the object gives the event id, title and
//! date. Dropped: other SCO types, non-`stix` pattern types, comparisons
//! on other paths or with other operators (counted).

use crate::import::{date_of, Builder, Ctx, Format, ImportError, ImportOptions, ImportedSource};
use crate::pattern;
use ascribe_core::IntelKind;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

fn is_actor(t: &str) -> bool {
    t == "intrusion-set" || t == "threat-actor"
}

/// The kind a pattern path or SCO property names, by hash algorithm name
/// for hashes.
fn hash_kind(algo: &str) -> Option<IntelKind> {
    let a: String = algo
        .trim_matches('\'')
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    match a.as_str() {
        "MD5" => Some(IntelKind::Md5),
        "SHA1" => Some(IntelKind::Sha1),
        "SHA256" => Some(IntelKind::Sha256),
        _ => None,
    }
}

fn ip_kind(v: &str) -> IntelKind {
    if v.contains('/') {
        IntelKind::Cidr
    } else if v.contains(':') {
        IntelKind::Ipv6
    } else {
        IntelKind::Ipv4
    }
}

/// The kind of a pattern comparison's object path.
fn path_kind(path: &str, value: &str) -> Option<IntelKind> {
    let (ty, prop) = path.split_once(':')?;
    match (ty, prop) {
        ("ipv4-addr" | "ipv6-addr", "value") => Some(ip_kind(value)),
        ("domain-name", "value") => Some(IntelKind::Domain),
        ("url", "value") => Some(IntelKind::Url),
        ("email-addr", "value")
        | ("email-message", "from_ref.value")
        | ("email-message", "sender_ref.value") => Some(IntelKind::Email),
        ("file" | "artifact", p) if p.starts_with("hashes.") => hash_kind(&p[7..]),
        ("x509-certificate", p) if p.starts_with("hashes.") => Some(IntelKind::X509),
        ("network-traffic", "dst_ref.value" | "src_ref.value") => {
            crate::detect(value).map(|(k, _)| k)
        }
        _ => None,
    }
}

/// Read the objects of a bundle (`id` is the bundle id).
pub(crate) fn import_objects(
    id: Option<&str>,
    objects: &[Value],
    opts: &ImportOptions,
) -> Result<ImportedSource, ImportError> {
    let source = match id {
        Some(i) => format!("stix:{}", i.chars().take(100).collect::<String>()),
        None => {
            let mut h = Sha256::new();
            for o in objects {
                h.update(o.to_string().as_bytes());
            }
            let d = h.finalize();
            format!(
                "stix:sha256-{}",
                d.iter().map(|b| format!("{b:02x}")).collect::<String>()
            )
        }
    };
    let mut b = Builder::new(source, Format::Stix);
    let by_id: HashMap<&str, &Value> = objects
        .iter()
        .filter_map(|o| s(o, "id").map(|i| (i, o)))
        .collect();
    let type_of = |id: &str| by_id.get(id).and_then(|o| s(o, "type")).unwrap_or("");
    let name_of = |id: &str| {
        by_id
            .get(id)
            .and_then(|o| s(o, "name"))
            .map(|n| n.chars().take(200).collect::<String>())
    };

    // direct[x]: actors one relationship away from x; targets[x]: what x indicates.
    let mut direct: HashMap<&str, Vec<String>> = HashMap::new();
    let mut indicates: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut consists: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut in_report: HashMap<&str, &Value> = HashMap::new();
    for o in objects {
        match s(o, "type") {
            Some("relationship") => {
                let (Some(rt), Some(src), Some(tgt)) = (
                    s(o, "relationship_type"),
                    s(o, "source_ref"),
                    s(o, "target_ref"),
                ) else {
                    continue;
                };
                match rt {
                    "attributed-to" | "indicates" if is_actor(type_of(tgt)) => {
                        if let Some(n) = name_of(tgt) {
                            direct.entry(src).or_default().push(n);
                        }
                    }
                    "uses" if is_actor(type_of(src)) => {
                        if let Some(n) = name_of(src) {
                            direct.entry(tgt).or_default().push(n);
                        }
                    }
                    _ => {}
                }
                if rt == "indicates" {
                    indicates.entry(src).or_default().push(tgt);
                }
                if rt == "consists-of" {
                    consists.entry(src).or_default().push(tgt);
                }
            }
            Some("report") => {
                for r in o
                    .get("object_refs")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(r) = r.as_str() {
                        in_report.entry(r).or_insert(o);
                    }
                }
            }
            _ => {}
        }
    }
    let actors_of = |id: &str| -> Vec<String> {
        if let Some(a) = &opts.actor {
            return vec![a.clone()];
        }
        let mut out: Vec<String> = Vec::new();
        let mut push = |n: &String| {
            if !out.contains(n) {
                out.push(n.clone());
            }
        };
        direct.get(id).into_iter().flatten().for_each(&mut push);
        for t in indicates.get(id).into_iter().flatten() {
            direct.get(t).into_iter().flatten().for_each(&mut push);
        }
        out
    };
    let ctx_for = |id: &str, o: &Value| -> Ctx {
        let rep = in_report.get(id);
        Ctx {
            actors: actors_of(id),
            event: rep.and_then(|r| s(r, "id")).map(String::from),
            event_title: rep
                .and_then(|r| s(r, "name"))
                .map(|n| n.chars().take(500).collect()),
            published: rep
                .and_then(|r| s(r, "published"))
                .and_then(date_of)
                .or_else(|| opts.date.clone()),
            confidence: o
                .get("confidence")
                .and_then(Value::as_u64)
                .filter(|c| *c <= 100)
                .map(|c| c as u8),
            ..Default::default()
        }
    };

    let mut all_actors: Vec<String> = Vec::new();
    if let Some(a) = &opts.actor {
        all_actors.push(a.clone());
    }
    for o in objects {
        let Some(id) = s(o, "id") else { continue };
        let Some(ty) = s(o, "type") else { continue };
        match ty {
            "indicator" => {
                let pt = s(o, "pattern_type").unwrap_or("stix");
                if pt != "stix" {
                    b.drop_type(&format!("pattern-type:{pt}"));
                    continue;
                }
                let Some(p) = s(o, "pattern") else {
                    b.warn(format!("indicator {id} has no pattern"));
                    continue;
                };
                let parsed = match pattern::parse(p) {
                    Ok(x) => x,
                    Err(e) => {
                        b.warn(format!("indicator {id}: {e}"));
                        b.drop_type("pattern:unreadable");
                        continue;
                    }
                };
                let mut ctx = ctx_for(id, o);
                ctx.to_ids = true;
                ctx.first_seen = s(o, "valid_from").and_then(date_of);
                ctx.last_seen = s(o, "valid_until").and_then(date_of);
                ctx.role = o
                    .get("indicator_types")
                    .or_else(|| o.get("labels"))
                    .and_then(Value::as_array)
                    .and_then(|a| a.first())
                    .and_then(Value::as_str)
                    .map(|r| r.chars().take(100).collect());
                for n in &ctx.actors {
                    if !all_actors.contains(n) {
                        all_actors.push(n.clone());
                    }
                }
                for _ in 0..parsed.unsupported {
                    b.drop_type("pattern:operator");
                }
                let mut any = false;
                for obs in &parsed.observations {
                    let mut hashes = Vec::new();
                    for c in &obs.comparisons {
                        match path_kind(&c.path, &c.value) {
                            Some(k) => {
                                any = true;
                                if let Some(i) = b.add(k, &c.value, &ctx) {
                                    if c.path.starts_with("file:hashes") {
                                        hashes.push(i);
                                    }
                                }
                            }
                            None => b.drop_type(&format!(
                                "pattern:{}",
                                c.path.split(['.', '[']).next().unwrap_or("")
                            )),
                        }
                    }
                    if obs.all_and {
                        b.link_file(&hashes);
                    }
                }
                if !any {
                    b.warn(format!(
                        "indicator {id}: unsupported pattern {:?}",
                        p.chars().take(120).collect::<String>()
                    ));
                }
            }
            "observed-data" => {
                let mut ctx = ctx_for(id, o);
                ctx.first_seen = s(o, "first_observed").and_then(date_of);
                ctx.last_seen = s(o, "last_observed").and_then(date_of);
                if let Some(embedded) = o.get("objects").and_then(Value::as_object) {
                    for sco in embedded.values() {
                        sco_values(&mut b, sco, &ctx);
                    }
                }
                for r in o
                    .get("object_refs")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(sco) = r.as_str().and_then(|r| by_id.get(r)) {
                        sco_values(&mut b, sco, &ctx);
                    }
                }
            }
            "infrastructure" => {
                let mut ctx = ctx_for(id, o);
                ctx.role = o
                    .get("infrastructure_types")
                    .and_then(Value::as_array)
                    .and_then(|a| a.first())
                    .and_then(Value::as_str)
                    .map(|r| r.chars().take(100).collect())
                    .or_else(|| Some("infrastructure".into()));
                ctx.first_seen = s(o, "first_seen").and_then(date_of);
                ctx.last_seen = s(o, "last_seen").and_then(date_of);
                for t in consists.get(id).into_iter().flatten() {
                    if let Some(sco) = by_id.get(t) {
                        sco_values(&mut b, sco, &ctx);
                    }
                }
            }
            _ => {
                if sco_kind(ty).is_some() {
                    let ctx = ctx_for(id, o);
                    sco_values(&mut b, o, &ctx);
                }
            }
        }
    }
    b.out.actors = all_actors;
    b.out.published = opts.date.clone();
    Ok(b.finish())
}

fn sco_kind(ty: &str) -> Option<()> {
    matches!(
        ty,
        "ipv4-addr"
            | "ipv6-addr"
            | "domain-name"
            | "url"
            | "email-addr"
            | "file"
            | "artifact"
            | "x509-certificate"
    )
    .then_some(())
}

fn sco_values(b: &mut Builder, sco: &Value, ctx: &Ctx) {
    let ty = s(sco, "type").unwrap_or("");
    match ty {
        "ipv4-addr" | "ipv6-addr" => {
            if let Some(v) = s(sco, "value") {
                b.add(ip_kind(v), v, ctx);
            }
        }
        "domain-name" => {
            if let Some(v) = s(sco, "value") {
                b.add(IntelKind::Domain, v, ctx);
            }
        }
        "url" => {
            if let Some(v) = s(sco, "value") {
                b.add(IntelKind::Url, v, ctx);
            }
        }
        "email-addr" => {
            if let Some(v) = s(sco, "value") {
                b.add(IntelKind::Email, v, ctx);
            }
        }
        "file" | "artifact" => {
            let mut idx = Vec::new();
            if let Some(h) = sco.get("hashes").and_then(Value::as_object) {
                for (algo, v) in h.iter().take(16) {
                    if let (Some(k), Some(v)) = (hash_kind(algo), v.as_str()) {
                        if let Some(i) = b.add(k, v, ctx) {
                            idx.push(i);
                        }
                    }
                }
            }
            b.link_file(&idx);
        }
        "x509-certificate" => {
            if let Some(h) = sco.get("hashes").and_then(Value::as_object) {
                for v in h.values().take(16).filter_map(Value::as_str) {
                    b.add(IntelKind::X509, v, ctx);
                }
            }
        }
        "" => {}
        other => b.drop_type(&format!("sco:{other}")),
    }
}

#[cfg(test)]
mod tests {
    use crate::import::{import_bytes, ImportOptions};

    const BUNDLE: &str = r#"{"type": "bundle", "id": "bundle--11111111-1111-4111-8111-111111111111", "objects": [
      {"type": "intrusion-set", "id": "intrusion-set--1", "name": "APT28"},
      {"type": "threat-actor", "id": "threat-actor--2", "name": "Lazarus Group"},
      {"type": "malware", "id": "malware--3", "name": "X-Agent"},
      {"type": "indicator", "id": "indicator--a", "pattern_type": "stix", "confidence": 80,
       "pattern": "[ipv4-addr:value = '203.0.113.5'] OR [domain-name:value = 'evil.example.com']",
       "valid_from": "2016-04-01T00:00:00Z", "valid_until": "2017-01-01T00:00:00Z", "indicator_types": ["malicious-activity"]},
      {"type": "indicator", "id": "indicator--b", "pattern": "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' AND file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']", "valid_from": "2016-01-01T00:00:00Z"},
      {"type": "indicator", "id": "indicator--c", "pattern": "[process:name = 'evil.exe']", "valid_from": "2016-01-01T00:00:00Z"},
      {"type": "indicator", "id": "indicator--d", "pattern_type": "yara", "pattern": "rule x {}", "valid_from": "2016-01-01T00:00:00Z"},
      {"type": "relationship", "id": "relationship--1", "relationship_type": "indicates", "source_ref": "indicator--a", "target_ref": "intrusion-set--1"},
      {"type": "relationship", "id": "relationship--2", "relationship_type": "indicates", "source_ref": "indicator--b", "target_ref": "malware--3"},
      {"type": "relationship", "id": "relationship--3", "relationship_type": "uses", "source_ref": "intrusion-set--1", "target_ref": "malware--3"},
      {"type": "infrastructure", "id": "infrastructure--9", "name": "C2", "infrastructure_types": ["command-and-control"]},
      {"type": "relationship", "id": "relationship--4", "relationship_type": "consists-of", "source_ref": "infrastructure--9", "target_ref": "ipv4-addr--z"},
      {"type": "relationship", "id": "relationship--5", "relationship_type": "uses", "source_ref": "threat-actor--2", "target_ref": "infrastructure--9"},
      {"type": "ipv4-addr", "id": "ipv4-addr--z", "value": "192.0.2.99"},
      {"type": "observed-data", "id": "observed-data--o", "first_observed": "2015-01-01T00:00:00Z", "last_observed": "2015-02-01T00:00:00Z",
       "objects": {"0": {"type": "url", "value": "http://evil.example.com/a"}, "1": {"type": "mutex", "name": "m"}}},
      {"type": "report", "id": "report--r", "name": "Report", "published": "2016-06-01T00:00:00Z", "object_refs": ["indicator--a"]}
    ]}"#;

    #[test]
    fn bundle_indicators_scos_and_actors() {
        let srcs = import_bytes(BUNDLE.as_bytes(), None, &ImportOptions::default()).unwrap();
        let s = &srcs[0];
        assert_eq!(
            s.source,
            "stix:bundle--11111111-1111-4111-8111-111111111111"
        );
        let by = |k: &str| {
            s.records
                .iter()
                .find(|r| r.keys[0] == k)
                .unwrap_or_else(|| panic!("{k}: {:?}", s.records))
        };
        let ip = by("ipv4:203.0.113.5");
        assert_eq!(ip.actors, ["APT28"]);
        assert_eq!(ip.first_seen.as_deref(), Some("2016-04-01"));
        assert_eq!(ip.last_seen.as_deref(), Some("2017-01-01"));
        assert_eq!(ip.confidence, Some(80));
        assert_eq!(ip.event_title.as_deref(), Some("Report"));
        assert_eq!(ip.published.as_deref(), Some("2016-06-01"));
        assert!(ip.to_ids);
        assert_eq!(by("domain:evil.example.com").actors, ["APT28"]);
        let md5 = by("md5:d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            md5.actors,
            ["APT28"],
            "indicator → malware ← uses intrusion-set"
        );
        assert!(md5.keys.iter().any(|k| k.starts_with("sha256:")));
        let infra = by("ipv4:192.0.2.99");
        assert_eq!(infra.actors, ["Lazarus Group"]);
        assert_eq!(infra.role.as_deref(), Some("command-and-control"));
        let url = by("url:http://evil.example.com/a");
        assert!(!url.to_ids);
        assert_eq!(url.first_seen.as_deref(), Some("2015-01-01"));
        assert_eq!(s.dropped.get("pattern-type:yara"), Some(&1));
        assert_eq!(s.dropped.get("pattern:process:name"), Some(&1));
        assert_eq!(s.dropped.get("sco:mutex"), Some(&1));
        assert!(s.warnings.iter().any(|w| w.contains("indicator--c")));
        assert_eq!(s.records.len(), 6);
    }
}
