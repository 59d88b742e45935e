//! The importable modules: `os`, `time`, `json`, `pyspark` (with `sql`, `sql.functions`,
//! `sql.types`, `sql.streaming`, `errors`), `delta`. Each is built once per interpreter, so
//! `os.environ` changes persist.

use std::rc::Rc;

use super::args::Args;
use super::error::{type_error, PyErr, PyResult};
use super::spark::{self, functions, types, Spark};
use super::value::{Builtin, BuiltinFn, Module, Value};
use super::{builtins, json, Interpreter};

const KNOWN: &[&str] = &[
    "os",
    "time",
    "json",
    "pyspark",
    "pyspark.sql",
    "pyspark.sql.functions",
    "pyspark.sql.types",
    "pyspark.sql.streaming",
    "pyspark.sql.utils",
    "pyspark.errors",
    "delta",
];

fn builtin(name: &'static str, func: BuiltinFn) -> (String, Value) {
    (name.to_string(), Value::Builtin(Builtin { name, func }))
}

fn module(name: &str, attrs: Vec<(String, Value)>) -> Value {
    Value::Module(Rc::new(Module { name: name.to_string(), attrs }))
}

/// `import name`: the module, built on first import.
pub(crate) fn import(py: &Interpreter, name: &str) -> PyResult<Value> {
    if let Some(m) = py.state().modules.borrow().get(name) {
        return Ok(m.clone());
    }
    if !KNOWN.contains(&name) {
        return Err(PyErr::new("ModuleNotFoundError", format!("No module named '{name}'")));
    }
    let m = build(py, name)?;
    py.state().modules.borrow_mut().insert(name.to_string(), m.clone());
    Ok(m)
}

/// `from module import name`: an attribute, or a submodule.
pub(crate) fn import_name(py: &Interpreter, module: &Value, module_name: &str, name: &str) -> PyResult<Value> {
    if let Value::Module(m) = module {
        if let Some(v) = m.get(name) {
            return Ok(v);
        }
    }
    let sub = format!("{module_name}.{name}");
    if KNOWN.contains(&sub.as_str()) {
        return import(py, &sub);
    }
    Err(PyErr::new("ImportError", format!("cannot import name '{name}' from '{module_name}'")))
}

fn exception(name: &str) -> (String, Value) {
    (name.to_string(), builtins::lookup(name).unwrap_or(Value::None))
}

fn build(py: &Interpreter, name: &str) -> PyResult<Value> {
    Ok(match name {
        "os" => {
            let environ = Value::dict(py.state().env.clone().into_iter().map(|(k, v)| (k, Value::str(v))).collect());
            module("os", vec![("environ".into(), environ), builtin("getenv", getenv), ("sep".into(), Value::str("/"))])
        }
        "time" => module(
            "time",
            vec![builtin("sleep", sleep), builtin("time", time), builtin("monotonic", time), builtin("perf_counter", time)],
        ),
        "json" => module("json", vec![builtin("dumps", json::dumps), builtin("loads", json::loads)]),
        "pyspark" => module(
            "pyspark",
            vec![("sql".into(), import(py, "pyspark.sql")?), ("__version__".into(), Value::str(spark::SPARK_VERSION))],
        ),
        "pyspark.sql" => {
            let mut attrs = vec![
                ("SparkSession".into(), Value::Spark(Spark::SessionClass)),
                ("functions".into(), import(py, "pyspark.sql.functions")?),
                ("types".into(), import(py, "pyspark.sql.types")?),
                ("streaming".into(), import(py, "pyspark.sql.streaming")?),
            ];
            attrs.extend(spark::classes());
            module("pyspark.sql", attrs)
        }
        "pyspark.sql.functions" => module("pyspark.sql.functions", functions::module_attrs()),
        "pyspark.sql.types" => module("pyspark.sql.types", types::module_attrs()),
        "pyspark.sql.streaming" => module(
            "pyspark.sql.streaming",
            spark::classes().into_iter().filter(|(n, _)| n.starts_with("Stream") || n.starts_with("DataStream")).collect(),
        ),
        "pyspark.sql.utils" | "pyspark.errors" => module(
            name,
            ["AnalysisException", "StreamingQueryException", "IllegalArgumentException", "ParseException", "PySparkException", "PySparkValueError", "PySparkTypeError"]
                .iter()
                .map(|n| exception(n))
                .collect(),
        ),
        "delta" => module("delta", vec![builtin("configure_spark_with_delta_pip", configure_spark_with_delta_pip)]),
        other => return Err(PyErr::new("ModuleNotFoundError", format!("No module named '{other}'"))),
    })
}

fn getenv(py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let key = args.required("getenv", 0, "key")?;
    let default = args.take(1, "default").unwrap_or(Value::None);
    let os = import(py, "os")?;
    let environ = super::methods::get_attr(&os, "environ")?;
    match environ {
        Value::Dict(d) => Ok(d.borrow().get(&key).unwrap_or(default)),
        _ => Ok(default),
    }
}

/// `time.sleep(seconds)`: runs the triggers that fall due meanwhile (virtual time in the
/// browser) and moves the clock to the end of the sleep.
fn sleep(py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let seconds = args.required("sleep", 0, "secs")?;
    let seconds = seconds
        .as_f64()
        .ok_or_else(|| type_error(format!("'{}' object cannot be interpreted as an integer", seconds.type_name())))?;
    if seconds < 0.0 {
        return Err(PyErr::new("ValueError", "sleep length must be non-negative"));
    }
    let session = py.session();
    let ms = (seconds * 1000.0).round() as i64;
    let deadline = session.clock().now_ms().saturating_add(ms);
    session.sleep(ms);
    if session.clock().now_ms() < deadline {
        session.clock().sleep_until(deadline);
    }
    Ok(Value::None)
}

fn time(py: &Interpreter, _args: Args) -> PyResult<Value> {
    Ok(Value::Float(py.session().clock().now_ms() as f64 / 1000.0))
}

/// `configure_spark_with_delta_pip(builder, extra_packages=None)`: the builder itself (Delta
/// is built in; packages need no download).
fn configure_spark_with_delta_pip(_py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let builder = args.required("configure_spark_with_delta_pip", 0, "spark_session_builder")?;
    args.take(1, "extra_packages");
    args.finish("configure_spark_with_delta_pip", 2)?;
    match builder {
        b @ Value::Spark(Spark::Builder(_)) => Ok(b),
        other => Err(type_error(format!(
            "configure_spark_with_delta_pip() expects SparkSession.builder, not {}",
            other.type_name()
        ))),
    }
}
