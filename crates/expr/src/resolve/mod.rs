//! Resolution: an [`Expr`] against a schema becomes a typed, named [`PhysicalExpr`].

pub(crate) mod coercion;
pub(crate) mod columns;

use arrow::datatypes::Schema;
use streamlab_types::{Result, SparkError};

use crate::expr::{BinaryOp, Expr, UnaryOp};
use crate::functions::{self, Call};
use crate::ops;
use crate::parser::parse_attribute_name;
use crate::physical::PhysicalExpr;

/// How deep an expression may nest: enough for any lesson, small enough for a 1 MiB stack.
const MAX_DEPTH: usize = 200;

/// Functions Spark also accepts without parentheses, when no column has the name.
const LITERAL_FUNCTIONS: [&str; 2] = ["current_date", "current_timestamp"];

/// Resolves `expr` against `schema`: looks columns up (case-insensitively), applies Spark's
/// implicit casts, checks argument types, and names the result as Spark would.
///
/// Why: the engine's `select`/`filter`/`withColumn` run on the result; errors are Spark's
/// `AnalysisException`s (`UNRESOLVED_COLUMN`, `UNRESOLVED_ROUTINE`, `DATATYPE_MISMATCH`).
///
/// ```
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_expr::{parse_expression, resolve, Expr};
/// let schema = Schema::new(vec![
///     Field::new("a", DataType::Int32, true),
///     Field::new("b", DataType::Int64, true),
///     Field::new("t", DataType::Utf8, true),
/// ]);
/// let e = resolve(&parse_expression("a + b").unwrap(), &schema).unwrap();
/// assert_eq!((e.name(), e.data_type()), ("(a + b)", &DataType::Int64));
/// let err = resolve(&Expr::col("nope"), &schema).unwrap_err();
/// assert_eq!(err.to_string(), "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `nope` cannot be resolved. Did you mean one of the following? [`a`, `b`, `t`].");
/// ```
pub fn resolve(expr: &Expr, schema: &Schema) -> Result<PhysicalExpr> {
    Resolver { schema, depth: 0 }.resolve(expr)
}

struct Resolver<'a> {
    schema: &'a Schema,
    depth: usize,
}

