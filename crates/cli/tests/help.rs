//! Every command and every option documents itself: `--help` of each
//! subcommand, found by walking the command tree from the top-level help,
//! has a description for every option and every subcommand.

use std::process::Command;

fn help(path: &[String]) -> String {
    let mut args: Vec<String> = path.to_vec();
    args.push("--help".into());
    let o = Command::new(env!("CARGO_BIN_EXE_ascribe"))
        .args(&args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ascribe");
    assert!(
        o.status.success(),
        "`ascribe {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("help is UTF-8")
}

/// The entries of a section (`Commands:`, `Options:`, `Arguments:`): the
/// name and whether a description follows it on the same or the next line.
fn section(text: &str, title: &str) -> Vec<(String, bool)> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| l.trim_end() == title) else {
        return Vec::new();
    };
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        if line.trim().is_empty() || !line.starts_with(' ') {
            break;
        }
        // Entries are indented 2 (`-h, --help`) to 6 (`--json`) spaces;
        // continuation lines of a description much further.
        if indent(line) > 6 {
            continue;
        }
        let t = line.trim();
        let (name, rest) = match t.find("  ") {
            Some(k) => (t[..k].to_string(), t[k..].trim().to_string()),
            None => (t.to_string(), String::new()),
        };
        let continued = lines
            .get(i + 1)
            .is_some_and(|n| !n.trim().is_empty() && indent(n) > 6);
        out.push((name, !rest.is_empty() || continued));
    }
    out
}

#[test]
fn every_command_and_option_has_a_description() {
    let mut todo: Vec<Vec<String>> = vec![vec![]];
    let mut seen = 0;
    let mut missing = Vec::new();
    while let Some(path) = todo.pop() {
        let text = help(&path);
        seen += 1;
        for (name, described) in section(&text, "Options:")
            .into_iter()
            .chain(section(&text, "Arguments:"))
        {
            if !described {
                missing.push(format!("ascribe {} {name}", path.join(" ")));
            }
        }
        for (name, described) in section(&text, "Commands:") {
            if name == "help" {
                continue;
            }
            if !described {
                missing.push(format!("ascribe {} {name} (command)", path.join(" ")));
            }
            let mut p = path.clone();
            p.push(name);
            todo.push(p);
        }
    }
    assert!(seen > 10, "only {seen} help pages were found");
    assert!(
        missing.is_empty(),
        "options or commands without a description:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_exit_codes_in_the_help_name_every_command_that_uses_them() {
    // intel import, kb import DIR and index add exit 1 when every file failed; intel remove of an unknown
    // source and index/similar without a code index exit 4 (README, docs/intel.md)
    let h = help(&[]).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        h.contains("1 failure (for extract, inspect, intel import, kb import DIR and index add: every input failed)"),
        "{h}"
    );
    assert!(
        h.contains("4 name not found or ambiguous (also an unknown intel source, no code index)"),
        "{h}"
    );
}
