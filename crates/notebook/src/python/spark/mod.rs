//! Python bindings of the engine: the objects PySpark code handles, their attributes and
//! methods, with PySpark's reprs and error messages.

pub(crate) mod column;
pub mod dataframe;
pub(crate) mod functions;
mod query;
pub mod reader;
mod rows;
mod session;
pub(crate) mod types;
pub mod writer;

use std::cell::RefCell;
use std::rc::Rc;

use arrow::datatypes::{DataType, Field};
use streamlab_engine::{DataFrame, SparkSession, StreamingQuery};

use super::args::Args;
use super::error::{attribute_error, type_error, PyResult};
use super::value::{BoundMethod, Value};
use super::Interpreter;

pub(crate) use dataframe::display;

/// The Spark version PySpark code sees (`spark.version`).
pub const SPARK_VERSION: &str = "3.5.9";

/// The stable stand-in for CPython's object addresses in reprs
/// (`<pyspark.sql.streaming.query.StreamingQuery object at 0x7f0000000000>`).
pub const FAKE_ADDRESS: &str = "0x7f0000000000";

/// An engine object as a Python value.
#[derive(Clone)]
pub enum Spark {
    /// `SparkSession` (the class: `SparkSession.builder`).
    SessionClass,
    /// `SparkSession.builder`, with the configs set so far.
    Builder(Rc<RefCell<Vec<(String, String)>>>),
    /// A session.
    Session(SparkSession),
    /// `spark.conf`.
    Conf(SparkSession),
    /// `spark.sparkContext`.
    Context(SparkSession),
    /// `spark.streams`.
    Streams(SparkSession),
    /// `spark.read` / `spark.readStream`.
    Reader(Rc<RefCell<reader::ReaderState>>),
    /// A DataFrame.
    DataFrame(DataFrame),
    /// A Column expression.
    Column(Rc<column::Column>),
    /// `df.groupBy(...)`.
    Grouped(Rc<dataframe::Grouped>),
    /// `df.writeStream`.
    Writer(Rc<RefCell<writer::WriterState>>),
    /// A streaming query.
    Query(StreamingQuery),
    /// A Spark SQL type (`LongType()`, `StructType([...])`).
    DataType(DataType),
    /// A `StructField`.
    Field(Rc<Field>),
    /// A function of `pyspark.sql.functions` that maps to the engine's SQL function `name`.
    SqlFunction(&'static str),
    /// A PySpark class used with `isinstance` (`DataFrame`, `Column`, `Row`...).
    Class(&'static str),
}

impl Spark {
    /// The Python type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Spark::SessionClass => "type",
            Spark::Builder(_) => "Builder",
            Spark::Session(_) => "SparkSession",
            Spark::Conf(_) => "RuntimeConfig",
            Spark::Context(_) => "SparkContext",
            Spark::Streams(_) => "StreamingQueryManager",
            Spark::Reader(r) if r.borrow().streaming => "DataStreamReader",
            Spark::Reader(_) => "DataFrameReader",
            Spark::DataFrame(_) => "DataFrame",
            Spark::Column(_) => "Column",
            Spark::Grouped(_) => "GroupedData",
            Spark::Writer(_) => "DataStreamWriter",
            Spark::Query(_) => "StreamingQuery",
            Spark::DataType(dt) => types::class_name(dt),
            Spark::Field(_) => "StructField",
            Spark::SqlFunction(_) => "function",
            Spark::Class(_) => "type",
        }
    }

