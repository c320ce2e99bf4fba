//! Builders for tiny, well-formed ELF64 x86-64 files around hand-written code (they live in
//! `ascribe_code::conformance`, shared with the other stores' test suites).
#![allow(unused_imports)]

pub use ascribe_code::conformance::{body, elf64, sample_file, TEXT_VA};
