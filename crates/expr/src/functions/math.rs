//! Math: `abs`, `round`/`bround`, `floor`, `ceil`, `sqrt`, `pow`, `exp`, logarithms, `signum`,
//! `pmod`, trigonometry.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Decimal128Array, Float32Array, Float64Array, Int64Array};
use arrow::datatypes::{DataType, Decimal128Type, Float32Type, Float64Type};
use streamlab_types::java::{double_to_string, float_to_string};
use streamlab_types::{Result, SparkError};

use super::{arg, def, make, Call, FunctionDef};
use crate::cast::{cast_array, to_f64, to_i64};
use crate::decimal;
use crate::expr::BinaryOp;
use crate::literal::Literal;
use crate::ops::{binary_opt, prim};
use crate::physical::PhysicalExpr;
use crate::resolve::coercion::{cast_implicit, unexpected_input, Expected};
use crate::types::{is_integral, is_numeric, is_string};

pub(crate) const FUNCTIONS: &[FunctionDef] = &[
    def("abs", abs),
    def("negative", negative),
    def("positive", positive),
    def("round", round),
    def("bround", round),
    def("floor", floor_ceil),
    def("ceil", floor_ceil),
    def("ceiling", floor_ceil),
    def("sqrt", unary_double),
    def("cbrt", unary_double),
    def("exp", unary_double),
    def("expm1", unary_double),
    def("ln", unary_double),
    def("log10", unary_double),
    def("log2", unary_double),
    def("log1p", unary_double),
    def("signum", unary_double),
    def("sign", unary_double),
    def("sin", unary_double),
    def("cos", unary_double),
    def("tan", unary_double),
    def("asin", unary_double),
    def("acos", unary_double),
    def("atan", unary_double),
    def("sinh", unary_double),
    def("cosh", unary_double),
    def("tanh", unary_double),
    def("degrees", unary_double),
    def("radians", unary_double),
    def("log", log),
    def("pow", pow),
    def("power", pow),
    def("atan2", pow),
    def("hypot", pow),
    def("pmod", pmod),
    def("e", constant),
    def("pi", constant),
];

/// Strings become double (PromoteStrings / implicit numeric casts); other types must be numeric.
fn numeric_arg(e: PhysicalExpr, sql: &str, index: usize) -> Result<PhysicalExpr> {
    if is_string(&e.data_type) || e.data_type == DataType::Null {
        return Ok(cast_implicit(e, &DataType::Float64));
    }
    if !is_numeric(&e.data_type) {
        return Err(unexpected_input(sql, index, &Expected::Numeric, &e));
    }
    Ok(e)
}

fn single(call: Call) -> Result<(PhysicalExpr, String)> {
    call.arity(&[1])?;
    let sql = call.sql();
    let e = call.args.into_iter().next().ok_or_else(|| SparkError::runtime("missing argument"))?;
    Ok((e, sql))
}

fn abs(call: Call) -> Result<PhysicalExpr> {
    let (e, sql) = single(call)?;
    let e = numeric_arg(e, &sql, 1)?;
    let t = e.data_type.clone();
    let nullable = e.nullable;
    Ok(make(sql, t, nullable, vec![e], |a, _, _| {
        let x = arg(a, 0)?;
        Ok(match x.data_type() {
            DataType::Float64 => Arc::new(prim::<Float64Type>(x)?.iter().map(|v| v.map(f64::abs)).collect::<Float64Array>()) as ArrayRef,
            DataType::Float32 => Arc::new(prim::<Float32Type>(x)?.iter().map(|v| v.map(f32::abs)).collect::<Float32Array>()),
            DataType::Decimal128(p, s) => {
                let d: Decimal128Array = prim::<Decimal128Type>(x)?.iter().map(|v| v.map(|u| u.wrapping_abs())).collect();
                Arc::new(d.with_precision_and_scale(*p, *s)?)
            }
            t => {
                let l = to_i64(x)?;
                // Java's Math.abs in the input width: MIN_VALUE stays negative
                let out: Int64Array = l
                    .iter()
                    .map(|v| {
                        v.map(|n| match t {
                            DataType::Int8 => i64::from((n as i8).wrapping_abs()),
                            DataType::Int16 => i64::from((n as i16).wrapping_abs()),
                            DataType::Int32 => i64::from((n as i32).wrapping_abs()),
                            _ => n.wrapping_abs(),
                        })
                    })
                    .collect();
                cast_array(&(Arc::new(out) as ArrayRef), t)?
            }
        })
    }))
}

fn negative(call: Call) -> Result<PhysicalExpr> {
    let (e, sql) = single(call)?;
    let mut r = crate::ops::arith::resolve_sign(true, e)?;
    r.name = sql.clone();
    r.sql = sql;
    Ok(r)
}

