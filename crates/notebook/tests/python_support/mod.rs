//! Shared setup of the notebook's tests: a kernel over an in-memory store holding the real
//! activity files, on a manual clock.

#![allow(dead_code)]

use std::rc::Rc;
use std::sync::Arc;

use streamlab_engine::clock::ManualClock;
use streamlab_notebook::kernel::Kernel;
use streamlab_notebook::output::CellOutput;
use streamlab_storage::{MemoryStorage, Storage};

/// 2025-12-15 13:20:26 UTC, the time of the seed lesson's log lines.
pub const START_MS: i64 = 1_765_804_826_000;

/// The repository root.
pub fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A memory store with `data/activity` (8 files) under `/data/activity` and the corrupt
/// lines of `data/activity-bad` under `/data/activity-bad`.
pub fn storage_with_activity() -> Arc<MemoryStorage> {
    let fs = Arc::new(MemoryStorage::new());
    for dir in ["activity", "activity-bad"] {
        let local = repo_root().join("data").join(dir);
        let mut names: Vec<_> = std::fs::read_dir(&local).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        for name in names {
            let bytes = std::fs::read(local.join(&name)).unwrap();
            fs.write(&format!("/data/{dir}/{}", name.to_string_lossy()), &bytes).unwrap();
        }
    }
    fs
}

/// A kernel over the activity store and a manual clock.
pub fn kernel() -> (Kernel, Arc<MemoryStorage>, ManualClock) {
    let fs = storage_with_activity();
    let clock = ManualClock::new(START_MS);
    let kernel = Kernel::new(fs.clone(), Rc::new(clock.clone()));
    (kernel, fs, clock)
}

/// Runs a cell and fails the test on an error output.
pub fn run_ok(kernel: &mut Kernel, source: &str) -> Vec<CellOutput> {
    let out = kernel.run_cell(source);
    if let Some(CellOutput::Error(e)) = out.last() {
        panic!("cell failed: {} at {:?}\n{source}", e.headline(), e.location);
    }
    out
}

/// The stdout text of outputs.
pub fn stdout(outputs: &[CellOutput]) -> String {
    outputs
        .iter()
        .filter_map(|o| match o {
            CellOutput::Stdout(s) => Some(s.as_str()),
            _ => None,
        })
        .collect()
}

/// The error that ended a cell.
pub fn error(outputs: &[CellOutput]) -> streamlab_notebook::output::CellError {
    match outputs.last() {
        Some(CellOutput::Error(e)) => e.clone(),
        other => panic!("expected an error, got {other:?}"),
    }
}
