//! Matching with meaning: a case's indicators against the stored
//! intelligence, each match weighed by what it is, when it was true and
//! how shared it is.
//!
//! For every case indicator the [`crate::keys`] of its normalised value are
//! looked up in one batch ([`IntelStore::intel_lookup`]); every record found
//! becomes an [`IntelMatch`] with
//!
//! * its **match kind** — the same value, the same file (another hash of
//!   it), an address inside a published range, the same /24 (/48), the same
//!   host (a URL on it), a subdomain or parent, another host of the same
//!   registered domain;
//! * its **time relation** to the case — inside the indicator's window, or
//!   so many years before or after it; records published after the case's
//!   analysis date (`as_of`) are never used (they are counted apart);
//! * its **sharing** — how many distinct actors the stored intelligence
//!   ties to the matched key, and whether the value is on a shared or public
//!   service ([`crate::shared`]);
//! * a likelihood ratio for the record's actors, a strength class and a
//!   forge-cost class, with the reason in plain words.
//!
//! The ratios (documented in `docs/evidence-model.md`) start from the
//! knowledge base's infrastructure overlap (25 for an owned value) and are
//! lowered by the kind of match, the actors sharing the key (the log-ratio
//! is divided by their number), shared services (square root for the exact
//! value; nothing for a neighbour on the same public service) and, for
//! addresses and domains, by the years between the record and the case
//! (half-lives: 1 year for addresses, 3 months in cloud ranges, 3 years for
//! domains).

use crate::shared::{net_contains, url_host, ServiceKind, SharedHit, SharedServices};
use ascribe_core::{ForgeCost, IntelKind, IntelRecord};
use ascribe_store::{IntelStore, StoreError};
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

/// Likelihood ratio of an owned value matched exactly (the knowledge base's
/// infrastructure overlap).
pub const EXACT_LR: f64 = 25.0;
/// An address inside a range the intelligence ties to the actor.
pub const IN_CIDR_LR: f64 = 10.0;
/// Another host of the actor's registered domain.
pub const SAME_DOMAIN_LR: f64 = 10.0;
/// Another address of the same /24.
pub const SAME_24_LR: f64 = 3.0;
/// Another address of the same IPv6 /48.
pub const SAME_48_LR: f64 = 2.0;
/// A TLS client or server fingerprint (JA3, JARM): shared by every
/// deployment of the same software.
pub const FINGERPRINT_LR: f64 = 2.0;
/// Half-life of an address's tie to its user, in years.
pub const IP_HALF_LIFE_YEARS: f64 = 1.0;
/// Half-life of an address in a cloud or VPN range.
pub const CLOUD_IP_HALF_LIFE_YEARS: f64 = 0.25;
/// Half-life of a domain's tie to its registrant (domains lapse and are
/// registered again).
pub const DOMAIN_HALF_LIFE_YEARS: f64 = 3.0;
/// A record with only a publication date counts as "inside the window"
/// when published within this many days of the case.
pub const NEAR_DAYS: i64 = 365;
/// At most this many records are kept per case indicator (the newest
/// first); the rest are counted.
pub const MAX_RECORDS_PER_INDICATOR: usize = 200;
/// At most this many case indicators are matched in one call.
pub const MAX_INDICATORS: usize = 1_000_000;

/// One indicator of the case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseIndicator {
    /// The observation it came from (`O12`), to link evidence back.
    pub id: String,
    pub kind: IntelKind,
    /// The value as the case gives it.
    pub value: String,
    /// When the case saw it in use (else the case's date applies).
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

/// How a case value met a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchKind {
    /// The same value.
    Exact,
    /// Another hash of the same file.
    SameFile,
    /// The same host (a URL on it, or the host of a URL).
    SameHost,
    /// An address inside a network the record gives.
    InCidr,
    /// A subdomain of the record's host, or its parent.
    Subdomain,
    /// Another host of the same registered domain.
    SameRegisteredDomain,
    /// Another address of the same /24.
    Same24,
    /// Another address of the same IPv6 /48.
    Same48,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::SameFile => "same-file",
            MatchKind::SameHost => "same-host",
            MatchKind::InCidr => "in-cidr",
            MatchKind::Subdomain => "subdomain",
            MatchKind::SameRegisteredDomain => "same-registered-domain",
            MatchKind::Same24 => "same-/24",
            MatchKind::Same48 => "same-/48",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            MatchKind::Exact => "the same value",
            MatchKind::SameFile => "another hash of the same file",
            MatchKind::SameHost => "the same host",
            MatchKind::InCidr => "an address inside the record's network",
            MatchKind::Subdomain => "a subdomain or parent of the record's host",
            MatchKind::SameRegisteredDomain => "another host of the same registered domain",
            MatchKind::Same24 => "another address in the same /24",
            MatchKind::Same48 => "another address in the same /48",
        }
    }

    /// Whether the match is on the value itself (not a neighbour).
    pub fn is_same_item(self) -> bool {
        matches!(
            self,
            MatchKind::Exact | MatchKind::SameFile | MatchKind::SameHost
        )
    }
}

