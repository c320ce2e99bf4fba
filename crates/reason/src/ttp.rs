//! Technique and software evidence: how likely each actor is to show an
//! observed technique or tool, against an actor outside the knowledge base.
//!
//! # The report-mixture model
//!
//! What an intrusion report shows of an actor resembles what earlier
//! reports about that actor showed: groups run distinct operations with
//! distinct toolsets, so a new report is best compared with the actor's
//! *reports*, not with the union of everything ever credited to it. The
//! knowledge base keeps the citations of every profile link; the links of
//! an actor citing one report form one document `r`.
//!
//! A report about actor `a` is modelled as one of its documents `r`, chosen
//! with weight `|r|^α` ([`TtpModel::doc_size_exponent`]; α = 0 is uniform),
//! whose mentions are drawn from
//!
//! ```text
//! mix_r(x) = λ_r · [x ∈ r] / |r|  +  λ_p · w_a(x) / Σ w_a  +  λ_s · st_a(x)  +  (1 − λ_r − λ_p − λ_s) · bg(x)
//! ```
//!
//! where `st_a` is the mean normalised profile of the actors of `a`'s state
//! ([`TtpModel::state_share`]; λ_s = 0 for an actor without a state): a
//! group whose own profile is thin still draws on what its state's groups
//! are known to use.
//!
//! where `w_a` is the actor's whole profile (1 for a technique or tool it
//! is known to use; [`TtpModel::family_weight`] for a parent, child or
//! sibling of such a technique; [`TtpModel::software_weight`] for a
//! technique that one of its tools implements) and `bg(x)` is the mean
//! profile distribution over all profiled actors (an actor outside the
//! knowledge base). Techniques and software share one space.
//!
//! The likelihood of the whole case, `P(x₁…x_n | a) = mean_r Π mix_r(x_i)`,
//! is split into one ratio per observation by the chain rule: observation
//! `i` gets `P(x_i | x₁…x_{i−1}, a) / bg(x_i)`, its predictive probability
//! given the ones before it. The product of the items' ratios is exactly
//! the case's ratio, and co-occurrence is modelled where it lives: a
//! technique that always comes with the ones already seen adds little. So
//! these items are not saturated again by tactic (ρ = 1 by default).
//!
//! A software item's ratio can then be raised to
//! [`TtpModel::software_exponent`] (its log-ratio multiplied: a family named
//! in a report may say more about its author than one more technique);
//! shipped at 1, i.e. off (BENCHMARKS.md, wave 6: 1.5 won on the fitting
//! half and lost on the test half).
//!
//! Dividing by `|r|` rather than by the profile size keeps the groups
//! credited with hundreds of techniques from being diluted; dividing by
//! `bg(x)` is rarity: a technique every group uses carries a ratio near 1.
//! Actors without any profile get ratio 1: about them the knowledge base
//! knows nothing, exactly as about an unknown actor.
//!
//! The parameters were chosen on the fitting half of the
//! `bench/attack-campaigns` benchmark (see BENCHMARKS.md), the temperature
//! by minimum log loss there.

use ascribe_kb::{ActorIdx, KnowledgeBase, SoftIdx, TechIdx};

/// Parameters of the technique and software evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct TtpModel {
    /// λ_r: share of a report's mentions drawn from one earlier report.
    pub report_share: f64,
    /// λ_p: share drawn from the actor's whole profile.
    pub profile_share: f64,
    /// Weight of a technique whose parent, child or sibling the actor uses.
    pub family_weight: f64,
    /// Weight of a technique implemented by software the actor uses.
    pub software_weight: f64,
    /// In a report document: weight of a technique whose parent, child or
    /// sibling the report shows.
    pub report_family_weight: f64,
    /// In a report document: weight of a technique implemented by software
    /// the report shows.
    pub report_software_weight: f64,
    /// Dependence saturation ρ for techniques of one tactic (1 = none).
    pub tactic_rho: f64,
    /// π of the timing evidence (0 = no timing item); see [`crate::timing`].
    pub timing_share: f64,
    /// Every technique and software log-ratio is divided by this.
    pub temperature: f64,
    /// λ_s: share drawn from the mean profile of the actor's state's
    /// actors (its own included), taken out of the background share; 0 for
    /// an actor without a state.
    pub state_share: f64,
    /// Software items' log-ratios are multiplied by this (1 = as the
    /// joint model gives them).
    pub software_exponent: f64,
    /// α of the documents' prior: a document of `n` links is chosen with
    /// weight `n^α` (0 = uniformly).
    pub doc_size_exponent: f64,
}

