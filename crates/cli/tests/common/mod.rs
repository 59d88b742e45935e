//! What the CLI's integration tests share: a working directory laid out like the repository's
//! (a copy of `data/activity`), and running the built `streamlab` binary in it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

/// A fresh directory holding a copy of `data/activity` whose i-th file (by name) was modified
/// at 1700000000 + i seconds, as `tests/pyspark/generate.py` lays it out for PySpark: relative
/// paths and the file stream's batch order then mean the same for both.
pub fn workdir_with_activity() -> tempfile::TempDir {
    let work = tempfile::tempdir().expect("temp dir");
    let source = repo_root().join("data/activity");
    let activity = work.path().join("data/activity");
    std::fs::create_dir_all(&activity).expect("data folder");
    let mut names: Vec<_> = std::fs::read_dir(&source).expect("data/activity").map(|e| e.expect("entry").file_name()).collect();
    names.sort();
    for (i, name) in names.iter().enumerate() {
        std::fs::copy(source.join(name), activity.join(name)).expect("copy");
        let modified = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000 + i as u64);
        std::fs::File::options().write(true).open(activity.join(name)).and_then(|f| f.set_modified(modified)).expect("mtime");
    }
    work
}

/// `streamlab run FILE` in `dir`: (exit success, stdout, stderr).
pub fn streamlab_run(file: &Path, dir: &Path) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_streamlab"))
        .arg("run")
        .arg(file)
        .current_dir(dir)
        .env("TZ", "UTC")
        .output()
        .expect("streamlab runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}
