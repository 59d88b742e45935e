//! `DataFrame` and `GroupedData` methods, `df.col` / `df["col"]` access, and `display()`.

use std::cell::RefCell;
use std::rc::Rc;

use streamlab_engine::join::JoinCondition;
use streamlab_engine::DataFrame;
use streamlab_expr::Expr;
use streamlab_types::show::cell_to_string;

use super::column::{column_expr, Column};
use super::rows::batch_rows;
use super::writer::WriterState;
use super::Spark;
use crate::output::{CellOutput, TableOutput};
use crate::python::args::Args;
use crate::python::error::{attribute_error, not_supported, type_error, PyResult};
use crate::python::repr::to_str;
use crate::python::value::Value;
use crate::python::Interpreter;

pub(crate) const METHODS: &[&str] = &[
    "select", "selectExpr", "withColumn", "withColumns", "withColumnRenamed", "drop", "filter", "where", "groupBy",
    "groupby", "agg", "withWatermark", "dropDuplicates", "drop_duplicates", "distinct", "join", "orderBy", "sort",
    "limit", "alias", "show", "printSchema", "explain", "collect", "count", "first", "head", "take", "toPandas",
    "createOrReplaceTempView", "createTempView", "cache", "persist", "unpersist",
];
pub(crate) const GROUPED_METHODS: &[&str] = &["agg", "count", "sum", "avg", "mean", "min", "max"];

/// How many rows `display()` of a static DataFrame keeps (Databricks shows 1000 too).
const DISPLAY_ROWS: usize = 1000;

/// `df.groupBy(...)`, waiting for its aggregates.
pub struct Grouped {
    df: DataFrame,
    keys: Vec<Expr>,
    key_names: Vec<String>,
}

impl Grouped {
    /// PySpark's `GroupedData[grouping expressions: [...], value: [...], type: GroupBy]`.
    pub fn repr(&self) -> String {
        let fields: Vec<String> = self.df.schema_text().split(", ").map(str::to_string).collect();
        let value = if fields.len() > 2 {
            format!("{} ... {} more fields", fields[..2].join(", "), fields.len() - 2)
        } else {
            fields.join(", ")
        };
        format!("GroupedData[grouping expressions: [{}], value: [{value}], type: GroupBy]", self.key_names.join(", "))
    }
}

fn df_value(df: DataFrame) -> Value {
    Value::Spark(Spark::DataFrame(df))
}

/// Properties of a DataFrame.
pub(crate) fn attr(df: &DataFrame, name: &str) -> PyResult<Option<Value>> {
    Ok(Some(match name {
        "columns" => Value::list(df.columns().into_iter().map(Value::str).collect()),
        "schema" => Value::Spark(Spark::DataType(arrow::datatypes::DataType::Struct(df.schema().fields().clone()))),
        "dtypes" => Value::list(
            df.schema()
                .fields()
                .iter()
                .map(|f| Value::tuple(vec![Value::str(f.name()), Value::str(streamlab_types::ddl::simple_string(f.data_type()))]))
                .collect(),
        ),
        "isStreaming" => Value::Bool(df.is_streaming()),
        "writeStream" => {
            df.write_stream()?;
            Value::Spark(Spark::Writer(Rc::new(RefCell::new(WriterState::new(df.clone())))))
        }
        "write" => {
            df.check_batch_write()?;
            return Err(not_supported("StreamLab does not support batch writes (df.write): use writeStream"));
        }
        "sparkSession" => Value::Spark(Spark::Session(df.session().clone())),
        _ => return Ok(None),
    }))
}

/// Column arguments: names, Columns, or one list of them.
fn columns(args: &Args) -> PyResult<Vec<Expr>> {
    args.flat_positional().iter().map(column_expr).collect()
}

fn str_list(values: &[Value], what: &str) -> PyResult<Vec<String>> {
    values
        .iter()
        .map(|v| match v {
            Value::Str(s) => Ok(s.to_string()),
            other => Err(type_error(format!("{what} should be a str, got {}", other.type_name()))),
        })
        .collect()
}

fn int_arg(v: &Value, name: &str) -> PyResult<usize> {
    v.as_int()
        .and_then(|i| usize::try_from(i).ok())
        .ok_or_else(|| type_error(format!("Argument `{name}` should be a non-negative int, got {}.", v.type_name())))
}

