//! Spark SQL text to tokens, by the rules of Spark's `SqlBaseLexer` for the subset StreamLab
//! runs: words (keywords are words; the parser tells them apart), back-quoted identifiers,
//! `'…'` and `"…"` strings with backslash escapes, numbers with their type suffixes, `--` and
//! nested `/* */` comments, and the operators.
//!
//! Tokens keep byte offsets into the text, so error messages can quote the exact source and
//! point at its line and character position.

use streamlab_expr::parser::number_len;
use streamlab_types::{ErrorKind, Result, SparkError};

use super::text::SqlText;

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A bare word: an identifier or a keyword (ASCII letters, digits, `_`).
    Word,
    /// A back-quoted identifier; the value has its doubled back-quotes undone.
    Quoted(String),
    /// A string literal (`'…'` or `"…"`), its source kept for Spark's literal rules.
    Str,
    /// A number as written (`1`, `1.5`, `1e9`, `10L`, `1.5BD`).
    Number,
    /// An operator or punctuation mark.
    Op(&'static str),
    /// The end of the text.
    Eof,
}

/// One token and the bytes of the text it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Operators, longest first so that `<=>` wins over `<=` and `<`. `*/` outside a comment is a
/// token of its own, as in Spark (so the error quotes it whole).
const OPERATORS: [&str; 25] = [
    "<=>", "==", "!=", "<>", "<=", ">=", "||", "->", "=>", "*/", "=", "<", ">", "+", "-", "*", "/", "%", "(", ")",
    ",", ".", "[", "]", ";",
];

/// Single characters that are operators when no longer operator starts there.
const SINGLE: [&str; 6] = ["!", "~", "&", "|", "^", ":"];

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits `sql` into tokens, ending with [`Kind::Eof`] at the end of the text.
///
/// An unterminated string or back-quoted name is a syntax error at its opening quote, an
/// unknown character one at that character, and an unclosed `/*` Spark's
/// `UNCLOSED_BRACKETED_COMMENT`.
pub(crate) fn tokenize(sql: &SqlText) -> Result<Vec<Token>> {
    let text = sql.text();
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) {
        let next = bytes.get(i + 1).copied();
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if c == '-' && next == Some(b'-') {
            i = text.get(i..).and_then(|rest| rest.find('\n')).map_or(text.len(), |n| i + n);
            continue;
        }
        if c == '/' && next == Some(b'*') {
            i = comment_end(bytes, i).ok_or_else(|| unclosed_comment(sql))?;
            continue;
        }
        let start = i;
        let number = number_len(|k| bytes.get(i + k).map(|&b| char::from(b)));
        let kind = match (c, number) {
            ('\'' | '"', _) => {
                i = string_end(bytes, i).ok_or_else(|| sql.syntax_error(sql.pos(start), &format!("'{c}'")))?;
                Kind::Str
            }
            ('`', _) => {
                let (name, end) = quoted_name(text, i).ok_or_else(|| sql.syntax_error(sql.pos(start), "'`'"))?;
                i = end;
                Kind::Quoted(name)
            }
            (_, Some(len)) => {
                i += len;
                Kind::Number
            }
            _ if is_word_char(c) => {
                i = word_end(bytes, i);
                Kind::Word
            }
            _ => {
                let rest = text.get(i..).unwrap_or("");
                let op = OPERATORS.iter().chain(SINGLE.iter()).find(|op| rest.starts_with(**op));
                let Some(op) = op else {
                    return Err(sql.syntax_error(sql.pos(start), &format!("'{c}'")));
                };
                i += op.len();
                Kind::Op(op)
            }
        };
        tokens.push(Token { kind, start, end: i });
    }
    tokens.push(Token { kind: Kind::Eof, start: text.len(), end: text.len() });
    Ok(tokens)
}

/// Spark's error for a `/*` that never closes.
fn unclosed_comment(sql: &SqlText) -> SparkError {
    SparkError::new(
        ErrorKind::Parse,
        format!("Found an unclosed bracketed comment. Please, append */ at the end of the comment.\n== SQL ==\n{}", sql.text()),
    )
    .with_class("UNCLOSED_BRACKETED_COMMENT")
}

/// The end of a (possibly nested) bracketed comment starting at `i`.
fn comment_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i < bytes.len() {
        match (bytes.get(i), bytes.get(i + 1)) {
            (Some(b'/'), Some(b'*')) => {
                depth += 1;
                i += 2;
            }
            (Some(b'*'), Some(b'/')) => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The end of the string literal whose quote is at `i` (a backslash escapes any character).
fn string_end(bytes: &[u8], i: usize) -> Option<usize> {
    let quote = *bytes.get(i)?;
    let mut j = i + 1;
    while let Some(&b) = bytes.get(j) {
        match b {
            b'\\' => j += 2,
            _ if b == quote => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// The name and end of the back-quoted identifier at `i` (` `` ` stands for one back-quote).
fn quoted_name(text: &str, i: usize) -> Option<(String, usize)> {
    let body = text.get(i + 1..)?;
    let mut name = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != '`' {
            name.push(c);
            continue;
        }
        if chars.peek().is_some_and(|(_, n)| *n == '`') {
            chars.next();
            name.push('`');
            continue;
        }
        return Some((name, i + 1 + at + 1));
    }
    None
}

fn word_end(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| is_word_char(char::from(*b))) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        let sql = SqlText::new(text);
        tokenize(&sql).unwrap().into_iter().map(|t| (t.kind, &text[t.start..t.end])).collect()
    }

    #[test]
    fn tokens_of_spark_sql() {
        assert_eq!(
            kinds("a<=>1e9 'x\\'y' -- c\n`a``b`/* x /* y */ */2L"),
            vec![
                (Kind::Word, "a"),
                (Kind::Op("<=>"), "<=>"),
                (Kind::Number, "1e9"),
                (Kind::Str, "'x\\'y'"),
                (Kind::Quoted("a`b".into()), "`a``b`"),
                (Kind::Number, "2L"),
                (Kind::Eof, ""),
            ]
        );
        assert_eq!(kinds("1.5BD .5 5. 1a 0x")[..5].iter().map(|k| k.0.clone()).collect::<Vec<_>>(), vec![
            Kind::Number,
            Kind::Number,
            Kind::Number,
            Kind::Word,
            Kind::Word
        ]);
        assert_eq!(kinds("x||y")[1], (Kind::Op("||"), "||"));
        // Spark's longest match: an identifier (`1e9abc`, `1e9L`), or an invalid decimal cut
        // back to its integer (`1.5abc` is `1`, `.`, `5abc`).
        assert_eq!(kinds("1e9abc 1e9L")[..2], [(Kind::Word, "1e9abc"), (Kind::Word, "1e9L")]);
        assert_eq!(kinds("1.5abc .5x")[..5], [
            (Kind::Number, "1"),
            (Kind::Op("."), "."),
            (Kind::Word, "5abc"),
            (Kind::Op("."), "."),
            (Kind::Word, "5x")
        ]);
    }

    #[test]
    fn lexical_errors() {
        let error = |text: &str| tokenize(&SqlText::new(text)).unwrap_err().to_string();
        assert!(error("select 'abc").starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near '''.(line 1, pos 7)"));
        assert!(error("select é").starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near 'é'.(line 1, pos 7)"));
        assert_eq!(
            error("SELECT 1 /* open"),
            "[UNCLOSED_BRACKETED_COMMENT] Found an unclosed bracketed comment. Please, append */ at the end of the comment.\n== SQL ==\nSELECT 1 /* open"
        );
    }
}
