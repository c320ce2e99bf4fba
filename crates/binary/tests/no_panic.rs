//! Property tests: random and mutated inputs never make the parsers panic,
//! and reports stay self-consistent.

use ascribe_binary::fixture::{FixtureResource, FixtureSpec};
use ascribe_binary::{inspect_bytes, InspectOptions};
use proptest::prelude::*;

fn opts() -> InspectOptions {
    InspectOptions {
        // Keep the cases fast; content hashes are exercised elsewhere.
        content_hashes: false,
        ..InspectOptions::default()
    }
}

/// A minimal ELF64 little-endian header followed by arbitrary bytes.
fn elf_prefix() -> Vec<u8> {
    let mut h = vec![0u8; 64];
    h[..4].copy_from_slice(b"\x7fELF");
    h[4] = 2; // 64-bit
    h[5] = 1; // little-endian
    h[6] = 1;
    h[16] = 3; // ET_DYN
    h[18] = 62; // x86-64
    h[20] = 1;
    h[52] = 64; // e_ehsize
    h
}

/// A thin Mach-O 64 header (x86_64, 2 load commands) then arbitrary bytes.
fn macho_prefix() -> Vec<u8> {
    let mut h = Vec::new();
    h.extend_from_slice(&0xfeed_facfu32.to_le_bytes());
    h.extend_from_slice(&0x0100_0007u32.to_le_bytes());
    h.extend_from_slice(&3u32.to_le_bytes());
    h.extend_from_slice(&6u32.to_le_bytes());
    h.extend_from_slice(&2u32.to_le_bytes());
    h.extend_from_slice(&64u32.to_le_bytes());
    h.extend_from_slice(&0u32.to_le_bytes());
    h.extend_from_slice(&0u32.to_le_bytes());
    h
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes(data in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let r = inspect_bytes(&data, &opts());
        prop_assert_eq!(r.size, data.len() as u64);
    }

    #[test]
    fn random_after_magic(kind in 0..4u8, tail in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let mut d = match kind {
            0 => elf_prefix(),
            1 => macho_prefix(),
            2 => { let mut f = vec![0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]; f.extend_from_slice(&macho_prefix()); f }
            _ => { let mut m = vec![0u8; 0x40]; m[0] = b'M'; m[1] = b'Z'; m[0x3c] = 0x40; m.extend_from_slice(b"PE\0\0"); m }
        };
        d.extend_from_slice(&tail);
        let _ = inspect_bytes(&d, &opts());
    }

    #[test]
    fn mutated_fixture(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..64),
        rcdata in any::<bool>(),
    ) {
        let spec = if rcdata {
            FixtureSpec { resource: FixtureResource::RcData(vec![7; 100]), ..FixtureSpec::default() }
        } else {
            FixtureSpec::default()
        };
        let mut exe = spec.build();
        for (i, b) in edits {
            let at = i.index(exe.len());
            exe[at] = b;
        }
        let r = inspect_bytes(&exe, &opts());
        if let Some(pe) = r.pe {
            prop_assert!(pe.resource_langids.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(pe.overlay_size <= exe.len() as u64);
        }
    }

    /// Mutations aimed at the header fields and directories that steer the
    /// walks (offsets, counts, sizes).
    #[test]
    fn mutated_fixture_dwords(
        edits in proptest::collection::vec((0usize..0x3000 / 4, any::<u32>()), 1..16),
    ) {
        let mut exe = FixtureSpec::default().build();
        for (i, v) in edits {
            let at = i * 4;
            if at + 4 <= exe.len() {
                exe[at..at + 4].copy_from_slice(&v.to_le_bytes());
            }
        }
        let _ = inspect_bytes(&exe, &opts());
    }
}
