//! `df.writeStream.format("kafka")`: each row of a batch becomes one record.
//!
//! The query's rows need a `value` column (string or binary), may have a `key` (string or
//! binary), a `topic` (string; the `topic` option wins over it), a `partition` (int) and
//! `headers` (`array<struct<key: string, value: binary>>`, as the source's `includeHeaders`
//! gives; written in order, before the sink's own tags below). Wrong or missing columns fail
//! `start()` with Spark's `KafkaWriter.validateQuery` texts.
//!
//! # Exactly once, where Spark gives at-least-once
//!
//! Spark's Kafka sink is at-least-once: a batch that crashed after producing some records is
//! produced again in full on restart. This sink tags every record with three headers —
//! `streamlab.queryId` (the checkpoint's query id), `streamlab.batchId` and `streamlab.seq`
//! (the row's position in the batch) — and, the first time a sink instance writes (that is,
//! after every start, where a replay can happen), reads the tail of each partition of the
//! target topics backwards, window by window, until it meets a record of this query from an
//! earlier batch (or the partition's start). The `seq`s of the current batch found there were
//! written by the crashed run and are skipped now. A replayed batch has the same input offsets
//! and so the same rows in the same order, which makes `seq` a stable identity. Within one run
//! a batch id is written once (the engine moves on only after `add_batch` succeeded, and a
//! failed `add_batch` ends the run), so later batches need no scan. Records are flushed (and
//! their delivery checked) before `add_batch` returns, so every record of batch `n` is in the
//! topic before any record of batch `n + 1`: the backwards scan can stop at the first older
//! batch.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{DataType, SchemaRef};
use arrow::record_batch::RecordBatch;
use rdkafka::client::ClientContext;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use streamlab_engine::connector::{SinkContext, SinkProvider};
use streamlab_engine::sink::{OutputMode, Sink};
use streamlab_expr::types::same_type;
use streamlab_types::ddl::simple_string;
use streamlab_types::{ErrorKind, Result, SparkError};

use crate::client::{client_config, KafkaRecord, Reader};
use crate::options::{kafka_params, option, Strategy};
use crate::schema::headers_type;

/// Header naming the query that wrote a record.
pub const QUERY_HEADER: &str = "streamlab.queryId";
/// Header naming the batch that wrote a record.
pub const BATCH_HEADER: &str = "streamlab.batchId";
/// Header numbering a record within its batch.
pub const SEQ_HEADER: &str = "streamlab.seq";

/// Registers as `format("kafka")` for `writeStream` ([`crate::register`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct KafkaSinkProvider;

/// Where each part of a record comes from: column indices in the query's rows.
#[derive(Debug, Clone)]
struct Layout {
    topic_option: Option<String>,
    topic: Option<usize>,
    key: Option<usize>,
    value: usize,
    partition: Option<usize>,
    headers: Option<usize>,
}

/// `KafkaWriter.validateQuery`, with its texts (an `AnalysisException`, error class
/// `_LEGACY_ERROR_TEMP_3080`).
fn layout(schema: &SchemaRef, options: &[(String, String)]) -> Result<Layout> {
    let invalid = |message: String| SparkError::analysis(message).with_class("_LEGACY_ERROR_TEMP_3080");
    let column = |name: &str, allowed: &[DataType]| -> Result<Option<usize>> {
        let Some((index, field)) = schema.fields().iter().enumerate().find(|(_, f)| f.name() == name) else { return Ok(None) };
        // As Spark's `sameType`: nullability (of the headers' elements and fields) is not compared.
        if !allowed.iter().any(|t| same_type(t, field.data_type())) {
            let names: Vec<String> = allowed.iter().map(simple_string).collect();
            return Err(invalid(format!(
                "{name} attribute unsupported type {}. {name} must be a(n) {}",
                simple_string(field.data_type()),
                names.join(" or ")
            )));
        }
        Ok(Some(index))
    };
    let topic_option = option(options, "topic").map(|t| t.trim().to_string());
    let topic = match &topic_option {
        Some(_) => None,
        None => Some(column("topic", &[DataType::Utf8])?.ok_or_else(|| {
            invalid("topic option required when no 'topic' attribute is present. Use the topic option for setting a topic.".into())
        })?),
    };
    let key = column("key", &[DataType::Utf8, DataType::Binary])?;
    let value = column("value", &[DataType::Utf8, DataType::Binary])?.ok_or_else(|| invalid("Required attribute 'value' not found".into()))?;
    let headers = column("headers", &[headers_type()])?;
    let partition = column("partition", &[DataType::Int32])?;
    Ok(Layout { topic_option, topic, key, value, partition, headers })
}

