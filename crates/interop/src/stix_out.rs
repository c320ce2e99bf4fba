//! Assessment → STIX 2.1 bundle.
//!
//! * a `campaign` for the intrusion (the case), carrying the case header in
//!   the ascribe property extension;
//! * every weighed observation as its natural STIX object — techniques as
//!   `attack-pattern` + `uses`, software as `malware`/`tool` + `uses`,
//!   indicators as an observable + `indicator` (`based-on`, `indicates`),
//!   claims that name someone as `attributed-to` relationships created by the
//!   claimant's `identity` — and everything STIX has no object for
//!   (artifacts, code reuse, operator origins, links, declared-hypothesis
//!   evidence, overlaps, doubts and denials, wallets) as a `note`. Each of
//!   these carries the observation itself in the ascribe property extension
//!   ([`extension_id`]), so `case from-stix` restores it exactly;
//! * one `intrusion-set` per listed actor hypothesis and one `threat-actor`
//!   per state, unknown actor, false flag or declared hypothesis, each with
//!   an `attributed-to` relationship from the campaign whose `confidence` is
//!   the posterior × 100, rounded (docs/formats/stix.md);
//! * a `note` with the ICD 203 sentence, the analytic confidence, the state
//!   line, the stress test and the ACH summary; a `report` listing everything.
//!
//! Ids are UUIDv5 (SCOs with the STIX namespace over their id-contributing
//! properties): re-exporting the same case updates the same objects.

use crate::{
    confidence_0_100, date_to_timestamp, det_id, pct, technique_name, unix_seconds, ExportOptions,
};
use ascribe_core::{
    Assessment, Case, HypothesisKind, IndicatorType, Observation, ObservationKind, Stance,
    StateKind,
};
use ascribe_kb::KnowledgeBase;
use serde_json::{json, Map, Value};

/// Name of the ascribe property extension's definition (its id is derived from it).
pub const EXTENSION_NAME: &str = "ascribe-observation/1";

/// The extension-definition id under which objects carry ascribe data.
pub fn extension_id() -> String {
    det_id("extension-definition", EXTENSION_NAME)
}

/// The identity of ascribe itself (`created_by_ref` of its own objects).
pub fn ascribe_identity() -> String {
    det_id("identity", "ascribe")
}

/// The STIX namespace for SCO ids (STIX 2.1 §2.9).
const SCO_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x00abedb4_aa42_466c_9c01_fed23315a9b7);

fn sco_id(typ: &str, contributing: &Value) -> String {
    let canon = serde_json::to_string(contributing).unwrap_or_default();
    format!(
        "{typ}--{}",
        uuid::Uuid::new_v5(&SCO_NAMESPACE, canon.as_bytes())
    )
}

struct Out<'a> {
    objects: Vec<Value>,
    ids: Vec<String>,
    created: String,
    opts: &'a ExportOptions,
}

impl Out<'_> {
    fn base(&self, typ: &str, id: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("type".into(), json!(typ));
        m.insert("spec_version".into(), json!("2.1"));
        m.insert("id".into(), json!(id));
        m.insert("created".into(), json!(self.created));
        m.insert("modified".into(), json!(self.opts.now));
        m.insert("created_by_ref".into(), json!(ascribe_identity()));
        if let Some(t) = self.opts.tlp {
            m.insert("object_marking_refs".into(), json!([t.stix_marking_id()]));
        }
        m
    }

    fn sco(&self, typ: &str, id: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("type".into(), json!(typ));
        m.insert("spec_version".into(), json!("2.1"));
        m.insert("id".into(), json!(id));
        if let Some(t) = self.opts.tlp {
            m.insert("object_marking_refs".into(), json!([t.stix_marking_id()]));
        }
        m
    }

    fn push(&mut self, m: Map<String, Value>) -> String {
        let id = m
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if !self.ids.contains(&id) {
            self.ids.push(id.clone());
            self.objects.push(Value::Object(m));
        }
        id
    }

    fn relationship(&mut self, rel: &str, from: &str, to: &str, key: &str) -> Map<String, Value> {
        let id = det_id("relationship", &format!("{rel}|{from}|{to}|{key}"));
        let mut m = self.base("relationship", &id);
        m.insert("relationship_type".into(), json!(rel));
        m.insert("source_ref".into(), json!(from));
        m.insert("target_ref".into(), json!(to));
        m
    }
}

