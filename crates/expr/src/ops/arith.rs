//! `+ - * / % div`, unary `-`/`+`, and bitwise operators (`PromoteStrings`, `DecimalPrecision`,
//! `Division`, `ImplicitTypeCasts`).

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, ArrowNativeTypeOp, ArrowPrimitiveType, Decimal128Array, Float32Array, Float64Array, PrimitiveArray,
};
use arrow::compute::{binary, unary};
use arrow::datatypes::{
    DataType, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
};
use streamlab_types::{Result, SparkError};

use super::{binary_opt, diff_types, one, prim, two, wrong_type};
use crate::decimal;
use crate::expr::BinaryOp;
use crate::literal::Literal;
use crate::physical::{KernelFn, PhysicalExpr};
use crate::resolve::coercion::{cast_implicit, tightest, unexpected_input, Expected};
use crate::types::{is_floating, is_integral, is_numeric, is_string};

const ADD_TYPES: &str = "(\"NUMERIC\" or \"INTERVAL DAY TO SECOND\" or \"INTERVAL YEAR TO MONTH\" or \"INTERVAL\")";

/// The decimal type of an operand meeting a decimal: integral literals take their minimal
/// precision (`DecimalType.fromLiteral`), other integrals `DecimalType.forType`.
fn decimal_of(e: &PhysicalExpr) -> Option<(u8, i8)> {
    match (&e.data_type, e.literal()) {
        (DataType::Decimal128(p, s), _) => Some((*p, *s)),
        (_, Some(Literal::Byte(v))) => Some((decimal::digits(i128::from(*v)), 0)),
        (_, Some(Literal::Short(v))) => Some((decimal::digits(i128::from(*v)), 0)),
        (_, Some(Literal::Int(v))) => Some((decimal::digits(i128::from(*v)), 0)),
        (_, Some(Literal::Long(v))) => Some((decimal::digits(i128::from(*v)), 0)),
        (t, _) if is_integral(t) => decimal::for_integral(t),
        _ => None,
    }
}

/// Result type of decimal `op` (`DecimalPrecision`, precision loss allowed).
fn decimal_result(op: BinaryOp, (p1, s1): (u8, i8), (p2, s2): (u8, i8)) -> (u8, i8) {
    let (p1, s1, p2, s2) = (i32::from(p1), i32::from(s1), i32::from(p2), i32::from(s2));
    match op {
        BinaryOp::Plus | BinaryOp::Minus => {
            let s = s1.max(s2);
            decimal::adjust_precision_scale(s + (p1 - s1).max(p2 - s2) + 1, s)
        }
        BinaryOp::Multiply => decimal::adjust_precision_scale(p1 + p2 + 1, s1 + s2),
        BinaryOp::Divide => {
            let s = 6.max(s1 + p2 + 1);
            decimal::adjust_precision_scale(p1 - s1 + s2 + s, s)
        }
        _ => {
            let s = s1.max(s2);
            decimal::adjust_precision_scale((p1 - s1).min(p2 - s2) + s, s)
        }
    }
}