    /// `repr(obj)`, as PySpark prints it.
    pub fn repr(&self) -> String {
        let object = |path: &str| format!("<{path} object at {FAKE_ADDRESS}>");
        match self {
            Spark::SessionClass => "<class 'pyspark.sql.session.SparkSession'>".into(),
            Spark::Builder(_) => object("pyspark.sql.session.SparkSession.Builder"),
            Spark::Session(_) => object("pyspark.sql.session.SparkSession"),
            Spark::Conf(_) => object("pyspark.sql.conf.RuntimeConfig"),
            Spark::Context(s) => {
                let conf = s.conf();
                format!(
                    "<SparkContext master={} appName={}>",
                    conf.get("spark.master").unwrap_or_else(|| "local[*]".into()),
                    conf.get("spark.app.name").unwrap_or_else(|| "pyspark-shell".into())
                )
            }
            Spark::Streams(_) => object("pyspark.sql.streaming.query.StreamingQueryManager"),
            Spark::Reader(r) if r.borrow().streaming => object("pyspark.sql.streaming.readwriter.DataStreamReader"),
            Spark::Reader(_) => object("pyspark.sql.readwriter.DataFrameReader"),
            Spark::DataFrame(df) => format!("DataFrame[{}]", df.schema_text()),
            Spark::Column(c) => format!("Column<'{}'>", c.sql()),
            Spark::Grouped(g) => g.repr(),
            Spark::Writer(_) => object("pyspark.sql.streaming.readwriter.DataStreamWriter"),
            Spark::Query(_) => object("pyspark.sql.streaming.query.StreamingQuery"),
            Spark::DataType(dt) => types::repr(dt),
            Spark::Field(f) => types::field_repr(f),
            Spark::SqlFunction(name) => format!("<function {name} at {FAKE_ADDRESS}>"),
            Spark::Class(name) => format!("<class '{}'>", class_path(name)),
        }
    }

    /// `str(obj)`.
    pub fn str(&self) -> String {
        self.repr()
    }

    /// Identity comparison (`==` on engine objects).
    pub fn same(&self, other: &Spark) -> bool {
        match (self, other) {
            (Spark::Query(a), Spark::Query(b)) => a == b,
            (Spark::DataType(a), Spark::DataType(b)) => a == b,
            (Spark::Field(a), Spark::Field(b)) => a == b,
            (Spark::Class(a), Spark::Class(b)) => a == b,
            (Spark::SqlFunction(a), Spark::SqlFunction(b)) => a == b,
            (Spark::SessionClass, Spark::SessionClass) => true,
            _ => false,
        }
    }

    /// `item in obj`.
    pub fn contains(&self, item: &Value) -> PyResult<bool> {
        match (self, item) {
            (Spark::DataType(DataType::Struct(fields)), Value::Str(name)) => {
                Ok(fields.iter().any(|f| f.name() == name.as_ref()))
            }
            _ => Err(type_error(format!("argument of type '{}' is not iterable", self.type_name()))),
        }
    }
}

fn class_path(name: &str) -> String {
    match name {
        "DataFrame" => "pyspark.sql.dataframe.DataFrame".into(),
        "Column" => "pyspark.sql.column.Column".into(),
        "Row" => "pyspark.sql.types.Row".into(),
        "StreamingQuery" => "pyspark.sql.streaming.query.StreamingQuery".into(),
        "DataStreamReader" | "DataStreamWriter" => format!("pyspark.sql.streaming.readwriter.{name}"),
        "GroupedData" => "pyspark.sql.group.GroupedData".into(),
        other => format!("pyspark.sql.{other}"),
    }
}

/// The PySpark classes `pyspark.sql` exports besides `SparkSession`.
pub(crate) fn classes() -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = ["DataFrame", "Column", "GroupedData", "StreamingQuery", "DataStreamReader", "DataStreamWriter"]
        .iter()
        .map(|n| (n.to_string(), Value::Spark(Spark::Class(n))))
        .collect();
    out.push(("Row".into(), types::row_class()));
    out
}

fn bound(s: &Spark, name: &str) -> Value {
    Value::Method(Rc::new(BoundMethod { receiver: Value::Spark(s.clone()), name: Rc::from(name) }))
}

