//! `load_case` on files that are not what they seem.

/// A FIFO named case.toml is refused at once instead of blocking the
/// reader forever (a writer never comes).
#[cfg(unix)]
#[test]
fn a_fifo_case_file_is_refused_not_waited_on() {
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("case.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !made {
        eprintln!("mkfifo is not available here; nothing to test");
        return;
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let dir = d.path().to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(
            ascribe_case::load_case(&dir)
                .map(|_| ())
                .map_err(|e| e.to_string()),
        );
    });
    let r = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("load_case blocked on a FIFO");
    let err = r.expect_err("a FIFO is not a case file");
    assert!(err.contains("not a regular file"), "{err}");
}

/// The own-report check and the head reader never open a FIFO (it would
/// block until a writer came).
#[cfg(unix)]
#[test]
fn a_fifo_is_not_read_for_its_head() {
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("assessment.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !made {
        eprintln!("mkfifo is not available here; nothing to test");
        return;
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send((
            ascribe_case::is_ascribe_output(&fifo),
            ascribe_case::read_head(&fifo, 16).is_none(),
        ));
    });
    let r = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("blocked on a FIFO");
    assert_eq!(r, (false, true));
}

const CASE: &str = r#"
[case]
name = "Files"

[[source]]
id = "rep"
title = "A report kept in the case"
kind = "vendor"
file = "reports/rep.txt"

[[source]]
id = "gone"
title = "A report that was never copied in"
kind = "vendor"
file = "reports/missing.txt"

[[technique]]
id = "T1485"
source = "rep"
"#;

/// Files that are not read are named in `file_notes` with the reason:
/// a symbolic link (never followed), a FIFO, and a `[[source]] file` that
/// is not in the directory. The readable report is listed, not noted.
#[cfg(unix)]
#[test]
fn files_not_read_are_noted_with_the_reason() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("case.toml"), CASE).unwrap();
    std::fs::create_dir(d.path().join("reports")).unwrap();
    std::fs::write(d.path().join("reports/rep.txt"), "Lazarus").unwrap();
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::os::unix::fs::symlink(outside.path(), d.path().join("reports/link.txt")).unwrap();
    let fifo_made = std::process::Command::new("mkfifo")
        .arg(d.path().join("pipe"))
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    let c = ascribe_case::load_case(d.path()).unwrap();
    assert_eq!(c.files, vec!["reports/rep.txt".to_string()]);
    let notes = c.file_notes.join("\n");
    assert!(
        notes.contains("reports/link.txt: a symbolic link, not followed"),
        "{notes}"
    );
    assert!(
        notes.contains("reports/missing.txt: named by [[source]] 'gone'"),
        "{notes}"
    );
    assert!(!notes.contains("rep.txt: named"), "{notes}");
    if fifo_made {
        assert!(notes.contains("pipe: not a regular file"), "{notes}");
    }
}

/// A `[[source]] file` must stay inside the case directory: `..` and
/// absolute paths are refused where they are written.
#[test]
fn a_source_file_outside_the_case_is_refused() {
    for bad in ["../secret.txt", "/etc/passwd", "reports/../../x"] {
        let text = CASE.replace("reports/missing.txt", bad);
        let e = ascribe_case::parse_case(&text, "case.toml")
            .expect_err(bad)
            .to_string();
        assert!(
            e.starts_with("case.toml:") && e.contains("not a path inside the case directory"),
            "{bad}: {e}"
        );
    }
    assert!(ascribe_case::parse_case(CASE, "case.toml").is_ok());
}
