//! Authenticode: a bounded, hand-written DER walk over the PKCS#7
//! `SignedData` in a PE's security directory, to name the signer and to
//! check that the signature belongs to this file.
//!
//! Read: the certificates' subjects, the signer's issuer and serial number
//! (from the first `SignerInfo`), matched to its certificate, and the file
//! digest the signature covers (`SpcIndirectDataContent`'s `DigestInfo`).
//! The PE module recomputes that Authenticode digest: a mismatch means the
//! signature was transplanted from another file (as SigThief does) or the
//! file was changed after signing. The signature's cryptography and the
//! certificate chain are *not* verified: a matching digest says the blob was
//! made for this file, not who made it. Recursion depth is fixed by the
//! structure walked (no generic recursive descent), and at most
//! [`MAX_CERTS`] certificates are read.

/// Certificates read from one blob at most.
pub const MAX_CERTS: usize = 32;

/// What the walk found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SignatureSummary {
    /// Subject of the signing certificate.
    pub signer_subject: Option<String>,
    /// Issuer of the signing certificate.
    pub signer_issuer: Option<String>,
    /// Serial of the signing certificate, hex.
    pub signer_serial: Option<String>,
    /// Subjects of all certificates present.
    pub certificate_subjects: Vec<String>,
    /// The Authenticode digest the signature covers, when its algorithm is
    /// one ascribe computes.
    pub digest: Option<(DigestAlgorithm, Vec<u8>)>,
}

/// Digest algorithms of Authenticode signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DigestAlgorithm {
    /// MD5 (old signatures).
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    fn from_oid(oid: &[u8]) -> Option<Self> {
        Some(match oid {
            [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05] => DigestAlgorithm::Md5,
            [0x2b, 0x0e, 0x03, 0x02, 0x1a] => DigestAlgorithm::Sha1,
            [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01] => DigestAlgorithm::Sha256,
            [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02] => DigestAlgorithm::Sha384,
            [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03] => DigestAlgorithm::Sha512,
            _ => return None,
        })
    }

    /// Digest of the concatenation of `parts`.
    pub fn digest(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: sha2::Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut h = D::new();
            for p in parts {
                h.update(p);
            }
            h.finalize().to_vec()
        }
        match self {
            DigestAlgorithm::Md5 => run::<md5::Md5>(parts),
            DigestAlgorithm::Sha1 => run::<sha1::Sha1>(parts),
            DigestAlgorithm::Sha256 => run::<sha2::Sha256>(parts),
            DigestAlgorithm::Sha384 => run::<sha2::Sha384>(parts),
            DigestAlgorithm::Sha512 => run::<sha2::Sha512>(parts),
        }
    }
}

/// `SpcIndirectDataContent` → its `DigestInfo` (algorithm, digest).
fn indirect_digest(encap: &Tlv) -> Result<Option<(DigestAlgorithm, Vec<u8>)>, DerError> {
    let mut e = inner(encap);
    let _content_type = e.expect(OID)?;
    if e.done() {
        return Ok(None);
    }
    let explicit = e.expect(CTX0)?;
    let spc = inner(&explicit).expect(SEQ)?;
    let mut spc = inner(&spc);
    let _data = spc.expect(SEQ)?;
    let digest_info = spc.expect(SEQ)?;
    let mut di = inner(&digest_info);
    let alg = di.expect(SEQ)?;
    let oid = inner(&alg).expect(OID)?;
    let digest = di.expect(OCTETS)?;
    Ok(DigestAlgorithm::from_oid(oid.body).map(|a| (a, digest.body.to_vec())))
}

/// Errors in the DER walk.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DerError {
    /// Data ends inside an element.
    #[error("truncated DER at offset {0}")]
    Truncated(usize),
    /// An element has another tag than the structure requires.
    #[error("unexpected DER tag 0x{found:02x} at offset {at} (wanted 0x{wanted:02x})")]
    Tag {
        /// Offset.
        at: usize,
        /// Tag found.
        found: u8,
        /// Tag wanted.
        wanted: u8,
    },
    /// The WIN_CERTIFICATE header is wrong.
    #[error("WIN_CERTIFICATE: {0}")]
    Header(&'static str),
}

