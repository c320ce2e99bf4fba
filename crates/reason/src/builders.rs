//! From observations to evidence: likelihood ratios derived from the
//! knowledge base, with reliability, dependence and forge cost.
//!
//! Every new evidence producer (binary inspection, code-reuse search, report
//! extraction) emits [`Observation`]s; this module is the only place that
//! turns them into numbers. The table of forge-cost classes and likelihood
//! constants is documented in `docs/evidence-model.md`.

use crate::time::{estimate_utc_offset, parse_timestamp};
use crate::timing::Activity;
use crate::ttp::{self, Feature, Profiles, TtpModel};
use ascribe_core::{
    normalize_name, ActorSupport, ArtifactType, Evidence, EvidenceKind, ForgeCost, Observation,
    ObservationKind, SourceKind, Stance,
};
use ascribe_kb::countries::{
    countries_for_language, countries_for_offset, find_country, language_name,
};
use ascribe_kb::{ActorIdx, KnowledgeBase, Resolution, TechniqueLookup};
use std::collections::HashMap;

/// Reliability of statements and observations by kind of source.
pub fn source_reliability(kind: SourceKind) -> f64 {
    match kind {
        SourceKind::Analysis => 0.95,
        SourceKind::Government => 0.8,
        SourceKind::Vendor => 0.8,
        SourceKind::Researcher => 0.7,
        SourceKind::Media => 0.5,
        SourceKind::Actor => 0.6,
        SourceKind::Other => 0.5,
    }
}

/// Likelihood ratio of an "X did it" assertion by kind of claimant.
fn claim_lr(kind: SourceKind) -> f64 {
    match kind {
        SourceKind::Government => 6.0,
        SourceKind::Vendor => 4.0,
        SourceKind::Analysis => 4.0,
        SourceKind::Researcher => 3.0,
        SourceKind::Media => 1.5,
        SourceKind::Actor => 3.0,
        SourceKind::Other => 1.5,
    }
}

/// The result of building evidence for a case.
#[derive(Debug, Clone, Default)]
pub struct Built {
    pub evidence: Vec<Evidence>,
    /// Observations that produced no evidence, and why.
    pub warnings: Vec<String>,
}

/// Builds evidence items against one knowledge base.
pub struct EvidenceBuilder<'a> {
    kb: &'a KnowledgeBase,
    ttp: TtpModel,
    profiles: Profiles,
    activity: Activity,
    /// Year of the intrusion, when the case gives its date.
    case_year: Option<i32>,
}

impl<'a> EvidenceBuilder<'a> {
    /// Prepare a builder with the fitted technique and software model.
    pub fn new(kb: &'a KnowledgeBase) -> Self {
        Self::with_ttp(kb, TtpModel::default())
    }

    /// Prepare a builder with a given technique and software model (the
    /// benchmark compares variants this way).
    pub fn with_ttp(kb: &'a KnowledgeBase, ttp: TtpModel) -> Self {
        let profiles = Profiles::new(kb, &ttp);
        let activity = Activity::new(kb, ttp.timing_share);
        EvidenceBuilder {
            kb,
            ttp,
            profiles,
            activity,
            case_year: None,
        }
    }

    /// Weigh the date of the intrusion (ISO 8601 or any text with a year)
    /// against when each actor has been reported active.
    pub fn with_case_date(mut self, date: Option<&str>) -> Self {
        self.case_year = date.and_then(crate::timing::year_in);
        self
    }

