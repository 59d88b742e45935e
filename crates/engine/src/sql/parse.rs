//! SQL text to exactly one sqlparser statement, with the `ParseException`s Spark raises:
//! `[PARSE_SYNTAX_ERROR] Syntax error at or near ...`, "extra input" after a complete statement,
//! and "end of input" for an empty one. Trailing semicolons are allowed, as in Spark.

use sqlparser::ast::Statement;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};
use streamlab_types::{Result, SparkError};

use super::dialect::SparkDialect;
use super::text::SqlText;

/// How deeply sqlparser may recurse (its default is 50). Its frames are large in debug builds:
/// 25 nested `NOT`s overflow a 2 MiB stack there. Lesson SQL nests about 10 deep.
const RECURSION_LIMIT: usize = 20;

/// Parses the one statement of `sql`.
pub(crate) fn parse_statement(sql: &SqlText) -> Result<Statement> {
    // Spark's grammar ends a statement with `';'* EOF`; cutting the tail keeps every location.
    let text = sql.text().trim_end_matches(|c: char| c == ';' || c.is_whitespace());
    let mut statements = Parser::new(&SparkDialect)
        .with_recursion_limit(RECURSION_LIMIT)
        .try_with_sql(text)
        .and_then(|mut parser| parser.parse_statements())
        .map_err(|e| parser_error(sql, e))?;
    if statements.len() > 1 {
        return Err(extra_input(sql, text));
    }
    statements.pop().ok_or_else(|| sql.syntax_error(sql.end(), "end of input"))
}

fn tokens(text: &str) -> Vec<TokenWithSpan> {
    Tokenizer::new(&SparkDialect, text).tokenize_with_location().unwrap_or_default()
}

/// Spark's error for a second statement: "extra input" at its first token.
fn extra_input(sql: &SqlText, text: &str) -> SparkError {
    let significant = |t: &&TokenWithSpan| !matches!(t.token, Token::Whitespace(_) | Token::SemiColon);
    let all = tokens(text);
    let after_first = all.iter().skip_while(|t| t.token != Token::SemiColon).find(significant);
    match after_first.and_then(|t| Some((sql.pos(t.span.start)?, sql.slice(t.span)?))) {
        Some((pos, token)) => sql.syntax_error(pos, &format!("'{token}': extra input '{token}'")),
        None => sql.syntax_error(sql.end(), "end of input"),
    }
}

/// `" at Line: L, Column: C"` at the end of a sqlparser message.
fn location(message: &str) -> Option<(&str, Location)> {
    let (head, tail) = message.rsplit_once(" at Line: ")?;
    let (line, column) = tail.split_once(", Column: ")?;
    Some((head, Location { line: line.trim().parse().ok()?, column: column.trim().parse().ok()? }))
}

/// A sqlparser error as Spark's `ParseException` at the same place.
fn parser_error(sql: &SqlText, error: ParserError) -> SparkError {
    let (message, lexer) = match error {
        ParserError::TokenizerError(m) => (m, true),
        ParserError::ParserError(m) => (m, false),
        ParserError::RecursionLimitExceeded => {
            return SparkError::parse("The statement nests too deeply for StreamLab's SQL parser.")
                .with_class("PARSE_SYNTAX_ERROR")
        }
    };
    let Some((head, loc)) = location(&message) else {
        return sql.syntax_error(sql.end(), "end of input");
    };
    let Some(pos) = sql.pos(loc) else {
        return sql.syntax_error(sql.end(), "end of input");
    };
    if lexer {
        return match sql.char_at(loc) {
            Some(c) => sql.syntax_error(pos, &format!("'{c}'")),
            None => sql.syntax_error(sql.end(), "end of input"),
        };
    }
    let token = tokens(sql.text()).into_iter().find(|t| t.span.start == loc).and_then(|t| sql.slice(t.span));
    match token {
        Some(t) if head.starts_with("Expected: end of statement") => {
            sql.syntax_error(pos, &format!("'{t}': extra input '{t}'"))
        }
        Some(t) => sql.syntax_error(pos, &format!("'{t}'")),
        None => sql.syntax_error(sql.end(), "end of input"),
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
        assert!(error("").starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near end of input.(line 1, pos 0)"));
        assert!(error("select (1 + 2").starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near end of input.(line 1, pos 13)"));
        assert!(error("select 'abc").starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near '''.(line 1, pos 7)"));
    }
}
