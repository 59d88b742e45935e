//! SQL expressions of the syntax tree to the engine's [`Expr`], so that SQL and the DataFrame
//! API build the same trees and Spark's names, types and coercions come from one place.
//!
//! Literals are re-read from their source text by [`parse_expression`], which types them as
//! Spark does (`1` int, `1L` bigint, `1.5` decimal(2,1), `'a\'b'` with escapes, `DATE '…'`);
//! column references go through the query's [`Scope`] (qualifiers, join renames, ambiguity).

use arrow::datatypes::{DataType, Schema};
use streamlab_expr::aggregate::is_aggregate_name;
use streamlab_expr::types::quote;
use streamlab_expr::{parse_data_type, parse_expression, resolve, BinaryOp, Expr, Literal, UnaryOp};
use streamlab_types::{Result, SparkError};

use super::ast::{self, ExprKind, Ident, LikeKind};
use super::context::Context;
use super::scope::{Lookup, Scope};
use super::text::{at_position, Pos};

/// How deep a SQL expression may nest (the engine's resolver stops at 200 too).
const MAX_DEPTH: usize = 200;

/// Converts `expr`, resolving column names through `scope`.
pub(crate) fn convert(ctx: &mut Context, scope: &Scope, expr: &ast::Expr) -> Result<Expr> {
    Converter { ctx, scope, depth: 0 }.expr(expr)
}

/// `a`.`b` for name parts.
pub(crate) fn quoted(parts: &[Ident]) -> String {
    parts.iter().map(|p| quote(&p.value)).collect::<Vec<_>>().join(".")
}

struct Converter<'c, 'a> {
    ctx: &'c mut Context<'a>,
    scope: &'c Scope,
    depth: usize,
}

fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    Expr::Binary { op, left: Box::new(left), right: Box::new(right) }
}

fn not_if(negated: bool, e: Expr) -> Expr {
    if negated {
        e.not()
    } else {
        e
    }
}