/// Resolves `left op right` for arithmetic operators.
pub(crate) fn resolve_arith(op: BinaryOp, left: PhysicalExpr, right: PhysicalExpr) -> Result<PhysicalExpr> {
    let sql = format!("({} {} {})", left.sql, op.symbol(), right.sql);
    // date ± integral → date_add / date_sub
    if matches!(op, BinaryOp::Plus | BinaryOp::Minus) {
        let (d, n) = match (&left.data_type, &right.data_type) {
            (DataType::Date32, t) if is_integral(t) => (Some(left.clone()), Some(right.clone())),
            (t, DataType::Date32) if is_integral(t) && op == BinaryOp::Plus => (Some(right.clone()), Some(left.clone())),
            _ => (None, None),
        };
        if let (Some(d), Some(n)) = (d, n) {
            let name = if op == BinaryOp::Plus { "date_add" } else { "date_sub" };
            return crate::functions::datetime::date_add(name, d, n);
        }
    }
    // PromoteStrings
    let promote = |e: PhysicalExpr| if is_string(&e.data_type) { cast_implicit(e, &DataType::Float64) } else { e };
    let (mut l, mut r) = (promote(left), promote(right));
    // NULL meets a type: becomes that type
    match (&l.data_type, &r.data_type) {
        (DataType::Null, DataType::Null) => {
            l = cast_implicit(l, &DataType::Float64);
            r = cast_implicit(r, &DataType::Float64);
        }
        (DataType::Null, t) => l = cast_implicit(l, &t.clone()),
        (t, DataType::Null) => r = cast_implicit(r, &t.clone()),
        _ => {}
    }
    if op == BinaryOp::IntDivide {
        return resolve_int_divide(sql, l, r);
    }
    let is_dec = |t: &DataType| matches!(t, DataType::Decimal128(..));
    if is_dec(&l.data_type) || is_dec(&r.data_type) {
        if is_floating(&l.data_type) || is_floating(&r.data_type) {
            l = cast_implicit(l, &DataType::Float64);
            r = cast_implicit(r, &DataType::Float64);
        } else if let (Some(dl), Some(dr)) = (decimal_of(&l), decimal_of(&r)) {
            l = cast_implicit(l, &DataType::Decimal128(dl.0, dl.1));
            r = cast_implicit(r, &DataType::Decimal128(dr.0, dr.1));
            let (p, s) = decimal_result(op, dl, dr);
            let out = DataType::Decimal128(p, s);
            let kernel = decimal_kernel(op, dl.1, dr.1, p, s);
            return Ok(PhysicalExpr::kernel(sql, out, true, vec![l, r], kernel));
        } else {
            return Err(diff_types(&sql, &l, &r));
        }
    }
    if op == BinaryOp::Divide && is_numeric(&l.data_type) && is_numeric(&r.data_type) {
        l = cast_implicit(l, &DataType::Float64);
        r = cast_implicit(r, &DataType::Float64);
    }
    let common = match tightest(&l.data_type, &r.data_type) {
        Some(t) => t,
        None => return Err(diff_types(&sql, &l, &r)),
    };
    if !is_numeric(&common) {
        let required = match op {
            BinaryOp::Plus | BinaryOp::Minus => ADD_TYPES,
            BinaryOp::Divide => "(\"DOUBLE\" or \"DECIMAL\")",
            _ => "\"NUMERIC\"",
        };
        if l.data_type != r.data_type {
            return Err(diff_types(&sql, &l, &r));
        }
        return Err(wrong_type(&sql, required, &common));
    }
    let l = cast_implicit(l, &common);
    let r = cast_implicit(r, &common);
    let nullable = l.nullable || r.nullable || matches!(op, BinaryOp::Divide | BinaryOp::Modulo);
    let kernel = numeric_kernel(op, &common)?;
    Ok(PhysicalExpr::kernel(sql, common, nullable, vec![l, r], kernel))
}

fn resolve_int_divide(sql: String, l: PhysicalExpr, r: PhysicalExpr) -> Result<PhysicalExpr> {
    let to_long = |e: PhysicalExpr| if is_integral(&e.data_type) { cast_implicit(e, &DataType::Int64) } else { e };
    let is_dec = |t: &DataType| matches!(t, DataType::Decimal128(..));
    let (l, r) = (to_long(l), to_long(r));
    let ok = |t: &DataType| *t == DataType::Int64 || is_dec(t);
    if !ok(&l.data_type) || !ok(&r.data_type) {
        return Err(diff_types(&sql, &l, &r));
    }
    let (l, r) = if is_dec(&l.data_type) || is_dec(&r.data_type) {
        let (dl, dr) = (decimal_of(&l).unwrap_or((20, 0)), decimal_of(&r).unwrap_or((20, 0)));
        let w = decimal::wider(dl, dr);
        (cast_implicit(l, &DataType::Decimal128(w.0, w.1)), cast_implicit(r, &DataType::Decimal128(w.0, w.1)))
    } else {
        (l, r)
    };
    let kernel: Arc<KernelFn> = Arc::new(|args, _, _| {
        let (a, b) = two(args)?;
        match a.data_type() {
            DataType::Decimal128(..) => {
                let x = prim::<Decimal128Type>(a)?;
                let y = prim::<Decimal128Type>(b)?;
                let out: arrow::array::Int64Array = x
                    .iter()
                    .zip(y.iter())
                    .map(|(p, q)| {
                        let (p, q) = (p?, q?);
                        if q == 0 {
                            None
                        } else {
                            Some(p.wrapping_div(q) as i64)
                        }
                    })
                    .collect();
                Ok(Arc::new(out) as ArrayRef)
            }
            _ => {
                let x = prim::<Int64Type>(a)?;
                let y = prim::<Int64Type>(b)?;
                let out = binary_opt::<Int64Type, Int64Type, _>(x, y, |p, q| if q == 0 { None } else { Some(p.wrapping_div(q)) });
                Ok(Arc::new(out) as ArrayRef)
            }
        }
    });
    Ok(PhysicalExpr::kernel(sql, DataType::Int64, true, vec![l, r], kernel))
}