fn positive(call: Call) -> Result<PhysicalExpr> {
    let (e, sql) = single(call)?;
    let mut r = crate::ops::arith::resolve_sign(false, e)?;
    r.name = sql.clone();
    r.sql = sql;
    Ok(r)
}

/// Rounds the decimal text of a double (`BigDecimal(d)` in Scala reads `Double.toString`).
fn round_text(text: &str, scale: i32, half_even: bool) -> Option<f64> {
    let (v, s) = decimal::parse(text)?;
    let target = scale.clamp(-38, 38);
    let r = round_unscaled(v, i32::from(s), target, half_even)?;
    if target >= 0 {
        Some(decimal::to_f64(r, target as i8))
    } else {
        let m = decimal::pow10((-target) as u32)?;
        Some(r.checked_mul(m)? as f64)
    }
}

/// `v × 10^-from` rounded to `to` fraction digits (negative: tens, hundreds…), as unscaled at `to`
/// (or at 0 times 10^-to when `to < 0`).
fn round_unscaled(v: i128, from: i32, to: i32, half_even: bool) -> Option<i128> {
    if to >= from {
        return v.checked_mul(decimal::pow10((to - from) as u32)?);
    }
    let d = match decimal::pow10((from - to) as u32) {
        Some(d) => d,
        None => return Some(0),
    };
    let q = v / d;
    let r = v % d;
    let twice = r.unsigned_abs().saturating_mul(2);
    let du = d.unsigned_abs();
    let away = if twice > du {
        true
    } else if twice == du {
        !half_even || q % 2 != 0
    } else {
        false
    };
    Some(if away {
        if v < 0 {
            q - 1
        } else {
            q + 1
        }
    } else {
        q
    })
}

fn round(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1, 2])?;
    let half_even = call.name == "bround";
    let name = call.name.clone();
    let mut args = call.args.into_iter();
    let x = args.next().ok_or_else(|| SparkError::runtime("missing argument"))?;
    let scale_expr = args.next().unwrap_or_else(|| PhysicalExpr::from_literal(Literal::Int(0)));
    let sql = format!("{}({}, {})", name, x.sql, scale_expr.sql);
    let x = numeric_arg(x, &sql, 1)?;
    // beyond ±39 digits every result is the same as at ±39
    let scale = match scale_expr.literal() {
        Some(Literal::Int(s)) => (*s).clamp(-39, 39),
        Some(Literal::Short(s)) => i32::from(*s),
        Some(Literal::Byte(s)) => i32::from(*s),
        _ => {
            return Err(SparkError::analysis(format!(
                "Cannot resolve \"{}\" due to data type mismatch: the input scale should be a foldable \"INT\" value.",
                sql
            ))
            .with_class("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT"))
        }
    };
    let t = match &x.data_type {
        DataType::Decimal128(p, s) => {
            let (p, s) = (i32::from(*p), i32::from(*s));
            let int_digits = p - s + 1;
            if scale < 0 {
                let (p, s) = decimal::bounded(int_digits, 0);
                DataType::Decimal128(p, s)
            } else {
                let ns = s.min(scale);
                let (p, s) = decimal::bounded(int_digits + ns, ns);
                DataType::Decimal128(p, s)
            }
        }
        other => other.clone(),
    };
    let out_t = t.clone();
    Ok(make(sql, t, true, vec![x], move |a, _, _| {
        let x = arg(a, 0)?;
        Ok(match x.data_type() {
            DataType::Float64 => Arc::new(
                prim::<Float64Type>(x)?
                    .iter()
                    .map(|v| v.map(|d| if d.is_finite() { round_text(&double_to_string(d), scale, half_even).unwrap_or(d) } else { d }))
                    .collect::<Float64Array>(),
            ) as ArrayRef,
            DataType::Float32 => Arc::new(
                prim::<Float32Type>(x)?
                    .iter()
                    .map(|v| {
                        v.map(|f| {
                            if f.is_finite() {
                                round_text(&float_to_string(f), scale, half_even).map(|d| d as f32).unwrap_or(f)
                            } else {
                                f
                            }
                        })
                    })
                    .collect::<Float32Array>(),
            ),
            DataType::Decimal128(_, s) => {
                let s = i32::from(*s);
                let (op, os) = match &out_t {
                    DataType::Decimal128(p, s) => (*p, *s),
                    _ => (38, 0),
                };
                let d: Decimal128Array = prim::<Decimal128Type>(x)?
                    .iter()
                    .map(|v| {
                        let r = round_unscaled(v?, s, scale, half_even)?;
                        let r = if scale < 0 { r.checked_mul(decimal::pow10((-scale) as u32)?)? } else { decimal::rescale(r, scale.min(38) as i8, os)? };
                        decimal::fits(r, op).then_some(r)
                    })
                    .collect();
                Arc::new(d.with_precision_and_scale(op, os)?)
            }
            t => {
                let l = to_i64(x)?;
                let out: Int64Array = l
                    .iter()
                    .map(|v| {
                        let n = v?;
                        if scale >= 0 {
                            return Some(n);
                        }
                        let r = round_unscaled(i128::from(n), 0, scale, half_even)?;
                        let m = decimal::pow10((-scale) as u32)?;
                        Some(r.checked_mul(m).map(|x| x as i64).unwrap_or(0))
                    })
                    .collect();
                cast_array(&(Arc::new(out) as ArrayRef), t)?
            }
        })
    }))
}