fn sort_keys(args: &mut Args) -> PyResult<Vec<streamlab_engine::sort::SortKey>> {
    let ascending = args.keyword("ascending");
    let mut keys = Vec::new();
    for v in args.flat_positional() {
        keys.push(match &v {
            Value::Spark(Spark::Column(c)) => c.sort_key(),
            other => streamlab_engine::sort::SortKey::asc(column_expr(other)?),
        });
    }
    let flags: Option<Vec<bool>> = match ascending {
        None => None,
        Some(Value::Bool(b)) => Some(vec![b; keys.len()]),
        Some(Value::Int(i)) => Some(vec![i != 0; keys.len()]),
        Some(Value::List(l)) => Some(l.borrow().iter().map(Value::truthy).collect()),
        Some(other) => return Err(type_error(format!("ascending can only be boolean or list, but got {}", other.type_name()))),
    };
    if let Some(flags) = flags {
        for (k, asc) in keys.iter_mut().zip(flags) {
            k.ascending = asc;
            k.nulls_first = Some(asc);
        }
    }
    Ok(keys)
}

fn show(py: &Interpreter, df: &DataFrame, mut args: Args) -> PyResult<Value> {
    let n = match args.take(0, "n") {
        None => 20,
        Some(v) => int_arg(&v, "n")?,
    };
    let truncate = match args.take(1, "truncate") {
        None | Some(Value::Bool(true)) => 20,
        Some(Value::Bool(false)) => 0,
        Some(v) => int_arg(&v, "truncate")?,
    };
    let vertical = args.take(2, "vertical").is_some_and(|v| v.truthy());
    args.finish("show", 3)?;
    py.print(df.show_string(n, truncate, vertical)? + "\n");
    Ok(Value::None)
}

fn rows(df: &DataFrame, limit: Option<usize>) -> PyResult<Vec<Value>> {
    let df = match limit {
        Some(n) => df.limit(n)?,
        None => df.clone(),
    };
    batch_rows(&df.collect()?)
}

