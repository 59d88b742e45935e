//! Aggregate results back into Arrow columns.

use std::sync::Arc;

use arrow::array::{new_null_array, ArrayRef, Float64Array, Int64Array};
use arrow::datatypes::DataType;
use streamlab_types::{Result, SparkError};

use crate::cast::cast_array;
use crate::literal::Literal;

/// One column of type `data_type` from accumulator results (one [`Literal`] per group).
///
/// Why: the engine evaluates each group's accumulator and needs the output column of the
/// aggregation's schema ([`super::AggregateExpr::data_type`]).
///
/// ```
/// use arrow::array::{Array, AsArray};
/// use arrow::datatypes::{DataType, Int64Type};
/// use streamlab_expr::aggregate::literals_to_array;
/// use streamlab_expr::Literal;
/// let a = literals_to_array(&[Literal::Long(3), Literal::Null], &DataType::Int64).unwrap();
/// assert_eq!((a.as_primitive::<Int64Type>().value(0), a.is_null(1)), (3, true));
/// ```
pub fn literals_to_array(values: &[Literal], data_type: &DataType) -> Result<ArrayRef> {
    match data_type {
        DataType::Int64 => {
            let v: Option<Int64Array> =
                values.iter().map(|l| match l { Literal::Long(x) => Some(Some(*x)), Literal::Null => Some(None), _ => None }).collect();
            if let Some(v) = v {
                return Ok(Arc::new(v));
            }
        }
        DataType::Float64 => {
            let v: Option<Float64Array> = values
                .iter()
                .map(|l| match l { Literal::Double(x) => Some(Some(*x)), Literal::Null => Some(None), _ => None })
                .collect();
            if let Some(v) = v {
                return Ok(Arc::new(v));
            }
        }
        _ => {}
    }
    if values.is_empty() {
        return Ok(new_null_array(data_type, 0));
    }
    let mut parts: Vec<ArrayRef> = Vec::with_capacity(values.len());
    for l in values {
        let a = match l {
            Literal::Null => new_null_array(data_type, 1),
            l => cast_array(&l.to_array(), data_type)?,
        };
        if a.data_type() != data_type {
            return Err(SparkError::runtime(format!("internal error: {l:?} is not a {data_type:?}")));
        }
        parts.push(a);
    }
    let refs: Vec<&dyn arrow::array::Array> = parts.iter().map(|a| a.as_ref()).collect();
    Ok(arrow::compute::concat(&refs)?)
}
