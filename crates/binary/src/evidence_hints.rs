//! Attribution hints derived from a batch of [`FileReport`]s.
//!
//! These are plain data for the reasoning layer to weigh; nothing here is a
//! conclusion. Each hint says how many files support it.
//!
//! * resource languages → language names and the countries they suggest;
//! * compile timestamps → an estimated UTC offset, assuming a 09:00–18:00,
//!   Monday–Friday working day (refused below [`MIN_TIMESTAMP_SAMPLES`]);
//! * Rich toolchain fingerprints, Rich checksum and Rich/linker consistency;
//! * PDB paths → user and project names;
//! * Authenticode signers;
//! * infrastructure strings (URLs, IPs, e-mail addresses, mutex names).

use crate::strings::StringKind;
use crate::FileReport;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Fewest distinct timestamps for a UTC offset estimate.
pub const MIN_TIMESTAMP_SAMPLES: usize = 3;
/// Timestamps before this (2000-01-01) are ignored as implausible.
pub const MIN_PLAUSIBLE_TIMESTAMP: u32 = 946_684_800;

/// A resource language seen in the batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageHint {
    /// LANGID (`lang | sublang << 10`).
    pub langid: u32,
    /// Language (and region) name.
    pub language: String,
    /// ISO 3166 alpha-2 codes of countries this language suggests.
    pub countries: Vec<String>,
    /// `true` for LANGIDs that toolchains write by default (neutral,
    /// en-US): weak evidence.
    pub weak: bool,
    /// Files carrying it.
    pub files: usize,
}

/// UTC offset estimated from compile timestamps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimezoneEstimate {
    /// Distinct plausible timestamps used (identical timestamps count once:
    /// they are one build).
    pub samples: usize,
    /// Timestamps left out (zero, before 2000, or in the future, as
    /// reproducible builds and forgeries write).
    pub rejected: usize,
    /// Estimated offset from UTC in hours (e.g. 9.0 for UTC+9), when
    /// estimated.
    pub utc_offset_hours: Option<f64>,
    /// ± hours around the estimate within which the fit is as good (to
    /// one sample).
    pub uncertainty_hours: Option<f64>,
    /// Share of samples inside the working week at the estimated offset.
    pub fit: Option<f64>,
    /// Share expected by chance: 45 working hours of 168.
    pub baseline_fit: f64,
    /// The fit beats chance by more than two binomial standard deviations.
    /// Without it the offset says little (e.g. builds on CI machines that
    /// run around the clock).
    pub significant: Option<bool>,
    /// Why no estimate was made.
    pub refused: Option<String>,
    /// Samples per UTC hour of the week (0 = Monday 00:00 UTC), 168 values.
    pub hour_of_week_utc: Vec<u32>,
}

/// A Rich toolchain fingerprint shared by some files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolchainHint {
    /// Sorted `product_id.build` pairs (`0102.31104 0105.31104 …`).
    pub fingerprint: String,
    /// Linker version implied by the Rich header, when known.
    pub rich_linker: Option<String>,
    /// Files with this fingerprint.
    pub files: usize,
}

/// A file whose Rich header disagrees with itself or its PE header, or
/// whose signature was not made for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RichAnomaly {
    /// File path or sha256 (whatever the report has).
    pub file: String,
    /// What is wrong.
    pub what: String,
}

/// What a PDB path tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdbHint {
    /// The path.
    pub path: String,
    /// User name from `\Users\NAME\` or `\Documents and Settings\NAME\`.
    pub user: Option<String>,
    /// Project folder (the folder above the build output folders).
    pub project: Option<String>,
    /// Files carrying it.
    pub files: usize,
}

/// A signing certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignerHint {
    /// Subject.
    pub subject: String,
    /// Issuer.
    pub issuer: Option<String>,
    /// Files signed.
    pub files: usize,
}

/// An infrastructure string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfraHint {
    /// Kind.
    pub kind: StringKind,
    /// Value.
    pub value: String,
    /// Files containing it.
    pub files: usize,
}

