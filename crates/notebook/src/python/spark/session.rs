//! `SparkSession`, its builder, `spark.conf`, `spark.sparkContext` and `spark.streams`.

use std::cell::RefCell;
use std::rc::Rc;

use streamlab_engine::SparkSession;

use super::reader::ReaderState;
use super::{rows, Spark, SPARK_VERSION};
use crate::python::args::Args;
use crate::python::error::{attribute_error, type_error, PyErr, PyResult};
use crate::python::repr::to_str;
use crate::python::value::Value;
use crate::python::Interpreter;

pub(crate) const BUILDER_METHODS: &[&str] =
    &["appName", "master", "config", "enableHiveSupport", "getOrCreate", "remote", "create"];
pub(crate) const SESSION_METHODS: &[&str] = &["sql", "table", "createDataFrame", "stop", "newSession", "getActiveSession"];
pub(crate) const CONF_METHODS: &[&str] = &["set", "get", "isModifiable"];
pub(crate) const CONTEXT_METHODS: &[&str] = &["setLogLevel"];
pub(crate) const STREAMS_METHODS: &[&str] = &["get", "awaitAnyTermination", "resetTerminated"];

/// Attributes of the `SparkSession` class.
pub(crate) fn class_attr(name: &str) -> PyResult<Option<Value>> {
    Ok(match name {
        "builder" => Some(Value::Spark(Spark::Builder(Rc::new(RefCell::new(Vec::new()))))),
        "getActiveSession" | "active" => Some(Value::Builtin(crate::python::value::Builtin {
            name: "getActiveSession",
            func: |py, _| Ok(Value::Spark(Spark::Session(py.session().clone()))),
        })),
        _ => None,
    })
}

/// A conf value as Spark stores it: Python booleans as `true`/`false`.
pub(crate) fn conf_text(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        other => to_str(other),
    }
}

pub(crate) fn builder_call(
    py: &Interpreter,
    builder: &Rc<RefCell<Vec<(String, String)>>>,
    name: &str,
    mut args: Args,
) -> PyResult<Value> {
    let this = Value::Spark(Spark::Builder(builder.clone()));
    match name {
        "appName" => {
            let v = args.required(name, 0, "name")?;
            builder.borrow_mut().push(("spark.app.name".into(), to_str(&v)));
        }
        "master" => {
            let v = args.required(name, 0, "master")?;
            builder.borrow_mut().push(("spark.master".into(), to_str(&v)));
        }
        "remote" => {
            args.required(name, 0, "url")?;
        }
        "config" => {
            let key = args.take(0, "key");
            let value = args.take(1, "value");
            if let Some(Value::Dict(map)) = args.keyword("map") {
                for (k, v) in map.borrow().entries() {
                    builder.borrow_mut().push((to_str(k), conf_text(v)));
                }
            }
            args.keyword("conf");
            if let Some(key) = key.filter(|k| !matches!(k, Value::None)) {
                let value = value.unwrap_or(Value::None);
                builder.borrow_mut().push((to_str(&key), conf_text(&value)));
            }
        }
        "enableHiveSupport" => {}
        "getOrCreate" | "create" => {
            let session = py.session();
            for (k, v) in builder.borrow().iter() {
                if k.starts_with("spark.sql.") || k == "spark.app.name" || k == "spark.master" {
                    session.conf_set(k, v);
                }
            }
            return Ok(Value::Spark(Spark::Session(session.clone())));
        }
        _ => return Err(attribute_error("Builder", name)),
    }
    Ok(this)
}

/// Properties of a session.
pub(crate) fn session_attr(spark: &SparkSession, name: &str) -> Option<Value> {
    Some(match name {
        "version" => Value::str(SPARK_VERSION),
        "conf" => Value::Spark(Spark::Conf(spark.clone())),
        "sparkContext" => Value::Spark(Spark::Context(spark.clone())),
        "streams" => Value::Spark(Spark::Streams(spark.clone())),
        "readStream" => Value::Spark(Spark::Reader(Rc::new(RefCell::new(ReaderState::new(true))))),
        "read" => Value::Spark(Spark::Reader(Rc::new(RefCell::new(ReaderState::new(false))))),
        _ => return None,
    })
}

