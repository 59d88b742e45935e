//! The FROM clause: tables (CTEs, temp views, memory-sink tables, `db.table` file tables),
//! subqueries and joins, as a DataFrame and the [`Scope`] of names it brings in.

use std::sync::Arc;

use arrow::datatypes::Schema;
use arrow::record_batch::{RecordBatch, RecordBatchOptions};
use streamlab_expr::types::quote;
use streamlab_expr::Expr;
use streamlab_types::{Result, SparkError};

use crate::catalog::split_table_name;
use crate::dataframe::DataFrame;
use crate::join::JoinCondition;

use super::ast::{FromItem, Ident, Join, JoinConstraint, Name, Relation};
use super::context::Context;
use super::expr::{convert, quoted};
use super::query::query;
use super::scope::{Scope, ScopeColumn};
use super::text::at_position;

/// The FROM clause: its DataFrame and the names it brings into scope.
pub(crate) fn from(ctx: &mut Context, from: &[FromItem]) -> Result<(DataFrame, Scope)> {
    let mut relation: Option<(DataFrame, Scope)> = None;
    for item in from {
        let mut current = relation_of(ctx, &item.relation)?;
        for j in &item.joins {
            current = join(ctx, current, j)?;
        }
        relation = Some(match relation {
            None => current,
            // `FROM a, b` is a cross join.
            Some(left) => join_relations(ctx, left, current, "cross", &JoinConstraint::None)?,
        });
    }
    match relation {
        Some(r) => Ok(r),
        None => Ok((one_row(ctx)?, Scope::default())),
    }
}

/// Spark's one-row relation under `SELECT 1` without FROM.
fn one_row(ctx: &Context) -> Result<DataFrame> {
    let schema = Arc::new(Schema::empty());
    let batch = RecordBatch::try_new_with_options(schema.clone(), vec![], &RecordBatchOptions::new().with_row_count(Some(1)))?;
    Ok(ctx.session.create_dataframe(schema, vec![batch]))
}

/// Spark's `TABLE_OR_VIEW_NOT_FOUND` for the name written as `quoted`.
pub(crate) fn table_not_found(quoted: &str) -> SparkError {
    SparkError::analysis(format!(
        "The table or view {quoted} cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a schema, verify the current_schema() output, or qualify the name with the correct schema and catalog.\nTo tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS."
    ))
    .with_class("TABLE_OR_VIEW_NOT_FOUND")
}

/// The DataFrame a table name stands for (a CTE, a temp view or memory table, or a file table)
/// and the qualifier its columns take.
pub(crate) fn named_table(ctx: &Context, name: &Name) -> Result<(DataFrame, Vec<String>)> {
    let parts: Vec<String> = name.parts.iter().map(|p| p.value.clone()).collect();
    if let [single] = parts.as_slice() {
        if let Some((_, df)) = ctx.ctes.iter().rev().find(|(n, _)| n.eq_ignore_ascii_case(single)) {
            return Ok((df.clone(), parts.clone()));
        }
    }
    let joined = parts.join(".");
    let temporary = parts.len() == 1 && ctx.session.catalog_mut().lookup(&joined).is_some();
    match ctx.session.table(&joined) {
        Ok(df) if temporary => Ok((df, parts)),
        Ok(df) => {
            let (db, table) = split_table_name(&joined);
            Ok((df, vec!["spark_catalog".into(), db, table]))
        }
        Err(e) if e.error_class.as_deref() == Some("TABLE_OR_VIEW_NOT_FOUND") => {
            Err(at_position(table_not_found(&quoted(&name.parts)), Some(ctx.sql.pos(name.start))))
        }
        Err(e) => Err(e),
    }
}

fn relation_of(ctx: &mut Context, relation: &Relation) -> Result<(DataFrame, Scope)> {
    let alias = |a: &Option<Ident>| a.as_ref().map(|a| vec![a.value.clone()]);
    match relation {
        Relation::Table { name, alias: a } => {
            let (df, qualifier) = named_table(ctx, name)?;
            let scope = Scope::of(&df, Some(alias(a).unwrap_or(qualifier)));
            Ok((df, scope))
        }
        Relation::Derived { query: q, alias: a } => {
            let df = query(ctx, q)?;
            let scope = Scope::of(&df, alias(a));
            Ok((df, scope))
        }
    }
}

