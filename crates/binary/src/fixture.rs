//! A generator of small, benign, valid PE32 files for tests and examples.
//!
//! The image has three sections: `.text` (a `push 0; call [ExitProcess];
//! ret` stub), `.rdata` (one import from `KERNEL32.dll`, a debug directory
//! with a CodeView `RSDS` record) and `.rsrc` (one RT_VERSION or RT_RCDATA
//! resource in a chosen language, Korean 0x412 by default). A Rich header
//! with a valid checksum sits at 0x80 and the file header carries the
//! chosen TimeDateStamp. Everything is configurable through
//! [`FixtureSpec`]; [`FixtureSpec::build`] returns the bytes.
//!
//! ```
//! use ascribe_binary::fixture::FixtureSpec;
//! let spec = FixtureSpec { timestamp: 1_400_000_000, ..FixtureSpec::default() };
//! let exe = spec.build();
//! assert_eq!(&exe[..2], b"MZ");
//! ```

/// The resource the fixture carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixtureResource {
    /// RT_VERSION (16) with these StringFileInfo strings.
    Version(Vec<(String, String)>),
    /// RT_RCDATA (10) with these bytes.
    RcData(Vec<u8>),
}

/// What to put in the fixture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureSpec {
    /// IMAGE_FILE_HEADER.TimeDateStamp.
    pub timestamp: u32,
    /// Language id of the resource leaf (`lang | sublang << 10`).
    pub lang_id: u16,
    /// The resource.
    pub resource: FixtureResource,
    /// CodeView PDB path.
    pub pdb_path: String,
    /// CodeView GUID bytes (as stored).
    pub pdb_guid: [u8; 16],
    /// CodeView age.
    pub pdb_age: u32,
    /// Rich entries `(product id, build, count)`.
    pub rich: Vec<(u16, u16, u32)>,
    /// Write a wrong Rich key (checksum no longer valid).
    pub corrupt_rich_checksum: bool,
    /// Optional header `(MajorLinkerVersion, MinorLinkerVersion)`.
    pub linker_version: (u8, u8),
    /// Bytes appended after the image (overlay).
    pub overlay: Vec<u8>,
    /// Write the import's DLL name (this string instead of `KERNEL32.dll`)
    /// into a fourth section `.names` after `.rsrc`, away from the import
    /// descriptors, thunks and hint/name entries in `.rdata`: the layout
    /// left by tools that rename imported DLLs after linking (delvewheel
    /// writes a mangled name that does not fit in place elsewhere), which
    /// the `object` crate's import reader rejects.
    pub dll_name_elsewhere: Option<String>,
}

impl Default for FixtureSpec {
    fn default() -> Self {
        FixtureSpec {
            timestamp: 0x5470_5c3e,
            lang_id: 0x412,
            resource: FixtureResource::Version(vec![
                ("CompanyName".into(), "Example Fixture Co.".into()),
                ("FileDescription".into(), "ascribe test fixture".into()),
                ("FileVersion".into(), "1.0.0.1".into()),
                ("OriginalFilename".into(), "fixture.exe".into()),
                ("ProductName".into(), "ascribe fixture".into()),
            ]),
            pdb_path: "C:\\Users\\tester\\Documents\\Projects\\fixture\\Release\\fixture.pdb"
                .into(),
            pdb_guid: [
                0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
                0xff, 0x00,
            ],
            pdb_age: 1,
            // Linker 14.31 build 31104, C/C++ compilers, imports.
            rich: vec![
                (0x0105, 31104, 12),
                (0x0104, 31104, 3),
                (0x0001, 0, 4),
                (0x0102, 31104, 1),
            ],
            corrupt_rich_checksum: false,
            linker_version: (14, 31),
            overlay: Vec::new(),
            dll_name_elsewhere: None,
        }
    }
}

