//! Function extraction: recursive descent plus prologue scanning over x86/x64 PE and ELF code.
//!
//! The extractor is bounded: a per-file instruction budget, a per-function instruction and
//! block budget, a function count cap and a wall-clock budget, so hostile, packed or simply
//! huge files cannot stall a batch. Whatever limit was hit is reported in
//! [`Extraction::limits_hit`].

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use iced_x86::{Decoder, DecoderOptions, FlowControl, Instruction, Mnemonic, OpKind, Register};
use object::read::pe::PeFile64;
use object::{Object, ObjectSection, ObjectSymbol, SectionFlags};
use serde::{Deserialize, Serialize};

use crate::hash::{fold, hash_bytes, mix64, FastMap, FastSet};
use crate::CodeError;

/// Limits and switches for [`extract`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExtractConfig {
    /// Instructions decoded per file, over all functions.
    pub max_file_instructions: u64,
    /// Functions kept per file.
    pub max_functions: usize,
    /// Instructions per function; a function that exceeds it is cut and flagged.
    pub max_function_instructions: usize,
    /// Basic blocks per function.
    pub max_function_blocks: usize,
    /// Entries read from one jump table.
    pub max_jump_table_entries: usize,
    /// Wall-clock budget for one file.
    pub time_budget: Duration,
    /// Scan executable bytes not reached by recursive descent for function prologues.
    pub prologue_scan: bool,
    /// Shannon entropy (bits per byte) above which an executable section is suspected packed.
    pub packed_entropy: f64,
}

impl Default for ExtractConfig {
    fn default() -> Self {
        Self {
            max_file_instructions: 30_000_000,
            max_functions: 400_000,
            max_function_instructions: 100_000,
            max_function_blocks: 20_000,
            max_jump_table_entries: 1024,
            time_budget: Duration::from_secs(60),
            prologue_scan: true,
            packed_entropy: 7.3,
        }
    }
}

/// Executable container format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// Portable Executable (Windows).
    Pe,
    /// ELF (Linux and others).
    Elf,
}

/// Instruction set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Arch {
    /// 32-bit x86.
    X86,
    /// x86-64.
    X64,
}

impl Arch {
    fn bitness(self) -> u32 {
        match self {
            Arch::X86 => 32,
            Arch::X64 => 64,
        }
    }
}

/// How a function start was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FunctionSource {
    /// The program entry point.
    Entry,
    /// An exported symbol.
    Export,
    /// A symbol table entry (ELF `.symtab`/`.dynsym`, or COFF symbols).
    Symbol,
    /// An x64 PE exception directory (`.pdata`) entry.
    ExceptionTable,
    /// The target of a direct call (or tail jump) from another function.
    CallTarget,
    /// A prologue found by scanning code not reached otherwise.
    Prologue,
}

/// One basic block: a straight run of instructions with a single entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasicBlock {
    /// Virtual address of the first instruction.
    pub address: u64,
    /// Size in bytes.
    pub size: u32,
    /// Index of the block's first instruction in [`Function::tokens`].
    pub first: u32,
    /// Number of instructions.
    pub instructions: u32,
}

/// One recovered function with its control-flow graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// Virtual address of the entry.
    pub address: u64,
    /// How the entry was found.
    pub source: FunctionSource,
    /// Basic blocks in address order; the entry block is the one at `address`.
    pub blocks: Vec<BasicBlock>,
    /// CFG edges as (from, to) indexes into `blocks`.
    pub edges: Vec<(u32, u32)>,
    /// Direct call targets (including tail jumps to other functions).
    pub calls: Vec<u64>,
    /// Normalised instruction tokens, in block order (see [`crate::signature`]).
    pub tokens: Vec<u32>,
    /// Decoding hit an invalid instruction on some path.
    pub has_invalid: bool,
    /// A per-function limit cut the function short.
    pub truncated: bool,
}

impl Function {
    /// Number of instructions.
    pub fn instructions(&self) -> usize {
        self.tokens.len()
    }
}

/// Per-section report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionReport {
    /// Section name.
    pub name: String,
    /// Virtual address.
    pub address: u64,
    /// Size of the file-backed data.
    pub size: u64,
    /// Executable.
    pub executable: bool,
    /// Shannon entropy in bits per byte.
    pub entropy: f64,
    /// Functions whose entry lies in this section.
    pub functions: usize,
    /// High entropy with few recovered functions: likely packed or encrypted. Prologue scanning
    /// is skipped there and functions only reached by scanning are dropped.
    pub packed: bool,
}

/// A limit that cut extraction short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LimitHit {
    /// [`ExtractConfig::max_file_instructions`].
    FileInstructions,
    /// [`ExtractConfig::max_functions`].
    Functions,
    /// [`ExtractConfig::time_budget`].
    Time,
}

/// The result of [`extract`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Extraction {
    /// Container format.
    pub format: Format,
    /// Instruction set.
    pub arch: Arch,
    /// Preferred load address (PE image base; 0 for most ELF shared objects).
    pub image_base: u64,
    /// Entry point, if any.
    pub entry: Option<u64>,
    /// Functions in address order.
    pub functions: Vec<Function>,
    /// Section reports.
    pub sections: Vec<SectionReport>,
    /// Limits hit, if any.
    pub limits_hit: Vec<LimitHit>,
    /// Instructions decoded.
    pub instructions_decoded: u64,
    /// Some executable section looks packed or encrypted.
    pub packed: bool,
    /// The file's imports as a set: FNV-1a hashes of library and function
    /// (see [`import_key`]), sorted, without duplicates. PE imports are read by
    /// `ascribe-binary` (pefile's rules), ELF imports by `object`.
    pub imports: Vec<u64>,
    /// Why the import set may be incomplete or empty although the file has an import table
    /// (a damaged or unreadable table); empty when the imports were read cleanly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub import_warnings: Vec<String>,
    /// A bottom-k sketch of the file's printable strings, the names of its imports left out
    /// (see [`string_sketch_without`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strings: Vec<u64>,
    /// The names the file exports (the PE export table, read by `ascribe-binary` with pefile's
    /// rules; an ELF file's exported dynamic symbols, read by `object`), hashed by
    /// [`export_key`], sorted, without duplicates; at most 4,096 names; the names every file
    /// of its kind exports (`DllRegisterServer`, the ELF linker's `_init` or `_end`: see
    /// [`is_generic_export`]) left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exports: Vec<u64>,
}

