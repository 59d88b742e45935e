//! `pyspark.sql.types`: Spark SQL types as Python values over Arrow types, with PySpark's
//! reprs (`StructType([StructField('a', LongType(), True)])`) and `simpleString()`.

use std::rc::Rc;

use arrow::datatypes::{DataType, Field, Fields, TimeUnit};
use streamlab_types::ddl::{list_of, map_of, simple_string};

use super::Spark;
use crate::python::args::Args;
use crate::python::error::{attribute_error, type_error, PyErr, PyResult};
use crate::python::value::{Builtin, BuiltinFn, Row, Value};
use crate::python::Interpreter;

/// Methods of every data type.
pub(crate) const METHODS: &[&str] = &["simpleString", "typeName", "fieldNames", "add", "json"];
/// Methods of `StructField`.
pub(crate) const FIELD_METHODS: &[&str] = &["simpleString"];

fn ty(dt: DataType) -> Value {
    Value::Spark(Spark::DataType(dt))
}

macro_rules! atomic {
    ($($name:literal => $dt:expr),* $(,)?) => {
        const ATOMIC: &[(&str, BuiltinFn)] = &[$(($name, |_py, _args| Ok(ty($dt)))),*];
    };
}

atomic!(
    "StringType" => DataType::Utf8,
    "LongType" => DataType::Int64,
    "IntegerType" => DataType::Int32,
    "ShortType" => DataType::Int16,
    "ByteType" => DataType::Int8,
    "DoubleType" => DataType::Float64,
    "FloatType" => DataType::Float32,
    "BooleanType" => DataType::Boolean,
    "TimestampType" => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
    "TimestampNTZType" => DataType::Timestamp(TimeUnit::Microsecond, None),
    "DateType" => DataType::Date32,
    "BinaryType" => DataType::Binary,
    "NullType" => DataType::Null,
);

/// The module's attributes.
pub(crate) fn module_attrs() -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> =
        ATOMIC.iter().map(|(n, f)| (n.to_string(), Value::Builtin(Builtin { name: n, func: *f }))).collect();
    let constructors: [(&'static str, BuiltinFn); 5] = [
        ("StructType", struct_type),
        ("StructField", struct_field),
        ("DecimalType", decimal_type),
        ("ArrayType", array_type),
        ("MapType", map_type),
    ];
    out.extend(constructors.iter().map(|(n, f)| (n.to_string(), Value::Builtin(Builtin { name: n, func: *f }))));
    out.push(("Row".into(), row_class()));
    out
}

/// `pyspark.sql.Row`.
pub(crate) fn row_class() -> Value {
    Value::Builtin(Builtin { name: "Row", func: row })
}

fn row(_py: &Interpreter, args: Args) -> PyResult<Value> {
    if !args.positional.is_empty() && !args.keywords.is_empty() {
        return Err(PyErr::new("ValueError", "Can not use both args and kwargs to create Row"));
    }
    if !args.keywords.is_empty() {
        let (names, values) = args.keywords.into_iter().unzip();
        return Ok(Value::Row(Rc::new(Row { names, values })));
    }
    Ok(Value::Row(Rc::new(Row { names: Vec::new(), values: args.positional })))
}

/// The PySpark class name of a type (`LongType`).
pub(crate) fn class_name(dt: &DataType) -> &'static str {
    match dt {
        DataType::Utf8 | DataType::LargeUtf8 => "StringType",
        DataType::Int64 => "LongType",
        DataType::Int32 => "IntegerType",
        DataType::Int16 => "ShortType",
        DataType::Int8 => "ByteType",
        DataType::Float64 => "DoubleType",
        DataType::Float32 => "FloatType",
        DataType::Boolean => "BooleanType",
        DataType::Timestamp(_, Some(_)) => "TimestampType",
        DataType::Timestamp(_, None) => "TimestampNTZType",
        DataType::Date32 => "DateType",
        DataType::Binary => "BinaryType",
        DataType::Null => "NullType",
        DataType::Decimal128(_, _) => "DecimalType",
        DataType::List(_) => "ArrayType",
        DataType::Map(_, _) => "MapType",
        DataType::Struct(_) => "StructType",
        _ => "DataType",
    }
}

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// `repr(type)` as PySpark 3.5 prints it.
pub(crate) fn repr(dt: &DataType) -> String {
    match dt {
        DataType::Decimal128(p, s) => format!("DecimalType({p},{s})"),
        DataType::List(f) => format!("ArrayType({}, {})", repr(f.data_type()), py_bool(f.is_nullable())),
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => format!(
                "MapType({}, {}, {})",
                repr(kv[0].data_type()),
                repr(kv[1].data_type()),
                py_bool(kv[1].is_nullable())
            ),
            _ => "MapType()".into(),
        },
        DataType::Struct(fields) => {
            format!("StructType([{}])", fields.iter().map(|f| field_repr(f)).collect::<Vec<_>>().join(", "))
        }
        other => format!("{}()", class_name(other)),
    }
}

