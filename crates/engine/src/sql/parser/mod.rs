//! A recursive-descent parser for the Spark SQL subset of [`super::ast`], with the
//! `ParseException`s Spark raises: `[PARSE_SYNTAX_ERROR] Syntax error at or near 'tok'` at the
//! first token that does not fit, `'tok': extra input 'tok'` for a token after a complete
//! statement, and `end of input` for a statement cut short. Trailing semicolons are allowed.
//!
//! Modules: [`statement`] (commands), [`query`] (SELECT, FROM, joins), [`expr`] (expressions
//! with Spark's operator precedence).
//!
//! Nesting is bounded twice, so no input can exhaust the stack (a browser tab has about 1 MiB,
//! a debug test thread 2 MiB): parentheses, calls, subqueries and prefix operators may nest
//! [`MAX_NESTING`] deep, and an expression tree (long `a + a + ...` chains) may be
//! [`MAX_HEIGHT`] high.

mod expr;
mod query;
mod statement;

use streamlab_types::{Result, SparkError};

use super::ast::{Ident, Name, Statement};
use super::lexer::{tokenize, Kind, Token};
use super::text::SqlText;

/// How deeply the parser may recurse (lesson SQL nests about 10 deep).
const MAX_NESTING: usize = 50;

/// How high an expression tree may grow.
const MAX_HEIGHT: usize = 1000;

/// Words that end an expression or a clause: never a bare column name.
const RESERVED: [&str; 32] = [
    "SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "MINUS", "JOIN", "ON",
    "USING", "AS", "AND", "OR", "IS", "IN", "LIKE", "ILIKE", "RLIKE", "REGEXP", "BETWEEN", "WHEN", "THEN", "ELSE", "END",
    "WITH", "DISTINCT", "NOT", "CASE",
];

/// Words that may follow a select item or a table, so never an alias without AS.
const NOT_AN_ALIAS: [&str; 23] = [
    "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "SEMI", "ANTI", "NATURAL", "LATERAL", "WINDOW", "CLUSTER", "DISTRIBUTE",
    "SORT", "QUALIFY", "OFFSET", "FETCH", "FOR", "TABLESAMPLE", "PIVOT", "UNPIVOT", "ESCAPE", "DIV", "OVER",
];

/// What [`Parser::peek_at`] answers if the token list were empty (the lexer always ends it
/// with an end-of-input token of its own).
static END: Token = Token { kind: Kind::Eof, start: 0, end: 0 };

/// Parses the one statement of `sql`.
pub(crate) fn parse_statement(sql: &SqlText) -> Result<Statement> {
    let tokens = tokenize(sql)?;
    let mut parser = Parser { sql, tokens, at: 0, nesting: 0 };
    let statement = parser.statement()?;
    parser.end_of_statement()?;
    Ok(statement)
}

/// The parser's state: the tokens and the position in them.
struct Parser<'s, 'a> {
    sql: &'s SqlText<'a>,
    tokens: Vec<Token>,
    at: usize,
    nesting: usize,
}

impl Parser<'_, '_> {
    fn peek(&self) -> &Token {
        self.peek_at(0)
    }

    /// The token `n` after the current one (the end-of-input token past the end).
    fn peek_at(&self, n: usize) -> &Token {
        self.tokens.get(self.at + n).or(self.tokens.last()).unwrap_or(&END)
    }

    fn bump(&mut self) -> Token {
        let token = self.peek().clone();
        if self.at + 1 < self.tokens.len() {
            self.at += 1;
        }
        token
    }

    /// Where the previous token ends (an expression's end).
    fn last_end(&self) -> usize {
        self.at.checked_sub(1).and_then(|i| self.tokens.get(i)).map_or(0, |t| t.end)
    }

    fn text(&self, token: &Token) -> &str {
        self.sql.slice(token.start, token.end)
    }

    /// Whether the `n`-th token from here is the bare word `word` (case-insensitive).
    fn is_word_at(&self, n: usize, word: &str) -> bool {
        let token = self.peek_at(n);
        token.kind == Kind::Word && self.text(token).eq_ignore_ascii_case(word)
    }

    fn is_word(&self, word: &str) -> bool {
        self.is_word_at(0, word)
    }

    /// Whether the `n`-th token from here is the operator `op`.
    fn is_op_at(&self, n: usize, op: &str) -> bool {
        matches!(self.peek_at(n).kind, Kind::Op(o) if o == op)
    }

    fn is_op(&self, op: &str) -> bool {
        self.is_op_at(0, op)
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let found = self.is_word(word);
        if found {
            self.bump();
        }
        found
    }

    fn eat_op(&mut self, op: &str) -> bool {
        let found = self.is_op(op);
        if found {
            self.bump();
        }
        found
    }

