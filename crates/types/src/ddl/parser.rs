//! Recursive-descent version of Spark's `singleTableSchema` / `singleDataType` grammar rules,
//! reproducing the syntax errors ANTLR's recovery strategy reports through Spark
//! (`Syntax error at or near X`, `…: extra input X`, `…: missing 'Y'`).

use super::lexer::{tokenize, Kind, Token};
use crate::error::SparkError;

/// Where a node starts (1-based line, 0-based position), for Spark's `(line l, pos p)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub pos: usize,
}

/// A parsed data type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeNode {
    Array(Box<TypeNode>),
    Map(Box<TypeNode>, Box<TypeNode>),
    Struct(Vec<FieldNode>),
    /// `INTERVAL YEAR [TO MONTH]` etc.: start and optional end unit (lower case).
    YearMonth(String, Option<String>, Pos),
    DayTime(String, Option<String>, Pos),
    /// A named type with optional integer parameters (`decimal(10,2)`, `lng`).
    Primitive { name: String, params: Vec<String>, pos: Pos },
}

/// A parsed column / struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldNode {
    pub name: String,
    pub ty: TypeNode,
    pub not_null: bool,
    pub comment: Option<String>,
}

/// Expected-token descriptions for follow sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exp {
    K(Kind),
    Kw(&'static str),
    /// Any word or quoted identifier (start of an identifier or a data type).
    Ident,
}

fn matches(t: &Token, e: Exp) -> bool {
    match e {
        Exp::K(k) => t.kind == k,
        Exp::Kw(kw) => t.is_kw(kw),
        Exp::Ident => t.kind == Kind::Word || t.kind == Kind::Quoted,
    }
}

fn any(t: &Token, set: &[Exp]) -> bool {
    set.iter().any(|e| matches(t, *e))
}

/// The `PARSE_SYNTAX_ERROR` for token `t` with an optional hint.
pub fn syntax_error(t: &Token, hint: &str) -> SparkError {
    SparkError::parse(format!("Syntax error at or near {}{}.(line {}, pos {})", t.display(), hint, t.line, t.pos))
        .with_class("PARSE_SYNTAX_ERROR")
}

struct Parser {
    toks: Vec<Token>,
    i: usize,
}

type R<T> = std::result::Result<T, SparkError>;

impl Parser {
    fn la(&self, n: usize) -> &Token {
        let idx = (self.i + n - 1).min(self.toks.len() - 1);
        &self.toks[idx]
    }

    fn pos(&self) -> Pos {
        let t = self.la(1);
        Pos { line: t.line, pos: t.pos }
    }

