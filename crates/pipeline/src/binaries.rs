//! Binaries in a case: `ascribe-binary` inspection turned into observations
//! (resource languages, compile-time zone, toolchain, PDB paths, signers,
//! infrastructure strings).

use ascribe_binary::evidence_hints::{self, EvidenceHints};
use ascribe_binary::strings::StringKind;
use ascribe_binary::{FileReport, Format, InspectOptions};
use ascribe_core::{
    ArtifactType, IndicatorType, Location, Observation, ObservationKind, Source, SourceKind,
};
use ascribe_kb::KnowledgeBase;
use std::path::{Path, PathBuf};

use crate::{EvidenceFile, FileError, Stage};

/// Files inspected per batch (between two progress calls).
const CHUNK: usize = 64;

/// Why a file could not be inspected, without its path (the caller names
/// the file once).
pub fn inspect_error_reason(e: &ascribe_binary::InspectError) -> String {
    use ascribe_binary::InspectError as E;
    match e {
        E::Io { source, .. } => format!("cannot read: {source}"),
        E::NotAFile { .. } => "not a regular file (a FIFO, device or socket is never read)".into(),
        E::TooLarge { size, limit, .. } => {
            format!("{size} bytes, over the limit of {limit} bytes")
        }
    }
}

/// Whether the first bytes of a file are a PE, ELF or Mach-O header.
/// Only regular files are opened (a FIFO would block, a device never end).
pub fn looks_binary(path: &Path) -> bool {
    // enough for the DOS header, e_lfanew and the PE signature
    ascribe_case::read_head(path, 4096)
        .is_some_and(|head| !matches!(ascribe_binary::sniff(&head), Format::Unknown))
}

/// The source of everything ascribe finds in the case's binaries.
pub fn analysis_source() -> Source {
    Source {
        id: "binary-inspection".into(),
        title: "ascribe inspection of the case's binaries".into(),
        url: None,
        date: None,
        kind: SourceKind::Analysis,
        file: None,
    }
}

/// Seconds since the Unix epoch (the reference for "timestamps in the
/// future" in [`evidence_hints::derive`]).
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Inspect the case's binaries and turn the batch's hints into
/// observations. Notes say what was found and what could not be weighed; a
/// file that cannot be inspected is a `W008` note and a [`FileError`], and
/// the batch goes on. `progress` is called after each chunk of files.
pub fn observations(
    files: &[EvidenceFile],
    kb: &KnowledgeBase,
    progress: &mut dyn FnMut(usize),
) -> (Vec<Observation>, Vec<String>, Vec<FileError>) {
    let mut notes = Vec::new();
    let mut errors = Vec::new();
    let mut reports: Vec<FileReport> = Vec::new();
    let mut done = 0;
    for chunk in files.chunks(CHUNK) {
        let paths: Vec<PathBuf> = chunk.iter().map(|f| f.path.clone()).collect();
        let results = ascribe_binary::inspect_batch(&paths, &InspectOptions::default());
        for (file, (_, r)) in chunk.iter().zip(results) {
            let rel = file.name.clone();
            match r {
                Ok(mut rep) => {
                    for w in &rep.warnings {
                        notes.push(format!("{rel}: {w}"));
                    }
                    rep.path = Some(rel);
                    reports.push(rep);
                }
                Err(e) => {
                    let reason = inspect_error_reason(&e);
                    notes.push(ascribe_core::diagnostic::warn(
                        "W008",
                        format!("{rel}: not inspected: {reason}"),
                    ));
                    errors.push(FileError {
                        file: rel,
                        stage: Stage::Binaries,
                        message: reason,
                    });
                }
            }
        }
        done += chunk.len();
        progress(done);
    }
    if reports.is_empty() {
        return (Vec::new(), notes, errors);
    }
    let hints = evidence_hints::derive(&reports, unix_now());
    let (obs, mut more) = from_hints(&hints, kb);
    notes.insert(
        0,
        format!(
            "{} binar{} inspected: {} language(s), {} toolchain fingerprint(s), {} PDB path(s), {} signer(s), {} infrastructure string(s)",
            reports.len(),
            if reports.len() == 1 { "y" } else { "ies" },
            hints.languages.len(),
            hints.toolchains.len(),
            hints.pdbs.len(),
            hints.signers.len(),
            hints.infrastructure.len()
        ),
    );
    notes.append(&mut more);
    (obs, notes, errors)
}

