//! PE (Portable Executable) artifacts.
//!
//! The DOS, file and optional headers, data directories and section table
//! are read with the `object` crate. Directory contents (imports, exports,
//! resources, debug, version info) are walked here, with pefile's rules for
//! turning an RVA into a file offset, because `object` resolves RVAs more
//! strictly than pefile and the values must agree with pefile byte for byte
//! (imphash, overlay size, resource languages). Every walk is bounded.

use crate::rd::{cstr, u16le, u32le, u64le};
use crate::rich::{self, RichHeader, RichLinker};
use crate::{authenticode, hashes, InspectOptions};
use object::pe as ope;
use object::read::pe::{ImageNtHeaders, ImageOptionalHeader};
use object::LittleEndian as LE;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// pefile's MAX_IMPORT_SYMBOLS: thunks read over all import tables.
const MAX_IMPORT_SYMBOLS: u32 = 0x2000;
const MAX_IMPORT_NAME_LENGTH: usize = 0x200;
const MAX_DLL_LENGTH: usize = 0x200;
const MAX_SYMBOL_NAME_LENGTH: usize = 0x200;
const MAX_SYMBOL_EXPORT_COUNT: usize = 0x2000;
const MAX_REPEATED_SYMBOL: u32 = 120;
const MAX_RESOURCE_DEPTH: u32 = 32;
const MAX_RESOURCE_ENTRIES: u32 = 0x8000;
const MAX_SECTIONS: usize = 0x800;
/// Export names kept in the report (the count is always exact).
const MAX_EXPORT_NAMES: usize = 4096;
/// Import descriptors walked at most (hostile files may chain thousands).
const MAX_IMPORT_DESCRIPTORS: usize = 4096;
const MAX_DEBUG_ENTRIES: usize = 64;

/// Why a PE could not be parsed at all (headers unreadable).
#[derive(Debug, thiserror::Error)]
pub enum PeError {
    /// The DOS / NT / optional headers or section table are unreadable.
    #[error("bad headers: {0}")]
    Headers(String),
}

/// One section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionInfo {
    /// Name (NUL padding stripped, bytes as Latin-1 like pefile).
    pub name: String,
    /// VirtualAddress.
    pub virtual_address: u32,
    /// VirtualSize (Misc).
    pub virtual_size: u32,
    /// PointerToRawData.
    pub raw_offset: u32,
    /// SizeOfRawData.
    pub raw_size: u32,
    /// Characteristics bits.
    pub characteristics: u32,
    /// `r`, `w`, `x` letters for readable / writable / executable, plus
    /// `c` (code), `i` (initialised data), `u` (uninitialised data).
    pub flags: String,
    /// Shannon entropy (bits per byte) of the raw data present in the file;
    /// `None` when entropy is switched off.
    pub entropy: Option<f64>,
}

/// Imports from one DLL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportDll {
    /// DLL name as written in the file (`*invalid*` when it holds
    /// characters no DOS file name has, like pefile).
    pub dll: String,
    /// Function names; imports by ordinal appear as `ord<N>` unless the
    /// ordinal is in pefile's tables (ws2_32, wsock32, oleaut32).
    pub functions: Vec<String>,
}

/// One imported function and its import address table slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSlot {
    /// Function name as [`ImportDll::functions`] gives it (`ord<N>` or a
    /// known name for imports by ordinal).
    pub name: String,
    /// The ordinal, for imports by ordinal.
    pub ordinal: Option<u16>,
    /// RVA of the function's IAT slot (the pointer the loader fills in).
    pub iat_rva: u32,
}

/// Imports from one DLL, with IAT slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportTable {
    /// DLL name as written in the file (see [`ImportDll::dll`]).
    pub dll: String,
    /// Functions in thunk order.
    pub slots: Vec<ImportSlot>,
}

impl ImportTable {
    fn into_dll(self) -> ImportDll {
        ImportDll {
            dll: self.dll,
            functions: self.slots.into_iter().map(|s| s.name).collect(),
        }
    }
}

/// What [`import_tables`] reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeImports {
    /// Optional header magic is PE32+.
    pub pe32plus: bool,
    /// ImageBase.
    pub image_base: u64,
    /// The import data directory is non-zero (the file has an import table).
    pub has_import_directory: bool,
    /// Regular imports.
    pub imports: Vec<ImportTable>,
    /// Delay-load imports (slots in the delay IAT).
    pub delay_imports: Vec<ImportTable>,
    /// Export names, as [`PeInfo::exports`] reads them (first 4096).
    pub exports: Vec<String>,
}

/// CodeView debug record (the PDB the image was linked with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdbInfo {
    /// `RSDS` (PDB 7.0) or `NB10` (PDB 2.0).
    pub format: String,
    /// PDB path as stored (trailing NULs stripped, invalid UTF-8 replaced).
    pub path: String,
    /// GUID, upper-case hex without dashes, followed by the age in hex:
    /// pefile's `Signature_String`. `None` for NB10.
    pub guid: Option<String>,
    /// Age.
    pub age: u32,
}

/// A resource type: numeric id or name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ResourceType {
    /// Numeric id (16 = RT_VERSION, 24 = RT_MANIFEST, 10 = RT_RCDATA, …).
    Id(u32),
    /// Named type.
    Name(String),
}

/// Authenticode (WIN_CERTIFICATE) summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticodeInfo {
    /// Size of the security directory.
    pub size: u32,
    /// Subject of the signing certificate (`CN=…, O=…, C=…`), when found.
    pub signer: Option<String>,
    /// Issuer of the signing certificate.
    pub issuer: Option<String>,
    /// Serial number of the signing certificate, hex.
    pub serial: Option<String>,
    /// Subjects of all certificates in the blob (bounded).
    pub certificates: Vec<String>,
    /// Algorithm of the file digest the signature covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_algorithm: Option<authenticode::DigestAlgorithm>,
    /// Whether that digest is this file's Authenticode digest. `false`:
    /// the signature was made for another file (transplanted, as SigThief
    /// does) or the file changed after signing. `None`: not checked (no
    /// digest found, or the certificate table is not where the header says).
    /// The signature's cryptography and certificate chain are not verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_matches: Option<bool>,
}

/// Linker version in the optional header versus the linker the Rich
/// header names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkerConsistency {
    /// `major.minor` from the optional header.
    pub optional_header: String,
    /// Linker entry of the Rich header, when present.
    pub rich_linker: Option<RichLinker>,
    /// `Some(false)` when the Rich header's linker implies another version
    /// than the optional header (a forgery or post-link edit signal);
    /// `None` when there is nothing to compare.
    pub consistent: Option<bool>,
}

