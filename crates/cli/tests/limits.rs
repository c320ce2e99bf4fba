//! Limits that hold and honest exit codes (issue 13, items 4 and 6): FIFOs
//! and devices refused without opening, batch exit codes (1 when every
//! input failed, 6 when some did), nested HTML linear, large cases
//! refused, thread counts capped, one message per error.

mod common;

use common::ascribe;
use std::path::Path;

/// A FIFO at `p`, or `None` when `mkfifo` is not available.
fn mkfifo(p: &Path) -> Option<()> {
    let ok = std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("mkfifo is not available here; nothing to test");
    }
    ok.then_some(())
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn inspect_refuses_a_fifo_and_a_device_and_reports_partial_failure() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let fifo = d.path().join("pipe.bin");
    if mkfifo(&fifo).is_none() {
        return;
    }
    let good = d.path().join("good.so");
    std::fs::write(&good, ascribe_binary::fixture::elf_so(&[7u8; 20])).unwrap();
    // only the FIFO: every input failed, exit 1, and no hang
    let o = ascribe(&store, &["inspect", fifo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("not a regular file"), "{err}");
    // the path once, not twice
    assert_eq!(err.matches("pipe.bin").count(), 1, "{err}");
    // a FIFO, a device and a good file: the good one is written, exit 6
    let o = ascribe(
        &store,
        &[
            "inspect",
            fifo.to_str().unwrap(),
            "/dev/zero",
            good.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("good.so"));
    assert!(stderr(&o).contains("2 of 3"), "{}", stderr(&o));
    // a missing file counts as a failed input
    let o = ascribe(
        &store,
        &["inspect", "/nonexistent/x.bin", good.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
}

#[test]
fn inspect_refusing_a_too_large_file_is_a_failure() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let big = d.path().join("big.bin");
    // sparse: no disk used, and never read (refused by its size)
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(600 * 1024 * 1024).unwrap();
    let o = ascribe(&store, &["inspect", big.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("over the limit"), "{}", stderr(&o));
}

#[test]
fn inspect_caps_worker_threads() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let good = d.path().join("good.so");
    std::fs::write(&good, ascribe_binary::fixture::elf_so(&[7u8; 20])).unwrap();
    let o = ascribe(&store, &["inspect", "-j", "100000", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("lowered to"), "{}", stderr(&o));
}

#[test]
fn extract_refuses_a_fifo_and_reports_partial_failure() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let fifo = d.path().join("pipe.html");
    if mkfifo(&fifo).is_none() {
        return;
    }
    let good = d.path().join("good.txt");
    std::fs::write(&good, "The actor used T1485.\n").unwrap();
    let o = ascribe(&store, &["extract", fifo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("not a regular file"), "{err}");
    assert_eq!(err.matches("pipe.html").count(), 1, "{err}");
    let o = ascribe(
        &store,
        &["extract", fifo.to_str().unwrap(), good.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("T1485"));
    // a missing file: every input failed
    let o = ascribe(&store, &["extract", "/nonexistent/r.txt"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn deeply_nested_html_is_flattened_in_linear_time() {
    // 100,000 nested elements took 33 s in html2text (quadratic); beyond
    // MAX_HTML_DEPTH the linear stripper is used, with a warning
    let n = 100_000;
    let html = format!(
        "<html><body>{}APT28 used T1485{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    assert!(ascribe_text::html_depth(&html) > ascribe_text::MAX_HTML_DEPTH);
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let f = d.path().join("deep.html");
    std::fs::write(&f, &html).unwrap();
    let o = ascribe(&store, &["extract", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("flattened"), "{out}");
    assert!(out.contains("T1485"), "{out}");
    // the warning once, not once per list it is in
    assert_eq!(out.matches("flattened").count(), 1, "{out}");
    // ordinary nesting still goes through the HTML converter
    assert!(ascribe_text::html_depth("<html><body><div><p>x<br>y</p></div></body></html>") == 4);
}

#[test]
fn a_case_with_too_many_items_is_refused_quickly() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let case = d.path().join("big");
    std::fs::create_dir(&case).unwrap();
    let mut t = String::from(
        "[case]\nname = \"x\"\n\n[[source]]\nid = \"s\"\ntitle = \"s\"\nkind = \"vendor\"\n",
    );
    for i in 0..(ascribe_case::MAX_CASE_ITEMS + 1) {
        t.push_str(&format!(
            "\n[[technique]]\nid = \"T{}\"\nsource = \"s\"\n",
            1000 + i % 600
        ));
    }
    std::fs::write(case.join("case.toml"), t).unwrap();
    let o = ascribe(&store, &["analyze", case.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("observation items"), "{}", stderr(&o));
}

#[test]
fn line_numbers_of_a_large_case_are_right() {
    // the line of each item comes from a binary search now; check it
    let mut t = String::from(
        "[case]\nname = \"x\"\n\n[[source]]\nid = \"s\"\ntitle = \"s\"\nkind = \"vendor\"\n",
    );
    for i in 0..50 {
        t.push_str(&format!(
            "\n[[technique]]\nid = \"T{}\"\nsource = \"s\"\n",
            1000 + i
        ));
    }
    let case = ascribe_case::parse_case(&t, "case.toml").unwrap();
    let lines: Vec<u32> = case
        .observations
        .iter()
        .map(|o| o.location.as_ref().unwrap().line.unwrap())
        .collect();
    let expected: Vec<u32> = (0..50).map(|i| 9 + 4 * i).collect();
    assert_eq!(lines, expected);
}

#[test]
fn an_unreadable_case_file_is_an_io_failure() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    // a directory without case.toml
    let o = ascribe(&store, &["analyze", d.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // a FIFO as case.toml
    let case = d.path().join("c");
    std::fs::create_dir(&case).unwrap();
    if mkfifo(&case.join("case.toml")).is_none() {
        return;
    }
    let o = ascribe(&store, &["analyze", case.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn every_help_entry_of_similar_extract_inspect_is_filled() {
    // Every entry of every command's help is checked by tests/help.rs (it
    // walks the whole command tree and reads clap's long form too); here:
    // the exit codes the top-level help promises.
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let o = ascribe(&store, &["--help"]);
    let help = String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        help.contains(
            "7 extract, inspect, intel import, kb import DIR or index add: some inputs failed"
        ),
        "{help}"
    );
}

#[test]
fn a_store_error_is_said_once() {
    let d = tempfile::tempdir().unwrap();
    // a directory is no store
    let store = d.path().join("dir.db");
    std::fs::create_dir(&store).unwrap();
    let r = d.path().join("r.txt");
    std::fs::write(&r, "text\n").unwrap();
    let o = ascribe(&store, &["extract", r.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(
        err.matches("unable to open database file").count(),
        1,
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}
