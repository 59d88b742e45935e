//! CSV reading as Spark 3.5 does it with the univocity parser.
//!
//! Why a hand-written tokenizer: Spark's CSV dialect is univocity's with Spark's settings (`\`
//! escapes quotes, a stray quote makes the rest of the field literal, unquoted empty fields are
//! null, quoted empty ones are `emptyValue`), which general CSV crates do not reproduce.

use std::borrow::Cow;

use arrow::datatypes::{DataType, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use streamlab_types::{Result, SparkError};

use crate::cell::{spark_type_name, Val};
use crate::lines::split_lines;
use crate::malformed::RowAssembler;
use crate::options::ReadOptions;

/// One CSV field: `None` is an unquoted empty field.
pub type Token<'a> = Option<Cow<'a, str>>;

/// Splits CSV text into fields with univocity's rules. In `multi_line` mode a line end outside
/// quotes ends the record; otherwise `s` is one line. Returns the fields and the bytes consumed
/// (including the record's line end).
///
/// ```
/// use streamlab_io::{csv::tokenize, ReadOptions};
/// let o = ReadOptions::default();
/// let (t, _) = tokenize(r#"a,,"x,y","q\"r",""#, &o, false);
/// let t: Vec<Option<String>> = t.into_iter().map(|x| x.map(|c| c.into_owned())).collect();
/// assert_eq!(t, vec![Some("a".into()), None, Some("x,y".into()), Some("q\"r".into()), Some("".into())]);
/// ```
pub fn tokenize<'a>(s: &'a str, o: &ReadOptions, multi_line: bool) -> (Vec<Token<'a>>, usize) {
    let sep = o.sep.as_str();
    let b = s.as_bytes();
    let mut fields: Vec<Token<'a>> = Vec::new();
    let mut i = 0usize;
    let at_sep = |i: usize| !sep.is_empty() && s.get(i..).map(|r| r.starts_with(sep)).unwrap_or(false);
    let at_eol = |i: usize| multi_line && matches!(b.get(i), Some(b'\n' | b'\r'));
    let eol_len = |i: usize| match (b.get(i), b.get(i + 1)) {
        (Some(b'\r'), Some(b'\n')) => 2,
        (Some(b'\n' | b'\r'), _) => 1,
        _ => 0,
    };
    loop {
        let field_start = i;
        if o.ignore_leading_white_space {
            while let Some(&c) = b.get(i) {
                if c <= b' ' && !at_sep(i) && !at_eol(i) {
                    i += 1;
                } else {
                    break;
                }
            }
        }
        let quote = o.quote;
        let starts_quoted = match (quote, s.get(i..).and_then(|r| r.chars().next())) {
            (Some(q), Some(c)) => c == q,
            _ => false,
        };
        if starts_quoted {
            let q = quote.unwrap_or('"');
            let ql = q.len_utf8();
            let esc = o.escape;
            let mut buf = String::new();
            let mut j = i + ql;
            let mut closed = false;
            let mut stray = false;
            while j < b.len() {
                let Some(c) = s.get(j..).and_then(|r| r.chars().next()) else { break };
                let cl = c.len_utf8();
                let next = s.get(j + cl..).and_then(|r| r.chars().next());
                if Some(c) == esc && next == Some(q) {
                    buf.push(q);
                    j += cl + ql;
                    continue;
                }
                if c == q {
                    j += ql;
                    // After the closing quote: whitespace, then a separator or the end.
                    let mut k = j;
                    while let Some(&w) = b.get(k) {
                        if (w == b' ' || w == b'\t') && !at_sep(k) {
                            k += 1;
                        } else {
                            break;
                        }
                    }
                    if k >= b.len() || at_sep(k) || at_eol(k) || (!multi_line && matches!(b.get(k), Some(b'\n' | b'\r'))) {
                        j = k;
                        closed = true;
                    } else {
                        stray = true;
                    }
                    break;
                }
                buf.push(c);
                j += cl;
            }
            if stray {
                // Unescaped quote: univocity STOP_AT_DELIMITER keeps the raw text up to the separator.
                let mut k = j;
                while k < b.len() && !at_sep(k) && !at_eol(k) {
                    k += 1;
                }
                let raw = s.get(i..k).unwrap_or("");
                let raw = if o.ignore_trailing_white_space { raw.trim_end_matches(|c: char| c <= ' ') } else { raw };
                fields.push(Some(Cow::Borrowed(raw)));
                i = k;
            } else {
                let _ = closed;
                fields.push(Some(Cow::Owned(buf)));
                i = j.min(b.len());
            }
        } else {
            let mut k = i;
            while k < b.len() && !at_sep(k) && !at_eol(k) {
                k += 1;
            }
            let mut v = s.get(i..k).unwrap_or("");
            if o.ignore_trailing_white_space {
                v = v.trim_end_matches(|c: char| c <= ' ');
            }
            fields.push(if v.is_empty() { None } else { Some(Cow::Borrowed(v)) });
            i = k;
        }
        let _ = field_start;
        if at_sep(i) {
            i += sep.len();
            if i >= b.len() || at_eol(i) {
                fields.push(None);
                break;
            }
            continue;
        }
        break;
    }
    if multi_line {
        i += eol_len(i);
    }
    (fields, i)
}