/// When the record was true, against the case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TimeRelation {
    /// The record's window overlaps the indicator's (or, with only a
    /// publication date, within a year of it).
    Inside,
    /// The record ended this many years before the case.
    YearsBefore(f64),
    /// The record began this many years after the case.
    YearsAfter(f64),
    /// The case or the record gives no date.
    Undated,
}

impl TimeRelation {
    pub fn describe(&self) -> String {
        match self {
            TimeRelation::Inside => "inside the indicator's window".into(),
            TimeRelation::YearsBefore(y) => format!("{y:.1} years before the case"),
            TimeRelation::YearsAfter(y) => format!("{y:.1} years after the case"),
            TimeRelation::Undated => "undated".into(),
        }
    }

    fn gap_years(&self) -> f64 {
        match self {
            TimeRelation::YearsBefore(y) | TimeRelation::YearsAfter(y) => *y,
            _ => 0.0,
        }
    }
}

/// How much a match weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strength {
    /// Not weighed (a shared service's neighbour, a sinkhole, no actor).
    None,
    Weak,
    Moderate,
    Strong,
}

impl Strength {
    pub fn of(lr: f64) -> Strength {
        if lr >= 10.0 {
            Strength::Strong
        } else if lr >= 3.0 {
            Strength::Moderate
        } else if lr > 1.05 {
            Strength::Weak
        } else {
            Strength::None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Strength::None => "none",
            Strength::Weak => "weak",
            Strength::Moderate => "moderate",
            Strength::Strong => "strong",
        }
    }
}

/// Options of a matching run.
#[derive(Debug, Clone, Default)]
pub struct MatchOptions {
    /// The case's date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub case_date: Option<String>,
    /// The analysis date: records published later are not used.
    pub as_of: Option<String>,
    /// Turn the shared-service discount off (benchmark comparison only).
    pub no_shared_discount: bool,
}

/// One case indicator meeting one stored record.
#[derive(Debug, Clone, PartialEq)]
pub struct IntelMatch {
    /// Index into the case indicators given.
    pub indicator: usize,
    /// The case value and its kind (copied for the report).
    pub case_value: String,
    pub case_kind: IntelKind,
    pub case_id: String,
    pub record: IntelRecord,
    /// The key the record was found by.
    pub key: String,
    pub kind: MatchKind,
    pub time: TimeRelation,
    /// Distinct actors the stored intelligence ties to the key.
    pub actors_on_key: usize,
    /// The shared service the value is on, if any.
    pub shared: Option<SharedHit>,
    /// Likelihood ratio for each of the record's actors (against an unknown
    /// actor), before the source's reliability.
    pub lr: f64,
    pub strength: Strength,
    pub forge_cost: ForgeCost,
    /// Why, in plain words.
    pub reason: String,
}

/// What a matching run found.
#[derive(Debug, Clone, Default)]
pub struct MatchReport {
    pub matches: Vec<IntelMatch>,
    /// Records that would have matched but were published after `as_of`.
    pub after_as_of: usize,
    /// Records left out beyond [`MAX_RECORDS_PER_INDICATOR`].
    pub truncated: usize,
    /// Case values that could not be read as their kind.
    pub unreadable: Vec<String>,
}

/// The normalised form of a case value ([`crate::normalize`]), or `None`
/// when the value is not of its kind.
pub fn normalize(kind: IntelKind, value: &str) -> Option<String> {
    crate::normalize(kind, value).ok()
}

/// Days since 1970-01-01 of a date's first day: `YYYY-MM-DD[...]`,
/// `YYYY-MM`, `YYYY`, or Unix seconds (MISP's timestamps).
pub fn day_of(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() >= 9 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<i64>().ok().map(|t| t.div_euclid(86_400));
    }
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: i64 = match s.get(5..7) {
        Some(m) => m.parse().ok()?,
        None => 1,
    };
    let d: i64 = match s.get(8..10) {
        Some(d) => d.parse().ok()?,
        None => 1,
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1000..=9999).contains(&y) {
        return None;
    }
    // days from civil (Howard Hinnant's algorithm)
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The day a record became known: its publication, else its first sighting.
pub fn known_since(r: &IntelRecord) -> Option<i64> {
    r.published
        .as_deref()
        .and_then(day_of)
        .or_else(|| r.first_seen.as_deref().and_then(day_of))
}

fn time_relation(case: Option<(i64, i64)>, r: &IntelRecord) -> TimeRelation {
    let Some((cs, ce)) = case else {
        return TimeRelation::Undated;
    };
    let fs = r.first_seen.as_deref().and_then(day_of);
    let ls = r.last_seen.as_deref().and_then(day_of);
    let pubd = r.published.as_deref().and_then(day_of);
    let (rs, re, tol) = match (fs, ls, pubd) {
        (Some(a), Some(b), _) => (a.min(b), a.max(b), 0),
        (Some(a), None, p) => (a, p.unwrap_or(a).max(a), 0),
        (None, Some(b), _) => (b, b, 0),
        (None, None, Some(p)) => (p, p, NEAR_DAYS),
        (None, None, None) => return TimeRelation::Undated,
    };
    if re + tol < cs {
        TimeRelation::YearsBefore((cs - re) as f64 / 365.25)
    } else if rs - tol > ce {
        TimeRelation::YearsAfter((rs - ce) as f64 / 365.25)
    } else {
        TimeRelation::Inside
    }
}

