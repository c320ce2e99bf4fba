//! Helpers shared by the end-to-end tests of the `ascribe` binary.
#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The checkout's root (the tests run in the crate directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Run `ascribe` on `store`, without colour, from the checkout's root.
pub fn ascribe(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ascribe"))
        .args(args)
        .env("ASCRIBE_STORE", store)
        .env("NO_COLOR", "1")
        .current_dir(root())
        .output()
        .expect("run ascribe")
}

/// The JSON a successful run printed (fails the test on a failed run).
pub fn json(o: &Output) -> serde_json::Value {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("JSON output")
}
