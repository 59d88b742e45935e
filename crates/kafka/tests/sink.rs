//! The Kafka sink against a real broker: the round trip, Spark's validation errors, exactly
//! once after a replayed batch, and a broker that goes down and comes back.

mod common;
#[path = "harness/mod.rs"]
mod harness;

use common::{activity_lines, kernel, run, run_error};
use harness::Broker;

const WRITE_ACTIVITY: &str = r#"
import os
from pyspark.sql.functions import col, to_json, struct
src = spark.readStream.schema(spark.read.json(os.environ["DATA"]).schema).json(os.environ["DATA"])
q = (src.select(col("gt").alias("key"), to_json(struct("Arrival_Time", "Device", "User")).alias("value"))
     .writeStream.format("kafka").option("kafka.bootstrap.servers", os.environ["BOOTSTRAP"]).option("topic", "out")
     .option("checkpointLocation", "cp").trigger(availableNow=True).start())
q.awaitTermination()
"#;

#[test]
fn rows_written_to_kafka_read_back_with_rdkafka() {
    let broker = Broker::start();
    broker.create_topic("out", 3);
    let work = tempfile::tempdir().unwrap();
    let mut k = kernel(work.path(), &broker.bootstrap);
    run(&mut k, WRITE_ACTIVITY);
    let progress = run(&mut k, "print(sum(p['sink']['numOutputRows'] for p in q.recentProgress), q.lastProgress['sink']['description'].split('@')[0])");
    assert_eq!(progress, "16006 org.apache.spark.sql.kafka010.KafkaSourceProvider$KafkaTable\n");
    let records = broker.consume_all("out", 3);
    assert_eq!(records.len(), 16_006);
    // Every input line is there once, keyed by its activity, spread by key over the partitions.
    let mut expected: Vec<(Option<String>, String)> = activity_lines()
        .iter()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let value = serde_json::json!({"Arrival_Time": v["Arrival_Time"], "Device": v["Device"], "User": v["User"]});
            (v["gt"].as_str().map(str::to_string), value.to_string())
        })
        .collect();
    let mut got: Vec<(Option<String>, String)> =
        records.iter().map(|r| (r.key.clone().map(|k| String::from_utf8(k).unwrap()), r.text())).collect();
    expected.sort();
    got.sort();
    assert!(got == expected, "the topic's records differ from the input rows");
    for record in &records {
        let same_key = records.iter().filter(|r| r.key == record.key).all(|r| r.partition == record.partition);
        assert!(same_key, "one key in two partitions");
    }
    let partitions: std::collections::BTreeSet<i32> = records.iter().map(|r| r.partition).collect();
    assert!(partitions.len() > 1, "all records in one partition");
    assert!(records.iter().all(|r| r.header("streamlab.batchId").is_some() && r.header("streamlab.seq").is_some()));
}