pub(crate) fn session_call(py: &Interpreter, spark: &SparkSession, name: &str, mut args: Args) -> PyResult<Value> {
    match name {
        "sql" => {
            let text = args.required(name, 0, "sqlQuery")?;
            let Value::Str(text) = text else {
                return Err(type_error(format!("sqlQuery should be a str, got {}", text.type_name())));
            };
            Ok(Value::Spark(Spark::DataFrame(spark.sql(&text)?)))
        }
        "table" => {
            let t = args.required(name, 0, "tableName")?;
            Ok(Value::Spark(Spark::DataFrame(spark.table(&to_str(&t))?)))
        }
        "createDataFrame" => {
            let data = args.required(name, 0, "data")?;
            let data = crate::python::eval::iterate_value(py, &data)?;
            let (schema, names) = match args.take(1, "schema") {
                None | Some(Value::None) => (None, None),
                Some(Value::Str(ddl)) => (Some(std::sync::Arc::new(streamlab_types::ddl::parse_schema(&ddl)?)), None),
                Some(Value::Spark(Spark::DataType(arrow::datatypes::DataType::Struct(fields)))) => {
                    (Some(std::sync::Arc::new(arrow::datatypes::Schema::new(fields))), None)
                }
                Some(v @ (Value::List(_) | Value::Tuple(_))) => {
                    let names = crate::python::eval::iterate_value(py, &v)?.iter().map(to_str).collect();
                    (None, Some(names))
                }
                Some(other) => {
                    return Err(type_error(format!("schema should be a StructType, a DDL string or a list of names, not {}", other.type_name())))
                }
            };
            let (schema, batch) = rows::build_batch(&data, schema, names)?;
            Ok(Value::Spark(Spark::DataFrame(spark.create_dataframe(schema, vec![batch]))))
        }
        "stop" => {
            for q in spark.streams().active() {
                q.stop();
            }
            Ok(Value::None)
        }
        "newSession" | "getActiveSession" => Ok(Value::Spark(Spark::Session(spark.clone()))),
        _ => Err(attribute_error("SparkSession", name)),
    }
}

pub(crate) fn conf_call(spark: &SparkSession, name: &str, mut args: Args) -> PyResult<Value> {
    let key = to_str(&args.required(name, 0, "key")?);
    match name {
        "set" => {
            let value = args.required(name, 1, "value")?;
            spark.conf_set(&key, &conf_text(&value));
            Ok(Value::None)
        }
        "get" => match args.take(1, "default") {
            Some(default) => Ok(spark.conf().get(&key).map(Value::str).unwrap_or(default)),
            None => Ok(Value::str(spark.conf_get(&key)?)),
        },
        _ => Ok(Value::Bool(key.starts_with("spark.sql."))),
    }
}

/// Properties of the SparkContext.
pub(crate) fn context_attr(spark: &SparkSession, name: &str) -> Option<Value> {
    let conf = spark.conf();
    Some(match name {
        "appName" => Value::str(conf.get("spark.app.name").unwrap_or_else(|| "pyspark-shell".into())),
        "master" => Value::str(conf.get("spark.master").unwrap_or_else(|| "local[*]".into())),
        "version" => Value::str(SPARK_VERSION),
        _ => return None,
    })
}

pub(crate) fn context_call(py: &Interpreter, name: &str, mut args: Args) -> PyResult<Value> {
    match name {
        "setLogLevel" => {
            let level = to_str(&args.required(name, 0, "logLevel")?);
            py.host().set_log_level(&level)?;
            Ok(Value::None)
        }
        _ => Err(attribute_error("SparkContext", name)),
    }
}

/// Properties of `spark.streams`.
pub(crate) fn streams_attr(spark: &SparkSession, name: &str) -> Option<Value> {
    match name {
        "active" => Some(Value::list(spark.streams().active().into_iter().map(|q| Value::Spark(Spark::Query(q))).collect())),
        _ => None,
    }
}

/// A timeout argument in seconds, as milliseconds.
pub(crate) fn timeout_ms(v: Option<Value>) -> PyResult<Option<i64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v @ (Value::Int(_) | Value::Float(_))) => {
            let secs = v.as_f64().unwrap_or(0.0);
            if secs < 0.0 {
                return Err(crate::python::error::pyspark_error(
                    "PySparkValueError",
                    "VALUE_NOT_POSITIVE",
                    format!("Value for `timeout` must be positive, got '{}'.", to_str(&v)),
                ));
            }
            Ok(Some((secs * 1000.0).round() as i64))
        }
        Some(other) => Err(crate::python::error::pyspark_error(
            "PySparkTypeError",
            "NOT_FLOAT_OR_INT",
            format!("Argument `timeout` should be a float or int, got {}.", other.type_name()),
        )),
    }
}

pub(crate) fn streams_call(spark: &SparkSession, name: &str, mut args: Args) -> PyResult<Value> {
    match name {
        "get" => {
            let id = to_str(&args.required(name, 0, "id")?);
            Ok(spark.streams().get(&id).map(|q| Value::Spark(Spark::Query(q))).unwrap_or(Value::None))
        }
        "awaitAnyTermination" => {
            let timeout = timeout_ms(args.take(0, "timeout"))?;
            let ended = spark.streams().await_any_termination(timeout)?;
            Ok(if timeout.is_some() { Value::Bool(ended) } else { Value::None })
        }
        "resetTerminated" => {
            spark.streams().reset_terminated();
            Ok(Value::None)
        }
        _ => Err(PyErr::new("AttributeError", format!("'StreamingQueryManager' object has no attribute '{name}'"))),
    }
}