fn join(ctx: &mut Context, left: (DataFrame, Scope), j: &Join) -> Result<(DataFrame, Scope)> {
    let right = relation_of(ctx, &j.relation)?;
    join_relations(ctx, left, right, j.how, &j.constraint)
}

/// Joins two relations. Right-side columns whose names the left side also has (other than
/// USING keys) get internal names first, so each stays addressable as `r.name`; the names are
/// undone when the select list names its columns.
fn join_relations(
    ctx: &mut Context,
    (left, left_scope): (DataFrame, Scope),
    (right, right_scope): (DataFrame, Scope),
    how: &str,
    constraint: &JoinConstraint,
) -> Result<(DataFrame, Scope)> {
    let using: Vec<String> = match constraint {
        JoinConstraint::Using(names) => names.iter().map(|n| n.value.clone()).collect(),
        JoinConstraint::On(_) | JoinConstraint::None => Vec::new(),
    };
    let is_key = |n: &str| using.iter().any(|u| u.eq_ignore_ascii_case(n));
    let left_names = left.columns();
    let clashes = |n: &str| !is_key(n) && left_names.iter().any(|l| l.eq_ignore_ascii_case(n));
    let (right, right_scope) = if right_scope.columns.iter().any(|c| clashes(&c.name)) {
        let mut exprs = Vec::new();
        let mut columns = Vec::new();
        for c in right_scope.columns {
            if clashes(&c.name) {
                let internal = ctx.rename_apart(&c.original);
                exprs.push(Expr::Column(quote(&c.name)).alias(&internal));
                columns.push(ScopeColumn { name: internal, ..c });
            } else {
                exprs.push(Expr::Column(quote(&c.name)));
                columns.push(c);
            }
        }
        (right.select(exprs)?, Scope { columns })
    } else {
        (right, right_scope)
    };
    let condition = match constraint {
        JoinConstraint::On(e) => {
            let both = Scope { columns: [left_scope.columns.clone(), right_scope.columns.clone()].concat() };
            JoinCondition::Expr(convert(ctx, &both, e)?)
        }
        JoinConstraint::Using(_) => JoinCondition::Using(using.clone()),
        JoinConstraint::None => JoinCondition::Expr(Expr::lit(true)),
    };
    let how = if how == "cross" { "inner" } else { how };
    let joined = left.join(&right, condition, how).map_err(|e| ctx.locate(e))?;
    let scope = match how {
        "left_semi" | "left_anti" => left_scope,
        _ if !using.is_empty() => using_scope(&left_scope, &right_scope, &using),
        _ => Scope { columns: [left_scope.columns, right_scope.columns].concat() },
    };
    Ok((joined, scope))
}

/// The scope after `USING (keys)`: each key once (qualified by both sides), then the left's
/// other columns, then the right's, as the join outputs them.
fn using_scope(left: &Scope, right: &Scope, keys: &[String]) -> Scope {
    let is_key = |c: &ScopeColumn| keys.iter().any(|k| k.eq_ignore_ascii_case(&c.original));
    let mut columns = Vec::new();
    for key in keys {
        let sides = [left, right].map(|s| s.columns.iter().find(|c| c.original.eq_ignore_ascii_case(key)));
        let qualifiers = sides.iter().flatten().flat_map(|c| c.qualifiers.clone()).collect();
        let name = sides[0].map_or(key.clone(), |c| c.name.clone());
        columns.push(ScopeColumn { original: name.clone(), name, qualifiers });
    }
    columns.extend(left.columns.iter().filter(|c| !is_key(c)).cloned());
    columns.extend(right.columns.iter().filter(|c| !is_key(c)).cloned());
    Scope { columns }
}