#[test]
fn a_replayed_batch_writes_only_what_is_missing() {
    let broker = Broker::start();
    broker.create_topic("src", 1);
    broker.create_topic("dst", 1);
    let values: Vec<Vec<u8>> = (0..10).map(|i| format!("r{i}").into_bytes()).collect();
    let records: Vec<(Option<&[u8]>, &[u8])> = values.iter().map(|v| (None, v.as_slice())).collect();
    broker.produce("src", Some(0), &records);
    let work = tempfile::tempdir().unwrap();
    let query = r#"
import os
q = (spark.readStream.format("kafka").option("kafka.bootstrap.servers", os.environ["BOOTSTRAP"])
    .option("subscribe", "src").option("startingOffsets", "earliest").load()
    .selectExpr("UPPER(CAST(value AS STRING)) AS value")
    .writeStream.format("kafka").option("kafka.bootstrap.servers", os.environ["BOOTSTRAP"]).option("topic", "dst")
    .option("checkpointLocation", "cp").trigger(availableNow=True).start())
q.awaitTermination()
"#;
    let mut k = kernel(work.path(), &broker.bootstrap);
    run(&mut k, query);
    let query_id = std::fs::read_to_string(work.path().join("cp/metadata")).unwrap();
    let query_id = query_id.trim().trim_start_matches("{\"id\":\"").trim_end_matches("\"}").to_string();
    // Make it look like batch 1 crashed after its sink wrote 2 of its 3 rows and before
    // commits/1: the next run replays batch 1 with the logged offsets.
    broker.produce("src", Some(0), &[(None, b"r10"), (None, b"r11"), (None, b"r12")]);
    std::fs::write(
        work.path().join("cp/offsets/1"),
        std::fs::read_to_string(work.path().join("cp/offsets/0")).unwrap().replace(r#"{"src":{"0":10}}"#, r#"{"src":{"0":13}}"#),
    )
    .unwrap();
    for seq in [0, 2] {
        let value = format!("R{}", 10 + seq);
        broker.produce_with_headers(
            "dst",
            value.as_bytes(),
            &[("streamlab.queryId", &query_id), ("streamlab.batchId", "1"), ("streamlab.seq", &seq.to_string())],
        );
    }
    let mut k = kernel(work.path(), &broker.bootstrap);
    run(&mut k, query);
    let values: Vec<String> = broker.consume_all("dst", 1).iter().map(|r| r.text()).collect();
    let expected: Vec<String> = (0..10).map(|i| format!("R{i}")).chain(["R10", "R12", "R11"].map(String::from)).collect();
    assert_eq!(values, expected);
    assert!(work.path().join("cp/commits/1").exists());
}

#[test]
fn start_checks_the_columns_as_spark_does() {
    let broker = Broker::start();
    let work = tempfile::tempdir().unwrap();
    let mut k = kernel(work.path(), &broker.bootstrap);
    let prefix = r#"
import os
from pyspark.sql.functions import col, lit
src = spark.readStream.format("rate").load()
def start(df, topic=True):
    w = df.writeStream.format("kafka").option("kafka.bootstrap.servers", os.environ["BOOTSTRAP"]).option("checkpointLocation", "cp")
    if topic:
        w = w.option("topic", "t")
    return w.start()
"#;
    run(&mut k, prefix);
    let cases = [
        ("start(src.select(col('value').cast('string').alias('value')), topic=False)", "AnalysisException: [_LEGACY_ERROR_TEMP_3080] topic option required when no 'topic' attribute is present. Use the topic option for setting a topic."),
        ("start(src.select(col('value').cast('string').alias('v')))", "AnalysisException: [_LEGACY_ERROR_TEMP_3080] Required attribute 'value' not found"),
        ("start(src.select('value'))", "AnalysisException: [_LEGACY_ERROR_TEMP_3080] value attribute unsupported type bigint. value must be a(n) string or binary"),
        ("start(src.select(col('value').alias('key'), col('value').cast('string').alias('value')))", "AnalysisException: [_LEGACY_ERROR_TEMP_3080] key attribute unsupported type bigint. key must be a(n) string or binary"),
        ("start(src.select(lit(1).alias('topic'), col('value').cast('string').alias('value')), topic=False)", "AnalysisException: [_LEGACY_ERROR_TEMP_3080] topic attribute unsupported type int. topic must be a(n) string"),
        ("start(src.select(col('value').cast('string').alias('value'), col('value').cast('string').alias('headers')))", "AnalysisException: [_LEGACY_ERROR_TEMP_3080] headers attribute unsupported type string. headers must be a(n) array<struct<key:string,value:binary>>"),
    ];
    for (code, expected) in cases {
        assert_eq!(run_error(&mut k, code), expected, "{code}");
    }
}

#[test]
fn a_dead_broker_fails_the_query_and_a_restart_loses_nothing() {
    let broker = Broker::start();
    broker.create_topic("in", 1);
    broker.produce("in", Some(0), &[(None, b"a"), (None, b"b")]);
    let work = tempfile::tempdir().unwrap();
    let query = r#"
import os
q = (spark.readStream.format("kafka").option("kafka.bootstrap.servers", os.environ["BOOTSTRAP"])
    .option("subscribe", "in").option("startingOffsets", "earliest").option("kafka.default.api.timeout.ms", "3000").load()
    .selectExpr("CAST(value AS STRING) AS v")
    .writeStream.format("parquet").option("path", "out").option("checkpointLocation", "cp").start())
"#;
    let mut k = kernel(work.path(), &broker.bootstrap);
    run(&mut k, &(query.to_string() + "q.processAllAvailable()"));
    broker.pause();
    let error = run_error(&mut k, "q.awaitTermination()");
    assert!(error.starts_with("StreamingQueryException: [STREAM_FAILED] Query [id = "), "{error}");
    assert!(error.contains("Kafka broker unreachable: "), "{error}");
    assert!(error.contains(&format!("(kafka.bootstrap.servers={})", broker.bootstrap)), "{error}");
    let stdout = run(&mut k, "print(q.isActive, q.exception() is not None)");
    assert_eq!(stdout, "False True\n");
    broker.resume();
    broker.produce("in", Some(0), &[(None, b"c")]);
    let mut k = kernel(work.path(), &broker.bootstrap);
    let stdout = run(&mut k, &(query.to_string() + "q.processAllAvailable()\nq.stop()\nprint(sorted([r.v for r in spark.read.parquet('out').collect()]))"));
    assert_eq!(stdout, "['a', 'b', 'c']\n");
}

#[test]
fn a_headers_column_is_written_before_the_sinks_own_tags() {
    let broker = Broker::start();
    broker.create_topic("tagged", 1);
    broker.create_topic("copied", 1);
    broker.produce_with_headers("tagged", b"first", &[("device", "nexus4_1"), ("user", "a")]);
    broker.produce("tagged", Some(0), &[(None, b"second".as_slice())]);
    let work = tempfile::tempdir().unwrap();
    let mut k = kernel(work.path(), &broker.bootstrap);
    run(
        &mut k,
        r#"
import os
src = (spark.readStream.format("kafka").option("kafka.bootstrap.servers", os.environ["BOOTSTRAP"])
       .option("subscribe", "tagged").option("startingOffsets", "earliest").option("includeHeaders", "true").load())
q = (src.select("value", "headers").writeStream.format("kafka").option("kafka.bootstrap.servers", os.environ["BOOTSTRAP"])
     .option("topic", "copied").option("checkpointLocation", "cp").trigger(availableNow=True).start())
q.awaitTermination()
"#,
    );
    let copied = broker.consume_all("copied", 1);
    let texts: Vec<String> = copied.iter().map(|r| r.text()).collect();
    assert_eq!(texts, ["first", "second"]);
    let keys = |i: usize| copied[i].headers.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>();
    assert_eq!(keys(0), ["device", "user", "streamlab.queryId", "streamlab.batchId", "streamlab.seq"]);
    assert_eq!(keys(1), ["streamlab.queryId", "streamlab.batchId", "streamlab.seq"]);
    assert_eq!(copied[0].header("device").as_deref(), Some("nexus4_1"));
    assert_eq!(copied[0].header("user").as_deref(), Some("a"));
}
