//! Differential checks: each script in `tests/scripts/` runs through the Kernel as one cell and
//! its stdout must equal what real PySpark 3.5.9 printed (`<script>.expected`, made by
//! `tests/scripts/generate.py`).

mod python_support;

use python_support::{kernel, stdout};
use streamlab_notebook::output::CellOutput;

fn check(name: &str) {
    let dir = python_support::repo_root().join("crates/notebook/tests/scripts");
    let source = std::fs::read_to_string(dir.join(format!("{name}.py"))).unwrap();
    let expected = std::fs::read_to_string(dir.join(format!("{name}.expected"))).unwrap();
    let (mut kernel, _fs, _clock) = kernel();
    let outputs = kernel.run_cell(&source);
    if let Some(CellOutput::Error(e)) = outputs.last() {
        panic!("{name}: {} at {:?}\nstdout so far:\n{}", e.headline(), e.location, stdout(&outputs));
    }
    let actual = stdout(&outputs);
    if actual != expected {
        let first = actual.lines().zip(expected.lines()).position(|(a, e)| a != e);
        panic!("{name}: stdout differs (first differing line {first:?})\n--- actual\n{actual}\n--- expected\n{expected}");
    }
}

#[test]
fn batch_script_matches_pyspark() {
    check("batch");
}

#[test]
fn streaming_memory_script_matches_pyspark() {
    check("streaming_memory");
}

#[test]
fn streaming_console_script_matches_pyspark() {
    check("streaming_console");
}
