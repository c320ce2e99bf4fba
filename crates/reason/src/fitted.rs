//! Parameters chosen and fitted on the fitting half of the ATT&CK benchmark
//! (275 "new report about a known group" cases; `bench/attack-campaigns/run.sh
//! --ablation`, procedure and results in BENCHMARKS.md). The model's shape
//! (λ_r, λ_p, weights, ρ, timing π, γ) was chosen by the fitting half's
//! top-1 and MRR over the ablation table; the temperature by its least
//! Brier score. `ascribe-eval` prints this block after each run (the
//! temperature it prints is the refitted one); paste it here to refit.

use crate::calibrate::Recalibration;
use crate::ttp::TtpModel;

/// Technique and software evidence parameters.
pub const TTP: TtpModel = TtpModel {
    report_share: 0.3,
    profile_share: 0.3,
    family_weight: 0.3,
    software_weight: 0.2,
    report_family_weight: 0.0,
    report_software_weight: 0.2,
    tactic_rho: 0.6,
    timing_share: 0.5,
    temperature: 1.3,
};

/// γ of the activity prior (see `Params::activity_exponent`).
pub const ACTIVITY_EXPONENT: f64 = 1.0;

/// Recalibration of the leading actor's probability (see
/// [`crate::calibrate`]): Platt scaling (with Platt's smoothed targets) of
/// "the leading actor is the true group" on the log-odds of the
/// leader-or-its-false-flag block, over the
/// fitting half's cases where an actor leads at `PRIOR_UNKNOWN`; chosen
/// over none and isotonic regression by 5-fold cross-validated Brier score
/// (by report) on the fitting half, the simplest form within one standard
/// error of the best. `ascribe-eval --set attack,open` prints this block.
pub const CALIBRATION: Recalibration = Recalibration::Platt {
    a: 0.4332522402519032,
    b: 1.5756169766968733,
};

/// Prior probability that the actor is not in the knowledge base
/// (`Params::prior_unknown`), fitted jointly with the open set on the
/// fitting half: the largest value at which the verdict still names the
/// true group in half of the cases where it ranks first among actors,
/// or the smallest within that which lets "an actor not in the knowledge
/// base" lead 80 % of the open set (`crates/eval/src/verdict.rs`,
/// `choose_pu`; the trade-off curve is in BENCHMARKS.md).
pub const PRIOR_UNKNOWN: f64 = 0.8;
