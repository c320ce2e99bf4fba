//! The synthetic indicators of the scale benchmarks (`intel-scale`, and
//! `shard-scale` of ascribe-store-pg, which includes this file): the i-th
//! record is always the same value, event, actor and date (seeded), so runs
//! and the two benchmarks compare.

use ascribe_core::{IntelKind, IntelRecord};

pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn base36(mut n: u64, len: usize) -> String {
    let d = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut s = String::with_capacity(len);
    s.push(char::from(d[(n % 26) as usize]));
    n /= 26;
    for _ in 1..len {
        s.push(char::from(d[(n % 36) as usize]));
        n /= 36;
    }
    s
}

fn hex(seed: u64, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes * 2);
    let mut i = 0u64;
    while s.len() < bytes * 2 {
        s.push_str(&format!("{:016x}", mix(seed ^ i.wrapping_mul(0x51ed_2701))));
        i += 1;
    }
    s.truncate(bytes * 2);
    s
}

const TLDS: [&str; 10] = [
    "com", "net", "org", "info", "ru", "cn", "xyz", "top", "co.uk", "com.br",
];

fn domain(h: u64) -> String {
    let sub = match (h >> 40) % 8 {
        0 => "www.",
        1 => "mail.",
        2 => "cdn.",
        _ => "",
    };
    format!("{sub}{}.{}", base36(h, 9), TLDS[((h >> 50) % 10) as usize])
}

/// The i-th synthetic value of stream `seed`.
pub fn value(seed: u64, i: u64) -> (IntelKind, String) {
    let h = mix(seed.wrapping_mul(0x1000_0000_01b3) ^ i);
    let h2 = mix(h);
    match h % 100 {
        0..=24 => (
            IntelKind::Ipv4,
            std::net::Ipv4Addr::from((h2 >> 16) as u32).to_string(),
        ),
        25..=54 => (IntelKind::Domain, domain(h2)),
        55..=69 => (IntelKind::Sha256, hex(h2, 32)),
        70..=84 => (IntelKind::Sha1, hex(h2, 20)),
        85..=94 => (IntelKind::Md5, hex(h2, 16)),
        _ => (
            IntelKind::Url,
            format!("http://{}/{}/index.php", domain(h2), base36(mix(h2), 6)),
        ),
    }
}

pub const SEED: u64 = 1;
pub const PER_EVENT: u64 = 100;

pub fn record(i: u64) -> IntelRecord {
    let (kind, v) = value(SEED, i);
    let e = i / PER_EVENT;
    let mut r = ascribe_intel::new_record(kind, &v, &format!("misp-event:synthetic-{e:08}"))
        .expect("synthetic values are valid");
    let he = mix(e ^ 0xabc);
    r.actors = vec![format!("actor-{:04}", he % 1000)];
    r.event = Some(format!("synthetic-{e:08}"));
    r.event_title = Some(format!("Synthetic event {e}"));
    r.published = Some(format!(
        "20{:02}-{:02}-{:02}",
        10 + (he >> 12) % 14,
        1 + (he >> 20) % 12,
        1 + (he >> 28) % 28
    ));
    r.to_ids = true;
    r
}
