//! Delta tables on the real disk, checked by independent readers: the lesson's stream written
//! through `toTable` is read back by Python `deltalake` (delta-rs) and `polars.read_delta`, and
//! a table written by delta-rs is read by StreamLab.

mod common;

use std::collections::HashMap;

use common::{run_python, session_with_input, ACTIVITY_DDL};
use std::process::Command;
use std::rc::Rc;
use std::sync::Arc;

use streamlab_engine::output::BufferedOutput;
use streamlab_engine::{SparkSession, Trigger};
use streamlab_native::{LocalStorage, SystemClock};
use streamlab_types::show::cell_to_string;

/// The verification interpreter (`$STREAMLAB_PYTHON`, else `python3`), if it runs at all.
fn python() -> Option<String> {
    let python = std::env::var("STREAMLAB_PYTHON").unwrap_or_else(|_| "python3".into());
    match Command::new(&python).arg("--version").output() {
        Ok(out) if out.status.success() => Some(python),
        _ => {
            eprintln!("SKIPPED: no Python interpreter at {python}; run `source scripts/env.sh` (scripts/setup.sh installs it)");
            None
        }
    }
}

/// Checksums of the input JSON (read with Python's json module), of the table through
/// delta-rs, and through polars; plus what delta-rs says of the table's log.
const CHECK_TABLE: &str = r#"
import glob, hashlib, json, sys
import deltalake, polars as pl
table_path, input_dir, app_id = sys.argv[1], sys.argv[2], sys.argv[3]

def checksum(rows):
    # rows: iterable of dicts with the table's columns
    n, sums, keys = 0, {}, []
    for r in rows:
        n += 1
        for c in ("Arrival_Time", "Creation_Time", "User_ID"):
            sums[c] = sums.get(c, 0) + (r[c] or 0)
        for c in ("x", "y", "z"):
            sums[c] = sums.get(c, 0.0) + (r[c] if r[c] is not None else 0.0)
        keys.append("|".join(str(r[c]) for c in ("Device", "Model", "User", "gt")))
    keys.sort()
    digest = hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]
    return [n] + [sums[c] for c in ("Arrival_Time", "Creation_Time", "User_ID")] + [round(sums[c], 6) for c in ("x", "y", "z")] + [digest]

source = []
for f in sorted(glob.glob(input_dir + "/*.json")):
    for line in open(f):
        r = json.loads(line)
        r["User_ID"] = r.pop("Index")
        source.append(r)

dt = deltalake.DeltaTable(table_path)
arrow_table = dt.to_pyarrow_table()
frame = pl.read_delta(table_path)
report = {
    "input": checksum(source),
    "deltalake": checksum(arrow_table.to_pylist()),
    "polars": checksum(frame.to_dicts()),
    "deltalake_columns": ",".join(f"{f.name}:{f.type}" for f in arrow_table.schema),
    "polars_columns": ",".join(f"{n}:{t}" for n, t in frame.schema.items()),
    "version": dt.version(),
    "protocol": f"{dt.protocol().min_reader_version},{dt.protocol().min_writer_version}",
    "operations": ",".join(h["operation"] for h in dt.history()),
    "txn": dt.transaction_version(app_id),
    "files": len(dt.file_uris()),
}
for key, value in report.items():
    print(f"{key}\t{value}")
"#;