fn ext(payload: Value) -> Value {
    let mut inner = Map::new();
    inner.insert("extension_type".into(), json!("property-extension"));
    if let Value::Object(p) = payload {
        inner.extend(p);
    }
    let mut m = Map::new();
    m.insert(extension_id(), Value::Object(inner));
    Value::Object(m)
}

fn source_ref(o: &Observation) -> Value {
    let mut r = Map::new();
    r.insert("source_name".into(), json!(o.source.title));
    r.insert("external_id".into(), json!(o.source.id));
    r.insert(
        "description".into(),
        json!(format!(
            "{} source{}",
            o.source.kind.as_str(),
            o.source
                .date
                .as_ref()
                .map(|d| format!(", {d}"))
                .unwrap_or_default()
        )),
    );
    if let Some(u) = &o.source.url {
        r.insert("url".into(), json!(u));
    }
    json!([Value::Object(r)])
}

/// An observation as the extension carries it: the kind nested (the core
/// type flattens it, and a technique's `id` would collide with the
/// observation's).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ObsWire {
    pub id: String,
    pub kind: ObservationKind,
    pub source: ascribe_core::Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default)]
    pub status: ascribe_core::Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forge_cost_override: Option<(ascribe_core::ForgeCost, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact_key: Option<String>,
}

impl From<&Observation> for ObsWire {
    fn from(o: &Observation) -> ObsWire {
        ObsWire {
            id: o.id.clone(),
            kind: o.kind.clone(),
            source: o.source.clone(),
            note: o.note.clone(),
            status: o.status,
            forge_cost_override: o.forge_cost_override.clone(),
            fact_key: o.fact_key.clone(),
        }
    }
}

impl From<ObsWire> for Observation {
    fn from(w: ObsWire) -> Observation {
        let mut o = Observation::new(w.id, w.kind, w.source);
        o.note = w.note;
        o.status = w.status;
        o.forge_cost_override = w.forge_cost_override;
        o.fact_key = w.fact_key;
        o
    }
}

/// The one-line human description of an observation (notes, MISP comments).
pub fn describe(o: &Observation) -> String {
    match &o.kind {
        ObservationKind::Technique { id } => format!("technique {id}"),
        ObservationKind::Software { name, .. } => format!("software {name}"),
        ObservationKind::Indicator {
            indicator, value, ..
        } => format!("{} {value}", indicator.as_str()),
        ObservationKind::InfrastructureOverlap {
            indicators,
            overlaps,
            relation,
        } => format!(
            "{} indicator(s) overlap infrastructure of {overlaps}{}",
            indicators.len(),
            relation
                .as_ref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        ),
        ObservationKind::Artifact {
            artifact,
            value,
            known_for,
            ..
        } => format!(
            "artifact {}: {value}{}",
            artifact.as_str(),
            known_for
                .as_ref()
                .map(|k| format!(" (known for {k})"))
                .unwrap_or_default()
        ),
        ObservationKind::CodeOverlap {
            family,
            actor,
            similarity,
            ..
        } => format!(
            "code shared with {family}{} (similarity {similarity})",
            actor
                .as_ref()
                .map(|a| format!(", tied to {a}"))
                .unwrap_or_default()
        ),
        ObservationKind::Claim {
            claimant,
            target,
            stance,
            ..
        } => format!("{claimant} {} {target}", stance.as_str()),
        ObservationKind::OperatorOrigin { actor, address, .. } => format!(
            "operators connected from address space of {actor}{}",
            address
                .as_ref()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default()
        ),
        ObservationKind::SameOperator {
            as_of_campaign_or_family,
            link,
            ..
        } => format!("{} as {as_of_campaign_or_family}", link.as_str()),
        ObservationKind::DeclaredEvidence {
            hypothesis,
            stance,
            strength,
        } => format!(
            "{} evidence {} declared hypothesis {hypothesis}",
            strength.as_str(),
            stance.as_str()
        ),
    }
}

