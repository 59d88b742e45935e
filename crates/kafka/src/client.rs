//! Reading from the broker with librdkafka's `BaseConsumer`, the way Spark's Kafka source does:
//! no consumer group, just `assign` at explicit offsets (so nothing waits for a group join).
//!
//! **Latest offsets are read forward, not trusted from ListOffsets.** Spark asks the broker's
//! ListOffsets API for each partition's end. The tansu broker the tests run against answers it
//! wrongly (the base offset of the partition's last record batch + 1, not the end), while its
//! Fetch responses carry the right high watermark. So [`Reader::latest`] takes ListOffsets'
//! answer `h` only as a lower bound, assigns the partition at `h - 1` (inside the last batch)
//! and reads forward until librdkafka signals end-of-partition — an event librdkafka raises
//! from the Fetch response's high watermark. Against a correct broker this reads one record per
//! partition and agrees with ListOffsets; against tansu it finds the real end.
//!
//! Every call is bounded by the source's API timeout (`kafka.default.api.timeout.ms`), so a
//! broker that is down fails the query with a clear error instead of hanging it.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{Headers, Message, Timestamp};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use streamlab_types::{Result, SparkError};

use crate::offsets::{PartitionOffsets, TopicPartition};
use crate::options::Strategy;

/// One record as the source reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KafkaRecord {
    /// Where it was read from.
    pub topic: String,
    /// Its partition.
    pub partition: i32,
    /// Its offset.
    pub offset: i64,
    /// The key bytes (`None` for a null key).
    pub key: Option<Vec<u8>>,
    /// The value bytes (`None` for a tombstone).
    pub value: Option<Vec<u8>>,
    /// Milliseconds since the epoch (`-1` when the record has none).
    pub timestamp_ms: i64,
    /// Kafka's `TimestampType` id: 0 create time, 1 log-append time, -1 none.
    pub timestamp_type: i32,
    /// The record headers, in order.
    pub headers: Vec<(String, Option<Vec<u8>>)>,
}

/// Options the Java client knows but librdkafka does not; StreamLab reads them itself.
const JAVA_ONLY: [&str; 1] = ["default.api.timeout.ms"];

/// A librdkafka configuration from the user's `kafka.*` options.
pub fn client_config(params: &[(String, String)]) -> ClientConfig {
    let mut config = ClientConfig::new();
    for (key, value) in params {
        if !JAVA_ONLY.iter().any(|k| key.eq_ignore_ascii_case(k)) {
            config.set(key, value);
        }
    }
    config
}

/// The broker list of `params`, for messages.
pub fn servers(params: &[(String, String)]) -> String {
    params.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case("bootstrap.servers")).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// A consumer for offsets and records; see the module documentation.
pub struct Reader {
    consumer: BaseConsumer,
    timeout: Duration,
    servers: String,
}

impl Reader {
    /// A consumer on the brokers of `params`; every call waits at most `timeout`.
    pub fn new(params: &[(String, String)], timeout: Duration) -> Result<Reader> {
        let mut config = client_config(params);
        config
            .set("enable.auto.commit", "false")
            .set("enable.auto.offset.store", "false")
            .set("enable.partition.eof", "true")
            .set("auto.offset.reset", "earliest");
        if config.get("group.id").is_none() {
            // Never joined or committed (partitions are assigned), but librdkafka wants one.
            config.set("group.id", "spark-kafka-source-streamlab");
        }
        let consumer = config.create().map_err(|e| SparkError::illegal_argument(e.to_string()))?;
        Ok(Reader { consumer, timeout, servers: servers(params) })
    }

    fn broker_error(&self, what: &str, error: impl std::fmt::Display) -> SparkError {
        SparkError::runtime(format!(
            "Kafka broker unreachable: {what} failed after {} ms (kafka.bootstrap.servers={}): {error}",
            self.timeout.as_millis(),
            self.servers
        ))
    }