fn put16(b: &mut [u8], o: usize, v: u16) {
    b[o..o + 2].copy_from_slice(&v.to_le_bytes());
}
fn put32(b: &mut [u8], o: usize, v: u32) {
    b[o..o + 4].copy_from_slice(&v.to_le_bytes());
}
fn utf16z(s: &str) -> Vec<u8> {
    let mut v: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    v.extend_from_slice(&[0, 0]);
    v
}
fn pad4(v: &mut Vec<u8>) {
    while v.len() % 4 != 0 {
        v.push(0);
    }
}

/// One VERSIONINFO node.
fn vnode(key: &str, value: &[u8], text: bool, children: &[Vec<u8>]) -> Vec<u8> {
    let mut v = vec![0u8; 6];
    v.extend(utf16z(key));
    pad4(&mut v);
    v.extend_from_slice(value);
    for c in children {
        pad4(&mut v);
        v.extend_from_slice(c);
    }
    let len = v.len() as u16;
    put16(&mut v, 0, len);
    let vlen = if text {
        (value.len() / 2) as u16
    } else {
        value.len() as u16
    };
    put16(&mut v, 2, vlen);
    put16(&mut v, 4, text as u16);
    v
}

fn version_resource(strings: &[(String, String)], lang: u16) -> Vec<u8> {
    let mut fixed = vec![0u8; 52];
    put32(&mut fixed, 0, 0xFEEF_04BD);
    put32(&mut fixed, 4, 0x0001_0000);
    put32(&mut fixed, 8, 0x0001_0000);
    put32(&mut fixed, 12, 0x0000_0001);
    put32(&mut fixed, 32, 0x0004_0004); // VOS_NT_WINDOWS32
    put32(&mut fixed, 36, 1); // VFT_APP
    let strs: Vec<Vec<u8>> = strings
        .iter()
        .map(|(k, v)| vnode(k, &utf16z(v), true, &[]))
        .collect();
    let table = vnode(&format!("{lang:04x}04b0"), &[], true, &strs);
    let sfi = vnode("StringFileInfo", &[], true, &[table]);
    let mut tr = Vec::new();
    tr.extend_from_slice(&lang.to_le_bytes());
    tr.extend_from_slice(&1200u16.to_le_bytes());
    let var = vnode("Translation", &tr, false, &[]);
    let vfi = vnode("VarFileInfo", &[], true, &[var]);
    vnode("VS_VERSION_INFO", &fixed, false, &[sfi, vfi])
}