fn host_of(kind: IntelKind, norm: &str) -> Option<String> {
    match kind {
        IntelKind::Domain => Some(norm.to_string()),
        IntelKind::Url => url_host(norm),
        IntelKind::Email => norm.rsplit_once('@').map(|x| x.1.to_string()),
        _ => None,
    }
}

fn is_hash(k: IntelKind) -> bool {
    matches!(k, IntelKind::Md5 | IntelKind::Sha1 | IntelKind::Sha256)
}

/// Decide the kind of match from the key and the two values.
fn match_kind(
    case_kind: IntelKind,
    case_norm: &str,
    exact_key: &str,
    key: &str,
    r: &IntelRecord,
) -> Option<MatchKind> {
    if key == exact_key {
        if r.kind == case_kind && r.norm == case_norm {
            return Some(MatchKind::Exact);
        }
        if is_hash(case_kind) && is_hash(r.kind) {
            return Some(MatchKind::SameFile);
        }
        return Some(MatchKind::Exact);
    }
    let (prefix, _) = key.split_once(':')?;
    match prefix {
        "file" => Some(MatchKind::SameFile),
        "ip24" | "ip48" | "cidr" => {
            let ip: IpAddr = case_norm.parse().ok()?;
            if r.kind == IntelKind::Cidr && net_contains(&r.norm, ip) {
                return Some(MatchKind::InCidr);
            }
            if matches!(r.kind, IntelKind::Ipv4 | IntelKind::Ipv6) && r.norm == case_norm {
                return Some(MatchKind::Exact);
            }
            Some(if prefix == "ip48" {
                MatchKind::Same48
            } else {
                MatchKind::Same24
            })
        }
        "host" | "regdomain" => {
            let a = host_of(case_kind, case_norm)?;
            let b = host_of(r.kind, &r.norm)?;
            if a == b {
                if case_kind == r.kind && case_kind == IntelKind::Email {
                    // two mailboxes of one mail domain
                    return Some(MatchKind::SameRegisteredDomain);
                }
                Some(MatchKind::SameHost)
            } else if a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}")) {
                Some(MatchKind::Subdomain)
            } else {
                Some(MatchKind::SameRegisteredDomain)
            }
        }
        _ => None,
    }
}

struct Weighed {
    lr: f64,
    cost: ForgeCost,
    reason: String,
}

