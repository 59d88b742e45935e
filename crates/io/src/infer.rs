//! Schema inference for batch reads without a schema (`spark.read.json/csv/parquet(path)`).

use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use streamlab_types::{Result, SparkError};

use crate::csv::{java_parse_double, java_parse_long, records};
use crate::format::FileFormat;
use crate::options::ReadOptions;

/// Infers the schema of `files` (their bytes) with Spark's rules for `format`.
///
/// Why: batch reads and `spark.sql.streaming.schemaInference` need a schema when the user gives
/// none. JSON: fields sorted by name, integers `bigint`, other numbers `double`, mixed `string`.
/// CSV: `_c0`, `_c1`… or the header's names, all `string` unless `inferSchema`. Parquet: the
/// schema of the first file. Text: `value string`.
///
/// ```
/// use arrow::datatypes::DataType;
/// use streamlab_io::{infer_schema, FileFormat, ReadOptions};
/// let (o, _) = ReadOptions::parse(&[("header".into(), "true".into()), ("inferSchema".into(), "true".into())]).unwrap();
/// let s = infer_schema(FileFormat::Csv, &[b"x,y\n1,2.5\n"], &o).unwrap();
/// assert_eq!(s.field(0).name(), "x");
/// assert_eq!(s.field(0).data_type(), &DataType::Int32);
/// assert_eq!(s.field(1).data_type(), &DataType::Float64);
/// ```
pub fn infer_schema(format: FileFormat, files: &[&[u8]], options: &ReadOptions) -> Result<Schema> {
    if files.is_empty() && format != FileFormat::Text {
        return Err(SparkError::analysis(format!(
            "Unable to infer schema for {}. It must be specified manually.",
            format.name().to_uppercase()
        ))
        .with_class("UNABLE_TO_INFER_SCHEMA"));
    }
    match format {
        FileFormat::Json => crate::json::infer::infer_json(files, options),
        FileFormat::Csv => infer_csv(files, options),
        FileFormat::Text => Ok(Schema::new(vec![Field::new("value", DataType::Utf8, true)])),
        FileFormat::Parquet => match files.first() {
            Some(f) => crate::parquet::infer_parquet(f),
            None => Ok(Schema::empty()),
        },
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum C {
    Null,
    Int,
    Long,
    Dec(u8, i8),
    Double,
    Date,
    Ts,
    Bool,
    Str,
}

fn strict_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
        && streamlab_types::time::parse_date(s).is_some()
}

fn try_decimal(s: &str, o: &ReadOptions) -> Option<C> {
    let t = s.replace(',', "");
    let b = t.trim_start_matches(['-', '+']);
    if b.is_empty() || !b.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'-' | b'+')) {
        return None;
    }
    let (mant, exp) = match b.find(['e', 'E']) {
        Some(i) => (b.get(..i)?, b.get(i + 1..)?.parse::<i64>().ok()?),
        None => (b, 0),
    };
    let (int, frac) = match mant.find('.') {
        Some(i) => (mant.get(..i)?, mant.get(i + 1..)?),
        None => (mant, ""),
    };
    if !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit()) || (int.is_empty() && frac.is_empty()) {
        return None;
    }
    let digits = format!("{int}{frac}");
    let precision = digits.trim_start_matches('0').len().max(1) as i64;
    let scale = frac.len() as i64 - exp;
    if scale < 0 {
        return None;
    }
    if scale == 0 || o.prefers_decimal {
        let p = precision.max(scale);
        if p <= 38 {
            return Some(C::Dec(p as u8, scale as i8));
        }
    }
    None
}

