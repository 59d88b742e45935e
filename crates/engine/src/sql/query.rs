//! SELECT queries to DataFrames, built with the DataFrame API so SQL and PySpark-style code run
//! the same plans: WITH, WHERE, GROUP BY / HAVING, the select list, DISTINCT, ORDER BY and
//! LIMIT over the FROM clause ([`super::from`]).

use sqlparser::ast::{
    self, Distinct, GroupByExpr, LimitClause, OrderBy, OrderByKind, OrderBySort, Query, Select, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, WildcardAdditionalOptions,
};
use streamlab_expr::types::quote;
use streamlab_expr::{parse_attribute_name, resolve, Expr, Literal};
use streamlab_types::{Result, SparkError};

use crate::dataframe::DataFrame;
use crate::sort::SortKey;

use crate::aggregation::{map_expr, Aggregation};
use super::context::Context;
use super::expr::{convert, limit_value, object_parts, unsupported};
use super::from::from;
use super::scope::{Scope, ScopeColumn};
use super::start::{expr_start, name_start, query_start, UNKNOWN};
use super::text::at_position;

/// A query's DataFrame.
pub(crate) fn query(ctx: &mut Context, q: &Query) -> Result<DataFrame> {
    if q.fetch.is_some() || !q.locks.is_empty() || q.for_clause.is_some() || q.settings.is_some() || q.format_clause.is_some() || !q.pipe_operators.is_empty() {
        return Err(unsupported(ctx, query_start(q), "this query clause"));
    }
    let visible = ctx.ctes.len();
    let result = with_ctes(ctx, q);
    ctx.ctes.truncate(visible);
    result
}

fn with_ctes(ctx: &mut Context, q: &Query) -> Result<DataFrame> {
    if let Some(with) = &q.with {
        if with.recursive {
            return Err(unsupported(ctx, with.with_token.0.span.start, "WITH RECURSIVE"));
        }
        for cte in &with.cte_tables {
            if !cte.alias.columns.is_empty() {
                return Err(unsupported(ctx, cte.alias.name.span.start, "column names of a WITH query"));
            }
            let df = query(ctx, &cte.query)?;
            ctx.ctes.push((cte.alias.name.value.clone(), df));
        }
    }
    match q.body.as_ref() {
        SetExpr::Select(select) => select_query(ctx, select, q.order_by.as_ref(), q.limit_clause.as_ref()),
        SetExpr::Query(inner) => {
            let df = query(ctx, inner)?;
            let df = match &q.order_by {
                Some(order) => {
                    let scope = Scope::of(&df, None);
                    let keys = order_keys(ctx, &scope, order)?;
                    sort_output(ctx, &df, &keys)?
                }
                None => df,
            };
            apply_limit(ctx, df, q.limit_clause.as_ref())
        }
        SetExpr::SetOperation { op, set_quantifier, .. } => {
            let what = format!("{op} {set_quantifier}");
            Err(unsupported(ctx, query_start(q), what.trim_end()))
        }
        _ => Err(unsupported(ctx, query_start(q), "this query form")),
    }
}

/// One select-list column: its expression (over the FROM clause, or over the aggregation), and
/// its name if given.
#[derive(Clone)]
struct Item {
    expr: Expr,
    alias: Option<String>,
    /// `s.*` over a struct column: expanded by `select` itself.
    struct_star: bool,
}

/// An ORDER BY key over the FROM clause.
struct OrderKey {
    expr: Expr,
    ascending: bool,
    nulls_first: Option<bool>,
}

/// Where a select item starts.
fn item_start(item: &SelectItem) -> sqlparser::tokenizer::Location {
    match item {
        SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } | SelectItem::ExprWithAliases { expr: e, .. } => expr_start(e),
        SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(n), _) => name_start(n),
        SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::Expr(e), _) => expr_start(e),
        SelectItem::Wildcard(o) => o.wildcard_token.0.span.start,
    }
}

fn no_options(o: &WildcardAdditionalOptions) -> bool {
    o.opt_ilike.is_none() && o.opt_exclude.is_none() && o.opt_except.is_none() && o.opt_replace.is_none() && o.opt_rename.is_none() && o.opt_alias.is_none()
}

