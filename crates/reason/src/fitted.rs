//! Parameters chosen and fitted on the fitting half of the ATT&CK benchmark
//! (275 "new report about a known group" cases; `bench/attack-campaigns/run.sh
//! --ablation`, procedure and results in BENCHMARKS.md). The model's shape
//! (λ_r, λ_p, weights, ρ, timing π, γ) was chosen by the fitting half's
//! top-1 and MRR over the ablation table; the temperature by its least
//! Brier score. `ascribe-eval` prints this block after each run (the
//! temperature it prints is the refitted one); paste it here to refit.

use crate::calibrate::Recalibration;
use crate::ttp::TtpModel;
use std::borrow::Cow;

/// Technique and software evidence parameters. `state_share`,
/// `software_exponent` and `doc_size_exponent` (wave 6, 2026-11-30) stay at
/// their neutral values: a software exponent of 1.5 won on the fitting half
/// (top-1 0.615 → 0.640, MRR 0.665 → 0.682 over 0.6–2.5) but, refitted by
/// the harness's rules (P(unknown) 0.9, no recalibration), lost on the
/// report test half (top-1 0.616 → 0.605, below the 0.609 floor) and raised
/// the vendor holdout's ECE over actors (0.059 → 0.083) for +0.002 top-1:
/// measured, not shipped (BENCHMARKS.md, "Leave-one-vendor-out", wave 6).
/// Wave 7 checked the model and the temperature for a new publisher's
/// prose on the cross-publisher folds inside the fitting half (189 vendor
/// cases of fitting-half reports, `ascribe-eval --set lovo --lovo-split
/// fit --ablation`): the least-Brier temperature there is the same 1.43,
/// and no variant of the ablation beats this model by more than one case
/// of top-1 + MRR (the software exponent 1.5 ties it), so nothing changed.
pub const TTP: TtpModel = TtpModel {
    report_share: 0.3,
    profile_share: 0.3,
    family_weight: 0.3,
    software_weight: 0.2,
    report_family_weight: 0.0,
    report_software_weight: 0.2,
    tactic_rho: 0.6,
    timing_share: 0.5,
    temperature: 1.43,
    state_share: 0.0,
    software_exponent: 1.0,
    doc_size_exponent: 0.0,
};

/// γ of the activity prior (see `Params::activity_exponent`).
pub const ACTIVITY_EXPONENT: f64 = 1.0;

/// Recalibration of the leading actor's probability (see
/// [`crate::calibrate`]): isotonic regression of "the leading actor is the
/// true group" on the probability of the leader-or-its-false-flag block,
/// over the fitting half's cases where an actor leads at `PRIOR_UNKNOWN`
/// (refitted 2026-11-29, wave 4, with the activity-weighted state shares:
/// isotonic 0.6280, Platt 0.6311 ± 0.0030, none 0.6468 ± 0.0058
/// cross-validated Brier); chosen over none and Platt scaling by 5-fold
/// cross-validated Brier score (by report) on the fitting half, the
/// simplest form within one standard error of the best.
/// `ascribe-eval --set attack,open` prints this block.
pub const CALIBRATION: Recalibration = Recalibration::Isotonic {
    knots: Cow::Borrowed(&[
        (0.2241, 0.0000),
        (0.2674, 0.5000),
        (0.2955, 0.6000),
        (0.3657, 0.6842),
        (0.6333, 0.7812),
        (0.8413, 0.9231),
        (0.9775, 0.9783),
        (0.9998, 1.0000),
    ]),
};

/// Prior probability that the actor is not in the knowledge base
/// (`Params::prior_unknown`), fitted jointly with the open set on the
/// fitting half: the largest value at which the verdict still names the
/// true group in half of the cases where it ranks first among actors,
/// or the smallest within that which lets "an actor not in the knowledge
/// base" lead 80 % of the open set (`crates/eval/src/verdict.rs`,
/// `choose_pu`; the trade-off curve is in BENCHMARKS.md). 0.8 since the
/// activity-weighted state shares (fitting half: names-when-first 0.751,
/// open set 0.818; 0.6 before).
pub const PRIOR_UNKNOWN: f64 = 0.8;

/// β of the unknown groups of states ([`crate::unknown_states`]) for
/// cheap and moderate evidence: the chance that a state's group not in
/// the knowledge base leaves actor-specific evidence (techniques,
/// software, infrastructure, artifacts) like one of the state's known
/// groups. **A stated weak value, not the fitted one.** Fitted on the
/// known and open fitting halves together (for each β, P(unknown) by
/// `choose_pu`, then the summed log-probability of the right answer over
/// both fitting halves; `ascribe-eval --set open` prints the table), the
/// likelihood is largest at β = 1 (−1195.1, against −1205.4 at 0.1), with
/// β = 1 for costly items kept at [`STATE_RESEMBLANCE_COSTLY`]. That
/// version passed the guard tests but was not shipped (2026-11-29, wave 4;
/// BENCHMARKS.md): on the test halves the open set fell from 0.815 to
/// 0.783 (below the 0.80 target) for known verdicts 0.406 → 0.424, and in
/// the Sony example an unknown group of North Korea (49 %) overtook
/// Lazarus Group (37 %) at the group level.
pub const STATE_RESEMBLANCE: f64 = 0.1;

/// β of the unknown groups of states for costly items (private code, a
/// signing key): a state's group not in the knowledge base has another
/// group's private assets only if the two share them. A stated weak value,
/// not fitted: no benchmark case carries costly evidence.
pub const STATE_RESEMBLANCE_COSTLY: f64 = 0.1;

/// How the unknown actor's prior is split by state
/// ([`crate::unknown_states::state_shares`]): by the states' shares of the
/// knowledge base's actors counted one each (`false`), or weighted by the
/// activity prior (`true`). Compared by the log-likelihood of the removed
/// group's state on the open set's fitting half (`ascribe-eval --set open`
/// prints both): mean log-probability −1.927 weighted against −2.134
/// counted (275 cases; stateless share 0.396 against 0.546), so the
/// weighted rule ships (2026-11-29, wave 4; `PRIOR_UNKNOWN` and
/// `CALIBRATION` refitted with it).
pub const STATE_SHARES_BY_ACTIVITY: bool = true;
