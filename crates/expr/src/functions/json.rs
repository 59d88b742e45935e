//! `from_json(col, schema[, options])`: JSON text into a struct, and `to_json(struct)`: a struct
//! into JSON text, both through `streamlab_io` (Spark's JSON reader and writer rules).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{DataType, Fields, Schema};
use arrow::record_batch::{RecordBatch, RecordBatchOptions};
use streamlab_io::{json_to_struct, ParseMode};
use streamlab_types::{Result, SparkError};

use super::{arg, def, make, Call, FunctionDef};
use crate::cast::{strings, value_text};
use crate::literal::Literal;
use crate::physical::{EvalContext, PhysicalExpr};
use crate::resolve::coercion::{coerce_arg, Expected};

pub(crate) const FUNCTIONS: &[FunctionDef] = &[def("from_json", from_json), def("to_json", to_json)];

/// The schema argument: a DDL string (`a INT, b STRING`), a type string (`struct<a:int>`), or a
/// type given directly.
fn schema_of(e: &PhysicalExpr) -> Result<Fields> {
    match e.literal() {
        Some(Literal::DataType(DataType::Struct(f))) => Ok(f.clone()),
        Some(Literal::DataType(other)) => Err(unsupported_schema(other)),
        Some(Literal::String(s)) => match crate::parser::parse_schema(s) {
            Ok(f) => Ok(f),
            Err(schema_error) => match crate::parser::parse_data_type(s) {
                Ok(DataType::Struct(f)) => Ok(f),
                Ok(other) => Err(unsupported_schema(&other)),
                // Spark reports DDL errors of from_json as AnalysisException.
                Err(_) => Err(SparkError::analysis(first_line(&schema_error.message))
                    .with_class(schema_error.error_class.unwrap_or_default())),
            },
        },
        _ => Err(SparkError::analysis(format!(
            "The schema should be a DDL definition string or a struct type, got {}.",
            e.sql
        ))
        .with_class("INVALID_SCHEMA.NON_STRING_LITERAL")),
    }
}

fn first_line(s: &str) -> String {
    let head = s.split("(line").next().unwrap_or(s);
    head.trim_end().to_string()
}

fn unsupported_schema(t: &DataType) -> SparkError {
    SparkError::unsupported(format!(
        "from_json into {} is not supported by StreamLab yet; use a struct schema.",
        crate::types::sql_name(t)
    ))
}

/// Reads a constant `map(k, v, …)` of options by evaluating it on a one-row batch.
fn options_of(e: &PhysicalExpr) -> Result<Vec<(String, String)>> {
    let batch = RecordBatch::try_new_with_options(
        Arc::new(Schema::empty()),
        vec![],
        &RecordBatchOptions::new().with_row_count(Some(1)),
    )?;
    let v = e.evaluate(&batch, &EvalContext::default()).map_err(|_| {
        SparkError::analysis("Must use a map() function for options.").with_class("INVALID_OPTIONS.NON_MAP_FUNCTION")
    })?;
    let m = v.as_map_opt().ok_or_else(|| {
        SparkError::analysis("Must use a map() function for options.").with_class("INVALID_OPTIONS.NON_MAP_FUNCTION")
    })?;
    if m.is_empty() || m.is_null(0) {
        return Ok(vec![]);
    }
    let entries = m.value(0);
    let (k, val) = (entries.column(0), entries.column(1));
    let mut out = Vec::new();
    for i in 0..entries.len() {
        let key = value_text(k, i)?;
        let value = if val.is_null(i) { String::new() } else { value_text(val, i)? };
        out.push((key, value));
    }
    Ok(out)
}

fn from_json(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2, 3])?;
    let sql = format!("from_json({})", call.args.first().map(|a| a.sql.as_str()).unwrap_or(""));
    let fields = schema_of(&call.args[1])?;
    let mode = match call.args.get(2) {
        Some(o) => {
            let opts = options_of(o)?;
            match opts.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case("mode")) {
                Some((_, v)) => ParseMode::from_name(v).unwrap_or(ParseMode::Permissive),
                None => ParseMode::Permissive,
            }
        }
        None => ParseMode::Permissive,
    };
    let value = call.args.into_iter().next().ok_or_else(|| SparkError::runtime("missing argument"))?;
    let value = coerce_arg(value, &Expected::Type(DataType::Utf8), 1, &sql)?;
    let t = DataType::Struct(fields.clone());
    Ok(make(sql, t, true, vec![value], move |a, _, _| {
        let s = strings(arg(a, 0)?)?;
        let out = json_to_struct(s, &fields, mode)?;
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn to_json(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1, 2])?;
    let sql = format!("to_json({})", call.args.first().map(|a| a.sql.as_str()).unwrap_or(""));
    let value = call.args.into_iter().next().ok_or_else(|| SparkError::runtime("missing argument"))?;
    let fields = match &value.data_type {
        DataType::Struct(f) => f.clone(),
        _ => {
            return Err(crate::resolve::coercion::unexpected_input(
                &sql,
                1,
                &Expected::Type(DataType::Struct(Fields::empty())),
                &value,
            ))
        }
    };
    Ok(make(sql, DataType::Utf8, true, vec![value], move |a, _, rows| {
        let st = arg(a, 0)?.as_struct_opt().ok_or_else(|| SparkError::runtime("to_json expects a struct"))?;
        let schema = Arc::new(Schema::new(fields.iter().map(|f| f.as_ref().clone().with_nullable(true)).collect::<Vec<_>>()));
        let batch = RecordBatch::try_new_with_options(
            schema.clone(),
            st.columns().to_vec(),
            &RecordBatchOptions::new().with_row_count(Some(rows)),
        )?;
        let bytes = streamlab_io::write_file(streamlab_io::FileFormat::Json, &[batch], &schema)?;
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text.split('\n').collect();
        let mut out = arrow::array::StringBuilder::new();
        for r in 0..rows {
            match lines.get(r) {
                Some(line) if !st.is_null(r) => out.append_value(line),
                _ => out.append_null(),
            }
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }))
}
