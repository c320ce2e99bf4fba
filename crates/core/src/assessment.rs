//! The output of an analysis: hypotheses, weighed evidence, ACH matrix,
//! false-flag stress test and what to collect next.
//!
//! This is the JSON schema of `ascribe analyze --json` (see
//! `docs/json-schema.md`); [`SCHEMA`] names its version.

use crate::{Evidence, ForgeCost, Victim};
use serde::{Deserialize, Serialize};

/// Version tag of the assessment JSON.
pub const SCHEMA: &str = "ascribe.assessment/1";

/// ICD 203 expressions of likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Likelihood {
    AlmostNoChance,
    VeryUnlikely,
    Unlikely,
    RoughlyEvenChance,
    Likely,
    VeryLikely,
    AlmostCertain,
}

impl Likelihood {
    /// The ICD 203 band for a probability: almost no chance (< 5 %), very
    /// unlikely (5–20 %), unlikely (20–45 %), roughly even chance (45–55 %),
    /// likely (55–80 %), very likely (80–95 %), almost certain (≥ 95 %).
    pub fn from_probability(p: f64) -> Likelihood {
        if p < 0.05 {
            Likelihood::AlmostNoChance
        } else if p < 0.20 {
            Likelihood::VeryUnlikely
        } else if p < 0.45 {
            Likelihood::Unlikely
        } else if p <= 0.55 {
            Likelihood::RoughlyEvenChance
        } else if p < 0.80 {
            Likelihood::Likely
        } else if p < 0.95 {
            Likelihood::VeryLikely
        } else {
            Likelihood::AlmostCertain
        }
    }

    /// The words, as an analyst writes them.
    pub fn words(self) -> &'static str {
        match self {
            Likelihood::AlmostNoChance => "almost no chance",
            Likelihood::VeryUnlikely => "very unlikely",
            Likelihood::Unlikely => "unlikely",
            Likelihood::RoughlyEvenChance => "roughly even chance",
            Likelihood::Likely => "likely",
            Likelihood::VeryLikely => "very likely",
            Likelihood::AlmostCertain => "almost certain",
        }
    }
}

/// Analytic confidence in the judgement (ICD 203 asks for it beside likelihood).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    Low,
    Moderate,
    High,
}

impl Confidence {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Moderate => "moderate",
            Confidence::High => "high",
        }
    }
}

/// Kinds of hypotheses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HypothesisKind {
    /// A named actor of the knowledge base did it.
    Actor,
    /// An actor the knowledge base does not know did it.
    UnknownActor,
    /// Someone else did it and planted evidence imitating the named actor.
    FalseFlag,
    /// All other knowledge-base actors together (for the probabilities to add up).
    OtherActors,
    /// A hypothesis the analyst declared in the case (an insider,
    /// hacktivist sympathisers, criminals); its prior comes out of
    /// P(unknown).
    Declared,
}

/// One hypothesis of the full ranking (every hypothesis the engine
/// weighed, most probable first): what `--json` carries so that ranks,
/// Brier scores and calibration can be computed from the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedHypothesis {
    /// 1 for the most probable.
    pub rank: usize,
    /// Stable id: `actor:G0032`, `unknown`, `false-flag:G0032`,
    /// `other-actors`, `false-flag:other-actors`, `declared:insider`.
    pub id: String,
    pub kind: HypothesisKind,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<ActorRef>,
    pub prior: f64,
    pub posterior: f64,
    /// How many knowledge-base actors the hypothesis stands for (1 for a
    /// named actor or its false flag, N for the aggregates, 0 otherwise).
    pub actors: usize,
}

/// Kinds of rows of the state-level distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StateKind {
    /// The knowledge-base actors attributed to one state (and declared
    /// hypotheses naming that state).
    State,
    /// Knowledge-base actors with no state on record.
    NoState,
    /// An actor not in the knowledge base.
    Unknown,
    /// Someone else imitating a knowledge-base actor (every false-flag
    /// hypothesis summed).
    FalseFlag,
    /// A declared hypothesis that names no state.
    Declared,
}

