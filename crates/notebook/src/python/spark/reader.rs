//! `spark.readStream` / `spark.read`: format, schema and options recorded in Python, handed
//! to the engine's reader when a `load`/`json`/`csv`/... creates the DataFrame.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use arrow::datatypes::{DataType, Schema};

use super::session::conf_text;
use super::Spark;
use crate::python::args::Args;
use crate::python::error::{attribute_error, type_error, PyResult};
use crate::python::repr::to_str;
use crate::python::value::Value;
use crate::python::Interpreter;

pub(crate) const METHODS: &[&str] =
    &["format", "schema", "option", "options", "load", "json", "csv", "text", "parquet", "table", "orc"];

/// What a reader was told so far.
pub struct ReaderState {
    /// `readStream` (true) or `read`.
    pub streaming: bool,
    format: Option<String>,
    schema: Option<SchemaArg>,
    options: Vec<(String, String)>,
}

enum SchemaArg {
    Ddl(String),
    Struct(Arc<Schema>),
}

impl ReaderState {
    /// A fresh reader.
    pub fn new(streaming: bool) -> Self {
        ReaderState { streaming, format: None, schema: None, options: Vec::new() }
    }
}

fn schema_arg(v: &Value) -> PyResult<SchemaArg> {
    match v {
        Value::Str(s) => Ok(SchemaArg::Ddl(s.to_string())),
        Value::Spark(Spark::DataType(DataType::Struct(fields))) => Ok(SchemaArg::Struct(Arc::new(Schema::new(fields.clone())))),
        other => Err(crate::python::error::pyspark_error(
            "PySparkTypeError",
            "NOT_STR_OR_STRUCT",
            format!("Argument `schema` should be a str or struct, got {}.", other.type_name()),
        )),
    }
}

/// Takes keyword options (`header=True`, `maxFilesPerTrigger=1`), skipping `None`s as PySpark does.
fn keyword_options(state: &mut ReaderState, args: &mut Args) {
    for (k, v) in std::mem::take(&mut args.keywords) {
        if !matches!(v, Value::None) {
            state.options.push((k, conf_text(&v)));
        }
    }
}

pub(crate) fn call(py: &Interpreter, this: &Spark, reader: &Rc<RefCell<ReaderState>>, name: &str, mut args: Args) -> PyResult<Value> {
    let me = Value::Spark(this.clone());
    match name {
        "format" => {
            let f = args.required(name, 0, "source")?;
            reader.borrow_mut().format = Some(to_str(&f));
            Ok(me)
        }
        "schema" => {
            let s = schema_arg(&args.required(name, 0, "schema")?)?;
            reader.borrow_mut().schema = Some(s);
            Ok(me)
        }
        "option" => {
            let k = to_str(&args.required(name, 0, "key")?);
            let v = args.required(name, 1, "value")?;
            reader.borrow_mut().options.push((k, conf_text(&v)));
            Ok(me)
        }
        "options" => {
            keyword_options(&mut reader.borrow_mut(), &mut args);
            Ok(me)
        }
        "table" => {
            let t = to_str(&args.required(name, 0, "tableName")?);
            if reader.borrow().streaming {
                return Err(crate::python::error::not_supported(
                    "StreamLab does not support readStream.table(): read the table's files with readStream.format(...).load(path)",
                ));
            }
            Ok(Value::Spark(Spark::DataFrame(py.session().table(&t)?)))
        }
        "load" | "json" | "csv" | "text" | "parquet" | "orc" => {
            let path = args.take(0, "path");
            if name == "load" {
                if let Some(f) = args.keyword("format").filter(|v| !matches!(v, Value::None)) {
                    reader.borrow_mut().format = Some(to_str(&f));
                }
            } else {
                reader.borrow_mut().format = Some(name.to_string());
            }
            if let Some(s) = args.keyword("schema").filter(|v| !matches!(v, Value::None)) {
                reader.borrow_mut().schema = Some(schema_arg(&s)?);
            }
            keyword_options(&mut reader.borrow_mut(), &mut args);
            let path = match path {
                None | Some(Value::None) => None,
                Some(Value::Str(p)) => Some(p.to_string()),
                Some(Value::List(l)) if l.borrow().len() == 1 => l.borrow().first().map(to_str),
                Some(other) => return Err(type_error(format!("path should be a str, got {}", other.type_name()))),
            };
            load(py, &reader.borrow(), path.as_deref())
        }
        _ => Err(attribute_error(this.type_name(), name)),
    }
}

fn load(py: &Interpreter, state: &ReaderState, path: Option<&str>) -> PyResult<Value> {
    let session = py.session();
    let format = state.format.clone().unwrap_or_else(|| "parquet".into());
    let df = if state.streaming {
        let mut r = session.read_stream().format(&format);
        r = match &state.schema {
            Some(SchemaArg::Ddl(d)) => r.schema_ddl(d)?,
            Some(SchemaArg::Struct(s)) => r.schema(s.clone()),
            None => r,
        };
        for (k, v) in &state.options {
            r = r.option(k, v);
        }
        r.load(path)?
    } else {
        let mut r = session.read().format(&format);
        r = match &state.schema {
            Some(SchemaArg::Ddl(d)) => r.schema_ddl(d)?,
            Some(SchemaArg::Struct(s)) => r.schema(s.clone()),
            None => r,
        };
        for (k, v) in &state.options {
            r = r.option(k, v);
        }
        r.load(path)?
    };
    Ok(Value::Spark(Spark::DataFrame(df)))
}
