//! Spark SQL expression text (`expr()`, `selectExpr()`, `filter("x > 1")`) to [`Expr`].
//!
//! A hand-written precedence parser following `SqlBaseParser.g4`'s `namedExpression`:
//! `OR` < `AND` < `NOT` < predicates (`BETWEEN`, `IN`, `LIKE`, `IS NULL`) < comparisons < `|` <
//! `^` < `&` < `+ - ||` < `* / % div` < unary `- + ~` < primary. Literal typing follows Spark:
//! `1` int, `1L` bigint, `1.5` decimal(2,1), `1e9` / `1.5D` double, `'a'` string.

mod datatype;
mod error;
mod lexer;

pub use datatype::{parse_data_type, parse_schema};
pub use lexer::number_len;
pub(crate) use datatype::map_type;

use streamlab_types::{Result, SparkError};

use crate::decimal;
use crate::expr::{BinaryOp, Expr, UnaryOp};
use crate::literal::Literal;
use crate::types::quote_if_needed;
use error::{parse_error, syntax_error};
use lexer::{tokenize, Tok, Token};

/// Parses Spark SQL expression text, with an optional alias (`x AS y` or `x y`).
///
/// Why: `expr()`, `selectExpr()` and `filter("…")` take SQL text; errors read like Spark's
/// `ParseException`.
///
/// ```
/// use streamlab_expr::{parse_expression, Expr};
/// let e = parse_expression("CAST(Creation_Time / 1e9 AS TIMESTAMP) AS t").unwrap();
/// assert!(matches!(e, Expr::Alias(_, ref n) if n == "t"));
/// let err = parse_expression("i +").unwrap_err();
/// assert!(err.to_string().starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near end of input.(line 1, pos 3)"));
/// ```
pub fn parse_expression(sql: &str) -> Result<Expr> {
    let toks = tokenize(sql)?;
    let mut p = Parser { sql, toks, pos: 0, depth: 0 };
    if p.peek().tok == Tok::Eof {
        return Err(syntax_error(sql, p.peek().start, "end of input"));
    }
    let e = p.named_expression()?;
    let t = p.peek().clone();
    if t.tok != Tok::Eof {
        return Err(syntax_error(sql, t.start, &format!("'{}': extra input '{}'", t.text, t.text)));
    }
    Ok(e)
}

/// Splits a column reference the way `col()` does (`UnresolvedAttribute.parseAttributeName`):
/// dots separate nested names, back-quotes protect dots (`` `a.b` ``), doubled back-quotes
/// escape one.
///
/// ```
/// use streamlab_expr::parse_attribute_name;
/// assert_eq!(parse_attribute_name("a.b").unwrap(), vec!["a", "b"]);
/// assert_eq!(parse_attribute_name("`a.b`.c").unwrap(), vec!["a.b", "c"]);
/// assert!(parse_attribute_name("a.").is_err());
/// ```
pub fn parse_attribute_name(name: &str) -> Result<Vec<String>> {
    let err = || SparkError::analysis(format!("Syntax error in attribute name: {}.", name));
    let chars: Vec<char> = name.chars().collect();
    let mut parts = Vec::new();
    let mut tmp = String::new();
    let mut in_tick = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_tick {
            if c == '`' {
                if chars.get(i + 1) == Some(&'`') {
                    tmp.push('`');
                    i += 1;
                } else {
                    in_tick = false;
                    if i + 1 < chars.len() && chars[i + 1] != '.' {
                        return Err(err());
                    }
                }
            } else {
                tmp.push(c);
            }
        } else if c == '`' {
            if !tmp.is_empty() {
                return Err(err());
            }
            in_tick = true;
        } else if c == '.' {
            if i == 0 || chars[i - 1] == '.' || i == chars.len() - 1 {
                return Err(err());
            }
            parts.push(std::mem::take(&mut tmp));
        } else {
            tmp.push(c);
        }
        i += 1;
    }
    if in_tick {
        return Err(err());
    }
    parts.push(tmp);
    Ok(parts)
}

/// Joins name parts back into the `col()` form, quoting parts that need it.
pub(crate) fn join_attribute_name(parts: &[String]) -> String {
    parts.iter().map(|p| if p == "*" { p.clone() } else { quote_if_needed(p) }).collect::<Vec<_>>().join(".")
}