/// The STIX pattern and observable of an indicator, or `None` for kinds
/// STIX has no observable for (wallets).
pub fn indicator_stix(kind: IndicatorType, value: &str) -> Option<(String, &'static str, Value)> {
    let v = value.trim();
    let esc = v.replace('\\', "\\\\").replace('\'', "\\'");
    Some(match kind {
        IndicatorType::Ip => {
            let t = if v.contains(':') {
                "ipv6-addr"
            } else {
                "ipv4-addr"
            };
            (format!("[{t}:value = '{esc}']"), t, json!({"value": v}))
        }
        IndicatorType::Domain => (
            format!("[domain-name:value = '{esc}']"),
            "domain-name",
            json!({"value": v}),
        ),
        IndicatorType::Url => {
            // the `url` observable's value must be a URI: spaces and the
            // like are percent-encoded, as a browser sends them
            let u = uri_encode(v);
            let e = u.replace('\\', "\\\\").replace('\'', "\\'");
            (format!("[url:value = '{e}']"), "url", json!({"value": u}))
        }
        IndicatorType::Email => (
            format!("[email-addr:value = '{esc}']"),
            "email-addr",
            json!({"value": v}),
        ),
        IndicatorType::Hash => {
            let algo = match v.len() {
                32 => "MD5",
                40 => "SHA-1",
                _ => "SHA-256",
            };
            let lower = v.to_ascii_lowercase();
            (
                format!("[file:hashes.'{algo}' = '{lower}']"),
                "file",
                json!({"hashes": {algo: lower}}),
            )
        }
        IndicatorType::Wallet => return None,
    })
}

/// Percent-encode the bytes a URI may not hold (controls, space, quote,
/// angle brackets, backslash, caret, backtick, braces, bar and non-ASCII),
/// leaving everything else, `%` included, as written.
pub fn uri_encode(v: &str) -> String {
    let mut o = String::with_capacity(v.len());
    for b in v.bytes() {
        if b <= 0x20 || b >= 0x7f || br#""<>\^`{|}"#.contains(&b) {
            o.push_str(&format!("%{b:02X}"));
        } else {
            o.push(b as char);
        }
    }
    o
}

fn attack_url(id: &str) -> String {
    format!(
        "https://attack.mitre.org/techniques/{}/",
        id.to_ascii_uppercase().replace('.', "/")
    )
}

/// The time the objects are said to be created: the case's analysis date or
/// date (stable across re-exports), unless it is later than the export.
fn stable_created(case: &Case, now: &str) -> String {
    let cand = case
        .as_of
        .as_deref()
        .or(case.date.as_deref())
        .filter(|d| d.len() >= 10)
        .and_then(date_to_timestamp);
    match (cand, unix_seconds(now)) {
        (Some(c), Some(n)) if unix_seconds(&c).is_some_and(|cs| cs <= n) => c,
        _ => now.to_string(),
    }
}

