//! sqlparser expressions to the engine's [`Expr`], so that SQL and the DataFrame API build the
//! same trees and Spark's names, types and coercions come from one place.
//!
//! Literals are re-read from their source text by [`parse_expression`], which types them as
//! Spark does (`1` int, `1L` bigint, `1.5` decimal(2,1), `'a\'b'` with escapes); column
//! references go through the query's [`Scope`] (qualifiers, join renames, ambiguity).

use sqlparser::ast::{
    self, AccessExpr, BinaryOperator, CastKind, CeilFloorKind, DateTimeField, DuplicateTreatment, Function,
    FunctionArg, FunctionArgExpr, FunctionArguments, Ident, ObjectName, ObjectNamePart, Subscript,
    UnaryOperator, ValueWithSpan,
};
use sqlparser::tokenizer::Location;
use streamlab_expr::aggregate::is_aggregate_name;
use streamlab_expr::types::quote;
use arrow::datatypes::{DataType, Schema};
use streamlab_expr::{parse_data_type, parse_expression, resolve, BinaryOp, Expr, Literal, UnaryOp};
use streamlab_types::{Result, SparkError};

use super::context::Context;
use super::scope::{Lookup, Scope};
use super::start::{expr_start, name_start};
use super::text::{at_position, Pos};

/// How deep a SQL expression may nest (the engine's resolver stops at 200 too).
const MAX_DEPTH: usize = 200;

/// Converts `expr`, resolving column names through `scope`.
pub(crate) fn convert(ctx: &mut Context, scope: &Scope, expr: &ast::Expr) -> Result<Expr> {
    Converter { ctx, scope, depth: 0 }.expr(expr)
}

/// The names of an object (`db.t`, `x`), if every part is a plain identifier.
pub(crate) fn object_parts(name: &ObjectName) -> Option<Vec<&Ident>> {
    name.0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(i) => Some(i),
            ObjectNamePart::Function(_) => None,
        })
        .collect()
}

/// A ParseException-shaped error for SQL StreamLab does not run, pointing at where it was written.
pub(crate) fn unsupported(ctx: &Context, at: Location, what: &str) -> SparkError {
    let pos = ctx.sql.pos(at).unwrap_or(Pos { line: 1, col: 0 });
    ctx.sql.parse_error(pos, "UNSUPPORTED_FEATURE", &format!("The feature is not supported: {what} in StreamLab's SQL."))
}

struct Converter<'c, 'a> {
    ctx: &'c mut Context<'a>,
    scope: &'c Scope,
    depth: usize,
}

fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    Expr::Binary { op, left: Box::new(left), right: Box::new(right) }
}

impl Converter<'_, '_> {
    fn unsupported(&self, at: Location, what: &str) -> SparkError {
        unsupported(self.ctx, at, what)
    }

