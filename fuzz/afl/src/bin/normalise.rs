//! cargo-afl harness: the `normalise` target of src-tauri/engine/examples/fuzz/targets.rs.
#[allow(dead_code)]
#[path = "../../../../src-tauri/engine/examples/fuzz/targets.rs"]
mod targets;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let _ = targets::run_normalise(data);
    });
}