/// The STIX 2.1 bundle of an assessment and the case it was built from.
pub fn bundle(
    a: &Assessment,
    case: &Case,
    kb: Option<&KnowledgeBase>,
    opts: &ExportOptions,
) -> Value {
    let mut out = Out {
        objects: Vec::new(),
        ids: Vec::new(),
        created: stable_created(case, &opts.now),
        opts,
    };
    // ascribe's identity, the TLP marking and the extension definition
    let mut me = out.base("identity", &ascribe_identity());
    me.remove("created_by_ref");
    me.insert("name".into(), json!("ascribe"));
    me.insert("identity_class".into(), json!("system"));
    me.insert(
        "description".into(),
        json!("ascribe attribution engine: competing hypotheses with probabilities, forge costs and a false-flag stress test"),
    );
    out.push(me);
    if let Some(t) = opts.tlp {
        let mut m = Map::new();
        m.insert("type".into(), json!("marking-definition"));
        m.insert("spec_version".into(), json!("2.1"));
        m.insert("id".into(), json!(t.stix_marking_id()));
        m.insert("created".into(), json!("2022-10-01T00:00:00.000Z"));
        m.insert(
            "name".into(),
            json!(format!("TLP:{}", t.as_str().to_ascii_uppercase())),
        );
        m.insert(
            "extensions".into(),
            json!({"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
                "extension_type": "property-extension", "tlp_2_0": t.as_str()}}),
        );
        out.objects.push(Value::Object(m));
    }
    let mut ed = out.base("extension-definition", &extension_id());
    ed.insert("name".into(), json!(EXTENSION_NAME));
    ed.insert("description".into(), json!("ascribe case data: the case header on the campaign, one observation per object (restored by `ascribe case from-stix`), the hypothesis behind each of ascribe's attributed-to relationships and the verdict on the assessment note"));
    ed.insert(
        "schema".into(),
        json!("https://example.invalid/ascribe/docs/formats/stix.md"),
    );
    ed.insert("version".into(), json!("1.0.0"));
    ed.insert("extension_types".into(), json!(["property-extension"]));
    out.push(ed);

    // the intrusion
    let campaign_id = det_id("campaign", &case.name);
    let mut c = out.base("campaign", &campaign_id);
    c.insert("name".into(), json!(case.name));
    if let Some(s) = &case.summary {
        c.insert("description".into(), json!(s));
    }
    if let Some(ts) = case
        .date
        .as_deref()
        .filter(|d| d.len() >= 10)
        .and_then(date_to_timestamp)
    {
        c.insert("first_seen".into(), json!(ts));
    }
    let header = json!({
        "name": case.name, "summary": case.summary, "date": case.date, "as_of": case.as_of,
        "victim": case.victim, "exclude_citations": case.exclude_citations,
        "hypotheses": case.hypotheses, "sources": case.sources,
    });
    c.insert("extensions".into(), ext(json!({ "case": header })));
    out.push(c);

    // observations
    for (i, o) in case.observations.iter().enumerate() {
        if o.illustrative {
            continue;
        }
        let key = format!(
            "{}|{}|{}",
            case.name,
            o.source.id,
            serde_json::to_string(&o.kind).unwrap_or_default()
        );
        let payload = json!({ "observation": ObsWire::from(o), "order": i });
        match &o.kind {
            ObservationKind::Technique { id } => {
                let up = id.to_ascii_uppercase();
                let ap_id = det_id("attack-pattern", &up);
                let mut ap = out.base("attack-pattern", &ap_id);
                ap.insert(
                    "name".into(),
                    json!(technique_name(kb, &up).unwrap_or_else(|| up.clone())),
                );
                ap.insert(
                    "external_references".into(),
                    json!([{"source_name": "mitre-attack", "external_id": up, "url": attack_url(&up)}]),
                );
                out.push(ap);
                let mut r = out.relationship("uses", &campaign_id, &ap_id, &key);
                r.insert(
                    "description".into(),
                    json!(o.note.clone().unwrap_or_default()),
                );
                r.insert("external_references".into(), source_ref(o));
                r.insert("extensions".into(), ext(payload));
                out.push(r);
            }
            ObservationKind::Software { name, .. } => {
                let (kind, display, ext_id) = software_kind(kb, name);
                let sw_id = det_id(kind, &ascribe_core::normalize_name(name));
                let mut sw = out.base(kind, &sw_id);
                sw.insert("name".into(), json!(display));
                if kind == "malware" {
                    sw.insert("is_family".into(), json!(true));
                }
                if let Some(sid) = ext_id {
                    sw.insert(
                        "external_references".into(),
                        json!([{"source_name": "mitre-attack", "external_id": sid,
                                "url": format!("https://attack.mitre.org/software/{sid}/")}]),
                    );
                }
                out.push(sw);
                let mut r = out.relationship("uses", &campaign_id, &sw_id, &key);
                r.insert("external_references".into(), source_ref(o));
                r.insert("extensions".into(), ext(payload));
                out.push(r);
            }
            ObservationKind::Indicator {
                indicator,
                value,
                first_seen,
                last_seen,
                role,
                ..
            } if indicator_stix(*indicator, value).is_some() => {
                let Some((pattern, sco_type, contributing)) = indicator_stix(*indicator, value)
                else {
                    continue;
                };
                let sid = sco_id(sco_type, &contributing);
                let mut sco = out.sco(sco_type, &sid);
                if let Value::Object(cm) = &contributing {
                    sco.extend(cm.clone());
                }
                out.push(sco);
                let ind_id = det_id("indicator", &key);
                let mut ind = out.base("indicator", &ind_id);
                ind.insert("name".into(), json!(value));
                ind.insert("pattern".into(), json!(pattern));
                ind.insert("pattern_type".into(), json!("stix"));
                let vf = first_seen
                    .as_deref()
                    .and_then(date_to_timestamp)
                    .unwrap_or_else(|| out.created.clone());
                ind.insert("valid_from".into(), json!(vf));
                if let Some(vu) = last_seen.as_deref().and_then(date_to_timestamp) {
                    if unix_seconds(&vu) > unix_seconds(&vf) {
                        ind.insert("valid_until".into(), json!(vu));
                    }
                }
                ind.insert("indicator_types".into(), json!(["malicious-activity"]));
                if let Some(r) = role {
                    ind.insert("description".into(), json!(format!("role: {r}")));
                }
                ind.insert("external_references".into(), source_ref(o));
                ind.insert("extensions".into(), ext(payload));
                out.push(ind);
                let r = out.relationship("based-on", &ind_id, &sid, "");
                out.push(r);
                let r = out.relationship("indicates", &ind_id, &campaign_id, "");
                out.push(r);
            }
            ObservationKind::Claim {
                claimant,
                target,
                stance: Stance::Asserts | Stance::Suspects | Stance::ClaimsResponsibility,
                quote,
                ..
            } => {
                let who = det_id("identity", &format!("claimant|{}", claimant));
                let mut idn = out.base("identity", &who);
                idn.insert("name".into(), json!(claimant));
                idn.insert("identity_class".into(), json!(identity_class(o)));
                out.push(idn);
                let ta_id = det_id(
                    "threat-actor",
                    &format!("named|{}", ascribe_core::normalize_name(target)),
                );
                let mut ta = out.base("threat-actor", &ta_id);
                ta.insert("name".into(), json!(target));
                ta.insert("threat_actor_types".into(), json!(["unknown"]));
                out.push(ta);
                let mut r = out.relationship("attributed-to", &campaign_id, &ta_id, &key);
                r.insert("created_by_ref".into(), json!(who));
                if let Some(q) = quote {
                    r.insert("description".into(), json!(q));
                }
                r.insert("external_references".into(), source_ref(o));
                r.insert("extensions".into(), ext(payload));
                out.push(r);
            }
            _ => {
                let nid = det_id("note", &key);
                let mut n = out.base("note", &nid);
                n.insert(
                    "abstract".into(),
                    json!(format!("{}: {}", o.kind.kind_name(), describe(o))),
                );
                n.insert(
                    "content".into(),
                    json!(format!(
                        "{} (source: {}){}",
                        describe(o),
                        o.source.title,
                        o.note
                            .as_ref()
                            .map(|x| format!(" — {x}"))
                            .unwrap_or_default()
                    )),
                );
                n.insert("object_refs".into(), json!([campaign_id]));
                n.insert("external_references".into(), source_ref(o));
                n.insert("extensions".into(), ext(payload));
                out.push(n);
            }
        }
    }

    // hypotheses: ascribe's own attributions
    let mut hyp_refs: Vec<(String, String)> = Vec::new();
    for h in &a.hypotheses {
        let (obj_id, obj) = match h.kind {
            HypothesisKind::OtherActors => continue,
            HypothesisKind::Actor => {
                let aid = h.actor.as_ref().map(|x| x.id.as_str()).unwrap_or(&h.id);
                let id = det_id("intrusion-set", aid);
                let mut m = out.base("intrusion-set", &id);
                let name = h
                    .actor
                    .as_ref()
                    .map(|x| x.name.clone())
                    .unwrap_or_else(|| h.label.clone());
                m.insert("name".into(), json!(name));
                if let Some(g) = h.actor.as_ref().and_then(|x| x.attack_id.clone()) {
                    m.insert(
                        "external_references".into(),
                        json!([{"source_name": "mitre-attack", "external_id": g,
                                "url": format!("https://attack.mitre.org/groups/{g}/")}]),
                    );
                }
                (id, m)
            }
            _ => {
                let id = det_id("threat-actor", &format!("hypothesis|{}", h.id));
                let mut m = out.base("threat-actor", &id);
                m.insert("name".into(), json!(h.label));
                m.insert("threat_actor_types".into(), json!(["unknown"]));
                m.insert(
                    "description".into(),
                    json!(format!("ascribe hypothesis {} ({:?})", h.id, h.kind)),
                );
                (id, m)
            }
        };
        out.push(obj);
        let mut r = out.relationship("attributed-to", &campaign_id, &obj_id, "ascribe-verdict");
        r.insert("confidence".into(), json!(confidence_0_100(h.posterior)));
        r.insert(
            "description".into(),
            json!(format!(
                "ascribe: {} — {} ({}; prior {})",
                h.label,
                h.likelihood.words(),
                pct(h.posterior),
                pct(h.prior)
            )),
        );
        r.insert(
            "extensions".into(),
            ext(
                json!({"hypothesis": {"id": h.id, "kind": h.kind, "posterior": h.posterior,
                "prior": h.prior, "likelihood": h.likelihood, "log_lr": h.log_lr}}),
            ),
        );
        let rid = out.push(r);
        hyp_refs.push((obj_id, rid));
    }
    for st in a
        .states
        .iter()
        .filter(|s| s.kind == StateKind::State && s.posterior >= 0.01)
    {
        let code = st.state.clone().unwrap_or_else(|| st.id.clone());
        let id = det_id("threat-actor", &format!("state|{code}"));
        let mut m = out.base("threat-actor", &id);
        m.insert("name".into(), json!(st.label));
        m.insert("threat_actor_types".into(), json!(["nation-state"]));
        m.insert(
            "description".into(),
            json!(format!(
                "The state of {} (its knowledge-base groups summed: {} actor(s))",
                st.label, st.actors
            )),
        );
        out.push(m);
        let mut r = out.relationship("attributed-to", &campaign_id, &id, "ascribe-state");
        r.insert("confidence".into(), json!(confidence_0_100(st.posterior)));
        r.insert(
            "description".into(),
            json!(format!(
                "ascribe, state level: {} — {} ({})",
                st.label,
                st.likelihood.words(),
                pct(st.posterior)
            )),
        );
        r.insert(
            "extensions".into(),
            ext(
                json!({"hypothesis": {"id": st.id, "kind": "state", "posterior": st.posterior,
                "prior": st.prior, "likelihood": st.likelihood}}),
            ),
        );
        out.push(r);
        // the state's listed groups are attributed to it
        for h in &a.hypotheses {
            if h.kind != HypothesisKind::Actor {
                continue;
            }
            let Some(actor) = &h.actor else { continue };
            if actor.country.as_deref() == st.state.as_deref() && st.state.is_some() {
                let is = det_id("intrusion-set", &actor.id);
                let r = out.relationship("attributed-to", &is, &id, "ascribe-state-group");
                out.push(r);
            }
        }
    }

    // the assessment note
    let note_id = det_id("note", &format!("assessment|{}", case.name));
    let mut n = out.base("note", &note_id);
    n.insert(
        "abstract".into(),
        json!(format!(
            "ascribe assessment (ICD 203): {}",
            a.verdict.statement
        )),
    );
    n.insert("content".into(), json!(assessment_text(a)));
    n.insert("authors".into(), json!(["ascribe"]));
    let mut refs = vec![campaign_id.clone()];
    refs.extend(hyp_refs.iter().map(|(o, _)| o.clone()));
    n.insert("object_refs".into(), json!(refs));
    n.insert(
        "extensions".into(),
        ext(json!({"verdict": {
            "leader": a.verdict.leader, "leader_label": a.verdict.leader_label,
            "probability": a.verdict.probability, "likelihood": a.verdict.likelihood,
            "confidence": a.verdict.confidence, "statement": a.verdict.statement,
            "state_verdict": a.state_verdict, "schema": a.schema,
            "ascribe_version": a.ascribe_version}})),
    );
    out.push(n);

    // the report
    let report_id = det_id("report", &case.name);
    let mut r = out.base("report", &report_id);
    r.insert(
        "name".into(),
        json!(format!("Attribution assessment: {}", case.name)),
    );
    r.insert(
        "description".into(),
        json!(format!(
            "{} Analytic confidence: {} — {}.{}",
            a.verdict.statement,
            a.verdict.confidence.as_str(),
            a.verdict.confidence_reason,
            if a.state_verdict.is_empty() {
                String::new()
            } else {
                format!(" {}", a.state_verdict)
            }
        )),
    );
    r.insert("report_types".into(), json!(["threat-report"]));
    r.insert("published".into(), json!(opts.now));
    r.insert(
        "confidence".into(),
        json!(confidence_0_100(a.verdict.probability)),
    );
    let refs: Vec<String> = out
        .ids
        .iter()
        .filter(|id| !id.starts_with("extension-definition--"))
        .cloned()
        .collect();
    r.insert("object_refs".into(), json!(refs));
    out.push(r);

    json!({
        "type": "bundle",
        "id": det_id("bundle", &format!("{}|{}", case.name, opts.now)),
        "objects": out.objects,
    })
}

