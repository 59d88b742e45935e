//! SELECT queries to DataFrames, built with the DataFrame API so SQL and PySpark-style code run
//! the same plans: WITH, WHERE, GROUP BY / HAVING, the select list, DISTINCT, ORDER BY and
//! LIMIT over the FROM clause ([`super::from`]).

use streamlab_expr::types::quote;
use streamlab_expr::{parse_attribute_name, resolve, Expr, Literal};
use streamlab_types::{Result, SparkError};

use crate::dataframe::DataFrame;
use crate::sort::SortKey;

use crate::aggregation::{map_expr, Aggregation};

use super::ast::{self, ExprKind, Limit, OrderItem, Query, QueryBody, Select, SelectItem};
use super::context::Context;
use super::expr::{convert, limit_value, quoted};
use super::from::from;
use super::scope::{Scope, ScopeColumn};
use super::text::at_position;

/// A query's DataFrame.
pub(crate) fn query(ctx: &mut Context, q: &Query) -> Result<DataFrame> {
    let visible = ctx.ctes.len();
    let result = with_ctes(ctx, q);
    ctx.ctes.truncate(visible);
    result
}

fn with_ctes(ctx: &mut Context, q: &Query) -> Result<DataFrame> {
    for cte in &q.ctes {
        let df = query(ctx, &cte.query)?;
        ctx.ctes.push((cte.name.value.clone(), df));
    }
    match &q.body {
        QueryBody::Select(select) => select_query(ctx, select, &q.order_by, q.limit.as_ref()),
        QueryBody::Nested(inner) => {
            let df = query(ctx, inner)?;
            let df = if q.order_by.is_empty() {
                df
            } else {
                let scope = Scope::of(&df, None);
                let keys = order_keys(ctx, &scope, &q.order_by)?;
                sort_output(ctx, &df, &keys)?
            };
            apply_limit(ctx, df, q.limit.as_ref())
        }
        QueryBody::SetOperation { what } => Err(ctx.sql.unsupported(q.start, what)),
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

fn select_query(ctx: &mut Context, s: &Select, order_by: &[OrderItem], limit: Option<&Limit>) -> Result<DataFrame> {
    let (input, scope) = from(ctx, &s.from)?;
    let input = match &s.selection {
        Some(condition) => {
            let c = convert(ctx, &scope, condition)?;
            input.filter(c).map_err(|e| ctx.locate(e))?
        }
        None => input,
    };
    let items = select_items(ctx, &scope, &s.items)?;
    let keys = s.group_by.as_deref().map(|g| group_keys(ctx, &scope, g, &items)).transpose()?;
    let having = s.having.as_ref().map(|h| convert(ctx, &scope, h)).transpose()?;
    let order = if order_by.is_empty() { None } else { Some(order_keys(ctx, &scope, order_by)?) };
    let aggregating = keys.is_some() || having.is_some() || items.iter().any(|i| i.expr.contains_aggregate());
    let distinct = s.distinct;

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
            SelectItem::Expr { expr, alias } => {
                items.push(Item { expr: convert(ctx, scope, expr)?, alias: alias.as_ref().map(|a| a.value.clone()), struct_star: false })
            }
            SelectItem::Star { qualifier } => {
                let parts: Vec<String> = qualifier.iter().map(|p| p.value.clone()).collect();
                match scope.star(&parts) {
                    Some(columns) => items.extend(star_items(columns)),
                    None => items.push(Item { expr: Expr::Column(format!("{}.*", quoted(qualifier))), alias: None, struct_star: true }),
                }
            }
        }
    }
    Ok(items)
}

/// GROUP BY keys: expressions, select-list positions (`GROUP BY 1`) and select aliases, as
/// Spark's defaults allow.
fn group_keys(ctx: &mut Context, scope: &Scope, exprs: &[ast::Expr], items: &[Item]) -> Result<Vec<Expr>> {
    let mut keys = Vec::with_capacity(exprs.len());
    for e in exprs {
        let pos = ctx.sql.pos(e.start);
        let key = match &e.kind {
            ExprKind::Number { .. } => match convert(ctx, scope, e)? {
                Expr::Literal(Literal::Int(n)) => {
                    let item = usize::try_from(n).ok().and_then(|n| n.checked_sub(1)).and_then(|i| items.get(i));
                    let Some(item) = item else {
                        return Err(at_position(
                            SparkError::analysis(format!(
                                "GROUP BY position {n} is not in select list (valid range is [1, {}]).",
                                items.len()
                            ))
                            .with_class("GROUP_BY_POS_OUT_OF_RANGE"),
                            Some(pos),
                        ));
                    };
                    item.expr.clone()
                }
                other => other,
            },
            ExprKind::Column(parts) => match parts.as_slice() {
                [one] if !scope.has(&one.value) => {
                    match items.iter().find(|i| i.alias.as_ref().is_some_and(|a| a.eq_ignore_ascii_case(&one.value))) {
                        Some(item) => item.expr.clone(),
                        None => convert(ctx, scope, e)?,
                    }
                }
                _ => convert(ctx, scope, e)?,
            },
            _ => convert(ctx, scope, e)?,
        };
        keys.push(key);
    }
    Ok(keys)
}

fn order_keys(ctx: &mut Context, scope: &Scope, order: &[OrderItem]) -> Result<Vec<OrderKey>> {
    order
        .iter()
        .map(|o| Ok(OrderKey { expr: convert(ctx, scope, &o.expr)?, ascending: o.ascending, nulls_first: o.nulls_first }))
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

fn apply_limit(ctx: &mut Context, df: DataFrame, limit: Option<&Limit>) -> Result<DataFrame> {
    match limit {
        None | Some(Limit::All) => Ok(df),
        Some(Limit::Count(n)) => {
            let count = limit_value(ctx, n).map_err(|e| at_position(e, Some(ctx.sql.pos(n.start))))?;
            df.limit(count)
        }
    }
}