    fn expect_word(&mut self, word: &str) -> Result<()> {
        if self.eat_word(word) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn expect_op(&mut self, op: &str) -> Result<()> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    /// Spark's syntax error at the current token.
    fn unexpected(&self) -> SparkError {
        let token = self.peek();
        match token.kind {
            Kind::Eof => self.sql.syntax_error(self.sql.end(), "end of input"),
            _ => self.sql.syntax_error(self.sql.pos(token.start), &format!("'{}'", self.text(token))),
        }
    }

    /// The error for a statement that nests deeper than the parser goes.
    fn too_deep(&self) -> SparkError {
        SparkError::parse("The statement nests too deeply for StreamLab's SQL parser.").with_class("PARSE_SYNTAX_ERROR")
    }

    /// Runs `parse` one level of recursion deeper; past [`MAX_NESTING`] levels the statement
    /// is too deep.
    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.nesting >= MAX_NESTING {
            return Err(self.too_deep());
        }
        self.nesting += 1;
        let parsed = parse(self);
        self.nesting -= 1;
        parsed
    }

    /// `item, item, ...` (at least one).
    fn comma_separated<T>(&mut self, mut item: impl FnMut(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        let mut items = vec![item(self)?];
        while self.eat_op(",") {
            items.push(item(self)?);
        }
        Ok(items)
    }

    /// Skips `( ... )` with nested parentheses, which must close.
    fn skip_parenthesized(&mut self) -> Result<()> {
        self.expect_op("(")?;
        self.skip_to_close()
    }

    /// Skips to just after the `)` that closes the parentheses the parser is in.
    fn skip_to_close(&mut self) -> Result<()> {
        let mut depth = 0usize;
        loop {
            match self.peek().kind {
                Kind::Eof => return Err(self.unexpected()),
                Kind::Op("(") => depth += 1,
                Kind::Op(")") if depth == 0 => {
                    self.bump();
                    return Ok(());
                }
                Kind::Op(")") => depth -= 1,
                _ => {}
            }
            self.bump();
        }
    }

    /// Whether the current token is a word that can be a name here.
    fn at_name(&self) -> bool {
        match &self.peek().kind {
            Kind::Quoted(_) => true,
            Kind::Word => !RESERVED.iter().any(|r| self.is_word(r)),
            _ => false,
        }
    }

    /// Whether the current token can be an alias written without AS.
    fn at_implicit_alias(&self) -> bool {
        self.at_name() && !NOT_AN_ALIAS.iter().any(|r| self.is_word(r))
    }

    /// An identifier (any word or back-quoted name).
    fn ident(&mut self) -> Result<Ident> {
        let token = self.peek().clone();
        let value = match &token.kind {
            Kind::Word => self.text(&token).to_string(),
            Kind::Quoted(name) => name.clone(),
            _ => return Err(self.unexpected()),
        };
        self.bump();
        Ok(Ident { value, start: token.start })
    }

    /// A dotted object name: `t`, `db.t`.
    fn name(&mut self) -> Result<Name> {
        let start = self.peek().start;
        let mut parts = vec![self.ident()?];
        while self.eat_op(".") {
            parts.push(self.ident()?);
        }
        Ok(Name { parts, start })
    }

    /// After a complete statement: only semicolons may follow. A token after them, or one
    /// token alone before the end, is Spark's "extra input"; anything else a syntax error.
    fn end_of_statement(&mut self) -> Result<()> {
        let mut semicolons = false;
        while self.eat_op(";") {
            semicolons = true;
        }
        let token = self.peek().clone();
        if token.kind == Kind::Eof {
            return Ok(());
        }
        let next = &self.peek_at(1).kind;
        if semicolons || matches!(next, Kind::Eof | Kind::Op(";")) {
            let text = self.text(&token);
            return Err(self.sql.syntax_error(self.sql.pos(token.start), &format!("'{text}': extra input '{text}'")));
        }
        Err(self.unexpected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse_statement(&SqlText::new(text)).unwrap_err().to_string()
    }

    #[test]
    fn statements_and_errors() {
        assert!(parse_statement(&SqlText::new("select 1;;  ")).is_ok());
        assert!(error("selec * from t").starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near 'selec'.(line 1, pos 0)"));
        assert!(error("select 1; select 2").starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near 'select': extra input 'select'.(line 1, pos 10)"));
        assert!(error("select 1 2").starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near '2': extra input '2'.(line 1, pos 9)"));
        assert!(error("select 1 2 3").starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near '2'.(line 1, pos 9)"));
        assert!(error("").starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near end of input.(line 1, pos 0)"));
        assert!(error(";").starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near ';'.(line 1, pos 0)"));
        assert!(error("select (1 + 2").starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near end of input.(line 1, pos 13)"));
        assert!(error("select 'abc").starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near '''.(line 1, pos 7)"));
    }

    #[test]
    fn nesting_is_bounded() {
        for deep in [
            format!("SELECT {}1{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1)),
            format!("SELECT {}1", "NOT ".repeat(MAX_NESTING + 1)),
            format!("SELECT {}", vec!["x"; MAX_HEIGHT + 2].join(" + ")),
        ] {
            assert_eq!(error(&deep), "[PARSE_SYNTAX_ERROR] The statement nests too deeply for StreamLab's SQL parser.");
        }
        let within = format!("SELECT {}1{}", "(".repeat(MAX_NESTING - 2), ")".repeat(MAX_NESTING - 2));
        assert!(parse_statement(&SqlText::new(&within)).is_ok());
    }
}
