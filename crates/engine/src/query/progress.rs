//! `StreamingQueryProgress` and `StreamingQueryStatus`, field for field and in Spark 3.5's key
//! order, so `lastProgress` reads exactly like Spark's.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// `query.status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryStatus {
    /// What the query is doing (`Waiting for data to arrive`, `Processing new data`, …).
    pub message: String,
    /// Whether the last trigger found new data.
    pub is_data_available: bool,
    /// Whether a trigger is running.
    pub is_trigger_active: bool,
}

impl QueryStatus {
    /// A status with `message`, keeping the flags.
    pub fn with_message(&self, message: &str) -> QueryStatus {
        QueryStatus { message: message.to_string(), ..self.clone() }
    }
}

impl Default for QueryStatus {
    fn default() -> Self {
        QueryStatus { message: "Initializing StreamExecution".into(), is_data_available: false, is_trigger_active: false }
    }
}

/// Serializes a rate, leaving out NaN and infinities as Spark does.
fn skip_rate(v: &f64) -> bool {
    !v.is_finite()
}

/// Progress of one source in one trigger.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceProgress {
    /// `FileStreamSource[file:/…]`, `MemoryStream[value]`, `RateStreamV2[…`.
    pub description: String,
    /// Offset the batch started after (`null` for the first batch).
    pub start_offset: Value,
    /// Offset the batch ended at.
    pub end_offset: Value,
    /// The source's latest offset (`null` for the file source).
    pub latest_offset: Value,
    /// Rows read in this trigger.
    pub num_input_rows: i64,
    /// Rows per second since the previous trigger started.
    #[serde(skip_serializing_if = "skip_rate")]
    pub input_rows_per_second: f64,
    /// Rows per second of this trigger's execution time.
    #[serde(skip_serializing_if = "skip_rate")]
    pub processed_rows_per_second: f64,
    /// Source-specific metrics (Kafka's `avgOffsetsBehindLatest`, …).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metrics: BTreeMap<String, String>,
}

/// Progress of the sink.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[derive(Default)]
pub struct SinkProgress {
    /// `MemorySink`, `FileSink[<path>]`, `ForeachBatchSink`, …
    pub description: String,
    /// Rows written, or -1 when the sink cannot tell (file sink, foreachBatch).
    pub num_output_rows: i64,
    /// Sink-specific metrics.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metrics: BTreeMap<String, String>,
}

/// Progress of one stateful operator (filled by stateful queries).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateOperatorProgress {
    /// `stateStoreSave`, `dedupe`, …
    pub operator_name: String,
    /// State rows after the batch.
    pub num_rows_total: i64,
    /// Rows written to state in this batch.
    pub num_rows_updated: i64,
    /// Time spent updating, ms.
    pub all_updates_time_ms: i64,
    /// Rows evicted by the watermark.
    pub num_rows_removed: i64,
    /// Time spent evicting, ms.
    pub all_removals_time_ms: i64,
    /// Time spent committing the state store, ms.
    pub commit_time_ms: i64,
    /// Approximate memory of the state, bytes.
    pub memory_used_bytes: i64,
    /// Late input rows dropped (after partial aggregation).
    pub num_rows_dropped_by_watermark: i64,
    /// `spark.sql.shuffle.partitions` of the checkpoint.
    pub num_shuffle_partitions: i64,
    /// State store instances.
    pub num_state_store_instances: i64,
    /// Store-specific metrics.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub custom_metrics: BTreeMap<String, i64>,
}

/// `query.lastProgress`: one trigger's report.
///
/// ```
/// use streamlab_engine::query::progress::StreamingQueryProgress;
/// let p = StreamingQueryProgress::default();
/// let json = p.json();
/// assert!(json.starts_with("{\"id\":\"\",\"runId\":\"\",\"name\":null,\"timestamp\":"));
/// assert!(json.contains("\"stateOperators\":[]"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct StreamingQueryProgress {
    /// The query id (stable across restarts).
    pub id: String,
    /// This run's id.
    pub run_id: String,
    /// The query name, or null.
    pub name: Option<String>,
    /// Trigger start, ISO-8601 UTC with milliseconds.
    pub timestamp: String,
    /// The batch this trigger ran (the next batch id for an idle trigger).
    pub batch_id: i64,
    /// Rows read by all sources.
    pub num_input_rows: i64,
    /// Sum of the sources' input rates.
    #[serde(skip_serializing_if = "skip_rate")]
    pub input_rows_per_second: f64,
    /// Sum of the sources' processing rates.
    #[serde(skip_serializing_if = "skip_rate")]
    pub processed_rows_per_second: f64,
    /// Phase durations in ms, keys sorted (`addBatch`, `commitOffsets`, `getBatch`,
    /// `latestOffset`, `queryPlanning`, `triggerExecution`, `walCommit`).
    pub duration_ms: BTreeMap<String, i64>,
    /// Event-time statistics (`avg`, `max`, `min`, `watermark`) when the query has a watermark.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub event_time: BTreeMap<String, String>,
    /// One entry per stateful operator.
    pub state_operators: Vec<StateOperatorProgress>,
    /// One entry per source.
    pub sources: Vec<SourceProgress>,
    /// The sink.
    pub sink: SinkProgress,
}


impl StreamingQueryProgress {
    /// The compact JSON text (`progress.json`).
    pub fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The indented JSON text (`progress.prettyJson`, what `print(progress)` shows in Scala).
    pub fn pretty_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// As a JSON value (PySpark's `lastProgress` is `json.loads` of the text).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}
