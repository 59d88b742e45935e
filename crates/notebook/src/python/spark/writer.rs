//! `df.writeStream`: settings recorded in Python and checked by the engine at `start()` /
//! `toTable()`, with PySpark's own checks of `trigger(...)` keywords.

use std::cell::RefCell;
use std::rc::Rc;

use streamlab_engine::{DataFrame, Trigger};

use super::session::conf_text;
use super::Spark;
use crate::python::args::Args;
use crate::python::error::{attribute_error, pyspark_error, type_error, PyResult};
use crate::python::repr::to_str;
use crate::python::value::Value;
use crate::python::Interpreter;

pub(crate) const METHODS: &[&str] = &[
    "format", "outputMode", "trigger", "option", "options", "queryName", "partitionBy", "foreachBatch", "foreach",
    "start", "toTable",
];

/// What a writer was told so far; the engine's writer is built when the query starts.
pub struct WriterState {
    df: DataFrame,
    format: Option<String>,
    output_mode: Option<String>,
    trigger: Option<Trigger>,
    options: Vec<(String, String)>,
    query_name: Option<String>,
    partition_by: Vec<String>,
    foreach_batch: Option<Value>,
}

impl WriterState {
    /// The settings of a fresh `writeStream` on a streaming `df`.
    pub fn new(df: DataFrame) -> Self {
        WriterState {
            df,
            format: None,
            output_mode: None,
            trigger: None,
            options: Vec::new(),
            query_name: None,
            partition_by: Vec::new(),
            foreach_batch: None,
        }
    }
}

/// PySpark's `trigger(processingTime=..., once=..., continuous=..., availableNow=...)`.
fn trigger(mut args: Args) -> PyResult<Trigger> {
    if !args.positional.is_empty() {
        return Err(type_error("DataStreamWriter.trigger() takes 1 positional argument but 2 were given"));
    }
    let mut text = |name: &str| -> PyResult<Option<String>> {
        match args.keyword(name) {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s.to_string())),
            Some(other) => Ok(Some(format!("\u{0}{}", to_str(&other)))),
        }
    };
    let processing_time = text("processingTime")?;
    let continuous = text("continuous")?;
    let mut flag = |name: &str| -> Option<Value> { args.keyword(name) };
    let once = flag("once");
    let available_now = flag("availableNow");
    args.finish("trigger", 0)?;
    let given = [processing_time.is_some(), once.is_some(), continuous.is_some(), available_now.is_some()];
    if given.iter().filter(|g| **g).count() == 1 {
        for (name, v) in [("processingTime", &processing_time), ("continuous", &continuous)] {
            if let Some(bad) = v.as_ref().and_then(|v| v.strip_prefix('\u{0}')) {
                return Err(pyspark_error(
                    "PySparkValueError",
                    "VALUE_NOT_NON_EMPTY_STR",
                    format!("Value for `{name}` must be a non empty string, got '{bad}'."),
                ));
            }
        }
        for (name, v) in [("once", &once), ("availableNow", &available_now)] {
            match v {
                Some(Value::Bool(true)) | None => {}
                Some(other) => {
                    return Err(pyspark_error(
                        "PySparkValueError",
                        "VALUE_NOT_TRUE",
                        format!("Value for `{name}` must be True, got '{}'.", to_str(other)),
                    ))
                }
            }
        }
    }
    Ok(Trigger::from_keywords(
        processing_time.as_deref(),
        once.map(|v| v.truthy()),
        continuous.as_deref(),
        available_now.map(|v| v.truthy()),
    )?)
}

fn string_list(py: &Interpreter, args: &Args) -> PyResult<Vec<String>> {
    let mut out = Vec::new();
    for v in &args.positional {
        match v {
            Value::List(_) | Value::Tuple(_) => {
                out.extend(crate::python::eval::iterate_value(py, v)?.iter().map(to_str));
            }
            other => out.push(to_str(other)),
        }
    }
    Ok(out)
}