fn infer_field(so_far: C, field: &str, o: &ReadOptions) -> C {
    if field.is_empty() || field == o.null_value {
        return so_far;
    }
    let from = |start: u8| -> C {
        // The chain tryParseInteger → Long → Decimal → Double → Date → Timestamp → Boolean → String.
        if start == 0 && java_parse_long(field).map(|v| i32::try_from(v).is_ok()).unwrap_or(false) {
            return C::Int;
        }
        if start <= 1 && java_parse_long(field).is_some() {
            return C::Long;
        }
        if start <= 2 {
            if let Some(d) = try_decimal(field, o) {
                return d;
            }
        }
        if start <= 3
            && (java_parse_double(field).is_some() || field == o.nan_value || field == o.positive_inf || field == o.negative_inf)
        {
            return C::Double;
        }
        if start <= 4 && o.prefer_date && strict_date(field) {
            return C::Date;
        }
        if start <= 5 && streamlab_types::time::parse_timestamp(field).is_some() {
            return C::Ts;
        }
        if start <= 6 && (field.eq_ignore_ascii_case("true") || field.eq_ignore_ascii_case("false")) {
            return C::Bool;
        }
        C::Str
    };
    let t = match so_far {
        C::Null | C::Int => from(0),
        C::Long => from(1),
        C::Dec(..) => from(2),
        C::Double => from(3),
        C::Date => from(4),
        C::Ts => from(5),
        C::Bool => from(6),
        C::Str => C::Str,
    };
    compatible(so_far, t).unwrap_or(C::Str)
}

fn compatible(a: C, b: C) -> Option<C> {
    use C::*;
    Some(match (a, b) {
        _ if a == b => a,
        (Null, t) | (t, Null) => t,
        (Int, Long) | (Long, Int) => Long,
        (Int | Long, Double) | (Double, Int | Long) => Double,
        (Double, Dec(..)) | (Dec(..), Double) => Double,
        (Int, Dec(p, s)) | (Dec(p, s), Int) => return compatible(Dec(10, 0), Dec(p, s)),
        (Long, Dec(p, s)) | (Dec(p, s), Long) => return compatible(Dec(20, 0), Dec(p, s)),
        (Dec(p1, s1), Dec(p2, s2)) => {
            let scale = s1.max(s2);
            let range = (i16::from(p1) - i16::from(s1)).max(i16::from(p2) - i16::from(s2));
            if range + i16::from(scale) > 38 {
                Double
            } else {
                Dec((range + i16::from(scale)) as u8, scale)
            }
        }
        (Date, Ts) | (Ts, Date) => Ts,
        (Str, _) | (_, Str) => Str,
        _ => return None,
    })
}

fn arrow_type(c: C) -> DataType {
    match c {
        C::Null | C::Str => DataType::Utf8,
        C::Int => DataType::Int32,
        C::Long => DataType::Int64,
        C::Dec(p, s) => DataType::Decimal128(p, s),
        C::Double => DataType::Float64,
        C::Date => DataType::Date32,
        C::Ts => DataType::Timestamp(TimeUnit::Microsecond, Some(Arc::from("UTC"))),
        C::Bool => DataType::Boolean,
    }
}

fn infer_csv(files: &[&[u8]], o: &ReadOptions) -> Result<Schema> {
    let mut names: Option<Vec<String>> = None;
    let mut types: Vec<C> = Vec::new();
    let mut no_header = o.clone();
    no_header.header = false;
    for (fi, data) in files.iter().enumerate() {
        let text = String::from_utf8_lossy(data);
        let recs = records(&text, &no_header);
        let mut iter = recs.into_iter();
        if o.header {
            if let Some((_, first)) = iter.next() {
                if fi == 0 || names.is_none() {
                    names = Some(
                        first
                            .iter()
                            .enumerate()
                            .map(|(i, t)| match t {
                                Some(s) if !s.is_empty() => s.to_string(),
                                _ => format!("_c{i}"),
                            })
                            .collect(),
                    );
                }
            }
        }
        for (_, toks) in iter {
            if names.is_none() {
                names = Some((0..toks.len()).map(|i| format!("_c{i}")).collect());
            }
            if !o.infer_schema {
                continue;
            }
            let n = names.as_ref().map(|v| v.len()).unwrap_or(0);
            if types.len() < n {
                types.resize(n, C::Null);
            }
            for (i, t) in types.iter_mut().enumerate() {
                let field = match toks.get(i) {
                    Some(Some(s)) => s.as_ref(),
                    _ => "",
                };
                *t = infer_field(*t, field, o);
            }
        }
    }
    let names = names.unwrap_or_default();
    let fields: Vec<Field> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let dt = if o.infer_schema { arrow_type(types.get(i).copied().unwrap_or(C::Null)) } else { DataType::Utf8 };
            Field::new(n, dt, true)
        })
        .collect();
    Ok(Schema::new(fields))
}