/// All hints for a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceHints {
    /// Reports looked at.
    pub files: usize,
    /// Resource languages, most files first.
    pub languages: Vec<LanguageHint>,
    /// UTC offset from PE timestamps.
    pub timezone: TimezoneEstimate,
    /// Toolchain fingerprints, most files first.
    pub toolchains: Vec<ToolchainHint>,
    /// Rich checksum failures and Rich/linker mismatches.
    pub rich_anomalies: Vec<RichAnomaly>,
    /// Files whose Authenticode digest is not their own.
    #[serde(default)]
    pub signature_anomalies: Vec<RichAnomaly>,
    /// PDB paths.
    pub pdbs: Vec<PdbHint>,
    /// Signers.
    pub signers: Vec<SignerHint>,
    /// URLs, IPs, e-mails, mutex names.
    pub infrastructure: Vec<InfraHint>,
}

fn file_id(r: &FileReport) -> String {
    r.path
        .clone()
        .or_else(|| r.hashes.as_ref().map(|h| h.sha256.clone()))
        .unwrap_or_else(|| "<memory>".into())
}

/// Derive hints from a batch. `now` (seconds since 1970) bounds plausible
/// timestamps; pass the current time.
pub fn derive(reports: &[FileReport], now: u64) -> EvidenceHints {
    let mut langs: BTreeMap<u32, usize> = BTreeMap::new();
    let mut stamps: BTreeSet<u32> = BTreeSet::new();
    let mut rejected = 0usize;
    let mut tool: BTreeMap<String, (Option<String>, usize)> = BTreeMap::new();
    let mut anomalies = Vec::new();
    let mut sig_anomalies = Vec::new();
    let mut pdbs: BTreeMap<String, usize> = BTreeMap::new();
    let mut signers: BTreeMap<String, (Option<String>, usize)> = BTreeMap::new();
    let mut infra: BTreeMap<(String, String), (StringKind, usize)> = BTreeMap::new();
    for r in reports {
        if let Some(pe) = &r.pe {
            for &l in &pe.resource_langids {
                *langs.entry(l).or_default() += 1;
            }
            let t = pe.timedatestamp;
            if t >= MIN_PLAUSIBLE_TIMESTAMP && (t as u64) <= now + 86_400 {
                stamps.insert(t);
            } else {
                rejected += 1;
            }
            if let Some(rich) = &pe.rich {
                let mut ids: Vec<String> = rich
                    .entries
                    .iter()
                    .filter(|e| e.product_id != 0)
                    .map(|e| format!("{:04x}.{}", e.product_id, e.build))
                    .collect();
                ids.sort();
                ids.dedup();
                let lk = pe
                    .linker
                    .rich_linker
                    .as_ref()
                    .and_then(|l| l.version.clone());
                let e = tool.entry(ids.join(" ")).or_insert((lk, 0));
                e.1 += 1;
                if !rich.checksum_valid {
                    anomalies.push(RichAnomaly {
                        file: file_id(r),
                        what: "Rich checksum does not match the DOS header and entries (edited after linking)".into(),
                    });
                }
                if pe.linker.consistent == Some(false) {
                    anomalies.push(RichAnomaly {
                        file: file_id(r),
                        what: format!(
                            "optional header says linker {} but the Rich header's linker implies {}",
                            pe.linker.optional_header,
                            pe.linker
                                .rich_linker
                                .as_ref()
                                .and_then(|l| l.version.clone())
                                .unwrap_or_default()
                        ),
                    });
                }
            }
            if let Some(p) = &pe.pdb {
                if !p.path.is_empty() {
                    *pdbs.entry(p.path.clone()).or_default() += 1;
                }
            }
            if let Some(a) = &pe.authenticode {
                if a.digest_matches == Some(false) {
                    sig_anomalies.push(RichAnomaly {
                        file: file_id(r),
                        what: format!(
                            "Authenticode signature{} does not cover this file: transplanted from another file or the file changed after signing",
                            a.signer.as_deref().map(|s| format!(" by {s}")).unwrap_or_default()
                        ),
                    });
                }
                if let Some(s) = &a.signer {
                    let e = signers.entry(s.clone()).or_insert((a.issuer.clone(), 0));
                    e.1 += 1;
                }
            }
        }
        let mut seen_here = BTreeSet::new();
        for s in &r.strings {
            if matches!(
                s.kind,
                StringKind::Url | StringKind::Ipv4 | StringKind::Email | StringKind::MutexName
            ) && seen_here.insert((s.kind as u8, s.value.clone()))
            {
                let e = infra
                    .entry((format!("{:?}", s.kind), s.value.clone()))
                    .or_insert((s.kind, 0));
                e.1 += 1;
            }
        }
    }
    let mut languages: Vec<LanguageHint> = langs
        .into_iter()
        .map(|(l, n)| {
            let (name, countries) = language(l);
            LanguageHint {
                langid: l,
                language: name,
                countries,
                weak: l == 0 || l == 0x409 || l == 0x400 || l == 0x800,
                files: n,
            }
        })
        .collect();
    languages.sort_by(|a, b| b.files.cmp(&a.files).then(a.langid.cmp(&b.langid)));
    let mut toolchains: Vec<ToolchainHint> = tool
        .into_iter()
        .map(|(f, (lk, n))| ToolchainHint {
            fingerprint: f,
            rich_linker: lk,
            files: n,
        })
        .collect();
    toolchains.sort_by_key(|t| std::cmp::Reverse(t.files));
    let pdbs = pdbs
        .into_iter()
        .map(|(p, n)| {
            let (user, project) = parse_pdb_path(&p);
            PdbHint {
                path: p,
                user,
                project,
                files: n,
            }
        })
        .collect();
    let signers = signers
        .into_iter()
        .map(|(s, (i, n))| SignerHint {
            subject: s,
            issuer: i,
            files: n,
        })
        .collect();
    let mut infrastructure: Vec<InfraHint> = infra
        .into_iter()
        .map(|((_, v), (k, n))| InfraHint {
            kind: k,
            value: v,
            files: n,
        })
        .collect();
    infrastructure.sort_by_key(|t| std::cmp::Reverse(t.files));
    let stamps: Vec<u32> = stamps.into_iter().collect();
    let mut timezone = estimate_utc_offset(&stamps);
    timezone.rejected = rejected;
    EvidenceHints {
        files: reports.len(),
        languages,
        timezone,
        toolchains,
        rich_anomalies: anomalies,
        signature_anomalies: sig_anomalies,
        pdbs,
        signers,
        infrastructure,
    }
}

