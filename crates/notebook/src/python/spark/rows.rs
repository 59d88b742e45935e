//! Rows between Arrow and Python: `collect()` results as `Row`s of Python values, and
//! `createDataFrame` data as Arrow batches.

use std::rc::Rc;
use std::sync::Arc;

use arrow::array::{new_null_array, Array, ArrayRef, AsArray};
use arrow::compute::concat;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use streamlab_expr::aggregate::literal_at;
use streamlab_expr::Literal;
use streamlab_types::SparkError;

use super::column::literal;
use crate::python::error::{type_error, PyResult};
use crate::python::value::{Dict, Row, Value};

/// The Python value of `array[row]`, as PySpark's `collect()` converts it.
pub(crate) fn value_at(array: &ArrayRef, row: usize) -> PyResult<Value> {
    if array.is_null(row) {
        return Ok(Value::None);
    }
    Ok(match array.data_type() {
        DataType::Struct(fields) => {
            let s = array.as_struct();
            let mut values = Vec::with_capacity(fields.len());
            for c in s.columns() {
                values.push(value_at(c, row)?);
            }
            Value::Row(Rc::new(Row { names: fields.iter().map(|f| f.name().clone()).collect(), values }))
        }
        DataType::List(_) => {
            let items = array.as_list::<i32>().value(row);
            Value::list((0..items.len()).map(|i| value_at(&items, i)).collect::<PyResult<Vec<_>>>()?)
        }
        DataType::Map(_, _) => {
            let entries = array.as_map().value(row);
            let (keys, values) = (entries.column(0).clone(), entries.column(1).clone());
            let mut d = Dict::new();
            for i in 0..entries.len() {
                d.insert(value_at(&keys, i)?, value_at(&values, i)?);
            }
            Value::Dict(Rc::new(std::cell::RefCell::new(d)))
        }
        _ => match literal_at(array, row)? {
            Literal::Null => Value::None,
            Literal::Boolean(b) => Value::Bool(b),
            Literal::Byte(v) => Value::Int(i64::from(v)),
            Literal::Short(v) => Value::Int(i64::from(v)),
            Literal::Int(v) => Value::Int(i64::from(v)),
            Literal::Long(v) => Value::Int(v),
            Literal::Float(v) => Value::Float(f64::from(v)),
            Literal::Double(v) => Value::Float(v),
            d @ Literal::Decimal(..) => Value::Decimal(Rc::from(d.pretty())),
            Literal::String(s) => Value::str(s),
            Literal::Binary(b) => Value::str(format!("bytearray({b:?})")),
            Literal::Date(d) => Value::Date(d),
            Literal::Timestamp(t) => Value::Datetime(t),
            Literal::DataType(_) => Value::None,
        },
    })
}

/// Every row of `batch` as a `Row`.
pub(crate) fn batch_rows(batch: &RecordBatch) -> PyResult<Vec<Value>> {
    let names: Vec<String> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
    let mut out = Vec::with_capacity(batch.num_rows());
    for r in 0..batch.num_rows() {
        let values = batch.columns().iter().map(|c| value_at(c, r)).collect::<PyResult<Vec<_>>>()?;
        out.push(Value::Row(Rc::new(Row { names: names.clone(), values })));
    }
    Ok(out)
}

/// The Spark type `createDataFrame` infers for a Python value.
fn infer_type(v: &Value) -> Option<DataType> {
    Some(match v {
        Value::Bool(_) => DataType::Boolean,
        Value::Int(_) => DataType::Int64,
        Value::Float(_) => DataType::Float64,
        Value::Str(_) => DataType::Utf8,
        Value::Datetime(_) => streamlab_expr::types::timestamp_type(),
        Value::Date(_) => DataType::Date32,
        _ => return None,
    })
}

/// The records of `createDataFrame(data)`: each a list of values, with names when the records
/// carry them (`Row(a=1)`, dicts).
struct Records {
    rows: Vec<Vec<Value>>,
    names: Option<Vec<String>>,
}

fn records(data: &[Value]) -> Records {
    let mut names = None;
    let mut out = Vec::with_capacity(data.len());
    for item in data {
        match item {
            Value::Row(r) => {
                if !r.names.is_empty() && names.is_none() {
                    names = Some(r.names.clone());
                }
                out.push(r.values.clone());
            }
            Value::Tuple(t) => out.push(t.as_ref().clone()),
            Value::List(l) => out.push(l.borrow().clone()),
            Value::Dict(d) => {
                let d = d.borrow();
                if names.is_none() {
                    names = Some(d.entries().iter().map(|(k, _)| crate::python::repr::to_str(k)).collect());
                }
                out.push(d.entries().iter().map(|(_, v)| v.clone()).collect());
            }
            other => out.push(vec![other.clone()]),
        }
    }
    Records { rows: out, names }
}

/// `createDataFrame(data, schema)`: the schema (given, or inferred with `names`) and the batch.
pub(crate) fn build_batch(data: &[Value], schema: Option<SchemaRef>, names: Option<Vec<String>>) -> PyResult<(SchemaRef, RecordBatch)> {
    let Records { rows, names: row_names } = records(data);
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let schema = match schema {
        Some(s) => s,
        None => {
            let names = names.or(row_names).unwrap_or_else(|| (1..=width).map(|i| format!("_{i}")).collect());
            let fields = names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let dt = rows.iter().filter_map(|r| r.get(i)).find_map(infer_type).ok_or_else(|| {
                        cannot_infer(n)
                    })?;
                    Ok(Field::new(n, dt, true))
                })
                .collect::<PyResult<Vec<_>>>()?;
            Arc::new(Schema::new(fields))
        }
    };
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    for (i, field) in schema.fields().iter().enumerate() {
        let mut parts: Vec<ArrayRef> = Vec::with_capacity(rows.len());
        for r in &rows {
            let v = r.get(i).cloned().unwrap_or(Value::None);
            let single = match literal(&v)? {
                Literal::Null => new_null_array(field.data_type(), 1),
                l => streamlab_expr::cast::cast_array(&l.to_array(), field.data_type()).map_err(|e| {
                    type_error(format!("field {}: {} can not accept object {} ({e})", field.name(), field.data_type(), crate::python::repr::repr(&v)))
                })?,
            };
            parts.push(single);
        }
        let refs: Vec<&dyn Array> = parts.iter().map(|a| a.as_ref()).collect();
        columns.push(if refs.is_empty() { new_null_array(field.data_type(), 0) } else { concat(&refs).map_err(SparkError::from)? });
    }
    let batch = RecordBatch::try_new(schema.clone(), columns).map_err(SparkError::from)?;
    Ok((schema, batch))
}

fn cannot_infer(name: &str) -> crate::python::error::PyErr {
    crate::python::error::pyspark_error(
        "PySparkValueError",
        "CANNOT_DETERMINE_TYPE",
        format!("Some of types cannot be determined after inferring (column `{name}`)."),
    )
}
