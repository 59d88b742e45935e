//! Python values: the built-in types the subset uses, functions, modules, and handles on the
//! engine's objects ([`Spark`]).

use std::cell::RefCell;
use std::rc::Rc;

use ruff_python_ast::{Expr, Parameters, Stmt};
use streamlab_types::SparkError;

use super::args::Args;
use super::error::PyResult;
use super::parse::SourceIndex;
use super::spark::Spark;
use super::Interpreter;

/// A Python value. Containers share their contents (`Rc`), as Python references do.
#[derive(Clone)]
pub enum Value {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// `int` (64-bit here; overflow raises `OverflowError`).
    Int(i64),
    /// `float`.
    Float(f64),
    /// `str`.
    Str(Rc<str>),
    /// `list`.
    List(Rc<RefCell<Vec<Value>>>),
    /// `tuple`.
    Tuple(Rc<Vec<Value>>),
    /// `dict` (insertion ordered).
    Dict(Rc<RefCell<Dict>>),
    /// A `def` or `lambda`.
    Function(Rc<Function>),
    /// A function or class implemented in Rust (`print`, `col`, `StructType`).
    Builtin(Builtin),
    /// `obj.method`, waiting for its call.
    Method(Rc<BoundMethod>),
    /// An imported module.
    Module(Rc<Module>),
    /// `datetime.datetime`, microseconds since the epoch (UTC, naive as PySpark returns them).
    Datetime(i64),
    /// `datetime.date`, days since the epoch.
    Date(i32),
    /// `decimal.Decimal`, by its text.
    Decimal(Rc<str>),
    /// `pyspark.sql.Row`.
    Row(Rc<Row>),
    /// `a[lower:upper:step]`'s slice.
    Slice(Rc<[Value; 3]>),
    /// A caught exception (`except Exception as e`).
    Exception(Rc<SparkError>),
    /// An engine object: session, DataFrame, Column, query, type...
    Spark(Spark),
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&super::repr::repr(self))
    }
}

/// The signature of functions implemented in Rust.
pub type BuiltinFn = fn(&Interpreter, Args) -> PyResult<Value>;

/// A named Rust function callable from Python.
#[derive(Clone, Copy)]
pub struct Builtin {
    /// Its Python name (also the class name for constructors such as `StructType`).
    pub name: &'static str,
    /// The implementation.
    pub func: BuiltinFn,
}

/// A method looked up on a value, called later (`df.select` then `(...)`).
pub struct BoundMethod {
    /// The object.
    pub receiver: Value,
    /// The method name.
    pub name: Rc<str>,
}

/// An imported module: a name and its attributes.
pub struct Module {
    /// The dotted module name.
    pub name: String,
    /// Its attributes, looked up by name.
    pub attrs: Vec<(String, Value)>,
}

impl Module {
    /// The attribute `name`, if the module has it.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }
}

/// What a user function runs: a block (`def`) or one expression (`lambda`).
pub enum Body {
    /// `def` statements.
    Block(Vec<Stmt>),
    /// A lambda's expression.
    Expr(Box<Expr>),
}

/// The variables of the enclosing function a nested `def` or lambda sees, as they were when
/// it was defined.
pub type Closure = Rc<Vec<(String, Value)>>;

/// A function defined in a cell.
pub struct Function {
    /// `def` name, or `<lambda>`.
    pub name: String,
    /// The parameter list.
    pub parameters: Parameters,
    /// Default values, evaluated when the `def` ran, by parameter name.
    pub defaults: Vec<(String, Value)>,
    /// What it runs.
    pub body: Body,
    /// The source it was defined in (for error locations).
    pub source: Rc<SourceIndex>,
    /// The enclosing function's variables when defined inside a function.
    pub closure: Option<Closure>,
}

/// `pyspark.sql.Row`: values with optional field names.
#[derive(Clone)]
pub struct Row {
    /// Field names (empty for `Row(*values)` without names).
    pub names: Vec<String>,
    /// Values, in field order.
    pub values: Vec<Value>,
}

impl Row {
    /// The value of field `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.names.iter().position(|n| n == name).and_then(|i| self.values.get(i))
    }
}

/// An insertion-ordered dict with Python key equality (`1 == 1.0 == True`).
#[derive(Clone, Default)]
pub struct Dict {
    entries: Vec<(Value, Value)>,
}