/// Spark's `kafkaParamsForProducer` checks.
fn producer_params(options: &[(String, String)]) -> Result<Vec<(String, String)>> {
    if option(options, "kafka.key.serializer").is_some() {
        return Err(SparkError::illegal_argument("Kafka option 'key.serializer' is not supported as keys are serialized with ByteArraySerializer."));
    }
    if option(options, "kafka.value.serializer").is_some() {
        return Err(SparkError::illegal_argument("Kafka option 'value.serializer' is not supported as value are serialized with ByteArraySerializer."));
    }
    let params = kafka_params(options);
    if !params.iter().any(|(k, _)| k.eq_ignore_ascii_case("bootstrap.servers")) {
        return Err(SparkError::runtime("Missing required configuration \"bootstrap.servers\" which has no default value."));
    }
    Ok(params)
}

impl SinkProvider for KafkaSinkProvider {
    fn validate(&self, ctx: &SinkContext<'_>) -> Result<()> {
        layout(&ctx.schema, ctx.options)?;
        producer_params(ctx.options)?;
        Ok(())
    }

    fn create(&self, ctx: &SinkContext<'_>, query_id: &str) -> Result<Box<dyn Sink>> {
        Ok(Box::new(KafkaSink::new(layout(&ctx.schema, ctx.options)?, producer_params(ctx.options)?, query_id)?))
    }
}

/// Counts failed deliveries (librdkafka calls back from `poll`/`flush`).
#[derive(Default)]
struct Deliveries {
    failed: AtomicUsize,
    first_error: Mutex<Option<String>>,
}

impl ClientContext for Deliveries {}

impl ProducerContext for Deliveries {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if let Err((error, _)) = result {
            self.failed.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut first) = self.first_error.lock() {
                first.get_or_insert_with(|| error.to_string());
            }
        }
    }
}

/// The live sink of one query.
pub struct KafkaSink {
    layout: Layout,
    params: Vec<(String, String)>,
    producer: BaseProducer<Deliveries>,
    query_id: String,
    timeout: Duration,
    /// Whether this instance has written a batch yet (the first may be a replay).
    wrote: bool,
}

/// One record to produce.
struct Outgoing {
    topic: String,
    partition: Option<i32>,
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    /// The row's `headers`, written before the sink's own tags.
    headers: Vec<(String, Option<Vec<u8>>)>,
}

impl KafkaSink {
    /// A sink producing with `params` (the `kafka.*` options), tagging records with `query_id`.
    fn new(layout: Layout, params: Vec<(String, String)>, query_id: &str) -> Result<KafkaSink> {
        let mut config = client_config(&params);
        if config.get("partitioner").is_none() {
            // The Java client's default partitioner, so keys land where Spark would put them.
            config.set("partitioner", "murmur2_random");
        }
        if config.get("message.timeout.ms").is_none() && config.get("delivery.timeout.ms").is_none() {
            config.set("message.timeout.ms", "120000"); // the Java client's delivery.timeout.ms
        }
        let timeout_ms: u64 = config
            .get("message.timeout.ms")
            .or_else(|| config.get("delivery.timeout.ms"))
            .and_then(|v| v.parse().ok())
            .unwrap_or(120_000);
        let producer = config.create_with_context(Deliveries::default()).map_err(|e| SparkError::illegal_argument(e.to_string()))?;
        Ok(KafkaSink {
            layout,
            params,
            producer,
            query_id: query_id.to_string(),
            timeout: Duration::from_millis(timeout_ms),
            wrote: false,
        })
    }