#[test]
fn deltalake_and_polars_read_the_lessons_table() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let spark = session_with_input(dir.path());
    spark.create_database("outputDelta", true).unwrap();
    let q = spark
        .read_stream()
        .option("maxFilesPerTrigger", 1)
        .schema_ddl(ACTIVITY_DDL)
        .unwrap()
        .json("in")
        .unwrap()
        .with_column_renamed("Index", "User_ID")
        .unwrap()
        .drop(&["_corrupt_record"])
        .unwrap()
        .write_stream()
        .unwrap()
        .format("delta")
        .option("checkpointLocation", "cp")
        .output_mode("append")
        .unwrap()
        .trigger(Trigger::AvailableNow)
        .to_table("outputDelta.table")
        .unwrap();
    assert!(q.await_termination(None).unwrap());
    let table = dir.path().join("spark-warehouse/outputdelta.db/table");
    assert!(table.join("_delta_log/00000000000000000008.json").is_file());
    assert_eq!(spark.table("outputDelta.table").unwrap().count().unwrap(), 16_006);

    let out = run_python(&python, CHECK_TABLE, &[table.to_str().unwrap(), dir.path().join("in").to_str().unwrap(), q.id()]);
    let report: HashMap<&str, &str> = out.lines().filter_map(|l| l.split_once('\t')).collect();
    let input = report["input"];
    assert!(input.starts_with("[16006, "), "{input}");
    assert_eq!(report["deltalake"], input, "delta-rs reads exactly the input rows");
    assert_eq!(report["polars"], input, "polars reads exactly the input rows");
    let arrow_columns: Vec<(&str, &str)> = report["deltalake_columns"].split(',').filter_map(|c| c.split_once(':')).collect();
    let names: Vec<&str> = arrow_columns.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["Arrival_Time", "Creation_Time", "Device", "User_ID", "Model", "User", "gt", "x", "y", "z"]);
    assert_eq!(arrow_columns[0].1, "int64");
    assert!(arrow_columns[2].1.contains("string"), "{arrow_columns:?}");
    assert_eq!(arrow_columns[7].1, "double");
    assert_eq!(
        report["polars_columns"],
        "Arrival_Time:Int64,Creation_Time:Int64,Device:String,User_ID:Int64,Model:String,User:String,gt:String,x:Float64,y:Float64,z:Float64"
    );
    assert_eq!(report["version"], "8");
    assert_eq!(report["protocol"], "1,2");
    let operations: Vec<&str> = report["operations"].split(',').collect();
    assert_eq!(operations.len(), 9);
    assert_eq!(operations.last(), Some(&"CREATE TABLE"));
    assert!(operations[..8].iter().all(|o| *o == "STREAMING UPDATE"), "{operations:?}");
    assert_eq!(report["txn"], "7", "the last batch id, recorded for the query");
    assert_eq!(report["files"], "8");
}

/// Writes a partitioned table with delta-rs in two appends; prints its rows.
const WRITE_WITH_DELTA_RS: &str = r#"
import datetime, sys
import pyarrow as pa, deltalake
path = sys.argv[1]
utc = datetime.timezone.utc
first = pa.table({
    "id": pa.array([1, 2, 3], pa.int64()),
    "name": ["a", None, "c c"],
    "at": pa.array([datetime.datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=utc)] * 3, pa.timestamp("us", tz="UTC")),
    "part": ["p/1", "q", None],
})
deltalake.write_deltalake(path, first, partition_by=["part"])
second = pa.table({"id": pa.array([10], pa.int64()), "name": ["z"], "at": pa.array([None], pa.timestamp("us", tz="UTC")), "part": ["q"]})
deltalake.write_deltalake(path, second, mode="append")
for r in sorted(deltalake.DeltaTable(path).to_pyarrow_table().to_pylist(), key=lambda r: r["id"]):
    at = "NULL" if r["at"] is None else r["at"].strftime("%Y-%m-%d %H:%M:%S.%f")
    print("|".join("NULL" if v is None else str(v) for v in (r["id"], r["name"])) + "|" + at + "|" + ("NULL" if r["part"] is None else r["part"]))
# After write_deltalake, interpreter teardown races native threads of the Python wheels and
# aborts about one run in twenty under load ("terminate called without an active exception",
# no Python frame), once all the output above is printed. Nothing is left to verify, so skip it.
import os
sys.stdout.flush()
os._exit(0)
"#;

#[test]
fn streamlab_reads_a_table_written_by_delta_rs() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("t");
    let out = run_python(&python, WRITE_WITH_DELTA_RS, &[table.to_str().unwrap()]);

    let spark = SparkSession::new(
        Arc::new(LocalStorage::new(dir.path().to_str().unwrap())),
        Rc::new(SystemClock),
        Rc::new(BufferedOutput::default()),
    );
    spark.conf_set("spark.sql.session.timeZone", "UTC");
    let df = spark.read().format("delta").load(Some("t")).unwrap();
    assert_eq!(df.columns(), ["id", "name", "at", "part"]);
    let batch = df.collect().unwrap();
    let mut rows: Vec<(i64, String)> = (0..batch.num_rows())
        .map(|i| {
            let cells: Vec<String> = batch.columns().iter().map(|c| cell_to_string(c.as_ref(), i)).collect();
            (cells[0].parse().unwrap(), cells.join("|"))
        })
        .collect();
    rows.sort();
    let ours: Vec<String> = rows.into_iter().map(|(_, r)| r).collect();
    assert_eq!(ours.join("\n"), out.trim());
}
