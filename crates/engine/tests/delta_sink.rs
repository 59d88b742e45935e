//! The Delta sink on the lesson's data: `toTable` into a database, exactly-once restarts,
//! complete mode and partitioning, after delta-spark's DeltaSinkSuite.

mod common;

use std::collections::BTreeMap;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::Int64Type;
use common::{env, ACTIVITY_DDL, ROWS_PER_FILE};
use serde_json::Value;
use streamlab_engine::output::Level;
use streamlab_engine::{DataFrame, SparkSession, StreamingQuery, Trigger};
use streamlab_expr::Expr;
#[allow(unused_imports)]
use streamlab_storage::Storage;

/// The lesson's stream: one activity file per trigger, `Index` renamed, `_corrupt_record` dropped.
fn lesson_stream(spark: &SparkSession) -> DataFrame {
    spark
        .read_stream()
        .option("maxFilesPerTrigger", 1)
        .schema_ddl(ACTIVITY_DDL)
        .unwrap()
        .json("/data/activity")
        .unwrap()
        .with_column_renamed("Index", "User_ID")
        .unwrap()
        .drop(&["_corrupt_record"])
        .unwrap()
}

/// The same rows read as a batch, in file order: what the table must hold.
fn lesson_input(spark: &SparkSession) -> RecordBatch {
    spark
        .read()
        .schema_ddl(ACTIVITY_DDL)
        .unwrap()
        .json("/data/activity")
        .unwrap()
        .with_column_renamed("Index", "User_ID")
        .unwrap()
        .collect()
        .unwrap()
}

/// The actions of one commit file, as (action name, body).
fn commit(e: &common::Env, table: &str, version: i64) -> Vec<(String, Value)> {
    e.text(&format!("{table}/_delta_log/{version:020}.json"))
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            let (k, body) = v.as_object().unwrap().iter().next().unwrap();
            (k.clone(), body.clone())
        })
        .collect()
}

fn action_names(actions: &[(String, Value)]) -> Vec<&str> {
    actions.iter().map(|(k, _)| k.as_str()).collect()
}

fn delta_versions(e: &common::Env, table: &str) -> Vec<String> {
    e.names(&format!("{table}/_delta_log")).into_iter().filter(|n| n.ends_with(".json")).collect()
}

fn assert_same_rows(actual: &RecordBatch, expected: &RecordBatch) {
    assert_eq!(actual.schema().fields().len(), expected.schema().fields().len());
    for (a, b) in actual.schema().fields().iter().zip(expected.schema().fields()) {
        assert_eq!((a.name(), a.data_type()), (b.name(), b.data_type()));
    }
    assert_eq!(actual.num_rows(), expected.num_rows());
    for (i, (a, b)) in actual.columns().iter().zip(expected.columns()).enumerate() {
        assert!(a.as_ref() == b.as_ref(), "column {i} differs");
    }
}

