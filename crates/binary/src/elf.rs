//! ELF artifacts, read with the `object` crate's low-level ELF API.

use crate::{hashes, InspectOptions};
use object::elf;
use object::read::elf::{Dyn, FileHeader, SectionHeader, Sym};
use object::{Endianness, FileKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Symbol names kept per list (counts stay exact).
const MAX_SYMBOL_NAMES: usize = 4096;
/// `.comment` strings kept.
const MAX_COMMENTS: usize = 32;

/// Why an ELF could not be parsed at all.
#[derive(Debug, thiserror::Error)]
pub enum ElfError {
    /// Header or section table unreadable.
    #[error("{0}")]
    Headers(String),
}

/// One ELF section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElfSection {
    /// Name from the section-name string table.
    pub name: String,
    /// sh_type.
    pub kind: u32,
    /// sh_addr.
    pub address: u64,
    /// sh_offset.
    pub offset: u64,
    /// sh_size.
    pub size: u64,
    /// sh_flags.
    pub flags: u64,
    /// Entropy of the file bytes (none for NOBITS); `None` when off.
    pub entropy: Option<f64>,
}

/// Everything read from an ELF file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElfInfo {
    /// 64-bit class.
    pub is_64: bool,
    /// Little-endian.
    pub little_endian: bool,
    /// Machine, named as LIEF names it (`X86_64`, `I386`, `AARCH64`, `ARM`…).
    pub machine: String,
    /// e_type as LIEF names it (`DYN`, `EXEC`, `REL`, `CORE`, `NONE`).
    pub elf_type: String,
    /// GNU build-id (NT_GNU_BUILD_ID), hex.
    pub build_id: Option<String>,
    /// NUL-separated strings of `.comment` (compiler and linker banners).
    pub comment: Vec<String>,
    /// DT_NEEDED in order.
    pub needed: Vec<String>,
    /// DT_SONAME.
    pub soname: Option<String>,
    /// DT_RPATH / DT_RUNPATH values.
    pub rpath: Vec<String>,
    /// Program interpreter (PT_INTERP).
    pub interpreter: Option<String>,
    /// Functions exported, LIEF-style count (over `.dynsym` and `.symtab`).
    pub exported_functions: u32,
    /// Functions imported, LIEF-style count.
    pub imported_functions: u32,
    /// Names of undefined dynamic symbols (imports), bounded.
    pub imported_symbols: Vec<String>,
    /// Names of defined global dynamic symbols (exports), bounded.
    pub exported_symbols: Vec<String>,
    /// A `.symtab` section exists (not stripped).
    pub has_symtab: bool,
    /// Some `.debug_*` section exists.
    pub has_debug_info: bool,
    /// Sections in header order.
    pub sections: Vec<ElfSection>,
}

/// Parse an ELF file.
pub fn parse(
    data: &[u8],
    opts: &InspectOptions,
    warnings: &mut Vec<String>,
) -> Result<ElfInfo, ElfError> {
    match FileKind::parse(data) {
        Ok(FileKind::Elf32) => parse_t::<elf::FileHeader32<Endianness>>(data, opts, warnings),
        Ok(FileKind::Elf64) => parse_t::<elf::FileHeader64<Endianness>>(data, opts, warnings),
        Ok(_) => Err(ElfError::Headers("not an ELF file".into())),
        Err(e) => Err(ElfError::Headers(e.to_string())),
    }
}

fn machine_name(m: elf::Machine) -> String {
    match m {
        elf::EM_386 => "I386".into(),
        elf::EM_X86_64 => "X86_64".into(),
        elf::EM_AARCH64 => "AARCH64".into(),
        elf::EM_ARM => "ARM".into(),
        elf::EM_MIPS => "MIPS".into(),
        elf::EM_PPC => "PPC".into(),
        elf::EM_PPC64 => "PPC64".into(),
        elf::EM_RISCV => "RISCV".into(),
        elf::EM_S390 => "S390".into(),
        elf::EM_SPARCV9 => "SPARCV9".into(),
        elf::EM_LOONGARCH => "LOONGARCH".into(),
        other => format!("EM_{}", other.0),
    }
}

