//! The FROM clause: tables (CTEs, temp views, memory-sink tables, `db.table` file tables),
//! subqueries and joins, as a DataFrame and the [`Scope`] of names it brings in.

use std::sync::Arc;

use arrow::datatypes::Schema;
use arrow::record_batch::{RecordBatch, RecordBatchOptions};
use sqlparser::ast::{self, Join, JoinConstraint, JoinOperator, TableFactor, TableWithJoins};
use streamlab_expr::types::quote;
use streamlab_expr::Expr;
use streamlab_types::{Result, SparkError};

use crate::catalog::split_table_name;
use crate::dataframe::DataFrame;
use crate::join::JoinCondition;

use super::context::Context;
use super::expr::{convert, object_parts, unsupported};
use super::query::query;
use super::scope::{Scope, ScopeColumn};
use super::start::{factor_start, name_start};
use super::text::at_position;

/// The FROM clause: its DataFrame and the names it brings into scope.
pub(crate) fn from(ctx: &mut Context, from: &[TableWithJoins]) -> Result<(DataFrame, Scope)> {
    let mut relation: Option<(DataFrame, Scope)> = None;
    for item in from {
        let mut current = table_factor(ctx, &item.relation)?;
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
pub(crate) fn named_table(ctx: &Context, name: &ast::ObjectName) -> Result<(DataFrame, Vec<String>)> {
    let at = name_start(name);
    let Some(parts) = object_parts(name) else {
        return Err(unsupported(ctx, at, "this table name"));
    };
    let parts: Vec<String> = parts.iter().map(|p| p.value.clone()).collect();
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
            let quoted = parts.iter().map(|p| quote(p)).collect::<Vec<_>>().join(".");
            Err(at_position(table_not_found(&quoted), ctx.sql.pos(at)))
        }
        Err(e) => Err(e),
    }
}

fn alias_of(ctx: &Context, alias: &Option<ast::TableAlias>) -> Result<Option<Vec<String>>> {
    match alias {
        None => Ok(None),
        Some(a) if a.columns.is_empty() => Ok(Some(vec![a.name.value.clone()])),
        Some(a) => Err(unsupported(ctx, a.name.span.start, "column aliases of a FROM item")),
    }
}

fn table_factor(ctx: &mut Context, factor: &TableFactor) -> Result<(DataFrame, Scope)> {
    match factor {
        TableFactor::Table { name, alias, args: None, with_hints, version: None, partitions, sample: None, json_path: None, index_directives, .. }
            if with_hints.is_empty() && partitions.is_empty() && index_directives.is_empty() =>
        {
            let (df, qualifier) = named_table(ctx, name)?;
            let qualifier = alias_of(ctx, alias)?.unwrap_or(qualifier);
            let scope = Scope::of(&df, Some(qualifier));
            Ok((df, scope))
        }
        TableFactor::Derived { lateral: false, subquery, alias, sample: None } => {
            let df = query(ctx, subquery)?;
            let scope = Scope::of(&df, alias_of(ctx, alias)?);
            Ok((df, scope))
        }
        other => Err(unsupported(ctx, factor_start(other), "this FROM item")),
    }
}

fn join(ctx: &mut Context, left: (DataFrame, Scope), j: &Join) -> Result<(DataFrame, Scope)> {
    let right = table_factor(ctx, &j.relation)?;
    let (how, constraint) = match &j.join_operator {
        JoinOperator::Join(c) | JoinOperator::Inner(c) => ("inner", c),
        JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => ("left", c),
        JoinOperator::Right(c) | JoinOperator::RightOuter(c) => ("right", c),
        JoinOperator::FullOuter(c) => ("full", c),
        JoinOperator::CrossJoin(c) => ("cross", c),
        JoinOperator::LeftSemi(c) | JoinOperator::Semi(c) => ("left_semi", c),
        JoinOperator::LeftAnti(c) | JoinOperator::Anti(c) => ("left_anti", c),
        _ => return Err(unsupported(ctx, factor_start(&j.relation), "this join type")),
    };
    if matches!(constraint, JoinConstraint::Natural | JoinConstraint::UsingAlias(..)) {
        return Err(unsupported(ctx, factor_start(&j.relation), "NATURAL JOIN and USING ... AS"));
    }
    join_relations(ctx, left, right, how, constraint)
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
        JoinConstraint::Using(names) => names
            .iter()
            .map(|n| match object_parts(n).as_deref() {
                Some([one]) => Ok(one.value.clone()),
                _ => Err(unsupported(ctx, name_start(n), "a qualified USING column")),
            })
            .collect::<Result<_>>()?,
        // `join` refuses NATURAL and USING ... AS before coming here.
        JoinConstraint::On(_) | JoinConstraint::None | JoinConstraint::Natural | JoinConstraint::UsingAlias(..) => Vec::new(),
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
        _ => JoinCondition::Expr(Expr::lit(true)),
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
