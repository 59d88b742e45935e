//! One value of an Arrow array as a [`Literal`], and Spark's ordering of such values.
//!
//! Accumulators keep their state as literals so that any state can be printed, compared and
//! serialized the same way ([`super::state`]).

use std::cmp::Ordering;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::*;
use streamlab_types::{Result, SparkError};

use crate::literal::Literal;

/// The value at `row` of `arr` (`Literal::Null` when null).
///
/// Why: `min`/`max`/`first`/`last` keep whatever type their input has.
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{ArrayRef, Int32Array};
/// use streamlab_expr::aggregate::literal_at;
/// use streamlab_expr::Literal;
/// let a: ArrayRef = Arc::new(Int32Array::from(vec![Some(4), None]));
/// assert_eq!(literal_at(&a, 0).unwrap(), Literal::Int(4));
/// assert_eq!(literal_at(&a, 1).unwrap(), Literal::Null);
/// ```
pub fn literal_at(arr: &ArrayRef, row: usize) -> Result<Literal> {
    if row >= arr.len() {
        return Err(SparkError::runtime(format!("internal error: row {row} out of {} rows", arr.len())));
    }
    if arr.is_null(row) {
        return Ok(Literal::Null);
    }
    Ok(match arr.data_type() {
        DataType::Null => Literal::Null,
        DataType::Boolean => Literal::Boolean(arr.as_boolean().value(row)),
        DataType::Int8 => Literal::Byte(arr.as_primitive::<Int8Type>().value(row)),
        DataType::Int16 => Literal::Short(arr.as_primitive::<Int16Type>().value(row)),
        DataType::Int32 => Literal::Int(arr.as_primitive::<Int32Type>().value(row)),
        DataType::Int64 => Literal::Long(arr.as_primitive::<Int64Type>().value(row)),
        DataType::Float32 => Literal::Float(arr.as_primitive::<Float32Type>().value(row)),
        DataType::Float64 => Literal::Double(arr.as_primitive::<Float64Type>().value(row)),
        DataType::Decimal128(p, s) => Literal::Decimal(arr.as_primitive::<Decimal128Type>().value(row), *p, *s),
        DataType::Utf8 => Literal::String(arr.as_string::<i32>().value(row).to_string()),
        DataType::LargeUtf8 => Literal::String(arr.as_string::<i64>().value(row).to_string()),
        DataType::Binary => Literal::Binary(arr.as_binary::<i32>().value(row).to_vec()),
        DataType::Date32 => Literal::Date(arr.as_primitive::<Date32Type>().value(row)),
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            Literal::Timestamp(arr.as_primitive::<TimestampMicrosecondType>().value(row))
        }
        other => {
            return Err(SparkError::unsupported(format!(
                "StreamLab cannot aggregate values of type {}",
                crate::types::simple_string(other)
            )))
        }
    })
}

/// Spark's total order on doubles (`SQLOrderingUtil.compareDoubles`): `NaN` equals `NaN` and is
/// larger than everything else, `-0.0 == 0.0`.
pub(crate) fn compare_f64(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// Spark's ordering of two non-null values of the same type (strings and binaries bytewise).
/// `None` when the values are not comparable (different types).
pub(crate) fn compare(a: &Literal, b: &Literal) -> Option<Ordering> {
    use Literal as L;
    Some(match (a, b) {
        (L::Boolean(x), L::Boolean(y)) => x.cmp(y),
        (L::Byte(x), L::Byte(y)) => x.cmp(y),
        (L::Short(x), L::Short(y)) => x.cmp(y),
        (L::Int(x), L::Int(y)) => x.cmp(y),
        (L::Long(x), L::Long(y)) => x.cmp(y),
        (L::Float(x), L::Float(y)) => compare_f64(f64::from(*x), f64::from(*y)),
        (L::Double(x), L::Double(y)) => compare_f64(*x, *y),
        (L::Decimal(x, _, s1), L::Decimal(y, _, s2)) if s1 == s2 => x.cmp(y),
        (L::String(x), L::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        (L::Binary(x), L::Binary(y)) => x.cmp(y),
        (L::Date(x), L::Date(y)) => x.cmp(y),
        (L::Timestamp(x), L::Timestamp(y)) => x.cmp(y),
        _ => return None,
    })
}
