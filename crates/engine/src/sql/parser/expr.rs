//! Expressions with Spark's precedence (`SqlBaseParser.g4`, lowest first): `OR`, `AND`, `NOT`,
//! the predicates (`IS`, `IN`, `BETWEEN`, `LIKE`), comparisons, `|`, `^`, `&`, `+ - ||`,
//! `* / % DIV`, unary `- + ~`, then field access and subscripts, then primaries (literals,
//! names, calls, `CASE`, `CAST`, parentheses).

use streamlab_types::Result;

use super::super::ast::{BinaryOp, Expr, ExprKind, Ident, LikeKind, UnaryOp};
use super::super::lexer::Kind;
use super::{Parser, MAX_HEIGHT};

/// The precedence of the comparisons, the lowest of the value operators.
const COMPARISON: u8 = 1;

/// Words that may follow `INTERVAL` in a literal.
const INTERVAL_WORDS: [&str; 19] = [
    "YEAR", "YEARS", "MONTH", "MONTHS", "WEEK", "WEEKS", "DAY", "DAYS", "HOUR", "HOURS", "MINUTE", "MINUTES", "SECOND",
    "SECONDS", "MILLISECOND", "MILLISECONDS", "MICROSECOND", "MICROSECONDS", "TO",
];

/// What a call's parentheses hold.
struct CallArguments {
    distinct: bool,
    args: Vec<Expr>,
    /// `count(*)`.
    star: bool,
    /// Why StreamLab does not run this call (`{}` stands for the function name).
    refused: Option<String>,
}

impl Parser<'_, '_> {
    /// An expression node from `start` to the last token read, its height checked.
    fn node(&self, kind: ExprKind, start: usize) -> Result<Expr> {
        let height = 1 + kind.children().iter().map(|c| c.height).max().unwrap_or(0);
        if height > MAX_HEIGHT {
            return Err(self.too_deep());
        }
        Ok(Expr { kind, start, end: self.last_end(), height })
    }

    /// A full expression (`booleanExpression`).
    pub(super) fn expr(&mut self) -> Result<Expr> {
        self.nested(Self::or)
    }

    fn or(&mut self) -> Result<Expr> {
        self.chain("OR", BinaryOp::Or, Self::and)
    }

    fn and(&mut self) -> Result<Expr> {
        self.chain("AND", BinaryOp::And, Self::not)
    }

    /// `operand (word operand)*`, left-associative.
    fn chain(&mut self, word: &str, op: BinaryOp, operand: fn(&mut Self) -> Result<Expr>) -> Result<Expr> {
        let mut left = operand(self)?;
        while self.eat_word(word) {
            let right = operand(self)?;
            left = self.binary(op, left, right)?;
        }
        Ok(left)
    }

    /// The node `left op right`, starting where `left` does.
    fn binary(&mut self, op: BinaryOp, left: Expr, right: Expr) -> Result<Expr> {
        let start = left.start;
        self.node(ExprKind::Binary { op, left: Box::new(left), right: Box::new(right) }, start)
    }

    fn not(&mut self) -> Result<Expr> {
        if !(self.is_word("NOT") || self.is_op("!")) {
            return self.predicated();
        }
        let start = self.bump().start;
        let operand = self.nested(Self::not)?;
        self.node(ExprKind::Unary { op: UnaryOp::Not, expr: Box::new(operand) }, start)
    }

