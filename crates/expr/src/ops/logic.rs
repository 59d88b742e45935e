//! `AND`, `OR`, `NOT` (three-valued logic) and `IS [NOT] NULL`.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::DataType;
use streamlab_types::{Result, SparkError};

use super::{diff_types, one, two, wrong_type};
use crate::expr::BinaryOp;
use crate::physical::{KernelFn, PhysicalExpr};
use crate::resolve::coercion::{cast_implicit, unexpected_input, Expected};

fn booleans(a: &ArrayRef) -> Result<&arrow::array::BooleanArray> {
    a.as_boolean_opt().ok_or_else(|| SparkError::runtime(format!("internal error: expected boolean, got {}", a.data_type())))
}

/// Resolves `left AND right` / `left OR right`.
pub(crate) fn resolve_and_or(op: BinaryOp, l: PhysicalExpr, r: PhysicalExpr) -> Result<PhysicalExpr> {
    let sql = format!("({} {} {})", l.sql, op.symbol(), r.sql);
    let null_to_bool = |e: PhysicalExpr| if e.data_type == DataType::Null { cast_implicit(e, &DataType::Boolean) } else { e };
    let (l, r) = (null_to_bool(l), null_to_bool(r));
    if l.data_type != r.data_type {
        return Err(diff_types(&sql, &l, &r));
    }
    if l.data_type != DataType::Boolean {
        return Err(wrong_type(&sql, "\"BOOLEAN\"", &l.data_type));
    }
    let nullable = l.nullable || r.nullable;
    let kernel: Arc<KernelFn> = Arc::new(move |args, _, _| {
        let (a, b) = two(args)?;
        let (a, b) = (booleans(a)?, booleans(b)?);
        let out = if op == BinaryOp::And { arrow::compute::and_kleene(a, b)? } else { arrow::compute::or_kleene(a, b)? };
        Ok(Arc::new(out) as ArrayRef)
    });
    Ok(PhysicalExpr::kernel(sql, DataType::Boolean, nullable, vec![l, r], kernel))
}

/// Resolves `NOT e`.
pub(crate) fn resolve_not(e: PhysicalExpr) -> Result<PhysicalExpr> {
    let sql = format!("(NOT {})", e.sql);
    let e = if e.data_type == DataType::Null { cast_implicit(e, &DataType::Boolean) } else { e };
    if e.data_type != DataType::Boolean {
        return Err(unexpected_input(&sql, 1, &Expected::Type(DataType::Boolean), &e));
    }
    let nullable = e.nullable;
    Ok(PhysicalExpr::kernel(sql, DataType::Boolean, nullable, vec![e], Arc::new(|args, _, _| {
        Ok(Arc::new(arrow::compute::not(booleans(one(args)?)?)?) as ArrayRef)
    })))
}

/// Resolves `e IS NULL` (`not = false`) or `e IS NOT NULL` (`not = true`).
pub(crate) fn resolve_is_null(not: bool, e: PhysicalExpr) -> PhysicalExpr {
    let sql = format!("({} IS {}NULL)", e.sql, if not { "NOT " } else { "" });
    PhysicalExpr::kernel(sql, DataType::Boolean, false, vec![e], Arc::new(move |args, _, _| {
        let a = one(args)?;
        let out = if not { arrow::compute::is_not_null(a.as_ref())? } else { arrow::compute::is_null(a.as_ref())? };
        Ok(Arc::new(out) as ArrayRef)
    }))
}