macro_rules! int_rem {
    ($a:expr, $b:expr, $t:ty) => {{
        let x = prim::<$t>($a)?;
        let y = prim::<$t>($b)?;
        Arc::new(binary_opt::<$t, $t, _>(x, y, |p, q| if q == 0 { None } else { Some(p.wrapping_rem(q)) })) as ArrayRef
    }};
}

/// `a + b`, `a - b` or `a * b` on two arrays of one numeric type, wrapping integers like Java.
///
/// Why not arrow's `numeric` kernels: they dispatch on every Arrow type (dates, timestamps,
/// intervals, decimals), which links ~250 KB of wasm the page never runs; decimals and dates
/// have their own kernels here.
fn wrapping(a: &ArrayRef, b: &ArrayRef, op: BinaryOp) -> Result<ArrayRef> {
    match a.data_type() {
        DataType::Int8 => wrapping_as::<Int8Type>(a, b, op),
        DataType::Int16 => wrapping_as::<Int16Type>(a, b, op),
        DataType::Int32 => wrapping_as::<Int32Type>(a, b, op),
        DataType::Int64 => wrapping_as::<Int64Type>(a, b, op),
        DataType::Float32 => wrapping_as::<Float32Type>(a, b, op),
        DataType::Float64 => wrapping_as::<Float64Type>(a, b, op),
        other => Err(SparkError::runtime(format!("internal error: arithmetic on {other}"))),
    }
}

fn wrapping_as<T: ArrowPrimitiveType>(a: &ArrayRef, b: &ArrayRef, op: BinaryOp) -> Result<ArrayRef> {
    let (x, y) = (prim::<T>(a)?, prim::<T>(b)?);
    let out: PrimitiveArray<T> = match op {
        BinaryOp::Plus => binary(x, y, |p, q| p.add_wrapping(q))?,
        BinaryOp::Minus => binary(x, y, |p, q| p.sub_wrapping(q))?,
        _ => binary(x, y, |p, q| p.mul_wrapping(q))?,
    };
    Ok(Arc::new(out))
}