/// Everything read from a PE file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeInfo {
    /// IMAGE_FILE_HEADER.Machine.
    pub machine: u16,
    /// Optional header magic is PE32+ (0x20b).
    pub pe32plus: bool,
    /// IMAGE_FILE_DLL set.
    pub is_dll: bool,
    /// IMAGE_FILE_HEADER.TimeDateStamp (seconds since 1970, UTC, as the
    /// linker wrote it; reproducible builds put a hash here).
    pub timedatestamp: u32,
    /// `MajorLinkerVersion.MinorLinkerVersion`.
    pub linker_version: String,
    /// Optional header subsystem.
    pub subsystem: u16,
    /// ImageBase.
    pub image_base: u64,
    /// AddressOfEntryPoint.
    pub entry_point: u32,
    /// Sections in file order.
    pub sections: Vec<SectionInfo>,
    /// Regular imports.
    pub imports: Vec<ImportDll>,
    /// pefile-compatible imphash; `None` when there are no imports.
    pub imphash: Option<String>,
    /// Delay-load imports.
    pub delay_imports: Vec<ImportDll>,
    /// Number of exported symbols (pefile's `len(symbols)`).
    pub export_count: u32,
    /// Export names (first 4096).
    pub exports: Vec<String>,
    /// Name the export directory gives the DLL.
    pub export_dll_name: Option<String>,
    /// Rich header.
    pub rich: Option<RichHeader>,
    /// Optional-header linker versus Rich linker.
    pub linker: LinkerConsistency,
    /// Resource type ids / names at the root of the resource tree.
    pub resource_types: Vec<ResourceType>,
    /// Resource language IDs (`lang | sublang << 10`) over all leaves,
    /// sorted and unique.
    pub resource_langids: Vec<u32>,
    /// Number of resource leaves.
    pub resource_count: u32,
    /// VERSIONINFO strings (all keys of all string tables; later tables win).
    pub version_info: BTreeMap<String, String>,
    /// IMAGE_DEBUG_TYPE values present, sorted and unique.
    pub debug_types: Vec<u32>,
    /// First CodeView record.
    pub pdb: Option<PdbInfo>,
    /// Bytes after the end of the image as pefile computes it.
    pub overlay_size: u64,
    /// Authenticode signature, when the security directory is non-empty.
    pub authenticode: Option<AuthenticodeInfo>,
}

/// A short name for a COFF machine value.
pub fn machine_name(m: u16) -> &'static str {
    match m {
        0x014c => "x86",
        0x8664 => "x86_64",
        0xaa64 => "arm64",
        0x01c0 | 0x01c4 => "arm",
        0x0200 => "ia64",
        0x0000 => "unknown",
        _ => "other",
    }
}

#[derive(Debug, Clone)]
struct Sec {
    va: u32,
    vsize: u32,
    ptr: u32,
    raw: u32,
    next_va: Option<u32>,
}

/// The image with pefile's RVA-to-offset rules.
struct Img<'a> {
    data: &'a [u8],
    /// Sections sorted by VirtualAddress (as pefile sorts them).
    secs: Vec<Sec>,
    fa: u32,
    sa: u32,
    size_of_headers: usize,
}

impl<'a> Img<'a> {
    fn adjust_fa(&self, v: u32) -> u32 {
        if self.fa < 0x200 {
            v
        } else {
            v / 0x200 * 0x200
        }
    }
    fn adjust_sa(&self, v: u32) -> u32 {
        let sa = if self.sa < 0x1000 { self.fa } else { self.sa };
        if sa != 0 && v % sa != 0 {
            sa * (v / sa)
        } else {
            v
        }
    }
    fn contains(&self, s: &Sec, rva: u32) -> bool {
        let ptr_adj = self.adjust_fa(s.ptr) as u64;
        let mut size: u64 = if (self.data.len() as u64).saturating_sub(ptr_adj) < s.raw as u64
            || ptr_adj > self.data.len() as u64
        {
            s.vsize as u64
        } else {
            s.raw.max(s.vsize) as u64
        };
        let va_adj = self.adjust_sa(s.va) as u64;
        if let Some(n) = s.next_va {
            if n > s.va && va_adj + size > n as u64 {
                size = (n as u64).saturating_sub(va_adj);
            }
        }
        va_adj <= rva as u64 && (rva as u64) < va_adj + size
    }
    fn section(&self, rva: u32) -> Option<&Sec> {
        self.secs.iter().find(|s| self.contains(s, rva))
    }
    /// pefile `get_offset_from_rva`.
    fn offset(&self, rva: u32) -> Option<usize> {
        match self.section(rva) {
            Some(s) => {
                let o = rva as i64 - self.adjust_sa(s.va) as i64 + self.adjust_fa(s.ptr) as i64;
                usize::try_from(o).ok()
            }
            None if (rva as usize) < self.data.len() => Some(rva as usize),
            None => None,
        }
    }
    /// pefile `get_data(rva, len)`: may be shorter than `len` (clipped to
    /// the section's raw data); `None` where pefile raises.
    fn get(&self, rva: u32, len: usize) -> Option<&'a [u8]> {
        match self.section(rva) {
            Some(s) => {
                let off = rva as i64 - self.adjust_sa(s.va) as i64 + self.adjust_fa(s.ptr) as i64;
                let mut end = off.saturating_add(len as i64);
                let lim = s.ptr as i64 + s.raw as i64;
                if end > lim {
                    end = lim;
                }
                Some(slice(self.data, off, end))
            }
            None => {
                let r = rva as usize;
                if r < self.size_of_headers.min(self.data.len()) {
                    let end = r.saturating_add(len).min(self.size_of_headers);
                    Some(slice(self.data, r as i64, end as i64))
                } else if r < self.data.len() {
                    Some(slice(self.data, r as i64, r.saturating_add(len) as i64))
                } else {
                    None
                }
            }
        }
    }
    /// pefile `get_string_at_rva`.
    fn string(&self, rva: u32, max: usize) -> &'a [u8] {
        let d = match self.section(rva) {
            Some(_) => self.get(rva, max).unwrap_or(&[]),
            None => slice(
                self.data,
                rva as i64,
                (rva as usize).saturating_add(max) as i64,
            ),
        };
        cstr(d, 0, max).unwrap_or(&[])
    }
}

fn slice(d: &[u8], start: i64, end: i64) -> &[u8] {
    let len = d.len() as i64;
    let s = start.clamp(0, len) as usize;
    let e = end.clamp(0, len) as usize;
    if s >= e {
        &[]
    } else {
        &d[s..e]
    }
}

fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

fn is_valid_dos_filename(s: &[u8]) -> bool {
    s.iter()
        .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'()-@^_`{}~+,.;=[]:\\/".contains(c))
}