/// `repr(StructField)`.
pub(crate) fn field_repr(f: &Field) -> String {
    format!("StructField({}, {}, {})", crate::python::repr::str_repr(f.name()), repr(f.data_type()), py_bool(f.is_nullable()))
}

/// A type argument: a type value or a DDL type string (`cast("string")`).
pub(crate) fn data_type_arg(v: &Value) -> PyResult<DataType> {
    match v {
        Value::Spark(Spark::DataType(dt)) => Ok(dt.clone()),
        Value::Str(s) => Ok(streamlab_expr::parse_data_type(s)?),
        Value::Builtin(b) if ATOMIC.iter().any(|(n, _)| *n == b.name) => Err(type_error(format!(
            "{} is a class: call it, as in {}()",
            b.name, b.name
        ))),
        other => Err(crate::python::error::pyspark_error(
            "PySparkTypeError",
            "NOT_DATATYPE_OR_STR",
            format!("Argument `dataType` should be a DataType or str, got {}.", other.type_name()),
        )),
    }
}

fn field_of(v: &Value) -> PyResult<Field> {
    match v {
        Value::Spark(Spark::Field(f)) => Ok(f.as_ref().clone()),
        other => Err(type_error(format!("StructType fields must be StructField, not {}", other.type_name()))),
    }
}

fn struct_type(py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let fields = match args.take(0, "fields") {
        None | Some(Value::None) => Vec::new(),
        Some(v) => crate::python::eval::iterate_value(py, &v)?.iter().map(field_of).collect::<PyResult<Vec<_>>>()?,
    };
    args.finish("StructType", 1)?;
    Ok(ty(DataType::Struct(Fields::from(fields))))
}

fn struct_field(_py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let name = args.required("StructField", 0, "name")?;
    let Value::Str(name) = name else {
        return Err(type_error(format!("field name should be a string, got {}", name.type_name())));
    };
    let dt = data_type_arg(&args.required("StructField", 1, "dataType")?)?;
    let nullable = args.take(2, "nullable").map(|v| v.truthy()).unwrap_or(true);
    args.keyword("metadata");
    args.finish("StructField", 4)?;
    Ok(Value::Spark(Spark::Field(Rc::new(Field::new(name.as_ref(), dt, nullable)))))
}

fn decimal_type(_py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let p = args.take(0, "precision").and_then(|v| v.as_int()).unwrap_or(10);
    let s = args.take(1, "scale").and_then(|v| v.as_int()).unwrap_or(0);
    let (Ok(p), Ok(s)) = (u8::try_from(p), i8::try_from(s)) else {
        return Err(PyErr::new("ValueError", "decimal precision and scale out of range"));
    };
    Ok(ty(DataType::Decimal128(p, s)))
}

fn array_type(_py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let element = data_type_arg(&args.required("ArrayType", 0, "elementType")?)?;
    let contains_null = args.take(1, "containsNull").map(|v| v.truthy()).unwrap_or(true);
    Ok(ty(match list_of(element) {
        DataType::List(f) => DataType::List(std::sync::Arc::new(f.as_ref().clone().with_nullable(contains_null))),
        other => other,
    }))
}