/// Hour of the week in UTC (0 = Monday 00:00) of a Unix time.
pub fn hour_of_week(t: u32) -> u32 {
    // 1970-01-01 was a Thursday: day 0 -> weekday 3 (Mon = 0).
    let days = t / 86_400;
    let weekday = (days + 3) % 7;
    weekday * 24 + (t % 86_400) / 3600
}

/// Share of the week inside Mon–Fri 09:00–18:00.
pub const BASELINE_FIT: f64 = 45.0 / 168.0;

/// Estimate the UTC offset that puts most timestamps inside Mon–Fri
/// 09:00–18:00 local time. Offsets from −12 h to +14 h are tried in half
/// hours; among the offsets with the best fit the middle one is taken. The
/// uncertainty is half the span of offsets whose in-window count is within
/// one Poisson standard deviation (√best, at least one sample) of the best
/// (at least 0.5 h).
pub fn estimate_utc_offset(timestamps: &[u32]) -> TimezoneEstimate {
    let mut hist = vec![0u32; 168];
    for &t in timestamps {
        hist[hour_of_week(t) as usize] += 1;
    }
    let n = timestamps.len();
    let mut est = TimezoneEstimate {
        samples: n,
        rejected: 0,
        utc_offset_hours: None,
        uncertainty_hours: None,
        fit: None,
        baseline_fit: BASELINE_FIT,
        significant: None,
        refused: None,
        hour_of_week_utc: hist,
    };
    if n < MIN_TIMESTAMP_SAMPLES {
        est.refused = Some(format!(
            "only {n} distinct plausible compile timestamp(s); at least {MIN_TIMESTAMP_SAMPLES} are needed"
        ));
        return est;
    }
    let score = |half_hours: i32| -> usize {
        timestamps
            .iter()
            .filter(|&&t| {
                let local = t as i64 + half_hours as i64 * 1800;
                let days = local.div_euclid(86_400);
                let weekday = (days + 3).rem_euclid(7);
                let sec = local.rem_euclid(86_400);
                weekday < 5 && (9 * 3600..18 * 3600).contains(&sec)
            })
            .count()
    };
    let scores: Vec<(i32, usize)> = (-24..=28).map(|h| (h, score(h))).collect();
    let best = scores.iter().map(|s| s.1).max().unwrap_or(0);
    if best == 0 {
        est.refused = Some("no offset puts any timestamp inside a working day".into());
        return est;
    }
    let top: Vec<i32> = scores.iter().filter(|s| s.1 == best).map(|s| s.0).collect();
    let mid = top[top.len() / 2] as f64 / 2.0;
    let slack = (best as f64).sqrt().max(1.0);
    let near: Vec<i32> = scores
        .iter()
        .filter(|s| s.1 as f64 + slack >= best as f64)
        .map(|s| s.0)
        .collect();
    let lo = *near.iter().min().unwrap_or(&0) as f64 / 2.0;
    let hi = *near.iter().max().unwrap_or(&0) as f64 / 2.0;
    est.utc_offset_hours = Some(mid);
    est.uncertainty_hours = Some(((hi - lo) / 2.0).max(0.5));
    est.fit = Some(best as f64 / n as f64);
    let mean = n as f64 * BASELINE_FIT;
    let sd = (n as f64 * BASELINE_FIT * (1.0 - BASELINE_FIT)).sqrt();
    est.significant = Some(best as f64 > mean + 2.0 * sd);
    est
}

