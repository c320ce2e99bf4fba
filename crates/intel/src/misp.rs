//! MISP events: a single `{"Event": …}`, `{"response": […]}` exports and
//! feed directories (`manifest.json` + `<uuid>.json`).
//!
//! Mapped: attributes and object attributes of the types in [`kind_of`]
//! (composite `a|b` types split), the event date, attribute
//! `first_seen`/`last_seen`, `to_ids`, the category as the role, and the
//! actor from `misp-galaxy:threat-actor` / `mitre-intrusion-set` tags and
//! galaxy clusters (event or attribute level). The hashes of one `file`
//! object are linked (each record carries the others' exact keys). Dropped
//! (counted by type): everything else (`text`, `regkey`, `imphash`,
//! `email-dst` — a recipient is a victim, not infrastructure —, …).

use crate::import::{
    date_of, Builder, Ctx, FileOutcome, Format, ImportError, ImportOptions, ImportedSource,
};
use ascribe_core::IntelKind;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::Path;

/// What a MISP attribute type maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mapping {
    /// One value of this kind (IP kinds are told apart by the value).
    One(IntelKind),
    /// `left|right`: two values (`None` on a side: that side is dropped).
    Pair(Option<IntelKind>, Option<IntelKind>),
}

/// The mapping of a MISP attribute type, `None` when it is not an indicator
/// ascribe matches. `IntelKind::Ipv4` stands for "an IP or network".
pub fn kind_of(t: &str) -> Option<Mapping> {
    use IntelKind::*;
    use Mapping::*;
    Some(match t {
        "ip-src" | "ip-dst" => One(Ipv4),
        "ip-src|port" | "ip-dst|port" => Pair(Some(Ipv4), None),
        "domain" | "hostname" => One(Domain),
        "hostname|port" => Pair(Some(Domain), None),
        "domain|ip" => Pair(Some(Domain), Some(Ipv4)),
        "url" => One(Url),
        "email" | "email-src" | "email-reply-to" | "whois-registrant-email" => One(Email),
        "md5" => One(Md5),
        "sha1" => One(Sha1),
        "sha256" => One(Sha256),
        "filename" => One(Filename),
        "filename|md5" => Pair(Some(Filename), Some(Md5)),
        "filename|sha1" => Pair(Some(Filename), Some(Sha1)),
        "filename|sha256" => Pair(Some(Filename), Some(Sha256)),
        "btc" | "xmr" | "dash" | "bch" | "eth" => One(Wallet),
        "x509-fingerprint-md5" | "x509-fingerprint-sha1" | "x509-fingerprint-sha256" => One(X509),
        "ja3-fingerprint-md5" => One(Ja3),
        "jarm-fingerprint" => One(Jarm),
        _ => return None,
    })
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

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.as_str(), "1" | "true" | "True"),
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

fn list<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The actor a tag names: `misp-galaxy:threat-actor="X"`, or
/// `misp-galaxy:mitre-intrusion-set="X - G0007"`.
pub fn actor_of_tag(tag: &str) -> Option<String> {
    let rest = tag
        .strip_prefix("misp-galaxy:threat-actor=")
        .or_else(|| tag.strip_prefix("misp-galaxy:mitre-intrusion-set="))
        .or_else(|| tag.strip_prefix("misp-galaxy:mitre-enterprise-attack-intrusion-set="))?;
    let name = rest.trim().trim_matches('"').trim();
    let name = match name.rsplit_once(" - G") {
        Some((n, id)) if id.bytes().all(|b| b.is_ascii_digit()) => n.trim(),
        _ => name,
    };
    if name.is_empty() || name.len() > 200 {
        None
    } else {
        Some(name.to_string())
    }
}