#[allow(clippy::too_many_arguments)]
fn weigh(
    case_kind: IntelKind,
    kind: MatchKind,
    time: TimeRelation,
    n_actors: usize,
    shared: Option<&SharedHit>,
    record: &IntelRecord,
    discount: bool,
) -> Weighed {
    let mut why: Vec<String> = vec![format!("{}", kind.describe())];
    if record.actors.is_empty() {
        return Weighed {
            lr: 1.0,
            cost: ForgeCost::Cheap,
            reason: "the record names no actor: shown for the analyst, not weighed".into(),
        };
    }
    if record.role.as_deref().is_some_and(|r| {
        let r = r.to_ascii_lowercase();
        r.contains("external analysis") || r == "link"
    }) {
        return Weighed {
            lr: 1.0,
            cost: ForgeCost::Cheap,
            reason: "the record is a reference (the publisher's own link or an external analysis), not the actor's infrastructure".into(),
        };
    }
    if case_kind == IntelKind::Filename || record.kind == IntelKind::Filename {
        return Weighed {
            lr: 1.0,
            cost: ForgeCost::Cheap,
            reason: "a file name is never evidence on its own".into(),
        };
    }
    let shared = if discount { shared } else { None };
    if let Some(s) = shared {
        if s.kind == ServiceKind::Sinkhole {
            return Weighed {
                lr: 1.0,
                cost: ForgeCost::Cheap,
                reason: format!(
                    "{} on {} ({}): contacts with a sinkhole show infections, not the operator",
                    kind.describe(),
                    s.kind.describe(),
                    s.entry
                ),
            };
        }
        if !kind.is_same_item() {
            return Weighed {
                lr: 1.0,
                cost: ForgeCost::Cheap,
                reason: format!(
                    "{} on {} ({}): two customers of one public service, not one actor's asset",
                    kind.describe(),
                    s.kind.describe(),
                    s.entry
                ),
            };
        }
    }
    let ip = matches!(
        case_kind,
        IntelKind::Ipv4 | IntelKind::Ipv6 | IntelKind::Cidr
    );
    let fingerprint = matches!(case_kind, IntelKind::Ja3 | IntelKind::Jarm);
    let mut lr = match kind {
        MatchKind::Exact | MatchKind::SameFile | MatchKind::SameHost => {
            if fingerprint {
                FINGERPRINT_LR
            } else {
                EXACT_LR
            }
        }
        MatchKind::InCidr => IN_CIDR_LR,
        MatchKind::Subdomain | MatchKind::SameRegisteredDomain => SAME_DOMAIN_LR,
        MatchKind::Same24 => SAME_24_LR,
        MatchKind::Same48 => SAME_48_LR,
    };
    if n_actors >= 2 {
        lr = lr.powf(1.0 / n_actors as f64);
        why.push(format!(
            "the intelligence ties it to {n_actors} actors (log-ratio divided by {n_actors})"
        ));
    }
    if let Some(s) = shared {
        if s.kind == ServiceKind::VpnRange {
            // a rented server: one tenant at a time, but not for long
            why.push(format!(
                "in {} ({}): rented, reassigned quickly",
                s.kind.describe(),
                s.entry
            ));
        } else {
            lr = lr.sqrt();
            why.push(format!(
                "on {} ({}): square root of the ratio",
                s.kind.describe(),
                s.entry
            ));
        }
    }
    // time decay: addresses are reassigned, domains lapse
    let gap = time.gap_years();
    let half_life = if ip {
        if shared.is_some_and(|s| matches!(s.kind, ServiceKind::CloudRange | ServiceKind::VpnRange))
        {
            Some(CLOUD_IP_HALF_LIFE_YEARS)
        } else {
            Some(IP_HALF_LIFE_YEARS)
        }
    } else if matches!(
        case_kind,
        IntelKind::Domain | IntelKind::Url | IntelKind::Email
    ) {
        Some(DOMAIN_HALF_LIFE_YEARS)
    } else {
        None
    };
    if let (Some(h), true) = (half_life, gap > 0.0) {
        let f = 0.5f64.powf(gap / h);
        lr = 1.0 + (lr - 1.0) * f;
        why.push(format!(
            "{}: decayed to {:.0} % (half-life {h} years)",
            time.describe(),
            f * 100.0
        ));
    } else {
        why.push(time.describe());
    }
    // forge cost
    let rented = shared.is_some_and(|s| s.kind == ServiceKind::VpnRange);
    let cost = if (shared.is_some() && !rented) || fingerprint {
        ForgeCost::Cheap
    } else {
        match kind {
            MatchKind::Same24 | MatchKind::Same48 | MatchKind::InCidr => ForgeCost::Cheap,
            _ if ip => {
                if gap >= 1.0 || (rented && gap >= CLOUD_IP_HALF_LIFE_YEARS) {
                    ForgeCost::Cheap
                } else {
                    ForgeCost::Moderate
                }
            }
            MatchKind::Exact | MatchKind::SameHost | MatchKind::Subdomain
                if matches!(case_kind, IntelKind::Domain | IntelKind::Url)
                    && time == TimeRelation::Inside =>
            {
                ForgeCost::Costly
            }
            _ => ForgeCost::Moderate,
        }
    };
    let cost_why = match cost {
        ForgeCost::Cheap if shared.is_some() && !rented => "cheap to reproduce: the service is open to anyone",
        ForgeCost::Cheap => {
            "cheap to reproduce: renting an address in the same block, or one reassigned since, is easy"
        }
        ForgeCost::Moderate => {
            "moderate: re-using the actor's asset means finding and taking it over (or re-registering it after it lapsed)"
        }
        ForgeCost::Costly => {
            "costly: operating the actor's own registered domain while the actor used it needs control of the actor's assets"
        }
    };
    why.push(cost_why.into());
    Weighed {
        lr,
        cost,
        reason: why.join("; "),
    }
}

/// Match the case's indicators against the store.
pub fn match_indicators(
    store: &dyn IntelStore,
    indicators: &[CaseIndicator],
    opts: &MatchOptions,
) -> Result<MatchReport, StoreError> {
    match_with(&[store], indicators, opts, SharedServices::embedded())
}

/// Match against several stores at once (the user's store and a case's own
/// `intel/` directory): records of all of them, and the actors on a key
/// counted over all of them.
pub fn match_indicators_in(
    stores: &[&dyn IntelStore],
    indicators: &[CaseIndicator],
    opts: &MatchOptions,
) -> Result<MatchReport, StoreError> {
    match_with(stores, indicators, opts, SharedServices::embedded())
}

