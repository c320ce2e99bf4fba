//! ELF and Mach-O parsing on the crate's generated fixtures.

use ascribe_binary::fixture::{elf_so, macho_dylib, macho_fat};
use ascribe_binary::{inspect_bytes, Format, InspectOptions};

#[test]
fn elf_fixture() {
    let id = [0x42u8; 20];
    let r = inspect_bytes(&elf_so(&id), &InspectOptions::default());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.format, Format::Elf);
    assert_eq!(r.arch.as_deref(), Some("X86_64"));
    let e = r.elf.unwrap();
    assert!(e.is_64 && e.little_endian);
    assert_eq!(e.elf_type, "DYN");
    assert_eq!(e.build_id.as_deref(), Some("42".repeat(20).as_str()));
    assert_eq!(e.needed, vec!["libc.so.6"]);
    assert_eq!(e.soname.as_deref(), Some("libfixture.so.1"));
    assert_eq!(e.comment, vec!["GCC: (GNU) 12.2.0"]);
    assert_eq!(e.imported_symbols, vec!["puts"]);
    assert_eq!(e.exported_symbols, vec!["fixture_init"]);
    assert_eq!(e.imported_functions, 1);
    assert_eq!(e.exported_functions, 1);
    assert!(!e.has_symtab);
    assert_eq!(e.sections.len(), 8);
    assert_eq!(e.sections[1].name, ".text");
    assert!(e.sections[1].entropy.unwrap() > 0.0);
}

#[test]
fn macho_thin_and_fat() {
    let r = inspect_bytes(&macho_dylib(0x0100_000c, true), &InspectOptions::default());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.format, Format::Macho);
    assert_eq!(r.arch.as_deref(), Some("arm64"));
    let m = r.macho.unwrap();
    assert!(!m.fat);
    let s = &m.slices[0];
    assert_eq!(s.libraries, vec!["/usr/lib/libSystem.B.dylib"]);
    assert_eq!(s.install_name.as_deref(), Some("@rpath/libfixture.dylib"));
    assert_eq!(s.uuid.as_deref(), Some("5a".repeat(16).as_str()));
    assert_eq!(s.rpaths, vec!["@loader_path/../lib"]);
    assert!(s.code_signature);
    assert_eq!(s.load_commands.get("LC_LOAD_DYLIB"), Some(&1));
    assert_eq!(s.file_type, 6);

    let r = inspect_bytes(&macho_fat(), &InspectOptions::default());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.format, Format::MachoFat);
    assert_eq!(r.arch.as_deref(), Some("x86_64+arm64"));
    let m = r.macho.unwrap();
    assert!(m.fat);
    assert_eq!(m.slices.len(), 2);
    assert!(m.slices[0].code_signature);
    assert!(!m.slices[1].code_signature);
    assert_eq!(m.slices[1].offset, 0x2000);
}

#[test]
fn truncated_elf_and_macho_warn() {
    let elf = elf_so(&[1; 20]);
    for cut in [4usize, 20, 63, 64, 200, elf.len() - 1] {
        let r = inspect_bytes(&elf[..cut], &InspectOptions::default());
        assert!(!r.warnings.is_empty() || r.elf.is_some(), "cut {cut}");
    }
    let m = macho_fat();
    let r = inspect_bytes(&m[..0x2010], &InspectOptions::default());
    assert!(!r.warnings.is_empty());
    assert_eq!(r.macho.unwrap().slices.len(), 1);
}
