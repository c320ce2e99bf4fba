//! Builders for tiny, well-formed ELF64 x86-64 files around hand-written code.
#![allow(dead_code)]

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
