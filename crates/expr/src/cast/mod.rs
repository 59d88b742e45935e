//! Spark's non-ANSI `CAST`: which casts are allowed and what they compute.
//!
//! Highlights: an invalid string gives `null` (never an error); doubles and longs become
//! timestamps as seconds since the epoch; a timestamp becomes a long as whole seconds (floor) and
//! a double as fractional seconds; numbers become strings as Java prints them (`1.0E-4`);
//! integral narrowing wraps and float-to-integral saturates.

mod numeric;
mod text;

use std::sync::Arc;

use arrow::array::{new_null_array, Array, ArrayRef, AsArray, ListArray, StructArray};
use arrow::datatypes::{DataType, Field};
use streamlab_types::{Result, SparkError};

use crate::types::{is_numeric, is_string, is_timestamp};

pub(crate) use numeric::{to_f64, to_i64, MICROS_PER_DAY, MICROS_PER_SECOND};
pub(crate) use text::{strings, value_text};
pub use text::{string_to_boolean, string_to_double, string_to_long};

/// Whether Spark (non-ANSI) allows `CAST(from AS to)` (`Cast.canCast`).
///
/// Why: a disallowed cast is an `AnalysisException` at resolution, not a runtime `null`.
///
/// ```
/// use arrow::datatypes::DataType;
/// use streamlab_expr::cast::can_cast;
/// assert!(can_cast(&DataType::Utf8, &DataType::Int32));
/// assert!(can_cast(&DataType::Float64, &streamlab_expr::types::timestamp_type()));
/// assert!(!can_cast(&DataType::Boolean, &DataType::Date32));
/// ```
pub fn can_cast(from: &DataType, to: &DataType) -> bool {
    if crate::types::same_type(from, to) || *from == DataType::Null {
        return true;
    }
    let scalar = |t: &DataType| is_numeric(t) || *t == DataType::Boolean;
    match (from, to) {
        (_, t) if is_string(t) => true,
        (f, _) if is_string(f) => {
            scalar(to) || is_timestamp(to) || matches!(to, DataType::Date32 | DataType::Binary)
        }
        (f, t) if scalar(f) && scalar(t) => true,
        (f, t) if scalar(f) && is_timestamp(t) => true,
        (f, t) if is_timestamp(f) && (scalar(t) || is_timestamp(t) || *t == DataType::Date32) => true,
        (DataType::Date32, t) if is_timestamp(t) || scalar(t) => true,
        (DataType::List(a), DataType::List(b)) => can_cast(a.data_type(), b.data_type()),
        (DataType::Struct(a), DataType::Struct(b)) => {
            a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| can_cast(x.data_type(), y.data_type()))
        }
        (DataType::Map(a, _), DataType::Map(b, _)) => can_cast(a.data_type(), b.data_type()),
        _ => false,
    }
}

/// Whether the cast can produce `null` from a non-null value (`Cast.forceNullable`).
///
/// ```
/// use arrow::datatypes::DataType;
/// assert!(streamlab_expr::cast::force_nullable(&DataType::Utf8, &DataType::Int32));
/// assert!(streamlab_expr::cast::force_nullable(&DataType::Float64, &DataType::Int32));
/// assert!(!streamlab_expr::cast::force_nullable(&DataType::Int32, &DataType::Int64));
/// assert!(!streamlab_expr::cast::force_nullable(&DataType::Int32, &DataType::Decimal128(11, 1)));
/// ```
pub fn force_nullable(from: &DataType, to: &DataType) -> bool {
    use crate::types::{is_floating, is_integral};
    if *from == DataType::Null || crate::types::same_type(from, to) {
        return false;
    }
    match (from, to) {
        (f, DataType::Binary) if is_string(f) => false,
        (f, _) if is_string(f) => true,
        (_, t) if is_string(t) => false,
        (f, t) if is_floating(f) && is_timestamp(t) => true,
        (f, DataType::Date32) if is_timestamp(f) => false,
        (_, DataType::Date32) => true,
        (DataType::Date32, t) if is_timestamp(t) => false,
        (DataType::Date32, _) => true,
        (_, DataType::Decimal128(p, s)) => !null_safe_to_decimal(from, *p, *s),
        (f, t) if is_floating(f) && is_integral(t) => true,
        _ => false,
    }
}

/// `Cast.canNullSafeCastToDecimal`: every value of `from` fits `decimal(p, s)`.
fn null_safe_to_decimal(from: &DataType, p: u8, s: i8) -> bool {
    let wider = |fp: u8, fs: i8| i32::from(p) - i32::from(s) >= i32::from(fp) - i32::from(fs) && s >= fs;
    match from {
        DataType::Boolean => wider(1, 0),
        DataType::Decimal128(fp, fs) => i32::from(p) - i32::from(s) > i32::from(*fp) - i32::from(*fs),
        t => match crate::decimal::for_integral(t) {
            Some((fp, fs)) if crate::types::is_integral(t) => wider(fp, fs),
            _ => false,
        },
    }
}

/// Evaluates `CAST(arr AS to)` with Spark's non-ANSI semantics.
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Array, ArrayRef, AsArray, Float64Array};
/// use arrow::datatypes::{DataType, TimestampMicrosecondType};
/// use streamlab_expr::cast::cast_array;
/// let secs: ArrayRef = Arc::new(Float64Array::from(vec![1424696631.914042]));
/// let ts = cast_array(&secs, &streamlab_expr::types::timestamp_type()).unwrap();
/// assert_eq!(ts.as_primitive::<TimestampMicrosecondType>().value(0), 1424696631914042);
/// ```
pub fn cast_array(arr: &ArrayRef, to: &DataType) -> Result<ArrayRef> {
    let from = arr.data_type();
    if from == to {
        return Ok(arr.clone());
    }
    if *from == DataType::Null {
        return Ok(new_null_array(to, arr.len()));
    }
    if is_string(to) {
        return text::to_string(arr);
    }
    if is_string(from) {
        if let Some(out) = text::from_string(arr, to)? {
            return Ok(out);
        }
    }
    if let Some(out) = numeric::cast_numeric(arr, to)? {
        return Ok(out);
    }
    match (from, to) {
        (DataType::Binary, DataType::Binary) => Ok(arr.clone()),
        (DataType::List(_), DataType::List(f)) => {
            let l = arr.as_list::<i32>();
            let values = cast_array(l.values(), f.data_type())?;
            let field = Arc::new(Field::new(f.name(), f.data_type().clone(), true));
            Ok(Arc::new(ListArray::try_new(field, l.offsets().clone(), values, l.nulls().cloned())?))
        }
        (DataType::Struct(_), DataType::Struct(fields)) => {
            let s = arr.as_struct();
            let cols = s
                .columns()
                .iter()
                .zip(fields.iter())
                .map(|(c, f)| cast_array(c, f.data_type()))
                .collect::<Result<Vec<_>>>()?;
            let fields: Vec<Field> = fields.iter().map(|f| f.as_ref().clone().with_nullable(true)).collect();
            Ok(Arc::new(StructArray::try_new(fields.into(), cols, s.nulls().cloned())?))
        }
        _ if crate::types::same_type(from, to) => Ok(arr.clone()),
        _ => Err(SparkError::unsupported(format!(
            "cannot cast {} to {}",
            crate::types::sql_name(from),
            crate::types::sql_name(to)
        ))),
    }
}
