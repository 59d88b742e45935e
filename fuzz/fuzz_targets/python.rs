//! Notebook cells: any text, Python or magic, gives outputs or a cell error, never a panic.
//! Loops are bounded by the kernel's step limit, so the fuzzer cannot hang on `while True`.
#![no_main]

use std::rc::Rc;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use streamlab_engine::clock::ManualClock;
use streamlab_notebook::kernel::Kernel;
use streamlab_storage::{MemoryStorage, Storage};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let storage = Arc::new(MemoryStorage::new());
    let _ = storage.write("/data/activity/a.json", b"{\"gt\":\"bike\",\"x\":1.5,\"Index\":1}\n");
    let mut kernel = Kernel::new(storage, Rc::new(ManualClock::new(0)));
    let _ = kernel.run_cell(source);
});
