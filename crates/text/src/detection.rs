//! Anti-virus detection names: `Trojan:Win32/Industroyer.A!dha` (Microsoft),
//! `Win32/Industroyer.A`, `PowerShell/Pterodo.GE` (ESET),
//! `Backdoor.Win32.Agent.abc`, `HEUR:Trojan.Win32.Generic` (Kaspersky).
//!
//! A detection name is one token; its platform and type are vendor syntax,
//! its family is the useful part. Words inside it (`PowerShell`, `Win32`) are
//! not mentions of a technique or of software.

/// One detection name in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Detection {
    /// Byte span of the whole name.
    pub start: usize,
    pub end: usize,
    /// Byte span of the family inside it.
    pub family: (usize, usize),
}

const PLATFORMS: &[&str] = &[
    "win32",
    "win64",
    "win",
    "msil",
    "linux",
    "unix",
    "osx",
    "macos",
    "macosx",
    "android",
    "ios",
    "js",
    "vbs",
    "vba",
    "powershell",
    "python",
    "java",
    "script",
    "html",
    "pdf",
    "dos",
    "bat",
    "w97m",
    "x97m",
    "o97m",
    "php",
    "perl",
    "elf",
    "multi",
    "shell",
    "bash",
    "autoit",
    "nsis",
    "jar",
    "doc",
    "xml",
    "lnk",
    "hta",
    "wsh",
];

const TYPES: &[&str] = &[
    "trojan",
    "backdoor",
    "trojandownloader",
    "trojandropper",
    "trojanspy",
    "ransom",
    "worm",
    "exploit",
    "hacktool",
    "pws",
    "spyware",
    "virus",
    "virtool",
    "behavior",
    "adware",
    "dos",
    "heur",
    "not-a-virus",
    "riskware",
    "downloader",
    "dropper",
    "spy",
    "rootkit",
    "ransomware",
    "agent",
    "generic",
    "generik",
    "filecoder",
    "packed",
    "suspicious",
];

fn is_variant(seg: &str) -> bool {
    !seg.is_empty()
        && seg.len() <= 5
        && (seg
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            || seg
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                && seg.len() <= 3)
}

/// Detection names in `text`, in order.
pub(crate) fn detections(text: &str) -> Vec<Detection> {
    let mut out = Vec::new();
    // fast path: every detection name has a '/' or a dotted platform (".Win32.")
    let b = text.as_bytes();
    let dotted = || {
        memchr::memchr_iter(b'.', b).any(|i| {
            PLATFORMS.iter().any(|p| {
                b.len() > i + 1 + p.len()
                    && b[i + 1..i + 1 + p.len()].eq_ignore_ascii_case(p.as_bytes())
                    && b[i + 1 + p.len()] == b'.'
            })
        })
    };
    if memchr::memchr(b'/', b).is_none() && !dotted() {
        return out;
    }
    for tok in text.split(|c: char| c.is_whitespace()) {
        // the token's own offset (a white-space separator may be several bytes: U+0085)
        let tstart = tok.as_ptr() as usize - text.as_ptr() as usize;
        if tok.len() < 6 || tok.len() > 120 || !(tok.contains('/') || tok.contains('.')) {
            continue;
        }
        let lead = tok.len()
            - tok
                .trim_start_matches(['(', '"', '\'', '`', '[', '*'])
                .len();
        let core =
            tok[lead..].trim_end_matches([',', ';', ')', '"', '\'', '`', ']', '*', '.', ':']);
        if core.contains("://") || core.contains('@') || core.contains('\\') {
            continue;
        }
        let start = tstart + lead;
        let body_end = core.find('!').unwrap_or(core.len());
        let body = &core[..body_end];
        // optional "Type:" prefix
        let (prefix_len, rest) = match body.split_once(':') {
            Some((t, r)) if TYPES.contains(&t.to_ascii_lowercase().as_str()) => (t.len() + 1, r),
            Some(_) => continue,
            None => (0, body),
        };
        let rest_start = start + prefix_len;
        let family = if let Some((plat, tail)) = rest.split_once('/') {
            // Microsoft / ESET: Platform/[Type.]Family[.Variant]
            if !PLATFORMS.contains(&plat.to_ascii_lowercase().as_str()) || tail.contains('/') {
                continue;
            }
            let segs: Vec<&str> = tail.split('.').collect();
            let tail_start = rest_start + plat.len() + 1;
            pick_family(&segs, tail_start)
        } else {
            // Kaspersky: Type.Platform.Family[.variant]
            let segs: Vec<&str> = rest.split('.').collect();
            if segs.len() < 3
                || !TYPES.contains(&segs[0].to_ascii_lowercase().as_str())
                || !PLATFORMS.contains(&segs[1].to_ascii_lowercase().as_str())
            {
                continue;
            }
            let off = rest_start + segs[0].len() + segs[1].len() + 2;
            pick_family(&segs[2..], off)
        };
        if let Some(family) = family {
            out.push(Detection {
                start,
                end: start + core.len(),
                family,
            });
        }
    }
    out
}

/// The family among `segs` (starting at byte `off`): the last segment that is
/// neither the variant nor a type word.
fn pick_family(segs: &[&str], off: usize) -> Option<(usize, usize)> {
    let mut starts = Vec::with_capacity(segs.len());
    let mut p = off;
    for s in segs {
        starts.push(p);
        p += s.len() + 1;
    }
    let n = if segs.len() > 1 && is_variant(segs[segs.len() - 1]) {
        segs.len() - 1
    } else {
        segs.len()
    };
    (0..n).rev().find_map(|i| {
        let s = segs[i];
        let ok = s.len() >= 3
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && s.bytes().any(|b| b.is_ascii_alphabetic())
            && !TYPES.contains(&s.to_ascii_lowercase().as_str());
        ok.then(|| (starts[i], starts[i] + s.len()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fams(t: &str) -> Vec<(&str, &str)> {
        detections(t)
            .iter()
            .map(|d| (&t[d.start..d.end], &t[d.family.0..d.family.1]))
            .collect()
    }

    #[test]
    fn vendor_syntaxes() {
        assert_eq!(
            fams("ESET detects it as PowerShell/Pterodo.GE and Win32/Industroyer.A, Microsoft as Trojan:Win32/Industroyer.A!dha."),
            vec![
                ("PowerShell/Pterodo.GE", "Pterodo"),
                ("Win32/Industroyer.A", "Industroyer"),
                ("Trojan:Win32/Industroyer.A!dha", "Industroyer"),
            ]
        );
        assert_eq!(
            fams("Kaspersky: Backdoor.Win32.Sednit.abc (HEUR:Trojan.Win32.Generic)"),
            vec![("Backdoor.Win32.Sednit.abc", "Sednit")]
        );
        // paths, URLs and domains are not detection names
        assert!(fams(
            "see https://x.org/Win32/Foo.A and C:\\Win32\\Foo.exe and evil.example.com and 1.2.3.4"
        )
        .is_empty());
    }
}
