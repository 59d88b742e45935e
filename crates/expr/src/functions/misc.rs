//! Odds and ends: `isnull`/`isnotnull` as functions, `isnan`, `nanvl`, `typeof`,
//! `monotonically_increasing_id` (which streams reject), `spark_partition_id`.

use std::sync::Arc;

use arrow::array::{ArrayRef, AsArray, BooleanArray, Int32Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Float64Type};
use streamlab_types::{Result, SparkError};

use super::{arg, def, make, Call, FunctionDef};
use crate::cast::to_f64;
use crate::ops::logic::resolve_is_null;
use crate::physical::PhysicalExpr;
use crate::resolve::coercion::{cast_implicit, unexpected_input, Expected};
use crate::types::{is_floating, simple_string};

pub(crate) const FUNCTIONS: &[FunctionDef] = &[
    def("isnull", isnull),
    def("isnotnull", isnull),
    def("isnan", isnan),
    def("nanvl", nanvl),
    def("typeof", typeof_fn),
    def("monotonically_increasing_id", monotonically_increasing_id),
    def("spark_partition_id", spark_partition_id),
];

fn isnull(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1])?;
    let not = call.name == "isnotnull";
    let x = call.args.into_iter().next().ok_or_else(|| SparkError::runtime("missing argument"))?;
    Ok(resolve_is_null(not, x))
}

fn float_arg(x: PhysicalExpr, sql: &str) -> Result<PhysicalExpr> {
    let expected = Expected::AnyOf(vec![Expected::Type(DataType::Float64), Expected::Type(DataType::Float32)]);
    if x.data_type == DataType::Null || crate::types::is_numeric(&x.data_type) || crate::types::is_string(&x.data_type) {
        return Ok(if is_floating(&x.data_type) { x } else { cast_implicit(x, &DataType::Float64) });
    }
    Err(unexpected_input(sql, 1, &expected, &x))
}

fn isnan(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1])?;
    let sql = call.sql();
    let x = call.args.into_iter().next().ok_or_else(|| SparkError::runtime("missing argument"))?;
    let x = float_arg(x, &sql)?;
    Ok(make(sql, DataType::Boolean, false, vec![x], |a, _, _| {
        let d = to_f64(arg(a, 0)?)?;
        Ok(Arc::new(d.iter().map(|v| Some(v.is_some_and(f64::is_nan))).collect::<BooleanArray>()) as ArrayRef)
    }))
}

fn nanvl(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let mut it = call.args.into_iter();
    let (x, y) = match (it.next(), it.next()) {
        (Some(x), Some(y)) => (float_arg(x, &sql)?, float_arg(y, &sql)?),
        _ => return Err(SparkError::runtime("nanvl needs 2 arguments")),
    };
    let (x, y) = (cast_implicit(x, &DataType::Float64), cast_implicit(y, &DataType::Float64));
    let nullable = x.nullable || y.nullable;
    Ok(make(sql, DataType::Float64, nullable, vec![x, y], |a, _, _| {
        let x = arg(a, 0)?.as_primitive::<Float64Type>();
        let y = arg(a, 1)?.as_primitive::<Float64Type>();
        let out: arrow::array::Float64Array =
            x.iter().zip(y.iter()).map(|(p, q)| match p { Some(v) if v.is_nan() => q, other => other }).collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn typeof_fn(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1])?;
    let sql = call.sql();
    let name = call.args.first().map(|a| simple_string(&a.data_type)).unwrap_or_default();
    Ok(make(sql, DataType::Utf8, false, call.args, move |_, _, rows| {
        Ok(Arc::new(StringArray::from(vec![name.as_str(); rows])) as ArrayRef)
    }))
}

fn monotonically_increasing_id(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[0])?;
    let sql = call.sql();
    Ok(make(sql, DataType::Int64, false, vec![], |_, _, rows| {
        Ok(Arc::new(Int64Array::from_iter_values(0..rows as i64)) as ArrayRef)
    }))
}

fn spark_partition_id(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[0])?;
    Ok(make("SPARK_PARTITION_ID()".into(), DataType::Int32, false, vec![], |_, _, rows| {
        Ok(Arc::new(Int32Array::from(vec![0; rows])) as ArrayRef)
    }))
}
