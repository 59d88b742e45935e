//! The syntax tree of the Spark SQL subset `spark.sql` runs: one statement, the query forms the
//! DataFrame API can build, and expressions. Every node that an error may point at keeps the
//! byte offset where it starts in the text (literals keep their whole span, since they are
//! typed by re-reading their source with Spark's literal rules).
//!
//! Constructs StreamLab parses but does not run are [`ExprKind::Unsupported`] nodes (so a
//! syntax error later in the statement still wins, as it would in Spark) or parser errors.

/// A name as written: bare (case kept) or back-quoted (quotes removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ident {
    pub(crate) value: String,
    pub(crate) start: usize,
}

/// A possibly qualified object name (`t`, `db.t`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    pub(crate) parts: Vec<Ident>,
    pub(crate) start: usize,
}

impl Name {
    /// The parts joined by dots, for messages.
    pub(crate) fn dotted(&self) -> String {
        self.parts.iter().map(|p| p.value.as_str()).collect::<Vec<_>>().join(".")
    }
}

/// One statement.
#[derive(Debug)]
pub(crate) enum Statement {
    Query(Query),
    /// `CREATE DATABASE|SCHEMA [IF NOT EXISTS] name`.
    CreateDatabase { name: Name, if_not_exists: bool },
    /// `CREATE [OR REPLACE] [GLOBAL] TEMP[ORARY] VIEW [IF NOT EXISTS] name AS query`.
    CreateTempView { name: Name, or_replace: bool, if_not_exists: bool, query: Query },
    /// `DROP DATABASE|SCHEMA|VIEW|TABLE [IF EXISTS] name [CASCADE|RESTRICT]`.
    Drop { kind: DropKind, name: Name, if_exists: bool, cascade: bool },
    ShowDatabases,
    /// `SHOW TABLES [IN|FROM db]`.
    ShowTables { database: Option<Name> },
    /// `DESCRIBE|DESC [TABLE] name`.
    Describe { table: Name },
    /// `USE [DATABASE|SCHEMA|NAMESPACE] name`.
    Use { database: Name },
    /// `UPDATE`: Spark parses it and refuses to run it on its session catalog.
    Update,
    /// `MERGE INTO`: likewise.
    Merge,
    /// A Spark statement StreamLab does not run, named by its first words (`INSERT INTO`).
    NotRun(String),
}

/// What a `DROP` removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DropKind {
    Database,
    View,
    Table,
}

/// A query: CTEs, a body, ORDER BY and LIMIT.
#[derive(Debug)]
pub(crate) struct Query {
    pub(crate) start: usize,
    pub(crate) ctes: Vec<Cte>,
    pub(crate) body: QueryBody,
    pub(crate) order_by: Vec<OrderItem>,
    pub(crate) limit: Option<Limit>,
}

/// `name AS (query)` in a WITH clause.
#[derive(Debug)]
pub(crate) struct Cte {
    pub(crate) name: Ident,
    pub(crate) query: Query,
}

/// The part of a query between WITH and ORDER BY.
#[derive(Debug)]
pub(crate) enum QueryBody {
    Select(Box<Select>),
    /// `(query)`.
    Nested(Box<Query>),
    /// `UNION`, `EXCEPT ALL`, ...: parsed, not run (`what` names it in the refusal).
    SetOperation { what: String },
}

/// `LIMIT n` or `LIMIT ALL`.
#[derive(Debug)]
pub(crate) enum Limit {
    All,
    Count(Expr),
}

/// One `SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ...` block.
#[derive(Debug)]
pub(crate) struct Select {
    pub(crate) distinct: bool,
    pub(crate) items: Vec<SelectItem>,
    pub(crate) from: Vec<FromItem>,
    pub(crate) selection: Option<Expr>,
    /// `None` without a GROUP BY clause.
    pub(crate) group_by: Option<Vec<Expr>>,
    pub(crate) having: Option<Expr>,
}

/// One entry of the select list.
#[derive(Debug)]
pub(crate) enum SelectItem {
    /// `*` (no qualifier) or `t.*`, `db.t.*`, `s.*`.
    Star { qualifier: Vec<Ident> },
    Expr { expr: Expr, alias: Option<Ident> },
}

/// One ORDER BY key.
#[derive(Debug)]
pub(crate) struct OrderItem {
    pub(crate) expr: Expr,
    pub(crate) ascending: bool,
    pub(crate) nulls_first: Option<bool>,
}

/// A comma-separated FROM entry: a relation and the joins after it.
#[derive(Debug)]
pub(crate) struct FromItem {
    pub(crate) relation: Relation,
    pub(crate) joins: Vec<Join>,
}

/// A table or a subquery, with its alias.
#[derive(Debug)]
pub(crate) enum Relation {
    Table { name: Name, alias: Option<Ident> },
    Derived { query: Box<Query>, alias: Option<Ident> },
}