fn is_valid_function_name(s: &[u8], relaxed: bool) -> bool {
    let extra: &[u8] = if relaxed {
        b"!\"#$%&'()*+,-./:<>?[\\]^_`{|}~@"
    } else {
        b"._?@$()<>"
    };
    s.iter()
        .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
}

/// Parse a PE file. `warnings` receives notes on damaged parts.
pub fn parse(
    data: &[u8],
    opts: &InspectOptions,
    warnings: &mut Vec<String>,
) -> Result<PeInfo, PeError> {
    let dos = ope::ImageDosHeader::parse(data).map_err(|e| PeError::Headers(e.to_string()))?;
    let nt_off = dos.nt_headers_offset() as u64;
    let magic = u16le(data, nt_off as usize + 24)
        .ok_or_else(|| PeError::Headers("truncated NT headers".into()))?;
    if magic == ope::IMAGE_NT_OPTIONAL_HDR64_MAGIC {
        parse_nt::<ope::ImageNtHeaders64>(data, nt_off, opts, warnings)
    } else {
        parse_nt::<ope::ImageNtHeaders32>(data, nt_off, opts, warnings)
    }
}

/// The import tables of a PE file with the RVA of each function's import
/// address table slot, read with the same rules as [`parse`] (pefile's).
/// This is what the code index uses for its import set, for naming calls
/// through the IAT and for its export-name set; it skips everything else
/// [`parse`] reads.
pub fn import_tables(data: &[u8], warnings: &mut Vec<String>) -> Result<PeImports, PeError> {
    let dos = ope::ImageDosHeader::parse(data).map_err(|e| PeError::Headers(e.to_string()))?;
    let nt_off = dos.nt_headers_offset() as u64;
    let magic = u16le(data, nt_off as usize + 24)
        .ok_or_else(|| PeError::Headers("truncated NT headers".into()))?;
    if magic == ope::IMAGE_NT_OPTIONAL_HDR64_MAGIC {
        import_tables_nt::<ope::ImageNtHeaders64>(data, nt_off, warnings)
    } else {
        import_tables_nt::<ope::ImageNtHeaders32>(data, nt_off, warnings)
    }
}

fn import_tables_nt<Pe: ImageNtHeaders>(
    data: &[u8],
    nt_off: u64,
    warnings: &mut Vec<String>,
) -> Result<PeImports, PeError> {
    let mut off = nt_off;
    let (nt, dirs) = Pe::parse(data, &mut off).map_err(|e| PeError::Headers(e.to_string()))?;
    let oh = nt.optional_header();
    let sections = section_table(data, nt_off, nt, warnings);
    let img = image(data, &sections, oh, warnings);
    let dir = |i: usize| -> u32 { dirs.get(i).map(|d| d.virtual_address.get(LE)).unwrap_or(0) };
    let is64 = nt.is_type_64();
    let mut budget = 0u32;
    let imp_rva = dir(ope::IMAGE_DIRECTORY_ENTRY_IMPORT);
    let imports = if imp_rva != 0 {
        parse_imports(&img, imp_rva, is64, &mut budget, warnings)
    } else {
        Vec::new()
    };
    let dimp_rva = dir(ope::IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT);
    let delay_imports = if dimp_rva != 0 {
        parse_delay_imports(&img, dimp_rva, is64, &mut budget, warnings)
    } else {
        Vec::new()
    };
    let (exp_rva, exp_size) = (
        dir(ope::IMAGE_DIRECTORY_ENTRY_EXPORT),
        dirs.get(ope::IMAGE_DIRECTORY_ENTRY_EXPORT)
            .map(|d| d.size.get(LE))
            .unwrap_or(0),
    );
    let exports = if exp_rva != 0 {
        parse_exports(&img, exp_rva, exp_size, warnings).1
    } else {
        Vec::new()
    };
    Ok(PeImports {
        pe32plus: is64,
        image_base: oh.image_base(),
        has_import_directory: imp_rva != 0,
        imports,
        delay_imports,
        exports,
    })
}

fn section_table<'a, Pe: ImageNtHeaders>(
    data: &'a [u8],
    nt_off: u64,
    nt: &Pe,
    warnings: &mut Vec<String>,
) -> object::read::pe::SectionTable<'a> {
    let opt_header_offset = nt_off as usize + 24;
    let sec_table_off =
        opt_header_offset as u64 + nt.file_header().size_of_optional_header.get(LE) as u64;
    match nt.sections(data, sec_table_off) {
        Ok(s) => s,
        Err(e) => {
            warnings.push(format!("section table: {e}"));
            object::read::pe::SectionTable::default()
        }
    }
}

/// The image with pefile's section rules (sorted by VirtualAddress, at
/// most [`MAX_SECTIONS`]).
fn image<'a, Oh: ImageOptionalHeader>(
    data: &'a [u8],
    sections: &object::read::pe::SectionTable<'_>,
    oh: &Oh,
    warnings: &mut Vec<String>,
) -> Img<'a> {
    let mut secs = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        if i >= MAX_SECTIONS {
            warnings.push(format!("more than {MAX_SECTIONS} sections: rest ignored"));
            break;
        }
        secs.push(Sec {
            va: s.virtual_address.get(LE),
            vsize: s.virtual_size.get(LE),
            ptr: s.pointer_to_raw_data.get(LE),
            raw: s.size_of_raw_data.get(LE),
            next_va: None,
        });
    }
    secs.sort_by_key(|s| s.va);
    for i in 0..secs.len() {
        secs[i].next_va = secs.get(i + 1).map(|n| n.va);
    }
    Img {
        data,
        secs,
        fa: oh.file_alignment(),
        sa: oh.section_alignment(),
        size_of_headers: oh.size_of_headers() as usize,
    }
}