/// Observations from a batch's hints.
pub fn from_hints(h: &EvidenceHints, kb: &KnowledgeBase) -> (Vec<Observation>, Vec<String>) {
    let src = analysis_source();
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let mut n = 0;
    let mut push = |kind: ObservationKind, note: String, out: &mut Vec<Observation>| {
        n += 1;
        out.push(Observation {
            id: format!("binaries#{n}"),
            kind,
            source: src.clone(),
            location: Some(Location {
                file: "binaries".into(),
                line: None,
            }),
            note: Some(note),
            status: Default::default(),
            forge_cost_override: None,
            fact_key: None,
            illustrative: false,
        });
    };
    for l in &h.languages {
        if l.weak {
            continue;
        }
        push(
            ObservationKind::Artifact {
                artifact: ArtifactType::ResourceLanguage,
                value: format!("0x{:04x}", l.langid),
                sample: Some(format!("{} file(s)", l.files)),
                known_for: None,
            },
            format!("{} resources in {} file(s)", l.language, l.files),
            &mut out,
        );
    }
    let tz = &h.timezone;
    match (tz.utc_offset_hours, tz.uncertainty_hours, tz.significant) {
        (Some(off), Some(unc), Some(true)) => push(
            ObservationKind::Artifact {
                artifact: ArtifactType::UtcOffset,
                value: format!("{off:+} ± {unc}"),
                sample: Some(format!("{} timestamps", tz.samples)),
                known_for: None,
            },
            format!(
                "{} distinct PE timestamps; {:.0}% fall in a Mon–Fri 09–18 working week at UTC{off:+} (chance: {:.0}%)",
                tz.samples,
                tz.fit.unwrap_or(0.0) * 100.0,
                tz.baseline_fit * 100.0
            ),
            &mut out,
        ),
        (Some(off), _, _) => notes.push(format!(
            "compile timestamps suggest UTC{off:+} but the fit does not beat chance ({} samples): not weighed",
            tz.samples
        )),
        _ => {
            if let Some(r) = &tz.refused {
                notes.push(format!("time zone: {r}"));
            }
        }
    }
    for a in &h.rich_anomalies {
        push(
            ObservationKind::Artifact {
                artifact: ArtifactType::RichMismatch,
                value: a.what.clone(),
                sample: Some(a.file.clone()),
                known_for: None,
            },
            "Rich header inconsistent with itself or the PE header".into(),
            &mut out,
        );
    }
    for a in &h.signature_anomalies {
        push(
            ObservationKind::Artifact {
                artifact: ArtifactType::SignatureMismatch,
                value: a.what.clone(),
                sample: Some(a.file.clone()),
                known_for: None,
            },
            "Authenticode digest is not the file's".into(),
            &mut out,
        );
    }
    // Fingerprints, PDB paths and signers are evidence only when tied to an
    // actor; without reference samples they are reported, not weighed.
    for t in &h.toolchains {
        notes.push(format!(
            "Rich toolchain {}{} in {} file(s): not tied to any actor without reference samples",
            t.fingerprint,
            t.rich_linker
                .as_deref()
                .map(|l| format!(" (linker {l})"))
                .unwrap_or_default(),
            t.files
        ));
    }
    for p in &h.pdbs {
        notes.push(format!(
            "PDB path {} (user {}, project {}) in {} file(s): not tied to any actor",
            p.path,
            p.user.as_deref().unwrap_or("-"),
            p.project.as_deref().unwrap_or("-"),
            p.files
        ));
    }
    for s in &h.signers {
        notes.push(format!(
            "signed by {}{} ({} file(s)): not tied to any actor",
            s.subject,
            s.issuer
                .as_deref()
                .map(|i| format!(", issuer {i}"))
                .unwrap_or_default(),
            s.files
        ));
    }
    let mut unmatched = 0;
    for i in &h.infrastructure {
        let it = match i.kind {
            StringKind::Url => IndicatorType::Url,
            StringKind::Ipv4 => IndicatorType::Ip,
            StringKind::Email => IndicatorType::Email,
            _ => continue,
        };
        if kb.infrastructure_for(&i.value).is_empty() {
            unmatched += 1;
            continue;
        }
        push(
            ObservationKind::Indicator {
                indicator: it,
                value: i.value.clone(),
                role: Some("string in binary".into()),
                first_seen: None,
                last_seen: None,
                country: None,
                overlaps: None,
            },
            format!("found in {} file(s)", i.files),
            &mut out,
        );
    }
    if unmatched > 0 {
        notes.push(format!("{unmatched} infrastructure string(s) in the binaries match no known infrastructure: not weighed"));
    }
    (out, notes)
}