#[derive(Clone, Copy)]
struct Tlv<'a> {
    tag: u8,
    /// Content bytes.
    body: &'a [u8],
    /// The whole element (header + content).
    raw: &'a [u8],
    /// Offset of the element in the top-level buffer.
    at: usize,
}

/// Sequential reader over the elements of one constructed value.
struct Der<'a> {
    d: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Der<'a> {
    fn new(d: &'a [u8], base: usize) -> Self {
        Der { d, pos: 0, base }
    }
    fn done(&self) -> bool {
        self.pos >= self.d.len()
    }
    fn next(&mut self) -> Result<Tlv<'a>, DerError> {
        let at = self.base + self.pos;
        let start = self.pos;
        let tag = *self.d.get(self.pos).ok_or(DerError::Truncated(at))?;
        let mut p = self.pos + 1;
        let l0 = *self.d.get(p).ok_or(DerError::Truncated(at))?;
        p += 1;
        let len = if l0 < 0x80 {
            l0 as usize
        } else {
            let n = (l0 & 0x7f) as usize;
            if n == 0 || n > 4 {
                return Err(DerError::Truncated(at));
            }
            let mut v = 0usize;
            for _ in 0..n {
                v = (v << 8) | *self.d.get(p).ok_or(DerError::Truncated(at))? as usize;
                p += 1;
            }
            v
        };
        let end = p.checked_add(len).ok_or(DerError::Truncated(at))?;
        let body = self.d.get(p..end).ok_or(DerError::Truncated(at))?;
        self.pos = end;
        Ok(Tlv {
            tag,
            body,
            raw: &self.d[start..end],
            at,
        })
    }
    fn expect(&mut self, tag: u8) -> Result<Tlv<'a>, DerError> {
        let t = self.next()?;
        if t.tag != tag {
            return Err(DerError::Tag {
                at: t.at,
                found: t.tag,
                wanted: tag,
            });
        }
        Ok(t)
    }
}

fn inner<'a>(t: &Tlv<'a>) -> Der<'a> {
    let hdr = t.raw.len() - t.body.len();
    Der::new(t.body, t.at + hdr)
}

const SEQ: u8 = 0x30;
const SET: u8 = 0x31;
const INT: u8 = 0x02;
const OID: u8 = 0x06;
const CTX0: u8 = 0xa0;
const OCTETS: u8 = 0x04;

/// Parse a WIN_CERTIFICATE (as found at the security directory's file
/// offset) holding a PKCS#7 SignedData.
pub fn parse_win_certificate(blob: &[u8]) -> Result<SignatureSummary, DerError> {
    if blob.len() < 8 {
        return Err(DerError::Header("shorter than its 8-byte header"));
    }
    let len = u32::from_le_bytes([blob[0], blob[1], blob[2], blob[3]]) as usize;
    let ctype = u16::from_le_bytes([blob[6], blob[7]]);
    if ctype != 2 {
        return Err(DerError::Header(
            "certificate type is not PKCS#7 SignedData",
        ));
    }
    let end = len.clamp(8, blob.len());
    parse_pkcs7(&blob[8..end])
}

