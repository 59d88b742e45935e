//! Byte-for-byte comparison with logs written by Spark 3.5.9 (`fixtures/make_fixtures.py`):
//! the seed pipeline over the 8 activity files, one file per batch, compact intervals 3.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use streamlab_checkpoint::*;
use streamlab_storage::{LocalStorage, MemoryStorage, Storage};

const INPUT: &str = "file:///tmp/streamlab-ckpt-fixture/a/in";

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"))
}

/// Every file (hidden ones included) of fixture directory `rel`, by name.
fn fixture_dir(rel: &str) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(fixture(rel)).unwrap() {
        let entry = entry.unwrap();
        out.insert(entry.file_name().to_string_lossy().into_owned(), std::fs::read(entry.path()).unwrap());
    }
    out
}

/// Every file of directory `dir` on `fs`, by name.
fn storage_dir(fs: &dyn Storage, dir: &str) -> BTreeMap<String, Vec<u8>> {
    fs.list(dir).unwrap().into_iter().filter(|s| !s.is_dir).map(|s| (s.name().to_string(), fs.read(&s.path).unwrap())).collect()
}

fn assert_same_dir(fs: &dyn Storage, dir: &str, rel: &str) {
    let ours = storage_dir(fs, dir);
    let spark = fixture_dir(rel);
    assert_eq!(ours.keys().collect::<Vec<_>>(), spark.keys().collect::<Vec<_>>(), "file names in {rel}");
    for (name, bytes) in &spark {
        assert_eq!(
            String::from_utf8_lossy(&ours[name]),
            String::from_utf8_lossy(bytes),
            "{rel}/{name} differs from Spark's"
        );
        assert_eq!(&ours[name], bytes, "{rel}/{name} differs from Spark's");
    }
}

fn source_entry(n: i64) -> SourceFileEntry {
    SourceFileEntry { path: format!("{INPUT}/part-{n:05}.json"), timestamp: 1_700_000_000_000 + n * 1000, batch_id: n }
}

/// Batch `n`'s sink entries: its own file, or the lines a compaction file adds after the
/// entries of the earlier batches.
fn sink_entries(n: i64) -> Vec<SinkFileStatus> {
    let lines_of = |rel: String| -> Vec<SinkFileStatus> {
        let text = String::from_utf8(read(&rel)).unwrap();
        text.split('\n').skip(1).map(|l| SinkFileStatus::from_json(l).unwrap()).collect()
    };
    if (n + 1) % 3 != 0 {
        return lines_of(format!("a/out/_spark_metadata/{n}"));
    }
    let all = lines_of(format!("a/out/_spark_metadata/{n}.compact"));
    let before: usize = (0..n).map(|b| sink_entries(b).len()).sum();
    all[before..].to_vec()
}

#[test]
fn query_id_file_matches_spark() {
    let spark = read("a/cp/metadata");
    let v: serde_json::Value = serde_json::from_slice(&spark).unwrap();
    let id = v["id"].as_str().unwrap().to_string();
    let fs = MemoryStorage::new();
    assert_eq!(load_or_create_query_id(&fs, "/cp", || id.clone()).unwrap(), id);
    assert_eq!(fs.read("/cp/metadata").unwrap(), spark);
    assert_eq!(fs.read("/cp/.metadata.crc").unwrap(), read("a/cp/.metadata.crc"));
}

#[test]
fn offsets_and_commits_match_spark() {
    let fs = Arc::new(MemoryStorage::new());
    let offsets = OffsetSeqLog::new(fs.clone(), "/cp");
    let commits = CommitLog::new(fs.clone(), "/cp");
    for n in 0..8i64 {
        // Only the batch time comes from Spark's file; the rest is built here.
        let spark = String::from_utf8(read(&format!("a/cp/offsets/{n}"))).unwrap();
        let ts: i64 = spark.split("\"batchTimestampMs\":").nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
        let meta = OffsetSeqMetadata { batch_watermark_ms: 0, batch_timestamp_ms: ts, conf: OffsetSeqMetadata::default_conf(200) };
        let seq = OffsetSeq { metadata: meta, offsets: vec![Some(format!("{{\"logOffset\":{n}}}"))] };
        assert!(offsets.add(n, &seq).unwrap());
        assert!(commits.add(n, &CommitMetadata::default()).unwrap());
        assert_eq!(offsets.get(n).unwrap(), Some(seq));
    }
    assert_same_dir(fs.as_ref(), "/cp/offsets", "a/cp/offsets");
    assert_same_dir(fs.as_ref(), "/cp/commits", "a/cp/commits");
}

