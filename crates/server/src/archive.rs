//! Safe reading of uploaded archives (zip, tar, tar.gz) of a case
//! directory, and the one rule for evidence paths.
//!
//! Nothing is written to disk here: entries are read into memory under
//! limits (entry count, each entry's size, the total, and the ratio of
//! the total to the archive's size, counted on the bytes actually
//! decompressed, never on the sizes an archive declares). Links, devices,
//! absolute paths and `..` are refused, naming the entry.

use std::io::Read;

/// Limits of one archive.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_entries: usize,
    pub max_file: u64,
    pub max_total: u64,
    /// Largest total / archive size ratio accepted once the total passes `ratio_floor`.
    pub max_ratio: u64,
    pub ratio_floor: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 10_000,
            max_file: 256 << 20,
            max_total: 512 << 20,
            max_ratio: 200,
            ratio_floor: 8 << 20,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ArchiveError {
    #[error("entry '{0}': {1}")]
    Entry(String, String),
    #[error("{0}")]
    Limit(String),
    #[error("not a readable archive: {0}")]
    Format(String),
}

/// The archive kinds recognised from their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Zip,
    Tar,
    TarGz,
}

pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Some(Kind::Zip)
    } else if bytes.starts_with(&[0x1f, 0x8b]) {
        Some(Kind::TarGz)
    } else if bytes.len() > 262 && &bytes[257..262] == b"ustar" {
        Some(Kind::Tar)
    } else {
        None
    }
}

/// Check an evidence path (relative, `/`-separated) and return its
/// normal form. Refuses absolute paths, drive letters, `..`, empty or
/// `.` components, backslashes, control characters, and over-long paths.
pub fn clean_path(p: &str) -> Result<String, String> {
    if p.is_empty() {
        return Err("empty path".into());
    }
    if p.len() > 512 {
        return Err("path longer than 512 bytes".into());
    }
    if p.chars().any(|c| c.is_control()) {
        return Err("control character in path".into());
    }
    if p.contains('\\') {
        return Err("backslash in path (use '/')".into());
    }
    if p.starts_with('/') || (p.len() >= 2 && p.as_bytes()[1] == b':') {
        return Err("absolute path".into());
    }
    let mut parts = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => continue,
            ".." => return Err("'..' in path (path traversal)".into()),
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        return Err("empty path".into());
    }
    if parts.len() > 32 {
        return Err("more than 32 directory levels".into());
    }
    Ok(parts.join("/"))
}

struct Budget {
    limits: Limits,
    archive_len: u64,
    total: u64,
    entries: usize,
}

impl Budget {
    fn entry(&mut self) -> Result<(), ArchiveError> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(ArchiveError::Limit(format!(
                "more than {} entries",
                self.limits.max_entries
            )));
        }
        Ok(())
    }

    /// Read one entry, counting the bytes really produced.
    fn read(&mut self, name: &str, r: &mut dyn Read) -> Result<Vec<u8>, ArchiveError> {
        let cap = self
            .limits
            .max_file
            .min(self.limits.max_total.saturating_sub(self.total));
        let mut buf = Vec::new();
        let n =
            r.take(cap + 1).read_to_end(&mut buf).map_err(|e| {
                ArchiveError::Entry(name.to_string(), format!("cannot be read: {e}"))
            })? as u64;
        if n > cap {
            return Err(ArchiveError::Limit(if cap == self.limits.max_file {
                format!(
                    "entry '{name}' is larger than {} MiB",
                    self.limits.max_file >> 20
                )
            } else {
                format!(
                    "the archive expands to more than {} MiB",
                    self.limits.max_total >> 20
                )
            }));
        }
        self.total += n;
        if self.total > self.limits.ratio_floor
            && self.total > self.archive_len.max(1) * self.limits.max_ratio
        {
            return Err(ArchiveError::Limit(format!(
                "decompression bomb: the archive expands more than {}-fold",
                self.limits.max_ratio
            )));
        }
        Ok(buf)
    }
}

/// Read every regular file of an archive: `(clean path, bytes)`, in
/// archive order. Directories are skipped; anything else that is not a
/// regular file (links, devices, FIFOs) refuses the whole archive.
pub fn read_archive(bytes: &[u8], limits: Limits) -> Result<Vec<(String, Vec<u8>)>, ArchiveError> {
    let mut budget = Budget {
        limits,
        archive_len: bytes.len() as u64,
        total: 0,
        entries: 0,
    };
    let out = match sniff(bytes) {
        Some(Kind::Zip) => read_zip(bytes, &mut budget)?,
        Some(Kind::Tar) => read_tar(bytes, &mut budget)?,
        Some(Kind::TarGz) => read_tar(flate2::read::GzDecoder::new(bytes), &mut budget)?,
        None => {
            return Err(ArchiveError::Format(
                "expected a zip, tar or tar.gz archive".into(),
            ))
        }
    };
    let mut seen = std::collections::BTreeSet::new();
    for (p, _) in &out {
        if !seen.insert(p.as_str()) {
            return Err(ArchiveError::Entry(p.clone(), "appears twice".into()));
        }
    }
    Ok(out)
}

