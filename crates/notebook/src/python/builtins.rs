//! Python's built-in functions and exception classes that the subset offers.

use std::rc::Rc;

use streamlab_types::{ErrorKind, SparkError};

use super::args::Args;
use super::error::{type_error, value_error, PyErr, PyResult};
use super::eval::{iterate_value as iterate, truthy};
use super::methods::{get_attr, sort_values};
use super::ops::compare_values;
use super::repr::{repr, to_str};
use super::value::{Builtin, BuiltinFn, Dict, Value};
use super::Interpreter;

macro_rules! exceptions {
    ($($name:ident),* $(,)?) => {
        /// Exception classes: calling one makes an exception value `raise` accepts.
        const EXCEPTIONS: &[(&str, BuiltinFn)] = &[$((stringify!($name), |_py, args| {
            let message = args.positional.first().map(to_str).unwrap_or_default();
            Ok(Value::Exception(Rc::new(new_exception(stringify!($name), message))))
        })),*];
    };
}

exceptions!(
    BaseException, Exception, ValueError, TypeError, KeyError, IndexError, LookupError, RuntimeError, NameError,
    AttributeError, ZeroDivisionError, ArithmeticError, OverflowError, NotImplementedError, AssertionError,
    ImportError, ModuleNotFoundError, RecursionError, KeyboardInterrupt, AnalysisException,
    StreamingQueryException, IllegalArgumentException, ParseException, PySparkException, PySparkValueError,
    PySparkTypeError,
);

const FUNCTIONS: &[(&str, BuiltinFn)] = &[
    ("print", print),
    ("len", len),
    ("range", range),
    ("str", str_),
    ("int", int),
    ("float", float),
    ("bool", bool_),
    ("list", list),
    ("tuple", tuple),
    ("dict", dict),
    ("sorted", sorted),
    ("enumerate", enumerate),
    ("zip", zip),
    ("min", min),
    ("max", max),
    ("sum", sum),
    ("round", round),
    ("abs", abs),
    ("repr", repr_),
    ("isinstance", isinstance),
    ("type", type_),
    ("any", any),
    ("all", all),
    ("reversed", reversed),
    ("hasattr", hasattr),
    ("getattr", getattr),
    ("format", format),
    ("display", display),
];

/// Names that print as classes (`<class 'int'>`) rather than functions.
pub(crate) fn is_class(name: &str) -> bool {
    matches!(name, "str" | "int" | "float" | "bool" | "list" | "tuple" | "dict" | "range" | "type")
        || is_exception_class(name)
}

/// The built-in called `name`.
pub(crate) fn lookup(name: &str) -> Option<Value> {
    FUNCTIONS
        .iter()
        .chain(EXCEPTIONS)
        .find(|(n, _)| *n == name)
        .map(|(n, f)| Value::Builtin(Builtin { name: n, func: *f }))
}

/// Whether `name` is one of the exception classes.
pub(crate) fn is_exception_class(name: &str) -> bool {
    EXCEPTIONS.iter().any(|(n, _)| *n == name)
}

/// An exception of class `name` (a static name from the class table) with `message`.
pub(crate) fn new_exception(name: &str, message: String) -> SparkError {
    let name = EXCEPTIONS.iter().map(|(n, _)| *n).find(|n| *n == name).unwrap_or("Exception");
    SparkError::new(ErrorKind::Python(name), message)
}

/// Whether `except <class>` catches an exception named `raised`.
pub(crate) fn exception_matches(class: &str, raised: &str) -> bool {
    class == raised
        || class == "BaseException"
        || (class == "Exception" && raised != "KeyboardInterrupt")
        || match class {
            "LookupError" => matches!(raised, "KeyError" | "IndexError"),
            "ArithmeticError" => matches!(raised, "ZeroDivisionError" | "OverflowError" | "ArithmeticException"),
            "ImportError" => raised == "ModuleNotFoundError",
            "RuntimeError" => matches!(raised, "RecursionError" | "NotImplementedError"),
            "ValueError" => raised == "PySparkValueError",
            "TypeError" => raised == "PySparkTypeError",
            "PySparkException" => raised.starts_with("PySpark"),
            _ => false,
        }
}

fn one(args: &Args, function: &str) -> PyResult<Value> {
    args.positional.first().cloned().ok_or_else(|| type_error(format!("{function}() takes exactly one argument (0 given)")))
}

fn print(py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let sep = match args.keyword("sep") {
        None | Some(Value::None) => " ".to_string(),
        Some(Value::Str(s)) => s.to_string(),
        Some(other) => return Err(type_error(format!("sep must be None or a string, not {}", other.type_name()))),
    };
    let end = match args.keyword("end") {
        None | Some(Value::None) => "\n".to_string(),
        Some(Value::Str(s)) => s.to_string(),
        Some(other) => return Err(type_error(format!("end must be None or a string, not {}", other.type_name()))),
    };
    args.keyword("flush");
    args.keyword("file");
    args.finish("print", usize::MAX)?;
    let text = args.positional.iter().map(to_str).collect::<Vec<_>>().join(&sep);
    py.print(text + &end);
    Ok(Value::None)
}