#[test]
fn source_log_matches_spark_including_compaction() {
    let fs = Arc::new(MemoryStorage::new());
    let log = FileStreamSourceLog::new(fs.clone(), "/cp/sources/0", 3);
    for n in 0..8 {
        assert!(log.add(n, &[source_entry(n)]).unwrap());
    }
    assert_same_dir(fs.as_ref(), "/cp/sources/0", "a/cp/sources/0");
}

#[test]
fn sink_log_matches_spark_including_compaction() {
    let fs = Arc::new(MemoryStorage::new());
    let log = FileStreamSinkLog::new(fs.clone(), "/out/_spark_metadata", 3);
    for n in 0..8 {
        let entries = sink_entries(n);
        assert_eq!(entries.len(), 1, "batch {n}");
        assert!(log.add(n, &entries).unwrap());
    }
    assert_same_dir(fs.as_ref(), "/out/_spark_metadata", "a/out/_spark_metadata");
}

#[test]
fn spark_logs_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_str().unwrap();
    copy_dir(&fixture("a"), tmp.path());
    let fs: Arc<dyn Storage> = Arc::new(LocalStorage::new(root));

    let (latest, seq) = OffsetSeqLog::new(fs.clone(), "cp").latest().unwrap().unwrap();
    assert_eq!((latest, seq.offsets), (7, vec![Some("{\"logOffset\":7}".to_string())]));
    assert_eq!(seq.metadata.conf, OffsetSeqMetadata::default_conf(200));
    assert_eq!(CommitLog::new(fs.clone(), "cp").latest().unwrap(), Some((7, CommitMetadata::default())));
    let id = load_or_create_query_id(fs.as_ref(), "cp", || panic!("the id exists")).unwrap();
    assert_eq!(id.len(), 36);

    let sources = FileStreamSourceLog::new(fs.clone(), "cp/sources/0", 10);
    assert_eq!(sources.compact_interval().unwrap(), 3, "the interval the files were written with wins");
    assert_eq!(sources.latest_batch_id().unwrap(), Some(7));
    for n in 0..8 {
        assert_eq!(sources.get(n).unwrap(), Some(vec![source_entry(n)]));
    }
    assert_eq!(sources.all_entries().unwrap(), (0..8).map(source_entry).collect::<Vec<_>>());
    assert_eq!(sources.get_range(None, 7).unwrap(), (0..8).map(source_entry).collect::<Vec<_>>());
    assert_eq!(sources.get_range(Some(4), 6).unwrap(), (5..7).map(source_entry).collect::<Vec<_>>());
    assert_eq!(sources.get_range(Some(7), 8).unwrap_err().to_string(), "batch 8 doesn't exist");

    let sink = FileStreamSinkLog::new(fs.clone(), "out/_spark_metadata", 10);
    assert_eq!(sink.latest_batch_id().unwrap(), Some(7));
    let files = sink.all_files().unwrap();
    assert_eq!(files, (0..8).flat_map(sink_entries).collect::<Vec<_>>());
    assert!(files.iter().all(|f| f.path.starts_with("file:///tmp/streamlab-ckpt-fixture/a/out/part-00000-")));
    // Nothing was written while reading.
    assert!(!tmp.path().join("cp/offsets/.8.crc").exists());
}