/// Rejects the SELECT clauses of other dialects.
fn check_clauses(ctx: &Context, s: &Select) -> Result<()> {
    let foreign = s.top.is_some()
        || s.into.is_some()
        || !s.lateral_views.is_empty()
        || s.prewhere.is_some()
        || !s.connect_by.is_empty()
        || !s.cluster_by.is_empty()
        || !s.distribute_by.is_empty()
        || !s.sort_by.is_empty()
        || !s.named_window.is_empty()
        || s.qualify.is_some()
        || s.value_table_mode.is_some()
        || s.select_modifiers.is_some()
        || s.exclude.is_some()
        || matches!(s.distinct, Some(Distinct::On(_)));
    if foreign {
        return Err(unsupported(ctx, s.select_token.0.span.start, "this SELECT clause"));
    }
    Ok(())
}

fn select_query(ctx: &mut Context, s: &Select, order_by: Option<&OrderBy>, limit: Option<&LimitClause>) -> Result<DataFrame> {
    check_clauses(ctx, s)?;
    let (input, scope) = from(ctx, &s.from)?;
    let input = match &s.selection {
        Some(condition) => {
            let c = convert(ctx, &scope, condition)?;
            input.filter(c).map_err(|e| ctx.locate(e))?
        }
        None => input,
    };
    let items = select_items(ctx, &scope, &s.projection)?;
    let keys = group_keys(ctx, &scope, &s.group_by, &items)?;
    let having = s.having.as_ref().map(|h| convert(ctx, &scope, h)).transpose()?;
    let order = order_by.map(|o| order_keys(ctx, &scope, o)).transpose()?;
    let aggregating = keys.is_some() || having.is_some() || items.iter().any(|i| i.expr.contains_aggregate());
    let distinct = matches!(s.distinct, Some(Distinct::Distinct));

    let (pre, projection, aggregation) = if aggregating {
        let keys = keys.unwrap_or_default();
        let mut uses: Vec<&Expr> = items.iter().map(|i| &i.expr).collect();
        uses.extend(having.iter());
        uses.extend(order.iter().flatten().map(|k| &k.expr));
        let aggregation = Aggregation::build(&input, keys, &uses).map_err(|e| ctx.locate(e))?;
        let mut pre = aggregation.df.clone();
        if let Some(h) = &having {
            let h = aggregation.rewrite(&substitute_aliases(h, &items, &scope));
            aggregation.check(&h).map_err(|e| ctx.locate(e))?;
            pre = pre.filter(h).map_err(|e| ctx.locate(e))?;
        }
        let projection = aggregated_projection(ctx, &input, &aggregation, &items)?;
        (pre, projection, Some(aggregation))
    } else {
        (input, items.clone(), None)
    };
    let mut out = project(ctx, &pre, &projection)?;
    if distinct {
        out = out.distinct().map_err(|e| ctx.locate(e))?;
    }
    if let Some(keys) = order {
        let on_output: Vec<OrderKey> = keys
            .iter()
            .map(|k| OrderKey {
                expr: aggregation.as_ref().map_or(k.expr.clone(), |a| a.rewrite_aggregates(&k.expr)),
                ascending: k.ascending,
                nulls_first: k.nulls_first,
            })
            .collect();
        out = match sort_output(ctx, &out, &on_output) {
            Ok(sorted) => sorted,
            Err(first) if distinct => return Err(first),
            // Keys that read columns the select list drops: sort before projecting, reading
            // select aliases as their expressions (Spark adds the missing columns and drops
            // them after the sort).
            Err(first) => {
                let before: Vec<SortKey> = keys
                    .iter()
                    .map(|k| {
                        let e = substitute_aliases(&k.expr, &items, &scope);
                        let e = aggregation.as_ref().map_or(e.clone(), |a| a.rewrite(&e));
                        SortKey { expr: e, ascending: k.ascending, nulls_first: k.nulls_first }
                    })
                    .collect();
                match pre.order_by(before) {
                    Ok(sorted) => project(ctx, &sorted, &projection)?,
                    Err(_) => return Err(first),
                }
            }
        };
    }
    apply_limit(ctx, out, limit)
}

