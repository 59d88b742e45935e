//! `add.stats`: the per-file column statistics Delta readers use to skip files
//! (`numRecords`, `minValues`, `maxValues`, `nullCount`), computed as Delta Lake computes them.
//!
//! Delta collects min/max for numbers, dates, timestamps, decimals and strings (strings cut to
//! a 32-character prefix; a cut maximum gets U+10FFFF appended so it stays an upper bound), a
//! null count for every column, nested structs as nested objects, and only for the first 32
//! leaf columns (`delta.dataSkippingNumIndexedCols`). Timestamps are written in milliseconds:
//! minimums round down and maximums round up, so the bounds stay true.

use arrow::array::{Array, ArrayRef, AsArray, StructArray};
use arrow::compute::kernels::aggregate;
use arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType,
};
use arrow::record_batch::RecordBatch;
use serde_json::{Map, Number, Value};

/// Delta's default `dataSkippingNumIndexedCols`.
const INDEXED_COLUMNS: usize = 32;
/// Delta's `dataSkippingStringPrefixLength`.
const STRING_PREFIX: usize = 32;
/// Appended to a cut maximum string (`Character.MAX_CODE_POINT`).
const MAX_CHAR: char = '\u{10FFFF}';

/// The `stats` JSON string of a data file holding `batch` (partition columns excluded).
///
/// Why: delta-rs and polars prune files with these bounds; wrong bounds would hide rows.
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Int64Array, StringArray};
/// use arrow::datatypes::{DataType, Field, Schema};
/// use arrow::record_batch::RecordBatch;
/// use streamlab_engine::delta::stats::file_stats;
/// let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, true), Field::new("s", DataType::Utf8, true)]));
/// let batch = RecordBatch::try_new(schema, vec![
///     Arc::new(Int64Array::from(vec![Some(3), None, Some(-1)])),
///     Arc::new(StringArray::from(vec!["b", "a", "c"])),
/// ]).unwrap();
/// assert_eq!(file_stats(&batch),
///     r#"{"numRecords":3,"minValues":{"n":-1,"s":"a"},"maxValues":{"n":3,"s":"c"},"nullCount":{"n":1,"s":0}}"#);
/// ```
pub fn file_stats(batch: &RecordBatch) -> String {
    let mut budget = INDEXED_COLUMNS;
    let mut stats = ColumnStats::default();
    let schema = batch.schema();
    for (field, column) in schema.fields().iter().zip(batch.columns()) {
        if budget == 0 {
            break;
        }
        stats.add(field.name(), column, &mut budget);
    }
    let mut out = Map::new();
    out.insert("numRecords".into(), Value::from(batch.num_rows()));
    out.insert("minValues".into(), Value::Object(stats.min));
    out.insert("maxValues".into(), Value::Object(stats.max));
    out.insert("nullCount".into(), Value::Object(stats.nulls));
    Value::Object(out).to_string()
}

/// Min, max and null-count objects of one struct level.
#[derive(Default)]
struct ColumnStats {
    min: Map<String, Value>,
    max: Map<String, Value>,
    nulls: Map<String, Value>,
}

impl ColumnStats {
    /// Adds column `name`; `budget` counts the leaf columns still indexed.
    fn add(&mut self, name: &str, column: &ArrayRef, budget: &mut usize) {
        if let DataType::Struct(_) = column.data_type() {
            let Some(array) = column.as_any().downcast_ref::<StructArray>() else { return };
            let mut nested = ColumnStats::default();
            for (field, child) in array.fields().iter().zip(array.columns()) {
                if *budget == 0 {
                    break;
                }
                // A null struct makes its fields null too.
                let child = with_parent_nulls(child, array);
                nested.add(field.name(), &child, budget);
            }
            for (target, part) in [(&mut self.min, nested.min), (&mut self.max, nested.max), (&mut self.nulls, nested.nulls)] {
                if !part.is_empty() {
                    target.insert(name.to_string(), Value::Object(part));
                }
            }
            return;
        }
        *budget = budget.saturating_sub(1);
        self.nulls.insert(name.to_string(), Value::from(column.null_count()));
        if let Some((min, max)) = bounds(column) {
            self.min.insert(name.to_string(), min);
            self.max.insert(name.to_string(), max);
        }
    }
}

/// `child` with the nulls of its parent struct added.
fn with_parent_nulls(child: &ArrayRef, parent: &StructArray) -> ArrayRef {
    let Some(parent_nulls) = parent.nulls() else { return child.clone() };
    let nulls = arrow::buffer::NullBuffer::union(Some(parent_nulls), child.nulls());
    match child.to_data().into_builder().nulls(nulls).build() {
        Ok(data) => arrow::array::make_array(data),
        Err(_) => child.clone(),
    }
}