#[test]
fn old_files_are_deleted_as_spark_deletes_them() {
    let listing = String::from_utf8(read("b-listing.txt")).unwrap();
    let expected = |dir: &str| -> Vec<String> {
        listing.lines().filter_map(|l| l.strip_prefix(dir)).filter(|n| !n.contains('/')).map(String::from).collect()
    };
    let fs = Arc::new(MemoryStorage::new());
    let settings = CompactionSettings { min_batches_to_retain: 2, cleanup_delay_ms: 0, deletion: true };
    let sources = FileStreamSourceLog::new(fs.clone(), "/b/cp/sources/0", 3).with_settings(settings);
    let sink = FileStreamSinkLog::new(fs.clone(), "/b/out/_spark_metadata", 3).with_settings(settings);
    let offsets = OffsetSeqLog::new(fs.clone(), "/b/cp");
    for n in 0..8 {
        sources.add(n, &[source_entry(n)]).unwrap();
        sink.add(n, &sink_entries(n)).unwrap();
        offsets.add(n, &OffsetSeq::default()).unwrap();
        offsets.purge(n - 2).unwrap(); // MicroBatchExecution: currentBatchId - minBatchesToRetain
    }
    for (dir, rel) in [
        ("/b/cp/sources/0", "cp/sources/0/"),
        ("/b/out/_spark_metadata", "out/_spark_metadata/"),
        ("/b/cp/offsets", "cp/offsets/"),
    ] {
        let ours: Vec<String> = storage_dir(fs.as_ref(), dir).into_keys().collect();
        assert_eq!(ours, expected(rel), "{dir}");
    }
    // What is left still answers for every batch.
    assert_eq!(sources.all_entries().unwrap(), (0..8).map(source_entry).collect::<Vec<_>>());
    assert_eq!(sources.get(1).unwrap(), Some(vec![source_entry(1)]));
    assert_eq!(sink.all_files().unwrap().len(), 8);
}

#[test]
fn local_disk_gives_the_same_bytes_and_no_temp_files() {
    let tmp = tempfile::tempdir().unwrap();
    let fs: Arc<dyn Storage> = Arc::new(LocalStorage::new(tmp.path().to_str().unwrap()));
    let log = FileStreamSourceLog::new(fs.clone(), "cp/sources/0", 3);
    for n in 0..8 {
        log.add(n, &[source_entry(n)]).unwrap();
    }
    assert_same_dir(fs.as_ref(), "cp/sources/0", "a/cp/sources/0");
}

#[test]
fn truncated_or_flipped_spark_files_never_panic() {
    let fs = Arc::new(MemoryStorage::new());
    let cases: Vec<(&str, String)> = vec![
        ("/cp/offsets/0", "a/cp/offsets/0".into()),
        ("/cp/commits/0", "a/cp/commits/0".into()),
        ("/cp/metadata", "a/cp/metadata".into()),
        ("/cp/sources/0/2.compact", "a/cp/sources/0/2.compact".into()),
        ("/out/_spark_metadata/2.compact", "a/out/_spark_metadata/2.compact".into()),
    ];
    for (path, rel) in cases {
        let bytes = read(&rel);
        let mut variants: Vec<Vec<u8>> = (0..=bytes.len()).map(|i| bytes[..i].to_vec()).collect();
        for i in 0..bytes.len() {
            for b in [b'\n', b'"', b'}', 0xff, b'x'] {
                let mut v = bytes.clone();
                v[i] = b;
                variants.push(v);
            }
        }
        for v in variants {
            fs.write(path, &v).unwrap();
            // Any answer is fine as long as it is a value, not a panic.
            let _ = OffsetSeqLog::new(fs.clone(), "/cp").get(0);
            let _ = CommitLog::new(fs.clone(), "/cp").latest();
            let _ = load_or_create_query_id(fs.as_ref(), "/cp", || "x".into());
            let _ = FileStreamSourceLog::new(fs.clone(), "/cp/sources/0", 3).all_entries();
            let _ = FileStreamSourceLog::new(fs.clone(), "/cp/sources/0", 3).get_range(None, 2);
            let _ = FileStreamSinkLog::new(fs.clone(), "/out/_spark_metadata", 3).all_files();
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}
