//! `Column`: an unresolved engine expression (resolved when a DataFrame uses it), with
//! PySpark's operators, methods and `Column<'...'>` repr.

use std::rc::Rc;

use ruff_python_ast::{CmpOp, Operator, UnaryOp};
use streamlab_engine::sort::SortKey;
use streamlab_expr::{BinaryOp, Expr, Literal, UnaryOp as SqlUnary};

use super::types::data_type_arg;
use super::Spark;
use crate::python::args::Args;
use crate::python::error::{attribute_error, type_error, PyResult};
use crate::python::value::Value;

/// A Column, with the sort order `desc()`/`asc()` gave it.
#[derive(Debug, Clone)]
pub struct Column {
    /// The expression.
    pub expr: Expr,
    /// `Some((ascending, nulls_first))` after `asc()`/`desc()`.
    pub order: Option<(bool, bool)>,
}

/// The Column methods.
pub(crate) const METHODS: &[&str] = &[
    "alias", "name", "astype", "cast", "isNull", "isNotNull", "isin", "between", "like", "rlike", "ilike",
    "getField", "getItem", "desc", "asc", "desc_nulls_first", "desc_nulls_last", "asc_nulls_first",
    "asc_nulls_last", "contains", "startswith", "endswith", "eqNullSafe", "when", "otherwise", "substr",
];

impl Column {
    /// A Column value over `expr`.
    pub fn value(expr: Expr) -> Value {
        Value::Spark(Spark::Column(Rc::new(Column { expr, order: None })))
    }

    /// The sort key it stands for in `orderBy` (ascending unless `desc()` was called).
    pub fn sort_key(&self) -> SortKey {
        match self.order {
            Some((ascending, nulls_first)) => SortKey { expr: self.expr.clone(), ascending, nulls_first: Some(nulls_first) },
            None => SortKey::asc(self.expr.clone()),
        }
    }

    /// The text PySpark shows in `Column<'...'>` (Spark's unresolved expression string).
    pub fn sql(&self) -> String {
        let base = expr_sql(&self.expr);
        match self.order {
            Some((asc, nulls_first)) => format!(
                "{base} {} NULLS {}",
                if asc { "ASC" } else { "DESC" },
                if nulls_first { "FIRST" } else { "LAST" }
            ),
            None => base,
        }
    }
}

fn literal_sql(l: &Literal) -> String {
    match l {
        Literal::Null => "NULL".into(),
        Literal::Boolean(b) => b.to_string(),
        other => other.pretty(),
    }
}

/// Spark's string for an unresolved expression (`(a + 1)`, `count(1)`, `a AS b`).
fn expr_sql(e: &Expr) -> String {
    match e {
        Expr::Column(name) => name.clone(),
        Expr::Literal(l) => literal_sql(l),
        Expr::Alias(inner, name) => format!("{} AS {name}", expr_sql(inner)),
        Expr::Cast(inner, dt) => format!("CAST({} AS {})", expr_sql(inner), streamlab_types::ddl::sql_name(dt)),
        Expr::Binary { op, left, right } => format!("({} {} {})", expr_sql(left), op.symbol(), expr_sql(right)),
        Expr::Unary { op, expr } => match op {
            SqlUnary::Not => format!("(NOT {})", expr_sql(expr)),
            SqlUnary::Neg => format!("(- {})", expr_sql(expr)),
            SqlUnary::Plus => format!("(+ {})", expr_sql(expr)),
            SqlUnary::BitNot => format!("~{}", expr_sql(expr)),
            SqlUnary::IsNull => format!("({} IS NULL)", expr_sql(expr)),
            SqlUnary::IsNotNull => format!("({} IS NOT NULL)", expr_sql(expr)),
        },
        Expr::Function { name, args } => {
            format!("{name}({})", args.iter().map(expr_sql).collect::<Vec<_>>().join(", "))
        }
        Expr::CaseWhen { branches, otherwise } => {
            let mut s = "CASE".to_string();
            for (c, v) in branches {
                s.push_str(&format!(" WHEN {} THEN {}", expr_sql(c), expr_sql(v)));
            }
            if let Some(o) = otherwise {
                s.push_str(&format!(" ELSE {}", expr_sql(o)));
            }
            s + " END"
        }
        Expr::In { expr, list } => {
            format!("({} IN ({}))", expr_sql(expr), list.iter().map(expr_sql).collect::<Vec<_>>().join(", "))
        }
        Expr::Like { expr, pattern } => format!("{} LIKE {}", expr_sql(expr), expr_sql(pattern)),
        Expr::Field(inner, name) => format!("{}[{name}]", expr_sql(inner)),
        Expr::Item(inner, key) => format!("{}[{}]", expr_sql(inner), expr_sql(key)),
    }
}