impl Default for TtpModel {
    fn default() -> Self {
        crate::fitted::TTP
    }
}

/// A technique or software as one feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Feature {
    Technique(TechIdx),
    Software(SoftIdx),
}

/// Profiles and documents of every profiled actor.
#[derive(Debug, Clone)]
pub(crate) struct Profiles {
    nt: usize,
    /// Actors with a profile.
    pub actors: Vec<ActorIdx>,
    /// Normalised profile weights, dense over techniques then software.
    dist: Vec<Vec<f32>>,
    /// Documents of each profiled actor: sorted (feature id, weight / total).
    docs: Vec<Vec<Vec<(u32, f32)>>>,
    bg: Vec<f64>,
    /// For each profiled actor, the index of its state's mean profile in
    /// `state_bg`.
    state_of: Vec<Option<usize>>,
    /// Mean normalised profile of each state's profiled actors.
    state_bg: Vec<Vec<f32>>,
    /// Prior log-weight of each document of each profiled actor.
    doc_prior: Vec<Vec<f64>>,
    report_share: f64,
    profile_share: f64,
    state_share: f64,
    software_exponent: f64,
}

/// Technique families: for each technique, the root (parent or itself).
fn roots(kb: &KnowledgeBase) -> Vec<TechIdx> {
    (0..kb.techniques.len())
        .map(|t| kb.techniques[t].parent.unwrap_or(t))
        .collect()
}

