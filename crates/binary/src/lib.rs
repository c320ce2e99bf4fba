//! # ascribe-binary
//!
//! Binary evidence for the ascribe attribution engine. This crate parses PE,
//! ELF and Mach-O files into plain, serialisable artifacts ([`FileReport`]).
//! Nothing is ever executed: every value is read from the bytes.
//!
//! Hostile input is the normal case. Every parser here is bounded in the
//! amount of data it reads, the number of entries it walks and the depth of
//! any tree (the PE resource tree can loop); problems become entries in
//! [`FileReport::warnings`] and the report keeps whatever was parsed before
//! the problem. No input makes the parsers panic (property tests and fuzz
//! targets check this).
//!
//! Values that have a well known reference implementation follow it
//! exactly, so that they can be compared across tools:
//!
//! * `imphash`, Rich header values and hash, resource language IDs, PDB
//!   GUID string and overlay size follow `pefile` 2024.8.26;
//! * `tlsh` equals py-tlsh's `tlsh.hash()` (`T1…`), `ssdeep` equals
//!   libfuzzy's `ssdeep.hash()`.
//!
//! ```
//! use ascribe_binary::{inspect_bytes, InspectOptions, fixture};
//! let exe = fixture::FixtureSpec::default().build();
//! let report = inspect_bytes(&exe, &InspectOptions::default());
//! let pe = report.pe.as_ref().unwrap();
//! assert_eq!(pe.resource_langids, vec![0x412]);
//! ```

#![forbid(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

pub mod authenticode;
pub mod elf;
pub mod evidence_hints;
pub mod fixture;
pub mod hashes;
pub mod macho;
mod ordinals;
pub mod pe;
pub mod rich;
pub mod ssdeep;
pub mod strings;

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub use elf::ElfInfo;
pub use hashes::ContentHashes;
pub use macho::MachoInfo;
pub use pe::PeInfo;
pub use strings::NotableString;

/// Default upper bound on the size of a file that is inspected (512 MiB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 512 * 1024 * 1024;

/// What [`inspect_bytes`] and [`inspect_path`] compute.
///
/// The default computes everything. [`InspectOptions::structural`] switches
/// off every pass that reads the whole file (content hashes, section
/// entropy, string scan) and keeps only header and directory parsing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectOptions {
    /// Compute md5, sha1, sha256, TLSH and ssdeep of the whole file.
    pub content_hashes: bool,
    /// Compute the Shannon entropy of each section.
    pub section_entropy: bool,
    /// Scan for notable strings (URLs, IPs, e-mails, paths, mutex names).
    pub strings: bool,
    /// At most this many notable strings are kept per file.
    pub max_strings: usize,
    /// Files larger than this are refused by [`inspect_path`] and get only
    /// a warning (no parsing) from [`inspect_bytes`].
    pub max_file_size: u64,
}

impl Default for InspectOptions {
    fn default() -> Self {
        InspectOptions {
            content_hashes: true,
            section_entropy: true,
            strings: true,
            max_strings: 256,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

impl InspectOptions {
    /// Structural-only mode: headers and directories, no whole-file passes.
    pub fn structural() -> Self {
        InspectOptions {
            content_hashes: false,
            section_entropy: false,
            strings: false,
            ..Self::default()
        }
    }
}

/// The container format recognised from the magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Portable Executable (PE32 or PE32+).
    Pe,
    /// ELF, 32 or 64 bit, either endianness.
    Elf,
    /// A thin Mach-O image.
    Macho,
    /// A universal ("fat") Mach-O with several slices.
    MachoFat,
    /// None of the above (or too damaged to tell).
    Unknown,
}

/// Everything learnt about one file. Serialises to one JSON object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    /// Path of the file, when it was read from disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Size in bytes.
    pub size: u64,
    /// Container format.
    pub format: Format,
    /// Architecture name (`x86`, `x86_64`, `arm64`, …), when known. For a
    /// fat Mach-O, the slices' architectures joined with `+`.
    pub arch: Option<String>,
    /// Content hashes; `None` when switched off.
    pub hashes: Option<ContentHashes>,
    /// PE details, for PE files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pe: Option<PeInfo>,
    /// ELF details, for ELF files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elf: Option<ElfInfo>,
    /// Mach-O details, for Mach-O files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub macho: Option<MachoInfo>,
    /// Notable strings (bounded by [`InspectOptions::max_strings`]).
    pub strings: Vec<NotableString>,
    /// Problems met while parsing. A non-empty list means the report may be
    /// partial.
    pub warnings: Vec<String>,
}

/// Why a file could not be inspected at all.
#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    /// The file could not be opened, stat'ed or mapped.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The path is not a regular file.
    #[error("{path} is not a regular file (a FIFO, device or socket is never read)")]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// The file is larger than [`InspectOptions::max_file_size`].
    #[error("{path} is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
}