/// Parse a DER PKCS#7 ContentInfo holding SignedData.
pub fn parse_pkcs7(der: &[u8]) -> Result<SignatureSummary, DerError> {
    let mut top = Der::new(der, 0);
    let ci = top.expect(SEQ)?;
    let mut ci = inner(&ci);
    let _oid = ci.expect(OID)?;
    let explicit = ci.expect(CTX0)?;
    let sd = inner(&explicit).expect(SEQ)?;
    let mut sd = inner(&sd);
    let _version = sd.expect(INT)?;
    let _digest_algs = sd.expect(SET)?;
    let encap = sd.expect(SEQ)?;
    let mut out = SignatureSummary {
        // a malformed SpcIndirectDataContent leaves the digest unknown; the
        // signer is still worth reading
        digest: indirect_digest(&encap).ok().flatten(),
        ..SignatureSummary::default()
    };
    // (issuer raw, serial raw, subject string, issuer string)
    let mut certs: Vec<(&[u8], &[u8], String, String)> = Vec::new();
    let mut signer: Option<(&[u8], &[u8])> = None;
    while !sd.done() {
        let t = sd.next()?;
        match t.tag {
            0xa0 => {
                let mut cs = inner(&t);
                while !cs.done() && certs.len() < MAX_CERTS {
                    let c = cs.next()?;
                    if c.tag != SEQ {
                        continue;
                    }
                    if let Ok(x) = parse_cert(&c) {
                        certs.push(x);
                    }
                }
            }
            SET => {
                // signerInfos: first SignerInfo, sid = IssuerAndSerialNumber.
                let mut si = inner(&t);
                if !si.done() {
                    let s = si.expect(SEQ)?;
                    let mut s = inner(&s);
                    let _v = s.expect(INT)?;
                    let sid = s.next()?;
                    if sid.tag == SEQ {
                        let mut ias = inner(&sid);
                        let issuer = ias.expect(SEQ)?;
                        let serial = ias.expect(INT)?;
                        signer = Some((issuer.raw, serial.body));
                        out.signer_serial = Some(crate::hashes::hex(serial.body));
                        out.signer_issuer = Some(name_string(&issuer));
                    }
                }
            }
            _ => {}
        }
    }
    if let Some((iss, ser)) = signer {
        if let Some(c) = certs.iter().find(|c| c.0 == iss && c.1 == ser) {
            out.signer_subject = Some(c.2.clone());
            out.signer_issuer = Some(c.3.clone());
        }
    }
    out.certificate_subjects = certs.into_iter().map(|c| c.2).collect();
    Ok(out)
}

type CertFields<'a> = (&'a [u8], &'a [u8], String, String);

fn parse_cert<'a>(c: &Tlv<'a>) -> Result<CertFields<'a>, DerError> {
    let tbs = inner(c).expect(SEQ)?;
    let mut tbs = inner(&tbs);
    let mut t = tbs.next()?;
    if t.tag == CTX0 {
        t = tbs.next()?;
    }
    if t.tag != INT {
        return Err(DerError::Tag {
            at: t.at,
            found: t.tag,
            wanted: INT,
        });
    }
    let serial = t.body;
    let _alg = tbs.expect(SEQ)?;
    let issuer = tbs.expect(SEQ)?;
    let _validity = tbs.expect(SEQ)?;
    let subject = tbs.expect(SEQ)?;
    Ok((
        issuer.raw,
        serial,
        name_string(&subject),
        name_string(&issuer),
    ))
}

