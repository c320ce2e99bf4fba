mod common;

use std::time::{Duration, Instant};

use ascribe_code::{extract, sign_all, ExtractConfig, LimitHit, SignatureConfig};
use common::{elf64, TEXT_VA};
use proptest::prelude::*;

fn lcg_bytes(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 56) as u8
        })
        .collect()
}

#[test]
fn random_code_section_is_bounded_and_flagged_packed() {
    let code = lcg_bytes(1 << 20, 7);
    let t = Instant::now();
    let x = extract(&elf64(&code, 0, &[]), &ExtractConfig::default()).unwrap();
    assert!(t.elapsed() < Duration::from_secs(20));
    let text = x.sections.iter().find(|s| s.name == ".text").unwrap();
    assert!(text.entropy > 7.9, "{}", text.entropy);
    assert!(text.packed && x.packed);
    // Only what recursive descent reached from the entry survives; no prologue garbage.
    assert!(x.functions.len() <= 64, "{}", x.functions.len());
}

#[test]
fn huge_function_is_cut_at_the_budget() {
    let mut code = vec![0x90u8; 300_000];
    code.push(0xc3);
    let cfg = ExtractConfig {
        max_function_instructions: 10_000,
        ..ExtractConfig::default()
    };
    let x = extract(&elf64(&code, 0, &[]), &cfg).unwrap();
    let f = &x.functions[0];
    assert!(f.truncated);
    assert_eq!(f.instructions(), 10_000);
    let tiny = ExtractConfig {
        max_file_instructions: 5_000,
        ..ExtractConfig::default()
    };
    let y = extract(&elf64(&code, 0, &[]), &tiny).unwrap();
    assert_eq!(y.limits_hit, vec![LimitHit::FileInstructions]);
    assert!(y.instructions_decoded <= 5_000);
}

#[test]
fn time_budget_stops_extraction() {
    let code = vec![0x90u8; 4_000_000];
    let cfg = ExtractConfig {
        time_budget: Duration::from_millis(0),
        max_function_instructions: usize::MAX,
        ..ExtractConfig::default()
    };
    let x = extract(&elf64(&code, 0, &[]), &cfg).unwrap();
    assert_eq!(x.limits_hit, vec![LimitHit::Time]);
    assert!(x.instructions_decoded < 4_000_000);
}

#[test]
fn overlapping_instructions_split_blocks() {
    // 0: jmp +1 (eb 01) -> 3 ; 2: db 0xb8 (mov eax, imm32 start) ; 3: xor eax,eax ; ret
    // A second function enters at 2 and decodes `mov eax, 0xc3c031`, overlapping the first.
    let code = vec![0xeb, 0x01, 0xb8, 0x31, 0xc0, 0xc3, 0x00, 0x00, 0xc3];
    let x = extract(&elf64(&code, 0, &[2]), &ExtractConfig::default()).unwrap();
    let a = x.functions.iter().find(|f| f.address == TEXT_VA).unwrap();
    let b = x
        .functions
        .iter()
        .find(|f| f.address == TEXT_VA + 2)
        .unwrap();
    assert_eq!(a.blocks.len(), 2);
    assert_eq!(a.edges, vec![(0, 1)]);
    assert!(b.instructions() >= 2);
    // The overlapped bytes belong to both.
    assert!(b.blocks[0].address == TEXT_VA + 2);
}

#[test]
fn jump_table_into_garbage_is_contained() {
    // jmp qword ptr [rax*8 + table] ; table entries point at invalid bytes, then at a ret,
    // then out of the image (end of table).
    let table_off = 0x40u32;
    let mut code = vec![0xff, 0x24, 0xc5];
    code.extend_from_slice(&(TEXT_VA as u32 + table_off).to_le_bytes());
    code.resize(0x20, 0xcc);
    code.extend_from_slice(&[0x0f, 0x0b, 0x06, 0x07, 0x27, 0x37]); // ud2 ; bytes invalid in 64-bit mode
    code.resize(0x30, 0xcc);
    code.push(0xc3);
    code.resize(table_off as usize, 0xcc);
    for t in [TEXT_VA + 0x22, TEXT_VA + 0x30, TEXT_VA + 0x20, 0xdead_0000] {
        code.extend_from_slice(&t.to_le_bytes());
    }
    let x = extract(&elf64(&code, 0, &[]), &ExtractConfig::default()).unwrap();
    let f = &x.functions[0];
    assert_eq!(f.address, TEXT_VA);
    assert!(f.has_invalid, "garbage target decodes as invalid");
    let targets: Vec<u64> = f.blocks.iter().map(|b| b.address).collect();
    assert!(targets.contains(&(TEXT_VA + 0x30)) && targets.contains(&(TEXT_VA + 0x20)));
    // The garbage entry yields no block (and so no edge); the two valid targets do.
    assert!(!targets.contains(&(TEXT_VA + 0x22)));
    assert_eq!(f.edges.iter().filter(|e| e.0 == 0).count(), 2);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_files_never_panic(data in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = extract(&data, &ExtractConfig::default());
    }

    #[test]
    fn arbitrary_code_never_panics(code in proptest::collection::vec(any::<u8>(), 1..8192), entry in 0u64..8192, syms in proptest::collection::vec(0u64..8192, 0..8)) {
        let elf = elf64(&code, entry % code.len() as u64, &syms);
        let x = extract(&elf, &ExtractConfig::default()).unwrap();
        for f in &x.functions {
            let n: u32 = f.blocks.iter().map(|b| b.instructions).sum();
            prop_assert_eq!(n as usize, f.tokens.len());
            for &(a, b) in &f.edges {
                prop_assert!((a as usize) < f.blocks.len() && (b as usize) < f.blocks.len());
            }
        }
        let _ = sign_all(&x.functions, &SignatureConfig::default());
    }

    #[test]
    fn corrupted_headers_never_panic(flips in proptest::collection::vec((0usize..400, any::<u8>()), 1..16)) {
        let mut elf = elf64(&common::body(30, 0, 1), 0, &[0]);
        let n = elf.len();
        for (pos, v) in flips {
            let p = if pos < 64 { pos } else { n - 400 + pos };
            elf[p.min(n - 1)] = v;
        }
        let _ = extract(&elf, &ExtractConfig::default());
    }
}

/// Replays the fuzz corpus regressions (fuzz/code/regressions) on stable.
#[test]
fn fuzz_regressions_replay() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/code/regressions");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("regressions dir") {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            continue;
        }
        let data = std::fs::read(&p).unwrap();
        if let Ok(x) = extract(&data, &ExtractConfig::default()) {
            let _ = sign_all(&x.functions, &SignatureConfig::default());
        }
        n += 1;
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
}