/// A Python value as a Spark literal (`lit(value)`).
pub(crate) fn literal(v: &Value) -> PyResult<Literal> {
    Ok(match v {
        Value::None => Literal::Null,
        Value::Bool(b) => Literal::Boolean(*b),
        Value::Int(i) => match i32::try_from(*i) {
            Ok(small) => Literal::Int(small),
            Err(_) => Literal::Long(*i),
        },
        Value::Float(f) => Literal::Double(*f),
        Value::Str(s) => Literal::String(s.to_string()),
        Value::Datetime(us) => Literal::Timestamp(*us),
        Value::Date(d) => Literal::Date(*d),
        Value::Spark(Spark::DataType(dt)) => Literal::DataType(dt.clone()),
        other => {
            return Err(crate::python::error::pyspark_error(
                "PySparkTypeError",
                "UNSUPPORTED_LITERAL",
                format!("Unsupported Literal '{}'.", crate::python::repr::repr(other)),
            ))
        }
    })
}

/// A Column argument where strings are column names (`select("a")`, `F.upper("s")`).
pub(crate) fn column_expr(v: &Value) -> PyResult<Expr> {
    match v {
        Value::Spark(Spark::Column(c)) => Ok(c.expr.clone()),
        Value::Str(s) => Ok(Expr::col(s)),
        other => Err(crate::python::error::pyspark_error(
            "PySparkTypeError",
            "NOT_COLUMN_OR_STR",
            format!("Argument `col` should be a Column or str, got {}.", other.type_name()),
        )),
    }
}

/// A Column argument where plain values are literals (`col("a") + 1`, `when(c, "x")`).
pub(crate) fn value_expr(v: &Value) -> PyResult<Expr> {
    match v {
        Value::Spark(Spark::Column(c)) => Ok(c.expr.clone()),
        other => Ok(Expr::Literal(literal(other)?)),
    }
}

/// `a <op> b` where one side is a Column.
pub(crate) fn binary(op: Operator, a: &Value, b: &Value) -> PyResult<Value> {
    let (l, r) = (value_expr(a)?, value_expr(b)?);
    let e = match op {
        Operator::Add => l.add(r),
        Operator::Sub => l.sub(r),
        Operator::Mult => l.mul(r),
        Operator::Div => l.div(r),
        Operator::Mod => l.rem(r),
        Operator::Pow => Expr::call("power", vec![l, r]),
        Operator::BitAnd => l.and(r),
        Operator::BitOr => l.or(r),
        _ => {
            return Err(type_error(format!(
                "unsupported operand type(s) for this operator: '{}' and '{}'",
                a.type_name(),
                b.type_name()
            )))
        }
    };
    Ok(Column::value(e))
}

/// `-col`, `~col`.
pub(crate) fn unary(op: UnaryOp, c: &Column) -> PyResult<Value> {
    Ok(Column::value(match op {
        UnaryOp::USub => c.expr.clone().neg(),
        UnaryOp::Invert | UnaryOp::Not => c.expr.clone().not(),
        UnaryOp::UAdd => c.expr.clone(),
    }))
}

/// Comparisons with a Column on either side.
pub(crate) fn compare(op: CmpOp, a: &Value, b: &Value) -> PyResult<Value> {
    let (l, r) = (value_expr(a)?, value_expr(b)?);
    Ok(Column::value(match op {
        CmpOp::Eq => l.eq(r),
        CmpOp::NotEq => l.not_eq(r),
        CmpOp::Lt => l.lt(r),
        CmpOp::LtE => l.lt_eq(r),
        CmpOp::Gt => l.gt(r),
        _ => l.gt_eq(r),
    }))
}