fn read_zip(bytes: &[u8], budget: &mut Budget) -> Result<Vec<(String, Vec<u8>)>, ArchiveError> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ArchiveError::Format(e.to_string()))?;
    if z.len() > budget.limits.max_entries {
        return Err(ArchiveError::Limit(format!(
            "more than {} entries",
            budget.limits.max_entries
        )));
    }
    let mut out = Vec::new();
    for i in 0..z.len() {
        budget.entry()?;
        let mut f = z
            .by_index(i)
            .map_err(|e| ArchiveError::Format(e.to_string()))?;
        let raw = f.name().to_string();
        if f.is_dir() {
            clean_path(raw.trim_end_matches('/'))
                .map_err(|m| ArchiveError::Entry(raw.clone(), m))?;
            continue;
        }
        if f.is_symlink() {
            return Err(ArchiveError::Entry(
                raw,
                "symbolic links are refused".into(),
            ));
        }
        if let Some(mode) = f.unix_mode() {
            let kind = mode & 0o170000;
            if kind != 0 && kind != 0o100000 {
                return Err(ArchiveError::Entry(raw, "not a regular file".into()));
            }
        }
        let path = clean_path(&raw).map_err(|m| ArchiveError::Entry(raw.clone(), m))?;
        let data = budget.read(&path, &mut f)?;
        out.push((path, data));
    }
    Ok(out)
}

fn read_tar<R: Read>(r: R, budget: &mut Budget) -> Result<Vec<(String, Vec<u8>)>, ArchiveError> {
    let mut a = tar::Archive::new(r);
    let mut out = Vec::new();
    let entries = a
        .entries()
        .map_err(|e| ArchiveError::Format(e.to_string()))?;
    for e in entries {
        budget.entry()?;
        let mut e = e.map_err(|e| ArchiveError::Format(e.to_string()))?;
        let raw = String::from_utf8_lossy(&e.path_bytes()).into_owned();
        use tar::EntryType as T;
        match e.header().entry_type() {
            T::Directory => {
                clean_path(raw.trim_end_matches('/'))
                    .map_err(|m| ArchiveError::Entry(raw.clone(), m))?;
                continue;
            }
            T::Regular | T::Continuous => {}
            T::Symlink => {
                return Err(ArchiveError::Entry(
                    raw,
                    "symbolic links are refused".into(),
                ))
            }
            T::Link => return Err(ArchiveError::Entry(raw, "hard links are refused".into())),
            other => {
                return Err(ArchiveError::Entry(
                    raw,
                    format!("not a regular file ({other:?})"),
                ))
            }
        }
        let path = clean_path(&raw).map_err(|m| ArchiveError::Entry(raw.clone(), m))?;
        let data = budget.read(&path, &mut e)?;
        out.push((path, data));
    }
    Ok(out)
}

/// When every path starts with the same directory and `case.toml` is
/// directly in it, strip that directory (an archive of `sony-2014/`).
pub fn strip_common_root(files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    if files.iter().any(|(p, _)| p == "case.toml") {
        return files;
    }
    let root = match files.first().and_then(|(p, _)| p.split_once('/')) {
        Some((r, _)) => r.to_string(),
        None => return files,
    };
    let prefix = format!("{root}/");
    let all = files.iter().all(|(p, _)| p.starts_with(&prefix));
    let has_case = files
        .iter()
        .any(|(p, _)| *p == format!("{prefix}case.toml"));
    if !all || !has_case {
        return files;
    }
    files
        .into_iter()
        .map(|(p, b)| (p[prefix.len()..].to_string(), b))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(clean_path("a/./b").unwrap(), "a/b");
        assert!(clean_path("../etc/passwd").is_err());
        assert!(clean_path("a/../../b").is_err());
        assert!(clean_path("/etc/passwd").is_err());
        assert!(clean_path("C:/x").is_err());
        assert!(clean_path("a\\..\\b").is_err());
        assert!(clean_path("a\0b").is_err());
        assert!(clean_path("").is_err());
    }
}