#[test]
fn lesson_to_table_streams_every_file_into_the_delta_table() {
    let e = env().with_activity(8);
    e.spark.create_database("outputDelta", true).unwrap();
    let q = lesson_stream(&e.spark)
        .write_stream()
        .unwrap()
        .query_name("stream_2p")
        .format("delta")
        .option("checkpointLocation", "/cp")
        .output_mode("append")
        .unwrap()
        .trigger(Trigger::AvailableNow)
        .to_table("outputDelta.table")
        .unwrap();
    assert!(q.await_termination(None).unwrap());
    let rows: Vec<i64> = q.recent_progress().iter().map(|p| p.num_input_rows).collect();
    assert_eq!(rows, ROWS_PER_FILE.to_vec());

    let table = e.spark.file_table("outputDelta.table").unwrap();
    assert_eq!(table.format, "delta");
    assert!(table.path.ends_with("spark-warehouse/outputdelta.db/table"), "{}", table.path);
    let progress = q.last_progress().unwrap();
    assert_eq!(progress.sink.description, format!("DeltaSink[{}]", table.path));
    assert_eq!(progress.sink.num_output_rows, -1);

    let out = e.spark.table("outputDelta.table").unwrap();
    assert_eq!(out.count().unwrap(), 16_006);
    assert_same_rows(&out.collect().unwrap(), &lesson_input(&e.spark));

    // Version 0 is the table's creation; then one commit per micro-batch.
    assert_eq!(delta_versions(&e, &table.path).len(), 9);
    let create = commit(&e, &table.path, 0);
    assert_eq!(action_names(&create), ["commitInfo", "protocol", "metaData"]);
    assert_eq!(create[0].1["operation"], "CREATE TABLE");
    assert_eq!(create[1].1, serde_json::json!({"minReaderVersion": 1, "minWriterVersion": 2}));
    let meta = &create[2].1;
    assert_eq!(meta["format"], serde_json::json!({"provider": "parquet", "options": {}}));
    assert_eq!(meta["partitionColumns"], serde_json::json!([]));
    let schema: Value = serde_json::from_str(meta["schemaString"].as_str().unwrap()).unwrap();
    assert_eq!(schema["fields"][3], serde_json::json!({"name": "User_ID", "type": "long", "nullable": true, "metadata": {}}));
    assert_eq!(uuid::Uuid::parse_str(meta["id"].as_str().unwrap()).map(|_| ()), Ok(()));

    let mut records = 0;
    for (batch_id, expected_rows) in ROWS_PER_FILE.iter().enumerate() {
        let actions = commit(&e, &table.path, batch_id as i64 + 1);
        assert_eq!(action_names(&actions), ["commitInfo", "txn", "add"]);
        let info = &actions[0].1;
        assert_eq!(info["operation"], "STREAMING UPDATE");
        assert_eq!(info["operationParameters"]["epochId"], batch_id.to_string());
        assert_eq!(info["operationParameters"]["outputMode"], "Append");
        assert_eq!(actions[1].1["appId"], q.id());
        assert_eq!(actions[1].1["version"], batch_id as i64);
        let add = &actions[2].1;
        let path = add["path"].as_str().unwrap();
        assert!(path.starts_with("part-00000-") && path.ends_with("-c000.snappy.parquet"), "{path}");
        assert_eq!(add["size"].as_u64().unwrap(), e.fs.read(&format!("{}/{path}", table.path)).unwrap().len() as u64);
        assert_eq!(add["dataChange"], true);
        let stats: Value = serde_json::from_str(add["stats"].as_str().unwrap()).unwrap();
        assert_eq!(stats["numRecords"], *expected_rows);
        assert_eq!(stats["nullCount"]["x"], 0);
        records += stats["numRecords"].as_i64().unwrap();
    }
    assert_eq!(records, 16_006);
    // Stats bounds agree with the data: the first file holds User_ID 0..4999.
    let first = commit(&e, &table.path, 1);
    let stats: Value = serde_json::from_str(first[2].1["stats"].as_str().unwrap()).unwrap();
    assert_eq!((stats["minValues"]["User_ID"].as_i64(), stats["maxValues"]["User_ID"].as_i64()), (Some(0), Some(4999)));
}

/// The lesson's query writing to the Delta table at `/delta` with checkpoint `/cp`.
fn delta_query(e: &common::Env, trigger: Trigger) -> StreamingQuery {
    lesson_stream(&e.spark)
        .write_stream()
        .unwrap()
        .format("delta")
        .option("checkpointLocation", "/cp")
        .trigger(trigger)
        .start(Some("/delta"))
        .unwrap()
}

#[test]
fn a_batch_committed_to_the_table_but_not_to_the_checkpoint_is_not_written_twice() {
    let e = env().with_activity(3);
    let q = delta_query(&e, Trigger::AvailableNow);
    q.await_termination(None).unwrap();
    assert_eq!(delta_versions(&e, "/delta").len(), 3);
    // The query "died" after the Delta commit of batch 2 but before commits/2.
    e.fs.delete("/cp/commits/2").unwrap();
    e.fs.delete("/cp/commits/.2.crc").unwrap();

    let q = delta_query(&e, Trigger::AvailableNow);
    q.await_termination(None).unwrap();
    assert!(q.exception().is_none());
    assert!(e.out.logs(Level::Info).iter().any(|l| l == &format!("Skipping already complete epoch 2, in query {}", q.id())));
    assert_eq!(delta_versions(&e, "/delta").len(), 3, "the replayed batch made no commit");
    assert!(e.fs.exists("/cp/commits/2").unwrap());
    let expected: i64 = ROWS_PER_FILE[..3].iter().sum();
    assert_eq!(e.spark.read().format("delta").load(Some("/delta")).unwrap().count().unwrap() as i64, expected);

    // The query goes on with new files as batches 3 and 4.
    e.add_activity_file(3);
    e.add_activity_file(4);
    let q = delta_query(&e, Trigger::AvailableNow);
    q.await_termination(None).unwrap();
    let txn = commit(&e, "/delta", 4).into_iter().find(|(k, _)| k == "txn").unwrap().1;
    assert_eq!(txn["version"], 4);
    let expected: i64 = ROWS_PER_FILE[..5].iter().sum();
    let all = e.spark.read().format("delta").load(Some("/delta")).unwrap().collect().unwrap();
    assert_eq!(all.num_rows() as i64, expected);
    let mut ids: Vec<i64> = all.column_by_name("User_ID").unwrap().as_primitive::<Int64Type>().values().to_vec();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len() as i64, expected, "no row was written twice");
}