    fn expr(&mut self, e: &ast::Expr) -> Result<Expr> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.unsupported(expr_start(e), &format!("an expression nested more than {MAX_DEPTH} levels deep")));
        }
        let out = self.expr_inner(e);
        self.depth -= 1;
        out
    }

    fn boxed(&mut self, e: &ast::Expr) -> Result<Box<Expr>> {
        Ok(Box::new(self.expr(e)?))
    }

    fn all(&mut self, es: &[ast::Expr]) -> Result<Vec<Expr>> {
        es.iter().map(|e| self.expr(e)).collect()
    }

    /// Dispatches on the variant. Arms that recurse through long chains (operators, calls,
    /// parentheses) get their own small functions, so a frame on the recursion path stays
    /// small (a debug build would otherwise exhaust a 1 MiB stack well before `MAX_DEPTH`).
    fn expr_inner(&mut self, e: &ast::Expr) -> Result<Expr> {
        use ast::Expr as S;
        match e {
            S::Identifier(ident) => self.column(std::slice::from_ref(ident)),
            S::CompoundIdentifier(idents) => self.column(idents),
            S::Value(v) => self.literal(v, false),
            S::Nested(inner) => self.expr(inner),
            S::UnaryOp { op, expr } => self.unary(*op, expr, e),
            S::BinaryOp { left, op, right } => self.binary(left, op, right, e),
            S::Function(f) => self.function(f),
            S::IsNull(_)
            | S::IsNotNull(_)
            | S::IsUnknown(_)
            | S::IsNotUnknown(_)
            | S::IsTrue(_)
            | S::IsNotTrue(_)
            | S::IsFalse(_)
            | S::IsNotFalse(_)
            | S::IsDistinctFrom(..)
            | S::IsNotDistinctFrom(..)
            | S::In { .. }
            | S::Between { .. }
            | S::Like { .. }
            | S::ILike { .. }
            | S::RLike { .. } => self.predicate(e),
            S::Case { operand, conditions, else_result, .. } => self.case(operand.as_deref(), conditions, else_result.as_deref()),
            _ => self.special(e),
        }
    }

    /// `IS ...`, `IN`, `BETWEEN`, `LIKE`, `ILIKE`, `RLIKE`.
    fn predicate(&mut self, e: &ast::Expr) -> Result<Expr> {
        use ast::Expr as S;
        let not_if = |negated: bool, e: Expr| if negated { e.not() } else { e };
        Ok(match e {
            S::IsNull(x) => self.expr(x)?.is_null(),
            S::IsNotNull(x) => self.expr(x)?.is_not_null(),
            S::IsUnknown(x) => self.expr(x)?.is_null(),
            S::IsNotUnknown(x) => self.expr(x)?.is_not_null(),
            S::IsTrue(x) => self.expr(x)?.eq_null_safe(Expr::lit(true)),
            S::IsNotTrue(x) => self.expr(x)?.eq_null_safe(Expr::lit(true)).not(),
            S::IsFalse(x) => self.expr(x)?.eq_null_safe(Expr::lit(false)),
            S::IsNotFalse(x) => self.expr(x)?.eq_null_safe(Expr::lit(false)).not(),
            S::IsDistinctFrom(a, b) => self.expr(a)?.eq_null_safe(self.expr(b)?).not(),
            S::IsNotDistinctFrom(a, b) => self.expr(a)?.eq_null_safe(self.expr(b)?),
            S::In { expr, target: ast::InTarget::List(list), negated, .. } => not_if(*negated, self.expr(expr)?.isin(self.all(list)?)),
            S::Between { expr, negated, low, high } => {
                not_if(*negated, self.expr(expr)?.between(self.expr(low)?, self.expr(high)?))
            }
            S::Like { negated, any: false, expr, pattern, escape_char } => {
                let (v, p) = (self.expr(expr)?, self.expr(pattern)?);
                not_if(*negated, match escape_char {
                    Some(esc) => Expr::call("like", vec![v, p, self.expr(esc)?]),
                    None => v.like(p),
                })
            }
            S::ILike { negated, any: false, expr, pattern, escape_char } => {
                let mut args = vec![self.expr(expr)?, self.expr(pattern)?];
                if let Some(esc) = escape_char {
                    args.push(self.expr(esc)?);
                }
                not_if(*negated, Expr::call("ilike", args))
            }
            S::RLike { negated, expr, pattern, .. } => {
                not_if(*negated, Expr::call("rlike", vec![self.expr(expr)?, self.expr(pattern)?]))
            }
            S::In { .. } => return Err(self.unsupported(expr_start(e), "a subquery in an expression")),
            _ => return Err(self.unsupported(expr_start(e), "this predicate")),
        })
    }

    /// `CASE [subject] WHEN ... THEN ... [ELSE ...] END`.
    fn case(&mut self, operand: Option<&ast::Expr>, conditions: &[ast::CaseWhen], else_result: Option<&ast::Expr>) -> Result<Expr> {
        let subject = operand.map(|o| self.expr(o)).transpose()?;
        let mut branches = Vec::with_capacity(conditions.len());
        for w in conditions {
            let c = self.expr(&w.condition)?;
            let c = match &subject {
                Some(s) => s.clone().eq(c),
                None => c,
            };
            branches.push((c, self.expr(&w.result)?));
        }
        let otherwise = else_result.map(|x| self.boxed(x)).transpose()?;
        Ok(Expr::CaseWhen { branches, otherwise })
    }

    /// Typed literals, casts, sqlparser's special forms of some functions, struct and field
    /// access, and what StreamLab refuses.
    fn special(&mut self, e: &ast::Expr) -> Result<Expr> {
        use ast::Expr as S;
        Ok(match e {
            S::TypedString(t) => {
                let value = self.source(t.value.span)?;
                let text = format!("{} {value}", t.data_type);
                parse_expression(&text).map_err(|err| self.rebase(err, t.value.span.start))?
            }
            S::Cast { kind: CastKind::Cast | CastKind::TryCast, expr, data_type, format: None } => {
                let to = parse_data_type(&data_type.to_string()).map_err(|err| self.rebase(err, expr_start(e)))?;
                self.expr(expr)?.cast(to)
            }
            S::Substring { expr, substring_from, substring_for, shorthand, .. } => {
                let mut args = vec![self.expr(expr)?];
                args.push(match substring_from {
                    Some(from) => self.expr(from)?,
                    None => Expr::lit(1),
                });
                if let Some(len) = substring_for {
                    args.push(self.expr(len)?);
                }
                Expr::call(if *shorthand { "substr" } else { "substring" }, args)
            }
            S::Trim { trim_where: None, trim_what: None, expr, trim_characters } => {
                let mut args = vec![self.expr(expr)?];
                if let Some(chars) = trim_characters {
                    args.extend(self.all(chars)?);
                }
                Expr::call("trim", args)
            }
            S::Ceil { expr, field } | S::Floor { expr, field } => {
                let name = if matches!(e, S::Ceil { .. }) { "ceil" } else { "floor" };
                let mut args = vec![self.expr(expr)?];
                match field {
                    CeilFloorKind::DateTimeField(DateTimeField::NoDateTime) => {}
                    CeilFloorKind::Scale(scale) => args.push(self.literal(scale, false)?),
                    CeilFloorKind::DateTimeField(_) => return Err(self.unsupported(expr_start(e), "CEIL/FLOOR to a date field")),
                }
                Expr::call(name, args)
            }
            S::Position { expr, r#in } => Expr::call("position", vec![self.expr(expr)?, self.expr(r#in)?]),
            S::Tuple(items) => Expr::call("struct", self.all(items)?),
            S::Struct { values, fields } if fields.is_empty() => Expr::call("struct", self.all(values)?),
            S::Named { expr, name } => self.expr(expr)?.alias(&name.value),
            S::CompoundFieldAccess { root, access_chain } => {
                let mut out = self.expr(root)?;
                for access in access_chain {
                    out = match access {
                        AccessExpr::Dot(S::Identifier(field)) => match out {
                            Expr::Column(c) if !c.ends_with('*') => Expr::Column(format!("{c}.{}", quote(&field.value))),
                            other => other.get_field(&field.value),
                        },
                        AccessExpr::Subscript(Subscript::Index { index }) => out.get_item(self.expr(index)?),
                        _ => return Err(self.unsupported(expr_start(e), "this field access")),
                    };
                }
                out
            }
            S::Wildcard(_) => Expr::col("*"),
            S::QualifiedWildcard(name, _) => {
                let parts = object_parts(name).ok_or_else(|| self.unsupported(expr_start(e), "this wildcard"))?;
                Expr::Column(format!("{}.*", parts.iter().map(|p| quote(&p.value)).collect::<Vec<_>>().join(".")))
            }
            S::Subquery(_) | S::Exists { .. } => {
                return Err(self.unsupported(expr_start(e), "a subquery in an expression"))
            }
            S::Interval(_) => return Err(self.unsupported(expr_start(e), "an INTERVAL literal")),
            S::Lambda(_) => return Err(self.unsupported(expr_start(e), "a lambda function")),
            _ => return Err(self.unsupported(expr_start(e), "this expression")),
        })
    }

    /// The source text a span covers.
    fn source(&self, span: sqlparser::tokenizer::Span) -> Result<String> {
        self.ctx.sql.slice(span).map(str::to_string).ok_or_else(|| self.unsupported(span.start, "a literal without a source position"))
    }

    /// A literal typed by Spark's own literal rules, from its source text.
    fn literal(&self, v: &ValueWithSpan, negative: bool) -> Result<Expr> {
        let text = self.source(v.span)?;
        let text = if negative { format!("-{text}") } else { text };
        parse_expression(&text).map_err(|err| self.rebase(err, v.span.start))
    }

    /// A `ParseException` from re-reading a fragment, moved to where the fragment is in the
    /// statement.
    fn rebase(&self, err: SparkError, at: Location) -> SparkError {
        let Some(start) = self.ctx.sql.pos(at) else { return err };
        let Some((head, tail)) = err.message.split_once("(line 1, pos ") else { return err };
        let offset: usize = tail.split(')').next().and_then(|p| p.parse().ok()).unwrap_or(0);
        let pos = Pos { line: start.line, col: start.col.saturating_add(offset) };
        let class = err.error_class.clone().unwrap_or_else(|| "PARSE_SYNTAX_ERROR".into());
        self.ctx.sql.parse_error(pos, &class, head)
    }

    fn column(&mut self, idents: &[Ident]) -> Result<Expr> {
        let parts: Vec<String> = idents.iter().map(|i| i.value.clone()).collect();
        let pos = idents.first().and_then(|i| self.ctx.sql.pos(i.span.start));
        let column = match self.scope.lookup(&parts).map_err(|e| at_position(e, pos))? {
            Lookup::Column(name, fields) => {
                let typed = parts.len().checked_sub(fields.len() + 1).and_then(|i| parts.get(i));
                // Spark names the column as typed (`GT` stays `GT`) unless a join renamed it.
                let head = typed.filter(|t| t.eq_ignore_ascii_case(&name)).unwrap_or(&name);
                std::iter::once(head).chain(&fields).map(|p| quote(p)).collect::<Vec<_>>().join(".")
            }
            Lookup::Missing => parts.iter().map(|p| quote(p)).collect::<Vec<_>>().join("."),
        };
        self.ctx.note_column(column.clone(), pos);
        Ok(Expr::Column(column))
    }

    fn unary(&mut self, op: UnaryOperator, operand: &ast::Expr, whole: &ast::Expr) -> Result<Expr> {
        Ok(match op {
            UnaryOperator::Minus => match operand {
                // Spark folds the sign into a numeric literal (`-2` is an int literal named `-2`).
                ast::Expr::Value(v) if matches!(v.value, ast::Value::Number(..)) => self.literal(v, true)?,
                other => self.expr(other)?.neg(),
            },
            UnaryOperator::Plus => Expr::Unary { op: UnaryOp::Plus, expr: self.boxed(operand)? },
            UnaryOperator::Not | UnaryOperator::BangNot => self.expr(operand)?.not(),
            UnaryOperator::BitwiseNot => {
                Expr::Unary { op: UnaryOp::BitNot, expr: self.boxed(operand)? }
            }
            other => return Err(self.unsupported(expr_start(whole), &format!("the operator {other}"))),
        })
    }

    fn binary(&mut self, left: &ast::Expr, op: &BinaryOperator, right: &ast::Expr, whole: &ast::Expr) -> Result<Expr> {
        use BinaryOperator as B;
        let (l, r) = (self.expr(left)?, self.expr(right)?);
        Ok(match op {
            B::Plus => l.add(r),
            B::Minus => l.sub(r),
            B::Multiply => l.mul(r),
            B::Divide => l.div(r),
            B::Modulo => l.rem(r),
            B::MyIntegerDivide | B::DuckIntegerDivide => binary(BinaryOp::IntDivide, l, r),
            B::StringConcat => Expr::call("concat", vec![l, r]),
            B::Eq => l.eq(r),
            B::NotEq => l.not_eq(r),
            B::Lt => l.lt(r),
            B::LtEq => l.lt_eq(r),
            B::Gt => l.gt(r),
            B::GtEq => l.gt_eq(r),
            B::Spaceship => l.eq_null_safe(r),
            B::And => l.and(r),
            B::Or => l.or(r),
            B::BitwiseAnd => binary(BinaryOp::BitAnd, l, r),
            B::BitwiseOr => binary(BinaryOp::BitOr, l, r),
            B::BitwiseXor | B::PGBitwiseXor => binary(BinaryOp::BitXor, l, r),
            other => return Err(self.unsupported(expr_start(whole), &format!("the operator {other}"))),
        })
    }

    fn function(&mut self, f: &Function) -> Result<Expr> {
        let at = name_start(&f.name);
        let name = match object_parts(&f.name).as_deref() {
            Some([one]) => (*one).clone(),
            _ => return Err(self.unsupported(at, &format!("the qualified function name {}", f.name))),
        };
        if f.over.is_some() {
            return Err(self.unsupported(at, "a window function (OVER)"));
        }
        if f.filter.is_some() || !f.within_group.is_empty() || f.null_treatment.is_some() {
            return Err(self.unsupported(at, &format!("this form of {}()", name.value)));
        }
        if !matches!(f.parameters, FunctionArguments::None) {
            return Err(self.unsupported(at, &format!("parameters of {}()", name.value)));
        }
        let list = match &f.args {
            // `current_timestamp` without parentheses: a column if one has the name, else the
            // function, exactly as the engine's expression parser leaves it.
            FunctionArguments::None => return self.column(std::slice::from_ref(&name)),
            FunctionArguments::Subquery(_) => return Err(self.unsupported(at, "a subquery as a function argument")),
            FunctionArguments::List(list) => list,
        };
        if !list.clauses.is_empty() {
            return Err(self.unsupported(at, &format!("this form of {}()", name.value)));
        }
        let mut function = name.value.clone();
        if matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct)) {
            function = format!("{function}_distinct");
            if !is_aggregate_name(&function) {
                return Err(self.unsupported(at, &format!("DISTINCT inside {}()", name.value)));
            }
        }
        let count_star = name.value.eq_ignore_ascii_case("count")
            && matches!(list.args.as_slice(), [FunctionArg::Unnamed(FunctionArgExpr::Wildcard)]);
        let args = if count_star {
            vec![Expr::lit(1)]
        } else {
            let mut args = Vec::with_capacity(list.args.len());
            for arg in &list.args {
                args.push(match arg {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => self.expr(x)?,
                    FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => Expr::col("*"),
                    FunctionArg::Unnamed(FunctionArgExpr::QualifiedWildcard(q)) => {
                        let parts = object_parts(q).ok_or_else(|| self.unsupported(at, "this wildcard"))?;
                        Expr::Column(format!("{}.*", parts.iter().map(|p| quote(&p.value)).collect::<Vec<_>>().join(".")))
                    }
                    _ => return Err(self.unsupported(at, &format!("named arguments of {}()", name.value))),
                });
            }
            args
        };
        self.ctx.note_function(&name.value, self.ctx.sql.pos(name.span.start));
        Ok(Expr::call(&function, args))
    }
}

/// The non-negative integer of a `LIMIT` clause, with Spark's errors for anything else.
pub(crate) fn limit_value(ctx: &mut Context, e: &ast::Expr) -> Result<usize> {
    let value = convert(ctx, &Scope::default(), e)?;
    let resolved = resolve(&value, &Schema::empty())?;
    let invalid = |class: &str, why: String| {
        SparkError::analysis(format!("The limit like expression \"{}\" is invalid. {why}", resolved.name()))
            .with_class(format!("INVALID_LIMIT_LIKE_EXPRESSION.{class}"))
    };
    if resolved.data_type() != &DataType::Int32 {
        let got = streamlab_types::ddl::sql_name(resolved.data_type());
        return Err(invalid("DATA_TYPE", format!("The limit expression must be integer type, but got \"{got}\".")));
    }
    let Some(Literal::Int(n)) = resolved.literal() else {
        return Err(invalid("IS_UNFOLDABLE", "The limit expression must evaluate to a constant value.".into()));
    };
    usize::try_from(*n)
        .map_err(|_| invalid("IS_NEGATIVE", format!("The limit expression must be equal to or greater than 0, but got {n}.")))
}
