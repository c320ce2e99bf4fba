//! Case directory walking (`ascribe_case::load_case`): a directory built from
//! the input — files, nested directories, symbolic links (inside and outside
//! the case, dangling, looping), an `ILLUSTRATIVE` marker, ascribe's own
//! reports — gives Ok or an error naming a path, never a panic, and every
//! listed file is a regular file inside the directory.
//!
//! Input: `case.toml` text up to the first 0x00 byte, then entries of
//! `kind byte, name length byte, name bytes, content length byte, content`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::{Component, Path};

fn safe_rel(name: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(name).ok()?;
    if s.is_empty() || s.contains('\0') {
        return None;
    }
    let p = Path::new(s);
    if p.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(s.to_string())
}

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (toml, mut rest) = data.split_at(split);
    rest = rest.get(1..).unwrap_or(&[]);
    let Ok(dir) = tempfile::tempdir() else { return };
    let root = dir.path();
    let _ = std::fs::write(root.join("case.toml"), toml);
    let mut made = 0;
    while rest.len() >= 3 && made < 32 {
        let kind = rest[0];
        let nlen = rest[1] as usize;
        let Some(name) = rest.get(2..2 + nlen) else { break };
        let after = &rest[2 + nlen..];
        let clen = after.first().copied().unwrap_or(0) as usize;
        let content = after.get(1..1 + clen).unwrap_or(&[]);
        rest = after.get(1 + clen..).unwrap_or(&[]);
        let Some(rel) = safe_rel(name) else { continue };
        let path = root.join(&rel);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = match kind % 6 {
            0 => std::fs::write(&path, content),
            1 => std::fs::create_dir_all(&path),
            2 => std::fs::write(path.with_file_name("ILLUSTRATIVE"), b""),
            // a link to something inside the case (possibly a loop)
            3 => std::os::unix::fs::symlink(root, &path),
            // a link out of the case
            4 => std::os::unix::fs::symlink("/etc/hostname", &path),
            // a dangling link
            _ => std::os::unix::fs::symlink(root.join("does-not-exist"), &path),
        };
        made += 1;
    }
    if let Ok(case) = ascribe_case::load_case(root) {
        for f in case.files.iter().chain(&case.illustrative_files) {
            let p = root.join(f);
            let m = std::fs::symlink_metadata(&p).expect("a listed file exists");
            assert!(m.is_file(), "{f} is listed but is not a regular file");
            assert!(
                Path::new(f).components().all(|c| matches!(c, Component::Normal(_))),
                "{f} is not a path inside the case"
            );
        }
    }
});
