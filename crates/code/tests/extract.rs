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