/// `<kind> JOIN relation [ON ... | USING (...)]`.
#[derive(Debug)]
pub(crate) struct Join {
    /// The DataFrame API's join type: `inner`, `left`, `right`, `full`, `cross`, `left_semi`,
    /// `left_anti`.
    pub(crate) how: &'static str,
    pub(crate) relation: Relation,
    pub(crate) constraint: JoinConstraint,
}

/// How a join matches rows.
#[derive(Debug)]
pub(crate) enum JoinConstraint {
    On(Expr),
    Using(Vec<Ident>),
    None,
}

/// An expression, where it starts and ends in the text, and the height of its tree (the parser
/// bounds it, so walking the tree cannot exhaust the stack).
#[derive(Debug)]
pub(crate) struct Expr {
    pub(crate) kind: ExprKind,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) height: usize,
}

/// Operators with two operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinaryOp {
    Or,
    And,
    Eq,
    EqNullSafe,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    BitOr,
    BitXor,
    BitAnd,
    Plus,
    Minus,
    Concat,
    Multiply,
    Divide,
    Modulo,
    IntDivide,
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnaryOp {
    Not,
    Minus,
    Plus,
    BitNot,
}

/// `LIKE`, `ILIKE`, `RLIKE`/`REGEXP`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LikeKind {
    Like,
    ILike,
    RLike,
}

/// The kinds of expression.
#[derive(Debug)]
pub(crate) enum ExprKind {
    /// `a`, `t.a`, `db.t.a`, `s.field`: resolved through the query's scope.
    Column(Vec<Ident>),
    /// String(s), a boolean or NULL: the span's source is typed by Spark's rules.
    Literal,
    /// A number (its digits start at `digits`), with the sign folded in as Spark's grammar
    /// does for `-2`.
    Number { negative: bool, digits: usize },
    /// `DATE '…'`, `TIMESTAMP '…'`, `X'…'`: the span's source, typed likewise.
    TypedLiteral,
    Unary { op: UnaryOp, expr: Box<Expr> },
    Binary { op: BinaryOp, left: Box<Expr>, right: Box<Expr> },
    IsNull { expr: Box<Expr>, negated: bool },
    /// `IS [NOT] TRUE|FALSE|UNKNOWN` (`value` `None` for UNKNOWN).
    IsBool { expr: Box<Expr>, value: Option<bool>, negated: bool },
    IsDistinctFrom { left: Box<Expr>, right: Box<Expr>, negated: bool },
    InList { expr: Box<Expr>, list: Vec<Expr>, negated: bool },
    Between { expr: Box<Expr>, low: Box<Expr>, high: Box<Expr>, negated: bool },
    Like { kind: LikeKind, expr: Box<Expr>, pattern: Box<Expr>, escape: Option<Box<Expr>>, negated: bool },
    Case { operand: Option<Box<Expr>>, branches: Vec<(Expr, Expr)>, otherwise: Option<Box<Expr>> },
    /// `CAST(expr AS type)`; the type is the source between the offsets.
    Cast { expr: Box<Expr>, type_start: usize, type_end: usize },
    /// `name(args)`; `count(*)` has `star`.
    Function { name: Ident, distinct: bool, args: Vec<Expr>, star: bool },
    /// `*` or `t.*` as an argument.
    Star { qualifier: Vec<Ident> },
    /// `expr.field` after a call, subscript or parenthesis.
    Field { expr: Box<Expr>, field: Ident },
    /// `expr[index]`.
    Subscript { expr: Box<Expr>, index: Box<Expr> },
    /// `(a, b)`: a struct.
    Tuple(Vec<Expr>),
    /// `expr AS name` inside `struct(...)`.
    Named { expr: Box<Expr>, name: Ident },
    /// A construct StreamLab does not run (`what` names it in the refusal).
    Unsupported(String),
}

impl ExprKind {
    /// The direct subexpressions.
    pub(crate) fn children(&self) -> Vec<&Expr> {
        use ExprKind as K;
        match self {
            K::Column(_) | K::Literal | K::Number { .. } | K::TypedLiteral | K::Star { .. } | K::Unsupported(_) => Vec::new(),
            K::Unary { expr, .. } | K::IsNull { expr, .. } | K::IsBool { expr, .. } | K::Cast { expr, .. } => vec![expr],
            K::Field { expr, .. } | K::Named { expr, .. } => vec![expr],
            K::Binary { left, right, .. } | K::IsDistinctFrom { left, right, .. } => vec![left, right],
            K::Subscript { expr, index } => vec![expr, index],
            K::InList { expr, list, .. } => std::iter::once(&**expr).chain(list).collect(),
            K::Between { expr, low, high, .. } => vec![expr, low, high],
            K::Like { expr, pattern, escape, .. } => [Some(&**expr), Some(&**pattern), escape.as_deref()].into_iter().flatten().collect(),
            K::Case { operand, branches, otherwise } => operand
                .as_deref()
                .into_iter()
                .chain(branches.iter().flat_map(|(c, v)| [c, v]))
                .chain(otherwise.as_deref())
                .collect(),
            K::Function { args, .. } | K::Tuple(args) => args.iter().collect(),
        }
    }
}
