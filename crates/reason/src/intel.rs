//! Infrastructure matches against imported intelligence, as evidence.
//!
//! [`ascribe_intel::matching`] finds and weighs the matches (match kind,
//! time relation, sharing, a ratio and a forge-cost class); this module
//! resolves the records' actor names with the knowledge base's alias rules
//! and turns each case indicator's matches into one infrastructure item:
//!
//! * support for every actor a weighed record names, at the best ratio any
//!   of its records reached for that indicator;
//! * forge cost and rationale of the strongest match; reliability 0.8 (a
//!   vendor's or government's feed), scaled by the source's own confidence
//!   when it states one;
//! * the same fact key as the case's own finding on the indicator
//!   (`indicator:ip:…` with the actors), so an analyst's typed overlap and
//!   the computed one count once; matches from one intelligence event
//!   share a dependence group (one campaign's infrastructure, ρ = 0.5);
//! * every match in the notes with its record (source, event, date).
//!
//! **Hijack reading.** Infrastructure of X in a case whose evidence that a
//! forger cannot plant (costly: code lineage, signing keys) points to Y
//! and not to X is read as X's *or* as Y operating through X's
//! infrastructure: the item keeps half its log-ratio for X and raises
//! *false flag imitating X* (another actor through X's assets) by the other
//! half, the model `relation = "hijacked"` uses in full.

use crate::builders::{source_reliability, Built, EvidenceBuilder};
use ascribe_core::{ActorSupport, Evidence, EvidenceKind, ForgeCost, SourceKind};
use ascribe_intel::matching::{indicator_type, IntelMatch, Strength};
use ascribe_kb::ActorIdx;
use std::collections::BTreeMap;

/// Dependence-key prefix of evidence computed from intelligence matches.
pub const INTEL_DEPENDENCE: &str = "infrastructure:intel:";
/// A costly item must give another actor at least this ratio for the
/// hijack reading.
pub const HIJACK_COSTLY_LR: f64 = 10.0;

fn record_line(m: &IntelMatch) -> String {
    let r = &m.record;
    format!(
        "{} {} ~ {} {} ({}; {}{}; actors: {}): {}, {}, ratio {:.1}, {} to forge — {}",
        m.case_kind.as_str(),
        m.case_value,
        r.kind.as_str(),
        r.value,
        r.source,
        r.event_title.as_deref().unwrap_or("untitled event"),
        r.published
            .as_deref()
            .map(|d| format!(", published {d}"))
            .unwrap_or_default(),
        if r.actors.is_empty() {
            "none".to_string()
        } else {
            r.actors.join(", ")
        },
        m.kind.as_str(),
        m.time.describe(),
        m.lr,
        m.forge_cost.as_str(),
        m.reason
    )
}

/// The match as the assessment lists it.
pub fn view(m: &IntelMatch) -> ascribe_core::InfrastructureMatch {
    let r = &m.record;
    ascribe_core::InfrastructureMatch {
        observation: m.case_id.clone(),
        indicator: m.case_value.clone(),
        indicator_kind: m.case_kind.as_str().into(),
        record_kind: r.kind.as_str().into(),
        record_value: r.value.clone(),
        actors: r.actors.clone(),
        source: r.source.clone(),
        event: r.event.clone(),
        event_title: r.event_title.clone(),
        published: r.published.clone(),
        first_seen: r.first_seen.clone(),
        last_seen: r.last_seen.clone(),
        match_kind: m.kind.as_str().into(),
        time: m.time.describe(),
        actors_on_key: m.actors_on_key,
        shared_service: m
            .shared
            .as_ref()
            .map(|s| format!("{} ({})", s.kind.as_str(), s.entry)),
        lr: m.lr,
        strength: m.strength.as_str().into(),
        forge_cost: m.forge_cost,
        reason: m.reason.clone(),
    }
}

/// Match a case's indicators (its `[[indicator]]` entries and what its
/// reports and binaries yielded) against the store, as of the case's
/// analysis date. The one call an analyze pipeline needs before
/// [`crate::assess_with_intel`].
pub fn match_case(
    case: &ascribe_core::Case,
    store: &dyn ascribe_store::IntelStore,
) -> Result<ascribe_intel::matching::MatchReport, ascribe_store::StoreError> {
    match_case_in(case, &[store])
}

/// [`match_case`] against several stores (the user's and the case's own
/// `intel/` directory, [`ascribe_intel::memory::load_case_intel`]).
pub fn match_case_in(
    case: &ascribe_core::Case,
    stores: &[&dyn ascribe_store::IntelStore],
) -> Result<ascribe_intel::matching::MatchReport, ascribe_store::StoreError> {
    let indicators = ascribe_intel::matching::from_observations(&case.observations);
    ascribe_intel::matching::match_indicators_in(
        stores,
        &indicators,
        &ascribe_intel::matching::MatchOptions {
            case_date: case.date.clone(),
            as_of: case.as_of.clone(),
            no_shared_discount: false,
        },
    )
}