/// One row of the state-level verdict: who is responsible at the level of
/// states, with every state's groups summed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateResult {
    /// `state:KP`, `no-state`, `unknown`, `false-flag`, `declared:<id>`.
    pub id: String,
    pub kind: StateKind,
    /// ISO 3166 alpha-2 code, for `state` rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Plain-language label (`North Korea (KP)`).
    pub label: String,
    pub prior: f64,
    pub posterior: f64,
    pub likelihood: Likelihood,
    /// How many knowledge-base actors the row sums.
    pub actors: usize,
    /// The row's most probable hypotheses (labels with posteriors), up to five.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leading: Vec<String>,
}

/// A knowledge-base actor, as shown in reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorRef {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attack_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// One hypothesis with its probabilities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HypothesisResult {
    /// Stable id: `actor:G0032`, `unknown`, `false-flag:G0032`, `other-actors`.
    pub id: String,
    pub kind: HypothesisKind,
    /// Plain-language label.
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<ActorRef>,
    pub prior: f64,
    pub posterior: f64,
    pub likelihood: Likelihood,
    /// Natural-log likelihood ratio against the "unknown actor" hypothesis.
    pub log_lr: f64,
}

/// How one evidence item moved the verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeighedEvidence {
    #[serde(flatten)]
    pub evidence: Evidence,
    /// log10 of the item's effective likelihood ratio for the leading
    /// hypothesis against an unknown actor, after reliability and saturation.
    pub weight: f64,
    /// Saturation multiplier applied (1 for an independent item).
    pub saturation: f64,
    /// Id of the item this one duplicates, if any (then it counts for nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// How many actors the item had a likelihood ratio for; `evidence.support`
    /// lists the strongest of them and those of the listed hypotheses.
    pub support_total: usize,
}

/// ACH cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AchCell {
    Consistent,
    Inconsistent,
    Neutral,
}

impl AchCell {
    /// One-letter form used in tables.
    pub fn letter(self) -> &'static str {
        match self {
            AchCell::Consistent => "C",
            AchCell::Inconsistent => "I",
            AchCell::Neutral => "N",
        }
    }
}

/// One row of the ACH matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchRow {
    pub evidence: String,
    pub cells: Vec<AchCell>,
    /// Spread of the item's log10 likelihood ratios across the hypotheses:
    /// 0 means it cannot tell them apart.
    pub diagnosticity: f64,
}

/// Analysis of competing hypotheses matrix (Heuer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchMatrix {
    /// Hypothesis ids, the columns.
    pub hypotheses: Vec<String>,
    pub rows: Vec<AchRow>,
    /// Weighted inconsistency per hypothesis (Heuer: the hypothesis with the
    /// least inconsistent evidence is the most likely).
    pub inconsistency: Vec<f64>,
}

/// The verdict under one stress scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// What was removed.
    pub name: String,
    pub description: String,
    /// How many items were kept.
    pub items_kept: usize,
    pub leader: String,
    pub leader_label: String,
    pub probability: f64,
    pub likelihood: Likelihood,
    /// Posterior of the baseline leader in this scenario.
    pub baseline_leader_probability: f64,
}

/// The cheapest set of items whose planting would make the verdict wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlantSet {
    /// Evidence ids.
    pub items: Vec<String>,
    /// Sum of forge efforts (cheap 1, moderate 10, costly 100).
    pub effort: f64,
    /// The most expensive class in the set.
    pub hardest: ForgeCost,
    /// Who leads once these items are discounted.
    pub new_leader: String,
    pub new_leader_label: String,
    pub new_probability: f64,
}

/// The false-flag stress test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StressTest {
    pub scenarios: Vec<Scenario>,
    /// `None` when no set of plants flips the verdict (or nothing leads).
    pub cheapest_flip: Option<PlantSet>,
    /// One-paragraph reading of the test.
    pub summary: String,
}

/// A suggestion of what to collect next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub what: String,
    pub why: String,
    /// Expected reduction of uncertainty over the hypotheses, in bits.
    pub expected_information_gain: f64,
    /// Probability of the current leader if the evidence is found.
    pub leader_if_found: f64,
    /// Probability of the current leader if it is looked for and not found.
    pub leader_if_absent: f64,
}

/// Headline judgement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub leader: String,
    pub leader_label: String,
    pub probability: f64,
    pub likelihood: Likelihood,
    pub confidence: Confidence,
    /// One sentence in ICD 203 style.
    pub statement: String,
    /// Why this confidence.
    pub confidence_reason: String,
}