/// [`match_indicators_in`] with given shared-service lists.
pub fn match_with(
    stores: &[&dyn IntelStore],
    indicators: &[CaseIndicator],
    opts: &MatchOptions,
    services: &SharedServices,
) -> Result<MatchReport, StoreError> {
    let mut out = MatchReport::default();
    let as_of = opts.as_of.as_deref().and_then(day_of);
    let case_day = opts.case_date.as_deref().and_then(day_of);
    // normalise and key every indicator; one batch for all keys
    let mut prepared: Vec<(usize, String, Vec<String>)> = Vec::new();
    let mut all_keys: Vec<String> = Vec::new();
    let mut key_owners: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, ind) in indicators.iter().enumerate().take(MAX_INDICATORS) {
        let Some(norm) = normalize(ind.kind, &ind.value) else {
            out.unreadable
                .push(format!("{} {}", ind.kind.as_str(), ind.value));
            continue;
        };
        let keys = crate::keys(ind.kind, &norm);
        for k in &keys {
            let owners = key_owners.entry(k.clone()).or_default();
            if owners.is_empty() {
                all_keys.push(k.clone());
            }
            owners.push(prepared.len());
        }
        prepared.push((i, norm, keys));
    }
    if all_keys.is_empty() {
        return Ok(out);
    }
    let mut found = Vec::new();
    for st in stores {
        found.extend(st.intel_lookup(&all_keys)?);
    }
    let counts = match stores {
        [one] => one.intel_key_actor_counts(&all_keys)?,
        _ => {
            // distinct actors over all stores, from the records found
            let mut by_key: HashMap<&str, std::collections::BTreeSet<String>> = HashMap::new();
            for (k, r) in &found {
                let e = by_key.entry(k.as_str()).or_default();
                e.extend(r.actors.iter().map(|a| ascribe_core::normalize_name(a)));
            }
            by_key
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.len()))
                .collect()
        }
    };
    // (prepared index) → record identity → best match
    let mut late: std::collections::HashSet<(String, String)> = Default::default();
    let mut best: Vec<BTreeMap<(String, String, String), IntelMatch>> =
        vec![BTreeMap::new(); prepared.len()];
    for (key, rec) in found {
        let Some(owners) = key_owners.get(&key) else {
            continue;
        };
        if let (Some(cut), Some(k)) = (as_of, known_since(&rec)) {
            if k > cut {
                late.insert((rec.source.clone(), rec.norm.clone()));
                continue;
            }
        }
        for &p in owners {
            let (i, norm, keys) = &prepared[p];
            let ind = &indicators[*i];
            let Some(kind) = match_kind(ind.kind, norm, &keys[0], &key, &rec) else {
                continue;
            };
            let case_window = {
                let a = ind.first_seen.as_deref().and_then(day_of).or(case_day);
                let b = ind.last_seen.as_deref().and_then(day_of).or(case_day);
                match (a, b) {
                    (Some(a), Some(b)) => Some((a.min(b), a.max(b))),
                    (Some(a), None) | (None, Some(a)) => Some((a, a)),
                    _ => None,
                }
            };
            let time = time_relation(case_window, &rec);
            let shared = services
                .classify(ind.kind, norm)
                .or_else(|| services.classify(rec.kind, &rec.norm));
            let n = counts.get(&key).copied().unwrap_or(rec.actors.len());
            let w = weigh(
                ind.kind,
                kind,
                time,
                n,
                shared.as_ref(),
                &rec,
                !opts.no_shared_discount,
            );
            let m = IntelMatch {
                indicator: *i,
                case_value: ind.value.clone(),
                case_kind: ind.kind,
                case_id: ind.id.clone(),
                key: key.clone(),
                kind,
                time,
                actors_on_key: n,
                shared,
                lr: w.lr,
                strength: Strength::of(w.lr),
                forge_cost: w.cost,
                reason: w.reason,
                record: rec.clone(),
            };
            let id = (
                rec.source.clone(),
                rec.kind.as_str().to_string(),
                rec.norm.clone(),
            );
            match best[p].get(&id) {
                Some(old) if old.lr >= m.lr => {}
                _ => {
                    best[p].insert(id, m);
                }
            }
        }
    }
    out.after_as_of = late.len();
    for map in best {
        let mut v: Vec<IntelMatch> = map.into_values().collect();
        // strongest first, then newest
        v.sort_by(|a, b| {
            b.lr.total_cmp(&a.lr)
                .then_with(|| known_since(&b.record).cmp(&known_since(&a.record)))
        });
        if v.len() > MAX_RECORDS_PER_INDICATOR {
            out.truncated += v.len() - MAX_RECORDS_PER_INDICATOR;
            v.truncate(MAX_RECORDS_PER_INDICATOR);
        }
        out.matches.extend(v);
    }
    Ok(out)
}

/// The case's indicators, from its observations (`[[indicator]]` entries
/// and what reports and binaries yielded): IPs split by family, hashes by
/// length. Illustrative and retracted observations are left out, like
/// everywhere else.
pub fn from_observations(observations: &[ascribe_core::Observation]) -> Vec<CaseIndicator> {
    use ascribe_core::{IndicatorType, ObservationKind, Status};
    let mut out = Vec::new();
    for o in observations {
        if o.illustrative || o.status == Status::Retracted {
            continue;
        }
        let ObservationKind::Indicator {
            indicator,
            value,
            first_seen,
            last_seen,
            ..
        } = &o.kind
        else {
            continue;
        };
        let v = value.trim();
        let kind = match indicator {
            IndicatorType::Ip => match v.parse::<IpAddr>() {
                Ok(IpAddr::V4(_)) => IntelKind::Ipv4,
                Ok(IpAddr::V6(_)) => IntelKind::Ipv6,
                Err(_) if v.contains('/') => IntelKind::Cidr,
                Err(_) => IntelKind::Ipv4,
            },
            IndicatorType::Domain => IntelKind::Domain,
            IndicatorType::Url => IntelKind::Url,
            IndicatorType::Email => IntelKind::Email,
            IndicatorType::Wallet => IntelKind::Wallet,
            IndicatorType::Hash => match v.len() {
                32 => IntelKind::Md5,
                40 => IntelKind::Sha1,
                _ => IntelKind::Sha256,
            },
        };
        out.push(CaseIndicator {
            id: o.id.clone(),
            kind,
            value: v.to_string(),
            first_seen: first_seen.clone(),
            last_seen: last_seen.clone(),
        });
    }
    out
}