#[test]
fn complete_mode_replaces_the_table_each_batch() {
    let e = env().with_activity(3);
    let counts = lesson_stream(&e.spark).group_by(vec![Expr::col("gt")]).count().unwrap();
    let q = counts
        .write_stream()
        .unwrap()
        .format("delta")
        .output_mode("complete")
        .unwrap()
        .option("checkpointLocation", "/cp")
        .trigger(Trigger::AvailableNow)
        .start(Some("/counts"))
        .unwrap();
    q.await_termination(None).unwrap();
    assert!(q.exception().is_none());

    let table = e.spark.read().format("delta").load(Some("/counts")).unwrap().collect().unwrap();
    let keys = table.column_by_name("gt").unwrap().as_string::<i32>();
    let values = table.column_by_name("count").unwrap().as_primitive::<Int64Type>();
    let got: BTreeMap<String, i64> = (0..table.num_rows()).map(|i| (keys.value(i).to_string(), values.value(i))).collect();
    assert_eq!(got.values().sum::<i64>(), ROWS_PER_FILE[..3].iter().sum::<i64>());

    // Expected: the same counts computed from a batch read of the three files.
    let input = lesson_input(&e.spark);
    let gts = input.column_by_name("gt").unwrap().as_string::<i32>();
    let mut expected: BTreeMap<String, i64> = BTreeMap::new();
    for i in 0..input.num_rows() {
        *expected.entry(gts.value(i).to_string()).or_default() += 1;
    }
    assert_eq!(got, expected);

    // Each later commit removes every file the previous one added.
    for version in 1..3 {
        let previous: Vec<String> = commit(&e, "/counts", version - 1)
            .into_iter()
            .filter(|(k, _)| k == "add")
            .map(|(_, a)| a["path"].as_str().unwrap().to_string())
            .collect();
        let actions = commit(&e, "/counts", version);
        let removed: Vec<String> = actions.iter().filter(|(k, _)| k == "remove").map(|(_, r)| r["path"].as_str().unwrap().to_string()).collect();
        assert_eq!(removed, previous);
        assert_eq!(actions[0].1["operationParameters"]["outputMode"], "Complete");
        assert_eq!(actions[0].1["isBlindAppend"], false);
    }
}

#[test]
fn partition_by_writes_hive_directories_and_reads_them_back() {
    let e = env().with_activity(2);
    let q = lesson_stream(&e.spark)
        .write_stream()
        .unwrap()
        .format("delta")
        .partition_by(&["gt"])
        .option("checkpointLocation", "/cp")
        .trigger(Trigger::AvailableNow)
        .start(Some("/parts"))
        .unwrap();
    q.await_termination(None).unwrap();

    let first = commit(&e, "/parts", 0);
    let meta = first.iter().find(|(k, _)| k == "metaData").unwrap();
    assert_eq!(meta.1["partitionColumns"], serde_json::json!(["gt"]));
    let dirs: Vec<String> = e.names("/parts").into_iter().filter(|n| n.starts_with("gt=")).collect();
    let input = lesson_input(&e.spark);
    let gts = input.column_by_name("gt").unwrap().as_string::<i32>();
    let mut expected_dirs: Vec<String> = (0..input.num_rows())
        .map(|i| format!("gt={}", if gts.is_valid(i) { gts.value(i) } else { "__HIVE_DEFAULT_PARTITION__" }))
        .collect();
    expected_dirs.sort();
    expected_dirs.dedup();
    assert_eq!(dirs, expected_dirs);
    for (_, add) in first.iter().filter(|(k, _)| k == "add") {
        let gt = add["partitionValues"]["gt"].as_str().unwrap();
        assert!(add["path"].as_str().unwrap().starts_with(&format!("gt={gt}/part-00000-")));
        let stats: Value = serde_json::from_str(add["stats"].as_str().unwrap()).unwrap();
        assert!(stats["nullCount"].get("gt").is_none(), "partition columns have no stats");
    }

    let back = e.spark.read().format("delta").load(Some("/parts")).unwrap();
    // The table keeps the query's column order, partition column included.
    assert_eq!(back.columns(), ["Arrival_Time", "Creation_Time", "Device", "User_ID", "Model", "User", "gt", "x", "y", "z"]);
    let rows = back.collect().unwrap();
    let expected = input;
    assert_eq!(rows.num_rows(), expected.num_rows());
    let pairs = |b: &RecordBatch| {
        let ids = b.column_by_name("User_ID").unwrap().as_primitive::<Int64Type>();
        let gts = b.column_by_name("gt").unwrap().as_string::<i32>();
        let mut v: Vec<(i64, Option<String>)> =
            (0..b.num_rows()).map(|i| (ids.value(i), gts.is_valid(i).then(|| gts.value(i).to_string()))).collect();
        v.sort();
        v
    };
    assert_eq!(pairs(&rows), pairs(&expected));
}