    /// The records of `data`, in row order.
    fn records(&self, data: &[RecordBatch]) -> Result<Vec<Outgoing>> {
        let mut out = Vec::new();
        for batch in data {
            let column = |i: usize| batch.columns().get(i).cloned();
            let topic = self.layout.topic.and_then(column);
            let key = self.layout.key.and_then(column);
            let value = column(self.layout.value);
            let partition = self.layout.partition.and_then(column);
            let headers = self.layout.headers.and_then(column);
            for row in 0..batch.num_rows() {
                let topic = match (&self.layout.topic_option, &topic) {
                    (Some(t), _) => t.clone(),
                    (None, Some(array)) => string_at(array, row).ok_or_else(|| {
                        SparkError::new(
                            ErrorKind::Runtime,
                            "null topic present in the data. Use the topic option for setting a topic.",
                        )
                    })?,
                    (None, None) => return Err(SparkError::illegal_state("no topic column")),
                };
                let partition = partition.as_ref().and_then(|a| {
                    let ints = a.as_primitive_opt::<arrow::datatypes::Int32Type>()?;
                    ints.is_valid(row).then(|| ints.value(row))
                });
                out.push(Outgoing {
                    topic,
                    partition,
                    key: key.as_ref().and_then(|a| bytes_at(a, row)),
                    value: value.as_ref().and_then(|a| bytes_at(a, row)),
                    headers: headers.as_ref().map(|a| headers_at(a, row)).transpose()?.unwrap_or_default(),
                });
            }
        }
        Ok(out)
    }

    /// The `seq`s of batch `batch_id` already in the topics (see the module docs).
    fn already_written(&self, batch_id: i64, topics: &BTreeSet<String>) -> Result<BTreeSet<u64>> {
        let reader = Reader::new(&self.params, self.timeout)?;
        let partitions = reader.partitions(&Strategy::Subscribe(topics.iter().cloned().collect()))?;
        let earliest = reader.earliest(&partitions)?;
        let latest = reader.latest(&partitions)?;
        let mut found = BTreeSet::new();
        for tp in &partitions {
            let (low, end) = (earliest.get(tp).copied().unwrap_or(0), latest.get(tp).copied().unwrap_or(0));
            let mut window = 1024i64;
            loop {
                let start = end.saturating_sub(window).max(low);
                let mut ignore_loss = |_: String| Ok(());
                let records = reader.read(&[(tp.clone(), start, end)], &mut ignore_loss)?;
                let mut reached_older_batch = false;
                for record in &records {
                    match self.tag_of(record) {
                        Some((batch, seq)) if batch == batch_id => {
                            found.insert(seq);
                        }
                        Some((batch, _)) if batch < batch_id => reached_older_batch = true,
                        _ => {}
                    }
                }
                if reached_older_batch || start <= low {
                    break;
                }
                window = window.saturating_mul(4);
            }
        }
        Ok(found)
    }

    /// `(batchId, seq)` of a record this query wrote.
    fn tag_of(&self, record: &KafkaRecord) -> Option<(i64, u64)> {
        let header = |name: &str| {
            record.headers.iter().find(|(k, _)| k == name).and_then(|(_, v)| v.as_deref()).and_then(|v| std::str::from_utf8(v).ok())
        };
        if header(QUERY_HEADER)? != self.query_id {
            return None;
        }
        Some((header(BATCH_HEADER)?.parse().ok()?, header(SEQ_HEADER)?.parse().ok()?))
    }

