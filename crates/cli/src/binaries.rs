//! The `ascribe inspect` table. What a case's binaries contribute to an
//! analysis is in `ascribe_pipeline::binaries`.

use ascribe_binary::FileReport;
use std::fmt::Write;

/// One line of the `ascribe inspect` table.
pub fn table_row(o: &mut String, r: &FileReport) {
    let path = r.path.as_deref().unwrap_or("-");
    let fmt = format!("{:?}", r.format).to_lowercase();
    let sha = r
        .hashes
        .as_ref()
        .map(|h| h.sha256.chars().take(16).collect::<String>())
        .unwrap_or_else(|| "-".into());
    let mut extra = String::new();
    if let Some(pe) = &r.pe {
        let _ = write!(extra, " ts={}", pe.timedatestamp);
        if let Some(i) = &pe.imphash {
            let _ = write!(extra, " imphash={i}");
        }
        if let Some(rich) = &pe.rich {
            let _ = write!(extra, " rich={}entries", rich.entries.len());
        }
        if !pe.resource_langids.is_empty() {
            let langs: Vec<String> = pe
                .resource_langids
                .iter()
                .map(|l| format!("0x{l:04x}"))
                .collect();
            let _ = write!(extra, " lang={}", langs.join(","));
        }
        if let Some(p) = &pe.pdb {
            let _ = write!(extra, " pdb={}", p.path);
        }
    }
    if let Some(elf) = &r.elf {
        if let Some(b) = &elf.build_id {
            let _ = write!(extra, " build-id={b}");
        }
    }
    let _ = writeln!(
        o,
        "{path:<50} {fmt:<9} {:<8} {:>10} {sha}{extra}{}",
        r.arch.as_deref().unwrap_or("-"),
        r.size,
        if r.warnings.is_empty() {
            String::new()
        } else {
            format!(" warnings={}", r.warnings.len())
        }
    );
}
