//! The store suite (`ascribe_code::conformance`) on the in-memory and the on-disk store; the
//! PostgreSQL store runs the same functions in `ascribe-store-pg`.

use ascribe_code::{conformance, DiskStore, MemoryStore};

#[test]
fn answers_match_the_memory_store() {
    conformance::answers_match_the_memory_store(MemoryStore::new());
    let dir = tempfile::tempdir().unwrap();
    conformance::answers_match_the_memory_store(DiskStore::open(dir.path()).unwrap());
}

#[test]
fn re_adding_is_idempotent() {
    conformance::re_adding_is_idempotent(MemoryStore::new());
    let dir = tempfile::tempdir().unwrap();
    conformance::re_adding_is_idempotent(DiskStore::open(dir.path()).unwrap());
}

#[test]
fn long_posting_lists_are_sampled_evenly() {
    conformance::long_posting_lists_are_sampled_evenly(MemoryStore::new());
    let dir = tempfile::tempdir().unwrap();
    conformance::long_posting_lists_are_sampled_evenly(DiskStore::open(dir.path()).unwrap());
}

#[test]
fn flushed_samples_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    conformance::flushed_samples_survive_reopening(|| DiskStore::open(dir.path()).unwrap());
}

#[test]
fn a_copy_has_the_digest_of_its_source() {
    use ascribe_code::{copy_index, digest, CodeIndex};
    let mut mem = CodeIndex::new(MemoryStore::new()).unwrap();
    conformance::populate(&mut mem);
    let dir = tempfile::tempdir().unwrap();
    let mut disk = DiskStore::open(dir.path()).unwrap();
    let sum = copy_index(mem.store(), &mut disk, 3, &mut |_, _| {}).unwrap();
    assert_eq!((sum.added, sum.present, sum.functions), (8, 0, 72));
    let (a, b) = (digest(mem.store()).unwrap(), digest(&disk).unwrap());
    assert_eq!(a, b);
    // Copying again adds nothing; a changed label changes the digest.
    let again = copy_index(mem.store(), &mut disk, 3, &mut |_, _| {}).unwrap();
    assert_eq!((again.added, again.present), (0, 8));
    let mut other = CodeIndex::new(MemoryStore::new()).unwrap();
    conformance::populate(&mut other);
    other
        .add_bytes(&conformance::query(), &conformance::meta("Z"))
        .unwrap();
    assert_ne!(digest(other.store()).unwrap(), a);
}