/// User and project names from a PDB path.
pub fn parse_pdb_path(path: &str) -> (Option<String>, Option<String>) {
    let norm = path.replace('/', "\\");
    let comps: Vec<&str> = norm.split('\\').filter(|c| !c.is_empty()).collect();
    if comps.is_empty() {
        return (None, None);
    }
    let dirs = &comps[..comps.len() - 1];
    let mut user = None;
    let mut start = 0;
    for (i, c) in dirs.iter().enumerate() {
        let l = c.to_ascii_lowercase();
        if (l == "users" || l == "documents and settings" || l == "home") && i + 1 < dirs.len() {
            user = Some(dirs[i + 1].to_string());
            start = i + 2;
            break;
        }
    }
    const BUILD: &[&str] = &[
        "release",
        "debug",
        "x64",
        "x86",
        "win32",
        "bin",
        "obj",
        "build",
        "out",
        "output",
        "target",
        "deps",
        "releasemt",
        "debugmt",
        "arm64",
        "lib",
    ];
    const NOISE: &[&str] = &[
        "desktop",
        "documents",
        "my documents",
        "source",
        "repos",
        "src",
        "projects",
        "code",
        "work",
        "dev",
        "visual studio 2008",
        "visual studio 2010",
        "visual studio 2012",
        "visual studio 2013",
        "visual studio 2015",
        "visual studio 2017",
        "visual studio 2019",
        "visual studio 2022",
    ];
    let is_build = |c: &str| {
        let l = c.to_ascii_lowercase();
        BUILD.contains(&l.as_str()) || l.ends_with("-pc-windows-msvc") || l.starts_with("temp.win")
    };
    let drive = |c: &str| c.len() == 2 && c.ends_with(':');
    let rest: Vec<&str> = dirs[start.min(dirs.len())..]
        .iter()
        .copied()
        .filter(|c| !drive(c))
        .collect();
    let mut project = None;
    if let Some(b) = rest.iter().position(|c| is_build(c)) {
        if b > 0 {
            project = Some(rest[b - 1].to_string());
        }
    } else if let Some(last) = rest.last() {
        project = Some(last.to_string());
    }
    if project
        .as_ref()
        .is_some_and(|p| NOISE.contains(&p.to_ascii_lowercase().as_str()))
    {
        project = None;
    }
    if project.is_none() {
        // Fall back to the PDB file's stem.
        let f = comps[comps.len() - 1];
        let stem = f.rsplit_once('.').map_or(f, |(s, _)| s);
        if !stem.is_empty() {
            project = Some(stem.to_string());
        }
    }
    (user, project)
}

