//! Authenticode: a bounded, hand-written DER walk over the PKCS#7
//! `SignedData` in a PE's security directory, to name the signer.
//!
//! Only the fields needed for attribution are read: the certificates'
//! subjects, and the signer's issuer and serial number (from the first
//! `SignerInfo`), matched to its certificate. Nothing is verified: a
//! signature here is a claim, not proof. Recursion depth is fixed by the
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
    let _encap = sd.expect(SEQ)?;
    let mut out = SignatureSummary::default();
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
                tlv(SEQ, &tlv(OID, &[1])),
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
}
