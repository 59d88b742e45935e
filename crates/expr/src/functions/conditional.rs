//! `CASE WHEN`, `when/otherwise`, `coalesce`, `if`, `nvl`, `ifnull`, `nullif`, `greatest`,
//! `least`.

use arrow::array::{new_null_array, ArrayRef, AsArray, BooleanArray};
use arrow::compute::kernels::zip::zip;
use arrow::datatypes::DataType;
use streamlab_types::{Result, SparkError};

use super::{arg, def, make, Call, FunctionDef};
use crate::expr::BinaryOp;
use crate::physical::PhysicalExpr;
use crate::resolve::coercion::{cast_implicit, data_diff_types, unexpected_input, wider_common, wider_without_string, Expected};
use crate::types::same_type;

pub(crate) const FUNCTIONS: &[FunctionDef] = &[
    def("coalesce", coalesce),
    def("nvl", coalesce),
    def("ifnull", coalesce),
    def("if", if_fn),
    def("iff", if_fn),
    def("nullif", nullif),
    def("greatest", greatest),
    def("least", greatest),
];

/// Where `cond` is true (not null), `then`, else `other`.
fn choose(cond: &BooleanArray, then: &ArrayRef, other: &ArrayRef) -> Result<ArrayRef> {
    // zip treats null masks as false, which is what CASE WHEN needs.
    Ok(zip(cond, then, other)?)
}

fn to_common(values: Vec<PhysicalExpr>, sql: &str, fn_name: &str) -> Result<(Vec<PhysicalExpr>, DataType)> {
    let types: Vec<DataType> = values.iter().map(|v| v.data_type.clone()).collect();
    if types.windows(2).all(|w| same_type(&w[0], &w[1])) {
        let t = types.first().cloned().unwrap_or(DataType::Null);
        return Ok((values, t));
    }
    match wider_common(&types) {
        Some(t) => Ok((values.into_iter().map(|v| cast_implicit(v, &t)).collect(), t)),
        None => {
            let refs: Vec<&PhysicalExpr> = values.iter().collect();
            Err(data_diff_types(sql, fn_name, &refs))
        }
    }
}

/// Resolves `CASE WHEN c1 THEN v1 … [ELSE e] END`.
pub(crate) fn resolve_case(branches: Vec<(PhysicalExpr, PhysicalExpr)>, otherwise: Option<PhysicalExpr>) -> Result<PhysicalExpr> {
    let mut sql = String::from("CASE");
    for (c, v) in &branches {
        sql.push_str(&format!(" WHEN {} THEN {}", c.sql, v.sql));
    }
    if let Some(o) = &otherwise {
        sql.push_str(&format!(" ELSE {}", o.sql));
    }
    sql.push_str(" END");
    let n = branches.len();
    let mut conds = Vec::new();
    let mut values = Vec::new();
    for (i, (c, v)) in branches.into_iter().enumerate() {
        let c = if c.data_type == DataType::Null { cast_implicit(c, &DataType::Boolean) } else { c };
        if c.data_type != DataType::Boolean {
            return Err(unexpected_input(&sql, 2 * i + 1, &Expected::Type(DataType::Boolean), &c));
        }
        conds.push(c);
        values.push(v);
    }
    let has_else = otherwise.is_some();
    if let Some(o) = otherwise {
        values.push(o);
    }
    let (values, t) = to_common(values, &sql, "casewhen")?;
    let nullable = !has_else || values.iter().any(|v| v.nullable);
    let mut args = conds;
    args.extend(values);
    let out_type = t.clone();
    Ok(make(sql, t, nullable, args, move |a, _, rows| {
        let mut acc: ArrayRef = if has_else { arg(a, 2 * n)?.clone() } else { new_null_array(&out_type, rows) };
        for i in (0..n).rev() {
            let c = arg(a, i)?.as_boolean_opt().ok_or_else(|| SparkError::runtime("CASE condition is not boolean"))?;
            acc = choose(c, arg(a, n + i)?, &acc)?;
        }
        Ok(acc)
    }))
}