fn floor_ceil(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1])?;
    let ceil = call.name != "floor";
    let display = match call.name.as_str() {
        "floor" => "FLOOR",
        "ceil" => "CEIL",
        _ => "ceiling",
    };
    let sql = call.sql_as(display);
    let x = call.args.into_iter().next().ok_or_else(|| SparkError::runtime("missing argument"))?;
    let x = numeric_arg(x, &sql, 1)?;
    let t = match &x.data_type {
        DataType::Decimal128(p, s) => {
            let (p, s) = decimal::bounded(i32::from(*p) - i32::from(*s) + 1, 0);
            DataType::Decimal128(p, s)
        }
        _ => DataType::Int64,
    };
    Ok(make(sql, t, true, vec![x], move |a, _, _| {
        let x = arg(a, 0)?;
        Ok(match x.data_type() {
            DataType::Float32 | DataType::Float64 => {
                let d = to_f64(x)?;
                Arc::new(d.iter().map(|v| v.map(|f| if ceil { f.ceil() as i64 } else { f.floor() as i64 })).collect::<Int64Array>()) as ArrayRef
            }
            DataType::Decimal128(p, s) => {
                let s = *s;
                let (op, _) = decimal::bounded(i32::from(*p) - i32::from(s) + 1, 0);
                let m = decimal::pow10(s.max(0) as u32).unwrap_or(1);
                let d: Decimal128Array = prim::<Decimal128Type>(x)?
                    .iter()
                    .map(|v| {
                        let u = v?;
                        let q = u.div_euclid(m);
                        let exact = u.rem_euclid(m) == 0;
                        Some(if ceil && !exact { q.wrapping_add(1) } else { q })
                    })
                    .collect();
                Arc::new(d.with_precision_and_scale(op, 0)?)
            }
            _ => cast_array(x, &DataType::Int64)?,
        })
    }))
}

fn unary_double(call: Call) -> Result<PhysicalExpr> {
    let name = call.name.clone();
    let display = match name.as_str() {
        "sqrt" => "SQRT",
        "cbrt" => "CBRT",
        "exp" => "EXP",
        "expm1" => "EXPM1",
        "log10" => "LOG10",
        "log2" => "LOG2",
        "log1p" => "LOG1P",
        "signum" => "SIGNUM",
        "sin" => "SIN",
        "cos" => "COS",
        "tan" => "TAN",
        "asin" => "ASIN",
        "acos" => "ACOS",
        "atan" => "ATAN",
        "sinh" => "SINH",
        "cosh" => "COSH",
        "tanh" => "TANH",
        "degrees" => "DEGREES",
        "radians" => "RADIANS",
        other => other,
    }
    .to_string();
    call.arity(&[1])?;
    let sql = call.sql_as(&display);
    let x = call.args.into_iter().next().ok_or_else(|| SparkError::runtime("missing argument"))?;
    let x = numeric_arg(x, &sql, 1)?;
    let x = cast_implicit(x, &DataType::Float64);
    // UnaryMathExpression is always nullable in Spark
    let nullable = true;
    let f: fn(f64) -> Option<f64> = match name.as_str() {
        "sqrt" => |v| Some(v.sqrt()),
        "cbrt" => |v| Some(v.cbrt()),
        "exp" => |v| Some(v.exp()),
        "expm1" => |v| Some(v.exp_m1()),
        "ln" => |v| (v > 0.0).then(|| v.ln()),
        "log10" => |v| (v > 0.0).then(|| v.log10()),
        "log2" => |v| (v > 0.0).then(|| v.ln() / std::f64::consts::LN_2),
        "log1p" => |v| (v > -1.0).then(|| v.ln_1p()),
        "signum" | "sign" => |v| Some(if v.is_nan() { f64::NAN } else if v > 0.0 { 1.0 } else if v < 0.0 { -1.0 } else { v }),
        "sin" => |v| Some(v.sin()),
        "cos" => |v| Some(v.cos()),
        "tan" => |v| Some(v.tan()),
        "asin" => |v| Some(v.asin()),
        "acos" => |v| Some(v.acos()),
        "atan" => |v| Some(v.atan()),
        "sinh" => |v| Some(v.sinh()),
        "cosh" => |v| Some(v.cosh()),
        "tanh" => |v| Some(v.tanh()),
        "degrees" => |v| Some(v.to_degrees()),
        _ => |v| Some(v.to_radians()),
    };
    Ok(make(sql, DataType::Float64, nullable, vec![x], move |a, _, _| {
        let x = prim::<Float64Type>(arg(a, 0)?)?;
        Ok(Arc::new(x.iter().map(|v| v.and_then(f)).collect::<Float64Array>()) as ArrayRef)
    }))
}

