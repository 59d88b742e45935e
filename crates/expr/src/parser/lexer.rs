//! Tokens of Spark SQL expression text (`SqlBaseLexer`, case-insensitive).

use streamlab_types::Result;

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A bare word (`a`, `AND`, `cast`) or, when `quoted`, a back-quoted name.
    Ident { text: String, quoted: bool },
    /// A number as written (`1`, `1.5`, `1e9`, `10L`, `.5D`).
    Number(String),
    /// A string literal, unescaped.
    Str(String),
    /// An operator or punctuation (`+`, `<=>`, `(`).
    Sym(&'static str),
    /// End of input.
    Eof,
}

/// A token and where it starts (char offset into the text).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub start: usize,
    /// The text as written, for error messages.
    pub text: String,
}

impl Token {
    /// Whether the token is the bare keyword `kw` (case-insensitive).
    pub fn is_kw(&self, kw: &str) -> bool {
        matches!(&self.tok, Tok::Ident { text, quoted: false } if text.eq_ignore_ascii_case(kw))
    }

    /// Whether the token is the symbol `s`.
    pub fn is_sym(&self, s: &str) -> bool {
        matches!(&self.tok, Tok::Sym(x) if *x == s)
    }
}

const SYMBOLS: [&str; 29] = [
    "<=>", "==", "!=", "<>", "<=", ">=", "||", "::", "->", ":", "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", ".",
    "[", "]", "!", "&", "|", "^", "~",
];

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits `sql` into tokens, ending with [`Tok::Eof`]. An unterminated string or back-quote is a
/// syntax error at its opening quote, as in Spark.
pub(crate) fn tokenize(sql: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // Comments: `-- …` to end of line, `/* … */`.
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            let start = i;
            i += 2;
            loop {
                if i + 1 >= chars.len() {
                    return Err(super::error::syntax_error(sql, start, "'/'"));
                }
                if chars[i] == '*' && chars[i + 1] == '/' {
                    i += 2;
                    break;
                }
                i += 1;
            }
            continue;
        }
        let start = i;
        if c == '\'' || c == '"' {
            let (s, end) = lex_string(&chars, i).ok_or_else(|| super::error::syntax_error(sql, start, &format!("'{}'", c)))?;
            out.push(Token { tok: Tok::Str(s), start, text: chars[start..end].iter().collect() });
            i = end;
            continue;
        }
        if c == '`' {
            let mut name = String::new();
            let mut j = i + 1;
            let mut closed = false;
            while j < chars.len() {
                if chars[j] == '`' {
                    if chars.get(j + 1) == Some(&'`') {
                        name.push('`');
                        j += 2;
                        continue;
                    }
                    closed = true;
                    j += 1;
                    break;
                }
                name.push(chars[j]);
                j += 1;
            }
            if !closed {
                return Err(super::error::syntax_error(sql, start, "'`'"));
            }
            out.push(Token { tok: Tok::Ident { text: name, quoted: true }, start, text: chars[start..j].iter().collect() });
            i = j;
            continue;
        }
        if let Some(len) = number_len(|k| chars.get(i + k).copied()) {
            let text: String = chars[i..i + len].iter().collect();
            out.push(Token { tok: Tok::Number(text.clone()), start, text });
            i += len;
            continue;
        }
        if is_ident_char(c) {
            let mut j = i;
            while j < chars.len() && is_ident_char(chars[j]) {
                j += 1;
            }
            let text: String = chars[i..j].iter().collect();
            out.push(Token { tok: Tok::Ident { text: text.clone(), quoted: false }, start, text });
            i = j;
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
        match SYMBOLS.iter().find(|s| rest.starts_with(**s)) {
            Some(s) => {
                out.push(Token { tok: Tok::Sym(s), start, text: s.to_string() });
                i += s.chars().count();
            }
            None => return Err(super::error::syntax_error(sql, start, &format!("'{}'", c))),
        }
    }
    out.push(Token { tok: Tok::Eof, start: chars.len(), text: String::new() });
    Ok(out)
}