fn len(py: &Interpreter, args: Args) -> PyResult<Value> {
    let v = one(&args, "len")?;
    let n = match &v {
        Value::Str(s) => s.chars().count(),
        Value::List(l) => l.borrow().len(),
        Value::Tuple(t) => t.len(),
        Value::Dict(d) => d.borrow().len(),
        Value::Row(r) => r.values.len(),
        Value::Spark(s) => return super::spark::len(py, s),
        other => return Err(type_error(format!("object of type '{}' has no len()", other.type_name()))),
    };
    Ok(Value::Int(n as i64))
}

fn int_of(v: &Value) -> PyResult<i64> {
    v.as_int().ok_or_else(|| type_error(format!("'{}' object cannot be interpreted as an integer", v.type_name())))
}

fn range(_py: &Interpreter, args: Args) -> PyResult<Value> {
    let ints = args.positional.iter().map(int_of).collect::<PyResult<Vec<_>>>()?;
    let (start, stop, step) = match ints.as_slice() {
        [stop] => (0, *stop, 1),
        [start, stop] => (*start, *stop, 1),
        [start, stop, step] => (*start, *stop, *step),
        _ => return Err(type_error(format!("range expected at most 3 arguments, got {}", ints.len()))),
    };
    if step == 0 {
        return Err(value_error("range() arg 3 must not be zero"));
    }
    let (start, stop, step) = (i128::from(start), i128::from(stop), i128::from(step));
    let span = if step > 0 { (stop - start).max(0) } else { (start - stop).max(0) };
    let count = (span + step.abs() - 1) / step.abs();
    if count > MAX_ITEMS as i128 {
        return Err(too_many());
    }
    Ok(Value::list((0..count).filter_map(|i| i64::try_from(start + i * step).ok()).map(Value::Int).collect()))
}

/// The most items a built-in creates at once (`range`, `*` on sequences).
pub(crate) const MAX_ITEMS: usize = 10_000_000;

/// `MemoryError` past [`MAX_ITEMS`].
pub(crate) fn too_many() -> PyErr {
    PyErr::new("MemoryError", "StreamLab builds at most 10,000,000 items at once")
}

fn str_(_py: &Interpreter, args: Args) -> PyResult<Value> {
    Ok(Value::str(args.positional.first().map(to_str).unwrap_or_default()))
}

fn int(_py: &Interpreter, args: Args) -> PyResult<Value> {
    match args.positional.first() {
        None => Ok(Value::Int(0)),
        Some(Value::Int(i)) => Ok(Value::Int(*i)),
        Some(Value::Bool(b)) => Ok(Value::Int(i64::from(*b))),
        Some(Value::Float(f)) => {
            if f.is_nan() {
                return Err(value_error("cannot convert float NaN to integer"));
            }
            if f.is_infinite() {
                return Err(PyErr::new("OverflowError", "cannot convert float infinity to integer"));
            }
            Ok(Value::Int(f.trunc() as i64))
        }
        Some(Value::Str(s)) => s
            .trim()
            .replace('_', "")
            .parse::<i64>()
            .map(Value::Int)
            .map_err(|_| value_error(format!("invalid literal for int() with base 10: {}", repr(&Value::str(s))))),
        Some(other) => Err(type_error(format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
            other.type_name()
        ))),
    }
}

fn float(_py: &Interpreter, args: Args) -> PyResult<Value> {
    match args.positional.first() {
        None => Ok(Value::Float(0.0)),
        Some(v @ (Value::Int(_) | Value::Bool(_) | Value::Float(_))) => Ok(Value::Float(v.as_f64().unwrap_or(0.0))),
        Some(Value::Str(s)) => {
            let t = s.trim().to_ascii_lowercase();
            let parsed = match t.as_str() {
                "nan" | "+nan" | "-nan" => Some(f64::NAN),
                "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
                "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
                _ => t.replace('_', "").parse::<f64>().ok(),
            };
            parsed
                .map(Value::Float)
                .ok_or_else(|| value_error(format!("could not convert string to float: {}", repr(&Value::str(s)))))
        }
        Some(other) => Err(type_error(format!("float() argument must be a string or a real number, not '{}'", other.type_name()))),
    }
}

fn bool_(_py: &Interpreter, args: Args) -> PyResult<Value> {
    Ok(Value::Bool(match args.positional.first() {
        Some(v) => truthy(v)?,
        None => false,
    }))
}

fn list(py: &Interpreter, args: Args) -> PyResult<Value> {
    Ok(Value::list(match args.positional.first() {
        Some(v) => iterate(py, v)?,
        None => Vec::new(),
    }))
}

