//! Strings to values and values to strings, the way Spark's non-ANSI `Cast` does it.

use arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Decimal128Array, Float64Array, Int64Array, StringArray, StringBuilder,
};
use arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType,
};
use streamlab_types::java::{double_to_string, float_to_string};
use streamlab_types::time::{format_date, format_timestamp};
use streamlab_types::{Result, SparkError};

use crate::decimal;

/// Java's `String.trim()`: drops leading and trailing chars `<= ' '`.
pub(crate) fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// `UTF8String.toLong` (non-ANSI): optional sign, digits, an optional `.digits` tail that is
/// ignored, surrounding whitespace/control chars allowed. `None` on anything else or overflow.
///
/// ```
/// use streamlab_expr::cast::string_to_long;
/// assert_eq!(string_to_long(" 12 "), Some(12));
/// assert_eq!(string_to_long("1.9"), Some(1));
/// assert_eq!(string_to_long("-"), None);
/// assert_eq!(string_to_long("9223372036854775808"), None);
/// ```
pub fn string_to_long(s: &str) -> Option<i64> {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    let bytes = t.as_bytes();
    let (neg, start) = match bytes.first()? {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    let mut v: i64 = 0;
    let mut i = start;
    let mut any = false;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        let d = i64::from(bytes[i] - b'0');
        v = v.checked_mul(10)?;
        v = if neg { v.checked_sub(d)? } else { v.checked_add(d)? };
        any = true;
        i += 1;
    }
    if i < bytes.len() {
        if bytes[i] != b'.' {
            return None;
        }
        i += 1;
        while i < bytes.len() {
            if !bytes[i].is_ascii_digit() {
                return None;
            }
            i += 1;
        }
    }
    if !any && start == bytes.len() {
        return None;
    }
    if !any && i == start {
        return None;
    }
    Some(v)
}

/// `String.toDouble` with Spark's fallbacks: Java's `Double.parseDouble` grammar (trimmed,
/// optional `d`/`f` suffix, `NaN`, `Infinity`) plus `inf`/`-inf`/`nan` in any case.
///
/// ```
/// use streamlab_expr::cast::string_to_double;
/// assert_eq!(string_to_double(" 1.5d "), Some(1.5));
/// assert_eq!(string_to_double("1e3"), Some(1000.0));
/// assert!(string_to_double("-Infinity").unwrap().is_infinite());
/// assert!(string_to_double("nan").unwrap().is_nan());
/// assert_eq!(string_to_double("abc"), None);
/// ```
pub fn string_to_double(s: &str) -> Option<f64> {
    let t = java_trim(s);
    if let Some(v) = java_parse_double(t) {
        return Some(v);
    }
    match t.to_ascii_lowercase().as_str() {
        "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    }
}

fn java_parse_double(t: &str) -> Option<f64> {
    let (sign, body) = match t.as_bytes().first()? {
        b'-' => (-1.0, &t[1..]),
        b'+' => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    if body == "NaN" {
        return Some(f64::NAN);
    }
    if body == "Infinity" {
        return Some(sign * f64::INFINITY);
    }
    let body = body.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(body);
    // digits [. digits] [e [+-] digits], at least one digit in the mantissa
    let b = body.as_bytes();
    let mut i = 0;
    let mut mant = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        mant += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            mant += 1;
        }
    }
    if mant == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == s {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let v: f64 = body.parse().ok()?;
    Some(sign * v)
}

/// Spark's true/false strings (`t true y yes 1` / `f false n no 0`, any case, trimmed).
///
/// ```
/// use streamlab_expr::cast::string_to_boolean;
/// assert_eq!(string_to_boolean(" Yes"), Some(true));
/// assert_eq!(string_to_boolean("0"), Some(false));
/// assert_eq!(string_to_boolean("maybe"), None);
/// ```
pub fn string_to_boolean(s: &str) -> Option<bool> {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c.is_control()).to_lowercase();
    match t.as_str() {
        "t" | "true" | "y" | "yes" | "1" => Some(true),
        "f" | "false" | "n" | "no" | "0" => Some(false),
        _ => None,
    }
}

pub(crate) fn strings(arr: &ArrayRef) -> Result<&StringArray> {
    arr.as_any()
        .downcast_ref::<StringArray>()
        .ok_or_else(|| SparkError::runtime(format!("expected a string column, got {}", arr.data_type())))
}

