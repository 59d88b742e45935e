//! JSON schema inference, as Spark 3.5's `JsonInferSchema`.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Fields, Schema};
use streamlab_types::{Result, SparkError};

use super::lexer::{Lexer, SyntaxError, Token};
use crate::lines::split_lines;
use crate::options::{ParseMode, ReadOptions};

/// Spark types during inference (before canonicalization).
#[derive(Debug, Clone, PartialEq)]
enum T {
    Null,
    Bool,
    Long,
    Double,
    Dec(u8, i8),
    Str,
    Array(Box<T>),
    /// Fields sorted by name.
    Struct(Vec<(String, T)>),
}

fn decimal_of(text: &str) -> T {
    // BigDecimal precision/scale of a number's text.
    let t = text.trim_start_matches(['-', '+']);
    let (mant, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (t, 0),
    };
    let (int, frac) = match mant.find('.') {
        Some(i) => (&mant[..i], &mant[i + 1..]),
        None => (mant, ""),
    };
    let digits: String = format!("{int}{frac}").trim_start_matches('0').to_string();
    let precision = digits.len().max(1) as i64;
    let scale = frac.len() as i64 - exp;
    let p = precision.max(scale);
    if p <= 38 && scale >= 0 {
        T::Dec(p as u8, scale as i8)
    } else if p <= 38 && scale < 0 {
        // Negative scales widen to an integral decimal.
        let p = precision - scale;
        if p <= 38 {
            T::Dec(p as u8, 0)
        } else {
            T::Double
        }
    } else {
        T::Double
    }
}

fn infer_field(lx: &mut Lexer<'_>, o: &ReadOptions) -> Result<T, SyntaxError> {
    let Some(tok) = lx.token() else { return Ok(T::Null) };
    Ok(match tok {
        Token::Null => T::Null,
        Token::String => T::Str,
        Token::True | Token::False => {
            if o.primitives_as_string {
                T::Str
            } else {
                T::Bool
            }
        }
        Token::Int | Token::Float => {
            if o.primitives_as_string {
                T::Str
            } else if lx.special().is_some() {
                T::Double
            } else if tok == Token::Int {
                if crate::json::convert::parse_long(lx.number_text()).is_some() {
                    T::Long
                } else {
                    decimal_of(lx.number_text())
                }
            } else if o.prefers_decimal {
                decimal_of(lx.number_text())
            } else {
                T::Double
            }
        }
        Token::StartObject => {
            let mut fields: Vec<(String, T)> = Vec::new();
            loop {
                match lx.next_token()? {
                    None | Some(Token::EndObject) => break,
                    Some(Token::FieldName) => {
                        let name = lx.current_name().map(|c| c.into_owned()).unwrap_or_default();
                        lx.next_token()?;
                        let t = infer_field(lx, o)?;
                        fields.push((name, t));
                    }
                    Some(_) => {}
                }
            }
            fields.sort_by(|a, b| a.0.cmp(&b.0));
            T::Struct(fields)
        }
        Token::StartArray => {
            let mut elem = T::Null;
            loop {
                match lx.next_token()? {
                    None | Some(Token::EndArray) => break,
                    Some(_) => {
                        let t = infer_field(lx, o)?;
                        elem = compatible(elem, t);
                    }
                }
            }
            T::Array(Box::new(elem))
        }
        Token::FieldName | Token::EndObject | Token::EndArray => T::Null,
    })
}

fn tightest(a: &T, b: &T) -> Option<T> {
    match (a, b) {
        _ if a == b => Some(a.clone()),
        (T::Null, t) | (t, T::Null) => Some(t.clone()),
        (T::Long, T::Double) | (T::Double, T::Long) => Some(T::Double),
        (T::Long, T::Dec(p, s)) | (T::Dec(p, s), T::Long) if i64::from(*p) - i64::from(*s) >= 20 => Some(T::Dec(*p, *s)),
        _ => None,
    }
}

fn compatible(a: T, b: T) -> T {
    if let Some(t) = tightest(&a, &b) {
        return t;
    }
    match (a, b) {
        (T::Double, T::Dec(..)) | (T::Dec(..), T::Double) => T::Double,
        (T::Dec(p1, s1), T::Dec(p2, s2)) => {
            let scale = i64::from(s1.max(s2));
            let range = (i64::from(p1) - i64::from(s1)).max(i64::from(p2) - i64::from(s2));
            if range + scale > 38 {
                T::Double
            } else {
                T::Dec((range + scale) as u8, scale as i8)
            }
        }
        (T::Struct(f1), T::Struct(f2)) => {
            let mut m: BTreeMap<String, T> = BTreeMap::new();
            for (k, v) in f1.into_iter().chain(f2) {
                let merged = match m.remove(&k) {
                    Some(old) => compatible(old, v),
                    None => v,
                };
                m.insert(k, merged);
            }
            T::Struct(m.into_iter().collect())
        }
        (T::Array(e1), T::Array(e2)) => T::Array(Box::new(compatible(*e1, *e2))),
        (T::Long, d @ T::Dec(..)) => compatible(T::Dec(20, 0), d),
        (d @ T::Dec(..), T::Long) => compatible(d, T::Dec(20, 0)),
        _ => T::Str,
    }
}

