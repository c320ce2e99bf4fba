//! Non-ASCII and full-width text in every string field of the case and
//! knowledge-base formats, through every command: each run ends with a
//! result or a clear error, never a panic (exit code 101) or a byte-index cut
//! inside a character.

use std::path::Path;
use std::process::Output;

mod common;
use common::{ascribe, root};

/// ASCII printable characters become their full-width forms (U+FF01–U+FF5E),
/// spaces ideographic spaces; a non-ASCII tail is added.
fn full_width(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| match c {
            ' ' => '\u{3000}',
            '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap(),
            c => c,
        })
        .collect();
    if !out.is_empty() {
        out.push_str("·é漢");
    }
    out
}

fn no_panic(o: &Output, what: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.code().is_some_and(|c| c != 101) && !err.contains("panicked"),
        "{what}: exit {:?}\n{err}",
        o.status.code()
    );
}

/// The `key = "value"` lines of a case file (index, key).
fn string_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            t.split_once(" = ").is_some_and(|(k, v)| {
                k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && (v.starts_with('"') || v.starts_with('['))
            })
        })
        .map(|(i, _)| i)
        .collect()
}

fn transform(text: &str, lines: &[usize]) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if !lines.contains(&i) {
                return l.to_string();
            }
            let (k, v) = l.split_once(" = ").unwrap();
            // every quoted string on the line
            let mut out = String::new();
            let mut inside = false;
            let mut cur = String::new();
            for c in v.chars() {
                if c == '"' {
                    if inside {
                        out.push_str(&full_width(&cur));
                        cur.clear();
                    }
                    inside = !inside;
                    out.push(c);
                } else if inside {
                    cur.push(c);
                } else {
                    out.push(c);
                }
            }
            format!("{k} = {out}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Transform every string value of a case at once; when the case is refused
/// (exit 3, naming a line), that line has been exercised: keep it plain and
/// go on, until the rest analyses. Every run must end without a panic; the
/// last one must be an assessment in every output format.
fn exercise_case(store: &Path, base: &str, name: &str) {
    let d = tempfile::tempdir().unwrap();
    let mut todo = string_lines(base);
    assert!(todo.len() > 10, "{name}: too few string fields found");
    let mut refused = 0;
    for _ in 0..400 {
        let text = transform(base, &todo);
        std::fs::write(d.path().join("case.toml"), &text).unwrap();
        std::fs::write(
            d.path().join("note.txt"),
            full_width("Lazarus Group used T1485 from 203.0.113.5"),
        )
        .unwrap();
        let dir = d.path().to_str().unwrap();
        let o = ascribe(store, &["analyze", dir]);
        no_panic(&o, name);
        match o.status.code() {
            Some(0) => {
                for fmt in [["--json", ""], ["--format", "md"]] {
                    let mut args = vec!["analyze", dir, fmt[0]];
                    if !fmt[1].is_empty() {
                        args.push(fmt[1]);
                    }
                    let o = ascribe(store, &args);
                    no_panic(&o, name);
                    assert!(
                        o.status.success(),
                        "{name} {fmt:?}: {}",
                        String::from_utf8_lossy(&o.stderr)
                    );
                }
                let o = ascribe(store, &["analyze", dir, "--no-as-of", "--top", "3"]);
                no_panic(&o, name);
                eprintln!(
                    "{name}: {refused} full-width field(s) refused with a located error, {} analysed",
                    todo.len()
                );
                assert!(refused > 0, "{name}: nothing was refused");
                return;
            }
            Some(3) => {
                let err = String::from_utf8_lossy(&o.stderr).to_string();
                // `…/case.toml:LINE:COL: message`
                let line = err
                    .split("case.toml:")
                    .nth(1)
                    .and_then(|r| r.split(':').next())
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or_else(|| panic!("{name}: refusal names no line: {err}"));
                let before = todo.len();
                todo.retain(|&i| i + 1 != line);
                if todo.len() == before {
                    // refused at the table's header (a check over the whole
                    // table): the table's transformed line whose key or value
                    // the message names
                    let lines: Vec<&str> = base.lines().collect();
                    let start = line.saturating_sub(1);
                    let end = (start + 1..lines.len())
                        .find(|&i| lines[i].starts_with('['))
                        .unwrap_or(lines.len());
                    let named: Vec<usize> = todo
                        .iter()
                        .copied()
                        .filter(|&i| (start..end).contains(&i))
                        .filter(|&i| {
                            let (k, _) = lines[i].trim_start().split_once(" = ").unwrap();
                            let v = transform(lines[i], &[0]);
                            let fv = v.split_once(" = ").map(|x| x.1).unwrap_or("");
                            err.contains(&format!("{k} "))
                                || err.contains(&format!("{k}:"))
                                || err.contains(&format!(" {k}"))
                                || fv.trim_matches('"').len() > 2
                                    && err.contains(fv.trim_matches('"'))
                        })
                        .collect();
                    todo.retain(|i| !named.contains(i));
                }
                if todo.len() == before {
                    // a reference to a transformed id: keep ids and
                    // references plain
                    let lines: Vec<&str> = base.lines().collect();
                    todo.retain(|&i| {
                        let k = lines[i].trim_start().split(" = ").next().unwrap_or("");
                        !matches!(k, "id" | "source" | "hypothesis" | "sources")
                    });
                    assert!(todo.len() < before, "{name}: stuck at line {line}: {err}");
                }
                refused += 1;
            }
            other => panic!(
                "{name}: exit {other:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            ),
        }
    }
    panic!("{name}: did not converge");
}

#[test]
fn full_width_text_in_every_case_field_never_panics() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    for (name, path) in [
        ("sony", "examples/sony-2014/case.toml"),
        ("every table", "fuzz/core/seeds/case_toml/issue10.toml"),
    ] {
        let base = std::fs::read_to_string(root().join(path)).unwrap();
        exercise_case(&store, &base, name);
    }
}

#[test]
fn full_width_knowledge_base_and_reports_never_panic() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let fw = full_width;
    let group = fw("Lazarus Group");
    let alias = fw("APT38");
    let bundle = serde_json::json!({
    "type": "bundle", "id": "bundle--unicode", "objects": [
        {"type": "intrusion-set", "id": "intrusion-set--u1", "name": group,
         "aliases": [alias, "ラザルス"], "description": fw("a North Korean group"),
         "created": "２０１４-01-01T00:00:00Z",
         "external_references": [{"source_name": fw("vendor"), "description": fw("Report (2016, February 24)"), "url": "https://例え.jp/レポート"}]},
        {"type": "malware", "id": "malware--u1", "name": fw("Destover"), "x_mitre_aliases": [fw("Wiper")]},
        {"type": "relationship", "id": "relationship--u1", "relationship_type": "uses",
         "source_ref": "intrusion-set--u1", "target_ref": "malware--u1",
         "external_references": [{"source_name": fw("Novetta"), "description": fw("(2016, February 24)")}]}
    ]});
    let cluster = serde_json::json!({
        "type": "threat-actor", "name": fw("My actors"), "uuid": "44444444-0000-0000-0000-000000000000",
        "values": [{"value": fw("Hidden Cobra"), "uuid": "55555555-0000-0000-0000-000000000000",
                    "meta": {"country": fw("KP"), "synonyms": [fw("Guardians of Peace"), "守護者"],
                             "cfr-suspected-state-sponsor": fw("North Korea"),
                             "cfr-suspected-victims": [fw("South Korea")], "refs": ["https://例え.jp/"]}}]});
    let b = d.path().join("ｂｕｎｄｌｅ.json");
    let c = d.path().join("クラスター.json");
    std::fs::write(&b, bundle.to_string()).unwrap();
    std::fs::write(&c, cluster.to_string()).unwrap();
    let report = d.path().join("レポート.html");
    std::fs::write(
        &report,
        format!(
            "<html><body><p>{}</p><p>ｈｘｘｐ://例え.jp/パス 203.0.113.5</p></body></html>",
            fw("The FBI attributed the attack to North Korea. Lazarus Group used T1485 and Destover.")
        ),
    )
    .unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let runs: Vec<Vec<String>> = vec![
        vec!["kb".into(), "import".into(), s(&b), s(&c)],
        vec!["kb".into(), "stats".into()],
        vec!["kb".into(), "stats".into(), "--json".into()],
        vec!["kb".into(), "actor".into(), group.clone()],
        vec!["kb".into(), "actor".into(), alias.clone(), "--json".into()],
        vec!["kb".into(), "actor".into(), fw("Hidden Cobra")],
        vec!["kb".into(), "actor".into(), "守護者".into()],
        vec!["kb".into(), "actor".into(), fw("GRU")],
        vec!["extract".into(), s(&report)],
        vec!["extract".into(), s(&report), "--json".into()],
        vec!["inspect".into(), s(&report)],
        vec!["inspect".into(), s(&report), "--json".into()],
        vec!["similar".into(), s(&report)],
    ];
    for args in &runs {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = ascribe(&store, &a);
        no_panic(&o, &args.join(" "));
    }
    // the imported full-width group is found by its full-width name
    let o = ascribe(&store, &["kb", "actor", &group, "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
