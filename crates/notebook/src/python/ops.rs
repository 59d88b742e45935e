//! Operators with Python's semantics on plain values; on a `Column` they build Spark
//! expressions instead (`col("a") + 1`, `col("x") > 0`).

use std::cmp::Ordering;

use ruff_python_ast::{CmpOp, Operator, UnaryOp};

use super::error::{type_error, PyErr, PyResult};
use super::format::percent_format;
use super::spark::{column, Spark};
use super::value::{values_equal, Value};
use super::Interpreter;

fn operator_symbol(op: Operator) -> &'static str {
    match op {
        Operator::Add => "+",
        Operator::Sub => "-",
        Operator::Mult => "*",
        Operator::MatMult => "@",
        Operator::Div => "/",
        Operator::Mod => "%",
        Operator::Pow => "** or pow()",
        Operator::LShift => "<<",
        Operator::RShift => ">>",
        Operator::BitOr => "|",
        Operator::BitXor => "^",
        Operator::BitAnd => "&",
        Operator::FloorDiv => "//",
    }
}

fn overflow() -> PyErr {
    PyErr::new("OverflowError", "integer result does not fit in 64 bits")
}

fn zero_division(message: &str) -> PyErr {
    PyErr::new("ZeroDivisionError", message)
}

fn unsupported(op: Operator, a: &Value, b: &Value) -> PyErr {
    if op == Operator::Add && matches!(a, Value::Str(_)) {
        return type_error(format!("can only concatenate str (not \"{}\") to str", b.type_name()));
    }
    if op == Operator::Add && matches!(a, Value::List(_)) {
        return type_error(format!("can only concatenate list (not \"{}\") to list", b.type_name()));
    }
    type_error(format!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        operator_symbol(op),
        a.type_name(),
        b.type_name()
    ))
}

fn is_number(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Bool(_) | Value::Float(_))
}

fn int_op(op: Operator, x: i64, y: i64) -> PyResult<Value> {
    let v = match op {
        Operator::Add => x.checked_add(y).ok_or_else(overflow)?,
        Operator::Sub => x.checked_sub(y).ok_or_else(overflow)?,
        Operator::Mult => x.checked_mul(y).ok_or_else(overflow)?,
        Operator::Div => {
            if y == 0 {
                return Err(zero_division("division by zero"));
            }
            return Ok(Value::Float(x as f64 / y as f64));
        }
        Operator::FloorDiv => {
            if y == 0 {
                return Err(zero_division("integer division or modulo by zero"));
            }
            let q = x.checked_div(y).ok_or_else(overflow)?;
            if x % y != 0 && ((x < 0) != (y < 0)) { q - 1 } else { q }
        }
        Operator::Mod => {
            if y == 0 {
                return Err(zero_division("integer modulo by zero"));
            }
            let r = x.checked_rem(y).ok_or_else(overflow)?;
            if r != 0 && ((r < 0) != (y < 0)) { r + y } else { r }
        }
        Operator::Pow => {
            if y < 0 {
                return Ok(Value::Float((x as f64).powf(y as f64)));
            }
            let e = u32::try_from(y).map_err(|_| overflow())?;
            x.checked_pow(e).ok_or_else(overflow)?
        }
        Operator::BitAnd => x & y,
        Operator::BitOr => x | y,
        Operator::BitXor => x ^ y,
        Operator::LShift => {
            let s = u32::try_from(y).map_err(|_| PyErr::new("ValueError", "negative shift count"))?;
            x.checked_shl(s).filter(|v| v >> s == x).ok_or_else(overflow)?
        }
        Operator::RShift => {
            let s = u32::try_from(y).map_err(|_| PyErr::new("ValueError", "negative shift count"))?;
            x >> s.min(63)
        }
        Operator::MatMult => return Err(unsupported(op, &Value::Int(x), &Value::Int(y))),
    };
    Ok(Value::Int(v))
}

