//! Timing evidence: when the intrusion happened, against when each actor
//! has been reported active.
//!
//! Groups come and go: APT1 was exposed in 2013 and went quiet, others
//! first appear in 2022. The knowledge base does not date actors, but the
//! reports it cites on their links mostly carry a year in their names
//! ("ESET Lazarus Jun 2020"). An actor's activity is the set of years of
//! its distinct reports, smoothed by a discrete kernel (±3 years); the case
//! year's likelihood under that, mixed with the mean over all actors (the
//! background, an actor outside the knowledge base), gives the ratio.
//!
//! ```text
//! P(y | a) = π · kde_a(y) + (1 − π) · bg(y),   LR_a = P(y | a) / bg(y)
//! ```
//!
//! The date of an intrusion is not something a forger plants, so the item
//! is costly to forge; it is weak evidence on its own and the report lists
//! it like any other.

use ascribe_kb::{ActorIdx, KnowledgeBase};

const Y0: i32 = 1985;
const NY: usize = 56; // 1985..=2040
/// Kernel weights at distance 0, 1, 2, 3 years (each side): sums to 1.
const KERNEL: [f64; 4] = [0.4, 0.2, 0.08, 0.02];

/// The year in a report or date string: the last 4-digit number between
/// 1990 and 2040 that stands alone.
pub fn year_in(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let mut found = None;
    let mut i = 0;
    while i + 4 <= b.len() {
        let alone_before = i == 0 || !b[i - 1].is_ascii_digit();
        let alone_after = i + 4 == b.len() || !b[i + 4].is_ascii_digit();
        if alone_before && alone_after && b[i..i + 4].iter().all(u8::is_ascii_digit) {
            // four ASCII digits: the bytes are the value
            let y = b[i..i + 4]
                .iter()
                .fold(0i32, |y, d| y * 10 + i32::from(d - b'0'));
            if (1990..=2040).contains(&y) {
                found = Some(y);
            }
            i += 4;
        } else {
            i += 1;
        }
    }
    found
}

/// Dated activity of every actor with dated reports.
#[derive(Debug, Clone)]
pub(crate) struct Activity {
    pub actors: Vec<ActorIdx>,
    /// Smoothed year distribution per actor.
    kde: Vec<[f64; NY]>,
    bg: [f64; NY],
    /// Years per actor (distinct reports), for the explanation.
    pub span: Vec<(i32, i32, usize)>,
    share: f64,
}

fn idx(y: i32) -> Option<usize> {
    let i = y - Y0;
    (0..NY as i32).contains(&i).then_some(i as usize)
}

impl Activity {
    pub fn new(kb: &KnowledgeBase, share: f64) -> Activity {
        let mut actors = Vec::new();
        let mut kde = Vec::new();
        let mut span = Vec::new();
        let mut bg = [0.0; NY];
        for a in 0..kb.actors.len() {
            let reports = kb.profile(a).reports();
            let years: Vec<i32> = reports.iter().filter_map(|r| year_in(r)).collect();
            if years.is_empty() {
                continue;
            }
            let mut k = [0.0; NY];
            for &y in &years {
                for d in -3i32..=3 {
                    if let Some(i) = idx(y + d) {
                        k[i] += KERNEL[d.unsigned_abs() as usize];
                    }
                }
            }
            let total: f64 = k.iter().sum();
            for x in &mut k {
                *x /= total;
            }
            for (b, x) in bg.iter_mut().zip(&k) {
                *b += x;
            }
            let lo = *years.iter().min().unwrap_or(&0);
            let hi = *years.iter().max().unwrap_or(&0);
            actors.push(a);
            kde.push(k);
            span.push((lo, hi, years.len()));
        }
        let n = actors.len().max(1) as f64;
        for b in &mut bg {
            *b = 0.9 * (*b / n) + 0.1 / NY as f64;
        }
        Activity {
            actors,
            kde,
            bg,
            span,
            share: share.clamp(0.0, 1.0),
        }
    }

    /// Ratio for the `k`-th dated actor of an intrusion in `year`, or
    /// `None` when the year is outside the modelled range.
    pub fn lr(&self, k: usize, year: i32) -> Option<f64> {
        let i = idx(year)?;
        let p = self.share * self.kde[k][i] + (1.0 - self.share) * self.bg[i];
        Some(p / self.bg[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_report_names() {
        assert_eq!(year_in("ESET Lazarus Jun 2020"), Some(2020));
        assert_eq!(year_in("2014-11-24"), Some(2014));
        assert_eq!(year_in("Novetta Blockbuster"), None);
        assert_eq!(year_in("Report 12345 of 1899"), None);
        assert_eq!(year_in("FireEye APT28 2014 (updated 2017)"), Some(2017));
        assert_eq!(year_in(""), None);
    }

    #[test]
    fn kernel_sums_to_one() {
        let s: f64 = KERNEL[0] + 2.0 * KERNEL[1..].iter().sum::<f64>();
        assert!((s - 1.0).abs() < 1e-12);
    }

    #[test]
    fn an_actor_is_likelier_in_its_active_years() {
        let kb = KnowledgeBase::build(&ascribe_kb::embedded::default_facts().unwrap());
        let act = Activity::new(&kb, 0.7);
        // Lazarus (G0032): reported from the mid-2010s on
        let g = kb.actor_by_id("G0032").unwrap();
        let k = act.actors.iter().position(|&a| a == g).unwrap();
        let (lo, hi, n) = act.span[k];
        assert!(lo <= 2017 && hi >= 2020 && n >= 10, "{lo}-{hi} ({n})");
        assert!(act.lr(k, 2019).unwrap() > 1.0);
        assert!(act.lr(k, 2019).unwrap() > 2.0 * act.lr(k, 2003).unwrap());
        assert!(act.lr(k, 1800).is_none());
    }
}