fn parse_nt<Pe: ImageNtHeaders>(
    data: &[u8],
    nt_off: u64,
    opts: &InspectOptions,
    warnings: &mut Vec<String>,
) -> Result<PeInfo, PeError> {
    let mut off = nt_off;
    let (nt, dirs) = Pe::parse(data, &mut off).map_err(|e| PeError::Headers(e.to_string()))?;
    let fh = nt.file_header();
    let oh = nt.optional_header();
    let opt_header_offset = nt_off as usize + 24;
    let sections = section_table(data, nt_off, nt, warnings);
    let mut sec_infos = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        if i >= MAX_SECTIONS {
            break;
        }
        let name_raw = &s.name;
        let end = name_raw.iter().rposition(|&b| b != 0).map_or(0, |p| p + 1);
        let ch = s.characteristics.get(LE).0;
        let ptr = s.pointer_to_raw_data.get(LE);
        let raw = s.size_of_raw_data.get(LE);
        let entropy = opts
            .section_entropy
            .then(|| hashes::entropy(slice(data, ptr as i64, ptr as i64 + raw as i64)));
        let mut flags = String::new();
        for (bit, c) in [
            (ope::IMAGE_SCN_MEM_READ, 'r'),
            (ope::IMAGE_SCN_MEM_WRITE, 'w'),
            (ope::IMAGE_SCN_MEM_EXECUTE, 'x'),
            (ope::IMAGE_SCN_CNT_CODE, 'c'),
            (ope::IMAGE_SCN_CNT_INITIALIZED_DATA, 'i'),
            (ope::IMAGE_SCN_CNT_UNINITIALIZED_DATA, 'u'),
        ] {
            if ch & bit.0 != 0 {
                flags.push(c);
            }
        }
        if ptr as u64 + raw as u64 > data.len() as u64 {
            warnings.push(format!(
                "section {} raw data runs past the end of the file",
                latin1(&name_raw[..end])
            ));
        }
        sec_infos.push(SectionInfo {
            name: latin1(&name_raw[..end]),
            virtual_address: s.virtual_address.get(LE),
            virtual_size: s.virtual_size.get(LE),
            raw_offset: ptr,
            raw_size: raw,
            characteristics: ch,
            flags,
            entropy,
        });
    }
    let img = image(data, &sections, oh, warnings);
    let dir = |i: usize| -> (u32, u32) {
        dirs.get(i)
            .map(|d| (d.virtual_address.get(LE), d.size.get(LE)))
            .unwrap_or((0, 0))
    };

    let mut import_budget = 0u32;
    let (imp_rva, _) = dir(ope::IMAGE_DIRECTORY_ENTRY_IMPORT);
    let imports: Vec<ImportDll> = if imp_rva != 0 {
        parse_imports(&img, imp_rva, nt.is_type_64(), &mut import_budget, warnings)
            .into_iter()
            .map(ImportTable::into_dll)
            .collect()
    } else {
        Vec::new()
    };
    let imphash = imphash(&imports);
    let (dimp_rva, _) = dir(ope::IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT);
    let delay_imports = if dimp_rva != 0 {
        parse_delay_imports(
            &img,
            dimp_rva,
            nt.is_type_64(),
            &mut import_budget,
            warnings,
        )
        .into_iter()
        .map(ImportTable::into_dll)
        .collect()
    } else {
        Vec::new()
    };

    let (exp_rva, exp_size) = dir(ope::IMAGE_DIRECTORY_ENTRY_EXPORT);
    let (export_count, exports, export_dll_name) = if exp_rva != 0 {
        parse_exports(&img, exp_rva, exp_size, warnings)
    } else {
        (0, Vec::new(), None)
    };

    let rich = rich::parse(data, opt_header_offset, warnings);
    let linker_version = format!(
        "{}.{}",
        oh.major_linker_version(),
        oh.minor_linker_version()
    );
    let rich_linker = rich.as_ref().and_then(|r| rich::linker(&r.entries));
    let consistent = rich_linker
        .as_ref()
        .and_then(|l| l.version.as_ref())
        .map(|v| normalise_version(v) == normalise_version(&linker_version));
    let linker = LinkerConsistency {
        optional_header: linker_version.clone(),
        rich_linker,
        consistent,
    };

    let (res_rva, _) = dir(ope::IMAGE_DIRECTORY_ENTRY_RESOURCE);
    let res = if res_rva != 0 {
        walk_resources(&img, res_rva, warnings)
    } else {
        Resources::default()
    };
    let mut version_info = BTreeMap::new();
    for &(rva, size) in &res.version_blobs {
        if let Some(blob) = img.get(rva, size as usize) {
            parse_version_info(blob, &mut version_info);
        }
    }

    let (dbg_rva, dbg_size) = dir(ope::IMAGE_DIRECTORY_ENTRY_DEBUG);
    let (debug_types, pdb) = if dbg_rva != 0 {
        parse_debug(&img, dbg_rva, dbg_size, warnings)
    } else {
        (Vec::new(), None)
    };

    let overlay_size = overlay_start(
        &img,
        opt_header_offset,
        fh.size_of_optional_header.get(LE),
        &sections,
        &dirs,
    )
    .map_or(0, |s| (data.len() - s) as u64);

    let (sec_off, sec_size) = dir(ope::IMAGE_DIRECTORY_ENTRY_SECURITY);
    let authenticode = (sec_size > 0).then(|| {
        let blob = slice(data, sec_off as i64, sec_off as i64 + sec_size as i64);
        let mut a = AuthenticodeInfo {
            size: sec_size,
            signer: None,
            issuer: None,
            serial: None,
            certificates: Vec::new(),
            digest_algorithm: None,
            digest_matches: None,
        };
        match authenticode::parse_win_certificate(blob) {
            Ok(s) => {
                a.signer = s.signer_subject;
                a.issuer = s.signer_issuer;
                a.serial = s.signer_serial;
                a.certificates = s.certificate_subjects;
                if let Some((alg, want)) = s.digest {
                    a.digest_algorithm = Some(alg);
                    let dd = if nt.is_type_64() { 112 } else { 96 };
                    let ck = opt_header_offset + 64;
                    let sd = opt_header_offset + dd + 4 * 8;
                    let (so, ss) = (sec_off as usize, sec_size as usize);
                    match so.checked_add(ss) {
                        Some(end) if end <= data.len() && sd + 8 <= so && ck + 4 <= sd => {
                            let got = alg.digest(&[
                                &data[..ck],
                                &data[ck + 4..sd],
                                &data[sd + 8..so],
                                &data[end..],
                            ]);
                            a.digest_matches = Some(got == want);
                            if got != want {
                                warnings.push("Authenticode: the signed digest is not this file's: the signature was transplanted from another file or the file changed after signing".into());
                            }
                        }
                        _ => warnings.push(
                            "Authenticode: the certificate table is not where a signed file keeps it; digest not checked".into(),
                        ),
                    }
                }
            }
            Err(e) => warnings.push(format!("Authenticode: {e}")),
        }
        a
    });

    Ok(PeInfo {
        machine: fh.machine.get(LE).0,
        pe32plus: nt.is_type_64(),
        is_dll: fh.characteristics.get(LE).0 & ope::IMAGE_FILE_DLL.0 != 0,
        timedatestamp: fh.time_date_stamp.get(LE),
        linker_version,
        subsystem: oh.subsystem().0,
        image_base: oh.image_base(),
        entry_point: oh.address_of_entry_point(),
        sections: sec_infos,
        imports,
        imphash,
        delay_imports,
        export_count,
        exports,
        export_dll_name,
        rich,
        linker,
        resource_types: res.types,
        resource_langids: res.langs.into_iter().collect(),
        resource_count: res.leaves,
        version_info,
        debug_types,
        pdb,
        overlay_size,
        authenticode,
    })
}