/// Largest file hashed for matching (the binary reader's bound).
pub const MAX_HASHED_FILE: u64 = 512 * 1024 * 1024;

/// The SHA-256 of each of the case's binaries (paths relative to `dir`), as
/// indicators (`file:<name>` ids), so that a sample known to the
/// intelligence is matched like any other indicator (the importers tie a
/// file's other hashes to its SHA-256). Only regular files up to
/// [`MAX_HASHED_FILE`] are read; the others are skipped with a note.
pub fn file_indicators(
    dir: &std::path::Path,
    files: &[String],
) -> (Vec<CaseIndicator>, Vec<String>) {
    let named: Vec<(String, std::path::PathBuf)> =
        files.iter().map(|f| (f.clone(), dir.join(f))).collect();
    file_indicators_at(&named)
}

/// [`file_indicators`] for files stored anywhere: each is `(name in the
/// case, where its bytes are)`; notes and ids use the name.
pub fn file_indicators_at(
    files: &[(String, std::path::PathBuf)],
) -> (Vec<CaseIndicator>, Vec<String>) {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for (f, p) in files {
        let meta = match std::fs::metadata(p) {
            Ok(m) if m.is_file() && m.len() <= MAX_HASHED_FILE => m,
            Ok(_) => {
                notes.push(format!("{f}: not a regular file of at most 512 MiB; not hashed for intelligence matching"));
                continue;
            }
            Err(e) => {
                notes.push(format!("{f}: {e}; not hashed for intelligence matching"));
                continue;
            }
        };
        let _ = meta;
        let Ok(mut fh) = std::fs::File::open(p) else {
            notes.push(format!(
                "{f}: cannot be opened; not hashed for intelligence matching"
            ));
            continue;
        };
        let mut h = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        let ok = loop {
            match fh.read(&mut buf) {
                Ok(0) => break true,
                Ok(n) => h.update(&buf[..n]),
                Err(_) => break false,
            }
        };
        if !ok {
            notes.push(format!(
                "{f}: read error; not hashed for intelligence matching"
            ));
            continue;
        }
        let digest: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        out.push(CaseIndicator {
            id: format!("file:{f}"),
            kind: IntelKind::Sha256,
            value: digest,
            first_seen: None,
            last_seen: None,
        });
    }
    (out, notes)
}

