//! `show()` text against `Dataset.showString` of PySpark 3.5 for the same data.
//!
//! Each golden case lists columns as (name, DDL type) and rows as JSON; this test builds the
//! same Arrow batch (types via `ddl::parse_data_type`) and compares every output variant.
mod common;
use arrow::array::*;
use arrow::buffer::{NullBuffer, OffsetBuffer};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use common::{load, Failures};
use serde_json::Value;
use std::sync::Arc;
use streamlab_types::ddl::parse_data_type;
use streamlab_types::show::show_string;

fn f64_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            other => other.parse().ok(),
        },
        _ => None,
    }
}

/// Unscaled value of a decimal text at `scale`.
fn unscaled(s: &str, scale: i8) -> i128 {
    let neg = s.starts_with('-');
    let s = s.trim_start_matches('-');
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut frac = frac.to_string();
    while frac.len() < scale as usize {
        frac.push('0');
    }
    let v: i128 = format!("{int}{frac}").parse().unwrap_or(0);
    if neg {
        -v
    } else {
        v
    }
}

/// Builds an Arrow array of type `dt` from JSON values (null = JSON null).
fn build(dt: &DataType, values: &[&Value]) -> ArrayRef {
    let nulls = NullBuffer::from(values.iter().map(|v| !v.is_null()).collect::<Vec<bool>>());
    match dt {
        DataType::Int8 => Arc::new(Int8Array::from(values.iter().map(|v| v.as_i64().map(|x| x as i8)).collect::<Vec<_>>())),
        DataType::Int16 => Arc::new(Int16Array::from(values.iter().map(|v| v.as_i64().map(|x| x as i16)).collect::<Vec<_>>())),
        DataType::Int32 => Arc::new(Int32Array::from(values.iter().map(|v| v.as_i64().map(|x| x as i32)).collect::<Vec<_>>())),
        DataType::Int64 => Arc::new(Int64Array::from(values.iter().map(|v| v.as_i64()).collect::<Vec<_>>())),
        DataType::Float32 => Arc::new(Float32Array::from(values.iter().map(|v| f64_of(v).map(|x| x as f32)).collect::<Vec<_>>())),
        DataType::Float64 => Arc::new(Float64Array::from(values.iter().map(|v| f64_of(v)).collect::<Vec<_>>())),
        DataType::Boolean => Arc::new(BooleanArray::from(values.iter().map(|v| v.as_bool()).collect::<Vec<_>>())),
        DataType::Utf8 => Arc::new(StringArray::from(values.iter().map(|v| v.as_str()).collect::<Vec<_>>())),
        DataType::Date32 => Arc::new(Date32Array::from(values.iter().map(|v| v.as_i64().map(|x| x as i32)).collect::<Vec<_>>())),
        DataType::Timestamp(TimeUnit::Microsecond, tz) => Arc::new(
            TimestampMicrosecondArray::from(values.iter().map(|v| v.as_i64()).collect::<Vec<_>>()).with_timezone_opt(tz.clone()),
        ),
        DataType::Binary => {
            let bytes: Vec<Option<Vec<u8>>> = values
                .iter()
                .map(|v| {
                    v.as_str().map(|h| (0..h.len() / 2).map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap_or(0)).collect())
                })
                .collect();
            Arc::new(BinaryArray::from(bytes.iter().map(|b| b.as_deref()).collect::<Vec<_>>()))
        }
        DataType::Decimal128(p, s) => Arc::new(
            Decimal128Array::from(values.iter().map(|v| v.as_str().map(|x| unscaled(x, *s))).collect::<Vec<_>>())
                .with_precision_and_scale(*p, *s)
                .expect("valid decimal"),
        ),
        DataType::List(item) => {
            let mut offsets = vec![0usize];
            let mut children: Vec<&Value> = Vec::new();
            for v in values {
                if let Some(a) = v.as_array() {
                    children.extend(a.iter());
                }
                offsets.push(children.len());
            }
            let child = build(item.data_type(), &children);
            Arc::new(ListArray::new(item.clone(), OffsetBuffer::from_lengths(offsets.windows(2).map(|w| w[1] - w[0])), child, Some(nulls)))
        }
        DataType::Struct(fields) => {
            let cols: Vec<ArrayRef> = fields
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let vs: Vec<&Value> = values.iter().map(|v| v.get(i).unwrap_or(&Value::Null)).collect();
                    build(f.data_type(), &vs)
                })
                .collect();
            Arc::new(StructArray::new(fields.clone(), cols, Some(nulls)))
        }
        DataType::Map(entries, sorted) => {
            let DataType::Struct(kv) = entries.data_type() else { panic!("map entries") };
            let mut offsets = vec![0usize];
            let (mut keys, mut vals): (Vec<&Value>, Vec<&Value>) = (Vec::new(), Vec::new());
            for v in values {
                for pair in v.as_array().into_iter().flatten() {
                    keys.push(&pair[0]);
                    vals.push(&pair[1]);
                }
                offsets.push(keys.len());
            }
            let entries_arr = StructArray::new(kv.clone(), vec![build(kv[0].data_type(), &keys), build(kv[1].data_type(), &vals)], None);
            Arc::new(MapArray::new(
                entries.clone(),
                OffsetBuffer::from_lengths(offsets.windows(2).map(|w| w[1] - w[0])),
                entries_arr,
                Some(nulls),
                *sorted,
            ))
        }
        other => panic!("golden builder: unsupported type {other}"),
    }
}

#[test]
fn show_matches_spark() {
    let cases = load("show.json");
    let mut f = Failures::default();
    let mut total = 0;
    for c in &cases {
        let name = c["name"].as_str().unwrap_or("");
        let cols = c["columns"].as_array().cloned().unwrap_or_default();
        let rows = c["rows"].as_array().cloned().unwrap_or_default();
        let mut fields = Vec::new();
        let mut arrays = Vec::new();
        for (i, col) in cols.iter().enumerate() {
            let dt = parse_data_type(col[1].as_str().unwrap_or("")).expect("golden type parses");
            let values: Vec<&Value> = rows.iter().map(|r| &r[i]).collect();
            arrays.push(build(&dt, &values));
            fields.push(Field::new(col[0].as_str().unwrap_or(""), dt, true));
        }
        let batch = RecordBatch::try_new_with_options(
            Arc::new(Schema::new(fields)),
            arrays,
            &RecordBatchOptions::new().with_row_count(Some(rows.len())),
        )
        .expect("batch");
        for out in c["outputs"].as_array().cloned().unwrap_or_default() {
            total += 1;
            let (n, t, v) = (out["num_rows"].as_u64().unwrap_or(20) as usize, out["truncate"].as_u64().unwrap_or(20) as usize, out["vertical"].as_bool().unwrap_or(false));
            let got = show_string(&batch, n, t, v);
            let want = out["expected"].as_str().unwrap_or("");
            if got != want {
                f.0.push(format!("{name} n={n} truncate={t} vertical={v}\n--- got:\n{got}--- want:\n{want}"));
            }
        }
    }
    f.finish(total);
}
