//! Inputs the fuzzer (fuzz/fuzz_targets/read_text.rs) once crashed on: they must read without a
//! panic now.

#[test]
fn former_fuzz_crashes_read_without_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/fuzz");
    let mut n = 0;
    for e in std::fs::read_dir(dir).expect("fuzz folder").flatten() {
        let bytes = std::fs::read(e.path()).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        let mut r = vec![gongkai_audit::read_text(&text, None)];
        gongkai_audit::check_all(&mut r);
        let _ = gongkai_audit::read_html(&text, None);
        n += 1;
    }
    assert!(n >= 1);
}