    /// Build evidence for all observations, in order. Items get ids `E1`, `E2`, …
    pub fn build(&self, observations: &[Observation]) -> Built {
        let mut out = Built::default();
        let mut compile_times: Vec<(&Observation, i64)> = Vec::new();
        // Technique and software ratios come from one joint model, split
        // per observation by the chain rule (see `ttp`): first occurrences
        // only, in case order.
        let mut feats: Vec<Feature> = Vec::new();
        let mut row_of: HashMap<usize, usize> = HashMap::new();
        for (i, o) in observations.iter().enumerate() {
            let f = match &o.kind {
                ObservationKind::Technique { id } => self
                    .resolve_technique(id)
                    .ok()
                    .map(|x| Feature::Technique(x.0)),
                ObservationKind::Software { name } => {
                    self.resolve_software(name).ok().map(Feature::Software)
                }
                _ => None,
            };
            if let Some(f) = f {
                match feats.iter().position(|&g| g == f) {
                    Some(r) => {
                        row_of.insert(i, r);
                    }
                    None => {
                        row_of.insert(i, feats.len());
                        feats.push(f);
                    }
                }
            }
        }
        let rows = self.profiles.sequential(&feats);
        for (i, o) in observations.iter().enumerate() {
            if let ObservationKind::Artifact {
                artifact: ArtifactType::CompileTime,
                value,
                ..
            } = &o.kind
            {
                match parse_timestamp(value) {
                    Some(t) => compile_times.push((o, t)),
                    None => out.warnings.push(format!(
                        "{}: compile time '{value}' is not an ISO 8601 UTC timestamp (write e.g. 2014-11-21T14:03:00Z); ignored",
                        o.id
                    )),
                }
                continue;
            }
            let ttp_row = row_of.get(&i).map(|&r| rows[r].as_slice());
            match self.one(o, ttp_row.unwrap_or(&[])) {
                Ok(Some(e)) => out.evidence.push(e),
                Ok(None) => {}
                Err(w) => out.warnings.push(format!("{}: {w}", o.id)),
            }
        }
        if !compile_times.is_empty() {
            let ts: Vec<i64> = compile_times.iter().map(|x| x.1).collect();
            match estimate_utc_offset(&ts) {
                Some(est) => {
                    let first = compile_times[0].0;
                    let sample_note = format!("{} compile timestamps", ts.len());
                    let e = self.timezone(
                        first,
                        est.offset,
                        est.uncertainty,
                        &format!(
                            "{sample_note} fall in working hours at UTC{:+} (±{:.1} h; {:.0}% of stamps in 09–18 Mon–Fri)",
                            est.offset, est.uncertainty, est.fit * 100.0
                        ),
                    );
                    out.evidence.push(e);
                }
                None => out.warnings.push(format!(
                    "{} compile timestamp(s) given; at least 3 are needed to estimate the developers' time zone",
                    ts.len()
                )),
            }
        }
        if let Some(e) = self.case_year.and_then(|y| self.timing(y)) {
            out.evidence.push(e);
        }
        for (i, e) in out.evidence.iter_mut().enumerate() {
            e.id = format!("E{}", i + 1);
        }
        out
    }

    /// The timing item: the case year against each dated actor's reports.
    fn timing(&self, year: i32) -> Option<Evidence> {
        let act = &self.activity;
        if act.actors.is_empty() || self.ttp.timing_share <= 0.0 {
            return None;
        }
        let mut support = Vec::new();
        for (k, &a) in act.actors.iter().enumerate() {
            let lr = act.lr(k, year)?;
            let (lo, hi, n) = act.span[k];
            support.push(ActorSupport {
                actor: self.kb.actors[a].id.clone(),
                lr: ttp::temper(lr, self.ttp.temperature),
                why: format!("{} has {n} dated report(s), {lo}–{hi}", self.actor_label(a)),
            });
        }
        Some(Evidence {
            id: String::new(),
            observation: "case.date".into(),
            kind: EvidenceKind::Timing,
            summary: format!("The intrusion dates from {year}"),
            source: "the case's date".into(),
            forge_cost: ForgeCost::Costly,
            forge_rationale: "when an intrusion happened is not something a forger can plant; it only says which actors were active then".into(),
            reliability: 0.9,
            dependence: "timing".into(),
            rho: 0.5,
            fingerprint: "timing".into(),
            support,
            default_lr: 1.0,
            false_flag_lr: 1.0,
            notes: vec!["an actor's activity is read from the years in the names of the reports cited on its links".into()],
        })
    }

    fn base(
        &self,
        o: &Observation,
        kind: EvidenceKind,
        summary: String,
        cost: ForgeCost,
        why_cost: &str,
    ) -> Evidence {
        Evidence {
            id: String::new(),
            observation: o.id.clone(),
            kind,
            summary,
            source: format!("{} ({})", o.source.title, o.source.id),
            forge_cost: cost,
            forge_rationale: why_cost.to_string(),
            reliability: source_reliability(o.source.kind),
            dependence: format!("{}:{}", kind.as_str(), o.id),
            rho: 0.5,
            fingerprint: format!("{}|{}|{}", o.source.id, kind.as_str(), o.id),
            support: Vec::new(),
            default_lr: 1.0,
            false_flag_lr: 1.0,
            notes: Vec::new(),
        }
    }