impl Profiles {
    pub fn new(kb: &KnowledgeBase, m: &TtpModel) -> Profiles {
        let nt = kb.techniques.len();
        let width = nt + kb.software.len();
        let root = roots(kb);
        let mut members: Vec<Vec<TechIdx>> = vec![Vec::new(); nt];
        for (t, &r) in root.iter().enumerate() {
            members[r].push(t);
        }
        let fw = m.family_weight.max(0.0) as f32;
        let sw = m.software_weight.max(0.0) as f32;
        let mut actors = Vec::new();
        let mut dist = Vec::new();
        let mut docs = Vec::new();
        let mut doc_prior = Vec::new();
        let mut state_of = Vec::new();
        let mut state_names: Vec<&str> = Vec::new();
        let mut bg = vec![0.0f64; width];
        for a in 0..kb.actors.len() {
            let prof = kb.profile(a);
            if prof.techniques.is_empty() && prof.software.is_empty() {
                continue;
            }
            let mut w = vec![0.0f32; width];
            let techs = kb.actor_techniques(a);
            let soft = kb.actor_software(a);
            if fw > 0.0 {
                for &t in &techs {
                    for &f in &members[root[t]] {
                        w[f] = w[f].max(fw);
                    }
                }
            }
            if sw > 0.0 {
                for &s in &soft {
                    for &t in kb.software_techniques(s) {
                        w[t] = w[t].max(sw);
                    }
                }
            }
            for &t in &techs {
                w[t] = 1.0;
            }
            for &s in &soft {
                w[nt + s] = 1.0;
            }
            let total: f64 = w.iter().map(|&x| f64::from(x)).sum();
            for x in &mut w {
                *x = (f64::from(*x) / total) as f32;
            }
            for (b, &x) in bg.iter_mut().zip(&w) {
                *b += f64::from(x);
            }
            let mut by_report: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
            let links = prof
                .techniques
                .iter()
                .map(|l| (l, l.index))
                .chain(prof.software.iter().map(|l| (l, nt + l.index)));
            for (l, f) in links {
                for c in &l.citations {
                    by_report.entry(c.source_name.as_str()).or_default().push(f);
                }
            }
            let mut prior = Vec::with_capacity(by_report.len());
            let d: Vec<Vec<(u32, f32)>> = by_report
                .into_values()
                .map(|v| {
                    prior.push(m.doc_size_exponent * (v.len().max(1) as f64).ln());
                    doc_weights(kb, nt, &members, &root, &v, m)
                })
                .collect();
            let st = kb.actors[a].state.as_deref().map(|x| {
                state_names.iter().position(|&y| y == x).unwrap_or_else(|| {
                    state_names.push(x);
                    state_names.len() - 1
                })
            });
            actors.push(a);
            state_of.push(st);
            dist.push(w);
            docs.push(d);
            doc_prior.push(prior);
        }
        let mut state_bg = vec![vec![0.0f32; width]; state_names.len()];
        let mut state_n = vec![0usize; state_names.len()];
        for (st, w) in state_of.iter().zip(&dist) {
            if let Some(s) = *st {
                state_n[s] += 1;
                for (b, &x) in state_bg[s].iter_mut().zip(w) {
                    *b += x;
                }
            }
        }
        for (b, &n) in state_bg.iter_mut().zip(&state_n) {
            for x in b.iter_mut() {
                *x /= n.max(1) as f32;
            }
        }
        let n = actors.len().max(1) as f64;
        let uniform = 1.0 / width.max(1) as f64;
        for b in &mut bg {
            // a little uniform mass: nothing observed is impossible
            *b = 0.95 * (*b / n) + 0.05 * uniform;
        }
        let report_share = m.report_share.clamp(0.0, 0.98);
        let profile_share = m.profile_share.clamp(0.0, 0.98 - report_share);
        Profiles {
            nt,
            actors,
            dist,
            docs,
            bg,
            state_of,
            state_bg,
            doc_prior,
            report_share,
            profile_share,
            state_share: m
                .state_share
                .clamp(0.0, 0.98 - report_share - profile_share),
            software_exponent: if m.software_exponent.is_finite() {
                m.software_exponent.max(0.0)
            } else {
                1.0
            },
        }
    }

    fn id(&self, f: Feature) -> usize {
        match f {
            Feature::Technique(t) => t,
            Feature::Software(s) => self.nt + s,
        }
    }

    /// Whether the `k`-th profiled actor's profile weighs a feature at all.
    pub fn weighs(&self, k: usize, f: Feature) -> bool {
        self.dist[k][self.id(f)] > 0.0
    }

    /// Per observation (in order) and profiled actor: the likelihood ratio
    /// of the observation given the ones before it (see the module docs).
    pub fn sequential(&self, feats: &[Feature]) -> Vec<Vec<f64>> {
        let ids: Vec<usize> = feats.iter().map(|&f| self.id(f)).collect();
        let mut out = vec![vec![1.0; self.actors.len()]; ids.len()];
        for (k, (docs, dist)) in self.docs.iter().zip(&self.dist).enumerate() {
            let (lr_share, lp) = if docs.is_empty() {
                (0.0, self.report_share + self.profile_share)
            } else {
                (self.report_share, self.profile_share)
            };
            let state = self.state_of[k].map(|s| &self.state_bg[s]);
            let ls = if state.is_some() {
                self.state_share
            } else {
                0.0
            };
            let lb = (1.0 - lr_share - lp - ls).max(0.0);
            let n_docs = docs.len().max(1);
            let mut logw = self.doc_prior[k].clone();
            logw.resize(n_docs, 0.0);
            let mut mix = vec![0.0f64; n_docs];
            for (i, &x) in ids.iter().enumerate() {
                let base = lp * f64::from(dist[x])
                    + ls * state.map_or(0.0, |b| f64::from(b[x]))
                    + lb * self.bg[x];
                for (r, m) in mix.iter_mut().enumerate() {
                    let w = docs.get(r).map_or(0.0, |d| {
                        d.binary_search_by_key(&(x as u32), |e| e.0)
                            .map_or(0.0, |j| f64::from(d[j].1))
                    });
                    *m = lr_share * w + base;
                }
                let m = logw.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let mut z = 0.0;
                let mut p = 0.0;
                for r in 0..n_docs {
                    let w = (logw[r] - m).exp();
                    z += w;
                    p += w * mix[r];
                }
                let p = p / z;
                out[i][k] = if x >= self.nt && self.software_exponent != 1.0 {
                    (p / self.bg[x]).powf(self.software_exponent)
                } else {
                    p / self.bg[x]
                };
                for r in 0..n_docs {
                    logw[r] += mix[r].max(1e-300).ln();
                }
            }
        }
        out
    }
}

