//! The pipeline on the real Sony example (`examples/sony-2014`: three
//! report excerpts, ten stand-in binaries under an ILLUSTRATIVE marker, an
//! analysis date) and the embedded default knowledge base.

use ascribe_pipeline::{
    AnalyzeOptions, AsOf, CaseInput, Engine, EvidenceFile, PipelineError, Progress, Stage,
};
use ascribe_report::Format;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

fn engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            Arc::new(Engine::from_facts(
                ascribe_kb::embedded::default_facts().expect("embedded facts"),
            ))
        })
        .clone()
}

fn sony() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sony-2014")
}

fn sony_toml() -> String {
    std::fs::read_to_string(sony().join("case.toml")).unwrap()
}

/// Every evidence file of the Sony directory (marker included), by name.
fn sony_files() -> Vec<EvidenceFile> {
    let mut out = Vec::new();
    for sub in ["reports", "binaries", "intel"] {
        for e in std::fs::read_dir(sony().join(sub)).unwrap() {
            let p = e.unwrap().path();
            let name = format!("{sub}/{}", p.file_name().unwrap().to_string_lossy());
            out.push(EvidenceFile { name, path: p });
        }
    }
    out.push(EvidenceFile {
        name: "README.md".into(),
        path: sony().join("README.md"),
    });
    out
}

fn memory(files: &[EvidenceFile]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|f| (f.name.clone(), std::fs::read(&f.path).unwrap()))
        .collect()
}

#[test]
fn a_directory_stored_files_and_memory_give_the_same_assessment() {
    let calls: Arc<Mutex<Vec<(Stage, usize, usize)>>> = Arc::default();
    let sink = calls.clone();
    let progress: Progress = Arc::new(move |s, d, t| sink.lock().unwrap().push((s, d, t)));
    let opts = AnalyzeOptions {
        progress: Some(progress),
        ..Default::default()
    };
    let e = engine();
    let from_dir = e.analyze(&CaseInput::path(sony()), &opts).unwrap();
    let files = sony_files();
    let from_files = e
        .analyze(
            &CaseInput::Files {
                case_toml: sony_toml(),
                files: files.clone(),
            },
            &AnalyzeOptions::default(),
        )
        .unwrap();
    let from_memory = e
        .analyze(
            &CaseInput::Memory {
                case_toml: sony_toml(),
                files: memory(&files),
            },
            &AnalyzeOptions::default(),
        )
        .unwrap();

    let json = from_dir.render(Format::Json, false);
    assert_eq!(json, from_files.render(Format::Json, false));
    assert_eq!(json, from_memory.render(Format::Json, false));
    assert_eq!(from_files.observations, from_memory.observations);
    // case.toml items are located in "case.toml" for parts, at its path
    // for a directory; nothing else differs
    let mut dir_obs = from_dir.observations.clone();
    for o in &mut dir_obs {
        if let Some(l) = o
            .location
            .as_mut()
            .filter(|l| l.file.ends_with("/case.toml"))
        {
            l.file = "case.toml".into();
        }
    }
    assert_eq!(dir_obs, from_memory.observations);

    // the reports and the stand-ins were read: observations from the
    // reports, illustrative ones from the binaries, nothing failed
    assert!(
        from_dir.file_errors.is_empty(),
        "{:?}",
        from_dir.file_errors
    );
    assert!(from_dir
        .observations
        .iter()
        .any(|o| o.id.starts_with("reports/seed-00") && !o.illustrative));
    assert!(from_dir
        .observations
        .iter()
        .any(|o| o.id.starts_with("illustrative:binaries#") && o.illustrative));
    let w = &from_dir.assessment.warnings;
    assert!(w
        .iter()
        .any(|l| l.starts_with("10 file(s) under a directory marked ILLUSTRATIVE")));
    // the case's date was used
    assert_eq!(
        from_dir
            .assessment
            .knowledge_as_of
            .as_ref()
            .and_then(|k| k.knowledge_base.as_ref())
            .map(|r| r.date.as_str()),
        Some("2014-12-19")
    );

    // progress: every stage, ending at its total
    let calls = calls.lock().unwrap();
    let last = |stage: Stage| calls.iter().rfind(|c| c.0 == stage).copied();
    assert_eq!(
        last(Stage::KnowledgeBase),
        Some((Stage::KnowledgeBase, 1, 1))
    );
    assert_eq!(last(Stage::Reports), Some((Stage::Reports, 3, 3)));
    assert_eq!(last(Stage::Binaries), Some((Stage::Binaries, 10, 10)));
    // no code index: that stage does not run
    assert_eq!(last(Stage::CodeReuse), None);
    assert_eq!(last(Stage::Reasoning), Some((Stage::Reasoning, 1, 1)));
    let reports: Vec<usize> = calls
        .iter()
        .filter(|c| c.0 == Stage::Reports)
        .map(|c| c.1)
        .collect();
    assert_eq!(reports, vec![1, 2, 3]);
}