    fn resolve_actor_name(&self, name: &str) -> Result<ActorIdx, String> {
        match self.kb.resolve_actor(name) {
            Resolution::Found { index, .. } => Ok(index),
            Resolution::Ambiguous { candidates, .. } => Err(format!(
                "actor name '{name}' is ambiguous in the knowledge base ({}); write one of these ids instead",
                candidates
                    .iter()
                    .take(8)
                    .map(|&i| format!("{} = {}", self.kb.actors[i].id, self.kb.actors[i].name))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            Resolution::NotFound => Err(format!(
                "actor '{name}' is not in the knowledge base (check `ascribe kb actor NAME`)"
            )),
        }
    }

    /// Resolve an actor name, or else a country to all its actors.
    fn actors_or_country(&self, name: &str) -> Result<(Vec<ActorIdx>, String), String> {
        match self.kb.resolve_actor(name) {
            Resolution::Found { index, .. } => Ok((vec![index], self.actor_label(index))),
            _ => match find_country(name) {
                Some(c) => {
                    let v = self.kb.actors_of_country(c.iso2);
                    if v.is_empty() {
                        Err(format!("no actor of {} in the knowledge base", c.name))
                    } else {
                        Ok((v, c.name.to_string()))
                    }
                }
                None => self
                    .resolve_actor_name(name)
                    .map(|a| (vec![a], self.actor_label(a))),
            },
        }
    }

    fn infra_overlap(
        &self,
        o: &Observation,
        indicators: &[String],
        overlaps: &str,
    ) -> Result<Evidence, String> {
        let (actors, who) = self.actors_or_country(overlaps)?;
        let mut e = self.base(
            o,
            EvidenceKind::Infrastructure,
            format!("{} indicator(s) overlap infrastructure previously tied to {who}", indicators.len()),
            ForgeCost::Moderate,
            "re-using another actor's infrastructure needs finding and compromising it (Turla ran operations through OilRig's infrastructure in 2019)",
        );
        e.dependence = format!("infrastructure:{}", o.source.id);
        e.fingerprint = format!("infra-overlap|{}|{}", normalize_name(overlaps), o.source.id);
        let lr = if actors.len() == 1 { 25.0 } else { 10.0 };
        for a in actors {
            e.support.push(ActorSupport {
                actor: self.kb.actors[a].id.clone(),
                lr,
                why: format!(
                    "{} reports overlap with infrastructure of {who}; {} is {}",
                    o.source.title,
                    self.actor_label(a),
                    if who == self.actor_label(a) {
                        "that actor".to_string()
                    } else {
                        format!("attributed to {who}")
                    }
                ),
            });
        }
        e.notes
            .push(format!("indicators: {}", indicators.join(", ")));
        Ok(e)
    }

    fn actor_label(&self, a: ActorIdx) -> String {
        let x = &self.kb.actors[a];
        match &x.attack_id {
            Some(id) => format!("{} ({id})", x.name),
            None => x.name.clone(),
        }
    }

    fn one(&self, o: &Observation, ttp_row: &[f64]) -> Result<Option<Evidence>, String> {
        match &o.kind {
            ObservationKind::Technique { id } => self.technique(o, id, ttp_row).map(Some),
            ObservationKind::Software { name } => self.software(o, name, ttp_row).map(Some),
            ObservationKind::Indicator { .. } => self.indicator(o),
            ObservationKind::InfrastructureOverlap {
                indicators,
                overlaps,
            } => self.infra_overlap(o, indicators, overlaps).map(Some),
            ObservationKind::Artifact { .. } => self.artifact(o),
            ObservationKind::CodeOverlap { .. } => self.code_overlap(o).map(Some),
            ObservationKind::Claim { .. } => self.claim(o).map(Some),
        }
    }

    fn resolve_technique(&self, id: &str) -> Result<(usize, Option<String>), String> {
        Ok(match self.kb.technique(id) {
            TechniqueLookup::Found(t) => (t, None),
            TechniqueLookup::Revoked { old, new } => (
                new,
                Some(format!(
                    "{old} was revoked by ATT&CK; counted as its replacement {}",
                    self.kb.techniques[new].attack_id
                )),
            ),
            TechniqueLookup::Deprecated(old) => {
                return Err(format!("technique {old} is deprecated in ATT&CK with no replacement; remove it or use a current technique"))
            }
            TechniqueLookup::NotFound => {
                return Err(format!("technique '{id}' is not in the knowledge base (ATT&CK ids look like T1485 or T1561.002)"))
            }
        })
    }

    fn technique(&self, o: &Observation, id: &str, row: &[f64]) -> Result<Evidence, String> {
        let (t, note) = self.resolve_technique(id)?;
        let tech = &self.kb.techniques[t];
        let n_users = self.kb.technique_users(t).len();
        let g = self.kb.actors_with_techniques();
        let mut e = self.base(
            o,
            EvidenceKind::Technique,
            format!("Technique {} {}", tech.attack_id, tech.name),
            ForgeCost::Moderate,
            "behaviour can be imitated, but reproducing another group's habits across an intrusion takes study and effort (Pyramid of Pain: TTPs are the hardest indicators to change)",
        );
        // Techniques of one tactic co-occur (a wiper shows data destruction,
        // disk wipes and a reboot together). The report-mixture ratios
        // already model that (each is conditional on the ones before it),
        // so saturating them again by tactic is optional (ρ < 1).
        let root = tech.parent.unwrap_or(t);
        let tactic = tech
            .tactics
            .first()
            .or_else(|| self.kb.techniques[root].tactics.first())
            .cloned()
            .unwrap_or_else(|| self.kb.techniques[root].attack_id.clone());
        if self.ttp.tactic_rho < 1.0 {
            e.dependence = format!("technique-tactic:{tactic}");
            e.rho = self.ttp.tactic_rho;
        }
        e.fingerprint = format!("technique|{}", tech.attack_id);
        e.reliability = source_reliability(o.source.kind).max(0.8);
        let pr = &self.profiles;
        for (k, &a) in pr.actors.iter().enumerate() {
            let lr = ttp::temper(row.get(k).copied().unwrap_or(1.0), self.ttp.temperature);
            let weighed = pr.weighs(k, Feature::Technique(t));
            let listed = self.kb.technique_users(t).contains(&a);
            let why = if listed {
                format!(
                    "{} lists {} ({n_users} of {g} profiled actors do)",
                    self.actor_label(a),
                    tech.attack_id,
                )
            } else if weighed {
                format!(
                    "{} lists a related technique or a tool implementing it",
                    self.actor_label(a)
                )
            } else {
                format!("not in {}'s technique profile", self.actor_label(a))
            };
            e.support.push(ActorSupport {
                actor: self.kb.actors[a].id.clone(),
                lr,
                why,
            });
        }
        if let Some(n) = note {
            e.notes.push(n);
        }
        Ok(e)
    }

    fn resolve_software(&self, name: &str) -> Result<usize, String> {
        Ok(match self.kb.resolve_software(name) {
            Resolution::Found { index, .. } => index,
            Resolution::Ambiguous { candidates, .. } => {
                return Err(format!(
                    "software '{name}' is ambiguous ({}); write the ATT&CK id instead",
                    candidates.iter().take(6).map(|&i| format!("{} = {}", self.kb.software[i].id, self.kb.software[i].name)).collect::<Vec<_>>().join("; ")
                ))
            }
            Resolution::NotFound => return Err(format!("software '{name}' is not in the knowledge base; it cannot be weighed (check the name or its ATT&CK id)")),
        })
    }

    fn software(&self, o: &Observation, name: &str, row: &[f64]) -> Result<Evidence, String> {
        let s = self.resolve_software(name)?;
        let sw = &self.kb.software[s];
        let users = self.kb.software_users(s);
        let g = self.profiles.actors.len();
        let public = sw.kind == ascribe_core::EntityKind::Tool || users.len() >= 5;
        let (cost, why) = if public {
            (
                ForgeCost::Cheap,
                "publicly available or widely shared tool: anyone can deploy it",
            )
        } else {
            (ForgeCost::Moderate, "a family used by few groups: deploying it needs access to its builds (leaks and purchases happen)")
        };
        let label = if normalize_name(name) == normalize_name(&sw.name)
            || name.trim().eq_ignore_ascii_case(&sw.id)
        {
            format!("Software {} ({})", sw.name, sw.id)
        } else {
            format!("Software {name} = {} ({})", sw.name, sw.id)
        };
        let mut e = self.base(o, EvidenceKind::Software, label, cost, why);
        e.dependence = format!("software:{}", sw.id);
        e.fingerprint = format!("software|{}", sw.id);
        if users.is_empty() {
            e.notes.push(format!(
                "{} is not linked to any actor in the knowledge base: neutral",
                sw.name
            ));
            return Ok(e);
        }
        let pr = &self.profiles;
        for (k, &a) in pr.actors.iter().enumerate() {
            let known = users.contains(&a);
            let why = if known {
                format!(
                    "{} uses {} ({} of {g} actors with software profiles do)",
                    self.actor_label(a),
                    sw.name,
                    users.len(),
                )
            } else {
                format!("{} is not known to use {}", self.actor_label(a), sw.name)
            };
            e.support.push(ActorSupport {
                actor: self.kb.actors[a].id.clone(),
                lr: ttp::temper(row.get(k).copied().unwrap_or(1.0), self.ttp.temperature),
                why,
            });
        }
        Ok(e)
    }

    fn country_support(
        &self,
        e: &mut Evidence,
        countries: &[&str],
        lr_match: f64,
        lr_other: f64,
        what: &str,
    ) {
        for (a, actor) in self.kb.actors.iter().enumerate() {
            let Some(c) = actor.country.as_deref() else {
                continue;
            };
            let m = countries.iter().any(|x| x.eq_ignore_ascii_case(c));
            if !m && lr_other == 1.0 {
                continue;
            }
            e.support.push(ActorSupport {
                actor: actor.id.clone(),
                lr: if m { lr_match } else { lr_other },
                why: if m {
                    format!("{} is attributed to {c}, {what}", self.actor_label(a))
                } else {
                    format!("{} is attributed to {c}", self.actor_label(a))
                },
            });
        }
    }

    fn indicator(&self, o: &Observation) -> Result<Option<Evidence>, String> {
        let ObservationKind::Indicator {
            indicator,
            value,
            country,
            overlaps,
            role,
            ..
        } = &o.kind
        else {
            return Ok(None);
        };
        let mut actors: Vec<(ActorIdx, String)> = Vec::new();
        for inf in self.kb.infrastructure_for(value) {
            actors.push((
                inf.actor,
                format!(
                    "known infrastructure of {} (knowledge base: {})",
                    self.actor_label(inf.actor),
                    inf.source
                ),
            ));
        }
        if let Some(name) = overlaps {
            let (list, who) = self.actors_or_country(name)?;
            for a in list {
                actors.push((
                    a,
                    format!(
                        "overlaps known infrastructure of {who} according to {}",
                        o.source.title
                    ),
                ));
            }
        }
        let role_s = role
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        if !actors.is_empty() {
            let mut e = self.base(
                o,
                EvidenceKind::Infrastructure,
                format!("{} {}{} overlaps known infrastructure", indicator.as_str(), value, role_s),
                ForgeCost::Moderate,
                "re-using another actor's infrastructure needs finding and compromising it (Turla ran operations through OilRig's infrastructure in 2019)",
            );
            e.dependence = format!("infrastructure:{}", o.source.id);
            e.fingerprint = format!("infra|{}|{}", value.to_ascii_lowercase(), o.source.id);
            for (a, why) in actors {
                if e.support.iter().any(|s| s.actor == self.kb.actors[a].id) {
                    continue;
                }
                e.support.push(ActorSupport {
                    actor: self.kb.actors[a].id.clone(),
                    lr: 25.0,
                    why,
                });
            }
            return Ok(Some(e));
        }
        if let Some(c) = country {
            let Some(cc) = find_country(c) else {
                return Err(format!(
                    "country '{c}' is not known; use an ISO 3166 code such as KP"
                ));
            };
            let mut e = self.base(
                o,
                EvidenceKind::Geolocation,
                format!(
                    "{} {}{} geolocates to {}",
                    indicator.as_str(),
                    value,
                    role_s,
                    cc.name
                ),
                ForgeCost::Cheap,
                "renting a server or routing through a compromised host in any country is trivial",
            );
            e.dependence = format!("geolocation:{}", cc.iso2);
            e.rho = 0.3;
            e.reliability = e.reliability.min(0.6);
            e.fingerprint = format!("geo|{}|{}", value.to_ascii_lowercase(), cc.iso2);
            self.country_support(
                &mut e,
                &[cc.iso2],
                1.5,
                1.0,
                "where the indicator is hosted",
            );
            return Ok(Some(e));
        }
        Err(format!(
            "{} {value} matches no known infrastructure and has no country: no evidence either way (kept in the case, not weighed)",
            indicator.as_str()
        ))
    }

    fn timezone(&self, o: &Observation, offset: f64, uncertainty: f64, summary: &str) -> Evidence {
        let mut e = self.base(
            o,
            EvidenceKind::Timezone,
            summary.to_string(),
            ForgeCost::Cheap,
            "timestamps can be set to anything at build time, or the build machine's clock changed",
        );
        e.dependence = "timezone".into();
        e.rho = 0.3;
        e.fingerprint = format!("tz|{offset}");
        let countries: Vec<&str> = countries_for_offset(offset, uncertainty.max(0.5))
            .iter()
            .map(|c| c.iso2)
            .collect();
        self.country_support(&mut e, &countries, 3.0, 0.6, &format!("in UTC{offset:+}"));
        e
    }

    fn artifact(&self, o: &Observation) -> Result<Option<Evidence>, String> {
        let ObservationKind::Artifact {
            artifact,
            value,
            sample,
            known_for,
        } = &o.kind
        else {
            return Ok(None);
        };
        let in_sample = sample
            .as_deref()
            .map(|s| format!(" in {s}"))
            .unwrap_or_default();
        let dep_sample = sample.clone().unwrap_or_else(|| o.source.id.clone());
        match artifact {
            ArtifactType::ResourceLanguage | ArtifactType::CodePage => {
                let lang = language_name(value).unwrap_or(value.as_str()).to_string();
                let countries: Vec<&str> = countries_for_language(&lang)
                    .iter()
                    .map(|c| c.iso2)
                    .collect();
                if countries.is_empty() {
                    return Err(format!("language '{value}' is not known (write an English name such as Korean, or a LANGID such as 0x0412)"));
                }
                let mut e = self.base(
                    o,
                    EvidenceKind::Language,
                    format!("{} language resources{in_sample}", lang),
                    ForgeCost::Cheap,
                    "a resource language is one field of the resource directory; Olympic Destroyer-style false flags and plain mistakes both produce it",
                );
                e.dependence = format!("language:{}", normalize_name(&lang));
                e.rho = 0.3;
                e.fingerprint = format!("lang|{}|{}", normalize_name(&lang), dep_sample);
                self.country_support(
                    &mut e,
                    &countries,
                    8.0,
                    0.4,
                    &format!("where {lang} is spoken"),
                );
                Ok(Some(e))
            }
            ArtifactType::UtcOffset => {
                let (off, unc) = parse_offset(value).ok_or_else(|| format!("UTC offset '{value}' is not understood (write +9, -5 or +3:30, optionally with ±1)"))?;
                Ok(Some(self.timezone(
                    o,
                    off,
                    unc,
                    &format!("Working hours point to UTC{off:+} (±{unc})"),
                )))
            }
            ArtifactType::CompileTime => Ok(None),
            ArtifactType::RichHeader | ArtifactType::PdbPath | ArtifactType::Certificate => {
                let (kind, cost, why, lr) = match artifact {
                    ArtifactType::RichHeader => (EvidenceKind::Toolchain, ForgeCost::Moderate, "the Rich header can be copied from another actor's binary (Olympic Destroyer copied Lazarus's in 2018)", 10.0),
                    ArtifactType::PdbPath => (EvidenceKind::DeveloperPath, ForgeCost::Moderate, "a PDB path is a string; matching another actor's known paths needs knowledge of its builds", 10.0),
                    _ => (EvidenceKind::Certificate, ForgeCost::Costly, "a valid signature needs the private key of the certificate", 50.0),
                };
                let mut e = self.base(
                    o,
                    kind,
                    format!("{} {}{in_sample}", artifact.as_str(), value),
                    cost,
                    why,
                );
                e.dependence = format!("{}:{}", kind.as_str(), normalize_name(value));
                e.fingerprint =
                    format!("{}|{}|{}", kind.as_str(), normalize_name(value), dep_sample);
                match known_for {
                    Some(name) => {
                        let a = self.resolve_actor_name(name)?;
                        e.support.push(ActorSupport {
                            actor: self.kb.actors[a].id.clone(),
                            lr,
                            why: format!("seen in {}'s tools according to {}", self.actor_label(a), o.source.title),
                        });
                        Ok(Some(e))
                    }
                    None => Err(format!("{} '{value}' is not tied to any actor (add known_for = \"ACTOR\" with a source, or index reference samples); kept, not weighed", artifact.as_str())),
                }
            }
            ArtifactType::SignatureMismatch => {
                let mut e = self.base(
                    o,
                    EvidenceKind::Certificate,
                    format!("Signature not made for this file{in_sample}: {value}"),
                    ForgeCost::Moderate,
                    "copying a signature from a legitimately signed file (SigThief) is easy, but the copied digest then contradicts the file",
                );
                e.dependence = format!("tamper:{dep_sample}");
                e.fingerprint = format!("tamper|{dep_sample}|signature");
                e.false_flag_lr = 5.0;
                e.notes
                    .push("tampering signal: raises every false-flag hypothesis".into());
                Ok(Some(e))
            }
            ArtifactType::RichMismatch => {
                let mut e = self.base(
                    o,
                    EvidenceKind::Toolchain,
                    format!("Rich header contradicts the linker version{in_sample}: {value}"),
                    ForgeCost::Moderate,
                    "a forged or transplanted Rich header rarely matches the real linker (how Olympic Destroyer's forgery was exposed)",
                );
                e.dependence = format!("tamper:{dep_sample}");
                e.fingerprint = format!("tamper|{dep_sample}|{}", normalize_name(value));
                e.false_flag_lr = 5.0;
                e.notes
                    .push("tampering signal: raises every false-flag hypothesis".into());
                Ok(Some(e))
            }
        }
    }

    fn code_overlap(&self, o: &Observation) -> Result<Evidence, String> {
        let ObservationKind::CodeOverlap {
            family,
            actor,
            similarity,
            shared,
            sample,
        } = &o.kind
        else {
            unreachable!()
        };
        let sim = similarity.clamp(0.0, 1.0);
        let lr = 1.0 + 400.0 * sim * sim;
        let mut e = self.base(
            o,
            EvidenceKind::CodeReuse,
            format!(
                "Code shared with {family} (similarity {:.0}%{}){}",
                sim * 100.0,
                if shared.is_empty() { String::new() } else { format!(": {}", shared.join(", ")) },
                sample.as_deref().map(|s| format!(" in {s}")).unwrap_or_default()
            ),
            ForgeCost::Costly,
            "reproducing another actor's private code lineage needs its source code (Olympic Destroyer could copy a Rich header, not years of a private codebase)",
        );
        // One analysis (a source, a sample) finding several families shares
        // its method and its mistakes: its findings saturate.
        e.dependence = format!(
            "code:{}:{}",
            o.source.id,
            sample.clone().unwrap_or_default()
        );
        e.fingerprint = format!(
            "code|{}|{}|{}",
            normalize_name(family),
            sample.clone().unwrap_or_default(),
            o.source.id
        );
        let mut actors: Vec<(ActorIdx, String)> = Vec::new();
        if let Resolution::Found { index, .. } = self.kb.resolve_software(family) {
            for &a in self.kb.software_users(index) {
                actors.push((
                    a,
                    format!(
                        "{} uses {} (knowledge base)",
                        self.actor_label(a),
                        self.kb.software[index].name
                    ),
                ));
            }
        }
        if let Some(name) = actor {
            let (list, who) = self.actors_or_country(name)?;
            for a in list {
                if !actors.iter().any(|x| x.0 == a) {
                    actors.push((
                        a,
                        format!("{family} is tied to {who} according to {}", o.source.title),
                    ));
                }
            }
        }
        if actors.is_empty() {
            return Err(format!("code family '{family}' is not linked to an actor in the knowledge base; add actor = \"NAME\" to the finding"));
        }
        for (a, why) in actors {
            e.support.push(ActorSupport {
                actor: self.kb.actors[a].id.clone(),
                lr,
                why,
            });
        }
        Ok(e)
    }

    fn claim(&self, o: &Observation) -> Result<Evidence, String> {
        let ObservationKind::Claim {
            claimant,
            claimant_kind,
            target,
            stance,
            quote,
        } = &o.kind
        else {
            unreachable!()
        };
        let base_lr = claim_lr(*claimant_kind);
        let (lr, what) = match stance {
            Stance::Asserts => (base_lr, "attributes the attack to"),
            Stance::Suspects => (base_lr.sqrt(), "suspects"),
            Stance::Doubts => (1.0 / base_lr.sqrt(), "doubts it was"),
            Stance::Denies => (0.95, "denies it was"),
            Stance::ClaimsResponsibility => (3.0, "claims responsibility as"),
        };
        let self_claim = *stance == Stance::ClaimsResponsibility;
        let (kind, cost, why_cost) = if self_claim {
            (
                EvidenceKind::SelfClaim,
                ForgeCost::Cheap,
                "anyone can claim an attack in any name",
            )
        } else {
            (
                EvidenceKind::ThirdPartyClaim,
                ForgeCost::Moderate,
                "an assessment rests on the evidence its author saw: a false flag that fools the evidence fools the assessment; never weighted above technical evidence",
            )
        };
        let quote_s = quote
            .as_deref()
            .map(|q| format!(": \"{q}\""))
            .unwrap_or_default();
        let org = self.claimed_state_org(target);
        let shown = match self.kb.resolve_actor(target) {
            _ if org.is_some() => org.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
            Resolution::Found { index, .. } => self.actor_label(index),
            _ => find_country(target)
                .map(|c| c.name.to_string())
                .unwrap_or_else(|| target.clone()),
        };
        let mut e = self.base(
            o,
            kind,
            format!("{claimant} {what} {shown}{quote_s}"),
            cost,
            why_cost,
        );
        e.reliability = source_reliability(*claimant_kind).min(0.8);
        // All third-party claims echo each other (media repeat officials): one group.
        e.dependence = if self_claim {
            "self-claim".into()
        } else {
            "claims".into()
        };
        e.rho = 0.3;
        e.fingerprint = format!(
            "claim|{}|{}|{}",
            normalize_name(claimant),
            normalize_name(target),
            stance.as_str()
        );
        if let Some(org) = org {
            return self.state_org_support(e, &org, lr, &format!("{claimant} {what}"));
        }
        match self.kb.resolve_actor(target) {
            Resolution::Found { index, .. } => {
                e.support.push(ActorSupport {
                    actor: self.kb.actors[index].id.clone(),
                    lr,
                    why: format!(
                        "{claimant} ({}) {what} {}",
                        claimant_kind.as_str(),
                        self.actor_label(index)
                    ),
                });
                Ok(e)
            }
            Resolution::Ambiguous { .. } | Resolution::NotFound => {
                if let Some(c) = find_country(target) {
                    // a claim about a country is about its state
                    let actors = self.kb.actors_of_state(c.iso2);
                    if actors.is_empty() {
                        return Err(format!(
                            "no actor of {} in the knowledge base; claim kept, not weighed",
                            c.name
                        ));
                    }
                    for a in actors {
                        e.support.push(ActorSupport {
                            actor: self.kb.actors[a].id.clone(),
                            lr,
                            why: format!(
                                "{claimant} {what} {} ({} is attributed to {})",
                                c.name,
                                self.actor_label(a),
                                c.iso2
                            ),
                        });
                    }
                    Ok(e)
                } else {
                    self.resolve_actor_name(target).map(|_| e)
                }
            }
        }
    }
}

impl EvidenceBuilder<'_> {
    /// The state organisation a claim names ("the GRU", "Unit 74455"),
    /// unless the name is an actor's id or own name (an organisation's name
    /// wins over an actor's alias: "Unit 121" is listed as a Lazarus alias).
    fn claimed_state_org(&self, target: &str) -> Option<ascribe_kb::StateOrg> {
        let org = self.kb.resolve_state_org(target)?;
        match self.kb.resolve_actor(target) {
            Resolution::Found {
                tier: ascribe_kb::MatchTier::Id | ascribe_kb::MatchTier::Name,
                ..
            } => None,
            _ => Some(org),
        }
    }

    /// A claim naming a state organisation supports the state's groups like
    /// a country claim does, and the groups the sources tie to that
    /// organisation (or one of its units) with the claim's full ratio; the
    /// state's other groups get its square root (the organisation is one
    /// of several of that state).
    fn state_org_support(
        &self,
        mut e: Evidence,
        org: &ascribe_kb::StateOrg,
        lr: f64,
        what: &str,
    ) -> Result<Evidence, String> {
        let state = self.kb.actors_of_state(&org.country);
        let mut all: Vec<ActorIdx> = org.actors.clone();
        for a in state {
            if !all.contains(&a) {
                all.push(a);
            }
        }
        if all.is_empty() {
            return Err(format!(
                "no actor of {} ({}) in the knowledge base; claim kept, not weighed",
                org.name, org.country
            ));
        }
        for a in all {
            let tied = org.actors.contains(&a);
            let (r, how) = if tied {
                (lr, format!("tied to {}", org.name))
            } else {
                (lr.sqrt(), format!("another group of {}", org.country))
            };
            e.support.push(ActorSupport {
                actor: self.kb.actors[a].id.clone(),
                lr: r,
                why: format!("{what} {} ({}: {how})", org.name, self.actor_label(a)),
            });
        }
        Ok(e)
    }
}

/// Parse `+9`, `-5`, `+3:30`, `UTC+9`, optionally with `±1` / `+-1`.
pub fn parse_offset(s: &str) -> Option<(f64, f64)> {
    let s = s
        .trim()
        .trim_start_matches("UTC")
        .trim_start_matches("GMT")
        .trim();
    let (main, unc) = match s.split_once('±').or_else(|| s.split_once("+-")) {
        Some((m, u)) => (
            m.trim(),
            u.trim().trim_end_matches('h').parse::<f64>().ok()?,
        ),
        None => (s, 1.0),
    };
    let (sign, rest) = match main.chars().next()? {
        '+' => (1.0, &main[1..]),
        '-' => (-1.0, &main[1..]),
        _ => (1.0, main),
    };
    let v = match rest.split_once(':') {
        Some((h, m)) => h.parse::<f64>().ok()? + m.parse::<f64>().ok()? / 60.0,
        None => rest.parse::<f64>().ok()?,
    };
    if !(0.0..=14.0).contains(&v) || !(0.0..=12.0).contains(&unc) {
        return None;
    }
    Some((sign * v, unc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+9"), Some((9.0, 1.0)));
        assert_eq!(parse_offset("UTC+3:30 ± 0.5"), Some((3.5, 0.5)));
        assert_eq!(parse_offset("-5"), Some((-5.0, 1.0)));
        assert_eq!(parse_offset("+99"), None);
        assert_eq!(parse_offset("nine"), None);
    }
}
