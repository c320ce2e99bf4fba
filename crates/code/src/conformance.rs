//! The behavioural test suite every [`CodeIndexStore`] must pass: `MemoryStore` and
//! `DiskStore` run it in this crate's tests, the PostgreSQL store (`ascribe-store-pg`) runs the
//! same functions against a real server. Each function takes a fresh, empty store (or a way to
//! open one) and panics with a message on the first behaviour that differs from the in-memory
//! reference. Also the builders of the tiny ELF64 test files the suite indexes.

use crate::{
    band_keys, sign_bytes, AddOutcome, CodeIndex, CodeIndexStore, FamilyMatch, FunctionInsert,
    MemoryStore, QueryOptions, SampleMeta, SampleRecord, SignedSample,
};

/// Virtual address of the `.text` section built by [`elf64`].
pub const TEXT_VA: u64 = 0x40_1000;

/// An ELF64 x86-64 executable whose only allocated section is `.text` holding `code`, with the
/// entry point at `TEXT_VA + entry` and one `STT_FUNC` symbol per offset in `funcs`.
pub fn elf64(code: &[u8], entry: u64, funcs: &[u64]) -> Vec<u8> {
    let shstrtab = b"\0.text\0.shstrtab\0.symtab\0.strtab\0";
    let mut strtab = vec![0u8];
    let mut syms: Vec<u8> = vec![0; 24]; // null symbol
    for (i, &off) in funcs.iter().enumerate() {
        let name = strtab.len() as u32;
        strtab.extend_from_slice(format!("f{i}\0").as_bytes());
        syms.extend_from_slice(&name.to_le_bytes());
        syms.push(0x12); // STB_GLOBAL, STT_FUNC
        syms.push(0);
        syms.extend_from_slice(&1u16.to_le_bytes()); // section 1 (.text)
        syms.extend_from_slice(&(TEXT_VA + off).to_le_bytes());
        syms.extend_from_slice(&16u64.to_le_bytes());
    }
    let text_off = 0x1000u64;
    let mut out = vec![0u8; text_off as usize];
    out.extend_from_slice(code);
    let shstr_off = out.len() as u64;
    out.extend_from_slice(shstrtab);
    let sym_off = out.len() as u64;
    out.extend_from_slice(&syms);
    let str_off = out.len() as u64;
    out.extend_from_slice(&strtab);
    while out.len() % 8 != 0 {
        out.push(0);
    }
    let sh_off = out.len() as u64;
    // ELF header.
    let mut h = Vec::new();
    h.extend_from_slice(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
    h.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    h.extend_from_slice(&62u16.to_le_bytes()); // EM_X86_64
    h.extend_from_slice(&1u32.to_le_bytes());
    h.extend_from_slice(&(TEXT_VA + entry).to_le_bytes());
    h.extend_from_slice(&0u64.to_le_bytes()); // phoff
    h.extend_from_slice(&sh_off.to_le_bytes());
    h.extend_from_slice(&0u32.to_le_bytes());
    h.extend_from_slice(&64u16.to_le_bytes()); // ehsize
    h.extend_from_slice(&56u16.to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes()); // phnum
    h.extend_from_slice(&64u16.to_le_bytes()); // shentsize
    h.extend_from_slice(&5u16.to_le_bytes()); // shnum
    h.extend_from_slice(&2u16.to_le_bytes()); // shstrndx
    out[..64].copy_from_slice(&h);
    let mut sh = |name: u32,
                  ty: u32,
                  flags: u64,
                  addr: u64,
                  off: u64,
                  size: u64,
                  link: u32,
                  info: u32,
                  entsize: u64| {
        out.extend_from_slice(&name.to_le_bytes());
        out.extend_from_slice(&ty.to_le_bytes());
        out.extend_from_slice(&flags.to_le_bytes());
        out.extend_from_slice(&addr.to_le_bytes());
        out.extend_from_slice(&off.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&link.to_le_bytes());
        out.extend_from_slice(&info.to_le_bytes());
        out.extend_from_slice(&16u64.to_le_bytes());
        out.extend_from_slice(&entsize.to_le_bytes());
    };
    sh(0, 0, 0, 0, 0, 0, 0, 0, 0);
    sh(1, 1, 0x6, TEXT_VA, text_off, code.len() as u64, 0, 0, 0); // .text: ALLOC | EXECINSTR
    sh(7, 3, 0, 0, shstr_off, shstrtab.len() as u64, 0, 0, 0); // .shstrtab
    sh(17, 2, 0, 0, sym_off, syms.len() as u64, 4, 1, 24); // .symtab -> .strtab
    sh(25, 3, 0, 0, str_off, strtab.len() as u64, 0, 0, 0); // .strtab
    out
}

/// A function body of `n` distinct-ish arithmetic instructions followed by `ret`, with `reg`
/// choosing the register (0 = eax, 1 = ecx, 2 = edx, 3 = ebx).
pub fn body(n: usize, reg: u8, salt: u8) -> Vec<u8> {
    let mut c = Vec::new();
    for i in 0..n {
        // add r32, imm8 (83 /0 ib)
        c.extend_from_slice(&[0x83, 0xc0 | reg, (i as u8).wrapping_mul(7) ^ salt]);
        // mov r32, [rdi + disp8] (8b /r with modrm 01 reg 111)
        c.extend_from_slice(&[0x8b, 0x47 | (reg << 3), (i as u8) & 0x78]);
    }
    c.push(0xc3);
    c
}

/// A sample made of one 30-instruction function per salt (registers from
/// `reg`), each on its own 256-byte boundary: salts shared between two
/// samples are shared functions.
pub fn sample_file(salts: &[u8], reg: u8) -> Vec<u8> {
    let mut code = Vec::new();
    let mut offs = Vec::new();
    for &s in salts {
        offs.push(code.len() as u64);
        code.extend(body(30, reg, s));
        code.resize(code.len().div_ceil(0x100) * 0x100, 0xcc);
    }
    elf64(&code, 0, &offs)
}

/// Labels of a test sample of family `f`.
pub fn meta(f: &str) -> SampleMeta {
    SampleMeta {
        family: f.into(),
        actor: Some(format!("actor-{f}")),
        name: None,
    }
}

/// The functions every test sample links (a shared "runtime").
pub const CRT: [u8; 3] = [200, 201, 202];

/// Eight samples: family A (3 versions), B (3), C (2), all linking the same runtime; flushed.
pub fn populate<S: CodeIndexStore>(idx: &mut CodeIndex<S>) {
    for (fam, base, versions) in [("A", 1u8, 3u8), ("B", 20, 3), ("C", 40, 2)] {
        for v in 0..versions {
            let mut salts: Vec<u8> = (base..base + 6).collect();
            salts[v as usize] = salts[v as usize].wrapping_add(100); // one function changes per version
            salts.extend(CRT);
            let out = idx.add_bytes(&sample_file(&salts, 0), &meta(fam)).unwrap();
            assert!(
                matches!(out, AddOutcome::Added { functions: 9, .. }),
                "{out:?}"
            );
        }
    }
    idx.flush().unwrap();
}

/// A new variant of family A (another register allocation, two new functions).
pub fn query() -> Vec<u8> {
    let mut salts: Vec<u8> = (1..7).collect();
    salts[4] = 150;
    salts[5] = 151;
    salts.extend(CRT);
    sample_file(&salts, 3)
}

fn reference() -> CodeIndex<MemoryStore> {
    let mut mem = CodeIndex::new(MemoryStore::new()).unwrap();
    populate(&mut mem);
    mem
}

/// Answers, statistics and records equal the in-memory store's for the same samples, and the
/// ranking is the expected one (family A first, the runtime discounted).
pub fn answers_match_the_memory_store<S: CodeIndexStore>(store: S) {
    let mem = reference();
    let mut idx = CodeIndex::new(store).unwrap();
    populate(&mut idx);
    let opts = QueryOptions::default();
    let want = mem.similar_bytes(&query(), &opts).unwrap();
    let got = idx.similar_bytes(&query(), &opts).unwrap();
    assert_eq!(got, want, "query answers differ from the memory store");
    assert_eq!(got[0].family, "A");
    assert_eq!(got[0].shared_functions, 7, "4 own + 3 runtime");
    assert_eq!(got.len(), 3, "B and C share the runtime only");
    assert_eq!(idx.stats().unwrap(), mem.stats().unwrap());
    let c = idx.store().counts().unwrap();
    assert_eq!((c.samples, c.functions, c.postings), (8, 72, 72 * 16));
    for id in 0..8 {
        let (a, b) = (
            idx.store().sample(id).unwrap(),
            mem.store().sample(id).unwrap(),
        );
        assert_eq!(
            (
                &a.sha256,
                &a.family,
                &a.actor,
                a.functions_indexed,
                &a.imports,
                &a.strings
            ),
            (
                &b.sha256,
                &b.family,
                &b.actor,
                b.functions_indexed,
                &b.imports,
                &b.strings
            ),
            "sample {id}"
        );
    }
    let ids: Vec<u32> = (0..72).rev().collect();
    assert_eq!(
        idx.store().functions(&ids).unwrap(),
        mem.store().functions(&ids).unwrap(),
        "function records by id"
    );
    assert!(idx.store().functions(&[72]).is_err(), "no function 72");
    assert!(idx.store().sample(8).is_err(), "no sample 8");
    // Excluded samples are not reported; the identical file is.
    let ex = QueryOptions {
        exclude_samples: vec![0, 1, 2],
        ..QueryOptions::default()
    };
    let r = idx.similar_bytes(&query(), &ex).unwrap();
    assert_eq!(r, mem.similar_bytes(&query(), &ex).unwrap());
    assert!(r.iter().all(|f| f.family != "A"));
    let mut salts: Vec<u8> = (20..26).collect();
    salts[1] = salts[1].wrapping_add(100);
    salts.extend(CRT);
    let same = sample_file(&salts, 0);
    let r = idx.similar_bytes(&same, &opts).unwrap();
    assert!(r[0].identical && r[0].family == "B", "{:?}", r[0].family);
    assert_eq!(r, mem.similar_bytes(&same, &opts).unwrap());
}

/// Re-adding a file changes nothing; a new file is a new sample with the next id.
pub fn re_adding_is_idempotent<S: CodeIndexStore>(store: S) {
    let mut idx = CodeIndex::new(store).unwrap();
    populate(&mut idx);
    let before = idx.stats().unwrap();
    let f = sample_file(&[1, 2, 3, 4, 5, 6, 200, 201, 202], 0);
    let again = idx.add_bytes(&f, &meta("other")).unwrap();
    assert!(
        matches!(again, AddOutcome::Added { sample: 8, .. }),
        "{again:?}"
    );
    let twice = idx.add_bytes(&f, &meta("other")).unwrap();
    assert_eq!(twice, AddOutcome::AlreadyIndexed { sample: 8 });
    // Version 0 of family A, added by `populate`, again.
    let mut salts: Vec<u8> = (1..7).collect();
    salts[0] = salts[0].wrapping_add(100);
    salts.extend(CRT);
    let twice = vec![idx.add_bytes(&sample_file(&salts, 0), &meta("A")).unwrap()];
    assert_eq!(twice, vec![AddOutcome::AlreadyIndexed { sample: 0 }]);
    idx.flush().unwrap();
    let after = idx.stats().unwrap();
    assert_eq!(after.counts.samples, before.counts.samples + 1);
    assert_eq!(after.families["other"], 1);
    assert_eq!(
        idx.store().find_sample(&crate::sha256_hex(&f)).unwrap(),
        Some(8)
    );
    assert_eq!(idx.store().find_sample("0000").unwrap(), None);
}

/// Long posting lists are capped at `limit` ids spread evenly over the list, in id order, with
/// the full count: exactly as the in-memory store (and a compacted `DiskStore`) gives them.
pub fn long_posting_lists_are_sampled_evenly<S: CodeIndexStore>(mut store: S) {
    // 4,500 postings under key 1: a list longer than a store may read whole
    const N: u32 = 1500;
    let mut mem = MemoryStore::new();
    let sig = |i: u32| crate::FunctionSignature {
        address: 0x1000 + u64::from(i),
        exact: u64::from(i) * 7919,
        instructions: 10 + i % 50,
        blocks: 1 + i % 5,
        edges: i % 7,
        minhash: (0..crate::MINHASH_K as u16)
            .map(|k| k ^ (i as u16))
            .collect(),
    };
    // 3 samples; key 1 is posted by every function, key 2 by every third, key 3 once.
    for s in 0..3u32 {
        let rec = SampleRecord {
            sha256: format!("{s:064x}"),
            family: format!("fam{}", s % 2),
            actor: None,
            name: Some(format!("s{s}")),
            format: crate::Format::Elf,
            arch: crate::Arch::X64,
            functions_total: N,
            functions_indexed: N,
            packed: false,
            imports: vec![s.into(), 99],
            strings: vec![7, u64::from(s) + 100],
            exports: vec![u64::from(s) + 200],
            records_sha256: None,
        };
        let batch: Vec<FunctionInsert> = (0..N)
            .map(|j| {
                let i = s * N + j;
                let mut keys = vec![1u64];
                if i % 3 == 0 {
                    keys.push(2);
                }
                if i == 777 {
                    keys.push(3);
                }
                keys.push(u64::MAX - u64::from(i)); // high bit set: survives signed storage
                FunctionInsert {
                    signature: sig(i),
                    band_keys: keys,
                }
            })
            .collect();
        for st in [&mut store as &mut dyn CodeIndexStore, &mut mem] {
            let id = st.put_sample(rec.clone()).unwrap();
            assert_eq!(id, s, "dense sample ids");
            let mut first = None;
            for chunk in batch.chunks(1000) {
                let f = st.put_functions(id, chunk).unwrap();
                first.get_or_insert(f);
            }
            assert_eq!(first, Some(s * N), "dense function ids");
        }
    }
    store.flush().unwrap();
    let keys = [1u64, 2, 3, 4, 1, u64::MAX - 5, u64::MAX];
    for limit in [0usize, 1, 7, 128, 400, 1500, 5000] {
        let got = store.lookup_bands(&keys, limit).unwrap();
        let want = mem.lookup_bands(&keys, limit).unwrap();
        assert_eq!(got, want, "limit {limit}");
    }
    assert_eq!(
        store.lookup_bands(&[1], 5000).unwrap()[0].total,
        3 * N as usize
    );
    assert_eq!(store.lookup_bands(&[], 10).unwrap(), vec![]);
    assert_eq!(store.counts().unwrap(), mem.counts().unwrap());
    let ids = [5u32, 1199, 0, 5];
    assert_eq!(store.functions(&ids).unwrap(), mem.functions(&ids).unwrap());
    let s = store.sample(2).unwrap();
    assert_eq!(
        (s.name.as_deref(), &s.imports[..], &s.strings[..]),
        (Some("s2"), &[2u64, 99][..], &[7u64, 102][..])
    );
}

/// What was flushed is there after reopening (`open` opens the same store again).
pub fn flushed_samples_survive_reopening<S: CodeIndexStore>(mut open: impl FnMut() -> S) {
    let want = reference()
        .similar_bytes(&query(), &QueryOptions::default())
        .unwrap();
    {
        let mut idx = CodeIndex::new(open()).unwrap();
        populate(&mut idx);
    }
    let idx = CodeIndex::new(open()).unwrap();
    assert_eq!(idx.stats().unwrap(), reference().stats().unwrap());
    assert_eq!(
        idx.similar_bytes(&query(), &QueryOptions::default())
            .unwrap(),
        want
    );
}

/// Families with their shared functions and coverage, best first; ties by name (their order
/// follows insertion order, which differs between concurrent and sequential builds).
pub fn summary(r: &[FamilyMatch]) -> Vec<(String, u32, i64)> {
    let mut v: Vec<(String, u32, i64)> = r
        .iter()
        .map(|f| {
            (
                f.family.clone(),
                f.shared_functions,
                (f.coverage * 1000.0).round() as i64,
            )
        })
        .collect();
    v.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    v
}

/// Writer `w`'s samples for the concurrency tests: family `F{w}`, six variants of its own code
/// plus a shared runtime; writers 0 and 1 also both add one common sample (it must be stored
/// once).
pub fn writer_samples(w: u8) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for v in 0..6u8 {
        let base = 1 + w * 30;
        let mut salts: Vec<u8> = (base..base + 8).collect();
        salts[v as usize] = salts[v as usize].wrapping_add(120);
        salts.extend([250, 251]);
        out.push((format!("F{w}"), sample_file(&salts, 0)));
    }
    if w < 2 {
        out.push(("Fshared".into(), sample_file(&[200, 201, 202, 203, 204], 0)));
    }
    out
}

/// A query resembling writer `w`'s family.
pub fn writer_query(w: u8) -> Vec<u8> {
    let base = 1 + w * 30;
    let mut salts: Vec<u8> = (base..base + 8).collect();
    salts[7] = 199;
    salts.extend([250, 251]);
    sample_file(&salts, 2)
}

/// A signed sample with its band keys, ready for `put_functions`.
pub fn inserts(s: &SignedSample) -> Vec<FunctionInsert> {
    s.functions
        .iter()
        .map(|f| FunctionInsert {
            signature: f.clone(),
            band_keys: band_keys(&f.minhash),
        })
        .collect()
}

/// Signs a test file with the default configuration.
pub fn sign(data: &[u8]) -> SignedSample {
    sign_bytes(data, &Default::default(), &Default::default()).unwrap()
}
