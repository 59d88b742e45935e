//! Turns parsed DDL nodes into Arrow types, raising Spark's semantic errors (`AstBuilder`).

use super::parser::{FieldNode, Pos, TypeNode};
use crate::error::{ErrorKind, SparkError};
use arrow::datatypes::{DataType, Field, Fields, IntervalUnit, TimeUnit};
use std::collections::HashMap;
use std::sync::Arc;

type R<T> = std::result::Result<T, SparkError>;

/// How `char(n)`/`varchar(n)` are handled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CharMode {
    /// Replace with `string` (casts).
    AsString,
    /// Reject with `UNSUPPORTED_CHAR_OR_VARCHAR_AS_STRING` (schemas of sources).
    Reject,
}

fn parse_err(class: &str, msg: String, pos: Pos) -> SparkError {
    SparkError::parse(format!("{msg}(line {}, pos {})", pos.line, pos.pos)).with_class(class)
}

/// `array<item>` as Arrow: a `List` whose nullable item field is named `element`.
///
/// Why: every crate must build list types the same way or schemas stop comparing equal.
///
/// ```
/// use streamlab_types::ddl::{list_of, parse_data_type};
/// use arrow::datatypes::DataType;
/// assert_eq!(list_of(DataType::Int32), parse_data_type("array<int>").unwrap());
/// ```
pub fn list_of(item: DataType) -> DataType {
    DataType::List(Arc::new(Field::new("element", item, true)))
}

/// `map<K,V>` as Arrow `Map` (`entries` struct of non-null `key` and nullable `value`, unsorted).
///
/// Why: every crate must build map types the same way or schemas stop comparing equal.
///
/// ```
/// use streamlab_types::ddl::{map_of, parse_data_type};
/// use arrow::datatypes::DataType;
/// assert_eq!(map_of(DataType::Utf8, DataType::Int64), parse_data_type("map<string,bigint>").unwrap());
/// ```
pub fn map_of(key: DataType, value: DataType) -> DataType {
    let entries = Field::new(
        "entries",
        DataType::Struct(Fields::from(vec![Field::new("key", key, false), Field::new("value", value, true)])),
        false,
    );
    DataType::Map(Arc::new(entries), false)
}

/// Builds the Arrow field for a parsed column (always nullable; `COMMENT` goes to metadata).
pub fn field(node: &FieldNode, chars: CharMode, saw_char: &mut bool) -> R<Field> {
    let dt = data_type(&node.ty, chars, saw_char)?;
    let mut f = Field::new(node.name.clone(), dt, true);
    if let Some(c) = &node.comment {
        f = f.with_metadata(HashMap::from([("comment".to_string(), c.clone())]));
    }
    Ok(f)
}

/// Builds the Arrow type of a parsed type.
pub fn data_type(node: &TypeNode, chars: CharMode, saw_char: &mut bool) -> R<DataType> {
    Ok(match node {
        TypeNode::Array(e) => list_of(data_type(e, chars, saw_char)?),
        TypeNode::Map(k, v) => map_of(data_type(k, chars, saw_char)?, data_type(v, chars, saw_char)?),
        TypeNode::Struct(fields) => {
            let mut out = Vec::with_capacity(fields.len());
            for f in fields {
                out.push(field(f, chars, saw_char)?);
            }
            DataType::Struct(Fields::from(out))
        }
        TypeNode::YearMonth(from, to, pos) => {
            check_interval_order(from, to.as_deref(), &["year", "month"], *pos)?;
            DataType::Interval(IntervalUnit::YearMonth)
        }
        TypeNode::DayTime(from, to, pos) => {
            check_interval_order(from, to.as_deref(), &["day", "hour", "minute", "second"], *pos)?;
            DataType::Duration(TimeUnit::Microsecond)
        }
        TypeNode::Primitive { name, params, pos } => primitive(name, params, *pos, saw_char)?,
    })
}

fn check_interval_order(from: &str, to: Option<&str>, units: &[&str], pos: Pos) -> R<()> {
    if let Some(to) = to {
        let a = units.iter().position(|u| *u == from);
        let b = units.iter().position(|u| *u == to);
        if b <= a {
            return Err(SparkError::parse(format!(
                "Intervals FROM {from} TO {to} are not supported.(line {}, pos {})",
                pos.line, pos.pos
            ))
            .with_class("_LEGACY_ERROR_TEMP_0028"));
        }
    }
    Ok(())
}

