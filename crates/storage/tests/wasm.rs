//! MemoryStorage compiled to wasm32-unknown-unknown and run in a real browser (headless
//! Chromium, through `wasm-bindgen-test-runner`; see `scripts/test.sh`). These prove the whole
//! wasm pipeline end to end: the crate builds for the browser target, the runner drives Chrome,
//! and the store behaves there exactly as it does natively.
//!
//! Run: `cargo test --target wasm32-unknown-unknown -p streamlab-storage`
#![cfg(target_arch = "wasm32")]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use streamlab_storage::{MemoryStorage, Storage};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn names(fs: &MemoryStorage, dir: &str) -> Vec<String> {
    fs.list(dir).unwrap().iter().map(|s| s.name().to_string()).collect()
}

/// The user agent of the page the tests run in; `None` outside a browser (Node.js, Deno).
fn user_agent() -> Option<String> {
    let global = js_sys::global();
    let navigator = js_sys::Reflect::get(&global, &JsValue::from_str("navigator")).ok()?;
    if navigator.is_undefined() || js_sys::Reflect::has(&global, &"window".into()) != Ok(true) {
        return None;
    }
    js_sys::Reflect::get(&navigator, &JsValue::from_str("userAgent")).ok()?.as_string()
}

#[wasm_bindgen_test]
fn runs_in_a_browser_window() {
    let ua = user_agent().expect("these tests must run in a browser page, not in Node.js");
    console_log!("storage wasm tests running in: {ua}");
    assert!(!ua.is_empty());
}

#[wasm_bindgen_test]
fn write_read_and_list() {
    let fs = MemoryStorage::new();
    fs.write("/in/b.json", b"{\"v\":2}").unwrap();
    fs.write("in/a.json", b"{\"v\":1}").unwrap(); // relative paths resolve against `/`
    fs.write("/in/sub/c.json", b"").unwrap();

    assert_eq!(fs.read("/in/a.json").unwrap(), b"{\"v\":1}");
    assert_eq!(names(&fs, "/in"), ["a.json", "b.json", "sub"]);

    let listing = fs.list("/in").unwrap();
    assert_eq!(listing[0].path, "/in/a.json");
    assert_eq!(listing[0].len, 7);
    assert!(!listing[0].is_dir);
    assert!(listing[2].is_dir);
    assert_eq!(listing[2].len, 0);
    // The default clock moves 1 ms per write: later writes have later times.
    assert!(listing[1].modification_time_ms < listing[0].modification_time_ms);

    // Listing a file gives that file alone.
    assert_eq!(names(&fs, "/in/b.json"), ["b.json"]);
    assert!(fs.exists("/in/sub").unwrap());
    assert!(!fs.exists("/in/zzz").unwrap());
}

#[wasm_bindgen_test]
fn rename_files_and_directories() {
    let fs = MemoryStorage::new();
    fs.write("/cp/offsets/0", b"v1").unwrap();
    fs.write("/cp/offsets/1", b"v1").unwrap();
    fs.write("/cp/offsets/2", b"old").unwrap();

    // A file replaces what is at the destination.
    fs.write("/tmp/x", b"new").unwrap();
    fs.rename("/tmp/x", "/cp/offsets/2").unwrap();
    assert_eq!(fs.read("/cp/offsets/2").unwrap(), b"new");
    assert!(!fs.exists("/tmp/x").unwrap());

    // A directory moves with everything under it.
    fs.rename("/cp", "/checkpoint").unwrap();
    assert!(!fs.exists("/cp").unwrap());
    assert_eq!(names(&fs, "/checkpoint/offsets"), ["0", "1", "2"]);
    assert_eq!(fs.read("/checkpoint/offsets/0").unwrap(), b"v1");

    // Renaming nothing is an error.
    assert!(fs.rename("/nothing", "/else").is_err());
}

#[wasm_bindgen_test]
fn delete_files_and_trees() {
    let fs = MemoryStorage::new();
    fs.write("/z/a", b"1").unwrap();
    fs.write("/z/b/c", b"2").unwrap();
    fs.mkdirs("/z/empty").unwrap();
    assert_eq!(names(&fs, "/z"), ["a", "b", "empty"]);

    fs.delete("/z/a").unwrap();
    assert_eq!(names(&fs, "/z"), ["b", "empty"]);
    fs.delete("/z/nothing").unwrap(); // deleting nothing is fine
    fs.delete("/z").unwrap();
    assert!(!fs.exists("/z/b/c").unwrap());
    assert!(fs.list("/").unwrap().is_empty());
}

#[wasm_bindgen_test]
fn write_atomic_leaves_no_temp_file() {
    let fs = MemoryStorage::new();
    fs.write_atomic("/cp/commits/0", b"v1\n{}").unwrap();
    assert_eq!(names(&fs, "/cp/commits"), ["0"]);
    fs.write_atomic("/cp/commits/0", b"v1\n{\"nextBatchWatermarkMs\":0}").unwrap();
    assert_eq!(names(&fs, "/cp/commits"), ["0"]);
    assert_eq!(fs.read("/cp/commits/0").unwrap(), b"v1\n{\"nextBatchWatermarkMs\":0}");
}

#[wasm_bindgen_test]
fn missing_directory_is_path_not_found() {
    let fs = MemoryStorage::new();
    let err = fs.list("/no/such/dir").unwrap_err();
    assert_eq!(err.error_class.as_deref(), Some("PATH_NOT_FOUND"));
    assert_eq!(err.to_string(), "[PATH_NOT_FOUND] Path does not exist: file:/no/such/dir.");
    assert!(fs.read("/no/such/file").is_err());
}

#[wasm_bindgen_test]
fn time_source_and_set_modification_time() {
    let clock = Arc::new(AtomicI64::new(5_000));
    let c = clock.clone();
    let fs = MemoryStorage::with_time_source(Arc::new(move || c.load(Ordering::SeqCst)));
    fs.write("/f", b"x").unwrap();
    assert_eq!(fs.status("/f").unwrap().unwrap().modification_time_ms, 5_000);
    clock.store(9_000, Ordering::SeqCst);
    fs.write("/g", b"y").unwrap();
    assert_eq!(fs.status("/g").unwrap().unwrap().modification_time_ms, 9_000);
    fs.set_modification_time("/f", 42).unwrap();
    assert_eq!(fs.status("/f").unwrap().unwrap().modification_time_ms, 42);
    assert!(fs.set_modification_time("/missing", 1).is_err());
}