/// How many characters of Spark's number token start at `at(0)`, or `None` when there is
/// none there; `at(k)` is the `k`-th character from that point (`None` past the end).
///
/// Why one function: the expression lexer and the SQL statement lexer must split numbers the
/// same way, and both take it from here.
///
/// The rules are `SqlBaseLexer`'s: `DIGITS`, `DIGITS.DIGITS*` or `.DIGITS`, then an optional
/// exponent `E[+-]DIGITS`, then an optional suffix (`BD`, `D`, `F`; `L`, `S`, `Y` after plain
/// digits only), all case-insensitive. Where a letter, digit or `_` follows, the lexer's longest
/// match decides: without a decimal point the longer identifier wins (`1e9abc`, `10Lx`), and
/// with one the number is invalid (`isValidDecimal`), leaving the digits before the point
/// (`1.5abc` is `1`, `.`, `5abc`).
///
/// ```
/// use streamlab_expr::parser::number_len;
/// let len = |text: &str| number_len(|k| text[k..].chars().next());
/// assert_eq!(len("1.5e3D + 1"), Some(6));
/// assert_eq!(len("10L"), Some(3));
/// assert_eq!(len("1e9abc"), None);
/// assert_eq!(len("1.5abc"), Some(1));
/// assert_eq!(len(".5abc"), None);
/// ```
pub fn number_len(at: impl Fn(usize) -> Option<char>) -> Option<usize> {
    let is_digit = |k: usize| at(k).is_some_and(|c| c.is_ascii_digit());
    let digits_from = |mut k: usize| {
        while is_digit(k) {
            k += 1;
        }
        k
    };
    let integral = digits_from(0);
    let dotted = at(integral) == Some('.') && (integral > 0 || is_digit(integral + 1));
    let mut end = if dotted { digits_from(integral + 1) } else { integral };
    if end == 0 {
        return None;
    }
    if matches!(at(end), Some('e' | 'E')) {
        let digits_start = end + 1 + usize::from(matches!(at(end + 1), Some('+' | '-')));
        let exponent_end = digits_from(digits_start);
        if exponent_end > digits_start {
            end = exponent_end;
        }
    }
    let upper = |k: usize| at(k).map(|c| c.to_ascii_uppercase());
    match upper(end) {
        Some('B') if upper(end + 1) == Some('D') => end += 2,
        Some('D' | 'F') => end += 1,
        Some('L' | 'S' | 'Y') if end == integral => end += 1,
        _ => {}
    }
    let word_follows = at(end).is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    match (word_follows, dotted) {
        (false, _) => Some(end),
        (true, false) => None,
        (true, true) => (integral > 0).then_some(integral),
    }
}

/// Lexes a quoted string at `i`; returns the unescaped text and the index after the closing
/// quote.
fn lex_string(chars: &[char], i: usize) -> Option<(String, usize)> {
    let q = chars[i];
    let mut j = i + 1;
    let mut raw = String::new();
    while j < chars.len() {
        let c = chars[j];
        if c == '\\' && j + 1 < chars.len() {
            raw.push(c);
            raw.push(chars[j + 1]);
            j += 2;
            continue;
        }
        if c == q {
            return Some((unescape(&raw), j + 1));
        }
        raw.push(c);
        j += 1;
    }
    None
}

/// Spark's `unescapeSQLString` on the text between the quotes.
pub(crate) fn unescape(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '\\' || i + 1 >= chars.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let n = chars[i + 1];
        // \uXXXX
        if n == 'u' && i + 6 <= chars.len() {
            let hex: String = chars[i + 2..i + 6].iter().collect();
            if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                out.push(ch);
                i += 6;
                continue;
            }
        }
        // \ddd octal, first digit 0-3
        if i + 4 <= chars.len() && ('0'..='3').contains(&n) && chars[i + 2].is_digit(8) && chars[i + 3].is_digit(8) {
            let oct: String = chars[i + 1..i + 4].iter().collect();
            if let Some(ch) = u32::from_str_radix(&oct, 8).ok().and_then(char::from_u32) {
                out.push(ch);
                i += 4;
                continue;
            }
        }
        match n {
            '0' => out.push('\u{0000}'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'b' => out.push('\u{0008}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'Z' => out.push('\u{001A}'),
            '\\' => out.push('\\'),
            '%' => out.push_str("\\%"),
            '_' => out.push_str("\\_"),
            other => out.push(other),
        }
        i += 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn numbers_strings_and_symbols() {
        assert_eq!(
            toks("a<=>1e9 'x\\'y'"),
            vec![
                Tok::Ident { text: "a".into(), quoted: false },
                Tok::Sym("<=>"),
                Tok::Number("1e9".into()),
                Tok::Str("x'y".into()),
                Tok::Eof
            ]
        );
        assert_eq!(toks("10L")[0], Tok::Number("10L".into()));
        assert_eq!(toks("1.5BD")[0], Tok::Number("1.5BD".into()));
        assert_eq!(toks(".5")[0], Tok::Number(".5".into()));
        assert_eq!(toks("1abc")[0], Tok::Ident { text: "1abc".into(), quoted: false });
        assert_eq!(toks("1e9L")[0], Tok::Ident { text: "1e9L".into(), quoted: false });
        assert_eq!(toks("1.5abc")[..3], [Tok::Number("1".into()), Tok::Sym("."), Tok::Ident { text: "5abc".into(), quoted: false }]);
        assert_eq!(toks(".5x")[..2], [Tok::Sym("."), Tok::Ident { text: "5x".into(), quoted: false }]);
        assert_eq!(toks("`a``b`")[0], Tok::Ident { text: "a`b".into(), quoted: true });
    }

    #[test]
    fn unterminated_string_is_an_error() {
        assert!(tokenize("'abc").is_err());
    }
}