fn float_op(op: Operator, x: f64, y: f64, a: &Value, b: &Value) -> PyResult<Value> {
    let v = match op {
        Operator::Add => x + y,
        Operator::Sub => x - y,
        Operator::Mult => x * y,
        Operator::Div => {
            if y == 0.0 {
                return Err(zero_division("float division by zero"));
            }
            x / y
        }
        Operator::FloorDiv => {
            if y == 0.0 {
                return Err(zero_division("float floor division by zero"));
            }
            (x / y).floor()
        }
        Operator::Mod => {
            if y == 0.0 {
                return Err(zero_division("float modulo"));
            }
            let r = x % y;
            if r != 0.0 && ((r < 0.0) != (y < 0.0)) { r + y } else { r }
        }
        Operator::Pow => x.powf(y),
        _ => return Err(unsupported(op, a, b)),
    };
    Ok(Value::Float(v))
}

fn repeat(items: &[Value], n: i64) -> PyResult<Vec<Value>> {
    let n = usize::try_from(n).unwrap_or(0);
    if items.len().saturating_mul(n) > super::builtins::MAX_ITEMS {
        return Err(super::builtins::too_many());
    }
    let mut out = Vec::with_capacity(items.len() * n);
    for _ in 0..n {
        out.extend(items.iter().cloned());
    }
    Ok(out)
}

/// `a <op> b`.
pub fn binary(_py: &Interpreter, op: Operator, a: &Value, b: &Value) -> PyResult<Value> {
    if matches!(a, Value::Spark(Spark::Column(_))) || matches!(b, Value::Spark(Spark::Column(_))) {
        return column::binary(op, a, b);
    }
    match (a, b) {
        (Value::Int(_) | Value::Bool(_), Value::Int(_) | Value::Bool(_)) => {
            int_op(op, a.as_int().unwrap_or(0), b.as_int().unwrap_or(0))
        }
        _ if is_number(a) && is_number(b) => float_op(op, a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0), a, b),
        (Value::Str(x), Value::Str(y)) if op == Operator::Add => Ok(Value::str(format!("{x}{y}"))),
        (Value::Str(x), Value::Int(n)) | (Value::Int(n), Value::Str(x)) if op == Operator::Mult => {
            let n = usize::try_from(*n).unwrap_or(0);
            if x.len().saturating_mul(n) > super::builtins::MAX_ITEMS {
                return Err(super::builtins::too_many());
            }
            Ok(Value::str(x.repeat(n)))
        }
        (Value::Str(x), _) if op == Operator::Mod => Ok(Value::str(percent_format(x, b)?)),
        (Value::List(x), Value::List(y)) if op == Operator::Add => {
            let mut v = x.borrow().clone();
            v.extend(y.borrow().iter().cloned());
            Ok(Value::list(v))
        }
        (Value::List(x), Value::Int(n)) | (Value::Int(n), Value::List(x)) if op == Operator::Mult => {
            Ok(Value::list(repeat(&x.borrow(), *n)?))
        }
        (Value::Tuple(x), Value::Tuple(y)) if op == Operator::Add => {
            let mut v = x.as_ref().clone();
            v.extend(y.iter().cloned());
            Ok(Value::tuple(v))
        }
        (Value::Tuple(x), Value::Int(n)) if op == Operator::Mult => Ok(Value::tuple(repeat(x, *n)?)),
        (Value::Dict(x), Value::Dict(y)) if op == Operator::BitOr => {
            let mut d = x.borrow().clone();
            for (k, v) in y.borrow().entries() {
                d.insert(k.clone(), v.clone());
            }
            Ok(Value::Dict(std::rc::Rc::new(std::cell::RefCell::new(d))))
        }
        _ => Err(unsupported(op, a, b)),
    }
}

/// `-x`, `+x`, `~x` (`not` is handled by the evaluator, which knows truthiness).
pub fn unary(op: UnaryOp, v: &Value) -> PyResult<Value> {
    if let Value::Spark(Spark::Column(c)) = v {
        return column::unary(op, c);
    }
    let bad = |sym: &str| type_error(format!("bad operand type for unary {sym}: '{}'", v.type_name()));
    match (op, v) {
        (UnaryOp::USub, Value::Int(_) | Value::Bool(_)) => {
            Ok(Value::Int(v.as_int().unwrap_or(0).checked_neg().ok_or_else(overflow)?))
        }
        (UnaryOp::USub, Value::Float(f)) => Ok(Value::Float(-f)),
        (UnaryOp::UAdd, Value::Int(_) | Value::Bool(_)) => Ok(Value::Int(v.as_int().unwrap_or(0))),
        (UnaryOp::UAdd, Value::Float(f)) => Ok(Value::Float(*f)),
        (UnaryOp::Invert, Value::Int(_) | Value::Bool(_)) => Ok(Value::Int(!v.as_int().unwrap_or(0))),
        (UnaryOp::USub, _) => Err(bad("-")),
        (UnaryOp::UAdd, _) => Err(bad("+")),
        (UnaryOp::Invert, _) => Err(bad("~")),
        (UnaryOp::Not, _) => Ok(Value::Bool(!v.truthy())),
    }
}

