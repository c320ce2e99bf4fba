//! The Rich header: MSVC's undocumented toolchain record between the DOS
//! stub and the PE header.
//!
//! Parsing follows `pefile.PE.parse_rich_header` exactly (same search
//! window, same acceptance rules), so the entries, key and hash compare
//! one-to-one with pefile, LIEF and VirusTotal.

use crate::hashes::md5_hex;
use serde::{Deserialize, Serialize};

const DANS: u32 = 0x536E_6144;
const RICH: u32 = 0x6863_6952;

/// One `@comp.id` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RichEntry {
    /// Product id (upper 16 bits of the comp id): which tool emitted it.
    pub product_id: u16,
    /// Build number of the tool (lower 16 bits).
    pub build: u16,
    /// How many objects that tool contributed.
    pub count: u32,
    /// Tool name and version implied by the product id, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
}

impl RichEntry {
    /// `(product_id << 16) | build`, as pefile lists it.
    pub fn comp_id(&self) -> u32 {
        ((self.product_id as u32) << 16) | self.build as u32
    }
}

/// A decoded Rich header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RichHeader {
    /// File offset of the `DanS` marker (pefile only accepts 0x80).
    pub offset: u32,
    /// Entries in file order.
    pub entries: Vec<RichEntry>,
    /// XOR key (the checksum stored after `Rich`), hex, 8 digits.
    pub key: String,
    /// Whether the key equals the checksum recomputed from the DOS header
    /// and the entries. False means the header was edited after linking.
    pub checksum_valid: bool,
    /// MD5 of the XOR-decoded bytes from 0x80 up to (not including)
    /// `Rich`: VirusTotal's `rich_pe_header_hash`, pefile's
    /// `get_rich_header_hash()`.
    pub hash_md5: String,
}

/// Parse the Rich header. `opt_header_offset` is the file offset of the
/// optional header (pefile searches for `Rich` between 0x80 and there).
/// Returns `None` when there is none or it fails pefile's checks; a note
/// goes to `warnings` when it is malformed past the entries.
pub fn parse(
    data: &[u8],
    opt_header_offset: usize,
    warnings: &mut Vec<String>,
) -> Option<RichHeader> {
    let end = opt_header_offset.min(data.len());
    if end <= 0x80 {
        return None;
    }
    let window = &data[0x80..end];
    let rich_rel = window.windows(4).position(|w| w == b"Rich")?;
    // pefile: rich_data = data[0x80 : rich_index + 8], truncated to dwords.
    let rd_end = (0x80 + rich_rel + 8).min(data.len());
    let rich_data = &data[0x80..rd_end];
    let rich_data = &rich_data[..rich_data.len() / 4 * 4];
    let dwords: Vec<u32> = rich_data
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let ri = dwords.iter().position(|&d| d == RICH)?;
    let key = *dwords.get(ri + 1)?;
    // raw_data = rich_data[:rich_data.find(b"Rich")] (byte search).
    let raw_len = rich_data.windows(4).position(|w| w == b"Rich")?;
    let kb = key.to_le_bytes();
    let clear: Vec<u8> = rich_data[..raw_len]
        .iter()
        .enumerate()
        .map(|(i, b)| b ^ kb[i % 4])
        .collect();
    if dwords.len() < 4 {
        return None;
    }
    let checksum = dwords[1];
    if dwords[0] ^ checksum != DANS || dwords[2] != checksum || dwords[3] != checksum {
        return None;
    }
    let rest = &dwords[4..];
    let mut entries = Vec::new();
    for pair in rest.chunks_exact(2) {
        if pair[0] == RICH {
            if pair[1] != checksum {
                warnings.push("Rich header is malformed (key after Rich differs)".into());
            }
            break;
        }
        let comp = pair[0] ^ checksum;
        let count = pair[1] ^ checksum;
        let product_id = (comp >> 16) as u16;
        entries.push(RichEntry {
            product_id,
            build: comp as u16,
            count,
            tool: product_name(product_id).map(str::to_string),
        });
    }
    let checksum_valid = compute_checksum(data, 0x80, &entries) == Some(key);
    Some(RichHeader {
        offset: 0x80,
        entries,
        key: format!("{key:08x}"),
        checksum_valid,
        hash_md5: md5_hex(&clear),
    })
}

/// The standard Rich checksum: `start` plus the DOS header bytes
/// `0..start` rotated left by their index (skipping `e_lfanew`), plus each
/// comp id rotated left by its count.
pub fn compute_checksum(data: &[u8], start: usize, entries: &[RichEntry]) -> Option<u32> {
    let head = data.get(..start)?;
    let mut cs = start as u32;
    for (i, &b) in head.iter().enumerate() {
        if (0x3c..0x40).contains(&i) {
            continue;
        }
        cs = cs.wrapping_add((b as u32).rotate_left(i as u32 % 32));
    }
    for e in entries {
        cs = cs.wrapping_add(e.comp_id().rotate_left(e.count % 32));
    }
    Some(cs)
}

/// The linker that the Rich header says produced the image: the product
/// id and build of the linker entry, and the `major.minor` version that
/// build implies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RichLinker {
    /// Product id of the linker entry.
    pub product_id: u16,
    /// Linker build number.
    pub build: u16,
    /// `major.minor` implied by product id and build, when known
    /// (e.g. `14.31` for Linker1400 build 31104).
    pub version: Option<String>,
}