#[test]
fn output_modes_paths_and_table_providers_fail_as_in_spark() {
    let e = env().with_activity(1);
    let counts = lesson_stream(&e.spark).group_by(vec![Expr::col("gt")]).count().unwrap();
    let err = counts
        .write_stream()
        .unwrap()
        .format("delta")
        .output_mode("update")
        .unwrap()
        .option("checkpointLocation", "/cp")
        .start(Some("/u"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "[DELTA_UNSUPPORTED_OUTPUT_MODE] Data source org.apache.spark.sql.delta.sources.DeltaDataSource does not support Update output mode"
    );

    let err = lesson_stream(&e.spark).write_stream().unwrap().format("delta").start(Some("/d")).unwrap_err();
    assert!(err.to_string().starts_with("checkpointLocation must be specified"), "{err}");

    let writer = |format: &str, cp: &str| {
        lesson_stream(&e.spark).write_stream().unwrap().format(format).option("checkpointLocation", cp)
    };
    let err = writer("delta", "/cp1").to_table("nodb.t").unwrap_err();
    assert!(err.to_string().starts_with("[SCHEMA_NOT_FOUND] The schema `nodb` cannot be found."), "{err}");
    let err = writer("memory", "/cp2").to_table("t").unwrap_err();
    assert_eq!(
        err.to_string(),
        "[DATA_SOURCE_NOT_FOUND] Failed to find the data source: memory. Please find packages at `https://spark.apache.org/third-party-projects.html`."
    );
    writer("delta", "/cp3").trigger(Trigger::AvailableNow).to_table("t").unwrap().await_termination(None).unwrap();
    let err = writer("parquet", "/cp4").to_table("t").unwrap_err();
    assert_eq!(err.to_string(), "The input source(parquet) is different from the table t's data source provider(delta).");
    e.spark.read().format("delta").load(Some("spark-warehouse/t")).unwrap().create_or_replace_temp_view("v");
    let err = writer("delta", "/cp5").to_table("v").unwrap_err();
    assert_eq!(err.to_string(), "Temporary view v doesn't support streaming write.");

    // A second query with another schema cannot append to the table.
    let other = e.spark.read_stream().schema_ddl("gt string, n double").unwrap().json("/data/activity").unwrap();
    let q = other
        .write_stream()
        .unwrap()
        .format("delta")
        .option("checkpointLocation", "/cp6")
        .trigger(Trigger::AvailableNow)
        .to_table("t")
        .unwrap();
    q.await_termination(None).unwrap_err();
    let cause = q.exception().unwrap();
    let message = cause.cause.as_ref().map_or(cause.message.clone(), |c| c.to_string());
    assert!(
        message.starts_with("[_LEGACY_ERROR_TEMP_DELTA_0007] A schema mismatch detected when writing to the Delta table (Table ID: "),
        "{message}"
    );
    assert!(message.contains("Data schema:\nroot\n |-- gt: string (nullable = true)\n |-- n: double (nullable = true)\n"), "{message}");
}

#[test]
fn parquet_to_table_writes_the_managed_location() {
    let e = env().with_activity(1);
    e.spark.create_database("db", false).unwrap();
    let q = lesson_stream(&e.spark)
        .write_stream()
        .unwrap()
        .format("parquet")
        .option("checkpointLocation", "/cp")
        .trigger(Trigger::AvailableNow)
        .to_table("db.p")
        .unwrap();
    q.await_termination(None).unwrap();
    let table = e.spark.file_table("db.p").unwrap();
    assert_eq!(table.format, "parquet");
    assert!(e.fs.exists(&format!("{}/_spark_metadata/0", table.path)).unwrap());
    assert_eq!(e.spark.table("db.p").unwrap().count().unwrap() as i64, ROWS_PER_FILE[0]);
}