/// Inspect a file on disk. The file is memory-mapped, never copied whole.
///
/// Errors only when the file cannot be read at all; parsing problems are
/// reported in [`FileReport::warnings`].
pub fn inspect_path(path: &Path, opts: &InspectOptions) -> Result<FileReport, InspectError> {
    let io = |source| InspectError::Io {
        path: path.to_path_buf(),
        source,
    };
    // the type is checked before opening: opening a FIFO blocks until a
    // writer comes, and a device never ends
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(InspectError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(InspectError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let size = meta.len();
    if size > opts.max_file_size {
        return Err(InspectError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: opts.max_file_size,
        });
    }
    let mut report = if size == 0 {
        inspect_bytes(&[], opts)
    } else {
        // SAFETY: the map is read-only and private to this call. Another
        // process truncating the file while we read it could raise SIGBUS;
        // that is the accepted trade-off of mapping instead of copying.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        inspect_bytes(&map, opts)
    };
    report.path = Some(path.display().to_string());
    Ok(report)
}

/// Inspect bytes already in memory. Never fails and never panics: problems
/// are listed in [`FileReport::warnings`].
pub fn inspect_bytes(data: &[u8], opts: &InspectOptions) -> FileReport {
    let mut report = FileReport {
        path: None,
        size: data.len() as u64,
        format: Format::Unknown,
        arch: None,
        hashes: None,
        pe: None,
        elf: None,
        macho: None,
        strings: Vec::new(),
        warnings: Vec::new(),
    };
    if data.len() as u64 > opts.max_file_size {
        report.warnings.push(format!(
            "file is {} bytes, over the limit of {} bytes: not parsed",
            data.len(),
            opts.max_file_size
        ));
        return report;
    }
    if opts.content_hashes {
        report.hashes = Some(hashes::ContentHashes::compute(data));
    }
    match sniff(data) {
        Format::Pe => {
            report.format = Format::Pe;
            match pe::parse(data, opts, &mut report.warnings) {
                Ok(info) => {
                    report.arch = Some(pe::machine_name(info.machine).to_string());
                    report.pe = Some(info);
                }
                Err(e) => report.warnings.push(format!("PE: {e}")),
            }
        }
        Format::Elf => {
            report.format = Format::Elf;
            match elf::parse(data, opts, &mut report.warnings) {
                Ok(info) => {
                    report.arch = Some(info.machine.clone());
                    report.elf = Some(info);
                }
                Err(e) => report.warnings.push(format!("ELF: {e}")),
            }
        }
        f @ (Format::Macho | Format::MachoFat) => {
            report.format = f;
            match macho::parse(data, &mut report.warnings) {
                Ok(info) => {
                    let archs: Vec<&str> = info.slices.iter().map(|s| s.arch.as_str()).collect();
                    if !archs.is_empty() {
                        report.arch = Some(archs.join("+"));
                    }
                    report.macho = Some(info);
                }
                Err(e) => report.warnings.push(format!("Mach-O: {e}")),
            }
        }
        Format::Unknown => report
            .warnings
            .push("unrecognised format (not PE, ELF or Mach-O)".to_string()),
    }
    if opts.strings {
        report.strings = strings::scan(data, opts.max_strings);
    }
    report
}

/// Recognise the container format from the magic bytes.
pub fn sniff(data: &[u8]) -> Format {
    if data.len() >= 0x40 && &data[..2] == b"MZ" {
        let lfanew = u32::from_le_bytes([data[0x3c], data[0x3d], data[0x3e], data[0x3f]]) as usize;
        if data
            .get(lfanew..lfanew.saturating_add(4))
            .is_some_and(|s| s == b"PE\0\0")
        {
            return Format::Pe;
        }
        return Format::Unknown;
    }
    if data.len() >= 4 {
        let m = [data[0], data[1], data[2], data[3]];
        if m == *b"\x7fELF" {
            return Format::Elf;
        }
        let be = u32::from_be_bytes(m);
        let le = u32::from_le_bytes(m);
        const MH: [u32; 2] = [0xfeed_face, 0xfeed_facf];
        if MH.contains(&be) || MH.contains(&le) {
            return Format::Macho;
        }
        // FAT_MAGIC / FAT_MAGIC_64 are big-endian. 0xcafebabe is also the
        // Java class magic: a fat header has a small arch count, a class file
        // has a version number there (>= 45).
        if be == 0xcafe_babe || be == 0xcafe_babf {
            if let Some(n) = data.get(4..8) {
                let n = u32::from_be_bytes([n[0], n[1], n[2], n[3]]);
                if (1..=30).contains(&n) {
                    return Format::MachoFat;
                }
            }
        }
    }
    Format::Unknown
}

/// Every regular file under the given paths, recursively, in a stable
/// (sorted per directory) order. Named paths that are not directories are
/// yielded as they are, FIFOs and devices included, so that the caller
/// reports them ([`inspect_path`] refuses them without opening); named
/// paths that do not exist are skipped. Symbolic links to directories
/// are followed only when named (no loops); unreadable directories are
/// skipped silently.
pub fn walk_inputs<I, P>(paths: I) -> impl Iterator<Item = PathBuf>
where
    I: IntoIterator<Item = P>,
    P: AsRef<Path>,
{
    let mut stack: Vec<(PathBuf, bool)> = paths
        .into_iter()
        .map(|p| (p.as_ref().to_path_buf(), true))
        .collect();
    stack.reverse();
    std::iter::from_fn(move || {
        while let Some((p, given)) = stack.pop() {
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            let ft = meta.file_type();
            if given && !ft.is_dir() && !std::fs::metadata(&p).is_ok_and(|m| m.is_dir()) {
                // a named file (FIFO and device included) gets its own
                // result, an error when it is not a regular file
                return Some(p);
            }
            if ft.is_dir() {
                if let Ok(rd) = std::fs::read_dir(&p) {
                    let mut children: Vec<PathBuf> =
                        rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                    children.sort();
                    children.reverse();
                    stack.extend(children.into_iter().map(|c| (c, false)));
                }
            } else if ft.is_symlink() && given {
                // a named symbolic link to a directory
                if let Ok(rd) = std::fs::read_dir(&p) {
                    let mut children: Vec<PathBuf> =
                        rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                    children.sort();
                    children.reverse();
                    stack.extend(children.into_iter().map(|c| (c, false)));
                }
            } else if ft.is_file()
                || (ft.is_symlink() && std::fs::metadata(&p).is_ok_and(|m| m.is_file()))
            {
                return Some(p);
            }
        }
        None
    })
}

/// Inspect many files in parallel (rayon's global pool). Every path gets
/// one result, in input order; a failing file does not stop the batch.
#[cfg(feature = "parallel")]
pub fn inspect_batch(
    paths: &[PathBuf],
    opts: &InspectOptions,
) -> Vec<(PathBuf, Result<FileReport, InspectError>)> {
    use rayon::prelude::*;
    paths
        .par_iter()
        .map(|p| (p.clone(), inspect_path(p, opts)))
        .collect()
}

/// Sequential fallback of the batch helper (feature `parallel` off).
#[cfg(not(feature = "parallel"))]
pub fn inspect_batch(
    paths: &[PathBuf],
    opts: &InspectOptions,
) -> Vec<(PathBuf, Result<FileReport, InspectError>)> {
    paths
        .iter()
        .map(|p| (p.clone(), inspect_path(p, opts)))
        .collect()
}

/// Little helpers for bounded little-endian reads.
pub(crate) mod rd {
    #[inline]
    pub fn u16le(d: &[u8], off: usize) -> Option<u16> {
        let b = d.get(off..off.checked_add(2)?)?;
        Some(u16::from_le_bytes([b[0], b[1]]))
    }
    #[inline]
    pub fn u32le(d: &[u8], off: usize) -> Option<u32> {
        let b = d.get(off..off.checked_add(4)?)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    #[inline]
    pub fn u64le(d: &[u8], off: usize) -> Option<u64> {
        let b = d.get(off..off.checked_add(8)?)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Some(u64::from_le_bytes(a))
    }
    /// NUL-terminated string starting at `off`, at most `max` bytes.
    pub fn cstr(d: &[u8], off: usize, max: usize) -> Option<&[u8]> {
        let s = d.get(off..)?;
        let s = &s[..s.len().min(max)];
        Some(match s.iter().position(|&b| b == 0) {
            Some(n) => &s[..n],
            None => s,
        })
    }
}