impl FixtureSpec {
    /// Write the PE32 image.
    pub fn build(&self) -> Vec<u8> {
        const TEXT_RVA: u32 = 0x1000;
        const RDATA_RVA: u32 = 0x2000;
        const RSRC_RVA: u32 = 0x3000;
        const TEXT_RAW: usize = 0x400;
        const RDATA_RAW: usize = 0x600;
        const RSRC_RAW: usize = 0x800;
        const IMAGE_BASE: u32 = 0x0040_0000;

        // ---- .rdata: imports + debug ------------------------------------
        let mut rdata = vec![0u8; 0x200];
        // Import descriptors at +0 (one + terminator = 40 bytes).
        let ilt = 0x40u32;
        let iat = 0x50u32;
        let hint_name = 0x60u32;
        let dll_name = 0x80u32;
        put32(&mut rdata, 0, RDATA_RVA + ilt);
        put32(&mut rdata, 12, RDATA_RVA + dll_name);
        put32(&mut rdata, 16, RDATA_RVA + iat);
        put32(&mut rdata, ilt as usize, RDATA_RVA + hint_name);
        put32(&mut rdata, iat as usize, RDATA_RVA + hint_name);
        rdata[hint_name as usize + 2..hint_name as usize + 2 + 11].copy_from_slice(b"ExitProcess");
        rdata[dll_name as usize..dll_name as usize + 12].copy_from_slice(b"KERNEL32.dll");
        // Debug directory at +0xa0 (28 bytes), CodeView data at +0xc0.
        let dbg = 0xa0usize;
        let cv_off = 0xc0usize;
        let mut cv = b"RSDS".to_vec();
        cv.extend_from_slice(&self.pdb_guid);
        cv.extend_from_slice(&self.pdb_age.to_le_bytes());
        cv.extend_from_slice(self.pdb_path.as_bytes());
        cv.push(0);
        if rdata.len() < cv_off + cv.len() {
            rdata.resize(cv_off + cv.len(), 0);
        }
        rdata[cv_off..cv_off + cv.len()].copy_from_slice(&cv);
        put32(&mut rdata, dbg + 4, self.timestamp);
        put32(&mut rdata, dbg + 12, 2); // CODEVIEW
        put32(&mut rdata, dbg + 16, cv.len() as u32);
        put32(&mut rdata, dbg + 20, RDATA_RVA + cv_off as u32);
        put32(&mut rdata, dbg + 24, (RDATA_RAW + cv_off) as u32);
        while rdata.len() % 0x200 != 0 {
            rdata.push(0);
        }

        // ---- .rsrc: type -> id 1 -> lang -> data --------------------------
        let (rtype, payload) = match &self.resource {
            FixtureResource::Version(s) => (16u32, version_resource(s, self.lang_id)),
            FixtureResource::RcData(d) => (10u32, d.clone()),
        };
        let mut rsrc = vec![0u8; 0x70];
        // root dir at 0: 1 id entry -> dir at 0x18
        put16(&mut rsrc, 14, 1);
        put32(&mut rsrc, 16, rtype);
        put32(&mut rsrc, 20, 0x8000_0000 | 0x18);
        // name dir at 0x18: id 1 -> dir at 0x30
        put16(&mut rsrc, 0x18 + 14, 1);
        put32(&mut rsrc, 0x18 + 16, 1);
        put32(&mut rsrc, 0x18 + 20, 0x8000_0000 | 0x30);
        // lang dir at 0x30: lang -> data entry at 0x48
        put16(&mut rsrc, 0x30 + 14, 1);
        put32(&mut rsrc, 0x30 + 16, self.lang_id as u32);
        put32(&mut rsrc, 0x30 + 20, 0x48);
        // data entry at 0x48 -> payload at 0x60
        put32(&mut rsrc, 0x48, RSRC_RVA + 0x60);
        put32(&mut rsrc, 0x48 + 4, payload.len() as u32);
        rsrc.truncate(0x60);
        rsrc.extend_from_slice(&payload);
        let rsrc_vsize = rsrc.len() as u32;
        while rsrc.len() % 0x200 != 0 {
            rsrc.push(0);
        }

        // ---- .names (optional): the DLL name, moved out of .rdata ------------
        let rsrc_pages = (rsrc.len() as u32).div_ceil(0x1000).max(1);
        let names_rva = RSRC_RVA + rsrc_pages * 0x1000;
        let mut names = Vec::new();
        if let Some(n) = &self.dll_name_elsewhere {
            names.extend_from_slice(n.as_bytes());
            names.push(0);
            // The old name in .rdata is wiped, as a renaming tool leaves it unused.
            rdata[dll_name as usize..dll_name as usize + 12].fill(0);
            put32(&mut rdata, 12, names_rva);
        }
        let names_vsize = names.len() as u32;
        while names.len() % 0x200 != 0 {
            names.push(0);
        }

        // ---- .text -------------------------------------------------------
        let mut text = vec![0u8; 0x200];
        // push 0; call dword ptr [IAT]; ret
        text[0] = 0x6a;
        text[1] = 0x00;
        text[2] = 0xff;
        text[3] = 0x15;
        put32(&mut text, 4, IMAGE_BASE + RDATA_RVA + iat);
        text[8] = 0xc3;

        // ---- headers -----------------------------------------------------
        let mut h = vec![0u8; 0x400];
        h[0] = b'M';
        h[1] = b'Z';
        put16(&mut h, 2, 0x90);
        put16(&mut h, 4, 3);
        put16(&mut h, 8, 4);
        put16(&mut h, 0x0c, 0xffff);
        put16(&mut h, 0x10, 0xb8);
        put16(&mut h, 0x18, 0x40);
        // DOS stub: print nothing, exit.
        let stub = [
            0x0e, 0x1f, 0xba, 0x0e, 0x00, 0xb4, 0x09, 0xcd, 0x21, 0xb8, 0x01, 0x4c, 0xcd, 0x21,
        ];
        h[0x40..0x40 + stub.len()].copy_from_slice(&stub);
        let msg = b"This program cannot be run in DOS mode.\r\r\n$";
        h[0x4e..0x4e + msg.len()].copy_from_slice(msg);
        // Rich header at 0x80.
        let rich_len = 16 + 8 * self.rich.len() + 8;
        let pe_off = (0x80 + rich_len).div_ceil(8) * 8;
        put32(&mut h, 0x3c, pe_off as u32);
        let mut key = 0x80u32;
        for (i, &b) in h[..0x80].iter().enumerate() {
            if (0x3c..0x40).contains(&i) {
                continue;
            }
            key = key.wrapping_add((b as u32).rotate_left(i as u32 % 32));
        }
        for &(pid, build, count) in &self.rich {
            let comp = ((pid as u32) << 16) | build as u32;
            key = key.wrapping_add(comp.rotate_left(count % 32));
        }
        if self.corrupt_rich_checksum {
            key ^= 0x0101_0101;
        }
        let mut p = 0x80;
        for v in [0x536E_6144 ^ key, key, key, key] {
            put32(&mut h, p, v);
            p += 4;
        }
        for &(pid, build, count) in &self.rich {
            put32(&mut h, p, (((pid as u32) << 16) | build as u32) ^ key);
            put32(&mut h, p + 4, count ^ key);
            p += 8;
        }
        h[p..p + 4].copy_from_slice(b"Rich");
        put32(&mut h, p + 4, key);

        // PE signature + file header.
        h[pe_off..pe_off + 4].copy_from_slice(b"PE\0\0");
        let fh = pe_off + 4;
        put16(&mut h, fh, 0x014c);
        let n_sections: u16 = if names.is_empty() { 3 } else { 4 };
        put16(&mut h, fh + 2, n_sections);
        put32(&mut h, fh + 4, self.timestamp);
        put16(&mut h, fh + 16, 0xe0);
        put16(&mut h, fh + 18, 0x0102);
        // Optional header (PE32).
        let oh = fh + 20;
        put16(&mut h, oh, 0x10b);
        h[oh + 2] = self.linker_version.0;
        h[oh + 3] = self.linker_version.1;
        put32(&mut h, oh + 4, 0x200); // SizeOfCode
        put32(&mut h, oh + 8, (rdata.len() + rsrc.len()) as u32);
        put32(&mut h, oh + 16, TEXT_RVA); // entry point
        put32(&mut h, oh + 20, TEXT_RVA); // BaseOfCode
        put32(&mut h, oh + 24, RDATA_RVA); // BaseOfData
        put32(&mut h, oh + 28, IMAGE_BASE);
        put32(&mut h, oh + 32, 0x1000); // SectionAlignment
        put32(&mut h, oh + 36, 0x200); // FileAlignment
        put16(&mut h, oh + 40, 6); // OS version
        put16(&mut h, oh + 48, 6); // subsystem version
        let size_of_image = if names.is_empty() {
            names_rva
        } else {
            names_rva + 0x1000
        };
        put32(&mut h, oh + 56, size_of_image); // SizeOfImage
        put32(&mut h, oh + 60, 0x400); // SizeOfHeaders
        put16(&mut h, oh + 68, 2); // GUI
        put16(&mut h, oh + 70, 0x8140); // NX, dynamic base, TS aware
        put32(&mut h, oh + 72, 0x10_0000);
        put32(&mut h, oh + 76, 0x1000);
        put32(&mut h, oh + 80, 0x10_0000);
        put32(&mut h, oh + 84, 0x1000);
        put32(&mut h, oh + 92, 16);
        let dd = oh + 96;
        put32(&mut h, dd + 8, RDATA_RVA); // import
        put32(&mut h, dd + 12, 40);
        put32(&mut h, dd + 16, RSRC_RVA); // resource
        put32(&mut h, dd + 20, rsrc_vsize);
        put32(&mut h, dd + 6 * 8, RDATA_RVA + dbg as u32); // debug
        put32(&mut h, dd + 6 * 8 + 4, 28);
        put32(&mut h, dd + 12 * 8, RDATA_RVA + iat); // IAT
        put32(&mut h, dd + 12 * 8 + 4, 8);
        // Section headers.
        let sh = oh + 0xe0;
        type SecRow<'a> = (&'a [u8], u32, usize, usize, u32, u32);
        let secs: [SecRow; 3] = [
            (b".text", TEXT_RVA, TEXT_RAW, text.len(), 9, 0x6000_0020),
            (
                b".rdata",
                RDATA_RVA,
                RDATA_RAW,
                rdata.len(),
                cv_off as u32 + cv.len() as u32,
                0x4000_0040,
            ),
            (
                b".rsrc",
                RSRC_RVA,
                RSRC_RAW,
                rsrc.len(),
                rsrc_vsize,
                0x4000_0040,
            ),
        ];
        let mut raw_ptr = [TEXT_RAW, RDATA_RAW, RSRC_RAW];
        // .rsrc follows .rdata, whose size depends on the PDB path.
        raw_ptr[2] = RDATA_RAW + rdata.len();
        for (i, (name, rva, _, raw_len, vsize, ch)) in secs.iter().enumerate() {
            let o = sh + 40 * i;
            h[o..o + name.len()].copy_from_slice(name);
            put32(&mut h, o + 8, *vsize);
            put32(&mut h, o + 12, *rva);
            put32(&mut h, o + 16, *raw_len as u32);
            put32(&mut h, o + 20, raw_ptr[i] as u32);
            put32(&mut h, o + 36, *ch);
        }
        if !names.is_empty() {
            let o = sh + 40 * 3;
            h[o..o + 6].copy_from_slice(b".names");
            put32(&mut h, o + 8, names_vsize);
            put32(&mut h, o + 12, names_rva);
            put32(&mut h, o + 16, names.len() as u32);
            put32(&mut h, o + 20, (raw_ptr[2] + rsrc.len()) as u32);
            put32(&mut h, o + 36, 0x4000_0040);
        }
        // The resource data entry and payload RVAs assume .rsrc is at
        // RSRC_RVA whatever its file offset: nothing else to patch.
        let mut out = h;
        out.extend_from_slice(&text);
        debug_assert_eq!(out.len(), RDATA_RAW);
        out.extend_from_slice(&rdata);
        out.extend_from_slice(&rsrc);
        out.extend_from_slice(&names);
        out.extend_from_slice(&self.overlay);
        let _ = RSRC_RAW;
        out
    }
}

