//! Unresolved expressions: what the PySpark Column API builds and what SQL text parses to.
//!
//! Nothing here knows a schema. [`crate::resolve`] turns an [`Expr`] into a typed, named
//! [`crate::PhysicalExpr`] against one.

use arrow::datatypes::DataType;

use crate::literal::Literal;

/// Binary operators, as Spark's parser and Column API create them.
///
/// Why: each maps to one Catalyst expression with its own coercion rule and SQL text
/// (`(a + b)`, `(a <=> b)`, `(a AND b)`).
///
/// ```
/// use streamlab_expr::{BinaryOp, Expr};
/// let e = Expr::col("a").add(Expr::lit(1));
/// assert!(matches!(e, Expr::Binary { op: BinaryOp::Plus, .. }));
/// assert_eq!(BinaryOp::EqNullSafe.symbol(), "<=>");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Multiply,
    /// `/` (always fractional: double or decimal)
    Divide,
    /// `%`
    Modulo,
    /// `div` (integral division, bigint result)
    IntDivide,
    /// `=` / `==`
    Eq,
    /// `<=>` (null-safe equality)
    EqNullSafe,
    /// `<`
    Lt,
    /// `<=`
    LtEq,
    /// `>`
    Gt,
    /// `>=`
    GtEq,
    /// `AND` (three-valued)
    And,
    /// `OR` (three-valued)
    Or,
    /// `&`
    BitAnd,
    /// `|`
    BitOr,
    /// `^`
    BitXor,
}

impl BinaryOp {
    /// The operator as Spark prints it inside an expression's SQL text.
    ///
    /// ```
    /// use streamlab_expr::BinaryOp;
    /// assert_eq!(BinaryOp::IntDivide.symbol(), "div");
    /// ```
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Plus => "+",
            BinaryOp::Minus => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
            BinaryOp::Modulo => "%",
            BinaryOp::IntDivide => "div",
            BinaryOp::Eq => "=",
            BinaryOp::EqNullSafe => "<=>",
            BinaryOp::Lt => "<",
            BinaryOp::LtEq => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::GtEq => ">=",
            BinaryOp::And => "AND",
            BinaryOp::Or => "OR",
            BinaryOp::BitAnd => "&",
            BinaryOp::BitOr => "|",
            BinaryOp::BitXor => "^",
        }
    }

    /// Whether this is a comparison (`=`, `<=>`, `<`, `<=`, `>`, `>=`).
    ///
    /// ```
    /// use streamlab_expr::BinaryOp;
    /// assert!(BinaryOp::Lt.is_comparison() && !BinaryOp::Plus.is_comparison());
    /// ```
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq | BinaryOp::EqNullSafe | BinaryOp::Lt | BinaryOp::LtEq | BinaryOp::Gt | BinaryOp::GtEq
        )
    }

    /// Whether this is arithmetic (`+ - * / % div`).
    ///
    /// ```
    /// use streamlab_expr::BinaryOp;
    /// assert!(BinaryOp::Modulo.is_arithmetic());
    /// ```
    pub fn is_arithmetic(self) -> bool {
        matches!(
            self,
            BinaryOp::Plus | BinaryOp::Minus | BinaryOp::Multiply | BinaryOp::Divide | BinaryOp::Modulo | BinaryOp::IntDivide
        )
    }
}

/// Unary operators.
///
/// Why: `NOT x`, `-x`, `x IS NULL` each have a fixed Spark SQL text and typing rule.
///
/// ```
/// use streamlab_expr::{Expr, UnaryOp};
/// assert!(matches!(Expr::col("b").not(), Expr::Unary { op: UnaryOp::Not, .. }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `NOT x` / `!x` / `~col` in PySpark
    Not,
    /// `-x`
    Neg,
    /// `+x`
    Plus,
    /// `~x` in SQL (bitwise not)
    BitNot,
    /// `x IS NULL`
    IsNull,
    /// `x IS NOT NULL`
    IsNotNull,
}