fn type_name(t: elf::FileType) -> String {
    match t {
        elf::ET_NONE => "NONE".into(),
        elf::ET_REL => "REL".into(),
        elf::ET_EXEC => "EXEC".into(),
        elf::ET_DYN => "DYN".into(),
        elf::ET_CORE => "CORE".into(),
        o => format!("ET_{}", o.0),
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn parse_t<Elf: FileHeader<Endian = Endianness>>(
    data: &[u8],
    opts: &InspectOptions,
    warnings: &mut Vec<String>,
) -> Result<ElfInfo, ElfError> {
    let h = Elf::parse(data).map_err(|e| ElfError::Headers(e.to_string()))?;
    let endian = h.endian().map_err(|e| ElfError::Headers(e.to_string()))?;
    let mut info = ElfInfo {
        is_64: h.is_type_64(),
        little_endian: object::Endian::is_little_endian(endian),
        machine: machine_name(h.e_machine(endian)),
        elf_type: type_name(h.e_type(endian)),
        build_id: None,
        comment: Vec::new(),
        needed: Vec::new(),
        soname: None,
        rpath: Vec::new(),
        interpreter: None,
        exported_functions: 0,
        imported_functions: 0,
        imported_symbols: Vec::new(),
        exported_symbols: Vec::new(),
        has_symtab: false,
        has_debug_info: false,
        sections: Vec::new(),
    };
    if let Ok(phdrs) = h.program_headers(endian, data) {
        for ph in phdrs {
            use object::read::elf::ProgramHeader;
            if ph.p_type(endian) == elf::PT_INTERP {
                if let Ok(d) = ph.data(endian, data) {
                    info.interpreter = Some(lossy(crate::rd::cstr(d, 0, 4096).unwrap_or(&[])));
                }
            }
            if info.build_id.is_none() {
                if let Ok(Some(mut notes)) = ph.notes(endian, data) {
                    while let Ok(Some(n)) = notes.next() {
                        if n.name() == elf::ELF_NOTE_GNU && n.n_type(endian) == elf::NT_GNU_BUILD_ID
                        {
                            info.build_id = Some(hashes::hex(n.desc()));
                        }
                    }
                }
            }
        }
    }
    let sections = match h.sections(endian, data) {
        Ok(s) => s,
        Err(e) => {
            warnings.push(format!("section table: {e}"));
            return Ok(info);
        }
    };
    for s in sections.iter() {
        let name = sections
            .section_name(endian, s)
            .map(lossy)
            .unwrap_or_default();
        let kind = s.sh_type(endian);
        let entropy = if opts.section_entropy && kind != elf::SHT_NOBITS {
            Some(hashes::entropy(s.data(endian, data).unwrap_or(&[])))
        } else {
            None
        };
        if name == ".symtab" {
            info.has_symtab = true;
        }
        if name.starts_with(".debug_") {
            info.has_debug_info = true;
        }
        if name == ".comment" {
            if let Ok(d) = s.data(endian, data) {
                for c in d.split(|&b| b == 0).filter(|c| !c.is_empty()) {
                    let c = lossy(c);
                    if info.comment.len() < MAX_COMMENTS && !info.comment.contains(&c) {
                        info.comment.push(c);
                    }
                }
            }
        }
        if info.build_id.is_none() && kind == elf::SHT_NOTE {
            if let Ok(Some(mut notes)) = s.notes(endian, data) {
                while let Ok(Some(n)) = notes.next() {
                    if n.name() == elf::ELF_NOTE_GNU && n.n_type(endian) == elf::NT_GNU_BUILD_ID {
                        info.build_id = Some(hashes::hex(n.desc()));
                    }
                }
            }
        }
        if kind == elf::SHT_DYNAMIC {
            if let Ok(Some((dyns, link))) = s.dynamic(endian, data) {
                let strs = sections.strings(endian, data, link).ok();
                for d in dyns.iter().take(65536) {
                    let tag = d.d_tag(endian);
                    if tag == elf::DT_NULL {
                        break;
                    }
                    let val: u64 = d.d_val(endian).into();
                    let get = || {
                        strs.as_ref()
                            .and_then(|t| t.get(val as u32).ok())
                            .map(lossy)
                    };
                    match tag {
                        elf::DT_NEEDED => info.needed.extend(get()),
                        elf::DT_SONAME => info.soname = get(),
                        elf::DT_RPATH | elf::DT_RUNPATH => info.rpath.extend(get()),
                        _ => {}
                    }
                }
            }
        }
        info.sections.push(ElfSection {
            name,
            kind: kind.0,
            address: s.sh_addr(endian).into(),
            offset: s.sh_offset(endian).into(),
            size: s.sh_size(endian).into(),
            flags: s.sh_flags(endian).0,
            entropy,
        });
    }
    let mut imp_names = BTreeSet::new();
    let mut exp_names = BTreeSet::new();
    for table_kind in [elf::SHT_DYNSYM, elf::SHT_SYMTAB] {
        let syms = match sections.symbols(endian, data, table_kind) {
            Ok(t) => t,
            Err(e) => {
                warnings.push(format!("symbol table: {e}"));
                continue;
            }
        };
        for sym in syms.iter() {
            let bind = sym.st_bind();
            let ty = sym.st_type();
            let undef = sym.st_shndx(endian) == elf::SHN_UNDEF;
            let value: u64 = sym.st_value(endian).into();
            let size: u64 = sym.st_size(endian).into();
            let global = matches!(bind, elf::STB_GLOBAL | elf::STB_WEAK | elf::STB_GNU_UNIQUE);
            let func = matches!(ty, elf::STT_FUNC | elf::STT_GNU_IFUNC);
            let name = sym
                .name(endian, syms.strings())
                .map(lossy)
                .unwrap_or_default();
            if name.is_empty() {
                continue;
            }
            if !undef && global && (value != 0 || size > 0) && func {
                info.exported_functions += 1;
                if table_kind == elf::SHT_DYNSYM && exp_names.len() < MAX_SYMBOL_NAMES {
                    exp_names.insert(name.clone());
                }
            }
            if undef && global && func {
                info.imported_functions += 1;
            }
            if undef
                && global
                && table_kind == elf::SHT_DYNSYM
                && imp_names.len() < MAX_SYMBOL_NAMES
            {
                imp_names.insert(name);
            }
        }
    }
    info.imported_symbols = imp_names.into_iter().collect();
    info.exported_symbols = exp_names.into_iter().collect();
    Ok(info)
}
