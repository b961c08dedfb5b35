//! AFL++ target: see `targets::search_query`.
#[path = "../../../targets.rs"]
mod targets;

fn main() {
    afl::fuzz!(|data: &[u8]| targets::search_query(data));
}