/// RFC 4514-like rendering of an X.501 Name, in stored order.
fn name_string(name: &Tlv) -> String {
    let mut parts = Vec::new();
    let mut rdns = inner(name);
    while let Ok(rdn) = rdns.next() {
        if parts.len() >= 32 {
            break;
        }
        let mut atvs = inner(&rdn);
        while let Ok(atv) = atvs.next() {
            let mut f = inner(&atv);
            let (Ok(oid), Ok(val)) = (f.next(), f.next()) else {
                break;
            };
            let key = match oid.body {
                [0x55, 0x04, 0x03] => "CN".to_string(),
                [0x55, 0x04, 0x06] => "C".to_string(),
                [0x55, 0x04, 0x07] => "L".to_string(),
                [0x55, 0x04, 0x08] => "ST".to_string(),
                [0x55, 0x04, 0x0a] => "O".to_string(),
                [0x55, 0x04, 0x0b] => "OU".to_string(),
                [0x55, 0x04, 0x05] => "serialNumber".to_string(),
                [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => {
                    "emailAddress".to_string()
                }
                other => format!("OID.{}", crate::hashes::hex(other)),
            };
            let v = match val.tag {
                0x1e => {
                    let u: Vec<u16> = val
                        .body
                        .chunks_exact(2)
                        .map(|c| u16::from_be_bytes([c[0], c[1]]))
                        .collect();
                    String::from_utf16_lossy(&u)
                }
                _ => String::from_utf8_lossy(val.body).into_owned(),
            };
            parts.push(format!("{key}={v}"));
        }
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        if body.len() < 128 {
            v.push(body.len() as u8);
        } else {
            v.push(0x82);
            v.extend_from_slice(&(body.len() as u16).to_be_bytes());
        }
        v.extend_from_slice(body);
        v
    }
    fn name(cn: &str, c: &str) -> Vec<u8> {
        let a = tlv(
            SET,
            &tlv(
                SEQ,
                &[tlv(OID, &[0x55, 4, 3]), tlv(0x0c, cn.as_bytes())].concat(),
            ),
        );
        let b = tlv(
            SET,
            &tlv(
                SEQ,
                &[tlv(OID, &[0x55, 4, 6]), tlv(0x13, c.as_bytes())].concat(),
            ),
        );
        tlv(SEQ, &[b, a].concat())
    }

    /// Build a minimal SignedData with one certificate and one SignerInfo.
    pub(crate) fn signed_data(subject_cn: &str, issuer_cn: &str) -> Vec<u8> {
        signed_data_with(subject_cn, issuer_cn, None)
    }

    /// Same, with an `SpcIndirectDataContent` carrying a SHA-256 file digest.
    fn signed_data_with(subject_cn: &str, issuer_cn: &str, sha256: Option<&[u8]>) -> Vec<u8> {
        let serial = tlv(INT, &[0x01, 0x23]);
        let alg = tlv(SEQ, &tlv(OID, &[0x2a, 0x86, 0x48]));
        let issuer = name(issuer_cn, "US");
        let tbs = tlv(
            SEQ,
            &[
                tlv(CTX0, &tlv(INT, &[2])),
                serial.clone(),
                alg.clone(),
                issuer.clone(),
                tlv(SEQ, &[]),
                name(subject_cn, "KR"),
            ]
            .concat(),
        );
        let cert = tlv(SEQ, &[tbs, alg.clone(), tlv(0x03, &[0])].concat());
        let signer_info = tlv(
            SEQ,
            &[tlv(INT, &[1]), tlv(SEQ, &[issuer, serial].concat())].concat(),
        );
        let sd = tlv(
            SEQ,
            &[
                tlv(INT, &[1]),
                tlv(SET, &alg),
                match sha256 {
                    None => tlv(SEQ, &tlv(OID, &[1])),
                    Some(d) => {
                        let sha256_oid = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
                        let digest_info = tlv(
                            SEQ,
                            &[
                                tlv(SEQ, &[tlv(OID, &sha256_oid), tlv(0x05, &[])].concat()),
                                tlv(OCTETS, d),
                            ]
                            .concat(),
                        );
                        let spc = tlv(
                            SEQ,
                            &[tlv(SEQ, &tlv(OID, &[0x2b, 6, 1])), digest_info].concat(),
                        );
                        tlv(
                            SEQ,
                            &[
                                tlv(OID, &[0x2b, 6, 1, 4, 1, 0x82, 0x37, 2, 1, 4]),
                                tlv(CTX0, &spc),
                            ]
                            .concat(),
                        )
                    }
                },
                tlv(0xa0, &cert),
                tlv(SET, &signer_info),
            ]
            .concat(),
        );
        tlv(
            SEQ,
            &[
                tlv(OID, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 7, 2]),
                tlv(CTX0, &sd),
            ]
            .concat(),
        )
    }

    #[test]
    fn finds_signer() {
        let p7 = signed_data("Example Signer", "Example CA");
        let mut wc = ((p7.len() + 8) as u32).to_le_bytes().to_vec();
        wc.extend_from_slice(&0x0200u16.to_le_bytes());
        wc.extend_from_slice(&2u16.to_le_bytes());
        wc.extend_from_slice(&p7);
        let s = parse_win_certificate(&wc).unwrap();
        assert_eq!(s.signer_subject.as_deref(), Some("C=KR, CN=Example Signer"));
        assert_eq!(s.signer_issuer.as_deref(), Some("C=US, CN=Example CA"));
        assert_eq!(s.signer_serial.as_deref(), Some("0123"));
        assert_eq!(s.certificate_subjects.len(), 1);
    }

    #[test]
    fn truncated_is_an_error() {
        let p7 = signed_data("A", "B");
        for cut in [0, 1, 5, p7.len() / 2, p7.len() - 1] {
            assert!(parse_pkcs7(&p7[..cut]).is_err(), "cut {cut}");
        }
        assert!(parse_win_certificate(&[1, 2, 3]).is_err());
    }

    /// Sign a PE (a fixture) for real as far as ascribe checks: append a
    /// certificate table whose digest is the file's Authenticode digest.
    fn sign(pe: &[u8], digest_of: &[u8]) -> Vec<u8> {
        let lfanew = u32::from_le_bytes(pe[0x3c..0x40].try_into().unwrap()) as usize;
        let opt = lfanew + 24;
        let magic = u16::from_le_bytes([pe[opt], pe[opt + 1]]);
        let dd = if magic == 0x20b { 112 } else { 96 };
        let (ck, sd) = (opt + 64, opt + dd + 32);
        let mut out = pe.to_vec();
        while out.len() % 8 != 0 {
            out.push(0);
        }
        let so = out.len();
        // the digest covers everything but the checksum, the security entry
        // and the table itself, so it can be computed before writing them
        let mut src = digest_of.to_vec();
        src.resize(so, 0);
        let d = DigestAlgorithm::Sha256.digest(&[&src[..ck], &src[ck + 4..sd], &src[sd + 8..so]]);
        let p7 = signed_data_with("Example Signer", "Example CA", Some(&d));
        let len = p7.len() + 8;
        out.extend_from_slice(&(len as u32).to_le_bytes());
        out.extend_from_slice(&0x0200u16.to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&p7);
        out[sd..sd + 4].copy_from_slice(&(so as u32).to_le_bytes());
        out[sd + 4..sd + 8].copy_from_slice(&(len as u32).to_le_bytes());
        out
    }

    fn auth(data: &[u8]) -> crate::pe::AuthenticodeInfo {
        let r = crate::inspect_bytes(data, &crate::InspectOptions::default());
        r.pe.expect("a PE").authenticode.expect("signed")
    }

    #[test]
    fn digest_of_a_signed_file_matches() {
        let pe = crate::fixture::FixtureSpec::default().build();
        let signed = sign(&pe, &pe);
        let a = auth(&signed);
        assert_eq!(a.signer.as_deref(), Some("C=KR, CN=Example Signer"));
        assert_eq!(a.digest_algorithm, Some(DigestAlgorithm::Sha256));
        assert_eq!(a.digest_matches, Some(true));
    }

    #[test]
    fn a_changed_or_transplanted_signature_does_not_match() {
        let pe = crate::fixture::FixtureSpec::default().build();
        // the file changed after signing (one byte of code)
        let mut changed = sign(&pe, &pe);
        let at = pe.len() - 16;
        changed[at] ^= 0xff;
        assert_eq!(auth(&changed).digest_matches, Some(false));
        // SigThief: a signature made for another file
        let other = crate::fixture::FixtureSpec {
            timestamp: 0x5000_0000,
            ..Default::default()
        }
        .build();
        let stolen = sign(&pe, &other);
        let a = auth(&stolen);
        assert_eq!(a.digest_matches, Some(false));
        assert!(a.signer.is_some(), "the signer is still read");
    }
}