/// `14.0` and `14.00` compare equal.
fn normalise_version(v: &str) -> (u32, u32) {
    let mut it = v.split('.');
    let a = it.next().and_then(|x| x.parse().ok()).unwrap_or(0);
    let b = it.next().and_then(|x| x.parse().ok()).unwrap_or(0);
    (a, b)
}

/// pefile `get_imphash()`; `None` when no import yields a name.
pub fn imphash(imports: &[ImportDll]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for d in imports {
        let lower = d.dll.to_lowercase();
        let lib = match lower.rsplit_once('.') {
            Some((stem, "ocx" | "sys" | "dll")) => stem.to_string(),
            _ => lower.clone(),
        };
        for f in &d.functions {
            parts.push(format!("{}.{}", lib, f.to_lowercase()));
        }
    }
    if imports.is_empty() {
        return None;
    }
    Some(hashes::md5_hex(parts.join(",").as_bytes()))
}

/// pefile ordlookup: name for an import by ordinal from ws2_32 / wsock32 /
/// oleaut32, else `ord<N>`.
pub fn ordinal_name(dll: &str, ord: u16) -> String {
    let table = match dll.to_ascii_lowercase().as_str() {
        "ws2_32.dll" => crate::ordinals::WS2_32,
        "wsock32.dll" => crate::ordinals::WSOCK32,
        "oleaut32.dll" => crate::ordinals::OLEAUT32,
        _ => return format!("ord{ord}"),
    };
    match table.binary_search_by_key(&ord, |&(o, _)| o) {
        Ok(i) => table[i].1.to_string(),
        Err(_) => format!("ord{ord}"),
    }
}

/// One thunk table (pefile `get_import_table`). `None` = broken table.
fn import_table(
    img: &Img,
    start: u32,
    max_len: Option<u64>,
    is64: bool,
    budget: &mut u32,
    warnings: &mut Vec<String>,
) -> Option<Vec<u64>> {
    let size = if is64 { 8 } else { 4 };
    let ordinal_flag: u64 = if is64 { 1 << 63 } else { 1 << 31 };
    let mut table = Vec::new();
    let mut rva = start as u64;
    let mut repeated = 0u32;
    let mut seen32: HashSet<u64> = HashSet::new();
    let mut seen64: HashSet<u64> = HashSet::new();
    let (mut min32, mut max32, mut min64, mut max64) = (u64::MAX, 0u64, u64::MAX, 0u64);
    while rva != 0 {
        if let Some(m) = max_len {
            if rva >= start as u64 + m {
                warnings.push("import table entries go beyond bounds".into());
                break;
            }
        }
        if *budget > MAX_IMPORT_SYMBOLS {
            warnings.push(format!(
                "excessive number of imports (>{MAX_IMPORT_SYMBOLS})"
            ));
            break;
        }
        *budget += 1;
        if repeated >= 15 {
            return Some(Vec::new());
        }
        const SPREAD: u64 = 128 << 20;
        if (max32 >= min32 && max32 - min32 > SPREAD) || (max64 >= min64 && max64 - min64 > SPREAD)
        {
            return Some(Vec::new());
        }
        if rva > u32::MAX as u64 {
            return None;
        }
        let d = img.get(rva as u32, size);
        let Some(d) = d.filter(|d| d.len() == size) else {
            warnings.push(format!("invalid import thunk data at RVA 0x{rva:x}"));
            return None;
        };
        let v = if is64 {
            u64le(d, 0).unwrap_or(0)
        } else {
            u32le(d, 0).unwrap_or(0) as u64
        };
        if v >= start as u64 && v <= rva {
            warnings.push(format!(
                "import AddressOfData overlaps thunks at RVA 0x{rva:x}"
            ));
            break;
        }
        if v != 0 {
            if v & ordinal_flag != 0 {
                if v & 0x7fff_ffff > 0xffff {
                    return Some(Vec::new());
                }
            } else {
                let (set, mn, mx) = if v >= 1 << 32 {
                    (&mut seen64, &mut min64, &mut max64)
                } else {
                    (&mut seen32, &mut min32, &mut max32)
                };
                if !set.insert(v) {
                    repeated += 1;
                }
                *mn = (*mn).min(v);
                *mx = (*mx).max(v);
            }
        }
        if v == 0 {
            break;
        }
        rva += size as u64;
        table.push(v);
    }
    Some(table)
}

/// Symbols of one descriptor (pefile `parse_imports`). `Err` = pefile
/// raised, the descriptor is dropped.
#[allow(clippy::too_many_arguments)] // mirrors pefile's parse_imports inputs
fn import_symbols(
    img: &Img,
    dll: &str,
    oft: u32,
    ft: u32,
    max_len: Option<u64>,
    is64: bool,
    budget: &mut u32,
    warnings: &mut Vec<String>,
) -> Result<Vec<ImportSlot>, ()> {
    let ilt = import_table(img, oft, max_len, is64, budget, warnings);
    let iat = import_table(img, ft, max_len, is64, budget, warnings);
    let table = match (&ilt, &iat) {
        (Some(i), _) if !i.is_empty() => i,
        (_, Some(a)) if !a.is_empty() => a,
        _ => {
            warnings.push(format!(
                "damaged import table for {dll}: ILT 0x{oft:x}, IAT 0x{ft:x}"
            ));
            return Ok(Vec::new());
        }
    };
    let ordinal_flag: u64 = if is64 { 1 << 63 } else { 1 << 31 };
    let mask: u64 = if is64 {
        0x7fff_ffff_ffff_ffff
    } else {
        0x7fff_ffff
    };
    let mut out = Vec::new();
    let mut invalid = 0usize;
    for (idx, &v) in table.iter().enumerate() {
        let (ord, name): (Option<u16>, Option<Vec<u8>>) = if v & ordinal_flag != 0 {
            (Some(v as u16), None)
        } else {
            let hn = v & mask;
            let ok = hn <= u32::MAX as u64
                && (v + 2) <= u32::MAX as u64
                && img.get(hn as u32, 2).is_some();
            if ok {
                let n = img.string((v + 2) as u32, MAX_IMPORT_NAME_LENGTH);
                let n = if is_valid_function_name(n, false) {
                    n.to_vec()
                } else {
                    b"*invalid*".to_vec()
                };
                // pefile also computes the name's file offset, which
                // raises when the RVA is outside the file.
                if img.offset((v + 2) as u32).is_none() {
                    (None, None)
                } else {
                    (None, Some(n))
                }
            } else {
                (None, None)
            }
        };
        if ord.is_none() && name.is_none() {
            return Err(());
        }
        if name.as_deref() == Some(b"*invalid*") {
            if invalid > 1000 && invalid == idx {
                return Err(());
            }
            invalid += 1;
            continue;
        }
        let iat_rva = ft.wrapping_add((idx as u32).wrapping_mul(if is64 { 8 } else { 4 }));
        match (ord, name) {
            (_, Some(n)) if !n.is_empty() => out.push(ImportSlot {
                name: String::from_utf8_lossy(&n).into_owned(),
                ordinal: None,
                iat_rva,
            }),
            (Some(o), _) if o != 0 => out.push(ImportSlot {
                name: ordinal_name(dll, o),
                ordinal: Some(o),
                iat_rva,
            }),
            _ => {}
        }
    }
    Ok(out)
}

