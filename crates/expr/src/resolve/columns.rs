//! Column references: case-insensitive lookup, nested fields (`a.b`), map keys, and Spark's
//! "did you mean" suggestions.

use std::sync::Arc;

use arrow::array::{make_array, Array, ArrayRef, AsArray};
use arrow::buffer::NullBuffer;
use arrow::datatypes::{DataType, Schema};
use streamlab_types::{Result, SparkError};

use crate::parser::{join_attribute_name, parse_attribute_name};
use crate::physical::{Node, PhysicalExpr};
use crate::types::{quote, sql_name};

/// Levenshtein distance over chars (Apache Commons Text's default instance).
pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Spark's suggestion list for an unknown column: input names sorted by name, then (stably) by
/// edit distance to what was typed; the first five.
pub(crate) fn suggestions(missing: &str, candidates: &[String]) -> Vec<String> {
    let mut c: Vec<String> = candidates.to_vec();
    c.sort();
    c.sort_by_key(|s| levenshtein(&quote(s), missing));
    c.into_iter().take(5).collect()
}

/// The `UNRESOLVED_COLUMN` error for `parts` over `schema`.
pub(crate) fn unresolved_column(parts: &[String], schema: &Schema) -> SparkError {
    let id = parts.iter().map(|p| quote(p)).collect::<Vec<_>>().join(".");
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let missing = join_attribute_name(parts);
    if names.is_empty() {
        return SparkError::analysis(format!("A column or function parameter with name {} cannot be resolved.", id))
            .with_class("UNRESOLVED_COLUMN.WITHOUT_SUGGESTION");
    }
    let list: Vec<String> = suggestions(&missing, &names).iter().map(|n| quote(n)).collect();
    SparkError::analysis(format!(
        "A column or function parameter with name {} cannot be resolved. Did you mean one of the following? [{}].",
        id,
        list.join(", ")
    ))
    .with_class("UNRESOLVED_COLUMN.WITH_SUGGESTION")
}

/// Indices of fields whose name equals `name` ignoring case (`spark.sql.caseSensitive=false`).
fn matching<'a>(names: impl Iterator<Item = &'a str>, name: &str) -> Vec<usize> {
    names.enumerate().filter(|(_, n)| n.eq_ignore_ascii_case(name) || n.to_lowercase() == name.to_lowercase()).map(|(i, _)| i).collect()
}

fn ambiguous(name: &str, count: usize) -> SparkError {
    let q = quote(name);
    let list = vec![q.clone(); count].join(", ");
    SparkError::analysis(format!("Reference {} is ambiguous, could be: [{}].", q, list)).with_class("AMBIGUOUS_REFERENCE")
}

/// Resolves `col(name)` against `schema`; `None` when the first part names no column.
pub(crate) fn resolve_column(name: &str, schema: &Schema) -> Result<Option<PhysicalExpr>> {
    let parts = parse_attribute_name(name)?;
    let first = parts.first().cloned().unwrap_or_default();
    let hits = matching(schema.fields().iter().map(|f| f.name().as_str()), &first);
    let index = match hits.as_slice() {
        [] => return Ok(None),
        [i] => *i,
        many => return Err(ambiguous(&first, many.len())),
    };
    let field = &schema.fields()[index];
    let mut e = PhysicalExpr {
        name: first.clone(),
        // Spark's pretty text of an attribute is its bare name, never back-quoted
        sql: first.clone(),
        data_type: field.data_type().clone(),
        nullable: field.is_nullable(),
        keeps_name_under_cast: true,
        node: Node::Column(index),
    };
    for part in parts.iter().skip(1) {
        e = extract(e, part)?;
        e.name = part.clone();
    }
    Ok(Some(e))
}

/// `ExtractValue` with a name: a struct field or a map value by string key.
pub(crate) fn extract(base: PhysicalExpr, part: &str) -> Result<PhysicalExpr> {
    match base.data_type.clone() {
        DataType::Struct(fields) => {
            let hits = matching(fields.iter().map(|f| f.name().as_str()), part);
            let idx = match hits.as_slice() {
                [i] => *i,
                [] => {
                    let list: Vec<String> = fields.iter().map(|f| quote(f.name())).collect();
                    return Err(SparkError::analysis(format!(
                        "No such struct field {} in {}.",
                        quote(part),
                        list.join(", ")
                    ))
                    .with_class("FIELD_NOT_FOUND"));
                }
                many => return Err(ambiguous(part, many.len())),
            };
            let f = &fields[idx];
            let sql = format!("{}.{}", base.sql, part);
            let nullable = base.nullable || f.is_nullable();
            Ok(PhysicalExpr::kernel(sql, f.data_type().clone(), nullable, vec![base], Arc::new(move |args, _, _| {
                let s = args.first().ok_or_else(|| SparkError::runtime("missing struct"))?;
                struct_field(s, idx)
            })))
        }
        DataType::Map(..) => {
            let key = crate::physical::PhysicalExpr::from_literal(crate::literal::Literal::String(part.to_string()));
            let e = crate::functions::collection::get_item(base, key)?;
            Ok(e)
        }
        other => Err(SparkError::analysis(format!(
            "Can't extract a value from \"{}\". Need a complex type [STRUCT, ARRAY, MAP] but got \"{}\".",
            base.sql,
            sql_name(&other)
        ))
        .with_class("INVALID_EXTRACT_BASE_FIELD_TYPE")),
    }
}

/// Field `idx` of a struct column, null where the struct is null.
pub(crate) fn struct_field(arr: &ArrayRef, idx: usize) -> Result<ArrayRef> {
    let s = arr
        .as_struct_opt()
        .ok_or_else(|| SparkError::runtime(format!("expected a struct, got {}", arr.data_type())))?;
    let child = s.columns().get(idx).cloned().ok_or_else(|| SparkError::runtime("struct field out of range"))?;
    Ok(with_nulls(&child, s.nulls()))
}

/// `arr` with extra nulls where `nulls` says so.
pub(crate) fn with_nulls(arr: &ArrayRef, nulls: Option<&NullBuffer>) -> ArrayRef {
    if nulls.is_none() {
        return arr.clone();
    }
    let merged = NullBuffer::union(arr.nulls(), nulls);
    let data = arr.to_data().into_builder().nulls(merged);
    match data.build() {
        Ok(d) => make_array(d),
        Err(_) => arr.clone(),
    }
}
