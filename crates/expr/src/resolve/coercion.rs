//! Spark's (non-ANSI) `TypeCoercion`: common types of operands and implicit casts of
//! arguments. Implicit casts are invisible in column names.

use std::sync::Arc;

use arrow::datatypes::DataType;
use streamlab_types::{Result, SparkError};

use crate::cast::{can_cast, cast_array, force_nullable};
use crate::decimal;
use crate::literal::Literal;
use crate::physical::{Node, PhysicalExpr};
use crate::types::{self, is_floating, is_integral, is_numeric, is_string, numeric_rank, same_type, sql_name};

/// `TypeCoercion.findTightestCommonType`: widening without loss.
pub(crate) fn tightest(a: &DataType, b: &DataType) -> Option<DataType> {
    if same_type(a, b) {
        return Some(a.clone());
    }
    match (a, b) {
        (DataType::Null, t) | (t, DataType::Null) => Some(t.clone()),
        (i, DataType::Decimal128(p, s)) | (DataType::Decimal128(p, s), i) if is_integral(i) => {
            let (ip, is) = decimal::for_integral(i)?;
            // isWiderThan: enough integer digits and scale
            if i32::from(*p) - i32::from(*s) >= i32::from(ip) - i32::from(is) && *s >= is {
                Some(DataType::Decimal128(*p, *s))
            } else {
                None
            }
        }
        (x, y) if numeric_rank(x).is_some() && numeric_rank(y).is_some() => {
            if numeric_rank(x) >= numeric_rank(y) {
                Some(x.clone())
            } else {
                Some(y.clone())
            }
        }
        (DataType::Timestamp(..), DataType::Date32) | (DataType::Date32, DataType::Timestamp(..)) => {
            Some(types::timestamp_type())
        }
        (DataType::List(x), DataType::List(y)) => tightest(x.data_type(), y.data_type()).map(types::array_type),
        _ => None,
    }
}

fn wider_decimal(a: &DataType, b: &DataType) -> Option<DataType> {
    match (a, b) {
        (DataType::Decimal128(p1, s1), DataType::Decimal128(p2, s2)) => {
            let (p, s) = decimal::wider((*p1, *s1), (*p2, *s2));
            Some(DataType::Decimal128(p, s))
        }
        (i, DataType::Decimal128(p, s)) | (DataType::Decimal128(p, s), i) if is_integral(i) => {
            let (p, s) = decimal::wider(decimal::for_integral(i)?, (*p, *s));
            Some(DataType::Decimal128(p, s))
        }
        (f, DataType::Decimal128(..)) | (DataType::Decimal128(..), f) if is_floating(f) => Some(DataType::Float64),
        _ => None,
    }
}

fn string_promotion(a: &DataType, b: &DataType) -> Option<DataType> {
    let promotable = |t: &DataType| types::is_atomic(t) && !matches!(t, DataType::Binary | DataType::Boolean);
    if (is_string(a) && promotable(b)) || (is_string(b) && promotable(a)) {
        Some(DataType::Utf8)
    } else {
        None
    }
}

/// `findWiderTypeForTwo`: tightest, then decimal widening, then promotion to string.
pub(crate) fn wider_for_two(a: &DataType, b: &DataType) -> Option<DataType> {
    tightest(a, b).or_else(|| wider_decimal(a, b)).or_else(|| string_promotion(a, b)).or_else(|| match (a, b) {
        (DataType::List(x), DataType::List(y)) => wider_for_two(x.data_type(), y.data_type()).map(types::array_type),
        _ => None,
    })
}

/// `findWiderCommonType`: string types first, so `(timestamp, int, string)` gives `string`.
pub(crate) fn wider_common(types_in: &[DataType]) -> Option<DataType> {
    let mut strings: Vec<DataType> = Vec::new();
    let mut others: Vec<DataType> = Vec::new();
    for t in types_in {
        if is_string(t) {
            if !strings.contains(t) {
                strings.push(t.clone());
            }
        } else {
            others.push(t.clone());
        }
    }
    strings.into_iter().chain(others).try_fold(DataType::Null, |acc, t| wider_for_two(&acc, &t))
}

/// `findWiderTypeWithoutStringPromotion` (greatest/least).
pub(crate) fn wider_without_string(types_in: &[DataType]) -> Option<DataType> {
    types_in.iter().try_fold(DataType::Null, |acc, t| tightest(&acc, t).or_else(|| wider_decimal(&acc, t)))
}

