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
