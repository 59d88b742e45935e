//! `= <=> < <= > >=` and `IN`, with Spark's comparison coercions (`BooleanEquality`,
//! `PromoteStrings`, `DecimalPrecision`, `InConversion`).
//!
//! Doubles compare the Spark way: `NaN = NaN` is true and `NaN` is larger than any number;
//! `-0.0 = 0.0`.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, Float32Array, Float64Array};
use arrow::compute::kernels::cmp;
use arrow::datatypes::{DataType, Float32Type, Float64Type};
use streamlab_types::{Result, SparkError};

use super::{diff_types, prim, two};
use crate::decimal;
use crate::expr::BinaryOp;
use crate::literal::Literal;
use crate::physical::{KernelFn, PhysicalExpr};
use crate::resolve::coercion::{cast_implicit, comparison_type, data_diff_types, tightest, wider_common};
use crate::types::{is_floating, is_integral, is_numeric, same_type};

/// Canonical float values for comparison: one NaN (larger than +∞ under total order), no -0.0.
fn normalize(a: &ArrayRef) -> Result<ArrayRef> {
    Ok(match a.data_type() {
        DataType::Float64 => Arc::new(
            prim::<Float64Type>(a)?
                .iter()
                .map(|v| v.map(|x| if x.is_nan() { f64::NAN } else { x + 0.0 }))
                .collect::<Float64Array>(),
        ),
        DataType::Float32 => Arc::new(
            prim::<Float32Type>(a)?
                .iter()
                .map(|v| v.map(|x| if x.is_nan() { f32::NAN } else { x + 0.0 }))
                .collect::<Float32Array>(),
        ),
        _ => a.clone(),
    })
}

/// Evaluates a comparison of two same-typed columns.
pub(crate) fn compare_arrays(op: BinaryOp, a: &ArrayRef, b: &ArrayRef) -> Result<BooleanArray> {
    let (a, b) = (normalize(a)?, normalize(b)?);
    if matches!(a.data_type(), DataType::Null) {
        return Ok(match op {
            BinaryOp::EqNullSafe => BooleanArray::from(vec![true; a.len()]),
            _ => BooleanArray::new_null(a.len()),
        });
    }
    Ok(match op {
        BinaryOp::Eq => cmp::eq(&a, &b)?,
        BinaryOp::EqNullSafe => cmp::not_distinct(&a, &b)?,
        BinaryOp::Lt => cmp::lt(&a, &b)?,
        BinaryOp::LtEq => cmp::lt_eq(&a, &b)?,
        BinaryOp::Gt => cmp::gt(&a, &b)?,
        BinaryOp::GtEq => cmp::gt_eq(&a, &b)?,
        other => return Err(SparkError::runtime(format!("internal error: {:?} is not a comparison", other))),
    })
}

fn decimal_or_integral(e: &PhysicalExpr) -> Option<(u8, i8)> {
    match (&e.data_type, e.literal()) {
        (DataType::Decimal128(p, s), _) => Some((*p, *s)),
        (_, Some(Literal::Int(v))) => Some((decimal::digits(i128::from(*v)), 0)),
        (_, Some(Literal::Long(v))) => Some((decimal::digits(i128::from(*v)), 0)),
        (t, _) if is_integral(t) => decimal::for_integral(t),
        _ => None,
    }
}

fn numeric_literal_value(e: &PhysicalExpr) -> Option<i128> {
    match e.literal()? {
        Literal::Byte(v) => Some(i128::from(*v)),
        Literal::Short(v) => Some(i128::from(*v)),
        Literal::Int(v) => Some(i128::from(*v)),
        Literal::Long(v) => Some(i128::from(*v)),
        Literal::Decimal(v, _, s) => {
            let one = decimal::pow10(u32::try_from(*s).ok()?)?;
            if *v == one {
                Some(1)
            } else if *v == 0 {
                Some(0)
            } else {
                Some(2)
            }
        }
        _ => None,
    }
}

