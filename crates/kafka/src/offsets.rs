//! Kafka source offsets: one offset per topic-partition, as JSON text exactly as Spark writes it
//! to `offsets/N` and reads it from `startingOffsets`.
//!
//! An offset is the position of the *next* record (last offset read + 1), like
//! `KafkaConsumer.position()`. In `startingOffsets`, `-2` means earliest and `-1` latest.
//!
//! ```
//! use streamlab_kafka::offsets::{OffsetsJson, PartitionOffsets, TopicPartition};
//! let offsets = PartitionOffsets::parse(r#"{"t":{"0":23,"1":-2}}"#).unwrap();
//! assert_eq!(offsets.get(&TopicPartition::new("t", 1)), Some(&-2));
//! assert_eq!(offsets.to_json(), r#"{"t":{"1":-2,"0":23}}"#); // Spark's own key order
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;
use streamlab_types::{Result, SparkError};

use crate::scala_order::{iteration_order, java_string_hash};

/// `startingOffsets` value for a partition's earliest offset.
pub const EARLIEST: i64 = -2;
/// `startingOffsets` value for a partition's latest offset.
pub const LATEST: i64 = -1;

/// A topic and a partition; ordered by topic, then partition, as Spark sorts them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TopicPartition {
    /// The topic name.
    pub topic: String,
    /// The partition number.
    pub partition: i32,
}

impl TopicPartition {
    /// `topic`'s partition `partition`.
    pub fn new(topic: &str, partition: i32) -> Self {
        TopicPartition { topic: topic.to_string(), partition }
    }
}

/// Kafka's `TopicPartition.toString`: `topic-0`.
impl fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// Offsets by topic-partition (Spark's `PartitionOffsetMap`).
pub type PartitionOffsets = BTreeMap<TopicPartition, i64>;

/// Reading and writing [`PartitionOffsets`] in Spark's JSON form.
pub trait OffsetsJson: Sized {
    /// Parses `{"topic":{"0":23}}` with Spark's error for anything else.
    fn parse(text: &str) -> Result<Self>;
    /// The JSON text Spark writes: compact, topics and partitions in the order of Scala 2.12's
    /// `mutable.HashMap` (see [`crate::scala_order`]).
    fn to_json(&self) -> String;
}

impl OffsetsJson for PartitionOffsets {
    fn parse(text: &str) -> Result<Self> {
        let invalid =
            || SparkError::illegal_argument(format!(r#"Expected e.g. {{"topicA":{{"0":23,"1":-1}},"topicB":{{"0":-2}}}}, got {text}"#));
        let Ok(Value::Object(topics)) = serde_json::from_str::<Value>(text) else { return Err(invalid()) };
        let mut offsets = PartitionOffsets::new();
        for (topic, partitions) in &topics {
            let Value::Object(partitions) = partitions else { return Err(invalid()) };
            for (partition, offset) in partitions {
                let partition: i32 = partition.trim().parse().map_err(|_| invalid())?;
                let offset = offset.as_i64().ok_or_else(invalid)?;
                offsets.insert(TopicPartition::new(topic, partition), offset);
            }
        }
        Ok(offsets)
    }

    fn to_json(&self) -> String {
        // Topics in first-insertion order of the sorted pairs, each with its sorted partitions.
        let mut topics: Vec<(&str, Vec<(i32, i64)>)> = Vec::new();
        for (tp, offset) in self {
            match topics.last_mut() {
                Some((topic, parts)) if *topic == tp.topic => parts.push((tp.partition, *offset)),
                _ => topics.push((&tp.topic, vec![(tp.partition, *offset)])),
            }
        }
        let topic_hashes: Vec<i32> = topics.iter().map(|(t, _)| java_string_hash(t)).collect();
        let mut out = String::from("{");
        for (n, i) in iteration_order(&topic_hashes).into_iter().enumerate() {
            let (topic, parts) = &topics[i];
            if n > 0 {
                out.push(',');
            }
            out.push_str(&Value::String(topic.to_string()).to_string());
            out.push_str(":{");
            let partition_hashes: Vec<i32> = parts.iter().map(|(p, _)| *p).collect();
            for (m, j) in iteration_order(&partition_hashes).into_iter().enumerate() {
                if m > 0 {
                    out.push(',');
                }
                let (partition, offset) = parts[j];
                out.push_str(&format!("\"{partition}\":{offset}"));
            }
            out.push('}');
        }
        out.push('}');
        out
    }
}

/// Scala's `Set.toString` of topic-partitions, as Spark's data-loss messages print them
/// (`Set(t-0, t-1)`).
pub fn set_text<'a>(partitions: impl IntoIterator<Item = &'a TopicPartition>) -> String {
    let names: Vec<String> = partitions.into_iter().map(ToString::to_string).collect();
    format!("Set({})", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_spark_rejects() {
        for text in ["", "[1]", r#"{"t":[0]}"#, r#"{"t":{"x":1}}"#, r#"{"t":{"0":"a"}}"#] {
            let err = PartitionOffsets::parse(text).unwrap_err();
            assert_eq!(err.to_string(), format!(r#"Expected e.g. {{"topicA":{{"0":23,"1":-1}},"topicB":{{"0":-2}}}}, got {text}"#));
        }
    }

    #[test]
    fn writes_escaped_topic_names() {
        let offsets = PartitionOffsets::from([(TopicPartition::new("a\"b", 0), 5)]);
        assert_eq!(offsets.to_json(), r#"{"a\"b":{"0":5}}"#);
        assert_eq!(PartitionOffsets::parse(&offsets.to_json()).unwrap(), offsets);
    }
}
