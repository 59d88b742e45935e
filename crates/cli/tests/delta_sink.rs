//! `streamlab run` streams the activity files into Delta tables through delta-rs (the native
//! `format("delta")` provider), and independent readers — Python `deltalake` and `polars` —
//! read back exactly the input rows, the versions and the query's transaction version; a
//! batch replayed after a restart is skipped.

mod common;

use std::collections::HashMap;
use std::process::Command;

use common::{streamlab_run, workdir_with_activity};

/// The script: one activity file per trigger into `outputDelta.activity` (toTable) and into
/// the path `out/by_gt` partitioned by `gt` (start), then the counts StreamLab reads back.
const SCRIPT: &str = r#"
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
spark.sql("create database if not exists outputDelta")
schema = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double"
stream = spark.readStream.schema(schema).option("maxFilesPerTrigger", 1).json("data/activity")
table_query = (stream.writeStream.format("delta").option("checkpointLocation", "cp/table")
    .trigger(availableNow=True).toTable("outputDelta.activity"))
path_query = (stream.writeStream.format("delta").option("checkpointLocation", "cp/path")
    .partitionBy("gt").trigger(availableNow=True).start("out/by_gt"))
table_query.awaitTermination()
path_query.awaitTermination()
print("ids", table_query.id, path_query.id)
print("table rows", spark.sql("SELECT * FROM outputDelta.activity").count())
print("path rows", spark.read.format("delta").load("out/by_gt").count())
"#;

/// What Python's json module, delta-rs and polars make of the input and of a table: row
/// count and an order-independent checksum, plus the table's version, history and txn.
const CHECK: &str = r#"
import glob, hashlib, json, sys
import deltalake, polars as pl
table_path, input_dir, app_id = sys.argv[1], sys.argv[2], sys.argv[3]
def checksum(rows):
    keys = sorted("|".join(str(r[c]) for c in ("Arrival_Time", "Device", "Index", "gt", "x", "y", "z")) for r in rows)
    return f"{len(keys)}:" + hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]
source = [json.loads(line) for f in sorted(glob.glob(input_dir + "/*.json")) for line in open(f)]
dt = deltalake.DeltaTable(table_path)
print("input", checksum(source), sep="\t")
print("deltalake", checksum(dt.to_pyarrow_table().to_pylist()), sep="\t")
print("polars", checksum(pl.read_delta(table_path).to_dicts()), sep="\t")
print("version", dt.version(), sep="\t")
print("operations", ",".join(h["operation"] for h in dt.history()), sep="\t")
print("engine", dt.history()[0].get("engineInfo"), sep="\t")
print("txn", dt.transaction_version(app_id), sep="\t")
print("partitions", ",".join(dt.metadata().partition_columns), sep="\t")
"#;

fn python() -> Option<String> {
    let python = std::env::var("STREAMLAB_PYTHON").unwrap_or_else(|_| "python3".into());
    let works = Command::new(&python).args(["-c", "import deltalake, polars"]).output().is_ok_and(|o| o.status.success());
    if !works {
        eprintln!("SKIPPED: no Python with deltalake and polars at {python}; run `source scripts/env.sh`");
    }
    works.then_some(python)
}

fn check(python: &str, table: &std::path::Path, input: &std::path::Path, app_id: &str) -> HashMap<String, String> {
    let out = Command::new(python).args(["-c", CHECK]).arg(table).arg(input).arg(app_id).output().expect("python runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn activity_streamed_into_delta_reads_back_in_deltalake_and_polars() {
    let Some(python) = python() else { return };
    let work = workdir_with_activity();
    std::fs::write(work.path().join("stream.py"), SCRIPT).unwrap();
    let (ok, stdout, stderr) = streamlab_run(&work.path().join("stream.py"), work.path());
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("table rows 16006\npath rows 16006\n"), "{stdout}");
    let ids: Vec<&str> = stdout.lines().find_map(|l| l.strip_prefix("ids ")).unwrap().split(' ').collect();
    let input = work.path().join("data/activity");

    let table = work.path().join("spark-warehouse/outputdelta.db/activity");
    let report = check(&python, &table, &input, ids[0]);
    assert!(report["input"].starts_with("16006:"), "{report:?}");
    assert_eq!(report["deltalake"], report["input"]);
    assert_eq!(report["polars"], report["input"]);
    assert_eq!(report["version"], "8", "toTable's CREATE TABLE, then one commit per file");
    assert_eq!(report["operations"], ["STREAMING UPDATE"; 8].join(",") + ",CREATE TABLE");
    assert!(report["engine"].starts_with("delta-rs:"), "written by delta-rs: {report:?}");
    assert_eq!(report["txn"], "7");

    let by_gt = work.path().join("out/by_gt");
    let report = check(&python, &by_gt, &input, ids[1]);
    assert_eq!(report["deltalake"], report["input"]);
    assert_eq!(report["polars"], report["input"]);
    assert_eq!(report["version"], "8");
    assert_eq!(report["partitions"], "gt");
    assert_eq!(report["txn"], "7");
    assert!(by_gt.join("gt=bike").is_dir());

    // The query died after batch 7 reached the table but before its commit: the restart
    // replays batch 7, which the table already holds, so nothing is written twice.
    std::fs::remove_file(work.path().join("cp/table/commits/7")).unwrap();
    let (ok, stdout, stderr) = streamlab_run(&work.path().join("stream.py"), work.path());
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("table rows 16006\n"), "{stdout}");
    assert!(work.path().join("cp/table/commits/7").is_file(), "the replayed batch is committed");
    let report = check(&python, &table, &input, ids[0]);
    assert_eq!(report["deltalake"], report["input"]);
    assert_eq!(report["version"], "8", "the replayed batch made no commit");
}
