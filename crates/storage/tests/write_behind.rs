//! The write-behind store answers every call as the local disk itself would, at every step of
//! a long random history of writes, renames, deletes and listings, and leaves the same tree on
//! the disk once flushed.
#![cfg(feature = "local")]

use std::sync::Arc;

use streamlab_storage::{FileStatus, LocalStorage, Storage, WriteBehind};
use streamlab_types::rng::Rng;

/// Directories and file names never overlap, so no write lands under a file (which the disk
/// refuses at once and the queue only later).
const DIRS: [&str; 4] = ["a", "a/b", "c", "c/d/e"];
const NAMES: [&str; 4] = ["x", "y", ".x.tmp", "0"];

/// One call's outcome with the store's root taken out, and without modification times (a
/// pending file's time is the time of the write).
fn shape(root: &str, result: streamlab_types::Result<Vec<FileStatus>>) -> String {
    match result {
        Ok(statuses) => statuses
            .iter()
            .map(|s| format!("{}:{}:{}", s.path.replace(root, "ROOT"), s.len, s.is_dir))
            .collect::<Vec<_>>()
            .join(","),
        Err(e) => format!("error {}", e.to_string().replace(root, "ROOT")),
    }
}

/// Runs a random history against both stores and compares each observation.
fn check_history(seed: u64, steps: usize) {
    let (left_dir, right_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (left_root, right_root) = (left_dir.path().to_str().unwrap().to_string(), right_dir.path().to_str().unwrap().to_string());
    let plain = LocalStorage::new(&left_root);
    let disk = Arc::new(LocalStorage::new(&right_root));
    let queued = WriteBehind::new(disk.clone());
    let mut rng = Rng::new(seed);
    for step in 0..steps {
        let dir = rng.pick(&DIRS);
        let file = format!("{dir}/{}", rng.pick(&NAMES));
        let other = format!("{}/{}", rng.pick(&DIRS), rng.pick(&NAMES));
        let content = format!("step {step}").into_bytes();
        let (l, r) = match rng.next_u64() % 12 {
            0 | 1 => (shape(&left_root, plain.write(&file, &content).map(|_| vec![])), shape(&right_root, queued.write(&file, &content).map(|_| vec![]))),
            2 => (shape(&left_root, plain.write_atomic(&file, &content).map(|_| vec![])), shape(&right_root, queued.write_atomic(&file, &content).map(|_| vec![]))),
            3 => (shape(&left_root, plain.rename(&file, &other).map(|_| vec![])), shape(&right_root, queued.rename(&file, &other).map(|_| vec![]))),
            4 => {
                let target = if rng.next_u64().is_multiple_of(4) { dir.to_string() } else { file.clone() };
                (shape(&left_root, plain.delete(&target).map(|_| vec![])), shape(&right_root, queued.delete(&target).map(|_| vec![])))
            }
            5 => (shape(&left_root, plain.mkdirs(dir).map(|_| vec![])), shape(&right_root, queued.mkdirs(dir).map(|_| vec![]))),
            6 => (
                format!("{:?}", plain.read(&file).map_err(|e| e.to_string().replace(&left_root, "ROOT"))),
                format!("{:?}", queued.read(&file).map_err(|e| e.to_string().replace(&right_root, "ROOT"))),
            ),
            7 | 8 => (shape(&left_root, plain.list(dir)), shape(&right_root, queued.list(dir))),
            9 => (format!("{:?}", plain.list_file_names(dir).map_err(|e| e.to_string())), format!("{:?}", queued.list_file_names(dir).map_err(|e| e.to_string()))),
            10 => (
                shape(&left_root, plain.status(&file).map(|s| s.into_iter().collect())),
                shape(&right_root, queued.status(&file).map(|s| s.into_iter().collect())),
            ),
            _ => {
                queued.flush().unwrap();
                (shape(&left_root, plain.status(dir).map(|s| s.into_iter().collect())), shape(&right_root, queued.status(dir).map(|s| s.into_iter().collect())))
            }
        };
        let l = l.replace(&left_root, "ROOT");
        let r = r.replace(&right_root, "ROOT");
        assert_eq!(l, r, "seed {seed}, step {step}");
    }
    queued.flush().unwrap();
    assert_eq!(tree(&plain, &left_root, ""), tree(disk.as_ref(), &right_root, ""), "seed {seed}: final trees");
}

/// Every path under `dir` with its content, from the disk.
fn tree(fs: &LocalStorage, root: &str, dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    for status in fs.list(if dir.is_empty() { root } else { dir }).unwrap_or_default() {
        if status.is_dir {
            out.push(status.path.replace(root, "ROOT"));
            out.extend(tree(fs, root, &status.path));
        } else {
            out.push(format!("{} = {:?}", status.path.replace(root, "ROOT"), String::from_utf8(fs.read(&status.path).unwrap()).unwrap()));
        }
    }
    out
}

#[test]
fn behaves_as_the_disk_over_random_histories() {
    for seed in 1..=40u64 {
        check_history(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15), 300);
    }
}

#[test]
fn dropping_the_store_finishes_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let disk = Arc::new(LocalStorage::new(dir.path().to_str().unwrap()));
    {
        let queued = WriteBehind::new(disk.clone());
        for i in 0..50 {
            queued.write_atomic(&format!("offsets/{i}"), format!("v1\n{i}").as_bytes()).unwrap();
        }
    }
    assert_eq!(disk.list_file_names("offsets").unwrap().len(), 50);
    assert_eq!(disk.read("offsets/49").unwrap(), b"v1\n49");
}

#[test]
fn a_failed_write_stops_the_queue_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let disk = Arc::new(LocalStorage::new(dir.path().to_str().unwrap()));
    disk.write("blocker", b"a file").unwrap();
    let queued = WriteBehind::new(disk.clone());
    // The disk refuses a file under a file; the queue learns it after the call returned, so the
    // next call is either queued behind the failure or, if the worker was quick, refused with it.
    queued.write("blocker/child", b"x").unwrap();
    let _ = queued.write("after", b"y");
    let error = queued.flush().unwrap_err();
    assert!(error.to_string().contains("Not a directory"), "{error}");
    // Nothing after the failure reached the disk, and every later call reports it.
    assert!(!disk.exists("after").unwrap());
    assert_eq!(queued.read("blocker").unwrap_err().to_string(), error.to_string());
    assert_eq!(queued.write("more", b"z").unwrap_err().to_string(), error.to_string());
}