/// A small ELF64 (x86-64, little-endian) shared object with `.dynamic`
/// (DT_NEEDED `libc.so.6`, DT_SONAME `libfixture.so.1`), `.dynsym` (one
/// imported `puts`, one exported `fixture_init`), a GNU build-id note
/// (`build_id`), a `.comment` compiler banner and `.shstrtab`. No program
/// headers: it is for parsers, not for loading.
pub fn elf_so(build_id: &[u8; 20]) -> Vec<u8> {
    fn sh(out: &mut Vec<u8>, f: [u64; 10]) {
        out.extend_from_slice(&(f[0] as u32).to_le_bytes());
        out.extend_from_slice(&(f[1] as u32).to_le_bytes());
        for v in &f[2..6] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(f[6] as u32).to_le_bytes());
        out.extend_from_slice(&(f[7] as u32).to_le_bytes());
        out.extend_from_slice(&f[8].to_le_bytes());
        out.extend_from_slice(&f[9].to_le_bytes());
    }
    let dynstr = b"\0libc.so.6\0libfixture.so.1\0puts\0fixture_init\0";
    let (s_libc, s_soname, s_puts, s_init) = (1u32, 11u32, 27u32, 32u32);
    let mut dynsym = vec![0u8; 24];
    // puts: UND, GLOBAL FUNC
    dynsym.extend_from_slice(&s_puts.to_le_bytes());
    dynsym.push(0x12);
    dynsym.push(0);
    dynsym.extend_from_slice(&0u16.to_le_bytes());
    dynsym.extend_from_slice(&0u64.to_le_bytes());
    dynsym.extend_from_slice(&0u64.to_le_bytes());
    // fixture_init: .text (1), GLOBAL FUNC, value 0x1000 size 4
    dynsym.extend_from_slice(&s_init.to_le_bytes());
    dynsym.push(0x12);
    dynsym.push(0);
    dynsym.extend_from_slice(&1u16.to_le_bytes());
    dynsym.extend_from_slice(&0x1000u64.to_le_bytes());
    dynsym.extend_from_slice(&4u64.to_le_bytes());
    let mut dynamic = Vec::new();
    for (tag, val) in [(1u64, s_libc as u64), (14, s_soname as u64), (0, 0)] {
        dynamic.extend_from_slice(&tag.to_le_bytes());
        dynamic.extend_from_slice(&val.to_le_bytes());
    }
    let mut note = Vec::new();
    note.extend_from_slice(&4u32.to_le_bytes());
    note.extend_from_slice(&20u32.to_le_bytes());
    note.extend_from_slice(&3u32.to_le_bytes());
    note.extend_from_slice(b"GNU\0");
    note.extend_from_slice(build_id);
    let comment = b"GCC: (GNU) 12.2.0\0";
    let text = [0xf3u8, 0x0f, 0x1e, 0xfa, 0xc3, 0x90, 0x90, 0x90];
    let shstr = b"\0.text\0.dynstr\0.dynsym\0.dynamic\0.note.gnu.build-id\0.comment\0.shstrtab\0";
    let names = [0u64, 1, 7, 15, 23, 32, 51, 60];
    let mut out = vec![0u8; 64];
    let place = |out: &mut Vec<u8>, d: &[u8], align: usize| -> u64 {
        while out.len() % align != 0 {
            out.push(0);
        }
        let o = out.len() as u64;
        out.extend_from_slice(d);
        o
    };
    let o_text = place(&mut out, &text, 16);
    let o_dynstr = place(&mut out, dynstr, 1);
    let o_dynsym = place(&mut out, &dynsym, 8);
    let o_dynamic = place(&mut out, &dynamic, 8);
    let o_note = place(&mut out, &note, 4);
    let o_comment = place(&mut out, comment, 1);
    let o_shstr = place(&mut out, shstr, 1);
    while out.len() % 8 != 0 {
        out.push(0);
    }
    let shoff = out.len() as u64;
    let mut shdrs = Vec::new();
    sh(&mut shdrs, [0; 10]);
    sh(
        &mut shdrs,
        [
            names[1],
            1,
            6,
            0x1000,
            o_text,
            text.len() as u64,
            0,
            0,
            16,
            0,
        ],
    );
    sh(
        &mut shdrs,
        [names[2], 3, 2, 0, o_dynstr, dynstr.len() as u64, 0, 0, 1, 0],
    );
    sh(
        &mut shdrs,
        [
            names[3],
            11,
            2,
            0,
            o_dynsym,
            dynsym.len() as u64,
            2,
            1,
            8,
            24,
        ],
    );
    sh(
        &mut shdrs,
        [
            names[4],
            6,
            3,
            0,
            o_dynamic,
            dynamic.len() as u64,
            2,
            0,
            8,
            16,
        ],
    );
    sh(
        &mut shdrs,
        [names[5], 7, 2, 0, o_note, note.len() as u64, 0, 0, 4, 0],
    );
    sh(
        &mut shdrs,
        [
            names[6],
            1,
            0x30,
            0,
            o_comment,
            comment.len() as u64,
            0,
            0,
            1,
            1,
        ],
    );
    sh(
        &mut shdrs,
        [names[7], 3, 0, 0, o_shstr, shstr.len() as u64, 0, 0, 1, 0],
    );
    out.extend_from_slice(&shdrs);
    out[..4].copy_from_slice(b"\x7fELF");
    out[4] = 2;
    out[5] = 1;
    out[6] = 1;
    put16(&mut out, 16, 3); // ET_DYN
    put16(&mut out, 18, 62); // x86-64
    put32(&mut out, 20, 1);
    out[40..48].copy_from_slice(&shoff.to_le_bytes());
    put16(&mut out, 52, 64);
    put16(&mut out, 54, 56);
    put16(&mut out, 58, 64);
    put16(&mut out, 60, 8);
    put16(&mut out, 62, 7);
    out
}

