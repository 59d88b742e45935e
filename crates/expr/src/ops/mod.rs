//! Operators: arithmetic, comparisons, boolean logic, `IN`, each with Spark's coercion rules,
//! SQL text and non-ANSI evaluation (wrapping overflow, `null` on division by zero).

pub(crate) mod arith;
pub(crate) mod compare;
pub(crate) mod logic;

use arrow::array::{Array, ArrayRef, PrimitiveArray};
use arrow::datatypes::ArrowPrimitiveType;
use streamlab_types::{Result, SparkError};

use crate::physical::PhysicalExpr;
use crate::types::sql_name;

/// `BINARY_OP_DIFF_TYPES`: the operands have no common type.
pub(crate) fn diff_types(sql: &str, l: &PhysicalExpr, r: &PhysicalExpr) -> SparkError {
    SparkError::analysis(format!(
        "Cannot resolve \"{}\" due to data type mismatch: the left and right operands of the binary operator have incompatible types (\"{}\" and \"{}\").",
        sql,
        sql_name(&l.data_type),
        sql_name(&r.data_type)
    ))
    .with_class("DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES")
}

/// `BINARY_OP_WRONG_TYPE`: both operands have a type the operator does not take.
pub(crate) fn wrong_type(sql: &str, required: &str, t: &arrow::datatypes::DataType) -> SparkError {
    SparkError::analysis(format!(
        "Cannot resolve \"{}\" due to data type mismatch: the binary operator requires the input type {}, not \"{}\".",
        sql,
        required,
        sql_name(t)
    ))
    .with_class("DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE")
}

/// Downcasts to a primitive array or fails with an internal error.
pub(crate) fn prim<T: ArrowPrimitiveType>(a: &ArrayRef) -> Result<&PrimitiveArray<T>> {
    a.as_any()
        .downcast_ref::<PrimitiveArray<T>>()
        .ok_or_else(|| SparkError::runtime(format!("internal error: unexpected column type {}", a.data_type())))
}

/// Row-wise `f` over two same-typed primitive arrays; `None` from `f` (or a null input) is null.
pub(crate) fn binary_opt<T, O, F>(a: &PrimitiveArray<T>, b: &PrimitiveArray<T>, f: F) -> PrimitiveArray<O>
where
    T: ArrowPrimitiveType,
    O: ArrowPrimitiveType,
    F: Fn(T::Native, T::Native) -> Option<O::Native>,
{
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| match (x, y) {
            (Some(x), Some(y)) => f(x, y),
            _ => None,
        })
        .collect()
}

/// The two arguments of a binary kernel.
pub(crate) fn two(args: &[ArrayRef]) -> Result<(&ArrayRef, &ArrayRef)> {
    match args {
        [a, b] => Ok((a, b)),
        _ => Err(SparkError::runtime("internal error: binary operator without two inputs")),
    }
}

/// The argument of a unary kernel.
pub(crate) fn one(args: &[ArrayRef]) -> Result<&ArrayRef> {
    args.first().ok_or_else(|| SparkError::runtime("internal error: operator without input"))
}