    /// The topic-partitions `strategy` selects among the topics that exist now.
    pub fn partitions(&self, strategy: &Strategy) -> Result<BTreeSet<TopicPartition>> {
        let metadata = self.consumer.fetch_metadata(None, self.timeout).map_err(|e| self.broker_error("listing topics", e))?;
        let pattern = match strategy {
            Strategy::SubscribePattern(p) => Some(regex::Regex::new(p).map_err(|e| SparkError::illegal_argument(e.to_string()))?),
            _ => None,
        };
        let mut found = BTreeSet::new();
        for topic in metadata.topics() {
            let name = topic.name();
            let selected = match strategy {
                Strategy::Subscribe(topics) => topics.iter().any(|t| t == name),
                Strategy::SubscribePattern(_) => !name.starts_with("__") && pattern.as_ref().is_some_and(|p| p.is_match(name)),
                Strategy::Assign(_) => true,
            };
            if !selected || topic.error().is_some() {
                continue;
            }
            for partition in topic.partitions() {
                let tp = TopicPartition::new(name, partition.id());
                if let Strategy::Assign(assigned) = strategy {
                    if !assigned.contains(&tp) {
                        continue;
                    }
                }
                found.insert(tp);
            }
        }
        Ok(found)
    }

    /// ListOffsets' (earliest, latest) answer for one partition.
    fn list_offsets(&self, tp: &TopicPartition) -> Result<(i64, i64)> {
        self.consumer
            .fetch_watermarks(&tp.topic, tp.partition, self.timeout)
            .map_err(|e| self.broker_error(&format!("listing offsets of {tp}"), e))
    }

