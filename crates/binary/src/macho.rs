//! Mach-O artifacts (thin and fat), read with the `object` crate.

use object::macho;
use object::read::macho::{
    FatArch, LoadCommandVariant, MachHeader, MachOFatFile32, MachOFatFile64,
};
use object::{Endianness, FileKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Load commands walked per slice at most.
const MAX_LOAD_COMMANDS: usize = 4096;
/// Slices of a fat file read at most.
const MAX_SLICES: usize = 16;

/// Why a Mach-O could not be parsed at all.
#[derive(Debug, thiserror::Error)]
pub enum MachoError {
    /// Header unreadable.
    #[error("{0}")]
    Headers(String),
}

/// One architecture slice (the whole file for a thin Mach-O).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachoSlice {
    /// Architecture name (`x86_64`, `arm64`, `i386`, `arm`, `ppc`, …).
    pub arch: String,
    /// File offset of the slice.
    pub offset: u64,
    /// Size of the slice.
    pub size: u64,
    /// mh_filetype (2 = EXECUTE, 6 = DYLIB, 8 = BUNDLE, …).
    pub file_type: u32,
    /// Load command name → how many times it occurs.
    pub load_commands: BTreeMap<String, u32>,
    /// Linked dylibs (LC_LOAD_DYLIB, weak, re-export, lazy, upward).
    pub libraries: Vec<String>,
    /// LC_ID_DYLIB.
    pub install_name: Option<String>,
    /// LC_UUID, hex.
    pub uuid: Option<String>,
    /// LC_CODE_SIGNATURE present.
    pub code_signature: bool,
    /// LC_RPATH values.
    pub rpaths: Vec<String>,
}

/// Everything read from a Mach-O file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachoInfo {
    /// Fat (universal) container.
    pub fat: bool,
    /// Slices.
    pub slices: Vec<MachoSlice>,
}

fn cpu_name(cpu: macho::CpuType) -> String {
    match cpu {
        macho::CPU_TYPE_X86 => "i386".into(),
        macho::CPU_TYPE_X86_64 => "x86_64".into(),
        macho::CPU_TYPE_ARM => "arm".into(),
        macho::CPU_TYPE_ARM64 => "arm64".into(),
        macho::CPU_TYPE_ARM64_32 => "arm64_32".into(),
        macho::CPU_TYPE_POWERPC => "ppc".into(),
        macho::CPU_TYPE_POWERPC64 => "ppc64".into(),
        o => format!("cpu_{:#x}", o.0),
    }
}

fn lc_name(cmd: macho::LoadCommandType) -> String {
    let n = match cmd {
        macho::LC_SEGMENT => "SEGMENT",
        macho::LC_SEGMENT_64 => "SEGMENT_64",
        macho::LC_SYMTAB => "SYMTAB",
        macho::LC_DYSYMTAB => "DYSYMTAB",
        macho::LC_LOAD_DYLIB => "LOAD_DYLIB",
        macho::LC_LOAD_WEAK_DYLIB => "LOAD_WEAK_DYLIB",
        macho::LC_REEXPORT_DYLIB => "REEXPORT_DYLIB",
        macho::LC_LAZY_LOAD_DYLIB => "LAZY_LOAD_DYLIB",
        macho::LC_LOAD_UPWARD_DYLIB => "LOAD_UPWARD_DYLIB",
        macho::LC_ID_DYLIB => "ID_DYLIB",
        macho::LC_LOAD_DYLINKER => "LOAD_DYLINKER",
        macho::LC_UUID => "UUID",
        macho::LC_CODE_SIGNATURE => "CODE_SIGNATURE",
        macho::LC_RPATH => "RPATH",
        macho::LC_MAIN => "MAIN",
        macho::LC_UNIXTHREAD => "UNIXTHREAD",
        macho::LC_DYLD_INFO => "DYLD_INFO",
        macho::LC_DYLD_INFO_ONLY => "DYLD_INFO_ONLY",
        macho::LC_FUNCTION_STARTS => "FUNCTION_STARTS",
        macho::LC_DATA_IN_CODE => "DATA_IN_CODE",
        macho::LC_SOURCE_VERSION => "SOURCE_VERSION",
        macho::LC_BUILD_VERSION => "BUILD_VERSION",
        macho::LC_VERSION_MIN_MACOSX => "VERSION_MIN_MACOSX",
        macho::LC_VERSION_MIN_IPHONEOS => "VERSION_MIN_IPHONEOS",
        macho::LC_ENCRYPTION_INFO => "ENCRYPTION_INFO",
        macho::LC_ENCRYPTION_INFO_64 => "ENCRYPTION_INFO_64",
        macho::LC_DYLD_EXPORTS_TRIE => "DYLD_EXPORTS_TRIE",
        macho::LC_DYLD_CHAINED_FIXUPS => "DYLD_CHAINED_FIXUPS",
        _ => return format!("LC_{:#x}", cmd.0),
    };
    format!("LC_{n}")
}

