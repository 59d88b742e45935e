//! The Kafka source against a real broker (tansu, started per test): the activity sample read
//! back exactly, startingOffsets, maxOffsetsPerTrigger, restarts, errors and data loss.

mod common;
#[path = "harness/mod.rs"]
mod harness;

use common::{activity_lines, kernel, run, run_error};
use harness::Broker;

/// Produces the activity sample's 16,006 lines to `topic` (one partition), in file order.
fn produce_activity(broker: &Broker, topic: &str) -> Vec<String> {
    let lines = activity_lines();
    assert_eq!(lines.len(), 16_006);
    broker.create_topic(topic, 1);
    let records: Vec<(Option<&[u8]>, &[u8])> = lines.iter().map(|l| (None, l.as_bytes())).collect();
    broker.produce(topic, Some(0), &records);
    lines
}

#[test]
fn activity_records_come_back_as_the_rows_of_the_files() {
    let broker = Broker::start();
    produce_activity(&broker, "activity");
    let work = tempfile::tempdir().unwrap();
    let mut k = kernel(work.path(), &broker.bootstrap);
    let stdout = run(
        &mut k,
        r#"
import os
from pyspark.sql.functions import col, from_json
schema = spark.read.json(os.environ["DATA"]).schema
df = (spark.readStream.format("kafka").option("kafka.bootstrap.servers", os.environ["BOOTSTRAP"])
      .option("subscribe", "activity").option("startingOffsets", "earliest").load())
df.printSchema()
parsed = df.select(from_json(col("value").cast("string"), schema).alias("r"), "offset").select("r.*", "offset")
q = (parsed.writeStream.format("memory").queryName("out").option("checkpointLocation", "cp")
     .trigger(availableNow=True).start())
q.awaitTermination()
print(spark.table("out").count())
spark.table("out").orderBy("offset").drop("offset").createOrReplaceTempView("got")
spark.read.schema(schema).json(os.environ["DATA"]).createOrReplaceTempView("want")
"#,
    );
    assert_eq!(
        stdout,
        "root\n |-- key: binary (nullable = true)\n |-- value: binary (nullable = true)\n |-- topic: string (nullable = true)\n |-- partition: integer (nullable = true)\n |-- offset: long (nullable = true)\n |-- timestamp: timestamp (nullable = true)\n |-- timestampType: integer (nullable = true)\n\n16006\n"
    );
    let got = k.session().table("got").unwrap().show_string(20_000, 0, false).unwrap();
    let want = k.session().table("want").unwrap().show_string(20_000, 0, false).unwrap();
    assert_eq!(got.lines().count(), 16_006 + 4);
    assert!(got == want, "the rows read from Kafka differ from the files' rows");
    // Spark's checkpoint: the initial offsets and batch 0's end offset.
    let initial = std::fs::read(work.path().join("cp/sources/0/0")).unwrap();
    assert_eq!(initial, b"\0v1\n{\"activity\":{\"0\":0}}");
    let offsets = std::fs::read_to_string(work.path().join("cp/offsets/0")).unwrap();
    assert_eq!(offsets.lines().last(), Some(r#"{"activity":{"0":16006}}"#));
    let progress = q_progress(&mut k);
    assert_eq!(progress, "None {\"activity\":{\"0\":16006}} {\"activity\":{\"0\":16006}} 16006 KafkaV2[Subscribe[activity]]\n");
}

/// The first batch's source progress: startOffset endOffset latestOffset numInputRows description.
fn q_progress(k: &mut kernel_type::Kernel) -> String {
    run(
        k,
        r#"
import json
s = q.recentProgress[0]["sources"][0]
print(s["startOffset"], json.dumps(s["endOffset"]).replace(" ", ""), json.dumps(s["latestOffset"]).replace(" ", ""), s["numInputRows"], s["description"])
"#,
    )
}

mod kernel_type {
    pub use streamlab_notebook::kernel::Kernel;
}

#[test]
fn starting_offsets_latest_earliest_and_json() {
    let broker = Broker::start();
    broker.create_topic("t", 2);
    let first: Vec<(Option<&[u8]>, &[u8])> = vec![(None, b"a0"), (None, b"a1"), (None, b"a2")];
    broker.produce("t", Some(0), &first);
    broker.produce("t", Some(1), &[(None, b"b0"), (None, b"b1")]);
    let work = tempfile::tempdir().unwrap();
    let mut k = kernel(work.path(), &broker.bootstrap);
    let start = |name: &str, starting: &str| {
        format!(
            r#"
import os
from pyspark.sql.functions import col
q_{name} = (spark.readStream.format("kafka").option("kafka.bootstrap.servers", os.environ["BOOTSTRAP"])
    .option("subscribe", "t").option("startingOffsets", '{starting}').load()
    .select(col("value").cast("string").alias("v"), "partition", "offset")
    .writeStream.format("memory").queryName("{name}").option("checkpointLocation", "cp_{name}").start())
q_{name}.processAllAvailable()
"#
        )
    };
    run(&mut k, &start("latest", "latest"));
    run(&mut k, &start("earliest", "earliest"));
    run(&mut k, &start("specific", r#"{"t":{"0":1,"1":-1}}"#));
    broker.produce("t", Some(1), &[(None, b"b2")]);
    let stdout = run(
        &mut k,
        r#"
for q in [q_latest, q_earliest, q_specific]:
    q.processAllAvailable()
for name in ["latest", "earliest", "specific"]:
    print(name, sorted([r.v for r in spark.table(name).collect()]))
q_latest.stop(); q_earliest.stop(); q_specific.stop()
"#,
    );
    assert_eq!(
        stdout,
        "latest ['b2']\nearliest ['a0', 'a1', 'a2', 'b0', 'b1', 'b2']\nspecific ['a1', 'a2', 'b2']\n"
    );
    // Offsets in Spark's key order: partition 1 before partition 0.
    let initial = std::fs::read(work.path().join("cp_specific/sources/0/0")).unwrap();
    assert_eq!(initial, b"\0v1\n{\"t\":{\"1\":2,\"0\":1}}");
}

#[test]
fn max_offsets_per_trigger_splits_batches_in_proportion() {
    let broker = Broker::start();
    broker.create_topic("m", 2);
    let values: Vec<Vec<u8>> = (0..30).map(|i| format!("v{i}").into_bytes()).collect();
    let p0: Vec<(Option<&[u8]>, &[u8])> = values[..20].iter().map(|v| (None, v.as_slice())).collect();
    let p1: Vec<(Option<&[u8]>, &[u8])> = values[20..].iter().map(|v| (None, v.as_slice())).collect();
    broker.produce("m", Some(0), &p0);
    broker.produce("m", Some(1), &p1);
    let work = tempfile::tempdir().unwrap();
    let mut k = kernel(work.path(), &broker.bootstrap);
    let stdout = run(
        &mut k,
        r#"
import os
q = (spark.readStream.format("kafka").option("kafka.bootstrap.servers", os.environ["BOOTSTRAP"])
    .option("subscribe", "m").option("startingOffsets", "earliest").option("maxOffsetsPerTrigger", 12).load()
    .writeStream.format("memory").queryName("m").option("checkpointLocation", "cp").trigger(availableNow=True).start())
q.awaitTermination()
for p in q.recentProgress:
    print(p["batchId"], p["numInputRows"], p["sources"][0]["endOffset"])
print(spark.table("m").count())
"#,
    );
    // 20 and 10 waiting, 12 per batch: 8 + 4, then 8 + 4, then the rest (4 + 2).
    assert_eq!(
        stdout,
        "0 12 {'m': {'1': 4, '0': 8}}\n1 12 {'m': {'1': 8, '0': 16}}\n2 6 {'m': {'1': 10, '0': 20}}\n30\n"
    );
}

#[test]
fn a_restart_resumes_from_the_checkpoint() {
    let broker = Broker::start();
    broker.create_topic("r", 1);
    broker.produce("r", Some(0), &[(None, b"1"), (None, b"2")]);
    let work = tempfile::tempdir().unwrap();
    let query = r#"
import os
q = (spark.readStream.format("kafka").option("kafka.bootstrap.servers", os.environ["BOOTSTRAP"])
    .option("subscribe", "r").option("startingOffsets", "earliest").load()
    .selectExpr("CAST(value AS STRING) AS v")
    .writeStream.format("parquet").option("path", "out").option("checkpointLocation", "cp")
    .trigger(availableNow=True).start())
q.awaitTermination()
"#;
    run(&mut kernel(work.path(), &broker.bootstrap), query);
    broker.produce("r", Some(0), &[(None, b"3")]);
    let mut k = kernel(work.path(), &broker.bootstrap);
    run(&mut k, query);
    let stdout = run(&mut k, "print(sorted([r.v for r in spark.read.parquet('out').collect()]))\nprint(q.recentProgress[0]['sources'][0]['startOffset'])");
    assert_eq!(stdout, "['1', '2', '3']\n{'r': {'0': 2}}\n");
}

#[test]
fn load_checks_options_as_spark_does() {
    let broker = Broker::start();
    let work = tempfile::tempdir().unwrap();
    let mut k = kernel(work.path(), &broker.bootstrap);
    let cases = [
        (
            r#"spark.readStream.format("kafka").option("kafka.bootstrap.servers", "x:1").load()"#,
            "IllegalArgumentException: One of the following options must be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details.",
        ),
        (
            r#"spark.readStream.format("kafka").schema("a int").option("kafka.bootstrap.servers", "x:1").option("subscribe", "t").load()"#,
            "IllegalArgumentException: requirement failed: Kafka source has a fixed schema and cannot be set with a custom one",
        ),
        (
            r#"spark.readStream.format("kafka").option("subscribe", "t").load()"#,
            "IllegalArgumentException: Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer",
        ),
        (
            r#"spark.readStream.format("kafka").option("kafka.bootstrap.servers", "x:1").option("subscribe", "t").option("startingOffsets", "{bad").load()"#,
            r#"IllegalArgumentException: Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got {bad"#,
        ),
    ];
    for (code, expected) in cases {
        assert_eq!(run_error(&mut k, code), expected, "{code}");
    }
}

#[test]
fn offsets_that_went_backwards_are_data_loss() {
    let broker = Broker::start();
    broker.create_topic("d", 1);
    broker.produce("d", Some(0), &[(None, b"1"), (None, b"2"), (None, b"3")]);
    let work = tempfile::tempdir().unwrap();
    let query = |fail: &str| {
        format!(
            r#"
import os
q = (spark.readStream.format("kafka").option("kafka.bootstrap.servers", os.environ["BOOTSTRAP"])
    .option("subscribe", "d").option("startingOffsets", "earliest").option("failOnDataLoss", "{fail}").load()
    .selectExpr("CAST(value AS STRING) AS v")
    .writeStream.format("parquet").option("path", "out").option("checkpointLocation", "cp")
    .trigger(availableNow=True).start())
"#
        )
    };
    let mut k = kernel(work.path(), &broker.bootstrap);
    run(&mut k, &(query("true") + "q.awaitTermination()"));
    // The checkpoint says 3; point the query at a fresh broker where the topic has 1 record.
    let other = Broker::start();
    other.create_topic("d", 1);
    other.produce("d", Some(0), &[(None, b"x")]);
    let mut k = kernel(work.path(), &other.bootstrap);
    run(&mut k, &query("true"));
    let error = run_error(&mut k, "q.awaitTermination()");
    assert!(error.starts_with("StreamingQueryException: [STREAM_FAILED] Query [id = "), "{error}");
    assert!(
        error.ends_with("terminated with exception: Partition d-0's offset was changed from 3 to 1, some data may have been missed. \nSome data may have been lost because they are not available in Kafka any more; either the\n data was aged out by Kafka or the topic may have been deleted before all the data in the\n topic was processed. If you don't want your streaming query to fail on such cases, set the\n source option \"failOnDataLoss\" to \"false\".\n    "),
        "{error}"
    );
    // failOnDataLoss=false: a warning, and the query goes on from the new end.
    let mut k = kernel(work.path(), &other.bootstrap);
    run(&mut k, &(query("false") + "q.awaitTermination()\nprint(q.exception())"));
    other.produce("d", Some(0), &[(None, b"y")]);
    let mut k = kernel(work.path(), &other.bootstrap);
    let stdout = run(&mut k, &(query("false") + "q.awaitTermination()\nprint(sorted([r.v for r in spark.read.parquet('out').collect()]))"));
    assert_eq!(stdout, "['1', '2', '3', 'y']\n");
}

#[test]
fn include_headers_adds_each_records_headers_in_order() {
    let broker = Broker::start();
    broker.create_topic("tagged", 1);
    broker.produce_with_headers("tagged", b"first", &[("device", "nexus4_1"), ("user", "a"), ("device", "again")]);
    broker.produce("tagged", Some(0), &[(None, b"second".as_slice())]);
    let work = tempfile::tempdir().unwrap();
    let mut k = kernel(work.path(), &broker.bootstrap);
    let stdout = run(
        &mut k,
        r#"
import os
df = (spark.readStream.format("kafka").option("kafka.bootstrap.servers", os.environ["BOOTSTRAP"])
      .option("subscribe", "tagged").option("startingOffsets", "earliest").option("includeHeaders", "true").load())
df.printSchema()
view = df.selectExpr("CAST(value AS STRING) AS v", "size(headers) AS n", "headers[0].key AS k0",
                     "CAST(headers[0].value AS STRING) AS v0", "headers[2].key AS k2", "CAST(headers[2].value AS STRING) AS v2")
q = view.writeStream.format("memory").queryName("tagged").trigger(availableNow=True).start()
q.awaitTermination()
spark.table("tagged").show()
"#,
    );
    assert_eq!(
        stdout,
        concat!(
            "root\n |-- key: binary (nullable = true)\n |-- value: binary (nullable = true)\n |-- topic: string (nullable = true)\n",
            " |-- partition: integer (nullable = true)\n |-- offset: long (nullable = true)\n |-- timestamp: timestamp (nullable = true)\n",
            " |-- timestampType: integer (nullable = true)\n |-- headers: array (nullable = true)\n |    |-- element: struct (containsNull = true)\n",
            " |    |    |-- key: string (nullable = true)\n |    |    |-- value: binary (nullable = true)\n\n",
            "+------+---+------+--------+------+-----+\n|     v|  n|    k0|      v0|    k2|   v2|\n+------+---+------+--------+------+-----+\n",
            "| first|  3|device|nexus4_1|device|again|\n|second|  0|  NULL|    NULL|  NULL| NULL|\n+------+---+------+--------+------+-----+\n\n",
        )
    );
    let error = run_error(
        &mut k,
        r#"spark.readStream.format("kafka").option("kafka.bootstrap.servers", "x:1").option("subscribe", "t").option("includeHeaders", "yes").load()"#,
    );
    assert!(error.contains("IllegalArgumentException: For input string: \"yes\""), "{error}");
}
