//! Lossless conversions between Arrow encodings of the same Spark values: narrower integers to
//! wider ones, floats to doubles, timestamp units, dictionary and view encodings to plain
//! arrays, decimals to a larger scale.
//!
//! Why not `arrow::compute::cast`: it implements every cast between every Arrow type, and
//! linking it costs the browser page about 1.2 MB of wasm code. StreamLab needs Spark's `CAST`
//! semantics for user casts (the expression crate implements those) and only these widenings
//! where a file, a join key or a timestamp arrives in a different encoding.

use std::sync::Arc;

use arrow::array::{
    new_null_array, Array, ArrayRef, ArrowPrimitiveType, AsArray, BinaryArray, Decimal128Array,
    PrimitiveArray, StringArray, UInt64Array,
};
use arrow::compute::take;
use arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type,
    Int64Type, Int8Type, TimeUnit, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt8Type,
};

use crate::{Result, SparkError};

/// Whether [`widen`] converts `from` to `to`.
///
/// ```
/// use arrow::datatypes::DataType;
/// use streamlab_types::widen::can_widen;
/// assert!(can_widen(&DataType::Int32, &DataType::Int64));
/// assert!(!can_widen(&DataType::Int64, &DataType::Int32));
/// ```
pub fn can_widen(from: &DataType, to: &DataType) -> bool {
    use DataType::*;
    from == to
        || matches!(
            (from, to),
            (Null, _)
                | (Int8, Int16 | Int32 | Int64 | Float64)
                | (Int16, Int32 | Int64 | Float64)
                | (Int32, Int64 | Float64)
                | (UInt8 | UInt16, Int32 | Int64)
                | (UInt32 | Date32, Int64)
                | (Float32, Float64)
                | (Int32 | Int64, Decimal128(_, _))
                | (Decimal128(_, _), Decimal128(_, _))
                | (Date32 | Timestamp(_, _), Timestamp(_, _))
                | (Timestamp(_, _), Int64)
                | (Utf8 | LargeUtf8 | Utf8View, Utf8)
                | (Binary | LargeBinary | BinaryView, Binary)
        )
        || matches!(from, Dictionary(_, values) if can_widen(values, to))
}

/// `array` as type `to`, value for value; an error when [`can_widen`] is false. A decimal that
/// does not fit `to`'s precision becomes null, as Spark's non-ANSI cast does.
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{ArrayRef, AsArray, Int32Array};
/// use arrow::datatypes::{DataType, Int64Type};
/// use streamlab_types::widen::widen;
/// let ints: ArrayRef = Arc::new(Int32Array::from(vec![Some(7), None]));
/// let longs = widen(&ints, &DataType::Int64).unwrap();
/// assert_eq!(longs.as_primitive::<Int64Type>().iter().collect::<Vec<_>>(), vec![Some(7), None]);
/// ```
pub fn widen(array: &ArrayRef, to: &DataType) -> Result<ArrayRef> {
    use DataType::*;
    let from = array.data_type();
    if from == to {
        return Ok(array.clone());
    }
    let widened: ArrayRef = match (from, to) {
        (Null, _) => new_null_array(to, array.len()),
        (Dictionary(_, _), _) => return widen(&plain(array)?, to),
        (Int8, _) => integers::<Int8Type>(array, to)?,
        (Int16, _) => integers::<Int16Type>(array, to)?,
        (Int32, _) => integers::<Int32Type>(array, to)?,
        (Int64, Decimal128(..)) => integers::<Int64Type>(array, to)?,
        (UInt8, _) => integers::<UInt8Type>(array, to)?,
        (UInt16, _) => integers::<UInt16Type>(array, to)?,
        (UInt32, _) => integers::<UInt32Type>(array, to)?,
        (Date32, Int64) => integers::<Date32Type>(array, to)?,
        (Date32, Timestamp(unit, tz)) => {
            let per_day = 86_400 * per_second(*unit);
            let days = array.as_primitive::<Date32Type>();
            timestamps(days.unary(|d| i64::from(d).wrapping_mul(per_day)), *unit, tz.clone())
        }
        (Float32, Float64) => Arc::new(
            array
                .as_primitive::<Float32Type>()
                .unary::<_, Float64Type>(f64::from),
        ),
        (Decimal128(_, from_scale), Decimal128(precision, scale)) => {
            let values = array.as_primitive::<Decimal128Type>();
            Arc::new(rescale(values, *from_scale, *precision, *scale)?)
        }
        (Timestamp(unit, _), Int64) => {
            Arc::new(timestamp_values(array, *unit).reinterpret_cast::<Int64Type>())
        }
        (Timestamp(from_unit, _), Timestamp(unit, tz)) => {
            let values = timestamp_values(array, *from_unit);
            let (num, den) = (per_second(*unit), per_second(*from_unit));
            let scaled = if num >= den {
                values.unary(|v| v.wrapping_mul(num / den))
            } else {
                values.unary(|v| v.div_euclid(den / num))
            };
            timestamps(scaled, *unit, tz.clone())
        }
        (LargeUtf8, Utf8) => Arc::new(array.as_string::<i64>().iter().collect::<StringArray>()),
        (Utf8View, Utf8) => Arc::new(array.as_string_view().iter().collect::<StringArray>()),
        (LargeBinary, Binary) => Arc::new(array.as_binary::<i64>().iter().collect::<BinaryArray>()),
        (BinaryView, Binary) => Arc::new(array.as_binary_view().iter().collect::<BinaryArray>()),
        _ => return Err(cannot_widen(from, to)),
    };
    Ok(widened)
}