fn identity_class(o: &Observation) -> &'static str {
    match &o.kind {
        ObservationKind::Claim { claimant_kind, .. } => match claimant_kind {
            ascribe_core::SourceKind::Researcher => "individual",
            ascribe_core::SourceKind::Actor => "group",
            ascribe_core::SourceKind::Analysis => "system",
            ascribe_core::SourceKind::Other => "unknown",
            _ => "organization",
        },
        _ => "unknown",
    }
}

/// `malware` or `tool`, the display name and the ATT&CK software id, as the
/// knowledge base knows them (`malware` under its own name otherwise).
fn software_kind(kb: Option<&KnowledgeBase>, name: &str) -> (&'static str, String, Option<String>) {
    if let Some(kb) = kb {
        if let ascribe_kb::Resolution::Found { index, .. } = kb.resolve_software(name) {
            let sw = &kb.software[index];
            let kind = if matches!(sw.kind, ascribe_core::EntityKind::Tool) {
                "tool"
            } else {
                "malware"
            };
            let sid = std::iter::once(&sw.id)
                .chain(sw.members.iter())
                .find(|x| x.starts_with('S') && x[1..].chars().all(|c| c.is_ascii_digit()))
                .cloned();
            return (kind, sw.name.clone(), sid);
        }
    }
    ("malware", name.to_string(), None)
}

