//! Expressions over aggregates (`round(avg(x), 4)`, SQL's select lists, `HAVING`), on top of
//! the engine's aggregation, which computes grouping keys and plain aggregate calls.
//!
//! Spark's Aggregate node computes any expression over its aggregates itself; the engine
//! computes the keys and the aggregate calls, so each expression (`agg(...)`'s arguments, a SQL
//! select list, HAVING, ORDER BY) is rewritten to read the aggregation's output columns: each grouping expression and each aggregate call becomes a
//! reference to its column (`count(*) + 1` → `` `count(1)` + 1 ``), and anything else left
//! reading an input column is Spark's `MISSING_AGGREGATION`.

use arrow::datatypes::{Schema, SchemaRef};
use streamlab_expr::aggregate::is_aggregate_call;
use streamlab_expr::types::quote;
use streamlab_expr::{resolve, Expr};
use streamlab_types::{Result, SparkError};

use crate::dataframe::DataFrame;

/// Rebuilds `e` bottom-up, replacing each node for which `f` returns a replacement.
pub(crate) fn map_expr(e: &Expr, f: &mut dyn FnMut(&Expr) -> Option<Expr>) -> Expr {
    if let Some(replaced) = f(e) {
        return replaced;
    }
    let mut go = |x: &Expr| Box::new(map_expr(x, f));
    match e {
        Expr::Column(_) | Expr::Literal(_) => e.clone(),
        Expr::Alias(x, name) => Expr::Alias(go(x), name.clone()),
        Expr::Cast(x, to) => Expr::Cast(go(x), to.clone()),
        Expr::Field(x, name) => Expr::Field(go(x), name.clone()),
        Expr::Unary { op, expr } => Expr::Unary { op: *op, expr: go(expr) },
        Expr::Binary { op, left, right } => {
            let left = go(left);
            Expr::Binary { op: *op, left, right: go(right) }
        }
        Expr::Function { name, args } => {
            Expr::Function { name: name.clone(), args: args.iter().map(|a| *go(a)).collect() }
        }
        Expr::CaseWhen { branches, otherwise } => Expr::CaseWhen {
            branches: branches.iter().map(|(c, v)| (*go(c), *go(v))).collect(),
            otherwise: otherwise.as_deref().map(&mut go),
        },
        Expr::In { expr, list } => {
            let expr = go(expr);
            Expr::In { expr, list: list.iter().map(|x| *go(x)).collect() }
        }
        Expr::Like { expr, pattern } => {
            let expr = go(expr);
            Expr::Like { expr, pattern: go(pattern) }
        }
        Expr::Item(x, key) => {
            let x = go(x);
            Expr::Item(x, go(key))
        }
    }
}

/// `e` with column and function names lower-cased: two expressions that are equal after this
/// compute the same thing (names are case-insensitive), as Spark's semantic equality sees them.
fn normalized(e: &Expr) -> Expr {
    map_expr(e, &mut |x| match x {
        Expr::Column(c) => Some(Expr::Column(c.to_lowercase())),
        Expr::Function { name, args } => {
            Some(Expr::Function { name: name.to_lowercase(), args: args.iter().map(normalized).collect() })
        }
        _ => None,
    })
}

/// The aggregate calls in `e`, outermost ones only, added to `out` unless already there.
fn collect_aggregates(e: &Expr, out: &mut Vec<Expr>) {
    if matches!(e, Expr::Function { .. }) && is_aggregate_call(e) {
        let n = normalized(e);
        if !out.iter().any(|x| normalized(x) == n) {
            out.push(e.clone());
        }
        return;
    }
    for child in e.children() {
        collect_aggregates(child, out);
    }
}

/// A built aggregation and how to read its output.
pub(crate) struct Aggregation {
    /// `groupBy(keys).agg(aggregates)`.
    pub(crate) df: DataFrame,
    input: SchemaRef,
    /// Each grouping expression (normalized) and its output column.
    keys: Vec<(Expr, String)>,
    /// Each aggregate call (normalized) and its output column.
    aggregates: Vec<(Expr, String)>,
}