/// A dictionary-encoded array as its values, in row order.
fn plain(array: &ArrayRef) -> Result<ArrayRef> {
    let dictionary = array.as_any_dictionary();
    let keys: Vec<u64> = dictionary
        .normalized_keys()
        .into_iter()
        .map(|k| k as u64)
        .collect();
    let indices = UInt64Array::new(keys.into(), dictionary.keys().nulls().cloned());
    Ok(take(dictionary.values().as_ref(), &indices, None)?)
}

/// An integer (or date) array as a wider integer, a double or a decimal.
fn integers<T>(array: &ArrayRef, to: &DataType) -> Result<ArrayRef>
where
    T: ArrowPrimitiveType,
    T::Native: Into<i64>,
{
    let values = array.as_primitive::<T>();
    let as_i64 = |v: T::Native| -> i64 { v.into() };
    Ok(match to {
        DataType::Int16 => Arc::new(values.unary::<_, Int16Type>(|v| as_i64(v) as i16)),
        DataType::Int32 => Arc::new(values.unary::<_, Int32Type>(|v| as_i64(v) as i32)),
        DataType::Int64 => Arc::new(values.unary::<_, Int64Type>(as_i64)),
        DataType::Float64 => Arc::new(values.unary::<_, Float64Type>(|v| as_i64(v) as f64)),
        DataType::Decimal128(precision, scale) => {
            let unscaled: Decimal128Array = values.unary(|v| i128::from(as_i64(v)));
            Arc::new(rescale(&unscaled, 0, *precision, *scale)?)
        }
        other => return Err(cannot_widen(array.data_type(), other)),
    })
}

/// Decimal values with scale `from_scale` as `decimal(precision, scale)`: exact when the scale
/// grows, rounded half up when it shrinks; a value too wide for `precision` becomes null.
fn rescale(
    values: &Decimal128Array,
    from_scale: i8,
    precision: u8,
    scale: i8,
) -> Result<Decimal128Array> {
    let shift = i32::from(scale) - i32::from(from_scale);
    let factor = 10i128
        .checked_pow(shift.unsigned_abs())
        .ok_or_else(|| cannot_widen(values.data_type(), &DataType::Decimal128(precision, scale)))?;
    let limit = 10i128
        .checked_pow(u32::from(precision))
        .unwrap_or(i128::MAX);
    let convert = |v: i128| -> Option<i128> {
        let scaled = if shift >= 0 {
            v.checked_mul(factor)?
        } else {
            let (quotient, remainder) = (v / factor, v % factor);
            // In u128: twice a remainder of 10^38 - 1 does not fit an i128.
            quotient + (remainder.unsigned_abs() * 2 >= factor.unsigned_abs()) as i128 * remainder.signum()
        };
        (scaled.unsigned_abs() < limit.unsigned_abs()).then_some(scaled)
    };
    let out: Decimal128Array = values.iter().map(|v| v.and_then(convert)).collect();
    Ok(out.with_precision_and_scale(precision, scale)?)
}

/// Ticks of `unit` in one second.
fn per_second(unit: TimeUnit) -> i64 {
    match unit {
        TimeUnit::Second => 1,
        TimeUnit::Millisecond => 1_000,
        TimeUnit::Microsecond => 1_000_000,
        TimeUnit::Nanosecond => 1_000_000_000,
    }
}

/// A timestamp array's raw `i64` ticks, whatever its unit.
fn timestamp_values(array: &ArrayRef, unit: TimeUnit) -> PrimitiveArray<Int64Type> {
    match unit {
        TimeUnit::Second => array
            .as_primitive::<TimestampSecondType>()
            .reinterpret_cast(),
        TimeUnit::Millisecond => array
            .as_primitive::<TimestampMillisecondType>()
            .reinterpret_cast(),
        TimeUnit::Microsecond => array
            .as_primitive::<TimestampMicrosecondType>()
            .reinterpret_cast(),
        TimeUnit::Nanosecond => array
            .as_primitive::<TimestampNanosecondType>()
            .reinterpret_cast(),
    }
}

/// Raw ticks as a timestamp array of `unit` in time zone `tz`.
fn timestamps(ticks: PrimitiveArray<Int64Type>, unit: TimeUnit, tz: Option<Arc<str>>) -> ArrayRef {
    match unit {
        TimeUnit::Second => Arc::new(
            ticks
                .reinterpret_cast::<TimestampSecondType>()
                .with_timezone_opt(tz),
        ),
        TimeUnit::Millisecond => Arc::new(
            ticks
                .reinterpret_cast::<TimestampMillisecondType>()
                .with_timezone_opt(tz),
        ),
        TimeUnit::Microsecond => Arc::new(
            ticks
                .reinterpret_cast::<TimestampMicrosecondType>()
                .with_timezone_opt(tz),
        ),
        TimeUnit::Nanosecond => Arc::new(
            ticks
                .reinterpret_cast::<TimestampNanosecondType>()
                .with_timezone_opt(tz),
        ),
    }
}

fn cannot_widen(from: &DataType, to: &DataType) -> SparkError {
    SparkError::unsupported(format!("cannot convert {from} values to {to}"))
}