/// A CSV cell converter for one Spark type.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Str,
    Bool,
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    Dec(u8, i8),
    Date,
    Ts,
    TsNtz,
    Bin,
    Null,
}

fn kind_of(name: &str, dt: &DataType) -> Result<Kind> {
    Ok(match dt {
        DataType::Utf8 => Kind::Str,
        DataType::Boolean => Kind::Bool,
        DataType::Int8 => Kind::I8,
        DataType::Int16 => Kind::I16,
        DataType::Int32 => Kind::I32,
        DataType::Int64 => Kind::I64,
        DataType::Float32 => Kind::F32,
        DataType::Float64 => Kind::F64,
        DataType::Decimal128(p, s) => Kind::Dec(*p, *s),
        DataType::Date32 => Kind::Date,
        DataType::Timestamp(TimeUnit::Microsecond, Some(_)) => Kind::Ts,
        DataType::Timestamp(TimeUnit::Microsecond, None) => Kind::TsNtz,
        DataType::Binary => Kind::Bin,
        DataType::Null => Kind::Null,
        other => return Err(unsupported_column("CSV", name, other)),
    })
}

/// Spark's error for a column type a format cannot hold.
pub fn unsupported_column(format: &str, name: &str, dt: &DataType) -> SparkError {
    SparkError::analysis(format!(
        "The {format} datasource doesn't support the column `{name}` of the type \"{}\".",
        sql_type_name(dt)
    ))
    .with_class("UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE")
}

/// Spark's SQL type text (`STRUCT<x: INT, y: STRING>`), as error messages print types.
pub fn sql_type_name(dt: &DataType) -> String {
    match dt {
        DataType::Struct(fs) => format!(
            "STRUCT<{}>",
            fs.iter().map(|f| format!("{}: {}", f.name(), sql_type_name(f.data_type()))).collect::<Vec<_>>().join(", ")
        ),
        DataType::List(f) => format!("ARRAY<{}>", sql_type_name(f.data_type())),
        DataType::Map(f, _) => match f.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => {
                format!("MAP<{}, {}>", sql_type_name(kv[0].data_type()), sql_type_name(kv[1].data_type()))
            }
            _ => "MAP".into(),
        },
        DataType::Int64 => "BIGINT".into(),
        DataType::Int32 => "INT".into(),
        DataType::Int16 => "SMALLINT".into(),
        DataType::Int8 => "TINYINT".into(),
        other => spark_type_name(other).to_uppercase(),
    }
}