fn log(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1, 2])?;
    if call.args.len() == 1 {
        let mut r = unary_double(Call { name: "ln".into(), args: call.args })?;
        r.sql = r.sql.replacen("ln(", "LOG(E(), ", 1);
        r.name = r.sql.clone();
        return Ok(r);
    }
    let sql = call.sql_as("LOG");
    let args = call.coerce(&[Expected::Type(DataType::Float64), Expected::Type(DataType::Float64)], &sql)?;
    Ok(make(sql, DataType::Float64, true, args, |a, _, _| {
        let b = prim::<Float64Type>(arg(a, 0)?)?;
        let x = prim::<Float64Type>(arg(a, 1)?)?;
        Ok(Arc::new(binary_opt::<Float64Type, Float64Type, _>(b, x, |b, x| {
            if b <= 0.0 || x <= 0.0 {
                None
            } else {
                Some(x.ln() / b.ln())
            }
        })) as ArrayRef)
    }))
}

fn pow(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let name = call.name.clone();
    let display = match name.as_str() {
        "power" => "POWER",
        "atan2" => "ATAN2",
        "hypot" => "HYPOT",
        other => other,
    }
    .to_string();
    let sql = call.sql_as(&display);
    let args = call.coerce(&[Expected::Type(DataType::Float64), Expected::Type(DataType::Float64)], &sql)?;
    let nullable = args.iter().any(|a| a.nullable);
    let f: fn(f64, f64) -> f64 = match name.as_str() {
        "atan2" => |y, x| (y + 0.0).atan2(x + 0.0),
        "hypot" => f64::hypot,
        _ => f64::powf,
    };
    Ok(make(sql, DataType::Float64, nullable, args, move |a, _, _| {
        let x = prim::<Float64Type>(arg(a, 0)?)?;
        let y = prim::<Float64Type>(arg(a, 1)?)?;
        Ok(Arc::new(binary_opt::<Float64Type, Float64Type, _>(x, y, |p, q| Some(f(p, q)))) as ArrayRef)
    }))
}

fn pmod(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let mut it = call.args.into_iter();
    let (x, y) = match (it.next(), it.next()) {
        (Some(x), Some(y)) => (x, y),
        _ => return Err(SparkError::runtime("pmod needs 2 arguments")),
    };
    let rem = crate::ops::arith::resolve_arith(BinaryOp::Modulo, x, y)?;
    let t = rem.data_type.clone();
    let (l, r) = match &rem.node {
        crate::physical::Node::Kernel { args, .. } if args.len() == 2 => (args[0].clone(), args[1].clone()),
        _ => return Err(SparkError::runtime("pmod: unexpected operands")),
    };
    Ok(make(sql, t.clone(), true, vec![l, r], move |a, _, _| {
        let (x, y) = (arg(a, 0)?, arg(a, 1)?);
        match &t {
            t if is_integral(t) => {
                let (p, q) = (to_i64(x)?, to_i64(y)?);
                let out = binary_opt::<arrow::datatypes::Int64Type, arrow::datatypes::Int64Type, _>(&p, &q, |a, b| {
                    if b == 0 {
                        None
                    } else {
                        let r = a.wrapping_rem(b);
                        Some(if r < 0 { (r.wrapping_add(b)).wrapping_rem(b) } else { r })
                    }
                });
                cast_array(&(Arc::new(out) as ArrayRef), t)
            }
            DataType::Decimal128(..) => {
                Err(SparkError::unsupported("pmod on decimals is not supported by StreamLab yet"))
            }
            t => {
                let (p, q) = (to_f64(x)?, to_f64(y)?);
                let out = binary_opt::<Float64Type, Float64Type, _>(&p, &q, |a, b| {
                    if b == 0.0 {
                        None
                    } else {
                        let r = a % b;
                        Some(if r < 0.0 { (r + b) % b } else { r })
                    }
                });
                cast_array(&(Arc::new(out) as ArrayRef), t)
            }
        }
    }))
}

fn constant(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[0])?;
    let v = if call.name == "e" { std::f64::consts::E } else { std::f64::consts::PI };
    let sql = format!("{}()", call.name.to_uppercase());
    Ok(make(sql, DataType::Float64, false, vec![], move |_, _, rows| Ok(Arc::new(Float64Array::from(vec![v; rows])) as ArrayRef)))
}