impl<'a> Resolver<'a> {
    fn resolve(&mut self, expr: &Expr) -> Result<PhysicalExpr> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SparkError::analysis(format!("The expression nests more than {} levels deep.", MAX_DEPTH)));
        }
        let r = self.resolve_inner(expr);
        self.depth -= 1;
        r
    }

    fn resolve_all(&mut self, exprs: &[Expr]) -> Result<Vec<PhysicalExpr>> {
        let mut out = Vec::new();
        for e in exprs {
            match e {
                // `f(*)` / `f(s.*)`: the star expands into the arguments
                Expr::Column(c) if c == "*" || c.ends_with(".*") => {
                    for x in crate::star::expand_star(std::slice::from_ref(e), self.schema) {
                        if matches!(&x, Expr::Column(n) if n == c) {
                            return Err(star_error(c, self.schema));
                        }
                        out.push(self.resolve(&x)?);
                    }
                }
                other => out.push(self.resolve(other)?),
            }
        }
        Ok(out)
    }

    /// Dispatches on the variant. Each arm lives in its own function so that this recursive
    /// frame stays small (deep expressions would otherwise exhaust the stack in debug builds).
    fn resolve_inner(&mut self, expr: &Expr) -> Result<PhysicalExpr> {
        match expr {
            Expr::Column(name) => self.column(name),
            Expr::Literal(l) => Ok(PhysicalExpr::from_literal(l.clone())),
            Expr::Alias(e, name) => self.alias(e, name),
            Expr::Cast(e, to) => self.cast(e, to),
            Expr::Binary { op, left, right } => self.binary(*op, left, right),
            Expr::Unary { op, expr } => self.unary(*op, expr),
            Expr::Function { name, args } => self.function(name, args),
            Expr::CaseWhen { branches, otherwise } => self.case_when(branches, otherwise.as_deref()),
            Expr::In { expr, list } => self.in_list(expr, list),
            Expr::Like { expr, pattern } => self.like(expr, pattern),
            Expr::Field(e, name) => self.field(e, name),
            Expr::Item(e, k) => self.item(e, k),
        }
    }

    #[inline(never)]
    fn alias(&mut self, e: &Expr, name: &str) -> Result<PhysicalExpr> {
        let r = self.resolve(e)?;
        let sql = format!("{} AS {}", r.sql, name);
        let mut out = r.with_name(name);
        out.sql = sql;
        Ok(out)
    }

    #[inline(never)]
    fn cast(&mut self, e: &Expr, to: &arrow::datatypes::DataType) -> Result<PhysicalExpr> {
        let r = self.resolve(e)?;
        coercion::cast_user(r, to)
    }

    #[inline(never)]
    fn binary(&mut self, op: BinaryOp, left: &Expr, right: &Expr) -> Result<PhysicalExpr> {
        let l = self.resolve(left)?;
        let r = self.resolve(right)?;
        match op {
            BinaryOp::And | BinaryOp::Or => ops::logic::resolve_and_or(op, l, r),
            o if o.is_comparison() => ops::compare::resolve_comparison(o, l, r),
            BinaryOp::BitAnd | BinaryOp::BitOr | BinaryOp::BitXor => ops::arith::resolve_bitwise(op, l, r),
            o => ops::arith::resolve_arith(o, l, r),
        }
    }

    #[inline(never)]
    fn unary(&mut self, op: UnaryOp, expr: &Expr) -> Result<PhysicalExpr> {
        let e = self.resolve(expr)?;
        match op {
            UnaryOp::Not => ops::logic::resolve_not(e),
            UnaryOp::Neg => ops::arith::resolve_sign(true, e),
            UnaryOp::Plus => ops::arith::resolve_sign(false, e),
            UnaryOp::BitNot => ops::arith::resolve_bit_not(e),
            UnaryOp::IsNull => Ok(ops::logic::resolve_is_null(false, e)),
            UnaryOp::IsNotNull => Ok(ops::logic::resolve_is_null(true, e)),
        }
    }

    #[inline(never)]
    fn case_when(&mut self, branches: &[(Expr, Expr)], otherwise: Option<&Expr>) -> Result<PhysicalExpr> {
        let mut rb = Vec::new();
        for (c, v) in branches {
            rb.push((self.resolve(c)?, self.resolve(v)?));
        }
        let o = match otherwise {
            Some(o) => Some(self.resolve(o)?),
            None => None,
        };
        functions::conditional::resolve_case(rb, o)
    }

    #[inline(never)]
    fn in_list(&mut self, expr: &Expr, list: &[Expr]) -> Result<PhysicalExpr> {
        let v = self.resolve(expr)?;
        let l = self.resolve_all(list)?;
        ops::compare::resolve_in(v, l)
    }

    #[inline(never)]
    fn like(&mut self, expr: &Expr, pattern: &Expr) -> Result<PhysicalExpr> {
        let args = vec![self.resolve(expr)?, self.resolve(pattern)?];
        functions::string::resolve_like(Call { name: "like".into(), args })
    }

    #[inline(never)]
    fn field(&mut self, e: &Expr, name: &str) -> Result<PhysicalExpr> {
        let base = self.resolve(e)?;
        columns::extract(base, name)
    }

    #[inline(never)]
    fn item(&mut self, e: &Expr, k: &Expr) -> Result<PhysicalExpr> {
        let base = self.resolve(e)?;
        let key = self.resolve(k)?;
        functions::collection::get_item(base, key)
    }

    #[inline(never)]
    fn column(&mut self, name: &str) -> Result<PhysicalExpr> {
        if name == "*" || name.ends_with(".*") {
            return Err(star_error(name, self.schema));
        }
        if let Some(e) = columns::resolve_column(name, self.schema)? {
            return Ok(e);
        }
        let parts = parse_attribute_name(name)?;
        if let [single] = parts.as_slice() {
            let lower = single.to_ascii_lowercase();
            if LITERAL_FUNCTIONS.contains(&lower.as_str()) {
                return self.function(&lower, &[]);
            }
        }
        Err(columns::unresolved_column(&parts, self.schema))
    }

    #[inline(never)]
    fn function(&mut self, name: &str, args: &[Expr]) -> Result<PhysicalExpr> {
        let lower = name.to_ascii_lowercase();
        // an aggregate outside an aggregation (`withColumn("s", sum(x))`)
        if crate::aggregate::is_aggregate_name(&lower) {
            return Err(crate::aggregate::missing_group_by());
        }
        let def = functions::lookup(&lower).ok_or_else(|| {
            SparkError::analysis(format!(
                "Cannot resolve function {} on search path [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`].",
                crate::types::quote(name)
            ))
            .with_class("UNRESOLVED_ROUTINE")
        })?;
        if lower == "struct" {
            return self.struct_call(args);
        }
        let args = self.resolve_all(args)?;
        (def.resolve)(Call { name: lower, args })
    }

    /// `struct(…)` names its fields from the arguments as written: a column's last name part,
    /// an alias, a field name, else `colN`.
    fn struct_call(&mut self, args: &[Expr]) -> Result<PhysicalExpr> {
        let args = crate::star::expand_star(args, self.schema);
        let mut names = Vec::new();
        let mut resolved = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let name = match a {
                Expr::Column(c) => parse_attribute_name(c)?.last().cloned().unwrap_or_default(),
                Expr::Alias(_, n) => n.clone(),
                Expr::Field(_, n) => n.clone(),
                _ => format!("col{}", i + 1),
            };
            names.push(name);
            resolved.push(self.resolve(a)?);
        }
        functions::collection::make_struct(names, resolved)
    }
}

fn star_error(name: &str, schema: &Schema) -> SparkError {
    let cols: Vec<String> = schema.fields().iter().map(|f| crate::types::quote(f.name())).collect();
    if name == "*" {
        return SparkError::analysis("Invalid usage of '*' in expression.".to_string())
            .with_class("INVALID_USAGE_OF_STAR_OR_REGEX");
    }
    let target = name.trim_end_matches(".*");
    SparkError::analysis(format!(
        "Cannot resolve {}.* given input columns {}.",
        crate::types::quote(target),
        cols.join(", ")
    ))
    .with_class("CANNOT_RESOLVE_STAR_EXPAND")
}