/// Parameters the engine ran with (recorded for reproducibility).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineParams {
    pub prior_unknown: f64,
    pub false_flag_ratio: f64,
    pub forge_success: [f64; 3],
    pub temperature: f64,
    /// γ of the activity prior (0 = all actors alike).
    #[serde(default)]
    pub activity_exponent: f64,
    pub actors_considered: usize,
}

/// Counts for the reader.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KbSummary {
    pub actors: usize,
    pub techniques: usize,
    pub software: usize,
    pub sources: Vec<String>,
}

/// The full result of `ascribe analyze`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub schema: String,
    pub ascribe_version: String,
    pub case: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_summary: Option<String>,
    #[serde(default)]
    pub victim: Victim,
    pub verdict: Verdict,
    pub hypotheses: Vec<HypothesisResult>,
    pub evidence: Vec<WeighedEvidence>,
    pub ach: AchMatrix,
    pub stress_test: StressTest,
    pub collect_next: Vec<Suggestion>,
    pub params: EngineParams,
    pub kb: KbSummary,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Every hypothesis the engine weighed, most probable first
    /// (`hypotheses` is the readable selection of it).
    #[serde(default)]
    pub ranking: Vec<RankedHypothesis>,
    /// The state-level distribution, most probable first.
    #[serde(default)]
    pub states: Vec<StateResult>,
    /// The state-level verdict in one ICD 203 sentence.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub state_verdict: String,
    /// Set when the case is assessed as of a date: what the knowledge base
    /// kept, and how much of the verdict rests on undated or later knowledge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knowledge_as_of: Option<crate::KnowledgeAsOf>,
    /// `warnings` split for machines: severity (warning or note), code
    /// (`W001`) and name (`unknown-actor`) of each line, in the same order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<crate::Diagnostic>,
    /// Every match of the case's indicators against imported intelligence,
    /// with its record, so that an analyst can check it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub infrastructure_matches: Vec<InfrastructureMatch>,
}

/// One case indicator meeting one intelligence record (computed by
/// `ascribe_intel::matching`, weighed by `ascribe_reason::intel`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InfrastructureMatch {
    /// The case's observation and value.
    pub observation: String,
    pub indicator: String,
    /// `ipv4`, `domain`, `url`, `sha256`...
    pub indicator_kind: String,
    /// The record's kind and value as its source published it.
    pub record_kind: String,
    pub record_value: String,
    /// Actor names as the record gives them.
    #[serde(default)]
    pub actors: Vec<String>,
    /// The record's source key, event id and title, dates.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
    /// `exact`, `same-file`, `same-host`, `in-cidr`, `subdomain`,
    /// `same-registered-domain`, `same-/24`, `same-/48`.
    pub match_kind: String,
    /// Against the case: "inside the indicator's window", "2.3 years before
    /// the case"...
    pub time: String,
    /// Distinct actors the intelligence ties to the matched key.
    pub actors_on_key: usize,
    /// The shared or public service the value is on, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_service: Option<String>,
    /// Ratio for the record's actors, before reliability.
    pub lr: f64,
    /// `strong`, `moderate`, `weak` or `none` (shown, not weighed).
    pub strength: String,
    pub forge_cost: ForgeCost,
    /// Why, in plain words.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icd203_bands() {
        assert_eq!(
            Likelihood::from_probability(0.01),
            Likelihood::AlmostNoChance
        );
        assert_eq!(Likelihood::from_probability(0.10), Likelihood::VeryUnlikely);
        assert_eq!(Likelihood::from_probability(0.30), Likelihood::Unlikely);
        assert_eq!(
            Likelihood::from_probability(0.50),
            Likelihood::RoughlyEvenChance
        );
        assert_eq!(Likelihood::from_probability(0.70), Likelihood::Likely);
        assert_eq!(Likelihood::from_probability(0.90), Likelihood::VeryLikely);
        assert_eq!(
            Likelihood::from_probability(0.99),
            Likelihood::AlmostCertain
        );
        assert_eq!(Likelihood::VeryLikely.words(), "very likely");
    }
}