/// `findCommonTypeForBinaryComparison`: how a string meets a non-string in a comparison.
pub(crate) fn comparison_type(a: &DataType, b: &DataType) -> Option<DataType> {
    match (a, b) {
        (s, DataType::Date32) | (DataType::Date32, s) if is_string(s) => Some(DataType::Date32),
        (s, t @ DataType::Timestamp(..)) | (t @ DataType::Timestamp(..), s) if is_string(s) => Some(t.clone()),
        (s, DataType::Null) | (DataType::Null, s) if is_string(s) => Some(DataType::Utf8),
        (t @ DataType::Timestamp(..), DataType::Date32) | (DataType::Date32, t @ DataType::Timestamp(..)) => {
            Some(t.clone())
        }
        (DataType::Decimal128(..), s) | (s, DataType::Decimal128(..)) if is_string(s) => Some(DataType::Float64),
        (s, r) if is_string(s) && types::is_atomic(r) && !is_string(r) => Some(r.clone()),
        (l, s) if is_string(s) && types::is_atomic(l) && !is_string(l) => Some(l.clone()),
        _ => None,
    }
}

/// An argument type a function expects (`AbstractDataType`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expected {
    /// Exactly this type.
    Type(DataType),
    /// Any numeric type (strings become double).
    Numeric,
    /// Any integral type.
    Integral,
    /// Any type at all.
    Any,
    /// The first of these the input can be cast to.
    AnyOf(Vec<Expected>),
}

impl Expected {
    fn accepts(&self, t: &DataType) -> bool {
        match self {
            Expected::Type(x) => same_type(x, t),
            Expected::Numeric => is_numeric(t),
            Expected::Integral => is_integral(t),
            Expected::Any => true,
            Expected::AnyOf(v) => v.iter().any(|e| e.accepts(t)),
        }
    }

    fn default_type(&self) -> DataType {
        match self {
            Expected::Type(x) => x.clone(),
            Expected::Numeric => DataType::Float64,
            Expected::Integral => DataType::Int64,
            Expected::Any => DataType::Null,
            Expected::AnyOf(v) => v.first().map(|e| e.default_type()).unwrap_or(DataType::Null),
        }
    }

    /// The name in `DATATYPE_MISMATCH` messages: `"DATE"`, `("NUMERIC" or "STRING")`.
    pub fn describe(&self) -> String {
        match self {
            Expected::Type(t) => format!("\"{}\"", sql_name(t)),
            Expected::Numeric => "\"NUMERIC\"".into(),
            Expected::Integral => "\"INTEGRAL\"".into(),
            Expected::Any => "\"ANY\"".into(),
            Expected::AnyOf(v) => format!("({})", v.iter().map(|e| e.describe()).collect::<Vec<_>>().join(" or ")),
        }
    }
}

/// `ImplicitTypeCasts.implicitCast`: the type an input of type `from` is cast to for `expected`,
/// or `None` when it cannot be.
pub(crate) fn implicit_cast_type(from: &DataType, expected: &Expected) -> Option<DataType> {
    if expected.accepts(from) {
        return Some(from.clone());
    }
    if *from == DataType::Null {
        return Some(expected.default_type());
    }
    match expected {
        Expected::Numeric if is_string(from) => Some(DataType::Float64),
        Expected::Integral if is_string(from) => Some(DataType::Int64),
        Expected::Integral if is_numeric(from) => Some(DataType::Int64),
        Expected::Numeric if is_numeric(from) => Some(from.clone()),
        Expected::Type(t) if is_numeric(from) && is_numeric(t) => Some(t.clone()),
        Expected::Type(DataType::Timestamp(..)) if *from == DataType::Date32 => Some(types::timestamp_type()),
        Expected::Type(DataType::Date32) if types::is_timestamp(from) => Some(DataType::Date32),
        Expected::Type(t) if is_string(from) && (is_numeric(t) || matches!(t, DataType::Date32 | DataType::Timestamp(..) | DataType::Binary)) => {
            Some(t.clone())
        }
        Expected::Type(t) if is_string(t) && types::is_atomic(from) => Some(DataType::Utf8),
        Expected::AnyOf(v) => v.iter().find_map(|e| implicit_cast_type(from, e)),
        _ => None,
    }
}

/// Turns a one-row array back into a literal (for folding casts of constants).
fn literal_from_array(arr: &arrow::array::ArrayRef) -> Option<Literal> {
    use arrow::array::{Array, AsArray};
    use arrow::datatypes::*;
    if arr.len() != 1 {
        return None;
    }
    if arr.is_null(0) {
        return None;
    }
    Some(match arr.data_type() {
        DataType::Boolean => Literal::Boolean(arr.as_boolean().value(0)),
        DataType::Int8 => Literal::Byte(arr.as_primitive::<Int8Type>().value(0)),
        DataType::Int16 => Literal::Short(arr.as_primitive::<Int16Type>().value(0)),
        DataType::Int32 => Literal::Int(arr.as_primitive::<Int32Type>().value(0)),
        DataType::Int64 => Literal::Long(arr.as_primitive::<Int64Type>().value(0)),
        DataType::Float32 => Literal::Float(arr.as_primitive::<Float32Type>().value(0)),
        DataType::Float64 => Literal::Double(arr.as_primitive::<Float64Type>().value(0)),
        DataType::Decimal128(p, s) => Literal::Decimal(arr.as_primitive::<Decimal128Type>().value(0), *p, *s),
        DataType::Utf8 => Literal::String(arr.as_string::<i32>().value(0).to_string()),
        DataType::Date32 => Literal::Date(arr.as_primitive::<Date32Type>().value(0)),
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            Literal::Timestamp(arr.as_primitive::<TimestampMicrosecondType>().value(0))
        }
        _ => return None,
    })
}

