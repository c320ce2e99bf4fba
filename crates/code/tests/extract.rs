mod common;

use ascribe_code::{extract, sign_function, ExtractConfig, FunctionSource, SignatureConfig};
use common::{body, elf64, TEXT_VA};

#[test]
fn recursive_descent_finds_entry_calls_and_blocks() {
    // entry: test edi, edi; je L; call f; L: ret ; padding ; f: body
    let mut code = vec![0x85, 0xff, 0x74, 0x05, 0xe8, 0, 0, 0, 0, 0xc3];
    while code.len() < 0x20 {
        code.push(0xcc);
    }
    let f_off = code.len() as i32;
    let rel = f_off - 9; // call at 4, next ip 9
    code[5..9].copy_from_slice(&rel.to_le_bytes());
    code.extend(body(12, 0, 1));
    let x = extract(&elf64(&code, 0, &[]), &ExtractConfig::default()).unwrap();
    let addrs: Vec<u64> = x.functions.iter().map(|f| f.address).collect();
    assert_eq!(addrs, vec![TEXT_VA, TEXT_VA + 0x20]);
    let entry = &x.functions[0];
    assert_eq!(entry.source, FunctionSource::Entry);
    // test/je | call | ret (the call block falls through into the branch target)
    assert_eq!(entry.blocks.len(), 3, "{:?}", entry.blocks);
    assert_eq!(entry.edges, vec![(0, 1), (0, 2), (1, 2)]);
    assert_eq!(entry.calls, vec![TEXT_VA + 0x20]);
    assert_eq!(x.functions[1].source, FunctionSource::CallTarget);
    assert_eq!(x.functions[1].instructions(), 25);
}

#[test]
fn exact_hash_ignores_address_and_register_allocation() {
    let a = body(20, 0, 3);
    let b = body(20, 3, 3);
    let mut code = a.clone();
    code.resize(0x100, 0xcc);
    code.extend(&b);
    let x = extract(&elf64(&code, 0, &[0, 0x100]), &ExtractConfig::default()).unwrap();
    assert_eq!(x.functions.len(), 2);
    let cfg = SignatureConfig::default();
    let sa = sign_function(&x.functions[0], &cfg).unwrap();
    let sb = sign_function(&x.functions[1], &cfg).unwrap();
    assert_eq!(sa.exact, sb.exact);
    assert_eq!(sa.similarity(&sb), 1.0);
    // Different constants: different code.
    let mut code2 = a;
    code2.resize(0x100, 0xcc);
    code2.extend(body(20, 0, 0x55));
    let y = extract(&elf64(&code2, 0, &[0, 0x100]), &ExtractConfig::default()).unwrap();
    let sc = sign_function(&y.functions[1], &cfg).unwrap();
    assert_ne!(sa.exact, sc.exact);
    assert!(sa.similarity(&sc) < 0.5);
}

#[test]
fn prologue_scan_finds_unreached_functions() {
    // Entry is a lone ret; an unreferenced function with a push rbp; mov rbp, rsp prologue
    // follows the int3 padding.
    let mut code = vec![0xc3];
    code.resize(0x10, 0xcc);
    code.extend_from_slice(&[0x55, 0x48, 0x89, 0xe5]);
    code.extend(body(10, 1, 9));
    let x = extract(&elf64(&code, 0, &[]), &ExtractConfig::default()).unwrap();
    let f = x
        .functions
        .iter()
        .find(|f| f.address == TEXT_VA + 0x10)
        .expect("prologue function");
    assert_eq!(f.source, FunctionSource::Prologue);
    let no_scan = ExtractConfig {
        prologue_scan: false,
        ..ExtractConfig::default()
    };
    let y = extract(&elf64(&code, 0, &[]), &no_scan).unwrap();
    assert!(y.functions.iter().all(|f| f.address != TEXT_VA + 0x10));
}

#[test]
fn unsupported_architecture_is_reported() {
    let mut elf = elf64(&[0xc3], 0, &[]);
    elf[18] = 40; // EM_ARM
    assert!(matches!(
        extract(&elf, &ExtractConfig::default()),
        Err(ascribe_code::CodeError::Unsupported(_))
    ));
}

/// Issue 12: a DLL renamed after linking (delvewheel) leaves the import descriptor's name in
/// another section than the thunks and hint/name entries. `object`'s import reader rejects
/// that layout ("Invalid PE import thunk address"); the index reads imports with
/// `ascribe-binary` and gets the same import set, and the same call tokens, as for the file
/// before renaming.
#[test]
fn renamed_dll_import_layout_keeps_the_import_set() {
    use ascribe_binary::fixture::FixtureSpec;
    use object::Object;
    let plain = FixtureSpec::default().build();
    let renamed = FixtureSpec {
        dll_name_elsewhere: Some("KERNEL32.dll".into()),
        ..FixtureSpec::default()
    }
    .build();
    // The fixture reproduces the failure of the previous reader.
    let f = object::File::parse(&*renamed).unwrap();
    let imps: Vec<_> = f.imports().unwrap().collect();
    assert!(!imps.is_empty() && imps.iter().all(|i| i.is_err()));

    let (a, wa) = ascribe_code::import_set(&plain).unwrap();
    let (b, wb) = ascribe_code::import_set(&renamed).unwrap();
    assert_eq!(
        a,
        vec![ascribe_code::import_key("KERNEL32.dll", "ExitProcess")]
    );
    assert_eq!(a, b);
    assert!(wa.is_empty() && wb.is_empty(), "{wa:?} {wb:?}");
    let xa = extract(&plain, &ExtractConfig::default()).unwrap();
    let xb = extract(&renamed, &ExtractConfig::default()).unwrap();
    assert_eq!(xb.imports, a);
    let toks = |x: &ascribe_code::Extraction| -> Vec<Vec<u32>> {
        x.functions.iter().map(|f| f.tokens.clone()).collect()
    };
    assert!(!xa.functions.is_empty());
    assert_eq!(toks(&xa), toks(&xb));

    // A mangled name (as delvewheel writes it) is read as written.
    let mangled = FixtureSpec {
        dll_name_elsewhere: Some("KERNEL32-5b2c8e1f.dll".into()),
        ..FixtureSpec::default()
    }
    .build();
    let (c, _) = ascribe_code::import_set(&mangled).unwrap();
    assert_eq!(
        c,
        vec![ascribe_code::import_key(
            "KERNEL32-5b2c8e1f.dll",
            "ExitProcess"
        )]
    );
}

/// A damaged import table is a warning, never a silently empty import set.
#[test]
fn unreadable_import_table_is_a_warning() {
    let mut pe = ascribe_binary::fixture::FixtureSpec::default().build();
    // OriginalFirstThunk and FirstThunk of the only descriptor (.rdata starts at file offset
    // 0x600) point far outside the image.
    pe[0x600..0x604].copy_from_slice(&0x7fff_0000u32.to_le_bytes());
    pe[0x610..0x614].copy_from_slice(&0x7fff_0000u32.to_le_bytes());
    let (set, warnings) = ascribe_code::import_set(&pe).unwrap();
    assert!(set.is_empty());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("import set empty"), "{warnings:?}");
    let x = extract(&pe, &ExtractConfig::default()).unwrap();
    assert_eq!(x.import_warnings, warnings);
    let s = ascribe_code::sign_bytes(&pe, &ExtractConfig::default(), &SignatureConfig::default())
        .unwrap();
    assert_eq!(s.warnings, warnings);
}