fn actors_in(v: &Value, out: &mut Vec<String>) {
    for t in list(v, "Tag") {
        if let Some(a) = s(t, "name").and_then(actor_of_tag) {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    for g in list(v, "Galaxy") {
        let ty = s(g, "type").unwrap_or("");
        if !matches!(ty, "threat-actor" | "mitre-intrusion-set") {
            continue;
        }
        for c in list(g, "GalaxyCluster") {
            let name = s(c, "tag_name")
                .and_then(actor_of_tag)
                .or_else(|| s(c, "value").map(String::from));
            if let Some(a) = name {
                if !out.contains(&a) && a.len() <= 200 {
                    out.push(a);
                }
            }
        }
    }
}

/// Read events (each element `{"Event": …}` or a bare event object).
pub(crate) fn import_events(
    items: &[Value],
    format: Format,
    folder: Option<&str>,
    opts: &ImportOptions,
) -> Result<Vec<ImportedSource>, ImportError> {
    let mut out = Vec::new();
    for item in items {
        let ev = item.get("Event").unwrap_or(item);
        if !ev.is_object() {
            continue;
        }
        out.push(import_event(ev, format, folder, opts));
    }
    if out.is_empty() {
        return Err(ImportError::Unrecognised(
            "a MISP export holding no event".into(),
        ));
    }
    Ok(out)
}

fn import_event(
    ev: &Value,
    format: Format,
    folder: Option<&str>,
    opts: &ImportOptions,
) -> ImportedSource {
    let uuid = s(ev, "uuid").map(|u| u.chars().take(100).collect::<String>());
    let source = match &uuid {
        Some(u) => format!("misp-event:{u}"),
        None => {
            let h = Sha256::digest(ev.to_string().as_bytes());
            format!("misp-event:sha256-{}", hex(&h))
        }
    };
    let mut b = Builder::new(source, format);
    let mut actors = Vec::new();
    if let Some(a) = &opts.actor {
        actors.push(a.clone());
    } else {
        actors_in(ev, &mut actors);
        if actors.is_empty() && opts.actor_from_folder {
            if let Some(f) = folder {
                actors.push(f.to_string());
            }
        }
    }
    let title = s(ev, "info").map(|t| t.chars().take(500).collect::<String>());
    let published = s(ev, "date")
        .and_then(date_of)
        .or_else(|| opts.date.clone());
    b.out.title.clone_from(&title);
    b.out.published.clone_from(&published);
    b.out.actors.clone_from(&actors);
    let base = Ctx {
        actors,
        event: uuid.clone(),
        event_title: title,
        published,
        ..Default::default()
    };
    if uuid.is_none() {
        b.warn("event has no uuid: its source key is the SHA-256 of its content".into());
    }
    for a in list(ev, "Attribute") {
        attribute(&mut b, a, &base, opts, &mut Vec::new());
    }
    for o in list(ev, "Object") {
        if truthy(o.get("deleted")) {
            continue;
        }
        let name = s(o, "name").unwrap_or("");
        let mut hashes = Vec::new();
        let mut octx = base.clone();
        if let Some(d) = s(o, "first_seen").and_then(date_of) {
            octx.first_seen = Some(d);
        }
        if let Some(d) = s(o, "last_seen").and_then(date_of) {
            octx.last_seen = Some(d);
        }
        for a in list(o, "Attribute") {
            attribute(&mut b, a, &octx, opts, &mut hashes);
        }
        if name == "file" {
            b.link_file(&hashes);
        }
    }
    b.finish()
}

fn attribute(
    b: &mut Builder,
    a: &Value,
    base: &Ctx,
    opts: &ImportOptions,
    hashes: &mut Vec<usize>,
) {
    if truthy(a.get("deleted")) {
        return;
    }
    let Some(t) = s(a, "type") else { return };
    let Some(mapping) = kind_of(t) else {
        b.drop_type(t);
        return;
    };
    let Some(value) = s(a, "value") else {
        b.out.invalid_count += 1;
        return;
    };
    let mut ctx = base.clone();
    ctx.to_ids = truthy(a.get("to_ids"));
    ctx.role = s(a, "category").map(|c| c.chars().take(100).collect());
    if let Some(d) = s(a, "first_seen").and_then(date_of) {
        ctx.first_seen = Some(d);
    }
    if let Some(d) = s(a, "last_seen").and_then(date_of) {
        ctx.last_seen = Some(d);
    }
    if opts.actor.is_none() {
        let mut own = Vec::new();
        actors_in(a, &mut own);
        for x in own {
            if !ctx.actors.contains(&x) {
                ctx.actors.push(x);
            }
        }
    }
    let mut add = |b: &mut Builder, kind: IntelKind, v: &str| {
        let kind = if kind == IntelKind::Ipv4 {
            ip_kind(v)
        } else {
            kind
        };
        let url_fixed;
        let v = if kind == IntelKind::Url && !v.contains("://") {
            url_fixed = format!("http://{v}");
            url_fixed.as_str()
        } else {
            v
        };
        if let Some(i) = b.add(kind, v, &ctx) {
            if matches!(kind, IntelKind::Md5 | IntelKind::Sha1 | IntelKind::Sha256) {
                hashes.push(i);
            }
        }
    };
    match mapping {
        Mapping::One(k) => add(b, k, value),
        Mapping::Pair(l, r) => {
            let (lv, rv) = value.split_once('|').unwrap_or((value, ""));
            if let Some(k) = l {
                add(b, k, lv);
            }
            if let Some(k) = r {
                if rv.is_empty() {
                    b.out.invalid_count += 1;
                } else {
                    add(b, k, rv);
                }
            }
        }
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A MISP feed directory: `manifest.json` lists event uuids, each in
/// `<uuid>.json` beside it.
pub(crate) fn import_feed_dir(dir: &Path, opts: &ImportOptions, out: &mut Vec<FileOutcome>) {
    let manifest = dir.join("manifest.json");
    let bytes = match read_bounded(&manifest) {
        Ok(b) => b,
        Err(e) => {
            out.push(FileOutcome {
                path: manifest,
                result: Err(e),
            });
            return;
        }
    };
    let v: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            out.push(FileOutcome {
                path: manifest,
                result: Err(ImportError::Json(e.to_string())),
            });
            return;
        }
    };
    let Some(map) = v.as_object() else {
        out.push(FileOutcome {
            path: manifest,
            result: Err(ImportError::Unrecognised(
                "a MISP feed manifest is an object keyed by event uuid".into(),
            )),
        });
        return;
    };
    let mut uuids: Vec<&String> = map.keys().collect();
    uuids.sort();
    for u in uuids.into_iter().take(crate::import::MAX_DIR_FILES) {
        // A uuid names a file in this directory: nothing else.
        if u.is_empty() || u.len() > 64 || !u.bytes().all(|c| c.is_ascii_hexdigit() || c == b'-') {
            out.push(FileOutcome {
                path: manifest.clone(),
                result: Err(ImportError::Invalid(format!(
                    "manifest entry {:?} is not an event uuid",
                    u.chars().take(80).collect::<String>()
                ))),
            });
            continue;
        }
        let p = dir.join(format!("{u}.json"));
        let result = crate::import::import_file(&p, opts);
        out.push(FileOutcome { path: p, result });
    }
}

fn read_bounded(p: &Path) -> Result<Vec<u8>, ImportError> {
    let io = |source| ImportError::Io {
        path: p.to_path_buf(),
        source,
    };
    let m = std::fs::metadata(p).map_err(io)?;
    if !m.is_file() {
        return Err(ImportError::NotRegular(p.to_path_buf()));
    }
    if m.len() > crate::import::MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            size: m.len(),
            max: crate::import::MAX_IMPORT_BYTES,
        });
    }
    std::fs::read(p).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::import_bytes;

    const EVENT: &str = r#"{"Event": {"uuid": "5be1ee80-0000-4da5-83e2-61410a016219", "info": "Test event",
      "date": "2018-11-20", "Tag": [{"name": "misp-galaxy:threat-actor=\"Sofacy\""}, {"name": "tlp:white"}],
      "Attribute": [
        {"type": "ip-dst|port", "value": "203.0.113.7|443", "to_ids": true, "category": "Network activity",
         "first_seen": "2018-10-01T00:00:00.000000+00:00"},
        {"type": "domain|ip", "value": "evil.example.com|198.51.100.1", "to_ids": "1"},
        {"type": "filename|sha1", "value": "a.exe|7768FD2812CEFF05DB8F969A7BED1DE5615BFC5A"},
        {"type": "text", "value": "hello"},
        {"type": "email-dst", "value": "victim@example.org"},
        {"type": "ip-dst", "value": "not an ip"},
        {"type": "url", "value": "evil.example.com/gate.php", "deleted": true},
        {"type": "btc", "value": "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"}
      ],
      "Object": [{"name": "file", "Attribute": [
        {"type": "md5", "value": "d41d8cd98f00b204e9800998ecf8427e"},
        {"type": "sha256", "value": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"type": "filename", "value": "Payload.DLL"}]}]}}"#;

    #[test]
    fn event_attributes_objects_and_actor() {
        let srcs =
            import_bytes(EVENT.as_bytes(), Some("sednit"), &ImportOptions::default()).unwrap();
        assert_eq!(srcs.len(), 1);
        let s = &srcs[0];
        assert_eq!(s.source, "misp-event:5be1ee80-0000-4da5-83e2-61410a016219");
        assert_eq!(s.actors, ["Sofacy"]);
        assert_eq!(s.published.as_deref(), Some("2018-11-20"));
        let by = |k: &str| s.records.iter().find(|r| r.keys[0] == k).unwrap();
        let ip = by("ipv4:203.0.113.7");
        assert!(ip.to_ids);
        assert_eq!(ip.first_seen.as_deref(), Some("2018-10-01"));
        assert_eq!(ip.role.as_deref(), Some("Network activity"));
        assert_eq!(ip.actors, ["Sofacy"]);
        assert!(by("domain:evil.example.com").to_ids);
        assert!(by("ipv4:198.51.100.1")
            .keys
            .contains(&"ip24:198.51.100".to_string()));
        by("sha1:7768fd2812ceff05db8f969a7bed1de5615bfc5a");
        by("filename:a.exe");
        by("wallet:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2");
        let md5 = by("md5:d41d8cd98f00b204e9800998ecf8427e");
        assert!(md5.keys.contains(
            &"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".to_string()
        ));
        assert!(!md5.keys.iter().any(|k| k.starts_with("filename:")));
        assert_eq!(s.records.len(), 9);
        assert_eq!(s.dropped.get("text"), Some(&1));
        assert_eq!(s.dropped.get("email-dst"), Some(&1));
        assert_eq!(s.invalid_count, 1);
    }

    #[test]
    fn actor_override_and_folder() {
        let o = ImportOptions {
            actor: Some("APT28".into()),
            ..Default::default()
        };
        let s = &import_bytes(EVENT.as_bytes(), None, &o).unwrap()[0];
        assert!(s.records.iter().all(|r| r.actors == ["APT28"]));
        let untagged = EVENT.replace("threat-actor", "other");
        let o = ImportOptions {
            actor_from_folder: true,
            ..Default::default()
        };
        let s = &import_bytes(untagged.as_bytes(), Some("sednit"), &o).unwrap()[0];
        assert_eq!(s.actors, ["sednit"]);
        let s = &import_bytes(
            untagged.as_bytes(),
            Some("sednit"),
            &ImportOptions::default(),
        )
        .unwrap()[0];
        assert!(s.actors.is_empty());
    }

    #[test]
    fn response_exports_hold_several_events() {
        let ev: Value = serde_json::from_str(EVENT).unwrap();
        let mut ev2 = ev.clone();
        ev2["Event"]["uuid"] = "other".into();
        let resp = serde_json::json!({"response": [ev, ev2]});
        let srcs =
            import_bytes(resp.to_string().as_bytes(), None, &ImportOptions::default()).unwrap();
        assert_eq!(srcs.len(), 2);
        assert_eq!(srcs[1].source, "misp-event:other");
        assert_eq!(srcs[0].format, Format::MispResponse);
    }

    #[test]
    fn tags_name_actors() {
        assert_eq!(
            actor_of_tag("misp-galaxy:threat-actor=\"Turla Group\"").as_deref(),
            Some("Turla Group")
        );
        assert_eq!(
            actor_of_tag("misp-galaxy:mitre-intrusion-set=\"APT28 - G0007\"").as_deref(),
            Some("APT28")
        );
        assert_eq!(actor_of_tag("tlp:white"), None);
    }
}
