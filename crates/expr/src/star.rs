//! `select("*")`, `col("*")` and `select("s.*")`: star columns expanded into one column each.

use arrow::datatypes::{DataType, Schema};

use crate::expr::Expr;
use crate::parser::{join_attribute_name, parse_attribute_name};
use crate::types::quote_if_needed;

/// Replaces each star column in `exprs` by the columns it stands for: `*` by every input column,
/// `s.*` by every field of struct column `s` (named by the field). Other expressions, and stars
/// that do not resolve, are kept as they are (resolving them then gives Spark's error).
///
/// Why: `df.select("*", expr)` and `select("parsed.*")` after `from_json` are everyday lesson
/// code; the engine expands before resolving each output column.
///
/// ```
/// use arrow::datatypes::{DataType, Field, Fields, Schema};
/// use streamlab_expr::{expand_star, Expr};
/// let schema = Schema::new(vec![
///     Field::new("a", DataType::Int32, true),
///     Field::new("s", DataType::Struct(Fields::from(vec![Field::new("x", DataType::Utf8, true)])), true),
/// ]);
/// let out = expand_star(&[Expr::col("*"), Expr::col("s.*")], &schema);
/// assert_eq!(out, vec![Expr::col("a"), Expr::col("s"), Expr::col("s.x")]);
/// ```
pub fn expand_star(exprs: &[Expr], schema: &Schema) -> Vec<Expr> {
    let mut out = Vec::new();
    for e in exprs {
        match e {
            Expr::Column(c) if c == "*" => {
                out.extend(schema.fields().iter().map(|f| Expr::Column(quote_if_needed(f.name()))));
            }
            Expr::Column(c) if c.ends_with(".*") => match struct_fields(&c[..c.len() - 2], schema) {
                Some((prefix, names)) => {
                    out.extend(names.iter().map(|n| Expr::Column(format!("{}.{}", prefix, quote_if_needed(n)))))
                }
                None => out.push(e.clone()),
            },
            other => out.push(other.clone()),
        }
    }
    out
}

/// The field names of the struct column `target` (as `col()` would read it), with the target
/// in `col()` form.
fn struct_fields(target: &str, schema: &Schema) -> Option<(String, Vec<String>)> {
    let parts = parse_attribute_name(target).ok()?;
    let first = parts.first()?;
    let hits: Vec<_> = schema.fields().iter().filter(|f| f.name().eq_ignore_ascii_case(first)).collect();
    let [field] = hits.as_slice() else { return None };
    let mut t = field.data_type().clone();
    for p in parts.iter().skip(1) {
        match t {
            DataType::Struct(fs) => {
                let f = fs.iter().find(|f| f.name().eq_ignore_ascii_case(p))?;
                t = f.data_type().clone();
            }
            _ => return None,
        }
    }
    match t {
        DataType::Struct(fs) => Some((join_attribute_name(&parts), fs.iter().map(|f| f.name().clone()).collect())),
        _ => None,
    }
}
