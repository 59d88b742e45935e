//! The file sink's writers: one file's bytes per call, byte for byte as Spark 3.5 writes them.

use arrow::array::{
    Array, ArrayRef, AsArray, BinaryArray, BooleanArray, Date32Array, Decimal128Array, Float32Array, Float64Array,
    Int16Array, Int32Array, Int64Array, Int8Array, LargeStringArray, ListArray, MapArray, StringArray, StructArray,
    TimestampMicrosecondArray,
};
use arrow::datatypes::{DataType, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use streamlab_types::java::{double_to_string, float_to_string};
use streamlab_types::time::civil::civil_from_micros;
use streamlab_types::time::format_date;
use streamlab_types::{Result, SparkError};

use crate::csv::unsupported_column;
use crate::format::FileFormat;
use crate::json::lexer::jackson_escape_char;

/// Writes `batches` (all of `schema`) as one file of `format`.
///
/// Why: each micro-batch of the file sink becomes `part-00000-<uuid>.c000<ext>`; these bytes are
/// what Spark would put there: snappy Parquet, JSON lines with null fields left out, CSV without
/// header, or text lines.
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Float64Array, Int64Array, RecordBatch};
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_io::{write_file, FileFormat};
/// let s = Arc::new(Schema::new(vec![Field::new("a", DataType::Int64, true), Field::new("x", DataType::Float64, true)]));
/// let b = RecordBatch::try_new(s.clone(), vec![
///     Arc::new(Int64Array::from(vec![Some(1), None])),
///     Arc::new(Float64Array::from(vec![Some(1.220703E-4), Some(2.0)])),
/// ]).unwrap();
/// let json = write_file(FileFormat::Json, &[b.clone()], &s).unwrap();
/// assert_eq!(String::from_utf8(json).unwrap(), "{\"a\":1,\"x\":1.220703E-4}\n{\"x\":2.0}\n");
/// let csv = write_file(FileFormat::Csv, &[b], &s).unwrap();
/// assert_eq!(String::from_utf8(csv).unwrap(), "1,1.220703E-4\n,2.0\n");
/// ```
pub fn write_file(format: FileFormat, batches: &[RecordBatch], schema: &SchemaRef) -> Result<Vec<u8>> {
    match format {
        FileFormat::Parquet => crate::parquet::write_parquet(batches, schema),
        FileFormat::Json => write_json(batches, schema),
        FileFormat::Csv => write_csv(batches, schema),
        FileFormat::Text => write_text(batches, schema),
    }
}

/// `yyyy-MM-dd'T'HH:mm:ss.SSS` of a timestamp (UTC), the part before the zone.
fn ts_text(micros: i64) -> String {
    let ms = micros.div_euclid(1000);
    let c = civil_from_micros(ms.saturating_mul(1000));
    let year = if c.year > 9999 {
        format!("+{}", c.year)
    } else if c.year <= 0 {
        format!("{:04}", 1 - c.year)
    } else {
        format!("{:04}", c.year)
    };
    format!("{year}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}", c.month, c.day, c.hour, c.minute, c.second, c.micro / 1000)
}

/// A timestamp as Spark's JSON/CSV writers print it: `2015-02-23T13:03:51.914Z`.
///
/// ```
/// assert_eq!(streamlab_io::write::format_timestamp_iso(1_424_696_631_914_042), "2015-02-23T13:03:51.914Z");
/// ```
pub fn format_timestamp_iso(micros: i64) -> String {
    let mut s = ts_text(micros);
    s.push('Z');
    s
}

fn ntz_text(micros: i64) -> String {
    ts_text(micros)
}

fn write_json(batches: &[RecordBatch], schema: &SchemaRef) -> Result<Vec<u8>> {
    let mut out = String::new();
    for b in batches {
        for row in 0..b.num_rows() {
            out.push('{');
            let mut first = true;
            for (i, f) in schema.fields().iter().enumerate() {
                let Some(col) = b.columns().get(i) else { continue };
                if col.is_null(row) {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                json_string(f.name(), &mut out);
                out.push(':');
                json_value(col, row, &mut out)?;
            }
            out.push_str("}\n");
        }
    }
    Ok(out.into_bytes())
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        if (c as u32) > 0xFFFF {
            out.push(c);
        } else {
            jackson_escape_char(c, out);
        }
    }
    out.push('"');
}

fn json_float(text: String, finite: bool, out: &mut String) {
    if finite {
        out.push_str(&text);
    } else {
        out.push('"');
        out.push_str(&text);
        out.push('"');
    }
}

fn downcast<T: 'static>(a: &ArrayRef) -> Result<&T> {
    a.as_any().downcast_ref::<T>().ok_or_else(|| SparkError::runtime(format!("unexpected column type {}", a.data_type())))
}