/// The case indicator type of an intelligence kind (for fact keys shared
/// with the case's own indicator findings).
pub fn indicator_type(kind: IntelKind) -> Option<ascribe_core::IndicatorType> {
    use ascribe_core::IndicatorType as T;
    Some(match kind {
        IntelKind::Ipv4 | IntelKind::Ipv6 | IntelKind::Cidr => T::Ip,
        IntelKind::Domain => T::Domain,
        IntelKind::Url => T::Url,
        IntelKind::Email => T::Email,
        IntelKind::Md5 | IntelKind::Sha1 | IntelKind::Sha256 => T::Hash,
        IntelKind::Wallet => T::Wallet,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type MemIntel = crate::memory::MemoryIntelStore;

    fn rec(kind: IntelKind, value: &str, actor: &str, event: &str, published: &str) -> IntelRecord {
        let norm = normalize(kind, value).unwrap();
        IntelRecord {
            kind,
            value: value.into(),
            keys: crate::keys(kind, &norm),
            norm,
            actors: if actor.is_empty() {
                vec![]
            } else {
                vec![actor.into()]
            },
            source: format!("misp-event:{event}"),
            event: Some(event.into()),
            event_title: Some(format!("ESET {event}")),
            published: Some(published.into()),
            first_seen: None,
            last_seen: None,
            to_ids: true,
            confidence: None,
            role: None,
        }
    }

    fn ind(kind: IntelKind, value: &str) -> CaseIndicator {
        CaseIndicator {
            id: "O1".into(),
            kind,
            value: value.into(),
            first_seen: None,
            last_seen: None,
        }
    }

    /// Values from ESET's public IOC repository (eset/malware-ioc): a
    /// Turla Gazer C2 domain and a Sednit (APT28) C2 address as published
    /// there.
    fn eset_store() -> MemIntel {
        let mut s = MemIntel::default();
        s.put_intel(
            "test",
            &[
                rec(
                    IntelKind::Domain,
                    "infinity-bahamas.com",
                    "Turla",
                    "turla-gazer",
                    "2017-08-30",
                ),
                rec(
                    IntelKind::Ipv4,
                    "185.86.148.227",
                    "Sednit",
                    "sednit-2016",
                    "2016-10-20",
                ),
                rec(
                    IntelKind::Url,
                    "http://www.tadeo-gsm.com/wp-content/x.php",
                    "Turla",
                    "turla-x",
                    "2017-08-30",
                ),
                rec(
                    IntelKind::Domain,
                    "someone.duckdns.org",
                    "Gamaredon",
                    "gamaredon",
                    "2020-06-11",
                ),
                rec(
                    IntelKind::Cidr,
                    "185.86.148.0/24",
                    "Sednit",
                    "sednit-range",
                    "2016-10-20",
                ),
                rec(
                    IntelKind::Ipv4,
                    "104.16.5.5",
                    "Sednit",
                    "sednit-cf",
                    "2016-10-20",
                ),
                rec(
                    IntelKind::Ipv4,
                    "104.16.5.5",
                    "Turla",
                    "turla-cf",
                    "2016-10-20",
                ),
                rec(IntelKind::Ipv4, "5.5.5.5", "Sednit", "late", "2024-01-01"),
                rec(
                    IntelKind::Ipv4,
                    "38.9.8.78",
                    "MoustachedBouncer",
                    "mb",
                    "2023-08-10",
                ),
            ],
        )
        .unwrap();
        s
    }

    fn opts(date: &str) -> MatchOptions {
        MatchOptions {
            case_date: Some(date.into()),
            ..Default::default()
        }
    }

    #[test]
    fn exact_domain_inside_window_is_strong_and_costly() {
        let s = eset_store();
        let r = match_indicators(
            &s,
            &[ind(IntelKind::Domain, "Infinity-Bahamas.com.")],
            &opts("2017-06-01"),
        )
        .unwrap();
        assert_eq!(r.matches.len(), 1);
        let m = &r.matches[0];
        assert_eq!(m.kind, MatchKind::Exact);
        assert_eq!(m.time, TimeRelation::Inside);
        assert_eq!(m.strength, Strength::Strong);
        assert_eq!(m.forge_cost, ForgeCost::Costly);
        assert_eq!(m.lr, EXACT_LR);
        assert_eq!(m.record.actors, vec!["Turla".to_string()]);
    }

    #[test]
    fn ip_exact_decays_with_years_and_neighbours_are_weak() {
        let s = eset_store();
        let at =
            |v: &str, d: &str| match_indicators(&s, &[ind(IntelKind::Ipv4, v)], &opts(d)).unwrap();
        // MoustachedBouncer's address (no shared range): exact, then four
        // years later, then a neighbour in its /24
        let exact = at("38.9.8.78", "2023-06-01");
        let m = &exact.matches[0];
        assert_eq!(
            (m.kind, m.time, m.lr),
            (MatchKind::Exact, TimeRelation::Inside, EXACT_LR)
        );
        assert_eq!(m.forge_cost, ForgeCost::Moderate);
        let far = at("38.9.8.78", "2027-08-01");
        let m = &far.matches[0];
        assert!(matches!(m.time, TimeRelation::YearsBefore(y) if y > 3.0));
        assert!(m.lr < 3.0 && m.lr > 1.0, "{}", m.lr);
        assert_eq!(m.forge_cost, ForgeCost::Cheap);
        let nb = at("38.9.8.10", "2023-06-01");
        let m = &nb.matches[0];
        assert_eq!(
            (m.kind, m.strength),
            (MatchKind::Same24, Strength::Moderate)
        );
        assert_eq!(m.forge_cost, ForgeCost::Cheap);
        // Sednit's address sits in a datacentre range the VPN list names:
        // the address itself counts while it is fresh, its range does not
        let near = at("185.86.148.227", "2016-09-01");
        let exact = near
            .matches
            .iter()
            .find(|m| m.record.kind == IntelKind::Ipv4)
            .unwrap();
        assert_eq!(exact.kind, MatchKind::Exact);
        assert_eq!(exact.lr, EXACT_LR);
        assert_eq!(exact.forge_cost, ForgeCost::Moderate);
        assert_eq!(exact.shared.as_ref().unwrap().kind, ServiceKind::VpnRange);
        let range = near
            .matches
            .iter()
            .find(|m| m.record.kind == IntelKind::Cidr)
            .unwrap();
        assert_eq!(range.kind, MatchKind::InCidr);
        assert_eq!(range.strength, Strength::None);
        // a year later the rented address has decayed to almost nothing
        let later = at("185.86.148.227", "2017-12-01");
        let m = later
            .matches
            .iter()
            .find(|m| m.record.kind == IntelKind::Ipv4)
            .unwrap();
        assert!(m.lr < 2.5, "{}", m.lr);
    }

    #[test]
    fn urls_hosts_and_registered_domains() {
        let s = eset_store();
        let r = match_indicators(
            &s,
            &[
                ind(IntelKind::Domain, "www.tadeo-gsm.com"),
                ind(IntelKind::Url, "http://mail.infinity-bahamas.com/a"),
            ],
            &opts("2017-06-01"),
        )
        .unwrap();
        let host = r.matches.iter().find(|m| m.indicator == 0).unwrap();
        assert_eq!(host.kind, MatchKind::SameHost);
        assert_eq!(host.record.kind, IntelKind::Url);
        let sub = r.matches.iter().find(|m| m.indicator == 1).unwrap();
        assert_eq!(sub.kind, MatchKind::Subdomain);
        assert_eq!(sub.lr, SAME_DOMAIN_LR);
    }

    #[test]
    fn shared_services_are_discounted_and_can_be_turned_off() {
        let s = eset_store();
        let case = [ind(IntelKind::Domain, "someone.duckdns.org")];
        let on = match_indicators(&s, &case, &opts("2020-06-01")).unwrap();
        assert_eq!(on.matches.len(), 1);
        let m = &on.matches[0];
        assert_eq!(m.shared.as_ref().unwrap().kind, ServiceKind::DynamicDns);
        assert_eq!(m.lr, EXACT_LR.sqrt());
        assert_eq!(m.forge_cost, ForgeCost::Cheap);
        let off = match_indicators(
            &s,
            &case,
            &MatchOptions {
                no_shared_discount: true,
                ..opts("2020-06-01")
            },
        )
        .unwrap();
        assert_eq!(off.matches[0].lr, EXACT_LR);
        // a Cloudflare address tied to two actors: shared twice over
        let cf = match_indicators(
            &s,
            &[ind(IntelKind::Ipv4, "104.16.5.5")],
            &opts("2016-10-01"),
        )
        .unwrap();
        assert_eq!(cf.matches.len(), 2);
        for m in &cf.matches {
            assert_eq!(m.actors_on_key, 2);
            assert!(m.lr < 3.0, "{}", m.lr);
            assert_eq!(m.forge_cost, ForgeCost::Cheap);
        }
        // a different Cloudflare address in the same /24 is nobody's
        let nb = match_indicators(
            &s,
            &[ind(IntelKind::Ipv4, "104.16.5.9")],
            &opts("2016-10-01"),
        )
        .unwrap();
        assert!(nb.matches.iter().all(|m| m.strength == Strength::None));
    }

    #[test]
    fn knowledge_after_as_of_is_never_used() {
        let s = eset_store();
        let case = [ind(IntelKind::Ipv4, "5.5.5.5")];
        let r = match_indicators(
            &s,
            &case,
            &MatchOptions {
                case_date: Some("2023-06-01".into()),
                as_of: Some("2023-12-31".into()),
                no_shared_discount: false,
            },
        )
        .unwrap();
        assert!(r.matches.is_empty());
        assert_eq!(r.after_as_of, 1);
        let later = match_indicators(
            &s,
            &case,
            &MatchOptions {
                case_date: Some("2023-06-01".into()),
                as_of: Some("2024-01-01".into()),
                no_shared_discount: false,
            },
        )
        .unwrap();
        assert_eq!(later.matches.len(), 1);
    }

    #[test]
    fn hashes_of_one_file_are_one_item() {
        let md5 = "0e1e8b8d2ab1cd2e5ab1a7e9b4b7e3a1";
        let sha1 = "5a1f6a5e4d3c2b1a09f8e7d6c5b4a39281706f5e";
        let mut r = rec(
            IntelKind::Sha1,
            sha1,
            "Lazarus Group",
            "lazarus",
            "2019-01-01",
        );
        // the importer adds the other hashes of the file object as keys
        r.keys.push(format!("md5:{md5}"));
        let mut s = MemIntel::default();
        s.put_intel("t", &[r]).unwrap();
        let m = match_indicators(&s, &[ind(IntelKind::Md5, md5)], &opts("2019-01-01")).unwrap();
        assert_eq!(m.matches.len(), 1);
        assert_eq!(m.matches[0].kind, MatchKind::SameFile);
        assert_eq!(m.matches[0].lr, EXACT_LR);
    }

    #[test]
    fn no_actor_no_weight_and_bad_values_are_named() {
        let mut s = MemIntel::default();
        s.put_intel(
            "t",
            &[rec(IntelKind::Domain, "example.org", "", "x", "2019-01-01")],
        )
        .unwrap();
        let r = match_indicators(
            &s,
            &[
                ind(IntelKind::Domain, "example.org"),
                ind(IntelKind::Ipv4, "999.1.1.1"),
            ],
            &opts("2019-01-01"),
        )
        .unwrap();
        assert_eq!(r.matches[0].strength, Strength::None);
        assert_eq!(r.unreadable, vec!["ipv4 999.1.1.1".to_string()]);
    }

    #[test]
    fn a_case_binary_is_matched_by_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.bin"), b"abc").unwrap();
        let (inds, notes) = file_indicators(dir.path(), &["a.bin".into(), "missing.bin".into()]);
        assert_eq!(notes.len(), 1);
        // SHA-256("abc"), FIPS 180-2 test vector
        let sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(inds[0].value, sha);
        let mut s = MemIntel::default();
        s.put_intel(
            "t",
            &[rec(IntelKind::Sha256, sha, "Sednit", "x", "2019-01-01")],
        )
        .unwrap();
        let m = match_indicators(&s, &inds, &opts("2019-02-01")).unwrap();
        assert_eq!(m.matches.len(), 1);
        assert_eq!(m.matches[0].case_id, "file:a.bin");
        assert_eq!(m.matches[0].kind, MatchKind::Exact);
    }

    #[test]
    fn dates() {
        assert_eq!(day_of("1970-01-01"), Some(0));
        assert_eq!(day_of("2000-03-01"), Some(11_017));
        assert_eq!(day_of("2014"), day_of("2014-01-01"));
        assert_eq!(day_of("1418947200"), day_of("2014-12-19"));
        assert_eq!(day_of("2014-13-01"), None);
        assert_eq!(day_of("garbage"), None);
    }
}