/// `df.name(args)`.
pub(crate) fn call(py: &Interpreter, df: &DataFrame, name: &str, mut args: Args) -> PyResult<Value> {
    let out = match name {
        "select" => df.select(columns(&args)?)?,
        "selectExpr" => {
            let exprs = str_list(&args.flat_positional(), "expr")?;
            df.select_expr(&exprs.iter().map(String::as_str).collect::<Vec<_>>())?
        }
        "withColumn" => {
            let col_name = to_str(&args.required(name, 0, "colName")?);
            let col = args.required(name, 1, "col")?;
            let Value::Spark(Spark::Column(c)) = col else {
                return Err(crate::python::error::pyspark_error(
                    "PySparkTypeError",
                    "NOT_COLUMN",
                    format!("Argument `col` should be a Column, got {}.", col.type_name()),
                ));
            };
            df.with_column(&col_name, c.expr.clone())?
        }
        "withColumns" => {
            let Some(Value::Dict(map)) = args.positional.first().cloned() else {
                return Err(type_error("withColumns() expects a dict of column names to Columns"));
            };
            let mut out = df.clone();
            for (k, v) in map.borrow().entries() {
                out = out.with_column(&to_str(k), column_expr(v)?)?;
            }
            out
        }
        "withColumnRenamed" => {
            let existing = to_str(&args.required(name, 0, "existing")?);
            let new = to_str(&args.required(name, 1, "new")?);
            df.with_column_renamed(&existing, &new)?
        }
        "drop" => {
            let mut out = df.clone();
            for v in &args.positional {
                out = match v {
                    Value::Str(s) => out.drop(&[s.as_ref()])?,
                    Value::Spark(Spark::Column(c)) => out.drop_column(&c.expr)?,
                    other => return Err(type_error(format!("drop() expects column names or Columns, got {}", other.type_name()))),
                };
            }
            out
        }
        "filter" | "where" => match args.required(name, 0, "condition")? {
            Value::Str(s) => df.filter_sql(&s)?,
            Value::Spark(Spark::Column(c)) => df.filter(c.expr.clone())?,
            other => {
                return Err(crate::python::error::pyspark_error(
                    "PySparkTypeError",
                    "NOT_COLUMN_OR_STR",
                    format!("Argument `condition` should be a Column or str, got {}.", other.type_name()),
                ))
            }
        },
        "groupBy" | "groupby" => {
            let keys = columns(&args)?;
            let key_names = keys.iter().map(|k| Column { expr: k.clone(), order: None }.sql()).collect();
            return Ok(Value::Spark(Spark::Grouped(Rc::new(Grouped { df: df.clone(), keys, key_names }))));
        }
        "agg" => {
            let grouped = Grouped { df: df.clone(), keys: Vec::new(), key_names: Vec::new() };
            return grouped_call(&Rc::new(grouped), "agg", args);
        }
        "withWatermark" => {
            let column = to_str(&args.required(name, 0, "eventTime")?);
            let delay = to_str(&args.required(name, 1, "delayThreshold")?);
            df.with_watermark(&column, &delay)?
        }
        "dropDuplicates" | "drop_duplicates" => match args.take(0, "subset") {
            None | Some(Value::None) => df.drop_duplicates(None)?,
            Some(v) => {
                let list = crate::python::eval::iterate_value(py, &v)?;
                let names = str_list(&list, "subset")?;
                df.drop_duplicates(Some(&names.iter().map(String::as_str).collect::<Vec<_>>()))?
            }
        },
        "distinct" => df.distinct()?,
        "join" => {
            let other = match args.required(name, 0, "other")? {
                Value::Spark(Spark::DataFrame(o)) => o,
                v => return Err(type_error(format!("join() expects a DataFrame, got {}", v.type_name()))),
            };
            let on = match args.take(1, "on") {
                Some(Value::Str(s)) => JoinCondition::Using(vec![s.to_string()]),
                Some(v @ (Value::List(_) | Value::Tuple(_))) => {
                    let items = crate::python::eval::iterate_value(py, &v)?;
                    if items.iter().all(|i| matches!(i, Value::Str(_))) {
                        JoinCondition::Using(str_list(&items, "on")?)
                    } else {
                        let mut exprs = items.iter().map(column_expr);
                        let first = exprs.next().transpose()?.unwrap_or(Expr::lit(true));
                        JoinCondition::Expr(exprs.try_fold(first, |acc, e| e.map(|e| acc.and(e)))?)
                    }
                }
                Some(Value::Spark(Spark::Column(c))) => JoinCondition::Expr(c.expr.clone()),
                None | Some(Value::None) => JoinCondition::Expr(Expr::lit(true)),
                Some(v) => return Err(type_error(format!("join() `on` should be a str, list or Column, got {}", v.type_name()))),
            };
            let how = match args.take(2, "how") {
                None | Some(Value::None) => "inner".to_string(),
                Some(v) => to_str(&v),
            };
            df.join(&other, on, &how)?
        }
        "orderBy" | "sort" => df.order_by(sort_keys(&mut args)?)?,
        "limit" => df.limit(int_arg(&args.required(name, 0, "num")?, "num")?)?,
        "alias" | "cache" | "persist" | "unpersist" => df.clone(),
        "show" => return show(py, df, args),
        "printSchema" => {
            py.print(df.print_schema() + "\n");
            return Ok(Value::None);
        }
        "explain" => {
            py.print(df.explain() + "\n");
            return Ok(Value::None);
        }
        "collect" => return Ok(Value::list(rows(df, None)?)),
        "count" => return Ok(Value::Int(df.count()? as i64)),
        "first" => return Ok(rows(df, Some(1))?.into_iter().next().unwrap_or(Value::None)),
        "head" => {
            return match args.take(0, "n") {
                None | Some(Value::None) => Ok(rows(df, Some(1))?.into_iter().next().unwrap_or(Value::None)),
                Some(n) => Ok(Value::list(rows(df, Some(int_arg(&n, "n")?))?)),
            }
        }
        "take" => return Ok(Value::list(rows(df, Some(int_arg(&args.required(name, 0, "num")?, "num")?))?)),
        "toPandas" => {
            return Err(not_supported(
                "StreamLab does not support toPandas(): pandas is not available here; use show(), collect() or display()",
            ))
        }
        "createOrReplaceTempView" | "createTempView" => {
            df.create_or_replace_temp_view(&to_str(&args.required(name, 0, "name")?));
            return Ok(Value::None);
        }
        _ => return Err(attribute_error("DataFrame", name)),
    };
    Ok(df_value(out))
}

