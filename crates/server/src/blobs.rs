//! Evidence bytes, content-addressed: `blobs/ab/abcdef…` named by their
//! SHA-256, written once by rename, never with an execute bit.

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct Blobs {
    dir: PathBuf,
}

/// Is `s` a lowercase hex SHA-256?
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Blobs {
    pub fn open(dir: &Path) -> std::io::Result<Blobs> {
        std::fs::create_dir_all(dir)?;
        Ok(Blobs {
            dir: dir.to_path_buf(),
        })
    }

    fn path(&self, sha: &str) -> Option<PathBuf> {
        is_sha256(sha).then(|| self.dir.join(&sha[..2]).join(sha))
    }

    /// Store bytes; returns their SHA-256. Storing the same bytes twice keeps one copy.
    pub fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha = sha256_hex(bytes);
        let path = self.path(&sha).expect("a computed digest is valid");
        if path.exists() {
            return Ok(sha);
        }
        let parent = path.parent().expect("blob paths have a parent");
        std::fs::create_dir_all(parent)?;
        let mut tmp = tempfile::NamedTempFile::new_in(parent)?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // never executable, readable by the server's user only
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(sha)
    }

    pub fn get(&self, sha: &str) -> std::io::Result<Vec<u8>> {
        match self.path(sha) {
            Some(p) => std::fs::read(p),
            None => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a content address",
            )),
        }
    }

    /// The file of a blob (for tests and maintenance).
    pub fn file(&self, sha: &str) -> Option<PathBuf> {
        self.path(sha)
    }
}