    /// A value and the one predicate that may follow it.
    fn predicated(&mut self) -> Result<Expr> {
        let value = self.value(COMPARISON)?;
        let start = value.start;
        let expr = Box::new(value);
        if self.eat_word("IS") {
            let negated = self.eat_word("NOT");
            let kind = if self.eat_word("NULL") {
                ExprKind::IsNull { expr, negated }
            } else if self.eat_word("TRUE") {
                ExprKind::IsBool { expr, value: Some(true), negated }
            } else if self.eat_word("FALSE") {
                ExprKind::IsBool { expr, value: Some(false), negated }
            } else if self.eat_word("UNKNOWN") {
                ExprKind::IsBool { expr, value: None, negated }
            } else if self.eat_word("DISTINCT") {
                self.expect_word("FROM")?;
                ExprKind::IsDistinctFrom { left: expr, right: Box::new(self.value(COMPARISON)?), negated }
            } else {
                return Err(self.unexpected());
            };
            return self.node(kind, start);
        }
        let predicates = ["BETWEEN", "IN", "LIKE", "ILIKE", "RLIKE", "REGEXP"];
        let negated = self.is_word("NOT") && predicates.iter().any(|p| self.is_word_at(1, p));
        if negated {
            self.bump();
        }
        let kind = if self.eat_word("BETWEEN") {
            let low = Box::new(self.value(COMPARISON)?);
            self.expect_word("AND")?;
            ExprKind::Between { expr, low, high: Box::new(self.value(COMPARISON)?), negated }
        } else if self.eat_word("IN") {
            self.expect_op("(")?;
            if self.starts_query_at(0) && !self.is_op("(") {
                self.query()?;
                self.expect_op(")")?;
                return self.node(ExprKind::Unsupported("a subquery in an expression".into()), start);
            }
            let list = self.expr_list()?;
            self.expect_op(")")?;
            ExprKind::InList { expr, list, negated }
        } else if let Some(kind) = self.like_kind() {
            if kind != LikeKind::RLike && ["ANY", "ALL", "SOME"].iter().any(|q| self.is_word(q)) {
                self.bump();
                self.skip_parenthesized()?;
                return self.node(ExprKind::Unsupported("this predicate".into()), start);
            }
            let pattern = Box::new(self.value(COMPARISON)?);
            let escape = if kind != LikeKind::RLike && self.eat_word("ESCAPE") { Some(Box::new(self.value(COMPARISON)?)) } else { None };
            ExprKind::Like { kind, expr, pattern, escape, negated }
        } else {
            return Ok(*expr);
        };
        self.node(kind, start)
    }

    fn like_kind(&mut self) -> Option<LikeKind> {
        let kind = if self.is_word("LIKE") {
            LikeKind::Like
        } else if self.is_word("ILIKE") {
            LikeKind::ILike
        } else if self.is_word("RLIKE") || self.is_word("REGEXP") {
            LikeKind::RLike
        } else {
            return None;
        };
        self.bump();
        Some(kind)
    }

    /// `expr, expr, ...` (at least one).
    fn expr_list(&mut self) -> Result<Vec<Expr>> {
        self.comma_separated(Self::expr)
    }

    /// The value operator here and its precedence (higher binds tighter).
    fn binary_op(&self) -> Option<(BinaryOp, u8)> {
        use BinaryOp as B;
        let op = match self.peek().kind {
            Kind::Op("=" | "==") => (B::Eq, COMPARISON),
            Kind::Op("<=>") => (B::EqNullSafe, COMPARISON),
            Kind::Op("!=" | "<>") => (B::NotEq, COMPARISON),
            Kind::Op("<") => (B::Lt, COMPARISON),
            Kind::Op("<=") => (B::LtEq, COMPARISON),
            Kind::Op(">") => (B::Gt, COMPARISON),
            Kind::Op(">=") => (B::GtEq, COMPARISON),
            Kind::Op("|") => (B::BitOr, 2),
            Kind::Op("^") => (B::BitXor, 3),
            Kind::Op("&") => (B::BitAnd, 4),
            Kind::Op("+") => (B::Plus, 5),
            Kind::Op("-") => (B::Minus, 5),
            Kind::Op("||") => (B::Concat, 5),
            Kind::Op("*") => (B::Multiply, 6),
            Kind::Op("/") => (B::Divide, 6),
            Kind::Op("%") => (B::Modulo, 6),
            Kind::Word if self.is_word("DIV") => (B::IntDivide, 6),
            _ => return None,
        };
        Some(op)
    }