/// `obj.name`: a property's value, or a bound method.
pub(crate) fn get_attr(s: &Spark, name: &str) -> PyResult<Value> {
    let property = match s {
        Spark::SessionClass => session::class_attr(name)?,
        Spark::Session(spark) => session::session_attr(spark, name),
        Spark::Context(spark) => session::context_attr(spark, name),
        Spark::Streams(spark) => session::streams_attr(spark, name),
        Spark::DataFrame(df) => dataframe::attr(df, name)?,
        Spark::Query(q) => query::attr(q, name),
        Spark::DataType(dt) => types::attr(dt, name),
        Spark::Field(f) => types::field_attr(f, name),
        _ => None,
    };
    if let Some(v) = property {
        return Ok(v);
    }
    let methods: &[&str] = match s {
        Spark::Builder(_) => session::BUILDER_METHODS,
        Spark::Session(_) => session::SESSION_METHODS,
        Spark::Conf(_) => session::CONF_METHODS,
        Spark::Context(_) => session::CONTEXT_METHODS,
        Spark::Streams(_) => session::STREAMS_METHODS,
        Spark::Reader(_) => reader::METHODS,
        Spark::DataFrame(_) => dataframe::METHODS,
        Spark::Column(_) => column::METHODS,
        Spark::Grouped(_) => dataframe::GROUPED_METHODS,
        Spark::Writer(_) => writer::METHODS,
        Spark::Query(_) => query::METHODS,
        Spark::DataType(_) => types::METHODS,
        Spark::Field(_) => types::FIELD_METHODS,
        _ => &[],
    };
    if methods.contains(&name) {
        return Ok(bound(s, name));
    }
    if let Spark::DataFrame(df) = s {
        if df.columns().iter().any(|c| c == name) {
            return Ok(column::Column::value(streamlab_expr::Expr::col(&streamlab_expr::types::quote_if_needed(name))));
        }
    }
    if let Spark::SessionClass = s {
        return Err(super::error::PyErr::new(
            "AttributeError",
            format!("type object 'SparkSession' has no attribute '{name}'"),
        ));
    }
    Err(attribute_error(s.type_name(), name))
}

/// `obj.name(args)`.
pub(crate) fn call_method(py: &Interpreter, s: &Spark, name: &str, args: Args) -> PyResult<Value> {
    match s {
        Spark::Builder(b) => session::builder_call(py, b, name, args),
        Spark::Session(spark) => session::session_call(py, spark, name, args),
        Spark::Conf(spark) => session::conf_call(spark, name, args),
        Spark::Context(_) => session::context_call(py, name, args),
        Spark::Streams(spark) => session::streams_call(spark, name, args),
        Spark::Reader(r) => reader::call(py, s, r, name, args),
        Spark::DataFrame(df) => dataframe::call(py, df, name, args),
        Spark::Column(c) => column::call(c, name, args),
        Spark::Grouped(g) => dataframe::grouped_call(g, name, args),
        Spark::Writer(w) => writer::call(py, s, w, name, args),
        Spark::Query(q) => query::call(py, q, name, args),
        Spark::DataType(dt) => types::call(dt, name, args),
        Spark::Field(f) => types::field_call(f, name, args),
        _ => Err(attribute_error(s.type_name(), name)),
    }
}

/// `obj(args)` for callable engine values.
pub(crate) fn call(_py: &Interpreter, s: &Spark, args: Args) -> PyResult<Value> {
    match s {
        Spark::SqlFunction(name) => functions::call_function(name, args),
        _ => Err(type_error(format!("'{}' object is not callable", s.type_name()))),
    }
}

/// `obj[key]`.
pub(crate) fn get_item(_py: &Interpreter, s: &Spark, key: &Value) -> PyResult<Value> {
    match s {
        Spark::DataFrame(df) => dataframe::get_item(df, key),
        Spark::Column(c) => column::get_item(c, key),
        Spark::DataType(dt) => types::get_item(dt, key),
        _ => Err(type_error(format!("'{}' object is not subscriptable", s.type_name()))),
    }
}

/// `for x in obj`.
pub(crate) fn iterate(_py: &Interpreter, s: &Spark) -> PyResult<Vec<Value>> {
    match s {
        Spark::DataType(DataType::Struct(fields)) => {
            Ok(fields.iter().map(|f| Value::Spark(Spark::Field(Rc::new(f.as_ref().clone())))).collect())
        }
        Spark::Column(_) => Err(crate::python::error::pyspark_error(
            "PySparkTypeError",
            "NOT_ITERABLE",
            "Column is not iterable.",
        )),
        _ => Err(type_error(format!("'{}' object is not iterable", s.type_name()))),
    }
}

/// `len(obj)`.
pub(crate) fn len(_py: &Interpreter, s: &Spark) -> PyResult<Value> {
    match s {
        Spark::DataType(DataType::Struct(fields)) => Ok(Value::Int(fields.len() as i64)),
        _ => Err(type_error(format!("object of type '{}' has no len()", s.type_name()))),
    }
}
