//! Where an AST node starts in the text, for error positions.
//!
//! sqlparser's `Spanned` unions the spans of a whole subtree, recursively: on a 5,000-term
//! `a + a + ...` chain that recursion alone can exhaust a browser's stack. These functions
//! follow the leftmost child a bounded number of steps instead, and give sqlparser's "unknown"
//! location (line 0) when they cannot tell.

use sqlparser::ast::{self, ObjectName, ObjectNamePart, Query, SetExpr, TableFactor};
use sqlparser::tokenizer::Location;

/// How many leftmost children to follow before giving up.
const STEPS: usize = 64;

/// sqlparser's location for "no position".
pub(crate) const UNKNOWN: Location = Location { line: 0, column: 0 };

/// Where an object name (`db.t`) starts.
pub(crate) fn name_start(name: &ObjectName) -> Location {
    match name.0.first() {
        Some(ObjectNamePart::Identifier(i)) => i.span.start,
        Some(ObjectNamePart::Function(f)) => f.name.span.start,
        None => UNKNOWN,
    }
}

/// Where an expression starts.
pub(crate) fn expr_start(e: &ast::Expr) -> Location {
    use ast::Expr as S;
    let mut e = e;
    for _ in 0..STEPS {
        e = match e {
            S::Identifier(i) => return i.span.start,
            S::CompoundIdentifier(idents) => return idents.first().map_or(UNKNOWN, |i| i.span.start),
            S::Value(v) => return v.span.start,
            S::TypedString(t) => return t.value.span.start,
            S::Function(f) => return name_start(&f.name),
            S::Case { case_token, .. } => return case_token.0.span.start,
            S::Wildcard(token) | S::QualifiedWildcard(_, token) => return token.0.span.start,
            S::BinaryOp { left: x, .. }
            | S::IsNull(x)
            | S::IsNotNull(x)
            | S::IsTrue(x)
            | S::IsNotTrue(x)
            | S::IsFalse(x)
            | S::IsNotFalse(x)
            | S::IsUnknown(x)
            | S::IsNotUnknown(x)
            | S::IsDistinctFrom(x, _)
            | S::IsNotDistinctFrom(x, _)
            | S::In { expr: x, .. }
            | S::Between { expr: x, .. }
            | S::Like { expr: x, .. }
            | S::ILike { expr: x, .. }
            | S::RLike { expr: x, .. }
            | S::UnaryOp { expr: x, .. }
            | S::Cast { expr: x, .. }
            | S::Nested(x)
            | S::Named { expr: x, .. }
            | S::CompoundFieldAccess { root: x, .. } => x,
            _ => return UNKNOWN,
        };
    }
    UNKNOWN
}

/// Where a query starts.
pub(crate) fn query_start(q: &Query) -> Location {
    if let Some(with) = &q.with {
        return with.with_token.0.span.start;
    }
    let mut body = q.body.as_ref();
    for _ in 0..STEPS {
        body = match body {
            SetExpr::Select(s) => return s.select_token.0.span.start,
            SetExpr::Query(inner) => match &inner.with {
                Some(with) => return with.with_token.0.span.start,
                None => inner.body.as_ref(),
            },
            SetExpr::SetOperation { left, .. } => left,
            _ => return UNKNOWN,
        };
    }
    UNKNOWN
}

/// Where a FROM item starts.
pub(crate) fn factor_start(f: &TableFactor) -> Location {
    match f {
        TableFactor::Table { name, .. } => name_start(name),
        TableFactor::Derived { subquery, .. } => query_start(subquery),
        _ => UNKNOWN,
    }
}