/// Language name and suggested countries for a LANGID.
pub fn language(langid: u32) -> (String, Vec<String>) {
    let full: Option<(&str, &[&str])> = match langid {
        0x0000 => Some(("Neutral", &[])),
        0x0400 => Some(("Process default", &[])),
        0x0800 => Some(("System default", &[])),
        0x0409 => Some(("English (United States)", &["US"])),
        0x0809 => Some(("English (United Kingdom)", &["GB"])),
        0x0c09 => Some(("English (Australia)", &["AU"])),
        0x1009 => Some(("English (Canada)", &["CA"])),
        0x0412 => Some(("Korean", &["KR", "KP"])),
        0x0804 => Some(("Chinese (Simplified, PRC)", &["CN"])),
        0x1004 => Some(("Chinese (Simplified, Singapore)", &["SG"])),
        0x0404 => Some(("Chinese (Traditional, Taiwan)", &["TW"])),
        0x0c04 => Some(("Chinese (Traditional, Hong Kong SAR)", &["HK"])),
        0x0419 => Some(("Russian", &["RU", "BY", "KZ", "UA"])),
        0x0422 => Some(("Ukrainian", &["UA"])),
        0x0423 => Some(("Belarusian", &["BY"])),
        0x0411 => Some(("Japanese", &["JP"])),
        0x0429 => Some(("Persian", &["IR", "AF"])),
        0x0401 => Some(("Arabic (Saudi Arabia)", &["SA"])),
        0x0801 => Some(("Arabic (Iraq)", &["IQ"])),
        0x0c01 => Some(("Arabic (Egypt)", &["EG"])),
        0x2801 => Some(("Arabic (Syria)", &["SY"])),
        0x3801 => Some(("Arabic (U.A.E.)", &["AE"])),
        0x040d => Some(("Hebrew", &["IL"])),
        0x0407 => Some(("German (Germany)", &["DE"])),
        0x040c => Some(("French (France)", &["FR"])),
        0x0c0a => Some(("Spanish (Spain)", &["ES"])),
        0x080a => Some(("Spanish (Mexico)", &["MX"])),
        0x0410 => Some(("Italian", &["IT"])),
        0x0415 => Some(("Polish", &["PL"])),
        0x041f => Some(("Turkish", &["TR"])),
        0x042a => Some(("Vietnamese", &["VN"])),
        0x0421 => Some(("Indonesian", &["ID"])),
        0x041e => Some(("Thai", &["TH"])),
        0x0416 => Some(("Portuguese (Brazil)", &["BR"])),
        0x0816 => Some(("Portuguese (Portugal)", &["PT"])),
        0x0413 => Some(("Dutch", &["NL"])),
        0x0418 => Some(("Romanian", &["RO"])),
        0x0405 => Some(("Czech", &["CZ"])),
        0x040e => Some(("Hungarian", &["HU"])),
        0x0408 => Some(("Greek", &["GR"])),
        0x0439 => Some(("Hindi", &["IN"])),
        0x0420 => Some(("Urdu", &["PK"])),
        0x042b => Some(("Armenian", &["AM"])),
        0x0437 => Some(("Georgian", &["GE"])),
        0x042c => Some(("Azerbaijani (Latin)", &["AZ"])),
        0x043f => Some(("Kazakh", &["KZ"])),
        _ => None,
    };
    if let Some((n, c)) = full {
        return (n.to_string(), c.iter().map(|s| s.to_string()).collect());
    }
    let primary: Option<(&str, &[&str])> = match langid & 0x3ff {
        0x01 => Some(("Arabic", &["SA", "EG", "IQ", "SY", "AE"])),
        0x04 => Some(("Chinese", &["CN", "TW", "HK", "SG"])),
        0x07 => Some(("German", &["DE", "AT", "CH"])),
        0x09 => Some(("English", &[])),
        0x0a => Some(("Spanish", &["ES", "MX"])),
        0x0c => Some(("French", &["FR", "BE", "CA", "CH"])),
        0x12 => Some(("Korean", &["KR", "KP"])),
        0x19 => Some(("Russian", &["RU", "BY", "KZ", "UA"])),
        0x29 => Some(("Persian", &["IR", "AF"])),
        _ => None,
    };
    match primary {
        Some((n, c)) => (
            format!("{n} (sublanguage {:#x})", langid >> 10),
            c.iter().map(|s| s.to_string()).collect(),
        ),
        None => (format!("LANGID {langid:#06x}"), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean() {
        let (n, c) = language(0x412);
        assert_eq!(n, "Korean");
        assert_eq!(c, vec!["KR", "KP"]);
        assert_eq!(language(0x812).1, vec!["KR", "KP"]);
    }

    #[test]
    fn hour_of_week_epoch() {
        // 1970-01-01 00:00 UTC was a Thursday.
        assert_eq!(hour_of_week(0), 3 * 24);
        // 2014-11-24 00:00 UTC was a Monday.
        assert_eq!(hour_of_week(1_416_787_200), 0);
    }

    #[test]
    fn utc_offset_from_korean_office_hours() {
        // Mon–Fri 2014-11-24.. at 10:00..17:00 KST (UTC+9) = 01:00..08:00 UTC.
        let monday = 1_416_787_200u32;
        let mut ts = Vec::new();
        for day in 0..5 {
            for h in [1u32, 3, 5, 7, 8] {
                ts.push(monday + day * 86_400 + h * 3600 + 600);
            }
        }
        let e = estimate_utc_offset(&ts);
        let off = e.utc_offset_hours.unwrap();
        let unc = e.uncertainty_hours.unwrap();
        assert!((off - 9.0).abs() <= unc, "offset {off} ± {unc}");
        assert!(unc <= 2.5, "uncertainty {unc}");
        assert_eq!(e.samples, 25);
        assert_eq!(e.fit, Some(1.0));
        assert_eq!(e.significant, Some(true));
    }

    #[test]
    fn round_the_clock_builds_are_not_significant() {
        // One build every 7 hours for four weeks: no working-day pattern.
        let ts: Vec<u32> = (0..96).map(|i| 1_416_787_200 + i * 7 * 3600).collect();
        let e = estimate_utc_offset(&ts);
        assert_eq!(e.significant, Some(false), "{e:?}");
    }

    #[test]
    fn refuses_below_three() {
        let e = estimate_utc_offset(&[1_416_787_200, 1_416_790_000]);
        assert!(e.utc_offset_hours.is_none());
        assert!(e.refused.unwrap().contains("only 2"));
    }

    #[test]
    fn pdb_paths() {
        assert_eq!(
            parse_pdb_path(r"C:\Users\kim\Desktop\wiper\Release\wiper.pdb"),
            (Some("kim".into()), Some("wiper".into()))
        );
        assert_eq!(
            parse_pdb_path(
                r"D:\a\cryptography\cryptography\src\rust\target\i686-pc-windows-msvc\release\deps\cryptography_rust.pdb"
            ),
            (None, Some("rust".into()))
        );
        assert_eq!(
            parse_pdb_path("fixture.pdb"),
            (None, Some("fixture".into()))
        );
        assert_eq!(
            parse_pdb_path(r"C:\Documents and Settings\admin\My Documents\tool.pdb"),
            (Some("admin".into()), Some("tool".into()))
        );
    }
}
