//! Offsets JSON in exactly the key order Spark 3.5 writes (goldens from Scala's own
//! `mutable.HashMap` and json4s: `tests/golden/generate_offset_order.py`).

use streamlab_kafka::offsets::{OffsetsJson, PartitionOffsets, TopicPartition};

#[test]
fn offsets_json_matches_spark_byte_for_byte() {
    let goldens = include_str!("golden/offset_order.jsonl");
    let mut checked = 0;
    for line in goldens.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let offsets: PartitionOffsets = case["offsets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (TopicPartition::new(t[0].as_str().unwrap(), t[1].as_i64().unwrap() as i32), t[2].as_i64().unwrap()))
            .collect();
        let expected = case["json"].as_str().unwrap();
        assert_eq!(offsets.to_json(), expected);
        assert_eq!(PartitionOffsets::parse(expected).unwrap(), offsets);
        checked += 1;
    }
    assert_eq!(checked, 47);
}
