//! The Kafka source's fixed schema, and records as Arrow rows of it.
//!
//! ```
//! use streamlab_kafka::schema::{kafka_schema, to_batch};
//! use streamlab_kafka::client::KafkaRecord;
//! let record = KafkaRecord { topic: "t".into(), partition: 0, offset: 7, key: None,
//!     value: Some(b"{\"x\":1}".to_vec()), timestamp_ms: 1_700_000_000_000, timestamp_type: 0, headers: vec![] };
//! let batch = to_batch(&[record], false).unwrap();
//! assert_eq!(batch.schema(), kafka_schema(false));
//! assert_eq!(batch.num_rows(), 1);
//! ```

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BinaryArray, Int32Array, Int64Array, ListArray, StringArray, StructArray, TimestampMicrosecondArray,
};
use arrow::buffer::OffsetBuffer;
use arrow::datatypes::{DataType, Field, Fields, Schema, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use streamlab_types::ddl::list_of;
use streamlab_types::{Result, SparkError};

use crate::client::KafkaRecord;

/// The type of the `headers` column: `array<struct<key: string, value: binary>>`.
///
/// ```
/// use streamlab_kafka::schema::headers_type;
/// assert_eq!(streamlab_types::ddl::simple_string(&headers_type()), "array<struct<key:string,value:binary>>");
/// ```
pub fn headers_type() -> DataType {
    list_of(DataType::Struct(header_fields()))
}

/// The fields of one header: `struct<key: string, value: binary>`.
fn header_fields() -> Fields {
    Fields::from(vec![Field::new("key", DataType::Utf8, true), Field::new("value", DataType::Binary, true)])
}

/// Spark's `KafkaRecordToRowConverter.kafkaSchema`, every field nullable, with the `headers`
/// column (`array<struct<key: string, value: binary>>`) when `includeHeaders` is true.
///
/// `printSchema()` shows `key: binary`, `value: binary`, `topic: string`, `partition:
/// integer`, `offset: long`, `timestamp: timestamp`, `timestampType: integer`.
///
/// ```
/// use streamlab_kafka::schema::kafka_schema;
/// assert_eq!(kafka_schema(false).fields().len(), 7);
/// assert_eq!(kafka_schema(true).field(7).name(), "headers");
/// ```
pub fn kafka_schema(include_headers: bool) -> SchemaRef {
    let mut fields = vec![
        Field::new("key", DataType::Binary, true),
        Field::new("value", DataType::Binary, true),
        Field::new("topic", DataType::Utf8, true),
        Field::new("partition", DataType::Int32, true),
        Field::new("offset", DataType::Int64, true),
        Field::new("timestamp", DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), true),
        Field::new("timestampType", DataType::Int32, true),
    ];
    if include_headers {
        fields.push(Field::new("headers", headers_type(), true));
    }
    Arc::new(Schema::new(fields))
}

/// The rows of `records`, in order, with their headers when `include_headers` is true.
pub fn to_batch(records: &[KafkaRecord], include_headers: bool) -> Result<RecordBatch> {
    let mut columns: Vec<ArrayRef> = vec![
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
    if include_headers {
        columns.push(headers_column(records)?);
    }
    Ok(RecordBatch::try_new(kafka_schema(include_headers), columns)?)
}

/// Each record's headers, in the order they were sent, as one list per row (empty, not null,
/// for a record without headers, as Spark gives).
fn headers_column(records: &[KafkaRecord]) -> Result<ArrayRef> {
    let all = || records.iter().flat_map(|r| r.headers.iter());
    let keys: ArrayRef = Arc::new(all().map(|(k, _)| Some(k.as_str())).collect::<StringArray>());
    let values: ArrayRef = Arc::new(all().map(|(_, v)| v.as_deref()).collect::<BinaryArray>());
    let headers = StructArray::try_new(header_fields(), vec![keys, values], None)?;
    let DataType::List(item) = headers_type() else {
        return Err(SparkError::runtime("internal error: list_of gave no list"));
    };
    let offsets = OffsetBuffer::from_lengths(records.iter().map(|r| r.headers.len()));
    Ok(Arc::new(ListArray::try_new(item, offsets, Arc::new(headers), None)?))
}