fn parse_imports(
    img: &Img,
    mut rva: u32,
    is64: bool,
    budget: &mut u32,
    warnings: &mut Vec<String>,
) -> Vec<ImportTable> {
    let mut out = Vec::new();
    let mut errors = 0;
    for _ in 0..MAX_IMPORT_DESCRIPTORS {
        let Some(d) = img.get(rva, 20).filter(|d| d.len() == 20) else {
            if img.get(rva, 20).is_none() {
                warnings.push(format!("import directory unreadable at RVA 0x{rva:x}"));
            }
            break;
        };
        if d.iter().all(|&b| b == 0) {
            break;
        }
        let Some(file_offset) = img.offset(rva) else {
            break;
        };
        let oft = u32le(d, 0).unwrap_or(0);
        let name_rva = u32le(d, 12).unwrap_or(0);
        let ft = u32le(d, 16).unwrap_or(0);
        rva = rva.wrapping_add(20);
        let mut max_len = (img.data.len() as i64 - file_offset as i64).max(0) as u64;
        if rva > oft || rva > ft {
            max_len = (rva as i64 - oft as i64).max(rva as i64 - ft as i64).max(0) as u64;
        }
        let dll_raw = img.string(name_rva, MAX_DLL_LENGTH);
        let dll = if is_valid_dos_filename(dll_raw) {
            String::from_utf8_lossy(dll_raw).into_owned()
        } else {
            "*invalid*".to_string()
        };
        let syms = match import_symbols(img, &dll, oft, ft, Some(max_len), is64, budget, warnings) {
            Ok(s) => s,
            Err(()) => {
                warnings.push(format!("invalid import entries for {dll}"));
                Vec::new()
            }
        };
        if errors > 5 {
            warnings.push("too many errors in the import directory".into());
            break;
        }
        if syms.is_empty() {
            errors += 1;
            continue;
        }
        if !dll.is_empty() {
            out.push(ImportTable { dll, slots: syms });
        }
    }
    out
}

fn parse_delay_imports(
    img: &Img,
    mut rva: u32,
    is64: bool,
    budget: &mut u32,
    warnings: &mut Vec<String>,
) -> Vec<ImportTable> {
    let mut out = Vec::new();
    for _ in 0..MAX_IMPORT_DESCRIPTORS {
        let Some(d) = img.get(rva, 32).filter(|d| d.len() == 32) else {
            break;
        };
        if d.iter().all(|&b| b == 0) {
            break;
        }
        rva = rva.wrapping_add(32);
        let name_rva = u32le(d, 4).unwrap_or(0);
        let iat = u32le(d, 12).unwrap_or(0);
        let int = u32le(d, 16).unwrap_or(0);
        let dll_raw = img.string(name_rva, MAX_DLL_LENGTH);
        if !is_valid_dos_filename(dll_raw) || dll_raw.is_empty() {
            continue;
        }
        let dll = String::from_utf8_lossy(dll_raw).into_owned();
        if let Ok(syms) = import_symbols(img, &dll, int, iat, None, is64, budget, warnings) {
            if !syms.is_empty() {
                out.push(ImportTable { dll, slots: syms });
            }
        }
    }
    out
}

fn parse_exports(
    img: &Img,
    rva: u32,
    size: u32,
    warnings: &mut Vec<String>,
) -> (u32, Vec<String>, Option<String>) {
    let none = (0, Vec::new(), None);
    let Some(d) = img.get(rva, 40).filter(|d| d.len() == 40) else {
        return none;
    };
    if img.offset(rva).is_none() {
        return none;
    }
    let name_rva = u32le(d, 12).unwrap_or(0);
    let base = u32le(d, 16).unwrap_or(0);
    let n_funcs = u32le(d, 20).unwrap_or(0);
    let n_names = u32le(d, 24).unwrap_or(0);
    let aof = u32le(d, 28).unwrap_or(0);
    let aon = u32le(d, 32).unwrap_or(0);
    let aono = u32le(d, 36).unwrap_or(0);
    let until_eof =
        |r: u32| -> Option<usize> { img.offset(r).map(|o| img.data.len().saturating_sub(o)) };
    let (Some(e1), Some(e2), Some(e3)) = (until_eof(aon), until_eof(aono), until_eof(aof)) else {
        return none;
    };
    let names = img.get(aon, e1.min(n_names as usize * 4)).unwrap_or(&[]);
    let name_ords = img.get(aono, e2.min(n_names as usize * 4)).unwrap_or(&[]);
    let funcs = img.get(aof, e3.min(n_funcs as usize * 4)).unwrap_or(&[]);
    let dll_name = {
        let s = img.string(name_rva, MAX_DLL_LENGTH);
        (!s.is_empty()).then(|| String::from_utf8_lossy(s).into_owned())
    };
    let boundary = |r: u32| -> u64 {
        match img.section(r) {
            Some(s) => {
                let sec_len = sec_data_len(img, s);
                (s.va as i64 + sec_len as i64 - r as i64).max(0) as u64
            }
            None => img.data.len() as u64,
        }
    };
    let mut count = 0u32;
    let mut out_names = Vec::new();
    let mut ordinals: HashSet<u32> = HashSet::new();
    let mut symbol_counts: HashMap<(Vec<u8>, u32), u32> = HashMap::new();
    let mut failed_budget = 10i32;
    let limit = (n_names as u64).min(boundary(aon) / 4);
    let mut normal = true;
    for i in 0..limit as usize {
        let ord = u16le(name_ords, i * 2);
        let addr = match ord {
            Some(o) if (o as usize) * 4 < funcs.len() => u32le(funcs, o as usize * 4),
            _ => return (count, out_names, dll_name),
        };
        let ord = ord.unwrap_or(0);
        let Some(addr) = addr.filter(|&a| a != 0) else {
            continue;
        };
        if addr >= rva && (addr as u64) < rva as u64 + size as u64 && img.offset(addr).is_none() {
            continue;
        }
        let name_addr = u32le(names, i * 4);
        if name_addr.is_none() {
            failed_budget -= 1;
            if failed_budget <= 0 {
                normal = false;
                break;
            }
        }
        let name = name_addr
            .map(|a| img.string(a, MAX_SYMBOL_NAME_LENGTH))
            .unwrap_or(&[]);
        if !is_valid_function_name(name, true) {
            normal = false;
            break;
        }
        if name_addr.and_then(|a| img.offset(a)).is_none() {
            failed_budget -= 1;
            if failed_budget <= 0 {
                normal = false;
                break;
            }
            continue;
        }
        let c = symbol_counts.entry((name.to_vec(), addr)).or_insert(0);
        *c += 1;
        if *c > 10 || symbol_counts.len() > MAX_SYMBOL_EXPORT_COUNT {
            break;
        }
        count += 1;
        ordinals.insert(base.wrapping_add(ord as u32));
        if out_names.len() < MAX_EXPORT_NAMES {
            out_names.push(String::from_utf8_lossy(name).into_owned());
        }
    }
    if !normal {
        warnings.push("export name table is damaged; stopped early".into());
    }
    let limit = (n_funcs as u64).min(boundary(aof) / 4);
    let mut addr_counts: HashMap<u32, u32> = HashMap::new();
    let mut failed_budget = 10i32;
    for idx in 0..limit as usize {
        if ordinals.contains(&(idx as u32).wrapping_add(base)) {
            continue;
        }
        let Some(addr) = u32le(funcs, idx * 4) else {
            failed_budget -= 1;
            if failed_budget <= 0 {
                break;
            }
            continue;
        };
        if addr == 0 {
            continue;
        }
        let c = addr_counts.entry(addr).or_insert(0);
        *c += 1;
        if *c > MAX_REPEATED_SYMBOL {
            warnings.push("export address table repeats one address too often; stopped".into());
            break;
        } else if addr_counts.len() > MAX_SYMBOL_EXPORT_COUNT {
            // pefile stops here too ("more than 8192 ordinal entries").
            warnings.push(format!(
                "export table has more than {MAX_SYMBOL_EXPORT_COUNT} distinct addresses; counted up to there"
            ));
            break;
        }
        count += 1;
    }
    (count, out_names, dll_name)
}