fn int_param(p: &str) -> R<u8> {
    let v: i64 = p
        .parse()
        .map_err(|_| SparkError::new(ErrorKind::NumberFormat, format!("For input string: \"{p}\"")))?;
    if v > i64::from(i32::MAX) {
        return Err(SparkError::new(ErrorKind::NumberFormat, format!("For input string: \"{p}\"")));
    }
    if v > 38 {
        return Err(SparkError::new(
            ErrorKind::Arithmetic,
            format!("Decimal precision {v} exceeds max precision 38."),
        )
        .with_class("DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION"));
    }
    Ok(v as u8)
}

fn primitive(name: &str, params: &[String], pos: Pos, saw_char: &mut bool) -> R<DataType> {
    // Quoted names arrive as `` `x` `` so they never match a keyword; Spark shows them unquoted.
    let shown_name = name.trim_start_matches('`').trim_end_matches('`').to_uppercase();
    let upper = name.to_ascii_uppercase();
    let dt = match (upper.as_str(), params.len()) {
        ("BOOLEAN", 0) => DataType::Boolean,
        ("TINYINT" | "BYTE", 0) => DataType::Int8,
        ("SMALLINT" | "SHORT", 0) => DataType::Int16,
        ("INT" | "INTEGER", 0) => DataType::Int32,
        ("BIGINT" | "LONG", 0) => DataType::Int64,
        ("FLOAT" | "REAL", 0) => DataType::Float32,
        ("DOUBLE", 0) => DataType::Float64,
        ("DATE", 0) => DataType::Date32,
        ("TIMESTAMP" | "TIMESTAMP_LTZ", 0) => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        ("TIMESTAMP_NTZ", 0) => DataType::Timestamp(TimeUnit::Microsecond, None),
        ("STRING", 0) => DataType::Utf8,
        ("BINARY", 0) => DataType::Binary,
        ("VOID", 0) => DataType::Null,
        ("INTERVAL", 0) => DataType::Interval(IntervalUnit::MonthDayNano),
        ("DECIMAL" | "DEC" | "NUMERIC", 0..=2) => {
            let p = params.first().map(|p| int_param(p)).transpose()?.unwrap_or(10);
            let s = params.get(1).map(|s| int_param(s)).transpose()?.unwrap_or(0);
            if s > p {
                return Err(SparkError::parse(format!("Decimal scale ({s}) cannot be greater than precision ({p}).")));
            }
            DataType::Decimal128(p, s as i8)
        }
        ("CHAR" | "CHARACTER" | "VARCHAR", 1) => {
            // Rejected (for `CharMode::Reject`) once the whole schema is parsed, as Spark does.
            *saw_char = true;
            DataType::Utf8
        }
        ("CHAR" | "CHARACTER" | "VARCHAR", 0) => {
            let t = if upper == "VARCHAR" { "VARCHAR" } else { "CHAR" };
            return Err(parse_err(
                "DATATYPE_MISSING_SIZE",
                format!("DataType \"{t}\" requires a length parameter, for example \"{t}\"(10). Please specify the length."),
                pos,
            ));
        }
        ("ARRAY", 0) => {
            return Err(parse_err(
                "INCOMPLETE_TYPE_DEFINITION.ARRAY",
                "Incomplete complex type: The definition of \"ARRAY\" type is incomplete. You must provide an element type. For example: \"ARRAY<INT>\".".to_string(),
                pos,
            ))
        }
        ("MAP", 0) => {
            return Err(parse_err(
                "INCOMPLETE_TYPE_DEFINITION.MAP",
                "Incomplete complex type: The definition of \"MAP\" type is incomplete. You must provide a key type and a value type. For example: \"MAP<TIMESTAMP, INT>\".".to_string(),
                pos,
            ))
        }
        ("STRUCT", 0) => {
            return Err(parse_err(
                "INCOMPLETE_TYPE_DEFINITION.STRUCT",
                "Incomplete complex type: The definition of \"STRUCT\" type is incomplete. You must provide at least one field type. For example: \"STRUCT<name STRING, phone DECIMAL(10, 0)>\".".to_string(),
                pos,
            ))
        }
        _ => {
            let shown = if params.is_empty() { shown_name } else { format!("{shown_name}({})", params.join(",")) };
            return Err(parse_err("UNSUPPORTED_DATATYPE", format!("Unsupported data type \"{shown}\"."), pos));
        }
    };
    Ok(dt)
}