/// A thin 64-bit little-endian Mach-O dylib for `cputype`
/// (0x0100_0007 = x86_64, 0x0100_000c = arm64) with LC_ID_DYLIB,
/// LC_LOAD_DYLIB `/usr/lib/libSystem.B.dylib`, LC_UUID, LC_RPATH and, when
/// `signed`, LC_CODE_SIGNATURE.
pub fn macho_dylib(cputype: u32, signed: bool) -> Vec<u8> {
    fn dylib_cmd(cmd: u32, name: &str) -> Vec<u8> {
        let mut s = name.as_bytes().to_vec();
        s.push(0);
        let size = (24 + s.len()).div_ceil(8) * 8;
        let mut v = Vec::new();
        for x in [cmd, size as u32, 24, 2, 0x0001_0000, 0x0001_0000] {
            v.extend_from_slice(&x.to_le_bytes());
        }
        v.extend_from_slice(&s);
        v.resize(size, 0);
        v
    }
    let mut cmds: Vec<Vec<u8>> = vec![
        dylib_cmd(0xd, "@rpath/libfixture.dylib"),
        dylib_cmd(0xc, "/usr/lib/libSystem.B.dylib"),
    ];
    let mut uuid = Vec::new();
    uuid.extend_from_slice(&0x1bu32.to_le_bytes());
    uuid.extend_from_slice(&24u32.to_le_bytes());
    uuid.extend_from_slice(&[0x5a; 16]);
    cmds.push(uuid);
    let mut rpath = Vec::new();
    let p = b"@loader_path/../lib\0";
    let size = (12 + p.len()).div_ceil(8) * 8;
    for x in [0x8000_001cu32, size as u32, 12] {
        rpath.extend_from_slice(&x.to_le_bytes());
    }
    rpath.extend_from_slice(p);
    rpath.resize(size, 0);
    cmds.push(rpath);
    let sizeofcmds: usize = cmds.iter().map(Vec::len).sum::<usize>() + if signed { 16 } else { 0 };
    let file_len = 32 + sizeofcmds + 64;
    if signed {
        let mut cs = Vec::new();
        for x in [0x1du32, 16, (file_len - 64) as u32, 64] {
            cs.extend_from_slice(&x.to_le_bytes());
        }
        cmds.push(cs);
    }
    let mut out = Vec::new();
    let subtype = if cputype == 0x0100_000c { 0 } else { 3 };
    for x in [
        0xfeed_facfu32,
        cputype,
        subtype,
        6,
        cmds.len() as u32,
        sizeofcmds as u32,
        0x0010_0085,
        0,
    ] {
        out.extend_from_slice(&x.to_le_bytes());
    }
    for c in cmds {
        out.extend_from_slice(&c);
    }
    out.resize(file_len, 0);
    out
}

/// A universal (fat, 32-bit headers) Mach-O with an x86_64 and an arm64
/// slice from [`macho_dylib`].
pub fn macho_fat() -> Vec<u8> {
    let a = macho_dylib(0x0100_0007, true);
    let b = macho_dylib(0x0100_000c, false);
    let mut out = Vec::new();
    for x in [0xcafe_babeu32, 2] {
        out.extend_from_slice(&x.to_be_bytes());
    }
    let off_a = 0x1000u32;
    let off_b = 0x2000u32;
    for (cpu, sub, off, len) in [
        (0x0100_0007u32, 3u32, off_a, a.len()),
        (0x0100_000c, 0, off_b, b.len()),
    ] {
        for x in [cpu, sub, off, len as u32, 12] {
            out.extend_from_slice(&x.to_be_bytes());
        }
    }
    out.resize(off_a as usize, 0);
    out.extend_from_slice(&a);
    out.resize(off_b as usize, 0);
    out.extend_from_slice(&b);
    out
}