/// Each select item read over the aggregation's output, with the name Spark gives it.
fn aggregated_projection(ctx: &Context, input: &DataFrame, aggregation: &Aggregation, items: &[Item]) -> Result<Vec<Item>> {
    items
        .iter()
        .map(|item| {
            let rewritten = aggregation.rewrite(&item.expr);
            aggregation.check(&rewritten).map_err(|e| ctx.locate(e))?;
            let name = match &item.alias {
                Some(alias) => Some(alias.clone()),
                // A grouping column keeps the spelling of this reference (`GT`, not `gt`).
                None if matches!(item.expr, Expr::Column(_)) && aggregation.key_column(&item.expr).is_some() => {
                    resolve(&item.expr, &input.schema()).ok().map(|r| r.name().to_string())
                }
                None if aggregation.key_column(&item.expr).is_some() => None,
                None => aggregation.item_name(&item.expr),
            };
            Ok(Item { expr: rewritten, alias: name, struct_star: false })
        })
        .collect()
}

/// `select` of `items` over `pre`, naming each column as Spark does and undoing join-internal
/// names.
fn project(ctx: &Context, pre: &DataFrame, items: &[Item]) -> Result<DataFrame> {
    let schema = pre.schema();
    let exprs = items
        .iter()
        .map(|item| {
            let e = &item.expr;
            if item.struct_star {
                return e.clone();
            }
            let natural = resolve(e, &schema).ok().map(|r| r.name().to_string());
            let wanted = item.alias.clone().or_else(|| natural.clone()).map(|n| ctx.display(&n));
            match wanted {
                Some(w) if natural.as_deref() != Some(w.as_str()) => e.clone().alias(&w),
                _ => e.clone(),
            }
        })
        .collect();
    pre.select(exprs).map_err(|e| ctx.locate(e))
}

/// `e` with references to select aliases (that are not also input columns) replaced by the
/// aliased expressions, as Spark resolves HAVING and ORDER BY.
fn substitute_aliases(e: &Expr, items: &[Item], scope: &Scope) -> Expr {
    map_expr(e, &mut |x| {
        let Expr::Column(c) = x else { return None };
        let parts = parse_attribute_name(c).ok()?;
        let [name] = parts.as_slice() else { return None };
        if scope.has(name) {
            return None;
        }
        items.iter().find(|i| i.alias.as_ref().is_some_and(|a| a.eq_ignore_ascii_case(name))).map(|i| i.expr.clone())
    })
}

fn select_items(ctx: &mut Context, scope: &Scope, projection: &[SelectItem]) -> Result<Vec<Item>> {
    let mut items = Vec::with_capacity(projection.len());
    let star_items = |columns: Vec<&ScopeColumn>| -> Vec<Item> {
        columns
            .into_iter()
            .map(|c| Item {
                expr: Expr::Column(quote(&c.name)),
                alias: (c.name != c.original).then(|| c.original.clone()),
                struct_star: false,
            })
            .collect()
    };
    for item in projection {
        match item {
            SelectItem::UnnamedExpr(e) => items.push(Item { expr: convert(ctx, scope, e)?, alias: None, struct_star: false }),
            SelectItem::ExprWithAlias { expr, alias } => {
                items.push(Item { expr: convert(ctx, scope, expr)?, alias: Some(alias.value.clone()), struct_star: false })
            }
            SelectItem::Wildcard(options) if no_options(options) => items.extend(star_items(scope.star(&[]).unwrap_or_default())),
            SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(name), options) if no_options(options) => {
                let Some(parts) = object_parts(name) else {
                    return Err(unsupported(ctx, name_start(name), "this wildcard"));
                };
                let parts: Vec<String> = parts.iter().map(|p| p.value.clone()).collect();
                match scope.star(&parts) {
                    Some(columns) => items.extend(star_items(columns)),
                    None => {
                        let target = parts.iter().map(|p| quote(p)).collect::<Vec<_>>().join(".");
                        items.push(Item { expr: Expr::Column(format!("{target}.*")), alias: None, struct_star: true })
                    }
                }
            }
            other => return Err(unsupported(ctx, item_start(other), "this select item")),
        }
    }
    Ok(items)
}