fn json_value(col: &ArrayRef, row: usize, out: &mut String) -> Result<()> {
    if col.is_null(row) {
        out.push_str("null");
        return Ok(());
    }
    match col.data_type() {
        DataType::Struct(fields) => {
            let s = downcast::<StructArray>(col)?;
            out.push('{');
            let mut first = true;
            for (i, f) in fields.iter().enumerate() {
                let c = s.column(i);
                if c.is_null(row) {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                json_string(f.name(), out);
                out.push(':');
                json_value(c, row, out)?;
            }
            out.push('}');
        }
        DataType::List(_) => {
            let l = downcast::<ListArray>(col)?;
            let v = l.value(row);
            out.push('[');
            for i in 0..v.len() {
                if i > 0 {
                    out.push(',');
                }
                json_value(&v, i, out)?;
            }
            out.push(']');
        }
        DataType::Map(_, _) => {
            let m = downcast::<MapArray>(col)?;
            let entries = m.value(row);
            let keys = entries.column(0);
            let vals = entries.column(1);
            out.push('{');
            for i in 0..entries.len() {
                if i > 0 {
                    out.push(',');
                }
                json_string(&cell_text(keys, i)?.unwrap_or_default(), out);
                out.push(':');
                json_value(vals, i, out)?;
            }
            out.push('}');
        }
        DataType::Utf8 | DataType::LargeUtf8 => json_string(&cell_text(col, row)?.unwrap_or_default(), out),
        DataType::Date32 | DataType::Timestamp(_, _) | DataType::Binary => {
            json_string(&cell_text(col, row)?.unwrap_or_default(), out)
        }
        DataType::Float64 => {
            let v = downcast::<Float64Array>(col)?.value(row);
            json_float(double_to_string(v), v.is_finite(), out);
        }
        DataType::Float32 => {
            let v = downcast::<Float32Array>(col)?.value(row);
            json_float(float_to_string(v), v.is_finite(), out);
        }
        DataType::Null => out.push_str("null"),
        _ => out.push_str(&cell_text(col, row)?.unwrap_or_default()),
    }
    Ok(())
}

/// The text of one atomic cell as Spark's JSON and CSV writers print it; `None` for null.
pub fn cell_text(col: &ArrayRef, row: usize) -> Result<Option<String>> {
    if col.is_null(row) {
        return Ok(None);
    }
    Ok(Some(match col.data_type() {
        DataType::Utf8 => downcast::<StringArray>(col)?.value(row).to_string(),
        DataType::LargeUtf8 => downcast::<LargeStringArray>(col)?.value(row).to_string(),
        DataType::Boolean => downcast::<BooleanArray>(col)?.value(row).to_string(),
        DataType::Int8 => downcast::<Int8Array>(col)?.value(row).to_string(),
        DataType::Int16 => downcast::<Int16Array>(col)?.value(row).to_string(),
        DataType::Int32 => downcast::<Int32Array>(col)?.value(row).to_string(),
        DataType::Int64 => downcast::<Int64Array>(col)?.value(row).to_string(),
        DataType::Float32 => float_to_string(downcast::<Float32Array>(col)?.value(row)),
        DataType::Float64 => double_to_string(downcast::<Float64Array>(col)?.value(row)),
        DataType::Decimal128(_, s) => crate::decimal::format_decimal(downcast::<Decimal128Array>(col)?.value(row), *s),
        DataType::Date32 => format_date(downcast::<Date32Array>(col)?.value(row)),
        DataType::Timestamp(TimeUnit::Microsecond, tz) => {
            let v = downcast::<TimestampMicrosecondArray>(col)?.value(row);
            if tz.is_some() {
                format_timestamp_iso(v)
            } else {
                ntz_text(v)
            }
        }
        DataType::Timestamp(_, _) => {
            let c = streamlab_types::widen::widen(col, &DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())))?;
            return cell_text(&c, row);
        }
        DataType::Binary => crate::base64::encode(downcast::<BinaryArray>(col)?.value(row)),
        DataType::Null => return Ok(None),
        other => return Err(SparkError::unsupported(format!("cannot write {other}"))),
    }))
}

fn write_csv(batches: &[RecordBatch], schema: &SchemaRef) -> Result<Vec<u8>> {
    for f in schema.fields() {
        if matches!(f.data_type(), DataType::Struct(_) | DataType::List(_) | DataType::Map(_, _) | DataType::LargeList(_)) {
            return Err(unsupported_column("CSV", f.name(), f.data_type()));
        }
    }
    let mut out = String::new();
    for b in batches {
        for row in 0..b.num_rows() {
            for (i, col) in b.columns().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let text = match col.data_type() {
                    DataType::Binary => col.as_binary_opt::<i32>().map(|a| String::from_utf8_lossy(a.value(row)).into_owned()),
                    _ => cell_text(col, row)?,
                };
                if let Some(t) = text {
                    csv_field(&t, &mut out);
                }
            }
            out.push('\n');
        }
    }
    Ok(out.into_bytes())
}

/// One CSV value as univocity writes it for Spark: trimmed, quoted when it holds `,`, `"`, a
/// line end or is empty, with `\"` for quotes.
fn csv_field(v: &str, out: &mut String) {
    let t = v.trim_matches(|c: char| c <= ' ');
    if t.is_empty() {
        out.push_str("\"\"");
        return;
    }
    if t.contains([',', '"', '\n', '\r']) {
        out.push('"');
        for c in t.chars() {
            if c == '"' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(t);
    }
}

fn write_text(batches: &[RecordBatch], schema: &SchemaRef) -> Result<Vec<u8>> {
    for f in schema.fields() {
        if f.data_type() != &DataType::Utf8 {
            return Err(unsupported_column("Text", f.name(), f.data_type()));
        }
    }
    if schema.fields().len() != 1 {
        return Err(SparkError::analysis(format!(
            "Text data source supports only a single column, and you have {} columns.",
            schema.fields().len()
        )));
    }
    let mut out = Vec::new();
    for b in batches {
        let Some(col) = b.columns().first() else { continue };
        let s = downcast::<StringArray>(col)?;
        for row in 0..s.len() {
            if s.is_valid(row) {
                out.extend_from_slice(s.value(row).as_bytes());
            }
            out.push(b'\n');
        }
    }
    Ok(out)
}
