//! Evidence: an observation weighed against the knowledge base.

use serde::{Deserialize, Serialize};

/// How expensive it is for an adversary to plant this evidence so that it
/// points at someone else. See `docs/forge-cost.md` for the table and its
/// grounding (Pyramid of Pain, Olympic Destroyer, Turla/OilRig).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForgeCost {
    /// Minutes to hours with public knowledge: language settings, timestamps,
    /// strings, an IP in a country, a claim in someone's name.
    Cheap,
    /// Days to weeks, needs knowledge of the imitated actor: Rich headers,
    /// PDB paths, reuse of its known infrastructure, its malware families.
    Moderate,
    /// Needs the imitated actor's private assets: its source code lineage,
    /// its signing keys.
    Costly,
}

impl ForgeCost {
    /// All classes, cheapest first.
    pub const ALL: [ForgeCost; 3] = [ForgeCost::Cheap, ForgeCost::Moderate, ForgeCost::Costly];

    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            ForgeCost::Cheap => "cheap",
            ForgeCost::Moderate => "moderate",
            ForgeCost::Costly => "costly",
        }
    }

    /// Relative effort units used to find the cheapest set of plants.
    pub fn effort(self) -> f64 {
        match self {
            ForgeCost::Cheap => 1.0,
            ForgeCost::Moderate => 10.0,
            ForgeCost::Costly => 100.0,
        }
    }
}

/// Families of evidence (what kind of reasoning produced the likelihoods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    Technique,
    Software,
    Infrastructure,
    Geolocation,
    Language,
    Timezone,
    /// When the intrusion happened against when an actor has been reported active.
    Timing,
    Toolchain,
    DeveloperPath,
    Certificate,
    CodeReuse,
    ThirdPartyClaim,
    SelfClaim,
    /// The operators' own connection from an actor's address space.
    OperatorOrigin,
    /// Same operators or C2 as a known campaign or family.
    SameOperator,
    /// For or against a hypothesis the analyst declared.
    Declared,
    /// The victim (country, sector, type of incident) against the actors'
    /// known victims and targets.
    Victimology,
}

impl EvidenceKind {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Technique => "technique",
            EvidenceKind::Software => "software",
            EvidenceKind::Infrastructure => "infrastructure",
            EvidenceKind::Geolocation => "geolocation",
            EvidenceKind::Language => "language",
            EvidenceKind::Timezone => "timezone",
            EvidenceKind::Timing => "timing",
            EvidenceKind::Toolchain => "toolchain",
            EvidenceKind::DeveloperPath => "developer-path",
            EvidenceKind::Certificate => "certificate",
            EvidenceKind::CodeReuse => "code-reuse",
            EvidenceKind::ThirdPartyClaim => "third-party-claim",
            EvidenceKind::SelfClaim => "self-claim",
            EvidenceKind::OperatorOrigin => "operator-origin",
            EvidenceKind::SameOperator => "same-operator",
            EvidenceKind::Declared => "declared",
            EvidenceKind::Victimology => "victimology",
        }
    }
}

/// The likelihood ratio of an item for one actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorSupport {
    /// Knowledge-base actor id.
    pub actor: String,
    /// P(evidence | actor) / P(evidence | an unknown actor).
    pub lr: f64,
    /// Why: which knowledge-base fact produced the ratio.
    pub why: String,
}

/// One piece of evidence, ready for the reasoning engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Id within the assessment (`E1`, `E2`, …).
    pub id: String,
    /// Id of the observation it came from.
    pub observation: String,
    pub kind: EvidenceKind,
    /// One-line human description.
    pub summary: String,
    /// Source id and title.
    pub source: String,
    pub forge_cost: ForgeCost,
    /// Why this forge-cost class.
    pub forge_rationale: String,
    /// Probability that the item is what it seems (not an error or noise), in (0, 1].
    pub reliability: f64,
    /// Items sharing a dependence key are correlated: their effects saturate.
    pub dependence: String,
    /// Saturation factor for the dependence group, in [0, 1): the k-th
    /// strongest correlated item counts `rho^k` of an independent one.
    pub rho: f64,
    /// Items with the same fingerprint are duplicates: only one counts.
    pub fingerprint: String,
    /// Likelihood ratios for actors the item speaks about.
    pub support: Vec<ActorSupport>,
    /// Likelihood ratio for every actor not in `support`.
    pub default_lr: f64,
    /// Likelihood ratio of tampering for "false flag imitating X" against
    /// X itself (signals such as a Rich header that contradicts the linker
    /// or a transplanted signature: > 1), applied to the false-flag
    /// hypotheses of the actors in `false_flag_targets`. 1 for ordinary
    /// evidence.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub false_flag_lr: f64,
    /// Notes for the analyst (unresolved names, assumptions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Actor ids whose imitation a tampering item (`false_flag_lr` ≠ 1)
    /// indicates: the actors the forged artifact points to. Empty means no
    /// direction is known; the engine then applies its documented rule
    /// (the actors that forgeable evidence of the case supports; see
    /// `docs/evidence-model.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub false_flag_targets: Vec<String>,
}

impl Evidence {
    /// Likelihood ratio for an actor id, before reliability.
    pub fn lr_for(&self, actor: &str) -> f64 {
        self.support
            .iter()
            .find(|s| s.actor == actor)
            .map(|s| s.lr)
            .unwrap_or(self.default_lr)
    }
}

fn one() -> f64 {
    1.0
}

fn is_one(x: &f64) -> bool {
    *x == 1.0
}
