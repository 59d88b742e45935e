//! What the native interop tests share: the sample copied to disk with ascending modification
//! times, a session over it, and running the verification Python.

use std::path::Path;
use std::process::Command;
use std::rc::Rc;
use std::sync::Arc;

use streamlab_engine::output::BufferedOutput;
use streamlab_engine::SparkSession;
use streamlab_native::{LocalStorage, SystemClock};

pub const ACTIVITY_DDL: &str = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double";

/// Runs `script` with `python`; returns stdout, failing on a non-zero exit.
pub fn run_python(python: &str, script: &str, args: &[&str]) -> String {
    let out = Command::new(python).arg("-c").arg(script).args(args).output().expect("python runs");
    assert!(out.status.success(), "python failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A session on `dir` (its working directory), with the activity files in `<dir>/in`, ascending mtimes.
pub fn session_with_input(dir: &Path) -> SparkSession {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/activity");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    for i in 0..8 {
        let name = format!("part-{i:05}.json");
        std::fs::copy(data.join(&name), input.join(&name)).unwrap();
        let mtime = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000 + i);
        std::fs::File::options().write(true).open(input.join(&name)).unwrap().set_modified(mtime).unwrap();
    }
    let storage = Arc::new(LocalStorage::new(dir.to_str().unwrap()));
    SparkSession::new(storage, Rc::new(SystemClock), Rc::new(BufferedOutput::default()))
}