/// `col[key]`: a struct field by name, else an array element or map value.
pub(crate) fn get_item(c: &Column, key: &Value) -> PyResult<Value> {
    Ok(Column::value(match key {
        Value::Str(name) => c.expr.clone().get_field(name),
        other => c.expr.clone().get_item(value_expr(other)?),
    }))
}

fn with_order(c: &Column, ascending: bool, nulls_first: bool) -> Value {
    Value::Spark(Spark::Column(Rc::new(Column { expr: c.expr.clone(), order: Some((ascending, nulls_first)) })))
}

fn arg(args: &mut Args, method: &str, index: usize, name: &str) -> PyResult<Value> {
    args.required(method, index, name)
}

/// `col.name(args)`.
pub(crate) fn call(c: &Rc<Column>, name: &str, mut args: Args) -> PyResult<Value> {
    let e = c.expr.clone();
    let result = match name {
        "alias" | "name" => {
            let alias = arg(&mut args, name, 0, "alias")?;
            let Value::Str(alias) = alias else {
                return Err(type_error(format!("alias must be a string, not {}", alias.type_name())));
            };
            e.alias(&alias)
        }
        "cast" | "astype" => e.cast(data_type_arg(&arg(&mut args, name, 0, "dataType")?)?),
        "isNull" => e.is_null(),
        "isNotNull" => e.is_not_null(),
        "isin" => {
            let values = args.flat_positional();
            e.isin(values.iter().map(value_expr).collect::<PyResult<Vec<_>>>()?)
        }
        "between" => {
            let low = value_expr(&arg(&mut args, name, 0, "lowerBound")?)?;
            let high = value_expr(&arg(&mut args, name, 1, "upperBound")?)?;
            e.between(low, high)
        }
        "like" => e.like(value_expr(&arg(&mut args, name, 0, "other")?)?),
        "rlike" | "ilike" | "contains" | "startswith" | "endswith" => {
            Expr::call(name, vec![e, value_expr(&arg(&mut args, name, 0, "other")?)?])
        }
        "getField" => match arg(&mut args, name, 0, "name")? {
            Value::Str(field) => e.get_field(&field),
            other => return Err(type_error(format!("getField expects a str, not {}", other.type_name()))),
        },
        "getItem" => e.get_item(value_expr(&arg(&mut args, name, 0, "key")?)?),
        "eqNullSafe" => Expr::Binary {
            op: BinaryOp::EqNullSafe,
            left: Box::new(e),
            right: Box::new(value_expr(&arg(&mut args, name, 0, "other")?)?),
        },
        "when" => {
            let cond = value_expr(&arg(&mut args, name, 0, "condition")?)?;
            let value = value_expr(&arg(&mut args, name, 1, "value")?)?;
            if !matches!(e, Expr::CaseWhen { otherwise: None, .. }) {
                return Err(crate::python::error::pyspark_error(
                    "PySparkValueError",
                    "INVALID_WHEN_USAGE",
                    "when() can only be applied on a Column previously generated by when() function, and cannot be applied once otherwise() is applied.",
                ));
            }
            e.when(cond, value)
        }
        "otherwise" => {
            let value = value_expr(&arg(&mut args, name, 0, "value")?)?;
            if !matches!(e, Expr::CaseWhen { otherwise: None, .. }) {
                return Err(crate::python::error::pyspark_error(
                    "PySparkValueError",
                    "INVALID_OTHERWISE_USAGE",
                    "otherwise() can only be applied on a Column previously generated by when(), and cannot be applied once otherwise() is applied.",
                ));
            }
            e.otherwise(value)
        }
        "substr" => {
            let pos = value_expr(&arg(&mut args, name, 0, "startPos")?)?;
            let len = value_expr(&arg(&mut args, name, 1, "length")?)?;
            Expr::call("substring", vec![e, pos, len])
        }
        "desc" => return Ok(with_order(c, false, false)),
        "asc" => return Ok(with_order(c, true, true)),
        "desc_nulls_first" => return Ok(with_order(c, false, true)),
        "desc_nulls_last" => return Ok(with_order(c, false, false)),
        "asc_nulls_first" => return Ok(with_order(c, true, true)),
        "asc_nulls_last" => return Ok(with_order(c, true, false)),
        _ => return Err(attribute_error("Column", name)),
    };
    Ok(Column::value(result))
}
