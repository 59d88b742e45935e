//! `streamlab run` with Kafka: a PySpark script (`tests/kafka/activity_to_kafka.py`) reads the
//! activity sample from a real broker (tansu, started by the harness), parses it with
//! `from_json` and writes to another topic; the records are read back with rdkafka.

#[path = "../../kafka/tests/harness/mod.rs"]
mod harness;
#[allow(dead_code)] // the other suites' helpers
mod common;

use std::process::Command;

use common::repo_root;
use harness::Broker;

#[test]
fn a_script_moves_the_activity_sample_from_topic_to_topic() {
    let broker = Broker::start();
    broker.create_topic("activity", 1);
    broker.create_topic("labels", 2);
    let dir = repo_root().join("data/activity");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let lines: Vec<String> =
        files.iter().flat_map(|f| std::fs::read_to_string(f).unwrap().lines().map(str::to_string).collect::<Vec<_>>()).collect();
    let lines: Vec<&String> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
    let records: Vec<(Option<&[u8]>, &[u8])> = lines.iter().map(|l| (None, l.as_bytes())).collect();
    broker.produce("activity", Some(0), &records);

    let work = tempfile::tempdir().unwrap();
    let script = repo_root().join("tests/kafka/activity_to_kafka.py");
    let out = Command::new(env!("CARGO_BIN_EXE_streamlab"))
        .arg("run")
        .arg(&script)
        .current_dir(work.path())
        .env("KAFKA_BOOTSTRAP", &broker.bootstrap)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout, "[5000, 5000, 5000, 1006]\n{'activity': {'0': 16006}}\n");

    let written = broker.consume_all("labels", 2);
    assert_eq!(written.len(), 16_006);
    let mut got: Vec<serde_json::Value> = written.iter().map(|r| serde_json::from_str(&r.text()).unwrap()).collect();
    let mut expected: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let mut row = serde_json::Map::new();
            for key in ["Index", "gt", "x"] {
                if !v[key].is_null() {
                    row.insert(key.to_string(), v[key].clone());
                }
            }
            serde_json::Value::Object(row)
        })
        .collect();
    // Doubles are compared as numbers: Spark's text for them is Java's (`1.0E-4`).
    got.sort_by_key(serde_json::Value::to_string);
    expected.sort_by_key(serde_json::Value::to_string);
    assert!(got == expected, "the labels topic differs from the input rows");
}