impl Dict {
    /// An empty dict.
    pub fn new() -> Self {
        Dict::default()
    }

    fn position(&self, key: &Value) -> Option<usize> {
        self.entries.iter().position(|(k, _)| values_equal(k, key))
    }

    /// `d[key]`, if present.
    pub fn get(&self, key: &Value) -> Option<Value> {
        self.position(key).and_then(|i| self.entries.get(i)).map(|(_, v)| v.clone())
    }

    /// `d[key] = value` (keeps the key's first position).
    pub fn insert(&mut self, key: Value, value: Value) {
        match self.position(&key) {
            Some(i) => {
                if let Some(entry) = self.entries.get_mut(i) {
                    entry.1 = value;
                }
            }
            None => self.entries.push((key, value)),
        }
    }

    /// `d.pop(key)`.
    pub fn remove(&mut self, key: &Value) -> Option<Value> {
        self.position(key).map(|i| self.entries.remove(i).1)
    }

    /// The entries, in insertion order.
    pub fn entries(&self) -> &[(Value, Value)] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Value {
    /// A `str` value.
    pub fn str(s: impl AsRef<str>) -> Value {
        Value::Str(Rc::from(s.as_ref()))
    }

    /// A `list` value.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(items)))
    }

    /// A `tuple` value.
    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Rc::new(items))
    }

    /// A `dict` value from string keys.
    pub fn dict(entries: Vec<(String, Value)>) -> Value {
        let mut d = Dict::new();
        for (k, v) in entries {
            d.insert(Value::str(k), v);
        }
        Value::Dict(Rc::new(RefCell::new(d)))
    }

    /// The type name Python prints in errors (`int`, `NoneType`, `DataFrame`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Dict(_) => "dict",
            Value::Function(_) => "function",
            Value::Builtin(_) => "builtin_function_or_method",
            Value::Method(_) => "method",
            Value::Module(_) => "module",
            Value::Datetime(_) => "datetime",
            Value::Date(_) => "date",
            Value::Decimal(_) => "Decimal",
            Value::Row(_) => "Row",
            Value::Slice(_) => "slice",
            Value::Exception(_) => "Exception",
            Value::Spark(s) => s.type_name(),
        }
    }

    /// The text of a `str`, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Python truthiness for plain values (`Column` truthiness is an error, checked by callers).
    pub fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.borrow().is_empty(),
            Value::Tuple(t) => !t.is_empty(),
            Value::Dict(d) => !d.borrow().is_empty(),
            Value::Row(r) => !r.values.is_empty(),
            _ => true,
        }
    }

    /// The number as f64, for `int`, `bool` and `float`.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The integer, for `int` and `bool`.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Bool(b) => Some(i64::from(*b)),
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}

/// Python `==` on plain values (engine objects compare by identity).
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Int(_) | Value::Bool(_), Value::Int(_) | Value::Bool(_)) => a.as_int() == b.as_int(),
        (Value::Float(_) | Value::Int(_) | Value::Bool(_), Value::Float(_) | Value::Int(_) | Value::Bool(_)) => {
            a.as_f64() == b.as_f64()
        }
        (Value::List(x), Value::List(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| values_equal(p, q))
        }
        (Value::Tuple(x), Value::Tuple(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| values_equal(p, q)),
        (Value::Row(x), Value::Row(y)) => {
            x.values.len() == y.values.len() && x.values.iter().zip(y.values.iter()).all(|(p, q)| values_equal(p, q))
        }
        (Value::Row(x), Value::Tuple(y)) | (Value::Tuple(y), Value::Row(x)) => {
            x.values.len() == y.len() && x.values.iter().zip(y.iter()).all(|(p, q)| values_equal(p, q))
        }
        (Value::Dict(x), Value::Dict(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.entries().iter().all(|(k, v)| y.get(k).is_some_and(|w| values_equal(v, &w)))
        }
        (Value::Datetime(x), Value::Datetime(y)) => x == y,
        (Value::Date(x), Value::Date(y)) => x == y,
        (Value::Decimal(x), Value::Decimal(y)) => x == y,
        (Value::Builtin(x), Value::Builtin(y)) => x.name == y.name,
        (Value::Function(x), Value::Function(y)) => Rc::ptr_eq(x, y),
        (Value::Module(x), Value::Module(y)) => x.name == y.name,
        (Value::Spark(x), Value::Spark(y)) => x.same(y),
        _ => false,
    }
}