fn numeric_kernel(op: BinaryOp, t: &DataType) -> Result<Arc<KernelFn>> {
    let t = t.clone();
    let k: Arc<KernelFn> = match op {
        BinaryOp::Plus => Arc::new(|args, _, _| {
            let (a, b) = two(args)?;
            wrapping(a, b, BinaryOp::Plus)
        }),
        BinaryOp::Minus => Arc::new(|args, _, _| {
            let (a, b) = two(args)?;
            wrapping(a, b, BinaryOp::Minus)
        }),
        BinaryOp::Multiply => Arc::new(|args, _, _| {
            let (a, b) = two(args)?;
            wrapping(a, b, BinaryOp::Multiply)
        }),
        BinaryOp::Divide => Arc::new(|args, _, _| {
            let (a, b) = two(args)?;
            let x = prim::<Float64Type>(a)?;
            let y = prim::<Float64Type>(b)?;
            Ok(Arc::new(binary_opt::<Float64Type, Float64Type, _>(x, y, |p, q| if q == 0.0 { None } else { Some(p / q) })))
        }),
        BinaryOp::Modulo => Arc::new(move |args, _, _| {
            let (a, b) = two(args)?;
            Ok(match &t {
                DataType::Int8 => int_rem!(a, b, Int8Type),
                DataType::Int16 => int_rem!(a, b, Int16Type),
                DataType::Int32 => int_rem!(a, b, Int32Type),
                DataType::Int64 => int_rem!(a, b, Int64Type),
                DataType::Float32 => {
                    let x = prim::<Float32Type>(a)?;
                    let y = prim::<Float32Type>(b)?;
                    Arc::new(binary_opt::<Float32Type, Float32Type, _>(x, y, |p, q| if q == 0.0 { None } else { Some(p % q) }))
                }
                _ => {
                    let x = prim::<Float64Type>(a)?;
                    let y = prim::<Float64Type>(b)?;
                    Arc::new(binary_opt::<Float64Type, Float64Type, _>(x, y, |p, q| if q == 0.0 { None } else { Some(p % q) }))
                }
            })
        }),
        other => return Err(SparkError::runtime(format!("internal error: {:?} is not arithmetic", other))),
    };
    Ok(k)
}

fn decimal_kernel(op: BinaryOp, s1: i8, s2: i8, p: u8, s: i8) -> Arc<KernelFn> {
    Arc::new(move |args, _, _| {
        let (a, b) = two(args)?;
        let x = prim::<Decimal128Type>(a)?;
        let y = prim::<Decimal128Type>(b)?;
        let f = |u: i128, v: i128| -> Option<i128> {
            let r = match op {
                BinaryOp::Plus | BinaryOp::Minus => {
                    let m = s1.max(s2);
                    let u = decimal::rescale(u, s1, m)?;
                    let v = decimal::rescale(v, s2, m)?;
                    let sum = if op == BinaryOp::Plus { u.checked_add(v)? } else { u.checked_sub(v)? };
                    decimal::rescale(sum, m, s)?
                }
                BinaryOp::Multiply => decimal::rescale(u.checked_mul(v)?, s1 + s2, s)?,
                BinaryOp::Divide => {
                    if v == 0 {
                        return None;
                    }
                    // u/10^s1 ÷ v/10^s2 at scale s = u·10^(s+s2−s1) ÷ v
                    let shift = i32::from(s) + i32::from(s2) - i32::from(s1);
                    if shift >= 0 {
                        let n = u.checked_mul(decimal::pow10(shift as u32)?)?;
                        decimal::div_half_up(n, v)
                    } else {
                        let d = v.checked_mul(decimal::pow10((-shift) as u32)?)?;
                        decimal::div_half_up(u, d)
                    }
                }
                _ => {
                    if v == 0 {
                        return None;
                    }
                    let m = s1.max(s2);
                    let u = decimal::rescale(u, s1, m)?;
                    let v = decimal::rescale(v, s2, m)?;
                    decimal::rescale(u.wrapping_rem(v), m, s)?
                }
            };
            decimal::fits(r, p).then_some(r)
        };
        let out: Decimal128Array = binary_opt::<Decimal128Type, Decimal128Type, _>(x, y, f);
        Ok(Arc::new(out.with_precision_and_scale(p, s)?) as ArrayRef)
    })
}

/// Unary minus / plus: numeric (strings become double).
pub(crate) fn resolve_sign(negate: bool, e: PhysicalExpr) -> Result<PhysicalExpr> {
    let sql = format!("({} {})", if negate { "-" } else { "+" }, e.sql);
    let e = if is_string(&e.data_type) || e.data_type == DataType::Null {
        cast_implicit(e, &DataType::Float64)
    } else {
        e
    };
    if !is_numeric(&e.data_type) {
        return Err(SparkError::analysis(format!(
            "Cannot resolve \"{}\" due to data type mismatch: Parameter 1 requires the {} type, however \"{}\" has the type \"{}\".",
            sql,
            ADD_TYPES,
            e.sql,
            crate::types::sql_name(&e.data_type)
        ))
        .with_class("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE"));
    }
    let t = e.data_type.clone();
    let nullable = e.nullable;
    if !negate {
        return Ok(PhysicalExpr::kernel(sql, t, nullable, vec![e], Arc::new(|args, _, _| Ok(one(args)?.clone()))));
    }
    Ok(PhysicalExpr::kernel(sql, t, nullable, vec![e], Arc::new(|args, _, _| negate_array(one(args)?))))
}

