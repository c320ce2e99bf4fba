//! Analysis jobs: a case version is written into a private temporary
//! directory (case.toml + its evidence files from the content store, no
//! execute bits) and assessed; the assessment is stored with the version
//! it came from.

use crate::db::AssessmentRow;
use crate::{now, AppState};
use ascribe_core::KbFacts;
use ascribe_kb::KnowledgeBase;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// An analysis date and the leakage patterns.
type KbKey = (Option<String>, Vec<String>);

/// Knowledge bases built for an analysis date and leakage patterns,
/// kept for reuse (the cut and the build take most of an analysis).
pub struct KbCache {
    facts: Arc<KbFacts>,
    built: Mutex<HashMap<KbKey, Built>>,
}

#[derive(Clone)]
struct Built {
    kb: Arc<KnowledgeBase>,
    as_of: Option<ascribe_core::AsOfReport>,
    removed: usize,
}

impl KbCache {
    pub fn new(facts: Arc<KbFacts>) -> KbCache {
        KbCache {
            facts,
            built: Mutex::new(HashMap::new()),
        }
    }

    pub fn facts(&self) -> &KbFacts {
        &self.facts
    }

    fn get(&self, as_of: Option<&str>, patterns: &[String]) -> Result<Built, String> {
        let key = (as_of.map(str::to_string), patterns.to_vec());
        if let Some(b) = self
            .built
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            return Ok(b.clone());
        }
        let (facts, removed) = ascribe_kb::without_citations(&self.facts, patterns);
        let (facts, as_of) = match as_of {
            Some(d) => {
                let (f, r) = ascribe_kb::try_as_of(&facts, d)?;
                (f, Some(r))
            }
            None => (facts, None),
        };
        let b = Built {
            kb: Arc::new(KnowledgeBase::build(&facts)),
            as_of,
            removed,
        };
        let mut m = self.built.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() >= 16 {
            m.clear();
        }
        m.insert(key, b.clone());
        Ok(b)
    }
}

/// Assess a case directory (case.toml and the observations it holds).
pub fn assess_dir(dir: &Path, cache: &KbCache) -> Result<ascribe_core::Assessment, String> {
    let case = ascribe_case::load_case(dir).map_err(|e| e.to_string())?;
    let built = cache.get(case.as_of.as_deref(), &case.exclude_citations)?;
    let params = ascribe_reason::Params::default();
    let mut a = ascribe_reason::assess(&case, &built.kb, &params);
    if let (Some(r), Some(k)) = (built.as_of, a.knowledge_as_of.as_mut()) {
        k.knowledge_base = Some(r);
    }
    if !case.exclude_citations.is_empty() {
        a.warnings.push(format!(
            "leakage rule: {} knowledge-base link(s) citing only excluded reports were ignored",
            built.removed
        ));
    }
    a.diagnostics = ascribe_core::diagnostics(&a.warnings);
    Ok(a)
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
    let result = (|| -> Result<ascribe_core::Assessment, String> {
        let content = db
            .content(case_id, version)
            .map_err(|e| e.to_string())?
            .ok_or("the case version no longer exists")?;
        let tmp = tempfile::Builder::new()
            .prefix("job-")
            .tempdir_in(st.work_dir())
            .map_err(|e| e.to_string())?;
        materialise(st, &content, tmp.path())?;
        step(
            "running",
            "assessing: observations, evidence, hypotheses",
            None,
        );
        assess_dir(tmp.path(), st.kb())
    })();
    match result {
        Ok(a) => {
            let json = match serde_json::to_string(&a) {
                Ok(j) => j,
                Err(e) => return step("failed", "failed", Some(&e.to_string())),
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
            };
            match db.put_assessment(&row) {
                Ok(()) => step("done", "done", None),
                Err(e) => step("failed", "failed", Some(&e.to_string())),
            }
        }
        Err(e) => step("failed", "failed", Some(&e)),
    }
}
