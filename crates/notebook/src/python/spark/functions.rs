//! `pyspark.sql.functions`: every SQL function the engine knows, as a column function, plus
//! those whose Python signature differs (`col`, `lit`, `expr`, `window`, `count`, `when`...).

use streamlab_expr::{parse_expression, Expr, Literal};

use super::column::{column_expr, literal, value_expr, Column};
use super::types::data_type_arg;
use super::Spark;
use crate::python::args::Args;
use crate::python::error::{type_error, PyResult};
use crate::python::value::Value;

/// Aggregate functions the engine runs, exposed beside the row functions.
const AGGREGATES: &[&str] = &[
    "count", "sum", "avg", "mean", "min", "max", "first", "last", "approx_count_distinct", "count_distinct",
    "countDistinct", "first_value", "last_value", "collect_list", "collect_set", "stddev", "variance",
];

/// Functions with a Python-side meaning of their own.
const SPECIAL: &[&str] = &["col", "column", "lit", "expr", "when", "asc", "desc", "broadcast"];

/// The module's attributes.
pub(crate) fn module_attrs() -> Vec<(String, Value)> {
    let mut names: Vec<&'static str> = streamlab_expr::function_names();
    names.extend(AGGREGATES);
    names.extend(SPECIAL);
    names.push("window");
    names.push("session_window");
    names.sort_unstable();
    names.dedup();
    names.into_iter().map(|n| (n.to_string(), Value::Spark(Spark::SqlFunction(n)))).collect()
}

/// Argument positions that are plain strings, not column names (`to_timestamp(col, fmt)`).
fn literal_positions(name: &str) -> &'static [usize] {
    match name {
        "to_timestamp" | "to_date" | "date_format" | "from_unixtime" | "unix_timestamp" | "to_unix_timestamp"
        | "split" | "regexp_extract" | "get_json_object" | "trunc" | "instr" | "substring_index"
        | "array_join" | "from_utc_timestamp" | "to_utc_timestamp" | "like" | "rlike" | "ilike" | "startswith"
        | "endswith" | "contains" | "regexp" | "regexp_like" | "repeat" | "left" | "right" => &[1],
        "regexp_replace" | "translate" | "lpad" | "rpad" | "replace" => &[1, 2],
        "concat_ws" | "format_string" | "date_trunc" | "locate" => &[0],
        "window" | "session_window" => &[1, 2, 3],
        "array_contains" | "element_at" => &[1],
        _ => &[],
    }
}

/// `F.name(*args)`.
pub(crate) fn call_function(name: &str, mut args: Args) -> PyResult<Value> {
    let first = args.positional.first().cloned();
    let e = match name {
        "col" | "column" => {
            let v = args.required(name, 0, "col")?;
            let Value::Str(s) = v else {
                return Err(crate::python::error::pyspark_error(
                    "PySparkTypeError",
                    "NOT_STR",
                    format!("Argument `col` should be a str, got {}.", v.type_name()),
                ));
            };
            Expr::col(&s)
        }
        "lit" => {
            let v = args.required(name, 0, "col")?;
            if let Value::Spark(Spark::Column(_)) = v {
                return Ok(v);
            }
            Expr::Literal(literal(&v)?)
        }
        "expr" => match args.required(name, 0, "str")? {
            Value::Str(s) => parse_expression(&s)?,
            other => return Err(type_error(format!("expr() expects a str, not {}", other.type_name()))),
        },
        "broadcast" => return args.required(name, 0, "df"),
        "asc" | "desc" => {
            let c = column_expr(&args.required(name, 0, "col")?)?;
            let col = Column { expr: c, order: Some((name == "asc", name == "asc")) };
            return Ok(Value::Spark(Spark::Column(std::rc::Rc::new(col))));
        }
        "when" => {
            let cond = value_expr(&args.required(name, 0, "condition")?)?;
            let value = value_expr(&args.required(name, 1, "value")?)?;
            Expr::case_when(cond, value)
        }
        "count" => match first {
            Some(Value::Str(s)) if s.as_ref() == "*" => Expr::call("count", vec![Expr::lit(1)]),
            Some(v) => Expr::call("count", vec![column_expr(&v)?]),
            None => return Err(type_error("count() missing 1 required positional argument: 'col'")),
        },
        "countDistinct" | "count_distinct" => {
            let cols = args.positional.iter().map(column_expr).collect::<PyResult<Vec<_>>>()?;
            Expr::call("count_distinct", cols)
        }
        "approx_count_distinct" => {
            let c = column_expr(&args.required(name, 0, "col")?)?;
            match args.take(1, "rsd") {
                Some(Value::None) | None => Expr::call(name, vec![c]),
                Some(rsd) => Expr::call(name, vec![c, value_expr(&rsd)?]),
            }
        }
        "first" | "last" => {
            let c = column_expr(&args.required(name, 0, "col")?)?;
            match args.take(1, "ignorenulls") {
                Some(Value::Bool(true)) => Expr::call(name, vec![c, Expr::lit(true)]),
                _ => Expr::call(name, vec![c]),
            }
        }
        "from_json" | "from_csv" => {
            let c = column_expr(&args.required(name, 0, "col")?)?;
            let schema = match args.required(name, 1, "schema")? {
                Value::Str(s) => Expr::lit(Literal::String(s.to_string())),
                other => Expr::Literal(Literal::DataType(data_type_arg(&other)?)),
            };
            Expr::call(name, vec![c, schema])
        }
        _ => {
            let literal_at = literal_positions(name);
            let mut exprs = Vec::with_capacity(args.positional.len());
            for (i, v) in args.positional.iter().enumerate() {
                exprs.push(match v {
                    Value::Str(_) if literal_at.contains(&i) => value_expr(v)?,
                    Value::Str(_) | Value::Spark(Spark::Column(_)) => column_expr(v)?,
                    other => value_expr(other)?,
                });
            }
            for (_, v) in &args.keywords {
                if !matches!(v, Value::None) {
                    exprs.push(value_expr(v)?);
                }
            }
            let sql_name = if name == "mean" { "avg" } else { name };
            Expr::call(sql_name, exprs)
        }
    };
    Ok(Column::value(e))
}
