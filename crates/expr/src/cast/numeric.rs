//! Numbers, booleans, timestamps and dates into each other, with Java's conversion semantics
//! (wrapping integer narrowing, saturating float-to-integer, `NaN` → 0).

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Date32Array, Decimal128Array, Float32Array, Float64Array, Int16Array,
    Int32Array, Int64Array, Int8Array, TimestampMicrosecondArray,
};
use arrow::datatypes::{DataType, Decimal128Type, Float64Type, Int64Type};
use streamlab_types::widen::widen;
use streamlab_types::{Result, SparkError};

use crate::decimal;

pub(crate) const MICROS_PER_SECOND: i64 = 1_000_000;
pub(crate) const MICROS_PER_DAY: i64 = 86_400_000_000;

/// Any integral/boolean/timestamp/date column as `i64` values (no loss), for further conversion.
pub(crate) fn to_i64(arr: &ArrayRef) -> Result<Int64Array> {
    let out = match arr.data_type() {
        DataType::Boolean => arr.as_boolean().iter().map(|v| v.map(i64::from)).collect(),
        DataType::Timestamp(..) | DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 | DataType::Date32 => {
            widen(arr, &DataType::Int64)?.as_primitive::<Int64Type>().clone()
        }
        other => return Err(SparkError::runtime(format!("not an integral column: {}", other))),
    };
    Ok(out)
}

/// Any float column as `f64` values.
pub(crate) fn to_f64(arr: &ArrayRef) -> Result<Float64Array> {
    match arr.data_type() {
        DataType::Float32 | DataType::Float64 => {
            Ok(widen(arr, &DataType::Float64)?.as_primitive::<Float64Type>().clone())
        }
        DataType::Decimal128(_, s) => {
            let s = *s;
            Ok(arr.as_primitive::<Decimal128Type>().iter().map(|v| v.map(|x| decimal::to_f64(x, s))).collect())
        }
        _ => {
            let l = to_i64(arr)?;
            Ok(l.iter().map(|v| v.map(|x| x as f64)).collect())
        }
    }
}

/// `i64` values into an integral type, wrapping like Java's `(int) long`.
pub(crate) fn ints_from_i64(values: &Int64Array, to: &DataType) -> Result<ArrayRef> {
    Ok(match to {
        DataType::Int8 => Arc::new(values.iter().map(|v| v.map(|x| x as i8)).collect::<Int8Array>()),
        DataType::Int16 => Arc::new(values.iter().map(|v| v.map(|x| x as i16)).collect::<Int16Array>()),
        DataType::Int32 => Arc::new(values.iter().map(|v| v.map(|x| x as i32)).collect::<Int32Array>()),
        DataType::Int64 => Arc::new(values.clone()),
        other => return Err(SparkError::runtime(format!("not an integral type: {}", other))),
    })
}

/// Java's `(long) d` / `(int) d` then narrowing, as Spark's non-ANSI double-to-integral cast.
fn f64_to_integral(d: f64, to: &DataType) -> i64 {
    match to {
        DataType::Int64 => d as i64,
        _ => i64::from(d as i32),
    }
}