fn map_type(_py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let key = data_type_arg(&args.required("MapType", 0, "keyType")?)?;
    let value = data_type_arg(&args.required("MapType", 1, "valueType")?)?;
    Ok(ty(map_of(key, value)))
}

/// Properties of a type value.
pub(crate) fn attr(dt: &DataType, name: &str) -> Option<Value> {
    match (dt, name) {
        (DataType::Struct(fields), "fields") => Some(Value::list(
            fields.iter().map(|f| Value::Spark(Spark::Field(Rc::new(f.as_ref().clone())))).collect(),
        )),
        (DataType::Struct(fields), "names") => Some(Value::list(fields.iter().map(|f| Value::str(f.name())).collect())),
        (DataType::List(f), "elementType") => Some(ty(f.data_type().clone())),
        (DataType::List(f), "containsNull") => Some(Value::Bool(f.is_nullable())),
        (DataType::Decimal128(p, _), "precision") => Some(Value::Int(i64::from(*p))),
        (DataType::Decimal128(_, s), "scale") => Some(Value::Int(i64::from(*s))),
        _ => None,
    }
}

/// Methods of a type value.
pub(crate) fn call(dt: &DataType, name: &str, args: Args) -> PyResult<Value> {
    match (dt, name) {
        (_, "simpleString") => Ok(Value::str(simple_string(dt))),
        (_, "typeName") => Ok(Value::str(class_name(dt).trim_end_matches("Type").to_lowercase())),
        (DataType::Struct(fields), "fieldNames") => Ok(Value::list(fields.iter().map(|f| Value::str(f.name())).collect())),
        (DataType::Struct(fields), "add") => {
            let mut args = args;
            let first = args.required("add", 0, "field")?;
            let field = match first {
                Value::Spark(Spark::Field(f)) => f.as_ref().clone(),
                Value::Str(n) => {
                    let dt = data_type_arg(&args.required("add", 1, "data_type")?)?;
                    let nullable = args.take(2, "nullable").map(|v| v.truthy()).unwrap_or(true);
                    Field::new(n.as_ref(), dt, nullable)
                }
                other => return Err(type_error(format!("add() expects a StructField or a name, not {}", other.type_name()))),
            };
            let mut all: Vec<Field> = fields.iter().map(|f| f.as_ref().clone()).collect();
            all.push(field);
            Ok(ty(DataType::Struct(Fields::from(all))))
        }
        _ => Err(attribute_error(class_name(dt), name)),
    }
}

/// Properties of a `StructField`.
pub(crate) fn field_attr(f: &Field, name: &str) -> Option<Value> {
    match name {
        "name" => Some(Value::str(f.name())),
        "dataType" => Some(ty(f.data_type().clone())),
        "nullable" => Some(Value::Bool(f.is_nullable())),
        "metadata" => Some(Value::dict(Vec::new())),
        _ => None,
    }
}

/// Methods of a `StructField`.
pub(crate) fn field_call(f: &Field, name: &str, _args: Args) -> PyResult<Value> {
    match name {
        "simpleString" => Ok(Value::str(format!("{}:{}", f.name(), simple_string(f.data_type())))),
        _ => Err(attribute_error("StructField", name)),
    }
}

/// `struct_type["name"]` / `struct_type[0]`.
pub(crate) fn get_item(dt: &DataType, key: &Value) -> PyResult<Value> {
    let DataType::Struct(fields) = dt else {
        return Err(type_error(format!("'{}' object is not subscriptable", class_name(dt))));
    };
    let field = match key {
        Value::Str(name) => fields
            .iter()
            .find(|f| f.name() == name.as_ref())
            .ok_or_else(|| PyErr::new("KeyError", format!("No StructField named {name}")))?,
        Value::Int(i) => {
            let n = fields.len() as i64;
            let j = if *i < 0 { i + n } else { *i };
            fields
                .get(usize::try_from(j).unwrap_or(usize::MAX))
                .ok_or_else(|| PyErr::new("IndexError", "StructType index out of range"))?
        }
        other => return Err(type_error(format!("StructType keys should be strings or integers, not {}", other.type_name()))),
    };
    Ok(Value::Spark(Spark::Field(Rc::new(field.as_ref().clone()))))
}