/// `df["col"]` (resolved at once, as PySpark does), `df[condition]`, `df[["a", "b"]]`.
pub(crate) fn get_item(df: &DataFrame, key: &Value) -> PyResult<Value> {
    match key {
        Value::Str(name) => {
            let expr = Expr::col(name);
            streamlab_expr::resolve(&expr, &df.schema())?;
            Ok(Column::value(expr))
        }
        Value::Int(i) => {
            let columns = df.columns();
            let c = usize::try_from(*i).ok().and_then(|i| columns.get(i)).ok_or_else(|| {
                crate::python::error::PyErr::new("IndexError", format!("Column index must be non-negative and less than {}", columns.len()))
            })?;
            Ok(Column::value(Expr::col(&streamlab_expr::types::quote(c))))
        }
        Value::Spark(Spark::Column(c)) => Ok(df_value(df.filter(c.expr.clone())?)),
        Value::List(_) | Value::Tuple(_) => {
            let items = match key {
                Value::List(l) => l.borrow().clone(),
                Value::Tuple(t) => t.as_ref().clone(),
                _ => Vec::new(),
            };
            Ok(df_value(df.select(items.iter().map(column_expr).collect::<PyResult<Vec<_>>>()?)?))
        }
        other => Err(type_error(format!("Unexpected item type: {}", other.type_name()))),
    }
}

/// `grouped.name(args)`.
pub(crate) fn grouped_call(g: &Rc<Grouped>, name: &str, args: Args) -> PyResult<Value> {
    let grouped = g.df.group_by(g.keys.clone());
    let out = match name {
        "agg" => {
            let exprs = match args.positional.as_slice() {
                [Value::Dict(map)] => map
                    .borrow()
                    .entries()
                    .iter()
                    .map(|(k, v)| {
                        let f = to_str(v);
                        let f = if f == "mean" { "avg".to_string() } else { f };
                        Expr::call(&f, vec![Expr::col(&to_str(k))])
                    })
                    .collect(),
                values => values
                    .iter()
                    .map(|v| match v {
                        Value::Spark(Spark::Column(c)) => Ok(c.expr.clone()),
                        other => Err(crate::python::error::pyspark_error(
                            "PySparkTypeError",
                            "NOT_COLUMN",
                            format!("Argument `exprs` should be a Column, got {}.", other.type_name()),
                        )),
                    })
                    .collect::<PyResult<Vec<_>>>()?,
            };
            grouped.agg(exprs)?
        }
        "count" => grouped.count()?,
        "sum" | "avg" | "mean" | "min" | "max" => {
            let cols = str_list(&args.positional, "cols")?;
            let function = if name == "mean" { "avg" } else { name };
            grouped.apply(function, &cols.iter().map(String::as_str).collect::<Vec<_>>())?
        }
        _ => return Err(attribute_error("GroupedData", name)),
    };
    Ok(df_value(out))
}

/// `display(value)`: a static DataFrame as a table; a streaming one through a memory-sink query
/// the page follows live (as Databricks' `display` starts one); anything else as its repr.
pub(crate) fn display(py: &Interpreter, value: &Value) -> PyResult<()> {
    let Value::Spark(Spark::DataFrame(df)) = value else {
        py.host().emit(CellOutput::Result(crate::python::repr::repr(value)));
        return Ok(());
    };
    if df.is_streaming() {
        let name = py.next_display_name();
        let mode = if df.plan().aggregate().is_some() { "complete" } else { "append" };
        let query = df.write_stream()?.format("memory").query_name(&name).output_mode(mode)?.start(None)?;
        py.host().emit(CellOutput::LiveTable { query_id: query.id().to_string(), table: name });
        return Ok(());
    }
    py.host().emit(CellOutput::Table(table_output(df, DISPLAY_ROWS)?));
    Ok(())
}

/// The first `limit` rows of a static DataFrame as a table.
pub(crate) fn table_output(df: &DataFrame, limit: usize) -> PyResult<TableOutput> {
    let batch = df.limit(limit.saturating_add(1))?.collect()?;
    let shown = batch.num_rows().min(limit);
    let rows = (0..shown).map(|r| batch.columns().iter().map(|c| cell_to_string(c.as_ref(), r)).collect()).collect();
    Ok(TableOutput {
        columns: df.columns(),
        types: df.schema().fields().iter().map(|f| streamlab_types::ddl::simple_string(f.data_type())).collect(),
        rows,
        truncated: batch.num_rows() > limit,
    })
}