const MAX_DEPTH: usize = 100;

struct Parser<'a> {
    sql: &'a str,
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
}

fn is_reserved_after_expr(t: &Token) -> bool {
    ["AND", "OR", "IS", "IN", "NOT", "LIKE", "RLIKE", "REGEXP", "ILIKE", "BETWEEN", "THEN", "WHEN", "ELSE", "END", "AS", "ESCAPE", "FROM", "DIV"]
        .iter()
        .any(|k| t.is_kw(k))
}

impl<'a> Parser<'a> {
    fn peek(&self) -> &Token {
        self.peek_at(0)
    }

    fn peek_at(&self, n: usize) -> &Token {
        let last = self.toks.len() - 1;
        &self.toks[(self.pos + n).min(last)]
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn error_here(&self) -> SparkError {
        let t = self.peek();
        let near = if t.tok == Tok::Eof { "end of input".to_string() } else { format!("'{}'", t.text) };
        syntax_error(self.sql, t.start, &near)
    }

    fn expect_sym(&mut self, s: &str) -> Result<()> {
        if self.peek().is_sym(s) {
            self.bump();
            Ok(())
        } else {
            Err(self.error_here())
        }
    }

    fn expect_kw(&mut self, kw: &str) -> Result<()> {
        if self.peek().is_kw(kw) {
            self.bump();
            Ok(())
        } else {
            Err(self.error_here())
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here());
        }
        Ok(())
    }

    fn named_expression(&mut self) -> Result<Expr> {
        let e = self.expression()?;
        if self.peek().is_kw("AS") {
            self.bump();
            let name = self.identifier()?;
            return Ok(Expr::Alias(Box::new(e), name));
        }
        if let Tok::Ident { text, quoted } = &self.peek().tok {
            if *quoted || !is_reserved_after_expr(self.peek()) {
                let name = text.clone();
                self.bump();
                return Ok(Expr::Alias(Box::new(e), name));
            }
        }
        Ok(e)
    }

    fn identifier(&mut self) -> Result<String> {
        match &self.peek().tok {
            Tok::Ident { text, .. } => {
                let t = text.clone();
                self.bump();
                Ok(t)
            }
            _ => Err(self.error_here()),
        }
    }

    fn expression(&mut self) -> Result<Expr> {
        self.enter()?;
        let r = self.or_expr();
        self.depth -= 1;
        r
    }

