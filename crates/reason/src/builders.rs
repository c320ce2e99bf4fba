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
use ascribe_core::diagnostic::{split_code, warn};
use ascribe_core::{
    normalize_name, ActorSupport, ArtifactType, DeclaredStance, Evidence, EvidenceKind, ForgeCost,
    IndicatorType, LinkKind, Observation, ObservationKind, SourceKind, Stance, Status,
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
    /// Analysis date, when the case is assessed as of a day.
    as_of: Option<ascribe_core::PartialDate>,
    /// Matches of the case's indicators against imported intelligence
    /// (`crate::intel`).
    intel: Vec<ascribe_intel::matching::IntelMatch>,
    /// The states with an unknown-group hypothesis (the states of the
    /// knowledge base's actors, [`crate::unknown_states`]).
    states: Vec<String>,
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
            as_of: None,
            intel: Vec::new(),
            states: crate::unknown_states::state_shares(kb)
                .into_iter()
                .map(|x| x.0)
                .collect(),
        }
    }

    /// Assess as of a day (`YYYY-MM-DD`; anything else is ignored): names
    /// known only through undated aliases stop turning a persona's
    /// self-claim into evidence (see [`Self::persona_through_alias`]).
    pub fn with_as_of(mut self, date: Option<&str>) -> Self {
        self.as_of = date.and_then(|d| ascribe_core::parse_as_of(d).ok());
        self
    }

    /// With an analysis date, a self-claim whose claimant (the persona)
    /// reaches an actor only through an alias is not evidence for that
    /// actor. Aliases carry no date (MISP synonyms, ATT&CK aliases), and a
    /// persona's name typically became an alias of the actor *because of*
    /// the incident being judged ("Guardians of Peace" for Lazarus Group,
    /// after the 2014 Sony attack): weighing it would be hindsight. Returns
    /// the note to attach, or `None` when the claim weighs as usual.
    fn persona_through_alias(&self, claimant: &str, target: &str) -> Option<String> {
        let date = self.as_of?;
        let persona = claimant.split(" (").next().unwrap_or(claimant).trim();
        let by_alias = |name: &str| match self.kb.resolve_actor(name) {
            Resolution::Found {
                index,
                tier: ascribe_kb::MatchTier::Alias | ascribe_kb::MatchTier::Derived,
            } => Some(index),
            _ => None,
        };
        let target_actor = match self.kb.resolve_actor(target) {
            Resolution::Found { index, .. } => Some(index),
            _ => None,
        };
        let a = by_alias(persona)
            .filter(|&a| target_actor.is_none_or(|t| t == a))
            .or_else(|| by_alias(target))?;
        let who = self.actor_label(a);
        Some(format!(
            "as of {date}, '{persona}' is tied to {who} only through an undated alias in the knowledge base (possibly a name the actor was given because of this very incident); kept as a self-claim by an unknown persona, not as evidence for {who}"
        ))
    }

    /// Weigh the case's matches against imported intelligence
    /// ([`ascribe_intel::matching::match_indicators`]) as infrastructure
    /// evidence (`crate::intel`).
    pub fn with_intel_matches(mut self, matches: Vec<ascribe_intel::matching::IntelMatch>) -> Self {
        self.intel = matches;
        self
    }

    pub(crate) fn kb(&self) -> &KnowledgeBase {
        self.kb
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
            if !weighable(o) {
                continue;
            }
            let f = match &o.kind {
                ObservationKind::Technique { id } => self
                    .resolve_technique(id)
                    .ok()
                    .map(|x| Feature::Technique(x.0)),
                ObservationKind::Software { name, .. } => {
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
                if !weighable(o) {
                    out.warnings.push(format!(
                        "{}: {}: compile time {value} — shown, not weighed",
                        o.id,
                        why_not_weighed(o)
                    ));
                    continue;
                }
                match parse_timestamp(value) {
                    Some(t) => compile_times.push((o, t)),
                    None => out.warnings.push(warn("W005", format!(
                        "{}: compile time '{value}' is not an ISO 8601 UTC timestamp (write e.g. 2014-11-21T14:03:00Z); ignored",
                        o.id
                    ))),
                }
                continue;
            }
            let ttp_row = row_of.get(&i).map(|&r| rows[r].as_slice());
            match self.one(o, ttp_row.unwrap_or(&[])) {
                Ok(Some(mut e)) => {
                    finish(o, &mut e);
                    if weighable(o) {
                        out.evidence.push(e);
                    } else {
                        out.warnings.push(format!(
                            "{}: {}: {} ({}, {} to forge) — shown, not weighed",
                            o.id,
                            why_not_weighed(o),
                            e.summary,
                            e.kind.as_str(),
                            e.forge_cost.as_str()
                        ));
                    }
                }
                Ok(None) => {}
                Err(w) if !weighable(o) => out.warnings.push(format!(
                    "{}: {}: {} — shown, not weighed",
                    o.id,
                    why_not_weighed(o),
                    split_code(&w).map(|x| x.1).unwrap_or(&w)
                )),
                Err(w) => out.warnings.push(match split_code(&w) {
                    Some((c, rest)) => format!("{} {}: {}: {rest}", c.code, c.name, o.id),
                    None => format!("{}: {w}", o.id),
                }),
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
        if !self.intel.is_empty() {
            self.intel_evidence(&self.intel, &mut out);
            let label = |id: &str| {
                self.kb
                    .actor_by_id(id)
                    .map(|a| self.actor_label(a))
                    .unwrap_or_else(|| id.to_string())
            };
            crate::intel::hijack_reading(&mut out.evidence, &label);
        }
        co_located_targets(observations, &mut out.evidence, self.kb);
        let groups = one_fact_one_count(&mut out.evidence);
        for (i, e) in out.evidence.iter_mut().enumerate() {
            e.id = format!("E{}", i + 1);
        }
        note_routes(&mut out.evidence, &groups, observations);
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
            false_flag_targets: Vec::new(),
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
            false_flag_targets: Vec::new(),
        }
    }

    fn resolve_actor_name(&self, name: &str) -> Result<ActorIdx, String> {
        match self.kb.resolve_actor(name) {
            Resolution::Found { index, .. } => Ok(index),
            Resolution::Ambiguous { candidates, .. } => Err(warn("W002", format!(
                "actor name '{name}' is ambiguous in the knowledge base ({}); write one of these ids instead",
                candidates
                    .iter()
                    .take(8)
                    .map(|&i| format!("{} = {}", self.kb.actors[i].id, self.kb.actors[i].name))
                    .collect::<Vec<_>>()
                    .join("; ")
            ))),
            Resolution::NotFound => Err(warn("W001", format!(
                "actor '{name}' is not in the knowledge base (check `ascribe kb actor NAME`)"
            ))),
        }
    }

    /// Resolve an actor name, or else a country to all its actors.
    pub(crate) fn actors_or_country(&self, name: &str) -> Result<(Vec<ActorIdx>, String), String> {
        match self.kb.resolve_actor(name) {
            Resolution::Found { index, .. } => Ok((vec![index], self.actor_label(index))),
            _ => match find_country(name) {
                Some(c) => {
                    let v = self.kb.actors_of_country(c.iso2);
                    if v.is_empty() {
                        Err(warn(
                            "W007",
                            format!("no actor of {} in the knowledge base", c.name),
                        ))
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

    /// The state a name stands for when it names a country rather than an
    /// actor (as [`Self::actors_or_country`] reads it) and the knowledge
    /// base has actors of that state.
    fn named_state(&self, name: &str) -> Option<String> {
        if let Resolution::Found { .. } = self.kb.resolve_actor(name) {
            return None;
        }
        let c = find_country(name)?;
        self.states
            .iter()
            .find(|s| s.eq_ignore_ascii_case(c.iso2))
            .cloned()
    }

    /// Evidence naming a state speaks to the state's unknown group with
    /// the ratio it gives the state's actors ([`crate::unknown_states`]).
    fn push_state(&self, e: &mut Evidence, name: &str, lr: f64, what: &str) {
        if let Some(st) = self.named_state(name) {
            e.support.push(ActorSupport {
                actor: crate::unknown_states::support_id(&st),
                lr,
                why: format!(
                    "{what}; an unknown group of {st} would leave it as {st}'s known groups would"
                ),
            });
        }
    }

    fn infra_overlap(
        &self,
        o: &Observation,
        indicators: &[String],
        overlaps: &str,
        relation: Option<&str>,
    ) -> Result<Evidence, String> {
        let (actors, who) = self.actors_or_country(overlaps)?;
        match relation.map(|r| r.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("owned") => {}
            Some("hijacked") => return Ok(self.infra_hijacked(o, indicators, &actors, &who)),
            Some("shared") => return Ok(self.infra_shared(o, indicators, &actors, &who)),
            Some(other) => {
                return Err(format!(
                "infrastructure relation '{other}' is not known (write owned, shared or hijacked)"
            ))
            }
        }
        let mut e = self.base(
            o,
            EvidenceKind::Infrastructure,
            format!("{} indicator(s) overlap infrastructure previously tied to {who}", indicators.len()),
            ForgeCost::Moderate,
            "re-using another actor's infrastructure needs finding and compromising it (Turla ran operations through OilRig's infrastructure in 2019)",
        );
        e.dependence = format!("infrastructure:{}", o.source.id);
        let mut inds: Vec<String> = indicators
            .iter()
            .map(|i| i.trim().to_ascii_lowercase())
            .collect();
        inds.sort();
        inds.dedup();
        e.fingerprint = format!(
            "fact|overlap:{}:{}|infrastructure",
            normalize_name(overlaps),
            inds.join(",")
        );
        let lr = if actors.len() == 1 { 25.0 } else { 10.0 };
        for a in actors {
            e.support.push(ActorSupport {
                actor: self.kb.actors[a].id.clone(),
                lr,
                why: format!(
                    "{} reports overlap with infrastructure of {who}; {} is {}",
                    o.source.title,
                    self.actor_label(a),
                    self.tie_to(a, &who)
                ),
            });
        }
        self.push_state(
            &mut e,
            overlaps,
            lr,
            &format!(
                "{} reports overlap with infrastructure of {who}",
                o.source.title
            ),
        );
        e.notes
            .push(format!("indicators: {}", indicators.join(", ")));
        Ok(e)
    }

    /// Infrastructure of X that the source says was hijacked (or stolen)
    /// by someone else: the operator is not the owner. It is not counted as
    /// X's (ratio 1 for X); it is evidence that another actor operated
    /// through X's assets, i.e. for "false flag imitating X", with the
    /// strength an owned overlap would have had for X.
    fn infra_hijacked(
        &self,
        o: &Observation,
        indicators: &[String],
        actors: &[ActorIdx],
        who: &str,
    ) -> Evidence {
        let mut e = self.base(
            o,
            EvidenceKind::Infrastructure,
            format!("{} indicator(s) on infrastructure of {who} that another actor hijacked", indicators.len()),
            ForgeCost::Moderate,
            "operating through another actor's hijacked infrastructure needs finding and taking it over (Turla through OilRig's, 2019)",
        );
        e.dependence = format!("infrastructure:{}", o.source.id);
        e.fingerprint = format!("infra-hijacked|{}|{}", normalize_name(who), o.source.id);
        e.false_flag_lr = if actors.len() == 1 { 25.0 } else { 10.0 };
        e.false_flag_targets = actors
            .iter()
            .map(|&a| self.kb.actors[a].id.clone())
            .collect();
        e.notes.push(format!(
            "hijacked: not counted as {who}'s; raises \"another actor operating through {who}'s infrastructure\" (the false flag of {who})"
        ));
        e.notes
            .push(format!("indicators: {}", indicators.join(", ")));
        e
    }

    /// Infrastructure used by several actors (shared hosting, a common
    /// provider): weak support (the square root of an owned overlap's
    /// ratio) and cheap to reproduce.
    fn infra_shared(
        &self,
        o: &Observation,
        indicators: &[String],
        actors: &[ActorIdx],
        who: &str,
    ) -> Evidence {
        let mut e = self.base(
            o,
            EvidenceKind::Infrastructure,
            format!(
                "{} indicator(s) on infrastructure shared with {who}",
                indicators.len()
            ),
            ForgeCost::Cheap,
            "shared infrastructure (a common hosting provider or service) is open to anyone",
        );
        e.dependence = format!("infrastructure:{}", o.source.id);
        e.fingerprint = format!("infra-shared|{}|{}", normalize_name(who), o.source.id);
        let lr: f64 = if actors.len() == 1 { 25.0 } else { 10.0 };
        for &a in actors {
            e.support.push(ActorSupport {
                actor: self.kb.actors[a].id.clone(),
                lr: lr.sqrt(),
                why: format!(
                    "{} reports infrastructure shared with {who}",
                    o.source.title
                ),
            });
        }
        e.notes
            .push(format!("indicators: {}", indicators.join(", ")));
        e
    }

    /// The knowledge base's users of a software, each with its reason.
    fn software_users_why(&self, index: usize) -> Vec<(ActorIdx, String)> {
        self.kb
            .software_users(index)
            .iter()
            .map(|&a| {
                (
                    a,
                    format!(
                        "{} uses {} (knowledge base)",
                        self.actor_label(a),
                        self.kb.software[index].name
                    ),
                )
            })
            .collect()
    }

    /// Add the actors (or a country's actors) a source ties `subject` to,
    /// those not already in `actors`.
    fn add_named_actors(
        &self,
        actors: &mut Vec<(ActorIdx, String)>,
        subject: &str,
        name: &str,
        o: &Observation,
    ) -> Result<(), String> {
        let (list, who) = self.actors_or_country(name)?;
        for a in list {
            if !actors.iter().any(|x| x.0 == a) {
                actors.push((
                    a,
                    format!("{subject} is tied to {who} according to {}", o.source.title),
                ));
            }
        }
        Ok(())
    }

    /// How actor `a` stands to `who` (an actor's label or a country) in a
    /// `why`: "that actor", or "attributed to {who}".
    fn tie_to(&self, a: ActorIdx, who: &str) -> String {
        if who == self.actor_label(a) {
            "that actor".to_string()
        } else {
            format!("attributed to {who}")
        }
    }

    pub(crate) fn actor_label(&self, a: ActorIdx) -> String {
        let x = &self.kb.actors[a];
        match &x.attack_id {
            Some(id) => format!("{} ({id})", x.name),
            None => x.name.clone(),
        }
    }

    fn one(&self, o: &Observation, ttp_row: &[f64]) -> Result<Option<Evidence>, String> {
        match &o.kind {
            ObservationKind::Technique { id } => self.technique(o, id, ttp_row).map(Some),
            ObservationKind::Software { name, leaked } => {
                self.software(o, name, *leaked, ttp_row).map(Some)
            }
            ObservationKind::Indicator { .. } => self.indicator(o),
            ObservationKind::InfrastructureOverlap {
                indicators,
                overlaps,
                relation,
            } => self
                .infra_overlap(o, indicators, overlaps, relation.as_deref())
                .map(Some),
            ObservationKind::Artifact { .. } => self.artifact(o),
            ObservationKind::CodeOverlap { .. } => self.code_overlap(o).map(Some),
            ObservationKind::Claim { .. } => self.claim(o).map(Some),
            ObservationKind::OperatorOrigin {
                actor,
                address,
                activity,
            } => self
                .operator_origin(o, actor, address.as_deref(), activity.as_deref())
                .map(Some),
            ObservationKind::SameOperator {
                as_of_campaign_or_family,
                actor,
                link,
            } => self
                .same_operator(o, as_of_campaign_or_family, actor.as_deref(), *link)
                .map(Some),
            ObservationKind::DeclaredEvidence {
                hypothesis,
                stance,
                strength,
            } => self
                .declared_evidence(
                    o,
                    hypothesis,
                    *stance == DeclaredStance::For,
                    strength.as_str(),
                )
                .map(Some),
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
                return Err(warn("W003", format!("technique {old} is deprecated in ATT&CK with no replacement; remove it or use a current technique")))
            }
            TechniqueLookup::NotFound => {
                return Err(warn("W003", format!("technique '{id}' is not in the knowledge base (ATT&CK ids look like T1485 or T1561.002)")))
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
                return Err(warn("W002", format!(
                    "software '{name}' is ambiguous ({}); write the ATT&CK id instead",
                    candidates.iter().take(6).map(|&i| format!("{} = {}", self.kb.software[i].id, self.kb.software[i].name)).collect::<Vec<_>>().join("; ")
                )))
            }
            Resolution::NotFound => return Err(warn("W004", format!("software '{name}' is not in the knowledge base; it cannot be weighed (check the name or its ATT&CK id)"))),
        })
    }

    fn software(
        &self,
        o: &Observation,
        name: &str,
        leaked: bool,
        row: &[f64],
    ) -> Result<Evidence, String> {
        let s = self.resolve_software(name)?;
        let sw = &self.kb.software[s];
        let users = self.kb.software_users(s);
        let g = self.profiles.actors.len();
        let public = sw.kind == ascribe_core::EntityKind::Tool || users.len() >= 5;
        let (cost, why) = if leaked {
            (
                ForgeCost::Cheap,
                "its code or builder leaked: after the leak anyone can deploy it",
            )
        } else if public {
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
        if leaked {
            e.notes.push(format!(
                "{} leaked: its ratios are weakened (log-ratio halved) and it is cheap to forge",
                sw.name
            ));
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
            let lr = ttp::temper(row.get(k).copied().unwrap_or(1.0), self.ttp.temperature);
            // A leaked tool is in anyone's hands: using it says half as much
            // (in log-odds) about its owners, for or against.
            let lr = if leaked { lr.sqrt() } else { lr };
            e.support.push(ActorSupport {
                actor: self.kb.actors[a].id.clone(),
                lr,
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
        // the states' unknown groups, as the state's actors
        for st in &self.states {
            let m = countries.iter().any(|x| x.eq_ignore_ascii_case(st));
            if !m && lr_other == 1.0 {
                continue;
            }
            e.support.push(ActorSupport {
                actor: crate::unknown_states::support_id(st),
                lr: if m { lr_match } else { lr_other },
                why: if m {
                    format!("an unknown group of {st}, {what}")
                } else {
                    format!("an unknown group of {st}")
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
        let overlap_state = overlaps.as_deref().and_then(|n| self.named_state(n));
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
            if *indicator == IndicatorType::Wallet {
                e.forge_rationale = "writing another actor's wallet address is trivial, but payments then go to that actor: only a forger who does not want the money (a destructive operation posing as ransomware) gains from it".into();
            }
            e.dependence = format!("infrastructure:{}", o.source.id);
            let mut ids: Vec<&str> = actors
                .iter()
                .map(|x| self.kb.actors[x.0].id.as_str())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            e.fingerprint = format!(
                "fact|{}|infrastructure|{}",
                indicator.fact_key(value),
                ids.join(",")
            );
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
            if let Some(st) = overlap_state {
                e.support.push(ActorSupport {
                    actor: crate::unknown_states::support_id(&st),
                    lr: 25.0,
                    why: format!("overlaps known infrastructure of {st} according to {}; an unknown group of {st} would leave it as {st}'s known groups would", o.source.title),
                });
            }
            return Ok(Some(e));
        }
        if let Some(c) = country {
            let Some(cc) = find_country(c) else {
                return Err(warn(
                    "W005",
                    format!("country '{c}' is not known; use an ISO 3166 code such as KP"),
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
            e.fingerprint = format!("fact|{}|geolocation|{}", indicator.fact_key(value), cc.iso2);
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
        e.fingerprint = format!("fact|utc-offset:{offset:+}|timezone");
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
                    return Err(warn("W005", format!("language '{value}' is not known (write an English name such as Korean, or a LANGID such as 0x0412)")));
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
                // one fact whatever the route (report text, inspection,
                // analyst entry) and however many samples show it
                e.fingerprint = format!("fact|language:{}|language", normalize_name(&lang));
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
                let (off, unc) = parse_offset(value).ok_or_else(|| warn("W005", format!("UTC offset '{value}' is not understood (write +9, -5 or +3:30, optionally with ±1)")))?;
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
                e.false_flag_lr = TAMPER_LR;
                self.tamper_targets(&mut e, known_for.as_deref())?;
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
                e.false_flag_lr = TAMPER_LR;
                self.tamper_targets(&mut e, known_for.as_deref())?;
                Ok(Some(e))
            }
        }
    }

    /// Whom a tampering item points at: the actor the forged artifact
    /// imitates (`known_for`). Without it, the targets are filled in after
    /// all items are built, from the actor-specific artifacts of the same
    /// sample (see [`Self::co_located_targets`]).
    fn tamper_targets(&self, e: &mut Evidence, known_for: Option<&str>) -> Result<(), String> {
        if let Some(name) = known_for {
            let a = self.resolve_actor_name(name)?;
            e.false_flag_targets = vec![self.kb.actors[a].id.clone()];
            e.notes.push(format!(
                "tampering signal: raises \"false flag imitating {}\" only",
                self.actor_label(a)
            ));
        }
        Ok(())
    }

    /// Evidence for or against a hypothesis the analyst declared
    /// (`declared:<id>`): ratio 2 / 4 / 10 for weak / moderate / strong
    /// evidence for it, the inverse against it; every other hypothesis
    /// keeps ratio 1. Moderate to forge (the analyst's reading of what was
    /// seen; a forge-cost override with its justification can change it).
    /// The observation kind that carries it (`DeclaredEvidence`, contract
    /// C6) calls this with its fields; `strength` is `weak`, `moderate` or
    /// `strong`.
    pub fn declared_evidence(
        &self,
        o: &Observation,
        hypothesis: &str,
        for_it: bool,
        strength: &str,
    ) -> Result<Evidence, String> {
        let lr: f64 = match strength.trim().to_ascii_lowercase().as_str() {
            "weak" => 2.0,
            "moderate" => 4.0,
            "strong" => 10.0,
            other => {
                return Err(format!(
                    "strength '{other}' is not known (write weak, moderate or strong)"
                ))
            }
        };
        let id = hypothesis.trim();
        if id.is_empty() {
            return Err("the declared hypothesis id is empty".into());
        }
        let mut e = self.base(
            o,
            EvidenceKind::Declared,
            format!(
                "{} evidence {} the declared hypothesis '{id}'",
                strength.trim(),
                if for_it { "for" } else { "against" }
            ),
            ForgeCost::Moderate,
            "the analyst's reading of what was seen: as hard to plant as the evidence it rests on",
        );
        e.dependence = format!("declared:{id}:{}", o.source.id);
        e.fingerprint = format!("declared|{id}|{}|{}", o.source.id, o.id);
        e.support.push(ActorSupport {
            actor: format!("{}{id}", ascribe_core::DECLARED_PREFIX),
            lr: if for_it { lr } else { 1.0 / lr },
            why: format!(
                "{} speaks {} '{id}' ({strength})",
                o.source.title,
                if for_it { "for" } else { "against" }
            ),
        });
        Ok(e)
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
            actors.extend(self.software_users_why(index));
        }
        if let Some(name) = actor {
            self.add_named_actors(&mut actors, family, name, o)?;
        }
        if actors.is_empty() {
            return Err(warn("W006", format!("code family '{family}' is not linked to an actor in the knowledge base; add actor = \"NAME\" to the finding")));
        }
        for (a, why) in actors {
            e.support.push(ActorSupport {
                actor: self.kb.actors[a].id.clone(),
                lr,
                why,
            });
        }
        if let Some(name) = actor {
            self.push_state(
                &mut e,
                name,
                lr,
                &format!("{family} is tied to {name} according to {}", o.source.title),
            );
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
        // the target as the KB resolves it ("North Korea" and "KP" are one
        // target), so that one statement reached through case.toml and
        // through a report's text is one fact
        let canonical = match self.kb.resolve_actor(target) {
            Resolution::Found { index, .. } => normalize_name(&self.kb.actors[index].id),
            _ => find_country(target)
                .map(|c| c.iso2.to_ascii_lowercase())
                .unwrap_or_else(|| normalize_name(target)),
        };
        e.fingerprint = format!(
            "claim|{}|{}|{}",
            normalize_name(claimant),
            canonical,
            stance.as_str()
        );
        if self_claim {
            if let Some(note) = self.persona_through_alias(claimant, target) {
                e.summary = format!("{claimant} claims responsibility (persona not tied to a known actor as of the analysis date){quote_s}");
                e.notes.push(note);
                return Ok(e);
            }
        }
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
                        return Err(warn(
                            "W007",
                            format!(
                                "no actor of {} in the knowledge base; claim kept, not weighed",
                                c.name
                            ),
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
                    self.push_state(&mut e, target, lr, &format!("{claimant} {what} {}", c.name));
                    Ok(e)
                } else {
                    self.resolve_actor_name(target).map(|_| e)
                }
            }
        }
    }
}

/// Direction for tampering items without `known_for`: the actors that the
/// actor-specific artifacts of the same sample (a Rich header, PDB path or
/// certificate tied to an actor) support — the forged artifact points
/// where its sample's other artifacts point. When the sample has none, the
/// targets stay empty and the engine's rule applies (the actors the case's
/// forgeable evidence supports most).
fn co_located_targets(observations: &[Observation], items: &mut [Evidence], kb: &KnowledgeBase) {
    // by id, once: a search per item was quadratic in the case's size
    let mut by_id: std::collections::HashMap<&str, &Observation> = Default::default();
    for o in observations {
        by_id.entry(o.id.as_str()).or_insert(o);
    }
    let sample_of = |obs_id: &str| -> Option<String> {
        by_id.get(obs_id).copied().and_then(|o| match &o.kind {
            ObservationKind::Artifact { sample, .. } => {
                Some(sample.clone().unwrap_or_else(|| o.source.id.clone()))
            }
            _ => None,
        })
    };
    let samples: Vec<Option<String>> = items.iter().map(|e| sample_of(&e.observation)).collect();
    for i in 0..items.len() {
        if items[i].false_flag_lr == 1.0 || !items[i].false_flag_targets.is_empty() {
            continue;
        }
        let Some(sample) = &samples[i] else {
            continue;
        };
        let mut targets: Vec<String> = Vec::new();
        for (j, e) in items.iter().enumerate() {
            let same = samples[j].as_ref() == Some(sample);
            let specific = matches!(
                e.kind,
                EvidenceKind::Toolchain | EvidenceKind::DeveloperPath | EvidenceKind::Certificate
            ) && e.false_flag_lr == 1.0;
            if j != i && same && specific {
                for s in e.support.iter().filter(|s| s.lr > 1.0) {
                    if !targets.contains(&s.actor) {
                        targets.push(s.actor.clone());
                    }
                }
            }
        }
        let e = &mut items[i];
        if targets.is_empty() {
            e.notes.push("tampering signal: no artifact of its sample names an actor; the engine aims it at the actors the case's forgeable evidence supports most".into());
        } else {
            let names: Vec<String> = targets
                .iter()
                .map(|id| {
                    kb.actor_by_id(id)
                        .map(|a| kb.actors[a].name.clone())
                        .unwrap_or_else(|| id.clone())
                })
                .collect();
            e.notes.push(format!(
                "tampering signal: raises \"false flag imitating {}\" only (the actor(s) its sample's other artifacts point to)",
                names.join(", ")
            ));
            e.false_flag_targets = targets;
        }
    }
}

/// Likelihood ratio of an operator connection from one actor's address
/// space (a country's actors share [`OPERATOR_ORIGIN_LR_COUNTRY`]).
pub const OPERATOR_ORIGIN_LR: f64 = 20.0;
/// The same, when the address space is a country's: every actor of it.
pub const OPERATOR_ORIGIN_LR_COUNTRY: f64 = 8.0;
/// Same operators as a campaign or family of one actor (several: 8).
pub const SAME_OPERATOR_LR: f64 = 20.0;
/// Same C2 as a campaign or family of one actor: as an infrastructure
/// overlap (several: 10).
pub const SAME_C2_LR: f64 = 25.0;
/// Ratio of a tampering proof (a Rich header that contradicts its linker, a
/// signature not made for its file) for *false flag imitating T* against
/// *T*: how much likelier the contradiction is from a forger who
/// transplanted T's artifact (about one in two: a copied header rarely
/// matches the real linker) than from T's own builds (a few in a hundred at
/// most: toolchain oddities). It must exceed `1 / (κ · q_moderate)` (≈ 5.7
/// with κ = 0.35, q = 0.5), or one proof of forgery could never make the
/// imitator lead over T on evidence a forger can imitate (moderate) — the
/// earlier ratio, 5, could not. Costly evidence for T (private code,
/// `q = 0.05`) still outweighs it. A stated constant: no benchmark case
/// involves deception, so it cannot be fitted.
pub const TAMPER_LR: f64 = 20.0;
/// Reliability multiplier of an item its source states with doubt.
pub const UNCERTAIN_RELIABILITY: f64 = 0.5;

/// Whether an observation may weigh: retracted items and illustrative
/// stand-ins are shown, never weighed.
pub fn weighable(o: &Observation) -> bool {
    !o.illustrative && o.status != Status::Retracted
}

fn why_not_weighed(o: &Observation) -> &'static str {
    if o.status == Status::Retracted {
        "retracted by its source"
    } else {
        "illustrative stand-in"
    }
}

/// What every item gets after its builder: the analyst's forge-cost
/// override, the uncertain status, the analyst's fact key.
fn finish(o: &Observation, e: &mut Evidence) {
    if let Some((cost, why)) = &o.forge_cost_override {
        if *cost != e.forge_cost {
            e.notes.push(format!(
                "forge cost set to {} by the analyst (the builder's class: {}, because {})",
                cost.as_str(),
                e.forge_cost.as_str(),
                e.forge_rationale
            ));
        }
        e.forge_cost = *cost;
        e.forge_rationale = format!("analyst: {why}");
    }
    if o.status == Status::Uncertain {
        let before = e.reliability;
        e.reliability *= UNCERTAIN_RELIABILITY;
        e.summary = format!("(uncertain) {}", e.summary);
        e.notes.push(format!(
            "stated with doubt by its source: reliability {before:.2} → {:.2}",
            e.reliability
        ));
    }
    if let Some(key) = &o.fact_key {
        let actors = if e.kind == EvidenceKind::Infrastructure {
            let mut ids: Vec<&str> = e.support.iter().map(|s| s.actor.as_str()).collect();
            ids.sort_unstable();
            format!("|{}", ids.join(","))
        } else {
            String::new()
        };
        e.fingerprint = format!("fact|{key}|{}{actors}", e.kind.as_str());
    }
}

/// The fact an item stands for, as shown to the analyst (`language:korean`,
/// `technique:T1485`), from its fingerprint.
pub fn fact_of(e: &Evidence) -> String {
    if let Some(rest) = e.fingerprint.strip_prefix("fact|") {
        return rest.split('|').next().unwrap_or(rest).to_string();
    }
    match e.fingerprint.split_once('|') {
        Some((k, v)) => format!("{k}:{}", v.replace('|', ":")),
        None => e.fingerprint.clone(),
    }
}

/// Duplicates by fingerprint (the fact key): the most reliable item of each
/// fact moves to the fact's first position, so that the engine, which counts
/// the first of a fingerprint, counts the best route. Returns the groups of
/// more than one item (indices after the move).
fn one_fact_one_count(items: &mut [Evidence]) -> Vec<Vec<usize>> {
    let mut by_fp: HashMap<String, Vec<usize>> = HashMap::new();
    let mut order = Vec::new();
    for (i, e) in items.iter().enumerate() {
        let v = by_fp.entry(e.fingerprint.clone()).or_default();
        if v.is_empty() {
            order.push(e.fingerprint.clone());
        }
        v.push(i);
    }
    let mut groups = Vec::new();
    for fp in order {
        let g = &by_fp[&fp];
        if g.len() < 2 {
            continue;
        }
        let best = g
            .iter()
            .copied()
            .max_by(|&a, &b| {
                items[a]
                    .reliability
                    .partial_cmp(&items[b].reliability)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(b.cmp(&a))
            })
            .unwrap_or(g[0]);
        items.swap(g[0], best);
        groups.push(g.clone());
    }
    groups
}

/// How an observation reached the case: the analyst's entry, a report's
/// text, or ascribe's inspection of a binary.
fn route_of(o: Option<&Observation>) -> String {
    let Some(o) = o else {
        return "ascribe".into();
    };
    let file = o.location.as_ref().map(|l| l.file.as_str()).unwrap_or("");
    if o.id.starts_with("binaries#") || o.id.starts_with("code:") {
        "inspection of the case's binaries".into()
    } else if file.ends_with("case.toml") {
        format!("analyst entry {} from {}", o.id, o.source.id)
    } else if !file.is_empty() {
        format!("text of {file}")
    } else {
        o.source.id.clone()
    }
}

fn note_routes(items: &mut [Evidence], groups: &[Vec<usize>], observations: &[Observation]) {
    let obs: HashMap<&str, &Observation> =
        observations.iter().map(|o| (o.id.as_str(), o)).collect();
    for g in groups {
        let fact = fact_of(&items[g[0]]);
        let routes: Vec<String> = g
            .iter()
            .map(|&i| {
                let e = &items[i];
                format!(
                    "{} ({}, reliability {:.2})",
                    route_of(obs.get(e.observation.as_str()).copied()),
                    e.id,
                    e.reliability
                )
            })
            .collect();
        let first = items[g[0]].id.clone();
        items[g[0]].notes.push(format!(
            "one fact ({fact}) reached through {} routes, counted once through the most reliable: {}",
            g.len(),
            routes.join("; ")
        ));
        for &i in &g[1..] {
            items[i].notes.push(format!(
                "same fact ({fact}) as {first}: confirms it, not counted again"
            ));
        }
    }
}

impl EvidenceBuilder<'_> {
    /// Every actor a campaign (by name or ATT&CK id) is attributed to.
    fn campaign_actors(&self, name: &str) -> Vec<ActorIdx> {
        let n = normalize_name(name);
        let mut out = Vec::new();
        for a in 0..self.kb.actors.len() {
            let hit = self.kb.profile(a).campaigns.iter().any(|(cname, id, _)| {
                normalize_name(cname) == n
                    || id
                        .as_deref()
                        .is_some_and(|i| i.eq_ignore_ascii_case(name.trim()))
            });
            if hit {
                out.push(a);
            }
        }
        out
    }

    fn operator_origin(
        &self,
        o: &Observation,
        actor: &str,
        address: Option<&str>,
        activity: Option<&str>,
    ) -> Result<Evidence, String> {
        let (actors, who) = self.actors_or_country(actor)?;
        let what = activity.map(|a| format!(" ({a})")).unwrap_or_default();
        let from = address.map(|a| format!(" from {a}")).unwrap_or_default();
        let mut e = self.base(
            o,
            EvidenceKind::OperatorOrigin,
            format!("The operators connected{from}, address space of {who}{what}"),
            ForgeCost::Moderate,
            "an operator's own session is not where a server is rented: to plant it a forger must route its own logins through the other actor's or state's address space (a hop inside it), and a slip of this kind is what exposed the Guardians of Peace and Guccifer 2.0",
        );
        e.dependence = "operator-origin".into();
        e.rho = 0.5;
        e.fingerprint = format!(
            "fact|operator-origin:{}|operator-origin",
            address
                .map(|a| a.trim().to_ascii_lowercase())
                .unwrap_or_else(|| normalize_name(actor))
        );
        let lr = if actors.len() == 1 {
            OPERATOR_ORIGIN_LR
        } else {
            OPERATOR_ORIGIN_LR_COUNTRY
        };
        for a in actors {
            e.support.push(ActorSupport {
                actor: self.kb.actors[a].id.clone(),
                lr,
                why: format!(
                    "{} reports an operator connection from {who}'s address space; {} is {}",
                    o.source.title,
                    self.actor_label(a),
                    self.tie_to(a, &who)
                ),
            });
        }
        self.push_state(
            &mut e,
            actor,
            lr,
            &format!(
                "{} reports an operator connection from {who}'s address space",
                o.source.title
            ),
        );
        Ok(e)
    }

    fn same_operator(
        &self,
        o: &Observation,
        to: &str,
        actor: Option<&str>,
        link: LinkKind,
    ) -> Result<Evidence, String> {
        let mut actors: Vec<(ActorIdx, String)> = Vec::new();
        let mut known = false;
        let campaign = self.campaign_actors(to);
        if !campaign.is_empty() {
            known = true;
            for a in campaign {
                actors.push((
                    a,
                    format!(
                        "campaign {to} is attributed to {} (knowledge base)",
                        self.actor_label(a)
                    ),
                ));
            }
        }
        if actors.is_empty() {
            if let Resolution::Found { index, .. } = self.kb.resolve_software(to) {
                known = true;
                actors.extend(self.software_users_why(index));
            }
        }
        if actors.is_empty() {
            if let Resolution::Found { index, .. } = self.kb.resolve_actor(to) {
                known = true;
                actors.push((
                    index,
                    format!("{to} is {} (knowledge base)", self.actor_label(index)),
                ));
            }
        }
        if let Some(name) = actor {
            self.add_named_actors(&mut actors, to, name, o)?;
        }
        if actors.is_empty() {
            return Err(if known {
                warn("W006", format!("'{to}' is in the knowledge base but linked to no actor; add actor = \"NAME\" to the [[link]]"))
            } else {
                warn("W001", format!("'{to}' is not a campaign, software or actor the knowledge base knows; add actor = \"NAME\" to the [[link]]"))
            });
        }
        let (what, lr_one, lr_many, why_cost) = match link {
            LinkKind::SameOperator => (
                "the same operators as",
                SAME_OPERATOR_LR,
                8.0,
                "a link between operators (personas, accounts, hands-on-keyboard habits) rests on the analyst's view of the operation; imitating it needs study of the actor's operations",
            ),
            LinkKind::SameC2 => (
                "the same command-and-control as",
                SAME_C2_LR,
                10.0,
                "re-using another actor's C2 needs finding and compromising it (Turla ran operations through OilRig's infrastructure in 2019)",
            ),
        };
        let mut e = self.base(
            o,
            EvidenceKind::SameOperator,
            format!("{what} {to}"),
            ForgeCost::Moderate,
            why_cost,
        );
        e.dependence = format!("{}:{}", link.as_str(), o.source.id);
        e.fingerprint = format!(
            "fact|{}:{}|same-operator",
            link.as_str(),
            normalize_name(to)
        );
        let lr = if actors.len() == 1 { lr_one } else { lr_many };
        for (a, why) in actors {
            if e.support.iter().any(|s| s.actor == self.kb.actors[a].id) {
                continue;
            }
            e.support.push(ActorSupport {
                actor: self.kb.actors[a].id.clone(),
                lr,
                why,
            });
        }
        if let Some(name) = actor {
            self.push_state(
                &mut e,
                name,
                lr,
                &format!("{to} is tied to {name} according to {}", o.source.title),
            );
        }
        Ok(e)
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
        // a group of the state not in the knowledge base, like the state's
        // groups not tied to the organisation
        if let Some(st) = self
            .states
            .iter()
            .find(|s| s.eq_ignore_ascii_case(&org.country))
        {
            e.support.push(ActorSupport {
                actor: crate::unknown_states::support_id(st),
                lr: lr.sqrt(),
                why: format!(
                    "{what} {} (an unknown group of {st}: another group of {st})",
                    org.name
                ),
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
    let (sign, rest) = if let Some(r) = main.strip_prefix('+') {
        (1.0, r)
    } else if let Some(r) = main.strip_prefix('-') {
        (-1.0, r)
    } else {
        (1.0, main)
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
