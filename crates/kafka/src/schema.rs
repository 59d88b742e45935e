//! The Kafka source's fixed schema, and records as Arrow rows of it.
//!
//! ```
//! use streamlab_kafka::schema::{kafka_schema, to_batch};
//! use streamlab_kafka::client::KafkaRecord;
//! let record = KafkaRecord { topic: "t".into(), partition: 0, offset: 7, key: None,
//!     value: Some(b"{\"x\":1}".to_vec()), timestamp_ms: 1_700_000_000_000, timestamp_type: 0, headers: vec![] };
//! let batch = to_batch(&[record]).unwrap();
//! assert_eq!(batch.schema(), kafka_schema());
//! assert_eq!(batch.num_rows(), 1);
//! ```

use std::sync::Arc;

use arrow::array::{ArrayRef, BinaryArray, Int32Array, Int64Array, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use streamlab_types::{Result, SparkError};

use crate::client::KafkaRecord;

/// Spark's `KafkaRecordToRowConverter.kafkaSchema` (without headers): every field nullable.
///
/// `printSchema()` shows `key: binary`, `value: binary`, `topic: string`, `partition:
/// integer`, `offset: long`, `timestamp: timestamp`, `timestampType: integer`.
pub fn kafka_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("key", DataType::Binary, true),
        Field::new("value", DataType::Binary, true),
        Field::new("topic", DataType::Utf8, true),
        Field::new("partition", DataType::Int32, true),
        Field::new("offset", DataType::Int64, true),
        Field::new("timestamp", DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), true),
        Field::new("timestampType", DataType::Int32, true),
    ]))
}

/// The rows of `records`, in order.
pub fn to_batch(records: &[KafkaRecord]) -> Result<RecordBatch> {
    let columns: Vec<ArrayRef> = vec![
        Arc::new(records.iter().map(|r| r.key.as_deref()).collect::<BinaryArray>()),
        Arc::new(records.iter().map(|r| r.value.as_deref()).collect::<BinaryArray>()),
        Arc::new(records.iter().map(|r| Some(r.topic.as_str())).collect::<StringArray>()),
        Arc::new(records.iter().map(|r| Some(r.partition)).collect::<Int32Array>()),
        Arc::new(records.iter().map(|r| Some(r.offset)).collect::<Int64Array>()),
        Arc::new(
            records.iter().map(|r| Some(r.timestamp_ms.saturating_mul(1000))).collect::<TimestampMicrosecondArray>().with_timezone("UTC"),
        ),
        Arc::new(records.iter().map(|r| Some(r.timestamp_type)).collect::<Int32Array>()),
    ];
    RecordBatch::try_new(kafka_schema(), columns).map_err(|e| SparkError::runtime(e.to_string()))
}