/// Casts a string column to `to` (numbers, boolean, date, timestamp, decimal, binary).
pub(crate) fn from_string(arr: &ArrayRef, to: &DataType) -> Result<Option<ArrayRef>> {
    let s = strings(arr)?;
    let out: ArrayRef = match to {
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
            let longs: Int64Array = s
                .iter()
                .map(|v| {
                    let l = string_to_long(v?)?;
                    // narrower targets: out of range is null, not wrapped
                    let ok = match to {
                        DataType::Int8 => i8::try_from(l).is_ok(),
                        DataType::Int16 => i16::try_from(l).is_ok(),
                        DataType::Int32 => i32::try_from(l).is_ok(),
                        _ => true,
                    };
                    ok.then_some(l)
                })
                .collect();
            super::numeric::ints_from_i64(&longs, to)?
        }
        DataType::Float64 => std::sync::Arc::new(s.iter().map(|v| v.and_then(string_to_double)).collect::<Float64Array>()),
        DataType::Float32 => std::sync::Arc::new(
            s.iter().map(|v| v.and_then(string_to_double).map(|d| d as f32)).collect::<arrow::array::Float32Array>(),
        ),
        DataType::Boolean => std::sync::Arc::new(s.iter().map(|v| v.and_then(string_to_boolean)).collect::<BooleanArray>()),
        DataType::Decimal128(p, sc) => {
            let a: Decimal128Array = s
                .iter()
                .map(|v| {
                    let (u, scale) = decimal::parse(java_trim(v?))?;
                    decimal::change_precision(u, scale, *p, *sc)
                })
                .collect();
            std::sync::Arc::new(a.with_precision_and_scale(*p, *sc)?)
        }
        DataType::Date32 => std::sync::Arc::new(
            s.iter().map(|v| v.and_then(streamlab_types::time::parse_date)).collect::<arrow::array::Date32Array>(),
        ),
        DataType::Timestamp(_, tz) => {
            let a: arrow::array::TimestampMicrosecondArray =
                s.iter().map(|v| v.and_then(streamlab_types::time::parse_timestamp)).collect();
            std::sync::Arc::new(a.with_timezone_opt(tz.clone()))
        }
        DataType::Binary => std::sync::Arc::new(s.iter().map(|v| v.map(|x| x.as_bytes())).collect::<arrow::array::BinaryArray>()),
        _ => return Ok(None),
    };
    Ok(Some(out))
}

/// Casts any column to `string` (Spark's `castToString`): Java number text, `true`/`false`,
/// `yyyy-MM-dd[ HH:mm:ss[.ffffff]]`, `[1, 2]` arrays, `{1, a}` structs, `{k -> v}` maps.
pub(crate) fn to_string(arr: &ArrayRef) -> Result<ArrayRef> {
    if *arr.data_type() == DataType::Null {
        return Ok(arrow::array::new_null_array(&DataType::Utf8, arr.len()));
    }
    let mut b = StringBuilder::with_capacity(arr.len(), arr.len() * 8);
    for i in 0..arr.len() {
        if arr.is_null(i) {
            b.append_null();
        } else {
            b.append_value(value_text(arr, i)?);
        }
    }
    Ok(std::sync::Arc::new(b.finish()))
}

/// The text of row `i` (not null) of `arr` as `CAST(x AS STRING)` gives it.
pub(crate) fn value_text(arr: &ArrayRef, i: usize) -> Result<String> {
    Ok(match arr.data_type() {
        DataType::Utf8 => arr.as_string::<i32>().value(i).to_string(),
        DataType::LargeUtf8 => arr.as_string::<i64>().value(i).to_string(),
        DataType::Boolean => arr.as_boolean().value(i).to_string(),
        DataType::Int8 => arr.as_primitive::<Int8Type>().value(i).to_string(),
        DataType::Int16 => arr.as_primitive::<Int16Type>().value(i).to_string(),
        DataType::Int32 => arr.as_primitive::<Int32Type>().value(i).to_string(),
        DataType::Int64 => arr.as_primitive::<Int64Type>().value(i).to_string(),
        DataType::Float32 => float_to_string(arr.as_primitive::<Float32Type>().value(i)),
        DataType::Float64 => double_to_string(arr.as_primitive::<Float64Type>().value(i)),
        DataType::Decimal128(_, s) => decimal::to_string(arr.as_primitive::<Decimal128Type>().value(i), *s),
        DataType::Date32 => format_date(arr.as_primitive::<Date32Type>().value(i)),
        DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, _) => {
            format_timestamp(arr.as_primitive::<TimestampMicrosecondType>().value(i))
        }
        DataType::Binary => String::from_utf8_lossy(arr.as_binary::<i32>().value(i)).into_owned(),
        DataType::Null => "null".to_string(),
        DataType::List(_) => {
            let l = arr.as_list::<i32>();
            let inner = l.value(i);
            let parts = (0..inner.len())
                .map(|j| if inner.is_null(j) { Ok("null".to_string()) } else { value_text(&inner, j) })
                .collect::<Result<Vec<_>>>()?;
            format!("[{}]", parts.join(", "))
        }
        DataType::Struct(_) => {
            let s = arr.as_struct();
            let parts = s
                .columns()
                .iter()
                .map(|c| if c.is_null(i) { Ok("null".to_string()) } else { value_text(c, i) })
                .collect::<Result<Vec<_>>>()?;
            format!("{{{}}}", parts.join(", "))
        }
        DataType::Map(..) => {
            let m = arr.as_map();
            let entries = m.value(i);
            let (k, v) = (entries.column(0), entries.column(1));
            let parts = (0..entries.len())
                .map(|j| {
                    let key = value_text(k, j)?;
                    let val = if v.is_null(j) { "null".to_string() } else { value_text(v, j)? };
                    Ok(format!("{} -> {}", key, val))
                })
                .collect::<Result<Vec<_>>>()?;
            format!("{{{}}}", parts.join(", "))
        }
        other => return Err(SparkError::unsupported(format!("cannot print values of type {}", other))),
    })
}