/// `-x` with Java's wrapping for integers.
pub(crate) fn negate_array(a: &ArrayRef) -> Result<ArrayRef> {
    Ok(match a.data_type() {
        DataType::Decimal128(p, s) => {
            let x = prim::<Decimal128Type>(a)?;
            let out: Decimal128Array = x.iter().map(|v| v.map(|u| u.wrapping_neg())).collect();
            Arc::new(out.with_precision_and_scale(*p, *s)?)
        }
        DataType::Float64 => Arc::new(prim::<Float64Type>(a)?.iter().map(|v| v.map(|x| -x)).collect::<Float64Array>()),
        DataType::Float32 => Arc::new(prim::<Float32Type>(a)?.iter().map(|v| v.map(|x| -x)).collect::<Float32Array>()),
        DataType::Int8 => Arc::new(unary::<Int8Type, _, Int8Type>(prim(a)?, i8::wrapping_neg)),
        DataType::Int16 => Arc::new(unary::<Int16Type, _, Int16Type>(prim(a)?, i16::wrapping_neg)),
        DataType::Int32 => Arc::new(unary::<Int32Type, _, Int32Type>(prim(a)?, i32::wrapping_neg)),
        _ => Arc::new(unary::<Int64Type, _, Int64Type>(prim(a)?, i64::wrapping_neg)),
    })
}

/// `& | ^` on integral types, and `~x`.
pub(crate) fn resolve_bitwise(op: BinaryOp, l: PhysicalExpr, r: PhysicalExpr) -> Result<PhysicalExpr> {
    let sql = format!("({} {} {})", l.sql, op.symbol(), r.sql);
    let common = tightest(&l.data_type, &r.data_type).ok_or_else(|| diff_types(&sql, &l, &r))?;
    let common = if common == DataType::Null { DataType::Int32 } else { common };
    if !is_integral(&common) {
        return Err(wrong_type(&sql, "\"INTEGRAL\"", &common));
    }
    let (l, r) = (cast_implicit(l, &common), cast_implicit(r, &common));
    let nullable = l.nullable || r.nullable;
    let kernel: Arc<KernelFn> = Arc::new(move |args, _, _| {
        let (a, b) = two(args)?;
        let x = crate::cast::to_i64(a)?;
        let y = crate::cast::to_i64(b)?;
        let out = binary_opt::<Int64Type, Int64Type, _>(&x, &y, |p, q| {
            Some(match op {
                BinaryOp::BitAnd => p & q,
                BinaryOp::BitOr => p | q,
                _ => p ^ q,
            })
        });
        crate::cast::cast_array(&(Arc::new(out) as ArrayRef), a.data_type())
    });
    Ok(PhysicalExpr::kernel(sql, common, nullable, vec![l, r], kernel))
}

/// `~x`.
pub(crate) fn resolve_bit_not(e: PhysicalExpr) -> Result<PhysicalExpr> {
    let sql = format!("~{}", e.sql);
    if !is_integral(&e.data_type) {
        return Err(unexpected_input(&sql, 1, &Expected::Integral, &e));
    }
    let t = e.data_type.clone();
    let nullable = e.nullable;
    Ok(PhysicalExpr::kernel(sql, t, nullable, vec![e], Arc::new(|args, _, _| {
        let a = one(args)?;
        let x = crate::cast::to_i64(a)?;
        let out: arrow::array::Int64Array = x.iter().map(|v| v.map(|p| !p)).collect();
        crate::cast::cast_array(&(Arc::new(out) as ArrayRef), a.data_type())
    })))
}