impl Converter<'_, '_> {
    fn expr(&mut self, e: &ast::Expr) -> Result<Expr> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.ctx.sql.unsupported(e.start, &format!("an expression nested more than {MAX_DEPTH} levels deep")));
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

    /// Dispatches on the kind; each kind that recurses has its own small function, so a frame
    /// on the recursion path stays small (a debug build would otherwise exhaust a 1 MiB stack
    /// well before `MAX_DEPTH`).
    fn expr_inner(&mut self, e: &ast::Expr) -> Result<Expr> {
        use ExprKind as K;
        match &e.kind {
            K::Column(parts) => self.column(parts),
            K::Literal | K::TypedLiteral => self.literal(self.ctx.sql.slice(e.start, e.end), e.start),
            K::Number { negative, digits } => {
                let text = self.ctx.sql.slice(*digits, e.end);
                let text = if *negative { format!("-{text}") } else { text.to_string() };
                self.literal(&text, e.start)
            }
            K::Unary { op, expr } => self.unary(*op, expr),
            K::Binary { op, left, right } => self.binary(*op, left, right),
            K::Function { name, distinct, args, star } => self.function(name, *distinct, args, *star),
            K::IsNull { expr, negated } => Ok(if *negated { self.expr(expr)?.is_not_null() } else { self.expr(expr)?.is_null() }),
            K::IsBool { expr, value, negated } => self.is_bool(expr, *value, *negated),
            K::IsDistinctFrom { left, right, negated } => Ok(not_if(!*negated, self.expr(left)?.eq_null_safe(self.expr(right)?))),
            K::InList { expr, list, negated } => Ok(not_if(*negated, self.expr(expr)?.isin(self.all(list)?))),
            K::Between { expr, low, high, negated } => self.between(expr, low, high, *negated),
            K::Like { kind, expr, pattern, escape, negated } => self.like(*kind, expr, pattern, escape.as_deref(), *negated),
            K::Case { operand, branches, otherwise } => self.case(operand.as_deref(), branches, otherwise.as_deref()),
            K::Cast { expr, type_start, type_end } => self.cast(expr, *type_start, *type_end),
            K::Star { qualifier } if qualifier.is_empty() => Ok(Expr::col("*")),
            K::Star { qualifier } => Ok(Expr::Column(format!("{}.*", quoted(qualifier)))),
            K::Field { expr, field } => self.field(expr, field),
            K::Subscript { expr, index } => Ok(self.expr(expr)?.get_item(self.expr(index)?)),
            K::Tuple(items) => Ok(Expr::call("struct", self.all(items)?)),
            K::Named { expr, name } => Ok(self.expr(expr)?.alias(&name.value)),
            K::Unsupported(what) => Err(self.ctx.sql.unsupported(e.start, what)),
        }
    }

    /// `IS [NOT] TRUE|FALSE|UNKNOWN`.
    fn is_bool(&mut self, expr: &ast::Expr, value: Option<bool>, negated: bool) -> Result<Expr> {
        let e = self.expr(expr)?;
        Ok(not_if(negated, match value {
            Some(v) => e.eq_null_safe(Expr::lit(v)),
            None => e.is_null(),
        }))
    }

    fn between(&mut self, expr: &ast::Expr, low: &ast::Expr, high: &ast::Expr, negated: bool) -> Result<Expr> {
        Ok(not_if(negated, self.expr(expr)?.between(self.expr(low)?, self.expr(high)?)))
    }

    /// `LIKE [ESCAPE]`, `ILIKE`, `RLIKE`.
    fn like(&mut self, kind: LikeKind, expr: &ast::Expr, pattern: &ast::Expr, escape: Option<&ast::Expr>, negated: bool) -> Result<Expr> {
        let (v, p) = (self.expr(expr)?, self.expr(pattern)?);
        let escape = escape.map(|x| self.expr(x)).transpose()?;
        Ok(not_if(negated, match (kind, escape) {
            (LikeKind::Like, None) => v.like(p),
            (LikeKind::Like, Some(esc)) => Expr::call("like", vec![v, p, esc]),
            (LikeKind::ILike, esc) => Expr::call("ilike", [v, p].into_iter().chain(esc).collect()),
            (LikeKind::RLike, _) => Expr::call("rlike", vec![v, p]),
        }))
    }

    /// `CAST(expr AS type)`, the type read by the expression parser's type reader.
    fn cast(&mut self, expr: &ast::Expr, type_start: usize, type_end: usize) -> Result<Expr> {
        let text = self.ctx.sql.slice(type_start, type_end);
        let to = parse_data_type(text).map_err(|err| self.rebase(err, type_start))?;
        Ok(self.expr(expr)?.cast(to))
    }

    /// `expr.field` after a parenthesis, call or subscript.
    fn field(&mut self, expr: &ast::Expr, field: &Ident) -> Result<Expr> {
        Ok(match self.expr(expr)? {
            Expr::Column(c) if !c.ends_with('*') => Expr::Column(format!("{c}.{}", quote(&field.value))),
            other => other.get_field(&field.value),
        })
    }

    /// `CASE [subject] WHEN ... THEN ... [ELSE ...] END`.
    fn case(&mut self, operand: Option<&ast::Expr>, conditions: &[(ast::Expr, ast::Expr)], else_result: Option<&ast::Expr>) -> Result<Expr> {
        let subject = operand.map(|o| self.expr(o)).transpose()?;
        let mut branches = Vec::with_capacity(conditions.len());
        for (condition, result) in conditions {
            let c = self.expr(condition)?;
            let c = match &subject {
                Some(s) => s.clone().eq(c),
                None => c,
            };
            branches.push((c, self.expr(result)?));
        }
        let otherwise = else_result.map(|x| self.boxed(x)).transpose()?;
        Ok(Expr::CaseWhen { branches, otherwise })
    }

    /// A literal typed by Spark's own literal rules, from its source text.
    fn literal(&self, text: &str, start: usize) -> Result<Expr> {
        parse_expression(text).map_err(|err| self.rebase(err, start))
    }

    /// A `ParseException` from re-reading a fragment, moved to where the fragment is in the
    /// statement.
    fn rebase(&self, err: SparkError, at: usize) -> SparkError {
        let start = self.ctx.sql.pos(at);
        let Some((head, tail)) = err.message.split_once("(line 1, pos ") else { return err };
        let offset: usize = tail.split(')').next().and_then(|p| p.parse().ok()).unwrap_or(0);
        let pos = Pos { line: start.line, col: start.col.saturating_add(offset) };
        let class = err.error_class.clone().unwrap_or_else(|| "PARSE_SYNTAX_ERROR".into());
        self.ctx.sql.parse_error(pos, &class, head)
    }

    fn column(&mut self, idents: &[Ident]) -> Result<Expr> {
        let parts: Vec<String> = idents.iter().map(|i| i.value.clone()).collect();
        let pos = self.ctx.sql.pos(idents.first().map_or(0, |i| i.start));
        let column = match self.scope.lookup(&parts).map_err(|e| at_position(e, Some(pos)))? {
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

    fn unary(&mut self, op: ast::UnaryOp, operand: &ast::Expr) -> Result<Expr> {
        Ok(match op {
            ast::UnaryOp::Minus => self.expr(operand)?.neg(),
            ast::UnaryOp::Plus => Expr::Unary { op: UnaryOp::Plus, expr: self.boxed(operand)? },
            ast::UnaryOp::Not => self.expr(operand)?.not(),
            ast::UnaryOp::BitNot => Expr::Unary { op: UnaryOp::BitNot, expr: self.boxed(operand)? },
        })
    }

    fn binary(&mut self, op: ast::BinaryOp, left: &ast::Expr, right: &ast::Expr) -> Result<Expr> {
        use ast::BinaryOp as B;
        let (l, r) = (self.expr(left)?, self.expr(right)?);
        Ok(match op {
            B::Plus => l.add(r),
            B::Minus => l.sub(r),
            B::Multiply => l.mul(r),
            B::Divide => l.div(r),
            B::Modulo => l.rem(r),
            B::IntDivide => binary(BinaryOp::IntDivide, l, r),
            B::Concat => Expr::call("concat", vec![l, r]),
            B::Eq => l.eq(r),
            B::NotEq => l.not_eq(r),
            B::Lt => l.lt(r),
            B::LtEq => l.lt_eq(r),
            B::Gt => l.gt(r),
            B::GtEq => l.gt_eq(r),
            B::EqNullSafe => l.eq_null_safe(r),
            B::And => l.and(r),
            B::Or => l.or(r),
            B::BitAnd => binary(BinaryOp::BitAnd, l, r),
            B::BitOr => binary(BinaryOp::BitOr, l, r),
            B::BitXor => binary(BinaryOp::BitXor, l, r),
        })
    }

    fn function(&mut self, name: &Ident, distinct: bool, args: &[ast::Expr], star: bool) -> Result<Expr> {
        let mut function = name.value.clone();
        if distinct {
            function = format!("{function}_distinct");
            if !is_aggregate_name(&function) {
                return Err(self.ctx.sql.unsupported(name.start, &format!("DISTINCT inside {}()", name.value)));
            }
        }
        // `count(*)` counts rows: Spark names it `count(1)`.
        let args = if star { vec![Expr::lit(1)] } else { self.all(args)? };
        self.ctx.note_function(&name.value, self.ctx.sql.pos(name.start));
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
