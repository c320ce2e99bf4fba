//! Knowledge-base importers (STIX, MISP galaxy, revoked list) and the build
//! of a knowledge base from whatever they accept.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(imp) = ascribe_kb::import::import_bytes(data, "fuzz") {
        let kb = ascribe_kb::KnowledgeBase::build(&imp.facts);
        let _ = kb.resolve_actor("x");
    }
});