/// The column's (min, max) as Delta writes them, or `None` when Delta collects no bounds for
/// the type or the column has no non-null value.
fn bounds(column: &ArrayRef) -> Option<(Value, Value)> {
    if column.null_count() == column.len() {
        return None;
    }
    macro_rules! ints {
        ($t:ty) => {{
            let a = column.as_primitive_opt::<$t>()?;
            Some((Value::from(aggregate::min(a)?), Value::from(aggregate::max(a)?)))
        }};
    }
    match column.data_type() {
        DataType::Int8 => ints!(Int8Type),
        DataType::Int16 => ints!(Int16Type),
        DataType::Int32 => ints!(Int32Type),
        DataType::Int64 => ints!(Int64Type),
        DataType::Float32 => {
            let a = column.as_primitive_opt::<Float32Type>()?;
            Some((float(f64::from(aggregate::min(a)?))?, float(f64::from(aggregate::max(a)?))?))
        }
        DataType::Float64 => {
            let a = column.as_primitive_opt::<Float64Type>()?;
            Some((float(aggregate::min(a)?)?, float(aggregate::max(a)?)?))
        }
        DataType::Decimal128(_, scale) => {
            let a = column.as_primitive_opt::<Decimal128Type>()?;
            Some((decimal(aggregate::min(a)?, *scale)?, decimal(aggregate::max(a)?, *scale)?))
        }
        DataType::Date32 => {
            let a = column.as_primitive_opt::<Date32Type>()?;
            Some((date(aggregate::min(a)?)?, date(aggregate::max(a)?)?))
        }
        DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, zone) => {
            let a = column.as_primitive_opt::<TimestampMicrosecondType>()?;
            let utc = zone.is_some();
            let min = aggregate::min(a)?.div_euclid(1000);
            let max = aggregate::max(a)?;
            let max = max.div_euclid(1000) + i64::from(max.rem_euclid(1000) != 0);
            Some((timestamp(min, utc)?, timestamp(max, utc)?))
        }
        DataType::Utf8 => {
            let a = column.as_string_opt::<i32>()?;
            let min = aggregate::min_string(a)?;
            let max = aggregate::max_string(a)?;
            Some((Value::String(min.chars().take(STRING_PREFIX).collect()), Value::String(truncated_max(max))))
        }
        _ => None,
    }
}

/// A finite double as a JSON number (Delta writes no bounds around NaN or infinities).
fn float(v: f64) -> Option<Value> {
    Number::from_f64(v).map(Value::Number)
}

fn decimal(unscaled: i128, scale: i8) -> Option<Value> {
    let text = <Decimal128Type as arrow::datatypes::DecimalType>::format_decimal(unscaled, 38, scale);
    serde_json::from_str::<Number>(&text).ok().map(Value::Number)
}

fn date(days: i32) -> Option<Value> {
    let day = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::TimeDelta::try_days(i64::from(days))?)?;
    Some(Value::String(day.format("%Y-%m-%d").to_string()))
}

fn timestamp(millis: i64, utc: bool) -> Option<Value> {
    let t = chrono::DateTime::from_timestamp_millis(millis)?;
    let text = if utc { t.format("%Y-%m-%dT%H:%M:%S%.3fZ") } else { t.naive_utc().format("%Y-%m-%dT%H:%M:%S%.3f") };
    Some(Value::String(text.to_string()))
}

/// A maximum string cut to the prefix length, with the tie-breaker when it was cut.
fn truncated_max(max: &str) -> String {
    if max.chars().count() <= STRING_PREFIX {
        return max.to_string();
    }
    let mut cut: String = max.chars().take(STRING_PREFIX).collect();
    cut.push(MAX_CHAR);
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use arrow::array::{BooleanArray, Float64Array, Int32Array, StringArray, TimestampMicrosecondArray};
    use arrow::buffer::NullBuffer;
    use arrow::datatypes::{Field, Fields, Schema};

    fn parse(batch: &RecordBatch) -> Value {
        serde_json::from_str(&file_stats(batch)).unwrap()
    }

    #[test]
    fn nested_structs_booleans_and_long_strings() {
        let inner = Fields::from(vec![Field::new("k", DataType::Int32, true)]);
        let st = StructArray::new(
            inner.clone(),
            vec![Arc::new(Int32Array::from(vec![1, 2])) as ArrayRef],
            Some(NullBuffer::from(vec![true, false])),
        );
        let long = "x".repeat(40);
        let schema = Arc::new(Schema::new(vec![
            Field::new("st", DataType::Struct(inner), true),
            Field::new("b", DataType::Boolean, true),
            Field::new("s", DataType::Utf8, true),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(st),
                Arc::new(BooleanArray::from(vec![true, false])),
                Arc::new(StringArray::from(vec![long.as_str(), "a"])),
            ],
        )
        .unwrap();
        let v = parse(&batch);
        assert_eq!(v["minValues"]["st"]["k"], 1);
        assert_eq!(v["maxValues"]["st"]["k"], 1);
        assert_eq!(v["nullCount"]["st"]["k"], 1);
        assert!(v["minValues"].get("b").is_none());
        assert_eq!(v["nullCount"]["b"], 0);
        assert_eq!(v["minValues"]["s"], "a");
        assert_eq!(v["maxValues"]["s"].as_str().unwrap(), format!("{}\u{10FFFF}", "x".repeat(32)));
    }

    #[test]
    fn timestamps_round_outwards_and_nan_has_no_bounds() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("t", DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, Some("UTC".into())), true),
            Field::new("d", DataType::Float64, true),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(TimestampMicrosecondArray::from(vec![1_500, 2_000_001]).with_timezone("UTC")),
                Arc::new(Float64Array::from(vec![1.0, f64::NAN])),
            ],
        )
        .unwrap();
        let v = parse(&batch);
        assert_eq!(v["minValues"]["t"], "1970-01-01T00:00:00.001Z");
        assert_eq!(v["maxValues"]["t"], "1970-01-01T00:00:02.001Z");
        assert!(v["maxValues"].get("d").is_none());
    }

    #[test]
    fn only_the_first_32_leaves_are_indexed() {
        let fields: Vec<Field> = (0..40).map(|i| Field::new(format!("c{i}"), DataType::Int32, true)).collect();
        let columns: Vec<ArrayRef> = (0..40).map(|i| Arc::new(Int32Array::from(vec![i])) as ArrayRef).collect();
        let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap();
        let v = parse(&batch);
        assert_eq!(v["nullCount"].as_object().unwrap().len(), 32);
        assert!(v["minValues"].get("c32").is_none());
    }
}