/// Parse a thin or fat Mach-O.
pub fn parse(data: &[u8], warnings: &mut Vec<String>) -> Result<MachoInfo, MachoError> {
    let kind = FileKind::parse(data).map_err(|e| MachoError::Headers(e.to_string()))?;
    let mut slices = Vec::new();
    let fat = matches!(kind, FileKind::MachOFat32 | FileKind::MachOFat64);
    let ranges: Vec<(u64, u64)> = match kind {
        FileKind::MachOFat32 => MachOFatFile32::parse(data)
            .map_err(|e| MachoError::Headers(e.to_string()))?
            .arches()
            .iter()
            .map(|a| (a.offset().into(), a.size().into()))
            .collect(),
        FileKind::MachOFat64 => MachOFatFile64::parse(data)
            .map_err(|e| MachoError::Headers(e.to_string()))?
            .arches()
            .iter()
            .map(|a| (a.offset(), a.size()))
            .collect(),
        FileKind::MachO32 | FileKind::MachO64 => vec![(0, data.len() as u64)],
        _ => return Err(MachoError::Headers("not a Mach-O file".into())),
    };
    if ranges.len() > MAX_SLICES {
        warnings.push(format!("{} slices; first {MAX_SLICES} read", ranges.len()));
    }
    for (off, size) in ranges.into_iter().take(MAX_SLICES) {
        let Some(slice) = usize::try_from(off)
            .ok()
            .zip(usize::try_from(off.saturating_add(size)).ok())
            .and_then(|(a, b)| data.get(a..b))
        else {
            warnings.push(format!(
                "slice at {off:#x} (+{size:#x}) is outside the file"
            ));
            continue;
        };
        let r = match FileKind::parse(slice) {
            Ok(FileKind::MachO32) => {
                slice_info::<macho::MachHeader32<Endianness>>(slice, off, warnings)
            }
            Ok(FileKind::MachO64) => {
                slice_info::<macho::MachHeader64<Endianness>>(slice, off, warnings)
            }
            _ => Err(MachoError::Headers(format!(
                "slice at {off:#x} is not a Mach-O image"
            ))),
        };
        match r {
            Ok(s) => slices.push(s),
            Err(e) => warnings.push(e.to_string()),
        }
    }
    Ok(MachoInfo { fat, slices })
}

fn slice_info<Mach: MachHeader<Endian = Endianness>>(
    data: &[u8],
    off: u64,
    warnings: &mut Vec<String>,
) -> Result<MachoSlice, MachoError> {
    let h = Mach::parse(data, 0).map_err(|e| MachoError::Headers(e.to_string()))?;
    let endian = h.endian().map_err(|e| MachoError::Headers(e.to_string()))?;
    let mut s = MachoSlice {
        arch: cpu_name(h.cputype(endian)),
        offset: off,
        size: data.len() as u64,
        file_type: h.filetype(endian).0,
        load_commands: BTreeMap::new(),
        libraries: Vec::new(),
        install_name: None,
        uuid: None,
        code_signature: false,
        rpaths: Vec::new(),
    };
    let mut cmds = match h.load_commands(endian, data, 0) {
        Ok(c) => c,
        Err(e) => {
            warnings.push(format!("load commands: {e}"));
            return Ok(s);
        }
    };
    let mut n = 0;
    loop {
        let lc = match cmds.next() {
            Ok(Some(lc)) => lc,
            Ok(None) => break,
            Err(e) => {
                warnings.push(format!("load command {n}: {e}"));
                break;
            }
        };
        n += 1;
        if n > MAX_LOAD_COMMANDS {
            warnings.push(format!("more than {MAX_LOAD_COMMANDS} load commands"));
            break;
        }
        let cmd = lc.cmd();
        *s.load_commands.entry(lc_name(cmd)).or_insert(0) += 1;
        if cmd == macho::LC_CODE_SIGNATURE {
            s.code_signature = true;
        }
        match lc.variant() {
            Ok(LoadCommandVariant::Dylib(d)) => {
                if let Ok(name) = lc.string(endian, d.dylib.name) {
                    if s.libraries.len() < 4096 {
                        s.libraries.push(String::from_utf8_lossy(name).into_owned());
                    }
                }
            }
            Ok(LoadCommandVariant::IdDylib(d)) => {
                if let Ok(name) = lc.string(endian, d.dylib.name) {
                    s.install_name = Some(String::from_utf8_lossy(name).into_owned());
                }
            }
            Ok(LoadCommandVariant::Uuid(u)) => s.uuid = Some(crate::hashes::hex(&u.uuid)),
            Ok(LoadCommandVariant::Rpath(r)) => {
                if let Ok(p) = lc.string(endian, r.path) {
                    s.rpaths.push(String::from_utf8_lossy(p).into_owned());
                }
            }
            _ => {}
        }
    }
    Ok(s)
}