/// An unresolved column expression, as built by the PySpark Column API or parsed from SQL text.
///
/// Why: the engine and the notebook interpreter build queries from these; resolution against a
/// schema ([`crate::resolve`]) gives types, names and an evaluator.
///
/// ```
/// use streamlab_expr::{Expr, Literal};
/// let e = Expr::col("Creation_Time").div(Expr::lit(1e9)).alias("secs");
/// assert_eq!(e.column_names(), vec!["Creation_Time".to_string()]);
/// assert!(matches!(Expr::lit(1), Expr::Literal(Literal::Int(1))));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A column reference as given to `col()`: `"a"`, nested `"a.b"`, back-quoted
    /// `` "`a.b`" ``, or a star `"*"` / `"a.*"` (see [`crate::expand_star`]).
    Column(String),
    /// A constant.
    Literal(Literal),
    /// `expr AS name` / `Column.alias(name)`.
    Alias(Box<Expr>, String),
    /// `CAST(expr AS type)` / `Column.cast(type)`: a user-specified cast.
    Cast(Box<Expr>, DataType),
    /// A binary operator.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
    /// A unary operator.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        expr: Box<Expr>,
    },
    /// A function call by name (case-insensitive): `upper(s)`, `to_timestamp(x, 'yyyy')`.
    Function {
        /// The function name as written.
        name: String,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `CASE WHEN c1 THEN v1 … [ELSE e] END` / `when(c, v).otherwise(e)`.
    CaseWhen {
        /// `(condition, value)` pairs, in order.
        branches: Vec<(Expr, Expr)>,
        /// The `ELSE` value.
        otherwise: Option<Box<Expr>>,
    },
    /// `x IN (a, b, …)` / `Column.isin(…)`.
    In {
        /// The tested value.
        expr: Box<Expr>,
        /// The candidates.
        list: Vec<Expr>,
    },
    /// `x LIKE pattern` / `Column.like(pattern)` (escape character `\`).
    Like {
        /// The string tested.
        expr: Box<Expr>,
        /// The pattern (`%` any run, `_` one character).
        pattern: Box<Expr>,
    },
    /// A struct field of a computed value: `Column.getField("a")`, SQL `(expr).a`.
    Field(Box<Expr>, String),
    /// An array element or map value: `Column.getItem(k)`, `Column[k]`, SQL `expr[k]`.
    Item(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// A column by name (`col("a")`, `col("a.b")`, `col("*")`).
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// assert_eq!(Expr::col("x"), Expr::Column("x".into()));
    /// ```
    pub fn col(name: &str) -> Expr {
        Expr::Column(name.to_string())
    }

    /// A literal (`lit(1)`, `lit("a")`, `lit(1.5)`, `lit(None)` via [`Literal::Null`]).
    ///
    /// ```
    /// use streamlab_expr::{Expr, Literal};
    /// assert_eq!(Expr::lit("a"), Expr::Literal(Literal::String("a".into())));
    /// ```
    pub fn lit(l: impl Into<Literal>) -> Expr {
        Expr::Literal(l.into())
    }

    /// A function call (`call("upper", vec![col("s")])`).
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let e = Expr::call("upper", vec![Expr::col("s")]);
    /// assert_eq!(e.function_names(), vec!["upper".to_string()]);
    /// ```
    pub fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Function { name: name.to_string(), args }
    }

    /// `self AS name`.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// assert!(matches!(Expr::col("a").alias("b"), Expr::Alias(_, n) if n == "b"));
    /// ```
    pub fn alias(self, name: &str) -> Expr {
        Expr::Alias(Box::new(self), name.to_string())
    }

    /// `CAST(self AS to)` (`Column.cast`, `Column.astype`).
    ///
    /// ```
    /// use arrow::datatypes::DataType;
    /// use streamlab_expr::Expr;
    /// assert!(matches!(Expr::col("a").cast(DataType::Int64), Expr::Cast(_, DataType::Int64)));
    /// ```
    pub fn cast(self, to: DataType) -> Expr {
        Expr::Cast(Box::new(self), to)
    }

    fn binary(self, op: BinaryOp, right: Expr) -> Expr {
        Expr::Binary { op, left: Box::new(self), right: Box::new(right) }
    }

    fn unary(self, op: UnaryOp) -> Expr {
        Expr::Unary { op, expr: Box::new(self) }
    }

    /// `self + right`.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").add(Expr::lit(1));
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, right: Expr) -> Expr {
        self.binary(BinaryOp::Plus, right)
    }

    /// `self - right`.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").sub(Expr::lit(1));
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn sub(self, right: Expr) -> Expr {
        self.binary(BinaryOp::Minus, right)
    }

    /// `self * right`.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").mul(Expr::lit(2));
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn mul(self, right: Expr) -> Expr {
        self.binary(BinaryOp::Multiply, right)
    }

    /// `self / right` (a double, or a decimal, never integral).
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").div(Expr::lit(1e9));
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn div(self, right: Expr) -> Expr {
        self.binary(BinaryOp::Divide, right)
    }

    /// `self % right`.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").rem(Expr::lit(2));
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn rem(self, right: Expr) -> Expr {
        self.binary(BinaryOp::Modulo, right)
    }

    /// `self = right` (`==` on a Column).
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").eq(Expr::lit(1));
    /// ```
    pub fn eq(self, right: Expr) -> Expr {
        self.binary(BinaryOp::Eq, right)
    }

    /// `self != right`, which Spark builds as `NOT (self = right)`.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// assert_eq!(Expr::col("a").not_eq(Expr::lit(1)), Expr::col("a").eq(Expr::lit(1)).not());
    /// ```
    pub fn not_eq(self, right: Expr) -> Expr {
        self.eq(right).not()
    }

    /// `self <=> right` (`eqNullSafe`).
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").eq_null_safe(Expr::lit(1));
    /// ```
    pub fn eq_null_safe(self, right: Expr) -> Expr {
        self.binary(BinaryOp::EqNullSafe, right)
    }

    /// `self < right`.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").lt(Expr::lit(1));
    /// ```
    pub fn lt(self, right: Expr) -> Expr {
        self.binary(BinaryOp::Lt, right)
    }

    /// `self <= right`.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").lt_eq(Expr::lit(1));
    /// ```
    pub fn lt_eq(self, right: Expr) -> Expr {
        self.binary(BinaryOp::LtEq, right)
    }

    /// `self > right`.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").gt(Expr::lit(1));
    /// ```
    pub fn gt(self, right: Expr) -> Expr {
        self.binary(BinaryOp::Gt, right)
    }

    /// `self >= right`.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").gt_eq(Expr::lit(1));
    /// ```
    pub fn gt_eq(self, right: Expr) -> Expr {
        self.binary(BinaryOp::GtEq, right)
    }

    /// `self AND right` (`&`).
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").and(Expr::col("b"));
    /// ```
    pub fn and(self, right: Expr) -> Expr {
        self.binary(BinaryOp::And, right)
    }

    /// `self OR right` (`|`).
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").or(Expr::col("b"));
    /// ```
    pub fn or(self, right: Expr) -> Expr {
        self.binary(BinaryOp::Or, right)
    }

    /// `NOT self` (`~col`).
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("b").not();
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Expr {
        self.unary(UnaryOp::Not)
    }

    /// `-self`.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").neg();
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn neg(self) -> Expr {
        self.unary(UnaryOp::Neg)
    }

    /// `self IS NULL` (`isNull()`).
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").is_null();
    /// ```
    pub fn is_null(self) -> Expr {
        self.unary(UnaryOp::IsNull)
    }

    /// `self IS NOT NULL` (`isNotNull()`).
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").is_not_null();
    /// ```
    pub fn is_not_null(self) -> Expr {
        self.unary(UnaryOp::IsNotNull)
    }

    /// `self IN (list…)` (`isin`).
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("a").isin(vec![Expr::lit(1), Expr::lit(2)]);
    /// ```
    pub fn isin(self, list: Vec<Expr>) -> Expr {
        Expr::In { expr: Box::new(self), list }
    }

    /// `between(low, high)`, which Spark 3.5 builds as `(self >= low) AND (self <= high)`.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let e = Expr::col("a").between(Expr::lit(0), Expr::lit(3));
    /// assert_eq!(e, Expr::col("a").gt_eq(Expr::lit(0)).and(Expr::col("a").lt_eq(Expr::lit(3))));
    /// ```
    pub fn between(self, low: Expr, high: Expr) -> Expr {
        self.clone().gt_eq(low).and(self.lt_eq(high))
    }

    /// `self LIKE pattern`.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::col("s").like(Expr::lit("a%"));
    /// ```
    pub fn like(self, pattern: Expr) -> Expr {
        Expr::Like { expr: Box::new(self), pattern: Box::new(pattern) }
    }

    /// `when(cond, value)`: a one-branch `CASE WHEN`; chain more with [`Expr::when`] on the result
    /// and finish with [`Expr::otherwise`].
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let e = Expr::case_when(Expr::col("i").gt(Expr::lit(0)), Expr::lit("p")).otherwise(Expr::lit("n"));
    /// assert!(matches!(e, Expr::CaseWhen { otherwise: Some(_), .. }));
    /// ```
    pub fn case_when(cond: Expr, value: Expr) -> Expr {
        Expr::CaseWhen { branches: vec![(cond, value)], otherwise: None }
    }

    /// Adds a branch to a `CASE WHEN` (`F.when(...).when(...)`); on anything else it starts a new
    /// one, like PySpark's error-free path.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let e = Expr::case_when(Expr::col("b"), Expr::lit(1)).when(Expr::col("c"), Expr::lit(2));
    /// assert!(matches!(e, Expr::CaseWhen { ref branches, .. } if branches.len() == 2));
    /// ```
    pub fn when(self, cond: Expr, value: Expr) -> Expr {
        match self {
            Expr::CaseWhen { mut branches, otherwise: None } => {
                branches.push((cond, value));
                Expr::CaseWhen { branches, otherwise: None }
            }
            _ => Expr::case_when(cond, value),
        }
    }

    /// Sets the `ELSE` of a `CASE WHEN` (`otherwise`).
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::case_when(Expr::col("b"), Expr::lit(1)).otherwise(Expr::lit(0));
    /// ```
    pub fn otherwise(self, value: Expr) -> Expr {
        match self {
            Expr::CaseWhen { branches, .. } => Expr::CaseWhen { branches, otherwise: Some(Box::new(value)) },
            other => other,
        }
    }

    /// `getField(name)`: a field of a struct value.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::call("from_json", vec![Expr::col("v"), Expr::lit("a INT")]).get_field("a");
    /// ```
    pub fn get_field(self, name: &str) -> Expr {
        Expr::Field(Box::new(self), name.to_string())
    }

    /// `getItem(key)`: an array element (0-based) or a map value.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// let _ = Expr::call("split", vec![Expr::col("s"), Expr::lit(",")]).get_item(Expr::lit(0));
    /// ```
    pub fn get_item(self, key: Expr) -> Expr {
        Expr::Item(Box::new(self), Box::new(key))
    }

    /// The direct sub-expressions, in order.
    ///
    /// ```
    /// use streamlab_expr::Expr;
    /// assert_eq!(Expr::col("a").add(Expr::lit(1)).children().len(), 2);
    /// ```
    pub fn children(&self) -> Vec<&Expr> {
        match self {
            Expr::Column(_) | Expr::Literal(_) => vec![],
            Expr::Alias(e, _) | Expr::Cast(e, _) | Expr::Field(e, _) => vec![e.as_ref()],
            Expr::Unary { expr, .. } => vec![expr.as_ref()],
            Expr::Binary { left, right, .. } => vec![left.as_ref(), right.as_ref()],
            Expr::Function { args, .. } => args.iter().collect(),
            Expr::CaseWhen { branches, otherwise } => {
                let mut v: Vec<&Expr> = Vec::new();
                for (c, x) in branches {
                    v.push(c);
                    v.push(x);
                }
                if let Some(o) = otherwise {
                    v.push(o);
                }
                v
            }
            Expr::In { expr, list } => {
                let mut v = vec![expr.as_ref()];
                v.extend(list.iter());
                v
            }
            Expr::Like { expr, pattern } => vec![expr.as_ref(), pattern.as_ref()],
            Expr::Item(a, b) => vec![a.as_ref(), b.as_ref()],
        }
    }

    fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        for c in self.children() {
            c.walk(f);
        }
    }

    /// Every function called anywhere in the expression, lowercase, in call order, without
    /// repeats. The engine uses it to reject functions a stream cannot run
    /// (`monotonically_increasing_id`, window functions).
    ///
    /// ```
    /// use streamlab_expr::parse_expression;
    /// let e = parse_expression("upper(concat(s, Upper(t)))").unwrap();
    /// assert_eq!(e.function_names(), vec!["upper".to_string(), "concat".to_string()]);
    /// ```
    pub fn function_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Function { name, .. } = e {
                let n = name.to_ascii_lowercase();
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        });
        out
    }

    /// Every column referenced, as written (`"a.b"` stays one name), in order, without repeats.
    ///
    /// ```
    /// use streamlab_expr::parse_expression;
    /// let e = parse_expression("a + b.c + a").unwrap();
    /// assert_eq!(e.column_names(), vec!["a".to_string(), "b.c".to_string()]);
    /// ```
    pub fn column_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Column(name) = e {
                if !out.contains(name) {
                    out.push(name.clone());
                }
            }
        });
        out
    }
}