/// The normalised weights of one report document: its own features at 1,
/// techniques of the same family and techniques of its software lower.
fn doc_weights(
    kb: &KnowledgeBase,
    nt: usize,
    members: &[Vec<TechIdx>],
    root: &[TechIdx],
    feats: &[usize],
    m: &TtpModel,
) -> Vec<(u32, f32)> {
    let mut w: std::collections::BTreeMap<u32, f32> = Default::default();
    let mut raise = |f: usize, x: f32| {
        if x > 0.0 {
            let e = w.entry(f as u32).or_insert(0.0);
            *e = e.max(x);
        }
    };
    for &f in feats {
        if f < nt {
            for &g in &members[root[f]] {
                raise(g, m.report_family_weight as f32);
            }
        } else {
            for &t in kb.software_techniques(f - nt) {
                raise(t, m.report_software_weight as f32);
            }
        }
    }
    for &f in feats {
        raise(f, 1.0);
    }
    let total: f32 = w.values().sum();
    w.into_iter()
        .map(|(k, v)| (k, v / total.max(1e-9)))
        .collect()
}

/// Re-temper already built technique and software items: as if they had
/// been built with `temperature` instead of 1 (the benchmark fits the
/// temperature this way without rebuilding the evidence).
pub fn retemper(items: &mut [ascribe_core::Evidence], temperature: f64) {
    for e in items {
        if matches!(
            e.kind,
            ascribe_core::EvidenceKind::Technique
                | ascribe_core::EvidenceKind::Software
                | ascribe_core::EvidenceKind::Timing
        ) {
            for s in &mut e.support {
                s.lr = temper(s.lr, temperature);
            }
        }
    }
}