/// `len(section.get_data())` in pefile: raw data from the adjusted pointer,
/// SizeOfRawData bytes, clipped to the file.
fn sec_data_len(img: &Img, s: &Sec) -> usize {
    let off = img.adjust_fa(s.ptr) as usize;
    let end = (s.ptr as usize)
        .saturating_add(s.raw as usize)
        .min(img.data.len());
    let end2 = off.saturating_add(s.raw as usize).min(end);
    end2.saturating_sub(off)
}

#[derive(Default)]
struct Resources {
    types: Vec<ResourceType>,
    langs: BTreeSet<u32>,
    leaves: u32,
    total_entries: u32,
    version_blobs: Vec<(u32, u32)>,
}

/// Resource tree walk with pefile's limits: depth, entries per directory,
/// total entries, and a loop check on the directories above the current one.
struct ResWalk<'i, 'a, 'w> {
    img: &'i Img<'a>,
    base: u32,
    path: Vec<u32>,
    out: Resources,
    warnings: &'w mut Vec<String>,
}

impl ResWalk<'_, '_, '_> {
    /// Walk the directory at `rva` (level 0 = types, 1 = names, 2 =
    /// languages). Returns false where pefile gives up on the parent too.
    fn dir(&mut self, rva: u32, level: u32, type_id: Option<u32>) -> bool {
        if level > MAX_RESOURCE_DEPTH || level > 3 {
            // pefile would go deeper, but only levels 0..=2 matter here.
            return level <= MAX_RESOURCE_DEPTH;
        }
        let img = self.img;
        let Some(h) = img.get(rva, 16).filter(|d| d.len() == 16) else {
            self.warnings
                .push(format!("invalid resource directory at RVA 0x{rva:x}"));
            return false;
        };
        let n = u16le(h, 12).unwrap_or(0) as u32 + u16le(h, 14).unwrap_or(0) as u32;
        if n > 4096 {
            self.warnings
                .push(format!("resource directory with {n} entries"));
            return false;
        }
        self.out.total_entries += n;
        if self.out.total_entries > MAX_RESOURCE_ENTRIES {
            self.warnings.push("too many resource entries".into());
            return false;
        }
        for i in 0..n {
            let erva = rva.wrapping_add(16 + 8 * i);
            let Some(e) = img.get(erva, 8).filter(|d| d.len() == 8) else {
                self.warnings
                    .push(format!("invalid resource entry at RVA 0x{erva:x}"));
                break;
            };
            let name = u32le(e, 0).unwrap_or(0);
            let off = u32le(e, 4).unwrap_or(0);
            let is_dir = off & 0x8000_0000 != 0;
            let target = self.base.wrapping_add(off & 0x7fff_ffff);
            if level == 0 {
                self.out.types.push(if name & 0x8000_0000 == 0 {
                    ResourceType::Id(name)
                } else {
                    ResourceType::Name(resource_name(
                        img,
                        self.base.wrapping_add(name & 0x7fff_ffff),
                    ))
                });
            }
            let tid = if level == 0 && name & 0x8000_0000 == 0 {
                Some(name)
            } else {
                type_id
            };
            if is_dir {
                if self.path.contains(&target) {
                    self.warnings.push("resource tree loops".into());
                    break;
                }
                self.path.push(target);
                let ok = self.dir(target, level + 1, tid);
                self.path.pop();
                if !ok {
                    break;
                }
            } else {
                let Some(de) = img.get(target, 16).filter(|d| d.len() == 16) else {
                    continue;
                };
                if level == 2 {
                    // pefile: lang = Name & 0x3ff, sublang = Name >> 10.
                    self.out.langs.insert((name & 0x3ff) | ((name >> 10) << 10));
                }
                self.out.leaves += 1;
                if tid == Some(16) && self.out.version_blobs.len() < 16 {
                    self.out
                        .version_blobs
                        .push((u32le(de, 0).unwrap_or(0), u32le(de, 4).unwrap_or(0)));
                }
            }
        }
        true
    }
}

fn walk_resources(img: &Img, root: u32, warnings: &mut Vec<String>) -> Resources {
    let mut w = ResWalk {
        img,
        base: root,
        path: vec![root],
        out: Resources::default(),
        warnings,
    };
    w.dir(root, 0, None);
    w.out
}