    /// A value expression whose operators bind at least as tightly as `min` (precedence
    /// climbing: left-associative, one loop per level).
    fn value(&mut self, min: u8) -> Result<Expr> {
        let mut left = self.unary()?;
        while let Some((op, precedence)) = self.binary_op().filter(|(_, p)| *p >= min) {
            self.bump();
            let right = self.value(precedence + 1)?;
            left = self.binary(op, left, right)?;
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr> {
        let op = match self.peek().kind {
            Kind::Op("-") => UnaryOp::Minus,
            Kind::Op("+") => UnaryOp::Plus,
            Kind::Op("~") => UnaryOp::BitNot,
            _ => return self.postfix(),
        };
        let start = self.bump().start;
        // Spark's grammar reads `-2` as one negative number literal.
        if op == UnaryOp::Minus && self.peek().kind == Kind::Number {
            let digits = self.bump().start;
            let number = self.node(ExprKind::Number { negative: true, digits }, start)?;
            return self.postfix_of(number);
        }
        let operand = self.nested(Self::unary)?;
        self.node(ExprKind::Unary { op, expr: Box::new(operand) }, start)
    }

    fn postfix(&mut self) -> Result<Expr> {
        let primary = self.primary()?;
        self.postfix_of(primary)
    }

    /// `expr[index]` and `expr.field` after `expr`.
    fn postfix_of(&mut self, mut expr: Expr) -> Result<Expr> {
        loop {
            let start = expr.start;
            if self.eat_op("[") {
                let index = self.expr()?;
                self.expect_op("]")?;
                expr = self.node(ExprKind::Subscript { expr: Box::new(expr), index: Box::new(index) }, start)?;
            } else if self.is_op(".") && matches!(self.peek_at(1).kind, Kind::Word | Kind::Quoted(_)) {
                self.bump();
                let field = self.ident()?;
                expr = self.node(ExprKind::Field { expr: Box::new(expr), field }, start)?;
            } else {
                return Ok(expr);
            }
        }
    }

    fn primary(&mut self) -> Result<Expr> {
        let token = self.peek().clone();
        match token.kind {
            Kind::Number => {
                self.bump();
                self.node(ExprKind::Number { negative: false, digits: token.start }, token.start)
            }
            Kind::Str => {
                while self.peek().kind == Kind::Str {
                    self.bump();
                }
                self.node(ExprKind::Literal, token.start)
            }
            Kind::Op("(") => self.parenthesized(),
            Kind::Op("*") => {
                self.bump();
                self.node(ExprKind::Star { qualifier: Vec::new() }, token.start)
            }
            Kind::Word | Kind::Quoted(_) => self.named(),
            _ => Err(self.unexpected()),
        }
    }

    /// `(expr)`, `(a, b)` (a struct), `(subquery)`, or the parameters of a lambda.
    fn parenthesized(&mut self) -> Result<Expr> {
        let start = self.bump().start;
        if self.is_word("SELECT") || self.is_word("WITH") {
            self.query()?;
            self.expect_op(")")?;
            return self.node(ExprKind::Unsupported("a subquery in an expression".into()), start);
        }
        let mut items = self.expr_list()?;
        self.expect_op(")")?;
        if self.eat_op("->") {
            self.expr()?;
            return self.node(ExprKind::Unsupported("a lambda function".into()), start);
        }
        match (items.pop(), items.is_empty()) {
            (Some(only), true) => Ok(only),
            (last, _) => {
                items.extend(last);
                self.node(ExprKind::Tuple(items), start)
            }
        }
    }

    /// A primary that starts with a word: keyword forms, names, calls.
    fn named(&mut self) -> Result<Expr> {
        let token = self.peek().clone();
        let start = token.start;
        if token.kind == Kind::Word {
            let word = self.text(&token).to_ascii_uppercase();
            let next = self.peek_at(1).kind.clone();
            match word.as_str() {
                "NULL" | "TRUE" | "FALSE" => {
                    self.bump();
                    return self.node(ExprKind::Literal, start);
                }
                "CASE" => return self.case(),
                "CAST" | "TRY_CAST" if next == Kind::Op("(") => return self.cast(),
                "DATE" | "TIMESTAMP" | "TIMESTAMP_LTZ" | "X" if next == Kind::Str => {
                    self.bump();
                    while self.peek().kind == Kind::Str {
                        self.bump();
                    }
                    return self.node(ExprKind::TypedLiteral, start);
                }
                "INTERVAL" if matches!(next, Kind::Str | Kind::Number | Kind::Op("-")) => {
                    self.bump();
                    while matches!(self.peek().kind, Kind::Str | Kind::Number | Kind::Op("-"))
                        || INTERVAL_WORDS.iter().any(|w| self.is_word(w))
                    {
                        self.bump();
                    }
                    return self.node(ExprKind::Unsupported("an INTERVAL literal".into()), start);
                }
                "EXISTS" if next == Kind::Op("(") && self.starts_query_at(2) => {
                    self.bump();
                    self.skip_parenthesized()?;
                    return self.node(ExprKind::Unsupported("a subquery in an expression".into()), start);
                }
                _ => {}
            }
            // Here any word is a column name, keywords included: Spark (non-ANSI) reads
            // `SELECT order, end FROM t` and even `SELECT FROM t` (a column named FROM).
        }
        let mut parts = vec![self.ident()?];
        while self.is_op(".") {
            match self.peek_at(1).kind {
                Kind::Word | Kind::Quoted(_) => {
                    self.bump();
                    parts.push(self.ident()?);
                }
                Kind::Op("*") => {
                    self.bump();
                    self.bump();
                    return self.node(ExprKind::Star { qualifier: parts }, start);
                }
                _ => break,
            }
        }
        if parts.len() == 1 && self.is_op("->") {
            self.bump();
            self.expr()?;
            return self.node(ExprKind::Unsupported("a lambda function".into()), start);
        }
        if self.is_op("(") {
            return self.call(parts, start);
        }
        self.node(ExprKind::Column(parts), start)
    }

    /// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`.
    fn case(&mut self) -> Result<Expr> {
        let start = self.bump().start;
        let operand = if self.is_word("WHEN") { None } else { Some(Box::new(self.expr()?)) };
        let mut branches = Vec::new();
        while self.eat_word("WHEN") {
            let condition = self.expr()?;
            self.expect_word("THEN")?;
            branches.push((condition, self.expr()?));
        }
        if branches.is_empty() {
            return Err(self.unexpected());
        }
        let otherwise = if self.eat_word("ELSE") { Some(Box::new(self.expr()?)) } else { None };
        self.expect_word("END")?;
        self.node(ExprKind::Case { operand, branches, otherwise }, start)
    }

    /// `CAST(expr AS type)`; `CAST(expr)` is a call of a function named CAST, as in Spark.
    fn cast(&mut self) -> Result<Expr> {
        let name = self.ident()?;
        let start = name.start;
        self.bump();
        let expr = self.expr()?;
        if self.eat_op(")") {
            let args = vec![expr];
            return self.node(ExprKind::Function { name, distinct: false, args, star: false }, start);
        }
        self.expect_word("AS")?;
        let type_start = self.peek().start;
        self.data_type()?;
        let type_end = self.last_end();
        self.expect_op(")")?;
        self.node(ExprKind::Cast { expr: Box::new(expr), type_start, type_end }, start)
    }

    /// Skips a data type (`INT`, `DECIMAL(10, 2)`, `ARRAY<STRUCT<a: INT>>`); the expression
    /// parser's type reader checks it when the cast is lowered.
    fn data_type(&mut self) -> Result<()> {
        if self.peek().kind != Kind::Word {
            return Err(self.unexpected());
        }
        self.bump();
        if self.is_op("<") {
            let (mut angles, mut parens) = (0usize, 0usize);
            loop {
                match self.peek().kind {
                    Kind::Eof | Kind::Op(";") => return Err(self.unexpected()),
                    Kind::Op("<") => angles += 1,
                    Kind::Op(">") => angles = angles.saturating_sub(1),
                    Kind::Op("(") => parens += 1,
                    Kind::Op(")") if parens == 0 => return Err(self.unexpected()),
                    Kind::Op(")") => parens -= 1,
                    _ => {}
                }
                self.bump();
                if angles == 0 {
                    break;
                }
            }
        }
        if self.is_op("(") {
            self.skip_parenthesized()?;
        }
        Ok(())
    }

    /// `name(args)` and what may follow a call (`FILTER`, `OVER`).
    fn call(&mut self, mut parts: Vec<Ident>, start: usize) -> Result<Expr> {
        self.bump();
        let CallArguments { distinct, args, star, refused } = self.call_arguments(&parts)?;
        let qualified = parts.len() > 1;
        let dotted = parts.iter().map(|p| p.value.as_str()).collect::<Vec<_>>().join(".");
        let name = parts.swap_remove(0);
        let mut refusal = refused.map(|what| what.replace("{}", &name.value));
        if self.is_word("FILTER") && self.is_op_at(1, "(") {
            self.bump();
            self.skip_parenthesized()?;
            refusal = refusal.or(Some(format!("this form of {}()", name.value)));
        }
        if self.eat_word("OVER") {
            if self.is_op("(") {
                self.skip_parenthesized()?;
            } else {
                self.ident()?;
            }
            refusal = Some("a window function (OVER)".into());
        }
        if qualified {
            refusal = Some(format!("the qualified function name {dotted}"));
        }
        match refusal {
            Some(what) => self.node(ExprKind::Unsupported(what), start),
            None => self.node(ExprKind::Function { name, distinct, args, star }, start),
        }
    }

    /// The arguments after `name(`, through `)`.
    fn call_arguments(&mut self, parts: &[Ident]) -> Result<CallArguments> {
        let name = parts.first().map_or(String::new(), |p| p.value.to_ascii_uppercase());
        let mut call = CallArguments { distinct: false, args: Vec::new(), star: false, refused: None };
        if self.eat_op(")") {
            return Ok(call);
        }
        if matches!(name.as_str(), "TRIM" | "EXTRACT" | "OVERLAY")
            && (["BOTH", "LEADING", "TRAILING"].iter().any(|w| self.is_word(w)) || self.top_level_word("FROM") || self.top_level_word("PLACING"))
        {
            self.skip_to_close()?;
            call.refused = Some("this expression".into());
            return Ok(call);
        }
        if name == "POSITION" && self.top_level_word("IN") {
            call.args.push(self.value(COMPARISON)?);
            self.expect_word("IN")?;
            call.args.push(self.expr()?);
            self.expect_op(")")?;
            return Ok(call);
        }
        call.distinct = self.eat_word("DISTINCT");
        if !call.distinct && self.is_word("ALL") && !matches!(self.peek_at(1).kind, Kind::Op(")" | ",")) {
            self.bump();
        }
        if name == "COUNT" && self.is_op("*") && self.is_op_at(1, ")") {
            self.bump();
            self.bump();
            call.star = true;
            return Ok(call);
        }
        let args = &mut call.args;
        loop {
            if matches!(self.peek().kind, Kind::Word | Kind::Quoted(_)) && self.is_op_at(1, "=>") {
                self.bump();
                self.bump();
                self.expr()?;
                call.refused = Some("named arguments of {}()".to_string());
            } else if self.is_op("*") && matches!(self.peek_at(1).kind, Kind::Op(")" | ",")) {
                let star = self.bump().start;
                args.push(self.node(ExprKind::Star { qualifier: Vec::new() }, star)?);
            } else {
                let arg = self.expr()?;
                let arg = if name == "STRUCT" && self.eat_word("AS") {
                    let alias = self.ident()?;
                    let start = arg.start;
                    self.node(ExprKind::Named { expr: Box::new(arg), name: alias }, start)?
                } else {
                    arg
                };
                args.push(arg);
            }
            if self.eat_word("FROM") && matches!(name.as_str(), "SUBSTRING" | "SUBSTR") {
                args.push(self.expr()?);
                if self.eat_word("FOR") {
                    args.push(self.expr()?);
                }
                break;
            }
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")")?;
        Ok(call)
    }

    /// Whether `word` appears before the `)` that closes the current argument list.
    fn top_level_word(&self, word: &str) -> bool {
        let mut depth = 0usize;
        for n in 0.. {
            match self.peek_at(n).kind {
                Kind::Eof => return false,
                Kind::Op("(") => depth += 1,
                Kind::Op(")") if depth == 0 => return false,
                Kind::Op(")") => depth -= 1,
                Kind::Word if depth == 0 && self.is_word_at(n, word) => return true,
                _ => {}
            }
        }
        false
    }
}
