//! What the Kafka crate's integration tests share: a notebook kernel on a temp directory with
//! the Kafka format registered, and the activity sample as Kafka records.

#![allow(dead_code)] // each test binary uses a different part

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use streamlab_native::{LocalStorage, SystemClock};
use streamlab_notebook::kernel::Kernel;
use streamlab_notebook::output::CellOutput;

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

/// A kernel working in `dir`, with `BOOTSTRAP` and `DATA` (the activity folder) in
/// `os.environ`, `format("kafka")` registered and `spark` defined.
pub fn kernel(dir: &Path, bootstrap: &str) -> Kernel {
    let storage = LocalStorage::new(&dir.to_string_lossy());
    let env = vec![
        ("BOOTSTRAP".to_string(), bootstrap.to_string()),
        ("DATA".to_string(), repo_root().join("data/activity").to_string_lossy().into_owned()),
    ];
    let mut kernel = Kernel::new(Arc::new(storage), Rc::new(SystemClock)).with_env(env);
    streamlab_kafka::register(kernel.session());
    run(&mut kernel, "from pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()");
    kernel
}

/// Runs a cell that must succeed; returns its standard output.
pub fn run(kernel: &mut Kernel, code: &str) -> String {
    let outputs = kernel.run_cell(code);
    let mut stdout = String::new();
    for output in &outputs {
        match output {
            CellOutput::Stdout(text) => stdout.push_str(text),
            CellOutput::Error(error) => panic!("cell failed: {}\n--- cell\n{code}\n--- stdout so far\n{stdout}", error.headline()),
            _ => {}
        }
    }
    stdout
}

/// Runs a cell that must fail; returns the error's `Name: message` line.
pub fn run_error(kernel: &mut Kernel, code: &str) -> String {
    match kernel.run_cell(code).into_iter().last() {
        Some(CellOutput::Error(error)) => error.headline(),
        other => panic!("the cell should have failed, its last output is {other:?}"),
    }
}

/// The lines of the activity sample, file by file in name order.
pub fn activity_lines() -> Vec<String> {
    let dir = repo_root().join("data/activity");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).expect("data/activity").map(|e| e.expect("entry").path()).collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| std::fs::read_to_string(f).expect("activity file").lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| !l.trim().is_empty())
        .collect()
}
