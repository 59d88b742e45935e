//! The native build on the real disk, read back by independent readers: pyarrow (the files the
//! sink log lists) and PySpark 3.5 itself (`spark.read.parquet` and restarting the checkpoint).

mod common;

use std::path::Path;

use common::{run_python, session_with_input, ACTIVITY_DDL};
use streamlab_engine::{SparkSession, Trigger};

fn python() -> String {
    std::env::var("STREAMLAB_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Copies the sample with ascending mtimes and runs the lesson's pipeline into `<dir>/out`.
fn seed_pipeline(dir: &Path) -> SparkSession {
    let spark = session_with_input(dir);
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
        .format("parquet")
        .option("checkpointLocation", "cp")
        .trigger(Trigger::AvailableNow)
        .start(Some("out"))
        .unwrap();
    q.await_termination(None).unwrap();
    spark
}

const PYARROW_READ_LOG: &str = r#"
import json, sys, pyarrow.parquet as pq
out = sys.argv[1]
rows, names = 0, None
for batch in range(8):
    lines = open(f"{out}/_spark_metadata/{batch}").read().split("\n")
    assert lines[0] == "v1", lines[0]
    for entry in map(json.loads, lines[1:]):
        table = pq.read_table(entry["path"][len("file://"):])
        rows += table.num_rows
        names = table.schema.names
        assert str(table.schema.field("x").type) == "double"
print(rows, ",".join(names))
"#;

#[test]
fn pyarrow_reads_exactly_the_committed_files() {
    let dir = tempfile::tempdir().unwrap();
    let spark = seed_pipeline(dir.path());
    // A stray file the log does not list stays invisible to readers of the sink.
    std::fs::copy(
        std::fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "parquet")).unwrap(),
        dir.path().join("out/part-99999-stray.snappy.parquet"),
    )
    .unwrap();
    assert_eq!(spark.read().parquet("out").unwrap().count().unwrap(), 16_006);
    let out = run_python(&python(), PYARROW_READ_LOG, &[dir.path().join("out").to_str().unwrap()]);
    assert_eq!(out.trim(), "16006 Arrival_Time,Creation_Time,Device,User_ID,Model,User,gt,x,y,z");
}

const PYSPARK_READ_AND_RESTART: &str = r#"
import sys
from pyspark.sql import SparkSession
base = sys.argv[1]
spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
df = spark.read.parquet(f"{base}/out")
print(df.count(), df.schema.simpleString())
print(df.selectExpr("sum(User_ID)").first()[0])
# Restart StreamLab's checkpoint in real Spark: nothing is new, so no batch runs and no row is added.
schema = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double"
q = (spark.readStream.schema(schema).option("maxFilesPerTrigger", 1).json(f"{base}/in")
     .withColumnRenamed("Index", "User_ID").drop("_corrupt_record")
     .writeStream.format("parquet").option("checkpointLocation", f"{base}/cp")
     .trigger(availableNow=True).start(f"{base}/out"))
q.awaitTermination()
print(spark.read.parquet(f"{base}/out").count(), q.lastProgress["batchId"] if q.lastProgress else "none")
"#;

#[test]
fn pyspark_reads_the_sink_and_resumes_the_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    seed_pipeline(dir.path());
    let out = run_python(&python(), PYSPARK_READ_AND_RESTART, &[dir.path().to_str().unwrap()]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "16006 struct<Arrival_Time:bigint,Creation_Time:bigint,Device:string,User_ID:bigint,Model:string,User:string,gt:string,x:double,y:double,z:double>"
    );
    let expected: i64 = (0..10_000i64).sum::<i64>()
        + [66_500i64, 117_000, 140_000, 190_001, 202_000, 299_000].iter().map(|s| (*s..s + 1001).sum::<i64>()).sum::<i64>();
    assert_eq!(lines[1], expected.to_string());
    assert_eq!(lines[2].split(' ').next(), Some("16006"));
}