    fn or_expr(&mut self) -> Result<Expr> {
        let mut left = self.and_expr()?;
        let mut chain = 0usize;
        while self.peek().is_kw("OR") {
            chain += 1;
            if self.depth + chain > MAX_DEPTH {
                return Err(self.error_here());
            }
            self.bump();
            let right = self.and_expr()?;
            left = left.or(right);
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Expr> {
        let mut left = self.not_expr()?;
        let mut chain = 0usize;
        while self.peek().is_kw("AND") {
            chain += 1;
            if self.depth + chain > MAX_DEPTH {
                return Err(self.error_here());
            }
            self.bump();
            let right = self.not_expr()?;
            left = left.and(right);
        }
        Ok(left)
    }

    fn not_expr(&mut self) -> Result<Expr> {
        if self.peek().is_kw("NOT") || self.peek().is_sym("!") {
            self.bump();
            self.enter()?;
            let inner = self.not_expr();
            self.depth -= 1;
            return Ok(inner?.not());
        }
        self.predicated()
    }

    fn predicated(&mut self) -> Result<Expr> {
        let v = self.value(0)?;
        let negated = self.peek().is_kw("NOT")
            && ["BETWEEN", "IN", "LIKE", "RLIKE", "REGEXP", "ILIKE"].iter().any(|k| self.peek_at(1).is_kw(k));
        if negated {
            self.bump();
        }
        let wrap = |e: Expr| if negated { e.not() } else { e };
        let t = self.peek().clone();
        if t.is_kw("BETWEEN") {
            self.bump();
            let lo = self.value(0)?;
            self.expect_kw("AND")?;
            let hi = self.value(0)?;
            return Ok(wrap(v.between(lo, hi)));
        }
        if t.is_kw("IN") {
            self.bump();
            self.expect_sym("(")?;
            let mut list = vec![self.expression()?];
            while self.peek().is_sym(",") {
                self.bump();
                list.push(self.expression()?);
            }
            self.expect_sym(")")?;
            return Ok(wrap(v.isin(list)));
        }
        if t.is_kw("LIKE") || t.is_kw("ILIKE") {
            self.bump();
            let pattern = self.value(0)?;
            let name = if t.is_kw("LIKE") { "like" } else { "ilike" };
            if self.peek().is_kw("ESCAPE") {
                self.bump();
                let esc = match &self.peek().tok {
                    Tok::Str(s) => s.clone(),
                    _ => return Err(self.error_here()),
                };
                self.bump();
                return Ok(wrap(Expr::call(name, vec![v, pattern, Expr::lit(esc)])));
            }
            if name == "like" {
                return Ok(wrap(v.like(pattern)));
            }
            return Ok(wrap(Expr::call(name, vec![v, pattern])));
        }
        if t.is_kw("RLIKE") || t.is_kw("REGEXP") {
            self.bump();
            let pattern = self.value(0)?;
            return Ok(wrap(Expr::call("rlike", vec![v, pattern])));
        }
        if t.is_kw("IS") {
            self.bump();
            let not = if self.peek().is_kw("NOT") {
                self.bump();
                true
            } else {
                false
            };
            let k = self.peek().clone();
            let e = if k.is_kw("NULL") {
                self.bump();
                if not {
                    v.is_not_null()
                } else {
                    v.is_null()
                }
            } else if k.is_kw("TRUE") || k.is_kw("FALSE") {
                self.bump();
                let e = v.eq_null_safe(Expr::lit(k.is_kw("TRUE")));
                if not {
                    e.not()
                } else {
                    e
                }
            } else if k.is_kw("UNKNOWN") {
                self.bump();
                if not {
                    v.is_not_null()
                } else {
                    v.is_null()
                }
            } else if k.is_kw("DISTINCT") {
                self.bump();
                self.expect_kw("FROM")?;
                let r = self.value(0)?;
                let e = v.eq_null_safe(r);
                if not {
                    e
                } else {
                    e.not()
                }
            } else {
                return Err(self.error_here());
            };
            return Ok(e);
        }
        Ok(v)
    }

    fn infix(&self) -> Option<(u8, &'static str)> {
        let t = self.peek();
        if t.is_kw("DIV") {
            return Some((6, "div"));
        }
        match &t.tok {
            Tok::Sym(s) => {
                let prec = match *s {
                    "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">=" | "<=>" => 1,
                    "|" => 2,
                    "^" => 3,
                    "&" => 4,
                    "+" | "-" | "||" => 5,
                    "*" | "/" | "%" => 6,
                    _ => return None,
                };
                Some((prec, s))
            }
            _ => None,
        }
    }

    fn value(&mut self, min_prec: u8) -> Result<Expr> {
        self.enter()?;
        let r = self.value_inner(min_prec);
        self.depth -= 1;
        r
    }

    fn value_inner(&mut self, min_prec: u8) -> Result<Expr> {
        let mut left = self.unary()?;
        // each operator in a chain nests the tree one level deeper
        let mut chain = 0usize;
        while let Some((prec, op)) = self.infix() {
            if prec < min_prec {
                break;
            }
            chain += 1;
            if self.depth + chain > MAX_DEPTH {
                return Err(self.error_here());
            }
            self.bump();
            let right = self.value(prec + 1)?;
            left = match op {
                "=" | "==" => left.eq(right),
                "!=" | "<>" => left.not_eq(right),
                "<" => left.lt(right),
                "<=" => left.lt_eq(right),
                ">" => left.gt(right),
                ">=" => left.gt_eq(right),
                "<=>" => left.eq_null_safe(right),
                "|" => Expr::Binary { op: BinaryOp::BitOr, left: Box::new(left), right: Box::new(right) },
                "^" => Expr::Binary { op: BinaryOp::BitXor, left: Box::new(left), right: Box::new(right) },
                "&" => Expr::Binary { op: BinaryOp::BitAnd, left: Box::new(left), right: Box::new(right) },
                "+" => left.add(right),
                "-" => left.sub(right),
                "||" => Expr::call("concat", vec![left, right]),
                "*" => left.mul(right),
                "/" => left.div(right),
                "%" => left.rem(right),
                _ => Expr::Binary { op: BinaryOp::IntDivide, left: Box::new(left), right: Box::new(right) },
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr> {
        let t = self.peek().clone();
        if t.is_sym("-") {
            if let Tok::Number(n) = &self.peek_at(1).tok {
                let n = n.clone();
                let start = self.peek_at(1).start;
                self.bump();
                self.bump();
                let lit = self.number(&n, true, t.start.min(start))?;
                return self.postfix(Expr::Literal(lit));
            }
            self.bump();
            let e = self.value(7)?;
            return Ok(Expr::Unary { op: UnaryOp::Neg, expr: Box::new(e) });
        }
        if t.is_sym("+") {
            self.bump();
            let e = self.value(7)?;
            return Ok(Expr::Unary { op: UnaryOp::Plus, expr: Box::new(e) });
        }
        if t.is_sym("~") {
            self.bump();
            let e = self.value(7)?;
            return Ok(Expr::Unary { op: UnaryOp::BitNot, expr: Box::new(e) });
        }
        let p = self.primary()?;
        self.postfix(p)
    }

    fn postfix(&mut self, mut e: Expr) -> Result<Expr> {
        let mut chain = 0usize;
        loop {
            chain += 1;
            if self.depth + chain > MAX_DEPTH {
                return Err(self.error_here());
            }
            if self.peek().is_sym("[") {
                self.bump();
                let k = self.expression()?;
                self.expect_sym("]")?;
                e = e.get_item(k);
            } else if self.peek().is_sym(".") {
                if let Tok::Ident { text, .. } = &self.peek_at(1).tok {
                    let name = text.clone();
                    self.bump();
                    self.bump();
                    e = match e {
                        Expr::Column(c) if !c.ends_with('*') => Expr::Column(format!("{}.{}", c, quote_if_needed(&name))),
                        other => other.get_field(&name),
                    };
                } else if self.peek_at(1).is_sym("*") {
                    match e {
                        Expr::Column(c) if !c.ends_with('*') => {
                            self.bump();
                            self.bump();
                            e = Expr::Column(format!("{}.*", c));
                        }
                        _ => return Err(self.error_here()),
                    }
                } else {
                    self.bump();
                    return Err(self.error_here());
                }
            } else {
                return Ok(e);
            }
        }
    }

    fn string_literal(&mut self) -> String {
        let mut s = String::new();
        while let Tok::Str(x) = &self.peek().tok {
            s.push_str(x);
            self.bump();
        }
        s
    }

    fn primary(&mut self) -> Result<Expr> {
        let t = self.peek().clone();
        match &t.tok {
            Tok::Eof => Err(self.error_here()),
            Tok::Number(n) => {
                self.bump();
                Ok(Expr::Literal(self.number(n, false, t.start)?))
            }
            Tok::Str(_) => Ok(Expr::lit(self.string_literal())),
            Tok::Sym("(") => {
                self.bump();
                let first = self.expression()?;
                if self.peek().is_sym(",") {
                    let mut items = vec![first];
                    while self.peek().is_sym(",") {
                        self.bump();
                        items.push(self.expression()?);
                    }
                    self.expect_sym(")")?;
                    return Ok(Expr::call("struct", items));
                }
                self.expect_sym(")")?;
                Ok(first)
            }
            Tok::Sym("*") => {
                self.bump();
                Ok(Expr::col("*"))
            }
            Tok::Sym(_) => Err(self.error_here()),
            Tok::Ident { text, quoted } => {
                let text = text.clone();
                if !quoted {
                    if let Some(e) = self.keyword_primary(&t, &text)? {
                        return Ok(e);
                    }
                }
                self.bump();
                let mut parts = vec![text];
                // Qualified function names `a.b(…)` are rare; a dotted name is a column.
                if self.peek().is_sym("(") {
                    return self.function_call(parts.remove(0), t.start);
                }
                Ok(Expr::Column(join_attribute_name(&parts)))
            }
        }
    }

    fn keyword_primary(&mut self, t: &Token, text: &str) -> Result<Option<Expr>> {
        let up = text.to_ascii_uppercase();
        let next = self.peek_at(1).clone();
        match up.as_str() {
            "NULL" => {
                self.bump();
                Ok(Some(Expr::lit(Literal::Null)))
            }
            "TRUE" | "FALSE" => {
                self.bump();
                Ok(Some(Expr::lit(up == "TRUE")))
            }
            "CASE" => {
                self.bump();
                self.case_expr().map(Some)
            }
            "CAST" | "TRY_CAST" if next.is_sym("(") => {
                self.bump();
                self.bump();
                let e = self.expression()?;
                self.expect_kw("AS")?;
                let dt = self.data_type()?;
                self.expect_sym(")")?;
                Ok(Some(e.cast(dt)))
            }
            "DATE" | "TIMESTAMP" | "TIMESTAMP_LTZ" | "X" if matches!(next.tok, Tok::Str(_)) => {
                self.bump();
                let value = self.string_literal();
                let bad = || {
                    parse_error(
                        self.sql,
                        t.start,
                        "INVALID_TYPED_LITERAL",
                        &format!("The value of the typed literal \"{}\" is invalid: '{}'.", up, value),
                    )
                };
                let lit = match up.as_str() {
                    "DATE" => Literal::Date(streamlab_types::time::parse_date(&value).ok_or_else(bad)?),
                    "X" => Literal::Binary(hex_bytes(&value).ok_or_else(bad)?),
                    _ => Literal::Timestamp(streamlab_types::time::parse_timestamp(&value).ok_or_else(bad)?),
                };
                Ok(Some(Expr::Literal(lit)))
            }
            _ => Ok(None),
        }
    }

    fn data_type(&mut self) -> Result<arrow::datatypes::DataType> {
        let mut r = datatype::TypeReader { sql: self.sql, toks: &self.toks, pos: self.pos };
        let dt = r.data_type()?;
        self.pos = r.pos.min(self.toks.len() - 1);
        Ok(dt)
    }

    fn case_expr(&mut self) -> Result<Expr> {
        let subject = if self.peek().is_kw("WHEN") { None } else { Some(self.expression()?) };
        let mut branches = Vec::new();
        while self.peek().is_kw("WHEN") {
            self.bump();
            let c = self.expression()?;
            self.expect_kw("THEN")?;
            let v = self.expression()?;
            let c = match &subject {
                Some(s) => s.clone().eq(c),
                None => c,
            };
            branches.push((c, v));
        }
        if branches.is_empty() {
            return Err(self.error_here());
        }
        let otherwise = if self.peek().is_kw("ELSE") {
            self.bump();
            Some(Box::new(self.expression()?))
        } else {
            None
        };
        self.expect_kw("END")?;
        Ok(Expr::CaseWhen { branches, otherwise })
    }

    fn function_call(&mut self, name: String, start: usize) -> Result<Expr> {
        self.expect_sym("(")?;
        let mut args = Vec::new();
        if self.peek().is_sym(")") {
            self.bump();
            return Ok(Expr::call(&name, args));
        }
        if self.peek().is_kw("DISTINCT") {
            return Err(parse_error(
                self.sql,
                start,
                "UNSUPPORTED_FEATURE",
                "DISTINCT inside a function call is not supported by StreamLab yet.",
            ));
        }
        if self.peek().is_kw("ALL") && !self.peek_at(1).is_sym(")") && !self.peek_at(1).is_sym(",") {
            self.bump();
        }
        if self.peek().is_sym("*") && self.peek_at(1).is_sym(")") && name.eq_ignore_ascii_case("count") {
            self.bump();
            self.bump();
            return Ok(Expr::call(&name, vec![Expr::lit(1)]));
        }
        let is_struct = name.eq_ignore_ascii_case("struct");
        loop {
            args.push(if is_struct { self.named_expression()? } else { self.expression()? });
            if self.peek().is_sym(",") {
                self.bump();
                continue;
            }
            break;
        }
        self.expect_sym(")")?;
        Ok(Expr::call(&name, args))
    }

    fn number(&self, text: &str, negative: bool, start: usize) -> Result<Literal> {
        number_literal(text, negative).map_err(|msg| match msg {
            NumErr::Range { value, min, max, ty } => parse_error(
                self.sql,
                start,
                "INVALID_NUMERIC_LITERAL_RANGE",
                &format!(
                    "Numeric literal {} is outside the valid range for {} with minimum value of {} and maximum value of {}. Please adjust the value accordingly.",
                    value, ty, min, max
                ),
            ),
            NumErr::Syntax => syntax_error(self.sql, start, &format!("'{}'", text)),
        })
    }
}

enum NumErr {
    Range { value: String, min: String, max: String, ty: &'static str },
    Syntax,
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = s.bytes().collect();
    let mut padded = Vec::new();
    if digits.len() % 2 == 1 {
        padded.push(b'0');
    }
    padded.extend(digits);
    padded
        .chunks(2)
        .map(|c| std::str::from_utf8(c).ok().and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

/// Types a numeric token the way Spark's `AstBuilder` does.
fn number_literal(text: &str, negative: bool) -> std::result::Result<Literal, NumErr> {
    let upper = text.to_ascii_uppercase();
    let sign = if negative { "-" } else { "" };
    // Error texts quote the number as written (`1e400`), not upper-cased.
    let range = |body: &str, min: String, max: String, ty: &'static str| NumErr::Range {
        value: format!("{}{}", sign, text.get(..body.len()).unwrap_or(body)),
        min,
        max,
        ty,
    };
    if let Some(body) = upper.strip_suffix("BD") {
        let (v, s) = decimal::parse(&format!("{}{}", sign, body)).ok_or(NumErr::Syntax)?;
        let p = decimal::digits(v).max(s as u8);
        if p > decimal::MAX_PRECISION {
            return Err(NumErr::Syntax);
        }
        return Ok(Literal::Decimal(v, p.max(1), s));
    }
    let integral = |b: &str| b.chars().all(|c| c.is_ascii_digit());
    if let Some(body) = upper.strip_suffix('L') {
        if !integral(body) {
            return Err(NumErr::Syntax);
        }
        return format!("{}{}", sign, body)
            .parse::<i64>()
            .map(Literal::Long)
            .map_err(|_| range(body, i64::MIN.to_string(), i64::MAX.to_string(), "bigint"));
    }
    if let Some(body) = upper.strip_suffix('S') {
        if !integral(body) {
            return Err(NumErr::Syntax);
        }
        return format!("{}{}", sign, body)
            .parse::<i16>()
            .map(Literal::Short)
            .map_err(|_| range(body, i16::MIN.to_string(), i16::MAX.to_string(), "smallint"));
    }
    if let Some(body) = upper.strip_suffix('Y') {
        if !integral(body) {
            return Err(NumErr::Syntax);
        }
        return format!("{}{}", sign, body)
            .parse::<i8>()
            .map(Literal::Byte)
            .map_err(|_| range(body, i8::MIN.to_string(), i8::MAX.to_string(), "tinyint"));
    }
    if let Some(body) = upper.strip_suffix('D') {
        let v: f64 = format!("{}{}", sign, body).parse().map_err(|_| NumErr::Syntax)?;
        if v.is_infinite() {
            return Err(range(body, "-1.7976931348623157E+308".into(), "1.7976931348623157E+308".into(), "double"));
        }
        return Ok(Literal::Double(v));
    }
    if let Some(body) = upper.strip_suffix('F') {
        let v: f32 = format!("{}{}", sign, body).parse().map_err(|_| NumErr::Syntax)?;
        if v.is_infinite() {
            return Err(range(body, "-3.4028234663852886E+38".into(), "3.4028234663852886E+38".into(), "float"));
        }
        return Ok(Literal::Float(v));
    }
    if upper.contains('E') {
        let v: f64 = format!("{}{}", sign, upper).parse().map_err(|_| NumErr::Syntax)?;
        if v.is_infinite() {
            return Err(range(&upper, "-1.7976931348623157E+308".into(), "1.7976931348623157E+308".into(), "double"));
        }
        return Ok(Literal::Double(v));
    }
    if upper.contains('.') {
        return match decimal::parse(&format!("{}{}", sign, upper)) {
            Some((v, s)) => {
                let p = decimal::digits(v).max(s as u8);
                if p > decimal::MAX_PRECISION {
                    Ok(Literal::Double(format!("{}{}", sign, upper).parse().map_err(|_| NumErr::Syntax)?))
                } else {
                    Ok(Literal::Decimal(v, p, s))
                }
            }
            None => Ok(Literal::Double(format!("{}{}", sign, upper).parse().map_err(|_| NumErr::Syntax)?)),
        };
    }
    let full = format!("{}{}", sign, upper);
    if let Ok(v) = full.parse::<i32>() {
        return Ok(Literal::Int(v));
    }
    if let Ok(v) = full.parse::<i64>() {
        return Ok(Literal::Long(v));
    }
    match full.parse::<i128>() {
        Ok(v) if decimal::digits(v) <= decimal::MAX_PRECISION => Ok(Literal::Decimal(v, decimal::digits(v), 0)),
        _ => Err(NumErr::Syntax),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Expr {
        parse_expression(s).unwrap()
    }

    #[test]
    fn precedence() {
        assert_eq!(p("1 + 2 * 3"), Expr::lit(1).add(Expr::lit(2).mul(Expr::lit(3))));
        assert_eq!(p("a = 1 AND b OR c"), Expr::col("a").eq(Expr::lit(1)).and(Expr::col("b")).or(Expr::col("c")));
        assert_eq!(p("NOT a = 1"), Expr::col("a").eq(Expr::lit(1)).not());
        assert_eq!(p("-i * 2"), Expr::col("i").neg().mul(Expr::lit(2)));
        assert_eq!(p("2 - -1"), Expr::lit(2).sub(Expr::lit(-1)));
    }

    #[test]
    fn literals() {
        assert_eq!(p("1.5"), Expr::lit(Literal::Decimal(15, 2, 1)));
        assert_eq!(p("-1.5"), Expr::lit(Literal::Decimal(-15, 2, 1)));
        assert_eq!(p("0.001"), Expr::lit(Literal::Decimal(1, 3, 3)));
        assert_eq!(p("1e9"), Expr::lit(1e9));
        assert_eq!(p("9223372036854775807L"), Expr::lit(i64::MAX));
        assert_eq!(p("3000000000"), Expr::lit(3_000_000_000i64));
        assert_eq!(p("'a' 'b'"), Expr::lit("ab"));
        assert_eq!(p("\"dq\""), Expr::lit("dq"));
        assert_eq!(p("1Y"), Expr::lit(Literal::Byte(1)));
        assert!(parse_expression("128Y").is_err());
    }

    #[test]
    fn names_and_aliases() {
        assert_eq!(p("a.b"), Expr::col("a.b"));
        assert_eq!(p("`a.b`"), Expr::col("`a.b`"));
        assert_eq!(p("a.*"), Expr::col("a.*"));
        assert_eq!(p("i AS x"), Expr::col("i").alias("x"));
        assert_eq!(p("i x"), Expr::col("i").alias("x"));
        assert_eq!(p("f(x).a"), Expr::call("f", vec![Expr::col("x")]).get_field("a"));
        assert_eq!(p("count(*)"), Expr::call("count", vec![Expr::lit(1)]));
    }

    #[test]
    fn errors() {
        let e = parse_expression("SELECT 1").unwrap_err();
        assert!(e.to_string().starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near '1': extra input '1'.(line 1, pos 7)"));
        let e = parse_expression("cast(i as lng)").unwrap_err();
        assert!(e.to_string().starts_with("[UNSUPPORTED_DATATYPE] Unsupported data type \"LNG\".(line 1, pos 10)"));
        for deep in ["(".repeat(1000), "upper(".repeat(1000), "- ".repeat(1000), "NOT ".repeat(1000), "a[0]".repeat(1000)] {
            assert!(parse_expression(&deep).is_err());
        }
        let chain = vec!["a"; 5000].join(" + ");
        assert!(parse_expression(&chain).is_err());
    }
}