impl Aggregation {
    /// Groups `input` by `keys` and computes every aggregate call found in `uses` (the select
    /// list, HAVING and ORDER BY).
    pub(crate) fn build(input: &DataFrame, keys: Vec<Expr>, uses: &[&Expr]) -> Result<Aggregation> {
        let mut calls = Vec::new();
        for e in uses {
            collect_aggregates(e, &mut calls);
        }
        // The engine's aggregation makes no group without a key, so a global aggregation
        // groups by a constant: one group over all rows (none over no rows, where Spark still
        // outputs one row).
        let keys = if keys.is_empty() { vec![Expr::lit(true)] } else { keys };
        let df = input.group_by(keys.clone()).agg(calls.clone())?;
        let names: Vec<String> = df.columns();
        let (key_names, aggregate_names) = names.split_at(keys.len().min(names.len()));
        Ok(Aggregation {
            keys: keys.iter().map(normalized).zip(key_names.iter().cloned()).collect(),
            aggregates: calls.iter().map(normalized).zip(aggregate_names.iter().cloned()).collect(),
            input: input.schema(),
            df,
        })
    }

    fn replace(&self, e: &Expr, keys: bool) -> Expr {
        map_expr(e, &mut |x| {
            let n = normalized(x);
            let key = keys.then(|| self.keys.iter().find(|(k, _)| *k == n)).flatten();
            let hit = key.or_else(|| self.aggregates.iter().find(|(a, _)| *a == n));
            hit.map(|(_, name)| Expr::Column(quote(name)))
        })
    }

    /// `e` reading the aggregation's output: grouping expressions and aggregate calls become
    /// references to their columns.
    pub(crate) fn rewrite(&self, e: &Expr) -> Expr {
        self.replace(e, true)
    }

    /// `e` with only its aggregate calls read from their columns (ORDER BY over the select
    /// list's output, where `count(*)` is the column `count(1)`).
    pub(crate) fn rewrite_aggregates(&self, e: &Expr) -> Expr {
        self.replace(e, false)
    }

    /// The grouping expression `e` is, if it is one: its output column.
    pub(crate) fn key_column(&self, e: &Expr) -> Option<&str> {
        let n = normalized(e);
        self.keys.iter().find(|(k, _)| *k == n).map(|(_, name)| name.as_str())
    }

    /// The name Spark gives an unaliased select item `e`: its own text, where each aggregate
    /// call reads as the aggregate's column name (`(count(1) + 1)`); `None` if it does not
    /// resolve that way.
    pub(crate) fn item_name(&self, e: &Expr) -> Option<String> {
        let aggregate_fields = self.df.schema().fields().iter().skip(self.keys.len()).cloned().collect::<Vec<_>>();
        let schema = Schema::new([self.input.fields().to_vec(), aggregate_fields].concat());
        resolve(&self.replace(e, false), &schema).ok().map(|r| r.name().to_string())
    }

    /// Spark's `MISSING_AGGREGATION` when the rewritten `e` still reads an input column that
    /// is not grouped.
    pub(crate) fn check(&self, rewritten: &Expr) -> Result<()> {
        let output = self.df.schema();
        for name in rewritten.column_names() {
            let column = Expr::Column(name);
            if resolve(&column, &output).is_ok() {
                continue;
            }
            if let Ok(input) = resolve(&column, &self.input) {
                let sql = input.name();
                return Err(SparkError::analysis(format!(
                    "The non-aggregating expression \"{sql}\" is based on columns which are not participating in the GROUP BY clause.\nAdd the columns or the expression to the GROUP BY, aggregate the expression, or use \"any_value({sql})\" if you do not care which of the values within a group is returned."
                ))
                .with_class("MISSING_AGGREGATION"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use streamlab_expr::parse_expression;

    fn p(s: &str) -> Expr {
        parse_expression(s).unwrap()
    }

    #[test]
    fn collects_outermost_aggregates_once() {
        let mut out = Vec::new();
        collect_aggregates(&p("count(*) + COUNT(1) * max(X)"), &mut out);
        collect_aggregates(&p("max(x) > 1"), &mut out);
        assert_eq!(out, vec![p("count(1)"), p("max(X)")]);
    }

    #[test]
    fn map_rebuilds_every_variant() {
        let e = p("CASE WHEN a IN (b, 1) AND c LIKE 'x' THEN CAST(-d AS STRING) ELSE f(g)[0].h END");
        let upper = map_expr(&e, &mut |x| match x {
            Expr::Column(c) => Some(Expr::Column(c.to_uppercase())),
            _ => None,
        });
        assert_eq!(upper.column_names(), vec!["A", "B", "C", "D", "G"]);
        assert_eq!(normalized(&upper), normalized(&e));
    }
}
