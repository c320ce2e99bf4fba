//! Analysis jobs: a case version is written into a private temporary
//! directory (case.toml + its evidence files from the content store, no
//! execute bits) and assessed there by the pipeline library
//! (`ascribe_pipeline`, the same code as `ascribe analyze DIR`: reports,
//! binaries, code reuse, reasoning); the assessment is stored with the
//! version it came from.

use crate::db::AssessmentRow;
use crate::{now, AppState};
use ascribe_pipeline::{AnalyzeOptions, CaseInput, Stage};
use std::path::Path;
use std::sync::Arc;

fn stage_name(s: Stage) -> &'static str {
    match s {
        Stage::KnowledgeBase => "knowledge base as of the case's date",
        Stage::Reports => "reading reports",
        Stage::Binaries => "inspecting binaries",
        Stage::CodeReuse => "searching the code index",
        Stage::Reasoning => "weighing the evidence",
    }
}

/// Write a case version into `dir`.
pub fn materialise(
    st: &AppState,
    content: &crate::db::CaseContent,
    dir: &Path,
) -> Result<(), String> {
    std::fs::write(dir.join("case.toml"), &content.case_toml).map_err(|e| e.to_string())?;
    for (path, f) in &content.files {
        // paths were cleaned on upload; cleaned again here all the same
        let clean = crate::archive::clean_path(path)?;
        if clean == "case.toml" {
            continue;
        }
        let target = dir.join(&clean);
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p).map_err(|e| e.to_string())?;
        }
        let bytes = st
            .blobs()
            .get(&f.sha256)
            .map_err(|e| format!("{path}: {e}"))?;
        std::fs::write(&target, bytes).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Assess a case directory with the server's engine.
pub fn assess_dir(
    st: &AppState,
    dir: &Path,
    job: Option<i64>,
) -> Result<ascribe_core::Assessment, String> {
    assess_dir_with_case(st, dir, job).map(|(a, _)| a)
}

/// Assess a case directory; also the case as analysed (its observations,
/// those the extractors found included, and the analysis date), which the
/// exports need.
pub fn assess_dir_with_case(
    st: &AppState,
    dir: &Path,
    job: Option<i64>,
) -> Result<(ascribe_core::Assessment, ascribe_core::Case), String> {
    let progress: Option<ascribe_pipeline::Progress> = job.map(|job| {
        let st = st.clone();
        let last = std::sync::Mutex::new(ProgressThrottle::default());
        let p: ascribe_pipeline::Progress =
            Arc::new(move |stage: Stage, done: usize, total: usize| {
                let Ok(mut last) = last.lock() else { return };
                if !last.due(stage, std::time::Instant::now()) {
                    return;
                }
                let text = if total > 1 {
                    format!("{} ({done}/{total})", stage_name(stage))
                } else {
                    stage_name(stage).to_string()
                };
                // advisory: skipped, not waited for, when the database is busy
                let _ = st.db().note_job_progress(job, &text, now());
            });
        p
    });
    let kb = st.config().data_dir.join("kb.db");
    let opts = AnalyzeOptions {
        code_index: st.code_index().filter(|p| p.exists()),
        // the intelligence imported into the server's store
        // (`ascribe --store DATA/kb.db intel import ...`), or the
        // PostgreSQL database's (`ascribe --database URL intel import ...`)
        intel_store: Some(kb).filter(|p| st.intel().is_none() && p.is_file()),
        intel: st.intel(),
        progress,
        ..Default::default()
    };
    let loaded = CaseInput::Path(dir.to_path_buf())
        .load()
        .map_err(|e| e.to_string())?;
    let mut analysed = loaded.case.clone();
    let analysis = st
        .engine()
        .analyze_case(loaded, &opts)
        .map_err(|e| e.to_string())?;
    analysed.observations = analysis.observations;
    Ok((analysis.assessment, analysed))
}

/// Which progress reports reach the database: the first of each stage, then
/// at most one every [`ProgressThrottle::EVERY`] within it (a case with many
/// files reports per file, and each report is a write).
#[derive(Default)]
struct ProgressThrottle {
    last: Option<(Stage, std::time::Instant)>,
}

impl ProgressThrottle {
    const EVERY: std::time::Duration = std::time::Duration::from_millis(250);

    fn due(&mut self, stage: Stage, at: std::time::Instant) -> bool {
        let due = match self.last {
            Some((s, t)) => s != stage || at.duration_since(t) >= Self::EVERY,
            None => true,
        };
        if due {
            self.last = Some((stage, at));
        }
        due
    }
}

/// Run one job to its end (called on a blocking thread).
pub fn run_job(st: &AppState, job: i64, case_id: i64, version: i64) {
    let db = st.db();
    let step = |state: &str, progress: &str, error: Option<&str>| {
        if let Err(e) = db.set_job(job, state, progress, error, now()) {
            eprintln!("ascribe serve: job {job}: {e}");
        }
    };
    step(
        "running",
        "writing the case version to a work directory",
        None,
    );
    let result = (|| -> Result<(ascribe_core::Assessment, ascribe_core::Case), String> {
        let content = db
            .content(case_id, version)
            .map_err(|e| e.to_string())?
            .ok_or("the case version no longer exists")?;
        let tmp = tempfile::Builder::new()
            .prefix("job-")
            .tempdir_in(st.work_dir())
            .map_err(|e| e.to_string())?;
        materialise(st, &content, tmp.path())?;
        assess_dir_with_case(st, tmp.path(), Some(job))
    })();
    match result {
        Ok((a, case)) => {
            let (json, analysed) = match (serde_json::to_string(&a), serde_json::to_string(&case)) {
                (Ok(j), Ok(c)) => (j, c),
                (Err(e), _) | (_, Err(e)) => return step("failed", "failed", Some(&e.to_string())),
            };
            let created = now();
            let summary = crate::api::summary(&a, version, job, created).to_string();
            let row = AssessmentRow {
                case_id,
                version,
                job_id: job,
                created,
                json,
                summary,
                analysed: Some(analysed),
            };
            match db.put_assessment(&row) {
                Ok(()) => step("done", "done", None),
                Err(e) => step("failed", "failed", Some(&e.to_string())),
            }
        }
        Err(e) => step("failed", "failed", Some(&e)),
    }
}

#[cfg(test)]
mod progress_tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn the_first_report_of_each_stage_passes_then_one_per_interval() {
        let mut t = ProgressThrottle::default();
        let t0 = Instant::now();
        assert!(t.due(Stage::Reports, t0));
        assert!(!t.due(Stage::Reports, t0 + Duration::from_millis(10)));
        assert!(!t.due(Stage::Reports, t0 + Duration::from_millis(240)));
        assert!(t.due(Stage::Reports, t0 + ProgressThrottle::EVERY));
        // a new stage is always reported, however soon
        assert!(t.due(
            Stage::Reasoning,
            t0 + ProgressThrottle::EVERY + Duration::from_millis(1)
        ));
    }
}
