//! The differential suite: every script in `tests/pyspark/` must print under `streamlab run`
//! exactly what it printed under `python3` with PySpark 3.5 (`tests/pyspark/generate.py` wrote
//! `NAME.stdout`, and `NAME.error` for a script that fails).
//!
//! Each script runs in a fresh working directory holding a copy of `data/activity` whose i-th
//! file (by name) was modified at 1700000000 + i seconds, as the generator ran it: relative paths
//! and the file stream's batch order then mean the same for both.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{repo_root, streamlab_run, workdir_with_activity};

fn scripts() -> Vec<PathBuf> {
    let dir = repo_root().join("tests/pyspark");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/pyspark")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py") && p.file_name().is_some_and(|n| n != "generate.py"))
        .collect();
    scripts.sort();
    scripts
}

#[test]
fn every_script_prints_what_pyspark_printed() {
    let scripts = scripts();
    assert!(scripts.len() >= 6, "the suite lost its scripts: {scripts:?}");
    let mut failures = Vec::new();
    for script in &scripts {
        let name = script.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let expected = std::fs::read_to_string(script.with_extension("stdout")).expect("NAME.stdout from generate.py");
        let expected_error = std::fs::read_to_string(script.with_extension("error")).ok();
        let work = workdir_with_activity();
        let (success, stdout, stderr) = streamlab_run(script, work.path());
        if stdout != expected {
            failures.push(format!("{name}: stdout differs\n--- PySpark\n{expected}--- streamlab\n{stdout}--- stderr\n{stderr}"));
            continue;
        }
        match expected_error {
            None if !success => failures.push(format!("{name}: failed under streamlab but not under PySpark\n{stderr}")),
            Some(error) => {
                let first_line = error.lines().next().unwrap_or_default();
                if success {
                    failures.push(format!("{name}: PySpark failed with {first_line}, streamlab succeeded"));
                } else if !stderr.contains(first_line) {
                    failures.push(format!("{name}: error differs\n--- PySpark\n{first_line}\n--- streamlab stderr\n{stderr}"));
                }
            }
            None => {}
        }
    }
    assert!(failures.is_empty(), "{} of {} scripts differ:\n\n{}", failures.len(), scripts.len(), failures.join("\n\n"));
}

#[test]
fn a_missing_file_is_a_clear_error_with_a_non_zero_exit() {
    let out = Command::new(env!("CARGO_BIN_EXE_streamlab")).args(["run", "no/such/notebook.ipynb"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("streamlab: cannot read no/such/notebook.ipynb: "), "{stderr}");
}

#[test]
fn every_subcommand_has_help() {
    for args in [vec!["--help"], vec!["run", "--help"], vec!["serve", "--help"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_streamlab")).args(&args).output().expect("runs");
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Usage: streamlab"), "{args:?}: {text}");
    }
}