fn tuple(py: &Interpreter, args: Args) -> PyResult<Value> {
    Ok(Value::tuple(match args.positional.first() {
        Some(v) => iterate(py, v)?,
        None => Vec::new(),
    }))
}

fn dict(py: &Interpreter, args: Args) -> PyResult<Value> {
    let mut d = Dict::new();
    match args.positional.first() {
        Some(Value::Dict(other)) => {
            for (k, v) in other.borrow().entries() {
                d.insert(k.clone(), v.clone());
            }
        }
        Some(other) => {
            for pair in iterate(py, other)? {
                let kv = iterate(py, &pair)?;
                let [k, v] = <[Value; 2]>::try_from(kv).map_err(|kv| {
                    value_error(format!("dictionary update sequence element has length {}; 2 is required", kv.len()))
                })?;
                d.insert(k, v);
            }
        }
        None => {}
    }
    for (k, v) in args.keywords {
        d.insert(Value::str(k), v);
    }
    Ok(Value::Dict(Rc::new(std::cell::RefCell::new(d))))
}

fn sorted(py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let key = args.keyword("key");
    let reverse = args.keyword("reverse").is_some_and(|v| v.truthy());
    args.finish("sorted", 1)?;
    let items = iterate(py, &one(&args, "sorted")?)?;
    Ok(Value::list(sort_values(py, items, key.as_ref(), reverse)?))
}

fn enumerate(py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let items = iterate(py, &args.required("enumerate", 0, "iterable")?)?;
    let start = args.take(1, "start").map(|v| int_of(&v)).transpose()?.unwrap_or(0);
    Ok(Value::list(items.into_iter().enumerate().map(|(i, v)| Value::tuple(vec![Value::Int(start + i as i64), v])).collect()))
}

fn zip(py: &Interpreter, args: Args) -> PyResult<Value> {
    let lists = args.positional.iter().map(|v| iterate(py, v)).collect::<PyResult<Vec<_>>>()?;
    let n = lists.iter().map(Vec::len).min().unwrap_or(0);
    Ok(Value::list((0..n).map(|i| Value::tuple(lists.iter().filter_map(|l| l.get(i).cloned()).collect())).collect()))
}

fn extreme(py: &Interpreter, mut args: Args, name: &str, want: std::cmp::Ordering) -> PyResult<Value> {
    let key = args.keyword("key");
    let default = args.keyword("default");
    let items = if args.positional.len() == 1 { iterate(py, &args.positional[0])? } else { args.positional.clone() };
    let mut best: Option<(Value, Value)> = None;
    for item in items {
        let k = match &key {
            Some(f) if !matches!(f, Value::None) => py.call(f, Args::positional(vec![item.clone()]))?,
            _ => item.clone(),
        };
        let better = match &best {
            None => true,
            Some((bk, _)) => compare_values(&k, bk, if name == "max" { ">" } else { "<" })? == want,
        };
        if better {
            best = Some((k, item));
        }
    }
    match best {
        Some((_, v)) => Ok(v),
        None => default.ok_or_else(|| value_error(format!("{name}() arg is an empty sequence"))),
    }
}

fn min(py: &Interpreter, args: Args) -> PyResult<Value> {
    extreme(py, args, "min", std::cmp::Ordering::Less)
}

fn max(py: &Interpreter, args: Args) -> PyResult<Value> {
    extreme(py, args, "max", std::cmp::Ordering::Greater)
}

fn sum(py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let items = iterate(py, &args.required("sum", 0, "iterable")?)?;
    let mut total = args.take(1, "start").unwrap_or(Value::Int(0));
    for item in items {
        total = super::ops::binary(py, ruff_python_ast::Operator::Add, &total, &item)?;
    }
    Ok(total)
}

fn round(_py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let x = args.required("round", 0, "number")?;
    let digits = args.take(1, "ndigits").filter(|v| !matches!(v, Value::None));
    match (&x, digits) {
        (Value::Int(_) | Value::Bool(_), _) => Ok(Value::Int(x.as_int().unwrap_or(0))),
        (Value::Float(f), None) => {
            let r = f.round();
            let r = if (f - f.trunc()).abs() == 0.5 { 2.0 * (f / 2.0).round() } else { r };
            if !r.is_finite() {
                return Err(PyErr::new("OverflowError", "cannot convert float infinity to integer"));
            }
            Ok(Value::Int(r as i64))
        }
        (Value::Float(f), Some(d)) => {
            let d = int_of(&d)?;
            if d < 0 {
                let p = 10f64.powi(d.saturating_neg().min(400) as i32);
                if !p.is_finite() {
                    return Ok(Value::Float(0.0 * f));
                }
                return Ok(Value::Float((f / p).round() * p));
            }
            let text = format!("{:.*}", d.min(17) as usize, f);
            Ok(Value::Float(text.parse().unwrap_or(*f)))
        }
        (other, _) => Err(type_error(format!("type {} doesn't define __round__ method", other.type_name()))),
    }
}