/// Apply the temperature to a ratio.
pub(crate) fn temper(lr: f64, temperature: f64) -> f64 {
    if temperature > 0.0 && temperature.is_finite() && temperature != 1.0 {
        lr.powf(1.0 / temperature)
    } else {
        lr
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn kb() -> &'static KnowledgeBase {
        static KB: OnceLock<KnowledgeBase> = OnceLock::new();
        KB.get_or_init(|| {
            KnowledgeBase::build(&ascribe_kb::embedded::default_facts().expect("embedded KB"))
        })
    }

    fn tech(kb: &KnowledgeBase, id: &str) -> Feature {
        match kb.technique(id) {
            ascribe_kb::TechniqueLookup::Found(t) => Feature::Technique(t),
            _ => panic!("{id} missing"),
        }
    }

    #[test]
    fn chain_rule_gives_the_joint_likelihood() {
        let kb = kb();
        let m = TtpModel {
            report_family_weight: 0.3,
            report_software_weight: 0.2,
            state_share: 0.1,
            doc_size_exponent: 0.5,
            ..TtpModel::default()
        };
        let p = Profiles::new(kb, &m);
        let feats: Vec<Feature> = ["T1485", "T1561.002", "T1059.003", "T1105", "T1021.002"]
            .iter()
            .map(|t| tech(kb, t))
            .collect();
        let rows = p.sequential(&feats);
        let g = kb.actor_by_id("G0032").unwrap();
        let k = p.actors.iter().position(|&a| a == g).unwrap();
        let chained: f64 = rows.iter().map(|r| r[k].ln()).sum();
        // direct: mean over documents of the product of mixtures
        let docs = &p.docs[k];
        let ids: Vec<usize> = feats.iter().map(|&f| p.id(f)).collect();
        let state = p.state_of[k].map(|s| &p.state_bg[s]);
        let ls = if state.is_some() { p.state_share } else { 0.0 };
        let prior: Vec<f64> = p.doc_prior[k].iter().map(|x| x.exp()).collect();
        let joint: f64 = docs
            .iter()
            .zip(&prior)
            .map(|(d, pr)| {
                pr * ids
                    .iter()
                    .map(|&x| {
                        let w = d
                            .binary_search_by_key(&(x as u32), |e| e.0)
                            .map_or(0.0, |j| f64::from(d[j].1));
                        let mix = p.report_share * w
                            + p.profile_share * f64::from(p.dist[k][x])
                            + ls * state.map_or(0.0, |b| f64::from(b[x]))
                            + (1.0 - p.report_share - p.profile_share - ls) * p.bg[x];
                        mix / p.bg[x]
                    })
                    .product::<f64>()
            })
            .sum::<f64>()
            / prior.iter().sum::<f64>();
        assert!(
            (chained - joint.ln()).abs() < 1e-9,
            "{chained} vs {}",
            joint.ln()
        );
    }

    #[test]
    fn the_software_exponent_scales_software_log_ratios_only() {
        let kb = kb();
        let s = match kb.resolve_software("S0013") {
            ascribe_kb::Resolution::Found { index, .. } => Feature::Software(index),
            _ => panic!("S0013 (PlugX) missing"),
        };
        let feats = [tech(kb, "T1574.001"), s, tech(kb, "T1105")];
        let one = TtpModel {
            software_exponent: 1.0,
            ..TtpModel::default()
        };
        let two = TtpModel {
            software_exponent: 2.0,
            ..TtpModel::default()
        };
        let a = Profiles::new(kb, &one).sequential(&feats);
        let b = Profiles::new(kb, &two).sequential(&feats);
        let mut moved = 0;
        for k in 0..a[0].len() {
            assert!((a[0][k] - b[0][k]).abs() < 1e-12);
            assert!((a[2][k] - b[2][k]).abs() < 1e-12);
            assert!((2.0 * a[1][k].ln() - b[1][k].ln()).abs() < 1e-9);
            if a[1][k] > 2.0 {
                moved += 1;
            }
        }
        assert!(moved > 0, "no actor is supported by PlugX");
    }

    #[test]
    fn rare_techniques_of_an_actor_weigh_more_than_common_ones() {
        let kb = kb();
        let p = Profiles::new(kb, &TtpModel::default());
        let g = kb.actor_by_id("G0032").unwrap();
        let k = p.actors.iter().position(|&a| a == g).unwrap();
        // T1561.002 (disk structure wipe) is used by few groups, T1105
        // (ingress tool transfer) by most
        let rare = p.sequential(&[tech(kb, "T1561.002")])[0][k];
        let common = p.sequential(&[tech(kb, "T1105")])[0][k];
        assert!(rare > 5.0 * common, "rare {rare} common {common}");
        assert!(common < 3.0, "{common}");
    }

    #[test]
    fn actors_without_profiles_are_not_weighed() {
        let kb = kb();
        let p = Profiles::new(kb, &TtpModel::default());
        for &a in &p.actors {
            let prof = kb.profile(a);
            assert!(!prof.techniques.is_empty() || !prof.software.is_empty());
        }
        assert!(p.actors.len() < kb.actors.len());
        // the background is a distribution
        let total: f64 = p.bg.iter().sum();
        assert!((total - 1.0).abs() < 1e-6, "{total}");
    }

    #[test]
    fn a_repeated_observation_is_one_draw_at_most() {
        // the builder passes first occurrences only; the model itself
        // still gives a finite, positive ratio to a repeat
        let kb = kb();
        let p = Profiles::new(kb, &TtpModel::default());
        let f = tech(kb, "T1485");
        let rows = p.sequential(&[f, f]);
        assert!(rows[1].iter().all(|x| x.is_finite() && *x > 0.0));
    }
}
