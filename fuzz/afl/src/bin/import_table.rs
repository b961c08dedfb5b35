//! AFL++ target: see `targets::import_table`.
#[path = "../../../targets.rs"]
mod targets;

fn main() {
    afl::fuzz!(|data: &[u8]| targets::import_table(data));
}
