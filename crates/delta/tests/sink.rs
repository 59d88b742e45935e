//! The delta-rs sink on the real disk: complete mode overwrites in one commit, an existing
//! table delta-rs checkpoints every two commits is appended to and read back by the engine's
//! pure reader, and a `partitionBy` that contradicts the table fails the query with Delta's
//! error.

use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use arrow::array::{AsArray, Int64Array};
use arrow::datatypes::Int64Type;
use deltalake::kernel::engine::arrow_conversion::TryIntoKernel;
use deltalake::kernel::StructType;
use deltalake::{ensure_table_uri, DeltaTable, TableProperty};
use streamlab_engine::output::BufferedOutput;
use streamlab_engine::{DataFrame, SparkSession, Trigger};
use streamlab_native::{LocalStorage, SystemClock};

const ACTIVITY_DDL: &str = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double";

/// A session on `dir` with the delta-rs sink, the activity files in `<dir>/in` (ascending
/// modification times), and their stream, one file per trigger.
fn session(dir: &Path) -> (SparkSession, DataFrame) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/activity");
    std::fs::create_dir_all(dir.join("in")).unwrap();
    for i in 0..8u64 {
        let name = format!("part-{i:05}.json");
        std::fs::copy(data.join(&name), dir.join("in").join(&name)).unwrap();
        let mtime = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000 + i);
        std::fs::File::options().write(true).open(dir.join("in").join(&name)).unwrap().set_modified(mtime).unwrap();
    }
    let spark = SparkSession::new(
        Arc::new(LocalStorage::new(dir.to_str().unwrap())),
        Rc::new(SystemClock),
        Rc::new(BufferedOutput::default()),
    );
    streamlab_delta::register(&spark);
    let stream = spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().option("maxFilesPerTrigger", 1).json("in").unwrap();
    (spark, stream)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

#[test]
fn complete_mode_replaces_the_rows_in_each_commit() {
    let dir = tempfile::tempdir().unwrap();
    let (spark, stream) = session(dir.path());
    let counts = stream.group_by(vec![streamlab_expr::Expr::col("gt")]).count().unwrap();
    let q = counts
        .write_stream()
        .unwrap()
        .format("delta")
        .output_mode("complete")
        .unwrap()
        .option("checkpointLocation", "cp")
        .trigger(Trigger::AvailableNow)
        .start(Some("counts"))
        .unwrap();
    assert!(q.await_termination(None).unwrap());
    assert!(q.exception().is_none());

    let batch = spark.read().format("delta").load(Some("counts")).unwrap().collect().unwrap();
    assert_eq!(batch.num_rows(), 7, "one row per activity (six and null)");
    let total: i64 = batch.column(1).as_primitive::<Int64Type>().iter().flatten().sum();
    assert_eq!(total, 16_006, "the last commit alone holds the counts of every row");

    let table = runtime().block_on(async {
        let mut table = DeltaTable::try_from_url(ensure_table_uri(dir.path().join("counts").to_str().unwrap()).unwrap()).await.unwrap();
        table.update_incremental(None).await.unwrap();
        table
    });
    assert_eq!(table.version(), Some(8), "create, then one commit per batch");
    assert_eq!(table.snapshot().unwrap().log_data().num_files(), 1, "each commit removed the previous result");
    let last_commit = std::fs::read_to_string(dir.path().join("counts/_delta_log/00000000000000000008.json")).unwrap();
    assert!(last_commit.contains("\"remove\""), "{last_commit}");
    assert!(last_commit.contains("\"operation\":\"STREAMING UPDATE\""), "{last_commit}");
    assert!(last_commit.contains(&format!("\"txn\":{{\"appId\":\"{}\",\"version\":7", q.id())), "{last_commit}");
}

#[test]
fn appends_to_a_checkpointed_delta_rs_table_that_the_engine_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let (spark, stream) = session(dir.path());
    let path = dir.path().join("t");
    std::fs::create_dir_all(&path).unwrap();
    let schema: StructType = stream.schema().as_ref().try_into_kernel().unwrap();
    runtime().block_on(async {
        let table = DeltaTable::try_from_url(ensure_table_uri(path.to_str().unwrap()).unwrap()).await.unwrap();
        table
            .create()
            .with_columns(schema.fields().cloned())
            .with_partition_columns(["gt"])
            .with_configuration_property(TableProperty::CheckpointInterval, Some("2"))
            .await
            .unwrap();
    });
    let q = stream
        .write_stream()
        .unwrap()
        .format("delta")
        .option("checkpointLocation", "cp")
        .trigger(Trigger::AvailableNow)
        .start(Some("t"))
        .unwrap();
    assert!(q.await_termination(None).unwrap());
    assert!(q.exception().is_none(), "{:?}", q.exception());
    assert!(path.join("_delta_log/00000000000000000007.checkpoint.parquet").is_file(), "delta-rs checkpoints after versions 1, 3, 5, 7");
    assert!(path.join("_delta_log/_last_checkpoint").is_file());

    let df = spark.read().format("delta").load(Some("t")).unwrap();
    assert_eq!(df.count().unwrap(), 16_006);
    let sums = df.group_by(vec![]).agg(vec![streamlab_expr::parse_expression("sum(Index)").unwrap()]).unwrap().collect().unwrap();
    let input = spark.read().schema_ddl(ACTIVITY_DDL).unwrap().json("in").unwrap();
    let expected = input.group_by(vec![]).agg(vec![streamlab_expr::parse_expression("sum(Index)").unwrap()]).unwrap().collect().unwrap();
    assert_eq!(sums.column(0).as_any().downcast_ref::<Int64Array>(), expected.column(0).as_any().downcast_ref::<Int64Array>());
}

#[test]
fn a_contradicting_partitioning_fails_the_query() {
    let dir = tempfile::tempdir().unwrap();
    let (_spark, stream) = session(dir.path());
    let start = |partition: &str, checkpoint: &str| {
        let q = stream
            .write_stream()
            .unwrap()
            .format("delta")
            .partition_by(&[partition])
            .option("checkpointLocation", checkpoint)
            .trigger(Trigger::AvailableNow)
            .start(Some("t"))
            .unwrap();
        let _ = q.await_termination(None);
        q.exception()
    };
    assert!(start("gt", "cp1").is_none());
    let error = start("Device", "cp2").expect("the second query fails");
    let text = error.to_string();
    assert!(text.contains("Partition columns do not match the partition columns of the table.\nGiven: [Device]\nTable: [gt]"), "{text}");
}