    fn next(&mut self) -> Token {
        let t = self.la(1).clone();
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        }
        t
    }

    /// ANTLR `match` with `recoverInline`: single-token deletion, then insertion, then mismatch.
    fn expect(&mut self, e: Exp, display: &str, after: &[Exp]) -> R<Token> {
        if matches(self.la(1), e) {
            return Ok(self.next());
        }
        let cur = self.la(1).clone();
        if matches(self.la(2), e) {
            return Err(syntax_error(&cur, &format!(": extra input {}", cur.display())));
        }
        if any(&cur, after) {
            return Err(syntax_error(&cur, &format!(": missing {display}")));
        }
        Err(syntax_error(&cur, ""))
    }

    /// ANTLR `sync` at a block/loop entry whose next tokens do not include the rule end.
    fn sync_entry(&self, allowed: &[Exp]) -> R<()> {
        if any(self.la(1), allowed) {
            return Ok(());
        }
        let cur = self.la(1);
        if any(self.la(2), allowed) {
            return Err(syntax_error(cur, &format!(": extra input {}", cur.display())));
        }
        Err(syntax_error(cur, ""))
    }

    /// ANTLR `sync` at a loop-back state whose next tokens do not include the rule end.
    fn sync_loop_back(&self, allowed: &[Exp]) -> R<()> {
        if any(self.la(1), allowed) {
            return Ok(());
        }
        let cur = self.la(1);
        Err(syntax_error(cur, &format!(": extra input {}", cur.display())))
    }

    /// `errorCapturingIdentifier`: an identifier, rejecting `a-b` (Spark's `INVALID_IDENTIFIER`).
    fn identifier(&mut self) -> R<String> {
        let t = self.la(1).clone();
        if !matches(&t, Exp::Ident) {
            return Err(syntax_error(&t, ""));
        }
        self.next();
        if self.la(1).kind == Kind::Minus && matches(self.la(2), Exp::Ident) {
            let minus_pos = self.pos();
            let mut text = t.text.clone();
            while self.la(1).kind == Kind::Minus && matches(self.la(2), Exp::Ident) {
                self.next();
                text.push('-');
                text.push_str(&self.next().text);
            }
            return Err(SparkError::parse(format!(
                "The identifier {text} is invalid. Please, consider quoting it with back-quotes as `{text}`.(line {}, pos {})",
                minus_pos.line, minus_pos.pos
            ))
            .with_class("INVALID_IDENTIFIER"));
        }
        Ok(t.text)
    }

    /// `colTypeList` / `complexColTypeList`.
    fn field_list(&mut self, follow: &[Exp], complex: bool) -> R<Vec<FieldNode>> {
        let mut item_follow = vec![Exp::K(Kind::Comma)];
        item_follow.extend_from_slice(follow);
        let mut fields = vec![self.field(&item_follow, complex)?];
        while self.la(1).kind == Kind::Comma {
            self.next();
            fields.push(self.field(&item_follow, complex)?);
        }
        Ok(fields)
    }

    /// `colType` / `complexColType` (the latter allows `name: type`).
    fn field(&mut self, follow: &[Exp], complex: bool) -> R<FieldNode> {
        let name = if complex {
            // `complexColType` uses a plain `identifier` (no `a-b` capture).
            let t = self.la(1).clone();
            if !matches(&t, Exp::Ident) {
                return Err(syntax_error(&t, ""));
            }
            self.next();
            if self.la(1).kind == Kind::Colon {
                self.next();
            }
            t.text
        } else {
            self.identifier()?
        };
        let mut type_follow = vec![Exp::Kw("NOT"), Exp::Kw("COMMENT")];
        type_follow.extend_from_slice(follow);
        let ty = self.data_type(&type_follow)?;
        let mut not_null = false;
        if self.la(1).is_kw("NOT") {
            self.next();
            let mut after = vec![Exp::Kw("COMMENT")];
            after.extend_from_slice(follow);
            self.expect(Exp::Kw("NULL"), "'NULL'", &after)?;
            not_null = true;
        }
        let mut comment = None;
        if self.la(1).is_kw("COMMENT") {
            self.next();
            let t = self.la(1).clone();
            if t.kind != Kind::Str {
                return Err(syntax_error(&t, ""));
            }
            self.next();
            comment = Some(t.text);
        }
        Ok(FieldNode { name, ty, not_null, comment })
    }

    /// `dataType`.
    fn data_type(&mut self, follow: &[Exp]) -> R<TypeNode> {
        let t = self.la(1).clone();
        let t2 = self.la(2).clone();
        let gt = Exp::K(Kind::Gt);
        if t.is_kw("ARRAY") && t2.kind == Kind::Lt {
            self.next();
            self.next();
            let elem = self.data_type(&[gt])?;
            self.expect(gt, "'>'", follow)?;
            return Ok(TypeNode::Array(Box::new(elem)));
        }
        if t.is_kw("MAP") && t2.kind == Kind::Lt {
            self.next();
            self.next();
            let key = self.data_type(&[Exp::K(Kind::Comma)])?;
            self.expect(Exp::K(Kind::Comma), "','", &[Exp::Ident])?;
            let value = self.data_type(&[gt])?;
            self.expect(gt, "'>'", follow)?;
            return Ok(TypeNode::Map(Box::new(key), Box::new(value)));
        }
        if t.is_kw("STRUCT") && (t2.kind == Kind::Lt || t2.kind == Kind::Neq) {
            self.next();
            if self.next().kind == Kind::Neq {
                return Ok(TypeNode::Struct(Vec::new()));
            }
            // `complexColTypeList?` is an adaptive prediction: neither a field nor `>` is no viable
            // alternative (no single-token recovery).
            if !matches(self.la(1), Exp::Ident) && self.la(1).kind != Kind::Gt {
                return Err(syntax_error(self.la(1), ""));
            }
            let fields = if matches(self.la(1), Exp::Ident) { self.field_list(&[gt], true)? } else { Vec::new() };
            self.expect(gt, "'>'", follow)?;
            return Ok(TypeNode::Struct(fields));
        }
        if t.is_kw("INTERVAL") {
            let unit = |u: &Token, set: &[&str]| set.iter().any(|s| u.is_kw(s));
            let ym = ["YEAR", "MONTH"];
            let dt = ["DAY", "HOUR", "MINUTE", "SECOND"];
            if unit(&t2, &ym) || unit(&t2, &dt) {
                let pos = self.pos();
                self.next();
                let from = self.next().text.to_ascii_lowercase();
                let is_ym = ym.iter().any(|s| from.eq_ignore_ascii_case(s));
                let mut to = None;
                if self.la(1).is_kw("TO") {
                    self.next();
                    let ends: &[&str] = if is_ym { &["MONTH"] } else { &["HOUR", "MINUTE", "SECOND"] };
                    let u = self.la(1).clone();
                    if !unit(&u, ends) {
                        return Err(syntax_error(&u, ""));
                    }
                    self.next();
                    to = Some(u.text.to_ascii_lowercase());
                }
                return Ok(if is_ym { TypeNode::YearMonth(from, to, pos) } else { TypeNode::DayTime(from, to, pos) });
            }
        }
        if !matches(&t, Exp::Ident) {
            return Err(syntax_error(&t, ""));
        }
        let pos = self.pos();
        self.next();
        // A back-quoted type name is an identifier, never a type keyword: `\`long\`` is unsupported.
        let name = if t.kind == Kind::Quoted { format!("`{}`", t.text) } else { t.text.clone() };
        let mut params = Vec::new();
        if self.la(1).kind == Kind::LParen {
            self.next();
            let int = Exp::K(Kind::Integer);
            let loop_set = [Exp::K(Kind::Comma), Exp::K(Kind::RParen)];
            params.push(self.expect(int, "INTEGER_VALUE", &loop_set)?.text);
            self.sync_entry(&loop_set)?;
            while self.la(1).kind == Kind::Comma {
                self.next();
                params.push(self.expect(int, "INTEGER_VALUE", &loop_set)?.text);
                self.sync_loop_back(&loop_set)?;
            }
            self.expect(Exp::K(Kind::RParen), "')'", follow)?;
        }
        Ok(TypeNode::Primitive { name, params, pos })
    }
}

/// Parses a table schema (`singleTableSchema`).
pub fn parse_table_schema(s: &str) -> R<Vec<FieldNode>> {
    let mut p = Parser { toks: tokenize(s), i: 0 };
    let fields = p.field_list(&[Exp::K(Kind::Eof)], false)?;
    p.expect(Exp::K(Kind::Eof), "<EOF>", &[])?;
    Ok(fields)
}

/// Parses a single data type (`singleDataType`).
pub fn parse_single_type(s: &str) -> R<TypeNode> {
    let mut p = Parser { toks: tokenize(s), i: 0 };
    let ty = p.data_type(&[Exp::K(Kind::Eof)])?;
    p.expect(Exp::K(Kind::Eof), "<EOF>", &[])?;
    Ok(ty)
}