/// Python's ordering of two values (`<` on numbers, strings, sequences, dates).
pub fn compare_values(a: &Value, b: &Value, symbol: &str) -> PyResult<Ordering> {
    let fail = || {
        type_error(format!(
            "'{symbol}' not supported between instances of '{}' and '{}'",
            a.type_name(),
            b.type_name()
        ))
    };
    match (a, b) {
        (Value::Int(_) | Value::Bool(_), Value::Int(_) | Value::Bool(_)) => Ok(a.as_int().cmp(&b.as_int())),
        _ if is_number(a) && is_number(b) => {
            a.as_f64().unwrap_or(0.0).partial_cmp(&b.as_f64().unwrap_or(0.0)).ok_or_else(fail)
        }
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        (Value::Datetime(x), Value::Datetime(y)) => Ok(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Ok(x.cmp(y)),
        (Value::List(x), Value::List(y)) => sequence_cmp(&x.borrow(), &y.borrow(), symbol),
        (Value::Tuple(x), Value::Tuple(y)) => sequence_cmp(x, y, symbol),
        (Value::Row(x), Value::Row(y)) => sequence_cmp(&x.values, &y.values, symbol),
        _ => Err(fail()),
    }
}

fn sequence_cmp(x: &[Value], y: &[Value], symbol: &str) -> PyResult<Ordering> {
    for (p, q) in x.iter().zip(y.iter()) {
        if !values_equal(p, q) {
            return compare_values(p, q, symbol);
        }
    }
    Ok(x.len().cmp(&y.len()))
}

/// Whether `item in container`.
pub fn contains(container: &Value, item: &Value) -> PyResult<bool> {
    match container {
        Value::Str(s) => match item {
            Value::Str(i) => Ok(s.contains(i.as_ref())),
            other => Err(type_error(format!("'in <string>' requires string as left operand, not {}", other.type_name()))),
        },
        Value::List(l) => Ok(l.borrow().iter().any(|v| values_equal(v, item))),
        Value::Tuple(t) => Ok(t.iter().any(|v| values_equal(v, item))),
        Value::Dict(d) => Ok(d.borrow().get(item).is_some()),
        Value::Row(r) => Ok(r.values.iter().any(|v| values_equal(v, item))),
        Value::Spark(s) => s.contains(item),
        other => Err(type_error(format!("argument of type '{}' is not iterable", other.type_name()))),
    }
}

fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::List(x), Value::List(y)) => std::rc::Rc::ptr_eq(x, y),
        (Value::Dict(x), Value::Dict(y)) => std::rc::Rc::ptr_eq(x, y),
        (Value::None | Value::Bool(_), _) | (_, Value::None | Value::Bool(_)) => false,
        _ => values_equal(a, b),
    }
}

/// `a <op> b` for comparison operators.
pub fn compare(_py: &Interpreter, op: CmpOp, a: &Value, b: &Value) -> PyResult<Value> {
    if matches!(op, CmpOp::Eq | CmpOp::NotEq | CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE)
        && (matches!(a, Value::Spark(Spark::Column(_))) || matches!(b, Value::Spark(Spark::Column(_))))
    {
        return column::compare(op, a, b);
    }
    let result = match op {
        CmpOp::Eq => values_equal(a, b),
        CmpOp::NotEq => !values_equal(a, b),
        CmpOp::Lt => compare_values(a, b, "<")? == Ordering::Less,
        CmpOp::LtE => compare_values(a, b, "<=")? != Ordering::Greater,
        CmpOp::Gt => compare_values(a, b, ">")? == Ordering::Greater,
        CmpOp::GtE => compare_values(a, b, ">=")? != Ordering::Less,
        CmpOp::In => contains(b, a)?,
        CmpOp::NotIn => !contains(b, a)?,
        CmpOp::Is => identical(a, b),
        CmpOp::IsNot => !identical(a, b),
    };
    Ok(Value::Bool(result))
}