/// Everything `analyze` needs: the case's matches against the stores (its
/// observations' indicators and the hashes of its binaries, `files`), and
/// notes for the report (matches left out because they were published after
/// the analysis date, values that could not be read, a store that failed).
/// Never fails: a store error becomes a note and the case is analysed
/// without intelligence.
pub fn case_matches(
    case: &ascribe_core::Case,
    stores: &[&dyn ascribe_store::IntelStore],
    files: &[ascribe_intel::matching::CaseIndicator],
) -> (Vec<IntelMatch>, Vec<String>) {
    let mut notes = Vec::new();
    let mut indicators = ascribe_intel::matching::from_observations(&case.observations);
    indicators.extend_from_slice(files);
    let result = ascribe_intel::matching::match_indicators_in(
        stores,
        &indicators,
        &ascribe_intel::matching::MatchOptions {
            case_date: case.date.clone(),
            as_of: case.as_of.clone(),
            no_shared_discount: false,
        },
    );
    match result {
        Ok(r) => {
            if r.after_as_of > 0 {
                notes.push(format!(
                    "{} intelligence record(s) match the case's indicators but were published after the analysis date {}: not used (no hindsight)",
                    r.after_as_of,
                    case.as_of.as_deref().unwrap_or("")
                ));
            }
            if r.truncated > 0 {
                notes.push(format!(
                    "{} further intelligence match(es) left out (at most {} per indicator, strongest first)",
                    r.truncated,
                    ascribe_intel::matching::MAX_RECORDS_PER_INDICATOR
                ));
            }
            if !r.unreadable.is_empty() {
                notes.push(format!(
                    "{} indicator value(s) could not be matched (not valid for their type): {}",
                    r.unreadable.len(),
                    r.unreadable
                        .iter()
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            (r.matches, notes)
        }
        Err(e) => {
            notes.push(format!(
                "intelligence could not be read ({e}); the case was analysed without it"
            ));
            (Vec::new(), notes)
        }
    }
}

impl EvidenceBuilder<'_> {
    /// Evidence from the intelligence matches given with
    /// [`EvidenceBuilder::with_intel_matches`], pushed onto `out`.
    pub(crate) fn intel_evidence(&self, matches: &[IntelMatch], out: &mut Built) {
        // per case indicator, in case order
        let mut by_ind: BTreeMap<usize, Vec<&IntelMatch>> = BTreeMap::new();
        for m in matches {
            by_ind.entry(m.indicator).or_default().push(m);
        }
        let mut unresolved: BTreeMap<String, usize> = BTreeMap::new();
        for ms in by_ind.values() {
            let first = ms[0];
            // actor → (best ratio, the match)
            let mut best: BTreeMap<ActorIdx, (f64, &IntelMatch)> = BTreeMap::new();
            for &m in ms {
                if m.strength == Strength::None {
                    continue;
                }
                for name in &m.record.actors {
                    match self.actors_or_country(name).or_else(|e| {
                        without_suffix(name).map_or(Err(e), |n| self.actors_or_country(n))
                    }) {
                        Ok((list, _)) => {
                            // a country's actors share it: as a country-wide overlap
                            let lr = if list.len() > 1 { m.lr.min(10.0) } else { m.lr };
                            for a in list {
                                let e = best.entry(a).or_insert((lr, m));
                                if lr > e.0 {
                                    *e = (lr, m);
                                }
                            }
                        }
                        Err(_) => *unresolved.entry(name.clone()).or_default() += 1,
                    }
                }
            }
            let mut notes: Vec<String> = ms.iter().map(|m| record_line(m)).collect();
            if best.is_empty() {
                out.warnings.push(format!(
                    "{}: {} {} matches {} intelligence record(s), none weighed: {}",
                    first.case_id,
                    first.case_kind.as_str(),
                    first.case_value,
                    ms.len(),
                    ms[0].reason
                ));
                continue;
            }
            let (_, top) = best
                .values()
                .copied()
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .expect("non-empty");
            let mut ids: Vec<&str> = best
                .keys()
                .map(|&a| self.kb().actors[a].id.as_str())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let fact = match indicator_type(first.case_kind) {
                Some(t) => t.fact_key(&first.case_value),
                None => format!(
                    "indicator:{}:{}",
                    first.case_kind.as_str(),
                    first.case_value
                ),
            };
            // as the intelligence names them (a country stays a country)
            let mut who: Vec<String> = Vec::new();
            for m in ms.iter().filter(|m| m.strength != Strength::None) {
                for a in &m.record.actors {
                    if !who.contains(a) {
                        who.push(a.clone());
                    }
                }
            }
            let event = top
                .record
                .event_title
                .clone()
                .or_else(|| top.record.event.clone())
                .unwrap_or_else(|| top.record.source.clone());
            let reliability = match top.record.confidence {
                Some(c) => {
                    source_reliability(SourceKind::Vendor)
                        * (f64::from(c.min(100)) / 100.0).max(0.3)
                }
                None => source_reliability(SourceKind::Vendor),
            };
            let mut e = Evidence {
                id: String::new(),
                observation: first.case_id.clone(),
                kind: EvidenceKind::Infrastructure,
                summary: format!(
                    "{} {} matches intelligence on {} ({}, {}, {})",
                    first.case_kind.as_str(),
                    first.case_value,
                    who.join(", "),
                    top.kind.as_str(),
                    top.time.describe(),
                    top.strength.as_str()
                ),
                source: format!("intelligence: {event} ({})", top.record.source),
                forge_cost: top.forge_cost,
                forge_rationale: top
                    .reason
                    .rsplit("; ")
                    .next()
                    .unwrap_or(&top.reason)
                    .to_string(),
                reliability,
                dependence: format!("{INTEL_DEPENDENCE}{}", top.record.source),
                rho: 0.5,
                fingerprint: format!("fact|{fact}|infrastructure|{}", ids.join(",")),
                support: Vec::new(),
                default_lr: 1.0,
                false_flag_lr: 1.0,
                notes: Vec::new(),
                false_flag_targets: Vec::new(),
            };
            for (&a, &(lr, m)) in &best {
                e.support.push(ActorSupport {
                    actor: self.kb().actors[a].id.clone(),
                    lr,
                    why: format!(
                        "{} is {} in {} ({}): {}",
                        self.actor_label(a),
                        m.record.actors.join(", "),
                        m.record.event_title.as_deref().unwrap_or("an event"),
                        m.record.source,
                        m.reason
                    ),
                });
            }
            e.notes.append(&mut notes);
            out.evidence.push(e);
        }
        for (name, n) in unresolved {
            out.warnings.push(format!(
                "intelligence names actor '{name}' ({n} match(es)) that the knowledge base does not resolve: shown in the matches, not weighed (check `ascribe kb actor NAME`)"
            ));
        }
    }
}

/// A feed's actor name without a trailing "Group", "Team" or "Gang"
/// ("Turla Group" for the knowledge base's "Turla"): the reverse of the
/// knowledge base's derived form ("Lazarus" for "Lazarus Group").
fn without_suffix(name: &str) -> Option<&str> {
    let t = name.trim();
    for suf in [" group", " team", " gang"] {
        if t.len() > suf.len() && t.to_ascii_lowercase().ends_with(suf) {
            // the suffix is ASCII, so the cut is at a character boundary
            return t.get(..t.len() - suf.len()).map(str::trim_end);
        }
    }
    None
}

/// The hijack reading (module docs): for every intelligence item that
/// supports X while costly evidence supports some Y and not X, halve the
/// item's log-ratio for X and give *false flag imitating X* the other half.
pub(crate) fn hijack_reading(items: &mut [Evidence], label: &dyn Fn(&str) -> String) {
    // costly support per actor, from non-infrastructure items
    let mut costly: BTreeMap<String, f64> = BTreeMap::new();
    for e in items.iter() {
        // the date says who was active, not who did it
        if e.forge_cost != ForgeCost::Costly
            || matches!(e.kind, EvidenceKind::Infrastructure | EvidenceKind::Timing)
            || e.false_flag_lr != 1.0
        {
            continue;
        }
        for s in &e.support {
            let v = costly.entry(s.actor.clone()).or_insert(1.0);
            *v = v.max(s.lr);
        }
    }
    let pointed: Vec<&String> = costly
        .iter()
        .filter(|(_, &lr)| lr >= HIJACK_COSTLY_LR)
        .map(|(a, _)| a)
        .collect();
    if pointed.is_empty() {
        return;
    }
    for e in items.iter_mut() {
        if !e.dependence.starts_with(INTEL_DEPENDENCE) || e.false_flag_lr != 1.0 {
            continue;
        }
        let owners: Vec<(String, f64)> = e
            .support
            .iter()
            .filter(|s| s.lr > 1.0 && costly.get(&s.actor).is_none_or(|&c| c <= 1.0))
            .map(|s| (s.actor.clone(), s.lr))
            .collect();
        let others: Vec<&String> = pointed
            .iter()
            .copied()
            .filter(|y| !e.support.iter().any(|s| &&s.actor == y && s.lr > 1.0))
            .collect();
        if owners.is_empty() || others.is_empty() {
            continue;
        }
        let mut ff = 1.0f64;
        for s in e.support.iter_mut() {
            if let Some((_, lr)) = owners.iter().find(|o| o.0 == s.actor) {
                s.lr = lr.sqrt();
                ff = ff.max(lr.sqrt());
            }
        }
        e.false_flag_lr = ff;
        e.false_flag_targets = owners.iter().map(|o| o.0.clone()).collect();
        let x: Vec<String> = owners.iter().map(|o| label(&o.0)).collect();
        let y: Vec<String> = others.iter().map(|a| label(a)).collect();
        e.notes.push(format!(
            "hijack reading: infrastructure of {} in a case whose costly evidence points to {}: as likely {}'s own as {} operating through it; half the log-ratio stays with {}, the other half raises \"false flag imitating {}\" (another actor through its infrastructure)",
            x.join(", "),
            y.join(", "),
            x.join(", "),
            y.join(", "),
            x.join(", "),
            x.join(", ")
        ));
        e.summary = format!("{} (owned or hijacked)", e.summary);
    }
}