fn resource_name(img: &Img, rva: u32) -> String {
    let Some(len) = img.get(rva, 2).and_then(|d| u16le(d, 0)) else {
        return String::new();
    };
    let bytes = img
        .get(rva.wrapping_add(2), len as usize * 2)
        .unwrap_or(&[]);
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// Read a UTF-16LE NUL-terminated string at `off`, bounded by `end`.
/// Returns the string and the offset after its NUL.
fn utf16z(d: &[u8], off: usize, end: usize) -> (String, usize) {
    let end = end.min(d.len());
    let mut units = Vec::new();
    let mut p = off;
    while p + 1 < end {
        let u = u16::from_le_bytes([d[p], d[p + 1]]);
        p += 2;
        if u == 0 {
            break;
        }
        units.push(u);
    }
    (String::from_utf16_lossy(&units), p)
}

fn align4(x: usize) -> usize {
    (x + 3) & !3
}

/// Walk a VS_VERSIONINFO blob and collect StringFileInfo strings.
pub fn parse_version_info(blob: &[u8], out: &mut BTreeMap<String, String>) {
    let Some(total) = u16le(blob, 0) else { return };
    let total = (total as usize).min(blob.len());
    let vlen = u16le(blob, 2).unwrap_or(0) as usize;
    let (key, p) = utf16z(blob, 6, total);
    if key != "VS_VERSION_INFO" {
        return;
    }
    let mut p = align4(p) + vlen;
    p = align4(p);
    // Children: StringFileInfo / VarFileInfo.
    let mut guard = 0;
    while p + 6 <= total && guard < 64 {
        guard += 1;
        let Some(len) = u16le(blob, p).map(|l| l as usize) else {
            break;
        };
        if len < 6 {
            break;
        }
        let cend = (p + len).min(total);
        let (ckey, q) = utf16z(blob, p + 6, cend);
        if ckey == "StringFileInfo" {
            let mut t = align4(q);
            let mut g2 = 0;
            while t + 6 <= cend && g2 < 64 {
                g2 += 1;
                let tlen = u16le(blob, t).unwrap_or(0) as usize;
                if tlen < 6 {
                    break;
                }
                let tend = (t + tlen).min(cend);
                let (_lang, s0) = utf16z(blob, t + 6, tend);
                let mut s = align4(s0);
                let mut g3 = 0;
                while s + 6 <= tend && g3 < 256 {
                    g3 += 1;
                    let slen = u16le(blob, s).unwrap_or(0) as usize;
                    if slen < 6 {
                        break;
                    }
                    let send = (s + slen).min(tend);
                    let (k, v0) = utf16z(blob, s + 6, send);
                    let (v, _) = utf16z(blob, align4(v0), send);
                    if !k.is_empty() {
                        out.insert(k, v);
                    }
                    s = align4(s + slen);
                }
                t = align4(t + tlen);
            }
        }
        p = align4(p + len);
    }
}

fn parse_debug(
    img: &Img,
    rva: u32,
    size: u32,
    warnings: &mut Vec<String>,
) -> (Vec<u32>, Option<PdbInfo>) {
    let n = (size / 28) as usize;
    if n > MAX_DEBUG_ENTRIES {
        warnings.push(format!(
            "{n} debug directory entries; first {MAX_DEBUG_ENTRIES} read"
        ));
    }
    let mut types = BTreeSet::new();
    let mut pdb = None;
    for i in 0..n.min(MAX_DEBUG_ENTRIES) {
        let Some(e) = img
            .get(rva.wrapping_add(28 * i as u32), 28)
            .filter(|d| d.len() == 28)
        else {
            warnings.push("debug directory unreadable".into());
            return (Vec::new(), None);
        };
        let ty = u32le(e, 12).unwrap_or(0);
        types.insert(ty);
        if ty == 2 && pdb.is_none() {
            let sz = u32le(e, 16).unwrap_or(0) as i64;
            let ptr = u32le(e, 24).unwrap_or(0) as i64;
            let cv = slice(img.data, ptr, ptr + sz);
            pdb = parse_codeview(cv);
        }
    }
    (types.into_iter().collect(), pdb)
}

fn parse_codeview(cv: &[u8]) -> Option<PdbInfo> {
    let strip = |b: &[u8]| -> String {
        let end = b.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
        String::from_utf8_lossy(&b[..end]).into_owned()
    };
    if cv.starts_with(b"RSDS") && cv.len() >= 24 {
        let d1 = u32le(cv, 4)?;
        let d2 = u16le(cv, 8)?;
        let d3 = u16le(cv, 10)?;
        let rest = &cv[12..20];
        let age = u32le(cv, 20)?;
        let mut guid = format!("{d1:08X}{d2:04X}{d3:04X}");
        for b in rest {
            guid.push_str(&format!("{b:02X}"));
        }
        guid.push_str(&format!("{age:X}"));
        Some(PdbInfo {
            format: "RSDS".into(),
            path: strip(&cv[24..]),
            guid: Some(guid),
            age,
        })
    } else if cv.starts_with(b"NB10") && cv.len() >= 16 {
        Some(PdbInfo {
            format: "NB10".into(),
            path: strip(&cv[16..]),
            guid: None,
            age: u32le(cv, 12)?,
        })
    } else {
        None
    }
}

/// pefile `get_overlay_data_start_offset`.
fn overlay_start(
    img: &Img,
    opt_off: usize,
    opt_size: u16,
    sections: &object::read::pe::SectionTable,
    dirs: &object::read::pe::DataDirectories,
) -> Option<usize> {
    let len = img.data.len() as u64;
    let mut best: (u64, u64) = (0, 0);
    let mut upd = |o: u64, s: u64| {
        if o + s <= len && o + s > best.0 + best.1 {
            best = (o, s);
        }
    };
    upd(opt_off as u64, opt_size as u64);
    for s in sections.iter().take(MAX_SECTIONS) {
        upd(
            s.pointer_to_raw_data.get(LE) as u64,
            s.size_of_raw_data.get(LE) as u64,
        );
    }
    for (i, d) in dirs.iter().enumerate() {
        if i == ope::IMAGE_DIRECTORY_ENTRY_SECURITY {
            continue;
        }
        if let Some(o) = img.offset(d.virtual_address.get(LE)) {
            upd(o as u64, d.size.get(LE) as u64);
        }
    }
    let end = best.0 + best.1;
    (len > end).then_some(end as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinal_tables() {
        assert_eq!(ordinal_name("WS2_32.dll", 115), "WSAStartup");
        assert_eq!(ordinal_name("oleaut32.dll", 2), "SysAllocString");
        assert_eq!(ordinal_name("kernel32.dll", 7), "ord7");
        assert_eq!(ordinal_name("ws2_32.dll", 60000), "ord60000");
    }

    #[test]
    fn imphash_matches_pefile_rules() {
        let imps = vec![
            ImportDll {
                dll: "KERNEL32.dll".into(),
                functions: vec!["GetProcAddress".into(), "LoadLibraryA".into()],
            },
            ImportDll {
                dll: "foo.exe".into(),
                functions: vec!["Bar".into()],
            },
        ];
        let expect = hashes::md5_hex(b"kernel32.getprocaddress,kernel32.loadlibrarya,foo.exe.bar");
        assert_eq!(imphash(&imps).unwrap(), expect);
        assert_eq!(imphash(&[]), None);
    }
}