/// Java's `Integer.parseInt`-family: optional sign, digits only, in range.
pub fn java_parse_long(s: &str) -> Option<i64> {
    let t = s.strip_prefix('+').filter(|r| !r.starts_with('-')).unwrap_or(s);
    if t.is_empty() || t == "-" {
        return None;
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    if !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse::<i64>().ok()
}

/// Java's `Double.parseDouble`: surrounding whitespace, `NaN`, `Infinity`, an optional
/// `f`/`d` suffix.
pub fn java_parse_double(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c: char| c <= ' ');
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..)?),
        Some(b'+') => (false, t.get(1..)?),
        _ => (false, t),
    };
    let v = match body {
        "NaN" => f64::NAN,
        "Infinity" => f64::INFINITY,
        _ => {
            let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
            let ok = !body.is_empty()
                && body.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
                && body.bytes().any(|c| c.is_ascii_digit());
            if !ok {
                return None;
            }
            body.parse::<f64>().ok()?
        }
    };
    Some(if neg { -v } else { v })
}

fn convert<'a>(kind: Kind, datum: &Cow<'a, str>, o: &ReadOptions) -> Option<Val<'a>> {
    let d = datum.as_ref();
    Some(match kind {
        Kind::Str => Val::Str(datum.clone()),
        Kind::Bool => {
            if d.eq_ignore_ascii_case("true") {
                Val::Bool(true)
            } else if d.eq_ignore_ascii_case("false") {
                Val::Bool(false)
            } else {
                return None;
            }
        }
        Kind::I8 => Val::Int(i64::from(i8::try_from(java_parse_long(d)?).ok()?)),
        Kind::I16 => Val::Int(i64::from(i16::try_from(java_parse_long(d)?).ok()?)),
        Kind::I32 => Val::Int(i64::from(i32::try_from(java_parse_long(d)?).ok()?)),
        Kind::I64 => Val::Int(java_parse_long(d)?),
        Kind::F32 | Kind::F64 => {
            let v = if d == o.nan_value {
                f64::NAN
            } else if d == o.negative_inf {
                f64::NEG_INFINITY
            } else if d == o.positive_inf {
                f64::INFINITY
            } else if matches!(kind, Kind::F32) {
                let t = d.trim_matches(|c: char| c <= ' ');
                match java_parse_double(t) {
                    Some(x) if x.is_finite() => f64::from(t.trim_end_matches(['f', 'F', 'd', 'D']).parse::<f32>().ok()?),
                    Some(x) => x,
                    None => return None,
                }
            } else {
                java_parse_double(d)?
            };
            Val::Float(v)
        }
        Kind::Dec(p, s) => Val::Dec(crate::decimal::parse_decimal(&d.replace(',', ""), p, s)?),
        Kind::Date => Val::Int(match &o.date_format {
            None => i64::from(streamlab_types::time::parse_date(d)?),
            Some(p) => streamlab_types::time::parse_pattern(d, p).ok()??.div_euclid(86_400_000_000),
        }),
        Kind::Ts => Val::Int(match &o.timestamp_format {
            None => streamlab_types::time::parse_timestamp(d)?,
            Some(p) => streamlab_types::time::parse_pattern(d, p).ok()??,
        }),
        Kind::TsNtz => Val::Int(match &o.timestamp_ntz_format {
            None => crate::json::convert::parse_timestamp_ntz(d)?,
            Some(p) => streamlab_types::time::parse_pattern(d, p).ok()??,
        }),
        Kind::Bin => Val::Bytes(d.as_bytes().to_vec()),
        Kind::Null => Val::Null,
    })
}

/// CSV's pre-filter: blank lines and comment lines are not records.
fn keep_line(line: &str, o: &ReadOptions) -> bool {
    if line.trim_matches(|c: char| c <= ' ').is_empty() {
        return false;
    }
    match o.comment {
        Some(c) => !line.starts_with(c),
        None => !line.starts_with('\0'),
    }
}