#[test]
fn a_bad_file_is_reported_by_its_name_and_the_others_are_analysed() {
    let mut files = memory(&sony_files());
    // a binary where a report is expected
    let exe = std::fs::read(sony().join("binaries/standin-1.exe")).unwrap();
    files.push(("reports/broken.txt".into(), exe));
    let a = engine()
        .analyze(
            &CaseInput::Memory {
                case_toml: sony_toml(),
                files,
            },
            &AnalyzeOptions {
                as_of: AsOf::Ignore,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(a.file_errors.len(), 1, "{:?}", a.file_errors);
    let err = &a.file_errors[0];
    assert_eq!(err.file, "reports/broken.txt");
    assert_eq!(err.stage, Stage::Reports);
    // named as in the case, never by the temporary file
    assert!(
        err.message.contains("reports/broken.txt"),
        "{}",
        err.message
    );
    assert!(!err.message.contains("ascribe-case-"), "{}", err.message);
    let w008: Vec<&String> = a
        .assessment
        .warnings
        .iter()
        .filter(|l| l.starts_with("W008"))
        .collect();
    assert_eq!(w008.len(), 1, "{w008:?}");
    assert!(w008[0].contains("reports/broken.txt: not read"));
    // the other three reports still count
    for n in ["002", "003", "004"] {
        assert!(
            a.observations
                .iter()
                .any(|o| o.id.starts_with(&format!("reports/seed-{n}-excerpt.txt#"))),
            "seed-{n}"
        );
    }
    // no analysis date: nothing was cut
    assert!(a
        .assessment
        .knowledge_as_of
        .as_ref()
        .is_none_or(|k| k.knowledge_base.is_none()));
}

#[test]
fn parts_are_listed_as_the_directory_is() {
    let dir = CaseInput::path(sony()).load().unwrap();
    let parts = CaseInput::Files {
        case_toml: sony_toml(),
        files: sony_files(),
    }
    .load()
    .unwrap();
    assert_eq!(dir.case.files, parts.case.files);
    assert_eq!(dir.case.illustrative_files, parts.case.illustrative_files);
    assert_eq!(dir.case.illustrative_files.len(), 10);
    let names: Vec<&str> = parts.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, dir.case.files);

    // a report ascribe wrote is skipped, whatever the stored path is called
    let tmp = tempfile::tempdir().unwrap();
    let stored = tmp.path().join("3f1a");
    std::fs::write(
        &stored,
        "{\n  \"schema\": \"ascribe.assessment/1\",\n  \"case\": \"x\"\n}\n",
    )
    .unwrap();
    let mut files = sony_files();
    files.push(EvidenceFile {
        name: "old/assessment.json".into(),
        path: stored,
    });
    let parts = CaseInput::Files {
        case_toml: sony_toml(),
        files,
    }
    .load()
    .unwrap();
    assert_eq!(parts.case.skipped_files, vec!["old/assessment.json"]);
    assert_eq!(parts.case.files, dir.case.files);
}

#[test]
fn part_names_that_are_not_plain_relative_paths_are_refused() {
    for bad in [
        "../etc/passwd",
        "/etc/passwd",
        "reports//x.txt",
        "reports/./x.txt",
        "a\\b.txt",
        "",
        "case.toml",
    ] {
        let input = CaseInput::Memory {
            case_toml: sony_toml(),
            files: vec![(bad.to_string(), b"text".to_vec())],
        };
        match input.load() {
            Err(e @ PipelineError::InvalidInput(_)) => assert!(e.is_input_error()),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    let twice = CaseInput::Memory {
        case_toml: sony_toml(),
        files: vec![
            ("r.txt".into(), b"a".to_vec()),
            ("r.txt".into(), b"b".to_vec()),
        ],
    };
    assert!(matches!(twice.load(), Err(PipelineError::InvalidInput(_))));
    // a malformed case.toml names the line
    let bad_toml = CaseInput::Memory {
        case_toml: "[case]\nname = 3\n".into(),
        files: vec![],
    };
    match bad_toml.load() {
        Err(PipelineError::Case(ascribe_case::CaseError::Invalid { file, line, .. })) => {
            assert_eq!(file, "case.toml");
            assert_eq!(line, 2);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn knowledge_bases_are_built_once_per_date_and_bad_dates_refused() {
    let e = engine();
    let a = e.knowledge_base_as_of(Some("2014-12-19"), &[]).unwrap();
    let b = e.knowledge_base_as_of(Some("2014-12-19"), &[]).unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    assert!(Arc::ptr_eq(&e.knowledge_base(), &e.knowledge_base()));
    assert!(!Arc::ptr_eq(&a, &e.knowledge_base()));
    match e.knowledge_base_as_of(Some("2014-13-45"), &[]) {
        Err(PipelineError::AsOf(m)) => assert!(m.contains("2014-13-45"), "{m}"),
        other => panic!("{:?}", other.map(|_| ())),
    }
    // a bad date in the options is the same error, a bad temperature its own
    let input = CaseInput::Memory {
        case_toml: sony_toml(),
        files: vec![],
    };
    let err = e
        .analyze(
            &input,
            &AnalyzeOptions {
                as_of: AsOf::On("yesterday".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, PipelineError::AsOf(_)), "{err}");
    let err = e
        .analyze(
            &input,
            &AnalyzeOptions {
                temperature: 0.0,
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, PipelineError::InvalidOption(_)), "{err}");
}

#[test]
fn one_engine_serves_concurrent_analyses() {
    let e = engine();
    let input = Arc::new(CaseInput::Memory {
        case_toml: sony_toml(),
        files: vec![],
    });
    let opts = AnalyzeOptions {
        strict: true,
        ..Default::default()
    };
    let runs: Vec<_> = (0..3)
        .map(|_| {
            let (e, input, opts) = (e.clone(), input.clone(), opts.clone());
            std::thread::spawn(move || e.analyze(&input, &opts).unwrap())
        })
        .collect();
    let results: Vec<_> = runs.into_iter().map(|h| h.join().unwrap()).collect();
    let first = results[0].render(Format::Json, false);
    for r in &results[1..] {
        assert_eq!(r.render(Format::Json, false), first);
        assert_eq!(r.strict_failure, results[0].strict_failure);
    }
    // the reports named in [[source]] are not there: no extraction, and
    // the case's own observations are all that is weighed
    assert!(results[0]
        .observations
        .iter()
        .all(|o| !o.id.starts_with("reports/")));
}

#[test]
fn binaries_found_in_the_code_index_become_code_reuse_observations() {
    use ascribe_code::{CodeIndex, DiskStore, SampleMeta};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kb.db.code");
    std::fs::create_dir_all(&dir).unwrap();
    {
        let mut idx = CodeIndex::new(DiskStore::open_writer(&dir, || {}).unwrap()).unwrap();
        let data = std::fs::read(sony().join("binaries/standin-1.exe")).unwrap();
        let meta = SampleMeta {
            family: "StandIn".into(),
            actor: Some("Lazarus Group".into()),
            name: Some("standin-1.exe".into()),
        };
        idx.add_bytes(&data, &meta).unwrap();
        idx.flush().unwrap();
        idx.store_mut().compact().unwrap();
    }
    assert_eq!(
        ascribe_pipeline::code::index_dir(&tmp.path().join("kb.db")),
        dir
    );
    let calls: Arc<Mutex<Vec<(Stage, usize, usize)>>> = Arc::default();
    let sink = calls.clone();
    let a = engine()
        .analyze(
            &CaseInput::path(sony()),
            &AnalyzeOptions {
                code_index: Some(dir),
                progress: Some(Arc::new(move |s, d, t| {
                    sink.lock().unwrap().push((s, d, t))
                })),
                ..Default::default()
            },
        )
        .unwrap();
    let code: Vec<_> = a
        .observations
        .iter()
        .filter(|o| o.id.starts_with("illustrative:code:"))
        .collect();
    assert!(
        code.iter()
            .any(|o| o.id == "illustrative:code:binaries/standin-1.exe:StandIn" && o.illustrative),
        "{:?}",
        code.iter().map(|o| &o.id).collect::<Vec<_>>()
    );
    assert_eq!(
        calls
            .lock()
            .unwrap()
            .iter()
            .rfind(|c| c.0 == Stage::CodeReuse)
            .copied(),
        Some((Stage::CodeReuse, 10, 10))
    );
    // An index opened by the caller (any store: here the same samples in memory) is searched
    // instead of the directory, with the same observations.
    let mut mem = CodeIndex::new(ascribe_code::MemoryStore::new()).unwrap();
    let data = std::fs::read(sony().join("binaries/standin-1.exe")).unwrap();
    mem.add_bytes(
        &data,
        &SampleMeta {
            family: "StandIn".into(),
            actor: Some("Lazarus Group".into()),
            name: Some("standin-1.exe".into()),
        },
    )
    .unwrap();
    let b = engine()
        .analyze(
            &CaseInput::path(sony()),
            &AnalyzeOptions {
                code_index: Some(tmp.path().join("no-such-index")),
                code: Some(Arc::new(mem)),
                ..Default::default()
            },
        )
        .unwrap();
    let ids = |x: &ascribe_pipeline::Analysis| {
        x.observations
            .iter()
            .filter(|o| o.id.contains("code:"))
            .map(|o| format!("{o:?}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&b), ids(&a));
    assert!(!ids(&b).is_empty());
}