fn coalesce(call: Call) -> Result<PhysicalExpr> {
    if call.name == "coalesce" {
        call.at_least(1)?;
    } else {
        call.arity(&[2])?;
    }
    let sql = call.sql();
    let (values, t) = to_common(call.args, &sql, "coalesce")?;
    let nullable = values.iter().all(|v| v.nullable);
    Ok(make(sql, t, nullable, values, |a, _, _| {
        let mut acc = arg(a, a.len().saturating_sub(1))?.clone();
        for v in a.iter().rev().skip(1) {
            let present = arrow::compute::is_not_null(v.as_ref())?;
            acc = choose(&present, v, &acc)?;
        }
        Ok(acc)
    }))
}

fn if_fn(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[3])?;
    let sql = format!("(IF({}, {}, {}))", call.args[0].sql, call.args[1].sql, call.args[2].sql);
    let mut it = call.args.into_iter();
    let (c, x, y) = match (it.next(), it.next(), it.next()) {
        (Some(c), Some(x), Some(y)) => (c, x, y),
        _ => return Err(SparkError::runtime("if needs 3 arguments")),
    };
    let c = if c.data_type == DataType::Null { cast_implicit(c, &DataType::Boolean) } else { c };
    if c.data_type != DataType::Boolean {
        return Err(unexpected_input(&sql, 1, &Expected::Type(DataType::Boolean), &c));
    }
    let (values, t) = to_common(vec![x, y], &sql, "if")?;
    let nullable = values.iter().any(|v| v.nullable);
    let mut args = vec![c];
    args.extend(values);
    Ok(make(sql, t, nullable, args, |a, _, _| {
        let c = arg(a, 0)?.as_boolean_opt().ok_or_else(|| SparkError::runtime("IF condition is not boolean"))?;
        choose(c, arg(a, 1)?, arg(a, 2)?)
    }))
}

fn nullif(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let mut it = call.args.into_iter();
    let (x, y) = match (it.next(), it.next()) {
        (Some(x), Some(y)) => (x, y),
        _ => return Err(SparkError::runtime("nullif needs 2 arguments")),
    };
    let eq = crate::ops::compare::resolve_comparison(BinaryOp::Eq, x.clone(), y)?;
    let t = x.data_type.clone();
    Ok(make(sql, t.clone(), true, vec![eq, x], move |a, _, rows| {
        let c = arg(a, 0)?.as_boolean_opt().ok_or_else(|| SparkError::runtime("nullif condition"))?;
        choose(c, &new_null_array(&t, rows), arg(a, 1)?)
    }))
}

fn greatest(call: Call) -> Result<PhysicalExpr> {
    let sql = call.sql();
    if call.args.len() < 2 {
        return Err(SparkError::analysis(format!(
            "Cannot resolve \"{}\" due to data type mismatch: The `{}` requires at least 2 parameters but the actual number is {}.",
            sql,
            call.name,
            call.args.len()
        ))
        .with_class("DATATYPE_MISMATCH.WRONG_NUM_ARGS"));
    }
    let greatest = call.name == "greatest";
    let types: Vec<DataType> = call.args.iter().map(|v| v.data_type.clone()).collect();
    let t = if types.windows(2).all(|w| same_type(&w[0], &w[1])) {
        types[0].clone()
    } else {
        match wider_without_string(&types) {
            Some(t) => t,
            None => {
                let refs: Vec<&PhysicalExpr> = call.args.iter().collect();
                return Err(data_diff_types(&sql, &call.name, &refs));
            }
        }
    };
    let values: Vec<PhysicalExpr> = call.args.into_iter().map(|v| cast_implicit(v, &t)).collect();
    let nullable = values.iter().all(|v| v.nullable);
    let op = if greatest { BinaryOp::Gt } else { BinaryOp::Lt };
    Ok(make(sql, t, nullable, values, move |a, _, _| {
        let mut acc = arg(a, 0)?.clone();
        for v in a.iter().skip(1) {
            // take v where acc is null, or v is not null and beats acc (nulls are skipped)
            let better = crate::ops::compare::compare_arrays(op, v, &acc)?;
            let acc_null = arrow::compute::is_null(acc.as_ref())?;
            let take = arrow::compute::or_kleene(&acc_null, &better)?;
            let v_present = arrow::compute::is_not_null(v.as_ref())?;
            let take = arrow::compute::and_kleene(&take, &v_present)?;
            acc = choose(&take, v, &acc)?;
        }
        Ok(acc)
    }))
}