/// The records of a CSV file as text slices (line mode) or tokenized records (multiLine).
pub fn records<'a>(text: &'a str, o: &ReadOptions) -> Vec<(&'a str, Vec<Token<'a>>)> {
    let mut out = Vec::new();
    if o.multi_line {
        let mut pos = 0usize;
        while pos < text.len() {
            let rest = text.get(pos..).unwrap_or("");
            let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
            let line = rest.get(..line_end).unwrap_or("");
            if !keep_line(line, o) {
                let skip = match (rest.as_bytes().get(line_end), rest.as_bytes().get(line_end + 1)) {
                    (Some(b'\r'), Some(b'\n')) => 2,
                    (Some(_), _) => 1,
                    _ => 0,
                };
                pos += line_end + skip;
                continue;
            }
            let (toks, used) = tokenize(rest, o, true);
            let raw = rest.get(..used).unwrap_or(rest).trim_end_matches(['\n', '\r']);
            out.push((raw, toks));
            pos += used.max(1);
        }
    } else {
        for line in split_lines(text.as_bytes(), o.line_sep_bytes()) {
            let Ok(line) = std::str::from_utf8(line) else { continue };
            if !keep_line(line, o) {
                continue;
            }
            let (toks, _) = tokenize(line, o, false);
            out.push((line, toks));
        }
    }
    if o.header && !out.is_empty() {
        out.remove(0);
    }
    out
}

/// Reads one CSV file into a batch of `schema` (fields matched by position; `header` skips the
/// first record).
///
/// Why: the CSV file source and `spark.read.csv`. A record with too few or too many fields, or a
/// value that does not parse as its column's type, is malformed: PERMISSIVE keeps the values that
/// parsed (and the line in the corrupt-record column), DROPMALFORMED drops it, FAILFAST fails.
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Array, Int32Array};
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_io::{read_csv, ReadOptions};
/// let s = Arc::new(Schema::new(vec![Field::new("a", DataType::Int32, true), Field::new("b", DataType::Utf8, true)]));
/// let b = read_csv(b"1,x\nzz,y\n", &s, &ReadOptions::default()).unwrap();
/// let a = b.column(0).as_any().downcast_ref::<Int32Array>().unwrap();
/// assert_eq!((a.value(0), a.is_null(1)), (1, true));
/// ```
pub fn read_csv(data: &[u8], schema: &SchemaRef, options: &ReadOptions) -> Result<RecordBatch> {
    let text = String::from_utf8_lossy(data);
    let mut out = RowAssembler::new(schema, &options.corrupt_column, options.mode, 16)?;
    let fields = out.data_fields();
    let kinds = fields.iter().map(|f| kind_of(f.name(), f.data_type())).collect::<Result<Vec<_>>>()?;
    let mut row: Vec<Val<'_>> = Vec::with_capacity(kinds.len());
    for (raw, toks) in records(&text, options) {
        row.clear();
        let mut bad = toks.len() != kinds.len();
        for (i, kind) in kinds.iter().enumerate() {
            let tok: Option<Cow<'_, str>> = match toks.get(i) {
                None => {
                    row.push(Val::Null);
                    continue;
                }
                Some(None) => Some(Cow::Borrowed(options.null_value.as_str())),
                Some(Some(t)) if t.is_empty() => Some(Cow::Borrowed(options.empty_value.as_str())),
                Some(Some(t)) => Some(t.clone()),
            };
            match tok {
                Some(t) if t.as_ref() != options.null_value => match convert(*kind, &t, options) {
                    Some(v) => row.push(v),
                    None => {
                        bad = true;
                        row.push(Val::Null);
                    }
                },
                _ => row.push(Val::Null),
            }
        }
        if bad {
            out.malformed(&[row.as_slice()], raw.as_bytes())?;
        } else {
            out.push(&row);
        }
    }
    out.finish()
}
