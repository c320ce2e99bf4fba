//! Write the default benign PE32 fixture (Korean RT_VERSION resource, Rich
//! header, CodeView PDB path, fixed timestamp) to the given path:
//! `cargo run -p ascribe-binary --example gen_fixture -- out.exe [TIMESTAMP]`

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().expect("usage: gen_fixture OUT.exe [TIMESTAMP]");
    let mut spec = ascribe_binary::fixture::FixtureSpec::default();
    if let Some(t) = args.next() {
        spec.timestamp = t.parse().expect("TIMESTAMP is seconds since 1970");
    }
    std::fs::write(&out, spec.build()).expect("write fixture");
}
