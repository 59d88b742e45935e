//! Which filters Spark pushes into a JSON or CSV scan.
//!
//! Spark's optimizer moves simple predicates (a column compared with a literal, null checks,
//! `IN` lists, `LIKE 'a%'`-style patterns, and AND/OR/NOT of those) into the file reader, which
//! then skips non-matching rows while parsing. The source's `numInputRows` in the progress
//! report counts the rows the scan returned, so a `where("x > 0.05")` right after `readStream`
//! reports 90 input rows, not 5000. StreamLab reproduces that number.

use streamlab_expr::{BinaryOp, Expr, UnaryOp};

use crate::plan::LogicalPlan;

fn is_column(e: &Expr) -> bool {
    matches!(e, Expr::Column(name) if name != "*")
}

fn is_literal(e: &Expr) -> bool {
    matches!(e, Expr::Literal(_))
}

/// A `LIKE` pattern the optimizer turns into StartsWith/EndsWith/Contains (all pushable).
fn simple_like(pattern: &Expr) -> bool {
    let Some(p) = (match pattern {
        Expr::Literal(l) => l.as_str(),
        _ => None,
    }) else {
        return false;
    };
    let core = p.strip_prefix('%').unwrap_or(p);
    let core = core.strip_suffix('%').unwrap_or(core);
    !core.contains(['%', '_', '\\']) && (p.starts_with('%') || p.ends_with('%') || core == p)
}

fn is_pushable(e: &Expr) -> bool {
    match e {
        Expr::Binary { op: BinaryOp::And | BinaryOp::Or, left, right } => is_pushable(left) && is_pushable(right),
        Expr::Binary { op, left, right } => {
            matches!(op, BinaryOp::Eq | BinaryOp::EqNullSafe | BinaryOp::Lt | BinaryOp::LtEq | BinaryOp::Gt | BinaryOp::GtEq)
                && ((is_column(left) && is_literal(right)) || (is_literal(left) && is_column(right)))
        }
        Expr::Unary { op: UnaryOp::Not, expr } => is_pushable(expr),
        Expr::Unary { op: UnaryOp::IsNull | UnaryOp::IsNotNull, expr } => is_column(expr),
        Expr::In { expr, list } => is_column(expr) && list.iter().all(is_literal),
        Expr::Like { expr, pattern } => is_column(expr) && simple_like(pattern),
        _ => false,
    }
}

/// The conjuncts of `predicate` that a JSON/CSV scan would evaluate.
pub(crate) fn pushable_conjuncts(predicate: &Expr) -> Vec<Expr> {
    match predicate {
        Expr::Binary { op: BinaryOp::And, left, right } => {
            let mut out = pushable_conjuncts(left);
            out.extend(pushable_conjuncts(right));
            out
        }
        e if is_pushable(e) => vec![e.clone()],
        _ => Vec::new(),
    }
}

/// Whether filters above `plan` reach a JSON/CSV stream source untouched: only filters and
/// projections that select or rename columns stand in between.
pub(crate) fn reaches_pushdown_source(plan: &LogicalPlan) -> bool {
    match plan {
        LogicalPlan::StreamSource { spec, .. } => matches!(spec.format.as_str(), "json" | "csv"),
        LogicalPlan::Filter { input, .. } => reaches_pushdown_source(input),
        LogicalPlan::Project { input, source, .. } => {
            source.iter().all(|e| is_column(e) || matches!(e, Expr::Alias(inner, _) if is_column(inner)))
                && reaches_pushdown_source(input)
        }
        LogicalPlan::Relation { .. } | LogicalPlan::Table { .. } | LogicalPlan::Watermark { .. } | LogicalPlan::Aggregate { .. } | LogicalPlan::Deduplicate { .. }
        | LogicalPlan::Join { .. }
        | LogicalPlan::Sort { .. }
        | LogicalPlan::Limit { .. } => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_predicates_are_pushed() {
        let x = || Expr::col("x");
        assert_eq!(pushable_conjuncts(&x().gt(Expr::lit(0.05))).len(), 1);
        let mixed = x().gt(Expr::lit(0.05)).and(x().add(Expr::lit(1)).gt(Expr::lit(2)));
        assert_eq!(pushable_conjuncts(&mixed), vec![x().gt(Expr::lit(0.05))]);
        assert!(pushable_conjuncts(&x().gt(Expr::col("y"))).is_empty());
        assert_eq!(pushable_conjuncts(&x().like(Expr::lit("%keep%"))).len(), 1);
        assert!(pushable_conjuncts(&x().like(Expr::lit("k_ep"))).is_empty());
        assert_eq!(pushable_conjuncts(&x().is_not_null()).len(), 1);
    }
}