    /// The earliest offset of each partition.
    pub fn earliest<'a>(&self, partitions: impl IntoIterator<Item = &'a TopicPartition>) -> Result<PartitionOffsets> {
        partitions.into_iter().map(|tp| Ok((tp.clone(), self.list_offsets(tp)?.0))).collect()
    }

    /// The end offset (last offset + 1) of each partition, read forward (module docs).
    pub fn latest<'a>(&self, partitions: impl IntoIterator<Item = &'a TopicPartition>) -> Result<PartitionOffsets> {
        let mut by_topic: BTreeMap<&str, Vec<(&TopicPartition, i64, i64)>> = BTreeMap::new();
        for tp in partitions {
            let (low, high) = self.list_offsets(tp)?;
            by_topic.entry(tp.topic.as_str()).or_default().push((tp, low, high));
        }
        let mut latest = PartitionOffsets::new();
        // One topic at a time: librdkafka's end-of-partition event names only the partition.
        for (topic, parts) in by_topic {
            let mut assignment = TopicPartitionList::new();
            let mut pending = BTreeMap::new();
            for (tp, low, high) in parts {
                latest.insert(tp.clone(), high);
                if high > 0 {
                    let probe = (high - 1).max(low);
                    assignment
                        .add_partition_offset(topic, tp.partition, Offset::Offset(probe))
                        .map_err(|e| self.broker_error("assigning partitions", e))?;
                    pending.insert(tp.partition, high);
                }
            }
            if pending.is_empty() {
                continue;
            }
            self.consumer.assign(&assignment).map_err(|e| self.broker_error("assigning partitions", e))?;
            let deadline = Instant::now() + self.timeout;
            let mut last_error = None;
            while !pending.is_empty() {
                if Instant::now() > deadline {
                    let _ = self.consumer.unassign();
                    return Err(self.broker_error(&format!("reading the end of topic {topic}"), last_error.unwrap_or_else(|| "no answer".into())));
                }
                match self.consumer.poll(Duration::from_millis(100)) {
                    Some(Ok(message)) => {
                        if let Some(end) = pending.get_mut(&message.partition()) {
                            *end = (*end).max(message.offset() + 1);
                        }
                    }
                    Some(Err(KafkaError::PartitionEOF(partition))) => {
                        if let Some(end) = pending.remove(&partition) {
                            latest.insert(TopicPartition::new(topic, partition), end);
                        }
                    }
                    Some(Err(e)) => last_error = Some(e.to_string()),
                    None => {}
                }
            }
            self.consumer.unassign().map_err(|e| self.broker_error("unassigning partitions", e))?;
        }
        Ok(latest)
    }

    /// The records in `[from, until)` of each range, in (topic, partition, offset) order.
    ///
    /// A range whose records are not all there (deleted, aged out) calls `data_loss` with a
    /// description of the gap; it returns an error to fail, or `Ok` to skip the gap.
    pub fn read(
        &self,
        ranges: &[(TopicPartition, i64, i64)],
        data_loss: &mut dyn FnMut(String) -> Result<()>,
    ) -> Result<Vec<KafkaRecord>> {
        let mut by_topic: BTreeMap<&str, BTreeMap<i32, (i64, i64)>> = BTreeMap::new();
        for (tp, from, until) in ranges {
            if from < until {
                by_topic.entry(tp.topic.as_str()).or_default().insert(tp.partition, (*from, *until));
            }
        }
        let mut records = Vec::new();
        // One topic at a time: librdkafka's end-of-partition event names only the partition.
        for (topic, next) in by_topic {
            self.read_topic(topic, next, data_loss, &mut records)?;
        }
        Ok(records)
    }

    /// [`Reader::read`] for the ranges of one topic: partition → (next offset, until).
    fn read_topic(
        &self,
        topic: &str,
        mut next: BTreeMap<i32, (i64, i64)>,
        data_loss: &mut dyn FnMut(String) -> Result<()>,
        records: &mut Vec<KafkaRecord>,
    ) -> Result<()> {
        let mut assignment = TopicPartitionList::new();
        for (partition, (from, _)) in &next {
            assignment
                .add_partition_offset(topic, *partition, Offset::Offset(*from))
                .map_err(|e| self.broker_error("assigning partitions", e))?;
        }
        self.consumer.assign(&assignment).map_err(|e| self.broker_error("assigning partitions", e))?;
        let deadline = Instant::now() + self.timeout;
        let mut last_error = None;
        let first = records.len();
        while let Some((&waiting, &(waiting_offset, _))) = next.iter().next() {
            if Instant::now() > deadline {
                let _ = self.consumer.unassign();
                return Err(self.broker_error(
                    &format!("fetching offset {waiting_offset} of {topic}-{waiting}"),
                    last_error.unwrap_or_else(|| "no record arrived".to_string()),
                ));
            }
            match self.consumer.poll(Duration::from_millis(100)) {
                Some(Ok(message)) => {
                    let partition = message.partition();
                    let Some((expected, until)) = next.get(&partition).copied() else { continue };
                    let offset = message.offset();
                    if message.topic() != topic || offset < expected {
                        continue;
                    }
                    if offset > expected {
                        data_loss(format!("Skip missing records in [{expected}, {}) of {topic}-{partition}", offset.min(until)))?;
                    }
                    if offset < until {
                        records.push(record_of(&message));
                    }
                    if offset + 1 >= until {
                        next.remove(&partition);
                    } else {
                        next.insert(partition, (offset + 1, until));
                    }
                }
                Some(Err(KafkaError::PartitionEOF(partition))) => {
                    // The partition ended before `until`: the rest of the range is gone.
                    if let Some((expected, until)) = next.remove(&partition) {
                        data_loss(format!("Cannot fetch records in [{expected}, {until}) of {topic}-{partition}: the partition ends at {expected}"))?;
                    }
                }
                Some(Err(e)) => last_error = Some(e.to_string()),
                None => {}
            }
        }
        self.consumer.unassign().map_err(|e| self.broker_error("unassigning partitions", e))?;
        records[first..].sort_by_key(|r| (r.partition, r.offset));
        Ok(())
    }
}

/// Copies a consumed message.
fn record_of(message: &impl Message) -> KafkaRecord {
    let (timestamp_ms, timestamp_type) = match message.timestamp() {
        Timestamp::CreateTime(ms) => (ms, 0),
        Timestamp::LogAppendTime(ms) => (ms, 1),
        Timestamp::NotAvailable => (-1, -1),
    };
    let headers = message
        .headers()
        .map(|h| h.iter().map(|header| (header.key.to_string(), header.value.map(<[u8]>::to_vec))).collect())
        .unwrap_or_default();
    KafkaRecord {
        topic: message.topic().to_string(),
        partition: message.partition(),
        offset: message.offset(),
        key: message.key().map(<[u8]>::to_vec),
        value: message.payload().map(<[u8]>::to_vec),
        timestamp_ms,
        timestamp_type,
        headers,
    }
}