fn abs(_py: &Interpreter, args: Args) -> PyResult<Value> {
    match one(&args, "abs")? {
        v @ (Value::Int(_) | Value::Bool(_)) => {
            Ok(Value::Int(v.as_int().unwrap_or(0).checked_abs().ok_or_else(|| PyErr::new("OverflowError", "integer overflow"))?))
        }
        Value::Float(f) => Ok(Value::Float(f.abs())),
        Value::Spark(s) => super::spark::functions::call_function("abs", Args::positional(vec![Value::Spark(s)])),
        other => Err(type_error(format!("bad operand type for abs(): '{}'", other.type_name()))),
    }
}

fn repr_(_py: &Interpreter, args: Args) -> PyResult<Value> {
    Ok(Value::str(repr(&one(&args, "repr")?)))
}

/// Whether `value` is an instance of the class `class` (a builtin class or a PySpark class).
fn instance_of(value: &Value, class: &Value) -> PyResult<bool> {
    match class {
        Value::Tuple(t) => {
            for c in t.iter() {
                if instance_of(value, c)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Value::Builtin(b) => Ok(match value {
            Value::Exception(e) => exception_matches(b.name, e.kind.exception_name()),
            Value::Bool(_) if b.name == "int" => true,
            Value::Row(_) if b.name == "tuple" => true,
            other => other.type_name() == b.name,
        }),
        Value::Spark(super::spark::Spark::Class(name)) => Ok(value.type_name() == *name),
        Value::Spark(super::spark::Spark::SessionClass) => Ok(value.type_name() == "SparkSession"),
        other => Err(type_error(format!(
            "isinstance() arg 2 must be a type, a tuple of types, or a union, not {}",
            other.type_name()
        ))),
    }
}

fn isinstance(_py: &Interpreter, args: Args) -> PyResult<Value> {
    let (Some(value), Some(class)) = (args.positional.first(), args.positional.get(1)) else {
        return Err(type_error(format!("isinstance expected 2 arguments, got {}", args.positional.len())));
    };
    Ok(Value::Bool(instance_of(value, class)?))
}

fn type_(_py: &Interpreter, args: Args) -> PyResult<Value> {
    let v = one(&args, "type")?;
    let name = match &v {
        Value::Exception(e) => e.kind.exception_name(),
        other => other.type_name(),
    };
    Ok(lookup(name).unwrap_or(Value::Builtin(Builtin {
        name,
        func: |_, _| Err(type_error("StreamLab cannot create objects of this type by calling it")),
    })))
}

fn any(py: &Interpreter, args: Args) -> PyResult<Value> {
    for v in iterate(py, &one(&args, "any")?)? {
        if truthy(&v)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn all(py: &Interpreter, args: Args) -> PyResult<Value> {
    for v in iterate(py, &one(&args, "all")?)? {
        if !truthy(&v)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

fn reversed(py: &Interpreter, args: Args) -> PyResult<Value> {
    let mut items = iterate(py, &one(&args, "reversed")?)?;
    items.reverse();
    Ok(Value::list(items))
}

fn attr_name(args: &Args, function: &str) -> PyResult<(Value, String)> {
    match (args.positional.first(), args.positional.get(1)) {
        (Some(obj), Some(Value::Str(name))) => Ok((obj.clone(), name.to_string())),
        (Some(_), Some(_)) => Err(type_error(format!("{function}(): attribute name must be string"))),
        _ => Err(type_error(format!("{function} expected 2 arguments, got {}", args.positional.len()))),
    }
}

fn hasattr(_py: &Interpreter, args: Args) -> PyResult<Value> {
    let (obj, name) = attr_name(&args, "hasattr")?;
    Ok(Value::Bool(get_attr(&obj, &name).is_ok()))
}

fn getattr(_py: &Interpreter, args: Args) -> PyResult<Value> {
    let (obj, name) = attr_name(&args, "getattr")?;
    match (get_attr(&obj, &name), args.positional.get(2)) {
        (Ok(v), _) => Ok(v),
        (Err(e), Some(default)) if e.name() == "AttributeError" => Ok(default.clone()),
        (Err(e), _) => Err(e),
    }
}

fn format(_py: &Interpreter, args: Args) -> PyResult<Value> {
    let v = one(&args, "format")?;
    let spec = args.positional.get(1).map(to_str).unwrap_or_default();
    Ok(Value::str(super::format::format_value(&v, &spec)?))
}

fn display(py: &Interpreter, args: Args) -> PyResult<Value> {
    for v in &args.positional {
        super::spark::display(py, v)?;
    }
    Ok(Value::None)
}