fn cast_node(child: PhysicalExpr, to: &DataType) -> Node {
    if let Node::Literal(_, arr) = &child.node {
        if let Ok(out) = cast_array(arr, to) {
            if let Some(l) = literal_from_array(&out) {
                return Node::Literal(l, out);
            }
            if out.is_null(0) {
                return Node::Literal(Literal::Null, out);
            }
        }
    }
    let to = to.clone();
    Node::Kernel {
        args: vec![child],
        kernel: Arc::new(move |args, _, _| match args.first() {
            Some(a) => cast_array(a, &to),
            None => Err(SparkError::runtime("cast without input")),
        }),
    }
}

use arrow::array::Array;

/// An implicit cast (inserted by coercion): same name and text as its input.
pub(crate) fn cast_implicit(e: PhysicalExpr, to: &DataType) -> PhysicalExpr {
    if e.data_type == *to {
        return e;
    }
    let nullable = e.nullable || force_nullable(&e.data_type, to);
    let (name, sql, keeps) = (e.name.clone(), e.sql.clone(), e.keeps_name_under_cast);
    let node = cast_node(e, to);
    PhysicalExpr { name, sql, data_type: to.clone(), nullable, keeps_name_under_cast: keeps, node }
}

/// A user cast (`CAST(x AS T)`, `Column.cast`): shows in names as `CAST(x AS T)`, except that a
/// cast of a column or alias keeps that name (`Column.named`).
pub(crate) fn cast_user(e: PhysicalExpr, to: &DataType) -> Result<PhysicalExpr> {
    let sql = format!("CAST({} AS {})", e.sql, sql_name(to));
    if !can_cast(&e.data_type, to) {
        return Err(SparkError::analysis(format!(
            "Cannot resolve \"{}\" due to data type mismatch: cannot cast \"{}\" to \"{}\".",
            sql,
            sql_name(&e.data_type),
            sql_name(to)
        ))
        .with_class("DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION"));
    }
    let keeps = e.keeps_name_under_cast;
    let name = if keeps { e.name.clone() } else { sql.clone() };
    let nullable = e.nullable || force_nullable(&e.data_type, to);
    let node = if same_type(&e.data_type, to) && e.data_type == *to { cast_node_identity(e) } else { cast_node(e, to) };
    Ok(PhysicalExpr { name, sql, data_type: to.clone(), nullable, keeps_name_under_cast: keeps, node })
}

fn cast_node_identity(e: PhysicalExpr) -> Node {
    match &e.node {
        Node::Literal(..) => e.node.clone(),
        _ => Node::Kernel {
            args: vec![e],
            kernel: Arc::new(|args, _, _| args.first().cloned().ok_or_else(|| SparkError::runtime("cast without input"))),
        },
    }
}

/// `DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE` for parameter `index` (1-based) of `expr_sql`.
pub(crate) fn unexpected_input(expr_sql: &str, index: usize, expected: &Expected, arg: &PhysicalExpr) -> SparkError {
    SparkError::analysis(format!(
        "Cannot resolve \"{}\" due to data type mismatch: Parameter {} requires the {} type, however \"{}\" has the type \"{}\".",
        expr_sql,
        index,
        expected.describe(),
        arg.sql,
        sql_name(&arg.data_type)
    ))
    .with_class("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE")
}

/// Casts `arg` to what `expected` needs (`ImplicitCastInputTypes`), or fails with Spark's
/// `UNEXPECTED_INPUT_TYPE` text naming `expr_sql`.
pub(crate) fn coerce_arg(arg: PhysicalExpr, expected: &Expected, index: usize, expr_sql: &str) -> Result<PhysicalExpr> {
    match implicit_cast_type(&arg.data_type, expected) {
        Some(t) => Ok(cast_implicit(arg, &t)),
        None => Err(unexpected_input(expr_sql, index, expected, &arg)),
    }
}

/// `DATATYPE_MISMATCH.DATA_DIFF_TYPES` for functions whose inputs must share a type.
pub(crate) fn data_diff_types(expr_sql: &str, fn_name: &str, args: &[&PhysicalExpr]) -> SparkError {
    let names: Vec<String> = args.iter().map(|a| format!("\"{}\"", sql_name(&a.data_type))).collect();
    // type-merging expressions like coalesce list the types as `("A" or "B")`
    let list = if fn_name == "coalesce" { format!("({})", names.join(" or ")) } else { format!("[{}]", names.join(", ")) };
    SparkError::analysis(format!(
        "Cannot resolve \"{}\" due to data type mismatch: Input to `{}` should all be the same type, but it's {}.",
        expr_sql, fn_name, list
    ))
    .with_class("DATATYPE_MISMATCH.DATA_DIFF_TYPES")
}
