//! AFL++ target: see `targets::docx_text`.
#[path = "../../../targets.rs"]
mod targets;

fn main() {
    afl::fuzz!(|data: &[u8]| targets::docx_text(data));
}