pub(crate) fn call(py: &Interpreter, this: &Spark, w: &Rc<RefCell<WriterState>>, name: &str, mut args: Args) -> PyResult<Value> {
    let me = Value::Spark(this.clone());
    match name {
        "format" => w.borrow_mut().format = Some(to_str(&args.required(name, 0, "source")?)),
        "outputMode" => w.borrow_mut().output_mode = Some(to_str(&args.required(name, 0, "outputMode")?)),
        "trigger" => w.borrow_mut().trigger = Some(trigger(args)?),
        "option" => {
            let k = to_str(&args.required(name, 0, "key")?);
            let v = conf_text(&args.required(name, 1, "value")?);
            w.borrow_mut().options.push((k, v));
        }
        "options" => {
            for (k, v) in args.keywords {
                w.borrow_mut().options.push((k, conf_text(&v)));
            }
        }
        "queryName" => w.borrow_mut().query_name = Some(to_str(&args.required(name, 0, "queryName")?)),
        "partitionBy" => w.borrow_mut().partition_by = string_list(py, &args)?,
        "foreachBatch" => {
            let f = args.required(name, 0, "func")?;
            if !matches!(f, Value::Function(_) | Value::Builtin(_)) {
                return Err(type_error(format!("foreachBatch expects a function, got {}", f.type_name())));
            }
            w.borrow_mut().foreach_batch = Some(f);
        }
        "foreach" => {
            return Err(crate::python::error::not_supported(
                "StreamLab does not support foreach(writer): use foreachBatch(func)",
            ))
        }
        "start" | "toTable" => return start(py, w, name, args),
        _ => return Err(attribute_error("DataStreamWriter", name)),
    }
    Ok(me)
}

fn start(py: &Interpreter, w: &Rc<RefCell<WriterState>>, name: &str, mut args: Args) -> PyResult<Value> {
    let target = args.take(0, if name == "toTable" { "tableName" } else { "path" });
    let mut state = w.borrow_mut();
    for key in ["format", "outputMode", "queryName"] {
        if let Some(v) = args.keyword(key).filter(|v| !matches!(v, Value::None)) {
            let v = to_str(&v);
            match key {
                "format" => state.format = Some(v),
                "outputMode" => state.output_mode = Some(v),
                _ => state.query_name = Some(v),
            }
        }
    }
    if let Some(p) = args.keyword("partitionBy").filter(|v| !matches!(v, Value::None)) {
        state.partition_by = string_list(py, &Args::positional(vec![p]))?;
    }
    for (k, v) in std::mem::take(&mut args.keywords) {
        if !matches!(v, Value::None) {
            state.options.push((k, conf_text(&v)));
        }
    }
    let mut writer = state.df.write_stream()?;
    if let Some(f) = &state.format {
        writer = writer.format(f);
    }
    if let Some(m) = &state.output_mode {
        writer = writer.output_mode(m)?;
    }
    if let Some(t) = state.trigger {
        writer = writer.trigger(t);
    }
    for (k, v) in &state.options {
        writer = writer.option(k, v);
    }
    if let Some(n) = &state.query_name {
        writer = writer.query_name(n);
    }
    if !state.partition_by.is_empty() {
        writer = writer.partition_by(&state.partition_by.iter().map(String::as_str).collect::<Vec<_>>());
    }
    if let Some(f) = state.foreach_batch.clone() {
        let interpreter = py.clone();
        writer = writer.foreach_batch(Box::new(move |df, batch_id| {
            let args = Args::positional(vec![Value::Spark(Spark::DataFrame(df)), Value::Int(batch_id)]);
            interpreter.call(&f, args).map(|_| ()).map_err(|e| e.error)
        }));
    }
    drop(state);
    let target = match target {
        None | Some(Value::None) => None,
        Some(v) => Some(to_str(&v)),
    };
    let query = if name == "toTable" {
        let table = target.ok_or_else(|| type_error("toTable() missing 1 required positional argument: 'tableName'"))?;
        writer.to_table(&table)?
    } else {
        writer.start(target.as_deref())?
    };
    Ok(Value::Spark(Spark::Query(query)))
}