/// Casts between numeric types, booleans, timestamps and dates. `None` when the pair is not
/// handled here.
pub(crate) fn cast_numeric(arr: &ArrayRef, to: &DataType) -> Result<Option<ArrayRef>> {
    let from = arr.data_type().clone();
    let is_int = |t: &DataType| matches!(t, DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64);
    let is_float = |t: &DataType| matches!(t, DataType::Float32 | DataType::Float64);
    let out: ArrayRef = match (&from, to) {
        // to integral
        (f, t) if (is_int(f) || *f == DataType::Boolean) && is_int(t) => ints_from_i64(&to_i64(arr)?, t)?,
        (f, t) if is_float(f) && is_int(t) => {
            let d = to_f64(arr)?;
            let l: Int64Array = d.iter().map(|v| v.map(|x| f64_to_integral(x, t))).collect();
            ints_from_i64(&l, t)?
        }
        (DataType::Decimal128(_, s), t) if is_int(t) => {
            let s = *s;
            let div = decimal::pow10(s.max(0) as u32).unwrap_or(1);
            let l: Int64Array =
                arr.as_primitive::<Decimal128Type>().iter().map(|v| v.map(|x| (x / div) as i64)).collect();
            ints_from_i64(&l, t)?
        }
        (DataType::Timestamp(..), t) if is_int(t) => {
            let l = to_i64(arr)?;
            let secs: Int64Array = l.iter().map(|v| v.map(|x| x.div_euclid(MICROS_PER_SECOND))).collect();
            ints_from_i64(&secs, t)?
        }
        // to floating point
        (f, DataType::Float64) if is_int(f) || is_float(f) || *f == DataType::Boolean || matches!(f, DataType::Decimal128(..)) => {
            Arc::new(to_f64(arr)?)
        }
        (f, DataType::Float32) if is_int(f) || is_float(f) || *f == DataType::Boolean || matches!(f, DataType::Decimal128(..)) => {
            let d = to_f64(arr)?;
            Arc::new(d.iter().map(|v| v.map(|x| x as f32)).collect::<Float32Array>())
        }
        (DataType::Timestamp(..), DataType::Float64) => {
            let l = to_i64(arr)?;
            Arc::new(l.iter().map(|v| v.map(|x| x as f64 / MICROS_PER_SECOND as f64)).collect::<Float64Array>())
        }
        (DataType::Timestamp(..), DataType::Float32) => {
            let l = to_i64(arr)?;
            Arc::new(l.iter().map(|v| v.map(|x| (x as f64 / MICROS_PER_SECOND as f64) as f32)).collect::<Float32Array>())
        }
        // to boolean
        (f, DataType::Boolean) if is_int(f) || matches!(f, DataType::Timestamp(..)) => {
            let l = to_i64(arr)?;
            Arc::new(l.iter().map(|v| v.map(|x| x != 0)).collect::<BooleanArray>())
        }
        (f, DataType::Boolean) if is_float(f) => {
            let d = to_f64(arr)?;
            Arc::new(d.iter().map(|v| v.map(|x| x != 0.0)).collect::<BooleanArray>())
        }
        (DataType::Decimal128(..), DataType::Boolean) => {
            Arc::new(arr.as_primitive::<Decimal128Type>().iter().map(|v| v.map(|x| x != 0)).collect::<BooleanArray>())
        }
        // to decimal
        (f, DataType::Decimal128(p, s)) if is_int(f) || *f == DataType::Boolean => {
            let l = to_i64(arr)?;
            let a: Decimal128Array = l.iter().map(|v| decimal::change_precision(i128::from(v?), 0, *p, *s)).collect();
            Arc::new(a.with_precision_and_scale(*p, *s)?)
        }
        (f, DataType::Decimal128(p, s)) if is_float(f) => {
            let d = to_f64(arr)?;
            let a: Decimal128Array = d.iter().map(|v| decimal::from_f64(v?, *p, *s)).collect();
            Arc::new(a.with_precision_and_scale(*p, *s)?)
        }
        (DataType::Decimal128(_, fs), DataType::Decimal128(p, s)) => {
            let fs = *fs;
            let a: Decimal128Array = arr
                .as_primitive::<Decimal128Type>()
                .iter()
                .map(|v| decimal::change_precision(v?, fs, *p, *s))
                .collect();
            Arc::new(a.with_precision_and_scale(*p, *s)?)
        }
        (DataType::Timestamp(..), DataType::Decimal128(p, s)) => {
            let l = to_i64(arr)?;
            let a: Decimal128Array = l
                .iter()
                .map(|v| decimal::from_f64(v? as f64 / MICROS_PER_SECOND as f64, *p, *s))
                .collect();
            Arc::new(a.with_precision_and_scale(*p, *s)?)
        }
        // to timestamp
        (f, DataType::Timestamp(_, tz)) if is_int(f) => {
            let l = to_i64(arr)?;
            let a: TimestampMicrosecondArray = l.iter().map(|v| v.map(|x| x.saturating_mul(MICROS_PER_SECOND))).collect();
            Arc::new(a.with_timezone_opt(tz.clone()))
        }
        (DataType::Boolean, DataType::Timestamp(_, tz)) => {
            let l = to_i64(arr)?;
            let a: TimestampMicrosecondArray = l.iter().collect();
            Arc::new(a.with_timezone_opt(tz.clone()))
        }
        (f, DataType::Timestamp(_, tz)) if is_float(f) => {
            let d = to_f64(arr)?;
            let a: TimestampMicrosecondArray = d
                .iter()
                .map(|v| {
                    let x = v?;
                    if x.is_finite() {
                        Some((x * MICROS_PER_SECOND as f64) as i64)
                    } else {
                        None
                    }
                })
                .collect();
            Arc::new(a.with_timezone_opt(tz.clone()))
        }
        (DataType::Decimal128(_, s), DataType::Timestamp(_, tz)) => {
            let s = *s;
            let a: TimestampMicrosecondArray = arr
                .as_primitive::<Decimal128Type>()
                .iter()
                .map(|v| decimal::rescale(v?, s, 6).map(|x| x as i64))
                .collect();
            Arc::new(a.with_timezone_opt(tz.clone()))
        }
        (DataType::Date32, DataType::Timestamp(_, tz)) => {
            let l = to_i64(arr)?;
            let a: TimestampMicrosecondArray = l.iter().map(|v| v.map(|x| x.saturating_mul(MICROS_PER_DAY))).collect();
            Arc::new(a.with_timezone_opt(tz.clone()))
        }
        (DataType::Timestamp(..), DataType::Timestamp(_, tz)) => {
            let l = to_i64(arr)?;
            let a: TimestampMicrosecondArray = l.iter().collect();
            Arc::new(a.with_timezone_opt(tz.clone()))
        }
        (DataType::Timestamp(..), DataType::Date32) => {
            let l = to_i64(arr)?;
            Arc::new(l.iter().map(|v| v.map(|x| x.div_euclid(MICROS_PER_DAY) as i32)).collect::<Date32Array>())
        }
        // dates to numbers/booleans are null in non-ANSI Spark
        (DataType::Date32, t) if crate::types::is_numeric(t) || *t == DataType::Boolean => {
            arrow::array::new_null_array(t, arr.len())
        }
        _ => return Ok(None),
    };
    Ok(Some(out))
}