/// Strings kept in a file's string sketch: the `STRING_SKETCH` smallest hashes.
pub const STRING_SKETCH: usize = 256;

/// Shortest printable run counted as a string.
const MIN_STRING: usize = 6;

/// A bottom-k sketch of a file's printable strings: every run of at least six printable
/// ASCII characters, and every such run in UTF-16LE (hashed as the same characters, so a
/// string compiled as wide or narrow is one string), hashed (FNV-1a, then a 64-bit finaliser
/// so the hashes are uniform), deduplicated, and the [`STRING_SKETCH`] smallest kept, sorted.
///
/// Two sketches estimate the Jaccard similarity of the two string sets
/// ([`sketch_jaccard`]); below `STRING_SKETCH` strings the sketch is the whole set and the
/// estimate exact. Module and function names, format strings, error messages and paths survive
/// recompilation where code does not (another compiler or code generator version), which is
/// what separates one project's modules from another project's built with the same toolchain.
/// One linear pass over the bytes, memory bounded by `STRING_SKETCH`.
pub fn string_sketch(data: &[u8]) -> Vec<u64> {
    string_sketch_without::<&str>(data, &[])
}

/// [`string_sketch`] without the strings equal to one of `skip` (what [`extract`] leaves
/// out: the names of imported libraries and functions, which the import set already counts;
/// counted again as strings they would make every module built against one API, such as
/// every Cython module against the CPython API, look alike by its strings too).
pub fn string_sketch_without<S: AsRef<str>>(data: &[u8], skip: &[S]) -> Vec<u64> {
    const FNV: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let skip: FastSet<u64> = skip
        .iter()
        .map(|s| {
            s.as_ref()
                .bytes()
                .fold(FNV, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME))
        })
        .collect();
    fn mix(mut h: u64) -> u64 {
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
    // keep the STRING_SKETCH smallest distinct hashes: a max-heap of them plus a set
    let mut heap = std::collections::BinaryHeap::<u64>::with_capacity(STRING_SKETCH + 1);
    let mut held = FastSet::<u64>::default();
    let mut offer = |h: u64| {
        if skip.contains(&h) {
            return;
        }
        let h = mix(h);
        if heap.len() == STRING_SKETCH && heap.peek().is_some_and(|&top| h >= top) {
            return;
        }
        if held.insert(h) {
            heap.push(h);
            if heap.len() > STRING_SKETCH {
                if let Some(top) = heap.pop() {
                    held.remove(&top);
                }
            }
        }
    };
    let printable = |b: u8| (0x20..0x7f).contains(&b);
    /// Offers the FNV-1a hash of each run of `MIN_STRING` or more printable
    /// characters of `units` (`None` ends a run), the same hash as `skip`'s.
    fn runs(units: impl Iterator<Item = Option<u8>>, offer: &mut impl FnMut(u64)) {
        let (mut h, mut n) = (FNV, 0usize);
        for unit in units {
            if let Some(b) = unit {
                h = (h ^ u64::from(b)).wrapping_mul(PRIME);
                n += 1;
            } else {
                if n >= MIN_STRING {
                    offer(h);
                }
                h = FNV;
                n = 0;
            }
        }
        if n >= MIN_STRING {
            offer(h);
        }
    }
    // narrow strings
    runs(data.iter().map(|&b| printable(b).then_some(b)), &mut offer);
    // wide strings (UTF-16LE, ASCII range), at both alignments
    for start in 0..2 {
        let pairs = data[start.min(data.len())..].chunks_exact(2);
        runs(
            pairs.map(|p| (p[1] == 0 && printable(p[0])).then_some(p[0])),
            &mut offer,
        );
    }
    let mut v = heap.into_vec();
    v.sort_unstable();
    v
}

/// Estimated Jaccard similarity of the string sets behind two sketches of
/// [`string_sketch`]: among the `STRING_SKETCH` smallest hashes of their union, the share
/// present in both (exact when both sets are smaller than the sketch). 0 when either is empty.
pub fn sketch_jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut seen, mut both) = (0, 0, 0usize, 0usize);
    while seen < STRING_SKETCH && (i < a.len() || j < b.len()) {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                both += 1;
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => i += 1,
            (Some(_), Some(_)) => j += 1,
            // one sketch is exhausted: past its largest hash nothing more is known
            // to be shared, and a full sketch's largest hash bounds the union's sample
            (Some(_), None) => {
                if b.len() >= STRING_SKETCH {
                    break;
                }
                i += 1
            }
            (None, Some(_)) => {
                if a.len() >= STRING_SKETCH {
                    break;
                }
                j += 1
            }
            (None, None) => break,
        }
        seen += 1;
    }
    if seen == 0 {
        0.0
    } else {
        both as f64 / seen as f64
    }
}