fn with_corrupt(st: T, o: &ReadOptions) -> Result<T> {
    match o.mode {
        ParseMode::Permissive => {
            let T::Struct(mut fields) = st else { return Ok(st) };
            if !fields.iter().any(|(n, _)| n == &o.corrupt_column) {
                fields.push((o.corrupt_column.clone(), T::Str));
                fields.sort_by(|a, b| a.0.cmp(&b.0));
            }
            Ok(T::Struct(fields))
        }
        ParseMode::DropMalformed => Ok(st),
        ParseMode::FailFast => Err(inference_failfast()),
    }
}

fn inference_failfast() -> SparkError {
    SparkError::runtime(
        "Malformed records are detected in schema inference. Parse Mode: FAILFAST. ",
    )
    .with_class("MALFORMED_RECORD_IN_SCHEMA_INFERENCE")
}

fn root_merge(a: T, b: T, o: &ReadOptions) -> Result<T> {
    Ok(match (a, b) {
        (T::Array(e), t) => return root_merge(*e, t, o),
        (t, T::Array(e)) => return root_merge(t, *e, o),
        (s @ T::Struct(_), T::Null) | (T::Null, s @ T::Struct(_)) => s,
        (s @ T::Struct(_), other) | (other, s @ T::Struct(_)) if !matches!(other, T::Struct(_)) => with_corrupt(s, o)?,
        (a, b) => compatible(a, b),
    })
}

fn canonical(t: T, o: &ReadOptions) -> Option<DataType> {
    match t {
        T::Null => {
            if o.drop_field_if_all_null {
                None
            } else {
                Some(DataType::Utf8)
            }
        }
        T::Bool => Some(DataType::Boolean),
        T::Long => Some(DataType::Int64),
        T::Double => Some(DataType::Float64),
        T::Dec(p, s) => Some(DataType::Decimal128(p, s)),
        T::Str => Some(DataType::Utf8),
        T::Array(e) => canonical(*e, o).map(|dt| DataType::List(Arc::new(Field::new("element", dt, true)))),
        T::Struct(fields) => {
            let fs: Vec<Field> = fields
                .into_iter()
                .filter(|(n, _)| !n.is_empty())
                .filter_map(|(n, t)| canonical(t, o).map(|dt| Field::new(n, dt, true)))
                .collect();
            if fs.is_empty() {
                None
            } else {
                Some(DataType::Struct(Fields::from(fs)))
            }
        }
    }
}

/// Infers the schema of JSON files as `spark.read.json(path)` does: fields sorted by name,
/// integers `bigint` (too big: `decimal`), other numbers `double`, conflicting types `string`,
/// all-null fields `string`, and `_corrupt_record` when some record is not JSON (PERMISSIVE).
///
/// ```
/// use streamlab_io::{json::infer::infer_json, ReadOptions};
/// let s = infer_json(&[b"{\"b\":1,\"a\":\"x\"}\n{\"b\":1.5}\nnot json\n"], &ReadOptions::default()).unwrap();
/// let names: Vec<&str> = s.fields().iter().map(|f| f.name().as_str()).collect();
/// assert_eq!(names, vec!["_corrupt_record", "a", "b"]);
/// assert_eq!(s.field(2).data_type(), &arrow::datatypes::DataType::Float64);
/// ```
pub fn infer_json(files: &[&[u8]], o: &ReadOptions) -> Result<Schema> {
    let mut root: Option<T> = None;
    let mut lx = Lexer::new(&[], o.json_dialect());
    for data in files {
        let records: Vec<&[u8]> =
            if o.multi_line { vec![*data] } else { split_lines(data, o.line_sep_bytes()).collect() };
        for rec in records {
            lx.reset(rec);
            let t = match lx.next_token() {
                Ok(_) => infer_field(&mut lx, o),
                Err(e) => Err(e),
            };
            let t = match t {
                Ok(t) => t,
                Err(_) => match o.mode {
                    ParseMode::Permissive => T::Struct(vec![(o.corrupt_column.clone(), T::Str)]),
                    ParseMode::DropMalformed => continue,
                    ParseMode::FailFast => return Err(inference_failfast()),
                },
            };
            root = Some(match root.take() {
                None => t,
                Some(r) => root_merge(r, t, o)?,
            });
        }
    }
    let root = match root {
        Some(T::Array(e)) => root_merge(T::Null, *e, o)?,
        Some(t) => t,
        None => T::Null,
    };
    match canonical(root, o) {
        Some(DataType::Struct(fs)) => Ok(Schema::new(fs)),
        _ => Ok(Schema::empty()),
    }
}