/// The assessment in plain text: ICD 203 sentence, analytic confidence,
/// state line, stress test, ACH summary, what to collect next.
pub fn assessment_text(a: &Assessment) -> String {
    let mut o = format!(
        "VERDICT (ICD 203): {}\nAnalytic confidence: {} — {}.\n",
        a.verdict.statement,
        a.verdict.confidence.as_str(),
        a.verdict.confidence_reason
    );
    if !a.state_verdict.is_empty() {
        o.push_str(&format!("State level: {}\n", a.state_verdict));
    }
    o.push_str("\nHYPOTHESES\n");
    for h in &a.hypotheses {
        o.push_str(&format!(
            "- {} — {} ({}, prior {})\n",
            h.label,
            h.likelihood.words(),
            pct(h.posterior),
            pct(h.prior)
        ));
    }
    o.push_str("\nFALSE-FLAG STRESS TEST\n");
    for s in &a.stress_test.scenarios {
        o.push_str(&format!(
            "- {}: {} leads at {} ({} items kept)\n",
            s.name,
            s.leader_label,
            pct(s.probability),
            s.items_kept
        ));
    }
    if let Some(p) = &a.stress_test.cheapest_flip {
        o.push_str(&format!(
            "- cheapest plant that flips the verdict: {} (effort {}, hardest {}) → {} at {}\n",
            p.items.join(", "),
            p.effort,
            p.hardest.as_str(),
            p.new_leader_label,
            pct(p.new_probability)
        ));
    }
    o.push_str(&format!("{}\n", a.stress_test.summary));
    o.push_str("\nACH (weighted inconsistency per hypothesis; least is most likely)\n");
    for (i, hid) in a.ach.hypotheses.iter().enumerate() {
        let label = a
            .hypotheses
            .iter()
            .find(|h| &h.id == hid)
            .map(|h| h.label.as_str())
            .unwrap_or(hid);
        let inc = a.ach.inconsistency.get(i).copied().unwrap_or(0.0);
        o.push_str(&format!("- {label}: {inc:.2}\n"));
    }
    o.push_str(&format!(
        "{} evidence row(s); the most diagnostic: {}\n",
        a.ach.rows.len(),
        most_diagnostic(a)
    ));
    if !a.collect_next.is_empty() {
        o.push_str("\nCOLLECT NEXT\n");
        for s in a.collect_next.iter().take(5) {
            o.push_str(&format!(
                "- {} — {} ({:.3} bits)\n",
                s.what, s.why, s.expected_information_gain
            ));
        }
    }
    o
}

fn most_diagnostic(a: &Assessment) -> String {
    let mut rows: Vec<_> = a.ach.rows.iter().collect();
    rows.sort_by(|x, y| y.diagnosticity.total_cmp(&x.diagnosticity));
    rows.iter()
        .take(3)
        .map(|r| {
            let summary = a
                .evidence
                .iter()
                .find(|e| e.evidence.id == r.evidence)
                .map(|e| e.evidence.summary.as_str())
                .unwrap_or("");
            format!("{} {} ({:.2})", r.evidence, summary, r.diagnosticity)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls_become_uris() {
        assert_eq!(
            super::uri_encode("http://h/DOVIDNIK - (2018).zip"),
            "http://h/DOVIDNIK%20-%20(2018).zip"
        );
        assert_eq!(
            super::uri_encode("http://h/\u{e4}?a=%41"),
            "http://h/%C3%A4?a=%41"
        );
    }
}