/// The hashed form of one import: lower-case library and function names
/// (joined by a NUL, which neither can contain), with the
/// library's `.dll` suffix dropped and `python3*.dll` folded to `python3xx`
/// (extension modules of one project built for several CPython versions
/// import the same API from differently named DLLs); imports by ordinal are
/// `library.ordN`.
pub fn import_key(library: &str, name: &str) -> u64 {
    let mut lib = library.to_ascii_lowercase();
    if lib.starts_with("python3") && lib.ends_with(".dll") {
        lib = "python3xx.dll".into();
    }
    let lib = lib.trim_end_matches(".dll");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in lib
        .bytes()
        .chain(std::iter::once(0u8))
        .chain(name.to_ascii_lowercase().bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The imports of a file: the import set, the IAT slots by address (for naming calls through
/// the IAT in tokens) and what went wrong reading them.
#[derive(Default)]
struct FileImports {
    set: Vec<u64>,
    iat: FastMap<u64, u32>,
    warnings: Vec<String>,
    /// The imported libraries' and functions' names as written in the file (left out of the
    /// string sketch: the import set already counts them).
    names: Vec<String>,
    /// The export-name set (see [`Extraction::exports`]).
    exports: Vec<u64>,
}

/// Most export names kept per file.
const MAX_EXPORTS: usize = 4096;

/// The hashed form of one export name (FNV-1a of its bytes, case kept).
pub fn export_key(name: &[u8]) -> u64 {
    hash_bytes(name)
}

/// Export names that every file of its kind carries, whoever wrote it, and so say nothing
/// of a family: the entry points of any COM server, service DLL or Windows Runtime
/// component, and the symbols the linker defines in every ELF shared object.
const GENERIC_EXPORTS: &[&str] = &[
    "DllMain",
    "DllEntryPoint",
    "DllRegisterServer",
    "DllUnregisterServer",
    "DllGetClassObject",
    "DllCanUnloadNow",
    "DllInstall",
    "DllGetVersion",
    "DllGetActivationFactory",
    "ServiceMain",
    "SvchostPushServiceGlobals",
    "_init",
    "_fini",
    "_edata",
    "_end",
    "__bss_start",
    "_ftext",
    "_fdata",
    "_fbss",
];

/// Whether an export name is one every file of its kind carries ([`GENERIC_EXPORTS`]); such
/// names are left out of the export set.
pub fn is_generic_export(name: &[u8]) -> bool {
    GENERIC_EXPORTS.iter().any(|g| g.as_bytes() == name)
}

fn hash_export_names<T: AsRef<[u8]>, I: IntoIterator<Item = T>>(names: I) -> Vec<u64> {
    let mut set: Vec<u64> = names
        .into_iter()
        .filter(|n| !n.as_ref().is_empty() && !is_generic_export(n.as_ref()))
        .take(MAX_EXPORTS)
        .map(|n| export_key(n.as_ref()))
        .collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// PE imports, read by `ascribe-binary` (pefile's rules: the same parser `inspect` uses, which
/// also reads import tables that `object` rejects, such as those of delvewheel-patched DLLs).
fn pe_file_imports(data: &[u8]) -> FileImports {
    let mut out = FileImports::default();
    let mut notes = Vec::new();
    let tables = match ascribe_binary::pe::import_tables(data, &mut notes) {
        Ok(t) => t,
        Err(e) => {
            out.warnings.push(format!("import table not read: {e}"));
            return out;
        }
    };
    for t in &tables.imports {
        let lib_hash = hash_bytes(&t.dll.to_ascii_lowercase().into_bytes());
        out.names.push(t.dll.clone());
        for slot in &t.slots {
            if slot.ordinal.is_none() {
                out.names.push(slot.name.clone());
            }
            out.set.push(import_key(&t.dll, &slot.name));
            // Call tokens name the imported function (by ordinal: library and ordinal).
            let h = match slot.ordinal {
                Some(o) => fold(lib_hash, u64::from(o)),
                None => hash_bytes(&slot.name.to_ascii_lowercase().into_bytes()),
            };
            out.iat
                .insert(tables.image_base + u64::from(slot.iat_rva), h as u32 | 1);
        }
    }
    out.exports = hash_export_names(&tables.exports);
    if tables.has_import_directory && out.set.is_empty() {
        let why = if notes.is_empty() {
            "no descriptor names a function".to_string()
        } else {
            notes.join("; ")
        };
        out.warnings.push(format!(
            "the import directory yields no import ({why}): import set empty"
        ));
    } else if !notes.is_empty() {
        out.warnings
            .push(format!("import table partly damaged: {}", notes.join("; ")));
    }
    out.set.sort_unstable();
    out.set.dedup();
    out
}

/// The import set of a PE or ELF file exactly as [`extract`] computes it, with the warnings
/// that say why it may be incomplete (see [`Extraction::import_warnings`]). Cheap: no code is
/// decoded.
pub fn import_set(data: &[u8]) -> Result<(Vec<u64>, Vec<String>), CodeError> {
    let file = object::File::parse(data).map_err(|e| CodeError::Parse(e.to_string()))?;
    let imp = match file.format() {
        object::BinaryFormat::Pe => pe_file_imports(data),
        object::BinaryFormat::Elf => elf_file_imports(&file),
        other => return Err(CodeError::Unsupported(format!("format {other:?}"))),
    };
    Ok((imp.set, imp.warnings))
}

/// The export-name set of a PE or ELF file exactly as [`extract`] computes it (see
/// [`Extraction::exports`]). Cheap: no code is decoded.
pub fn export_set(data: &[u8]) -> Result<Vec<u64>, CodeError> {
    let file = object::File::parse(data).map_err(|e| CodeError::Parse(e.to_string()))?;
    let imp = match file.format() {
        object::BinaryFormat::Pe => pe_file_imports(data),
        object::BinaryFormat::Elf => elf_file_imports(&file),
        other => return Err(CodeError::Unsupported(format!("format {other:?}"))),
    };
    Ok(imp.exports)
}

/// ELF imports (undefined dynamic symbols), read by `object` (bounded: at most 65,536).
fn elf_file_imports(file: &object::File<'_>) -> FileImports {
    let mut out = FileImports::default();
    match file.imports() {
        Ok(imps) => {
            let mut errors = 0usize;
            for i in imps.into_iter().take(65_536) {
                let Ok(i) = i else {
                    errors += 1;
                    continue;
                };
                let lib = String::from_utf8_lossy(i.library());
                let name = match i.name() {
                    object::NameOrOrdinal::Name(n) => String::from_utf8_lossy(n).into_owned(),
                    object::NameOrOrdinal::Ordinal(o) => format!("ord{o}"),
                };
                out.set.push(import_key(&lib, &name));
                out.names.push(name);
            }
            if errors > 0 {
                out.warnings
                    .push(format!("{errors} import entr(ies) unreadable"));
            }
        }
        Err(e) => out.warnings.push(format!("imports not read: {e}")),
    }
    if let Ok(exps) = file.exports() {
        out.exports =
            hash_export_names(exps.into_iter().flatten().filter_map(|e| match e.name() {
                object::NameOrOrdinal::Name(n) => Some(n.to_vec()),
                object::NameOrOrdinal::Ordinal(_) => None,
            }));
    }
    out.set.sort_unstable();
    out.set.dedup();
    out
}

struct Region<'a> {
    va: u64,
    data: &'a [u8],
    section: usize,
}

struct Ins {
    addr: u64,
    len: u8,
    flow: Flow,
    token: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Next,
    Cond(u64),
    Jump(u64),
    Table(u32, u32),
    End,
}

/// Parses `data` as PE or ELF and recovers functions; see the module documentation.
pub fn extract(data: &[u8], cfg: &ExtractConfig) -> Result<Extraction, CodeError> {
    let file = object::File::parse(data).map_err(|e| CodeError::Parse(e.to_string()))?;
    let format = match file.format() {
        object::BinaryFormat::Pe => Format::Pe,
        object::BinaryFormat::Elf => Format::Elf,
        other => return Err(CodeError::Unsupported(format!("format {other:?}"))),
    };
    let arch = match file.architecture() {
        object::Architecture::I386 => Arch::X86,
        object::Architecture::X86_64 => Arch::X64,
        other => return Err(CodeError::Unsupported(format!("architecture {other:?}"))),
    };
    let image_base = file.relative_address_base();
    let mut sections = Vec::new();
    let mut regions = Vec::new();
    let (mut lo, mut hi) = (u64::MAX, 0u64);
    for s in file.sections() {
        let name = s.name().unwrap_or("").to_string();
        let sdata = s.data().unwrap_or(&[]);
        let exec = match s.flags() {
            SectionFlags::Coff { characteristics } => {
                characteristics.intersects(object::pe::IMAGE_SCN_MEM_EXECUTE)
                    || characteristics.intersects(object::pe::IMAGE_SCN_CNT_CODE)
            }
            SectionFlags::Elf { sh_flags, .. } => sh_flags.intersects(object::elf::SHF_EXECINSTR),
            _ => s.kind() == object::SectionKind::Text,
        };
        let addr = s.address();
        // Only sections mapped at run time delimit "address-like" values.
        if s.size() > 0 && addr != 0 {
            lo = lo.min(addr);
            hi = hi.max(addr.saturating_add(s.size()));
        }
        if exec && !sdata.is_empty() {
            regions.push(Region {
                va: addr,
                data: sdata,
                section: sections.len(),
            });
        }
        sections.push(SectionReport {
            name,
            address: addr,
            size: sdata.len() as u64,
            executable: exec,
            entropy: if exec { entropy(sdata) } else { 0.0 },
            functions: 0,
            packed: false,
        });
    }
    regions.sort_by_key(|r| r.va);
    // Drop overlapping regions (hostile headers) so lookups stay unambiguous.
    let mut kept: Vec<Region> = Vec::with_capacity(regions.len());
    for r in regions {
        if let Some(last) = kept.last() {
            if r.va < last.va + last.data.len() as u64 {
                continue;
            }
        }
        kept.push(r);
    }
    let regions = kept;
    if lo > hi {
        lo = 0;
        hi = 0;
    }

    let mut seeds: Vec<(u64, FunctionSource)> = Vec::new();
    let entry = file.entry();
    let entry = if entry != 0 && (format == Format::Pe || entry >= lo) {
        Some(entry)
    } else {
        None
    };
    if let Some(e) = entry {
        seeds.push((e, FunctionSource::Entry));
    }
    if let Ok(exports) = file.exports() {
        for e in exports.flatten() {
            if let object::ExportTarget::Address { address } = e.target() {
                seeds.push((address, FunctionSource::Export));
            }
        }
    }
    for sym in file.symbols().chain(file.dynamic_symbols()) {
        if sym.kind() == object::SymbolKind::Text && sym.is_definition() && sym.address() != 0 {
            seeds.push((sym.address(), FunctionSource::Symbol));
        }
    }
    let file_imports = if format == Format::Pe {
        if arch == Arch::X64 {
            if let Ok(pe) = PeFile64::parse(data) {
                pe_pdata(&pe, image_base, &mut seeds);
            }
        }
        pe_file_imports(data)
    } else {
        elf_file_imports(&file)
    };
    let FileImports {
        set: imports,
        iat,
        warnings: import_warnings,
        names: import_names,
        exports,
    } = file_imports;

    let mut ex = Extractor {
        cfg,
        arch,
        regions: &regions,
        lo,
        hi,
        iat: &iat,
        decoded: 0,
        deadline: Instant::now() + cfg.time_budget,
        limits: Vec::new(),
        covered: regions
            .iter()
            .map(|r| vec![0u64; r.data.len().div_ceil(64)])
            .collect(),
    };
    let mut known: FastSet<u64> = FastSet::default();
    let mut queue: VecDeque<(u64, FunctionSource)> = VecDeque::new();
    for (a, src) in seeds {
        if ex.region_of(a).is_some() && known.insert(a) {
            queue.push_back((a, src));
        }
    }
    let mut functions: Vec<Function> = Vec::new();
    ex.drain(&mut queue, &mut known, &mut functions);

    // Mark packed sections before prologue scanning so that garbage is not scanned.
    let mut per_section = vec![0usize; sections.len()];
    for f in &functions {
        if let Some(ri) = ex.region_of(f.address) {
            per_section[regions[ri].section] += 1;
        }
    }
    for (i, s) in sections.iter_mut().enumerate() {
        if s.executable && s.size >= 4096 && s.entropy >= cfg.packed_entropy {
            // Real code sits around 5.5-6.8 bits/byte; at the threshold we also ask for few functions.
            s.packed = (per_section[i] as u64) < s.size / 8192 + 2;
        }
    }
    if cfg.prologue_scan && ex.limits.is_empty() {
        for ri in 0..regions.len() {
            if sections[regions[ri].section].packed {
                continue;
            }
            let cands = ex.prologue_candidates(ri);
            for a in cands {
                if ex.is_covered(a) || !known.insert(a) {
                    continue;
                }
                let before = functions.len();
                queue.push_back((a, FunctionSource::Prologue));
                ex.drain(&mut queue, &mut known, &mut functions);
                // A scanned candidate that decodes to garbage is dropped (its callees stay).
                if functions.len() > before {
                    let f = &functions[before];
                    if f.address == a && (f.has_invalid || f.tokens.len() < 3) {
                        functions.remove(before);
                    }
                }
                if !ex.limits.is_empty() {
                    break;
                }
            }
            if !ex.limits.is_empty() {
                break;
            }
        }
    }
    functions.sort_by_key(|f| f.address);
    for s in sections.iter_mut() {
        s.functions = 0;
    }
    for f in &functions {
        if let Some(ri) = ex.region_of(f.address) {
            sections[regions[ri].section].functions += 1;
        }
    }
    let packed = sections.iter().any(|s| s.packed);
    let mut limits = ex.limits.clone();
    limits.dedup();
    Ok(Extraction {
        format,
        arch,
        image_base,
        entry,
        functions,
        sections,
        limits_hit: limits,
        instructions_decoded: ex.decoded,
        packed,
        imports,
        import_warnings,
        strings: string_sketch_without(data, &import_names),
        exports,
    })
}

fn pe_pdata(pe: &PeFile64<'_>, image_base: u64, seeds: &mut Vec<(u64, FunctionSource)>) {
    let Some(dir) = pe.data_directory(object::pe::IMAGE_DIRECTORY_ENTRY_EXCEPTION) else {
        return;
    };
    let Ok(bytes) = dir.data(pe.data(), &pe.section_table()) else {
        return;
    };
    let mut prev = u32::MAX;
    for e in bytes.chunks_exact(12).take(2_000_000) {
        let begin = u32::from_le_bytes([e[0], e[1], e[2], e[3]]);
        let unwind = u32::from_le_bytes([e[8], e[9], e[10], e[11]]);
        // Chained unwind info (bit 0 set in the RVA of some linkers, or UNW_FLAG_CHAININFO) marks
        // a function fragment rather than a function; the unwind flags live in the unwind data,
        // which we read when cheap.
        if begin == 0 || begin == prev {
            continue;
        }
        prev = begin;
        if is_chained_unwind(pe, unwind) {
            continue;
        }
        seeds.push((
            image_base + u64::from(begin),
            FunctionSource::ExceptionTable,
        ));
    }
}

fn is_chained_unwind(pe: &PeFile64<'_>, unwind_rva: u32) -> bool {
    if unwind_rva & 1 != 0 {
        return true;
    }
    let table = pe.section_table();
    match table.pe_data_at(pe.data(), unwind_rva) {
        Some(d) if !d.is_empty() => (d[0] >> 3) & 0x4 != 0, // UNW_FLAG_CHAININFO
        _ => false,
    }
}

/// Shannon entropy of `data` in bits per byte.
pub fn entropy(data: &[u8]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    let mut counts = [0u64; 256];
    for &b in data {
        counts[b as usize] += 1;
    }
    let n = data.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

struct Extractor<'a> {
    cfg: &'a ExtractConfig,
    arch: Arch,
    regions: &'a [Region<'a>],
    lo: u64,
    hi: u64,
    iat: &'a FastMap<u64, u32>,
    decoded: u64,
    deadline: Instant,
    limits: Vec<LimitHit>,
    covered: Vec<Vec<u64>>,
}

impl<'a> Extractor<'a> {
    fn region_of(&self, a: u64) -> Option<usize> {
        let i = self.regions.partition_point(|r| r.va <= a);
        if i == 0 {
            return None;
        }
        let r = &self.regions[i - 1];
        (a - r.va < r.data.len() as u64).then_some(i - 1)
    }

    fn is_covered(&self, a: u64) -> bool {
        match self.region_of(a) {
            Some(ri) => {
                let off = (a - self.regions[ri].va) as usize;
                self.covered[ri][off / 64] >> (off % 64) & 1 != 0
            }
            None => true,
        }
    }

    fn cover(&mut self, a: u64, len: u8) {
        if let Some(ri) = self.region_of(a) {
            let r = &self.regions[ri];
            let start = (a - r.va) as usize;
            let end = (start + len as usize).min(r.data.len());
            let bits = &mut self.covered[ri];
            for off in start..end {
                bits[off / 64] |= 1 << (off % 64);
            }
        }
    }

    fn drain(
        &mut self,
        queue: &mut VecDeque<(u64, FunctionSource)>,
        known: &mut FastSet<u64>,
        out: &mut Vec<Function>,
    ) {
        while let Some((a, src)) = queue.pop_front() {
            if out.len() >= self.cfg.max_functions {
                self.limits.push(LimitHit::Functions);
                queue.clear();
                return;
            }
            if !self.limits.is_empty() {
                queue.clear();
                return;
            }
            if let Some(f) = self.function(a, src, known) {
                for &c in &f.calls {
                    if self.region_of(c).is_some() && known.insert(c) {
                        queue.push_back((c, FunctionSource::CallTarget));
                    }
                }
                out.push(f);
            }
        }
    }

    fn function(
        &mut self,
        start: u64,
        source: FunctionSource,
        known: &FastSet<u64>,
    ) -> Option<Function> {
        let bitness = self.arch.bitness();
        let mut ins: Vec<Ins> = Vec::new();
        let mut seen: FastMap<u64, u32> = FastMap::default();
        let mut leaders: FastSet<u64> = FastSet::default();
        let mut tables: Vec<u64> = Vec::new();
        let mut calls: Vec<u64> = Vec::new();
        let mut work = vec![start];
        leaders.insert(start);
        let mut has_invalid = false;
        let mut truncated = false;
        let mut instr = Instruction::default();
        'work: while let Some(a) = work.pop() {
            if seen.contains_key(&a) {
                continue;
            }
            let Some(ri) = self.region_of(a) else {
                continue;
            };
            let r = &self.regions[ri];
            let off = (a - r.va) as usize;
            let mut dec = Decoder::with_ip(bitness, &r.data[off..], a, DecoderOptions::NONE);
            while dec.can_decode() {
                let ip = dec.ip();
                if seen.contains_key(&ip) {
                    leaders.insert(ip);
                    break;
                }
                if ins.len() >= self.cfg.max_function_instructions
                    || leaders.len() >= self.cfg.max_function_blocks
                {
                    truncated = true;
                    break 'work;
                }
                if self.decoded >= self.cfg.max_file_instructions {
                    self.limits.push(LimitHit::FileInstructions);
                    truncated = true;
                    break 'work;
                }
                self.decoded += 1;
                if self.decoded & 0xfff == 0 && Instant::now() > self.deadline {
                    self.limits.push(LimitHit::Time);
                    truncated = true;
                    break 'work;
                }
                dec.decode_out(&mut instr);
                if instr.is_invalid() {
                    has_invalid = true;
                    break;
                }
                let token = self.token(&instr);
                let next = instr.next_ip();
                let flow = match instr.flow_control() {
                    FlowControl::Next | FlowControl::XbeginXabortXend => Flow::Next,
                    FlowControl::Call => {
                        calls.push(instr.near_branch_target());
                        Flow::Next
                    }
                    FlowControl::IndirectCall => Flow::Next,
                    FlowControl::Interrupt => {
                        if instr.mnemonic() == Mnemonic::Int3 {
                            Flow::End
                        } else {
                            Flow::Next
                        }
                    }
                    FlowControl::ConditionalBranch => {
                        let t = instr.near_branch_target();
                        if matches!(
                            instr.op0_kind(),
                            OpKind::NearBranch16 | OpKind::NearBranch32 | OpKind::NearBranch64
                        ) {
                            if t != start && known.contains(&t) {
                                calls.push(t);
                            } else {
                                work.push(t);
                                leaders.insert(t);
                            }
                        }
                        leaders.insert(next);
                        Flow::Cond(t)
                    }
                    FlowControl::UnconditionalBranch => {
                        let t = instr.near_branch_target();
                        if !matches!(
                            instr.op0_kind(),
                            OpKind::NearBranch16 | OpKind::NearBranch32 | OpKind::NearBranch64
                        ) {
                            Flow::End
                        } else if t != start && known.contains(&t) {
                            calls.push(t); // tail call
                            Flow::End
                        } else {
                            work.push(t);
                            leaders.insert(t);
                            Flow::Jump(t)
                        }
                    }
                    FlowControl::IndirectBranch => {
                        let first = tables.len() as u32;
                        self.jump_table(&instr, &mut tables);
                        let n = tables.len() as u32 - first;
                        for &t in &tables[first as usize..] {
                            if leaders.insert(t) {
                                work.push(t);
                            }
                        }
                        if n > 0 {
                            Flow::Table(first, n)
                        } else {
                            Flow::End
                        }
                    }
                    FlowControl::Return | FlowControl::Exception => Flow::End,
                };
                seen.insert(ip, ins.len() as u32);
                ins.push(Ins {
                    addr: ip,
                    len: instr.len() as u8,
                    flow,
                    token,
                });
                if matches!(flow, Flow::End | Flow::Jump(_) | Flow::Table(..)) {
                    break;
                }
            }
        }
        if ins.is_empty() {
            return None;
        }
        for i in &ins {
            self.cover(i.addr, i.len);
        }
        ins.sort_by_key(|i| i.addr);
        // Split into blocks.
        let mut blocks: Vec<BasicBlock> = Vec::new();
        let mut tokens = Vec::with_capacity(ins.len());
        let mut block_of: FastMap<u64, u32> = FastMap::default();
        let mut last_of_block: Vec<usize> = Vec::new();
        for (k, i) in ins.iter().enumerate() {
            let starts = match blocks.last() {
                None => true,
                Some(b) => {
                    let prev = &ins[k - 1];
                    leaders.contains(&i.addr)
                        || prev.addr + u64::from(prev.len) != i.addr
                        || prev.flow != Flow::Next
                        || b.address + u64::from(b.size) != i.addr
                }
            };
            if starts {
                block_of.insert(i.addr, blocks.len() as u32);
                blocks.push(BasicBlock {
                    address: i.addr,
                    size: 0,
                    first: tokens.len() as u32,
                    instructions: 0,
                });
                last_of_block.push(k);
            }
            let b = blocks.last_mut().expect("block exists");
            b.size += u32::from(i.len);
            b.instructions += 1;
            *last_of_block.last_mut().expect("block exists") = k;
            tokens.push(i.token);
        }
        let mut edges = Vec::new();
        for (bi, &k) in last_of_block.iter().enumerate() {
            let i = &ins[k];
            let next = i.addr + u64::from(i.len);
            let mut add = |t: u64| {
                if let Some(&to) = block_of.get(&t) {
                    edges.push((bi as u32, to));
                }
            };
            match i.flow {
                Flow::Next => add(next),
                Flow::Cond(t) => {
                    add(t);
                    add(next);
                }
                Flow::Jump(t) => add(t),
                Flow::Table(first, n) => {
                    for &t in &tables[first as usize..(first + n) as usize] {
                        add(t);
                    }
                }
                Flow::End => {}
            }
        }
        edges.sort_unstable();
        edges.dedup();
        calls.retain(|&c| c != start);
        calls.sort_unstable();
        calls.dedup();
        Some(Function {
            address: start,
            source,
            blocks,
            edges,
            calls,
            tokens,
            has_invalid,
            truncated,
        })
    }

    /// Reads an absolute jump table (`jmp [table + reg*scale]`) or an x64 MSVC-style relative
    /// table is not followed (its base register is computed at run time); entries must point
    /// into executable code, and reading stops at the first one that does not.
    fn jump_table(&self, instr: &Instruction, out: &mut Vec<u64>) {
        if instr.op_count() != 1 || instr.op0_kind() != OpKind::Memory {
            return;
        }
        let scale = instr.memory_index_scale();
        if instr.memory_index() == Register::None || instr.memory_base() != Register::None {
            return;
        }
        let width = match self.arch {
            Arch::X86 => 4,
            Arch::X64 => 8,
        };
        if scale as usize != width {
            return;
        }
        let table = instr.memory_displacement64();
        let mut seen = FastSet::default();
        for k in 0..self.cfg.max_jump_table_entries as u64 {
            let Some(t) = self.read_ptr(table + k * width as u64, width) else {
                break;
            };
            if self.region_of(t).is_none() {
                break;
            }
            if seen.insert(t) {
                out.push(t);
            }
        }
    }

    fn read_ptr(&self, a: u64, width: usize) -> Option<u64> {
        let ri = self.region_of(a)?;
        let r = &self.regions[ri];
        let off = (a - r.va) as usize;
        let b = r.data.get(off..off + width)?;
        Some(if width == 4 {
            u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        } else {
            u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
        })
    }

    fn addr_like(&self, v: u64) -> bool {
        v >= self.lo && v < self.hi && v >= 0x1000
    }

    /// Normalised token of one instruction: mnemonic plus operand shapes, with addresses,
    /// address-like immediates, stack offsets and register allocation masked.
    fn token(&self, instr: &Instruction) -> u32 {
        let mut h = fold(0x51, instr.mnemonic() as u64);
        for op in 0..instr.op_count() {
            let v: u64 = match instr.op_kind(op) {
                OpKind::Register => reg_class(instr.op_register(op)),
                OpKind::NearBranch16 | OpKind::NearBranch32 | OpKind::NearBranch64 => 0x100,
                OpKind::FarBranch16 | OpKind::FarBranch32 => 0x101,
                OpKind::Immediate8
                | OpKind::Immediate8_2nd
                | OpKind::Immediate16
                | OpKind::Immediate32
                | OpKind::Immediate64
                | OpKind::Immediate8to16
                | OpKind::Immediate8to32
                | OpKind::Immediate8to64
                | OpKind::Immediate32to64 => {
                    let imm = instr.immediate(op);
                    if self.addr_like(imm) {
                        0x102
                    } else {
                        fold(0x103, imm)
                    }
                }
                OpKind::Memory => self.mem_class(instr),
                other => 0x200 + other as u64,
            };
            h = fold(h, v);
        }
        let t = mix64(h) as u32;
        t | 1
    }

    fn mem_class(&self, instr: &Instruction) -> u64 {
        let size = instr.memory_size() as u64;
        let base = instr.memory_base();
        let index = instr.memory_index();
        let addr = if instr.is_ip_rel_memory_operand() {
            Some(instr.ip_rel_memory_address())
        } else if base == Register::None && index == Register::None {
            Some(instr.memory_displacement64())
        } else {
            None
        };
        if let Some(a) = addr {
            if let Some(&imp) = self.iat.get(&a) {
                return fold(0x300, u64::from(imp));
            }
            return fold(0x301, size);
        }
        let b = if base == Register::None {
            0
        } else {
            reg_class(base)
        };
        let x = if index == Register::None {
            0
        } else {
            reg_class(index) ^ (u64::from(instr.memory_index_scale()) << 16)
        };
        let disp = instr.memory_displacement64();
        let stack = matches!(
            base.full_register(),
            Register::RSP | Register::RBP | Register::ESP | Register::EBP
        );
        let d = if stack {
            0x400
        } else if self.addr_like(disp) || (disp as i64).unsigned_abs() >= 0x1_0000 {
            0x401
        } else {
            disp
        };
        fold(fold(fold(fold(0x302, size), b), x), d)
    }

    /// Executable addresses not yet covered that look like function starts.
    fn prologue_candidates(&self, ri: usize) -> Vec<u64> {
        let r = &self.regions[ri];
        let d = r.data;
        let mut out = Vec::new();
        let mut i = 0usize;
        while i + 4 <= d.len() {
            let prev = if i == 0 { 0xcc } else { d[i - 1] };
            let boundary = matches!(prev, 0xcc | 0x90 | 0xc3 | 0x00) || i % 16 == 0;
            if boundary
                && self.covered[ri][i / 64] >> (i % 64) & 1 == 0
                && is_prologue(self.arch, &d[i..])
            {
                out.push(r.va + i as u64);
            }
            i += 1;
        }
        out
    }
}

fn is_prologue(arch: Arch, b: &[u8]) -> bool {
    let starts = |p: &[u8]| b.len() >= p.len() && &b[..p.len()] == p;
    match arch {
        Arch::X86 => {
            starts(&[0x55, 0x8b, 0xec])
                || starts(&[0x8b, 0xff, 0x55, 0x8b, 0xec])
                || starts(&[0x55, 0x89, 0xe5])
                || starts(&[0x53, 0x56, 0x57])
                || starts(&[0x83, 0xec])
                || starts(&[0x56, 0x8b, 0xf1])
        }
        Arch::X64 => {
            starts(&[0x48, 0x89, 0x5c, 0x24])
                || starts(&[0x48, 0x89, 0x4c, 0x24])
                || starts(&[0x48, 0x89, 0x54, 0x24])
                || starts(&[0x4c, 0x89, 0x44, 0x24])
                || starts(&[0x48, 0x83, 0xec])
                || starts(&[0x48, 0x81, 0xec])
                || starts(&[0x40, 0x53])
                || starts(&[0x40, 0x55])
                || starts(&[0x40, 0x56])
                || starts(&[0x40, 0x57])
                || starts(&[0x48, 0x8b, 0xc4])
                || starts(&[0x55, 0x48, 0x89, 0xe5])
                || starts(&[0x41, 0x57, 0x41, 0x56])
                || starts(&[0x41, 0x56, 0x41, 0x55])
                || starts(&[0x41, 0x54, 0x55])
                || starts(&[0xf3, 0x0f, 0x1e, 0xfa])
        }
    }
}

/// Register class: general-purpose registers collapse to their size (allocation masked),
/// except the stack and frame pointers; other registers keep their kind and size.
fn reg_class(r: Register) -> u64 {
    if r.is_gpr() {
        match r.full_register() {
            Register::RSP | Register::ESP => 0x10 + r.size() as u64,
            Register::RBP | Register::EBP => 0x20 + r.size() as u64,
            _ => 0x30 + r.size() as u64,
        }
    } else if r.is_segment_register() {
        0x40 + r as u64
    } else if r == Register::RIP || r == Register::EIP {
        0x50
    } else {
        0x60 + r.size() as u64
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn names_every_file_of_its_kind_exports_are_left_out() {
        let set = super::hash_export_names(
            [
                "PyInit_foo",
                "DllRegisterServer",
                "_init",
                "__bss_start",
                "_end",
            ]
            .map(str::as_bytes),
        );
        assert_eq!(set, vec![super::export_key(b"PyInit_foo")]);
        assert!(!super::is_generic_export(b"_end_of_data"));
        assert!(!super::is_generic_export(b"dllregisterserver"));
    }

    #[test]
    fn string_sketch_reads_narrow_and_wide_strings_alike_and_stays_bounded() {
        let narrow = b"\x00\x01hello_world\x00ab\x00";
        let wide: Vec<u8> = b"\x00\x01"
            .iter()
            .copied()
            .chain("hello_world".bytes().flat_map(|b| [b, 0]))
            .chain([0, 0])
            .collect();
        let a = string_sketch(narrow);
        assert_eq!(a.len(), 1, "one string of six or more characters");
        assert_eq!(a, string_sketch(&wide), "wide and narrow are one string");
        assert!(string_sketch(b"short\x00abc").is_empty());
        // many strings: the sketch keeps STRING_SKETCH of them, sorted and distinct
        let mut many = Vec::new();
        for i in 0..5000 {
            many.extend_from_slice(format!("string number {i}\x00").as_bytes());
        }
        let s = string_sketch(&many);
        assert_eq!(s.len(), STRING_SKETCH);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn string_sketch_without_leaves_out_exactly_the_named_strings() {
        let data = b"\x00PyObject_GetAttr\x00python312.dll\x00mypkg.mymodule\x00\x01\x00\
                     P\x00y\x00O\x00b\x00j\x00e\x00c\x00t\x00_\x00G\x00e\x00t\x00A\x00t\x00t\x00r\x00\x00\x00";
        let all = string_sketch(data);
        assert_eq!(all.len(), 3, "the wide copy is the same string");
        let own = string_sketch_without(data, &["PyObject_GetAttr", "python312.dll"]);
        assert_eq!(own, string_sketch(b"\x00mypkg.mymodule\x00"));
        // a name that is only part of a string leaves the string in
        assert_eq!(string_sketch_without(data, &["mypkg"]), all);
        assert_eq!(string_sketch_without::<&str>(data, &[]), all);
    }

    #[test]
    fn sketch_jaccard_is_exact_below_the_sketch_size_and_close_above_it() {
        let set = |r: std::ops::Range<u32>| {
            let mut b = Vec::new();
            for i in r {
                b.extend_from_slice(format!("identifier_{i}\x00").as_bytes());
            }
            string_sketch(&b)
        };
        // 100 and 100 strings sharing 50: J = 50 / 150
        let j = sketch_jaccard(&set(0..100), &set(50..150));
        assert!((j - 1.0 / 3.0).abs() < 1e-9, "{j}");
        assert_eq!(sketch_jaccard(&set(0..10), &[]), 0.0);
        assert_eq!(sketch_jaccard(&set(0..10), &set(0..10)), 1.0);
        // 4,000 and 4,000 sharing 2,000: J = 1/3, estimated from 256 hashes
        let j = sketch_jaccard(&set(0..4000), &set(2000..6000));
        assert!((j - 1.0 / 3.0).abs() < 0.1, "{j}");
        assert_eq!(sketch_jaccard(&set(0..4000), &set(5000..9000)), 0.0);
    }

    #[test]
    fn import_keys_fold_case_dll_suffix_and_python_versions() {
        use super::import_key;
        assert_eq!(
            import_key("KERNEL32.dll", "CreateFileW"),
            import_key("kernel32", "createfilew")
        );
        assert_eq!(
            import_key("python311.dll", "PyArg_ParseTuple"),
            import_key("PYTHON38.DLL", "PyArg_ParseTuple")
        );
        assert_ne!(
            import_key("kernel32.dll", "CreateFileW"),
            import_key("kernel32.dll", "CreateFileA")
        );
        assert_ne!(import_key("a.dll", "b.c"), import_key("a.b.dll", "c"));
    }

    use super::*;

    #[test]
    fn entropy_bounds() {
        assert_eq!(entropy(&[]), 0.0);
        assert_eq!(entropy(&[7; 100]), 0.0);
        let all: Vec<u8> = (0..=255).collect();
        assert!((entropy(&all) - 8.0).abs() < 1e-9);
    }

    #[test]
    fn register_allocation_is_masked() {
        assert_eq!(reg_class(Register::EAX), reg_class(Register::ESI));
        assert_ne!(reg_class(Register::EAX), reg_class(Register::RAX));
        assert_ne!(reg_class(Register::RAX), reg_class(Register::RSP));
    }

    #[test]
    fn non_executable_input_is_an_error() {
        assert!(matches!(
            extract(b"not a binary", &ExtractConfig::default()),
            Err(CodeError::Parse(_))
        ));
    }
}
