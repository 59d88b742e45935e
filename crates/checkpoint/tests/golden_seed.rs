//! The logs of the lesson's seed pipeline, as `tests/golden/seed_parquet` (normalized output of
//! real Spark 3.5.9, see tests/golden/README.md) has them: same names, same bytes once the
//! run-specific values get the golden files' placeholders.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use streamlab_checkpoint::*;
use streamlab_storage::{MemoryStorage, Storage};

fn golden(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/seed_parquet").join(rel)
}

fn golden_text(rel: &str) -> String {
    std::fs::read_to_string(golden(rel)).unwrap_or_else(|e| panic!("golden {rel}: {e}"))
}

/// Writes the seed pipeline's 8 batches of logs with placeholder values.
fn write_seed_logs(fs: Arc<MemoryStorage>) {
    load_or_create_query_id(fs.as_ref(), "/cp", || "<QUERY_ID>".into()).unwrap();
    let offsets = OffsetSeqLog::new(fs.clone(), "/cp");
    let commits = CommitLog::new(fs.clone(), "/cp");
    let sources = FileStreamSourceLog::new(fs.clone(), "/cp/sources/0", 10);
    let sink = FileStreamSinkLog::new(fs.clone(), "/out/_spark_metadata", 10);
    for n in 0..8i64 {
        let entry = SourceFileEntry {
            path: format!("file://<IN>/part-{n:05}.json"),
            timestamp: 1_700_000_000_000 + 1000 * n,
            batch_id: n,
        };
        assert!(sources.add(n, &[entry]).unwrap());
        let meta = OffsetSeqMetadata { batch_watermark_ms: 0, batch_timestamp_ms: -1, conf: OffsetSeqMetadata::default_conf(200) };
        let seq = OffsetSeq { metadata: meta, offsets: vec![Some(format!("{{\"logOffset\":{n}}}"))] };
        assert!(offsets.add(n, &seq).unwrap());
        let part = format!("file://<OUT>/part-00000-<ID{}>-c000.snappy.parquet", n + 1);
        assert!(sink.add(n, &[SinkFileStatus::added(part, 0, -1)]).unwrap());
        assert!(commits.add(n, &CommitMetadata::default()).unwrap());
    }
}

fn normalize(text: &str) -> String {
    text.replace("\"batchTimestampMs\":-1", "\"batchTimestampMs\":<TS>")
        .replace("\"size\":0,", "\"size\":<SIZE>,")
        .replace("\"modificationTime\":-1", "\"modificationTime\":<TS>")
}

#[test]
fn seed_pipeline_logs_match_the_golden_files() {
    let fs = Arc::new(MemoryStorage::new());
    write_seed_logs(fs.clone());
    let tree = golden_text("tree.txt");
    let mut checked = 0;
    for line in tree.lines() {
        let is_log = line.starts_with("cp/") || line.starts_with("out/_spark_metadata/");
        if !is_log || line.ends_with('/') {
            continue;
        }
        let path = format!("/{line}");
        assert!(fs.exists(&path).unwrap(), "Spark wrote {line}, we did not");
        let name = line.rsplit('/').next().unwrap();
        if name.starts_with('.') {
            let data_path = path.replace(&format!("/{name}"), &format!("/{}", &name[1..name.len() - 4]));
            assert!(crc::verify_checksum(&fs.read(&data_path).unwrap(), &fs.read(&path).unwrap()), "{line}");
        } else {
            let ours = normalize(&String::from_utf8(fs.read(&path).unwrap()).unwrap());
            assert_eq!(ours, golden_text(&format!("files/{line}")), "{line}");
        }
        checked += 1;
    }
    assert_eq!(checked, 66, "logs and checksums listed in tree.txt");
    // And nothing more than Spark wrote.
    let mut ours = Vec::new();
    for dir in ["/cp", "/cp/offsets", "/cp/commits", "/cp/sources/0", "/out/_spark_metadata"] {
        ours.extend(fs.list(dir).unwrap().into_iter().filter(|s| !s.is_dir).map(|s| s.path[1..].to_string()));
    }
    for path in ours {
        assert!(tree.lines().any(|l| l == path), "we wrote {path}, Spark did not");
    }
}