/// Find the linker entry (the product ids named `Linker…`), if any.
pub fn linker(entries: &[RichEntry]) -> Option<RichLinker> {
    let e = entries
        .iter()
        .rev()
        .find(|e| product_name(e.product_id).is_some_and(|n| n.starts_with("Linker")))?;
    Some(RichLinker {
        product_id: e.product_id,
        build: e.build,
        version: linker_version(e.product_id, e.build),
    })
}

/// `major.minor` linker version implied by a linker entry.
pub fn linker_version(product_id: u16, build: u16) -> Option<String> {
    let v = match product_id {
        0x0004 => "6.0",
        0x005a => "7.10",
        0x0078 => "8.0",
        0x0091 => "9.0",
        0x009d => "10.0",
        0x0102 => return msvc14_minor(build).map(|m| format!("14.{m}")),
        _ => return None,
    };
    Some(v.to_string())
}

/// MSVC 14.x toolset minor version from a build number (first build of
/// each toolset; VS 2015 RTM is 23026). Where previews ship builds below a
/// release's first public build (26706 = 14.15, 30034 = 14.29,
/// 33731 = 14.40, all seen in the corpus next to those linker versions)
/// the boundary is moved down to cover them.
pub fn msvc14_minor(build: u16) -> Option<u32> {
    // (first build, minor)
    const T: &[(u16, u32)] = &[
        (23026, 0),
        (25017, 10),
        (25506, 11),
        (25830, 12),
        (26128, 13),
        (26428, 14),
        (26700, 15),
        (27023, 16),
        (27508, 20),
        (27702, 21),
        (27905, 22),
        (28105, 23),
        (28314, 24),
        (28610, 25),
        (28805, 26),
        (29110, 27),
        (29333, 28),
        (30000, 29),
        (30401, 30),
        (31104, 31),
        (31326, 32),
        (31629, 33),
        (31933, 34),
        (32215, 35),
        (32532, 36),
        (32822, 37),
        (33130, 38),
        (33519, 39),
        (33700, 40),
        (34120, 41),
        (34433, 42),
        (34808, 43),
        (35207, 44),
        (35700, 50),
    ];
    if build < T[0].0 {
        return None;
    }
    T.iter().rev().find(|(b, _)| build >= *b).map(|&(_, m)| m)
}

/// Name of a Rich product id for the ids that identify a tool family
/// unambiguously (linkers, C/C++ compilers, assemblers, resource
/// converters of the MSVC 2003–2010 and 2015–2022 generations; the 2012 and
/// 2013 ids are left out rather than guessed).
pub fn product_name(id: u16) -> Option<&'static str> {
    Some(match id {
        0x0001 => "Import0",
        0x0004 => "Linker600",
        0x005a => "Linker710",
        0x0078 => "Linker800",
        0x0091 => "Linker900",
        0x009d => "Linker1000",
        0x00ff => "Cvtres1400",
        0x0101 => "Implib1400",
        0x0102 => "Linker1400",
        0x0103 => "Masm1400",
        0x0104 => "Utc1900_C",
        0x0105 => "Utc1900_CPP",
        0x0106 => "Utc1900_CVTCIL_C",
        0x0107 => "Utc1900_CVTCIL_CPP",
        0x0108 => "Utc1900_LTCG_C",
        0x0109 => "Utc1900_LTCG_CPP",
        0x010a => "Utc1900_LTCG_MSIL",
        0x010b => "Utc1900_POGO_I_C",
        0x010c => "Utc1900_POGO_I_CPP",
        0x010d => "Utc1900_POGO_O_C",
        0x010e => "Utc1900_POGO_O_CPP",
        0x0100 => "Export1400",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (Rich linker build, optional-header linker version) pairs observed
    /// together in the real-binary corpus (win64 + win32, 1,267 files).
    const OBSERVED: &[(u16, &str)] = &[
        (23406, "14.0"),
        (23506, "14.0"),
        (24123, "14.0"),
        (24234, "14.0"),
        (24241, "14.0"),
        (26706, "14.15"),
        (27040, "14.16"),
        (27048, "14.16"),
        (28314, "14.24"),
        (28614, "14.25"),
        (28806, "14.26"),
        (29335, "14.28"),
        (29914, "14.28"),
        (30034, "14.29"),
        (30133, "14.29"),
        (30158, "14.29"),
        (31104, "14.31"),
        (31329, "14.32"),
        (31630, "14.33"),
        (31937, "14.34"),
        (31944, "14.34"),
        (32215, "14.35"),
        (32217, "14.35"),
        (32535, "14.36"),
        (32538, "14.36"),
        (32824, "14.37"),
        (32826, "14.37"),
        (33133, "14.38"),
        (33135, "14.38"),
        (33519, "14.39"),
        (33523, "14.39"),
        (33731, "14.40"),
        (33811, "14.40"),
        (33813, "14.40"),
        (34120, "14.41"),
        (34123, "14.41"),
        (34433, "14.42"),
        (34435, "14.42"),
        (34808, "14.43"),
    ];

    #[test]
    fn build_table_matches_observed_linkers() {
        for &(build, v) in OBSERVED {
            let got = linker_version(0x0102, build).unwrap();
            let norm = |s: &str| s.replace("14.0", "14.00");
            assert_eq!(norm(&got), norm(v), "build {build}");
        }
        assert_eq!(linker_version(0x0102, 20000), None);
        assert_eq!(linker_version(0x0091, 30729).as_deref(), Some("9.0"));
    }

    #[test]
    fn checksum_of_empty_header() {
        let data = [0u8; 0x80];
        assert_eq!(compute_checksum(&data, 0x80, &[]), Some(0x80));
        assert_eq!(compute_checksum(&data[..4], 0x80, &[]), None);
    }
}