    fn produce(&self, batch_id: i64, records: &[Outgoing], skip: &BTreeSet<u64>) -> Result<()> {
        let deliveries = self.producer.context();
        deliveries.failed.store(0, Ordering::SeqCst);
        let batch_text = batch_id.to_string();
        for (seq, record) in records.iter().enumerate() {
            if skip.contains(&(seq as u64)) {
                continue;
            }
            let seq_text = seq.to_string();
            let mut headers = OwnedHeaders::new_with_capacity(record.headers.len() + 3);
            for (key, value) in &record.headers {
                headers = headers.insert(Header { key, value: value.as_deref() });
            }
            let headers = headers
                .insert(Header { key: QUERY_HEADER, value: Some(self.query_id.as_bytes()) })
                .insert(Header { key: BATCH_HEADER, value: Some(batch_text.as_bytes()) })
                .insert(Header { key: SEQ_HEADER, value: Some(seq_text.as_bytes()) });
            let mut outgoing: BaseRecord<'_, [u8], [u8]> = BaseRecord::to(&record.topic).headers(headers);
            if let Some(key) = &record.key {
                outgoing = outgoing.key(key.as_slice());
            }
            if let Some(value) = &record.value {
                outgoing = outgoing.payload(value.as_slice());
            }
            if let Some(partition) = record.partition {
                outgoing = outgoing.partition(partition);
            }
            let mut pending = outgoing;
            loop {
                match self.producer.send(pending) {
                    Ok(()) => break,
                    Err((rdkafka::error::KafkaError::MessageProduction(rdkafka::types::RDKafkaErrorCode::QueueFull), back)) => {
                        self.producer.poll(Duration::from_millis(100));
                        pending = back;
                    }
                    Err((error, _)) => return Err(SparkError::runtime(format!("Failed to send a record to Kafka topic {}: {error}", record.topic))),
                }
            }
            self.producer.poll(Duration::ZERO);
        }
        let flushed = self.producer.flush(self.timeout + Duration::from_secs(5));
        let failed = deliveries.failed.load(Ordering::SeqCst);
        if failed > 0 || flushed.is_err() {
            let first = deliveries.first_error.lock().ok().and_then(|mut e| e.take());
            let reason = first.or_else(|| flushed.err().map(|e| e.to_string())).unwrap_or_default();
            return Err(SparkError::runtime(format!(
                "Failed to write batch {batch_id} to Kafka ({failed} record(s) not delivered): {reason}"
            )));
        }
        Ok(())
    }
}

/// UTF-8 text of a string cell.
fn string_at(array: &ArrayRef, row: usize) -> Option<String> {
    let strings = array.as_string_opt::<i32>()?;
    strings.is_valid(row).then(|| strings.value(row).to_string())
}

/// The bytes of a string or binary cell.
fn bytes_at(array: &ArrayRef, row: usize) -> Option<Vec<u8>> {
    if array.is_null(row) {
        return None;
    }
    match array.data_type() {
        DataType::Utf8 => array.as_string_opt::<i32>().map(|a| a.value(row).as_bytes().to_vec()),
        DataType::Binary => array.as_binary_opt::<i32>().map(|a| a.value(row).to_vec()),
        _ => None,
    }
}

impl Sink for KafkaSink {
    /// Spark reports the sink as `KafkaSourceProvider$KafkaTable@<identity hash>`; the hash
    /// here is derived from the query id, so it is stable across restarts.
    fn description(&self) -> String {
        let hash = self.query_id.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        format!("org.apache.spark.sql.kafka010.KafkaSourceProvider$KafkaTable@{hash:x}")
    }

    fn add_batch(&mut self, batch_id: i64, data: &[RecordBatch], _schema: &SchemaRef, _mode: OutputMode) -> Result<()> {
        let records = self.records(data)?;
        let skip = if self.wrote || records.is_empty() {
            BTreeSet::new()
        } else {
            let topics: BTreeSet<String> = records.iter().map(|r| r.topic.clone()).collect();
            self.already_written(batch_id, &topics)?
        };
        self.produce(batch_id, &records, &skip)?;
        self.wrote = true;
        Ok(())
    }
}

/// Row `row` of a `headers` column (`array<struct<key: string, value: binary>>`): none for a
/// null list; a null key is Kafka's `NullPointerException`, as a runtime error.
fn headers_at(array: &ArrayRef, row: usize) -> Result<Vec<(String, Option<Vec<u8>>)>> {
    let lists = array.as_list_opt::<i32>().ok_or_else(|| SparkError::illegal_state("headers is not a list"))?;
    if lists.is_null(row) {
        return Ok(Vec::new());
    }
    let entries = lists.value(row);
    let entries = entries.as_struct_opt().ok_or_else(|| SparkError::illegal_state("a header is not a struct"))?;
    let (Some(keys), Some(values)) = (entries.column(0).as_string_opt::<i32>(), entries.column(1).as_binary_opt::<i32>()) else {
        return Err(SparkError::illegal_state("a header is not (string, binary)"));
    };
    (0..entries.len())
        .filter(|&i| entries.is_valid(i))
        .map(|i| {
            if keys.is_null(i) {
                return Err(SparkError::runtime("java.lang.NullPointerException: Null header keys are not permitted"));
            }
            Ok((keys.value(i).to_string(), values.is_valid(i).then(|| values.value(i).to_vec())))
        })
        .collect()
}