/// GROUP BY keys (`None` without the clause): expressions, select-list positions (`GROUP BY
/// 1`) and select aliases, as Spark's defaults allow.
fn group_keys(ctx: &mut Context, scope: &Scope, group_by: &GroupByExpr, items: &[Item]) -> Result<Option<Vec<Expr>>> {
    let exprs = match group_by {
        GroupByExpr::Expressions(exprs, modifiers) if modifiers.is_empty() => exprs,
        _ => return Err(unsupported(ctx, UNKNOWN, "this GROUP BY form")),
    };
    if exprs.is_empty() {
        return Ok(None);
    }
    let mut keys = Vec::with_capacity(exprs.len());
    for e in exprs {
        let pos = ctx.sql.pos(expr_start(e));
        let key = match e {
            ast::Expr::Value(v) if matches!(v.value, ast::Value::Number(..)) => match convert(ctx, scope, e)? {
                Expr::Literal(Literal::Int(n)) => {
                    let item = usize::try_from(n).ok().and_then(|n| n.checked_sub(1)).and_then(|i| items.get(i));
                    let Some(item) = item else {
                        return Err(at_position(
                            SparkError::analysis(format!(
                                "GROUP BY position {n} is not in select list (valid range is [1, {}]).",
                                items.len()
                            ))
                            .with_class("GROUP_BY_POS_OUT_OF_RANGE"),
                            pos,
                        ));
                    };
                    item.expr.clone()
                }
                other => other,
            },
            ast::Expr::Identifier(ident) if !scope.has(&ident.value) => {
                match items.iter().find(|i| i.alias.as_ref().is_some_and(|a| a.eq_ignore_ascii_case(&ident.value))) {
                    Some(item) => item.expr.clone(),
                    None => convert(ctx, scope, e)?,
                }
            }
            _ => convert(ctx, scope, e)?,
        };
        keys.push(key);
    }
    Ok(Some(keys))
}

fn order_keys(ctx: &mut Context, scope: &Scope, order: &OrderBy) -> Result<Vec<OrderKey>> {
    let OrderByKind::Expressions(exprs) = &order.kind else {
        return Err(unsupported(ctx, UNKNOWN, "ORDER BY ALL"));
    };
    if order.interpolate.is_some() {
        return Err(unsupported(ctx, UNKNOWN, "INTERPOLATE"));
    }
    exprs
        .iter()
        .map(|o| {
            let ascending = match &o.options.sort {
                None | Some(OrderBySort::Asc) => true,
                Some(OrderBySort::Desc) => false,
                Some(OrderBySort::Using(_)) => return Err(unsupported(ctx, expr_start(&o.expr), "ORDER BY ... USING")),
            };
            if o.with_fill.is_some() {
                return Err(unsupported(ctx, expr_start(&o.expr), "WITH FILL"));
            }
            Ok(OrderKey { expr: convert(ctx, scope, &o.expr)?, ascending, nulls_first: o.options.nulls_first })
        })
        .collect()
}

/// Sorts `df` by keys over its own columns (an integer literal is a column position).
fn sort_output(ctx: &Context, df: &DataFrame, keys: &[OrderKey]) -> Result<DataFrame> {
    let columns = df.columns();
    let keys = keys
        .iter()
        .map(|k| {
            let expr = match &k.expr {
                Expr::Literal(Literal::Int(n)) => {
                    let column = usize::try_from(*n).ok().and_then(|n| n.checked_sub(1)).and_then(|i| columns.get(i));
                    match column {
                        Some(c) => Expr::Column(quote(c)),
                        None => {
                            return Err(SparkError::analysis(format!(
                                "ORDER BY position {n} is not in select list (valid range is [1, {}]).",
                                columns.len()
                            ))
                            .with_class("ORDER_BY_POS_OUT_OF_RANGE"))
                        }
                    }
                }
                other => other.clone(),
            };
            Ok(SortKey { expr, ascending: k.ascending, nulls_first: k.nulls_first })
        })
        .collect::<Result<Vec<_>>>()?;
    df.order_by(keys).map_err(|e| ctx.locate(e))
}

fn apply_limit(ctx: &mut Context, df: DataFrame, limit: Option<&LimitClause>) -> Result<DataFrame> {
    match limit {
        None => Ok(df),
        Some(LimitClause::LimitOffset { limit: None, offset: None, limit_by }) if limit_by.is_empty() => Ok(df),
        Some(LimitClause::LimitOffset { limit: Some(n), offset: None, limit_by }) if limit_by.is_empty() => {
            let n = limit_value(ctx, n).map_err(|e| at_position(e, ctx.sql.pos(expr_start(n))))?;
            df.limit(n)
        }
        Some(_) => Err(unsupported(ctx, UNKNOWN, "OFFSET")),
    }
}