/// Resolves `left op right` for comparison operators.
pub(crate) fn resolve_comparison(op: BinaryOp, left: PhysicalExpr, right: PhysicalExpr) -> Result<PhysicalExpr> {
    let sql = format!("({} {} {})", left.sql, op.symbol(), right.sql);
    let (mut l, mut r) = (left, right);
    // BooleanEquality: `b = 1` is `b`, `b = 0` is `NOT b`; otherwise the boolean becomes a number.
    if matches!(op, BinaryOp::Eq | BinaryOp::EqNullSafe) {
        let (b, n) = if l.data_type == DataType::Boolean && is_numeric(&r.data_type) {
            (Some(l.clone()), Some(r.clone()))
        } else if r.data_type == DataType::Boolean && is_numeric(&l.data_type) {
            (Some(r.clone()), Some(l.clone()))
        } else {
            (None, None)
        };
        if let (Some(b), Some(n)) = (b, n) {
            match (numeric_literal_value(&n), op) {
                (Some(1), BinaryOp::Eq) => return Ok(b),
                (Some(0), BinaryOp::Eq) => return super::logic::resolve_not(b),
                (Some(v @ (0 | 1)), BinaryOp::EqNullSafe) => {
                    let not_null = super::logic::resolve_is_null(true, b.clone());
                    let value = if v == 1 { b } else { super::logic::resolve_not(b)? };
                    return super::logic::resolve_and_or(BinaryOp::And, not_null, value);
                }
                _ => {
                    if l.data_type == DataType::Boolean {
                        l = cast_implicit(l, &r.data_type.clone());
                    } else {
                        r = cast_implicit(r, &l.data_type.clone());
                    }
                }
            }
        }
    }
    // PromoteStrings
    if let Some(t) = comparison_type(&l.data_type, &r.data_type) {
        l = cast_implicit(l, &t);
        r = cast_implicit(r, &t);
    }
    // DecimalPrecision
    let is_dec = |t: &DataType| matches!(t, DataType::Decimal128(..));
    if (is_dec(&l.data_type) || is_dec(&r.data_type)) && !same_type(&l.data_type, &r.data_type) {
        if is_floating(&l.data_type) || is_floating(&r.data_type) {
            l = cast_implicit(l, &DataType::Float64);
            r = cast_implicit(r, &DataType::Float64);
        } else if let (Some(a), Some(b)) = (decimal_or_integral(&l), decimal_or_integral(&r)) {
            let (p, s) = decimal::wider(a, b);
            l = cast_implicit(l, &DataType::Decimal128(p, s));
            r = cast_implicit(r, &DataType::Decimal128(p, s));
        }
    }
    if !same_type(&l.data_type, &r.data_type) {
        match tightest(&l.data_type, &r.data_type) {
            Some(t) => {
                l = cast_implicit(l, &t);
                r = cast_implicit(r, &t);
            }
            None => return Err(diff_types(&sql, &l, &r)),
        }
    }
    if matches!(l.data_type, DataType::Map(..)) {
        return Err(SparkError::analysis(format!(
            "Cannot resolve \"{}\" due to data type mismatch: The {} does not support ordering on type \"{}\".",
            sql,
            op.symbol(),
            crate::types::sql_name(&l.data_type)
        ))
        .with_class("DATATYPE_MISMATCH.INVALID_ORDERING_TYPE"));
    }
    let nullable = op != BinaryOp::EqNullSafe && (l.nullable || r.nullable);
    let kernel: Arc<KernelFn> = Arc::new(move |args, _, _| {
        let (a, b) = two(args)?;
        Ok(Arc::new(compare_arrays(op, a, b)?) as ArrayRef)
    });
    Ok(PhysicalExpr::kernel(sql, DataType::Boolean, nullable, vec![l, r], kernel))
}

/// Resolves `value IN (list…)`.
pub(crate) fn resolve_in(value: PhysicalExpr, list: Vec<PhysicalExpr>) -> Result<PhysicalExpr> {
    let items: Vec<String> = list.iter().map(|e| e.sql.clone()).collect();
    let sql = format!("({} IN ({}))", value.sql, items.join(", "));
    let (value, list) = if list.iter().any(|e| !same_type(&e.data_type, &value.data_type)) {
        let mut all: Vec<DataType> = vec![value.data_type.clone()];
        all.extend(list.iter().map(|e| e.data_type.clone()));
        match wider_common(&all) {
            Some(t) => (cast_implicit(value, &t), list.into_iter().map(|e| cast_implicit(e, &t)).collect::<Vec<_>>()),
            None => {
                let mut refs = vec![&value];
                refs.extend(list.iter());
                return Err(data_diff_types(&sql, "in", &refs));
            }
        }
    } else {
        (value, list)
    };
    // `x IN ()` is false even for a null x (Spark 3.5)
    let nullable = !list.is_empty() && (value.nullable || list.iter().any(|e| e.nullable));
    let mut args = vec![value];
    args.extend(list);
    let kernel: Arc<KernelFn> = Arc::new(|args, _, rows| {
        let (v, rest) = match args.split_first() {
            Some(x) => x,
            None => return Err(SparkError::runtime("IN without a value")),
        };
        let mut acc = BooleanArray::from(vec![false; rows]);
        if rest.is_empty() {
            return Ok(Arc::new(acc) as ArrayRef);
        }
        for c in rest {
            let eq = compare_arrays(BinaryOp::Eq, v, c)?;
            acc = arrow::compute::or_kleene(&acc, &eq)?;
        }
        // a null value is null whatever the list
        let out = arrow::compute::kernels::nullif::nullif(&acc, &arrow::compute::is_null(v)?)?;
        Ok(out)
    });
    Ok(PhysicalExpr::kernel(sql, DataType::Boolean, nullable, args, kernel))
}
